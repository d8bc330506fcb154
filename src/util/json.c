// SPDX-License-Identifier: MIT
/*
 * JSON writer and strict parser (see include/json.h for the contract).
 * Not on a hot path: the writer runs once per report, the parser once per
 * diff input.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "outbuf.h"

/* ---- UTF-8 ---- */

/*
 * Length of the valid UTF-8 sequence at s[0..len), or 0 if the bytes there
 * are not one (overlong forms, surrogates, > U+10FFFF, truncation).
 */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t ilp_utf8_seq(const char *s, size_t len)
{
	return len ? utf8_seq((const unsigned char *)s, len) : 0;
}

/* ---- escaping ---- */

/*
 * Escape of one character at s[*i]: writes it to out (at most 7 bytes:
 * "\u00XX" or a UTF-8 sequence of up to 4 bytes or "\ufffd"), advances *i,
 * returns its length.
 */
static size_t escape_one(const char *s, size_t len, size_t *i, char out[8])
{
	unsigned char c = (unsigned char)s[*i];
	size_t n;

	switch (c) {
	case '"': memcpy(out, "\\\"", 2); (*i)++; return 2;
	case '\\': memcpy(out, "\\\\", 2); (*i)++; return 2;
	case '\n': memcpy(out, "\\n", 2); (*i)++; return 2;
	case '\r': memcpy(out, "\\r", 2); (*i)++; return 2;
	case '\t': memcpy(out, "\\t", 2); (*i)++; return 2;
	case '\b': memcpy(out, "\\b", 2); (*i)++; return 2;
	case '\f': memcpy(out, "\\f", 2); (*i)++; return 2;
	default:
		break;
	}
	if (c < 0x20 || c == 0x7f) {
		snprintf(out, 8, "\\u%04x", c);
		(*i)++;
		return 6;
	}
	n = utf8_seq((const unsigned char *)s + *i, len - *i);
	if (!n) {
		memcpy(out, "\\ufffd", 6);
		(*i)++;
		return 6;
	}
	memcpy(out, s + *i, n);
	*i += n;
	return n;
}

size_t ilp_json_escape(char *buf, size_t size, const char *s, size_t len)
{
	size_t i = 0, used = 0, need = 0, n;
	char one[8];
	int full = 0;

	while (i < len) {
		n = escape_one(s, len, &i, one);
		need += n;
		if (!full && used + n < size) {
			memcpy(buf + used, one, n);
			used += n;
		} else {
			full = 1;
		}
	}
	if (size)
		buf[used] = '\0';
	return need;
}

/* ---- writer ---- */

__attribute__((format(printf, 2, 3)))
static void jw_printf(struct ilp_jw *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ilp_out_vprintf(w->f, &w->err, fmt, ap);
	va_end(ap);
}

static void jw_put(struct ilp_jw *w, const char *s, size_t n)
{
	ilp_out_write(w->f, &w->err, s, n);
}

static void jw_newline(struct ilp_jw *w)
{
	if (!w->pretty)
		return;
	jw_put(w, "\n", 1);
	for (int i = 0; i < w->depth; i++)
		jw_put(w, "  ", 2);
}

/* before any value or key: comma and newline as the container needs */
static void jw_sep(struct ilp_jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth <= 0)
		return;
	if (w->need_comma[w->depth - 1])
		jw_put(w, ",", 1);
	w->need_comma[w->depth - 1] = 1;
	jw_newline(w);
}

void ilp_jw_init(struct ilp_jw *w, FILE *f, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = pretty;
}

static void jw_open(struct ilp_jw *w, char c)
{
	jw_sep(w);
	jw_put(w, &c, 1);
	if (w->depth >= ILP_JSON_WRITER_DEPTH) {
		w->err = -E2BIG;	/* a reporter bug, not data */
		return;
	}
	w->need_comma[w->depth++] = 0;
}

static void jw_close(struct ilp_jw *w, char c)
{
	int had = w->depth > 0 && w->need_comma[w->depth - 1];

	if (w->depth > 0)
		w->depth--;
	if (had)
		jw_newline(w);
	jw_put(w, &c, 1);
}

