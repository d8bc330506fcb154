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
 * the step just matched joins it (a run split by noise); one equal to one
 * of the next SKIP_MAX steps advances past the skipped ones; one equal to
 * the first step restarts the iteration (the partial one is dropped, or
 * counted if only its last SKIP_MAX steps were missing); any other step is
 * noise, skipped, and more noise than steps drops the iteration.  After 2
 * periods' worth of steps without a complete iteration the run ends and
 * its iterations are counted.
 *
 * An inner pattern can lock first (a b a b in a b a b c): when a longer
 * period is confirmed over three copies and at least 1 in NOISE_SHARE of
 * the steps in them were noise to the locked one, the longer one takes
 * over; the short run's iterations are dropped if it began inside those
 * copies.  Rarer noise (a log line every few transactions), or a burst of
 * odd iterations that repeats only twice, is noise: the short loop stays.
 * A lock counts every copy its run of matches covers in the ring (the
 * three copies, when a longer period takes over), and the copies before
 * it back to the last step an earlier run counted (copies_before).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fdmodel.h"
#include "fdobj_internal.h"
#include "loop_internal.h"
#include "loopmodel.h"
#include "syscalls.h"

#define W ILP_LOOP_PERIOD
#define RING (2 * W)
#define RMASK (RING - 1)
#define EVICT_BELOW 4		/* iterations: a sequence this rare may make room */
#define SKIP_MAX 2		/* steps an item may skip and still count */
#define NOISE_SHARE 10		/* 1 step in this many noise to the lock: a longer
				 * period confirmed over them is the loop */
#define LAST_BITS 8		/* the table of keys in the window: 256 slots for
				 * at most W + 1 keys */
#define LAST_MASK ((1u << LAST_BITS) - 1)
#define NO_SLOT 0xff		/* a free slot of the table */

_Static_assert((RING & RMASK) == 0, "the ring is a power of 2");

struct tok {
	const struct ilp_fdobj *obj;
	int nr;
	uint16_t wild;		/* obj is an unresolved fd */
	uint16_t pad;
	uint32_t calls;
	uint64_t ns, share;
	uint64_t t0, t1;	/* enter of its first call, exit of its last */
};

struct acc {			/* [0]: the step's object, [1 + i]: its alternate i */
	uint64_t calls[1 + ILP_LOOP_ALTS], ns[1 + ILP_LOOP_ALTS], share[1 + ILP_LOOP_ALTS];
};

/* a step's names at a glance: bit (desc hash % 64) of its object and of
 * each alternate; x's name is none of them where x's bit is not set */
struct names {
	uint64_t bits;
	size_t n;		/* made with the step's nalt + 1 names, 0: not yet */
};

struct seq {
	uint64_t hash;		/* the same for every rotation */
	struct names *names;	/* [nsteps], after the steps */
	struct ilp_loop pub;	/* last: its nsteps steps follow */
};

struct lockst {
	struct seq *s;
	size_t phase;		/* next step expected */
	uint64_t since_iter;	/* steps since the last complete iteration */
	uint64_t last_noise;	/* index + 1 of the last noise step, 0: none */
	uint64_t quiet_at;	/* steps from which none in the ring is noise */
	int target;		/* where the newest step's calls went: -1 none,
				 * k < W: it[k], W + k: ep[k] */
	int target_how;		/* ... to which object's part (step_match) */
	size_t noise_it;	/* noise steps in the iteration in progress */
	size_t noise_run;	/* noise steps since the last match */
	int created;		/* s was made for this run */
	int flushed;		/* part of the run is counted already */
	struct acc *it;		/* the iteration in progress (p steps) */
	uint64_t it_used[1 + ILP_LOOP_ALTS];	/* [how - 1] bit k: it[k]'s part how
						 * has calls (the others are stale:
						 * the first calls in set them) */
	unsigned it_hows;	/* bit how - 1: it_used[how - 1] is not 0 */
	uint64_t it_t0, it_t1;	/* its first step's enter, its last step's exit */
	struct acc *ep;		/* the run's complete iterations, not yet in s */
	uint64_t ep_iters, ep_t0, ep_t1;
	uint64_t ep_start;	/* step index where the run's two first copies began */
	uint64_t it_end, ep_end;	/* index + 1 of the last step of it, of ep */
};

/* the ring, allocated at a thread's first step with RING_MIN slots,
 * doubled while full up to RING (a short process's few steps cost little),
 * freed when the thread exits: cap tokens, then their keys */
#define RING_MIN 8
struct ring {
	size_t cap;
	uint64_t *keys;		/* mix(nr, obj) of each slot */
	struct tok tok[];
};

