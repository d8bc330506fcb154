// SPDX-License-Identifier: MIT
/*
 * watch's triggers (include/trigger.h): a strict parser, and a set fed
 * every event that says when one fired.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "idmap.h"
#include "syscalls.h"
#include "trigger.h"

#define TIME_MAX_NS 86400e9	/* a day */
#define NAME_MAX_LEN 32

/* ---- the parser ---- */

struct lex {
	const char *p;
	char *why;
	size_t size;
};

static void skip(struct lex *l)
{
	while (isspace((unsigned char)*l->p))
		l->p++;
}

static int bad(struct lex *l, const char *fmt, const char *what)
{
	snprintf(l->why, l->size, fmt, what);
	return -EINVAL;
}

/* a word of [a-z0-9_]: its length (0: none), copied to buf */
static size_t word(struct lex *l, char *buf, size_t size)
{
	size_t n = 0;

	skip(l);
	while (islower((unsigned char)l->p[n]) || isdigit((unsigned char)l->p[n]) ||
	       l->p[n] == '_')
		n++;
	if (n >= size)
		n = size - 1;
	memcpy(buf, l->p, n);
	buf[n] = 0;
	l->p += n;
	return n;
}

static int expect(struct lex *l, char c)
{
	skip(l);
	if (*l->p == c) {
		l->p++;
		return 0;
	}
	snprintf(l->why, l->size, "expected '%c' %s%s%s", c, *l->p ? "at '" : "at the end",
		 *l->p ? l->p : "", *l->p ? "'" : "");
	return -EINVAL;
}

/* "(SC)": a syscall name or '*' */
static int syscall_arg(struct lex *l, int *nr)
{
	char name[NAME_MAX_LEN];

	if (expect(l, '('))
		return -EINVAL;
	skip(l);
	if (*l->p == '*') {
		l->p++;
		*nr = ILP_TRIG_ANY;
	} else {
		if (!word(l, name, sizeof(name)))
			return bad(l, "expected a syscall name or '*' at '%s'", l->p);
		*nr = ilp_syscall_nr(name);
		if (*nr < 0)
			return bad(l, "unknown syscall '%s'", name);
	}
	return expect(l, ')');
}

/* a decimal number, with a fraction if frac: its text at buf */
static int number(struct lex *l, int frac, double *v, uint64_t *u)
{
	const char *s;
	char *end;

	skip(l);
	s = l->p;
	if (!isdigit((unsigned char)*s))
		return bad(l, "expected a number at '%s'", *s ? s : "the end");
	errno = 0;
	if (frac) {
		*v = strtod(s, &end);
		/* digits [. digits] only: no exponent, hex, inf or nan */
		for (const char *c = s; c < end; c++)
			if (!isdigit((unsigned char)*c) && *c != '.')
				return bad(l, "not a plain decimal number: '%s'", s);
	} else {
		*u = strtoull(s, &end, 10);
	}
	if (errno || end == s)
		return bad(l, "number out of range: '%s'", s);
	l->p = end;
	return 0;
}

static int time_arg(struct lex *l, uint64_t *ns)
{
	static const struct {
		const char *name;
		double scale;
	} units[] = { { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 } };
	const char *at;
	char unit[8];
	double v;
	size_t i;

	skip(l);
	at = l->p;
	if (number(l, 1, &v, NULL))
		return -EINVAL;
	skip(l);
	if (!word(l, unit, sizeof(unit)))
		return bad(l, "a time needs a unit (ns, us, ms or s)%s", "");
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(unit, units[i].name))
			continue;
		v *= units[i].scale;
		if (!isfinite(v) || v > TIME_MAX_NS)
			return bad(l, "a time of a day at most, not '%s'", at);
		*ns = (uint64_t)llround(v);
		return 0;
	}
	return bad(l, "unknown time unit '%s' (ns, us, ms or s)", unit);
}

static int greater(struct lex *l)
{
	skip(l);
	if (*l->p == '>' && l->p[1] == '=')
		return bad(l, "only '>' compares (not '>=')%s", "");
	return expect(l, '>');
}

