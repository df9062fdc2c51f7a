/*
 * The noisy-neighbour watch: per VM, its CPU steal (kvmtopVmCpuSteal) at
 * or above a high threshold in every collection for a while raises "steal
 * high"; after that, at or below a lower threshold for a while raises
 * "steal normal".  Values between the thresholds change nothing
 * (hysteresis), and a value on the far side resets the time counted, so a
 * value flapping around one threshold raises nothing.  Fed one snapshot
 * after the other (the SNMP thread does, as it takes each one).
 */
#ifndef KT_NOTIFY_STEAL_H
#define KT_NOTIFY_STEAL_H

#include <stdint.h>

#include "notify/event.h"
#include "snapshot.h"

/* Defaults of --steal-high, --steal-normal (0.01 %) and --steal-for. */
#define KT_STEAL_HIGH_DEFAULT 2500u
#define KT_STEAL_NORMAL_DEFAULT 1000u
#define KT_STEAL_FOR_DEFAULT_MS 60000u

struct kt_steal_config {
	uint32_t high;	 /* 0.01 %: at or above it counts as high */
	uint32_t normal; /* 0.01 %, below high: at or below it is normal */
	uint64_t for_ns; /* how long, summed over consecutive intervals */
};

struct kt_steal_watch;

/* Returns 0 or -ENOMEM. */
int kt_steal_watch_new(const struct kt_steal_config *cfg,
		       struct kt_steal_watch **out);
void kt_steal_watch_free(struct kt_steal_watch *w);

/*
 * Looks at the VMs of @snap (sorted by index) and raises what they
 * decide into @sink.  A VM without a steal rate this time (stopped,
 * vanished, its threads unreadable) is forgotten: no "normal" for it.
 * Returns 0 or -ENOMEM (nothing is raised then; the next call retries).
 */
int kt_steal_watch_update(struct kt_steal_watch *w,
			  const struct kt_snapshot *snap,
			  const struct kt_event_sink *sink);

#endif
