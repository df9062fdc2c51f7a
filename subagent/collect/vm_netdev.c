/*
 * The tap counters of each VM: the /proc/net/dev row of each interface's
 * tap device (found by the name libvirt gives), summed per VM, in the
 * host's view.
 *
 * A tap device counts from 0 when it is created, and QEMU creates new ones
 * when the VM restarts or an interface is plugged again; summing the rows
 * would make the sums drop.  So the sums are cumulative per VM instead,
 * carried from snapshot to snapshot like the ioutil's inputs: each
 * collection adds what each tap's counter grew by since the previous
 * snapshot's sample of it (kept in the interface's row, with the tap's
 * ifindex, which a re-created tap does not keep), or all of its value for
 * a tap not sampled before.  The totals stay in the VM's row while no tap
 * is seen (a stopped VM), so that they count on when it runs again.
 *
 * One gap: when the interface list of a running VM could not be read (a
 * libvirt error), its row has no interfaces and the samples are lost.
 * Adding all of each tap's value when the list is back would count again
 * what was counted before the gap; instead the taps' values then become
 * the new samples without adding anything (tap_rebase), so what they
 * counted during the gap is lost but nothing is counted twice.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collect/counters.h"
#include "collect/vm_netdev.h"
#include "sorted.h"

static int cmp_net_name(const void *a, const void *b)
{
	const struct kt_host_net *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/*
 * The host's interface rows sorted by name, for the lookups of every
 * interface of every VM; NULL when there are none or memory ran out (the
 * lookups then go through the rows one by one).
 */
static const struct kt_host_net **name_index(const struct kt_host *h)
{
	const struct kt_host_net **idx;
	size_t i;

	if (h->n_nets == 0 || (idx = calloc(h->n_nets, sizeof(*idx))) == NULL)
		return NULL;
	for (i = 0; i < h->n_nets; i++)
		idx[i] = &h->nets[i];
	qsort(idx, h->n_nets, sizeof(*idx), cmp_net_name);
	return idx;
}

static int cmp_key_name(const void *key, const void *elem)
{
	const struct kt_host_net *const *n = elem;

	return strcmp(key, (*n)->name);
}

/* The row of host interface @name, or NULL. */
static const struct kt_host_net *tap_row(const struct kt_host *h,
					 const struct kt_host_net **idx,
					 const char *name)
{
	const struct kt_host_net *const *hit;
	size_t i;

	if (name == NULL || name[0] == '\0')
		return NULL;
	if (idx != NULL) {
		hit = kt_sorted_find(name, idx, h->n_nets, sizeof(*idx),
				     cmp_key_name);
		return hit != NULL ? *hit : NULL;
	}
	for (i = 0; i < h->n_nets; i++)
		if (strcmp(h->nets[i].name, name) == 0)
			return &h->nets[i];
	return NULL;
}

static const struct kt_iface *iface_by_index(const struct kt_vm *vm,
					     uint32_t index)
{
	size_t i;

	for (i = 0; vm != NULL && i < vm->n_ifs; i++)
		if (vm->ifs[i].index == index)
			return &vm->ifs[i];
	return NULL;
}

static bool any_sampled(const struct kt_vm *vm)
{
	size_t i;

	for (i = 0; vm != NULL && i < vm->n_ifs; i++)
		if (vm->ifs[i].tap_sampled)
			return true;
	return false;
}

/*
 * The tap counters of row @n in kt_tap_counter order: the last four
 * receive fields of /proc/net/dev (fifo frame compressed multicast), then
 * the last four transmit fields (fifo colls carrier compressed).
 */
static void tap_raw(const struct kt_host_net *n, uint64_t *raw)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		raw[KT_TAP_RX_FIFO + i] = n->rx[4 + i];
		raw[KT_TAP_TX_FIFO + i] = n->tx[4 + i];
	}
}

/*
 * Adds to @sum what @f's tap (row @n) counted since @old's sample of the
 * same tap, all of it when there is none, or nothing when @rebase, and
 * makes the row @f's sample.
 */
static void sample_tap(struct kt_iface *f, const struct kt_iface *old,
		       const struct kt_host_net *n, bool rebase, uint64_t *sum)
{
	bool same = old != NULL && old->tap_sampled &&
		    old->tap_ifindex == n->ifindex;
	uint64_t raw[KT_TAP_N];
	size_t i;

	tap_raw(n, raw);
	for (i = 0; i < KT_TAP_N; i++)
		if (!rebase)
			sum[i] += kt_counter_growth(
				raw[i], same ? &old->tap_last[i] : NULL);
	f->tap_sampled = true;
	f->tap_ifindex = n->ifindex;
	memcpy(f->tap_last, raw, sizeof(f->tap_last));
}

/* A tap without a row this time keeps its last sample for the next. */
static void keep_sample(struct kt_iface *f, const struct kt_iface *old)
{
	f->tap_sampled = old != NULL && old->tap_sampled;
	f->tap_ifindex = f->tap_sampled ? old->tap_ifindex : 0;
	if (f->tap_sampled)
		memcpy(f->tap_last, old->tap_last, sizeof(f->tap_last));
	else
		memset(f->tap_last, 0, sizeof(f->tap_last));
}

static void vm_taps(struct kt_vm *vm, const struct kt_vm *old,
		    const struct kt_host *h, const struct kt_host_net **idx)
{
	struct kt_vm_net *s = &vm->net;
	bool rebase = old != NULL && old->net.tap_rebase;
	size_t i;

	if (old != NULL)
		memcpy(s->tap, old->net.tap, sizeof(s->tap));
	else
		memset(s->tap, 0, sizeof(s->tap));
	s->has_tap = false;
	if (!s->valid) {
		/* No interfaces in this row: the samples are lost. */
		s->tap_rebase = vm->active && (rebase || any_sampled(old));
		return;
	}
	for (i = 0; i < vm->n_ifs; i++) {
		struct kt_iface *f = &vm->ifs[i];
		const struct kt_iface *of = iface_by_index(old, f->index);
		const struct kt_host_net *n = tap_row(h, idx, f->name);

		if (n == NULL) {
			keep_sample(f, of);
			continue;
		}
		sample_tap(f, of, n, rebase, s->tap);
		s->has_tap = true;
	}
	/* A rebase waits for the first tap sampled. */
	s->tap_rebase = rebase && !s->has_tap;
}

void kt_vm_net_taps(struct kt_snapshot *cur, const struct kt_snapshot *prev)
{
	const struct kt_host_net **idx = name_index(&cur->host);
	size_t i;

	for (i = 0; i < cur->n_vms; i++) {
		struct kt_vm *vm = &cur->vms[i];

		vm_taps(vm,
			prev != NULL ? kt_snapshot_find(prev, vm->index) : NULL,
			&cur->host, idx);
	}
	free(idx);
}
