#!/bin/bash
# make soak: instance ownership under fire (include/owner.h).
#
#   tests/integration/soak.sh BUILD_DIR
#
# For SOAK_SECONDS (default 300), SOAK_SESSIONS (default 8) slots each run
# iolockprof sessions back to back, a third of them inside
# `unshare -p -f --mount-proc` (a pid namespace), on workloads whose counts
# are known (writes N, threads T N, forkexec K N writes), and SIGKILL about
# 40 % of them at a random moment (0 to 0.6 s after the start: setup,
# capture or teardown).  Afterwards, and after one cleanup pass by a new
# session: no stale iolockprof instance and no stale lock file; every
# session that finished reported exact counts with no lost events; dmesg
# has no new warning or oops.  Prints the numbers; exit 0 if all hold.
#
# Takes the machine-wide integration lock (tracefs is shared), like run.sh.
# Needs root, tracefs and unshare(1).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: soak.sh BUILD_DIR}
build=$(cd "$build" && pwd) || exit 1
export ILP="$build/iolockprof" WL="$build/workloads"
seconds=${SOAK_SECONDS:-300}
nslots=${SOAK_SESSIONS:-8}
case "$seconds$nslots" in *[!0-9]*) echo "soak: SOAK_SECONDS and SOAK_SESSIONS are integers" >&2; exit 2 ;; esac

exec 9> "${TMPDIR:-/tmp}/iolockprof-integration.lock"
if ! flock -n 9; then
	echo "soak: an integration run is in progress; waiting for it" >&2
	flock 9
fi
[ "$(id -u)" -eq 0 ] || { echo "soak: needs root" >&2; exit 77; }
. "$here/lib.sh"
command -v unshare > /dev/null || skip "soak: no unshare(1)"
I=$TRACEFS/instances
[ -d "$I" ] || skip "soak: no tracefs at $TRACEFS"

# dmesg: the new lines since now, later
dmesg > "$T/dmesg.before" 2>/dev/null || skip "soak: cannot read dmesg"
new_dmesg() {
	local anchor
	dmesg > "$T/dmesg.after"
	anchor=$(tail -n 1 "$T/dmesg.before")
	if [ -z "$anchor" ]; then
		cat "$T/dmesg.after"
	elif grep -qxF -- "$anchor" "$T/dmesg.after"; then
		awk -v a="$anchor" 'found { print } $0 == a { found = 1 }' "$T/dmesg.after"
	else	# the ring buffer wrapped: all of it is new
		cat "$T/dmesg.after"
	fi
}
"$ILP" --remove-stale > /dev/null 2>&1
before=$(ls "$I" | grep -xE 'iolockprof-[a-z]{16}(-sys)?' | sort)

# check REPORT WORKLOAD...: "ok" if the counts are exact and nothing was lost
check() {
	local r=$1 p n
	shift
	[ "$(lost_events "$r")" = 0 ] || { echo "lost events: $(lost_events "$r")"; return; }
	case $1 in
	writes)
		p=$(pids_named "$r" writes)
		n=$(sc_count "$r" "$p" write)
		[ "$n" = "$2" ] || { echo "writes $2: got $n"; return; } ;;
	threads)
		p=$(pids_named "$r" threads)
		n=$(sc_count "$r" "$p" write)
		[ "$n" = $(( $2 * $3 )) ] || { echo "threads $2 $3: got $n"; return; } ;;
	forkexec)
		p=$(pids_named "$r" writes)
		[ "$(printf '%s\n' $p | grep -c .)" = "$2" ] || { echo "forkexec $2: $(printf '%s\n' $p | grep -c .) children"; return; }
		for n in $p; do
			[ "$(sc_count "$r" "$n" write)" = "$3" ] || { echo "forkexec child $n: $(sc_count "$r" "$n" write) writes"; return; }
		done ;;
	esac
	echo ok
}