int ilp_trigger_parse(const char *expr, struct ilp_trigger *t, char *why, size_t size)
{
	struct lex l = { .p = expr, .why = why, .size = size };
	char name[NAME_MAX_LEN];
	int err;

	memset(t, 0, sizeof(*t));
	if (size)
		why[0] = 0;
	if (!word(&l, name, sizeof(name))) {
		err = bad(&l, "expected call, p50, p90, p99, max, calls or lost at '%s'",
			  *l.p ? l.p : "the end");
		goto out;
	}
	t->nr = ILP_TRIG_ANY;
	if (!strcmp(name, "call")) {
		t->kind = ILP_TRIG_CALL;
		skip(&l);
		err = *l.p == '(' ? syscall_arg(&l, &t->nr) : 0;
		if (!err)
			err = greater(&l);
		if (!err)
			err = time_arg(&l, &t->limit);
	} else if (!strcmp(name, "p50") || !strcmp(name, "p90") || !strcmp(name, "p99") ||
		   !strcmp(name, "max")) {
		t->kind = ILP_TRIG_PCT;
		t->pct = name[0] == 'm' ? 100 : atoi(name + 1);
		err = syscall_arg(&l, &t->nr);
		if (!err)
			err = greater(&l);
		if (!err)
			err = time_arg(&l, &t->limit);
	} else if (!strcmp(name, "calls")) {
		t->kind = ILP_TRIG_CALLS;
		err = syscall_arg(&l, &t->nr);
		if (!err)
			err = greater(&l);
		if (!err)
			err = number(&l, 0, NULL, &t->limit);
	} else if (!strcmp(name, "lost")) {
		t->kind = ILP_TRIG_LOST;
		err = greater(&l);
		if (!err)
			err = number(&l, 0, NULL, &t->limit);
	} else {
		err = bad(&l, "unknown trigger '%s' (call, p50, p90, p99, max, calls or lost)",
			  name);
	}
	if (!err) {
		skip(&l);
		if (*l.p)
			err = bad(&l, "unexpected '%s' after the expression", l.p);
	}
out:
	if (err)
		memset(t, 0, sizeof(*t));
	return err;
}

static int fmt_time(char *buf, size_t size, uint64_t ns)
{
	if (ns && ns % 1000000000ull == 0)
		return snprintf(buf, size, "%" PRIu64 " s", (uint64_t)(ns / 1000000000u));
	if (ns && ns % 1000000ull == 0)
		return snprintf(buf, size, "%" PRIu64 " ms", (uint64_t)(ns / 1000000u));
	if (ns && ns % 1000ull == 0)
		return snprintf(buf, size, "%" PRIu64 " us", (uint64_t)(ns / 1000u));
	return snprintf(buf, size, "%" PRIu64 " ns", ns);
}

int ilp_trigger_format(const struct ilp_trigger *t, char *buf, size_t size)
{
	char sc[NAME_MAX_LEN + 2], lim[32];
	const char *what;

	snprintf(sc, sizeof(sc), "%s", t->nr == ILP_TRIG_ANY ? "*" : ilp_syscall_name(t->nr));
	switch (t->kind) {
	case ILP_TRIG_CALL:
		fmt_time(lim, sizeof(lim), t->limit);
		if (t->nr == ILP_TRIG_ANY)
			return snprintf(buf, size, "call > %s", lim);
		return snprintf(buf, size, "call(%s) > %s", sc, lim);
	case ILP_TRIG_PCT:
		fmt_time(lim, sizeof(lim), t->limit);
		what = t->pct == 100 ? "max" : t->pct == 99 ? "p99" : t->pct == 90 ? "p90" : "p50";
		return snprintf(buf, size, "%s(%s) > %s", what, sc, lim);
	case ILP_TRIG_CALLS:
		return snprintf(buf, size, "calls(%s) > %" PRIu64, sc, t->limit);
	case ILP_TRIG_LOST:
		return snprintf(buf, size, "lost > %" PRIu64, t->limit);
	}
	return snprintf(buf, size, "?");
}

/* ---- the set ---- */

struct enter {
	int nr;
	uint64_t ts;
};

struct ilp_trigger_set {
	struct ilp_trigger *t;
	size_t n;
	struct ilp_hist **hist;	/* PCT: the window's latencies of t[i].nr */
	uint64_t *calls;	/* CALLS: the window's calls of t[i].nr */
	struct ilp_idmap enters;	/* tid -> struct enter *: its call in flight */
};

static int valid(const struct ilp_trigger *t)
{
	if (t->nr != ILP_TRIG_ANY && t->nr < 0)
		return 0;
	switch (t->kind) {
	case ILP_TRIG_PCT:
		return t->pct == 50 || t->pct == 90 || t->pct == 99 || t->pct == 100;
	case ILP_TRIG_CALL:
	case ILP_TRIG_CALLS:
	case ILP_TRIG_LOST:
		return 1;
	}
	return 0;
}

