#!/bin/bash
# scripts/bench.sh BUILD_DIR - overhead of iolockprof against strace -f -c
# and perf trace -s, side by side (make bench).  Not a test: it prints a
# table and exits 0 unless it cannot run at all.
#
# First the start-up cost: iolockprof run -o /dev/null -- /bin/true against
# strace -c and perf trace -s on /bin/true, and against the kernel's share
# (--startup-floor below) (wall ms, medians of BENCH_STARTUP_REPS
# interleaved runs, default 21): what a script that wraps many short
# commands pays for each (BENCH_ONLY_STARTUP=1 runs only this).
#
# For each workload and tracer: REPS runs (default 5, env BENCH_REPS), and
# the median of
#   wall     whole command, tracer start-up and report included (GNU time %e)
#   loop     the app's own elapsed time, measured inside the app (workloads
#            print "loop_ns: N" on stderr with WL_TIME=1), tracer start-up
#            excluded
#   cpu      user+sys of the whole tree (tracer + app; GNU time %U+%S);
#            "tracer cpu" subtracts the untraced app's median cpu
#   rss      peak RSS (GNU time %M: max over the tracer and its children,
#            user memory only: kernel ring buffers are not counted)
#   writes   write(2) calls the tracer reported, against the known truth
# (BENCH_ONLY_DEMO=1 runs only the realistic row: the bundled demo.)
# "run --stacks" is iolockprof run --stacks under ftrace (the kernel walks
# the user stack along frame pointers after every event of the instance),
# "ptrace --stacks" run --backend=ptrace --stacks (libdw unwinds at each
# profiled stop), both on writes_fp and demo_fp (writes.c, demo.c with
# frame pointers): the "--stacks cost" tables (BENCH_ONLY_STACKS=1 runs
# only them).
# "ptrace backend" is iolockprof run --backend=ptrace (no root needed): a
# seccomp filter stops the app only at profiled syscalls.  "--names=exact"
# is iolockprof run --names=exact: ftrace, plus a seccomp filter that
# stops the app at path-taking and fd-making calls only (the write storm
# never stops; the open storm stops at every open).
# Then iolockprof's peak RSS at 100k, 1M and 3M calls: it plateaus (bounded by
# the per-CPU read round and the drain period), it does not grow with events.
# Then watch's own cost while nothing fires: CPU (user+sys) and peak RSS of
# iolockprof watch -d BENCH_WATCH_SECONDS (default 10) on an idle target
# (sleep), a light one (sleeper: 200 calls/s) and a busy one (naps 1 us:
# some 10^4 calls/s), beside attach -d on the same target (medians of 3;
# BENCH_ONLY_WATCH=1 runs only this).
# Then the hostile tracees of tests/integration/t_hostile_*.sh (wall time and
# peak RSS of iolockprof run, medians of 3), and the lookups that were linear
# scans, timed on large synthetic inputs (BENCH_SKIP_HOSTILE=1 skips both,
# BENCH_ONLY_HOSTILE=1 runs only them).
# Then what --lock-holds costs on a lock storm (lock_holds_bench below).
# Then what --sleep-stacks costs on sleep-heavy loads (a pipe ping-pong, an
# fsync loop): iolockprof run with and without it, interleaved, medians,
# and the cost per sleep it counted (BENCH_ONLY_SLEEP=1 runs only this).
# Then the io_uring events' extra cost: the kernel floor without and with
# them and iolockprof run, on an io_uring workload and on the write storm
# (no io_uring: nothing to record; BENCH_ONLY_URING=1 runs only this).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

# --floor CMD...: the kernel's own cost, our floor: a tracefs instance
# recording the same events iolockprof enables (raw_syscalls, pid filter,
# event-fork, mono clock, a buffer big enough to hold it all), no reader.
# With BENCH_FLOOR_URING=1, also a companion instance with no pid filter
# recording the io_uring events (as iolockprof's companion does).
if [ "${1:-}" = "--floor" ]; then
	shift
	d=/sys/kernel/tracing/instances/ilpbench-floor-$$
	mkdir "$d" || exit 1
	trap 'echo 0 > "$d/tracing_on"; rmdir "$d"; [ -d "$d-sys" ] && rmdir "$d-sys"' EXIT
	if [ "${BENCH_FLOOR_URING:-0}" = 1 ]; then
		mkdir "$d-sys" || exit 1
		echo 0 > "$d-sys/tracing_on"
		echo mono > "$d-sys/trace_clock"
		echo 65536 > "$d-sys/buffer_size_kb"
		echo 1 > "$d-sys/events/io_uring/enable" || exit 1
		echo 1 > "$d-sys/tracing_on"
	fi
	echo 0 > "$d/tracing_on"
	echo mono > "$d/trace_clock"
	echo 262144 > "$d/buffer_size_kb"
	echo 1 > "$d/options/event-fork"
	echo 1 > "$d/events/raw_syscalls/enable"
	for e in task/task_newtask sched/sched_process_exec sched/sched_process_exit; do
		echo 1 > "$d/events/$e/enable"
	done
	# this shell enters the filter, then becomes the app
	bash -c 'echo $$ > "$1/set_event_pid"; echo 1 > "$1/tracing_on"; shift; exec "$@"' \
		floor "$d" "$@"
	exit $?
