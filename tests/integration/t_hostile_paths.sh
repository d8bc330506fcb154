#!/bin/bash
# 100000 distinct paths: hostile_paths creates, writes 1 byte to, closes and
# unlinks DIR/f0 .. DIR/f99999.  One object per path, each with its
# histograms, kept for the whole run: 188 MB peak RSS before the caps (with
# 40169 objects named).  Now at most 4096 objects per process are kept
# apart, the rest counted together in objects_more: bounded RSS, and the
# calls still all counted: 100000 writes and unlinks in the syscall table,
# and the writes on the objects (kept + more) add up to 100000.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_hostile.sh"

N=100000
mkdir "$T/d" || fail "mkdir"
measured 600 "$T/out" "$T/err" run --format json -o "$T/r.json" -- "$WL/hostile_paths" "$T/d" $N
expect_finished "run hostile_paths $N" 600 "$T/err"
validate_json "$T/r.json"
pid=$(json_eval "$T/r.json" 0 'r.processes.find(x => x.comm == "hostile_paths").pid')
expect_eq "lost events" "$(json_eval "$T/r.json" "$pid" 'r.capture.lost_events')" 0
for sc in write unlink; do
	expect_eq "$sc calls" "$(json_eval "$T/r.json" "$pid" "p.syscalls.find(s => s.name == \"$sc\").calls")" $N
done
# at most 4096 objects kept apart (those with calls are listed); every
# write counted on one of them or on objects_more (when naming found more
# than 4096 distinct paths)
kept=$(json_eval "$T/r.json" "$pid" 'p.objects.length')
expect_range "objects kept" "$kept" 1 4096
expect_eq "writes on objects (kept + more)" \
	"$(json_eval "$T/r.json" "$pid" 'sum(p.objects, o => o.writes) + (p.objects_more ? p.objects_more.writes : 0)')" $N
if [ "$(json_eval "$T/r.json" "$pid" '!!p.objects_more')" = true ]; then
	note "objects_more: $(json_eval "$T/r.json" "$pid" 'p.objects_more.objects') objects, $(json_eval "$T/r.json" "$pid" 'p.objects_more.ops') calls"
fi
# measured 47-49 MB peak RSS (2 runs; 188 MB before the caps); 128 MB
# leaves 2.6x headroom
expect_rss_below "hostile_paths $N" 131072 "$(wl_rss "$WL/hostile_paths" "$T/d" 1000)"
exit 0
