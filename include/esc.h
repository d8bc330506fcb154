/* SPDX-License-Identifier: MIT */
#ifndef ILP_ESC_H
#define ILP_ESC_H

/*
 * Text the tracee or a trace file supplies (paths, comm, the command line,
 * lock and function names, facts read from a trace.dat), made safe for a
 * terminal: what the text and folded reports print goes through here, so
 * no control character, terminal escape or newline of theirs reaches the
 * screen and a line stays one line.
 *
 * Escaped, each byte as \xNN (two lower-case hex digits):
 *   - control characters: C0 (U+0000..U+001F), DEL, and the C1 range
 *     U+0080..U+009F (as their two UTF-8 bytes);
 *   - the bidirectional controls U+202A..U+202E and U+2066..U+2069
 *     (text that reads differently from what it is);
 *   - every byte that is not part of a valid UTF-8 sequence.
 * A backslash becomes "\\", so an escape in the output always means one.
 * Everything else (printable ASCII, valid UTF-8) passes unchanged.
 */

#include <stddef.h>
#include <stdio.h>

/**
 * ilp_esc - escapes s into a caller's buffer
 * @buf: where the escaped text goes (the caller's)
 * @size: bytes at buf, the NUL included
 * @s: the text; NULL is taken as ""
 *
 * The escaped s, NUL-terminated, cut at a whole character or escape when
 * it does not fit.  A size of 0 writes nothing (not even the NUL).
 *
 * Returns buf.
 */
char *ilp_esc(char *buf, size_t size, const char *s);

/**
 * ilp_esc_dup - escapes s, whole, into a new string
 * @s: the text; NULL is taken as ""
 *
 * Returns the escaped s in a malloc'd string the caller frees with free(),
 * or NULL on ENOMEM.
 */
char *ilp_esc_dup(const char *s);

/**
 * ilp_esc_clean - tells whether s needs no escape
 * @s: the text; NULL is taken as ""
 *
 * Returns 1 if ilp_esc() would return s unchanged, else 0.
 */
int ilp_esc_clean(const char *s);

/**
 * ilp_esc_fputs - writes s escaped to a stream
 * @s: the text, any length; NULL is taken as ""
 * @f: the stream
 *
 * Returns 0, or EOF on a write error (what was written before it stays).
 */
int ilp_esc_fputs(const char *s, FILE *f);

/*
 * A few buffers for the strings of one printf: ilp_escv(&v, s) returns s
 * escaped in the next buffer (each holds ILP_ESC_CELL bytes; a longer
 * result is cut at a whole character).  Declare one per function:
 * struct ilp_escv v = { .i = 0 };
 */
#define ILP_ESC_CELL 1024
#define ILP_ESC_NBUF 4
struct ilp_escv {
	char b[ILP_ESC_NBUF][ILP_ESC_CELL];
	unsigned i;
};

/**
 * ilp_escv - escapes s into the next buffer of v
 * @v: the buffers, one set per function (struct ilp_escv v = { .i = 0 })
 * @s: the text; NULL is taken as ""
 *
 * The buffers are used in turn: the result stays valid for the next
 * ILP_ESC_NBUF - 1 calls on the same v, enough for the strings of one
 * printf.  A
 * result longer than ILP_ESC_CELL bytes is cut at a whole character.
 *
 * Returns the escaped s, inside v.
 */
static inline const char *ilp_escv(struct ilp_escv *v, const char *s)
{
	char *b = v->b[v->i++ % ILP_ESC_NBUF];

	return ilp_esc(b, ILP_ESC_CELL, s);
}

#endif
