/* SPDX-License-Identifier: MIT */
/*
 * Inside the fd-name resolver (resolve.c, resolve_proc.c, resolve_window.c):
 * its state and the helpers the files share.  Not for other modules:
 * include/resolve.h is the interface.
 */
#ifndef ILP_RESOLVE_INTERNAL_H
#define ILP_RESOLVE_INTERNAL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "keyhash.h"
#include "resolve.h"
#include "sockdiag.h"
#include "syscalls.h"

#define AT_FDCWD_V (-100)

enum rrole {
	RS_NONE = 0,
	RS_OPEN,	/* ret: new fd from the path in args[path] */
	RS_PATH,	/* path in args[path], no fd: stat, access */
	RS_SOCKET,	/* ret: new socket, family args[0], type args[1] */
	RS_RETFD,	/* ret: new fd (accept, eventfd, epoll...) */
	RS_ARG0,	/* args[0] renamed on success (connect, bind, listen) */
	RS_PAIR,	/* two fds at the int[2] in args[path] */
	RS_CHDIR,	/* the cwd becomes args[path] */
	RS_FCHDIR,	/* the cwd becomes the directory of fd args[0] */
	RS_FDGONE,	/* fds stop being what they were: close, dup2, dup3, close_range */
};

/* RS_FDGONE: which fds; RS_CHDIR also for calls that change the root */
enum { FG_CLOSE = 1, FG_RANGE, FG_DUP, FG_ROOT };

struct rinfo {
	uint8_t role;
	uint8_t sub;		/* RS_FDGONE: FG_* */
	int8_t path, dirfd, nofollow;
	uint8_t wdata;		/* a read or write on the fd args[0]: the window
				 * notes the inodes the kernel reports inside it */
};

/* what /proc said about one fd, read right after its call's exit was decoded */
enum snap_state { SNAP_NONE = 0, SNAP_OK, SNAP_GONE, SNAP_NOPROC };

struct snap {
	uint8_t state;
	uint8_t stat_ok;
	uint8_t sock_asked;	/* a socket inode waits for the round's lookup */
	uint8_t sock_found;
	uint8_t stopped;	/* read while the thread was stopped at the call's exit */
	uint64_t at;		/* when read (CLOCK_MONOTONIC ns, the events' clock) */
	char *link;		/* readlink of /proc/TID/fd/N */
	dev_t dev;
	ino_t ino;
	mode_t mode;
	unsigned long sock;	/* socket inode, 0: not a socket */
	uint64_t netns;
	unsigned stype;		/* the lookup's answer */
	char *sdesc;
};

/* the phase-one facts of one event, keyed by (tid, ts) */
struct fact {
	struct fact *next;	/* hash chain (same key slot) */
	struct fact *pnext;	/* the round's socket lookups */
	int tid, nr;
	int ptid;		/* the thread as /proc here knows it (pid namespace) */
	uint64_t ts;
	int nfd;
	int fds[2];
	struct snap snap[2];
	char *arg;		/* the path argument read from memory, or NULL */
	uint64_t arg_ptr, arg_at;
	uint8_t arg_state;	/* 0 not read, 1 read, 2 unreadable */
	uint8_t pair_state;	/* RS_PAIR: 1 the fds were read from memory at pair_at */
	uint64_t pair_at;
	char *cwd;		/* RS_CHDIR, RS_FCHDIR: /proc/TID/cwd after the call */
	uint64_t cwd_at;
	char *kcopy;		/* ILP_EV_SYS_ARGSTR: the kernel's copy, NUL-terminated */
	size_t kcopy_len;
	uint64_t kptr;
	uint8_t kcut;		/* the kernel did not end it: cut, or a fault */
	uint8_t stopped;	/* read at the exit stop (ilp_resolver_at_exit) */
	int64_t ret;		/* at_exit: the call's return, to match its event */
	uint64_t at;		/* at_exit: when it was read */
};

