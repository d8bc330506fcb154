// SPDX-License-Identifier: MIT
/*
 * The symbolizer's ELF files (symbolize_internal.h), read with libdw.
 *
 * The tracee is not trusted.  A mapped file is never opened by the path
 * its maps line shows alone (a hostile tracee can put a FIFO, a device or
 * a symlink there, or the file may be gone): it is opened through
 * /proc/PID/map_files/START-END, which is the mapped file itself, or,
 * where that is not allowed (not CAP_SYS_ADMIN), by its path inside the
 * process's root (/proc/PID/root: a container's files, not ours), and in
 * both cases first with O_PATH (a FIFO or a device is never opened), and
 * only if fstat says a regular file with the maps line's dev:ino.  Paths
 * inside the root resolve with openat2's RESOLVE_IN_ROOT where the kernel
 * has it (symlinks stay inside).  The ELF headers are checked before
 * libelf reads them (section and program header counts and offsets inside
 * the file, symbol tables inside the file and capped), and a file that
 * lies is refused whole.  libelf reads the file with pread (ELF_C_READ),
 * never mmap: a tracee that truncates its file cannot SIGBUS us.
 *
 * Separate debuginfo is looked up as dwfl_standard_find_debuginfo does
 * (build-id in /usr/lib/debug/.build-id, then the .gnu_debuglink name
 * beside the file, in .debug/ beside it and under /usr/lib/debug), but
 * inside the process's root and through the same O_PATH opener: the
 * standard finder opens paths a tracee controls with a blocking open(2).
 * libdwfl checks the build-id of what is found.
 *
 * Each file has its own Dwfl (one module at the file's own addresses) for
 * names and lines: symbols and DWARF are read once however many processes
 * map the file.  A process's Dwfl for the unwinder reports the same Elf
 * handles (libelf reference counts) at the process's addresses.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "demangle.h"
#include "idmap.h"
#include "symbolize_internal.h"

#define PAGE_MASK_U (~(uint64_t)4095)

/* what is read of a mapped ELF file, at most */
#define ILP_ELF_MAX_BYTES (4ull << 30)	/* larger files are not read */
#define ILP_ELF_MAX_HDRS 65536u		/* section or program headers */
#define ILP_ELF_MAX_TABLE (64ull << 20)	/* bytes of a symbol table or its strings */
#define ILP_ELF_MAX_SYMS (1u << 20)	/* symbols of one file (more: refused) */
#define ILP_ELF_SYM_BUDGET (4u << 20)	/* symbols over all files */
#define ILP_ELF_MAX_OBJS 256u		/* distinct files (each keeps an fd) */
#define ILP_ELF_MAX_ROOTS 64u		/* distinct process roots (an fd each) */
#define BTRFS_MAGIC_V 0x9123683eL

struct seg {
	uint64_t vaddr, memsz, offset;
};

struct root {
	uint64_t dev, ino;
	int fd;			/* O_PATH: the root stays even when its process is gone */
};

struct ilp_elffile {
	uint64_t dev, ino;	/* the file (maps line's dev:ino) */
	struct ilp_elffile *next;	/* same key hash */
	struct ilp_elffiles *fs;
	int ok;			/* an ELF file we read */
	int fd;
	Elf *elf;		/* ELF_C_READ on fd */
	struct seg *segs;	/* PT_LOAD */
	size_t nsegs;
	uint64_t lo, hi;	/* first segment's start (libdwfl's rule), last end */
	int root;		/* index in fs->roots, -1: none (no debuginfo lookup) */
	char *path;		/* inside that root */
	Dwfl *dwfl;		/* names: this file alone, at its own addresses */
	Dwfl_Module *mod;
	int dwfl_tried, vars_tried;
	struct ilp_dwvars *vars;
};

struct ilp_elffiles {
	struct ilp_idmap byid;	/* key(dev, ino) -> chain */
	size_t n, nsyms;
	struct root roots[ILP_ELF_MAX_ROOTS];
	size_t nroots;
};

static uint64_t key(uint64_t dev, uint64_t ino)
{
	return ino ^ (dev * 0x9e3779b97f4a7c15ull);
}

struct ilp_elffiles *ilp_elffiles_new(void)
{
	struct ilp_elffiles *fs = calloc(1, sizeof(*fs));

	if (fs)
		elf_version(EV_CURRENT);
	return fs;
}

