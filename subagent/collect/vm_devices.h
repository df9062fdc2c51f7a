/*
 * A VM's device rows from what libvirt reported: persistent device indexes
 * from the index map, the host ifIndex of each tap device from sysfs, and
 * the per-VM sums of kvmtopVmDiskTable and kvmtopVmNetTable.
 */
#ifndef KT_VM_DEVICES_H
#define KT_VM_DEVICES_H

#include "collect/libvirt.h"
#include "index.h"
#include "snapshot.h"

/*
 * Moves the disks and interfaces of @d into row @vm (taking the arrays:
 * @d no longer owns them), each with its persistent index (keys
 * "UUID/blk/TARGET" and "UUID/if/MAC" in @map) and sorted by it, each
 * interface with the ifindex of its host device read below the sysfs root
 * @sysfd (-1: unknown), and fills vm->disk and vm->net with the sums.  A
 * device that gets no index (a target that is no valid key, or the map is
 * full) is left out.  The VM's uuid must be set.
 */
void kt_vm_devices_fill(struct kt_vm *vm, struct kt_domain *d,
			struct kt_index_map *map, int sysfd);

#endif
