/* SPDX-License-Identifier: MIT */
#ifndef ILP_FMT_H
#define ILP_FMT_H

/*
 * Time formatting, shared vocabulary: the detectors write it into their
 * findings' texts and the reporters into tables, the same way.
 */

#include <stddef.h>
#include <stdint.h>

/* Longest string ilp_fmt_time() writes, NUL included ("18446744074 s"). */
#define ILP_FMT_TIME_LEN 24

/**
 * ilp_fmt_time - formats a duration with its unit
 * @buf: where the text goes (the caller's; ILP_FMT_TIME_LEN always suffices)
 * @size: bytes at buf, the NUL included
 * @ns: the duration in nanoseconds
 *
 * A duration with its unit and 3 significant digits: "999 ns", "1.00 us",
 * "80.1 ms", "5.20 s" (rounded half up; a value that rounds to 1000 of a
 * unit moves to the next one: 999999 ns is "1.00 ms").  Seconds are the
 * largest unit ("1234 s").
 *
 * Returns what snprintf returns: the length of the full text.
 */
int ilp_fmt_time(char *buf, size_t size, uint64_t ns);

#endif