static void file_free(struct ilp_elffile *f)
{
	ilp_dwvars_free(f->vars);
	if (f->dwfl)
		dwfl_end(f->dwfl);
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
	free(f->segs);
	free(f->path);
	free(f);
}

void ilp_elffiles_free(struct ilp_elffiles *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->byid.cap; i++) {
		struct ilp_elffile *f = fs->byid.vals[i], *next;

		for (; f; f = next) {
			next = f->next;
			file_free(f);
		}
	}
	ilp_idmap_release(&fs->byid);
	for (i = 0; i < fs->nroots; i++)
		close(fs->roots[i].fd);
	free(fs);
}

/* ---- opening: O_PATH first, regular files only ---- */

/* st is the file the maps line m names: a regular file of at most
 * ILP_ELF_MAX_BYTES with m's inode and device (btrfs: maps shows the
 * superblock's device, stat the subvolume's, so the inode alone there) */
static int same_file(const struct stat *st, const struct ilp_map *m, int fd)
{
	struct statfs sf;

	if (!S_ISREG(st->st_mode) || (uint64_t)st->st_size > ILP_ELF_MAX_BYTES)
		return 0;
	if (!m)
		return 1;
	if ((uint64_t)st->st_ino != m->ino)
		return 0;
	if ((uint64_t)st->st_dev == m->dev)
		return 1;
	return !fstatfs(fd, &sf) && sf.f_type == BTRFS_MAGIC_V;
}

/*
 * Opens path (relative to dirfd; in_root: resolved as if dirfd were /)
 * for reading if it is a regular file (m's file, if m): opened O_PATH and
 * checked before it is opened for reading through /proc/self/fd, so that
 * no FIFO, device or socket is ever opened.  fd, or -errno (-ESTALE: not
 * that file).
 */
static int open_regular(int dirfd, const char *path, int in_root, const struct ilp_map *m)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	char p[PATH_MAX + 64];
	struct stat st, st2;
	int pfd = -1, fd, err;

	if (in_root) {
		while (*path == '/')
			path++;
		pfd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (pfd < 0 && (errno == ENOSYS || errno == EPERM)) {	/* no openat2: below */
			snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dirfd, path);
			pfd = open(p, O_PATH | O_CLOEXEC | O_NOFOLLOW);
		}
	} else {
		pfd = openat(dirfd, path, O_PATH | O_CLOEXEC);
	}
	if (pfd < 0)
		return -errno;
	err = -ESTALE;
	if (fstat(pfd, &st) || !same_file(&st, m, pfd))
		goto out;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", pfd);
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	err = fd < 0 ? -errno : 0;
	if (fd >= 0 && (fstat(fd, &st2) || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino)) {
		close(fd);
		err = -ESTALE;
	}
	if (!err)
		err = fd;
out:
	close(pfd);
	return err;
}

/*
 * The file mapped at m in /proc pid ppid, never by a path the tracee
 * controls alone: fd or -errno (map_files' error: -ENOENT when the
 * mapping is no longer there as the snapshot saw it).  map_files needs
 * CAP_SYS_ADMIN and a live mapping; else the path inside the process's
 * root (rootfd), if it still names that very file.
 */
static int open_mapped(int ppid, int rootfd, const struct ilp_map *m)
{
	static const char deleted[] = " (deleted)";
	char mf[96];
	size_t len = strlen(m->path);
	int fd, fd2;

	snprintf(mf, sizeof(mf), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, ppid, m->start, m->end);
	fd = open_regular(AT_FDCWD, mf, 0, m);
	if (fd >= 0 || fd == -ESTALE || rootfd < 0)
		return fd;
	if (len >= sizeof(deleted) - 1 && !strcmp(m->path + len - (sizeof(deleted) - 1), deleted))
		return fd;
	fd2 = open_regular(rootfd, m->path, 1, m);
	return fd2 >= 0 ? fd2 : fd;
}

int ilp_elffiles_root(struct ilp_elffiles *fs, int ppid)
{
	char p[64];
	struct stat st;
	size_t i;
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/root", ppid);
	fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	for (i = 0; i < fs->nroots; i++)
		if (fs->roots[i].dev == (uint64_t)st.st_dev && fs->roots[i].ino == (uint64_t)st.st_ino) {
			close(fd);
			return (int)i;
		}
	if (fs->nroots == ILP_ELF_MAX_ROOTS) {
		close(fd);
		return -1;
	}
	fs->roots[fs->nroots] = (struct root){ (uint64_t)st.st_dev, (uint64_t)st.st_ino, fd };
	return (int)fs->nroots++;
}

