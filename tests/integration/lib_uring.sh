# Helpers for t_uring*.sh (bash).  Sourced after lib.sh.

# need_uring_events: skips unless this kernel's io_uring tracepoints carry
# what the decoder pairs requests by (submit_req and file_get with "req")
need_uring_events() {
	local ev=/sys/kernel/tracing/events/io_uring
	grep -q 'field:void \* req;' "$ev/io_uring_submit_req/format" 2>/dev/null &&
		grep -q 'field:int fd;' "$ev/io_uring_file_get/format" 2>/dev/null &&
		grep -q 'field:void \* req;' "$ev/io_uring_complete/format" 2>/dev/null ||
		skip "no io_uring tracepoints with a request pointer (io_uring_submit_req, file_get, complete) on $(uname -r)"
}

# uring_of JSON COMM: the io_uring section of the process named COMM that has one
uring_of() {
	jq -c --arg c "$2" '[.processes[] | select(.comm == $c and .io_uring != null) | .io_uring][0]' "$1"
}

# check_uring_hists JSON: every opcode's and file row's histogram holds its
# requests, and its total_ns lies within what its buckets allow
check_uring_hists() {
	local bad
	bad=$(jq -r '.processes[].io_uring // empty | (.ops[], .files[])
		| select(.requests > 0)
		| . as $r | ($r.histogram.buckets // []) as $b
		| select(([$b[].count] | add // 0) != $r.requests
			 or ([$b[] | .lo_ns * .count] | add // 0) > $r.total_ns
			 or ([$b[] | .hi_ns * .count] | add // 0) < $r.total_ns)
		| "\($r.op) \($r.name // ""): \($r.requests) requests, total \($r.total_ns) ns"' "$1")
	[ -z "$bad" ] || { show "$1"; fail "latency totals inconsistent with the histograms: $bad"; }
}
