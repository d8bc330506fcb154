// SPDX-License-Identifier: MIT
/*
 * The ptrace backend (include/session.h, include/ptrace.h): profiling
 * without tracefs.  run: the child installs a seccomp filter that stops it
 * at the profiled syscalls only; attach: every syscall stops the targets.
 *
 * It reaps what it traces (waitpid is how ptrace reports stops) and ends
 * when no traced process is left, children included: run's command and
 * everything it made carry our filter, whose profiled calls fail with
 * ENOSYS once no tracer is attached, so a run stopped early (a second
 * signal, the grace after one passed on) kills them; attach detaches and
 * the targets run on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ptrace.h"
#include "report.h"
#include "session.h"
#include "source.h"
#include "stacks.h"

#define NAME_MS 50		/* lock names are asked this often, while processes live */
#define DETACH_MS 2000		/* the most a stop waits for the tracees */
#define NOTE_LEN 512

struct ptrace_be {
	struct ilp_backend base;
	struct ilp_ptrace *pt;
	struct ilp_stacks *stacks;
	struct ilp_stack_sink sink;	/* the tracer's way into stacks */
	int *nrs;
	int run;
	int busy;		/* the last pump handled a full batch: pump again at once */
	int ended;		/* no tracee left */
	uint64_t named_ts;
	char note[NOTE_LEN];
};

static struct ptrace_be *pb(struct ilp_backend *b)
{
	return (struct ptrace_be *)b;
}

static void pt_free(struct ilp_backend *b)
{
	struct ptrace_be *p = pb(b);

	if (!p)
		return;
	/* an attach that failed part way: the threads seized so far run on
	 * (they would stay stopped until we exit); run's are killed by then */
	if (p->pt && !p->run && ilp_ptrace_ntasks(p->pt))
		ilp_ptrace_detach_all(p->pt, DETACH_MS);
	ilp_ptrace_free(p->pt);
	ilp_stacks_free(p->stacks);
	free(p->nrs);
	free(p);
}

/* struct ilp_stack_sink over the call-site store */
static int sink_intern(void *ctx, int pid, int nr, const uint64_t *pcs, size_t n, int *is_new)
{
	return ilp_stacks_intern(ctx, pid, nr, pcs, n, is_new);
}

static int sink_name_frame(void *ctx, int id, size_t i, const char *func, const char *file,
			   int line, const char *module)
{
	return ilp_stacks_name_frame(ctx, id, i, func, file, line, module);
}

static void sink_add(void *ctx, int id, uint64_t ns)
{
	ilp_stacks_add(ctx, id, ns);
}

static int pt_open(struct ilp_session *s, struct ilp_backend **out)
{
	const struct ilp_opts *o = ilp_session_opts(s);
	struct ilp_ptrace_opts po = { 0 };
	struct ptrace_be *p;
	int n, err = -ENOMEM;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->base.ops = &ilp_backend_ptrace;
	p->base.s = s;
	p->run = ilp_session_mode(s) == ILP_SESSION_RUN;
	p->nrs = calloc(ILP_SC_MAX, sizeof(int));
	if (o->stacks)
		p->stacks = ilp_stacks_new();
	if (!p->nrs || (o->stacks && !p->stacks))
		goto out;
	n = ilp_ptrace_syscall_set(o->syscalls, o->nsyscalls, p->nrs, ILP_SC_MAX);
	err = n;
	if (n < 0)
		goto out;
	po.syscalls = p->nrs;
	po.nsyscalls = (size_t)n;
	po.seccomp = p->run;
	if (p->stacks) {
		p->sink = (struct ilp_stack_sink){ p->stacks, sink_intern, sink_name_frame,
						   sink_add };
		po.stacks = &p->sink;
		po.sym = ilp_session_symbolizer(s);
	}
	err = ilp_ptrace_new(&po, ilp_session_feed, s, &p->pt);
	if (err)
		goto out;
	*out = &p->base;
	return 0;
out:
	pt_free(&p->base);
	return err;
}

static unsigned pt_traits(struct ilp_backend *b)
{
	return ILP_BK_REAPS | (pb(b)->run ? ILP_BK_TETHERED : 0);
}

static int pt_add_child(struct ilp_backend *b, pid_t pid)
{
	return ilp_ptrace_seize_child(pb(b)->pt, pid);
}

