// SPDX-License-Identifier: MIT
/* ilp_demangle (src/source/demangle.c): C++ and Rust (legacy and v0)
 * names demangled, C names and invalid mangled names untouched, output
 * truncated to the buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demangle.h"

static void expect(const char *in, int r, const char *out)
{
	char buf[256];

	assert_int_equal(ilp_demangle(in, buf, sizeof(buf)), r);
	assert_string_equal(buf, out);
}

static void test_cxx(void **state)
{
	(void)state;
	expect("_ZN3app5Cache3getEi", 1, "app::Cache::get(int)");
	expect("_ZN3app7g_cacheE", 1, "app::g_cache");
	expect("_ZNK3app5Cache4hitsEv", 1, "app::Cache::hits() const");
	expect("_ZNSt5mutex4lockEv", 1, "std::mutex::lock()");
	/* a function-local static */
	expect("_ZZN3app8instanceEvE1c", 1, "app::instance()::c");
	expect("_ZN9__gnu_cxx17__normal_iteratorIPiSt6vectorIiSaIiEEEppEv", 1,
	       "__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > >::operator++()");
}

static void test_rust(void **state)
{
	(void)state;
	/* legacy: the hash is dropped */
	expect("_ZN4core3fmt5write17h0123456789abcdefE", 1, "core::fmt::write");
	expect("_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h5ca1a8e4e0ee6ba4E", 1,
	       "std::rt::lang_start::{{closure}}");
	/* v0 */
	expect("_RNvCs1234_7mycrate3foo", 1, "mycrate::foo");
	expect("_RNvNtCs1cYpTnqTe4q_5hello6module4func", 1, "hello::module::func");
	expect("_RNvMNtCs1234_7mycrate5cacheNtB2_5Cache3get", 1, "<mycrate::cache::Cache>::get");
}

static void test_untouched(void **state)
{
	(void)state;
	expect("hot_lock", 0, "hot_lock");
	expect("main", 0, "main");
	expect("_start", 0, "_start");
	expect("__libc_start_main", 0, "__libc_start_main");
	expect("_Zz", 0, "_Zz");		/* not a mangling prefix */
	expect("_ZN3appE3", 0, "_ZN3appE3");	/* prefix, but invalid */
	expect("", 0, "");
}

static void test_truncated(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(ilp_demangle("_ZN3app5Cache3getEi", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "app::Ca");
	assert_int_equal(ilp_demangle("hot_lock_long", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "hot_loc");
	assert_int_equal(ilp_demangle("x", buf, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cxx),
		cmocka_unit_test(test_rust),
		cmocka_unit_test(test_untouched),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
