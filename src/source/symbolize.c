// SPDX-License-Identifier: MIT
/*
 * Address and device names for the report.  See include/symbolize.h.
 *
 * A user address is matched against each mapped ELF file's PT_LOAD
 * segments (the load bias from the mapping whose file offset starts a
 * segment), so a global in .bss, which lives in the anonymous mapping just
 * after the file's data, still finds its symbol.  The files themselves
 * (opened through the process, checked, read with libdw once whatever
 * process maps them) are elffile.c's; /proc/kallsyms is read once.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "pidns.h"
#include "symbolize.h"
#include "symbolize_internal.h"
#include "idmap.h"
#include "vocab.h"
#include "event.h"

/* a snapshot missing an address is read again only when it is older than
 * this and than 10 times its own read time: a tracee with 65530 mappings
 * and many unmapped lock addresses cannot keep the profiler reading maps */
#define ILP_SNAP_MIN_AGE_NS 1000000ull

/* a kernel symbol */
struct sym {
	uint64_t addr, size;
	char *name;
};

struct snap {
	struct ilp_map *maps;
	size_t nmaps;
	uint64_t taken_ts;	/* CLOCK_MONOTONIC ns: older than an exec, it is stale */
	uint64_t read_ns;	/* how long reading it took */
	int root;		/* its process's root (ilp_elffiles_root), -1: none: the
				 * files are found there after the process exited */
};

/* a process forked by parent that has not exec'd: same image as parent's */
struct forklink {
	int child, parent;
};

struct ilp_symbolizer {
	const struct ilp_pidns *pidns;	/* in a pid namespace: pid -> /proc pid */
	struct ilp_idmap snaps;		/* pid -> struct snap */
	struct ilp_idmap links;		/* child pid -> struct forklink */
	struct ilp_elffiles *files;	/* the ELF files mapped (elffile.c) */
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

int ilp_symbolizer_new(struct ilp_symbolizer **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->files = ilp_elffiles_new();
	if (!(*out)->files) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
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
	for (i = 0; i < s->snaps.cap; i++)
		if (s->snaps.vals[i]) {
			snap_release(s->snaps.vals[i]);
			free(s->snaps.vals[i]);
		}
	ilp_idmap_release(&s->snaps);
	for (i = 0; i < s->links.cap; i++)
		free(s->links.vals[i]);
	ilp_idmap_release(&s->links);
	ilp_elffiles_free(s->files);
	syms_free(s->ksyms, s->nksyms);
	free(s);
}

static int snap_stale(const struct snap *sn);

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

int ilp_map_parse(char *line, struct ilp_map *m)
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
	struct snap *sn, fresh = { NULL, 0, 0, 0, -1 };
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
			struct ilp_map *nm = realloc(fresh.maps, (cap ? cap * 2 : 64) * sizeof(*nm));

			if (!nm)
				goto out;
			fresh.maps = nm;
			cap = cap ? cap * 2 : 64;
		}
		r = ilp_map_parse(line, &fresh.maps[fresh.nmaps]);
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
	fresh.root = ilp_elffiles_root(s->files, ppid);
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

static const char *base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* the ELF file m maps, if m starts one of its segments (*bias: its load
 * bias), else NULL; *err as ilp_elffile_get's */
static struct ilp_elffile *mapped_file(struct ilp_symbolizer *s, int ppid, const struct snap *sn,
				       const struct ilp_map *m, uint64_t *bias, int *err)
{
	struct ilp_elffile *f;

	*err = 0;
	if (!m->ino || m->path[0] != '/')
		return NULL;
	f = ilp_elffile_get(s->files, ppid, sn->root, m, err);
	return f && !ilp_elffile_bias(f, m, bias) ? f : NULL;
}

/*
 * The ELF file of pid's snapshot sn whose segments hold addr: the file,
 * *v the address inside it and *mp the mapping that gave its bias (any
 * mapping that starts a segment: .bss, past the file's pages, is found
 * too), or NULL.  *stale set when a file mapping of the snapshot is no
 * longer there as it was (map_files has no such range: ld.so's mprotect
 * split it, or it was unmapped), so a snapshot read again may name addr
 * by its symbol where this one only has the mapping.
 */
