/*
 * The persistent key -> index map behind every table index (see index.h).
 *
 * In memory: an open-addressing hash table (linear probing, at most 3/4
 * full) from key to index, so lookups cost O(1) however many VMs and
 * devices a host has.  Keys are only removed in bulk (expiry, once a
 * counted day at most), so the keys live one after another in one growing
 * buffer (the key store), each after the day it was last seen, and a slot
 * names its key by offset: 8 bytes a slot and no malloc per key, about
 * half the memory of a strdup'd key and a pointer each.  Expiry that
 * removes keys builds a new table and a compacted store from the keys
 * that stay: the bytes of forgotten keys go back at once.
 * On disk: a text file, rewritten whole through a temporary file and a
 * rename, so a crash leaves either the old or the new file, never half.
 * A damaged file does not stop the agent: what can be read of it is used,
 * and the file is kept under another name before a save replaces it.
 *
 * The agent runs as root, so its directory must be one no one else can
 * plant a name in: every load and save opens it without following a
 * symbolic link and checks that the agent's user owns it and that group
 * and others cannot write to it (kt_index_dir_open()), then works relative
 * to that open directory; the state file is opened without following a
 * link, and the temporary one is created under a random name with
 * O_EXCL|O_NOFOLLOW, mode 0600.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index.h"

#define KT_INDEX_HEADER "# kvmtop-snmp index map v2"
/* What version 1 wrote: read, never written. */
#define KT_INDEX_HEADER_V1 "# kvmtop-snmp index map v1"
#define KT_INDEX_MIN_CAP 16
/* PATH.bad, PATH.bad.1 ... PATH.bad.9: where damaged files are kept. */
#define KT_INDEX_BAD_NAMES 10
/* "next" when every index up to UINT32_MAX has been handed out. */
#define KT_INDEX_EXHAUSTED ((uint64_t)UINT32_MAX + 1)

/* Offsets into the key store are 32-bit: it holds at most 4 GiB. */
#define KT_INDEX_KEYS_MAX ((size_t)UINT32_MAX)
#define KT_INDEX_MIN_KEYS 1024

/*
 * A key's record in the store: the day it was last seen (unaligned, so
 * copied with memcpy) and the key with its NUL.  4 bytes a key rather
 * than in every slot (2.7 slots a key just after the table doubled).
 */
#define KT_SEEN_SIZE sizeof(uint32_t)
/* SEEN of a line that has none (v1) while loading; never a real day. */
#define KT_SEEN_NONE UINT32_MAX
/* The day counter stops there (it would take 11 million years). */
#define KT_DAY_MAX (UINT32_MAX - 1)
/* No date yet: a new map, a v1 file, or a day line that was bad. */
#define KT_NO_DATE (-1)
/* Dates are written with 4-digit years: 1970-01-01 .. 9999-12-31. */
#define KT_LAST_DATE 2932896
#define KT_SECONDS_PER_DAY 86400

struct slot {
	uint32_t key;	/* offset of the key in the key store */
	uint32_t index; /* 0 (never handed out): an empty slot */
};

/* Every record (SEEN, key, NUL), in the order they came. */
struct key_store {
	char *buf;
	size_t len;
	size_t cap;
};

struct kt_index_map {
	char *path;	  /* NULL: a map without a file (kt_index_new()) */
	char *dir;	  /* the directory part of path ("." when none) */
	const char *base; /* the file's name in it, within path */
	struct slot *slots;
	size_t cap; /* a power of two */
	size_t count;
	struct key_store keys;
	uint64_t next; /* lowest index never handed out, 1..2^32 */
	uint32_t day;  /* D: days on which the agent ran, counted */
	int64_t date;  /* UTC day (since 1970) D last moved on, or KT_NO_DATE */
	bool swept;    /* kt_index_expire() has looked at every key... */
	uint32_t swept_day; /* ...at this D */
	uint32_t swept_age; /* ...with this max_age */
	bool dirty;
	struct kt_index_load load;
	bool keep_pending; /* damaged, not kept yet (kt_index_keep_damaged) */
	char *kept;	   /* where it was kept, NULL until then */
};

/* Indexes seen while loading, to drop a line that repeats one. */
struct index_set {
	uint32_t *v; /* 0: empty (indexes are >= 1) */
	size_t cap;  /* a power of two */
	size_t count;
};

/* errno as a return value; never 0, so a failure cannot read as success. */
static int neg_errno(void)
{
	return errno != 0 ? -errno : -EIO;
}

