/*
 * The host collector: identity, CPU, memory, block devices, network
 * interfaces and pressure stall information of the host, from procfs and
 * sysfs, into the host part of a snapshot (host.h), with the rates against
 * the previous snapshot's host part.  Knows nothing about SNMP.
 */
#ifndef KT_HOST_COLLECT_H
#define KT_HOST_COLLECT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "collect/ifattr.h"
#include "host.h"
#include "index.h"

struct kt_host_collector;

/*
 * Opens the procfs and sysfs roots (kept open for the collector's life).
 * Returns 0, -EINVAL for a NULL path, -ENOMEM, or the negative errno of a
 * root that cannot be opened as a directory (logged).
 */
int kt_host_collector_new(const char *procfs, const char *sysfs,
			  struct kt_host_collector **out);

/* NULL-safe. */
void kt_host_collector_free(struct kt_host_collector *hc);

/*
 * One cycle.  @collectors (KT_COLLECT_* of collectors.h) says what to read:
 *   HOST: hostname, product UUID, CPU (/proc/stat, cpuinfo, cpufreq) and
 *         /proc/meminfo; out->valid says that this part ran;
 *   DISK: /proc/diskstats rows of whole physical disks (SYSFS/block/NAME/
 *         device exists) and of the devices @vm_devs (by major:minor, the
 *         block devices backing VM disks), indexed through @map with the
 *         key "host/disk/NAME" (with @map NULL: 1, 2, ... in file order,
 *         which is not persistent, for one-shot printing);
 *   NET:  /proc/net/dev except lo, with ifindex, speed and type from
 *         SYSFS/class/net/NAME through @ifattrs, whose cycles the caller
 *         runs (NULL: read for this call only); an interface without
 *         ifindex is left out;
 *   PSI:  /proc/pressure/{cpu,io,memory}.
 * Rates come from @prev (the previous snapshot's host part, may be NULL)
 * over @interval_ns (the time since it; disk rates need it, CPU percentages
 * are ratios of ticks).  A file that cannot be read or parsed leaves its
 * part invalid or absent and logs a debug line; the rest goes on.
 *
 * @out must be zeroed or hold an earlier result: its arrays are freed and
 * everything but vms_running..vms_other (which the caller fills) is reset.
 * The disk and net arrays are malloc'd (kt_host_clear() frees them), sorted
 * by index and by ifindex.  Returns 0, or -ENOMEM when an array could not be
 * allocated (that part is then empty; the rest is filled).
 */
int kt_host_collect(struct kt_host_collector *hc, unsigned collectors,
		    struct kt_index_map *map, struct kt_ifattr_cache *ifattrs,
		    const dev_t *vm_devs, size_t n_vm_devs,
		    const struct kt_host *prev, uint64_t interval_ns,
		    struct kt_host *out);

#endif
