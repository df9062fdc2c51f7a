/*
 * A VM's device rows from what libvirt reported: persistent device indexes
 * from the index map, the host ifIndex of each tap device from sysfs,
 * counters that never go backwards, and the per-VM sums of
 * kvmtopVmDiskTable and kvmtopVmNetTable.
 */
#ifndef KT_VM_DEVICES_H
#define KT_VM_DEVICES_H

#include "collect/counters.h"
#include "collect/ifattr.h"
#include "collect/libvirt.h"
#include "index.h"
#include "snapshot.h"

/*
 * Moves the disks and interfaces of @d into row @vm (taking the arrays:
 * @d no longer owns them), each with its persistent index (keys
 * "UUID/blk/TARGET" and "UUID/if/MAC" in @map) and sorted by it, each
 * interface with the ifindex of its host device from @ifattrs (NULL:
 * unknown), and fills vm->disk and vm->net with the sums.  A
 * device that gets no index (a target that is no valid key, or the map is
 * full) is left out.  The VM's uuid must be set.
 *
 * The counters served (each device's and the sums) are totals kept in
 * @acc, the VM's own across cycles (see vm_devices.c): the raw values the
 * first time a device is seen, never going backwards after that.  A list
 * @d does not know (has_blks, has_ifs false) leaves @acc's devices as
 * they are; a known list drops those of @acc it no longer has.
 */
void kt_vm_devices_fill(struct kt_vm *vm, struct kt_domain *d,
			struct kt_index_map *map,
			struct kt_ifattr_cache *ifattrs,
			struct kt_vm_dev_counters *acc);

#endif
