#!/bin/bash
# scripts/capture-raw.sh DIR SECONDS PID... - saves what the live reader
# would read while PIDs run: a private tracefs instance with the events
# and filters iolockprof's main instance enables, every CPU's buffer
# (CAPTURE_MB per CPU, default 512: it must hold the whole capture) read
# once tracing is off into DIR/cpuN.raw, full pages as a reader that
# comes every few ms reads them, and the formats the decoder needs
# (DIR/events/...).  tests/bench/bench_reader.c replays it.  Root; the
# instance is removed on every exit path.
#
# DIR "-" saves nothing: the buffers (CAPTURE_MB per CPU, default 16 here,
# iolockprof's own size) are read as they fill by cat into /dev/null, a
# reader that costs next to nothing: what the tracing alone costs the
# PIDs (make bench-server's "ftrace alone" row).  It says "capture-raw:
# tracing" once the events are on; SIGTERM ends it before SECONDS.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
dir=${1:?usage: capture-raw.sh DIR SECONDS PID...}; secs=${2:?}; shift 2
[ $# -gt 0 ] || { echo "capture-raw: no PID" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "capture-raw: needs root (tracefs)" >&2; exit 1; }
for p in "$@"; do
	kill -0 "$p" 2>/dev/null || { echo "capture-raw: no process $p" >&2; exit 1; }
done
T=/sys/kernel/tracing
[ -d $T/instances ] || mount -t tracefs nodev $T 2>/dev/null || { echo "capture-raw: no tracefs" >&2; exit 1; }
I=$T/instances/ilp-capture-$$
save=1 mb=${CAPTURE_MB:-512}
[ "$dir" = - ] && { save=0 mb=${CAPTURE_MB:-16} dir=$(mktemp -d) || exit 1; }
pids=()
cleanup() {
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null && wait "${pids[@]}" 2>/dev/null
	pids=()
	[ "$save" = 1 ] || rm -rf "$dir"
	[ -d "$I" ] || return
	echo 0 > "$I/tracing_on" 2>/dev/null
	echo > "$I/set_event" 2>/dev/null
	rmdir "$I"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
mkdir -p "$dir/events" && mkdir "$I" || exit 1
echo mono > "$I/trace_clock"
echo $(( mb * 1024 )) > "$I/buffer_size_kb" || exit 1
echo 1 > "$I/options/event-fork"
for p in "$@"; do echo "$p" >> "$I/set_event_pid"; done
cp $T/events/header_page "$dir/events/"
for e in task/task_newtask sched/sched_process_exec sched/sched_process_exit \
	sched/sched_switch sched/sched_waking lock/contention_begin lock/contention_end \
	raw_syscalls/sys_enter raw_syscalls/sys_exit filemap/mm_filemap_get_pages \
	writeback/writeback_dirty_folio; do
	[ -d "$I/events/$e" ] || continue
	mkdir -p "$dir/events/$e" && cp "$I/events/$e/format" "$dir/events/$e/"
	[ "$e" = filemap/mm_filemap_get_pages ] && echo 'index == 0' > "$I/events/$e/filter"
	echo 1 > "$I/events/$e/enable"
done
if [ "$save" = 0 ]; then
	for c in "$I"/per_cpu/cpu*; do
		cat "$c/trace_pipe_raw" > /dev/null &
		pids+=($!)
	done
fi
echo "capture-raw: tracing"
sleep "$secs" &	# in the background: a signal ends the wait at once
pids+=($!)
wait $!
[ "$save" = 1 ] || exit 0
echo 0 > "$I/tracing_on"
n=$(ls -d "$I"/per_cpu/cpu* | wc -l)
for c in $(seq 0 $((n - 1))); do
	dd if="$I/per_cpu/cpu$c/trace_pipe_raw" of="$dir/cpu$c.raw" bs=4096 \
		iflag=nonblock status=none 2>/dev/null
	grep -h overrun "$I/per_cpu/cpu$c/stats"
done
cleanup
echo "capture-raw: $n CPUs in $dir ($(du -sh "$dir" | cut -f1))"
