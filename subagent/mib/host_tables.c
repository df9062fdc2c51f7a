/*
 * The host's objects: the kvmtopHost scalars and kvmtopHostMemTable,
 * kvmtopHostDiskTable, kvmtopHostNetTable and kvmtopHostPsiTable, all from
 * the snapshot's host part (host.h).  Before the first snapshot, and for a
 * part whose collector is off or whose source could not be read, there is
 * no instance (the MIB names no default for them).
 *
 * The memory and PSI tables have fixed rows (the 47 meminfo fields, the six
 * resource/kind pairs); a row whose line the kernel does not print simply
 * has no cell, so walks skip it and GETs find nothing.
 */
#include "config.h"

#include <string.h>

#include "kvmtop_oid.h"
#include "mib/tables.h"

static const struct kt_host *host_of(const struct kt_mib_ctx *ctx)
{
	return &ctx->snap->host;
}

/* ---- kvmtopHost scalars ---- */

/* Keep these in the order of KVMTOP-MIB's kvmtopHost group. */
enum {
	H_NAME = 1,
	H_UUID,
	H_CORES,
	H_CUR_FREQ,
	H_MIN_FREQ,
	H_MAX_FREQ,
	H_PCT_FIRST, /* 7 user .. 16 guest nice */
	H_TIME_FIRST = H_PCT_FIRST + KT_CPU_NFIELDS,   /* 17 .. 26 */
	H_VMS_RUNNING = H_TIME_FIRST + KT_CPU_NFIELDS, /* 27 */
	H_VMS_PAUSED,
	H_VMS_SHUTDOWN,
	H_VMS_OTHER,
};

static const oid host_scalars_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_SUBID };

static size_t scalar_rows(const struct kt_mib_ctx *ctx)
{
	return ctx->snap != NULL ? 1 : 0;
}

static size_t scalar_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	(void)ctx;
	(void)row;
	idx[0] = 0;
	return 1;
}

/* The ten fields of /proc/stat's cpu line: percentages, then counters. */
static bool cpu_field_cell(const struct kt_host_cpu *c, unsigned col,
			   struct kt_value *v)
{
	unsigned f;

	if (!c->valid)
		return false;
	if (col < H_TIME_FIRST) {
		f = col - H_PCT_FIRST;
		return c->has_rate && f < c->nfields &&
		       kt_val_gauge(v, c->pct[f]);
	}
	f = col - H_TIME_FIRST;
	return f < c->nfields && kt_val_num(v, ASN_COUNTER64, c->ticks[f]);
}

static bool vm_count_cell(const struct kt_host *h, unsigned col,
			  struct kt_value *v)
{
	switch (col) {
	case H_VMS_RUNNING:
		return kt_val_gauge(v, h->vms_running);
	case H_VMS_PAUSED:
		return kt_val_gauge(v, h->vms_paused);
	case H_VMS_SHUTDOWN:
		return kt_val_gauge(v, h->vms_shutdown);
	case H_VMS_OTHER:
		return kt_val_gauge(v, h->vms_other);
	default:
		return false;
	}
}

static bool host_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		      struct kt_value *v)
{
	const struct kt_host *h = host_of(ctx);
	const struct kt_host_cpu *c = &h->cpu;

	(void)row;
	if (!h->valid) /* the --host collector is off */
		return false;
	switch (col) {
	case H_NAME:
		return h->hostname[0] != '\0' &&
		       kt_val_str(v, h->hostname, strlen(h->hostname));
	case H_UUID:
		return h->uuid[0] != '\0' &&
		       kt_val_str(v, h->uuid, strlen(h->uuid));
	case H_CORES:
		return c->cores != 0 && kt_val_gauge(v, c->cores);
	case H_CUR_FREQ:
		return c->has_freq && kt_val_gauge(v, c->cur_mhz);
	case H_MIN_FREQ:
		return c->has_freq && kt_val_gauge(v, c->min_mhz);
	case H_MAX_FREQ:
		return c->has_freq && kt_val_gauge(v, c->max_mhz);
	default:
		if (col >= H_VMS_RUNNING)
			return vm_count_cell(h, col, v);
		return cpu_field_cell(c, col, v);
	}
}

const struct kt_table kt_host_scalars = {
	.name = "kvmtopHost",
	.reg = host_scalars_oid,
	.reg_len = OID_LENGTH(host_scalars_oid),
	.prefix = host_scalars_oid,
	.prefix_len = OID_LENGTH(host_scalars_oid),
	.first_col = H_NAME,
	.last_col = H_VMS_OTHER,
	.n_rows = scalar_rows,
	.row_index = scalar_index,
	.cell = host_cell,
};

/* ---- kvmtopHostMemTable ---- */

enum { MEM_NAME = 2, MEM_VALUE, MEM_UNIT };