/* FNV-1a: short keys, no adversary (the keys come from libvirt). */
static uint64_t key_hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Printable ASCII without whitespace, so a key is one token on its line. */
static bool key_char_ok(char c)
{
	return c >= 0x21 && c <= 0x7e;
}

static bool key_valid(const char *key)
{
	size_t n;

	if (key == NULL)
		return false;
	for (n = 0; key[n] != '\0'; n++) {
		if (n >= KT_INDEX_KEY_MAX || !key_char_ok(key[n]))
			return false;
	}
	return n > 0;
}

/*
 * Appends the record of @key, seen on day @seen, to @ks.  Its offset in
 * *@off, or -ENOMEM.  Grows by an eighth when full: at most 1/9 of it is
 * unused, and each byte is copied about 8 times over the map's life (keys
 * come once each, with a new VM or device), which costs little.
 */
static int store_key(struct key_store *ks, const char *key, uint32_t seen,
		     uint32_t *off)
{
	size_t n = KT_SEEN_SIZE + strlen(key) + 1, ncap;
	char *nbuf;

	if (n > KT_INDEX_KEYS_MAX - ks->len)
		return -ENOMEM;
	if (ks->len + n > ks->cap) {
		ncap = ks->cap < KT_INDEX_MIN_KEYS ? KT_INDEX_MIN_KEYS
						   : ks->cap + ks->cap / 8;
		/* An eighth of a small buffer is less than a long key. */
		if (ncap < ks->len + n)
			ncap = ks->len + n;
		if (ncap > KT_INDEX_KEYS_MAX)
			ncap = KT_INDEX_KEYS_MAX;
		if ((nbuf = realloc(ks->buf, ncap)) == NULL)
			return -ENOMEM;
		ks->buf = nbuf;
		ks->cap = ncap;
	}
	memcpy(ks->buf + ks->len, &seen, KT_SEEN_SIZE);
	memcpy(ks->buf + ks->len + KT_SEEN_SIZE, key, n - KT_SEEN_SIZE);
	*off = (uint32_t)ks->len;
	ks->len += n;
	return 0;
}

static const char *slot_key(const struct key_store *ks, const struct slot *s)
{
	return ks->buf + s->key + KT_SEEN_SIZE;
}

static uint32_t slot_seen(const struct key_store *ks, const struct slot *s)
{
	uint32_t seen;

	memcpy(&seen, ks->buf + s->key, KT_SEEN_SIZE);
	return seen;
}

static void set_seen(struct key_store *ks, const struct slot *s, uint32_t seen)
{
	memcpy(ks->buf + s->key, &seen, KT_SEEN_SIZE);
}

/* The slot holding @key, or the empty slot where it would go. */
static struct slot *find_slot(const struct key_store *ks, struct slot *slots,
			      size_t cap, const char *key)
{
	size_t i = key_hash(key) & (cap - 1);

	while (slots[i].index != 0 && strcmp(slot_key(ks, &slots[i]), key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(struct kt_index_map *m)
{
	struct slot *nslots, *s;
	size_t ncap = m->cap * 2, i;

	if (ncap < m->cap || (nslots = calloc(ncap, sizeof(*nslots))) == NULL)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].index == 0)
			continue;
		s = find_slot(&m->keys, nslots, ncap,
			      slot_key(&m->keys, &m->slots[i]));
		*s = m->slots[i];
	}
	free(m->slots);
	m->slots = nslots;
	m->cap = ncap;
	return 0;
}

/* Adds @key, which must be valid and absent, with @index >= 1. */
static int insert(struct kt_index_map *m, const char *key, uint32_t index,
		  uint32_t seen)
{
	struct slot *s;
	uint32_t off;
	int r;

	/*
	 * At most 3/4 full: linear probing still finds a key in about 2.5
	 * probes on average (a miss in about 8), in a table half the size
	 * a half-full one needs.
	 */
	if ((m->count + 1) * 4 > m->cap * 3 && (r = grow(m)) != 0)
		return r;
	if ((r = store_key(&m->keys, key, seen, &off)) != 0)
		return r;
	s = find_slot(&m->keys, m->slots, m->cap, key);
	s->key = off;
	s->index = index;
	m->count++;
	return 0;
}

