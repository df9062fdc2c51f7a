/*
 * Snapshot lifetime (allocation, reference counting), row lookup by index,
 * and the percentages derived from two consecutive snapshots.
 *
 * The reference count is touched from two threads (the collector keeps the
 * previous snapshot, the SNMP thread serves the current one), so it uses
 * atomic builtins; everything else in a snapshot is written by the collector
 * before it is published and only read afterwards.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "shared_str.h"
#include "snapshot.h"
#include "sorted.h"

/* 100 % in hundredths of a percent. */
#define KT_CENTI_PERCENT_FULL 10000U

struct kt_snapshot *kt_snapshot_new(size_t n_vms)
{
	struct kt_snapshot *snap;

	if ((snap = calloc(1, sizeof(*snap))) == NULL)
		return NULL;
	/* calloc(0) may return NULL or not; an empty snapshot has no rows. */
	if (n_vms > 0 &&
	    (snap->vms = calloc(n_vms, sizeof(*snap->vms))) == NULL) {
		free(snap);
		return NULL;
	}
	snap->n_vms = n_vms;
	snap->refs = 1;
	return snap;
}

struct kt_snapshot *kt_snapshot_ref(struct kt_snapshot *snap)
{
	/* No ordering needed: the caller already holds a reference. */
	if (snap != NULL)
		__atomic_add_fetch(&snap->refs, 1, __ATOMIC_RELAXED);
	return snap;
}