/* ---- checks before libelf ---- */

/* from a 32- or 64-bit ELF header (native byte order) */
struct ehdr_fields {
	uint64_t shoff, phoff, shnum, phnum, shentsize, phentsize;
};

static int pread_full(int fd, void *buf, size_t n, uint64_t off)
{
	return pread(fd, buf, n, (off_t)off) == (ssize_t)n ? 0 : -EIO;
}

/* count and entries inside the file, count <= ILP_ELF_MAX_HDRS */
static int table_in_file(uint64_t off, uint64_t num, uint64_t entsize, uint64_t fsize)
{
	return num <= ILP_ELF_MAX_HDRS && entsize <= 65535 && off <= fsize &&
	       num * entsize <= fsize - off;
}

/*
 * Reads and checks the ELF header before libelf does: libelf allocates per
 * section and program header, up to what the file size allows.  Extended
 * numbering (e_shnum 0, e_phnum PN_XNUM) reads section 0.  0 or -EINVAL.
 */
static int elf_header_check(int fd, uint64_t fsize)
{
	union {
		unsigned char id[EI_NIDENT];
		Elf32_Ehdr e32;
		Elf64_Ehdr e64;
	} h;
	struct ehdr_fields f;
	uint64_t sh0_size = 0, sh0_info = 0;
	int is64;
	const union { uint16_t v; uint8_t b[2]; } order = { 1 };

	if (fsize < sizeof(h.e32) || pread_full(fd, &h, sizeof(h.e32), 0) ||
	    memcmp(h.id, ELFMAG, SELFMAG) ||
	    h.id[EI_DATA] != (order.b[0] ? ELFDATA2LSB : ELFDATA2MSB))
		return -EINVAL;
	is64 = h.id[EI_CLASS] == ELFCLASS64;
	if (!is64 && h.id[EI_CLASS] != ELFCLASS32)
		return -EINVAL;
	if (is64) {
		if (fsize < sizeof(h.e64) || pread_full(fd, &h, sizeof(h.e64), 0))
			return -EINVAL;
		f = (struct ehdr_fields){ h.e64.e_shoff, h.e64.e_phoff, h.e64.e_shnum,
					  h.e64.e_phnum, h.e64.e_shentsize, h.e64.e_phentsize };
	} else {
		f = (struct ehdr_fields){ h.e32.e_shoff, h.e32.e_phoff, h.e32.e_shnum,
					  h.e32.e_phnum, h.e32.e_shentsize, h.e32.e_phentsize };
	}
	if (f.shoff && (f.shnum == 0 || f.phnum == PN_XNUM)) {
		Elf64_Shdr s64;
		Elf32_Shdr s32;

		if (is64 ? pread_full(fd, &s64, sizeof(s64), f.shoff)
			 : pread_full(fd, &s32, sizeof(s32), f.shoff))
			return -EINVAL;
		sh0_size = is64 ? s64.sh_size : s32.sh_size;
		sh0_info = is64 ? s64.sh_info : s32.sh_info;
		if (f.shnum == 0)
			f.shnum = sh0_size;
		if (f.phnum == PN_XNUM)
			f.phnum = sh0_info;
	}
	if ((f.shnum && !table_in_file(f.shoff, f.shnum, f.shentsize, fsize)) ||
	    (f.phnum && !table_in_file(f.phoff, f.phnum, f.phentsize, fsize)))
		return -EINVAL;
	return 0;
}

/* a section whose bytes lie inside the file, at most ILP_ELF_MAX_TABLE of them */
static int section_ok(const GElf_Shdr *sh, uint64_t fsize)
{
	return sh->sh_type != SHT_NOBITS && !(sh->sh_flags & SHF_COMPRESSED) &&
	       sh->sh_offset <= fsize && sh->sh_size <= fsize - sh->sh_offset &&
	       sh->sh_size <= ILP_ELF_MAX_TABLE;
}

