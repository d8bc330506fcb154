#!/bin/bash
# --sleep-stacks: where blocked calls slept in the kernel.
#   - pipe_sleeps 25: the parent's 25 reads each sleep exactly once in the
#     kernel's pipe read (anon_pipe_read; pipe_read before Linux 6.15):
#     "read waited in ... (pipe empty): 25 sleeps", in text and JSON, and
#     its blocking row says so;
#   - naps 7: 7 nanosleep calls, each one sleep in do_nanosleep; with
#     --slow 1 each is a slow call that says so;
#   - pipe_block 300: the [slow call] finding on its read says where;
#   - io_fsync 200 on a real file: its fsyncs slept in journal or writeback
#     functions (on ext4 exactly those the kernel's fsync path has), and
#     the [fsync storm] finding says where;
#   - the trigger is the private instance's: the top level's sched_switch
#     trigger is untouched, and it is removed (written "!stacktrace")
#     before the instance is; a session killed with it set leaves an
#     instance the next one removes all the same;
#   - attach: a running sleeper's naps slept in do_nanosleep;
#   - without the option: no stacks, no "waited in".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

top_trigger=$(grep -v '^#' "$TRACEFS/events/sched/sched_switch/trigger")

# ---- pipe: exactly 25 sleeps in the pipe read ----
ilp run --sleep-stacks -o "$T/pipe" -- "$WL/pipe_sleeps" 25 > "$T/out" 2> "$T/err" ||
	{ show "$T/err"; fail "pipe_sleeps: exit status $?"; }
