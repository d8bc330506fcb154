/* SPDX-License-Identifier: MIT */
#ifndef ILP_STATUS_H
#define ILP_STATUS_H

/*
 * The live status line of a running capture (src/cli/status.c): on a
 * terminal, one line on stderr redrawn about twice a second, cleared
 * before each report.
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_model;
struct ilp_report_info;
struct ilp_top_wait;

/* --status */
enum ilp_status_when {
	ILP_STATUS_AUTO,	/* when stderr is a terminal we are in the foreground of */
	ILP_STATUS_ALWAYS,
	ILP_STATUS_NEVER,
};

#define ILP_STATUS_NS 500000000ull	/* redrawn this often; the first after as long,
					 * so a short command draws none */

struct ilp_status {
	int on;			/* drawing */
	int shown;		/* a line is on the terminal now */
	uint64_t next;		/* CLOCK_MONOTONIC ns of the next redraw */
};

/**
 * ilp_status_wanted - whether to draw the status line
 * @when: the --status choice
 *
 * Returns 1 for ILP_STATUS_ALWAYS; for ILP_STATUS_AUTO, 1 when stderr is a
 * terminal whose foreground process group is ours; else 0.
 */
int ilp_status_wanted(enum ilp_status_when when);

/**
 * ilp_status_line - the status text
 * @buf: where to write it, NUL-terminated, control characters as '?'
 * @size: size of @buf
 * @elapsed_ns: time since tracing started
 * @events: events decoded so far
 * @lost: events the kernel lost so far
 * @top: the top wait so far (ilp_model_top_wait), or NULL before any call
 *
 * "iolockprof: 2.50 s, 1234 events, 0 lost; top wait: app read 1.20 s (pid 12)".
 *
 * Returns 0, or -EIO if formatting failed.
 */
int ilp_status_line(char *buf, size_t size, uint64_t elapsed_ns, uint64_t events,
		    uint64_t lost, const struct ilp_top_wait *top);

/**
 * ilp_status_draw - redraw the line if it is due
 * @st: the status; nothing happens unless @st->on
 * @m: the model, for the top wait
 * @now: CLOCK_MONOTONIC ns
 * @info: the capture's facts now (start_ts, events, lost)
 *
 * Draws at most every 500 ms, cut to the terminal's width.
 */
void ilp_status_draw(struct ilp_status *st, const struct ilp_model *m, uint64_t now,
		     const struct ilp_report_info *info);

/**
 * ilp_status_clear - erase the line, if one is shown
 * @st: the status
 *
 * Called before anything else is written to the terminal.
 */
void ilp_status_clear(struct ilp_status *st);

#endif
