/*
 * The disks and interfaces of the running domains.
 *
 * Names come from the domain's XML description, which costs an RPC and a
 * parse, so it is cached per UUID with the domain id and a hash of the
 * device names that the bulk record listed when it was read: a new id means
 * the domain was restarted (tap devices may have new names), a new hash
 * that a device was plugged or unplugged.  Drivers without bulk device
 * lists (libvirt's test driver) give a constant hash, so their XML is read
 * once per domain start.
 *
 * Counters come from the bulk record (block.N.*, net.N.*), matched to the
 * XML's devices by name.  Where the record has no block or net group at
 * all, the driver lacks bulk device stats and each device is asked for
 * with virDomainBlockStats, virDomainGetBlockInfo, virDomainInterfaceStats.
 * A value absent from a bulk record stays absent: asking for it per device
 * would cost an RPC per disk and cycle on exactly the drivers (QEMU) whose
 * bulk call exists to avoid that.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libvirt/virterror.h>

#include "collect/domxml.h"
#include "collect/libvirt_dev.h"
#include "log.h"
#include "collectors.h"
#include "pool.h"
#include "shared_str.h"
#include "sorted.h"

/* More devices than this in one record is a broken answer, not a VM. */
#define KT_MAX_BULK_DEVICES 65536

/*
 * What a disk's and an interface's rows take from the XML description.
 * Only that: a cache entry lives as long as its domain, for 1000s of
 * devices at scale.  The strings are shared with the rows (shared_str.h).
 */
struct blk_tmpl {
	const char *target;
	const char *source;
	dev_t host_dev;
};

struct if_tmpl {
	const char *name;
	const char *model;
	char mac[18];
};

struct dev_entry {
	char uuid[KT_UUID_LEN + 1];
	unsigned int id; /* virDomainGetID() when the XML was read */
	uint64_t sig;	 /* hash of the bulk record's device names then */
	bool seen;
	struct blk_tmpl *blks;
	size_t n_blks;
	struct if_tmpl *ifs;
	size_t n_ifs;
};

struct kt_dev_cache {
	struct dev_entry *v; /* sorted by UUID */
	size_t n, cap;
	unsigned long xml_reads;
};

/* One device of the bulk record: its name and the values it carried. */
struct bulk_blk {
	const char *name;
	struct kt_blk v; /* present, capacity..., st */
};

struct bulk_net {
	const char *name;
	uint32_t present;
	struct kt_if_stats st;
};

struct bulk {
	bool has_blk; /* the record has a block group */
	size_t n_blk;
	struct bulk_blk *blk;
	bool has_net;
	size_t n_net;
	struct bulk_net *net;
};

struct field {
	const char *suffix;
	size_t off;
	uint32_t bit;
};

static const struct field blk_fields[] = {
	{ "capacity", offsetof(struct kt_blk, capacity), KT_BLK_CAPACITY },
	{ "allocation", offsetof(struct kt_blk, allocation),
	  KT_BLK_ALLOCATION },
	{ "physical", offsetof(struct kt_blk, physical), KT_BLK_PHYSICAL },
	{ "rd.bytes", offsetof(struct kt_blk, st.rd_bytes), KT_BLK_RD_BYTES },
	{ "rd.reqs", offsetof(struct kt_blk, st.rd_reqs), KT_BLK_RD_REQS },
	{ "rd.times", offsetof(struct kt_blk, st.rd_ns), KT_BLK_RD_NS },
	{ "wr.bytes", offsetof(struct kt_blk, st.wr_bytes), KT_BLK_WR_BYTES },
	{ "wr.reqs", offsetof(struct kt_blk, st.wr_reqs), KT_BLK_WR_REQS },
	{ "wr.times", offsetof(struct kt_blk, st.wr_ns), KT_BLK_WR_NS },
	{ "fl.reqs", offsetof(struct kt_blk, st.fl_reqs), KT_BLK_FL_REQS },
	{ "fl.times", offsetof(struct kt_blk, st.fl_ns), KT_BLK_FL_NS },
};

