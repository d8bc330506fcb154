/* SPDX-License-Identifier: MIT */
#ifndef ILP_SYMBOLIZE_H
#define ILP_SYMBOLIZE_H

/*
 * Names for addresses and devices, for the report: user addresses (lock
 * words, and the pcs of the unwinder's stacks, unwind.h) from a snapshot
 * of /proc/PID/maps and the mapped ELF files read with libdw: symbols,
 * source lines and DWARF types, from the file or its separate debuginfo
 * (build-id and .gnu_debuglink, looked up inside the process's root, so a
 * container's /usr/lib/debug), C++ and Rust names demangled (demangle.h);
 * kernel addresses from /proc/kallsyms, block devices from
 * /sys/dev/block.  This is I/O: the capture calls it, never the model or a
 * reporter.  Snapshots are taken while the process lives (a process that
 * exited has no maps); ELF files are read from disk when asked, once
 * whatever process maps them.
 *
 * The tracee is not trusted: a mapped file is opened through
 * /proc/PID/map_files (or, without CAP_SYS_ADMIN, by its path inside
 * /proc/PID/root), as O_PATH first (no FIFO or device is ever opened),
 * and read only if it is a regular file with the maps line's dev:ino;
 * debuginfo files the same way; ELF headers and symbol tables are checked
 * against the file before libelf reads them (a file that lies is not
 * read), files are read with pread, never mapped, and what is read is
 * capped (4 GiB files, 64 MiB symbol tables, 1 Mi symbols per file, 4 Mi
 * in all, 256 files, 4 Mi DWARF entries walked per file for variables).
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_event;
struct ilp_pidns;
struct ilp_symbolizer;

/**
 * ilp_symbolizer_new - makes a symbolizer
 * @out: set to it, to free with ilp_symbolizer_free(); NULL on error
 *
 * Not thread-safe: one symbolizer serves one thread.
 *
 * Returns 0, or -ENOMEM.
 */
int ilp_symbolizer_new(struct ilp_symbolizer **out);

/**
 * ilp_symbolizer_free - frees s, its snapshots, ELF files and kallsyms
 * @s: the symbolizer; NULL is a no-op
 */
void ilp_symbolizer_free(struct ilp_symbolizer *s);

/**
 * ilp_symbolizer_set_pidns - reads /proc only through a pid namespace's proofs
 * @s: the symbolizer
 * @ns: the state (pidns.h), borrowed: it must outlive s; NULL: pids are
 *	/proc's
 *
 * Inside a pid namespace pids are the kernel's, and /proc is read only
 * through ns's proved translation.
 */
void ilp_symbolizer_set_pidns(struct ilp_symbolizer *s, const struct ilp_pidns *ns);

/**
 * ilp_symbolizer_snapshot - reads a process's maps now
 * @s: the symbolizer
 * @pid: the process
 *
 * Replaces an older snapshot of pid (kept when the read fails).  Lines
 * longer than 8 KiB are skipped.
 *
 * Returns 0, -ENOENT (the process is gone, or not proved in a pid
 * namespace), or -ENOMEM.
 */
int ilp_symbolizer_snapshot(struct ilp_symbolizer *s, int pid);

/**
 * ilp_symbolizer_has - tells whether a snapshot of a process exists
 * @s: the symbolizer
 * @pid: the process
 *
 * Returns 1 if a snapshot of pid exists, else 0.
 */
int ilp_symbolizer_has(const struct ilp_symbolizer *s, int pid);

/**
 * ilp_symbolizer_fork - notes that a process was forked
 * @s: the symbolizer
 * @parent: the task (pid or tid) that forked
 * @child: the new process (not a thread)
 *
 * Until it execs, child has parent's image: a child that exits before it
 * is asked about is named from the parent's maps (ilp_symbolizer_parent()).
 *
 * Returns 0, or -ENOMEM.
 */
int ilp_symbolizer_fork(struct ilp_symbolizer *s, int parent, int child);

/**
 * ilp_symbolizer_exec - notes that a process exec'd
 * @s: the symbolizer
 * @pid: the process
 * @ts: when (CLOCK_MONOTONIC ns)
 *
 * pid's snapshot, if taken before ts, is stale: it is dropped, and the
 * next ilp_symbolizer_snapshot() reads the new image.  pid no longer has
 * its parent's image.
 */
void ilp_symbolizer_exec(struct ilp_symbolizer *s, int pid, uint64_t ts);

/**
 * ilp_symbolizer_parent - the task a process was forked from
 * @s: the symbolizer
 * @pid: the process
 *
 * Returns the parent while pid has not exec'd, 0 if unknown.
 */
int ilp_symbolizer_parent(const struct ilp_symbolizer *s, int pid);

/**
 * ilp_symbolize_user - names a user address from a process's snapshot
 * @s: the symbolizer; ELF files are read (and kept) when asked
 * @pid: the process
 * @addr: the address
 * @buf: the caller's buffer, set to the name (cut to fit): "hot_lock" (an
 *	ELF symbol covering it, demangled: "app::g_cache"; "+0x8" inside
 *	it), where DWARF describes the variable the member it falls in
 *	("app::Cache::mu_" in C++, "g_db.lock" in C; a type of the system
 *	headers such as std::mutex or pthread_mutex_t is not entered), else
 *	the mapping: "app+0x4010", "[heap]+0x2a0", "[stack]@0x7ffd...",
 *	"[anon]@0x7f12..."
 * @size: bytes at buf
 *
 * Takes no snapshot: see ilp_symbolizer_snapshot().
 *
 * Returns 0, or -ENOENT (no snapshot covers it).
 */
