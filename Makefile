# iolockprof — see README.md.  `make V=1` shows full commands.
#
#   make            build build/iolockprof
#   make demo       install missing deps, build, profile the bundled demo
#   make check      install missing deps, build, run every test (unit, ASan+UBSan, integration)
#   make layers     includes point only down the pipeline (scripts/check-layers.sh), and
#                   every function of include/ has its kernel-doc (scripts/check-kdoc.sh)
#   make unit       unit tests only (cmocka)
#   make asan       unit tests under AddressSanitizer + UBSan
#   make integration  end-to-end tests against real tracefs (root); T="record disk" runs only those
#   make soak       8 sessions started and SIGKILLed at random for 5 minutes, some in pid
#                   namespaces: no stale instance, exact counts, no dmesg warning (root;
#                   SOAK_SECONDS=N to shorten; not part of check)
#   make bench      overhead benchmark against strace and perf trace
#   make bench-server  attach's cost on a live redis-server (root, redis-tools)
#   make deps       install build/test dependencies (Debian, as root)
#   make install    build, then install the binary, man page, bash completion and docs
#                   under DESTDIR/PREFIX (PREFIX=/usr/local); make uninstall removes them
#   make deb        build/iolockprof_VERSION_ARCH.deb (dpkg-deb; DEB_MAINTAINER= sets Maintainer)
#
# Before anything compiles, build-deps-check stops the build with one line per
# missing pkg-config module (PKGS) naming its package (scripts/check-build-deps.sh).

CC      ?= cc
CXX     ?= g++
O       ?= build
VERSION := 0.1.0
PKG_CONFIG ?= pkg-config
# pkg-config modules; a missing one stops the build first (build-deps-check)
PKGS    := libtracefs libtraceevent libtracecmd libdw libelf zlib libcurl
CFLAGS  ?= -O2 -g
# link-time optimization of the binary and the benches: an event's path
# crosses modules (decode, merge, resolver, model), and LTO inlines across
# them (12 % fewer instructions per event in bench_reader).  The objects are
# fat: the unit tests link their plain code, without LTO's link time.
LTO     ?= -flto=auto -ffat-lto-objects
ALL_CFLAGS = $(CFLAGS) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -I$(O)/gen \
           -DILP_VERSION='"$(VERSION)"' $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -liberty -lm
TEST_LDLIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2)
endif

SRCS      := $(wildcard src/*/*.c)
LIB_SRCS  := $(filter-out src/cli/main.c,$(SRCS))
OBJS      := $(SRCS:src/%.c=$(O)/obj/%.o)
LIB_OBJS  := $(LIB_SRCS:src/%.c=$(O)/obj/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
WL_SRCS   := $(wildcard tests/workloads/*.c)
WL_CXX_SRCS := $(wildcard tests/workloads/*.cc)
WL_BINS   := $(WL_SRCS:tests/workloads/%.c=$(O)/workloads/%) \
             $(WL_CXX_SRCS:tests/workloads/%.cc=$(O)/workloads/%) \
             $(O)/workloads/stacks_fp $(O)/workloads/stacks_nofp $(O)/workloads/writes_fp \
             $(O)/workloads/demo_fp
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(O)/bench/%)
GEN       := $(O)/gen/syscalls_gen.h

# make install / uninstall: PREFIX (default /usr/local), DESTDIR (a staging
# root, for packages); the docs keep README.md's relative links (docs/...)
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DOCDIR    ?= $(PREFIX)/share/doc/iolockprof
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL   ?= install
DOC_FILES := $(wildcard docs/*.md) docs/report.schema.json

.PHONY: all demo check layers unit asan integration soak bench bench-server deps deps-build clean workloads fuzz fuzz-rbpage
.PHONY: build-deps-check install uninstall deb
all: $(O)/iolockprof

# one line per missing library, naming its package, before any compiler error
build-deps-check:
	$(Q)PKG_CONFIG="$(PKG_CONFIG)" CC="$(CC)" sh scripts/check-build-deps.sh $(PKGS)

$(GEN): scripts/gen-syscalls.sh
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D) && CC="$(CC)" sh scripts/gen-syscalls.sh > $@.tmp && mv $@.tmp $@

$(O)/obj/%.o: src/%.c $(GEN) $(wildcard include/*.h src/*/*.h) | build-deps-check
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) $(LTO) -c -o $@ $<