static const oid host_mem_table_oid[] = { KT_OID_OBJECTS,
					  KT_OID_HOST_MEM_TABLE_SUBID };
static const oid host_mem_table_entry_oid[] = { KT_OID_OBJECTS,
						KT_OID_HOST_MEM_TABLE_SUBID,
						1 };

static size_t mem_rows(const struct kt_mib_ctx *ctx)
{
	return ctx->snap != NULL && host_of(ctx)->valid ? KT_MEMINFO_N : 0;
}

/* The index is the position in kvmtop's list, 1-based. */
static size_t mem_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	(void)ctx;
	idx[0] = row + 1;
	return 1;
}

static bool mem_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		     struct kt_value *v)
{
	const struct kt_meminfo *m = &host_of(ctx)->mem;
	const char *unit = m->in_kib[row] ? "KiB" : "";

	if (!m->present[row])
		return false;
	switch (col) {
	case MEM_NAME:
		return kt_val_str(v, kt_meminfo_names[row],
				  strlen(kt_meminfo_names[row]));
	case MEM_VALUE: /* KvmtopGauge64: SYNTAX Counter64 */
		return kt_val_num(v, ASN_COUNTER64, m->value[row]);
	case MEM_UNIT:
		return kt_val_str(v, unit, strlen(unit));
	default:
		return false;
	}
}

const struct kt_table kt_host_mem_table = {
	.name = "kvmtopHostMemTable",
	.reg = host_mem_table_oid,
	.reg_len = OID_LENGTH(host_mem_table_oid),
	.prefix = host_mem_table_entry_oid,
	.prefix_len = OID_LENGTH(host_mem_table_entry_oid),
	.first_col = MEM_NAME,
	.last_col = MEM_UNIT,
	.n_rows = mem_rows,
	.row_index = mem_index,
	.cell = mem_cell,
};

/* ---- kvmtopHostDiskTable ---- */

enum {
	DISK_NAME = 2,
	DISK_READS,
	DISK_READS_MERGED,
	DISK_SECTORS_READ,
	DISK_READ_TIME,
	DISK_WRITES,
	DISK_WRITES_MERGED,
	DISK_SECTORS_WRITTEN,
	DISK_WRITE_TIME,
	DISK_IO_TIME,
	DISK_WEIGHTED_IO_TIME,
	DISK_IN_FLIGHT,
	DISK_IOUTIL,
	DISK_QUEUE_SIZE,
	DISK_QUEUE_TIME,
	DISK_SERVICE_TIME,
};

static const oid host_disk_table_oid[] = { KT_OID_OBJECTS,
					   KT_OID_HOST_DISK_TABLE_SUBID };
static const oid host_disk_table_entry_oid[] = { KT_OID_OBJECTS,
						 KT_OID_HOST_DISK_TABLE_SUBID,
						 1 };

static size_t disk_rows(const struct kt_mib_ctx *ctx)
{
	return ctx->snap != NULL ? host_of(ctx)->n_disks : 0;
}

static size_t disk_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	idx[0] = host_of(ctx)->disks[row].index;
	return 1;
}

/* The Counter64 columns, in the MIB's (and iostats.rst's) order. */
static uint64_t disk_counter(const struct kt_host_disk *d, unsigned col)
{
	const uint64_t c[] = { d->reads,	   d->reads_merged,
			       d->sectors_read,	   d->read_ms,
			       d->writes,	   d->writes_merged,
			       d->sectors_written, d->write_ms,
			       d->io_ms,	   d->weighted_ms };

	return c[col - DISK_READS];
}

static bool disk_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		      struct kt_value *v)
{
	const struct kt_host_disk *d = &host_of(ctx)->disks[row];

	switch (col) {
	case DISK_NAME:
		return kt_val_str(v, d->name, strlen(d->name));
	case DISK_IN_FLIGHT:
		return kt_val_gauge(v, d->in_flight);
	case DISK_IOUTIL:
		return d->has_rate && kt_val_gauge(v, d->ioutil);
	case DISK_QUEUE_SIZE:
		return d->has_rate && kt_val_gauge(v, d->queue_size);
	case DISK_QUEUE_TIME:
		return d->has_rate && d->has_queue_time &&
		       kt_val_gauge(v, d->queue_time_us);
	case DISK_SERVICE_TIME:
		return d->has_rate && d->has_service_time &&
		       kt_val_gauge(v, d->service_time_us);
	default:
		if (col < DISK_READS || col > DISK_WEIGHTED_IO_TIME)
			return false;
		return kt_val_num(v, ASN_COUNTER64, disk_counter(d, col));
	}
}