void ilp_jw_obj_begin(struct ilp_jw *w) { jw_open(w, '{'); }
void ilp_jw_obj_end(struct ilp_jw *w) { jw_close(w, '}'); }
void ilp_jw_arr_begin(struct ilp_jw *w) { jw_open(w, '['); }
void ilp_jw_arr_end(struct ilp_jw *w) { jw_close(w, ']'); }

static void jw_quoted(struct ilp_jw *w, const char *s, size_t len)
{
	size_t i = 0, n;
	char one[8];

	jw_put(w, "\"", 1);
	while (i < len) {
		n = escape_one(s, len, &i, one);
		jw_put(w, one, n);
	}
	jw_put(w, "\"", 1);
}

void ilp_jw_key(struct ilp_jw *w, const char *key)
{
	jw_sep(w);
	jw_quoted(w, key, strlen(key));
	jw_put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = 1;
}

void ilp_jw_strn(struct ilp_jw *w, const char *s, size_t len)
{
	jw_sep(w);
	jw_quoted(w, s ? s : "", s ? len : 0);
}

void ilp_jw_str(struct ilp_jw *w, const char *s)
{
	ilp_jw_strn(w, s, s ? strlen(s) : 0);
}

void ilp_jw_u64(struct ilp_jw *w, uint64_t v)
{
	jw_sep(w);
	jw_printf(w, "%" PRIu64, v);
}

void ilp_jw_i64(struct ilp_jw *w, int64_t v)
{
	jw_sep(w);
	jw_printf(w, "%" PRId64, v);
}

void ilp_jw_bool(struct ilp_jw *w, int v)
{
	jw_sep(w);
	jw_printf(w, "%s", v ? "true" : "false");
}

void ilp_jw_null(struct ilp_jw *w)
{
	jw_sep(w);
	jw_printf(w, "null");
}