/* the path argument as the call saw it */
struct copy {
	uint8_t src;		/* ILP_NAME_SRC_CALL or _KERNEL; 0: none */
	uint8_t exact;		/* KERNEL: whole, and no '.' that may stand for a byte */
	int nr;
	uint64_t ptr;		/* the argument's value, to match the call */
	uint64_t at;		/* CALL: when it was read (the stop) */
	char *raw;		/* as given */
	char *abs;		/* CALL: made absolute at the call; NULL if raw is */
};

struct tstate {
	int tid, pid;
	int in_call, nr;
	uint64_t args[6], enter_ts;
	struct copy copy;	/* of the current call */
	struct copy kpend;	/* a kernel copy delivered before its entry */
	uint64_t kpend_ts;
	struct copy *atq;	/* ilp_resolver_at_call's copies, oldest at atq_head */
	size_t atq_head, natq, atq_cap;
	struct fact *exitq, *exitq_tail;	/* ilp_resolver_at_exit's reads, oldest first */
	size_t nexitq;
};

struct dirfd {
	int fd;
	char *path;
};

struct pstate {
	int pid;
	char *cwd;		/* NULL: not known for certain */
	struct dirfd *dirs;	/* directories its fds name, from certain names */
	size_t ndirs, dircap;
	int8_t view;		/* 1: its root and mount namespace are ours, 0: not,
				 * -1: not known yet */
};

/* the window's index (resolve_window.c) */

struct wrange {
	uint64_t ts;
	int lo, hi;		/* fds lo..hi; lo -1: every fd (exec, exit) */
	uint8_t kind;		/* W_FDS, W_CWD, W_PAIR */
	uint64_t ptr;		/* W_PAIR: the int[2] the fds were written to */
};

struct wdirty {
	uint64_t ts;
	int fd;
	uint32_t dev;
	uint64_t ino;
};

enum { W_FDS = 1, W_CWD, W_PAIR };

#define WTIDS 1024

struct wtid {
	int tid, fd;		/* tid 0: none */
};

struct wpair {
	int tid;		/* 0: none */
	uint64_t ptr;
};

struct window {
	uint64_t horizon;
	int valid;		/* 0: no window given (stopped source): reads are at the call */
	int incomplete;		/* a fact could not be indexed (ENOMEM), or the
				 * window is idle: it proves nothing */
	int idle;		/* not built: no fact waited for it */
	struct ilp_umap fdchg;	/* (pid, fd) -> list of change times (uint64_t) */
	struct ilp_umap pidchg;	/* pid -> list of struct wrange */
	struct ilp_umap dirty;	/* (pid, fd) -> list of struct wdirty */
	struct wtid wtid[WTIDS];	/* per tid (direct-mapped): the read or write
					 * it is in */
	struct wpair wpair[WTIDS];	/* per tid (direct-mapped): the int[2] of the
					 * pipe/socketpair it is in */
};

#define SLOTS1 4096		/* phase one: last entry per (cpu, tid), direct-mapped */

struct p1slot {
	int tid, nr, cpu;
	uint64_t args[6];
};

struct ilp_resolver {
	struct rinfo role[ILP_SC_MAX];
	int nr_socketpair, nr_connect, nr_openat2;
	int stopped;			/* stopped source: every read is at the call */
	int exit_reads;			/* ilp_resolver_at_exit was called: its facts
					 * (in the threads' exitq) may ask the window */
	struct p1slot slots[SLOTS1];
	struct ilp_umap facts;		/* hash of (tid, ts) -> struct fact chain */
	struct fact *pending;		/* the round's socket lookups */
	struct ilp_umap threads;	/* tid -> struct tstate */
	struct ilp_umap procs;		/* pid -> struct pstate */
	struct ilp_spool pool;
	struct ilp_umap canon;		/* hash of an absolute path -> struct canon */
	struct ilp_sockdiag *sd;
	struct window w;
	dev_t root_dev, mntns_dev;	/* our "/" and mount namespace */
	ino_t root_ino, mntns_ino;
	int root_known;
	uint64_t hkey[2];
	struct ilp_resolve_counts counts;
	const char *full_reason;	/* pooled "name table full..." */
	struct ilp_pidns *pidns;	/* in a pid namespace: kernel tid -> /proc pid */
	char out[ILP_RESOLVE_MAX][PATH_MAX + 256];	/* FD_INFO strings */
	char tmp[2 * PATH_MAX + 2];
};

