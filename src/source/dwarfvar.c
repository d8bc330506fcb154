// SPDX-License-Identifier: MIT
/*
 * Variables and their members from DWARF (symbolize_internal.h), for lock
 * names: a futex inside a global object is named by the member the
 * object's type puts there.
 *
 * The index: every DW_TAG_variable whose location is one address
 * (DW_OP_addr, or DW_OP_addrx through .debug_addr) at file scope, in
 * namespaces, and in functions and their blocks (function-local
 * statics), with its type's size.  Built once per file at the first lock
 * that falls inside a symbol, at most ILP_DW_MAX_DIES entries visited
 * (a huge program's debuginfo is not walked whole: its locks keep
 * "symbol+0x8").
 *
 * The member: the variable's type is entered (typedefs and qualifiers
 * peeled; structs, classes and unions by the member or base class whose
 * bytes hold the offset; arrays by element) while the type is declared
 * outside the system headers: std::mutex and pthread_mutex_t are where a
 * name stops, so a lock is named by the member that holds it, not by
 * glibc's insides.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize_internal.h"

#define ILP_DW_MAX_DIES (4u << 20)	/* entries visited to build the index */
#define ILP_DW_MAX_DEPTH 32		/* nesting entered, scopes and types */

struct dwvar {
	uint64_t addr, size;	/* module addresses */
	Dwarf_Off off;		/* the DIE */
};

/* a class's qualified name (dwarf_getscopes_die reads its whole CU) */
struct qname {
	Dwarf_Off off;
	char *name;
};

#define ILP_DW_QNAMES 64	/* qualified names kept */

struct ilp_dwvars {
	Dwarf *dw;
	Dwarf_Addr bias;	/* module address = DWARF address + bias */
	struct dwvar *v;	/* by addr */
	size_t n, cap;
	size_t dies;
	struct qname q[ILP_DW_QNAMES];
	size_t nq;
};

void ilp_dwvars_free(struct ilp_dwvars *vs)
{
	size_t i;

	if (!vs)
		return;
	for (i = 0; i < vs->nq; i++)
		free(vs->q[i].name);
	free(vs->v);
	free(vs);
}

/* the type of die (specification and abstract origin followed), peeled
 * of typedefs and qualifiers: 0, or -1 if none */
static int type_of(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute a;

	if (!dwarf_attr_integrate(die, DW_AT_type, &a) || !dwarf_formref_die(&a, type))
		return -1;
	return dwarf_peel_type(type, type) ? -1 : 0;
}

static uint64_t size_of(Dwarf_Die *type)
{
	Dwarf_Word sz;

	return dwarf_aggregate_size(type, &sz) ? 0 : sz;
}

/* the one address a location is, or 0 */
static uint64_t location_addr(Dwarf_Die *die)
{
	Dwarf_Attribute a, r;
	Dwarf_Op *ops;
	Dwarf_Addr addr;
	size_t nops;

	if (!dwarf_attr(die, DW_AT_location, &a) || dwarf_getlocation(&a, &ops, &nops) || nops != 1)
		return 0;
	if (ops[0].atom == DW_OP_addr)
		return ops[0].number;
	if ((ops[0].atom == DW_OP_addrx || ops[0].atom == DW_OP_GNU_addr_index) &&
	    !dwarf_getlocation_attr(&a, &ops[0], &r) && !dwarf_formaddr(&r, &addr))
		return addr;
	return 0;
}

static int add(struct ilp_dwvars *vs, Dwarf_Die *die)
{
	Dwarf_Die type;
	uint64_t addr = location_addr(die);

	if (!addr)
		return 0;
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 256;
		struct dwvar *nv = realloc(vs->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		vs->v = nv;
		vs->cap = cap;
	}
	vs->v[vs->n].addr = addr + vs->bias;
	vs->v[vs->n].size = type_of(die, &type) ? 0 : size_of(&type);
	vs->v[vs->n].off = dwarf_dieoffset(die);
	vs->n++;
	return 0;
}

