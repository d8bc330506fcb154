/* SPDX-License-Identifier: MIT */
#ifndef ILP_DEMANGLE_H
#define ILP_DEMANGLE_H

/*
 * Symbol names as their programmers wrote them: C++ (Itanium ABI, "_Z...")
 * and Rust (legacy "_ZN...17h<hash>E" and v0 "_R...") demangled with
 * libiberty's cplus_demangle (DMGL_PARAMS | DMGL_ANSI, Rust tried first,
 * as c++filt does), so "_ZN3app5Cache3getEi" reads "app::Cache::get(int)"
 * and a Rust legacy name loses its hash.  Any other name (C) is copied as
 * it is: a C symbol never changes.
 */

#include <stddef.h>

/**
 * ilp_demangle - a symbol name as its programmer wrote it
 * @name: the symbol name, as the ELF file has it
 * @buf: the caller's buffer, set to the demangled name, or to name as it
 *	is (cut to fit: size - 1 bytes at most)
 * @size: bytes at buf; 0 writes nothing
 *
 * Returns 1 if name was demangled, 0 if it was copied as it is (not
 * mangled, not a valid mangled name, or no memory).
 */
int ilp_demangle(const char *name, char *buf, size_t size);

#endif
