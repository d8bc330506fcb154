// SPDX-License-Identifier: MIT
/*
 * Loops: a thread's repeated sequence of calls on the same objects.  See
 * include/loopmodel.h for what is found and what it costs.
 *
 * Steps: a call whose (syscall, object) equals the previous step's is
 * merged into it (a run).  Detection: run[p] is the number of consecutive
 * newest steps equal to the step p before each; run[p] >= p means the
 * last 2p steps are two copies of one sequence of p steps.  The smallest
 * such p >= 2 locks the thread (a period of 1 cannot occur: runs merge).
 * Its first copy, from where the repetition began, is the sequence's
 * order; the same sequence seen again later (after noise, in another
 * run) is recognized in any rotation and counted from its first step.
 *
 * Locked: a step equal to the next expected one advances; one equal to
 * the step just matched joins it (a run split by noise); one equal to the
 * first step restarts the iteration (the partial one is dropped); any
 * other step is noise, skipped.  After 2 periods' worth of steps without
 * a complete iteration the run ends and its iterations are counted.
 *
 * An inner pattern can lock first (a b a b in a b a b c): when a longer
 * period is confirmed and at least 1 in NOISE_SHARE of the steps in its
 * two copies were noise to the locked one, the longer one takes over; the
 * short run's iterations are dropped if it began inside those two copies.
 * Rarer noise (a log line every few transactions) is noise: the short
 * loop stays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loopmodel.h"

#define W ILP_LOOP_PERIOD
#define RING (2 * W)
#define RMASK (RING - 1)
#define EVICT_BELOW 4		/* iterations: a sequence this rare may make room */
#define NOISE_SHARE 10		/* 1 step in this many noise to the lock: a longer
				 * period confirmed over them is the loop */

_Static_assert((RING & RMASK) == 0, "the ring is a power of 2");

struct tok {
	const struct ilp_fdobj *obj;
	int nr;
	uint32_t calls;
	uint64_t ns, share;
	uint64_t t0, t1;	/* enter of its first call, exit of its last */
};

struct acc {
	uint64_t calls, ns, share;
};

struct seq {
	struct ilp_loop pub;
	uint64_t hash;		/* the same for every rotation */
};

struct lockst {
	struct seq *s;
	size_t phase;		/* next step expected */
	uint64_t since_iter;	/* steps since the last complete iteration */
	uint64_t last_noise;	/* index + 1 of the last noise step, 0: none */
	int target;		/* where the newest step's calls went: -1 none,
				 * k < W: it[k], W + k: ep[k] */
	int created;		/* s was made for this run */
	int flushed;		/* part of the run is counted already */
	struct acc it[W];	/* the iteration in progress */
	uint64_t it_t0;
	struct acc ep[W];	/* the run's complete iterations, not yet in s */
	uint64_t ep_iters, ep_t0, ep_t1;
	uint64_t ep_start;	/* step index where the run's two first copies began */
};

struct ilp_loopt {
	int tid;
	int locked;
	uint64_t n;		/* steps so far */
	uint64_t noise[RING / 64];	/* per ring slot: the step was noise to the lock */
	uint64_t retry_at;	/* no lock before this step (the table was full) */
	struct tok ring[RING];
	uint16_t run[W + 1];
	struct lockst *lk;	/* made at the first lock */
	struct seq *seqs[ILP_LOOP_SEQS];
	size_t nseqs;
};

struct ilp_loopt *ilp_loopt_new(int tid)
{
	struct ilp_loopt *t = calloc(1, sizeof(*t));

	if (t)
		t->tid = tid;
	return t;
}

void ilp_loopt_free(struct ilp_loopt *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nseqs; i++)
		free(t->seqs[i]);
	free(t->lk);
	free(t);
}

static uint64_t mix(int nr, const struct ilp_fdobj *obj)
{
	uint64_t h = ((uint64_t)(uintptr_t)obj ^ ((uint64_t)(unsigned)nr << 48)) *
		     0x9e3779b97f4a7c15ull;

	return h ^ (h >> 31);
}

