/*
 * The host's network interface attributes, kept across cycles (ifattr.h).
 *
 * The entries live in a dense array; an open-addressing hash table of
 * their positions (4 bytes a slot, kept at most half full) finds them by
 * name.  An interface that vanished becomes a tombstone for the rest of the
 * cycle; both are rebuilt at the start of a cycle that follows one with
 * vanished or unused interfaces, so they never hold more than two cycles'
 * worth.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collect/ifattr.h"
#include "collect/procfs.h"
#include "log.h"

/* The kernel's IFNAMSIZ: longer names (a fixture's) are not kept. */
#define NAME_SIZE 16
#define MIN_SLOTS 64

struct entry {
	char name[NAME_SIZE];
	bool dead;	  /* gone from sysfs (a tombstone) */
	uint64_t used;	  /* the last cycle that asked for it */
	uint64_t checked; /* the last cycle that stat()ed it */
	uint64_t read_ns; /* when its attributes were read */
	dev_t dev;	  /* the sysfs node they were read from */
	ino_t ino;
	struct kt_ifattr a;
};

struct kt_ifattr_cache {
	int sysfd;
	struct entry *v; /* dense */
	size_t n, cap;
	uint32_t *slots; /* position + 1 in v, 0: free */
	size_t n_slots;	 /* a power of two, at least 2 n */
	uint64_t cycle;
	uint64_t now_ns;
	unsigned long reads;
};

int kt_ifattr_cache_new(int sysfd, struct kt_ifattr_cache **out)
{
	struct kt_ifattr_cache *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (c == NULL ||
	    (c->slots = calloc(MIN_SLOTS, sizeof(*c->slots))) == NULL) {
		free(c);
		return -ENOMEM;
	}
	c->sysfd = sysfd;
	c->n_slots = MIN_SLOTS;
	*out = c;
	return 0;
}

void kt_ifattr_cache_free(struct kt_ifattr_cache *c)
{
	if (c == NULL)
		return;
	free(c->v);
	free(c->slots);
	free(c);
}

unsigned long kt_ifattr_reads(const struct kt_ifattr_cache *c)
{
	return c->reads;
}

/* ---- the table ---- */

