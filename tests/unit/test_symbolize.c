// SPDX-License-Identifier: MIT
/*
 * Lock naming against hostile mapped files (src/source/symbolize.c): this
 * test process maps crafted ELF files and names addresses inside them
 * from its own /proc/self/maps, as the capture does for a tracee.
 *   - a mapped file deleted and replaced by a FIFO "<file> (deleted)":
 *     naming returns (an open by that name blocks forever; SIGALRM fails
 *     the test after 20 s);
 *   - an impostor ELF at "<file> (deleted)": the symbols come from the
 *     mapped file (dev:ino), never from the impostor;
 *   - a file with more than ILP_ELF_MAX_SYMS (1 << 20) symbols is not read;
 *   - a file above ILP_ELF_MAX_BYTES (4 GiB, sparse here) is not parsed;
 *   - header counts and section sizes that lie (outside the file, huge)
 *     give the mapping's name, no crash, no huge allocation.
 * The map_files path needs CAP_SYS_ADMIN: not root, those are skipped.
 * Locks inside this test's own globals are named by the member their
 * DWARF puts there (the test is built with -g): "g_unit_db.lock",
 * "g_unit_shards[2].mu" (C: the variable and the path), a lock word inside
 * pthread_mutex_t (a system type, not entered) as "+0x4", a plain
 * pthread_mutex_t by its symbol alone.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "symbolize.h"
#include "waitmodel.h"

#define SYM_ADDR 0x100u		/* the "a" symbols */
#define LAST_ADDR 0x800u	/* the last symbol */

struct crafted {
	uint32_t nsyms_a;	/* symbols "a" at SYM_ADDR before the last one */
	const char *last;	/* name of the last symbol, at LAST_ADDR */
	uint64_t size;		/* file size (sparse beyond the tables), 0: as built */
	uint16_t shnum;		/* e_shnum written (0: the real 5) */
	uint64_t symtab_size;	/* sh_size of .symtab (0: the real one) */
};

static void wr(int fd, const void *p, size_t n, off_t off)
{
	assert_int_equal(pwrite(fd, p, n, off), (ssize_t)n);
}

/*
 * A 64-bit ELF: one PT_LOAD (offset 0, vaddr 0, 4 KiB), sections null,
 * .data (the segment's 4 KiB: libdw names an address by the symbols of
 * the section that holds it), .symtab, .strtab, .shstrtab; symbols: the
 * null one, "a" x nsyms_a at SYM_ADDR, then `last` at LAST_ADDR, all in
 * .data.
 */
static void build_elf(const char *path, const struct crafted *c)
{
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph = { 0 };
	Elf64_Shdr sh[5] = { { 0 } };
	static const char shstrs[] = "\0.data\0.symtab\0.strtab\0.shstrtab";
	char strs[512] = "\0a";		/* "" at 0, "a" at 1, last at 3 */
	size_t nstr = 3 + strlen(c->last) + 1, i, chunk = 65536;
	/* the null symbol (zeroes) at index 0, then the "a"s, then last */
	uint64_t nsyms = (uint64_t)c->nsyms_a + 2, symoff = 4096, stroff, shoff;
	Elf64_Sym *buf = calloc(chunk, sizeof(*buf)), last = { 0 };
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0 && buf);
	memcpy(strs + 3, c->last, strlen(c->last) + 1);
	for (i = 0; i < chunk; i++) {
		buf[i].st_name = 1;
		buf[i].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
		buf[i].st_shndx = 1;
		buf[i].st_value = SYM_ADDR;
		buf[i].st_size = 8;
	}
	for (i = 0; i < c->nsyms_a; i += chunk) {
		size_t n = c->nsyms_a - i < chunk ? c->nsyms_a - i : chunk;

		wr(fd, buf, n * sizeof(*buf), (off_t)(symoff + (1 + i) * sizeof(*buf)));
	}
	last.st_name = 3;
	last.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
	last.st_shndx = 1;
	last.st_value = LAST_ADDR;
	last.st_size = 8;
	wr(fd, &last, sizeof(last), (off_t)(symoff + (1 + (uint64_t)c->nsyms_a) * sizeof(last)));
	stroff = symoff + nsyms * sizeof(Elf64_Sym);
	wr(fd, strs, nstr, (off_t)stroff);
	wr(fd, shstrs, sizeof(shstrs), (off_t)(stroff + nstr));
	shoff = (stroff + nstr + sizeof(shstrs) + 63) & ~63ull;

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_DYN;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_shoff = shoff;
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = c->shnum ? c->shnum : 5;
	eh.e_shstrndx = 4;
	ph.p_type = PT_LOAD;
	ph.p_flags = PF_R;
	ph.p_memsz = ph.p_filesz = 4096;
	ph.p_align = 4096;
	sh[1].sh_name = 1;
	sh[1].sh_type = SHT_PROGBITS;
	sh[1].sh_flags = SHF_ALLOC | SHF_WRITE;
	sh[1].sh_size = 4096;
	sh[1].sh_addralign = 8;
	sh[2].sh_name = 7;
	sh[2].sh_type = SHT_SYMTAB;
	sh[2].sh_offset = symoff;
	sh[2].sh_size = c->symtab_size ? c->symtab_size : nsyms * sizeof(Elf64_Sym);
	sh[2].sh_link = 3;
	sh[2].sh_info = 0;
	sh[2].sh_entsize = sizeof(Elf64_Sym);
	sh[3].sh_name = 15;
	sh[3].sh_type = SHT_STRTAB;
	sh[3].sh_offset = stroff;
	sh[3].sh_size = nstr;
	sh[4].sh_name = 23;
	sh[4].sh_type = SHT_STRTAB;
	sh[4].sh_offset = stroff + nstr;
	sh[4].sh_size = sizeof(shstrs);
	wr(fd, &eh, sizeof(eh), 0);
	wr(fd, &ph, sizeof(ph), sizeof(eh));
	wr(fd, sh, sizeof(sh), (off_t)shoff);
	if (c->size)
		assert_int_equal(ftruncate(fd, (off_t)c->size), 0);
	close(fd);
	free(buf);
}