static struct ilp_elffile *file_at(struct ilp_symbolizer *s, int pid, const struct snap *sn,
				   uint64_t addr, uint64_t *v, const struct ilp_map **mp,
				   int *stale)
{
	int ppid = ilp_pidns_proc_pid(s->pidns, pid);	/* pid namespace: the /proc pid */
	size_t i;

	*stale = 0;
	for (i = 0; i < sn->nmaps; i++) {
		const struct ilp_map *m = &sn->maps[i];
		uint64_t bias;
		int err;
		struct ilp_elffile *f = mapped_file(s, ppid, sn, m, &bias, &err);

		if (err == -ENOENT)
			*stale = 1;
		if (!f || !ilp_elffile_covers(f, addr - bias))
			continue;
		*v = addr - bias;
		*mp = m;
		return f;
	}
	return NULL;
}

/* ilp_symbolize_user, and *stale (file_at) */
static int symbolize_user(struct ilp_symbolizer *s, int pid, uint64_t addr, char *buf,
			  size_t size, int *stale)
{
	struct snap *sn = snap_find(s, pid);
	const struct ilp_map *m;
	struct ilp_elffile *f;
	uint64_t v;
	size_t i;

	*stale = 0;
	if (!sn)
		return -ENOENT;
	f = file_at(s, pid, sn, addr, &v, &m, stale);
	if (f) {
		if (ilp_elffile_data_name(f, v, buf, size))
			snprintf(buf, size, "%s+0x%" PRIx64, base(m->path), v);
		return 0;
	}
	for (i = 0; i < sn->nmaps; i++) {
		m = &sn->maps[i];
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

int ilp_symbolize_pc(struct ilp_symbolizer *s, int pid, uint64_t pc, struct ilp_pcname *out)
{
	struct snap *sn = snap_find(s, pid);
	const struct ilp_map *m;
	struct ilp_elffile *f;
	uint64_t v;
	int stale;

	out->func[0] = '\0';
	out->file = NULL;
	out->line = 0;
	out->module = NULL;
	if (!sn)
		return -ENOENT;
	f = file_at(s, pid, sn, pc, &v, &m, &stale);
	if (!f)
		return -ENOENT;
	out->module = m->path;
	ilp_elffile_code_name(f, v, out->func, sizeof(out->func), &out->file, &out->line);
	return 0;
}

/* glibc's __libc_start_call_main (or, before 2.34, __libc_start_main):
 * it calls main through a pointer */
static int is_start_main(const char *func)
{
	return !strcmp(func, "__libc_start_call_main") || !strcmp(func, "__libc_start_main");
}

/* the skipped frame when it is main: in the program's file (the first
 * file mapping: the executable is mapped below its libraries) */
static int gap_in_main(struct ilp_symbolizer *s, int pid, const struct snap *sn,
		       const char *func0, uint64_t *pc)
{
	int ppid = ilp_pidns_proc_pid(s->pidns, pid);
	size_t i;

	for (i = 0; i < sn->nmaps; i++) {
		const struct ilp_map *m = &sn->maps[i];
		struct ilp_elffile *f;
		uint64_t bias, gap;
		int err, r;

		if (!m->ino || m->path[0] != '/')
			continue;
		f = mapped_file(s, ppid, sn, m, &bias, &err);
		if (!f)
			return -ENOENT;
		r = ilp_elffile_fp_gap_main(f, func0, &gap);
		if (r > 0)
			*pc = gap + bias;
		return r;
	}
	return -ENOENT;
}

int ilp_symbolize_fp_gap(struct ilp_symbolizer *s, int pid, uint64_t pc0, uint64_t ret1,
			 uint64_t *pc)
{
	struct snap *sn = snap_find(s, pid);
	struct ilp_pcname f0, f1;
	const struct ilp_map *m;
	struct ilp_elffile *f;
	uint64_t v, gap;
	int stale, r;

	if (!sn || ilp_symbolize_pc(s, pid, pc0, &f0) || !f0.func[0])
		return -ENOENT;
	f = file_at(s, pid, sn, ret1, &v, &m, &stale);
	if (!f)
		return -ENOENT;
	r = ilp_elffile_fp_gap(f, v, f0.func, &gap);
	if (r > 0)
		*pc = gap + (ret1 - v);
	if (r == -ENOENT && !ilp_symbolize_pc(s, pid, ret1, &f1) && is_start_main(f1.func))
		r = gap_in_main(s, pid, sn, f0.func, pc);
	return r;
}

Dwfl *ilp_symbolizer_proc_dwfl(struct ilp_symbolizer *s, int pid, int reread)
{
	struct snap *sn = snap_find(s, pid);
	int ppid = ilp_pidns_proc_pid(s->pidns, pid);
	struct ilp_elffile **done;
	size_t i, j, ndone = 0;
	Dwfl *d;

	if ((!sn || (reread && snap_stale(sn))) && !ilp_symbolizer_snapshot(s, pid))
		sn = snap_find(s, pid);
	if (!sn)
		return NULL;
	done = calloc(sn->nmaps, sizeof(*done));
	d = done ? ilp_elffile_dwfl_begin() : NULL;
	if (!d) {
		free(done);
		return NULL;
	}
	dwfl_report_begin(d);
	/* each file once, at the bias of a mapping that starts a segment */
	for (i = 0; i < sn->nmaps; i++) {
		const struct ilp_map *m = &sn->maps[i];
		uint64_t bias;
		int err;
		struct ilp_elffile *f = mapped_file(s, ppid, sn, m, &bias, &err);

		if (!f)
			continue;
		for (j = 0; j < ndone && done[j] != f; j++)
			;
		if (j < ndone)
			continue;
		done[ndone++] = f;
		ilp_elffile_report(f, d, m->path, bias);
	}
	free(done);
	if (dwfl_report_end(d, NULL, NULL)) {
		dwfl_end(d);
		return NULL;
	}
	return d;
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

/* how many kallsyms symbols start at or below addr (read at the first call) */
static size_t ksyms_upto(struct ilp_symbolizer *s, uint64_t addr)
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
	return lo;
}

int ilp_symbolize_kernel(struct ilp_symbolizer *s, uint64_t addr, char *buf, size_t size)
{
	size_t lo;

	if (!maybe_static(addr))
		return -ENOENT;
	lo = ksyms_upto(s, addr);
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

int ilp_symbolize_kfunc(struct ilp_symbolizer *s, uint64_t addr, char *buf, size_t size)
{
	size_t lo;

	if (!maybe_static(addr))
		return -ENOENT;
	lo = ksyms_upto(s, addr);
	/* a return address lies inside its function: the symbol below it,
	 * not past the last one (kallsyms ends with the modules') */
	if (!lo || lo == s->nksyms)
		return -ENOENT;
	snprintf(buf, size, "%s", s->ksyms[lo - 1].name);
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

/* "worker (mutex_storm.c:42)", "worker (libfoo.so)", "libfoo.so+0x1234" */
static int code_name(struct ilp_symbolizer *s, int pid, uint64_t pc, char *buf, size_t size)
{
	struct ilp_pcname pn;

	if (ilp_symbolize_pc(s, pid, pc, &pn))
		return -ENOENT;
	if (pn.func[0] && pn.file && pn.line > 0)
		snprintf(buf, size, "%s (%s:%d)", pn.func, base(pn.file), pn.line);
	else if (pn.func[0])
		snprintf(buf, size, "%s (%s)", pn.func, base(pn.module));
	else
		return -ENOENT;
	return 0;
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
	case ILP_NAME_KFUNC:
		return ilp_symbolize_kfunc(s, key, buf, size);
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
	case ILP_NAME_CODE:
		/* code is mapped before it runs: a snapshot taken after the
		 * call covers it, unless the process is gone by then */
		sn = snap_find(s, pid);
		if (!sn && ilp_symbolizer_snapshot(s, pid))
			return -ENOENT;
		r = code_name(s, pid, key, buf, size);
		sn = snap_find(s, pid);
		if (r && sn && snap_stale(sn) && !ilp_symbolizer_snapshot(s, pid))
			r = code_name(s, pid, key, buf, size);
		return r;
	default:
		return -ENOENT;
	}
}
