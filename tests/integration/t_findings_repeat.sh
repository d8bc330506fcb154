#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# io_reopen 1000 FILE (open/read/close in a loop): exactly one finding,
# [repeat], naming FILE, opened 1000 times; no unbuffered finding for the
# 1000 small reads (one per open: no buffer merges them).  Opened through
# a symlink and "..", relative to the cwd, the file has its one real name.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"

# --min-saving 0 --all: what is checked is the detector, not where the
# 1 ms floor or the 1%-of-wall line for "minor" falls: 3000 calls of
# 0.3-1 us beside the workload's 300 ms hold save under 1 ms and 1% on a
# fast machine (943 us once) and over both on a slow one
f="$T/app.conf"
printf 'key = value\n' > "$f"
ilp run --min-saving 0 --all -o "$T/report" -- "$WL/io_reopen" 1000 "$f" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
expect_findings "$T/report" 1
line=$(findings "$T/report")
printf '%s\n' "$line" | grep -Eqx "\[repeat\] $(file_obj "$f") opened 1000 times and stat'ed 0 times" ||
	{ show "$T/report"; fail "finding line: '$line'"; }
blk=$(finding_block "$T/report" repeat)
printf '%s\n' "$blk" | grep -q ': 3000 calls on it (1000 reads, 12000 B) took ' ||
	{ show "$T/report"; fail "evidence line"; }
printf '%s\n' "$blk" | grep -q 'why: 1000 opens + 0 stats = 1000 >= 100 (--repeat-min)$' ||
	{ show "$T/report"; fail "why line"; }

mkdir "$T/sub" && ln -s app.conf "$T/link.conf" || fail "symlink"
(cd "$T" && ilp run --min-saving 0 --all -o "$T/report2" -- "$WL/io_reopen" 1000 sub/../link.conf 2> "$T/err") ||
	{ show "$T/err"; fail "run through a symlink failed"; }
line=$(findings "$T/report2")
printf '%s\n' "$line" | grep -Eqx "\[repeat\] $(file_obj "$(realpath "$f")") opened 1000 times and stat'ed 0 times" ||
	{ show "$T/report2"; fail "through a symlink, finding line: '$line'"; }

# /etc/mtab -> /proc/mounts -> self/mounts: a magic link is never resolved
# by the profiler (it would name iolockprof's own mounts).  The file each
# open holds is /proc/WL/mounts, the workload's own: read at the call
# (ptrace) every open names it; under ftrace, a /proc file has no page
# cache, so nothing confirms the argument of an fd closed before its
# /proc read: those opens are honestly "name lost", no finding, and any
# open caught while its fd lived names the workload's mounts, never ours
case "$(readlink /etc/mtab 2>/dev/null)" in
/proc/mounts | /proc/self/mounts | ../proc/self/mounts) mtab=1 ;;
*) mtab=0; note "/etc/mtab is not a link into /proc: magic-link case not checked" ;;
esac
if [ $mtab -eq 1 ]; then
	ilp run --all -o "$T/report3" -- "$WL/io_reopen" 1000 /etc/mtab 2> "$T/err" || { show "$T/err"; fail "run on /etc/mtab failed"; }
	wl=$(pids_named "$T/report3" io_reopen)
	[ -n "$wl" ] || { show "$T/report3"; fail "/etc/mtab: no io_reopen section"; }
	others=$(grep -oE '/proc/[0-9]+/mounts' "$T/report3" | grep -v "^/proc/$wl/mounts\$")
	[ -z "$others" ] || { show "$T/report3"; fail "/etc/mtab: named another process's mounts: $others"; }
	if [ "${ILP_BACKEND:-}" = ptrace ]; then
		expect_eq "/etc/mtab: finding" "$(findings "$T/report3")" \
			"[repeat] file /proc/$wl/mounts opened 1000 times and stat'ed 0 times" "$T/report3"
	else
		expect_findings "$T/report3" 0
		grep -q '^  fd 3 (name lost: ' "$T/report3" || { show "$T/report3"; fail "/etc/mtab: no lost name"; }
	fi
fi
ilp run --format json -o "$T/report.json" -- "$WL/io_reopen" 1000 "$f" 2> "$T/err" ||
	{ show "$T/err"; fail "json run failed"; }
check_sum_rule "$T/report.json"
exit 0
