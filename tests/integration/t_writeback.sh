#!/bin/bash
# Writeback attribution: buffered_sync dirties KIB KiB of a new file on a
# block device through the page cache, then syncfs makes the flusher
# kworker write it back (the writer sleeps in syncfs; it submits none of
# the data).  The Disk I/O section shows the kworker's rows "written back
# for pid P (buffered_sync) inode I" with exactly KIB KiB of writes and no
# reads, and the process line says the same bytes were written back for
# it; the process's own requests (metadata syncfs flushes from its own
# context) do not include the data.
. "$(dirname "$0")/lib.sh"
KIB=4096

[ -d "$TRACEFS/events/writeback/writeback_single_inode_start" ] ||
	skip "no writeback_single_inode_start tracepoint in this kernel"
[ -d "$TRACEFS/events/writeback/writeback_dirty_folio" ] ||
	[ -d "$TRACEFS/events/writeback/writeback_dirty_page" ] ||
	skip "no writeback_dirty_folio/page tracepoint in this kernel"
block_dir
[ -n "$dir" ] || skip "no writable directory on a block device (/var/tmp, /work, /tmp are tmpfs/overlay)"
f=$(mktemp "$dir/ilp-wb.XXXXXX") || fail "mktemp in $dir"
on_exit "rm -f '$f'"

ilp run -o "$T/report" -- "$WL/buffered_sync" "$f" $KIB 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
pid=$(pids_named "$T/report" buffered_sync)
[ -n "$pid" ] || { show "$T/report"; fail "no buffered_sync section"; }
ino=$(stat -c '%i' "$f")
expect_eq "lost events" "$(lost_events "$T/report")" 0 "$T/report"
sec=$(awk '/^== Disk I\/O ==/ { on = 1 } /^== Locks \(user\)/ { on = 0 } on' "$T/report")
# submitter rows: "  - kworker/u8:3 REQUESTS BYTES READ WRITE ... (kernel thread: written back for pid P (buffered_sync) inode I)"
rows=$(grep -F "(kernel thread: written back for pid $pid (buffered_sync) inode $ino)" <<< "$sec")
[ -n "$rows" ] || { show "$T/report" 60; fail "no kworker row written back for pid $pid inode $ino"; }
expect_eq "kworker rows: submitter pid column" "$(awk '{ print $1 }' <<< "$rows" | sort -u)" "-" "$T/report"
expect_eq "kworker rows: comm is a kworker" "$(awk '$2 !~ /^kworker\// { print $2 }' <<< "$rows")" "" "$T/report"
expect_eq "bytes written back for pid $pid inode $ino" \
	"$(awk '{ s += $4 } END { print s }' <<< "$rows")" $((KIB * 1024)) "$T/report"
expect_eq "reads in that writeback" "$(awk '{ s += $5 } END { print s }' <<< "$rows")" 0 "$T/report"
expect_eq "requests = writes in that writeback" "$(awk '{ s += $3 } END { print s }' <<< "$rows")" \
	"$(awk '{ s += $6 } END { print s }' <<< "$rows")" "$T/report"
# the process line: written back for it = the same bytes (no other file of its)
line=$(grep "^pid $pid (buffered_sync)  submitted: " <<< "$sec")
[ -n "$line" ] || { show "$T/report" 60; fail "no Disk I/O process line for pid $pid"; }
wb=$(sed -n 's/.*written back for it by kernel threads: [0-9]* requests, \([0-9]*\) bytes$/\1/p' <<< "$line")
expect_eq "written back for pid $pid (process line)" "$wb" $((KIB * 1024)) "$T/report"
own=$(sed -n 's/.*submitted: [0-9]* requests, \([0-9]*\) bytes .*/\1/p' <<< "$line")
[ -n "$own" ] && [ "$own" -lt $((KIB * 1024)) ] ||
	{ show "$T/report" 60; fail "pid $pid submitted $own bytes itself: the data went out in its context"; }
exit 0