static int tok_same(const struct tok *a, const struct tok *b)
{
	return a->nr == b->nr && a->obj == b->obj;
}

static int step_is(const struct ilp_loop_step *s, const struct tok *t)
{
	return s->nr == t->nr && s->obj == t->obj;
}

static const struct tok *tok_at(const struct ilp_loopt *t, uint64_t i)
{
	return &t->ring[i & RMASK];
}

static void acc_tok(struct acc *a, const struct tok *t)
{
	a->calls += t->calls;
	a->ns += t->ns;
	a->share += t->share;
}

/* the run's complete iterations so far go into its sequence: 1 if any */
static int count_run(struct lockst *lk)
{
	struct ilp_loop *l = &lk->s->pub;
	size_t k;

	if (!lk->ep_iters)
		return 0;
	if (!l->iterations || lk->ep_t0 < l->first_ts)
		l->first_ts = lk->ep_t0;
	if (lk->ep_t1 > l->last_ts)
		l->last_ts = lk->ep_t1;
	l->iterations += lk->ep_iters;
	for (k = 0; k < l->nsteps; k++) {
		l->steps[k].calls += lk->ep[k].calls;
		l->steps[k].ns += lk->ep[k].ns;
		l->steps[k].share += lk->ep[k].share;
	}
	memset(lk->ep, 0, sizeof(lk->ep));
	lk->ep_iters = 0;
	lk->flushed = 1;
	return 1;
}

/* the run ends: its iterations are counted (commit) or dropped */
static void end_run(struct ilp_loopt *t, int commit)
{
	struct lockst *lk = t->lk;
	struct ilp_loop *l = &lk->s->pub;
	size_t i;

	if (!(commit && count_run(lk)) && !lk->flushed && l->episodes)
		l->episodes--;		/* a run that counted nothing is no run */
	if (!l->iterations && lk->created) {
		for (i = 0; i < t->nseqs && t->seqs[i] != lk->s; i++)
			;
		if (i < t->nseqs) {
			free(t->seqs[i]);
			t->seqs[i] = t->seqs[--t->nseqs];
		}
	}
	lk->s = NULL;
	t->locked = 0;
}

/* the sequence equal to the p steps from r0 in some rotation: *rot is the
 * sequence's step at r0; NULL if none */
static struct seq *find_seq(struct ilp_loopt *t, uint64_t r0, size_t p, uint64_t hash,
			    size_t *rot)
{
	size_t i, j, k;

	for (i = 0; i < t->nseqs; i++) {
		struct seq *s = t->seqs[i];

		if (s->pub.nsteps != p || s->hash != hash)
			continue;
		for (j = 0; j < p; j++) {
			for (k = 0; k < p && step_is(&s->pub.steps[(j + k) % p], tok_at(t, r0 + k)); k++)
				;
			if (k == p) {
				*rot = j;
				return s;
			}
		}
	}
	return NULL;
}

/* a free slot in the table: 1, or 0 if every sequence kept is worth more */
static int make_room(struct ilp_loopt *t)
{
	size_t i, least = 0;

	if (t->nseqs < ILP_LOOP_SEQS)
		return 1;
	for (i = 1; i < t->nseqs; i++)
		if (t->seqs[i]->pub.iterations < t->seqs[least]->pub.iterations)
			least = i;
	if (t->seqs[least]->pub.iterations >= EVICT_BELOW)
		return 0;
	free(t->seqs[least]);
	t->seqs[least] = t->seqs[--t->nseqs];
	return 1;
}

