#!/bin/bash
# names overwrite: the path is built in a heap buffer, opened, the buffer
# overwritten with bytes that are no path (0xf3) and freed, then 5000
# writes of 2 B.  The [unbuffered] finding names the file exactly or says
# the name was lost; never the reused memory, never a path of the
# profiler's cwd.  Read at the call (ptrace, --names=exact), it is exact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_findings.sh"
. "$(dirname "$0")/lib_names.sh"

d="$T/d"
mkdir "$d" "$T/elsewhere" || fail "mkdir"
exact="[unbuffered] 5000 writes of 2 B (median) on file $d/overwrite.txt"
lost_re='^\[unbuffered\] 5000 writes of 2 B \(median\) on fd [0-9]+ \(name lost: [a-z ,;=.-]+\)$'
for backend in default ptrace exact; do
	[ "$backend" = exact ] && [ "${ILP_BACKEND:-}" = ptrace ] && continue
	# --all --min-saving 0: the name is checked, not the finding cut-offs
	# (5000 writes of 2 B can take under 1 ms, 1% of wall, on a fast machine)
	args=(--all --min-saving 0)
	[ "$backend" = ptrace ] && args+=(--backend=ptrace)
	[ "$backend" = exact ] && args+=(--names=exact)
	(cd "$T/elsewhere" && ilp run "${args[@]}" -o "$T/r.$backend" -- "$WL/names" overwrite "$d") 2> "$T/err" ||
		{ show "$T/err"; fail "$backend: run failed"; }
	line=$(findings "$T/r.$backend")
	if [ "$backend" != default ] || [ "${ILP_BACKEND:-}" = ptrace ]; then
		expect_eq "$backend: finding" "$line" "$exact" "$T/r.$backend"
	elif [ "$line" != "$exact" ] && ! grep -Eqx "$lost_re" <<< "$line"; then
		show "$T/r.$backend"
		fail "$backend: finding names something else: '$line'"
	fi
	[ "$line" = "$exact" ] && note "$backend: named exactly" || note "$backend: name lost"
	# the overwritten bytes never appear as a name, raw or escaped
	! grep -q $'\xf3' "$T/r.$backend" || { show "$T/r.$backend"; fail "$backend: raw reused bytes"; }
	! grep -q '\\xf3' "$T/r.$backend" || { show "$T/r.$backend"; fail "$backend: reused bytes in a name"; }
	! grep -q "$T/elsewhere" "$T/r.$backend" || { show "$T/r.$backend"; fail "$backend: the profiler's cwd in a name"; }
done

# the source of the name, in JSON: read at the call under ptrace
ilp run --backend=ptrace --format json -o "$T/r.json" -- "$WL/names" overwrite "$d" 2> "$T/err" ||
	{ show "$T/err"; fail "ptrace json run failed"; }
objs=$(json_objects "$T/r.json" names)
expect_eq "ptrace: source of $d/overwrite.txt" "$(grep -P "\tfile $d/overwrite.txt\$" <<< "$objs" | cut -f1)" call
exit 0
