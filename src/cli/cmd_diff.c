// SPDX-License-Identifier: MIT
/*
 * iolockprof diff [--fail-above PCT] BASE.json NEW.json
 *
 * Compares two JSON reports (docs/report.schema.json, schema_version 1 or 2)
 * and prints what got slower or faster:
 *
 *   total     syscall time of all processes
 *   process   per process name (processes are matched by comm, never by
 *             pid; processes with the same comm are summed)
 *   syscall   per (process name, syscall)
 *   object    per (process name, object: "file /x", "tcp A -> B", ...)
 *   ...       every other per-process section listed in sections[] below
 *             (each an array of objects with a name and a time field)
 *   device    per block device name: device time (issue -> complete) of
 *             the traced processes' requests, summed (the whole device's
 *             for a report that does not say who submitted)
 *   finding   per (process name, detector, object): time inside the
 *             pattern's calls (time_ns)
 *
 * Names are compared with what differs between two runs of one program
 * masked (pipe inodes, addresses, ephemeral ports, temporary-file names:
 * include/diffmask.h), so a run diffed against a rerun matches its pipes,
 * sockets, locks and temp files; entries equal once masked are summed.
 *
 * Entries whose time changed are listed by absolute change, largest
 * first, with base, new, change and % change.  Time is the entry's
 * total_ns (time blocked inside the calls, wall-clock).
 *
 * --fail-above PCT: exit 1 if the total or any entry grew by more than
 * PCT percent; an entry absent from BASE counts as a regression.  Noise
 * floor: only entries (and the total) whose larger side reaches
 * ILP_DIFF_FLOOR_NS (1 ms) and ILP_DIFF_FLOOR_PCT (1 %) of the larger
 * total take part in the gate; they are still listed.
 *
 * Exit: 0 (no regression, or no --fail-above), 1 (regression), 2 (bad
 * command line or input: one line on stderr).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diffmask.h"
#include "idmap.h"
#include "json.h"
#include "options.h"
#include "report.h"
#include "fmt.h"

#define ILP_DIFF_FLOOR_NS UINT64_C(1000000)
#define ILP_DIFF_FLOOR_PCT 1.0
#define MAX_LISTED 40		/* rows printed; the rest are summed in one line */
#define LABEL_LEN 160

/* Per-process sections compared: an array under `array`, each element an
 * object naming itself in `name_key` with its time in `ns_key`. */
static const struct section {
	const char *kind;	/* shown in the first column */
	const char *array;
	const char *name_key;
	const char *ns_key;
} sections[] = {
	{ "syscall", "syscalls", "name", "total_ns" },
	{ "object", "objects", "name", "total_ns" },	/* I/O by object (fdmodel.h) */
	{ "lock", "locks_user", "name", "total_ns" },	/* futex wait time, by lock name */
	{ "klock", "locks_kernel", "name", "total_ns" },
	{ "blocking", "blocking_calls", "name", "total_ns" },	/* off-CPU S+D, "syscall object" */
};

/* top-level "devices" (schema 2): device time by device name */
static const struct section devices = { "device", "devices", "name", "total_ns" };

struct entry {
	char kind[12];
	char label[LABEL_LEN];
	uint64_t ns[2];		/* base, new */
	int seen[2];
	size_t older;		/* index + 1 of an entry with the same key hash, 0 */
};

struct diff {
	struct entry *e;
	size_t n, cap;
	struct ilp_idmap idx;	/* entry_hash -> index + 1 of the newest such entry */
	uint64_t total[2];
	const char *path[2];
	double fail_above;	/* < 0: no gate */
	struct thresh {		/* the report's "thresholds" block */
		char name[32];
		char unit[16];
		uint64_t value;
	} th[2][ILP_REPORT_THRESHOLDS_MAX];
	size_t nth[2];
};

static void say(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "iolockprof: diff: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
}

static uint64_t entry_hash(const char *kind, const char *label)
{
	uint64_t h = 1469598103934665603ull;

	for (; *kind; kind++)
		h = (h ^ (unsigned char)*kind) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;	/* no byte of a string */
	for (; *label; label++)
		h = (h ^ (unsigned char)*label) * 1099511628211ull;
	return h;
}

