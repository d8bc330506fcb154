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
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_symbolizer;

int ilp_symbolizer_new(struct ilp_symbolizer **out);	/* 0 or -ENOMEM */
void ilp_symbolizer_free(struct ilp_symbolizer *s);	/* NULL ok */

/* Reads /proc/PID/maps now, replacing an older snapshot.  0, or -ENOENT
 * (the process is gone), -ENOMEM. */
int ilp_symbolizer_snapshot(struct ilp_symbolizer *s, int pid);
/* 1 if a snapshot of pid exists */
int ilp_symbolizer_has(const struct ilp_symbolizer *s, int pid);

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

/* "vda" for a kernel dev_t (major << 20 | minor) from /sys/dev/block/M:m/uevent;
 * -ENOENT if unknown */
int ilp_blkdev_name_lookup(uint32_t dev, char *buf, size_t size);

#endif
