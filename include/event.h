/* SPDX-License-Identifier: MIT */
#ifndef ILP_EVENT_H
#define ILP_EVENT_H

/*
 * struct ilp_event: the one normalized event every source produces and the
 * model consumes.  Sources (ftrace, trace file, ptrace) know their own
 * formats; everything after decode sees only this struct.
 *
 * Times are nanoseconds on CLOCK_MONOTONIC (the ftrace instance uses the
 * "mono" trace clock, so live and synthetic events share one time base).
 */

#include <stdint.h>

enum ilp_event_kind {
	ILP_EV_SYS_ENTER = 1,	/* nr, args[6] */
	ILP_EV_SYS_EXIT,	/* nr, ret */
	ILP_EV_TASK_NEW,	/* tid created task.child with task.clone_flags */
	ILP_EV_EXEC,		/* tid (and its process) exec'd task.comm */
	ILP_EV_TASK_EXIT,	/* thread tid ended; task.group_dead: last one */
	ILP_EV_TASK_INFO,	/* source-known fact: tid belongs to pid, named comm
				 * (attach time, first sight of a thread);
				 * task.flags ILP_TASK_GATED: see below */
	ILP_EV_FD_INFO,		/* source-known fact: in process pid, fd.fd is fd.str
				 * (path, socket peer...), as of ts */
	ILP_EV_SCHED_SWITCH,	/* tid leaves the CPU in sched.prev_state for sched.next */
	ILP_EV_WAKEUP,		/* tid (the waker) wakes sched.target */
	ILP_EV_BLOCK_INSERT,	/* request queued (submitter context) */
	ILP_EV_BLOCK_ISSUE,	/* request sent to the device */
	ILP_EV_BLOCK_COMPLETE,	/* device finished it (interrupt context: tid unreliable) */
	ILP_EV_LOCK_BEGIN,	/* kernel lock contention starts (lock:contention_begin) */
	ILP_EV_LOCK_END,	/* ... and ends */
	ILP_EV_BLOCK_QUEUE,	/* bio submitted (block_bio_queue: submitter context) */
	ILP_EV_BLOCK_BACKMERGE,	/* bio at block.sector appended to a queued request: no completion of its own */
	ILP_EV_BLOCK_FRONTMERGE,	/* bio prepended: the request now starts at block.sector */
	ILP_EV_BLOCK_REQUEUE,	/* request sent back to the queue, issued again later */
	ILP_EV_BLOCK_RQMERGE,	/* request merged into another one: it never completes */
	ILP_EV_WB_DIRTY,	/* tid dirtied page(s) of inode wb.ino on bdi wb.dev */
	ILP_EV_WB_START,	/* tid (a flusher) starts writing back inode wb.ino on wb.dev */
	ILP_EV_WB_END,		/* ... and is done with it */
	ILP_EV_FILE_READ,	/* tid read the first page of inode wb.ino on wb.dev
				 * (filemap:mm_filemap_get_pages, index 0): which file
				 * a read's fd holds, for the fd-name resolver */
	ILP_EV_SYS_ARGSTR,	/* the kernel's copy of a path argument at a syscall's
				 * entry (syscalls:sys_enter_X with a string field,
				 * Linux 6.19+): for the fd-name resolver only, never
				 * delivered to the model */
	ILP_EV_USTACK,		/* tid's user stack (ftrace:user_stack, written by
				 * options/userstacktrace after an event of tid):
				 * inside a syscall, that call's; for the ftrace
				 * backend's call sites only, never delivered to
				 * the model */
	/* user lock holds (--lock-holds: uprobes on the traced processes' libc) */
	ILP_EV_ULOCK_CALL,	/* tid entered ulock.op on the mutex at ulock.addr, called
				 * from ulock.site (the call's return address) */
	ILP_EV_ULOCK_RET,	/* ... and ulock.op returned ulock.ret */
	ILP_EV_ULOCK_UNLOCK,	/* tid entered pthread_mutex_unlock(ulock.addr) */
	ILP_EV_KSTACK,		/* the kernel stack of tid at the sched_switch just
				 * before it on its CPU (ftrace:kernel_stack, written
				 * by the --sleep-stacks trigger: a sleep's stack) */
	/* io_uring (events/io_uring/), all from the unfiltered companion
	 * instance: completions run in io-wq workers and task work, and an
	 * SQPOLL ring submits from its own thread; the model pairs a request
	 * by uring.req and gives it to the process that submitted it */
	ILP_EV_URING_CREATE,	/* tid made ring uring.ctx, its fd uring.fd */
	ILP_EV_URING_SUBMIT,	/* request uring.req of ring uring.ctx submitted:
				 * uring.opcode (uring.op), uring.flags */
	ILP_EV_URING_FILE,	/* request uring.req takes fd uring.fd (a registered
				 * file has no such event) */
	ILP_EV_URING_ASYNC,	/* request uring.req punted to an io-wq worker */
	ILP_EV_URING_COMPLETE,	/* request uring.req done, result uring.res (any
				 * context: tid unreliable) */
	ILP_EV_URING_FAILED,	/* request uring.req failed, uring.res = -errno */
	ILP_EV_URING_CQWAIT,	/* tid waits in io_uring_enter for uring.res
				 * completions of ring uring.ctx */
	ILP_EV_URING_SHORT,	/* a write of ring uring.ctx wrote uring.res bytes of
				 * uring.fd asked (short write) */
	ILP_EV_KIND_MAX
};

