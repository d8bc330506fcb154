// SPDX-License-Identifier: MIT
/*
 * Demangling (include/demangle.h) with libiberty, the demangler of
 * binutils and GCC (Debian's libiberty-dev, linked statically): it knows
 * the C++ ABI of every GCC and the Rust schemes, and returns NULL for a
 * name that is not mangled.  Only names with a mangling prefix are handed
 * to it, so a C name ("hot_lock", "main") is never rewritten.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libiberty/demangle.h>

#include "demangle.h"

/* "_Z" (C++, Rust legacy) or "_R" (Rust v0) and an upper-case letter or
 * digit after it: the only names a demangler may rewrite */
static int mangled(const char *name)
{
	return name[0] == '_' && (name[1] == 'Z' || name[1] == 'R') && name[2] &&
	       ((name[2] >= 'A' && name[2] <= 'Z') || (name[2] >= '0' && name[2] <= '9'));
}

int ilp_demangle(const char *name, char *buf, size_t size)
{
	char *d;

	if (!size)
		return 0;
	if (!mangled(name)) {
		snprintf(buf, size, "%s", name);
		return 0;
	}
	d = cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
	if (!d) {	/* not a valid mangled name (or no memory): as it is */
		snprintf(buf, size, "%s", name);
		return 0;
	}
	snprintf(buf, size, "%s", d);
	free(d);
	return 1;
}
