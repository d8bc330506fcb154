#!/bin/bash
# A name collision is never resolved by removing: when the instance (or
# its -sys companion) a session chose exists already, the session picks
# another name and leaves the existing one alone.  The test fixes the
# tokens a session tries (ILP_TEST_INSTANCE_TOKENS, a test hook) and
# pre-makes the directories: iolockprof-A, iolockprof-B-sys; it must end up
# on C, with A and B-sys untouched and no lock file of A or B left.
. "$(dirname "$0")/lib.sh"

I=$TRACEFS/instances
a=$(new_token) b=$(new_token) c=$(new_token)
for n in "iolockprof-$a" "iolockprof-$b-sys"; do
	on_exit "rmdir '$I/$n' 2>/dev/null"
	mkdir "$I/$n" || fail "cannot create $I/$n"
done
echo 1 > "$I/iolockprof-$a/tracing_on"

ILP_TEST_INSTANCE_TOKENS="$a,$b,$c" "$ILP" run -o "$T/report" -- "$WL/sleeper" 1 \
	> /dev/null 2> "$T/err" &
pid=$!
bg_track "$pid"
wait_instance_of name "$pid" 10 || { show "$T/err"; fail "the session made no instance"; }
expect_eq "the session's instance" "$name" "iolockprof-$c"
wait "$pid"
rc=$?
expect_eq "exit" "$rc" 0 "$T/err"
[ -s "$T/err" ] && { show "$T/err"; fail "stderr not empty"; }
p=$(pids_named "$T/report" sleeper)
[ -n "$p" ] || { show "$T/report"; fail "no sleeper section"; }
[ "$(sc_count "$T/report" "$p" nanosleep)" -ge 50 ] || { show "$T/report"; fail "too few nanosleep calls"; }

[ -d "$I/iolockprof-$a" ] || fail "pre-made iolockprof-$a was removed"
[ "$(cat "$I/iolockprof-$a/tracing_on")" = 1 ] || fail "pre-made iolockprof-$a was changed"
[ -d "$I/iolockprof-$b-sys" ] || fail "pre-made iolockprof-$b-sys was removed"
for n in "$b" "$c" "$c-sys"; do
	[ -d "$I/iolockprof-$n" ] && fail "the session left iolockprof-$n"
done
for n in "$a" "$b" "$c"; do
	[ -e "$ILP_LOCKDIR/iolockprof-$n.lock" ] && fail "lock file of iolockprof-$n left behind"
done
exit 0