/* the last 2p steps are two copies of p steps: lock on them */
static int lock(struct ilp_loopt *t, size_t p)
{
	uint64_t r0 = t->n - 2 * p, hash = 0;
	struct lockst *lk = t->lk;
	struct seq *s;
	size_t rot = 0, k, i, first;

	for (k = 0; k < p; k++)
		hash += mix(tok_at(t, r0 + k)->nr, tok_at(t, r0 + k)->obj);
	if (!lk) {
		lk = t->lk = malloc(sizeof(*lk));
		if (!lk)
			return -ENOMEM;
	}
	memset(lk, 0, sizeof(*lk));
	s = find_seq(t, r0, p, hash, &rot);
	if (!s) {
		if (!make_room(t)) {
			t->retry_at = t->n + p;
			return 0;
		}
		s = calloc(1, sizeof(*s));
		if (!s)
			return -ENOMEM;
		s->pub.tid = t->tid;
		s->pub.nsteps = p;
		s->hash = hash;
		for (k = 0; k < p; k++) {
			s->pub.steps[k].nr = tok_at(t, r0 + k)->nr;
			s->pub.steps[k].obj = tok_at(t, r0 + k)->obj;
		}
		t->seqs[t->nseqs++] = s;
		lk->created = 1;
	}
	s->pub.episodes++;
	lk->s = s;
	lk->ep_start = r0;
	lk->target = -1;
	t->locked = 1;
	/* the complete copies in the two, counted from the sequence's first step */
	first = (p - rot) % p;
	for (k = first; k + p <= 2 * p; k += p) {
		for (i = 0; i < p; i++)
			acc_tok(&lk->ep[i], tok_at(t, r0 + k + i));
		if (!lk->ep_iters++)
			lk->ep_t0 = tok_at(t, r0 + k)->t0;
		lk->ep_t1 = tok_at(t, r0 + k + p - 1)->t1;
		lk->target = (int)(W + p - 1);
	}
	/* the rest begins the next iteration */
	for (i = 0; k + i < 2 * p; i++) {
		if (!i)
			lk->it_t0 = tok_at(t, r0 + k)->t0;
		acc_tok(&lk->it[i], tok_at(t, r0 + k + i));
		lk->target = (int)i;
	}
	lk->phase = i;
	return 0;
}

static void iteration_done(struct lockst *lk, size_t p, uint64_t t1)
{
	size_t k;

	for (k = 0; k < p; k++) {
		lk->ep[k].calls += lk->it[k].calls;
		lk->ep[k].ns += lk->it[k].ns;
		lk->ep[k].share += lk->it[k].share;
	}
	memset(lk->it, 0, p * sizeof(lk->it[0]));
	if (!lk->ep_iters++)
		lk->ep_t0 = lk->it_t0;
	lk->ep_t1 = t1;
	lk->phase = 0;
	lk->since_iter = 0;
}

/* a new step while locked */
static void match(struct ilp_loopt *t, const struct tok *x)
{
	struct lockst *lk = t->lk;
	const struct ilp_loop_step *st = lk->s->pub.steps;
	size_t p = lk->s->pub.nsteps;

	lk->since_iter++;
	if (step_is(&st[lk->phase], x)) {
		if (!lk->phase)
			lk->it_t0 = x->t0;
		acc_tok(&lk->it[lk->phase], x);
		lk->target = (int)lk->phase;
		if (++lk->phase == p) {
			iteration_done(lk, p, x->t1);
			lk->target = (int)(W + p - 1);
		}
		return;
	}
	if (lk->phase && step_is(&st[lk->phase - 1], x)) {	/* a run split by noise */
		acc_tok(&lk->it[lk->phase - 1], x);
		lk->target = (int)lk->phase - 1;
		return;
	}
	if (lk->phase && step_is(&st[0], x)) {	/* the iteration starts over */
		memset(lk->it, 0, p * sizeof(lk->it[0]));
		lk->it_t0 = x->t0;
		acc_tok(&lk->it[0], x);
		lk->phase = 1;
		lk->target = 0;
		return;
	}
	lk->target = -1;		/* noise */
	lk->last_noise = t->n;
	t->noise[((t->n - 1) & RMASK) / 64] |= 1ull << ((t->n - 1) & 63);
	if (lk->since_iter > 2 * p)
		end_run(t, 1);		/* the loop is over */
}

