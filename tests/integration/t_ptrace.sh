#!/bin/bash
# The ptrace backend, as an unprivileged user (uid 65534 via setpriv):
# auto falls back to ptrace with one line on stderr and says so in the
# report; write counts of writes 1000, threads 4 500 and forkexec 3 100
# equal the ftrace backend's (run as root) and the known truth; exit
# statuses pass through; signals reach the app and a group-stop holds;
# attach + detach leaves the target running untraced; --stacks names the
# function and line of the loop that makes the calls.
# backend: any (when tracefs is unusable, run.sh sets ILP_BACKEND=ptrace:
# the comparisons with the ftrace backend are left out, the truths stay)
. "$(dirname "$0")/lib.sh"
have_ftrace() { [ -z "${ILP_BACKEND:-}" ]; }
src=$(cd "$(dirname "$0")/../workloads" && pwd)/stacks.c

command -v setpriv > /dev/null || skip "setpriv not installed"
asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
asnobody "$ILP" --version > /dev/null 2>&1
rc=$?
[ $rc -eq 126 ] || [ $rc -eq 127 ] && skip "$ILP cannot be executed by uid 65534 (directory permissions)"
for w in writes threads forkexec exitcode sigcount sleeper stacks; do
	asnobody test -x "$WL/$w" || skip "$WL/$w cannot be executed by uid 65534 (build it: make workloads)"
done
N="$T/nobody"
mkdir "$N" && chmod 777 "$N" && chmod 755 "$T" || fail "cannot make $N"
cd / || fail "cd /"
# nilp ARGS...: the tool as uid 65534, under the time limit
nilp() { asnobody timeout -k 5 "$ILP_TIMEOUT" "$ILP" "$@"; }
fallback_line='iolockprof: tracefs not usable (not root): using the ptrace backend (no disk requests, kernel locks or off-CPU state; higher overhead)'

# --- auto falls back, counts match ftrace's exactly ---
nilp run -o "$N/w" -- "$WL/writes" 1000 2> "$T/w.err"
rc=$?
[ $rc -eq 0 ] || { show "$T/w.err"; show "$N/w"; fail "writes 1000 as nobody: exit $rc"; }
expect_eq "stderr of the fallback" "$(cat "$T/w.err")" "$fallback_line"
grep -qx 'backend:  ptrace' "$N/w" || { show "$N/w"; fail "report header does not say backend: ptrace"; }
grep -q '^note: .*no disk requests, kernel locks or off-CPU state.* stops (' "$N/w" ||
	{ show "$N/w"; fail "report header has no ptrace note with the stop count"; }
p=$(pids_named "$N/w" writes)
expect_eq "writes 1000: ptrace write count" "$(sc_count "$N/w" "$p" write)" 1000 "$N/w"
if have_ftrace; then
	ilp run --backend=ftrace -o "$T/wf" -- "$WL/writes" 1000 2> "$T/wf.err" || { show "$T/wf.err"; fail "ftrace run failed"; }
	pf=$(pids_named "$T/wf" writes)
	expect_eq "writes 1000: ftrace write count" "$(sc_count "$T/wf" "$pf" write)" 1000 "$T/wf"
	expect_eq "writes 1000: ptrace openat = ftrace openat" "$(sc_count "$N/w" "$p" openat)" \
		"$(sc_count "$T/wf" "$pf" openat)" "$N/w"
fi

nilp run -o "$N/t" -- "$WL/threads" 4 500 2> "$T/t.err"
rc=$?
[ $rc -eq 0 ] || { show "$T/t.err"; show "$N/t"; fail "threads 4 500 as nobody: exit $rc"; }
p=$(pids_named "$N/t" threads)
expect_eq "threads: ptrace write count" "$(sc_count "$N/t" "$p" write)" 2000 "$N/t"
expect_eq "threads: ptrace threads (main + 4)" "$(hdr_field "$N/t" "$p" threads)" 5 "$N/t"
if have_ftrace; then
	ilp run --backend=ftrace -o "$T/tf" -- "$WL/threads" 4 500 2> "$T/tf.err" || fail "ftrace threads failed"
	pf=$(pids_named "$T/tf" threads)
	expect_eq "threads: ftrace write count" "$(sc_count "$T/tf" "$pf" write)" 2000 "$T/tf"
	expect_eq "threads: ptrace threads" "$(hdr_field "$N/t" "$p" threads)" "$(hdr_field "$T/tf" "$pf" threads)" "$N/t"
