#!/bin/bash
# --format json|perfetto|folded|html, the schema 2 sections:
# mutex_storm 4 200000 + dio_write PATH 64 (schema 2 sections): json has
#  hot_lock as the top user lock with 4 waiters, and a device whose
#  dio_write submitter made exactly 64 write requests of 4096 bytes;
#  perfetto has "lock" X events named "futex futex:hot_lock", and on one
#  "disk ..." device track exactly 64 "write" X events of 4096 bytes
#  submitted by dio_write (when the device kept fewer requests than its
#  bound, disk_requests_per_device: then every matched request is there),
#  with a "disk write queued" mark on dio_write's thread for each; folded has
#  a futex;futex:hot_lock line; html has the lock and device tables and
#  a hot_lock chart and a device chart, in Chromium's DOM too.
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

need_chrome

# ---- locks and disk in every format ----
[ -d "$TRACEFS/events/block/block_rq_complete" ] || skip "no block tracepoints in this kernel"
dir=""
for d in /var/tmp /work /tmp; do
	[ -d "$d" ] && [ -w "$d" ] || continue
	devno=$(stat -c '%d' "$d" 2>/dev/null) || continue
	maj=$((devno >> 8 & 0xfff)) min=$(( (devno & 0xff) | (devno >> 12 & 0xfff00) ))
	[ -e "/sys/dev/block/$maj:$min" ] && { dir=$d; break; }
done
[ -n "$dir" ] || skip "no writable directory on a block device"
f=$(mktemp "$dir/ilp-dio.XXXXXX") || fail "mktemp in $dir"
on_exit "rm -f '$f'"
dd if=/dev/zero of="$f" bs=4096 count=64 conv=fsync status=none || fail "dd"
# one process per run: a lock is named from the binary of the process traced
for fmt in json perfetto folded html; do
	ilp run --format $fmt -o "$T/lk.$fmt" -- "$WL/mutex_storm" 4 200000 2> "$T/err" ||
		{ show "$T/err"; fail "$fmt: mutex_storm failed"; }
done
for fmt in json html perfetto; do
	ilp run --format $fmt -o "$T/dk.$fmt" -- "$WL/dio_write" "$f" 64 2> "$T/err" ||
		{ show "$T/err"; fail "$fmt: dio_write failed"; }
done
node "$here/validate-json.mjs" "$root/docs/report.schema.json" "$T/lk.json" "$T/dk.json" > "$T/val" 2>&1 ||
	{ show "$T/val"; fail "json (locks, disk): does not validate"; }