void ilp_jw_ns_as_us(struct ilp_jw *w, uint64_t ns)
{
	jw_sep(w);
	jw_printf(w, "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
}

void ilp_jw_kstr(struct ilp_jw *w, const char *key, const char *s)
{
	ilp_jw_key(w, key);
	ilp_jw_str(w, s);
}

void ilp_jw_ku64(struct ilp_jw *w, const char *key, uint64_t v)
{
	ilp_jw_key(w, key);
	ilp_jw_u64(w, v);
}

void ilp_jw_ki64(struct ilp_jw *w, const char *key, int64_t v)
{
	ilp_jw_key(w, key);
	ilp_jw_i64(w, v);
}

void ilp_jw_ku64_or_null(struct ilp_jw *w, const char *key, int have, uint64_t v)
{
	ilp_jw_key(w, key);
	if (have)
		ilp_jw_u64(w, v);
	else
		ilp_jw_null(w);
}

void ilp_jw_kstr_or_null(struct ilp_jw *w, const char *key, const char *s)
{
	ilp_jw_key(w, key);
	if (s)
		ilp_jw_str(w, s);
	else
		ilp_jw_null(w);
}

void ilp_jw_kbool(struct ilp_jw *w, const char *key, int v)
{
	ilp_jw_key(w, key);
	ilp_jw_bool(w, v);
}

int ilp_jw_finish(struct ilp_jw *w)
{
	jw_put(w, "\n", 1);
	if (!w->err && (fflush(w->f) || ferror(w->f)))
		w->err = -EIO;
	return w->err;
}

/* ---- parser ---- */

struct ilp_json {
	enum ilp_json_type type;
	union {
		int b;
		struct {
			double d;
			int is_int;	/* no fraction, no exponent */
			int neg;
			int overflow;	/* magnitude > UINT64_MAX */
			uint64_t mag;
		} num;
		struct {
			char *s;
			size_t len;
		} str;
		struct {
			struct ilp_json **v;
			char **k;	/* objects only */
			size_t n, cap;
		} c;
	};
};

struct ilp_json_doc {
	struct ilp_json *root;
};

struct parser {
	const char *s;
	size_t len, pos;
	int max_depth;
	struct ilp_json_error *err;
	int code;		/* first error */
};

static void value_free(struct ilp_json *v)
{
	size_t i;

	if (!v)
		return;
	if (v->type == ILP_JSON_STRING) {
		free(v->str.s);
	} else if (v->type == ILP_JSON_ARRAY || v->type == ILP_JSON_OBJECT) {
		for (i = 0; i < v->c.n; i++) {
			value_free(v->c.v[i]);
			if (v->c.k)
				free(v->c.k[i]);
		}
		free(v->c.v);
		free(v->c.k);
	}
	free(v);
}

__attribute__((format(printf, 4, 5)))
static int fail_at(struct parser *p, size_t pos, int code, const char *fmt, ...)
{
	va_list ap;
	size_t i;
	int line = 1, col = 1;

	if (p->code)
		return p->code;
	p->code = code;
	if (!p->err)
		return code;
	if (code != -ENOMEM) {
		for (i = 0; i < pos && i < p->len; i++) {
			if (p->s[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
	} else {
		line = col = 0;
	}
	p->err->line = line;
	p->err->col = col;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return code;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static const char *describe(struct parser *p, char buf[16])
{
	unsigned char c;

	if (p->pos >= p->len)
		return "end of input";
	c = (unsigned char)p->s[p->pos];
	if (c >= 0x21 && c < 0x7f)
		snprintf(buf, 16, "'%c'", c);
	else
		snprintf(buf, 16, "byte 0x%02x", c);
	return buf;
}

static struct ilp_json *node_new(struct parser *p, enum ilp_json_type t)
{
	struct ilp_json *v = calloc(1, sizeof(*v));

	if (!v)
		fail_at(p, p->pos, -ENOMEM, "out of memory");
	else
		v->type = t;
	return v;
}

static int parse_value(struct parser *p, int depth, struct ilp_json **out);

static int hex4(struct parser *p, size_t at, uint32_t *out)
{
	uint32_t v = 0;

	if (at + 4 > p->len)
		return fail_at(p, at, -EINVAL, "truncated \\u escape");
	for (size_t i = 0; i < 4; i++) {
		char c = p->s[at + i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return fail_at(p, at + i, -EINVAL, "bad hex digit in \\u escape");
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* p->pos at the opening quote; decoded string into *s (malloc'd), *len */
static int parse_string(struct parser *p, char **s, size_t *len)
{
	size_t start = ++p->pos, end = start, n = 0;
	char *o;

	/* bound the output: decoding never grows the text */
	while (end < p->len && p->s[end] != '"') {
		if (p->s[end] == '\\')
			end++;
		end++;
	}
	if (end >= p->len)
		return fail_at(p, start - 1, -EINVAL, "unterminated string");
	o = malloc(end - start + 1);
	if (!o)
		return fail_at(p, p->pos, -ENOMEM, "out of memory");
	while (p->pos < end) {
		unsigned char c = (unsigned char)p->s[p->pos];
		uint32_t cp, lo;
		size_t k;

		if (c < 0x20) {
			free(o);
			return fail_at(p, p->pos, -EINVAL,
				       "control character 0x%02x in string (must be escaped)", c);
		}
		if (c != '\\') {
			k = utf8_seq((const unsigned char *)p->s + p->pos, end - p->pos);
			if (!k) {
				free(o);
				return fail_at(p, p->pos, -EINVAL, "invalid UTF-8 in string");
			}
			memcpy(o + n, p->s + p->pos, k);
			n += k;
			p->pos += k;
			continue;
		}
		p->pos++;
		switch (p->s[p->pos]) {
		case '"': o[n++] = '"'; break;
		case '\\': o[n++] = '\\'; break;
		case '/': o[n++] = '/'; break;
		case 'b': o[n++] = '\b'; break;
		case 'f': o[n++] = '\f'; break;
		case 'n': o[n++] = '\n'; break;
		case 'r': o[n++] = '\r'; break;
		case 't': o[n++] = '\t'; break;
		case 'u':
			if (hex4(p, p->pos + 1, &cp))
				goto bad;
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail_at(p, p->pos - 1, -EINVAL, "lone low surrogate in \\u escape");
				goto bad;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p->pos + 6 >= end || p->s[p->pos + 5] != '\\' ||
				    p->s[p->pos + 6] != 'u' || hex4(p, p->pos + 7, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff) {
					p->code = 0;
					fail_at(p, p->pos - 1, -EINVAL,
						"high surrogate not followed by a low one");
					goto bad;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p->pos += 6;
			}
			/* \uXXXX (6 bytes) never decodes to more than 4 */
			n += put_utf8(o + n, cp);
			p->pos += 4;
			break;
		default:
			fail_at(p, p->pos - 1, -EINVAL, "unknown escape in string");
			goto bad;
		}
		p->pos++;
	}
	o[n] = '\0';
	p->pos = end + 1;
	*s = o;
	*len = n;
	return 0;
bad:
	free(o);
	return p->code;
}

static int parse_number(struct parser *p, struct ilp_json **out)
{
	size_t start = p->pos, i = p->pos;
	int is_int = 1, neg = 0, overflow = 0;
	uint64_t mag = 0;
	char buf[128], *end;
	struct ilp_json *v;

	if (p->s[i] == '-') {
		neg = 1;
		i++;
	}
	if (i >= p->len || p->s[i] < '0' || p->s[i] > '9')
		return fail_at(p, i, -EINVAL, "bad number: digit expected");
	if (p->s[i] == '0') {
		i++;
		if (i < p->len && p->s[i] >= '0' && p->s[i] <= '9')
			return fail_at(p, i, -EINVAL, "bad number: leading zero");
	} else {
		while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9') {
			unsigned d = (unsigned)(p->s[i] - '0');

			if (mag > (UINT64_MAX - d) / 10)
				overflow = 1;
			else
				mag = mag * 10 + d;
			i++;
		}
	}
	if (i < p->len && p->s[i] == '.') {
		is_int = 0;
		i++;
		if (i >= p->len || p->s[i] < '0' || p->s[i] > '9')
			return fail_at(p, i, -EINVAL, "bad number: digit expected after '.'");
		while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9')
			i++;
	}
	if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
		is_int = 0;
		i++;
		if (i < p->len && (p->s[i] == '+' || p->s[i] == '-'))
			i++;
		if (i >= p->len || p->s[i] < '0' || p->s[i] > '9')
			return fail_at(p, i, -EINVAL, "bad number: digit expected in exponent");
		while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9')
			i++;
	}
	if (i - start >= sizeof(buf))
		return fail_at(p, start, -E2BIG, "number longer than %zu characters",
			       sizeof(buf) - 1);
	memcpy(buf, p->s + start, i - start);
	buf[i - start] = '\0';
	v = node_new(p, ILP_JSON_NUMBER);
	if (!v)
		return p->code;
	v->num.d = strtod(buf, &end);
	v->num.is_int = is_int;
	v->num.neg = neg;
	v->num.overflow = overflow;
	v->num.mag = mag;
	p->pos = i;
	*out = v;
	return 0;
}

static int push(struct parser *p, struct ilp_json *c, char *key, struct ilp_json *v)
{
	if (c->c.n == c->c.cap) {
		size_t ncap = c->c.cap ? c->c.cap * 2 : 4;
		struct ilp_json **nv = realloc(c->c.v, ncap * sizeof(*nv));

		if (!nv)
			return fail_at(p, p->pos, -ENOMEM, "out of memory");
		c->c.v = nv;
		if (c->type == ILP_JSON_OBJECT) {
			char **nk = realloc(c->c.k, ncap * sizeof(*nk));

			if (!nk)
				return fail_at(p, p->pos, -ENOMEM, "out of memory");
			c->c.k = nk;
		}
		c->c.cap = ncap;
	}
	c->c.v[c->c.n] = v;
	if (c->c.k)
		c->c.k[c->c.n] = key;
	c->c.n++;
	return 0;
}

static int parse_container(struct parser *p, int depth, struct ilp_json **out)
{
	int is_obj = p->s[p->pos] == '{';
	char close = is_obj ? '}' : ']', b[16];
	struct ilp_json *c, *v = NULL;
	char *key = NULL;
	size_t klen;

	if (depth >= p->max_depth)
		return fail_at(p, p->pos, -E2BIG, "nesting deeper than %d levels", p->max_depth);
	c = node_new(p, is_obj ? ILP_JSON_OBJECT : ILP_JSON_ARRAY);
	if (!c)
		return p->code;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		*out = c;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (is_obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"') {
				fail_at(p, p->pos, -EINVAL, "object key (a string) expected, got %s",
					describe(p, b));
				goto bad;
			}
			if (parse_string(p, &key, &klen))
				goto bad;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				fail_at(p, p->pos, -EINVAL, "':' expected after object key, got %s",
					describe(p, b));
				goto bad;
			}
			p->pos++;
		}
		if (parse_value(p, depth + 1, &v))
			goto bad;
		if (push(p, c, key, v))
			goto bad;
		key = NULL;
		v = NULL;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == close) {
				fail_at(p, p->pos, -EINVAL, "trailing comma before '%c'", close);
				goto bad;
			}
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			*out = c;
			return 0;
		}
		fail_at(p, p->pos, -EINVAL, "',' or '%c' expected, got %s", close, describe(p, b));
		goto bad;
	}
bad:
	free(key);
	value_free(v);
	value_free(c);
	return p->code;
}

static int literal(struct parser *p, const char *word, struct ilp_json **out,
		   enum ilp_json_type t, int b)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return fail_at(p, p->pos, -EINVAL, "unexpected characters (expected '%s')", word);
	*out = node_new(p, t);
	if (!*out)
		return p->code;
	(*out)->b = b;
	p->pos += n;
	return 0;
}

static int parse_value(struct parser *p, int depth, struct ilp_json **out)
{
	char b[16];
	char c;

	skip_ws(p);
	if (p->pos >= p->len)
		return fail_at(p, p->pos, -EINVAL, "value expected, got end of input");
	c = p->s[p->pos];
	switch (c) {
	case '{':
	case '[':
		return parse_container(p, depth, out);
	case '"': {
		struct ilp_json *v = node_new(p, ILP_JSON_STRING);

		if (!v)
			return p->code;
		if (parse_string(p, &v->str.s, &v->str.len)) {
			free(v);
			return p->code;
		}
		*out = v;
		return 0;
	}
	case 't':
		return literal(p, "true", out, ILP_JSON_BOOL, 1);
	case 'f':
		return literal(p, "false", out, ILP_JSON_BOOL, 0);
	case 'n':
		return literal(p, "null", out, ILP_JSON_NULL, 0);
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return parse_number(p, out);
		return fail_at(p, p->pos, -EINVAL, "value expected, got %s", describe(p, b));
	}
}

int ilp_json_parse(const char *text, size_t len, const struct ilp_json_limits *lim,
		   struct ilp_json_doc **out, struct ilp_json_error *err)
{
	struct parser p = { text, len, 0, ILP_JSON_MAX_DEPTH, err, 0 };
	size_t max_size = ILP_JSON_MAX_SIZE;
	struct ilp_json_doc *d;
	struct ilp_json *root = NULL;
	char b[16];

	if (err)
		memset(err, 0, sizeof(*err));
	*out = NULL;
	if (lim && lim->max_depth > 0)
		p.max_depth = lim->max_depth;
	if (lim && lim->max_size > 0)
		max_size = lim->max_size;
	if (len > max_size)
		return fail_at(&p, max_size, -E2BIG, "input larger than %zu bytes", max_size);
	if (parse_value(&p, 0, &root))
		return p.code;
	skip_ws(&p);
	if (p.pos < p.len) {
		value_free(root);
		return fail_at(&p, p.pos, -EINVAL, "unexpected %s after the value",
			       describe(&p, b));
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		value_free(root);
		return fail_at(&p, 0, -ENOMEM, "out of memory");
	}
	d->root = root;
	*out = d;
	return 0;
}

int ilp_json_parse_file(const char *path, const struct ilp_json_limits *lim,
			struct ilp_json_doc **out, struct ilp_json_error *err)
{
	size_t max_size = lim && lim->max_size ? lim->max_size : ILP_JSON_MAX_SIZE;
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	ssize_t r;
	int fd, ret;

	if (err)
		memset(err, 0, sizeof(*err));
	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > max_size + 1)
				cap = max_size + 1;
			if (len == cap) {
				ret = -E2BIG;
				if (err)
					snprintf(err->msg, sizeof(err->msg),
						 "input larger than %zu bytes", max_size);
				goto out;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				ret = -ENOMEM;
				goto out;
			}
			buf = nb;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out;
		}
		if (!r)
			break;
		len += (size_t)r;
	}
	ret = ilp_json_parse(buf ? buf : "", len, lim, out, err);