fi

# --startup-floor: the kernel's share of run's start-up and end: the two
# instances iolockprof makes (src/source/instance.c: the main one with the
# pid filter, event-fork and its events; the unfiltered companion with the
# block events), each with the mono clock and its buffer size, /bin/true
# run in the filter, then both removed.  No reader, no parsing, no report:
# what no tool built this way can go below (each clock write, resize and
# removal waits for the kernel's RCU grace periods).
if [ "${1:-}" = "--startup-floor" ]; then
	m=/sys/kernel/tracing/instances/ilpbench-sfloor-$$
	s=$m-sys
	trap 'rmdir "$s" "$m" 2> /dev/null' EXIT
	mkdir "$m" && mkdir "$s" || exit 1
	for d in "$m" "$s"; do
		echo 0 > "$d/tracing_on"
		echo mono > "$d/trace_clock"
	done
	echo 16384 > "$m/buffer_size_kb"
	echo 4096 > "$s/buffer_size_kb"
	for d in "$m" "$s"; do
		echo 0 > "$d/options/overwrite"
		echo 0 > "$d/buffer_percent"
	done
	echo 1 > "$m/options/event-fork"
	# decode.c's table (an event this kernel lacks is skipped)
	for e in raw_syscalls/sys_enter raw_syscalls/sys_exit task/task_newtask \
		 sched/sched_process_exec sched/sched_process_exit sched/sched_switch \
		 sched/sched_waking lock/contention_begin lock/contention_end \
		 writeback/writeback_dirty_folio writeback/writeback_dirty_page \
		 filemap/mm_filemap_get_pages; do
		echo 1 2> /dev/null > "$m/events/$e/enable"
	done
	for e in block/block_bio_queue block/block_bio_backmerge block/block_bio_frontmerge \
		 block/block_rq_insert block/block_rq_issue block/block_rq_requeue \
		 block/block_rq_merge block/block_rq_complete \
		 writeback/writeback_single_inode_start writeback/writeback_single_inode; do
		echo 1 2> /dev/null > "$s/events/$e/enable"
	done
	echo 1 > "$s/tracing_on"
	bash -c 'echo $$ > "$1/set_event_pid"; echo 1 > "$1/tracing_on"; exec /bin/true' \
		sfloor "$m"
	echo 0 > "$m/tracing_on"
	echo 0 > "$s/tracing_on"
	rmdir "$s" "$m"
	exit
fi

build=${1:-build}
build=$(cd "$build" 2>/dev/null && pwd) || { echo "bench.sh: no build directory '${1:-build}'" >&2; exit 1; }
ILP="$build/iolockprof"
WL="$build/workloads"
REPS=${BENCH_REPS:-5}
TIME=/usr/bin/time

die() { echo "bench.sh: $*" >&2; exit 1; }
[ -x "$ILP" ] || die "$ILP missing; run: make all workloads"
[ -x "$WL/writes" ] && [ -x "$WL/demo" ] || die "workloads missing; run: make workloads"
[ "$(id -u)" -eq 0 ] || die "needs root (iolockprof and perf trace use tracefs); try: sudo make bench"
"$TIME" -f '%e %U %S %M' -o /dev/null true 2>/dev/null ||
	die "GNU time not found at $TIME (Debian package: time)"

have_strace=0 have_perf=0
command -v strace > /dev/null && have_strace=1
perf_note=""
if ! command -v perf > /dev/null; then
	perf_note="perf not installed"
elif ! perf trace -s -o /dev/null -- true > /dev/null 2>&1; then
	perf_note="perf trace does not work here: $(perf trace -s -o /dev/null -- true 2>&1 | head -n 1)"
else
	have_perf=1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/ilp-bench.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Calls of syscall $SC (write, or openat for the open storm) from each
# tool's output file.
SC=write
writes_ilp() { awk -v sc="$SC" '/^syscall /{ t = 1; next } /^[ \t]*$/{ t = 0 } t && $1 == sc { s += $2 } END { print s + 0 }' "$1"; }
writes_strace() { awk -v sc="$SC" '$NF == sc && $4 ~ /^[0-9]+$/ { s += $4 } END { print s + 0 }' "$1"; }
writes_perf() { awk -v sc="$SC" '$1 == sc && $2 ~ /^[0-9]+$/ { s += $2 } END { print s + 0 }' "$1"; }
lost_ilp() { awk '/^duration:/ { for (i = 1; i < NF; i++) if ($i == "lost" && $(i + 1) == "events:") v = $(i + 2) } END { print v }' "$1"; }
events_ilp() { awk '/^duration:/ { for (i = 2; i < NF; i++) if ($i == "events:" && $(i - 1) != "lost") v = $(i + 1) } END { print v }' "$1"; }
# perf trace prints "LOST n events!" when it notices; with -s it often does not.
lost_perf() { cat "$@" 2>/dev/null | awk '/LOST [0-9]+ events/ { for (i = 1; i < NF; i++) if ($i == "LOST") s += $(i + 1); f = 1 } END { print f ? s : "?" }'; }

