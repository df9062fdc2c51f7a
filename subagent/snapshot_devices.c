/*
 * The flat device rows of a snapshot.
 *
 * A device table (vCPUs, disks, interfaces) is indexed by (VM index, device
 * index).  Its rows are every VM's device array in turn: the VMs are sorted
 * by index and each array by device index, so that concatenation is sorted
 * by the full index.  Numbering each VM's first row once, when the snapshot
 * is built, lets the SNMP thread find row r by a binary search over the VMs
 * instead of building a list per request.
 */
#include "config.h"

#include "snapshot.h"

void kt_snapshot_number_devices(struct kt_snapshot *snap)
{
	size_t i, vcpus = 0, blks = 0, ifs = 0;

	if (snap == NULL)
		return;
	for (i = 0; i < snap->n_vms; i++) {
		struct kt_vm *vm = &snap->vms[i];

		vm->vcpu_row0 = vcpus;
		vm->blk_row0 = blks;
		vm->if_row0 = ifs;
		vcpus += vm->n_vcpus;
		blks += vm->n_blks;
		ifs += vm->n_ifs;
	}
	snap->n_vcpu_rows = vcpus;
	snap->n_blk_rows = blks;
	snap->n_if_rows = ifs;
	snap->devices_numbered = true;
}