int ilp_symbolize_user(struct ilp_symbolizer *s, int pid, uint64_t addr, char *buf,
		       size_t size);

/* a code address, named */
struct ilp_pcname {
	char func[256];		/* the function's symbol, demangled; "" if none */
	const char *file;	/* its source file, NULL without line info */
	int line;		/* 0: unknown */
	const char *module;	/* the mapped file's path (the maps line's) */
};

/**
 * ilp_symbolize_pc - names a code address from a process's snapshot
 * @s: the symbolizer; ELF files are read (and kept) when asked
 * @pid: the process
 * @pc: the address (as ilp_unwind_stack() gives it)
 * @out: set to the name: out->file and out->module stay valid until the
 *	next snapshot of pid or ilp_symbolizer_free()
 *
 * Takes no snapshot: the unwinder's Dwfl took one (unwind.h).
 *
 * Returns 0, or -ENOENT (pc is in no ELF file of the snapshot).
 */
int ilp_symbolize_pc(struct ilp_symbolizer *s, int pid, uint64_t pc, struct ilp_pcname *out);

/**
 * ilp_symbolize_fp_gap - the frame a frame-pointer walk of a user stack skipped
 * @s: the symbolizer; ELF files are read (and kept) when asked
 * @pid: the process
 * @pc0: the walk's frame 0: the user ip at the syscall, inside a libc
 *	wrapper that makes no frame of its own, so the walk went from its
 *	caller's frame straight to the caller's caller
 * @ret1: the first return address the walk found (into the caller's caller)
 * @pc: set to the skipped frame's pc: its call of pc0's function (the
 *	return address - 1, as a caller's pc is given), or its entry
 *
 * From the DWARF call sites of ret1's file (src/source/fpgap.c): which
 * function the call at ret1 calls, and where that one calls pc0's.
 * Takes no snapshot: see ilp_symbolizer_snapshot().
 *
 * Returns 1 (*pc is the call, its line is the call site's), 2 (*pc is the
 * function's entry: the function is known, not the line), 0 (the call at
 * ret1 is to pc0's function: no frame was skipped), or -ENOENT (unknown:
 * no snapshot, no DWARF call site at ret1, an indirect call).
 */
int ilp_symbolize_fp_gap(struct ilp_symbolizer *s, int pid, uint64_t pc0, uint64_t ret1,
			 uint64_t *pc);

/**
 * ilp_symbolize_kernel - names a kernel address from /proc/kallsyms
 * @s: the symbolizer; kallsyms is read at the first call, once
 * @addr: the address
 * @buf: the caller's buffer, set to "jbd2_journal_lock+0x10" (cut to fit)
 * @size: bytes at buf
 *
 * Only static locks are named: within 4 KiB of a symbol, and not past the
 * last one.
 *
 * Returns 0, or -ENOENT if the address is in no symbol (dynamic, or
 * kallsyms hides addresses or cannot be read).
 */
int ilp_symbolize_kernel(struct ilp_symbolizer *s, uint64_t addr, char *buf, size_t size);

/**
 * ilp_symbolize_kfunc - names the kernel function an address is in
 * @s: the symbolizer; kallsyms is read at the first call, once
 * @addr: a code address (a kernel stack's frame)
 * @buf: the caller's buffer, set to "anon_pipe_read" (no offset; cut to fit)
 * @size: bytes at buf
 *
 * Returns 0, or -ENOENT if no symbol holds it (kallsyms hides addresses
 * or cannot be read, or addr is past the last symbol).
 */
int ilp_symbolize_kfunc(struct ilp_symbolizer *s, uint64_t addr, char *buf, size_t size);

/**
 * ilp_symbolizer_on_event - the fork and exec hooks, from an event stream
 * @s: the symbolizer
 * @ev: the event: TASK_NEW without CLONE_THREAD is ilp_symbolizer_fork(),
 *	EXEC is ilp_symbolizer_exec(); others are ignored
 *
 * Returns 0, or -ENOMEM.
 */
int ilp_symbolizer_on_event(struct ilp_symbolizer *s, const struct ilp_event *ev);

/**
 * ilp_symbolize_object - the ilp_namer_fn (waitmodel.h) of the symbolizer
 * @sym: the struct ilp_symbolizer
 * @kind: enum ilp_name_kind (vocab.h)
 * @pid: the process, for ILP_NAME_ULOCK
 * @key: the dev_t (ILP_NAME_DEV), or the lock's address
 * @buf: the caller's buffer, set to the name (cut to fit)
 * @size: bytes at buf
 *
 * Devices from /sys/dev/block, kernel locks and functions (ILP_NAME_KFUNC)
 * from kallsyms, user locks from
 * the process's maps while it lives (a snapshot taken at its first lock,
 * refreshed when an address is not covered or its file mapping changed
 * since; a snapshot younger than 1 ms, or than 10 times its own read
 * time, is not read again).  A forked child gone before it is asked about
 * is named from its parent's maps unless it exec'd; another short-lived
 * process stays unnamed.
 *
 * Returns 0; -EAGAIN (the snapshot is too fresh to read again: ask at the
 * next pass); or -ENOENT (no name: the report shows the address).
 */
int ilp_symbolize_object(void *sym, int kind, int pid, uint64_t key, char *buf, size_t size);

/**
 * ilp_blkdev_name_lookup - the name of a block device
 * @dev: a kernel dev_t (major << 20 | minor)
 * @buf: the caller's buffer, set to "vda" (cut to fit), from
 *	/sys/dev/block/M:m/uevent
 * @size: bytes at buf
 *
 * Returns 0, or -ENOENT if unknown.
 */
int ilp_blkdev_name_lookup(uint32_t dev, char *buf, size_t size);

#endif