out:
	free(buf);
	close(fd);
	return ret;
}

void ilp_json_doc_free(struct ilp_json_doc *d)
{
	if (!d)
		return;
	value_free(d->root);
	free(d);
}

const struct ilp_json *ilp_json_root(const struct ilp_json_doc *d)
{
	return d ? d->root : NULL;
}

enum ilp_json_type ilp_json_type(const struct ilp_json *v)
{
	return v ? v->type : ILP_JSON_NULL;
}

size_t ilp_json_len(const struct ilp_json *v)
{
	if (!v || (v->type != ILP_JSON_ARRAY && v->type != ILP_JSON_OBJECT))
		return 0;
	return v->c.n;
}

const struct ilp_json *ilp_json_at(const struct ilp_json *v, size_t i)
{
	return i < ilp_json_len(v) ? v->c.v[i] : NULL;
}

const char *ilp_json_key_at(const struct ilp_json *obj, size_t i)
{
	if (!obj || obj->type != ILP_JSON_OBJECT || i >= obj->c.n)
		return NULL;
	return obj->c.k[i];
}

const struct ilp_json *ilp_json_get(const struct ilp_json *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != ILP_JSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->c.n; i++)
		if (!strcmp(obj->c.k[i], key))
			return obj->c.v[i];
	return NULL;
}

