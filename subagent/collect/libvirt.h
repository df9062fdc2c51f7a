/*
 * The libvirt collector: the list of defined domains with their identity,
 * state, vCPU count and memory, and the disks and interfaces of the running
 * ones with their counters, in one bulk call per cycle where the driver has
 * bulk statistics, per-domain calls where it lacks them.
 */
#ifndef KT_LIBVIRT_H
#define KT_LIBVIRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify/event.h"
#include "snapshot.h"

struct kt_domain {
	char uuid[KT_UUID_LEN + 1];
	char *name;
	enum kt_vm_state state;
	bool active;	/* has a running process (domain id != -1) */
	uint32_t vcpus; /* 0 when unknown */
	bool has_mem;
	uint64_t max_kib;
	uint64_t cur_kib;
	/*
	 * Devices of a running domain (collect/libvirt_dev.c), in the order
	 * of its XML description.  Each row has index 0 and host_ifindex 0:
	 * the collector assigns those.
	 */
	bool has_blks; /* the disk list is known; blks holds all of it */
	struct kt_blk *blks;
	size_t n_blks;
	bool has_ifs; /* the interface list is known */
	struct kt_iface *ifs;
	size_t n_ifs;
	bool dev_failed; /* a device list or counter could not be read */
	/* Where name, blks and ifs live (pool.h); NULL: malloc'd each. */
	struct kt_pool *pool;
};

struct kt_libvirt;

/*
 * Prepares a read-only connection to @uri.  Never fails because libvirt is
 * unreachable: the connection is (re)opened lazily by kt_libvirt_list().
 * @collectors (KT_COLLECT_* bits) says whether disks (KT_COLLECT_DISK) and
 * interfaces (KT_COLLECT_NET) are wanted.  Opening the connection and the
 * bulk statistics call are given up after @timeout_ns each (they go on in
 * the background; libvirt_call.h).  Returns 0 or -ENOMEM / -EAGAIN.
 */
int kt_libvirt_open(const char *uri, unsigned collectors, uint64_t timeout_ns,
		    struct kt_libvirt **out);
void kt_libvirt_close(struct kt_libvirt *lv);

/*
 * Raises VM lifecycle and connection notifications into @sink (copied;
 * NULL: none) from now on (collect/libvirt_events.h).  Call it before the
 * first kt_libvirt_list().  Returns 0 or -ENOMEM.
 */
int kt_libvirt_watch(struct kt_libvirt *lv, const struct kt_event_sink *sink);

/* Domain XML descriptions read so far (they must not be read each cycle). */
unsigned long kt_libvirt_xml_reads(const struct kt_libvirt *lv);

/*
 * Every defined domain, running or not.  Returns 0 and an array the caller
 * frees with kt_domains_free(), or -1 when libvirt could not be asked or
 * did not answer in time (the reason is logged, rate-limited).  A domain
 * whose QEMU process did not answer is listed with dev_failed set.  The
 * domains' names and device rows are carved out of @pool (NULL: malloc),
 * which must outlive them.
 */
int kt_libvirt_list(struct kt_libvirt *lv, struct kt_pool *pool,
		    struct kt_domain **out, size_t *n);
void kt_domains_free(struct kt_domain *doms, size_t n);

/*
 * Drops the device arrays of @d (their strings; the arrays too unless
 * pooled) and empties them.
 */
void kt_domain_clear_devices(struct kt_domain *d);

#endif