facts=$(node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const ms = r.processes.find(p => p.comm === "mutex_storm");
const l = ms && ms.locks_user.length ? ms.locks_user[0] : null;
const dk = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
let sub = null;
for (const d of dk.devices) for (const s of d.submitters) if (s.comm === "dio_write") sub = s;
console.log([l ? l.name : "-", l ? l.waiters.length : 0, l && l.wait.histogram ? 1 : 0,
	sub ? sub.ops.write.requests : 0, sub ? sub.ops.write.bytes : 0,
	ms && ms.blocking_calls.some(b => b.object === "futex:hot_lock") ? 1 : 0].join(" "));
' "$T/lk.json" "$T/dk.json") || fail "json (locks, disk): node could not read it"
read -r lname nwaiters lhist dwrites dbytes lblock <<< "$facts"
expect_eq "json: top user lock" "$lname" hot_lock "$T/lk.json"
expect_eq "json: hot_lock waiters (4 threads)" "$nwaiters" 4 "$T/lk.json"
expect_eq "json: hot_lock wait histogram" "$lhist" 1 "$T/lk.json"
expect_eq "json: dio_write write requests" "$dwrites" 64 "$T/lk.json"
expect_eq "json: dio_write write bytes" "$dbytes" $((64 * 4096)) "$T/lk.json"
expect_eq "json: a blocking call on futex:hot_lock" "$lblock" 1 "$T/lk.json"
nlock=$(node -e '
const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(t.traceEvents.filter(e => e.ph === "X" && e.cat === "lock" &&
	e.name === "futex futex:hot_lock").length);
' "$T/lk.perfetto") || fail "perfetto (locks): not JSON"
[ "$nlock" -ge 1 ] || fail "perfetto: no lock X event named futex futex:hot_lock"
dfacts=$(node -e '
const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const ev = t.traceEvents;
const dio = ev.find(e => e.ph === "M" && e.name === "process_name" && e.args.name === "dio_write");
const disks = new Set(ev.filter(e => e.ph === "M" && e.name === "process_name" &&
	/^disk .+/.test(e.args.name)).map(e => e.pid));
const xs = ev.filter(e => e.ph === "X" && e.cat === "disk" && disks.has(e.pid) && dio &&
	e.args.submitter_pid === dio.pid);
const w = xs.filter(e => e.name === "write" && e.args.bytes === 4096 && /W/.test(e.args.rw) &&
	e.dur > 0 && e.args.error === 0);
const tracks = new Set(xs.map(e => e.pid));
const k = t.otherData.disk_requests_per_device;
const full = [...tracks].some(p => ev.filter(e => e.ph === "X" && e.cat === "disk" &&
	e.pid === p).length >= k) ? 1 : 0;
const marks = ev.filter(e => e.ph === "i" && e.cat === "disk" && dio && e.pid === dio.pid &&
	e.name === "disk write queued").length;
console.log([dio ? 1 : 0, xs.length, w.length, tracks.size, full, marks, k].join(" "));
' "$T/dk.perfetto") || fail "perfetto (disk): not JSON"
read -r dproc dx dwx dtracks dfull dmarks dk <<< "$dfacts"
expect_eq "perfetto: dio_write process named" "$dproc" 1 "$T/dk.perfetto"
[ "$dk" -ge 64 ] || fail "perfetto: disk_requests_per_device $dk < 64"
expect_eq "perfetto: device tracks with dio_write requests" "$dtracks" 1 "$T/dk.perfetto"
if [ "$dfull" = 0 ]; then
	expect_eq "perfetto: dio_write disk X events" "$dx" 64 "$T/dk.perfetto"
	expect_eq "perfetto: dio_write 4096-byte write X events" "$dwx" 64 "$T/dk.perfetto"
	expect_eq "perfetto: disk write queued marks on dio_write" "$dmarks" 64 "$T/dk.perfetto"
else
	# a busy device: only its $dk slowest requests are kept
	[ "$dwx" -ge 1 ] || fail "perfetto: no dio_write write X event on a full device track"
	expect_eq "perfetto: dio_write requests are 4096-byte writes" "$dwx" "$dx" "$T/dk.perfetto"
	expect_eq "perfetto: a queued mark per kept dio_write request" "$dmarks" "$dx" "$T/dk.perfetto"
fi
grep -qE '^mutex_storm-[0-9]+;mutex_storm-[0-9]+;futex;futex:hot_lock [1-9][0-9]*$' "$T/lk.folded" ||
	{ show "$T/lk.folded"; fail "folded: no futex;futex:hot_lock line"; }
nbad=$(grep -cvE '^[^; ]+;[^; ]+;[^; ]+(;[^; ]+)? [0-9]+$' "$T/lk.folded")
expect_eq "folded (locks): malformed lines" "$nbad" 0 "$T/lk.folded"
for t in ilp-locks ilp-offcpu ilp-blocking; do
	grep -q "<table class=\"$t\">" "$T/lk.html" || fail "html: no $t table"
done
grep -q '<table class="ilp-devices">' "$T/dk.html" || fail "html: no ilp-devices table"
chrome_run --dump-dom "file://$T/dk.html" > "$T/dkdom.html" 2>> "$T/chrome.err"
chrome_run --dump-dom "file://$T/lk.html" > "$T/lkdom.html" 2>> "$T/chrome.err"
grep -q '<svg class="ilp-hist" data-chart="lock"[^>]*aria-label="hot_lock' "$T/lkdom.html" ||
	fail "html: no hot_lock chart in the DOM"
ndev=$(grep -o '<svg class="ilp-hist" data-chart="device"[^>]*>' "$T/dkdom.html" | wc -l)
[ "$ndev" -ge 1 ] || fail "html: no device chart in the DOM"
chrome_run --screenshot="$T/lk.png" --window-size=1200,2400 "file://$T/lk.html" > /dev/null 2>> "$T/chrome.err"
[ -s "$T/lk.png" ] || fail "html (locks, disk): no screenshot"
[ -n "${ILP_KEEP:-}" ] && cp "$T/lk.png" "$T/lk.html" "$T/dk.html" "$ILP_KEEP"/
exit 0