fi
expect_eq "threads: process sections" "$(all_pids "$N/t" | grep -c .)" 1 "$N/t"

nilp run -o "$N/f" -- "$WL/forkexec" 3 100 "$WL/writes" 2> "$T/f.err"
rc=$?
[ $rc -eq 0 ] || { show "$T/f.err"; show "$N/f"; fail "forkexec as nobody: exit $rc"; }
counts() { local r=$1 q; for q in $(pids_named "$r" writes); do sc_count "$r" "$q" write; done | sort | tr '\n' ' '; }
expect_eq "forkexec: write counts of the writes sections (ptrace)" "$(counts "$N/f")" "100 100 100 " "$N/f"
if have_ftrace; then
	ilp run --backend=ftrace -o "$T/ff" -- "$WL/forkexec" 3 100 "$WL/writes" 2> "$T/ff.err" || fail "ftrace forkexec failed"
	expect_eq "forkexec: ptrace = ftrace" "$(counts "$N/f")" "$(counts "$T/ff")" "$N/f"
fi
for q in $(pids_named "$N/f" forkexec); do
	expect_eq "forkexec parent writes" "$(sc_count "$N/f" "$q" write)" 0 "$N/f"
done

# --- exit status ---
nilp run -o "$N/e" -- "$WL/exitcode" 7 2> /dev/null
expect_eq "exitcode 7" "$?" 7
grep -qx 'exit:     7' "$N/e" || { show "$N/e"; fail "report does not say exit: 7"; }
nilp run -o "$N/e" -- "$WL/exitcode" -9 2> /dev/null
expect_eq "exitcode -9" "$?" 137
nilp run --backend=ptrace -o "$N/e" -- /nonexistent/cmd 2> "$T/e.err"
expect_eq "missing command" "$?" 127
expect_one_line "missing command" "$T/e.err"

# --- signals reach the app; SIGSTOP/SIGCONT work (group-stop) ---
nilp run --backend=ptrace -o "$N/s" -- "$WL/sigcount" 3 20 > "$T/s.out" 2> "$T/s.err" &
runner=$!
for i in $(seq 100); do [ -s "$T/s.out" ] && break; sleep 0.05; done
sp=$(head -n 1 "$T/s.out")
[ -n "$sp" ] && [ -d "/proc/$sp" ] || fail "sigcount did not print its pid"
bg_track "$sp"
kill -USR1 "$sp"; sleep 0.2
kill -STOP "$sp"
st=""
for i in $(seq 40); do
	st=$(sed 's/^.*) //' "/proc/$sp/stat" | cut -d' ' -f1)
	case $st in T | t) break ;; esac
	sleep 0.05
done
# a traced process in group-stop shows 't' (held by PTRACE_LISTEN)
case $st in T | t) ;; *) fail "sigcount state after SIGSTOP: '$st', want T or t" ;; esac
c1=$(awk '{ print $14 + $15 }' "/proc/$sp/stat")
sleep 0.3
st=$(sed 's/^.*) //' "/proc/$sp/stat" | cut -d' ' -f1)
case $st in T | t) ;; *) fail "sigcount not stopped 0.3 s after SIGSTOP: '$st'" ;; esac
expect_eq "sigcount cpu ticks while stopped" "$(awk '{ print $14 + $15 }' "/proc/$sp/stat")" "$c1"
kill -CONT "$sp"
# running again: S or R seen within 2 s ('t' in between is a normal
# syscall or signal stop of a traced process, not the group-stop)
for i in $(seq 40); do
	st=$(sed 's/^.*) //' "/proc/$sp/stat" | cut -d' ' -f1)
	case $st in S | R) break ;; esac
	sleep 0.05
