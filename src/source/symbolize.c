// SPDX-License-Identifier: MIT
/*
 * Address and device names for the report.  See include/symbolize.h.
 *
 * A user address is matched against each mapped ELF file's PT_LOAD
 * segments (the load bias from the mapping whose file offset starts a
 * segment), so a global in .bss, which lives in the anonymous mapping just
 * after the file's data, still finds its symbol.  ELF files are parsed
 * once (symbols sorted by address); /proc/kallsyms once.
 *
 * The tracee is not trusted.  A mapped file is never opened by the path
 * its maps line shows (a hostile tracee can put a FIFO, a device or a
 * symlink there, or the file may be gone): it is opened through
 * /proc/PID/map_files/START-END, which is the mapped file itself, or, where
 * that is not allowed (not CAP_SYS_ADMIN), by path with O_NOFOLLOW, and in
 * both cases only if stat says a regular file with the maps line's
 * dev:ino, checked again with fstat on the open fd; O_NONBLOCK so that no
 * open can wait.  The file's ELF headers are checked before libelf reads
 * them (section and program header counts and offsets inside the file),
 * every section used is checked against the file size, and the sizes read
 * and kept are capped (ILP_ELF_*).  Parsed files are keyed by dev:ino.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "pidns.h"
#include "symbolize.h"
#include "idmap.h"
#include "vocab.h"
#include "event.h"

#define PAGE_MASK_U (~(uint64_t)4095)

/* what is read of a mapped ELF file, at most */
#define ILP_ELF_MAX_BYTES (4ull << 30)	/* larger files are not parsed */
#define ILP_ELF_MAX_HDRS 65536u		/* section or program headers */
#define ILP_ELF_MAX_TABLE (64ull << 20)	/* bytes of a symbol table or its strings */
#define ILP_ELF_MAX_SYMS (1u << 20)	/* symbols kept per file */
#define ILP_ELF_SYM_BUDGET (4u << 20)	/* symbols kept over all files */
#define ILP_ELF_MAX_OBJS 1024u		/* distinct files parsed */
#define ILP_SYM_NAME_MAX 255		/* bytes of a symbol name kept */
/* a snapshot missing an address is read again only when it is older than
 * this and than 10 times its own read time: a tracee with 65530 mappings
 * and many unmapped lock addresses cannot keep the profiler reading maps */
#define ILP_SNAP_MIN_AGE_NS 1000000ull
#define BTRFS_MAGIC_V 0x9123683eL

struct sym {
	uint64_t addr, size;
	char *name;
};

struct seg {
	uint64_t vaddr, memsz, offset;
};

struct elfobj {
	uint64_t dev, ino;	/* the file (maps line's dev:ino) */
	struct elfobj *next;	/* same key hash */
	int ok;			/* parsed */
	struct seg *segs;
	size_t nsegs;
	struct sym *syms;	/* by addr */
	size_t nsyms;
};

struct map {
	uint64_t start, end, offset;
	uint64_t dev, ino;	/* 0 0 for anonymous */
	char *path;		/* "" for anonymous */
};

struct snap {
	struct map *maps;
	size_t nmaps;
	uint64_t taken_ts;	/* CLOCK_MONOTONIC ns: older than an exec, it is stale */
	uint64_t read_ns;	/* how long reading it took */
};

/* a process forked by parent that has not exec'd: same image as parent's */
struct forklink {
	int child, parent;
};

struct ilp_symbolizer {
	const struct ilp_pidns *pidns;	/* in a pid namespace: pid -> /proc pid */
	struct ilp_idmap snaps;		/* pid -> struct snap */
	struct ilp_idmap links;		/* child pid -> struct forklink */
	struct ilp_idmap objs;		/* obj_key(dev, ino) -> struct elfobj chain */
	size_t nobjs, nsyms_kept;
	struct sym *ksyms;	/* kallsyms by addr; size = next addr - addr */
	size_t nksyms;
	int kloaded;
};

static uint64_t now_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

static uint64_t obj_key(uint64_t dev, uint64_t ino)
{
	return ino ^ (dev * 0x9e3779b97f4a7c15ull);
}

int ilp_symbolizer_new(struct ilp_symbolizer **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	elf_version(EV_CURRENT);
	return 0;
}

