// SPDX-License-Identifier: MIT
/*
 * The bash completion, contrib/bash-completion/iolockprof, against the
 * option table (src/cli/options.c): its lists of each command's options,
 * of the first argument's options, of the options that take a value, and
 * of each choice option's values must be the table's, in its order (long
 * name, then short name).  On a difference the test prints the line the
 * script should have.  Run from the source tree (make unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "options.h"

#define COMPLETION "contrib/bash-completion/iolockprof"

static char *script;

static int load(void **state)
{
	FILE *f = fopen(COMPLETION, "r");
	long n;

	(void)state;
	if (!f) {
		fprintf(stderr, "cannot open %s (run from the source tree)\n", COMPLETION);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	script = calloc(1, (size_t)n + 1);
	if (!script || fread(script, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int unload(void **state)
{
	(void)state;
	free(script);
	return 0;
}

/* the words of NAME='...' in the script, one space between them; NULL if
 * it is not assigned at the start of a line */
static char *value_of(const char *name)
{
	char key[96], *out, *o;
	const char *p = script, *end;
	size_t len;

	snprintf(key, sizeof(key), "\n%s='", name);
	p = strstr(script, key);
	if (!p)
		return NULL;
	p += strlen(key);
	end = strchr(p, '\'');
	assert_non_null(end);
	len = (size_t)(end - p);
	out = o = calloc(1, len + 1);
	assert_non_null(out);
	for (; p < end; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = 0;
	return out;
}

static void add(char *buf, size_t size, const char *word)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%s", len ? " " : "", word);
}

/* "--name -c" of each row that match(): what the script's list should be */
static void table_list(char *buf, size_t size, int (*match)(const struct ilp_option *, unsigned),
		       unsigned bit)
{
	char word[64];
	size_t i;

	buf[0] = 0;
	for (i = 0; i < ilp_option_count(); i++) {
		const struct ilp_option *opt = ilp_option(i);

		if (!match(opt, bit))
			continue;
		snprintf(word, sizeof(word), "--%s", opt->name);
		add(buf, size, word);
		if (opt->short_name) {
			snprintf(word, sizeof(word), "-%c", opt->short_name);
			add(buf, size, word);
		}
	}
}

static void expect(const char *name, const char *want)
{
	char *got = value_of(name);

	if (!got || strcmp(got, want))
		fprintf(stderr, "%s: %s has %s%s%s, want:\n%s='%s'\n", COMPLETION, name,
			got ? "'" : "", got ? got : "no such assignment", got ? "'" : "",
			name, want);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static int for_cmd(const struct ilp_option *opt, unsigned bit)
{
	return (opt->cmds & bit) != 0;
}

static int takes_value(const struct ilp_option *opt, unsigned bit)
{
	(void)bit;
	return opt->arg && (opt->cmds & (ILP_CMD_ALL | ILP_CMD_WATCH));
}

static void test_first_argument(void **state)
{
	char want[1024];

	(void)state;
	table_list(want, sizeof(want), for_cmd, ILP_CMD_TOP);
	assert_true(strstr(want, "--version") != NULL);
	expect("_iolockprof_top", want);
}

static void test_each_command(void **state)
{
	static const struct {
		const char *var;
		unsigned bit;
	} cmds[] = {
		{ "_iolockprof_opts_run", ILP_CMD_RUN },
		{ "_iolockprof_opts_attach", ILP_CMD_ATTACH },
		{ "_iolockprof_opts_record", ILP_CMD_RECORD },
		{ "_iolockprof_opts_report", ILP_CMD_REPORT },
		{ "_iolockprof_opts_watch", ILP_CMD_WATCH },
	};
	char want[4096];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		table_list(want, sizeof(want), for_cmd, cmds[i].bit);
		expect(cmds[i].var, want);
	}
}

static void test_options_with_values(void **state)
{
	char want[4096];

	(void)state;
	table_list(want, sizeof(want), takes_value, 0);
	assert_true(strstr(want, "--output -o") != NULL);
	expect("_iolockprof_args", want);
}

/* _iolockprof_choices_NAME for each choice option (- in NAME as _), and no other */
static void test_choices(void **state)
{
	char var[96], want[512];
	const char *p;
	size_t i, nchoice = 0, nvars = 0;

	(void)state;
	for (i = 0; i < ilp_option_count(); i++) {
		const struct ilp_option *opt = ilp_option(i);
		const struct ilp_opt_choice *c;
		char *v;

		if (opt->kind != ILP_OPT_CHOICE)
			continue;
		nchoice++;
		snprintf(var, sizeof(var), "_iolockprof_choices_%s", opt->name);
		for (v = var; *v; v++)
			if (*v == '-')
				*v = '_';
		want[0] = 0;
		for (c = opt->choices; c->name; c++)
			add(want, sizeof(want), c->name);
		expect(var, want);
	}
	for (p = script; (p = strstr(p, "\n_iolockprof_choices_")); p++)
		nvars++;
	assert_true(nchoice > 0);
	assert_int_equal(nvars, nchoice);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_argument),
		cmocka_unit_test(test_each_command),
		cmocka_unit_test(test_options_with_values),
		cmocka_unit_test(test_choices),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
