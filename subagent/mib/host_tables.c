/*
 * The host scalars and tables.
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

static const oid host_scalars_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_SUBID };

const struct kt_table kt_host_scalars = {
	.name = "kvmtopHost",
	.reg = host_scalars_oid,
	.reg_len = OID_LENGTH(host_scalars_oid),
	.prefix = host_scalars_oid,
	.prefix_len = OID_LENGTH(host_scalars_oid),
	.first_col = 1,
	.last_col = 30,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};

static const oid host_mem_table_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_MEM_TABLE_SUBID };
static const oid host_mem_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_MEM_TABLE_SUBID, 1 };

const struct kt_table kt_host_mem_table = {
	.name = "kvmtopHostMemTable",
	.reg = host_mem_table_oid,
	.reg_len = OID_LENGTH(host_mem_table_oid),
	.prefix = host_mem_table_entry_oid,
	.prefix_len = OID_LENGTH(host_mem_table_entry_oid),
	.first_col = 2,
	.last_col = 4,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};

static const oid host_disk_table_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_DISK_TABLE_SUBID };
static const oid host_disk_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_DISK_TABLE_SUBID, 1 };

const struct kt_table kt_host_disk_table = {
	.name = "kvmtopHostDiskTable",
	.reg = host_disk_table_oid,
	.reg_len = OID_LENGTH(host_disk_table_oid),
	.prefix = host_disk_table_entry_oid,
	.prefix_len = OID_LENGTH(host_disk_table_entry_oid),
	.first_col = 2,
	.last_col = 17,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};

static const oid host_net_table_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_NET_TABLE_SUBID };
static const oid host_net_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_NET_TABLE_SUBID, 1 };

const struct kt_table kt_host_net_table = {
	.name = "kvmtopHostNetTable",
	.reg = host_net_table_oid,
	.reg_len = OID_LENGTH(host_net_table_oid),
	.prefix = host_net_table_entry_oid,
	.prefix_len = OID_LENGTH(host_net_table_entry_oid),
	.first_col = 2,
	.last_col = 20,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};

static const oid host_psi_table_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_PSI_TABLE_SUBID };
static const oid host_psi_table_entry_oid[] = { KT_OID_OBJECTS, KT_OID_HOST_PSI_TABLE_SUBID, 1 };

const struct kt_table kt_host_psi_table = {
	.name = "kvmtopHostPsiTable",
	.reg = host_psi_table_oid,
	.reg_len = OID_LENGTH(host_psi_table_oid),
	.prefix = host_psi_table_entry_oid,
	.prefix_len = OID_LENGTH(host_psi_table_entry_oid),
	.first_col = 3,
	.last_col = 6,
	.n_rows = no_rows,
	.row_index = no_index,
	.cell = no_cell,
};
