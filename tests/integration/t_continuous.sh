#!/bin/bash
# attach --continuous (duty-cycled capture, a report per window):
#  - --duty 100: a gated process (sh reads a fifo, then execs naps 20 50000:
#    exactly 20 nanosleeps of 50 ms) attached before it starts: the windows'
#    reports FILE.1, FILE.2, ... and the last one (FILE) together count
#    exactly 20 nanosleeps; each says sampling.duty 1; windows contiguous.
#  - --duty 50 of 0.4 s, windows of 0.8 s, on naps 40 50000 (2 s): every
#    report says sampled (duty 0.5, period, captured_ns <= span_ns =
#    duration_ns); a call is counted only if a capture saw it whole, so the
#    nanosleep time all reports count is at most the time they captured
#    (a call straddling a capture edge would break it: 50 ms counted for
#    a capture that saw part of it), at most one nanosleep is unfinished in
#    a report, and at least one is counted.
#  - text: each report has its "sampled:" line, headers "interim report N"
#    then "last report N" at the end.
#  - prom: the duty gauge and the captured-seconds counter.
#  - SIGINT: the last, partial window's report still comes (exit 0), the
#    target named (its name, injected as tracing starts, is captured).
#  - usage: --duty without --continuous, --continuous with --interval: exit 2.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

# gated PID_VAR FIFO NAPS USEC: sh waiting on FIFO, then naps NAPS USEC
gated() {
	local pid
	mkfifo "$2" || fail "mkfifo $2"
	sh -c 'read x < "$1"; exec "$2" "$3" "$4"' gated "$2" "$WL/naps" "$3" "$4" &
	pid=$!
	bg_track "$pid"
	printf -v "$1" '%s' "$pid"
}

# wait_tracing ERRFILE: until attach says it traces
wait_tracing() {
	local i
	for i in $(seq 200); do
		grep -q '^iolockprof: profiling' "$1" && return 0
		sleep 0.05
	done
	show "$1"
	fail "attach did not start tracing"
}

# nanosleep calls / total_ns / unfinished of a JSON report
naps_field() {
	jq "[.processes[].syscalls[] | select(.name == \"nanosleep\") | .$2] | add // 0" "$1"
}

nfiles() {
	local i=0
	while [ -e "$1.$((i + 1))" ]; do i=$((i + 1)); done
	echo "$i"
}

# attach_gated NAME NAPS USEC ATTACH_OPTS...: attach to a gated naps NAPS
# USEC, --format json -o $T/NAME.json, then let it go; until it exits
attach_gated() {
	local name=$1 naps=$2 usec=$3 g a rc
	shift 3
	gated g "$T/go.$name" "$naps" "$usec"
	ilp attach "$@" --format json -o "$T/$name.json" "$g" 2> "$T/$name.err" &
	a=$!
	bg_track "$a"
	wait_tracing "$T/$name.err"
	echo go > "$T/go.$name"
	wait "$a"
	rc=$?
	[ $rc -eq 0 ] || { show "$T/$name.err"; fail "$name: exit status $rc, want 0"; }
}

# ---- --duty 100: exact ----
attach_gated a 20 50000 --continuous --duty 100 --duty-period 0.2 --window 0.3
n=$(nfiles "$T/a.json")
[ "$n" -ge 2 ] || { show "$T/a.err"; fail "duty 100: $n window files over 1 s of 0.3 s windows, want >= 2"; }
sum=0
prev_end=$(jq .capture.start_ns "$T/a.json.1")
for f in $(seq -f "$T/a.json.%g" "$n") "$T/a.json"; do
	expect_eq "$f: sampling.duty" "$(jq .capture.sampling.duty "$f")" 1 "$f"
	expect_eq "$f: cumulative" "$(jq .capture.cumulative "$f")" false "$f"
	expect_eq "$f: starts where the last one ended" "$(jq .capture.window_start_ns "$f")" "$prev_end"
	prev_end=$(jq .capture.window_end_ns "$f")
	sum=$((sum + $(naps_field "$f" calls)))
done
expect_eq "duty 100: last report's interval" "$(jq .capture.interval "$T/a.json")" $((n + 1))
expect_eq "duty 100: nanosleeps over all windows" "$sum" 20

