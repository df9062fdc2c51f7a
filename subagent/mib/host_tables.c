/*
 * The host's objects: the kvmtopHost scalars and kvmtopHostMemTable,
 * kvmtopHostDiskTable, kvmtopHostNetTable and kvmtopHostPsiTable, all from
 * the snapshot's host part (host.h) through the columns of host_columns.c.
 * Before the first snapshot, and for a part whose collector is off or whose
 * source could not be read, there is no instance (the MIB names no default
 * for them).
 *
 * The memory and PSI tables have fixed rows (the 47 meminfo fields, the six
 * resource/kind pairs); a row whose line the kernel does not print simply
 * has no cell, so walks skip it and GETs find nothing.
 */
#include "config.h"

#include "mib/tables.h"

static const struct kt_host *host_of(const struct kt_mib_ctx *ctx)
{
	return &ctx->snap->host;
}

/* ---- kvmtopHost scalars ---- */

static size_t host_rows(const struct kt_mib_ctx *ctx)
{
	return ctx->snap != NULL ? 1 : 0;
}

static const void *host_row(const struct kt_mib_ctx *ctx, size_t row,
			    union kt_row_tmp *tmp)
{
	(void)row;
	(void)tmp;
	return host_of(ctx);
}

KT_SCALARS(kt_host_scalars, "kvmtopHost", kt_host_cols, KT_OID_HOST_SUBID,
	   host_rows, host_row);

/* ---- kvmtopHostMemTable ---- */

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

static const void *mem_row(const struct kt_mib_ctx *ctx, size_t row,
			   union kt_row_tmp *tmp)
{
	const struct kt_host *h = host_of(ctx);

	if (!h->mem.present[row])
		return NULL;
	tmp->mem.mem = &h->mem;
	tmp->mem.host_valid = h->valid;
	tmp->mem.i = (unsigned)row;
	return &tmp->mem;
}

KT_TABLE(kt_host_mem_table, "kvmtopHostMemTable", kt_host_mem_cols,
	 KT_OID_HOST_MEM_TABLE_SUBID, mem_rows, mem_index, mem_row);

/* ---- kvmtopHostDiskTable ---- */

static size_t disk_rows(const struct kt_mib_ctx *ctx)
{
	return ctx->snap != NULL ? host_of(ctx)->n_disks : 0;
}

static size_t disk_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	idx[0] = host_of(ctx)->disks[row].index;
	return 1;
}

static const void *disk_row(const struct kt_mib_ctx *ctx, size_t row,
			    union kt_row_tmp *tmp)
{
	(void)tmp;
	return &host_of(ctx)->disks[row];
}

KT_TABLE(kt_host_disk_table, "kvmtopHostDiskTable", kt_host_disk_cols,
	 KT_OID_HOST_DISK_TABLE_SUBID, disk_rows, disk_index, disk_row);

/* ---- kvmtopHostNetTable ---- */

static size_t net_rows(const struct kt_mib_ctx *ctx)
{
	return ctx->snap != NULL ? host_of(ctx)->n_nets : 0;
}

static size_t net_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	idx[0] = host_of(ctx)->nets[row].ifindex;
	return 1;
}

static const void *net_row(const struct kt_mib_ctx *ctx, size_t row,
			   union kt_row_tmp *tmp)
{
	(void)tmp;
	return &host_of(ctx)->nets[row];
}

KT_TABLE(kt_host_net_table, "kvmtopHostNetTable", kt_host_net_cols,
	 KT_OID_HOST_NET_TABLE_SUBID, net_rows, net_index, net_row);

/* ---- kvmtopHostPsiTable ---- */

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

static const void *psi_row(const struct kt_mib_ctx *ctx, size_t row,
			   union kt_row_tmp *tmp)
{
	const struct kt_psi_line *l =
		&host_of(ctx)->psi[row / KT_PSI_NKINDS][row % KT_PSI_NKINDS];

	(void)tmp;
	return l->valid ? l : NULL;
}

KT_TABLE(kt_host_psi_table, "kvmtopHostPsiTable", kt_host_psi_cols,
	 KT_OID_HOST_PSI_TABLE_SUBID, psi_rows, psi_index, psi_row);
