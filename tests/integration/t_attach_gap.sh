#!/bin/bash
# attach to a process writing 1 byte to /dev/null in a tight loop (fd 3,
# opened before the capture): the calls it makes between the events going
# on and the scan of its fds that names them are /dev/null's too, not
# "fd 3 (unresolved)" (the fds named just before the events went on, and
# again after with the same names, hold those names from the events'
# start).  Twice: every write of the process on "dev /dev/null", no
# unresolved object (the storm may overflow the buffer: lost events are
# counted and said, not asserted).  Then attach -d 0.2 to an open storm
# ends (within 30 s; it once ran for the target's whole life) and leaves
# the target running.
. "$(dirname "$0")/lib.sh"

"$WL/writes" 2000000000 /dev/null &
w=$!
bg_track "$w"
for i in $(seq 100); do
	[ "$(readlink "/proc/$w/fd/3" 2> /dev/null)" = /dev/null ] && break
	sleep 0.05
done
[ "$(readlink "/proc/$w/fd/3")" = /dev/null ] || fail "writes did not open /dev/null on fd 3"
for k in 1 2; do
	ilp attach -o "$T/r$k" -d 0.3 "$w" 2> "$T/e$k" || { show "$T/e$k"; fail "attach $k failed"; }
	grep -q 'unresolved' "$T/r$k" && { show "$T/r$k"; fail "attach $k: an unresolved fd"; }
	calls=$(sc_count "$T/r$k" "$w" write)
	[ "${calls:-0}" -gt 1000 ] || { show "$T/r$k"; fail "attach $k: only '$calls' writes"; }
	on_null=$(awk '$1 == "dev" && $2 == "/dev/null" { print $5; exit }' "$T/r$k")
	expect_eq "attach $k: writes on dev /dev/null = write calls" "$on_null" "$calls" "$T/r$k"
done
kill "$w"

# an open storm (io_reopen: open, read, close, a million times a second
# untraced; 10^8 of them last over a minute): attach -d 0.2 ends, well
# before the target (a drain of a round of its /proc reads once held the
# session for the target's whole life), and the target runs on
printf 'key = value\n' > "$T/app.conf"
"$WL/io_reopen" 100000000 "$T/app.conf" &
w=$!
bg_track "$w"
sleep 0.3
timeout -s KILL 30 "$ILP" attach -o "$T/storm" -d 0.2 "$w" 2> "$T/es"
rc=$?
[ $rc -eq 0 ] || { show "$T/es"; fail "attach -d 0.2 to an open storm: exit $rc (137: still running after 30 s)"; }
proc_running "$w" || fail "the open storm's process is not running after attach"
kill "$w"
exit 0
