// SPDX-License-Identifier: MIT
/*
 * Terminal-safe text: see include/esc.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "json.h"

/*
 * How many bytes of s[0..len) pass as they are (*keep = 1) or must be
 * escaped byte by byte (*keep = 0), starting at s[0]: one character.
 */
static size_t step(const unsigned char *s, size_t len, int *keep)
{
	size_t n = ilp_utf8_seq((const char *)s, len);
	uint32_t cp;

	*keep = 0;
	if (!n)
		return 1;	/* not UTF-8: this byte alone */
	if (n == 1) {
		*keep = s[0] >= 0x20 && s[0] != 0x7f && s[0] != '\\';
		return 1;
	}
	if (n == 2)
		cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	else if (n == 3)
		cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	else
		cp = 0x10000;	/* above every range we escape */
	*keep = !(cp >= 0x80 && cp <= 0x9f) && !(cp >= 0x202a && cp <= 0x202e) &&
		!(cp >= 0x2066 && cp <= 0x2069);
	return n;
}

/* the escaped form of the n bytes at s (not kept) into out: its length */
static size_t escape(const unsigned char *s, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	if (n == 1 && s[0] == '\\') {
		out[0] = out[1] = '\\';
		return 2;
	}
	for (i = 0; i < n; i++) {
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[s[i] >> 4];
		out[o++] = hex[s[i] & 15];
	}
	return o;
}

char *ilp_esc(char *buf, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i = 0, o = 0, n, m;
	char tmp[16];
	int keep;

	if (!size)
		return buf;
	while (i < len) {
		n = step(p + i, len - i, &keep);
		if (keep) {
			if (o + n >= size)
				break;
			memcpy(buf + o, p + i, n);
			o += n;
		} else {
			m = escape(p + i, n, tmp);
			if (o + m >= size)
				break;
			memcpy(buf + o, tmp, m);
			o += m;
		}
		i += n;
	}
	buf[o] = '\0';
	return buf;
}

char *ilp_esc_dup(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	char *buf = malloc(len * 4 + 1);	/* an escape is at most 4 bytes per byte */

	return buf ? ilp_esc(buf, len * 4 + 1, s) : NULL;
}

int ilp_esc_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i = 0;
	int keep;

	while (i < len) {
		i += step(p + i, len - i, &keep);
		if (!keep)
			return 0;
	}
	return 1;
}

int ilp_esc_fputs(const char *s, FILE *f)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i = 0, n, m;
	char tmp[16];
	int keep;

	while (i < len) {
		n = step(p + i, len - i, &keep);
		if (keep) {
			if (fwrite(p + i, 1, n, f) != n)
				return EOF;
		} else {
			m = escape(p + i, n, tmp);
			if (fwrite(tmp, 1, m, f) != m)
				return EOF;
		}
		i += n;
	}
	return 0;
}