#define ILP_COMM_LEN 16
#define ILP_USTACK_PCS 8	/* pcs a user_stack record holds (the kernel's
				 * FTRACE_STACK_ENTRIES) */

/*
 * TASK_INFO task.flags: the task is run's command, still held at
 * iolockprof's gate (forked, not yet exec'd): its calls until its exec
 * are iolockprof's own (the gate's read, the signal mask restored, the
 * setuid of --user, execvp's failed tries along PATH), not the
 * command's.  The model counts none of them; the execve that succeeds is
 * the command's first call.
 */
#define ILP_TASK_GATED 1u

/* ILP_EV_ULOCK_CALL, _RET: which call (ulock.op) */
enum ilp_ulock_op {
	ILP_ULOCK_OP_LOCK = 1,	/* pthread_mutex_lock, _timedlock, _clocklock: ret 0 acquired */
	ILP_ULOCK_OP_TRYLOCK,	/* pthread_mutex_trylock: ret 0 acquired (EBUSY: not) */
	ILP_ULOCK_OP_COND,	/* pthread_cond_wait, _timedwait, _clockwait: releases the
				 * mutex at entry, holds it again at return */
};
#define ILP_URING_OP_LEN 16	/* "WRITE_FIXED", "SYNC_FILE_RANGE"... NUL included */
#define ILP_URING_F_FIXED_FILE 1u	/* uring.flags: the request's file is registered */

