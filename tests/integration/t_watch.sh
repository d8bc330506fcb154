#!/bin/bash
# watch, the flight recorder.  stalls: quiet (20 ms naps) for 2 s, one read
# of a pipe that a spinning thread fills after 300 ms, quiet for 2 s.
#  - call > 200ms, --before 1 --after 1: exactly one dump (.dat + .txt, mode
#    0600, DIR made 0700); the .txt says what fired (that read, >= 300 ms)
#    and its report lists the read as the one slow call; report -i of the
#    .dat shows the same; the watcher exits when the workload does.
#  - p99(read) > 200ms (beside a calls trigger that does not fire): the
#    window of the stall fires it: one dump, the slow read in it.
#  - call > 10s never fires: DIR stays empty.
#  - --max-dumps 1 with two stalls: one dump, and the watcher stops (one
#    line says so) while the workload still runs.
#  - SIGUSR1 to the watcher: one dump, its header says SIGUSR1; symlinks
#    planted at its names are not followed: the dump is TIME-2.
#  - Ctrl-C while a dump is captured: it is written, exit 0.
#  - a bad --trigger: one line, exit 2, DIR not made.
# (run.sh checks that no instance is left behind after each.)
. "$(dirname "$0")/lib.sh"

# watch_start NAME STALLS_ARGS... -- WATCH_ARGS...: starts stalls (waiting
# for its go file) and the watcher on it; sets wl and wp (their pids);
# returns once the watcher says it watches, then lets the workload go.
watch_start() {
	local name=$1 i args=()
	shift
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	shift
	"$WL/stalls" "$T/go.$name" "${args[@]}" > "$T/wl.$name" &
	wl=$!
	bg_track "$wl"
	ilp watch "$@" "$wl" > "$T/out.$name" 2> "$T/err.$name" &
	wp=$!
	bg_track "$wp"
	for i in $(seq 300); do
		grep -q '^iolockprof: profiling ' "$T/err.$name" && break
		kill -0 "$wp" 2> /dev/null || break
		sleep 0.05
	done
	grep -q '^iolockprof: watch: dumps to ' "$T/err.$name" ||
		{ show "$T/err.$name"; fail "$name: the watcher did not start"; }
	touch "$T/go.$name"
}

# watch_end NAME: waits for the watcher; it must exit 0
watch_end() {
	local rc
	wait "$wp"
	rc=$?
	[ $rc -eq 0 ] || { show "$T/err.$1"; fail "$1: watch exit $rc, want 0"; }
}

# dumps DIR: the base names of DIR's dumps, sorted
dumps() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort; }

# one_dump NAME DIR: exactly one NAME.dat and NAME.txt in DIR; sets base
one_dump() {
	local list
	list=$(dumps "$2")
	base=$(printf '%s\n' "$list" | sed -n 's/\.dat$//p')
	printf '%s\n' "$base" | grep -Eqx '[0-9]{8}T[0-9]{6}Z(-[0-9]+)?' ||
		{ show "$T/err.$1"; fail "$1: want one dump in $2, got: $(echo $list)"; }
	expect_eq "$1: files in $2" "$(echo $list)" "$base.dat $base.txt" "$T/err.$1"
	expect_eq "$1: mode of the .dat" "$(stat -c %a "$2/$base.dat")" 600
	expect_eq "$1: mode of the .txt" "$(stat -c %a "$2/$base.txt")" 600
}

# 1. one stall, call > 200ms
d=$T/d1
watch_start one 2000 300 1 -- --trigger 'call > 200ms' --before 1 --after 1 -o "$d"
watch_end one
expect_eq "one: the workload's stalls" "$(cat "$T/wl.one")" "stall 1"
expect_eq "one: mode of the directory watch made" "$(stat -c %a "$d")" 700
one_dump one "$d"
txt=$d/$base.txt
head -n 1 "$txt" | grep -Eqx "iolockprof watch: call > 200 ms: read of pid $wl tid $wl took [0-9.]+ ms" ||
	{ show "$txt"; fail "one: the .txt's first line"; }
ms=$(head -n 1 "$txt" | sed -E 's/.* took ([0-9]+)(\.[0-9]+)? ms$/\1/')
expect_range "one: the read that fired, ms" "$ms" 300 5000 "$txt"
grep -Eq "^fired: [0-9-]{10} [0-9:]{8}\.[0-9]{3} UTC; this dump \($base\.dat\) holds " "$txt" ||
	{ show "$txt"; fail "one: the .txt's fired line"; }
slow='\[slow call\] 1 read call of 100 ms or more on pipe pipe:\[[0-9]+\]'
grep -Eq "$slow" "$txt" || { show "$txt" 120; fail "one: the .txt lists no slow read"; }
expect_eq "one: slow call findings in the .txt" "$(grep -c '\[slow call\]' "$txt")" 1 "$txt"
grep -q "^command: *watch $wl (stalls)" "$txt" || { show "$txt"; fail "one: the report's command line"; }
ilp report -i "$d/$base.dat" > "$T/report.one" 2> "$T/rerr.one" ||
	{ show "$T/rerr.one"; fail "one: report -i of the dump failed"; }
grep -Eq "$slow" "$T/report.one" || { show "$T/report.one" 120; fail "one: report -i shows no slow read"; }
# the .txt is that report, after the header
tail -n +"$(($(wc -l < "$txt") - $(wc -l < "$T/report.one") + 1))" "$txt" > "$T/txt-report.one"
diff -u "$T/report.one" "$T/txt-report.one" >&2 || fail "one: the .txt's report is not report -i's"
expect_eq "one: read calls of pid $wl in the dump" "$(sc_count "$T/report.one" "$wl" read)" 1 "$T/report.one"
grep -q "^iolockprof: watch: wrote $d/$base.dat (" "$T/err.one" || { show "$T/err.one"; fail "one: no wrote line"; }

