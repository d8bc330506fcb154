#!/bin/bash
# scripts/bench-server.sh BUILD_DIR - the production cost of attaching to a
# live server (make bench-server).  Not a test: it prints a table and exits
# 0 unless it cannot run at all.
#
# A private redis-server (no persistence, its own directory under a mktemp
# one, a free port on 127.0.0.1) is driven by redis-benchmark (-t set,get
# -c 20, --csv; -n sized by a first untraced run to about BENCH_SERVER_SECS
# seconds, default 4) while each tracer is attached to it by pid:
#   untraced
#   iolockprof attach --continuous --duty-period 1   (10 % of every 1 s; the
#                     default period is 10 s, a 1 s one toggles the events ten
#                     times as often and shows the steady state in a short run)
#   iolockprof attach                                 (full: every event)
#   ftrace alone      a private instance with the same events, pid filter
#                     and buffer size (scripts/capture-raw.sh -), read by cat
#                     into /dev/null: what the kernel's tracing costs by
#                     itself, the floor under any ftrace reader
#   strace -f -c -p
#   perf trace -s -p
# Interleaved rounds (BENCH_SERVER_ROUNDS, default 3): in each round every
# traced configuration runs once, between two untraced runs (untraced, A,
# untraced, B, untraced, ...; the order rotated each round, so that none
# always comes first or after the same one), and its throughput (the mean
# of SET's and GET's requests/s) is compared with the mean of the two
# untraced runs around it: a host that drifts between runs (a VM's often
# does, for minutes) moves the baseline with it.
# The table gives the medians over the rounds of requests/s, of the loss
# (1 - traced/untraced, %; with the quartiles of the rounds' losses) and
# of the slowdown (untraced/traced), and two
# CPU costs that a loaded machine disturbs less than throughput: the
# server's own CPU time per request (utime+stime of redis-server, which
# includes the kernel's tracing work done in its context), as a ratio to
# the untraced runs around it, and the tracer's CPU time per request
# (its user+sys over the benchmark, children included).  The last line says
# how much the untraced runs moved: over the whole run, and between the
# two around a traced run (what one round's loss is exposed to).
# Then, unless BENCH_SERVER_REPLAY=0, the reader's CPU per event on 2 s
# of the server's events saved under the same load and replayed
# (tests/bench/bench_reader.c): the one figure a loaded machine leaves be.
# BENCH_SERVER_ONLY="untraced,iolockprof" (names as in the table's first
# column, comma-separated) runs only those; BENCH_SERVER_EXTRA="NAME=ARGS"
# (";"-separated) adds iolockprof attach configurations (ARGS before the
# pid; a first word @PATH runs the iolockprof at PATH instead: another
# build, for an A/B comparison in the same rounds).
#
# Tracing takes the integration tests' machine-wide lock
# (tests/integration/run.sh) for each round, so it never overlaps a test.
# Needs root (tracefs, perf, strace -p), redis-tools (Debian: redis-server
# is its redis-check-rdb under another name; sh scripts/install-deps.sh
# test installs it), strace and perf.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

build=${1:-build}
ILP=$(cd "$build" 2>/dev/null && pwd)/iolockprof
SECS=${BENCH_SERVER_SECS:-4}
ROUNDS=${BENCH_SERVER_ROUNDS:-3}
LOCK="${TMPDIR:-/tmp}/iolockprof-integration.lock"

die() { echo "bench-server: $*" >&2; exit 1; }

[ -x "$ILP" ] || die "no $ILP (make first)"
[ "$(id -u)" -eq 0 ] || die "needs root (tracefs, perf trace -p, strace -p)"
command -v redis-benchmark >/dev/null && command -v redis-cli >/dev/null ||
	die "redis-benchmark and redis-cli missing: apt-get install redis-tools (or sh scripts/install-deps.sh test)"
