/*
 * A record from a snapshot of the collectors in this process: the wanted
 * columns of each row read with kt_col_get(), the same call the SNMP
 * handlers make, so a record holds what the agent would serve.
 */
#include "live/rec.h"

/* Copies the wanted cells of @row (a struct of @set) into a record row. */
static int put_row(struct kt_rec *r, const struct kt_want *w,
		   const struct kt_col_set *set, const void *row, uint32_t a,
		   uint32_t b)
{
	uint32_t idx[2] = { a, b };
	struct kt_rrow *rr = kt_rec_row_add(r, set, idx);
	struct kt_cell v;
	size_t i;

	if (rr == NULL)
		return -1;
	for (i = 0; i < set->n; i++) {
		if (!kt_want_col(w, set, i) ||
		    !kt_col_get(&set->col[i], row, &v))
			continue;
		if (kt_rcell_set(&rr->cell[i], v.num, v.str) != 0)
			return -1;
	}
	return 0;
}

static int put_devices(struct kt_rec *r, const struct kt_want *w,
		       const struct kt_vm *vm)
{
	size_t j;
	int rc = 0;

	if (!kt_want_devs(w, vm->index))
		return 0;
	for (j = 0; rc == 0 && j < vm->n_vcpus; j++)
		rc = put_row(r, w, &kt_vcpu_cols, &vm->vcpus[j], vm->index,
			     vm->vcpus[j].number + 1);
	for (j = 0; rc == 0 && j < vm->n_blks; j++)
		rc = put_row(r, w, &kt_vm_blk_cols, &vm->blks[j], vm->index,
			     vm->blks[j].index);
	for (j = 0; rc == 0 && j < vm->n_ifs; j++)
		rc = put_row(r, w, &kt_vm_if_cols, &vm->ifs[j], vm->index,
			     vm->ifs[j].index);
	return rc;
}

/*
 * The per-VM sets and when a VM has a row in each (snapshot.h): every VM
 * in kvmtopVmTable and kvmtopVmMemTable, the others only with their data,
 * as the agent serves them.
 */
static const struct {
	const struct kt_col_set *set;
	bool (*has)(const struct kt_vm *vm);
} vm_sets[] = {
	{ &kt_vm_cols, NULL },
	{ &kt_vm_cpu_cols, kt_vm_has_cpu },
	{ &kt_vm_mem_cols, NULL },
	{ &kt_vm_disk_cols, kt_vm_has_disk },
	{ &kt_vm_net_cols, kt_vm_has_net },
	{ &kt_vm_io_cols, kt_vm_has_io },
};

static int put_vm(struct kt_rec *r, const struct kt_want *w,
		  const struct kt_vm *vm)
{
	size_t k;

	for (k = 0; k < sizeof(vm_sets) / sizeof(vm_sets[0]); k++) {
		const struct kt_col_set *set = vm_sets[k].set;

		if ((k != 0 && w->cols[kt_rec_set_pos(set)] == 0) ||
		    (vm_sets[k].has != NULL && !vm_sets[k].has(vm)))
			continue;
		if (put_row(r, w, set, vm, vm->index, 0) != 0)
			return -1;
	}
	return put_devices(r, w, vm);
}

static int put_host(struct kt_rec *r, const struct kt_want *w,
		    const struct kt_snapshot *s)
{
	struct kt_meminfo_row m = { &s->host.mem, s->host.valid, 0 };

	if (w->cols[kt_rec_set_pos(&kt_host_cols)] != 0 &&
	    put_row(r, w, &kt_host_cols, &s->host, 0, 0) != 0)
		return -1;
	if (w->cols[kt_rec_set_pos(&kt_host_mem_cols)] == 0)
		return 0;
	for (m.i = 0; m.i < KT_MEMINFO_N; m.i++)
		if (put_row(r, w, &kt_host_mem_cols, &m, m.i + 1, 0) != 0)
			return -1;
	return 0;
}

int kt_rec_from_snapshot(struct kt_rec *r, const struct kt_snapshot *s,
			 const struct kt_agent_view *agent,
			 const struct kt_want *w)
{
	size_t i;

	r->seq = s->seq;
	r->unix_time = s->finished_unix;
	r->data_ms = s->finished_mono_ns / 1000000u;
	r->connected = s->libvirt_connected;
	if (put_row(r, w, &kt_agent_cols, agent, 0, 0) != 0)
		return -1;
	for (i = 0; i < s->n_vms; i++)
		if (put_vm(r, w, &s->vms[i]) != 0)
			return -1;
	return put_host(r, w, s);
}
