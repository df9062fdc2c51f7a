/*
 * The per-device tables (kvmtopVcpuTable, kvmtopVmBlkTable,
 * kvmtopVmIfTable, indexed by kvmtopVmIndex and a device index), read
 * through the columns of vm_columns.c.
 *
 * A device table's rows are the devices of every VM in turn, which is the
 * order of the full index because the VMs and each VM's devices are sorted.
 * The snapshot numbers each VM's first device row once
 * (kt_snapshot_number_devices()), so row r is found by a binary search over
 * the VMs: no list is built per request.
 */
#include "config.h"

#include <stddef.h>

#include "mib/tables.h"
#include "sorted.h"

static size_t first_row(const struct kt_vm *vm, size_t off)
{
	return *(const size_t *)((const char *)vm + off);
}

/* A flat device row and the offset of a VM's first row in struct kt_vm. */
struct row_key {
	size_t off, row;
};

/* Never "equal": kt_lower_bound() finds the first VM starting after @row. */
static int cmp_first_row(const void *key, const void *vm)
{
	const struct row_key *k = key;

	return first_row(vm, k->off) <= k->row ? 1 : -1;
}

/*
 * The VM holding flat device row @row, whose first row is at offset @off of
 * struct kt_vm: the last VM whose first row is <= @row.  VMs without
 * devices share their first row with the next VM, so the last one is the
 * one that has it.  @row < the table's row count, so the VM exists.
 */
static const struct kt_vm *vm_of_row(const struct kt_snapshot *s, size_t off,
				     size_t row, size_t *dev)
{
	struct row_key key = { off, row };
	size_t after = kt_lower_bound(&key, s->vms, s->n_vms, sizeof(*s->vms),
				      cmp_first_row);
	const struct kt_vm *vm;

	vm = &s->vms[after - 1];
	*dev = row - first_row(vm, off);
	return vm;
}

/*
 * One device table: its row count in the snapshot, the offset of its first
 * row in struct kt_vm, and where a VM keeps its array of devices.
 */
#define DEVICE_TABLE(var, name, set, subid, count, row0, array, index_of)      \
	static size_t var##_rows(const struct kt_mib_ctx *ctx)                 \
	{                                                                      \
		const struct kt_snapshot *s = ctx->snap;                       \
                                                                               \
		return s != NULL && s->devices_numbered ? s->count : 0;        \
	}                                                                      \
	static const void *var##_at(const struct kt_mib_ctx *ctx, size_t row,  \
				    const struct kt_vm **vm)                   \
	{                                                                      \
		size_t dev;                                                    \
                                                                               \
		*vm = vm_of_row(ctx->snap, offsetof(struct kt_vm, row0), row,  \
				&dev);                                         \
		return &(*vm)->array[dev];                                     \
	}                                                                      \
	static const void *var##_row(const struct kt_mib_ctx *ctx, size_t row, \
				     union kt_row_tmp *tmp)                    \
	{                                                                      \
		const struct kt_vm *vm;                                        \
                                                                               \
		(void)tmp;                                                     \
		return var##_at(ctx, row, &vm);                                \
	}                                                                      \
	static size_t var##_index(const struct kt_mib_ctx *ctx, size_t row,    \
				  oid *idx)                                    \
	{                                                                      \
		const struct kt_vm *vm;                                        \
		const void *d = var##_at(ctx, row, &vm);                       \
                                                                               \
		idx[0] = vm->index;                                            \
		idx[1] = index_of(d);                                          \
		return 2;                                                      \
	}                                                                      \
	KT_TABLE(var, name, set, subid, var##_rows, var##_index, var##_row)

/* kvmtopVcpuIndex is the vCPU number + 1: QEMU numbers them from 0. */
static oid vcpu_index(const void *d)
{
	return (oid)((const struct kt_vcpu *)d)->number + 1;
}

static oid blk_index(const void *d)
{
	return ((const struct kt_blk *)d)->index;
}

static oid if_index(const void *d)
{
	return ((const struct kt_iface *)d)->index;
}

DEVICE_TABLE(kt_vcpu_table, "kvmtopVcpuTable", kt_vcpu_cols,
	     KT_OID_VCPU_TABLE_SUBID, n_vcpu_rows, vcpu_row0, vcpus,
	     vcpu_index);
DEVICE_TABLE(kt_vm_blk_table, "kvmtopVmBlkTable", kt_vm_blk_cols,
	     KT_OID_VM_BLK_TABLE_SUBID, n_blk_rows, blk_row0, blks, blk_index);
DEVICE_TABLE(kt_vm_if_table, "kvmtopVmIfTable", kt_vm_if_cols,
	     KT_OID_VM_IF_TABLE_SUBID, n_if_rows, if_row0, ifs, if_index);
