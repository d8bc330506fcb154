/* SPDX-License-Identifier: MIT */
#ifndef ILP_SYMBOLIZE_INTERNAL_H
#define ILP_SYMBOLIZE_INTERNAL_H

/*
 * Inside the symbolizer (src/source): the ELF files it reads with libdw
 * (elffile.c), the variables their DWARF describes (dwarfvar.c), and what
 * the unwinder (unwind.c) takes from it.  Nothing outside src/source
 * sees these.
 */

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>

struct ilp_symbolizer;

/* one line of /proc/PID/maps */
struct ilp_map {
	uint64_t start, end, offset;
	uint64_t dev, ino;	/* 0 0 for anonymous */
	char *path;		/* "" for anonymous */
};
/* one line of /proc/PID/maps into m (m->path malloc'ed, the newline cut
 * off line): 0, -EINVAL (not a mapping line), -ENOMEM */
int ilp_map_parse(char *line, struct ilp_map *m);

/*
 * ELF files, one per file (dev:ino) whatever process maps it: opened once
 * through the process (map_files, or the path inside /proc/PID/root), its
 * headers checked before libelf reads them, then read by libdw: symbols
 * from .symtab/.dynsym or the separate debuginfo (build-id, debuglink,
 * looked up inside the process's root), lines and DWARF types.
 */
struct ilp_elffiles;
struct ilp_elffile;

struct ilp_elffiles *ilp_elffiles_new(void);		/* NULL: no memory */
void ilp_elffiles_free(struct ilp_elffiles *fs);	/* after every Dwfl that reports them; NULL ok */

/*
 * The process's root directory (/proc/PPID/root), kept open in fs (one fd
 * per distinct root): its index, or -1 if it cannot be opened (the process
 * is gone) or fs holds too many.  Taken with a maps snapshot, it lets a
 * file be opened inside the right root after the process has exited.
 */
int ilp_elffiles_root(struct ilp_elffiles *fs, int ppid);
/*
 * The file mapped at m in the process whose /proc pid is ppid, opened and
 * checked now if new; inside the root of index root (ilp_elffiles_root)
 * when /proc/PPID/root is gone, -1: none.  NULL if it cannot be opened as
 * m's file now (*err: why, -ENOENT when map_files no longer has m's range;
 * asked again later), is no ELF file we read (refused: kept, so never
 * opened again), or the table is full.
 */
struct ilp_elffile *ilp_elffile_get(struct ilp_elffiles *fs, int ppid, int root,
				    const struct ilp_map *m, int *err);
/* the load bias of f mapped by m (m's offset starts one of f's segments):
 * 0, or -ENOENT if m maps no segment start */
int ilp_elffile_bias(const struct ilp_elffile *f, const struct ilp_map *m, uint64_t *bias);
/* 1 if the file address v is inside one of f's segments (.bss too) */
int ilp_elffile_covers(const struct ilp_elffile *f, uint64_t v);
/*
 * The data at file address v: the symbol covering it, demangled ("hot_lock",
 * "app::g_cache+0x8"), or, where DWARF describes the variable, its member
 * ("app::Cache::mu_", "g_db.lock"; dwarfvar.c).  0, or -ENOENT (no symbol).
 */
int ilp_elffile_data_name(struct ilp_elffile *f, uint64_t v, char *buf, size_t size);
/* the code at file address v: *func the symbol, demangled, into func ("" if
 * none); *file and *line its source line (NULL/0 without line info;
 * strings of f, valid while the symbolizer lives).  0 or -ENOENT (no
 * symbol and no line). */
int ilp_elffile_code_name(struct ilp_elffile *f, uint64_t v, char *func, size_t fsize,
			  const char **file, int *line);

/* f's own Dwfl module (its file addresses), made at the first question;
 * NULL if libdw cannot read f */
Dwfl_Module *ilp_elffile_mod(struct ilp_elffile *f);
/*
 * The frame a frame-pointer walk skipped (fpgap.c): ret, a file address
 * of f, is the first return address the walk found; func0 the function of
 * the walk's frame 0 (a wrapper that made no frame).  From f's DWARF call
 * sites: 1 with *v the skipped function's call of func0 (return address
 * - 1, file address), 2 with *v the skipped function's entry (it calls
 * func0 from several places, or never by name), 0 if the call at ret
 * calls func0 itself (nothing skipped), -ENOENT if unknown.
 */
int ilp_elffile_fp_gap(struct ilp_elffile *f, uint64_t ret, const char *func0, uint64_t *v);
/* the same for the skipped frame of main (libc's start-up calls it through
 * a pointer: no call site names it), f the program's file */
int ilp_elffile_fp_gap_main(struct ilp_elffile *f, const char *func0, uint64_t *v);
/*
 * The file offset of the function name (its default version, from
 * .dynsym: "pthread_cond_wait" is pthread_cond_wait@@GLIBC_2.3.2, not the
 * compat @GLIBC_2.2.5), for a uprobe.  0, or -ENOENT.
 */
int ilp_elffile_func_offset(struct ilp_elffile *f, const char *name, uint64_t *off);

/* A Dwfl whose modules are files of this table, reported at their load
 * address in one process (ilp_elffile_report). */
Dwfl *ilp_elffile_dwfl_begin(void);
/* reports f, loaded at bias, as module name of dwfl: the module or NULL */
Dwfl_Module *ilp_elffile_report(struct ilp_elffile *f, Dwfl *dwfl, const char *name,
				uint64_t bias);

/* pid's image as a Dwfl for the unwinder: the snapshot's ELF files at
 * their addresses, a snapshot read first if there is none, or read again
 * if reread and the one there is old enough (ILP_SNAP_MIN_AGE_NS).  NULL:
 * no snapshot, or no memory.  The caller dwfl_end()s it. */
Dwfl *ilp_symbolizer_proc_dwfl(struct ilp_symbolizer *s, int pid, int reread);

/*
 * The global and static variables a module's DWARF describes, by address
 * (DW_TAG_variable with a DW_OP_addr location: at file scope, in
 * namespaces, function-local statics), built at the first question.
 */
struct ilp_dwvars;

/* 0, -ENOENT (no DWARF), -ENOMEM */
int ilp_dwvars_build(Dwfl_Module *mod, struct ilp_dwvars **out);
void ilp_dwvars_free(struct ilp_dwvars *vs);	/* NULL ok */
/*
 * The member of a variable that module address v is in, named from the
 * variable's type: in C++, "app::Cache::mu_" (the innermost class that
 * declares it, then the member path inside it), else var's name and the
 * path, "g_db.lock", "g_shards[3].mu".  Types declared in system headers
 * (std::mutex, pthread_mutex_t) are not entered; bytes left inside one
 * show as "+0x4".  0, or -ENOENT (no variable there, or no member).
 */
int ilp_dwvars_member(struct ilp_dwvars *vs, uint64_t v, const char *var, char *buf, size_t size);

#endif