struct ilp_event {
	uint64_t ts;		/* ns, CLOCK_MONOTONIC */
	int32_t pid;		/* process (tgid); 0 when the source does not know */
	int32_t tid;		/* thread that emitted the event */
	uint16_t kind;		/* enum ilp_event_kind */
	uint16_t cpu;
	int32_t nr;		/* syscall number (SYS_ENTER / SYS_EXIT) */
	union {
		uint64_t args[6];		/* SYS_ENTER */
		int64_t ret;			/* SYS_EXIT */
		struct {
			int32_t child;		/* TASK_NEW: the new task's tid */
			int32_t group_dead;	/* TASK_EXIT: whole process ended */
			uint64_t clone_flags;	/* TASK_NEW */
			char comm[ILP_COMM_LEN]; /* TASK_NEW, EXEC, TASK_INFO */
			uint32_t flags;		/* TASK_INFO: ILP_TASK_* */
		} task;
		struct {			/* FD_INFO */
			int32_t fd;
			uint32_t type;		/* source-defined object type */
			const char *str;	/* owned by the source, valid while the event is
					 * delivered: the model copies it */
		} fd;
		struct {			/* SCHED_SWITCH, WAKEUP */
			int32_t prev_state;	/* SWITCH: 0 running/preempted, else TASK_* bits */
			int32_t next;		/* SWITCH: tid taking the CPU */
			int32_t target;		/* WAKEUP: tid woken */
		} sched;
		struct {			/* BLOCK_* */
			uint32_t dev;		/* kernel dev_t: major << 20 | minor */
			uint32_t bytes;
			uint64_t sector;
			char rwbs[8];		/* "W", "RS", "FWS", ... as the kernel prints it */
			int32_t error;		/* COMPLETE */
			char comm[ILP_COMM_LEN];	/* task the event ran in (QUEUE, INSERT,
						 * ISSUE, merges); "" if the event has none */
		} block;
		struct {			/* LOCK_* */
			uint64_t addr;
			uint32_t flags;		/* BEGIN: LCB_F_* */
			int32_t ret;		/* END */
		} lock;
		struct {			/* SYS_ARGSTR (nr is the syscall) */
			const char *str;	/* the copy's bytes, not NUL-terminated: valid
						 * only while its record is decoded */
			uint32_t len;		/* bytes at str (the kernel's NUL included
						 * when it ended the string) */
			int32_t arg;		/* which argument it copies */
			uint64_t ptr;		/* that argument: the user address */
		} ustr;
		struct {			/* USTACK (outside the event, as KSTACK's
						 * frames: 8 pcs would make every event
						 * 16 bytes larger) */
			const void *raw;	/* from ilp_decode: n pcs inside the
						 * record (any alignment), valid only while
						 * it is decoded; the source then sets pc */
			const uint64_t *pc;	/* the source's copy, ILP_USTACK_PCS of
						 * them: [0] the syscall's ip, then return
						 * addresses of the frame-pointer walk; 0
						 * ends it.  Valid while the event is
						 * delivered; NULL: none */
			uint32_t n;		/* pcs at raw (at most ILP_USTACK_PCS) */
		} ustack;
		struct {			/* ULOCK_* */
			uint64_t addr;		/* CALL, UNLOCK: the mutex */
			uint64_t site;		/* CALL: the caller's return address */
			int32_t ret;		/* RET */
			uint32_t op;		/* CALL, RET: enum ilp_ulock_op */
		} ulock;
		struct {			/* KSTACK */
			const void *raw;	/* from ilp_decode: n addresses inside the
						 * record (any alignment), valid only while
						 * it is decoded; the source then sets ip */
			const uint64_t *ip;	/* the source's copy, [0] innermost: valid
						 * while the source lives; NULL: none */
			uint32_t n;		/* addresses at raw / ip */
		} kstack;
		struct {			/* URING_* */
			uint64_t ctx;		/* the ring (a kernel address) */
			uint64_t req;		/* the request (a kernel address, reused
						 * once it completed) */
			uint32_t flags;		/* SUBMIT: the request's REQ_F_* bits
						 * (ILP_URING_F_*), the low 32 */
			int32_t fd;		/* FILE: the fd; CREATE: the ring's fd;
						 * SHORT: bytes asked */
			int32_t res;		/* COMPLETE: the result; FAILED: -errno;
						 * CQWAIT: min_events; SHORT: bytes written */
			uint16_t opcode;	/* SUBMIT, ASYNC, FAILED: IORING_OP_* */
			char op[ILP_URING_OP_LEN];	/* SUBMIT: the kernel's name of opcode
							 * ("" if it has none) */
		} uring;
		struct {			/* WB_*, FILE_READ */
			uint32_t dev;		/* the bdi "MAJ:MIN" as a dev_t, or a hash of
						 * a bdi name that is not one; FILE_READ: the
						 * file's s_dev (MAJ << 20 | MIN) */
			uint64_t ino;
		} wb;
	};
};

/* every source's vectors and the merge move these: keep them small */
_Static_assert(sizeof(struct ilp_event) <= 72, "struct ilp_event grew past 72 bytes");

#endif