$(O)/iolockprof: $(OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(LTO) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/%: tests/unit/%.c $(LIB_OBJS) $(wildcard tests/unit/*.h)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) -fno-lto -o $@ $< $(LIB_OBJS) $(LDLIBS) $(TEST_LDLIBS)

$(O)/bench/%: tests/bench/%.c $(LIB_OBJS)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) $(LTO) -o $@ $< $(LIB_OBJS) $(LDLIBS)

# a workload's own libraries (test dependencies: scripts/install-deps.sh test)
$(O)/workloads/uring_writes: WL_LIBS := -luring

$(O)/workloads/%: tests/workloads/%.c $(wildcard tests/workloads/*.h)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -o $@ $< $(WL_LIBS) -lpthread

# NAME_fp: NAME.c with frame pointers, for --stacks under ftrace (the
# kernel walks them); stacks_nofp: -O2 without them (the one-line hint)
$(O)/workloads/%_fp: tests/workloads/%.c $(wildcard tests/workloads/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) -std=c11 -D_GNU_SOURCE -O2 -g -fno-omit-frame-pointer -Wall \
	  -Wextra -Werror -o $@ $< -lpthread
$(O)/workloads/stacks_nofp: tests/workloads/stacks.c $(wildcard tests/workloads/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) -std=c11 -D_GNU_SOURCE -O2 -g -fomit-frame-pointer -Wall \
	  -Wextra -Werror -o $@ $<

# C++ workloads (names to demangle): frame pointers, so a stack is whole
# even where CFI is not
$(O)/workloads/%: tests/workloads/%.cc
	$(call msg,CXX,$<)
	$(Q)mkdir -p $(@D) && $(CXX) -std=c++17 -O2 -g -fno-omit-frame-pointer -Wall -Wextra -Werror \
	  -pthread -o $@ $<

workloads: $(WL_BINS)

# install_file MODE,SRC,DEST (and DEST's directories); shell_msg: msg in a shell line
shell_msg = $(if $(Q),printf '  %-6s %s\n' $(1) "$(2)";)
install_file = $(call shell_msg,INSTALL,$(3)) $(INSTALL) -D -m $(1) $(2) $(3) || exit 1;
INSTALLED = $(BINDIR)/iolockprof $(MANDIR)/man1/iolockprof.1 $(BASHCOMPDIR)/iolockprof \
	    $(addprefix $(DOCDIR)/,README.md LICENSE $(DOC_FILES))

install: all
	$(Q)$(call install_file,0755,$(O)/iolockprof,$(DESTDIR)$(BINDIR)/iolockprof)
	$(Q)$(call install_file,0644,docs/iolockprof.1,$(DESTDIR)$(MANDIR)/man1/iolockprof.1)
	$(Q)$(call install_file,0644,contrib/bash-completion/iolockprof,$(DESTDIR)$(BASHCOMPDIR)/iolockprof)
	$(Q)$(foreach f,README.md LICENSE $(DOC_FILES),$(call install_file,0644,$(f),$(DESTDIR)$(DOCDIR)/$(f)))

# exactly what install put there; of the directories, only the docs' own go
uninstall:
	$(Q)for f in $(addprefix $(DESTDIR),$(INSTALLED)); do \
	  $(call shell_msg,RM,$$f) rm -f "$$f" || exit 1; done
	$(Q)for d in $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR); do \
	  [ ! -d "$$d" ] || rmdir --ignore-fail-on-non-empty "$$d" || exit 1; done

# make deb: $(DEB), a binary package made with dpkg-deb from a build with
# Debian's flags, all hardening on (dpkg-buildflags), from scratch in $(O)/deb/build, staged by
# install in $(O)/deb/root and made policy-shaped by scripts/mk-deb.sh
# (stripped, gzipped, copyright, Depends from dpkg-shlibdeps)
DEB_ARCH = $(shell dpkg-architecture -qDEB_HOST_ARCH 2>/dev/null)
DEB = $(O)/iolockprof_$(VERSION)_$(DEB_ARCH).deb
DEB_MAINTAINER ?= iolockprof developers <maintainers@iolockprof.invalid>

deb:
	$(Q)command -v dpkg-buildflags >/dev/null || \
	  { echo "iolockprof: make deb needs dpkg-buildflags: apt-get install dpkg-dev (or: make deps)" >&2; exit 1; }
	$(Q)rm -rf $(O)/deb
	$(Q)export DEB_BUILD_MAINT_OPTIONS=hardening=+all; \
	  $(MAKE) --no-print-directory O=$(O)/deb/build \
	  CFLAGS="$$(dpkg-buildflags --get CFLAGS) $$(dpkg-buildflags --get CPPFLAGS)" \
	  LDFLAGS="$$(dpkg-buildflags --get LDFLAGS)" DESTDIR=$(O)/deb/root PREFIX=/usr install
	$(call msg,DEB,$(DEB))
	$(Q)sh scripts/mk-deb.sh $(O)/deb/root $(VERSION) $(DEB) "$(DEB_MAINTAINER)"

deps:
	$(Q)sh scripts/install-deps.sh test

deps-build:
	$(Q)sh scripts/install-deps.sh build

# the fuzz harnesses compiled (not linked: libFuzzer is clang's) with the
# unit tests, so that an API they call cannot change under them unseen
FUZZ_CHECK := $(patsubst tests/fuzz/%.c,$(O)/fuzzcheck/%.o,$(wildcard tests/fuzz/*.c))
$(O)/fuzzcheck/%.o: tests/fuzz/%.c
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) -c -o $@ $<

unit: $(UNIT_BINS) $(FUZZ_CHECK)
	$(Q)sh scripts/run-unit.sh $(UNIT_BINS)

asan:
	$(Q)LSAN_OPTIONS=suppressions=$(CURDIR)/tests/unit/lsan.supp $(MAKE) --no-print-directory O=$(O)/asan LTO= \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" unit

integration: all workloads
	$(Q)sh tests/integration/run.sh $(O) $(T)

soak: all workloads
	$(Q)bash tests/integration/soak.sh $(O)

layers:
	$(Q)sh scripts/check-layers.sh
	$(Q)sh scripts/check-kdoc.sh --self-test
	$(Q)sh scripts/check-kdoc.sh

check: deps
	$(Q)$(MAKE) --no-print-directory layers
	$(Q)$(MAKE) --no-print-directory all workloads
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory asan
	$(Q)$(MAKE) --no-print-directory integration

demo: deps-build
	$(Q)$(MAKE) --no-print-directory all workloads
	$(Q)sh scripts/demo.sh $(O)

bench: all workloads $(BENCH_BINS)
	$(Q)sh scripts/bench.sh $(O)

# the cost of attach on a live redis-server, against strace and perf trace
bench-server: all $(O)/bench/bench_reader
	$(Q)bash scripts/bench-server.sh $(O)

# fuzz the trace-file reader (libFuzzer, clang): FUZZ_TIME seconds, new
# inputs kept in $(O)/fuzz/corpus, seeds in tests/fuzz/corpus; crashes are
# left as crash-* files in the current directory.  allocator_may_return_null:
# libtracecmd mallocs sizes read from the file and handles a NULL return;
# leaks are checked, but for the trace libraries' own (tests/fuzz/lsan.supp);
# sizes over 2 GiB fail as NULL before the fuzzer's malloc limit sees them
FUZZ_TIME ?= 60
fuzz:
	$(Q)sh scripts/install-deps.sh fuzz
	$(Q)$(MAKE) --no-print-directory O=$(O)/fuzz CC=clang LTO= \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
	  $(O)/fuzz/fuzz_tracefile
	$(Q)mkdir -p $(O)/fuzz/corpus
	$(Q)LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp \
	  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:max_allocation_size_mb=2048 \
	  $(O)/fuzz/fuzz_tracefile -max_total_time=$(FUZZ_TIME) \
	  -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb=4096 -print_final_stats=1 $(O)/fuzz/corpus tests/fuzz/corpus

# the live reader's page parser (rbpage.h), alone: no seeds, pages are quick to find
fuzz-rbpage:
	$(Q)sh scripts/install-deps.sh fuzz
	$(Q)$(MAKE) --no-print-directory O=$(O)/fuzz CC=clang LTO= \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
	  $(O)/fuzz/fuzz_rbpage
	$(Q)mkdir -p $(O)/fuzz/corpus_rbpage
	$(Q)$(O)/fuzz/fuzz_rbpage -max_total_time=$(FUZZ_TIME) -max_len=8193 -print_final_stats=1 \
	  $(O)/fuzz/corpus_rbpage

$(O)/fuzz_rbpage: tests/fuzz/fuzz_rbpage.c $(O)/obj/decode/rbpage.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $^

$(O)/fuzz_tracefile: tests/fuzz/fuzz_tracefile.c $(LIB_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_OBJS) $(LDLIBS)

clean:
	rm -rf $(O)