# run_one TOOL OUT -- CMD...: one timed run; appends "wall cpu rss loop_ms"
# to $T/TOOL.samples; the tool's own output goes to OUT.
run_one() {
	local tool=$1 out=$2 rc loop
	shift 3
	case $tool in
	untraced)   set -- "$@" ;;
	iolockprof) set -- "$ILP" run -o "$out" -- "$@" ;;
	exact)      set -- "$ILP" run --names=exact -o "$out" -- "$@" ;;
	ptrace)     set -- "$ILP" run --backend=ptrace -o "$out" -- "$@" ;;
	stacks)     set -- "$ILP" run --stacks -o "$out" -- "$@" ;;
	stacksp)    set -- "$ILP" run --backend=ptrace --stacks -o "$out" -- "$@" ;;
	floor)      set -- bash "$0" --floor "$@" ;;
	strace)     set -- strace -f -c -o "$out" "$@" ;;
	perf)       set -- perf trace -s -o "$out" -- "$@" ;;
	esac
	WL_TIME=1 "$TIME" -f '%e %U %S %M' -o "$T/time" -- "$@" > "$T/stdout" 2> "$T/stderr"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "bench.sh: $tool: exit $rc: $*" >&2
		grep -v '^loop_ns:' "$T/stderr" | tail -n 3 >&2
		return 1
	fi
	cp "$T/stderr" "$out.stderr"
	loop=$(awk '/^loop_ns:/ { print $2 / 1e6 }' "$T/stderr")
	tail -n 1 "$T/time" | awk -v loop="${loop:-nan}" '{ print $1, $2 + $3, $4 / 1024, loop }' >> "$T/$tool.samples"
}