static int pt_child_setup(struct ilp_backend *b)
{
	return ilp_ptrace_child_setup(pb(b)->pt);
}

static int pt_attach(struct ilp_backend *b, pid_t pid)
{
	return ilp_ptrace_attach(pb(b)->pt, pid);
}

static int pt_start(struct ilp_backend *b)
{
	(void)b;
	return 0;	/* the tracees stop from the moment they are seized */
}

static size_t pt_pollfds(struct ilp_backend *b, struct pollfd *fds, size_t max, int *timeout)
{
	(void)fds;
	(void)max;
	/* stops come as SIGCHLD through the session's signalfd */
	if (pb(b)->busy)
		*timeout = 0;
	return 0;
}

static int pt_pump(struct ilp_backend *b, const struct pollfd *fds, size_t nfds, int flush)
{
	struct ptrace_be *p = pb(b);
	int n;

	(void)fds;
	(void)nfds;
	(void)flush;	/* every stop handled is delivered at once */
	if (p->ended)
		return ILP_PUMP_END;
	n = ilp_ptrace_poll(p->pt);
	p->busy = n > 0;	/* more stops are likely: look again without sleeping */
	if (ilp_now_ns() - p->named_ts >= NAME_MS * 1000000ull) {
		p->named_ts = ilp_now_ns();
		ilp_session_name_objects(b->s);
	}
	if (n == -ECHILD) {
		p->ended = 1;
		return ILP_PUMP_END;
	}
	return n < 0 ? n : ILP_PUMP_MORE;
}

static int pt_stop(struct ilp_backend *b, int early)
{
	struct ptrace_be *p = pb(b);
	uint64_t end = ilp_now_ns() + DETACH_MS * 1000000ull;

	if (p->ended || !early)
		return 0;
	if (!p->run) {
		if (ilp_ptrace_detach_all(p->pt, DETACH_MS))
			fprintf(stderr, "iolockprof: attach: some threads did not stop for detach "
				"within %d ms\n", DETACH_MS);
		return 0;
	}
	/* stopped early: the app cannot run on without us */
	ilp_ptrace_kill_all(p->pt);
	while (ilp_ptrace_poll(p->pt) >= 0 && ilp_now_ns() < end)
			usleep(1000);	/* the killed ones exit: no busy wait */
	return 0;
}

static int pt_child_status(struct ilp_backend *b, pid_t pid)
{
	return ilp_ptrace_exit_status(pb(b)->pt, pid);
}

static int pt_describe(struct ilp_backend *b, struct ilp_report_info *info)
{
	struct ptrace_be *p = pb(b);
	const struct ilp_ptrace_counters *pc = ilp_ptrace_counters(p->pt);
	const struct ilp_opts *o = ilp_session_opts(b->s);
	uint64_t end = info->end_ts;
	double secs = end > info->start_ts ? (double)(end - info->start_ts) / 1e9 : 0;

	snprintf(p->note, sizeof(p->note),
		 "%sptrace sees no disk requests, kernel locks or off-CPU state; "
		 "%s; times include the tracer's stops: %llu stops (%.0f/s)%s",
		 ilp_session_fell_back(b->s) ? "tracefs not usable, " : "",
		 p->run ? (o->nsyscalls ? "seccomp: only the -e syscalls stop the app"
				     : "seccomp: only read/write/open/net/sync/wait/stat/close "
				       "syscalls stop the app")
			: "attach: every syscall stops the app",
		 (unsigned long long)pc->stops, secs > 0 ? (double)pc->stops / secs : 0.0,
		 p->stacks ? ", stacks unwound at each profiled entry" : "");
	info->note = p->note;
	info->stacks = p->stacks;
	info->events = pc->events;
	info->lost = 0;
	return p->stacks ? ilp_stacks_index(p->stacks) : 0;
}

const struct ilp_backend_ops ilp_backend_ptrace = {
	.name = "ptrace",
	.traits = pt_traits,
	.open = pt_open,
	.free = pt_free,
	.add_child = pt_add_child,
	.child_setup = pt_child_setup,
	.attach = pt_attach,
	.start = pt_start,
	.pollfds = pt_pollfds,
	.pump = pt_pump,
	.stop = pt_stop,
	.child_status = pt_child_status,
	.describe = pt_describe,
};
