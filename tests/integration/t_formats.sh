#!/bin/bash
# backend: any (run.sh runs it under ptrace too when tracefs is unusable)
# --format json|perfetto|folded|html on run -- writes 1000:
#  json validates against docs/report.schema.json (ajv, draft 2020-12) and
#  says 1000 writes; a broken copy does not validate; perfetto parses and
#  has one X event per kept call (256 = the bound) for the writes process;
#  folded has exactly one write line for it; html renders in headless
#  Chromium with its SVG charts in the DOM, and screenshots non-empty.
# A run of io_txn 60 (a [loop] group with nested findings) validates too.
# (Locks and disk in every format: t_formats_wait.sh.)
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$(dirname "$ILP")" && pwd)
export ILP_NODE_DIR="$build/node"

command -v node >/dev/null 2>&1 || skip "node not installed (make deps installs nodejs)"
if ! sh "$root/scripts/install-node-deps.sh" "$build" > "$T/npm.log" 2>&1; then
	cat "$T/npm.log" >&2
	skip "ajv not installable: npm missing or the npm registry unreachable"
fi

# ---- json ----
ilp run --format json -o "$T/w.json" -- "$WL/writes" 1000 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "json: exit status $rc, want 0"; }
node "$here/validate-json.mjs" "$root/docs/report.schema.json" "$T/w.json" > "$T/val" 2>&1 ||
	{ show "$T/val"; show "$T/w.json"; fail "json: does not validate against docs/report.schema.json"; }
facts=$(node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const p = r.processes.filter(p => p.comm === "writes");
const w = p.length === 1 ? p[0].syscalls.find(s => s.name === "write") : null;
console.log([p.length, w ? w.calls : 0, w ? w.errors : -1, r.capture.exit_status,
	r.capture.lost_events, w && w.histogram ? w.histogram.buckets.reduce((a, b) => a + b.count, 0) : 0,
	p.length ? p[0].top_calls.calls.length : 0, p.length ? p[0].calls : 0].join(" "));
' "$T/w.json") || fail "json: node could not read it"
read -r nproc nwrite nerr exitst lost hsum ntop ncalls <<< "$facts"
expect_eq "json: writes processes" "$nproc" 1 "$T/w.json"
expect_eq "json: write calls" "$nwrite" 1000 "$T/w.json"
expect_eq "json: write errors" "$nerr" 0 "$T/w.json"
expect_eq "json: exit_status" "$exitst" 0 "$T/w.json"
expect_eq "json: lost_events" "$lost" 0 "$T/w.json"
expect_eq "json: histogram counts sum to the calls" "$hsum" 1000 "$T/w.json"
expect_eq "json: top_calls kept (min(256, calls))" "$ntop" $(( ncalls < 256 ? ncalls : 256 )) "$T/w.json"

# the validator can fail: a report with a string where a count belongs
sed '0,/"total_ns": \([0-9]*\)/s//"total_ns": "\1"/' "$T/w.json" > "$T/bad.json"
if node "$here/validate-json.mjs" "$root/docs/report.schema.json" "$T/bad.json" > "$T/val" 2>&1; then
	fail "json: a report with a string total_ns validated"
fi
grep -q 'total_ns must be integer' "$T/val" || { show "$T/val"; fail "json: unexpected validator complaint"; }

# a group with nested findings (a [loop] and its children) validates too
mkdir "$T/db" || fail "mkdir"
ilp run --format json -o "$T/loop.json" -- "$WL/io_txn" 60 "$T/db" 2> "$T/err" ||
	{ show "$T/err"; fail "json (loop): run failed"; }
node "$here/validate-json.mjs" "$root/docs/report.schema.json" "$T/loop.json" > "$T/val" 2>&1 ||
	{ show "$T/val"; show "$T/loop.json"; fail "json (loop): does not validate against docs/report.schema.json"; }
expect_eq "json (loop): a group with children" \
	"$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const g = r.findings.filter(f => f.kind === "loop");
console.log(g.length, g.length ? g[0].count : 0, g.length ? g[0].children.length > 0 : false);' "$T/loop.json")" \
	"1 60 true" "$T/loop.json"

# ---- perfetto ----
ilp run --format perfetto -o "$T/w.trace.json" -- "$WL/writes" 1000 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "perfetto: exit status $rc, want 0"; }
facts=$(node -e '
const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const ev = t.traceEvents;
const pn = ev.filter(e => e.ph === "M" && e.name === "process_name" && e.args.name === "writes");
const pid = pn.length === 1 ? pn[0].pid : -1;
const x = ev.filter(e => e.ph === "X" && e.pid === pid);
const bad = x.filter(e => typeof e.ts !== "number" || typeof e.dur !== "number" || e.dur < 0 ||
	e.tid !== pid || Math.abs(e.dur * 1000 - e.args.dur_ns) > 1);
const sorted = x.every((e, i) => i === 0 || x[i - 1].ts <= e.ts);
console.log([pn.length, x.length, x.filter(e => e.name.split(" ")[0] === "write").length, bad.length,
	sorted ? 1 : 0, t.otherData.calls_per_process].join(" "));
' "$T/w.trace.json") || { show "$T/w.trace.json" 5; fail "perfetto: not JSON"; }
read -r npn nx nxw nbad sorted cap <<< "$facts"
expect_eq "perfetto: process_name events for writes" "$npn" 1
expect_eq "perfetto: X events of writes (the bound)" "$nx" "$cap"
expect_eq "perfetto: the bound" "$cap" 256
expect_eq "perfetto: malformed X events" "$nbad" 0
expect_eq "perfetto: X events in time order" "$sorted" 1
# writes makes ~30 calls besides its 1000 writes: most kept calls are writes
expect_range "perfetto: write X events" "$nxw" 200 256

# ---- folded ----
ilp run --format folded -o "$T/w.folded" -- "$WL/writes" 1000 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "folded: exit status $rc, want 0"; }
nbad=$(grep -cvE '^[^; ]+;[^; ]+;[^; ]+(;[^; ]+)? [0-9]+$' "$T/w.folded")
expect_eq "folded: malformed lines" "$nbad" 0 "$T/w.folded"
expect_eq "folded: write lines of writes" "$(grep -cE '^writes-[0-9]+;writes-[0-9]+;write [1-9][0-9]*$' "$T/w.folded")" 1 "$T/w.folded"

