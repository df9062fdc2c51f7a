/*
 * What sysfs says about the host's network interfaces (ifindex, speed,
 * kind), kept from cycle to cycle.
 *
 * A hypervisor has a tap per VM interface: reading five sysfs entries per
 * interface and cycle, twice (the host's interface table and the VMs'
 * interface rows), was a third of all the files a cycle opened at 1000
 * VMs.  The attributes do not change while the interface lives, so one
 * stat of SYSFS/class/net/NAME per interface and cycle tells whether it is
 * still the same interface (an interface deleted and created again under
 * the same name, a restarted VM's tap, is a new sysfs node with a new
 * inode); they are read again when it is not, and every minute anyway (a
 * physical link's speed changes when it renegotiates).
 */
#ifndef KT_IFATTR_H
#define KT_IFATTR_H

#include <stdbool.h>
#include <stdint.h>

#include "host.h"

/* Attributes are read again at least this often. */
#define KT_IFATTR_MAX_AGE_NS (60ull * 1000000000ull)

struct kt_ifattr {
	uint32_t ifindex; /* never 0: an interface without one is unknown */
	bool has_speed;	  /* the link is up and says its speed */
	uint32_t speed_mbps;
	enum kt_net_type type;
};

struct kt_ifattr_cache;

/* @sysfd (the sysfs root) stays the caller's.  Returns 0 or -ENOMEM. */
int kt_ifattr_cache_new(int sysfd, struct kt_ifattr_cache **out);
void kt_ifattr_cache_free(struct kt_ifattr_cache *c);

/*
 * Starts a cycle at @now_ns (monotonic): each interface is checked once
 * per cycle, and those nobody asked about in the last cycle are forgotten.
 */
void kt_ifattr_cycle(struct kt_ifattr_cache *c, uint64_t now_ns);

/*
 * The attributes of interface @name, or NULL when sysfs has no such
 * interface, no usable ifindex, or @name is no single path component
 * (names may come from a domain's XML).  Valid until the next call.
 */
const struct kt_ifattr *kt_ifattr_get(struct kt_ifattr_cache *c,
				      const char *name);

/* Interfaces whose attributes were read from sysfs so far (benchmarks). */
unsigned long kt_ifattr_reads(const struct kt_ifattr_cache *c);

#endif