/* Where @x is in @v, or the empty slot where it would go. */
static size_t set_pos(const uint32_t *v, size_t cap, uint32_t x)
{
	/* Multiplicative hashing; the high half depends on every bit of x. */
	size_t i = (size_t)((x * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);

	while (v[i] != 0 && v[i] != x)
		i = (i + 1) & (cap - 1);
	return i;
}

/* Adds @x (>= 1): 1 if it was new, 0 if already there, or -ENOMEM. */
static int set_add(struct index_set *set, uint32_t x)
{
	uint32_t *nv;
	size_t i, ncap;

	if ((set->count + 1) * 2 > set->cap) {
		ncap = set->cap == 0 ? KT_INDEX_MIN_CAP : set->cap * 2;
		if ((nv = calloc(ncap, sizeof(*nv))) == NULL)
			return -ENOMEM;
		for (i = 0; i < set->cap; i++) {
			if (set->v[i] != 0)
				nv[set_pos(nv, ncap, set->v[i])] = set->v[i];
		}
		free(set->v);
		set->v = nv;
		set->cap = ncap;
	}
	i = set_pos(set->v, set->cap, x);
	if (set->v[i] == x)
		return 0;
	set->v[i] = x;
	set->count++;
	return 1;
}

/*
 * A decimal number of 1..10 digits at *@sp, as a whole token (followed by
 * a space, a tab or the end).  Advances *@sp past it.  -1 when not one.
 */
static int64_t parse_number(const char **sp)
{
	const char *s = *sp;
	int64_t v = 0;
	size_t n;

	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++) {
		if (n == 10)
			return -1;
		v = v * 10 + (s[n] - '0');
	}
	if (n == 0 || (s[n] != '\0' && s[n] != ' ' && s[n] != '\t'))
		return -1;
	*sp = s + n;
	return v;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/*
 * Notes that a line named @index: it was handed out once, so it is never
 * handed out again, and no later line may claim it.  1 when it is new to
 * the file, 0 when an earlier line named it, or -ENOMEM.
 */
static int reserve(struct kt_index_map *m, struct index_set *seen,
		   uint32_t index)
{
	if ((uint64_t)index + 1 > m->next)
		m->next = (uint64_t)index + 1;
	return set_add(seen, index);
}

/* "next N" (the "next" already consumed): true when well-formed. */
static bool load_next(struct kt_index_map *m, const char *s)
{
	int64_t v;

	s = skip_blanks(s);
	if ((v = parse_number(&s)) < 1 || v > (int64_t)KT_INDEX_EXHAUSTED ||
	    *skip_blanks(s) != '\0')
		return false;
	if ((uint64_t)v > m->next)
		m->next = (uint64_t)v;
	return true;
}

/*
 * "YYYY-MM-DD" and nothing but blanks after it: the UTC day number in
 * *@date.  timegm() normalizes what it is given, so a date that does not
 * exist (02-30) comes back as another one and is refused.
 */
static bool parse_date(const char *s, int64_t *date)
{
	static const char shape[] = "dddd-dd-dd";
	int v[3] = { 0, 0, 0 }, part = 0;
	struct tm tm = { 0 };
	time_t t;
	size_t i;

	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == '-' ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return false;
		if (shape[i] == '-')
			part++;
		else
			v[part] = v[part] * 10 + (s[i] - '0');
	}
	if (*skip_blanks(s + i) != '\0' || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > 31)
		return false;
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	t = timegm(&tm);
	if (t < 0 || tm.tm_year != v[0] - 1900 || tm.tm_mon != v[1] - 1 ||
	    tm.tm_mday != v[2])
		return false;
	*date = (int64_t)t / KT_SECONDS_PER_DAY;
	return true;
}

/*
 * "D YYYY-MM-DD" (the "day" consumed): true when well-formed and the
 * first such line.
 */
static bool load_day(struct kt_index_map *m, const char *s)
{
	int64_t day, date;

	s = skip_blanks(s);
	if ((day = parse_number(&s)) < 0 || day > KT_DAY_MAX ||
	    !parse_date(skip_blanks(s), &date) || m->date != KT_NO_DATE)
		return false;
	m->day = (uint32_t)day;
	m->date = date;
	return true;
}

/*
 * "INDEX KEY SEEN", or "INDEX KEY" (v1; SEEN is settled once D is known:
 * settle_seen()): 1 when added, 0 when skipped (malformed, or a repeat of
 * an earlier line's index or of an earlier kept line's key), -ENOMEM.
 */
