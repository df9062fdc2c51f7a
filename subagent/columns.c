/*
 * Reading a column's value out of a row (columns.h): the presence rule,
 * then the field at the descriptor's offset, by its C type.  The list of
 * every column set, in OID order.
 */
#include "columns.h"

#include <string.h>

/* Every set, in OID order (the MIB test and the SNMP registry follow it). */
const struct kt_col_set *const kt_col_sets[] = {
	&kt_agent_cols,	    &kt_vm_cols,       &kt_vm_cpu_cols,
	&kt_vm_mem_cols,    &kt_vm_disk_cols,  &kt_vm_net_cols,
	&kt_vm_io_cols,	    &kt_vcpu_cols,     &kt_vm_blk_cols,
	&kt_vm_if_cols,	    &kt_host_cols,     &kt_host_mem_cols,
	&kt_host_disk_cols, &kt_host_net_cols, &kt_host_psi_cols,
	&kt_notify_cols,
};
const size_t kt_n_col_sets = sizeof(kt_col_sets) / sizeof(kt_col_sets[0]);

bool kt_col_get(const struct kt_col *c, const void *row, struct kt_cell *out)
{
	const char *p = (const char *)row + c->off;
	int i;

	out->num = 0;
	out->str = NULL;
	if (c->has != NULL && !c->has(row, c->arg))
		return false;
	switch (c->kind) {
	case KT_KIND_U64:
		memcpy(&out->num, p, sizeof(uint64_t));
		return true;
	case KT_KIND_U32:
		out->num = *(const uint32_t *)(const void *)p;
		return true;
	case KT_KIND_INT: /* negative: unknown */
		i = *(const int *)(const void *)p;
		out->num = (uint64_t)i;
		return i >= 0;
	case KT_KIND_PID:
		out->num = (uint64_t) * (const pid_t *)(const void *)p;
		return true;
	case KT_KIND_BOOL:
		out->num = *(const bool *)(const void *)p;
		return true;
	case KT_KIND_STATE:
		out->num = *(const enum kt_vm_state *)(const void *)p;
		return true;
	case KT_KIND_NET:
		out->num = *(const enum kt_net_type *)(const void *)p;
		return true;
	case KT_KIND_CHARS:
		out->str = p;
		return true;
	case KT_KIND_STR:
		out->str = *(const char *const *)(const void *)p;
		return true;
	case KT_KIND_FN:
		return c->get(row, c->arg, out);
	}
	return false;
}

size_t kt_col_clip(const struct kt_col *c, const struct kt_cell *v, char *buf,
		   const char **out)
{
	return kt_clip(v->str,
		       c->smi == KT_SMI_DISPLAY ? KT_CLIP_ASCII : KT_CLIP_UTF8,
		       buf, out);
}
