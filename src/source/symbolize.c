// SPDX-License-Identifier: MIT
/*
 * Address and device names for the report.  See include/symbolize.h.
 *
 * A user address is matched against each mapped ELF file's PT_LOAD
 * segments (the load bias from the mapping whose file offset starts a
 * segment), so a global in .bss, which lives in the anonymous mapping just
 * after the file's data, still finds its symbol.  ELF files are parsed
 * once (symbols sorted by address); /proc/kallsyms once.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pidns.h"
#include "symbolize.h"
#include "waitmodel.h"
#include "event.h"

#define PAGE_MASK_U (~(uint64_t)4095)

struct sym {
	uint64_t addr, size;
	char *name;
};

struct seg {
	uint64_t vaddr, memsz, offset;
};

struct elfobj {
	char *path;
	int ok;			/* parsed */
	struct seg *segs;
	size_t nsegs;
	struct sym *syms;	/* by addr */
	size_t nsyms;
};

struct map {
	uint64_t start, end, offset;
	char *path;		/* "" for anonymous */
};

struct snap {
	int pid;
	struct map *maps;
	size_t nmaps;
	uint64_t taken_ts;	/* CLOCK_MONOTONIC ns: older than an exec, it is stale */
};

/* a process forked by parent that has not exec'd: same image as parent's */
struct forklink {
	int child, parent;
};

struct ilp_symbolizer {
	const struct ilp_pidns *pidns;	/* in a pid namespace: pid -> /proc pid */
	struct snap *snaps;
	size_t nsnaps;
	struct forklink *links;
	size_t nlinks, links_cap;
	struct elfobj *objs;
	size_t nobjs;
	struct sym *ksyms;	/* kallsyms by addr; size = next addr - addr */
	size_t nksyms;
	int kloaded;
};

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

void ilp_symbolizer_free(struct ilp_symbolizer *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nsnaps; i++)
		snap_release(&s->snaps[i]);
	free(s->snaps);
	free(s->links);
	for (i = 0; i < s->nobjs; i++) {
		free(s->objs[i].path);
		free(s->objs[i].segs);
		syms_free(s->objs[i].syms, s->objs[i].nsyms);
	}
	free(s->objs);
	syms_free(s->ksyms, s->nksyms);
	free(s);
}

static struct snap *snap_find(const struct ilp_symbolizer *s, int pid)
{
	size_t i;

	for (i = 0; i < s->nsnaps; i++)
		if (s->snaps[i].pid == pid)
			return &s->snaps[i];
	return NULL;
}

int ilp_symbolizer_has(const struct ilp_symbolizer *s, int pid)
{
	return snap_find(s, pid) != NULL;
}

static struct forklink *link_find(const struct ilp_symbolizer *s, int child)
{
	size_t i;

	for (i = 0; i < s->nlinks; i++)
		if (s->links[i].child == child)
			return &s->links[i];
	return NULL;
}

int ilp_symbolizer_fork(struct ilp_symbolizer *s, int parent, int child)
{
	struct forklink *l = link_find(s, child);

	if (!l) {
		if (s->nlinks == s->links_cap) {
			size_t ncap = s->links_cap ? s->links_cap * 2 : 16;
			struct forklink *nl = realloc(s->links, ncap * sizeof(*nl));

			if (!nl)
				return -ENOMEM;
			s->links = nl;
			s->links_cap = ncap;
		}
		l = &s->links[s->nlinks++];
	}
	l->child = child;
	l->parent = parent;
	return 0;
}