/* the entry (kind, label), created if new: keyed, so a report with 100000
 * objects loads in linear time */
static struct entry *entry_get(struct diff *d, const char *kind, const char *label)
{
	uint64_t h = entry_hash(kind, label);
	size_t head = (size_t)(uintptr_t)ilp_idmap_get(&d->idx, h), i;
	struct entry *e;

	for (i = head; i; i = d->e[i - 1].older)
		if (!strcmp(d->e[i - 1].kind, kind) && !strcmp(d->e[i - 1].label, label))
			return &d->e[i - 1];
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 64;
		struct entry *ne = realloc(d->e, ncap * sizeof(*ne));

		if (!ne)
			return NULL;
		d->e = ne;
		d->cap = ncap;
	}
	if (ilp_idmap_put(&d->idx, h, (void *)(uintptr_t)(d->n + 1)))
		return NULL;
	e = &d->e[d->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->kind, sizeof(e->kind), "%s", kind);
	snprintf(e->label, sizeof(e->label), "%s", label);
	e->older = head;
	return e;
}

/* entries are matched by their names with the run-specific parts masked
 * (diffmask.h): equal masked names are summed */
static int add(struct diff *d, int side, const char *kind, const char *label, uint64_t ns)
{
	char key[LABEL_LEN];
	struct entry *e;

	ilp_diff_mask(label, key, sizeof(key));
	e = entry_get(d, kind, key);

	if (!e)
		return -ENOMEM;
	e->ns[side] += ns;
	e->seen[side] = 1;
	return 0;
}

/* bad input: say where in which file, return -EINVAL */
static int bad(const struct diff *d, int side, const char *what)
{
	say("%s: %s", d->path[side], what);
	return -EINVAL;
}

static int load_section(struct diff *d, int side, const struct ilp_json *proc,
			const char *comm, const struct section *s, size_t pi)
{
	const struct ilp_json *arr = ilp_json_get(proc, s->array);
	char what[128], label[LABEL_LEN];
	uint64_t ns;

	if (!arr)
		return 0;	/* section absent in this file: nothing to compare */
	if (ilp_json_type(arr) != ILP_JSON_ARRAY) {
		snprintf(what, sizeof(what), "processes[%zu].%s is not an array", pi, s->array);
		return bad(d, side, what);
	}
	for (size_t i = 0; i < ilp_json_len(arr); i++) {
		const struct ilp_json *it = ilp_json_at(arr, i);
		const char *name = ilp_json_get_str(it, s->name_key);

		if (!name || ilp_json_u64(ilp_json_get(it, s->ns_key), &ns)) {
			snprintf(what, sizeof(what), "processes[%zu].%s[%zu]: no string '%s' "
				 "or no unsigned integer '%s'", pi, s->array, i, s->name_key, s->ns_key);
			return bad(d, side, what);
		}
		if (comm)
			snprintf(label, sizeof(label), "%s: %s", comm, name);
		else
			snprintf(label, sizeof(label), "%s", name);
		if (add(d, side, s->kind, label, ns))
			return -ENOMEM;
	}
	return 0;
}

/*
 * top-level "devices": device time by device name, of the traced
 * processes only where the report says who submitted (submitters[].pid
 * not null): the disk is shared, and another program's I/O during one
 * run is not a regression of this one.  A report without submitters:
 * the device's whole time.
 */