/* the symbol table (SHT_SYMTAB or SHT_DYNSYM) and its strings are sane */
static int symtab_ok(Elf *e, const GElf_Shdr *sh, uint64_t fsize)
{
	size_t shnum, ent = gelf_fsize(e, ELF_T_SYM, 1, EV_CURRENT);
	GElf_Shdr ssh;
	Elf_Scn *strs;

	if (!section_ok(sh, fsize) || sh->sh_entsize != ent || !ent || sh->sh_size % ent ||
	    elf_getshdrnum(e, &shnum) || !sh->sh_link || sh->sh_link >= shnum)
		return 0;
	strs = elf_getscn(e, sh->sh_link);
	return strs && gelf_getshdr(strs, &ssh) && ssh.sh_type == SHT_STRTAB &&
	       section_ok(&ssh, fsize);
}

/*
 * Reads f->fd's headers into f: its segments, and f->ok if it is an
 * executable or shared object whose symbol tables are sane and within
 * the caps (a file that lies is refused whole: libdw reads every table).
 */
static void file_load(struct ilp_elffiles *fs, struct ilp_elffile *f)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	struct stat st;
	uint64_t nsyms = 0;
	size_t i, n;
	int first = 1;

	if (fstat(f->fd, &st) || elf_header_check(f->fd, (uint64_t)st.st_size))
		return;
	f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
	if (!f->elf || !gelf_getehdr(f->elf, &eh) || (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) ||
	    elf_getphdrnum(f->elf, &n) || n > ILP_ELF_MAX_HDRS)
		return;
	f->segs = calloc(n ? n : 1, sizeof(*f->segs));
	if (!f->segs)
		return;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(f->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		f->segs[f->nsegs++] = (struct seg){ ph.p_vaddr, ph.p_memsz, ph.p_offset };
		if (first)	/* libdwfl's low address of the module */
			f->lo = ph.p_vaddr & -ph.p_align;
		first = 0;
		if (ph.p_vaddr + ph.p_memsz > f->hi)
			f->hi = ph.p_vaddr + ph.p_memsz;
	}
	if (!f->nsegs || f->hi <= f->lo)
		return;
	while ((scn = elf_nextscn(f->elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			return;
		if (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM)
			continue;
		if (!symtab_ok(f->elf, &sh, (uint64_t)st.st_size))
			return;
		nsyms += sh.sh_size / sh.sh_entsize;
	}
	if (nsyms > ILP_ELF_MAX_SYMS || fs->nsyms + nsyms > ILP_ELF_SYM_BUDGET)
		return;
	fs->nsyms += nsyms;
	f->ok = 1;
}

struct ilp_elffile *ilp_elffile_get(struct ilp_elffiles *fs, int ppid, int root_hint,
				    const struct ilp_map *m, int *err)
{
	uint64_t k = key(m->dev, m->ino);
	struct ilp_elffile *f, *head = ilp_idmap_peek(&fs->byid, k);
	int fd, root;

	for (f = head; f; f = f->next)
		if (f->dev == m->dev && f->ino == m->ino)
			return f->ok ? f : NULL;
	if (!m->ino || fs->n >= ILP_ELF_MAX_OBJS || ppid <= 0)
		return NULL;
	root = ilp_elffiles_root(fs, ppid);
	if (root < 0)	/* exited: the root its snapshot saw */
		root = root_hint;
	fd = open_mapped(ppid, root >= 0 ? fs->roots[root].fd : -1, m);
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (f)
		f->path = strdup(m->path);
	if (!f || !f->path || ilp_idmap_put(&fs->byid, k, f)) {
		if (f)
			free(f->path);
		free(f);
		close(fd);
		return NULL;
	}
	f->dev = m->dev;
	f->ino = m->ino;
	f->next = head;
	f->fs = fs;
	f->fd = fd;
	f->root = root;
	fs->n++;
	file_load(fs, f);
	if (!f->ok) {		/* refused: kept (never opened again), closed */
		if (f->elf)
			elf_end(f->elf);
		f->elf = NULL;
		close(f->fd);
		f->fd = -1;
		return NULL;
	}
	return f;
}

int ilp_elffile_bias(const struct ilp_elffile *f, const struct ilp_map *m, uint64_t *bias)
{
	size_t k;

	for (k = 0; k < f->nsegs; k++)
		if ((f->segs[k].offset & PAGE_MASK_U) == m->offset) {
			*bias = m->start - (f->segs[k].vaddr & PAGE_MASK_U);
			return 0;
		}
	return -ENOENT;
}

int ilp_elffile_covers(const struct ilp_elffile *f, uint64_t v)
{
	size_t k;

	for (k = 0; k < f->nsegs; k++)
		if (v >= f->segs[k].vaddr && v - f->segs[k].vaddr < f->segs[k].memsz)
			return 1;
	return 0;
}

/* ---- libdwfl callbacks ---- */

/* the module's file: our Elf handle (a new reference), never a path */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
		    char **file_name, Elf **elfp)
{
	struct ilp_elffile *f = *userdata;

	(void)mod;
	(void)modname;
	(void)base;
	(void)file_name;
	*elfp = f && f->elf ? elf_begin(-1, ELF_C_READ, f->elf) : NULL;
	return -1;
}