const char *ilp_json_str(const struct ilp_json *v, size_t *len)
{
	if (!v || v->type != ILP_JSON_STRING)
		return NULL;
	if (len)
		*len = v->str.len;
	return v->str.s;
}

int ilp_json_bool(const struct ilp_json *v)
{
	return v && v->type == ILP_JSON_BOOL ? v->b : -1;
}

int ilp_json_u64(const struct ilp_json *v, uint64_t *out)
{
	if (!v || v->type != ILP_JSON_NUMBER || !v->num.is_int)
		return -EINVAL;
	if (v->num.overflow || (v->num.neg && v->num.mag))
		return -ERANGE;
	*out = v->num.mag;
	return 0;
}

int ilp_json_i64(const struct ilp_json *v, int64_t *out)
{
	if (!v || v->type != ILP_JSON_NUMBER || !v->num.is_int)
		return -EINVAL;
	if (v->num.overflow)
		return -ERANGE;
	if (v->num.neg) {
		if (v->num.mag > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*out = v->num.mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v->num.mag;
	} else {
		if (v->num.mag > (uint64_t)INT64_MAX)
			return -ERANGE;
		*out = (int64_t)v->num.mag;
	}
	return 0;
}

int ilp_json_double(const struct ilp_json *v, double *out)
{
	if (!v || v->type != ILP_JSON_NUMBER)
		return -EINVAL;
	*out = v->num.d;
	return 0;
}

uint64_t ilp_json_get_u64(const struct ilp_json *obj, const char *key, uint64_t dflt)
{
	uint64_t v;

	return ilp_json_u64(ilp_json_get(obj, key), &v) ? dflt : v;
}

const char *ilp_json_get_str(const struct ilp_json *obj, const char *key)
{
	return ilp_json_str(ilp_json_get(obj, key), NULL);
}