static int load_devices(struct diff *d, int side, const struct ilp_json *root)
{
	const struct ilp_json *arr = ilp_json_get(root, "devices"), *subs, *sub;
	char what[96];
	uint64_t ns, t;

	if (!arr)
		return 0;
	for (size_t i = 0; i < ilp_json_len(arr); i++) {
		const struct ilp_json *dev = ilp_json_at(arr, i);
		const char *name = ilp_json_get_str(dev, "name");

		if (!name || ilp_json_u64(ilp_json_get(dev, "total_ns"), &ns)) {
			snprintf(what, sizeof(what), "devices[%zu]: no name or total_ns", i);
			return bad(d, side, what);
		}
		subs = ilp_json_get(dev, "submitters");
		if (subs && ilp_json_type(subs) == ILP_JSON_ARRAY) {
			ns = 0;
			for (size_t j = 0; j < ilp_json_len(subs); j++) {
				sub = ilp_json_at(subs, j);
				if (ilp_json_type(ilp_json_get(sub, "pid")) == ILP_JSON_NULL)
					continue;	/* not traced */
				if (!ilp_json_u64(ilp_json_get(ilp_json_get(sub, "issue_to_complete"),
							       "total_ns"), &t))
					ns += t;
			}
		}
		if (add(d, side, devices.kind, name, ns))
			return -ENOMEM;
	}
	return 0;
}

/* top-level "findings": keyed by comm, kind and object; time_ns */
static int load_findings(struct diff *d, int side, const struct ilp_json *root)
{
	const struct ilp_json *arr = ilp_json_get(root, "findings");
	char label[LABEL_LEN], what[96];
	uint64_t ns;

	if (!arr)
		return 0;
	for (size_t i = 0; i < ilp_json_len(arr); i++) {
		const struct ilp_json *f = ilp_json_at(arr, i);
		const char *comm = ilp_json_get_str(f, "comm");
		const char *kind = ilp_json_get_str(f, "kind");
		const char *obj = ilp_json_get_str(f, "object");

		if (!comm || !kind || !obj || ilp_json_u64(ilp_json_get(f, "time_ns"), &ns)) {
			snprintf(what, sizeof(what), "findings[%zu]: no comm, kind, object "
				 "or time_ns", i);
			return bad(d, side, what);
		}
		snprintf(label, sizeof(label), "%s: %s %s", *comm ? comm : "?", kind, obj);
		if (add(d, side, "finding", label, ns))
			return -ENOMEM;
	}
	return 0;
}

/* what the findings were looked for with; a report without the block (made
 * before it existed) or with odd entries just has nothing to compare */
static void load_thresholds(struct diff *d, int side, const struct ilp_json *root)
{
	const struct ilp_json *ths = ilp_json_get(root, "thresholds");

	for (size_t i = 0; i < ilp_json_len(ths) && d->nth[side] < ILP_REPORT_THRESHOLDS_MAX; i++) {
		const struct ilp_json *t = ilp_json_at(ths, i);
		const char *name = ilp_json_key_at(ths, i), *unit = ilp_json_get_str(t, "unit");
		struct thresh *e = &d->th[side][d->nth[side]];

		if (!name || !unit || ilp_json_u64(ilp_json_get(t, "value"), &e->value))
			continue;
		snprintf(e->name, sizeof(e->name), "%s", name);
		snprintf(e->unit, sizeof(e->unit), "%s", unit);
		d->nth[side]++;
	}
}

/* one line per threshold whose value differs between the two reports: the
 * findings' changes may be the thresholds', not the program's */
static void print_thresholds(const struct diff *d)
{
	char vb[48], vn[48];

	for (size_t i = 0; i < d->nth[0]; i++) {
		const struct thresh *b = &d->th[0][i];

		for (size_t j = 0; j < d->nth[1]; j++) {
			const struct thresh *n = &d->th[1][j];

			if (strcmp(b->name, n->name) || (b->value == n->value &&
							 !strcmp(b->unit, n->unit)))
				continue;
			ilp_option_threshold_str(b->name, b->unit, b->value, vb, sizeof(vb));
			ilp_option_threshold_str(n->name, n->unit, n->value, vn, sizeof(vn));
			printf("note: --%s differs: %s -> %s (findings are looked for with "
			       "different thresholds)\n", b->name, vb, vn);
		}
	}
}