/* a debug file at rel inside f's root, its headers checked: fd or -1 */
static int open_debug(const struct ilp_elffile *f, const char *rel)
{
	struct stat st;
	int fd = open_regular(f->fs->roots[f->root].fd, rel, 1, NULL);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || elf_header_check(fd, (uint64_t)st.st_size)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* a .gnu_debuglink name (a file name) or a .gnu_debugaltlink path
 * (absolute): no ".." anywhere */
static int link_ok(const char *link)
{
	const char *p;

	if (!*link || (strchr(link, '/') && link[0] != '/'))
		return 0;
	for (p = link; (p = strstr(p, "..")); p += 2)
		if ((p == link || p[-1] == '/') && (p[2] == '/' || !p[2]))
			return 0;
	return 1;
}

static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			  Dwarf_Addr base, const char *file_name, const char *link,
			  GElf_Word crc, char **debug_name)
{
	struct ilp_elffile *f = *userdata;
	const unsigned char *id;
	GElf_Addr idaddr;
	static const char *const beside[] = { "%s/%s", "%s/.debug/%s", "usr/lib/debug%s/%s" };
	char rel[PATH_MAX], dir[PATH_MAX], *slash;
	int n, i, fd;

	(void)modname;
	(void)base;
	(void)file_name;
	(void)crc;
	(void)debug_name;	/* left NULL: libdwfl would open it by name */
	if (!f || f->root < 0)
		return -1;
	/* build-id: the main file's, not for an alt file (an absolute link) */
	n = dwfl_module_build_id(mod, &id, &idaddr);
	if (n > 1 && n <= 64 && !(link && link[0] == '/')) {
		int len = snprintf(rel, sizeof(rel), "usr/lib/debug/.build-id/%02x/", id[0]);

		for (i = 1; i < n; i++)
			len += snprintf(rel + len, sizeof(rel) - (size_t)len, "%02x", id[i]);
		snprintf(rel + len, sizeof(rel) - (size_t)len, ".debug");
		fd = open_debug(f, rel);
		if (fd >= 0)
			return fd;
	}
	if (!link || !link_ok(link))
		return -1;
	if (link[0] == '/')
		return open_debug(f, link);
	snprintf(dir, sizeof(dir), "%s", f->path);
	slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	for (i = 0; i < 3; i++) {
		if (snprintf(rel, sizeof(rel), beside[i], dir, link) >= (int)sizeof(rel))
			continue;
		fd = open_debug(f, rel);
		if (fd >= 0)
			return fd;
	}
	return -1;
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = find_debuginfo,
};

Dwfl *ilp_elffile_dwfl_begin(void)
{
	return dwfl_begin(&callbacks);
}

Dwfl_Module *ilp_elffile_report(struct ilp_elffile *f, Dwfl *dwfl, const char *name,
				uint64_t bias)
{
	Dwfl_Module *mod = dwfl_report_module(dwfl, name, bias + f->lo, bias + f->hi);
	void **ud = NULL;

	if (!mod)
		return NULL;
	dwfl_module_info(mod, &ud, NULL, NULL, NULL, NULL, NULL, NULL);
	if (ud)
		*ud = f;
	return mod;
}

/* ---- names ---- */