static int load_entry(struct kt_index_map *m, struct index_set *seen,
		      char *line)
{
	int64_t v, when = KT_SEEN_NONE;
	const char *s = line;
	char *key, *end;
	int r;

	if ((v = parse_number(&s)) < 1 || v > UINT32_MAX)
		return 0;
	if ((r = reserve(m, seen, (uint32_t)v)) <= 0)
		return r;
	key = line + (skip_blanks(s) - line);
	for (end = key; key_char_ok(*end); end++)
		;
	s = skip_blanks(end);
	if (*s != '\0' && ((when = parse_number(&s)) < 0 || when > KT_DAY_MAX ||
			   *skip_blanks(s) != '\0'))
		return 0;
	*end = '\0';
	if (!key_valid(key) || kt_index_peek(m, key) != 0)
		return 0;
	r = insert(m, key, (uint32_t)v, (uint32_t)when);
	return r != 0 ? r : 1;
}

/* "WORD" followed by a blank at the start of @line. */
static bool keyword(const char *line, const char *word)
{
	size_t n = strlen(word);

	return strncmp(line, word, n) == 0 &&
	       (line[n] == ' ' || line[n] == '\t');
}

/*
 * One line of @n bytes.  A line that lacks its '\n' is the end of a torn
 * write (its key may be cut short): skipped, but its index stays used.
 */
static int load_line(struct kt_index_map *m, struct index_set *seen, char *line,
		     size_t n)
{
	const char *s = line;
	int64_t v;
	int r = 0;

	if (line[n - 1] != '\n' || memchr(line, '\0', n) != NULL) {
		if ((v = parse_number(&s)) >= 1 && v <= UINT32_MAX)
			r = reserve(m, seen, (uint32_t)v);
		m->load.skipped++;
		return r < 0 ? r : 0;
	}
	line[n - 1] = '\0';
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (keyword(line, "next")) {
		if (!load_next(m, line + 4))
			m->load.skipped++;
		return 0;
	}
	if (keyword(line, "day")) {
		if (!load_day(m, line + 3))
			m->load.skipped++;
		return 0;
	}
	if ((r = load_entry(m, seen, line)) == 0)
		m->load.skipped++;
	return r < 0 ? r : 0;
}

static bool is_header(const char *line, size_t n)
{
	static const char header[] = KT_INDEX_HEADER "\n";
	static const char header_v1[] = KT_INDEX_HEADER_V1 "\n";

	return (n == sizeof(header) - 1 && memcmp(line, header, n) == 0) ||
	       (n == sizeof(header_v1) - 1 && memcmp(line, header_v1, n) == 0);
}

/*
 * Once the whole file is read, and with it D: a key without SEEN (a v1
 * line) or with one above D (see index.h) counts as seen at D.
 */
static void settle_seen(struct kt_index_map *m)
{
	uint32_t seen;
	size_t i;

	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].index == 0)
			continue;
		seen = slot_seen(&m->keys, &m->slots[i]);
		if (seen <= m->day)
			continue;
		if (seen != KT_SEEN_NONE)
			m->load.clamped++;
		set_seen(&m->keys, &m->slots[i], m->day);
	}
}

/* Strips trailing slashes (but not a lone one): "dir/" names the link. */
static void strip_slashes(char *dir)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
}