/* noise steps among the last k (k <= RING) */
static unsigned noise_in_last(const struct ilp_loopt *t, size_t k)
{
	unsigned c = 0, bit;
	uint64_t i = t->n - k, len, mask;

	while (i < t->n) {	/* a word at a time */
		bit = (unsigned)(i & 63);
		len = 64 - bit < t->n - i ? 64 - bit : t->n - i;
		mask = (len == 64 ? ~0ull : (1ull << len) - 1) << bit;
		c += (unsigned)__builtin_popcountll(t->noise[(i & RMASK) / 64] & mask);
		i += len;
	}
	return c;
}

/* updates run[] for the newest step; the smallest period confirmed, 0 if none */
static size_t scan(struct ilp_loopt *t)
{
	const struct tok *x = tok_at(t, t->n - 1);
	size_t p, pmax = t->n - 1 < W ? (size_t)(t->n - 1) : W, best = 0;

	for (p = 1; p <= pmax; p++) {
		if (tok_same(tok_at(t, t->n - 1 - p), x)) {
			if (t->run[p] < UINT16_MAX)
				t->run[p]++;
		} else {
			t->run[p] = 0;
		}
		if (!best && p >= 2 && t->run[p] >= p)
			best = p;
	}
	return best;
}

/* a run of the newest step goes on: its calls go where the step's went */
static void merge(struct ilp_loopt *t, uint64_t lat, uint64_t share, uint64_t exit_ts)
{
	struct lockst *lk = t->lk;
	struct acc *a;

	if (!t->locked || lk->target < 0)
		return;
	a = lk->target < W ? &lk->it[lk->target] : &lk->ep[lk->target - W];
	a->calls++;
	a->ns += lat;
	a->share += share;
	if (lk->target >= W)
		lk->ep_t1 = exit_ts;
}

int ilp_loopt_call(struct ilp_loopt *t, int nr, const struct ilp_fdobj *obj, uint64_t lat,
		   uint64_t share, uint64_t exit_ts)
{
	struct tok *x;
	size_t best;

	if (t->n) {
		x = &t->ring[(t->n - 1) & RMASK];
		if (x->nr == nr && x->obj == obj) {
			x->calls++;
			x->ns += lat;
			x->share += share;
			x->t1 = exit_ts;
			merge(t, lat, share, exit_ts);
			return 0;
		}
	}
	x = &t->ring[t->n & RMASK];
	*x = (struct tok){ obj, nr, 1, lat, share, exit_ts - lat, exit_ts };
	t->noise[(t->n & RMASK) / 64] &= ~(1ull << (t->n & 63));
	t->n++;
	best = scan(t);
	if (t->locked) {
		struct lockst *lk = t->lk;
		size_t p = lk->s->pub.nsteps;

		if (best > p && lk->last_noise && lk->last_noise + 2 * best > t->n &&
		    noise_in_last(t, 2 * best) * NOISE_SHARE >= 2 * best) {
			/* a longer sequence explains the noise: it takes over */
			end_run(t, lk->ep_start + 2 * best < t->n);
			return lock(t, best);
		}
		match(t, x);
		if (t->locked)
			return 0;
	}
	if (best && t->n >= t->retry_at)
		return lock(t, best);
	return 0;
}

void ilp_loopt_flush(struct ilp_loopt *t)
{
	struct lockst *lk = t->lk;

	if (!t->locked || !count_run(lk))
		return;
	lk->created = 0;	/* counted: kept whatever comes */
	if (lk->target >= W)
		lk->target = -1;
	lk->ep_start = t->n;	/* what is counted stays counted */
}

size_t ilp_loopt_nloops(const struct ilp_loopt *t)
{
	return t ? t->nseqs : 0;
}

const struct ilp_loop *ilp_loopt_loop(const struct ilp_loopt *t, size_t i)
{
	return t && i < t->nseqs ? &t->seqs[i]->pub : NULL;
}
