// SPDX-License-Identifier: MIT
/* --push: the URL posted to (push.c), from what the user gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cli.h"

static void expect(const char *url, const char *want)
{
	char *got = ilp_push_url(url, 1700000000, 1700000060);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_push_url(void **state)
{
	(void)state;
	/* a server: its /ingest, with every parameter */
	expect("http://localhost:4040",
	       "http://localhost:4040/ingest?name=iolockprof&from=1700000000&until=1700000060"
	       "&format=pprof");
	expect("http://localhost:4040/",
	       "http://localhost:4040/ingest?name=iolockprof&from=1700000000&until=1700000060"
	       "&format=pprof");
	expect("https://h?name=app",
	       "https://h/ingest?name=app&from=1700000000&until=1700000060&format=pprof");
	expect("http://h/?name=app",
	       "http://h/ingest?name=app&from=1700000000&until=1700000060&format=pprof");
	/* a full URL: kept, the missing parameters added */
	expect("http://h:1/p/ingest",
	       "http://h:1/p/ingest?name=iolockprof&from=1700000000&until=1700000060"
	       "&format=pprof");
	expect("http://h/ingest?name=app%7Benv%3Dci%7D&until=5",
	       "http://h/ingest?name=app%7Benv%3Dci%7D&until=5&from=1700000000&format=pprof");
	expect("http://h/ingest?format=pprof&from=1&until=2&name=x",
	       "http://h/ingest?format=pprof&from=1&until=2&name=x");
	/* "aname=" is not "name=" */
	expect("http://h/ingest?aname=1",
	       "http://h/ingest?aname=1&name=iolockprof&from=1700000000&until=1700000060"
	       "&format=pprof");
	/* no URL */
	expect("localhost:4040", NULL);
	expect("http://", NULL);
	expect("://h", NULL);
	expect("http:///ingest", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