# bench NAME TRUTH_CMD -- CMD...: all tools, REPS rounds interleaved (so a
# noisy moment hurts every tool alike), then one table.
bench() {
	local name=$1 truth=$2 tool r out
	shift 3
	local tools="${BENCH_TOOLS:-untraced floor iolockprof exact ptrace}"
	[ $have_strace -eq 1 ] && [ -z "${BENCH_TOOLS:-}" ] && tools="$tools strace"
	[ $have_perf -eq 1 ] && [ -z "${BENCH_TOOLS:-}" ] && tools="$tools perf"
	rm -f "$T"/*.samples "$T"/*.out "$T"/*.stderr "$T"/*.failed
	"$@" > /dev/null 2>&1	# warm the page cache
	for r in $(seq "$REPS"); do
		for tool in $tools; do
			run_one "$tool" "$T/$tool.out" -- "$@" || touch "$T/$tool.failed"
		done
	done
	[ "$truth" = "demo" ] && truth=$(awk '/^demo:/ { print $2 + 2 * $7 + 1 }' "$T/stdout")

	local base_wall base_loop base_cpu
	base_wall=$(cut -d' ' -f1 "$T/untraced.samples" | median)
	base_cpu=$(cut -d' ' -f2 "$T/untraced.samples" | median)
	base_loop=$(cut -d' ' -f4 "$T/untraced.samples" | median)
	echo
	echo "== $name   ($REPS runs each, medians; truth: $truth $SC calls)"
	printf '%-16s %9s %7s %10s %7s %8s %11s %8s %10s %7s\n' \
		tracer "wall s" "x" "loop ms" "x" "cpu s" "tracer cpu" "rss MB" "$SC" lost
	for tool in $tools; do
		local s="$T/$tool.samples" label wall loop cpu rss w lost
		case $tool in
		untraced)   label="untraced" ;;
		floor)      label="ftrace floor" ;;
		iolockprof) label="iolockprof run" ;;
		exact)      label="--names=exact" ;;
		ptrace)     label="ptrace backend" ;;
		stacks)     label="run --stacks" ;;
		stacksp)    label="ptrace --stacks" ;;
		strace)     label="strace -f -c" ;;
		perf)       label="perf trace -s" ;;
		esac
		if [ ! -s "$s" ]; then
			printf '%-16s %s\n' "$label" "(every run failed)"
			continue
		fi
		wall=$(cut -d' ' -f1 "$s" | median)
		cpu=$(cut -d' ' -f2 "$s" | median)
		rss=$(cut -d' ' -f3 "$s" | median)
		loop=$(cut -d' ' -f4 "$s" | median)
		case $tool in
		untraced|floor) w="-" lost="-" ;;
		iolockprof | exact | ptrace | stacks | stacksp) w=$(writes_ilp "$T/$tool.out") lost=$(lost_ilp "$T/$tool.out") ;;
		strace)     w=$(writes_strace "$T/$tool.out") lost="n/a" ;;
		perf)       w=$(writes_perf "$T/$tool.out") lost=$(lost_perf "$T/$tool.out" "$T/$tool.out.stderr") ;;
		esac
		[ "$w" != "-" ] && [ "$w" != "$truth" ] && w="$w!"
		[ -e "$T/$tool.failed" ] && label="$label*"
		awk -v l="$label" -v wall="$wall" -v bw="$base_wall" -v loop="$loop" -v bl="$base_loop" \
		    -v cpu="$cpu" -v bc="$base_cpu" -v rss="$rss" -v w="$w" -v lost="$lost" 'BEGIN {
			printf "%-16s %9.3f %6.1fx %10.1f %6.1fx %8.3f %11.3f %8.1f %10s %7s\n",
				l, wall, (bw > 0 ? wall / bw : 0), loop, (bl > 0 ? loop / bl : 0),
				cpu, (l == "untraced" ? 0 : cpu - bc), rss, w, lost }'
	done
}

# startup: what wrapping a command that does nothing costs, wall ms
# (bash's EPOCHREALTIME around each run: GNU time's %e has 10 ms steps)
startup() {
	local reps=${BENCH_STARTUP_REPS:-21} r tool label a b
	local tools="untraced floor iolockprof"
	[ $have_strace -eq 1 ] && tools="$tools strace"
	[ $have_perf -eq 1 ] && tools="$tools perf"
	rm -f "$T"/st.*
	for r in $(seq "$reps"); do
		for tool in $tools; do
			case $tool in
			untraced)   set -- /bin/true ;;
			floor)      set -- bash "$0" --startup-floor ;;
			iolockprof) set -- "$ILP" run -o /dev/null -- /bin/true ;;
			strace)     set -- strace -c -o /dev/null /bin/true ;;
			perf)       set -- perf trace -s -o /dev/null /bin/true ;;
			esac
			a=${EPOCHREALTIME/[.,]/}	# microseconds (the radix is the locale's)
			"$@" > /dev/null 2>&1 || { touch "$T/st.$tool.failed"; continue; }
			b=${EPOCHREALTIME/[.,]/}
			echo $(( (b - a) / 1000 )).$(printf '%03d' $(( (b - a) % 1000 ))) >> "$T/st.$tool"
		done
	done
	echo
	echo "== start-up: a command that does nothing (/bin/true; $reps interleaved runs each, wall ms)"
	echo "kernel floor = iolockprof's two instances set up, /bin/true in them, removed, in shell: no reader"
	printf '%-24s %9s %9s %9s\n' tracer median min max
	for tool in $tools; do
		case $tool in
		untraced)   label="untraced" ;;
		floor)      label="kernel floor (2 inst.)" ;;
		iolockprof) label="iolockprof run" ;;
		strace)     label="strace -c" ;;
		perf)       label="perf trace -s" ;;
		esac
		[ -e "$T/st.$tool.failed" ] && label="$label*"
		if [ ! -s "$T/st.$tool" ]; then
			printf '%-24s %s\n' "$label" "(every run failed)"
			continue
		fi
		printf '%-24s %9.1f %9.1f %9.1f\n' "$label" "$(median < "$T/st.$tool")" \
			"$(sort -g "$T/st.$tool" | head -n 1)" "$(sort -g "$T/st.$tool" | tail -n 1)"
	done
}

# hostile NAME CMD...: 3 runs of iolockprof run on CMD (@DIR: a fresh empty
# directory each run); medians of wall time and peak RSS (GNU time %M: the
# profiler's, the workloads' own peaks are 1-2 MB), events and lost
hostile() {
	local name=$1 r d
	shift
	rm -f "$T/h.wall" "$T/h.rss"
	for r in 1 2 3; do
		d=$(mktemp -d "$T/hd.XXXXXX")
		if timeout -k 5 600 "$TIME" -f '%e %M' -o "$T/time" -- "$ILP" run -o "$T/h.out" -- \
			"${@//@DIR/$d}" > /dev/null 2>&1; then
			tail -n 1 "$T/time" | awk '{ print $1 }' >> "$T/h.wall"
			tail -n 1 "$T/time" | awk '{ print $2 / 1024 }' >> "$T/h.rss"
		fi
		rm -rf "$d"
	done
	if [ ! -s "$T/h.wall" ]; then
		printf '%-44s %s\n' "$name" "(every run failed or hung)"
		return
	fi
	printf '%-44s %8.2f %8.1f %10s %8s\n' "$name" "$(median < "$T/h.wall")" \
		"$(median < "$T/h.rss")" "$(events_ilp "$T/h.out")" "$(lost_ilp "$T/h.out")"
}

# gen_report N K: a JSON report of one process with N objects (diff input)
gen_report() {
	awk -v n="$1" -v k="$2" 'BEGIN {
		printf "{\"schema_version\":2,\"processes\":[{\"comm\":\"app\",\"total_ns\":%d,\"objects\":[", n * 1000
		for (i = 0; i < n; i++)
			printf "%s{\"name\":\"file /data/f%d\",\"total_ns\":%d}", i ? "," : "", i, 1000 + (i % 7) * k
		print "]}]}" }'
}

# the hostile-tracee and lookup benchmarks (BENCH_ONLY_HOSTILE=1: only these)
hostile_benches() {
	echo
	echo "== hostile tracees: iolockprof run (median of 3; tests/integration/t_hostile_*.sh)"
	printf '%-44s %8s %8s %10s %8s\n' workload "wall s" "rss MB" events lost
	hostile "FIFO at '<lib> (deleted)', 4 x 100000 locks" "$WL/hostile_fifo_maps" @DIR 4 100000
	hostile "fd 1048575 read + 64 forks on a high fd" "$WL/hostile_fds" 64
	hostile "200000 futex addresses, then a hot lock" "$WL/hostile_futex" 200000 4 100000
	hostile "100000 distinct paths" "$WL/hostile_paths" @DIR 100000
	hostile "10000 TCP connections kept open" "$WL/hostile_sockets" 10000

	echo
	echo "== lookups on large inputs (one run each; they were linear scans per event or entry)"
	if [ -x "$build/bench/bench_blk" ]; then
		"$build/bench/bench_blk" 50000
	else
		echo "(bench_blk missing: make bench builds it)"
	fi
	# the model on a server's stream (no loop to find: the loop detector
	# scans at every step)
	[ -x "$build/bench/bench_server_model" ] && "$build/bench/bench_server_model" 1000000
	# the live reader's page parsing, kbuffer against rbpage.h
	[ -x "$build/bench/bench_rbpage" ] && "$build/bench/bench_rbpage" 5
	gen_report 50000 1 > "$T/diff_a.json"
	gen_report 50000 3 > "$T/diff_b.json"
	"$TIME" -f '%e' -o "$T/time" -- "$ILP" diff "$T/diff_a.json" "$T/diff_b.json" > /dev/null 2>&1
	printf 'diff: two reports of 50000 objects: %s s\n' "$(tail -n 1 "$T/time")"
	# report -i of a trace-cmd file with 10000 processes (threads named from
	# saved_cmdlines: one lookup per event)
	if command -v trace-cmd > /dev/null &&
	   ILP_FIXTURE_BUFFER_KB=131072 bash "$(dirname "$0")/mk-tracecmd-fixture.sh" "$T/tids.dat" \
		raw_syscalls/sys_enter raw_syscalls/sys_exit -- \
		sh -c 'i=0; while [ $i -lt 10000 ]; do /bin/true; i=$((i + 1)); done' > /dev/null 2>&1; then
		"$TIME" -f '%e %M' -o "$T/time" -- "$ILP" report -i "$T/tids.dat" -o "$T/tids.txt" \
			> /dev/null 2>&1
		printf 'report -i: trace-cmd file of %s processes, %s events: %s s, %s MB\n' \
			"$(grep -c '^== pid' "$T/tids.txt")" "$(events_ilp "$T/tids.txt")" \
			"$(tail -n 1 "$T/time" | awk '{ print $1 }')" \
			"$(tail -n 1 "$T/time" | awk '{ print $2 / 1024 }')"
	else
		echo "report -i: (trace-cmd missing or the fixture could not be recorded)"
	fi
}

# watch_one NAME TOOL -- TARGET...: TOOL (watch or attach) -d D on a fresh
# TARGET, 3 times; appends "cpu_s rss_mb calls" medians to $T/watch.NAME.TOOL
watch_one() {
	local name=$1 tool=$2 r tp d=${BENCH_WATCH_SECONDS:-10}
	shift 3
	rm -f "$T/wcpu" "$T/wrss" "$T/wcalls"
	for r in 1 2 3; do
		"$@" > /dev/null 2>&1 &
		tp=$!
		sleep 0.2
		if [ "$tool" = watch ]; then
			rm -rf "$T/wdumps"
			"$TIME" -f '%U %S %M' -o "$T/time" -- "$ILP" watch -d "$d" -o "$T/wdumps" \
				--trigger 'call > 3600s' --trigger 'p99(*) > 3600s' "$tp" > /dev/null 2>&1
		else
			"$TIME" -f '%U %S %M' -o "$T/time" -- "$ILP" attach -d "$d" -o "$T/wattach" \
				"$tp" > /dev/null 2>&1
			awk '/^== pid/ { print $8 }' "$T/wattach" | head -n 1 >> "$T/wcalls"
		fi
		kill "$tp" 2> /dev/null
		wait "$tp" 2> /dev/null
		tail -n 1 "$T/time" | awk '{ print $1 + $2 }' >> "$T/wcpu"
		tail -n 1 "$T/time" | awk '{ print $3 / 1024 }' >> "$T/wrss"
	done
	echo "$(median < "$T/wcpu") $(median < "$T/wrss") $( [ -s "$T/wcalls" ] && median < "$T/wcalls" || echo -)" \
		> "$T/watch.$name.$tool"
}

watch_benches() {
	local d=${BENCH_WATCH_SECONDS:-10} name
	echo
	echo "== watch while nothing fires: the watcher's cpu (user+sys) over $d s, medians of 3"
	echo "   (attach -d on the same target for comparison: it reports at the end, watch keeps pages)"
	watch_one idle watch -- sleep 3600
	watch_one idle attach -- sleep 3600
	watch_one light watch -- "$WL/sleeper" 3600
	watch_one light attach -- "$WL/sleeper" 3600
	watch_one busy watch -- "$WL/naps" 100000000 1
	watch_one busy attach -- "$WL/naps" 100000000 1
	printf '%-34s %10s %9s %8s %12s %9s\n' target "calls/s" "watch cpu" "% of 1" "attach cpu" "watch MB"
	for name in idle light busy; do
		read -r wc wr _ < "$T/watch.$name.watch"
		read -r ac _ calls < "$T/watch.$name.attach"
		awk -v n="$name" -v wc="$wc" -v wr="$wr" -v ac="$ac" -v c="$calls" -v d="$d" 'BEGIN {
			t = "busy: naps 1 us"
			if (n == "idle") t = "idle: sleep"
			if (n == "light") t = "light: sleeper (10 ms naps + write)"
			printf "%-34s %10s %8.2fs %7.2f%% %11.2fs %9.1f\n", t,
				(c == "-" ? "-" : sprintf("%.0f", c / d)), wc, 100 * wc / d, ac, wr }'
	done
# io_uring: the extra cost of its events (decode.c enables them in the
# unfiltered companion: system-wide, a few per request, none for a program
# that does not use io_uring).  Loop time inside the app, interleaved runs:
# the kernel floor without and with the io_uring events, and iolockprof run.
uring_cost() {
	local name=$1 tool r
	shift
	local cmd=("$@")
	rm -f "$T"/uc.*
	for r in $(seq "$REPS"); do
		for tool in untraced floor floor_uring iolockprof; do
			case $tool in
			untraced)    set -- "${cmd[@]}" ;;
			floor)       set -- bash "$0" --floor "${cmd[@]}" ;;
			floor_uring) set -- env BENCH_FLOOR_URING=1 bash "$0" --floor "${cmd[@]}" ;;
			iolockprof)  set -- "$ILP" run -o "$T/uc.out" -- "${cmd[@]}" ;;
			esac
			WL_TIME=1 "$@" > /dev/null 2> "$T/uc.err" &&
				awk '/^loop_ns:/ { print $2 / 1e6 }' "$T/uc.err" >> "$T/uc.$tool"
		done
	done
	awk -v n="$name" -v u="$(median < "$T/uc.untraced")" -v f="$(median < "$T/uc.floor")" \
	    -v fu="$(median < "$T/uc.floor_uring")" -v i="$(median < "$T/uc.iolockprof")" 'BEGIN {
		printf "%-34s %9.1f %9.1f %12.1f %8.1f%% %10.1f %6.1fx\n", n, u, f, fu,
			(f > 0 ? (fu - f) * 100 / f : 0), i, (u > 0 ? i / u : 0) }'
}
# the io_uring section (BENCH_ONLY_URING=1: only it)
uring_benches() {
	echo
	echo "== io_uring events: their extra cost (loop ms inside the app, median of $REPS interleaved runs)"
	echo "floor = the kernel recording iolockprof's syscall events, no reader; +io_uring = and the io_uring events"
	printf '%-34s %9s %9s %12s %9s %10s %7s\n' workload untraced floor "floor+uring" extra "iolockprof" x
	if [ -x "$WL/uring_writes" ]; then
		uring_cost "uring_writes 20000 200 (io_uring)" "$WL/uring_writes" 20000 200 "$T/uring.dat"
	else
		echo "(workload uring_writes missing: make workloads, liburing-dev)"
	fi
	uring_cost "writes 100000 (no io_uring)" "$WL/writes" 100000
}

}

echo "iolockprof benchmark: $("$ILP" --version 2>&1 | head -n 1), kernel $(uname -r), $(nproc) CPUs"
# lock_holds_bench: what --lock-holds costs.  mutex_storm T x N (env
# BENCH_LH_THREADS, default 4, BENCH_LH_ITERS, default 200000), REPS rounds
# interleaved of untraced, iolockprof run, iolockprof run --lock-holds:
# medians of wall and cpu (user + sys of the whole tree: a uprobe's trap is
# the app's sys time), their ratios to untraced, and the holds the report
# counted on hot_lock against the truth, T x N (BENCH_ONLY_LOCKHOLDS=1 runs
# only this).
lock_holds_bench() {
	local th=${BENCH_LH_THREADS:-4} it=${BENCH_LH_ITERS:-200000} r k
	echo
	echo "== --lock-holds: mutex_storm $th $it (median of $REPS, interleaved; truth: $((th * it)) holds)"
	[ -x "$WL/mutex_storm" ] || { echo "(workload mutex_storm missing: make workloads)"; return; }
	rm -f "$T"/lh.*
	for r in $(seq "$REPS"); do
		for k in untraced run holds; do
			case $k in
			untraced) set -- "$WL/mutex_storm" "$th" "$it" ;;
			run) set -- "$ILP" run -o "$T/lh.run.out" -- "$WL/mutex_storm" "$th" "$it" ;;
			holds) set -- "$ILP" run --lock-holds --format json -o "$T/lh.holds.json" -- \
				"$WL/mutex_storm" "$th" "$it" ;;
			esac
			"$TIME" -f '%e %U %S' -o "$T/time" -- "$@" > "$T/lh.stdout" 2>&1 &&
				tail -n 1 "$T/time" | awk '{ print $1, $2 + $3 }' >> "$T/lh.$k"
		done
	done
	local uw uc
	uw=$(cut -d' ' -f1 "$T/lh.untraced" | median)
	uc=$(cut -d' ' -f2 "$T/lh.untraced" | median)
	printf '%-26s %9s %7s %8s %7s %10s %7s\n' tracer "wall s" "x" "cpu s" "x" holds lost
	for k in untraced run holds; do
		local label w c h="-" l="-"
		case $k in
		untraced) label="untraced" ;;
		run) label="iolockprof run"; l=$(lost_ilp "$T/lh.run.out") ;;
		holds) label="iolockprof run --lock-holds"
			h=$(jq '[.processes[].lock_holds[]? | select(.name == "hot_lock") | .holds] | add' \
				"$T/lh.holds.json" 2>/dev/null)
			l=$(jq '.capture.lost_events' "$T/lh.holds.json" 2>/dev/null)
			[ "$h" = "$((th * it))" ] || h="$h!" ;;
		esac
		[ -s "$T/lh.$k" ] || { printf '%-26s %s\n' "$label" "(every run failed)"; continue; }
		w=$(cut -d' ' -f1 "$T/lh.$k" | median)
		c=$(cut -d' ' -f2 "$T/lh.$k" | median)
		awk -v l="$label" -v w="$w" -v c="$c" -v uw="$uw" -v uc="$uc" -v h="$h" -v lo="$l" 'BEGIN {
			printf "%-26s %9.3f %6.1fx %8.3f %6.1fx %10s %7s\n", l, w, (uw > 0 ? w / uw : 0),
				c, (uc > 0 ? c / uc : 0), h, lo }'
	done
	echo "(cpu: user + sys of the whole tree; each lock and unlock under --lock-holds traps into the kernel, twice for a lock: entry and return)"
}

[ "${BENCH_ONLY_WATCH:-0}" = 1 ] && { watch_benches; exit 0; }
# sleep_run NAME OUT -- CMD...: one timed run; appends "wall loop_ms" to
# $T/sl.NAME (loop_ms "nan" when the app does not print its loop time)
sleep_run() {
	local name=$1 out=$2
	shift 3
	WL_TIME=1 "$TIME" -f '%e' -o "$T/time" -- "$@" > /dev/null 2> "$T/sl.stderr" || return 1
	echo "$(tail -n 1 "$T/time") $(awk '/^loop_ns:/ { l = $2 / 1e6 } END { print l ? l : "nan" }' \
		"$T/sl.stderr")" >> "$T/sl.$name"
	[ "$out" = - ] || cp "$T/sl.stderr" "$out.stderr"
}

# sleep_bench LABEL -- CMD...: untraced, iolockprof run, and run
# --sleep-stacks, REPS rounds interleaved; the sleeps --sleep-stacks counted
# (its report's "waited in" lines) and what each cost (loop time, else wall)
sleep_bench() {
	local label=$1 r u t k n per
	shift 2
	rm -f "$T"/sl.*
	"$@" > /dev/null 2>&1	# warm up
	for r in $(seq "$REPS"); do
		sleep_run untraced - -- "$@"
		sleep_run traced - -- "$ILP" run -o "$T/sl.out" -- "$@"
		sleep_run stacks "$T/sl.kout" -- "$ILP" run --sleep-stacks -o "$T/sl.kout" -- "$@"
	done
	n=$(sed -nE 's/^  [a-z_0-9]+ waited in .*: ([0-9]+) sleeps?, .*/\1/p' "$T/sl.kout" 2>/dev/null |
		awk '{ s += $1 } END { print s + 0 }')
	printf '%-44s' "$label"
	for k in untraced traced stacks; do
		printf ' %8.3f' "$(cut -d' ' -f1 "$T/sl.$k" 2>/dev/null | median)"
	done
	u=$(cut -d' ' -f2 "$T/sl.traced" 2>/dev/null | median)
	t=$(cut -d' ' -f2 "$T/sl.stacks" 2>/dev/null | median)
	per=$(awk -v u="$u" -v t="$t" -v n="$n" 'BEGIN { if (n > 0) printf "%.2f", (t - u) * 1000 / n; else print "-" }')
	printf ' %9s %7s %9s\n' "$n" "$(awk -v u="$u" -v t="$t" 'BEGIN { if (u > 0) printf "%.2fx", t / u; else print "-" }')" "$per"
}

