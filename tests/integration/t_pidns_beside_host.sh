#!/bin/bash
# A session inside a pid namespace beside a host session: neither touches
# the other's instances, both count exactly, three rounds started at once.
# (Before: the namespaced session judged the host's instance dead by
# kill(pid, 0) in its own namespace and removed it while it was set up:
# the host session failed in 2 runs of 3 with a false "a needed tracepoint
# ... is missing", exit 125; such a removal once oopsed the kernel.)
# Also kept: an older version's instance named for a live host pid, and
# iolockprof-1, the name an older version takes as pid 1 of a namespace
# (it destroyed an existing one on EEXIST).
. "$(dirname "$0")/lib.sh"

command -v unshare > /dev/null || skip "no unshare(1)"
unshare -p -f --mount-proc true 2> /dev/null || skip "cannot create a pid namespace here"

I=$TRACEFS/instances
sleep 60 &
hostpid=$!
bg_track "$hostpid"
for n in iolockprof-1 "iolockprof-$hostpid"; do
	[ -e "$I/$n" ] && skip "$I/$n exists already (another session's)"
	on_exit "rmdir '$I/$n' 2>/dev/null"
	mkdir "$I/$n" || fail "cannot create $I/$n"
done

for round in 1 2 3; do
	timeout -k 5 "$ILP_TIMEOUT" unshare -p -f --mount-proc \
		"$ILP" run -o "$T/ns$round" -- "$WL/writes" 20001 2> "$T/nse$round" &
	nsp=$!
	ilp run -o "$T/host$round" -- "$WL/writes" 20001 2> "$T/hoste$round"
	hrc=$?
	wait "$nsp"
	nrc=$?
	expect_eq "round $round: host session exit" "$hrc" 0 "$T/hoste$round"
	expect_eq "round $round: namespaced session exit" "$nrc" 0 "$T/nse$round"
	[ -s "$T/hoste$round" ] && { show "$T/hoste$round"; fail "round $round: host session stderr not empty"; }
	for s in host ns; do
		r=$T/$s$round
		p=$(pids_named "$r" writes)
		expect_eq "round $round: $s session: process sections" "$(all_pids "$r" | grep -c .)" 1 "$r"
		expect_eq "round $round: $s session: write calls" "$(sc_count "$r" "$p" write)" 20001 "$r"
		expect_eq "round $round: $s session: lost events" "$(lost_events "$r")" 0 "$r"
	done
	for n in iolockprof-1 "iolockprof-$hostpid"; do
		[ -d "$I/$n" ] || fail "round $round: $n (not provably dead) was removed"
	done
done
exit 0
