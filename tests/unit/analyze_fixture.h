/* SPDX-License-Identifier: MIT */
#ifndef ILP_TEST_ANALYZE_FIXTURE_H
#define ILP_TEST_ANALYZE_FIXTURE_H

/*
 * The detector tests' fixture: a model fed by a synthetic stream (fdtest.h),
 * default thresholds, and the findings of one run.  Define WALL (the wall
 * time the shares are taken of) before including this header.
 */

#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "fdtest.h"
#include "report.h"
#include "../../src/report/report_text_parts.h"	/* the report layer's own */
#include "sumrule.h"

#define START (1000 * MS)	/* the streams' first call */

struct fixture {
	struct stream s;
	struct ilp_findings f;
	struct ilp_thresholds th;
};

static int setup(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	x->s.m = ilp_model_new();
	x->s.ts = START;
	x->s.pid = x->s.tid = 100;
	ilp_thresholds_default(&x->th);
	*state = x;
	return x->s.m ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *x = *state;

	ilp_findings_release(&x->f);
	ilp_model_free(x->s.m);
	free(x);
	return 0;
}

/* runs every detector over WALL (or the stream's span, if it is longer: a
 * capture lasts at least as long as its events); returns how many
 * findings of kind there are; the findings always keep the sum rule */
static size_t run(struct fixture *x, const char *kind)
{
	uint64_t last = ilp_model_last_ts(x->s.m), span = last > START ? last - START : 0;
	uint64_t wall = span > WALL ? span : WALL;
	size_t i, n = 0;

	assert_int_equal(ilp_model_index(x->s.m, x->s.ts), 0);
	assert_int_equal(ilp_analyze(x->s.m, &x->th, wall, &x->f), 0);
	assert_sum_rule(x->s.m, &x->f, wall);
	for (i = 0; i < x->f.n; i++)
		n += !strcmp(x->f.v[i].kind, kind);
	return n;
}

/* the Findings section of the text report for the last run, to f */
static inline void render_findings(struct fixture *x, FILE *f, int with_findings, int all)
{
	struct ilp_report_info info = { 0 };

	info.findings = x->f.v;
	info.nfindings = x->f.n;
	info.ndetectors = with_findings ? ilp_detector_count() : 0;
	info.end_ts = WALL;	/* the wall time of the run */
	assert_int_equal(ilp_text_findings(f, &info, all), 0);
}

static inline const struct ilp_finding *only(struct fixture *x, const char *kind)
{
	assert_int_equal(x->f.n, 1);
	assert_string_equal(x->f.v[0].kind, kind);
	return &x->f.v[0];
}

#endif
