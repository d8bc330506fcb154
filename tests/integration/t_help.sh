#!/bin/bash
# tracefs: not needed (runs when instance creation is broken; see run.sh)
# --help: exit 0, mentions run, attach, EXAMPLES.  Each command's help (run
# --help, help run, --help run, run -h): its usage line, its options only.  --version: exit 0 and a
# version number.  Unknown option: exit 2.
. "$(dirname "$0")/lib.sh"

ilp --help > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "--help: exit $rc, want 0"; }
for w in run attach EXAMPLES; do
	grep -qw "$w" "$T/out" || { show "$T/out"; fail "--help (stdout) does not mention '$w'"; }
done

# CMD --help, CMD -h, help CMD, --help CMD: that command's usage line and
# only its options (the option table's .cmds), exit 0, nothing on stderr
# has() OUT WHAT...: the help item of each option is (or, with !, is not) there
has() {
	local out=$1 w
	shift
	for w in "$@"; do
		if [ "${w#!}" != "$w" ]; then
			grep -qE "^(  -., |      )--${w#!}( |\$)" "$out" && { show "$out" 200; fail "$out: lists --${w#!}"; }
		else
			grep -qE "^(  -., |      )--$w( |\$)" "$out" || { show "$out" 200; fail "$out: lacks --$w"; }
		fi
	done
	return 0
}
for c in run attach record report; do
	ilp $c --help > "$T/$c" 2> "$T/err"
	rc=$?
	[ $rc -eq 0 ] || { show "$T/err"; fail "$c --help: exit $rc, want 0"; }
	[ -s "$T/err" ] && { show "$T/err"; fail "$c --help: wrote to stderr"; }
	head -n 1 "$T/$c" | grep -q "^usage: iolockprof $c " || { show "$T/$c"; fail "$c --help: no usage line of $c first"; }
	grep -q 'EXAMPLES' "$T/$c" || { show "$T/$c"; fail "$c --help: no EXAMPLES"; }
	grep -q "^  iolockprof $c " "$T/$c" || { show "$T/$c" 200; fail "$c --help: no example of $c"; }
	grep "^  iolockprof " "$T/$c" | grep -v "^  iolockprof $c " > "$T/other"
	[ -s "$T/other" ] && { show "$T/other"; fail "$c --help: examples of other commands"; }
	for form in "help $c" "--help $c" "$c -h"; do
		ilp $form > "$T/out" 2>&1
		rc=$?
		[ $rc -eq 0 ] || fail "$form: exit $rc, want 0"
		cmp -s "$T/out" "$T/$c" || { diff "$T/$c" "$T/out" | head >&2; fail "$form differs from $c --help"; }
	done
done
has "$T/run" syscalls follow-forks user names output format buffer-size help \
	interval !duration !pid !input !version !remove-stale
has "$T/attach" pid duration interval syscalls follow-forks backend help \
	!user !names !input !version
has "$T/record" pid duration user names output follow-forks !input !version
has "$T/report" input format threads hist slow all \
	!pid !duration !interval !user !names !follow-forks !version
ilp help diff > "$T/out" 2>&1 && ilp diff --help > "$T/diff" 2>&1 || fail "help diff or diff --help: not exit 0"
cmp -s "$T/out" "$T/diff" || fail "help diff differs from diff --help"
grep -q "^usage: iolockprof diff " "$T/diff" || { show "$T/diff"; fail "diff --help: no usage line"; }
for bad in "help frobnicate" "help run attach"; do
	ilp $bad > "$T/out" 2> "$T/err"
	rc=$?
	[ $rc -eq 2 ] || { show "$T/err"; fail "$bad: exit $rc, want 2"; }
	expect_one_line "$bad: stderr" "$T/err"
done

ilp --version > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "--version: exit $rc, want 0"; }
grep -qE '[0-9]+\.[0-9]+' "$T/out" || { show "$T/out"; fail "--version prints no version number on stdout"; }

ilp --no-such-option > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 2 ] || { show "$T/err"; fail "--no-such-option: exit $rc, want 2"; }
ilp run --no-such-option -- "$WL/writes" 1 > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 2 ] || { show "$T/err"; fail "run --no-such-option: exit $rc, want 2"; }
ilp frobnicate > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 2 ] || { show "$T/err"; fail "unknown subcommand: exit $rc, want 2"; }
exit 0