const struct kt_table kt_host_disk_table = {
	.name = "kvmtopHostDiskTable",
	.reg = host_disk_table_oid,
	.reg_len = OID_LENGTH(host_disk_table_oid),
	.prefix = host_disk_table_entry_oid,
	.prefix_len = OID_LENGTH(host_disk_table_entry_oid),
	.first_col = DISK_NAME,
	.last_col = DISK_SERVICE_TIME,
	.n_rows = disk_rows,
	.row_index = disk_index,
	.cell = disk_cell,
};

/* ---- kvmtopHostNetTable ---- */

enum {
	NET_NAME = 2,
	NET_RX_FIRST = 3,  /* .3 RxBytes .. .10 RxMulticast */
	NET_TX_FIRST = 11, /* .11 TxBytes .. .18 TxCompressed */
	NET_SPEED = 19,
	NET_TYPE = 20,
};

static const oid host_net_table_oid[] = { KT_OID_OBJECTS,
					  KT_OID_HOST_NET_TABLE_SUBID };
static const oid host_net_table_entry_oid[] = { KT_OID_OBJECTS,
						KT_OID_HOST_NET_TABLE_SUBID,
						1 };

static size_t net_rows(const struct kt_mib_ctx *ctx)
{
	return ctx->snap != NULL ? host_of(ctx)->n_nets : 0;
}

static size_t net_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	idx[0] = host_of(ctx)->nets[row].ifindex;
	return 1;
}

static bool net_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		     struct kt_value *v)
{
	const struct kt_host_net *n = &host_of(ctx)->nets[row];

	if (col == NET_NAME)
		return kt_val_str(v, n->name, strlen(n->name));
	if (col >= NET_RX_FIRST && col < NET_TX_FIRST)
		return kt_val_num(v, ASN_COUNTER64, n->rx[col - NET_RX_FIRST]);
	if (col >= NET_TX_FIRST && col < NET_SPEED)
		return kt_val_num(v, ASN_COUNTER64, n->tx[col - NET_TX_FIRST]);
	if (col == NET_SPEED)
		return n->has_speed && kt_val_gauge(v, n->speed_mbps);
	if (col == NET_TYPE)
		return kt_val_num(v, ASN_INTEGER, (uint64_t)n->type);
	return false;
}

const struct kt_table kt_host_net_table = {
	.name = "kvmtopHostNetTable",
	.reg = host_net_table_oid,
	.reg_len = OID_LENGTH(host_net_table_oid),
	.prefix = host_net_table_entry_oid,
	.prefix_len = OID_LENGTH(host_net_table_entry_oid),
	.first_col = NET_NAME,
	.last_col = NET_TYPE,
	.n_rows = net_rows,
	.row_index = net_index,
	.cell = net_cell,
};

/* ---- kvmtopHostPsiTable ---- */

enum { PSI_AVG10 = 3, PSI_AVG60, PSI_AVG300, PSI_TOTAL };

static const oid host_psi_table_oid[] = { KT_OID_OBJECTS,
					  KT_OID_HOST_PSI_TABLE_SUBID };
static const oid host_psi_table_entry_oid[] = { KT_OID_OBJECTS,
						KT_OID_HOST_PSI_TABLE_SUBID,
						1 };

/*
 * Row r is resource r / 2, kind r % 2: (cpu,some) (cpu,full) (io,some) ...
 * which is the order of the two-part index { resource(1..3), kind(1..2) }.
 */
static size_t psi_rows(const struct kt_mib_ctx *ctx)
{
	return ctx->snap != NULL ? KT_PSI_NRES * KT_PSI_NKINDS : 0;
}

static size_t psi_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	(void)ctx;
	idx[0] = row / KT_PSI_NKINDS + 1;
	idx[1] = row % KT_PSI_NKINDS + 1;
	return 2;
}

static bool psi_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		     struct kt_value *v)
{
	const struct kt_psi_line *l =
		&host_of(ctx)->psi[row / KT_PSI_NKINDS][row % KT_PSI_NKINDS];

	if (!l->valid)
		return false;
	switch (col) {
	case PSI_AVG10:
		return kt_val_gauge(v, l->avg10);
	case PSI_AVG60:
		return kt_val_gauge(v, l->avg60);
	case PSI_AVG300:
		return kt_val_gauge(v, l->avg300);
	case PSI_TOTAL:
		return kt_val_num(v, ASN_COUNTER64, l->total_us);
	default:
		return false;
	}
}

const struct kt_table kt_host_psi_table = {
	.name = "kvmtopHostPsiTable",
	.reg = host_psi_table_oid,
	.reg_len = OID_LENGTH(host_psi_table_oid),
	.prefix = host_psi_table_entry_oid,
	.prefix_len = OID_LENGTH(host_psi_table_entry_oid),
	.first_col = PSI_AVG10,
	.last_col = PSI_TOTAL,
	.n_rows = psi_rows,
	.row_index = psi_index,
	.cell = psi_cell,
};