sleep_benches() {
	local f
	echo
	echo "== --sleep-stacks: the kernel stack at every sleep (median of $REPS, interleaved; wall s)"
	echo "x and us/sleep: the app's own loop time with --sleep-stacks against without; the wall times"
	echo "also hold the one read of /proc/kallsyms at the end (0.1-0.3 s, once per run)"
	printf '%-44s %8s %8s %8s %9s %7s %9s\n' workload untraced run "+stacks" sleeps x "us/sleep"
	if [ -x "$WL/pingpong" ]; then
		sleep_bench "pipe ping-pong: pingpong 20000" -- "$WL/pingpong" 20000
	else
		echo "(workload pingpong missing: make workloads)"
	fi
	f=/var/tmp/ilp-bench-fsync.$$
	if [ -x "$WL/io_fsync" ] && touch "$f" 2> /dev/null; then
		sleep_bench "fsync loop: io_fsync 200 (/var/tmp)" -- "$WL/io_fsync" 200 "$f"
		rm -f "$f"
	else
		echo "(io_fsync missing or /var/tmp not writable)"
	fi
}

[ "${BENCH_ONLY_SLEEP:-0}" = 1 ] && { sleep_benches; exit 0; }
[ "${BENCH_ONLY_HOSTILE:-0}" = 1 ] && { hostile_benches; exit 0; }
[ "${BENCH_ONLY_LOCKHOLDS:-0}" = 1 ] && { lock_holds_bench; exit 0; }
[ "${BENCH_ONLY_STARTUP:-0}" = 1 ] && { startup; exit 0; }

