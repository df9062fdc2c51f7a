/*
 * Notifications, the SNMP side: takes struct kt_event out of the
 * notification queue and sends each as a KVMTOP-MIB notification through
 * the AgentX session (send_v2trap: the master agent sends it on to its
 * trap2sink, trapsess and informsink destinations, as a trap or an
 * inform).  While the session is down nothing is taken out: the queue
 * holds them, in order.  Also serves the kvmtopNotify scalars and runs
 * the noisy-neighbour watch on each new snapshot.  SNMP thread only.
 */
#ifndef KT_MIB_NOTIFY_H
#define KT_MIB_NOTIFY_H

#include "mib/table.h"
#include "notify/queue.h"
#include "notify/steal.h"

struct kt_notify_config {
	struct kt_notify_queue *queue;
	struct kt_steal_config steal;
	/* Asks for a collection now (to learn the index of a new VM). */
	void (*collect_now)(void *arg);
	void *arg;
};

/*
 * Before kt_agentx_init(), which opens the AgentX session: notes when the
 * session comes and goes.  Returns 0 or -ENOMEM.
 */
int kt_notify_init(const struct kt_notify_config *cfg);

/* A new snapshot is served: the steal watch looks at it. */
void kt_notify_snapshot(const struct kt_mib_ctx *ctx);

/*
 * Sends what waits in the queue while the session is up, as far as the
 * VMs' indexes are known (the event loop calls it after each round).
 */
void kt_notify_pump(const struct kt_mib_ctx *ctx);

void kt_notify_shutdown(void);

extern const struct kt_table kt_notify_scalars;

#endif