struct mapped {
	char path[256];
	void *addr;
};

/* maps the first page of path (read-only, private) */
static void map_file(struct mapped *m, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	snprintf(m->path, sizeof(m->path), "%s", path);
	m->addr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_true(m->addr != MAP_FAILED);
	close(fd);
}

/* the name of m's address + off in this process, fresh symbolizer */
static void name_in(const struct mapped *m, uint64_t off, char *buf, size_t size)
{
	struct ilp_symbolizer *s;

	assert_int_equal(ilp_symbolizer_new(&s), 0);
	assert_int_equal(ilp_symbolizer_snapshot(s, getpid()), 0);
	buf[0] = '\0';
	assert_int_equal(ilp_symbolize_object(s, ILP_NAME_ULOCK, getpid(),
					      (uint64_t)(uintptr_t)m->addr + off, buf, size), 0);
	ilp_symbolizer_free(s);
}

/* locks in structs, for the DWARF names */
struct unit_db {
	long pad;
	pthread_mutex_t lock;
};
struct unit_shard {
	int n;
	pthread_mutex_t mu;
};
struct unit_db g_unit_db;
struct unit_shard g_unit_shards[4];
pthread_mutex_t g_unit_plain = PTHREAD_MUTEX_INITIALIZER;

/* the lock name of addr in this process, fresh symbolizer */
static void name_addr(const void *addr, char *buf, size_t size)
{
	struct mapped m = { "", (void *)(uintptr_t)addr };

	name_in(&m, 0, buf, size);
}

static void test_dwarf_members(void **state)
{
	char buf[256];

	(void)state;
	name_addr(&g_unit_db.lock, buf, sizeof(buf));
	assert_string_equal(buf, "g_unit_db.lock");
	name_addr((const char *)&g_unit_db.lock + 4, buf, sizeof(buf));
	assert_string_equal(buf, "g_unit_db.lock+0x4");
	name_addr(&g_unit_db, buf, sizeof(buf));
	assert_string_equal(buf, "g_unit_db");		/* offset 0: the symbol */
	name_addr(&g_unit_db.pad, buf, sizeof(buf));
	assert_string_equal(buf, "g_unit_db");
	name_addr(&g_unit_shards[2].mu, buf, sizeof(buf));
	assert_string_equal(buf, "g_unit_shards[2].mu");
	name_addr(&g_unit_shards[0].n, buf, sizeof(buf));
	assert_string_equal(buf, "g_unit_shards");
	name_addr(&g_unit_shards[3].n, buf, sizeof(buf));
	assert_string_equal(buf, "g_unit_shards[3].n");
	name_addr(&g_unit_plain, buf, sizeof(buf));
	assert_string_equal(buf, "g_unit_plain");
	name_addr((const char *)&g_unit_plain + 8, buf, sizeof(buf));
	assert_string_equal(buf, "g_unit_plain+0x8");
}

static char dir[] = "/tmp/ilp-symtest.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (geteuid() != 0)
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int need_root(void)
{
	if (geteuid() == 0)
		return 1;
	print_message("not root: /proc/self/map_files needs CAP_SYS_ADMIN; skipped\n");
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
	/* the naming blocked: in open(2) on the FIFO, most likely */
	static const char msg[] = "naming a lock hung for 20 s\n";

	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(2);
}

