#!/bin/bash
# scripts/mk-tracecmd-fixture.sh OUT SYS/EVENT... -- CMD [ARGS]: trace CMD in a private instance with
# these events, then write OUT with `trace-cmd extract -B` (only these event
# formats and no kallsyms, so the file stays a few KB).  Root.
# ILP_FIXTURE_BUFFER_KB=N: per-CPU ring buffer size (default: the kernel's).
set -u
out=$1; shift
ev=(); while [ "$1" != "--" ]; do ev+=("$1"); shift; done; shift
T=/sys/kernel/tracing name=ilpfx-$$ tmp=$(mktemp -d)
I=$T/instances/$name
mkdir "$I" || exit 1
trap 'rmdir "$I" 2>/dev/null; rm -rf "$tmp"' EXIT
echo 0 > "$I/tracing_on"; echo mono > "$I/trace_clock"; echo 1 > "$I/options/event-fork"
[ -n "${ILP_FIXTURE_BUFFER_KB:-}" ] && echo "$ILP_FIXTURE_BUFFER_KB" > "$I/buffer_size_kb"
mkdir -p "$tmp/ev"; cp "$T/events/header_page" "$T/events/header_event" "$tmp/ev/"
for f in "$T"/events/ftrace/*/format; do s=${f#$T/events/}; mkdir -p "$tmp/ev/${s%/format}"; cp "$f" "$tmp/ev/$s"; done
for e in "${ev[@]}"; do
	echo 1 > "$I/events/$e/enable" || exit 1
	mkdir -p "$tmp/ev/$e"; cp "$T/events/$e/format" "$tmp/ev/$e/format"
done
sh -c "echo \$\$ > $I/set_event_pid; echo 1 > $I/tracing_on; exec \"\$@\"" sh "$@"
echo 0 > "$I/tracing_on"
: > "$tmp/kallsyms"
unshare -m sh -c "mount --bind $tmp/kallsyms /proc/kallsyms && mount --bind $tmp/ev $T/events && trace-cmd extract -B $name -o $out" > /dev/null