# ---- --duty 50: sampled, nothing across an edge ----
attach_gated b 40 50000 --continuous --duty 50 --duty-period 0.4 --window 0.8
n=$(nfiles "$T/b.json")
[ "$n" -ge 1 ] || { show "$T/b.err"; fail "duty 50: no window file over 2 s of 0.8 s windows"; }
calls=0
ns=0
cap=0
for f in $(seq -f "$T/b.json.%g" "$n") "$T/b.json"; do
	expect_eq "$f: sampling" "$(jq -c '.capture.sampling | [.duty, .period_ns]' "$f")" \
		"[0.5,400000000]" "$f"
	expect_eq "$f: span is the window" \
		"$(jq '.capture.sampling.span_ns == .capture.duration_ns' "$f")" true "$f"
	expect_eq "$f: captured at most the span" \
		"$(jq '.capture.sampling.captured_ns <= .capture.sampling.span_ns' "$f")" true "$f"
	u=$(naps_field "$f" unfinished)
	[ "$u" -le 1 ] || { show "$f" 200; fail "$f: $u unfinished nanosleeps, want <= 1"; }
	calls=$((calls + $(naps_field "$f" calls)))
	ns=$((ns + $(naps_field "$f" total_ns)))
	cap=$((cap + $(jq .capture.sampling.captured_ns "$f")))
done
[ "$calls" -ge 1 ] || fail "duty 50: no nanosleep counted"
[ "$ns" -le "$cap" ] || fail "duty 50: $calls nanosleeps counted for $ns ns, more than the $cap ns captured (a call across a capture edge was counted)"
[ "$calls" -lt 40 ] || fail "duty 50: all 40 nanosleeps counted with half the time captured"

# ---- text: a sampled line per report ----
start_sleeper s 30
ilp attach --continuous --duty 50 --duty-period 0.2 --window 0.4 -d 1.1 "$s" > /dev/null 2> "$T/t.err"
rc=$?
[ $rc -eq 0 ] || { show "$T/t.err"; fail "text: exit status $rc, want 0"; }
hdr=$(grep -c '^iolockprof .*: where the time goes' "$T/t.err")
[ "$hdr" -ge 2 ] || { show "$T/t.err" 100; fail "text: $hdr reports, want >= 2"; }
expect_eq "text: sampled lines" "$(grep -c '^sampled:  50 % duty (100 ms of every 200 ms): ' "$T/t.err")" "$hdr" "$T/t.err"
expect_eq "text: the last report" "$(grep -c -- "-- last report $hdr, interval" "$T/t.err")" 1 "$T/t.err"
expect_eq "text: interim reports before it" "$(grep -c -- '-- interim report [0-9]*, interval' "$T/t.err")" \
	$((hdr - 1)) "$T/t.err"

# ---- prom: the gauge, cumulative ----
ilp attach --continuous --duty 50 --duty-period 0.2 --window 0.4 -d 1 --format prom \
	-o "$T/p.prom" "$s" 2> "$T/p.err" || { show "$T/p.err"; fail "prom: attach failed"; }
expect_eq "prom: duty gauge" "$(grep -c '^iolockprof_sampling_duty_ratio 0.500$' "$T/p.prom")" 1 "$T/p.prom"
grep -q '^iolockprof_sampling_captured_seconds_total [0-9.]*$' "$T/p.prom" ||
	{ show "$T/p.prom" 40; fail "prom: no captured-seconds counter"; }

# ---- SIGINT: the last window still comes ----
ilp attach --continuous --window 30 --format json -o "$T/i.json" "$s" 2> "$T/i.err" &
a=$!
bg_track "$a"
wait_tracing "$T/i.err"
sleep 0.5
kill -INT "$a"
wait "$a"
rc=$?
[ $rc -eq 0 ] || { show "$T/i.err"; fail "SIGINT: exit status $rc, want 0"; }
expect_eq "SIGINT: no window closed" "$(nfiles "$T/i.json")" 0
expect_eq "SIGINT: the partial window's report, sampled" \
	"$(jq -c '[.capture.interval, .capture.sampling.duty]' "$T/i.json")" "[1,0.1]" "$T/i.json"
expect_eq "SIGINT: the sleeper's section, named" \
	"$(jq -c "[.processes[] | select(.pid == $s) | .comm]" "$T/i.json")" '["sleeper"]' "$T/i.json"

# ---- usage ----
"$ILP" attach --duty 20 "$s" 2> "$T/u1"
expect_eq "--duty without --continuous: exit" "$?" 2 "$T/u1"
"$ILP" attach --continuous --interval 1 "$s" 2> "$T/u2"
expect_eq "--continuous --interval: exit" "$?" 2 "$T/u2"
"$ILP" attach --continuous --duty-period 0.05 "$s" 2> "$T/u4"
expect_eq "--duty-period 0.05: exit" "$?" 2 "$T/u4"
"$ILP" run --continuous -- true 2> "$T/u3"
expect_eq "run --continuous: exit" "$?" 2 "$T/u3"
kill "$s"
exit 0
