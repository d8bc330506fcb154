#!/bin/bash
# run -- /bin/true: until the command execs, iolockprof reads only what
# decoding needs from tracefs: the page header and the formats of its own
# events, each enabled by its own file.  Not /proc/kallsyms, the printk
# formats or saved_cmdlines (a tep of whole event systems loads those:
# 0.1-0.3 s of every start), and not the events tree of tracefs
# (tracefs_event_enable() walks it for each event: 5000 stats a call).
. "$(dirname "$0")/lib.sh"

command -v strace > /dev/null || skip "strace not installed (scripts/install-deps.sh test)"

strace -f -e trace=%file -e signal=none -o "$T/trace" \
	timeout -k 5 "$ILP_TIMEOUT" "$ILP" run -o "$T/report" -- /bin/true 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "exit status $rc, want 0"; }
grep -q 'execve("/bin/true"' "$T/trace" || { show "$T/trace"; fail "no exec of /bin/true in the trace"; }
# everything iolockprof did before the command's exec
awk '/execve\("\/bin\/true"/ { exit } { print }' "$T/trace" > "$T/start"

expect_eq "reads of /proc/kallsyms, printk_formats or saved_cmdlines at start" \
	"$(grep -c -E '/proc/kallsyms|/printk_formats"|/saved_cmdlines"' "$T/start")" 0 "$T/start"
# the top-level events directory: its page header only (an instance's
# events are under instances/)
expect_eq "paths under $TRACEFS/events/ other than header_page at start" \
	"$(grep -o "\"$TRACEFS/events/[^\"]*\"" "$T/start" | grep -v -c "^\"$TRACEFS/events/header_page\"$")" \
	0 "$T/start"
# and the command was traced all the same
expect_eq "execve calls of /bin/true in the report" \
	"$(sc_count "$T/report" "$(pids_named "$T/report" true)" execve)" 1 "$T/report"
exit 0