static void snap_release(struct snap *sn)
{
	size_t i;

	for (i = 0; i < sn->nmaps; i++)
		free(sn->maps[i].path);
	free(sn->maps);
	sn->maps = NULL;
	sn->nmaps = 0;
}

static void syms_free(struct sym *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i].name);
	free(s);
}

static void elfobj_free(struct elfobj *o)
{
	free(o->segs);
	syms_free(o->syms, o->nsyms);
	free(o);
}

void ilp_symbolizer_free(struct ilp_symbolizer *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->snaps.cap; i++)
		if (s->snaps.vals[i]) {
			snap_release(s->snaps.vals[i]);
			free(s->snaps.vals[i]);
		}
	ilp_idmap_release(&s->snaps);
	for (i = 0; i < s->links.cap; i++)
		free(s->links.vals[i]);
	ilp_idmap_release(&s->links);
	for (i = 0; i < s->objs.cap; i++) {
		struct elfobj *o = s->objs.vals[i], *next;

		for (; o; o = next) {
			next = o->next;
			elfobj_free(o);
		}
	}
	ilp_idmap_release(&s->objs);
	syms_free(s->ksyms, s->nksyms);
	free(s);
}

static struct snap *snap_find(const struct ilp_symbolizer *s, int pid)
{
	return ilp_idmap_peek(&s->snaps, (uint64_t)(uint32_t)pid);
}

int ilp_symbolizer_has(const struct ilp_symbolizer *s, int pid)
{
	return snap_find(s, pid) != NULL;
}

static struct forklink *link_find(const struct ilp_symbolizer *s, int child)
{
	return ilp_idmap_peek(&s->links, (uint64_t)(uint32_t)child);
}

int ilp_symbolizer_fork(struct ilp_symbolizer *s, int parent, int child)
{
	struct forklink *l = link_find(s, child);

	if (!l) {
		l = calloc(1, sizeof(*l));
		if (!l || ilp_idmap_put(&s->links, (uint64_t)(uint32_t)child, l)) {
			free(l);
			return -ENOMEM;
		}
	}
	l->child = child;
	l->parent = parent;
	return 0;
}

void ilp_symbolizer_exec(struct ilp_symbolizer *s, int pid, uint64_t ts)
{
	struct snap *sn = snap_find(s, pid);

	if (sn && sn->taken_ts < ts) {
		ilp_idmap_del(&s->snaps, (uint64_t)(uint32_t)pid);
		snap_release(sn);
		free(sn);
	}
	free(ilp_idmap_del(&s->links, (uint64_t)(uint32_t)pid));
}

int ilp_symbolizer_parent(const struct ilp_symbolizer *s, int pid)
{
	const struct forklink *l = link_find(s, pid);

	return l ? l->parent : 0;
}

void ilp_symbolizer_set_pidns(struct ilp_symbolizer *s, const struct ilp_pidns *ns)
{
	s->pidns = ns;
}

/* one line of /proc/PID/maps into m: 0, -EINVAL (not a mapping line), -ENOMEM */
static int map_parse(char *line, struct map *m)
{
	unsigned long long start, end, off, ino;
	unsigned maj, min;
	char perms[8], *p, *nl;
	int pos = 0;

	if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu%n", &start, &end, perms, &off, &maj,
		   &min, &ino, &pos) < 7 || !pos)
		return -EINVAL;
	p = line + pos;
	while (*p == ' ')
		p++;
	nl = strchr(p, '\n');
	if (nl)
		*nl = '\0';
	m->start = start;
	m->end = end;
	m->offset = off;
	m->dev = makedev(maj, min);
	m->ino = ino;
	m->path = strdup(p);
	return m->path ? 0 : -ENOMEM;
}