static const char *base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* f's own Dwfl, made at the first question */
static Dwfl_Module *file_mod(struct ilp_elffile *f)
{
	if (f->mod || f->dwfl_tried)
		return f->mod;
	f->dwfl_tried = 1;
	f->dwfl = ilp_elffile_dwfl_begin();
	if (!f->dwfl)
		return NULL;
	dwfl_report_begin(f->dwfl);
	f->mod = ilp_elffile_report(f, f->dwfl, base(f->path), 0);
	if (dwfl_report_end(f->dwfl, NULL, NULL) || !f->mod) {
		dwfl_end(f->dwfl);
		f->dwfl = NULL;
		f->mod = NULL;
	}
	return f->mod;
}

Dwfl_Module *ilp_elffile_mod(struct ilp_elffile *f)
{
	return file_mod(f);
}

int ilp_elffile_data_name(struct ilp_elffile *f, uint64_t v, char *buf, size_t size)
{
	Dwfl_Module *mod = file_mod(f);
	char dn[512];
	const char *name;
	GElf_Sym sym;
	GElf_Off off = 0;

	if (!mod)
		return -ENOENT;
	name = dwfl_module_addrinfo(mod, v, &off, &sym, NULL, NULL, NULL);
	/* covering symbols only (a sizeless one: its very address) */
	if (!name || !*name || (sym.st_size ? off >= sym.st_size : off != 0))
		return -ENOENT;
	ilp_demangle(name, dn, sizeof(dn));
	if (off && !f->vars_tried) {
		f->vars_tried = 1;
		ilp_dwvars_build(mod, &f->vars);
	}
	if (off && f->vars && !ilp_dwvars_member(f->vars, v, dn, buf, size))
		return 0;
	if (!off)
		snprintf(buf, size, "%s", dn);
	else
		snprintf(buf, size, "%s+0x%" PRIx64, dn, (uint64_t)off);
	return 0;
}

int ilp_elffile_code_name(struct ilp_elffile *f, uint64_t v, char *func, size_t fsize,
			  const char **file, int *line)
{
	Dwfl_Module *mod = file_mod(f);
	const char *name, *src;
	Dwfl_Line *l;
	int ln = 0;

	func[0] = '\0';
	*file = NULL;
	*line = 0;
	if (!mod)
		return -ENOENT;
	name = dwfl_module_addrinfo(mod, v, &(GElf_Off){ 0 }, &(GElf_Sym){ 0 }, NULL, NULL, NULL);
	if (name && *name)
		ilp_demangle(name, func, fsize);
	l = dwfl_module_getsrc(mod, v);
	src = l ? dwfl_lineinfo(l, NULL, &ln, NULL, NULL, NULL) : NULL;
	if (src && ln > 0) {
		*file = src;
		*line = ln;
	}
	return func[0] || *file ? 0 : -ENOENT;
}

/* the section of type in f's ELF, or NULL */
static Elf_Scn *section_of(Elf *e, Elf64_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == type)
			return scn;
	return NULL;
}

int ilp_elffile_func_offset(struct ilp_elffile *f, const char *name, uint64_t *off)
{
	GElf_Shdr sh, vsh;
	Elf_Scn *scn, *vscn;
	Elf_Data *data, *vdata = NULL;
	size_t i, n, k;

	if (!f->ok || !f->elf)
		return -ENOENT;
	scn = section_of(f->elf, SHT_DYNSYM, &sh);
	if (!scn || !sh.sh_entsize)
		return -ENOENT;
	data = elf_getdata(scn, NULL);
	vscn = section_of(f->elf, SHT_GNU_versym, &vsh);
	if (vscn)
		vdata = elf_getdata(vscn, NULL);
	if (!data)
		return -ENOENT;
	n = sh.sh_size / sh.sh_entsize;
	for (i = 0; i < n; i++) {
		GElf_Versym vs;
		GElf_Sym sym;
		const char *s;

		if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    !sym.st_value || sym.st_shndx == SHN_UNDEF)
			continue;
		s = elf_strptr(f->elf, sh.sh_link, sym.st_name);
		if (!s || strcmp(s, name))
			continue;
		/* a hidden (non-default) version: the compat symbol */
		if (vdata && gelf_getversym(vdata, (int)i, &vs) && (vs & 0x8000))
			continue;
		for (k = 0; k < f->nsegs; k++)
			if (sym.st_value >= f->segs[k].vaddr &&
			    sym.st_value - f->segs[k].vaddr < f->segs[k].memsz) {
				*off = sym.st_value - f->segs[k].vaddr + f->segs[k].offset;
				return 0;
			}
	}
	return -ENOENT;
}
