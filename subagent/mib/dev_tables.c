/*
 * Per-VM disk, network and I/O sums and the per-device tables.
 * (placeholders: filled in by the issue 3 work)
 */
#include "config.h"

#include "kvmtop_oid.h"
#include "mib/tables.h"

static size_t no_rows(const struct kt_mib_ctx *ctx)
{
	(void)ctx;
	return 0;
}

static size_t no_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	(void)ctx;
	(void)row;
	(void)idx;
	return 0;
}

static bool no_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		    struct kt_value *v)
{
	(void)ctx;
	(void)row;
	(void)col;
	(void)v;
	return false;
}

static const oid vm_disk_table_oid[] = { KT_OID_OBJECTS, KT_OID_VM_DISK_TABLE_SUBID };
static const oid vm_disk_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_VM_DISK_TABLE_SUBID, 1 };

const struct kt_table kt_vm_disk_table = {
	.name = "kvmtopVmDiskTable",
	.reg = vm_disk_table_oid,
	.reg_len = OID_LENGTH(vm_disk_table_oid),
	.prefix = vm_disk_table_entry_oid,
	.prefix_len = OID_LENGTH(vm_disk_table_entry_oid),
	.first_col = 1,
	.last_col = 14,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};

static const oid vm_net_table_oid[] = { KT_OID_OBJECTS, KT_OID_VM_NET_TABLE_SUBID };
static const oid vm_net_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_VM_NET_TABLE_SUBID, 1 };

const struct kt_table kt_vm_net_table = {
	.name = "kvmtopVmNetTable",
	.reg = vm_net_table_oid,
	.reg_len = OID_LENGTH(vm_net_table_oid),
	.prefix = vm_net_table_entry_oid,
	.prefix_len = OID_LENGTH(vm_net_table_entry_oid),
	.first_col = 1,
	.last_col = 9,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};

static const oid vm_io_table_oid[] = { KT_OID_OBJECTS, KT_OID_VM_IO_TABLE_SUBID };
static const oid vm_io_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_VM_IO_TABLE_SUBID, 1 };

const struct kt_table kt_vm_io_table = {
	.name = "kvmtopVmIoTable",
	.reg = vm_io_table_oid,
	.reg_len = OID_LENGTH(vm_io_table_oid),
	.prefix = vm_io_table_entry_oid,
	.prefix_len = OID_LENGTH(vm_io_table_entry_oid),
	.first_col = 1,
	.last_col = 7,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};

static const oid vcpu_table_oid[] = { KT_OID_OBJECTS, KT_OID_VCPU_TABLE_SUBID };
static const oid vcpu_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_VCPU_TABLE_SUBID, 1 };

const struct kt_table kt_vcpu_table = {
	.name = "kvmtopVcpuTable",
	.reg = vcpu_table_oid,
	.reg_len = OID_LENGTH(vcpu_table_oid),
	.prefix = vcpu_table_entry_oid,
	.prefix_len = OID_LENGTH(vcpu_table_entry_oid),
	.first_col = 2,
	.last_col = 8,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};

static const oid vm_blk_table_oid[] = { KT_OID_OBJECTS, KT_OID_VM_BLK_TABLE_SUBID };
static const oid vm_blk_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_VM_BLK_TABLE_SUBID, 1 };

const struct kt_table kt_vm_blk_table = {
	.name = "kvmtopVmBlkTable",
	.reg = vm_blk_table_oid,
	.reg_len = OID_LENGTH(vm_blk_table_oid),
	.prefix = vm_blk_table_entry_oid,
	.prefix_len = OID_LENGTH(vm_blk_table_entry_oid),
	.first_col = 2,
	.last_col = 14,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};

static const oid vm_if_table_oid[] = { KT_OID_OBJECTS, KT_OID_VM_IF_TABLE_SUBID };
static const oid vm_if_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_VM_IF_TABLE_SUBID, 1 };

const struct kt_table kt_vm_if_table = {
	.name = "kvmtopVmIfTable",
	.reg = vm_if_table_oid,
	.reg_len = OID_LENGTH(vm_if_table_oid),
	.prefix = vm_if_table_entry_oid,
	.prefix_len = OID_LENGTH(vm_if_table_entry_oid),
	.first_col = 2,
	.last_col = 13,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};