int kt_index_dir_open(const char *dir, struct stat *st)
{
	char *d = strdup(dir);
	int fd, r;

	memset(st, 0, sizeof(*st));
	if (d == NULL)
		return -ENOMEM;
	strip_slashes(d);
	fd = open(d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	r = fd < 0 ? neg_errno() : 0;
	/* O_NOFOLLOW on a link gives either, by kernel and type. */
	if ((r == -ENOTDIR || r == -ELOOP) && lstat(d, st) == 0 &&
	    S_ISLNK(st->st_mode))
		r = -ELOOP;
	free(d);
	if (r != 0)
		return r;
	if (fstat(fd, st) != 0)
		r = neg_errno();
	else if (st->st_uid != geteuid() || (st->st_mode & 022) != 0)
		r = -EPERM;
	if (r != 0) {
		close(fd);
		return r;
	}
	return fd;
}

/* The state file for reading, not through a link; NULL with errno. */
static FILE *open_state_file(const struct kt_index_map *m)
{
	struct stat st;
	FILE *f;
	int dirfd, fd, e;

	if ((dirfd = kt_index_dir_open(m->dir, &st)) < 0) {
		errno = -dirfd;
		return NULL;
	}
	/* O_NONBLOCK: a FIFO in its place must not stop the agent. */
	fd = openat(dirfd, m->base,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	e = errno;
	close(dirfd);
	if (fd < 0) {
		errno = e;
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

/*
 * Reads what it can.  An error (EACCES, EIO, EISDIR...) ends the reading
 * but not the load: the lines before it are used, their indexes retired.
 */
static int load_file(struct kt_index_map *m)
{
	struct index_set seen = { NULL, 0, 0 };
	struct kt_index_load *l = &m->load;
	char *line = NULL;
	size_t size = 0;
	ssize_t n;
	FILE *f;
	int r = 0;

	if ((f = open_state_file(m)) == NULL) {
		if (errno == ENOENT)
			l->missing = true;
		else if (errno == ENOMEM)
			return -ENOMEM;
		else
			l->read_errno = -neg_errno();
		return 0;
	}
	while ((n = getline(&line, &size, f)) > 0) {
		if (l->lines++ == 0)
			l->no_header = !is_header(line, (size_t)n);
		if ((r = load_line(m, &seen, line, (size_t)n)) != 0)
			goto out;
	}
	/* getline() fails without EOF or a stream error only for memory. */
	if (ferror(f))
		l->read_errno = -neg_errno();
	else if (!feof(f))
		r = -ENOMEM;
	if (l->lines == 0)
		l->no_header = true;
	settle_seen(m);
out:
	free(line);
	free(seen.v);
	fclose(f);
	return r;
}

/* m->dir and m->base from m->path. */
static int set_dir(struct kt_index_map *m)
{
	char *slash = strrchr(m->path, '/');

	if (slash == NULL) {
		m->base = m->path;
		m->dir = strdup(".");
	} else {
		m->base = slash + 1;
		m->dir = slash == m->path
				 ? strdup("/")
				 : strndup(m->path, (size_t)(slash - m->path));
	}
	return m->dir != NULL && *m->base != '\0' ? 0 : -EINVAL;
}

int kt_index_new(struct kt_index_map **out)
{
	struct kt_index_map *m;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->slots = calloc(KT_INDEX_MIN_CAP, sizeof(*m->slots))) == NULL) {
		kt_index_close(m);
		return -ENOMEM;
	}
	m->cap = KT_INDEX_MIN_CAP;
	m->next = 1;
	m->date = KT_NO_DATE;
	m->load.missing = true;
	*out = m;
	return 0;
}

int kt_index_open(const char *path, struct kt_index_map **out)
{
	struct kt_index_map *m = NULL;
	int r = -ENOMEM;

	if (out == NULL)
		return -EINVAL;
	*out = NULL;
	if (path == NULL || *path == '\0')
		return -EINVAL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto out;
	if ((m->path = strdup(path)) == NULL || set_dir(m) != 0 ||
	    (m->slots = calloc(KT_INDEX_MIN_CAP, sizeof(*m->slots))) == NULL)
		goto out;
	m->cap = KT_INDEX_MIN_CAP;
	m->next = 1;
	m->date = KT_NO_DATE;
	if ((r = load_file(m)) != 0)
		goto out;
	m->keep_pending = kt_index_damaged(m);
	*out = m;
	m = NULL;
out:
	kt_index_close(m);
	return r;
}

const struct kt_index_load *kt_index_load_report(const struct kt_index_map *m)
{
	return m != NULL ? &m->load : NULL;
}

bool kt_index_damaged(const struct kt_index_map *m)
{
	const struct kt_index_load *l = kt_index_load_report(m);

	return l != NULL && !l->missing &&
	       (l->read_errno != 0 || l->no_header || l->skipped != 0);
}

/* The @n-th name a damaged @path may be kept under (malloc'd), or NULL. */
static char *bad_name(const char *path, int n)
{
	char *name = NULL;
	int r = n == 0 ? asprintf(&name, "%s.bad", path)
		       : asprintf(&name, "%s.bad.%d", path, n);

	return r < 0 ? NULL : name;
}

/*
 * Gives @path the free name @name as well (a hard link), or instead of its
 * own (a rename) where it cannot be linked.  -ENOENT: @path is gone.
 */
static int set_aside(int dirfd, const char *path, const char *name)
{
	/* linkat() without AT_SYMLINK_FOLLOW links a symbolic link itself. */
	if (linkat(dirfd, path, dirfd, name, 0) == 0)
		return 0;
	if (errno == ENOENT || errno == EEXIST)
		return neg_errno();
	return renameat(dirfd, path, dirfd, name) == 0 ? 0 : neg_errno();
}

/* The first free name of a damaged file in @dirfd, -errno, or -EEXIST. */
static int free_bad_name(const struct kt_index_map *m, int dirfd, int *n)
{
	struct stat st;
	char *name;
	int i, r;

	for (i = 0; i < KT_INDEX_BAD_NAMES; i++) {
		if ((name = bad_name(m->base, i)) == NULL)
			return -ENOMEM;
		r = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
			    ? 1 /* an earlier damaged file: never replaced */
			    : (errno == ENOENT ? 0 : neg_errno());
		free(name);
		if (r <= 0) {
			*n = i;
			return r;
		}
	}
	return -EEXIST;
}

/* Gives the file the @n-th damaged name in @dirfd; its full path kept. */
static int keep_as(struct kt_index_map *m, int dirfd, int n)
{
	char *name = bad_name(m->base, n), *full = bad_name(m->path, n);
	int r = -ENOMEM;

	if (name != NULL && full != NULL &&
	    (r = set_aside(dirfd, m->base, name)) == 0) {
		free(m->kept);
		m->kept = full;
		full = NULL;
	}
	free(name);
	free(full);
	return r;
}

int kt_index_keep_damaged(struct kt_index_map *m, const char **kept)
{
	struct stat st;
	int dirfd, n = 0, r;

	*kept = NULL;
	if (m == NULL)
		return -EINVAL;
	if (!m->keep_pending)
		return 0;
	if ((dirfd = kt_index_dir_open(m->dir, &st)) < 0)
		return dirfd;
	if ((r = free_bad_name(m, dirfd, &n)) == 0)
		r = keep_as(m, dirfd, n);
	close(dirfd);
	/* A file that vanished since the load needs no keeping. */
	if (r == 0 || r == -ENOENT) {
		m->keep_pending = false;
		m->dirty = true;
		if (r == 0)
			*kept = m->kept;
		r = 0;
	}
	return r;
}

uint32_t kt_index_peek(const struct kt_index_map *m, const char *key)
{
	if (m == NULL || !key_valid(key))
		return 0;
	return find_slot(&m->keys, m->slots, m->cap, key)->index;
}

/*
 * A known key's SEEN changes once a counted day at most, so the file is
 * rewritten about once a day for it, not every cycle.
 */
uint32_t kt_index_get(struct kt_index_map *m, const char *key)
{
	struct slot *s;
	uint32_t index;

	if (m == NULL || !key_valid(key))
		return 0;
	s = find_slot(&m->keys, m->slots, m->cap, key);
	if (s->index != 0) {
		if (slot_seen(&m->keys, s) != m->day) {
			set_seen(&m->keys, s, m->day);
			m->dirty = true;
		}
		return s->index;
	}
	if (m->next >= KT_INDEX_EXHAUSTED)
		return 0;
	index = (uint32_t)m->next;
	if (insert(m, key, index, m->day) != 0)
		return 0;
	m->next++;
	m->dirty = true;
	return index;
}

void kt_index_set_clock(struct kt_index_map *m, int64_t unix_seconds)
{
	int64_t today;

	if (m == NULL || unix_seconds < 0)
		return;
	today = unix_seconds / KT_SECONDS_PER_DAY;
	if (today > KT_LAST_DATE)
		return;
	if (m->date == KT_NO_DATE) {
		m->date = today;
		m->dirty = true;
		return;
	}
	if (today <= m->date)
		return; /* the same day, or the clock went back */
	if (m->day < KT_DAY_MAX)
		m->day++;
	m->date = today;
	m->dirty = true;
}

uint32_t kt_index_day(const struct kt_index_map *m)
{
	return m != NULL ? m->day : 0;
}

/*
 * The last day @s or its VM's key was seen.  The VM's key is the part
 * before the first '/': a UUID for a device's key; "host" for a host
 * disk's, which no key is, so those go by their own.
 */
static uint32_t last_seen(const struct kt_index_map *m, const struct slot *s)
{
	const char *key = slot_key(&m->keys, s), *slash = strchr(key, '/');
	char vm[KT_INDEX_KEY_MAX + 1];
	uint32_t seen = slot_seen(&m->keys, s), vm_seen;
	const struct slot *v;

	if (slash == NULL || slash == key)
		return seen;
	memcpy(vm, key, (size_t)(slash - key));
	vm[slash - key] = '\0';
	v = find_slot(&m->keys, m->slots, m->cap, vm);
	if (v->index != 0 && (vm_seen = slot_seen(&m->keys, v)) > seen)
		seen = vm_seen;
	return seen;
}

static bool expired(const struct kt_index_map *m, const struct slot *s,
		    uint32_t max_age)
{
	return s->index != 0 && m->day - last_seen(m, s) > max_age;
}

/* The smallest table that holds @count keys at most 3/4 full. */
static size_t table_cap(size_t count)
{
	size_t cap = KT_INDEX_MIN_CAP;

	while (count * 4 > cap * 3)
		cap *= 2;
	return cap;
}

/*
 * Replaces the table and the key store with new ones holding only the
 * @count keys (@bytes of records) that have not expired, in a table sized
 * for them and a store without slack.  All or nothing: -ENOMEM leaves the
 * map as it was.
 */
static int compact(struct kt_index_map *m, uint32_t max_age, size_t count,
		   size_t bytes)
{
	struct key_store ks = { NULL, 0, bytes };
	size_t cap = table_cap(count), i, n;
	struct slot *slots, *s;

	if ((slots = calloc(cap, sizeof(*slots))) == NULL ||
	    (bytes > 0 && (ks.buf = malloc(bytes)) == NULL)) {
		free(slots);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].index == 0 || expired(m, &m->slots[i], max_age))
			continue;
		n = KT_SEEN_SIZE + strlen(slot_key(&m->keys, &m->slots[i])) + 1;
		memcpy(ks.buf + ks.len, m->keys.buf + m->slots[i].key, n);
		s = find_slot(&ks, slots, cap,
			      slot_key(&m->keys, &m->slots[i]));
		s->key = (uint32_t)ks.len;
		s->index = m->slots[i].index;
		ks.len += n;
	}
	free(m->slots);
	free(m->keys.buf);
	m->slots = slots;
	m->cap = cap;
	m->keys = ks;
	m->count = count;
	return 0;
}

