/* Helpers shared by test_fdmodel.c and test_analyze.c: synthetic streams. */
#ifndef FDTEST_H
#define FDTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fdmodel.h"
#include "model.h"
#include "syscalls.h"

#define US 1000ull
#define MS 1000000ull

struct stream {
	struct ilp_model *m;
	uint64_t ts;	/* next enter time */
	int pid, tid;
};

static inline int NR(const char *name)
{
	int nr = ilp_syscall_nr(name);

	assert_true(nr >= 0);
	return nr;
}

static inline void feed(struct stream *s, struct ilp_event e)
{
	assert_int_equal(ilp_model_feed(s->m, &e), 0);
}

/* one completed call of lat ns; the stream's clock moves past it (+1 us) */
static inline void call6(struct stream *s, const char *name, uint64_t lat, int64_t ret,
			 uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct ilp_event e = { .ts = s->ts, .pid = s->pid, .tid = s->tid,
			       .kind = ILP_EV_SYS_ENTER, .nr = NR(name) };

	e.args[0] = a0;
	e.args[1] = a1;
	e.args[2] = a2;
	e.args[3] = a3;
	feed(s, e);
	memset(&e.args, 0, sizeof(e.args));
	e.ts = s->ts + lat;
	e.kind = ILP_EV_SYS_EXIT;
	e.ret = ret;
	feed(s, e);
	s->ts += lat + US;
}

#define call(s, name, lat, ret, a0) call6(s, name, lat, ret, a0, 0, 0, 0)

/* what the source says right after a call (same ts as its exit) */
static inline void fdinfo(struct stream *s, int fd, unsigned type, const char *str)
{
	struct ilp_event e = { .ts = s->ts - US, .pid = s->pid, .tid = s->tid,
			       .kind = ILP_EV_FD_INFO, .nr = -1 };

	e.fd.fd = fd;
	e.fd.type = type;
	e.fd.str = str;
	feed(s, e);
}

/* open(name) -> fd, named path */
static inline void open_named(struct stream *s, int fd, const char *path, uint64_t flags)
{
	call6(s, "openat", 5 * US, fd, (uint64_t)-100, 0x1000, flags, 0);
	fdinfo(s, fd, ILP_OBJ_FILE, path);
}

static inline const struct ilp_fdproc *fds_of(struct stream *s, int pid)
{
	const struct ilp_proc *p;

	assert_int_equal(ilp_model_index(s->m, s->ts), 0);
	p = ilp_model_find_proc(s->m, pid);
	assert_non_null(p);
	return ilp_proc_fds(p);
}

static inline const struct ilp_io_stats *obj_stats(struct stream *s, int pid, unsigned type,
						   const char *desc)
{
	const struct ilp_fdobj *o = ilp_fdproc_find(fds_of(s, pid), type, desc);

	assert_non_null(o);
	return ilp_fdobj_stats(o);
}

#endif