bool kt_snapshot_unref(struct kt_snapshot *snap)
{
	size_t i;

	if (snap == NULL)
		return false;
	/*
	 * Release our writes before the count drops; the thread that drops it
	 * to zero must see every other thread's writes before it frees.
	 */
	if (__atomic_sub_fetch(&snap->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return false;
	for (i = 0; i < snap->n_vms; i++)
		kt_vm_clear(&snap->vms[i]);
	free(snap->vms);
	kt_host_clear(&snap->host);
	kt_pool_free(snap->pool);
	free(snap);
	return true;
}

void kt_host_clear(struct kt_host *h)
{
	free(h->disks);
	free(h->nets);
	memset(h, 0, sizeof(*h));
}

void kt_blk_clear_strings(struct kt_blk *b)
{
	kt_str_unref(b->target);
	kt_str_unref(b->source);
	b->target = b->source = NULL;
}

void kt_iface_clear_strings(struct kt_iface *f)
{
	kt_str_unref(f->name);
	kt_str_unref(f->model);
	f->name = f->model = NULL;
}

void kt_devices_clear_strings(struct kt_blk *blks, size_t n_blks,
			      struct kt_iface *ifs, size_t n_ifs)
{
	size_t i;

	for (i = 0; i < n_blks; i++)
		kt_blk_clear_strings(&blks[i]);
	for (i = 0; i < n_ifs; i++)
		kt_iface_clear_strings(&ifs[i]);
}

void kt_vm_clear(struct kt_vm *vm)
{
	kt_devices_clear_strings(vm->blks, vm->n_blks, vm->ifs, vm->n_ifs);
	if (!vm->pooled) {
		free(vm->name);
		free(vm->vcpus);
		free(vm->blks);
		free(vm->ifs);
	}
	memset(vm, 0, sizeof(*vm));
}

/* A copy of @n elements of @size bytes; NULL for none or no memory. */
static void *dup_array(const void *v, size_t n, size_t size)
{
	void *copy;

	if (n == 0 || (copy = calloc(n, size)) == NULL)
		return NULL;
	return memcpy(copy, v, n * size);
}

/* The copied device rows share @src's strings: one more reference each. */
static void ref_device_strings(struct kt_vm *vm)
{
	size_t i;

	for (i = 0; i < vm->n_blks; i++) {
		kt_str_ref(vm->blks[i].target);
		kt_str_ref(vm->blks[i].source);
	}
	for (i = 0; i < vm->n_ifs; i++) {
		kt_str_ref(vm->ifs[i].name);
		kt_str_ref(vm->ifs[i].model);
	}
}

int kt_vm_copy(struct kt_vm *dst, const struct kt_vm *src)
{
	*dst = *src;
	dst->pooled = false;
	dst->name = src->name != NULL ? strdup(src->name) : NULL;
	dst->vcpus = dup_array(src->vcpus, src->n_vcpus, sizeof(*src->vcpus));
	dst->blks = dup_array(src->blks, src->n_blks, sizeof(*src->blks));
	dst->ifs = dup_array(src->ifs, src->n_ifs, sizeof(*src->ifs));
	if (dst->blks == NULL)
		dst->n_blks = 0;
	if (dst->ifs == NULL)
		dst->n_ifs = 0;
	ref_device_strings(dst);
	if ((src->name != NULL && dst->name == NULL) ||
	    (src->n_vcpus != 0 && dst->vcpus == NULL) ||
	    dst->n_blks != src->n_blks || dst->n_ifs != src->n_ifs) {
		kt_vm_clear(dst);
		return -ENOMEM;
	}
	return 0;
}

static int vm_index_cmp(const void *a, const void *b)
{
	const struct kt_vm *va = a, *vb = b;

	return kt_cmp_u32(va->index, vb->index);
}

/* A key (an index) against a row, for the look-ups of sorted.h. */
static int cmp_vm_index(const void *key, const void *vm)
{
	return kt_cmp_u32(*(const uint32_t *)key,
			  ((const struct kt_vm *)vm)->index);
}

void kt_snapshot_sort(struct kt_snapshot *snap)
{
	/* qsort() must not see a NULL base, even with zero elements. */
	if (snap == NULL || snap->n_vms < 2)
		return;
	qsort(snap->vms, snap->n_vms, sizeof(*snap->vms), vm_index_cmp);
}

const struct kt_vm *kt_snapshot_find(const struct kt_snapshot *snap,
				     uint32_t index)
{
	if (snap == NULL)
		return NULL;
	return kt_sorted_find(&index, snap->vms, snap->n_vms,
			      sizeof(*snap->vms), cmp_vm_index);
}

uint32_t kt_rate_centi_percent(uint64_t delta_ns, uint64_t interval_ns,
			       uint32_t cpus)
{
	unsigned __int128 num, den, q;

	if (interval_ns == 0 || cpus == 0)
		return 0;
	/*
	 * 128 bits hold both products for any inputs: num < 2^78, den < 2^96.
	 * Round half up: add one when the remainder is at least half of den.
	 */
	num = (unsigned __int128)delta_ns * KT_CENTI_PERCENT_FULL;
	den = (unsigned __int128)interval_ns * cpus;
	q = num / den;
	if (2 * (num % den) >= den)
		q++;
	return q > UINT32_MAX ? UINT32_MAX : (uint32_t)q;
}

static uint32_t clamp_full(uint32_t v)
{
	return v > KT_CENTI_PERCENT_FULL ? KT_CENTI_PERCENT_FULL : v;
}

/* Fills @c's rates from @p, the same VM one cycle earlier (may be NULL). */
static void cpu_rates(struct kt_vm_cpu *c, const struct kt_vm_cpu *p,
		      uint64_t interval)
{
	c->has_rate = false;
	c->total = c->steal = c->other_total = c->other_steal = 0;
	if (!c->valid || p == NULL || !p->valid || interval == 0)
		return;
	/* A counter that went down is a reset, not a huge delta. */
	if (c->run_ns < p->run_ns || c->wait_ns < p->wait_ns ||
	    c->other_run_ns < p->other_run_ns ||
	    c->other_wait_ns < p->other_wait_ns)
		return;
	/*
	 * Jitter in the measured interval can push a busy VM past 100 %.
	 * Without vCPU threads these are 0 (and not served: vcpus_found);
	 * the other threads' rates still are.
	 */
	c->total = clamp_full(kt_rate_centi_percent(c->run_ns - p->run_ns,
						    interval, c->vcpu_threads));
	c->steal = clamp_full(kt_rate_centi_percent(c->wait_ns - p->wait_ns,
						    interval, c->vcpu_threads));
	/* The other threads are shares of one host CPU: may exceed 100 %. */
	c->other_total = kt_rate_centi_percent(
		c->other_run_ns - p->other_run_ns, interval, 1);
	c->other_steal = kt_rate_centi_percent(
		c->other_wait_ns - p->other_wait_ns, interval, 1);
	c->has_rate = true;
}

/*
 * Fills one vCPU's rates from @p, the same vCPU number one cycle earlier.
 * The thread must be the same one: a new thread's counter holds its whole
 * history (the growth rule adds all of it), which is no rate.
 */
static void vcpu_rate(struct kt_vcpu *v, const struct kt_vcpu *p,
		      uint64_t interval)
{
	v->has_rate = false;
	v->total = v->steal = 0;
	if (p == NULL || p->tid != v->tid || interval == 0 ||
	    v->run_ns < p->run_ns || v->wait_ns < p->wait_ns)
		return;
	/* One vCPU is one thread: 10000 is all of one CPU. */
	v->total = clamp_full(
		kt_rate_centi_percent(v->run_ns - p->run_ns, interval, 1));
	v->steal = clamp_full(
		kt_rate_centi_percent(v->wait_ns - p->wait_ns, interval, 1));
	v->has_rate = true;
}

/* The vCPU rows of @c against those of @p; both sorted by number. */
static void vcpu_rates(struct kt_vm *c, const struct kt_vm *p,
		       uint64_t interval)
{
	size_t i, j = 0, n_prev;
	const struct kt_vcpu *pv;

	/* Only rows sampled this cycle and the last one have rates. */
	n_prev = p != NULL && p->cpu.valid && c->cpu.valid ? p->n_vcpus : 0;
	for (i = 0; i < c->n_vcpus; i++) {
		while (j < n_prev && p->vcpus[j].number < c->vcpus[i].number)
			j++;
		pv = j < n_prev && p->vcpus[j].number == c->vcpus[i].number
			     ? &p->vcpus[j]
			     : NULL;
		vcpu_rate(&c->vcpus[i], pv, interval);
	}
}

void kt_snapshot_compute_rates(struct kt_snapshot *cur,
			       const struct kt_snapshot *prev)
{
	size_t i, j = 0, n_prev;
	const struct kt_vm *p;

	if (cur == NULL)
		return;
	n_prev = prev != NULL ? prev->n_vms : 0;
	/* Merge over both index-sorted arrays; rows may come and go. */
	for (i = 0; i < cur->n_vms; i++) {
		while (j < n_prev && prev->vms[j].index < cur->vms[i].index)
			j++;
		p = NULL;
		if (j < n_prev && prev->vms[j].index == cur->vms[i].index)
			p = &prev->vms[j];
		cpu_rates(&cur->vms[i].cpu, p != NULL ? &p->cpu : NULL,
			  cur->interval_ns);
		vcpu_rates(&cur->vms[i], p, cur->interval_ns);
	}
}