int ilp_symbolizer_snapshot(struct ilp_symbolizer *s, int pid)
{
	char path[64], line[8192];
	struct snap *sn, fresh = { NULL, 0, 0, 0 };
	uint64_t t0 = now_ns();
	size_t cap = 0;
	int err = -ENOMEM, skip = 0, ppid = ilp_pidns_proc_pid(s->pidns, pid);
	FILE *f;

	if (ppid <= 0)		/* pid namespace, not proved: no name (pidns.h) */
		return -ENOENT;
	snprintf(path, sizeof(path), "/proc/%d/maps", ppid);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		int whole = strchr(line, '\n') != NULL, r;

		/* a line longer than the buffer (a very long path): skipped whole */
		if (skip || !whole) {
			skip = !whole;
			continue;
		}
		if (fresh.nmaps == cap) {
			struct map *nm = realloc(fresh.maps, (cap ? cap * 2 : 64) * sizeof(*nm));

			if (!nm)
				goto out;
			fresh.maps = nm;
			cap = cap ? cap * 2 : 64;
		}
		r = map_parse(line, &fresh.maps[fresh.nmaps]);
		if (r == -ENOMEM)
			goto out;
		if (!r)
			fresh.nmaps++;
	}
	/* a process that exited leaves an empty maps file */
	err = fresh.nmaps ? 0 : -ENOENT;
	if (err)
		goto out;
	sn = snap_find(s, pid);
	if (!sn) {
		sn = calloc(1, sizeof(*sn));
		if (!sn || ilp_idmap_put(&s->snaps, (uint64_t)(uint32_t)pid, sn)) {
			free(sn);
			err = -ENOMEM;
			goto out;
		}
	} else {
		snap_release(sn);
	}
	fresh.taken_ts = now_ns();
	fresh.read_ns = fresh.taken_ts - t0;
	*sn = fresh;
	fresh.maps = NULL;
	fresh.nmaps = 0;
out:
	fclose(f);
	snap_release(&fresh);
	return err;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

/* st is the file the maps line m names: a regular file of at most
 * ILP_ELF_MAX_BYTES with m's inode and device (btrfs: maps shows the
 * superblock's device, stat the subvolume's, so the inode alone there) */
static int same_file(const struct stat *st, const struct map *m, const char *path)
{
	struct statfs sf;

	if (!S_ISREG(st->st_mode) || (uint64_t)st->st_ino != m->ino ||
	    (uint64_t)st->st_size > ILP_ELF_MAX_BYTES)
		return 0;
	if ((uint64_t)st->st_dev == m->dev)
		return 1;
	return path && !statfs(path, &sf) && sf.f_type == BTRFS_MAGIC_V;
}

/* opens path if it is m's file (stat before, fstat after): fd or -errno */
static int open_checked(const char *path, int magic_link, const struct map *m)
{
	struct stat st;
	int fd;

	if (magic_link ? stat(path, &st) : lstat(path, &st))
		return -errno;
	if (!same_file(&st, m, path))
		return -ESTALE;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (magic_link ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !same_file(&st, m, path)) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

/*
 * The file mapped at m in pid, never by a path the tracee controls alone:
 * fd or -errno (map_files' error: -ENOENT when the mapping is no longer
 * there as the snapshot saw it).  map_files needs CAP_SYS_ADMIN and a live
 * mapping; else the path, if it still names that very file.
 */
static int open_mapped(int pid, const struct map *m)
{
	static const char deleted[] = " (deleted)";
	char mf[96];
	size_t len = strlen(m->path);
	int fd, fd2;

	snprintf(mf, sizeof(mf), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, pid, m->start, m->end);
	fd = open_checked(mf, 1, m);
	if (fd >= 0 || fd == -ESTALE)
		return fd;
	if (len >= sizeof(deleted) - 1 && !strcmp(m->path + len - (sizeof(deleted) - 1), deleted))
		return fd;
	fd2 = open_checked(m->path, 0, m);
	return fd2 >= 0 ? fd2 : fd;
}

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

/* the symbol table scn (type SHT_SYMTAB or SHT_DYNSYM) and its strings are sane */
static int symtab_ok(Elf *e, const GElf_Shdr *sh, uint64_t fsize)
{
	size_t shnum;
	GElf_Shdr ssh;
	Elf_Scn *strs;

	if (!section_ok(sh, fsize) || sh->sh_entsize != gelf_fsize(e, ELF_T_SYM, 1, EV_CURRENT) ||
	    elf_getshdrnum(e, &shnum) || !sh->sh_link || sh->sh_link >= shnum)
		return 0;
	strs = elf_getscn(e, sh->sh_link);
	return strs && gelf_getshdr(strs, &ssh) && ssh.sh_type == SHT_STRTAB &&
	       section_ok(&ssh, fsize);
}

/* the symbols of section scn into o, at most max of them: 0 or -ENOMEM */
static int syms_load(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, struct elfobj *o, size_t max)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t k, cnt, cap = 0;

	if (!d || !sh->sh_entsize)
		return 0;
	cnt = d->d_size / sh->sh_entsize;	/* what was read, not what sh_size says */
	for (k = 0; k < cnt && o->nsyms < max && k <= INT32_MAX; k++) {
		GElf_Sym st;
		const char *name;
		int type;

		if (!gelf_getsym(d, (int)k, &st) || !st.st_value || st.st_shndx == SHN_UNDEF)
			continue;
		type = GELF_ST_TYPE(st.st_info);
		if (type != STT_OBJECT && type != STT_FUNC && type != STT_TLS && type != STT_NOTYPE)
			continue;
		name = elf_strptr(e, sh->sh_link, st.st_name);	/* bounds-checked by libelf */
		if (!name || !*name)
			continue;
		if (o->nsyms == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct sym *ns;

			if (ncap > max)
				ncap = max;
			ns = realloc(o->syms, ncap * sizeof(*ns));
			if (!ns)
				return -ENOMEM;
			o->syms = ns;
			cap = ncap;
		}
		o->syms[o->nsyms].addr = st.st_value;
		o->syms[o->nsyms].size = st.st_size;
		o->syms[o->nsyms].name = strndup(name, ILP_SYM_NAME_MAX);
		if (!o->syms[o->nsyms].name)
			return -ENOMEM;
		o->nsyms++;
	}
	return 0;
}

