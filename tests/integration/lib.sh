# Shared helpers for tests/integration/t_*.sh (bash).  Sourced, not run.
#
# Environment from run.sh: ILP (the tool), WL (workloads directory).
# Report format parsed here (text report, see the CLI contract):
#   duration: 1.234 s   events: 200004   lost events: 0
#   == pid 1234 (app)  threads: 3  calls: 100012  syscall time: 456.7 ms ==
#   syscall   calls  errors  total ...          <- table header
#   write    100000       0  80.1 ms ...        <- rows, until a blank line
#     -- tid 1235 (worker)  calls: N  syscall time: X --   (with --threads)
# A file may hold several reports (interim ones first): for a pid or tid
# the last section wins.

: "${ILP:?ILP not set (run via tests/integration/run.sh)}"
: "${WL:?WL not set (run via tests/integration/run.sh)}"

TRACEFS=${TRACEFS:-/sys/kernel/tracing}
# Time limit for one tool invocation, seconds.
ILP_TIMEOUT=${ILP_TIMEOUT:-60}

T=$(mktemp -d "${TMPDIR:-/tmp}/ilp-test.XXXXXX") || exit 1
_bg_pids=""
_cleanup_cmds=""

# bg_track PID: kill PID (SIGKILL, by pid) when the test exits.
bg_track() { _bg_pids="$_bg_pids $1"; }
# on_exit CMD: run CMD (eval'd) when the test exits.
on_exit() { _cleanup_cmds="$_cleanup_cmds
$1"; }

_lib_exit() {
	local p
	for p in $_bg_pids; do
		kill -KILL "$p" 2>/dev/null
	done
	for p in $_bg_pids; do
		wait "$p" 2>/dev/null
	done
	eval "$_cleanup_cmds"
	rm -rf "$T"
}
trap _lib_exit EXIT

fail() {
	echo "  FAIL: $*" >&2
	exit 1
}
skip() {
	echo "$*"
	exit 77
}
note() { echo "  $*" >&2; }

# show FILE [LINES]: print (a head of) FILE indented, for failure messages.
show() {
	echo "  --- $1 ---" >&2
	if [ -s "$1" ]; then
		head -n "${2:-60}" "$1" | sed 's/^/  | /' >&2
	else
		echo "  | (empty)" >&2
	fi
}

# ilp ARGS...: the tool under a time limit (exit 124 on timeout).
# With ILP_BACKEND set (run.sh does, to run the tests marked "# backend: any"
# under ptrace when tracefs is unusable), run and attach get --backend.
ilp() {
	if [ -n "${ILP_BACKEND:-}" ] && { [ "${1:-}" = run ] || [ "${1:-}" = attach ]; }; then
		local cmd=$1
		shift
		set -- "$cmd" --backend="$ILP_BACKEND" "$@"
	fi
	timeout -k 5 "$ILP_TIMEOUT" "$ILP" "$@"
}

# pid_section REPORT PID: the last section of PID (header to next "== pid").
pid_section() {
	awk -v pid="$2" '
		/^== pid / { on = ($3 == pid); if (on) buf = ""; }
		/^duration:/ { on = 0 }
		on { buf = buf $0 "\n" }
		END { printf "%s", buf }' "$1"
}

# pids_named REPORT COMM: pids whose (last) section is named COMM, one per line.
pids_named() {
	awk -v comm="($2)" '/^== pid / && $4 == comm { print $3 }' "$1" | sort -un
}

# all_pids REPORT: every pid with a section.
all_pids() { awk '/^== pid / { print $3 }' "$1" | sort -un; }

# _table_count: stdin is a section; prints column 2 of row NAME in the first
# table (header "syscall ..." to blank line) before any "-- tid" line, or 0.
_table_count() {
	awk -v name="$1" '
		/^[ \t]*-- tid / { exit }
		/^[ \t]*syscall[ \t]/ { intable = 1; next }
		intable && /^[ \t]*$/ { exit }
		intable && $1 == name { v = $2; gsub(/,/, "", v); print v; found = 1; exit }
		END { if (!found) print 0 }'
}

# sc_count REPORT PID SYSCALL: SYSCALL's calls in PID's process table; 0 if
# the row is absent; empty output and status 1 if PID has no section.
sc_count() {
	local sec
	sec=$(pid_section "$1" "$2")
	[ -n "$sec" ] || return 1
	printf '%s\n' "$sec" | _table_count "$3"
}

# sc_rows REPORT PID: syscall names in PID's process table, one per line.
sc_rows() {
	pid_section "$1" "$2" | awk '
		/^[ \t]*-- tid / { exit }
		/^[ \t]*syscall[ \t]/ { intable = 1; next }
		intable && /^[ \t]*$/ { exit }
		intable && NF >= 3 { print $1 }'
}

# hdr_field REPORT PID FIELD: a "FIELD: value" from PID's header line
# (FIELD = threads | calls).
hdr_field() {
	awk -v pid="$2" -v f="$3:" '
		/^== pid / && $3 == pid { v = ""; for (i = 4; i < NF; i++) if ($i == f) v = $(i + 1) }
		END { print v }' "$1"
}

# tids REPORT PID: tids with a "-- tid" section inside PID's section.
tids() {
	pid_section "$1" "$2" | awk '$1 == "--" && $2 == "tid" { print $3 }' | sort -un
}

# tid_count REPORT PID TID SYSCALL: SYSCALL's calls in TID's table, 0 if absent.
tid_count() {
	pid_section "$1" "$2" | awk -v tid="$3" '
		$1 == "--" && $2 == "tid" { on = ($3 == tid); if (on) buf = ""; next }
		on { buf = buf $0 "\n" }
		END { printf "%s", buf }' | _table_count "$4"
}

# lost_events REPORT: the last "lost events: N" value (empty if none).
lost_events() {
	awk '/^duration:/ { for (i = 1; i < NF; i++) if ($i == "lost" && $(i + 1) == "events:") v = $(i + 2) }
	     END { print v }' "$1"
}

# expect_eq WHAT GOT WANT [REPORT]: fail, showing REPORT, unless GOT == WANT.
expect_eq() {
	if [ "$2" != "$3" ]; then
		[ -n "${4:-}" ] && show "$4"
		fail "$1: got '${2}', want '${3}'"
	fi
}

# expect_range WHAT GOT LO HI [REPORT]: LO <= GOT <= HI (integers).
expect_range() {
	case $2 in
	'' | *[!0-9]*) [ -n "${5:-}" ] && show "$5"; fail "$1: got '$2', want a number in [$3, $4]" ;;
	esac
	if [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then
		[ -n "${5:-}" ] && show "$5"
		fail "$1: got $2, want in [$3, $4]"
	fi
}

# expect_one_line WHAT FILE: FILE is exactly one line starting "iolockprof: ".
expect_one_line() {
	local n
	n=$(wc -l < "$2")
	if [ "$n" -ne 1 ] || ! head -n 1 "$2" | grep -q '^iolockprof: '; then
		show "$2"
		fail "$1: want exactly one line starting 'iolockprof: ', got $n line(s)"
	fi
}

# start_sleeper OUTVAR SECONDS [threads]: start a sleeper in the background,
# wait until it printed its pid, store the pid in OUTVAR; killed at exit.
start_sleeper() {
	local var=$1 out pid i
	shift
	out=$(mktemp "$T/sleeper.XXXXXX")
	"$WL/sleeper" "$@" > "$out" &
	pid=$!
	bg_track "$pid"
	for i in $(seq 100); do
		[ -s "$out" ] && break
		sleep 0.05
	done
	[ "$(cat "$out")" = "$pid" ] || fail "sleeper $*: did not print its pid $pid (got '$(cat "$out")')"
	printf -v "$var" '%s' "$pid"
}

# proc_running PID: PID exists, is not a zombie and not stopped.
proc_running() {
	local state
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)
	case $state in
	Z | X | T | t) return 1 ;;
	esac
	return 0
}

