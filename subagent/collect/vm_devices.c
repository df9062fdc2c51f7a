/*
 * A VM's device rows: indexes, host ifIndex, sums.
 *
 * A device keeps its index for the life of the VM on this host, like the VM
 * itself: the index map that holds "UUID" -> VM index also holds
 * "UUID/blk/vda" and "UUID/if/52:54:00:..." -> device index.  Disks are
 * keyed by target (what the guest sees as the disk), interfaces by MAC (a
 * tap device's name changes when the VM restarts, its MAC does not).
 *
 * The sums of a VM are over the devices that reported a value: a value no
 * device reported has no sum (absent), so a driver that never reports, say,
 * flush times never shows a made-up 0.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/procfs.h"
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

/*
 * The kernel's ifindex of host device @name, 0 when unknown.  @name comes
 * from the domain XML: a name that is no single path component is refused
 * rather than followed.
 */
static uint32_t host_ifindex(int sysfd, const char *name)
{
	char rel[300], buf[32];
	uint64_t v;
	ssize_t len;

	if (sysfd < 0 || name[0] == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	snprintf(rel, sizeof(rel), "class/net/%s/ifindex", name);
	len = kt_read_file_at(sysfd, rel, buf, sizeof(buf));
	if (len < 0 || kt_parse_u64_line(buf, (size_t)len, &v) != 0 ||
	    v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
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
			free(b->target);
			free(b->source);
			continue;
		}
		vm->blks[kept++] = *b;
	}
	vm->n_blks = kept;
	if (kept > 1)
		qsort(vm->blks, kept, sizeof(*vm->blks), blk_cmp);
}

static void index_ifs(struct kt_vm *vm, struct kt_index_map *map, int sysfd)
{
	size_t i, kept = 0;

	for (i = 0; i < vm->n_ifs; i++) {
		struct kt_iface *f = &vm->ifs[i];

		f->index = device_index(map, vm->uuid, "if", f->mac);
		if (f->index == 0) {
			free(f->name);
			free(f->model);
			continue;
		}
		f->host_ifindex = host_ifindex(sysfd, f->name);
		vm->ifs[kept++] = *f;
	}
	vm->n_ifs = kept;
	if (kept > 1)
		qsort(vm->ifs, kept, sizeof(*vm->ifs), if_cmp);
}

/* Adds @v to *@sum when @b reported @bit. */
static void add_if(uint32_t present, uint32_t bit, uint64_t v, uint64_t *sum)
{
	if (present & bit)
		*sum += v;
}

static void sum_disks(struct kt_vm *vm)
{
	struct kt_vm_disk *s = &vm->disk;
	size_t i;

	for (i = 0; i < vm->n_blks; i++) {
		const struct kt_blk *b = &vm->blks[i];
		uint32_t p = b->present;

		s->present |= p;
		add_if(p, KT_BLK_CAPACITY, b->capacity, &s->capacity);
		add_if(p, KT_BLK_ALLOCATION, b->allocation, &s->allocation);
		add_if(p, KT_BLK_PHYSICAL, b->physical, &s->physical);
		add_if(p, KT_BLK_RD_BYTES, b->st.rd_bytes, &s->st.rd_bytes);
		add_if(p, KT_BLK_RD_REQS, b->st.rd_reqs, &s->st.rd_reqs);
		add_if(p, KT_BLK_RD_NS, b->st.rd_ns, &s->st.rd_ns);
		add_if(p, KT_BLK_WR_BYTES, b->st.wr_bytes, &s->st.wr_bytes);
		add_if(p, KT_BLK_WR_REQS, b->st.wr_reqs, &s->st.wr_reqs);
		add_if(p, KT_BLK_WR_NS, b->st.wr_ns, &s->st.wr_ns);
		add_if(p, KT_BLK_FL_REQS, b->st.fl_reqs, &s->st.fl_reqs);
		add_if(p, KT_BLK_FL_NS, b->st.fl_ns, &s->st.fl_ns);
	}
	s->count = (uint32_t)vm->n_blks;
	s->has_count = true;
	s->valid = true;
	s->has_info = (s->present & KT_BLK_INFO) != 0;
	s->has_stats = (s->present & KT_BLK_STATS) != 0;
}

static void sum_ifs(struct kt_vm *vm)
{
	struct kt_vm_net *s = &vm->net;
	size_t i;

	for (i = 0; i < vm->n_ifs; i++) {
		const struct kt_if_stats *st = &vm->ifs[i].st;

		if (!vm->ifs[i].has_stats)
			continue;
		s->has_stats = true;
		s->st.rx_bytes += st->rx_bytes;
		s->st.rx_packets += st->rx_packets;
		s->st.rx_errs += st->rx_errs;
		s->st.rx_drop += st->rx_drop;
		s->st.tx_bytes += st->tx_bytes;
		s->st.tx_packets += st->tx_packets;
		s->st.tx_errs += st->tx_errs;
		s->st.tx_drop += st->tx_drop;
	}
	s->count = (uint32_t)vm->n_ifs;
	s->valid = true;
}

void kt_vm_devices_fill(struct kt_vm *vm, struct kt_domain *d,
			struct kt_index_map *map, int sysfd)
{
	if (d->has_blks) {
		vm->blks = d->blks;
		vm->n_blks = d->n_blks;
		d->blks = NULL;
		d->n_blks = 0;
		index_blks(vm, map);
		sum_disks(vm);
	}
	if (d->has_ifs) {
		vm->ifs = d->ifs;
		vm->n_ifs = d->n_ifs;
		d->ifs = NULL;
		d->n_ifs = 0;
		index_ifs(vm, map, sysfd);
		sum_ifs(vm);
	}
}
