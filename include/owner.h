/* SPDX-License-Identifier: MIT */
#ifndef ILP_OWNER_H
#define ILP_OWNER_H

/*
 * Who owns a tracefs instance, proved by the kernel, never guessed from a
 * number in a name (removing a live session's instance can oops the
 * kernel: a NULL dereference in ring_buffer_change_overwrite, after which
 * every tracefs mkdir hangs until reboot).
 *
 * A session's instances are "iolockprof-<token>" and "iolockprof-<token>-sys",
 * token: ILP_TOKEN_LEN random lowercase letters (getrandom).  Before it
 * creates them, the session creates ILP_LOCK_DIR/iolockprof-<token>.lock
 * (O_EXCL) and holds an flock on it for its whole life; the kernel drops
 * the lock when the process dies, by any signal.  So:
 *
 *   session (claim)                      cleaner (remove_stale)
 *   create NAME.lock O_EXCL              open NAME.lock (no lock file: keep)
 *     (exists: another token)            flock it, non-blocking (held: live, keep)
 *   flock it                             is the path still that file? (no: keep)
 *   is the path still that file?         rmdir NAME-sys, NAME (busy: keep the lock file)
 *     (no: a cleaner took it; retry)     unlink NAME.lock, close
 *   mkdir NAME (EEXIST: another token)
 *   mkdir NAME-sys (EEXIST: same)
 *   ... its end: rmdir both, unlink NAME.lock, close
 *
 * A name is never reused while its lock file exists (O_EXCL), and a lock
 * file is unlinked only by the holder of its flock, after the instances
 * are gone: a cleaner and a new session cannot race on one name.  The
 * session also keeps a file of each instance open (instance.c), so rmdir
 * fails with EBUSY while it lives, whatever removes it.
 *
 * Older iolockprof versions named instances "iolockprof-<pid>" and took no
 * lock: their owner cannot be proved dead, so they are never removed
 * automatically (ILP_STALE_UNPROVABLE); remove one by hand once no older
 * iolockprof runs.  Names of another form are not ours and never touched.
 *
 * Test hook: ILP_TEST_INSTANCE_TOKENS="tok1,tok2" (each ILP_TOKEN_LEN
 * lowercase letters, else ignored) are tried before random tokens, so a
 * test can pre-make the directory a session would choose.
 */

#define ILP_LOCK_DIR "/run/iolockprof"
#define ILP_OWNER_PREFIX "iolockprof-"
#define ILP_OWNER_SYS_SUFFIX "-sys"
#define ILP_TOKEN_LEN 16
#define ILP_OWNER_NAME_MAX 64

struct ilp_owner {
	int dirfd;		/* the lock directory (not owned) */
	int lockfd;		/* NAME.lock, flock'ed; -1 when none */
	char name[ILP_OWNER_NAME_MAX];	/* "iolockprof-<token>" while claimed */
	unsigned ntest;		/* ILP_TEST_INSTANCE_TOKENS used so far */
};

/*
 * Opens dir as the lock directory (making it, mode 0700, if create and it
 * does not exist).  It must be a directory owned by our effective uid,
 * writable by no one else, not a symlink: else -EUCLEAN (nothing is
 * changed).  *dirfd: the directory, opened read-only.  0 or -errno.
 */
int ilp_owner_lockdir(const char *dir, int create, int *dirfd);

/* Fills ow for claims in the lock directory dirfd. */
void ilp_owner_init(struct ilp_owner *ow, int dirfd);
/*
 * Picks a fresh token, creates and locks its lock file (see above);
 * ow->name is the base name then.  The caller creates the instances; on
 * EEXIST it calls ilp_owner_release(ow, 1) and claims again.  0 or -errno
 * (-EAGAIN if no free name was found in a few tries).
 */
int ilp_owner_claim(struct ilp_owner *ow);
/*
 * Gives the name back.  remove: the instances are gone, unlink the lock
 * file (while still holding its lock); else it stays, unlocked, and a
 * later cleaner finishes the removal.  Then closes.  No-op if unclaimed.
 */
void ilp_owner_release(struct ilp_owner *ow, int remove);

/* Tracing off, then rmdir instances/name: only for an instance we made, or
 * whose lock we hold.  0 (gone, or never there) or -errno (EBUSY: a file
 * of it is open). */
int ilp_owner_remove_instance(const char *instances, const char *name);

enum ilp_owner_name {
	ILP_OWNER_OTHER,		/* not an iolockprof name: never touched */
	ILP_OWNER_OURS,		/* iolockprof-<token> */
	ILP_OWNER_OURS_SYS,	/* iolockprof-<token>-sys */
	ILP_OWNER_OLD,		/* iolockprof-<digits>[-sys]: an older version's */
};
enum ilp_owner_name ilp_owner_name_kind(const char *name);

enum ilp_stale_verdict {
	ILP_STALE_REMOVED,	/* its owner was dead: instances and lock file removed */
	ILP_STALE_LIVE,		/* its lock is held: a live session */
	ILP_STALE_UNPROVABLE,	/* no lock file (an older version's, or another
				 * lock directory's): left alone */
	ILP_STALE_BUSY,		/* owner dead, but rmdir failed (a file of it is
				 * open): the lock file stays for a later pass */
};
/* called per instance base name ("iolockprof-..." without -sys) judged */
typedef void (*ilp_stale_note_fn)(void *ctx, const char *name, enum ilp_stale_verdict v);

/*
 * Removes the instances in the directory instances (tracefs's
 * "instances", or any directory in tests) whose owner is provably dead,
 * and lock files in dirfd (may be -1: nothing is provable) whose session
 * died before or after its instances existed.  note (may be NULL) hears
 * every verdict on an iolockprof name.  Number of names removed, or
 * -errno if instances cannot be read.
 */
int ilp_owner_remove_stale(const char *instances, int dirfd, ilp_stale_note_fn note, void *ctx);

#endif