/* Bits of bulk_net.present, one per field of kt_if_stats. */
static const struct field net_fields[] = {
	{ "rx.bytes", offsetof(struct kt_if_stats, rx_bytes), 1u << 0 },
	{ "rx.pkts", offsetof(struct kt_if_stats, rx_packets), 1u << 1 },
	{ "rx.errs", offsetof(struct kt_if_stats, rx_errs), 1u << 2 },
	{ "rx.drop", offsetof(struct kt_if_stats, rx_drop), 1u << 3 },
	{ "tx.bytes", offsetof(struct kt_if_stats, tx_bytes), 1u << 4 },
	{ "tx.pkts", offsetof(struct kt_if_stats, tx_packets), 1u << 5 },
	{ "tx.errs", offsetof(struct kt_if_stats, tx_errs), 1u << 6 },
	{ "tx.drop", offsetof(struct kt_if_stats, tx_drop), 1u << 7 },
};
#define NET_ALL 0xffu

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

unsigned kt_dev_stats_groups(unsigned collectors)
{
	unsigned g = 0;

	if (collectors & KT_COLLECT_DISK)
		g |= VIR_DOMAIN_STATS_BLOCK;
	if (collectors & KT_COLLECT_NET)
		g |= VIR_DOMAIN_STATS_INTERFACE;
	return g;
}

/* ---- the bulk record ---- */

/* "block.3.rd.reqs" with @prefix "block." -> 3 and "rd.reqs". */
static bool split_param(const char *name, const char *prefix, size_t *idx,
			const char **suffix)
{
	size_t plen = strlen(prefix), v = 0;
	const char *p;

	if (strncmp(name, prefix, plen) != 0)
		return false;
	for (p = name + plen; *p >= '0' && *p <= '9'; p++) {
		if (v >= KT_MAX_BULK_DEVICES)
			return false;
		v = v * 10 + (size_t)(*p - '0');
	}
	if (p == name + plen || *p != '.')
		return false;
	*idx = v;
	*suffix = p + 1;
	return true;
}

/* Stores the ULLONG @p in the field of @fields named @suffix, if any. */
static void store_field(const struct field *fields, size_t n, void *base,
			uint32_t *present, const char *suffix,
			const virTypedParameter *p)
{
	size_t i;

	if (p->type != VIR_TYPED_PARAM_ULLONG)
		return;
	for (i = 0; i < n; i++) {
		if (strcmp(fields[i].suffix, suffix) != 0)
			continue;
		*(uint64_t *)((char *)base + fields[i].off) = p->value.ul;
		*present |= fields[i].bit;
		return;
	}
}

static void store_blk(struct bulk *b, size_t idx, const char *suffix,
		      const virTypedParameter *p)
{
	struct bulk_blk *e = &b->blk[idx];

	if (strcmp(suffix, "name") == 0) {
		if (p->type == VIR_TYPED_PARAM_STRING)
			e->name = p->value.s;
		return;
	}
	store_field(blk_fields, N_OF(blk_fields), &e->v, &e->v.present, suffix,
		    p);
}

static void store_net(struct bulk *b, size_t idx, const char *suffix,
		      const virTypedParameter *p)
{
	struct bulk_net *e = &b->net[idx];

	if (strcmp(suffix, "name") == 0) {
		if (p->type == VIR_TYPED_PARAM_STRING)
			e->name = p->value.s;
		return;
	}
	store_field(net_fields, N_OF(net_fields), &e->st, &e->present, suffix,
		    p);
}

/* The "X.count" of a group; false when the record has no such group. */
static bool group_count(const virDomainStatsRecordPtr rec, const char *name,
			size_t *n)
{
	unsigned int v = 0;

	*n = 0;
	if (virTypedParamsGetUInt(rec->params, rec->nparams, name, &v) != 1)
		return false;
	*n = v < KT_MAX_BULK_DEVICES ? v : KT_MAX_BULK_DEVICES;
	return true;
}

static void bulk_free(struct bulk *b)
{
	free(b->blk);
	free(b->net);
	memset(b, 0, sizeof(*b));
}

/*
 * The devices of @rec, in one pass over its parameters (a lookup per
 * field would be quadratic in the number of disks).  The names point into
 * @rec.  Returns 0 or -ENOMEM.
 */
