#!/bin/bash
# io_uring: uring_writes 1000 10 FILE (liburing: 1000 write requests of 64 B
# and 10 fsync requests, waited for in io_uring_enter, one ring).  The
# requests are paired by the kernel's request pointer (completions run in
# io-wq workers, outside the pid filter) and given to the submitter:
# exactly 1000 WRITE and 10 FSYNC requests, on the file by its name, the
# latency totals within their histograms, 20 io_uring_enter calls asking
# for completions; and the syscalls' findings on them, one each:
# [unbuffered] 1000 writes of 64 B and [fsync storm] 10 syncs on FILE.
# Under ptrace: one line saying the requests are not seen.
# --min-saving 0 --all: the test checks names, not cut-offs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"
. "$(dirname "$0")/lib_uring.sh"
need_uring_events

f="$T/journal"
ilp run --min-saving 0 --all -o "$T/report" -- "$WL/uring_writes" 1000 10 "$f" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
[ "$(lost_events "$T/report")" = 0 ] || note "lost events: $(lost_events "$T/report")"
expect_findings "$T/report" 2
got=$(findings "$T/report" | sort)
want=$(printf '%s\n' "\\[fsync storm\\] 10 syncs on $(file_obj "$f")" \
	"\\[unbuffered\\] 1000 writes of 64 B \\(median\\) on $(file_obj "$f")")
printf '%s\n' "$got" | head -1 | grep -Eqx "$(printf '%s\n' "$want" | head -1)" &&
	printf '%s\n' "$got" | tail -1 | grep -Eqx "$(printf '%s\n' "$want" | tail -1)" ||
	{ show "$T/report"; fail "finding lines: '$got'"; }
finding_block "$T/report" unbuffered | grep -q '; 1010 of the calls were io_uring requests' ||
	{ show "$T/report"; fail "unbuffered evidence: the io_uring requests"; }
grep -q '^  io_uring: 1010 requests completed of 1010 submitted, ' "$T/report" ||
	{ show "$T/report" 120; fail "io_uring totals line"; }
grep -Eq "^  WRITE +1000 +0 " "$T/report" || { show "$T/report" 120; fail "WRITE row"; }
grep -Eq "^  FSYNC +10 +0 +10 " "$T/report" || { show "$T/report" 120; fail "FSYNC row (10 punted)"; }

ilp run --min-saving 0 --all --format json -o "$T/r.json" -- "$WL/uring_writes" 1000 10 "$f" \
	2> "$T/err" || { show "$T/err"; fail "json run failed"; }
u=$(uring_of "$T/r.json" uring_writes)
[ "$u" != null ] || { show "$T/r.json"; fail "no io_uring section"; }
num() { printf '%s' "$u" | jq -r "$@"; }
expect_eq "rings" "$(num .rings)" 1
expect_eq "submitted" "$(num .submitted)" 1010
expect_eq "completed" "$(num .completed)" 1010
expect_eq "unfinished" "$(num .unfinished)" 0
expect_eq "lost" "$(num .lost)" 0
expect_eq "io_uring_enter calls" "$(num .enters)" 20
expect_eq "io_uring_enter calls asking for completions" "$(num .getevents)" 20
expect_range "io_uring_enter calls that waited" "$(num .waits)" 0 20
[ "$(num .wait_ns)" -le "$(num .getevents_ns)" ] || fail "wait_ns above getevents_ns: $u"
expect_eq "WRITE requests" "$(num '.ops[] | select(.op == "WRITE") | .requests')" 1000
expect_eq "WRITE bytes" "$(num '.ops[] | select(.op == "WRITE") | .bytes')" 64000
expect_eq "WRITE errors" "$(num '.ops[] | select(.op == "WRITE") | .errors')" 0
expect_eq "FSYNC requests" "$(num '.ops[] | select(.op == "FSYNC") | .requests')" 10
expect_eq "FSYNC punted to io-wq" "$(num '.ops[] | select(.op == "FSYNC") | .punted')" 10
expect_eq "opcodes" "$(num '[.ops[].op] | sort | join(",")')" "FSYNC,WRITE"
expect_eq "WRITE requests on the file" \
	"$(num --arg n "file $f" '.files[] | select(.name == $n and .op == "WRITE") | .requests')" 1000
expect_eq "FSYNC requests on the file" \
	"$(num --arg n "file $f" '.files[] | select(.name == $n and .op == "FSYNC") | .requests')" 10
expect_eq "file rows" "$(num '.files | length')" 2
check_uring_hists "$T/r.json"
obj=$(jq -c --arg n "file $f" '.processes[].objects[]? | select(.name == $n)' "$T/r.json")
expect_eq "the file's writes, syncs, requests" "$(printf '%s' "$obj" | jq -r '"\(.writes) \(.syncs) \(.requests)"')" \
	"1000 10 1010"
expect_eq "json findings" "$(jq -r '[.findings[] | "\(.kind) \(.count)"] | sort | join(",")' "$T/r.json")" \
	"fsync 10,unbuffered 1000"
# the ring's fd, made by io_uring_setup, by its /proc name: 20 io_uring_enter
# calls and io_uring_queue_exit's close
expect_eq "the ring's fd" "$(jq -r '[.processes[].objects[]? | select(.name == "anon [io_uring]") |
	"\(.name_source) \(.ops) \(.closes)"] | join(",")' "$T/r.json")" "proc 21 1"
check_sum_rule "$T/r.json"

# ptrace sees io_uring_setup, never a request: says so in one line
timeout -k 5 "$ILP_TIMEOUT" "$ILP" run --backend ptrace -o "$T/pt" -- "$WL/uring_writes" 100 2 "$f" \
	2> "$T/err" || { show "$T/err"; fail "ptrace run failed"; }
expect_eq "ptrace: lines on io_uring" \
	"$(grep -c '^  io_uring: 1 ring(s) set up; the ptrace backend cannot see their requests' "$T/pt")" 1 "$T/pt"
exit 0
