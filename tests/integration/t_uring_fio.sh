#!/bin/bash
# io_uring with a real client: fio's io_uring engine, 4 MiB of random 4 KiB
# buffered writes to a file fio lays out first (with syscalls): exactly
# 4M / 4k = 1024 write requests, 4194304 bytes, all on the file by its
# name, in fio's job process (a child of the one run started), with the
# latency totals within their histograms.  The tracepoints carry no
# offset: no random-I/O finding can come from io_uring requests.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"
. "$(dirname "$0")/lib_uring.sh"
need_uring_events
command -v fio > /dev/null || skip "no fio (scripts/install-deps.sh test installs it)"

f="$T/fio.dat"
ilp run --min-saving 0 --all --format json -o "$T/r.json" -- fio --name=job --ioengine=io_uring \
	--rw=randwrite --bs=4k --size=4M --direct=0 --filename="$f" --output="$T/fio.out" 2> "$T/err" ||
	{ show "$T/err"; show "$T/fio.out"; fail "run failed"; }
n=$(jq '[.processes[] | select(.io_uring != null)] | length' "$T/r.json")
expect_eq "processes with io_uring requests" "$n" 1 "$T/r.json"
u=$(uring_of "$T/r.json" fio)
num() { printf '%s' "$u" | jq -r "$@"; }
# fio 3.33 writes with IORING_OP_WRITE; older ones with WRITEV
expect_eq "write requests" "$(num '[.ops[] | select(.op == "WRITE" or .op == "WRITEV") | .requests] | add')" 1024
expect_eq "bytes written" "$(num '[.ops[] | select(.op == "WRITE" or .op == "WRITEV") | .bytes] | add')" 4194304
expect_eq "submitted" "$(num .submitted)" 1024
expect_eq "completed" "$(num .completed)" 1024
expect_eq "write requests on the file" \
	"$(num --arg n "file $f" '[.files[] | select(.name == $n) | .requests] | add')" 1024
check_uring_hists "$T/r.json"
check_sum_rule "$T/r.json"
expect_eq "random findings" "$(jq '[.findings[] | select(.kind == "random")] | length' "$T/r.json")" 0
exit 0
