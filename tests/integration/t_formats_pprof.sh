#!/bin/bash
# --format pprof: a gzipped profile.proto, read back by two readers that are
# not ours: go tool pprof (Debian's golang-go) and protoc --decode against
# google/pprof's profile.proto (tests/fixtures; Debian's protobuf-compiler),
# both installed by make deps (scripts/install-deps.sh):
#  - writes 1000, recorded once and reported twice (pprof and JSON, so both
#    come from the same events): the write samples of the process add up to
#    1000 calls and to the JSON's total_ns for write, exactly; labels pid,
#    tid and syscall; go tool pprof -top opens it; protoc finds the sample
#    types, default type, period, comments and no time_nanos (a trace file
#    does not carry the wall clock);
#  - a live run: time_nanos between the wall clock before and after it;
#  - mutex_storm: the futex waits on hot_lock carry lock and object labels;
#  - --stacks (ptrace): fetch_user's 1000 writes under its function, with
#    stacks.c as its file;
#  - pprof to a terminal is refused before anything runs;
#  - --push: a local HTTP server (Debian's python3) gets a multipart POST to
#    /ingest with name, from, until and format=pprof, its field "profile"
#    the very bytes of -o FILE; a server's 500 and a closed port are told
#    in one line (the file is written all the same); --push without
#    --format pprof or with --interval is a usage error.
. "$(dirname "$0")/lib.sh"
command -v go > /dev/null || fail "go missing: make deps installs golang-go (scripts/install-deps.sh)"
command -v protoc > /dev/null ||
	fail "protoc missing: make deps installs protobuf-compiler (scripts/install-deps.sh)"
PROTO_DIR=$(cd "$(dirname "$0")/../fixtures" && pwd)
export HOME="$T" GOFLAGS= GOTOOLCHAIN=local	# go keeps nothing of ours elsewhere

