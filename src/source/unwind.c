// SPDX-License-Identifier: MIT
/*
 * libdw unwinder (include/unwind.h).  The process's Dwfl comes from the
 * symbolizer (its snapshot of the maps, its ELF files), then
 * dwfl_linux_proc_attach() with assume_ptrace_stopped: libdw reads
 * registers with PTRACE_GETREGS and memory through /proc/PID/mem or
 * process_vm_readv, using the tracer's existing attachment.  A pc outside
 * every known module (a library loaded after the first unwind) makes the
 * process's maps be read again (when the snapshot is old enough, at most
 * once per unwind) and the Dwfl made again.
 */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbolize.h"
#include "symbolize_internal.h"
#include "unwind.h"

struct proc {
	pid_t pid;
	Dwfl *dwfl;
	int attached;
};

struct ilp_unwind {
	struct ilp_symbolizer *sym;
	struct proc *v;
	size_t n, cap;
};

int ilp_unwind_new(struct ilp_unwind **out, struct ilp_symbolizer *sym)
{
	struct ilp_unwind *u = calloc(1, sizeof(*u));

	*out = NULL;
	if (!u)
		return -ENOMEM;
	u->sym = sym;
	*out = u;
	return 0;
}

void ilp_unwind_free(struct ilp_unwind *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->n; i++)
		dwfl_end(u->v[i].dwfl);
	free(u->v);
	free(u);
}

static struct proc *get_proc(struct ilp_unwind *u, pid_t pid)
{
	struct proc *p;
	size_t i;

	for (i = 0; i < u->n; i++)
		if (u->v[i].pid == pid)
			return &u->v[i];
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 8;

		p = realloc(u->v, cap * sizeof(*p));
		if (!p)
			return NULL;
		u->v = p;
		u->cap = cap;
	}
	p = &u->v[u->n];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->dwfl = ilp_symbolizer_proc_dwfl(u->sym, pid, 0);
	if (!p->dwfl)
		return NULL;
	u->n++;
	return p;
}

void ilp_unwind_forget(struct ilp_unwind *u, pid_t pid)
{
	size_t i;

	for (i = 0; u && i < u->n; i++)
		if (u->v[i].pid == pid) {
			dwfl_end(u->v[i].dwfl);
			u->v[i] = u->v[--u->n];
			return;
		}
}

struct walk {
	uint64_t *pcs;
	size_t n, max;
	int unknown;	/* a pc outside every module */
	Dwfl *dwfl;
};

static int frame_cb(Dwfl_Frame *f, void *arg)
{
	struct walk *w = arg;
	Dwarf_Addr pc;
	bool act;

	if (!dwfl_frame_pc(f, &pc, &act))
		return DWARF_CB_ABORT;
	if (!act && pc)
		pc--;
	if (!dwfl_addrmodule(w->dwfl, pc))
		w->unknown = 1;
	w->pcs[w->n++] = pc;
	return w->n < w->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

int ilp_unwind_stack(struct ilp_unwind *u, pid_t pid, pid_t tid, uint64_t *pcs, size_t max)
{
	struct walk w = { pcs, 0, max, 0, NULL };
	struct proc *p;
	int again;

	if (!max)
		return -EINVAL;
	p = get_proc(u, pid);
	if (!p)
		return -ESRCH;
	for (again = 0; again < 2; again++) {
		if (!p->attached) {
			if (dwfl_linux_proc_attach(p->dwfl, pid, true))
				return -ESRCH;
			p->attached = 1;
		}
		w.n = 0;
		w.unknown = 0;
		w.dwfl = p->dwfl;
		dwfl_getthread_frames(p->dwfl, tid, frame_cb, &w);
		if (!w.unknown || again)
			break;
		/* new mappings since the snapshot: maps read again and the
		 * Dwfl made again (its attach state too, so start over) */
		dwfl_end(p->dwfl);
		p->attached = 0;
		p->dwfl = ilp_symbolizer_proc_dwfl(u->sym, pid, 1);
		if (!p->dwfl) {
			*p = u->v[--u->n];
			return w.n ? (int)w.n : -ESRCH;
		}
	}
	return w.n ? (int)w.n : -ENOENT;
}
