/*
 * A VM's device rows: indexes, host ifIndex, sums.
 *
 * A device keeps its index for the life of the VM on this host, like the VM
 * itself: the index map that holds "UUID" -> VM index also holds
 * "UUID/blk/vda" and "UUID/if/52:54:00:..." -> device index.  Disks are
 * keyed by target (what the guest sees as the disk), interfaces by MAC (a
 * tap device's name changes when the VM restarts, its MAC does not).
 *
 * Counters are QEMU's, so a restarted QEMU process (or a re-plugged
 * device) starts them again from 0.  Each device's counters are kept in a
 * counter set of the VM's tracker (counters.h), keyed by the device's
 * index, and its row serves the totals, which never go backwards.  A device
 * no longer in the VM's (known) device list loses its set: when it comes
 * back, its row serves its raw values again.
 *
 * The sums of a VM are over the devices that reported a value: a value no
 * device reported this cycle has no sum (absent), so a driver that never
 * reports, say, flush times never shows a made-up 0.  A counter's sum is
 * the totals of all the VM's devices kept plus what departed devices had
 * counted, so it never drops either: not when a device is unplugged (it
 * keeps what the device counted) and not when one fails to report for a
 * cycle.  (Summing raw values and keeping the sums' totals would not do: an
 * unplug makes the raw sum drop, which reads as a restart and adds the
 * whole remaining sum again.)
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/vm_devices.h"
#include "log.h"

/* The index of device @kind/@name of the VM; 0 when it can have none. */
static uint32_t device_index(struct kt_index_map *map, const char *uuid,
			     const char *kind, const char *name)
{
	char key[KT_INDEX_KEY_MAX + 1];
	int len;

	len = snprintf(key, sizeof(key), "%s/%s/%s", uuid, kind, name);
	if (len < 0 || (size_t)len >= sizeof(key))
		return 0;
	return kt_index_get(map, key);
}

/* The kernel's ifindex of host device @name, 0 when unknown. */
static uint32_t host_ifindex(struct kt_ifattr_cache *ifattrs, const char *name)
{
	const struct kt_ifattr *a = kt_ifattr_get(ifattrs, name);

	return a != NULL ? a->ifindex : 0;
}

