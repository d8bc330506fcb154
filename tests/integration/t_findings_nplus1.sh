#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# io_nplus1 2000 PORT (a client doing 2000 request/response exchanges with
# a server thread over TCP on 127.0.0.1): exactly one finding, [N+1], on
# the client's socket "tcp 127.0.0.1:CPORT -> 127.0.0.1:PORT", 2000 round
# trips blocked in recvfrom; the server's side is not a finding.
# Attached to a connection older than the capture (io_nplus1 2000 PORT wait:
# connected and accepted, then the server greets first and the client reads
# the greeting before its 2000 exchanges): the same one finding, on the
# client's socket; each side comes from the kernel's socket table, not from
# the first call the capture happens to see (a write on the server's side,
# a read on the client's).
# Two connections taking turns (io_nplus1 1000 PORT two; the server answers
# them in the same turns, so it reads on one right after writing on the
# other): one cause, one finding, "2000 round trips on 2 connections to tcp
# 127.0.0.1:PORT", saving 2 x 999 exchanges (3996 syscalls); no pair
# finding on the server's accepted connections.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

for try in 1 2 3 4 5; do
	port=$(( 20000 + RANDOM % 30000 ))
	ilp run -o "$T/report" -- "$WL/io_nplus1" 2000 "$port" 2> "$T/err"
	rc=$?
	[ $rc -eq 3 ] || break		# 3: port in use, pick another
done
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
expect_findings "$T/report" 1
line=$(findings "$T/report")
printf '%s\n' "$line" | grep -Eqx "\[N\+1\] 2000 request/response round trips on tcp 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:$port" ||
	{ show "$T/report"; fail "finding line: '$line'"; }
cport=$(printf '%s\n' "$line" | sed -E 's/.* 127\.0\.0\.1:([0-9]+) -> .*/\1/')
[ "$cport" != "$port" ] || fail "client port equals server port"
blk=$(finding_block "$T/report" "N+1")
printf '%s\n' "$blk" | grep -q ' blocked in recvfrom waiting for the peer (' || { show "$T/report"; fail "evidence line"; }
printf '%s\n' "$blk" | grep -q 'why: 2000 round trips (a write, then a read returning data) >= 100 (--nplus1-min)$' ||
	{ show "$T/report"; fail "why line"; }
printf '%s\n' "$blk" | grep -q 'and 3998 syscalls (severity: ' || { show "$T/report"; fail "fix line"; }
# the server's side of the same connection is in the table, not a finding
grep -q "^  tcp 127\.0\.0\.1:$port -> 127\.0\.0\.1:$cport " "$T/report" || { show "$T/report"; fail "server-side object row"; }
ilp run --format json -o "$T/report.json" -- "$WL/io_nplus1" 2000 "$port" 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
check_sum_rule "$T/report.json"

for try in 1 2 3 4 5; do
	port=$(( 20000 + RANDOM % 30000 ))
	ilp run -o "$T/two" -- "$WL/io_nplus1" 1000 "$port" two 2> "$T/err"
	rc=$?
	[ $rc -eq 3 ] || break
done
[ $rc -eq 0 ] || { show "$T/err"; show "$T/two"; fail "two: exit status $rc, want 0"; }
expect_findings "$T/two" 1
expect_eq "two: finding line" "$(findings "$T/two")" \
	"[N+1] 2000 request/response round trips on 2 connections to tcp 127.0.0.1:$port" "$T/two"
blk=$(finding_block "$T/two" "N+1")
printf '%s\n' "$blk" | grep -q 'why: 2000 round trips on 2 connections to one peer (a write, then a read returning data; 1000 on the busiest) >= 100 (--nplus1-min)$' ||
	{ show "$T/two"; fail "two: why line"; }
printf '%s\n' "$blk" | grep -q ' on each connection; saves up to ~.* and 3996 syscalls (severity: ' ||
	{ show "$T/two"; fail "two: fix line"; }
ilp run --format json -o "$T/two.json" -- "$WL/io_nplus1" 1000 "$port" two 2> "$T/err" ||
	{ show "$T/err"; fail "two: json run failed"; }
expect_eq "two: JSON N+1 findings" "$(jq '[.findings[] | select(.kind == "nplus1")] | length' "$T/two.json")" 1 "$T/two.json"
check_sum_rule "$T/two.json"

for try in 1 2 3 4 5; do
	port=$(( 20000 + RANDOM % 30000 ))
	"$WL/io_nplus1" 2000 "$port" wait > "$T/ready" 2> "$T/wl.err" &
	wl=$!
	bg_track "$wl"
	for i in $(seq 100); do
		[ -s "$T/ready" ] || ! kill -0 "$wl" 2> /dev/null && break
		sleep 0.05
	done
	[ -s "$T/ready" ] && break
	wait "$wl"
	rc=$?
	[ $rc -eq 3 ] || { show "$T/wl.err"; fail "io_nplus1 ... wait: exit $rc before it was ready"; }
done
[ "$(cat "$T/ready")" = ready ] || fail "io_nplus1 ... wait: not ready"
ilp attach -o "$T/attach" "$wl" 2> "$T/attach.err" &
ap=$!
bg_track "$ap"
for i in $(seq 200); do
	grep -q '^iolockprof: profiling ' "$T/attach.err" && break
	kill -0 "$ap" 2> /dev/null || break
	sleep 0.05
done
grep -q '^iolockprof: profiling ' "$T/attach.err" || { show "$T/attach.err"; fail "attach did not start"; }
kill -USR1 "$wl"
wait "$ap"
rc=$?
[ $rc -eq 0 ] || { show "$T/attach.err"; show "$T/attach"; fail "attach: exit status $rc, want 0"; }
expect_findings "$T/attach" 1
line=$(findings "$T/attach")
printf '%s\n' "$line" | grep -Eqx "\[N\+1\] 2000 request/response round trips on tcp 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:$port" ||
	{ show "$T/attach"; fail "attached: finding line: '$line'"; }
exit 0
