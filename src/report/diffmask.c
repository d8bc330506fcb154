// SPDX-License-Identifier: MIT
/* Run-specific parts of report names, masked for diff.  See include/diffmask.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diffmask.h"
#include "fdmodel.h"

#define EPHEMERAL_LO 32768	/* /proc/sys/net/ipv4/ip_local_port_range default */
#define EPHEMERAL_HI 60999
#define SUFFIX_MIN 6
#define SUFFIX_MAX 12

struct out {
	char *p;
	size_t size, n;
};

static void put(struct out *o, const char *s, size_t len)
{
	for (size_t i = 0; i < len && o->n + 1 < o->size; i++)
		o->p[o->n++] = s[i];
	o->p[o->n] = '\0';
}

/* ":[123]": digits between ":[" and "]" */
static size_t inode_len(const char *s)
{
	size_t i = 2;

	if (s[0] != ':' || s[1] != '[' || !isdigit((unsigned char)s[2]))
		return 0;
	while (isdigit((unsigned char)s[i]))
		i++;
	return s[i] == ']' ? i + 1 : 0;
}

/* "child:1234" (a wait4/waitid's pid): the digits' offset and length */
static size_t child_len(const char *start, const char *s)
{
	size_t i = 6;

	if (strncmp(s, "child:", 6) || (s > start && isalnum((unsigned char)s[-1])) ||
	    !isdigit((unsigned char)s[6]))
		return 0;
	while (isdigit((unsigned char)s[i]))
		i++;
	return i;
}

/* "0x" and at least 6 hex digits */
static size_t addr_len(const char *s)
{
	size_t i = 2;

	if (s[0] != '0' || s[1] != 'x')
		return 0;
	while (isxdigit((unsigned char)s[i]))
		i++;
	return i >= 8 ? i : 0;
}

/* s just after an address: a dotted IPv4 address or an IPv6 one in [] */
static int after_address(const char *start, const char *s)
{
	const char *q = s;
	int dots = 0;

	if (q > start && q[-1] == ']')
		return 1;
	while (q > start && (isdigit((unsigned char)q[-1]) || q[-1] == '.'))
		dots += *--q == '.';
	return dots == 3 && q < s && (q == start || !isalnum((unsigned char)q[-1]));
}

/* ":PORT" after an address, PORT ephemeral, then a non-digit: the digits'
 * length, else 0 */
static size_t port_len(const char *start, const char *s)
{
	size_t i = 1;
	long port;

	if (s[0] != ':' || !after_address(start, s))
		return 0;
	while (isdigit((unsigned char)s[i]))
		i++;
	if (i != 6 || isalnum((unsigned char)s[i]))	/* ':' and five digits */
		return 0;
	port = strtol(s + 1, NULL, 10);
	return port >= EPHEMERAL_LO && port <= EPHEMERAL_HI ? i - 1 : 0;
}

/* the classes (upper, lower, digit) in [s, e) if all alnum, else -1 */
static int classes(const char *s, const char *e)
{
	int up = 0, low = 0, dig = 0;

	for (; s < e; s++) {
		if (isupper((unsigned char)*s))
			up = 1;
		else if (islower((unsigned char)*s))
			low = 1;
		else if (isdigit((unsigned char)*s))
			dig = 1;
		else
			return -1;
	}
	return up + low + dig;
}

/* directories whose files are temporary: there any random-looking part
 * of a name is masked, elsewhere only a mkstemp-like last suffix */
