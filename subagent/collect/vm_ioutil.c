/*
 * VM disk utilisation: for each host device D that backs disks of VM V,
 *
 *   share(V, D) = min(1, delta(V's read + write requests on D's disks)
 *                        / delta(D's reads + writes))
 *   ioutil(V)   = min(100 %, sum over D of ioutil(D) x share(V, D))
 *
 * The guest's requests can outnumber the device's (the host merges them),
 * hence the cap.  A device without requests in the interval adds nothing.
 */
#include "config.h"

#include <sys/sysmacros.h>

#include "collect/vm_ioutil.h"

#define KT_FULL 10000u
#define KT_BLK_REQS (KT_BLK_RD_REQS | KT_BLK_WR_REQS)

static const struct kt_host_disk *host_disk(const struct kt_host *h, dev_t d)
{
	size_t i;

	for (i = 0; i < h->n_disks; i++)
		if (h->disks[i].major == major(d) && h->disks[i].minor == minor(d))
			return &h->disks[i];
	return NULL;
}

static const struct kt_blk *blk_by_index(const struct kt_vm *vm, uint32_t index)
{
	size_t i;

	for (i = 0; vm != NULL && i < vm->n_blks; i++)
		if (vm->blks[i].index == index)
			return &vm->blks[i];
	return NULL;
}

/* Requests of @b since @old; false when unknown or reset. */
static bool blk_requests(const struct kt_blk *b, const struct kt_blk *old,
			 uint64_t *reqs)
{
	uint64_t now, then;

	if (old == NULL || (b->present & KT_BLK_REQS) != KT_BLK_REQS ||
	    (old->present & KT_BLK_REQS) != KT_BLK_REQS)
		return false;
	now = b->st.rd_reqs + b->st.wr_reqs;
	then = old->st.rd_reqs + old->st.wr_reqs;
	if (now < then)
		return false;
	*reqs = now - then;
	return true;
}

/* The host device's requests in the interval, from its previous row. */
static bool dev_requests(const struct kt_host_disk *d,
			 const struct kt_host *prev_host, uint64_t *reqs)
{
	size_t i;

	for (i = 0; prev_host != NULL && i < prev_host->n_disks; i++) {
		const struct kt_host_disk *p = &prev_host->disks[i];

		if (p->major != d->major || p->minor != d->minor)
			continue;
		if (d->reads + d->writes < p->reads + p->writes)
			return false;
		*reqs = d->reads + d->writes - (p->reads + p->writes);
		return true;
	}
	return false;
}

/* This disk's part of the VM's utilisation, in 0.01 %; false: unknown. */
static bool disk_part(const struct kt_blk *b, const struct kt_blk *old,
		      const struct kt_host *host, const struct kt_host *prev_host,
		      uint64_t *part)
{
	const struct kt_host_disk *d;
	uint64_t vm_reqs, dev_reqs;

	if (b->host_dev == 0 || (d = host_disk(host, b->host_dev)) == NULL ||
	    !d->has_rate || !blk_requests(b, old, &vm_reqs) ||
	    !dev_requests(d, prev_host, &dev_reqs))
		return false;
	if (dev_reqs == 0 || vm_reqs == 0)
		*part = 0;
	else if (vm_reqs >= dev_reqs)
		*part = d->ioutil;
	else
		*part = (d->ioutil * vm_reqs + dev_reqs / 2) / dev_reqs;
	return true;
}

static void vm_ioutil(struct kt_vm *vm, const struct kt_vm *old,
		      const struct kt_host *host, const struct kt_host *prev_host)
{
	uint64_t sum = 0, part;
	bool known = false;
	size_t i;

	for (i = 0; i < vm->n_blks; i++) {
		const struct kt_blk *b = &vm->blks[i];

		if (!disk_part(b, blk_by_index(old, b->index), host, prev_host,
			       &part))
			continue;
		sum += part;
		known = true;
	}
	vm->disk.has_ioutil = known;
	vm->disk.ioutil = (uint32_t)(sum > KT_FULL ? KT_FULL : sum);
}

void kt_vm_disk_ioutil(struct kt_snapshot *cur, const struct kt_snapshot *prev)
{
	size_t i;

	for (i = 0; i < cur->n_vms; i++) {
		struct kt_vm *vm = &cur->vms[i];

		vm->disk.has_ioutil = false;
		vm->disk.ioutil = 0;
		if (prev == NULL || !vm->disk.valid)
			continue;
		vm_ioutil(vm, kt_snapshot_find(prev, vm->index), &cur->host,
			  &prev->host);
	}
}
