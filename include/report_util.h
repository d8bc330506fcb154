/* SPDX-License-Identifier: MIT */
#ifndef ILP_REPORT_UTIL_H
#define ILP_REPORT_UTIL_H

/*
 * Formatting helpers shared by the human-readable reporters (text, html).
 * They format; they compute nothing about the trace.
 */

#include <stddef.h>
#include <stdint.h>

/* Longest string ilp_fmt_time() writes, NUL included ("18446744074 s"). */
#define ILP_FMT_TIME_LEN 24

/*
 * A duration in nanoseconds with its unit and 3 significant digits:
 * "999 ns", "1.00 us", "80.1 ms", "5.20 s" (rounded half up; a value that
 * rounds to 1000 of a unit moves to the next one: 999999 ns is "1.00 ms").
 * Seconds are the largest unit ("1234 s").  Returns what snprintf returns.
 */
int ilp_fmt_time(char *buf, size_t size, uint64_t ns);

/*
 * For drawing a log2 histogram (ilp_hist_log2): the first non-empty slot
 * of slot[0..n) (-1 if all are empty) and the largest count, which the
 * bars are scaled to.
 */
void ilp_slots_span(const uint64_t *slot, int n, int *first, uint64_t *peak);

#endif
