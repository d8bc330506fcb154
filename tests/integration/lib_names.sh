# Helpers for t_names_*.sh (bash).  Sourced after lib.sh.
#
# The names of objects, read from the JSON report (exact, with where each
# came from: docs/report.schema.json, objects[].name_source).

command -v node > /dev/null 2>&1 || skip "node not installed (make deps installs nodejs)"

# json_objects JSON COMM: one line per I/O object of the processes named
# COMM: "SOURCE<TAB>OPS<TAB>OPENS<TAB>WRITES<TAB>NAME" (NAME with \n as \\n)
json_objects() {
	node -e '
		const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		for (const p of d.processes) {
			if (p.comm !== process.argv[2]) continue;
			for (const o of p.objects)
				console.log([o.name_source, o.ops, o.opens, o.writes,
					     o.name.replace(/\n/g, "\\n")].join("\t"));
		}' "$1" "$2"
}

# count_named OBJECTS PREFIX: objects whose name starts with "file PREFIX"
count_named() {
	awk -F'\t' -v p="file $2" 'index($5, p) == 1 { n++ } END { print n + 0 }' <<< "$1"
}

# sum_col OBJECTS COL FILTER: sum of column COL over the objects whose
# source is FILTER ("lost", "proc", ...; "named": any but lost/unresolved)
sum_col() {
	awk -F'\t' -v c="$2" -v f="$3" '
		(f == "named" && $1 != "lost" && $1 != "unresolved") || $1 == f { s += $c }
		END { print s + 0 }' <<< "$1"
}

# expect_sources OBJECTS PREFIX ALLOWED: every object named "file PREFIX..."
# has a source among ALLOWED (a regex, e.g. "proc|arg")
expect_sources() {
	local bad
	bad=$(awk -F'\t' -v p="file $2" -v a="^($3)\$" 'index($5, p) == 1 && $1 !~ a' <<< "$1")
	[ -z "$bad" ] || fail "names with a source other than $3: $bad"
}