struct ilp_loopt {
	int tid;
	int locked;
	uint64_t n;		/* steps so far */
	uint64_t noise[RING / 64];	/* per step index % RING: the step was noise to the lock */
	uint64_t free_from;	/* steps before are some counted run's */
	int run_stale;			/* steps went by unscanned (steady in a lock) */
	uint64_t indexed;	/* steps in last[] and prev[] (the others came in a
				 * steady lock: indexed when needed, index_catch_up) */
	uint64_t retry_at;	/* no lock before this step (the table was full) */
	struct ring *ring;	/* NULL: retired (the thread exited) or no step yet */
	uint16_t run[W + 1];
	uint64_t live;		/* bit p - 1: run[p] is not 0 */
	/* where each key of the last W steps last came (its step index %
	 * RING; open addressing on the key's top bits, NO_SLOT free), and per
	 * step index % RING how far back its key came before (0: not within
	 * W steps): the periods p whose step p back is the newest one are
	 * found without comparing the others (scan) */
	uint8_t last[1u << LAST_BITS];
	uint8_t prev[RING];
	uint8_t how;		/* tests: the newest step's run[] was 1 scanned,
				 * 2 rebuilt, 0 not (loop_internal.h) */
	uint8_t reindexed;	/* tests: ... its index 1 caught up step by step,
				 * 2 rebuilt, 0 up to date */
	size_t best;		/* tests: the period scan or rebuild confirmed */
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
	free(t->ring);
	free(t);
}

static uint64_t mix(int nr, const struct ilp_fdobj *obj)
{
	uint64_t h = ((uint64_t)(uintptr_t)obj ^ ((uint64_t)(unsigned)nr << 48)) *
		     0x9e3779b97f4a7c15ull;

	return h ^ (h >> 31);
}

/* the same step, an unresolved fd standing for any object */
static int tok_like(const struct tok *a, const struct tok *b)
{
	return a->nr == b->nr &&
	       (a->obj == b->obj || (a->obj && b->obj && (a->wild || b->wild)));
}

/* a ring of cap slots (a power of 2) with old's steps (old full, freed) */
static struct ring *ring_new(struct ring *old, size_t cap)
{
	struct ring *r = malloc(sizeof(*r) + cap * sizeof(r->tok[0]) + cap * sizeof(uint64_t));

	if (!r)
		return NULL;
	r->cap = cap;
	r->keys = (uint64_t *)&r->tok[cap];
	if (old) {		/* step i in slot i, i < old->cap: the same slot */
		memcpy(r->tok, old->tok, old->cap * sizeof(r->tok[0]));
		memcpy(r->keys, old->keys, old->cap * sizeof(uint64_t));
		free(old);
	}
	return r;
}

static uint64_t key_at(const struct ilp_loopt *t, uint64_t i)
{
	return t->ring->keys[i & (t->ring->cap - 1)];
}

/*
 * How step x matches s: 0 not, 1 on s's object, 2 + i on its alternate i
 * (when one of the two is an unresolved fd: a name the source missed in
 * some iterations; the unresolved fds of one step, whatever the reason
 * each name was lost, are its alternates).  set: an object seen at this
 * step the first time becomes an alternate (the last slot takes any more).
 */
static __attribute__((noinline)) int step_match_other(struct ilp_loop_step *s,
						      struct names *nm, const struct tok *x,
						      int set);

/* step_match of a sequence's step s whose names are nm (NULL: compare them) */
static inline int step_match_nm(struct ilp_loop_step *s, struct names *nm, const struct tok *x,
				int set)
{
	if (s->nr != x->nr)
		return 0;
	if (s->obj == x->obj)
		return 1;
	return step_match_other(s, nm, x, set);
}

static inline int step_match(struct ilp_loop_step *s, const struct tok *x, int set)
{
	return step_match_nm(s, NULL, x, set);
}

/* step_match of a step on the same syscall and another object; nm: its
 * names, NULL to compare them all */
static int step_match_other(struct ilp_loop_step *s, struct names *nm, const struct tok *x,
			    int set)
{
	uint64_t xh;
	size_t i;

	if (!x->obj || !s->obj)
		return 0;
	xh = ilp_fdobj_desc_hash(x->obj);
	if (nm) {
		if (nm->n != s->nalt + 1) {	/* an alternate came (they only come) */
			nm->bits = 1ull << (ilp_fdobj_desc_hash(s->obj) & 63);
			for (i = 0; i < s->nalt; i++)
				nm->bits |= 1ull << (ilp_fdobj_desc_hash(s->alt[i]) & 63);
			nm->n = s->nalt + 1;
		}
		if (!(nm->bits & (1ull << (xh & 63))))
			goto other;	/* not one of them (nor an alternate itself) */
	}
	/* the same name typed otherwise ("file /d" for "dir /d"): a glitch of
	 * the name, not another object (a hash that differs says no inline).
	 * One pass: an alternate is added only when its name is none of the
	 * step's (names never change), so at most one of them has x's name,
	 * and an alternate that is x's object is that one */
	if (ilp_fdobj_desc_hash(s->obj) == xh && ilp_fdobj_same_desc(s->obj, x->obj))
		return 1;
	for (i = 0; i < s->nalt; i++)
		if (s->alt[i] == x->obj || (ilp_fdobj_desc_hash(s->alt[i]) == xh &&
					    ilp_fdobj_same_desc(s->alt[i], x->obj)))
			return 2 + (int)i;
other:
	if (!(x->wild || s->wild))
		return 0;
	if (s->nalt == ILP_LOOP_ALTS)
		return 1 + ILP_LOOP_ALTS;	/* the last one takes the rest */
	if (!set)
		return 2 + (int)s->nalt;
	s->alt[s->nalt] = x->obj;
	return 2 + (int)s->nalt++;
}

