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

/**
 * ilp_jw_init - starts a writer on a stream
 * @w: the writer, filled (the caller's; nothing to release)
 * @f: the stream the output goes to; borrowed: it must outlive the
 *	writer, which never closes it
 * @pretty: 1: indent two spaces per level, one member per line; 0: compact
 */
void ilp_jw_init(struct ilp_jw *w, FILE *f, int pretty);

/**
 * ilp_jw_obj_begin - opens an object ("{")
 * @w: the writer
 *
 * Nesting deeper than ILP_JSON_WRITER_DEPTH is a caller's bug: w->err
 * becomes -E2BIG and later output is skipped.
 */
void ilp_jw_obj_begin(struct ilp_jw *w);

/**
 * ilp_jw_obj_end - closes the object ("}")
 * @w: the writer
 */
void ilp_jw_obj_end(struct ilp_jw *w);

/**
 * ilp_jw_arr_begin - opens an array ("[")
 * @w: the writer
 *
 * Nesting deeper than ILP_JSON_WRITER_DEPTH is a caller's bug: w->err
 * becomes -E2BIG and later output is skipped.
 */
void ilp_jw_arr_begin(struct ilp_jw *w);

/**
 * ilp_jw_arr_end - closes the array ("]")
 * @w: the writer
 */
void ilp_jw_arr_end(struct ilp_jw *w);

/**
 * ilp_jw_key - writes an object member's key; its value comes next
 * @w: the writer
 * @key: the key (NUL-terminated, not NULL), escaped here
 */
void ilp_jw_key(struct ilp_jw *w, const char *key);

/**
 * ilp_jw_str - writes a string value
 * @w: the writer
 * @s: the string (NUL-terminated), escaped here; NULL writes ""
 */
void ilp_jw_str(struct ilp_jw *w, const char *s);

/**
 * ilp_jw_strn - writes a string value of a given length
 * @w: the writer
 * @s: the bytes (NULs included), escaped here; NULL writes ""
 * @len: how many bytes of s
 */
void ilp_jw_strn(struct ilp_jw *w, const char *s, size_t len);

/**
 * ilp_jw_u64 - writes an unsigned integer value
 * @w: the writer
 * @v: the value
 */
void ilp_jw_u64(struct ilp_jw *w, uint64_t v);

/**
 * ilp_jw_i64 - writes a signed integer value
 * @w: the writer
 * @v: the value
 */
void ilp_jw_i64(struct ilp_jw *w, int64_t v);

/**
 * ilp_jw_bool - writes true or false
 * @w: the writer
 * @v: non-zero: true
 */
void ilp_jw_bool(struct ilp_jw *w, int v);

/**
 * ilp_jw_null - writes null
 * @w: the writer
 */
void ilp_jw_null(struct ilp_jw *w);

/**
 * ilp_jw_ns_as_us - writes nanoseconds as microseconds
 * @w: the writer
 * @ns: the time in nanoseconds
 *
 * A number with 3 decimals ("1234.567"), exact, no float.
 */
void ilp_jw_ns_as_us(struct ilp_jw *w, uint64_t ns);

/**
 * ilp_jw_kstr - writes a member with a string value
 * @w: the writer
 * @key: the key (not NULL)
 * @s: the value; NULL writes ""
 */
void ilp_jw_kstr(struct ilp_jw *w, const char *key, const char *s);

/**
 * ilp_jw_ku64 - writes a member with an unsigned integer value
 * @w: the writer
 * @key: the key (not NULL)
 * @v: the value
 */
void ilp_jw_ku64(struct ilp_jw *w, const char *key, uint64_t v);

/**
 * ilp_jw_ki64 - writes a member with a signed integer value
 * @w: the writer
 * @key: the key (not NULL)
 * @v: the value
 */
void ilp_jw_ki64(struct ilp_jw *w, const char *key, int64_t v);