static size_t hash_name(const char *s)
{
	uint64_t h = 14695981039346656037ull; /* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

/* The slot of @name in @slots, or the free slot where it would go. */
static uint32_t *slot_of(const struct entry *v, uint32_t *slots,
			 size_t n_slots, const char *name)
{
	size_t i = hash_name(name) & (n_slots - 1);

	while (slots[i] != 0 && strcmp(v[slots[i] - 1].name, name) != 0)
		i = (i + 1) & (n_slots - 1);
	return &slots[i];
}

static struct entry *find(struct kt_ifattr_cache *c, const char *name)
{
	uint32_t pos = *slot_of(c->v, c->slots, c->n_slots, name);

	return pos != 0 ? &c->v[pos - 1] : NULL;
}

/*
 * Keeps the live entries asked for since cycle @since, with a table of
 * @n_slots slots; on failure (memory) everything stays as it was.
 */
static int rebuild(struct kt_ifattr_cache *c, size_t n_slots, uint64_t since)
{
	uint32_t *slots = calloc(n_slots, sizeof(*slots));
	size_t i, kept = 0;

	if (slots == NULL)
		return -ENOMEM;
	for (i = 0; i < c->n; i++) {
		const struct entry *e = &c->v[i];

		if (e->dead || e->used < since)
			continue;
		c->v[kept] = *e;
		*slot_of(c->v, slots, n_slots, e->name) = (uint32_t)++kept;
	}
	free(c->slots);
	c->slots = slots;
	c->n_slots = n_slots;
	c->n = kept;
	return 0;
}

void kt_ifattr_cycle(struct kt_ifattr_cache *c, uint64_t now_ns)
{
	size_t i, stale = 0;

	c->now_ns = now_ns;
	for (i = 0; i < c->n; i++)
		if (c->v[i].dead || c->v[i].used < c->cycle)
			stale++;
	if (stale != 0)
		(void)rebuild(c, c->n_slots, c->cycle);
	c->cycle++;
}

/* A new entry for @name; NULL when memory ran out. */
static struct entry *add(struct kt_ifattr_cache *c, const char *name)
{
	struct entry *e;

	if (c->n == c->cap) {
		size_t ncap = c->cap != 0 ? c->cap * 2 : 32;

		if ((e = realloc(c->v, ncap * sizeof(*e))) == NULL)
			return NULL;
		c->v = e;
		c->cap = ncap;
	}
	if ((c->n + 1) * 2 > c->n_slots &&
	    rebuild(c, c->n_slots * 2, 0) != 0)
		return NULL;
	e = &c->v[c->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	*slot_of(c->v, c->slots, c->n_slots, name) = (uint32_t)++c->n;
	return e;
}

/* ---- sysfs ---- */

static bool safe_name(const char *name)
{
	size_t len = strlen(name);

	return len != 0 && len < NAME_SIZE && strchr(name, '/') == NULL &&
	       strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* SYSFS/class/net/@name/@attr as a number; whole only with its newline. */
static int read_attr(int sysfd, const char *name, const char *attr,
		     uint64_t *v)
{
	char rel[NAME_SIZE + 32], buf[32];
	ssize_t len;

	snprintf(rel, sizeof(rel), "class/net/%s/%s", name, attr);
	len = kt_read_text_at(sysfd, rel, buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	return kt_parse_u64_line(buf, (size_t)len, v);
}

static bool has_entry(int sysfd, const char *name, const char *entry)
{
	char rel[NAME_SIZE + 32];
	struct stat st;

	snprintf(rel, sizeof(rel), "class/net/%s/%s", name, entry);
	return fstatat(sysfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* The first entry that exists decides, in the MIB's order. */
static enum kt_net_type net_type(int sysfd, const char *name)
{
	if (has_entry(sysfd, name, "device"))
		return KT_NET_PHYSICAL;
	if (has_entry(sysfd, name, "bridge"))
		return KT_NET_BRIDGE;
	if (has_entry(sysfd, name, "tun_flags"))
		return KT_NET_TAP;
	return KT_NET_OTHER;
}

/* Reads the attributes of @name into @a; -errno without a usable ifindex. */
static int read_attrs(int sysfd, const char *name, struct kt_ifattr *a)
{
	uint64_t v;
	int r;

	memset(a, 0, sizeof(*a));
	if ((r = read_attr(sysfd, name, "ifindex", &v)) != 0 || v == 0 ||
	    v > INT32_MAX) {
		kt_log_debug("sysfs", "class/net/%s/ifindex: %s", name,
			     r != 0 ? strerror(-r) : "out of range");
		return r != 0 ? r : -ERANGE;
	}
	a->ifindex = (uint32_t)v;
	/* -1 or EINVAL (a link that is down): unknown, quietly. */
	if (read_attr(sysfd, name, "speed", &v) == 0 && v <= UINT32_MAX) {
		a->has_speed = true;
		a->speed_mbps = (uint32_t)v;
	}
	a->type = net_type(sysfd, name);
	return 0;
}

/* Whether @e still describes the sysfs node @st, recently enough. */
static bool still_valid(const struct kt_ifattr_cache *c, const struct entry *e,
			const struct stat *st)
{
	return !e->dead && e->dev == st->st_dev && e->ino == st->st_ino &&
	       c->now_ns - e->read_ns < KT_IFATTR_MAX_AGE_NS;
}

const struct kt_ifattr *kt_ifattr_get(struct kt_ifattr_cache *c,
				      const char *name)
{
	char rel[NAME_SIZE + 16];
	struct kt_ifattr a;
	struct entry *e;
	struct stat st;

	if (c == NULL || !safe_name(name))
		return NULL;
	e = find(c, name);
	if (e != NULL && !e->dead && e->checked == c->cycle) {
		e->used = c->cycle;
		return &e->a;
	}
	snprintf(rel, sizeof(rel), "class/net/%s", name);
	if (fstatat(c->sysfd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (e != NULL)
			e->dead = true; /* gone */
		return NULL;
	}
	if (e != NULL && still_valid(c, e, &st)) {
		e->checked = e->used = c->cycle;
		return &e->a;
	}
	c->reads++;
	if (read_attrs(c->sysfd, name, &a) != 0) {
		if (e != NULL)
			e->dead = true;
		return NULL;
	}
	if (e == NULL && (e = add(c, name)) == NULL)
		return NULL; /* out of memory: not kept */
	e->dead = false;
	e->a = a;
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	e->read_ns = c->now_ns;
	e->checked = e->used = c->cycle;
	return &e->a;
}