int ilp_trigger_set_new(const struct ilp_trigger *t, size_t n, struct ilp_trigger_set **out)
{
	struct ilp_trigger_set *set;
	size_t i;

	*out = NULL;
	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!valid(&t[i]))
			return -EINVAL;
	set = calloc(1, sizeof(*set));
	if (!set)
		return -ENOMEM;
	set->n = n;
	set->t = malloc(n * sizeof(*t));
	set->hist = calloc(n, sizeof(*set->hist));
	set->calls = calloc(n, sizeof(*set->calls));
	if (!set->t || !set->hist || !set->calls)
		goto nomem;
	memcpy(set->t, t, n * sizeof(*t));
	for (i = 0; i < n; i++)
		if (t[i].kind == ILP_TRIG_PCT && !(set->hist[i] = ilp_hist_new()))
			goto nomem;
	*out = set;
	return 0;
nomem:
	ilp_trigger_set_free(set);
	return -ENOMEM;
}

void ilp_trigger_set_free(struct ilp_trigger_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->enters.cap; i++)
		free(set->enters.vals[i]);
	ilp_idmap_release(&set->enters);
	for (i = 0; set->hist && i < set->n; i++)
		ilp_hist_free(set->hist[i]);
	free(set->hist);
	free(set->calls);
	free(set->t);
	free(set);
}

static int on_enter(struct ilp_trigger_set *set, const struct ilp_event *ev)
{
	struct enter *e = ilp_idmap_get(&set->enters, (uint64_t)(uint32_t)ev->tid);

	if (!e) {
		e = malloc(sizeof(*e));
		if (!e)
			return -ENOMEM;
		if (ilp_idmap_put(&set->enters, (uint64_t)(uint32_t)ev->tid, e)) {
			free(e);
			return -ENOMEM;
		}
	}
	e->nr = ev->nr;
	e->ts = ev->ts;
	return 0;
}

static int matches(const struct ilp_trigger *t, int nr)
{
	return t->nr == ILP_TRIG_ANY || t->nr == nr;
}

static int on_exit_call(struct ilp_trigger_set *set, const struct ilp_event *ev,
			struct ilp_trigger_hit *hit)
{
	struct enter *e = ilp_idmap_get(&set->enters, (uint64_t)(uint32_t)ev->tid);
	uint64_t ns;
	int fired = 0, err = 0;
	size_t i;

	if (!e || e->nr != ev->nr || !e->ts || ev->ts < e->ts)
		return 0;	/* its enter was not seen */
	ns = ev->ts - e->ts;
	e->ts = 0;
	for (i = 0; i < set->n; i++) {
		const struct ilp_trigger *t = &set->t[i];

		if (!matches(t, ev->nr))
			continue;
		if (t->kind == ILP_TRIG_PCT && ilp_hist_record(set->hist[i], ns))
			err = -ENOMEM;
		else if (t->kind == ILP_TRIG_CALLS)
			set->calls[i]++;
		else if (t->kind == ILP_TRIG_CALL && ns > t->limit && !fired) {
			fired = 1;
			hit->trigger = (int)i;
			hit->ts = ev->ts;
			hit->value = ns;
			hit->pid = ev->pid;
			hit->tid = ev->tid;
			hit->nr = ev->nr;
		}
	}
	return fired ? 1 : err;
}

int ilp_trigger_feed(struct ilp_trigger_set *set, const struct ilp_event *ev,
		     struct ilp_trigger_hit *hit)
{
	switch (ev->kind) {
	case ILP_EV_SYS_ENTER:
		return on_enter(set, ev);
	case ILP_EV_SYS_EXIT:
		return on_exit_call(set, ev, hit);
	case ILP_EV_TASK_EXIT:
		free(ilp_idmap_del(&set->enters, (uint64_t)(uint32_t)ev->tid));
		return 0;
	default:
		return 0;
	}
}

int ilp_trigger_window(struct ilp_trigger_set *set, uint64_t end_ts, uint64_t lost,
		       struct ilp_trigger_hit *hit)
{
	int fired = 0;
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct ilp_trigger *t = &set->t[i];
		uint64_t v;

		switch (t->kind) {
		case ILP_TRIG_PCT:
			v = !ilp_hist_count(set->hist[i]) ? 0 : t->pct == 100 ?
			    ilp_hist_max(set->hist[i]) : ilp_hist_percentile(set->hist[i], t->pct);
			ilp_hist_reset(set->hist[i]);
			break;
		case ILP_TRIG_CALLS:
			v = set->calls[i];
			set->calls[i] = 0;
			break;
		case ILP_TRIG_LOST:
			v = lost;
			break;
		default:
			continue;
		}
		if (v > t->limit && !fired) {
			fired = 1;
			memset(hit, 0, sizeof(*hit));
			hit->trigger = (int)i;
			hit->ts = end_ts;
			hit->value = v;
			hit->nr = t->nr;
		}
	}
	return fired;
}