# wait_gone PID SECONDS: wait for a (child) PID to exit; 1 on timeout.
wait_gone() {
	local i n=$(( $2 * 10 ))
	for i in $(seq "$n"); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

# block_dir: sets dir, maj, min and name to a writable directory on a real
# block device (not tmpfs/overlay) and the numbers and name of the disk its
# block requests are reported on (a partition's whole disk);
# returns 1 (dir empty) if there is none.
block_dir() {
	local d devno
	dir="" maj="" min="" name=""
	for d in /var/tmp /work /tmp; do
		[ -d "$d" ] && [ -w "$d" ] || continue
		devno=$(stat -c '%d' "$d" 2>/dev/null) || continue
		maj=$((devno >> 8 & 0xfff)) min=$(( (devno & 0xff) | (devno >> 12 & 0xfff00) ))
		if [ -e "/sys/dev/block/$maj:$min" ]; then
			dir=$d
			# a partition's requests carry its disk's number (the kernel
			# remaps the bio to the whole disk before block_bio_queue)
			if [ -e "/sys/dev/block/$maj:$min/partition" ]; then
				devno=$(cat "/sys/dev/block/$maj:$min/../dev") || { dir=""; continue; }
				maj=${devno%%:*} min=${devno##*:}
			fi
			name=$(awk -F= '$1 == "DEVNAME" { print $2 }' "/sys/dev/block/$maj:$min/uevent")
			return 0
		fi
	done
	return 1
}

# Instance ownership (include/owner.h): a session's instances are
# iolockprof-<16 letters> and ...-sys; it holds an flock on
# $ILP_LOCKDIR/<name>.lock while it lives.
ILP_LOCKDIR=/run/iolockprof

# lock_free NAME: NAME's lock file exists and nobody holds its lock
lock_free() { [ -f "$ILP_LOCKDIR/$1.lock" ] && ( exec 8< "$ILP_LOCKDIR/$1.lock" && flock -n 8 ) 2>/dev/null; }

# new_token: 16 random lowercase letters (an instance name's token)
new_token() { tr -dc a-z < /dev/urandom | head -c 16; }

# instance_of PID: the instance (base name) whose lock PID took, as
# /proc/locks tells it (in our pid namespace); empty if none.
instance_of() {
	local f ino
	for f in "$ILP_LOCKDIR"/iolockprof-*.lock; do
		[ -f "$f" ] || continue
		ino=$(stat -c %i "$f") || continue
		if awk -v ino=":$ino" -v pid="$1" '$2 == "FLOCK" && $5 == pid &&
		       substr($6, length($6) - length(ino) + 1) == ino { f = 1 } END { exit !f }' /proc/locks; then
			f=${f##*/}
			echo "${f%.lock}"
			return 0
		fi
	done
}

# expect_gone WHAT NAME: neither instance of session NAME nor its lock file is left
expect_gone() {
	local n
	for n in "$2" "$2-sys"; do
		[ -d "$TRACEFS/instances/$n" ] && fail "$1: instance $n was not removed"
	done
	[ -e "$ILP_LOCKDIR/$2.lock" ] && fail "$1: lock file $2.lock was not removed"
	return 0
}

# wait_instance_of OUTVAR PID SECONDS: wait until PID holds an instance's
# lock and both its directories exist; the name in OUTVAR (1 on timeout).
wait_instance_of() {
	local _i _n _prev=""
	for _i in $(seq $(( $3 * 20 ))); do
		_n=$(instance_of "$2")
		if [ -n "$_n" ] && [ -d "$TRACEFS/instances/$_n" ] && [ -d "$TRACEFS/instances/$_n-sys" ]; then
			# twice in a row: a session holds a stale instance's lock too,
			# for the moment it takes to remove it
			if [ "$_n" = "$_prev" ]; then
				printf -v "$1" '%s' "$_n"
				return 0
			fi
			_prev=$_n
		fi
		sleep 0.05
	done
	return 1
}

# backends: the backends a test that tries each should try: both, or only
# ILP_BACKEND when run.sh set it (tracefs unusable)
# public_copy FILE: a copy of FILE that every user can run (T is 0700, and
# a clone under /root is not searchable by others), in a directory removed
# at exit; prints its path.
public_copy() {
	[ -n "${_pub:-}" ] || {
		_pub=$(mktemp -d "${TMPDIR:-/tmp}/ilp-pub.XXXXXX") || fail "mktemp"
		chmod 755 "$_pub"
		on_exit 'rm -rf "$_pub"'
	}
	cp "$1" "$_pub/" && chmod 755 "$_pub/${1##*/}" || fail "cannot copy $1 to $_pub"
	echo "$_pub/${1##*/}"
}
backends() { echo "${ILP_BACKEND:-ftrace ptrace}"; }

# need_chrome: skip the test unless headless Chromium is installed; then
# chrome_run ARGS... runs it (no sandbox, no network of its own, a fresh
# profile in T) on ARGS, for at most 60 s: --dump-dom URL, --screenshot=...
need_chrome() {
	chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
	[ -n "$chrome" ] || skip "chromium not installed (make deps installs it)"
}
chrome_run() {
	timeout -k 5 60 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" "$@"
}