done
case $st in S | R) ;; *) fail "sigcount state after SIGCONT: '$st', want S or R" ;; esac
kill -USR1 "$sp"; sleep 0.2
kill -USR1 "$sp"
wait "$runner"
rc=$?
[ $rc -eq 0 ] || { show "$T/s.out"; show "$T/s.err"; show "$N/s"; fail "sigcount under ptrace: exit $rc, want 0"; }
expect_eq "sigcount output" "$(tail -n 1 "$T/s.out")" "got 3"

# --- --stacks: function and line of the loop ---
nilp run --backend=ptrace --stacks -o "$N/k" -- "$WL/stacks" 1000 2> "$T/k.err"
rc=$?
[ $rc -eq 0 ] || { show "$T/k.err"; show "$N/k"; fail "--stacks: exit $rc"; }
lf=$(grep -n 'CALL SITE fetch_user' "$src" | cut -d: -f1)
ls=$(grep -n 'CALL SITE save_user' "$src" | cut -d: -f1)
row=$(grep "write from fetch_user (stacks.c:$lf)\$" "$N/k")
[ -n "$row" ] || { show "$N/k" 80; fail "--stacks: no 'write from fetch_user (stacks.c:$lf)' row"; }
expect_eq "--stacks: fetch_user write calls" "$(echo "$row" | awk '{ print $2 }')" 1000 "$N/k"
row=$(grep "write from save_user (stacks.c:$ls)\$" "$N/k")
expect_eq "--stacks: save_user write calls" "$(echo "$row" | awk '{ print $2 }')" 500 "$N/k"
grep -qF "call site: write from fetch_user (stacks.c:$lf) (1000 of 1500 write calls)" "$N/k" ||
	{ show "$N/k" 20; fail "--stacks: the unbuffered finding does not name fetch_user (stacks.c:$lf)"; }

# --- attach and detach as nobody ---
scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)
if [ "$scope" -ge 1 ]; then
	note "attach part skipped: kernel.yama.ptrace_scope=$scope forbids attaching to a non-descendant"
	exit 0
fi
asnobody "$WL/sleeper" 30 threads > "$T/sl.out" &
bg_track $!
for i in $(seq 100); do [ -s "$T/sl.out" ] && break; sleep 0.05; done
slp=$(cat "$T/sl.out")
bg_track "$slp"
expect_eq "sleeper comm" "$(cat "/proc/$slp/comm" 2>/dev/null)" sleeper
expect_eq "sleeper uid" "$(awk '/^Uid:/ { print $2 }' "/proc/$slp/status")" 65534
nilp attach -d 1 -o "$N/a" "$slp" 2> "$T/a.err"
rc=$?
[ $rc -eq 0 ] || { show "$T/a.err"; show "$N/a"; fail "attach as nobody: exit $rc"; }
expect_eq "attach stderr" "$(sed 's/kill -INT [0-9]*/kill -INT P/' "$T/a.err")" "$fallback_line
iolockprof: profiling $slp (sleeper) with ptrace until it exits or Ctrl-C (kill -INT P), 1 s at most"
grep -q '^note: .*attach: every syscall stops the app' "$N/a" || { show "$N/a"; fail "attach note missing"; }
expect_eq "attach: threads of sleeper" "$(hdr_field "$N/a" "$slp" threads)" 3 "$N/a"
# 3 threads x ~100 loops/s for 1 s: one write and one nanosleep per loop
expect_range "attach: writes in 1 s" "$(sc_count "$N/a" "$slp" write)" 150 330 "$N/a"
sleep 0.3
proc_running "$slp" || fail "sleeper is not running after detach"
for tid in $(ls "/proc/$slp/task"); do
	expect_eq "TracerPid of $tid after detach" "$(awk '/^TracerPid:/ { print $2 }' "/proc/$slp/task/$tid/status")" 0
done
sleep 0.5
proc_running "$slp" || fail "sleeper died after detach"
kill "$slp"
exit 0
