#!/bin/bash
# --stacks on the ftrace backend (options/userstacktrace: the kernel walks
# the frame pointers at each syscall entry; no stop of the app).
# stacks_fp 20000 (stacks.c built with -fno-omit-frame-pointer): exactly
# 20000 writes from fetch_user at the line marked "CALL SITE fetch_user",
# 10000 from save_user at its line, as the ptrace backend's DWARF
# unwinding finds them (the frame the walk skips at libc's frameless
# write wrapper is put back from the DWARF call sites); the [unbuffered]
# finding names fetch_user's line; the JSON call_sites have the keys and
# values of ptrace's.  stacks_nofp (-O2 -fomit-frame-pointer): the one-line
# hint, once; never under ptrace, whose DWARF stacks are whole.
# (--all --min-saving 0: names and counts are checked, not cut-offs.)
. "$(dirname "$0")/lib.sh"
src=$(cd "$(dirname "$0")/../workloads" && pwd)/stacks.c
command -v jq > /dev/null || skip "jq not installed (make deps installs it)"
lf=$(grep -n 'CALL SITE fetch_user' "$src" | cut -d: -f1)
ls=$(grep -n 'CALL SITE save_user' "$src" | cut -d: -f1)
cut=(--all --min-saving 0)
hint='stacks: stacks_nofp has no frame pointers: rebuild with -fno-omit-frame-pointer, or use --backend=ptrace --stacks (DWARF unwinding)'

# site_calls REPORT SITE: calls column of the "write from SITE" row
site_calls() { grep "  write from $2\$" "$1" | awk '{ print $2 }'; }

# --- text: the two call sites, exact, and the finding's ---
ilp run --backend=ftrace --stacks "${cut[@]}" -o "$T/f" -- "$WL/stacks_fp" 20000 2> "$T/f.err"
rc=$?
[ $rc -eq 0 ] || { show "$T/f.err"; show "$T/f"; fail "ftrace --stacks: exit $rc"; }
expect_eq "lost events" "$(lost_events "$T/f")" 0 "$T/f"
grep -q '^backend:  ftrace' "$T/f" || { show "$T/f" 20; fail "not the ftrace backend"; }
# every completed call has its stack (the kernel may write it after an
# interrupt's event, or after a preemption on another CPU)
read -r with of <<< "$(sed -n 's/^note: .*stacks: walked by the kernel along frame pointers.*: \([0-9]*\) of \([0-9]*\) completed calls have one.*/\1 \2/p' "$T/f")"
[ -n "$of" ] || { show "$T/f" 20; fail "no note on the frame-pointer walks"; }
expect_eq "completed calls with a stack" "$with" "$of" "$T/f"
expect_eq "ftrace: writes from fetch_user (stacks.c:$lf)" \
	"$(site_calls "$T/f" "fetch_user (stacks.c:$lf)")" 20000 "$T/f"
expect_eq "ftrace: writes from save_user (stacks.c:$ls)" \
	"$(site_calls "$T/f" "save_user (stacks.c:$ls)")" 10000 "$T/f"
expect_eq "ftrace: write call sites" "$(grep -c '  write from ' "$T/f")" 2 "$T/f"
grep -qF "call site: write from fetch_user (stacks.c:$lf) (20000 of 30000 write calls)" "$T/f" ||
	{ show "$T/f" 40; fail "the unbuffered finding does not name fetch_user (stacks.c:$lf)"; }
grep -q 'no frame pointers' "$T/f" && { show "$T/f"; fail "frame-pointer build: the no-frame-pointer hint"; }

# --- the same under ptrace: equal counts ---
ilp run --backend=ptrace --stacks "${cut[@]}" -o "$T/p" -- "$WL/stacks_fp" 20000 2> "$T/p.err" ||
	{ show "$T/p.err"; fail "ptrace --stacks failed"; }
for site in "fetch_user (stacks.c:$lf)" "save_user (stacks.c:$ls)"; do
	expect_eq "writes from $site: ftrace = ptrace" "$(site_calls "$T/f" "$site")" \
		"$(site_calls "$T/p" "$site")" "$T/p"
done

