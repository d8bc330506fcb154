// SPDX-License-Identifier: MIT
/*
 * iolockprof facts as trace_marker lines: format and parse.  See
 * include/tracemeta.h and docs/trace-format.md.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracemeta.h"
#include "vocab.h"

static const char *const name_kinds[] = {
	[ILP_NAME_DEV] = "dev", [ILP_NAME_ULOCK] = "ulock", [ILP_NAME_KLOCK] = "klock",
};
#define NNAME_KINDS ((int)(sizeof(name_kinds) / sizeof(name_kinds[0])))

/*
 * Appends "KEY=s", or, when s has a control character or a backslash,
 * "KEYx=" and s with those as \xNN (a backslash as \\): the marker line
 * stays one line and the value comes back exactly.  -ENOSPC if it does
 * not fit.
 */
static int put_rest(char *buf, size_t len, int off, const char *key, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = (size_t)off;
	int esc = 0, n;

	for (i = 0; s[i]; i++)
		esc |= (unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\';
	if (off < 0 || o >= len)
		return -ENOSPC;
	n = snprintf(buf + o, len - o, "%s%s=", key, esc ? "x" : "");
	if (n < 0 || (size_t)n >= len - o)
		return -ENOSPC;
	o += (size_t)n;
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!esc || (c >= 0x20 && c != 0x7f && c != '\\')) {
			if (o + 1 >= len)
				return -ENOSPC;
			buf[o++] = (char)c;
		} else if (c == '\\') {
			if (o + 2 >= len)
				return -ENOSPC;
			buf[o++] = '\\';
			buf[o++] = '\\';
		} else {
			if (o + 4 >= len)
				return -ENOSPC;
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o] = '\0';
	return (int)o;
}

int ilp_meta_format_event(char *buf, size_t len, const struct ilp_event *ev)
{
	int n;

	switch (ev->kind) {
	case ILP_EV_TASK_INFO:
		n = snprintf(buf, len, ILP_META_PREFIX "task ts=%" PRIu64 " pid=%d tid=%d %s",
			     ev->ts, (int)ev->pid, (int)ev->tid,
			     ev->task.flags & ILP_TASK_GATED ? "gated=1 " : "");
		if (n < 0 || (size_t)n >= len)
			return -ENOSPC;
		{
			char comm[ILP_COMM_LEN + 1];

			memcpy(comm, ev->task.comm, ILP_COMM_LEN);
			comm[ILP_COMM_LEN] = '\0';
			return put_rest(buf, len, n, "comm", comm);
		}
	case ILP_EV_FD_INFO:
		n = snprintf(buf, len, ILP_META_PREFIX "fd ts=%" PRIu64 " pid=%d tid=%d fd=%d type=%u ",
			     ev->ts, (int)ev->pid, (int)ev->tid, (int)ev->fd.fd,
			     (unsigned)ev->fd.type);
		if (n < 0 || (size_t)n >= len)
			return -ENOSPC;
		return put_rest(buf, len, n, "str", ev->fd.str ? ev->fd.str : "");
	default:
		return -EINVAL;
	}
}

int ilp_meta_format_begin(char *buf, size_t len, uint64_t ts, const char *command)
{
	int n = snprintf(buf, len, ILP_META_PREFIX "begin v=%d ts=%" PRIu64 " ",
			 ILP_META_VERSION, ts);

	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return put_rest(buf, len, n, "cmd", command ? command : "");
}

int ilp_meta_format_name(char *buf, size_t len, uint64_t ts, int kind, int pid, uint64_t key,
			 const char *name)
{
	int n;

	if (kind < 0 || kind >= NNAME_KINDS || !name_kinds[kind])
		return -EINVAL;
	n = snprintf(buf, len, ILP_META_PREFIX "name ts=%" PRIu64 " kind=%s pid=%d key=%" PRIu64
		     " ", ts, name_kinds[kind], pid, key);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return put_rest(buf, len, n, "str", name ? name : "");
}