# 1b. the same stall seen by a window trigger: the window's p99 of read
d=$T/d1b
watch_start pct 2000 300 1 -- --trigger 'calls(write) > 1000000' --trigger 'p99(read) > 200ms' \
	--before 1 --after 1 -o "$d"
watch_end pct
one_dump pct "$d"
head -n 1 "$d/$base.txt" | grep -Eqx 'iolockprof watch: p99\(read\) > 200 ms: 3[0-9][0-9](\.[0-9]+)? ms in the window|iolockprof watch: p99\(read\) > 200 ms: [0-9.]+ s in the window' ||
	{ show "$d/$base.txt"; fail "pct: the .txt's first line"; }
grep -Eq "$slow" "$d/$base.txt" || { show "$d/$base.txt" 120; fail "pct: the .txt lists no slow read"; }

# 2. a trigger that never fires writes nothing
d=$T/d2
watch_start never 500 300 1 -- --trigger 'call > 10s' --before 1 --after 1 -o "$d"
watch_end never
expect_eq "never: files in $d" "$(dumps "$d" | wc -l)" 0 "$T/err.never"

# watcher_pid NAME: the watcher's own pid, as it says it (wp is the
# timeout wrapper's)
watcher_pid() {
	me=$(sed -n 's/^iolockprof: watch: dumps to .*; kill -USR1 \([0-9]*\) for one now$/\1/p' "$T/err.$1")
	[ -n "$me" ] || { show "$T/err.$1"; fail "$1: the watcher did not say its pid"; }
}

# 3. SIGUSR1: one dump.  Symlinks planted at every name a dump could take
# in the next 20 s (TIME.dat, TIME.txt) are neither followed nor replaced:
# the dump is TIME-2.
d=$T/d3
mkdir -m 700 "$d"
echo victim > "$T/victim"
now=$(date -u +%s)
for t in $(seq $((now - 1)) $((now + 20))); do
	n=$(date -u -d "@$t" +%Y%m%dT%H%M%SZ)
	ln -s "$T/victim" "$d/$n.dat"
	ln -s "$T/victim" "$d/$n.txt"
done
watch_start usr1 1500 300 1 -- --trigger 'call > 10s' --before 1 --after 1 -o "$d"
watcher_pid usr1
sleep 0.2
kill -USR1 "$me"
watch_end usr1
expect_eq "usr1: the planted symlinks' target" "$(cat "$T/victim")" victim
expect_eq "usr1: files other than the symlinks" "$(find "$d" -type f | wc -l)" 2 "$T/err.usr1"
base=$(find "$d" -type f -name '*.dat' -printf '%f\n' | sed 's/\.dat$//')
printf '%s\n' "$base" | grep -Eqx '[0-9]{8}T[0-9]{6}Z-2' || { show "$T/err.usr1"; fail "usr1: dump named '$base', want TIME-2"; }
[ -L "$d/${base%-2}.dat" ] && [ -L "$d/${base%-2}.txt" ] || fail "usr1: a planted symlink was replaced"
expect_eq "usr1: the .txt's first line" "$(head -n 1 "$d/$base.txt")" "iolockprof watch: SIGUSR1"
grep -q "^== pid " "$d/$base.txt" || { show "$T/err.usr1"; show "$d/$base.txt"; fail "usr1: the .txt has no report"; }

# 4. --max-dumps 1 with two stalls: one dump, then the watcher stops
d=$T/d4
watch_start max 2500 300 2 -- --trigger 'call > 200ms' --before 1 --after 1 --max-dumps 1 -o "$d"
watch_end max
grep -qx 'iolockprof: watch: 1 dump written (--max-dumps): done watching' "$T/err.max" ||
	{ show "$T/err.max"; fail "max: no line saying --max-dumps stopped it"; }
proc_running "$wl" || fail "max: the workload ended before the watcher stopped"
one_dump max "$d"
kill "$wl"

# 5. Ctrl-C while a dump is captured (--after 60): it is written, cut at
# the stop, and the watcher exits 0 at once, the workload left running
d=$T/d6
watch_start int 3000 300 1 -- --trigger 'call > 200ms' --before 1 --after 60 -o "$d"
watcher_pid int
for i in $(seq 400); do
	grep -q '^iolockprof: watch: call > 200 ms: read of ' "$T/err.int" && break
	sleep 0.05
done
grep -q 'capturing 60 s more$' "$T/err.int" || { show "$T/err.int"; fail "int: the trigger did not fire"; }
kill -INT "$me"
watch_end int
one_dump int "$d"
grep -Eq "$slow" "$d/$base.txt" || { show "$d/$base.txt" 120; fail "int: the .txt lists no slow read"; }
proc_running "$wl" || fail "int: the workload did not run on"
kill "$wl"

# 6. a bad expression: one line, exit 2, nothing done
ilp watch --trigger 'p99(read) > 50' -o "$T/d5" 1 2> "$T/err.bad"
rc=$?
expect_eq "bad: exit status" "$rc" 2 "$T/err.bad"
expect_one_line "bad trigger" "$T/err.bad"
grep -qF "iolockprof: --trigger 'p99(read) > 50': a time needs a unit (ns, us, ms or s)" "$T/err.bad" ||
	{ show "$T/err.bad"; fail "bad: the message"; }
[ ! -e "$T/d5" ] || fail "bad: $T/d5 was made"
exit 0
