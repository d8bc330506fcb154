/* SPDX-License-Identifier: MIT */
#ifndef ILP_OUTBUF_H
#define ILP_OUTBUF_H

/*
 * The output sink every reporter writes through: a FILE * and the first
 * failed write (-EIO), after which later writes are skipped, so a
 * reporter checks once at the end instead of after every printf.
 *
 * struct ilp_out is for reporters that own their sink; the (FILE *, int
 * *err) forms serve writers that keep the pair in a struct of their own
 * (struct ilp_jw in json.h).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct ilp_out {
	FILE *f;
	int err;		/* 0, or -EIO after the first failed write */
};

/* vfprintf / fwrite to f unless *err is set; a failure sets *err = -EIO */
void ilp_out_vprintf(FILE *f, int *err, const char *fmt, va_list ap);
void ilp_out_write(FILE *f, int *err, const void *s, size_t n);

__attribute__((format(printf, 2, 3)))
void ilp_out_printf(struct ilp_out *o, const char *fmt, ...);

/* s escaped for a terminal (esc.h), any length */
void ilp_out_esc(struct ilp_out *o, const char *s);

/* flushes; returns o->err, or -EIO if the flush or an earlier write failed */
int ilp_out_finish(struct ilp_out *o);

#endif