static int bulk_parse(const virDomainStatsRecordPtr rec, struct bulk *b)
{
	const char *suffix;
	size_t idx;
	int i;

	memset(b, 0, sizeof(*b));
	b->has_blk = group_count(rec, "block.count", &b->n_blk);
	b->has_net = group_count(rec, "net.count", &b->n_net);
	if ((b->n_blk != 0 &&
	     (b->blk = calloc(b->n_blk, sizeof(*b->blk))) == NULL) ||
	    (b->n_net != 0 &&
	     (b->net = calloc(b->n_net, sizeof(*b->net))) == NULL)) {
		bulk_free(b);
		return -ENOMEM;
	}
	for (i = 0; i < rec->nparams; i++) {
		const virTypedParameter *p = &rec->params[i];

		if (split_param(p->field, "block.", &idx, &suffix) &&
		    idx < b->n_blk)
			store_blk(b, idx, suffix, p);
		else if (split_param(p->field, "net.", &idx, &suffix) &&
			 idx < b->n_net)
			store_net(b, idx, suffix, p);
	}
	return 0;
}

/* FNV-1a over the device names: what the XML was read against. */
static uint64_t hash_str(uint64_t h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");

	for (; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull; /* the separator */
}

static uint64_t bulk_sig(const struct bulk *b)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	h = hash_str(h, b->has_blk ? "block" : "-");
	for (i = 0; i < b->n_blk; i++)
		h = hash_str(h, b->blk[i].name);
	h = hash_str(h, b->has_net ? "net" : "-");
	for (i = 0; i < b->n_net; i++)
		h = hash_str(h, b->net[i].name);
	return h;
}

/* ---- the cache ---- */

int kt_dev_cache_new(struct kt_dev_cache **out)
{
	*out = calloc(1, sizeof(**out));
	return *out != NULL ? 0 : -ENOMEM;
}

static void entry_clear_devices(struct dev_entry *e)
{
	size_t i;

	for (i = 0; i < e->n_blks; i++) {
		kt_str_unref(e->blks[i].target);
		kt_str_unref(e->blks[i].source);
	}
	for (i = 0; i < e->n_ifs; i++) {
		kt_str_unref(e->ifs[i].name);
		kt_str_unref(e->ifs[i].model);
	}
	free(e->blks);
	free(e->ifs);
	e->blks = NULL;
	e->ifs = NULL;
	e->n_blks = e->n_ifs = 0;
}

void kt_dev_cache_free(struct kt_dev_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		entry_clear_devices(&c->v[i]);
	free(c->v);
	free(c);
}

unsigned long kt_dev_cache_xml_reads(const struct kt_dev_cache *c)
{
	return c->xml_reads;
}

static int cmp_entry_uuid(const void *key, const void *entry)
{
	return strcmp(key, ((const struct dev_entry *)entry)->uuid);
}

static size_t entry_pos(const struct kt_dev_cache *c, const char *uuid)
{
	return kt_lower_bound(uuid, c->v, c->n, sizeof(*c->v), cmp_entry_uuid);
}

/* The entry of @uuid, a new empty one when there was none; NULL: ENOMEM. */
static struct dev_entry *entry_get(struct kt_dev_cache *c, const char *uuid,
				   bool *created)
{
	size_t pos = entry_pos(c, uuid);
	struct dev_entry *e;

	*created = false;
	if (pos < c->n && strcmp(c->v[pos].uuid, uuid) == 0)
		return &c->v[pos];
	if (c->n == c->cap) {
		size_t ncap = c->cap != 0 ? c->cap * 2 : 16;

		if ((e = realloc(c->v, ncap * sizeof(*e))) == NULL)
			return NULL;
		c->v = e;
		c->cap = ncap;
	}
	e = &c->v[pos];
	memmove(e + 1, e, (c->n - pos) * sizeof(*e));
	c->n++;
	memset(e, 0, sizeof(*e));
	memcpy(e->uuid, uuid, sizeof(e->uuid));
	*created = true;
	return e;
}

void kt_dev_cache_sweep(struct kt_dev_cache *c)
{
	size_t i, kept = 0;

	for (i = 0; i < c->n; i++) {
		if (!c->v[i].seen) {
			entry_clear_devices(&c->v[i]);
			continue;
		}
		c->v[i].seen = false;
		c->v[kept++] = c->v[i];
	}
	c->n = kept;
}

