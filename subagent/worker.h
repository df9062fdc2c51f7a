/*
 * The collector thread: runs a collection cycle every interval and hands
 * each finished snapshot to the SNMP thread, which it wakes through an
 * eventfd.  The SNMP thread never waits for a collection.
 */
#ifndef KT_WORKER_H
#define KT_WORKER_H

#include <stdint.h>

#include "collect/collector.h"
#include "snapshot.h"

struct kt_worker;

/* Starts the thread; it owns nothing of @c but uses it until stopped. */
int kt_worker_start(struct kt_collector *c, uint64_t interval_ns,
		    struct kt_worker **out);

/* Readable when a new snapshot is ready. */
int kt_worker_fd(const struct kt_worker *w);

/*
 * The newest snapshot not taken yet (the caller owns that reference), or
 * NULL.  Clears the eventfd.
 */
struct kt_snapshot *kt_worker_take(struct kt_worker *w);

/*
 * Hands the snapshot served before back to the collector thread, which
 * drops this reference (the SNMP thread's) and frees it.  NULL-safe.
 */
void kt_worker_retire(struct kt_worker *w, struct kt_snapshot *old);

/*
 * Asks for a collection at once (from any thread): it starts now, or right
 * after the cycle in progress, and the schedule starts anew from it.
 */
void kt_worker_collect_now(struct kt_worker *w);

/* Stops and joins the thread; waits for a cycle in progress to end. */
void kt_worker_stop(struct kt_worker *w);

#endif
