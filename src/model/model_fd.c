// SPDX-License-Identifier: MIT
/*
 * The fd model: fd -> object per process, and per-object I/O counters.
 * See include/fdmodel.h for what it believes and when.  Pure C, no I/O.
 *
 * Cost: O(1) per call (fds below FD_DENSE in an fd-indexed array, higher
 * ones in a hash, objects in a hash by type and description); memory grows
 * with distinct objects and open fds, never with the number of events or
 * the fd numbers, and is capped per process: ILP_FDOBJ_MAX objects,
 * ILP_FD_SPARSE_MAX fds at or above FD_DENSE.  Calls past either cap are
 * counted on the process's "more" object (ilp_fdproc_more), so every call
 * still counts once.  A call failing with EBADF on an fd the model does
 * not know creates nothing (read(1048575) is not an fd).
 *
 * Calls that create an fd (open, socket, accept, pipe...) or take a path
 * (stat, access, a failed open) are completed in two steps: the call is
 * held as "pending" in its process, and the source's ILP_EV_FD_INFO that
 * follows it (same thread, same ts) names the object.  The pending call is
 * committed to the named object then, or, if the next event of the process
 * is anything else, to "fd N (unresolved)" (a path call with no name is
 * not counted on any object).  connect/bind/listen likewise let the source
 * re-name the socket once its addresses are known.
 *
 * Sequence state per object, for the detectors:
 *   - round trip: a stream read returning data (ret > 0) on an object whose
 *     previous data call was a write; its latency is time waiting for the
 *     peer.  A failed read (EAGAIN) keeps the state.  client: the kernel's
 *     socket table said the connection was made from here (obj_side), or,
 *     its side not known, the first data call on the object was a write
 *     and it did not come from accept.
 *   - positioned calls (pread64...): random when the offset (args[3]) is
 *     not where the previous positioned call on the object ended.
 *   - pair round trip: a stream read returning data on B by a thread whose
 *     previous stream data call (any object) was a write on another object
 *     A: a request on A answered on B (two pipes to a worker).  Counted on
 *     B, with A; pair_first: B's first read returning data was such a read
 *     (the process asks on A; the side answering reads its first request
 *     before writing anything).  Per-thread state: one slot per thread.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdmodel.h"
#include "fdobj_internal.h"
#include "idmap.h"
#include "loopmodel.h"
#include "syscalls.h"

#define FD_DENSE 1024		/* fds below: an array indexed by fd */
#define O_CLOEXEC_F 02000000ull	/* O_CLOEXEC = SOCK_CLOEXEC = EFD_CLOEXEC = TFD_CLOEXEC */
#define MFD_CLOEXEC_F 1ull
#define F_DUPFD_V 0
#define F_SETFD_V 2
#define F_DUPFD_CLOEXEC_V 1030
#define FD_CLOEXEC_V 1
#define CLOSE_RANGE_CLOEXEC_F (1u << 2)
#define EBADF_V 9
#define ILP_LOST_DESC 256	/* "fd N (name lost: WHY)" */
#define EINPROGRESS_V 115

enum role {
	R_NONE = 0,
	R_OPEN,		/* ret is a new fd from a path */
	R_CREATE,	/* ret is a new fd, no path (socket, eventfd...) */
	R_ACCEPT,	/* ret is a new connected socket */
	R_PAIR,		/* two fds written to user memory (pipe, socketpair) */
	R_DUP, R_DUP2, R_DUP3, R_FCNTL,
	R_CLOSE, R_CLOSE_RANGE,
	R_REBIND,	/* connect, bind, listen: the socket's name changes */
	R_PATH,		/* takes a path, no fd: stat, access... */
	R_FSPATH,	/* changes the file system by path, no name from the source
			 * (unlink, rename...): a loop step on no object */
};

struct role_row {
	const char *name;
	uint8_t role;
	int8_t flag_arg;	/* args[] index holding the cloexec flag, -1: none */
	uint32_t flag_mask;
};

static const struct role_row role_rows[] = {
	{ "open", R_OPEN, 1, O_CLOEXEC_F },
	{ "openat", R_OPEN, 2, O_CLOEXEC_F },
	{ "openat2", R_OPEN, -1, 0 },
	{ "creat", R_OPEN, -1, 0 },
	{ "open_by_handle_at", R_OPEN, 2, O_CLOEXEC_F },
	{ "socket", R_CREATE, 1, O_CLOEXEC_F },
	{ "eventfd", R_CREATE, -1, 0 },
	{ "eventfd2", R_CREATE, 1, O_CLOEXEC_F },
	{ "memfd_create", R_CREATE, 1, MFD_CLOEXEC_F },
	{ "epoll_create", R_CREATE, -1, 0 },
	{ "epoll_create1", R_CREATE, 0, O_CLOEXEC_F },
	{ "timerfd_create", R_CREATE, 1, O_CLOEXEC_F },
	{ "inotify_init", R_CREATE, -1, 0 },
	{ "inotify_init1", R_CREATE, 0, O_CLOEXEC_F },
	{ "accept", R_ACCEPT, -1, 0 },
	{ "accept4", R_ACCEPT, 3, O_CLOEXEC_F },
	{ "pipe", R_PAIR, -1, 0 },
	{ "pipe2", R_PAIR, 1, O_CLOEXEC_F },
	{ "socketpair", R_PAIR, 1, O_CLOEXEC_F },
	{ "dup", R_DUP, -1, 0 },
	{ "dup2", R_DUP2, -1, 0 },
	{ "dup3", R_DUP3, 2, O_CLOEXEC_F },
	{ "fcntl", R_FCNTL, -1, 0 },
	{ "fcntl64", R_FCNTL, -1, 0 },
	{ "close", R_CLOSE, -1, 0 },
	{ "close_range", R_CLOSE_RANGE, -1, 0 },
	{ "connect", R_REBIND, -1, 0 },
	{ "bind", R_REBIND, -1, 0 },
	{ "listen", R_REBIND, -1, 0 },
	{ "unlink", R_FSPATH, -1, 0 },
	{ "unlinkat", R_FSPATH, -1, 0 },
	{ "rename", R_FSPATH, -1, 0 },
	{ "renameat", R_FSPATH, -1, 0 },
	{ "renameat2", R_FSPATH, -1, 0 },
	{ "mkdir", R_FSPATH, -1, 0 },
	{ "mkdirat", R_FSPATH, -1, 0 },
	{ "rmdir", R_FSPATH, -1, 0 },
	{ "link", R_FSPATH, -1, 0 },
	{ "linkat", R_FSPATH, -1, 0 },
	{ "symlink", R_FSPATH, -1, 0 },
	{ "symlinkat", R_FSPATH, -1, 0 },
	{ "truncate", R_FSPATH, -1, 0 },
};

struct ilp_fdm {
	struct role_row by_nr[ILP_SC_MAX];	/* name unused */
	int nr_socketpair;
	int nr_connect;
};