static const struct tok *tok_at(const struct ilp_loopt *t, uint64_t i)
{
	return &t->ring->tok[i & (t->ring->cap - 1)];
}

/* how: 1 the step's object, 2 + i its alternate i (step_match) */
static void acc_tok(struct acc *a, const struct tok *t, int how)
{
	a->calls[how - 1] += t->calls;
	a->ns[how - 1] += t->ns;
	a->share[how - 1] += t->share;
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
		struct ilp_loop_step *st = &l->steps[k];

		st->calls += lk->ep[k].calls[0];
		st->ns += lk->ep[k].ns[0];
		st->share += lk->ep[k].share[0];
		for (size_t a = 0; a < ILP_LOOP_ALTS; a++) {
			st->alt_calls[a] += lk->ep[k].calls[1 + a];
			st->alt_ns[a] += lk->ep[k].ns[1 + a];
			st->alt_share[a] += lk->ep[k].share[1 + a];
		}
	}
	memset(lk->ep, 0, l->nsteps * sizeof(lk->ep[0]));
	lk->ep_iters = 0;
	lk->flushed = 1;
	return 1;
}

static void iteration_done(struct lockst *lk, uint64_t t1);

/*
 * The run ends: its iterations are counted (commit) or dropped.  The one
 * in progress counts when more than half its steps came: the last item
 * of a loop has no next one to begin (a transaction's lock is taken at
 * the start of the next item, seen as the end of this one).
 */
