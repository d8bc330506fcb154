#!/bin/bash
# Signals and a reader that goes away (issue 13.5):
#  - attach --interval N PID | head -2: the reader leaves after the first
#    interim report; iolockprof must end within a few seconds (not die of
#    SIGPIPE with its instances left tracing), the target must run on;
#  - SIGQUIT ends attach like SIGTERM (report written, exit 0), and under
#    run it is passed on to the app (exit 131, report written);
#  - run's app gets SIGPIPE's default back (iolockprof ignores it): a
#    writer to a closed pipe dies of it (exit 141), it does not see EPIPE.
# backend: any
. "$(dirname "$0")/lib.sh"
set -m	# background jobs keep SIGINT/SIGQUIT (no job control: ignored)

instances() { ls -d "$TRACEFS"/instances/iolockprof-* 2>/dev/null | sort; }

for be in $(backends); do
	# --- a reader that leaves: stdout, then stderr, as the report's stream ---
	for how in stdout stderr; do
		start_sleeper spid 30
		bg_track "$spid"
		before=$(instances)
		if [ $how = stdout ]; then
			( "$ILP" attach --backend="$be" --interval 0.3 -o /dev/stdout "$spid" 2> "$T/err.$how";
			  echo $? > "$T/rc.$how" ) | head -2 > "$T/head.$how" &
		else
			( "$ILP" attach --backend="$be" --interval 0.3 "$spid" 2>&1;
			  echo $? > "$T/rc.$how" ) | head -2 > "$T/head.$how" &
		fi
		pipe_pid=$!
		for _ in $(seq 100); do [ -s "$T/rc.$how" ] && break; sleep 0.1; done
		[ -s "$T/rc.$how" ] || { show "$T/err.$how"; fail "$be $how: iolockprof still running 10 s after its reader left"; }
		wait "$pipe_pid" 2>/dev/null
		expect_eq "$be $how: exit status after the reader left" "$(cat "$T/rc.$how")" 0 "$T/err.$how"
		expect_eq "$be $how: lines the reader got" "$(wc -l < "$T/head.$how")" 2 "$T/head.$how"
		[ $how = stdout ] && { grep -v "^iolockprof: profiling $spid (sleeper) with $be until it exits or Ctrl-C (kill -INT [0-9]*); a report every 0.3 s$" "$T/err.$how" | grep -q . && { show "$T/err.$how"; fail "$be $how: stderr holds more than the announcement"; }; }
		expect_eq "$be $how: tracefs instances after" "$(instances)" "$before"
		proc_running "$spid" || fail "$be $how: the target died with the reader"
		kill "$spid"
	done

	# --- SIGQUIT to attach: ends it, report written ---
	start_sleeper spid 30
	bg_track "$spid"
	"$ILP" attach --backend="$be" -o "$T/q.attach" "$spid" 2> "$T/q.err" &
	ilp_pid=$!
	bg_track "$ilp_pid"
	sleep 1
	kill -QUIT "$ilp_pid"
	wait_gone "$ilp_pid" 5 || fail "$be: attach still running 5 s after SIGQUIT"
	wait "$ilp_pid"
	expect_eq "$be: attach exit after SIGQUIT" "$?" 0 "$T/q.err"
	expect_range "$be: nanosleep calls of the attached sleeper in ~1 s" \
		"$(sc_count "$T/q.attach" "$spid" nanosleep)" 1 200 "$T/q.attach"
	proc_running "$spid" || fail "$be: the attached sleeper died of iolockprof's SIGQUIT"
	kill "$spid"

	# --- SIGQUIT to run: passed on to the app ---
	"$ILP" run --backend="$be" -o "$T/q.run" -- "$WL/sleeper" 30 > "$T/q.out" 2> "$T/q.rerr" &
	ilp_pid=$!
	bg_track "$ilp_pid"
	sleep 1
	spid=$(cat "$T/q.out")
	[ -n "$spid" ] || { show "$T/q.rerr"; fail "$be: sleeper did not start within 1 s"; }
	bg_track "$spid"
	kill -QUIT "$ilp_pid"
	wait_gone "$ilp_pid" 6 || fail "$be: run still running 6 s after SIGQUIT"
	wait "$ilp_pid"
	expect_eq "$be: run exit after SIGQUIT (app killed by it)" "$?" 131 "$T/q.rerr"
	[ -n "$(pid_section "$T/q.run" "$spid")" ] || { show "$T/q.run"; fail "$be: no report section for the app after SIGQUIT"; }

	# --- run's app: SIGPIPE is not ignored ---
	"$ILP" run --backend="$be" -o "$T/p.run" -- bash -c 'yes | head -c 1 > /dev/null; exit "${PIPESTATUS[0]}"' 2> "$T/p.err"
	expect_eq "$be: exit of 'yes' writing to a closed pipe under run" "$?" 141 "$T/p.err"
done

# ftrace: a second signal ends the capture at once; a command that ignored
# the first one runs on untraced (it was killed on the way out, before)
if [ "${ILP_BACKEND:-}" != ptrace ]; then
	"$ILP" run -o "$T/t2" -- bash -c 'trap "" TERM; echo $$; sleep 4' > "$T/t2.out" 2> "$T/t2.err" &
	ilp_pid=$!
	bg_track "$ilp_pid"
	for _ in $(seq 50); do [ -s "$T/t2.out" ] && break; sleep 0.1; done
	app=$(head -1 "$T/t2.out")
	[ -n "$app" ] || { show "$T/t2.err"; fail "the TERM-ignoring command did not start"; }
	bg_track "$app"
	kill -TERM "$ilp_pid"
	sleep 0.5
	kill -TERM "$ilp_pid"
	wait_gone "$ilp_pid" 5 || fail "run still running 5 s after a second SIGTERM"
	wait "$ilp_pid"
	expect_eq "run exit after two SIGTERMs (the command still runs)" "$?" 130 "$T/t2.err"
	proc_running "$app" || fail "the command was killed when the capture ended"
	[ -n "$(pid_section "$T/t2" "$app")" ] || { show "$T/t2"; fail "no report after two SIGTERMs"; }
fi
exit 0