int kt_index_expire(struct kt_index_map *m, uint32_t max_age, size_t *forgotten)
{
	size_t i, count = 0, bytes = 0;
	int r;

	*forgotten = 0;
	if (m == NULL)
		return -EINVAL;
	if (max_age == 0 ||
	    (m->swept && m->swept_day == m->day && m->swept_age == max_age))
		return 0;
	/* Decided on the map as it is, before anything goes. */
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].index == 0 || expired(m, &m->slots[i], max_age))
			continue;
		count++;
		bytes += KT_SEEN_SIZE +
			 strlen(slot_key(&m->keys, &m->slots[i])) + 1;
	}
	if (count < m->count) {
		*forgotten = m->count - count;
		if ((r = compact(m, max_age, count, bytes)) != 0) {
			*forgotten = 0;
			return r;
		}
		m->dirty = true;
	}
	m->swept = true;
	m->swept_day = m->day;
	m->swept_age = max_age;
	return 0;
}

static int slot_index_cmp(const void *a, const void *b)
{
	const struct slot *sa = a, *sb = b;

	if (sa->index < sb->index)
		return -1;
	return sa->index > sb->index;
}

/* "day D YYYY-MM-DD", when the map has a date (see index.h). */
static int write_day(FILE *f, const struct kt_index_map *m)
{
	time_t t = (time_t)m->date * KT_SECONDS_PER_DAY;
	struct tm tm;

	if (m->date == KT_NO_DATE)
		return 0;
	if (gmtime_r(&t, &tm) == NULL)
		return -EOVERFLOW;
	if (fprintf(f, "day %u %04d-%02d-%02d\n", m->day, tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday) < 0)
		return neg_errno();
	return 0;
}