# ---- html, in headless Chromium ----
ilp run --format html -o "$T/w.html" -- "$WL/writes" 1000 2> "$T/err"
rc=$?
[ $rc -eq 0 ] || { show "$T/err"; fail "html: exit status $rc, want 0"; }
want=$(grep -o '<svg class="ilp-hist"' "$T/w.html" | wc -l)
expect_eq "html: syscall charts in the file (--hist 3 default)" \
	"$(grep -o '<svg class="ilp-hist" data-chart="syscall"' "$T/w.html" | wc -l)" 3 "$T/w.html"
grep -qiE '<script|<link|src=|url\(' "$T/w.html" && fail "html: not self-contained"
need_chrome
chrome_run --dump-dom "file://$T/w.html" > "$T/dom.html" 2> "$T/chrome.err"
got=$(grep -o '<svg class="ilp-hist"[^>]*>' "$T/dom.html" | wc -l)
expect_eq "html: svg charts in Chromium's DOM" "$got" "$want" "$T/chrome.err"
bars=$(grep -o '<rect class="bar"' "$T/dom.html" | wc -l)
[ "$bars" -ge 3 ] || fail "html: $bars bars in the DOM, want at least one per chart"
chrome_run --screenshot="$T/shot.png" --window-size=1200,1400 "file://$T/w.html" > /dev/null 2>> "$T/chrome.err"
[ -s "$T/shot.png" ] || { show "$T/chrome.err"; fail "html: no screenshot"; }
[ "$(head -c 4 "$T/shot.png" | od -An -c | tr -d ' ')" = '211PNG' ] || fail "html: screenshot is not a PNG"
[ -n "${ILP_KEEP:-}" ] && cp "$T/shot.png" "$T/w.html" "$ILP_KEEP"/

exit 0
