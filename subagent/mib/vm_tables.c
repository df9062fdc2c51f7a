/*
 * The per-VM tables: kvmtopVmTable, kvmtopVmCpuTable, kvmtopVmMemTable,
 * kvmtopVmDiskTable, kvmtopVmNetTable and kvmtopVmIoTable.  All are indexed
 * by kvmtopVmIndex and read the snapshot's sorted VM rows through the
 * columns of vm_columns.c; a VM without data for the CPU, disk, network or
 * I/O table has no row in it.
 */
#include "config.h"

#include "mib/tables.h"

size_t kt_vm_rows(const struct kt_mib_ctx *ctx)
{
	return ctx->snap != NULL ? ctx->snap->n_vms : 0;
}

size_t kt_vm_row_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	idx[0] = ctx->snap->vms[row].index;
	return 1;
}

static const struct kt_vm *vm_at(const struct kt_mib_ctx *ctx, size_t row)
{
	return &ctx->snap->vms[row];
}

static const void *vm_row(const struct kt_mib_ctx *ctx, size_t row,
			  union kt_row_tmp *tmp)
{
	(void)tmp;
	return vm_at(ctx, row);
}

/* The VM as a row of a table that has one only when @rule holds. */
#define VM_ROW_IF(fn, rule)                                             \
	static const void *fn(const struct kt_mib_ctx *ctx, size_t row, \
			      union kt_row_tmp *tmp)                    \
	{                                                               \
		const struct kt_vm *vm = vm_at(ctx, row);               \
                                                                        \
		(void)tmp;                                              \
		return rule(vm) ? vm : NULL;                            \
	}

VM_ROW_IF(cpu_row, kt_vm_has_cpu)
VM_ROW_IF(disk_row, kt_vm_has_disk)
VM_ROW_IF(net_row, kt_vm_has_net)
VM_ROW_IF(io_row, kt_vm_has_io)

#define VM_TABLE(var, name, set, subid, row_fn) \
	KT_TABLE(var, name, set, subid, kt_vm_rows, kt_vm_row_index, row_fn)

VM_TABLE(kt_vm_table, "kvmtopVmTable", kt_vm_cols, KT_OID_VM_TABLE_SUBID,
	 vm_row);
VM_TABLE(kt_vm_cpu_table, "kvmtopVmCpuTable", kt_vm_cpu_cols,
	 KT_OID_CPU_TABLE_SUBID, cpu_row);
VM_TABLE(kt_vm_mem_table, "kvmtopVmMemTable", kt_vm_mem_cols,
	 KT_OID_MEM_TABLE_SUBID, vm_row);
VM_TABLE(kt_vm_disk_table, "kvmtopVmDiskTable", kt_vm_disk_cols,
	 KT_OID_VM_DISK_TABLE_SUBID, disk_row);
VM_TABLE(kt_vm_net_table, "kvmtopVmNetTable", kt_vm_net_cols,
	 KT_OID_VM_NET_TABLE_SUBID, net_row);
VM_TABLE(kt_vm_io_table, "kvmtopVmIoTable", kt_vm_io_cols,
	 KT_OID_VM_IO_TABLE_SUBID, io_row);