static int blk_cmp(const void *a, const void *b)
{
	const struct kt_blk *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

static int if_cmp(const void *a, const void *b)
{
	const struct kt_iface *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

/* Indexes the disks; those without an index are freed and dropped. */
static void index_blks(struct kt_vm *vm, struct kt_index_map *map)
{
	size_t i, kept = 0;

	for (i = 0; i < vm->n_blks; i++) {
		struct kt_blk *b = &vm->blks[i];

		b->index = device_index(map, vm->uuid, "blk", b->target);
		if (b->index == 0) {
			kt_log_debug("collect", "VM %s: disk %s has no index",
				     vm->uuid, b->target);
			kt_blk_clear_strings(b);
			continue;
		}
		vm->blks[kept++] = *b;
	}
	vm->n_blks = kept;
	if (kept > 1)
		qsort(vm->blks, kept, sizeof(*vm->blks), blk_cmp);
}

static void index_ifs(struct kt_vm *vm, struct kt_index_map *map,
		      struct kt_ifattr_cache *ifattrs)
{
	size_t i, kept = 0;

	for (i = 0; i < vm->n_ifs; i++) {
		struct kt_iface *f = &vm->ifs[i];

		f->index = device_index(map, vm->uuid, "if", f->mac);
		if (f->index == 0) {
			kt_iface_clear_strings(f);
			continue;
		}
		f->host_ifindex = host_ifindex(ifattrs, f->name);
		vm->ifs[kept++] = *f;
	}
	vm->n_ifs = kept;
	if (kept > 1)
		qsort(vm->ifs, kept, sizeof(*vm->ifs), if_cmp);
}

/* A counter of a statistics struct: where it is and its present bit. */
struct stat_field {
	size_t off;
	uint32_t bit;
};

static const struct stat_field blk_fields[] = {
	{ offsetof(struct kt_blk_stats, rd_bytes), KT_BLK_RD_BYTES },
	{ offsetof(struct kt_blk_stats, rd_reqs), KT_BLK_RD_REQS },
	{ offsetof(struct kt_blk_stats, rd_ns), KT_BLK_RD_NS },
	{ offsetof(struct kt_blk_stats, wr_bytes), KT_BLK_WR_BYTES },
	{ offsetof(struct kt_blk_stats, wr_reqs), KT_BLK_WR_REQS },
	{ offsetof(struct kt_blk_stats, wr_ns), KT_BLK_WR_NS },
	{ offsetof(struct kt_blk_stats, fl_reqs), KT_BLK_FL_REQS },
	{ offsetof(struct kt_blk_stats, fl_ns), KT_BLK_FL_NS },
};

/* Interface counters come all or none: no bits. */
static const struct stat_field if_fields[] = {
	{ offsetof(struct kt_if_stats, rx_bytes), 0 },
	{ offsetof(struct kt_if_stats, rx_packets), 0 },
	{ offsetof(struct kt_if_stats, rx_errs), 0 },
	{ offsetof(struct kt_if_stats, rx_drop), 0 },
	{ offsetof(struct kt_if_stats, tx_bytes), 0 },
	{ offsetof(struct kt_if_stats, tx_packets), 0 },
	{ offsetof(struct kt_if_stats, tx_errs), 0 },
	{ offsetof(struct kt_if_stats, tx_drop), 0 },
};

#define N_FIELDS(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t *field(void *st, const struct stat_field *f)
{
	return (uint64_t *)((char *)st + f->off);
}

/*
 * Replaces the counters of one device (@st, @n fields @f, the set bits of
 * @reported) by their totals in the device's set; @reported's bits are
 * cleared when the set cannot be kept (out of memory): absent rather than
 * raw values that may go backwards.
 */
static void device_totals(struct kt_dev_counters *dc, uint32_t index, void *st,
			  const struct stat_field *f, size_t n,
			  uint32_t *reported)
{
	struct kt_counter_set *set = kt_dev_counters_get(dc, index);
	uint64_t raw[KT_COUNTERS_MAX];
	size_t i;

	if (set == NULL) {
		*reported = 0;
		return;
	}
	for (i = 0; i < n; i++)
		raw[i] = *field(st, &f[i]);
	kt_counters_advance(set, raw, n, *reported);
	for (i = 0; i < n; i++)
		if (*reported & (1u << i))
			*field(st, &f[i]) = set->acc[i];
}

/* The bits of the set's counters that @present (KT_BLK_*) holds. */
static uint32_t blk_reported(uint32_t present)
{
	uint32_t r = 0;
	size_t i;

	for (i = 0; i < N_FIELDS(blk_fields); i++)
		if (present & blk_fields[i].bit)
			r |= 1u << i;
	return r;
}

static void blk_totals(struct kt_dev_counters *dc, struct kt_blk *b)
{
	uint32_t r = blk_reported(b->present);
	size_t i;

	device_totals(dc, b->index, &b->st, blk_fields, N_FIELDS(blk_fields),
		      &r);
	for (i = 0; i < N_FIELDS(blk_fields); i++)
		if ((r & (1u << i)) == 0 && (b->present & blk_fields[i].bit)) {
			b->present &= ~blk_fields[i].bit;
			*field(&b->st, &blk_fields[i]) = 0;
		}
	b->has_stats = (b->present & KT_BLK_STATS) != 0;
}

static void if_totals(struct kt_dev_counters *dc, struct kt_iface *f)
{
	uint32_t r = f->has_stats ? KT_COUNTERS_ALL(N_FIELDS(if_fields)) : 0;

	device_totals(dc, f->index, &f->st, if_fields, N_FIELDS(if_fields), &r);
	if (r == 0 && f->has_stats) {
		f->has_stats = false;
		memset(&f->st, 0, sizeof(f->st));
	}
}

/* Adds @v to *@sum when @b reported @bit. */
static void add_if(uint32_t present, uint32_t bit, uint64_t v, uint64_t *sum)
{
	if (present & bit)
		*sum += v;
}

static void sum_disks(struct kt_vm *vm, struct kt_dev_counters *dc)
{
	struct kt_vm_disk *s = &vm->disk;
	uint64_t sum[N_FIELDS(blk_fields)];
	size_t i;

	for (i = 0; i < vm->n_blks; i++) {
		const struct kt_blk *b = &vm->blks[i];
		uint32_t p = b->present;

		s->present |= p;
		add_if(p, KT_BLK_CAPACITY, b->capacity, &s->capacity);
		add_if(p, KT_BLK_ALLOCATION, b->allocation, &s->allocation);
		add_if(p, KT_BLK_PHYSICAL, b->physical, &s->physical);
	}
	kt_dev_counters_sum(dc, sum, N_FIELDS(blk_fields));
	for (i = 0; i < N_FIELDS(blk_fields); i++)
		if (s->present & blk_fields[i].bit)
			*field(&s->st, &blk_fields[i]) = sum[i];
	s->count = (uint32_t)vm->n_blks;
	s->has_count = true;
	s->valid = true;
	s->has_info = (s->present & KT_BLK_INFO) != 0;
	s->has_stats = (s->present & KT_BLK_STATS) != 0;
}

static void sum_ifs(struct kt_vm *vm, struct kt_dev_counters *dc)
{
	struct kt_vm_net *s = &vm->net;
	uint64_t sum[N_FIELDS(if_fields)];
	size_t i;

	for (i = 0; i < vm->n_ifs; i++)
		s->has_stats = s->has_stats || vm->ifs[i].has_stats;
	if (s->has_stats) {
		kt_dev_counters_sum(dc, sum, N_FIELDS(if_fields));
		for (i = 0; i < N_FIELDS(if_fields); i++)
			*field(&s->st, &if_fields[i]) = sum[i];
	}
	s->count = (uint32_t)vm->n_ifs;
	s->valid = true;
}

static void fill_blks(struct kt_vm *vm, struct kt_domain *d,
		      struct kt_index_map *map, struct kt_dev_counters *dc)
{
	size_t i;

	vm->blks = d->blks;
	vm->n_blks = d->n_blks;
	d->blks = NULL;
	d->n_blks = 0;
	index_blks(vm, map);
	for (i = 0; i < vm->n_blks; i++)
		blk_totals(dc, &vm->blks[i]);
	kt_dev_counters_sweep(dc);
	sum_disks(vm, dc);
}

static void fill_ifs(struct kt_vm *vm, struct kt_domain *d,
		     struct kt_index_map *map, struct kt_ifattr_cache *ifattrs,
		     struct kt_dev_counters *dc)
{
	size_t i;

	vm->ifs = d->ifs;
	vm->n_ifs = d->n_ifs;
	d->ifs = NULL;
	d->n_ifs = 0;
	index_ifs(vm, map, ifattrs);
	for (i = 0; i < vm->n_ifs; i++)
		if_totals(dc, &vm->ifs[i]);
	kt_dev_counters_sweep(dc);
	sum_ifs(vm, dc);
}

void kt_vm_devices_fill(struct kt_vm *vm, struct kt_domain *d,
			struct kt_index_map *map,
			struct kt_ifattr_cache *ifattrs,
			struct kt_vm_dev_counters *acc)
{
	/* An unknown list (a stopped VM, libvirt failed) keeps the sets. */
	if (d->has_blks)
		fill_blks(vm, d, map, &acc->blks);
	if (d->has_ifs)
		fill_ifs(vm, d, map, ifattrs, &acc->ifs);
}