static int load(struct diff *d, int side)
{
	struct ilp_json_doc *doc = NULL;
	struct ilp_json_error je;
	const struct ilp_json *root, *procs;
	char what[160];
	uint64_t ver, ns;
	int err;

	err = ilp_json_parse_file(d->path[side], NULL, &doc, &je);
	if (err == -EINVAL || (err == -E2BIG && je.line)) {
		snprintf(what, sizeof(what), "%d:%d: %s", je.line, je.col, je.msg);
		return bad(d, side, what);
	}
	if (err) {
		say("%s: %s", d->path[side], je.msg[0] ? je.msg : strerror(-err));
		return err;
	}
	root = ilp_json_root(doc);
	err = -EINVAL;
	if (ilp_json_u64(ilp_json_get(root, "schema_version"), &ver)) {
		bad(d, side, "not an iolockprof JSON report (no schema_version)");
		goto out;
	}
	if (ver < 1 || ver > ILP_JSON_SCHEMA_VERSION) {	/* 2 only adds sections */
		snprintf(what, sizeof(what), "schema_version %llu; this iolockprof reads 1 to %d",
			 (unsigned long long)ver, ILP_JSON_SCHEMA_VERSION);
		bad(d, side, what);
		goto out;
	}
	procs = ilp_json_get(root, "processes");
	if (ilp_json_type(procs) != ILP_JSON_ARRAY) {
		bad(d, side, "no 'processes' array");
		goto out;
	}
	for (size_t i = 0; i < ilp_json_len(procs); i++) {
		const struct ilp_json *p = ilp_json_at(procs, i);
		const char *comm = ilp_json_get_str(p, "comm");

		if (!comm || ilp_json_u64(ilp_json_get(p, "total_ns"), &ns)) {
			snprintf(what, sizeof(what), "processes[%zu]: no string 'comm' or no "
				 "unsigned integer 'total_ns'", i);
			bad(d, side, what);
			goto out;
		}
		if (!*comm)
			comm = "?";
		d->total[side] += ns;
		if ((err = add(d, side, "process", comm, ns)))
			goto out;
		for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++)
			if ((err = load_section(d, side, p, comm, &sections[s], i)))
				goto out;
		err = -EINVAL;
	}
	if ((err = load_devices(d, side, root)))
		goto out;
	load_thresholds(d, side, root);
	err = load_findings(d, side, root);
out:
	ilp_json_doc_free(doc);
	return err;
}

static uint64_t delta_abs(const struct entry *e)
{
	return e->ns[1] > e->ns[0] ? e->ns[1] - e->ns[0] : e->ns[0] - e->ns[1];
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	uint64_t dx = delta_abs(x), dy = delta_abs(y);
	int c;

	if (dx != dy)
		return dx > dy ? -1 : 1;
	c = strcmp(x->kind, y->kind);
	return c ? c : strcmp(x->label, y->label);
}

/* the gate looks at this entry */
static int above_floor(const struct diff *d, uint64_t base, uint64_t cur)
{
	uint64_t big = base > cur ? base : cur;
	uint64_t tot = d->total[0] > d->total[1] ? d->total[0] : d->total[1];

	return big >= ILP_DIFF_FLOOR_NS && (double)big >= (double)tot * ILP_DIFF_FLOOR_PCT / 100.0;
}

static int regressed(const struct diff *d, uint64_t base, uint64_t cur)
{
	if (d->fail_above < 0 || cur <= base || !above_floor(d, base, cur))
		return 0;
	if (!base)
		return 1;
	return (double)(cur - base) * 100.0 / (double)base > d->fail_above;
}

static void fmt_pct(char *buf, size_t size, const struct entry *e)
{
	if (!e->seen[0] || (!e->ns[0] && e->ns[1]))
		snprintf(buf, size, "new");
	else if (!e->seen[1])
		snprintf(buf, size, "gone");
	else if (!e->ns[0])
		snprintf(buf, size, "0%%");
	else
		snprintf(buf, size, "%+.1f%%",
			 ((double)e->ns[1] - (double)e->ns[0]) * 100.0 / (double)e->ns[0]);
}

static void fmt_change(char *buf, size_t size, uint64_t base, uint64_t cur)
{
	char t[ILP_FMT_TIME_LEN];

	ilp_fmt_time(t, sizeof(t), cur > base ? cur - base : base - cur);
	snprintf(buf, size, "%s%s", cur >= base ? "+" : "-", t);
}

