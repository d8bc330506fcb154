#!/bin/bash
# Disk I/O: dio_write makes exactly N O_DIRECT 4096-byte writes to a file on
# a real block device: the Disk I/O section shows N write requests of 4096
# bytes on that device, attributed to the dio_write process.
. "$(dirname "$0")/lib.sh"
N=200

[ -d "$TRACEFS/events/block/block_rq_complete" ] || skip "no block tracepoints in this kernel"
# a directory on a real block device: not tmpfs/overlay
block_dir
[ -n "$dir" ] || skip "no writable directory on a block device (/var/tmp, /work, /tmp are tmpfs/overlay)"
# a partition's I/O is reported on its whole disk's device number (block_dir)
f=$(mktemp "$dir/ilp-dio.XXXXXX") || fail "mktemp in $dir"
on_exit "rm -f '$f'"
dd if=/dev/zero of="$f" bs=4096 count=$N conv=fsync status=none || fail "dd"
sync

ilp run -o "$T/report" -- "$WL/dio_write" "$f" $N 2> "$T/err"
rc=$?
[ $rc -eq 3 ] && skip "the file system of $dir refuses O_DIRECT"
[ $rc -eq 0 ] || { show "$T/err"; show "$T/report"; fail "exit status $rc, want 0"; }
pid=$(pids_named "$T/report" dio_write)
[ -n "$pid" ] || { show "$T/report"; fail "no dio_write section"; }
expect_eq "lost events" "$(lost_events "$T/report")" 0 "$T/report"
sec=$(awk '/^== Disk I\/O ==/ { on = 1 } /^== Locks \(user\)/ { on = 0 } on' "$T/report")
# device line: "device vda (254:0)  requests: ..."
grep -q "^device $name ($maj:$min) " <<< "$sec" || { show "$T/report" 200; fail "no device line for $name ($maj:$min)"; }
# this process's row on that device: pid comm requests bytes read write flush discard
row=$(awk -v dev="$name" -v pid="$pid" '
	/^device / { on = ($2 == dev) }
	on && $1 == pid { print; exit }' <<< "$sec")
[ -n "$row" ] || { show "$T/report" 200; fail "no submitter row for pid $pid on $name"; }
set -- $row
expect_eq "submitter comm" "$2" dio_write "$T/report"
expect_eq "write requests of pid $pid" "$6" $N "$T/report"
# reads: page-ins of its own binary when the page cache is cold are real
# I/O of this process too; they come on top of the N writes
expect_eq "requests of pid $pid (N writes + $5 reads)" "$3" $((N + $5)) "$T/report"
if [ "$5" -eq 0 ]; then
	expect_eq "bytes of pid $pid (N x 4096)" "$4" $((N * 4096)) "$T/report"
else
	[ "$4" -gt $((N * 4096)) ] || { show "$T/report" 200; fail "bytes $4 with $5 reads, want > N x 4096"; }
fi
# the writes were blocking calls on that device (a call that did not
# leave the CPU is not a blocking call: at least one did)
grep -Eq "^  $pid +pwrite64 +[0-9]+ .*fd:[0-9]+.* dev:$name" "$T/report" ||
	{ show "$T/report" 200; fail "no blocking-call row 'pwrite64 ... dev:$name' for tid $pid"; }
exit 0
