/* SPDX-License-Identifier: MIT */
/*
 * sigfd: the commands' stop signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT; optionally
 * SIGCHLD) blocked and read from a signalfd in the poll loop, and the mask
 * they had before, for the children to restore before exec.
 */
#ifndef ILP_SIGFD_H
#define ILP_SIGFD_H

#include <signal.h>
#include <sys/signalfd.h>

struct ilp_sigfd {
	int fd;			/* signalfd (close-on-exec, non-blocking); -1: none */
	int mask_set;		/* oldmask is to be restored */
	sigset_t oldmask;	/* the mask before ilp_sigfd_init() */
};

/*
 * Blocks the stop signals (and SIGCHLD if with_sigchld) and opens a
 * signalfd for them.  0 or -errno; on failure s is left released.
 */
int ilp_sigfd_init(struct ilp_sigfd *s, int with_sigchld);
/* closes the fd and restores the old mask; safe on a released or {-1} struct */
void ilp_sigfd_release(struct ilp_sigfd *s);
/* the next pending signal into si: 1, or 0 when none is pending */
int ilp_sigfd_next(struct ilp_sigfd *s, struct signalfd_siginfo *si);

#endif
