/*
 * The disks, interfaces and I/O of each VM: the per-VM sums
 * (kvmtopVmDiskTable, kvmtopVmNetTable, kvmtopVmIoTable, indexed by
 * kvmtopVmIndex like the VM table) and the per-device tables
 * (kvmtopVcpuTable, kvmtopVmBlkTable, kvmtopVmIfTable, indexed by
 * kvmtopVmIndex and a device index).
 *
 * A device table's rows are the devices of every VM in turn, which is the
 * order of the full index because the VMs and each VM's devices are sorted.
 * The snapshot numbers each VM's first device row once
 * (kt_snapshot_number_devices()), so row r is found by a binary search over
 * the VMs: no list is built per request.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "kvmtop_oid.h"
#include "mib/tables.h"

/* kvmtopVmBlkSource is a DisplayString: at most 255 octets. */
#define KT_DISPLAY_MAX 255

static const struct kt_vm *vm_at(const struct kt_mib_ctx *ctx, size_t row)
{
	return &ctx->snap->vms[row];
}

/* A string cell; NULL (a copy that ran out of memory) reads as "". */
static bool str_cell(struct kt_value *v, const char *s)
{
	size_t len = s != NULL ? strlen(s) : 0;

	return kt_val_str(v, s != NULL ? s : "",
			  len > KT_DISPLAY_MAX ? KT_DISPLAY_MAX : len);
}

static bool c64(struct kt_value *v, uint64_t n)
{
	return kt_val_num(v, ASN_COUNTER64, n);
}

/*
 * The disk values shared by kvmtopVmDiskTable (sums) and kvmtopVmBlkTable
 * (one disk), in the same order in both, each with its KT_BLK_* bit and
 * where it lives in a kt_blk and in a kt_vm_disk.
 */
static const struct blk_column {
	uint32_t bit;
	size_t blk_off, sum_off;
} blk_columns[] = {
/* One column a line, in MIB order. */
/* clang-format off */
#define COL(bit, field) \
	{ bit, offsetof(struct kt_blk, field), \
	  offsetof(struct kt_vm_disk, field) }
	COL(KT_BLK_CAPACITY, capacity),
	COL(KT_BLK_ALLOCATION, allocation),
	COL(KT_BLK_PHYSICAL, physical),
	COL(KT_BLK_RD_BYTES, st.rd_bytes),
	COL(KT_BLK_RD_REQS, st.rd_reqs),
	COL(KT_BLK_RD_NS, st.rd_ns),
	COL(KT_BLK_WR_BYTES, st.wr_bytes),
	COL(KT_BLK_WR_REQS, st.wr_reqs),
	COL(KT_BLK_WR_NS, st.wr_ns),
	COL(KT_BLK_FL_REQS, st.fl_reqs),
	COL(KT_BLK_FL_NS, st.fl_ns),
#undef COL
	/* clang-format on */
};
#define N_BLK_COLUMNS (sizeof(blk_columns) / sizeof(blk_columns[0]))

/*
 * Value @i of blk_columns from @base (a kt_blk or a kt_vm_disk, @off the
 * matching offset); no instance unless @present has its bit.  Capacity,
 * allocation and physical are KvmtopGauge64, whose SYNTAX is Counter64.
 */
static bool blk_value(const void *base, uint32_t present, size_t i, bool sums,
		      struct kt_value *v)
{
	const struct blk_column *c = &blk_columns[i];
	size_t off = sums ? c->sum_off : c->blk_off;

	if ((present & c->bit) == 0)
		return false;
	return c64(v, *(const uint64_t *)((const char *)base + off));
}

/* ---- kvmtopVmDiskTable ---- */

enum {
	DISK_COUNT = 1,
	DISK_CAPACITY, /* .2 to .12: blk_columns */
	DISK_DELAY_BLKIO = DISK_CAPACITY + N_BLK_COLUMNS,
	DISK_IOUTIL,
};

