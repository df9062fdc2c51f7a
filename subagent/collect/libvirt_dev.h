/*
 * The disks and interfaces of the running domains, for the libvirt
 * collector: their names from each domain's XML description (read only
 * when a domain appears, restarts or its device list changes) and their
 * counters from the bulk statistics record, or from per-domain calls where
 * the driver's bulk answer has none.
 */
#ifndef KT_LIBVIRT_DEV_H
#define KT_LIBVIRT_DEV_H

#include <stdbool.h>

#include <libvirt/libvirt.h>

#include "collect/libvirt.h"

/* The bulk statistics groups the device part needs for @collectors. */
unsigned kt_dev_stats_groups(unsigned collectors);

/* What was read from the XML descriptions, per domain UUID. */
struct kt_dev_cache;

int kt_dev_cache_new(struct kt_dev_cache **out);
void kt_dev_cache_free(struct kt_dev_cache *c);

/*
 * Fills the device fields of @d, a running domain (@dom, its bulk record
 * @rec): the disks when @collectors has KT_COLLECT_DISK, the interfaces
 * when it has KT_COLLECT_NET.  Reads the XML description only when the
 * cache has none for this domain, its id changed (it was restarted) or the
 * device names in @rec changed since it was read.  Sets d->dev_failed when
 * something could not be read (logged at debug level).  Returns 0 or
 * -ENOMEM.
 */
int kt_dev_collect(struct kt_dev_cache *c, virDomainPtr dom,
		   const virDomainStatsRecordPtr rec, unsigned collectors,
		   struct kt_domain *d);

/* Forgets the domains kt_dev_collect() was not called for since the last
 * sweep. */
void kt_dev_cache_sweep(struct kt_dev_cache *c);

/* How many XML descriptions were read since the cache was made (tests). */
unsigned long kt_dev_cache_xml_reads(const struct kt_dev_cache *c);

#endif