int ilp_meta_format_end(char *buf, size_t len, uint64_t ts, uint64_t lost, int exit_status)
{
	int n = snprintf(buf, len, ILP_META_PREFIX "end ts=%" PRIu64 " lost=%" PRIu64 " exit=%d",
			 ts, lost, exit_status);

	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

/* "key=" at *p: the value up to the next space (or the end when rest) */
static const char *take(char **p, const char *key, int rest)
{
	size_t k = strlen(key);
	char *v, *sp;

	if (strncmp(*p, key, k) || (*p)[k] != '=')
		return NULL;
	v = *p + k + 1;
	if (rest) {
		*p = v + strlen(v);
		return v;
	}
	sp = strchr(v, ' ');
	if (sp) {
		*sp = '\0';
		*p = sp + 1;
	} else {
		*p = v + strlen(v);
	}
	return v;
}

/* the last key's value, "KEY=" as written, "KEYx=" with \xNN and \\
 * decoded (in place); NULL if neither is there or an escape is bad */
static const char *take_rest(char **p, const char *key)
{
	char xkey[16], *start, *v, *o;

	v = (char *)take(p, key, 1);
	if (v)
		return v;
	snprintf(xkey, sizeof(xkey), "%sx", key);
	start = (char *)take(p, xkey, 1);
	if (!start)
		return NULL;
	for (v = o = start; *v; v++) {
		if (*v != '\\') {
			*o++ = *v;
		} else if (v[1] == '\\') {
			*o++ = '\\';
			v++;
		} else if (v[1] == 'x' && isxdigit((unsigned char)v[2]) &&
			   isxdigit((unsigned char)v[3])) {
			char h[3] = { v[2], v[3], 0 };

			*o++ = (char)strtoul(h, NULL, 16);
			v += 3;
		} else {
			return NULL;
		}
	}
	*o = '\0';
	return start;
}

static int take_u64(char **p, const char *key, uint64_t *out)
{
	const char *v = take(p, key, 0);
	char *end;

	if (!v || !*v || *v == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoull(v, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

static int take_int(char **p, const char *key, int *out)
{
	const char *v = take(p, key, 0);
	char *end;
	long x;

	if (!v || !*v)
		return -EINVAL;
	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || *end || x < INT32_MIN || x > INT32_MAX)
		return -EINVAL;
	*out = (int)x;
	return 0;
}

int ilp_meta_parse(const char *s, size_t len, struct ilp_meta *m)
{
	size_t plen = strlen(ILP_META_PREFIX);
	char line[ILP_META_MAX], *p;
	const char *v;
	uint64_t u;
	int x;

	if (len < plen || memcmp(s, ILP_META_PREFIX, plen))
		return 0;
	s += plen;
	len -= plen;
	if (memchr(s, '\0', len))
		len = strlen(s);
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (len >= sizeof(line))
		return -EINVAL;
	memcpy(line, s, len);
	line[len] = '\0';
	memset(m, 0, sizeof(*m));
	m->exit_status = -1;
	m->ev.nr = -1;
	p = line;
	if (!strncmp(p, "begin ", 6)) {
		p += 6;
		m->kind = ILP_META_BEGIN;
		if (take_int(&p, "v", &m->version) || m->version < 1 ||
		    take_u64(&p, "ts", &m->ts) || !(v = take_rest(&p, "cmd")))
			return -EINVAL;
		snprintf(m->text, sizeof(m->text), "%s", v);
		return 1;
	}
	if (!strncmp(p, "task ", 5)) {
		p += 5;
		m->kind = ILP_META_TASK;
		m->ev.kind = ILP_EV_TASK_INFO;
		if (take_u64(&p, "ts", &m->ts) || take_int(&p, "pid", &m->ev.pid) ||
		    take_int(&p, "tid", &m->ev.tid))
			return -EINVAL;
		/* gated= is optional: files before it have none */
		if (!strncmp(p, "gated=", 6)) {
			if (take_int(&p, "gated", &x) || (x != 0 && x != 1))
				return -EINVAL;
			m->ev.task.flags = x ? ILP_TASK_GATED : 0;
		}
		if (!(v = take_rest(&p, "comm")))
			return -EINVAL;
		if (m->ev.pid <= 0 || m->ev.tid <= 0)
			return -EINVAL;
		snprintf(m->ev.task.comm, sizeof(m->ev.task.comm), "%s", v);
		m->ev.ts = m->ts;
		return 1;
	}
	if (!strncmp(p, "fd ", 3)) {
		p += 3;
		m->kind = ILP_META_FD;
		m->ev.kind = ILP_EV_FD_INFO;
		/* pid 0: not known when the fact was made (the model maps tid);
		 * tid= is optional (files before it: the pid's main thread);
		 * fd may be AT_FDCWD (-100): a path argument's fact */
		if (take_u64(&p, "ts", &m->ts) || take_int(&p, "pid", &m->ev.pid))
			return -EINVAL;
		m->ev.tid = m->ev.pid;
		if (!strncmp(p, "tid=", 4) && take_int(&p, "tid", &m->ev.tid))
			return -EINVAL;
		if (take_int(&p, "fd", &m->ev.fd.fd) || take_u64(&p, "type", &u) ||
		    u > UINT32_MAX || !(v = take_rest(&p, "str")))
			return -EINVAL;
		if (m->ev.pid < 0 || m->ev.tid <= 0)
			return -EINVAL;
		m->ev.fd.type = (uint32_t)u;
		snprintf(m->text, sizeof(m->text), "%s", v);
		m->ev.fd.str = m->text;
		m->ev.ts = m->ts;
		return 1;
	}
	if (!strncmp(p, "name ", 5)) {
		p += 5;
		m->kind = ILP_META_NAME;
		if (take_u64(&p, "ts", &m->ts) || !(v = take(&p, "kind", 0)))
			return -EINVAL;
		for (x = 0; x < NNAME_KINDS; x++)
			if (name_kinds[x] && !strcmp(v, name_kinds[x]))
				break;
		if (x == NNAME_KINDS)
			return -EINVAL;
		m->name_kind = x;
		if (take_int(&p, "pid", &m->name_pid) || m->name_pid < 0 ||
		    take_u64(&p, "key", &m->name_key) || !(v = take_rest(&p, "str")) || !*v)
			return -EINVAL;
		snprintf(m->text, sizeof(m->text), "%s", v);
		return 1;
	}
	if (!strncmp(p, "end ", 4)) {
		p += 4;
		m->kind = ILP_META_END;
		if (take_u64(&p, "ts", &m->ts) || take_u64(&p, "lost", &m->lost) ||
		    take_int(&p, "exit", &x) || x < -1 || x > 255 + 128)
			return -EINVAL;
		m->exit_status = x;
		return 1;
	}
	return -EINVAL;
}
