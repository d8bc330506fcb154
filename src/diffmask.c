// SPDX-License-Identifier: MIT
/* Run-specific parts of report names, masked for diff.  See include/diffmask.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diffmask.h"

#define EPHEMERAL_LO 32768	/* /proc/sys/net/ipv4/ip_local_port_range default */
#define EPHEMERAL_HI 60999
#define TMP_MIN 6
#define TMP_MAX 12

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

/* a path token [s, e): the offset of a temporary suffix of its last
 * component, or 0 */
static size_t tmp_suffix(const char *s, const char *e)
{
	const char *comp = e, *sep = NULL, *q;
	int up = 0, low = 0, dig = 0;
	size_t len;

	while (comp > s && comp[-1] != '/')
		comp--;
	if (comp == s && *s != '/')
		return 0;	/* not a path */
	for (q = comp; q < e; q++)
		if (*q == '.' || *q == '-' || *q == '_')
			sep = q;
	if (!sep || sep == comp)
		return 0;
	len = (size_t)(e - sep - 1);
	if (len < TMP_MIN || len > TMP_MAX)
		return 0;
	for (q = sep + 1; q < e; q++) {
		if (isupper((unsigned char)*q))
			up = 1;
		else if (islower((unsigned char)*q))
			low = 1;
		else if (isdigit((unsigned char)*q))
			dig = 1;
		else
			return 0;
	}
	return up + low + dig >= 2 ? (size_t)(sep + 1 - s) : 0;
}

#define ARG_MARK " (name from call argument)"	/* fdmodel.h: how, not what */

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
			n = tmp_suffix(s, e);
			if (n) {
				put(&o, s, n);
				put(&o, "*", 1);
			} else {
				put(&o, s, (size_t)(e - s));
			}
			s = e;
		} else {
			put(&o, s, 1);
			s++;
		}
	}
}