pprof() { go tool pprof -symbolize=none "$@"; }
# decode FILE: the profile as protoc's text format
decode() {
	gzip -dc "$1" | protoc --decode=perftools.profiles.Profile -I "$PROTO_DIR" \
		"$PROTO_DIR/profile.proto"
}
# samples FILE: one line per sample of -raw: its four values, then its labels
samples() {
	pprof -raw "$1" 2> /dev/null | awk '
		/^Samples:/ { on = 1; next }
		/^Locations/ { on = 0 }
		on && /^ *[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+:/ {
			if (rec != "") print rec
			rec = $1 " " $2 " " $3 " " $4; sub(/:$/, "", rec); next
		}
		on && rec != "" { $1 = $1; rec = rec " " $0 }
		END { if (rec != "") print rec }'
}
# sum FILE COLUMN MATCH...: the column's sum over the samples with every MATCH
sum() {
	local f=$1 col=$2
	shift 2
	samples "$f" > "$T/samples"
	for m; do
		grep -F -- "$m" "$T/samples" > "$T/samples.1"
		mv "$T/samples.1" "$T/samples"
	done
	awk -v c="$col" '{ s += $c } END { print s + 0 }' "$T/samples"
}

# --- writes 1000: one trace, two reports ---
ilp record -o "$T/w.dat" -- "$WL/writes" 1000 2> "$T/err" || { show "$T/err"; fail "record writes failed"; }
ilp report --format pprof -i "$T/w.dat" > "$T/w.pb.gz" 2> "$T/err" ||
	{ show "$T/err"; fail "report --format pprof failed"; }
ilp report --format json -i "$T/w.dat" > "$T/w.json" 2> "$T/err" ||
	{ show "$T/err"; fail "report --format json failed"; }
gzip -t "$T/w.pb.gz" || fail "the profile is not gzip"
pid=$(jq '[.processes[] | select(.comm == "writes") | .pid] | .[0]' "$T/w.json")
ns=$(jq '[.processes[] | select(.comm == "writes") | .syscalls[] | select(.name == "write") | .total_ns] | add' "$T/w.json")
[ "$ns" -gt 0 ] 2> /dev/null || { show "$T/w.json"; fail "no write total in the JSON: '$ns'"; }
expect_eq "JSON write calls" \
	"$(jq '[.processes[] | select(.comm == "writes") | .syscalls[] | select(.name == "write") | .calls] | add' "$T/w.json")" 1000
pprof -top "$T/w.pb.gz" > "$T/top" 2> "$T/top.err" || { show "$T/top.err"; fail "go tool pprof -top cannot open it"; }
grep -q 'Type: wait' "$T/top" || { show "$T/top"; fail "-top: the default type is not wait"; }
expect_eq "write calls (pprof)" "$(sum "$T/w.pb.gz" 2 "syscall:[write]" "pid:[$pid]")" 1000
expect_eq "write wait ns (pprof) = JSON total_ns" "$(sum "$T/w.pb.gz" 1 "syscall:[write]" "pid:[$pid]")" "$ns"
expect_eq "write samples with a tid label" \
	"$(samples "$T/w.pb.gz" | grep -F "syscall:[write]" | grep -c "tid:\[[0-9]*\]")" \
	"$(samples "$T/w.pb.gz" | grep -c -F "syscall:[write]")"
pprof -top -sample_index=calls -tagfocus=syscall=write "$T/w.pb.gz" > "$T/topc" 2> "$T/topc.err" ||
	{ show "$T/topc.err"; fail "-top -sample_index=calls failed"; }
grep -Eq '^ +1000 .* write$' "$T/topc" || { show "$T/topc"; fail "-top -sample_index=calls: write is not 1000"; }
decode "$T/w.pb.gz" > "$T/w.txt" 2> "$T/err" || { show "$T/err"; fail "protoc cannot decode it"; }
# the string table, in order: what the indexes below point at
grep '^string_table: ' "$T/w.txt" | sed 's/^string_table: //' > "$T/strings"
str() { sed -n "$(($1 + 1))p" "$T/strings"; }
types=$(awk '/^sample_type \{/ { on = 1 } on && /type:/ { t = $2 } on && /unit:/ { u = $2 }
	on && /^\}/ { printf "%s/%s ", t, u; on = 0 }' "$T/w.txt")
names=""
for pair in $types; do
	names="$names $(str "${pair%/*}")/$(str "${pair#*/}")"
done
expect_eq "sample types" "$names" ' "wait"/"nanoseconds" "calls"/"count" "kernel_lock_wait"/"nanoseconds" "kernel_lock_waits"/"count"'
expect_eq "default sample type" "$(str "$(awk '/^default_sample_type:/ { print $2 }' "$T/w.txt")")" '"wait"'
expect_eq "period" "$(awk '/^period:/ { print $2 }' "$T/w.txt")" 1
grep -q '^time_nanos:' "$T/w.txt" && fail "a profile of a trace file has a time_nanos"
[ "$(awk '/^duration_nanos:/ { print $2 }' "$T/w.txt")" -gt 0 ] || fail "no duration_nanos"
comments=$(awk '/^comment:/ { print $2 }' "$T/w.txt" | while read -r c; do str "$c"; done)
echo "$comments" | grep -qx "\"iolockprof $($ILP --version | awk '{ print $NF }')\"" ||
	{ echo "$comments" >&2; fail "no version comment"; }
echo "$comments" | grep -q '^"command: .*writes 1000"$' || { echo "$comments" >&2; fail "no command comment"; }
echo "$comments" | grep -q '^"events: [0-9]*, lost: 0"$' || { echo "$comments" >&2; fail "no events comment"; }

# --- a live run: its wall clock start ---
t0=$(date +%s%N)
ilp run --format pprof -o "$T/r.pb.gz" -- "$WL/writes" 10 2> "$T/err" || { show "$T/err"; fail "run --format pprof failed"; }
t1=$(date +%s%N)
tn=$(decode "$T/r.pb.gz" | awk '/^time_nanos:/ { print $2 }')
[ -n "$tn" ] && [ "$tn" -ge "$t0" ] && [ "$tn" -le "$t1" ] || fail "time_nanos '$tn' not within the run [$t0, $t1]"
expect_eq "run: write calls" "$(sum "$T/r.pb.gz" 2 "syscall:[write]")" 10

# --- user lock waits: lock and object labels ---
ilp run --format pprof -o "$T/m.pb.gz" -- "$WL/mutex_storm" 4 20000 > /dev/null 2> "$T/err" ||
	{ show "$T/err"; fail "run mutex_storm --format pprof failed"; }
samples "$T/m.pb.gz" > "$T/m.samples"
grep -F "lock:[hot_lock]" "$T/m.samples" | grep -F "object:[futex:hot_lock]" | grep -q -F "syscall:[futex]" ||
	{ show "$T/m.samples"; fail "no futex sample with lock:[hot_lock] and object:[futex:hot_lock]"; }

# --- --stacks: the call sites' functions, files and lines ---
ilp run --backend ptrace --stacks --format pprof -o "$T/k.pb.gz" -- "$WL/stacks" 1000 2> "$T/err" ||
	{ show "$T/err"; fail "run --stacks --format pprof failed"; }
pprof -top -sample_index=calls -focus='^fetch_user$' "$T/k.pb.gz" > "$T/k.top" 2> "$T/err" ||
	{ show "$T/err"; fail "-top of the --stacks profile failed"; }
grep -Eq '^ +1000 .* write$' "$T/k.top" || { show "$T/k.top"; fail "--stacks: fetch_user's write calls are not 1000"; }
pprof -raw "$T/k.pb.gz" 2> /dev/null | grep -q ' fetch_user .*stacks\.c:[0-9]' ||
	{ pprof -raw "$T/k.pb.gz" 2>&1 | tail -20 >&2; fail "--stacks: fetch_user has no stacks.c:LINE"; }

# --- --push to a local server ---
PY=/usr/bin/python3
[ -x "$PY" ] || fail "python3 missing: make deps installs it (scripts/install-deps.sh)"
cat > "$T/srv.py" << 'EOF_PY'
# srv.py OUT CODE: one POST, its path, content type and form field "profile"
# into OUT.*, answered CODE; the port it listens on in OUT.port
import email.parser, email.policy, http.server, os, sys
out, code = sys.argv[1], int(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        ctype = self.headers.get('Content-Type', '')
        open(out + '.path', 'w').write(self.path + '\n')
        open(out + '.ctype', 'w').write(ctype + '\n')
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b'Content-Type: ' + ctype.encode() + b'\r\n\r\n' + body)
        for part in msg.iter_parts():
            if part.get_param('name', header='content-disposition') == 'profile':
                open(out + '.profile', 'wb').write(part.get_payload(decode=True))
        self.send_response(code)
        self.send_header('Content-Length', '0')
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
open(out + '.port.tmp', 'w').write(str(s.server_address[1]))
os.rename(out + '.port.tmp', out + '.port')
s.handle_request()
EOF_PY
# serve NAME CODE: a server for one POST; its port in $port
serve() {
	"$PY" "$T/srv.py" "$T/$1" "$2" 2> "$T/$1.srv_err" &
	srv=$!
	bg_track $srv
	for _ in $(seq 200); do
		[ -s "$T/$1.port" ] && break
		kill -0 $srv 2> /dev/null || { show "$T/$1.srv_err"; fail "the HTTP server did not start"; }
		sleep 0.1
	done
	port=$(cat "$T/$1.port") || fail "the HTTP server gave no port"
}
serve p 200
t0=$(date +%s)
ilp run --format pprof -o "$T/p.pb.gz" --push "http://127.0.0.1:$port" -- "$WL/writes" 10 2> "$T/err" ||
	{ show "$T/err"; fail "run --push failed"; }
t1=$(date +%s)
wait $srv
[ -s "$T/p.profile" ] || { show "$T/p.ctype"; fail "--push: no form field 'profile'"; }
cmp "$T/p.profile" "$T/p.pb.gz" || fail "--push: the field 'profile' is not the -o file"
grep -q '^multipart/form-data; boundary=' "$T/p.ctype" || { show "$T/p.ctype"; fail "--push: not a multipart form"; }
path=$(cat "$T/p.path")
case $path in
/ingest\?name=iolockprof\&from=*\&until=*\&format=pprof) ;;
*) fail "--push: posted to '$path'" ;;
esac
from=$(echo "$path" | sed 's/.*from=\([0-9]*\).*/\1/')
until=$(echo "$path" | sed 's/.*until=\([0-9]*\).*/\1/')
[ "$from" -ge "$t0" ] && [ "$from" -le "$until" ] && [ "$until" -le "$((t1 + 1))" ] ||
	fail "--push: from=$from until=$until not within the run [$t0, $t1]"
