/*
 * One collection cycle: libvirt's domain list joined with each VM's QEMU
 * process in procfs, turned into a snapshot with rates against the previous
 * one.  Knows nothing about SNMP.
 */
#ifndef KT_COLLECTOR_H
#define KT_COLLECTOR_H

#include <stdint.h>

#include "collect/qemu_users.h"
#include "snapshot.h"

struct kt_event_sink;

struct kt_collector_config {
	const char *uri;    /* libvirt connection URI */
	const char *procfs; /* procfs root, "/proc" in production */
	const char *sysfs;  /* sysfs root, "/sys" in production */
	const char
		*state_dir;  /* where the index map lives (required) */
	/* Index keys unseen on more counted days are forgotten; 0: never. */
	uint32_t forget_after_days;
	unsigned collectors; /* KT_COLLECT_* mask, see collectors.h */
	/* Who may own a VM's QEMU process besides root (none: root only). */
	struct kt_qemu_users qemu_users;
	/* How long a libvirt call may block the cycle; 0: the default. */
	uint64_t libvirt_timeout_ns;
	/* Where VM lifecycle and libvirt link notifications go; NULL: none. */
	const struct kt_event_sink *events;
};

#define KT_LIBVIRT_TIMEOUT_DEFAULT_NS (5ull * 1000000000ull)

struct kt_collector;

/* Returns 0, or a negative errno with the reason logged (bad procfs root). */
int kt_collector_new(const struct kt_collector_config *cfg,
		     struct kt_collector **out);
void kt_collector_free(struct kt_collector *c);

/*
 * Runs one cycle and returns a new snapshot (the caller owns one reference),
 * or NULL when memory ran out.  When libvirt cannot be reached the snapshot
 * repeats the last known rows, marked stale.
 */
struct kt_snapshot *kt_collector_run(struct kt_collector *c);

/*
 * Drops a snapshot that is no longer served (one reference) and, when that
 * freed it, hands the memory the cycle freed back to the kernel.  Call it
 * from the collector's thread: the SNMP thread neither frees a snapshot
 * nor trims the heap between requests.
 */
void kt_collector_release(struct kt_collector *c, struct kt_snapshot *snap);

#endif
