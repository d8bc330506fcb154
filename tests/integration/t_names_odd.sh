#!/bin/bash
# names odd DIR: a file whose name has a space, a newline and a byte that
# is not UTF-8 ("a b\nc\xff.txt"), written 2000 times.  The text report
# shows the name escaped (one line, \x0a and \xff); the JSON has it
# exactly (desc with the newline; desc_hex with every byte).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"
. "$(dirname "$0")/lib_names.sh"

d="$T/d"
mkdir "$d" || fail "mkdir"
# --all --min-saving 0: the name is checked, not where the finding cut-offs
# fall (2000 writes of 2 B take 0.7 ms on a fast machine: under 1 ms, 1%)
ilp run --all --min-saving 0 -o "$T/r" -- "$WL/names" odd "$d" 2> "$T/err" || { show "$T/err"; fail "run failed"; }
expect_eq "text: finding" "$(findings "$T/r")" \
	"[unbuffered] 2000 writes of 2 B (median) on file $d/a b\\x0ac\\xff.txt" "$T/r"
grep -qF "  file $d/a b\\x0ac\\xff.txt " "$T/r" || { show "$T/r"; fail "text: object row"; }
! grep -q $'\xff' "$T/r" || { show "$T/r"; fail "text: a raw byte that is not UTF-8"; }

ilp run --format json -o "$T/r.json" -- "$WL/names" odd "$d" 2> "$T/err" || { show "$T/err"; fail "json run failed"; }
want_hex=$(printf '%s/a b\nc\xff.txt' "$d" | od -An -tx1 | tr -d ' \n')
got=$(node -e '
	const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	for (const p of d.processes)
		for (const o of p.objects)
			if (o.desc_hex) console.log([o.name_source, o.desc_hex, JSON.stringify(o.desc)].join(" "));
	' "$T/r.json")
# JSON.stringify of desc: the newline as \n, the bad byte as U+FFFD
want_desc=$(printf '"%s/a b\\nc\xef\xbf\xbd.txt"' "$d")
expect_eq "json: the odd name, exact" "$got" "proc $want_hex $want_desc"
exit 0