pid=$(printf '%s\n' $(pids_named "$T/pipe" pipe_sleeps) | head -n 1)	# the parent
sec=$(awk -v pid="$pid" '/^== Blocking calls ==/ { on = 1; next } /^== / { on = 0 }
	on && /^pid / { p = ($2 == pid) } on && p' "$T/pipe")
line=$(grep -E '^  read waited in (anon_)?pipe_read \(pipe empty\): ' <<< "$sec")
[ -n "$line" ] || { show "$T/pipe" 200; fail "no 'read waited in pipe_read (pipe empty)' line for pid $pid"; }
expect_eq "pipe reads: lines" "$(wc -l <<< "$line")" 1 "$T/pipe"
expect_eq "pipe reads: sleeps" "$(sed -E 's/.*\): ([0-9]+) sleeps?, .*/\1/' <<< "$line")" 25 "$T/pipe"
fd=$(awk '{ print $2 }' "$T/out")
row=$(awk -v pid="$pid" '$1 == pid && $2 == "read"' <<< "$sec")
grep -Eq "fd:$fd \(pipe .*\)  waited in (anon_)?pipe_read \(pipe empty\)$" <<< "$row" ||
	{ show "$T/pipe" 200; fail "the blocking read row does not say where it waited: $row"; }

# JSON: the same numbers
ilp run --sleep-stacks --format json -o "$T/pipe.json" -- "$WL/pipe_sleeps" 25 > /dev/null 2> "$T/err" ||
	{ show "$T/err"; fail "pipe_sleeps (json): exit status $?"; }
got=$(python3 - "$T/pipe.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
procs = sorted((p for p in r["processes"] if p["comm"] == "pipe_sleeps"), key=lambda p: p["pid"])
ks = [k for k in procs[0]["kernel_sleeps"] if k["syscall"] == "read"]
b = [b for b in procs[0]["blocking_calls"] if b["syscall"] == "read"]
print(len(ks), ks[0]["function"].replace("anon_", ""), ks[0]["reason"], ks[0]["sleeps"],
      ks[0]["total_ns"] > 0, b[0].get("waited_in", "").replace("anon_", ""))
EOF
)
expect_eq "json: read rows, function, reason, sleeps, time, blocking row" "$got" \
	"1 pipe_read pipe empty 25 True pipe_read" "$T/pipe.json"

# ---- nanosleep: one sleep per call in do_nanosleep ----
ilp run --sleep-stacks --slow 1 --min-saving 0 --all -o "$T/naps" -- "$WL/naps" 7 2000 2> "$T/err" ||
	{ show "$T/err"; fail "naps: exit status $?"; }
line=$(grep -E '^  nanosleep waited in ' "$T/naps")
expect_eq "nanosleep: where" "$(sed -E 's/: [0-9]+ sleeps?, .*//' <<< "$line")" \
	"  nanosleep waited in do_nanosleep (timer sleep)" "$T/naps"
expect_eq "nanosleep: sleeps" "$(sed -E 's/.*\): ([0-9]+) sleeps?, .*/\1/' <<< "$line")" 7 "$T/naps"
# each call took >= 2 ms: 7 slow calls, each saying where it slept
expect_eq "slow nanosleeps waiting in do_nanosleep" \
	"$(grep -cE '^  \+[0-9.]+ [mun]?s +[0-9]+ +nanosleep .*  waited in do_nanosleep \(timer sleep\)$' "$T/naps")" 7 "$T/naps"

# ---- a slow read (pipe_block 300): its finding says where it waited ----
ilp run --sleep-stacks -o "$T/slow" -- "$WL/pipe_block" 300 > /dev/null 2> "$T/err" ||
	{ show "$T/err"; fail "pipe_block: exit status $?"; }
blk=$(finding_block "$T/slow" "slow call")
grep -Eqx "      kernel: read waited in (anon_)?pipe_read \(pipe empty\)" <<< "$blk" ||
	{ show "$T/slow" 200; fail "the slow call finding does not say where it waited: $blk"; }

# ---- fsync on a real file: journal or writeback waits ----
if block_dir; then
	f="$dir/ilp-sleep-stacks-$$"
	on_exit "rm -f '$f'"
	fstype=$(stat -f -c %T "$dir")
	ilp run --sleep-stacks --min-saving 0 --all -o "$T/fsync" -- "$WL/io_fsync" 200 "$f" 2> "$T/err" ||
		{ show "$T/err"; fail "io_fsync: exit status $?"; }
	grep -E '^  fsync waited in ' "$T/fsync" > "$T/fsync.lines" ||
		{ show "$T/fsync" 200; fail "no 'fsync waited in' line"; }
	n=$(sed -E 's/.*: ([0-9]+) sleeps?, .*/\1/' "$T/fsync.lines" | awk '{ s += $1 } END { print s }')
	# each fsync of a dirty page waits for the disk at least once
	expect_range "fsync sleeps" "$n" 200 1000000 "$T/fsync.lines"
	# the finding says where, and it is one of the lines
	blk=$(finding_block "$T/fsync" "fsync storm")
	where=$(sed -n 's/^      kernel: //p' <<< "$blk")
	[ -n "$where" ] && grep -qF "  $where: " "$T/fsync.lines" ||
		{ show "$T/fsync" 200; fail "the fsync storm finding does not say where it waited: $blk"; }
	if [ "$fstype" = ext2/ext3 ] || [ "$fstype" = ext4 ]; then
		# ext4's fsync waits: the journal commit, or without a journal the
		# data writeback, the inode's buffer and the disk's cache flush
		bad=$(grep -v -E '^  fsync waited in (jbd2_log_wait_commit \(journal commit\)|folio_wait_writeback \(page writeback to disk\)|__sync_dirty_buffer \(metadata buffer write to disk\)|fsync_buffers_list|blkdev_issue_flush \(disk cache flush\)|wait_transaction_locked \(journal transaction locked\)):' "$T/fsync.lines")
		[ -z "$bad" ] || { show "$T/fsync.lines"; fail "fsync waited elsewhere than in ext4's fsync path: $bad"; }
	else
		note "fsync on $fstype: only counted ($(wc -l < "$T/fsync.lines") functions)"
	fi
else
	note "no directory on a block device: fsync part skipped"
fi

# ---- the trigger: set and removed in the instance only ----
command -v strace > /dev/null || skip "strace not installed (scripts/install-deps.sh test)"
strace -f -e trace=openat,rmdir -e signal=none -o "$T/trace" \
	timeout -k 5 "$ILP_TIMEOUT" "$ILP" run --sleep-stacks -o /dev/null -- "$WL/naps" 2 1000 2> "$T/err" ||
	{ show "$T/err"; fail "strace'd run: exit status $?"; }
trig=$(grep -n 'events/sched/sched_switch/trigger"' "$T/trace")
expect_eq "opens of a sched_switch trigger file" "$(grep -c . <<< "$trig")" 2 "$T/trace"
grep -q "\"$TRACEFS/instances/iolockprof-[a-z]*/events/sched/sched_switch/trigger\"" <<< "$trig" ||
	{ show "$T/trace"; fail "the trigger written is not the instance's: $trig"; }
last_trig=$(tail -n 1 <<< "$trig" | cut -d: -f1)
rm_main=$(grep -n "rmdir(\"$TRACEFS/instances/iolockprof-[a-z]*\")" "$T/trace" | tail -n 1 | cut -d: -f1)
[ -n "$rm_main" ] && [ "$last_trig" -lt "$rm_main" ] ||
	{ show "$T/trace"; fail "the trigger was not removed before the instance (lines $last_trig, $rm_main)"; }
expect_eq "the top level's sched_switch trigger" \
	"$(grep -v '^#' "$TRACEFS/events/sched/sched_switch/trigger")" "$top_trigger"

# killed with the trigger set: the next session removes the instance
"$ILP" run --sleep-stacks -o "$T/killed" -- "$WL/sleeper" 10 > /dev/null 2> "$T/killed.err" &
victim=$!
bg_track "$victim"
wait_instance_of vname "$victim" 10 || { show "$T/killed.err"; fail "the victim made no instance"; }
app=$(pgrep -P "$victim" sleeper)
[ -n "$app" ] && bg_track "$app"
grep -q '^stacktrace' "$TRACEFS/instances/$vname/events/sched/sched_switch/trigger" ||
	fail "the running session's instance has no stacktrace trigger"
kill -KILL "$victim"
wait "$victim" 2> /dev/null
ilp run -o "$T/next" -- "$WL/naps" 3 1000 2> "$T/next.err" || { show "$T/next.err"; fail "next session failed"; }
expect_gone "the killed session" "$vname"

# ---- attach: a running sleeper's naps, in do_nanosleep ----
start_sleeper s 30
ilp attach --sleep-stacks -d 1 -o "$T/attach" "$s" 2> "$T/err" || { show "$T/err"; fail "attach: exit status $?"; }
grep -Eq '^  (clock_)?nanosleep waited in do_nanosleep \(timer sleep\): [0-9]+ sleeps, ' "$T/attach" ||
	{ show "$T/attach" 200; fail "attach: the sleeper's naps are not in do_nanosleep"; }

# ---- without the option: nothing of it ----
ilp run -o "$T/plain" -- "$WL/pipe_sleeps" 5 > /dev/null 2> "$T/err" ||
	{ show "$T/err"; fail "pipe_sleeps without the option: exit status $?"; }
expect_eq "'waited in' without --sleep-stacks" "$(grep -c 'waited in' "$T/plain")" 0 "$T/plain"
exit 0