# --stacks: the ftrace backend's frame-pointer walks by the kernel against
# ptrace's libdw unwinding and a plain run, on a storm built with frame
# pointers
stacks_bench() {
	if [ -x "$WL/writes_fp" ]; then
		BENCH_TOOLS="untraced iolockprof stacks stacksp" \
			bench "--stacks cost: writes_fp 100000 (frame pointers)" 100000 -- "$WL/writes_fp" 100000
		[ -x "$WL/demo_fp" ] && BENCH_TOOLS="untraced iolockprof stacks stacksp" \
			bench "--stacks cost: demo_fp (demo with frame pointers)" demo -- "$WL/demo_fp"
	else
		echo "(workload writes_fp missing: make workloads)"
	fi
}
[ "${BENCH_ONLY_STACKS:-0}" = 1 ] && { stacks_bench; exit 0; }
demo_bench() {
	bench "realistic: demo (log writes, fsync, pipe round trips, mutex)" demo -- "$WL/demo"
}
[ "${BENCH_ONLY_DEMO:-0}" = 1 ] && { demo_bench; exit 0; }
[ "${BENCH_ONLY_URING:-0}" = 1 ] && { uring_benches; exit 0; }
[ -n "$perf_note" ] && echo "note: $perf_note; perf trace column left out"
[ $have_strace -eq 1 ] || echo "note: strace not installed; strace column left out"
echo "ftrace floor = the kernel recording the same events into a private instance with no reader at all;"
echo "x = ratio to untraced; loop = time measured inside the app (tracer start-up excluded);"
echo "tracer cpu = cpu - untraced app cpu; rss excludes kernel ring buffers; '!' = write count differs from truth;"
echo "lost: strace stops the app at each syscall, so it loses nothing (n/a); perf trace -s rarely reports its losses (?)"