/* parses the ELF file open at fd into o; o->ok if it is one */
static void elf_load(struct ilp_symbolizer *s, struct elfobj *o, int fd)
{
	Elf *e = NULL;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	struct stat st;
	size_t i, n, budget;
	int have_symtab = 0;

	if (fstat(fd, &st) || elf_header_check(fd, (uint64_t)st.st_size))
		return;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &n) || n > ILP_ELF_MAX_HDRS)
		goto out;
	o->segs = calloc(n ? n : 1, sizeof(*o->segs));
	if (!o->segs)
		goto out;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD) {
			o->segs[o->nsegs].vaddr = ph.p_vaddr;
			o->segs[o->nsegs].memsz = ph.p_memsz;
			o->segs[o->nsegs].offset = ph.p_offset;
			o->nsegs++;
		}
	}
	/* .symtab if present (it holds the static globals), else .dynsym */
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB &&
		    symtab_ok(e, &sh, (uint64_t)st.st_size))
			have_symtab = 1;
	}
	budget = ILP_ELF_SYM_BUDGET - s->nsyms_kept;
	if (budget > ILP_ELF_MAX_SYMS)
		budget = ILP_ELF_MAX_SYMS;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != (have_symtab ? SHT_SYMTAB : SHT_DYNSYM) ||
		    !symtab_ok(e, &sh, (uint64_t)st.st_size))
			continue;
		if (syms_load(e, scn, &sh, o, budget))
			goto out;
	}
	if (o->nsyms > 1)
		qsort(o->syms, o->nsyms, sizeof(*o->syms), sym_cmp);
	s->nsyms_kept += o->nsyms;
	o->ok = 1;
out:
	if (e)
		elf_end(e);
}

/*
 * The parsed ELF file mapped at m in pid (parsed now if new), NULL if it
 * cannot be opened as m's file now (*err: why; asked again later) or the
 * cache is full.
 */
static struct elfobj *elf_get(struct ilp_symbolizer *s, int pid, const struct map *m, int *err)
{
	uint64_t key = obj_key(m->dev, m->ino);
	struct elfobj *o, *head = ilp_idmap_peek(&s->objs, key);
	int fd, ppid;

	for (o = head; o; o = o->next)
		if (o->dev == m->dev && o->ino == m->ino)
			return o;
	if (!m->ino || s->nobjs >= ILP_ELF_MAX_OBJS)
		return NULL;
	ppid = ilp_pidns_proc_pid(s->pidns, pid);	/* pid namespace: the /proc pid */
	fd = ppid > 0 ? open_mapped(ppid, m) : -ENOENT;
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (!o || ilp_idmap_put(&s->objs, key, o)) {
		free(o);
		close(fd);
		return NULL;
	}
	o->dev = m->dev;
	o->ino = m->ino;
	o->next = head;
	s->nobjs++;
	elf_load(s, o, fd);
	close(fd);
	return o;
}

