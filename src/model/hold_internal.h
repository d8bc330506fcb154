/* SPDX-License-Identifier: MIT */
#ifndef ILP_HOLD_INTERNAL_H
#define ILP_HOLD_INTERNAL_H

/*
 * Private between model.c and the hold model (model_hold.c): model.c owns
 * one struct ilp_holds and hands it every ULOCK event with the process
 * its thread belongs to, and every thread exit.
 */

#include <stdint.h>

#include "event.h"
#include "holdmodel.h"
#include "waitmodel.h"

struct ilp_holds;

struct ilp_holds *ilp_holds_new(void);		/* NULL on ENOMEM */
void ilp_holds_free(struct ilp_holds *h);	/* NULL ok */
/* an ILP_EV_ULOCK_* event of thread ev->tid of process pid: 0 or -ENOMEM */
int ilp_holds_feed(struct ilp_holds *h, int pid, const struct ilp_event *ev);
/* thread tid of pid ended at ts: its holds end, its pending call goes */
void ilp_holds_thread_exit(struct ilp_holds *h, int pid, int tid, uint64_t ts);
/* sorts the locks and their sites, counts the open holds: 0 or -ENOMEM */
int ilp_holds_index(struct ilp_holds *h);
/* statistics to 0; holds in progress and pending calls kept */
void ilp_holds_reset(struct ilp_holds *h);
/* names new mutexes (ILP_NAME_ULOCK) and call sites (ILP_NAME_CODE): how
 * many asked to be asked again, or -ENOMEM */
int ilp_holds_name(struct ilp_holds *h, ilp_namer_fn fn, void *ctx);
const struct ilp_hproc *ilp_holds_proc(const struct ilp_holds *h, int pid);
const struct ilp_hold_counters *ilp_holds_counters(const struct ilp_holds *h);

#endif