struct ilp_fdobj {
	struct ilp_fdobj_head h;	/* first (fdobj_internal.h): desc_hash */
	unsigned type;
	char *desc;
	uint64_t seq;
	int tid, multi_tid;
	int last_dir;		/* 0 none, 1 read, 2 write: last data call */
	int data_seen;
	int side_seen;		/* the capture saw its side: accept, or connect by the process */
	int read_seen;		/* a stream read returned data (pair_first is set) */
	uint8_t ends;		/* ILP_END_*: ends of it the process held or used */
	uint8_t peer_asked;	/* the namer was asked for its peer */
	int wtid;		/* the last thread that wrote on it */
	struct ilp_fdobj *pair;	/* socketpair: the other socket */
	struct ilp_peer peer;	/* the process at the other end, from /proc (pid 0: none) */
	uint64_t pos_next;
	struct ilp_io_stats st;
};

/* per thread: its last stream data call, for round trips over two
 * objects, and its loop tracker (model_loop.c) */
struct tlast {
	int tid;			/* 0: empty slot */
	int wrote;			/* it was a write (else a read) */
	struct ilp_fdobj *obj;
	struct ilp_loopt *loop;		/* made at its first call on an object */
};

struct fdent {
	struct ilp_fdobj *obj;	/* NULL: open, nothing known yet */
	uint8_t open, cloexec;
	uint8_t end;		/* ILP_END_READ/WRITE: which end of a pipe, 0 unknown */
};

/* a completed call, as it counts on an object */
struct fcall {
	int tid, nr;
	unsigned cls;		/* how the call counts on its object */
	int64_t ret;
	uint64_t lat, ts;	/* latency; exit time */
	uint64_t share;		/* its wall share (model_share.c) */
	uint64_t off;		/* args[3]: a positioned call's offset */
};

struct pending {
	int active;
	int fd;			/* created fd, ILP_FD_PATHARG, or -1 (pair) */
	uint8_t role, cloexec;
	uint8_t npair;		/* R_PAIR: fds named so far (pipe: the read end first) */
	struct ilp_fdobj *first;	/* R_PAIR: the first one's object */
	struct fcall c;
};

struct ilp_fdproc {
	struct fdent *fds;		/* fd < FD_DENSE */
	size_t nfds;
	struct ilp_idmap sparse;	/* fd >= FD_DENSE -> struct fdent */
	uint64_t fds_over;		/* fds opened past ILP_FD_SPARSE_MAX: not tracked */
	struct ilp_fdobj *more;		/* calls past the caps (not in objs) */
	struct ilp_idcount more_objs;	/* distinct objects folded into more */
	struct ilp_fdobj **objs;	/* creation order */
	size_t nobjs, cap;
	size_t *hash;			/* index + 1; 0 empty */
	size_t hcap;
	struct ilp_fdobj **view;	/* objects with calls, by time */
	size_t nview;
	struct pending pend;
	uint64_t seq;
	struct tlast *tl;		/* per thread: its last stream data call (pairs), loops */
	size_t ntl, tlcap;		/* open addressing by tid, tlcap a power of 2 */
	struct tlast *tl_hit;		/* the last one tlast_get gave (twice a call) */
	const struct ilp_loop **loops;	/* every thread's, after ilp_fdm_index */
	size_t nloops;
	const struct ilp_fdobj *call_obj;	/* the last call's object (ilp_fdproc_call_obj) */
	struct {				/* the last rename (ilp_fdproc_take_rename) */
		int active, tid;
		uint64_t enter_ts;
		const struct ilp_fdobj *from, *to;
	} ren;
	struct {				/* the last pending call counted (ilp_fdproc_take_counted) */
		int active, tid;
		uint64_t enter_ts;
		const struct ilp_fdobj *obj;
	} cnt;
};

static const char *const type_names[ILP_OBJ_NTYPES] = {
	[ILP_OBJ_UNRESOLVED] = "unresolved",
	[ILP_OBJ_FILE] = "file",
	[ILP_OBJ_DIR] = "dir",
	[ILP_OBJ_DEV] = "dev",
	[ILP_OBJ_PIPE] = "pipe",
	[ILP_OBJ_TCP] = "tcp",
	[ILP_OBJ_UDP] = "udp",
	[ILP_OBJ_UNIX] = "unix",
	[ILP_OBJ_SOCKET] = "socket",
	[ILP_OBJ_EVENTFD] = "eventfd",
	[ILP_OBJ_ANON] = "anon",
	[ILP_OBJ_OTHER] = "other",
	[ILP_OBJ_MORE] = "more",
};

const char *ilp_obj_type_name(unsigned type)
{
	type &= ILP_OBJ_TYPE_MASK;
	return type < ILP_OBJ_NTYPES ? type_names[type] : "?";
}

static const char *const src_names[ILP_NAME_SRC_NSRC] = {
	[ILP_NAME_SRC_NONE] = "unknown",
	[ILP_NAME_SRC_LOST] = "lost",
	[ILP_NAME_SRC_ARG] = "arg",
	[ILP_NAME_SRC_PROC] = "proc",
	[ILP_NAME_SRC_KERNEL] = "kernel",
	[ILP_NAME_SRC_CALL] = "call",
};