/* ---- templates from the XML description ---- */

/*
 * The host device behind a local source: a block device's own number, or
 * the device of the file system holding an image file.  0 when unknown.
 */
static dev_t source_dev(const struct kt_xml_disk *x)
{
	struct stat st;

	if ((x->type != KT_SRC_FILE && x->type != KT_SRC_BLOCK) ||
	    x->source[0] != '/' || stat(x->source, &st) != 0)
		return 0;
	return S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
}

static int disk_templates(const struct kt_domxml *x, struct dev_entry *e)
{
	size_t i;

	if (x->n_disks == 0)
		return 0;
	if ((e->blks = calloc(x->n_disks, sizeof(*e->blks))) == NULL)
		return -ENOMEM;
	for (i = 0; i < x->n_disks; i++) {
		const struct kt_xml_disk *d = &x->disks[i];
		bool local = d->type == KT_SRC_FILE || d->type == KT_SRC_BLOCK;
		struct blk_tmpl *b = &e->blks[e->n_blks];

		b->target = kt_str_new(d->target);
		/* The MIB's source is a host path: none for network disks. */
		b->source = kt_str_new(local ? d->source : "");
		e->n_blks++;
		if (b->target == NULL || b->source == NULL)
			return -ENOMEM;
		b->host_dev = source_dev(d);
	}
	return 0;
}

static int iface_templates(const struct kt_domxml *x, struct dev_entry *e)
{
	size_t i;

	if (x->n_ifs == 0)
		return 0;
	if ((e->ifs = calloc(x->n_ifs, sizeof(*e->ifs))) == NULL)
		return -ENOMEM;
	for (i = 0; i < x->n_ifs; i++) {
		struct if_tmpl *f = &e->ifs[e->n_ifs++];

		memcpy(f->mac, x->ifs[i].mac, sizeof(f->mac));
		f->name = kt_str_new(x->ifs[i].name);
		f->model = kt_str_new(x->ifs[i].model);
		if (f->name == NULL || f->model == NULL)
			return -ENOMEM;
	}
	return 0;
}

static const char *last_error(void)
{
	virErrorPtr err = virGetLastError();

	return err != NULL && err->message != NULL ? err->message
						   : "unknown error";
}

/*
 * Reads and parses the XML description of @dom into @e's templates.
 * Returns 0, -EIO when it could not be read or parsed (logged), -ENOMEM.
 */
static int entry_refresh(struct kt_dev_cache *c, virDomainPtr dom,
			 struct dev_entry *e)
{
	struct kt_domxml x;
	char *xml;
	int r;

	entry_clear_devices(e);
	c->xml_reads++;
	/* Flags 0: what a read-only connection may ask for. */
	if ((xml = virDomainGetXMLDesc(dom, 0)) == NULL) {
		kt_log_debug("libvirt", "VM %s: no XML description: %s",
			     e->uuid, last_error());
		return -EIO;
	}
	r = kt_domxml_parse(xml, strlen(xml), &x);
	free(xml);
	if (r == -EINVAL) {
		kt_log_warn("libvirt", "VM %s: malformed XML description",
			    e->uuid);
		return -EIO;
	}
	if (r == 0 && ((r = disk_templates(&x, e)) != 0 ||
		       (r = iface_templates(&x, e)) != 0))
		entry_clear_devices(e);
	kt_domxml_clear(&x);
	return r;
}

/* ---- per-domain calls, for drivers without bulk device stats ---- */

/* A long long counter of the old API: -1 means not supported. */
static void take_ll(long long v, uint64_t *dst, uint32_t *present, uint32_t bit)
{
	if (v < 0)
		return;
	*dst = (uint64_t)v;
	*present |= bit;
}