slot() {
	local s=$1 i=0 end=$(( $(date +%s) + seconds )) wl kind kill delay r pid rc res
	while [ "$(date +%s)" -lt "$end" ]; do
		i=$((i + 1))
		case $((RANDOM % 3)) in
		0) wl="writes $((1000 + RANDOM % 30000))" ;;
		1) wl="threads 3 $((500 + RANDOM % 3000))" ;;
		2) wl="forkexec 2 $((100 + RANDOM % 2000)) $WL/writes" ;;
		esac
		kind=host
		[ $((RANDOM % 3)) -eq 0 ] && kind=ns
		kill=0
		[ $((RANDOM % 10)) -lt 4 ] && kill=1
		r=$T/s$s.$i
		if [ $kind = ns ]; then
			# --kill-child: SIGKILL to unshare reaches iolockprof (pid 1 there)
			unshare -p -f --mount-proc --kill-child=KILL "$ILP" run -o "$r" -- "$WL"/$wl \
				> /dev/null 2> "$r.err" &
		else
			"$ILP" run -o "$r" -- "$WL"/$wl > /dev/null 2> "$r.err" &
		fi
		pid=$!
		if [ $kill = 1 ]; then
			delay=$(printf '0.%03d' $((RANDOM % 600)))
			sleep "$delay"
			kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2> /dev/null
		rc=$?
		if [ $kill = 1 ] && [ $rc -eq 137 ]; then
			res=killed
		elif [ $rc -eq 0 ]; then
			res=$(check "$r" $wl)
			[ "$res" = ok ] && res=exact || res="WRONG: $res"
		else
			res="FAILED: exit $rc: $(head -c 300 "$r.err" | tr '\n' ' ')"
		fi
		echo "$kind $wl kill=$kill rc=$rc $res" >> "$T/slot$s.log"
		[ "${res%%:*}" = WRONG ] || [ "${res%%:*}" = FAILED ] && cp "$r" "$T/keep.s$s.$i" 2>/dev/null
		rm -f "$r" "$r.err"
	done
}

echo "soak: $nslots sessions at a time for ${seconds}s (a third in pid namespaces, 40 % SIGKILLed)" >&2
for s in $(seq "$nslots"); do
	slot "$s" &
done
wait
# the apps of killed host sessions may still run: let them finish
for _ in $(seq 100); do pgrep -f "^$WL/" > /dev/null || break; sleep 0.1; done

# one cleanup pass by a new session
ilp run -o "$T/final" -- "$WL/writes" 100 2> "$T/final.err"
frc=$?
after=$(ls "$I" | grep -xE 'iolockprof-[a-z]{16}(-sys)?' | sort)
stale=$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | grep -c .)
locks=0
for f in "$ILP_LOCKDIR"/iolockprof-*.lock; do
	[ -e "$f" ] || continue
	n=${f##*/}
	lock_free "${n%.lock}" && locks=$((locks + 1))
done
cat "$T"/slot*.log > "$T/all.log"
total=$(grep -c . "$T/all.log")
killed=$(grep -c ' killed$' "$T/all.log")
exact=$(grep -c ' exact$' "$T/all.log")
wrong=$(grep -c ' WRONG: ' "$T/all.log")
failedn=$(grep -c ' FAILED: ' "$T/all.log")
nsn=$(grep -c '^ns ' "$T/all.log")
nsexact=$(grep '^ns ' "$T/all.log" | grep -c ' exact$')
new_dmesg > "$T/dmesg.new"
bad=$(grep -ciE 'warning|oops|bug:|call trace|general protection|rip:' "$T/dmesg.new")

echo "soak: sessions $total (in pid namespaces: $nsn), SIGKILLed $killed, finished exact $exact (in pid namespaces: $nsexact), wrong counts $wrong, failed $failedn"
echo "soak: after one cleanup pass: stale instances $stale, free lock files left $locks (final session: exit $frc)"
echo "soak: dmesg: $(grep -c . "$T/dmesg.before") lines before, $(grep -c . "$T/dmesg.new") new, $bad with warning/oops/BUG/call trace"
grep -E ' (WRONG|FAILED): ' "$T/all.log" | head -20
[ "$bad" -eq 0 ] || sed 's/^/soak: dmesg: /' "$T/dmesg.new" | head -40
if [ "$wrong" -eq 0 ] && [ "$failedn" -eq 0 ] && [ "$stale" -eq 0 ] && [ "$locks" -eq 0 ] &&
   [ "$bad" -eq 0 ] && [ "$frc" -eq 0 ]; then
	echo "soak: PASS"
	exit 0
fi
[ -n "${SOAK_KEEP:-}" ] && cp -r "$T" "$SOAK_KEEP" && echo "soak: logs kept in $SOAK_KEEP"
echo "soak: FAIL"
exit 1
