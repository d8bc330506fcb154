#!/bin/bash
# --format prom: the Prometheus text exposition format, checked by promtool
# (Debian's, installed by make deps) and read back with exact counts:
#  - writes 1000: calls_total and the histogram's count and +Inf bucket are
#    1000 for write; buckets never decrease; the sum is the JSON's total;
#  - mutex_storm: hot_lock's wait histogram;
#  - dio_write: the device's write requests;
#  - a process name with a quote and a backslash is escaped in its label;
#  - --interval with -o FILE rewrites FILE, whole, each interval.
. "$(dirname "$0")/lib.sh"
PROMTOOL=$(command -v promtool || echo /usr/local/lib/iolockprof-test/promtool)
[ -x "$PROMTOOL" ] || fail "promtool missing: make deps installs it (scripts/install-deps.sh)"

check() { "$PROMTOOL" check metrics < "$1" > "$T/lint" 2>&1 || { show "$T/lint"; show "$1" 40; fail "promtool rejects $2"; }; }
# value FILE METRIC LABELMATCH: the value of the one sample of METRIC whose
# labels contain LABELMATCH (through the environment: awk -v would take
# the backslashes of an escaped label as its own)
value() {
	M=$2 L=$3 awk 'index($1, ENVIRON["M"] "{") == 1 && index($0, ENVIRON["L"]) { print $NF; n++ }
		END { if (n != 1) print "samples:" n }' "$1"
}

ilp run --format prom -o "$T/w.prom" -- "$WL/writes" 1000 2> "$T/err" || { show "$T/err"; fail "run writes --format prom failed"; }
check "$T/w.prom" "writes 1000"
expect_eq "write calls_total" "$(value "$T/w.prom" iolockprof_syscall_calls_total 'syscall="write"')" 1000
expect_eq "write errors_total" "$(value "$T/w.prom" iolockprof_syscall_errors_total 'syscall="write"')" 0
expect_eq "write histogram count" "$(value "$T/w.prom" iolockprof_syscall_duration_seconds_count 'syscall="write"')" 1000
expect_eq "write +Inf bucket" "$(value "$T/w.prom" iolockprof_syscall_duration_seconds_bucket 'syscall="write",le="+Inf"')" 1000
expect_eq "write buckets" "$(grep -c '^iolockprof_syscall_duration_seconds_bucket{.*syscall="write",' "$T/w.prom")" 28
grep '^iolockprof_syscall_duration_seconds_bucket{.*syscall="write",' "$T/w.prom" |
	awk '{ if ($NF < prev) bad = 1; prev = $NF } END { exit bad }' || fail "write buckets decrease"
expect_eq "lost events" "$(awk '$1 == "iolockprof_lost_events_total" { print $2 }' "$T/w.prom")" 0
expect_eq "one info sample, final" "$(grep -c '^iolockprof_info{.*interim="false"} 1$' "$T/w.prom")" 1
# every family once: HELP and TYPE before its samples (promtool checks the order)
expect_eq "families" "$(grep -c '^# TYPE ' "$T/w.prom")" "$(grep '^# TYPE ' "$T/w.prom" | sort -u | wc -l)"

# the same run as JSON: the histogram sum is the JSON's total_ns
ilp record -o "$T/w.dat" -- "$WL/writes" 1000 2> "$T/err" || { show "$T/err"; fail "record writes failed"; }
ilp report --format prom -i "$T/w.dat" > "$T/wf.prom" 2> "$T/err" || { show "$T/err"; fail "report --format prom failed"; }
ilp report --format json -i "$T/w.dat" > "$T/wf.json" 2> "$T/err" || { show "$T/err"; fail "report --format json failed"; }
check "$T/wf.prom" "report -i of a recorded file"
ns=$(jq '[.processes[] | select(.comm == "writes") | .syscalls[] | select(.name == "write") | .total_ns] | add' "$T/wf.json")
expect_eq "write duration sum (s) = JSON total_ns" \
	"$(value "$T/wf.prom" iolockprof_syscall_duration_seconds_sum 'syscall="write"')" \
	"$(awk -v n="$ns" 'BEGIN { printf "%.9f", n / 1e9 }')"

# user lock: hot_lock (with its address, as the workload prints it): its waits
ilp run --format prom -o "$T/m.prom" -- "$WL/mutex_storm" 4 20000 > "$T/mout" 2> "$T/err" || { show "$T/err"; fail "mutex_storm failed"; }
check "$T/m.prom" "mutex_storm"
c=$(value "$T/m.prom" iolockprof_user_lock_wait_seconds_count "lock=\"hot_lock\",address=\"$(awk '{ print $2 }' "$T/mout")\"")
[ "$c" -gt 0 ] 2>/dev/null || { show "$T/m.prom" 80; fail "no wait counted on hot_lock: '$c'"; }

# a name that needs escaping: comm w"x\y
cp "$WL/writes" "$T/w\"x\\y"
ilp run --format prom -o "$T/e.prom" -- "$T/w\"x\\y" 10 2> "$T/err" || { show "$T/err"; fail "run of w\"x\\y failed"; }
check "$T/e.prom" "an escaped comm"
expect_eq "escaped comm label" "$(value "$T/e.prom" iolockprof_syscall_calls_total 'comm="w\"x\\y",syscall="write"')" 10

# disk: the device's write requests (the disk is shared: at least ours)
if [ -d "$TRACEFS/events/block/block_rq_complete" ]; then
	block_dir
	if [ -n "$dir" ]; then
		f=$(mktemp "$dir/ilp-dio.XXXXXX") || fail "mktemp in $dir"
		on_exit "rm -f '$f'"
		dd if=/dev/zero of="$f" bs=4096 count=50 conv=fsync status=none || fail "dd"
		ilp run --format prom -o "$T/d.prom" -- "$WL/dio_write" "$f" 50 2> "$T/err"
		rc=$?
		if [ $rc -eq 0 ]; then
			check "$T/d.prom" "dio_write"
			w=$(value "$T/d.prom" iolockprof_disk_requests_total "device=\"$name\",dev=\"$maj:$min\",op=\"write\"")
			[ "$w" -ge 50 ] 2>/dev/null || { show "$T/d.prom" 80; fail "device $name: $w write requests, want >= 50"; }
		elif [ $rc -ne 3 ]; then
			show "$T/err"; fail "dio_write: exit $rc"
		fi
	fi
fi

# --interval: FILE rewritten whole each interval, no FILE.N
ilp run --interval 0.3 --format prom -o "$T/i.prom" -- "$WL/naps" 1 1500000 2> "$T/err" &
rp=$!
for _ in $(seq 100); do [ -s "$T/i.prom" ] && break; sleep 0.02; done
[ -s "$T/i.prom" ] || fail "--interval: no file while it runs"
cp "$T/i.prom" "$T/i1.prom"
wait $rp || { show "$T/err"; fail "run --interval prom failed"; }
check "$T/i1.prom" "an interim file"
# counters only grow: an interim file is cumulative without --cumulative
grep -q '^iolockprof_syscall_calls_total{.*syscall="execve"} 1$' "$T/i1.prom" ||
	{ show "$T/i1.prom" 40; fail "interim prom file: not cumulative (no execve)"; }
expect_eq "interim file: interim" "$(grep -c '^iolockprof_info{.*interim="true"} 1$' "$T/i1.prom")" 1
check "$T/i.prom" "the final file"
expect_eq "final file: nanosleep" "$(value "$T/i.prom" iolockprof_syscall_calls_total 'syscall="nanosleep"')" 1
ls "$T" | grep -q '^i\.prom\.' && fail "--interval prom: per-interval files"
exit 0
