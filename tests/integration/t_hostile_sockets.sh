#!/bin/bash
# 10000 sockets: hostile_sockets connects 10000 TCP clients over loopback
# and keeps them open (their accepted ends are closed after one byte each
# way), so the host's TCP table holds 20000 entries while every connect
# and accept is named.  The run ends in bounded time and RSS and counts
# every call exactly: 10000 connect, accept and write, and the writes on
# the objects (kept + more) add up to 10000.  (Naming each socket by its
# inode alone, not by re-reading /proc/net, is the names work: this test
# bounds what it costs.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_hostile.sh"

N=10000
measured 300 "$T/out" "$T/err" run --format json -o "$T/r.json" -- "$WL/hostile_sockets" $N
expect_finished "run hostile_sockets $N" 300 "$T/err"
validate_json "$T/r.json"
pid=$(json_eval "$T/r.json" 0 'r.processes.find(x => x.comm == "hostile_sockets").pid')
expect_eq "lost events" "$(json_eval "$T/r.json" "$pid" 'r.capture.lost_events')" 0
for sc in connect accept write; do
	expect_eq "$sc calls" "$(json_eval "$T/r.json" "$pid" "p.syscalls.find(s => s.name == \"$sc\").calls")" $N
done
expect_eq "writes on objects (kept + more)" \
	"$(json_eval "$T/r.json" "$pid" 'sum(p.objects, o => o.writes) + (p.objects_more ? p.objects_more.writes : 0)')" $N
expect_range "objects kept" "$(json_eval "$T/r.json" "$pid" 'p.objects.length')" 1 4096
# measured 58-66 MB peak RSS and 3.2-3.4 s (3 runs; main before this work:
# 118-122 MB, 3.1-3.3 s); 128 MB leaves 1.9x headroom
expect_rss_below "hostile_sockets $N" 131072 "$(wl_rss "$WL/hostile_sockets" 100)"
exit 0
