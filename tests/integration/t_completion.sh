#!/bin/bash
# tracefs: not needed (no capture; runs when instance creation is broken)
# The bash completion (contrib/bash-completion/iolockprof), sourced into
# this bash and called as bash calls it: the commands are --help's, diff's
# options are diff --help's (the table's options per command are
# tests/unit/test_completion.c's), and each kind of word completes to what
# it should: option names per command, the values of --format, --backend,
# --names, --status, users, pids, files, .json files for diff, the command to
# profile after run's "--" and then its files, never our options after it.
. "$(dirname "$0")/lib.sh"

src=$(cd "$(dirname "$0")/../.." && pwd)
bash -n "$src/contrib/bash-completion/iolockprof" || fail "the completion script does not parse"
. "$src/contrib/bash-completion/iolockprof" 2> "$T/source.err" ||
	{ show "$T/source.err"; fail "sourcing the completion script failed"; }
complete -p iolockprof | grep -q -- '-F _iolockprof iolockprof$' ||
	fail "no 'complete -F _iolockprof iolockprof'"

# comp WORD...: the completions of the last word after the others, sorted,
# one per line ("" for the empty word); bash's errors go to $T/comp.err
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_iolockprof 2>> "$T/comp.err"
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}
# want "WORD WORD..." WORD...: exactly these completions (space-separated)
want() {
	local w=$1
	shift
	comp "$@" > "$T/got"
	printf '%s\n' $w | sort > "$T/want"
	[ -n "$w" ] || : > "$T/want"
	diff -u "$T/want" "$T/got" >&2 || fail "completing '$*': not '$w'"
}

# the commands: --help's usage lines (up to the first blank line), and help
$ILP --help > "$T/help" || fail "--help failed"
cmds=$(sed -n '/^$/q; s/^\(usage:\)\{0,1\} *iolockprof \([a-z][a-z]*\) .*/\2/p' "$T/help")
[ "$(printf '%s\n' $cmds | wc -l)" -ge 5 ] || { show "$T/help"; fail "no commands in --help"; }
want "$(printf '%s\n' $cmds help | sort -u | tr '\n' ' ')" iolockprof ""	# (help: a command of its own in --help too)
want "record report run" iolockprof r
want "--help -h --version -V --remove-stale" iolockprof -
want "--version" iolockprof --v

# options per command (the lists themselves: test_completion.c)
want "--follow-forks --format" iolockprof run --fo
want "--follow-forks --format" iolockprof run -o out --fo
want "" iolockprof attach --na		# --names is run's and record's
want "--names" iolockprof record --na
want "--input" iolockprof report --in
want "--input" iolockprof report --threads -o x --in
want "--trigger" iolockprof watch --tr
want "--before --before-mb" iolockprof watch --trigger 'call > 1s' --bef
# diff: the options its --help lists (from the option table)
$ILP diff --help > "$T/diffhelp" || fail "diff --help failed"
diffopts=$(sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}\(--[a-z-]*\).*/\2/p' "$T/diffhelp")
[ -n "$diffopts" ] || { show "$T/diffhelp"; fail "no options in diff --help"; }
want "$(printf '%s\n' $diffopts --help -h | sort -u | tr '\n' ' ')" iolockprof diff -
want "" iolockprof help ""
want "" iolockprof frobnicate ""
want "" iolockprof frob-nicate ""

# values: every option that takes one is known to (wherever its list wraps)
for o in $_iolockprof_args $_iolockprof_args_diff; do
	_iolockprof_takes_value "$o" || fail "$o: not taken for an option with a value"
done
for o in --threads -t --all --stacks --help -h -; do
	_iolockprof_takes_value "$o" && fail "$o: taken for an option with a value"
done
want "text json html folded perfetto prom pprof" iolockprof run --format ""
want "json" iolockprof report --format j
want "perfetto pprof prom" iolockprof report --format = p		# --format=p
want "text json html folded perfetto prom pprof" iolockprof report --format =	# --format=
want "ptrace" iolockprof attach --backend p
want "exact" iolockprof run --names e
want "auto always" iolockprof attach --status a
want "" iolockprof run --hist ""			# a number
want "" iolockprof diff --fail-above ""
comp iolockprof run -u ro > "$T/users"
grep -qx root "$T/users" || { show "$T/users"; fail "run -u ro: no root"; }
grep -v '^ro' "$T/users" && fail "run -u ro: a user not starting with ro"

# process ids: attach's arguments, record -p's list
for args in "attach ''" "attach 1 ''" "attach -d 5 ''" "record -p ''" "record -p = ''"; do
	eval "comp iolockprof $args" > "$T/pids"
	grep -qx "$$" "$T/pids" || fail "'$args': our pid $$ is not offered"
	grep -qx 1 "$T/pids" || fail "'$args': pid 1 is not offered"
	grep -qvx '[0-9][0-9]*' "$T/pids" && { show "$T/pids"; fail "'$args': not only pids"; }
done
comp iolockprof record -p "1,$$" > "$T/pids"
grep -qx "1,$$" "$T/pids" || { show "$T/pids"; fail "record -p 1,$$: no 1,$$"; }
grep -v "^1,$$" "$T/pids" && fail "record -p 1,$$: a pid list not starting 1,$$"

# files: -o, -i, diff's .json files and directories, up to two
mkdir -p "$T/files/dir.d" "$T/bin"
: > "$T/files/trace.dat"; : > "$T/files/trace2.dat"; : > "$T/files/other.txt"
: > "$T/files/a.json"; : > "$T/files/b.json"
cd "$T/files" || fail "cd $T/files"
want "trace.dat trace2.dat" iolockprof report -i tr
want "trace.dat trace2.dat" iolockprof report --input = tr
want "other.txt" iolockprof run -o ot
want "a.json b.json dir.d" iolockprof diff ""
want "a.json b.json dir.d" iolockprof diff --fail-above 5 ""
want "b.json" iolockprof diff a.json b
want "" iolockprof diff a.json b.json ""

# the command to profile: the first word that is not an option or its
# value, or the one after "--"; then files, and never our options
printf '#!/bin/sh\n' > "$T/bin/zzilpcmd"
chmod +x "$T/bin/zzilpcmd"
PATH="$T/bin:$PATH"
want "zzilpcmd" iolockprof run -- zzilp
want "zzilpcmd" iolockprof run zzilp
want "zzilpcmd" iolockprof run -o out --format json zzilp
want "zzilpcmd" iolockprof run --format = json zzilp	# --format=json
want "zzilpcmd" iolockprof record -o x.dat -- zzilp
want "other.txt" iolockprof run -- zzilpcmd ot
want "other.txt" iolockprof run -t zzilpcmd -o ot	# -o is the command's
want "" iolockprof run -- zzilpcmd --fo

[ ! -s "$T/comp.err" ] || { show "$T/comp.err"; fail "the completion wrote errors"; }
exit 0
