/*
 * Every table of KVMTOP-MIB that the agent serves, in OID order, and the
 * lookups across them as the agent does them.
 */
#include "config.h"

#include "mib/tables.h"

/* Keep this ordered by OID: a unit test checks it. */
const struct kt_table *const kt_tables[] = {
	&kt_agent_scalars,   /* .1.1  */
	&kt_vm_table,	     /* .1.2  */
	&kt_vm_cpu_table,    /* .1.3  */
	&kt_vm_mem_table,    /* .1.4  */
	&kt_vm_disk_table,   /* .1.5  */
	&kt_vm_net_table,    /* .1.6  */
	&kt_vm_io_table,     /* .1.7  */
	&kt_vcpu_table,	     /* .1.8  */
	&kt_vm_blk_table,    /* .1.9  */
	&kt_vm_if_table,     /* .1.10 */
	&kt_host_scalars,    /* .1.11 */
	&kt_host_mem_table,  /* .1.12 */
	&kt_host_disk_table, /* .1.13 */
	&kt_host_net_table,  /* .1.14 */
	&kt_host_psi_table,  /* .1.15 */
};
const size_t kt_n_tables = sizeof(kt_tables) / sizeof(kt_tables[0]);
bool kt_mib_get(const struct kt_mib_ctx *ctx, const oid *name, size_t len,
		struct kt_value *v)
{
	size_t i;

	for (i = 0; i < kt_n_tables; i++)
		if (kt_table_get(kt_tables[i], ctx, name, len, v))
			return true;
	return false;
}

bool kt_mib_next(const struct kt_mib_ctx *ctx, const oid *name, size_t len,
		 oid *next, size_t *next_len, struct kt_value *v)
{
	size_t i;

	for (i = 0; i < kt_n_tables; i++)
		if (kt_table_next(kt_tables[i], ctx, name, len, next, next_len,
				  v))
			return true;
	return false;
}