static int in_tmp_dir(const char *s, const char *e)
{
	static const char *const dirs[] = { "/tmp/", "/var/tmp/", "/dev/shm/" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if ((size_t)(e - s) > strlen(dirs[i]) && !strncmp(s, dirs[i], strlen(dirs[i])))
			return (int)strlen(dirs[i]);
	return 0;
}

/*
 * One path component [c, e) of a path starting at s: how much of it to
 * keep before a '*' (the whole length: nothing masked).  last: the last
 * component; tmp: under a temporary directory.
 */
static size_t component_keep(const char *s, const char *c, const char *e, int last, int tmp)
{
	const char *sep = NULL, *q;
	size_t len = (size_t)(e - c), slen;
	int k;

	/* /proc/1234/..., /dev/pts/3: process and terminal numbers */
	if (classes(c, e) == 1 && isdigit((unsigned char)*c) &&
	    ((c - s == 6 && !strncmp(s, "/proc/", 6)) || (c - s == 9 && !strncmp(s, "/dev/pts/", 9))))
		return 0;
	if (tmp && len == 11 && !strncmp(c, "tmp", 3)) {	/* Python's tempfile: tmpXXXXXXXX */
		for (q = c + 3; q < e && (isalnum((unsigned char)*q) || *q == '_'); q++)
			;
		if (q == e)
			return 3;
	}
	if (tmp && len > 1 && *c == '#' && classes(c + 1, e) == 1 && isdigit((unsigned char)c[1]))
		return 1;	/* an O_TMPFILE's "#1234567" */
	if (!last && !tmp)
		return len;
	for (q = c; q < e; q++)
		if (*q == '.' || *q == '-' || *q == '_')
			sep = q;
	if (!sep || sep == c)
		return len;
	slen = (size_t)(e - sep - 1);
	if (slen < SUFFIX_MIN || slen > SUFFIX_MAX)
		return len;
	k = classes(sep + 1, e);
	/* under /tmp any mkstemp-length suffix; elsewhere one mixing classes */
	if (k < 0 || (!tmp && k < 2))
		return len;
	return (size_t)(sep + 1 - c);
}

/* a path token [s, e), masked into o */
static void put_path(struct out *o, const char *s, const char *e)
{
	int tmp = in_tmp_dir(s, e) > 0;
	const char *c = s + (tmp ? in_tmp_dir(s, e) : 1), *ce;

	put(o, s, (size_t)(c - s));
	while (c < e) {
		size_t keep;

		for (ce = c; ce < e && *ce != '/'; ce++)
			;
		keep = component_keep(s, c, ce, ce == e, tmp);
		put(o, c, keep);
		if (keep < (size_t)(ce - c))
			put(o, "*", 1);
		if (ce < e)
			put(o, "/", 1);
		c = ce < e ? ce + 1 : e;
	}
}

#define ARG_MARK ILP_OBJ_ARG_MARK	/* how the name was found, not what it is */
#define DELETED " (deleted)"		/* readlink of an unlinked file */
#define LOST "(name lost: "		/* why depends on the run's timing */

void ilp_diff_mask(const char *name, char *out, size_t size)
{
	struct out o = { out, size, 0 };
	const char *s = name;
	size_t n;

	if (!size)
		return;
	out[0] = '\0';
	while (*s) {
		if (!strncmp(s, ARG_MARK, sizeof(ARG_MARK) - 1)) {
			s += sizeof(ARG_MARK) - 1;
		} else if (!strncmp(s, LOST, sizeof(LOST) - 1)) {
			/* "(name lost: WHY)" -> "(name lost)" (WHY has no parenthesis) */
			const char *e = strchr(s, ')');

			put(&o, "(name lost)", 11);
			s = e ? e + 1 : s + strlen(s);
		} else if ((n = child_len(name, s))) {
			put(&o, "child:*", 7);
			s += n;
		} else if ((n = inode_len(s))) {
			put(&o, ":[*]", 4);
			s += n;
		} else if ((s == name || !isalnum((unsigned char)s[-1])) && (n = addr_len(s))) {
			put(&o, "0x*", 3);
			s += n;
		} else if ((n = port_len(name, s))) {
			put(&o, ":*", 2);
			s += n + 1;
		} else if (*s == '/' && (s == name || s[-1] == ' ' || s[-1] == '(')) {
			/* a path: up to the next space or ')' */
			const char *e = s;

			while (*e && *e != ' ' && *e != ')')
				e++;
			put_path(&o, s, e);
			s = e;
			if (!strncmp(s, DELETED, sizeof(DELETED) - 1))
				s += sizeof(DELETED) - 1;	/* deleted in one run only */
		} else {
			put(&o, s, 1);
			s++;
		}
	}
}