static bool disk_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		      struct kt_value *v)
{
	const struct kt_vm_disk *d = &vm_at(ctx, row)->disk;

	if (!d->valid)
		return false;
	if (col >= DISK_CAPACITY && col < DISK_DELAY_BLKIO)
		return blk_value(d, d->present, col - DISK_CAPACITY, true, v);
	switch (col) {
	case DISK_COUNT:
		return d->has_count && kt_val_gauge(v, d->count);
	case DISK_DELAY_BLKIO:
		return d->has_delay && c64(v, d->delay_blkio_ns);
	case DISK_IOUTIL:
		return d->has_ioutil && kt_val_gauge(v, d->ioutil);
	default:
		return false;
	}
}

/* ---- kvmtopVmNetTable ---- */

/* The eight counters of kvmtopVmNetTable and kvmtopVmIfTable, in order. */
static uint64_t if_counter(const struct kt_if_stats *st, unsigned i)
{
	const uint64_t v[] = {
		st->rx_bytes, st->rx_packets, st->rx_errs, st->rx_drop,
		st->tx_bytes, st->tx_packets, st->tx_errs, st->tx_drop,
	};

	return v[i];
}
#define N_IF_COUNTERS 8u

/* .10 to .17 are the tap counters, in kt_tap_counter order. */
enum {
	NET_COUNT = 1,
	NET_RX_BYTES,
	NET_TX_DROP = NET_RX_BYTES + N_IF_COUNTERS - 1,
	NET_TAP_RX_FIFO,
	NET_LAST = NET_TAP_RX_FIFO + KT_TAP_N - 1
};

static bool net_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		     struct kt_value *v)
{
	const struct kt_vm_net *n = &vm_at(ctx, row)->net;

	if (!n->valid)
		return false;
	if (col == NET_COUNT)
		return kt_val_gauge(v, n->count);
	if (col >= NET_TAP_RX_FIFO && col <= NET_LAST)
		return n->has_tap && c64(v, n->tap[col - NET_TAP_RX_FIFO]);
	if (col < NET_RX_BYTES || col > NET_TX_DROP || !n->has_stats)
		return false;
	return c64(v, if_counter(&n->st, col - NET_RX_BYTES));
}

/* ---- kvmtopVmIoTable ---- */

enum {
	IO_READ_BYTES = 1,
	IO_WRITE_BYTES,
	IO_RCHAR,
	IO_WCHAR,
	IO_SYSCR,
	IO_SYSCW,
	IO_CANCELLED_WRITE_BYTES,
};

static bool io_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		    struct kt_value *v)
{
	const struct kt_vm_io *io = &vm_at(ctx, row)->io;

	if (!io->valid)
		return false;
	switch (col) {
	case IO_READ_BYTES:
		return c64(v, io->read_bytes);
	case IO_WRITE_BYTES:
		return c64(v, io->write_bytes);
	case IO_RCHAR:
		return c64(v, io->rchar);
	case IO_WCHAR:
		return c64(v, io->wchar);
	case IO_SYSCR:
		return c64(v, io->syscr);
	case IO_SYSCW:
		return c64(v, io->syscw);
	case IO_CANCELLED_WRITE_BYTES:
		return c64(v, io->cancelled_write_bytes);
	default:
		return false;
	}
}

/* ---- the flat device rows ---- */

static size_t first_row(const struct kt_vm *vm, size_t off)
{
	return *(const size_t *)((const char *)vm + off);
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
	size_t lo = 0, hi = s->n_vms;
	const struct kt_vm *vm;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (first_row(&s->vms[mid], off) <= row)
			lo = mid + 1;
		else
			hi = mid;
	}
	vm = &s->vms[lo - 1];
	*dev = row - first_row(vm, off);
	return vm;
}

static size_t vcpu_rows(const struct kt_mib_ctx *ctx)
{
	const struct kt_snapshot *s = ctx->snap;

	return s != NULL && s->devices_numbered ? s->n_vcpu_rows : 0;
}