static void end_run(struct ilp_loopt *t, int commit)
{
	struct lockst *lk = t->lk;
	struct ilp_loop *l = &lk->s->pub;
	size_t i;

	int counted;

	if (commit && lk->phase * 2 > l->nsteps)
		iteration_done(lk, lk->it_t1);
	counted = commit && count_run(lk);
	if (!counted && !lk->flushed && l->episodes)
		l->episodes--;		/* a run that counted nothing is no run */
	if (!l->iterations && lk->created) {
		for (i = 0; i < t->nseqs && t->seqs[i] != lk->s; i++)
			;
		if (i < t->nseqs) {
			free(t->seqs[i]);
			t->seqs[i] = t->seqs[--t->nseqs];
		}
	}
	/* the steps after the last it counted are free (a run that counted
	 * nothing leaves all of its steps) */
	if ((counted || lk->flushed) && lk->ep_end > t->free_from)
		t->free_from = lk->ep_end;
	free(lk);		/* a lock's state lives while it does */
	t->lk = NULL;
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
			for (k = 0; k < p && step_match(&s->pub.steps[(j + k) % p],
							tok_at(t, r0 + k), 0); k++)
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

/*
 * Where a new sequence of the p steps from r0 starts: at the open of the
 * object whose life in an iteration is longest (open journal ... close
 * journal: an item begins there), when that open is the only one of its
 * kind in the sequence (a restart on it is sure); else where the
 * repetition began.
 */
static size_t canonical_start(const struct ilp_loopt *t, uint64_t r0, size_t p)
{
	size_t k, d, j, best = 0, best_len = 0;

	for (k = 0; k < p; k++) {
		const struct tok *o = tok_at(t, r0 + k);

		if (!o->obj || ilp_io_cat(ilp_syscall_class(o->nr)) != ILP_IO_OPEN)
			continue;
		for (j = 0; j < p && (j == k || tok_at(t, r0 + j)->nr != o->nr ||
				      tok_at(t, r0 + j)->obj != o->obj); j++)
			;
		if (j < p)
			continue;	/* opened twice an iteration */
		for (d = 1; d < p; d++) {
			const struct tok *c = tok_at(t, r0 + (k + d) % p);

			if (c->obj && (c->obj == o->obj || c->wild || o->wild) &&
			    ilp_io_cat(ilp_syscall_class(c->nr)) == ILP_IO_CLOSE)
				break;
		}
		if (d < p && d > best_len) {
			best_len = d;
			best = k;
		}
	}
	return best;
}

/* x's calls into the iteration in progress, its step k (matched how) */
static inline __attribute__((always_inline)) void it_tok(struct lockst *lk, size_t k,
							   const struct tok *x, int how)
{
	struct acc *a = &lk->it[k];
	int h = how - 1;

	if (lk->it_used[h] & (1ull << k)) {
		acc_tok(a, x, how);
		return;
	}
	a->calls[h] = x->calls;	/* the part's first calls */
	a->ns[h] = x->ns;
	a->share[h] = x->share;
	lk->it_used[h] |= 1ull << k;
	lk->it_hows |= 1u << h;
}

/* the iteration in progress into the run's (ep) when to_ep, then empty:
 * only the parts that have calls (O(the steps taken), not O(p) of every
 * part) */
static void it_clear(struct lockst *lk, int to_ep)
{
	for (unsigned hs = to_ep ? lk->it_hows : 0; hs; hs &= hs - 1) {
		int h = __builtin_ctz(hs);

		for (uint64_t m = lk->it_used[h]; m; m &= m - 1) {
			const struct acc *a = &lk->it[__builtin_ctzll(m)];
			struct acc *e = &lk->ep[__builtin_ctzll(m)];

			e->calls[h] += a->calls[h];
			e->ns[h] += a->ns[h];
			e->share[h] += a->share[h];
		}
	}
	memset(lk->it_used, 0, sizeof(lk->it_used));
	lk->it_hows = 0;
}

static void add_acc(struct acc *to, const struct acc *from, size_t p)
{
	for (size_t k = 0; k < p; k++)
		for (int h = 0; h < 1 + ILP_LOOP_ALTS; h++) {
			to[k].calls[h] += from[k].calls[h];
			to[k].ns[h] += from[k].ns[h];
			to[k].share[h] += from[k].share[h];
		}
}

/*
 * The copies of s just before step index at (in the ring, after the steps
 * of counted runs), matched backwards as match() does forwards: a missed
 * name matches its step, up to SKIP_MAX steps may be skipped, noise is
 * skipped (no more than a copy's worth).  Their calls go into the run
 * (lk->ep); the number of copies.  A named call at a step the lock saw
 * only with a lost name (the first item named its journal, the next ones
 * lost it) may be an fd's earlier, unrelated use (libc's close of its
 * cache): such a copy counts only with one name for each lost one, and
 * if it also has a step on one of the loop's named objects.
 */
static size_t copies_before(const struct ilp_loopt *t, struct seq *s, uint64_t at,
			    struct lockst *lk)
{
	size_t p = s->pub.nsteps, n = 0, noise = 0, phase = p, d, m, nmap = 0;
	uint64_t low = t->n > RING ? t->n - RING : 0, i, end = at;
	const struct ilp_fdobj *from[W], *to[W];	/* lost name -> name */
	struct acc it[W], sub[W];	/* sub[k].calls[0]: named for a lost name */
	int how, anchored = 0;

	if (low < t->free_from)
		low = t->free_from;
	memset(it, 0, p * sizeof(it[0]));
	memset(sub, 0, p * sizeof(sub[0]));
	for (i = at; i-- > low && noise <= p;) {
		const struct tok *x = tok_at(t, i);
		struct ilp_loop_step *st = NULL;
		int named = 0;

		for (d = 0; d <= SKIP_MAX && d < phase; d++) {
			st = &s->pub.steps[phase - 1 - d];
			if (!(how = step_match(st, x, 0)))
				continue;
			if (how == 1 || st->nalt >= (size_t)how - 1)
				break;	/* its object or an alternate */
			if (d)
				continue;	/* a new name or lost name: not after a skip */
			if (x->wild)
				break;	/* a lost name */
			if (!st->wild)
				continue;
			/* a name for the step's lost one: one for each */
			for (m = 0; m < nmap && from[m] != st->obj; m++)
				;
			if (m < nmap && to[m] != x->obj)
				continue;
			if (m == nmap) {
				from[nmap] = st->obj;
				to[nmap++] = x->obj;
			}
			named = 1;
			break;
		}
		if (d > SKIP_MAX || d >= phase) {
			noise++;
			continue;
		}
		phase -= d + 1;
		noise += d;
		if (named) {
			acc_tok(&sub[phase], x, 1);
		} else {
			how = step_match(&s->pub.steps[phase], x, 1);
			acc_tok(&it[phase], x, how);
			anchored |= x->obj && !x->wild;	/* on a named object of the loop */
		}
		if (phase)
			continue;
		if (nmap && !anchored)
			break;	/* named where the loop lost it, and nothing else: not sure */
		/* a copy, from i to end */
		for (d = 0; d < p; d++) {
			if (!sub[d].calls[0])
				continue;
			for (m = 0; from[m] != s->pub.steps[d].obj; m++)
				;
			struct tok named_tok = { .obj = to[m], .nr = s->pub.steps[d].nr };

			how = step_match(&s->pub.steps[d], &named_tok, 1);
			it[d].calls[how - 1] += sub[d].calls[0];
			it[d].ns[how - 1] += sub[d].ns[0];
			it[d].share[how - 1] += sub[d].share[0];
		}
		add_acc(lk->ep, it, p);
		if (!lk->ep_iters++)
			lk->ep_t1 = tok_at(t, end - 1)->t1;
		lk->ep_t0 = x->t0;
		n++;
		memset(it, 0, p * sizeof(it[0]));
		memset(sub, 0, p * sizeof(sub[0]));
		phase = p;
		noise = 0;
		nmap = 0;
		anchored = 0;
		end = i;
	}
	return n;
}

/* the last steps are (at least) two copies of p steps: lock on them */
static int lock(struct ilp_loopt *t, size_t p)
{
	/* every copy the run of matches covers, as far as the ring reaches */
	size_t run = t->run[p] < RING - p ? t->run[p] : RING - p, span = (run + p) / p * p;
	uint64_t r0 = t->n - span, hash = 0;
	size_t q, j;

	/* copies of a shorter sequence but for missed names (an item whose
	 * name was lost every other time): that one is the loop */
	for (q = 2; q < p; q++) {
		if (p % q)
			continue;
		for (j = 0; j + q < span && tok_like(tok_at(t, r0 + j), tok_at(t, r0 + j + q)); j++)
			;
		if (j + q >= span) {
			p = q;
			break;
		}
	}
	struct lockst *lk = t->lk;
	struct seq *s;
	size_t rot = 0, k, i, first, back;
	int how;

	for (k = 0; k < p; k++)	/* syscalls only: a missed name must not change it */
		hash += mix(tok_at(t, r0 + k)->nr, NULL);
	free(lk);		/* a lock that could not be made (the table was full) */
	lk = t->lk = calloc(1, sizeof(*lk) + 2 * p * sizeof(lk->it[0]));
	if (!lk)
		return -ENOMEM;
	lk->it = (struct acc *)(lk + 1);
	lk->ep = lk->it + p;
	s = find_seq(t, r0, p, hash, &rot);
	if (!s) {
		if (!make_room(t)) {
			t->retry_at = t->n + p;
			return 0;
		}
		s = calloc(1, sizeof(*s) + p * (sizeof(s->pub.steps[0]) + sizeof(s->names[0])));
		if (!s)
			return -ENOMEM;
		s->names = (struct names *)&s->pub.steps[p];
		s->pub.tid = t->tid;
		s->pub.nsteps = p;
		s->hash = hash;
		first = canonical_start(t, r0, p);
		for (k = 0; k < p; k++) {
			const struct tok *x = tok_at(t, r0 + (first + k) % p);

			s->pub.steps[k].nr = x->nr;
			s->pub.steps[k].obj = x->obj;
			s->pub.steps[k].wild = x->wild;
		}
		rot = (p - first) % p;	/* the step at r0 */
		t->seqs[t->nseqs++] = s;
		lk->created = 1;
	}
	s->pub.episodes++;
	lk->s = s;
	lk->ep_start = r0;
	lk->target = -1;
	t->locked = 1;
	/* the complete copies, counted from the sequence's first step: first
	 * the earlier ones still in the ring (the exact repetition may have
	 * begun late: a missed name in the first items), then a first copy
	 * missing only its first SKIP_MAX steps, then those of the repetition */
	first = (p - rot) % p;
	back = copies_before(t, s, r0 + first, lk);
	if (!back && rot && rot <= SKIP_MAX) {
		for (i = rot; i < p; i++) {
			how = step_match(&s->pub.steps[i], tok_at(t, r0 + i - rot), 1);
			acc_tok(&lk->ep[i], tok_at(t, r0 + i - rot), how);
		}
		lk->ep_iters++;
		lk->ep_t0 = tok_at(t, r0)->t0;
		lk->ep_t1 = tok_at(t, r0 + first - 1)->t1;
	}
	for (k = first; k + p <= span; k += p) {
		for (i = 0; i < p; i++) {
			how = step_match(&s->pub.steps[i], tok_at(t, r0 + k + i), 1);
			acc_tok(&lk->ep[i], tok_at(t, r0 + k + i), how);
			lk->target_how = how;
		}
		if (!lk->ep_iters++)
			lk->ep_t0 = tok_at(t, r0 + k)->t0;
		lk->ep_t1 = tok_at(t, r0 + k + p - 1)->t1;
		lk->ep_end = r0 + k + p;
		lk->target = (int)(W + p - 1);
	}
	/* the rest begins the next iteration */
	for (i = 0; k + i < span; i++) {
		if (!i)
			lk->it_t0 = tok_at(t, r0 + k)->t0;
		lk->it_t1 = tok_at(t, r0 + k + i)->t1;
		how = step_match(&s->pub.steps[i], tok_at(t, r0 + k + i), 1);
		it_tok(lk, i, tok_at(t, r0 + k + i), how);
		lk->target = (int)i;
		lk->target_how = how;
	}
	lk->phase = i;
	lk->it_end = r0 + span;
	return 0;
}

static void iteration_done(struct lockst *lk, uint64_t t1)
{
	it_clear(lk, 1);
	lk->noise_it = 0;
	if (!lk->ep_iters++)
		lk->ep_t0 = lk->it_t0;
	lk->ep_t1 = t1;
	lk->ep_end = lk->it_end;
	lk->phase = 0;
	lk->since_iter = 0;
}

/* the iteration in progress is dropped */
static void drop_iteration(struct lockst *lk)
{
	it_clear(lk, 0);
	lk->phase = 0;
	lk->noise_it = 0;
}

/* x is the item's step lk->phase (matched how): counted, the next awaited */
static inline __attribute__((always_inline)) void take_step(struct ilp_loopt *t,
							     const struct tok *x, int how,
							     size_t p)
{
	struct lockst *lk = t->lk;

	lk->it_t1 = x->t1;
	lk->it_end = t->n;
	it_tok(lk, lk->phase, x, how);
	lk->target = (int)lk->phase;
	lk->target_how = how;
	lk->noise_run = 0;
	if (++lk->phase == p) {
		iteration_done(lk, x->t1);
		lk->target = (int)(W + p - 1);
	}
}

/* step_match(s, x, 1) when step_match(s, x, 0) gave how */
static int step_set(struct ilp_loop_step *s, const struct tok *x, int how)
{
	if (how && how == 2 + (int)s->nalt)	/* a new alternate */
		s->alt[s->nalt++] = x->obj;
	return how;
}

/* a new step while locked; how0: step_match(x, 0) on the step expected */
static void match(struct ilp_loopt *t, const struct tok *x, int how0)
{
	struct lockst *lk = t->lk;
	struct ilp_loop_step *st = lk->s->pub.steps;
	struct names *nm = lk->s->names;
	size_t p = lk->s->pub.nsteps;
	int how;

	lk->since_iter++;
	if ((how = step_set(&st[lk->phase], x, how0))) {
		if (!lk->phase)
			lk->it_t0 = x->t0;
		take_step(t, x, how, p);
		return;
	}
	/* a run split by a little noise (pwrite, a log line, pwrite) */
	if (lk->phase && lk->noise_run <= 2 &&
	    (how = step_match_nm(&st[lk->phase - 1], &nm[lk->phase - 1], x, 1))) {
		it_tok(lk, lk->phase - 1, x, how);
		lk->it_t1 = x->t1;
		lk->it_end = t->n;
		lk->target = (int)lk->phase - 1;
		lk->target_how = how;
		lk->noise_run = 0;
		return;
	}
	/* a step or two the item skipped (an item that had less to do): the
	 * next ones match; the skipped steps count as noise */
	for (size_t d = 1; d <= SKIP_MAX && lk->phase + d < p; d++) {
		if (!(how = step_match_nm(&st[lk->phase + d], &nm[lk->phase + d], x, 1)))
			continue;
		lk->noise_it += d;
		lk->phase += d;
		take_step(t, x, how, p);
		return;
	}
	/* the iteration starts over */
	if (lk->phase && (how = step_match_nm(&st[0], &nm[0], x, 1))) {
		if (p - lk->phase <= SKIP_MAX)	/* the item skipped its last steps */
			iteration_done(lk, lk->it_t1);
		else
			drop_iteration(lk);
		lk->it_t0 = x->t0;
		lk->it_t1 = x->t1;
		lk->it_end = t->n;
		it_tok(lk, 0, x, how);
		lk->phase = 1;
		lk->target = 0;
		lk->target_how = how;
		lk->noise_run = 0;
		return;
	}
	lk->target = -1;		/* noise */
	lk->noise_run++;
	lk->last_noise = t->n;
	lk->quiet_at = t->n + RING;
	t->noise[((t->n - 1) & RMASK) / 64] |= 1ull << ((t->n - 1) & 63);
	if (lk->phase && ++lk->noise_it > p)
		drop_iteration(lk);	/* more noise than steps: not this loop */
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

/* the key of the step whose index % RING is slot (one of the last RING) */
static uint64_t slot_key(const struct ilp_loopt *t, unsigned slot)
{
	return t->ring->keys[slot & (t->ring->cap - 1)];
}

/* the table slot of key: where it is, or the free one it would take */
static unsigned last_pos(const struct ilp_loopt *t, uint64_t key)
{
	unsigned i = (unsigned)(key >> (64 - LAST_BITS));

	while (t->last[i] != NO_SLOT && slot_key(t, t->last[i]) != key)
		i = (i + 1) & LAST_MASK;
	return i;
}

/* step c (its key in the ring) joins the table: prev[] of c is how far
 * back its key came last, if the table has it */
static void index_add(struct ilp_loopt *t, uint64_t c)
{
	unsigned i = last_pos(t, key_at(t, c));

	t->prev[c & RMASK] = t->last[i] == NO_SLOT ? 0 : (uint8_t)((c - t->last[i]) & RMASK);
	t->last[i] = (uint8_t)(c & RMASK);
}

/*
 * Step c (the next one not indexed) joins the table, and the step W + 1
 * back leaves it: prev[] of c is how far back its key came last, if within
 * W steps.
 */
static void index_step(struct ilp_loopt *t, uint64_t c)
{
	unsigned i, j, home;

	if (c > W) {		/* c - W - 1 leaves, unless its key came since */
		i = last_pos(t, key_at(t, c - W - 1));
		if (t->last[i] == ((c - W - 1) & RMASK)) {
			/* free slot i: the entries after it that may move up do
			 * (linear probing's deletion, no tombstones) */
			for (j = (i + 1) & LAST_MASK; t->last[j] != NO_SLOT; j = (j + 1) & LAST_MASK) {
				home = (unsigned)(slot_key(t, t->last[j]) >> (64 - LAST_BITS));
				if (((j - home) & LAST_MASK) >= ((j - i) & LAST_MASK)) {
					t->last[i] = t->last[j];
					i = j;
				}
			}
			t->last[i] = NO_SLOT;
		}
	}
	index_add(t, c);
}

/*
 * The index up to the newest step, for scan() or rebuild(): the steps a
 * steady lock let go by join it one by one while the step W + 1 back from
 * each is still in the ring (a few: W / 2 at most), else the table is made
 * again from the last W + 1 steps alone.  Then prev[] of a step s is 0
 * where its key came last before those steps: s is one of the W steps
 * before the newest, c, and scan() or rebuild() follow prev[s] only where
 * it stays within W steps of c (or a later step), and those are there.
 */
static void index_catch_up(struct ilp_loopt *t)
{
	uint64_t c;

	if (t->n - t->indexed <= W / 2) {
		t->reindexed = t->n - t->indexed > 1;
		for (c = t->indexed; c < t->n; c++)
			index_step(t, c);
	} else {
		t->reindexed = 2;
		memset(t->last, NO_SLOT, sizeof(t->last));
		for (c = t->n > W + 1 ? t->n - W - 1 : 0; c < t->n; c++)
			index_add(t, c);
	}
	t->indexed = t->n;
}

/*
 * updates run[] for the newest step; the smallest period confirmed, 0 if
 * none.  run[p] grows where the step p back has the newest step's key (its
 * chain of earlier copies in prev[]) and goes to 0 where it was not 0
 * (live) and the key differs: O(the periods that changed), not O(W) (on a
 * server's stream, where nothing locks, the W compares of every step were
 * two thirds of the loop model's cost, bench_server_model).
 */
static size_t scan(struct ilp_loopt *t)
{
	uint64_t c = t->n - 1, eq = 0, zero;
	size_t p = t->prev[c & RMASK], d, best = 0;

	while (p) {		/* increasing p: the first confirmed is the smallest */
		uint16_t r = (uint16_t)(t->run[p] + (t->run[p] < UINT16_MAX));

		t->run[p] = r;
		if (!best && p >= 2 && r >= p)
			best = p;
		eq |= 1ull << (p - 1);
		d = t->prev[(c - p) & RMASK];
		p = d && p + d <= W ? p + d : 0;
	}
	for (zero = t->live & ~eq; zero; zero &= zero - 1)
		t->run[__builtin_ctzll(zero) + 1] = 0;
	t->live = eq;
	return best;
}

/*
 * run[] from the ring alone, for the newest step (after steps that were not
 * scanned); the smallest period confirmed, 0 if none.  run[p] is not 0 only
 * where the step p back has the newest step's key: those periods (its chain
 * in prev[], as scan() walks it) are counted back, the others go to 0.
 * O(the sum of their runs).
 */
static size_t rebuild(struct ilp_loopt *t)
{
	uint64_t c = t->n - 1, live = 0, zero;
	size_t p = t->prev[c & RMASK], r, d, best = 0;

	for (zero = t->live; zero; zero &= zero - 1)
		t->run[__builtin_ctzll(zero) + 1] = 0;
	while (p) {		/* increasing p: the first confirmed is the smallest */
		for (r = 1; r + p < RING && r + p < t->n && key_at(t, c - r) == key_at(t, c - r - p);
		     r++)
			;
		t->run[p] = (uint16_t)r;
		live |= 1ull << (p - 1);
		if (!best && p >= 2 && r >= p)
			best = p;
		d = t->prev[(c - p) & RMASK];
		p = d && p + d <= W ? p + d : 0;
	}
	t->live = live;
	return best;
}

/*
 * No noise in the ring (to the lock): a longer period can take over only
 * over noise in its last 3 copies (ilp_loopt_call), so while the lock
 * lasts the scan can wait (run[] is rebuilt when needed), and so can the
 * index (index_catch_up).
 */
static int steady(const struct ilp_loopt *t)
{
	const struct lockst *lk = t->lk;

	return t->n >= lk->quiet_at;
}

/* a run of the newest step goes on: its calls go where the step's went */
static void merge(struct ilp_loopt *t, uint64_t lat, uint64_t share, uint64_t exit_ts)
{
	struct lockst *lk = t->lk;
	struct acc *a;

	if (!t->locked || lk->target < 0)
		return;
	a = lk->target < W ? &lk->it[lk->target] : &lk->ep[lk->target - W];
	if (lk->target < W && !(lk->it_used[lk->target_how - 1] & (1ull << lk->target))) {
		a->calls[lk->target_how - 1] = a->ns[lk->target_how - 1] = 0;	/* stale */
		a->share[lk->target_how - 1] = 0;
		lk->it_used[lk->target_how - 1] |= 1ull << lk->target;
		lk->it_hows |= 1u << (lk->target_how - 1);
	}
	a->calls[lk->target_how - 1]++;
	a->ns[lk->target_how - 1] += lat;
	a->share[lk->target_how - 1] += share;
	if (lk->target >= W)
		lk->ep_t1 = exit_ts;
	else
		lk->it_t1 = exit_ts;
}

int ilp_loopt_call(struct ilp_loopt *t, int nr, const struct ilp_fdobj *obj, int wild,
		   uint64_t lat, uint64_t share, uint64_t exit_ts)
{
	struct tok *x;
	size_t best;
	int how0 = 0;

	if (!t->ring) {		/* the first step (of a thread reusing a tid: again) */
		t->ring = ring_new(NULL, RING_MIN);
		if (!t->ring)
			return -ENOMEM;
		t->n = 0;
		t->free_from = 0;
		t->run_stale = 0;
		t->indexed = 0;
		memset(t->noise, 0, sizeof(t->noise));
		memset(t->run, 0, sizeof(t->run));
		t->live = 0;
		memset(t->last, NO_SLOT, sizeof(t->last));
	}
	if (t->n) {
		x = (struct tok *)tok_at(t, t->n - 1);
		if (x->nr == nr && x->obj == obj) {
			x->calls++;
			x->ns += lat;
			x->share += share;
			x->t1 = exit_ts;
			merge(t, lat, share, exit_ts);
			return 0;
		}
	}
	if (t->n == t->ring->cap && t->n < RING) {	/* full: all steps so far in order */
		struct ring *r = ring_new(t->ring, 2 * t->ring->cap);

		if (!r)
			return -ENOMEM;
		t->ring = r;
	}
	x = (struct tok *)tok_at(t, t->n);
	*x = (struct tok){ obj, nr, (uint16_t)!!wild, 0, 1, lat, share, exit_ts - lat, exit_ts };
	t->ring->keys[t->n & (t->ring->cap - 1)] = mix(nr, obj);
	t->noise[(t->n & RMASK) / 64] &= ~(1ull << (t->n & 63));
	t->n++;
	if (t->locked) {	/* matched once: steady() and match() take it */
		how0 = step_match_nm(&t->lk->s->pub.steps[t->lk->phase],
				     &t->lk->s->names[t->lk->phase], x, 0);
		if (steady(t)) {
			match(t, x, how0);
			if (t->locked) {	/* no other period could take over */
				t->run_stale = 1;
				t->how = 0;
				t->reindexed = 0;
				return 0;
			}
			/* the step was noise that ended the run: run[] as if
			 * scanned before match() (it reads the keys alone) */
		}
	}
	index_catch_up(t);
	t->how = t->run_stale ? 2 : 1;
	best = t->best = t->run_stale ? rebuild(t) : scan(t);
	t->run_stale = 0;
	if (t->locked) {
		struct lockst *lk = t->lk;
		size_t p = lk->s->pub.nsteps;

		if (best > p && 3 * best <= RING && t->run[best] >= 2 * best && lk->last_noise &&
		    lk->last_noise + 3 * best > t->n &&
		    noise_in_last(t, 3 * best) * NOISE_SHARE >= 3 * best) {
			/* a longer sequence explains the noise: it takes over */
			end_run(t, lk->ep_start + 3 * best < t->n);
			return lock(t, best);
		}
		match(t, x, how0);
		if (t->locked)
			return 0;
	}
	if (best && t->n >= t->retry_at)
		return lock(t, best);
	return 0;
}

void ilp_loopt_flush(struct ilp_loopt *t, int final)
{
	struct lockst *lk = t->lk;

	if (t->locked && final) {
		end_run(t, 1);	/* the trace is over: so is the loop */
		return;
	}
	if (!t->locked || !count_run(lk))
		return;
	lk->created = 0;	/* counted: kept whatever comes */
	if (lk->target >= W)
		lk->target = -1;
	lk->ep_start = t->n;	/* what is counted stays counted */
}

void ilp_loopt_reset(struct ilp_loopt *t)
{
	size_t i, k;

	ilp_loopt_flush(t, 0);
	for (i = 0; i < t->nseqs; i++) {
		struct ilp_loop *l = &t->seqs[i]->pub;

		l->iterations = 0;
		l->episodes = t->locked && t->lk->s == t->seqs[i];
		l->first_ts = l->last_ts = 0;
		for (k = 0; k < l->nsteps; k++) {
			struct ilp_loop_step *st = &l->steps[k];

			st->calls = st->ns = st->share = 0;
			memset(st->alt_calls, 0, sizeof(st->alt_calls));
			memset(st->alt_ns, 0, sizeof(st->alt_ns));
			memset(st->alt_share, 0, sizeof(st->alt_share));
		}
	}
}

int ilp_loopt_retire(struct ilp_loopt *t)
{
	if (t->locked)
		end_run(t, 1);	/* the thread is gone: so is its loop */
	free(t->ring);
	t->ring = NULL;
	free(t->lk);
	t->lk = NULL;
	return !t->nseqs;
}

size_t ilp_loopt_nloops(const struct ilp_loopt *t)
{
	return t ? t->nseqs : 0;
}

const struct ilp_loop *ilp_loopt_loop(const struct ilp_loopt *t, size_t i)
{
	return t && i < t->nseqs ? &t->seqs[i]->pub : NULL;
}

void ilp_loopt_last_scan(const struct ilp_loopt *t, struct ilp_loopt_scan *out)
{
	out->steps = t->n;
	out->how = t->how;
	out->reindexed = t->reindexed;
	out->best = t->best;
	memcpy(out->run, t->run, sizeof(out->run));
}