/* the symbol covering v (size 0: only an exact match) */
static const struct sym *sym_at(const struct sym *syms, size_t n, uint64_t v)
{
	size_t lo = 0, hi = n;
	const struct sym *best = NULL;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (syms[mid].addr <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* walk back over symbols starting at or before v: the first covering one */
	while (lo > 0) {
		const struct sym *c = &syms[--lo];

		if (v < c->addr + (c->size ? c->size : 1)) {
			best = c;
			break;
		}
		if (v - c->addr > (1u << 20))
			break;
	}
	return best;
}

static const char *base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/*
 * ilp_symbolize_user; *stale set when a file mapping of the snapshot is no
 * longer there as it was (map_files has no such range: ld.so's mprotect
 * split it, or it was unmapped), so a snapshot read again may name addr
 * by its symbol where this one only has the mapping.
 */
static int symbolize_user(struct ilp_symbolizer *s, int pid, uint64_t addr, char *buf,
			  size_t size, int *stale)
{
	struct snap *sn = snap_find(s, pid);
	size_t i, k;

	*stale = 0;
	if (!sn)
		return -ENOENT;
	/* ELF objects: any mapping starting a PT_LOAD gives the bias */
	for (i = 0; i < sn->nmaps; i++) {
		const struct map *m = &sn->maps[i];
		struct elfobj *o;
		int err = 0;

		if (!m->ino || m->path[0] != '/')
			continue;
		o = elf_get(s, pid, m, &err);
		if (err == -ENOENT)
			*stale = 1;
		if (!o || !o->ok)
			continue;
		for (k = 0; k < o->nsegs; k++) {
			const struct seg *g = &o->segs[k];
			uint64_t bias, v, j;

			if ((g->offset & PAGE_MASK_U) != m->offset)
				continue;
			bias = m->start - (g->vaddr & PAGE_MASK_U);
			v = addr - bias;
			for (j = 0; j < o->nsegs; j++) {
				const struct sym *sy;

				if (v < o->segs[j].vaddr || v >= o->segs[j].vaddr + o->segs[j].memsz)
					continue;
				sy = sym_at(o->syms, o->nsyms, v);
				if (sy && v == sy->addr)
					snprintf(buf, size, "%s", sy->name);
				else if (sy)
					snprintf(buf, size, "%s+0x%" PRIx64, sy->name, v - sy->addr);
				else
					snprintf(buf, size, "%s+0x%" PRIx64, base(m->path), v);
				return 0;
			}
		}
	}
	for (i = 0; i < sn->nmaps; i++) {
		const struct map *m = &sn->maps[i];

		if (addr < m->start || addr >= m->end)
			continue;
		if (!strcmp(m->path, "[heap]"))
			snprintf(buf, size, "[heap]+0x%" PRIx64, addr - m->start);
		else if (!strncmp(m->path, "[stack", 6))
			snprintf(buf, size, "[stack]@0x%" PRIx64, addr);
		else if (m->path[0])
			snprintf(buf, size, "%s+0x%" PRIx64, base(m->path),
				 addr - m->start + m->offset);
		else
			snprintf(buf, size, "[anon]@0x%" PRIx64, addr);
		return 0;
	}
	return -ENOENT;
}

int ilp_symbolize_user(struct ilp_symbolizer *s, int pid, uint64_t addr, char *buf,
		       size_t size)
{
	int stale;

	return symbolize_user(s, pid, addr, buf, size, &stale);
}

static void kallsyms_load(struct ilp_symbolizer *s)
{
	char line[512], name[256], type;
	unsigned long long a;
	size_t cap = 0;
	FILE *f;

	s->kloaded = 1;
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3 || !a)
			continue;
		if (s->nksyms == cap) {
			struct sym *ns = realloc(s->ksyms, (cap ? cap * 2 : 65536) * sizeof(*ns));

			if (!ns)
				break;
			s->ksyms = ns;
			cap = cap ? cap * 2 : 65536;
		}
		s->ksyms[s->nksyms].addr = a;
		s->ksyms[s->nksyms].size = 0;
		s->ksyms[s->nksyms].name = strdup(name);
		if (!s->ksyms[s->nksyms].name)
			break;
		s->nksyms++;
	}
	fclose(f);
	if (s->nksyms > 1)
		qsort(s->ksyms, s->nksyms, sizeof(*s->ksyms), sym_cmp);
}