void ilp_symbolizer_exec(struct ilp_symbolizer *s, int pid, uint64_t ts)
{
	struct snap *sn = snap_find(s, pid);
	struct forklink *l = link_find(s, pid);

	if (sn && sn->taken_ts < ts) {
		snap_release(sn);
		*sn = s->snaps[--s->nsnaps];
	}
	if (l)
		*l = s->links[--s->nlinks];
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

int ilp_symbolizer_snapshot(struct ilp_symbolizer *s, int pid)
{
	char path[64], line[4096];
	struct snap *sn, fresh = { pid, NULL, 0, 0 };
	struct timespec now;
	size_t cap = 0;
	FILE *f;
	int err = -ENOMEM, ppid = ilp_pidns_proc_pid(s->pidns, pid);

	if (ppid <= 0)		/* pid namespace, not proved: no name (pidns.h) */
		return -ENOENT;
	snprintf(path, sizeof(path), "/proc/%d/maps", ppid);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end, off;
		char perms[8], *p, *nl;
		int pos = 0;
		struct map *m;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &start, &end, perms, &off, &pos) < 4)
			continue;
		if (fresh.nmaps == cap) {
			struct map *nm = realloc(fresh.maps, (cap ? cap * 2 : 64) * sizeof(*nm));

			if (!nm)
				goto out;
			fresh.maps = nm;
			cap = cap ? cap * 2 : 64;
		}
		p = line + pos;
		while (*p == ' ')
			p++;
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		m = &fresh.maps[fresh.nmaps];
		m->start = start;
		m->end = end;
		m->offset = off;
		m->path = strdup(p);
		if (!m->path)
			goto out;
		fresh.nmaps++;
	}
	/* a process that exited leaves an empty maps file */
	err = fresh.nmaps ? 0 : -ENOENT;
	if (err)
		goto out;
	sn = snap_find(s, pid);
	if (!sn) {
		sn = realloc(s->snaps, (s->nsnaps + 1) * sizeof(*sn));
		if (!sn) {
			err = -ENOMEM;
			goto out;
		}
		s->snaps = sn;
		sn = &s->snaps[s->nsnaps++];
	} else {
		snap_release(sn);
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	fresh.taken_ts = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
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

static void elf_load(struct elfobj *o)
{
	Elf *e = NULL;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t i, n, cap = 0;
	int fd, have_symtab = 0;

	fd = open(o->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &n))
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

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			have_symtab = 1;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t k, cnt;

		if (!gelf_getshdr(scn, &sh) ||
		    sh.sh_type != (have_symtab ? SHT_SYMTAB : SHT_DYNSYM) || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		cnt = sh.sh_size / sh.sh_entsize;
		for (k = 0; k < cnt; k++) {
			GElf_Sym st;
			const char *name;
			int type;

			if (!gelf_getsym(d, (int)k, &st) || !st.st_value || st.st_shndx == SHN_UNDEF)
				continue;
			type = GELF_ST_TYPE(st.st_info);
			if (type != STT_OBJECT && type != STT_FUNC && type != STT_TLS &&
			    type != STT_NOTYPE)
				continue;
			name = elf_strptr(e, sh.sh_link, st.st_name);
			if (!name || !*name)
				continue;
			if (o->nsyms == cap) {
				struct sym *ns = realloc(o->syms, (cap ? cap * 2 : 256) * sizeof(*ns));

				if (!ns)
					goto out;
				o->syms = ns;
				cap = cap ? cap * 2 : 256;
			}
			o->syms[o->nsyms].addr = st.st_value;
			o->syms[o->nsyms].size = st.st_size;
			o->syms[o->nsyms].name = strdup(name);
			if (!o->syms[o->nsyms].name)
				goto out;
			o->nsyms++;
		}
	}
	if (o->nsyms > 1)
		qsort(o->syms, o->nsyms, sizeof(*o->syms), sym_cmp);
	o->ok = 1;
out:
	if (e)
		elf_end(e);
	close(fd);
}

static struct elfobj *elf_get(struct ilp_symbolizer *s, const char *path)
{
	struct elfobj *o;
	size_t i;

	for (i = 0; i < s->nobjs; i++)
		if (!strcmp(s->objs[i].path, path))
			return &s->objs[i];
	o = realloc(s->objs, (s->nobjs + 1) * sizeof(*o));
	if (!o)
		return NULL;
	s->objs = o;
	o = &s->objs[s->nobjs];
	memset(o, 0, sizeof(*o));
	o->path = strdup(path);
	if (!o->path)
		return NULL;
	s->nobjs++;
	elf_load(o);
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

int ilp_symbolize_user(struct ilp_symbolizer *s, int pid, uint64_t addr, char *buf,
		       size_t size)
{
	struct snap *sn = snap_find(s, pid);
	size_t i, k;

	if (!sn)
		return -ENOENT;
	/* ELF objects: any mapping starting a PT_LOAD gives the bias */
	for (i = 0; i < sn->nmaps; i++) {
		const struct map *m = &sn->maps[i];
		struct elfobj *o;

		if (m->path[0] != '/')
			continue;
		o = elf_get(s, m->path);
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

int ilp_symbolize_kernel(struct ilp_symbolizer *s, uint64_t addr, char *buf, size_t size)
{
	size_t lo = 0, hi;

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

int ilp_symbolize_object(void *sym, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	struct ilp_symbolizer *s = sym;
	int up;

	switch (kind) {
	case ILP_NAME_DEV:
		return ilp_blkdev_name_lookup((uint32_t)key, buf, size);
	case ILP_NAME_KLOCK:
		return ilp_symbolize_kernel(s, key, buf, size);
	case ILP_NAME_ULOCK:
		if (ilp_symbolizer_has(s, pid) && !ilp_symbolize_user(s, pid, key, buf, size))
			return 0;
		if (!ilp_symbolizer_snapshot(s, pid))
			return ilp_symbolize_user(s, pid, key, buf, size);
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
