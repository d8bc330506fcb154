/* SPDX-License-Identifier: MIT */
#ifndef ILP_SYMBOLIZE_H
#define ILP_SYMBOLIZE_H

/*
 * Names for addresses and devices, for the report: user addresses from a
 * snapshot of /proc/PID/maps and the ELF symbol tables of the mapped files
 * (libelf), kernel addresses from /proc/kallsyms, block devices from
 * /sys/dev/block.  This is I/O: the capture calls it, never the model or a
 * reporter.  Snapshots are taken while the process lives (a process that
 * exited has no maps); ELF files are read from disk when asked.
 *
 * The tracee is not trusted: a mapped file is opened through
 * /proc/PID/map_files (or, without CAP_SYS_ADMIN, by path with
 * O_NOFOLLOW), never blocking (O_NONBLOCK), and read only if it is a
 * regular file with the maps line's dev:ino; ELF headers and sections are
 * checked against the file before they are read, and what is read and
 * kept is capped (4 GiB files, 64 MiB symbol tables, 1 Mi symbols per
 * file, 4 Mi in all, 1024 files).
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_symbolizer;

int ilp_symbolizer_new(struct ilp_symbolizer **out);	/* 0 or -ENOMEM */
void ilp_symbolizer_free(struct ilp_symbolizer *s);	/* NULL ok */

struct ilp_pidns;
/* Inside a pid namespace (pidns.h): pids are the kernel's, and /proc is
 * read only through ns's proved translation.  ns must outlive s. */
void ilp_symbolizer_set_pidns(struct ilp_symbolizer *s, const struct ilp_pidns *ns);

/* Reads /proc/PID/maps now, replacing an older snapshot.  0, or -ENOENT
 * (the process is gone, or not proved in a pid namespace), -ENOMEM.  Lines
 * longer than 8 KiB are skipped. */
int ilp_symbolizer_snapshot(struct ilp_symbolizer *s, int pid);
/* 1 if a snapshot of pid exists */
int ilp_symbolizer_has(const struct ilp_symbolizer *s, int pid);

/*
 * Process lifecycle, so forked children's and exec'd processes' addresses
 * get the right names.  fork: child (a new process, not a thread) was
 * forked by task parent (pid or tid) and, until it execs, has parent's
 * image: a child that exits before it is asked about is named from the
 * parent's maps (ilp_symbolizer_parent).  exec at ts (CLOCK_MONOTONIC
 * ns): pid's snapshot, if taken before ts, is stale (dropped; the next
 * ilp_symbolizer_snapshot reads the new image) and pid is no longer its
 * parent's image.  fork: 0 or -ENOMEM.
 */
int ilp_symbolizer_fork(struct ilp_symbolizer *s, int parent, int child);
void ilp_symbolizer_exec(struct ilp_symbolizer *s, int pid, uint64_t ts);
/* the task pid was forked from while it has not exec'd, 0 if unknown */
int ilp_symbolizer_parent(const struct ilp_symbolizer *s, int pid);

/*
 * Names a user address of pid from its snapshot: "hot_lock" (an ELF symbol
 * covering it, "+0x8" inside it), else the mapping: "app+0x4010",
 * "[heap]+0x2a0", "[stack]@0x7ffd...", "[anon]@0x7f12..." (one word each).  0, or -ENOENT (no
 * snapshot covers it).
 */
int ilp_symbolize_user(struct ilp_symbolizer *s, int pid, uint64_t addr, char *buf,
		       size_t size);

/* "jbd2_journal_lock+0x10" from /proc/kallsyms (read once); -ENOENT if
 * the address is in no symbol (dynamic, or kallsyms hides addresses) */
int ilp_symbolize_kernel(struct ilp_symbolizer *s, uint64_t addr, char *buf, size_t size);

struct ilp_event;
/* the fork/exec hooks above, from an event stream (TASK_NEW, EXEC) */
int ilp_symbolizer_on_event(struct ilp_symbolizer *s, const struct ilp_event *ev);

/*
 * An ilp_namer_fn (waitmodel.h) with ctx = the symbolizer: devices from
 * /sys/dev/block, kernel locks from kallsyms, user locks from the
 * process's maps while it lives (a snapshot taken at its first lock,
 * refreshed when an address is not covered or its file mapping changed
 * since; a snapshot younger than 1 ms, or than 10 times its own read
 * time, is not read again: -EAGAIN, asked at the next pass); a forked child gone before
 * it is asked about is named from its parent's maps unless it exec'd;
 * another short-lived process stays unnamed (-ENOENT: the address shows).
 */
int ilp_symbolize_object(void *sym, int kind, int pid, uint64_t key, char *buf, size_t size);

/* "vda" for a kernel dev_t (major << 20 | minor) from /sys/dev/block/M:m/uevent;
 * -ENOENT if unknown */
int ilp_blkdev_name_lookup(uint32_t dev, char *buf, size_t size);

#endif
