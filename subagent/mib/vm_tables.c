/*
 * kvmtopVmTable, kvmtopVmCpuTable and kvmtopVmMemTable: snapshot VM rows to
 * columns.  All three are indexed by kvmtopVmIndex and share the snapshot's
 * sorted VM rows; a VM without data for a table has no row in it.
 */
#include "config.h"

#include <string.h>

#include "kvmtop_oid.h"
#include "mib/tables.h"

static const oid vm_table_oid[] = { KT_OID_OBJECTS, KT_OID_VM_TABLE_SUBID };
static const oid vm_entry_oid[] = { KT_OID_OBJECTS, KT_OID_VM_TABLE_SUBID, 1 };
static const oid cpu_table_oid[] = { KT_OID_OBJECTS, KT_OID_CPU_TABLE_SUBID };
static const oid cpu_entry_oid[] = { KT_OID_OBJECTS, KT_OID_CPU_TABLE_SUBID,
				     1 };
static const oid mem_table_oid[] = { KT_OID_OBJECTS, KT_OID_MEM_TABLE_SUBID };
static const oid mem_entry_oid[] = { KT_OID_OBJECTS, KT_OID_MEM_TABLE_SUBID,
				     1 };

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

/* ---- kvmtopVmTable ---- */

enum { VM_UUID = 2, VM_NAME, VM_STATE, VM_PID, VM_DATA_VALID };

static bool vm_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		    struct kt_value *v)
{
	const struct kt_vm *vm = vm_at(ctx, row);

	switch (col) {
	case VM_UUID:
		return kt_val_str(v, vm->uuid, KT_UUID_LEN);
	case VM_NAME: /* NULL only if a copy failed for lack of memory */
		return vm->name != NULL
			       ? kt_val_str(v, vm->name, strlen(vm->name))
			       : kt_val_str(v, "", 0);
	case VM_STATE:
		return kt_val_num(v, ASN_INTEGER, vm->state);
	case VM_PID:
		return kt_val_num(v, ASN_UNSIGNED, (uint64_t)vm->pid);
	case VM_DATA_VALID:
		return kt_val_truth(v, vm->data_valid);
	default:
		return false;
	}
}

const struct kt_table kt_vm_table = {
	.name = "kvmtopVmTable",
	.reg = vm_table_oid,
	.reg_len = OID_LENGTH(vm_table_oid),
	.prefix = vm_entry_oid,
	.prefix_len = OID_LENGTH(vm_entry_oid),
	.first_col = VM_UUID,
	.last_col = VM_DATA_VALID,
	.n_rows = kt_vm_rows,
	.row_index = kt_vm_row_index,
	.cell = vm_cell,
};

/* ---- kvmtopVmCpuTable ---- */

enum {
	CPU_CORES = 1,
	CPU_TIME,
	CPU_STEAL_TIME,
	CPU_OTHER_TIME,
	CPU_OTHER_STEAL_TIME,
	CPU_TOTAL,
	CPU_STEAL,
	CPU_OTHER_TOTAL,
	CPU_OTHER_STEAL,
	CPU_THREADS,
	CPU_OTHER_THREADS,
};

/* Columns that exist only when vCPU threads were identified. */
static bool vcpu_cell(const struct kt_vm_cpu *c, unsigned col,
		      struct kt_value *v)
{
	if (!c->vcpus_found)
		return false;
	switch (col) {
	case CPU_TIME:
		return kt_val_num(v, ASN_COUNTER64, c->run_ns);
	case CPU_STEAL_TIME:
		return kt_val_num(v, ASN_COUNTER64, c->wait_ns);
	case CPU_TOTAL:
		return c->has_rate && kt_val_gauge(v, c->total);
	case CPU_STEAL:
		return c->has_rate && kt_val_gauge(v, c->steal);
	default:
		return false;
	}
}

static bool cpu_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		     struct kt_value *v)
{
	const struct kt_vm_cpu *c = &vm_at(ctx, row)->cpu;

	if (!c->valid)
		return false;
	switch (col) {
	case CPU_CORES: /* 0: libvirt did not say */
		return c->vcpus != 0 && kt_val_gauge(v, c->vcpus);
	case CPU_OTHER_TIME:
		return kt_val_num(v, ASN_COUNTER64, c->other_run_ns);
	case CPU_OTHER_STEAL_TIME:
		return kt_val_num(v, ASN_COUNTER64, c->other_wait_ns);
	case CPU_OTHER_TOTAL:
		return c->has_rate && kt_val_gauge(v, c->other_total);
	case CPU_OTHER_STEAL:
		return c->has_rate && kt_val_gauge(v, c->other_steal);
	case CPU_THREADS:
		return kt_val_gauge(v, c->vcpu_threads);
	case CPU_OTHER_THREADS:
		return kt_val_gauge(v, c->other_threads);
	default:
		return vcpu_cell(c, col, v);
	}
}

const struct kt_table kt_vm_cpu_table = {
	.name = "kvmtopVmCpuTable",
	.reg = cpu_table_oid,
	.reg_len = OID_LENGTH(cpu_table_oid),
	.prefix = cpu_entry_oid,
	.prefix_len = OID_LENGTH(cpu_entry_oid),
	.first_col = CPU_CORES,
	.last_col = CPU_OTHER_THREADS,
	.n_rows = kt_vm_rows,
	.row_index = kt_vm_row_index,
	.cell = cpu_cell,
};

/* ---- kvmtopVmMemTable ---- */

enum {
	MEM_TOTAL = 1,
	MEM_USED,
	MEM_VSIZE,
	MEM_RSS,
	MEM_MINFLT,
	MEM_CMINFLT,
	MEM_MAJFLT,
	MEM_CMAJFLT,
};

static bool mem_proc_cell(const struct kt_vm_mem *m, unsigned col,
			  struct kt_value *v)
{
	if (!m->has_proc)
		return false;
	switch (col) {
	case MEM_VSIZE:
		return kt_val_num(v, ASN_COUNTER64, m->vsize);
	case MEM_RSS:
		return kt_val_num(v, ASN_COUNTER64, m->rss);
	case MEM_MINFLT:
		return kt_val_num(v, ASN_COUNTER64, m->minflt);
	case MEM_CMINFLT:
		return kt_val_num(v, ASN_COUNTER64, m->cminflt);
	case MEM_MAJFLT:
		return kt_val_num(v, ASN_COUNTER64, m->majflt);
	case MEM_CMAJFLT:
		return kt_val_num(v, ASN_COUNTER64, m->cmajflt);
	default:
		return false;
	}
}

static bool mem_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		     struct kt_value *v)
{
	const struct kt_vm_mem *m = &vm_at(ctx, row)->mem;

	switch (col) {
	case MEM_TOTAL:
		return m->has_libvirt && kt_val_gauge(v, m->max_kib);
	case MEM_USED:
		return m->has_libvirt && kt_val_gauge(v, m->cur_kib);
	default:
		return mem_proc_cell(m, col, v);
	}
}

const struct kt_table kt_vm_mem_table = {
	.name = "kvmtopVmMemTable",
	.reg = mem_table_oid,
	.reg_len = OID_LENGTH(mem_table_oid),
	.prefix = mem_entry_oid,
	.prefix_len = OID_LENGTH(mem_entry_oid),
	.first_col = MEM_TOTAL,
	.last_col = MEM_CMAJFLT,
	.n_rows = kt_vm_rows,
	.row_index = kt_vm_row_index,
	.cell = mem_cell,
};
