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

/**
 * ilp_sigfd_init - blocks the stop signals and opens a signalfd for them
 * @s: the caller's struct, filled in; release it with ilp_sigfd_release()
 * @with_sigchld: non-zero to block and read SIGCHLD too
 *
 * The stop signals are SIGINT, SIGTERM, SIGHUP and SIGQUIT; the mask they
 * had before is kept in s for ilp_sigfd_release() (and for children to
 * restore before exec).
 *
 * Returns 0, or sigprocmask's or signalfd's -errno; on failure s is left
 * released (fd -1, the old mask back).
 */
int ilp_sigfd_init(struct ilp_sigfd *s, int with_sigchld);

/**
 * ilp_sigfd_release - closes the signalfd and restores the old mask
 * @s: the struct; safe on a released one or on {.fd = -1}
 *
 * A stop signal still pending (it came after the last read) is discarded
 * first, so that unblocking it does not kill the process with its default
 * action.
 */
void ilp_sigfd_release(struct ilp_sigfd *s);

/**
 * ilp_sigfd_next - reads the next pending signal
 * @s: the struct, initialised
 * @si: set to the signal's information
 *
 * Does not block (the fd is non-blocking).
 *
 * Returns 1 with *si set, or 0 when none is pending (or the read failed).
 */
int ilp_sigfd_next(struct ilp_sigfd *s, struct signalfd_siginfo *si);

#endif