/**
 * ilp_jw_kbool - writes a member with a true or false value
 * @w: the writer
 * @key: the key (not NULL)
 * @v: non-zero: true
 */
void ilp_jw_kbool(struct ilp_jw *w, const char *key, int v);

/**
 * ilp_jw_ku64_or_null - writes a member whose value may be unknown
 * @w: the writer
 * @key: the key (not NULL)
 * @have: non-zero: the value is v; 0: it is null
 * @v: the value when have
 */
void ilp_jw_ku64_or_null(struct ilp_jw *w, const char *key, int have, uint64_t v);

/**
 * ilp_jw_kstr_or_null - writes a string member that may be unknown
 * @w: the writer
 * @key: the key (not NULL)
 * @s: the string, or NULL: the value is null
 */
void ilp_jw_kstr_or_null(struct ilp_jw *w, const char *key, const char *s);

/**
 * ilp_jw_finish - ends the output with a newline and flushes
 * @w: the writer; its stream stays open (the caller's)
 *
 * Returns 0, or the first error (also in w->err): a failed write's
 * -errno (-EIO when it set none), -EIO when the flush failed, -E2BIG when
 * the nesting went past ILP_JSON_WRITER_DEPTH.
 */
int ilp_jw_finish(struct ilp_jw *w);

/**
 * ilp_json_escape - JSON-escapes bytes into a caller's buffer
 * @buf: where the escaped text goes, without the quotes (the caller's)
 * @size: bytes at buf, the NUL included (0: nothing is written)
 * @s: the bytes
 * @len: how many bytes of s
 *
 * The escape the writer uses (see above), NUL-terminated, truncated at a
 * character boundary.  For tests and for callers that build strings.
 *
 * Returns the length the full escape needs, like snprintf: the text was
 * cut if that is >= size.
 */
size_t ilp_json_escape(char *buf, size_t size, const char *s, size_t len);

/**
 * ilp_utf8_seq - the length of the UTF-8 character at s
 * @s: the bytes
 * @len: bytes available at s
 *
 * Shared with the HTML escaper.
 *
 * Returns the length (1-4) of the valid UTF-8 sequence at s[0..len), or
 * 0 if the bytes there are not one (overlong, surrogate, > U+10FFFF,
 * truncated) or len is 0.
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

/**
 * ilp_json_parse - parses a JSON text
 * @text: the text (need not be NUL-terminated); borrowed for the call only
 * @len: bytes at text
 * @lim: depth and size limits; NULL: the defaults
 * @out: set to the document, to free with ilp_json_doc_free(); NULL on error
 * @err: set to where and what the error is (zeroed on success); may be NULL
 *
 * Returns 0, -EINVAL (bad JSON: *err says where and what), -E2BIG (size
 * or depth limit: *err too), or -ENOMEM.
 */
int ilp_json_parse(const char *text, size_t len, const struct ilp_json_limits *lim,
		   struct ilp_json_doc **out, struct ilp_json_error *err);

/**
 * ilp_json_parse_file - reads and parses a whole file
 * @path: the file
 * @lim: depth and size limits; NULL: the defaults
 * @out: set to the document, to free with ilp_json_doc_free(); NULL on error
 * @err: set to where and what a parse error is (zeroed otherwise); may be NULL
 *
 * Returns 0 or what ilp_json_parse() returns, or the -errno of open or
 * read; -E2BIG (err->msg says so, no position) for a file larger than the
 * size limit.
 */
int ilp_json_parse_file(const char *path, const struct ilp_json_limits *lim,
			struct ilp_json_doc **out, struct ilp_json_error *err);

/**
 * ilp_json_doc_free - frees a document and every value in it
 * @d: the document; NULL is a no-op
 *
 * Every value, key and string got from it is dangling afterwards.
 */
void ilp_json_doc_free(struct ilp_json_doc *d);

/**
 * ilp_json_root - the document's top-level value
 * @d: the document; may be NULL
 *
 * Returns the root value, owned by d; NULL if d is NULL.
 */