/*
 * Can addr be within 4 KiB of a kallsyms symbol?  On x86-64 the kernel
 * image and its modules (and what kallsyms lists with them: BPF programs,
 * ftrace trampolines) lie in the top 2 GiB, from ffffffff80000000
 * (Documentation/arch/x86/x86_64/mm.rst); per-CPU symbols are small
 * offsets.  A lock below is dynamic (direct map, vmalloc): naming it is
 * not worth a read of all of /proc/kallsyms, 0.1-0.4 s at the end of a
 * run whose kernel locks were all dynamic.  Elsewhere: ask kallsyms.
 */
static int maybe_static(uint64_t addr)
{
#if defined(__x86_64__)
	return addr >= 0xffffffff80000000ull;
#else
	(void)addr;
	return 1;
#endif
}

int ilp_symbolize_kernel(struct ilp_symbolizer *s, uint64_t addr, char *buf, size_t size)
{
	size_t lo = 0, hi;

	if (!maybe_static(addr))
		return -ENOENT;
	if (!s->kloaded)
		kallsyms_load(s);
	hi = s->nksyms;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* static locks only: within 4 KiB of a symbol, and not past the last one */
	if (!lo || lo == s->nksyms || addr - s->ksyms[lo - 1].addr >= 4096)
		return -ENOENT;
	if (addr == s->ksyms[lo - 1].addr)
		snprintf(buf, size, "%s", s->ksyms[lo - 1].name);
	else
		snprintf(buf, size, "%s+0x%" PRIx64, s->ksyms[lo - 1].name,
			 addr - s->ksyms[lo - 1].addr);
	return 0;
}

int ilp_blkdev_name_lookup(uint32_t dev, char *buf, size_t size)
{
	char path[96], line[256];
	FILE *f;
	int err = -ENOENT;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", dev >> 20, dev & 0xfffff);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DEVNAME=", 8))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, size, "%s", line + 8);
		err = 0;
		break;
	}
	fclose(f);
	return err;
}

int ilp_symbolizer_on_event(struct ilp_symbolizer *s, const struct ilp_event *ev)
{
	/* a forked child has its parent's image until it execs */
	if (ev->kind == ILP_EV_TASK_NEW && !(ev->task.clone_flags & 0x00010000ull))
		return ilp_symbolizer_fork(s, ev->tid, ev->task.child);
	if (ev->kind == ILP_EV_EXEC)
		ilp_symbolizer_exec(s, ev->pid, ev->ts);
	return 0;
}

/* old enough to be read again (ILP_SNAP_MIN_AGE_NS) */
static int snap_stale(const struct snap *sn)
{
	uint64_t age = now_ns() - sn->taken_ts, min = 10 * sn->read_ns;

	return age >= (min > ILP_SNAP_MIN_AGE_NS ? min : ILP_SNAP_MIN_AGE_NS);
}

int ilp_symbolize_object(void *sym, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	struct ilp_symbolizer *s = sym;
	struct snap *sn;
	int up, stale = 0, r = -ENOENT;

	switch (kind) {
	case ILP_NAME_DEV:
		return ilp_blkdev_name_lookup((uint32_t)key, buf, size);
	case ILP_NAME_KLOCK:
		return ilp_symbolize_kernel(s, key, buf, size);
	case ILP_NAME_ULOCK:
		/* not covered, or covered by a mapping that changed since:
		 * maps read again, unless the snapshot is too fresh for that
		 * (ask again at the next pass) */
		sn = snap_find(s, pid);
		if (sn) {
			r = symbolize_user(s, pid, key, buf, size, &stale);
			if (!r && !stale)
				return 0;
			if (!snap_stale(sn))
				return -EAGAIN;
		}
		if (!ilp_symbolizer_snapshot(s, pid))
			return ilp_symbolize_user(s, pid, key, buf, size);
		if (sn && !r)
			return 0;	/* gone: the mapping's name from its last snapshot */
		/* gone: a child that never exec'd has its parent's image */
		for (up = 0; up < 8 && (pid = ilp_symbolizer_parent(s, pid)); up++)
			if ((ilp_symbolizer_has(s, pid) || !ilp_symbolizer_snapshot(s, pid)) &&
			    !ilp_symbolize_user(s, pid, key, buf, size))
				return 0;
		return -ENOENT;	/* the report shows the address */
	default:
		return -ENOENT;
	}
}
