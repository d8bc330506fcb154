/* SPDX-License-Identifier: MIT */
#ifndef ILP_DIFFMASK_H
#define ILP_DIFFMASK_H

/*
 * The names diff matches entries by, with what differs from run to run of
 * the same program masked as '*' (see docs/iolockprof.1, DIFF):
 *
 *   pipe:[305833], socket:[12]       inode numbers        -> pipe:[*]
 *   [anon]@0x7f97e8c0c990            addresses (ASLR)     -> [anon]@0x*
 *   wait4 child:15227                process ids          -> wait4 child:*
 *   127.0.0.1:50566 -> 10.0.0.2:5432 ephemeral ports      -> 127.0.0.1:* -> 10.0.0.2:5432
 *                                    (Linux's default range, 32768-60999)
 *   /var/tmp/demo-5o5K7O             temporary-file names -> /var/tmp/demo-*
 *                                    a last path component's suffix after
 *                                    '.', '-' or '_' of 6 to 12 letters and
 *                                    digits mixing two of upper case, lower
 *                                    case and digits (mkstemp's); under
 *                                    /tmp, /var/tmp and /dev/shm any such
 *                                    suffix of any component, tmpXXXXXXXX
 *                                    (Python) and #1234 (O_TMPFILE)
 *   /proc/1234/status, /dev/pts/3    process, terminal    -> the number masked
 *   file /x (name from call argument)  how the name was found -> file /x
 *   file /x (deleted)                 unlinked in one run  -> file /x
 *
 * Entries whose masked names are equal are summed, as processes of the
 * same name are.
 */

#include <stddef.h>

/**
 * ilp_diff_mask - the name diff matches an entry by
 * @name: the entry's name as the report gives it (not NULL)
 * @out: where the masked name goes (the caller's)
 * @size: bytes at out, the NUL included
 *
 * Masks what differs from run to run in name, as listed above; also
 * "(name lost: WHY)" becomes "(name lost)", since why depends on the run's
 * timing.  Pure.  out is always NUL-terminated, the name truncated to
 * size; a size of 0 writes nothing.
 */
void ilp_diff_mask(const char *name, char *out, size_t size);

#endif
