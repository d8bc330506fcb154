// SPDX-License-Identifier: MIT
/*
 * libdw unwinder (include/unwind.h).  dwfl_linux_proc_attach() with
 * assume_ptrace_stopped: libdw reads registers with PTRACE_GETREGS and
 * memory through /proc/PID/mem or process_vm_readv, using the tracer's
 * existing attachment.  A pc outside every known module (a library loaded
 * after the first unwind) makes the process's module list be read again,
 * at most once per unwind.
 */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unwind.h"

struct proc {
	pid_t pid;
	Dwfl *dwfl;
	int attached;
};

struct ilp_unwind {
	struct proc *v;
	size_t n, cap;
	Dwfl_Callbacks cb;
};

int ilp_unwind_new(struct ilp_unwind **out)
{
	struct ilp_unwind *u = calloc(1, sizeof(*u));

	*out = NULL;
	if (!u)
		return -ENOMEM;
	u->cb.find_elf = dwfl_linux_proc_find_elf;
	u->cb.find_debuginfo = dwfl_standard_find_debuginfo;
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

static int report_modules(Dwfl *d, pid_t pid)
{
	dwfl_report_begin(d);
	if (dwfl_linux_proc_report(d, pid)) {
		dwfl_report_end(d, NULL, NULL);
		return -ESRCH;
	}
	return dwfl_report_end(d, NULL, NULL) ? -EIO : 0;
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
	p->dwfl = dwfl_begin(&u->cb);
	if (!p->dwfl)
		return NULL;
	if (report_modules(p->dwfl, pid)) {
		dwfl_end(p->dwfl);
		return NULL;
	}
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
		/* new mappings since we listed them: list again (drops the
		 * attach state too, so start over) */
		dwfl_end(p->dwfl);
		p->attached = 0;
		p->dwfl = dwfl_begin(&u->cb);
		if (!p->dwfl || report_modules(p->dwfl, pid)) {
			if (p->dwfl)
				dwfl_end(p->dwfl);
			*p = u->v[--u->n];
			return w.n ? (int)w.n : -ESRCH;
		}
	}
	return w.n ? (int)w.n : -ENOENT;
}

int ilp_unwind_symbolize(struct ilp_unwind *u, pid_t pid, uint64_t pc, const char **func,
			 const char **file, int *line, const char **module)
{
	Dwfl_Module *m;
	Dwfl_Line *l;
	struct proc *p;

	*func = NULL;
	*file = NULL;
	*line = 0;
	*module = NULL;
	p = get_proc(u, pid);
	if (!p)
		return -ESRCH;
	m = dwfl_addrmodule(p->dwfl, pc);
	if (!m)
		return -ENOENT;
	*module = dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	*func = dwfl_module_addrname(m, pc);
	l = dwfl_module_getsrc(m, pc);
	if (l) {
		int ln = 0;
		const char *src = dwfl_lineinfo(l, NULL, &ln, NULL, NULL, NULL);

		if (src && ln > 0) {
			*file = src;
			*line = ln;
		}
	}
	return 0;
}