# a full URL keeps its name; a 500 is told, the file is written all the same
serve e 500
ilp report -i "$T/w.dat" --format pprof -o "$T/e.pb.gz" \
	--push "http://127.0.0.1:$port/x/ingest?name=app%7Benv%3Dci%7D" 2> "$T/err" &&
	fail "--push to a server answering 500: exit 0"
wait $srv
grep -q "^iolockprof: --push http://127.0.0.1:$port/x/ingest?name=app%7Benv%3Dci%7D&from=[0-9]*&until=[0-9]*&format=pprof: the server answered HTTP 500\$" "$T/err" ||
	{ show "$T/err"; fail "--push 500: not told in one line"; }
expect_eq "--push 500: stderr lines" "$(wc -l < "$T/err")" 1
[ "$(sed 's/?.*//' "$T/e.path")" = /x/ingest ] || { show "$T/e.path"; fail "--push: the full URL's path not kept"; }
cmp "$T/e.profile" "$T/e.pb.gz" || fail "--push 500: -o file and posted profile differ"
# nobody listening: one line
ilp report -i "$T/w.dat" --format pprof -o "$T/n.pb.gz" --push "http://127.0.0.1:$port" 2> "$T/err" &&
	fail "--push to a closed port: exit 0"
expect_eq "--push closed port: stderr lines" "$(wc -l < "$T/err")" 1
grep -q "^iolockprof: --push http://127.0.0.1:$port/ingest?" "$T/err" || { show "$T/err"; fail "--push closed port: not told"; }
ilp report -i "$T/w.dat" --push "http://127.0.0.1:$port" > /dev/null 2> "$T/err"
expect_eq "--push without --format pprof: exit" $? 2
ilp run --format pprof --interval 1 --push "http://127.0.0.1:$port" -o "$T/i" -- true 2> "$T/err"
expect_eq "--push with --interval: exit" $? 2

# --- binary: not to a terminal, nor to the stderr run shares with its command ---
ilp run --format pprof -- true > /dev/null 2> "$T/se"
expect_eq "pprof to run's stderr: exit" $? 125
expect_eq "pprof to run's stderr: one line" "$(cat "$T/se")" "iolockprof: --format pprof is binary (gzip): give -o FILE"
if command -v script > /dev/null; then
	script -qec "$ILP run --format pprof -- true" /dev/null > "$T/tty" 2>&1 && fail "pprof to a terminal: exit 0"
	grep -q 'binary' "$T/tty" || { show "$T/tty"; fail "pprof to a terminal: no explanation"; }
fi
exit 0