static size_t blk_rows(const struct kt_mib_ctx *ctx)
{
	const struct kt_snapshot *s = ctx->snap;

	return s != NULL && s->devices_numbered ? s->n_blk_rows : 0;
}

static size_t if_rows(const struct kt_mib_ctx *ctx)
{
	const struct kt_snapshot *s = ctx->snap;

	return s != NULL && s->devices_numbered ? s->n_if_rows : 0;
}

static const struct kt_vcpu *vcpu_at(const struct kt_mib_ctx *ctx, size_t row,
				     const struct kt_vm **vm)
{
	size_t dev;

	*vm = vm_of_row(ctx->snap, offsetof(struct kt_vm, vcpu_row0), row,
			&dev);
	return &(*vm)->vcpus[dev];
}

static const struct kt_blk *blk_at(const struct kt_mib_ctx *ctx, size_t row,
				   const struct kt_vm **vm)
{
	size_t dev;

	*vm = vm_of_row(ctx->snap, offsetof(struct kt_vm, blk_row0), row, &dev);
	return &(*vm)->blks[dev];
}

static const struct kt_iface *if_at(const struct kt_mib_ctx *ctx, size_t row,
				    const struct kt_vm **vm)
{
	size_t dev;

	*vm = vm_of_row(ctx->snap, offsetof(struct kt_vm, if_row0), row, &dev);
	return &(*vm)->ifs[dev];
}

/* ---- kvmtopVcpuTable ---- */

enum {
	VCPU_NUMBER = 2,
	VCPU_THREAD_ID,
	VCPU_RUN_TIME,
	VCPU_STEAL_TIME,
	VCPU_TOTAL,
	VCPU_STEAL,
	VCPU_PROCESSOR,
};

/* kvmtopVcpuIndex is the vCPU number + 1: QEMU numbers them from 0. */
static size_t vcpu_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	const struct kt_vm *vm;
	const struct kt_vcpu *c = vcpu_at(ctx, row, &vm);

	idx[0] = vm->index;
	idx[1] = (oid)c->number + 1;
	return 2;
}

static bool vcpu_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		      struct kt_value *v)
{
	const struct kt_vm *vm;
	const struct kt_vcpu *c = vcpu_at(ctx, row, &vm);

	switch (col) {
	case VCPU_NUMBER:
		return kt_val_gauge(v, c->number);
	case VCPU_THREAD_ID:
		return kt_val_num(v, ASN_UNSIGNED, (uint64_t)c->tid);
	case VCPU_RUN_TIME:
		return c64(v, c->run_ns);
	case VCPU_STEAL_TIME:
		return c64(v, c->wait_ns);
	case VCPU_TOTAL:
		return c->has_rate && kt_val_gauge(v, c->total);
	case VCPU_STEAL:
		return c->has_rate && kt_val_gauge(v, c->steal);
	case VCPU_PROCESSOR:
		return c->processor >= 0 &&
		       kt_val_gauge(v, (uint64_t)c->processor);
	default:
		return false;
	}
}

/* ---- kvmtopVmBlkTable ---- */

enum {
	BLK_NAME = 2,
	BLK_SOURCE,
	BLK_CAPACITY, /* .4 to .14: blk_columns */
	BLK_LAST = BLK_CAPACITY + N_BLK_COLUMNS - 1
};

static size_t blk_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	const struct kt_vm *vm;
	const struct kt_blk *b = blk_at(ctx, row, &vm);

	idx[0] = vm->index;
	idx[1] = b->index;
	return 2;
}

static bool blk_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		     struct kt_value *v)
{
	const struct kt_vm *vm;
	const struct kt_blk *b = blk_at(ctx, row, &vm);

	if (col == BLK_NAME)
		return str_cell(v, b->target);
	if (col == BLK_SOURCE)
		return str_cell(v, b->source);
	if (col < BLK_CAPACITY || col > BLK_LAST)
		return false;
	return blk_value(b, b->present, col - BLK_CAPACITY, false, v);
}