server=$(command -v redis-server || true)
[ -n "$server" ] || server=$(command -v redis-check-rdb || true)
[ -n "$server" ] || die "no redis-server: apt-get install redis-tools (its redis-check-rdb is the server)"
command -v strace >/dev/null || die "strace missing (apt-get install strace)"
command -v perf >/dev/null || die "perf missing (apt-get install linux-perf)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ilp-bench-server.XXXXXX") || die "mktemp failed"
srv_pid=""
tracer_pid=""
cleanup() {
	[ -n "$tracer_pid" ] && kill -"${stop_sig:-INT}" "$tracer_pid" 2>/dev/null && wait "$tracer_pid" 2>/dev/null
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# the server, by the name redis-server (its comm decides what it runs as)
mkdir "$tmp/redis" && ln -s "$server" "$tmp/redis-server" || die "cannot set up $tmp"
for try in 1 2 3 4 5 6 7 8; do
	port=$(( 20000 + RANDOM % 40000 ))
	redis-cli -p "$port" ping >/dev/null 2>&1 && continue	# taken
	"$tmp/redis-server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$tmp/redis" --logfile "$tmp/redis/log" --protected-mode no \
		--daemonize no > /dev/null 2>&1 &
	srv_pid=$!
	for i in $(seq 50); do
		[ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && break
		kill -0 "$srv_pid" 2>/dev/null || break
		sleep 0.1
	done
	[ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && break
	kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null
	srv_pid=""
done
[ -n "$srv_pid" ] || die "redis-server did not start (see $tmp/redis/log)"

# cpu_ticks PID: utime+stime of PID and its reaped children (clock ticks)
cpu_ticks() {
	awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# tracer_ticks: the tracer's CPU ticks, its live threads' and live
# children's (capture-raw's cat readers, killed only after the benchmark;
# reaped children are in the tracer's own count) (0: none)
tracer_ticks() {
	local t c
	[ -n "$tracer_pid" ] || { echo 0; return; }
	t=$(cpu_ticks "$tracer_pid")
	# shellcheck disable=SC2013  # pids, one word each
	for c in $(cat /proc/"$tracer_pid"/task/*/children 2>/dev/null); do
		t=$(( t + $(cpu_ticks "$c") ))
	done
	echo "$t"
}

# bench N: requests/s, the mean of SET's and GET's
bench() {
	redis-benchmark -p "$port" -t set,get -c 20 -n "$1" --csv 2>/dev/null |
		awk -F'"' '$2 == "SET" || $2 == "GET" { s += $4; n++ } END { if (n == 2) printf "%.0f\n", s / n }'
}

# start_tracer NAME: attaches NAME's tracer to the server, returns once it traces
start_tracer() {
	local i
	tracer_pid=""
	stop_sig=INT	# as a user stops a tracer
	case $1 in
	untraced) return 0 ;;
	"iolockprof --continuous")
		"$ILP" attach --continuous --duty-period 1 --status never -o /dev/null "$srv_pid" \
			2> "$tmp/err" & ;;
	iolockprof)
		"$ILP" attach --status never -o /dev/null "$srv_pid" 2> "$tmp/err" & ;;
	"ftrace alone")	# a script in the background ignores SIGINT
		stop_sig=TERM
		bash "$(dirname "$0")/capture-raw.sh" - 86400 "$srv_pid" > "$tmp/err" 2>&1 & ;;
	"strace -f -c")
		strace -f -c -o "$tmp/strace.out" -p "$srv_pid" 2> "$tmp/err" & ;;
	"perf trace -s")
		perf trace -s -o "$tmp/perf.out" -p "$srv_pid" 2> "$tmp/err" & ;;
	*)	# BENCH_SERVER_EXTRA: [@PATH] iolockprof attach ARGS
		local bin=$ILP args=${extra_args[$1]}
		case $args in @*) bin=${args%% *}; bin=${bin#@}; args=${args#@"$bin"} ;; esac
		# shellcheck disable=SC2086
		"$bin" attach --status never -o /dev/null $args "$srv_pid" 2> "$tmp/err" & ;;
	esac
	tracer_pid=$!
	case $1 in
	untraced) ;;
	strace*|perf*)	# no line says when they trace: a request shows in their output
		sleep 1 ;;
	*)	for i in $(seq 100); do
			grep -q '^iolockprof: profiling\|^capture-raw: tracing' "$tmp/err" && break
			kill -0 "$tracer_pid" 2>/dev/null || break
			sleep 0.05
		done ;;
	esac
	kill -0 "$tracer_pid" 2>/dev/null || { cat "$tmp/err" >&2; die "$1 did not start"; }
}

stop_tracer() {
	[ -n "$tracer_pid" ] || return 0
	kill -"$stop_sig" "$tracer_pid" 2>/dev/null
	wait "$tracer_pid" 2>/dev/null
	tracer_pid=""
}

configs=("untraced" "iolockprof --continuous" "iolockprof" "ftrace alone"
	 "strace -f -c" "perf trace -s")
declare -A extra_args
IFS=';' read -r -a extras <<< "${BENCH_SERVER_EXTRA:-}"
for e in "${extras[@]}"; do
	[ -n "$e" ] || continue
	configs+=("${e%%=*}")
	extra_args[${e%%=*}]=${e#*=}
done
if [ -n "${BENCH_SERVER_ONLY:-}" ]; then
	keep=()
	for c in "${configs[@]}"; do
		case ",$BENCH_SERVER_ONLY," in *",$c,"*) keep+=("$c") ;; esac
	done
	configs=("${keep[@]}")
fi
[ "${configs[0]}" = untraced ] || configs=("untraced" "${configs[@]}")

# -n: about SECS seconds untraced (both tests)
warm=$(bench 20000)
[ -n "$warm" ] || die "redis-benchmark gave no result"
n=$(( warm * SECS / 2 ))
[ "$n" -ge 10000 ] || n=10000
echo "bench-server: redis-server pid $srv_pid on 127.0.0.1:$port; redis-benchmark -t set,get -c 20 -n $n --csv"
echo "  (~${SECS} s untraced; $ROUNDS interleaved rounds; warm-up $warm req/s; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"

declare -A rps scpu tcpu base basec
HZ=$(getconf CLK_TCK)
# measure C: one benchmark under C's tracer into got_rps, got_scpu (us of
# the server's CPU per request, 2n requests) and got_tcpu (the tracer's)
measure() {
	local s0 s1 t0 t1
	start_tracer "$1"
	s0=$(cpu_ticks "$srv_pid")
	t0=$(tracer_ticks)
	got_rps=$(bench "$n")
	s1=$(cpu_ticks "$srv_pid")
	t1=$(tracer_ticks)
	stop_tracer
	[ -n "$got_rps" ] || die "round $r, $1: redis-benchmark gave no result"
	got_scpu=$(awk -v d=$((s1 - s0)) -v n="$n" -v hz="$HZ" 'BEGIN { printf "%.3f\n", d / hz * 1e6 / (2 * n) }')
	got_tcpu=$(awk -v d=$((t1 - t0)) -v n="$n" -v hz="$HZ" 'BEGIN { printf "%.3f\n", d / hz * 1e6 / (2 * n) }')
}
traced=("${configs[@]:1}")
uall=() ugap=()
nt=${#traced[@]}
for r in $(seq "$ROUNDS"); do
	exec 9> "$LOCK"
	flock 9
	# untraced before and after every traced run (its own baseline: the
	# mean of the two), the traced ones in an order rotated each round
	measure untraced
	ub=$got_rps ubc=$got_scpu
	uall+=("$got_rps")
	rps[untraced,$r]=$got_rps scpu[untraced,$r]=$got_scpu tcpu[untraced,$r]=0
	line="  round $r: untraced $got_rps;"
	for k in $(seq 0 $((nt - 1))); do
		c=${traced[$(( (k + r - 1) % nt ))]}
		measure "$c"
		rps[$c,$r]=$got_rps scpu[$c,$r]=$got_scpu tcpu[$c,$r]=$got_tcpu
		measure untraced
		uall+=("$got_rps")
		ugap+=("$(awk -v a="$ub" -v b="$got_rps" 'BEGIN { d = a > b ? a / b : b / a; printf "%.1f\n", 100 * (d - 1) }')")
		base[$c,$r]=$(( (ub + got_rps) / 2 ))
		basec[$c,$r]=$(awk -v a="$ubc" -v b="$got_scpu" 'BEGIN { printf "%.3f\n", (a + b) / 2 }')
		ub=$got_rps ubc=$got_scpu
		line="$line $c ${rps[$c,$r]}; untraced $got_rps;"
	done
	exec 9>&-
	echo "$line"
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# the quartiles of the values read, "Q1..Q3" (nearest rank)
quartiles() { sort -g | awk '{ v[NR] = $1 } END { q = int((NR + 3) / 4); printf "%.1f..%.1f", v[q], v[NR + 1 - q] }'; }

echo
printf '%-26s %12s %8s %13s %9s %14s %12s\n' "tracer (attached by pid)" "requests/s" "loss" \
	"(quartiles)" "slowdown" "server cpu/req" "tracer cpu/req"
for c in "${configs[@]}"; do
	m=$(for r in $(seq "$ROUNDS"); do echo "${rps[$c,$r]}"; done | median)
	if [ "$c" = untraced ]; then
		m=$(printf '%s\n' "${uall[@]}" | median)
		printf '%-26s %12.0f %7.1f%% %13s %8.2fx %13.2fx %9.2f us\n' "$c" "$m" 0 "" 1 1 0
		continue
	fi
	sc=$(for r in $(seq "$ROUNDS"); do
		awk -v t="${scpu[$c,$r]}" -v u="${basec[$c,$r]}" 'BEGIN { if (u > 0) printf "%.3f\n", t / u; else print 0 }'
	done | median)
	tc=$(for r in $(seq "$ROUNDS"); do echo "${tcpu[$c,$r]}"; done | median)
	losses=$(for r in $(seq "$ROUNDS"); do
		awk -v t="${rps[$c,$r]}" -v u="${base[$c,$r]}" 'BEGIN { printf "%.2f\n", 100 * (1 - t / u) }'
	done)
	loss=$(median <<< "$losses")
	iqr=$(quartiles <<< "$losses")
	slow=$(for r in $(seq "$ROUNDS"); do
		awk -v t="${rps[$c,$r]}" -v u="${base[$c,$r]}" 'BEGIN { printf "%.3f\n", u / t }'
	done | median)
	printf '%-26s %12.0f %7.1f%% %13s %8.2fx %13.2fx %9.2f us\n' "$c" "$m" "$loss" "($iqr)" "$slow" "$sc" "$tc"
done

# how far the machine moved under us: untraced throughput over the run (a
# VM's host can halve it for minutes), and between the two untraced runs
# around a traced one (what the loss of one traced run is exposed to)
spread=$(printf '%s\n' "${uall[@]}" | sort -g |
	awk '{ v[NR] = $1 } END { if (v[1] > 0) printf "%.0f %.0f %.0f", v[1], v[NR], 100 * (v[NR] / v[1] - 1) }')
read -r lo hi pct <<< "$spread"
gap=$([ ${#ugap[@]} -gt 0 ] && printf '%s\n' "${ugap[@]}" | median | awk '{ printf "%.1f", $1 }')
echo "untraced over the run: $lo to $hi requests/s (+$pct %); the two untraced runs around a traced one differ by ${gap:-0} % (median)$(
	[ "${pct:-0}" -gt 25 ] && echo ': a noisy machine; the CPU columns and the replay below move less than the loss')"

# the reader's own CPU per event, without the machine's noise: 2 s of the
# server's events under the same load saved (scripts/capture-raw.sh), then
# replayed through the live reader's path into a model (bench_reader)
replay=$build/bench/bench_reader
if [ "${BENCH_SERVER_REPLAY:-1}" = 1 ] && [ -x "$replay" ]; then
	exec 9> "$LOCK"
	flock 9
	bench $(( warm * 2 )) > /dev/null &	# ~4 s of load (two tests), whatever SECS
	load=$!
	sleep 1
	bash "$(dirname "$0")/capture-raw.sh" "$tmp/capture" 2 "$srv_pid" > "$tmp/capture.log" 2>&1 ||
		{ cat "$tmp/capture.log" >&2; die "capture-raw failed"; }
	wait "$load"
	exec 9>&-
	echo
	echo "reader replay (2 s of this server's events under load, 20 ms drains, CPU time):"
	"$replay" "$tmp/capture" "$(ls "$tmp"/capture/cpu*.raw | wc -l)" 5 | sed 's/^/  /'
fi
exit 0