startup
bench "syscall storm: writes 100000" 100000 -- "$WL/writes" 100000
stacks_bench
# mostly syscalls the ptrace backend does not profile (getppid): its seccomp
# filter lets them run unstopped, while strace stops at every one
[ -x "$WL/getpids" ] &&
	bench "mostly unprofiled: getpids 200000 200 (200k getppid, 200 writes)" 200 -- "$WL/getpids" 200000 200
demo_bench
# what reading every path at the call costs: --names=exact stops the app at
# each open (the closes run unstopped), ptrace and strace at both
if [ -x "$WL/opens" ]; then
	mkdir -p "$T/opens"
	# truth: the loop's 100000 and the loader's two (ld.so.cache, libc)
	SC=openat bench "open storm: opens 100000 (open + close of 64 files)" 100002 -- \
		"$WL/opens" 100000 "$T/opens"
fi

# Lock storm: mutex_storm 4 threads x 1000000 lock/unlock of one mutex
# (futex waits/wakes, sched_switch/sched_waking, kernel lock contention).
echo
echo "== lock storm: mutex_storm 4 1000000 (median of $REPS; wall s, whole command)"
if [ -x "$WL/mutex_storm" ]; then
	rm -f "$T/ls.untraced" "$T/ls.traced"
	for r in $(seq "$REPS"); do
		"$TIME" -f '%e' -o "$T/time" -- "$WL/mutex_storm" 4 1000000 > /dev/null 2>&1 &&
			tail -n 1 "$T/time" >> "$T/ls.untraced"
		"$TIME" -f '%e' -o "$T/time" -- "$ILP" run -o "$T/ls.out" -- "$WL/mutex_storm" 4 1000000 \
			> /dev/null 2>&1 && tail -n 1 "$T/time" >> "$T/ls.traced"
	done
	u=$(median < "$T/ls.untraced") t=$(median < "$T/ls.traced")
	printf '%-16s %9s %7s %8s %8s\n' tracer "wall s" "x" futex lost
	printf '%-16s %9.3f %6.1fx %8s %8s\n' untraced "$u" 1 - -
	awk -v u="$u" -v t="$t" -v f="$(awk '/^futex / { print $2; exit }' "$T/ls.out")" \
	    -v l="$(lost_ilp "$T/ls.out")" 'BEGIN { printf "%-16s %9.3f %6.1fx %8s %8s\n",
		"iolockprof run", t, (u > 0 ? t / u : 0), f, l }'
else
	echo "(workload mutex_storm missing: make workloads)"
fi

lock_holds_bench
sleep_benches
uring_benches

echo
echo "== iolockprof peak RSS versus event count (median of 3)"
printf '%-22s %10s %8s %8s\n' workload events lost "rss MB"
for n in 100000 1000000 3000000; do
	rm -f "$T/rss"
	for r in 1 2 3; do
		"$TIME" -f '%M' -o "$T/time" -- "$ILP" run -o "$T/r.$n" -- "$WL/writes" "$n" > /dev/null 2>&1 &&
			tail -n 1 "$T/time" >> "$T/rss"
	done
	[ -s "$T/rss" ] || { printf '%-22s %s\n' "writes $n" "(failed)"; continue; }
	printf '%-22s %10s %8s %8.1f\n' "writes $n" "$(events_ilp "$T/r.$n")" "$(lost_ilp "$T/r.$n")" \
		"$(median < "$T/rss" | awk '{ print $1 / 1024 }')"
done
watch_benches
[ "${BENCH_SKIP_HOSTILE:-0}" = 1 ] || hostile_benches
exit 0
