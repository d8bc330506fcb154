#!/bin/bash
# attach with more PIDs than fit the old poll set (issue 13.7): 600
# processes, killed once attached; iolockprof must end once they all are
# gone, with a section for each.  Then the same with a file-descriptor
# limit too low for a pidfd per target: the targets without one are
# watched another way, and the capture still ends.
# backend: any
. "$(dirname "$0")/lib.sh"
N=600
start_many() {
	local i
	: > "$T/pids"
	for i in $(seq $N); do
		"$WL/sleeper" "$1" >> "$T/pids" &
		bg_track $!
	done
	for i in $(seq 200); do
		[ "$(wc -l < "$T/pids")" -ge $N ] && break
		sleep 0.05
	done
	expect_eq "sleepers started" "$(wc -l < "$T/pids")" $N
}
for be in $(backends); do
	for limit in none 256; do
		start_many 300
		# shellcheck disable=SC2046
		if [ $limit = none ]; then
			"$ILP" attach --backend="$be" -o "$T/r" $(cat "$T/pids") 2> "$T/err" &
		else
			(ulimit -n $limit; exec "$ILP" attach --backend="$be" -o "$T/r" $(cat "$T/pids")) 2> "$T/err" &
		fi
		ilp_pid=$!
		bg_track $ilp_pid
		# attached (ptrace: every target has its tracer), then calls made
		if [ "$be" = ptrace ]; then
			for _ in $(seq 300); do
				untraced=$(cat "$T/pids" | while read -r p; do
					awk '/^TracerPid:/ && $2 == 0' "/proc/$p/status" 2>/dev/null; done | wc -l)
				[ "$untraced" -eq 0 ] && break
				sleep 0.2
			done
			expect_eq "$be: targets not yet traced after 60 s" "$untraced" 0
		fi
		sleep 3
		# shellcheck disable=SC2046
		kill $(cat "$T/pids")
		wait_gone $ilp_pid 30 || fail "$be (fd limit $limit): attach of $N processes still running 30 s after they all exited"
		wait $ilp_pid
		rc=$?
		[ $rc -eq 0 ] || { show "$T/err"; fail "$be (fd limit $limit): attach exited $rc"; }
		expect_eq "$be (fd limit $limit): processes in the report" "$(all_pids "$T/r" | wc -l)" $N "$T/r"
	done
done
exit 0
