// SPDX-License-Identifier: MIT
/* sigfd: stop signals through a signalfd; see include/sigfd.h. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sigfd.h"

int ilp_sigfd_init(struct ilp_sigfd *s, int with_sigchld)
{
	sigset_t set;
	int err;

	s->fd = -1;
	s->mask_set = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	if (with_sigchld)
		sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, &s->oldmask))
		return -errno;
	s->mask_set = 1;
	s->fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->fd < 0) {
		err = -errno;
		ilp_sigfd_release(s);
		return err;
	}
	return 0;
}

void ilp_sigfd_release(struct ilp_sigfd *s)
{
	static const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction ign, old;
	size_t i;

	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->mask_set) {
		/*
		 * A stop signal that came after the loop's last read (during
		 * the final report) is still pending: unblocked, it would kill
		 * us with its default action after the capture ended in order,
		 * and turn run's exit status into 130.  Ignoring a signal
		 * discards its pending instance; then the old action is back.
		 */
		memset(&ign, 0, sizeof(ign));
		ign.sa_handler = SIG_IGN;
		for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
			if (!sigaction(stops[i], &ign, &old))
				sigaction(stops[i], &old, NULL);
		sigprocmask(SIG_SETMASK, &s->oldmask, NULL);
	}
	s->mask_set = 0;
}

int ilp_sigfd_next(struct ilp_sigfd *s, struct signalfd_siginfo *si)
{
	return read(s->fd, si, sizeof(*si)) == (ssize_t)sizeof(*si);
}
