// SPDX-License-Identifier: MIT
/*
 * The frame a frame-pointer walk skips (symbolize_internal.h).
 *
 * At a syscall, the user ip is inside a libc wrapper that makes no frame
 * of its own (write: "mov $1,%eax; syscall"): the kernel's walk starts
 * at rbp, which is still the wrapper's caller's frame, so the first
 * return address it finds is the one into the caller's caller.  The
 * caller itself, the call site a user wants, is missing.
 *
 * The DWARF of the caller's caller says which function its call at that
 * return address calls (DW_TAG_call_site: DW_AT_call_return_pc,
 * DW_AT_call_origin; GCC and clang emit them with -g at -O1 and above),
 * and the DWARF of that function where it calls the wrapper: when it
 * calls it from one place only, that place is the call site, line and
 * all.  No instruction is decoded, nothing is guessed: an indirect call
 * (no origin), a function with no DWARF, or several calls to the
 * wrapper give less (the function only, or nothing).
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "symbolize_internal.h"

#ifndef DW_AT_call_return_pc
#define DW_AT_call_return_pc 0x7d
#endif
#ifndef DW_AT_call_origin
#define DW_AT_call_origin 0x7f
#endif
#ifndef DW_TAG_call_site
#define DW_TAG_call_site 0x48
#endif

#define MAX_DEPTH 64		/* DIE nesting walked */

/* "__GI___libc_write", "__write", "write": one name, "write" */
static const char *plain(const char *n)
{
	for (;;) {
		while (*n == '_')
			n++;
		if (!strncmp(n, "GI_", 3))
			n += 3;
		else if (!strncmp(n, "libc_", 5))
			n += 5;
		else
			return n;
	}
}

static int is_call_site(Dwarf_Die *d)
{
	int tag = dwarf_tag(d);

	return tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site;
}

/* a call site's return address: DW_AT_call_return_pc (DWARF 5), or the
 * GNU extension's DW_AT_low_pc; 0 if none */
static Dwarf_Addr site_ret(Dwarf_Die *d)
{
	Dwarf_Attribute a;
	Dwarf_Addr pc = 0;

	if (dwarf_attr(d, DW_AT_call_return_pc, &a) || dwarf_attr(d, DW_AT_low_pc, &a))
		if (dwarf_formaddr(&a, &pc))
			pc = 0;
	return pc;
}

/* the function a call site calls, named; NULL for an indirect call */
static const char *site_callee(Dwarf_Die *d, Dwarf_Die *origin)
{
	Dwarf_Attribute a;

	if (!dwarf_attr(d, DW_AT_call_origin, &a) && !dwarf_attr(d, DW_AT_abstract_origin, &a))
		return NULL;
	if (!dwarf_formref_die(&a, origin))
		return NULL;
	return dwarf_diename(origin) ? dwarf_diename(origin)
				     : dwarf_formstring(dwarf_attr_integrate(origin, DW_AT_name, &a));
}

/* a DIE's name, through its abstract origin or specification */
static const char *die_name(Dwarf_Die *d)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(d, DW_AT_name, &a));
}

typedef int (*visit_fn)(Dwarf_Die *d, void *ctx);	/* non-zero: stop */

/* fn on every DIE under d (not d itself), depth first */
static int walk(Dwarf_Die *d, visit_fn fn, void *ctx, int depth)
{
	Dwarf_Die c;
	int r;

	if (depth > MAX_DEPTH || dwarf_child(d, &c))
		return 0;
	do {
		r = fn(&c, ctx);
		if (!r)
			r = walk(&c, fn, ctx, depth + 1);
		if (r)
			return r;
	} while (!dwarf_siblingof(&c, &c));
	return 0;
}

/* the call site returning to ret: its callee's name */
struct find_site {
	Dwarf_Addr ret;
	const char *callee;
};

static int visit_site(Dwarf_Die *d, void *ctx)
{
	struct find_site *fs = ctx;
	Dwarf_Die origin;

	if (!is_call_site(d) || site_ret(d) != fs->ret)
		return 0;
	fs->callee = site_callee(d, &origin);
	return 1;
}

/* the out-of-line body of a function named name (it has code) */
struct find_fn {
	const char *name;
	Dwarf_Die die;
	int found;
};

