# Shared by tests/integration/t_hostile_*.sh (sourced after lib.sh): the
# profiler under a time limit and GNU time, for its peak RSS.
#
# GNU time's %M is the largest peak RSS of the profiler and of every process
# it started (wait4's rusage); the hostile workloads' own peaks are 1-2 MB
# (each test measures its workload alone too, wl_rss), so a bound of tens of
# MB on %M bounds the profiler.  Kernel ring buffers are not in it.

GNU_TIME=/usr/bin/time
"$GNU_TIME" -f '%M' -o /dev/null true 2>/dev/null ||
	fail "GNU time not found at $GNU_TIME (Debian package: time; make deps)"

# measured LIMIT_S OUT ERR ARGS...: "$ILP" ARGS under timeout LIMIT_S
# (SIGTERM, then SIGKILL 5 s later) and GNU time, its stdout to OUT and
# stderr to ERR.  Sets RC (124 or 137: timed out), WALL_S and RSS_KB (empty
# if the profiler was killed), and prints them.
measured() {
	local lim=$1 out=$2 err=$3
	shift 3
	rm -f "$T/gnu_time"
	timeout -k 5 "$lim" "$GNU_TIME" -f '%e %M' -o "$T/gnu_time" "$ILP" "$@" > "$out" 2> "$err"
	RC=$?
	WALL_S="" RSS_KB=""
	[ -s "$T/gnu_time" ] && read -r WALL_S RSS_KB < <(tail -n 1 "$T/gnu_time")
	note "$(basename "$0" .sh): iolockprof $1: exit $RC, ${WALL_S:-?} s, peak RSS ${RSS_KB:-?} KiB"
}

# wl_rss CMD...: the peak RSS (KiB) of CMD run alone, untraced (stdout: the number)
wl_rss() {
	"$GNU_TIME" -f '%M' -o "$T/wl_time" "$@" > /dev/null 2>&1 || fail "untraced $*: failed"
	tail -n 1 "$T/wl_time"
}

# expect_finished WHAT LIMIT_S [REPORT]: the measured run ended by itself, in
# time, with exit status 0
expect_finished() {
	case $RC in
	124 | 137) [ -n "${3:-}" ] && show "$3"; fail "$1: still running after $2 s (killed): it hung" ;;
	0) ;;
	*) [ -n "${3:-}" ] && show "$3"; show "$T/err"; fail "$1: exit status $RC, want 0" ;;
	esac
}

# expect_rss_below WHAT MAX_KB WL_KB: the profiler's peak RSS is under
# MAX_KB, and the workload's own (WL_KB) far enough below for %M to be the
# profiler's
expect_rss_below() {
	[ "$3" -lt $(( $2 / 4 )) ] || fail "$1: the workload alone peaks at $3 KiB: %M would not measure the profiler"
	expect_range "$1: peak RSS (KiB)" "$RSS_KB" 1 "$2"
}

# locks_user REPORT: the Locks (user) section of a text report
locks_user() { awk '/^== Locks \(user\) ==/ { on = 1; next } /^== / { on = 0 } on' "$1"; }

# json_eval FILE PID EXPR: node evaluates EXPR with p = process PID of the
# JSON report FILE (and r = the report); prints the result
json_eval() {
	command -v node > /dev/null 2>&1 || fail "node not installed (make deps installs nodejs)"
	node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const p = r.processes.find(x => x.pid == process.argv[2]);
const sum = (a, f) => (a || []).reduce((s, x) => s + f(x), 0);
console.log(String(eval(process.argv[3])));' "$1" "$2" "$3" || fail "node could not read $1"
}

# validate_json FILE: FILE validates against docs/report.schema.json (ajv;
# noted and not checked when ajv cannot be installed: no npm registry)
validate_json() {
	local here root build
	here=$(cd "$(dirname "$0")" && pwd)
	root=$(cd "$here/../.." && pwd)
	build=$(cd "$(dirname "$ILP")" && pwd)
	export ILP_NODE_DIR="$build/node"
	if ! sh "$root/scripts/install-node-deps.sh" "$build" > "$T/npm.log" 2>&1; then
		note "ajv not installable (npm registry unreachable?): $1 not validated"
		return 0
	fi
	node "$here/validate-json.mjs" "$root/docs/report.schema.json" "$1" > "$T/val" 2>&1 ||
		{ show "$T/val"; fail "$1 does not validate against docs/report.schema.json"; }
}