/* ---- kvmtopVmIfTable ---- */

enum {
	IF_NAME = 2,
	IF_MAC,
	IF_MODEL,
	IF_HOST_IFINDEX,
	IF_RX_BYTES, /* .6 to .13: if_counter() */
	IF_LAST = IF_RX_BYTES + N_IF_COUNTERS - 1,
};

static size_t if_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	const struct kt_vm *vm;
	const struct kt_iface *f = if_at(ctx, row, &vm);

	idx[0] = vm->index;
	idx[1] = f->index;
	return 2;
}

static bool if_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		    struct kt_value *v)
{
	const struct kt_vm *vm;
	const struct kt_iface *f = if_at(ctx, row, &vm);

	switch (col) {
	case IF_NAME:
		return str_cell(v, f->name);
	case IF_MAC:
		return str_cell(v, f->mac);
	case IF_MODEL:
		return str_cell(v, f->model);
	case IF_HOST_IFINDEX:
		return kt_val_num(v, ASN_UNSIGNED, f->host_ifindex);
	}
	if (col < IF_RX_BYTES || col > IF_LAST || !f->has_stats)
		return false;
	return c64(v, if_counter(&f->st, col - IF_RX_BYTES));
}

/* ---- registration ---- */

#define TABLE_OIDS(name, subid)                                    \
	static const oid name##_oid[] = { KT_OID_OBJECTS, subid }; \
	static const oid name##_entry_oid[] = { KT_OID_OBJECTS, subid, 1 }

TABLE_OIDS(vm_disk, KT_OID_VM_DISK_TABLE_SUBID);
TABLE_OIDS(vm_net, KT_OID_VM_NET_TABLE_SUBID);
TABLE_OIDS(vm_io, KT_OID_VM_IO_TABLE_SUBID);
TABLE_OIDS(vcpu, KT_OID_VCPU_TABLE_SUBID);
TABLE_OIDS(vm_blk, KT_OID_VM_BLK_TABLE_SUBID);
TABLE_OIDS(vm_if, KT_OID_VM_IF_TABLE_SUBID);

#define TABLE(tname, oids, first, last, rows, index, cellfn)                   \
	{                                                                      \
		.name = tname, .reg = oids##_oid,                              \
		.reg_len = OID_LENGTH(oids##_oid), .prefix = oids##_entry_oid, \
		.prefix_len = OID_LENGTH(oids##_entry_oid),                    \
		.first_col = first, .last_col = last, .n_rows = rows,          \
		.row_index = index, .cell = cellfn,                            \
	}

const struct kt_table kt_vm_disk_table =
	TABLE("kvmtopVmDiskTable", vm_disk, DISK_COUNT, DISK_IOUTIL, kt_vm_rows,
	      kt_vm_row_index, disk_cell);
const struct kt_table kt_vm_net_table =
	TABLE("kvmtopVmNetTable", vm_net, NET_COUNT, NET_LAST, kt_vm_rows,
	      kt_vm_row_index, net_cell);
const struct kt_table kt_vm_io_table =
	TABLE("kvmtopVmIoTable", vm_io, IO_READ_BYTES, IO_CANCELLED_WRITE_BYTES,
	      kt_vm_rows, kt_vm_row_index, io_cell);
const struct kt_table kt_vcpu_table =
	TABLE("kvmtopVcpuTable", vcpu, VCPU_NUMBER, VCPU_PROCESSOR, vcpu_rows,
	      vcpu_index, vcpu_cell);
const struct kt_table kt_vm_blk_table =
	TABLE("kvmtopVmBlkTable", vm_blk, BLK_NAME, BLK_LAST, blk_rows,
	      blk_index, blk_cell);
const struct kt_table kt_vm_if_table = TABLE(
	"kvmtopVmIfTable", vm_if, IF_NAME, IF_LAST, if_rows, if_index, if_cell);