static int visit_fn_die(Dwarf_Die *d, void *ctx)
{
	struct find_fn *ff = ctx;
	const char *n;
	Dwarf_Addr lo;

	if (dwarf_tag(d) != DW_TAG_subprogram || dwarf_lowpc(d, &lo))
		return 0;
	n = die_name(d);
	if (!n || strcmp(n, ff->name))
		return 0;
	ff->die = *d;
	ff->found = 1;
	return 1;
}

/* the calls of a function to the wrapper */
struct count_calls {
	const char *wrapper;	/* plain() name */
	int n;
	Dwarf_Addr ret;
};

static int visit_call(Dwarf_Die *d, void *ctx)
{
	struct count_calls *cc = ctx;
	Dwarf_Die origin;
	const char *callee;

	if (!is_call_site(d))
		return 0;
	callee = site_callee(d, &origin);
	if (callee && !strcmp(plain(callee), cc->wrapper)) {
		cc->n++;
		cc->ret = site_ret(d);
	}
	return 0;
}

/* the body of callee: in cu first (a static function), else any unit */
static int find_body(Dwarf *dw, Dwarf_Die *cu, const char *callee, Dwarf_Die *out)
{
	struct find_fn ff = { callee, { 0 }, 0 };
	Dwarf_Off off = 0, next;
	size_t hsize;

	walk(cu, visit_fn_die, &ff, 0);
	while (!ff.found && !dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		Dwarf_Die other;

		if (dwarf_offdie(dw, off + hsize, &other))
			walk(&other, visit_fn_die, &ff, 0);
		off = next;
	}
	if (ff.found)
		*out = ff.die;
	return ff.found;
}

/* where callee (its body in cu, else in any unit of dw) calls func0: as
 * ilp_elffile_fp_gap() returns it */
static int calls_in(Dwarf *dw, Dwarf_Die *cu, Dwarf_Addr bias, const char *callee,
		    const char *func0, uint64_t *v)
{
	struct count_calls cc = { plain(func0), 0, 0 };
	Dwarf_Die body;
	Dwarf_Addr lo;

	if (!find_body(dw, cu, callee, &body) || dwarf_lowpc(&body, &lo))
		return -ENOENT;
	walk(&body, visit_call, &cc, 0);
	if (cc.n == 1 && cc.ret) {
		*v = cc.ret - 1 + bias;
		return 1;
	}
	*v = lo + bias;
	return 2;
}

int ilp_elffile_fp_gap(struct ilp_elffile *f, uint64_t ret, const char *func0, uint64_t *v)
{
	Dwfl_Module *mod = ilp_elffile_mod(f);
	struct find_site fs = { 0, NULL };
	Dwarf_Die *cu;
	Dwarf_Addr bias = 0;
	Dwarf *dw;

	if (!mod || !func0 || !*func0)
		return -ENOENT;
	cu = dwfl_module_addrdie(mod, ret, &bias);
	dw = dwfl_module_getdwarf(mod, &bias);
	if (!cu || !dw)
		return -ENOENT;
	fs.ret = ret - bias;
	walk(cu, visit_site, &fs, 0);
	if (!fs.callee)
		return -ENOENT;		/* no call site there, or an indirect call */
	if (!strcmp(plain(fs.callee), plain(func0)))
		return 0;		/* it calls frame 0's function: nothing skipped */
	return calls_in(dw, cu, bias, fs.callee, func0, v);
}

int ilp_elffile_fp_gap_main(struct ilp_elffile *f, const char *func0, uint64_t *v)
{
	Dwfl_Module *mod = ilp_elffile_mod(f);
	Dwarf_Addr bias = 0;
	Dwarf_Off off = 0, next;
	Dwarf *dw;
	size_t hsize;

	if (!mod || !func0 || !*func0 || !(dw = dwfl_module_getdwarf(mod, &bias)))
		return -ENOENT;
	/* main is in one unit: the first that has its body */
	while (!dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		struct find_fn ff = { "main", { 0 }, 0 };
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu)) {
			walk(&cu, visit_fn_die, &ff, 0);
			if (ff.found)
				return calls_in(dw, &cu, bias, "main", func0, v);
		}
		off = next;
	}
	return -ENOENT;
}
