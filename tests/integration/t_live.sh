#!/bin/bash
# What a user sees while a capture runs (in a pseudo-terminal, script(1)):
#  - the status line on a terminal: redrawn twice a second with elapsed
#    time, events, lost events and the top wait; erased before the report;
#    none when stderr is not a terminal or with --status never;
#  - attach says what it profiles, with which backend and how to stop it;
#  - run --interval: interim reports; with -o FILE and a document format,
#    each in FILE.1, FILE.2, ..., the final report in FILE.
. "$(dirname "$0")/lib.sh"
command -v script > /dev/null || skip "script(1) missing (util-linux)"

# in_pty LOG CMD...: CMD with a pseudo-terminal of 200 columns (COLS) as its
# stdin/stdout/stderr
in_pty() {
	local log=$1
	shift
	timeout -k 5 "$ILP_TIMEOUT" script -qfec "stty cols ${COLS:-200}; $*" "$log" \
		< /dev/null > /dev/null
}
esc=$(printf '\033')
cr=$(printf '\r')

# ---- the status line: a 1.3 s nanosleep is the top wait ----
in_pty "$T/tty" "$ILP run -o $T/r.txt -- $WL/naps 1 1300000" ||
	{ show "$T/tty"; fail "run in a pty failed"; }
tr '\r' '\n' < "$T/tty" | grep -a '^.\[Kiolockprof: ' | sed 's/^.\[K//' > "$T/lines"
n=$(wc -l < "$T/lines")
expect_range "status lines drawn in 1.3 s (every 0.5 s)" "$n" 1 3 "$T/tty"
grep -vqE '^iolockprof: [0-9.]+ (ms|s), [0-9]+ events, [0-9]+ lost(; top wait: naps nanosleep [0-9.]+ (ms|s) \(pid [0-9]+\))?$' "$T/lines" &&
	{ show "$T/lines"; fail "a status line of another shape"; }
tail -n1 "$T/lines" | grep -q 'top wait: naps nanosleep' ||
	{ show "$T/lines"; fail "the top wait of a sleeping naps is not its nanosleep"; }
# a narrow terminal: the line is cut to its width less one, never wrapped
COLS=40 in_pty "$T/ttyn" "$ILP run -o $T/rn.txt -- $WL/naps 1 700000" || fail "run in a 40-column pty failed"
tr '\r' '\n' < "$T/ttyn" | grep -a '^.\[Kiolockprof' | sed 's/^.\[K//' > "$T/nlines"
expect_range "status lines in 40 columns" "$(wc -l < "$T/nlines")" 1 2 "$T/ttyn"
expect_eq "status cut to 39 columns" "$(awk '{ print length($0) }' "$T/nlines" | sort -u)" 39
# erased at the end: the terminal's last bytes are the erase sequence
# erased at the end: the terminal's last bytes (before script's own trailer
# line) are the erase sequence
expect_eq "status erased at the end" \
	"$(grep -av '^Script done' "$T/tty" | tail -c 5 | od -An -c | tr -d ' ')" '\r033[K\n'
grep -q '^duration: ' "$T/r.txt" || { show "$T/r.txt"; fail "no report in -o file"; }

# the report to the terminal (stderr): the line is erased first, and the
# report's first line starts a line of its own
in_pty "$T/tty2" "$ILP run -- $WL/naps 1 700000" || { show "$T/tty2"; fail "run (report to the pty) failed"; }
# the first report line follows the erase sequence directly
grep -aq "${cr}${esc}\[Kiolockprof " "$T/tty2" ||
	{ show "$T/tty2"; fail "the report does not start right after the erased line"; }
# no status text on any report line
tr '\r' '\n' < "$T/tty2" | grep -a '^duration: ' | grep -aq 'events, .* lost;' &&
	fail "a status line is left on the report"
tr '\r' '\n' < "$T/tty2" | grep -ac "${esc}\[Kiolockprof: .* events, " > "$T/n2"
expect_range "status lines before the report (0.7 s)" "$(cat "$T/n2")" 1 2 "$T/tty2"

# not a terminal, or --status never: no line, no escape
ilp run -o "$T/r3.txt" -- "$WL/naps" 1 700000 2> "$T/err3" || { show "$T/err3"; fail "run failed"; }
[ -s "$T/err3" ] && { show "$T/err3"; fail "stderr not a terminal: something written"; }
in_pty "$T/tty4" "$ILP run --status never -o $T/r4.txt -- $WL/naps 1 700000" || fail "--status never failed"
grep -aq "$esc" "$T/tty4" && { show "$T/tty4"; fail "--status never: an escape sequence"; }
# --status always, stderr a file: drawn anyway
ilp run --status always -o "$T/r5.txt" -- "$WL/naps" 1 700000 2> "$T/err5" || fail "--status always failed"
grep -aq "events, .* lost" "$T/err5" || { show "$T/err5"; fail "--status always: no line"; }

# ---- attach announces itself ----
start_sleeper s 30
ilp attach -d 0.5 -o "$T/a.txt" "$s" 2> "$T/aerr" || { show "$T/aerr"; fail "attach failed"; }
expect_eq "attach: its announcement" "$(sed "s/kill -INT [0-9]*/kill -INT P/" "$T/aerr")" \
	"iolockprof: profiling $s (sleeper) with ftrace until it exits or Ctrl-C (kill -INT P), 0.5 s at most"
start_sleeper s2 30
ilp attach -d 0.5 --interval 5 -o "$T/a2.txt" "$s" "$s2" 2> "$T/aerr2" || { show "$T/aerr2"; fail "attach 2 failed"; }
expect_eq "attach two: its announcement" "$(sed "s/kill -INT [0-9]*/kill -INT P/" "$T/aerr2")" \
	"iolockprof: profiling 2 processes: $s (sleeper), $s2 (sleeper) with ftrace until they all exit or Ctrl-C (kill -INT P), 0.5 s at most; a report every 5 s"

# ---- run --interval: one file per interim report for documents ----
ilp run --interval 0.4 --format json -o "$T/r.json" -- "$WL/naps" 1 1500000 2> "$T/ierr" ||
	{ show "$T/ierr"; fail "run --interval --format json failed"; }
n=$(ls "$T" | grep -c '^r\.json\.[0-9]*$')
expect_range "run --interval 0.4 over 1.5 s: interim files" "$n" 2 3 "$T/ierr"
for i in $(seq "$n"); do
	expect_eq "r.json.$i: interim" "$(jq .capture.interim "$T/r.json.$i")" true
done
expect_eq "r.json: final" "$(jq .capture.interim "$T/r.json")" false
expect_eq "r.json: the one nanosleep" \
	"$(jq '[.processes[].syscalls[] | select(.name == "nanosleep") | .calls] | add' "$T/r.json")" 1
[ -e "$T/r.json.$((n + 1))" ] && fail "a file past the last interim report"
# text: the reports follow each other in the one file
ilp run --interval 0.4 -o "$T/rt.txt" -- "$WL/naps" 1 1000000 2> "$T/terr" || { show "$T/terr"; fail "run --interval text failed"; }
ls "$T" | grep -q '^rt\.txt\.' && fail "text --interval: per-interval files"
expect_range "text --interval: interim reports in the file" "$(grep -c 'interim report' "$T/rt.txt")" 1 2 "$T/rt.txt"
exit 0