# --- json: call_sites shaped as ptrace's, the same sites and counts ---
ilp run --backend=ftrace --stacks "${cut[@]}" --format json -o "$T/f.json" -- "$WL/stacks_fp" 20000 \
	2> "$T/fj.err" || { show "$T/fj.err"; fail "ftrace --stacks json failed"; }
ilp run --backend=ptrace --stacks "${cut[@]}" --format json -o "$T/p.json" -- "$WL/stacks_fp" 20000 \
	2> "$T/pj.err" || { show "$T/pj.err"; fail "ptrace --stacks json failed"; }
# writes SITE: the write sites of stacks_fp, merged by site, with their calls
writes() {
	jq -r '[.processes[] | select(.comm == "stacks_fp") | .call_sites[]
		| select(.syscall == "write")] | group_by(.site)
		| map("\(.[0].site) \(map(.calls) | add)") | .[]' "$1"
}
keys() { jq -r '[.processes[] | .call_sites[]? | keys] | unique | .[] | join(",")' "$1"; }
expect_eq "json: write sites (ftrace)" "$(writes "$T/f.json")" \
	"fetch_user (stacks.c:$lf) 20000
save_user (stacks.c:$ls) 10000" "$T/f.json"
expect_eq "json: write sites, ftrace = ptrace" "$(writes "$T/f.json")" "$(writes "$T/p.json")"
expect_eq "json: call_sites keys, ftrace = ptrace" "$(keys "$T/f.json")" "$(keys "$T/p.json")"
expect_eq "json: call_sites keys" "$(keys "$T/f.json")" "calls,frames,max_ns,site,syscall,total_ns"
expect_eq "json: the finding's site" "$(jq -r '[.findings[] | select(.kind == "unbuffered")][0].site' \
	"$T/f.json")" "write from fetch_user (stacks.c:$lf) (20000 of 30000 write calls)" "$T/f.json"

# --- no frame pointers: the hint, in one line; not under ptrace ---
# (20000: frames are named while the process lives; one that exits
# within a drain or two keeps addresses, and says nothing of frame pointers)
ilp run --backend=ftrace --stacks "${cut[@]}" -o "$T/n" -- "$WL/stacks_nofp" 20000 2> "$T/n.err" ||
	{ show "$T/n.err"; fail "ftrace --stacks (no frame pointers) failed"; }
expect_eq "the no-frame-pointer hint" "$(grep -c 'no frame pointers' "$T/n")" 1 "$T/n"
expect_eq "the hint's line" "$(grep 'no frame pointers' "$T/n" | sed 's/^ *//')" "$hint" "$T/n"
ilp run --backend=ptrace --stacks "${cut[@]}" -o "$T/np" -- "$WL/stacks_nofp" 2000 2> "$T/np.err" ||
	{ show "$T/np.err"; fail "ptrace --stacks (no frame pointers) failed"; }
grep -q 'no frame pointers' "$T/np" && { show "$T/np"; fail "ptrace: the no-frame-pointer hint"; }
expect_eq "ptrace, no frame pointers: writes from fetch_user" \
	"$(site_calls "$T/np" "fetch_user (stacks.c:$lf)")" 2000 "$T/np"

# --- auto picks ftrace for --stacks when tracefs is usable ---
ilp run --stacks -o "$T/a" -- "$WL/stacks_fp" 100 2> "$T/a.err" || { show "$T/a.err"; fail "auto --stacks failed"; }
grep -q '^backend:  ftrace' "$T/a" || { show "$T/a" 20; fail "auto --stacks: not the ftrace backend"; }
# a process of a few ms may exit before its maps are read (its frames are
# named after the fact): a site is then its address, marked as not named,
# never a bare address that reads like a name
awk '/^call sites/ { on = 1 } on && / from 0x[0-9a-f]+$/' "$T/a" | grep -q . &&
	{ show "$T/a"; fail "a call site that is a bare address, not marked as not named"; }
for i in 1 2 3; do
	ilp run --stacks -o "$T/s$i" -- "$WL/stacks_fp" 10 2> "$T/s.err" || { show "$T/s.err"; fail "stacks_fp 10"; }
	awk '/^call sites/ { on = 1 } on && / from 0x[0-9a-f]+$/' "$T/s$i" | grep -q . &&
		{ show "$T/s$i"; fail "stacks_fp 10: a bare address as a call site"; }
done
exit 0