/* The records, in index order so the file reads like the SNMP table. */
static int write_records(FILE *f, const struct kt_index_map *m)
{
	struct slot *sorted;
	size_t i, n = 0;
	int r = 0;

	if ((sorted = calloc(m->count + 1, sizeof(*sorted))) == NULL)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].index != 0)
			sorted[n++] = m->slots[i];
	}
	if (n > 1)
		qsort(sorted, n, sizeof(*sorted), slot_index_cmp);
	if (fprintf(f, "%s\nnext %llu\n", KT_INDEX_HEADER,
		    (unsigned long long)m->next) < 0)
		r = neg_errno();
	if (r == 0)
		r = write_day(f, m);
	for (i = 0; r == 0 && i < n; i++) {
		if (fprintf(f, "%u %s %u\n", sorted[i].index,
			    slot_key(&m->keys, &sorted[i]),
			    slot_seen(&m->keys, &sorted[i])) < 0)
			r = neg_errno();
	}
	free(sorted);
	return r;
}

/*
 * Creates "BASE.tmp.XXXXXXXX" in @dirfd with a random suffix, as mkstemp()
 * does, but with O_NOFOLLOW as well and mode 0600: nothing that is there
 * already (a link planted by someone, a file left by a crash) is opened.
 * Returns the fd with the name in @tmp, or -errno.
 */
