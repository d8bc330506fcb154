#!/bin/bash
# The HTML report's wait flame graphs, in headless Chromium, against the
# JSON report of the same capture (record once, report -i twice: one
# model, so the numbers agree exactly): pipe_block 200, a parent whose
# read(2) waits 200 ms on a pipe its child writes after a 200 ms
# nanosleep.  In Chromium's DOM: one <svg class="ilp-flame"> (role img,
# an aria-label) per process, whose bottom frame is "comm-pid" with the
# process's time inside syscalls from the JSON (the sum of its syscalls'
# total_ns + unfinished_ns), 1000 px wide; every syscall frame's width is
# 1000 px * its JSON time / the process's (to the 0.01 px printed), and
# the two widest's ratio is their JSON ratio (the narrower's width from
# the wider's, within 1 px); the parent's read has what it waited on (the
# pipe; its name is the t_names_* tests' business) above it, as wide as
# the JSON blocking row's wall_ns; and no script anywhere.
. "$(dirname "$0")/lib.sh"

command -v node >/dev/null 2>&1 || skip "node not installed (make deps installs nodejs)"
need_chrome

ilp record -o "$T/p.dat" -- "$WL/pipe_block" 200 > /dev/null 2> "$T/err" ||
	{ show "$T/err"; fail "record pipe_block failed"; }
for fmt in json html; do
	ilp report -i "$T/p.dat" --format $fmt -o "$T/p.$fmt" 2> "$T/err" ||
		{ show "$T/err"; fail "report --format $fmt failed"; }
done
grep -qiE '<script|<link|src=|url\(' "$T/p.html" && fail "html: not self-contained"
chrome_run --dump-dom "file://$T/p.html" > "$T/dom.html" 2> "$T/chrome.err"
[ -s "$T/dom.html" ] || { show "$T/chrome.err"; fail "html: Chromium dumped no DOM"; }

node - "$T/p.json" "$T/dom.html" > "$T/facts" 2>&1 <<'JS' || { show "$T/facts"; fail "html flame graphs do not match the JSON"; }
const fs = require("fs");
const r = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const dom = fs.readFileSync(process.argv[3], "utf8");
const unent = s => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
	.replace(/&#39;/g, "'").replace(/&amp;/g, "&");
let bad = 0;
const no = msg => { console.log("FAIL " + msg); bad++; };
if (/<script/i.test(dom)) no("a script element in the DOM");
const svgs = [...dom.matchAll(/<svg class="ilp-flame" data-pid="(\d+)"([^>]*)>([\s\S]*?)<\/svg>/g)];
const shown = r.processes.filter(p => p.syscalls.some(s => s.total_ns + s.unfinished_ns > 0));
if (svgs.length !== shown.length)
	no(`${svgs.length} flame graphs, want ${shown.length} (processes with time inside syscalls)`);
let readObj = 0;
for (const [, pid, attrs, body] of svgs) {
	const p = r.processes.find(q => q.pid === +pid);
	if (!p) { no(`flame graph of pid ${pid}: no such process in the JSON`); continue; }
	if (!/role="img"/.test(attrs) || !/aria-label="wait flame graph of /.test(attrs))
		no(`pid ${pid}: no role="img" or aria-label`);
	const rects = [...body.matchAll(/<rect class="ilp-frame" data-kind="(\w+)" x="([\d.]+)" y="(\d+)" width="([\d.]+)" height="\d+" fill="#[0-9a-f]{6}"><title>([^\n]*)\n(\d+) ns /g)]
		.map(m => ({ kind: m[1], x: +m[2], y: +m[3], w: +m[4], name: unent(m[5]), ns: +m[6] }));
	const total = p.syscalls.reduce((a, s) => a + s.total_ns + s.unfinished_ns, 0);
	const root = rects.filter(f => f.kind === "process");
	if (root.length !== 1 || root[0].name !== `${p.comm}-${pid}` || root[0].ns !== total ||
	    root[0].x !== 0 || root[0].w !== 1000)
		no(`pid ${pid}: root frame ${JSON.stringify(root)}, want ${p.comm}-${pid}, ${total} ns, 1000 px`);
	const sys = rects.filter(f => f.kind === "syscall" && f.y === root[0].y - 17);
	if (!sys.length) no(`pid ${pid}: no syscall frame on the row above the process`);
	for (const f of sys) {
		const s = p.syscalls.find(s => s.name === f.name);
		const ns = s ? s.total_ns + s.unfinished_ns : -1;
		if (ns !== f.ns || Math.abs(f.w - 1000 * ns / total) > 0.006)
			no(`pid ${pid} ${f.name}: ${f.w} px, ${f.ns} ns; JSON ${ns} ns of ${total}`);
	}
	sys.sort((a, b) => b.w - a.w);
	if (sys.length >= 2) {
		const [a, b] = sys;
		const sa = p.syscalls.find(s => s.name === a.name), sb = p.syscalls.find(s => s.name === b.name);
		/* the narrower from the wider: its 0.005 px of rounding shrinks */
		const want = a.w * (sb.total_ns + sb.unfinished_ns) / (sa.total_ns + sa.unfinished_ns);
		if (Math.abs(b.w - want) > 1)
			no(`pid ${pid}: ${b.name} ${b.w} px vs ${a.name} ${a.w} px, JSON ratio wants ${want}`);
		console.log(`ratio ${p.comm} ${a.name}/${b.name} ${a.w}/${b.w} px`);
	}
	/* the parent: what its read waited on (the pipe; its name is
	 * t_names_*'s business), off-CPU, above the read */
	const rd = sys.find(f => f.name === "read");
	const bl = p.blocking_calls.filter(b => b.syscall === "read").sort((a, b) => b.wall_ns - a.wall_ns);
	if (rd && rd.w > 500) {
		const o = bl.length ? rects.find(f => f.kind === "object" && f.name === bl[0].object) : null;
		if (!o || o.y !== rd.y - 17 || o.x < rd.x || Math.abs(o.w - 1000 * bl[0].wall_ns / total) > 0.006)
			no(`pid ${pid}: read's object frame ${JSON.stringify(o)}, JSON ${JSON.stringify(bl)}`);
		else
			readObj++;
	}
}
if (readObj !== 1) no(`${readObj} processes with a read of 200 ms and its object frame, want 1`);
console.log(`flame graphs ${svgs.length}`);
process.exit(bad ? 1 : 0);
JS
expect_eq "html: flame graphs (parent and child)" "$(sed -n 's/^flame graphs //p' "$T/facts")" 2 "$T/facts"
chrome_run --screenshot="$T/shot.png" --window-size=1200,2400 "file://$T/p.html" > /dev/null 2>> "$T/chrome.err"
[ "$(head -c 4 "$T/shot.png" 2>/dev/null | od -An -c | tr -d ' ')" = '211PNG' ] ||
	{ show "$T/chrome.err"; fail "html: no PNG screenshot"; }
[ -n "${ILP_KEEP:-}" ] && cp "$T/shot.png" "$T/p.html" "$T/p.json" "$ILP_KEEP"/
exit 0
