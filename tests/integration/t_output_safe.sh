#!/bin/bash
# Files written as root (include/outfile.h): a symlink planted at -o's path
# is replaced, never followed (its target stays as it was), for run,
# report and record; a symlink planted where record's per-CPU side files
# used to go (FILE.cpuN) is not followed either; a FIFO at -o gives one
# line and a non-zero exit, never a hang; a trace is mode 0600, a report
# keeps an existing file's mode and owner; a run that fails leaves the old
# file as it was; no temporary file is left; "-" is standard output.
. "$(dirname "$0")/lib.sh"

D=$T/out
mkdir "$D" && chmod 1777 "$D"
victim=$T/victim
printf 'precious\n' > "$victim"
check_victim() {
	[ "$(cat "$victim")" = precious ] || fail "$1: the symlink's target was written: $(head -c 200 "$victim")"
}
no_temp() {
	local left
	left=$(ls -A "$D" | grep '^\.' )
	[ -z "$left" ] || fail "$1: temporary files left: $left"
}

# run -o SYMLINK
ln -s "$victim" "$D/run.txt"
ilp run -o "$D/run.txt" -- "$WL/writes" 7 2> "$T/e1" || { show "$T/e1"; fail "run -o symlink failed"; }
check_victim "run -o symlink"
[ -L "$D/run.txt" ] && fail "run -o symlink: still a symlink"
p=$(pids_named "$D/run.txt" writes)
expect_eq "run -o symlink: write calls in the report" "$(sc_count "$D/run.txt" "$p" write)" 7 "$D/run.txt"
expect_eq "run -o new file: mode" "$(stat -c %a "$D/run.txt")" "$(printf '%o' $(( 0666 & ~$(umask) )))"
no_temp "run"

# an existing report keeps its mode and owner; a failed run leaves it as it was
chmod 640 "$D/run.txt" && chown 4321:4321 "$D/run.txt"
ilp run -o "$D/run.txt" -- "$WL/writes" 3 2> "$T/e2" || { show "$T/e2"; fail "run over an existing report failed"; }
expect_eq "existing report: mode" "$(stat -c %a "$D/run.txt")" 640
expect_eq "existing report: owner" "$(stat -c %u:%g "$D/run.txt")" 4321:4321
before=$(md5sum < "$D/run.txt")
ilp run -o "$D/run.txt" -- "$T/no-such-program" 2> "$T/e3"
expect_eq "run of a missing program: exit" "$?" 127 "$T/e3"
expect_eq "a failed run left the old report" "$(md5sum < "$D/run.txt")" "$before"
no_temp "failed run"

# record -o SYMLINK, with symlinks at the old side-file paths FILE.cpuN
ln -s "$victim" "$D/rec.dat"
for i in 0 1 2 3 4 5 6 7; do ln -s "$victim" "$D/rec.dat.cpu$i"; done
ilp record -o "$D/rec.dat" -- "$WL/writes" 11 2> "$T/e4" || { show "$T/e4"; fail "record -o symlink failed"; }
check_victim "record -o symlink (and FILE.cpuN symlinks)"
[ -f "$D/rec.dat" ] && [ ! -L "$D/rec.dat" ] || fail "record: the trace is not a regular file"
expect_eq "record: trace mode" "$(stat -c %a "$D/rec.dat")" 600
for i in 0 1 2 3 4 5 6 7; do
	[ -L "$D/rec.dat.cpu$i" ] || fail "record: the planted $D/rec.dat.cpu$i was touched"
done
rm -f "$D"/rec.dat.cpu*
no_temp "record"

# report -o SYMLINK
ln -s "$victim" "$D/rep.txt"
ilp report -i "$D/rec.dat" -o "$D/rep.txt" 2> "$T/e5" || { show "$T/e5"; fail "report -o symlink failed"; }
check_victim "report -o symlink"
p=$(pids_named "$D/rep.txt" writes)
expect_eq "report -o symlink: write calls" "$(sc_count "$D/rep.txt" "$p" write)" 11 "$D/rep.txt"
no_temp "report"

# a FIFO at -o: one line, non-zero, no hang (nobody reads it)
mkfifo "$D/fifo"
ilp run -o "$D/fifo" -- "$WL/writes" 1 > /dev/null 2> "$T/e6"
expect_eq "run -o FIFO: exit" "$?" 125 "$T/e6"
expect_one_line "run -o FIFO" "$T/e6"
grep -q 'not a regular file' "$T/e6" || { show "$T/e6"; fail "run -o FIFO: no reason given"; }
ilp report -i "$D/rec.dat" -o "$D/fifo" 2> "$T/e7"
expect_eq "report -o FIFO: exit" "$?" 1 "$T/e7"
expect_one_line "report -o FIFO" "$T/e7"
ilp record -o "$D/fifo" -- "$WL/writes" 1 2> "$T/e8"
expect_eq "record -o FIFO: exit" "$?" 125 "$T/e8"
expect_one_line "record -o FIFO" "$T/e8"
[ -p "$D/fifo" ] || fail "the FIFO was replaced"
ilp run -o "$D" -- "$WL/writes" 1 > /dev/null 2> "$T/e9"
expect_eq "run -o DIRECTORY: exit" "$?" 125 "$T/e9"
expect_one_line "run -o DIRECTORY" "$T/e9"

# --interval: each interim report appears whole (written to a copy, then
# renamed over the file): at any time, as many reports begun as finished
start_sleeper sp 30
ilp attach --interval 0.3 -d 3 -o "$D/live.txt" "$sp" 2> "$T/e11" &
ap=$!
snaps=0
for i in $(seq 40); do
	sleep 0.07
	[ -f "$D/live.txt" ] || continue
	cp "$D/live.txt" "$T/snap"
	b=$(grep -c '^iolockprof [0-9.]*: ' "$T/snap")
	e=$(grep -c '^== Blocking calls ==' "$T/snap")
	[ "$b" = "$e" ] || { show "$T/snap" 400; fail "--interval -o: $b reports begun, $e finished in the file"; }
	[ "$b" -ge 1 ] && snaps=$((snaps + 1))
done
wait "$ap" || { show "$T/e11"; fail "attach --interval -o failed"; }
[ "$snaps" -ge 5 ] || fail "--interval -o: the file held reports in only $snaps of 40 looks"
[ "$(grep -c '^duration: ' "$D/live.txt")" -ge 5 ] || { show "$D/live.txt"; fail "--interval -o: too few reports in the end"; }
no_temp "attach --interval"

# "-": the report on standard output
ilp run -o - -- "$WL/writes" 5 > "$T/stdout" 2> "$T/e10" || { show "$T/e10"; fail "run -o - failed"; }
p=$(pids_named "$T/stdout" writes)
expect_eq "run -o -: write calls on stdout" "$(sc_count "$T/stdout" "$p" write)" 5 "$T/stdout"
[ -e ./- ] && fail "run -o - made a file named -"
no_temp "end"
exit 0