/* s without control characters, for the terminal */
static void put_clean(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static int print_diff(struct diff *d)
{
	char b[ILP_FMT_TIME_LEN], n[ILP_FMT_TIME_LEN], ch[ILP_FMT_TIME_LEN + 2], pct[24];
	struct entry tot = { "total", "", { d->total[0], d->total[1] }, { 1, 1 }, 0 };
	size_t changed = 0, listed = 0, nreg = 0;
	uint64_t rest = 0;

	qsort(d->e, d->n, sizeof(*d->e), entry_cmp);
	printf("iolockprof diff: ");
	put_clean(d->path[0]);
	printf(" -> ");
	put_clean(d->path[1]);
	printf("\n");
	ilp_fmt_time(b, sizeof(b), d->total[0]);
	ilp_fmt_time(n, sizeof(n), d->total[1]);
	fmt_change(ch, sizeof(ch), d->total[0], d->total[1]);
	fmt_pct(pct, sizeof(pct), &tot);
	printf("total syscall time: %s -> %s  (%s, %s)%s\n", b, n, ch, pct,
	       regressed(d, d->total[0], d->total[1]) ? "  REGRESSION" : "");
	nreg += regressed(d, d->total[0], d->total[1]);
	print_thresholds(d);

	for (size_t i = 0; i < d->n; i++)
		changed += delta_abs(&d->e[i]) || d->e[i].seen[0] != d->e[i].seen[1];
	if (!changed) {
		printf("no change\n");
	} else {
		printf("\n%-8s  %10s  %10s  %11s  %8s  %s\n", "what", "base", "new", "change",
		       "%", "name");
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct entry *e = &d->e[i];
		int reg = regressed(d, e->ns[0], e->ns[1]);

		nreg += reg;
		if (!delta_abs(e) && e->seen[0] == e->seen[1])
			continue;
		if (listed >= MAX_LISTED) {
			rest++;
			continue;
		}
		listed++;
		ilp_fmt_time(b, sizeof(b), e->ns[0]);
		ilp_fmt_time(n, sizeof(n), e->ns[1]);
		fmt_change(ch, sizeof(ch), e->ns[0], e->ns[1]);
		fmt_pct(pct, sizeof(pct), e);
		printf("%-8s  %10s  %10s  %11s  %8s  ", e->kind, e->seen[0] ? b : "-",
		       e->seen[1] ? n : "-", ch, pct);
		put_clean(e->label);
		printf("%s\n", reg ? "  REGRESSION" : "");
	}
	if (rest)
		printf("... %llu smaller changes not listed\n", (unsigned long long)rest);
	if (d->fail_above >= 0) {
		if (nreg)
			printf("FAIL: %zu regression%s above %g%% (noise floor: entries under "
			       "1 ms or 1%% of the total are ignored)\n", nreg, nreg == 1 ? "" : "s",
			       d->fail_above);
		else
			printf("OK: nothing regressed by more than %g%%\n", d->fail_above);
	}
	if (fflush(stdout) || ferror(stdout))
		return -EIO;
	return nreg ? 1 : 0;
}

int ilp_cmd_diff(struct ilp_opts *o)
{
	struct diff d = { .fail_above = o->fail_gate ? o->fail_above : -1 };
	int ret = ILP_EXIT_USAGE;

	/* the options were the table's (--fail-above, --help), anywhere on
	 * the line; what is left is the two files */
	if (o->argc != 2) {
		say("want two files, BASE.json and NEW.json%s%s", "", " (see iolockprof diff --help)");
		return ILP_EXIT_USAGE;
	}
	d.path[0] = o->argv[0];
	d.path[1] = o->argv[1];
	if (load(&d, 0) || load(&d, 1))
		goto out;
	ret = print_diff(&d);
	if (ret < 0) {
		fprintf(stderr, "iolockprof: diff: error writing to stdout\n");
		ret = ILP_EXIT_USAGE;
	}
out:
	free(d.e);
	ilp_idmap_release(&d.idx);
	return ret;
}