/* the mapped file replaced by a FIFO named "<file> (deleted)": a heap
 * address is named (every file mapping is looked at), nothing blocks */
static void test_fifo_trap(void **state)
{
	struct crafted c = { 0, "genuine", 0, 0, 0 };
	char path[256], fifo[300], buf[256];
	struct mapped m;
	void *heap = malloc(64);
	struct mapped h = { "", heap };

	(void)state;
	if (!need_root())
		return;
	snprintf(path, sizeof(path), "%s/trap.so", dir);
	snprintf(fifo, sizeof(fifo), "%s (deleted)", path);
	build_elf(path, &c);
	map_file(&m, path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(20);
	name_in(&m, LAST_ADDR, buf, sizeof(buf));
	assert_string_equal(buf, "genuine");	/* from the mapped file itself */
	name_in(&h, 0, buf, sizeof(buf));
	assert_true(buf[0] != '\0');
	alarm(0);
	unlink(fifo);
	munmap(m.addr, 4096);
	free(heap);
}

/* an impostor at "<file> (deleted)" with its own symbols: never read */
static void test_impostor(void **state)
{
	struct crafted real = { 0, "genuine", 0, 0, 0 }, fake = { 0, "impostor", 0, 0, 0 };
	char path[256], other[300], buf[256];
	struct mapped m;

	(void)state;
	if (!need_root())
		return;
	snprintf(path, sizeof(path), "%s/imp.so", dir);
	snprintf(other, sizeof(other), "%s (deleted)", path);
	build_elf(path, &real);
	map_file(&m, path);
	assert_int_equal(unlink(path), 0);
	build_elf(other, &fake);
	name_in(&m, LAST_ADDR, buf, sizeof(buf));
	assert_string_equal(buf, "genuine");
	munmap(m.addr, 4096);
}

/* builds c as dir/file, maps it and names SYM_ADDR (at_sym, if not NULL)
 * and LAST_ADDR (at_last) in it */
static void expect_crafted(const char *file, const struct crafted *c, const char *at_sym,
			   const char *at_last)
{
	char path[256], buf[256];
	struct mapped m;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	build_elf(path, c);
	map_file(&m, path);
	if (at_sym) {
		name_in(&m, SYM_ADDR, buf, sizeof(buf));
		assert_string_equal(buf, at_sym);
	}
	name_in(&m, LAST_ADDR, buf, sizeof(buf));
	assert_string_equal(buf, at_last);
	munmap(m.addr, 4096);
}

/* a file with more symbols than the per-file cap (ILP_ELF_MAX_SYMS,
 * 1 << 20, counting the null one) is not read at all (libdw reads a symbol
 * table whole): its addresses fall back to the mapping (file name +
 * offset); one at the cap is read */
static void test_symbol_cap(void **state)
{
	struct crafted at = { (1u << 20) - 2, "zlast", 0, 0, 0 };
	struct crafted over = { (1u << 20) - 1, "zlast", 0, 0, 0 };

	(void)state;
	if (!need_root())
		return;
	expect_crafted("cap.so", &at, "a", "zlast");
	expect_crafted("many.so", &over, "many.so+0x100", "many.so+0x800");
}

/* a file over 4 GiB is not parsed at all */
static void test_size_cap(void **state)
{
	struct crafted small = { 0, "zlast", 0, 0, 0 }, big = { 0, "zlast", (5ull << 30), 0, 0 };

	(void)state;
	if (!need_root())
		return;
	expect_crafted("small.so", &small, NULL, "zlast");
	expect_crafted("big.so", &big, NULL, "big.so+0x800");
}

/* headers and sizes that lie: the mapping's name, no crash */
static void test_lying_headers(void **state)
{
	static const struct crafted cases[] = {
		{ 0, "x", 0, 60000, 0 },		/* 60000 sections: not in the file */
		{ 0, "x", 0, 0, 1ull << 40 },		/* .symtab of 1 TiB */
		{ 0, "x", 0, 0, 7 },			/* .symtab not a multiple of its entries */
	};
	char path[256], buf[256];
	struct mapped m;
	size_t i;

	(void)state;
	if (!need_root())
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "%s/lie%zu.so", dir, i);
		build_elf(path, &cases[i]);
		map_file(&m, path);
		name_in(&m, LAST_ADDR, buf, sizeof(buf));
		snprintf(path, sizeof(path), "lie%zu.so+0x800", i);
		assert_string_equal(buf, path);
		munmap(m.addr, 4096);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_trap),
		cmocka_unit_test(test_impostor),
		cmocka_unit_test(test_symbol_cap),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_lying_headers),
		cmocka_unit_test(test_dwarf_members),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
