# Helpers for t_findings_*.sh (bash).  Sourced after lib.sh.
#
# The Findings section of a text report (first after the header):
#   Findings (N, ranked by the time a fix would save):
#   [KIND] WHAT                      <- one line per finding
#         pid P (comm) tid T: EVIDENCE
#         why: ...
#         fix: ...; saves up to ~X and N syscalls (severity: S)
# or "Findings: none (...)".  A file name the tool read from the call's
# argument (the fd was closed before it could look) carries the suffix
# " (name from call argument)"; both spellings name the right file.

# findings REPORT: the "[KIND] WHAT" lines of the last Findings section.
findings() {
	awk '/^Findings/ { buf = ""; on = 1; next }
	     /^== pid / { on = 0 }
	     on && /^\[/ { buf = buf $0 "\n" }
	     END { printf "%s", buf }' "$1"
}

# finding_block REPORT KIND: the 4 lines of the first finding of KIND.
finding_block() {
	awk -v k="[$2]" 'index($0, k) == 1 { on = 1; n = 0 }
	     on { print; if (++n == 4) exit }' "$1"
}

# file_obj PATH: the two ways a file object may be spelled, as a regex
# alternative usable in grep -E (PATH escaped).
file_obj() {
	local p
	p=$(printf '%s' "$1" | sed 's/[][\.*^$/+?(){}|]/\\&/g')
	printf 'file %s( \\(name from call argument\\))?' "$p"
}

# expect_findings REPORT N: exactly N finding lines.
expect_findings() {
	local n
	n=$(findings "$1" | grep -c .)
	expect_eq "number of findings" "$n" "$2" "$1"
}

# io_row REPORT PATH: the I/O-by-object table row of file PATH (long names
# are shown by their tail, so the row is found by its last component).
io_row() {
	awk -v tail="/${2##*/}" '/^  I\/O by object/ { on = 1; next }
	     on && /^$/ { on = 0 }
	     on && index($0, tail " ") { print; exit }' "$1"
}

# check_sum_rule JSON: the sum rule of docs/detectors.md on a --format json
# report: the savings of all findings, nested ones included, add up to at
# most the capture's duration and to at most the processes' time inside
# syscalls; the calls they remove, to at most the calls made (syscalls and
# completed io_uring requests: a finding on requests removes requests).  Summed
# here with jq from the report's plain numbers.
check_sum_rule() {
	local out sav wall sys scalls calls
	out=$(jq -r '
		[.findings[]? | recurse(.children[]?)] as $f
		| [ ([$f[].saving_ns] | add // 0), .capture.duration_ns,
		    ([.processes[].total_ns] | add // 0),
		    ([$f[].saving_calls] | add // 0),
		    ([.processes[] | .calls + (.io_uring.completed // 0)] | add // 0) ]
		| @tsv' "$1") || { show "$1"; fail "sum rule: $1 is not a JSON report"; }
	read -r sav wall sys scalls calls <<< "$out"
	[ -n "$calls" ] || { show "$1"; fail "sum rule: no numbers in $1"; }
	if [ "$sav" -gt "$wall" ] || [ "$sav" -gt "$sys" ] || [ "$scalls" -gt "$calls" ]; then
		show "$1" 200
		fail "sum rule: savings $sav ns (wall $wall ns, in syscalls $sys ns), $scalls calls removed of $calls"
	fi
	note "sum rule: savings $sav ns <= wall $wall ns and syscall time $sys ns"
}