static int create_tmp(const struct kt_index_map *m, int dirfd, char **tmp)
{
	uint64_t rnd;
	int fd = -EEXIST, i;

	*tmp = NULL;
	for (i = 0; i < 16 && fd == -EEXIST; i++) {
		if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
			rnd = (uint64_t)time(NULL) ^
			      ((uint64_t)getpid() << 32) ^ (uint64_t)i;
		free(*tmp);
		if (asprintf(tmp, "%s.tmp.%016llx", m->base,
			     (unsigned long long)rnd) < 0) {
			*tmp = NULL;
			return -ENOMEM;
		}
		fd = openat(dirfd, *tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_CLOEXEC,
			    0600);
		if (fd < 0)
			fd = neg_errno();
	}
	if (fd < 0) {
		free(*tmp);
		*tmp = NULL;
	}
	return fd;
}

/* Writes the records to @fd (closed here) and makes them durable. */
static int write_tmp(const struct kt_index_map *m, int fd)
{
	FILE *f;
	int r;

	if ((f = fdopen(fd, "w")) == NULL) {
		r = neg_errno();
		close(fd);
		return r;
	}
	r = write_records(f, m);
	/* The data must be on disk before the rename makes it the file. */
	if (r == 0 && fflush(f) != 0)
		r = neg_errno();
	if (r == 0 && fsync(fileno(f)) != 0)
		r = neg_errno();
	if (fclose(f) != 0 && r == 0)
		r = neg_errno();
	return r;
}

/* Writes the map through a temporary file renamed over it in @dirfd. */
static int save_in(struct kt_index_map *m, int dirfd)
{
	char *tmp = NULL;
	int fd, r;

	if ((fd = create_tmp(m, dirfd, &tmp)) < 0)
		return fd;
	if ((r = write_tmp(m, fd)) == 0 &&
	    renameat(dirfd, tmp, dirfd, m->base) != 0)
		r = neg_errno();
	if (r != 0)
		unlinkat(dirfd, tmp, 0);
	/* The rename made durable; EINVAL: this file system cannot. */
	else if (fsync(dirfd) != 0 && errno != EINVAL)
		r = neg_errno(); /* in place, but maybe not durable */
	free(tmp);
	return r;
}

int kt_index_save(struct kt_index_map *m)
{
	struct stat st;
	int dirfd, r;

	if (m == NULL)
		return -EINVAL;
	if (!m->dirty || m->path == NULL)
		return 0;
	/* What could not be read may hold indexes: do not lose it unseen. */
	if (m->keep_pending && m->load.read_errno != 0)
		return -EEXIST;
	if ((dirfd = kt_index_dir_open(m->dir, &st)) < 0)
		return dirfd;
	r = save_in(m, dirfd);
	close(dirfd);
	if (r == 0)
		m->dirty = false;
	return r;
}

bool kt_index_dirty(const struct kt_index_map *m)
{
	return m != NULL && m->dirty;
}

size_t kt_index_count(const struct kt_index_map *m)
{
	return m != NULL ? m->count : 0;
}

uint64_t kt_index_next(const struct kt_index_map *m)
{
	return m != NULL ? m->next : 0;
}

const char *kt_index_path(const struct kt_index_map *m)
{
	return m != NULL ? m->path : NULL;
}

size_t kt_index_skipped(const struct kt_index_map *m)
{
	return m != NULL ? m->load.skipped : 0;
}

size_t kt_index_mem(const struct kt_index_map *m)
{
	return m != NULL ? m->cap * sizeof(*m->slots) + m->keys.cap : 0;
}

void kt_index_close(struct kt_index_map *m)
{
	if (m == NULL)
		return;
	free(m->keys.buf);
	free(m->slots);
	free(m->path);
	free(m->dir);
	free(m->kept);
	free(m);
}