static int blk_fallback(virDomainPtr dom, struct kt_blk *b)
{
	virDomainBlockStatsStruct bs;
	virDomainBlockInfo info;
	int r = 0;

	if (virDomainBlockStats(dom, b->target, &bs, sizeof(bs)) == 0) {
		take_ll(bs.rd_req, &b->st.rd_reqs, &b->present, KT_BLK_RD_REQS);
		take_ll(bs.rd_bytes, &b->st.rd_bytes, &b->present,
			KT_BLK_RD_BYTES);
		take_ll(bs.wr_req, &b->st.wr_reqs, &b->present, KT_BLK_WR_REQS);
		take_ll(bs.wr_bytes, &b->st.wr_bytes, &b->present,
			KT_BLK_WR_BYTES);
	} else {
		r = -EIO;
	}
	if (virDomainGetBlockInfo(dom, b->target, &info, 0) == 0) {
		b->capacity = info.capacity;
		b->allocation = info.allocation;
		b->physical = info.physical;
		b->present |= KT_BLK_INFO;
	} else {
		r = -EIO;
	}
	return r;
}

static int if_fallback(virDomainPtr dom, struct kt_iface *f)
{
	virDomainInterfaceStatsStruct s;

	if (virDomainInterfaceStats(dom, f->name, &s, sizeof(s)) != 0)
		return -EIO;
	/* A partial set would make sums that look complete: all or none. */
	if (s.rx_bytes < 0 || s.rx_packets < 0 || s.rx_errs < 0 ||
	    s.rx_drop < 0 || s.tx_bytes < 0 || s.tx_packets < 0 ||
	    s.tx_errs < 0 || s.tx_drop < 0)
		return 0;
	f->st = (struct kt_if_stats){
		(uint64_t)s.rx_bytes, (uint64_t)s.rx_packets,
		(uint64_t)s.rx_errs,  (uint64_t)s.rx_drop,
		(uint64_t)s.tx_bytes, (uint64_t)s.tx_packets,
		(uint64_t)s.tx_errs,  (uint64_t)s.tx_drop,
	};
	f->has_stats = true;
	return 0;
}

/* ---- a domain's rows ---- */

static const struct bulk_blk *bulk_blk_find(const struct bulk *b,
					    const char *name)
{
	size_t i;

	for (i = 0; i < b->n_blk; i++)
		if (b->blk[i].name != NULL && strcmp(b->blk[i].name, name) == 0)
			return &b->blk[i];
	return NULL;
}

static const struct bulk_net *bulk_net_find(const struct bulk *b,
					    const char *name)
{
	size_t i;

	for (i = 0; i < b->n_net; i++)
		if (b->net[i].name != NULL && strcmp(b->net[i].name, name) == 0)
			return &b->net[i];
	return NULL;
}

/* The values of one disk: from the bulk record, or asked for. */
static void blk_values(virDomainPtr dom, const struct bulk *b,
		       struct kt_blk *blk, bool *failed)
{
	const struct bulk_blk *e;

	if (b->has_blk) {
		if ((e = bulk_blk_find(b, blk->target)) != NULL) {
			blk->present = e->v.present;
			blk->capacity = e->v.capacity;
			blk->allocation = e->v.allocation;
			blk->physical = e->v.physical;
			blk->st = e->v.st;
		}
	} else if (blk_fallback(dom, blk) != 0) {
		kt_log_debug("libvirt", "disk %s: %s", blk->target,
			     last_error());
		*failed = true;
	}
	blk->has_info = (blk->present & KT_BLK_INFO) != 0;
	blk->has_stats = (blk->present & KT_BLK_STATS) != 0;
}

static void if_values(virDomainPtr dom, const struct bulk *b,
		      struct kt_iface *f, bool *failed)
{
	const struct bulk_net *e;

	if (f->name[0] == '\0')
		return; /* no host device: nothing to ask for */
	if (b->has_net) {
		e = bulk_net_find(b, f->name);
		if (e != NULL && e->present == NET_ALL) {
			f->st = e->st;
			f->has_stats = true;
		}
	} else if (if_fallback(dom, f) != 0) {
		kt_log_debug("libvirt", "interface %s: %s", f->name,
			     last_error());
		*failed = true;
	}
}