/* the variables among parent's children, and their scopes' */
static int walk(struct ilp_dwvars *vs, Dwarf_Die *parent, int depth)
{
	Dwarf_Die c;
	int err;

	if (depth > ILP_DW_MAX_DEPTH || dwarf_child(parent, &c))
		return 0;
	do {
		if (++vs->dies > ILP_DW_MAX_DIES)
			return 0;
		switch (dwarf_tag(&c)) {
		case DW_TAG_variable:
			if ((err = add(vs, &c)))
				return err;
			break;
		case DW_TAG_namespace:
		case DW_TAG_subprogram:
		case DW_TAG_lexical_block:
			if ((err = walk(vs, &c, depth + 1)))
				return err;
			break;
		default:
			break;
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return 0;
}

static int var_cmp(const void *a, const void *b)
{
	const struct dwvar *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

int ilp_dwvars_build(Dwfl_Module *mod, struct ilp_dwvars **out)
{
	struct ilp_dwvars *vs;
	Dwarf_Off off = 0, next;
	size_t hsize;
	int err = 0;

	*out = NULL;
	vs = calloc(1, sizeof(*vs));
	if (!vs)
		return -ENOMEM;
	vs->dw = dwfl_module_getdwarf(mod, &vs->bias);
	if (!vs->dw) {
		free(vs);
		return -ENOENT;
	}
	while (!err && vs->dies <= ILP_DW_MAX_DIES &&
	       dwarf_nextcu(vs->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(vs->dw, off + hsize, &cu))
			err = walk(vs, &cu, 0);
		off = next;
	}
	if (err) {
		ilp_dwvars_free(vs);
		return err;
	}
	if (vs->n > 1)
		qsort(vs->v, vs->n, sizeof(*vs->v), var_cmp);
	*out = vs;
	return 0;
}

/* the variable holding v: among the last few starting at or before it
 * (one object can have several DIEs), the first that covers it */
static const struct dwvar *var_at(const struct ilp_dwvars *vs, uint64_t v)
{
	size_t lo = 0, hi = vs->n, k;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (vs->v[mid].addr <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = 0; k < 8 && lo > 0; k++) {
		const struct dwvar *c = &vs->v[--lo];

		if (v - c->addr < (c->size ? c->size : 1))
			return c;
	}
	return NULL;
}

/* declared in a system header (not entered: the name stops there) */
static int system_type(Dwarf_Die *type)
{
	const char *f = dwarf_decl_file(type);

	return !f || !strncmp(f, "/usr/include/", 13) || !strncmp(f, "/usr/lib/", 9) ||
	       !strncmp(f, "/usr/local/include/", 19);
}

static int aggregate(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_class_type || tag == DW_TAG_union_type;
}

/* the child of type (a member or base class) whose bytes hold off: 0, *at
 * its offset and *mtype its peeled type, or -1 */
static int member_at(Dwarf_Die *type, uint64_t off, Dwarf_Die *m, Dwarf_Die *mtype, uint64_t *at)
{
	if (dwarf_child(type, m))
		return -1;
	do {
		int tag = dwarf_tag(m);
		Dwarf_Attribute a;
		Dwarf_Word loc = 0;
		uint64_t sz;

		if (tag != DW_TAG_member && tag != DW_TAG_inheritance)
			continue;
		if (dwarf_hasattr(m, DW_AT_external) || dwarf_hasattr(m, DW_AT_declaration))
			continue;	/* a static member: not in the object */
		if (dwarf_attr(m, DW_AT_data_member_location, &a) && dwarf_formudata(&a, &loc))
			continue;	/* a location expression: not a fixed offset */
		if (dwarf_hasattr(m, DW_AT_bit_size) || type_of(m, mtype))
			continue;
		sz = size_of(mtype);
		if (off >= loc && off - loc < (sz ? sz : 1)) {
			*at = loc;
			return 0;
		}
	} while (dwarf_siblingof(m, m) == 0);
	return -1;
}

/* "app::Cache": type's name with its enclosing namespaces and classes
 * (the last ILP_DW_QNAMES kept) */
static void qualified(struct ilp_dwvars *vs, Dwarf_Die *type, char *buf, size_t size)
{
	Dwarf_Die *scopes = NULL;
	Dwarf_Off off = dwarf_dieoffset(type);
	int n, i;
	size_t len = 0;

	for (i = 0; i < (int)vs->nq; i++)
		if (vs->q[i].off == off) {
			snprintf(buf, size, "%s", vs->q[i].name);
			return;
		}
	n = dwarf_getscopes_die(type, &scopes);
	buf[0] = '\0';
	for (i = n - 1; i >= 0 && len < size; i--) {
		int tag = dwarf_tag(&scopes[i]);
		const char *name = dwarf_diename(&scopes[i]);

		if (tag != DW_TAG_namespace && !aggregate(tag))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "::" : "",
					name ? name : "(anonymous namespace)");
	}
	free(scopes);
	if (n <= 0)
		snprintf(buf, size, "%s", dwarf_diename(type) ? dwarf_diename(type) : "");
	if (vs->nq < ILP_DW_QNAMES && (vs->q[vs->nq].name = strdup(buf)))
		vs->q[vs->nq++].off = off;
}

static int cplusplus(Dwarf_Die *die)
{
	Dwarf_Die cu;
	int lang;

	if (!dwarf_diecu(die, &cu, NULL, NULL))
		return 0;
	lang = dwarf_srclang(&cu);
	return lang == DW_LANG_C_plus_plus || lang == DW_LANG_C_plus_plus_03 ||
	       lang == DW_LANG_C_plus_plus_11 || lang == DW_LANG_C_plus_plus_14;
}

int ilp_dwvars_member(struct ilp_dwvars *vs, uint64_t v, const char *var, char *buf, size_t size)
{
	const struct dwvar *dv = var_at(vs, v);
	Dwarf_Die die, type, m, mtype, cls;
	char path[256], q[256];
	size_t plen = 0, cut = 0;
	uint64_t off, at = 0;
	int depth, have_cls = 0, tag;

	if (!dv || !dwarf_offdie(vs->dw, dv->off, &die) || type_of(&die, &type))
		return -ENOENT;
	off = v - dv->addr;
	path[0] = '\0';
	for (depth = 0; depth < ILP_DW_MAX_DEPTH && plen < sizeof(path); depth++) {
		tag = dwarf_tag(&type);
		if (tag == DW_TAG_array_type) {
			Dwarf_Die el;
			uint64_t esz;

			if (type_of(&type, &el) || !(esz = size_of(&el)))
				break;
			plen += (size_t)snprintf(path + plen, sizeof(path) - plen, "[%" PRIu64 "]",
						 off / esz);
			off %= esz;
			type = el;
			continue;
		}
		if (!aggregate(tag) || system_type(&type) || member_at(&type, off, &m, &mtype, &at))
			break;
		off -= at;
		if (dwarf_tag(&m) == DW_TAG_member) {
			const char *name = dwarf_diename(&m);

			/* the innermost class declaring a named member: the
			 * C++ name starts there */
			if (name) {
				cls = type;
				have_cls = 1;
				cut = plen;
				plen += (size_t)snprintf(path + plen, sizeof(path) - plen, ".%s", name);
			}
		}
		type = mtype;
	}
	if (!plen || plen >= sizeof(path))
		return -ENOENT;
	/* C++, and no array index before the class (the element would be lost):
	 * "app::Cache::mu_"; else the variable's name and the whole path */
	if (have_cls && !memchr(path, '[', cut) && cplusplus(&die) && dwarf_diename(&cls)) {
		qualified(vs, &cls, q, sizeof(q));
		snprintf(buf, size, "%s::%s", q, path + cut + 1);
	} else {
		snprintf(buf, size, "%s%s", var, path);
	}
	if (off) {
		size_t len = strlen(buf);

		snprintf(buf + len, size - len, "+0x%" PRIx64, off);
	}
	return 0;
}
