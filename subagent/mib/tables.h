/*
 * The tables of KVMTOP-MIB that the agent serves, in OID order.
 */
#ifndef KT_MIB_TABLES_H
#define KT_MIB_TABLES_H

#include "mib/table.h"

extern const struct kt_table kt_agent_scalars;
extern const struct kt_table kt_vm_table;
extern const struct kt_table kt_vm_cpu_table;
extern const struct kt_table kt_vm_mem_table;
/* mib/dev_tables.c */
extern const struct kt_table kt_vm_disk_table;
extern const struct kt_table kt_vm_net_table;
extern const struct kt_table kt_vm_io_table;
extern const struct kt_table kt_vcpu_table;
extern const struct kt_table kt_vm_blk_table;
extern const struct kt_table kt_vm_if_table;
/* mib/host_tables.c */
extern const struct kt_table kt_host_scalars;
extern const struct kt_table kt_host_mem_table;
extern const struct kt_table kt_host_disk_table;
extern const struct kt_table kt_host_net_table;
extern const struct kt_table kt_host_psi_table;

/* Every table, ordered by OID (a unit test checks the order). */
extern const struct kt_table *const kt_tables[];
extern const size_t kt_n_tables;

/* Rows of the per-VM tables are the snapshot's VM rows. */
size_t kt_vm_rows(const struct kt_mib_ctx *ctx);
size_t kt_vm_row_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx);

/* Exact and next lookups across all tables, as the agent does them. */
bool kt_mib_get(const struct kt_mib_ctx *ctx, const oid *name, size_t len,
		struct kt_value *v);
bool kt_mib_next(const struct kt_mib_ctx *ctx, const oid *name, size_t len,
		 oid *next, size_t *next_len, struct kt_value *v);

#endif
