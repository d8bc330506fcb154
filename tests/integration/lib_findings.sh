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