/* ---- resolve_proc.c: reading /proc and tracee memory ---- */

uint64_t ilp_res_now(void);
/* the NUL-terminated string at addr in tid's memory, malloc'd; 0 or -errno */
int ilp_res_read_str(int tid, uint64_t addr, char **out);
int ilp_res_read_mem(int tid, uint64_t addr, void *buf, size_t len);
/* readlink into a malloc'd string; 0 or -errno */
int ilp_res_link(const char *path, char **out);
/* /proc/TID/fd/N now: link, dev:ino, mode; a socket's inode and namespace */
void ilp_res_snap(struct ilp_resolver *r, int tid, int fd, struct snap *s);
void ilp_res_snap_release(struct snap *s);
/* the object type and name a snapshot gives (into buf); 0 or -ENOENT */
int ilp_res_snap_name(const struct snap *s, unsigned *type, char *buf, size_t size);
/* enum ilp_obj_type of a stat mode */
unsigned ilp_res_mode_type(mode_t mode);
/* 1 if thread tid sees our root and mount namespace, 0 if not, -1 unknown */
int ilp_res_same_view(const struct ilp_resolver *r, int tid);
/* abs as the kernel names the file (symlinks, "..", magic links kept),
 * into buf; 0, or -errno (buf then holds abs) */
int ilp_res_canonical(struct ilp_resolver *r, int tid, int view, const char *abs,
		      int nofollow, char *buf, size_t size);
/* stat of abs as thread tid sees it (through /proc/TID/root, or directly
 * when its view is ours): 0 or -errno */
int ilp_res_stat(int tid, int view, const char *abs, int nofollow, struct stat *st);
void ilp_res_canon_release(struct ilp_resolver *r);

/* ---- resolve_window.c: the events around the one being named ---- */

void ilp_res_window_begin(struct ilp_resolver *r, uint64_t horizon);
void ilp_res_window_add(struct ilp_resolver *r, const struct ilp_event *const *v, size_t n);
void ilp_res_window_release(struct window *w);
/* 1 if fd of pid may have stopped being what it was between a and b */
int ilp_res_fd_changed(const struct ilp_resolver *r, int pid, int fd, uint64_t a, uint64_t b);
/* 1 if pid's cwd may have changed between a and b */
int ilp_res_cwd_changed(const struct ilp_resolver *r, int pid, uint64_t a, uint64_t b);
/* 1 if pid completed a pipe/socketpair into the int[2] at ptr between a and b */
int ilp_res_pair_between(const struct ilp_resolver *r, int pid, uint64_t ptr, uint64_t a,
			 uint64_t b);
/* 1 if the kernel reported dev:ino dirtied inside a write on fd of pid
 * after a, before the fd stopped being what it was */
int ilp_res_dirtied(const struct ilp_resolver *r, int pid, int fd, uint64_t a, uint32_t dev,
		    uint64_t ino);

/* ---- resolve.c ---- */

struct tstate *ilp_res_thread(struct ilp_resolver *r, int tid);	/* created if needed */
/* the pid /proc here knows kernel tid ktid by (pidns.h); <= 0: not proved,
 * do not read /proc for it */
int ilp_res_ptid(const struct ilp_resolver *r, int ktid);
int ilp_res_pid_of(const struct ilp_resolver *r, int tid);

#endif