const char *ilp_name_src_name(unsigned type)
{
	unsigned src = ILP_OBJ_SRC_OF(type);

	if ((type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_UNRESOLVED && src != ILP_NAME_SRC_LOST)
		return "unresolved";
	return src < ILP_NAME_SRC_NSRC ? src_names[src] : "unknown";
}

/* how much a name of this source is trusted: NONE (a source that does not
 * say) counts as /proc, the source every name had before sources were told */
static unsigned src_rank(unsigned type)
{
	unsigned src = ILP_OBJ_SRC_OF(type);

	return src == ILP_NAME_SRC_NONE ? ILP_NAME_SRC_PROC : src;
}

/* ---- per-model numbers ---- */

struct ilp_fdm *ilp_fdm_new(void)
{
	struct ilp_fdm *fdm = calloc(1, sizeof(*fdm));
	size_t i;

	if (!fdm)
		return NULL;
	for (i = 0; i < sizeof(role_rows) / sizeof(role_rows[0]); i++) {
		int nr = ilp_syscall_nr(role_rows[i].name);

		if (nr >= 0 && nr < ILP_SC_MAX)
			fdm->by_nr[nr] = role_rows[i];
	}
	fdm->nr_socketpair = ilp_syscall_nr("socketpair");
	fdm->nr_connect = ilp_syscall_nr("connect");
	for (i = 0; i < ILP_SC_MAX; i++) {
		unsigned cls = ilp_syscall_class((int)i);

		if (!fdm->by_nr[i].role && (cls & ILP_SC_STAT) && !(cls & ILP_SC_FD0)) {
			fdm->by_nr[i].role = R_PATH;
			fdm->by_nr[i].flag_arg = -1;
		}
	}
	return fdm;
}

void ilp_fdm_free(struct ilp_fdm *fdm)
{
	free(fdm);
}

/* ---- objects ---- */

static uint64_t str_hash(unsigned type, const char *s)
{
	uint64_t h = 1469598103934665603ull ^ (type & ILP_OBJ_TYPE_MASK);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct ilp_fdobj *obj_lookup(const struct ilp_fdproc *f, unsigned type, const char *desc)
{
	size_t i;

	if (!f || !f->hcap)
		return NULL;
	type &= ILP_OBJ_TYPE_MASK;
	for (i = str_hash(type, desc) & (f->hcap - 1); f->hash[i]; i = (i + 1) & (f->hcap - 1)) {
		struct ilp_fdobj *o = f->objs[f->hash[i] - 1];

		if ((o->type & ILP_OBJ_TYPE_MASK) == type && !strcmp(o->desc, desc))
			return o;
	}
	return NULL;
}

static int hash_grow(struct ilp_fdproc *f)
{
	size_t ncap = f->hcap ? f->hcap * 2 : 64, i, j;
	size_t *h;

	if ((f->nobjs + 1) * 2 <= f->hcap)
		return 0;
	h = calloc(ncap, sizeof(*h));
	if (!h)
		return -ENOMEM;
	for (i = 0; i < f->nobjs; i++) {
		struct ilp_fdobj *o = f->objs[i];

		for (j = str_hash(o->type, o->desc) & (ncap - 1); h[j]; j = (j + 1) & (ncap - 1))
			;
		h[j] = i + 1;
	}
	free(f->hash);
	f->hash = h;
	f->hcap = ncap;
	return 0;
}

static struct ilp_fdobj *obj_new(unsigned type, const char *desc)
{
	struct ilp_fdobj *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->desc = strdup(desc);
	o->h.desc_hash = str_hash(0, desc);
	o->st.lat = ilp_hist_new();
	if (!o->desc || !o->st.lat) {
		free(o->desc);
		ilp_hist_free(o->st.lat);
		free(o);
		return NULL;
	}
	o->type = type & ~(ILP_OBJ_F_CLOEXEC | ILP_OBJ_F_SIDE_MASK);	/* the side: obj_side() */
	return o;
}

/*
 * A connected TCP socket's side.  The capture's own word first: the
 * process connected it (connected, here) or accepted it (R_ACCEPT).  Else
 * the kernel's socket table's (ILP_OBJ_F_SIDE_MASK), for a connection open
 * before the capture, whose first data call seen is only its first since.
 * Known either way, it decides whether the object asks (client).
 */
static void obj_side(struct ilp_fdobj *o, unsigned type, int connected)
{
	struct ilp_io_stats *s = &o->st;

	if (connected) {
		o->side_seen = 1;
		s->accepted = 0;
		s->outbound = 1;
		s->client = 1;
	} else if (o->side_seen) {
		return;
	} else if (type & ILP_OBJ_F_ACCEPTED) {
		s->accepted = 1;
		s->outbound = 0;
		s->client = 0;
	} else if ((type & ILP_OBJ_F_OUTBOUND) && !s->accepted) {
		s->outbound = 1;
		s->client = 1;
	}
}

/* the process's "more" object (created on first need), NULL on ENOMEM */
static struct ilp_fdobj *more_obj(struct ilp_fdproc *f)
{
	char desc[64];

	if (!f->more) {
		snprintf(desc, sizeof(desc), "more objects (past the first %u of the process)",
			 ILP_FDOBJ_MAX);
		f->more = obj_new(ILP_OBJ_MORE, desc);
	}
	return f->more;
}

static struct ilp_fdobj *obj_intern(struct ilp_fdproc *f, unsigned type, const char *desc)
{
	struct ilp_fdobj *o = obj_lookup(f, type, desc);
	size_t j;

	if (o) {
		/* "from the argument" (legacy) only while no name came from the
		 * live fd; the source shown is the most trusted that named it */
		if (!(type & ILP_OBJ_F_FROM_ARG))
			o->type &= ~ILP_OBJ_F_FROM_ARG;
		if (ILP_OBJ_SRC_OF(type) > ILP_OBJ_SRC_OF(o->type))
			o->type = (o->type & ~ILP_OBJ_SRC_MASK) | (type & ILP_OBJ_SRC_MASK);
		return o;
	}
	if (f->nobjs >= ILP_FDOBJ_MAX)
		return ilp_idcount_add(&f->more_objs, str_hash(type, desc)) ? NULL : more_obj(f);
	if (hash_grow(f))
		return NULL;
	if (f->nobjs == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		struct ilp_fdobj **v = realloc(f->objs, cap * sizeof(*v));

		if (!v)
			return NULL;
		f->objs = v;
		f->cap = cap;
	}
	o = obj_new(type, desc);
	if (!o)
		return NULL;
	o->seq = f->seq++;
	f->objs[f->nobjs++] = o;
	for (j = str_hash(type, desc) & (f->hcap - 1); f->hash[j]; j = (j + 1) & (f->hcap - 1))
		;
	f->hash[j] = f->nobjs;
	return o;
}

static void obj_free(struct ilp_fdobj *o)
{
	ilp_hist_free(o->st.lat);
	ilp_hist_free(o->st.rsize);
	ilp_hist_free(o->st.wsize);
	ilp_hist_free(o->st.psize);
	free(o->desc);
	free(o);
}

/* ---- fd table ---- */

static struct ilp_fdproc *fdproc_get(struct ilp_fdproc **fp)
{
	if (!*fp)
		*fp = calloc(1, sizeof(**fp));
	return *fp;
}

void ilp_fdproc_free(struct ilp_fdproc *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nobjs; i++)
		obj_free(f->objs[i]);
	if (f->more)
		obj_free(f->more);
	ilp_idcount_release(&f->more_objs);
	for (i = 0; i < f->sparse.cap; i++)
		free(f->sparse.vals[i]);
	ilp_idmap_release(&f->sparse);
	for (i = 0; i < f->tlcap; i++)
		if (f->tl[i].tid)
			ilp_loopt_free(f->tl[i].loop);
	free(f->loops);
	free(f->objs);
	free(f->hash);
	free(f->fds);
	free(f->view);
	free(f->tl);
	free(f);
}

/* fd >= FD_DENSE: its entry, created unless the table is full; NULL if full
 * or on ENOMEM (fd_untracked tells) */
static struct fdent *sparse_slot(struct ilp_fdproc *f, int64_t fd)
{
	struct fdent *e = ilp_idmap_get(&f->sparse, (uint64_t)fd);

	if (e || f->sparse.n >= ILP_FD_SPARSE_MAX)
		return e;
	e = calloc(1, sizeof(*e));
	if (!e || ilp_idmap_put(&f->sparse, (uint64_t)fd, e)) {
		free(e);
		return NULL;
	}
	return e;
}

/* 1 if fd has no entry and gets none: not an fd number, or past the cap */
static int fd_untracked(const struct ilp_fdproc *f, int64_t fd)
{
	return fd < 0 || fd > INT32_MAX ||
	       (fd >= FD_DENSE && !ilp_idmap_probe(&f->sparse, (uint64_t)fd) &&
		f->sparse.n >= ILP_FD_SPARSE_MAX);
}

/* fd_slot of a dense fd not in the array yet, or of any other */
static __attribute__((noinline)) struct fdent *fd_slot_grow(struct ilp_fdproc *f, int64_t fd)
{
	size_t n;
	struct fdent *v;

	if (fd < 0 || fd > INT32_MAX)
		return NULL;
	if (fd >= FD_DENSE)
		return sparse_slot(f, fd);
	n = f->nfds ? f->nfds : 64;
	while (n <= (size_t)fd)
		n *= 2;
	v = realloc(f->fds, n * sizeof(*v));
	if (!v)
		return NULL;
	memset(v + f->nfds, 0, (n - f->nfds) * sizeof(*v));
	f->fds = v;
	f->nfds = n;
	return &f->fds[fd];
}

/* fd's entry, created if new; NULL: fd_untracked, or ENOMEM (the array
 * holds fds below FD_DENSE only: nfds <= FD_DENSE) */
static inline struct fdent *fd_slot(struct ilp_fdproc *f, int64_t fd)
{
	if ((uint64_t)fd < f->nfds)
		return &f->fds[fd];
	return fd_slot_grow(f, fd);
}

/* fd's entry if it has one (open or not), never created */
static struct fdent *fd_find(const struct ilp_fdproc *f, int64_t fd)
{
	if (!f || fd < 0 || fd > INT32_MAX)
		return NULL;
	if (fd >= FD_DENSE)
		return ilp_idmap_peek(&f->sparse, (uint64_t)fd);
	return (uint64_t)fd < f->nfds ? &f->fds[fd] : NULL;
}

static const struct fdent *fd_peek(const struct ilp_fdproc *f, int64_t fd)
{
	const struct fdent *e = fd_find(f, fd);

	return e && e->open ? e : NULL;
}

/* fd_obj_ent of an fd with no object yet (e: its entry, NULL if none) */
static __attribute__((noinline)) struct ilp_fdobj *fd_obj_new(struct ilp_fdproc *f, int64_t fd,
								 struct fdent *e)
{
	char desc[48];

	if (!e)
		return fd >= 0 && fd_untracked(f, fd) ? more_obj(f) : NULL;
	snprintf(desc, sizeof(desc), "fd %lld (unresolved)", (long long)fd);
	e->obj = obj_intern(f, ILP_OBJ_UNRESOLVED, desc);
	if (e->obj)
		e->open = 1;
	return e->obj;
}

/* the object fd refers to, "fd N (unresolved)" if nothing is known, the
 * "more" object for an fd past the table's cap; *ep: fd's entry (open,
 * on that object), NULL for the "more" object or NULL */
static inline struct ilp_fdobj *fd_obj_ent(struct ilp_fdproc *f, int64_t fd, struct fdent **ep)
{
	struct fdent *e = fd_slot(f, fd);

	*ep = e;
	return e && e->open && e->obj ? e->obj : fd_obj_new(f, fd, e);
}

static struct ilp_fdobj *fd_obj(struct ilp_fdproc *f, int64_t fd)
{
	struct fdent *e;

	return fd_obj_ent(f, fd, &e);
}

static int fd_install(struct ilp_fdproc *f, int64_t fd, struct ilp_fdobj *o, int cloexec)
{
	struct fdent *e = fd_slot(f, fd);

	if (!e) {
		if (!fd_untracked(f, fd))
			return -ENOMEM;
		f->fds_over += fd >= 0;
		return 0;
	}
	e->open = 1;
	e->obj = o;
	e->cloexec = (uint8_t)!!cloexec;
	return 0;
}

/* the open entry e is that end of its pipe (or the socket read or written) */
static void ent_set_end(struct ilp_fdproc *f, struct fdent *e, unsigned end)
{
	e->end = (uint8_t)end;
	if (e->obj && e->obj != f->more)
		e->obj->ends |= (uint8_t)end;
}

/* fd is that end of its pipe (or the socket read or written) */
static void fd_set_end(struct ilp_fdproc *f, int64_t fd, unsigned end)
{
	struct fdent *e = fd_find(f, fd);

	if (e && e->open)
		ent_set_end(f, e, end);
}

static void fd_remove(struct ilp_fdproc *f, int64_t fd)
{
	if (fd >= FD_DENSE && fd <= INT32_MAX)
		free(ilp_idmap_del(&f->sparse, (uint64_t)fd));
	else if (fd >= 0 && (uint64_t)fd < f->nfds)
		memset(&f->fds[fd], 0, sizeof(f->fds[fd]));
}

/* the fds >= FD_DENSE with an entry, in *out (malloc'd, NULL if none): how
 * many, or -ENOMEM */
static int64_t sparse_fds(const struct ilp_fdproc *f, int64_t **out)
{
	size_t i, n = 0;

	*out = NULL;
	if (!f->sparse.n)
		return 0;
	*out = malloc(f->sparse.n * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < f->sparse.cap; i++)
		if (f->sparse.vals[i])
			(*out)[n++] = (int64_t)f->sparse.keys[i];
	return (int64_t)n;
}

static int fd_dup(struct ilp_fdproc *f, int64_t oldfd, int64_t newfd, int cloexec)
{
	const struct fdent *e = fd_peek(f, oldfd);
	unsigned end = e ? e->end : 0;
	int err = fd_install(f, newfd, e ? e->obj : NULL, cloexec);

	if (!err && end)
		fd_set_end(f, newfd, end);
	return err;
}

/* ---- accounting ---- */

/*
 * Boyer-Moore majority vote, O(1) per call: *cand ends as the syscall of
 * more than half the calls when one has that many (else one of them).
 */
static void vote(int *cand, uint64_t *votes, int nr)
{
	if (!*votes)
		*cand = nr;
	if (*cand == nr)
		(*votes)++;
	else
		(*votes)--;
}

static int hist_add(struct ilp_hist **h, uint64_t v)
{
	if (!*h && !(*h = ilp_hist_new()))
		return -ENOMEM;
	return ilp_hist_record(*h, v);
}

/* ilp_io_cat, inline for account */
static inline int io_cat(unsigned cls)
{
	if (cls & (ILP_SC_READ | ILP_SC_WRITE))
		return (cls & ILP_SC_POS) ? ILP_IO_POS : (cls & ILP_SC_READ) ? ILP_IO_SREAD
									  : ILP_IO_SWRITE;
	if (cls & ILP_SC_SYNC)
		return ILP_IO_SYNC;
	if (cls & ILP_SC_OPEN)
		return ILP_IO_OPEN;
	if (cls & ILP_SC_STAT)
		return ILP_IO_STAT;
	if (cls & ILP_SC_CLOSE)
		return ILP_IO_CLOSE;
	return ILP_IO_OTHER;
}

int ilp_io_cat(unsigned cls)
{
	return io_cat(cls);
}

static struct tlast *tlast_find(struct ilp_fdproc *f, int tid);

/* tid's slot, made if new: the last one given, else tlast_find */
static inline struct tlast *tlast_get(struct ilp_fdproc *f, int tid)
{
	if (f->tl_hit && f->tl_hit->tid == tid)
		return f->tl_hit;
	return tlast_find(f, tid);
}

/* a call of the thread, on o (NULL: a path call with no name), for its loops */
static inline int loop_feed(struct ilp_fdproc *f, const struct ilp_fdobj *o, const struct fcall *c)
{
	struct tlast *t;

	if (!c->tid)
		return 0;
	t = tlast_get(f, c->tid);
	if (!t)
		return -ENOMEM;
	if (!t->loop && !(t->loop = ilp_loopt_new(c->tid)))
		return -ENOMEM;
	return ilp_loopt_call(t->loop, c->nr, o,
			      o && (o->type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_UNRESOLVED, c->lat,
			      c->share, c->ts);
}

static int account(struct ilp_fdproc *f, struct ilp_fdobj *o, const struct fcall *c)
{
	struct ilp_io_stats *s = &o->st;
	uint64_t got = c->ret > 0 ? (uint64_t)c->ret : 0, lat = c->lat, ts = c->ts;
	unsigned cls = c->cls;
	int failed = c->ret >= -4095 && c->ret <= -1, err, nr = c->nr, tid = c->tid, cat;

	err = loop_feed(f, o, c);
	if (err)
		return err;
	if (!o->tid)
		o->tid = tid;
	else if (o->tid != tid)
		o->multi_tid = 1;
	cat = io_cat(cls);
	s->cat_calls[cat]++;
	s->cat_share[cat] += c->share;
	s->share_ns += c->share;
	s->ops++;
	s->total_ns += lat;
	s->errors += failed;
	ilp_hist_record(s->lat, lat);
	if (cls & (ILP_SC_READ | ILP_SC_WRITE)) {
		int is_read = !!(cls & ILP_SC_READ);

		if (is_read) {
			s->reads++;
			s->rbytes += got;
			s->read_ns += lat;
		} else {
			s->writes++;
			s->wbytes += got;
			s->write_ns += lat;
			if (got)
				o->wtid = tid;
		}
		if (cls & ILP_SC_POS) {
			uint64_t off = c->off;

			if (s->pops && off != o->pos_next)
				s->pops_random++;
			s->pops++;
			s->pbytes += got;
			s->pos_ns += lat;
			o->pos_next = off + got;
			if (!failed)
				err = hist_add(&s->psize, got);
			return err;
		}
		if (is_read) {
			s->sreads++;
			s->srbytes += got;
			s->sread_ns += lat;
			vote(&s->sread_nr, &s->sread_vote, nr);
		} else {
			s->swrites++;
			s->swbytes += got;
			s->swrite_ns += lat;
			vote(&s->swrite_nr, &s->swrite_vote, nr);
		}
		if (failed)
			return 0;
		if (!o->data_seen) {
			o->data_seen = 1;
			s->client = s->outbound || (!is_read && !s->accepted);
		}
		if (is_read && got && o->last_dir == 2) {
			s->round_trips++;
			s->rt_wait_ns += lat;
			s->rt_share += c->share;
			s->rt_nr = nr;
		}
		o->last_dir = is_read ? 1 : 2;
		return hist_add(is_read ? &s->rsize : &s->wsize, got);
	}
	if (cls & ILP_SC_SYNC) {
		if (!s->syncs)
			s->first_sync_ts = ts;
		s->last_sync_ts = ts;
		s->syncs++;
		s->sync_ns += lat;
	} else if (cls & ILP_SC_OPEN) {
		s->opens++;
		s->open_ns += lat;
	} else if (cls & ILP_SC_STAT) {
		s->stats++;
		s->stat_ns += lat;
	} else if (cls & ILP_SC_CLOSE) {
		s->closes++;
		s->close_ns += lat;
	} else {
		s->others++;
		s->other_ns += lat;
	}
	return 0;
}

/* a pending call counted on o now: whoever kept it learns its object */
static int account_pending(struct ilp_fdproc *f, struct ilp_fdobj *o)
{
	struct pending *pd = &f->pend;

	f->cnt.active = 1;
	f->cnt.tid = pd->c.tid;
	f->cnt.enter_ts = pd->c.ts - pd->c.lat;
	f->cnt.obj = o;
	return account(f, o, &pd->c);
}

/* commit_pending of an active one */
static __attribute__((noinline)) int commit_active(struct ilp_fdproc *f)
{
	struct pending *pd = &f->pend;
	struct ilp_fdobj *o;

	pd->active = 0;
	if (pd->fd < 0 || pd->role == R_ACCEPT || pd->role == R_REBIND || pd->role == R_PAIR)
		return 0;
	o = fd_obj(f, pd->fd);
	if (!o)
		return -ENOMEM;
	return account_pending(f, o);
}

/* the pending call found no FD_INFO: count it where the model stands */
static inline int commit_pending(struct ilp_fdproc *f)
{
	return f->pend.active ? commit_active(f) : 0;
}

/* the call c waits for the source's name; cls: how it will count */
static void set_pending(struct ilp_fdproc *f, const struct fcall *c, int role, int fd,
			int cloexec, unsigned cls)
{
	struct pending *pd = &f->pend;

	pd->active = 1;
	pd->role = (uint8_t)role;
	pd->npair = 0;
	pd->first = NULL;
	pd->fd = fd;
	pd->cloexec = (uint8_t)cloexec;
	pd->c = *c;
	pd->c.cls = cls;
}

/* the table grows only here, before a new slot is made: tl_hit, a slot
 * given since the last growth, is valid whenever it is set */
static struct tlast *tlast_find(struct ilp_fdproc *f, int tid)
{
	size_t i, mask;

	if ((f->ntl + 1) * 2 > f->tlcap) {
		size_t cap = f->tlcap ? f->tlcap * 2 : 16, j;
		struct tlast *v = calloc(cap, sizeof(*v));

		if (!v)
			return NULL;
		for (j = 0; j < f->tlcap; j++) {
			if (!f->tl[j].tid)
				continue;
			for (i = (unsigned)f->tl[j].tid & (cap - 1); v[i].tid; i = (i + 1) & (cap - 1))
				;
			v[i] = f->tl[j];
		}
		free(f->tl);
		f->tl = v;
		f->tlcap = cap;
		f->tl_hit = NULL;
	}
	mask = f->tlcap - 1;
	for (i = (unsigned)tid & mask; f->tl[i].tid && f->tl[i].tid != tid; i = (i + 1) & mask)
		;
	if (!f->tl[i].tid) {
		f->tl[i].tid = tid;
		f->ntl++;
	}
	return f->tl_hit = &f->tl[i];
}

/* a completed stream data call of tid on o: pair round trips (see the top) */
static int pair_track(struct ilp_fdproc *f, struct ilp_fdobj *o, const struct fcall *c)
{
	int tid = c->tid, nr = c->nr;
	unsigned cls = c->cls;
	int64_t ret = c->ret;
	uint64_t lat = c->lat;
	struct ilp_io_stats *s = &o->st;
	struct tlast *t;
	int is_read = !!(cls & ILP_SC_READ), pair;

	if (!(cls & (ILP_SC_READ | ILP_SC_WRITE)) || (cls & ILP_SC_POS) || ret <= 0 || !tid)
		return 0;
	t = tlast_get(f, tid);
	if (!t)
		return -ENOMEM;
	if (is_read) {
		pair = t->obj && t->wrote && t->obj != o;
		if (!o->read_seen) {
			o->read_seen = 1;
			s->pair_first = pair;
		}
		if (pair) {
			if (!s->pair_req)
				s->pair_req = t->obj;
			else if (s->pair_req != t->obj)
				s->pair_multi = 1;
			s->pair_trips++;
			s->pair_wait_ns += lat;
			s->pair_share += c->share;
			s->pair_nr = nr;
		}
	}
	t->obj = o;
	t->wrote = !is_read;
	return 0;
}

int ilp_fdm_call(const struct ilp_fdm *fdm, struct ilp_fdproc **fp, int tid, int nr,
		 unsigned cls, const uint64_t args[6], int64_t ret, uint64_t enter_ts,
		 uint64_t exit_ts, uint64_t share)
{
	struct ilp_fdproc *f;
	const struct role_row *rr;
	uint64_t lat = exit_ts > enter_ts ? exit_ts - enter_ts : 0;
	int role, cloexec = 0, err;
	struct ilp_fdobj *o;
	struct fcall c = { .tid = tid, .nr = nr, .cls = cls, .ret = ret, .lat = lat,
			   .ts = exit_ts, .share = share };

	if (*fp)
		(*fp)->call_obj = NULL;
	if (nr < 0 || nr >= ILP_SC_MAX)
		return 0;
	rr = &fdm->by_nr[nr];
	role = rr->role;
	if (!role && !(cls & ILP_SC_FD0))
		return 0;	/* not about fds: costs nothing */
	f = fdproc_get(fp);
	if (!f)
		return -ENOMEM;
	err = commit_pending(f);
	if (err)
		return err;
	if (role && rr->flag_arg >= 0)	/* only the roles that make an fd read it */
		cloexec = !!(args[rr->flag_arg] & rr->flag_mask);
	c.off = args[3];

	/* a call failing with EBADF on an fd not known open names no fd */
	if (ret == -EBADF_V && (cls & ILP_SC_FD0) && !fd_peek(f, (int)args[0]))
		return 0;
	/* the call as an operation on the object its fd argument names */
	if ((cls & ILP_SC_FD0) && role != R_REBIND) {
		struct fdent *e;

		o = fd_obj_ent(f, (int)args[0], &e);
		f->call_obj = o;
		if (o) {
			err = account(f, o, &c);
			if (!err)
				err = pair_track(f, o, &c);
			if (err)
				return err;
			/* e: open on o (account and pair_track touch no entry) */
			if (e && (cls & (ILP_SC_READ | ILP_SC_WRITE)))
				ent_set_end(f, e, (cls & ILP_SC_READ) ? ILP_END_READ
									: ILP_END_WRITE);
		}
	}
	switch (role) {
	case R_OPEN:
		if (ret >= 0) {
			err = fd_install(f, ret, NULL, cloexec);
			set_pending(f, &c, role, (int)ret, cloexec, ILP_SC_OPEN);
		} else {
			set_pending(f, &c, role, ILP_FD_PATHARG, 0, ILP_SC_OPEN);
		}
		return err;
	case R_CREATE:
	case R_ACCEPT:
		if (ret < 0)
			return 0;
		err = fd_install(f, ret, NULL, cloexec);
		set_pending(f, &c, role, (int)ret, cloexec, 0);
		return err;
	case R_PAIR:
		if (ret == 0)
			set_pending(f, &c, role, -1, cloexec, 0);
		return 0;
	case R_DUP:
		return ret >= 0 ? fd_dup(f, (int)args[0], ret, 0) : 0;
	case R_DUP2:
	case R_DUP3:
		if (ret < 0 || (int)args[0] == (int)args[1])
			return 0;
		return fd_dup(f, (int)args[0], ret, cloexec);
	case R_FCNTL:
		if (ret < 0)
			return 0;
		if ((int)args[1] == F_DUPFD_V || (int)args[1] == F_DUPFD_CLOEXEC_V)
			return fd_dup(f, (int)args[0], ret, (int)args[1] == F_DUPFD_CLOEXEC_V);
		if ((int)args[1] == F_SETFD_V) {
			struct fdent *e = fd_find(f, (int)args[0]);

			if (e && e->open)
				e->cloexec = (uint8_t)!!(args[2] & FD_CLOEXEC_V);
		}
		return 0;
	case R_CLOSE:
		if (ret != -EBADF_V)
			fd_remove(f, (int)args[0]);
		return 0;
	case R_CLOSE_RANGE: {
		uint64_t lo = (unsigned)args[0], hi = (unsigned)args[1], i;
		int64_t *high, n, k;

		if (ret != 0)
			return 0;
		n = sparse_fds(f, &high);
		if (n < 0)
			return (int)n;
		for (k = 0; k < n; k++) {
			struct fdent *e = fd_find(f, high[k]);

			if ((uint64_t)high[k] < lo || (uint64_t)high[k] > hi)
				continue;
			if (!(args[2] & CLOSE_RANGE_CLOEXEC_F))
				fd_remove(f, high[k]);
			else if (e->open)
				e->cloexec = 1;
		}
		free(high);
		for (i = lo; i <= hi && i < f->nfds; i++) {
			if (args[2] & CLOSE_RANGE_CLOEXEC_F) {
				if (f->fds[i].open)
					f->fds[i].cloexec = 1;
			} else {
				fd_remove(f, (int64_t)i);
			}
		}
		return 0;
	}
	case R_REBIND:
		o = fd_obj(f, (int)args[0]);
		if (!o)
			return (int)args[0] < 0 ? 0 : -ENOMEM;
		f->call_obj = o;	/* the name before connect/bind/listen renames it */
		err = account(f, o, &c);
		if (ret == 0 || ret == -EINPROGRESS_V)
			set_pending(f, &c, role, (int)args[0], 0, 0);
		return err;
	case R_PATH:
		set_pending(f, &c, role, ILP_FD_PATHARG, 0, ILP_SC_STAT);
		return 0;
	case R_FSPATH:
		return loop_feed(f, NULL, &c);
	default:
		return 0;
	}
}

int ilp_fdm_info(const struct ilp_fdm *fdm, struct ilp_fdproc **fp, const struct ilp_event *ev)
{
	struct ilp_fdproc *f = fdproc_get(fp);
	struct pending *pd;
	struct ilp_fdobj *o;
	struct fdent *e;
	int fd = ev->fd.fd, match, err;
	unsigned type = ev->fd.type;

	if (!f)
		return -ENOMEM;
	pd = &f->pend;
	match = pd->active && pd->c.tid == ev->tid &&
		(pd->fd == fd || (pd->role == R_PAIR && fd >= 0));
	if (!match) {
		const struct fdent *cur;

		err = commit_pending(f);
		if (err)
			return err;
		if (fd == ILP_FD_PATHARG)
			return 0;	/* names a call we did not see complete */
		/* not a call's completion (the attach scan, a second source
		 * for a call already named): a less trusted name does not
		 * replace the fd's */
		cur = fd_peek(f, fd);
		if (cur && cur->obj && src_rank(type) < src_rank(cur->obj->type))
			return 0;
	}
	if (match && pd->role == R_REBIND && (type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_SOCKET) {
		const struct fdent *old = fd_peek(f, fd);

		/* the source knows the address, not the protocol: keep what socket() said */
		if (old && old->obj && (old->obj->type & ILP_OBJ_TYPE_MASK) >= ILP_OBJ_TCP &&
		    (old->obj->type & ILP_OBJ_TYPE_MASK) <= ILP_OBJ_UNIX)
			type = (type & ~ILP_OBJ_TYPE_MASK) | (old->obj->type & ILP_OBJ_TYPE_MASK);
	}
	if (ILP_OBJ_SRC_OF(type) == ILP_NAME_SRC_LOST) {
		/* the fd's name could not be made certain: an honest "lost",
		 * never a guess (a path call's lost name counts on nothing) */
		char desc[ILP_LOST_DESC];

		if (fd == ILP_FD_PATHARG) {
			pd->active = 0;
			return 0;
		}
		snprintf(desc, sizeof(desc), "fd %d (name lost: %s)", fd,
			 ev->fd.str && *ev->fd.str ? ev->fd.str : "no source could read it");
		type = (type & ~ILP_OBJ_TYPE_MASK) | ILP_OBJ_UNRESOLVED;
		o = obj_intern(f, type, desc);
	} else {
		o = obj_intern(f, type, ev->fd.str ? ev->fd.str : "");
	}
	if (!o)
		return -ENOMEM;
	obj_side(o, type, match && pd->role == R_REBIND && pd->c.nr == fdm->nr_connect);
	if (fd == ILP_FD_PATHARG) {
		pd->active = 0;
		return account_pending(f, o);
	}
	e = fd_slot(f, fd);
	if (!e)
		return fd_untracked(f, fd) ? 0 : -ENOMEM;
	if (match && pd->role == R_REBIND) {
		if (e->obj && e->obj != o) {
			f->ren.active = 1;
			f->ren.tid = pd->c.tid;
			f->ren.enter_ts = pd->c.ts - pd->c.lat;
			f->ren.from = e->obj;
			f->ren.to = o;
		}
		e->obj = o;
		e->open = 1;
		pd->active = 0;
		return 0;
	}
	if (!match) {
		fd_install(f, fd, o, type & ILP_OBJ_F_CLOEXEC);
		return 0;
	}
	fd_install(f, fd, o, pd->cloexec || (type & ILP_OBJ_F_CLOEXEC));
	if (pd->role == R_PAIR) {	/* stays pending: the pair's other fd follows */
		if (pd->c.nr != fdm->nr_socketpair)	/* pipe(): fds[0] reads, fds[1] writes */
			fd_set_end(f, fd, pd->npair ? ILP_END_WRITE : ILP_END_READ);
		else if (pd->npair && pd->first && pd->first != o) {	/* two sockets */
			pd->first->pair = o;
			o->pair = pd->first;
		}
		if (!pd->npair++)
			pd->first = o;
		return 0;
	}
	pd->active = 0;
	if (pd->role == R_ACCEPT) {
		o->side_seen = 1;
		o->st.accepted = 1;
		o->st.outbound = 0;
		o->st.client = 0;
		return 0;
	}
	if (pd->role == R_CREATE)
		return 0;
	return account_pending(f, o);
}

/* fork: child gets fd's entry e of parent, its object interned in child
 * (with a socketpair's other socket, and which end of its pipe fd is) */
static int fork_one(const struct ilp_fdproc *parent, struct ilp_fdproc *c, int64_t fd,
		    const struct fdent *e)
{
	struct ilp_fdobj *o = NULL;
	int err;

	if (!e->open)
		return 0;
	if (e->obj == parent->more)
		o = more_obj(c);
	else if (e->obj)
		o = obj_intern(c, e->obj->type, e->obj->desc);
	if (e->obj && !o)
		return -ENOMEM;
	if (o && o != c->more && e->obj->pair && !o->pair) {
		struct ilp_fdobj *q = obj_intern(c, e->obj->pair->type, e->obj->pair->desc);

		if (!q)
			return -ENOMEM;
		if (q != c->more)
			o->pair = q;
	}
	err = fd_install(c, fd, o, e->cloexec);
	if (!err && e->end)
		fd_set_end(c, fd, e->end);
	return err;
}

int ilp_fdm_thread_exit(struct ilp_fdproc *f, int tid)
{
	size_t i, mask;
	int err;

	if (!f || !f->tlcap || !tid)
		return 0;
	if (f->pend.active && f->pend.c.tid == tid && (err = commit_pending(f)))
		return err;	/* its last call, on its loop, first */
	mask = f->tlcap - 1;
	for (i = (unsigned)tid & mask; f->tl[i].tid; i = (i + 1) & mask)
		if (f->tl[i].tid == tid) {
			if (f->tl[i].loop && ilp_loopt_retire(f->tl[i].loop)) {
				ilp_loopt_free(f->tl[i].loop);
				f->tl[i].loop = NULL;
			}
			return 0;
		}
	return 0;
}

int ilp_fdm_name_peer(struct ilp_fdproc *f, int pid, int fd, ilp_peer_fn fn, void *ctx)
{
	struct ilp_fdobj *o;
	struct ilp_peer peer;
	unsigned type;
	int r;

	const struct fdent *e = fd_peek(f, fd);

	if (!e || !(o = e->obj) || o == f->more || o->peer_asked)
		return 0;
	type = o->type & ILP_OBJ_TYPE_MASK;
	if (type != ILP_OBJ_PIPE && type != ILP_OBJ_UNIX && type != ILP_OBJ_TCP &&
	    type != ILP_OBJ_SOCKET && type != ILP_OBJ_UNRESOLVED)
		return 0;
	r = fn(ctx, pid, fd, o->type, o->desc, &peer);
	if (r == -EAGAIN)
		return 0;
	o->peer_asked = 1;
	if (!r && peer.pid > 0)
		o->peer = peer;
	return r == -ENOMEM ? r : 0;
}

int ilp_fdm_fork(const struct ilp_fdproc *parent, struct ilp_fdproc **child)
{
	struct ilp_fdproc *c;
	int64_t *high = NULL, n, k;
	size_t i;
	int err = -ENOMEM;

	if (!parent)
		return 0;
	c = fdproc_get(child);
	if (!c)
		return -ENOMEM;
	for (i = 0; i < parent->nfds; i++)
		if (fork_one(parent, c, (int64_t)i, &parent->fds[i]))
			goto out;
	n = sparse_fds(parent, &high);
	if (n < 0)
		goto out;
	for (k = 0; k < n; k++)
		if (fork_one(parent, c, high[k], fd_find(parent, high[k])))
			goto out;
	c->fds_over = parent->fds_over;
	err = 0;
out:
	free(high);
	return err;
}

void ilp_fdm_exec(struct ilp_fdproc *f)
{
	int64_t *high, n, k;
	size_t i;

	if (!f)
		return;
	commit_pending(f);
	for (i = 0; i < f->nfds; i++)
		if (f->fds[i].open && f->fds[i].cloexec)
			fd_remove(f, (int64_t)i);
	n = sparse_fds(f, &high);
	for (k = 0; k < n; k++)
		if (fd_peek(f, high[k]) && fd_peek(f, high[k])->cloexec)
			fd_remove(f, high[k]);
	free(high);
}

static int obj_cmp(const void *a, const void *b)
{
	const struct ilp_fdobj *x = *(const struct ilp_fdobj *const *)a;
	const struct ilp_fdobj *y = *(const struct ilp_fdobj *const *)b;

	if (x->st.total_ns != y->st.total_ns)
		return x->st.total_ns > y->st.total_ns ? -1 : 1;
	if (x->st.ops != y->st.ops)
		return x->st.ops > y->st.ops ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* every thread's loops, their runs in progress counted */
static int loops_index(struct ilp_fdproc *f, int final)
{
	size_t i, j, n = 0;
	const struct ilp_loop **v;

	for (i = 0; i < f->tlcap; i++)
		if (f->tl[i].tid && f->tl[i].loop) {
			ilp_loopt_flush(f->tl[i].loop, final);
			n += ilp_loopt_nloops(f->tl[i].loop);
		}
	f->nloops = 0;
	if (!n)
		return 0;
	v = realloc(f->loops, n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	f->loops = v;
	for (i = 0; i < f->tlcap; i++)
		for (j = 0; f->tl[i].tid && j < ilp_loopt_nloops(f->tl[i].loop); j++)
			f->loops[f->nloops++] = ilp_loopt_loop(f->tl[i].loop, j);
	return 0;
}

int ilp_fdm_index(struct ilp_fdproc *f, int final)
{
	struct ilp_fdobj **v;
	size_t i;
	int err;

	if (!f)
		return 0;
	err = commit_pending(f);
	v = realloc(f->view, (f->nobjs ? f->nobjs : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	f->view = v;
	f->nview = 0;
	for (i = 0; i < f->nobjs; i++)
		if (f->objs[i]->st.ops)
			f->view[f->nview++] = f->objs[i];
	if (f->nview > 1)
		qsort(f->view, f->nview, sizeof(*f->view), obj_cmp);
	return err ? err : loops_index(f, final);
}

/* an object's counters from 0; what it is stays (ilp_fdm_reset) */
static void obj_reset(struct ilp_fdobj *o)
{
	struct ilp_io_stats *s = &o->st, keep = *s;

	ilp_hist_reset(s->lat);
	ilp_hist_free(s->rsize);
	ilp_hist_free(s->wsize);
	ilp_hist_free(s->psize);
	memset(s, 0, sizeof(*s));
	s->lat = keep.lat;
	s->client = keep.client;
	s->accepted = keep.accepted;
	s->outbound = keep.outbound;
	s->pair_first = keep.pair_first;
	s->sread_nr = keep.sread_nr;
	s->swrite_nr = keep.swrite_nr;
	s->rt_nr = keep.rt_nr;
	s->pair_nr = keep.pair_nr;
	o->tid = 0;
	o->multi_tid = 0;
}

int ilp_fdm_reset(struct ilp_fdproc *f)
{
	size_t i;
	int err;

	if (!f)
		return 0;
	err = commit_pending(f);
	for (i = 0; i < f->nobjs; i++)
		obj_reset(f->objs[i]);
	if (f->more)
		obj_reset(f->more);
	f->nview = 0;
	f->nloops = 0;
	for (i = 0; i < f->tlcap; i++)
		if (f->tl[i].tid && f->tl[i].loop)
			ilp_loopt_reset(f->tl[i].loop);
	return err;
}

/* ---- accessors ---- */

size_t ilp_fdproc_nloops(const struct ilp_fdproc *f)
{
	return f ? f->nloops : 0;
}

const struct ilp_loop *ilp_fdproc_loop(const struct ilp_fdproc *f, size_t i)
{
	return f && i < f->nloops ? f->loops[i] : NULL;
}

size_t ilp_fdproc_nobjs(const struct ilp_fdproc *f)
{
	return f ? f->nview : 0;
}

const struct ilp_fdobj *ilp_fdproc_obj(const struct ilp_fdproc *f, size_t i)
{
	return f && i < f->nview ? f->view[i] : NULL;
}

const struct ilp_fdobj *ilp_fdproc_fd(const struct ilp_fdproc *f, int fd)
{
	const struct fdent *e = fd_peek(f, fd);

	return e ? e->obj : NULL;
}

int ilp_fdproc_fd_cloexec(const struct ilp_fdproc *f, int fd)
{
	const struct fdent *e = fd_peek(f, fd);

	return e ? e->cloexec : -1;
}

int ilp_fdm_request(const struct ilp_fdm *fdm, struct ilp_fdproc **fp, int tid, int nr, int fd,
		    int64_t res, uint64_t submit_ts, uint64_t complete_ts)
{
	uint64_t args[6] = { (uint64_t)(uint32_t)fd, 0, 0, 0, 0, 0 };
	int err = ilp_fdm_call(fdm, fp, tid, nr, ilp_syscall_class(nr), args, res, submit_ts,
			       complete_ts, 0);
	/* our own object: call_obj is const only for the accessor's readers */
	struct ilp_fdobj *o = *fp ? (struct ilp_fdobj *)(uintptr_t)(*fp)->call_obj : NULL;

	if (!err && o)
		o->st.requests++;
	return err;
}

void ilp_fdproc_add_share(struct ilp_fdproc *f, const struct ilp_fdobj *o, int cat, uint64_t ns)
{
	/* our own object: const only for the accessors' readers */
	struct ilp_fdobj *w = (struct ilp_fdobj *)(uintptr_t)o;

	(void)f;
	if (!w || cat < 0 || cat >= ILP_IO_NCATS)
		return;
	w->st.cat_share[cat] += ns;
	w->st.share_ns += ns;
}

const struct ilp_fdobj *ilp_fdproc_call_obj(const struct ilp_fdproc *f)
{
	return f ? f->call_obj : NULL;
}

int ilp_fdproc_take_rename(struct ilp_fdproc *f, int *tid, uint64_t *enter_ts,
			   const struct ilp_fdobj **from, const struct ilp_fdobj **to)
{
	if (!f || !f->ren.active)
		return 0;
	f->ren.active = 0;
	*tid = f->ren.tid;
	*enter_ts = f->ren.enter_ts;
	*from = f->ren.from;
	*to = f->ren.to;
	return 1;
}

int ilp_fdproc_take_counted(struct ilp_fdproc *f, int *tid, uint64_t *enter_ts,
			    const struct ilp_fdobj **obj)
{
	if (!f || !f->cnt.active)
		return 0;
	f->cnt.active = 0;
	*tid = f->cnt.tid;
	*enter_ts = f->cnt.enter_ts;
	*obj = f->cnt.obj;
	return 1;
}

const struct ilp_fdobj *ilp_fdproc_find(const struct ilp_fdproc *f, unsigned type,
					const char *desc)
{
	return obj_lookup(f, type, desc);
}

unsigned ilp_fdobj_ends(const struct ilp_fdobj *o)
{
	return o->ends;
}

int ilp_fdobj_writer_tid(const struct ilp_fdobj *o)
{
	return o->wtid;
}

const struct ilp_fdobj *ilp_fdobj_pair(const struct ilp_fdobj *o)
{
	return o->pair;
}

const struct ilp_peer *ilp_fdobj_peer(const struct ilp_fdobj *o)
{
	return o->peer.pid ? &o->peer : NULL;
}

unsigned ilp_fdobj_type(const struct ilp_fdobj *o)
{
	return o->type;
}

const char *ilp_fdobj_desc(const struct ilp_fdobj *o)
{
	return o->desc;
}

int ilp_fdobj_same_desc(const struct ilp_fdobj *a, const struct ilp_fdobj *b)
{
	return a->h.desc_hash == b->h.desc_hash && !strcmp(a->desc, b->desc);
}

int ilp_fdobj_tid(const struct ilp_fdobj *o)
{
	return o->multi_tid ? 0 : o->tid;
}

const struct ilp_io_stats *ilp_fdobj_stats(const struct ilp_fdobj *o)
{
	return &o->st;
}

const struct ilp_fdobj *ilp_fdproc_more(const struct ilp_fdproc *f, uint64_t *nobjs, int *exact,
					uint64_t *nfds)
{
	if (!f || (!f->more_objs.n && !f->fds_over && (!f->more || !f->more->st.ops)))
		return NULL;
	*nobjs = f->more_objs.n;
	*exact = !f->more_objs.over;
	*nfds = f->fds_over;
	return f->more;
}

int ilp_fdobj_format(const struct ilp_fdobj *o, char *buf, size_t size)
{
	if ((o->type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_UNRESOLVED ||
	    (o->type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_MORE)
		return snprintf(buf, size, "%s", o->desc);
	return snprintf(buf, size, "%s %s%s", ilp_obj_type_name(o->type), o->desc,
			(o->type & ILP_OBJ_F_FROM_ARG) ? ILP_OBJ_ARG_MARK : "");
}
