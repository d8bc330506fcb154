/* SPDX-License-Identifier: MIT */
#ifndef ILP_JSON_H
#define ILP_JSON_H

/*
 * JSON for the machine-readable reports: a writer (report_json.c,
 * report_perfetto.c) and a small, strict parser (cmd_diff.c, tests).
 *
 * Writer: streams to a FILE *, inserts commas and (when pretty)
 * indentation itself, escapes strings (", \, control characters as \uXXXX
 * or their short forms; invalid UTF-8 bytes become \ufffd).  The first
 * failed write is remembered in err and later output is skipped.
 *
 * Parser: RFC 8259, strict: no comments, no trailing commas, no leading
 * zeros, no NaN/Infinity, no raw control characters or invalid UTF-8 in
 * strings, lone surrogate escapes rejected, nothing but whitespace after
 * the value.  Limits on nesting depth and input size (ILP_JSON_MAX_DEPTH,
 * ILP_JSON_MAX_SIZE by default).  Errors carry the 1-based line and column
 * (in bytes) of the offending character.  Duplicate object keys are kept;
 * ilp_json_get() returns the first.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- writer ---- */

#define ILP_JSON_WRITER_DEPTH 32

struct ilp_jw {
	FILE *f;
	int err;		/* 0, or -EIO after a failed write */
	int pretty;		/* indent two spaces per level, one member per line */
	int depth;
	int need_comma[ILP_JSON_WRITER_DEPTH];
	int after_key;		/* a key was just written: no comma/newline before the value */
};

void ilp_jw_init(struct ilp_jw *w, FILE *f, int pretty);
void ilp_jw_obj_begin(struct ilp_jw *w);
void ilp_jw_obj_end(struct ilp_jw *w);
void ilp_jw_arr_begin(struct ilp_jw *w);
void ilp_jw_arr_end(struct ilp_jw *w);
void ilp_jw_key(struct ilp_jw *w, const char *key);
void ilp_jw_str(struct ilp_jw *w, const char *s);
void ilp_jw_strn(struct ilp_jw *w, const char *s, size_t len);
void ilp_jw_u64(struct ilp_jw *w, uint64_t v);
void ilp_jw_i64(struct ilp_jw *w, int64_t v);
void ilp_jw_bool(struct ilp_jw *w, int v);
void ilp_jw_null(struct ilp_jw *w);
/* ns as microseconds with 3 decimals ("1234.567"), exact, no float */
void ilp_jw_ns_as_us(struct ilp_jw *w, uint64_t ns);
/* key + value shorthands */
void ilp_jw_kstr(struct ilp_jw *w, const char *key, const char *s);
void ilp_jw_ku64(struct ilp_jw *w, const char *key, uint64_t v);
void ilp_jw_ki64(struct ilp_jw *w, const char *key, int64_t v);
void ilp_jw_kbool(struct ilp_jw *w, const char *key, int v);
/* key + v when have, key + null when not */
void ilp_jw_ku64_or_null(struct ilp_jw *w, const char *key, int have, uint64_t v);
/* ends the output with a newline, flushes; returns 0 or -EIO */
int ilp_jw_finish(struct ilp_jw *w);

/*
 * Writes s (len bytes) JSON-escaped, without the quotes, to buf of size
 * bytes (NUL-terminated, truncated at a character boundary).  Returns the
 * length the full escape needs (like snprintf).  For tests and for callers
 * that build strings.
 */
size_t ilp_json_escape(char *buf, size_t size, const char *s, size_t len);

/*
 * Length (1-4) of the valid UTF-8 sequence at s[0..len), or 0 if the bytes
 * there are not one (overlong, surrogate, > U+10FFFF, truncated); len > 0.
 * Shared with the HTML escaper.
 */
size_t ilp_utf8_seq(const char *s, size_t len);

/* ---- parser ---- */

#define ILP_JSON_MAX_DEPTH 64
#define ILP_JSON_MAX_SIZE (64u << 20)	/* bytes */

enum ilp_json_type {
	ILP_JSON_NULL,
	ILP_JSON_BOOL,
	ILP_JSON_NUMBER,
	ILP_JSON_STRING,
	ILP_JSON_ARRAY,
	ILP_JSON_OBJECT,
};

struct ilp_json;		/* one value; owned by its document */
struct ilp_json_doc;

struct ilp_json_limits {
	int max_depth;		/* arrays/objects nested deeper fail; 0: default */
	size_t max_size;	/* longer input fails; 0: default */
};

struct ilp_json_error {
	int line, col;		/* 1-based; 0 when the error has no position (ENOMEM) */
	char msg[96];
};

/*
 * Parses text[0..len).  0 and *out, or -EINVAL (bad JSON, *err says where
 * and what), -E2BIG (size or depth limit, *err too), -ENOMEM.  lim may be
 * NULL (defaults).
 */
int ilp_json_parse(const char *text, size_t len, const struct ilp_json_limits *lim,
		   struct ilp_json_doc **out, struct ilp_json_error *err);
/* Reads and parses a whole file; -errno of open/read as well. */
int ilp_json_parse_file(const char *path, const struct ilp_json_limits *lim,
			struct ilp_json_doc **out, struct ilp_json_error *err);
void ilp_json_doc_free(struct ilp_json_doc *d);	/* NULL is a no-op */

const struct ilp_json *ilp_json_root(const struct ilp_json_doc *d);

enum ilp_json_type ilp_json_type(const struct ilp_json *v);
/* members of an object or elements of an array; 0 for other types or NULL */
size_t ilp_json_len(const struct ilp_json *v);
const struct ilp_json *ilp_json_at(const struct ilp_json *v, size_t i);
const char *ilp_json_key_at(const struct ilp_json *obj, size_t i);
/* member key of an object, NULL if v is not an object or has no such key */
const struct ilp_json *ilp_json_get(const struct ilp_json *obj, const char *key);
/* string value (NUL-terminated; may hold NULs, see len), NULL if not a string */
const char *ilp_json_str(const struct ilp_json *v, size_t *len);
int ilp_json_bool(const struct ilp_json *v);	/* 1 true, 0 false, -1 not a bool */
/*
 * A number that is an integer without fraction or exponent, in range:
 * 0 and *out, else -EINVAL (not such a number) or -ERANGE.
 */
int ilp_json_u64(const struct ilp_json *v, uint64_t *out);
int ilp_json_i64(const struct ilp_json *v, int64_t *out);
/* any number as a double; 0 or -EINVAL */
int ilp_json_double(const struct ilp_json *v, double *out);

/* obj[key] as u64 with a default when absent or not an integer */
uint64_t ilp_json_get_u64(const struct ilp_json *obj, const char *key, uint64_t dflt);
/* obj[key] as a string, or NULL */
const char *ilp_json_get_str(const struct ilp_json *obj, const char *key);

#endif
