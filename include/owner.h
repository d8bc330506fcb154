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

/**
 * ilp_owner_lockdir - opens the lock directory, checking who can write it
 * @dir: its path (ILP_LOCK_DIR, or a test's)
 * @create: non-zero to make it, mode 0700, if it does not exist
 * @dirfd: set to the directory, opened read-only, the caller's to close;
 *	-1 on error
 *
 * It must be a directory owned by our effective uid, writable by no one
 * else, not a symlink.
 *
 * Returns 0, -EUCLEAN when it is not such a directory (nothing is changed),
 * or the -errno of mkdir, open or fstat.
 */
int ilp_owner_lockdir(const char *dir, int create, int *dirfd);

/**
 * ilp_owner_init - fills ow for claims in a lock directory
 * @ow: the caller's struct; nothing is claimed yet
 * @dirfd: the lock directory (from ilp_owner_lockdir()), borrowed: it must
 *	stay open while ow is used, and the caller closes it
 */
void ilp_owner_init(struct ilp_owner *ow, int dirfd);

/**
 * ilp_owner_claim - picks a fresh name and holds its lock
 * @ow: initialised and not claimed (or released)
 *
 * Picks a token (ILP_TEST_INSTANCE_TOKENS first, then getrandom), creates
 * and flocks its lock file (see above); ow->name is the base name then.
 * The caller creates the instances; on EEXIST it calls
 * ilp_owner_release(ow, 1) and claims again.
 *
 * Returns 0, -EAGAIN if no free name was found in 16 tries, or the -errno
 * of getrandom or of creating the lock file.
 */
int ilp_owner_claim(struct ilp_owner *ow);

/**
 * ilp_owner_release - gives the name back
 * @ow: the claim; a no-op if unclaimed
 * @remove: non-zero when the instances are gone: the lock file is unlinked
 *	while its lock is still held; zero: it stays, unlocked, and a later
 *	cleaner finishes the removal
 *
 * Then closes the lock file and clears ow->name; ow can claim again.
 */
void ilp_owner_release(struct ilp_owner *ow, int remove);

/**
 * ilp_owner_remove_instance - turns tracing off and removes an instance
 * @instances: the instances directory (tracefs's "instances", or a test's)
 * @name: the instance's name in it
 *
 * Only for an instance we made, or whose lock we hold: removing a live
 * session's instance can oops the kernel.
 *
 * Returns 0 (gone, or never there), or rmdir's -errno (-EBUSY: a file of
 * it is open).
 */
int ilp_owner_remove_instance(const char *instances, const char *name);

enum ilp_owner_name {
	ILP_OWNER_OTHER,		/* not an iolockprof name: never touched */
	ILP_OWNER_OURS,		/* iolockprof-<token> */
	ILP_OWNER_OURS_SYS,	/* iolockprof-<token>-sys */
	ILP_OWNER_OLD,		/* iolockprof-<digits>[-sys]: an older version's */
};
/**
 * ilp_owner_name_kind - what kind of instance name name is
 * @name: an instance's name (not NULL)
 *
 * Returns ILP_OWNER_OURS, ILP_OWNER_OURS_SYS, ILP_OWNER_OLD, or
 * ILP_OWNER_OTHER for a name that is not iolockprof's.
 */
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

/**
 * ilp_owner_remove_stale - removes the instances of dead sessions
 * @instances: the instances directory (tracefs's "instances", or any
 *	directory in tests)
 * @dirfd: the lock directory, or -1: then nothing is provable, and nothing
 *	is removed
 * @note: called once per iolockprof base name judged, with its verdict
 *	(the name is valid during the call only); may be NULL
 * @ctx: passed to note
 *
 * Removes the instances whose owner is provably dead, and lock files in
 * dirfd whose session died before or after its instances existed.
 * Older versions' names are noted ILP_STALE_UNPROVABLE and never removed.
 *
 * Returns the number of names removed, or -errno when instances cannot be
 * read (opendir's), or -ENOMEM.
 */
int ilp_owner_remove_stale(const char *instances, int dirfd, ilp_stale_note_fn note, void *ctx);

/* removes what else a dead session base owned: 0, or -errno (kept: its
 * lock file stays for a later pass, ILP_STALE_BUSY) */
typedef int (*ilp_stale_also_fn)(const char *base);

/**
 * ilp_owner_remove_stale_also - removes dead sessions' instances and more
 * @instances: as ilp_owner_remove_stale()
 * @dirfd: as ilp_owner_remove_stale()
 * @also: called for each dead session once its instances are gone, before
 *	its lock file is (its uprobes: uprobe.h); NULL: nothing more
 * @note: as ilp_owner_remove_stale()
 * @ctx: passed to note
 *
 * Returns as ilp_owner_remove_stale().
 */
int ilp_owner_remove_stale_also(const char *instances, int dirfd, ilp_stale_also_fn also,
				ilp_stale_note_fn note, void *ctx);

#endif