const struct ilp_json *ilp_json_root(const struct ilp_json_doc *d);

/**
 * ilp_json_type - the type of a value
 * @v: the value; may be NULL
 *
 * Returns its type; ILP_JSON_NULL for NULL.
 */
enum ilp_json_type ilp_json_type(const struct ilp_json *v);

/**
 * ilp_json_len - the number of members or elements
 * @v: an object or array; may be NULL
 *
 * Returns the members of an object or elements of an array; 0 for other
 * types or NULL.
 */
size_t ilp_json_len(const struct ilp_json *v);

/**
 * ilp_json_at - the i-th member value or element
 * @v: an object or array; may be NULL
 * @i: the index, < ilp_json_len(v)
 *
 * Returns the value (owned by the document), or NULL if i is out of range
 * or v is not an object or array.
 */
const struct ilp_json *ilp_json_at(const struct ilp_json *v, size_t i);

/**
 * ilp_json_key_at - the i-th member's key
 * @obj: an object; may be NULL
 * @i: the index, < ilp_json_len(obj)
 *
 * Returns the key (NUL-terminated, owned by the document), or NULL if i
 * is out of range or obj is not an object.
 */
const char *ilp_json_key_at(const struct ilp_json *obj, size_t i);

/**
 * ilp_json_get - an object's member by key
 * @obj: an object; may be NULL
 * @key: the key (not NULL)
 *
 * Duplicate keys are kept in the document: this finds the first.
 *
 * Returns the member's value (owned by the document), or NULL if obj is
 * not an object or has no such key.
 */
const struct ilp_json *ilp_json_get(const struct ilp_json *obj, const char *key);

/**
 * ilp_json_str - a string value
 * @v: the value; may be NULL
 * @len: set to the string's length in bytes when v is a string; may be NULL
 *
 * Returns the string (NUL-terminated, but it may hold NULs: see len; owned
 * by the document), or NULL if v is not a string.
 */
const char *ilp_json_str(const struct ilp_json *v, size_t *len);

/**
 * ilp_json_bool - a true or false value
 * @v: the value; may be NULL
 *
 * Returns 1 for true, 0 for false, -1 if v is not a bool.
 */
int ilp_json_bool(const struct ilp_json *v);

/**
 * ilp_json_u64 - an integer value as a u64
 * @v: the value; may be NULL
 * @out: set to the value on success
 *
 * Returns 0, -EINVAL if v is not a number that is an integer without
 * fraction or exponent, or -ERANGE if it is negative or too large.
 */
int ilp_json_u64(const struct ilp_json *v, uint64_t *out);

/**
 * ilp_json_i64 - an integer value as an i64
 * @v: the value; may be NULL
 * @out: set to the value on success
 *
 * Returns 0, -EINVAL if v is not a number that is an integer without
 * fraction or exponent, or -ERANGE if it does not fit.
 */
int ilp_json_i64(const struct ilp_json *v, int64_t *out);

/**
 * ilp_json_double - any number as a double
 * @v: the value; may be NULL
 * @out: set to the value on success
 *
 * Returns 0, or -EINVAL if v is not a number.
 */
int ilp_json_double(const struct ilp_json *v, double *out);

/**
 * ilp_json_get_u64 - obj[key] as a u64, with a default
 * @obj: an object; may be NULL
 * @key: the key (not NULL)
 * @dflt: what to return when obj[key] is absent or not a u64
 *
 * Returns the member's value (ilp_json_u64), or dflt.
 */
uint64_t ilp_json_get_u64(const struct ilp_json *obj, const char *key, uint64_t dflt);

/**
 * ilp_json_get_str - obj[key] as a string
 * @obj: an object; may be NULL
 * @key: the key (not NULL)
 *
 * Returns the string (owned by the document), or NULL if absent or not a
 * string.
 */
const char *ilp_json_get_str(const struct ilp_json *obj, const char *key);

#endif