static int copy_blks(const struct dev_entry *e, struct kt_domain *d)
{
	size_t i;

	d->has_blks = true;
	if (e->n_blks == 0)
		return 0;
	d->blks = kt_pool_calloc(d->pool, e->n_blks, sizeof(*d->blks));
	if (d->blks == NULL)
		return -ENOMEM;
	for (i = 0; i < e->n_blks; i++) {
		struct kt_blk *b = &d->blks[d->n_blks++];

		b->target = kt_str_ref(e->blks[i].target);
		b->source = kt_str_ref(e->blks[i].source);
		b->host_dev = e->blks[i].host_dev;
	}
	return 0;
}

static int copy_ifs(const struct dev_entry *e, struct kt_domain *d)
{
	size_t i;

	d->has_ifs = true;
	if (e->n_ifs == 0)
		return 0;
	d->ifs = kt_pool_calloc(d->pool, e->n_ifs, sizeof(*d->ifs));
	if (d->ifs == NULL)
		return -ENOMEM;
	for (i = 0; i < e->n_ifs; i++) {
		struct kt_iface *f = &d->ifs[d->n_ifs++];

		memcpy(f->mac, e->ifs[i].mac, sizeof(f->mac));
		f->name = kt_str_ref(e->ifs[i].name);
		f->model = kt_str_ref(e->ifs[i].model);
	}
	return 0;
}

/* The cache entry of @d, read again when stale; NULL when unreadable. */
static struct dev_entry *fresh_entry(struct kt_dev_cache *c, virDomainPtr dom,
				     const struct bulk *b,
				     const struct kt_domain *d, int *r)
{
	unsigned int id = virDomainGetID(dom);
	uint64_t sig = bulk_sig(b);
	struct dev_entry *e;
	bool created;

	*r = 0;
	if ((e = entry_get(c, d->uuid, &created)) == NULL) {
		*r = -ENOMEM;
		return NULL;
	}
	e->seen = true;
	if (!created && e->id == id && e->sig == sig)
		return e;
	e->id = id;
	e->sig = sig;
	if ((*r = entry_refresh(c, dom, e)) == 0)
		return e;
	/* Read it again next cycle rather than serve an empty list. */
	e->id = (unsigned int)-1;
	return NULL;
}

/*
 * Whether a bulk record carried counters for at least one of the disks.
 * When the domain had disks and none has counters, libvirt could not ask
 * QEMU: the domain's job was taken (by a call still blocked on a QEMU that
 * does not answer, or a long job such as a migration) and the record holds
 * only what needs no QEMU (with VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT),
 * or the monitor query failed.  One odd disk without counters is not that.
 */
static bool any_blk_stats(const struct kt_domain *d)
{
	size_t i;

	for (i = 0; i < d->n_blks; i++)
		if (d->blks[i].has_stats)
			return true;
	return d->n_blks == 0;
}

static int fill_devices(virDomainPtr dom, const struct bulk *b,
			const struct dev_entry *e, unsigned collectors,
			struct kt_domain *d)
{
	size_t i;
	int r;

	if ((collectors & KT_COLLECT_DISK) != 0) {
		if ((r = copy_blks(e, d)) != 0)
			return r;
		for (i = 0; i < d->n_blks; i++)
			blk_values(dom, b, &d->blks[i], &d->dev_failed);
		if (b->has_blk && !any_blk_stats(d))
			d->dev_failed = true;
	}
	if ((collectors & KT_COLLECT_NET) != 0) {
		if ((r = copy_ifs(e, d)) != 0)
			return r;
		for (i = 0; i < d->n_ifs; i++)
			if_values(dom, b, &d->ifs[i], &d->dev_failed);
	}
	return 0;
}

int kt_dev_collect(struct kt_dev_cache *c, virDomainPtr dom,
		   const virDomainStatsRecordPtr rec, unsigned collectors,
		   struct kt_domain *d)
{
	const struct dev_entry *e;
	struct bulk b;
	int r;

	if ((collectors & (KT_COLLECT_DISK | KT_COLLECT_NET)) == 0)
		return 0;
	if ((r = bulk_parse(rec, &b)) != 0)
		return r;
	e = fresh_entry(c, dom, &b, d, &r);
	if (e != NULL)
		r = fill_devices(dom, &b, e, collectors, d);
	else if (r == -EIO)
		d->dev_failed = true;
	bulk_free(&b);
	if (r == -EIO)
		return 0;
	if (r != 0)
		kt_domain_clear_devices(d);
	return r;
}
