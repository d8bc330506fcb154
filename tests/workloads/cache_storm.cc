/*
 * cache_storm T N - T threads each call app::g_cache.get() N times; get()
 * holds app::Cache::mu_, a std::mutex member at offset 8 of the global
 * app::g_cache (after pad_), with a little work inside, so the lock is
 * contended: the futex waits are on &g_cache.mu_ (glibc's FUTEX_WAIT on
 * the lock word, the mutex's first word) and the wakes come from the
 * unlockers, all from inside app::Cache::get(int), which is not inlined.
 * Built with g++ -O2 -g (the Makefile): a profiler can name the lock
 * from the DWARF of app::Cache.  Prints the lock's address on stdout;
 * exits 0 when the T x N acquisitions were all counted (hits), else 1.
 */
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace app {

class Cache {
public:
	long get(int key);
	long hits() const { return hits_; }
	const void *lock_addr() const { return &mu_; }

private:
	long pad_ = 0;		/* mu_ at offset 8: its symbol alone says g_cache+0x8 */
	std::mutex mu_;
	long hits_ = 0;
	long slots_[64] = {};
};

__attribute__((noinline)) long Cache::get(int key)
{
	std::lock_guard<std::mutex> hold(mu_);	/* CALL SITE get */
	long v = 0;

	for (int k = 0; k < 200; k++) {
		slots_[(key + k) & 63]++;
		v += slots_[k & 63];
	}
	hits_++;
	pad_ = v;
	return v;
}

Cache g_cache;

} // namespace app

int main(int argc, char **argv)
{
	long t, n;

	if (argc != 3 || (t = atol(argv[1])) < 1 || t > 64 || (n = atol(argv[2])) < 1) {
		fprintf(stderr, "usage: cache_storm THREADS N\n");
		return 2;
	}
	printf("app::Cache::mu_ %p\n", app::g_cache.lock_addr());
	fflush(stdout);
	std::vector<std::thread> th;
	for (long i = 0; i < t; i++)
		th.emplace_back([n, i] {
			for (long k = 0; k < n; k++)
				app::g_cache.get((int)(i + k));
		});
	for (auto &x : th)
		x.join();
	return app::g_cache.hits() == t * n ? 0 : 1;
}
