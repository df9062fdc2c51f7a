/*
 * The host collector: a flat list of readers, each filling one part of
 * struct kt_host from files below the procfs and sysfs roots (directory
 * fds opened once), then the rates of that part against the previous cycle.
 * A reader that fails leaves its part invalid or empty; it never stops the
 * others.  A file that every Linux host has and that cannot be used
 * (missing, empty, malformed, cut short) is a complaint, one per file
 * (log.h's back-off): a warning at once, then rarer and rarer while it
 * lasts.  Files that some hosts lack (PSI, cpufreq, the DMI UUID, which
 * only root may read) get a debug line.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "collect/host_collect.h"
#include "collect/host_parse.h"
#include "collect/procfs.h"
#include "clock.h"
#include "log.h"
#include "collectors.h"
#include "sorted.h"

#define SUBSYS "host"

/*
 * diskstats, net/dev and cpuinfo grow with the host (a line per device,
 * per tap, a paragraph per CPU); their buffer grows to fit and is kept.
 */
#define BIG_BUF_MIN (64u * 1024)
#define BIG_BUF_MAX (64u * 1024 * 1024)
#define SMALL_BUF 512

/* The files whose trouble is a complaint, and their names in it. */
enum host_file {
	HF_HOSTNAME,
	HF_STAT,
	HF_CPUINFO,
	HF_MEMINFO,
	HF_DISKSTATS,
	HF_NETDEV,
	HF_PSI_CPU,
	HF_PSI_IO,
	HF_PSI_MEMORY,
	HF_N
};

static const char *const host_files[HF_N] = {
	[HF_HOSTNAME] = "sys/kernel/hostname",
	[HF_STAT] = "stat",
	[HF_CPUINFO] = "cpuinfo",
	[HF_MEMINFO] = "meminfo",
	[HF_DISKSTATS] = "diskstats",
	[HF_NETDEV] = "net/dev",
	[HF_PSI_CPU] = "pressure/cpu",
	[HF_PSI_IO] = "pressure/io",
	[HF_PSI_MEMORY] = "pressure/memory",
};

struct kt_host_collector {
	int proc_fd; /* procfs root */
	int sys_fd;  /* sysfs root */
	char *buf;   /* for the files that grow with the host */
	size_t size;
	/*
	 * Never released with a "recovered" line: a file that is damaged
	 * every other cycle would log twice a cycle.
	 */
	struct kt_complaint bad[HF_N];
};

/* ---- set-up ---- */

static int open_root(const char *path, const char *what)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		int r = -errno;

		kt_log_err(SUBSYS, "cannot open the %s root %s: %s", what, path,
			   strerror(-r));
		return r;
	}
	return fd;
}

int kt_host_collector_new(const char *procfs, const char *sysfs,
			  struct kt_host_collector **out)
{
	struct kt_host_collector *hc = NULL;
	int r;

	*out = NULL;
	if (procfs == NULL || sysfs == NULL)
		return -EINVAL;
	if ((hc = calloc(1, sizeof(*hc))) == NULL)
		return -ENOMEM;
	hc->proc_fd = hc->sys_fd = -1;
	hc->size = BIG_BUF_MIN;
	if ((r = open_root(procfs, "procfs")) < 0)
		goto out;
	hc->proc_fd = r;
	if ((r = open_root(sysfs, "sysfs")) < 0)
		goto out;
	hc->sys_fd = r;
	*out = hc;
	hc = NULL;
	r = 0;
out:
	kt_host_collector_free(hc);
	return r;
}

void kt_host_collector_free(struct kt_host_collector *hc)
{
	if (hc == NULL)
		return;
	if (hc->proc_fd >= 0)
		close(hc->proc_fd);
	if (hc->sys_fd >= 0)
		close(hc->sys_fd);
	free(hc->buf);
	free(hc);
}

/* ---- reading ---- */

static void log_unreadable(const char *root, const char *rel, int r)
{
	kt_log_debug(SUBSYS, "%s/%s: %s", root, rel, strerror(-r));
}

/* PROCFS/@f could not be used (all or part of it, as @what says). */
static void complain(struct kt_host_collector *hc, enum host_file f,
		     const char *what)
{
	kt_complain(&hc->bad[f], SUBSYS, "PROCFS/%s: %s", host_files[f], what);
}

/*
 * The complete lines of a file of @len bytes in @buf: a last line without
 * its newline was cut short, and its last number may be half of one.
 * Returns their length; @cut says whether a partial line was dropped.
 */
static size_t whole_lines(const char *buf, size_t len, bool *cut)
{
	size_t n = kt_complete_lines(buf, len);

	*cut = n < len;
	return n;
}

/* "N malformed lines left out" and/or "cut short", for a complaint. */
static void complain_lines(struct kt_host_collector *hc, enum host_file f,
			   size_t bad, bool cut)
{
	char what[128];

	if (bad == 0 && !cut)
		return;
	if (bad == 0)
		snprintf(what, sizeof(what), "%s: its last line left out",
			 kt_read_strerror(-EBADMSG));
	else
		snprintf(what, sizeof(what), "%zu malformed line%s left out%s",
			 bad, bad == 1 ? "" : "s",
			 cut ? ", and the last one: cut short" : "");
	complain(hc, f, what);
}

/*
 * A whole file into hc->buf, growing it while the file does not fit.  The
 * buffer lives for one collection (release_buf()); its size, the one that
 * fitted, stays for the next.
 */
static ssize_t read_big(struct kt_host_collector *hc, int dirfd,
			const char *rel)
{
	ssize_t r;
	char *p;

	if (hc->buf == NULL && (hc->buf = malloc(hc->size)) == NULL)
		return -ENOMEM;
	for (;;) {
		r = kt_read_file_at(dirfd, rel, hc->buf, hc->size);
		if (r != -EFBIG || hc->size >= BIG_BUF_MAX)
			return r;
		if ((p = realloc(hc->buf, hc->size * 2)) == NULL)
			return -ENOMEM;
		hc->buf = p;
		hc->size *= 2;
	}
}

/*
 * The head of a file: one read.  /proc/stat's cpu line is its first, and
 * the rest (a line per CPU, the interrupt counts) can be large.
 */
static ssize_t read_head(int dirfd, const char *rel, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if ((fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return -errno;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		n = -errno;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* A sysfs file of one unsigned number: 0, -ENODATA ("-1") or an error. */
static int read_u64_at(int dirfd, const char *rel, uint64_t *v)
{
	char buf[64];
	ssize_t n;

	*v = 0;
	if ((n = kt_read_text_at(dirfd, rel, buf, sizeof(buf))) < 0)
		return (int)n;
	return kt_parse_sysfs_u64(buf, (size_t)n, v);
}

/* Whether the entry exists; a symbolic link counts even when dangling. */
static bool exists_at(int dirfd, const char *rel)
{
	struct stat st;

	return fstatat(dirfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Splits [p, end) at the next newline; returns the line's end. */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl : end;
}

static size_t count_lines(const char *p, size_t len)
{
	const char *end = p + len;
	size_t n = 0;

	for (; p < end; p = line_end(p, end) + 1)
		n++;
	return n;
}

/* Round half up, exact for any 128-bit operands (den > 0). */
static uint64_t ratio(unsigned __int128 num, unsigned __int128 den)
{
	unsigned __int128 q = num / den;

	if (2 * (num % den) >= den)
		q++;
	return q > UINT64_MAX ? UINT64_MAX : (uint64_t)q;
}

static uint32_t sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* ---- files of one row a line ---- */

/*
 * How the rows of a file of one row a line (diskstats, net/dev) are read:
 * @keep parses a line into @row and says whether it is a row of ours (a
 * malformed line adds to @bad); @cmp orders the rows by their key.
 */
struct row_file {
	enum host_file f;
	size_t size; /* of a row */
	bool (*keep)(void *ctx, const char *p, const char *end, void *row,
		     size_t *bad);
	int (*cmp)(const void *a, const void *b);
};

/* Sorted by @cmp; of rows with one key only the first stays. */
static size_t sort_unique(char *rows, size_t n, size_t size,
			  int (*cmp)(const void *a, const void *b))
{
	size_t i, k = 0;

	qsort(rows, n, size, cmp);
	for (i = 0; i < n; i++)
		if (k == 0 ||
		    cmp(rows + i * size, rows + (k - 1) * size) != 0) {
			if (k != i)
				memcpy(rows + k * size, rows + i * size, size);
			k++;
		}
	return k;
}

/*
 * The rows of @rf's file, sorted and unique, in an array the caller frees
 * (NULL when there is none).  An unusable file is a complaint and no rows.
 * Returns 0, or -ENOMEM with no rows.
 */
static int read_rows(struct kt_host_collector *hc, const struct row_file *rf,
		     void *ctx, void **rows_out, size_t *n_out)
{
	ssize_t len = read_big(hc, hc->proc_fd, host_files[rf->f]);
	const char *p, *end, *le;
	size_t n = 0, bad = 0;
	char *rows;
	bool cut;

	*rows_out = NULL;
	*n_out = 0;
	if (len <= 0) {
		complain(hc, rf->f,
			 kt_read_strerror(len < 0 ? (int)len : -ENODATA));
		return 0;
	}
	len = (ssize_t)whole_lines(hc->buf, (size_t)len, &cut);
	end = hc->buf + len;
	if ((rows = calloc(count_lines(hc->buf, (size_t)len) + 1, rf->size)) ==
	    NULL)
		return -ENOMEM;
	for (p = hc->buf; p < end; p = le + 1) {
		le = line_end(p, end);
		if (rf->keep(ctx, p, le, rows + n * rf->size, &bad))
			n++;
	}
	complain_lines(hc, rf->f, bad, cut);
	if ((n = sort_unique(rows, n, rf->size, rf->cmp)) == 0) {
		free(rows);
		return 0;
	}
	*rows_out = rows;
	*n_out = n;
	return 0;
}

/* ---- identity ---- */

static void collect_identity(struct kt_host_collector *hc, struct kt_host *h)
{
	char buf[SMALL_BUF];
	ssize_t n;

	n = kt_read_text_at(hc->proc_fd, host_files[HF_HOSTNAME], buf,
			    sizeof(buf));
	if (n >= 0 && kt_parse_hostname(buf, (size_t)n, h->hostname,
					sizeof(h->hostname)) != 0)
		n = -EINVAL;
	if (n < 0)
		complain(hc, HF_HOSTNAME, kt_read_strerror((int)n));
	/* Root-only on most hosts: unreadable is the usual case, not news. */
	n = kt_read_file_at(hc->sys_fd, "devices/virtual/dmi/id/product_uuid",
			    buf, sizeof(buf));
	if (n < 0)
		log_unreadable("SYSFS", "devices/virtual/dmi/id/product_uuid",
			       (int)n);
	else if (kt_parse_dmi_uuid(buf, (size_t)n, h->uuid) != 0)
		kt_log_debug(SUBSYS, "SYSFS/.../product_uuid: malformed");
}

/* ---- CPU ---- */

/*
 * Shares of the ticks that passed.  The total is user + nice + system +
 * idle + iowait + irq + softirq + steal: the kernel already counts guest
 * time inside user and guest_nice inside nice (account_guest_time()), so
 * adding them again would count that time twice.
 */
static void cpu_rates(struct kt_host_cpu *c, const struct kt_host_cpu *p)
{
	uint64_t delta[KT_CPU_NFIELDS], total = 0;
	unsigned i;

	if (p == NULL || !p->valid || p->nfields != c->nfields)
		return;
	for (i = 0; i < c->nfields; i++) {
		if (c->ticks[i] < p->ticks[i])
			return; /* a counter went down: no rate */
		delta[i] = c->ticks[i] - p->ticks[i];
		if (i <= KT_CPU_STEAL)
			total += delta[i];
	}
	if (total == 0)
		return; /* no tick passed: nothing to divide */
	for (i = 0; i < c->nfields; i++)
		c->pct[i] = sat32(
			ratio((unsigned __int128)delta[i] * 10000, total));
	c->has_rate = true;
}

/*
 * Only the complete lines of the head count: the cpu line comes first and
 * ends with a newline, in a file that was cut short as in a whole one.
 */
static void collect_stat(struct kt_host_collector *hc, struct kt_host_cpu *c)
{
	char buf[4096];
	ssize_t n;
	bool cut;

	if ((n = read_head(hc->proc_fd, "stat", buf, sizeof(buf))) <= 0) {
		complain(hc, HF_STAT,
			 kt_read_strerror(n < 0 ? (int)n : -ENODATA));
		return;
	}
	n = (ssize_t)whole_lines(buf, (size_t)n, &cut);
	if (kt_parse_stat_cpu(buf, (size_t)n, c->ticks, &c->nfields) != 0) {
		complain(hc, HF_STAT, "no complete, well-formed cpu line");
		return;
	}
	c->valid = true;
}

static void collect_cores(struct kt_host_collector *hc, struct kt_host_cpu *c)
{
	ssize_t n = read_big(hc, hc->proc_fd, "cpuinfo");

	if (n < 0) {
		complain(hc, HF_CPUINFO, kt_read_strerror((int)n));
		return;
	}
	c->cores = kt_parse_cpuinfo_count(hc->buf, (size_t)n);
}

/* "cpu" and digits only: cpu0, cpu17; not cpufreq, cpuidle. */
static bool is_cpu_dir(const char *name)
{
	const char *p = name + 3;

	if (strncmp(name, "cpu", 3) != 0 || *p == '\0')
		return false;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* The three kHz values of one CPU; false when any is missing. */
static bool cpu_freqs(int dirfd, const char *cpu, uint64_t khz[3])
{
	static const char *const files[3] = { "scaling_cur_freq",
					      "cpuinfo_min_freq",
					      "cpuinfo_max_freq" };
	char rel[NAME_MAX + 32];
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(rel, sizeof(rel), "%s/cpufreq/%s", cpu, files[i]);
		if (read_u64_at(dirfd, rel, &khz[i]) != 0)
			return false;
	}
	return true;
}

/*
 * Mean of the current frequencies, lowest minimum, highest maximum, over
 * the CPUs that have all three (kHz in sysfs, MHz out).
 */
static void collect_freq(struct kt_host_collector *hc, struct kt_host_cpu *c)
{
	uint64_t khz[3], sum = 0, lo = UINT64_MAX, hi = 0, n = 0;
	struct dirent *e;
	DIR *d;
	int fd;

	fd = openat(hc->sys_fd, "devices/system/cpu",
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		log_unreadable("SYSFS", "devices/system/cpu", -errno);
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_cpu_dir(e->d_name) ||
		    !cpu_freqs(dirfd(d), e->d_name, khz))
			continue;
		sum += khz[0];
		lo = khz[1] < lo ? khz[1] : lo;
		hi = khz[2] > hi ? khz[2] : hi;
		n++;
	}
	closedir(d);
	if (n == 0)
		return; /* no cpufreq: a VM, a container, or no driver */
	c->has_freq = true;
	c->cur_mhz = sat32(ratio(sum, (unsigned __int128)n * 1000));
	c->min_mhz = sat32(ratio(lo, 1000));
	c->max_mhz = sat32(ratio(hi, 1000));
}

static void collect_cpu(struct kt_host_collector *hc, struct kt_host_cpu *c,
			const struct kt_host *prev)
{
	collect_stat(hc, c);
	if (c->valid)
		cpu_rates(c, prev != NULL ? &prev->cpu : NULL);
	collect_cores(hc, c);
	collect_freq(hc, c);
}

/* A meminfo cut short keeps its complete lines; a malformed one none. */
static void collect_mem(struct kt_host_collector *hc, struct kt_meminfo *m)
{
	ssize_t n = read_big(hc, hc->proc_fd, "meminfo");
	bool cut;

	if (n < 0) {
		complain(hc, HF_MEMINFO, kt_read_strerror((int)n));
		return;
	}
	n = (ssize_t)whole_lines(hc->buf, (size_t)n, &cut);
	if (kt_parse_meminfo(hc->buf, (size_t)n, m) != 0)
		complain(hc, HF_MEMINFO,
			 n == 0 ? kt_read_strerror(cut ? -EBADMSG : -ENODATA)
				: "malformed");
	else
		complain_lines(hc, HF_MEMINFO, 0, cut);
}

/* ---- block devices ---- */

static bool is_vm_dev(const struct kt_host_disk *d, const dev_t *devs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (major(devs[i]) == d->major && minor(devs[i]) == d->minor)
			return true;
	return false;
}

/*
 * A whole disk with hardware behind it has SYSFS/block/NAME/device;
 * partitions are not in SYSFS/block at all, and loop, dm and md devices
 * have no device link.  sysfs spells a '/' of the kernel's name as '!'
 * (cciss/c0d0 is block/cciss!c0d0).
 */
static bool is_physical(int sys_fd, const char *name)
{
	size_t i, len = strlen(name);
	char rel[64];

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	snprintf(rel, sizeof(rel), "block/%s/device", name);
	for (i = 6; i < 6 + len; i++)
		if (rel[i] == '/')
			rel[i] = '!';
	return exists_at(sys_fd, rel);
}

static uint32_t disk_index(struct kt_index_map *map, const char *name,
			   size_t position)
{
	char key[64];

	if (map == NULL)
		return (uint32_t)position;
	snprintf(key, sizeof(key), "host/disk/%s", name);
	return kt_index_get(map, key);
}

static int cmp_disk(const void *a, const void *b)
{
	const struct kt_host_disk *x = a, *y = b;

	return kt_cmp_u32(x->index, y->index);
}

/* The same device one cycle earlier: by index (same map), then by name. */
static const struct kt_host_disk *prev_disk(const struct kt_host *prev,
					    const struct kt_host_disk *d)
{
	const struct kt_host_disk *p;
	size_t i;

	if (prev == NULL || prev->n_disks == 0)
		return NULL;
	p = kt_sorted_find(d, prev->disks, prev->n_disks, sizeof(*d), cmp_disk);
	if (p != NULL && strcmp(p->name, d->name) == 0)
		return p;
	for (i = 0; i < prev->n_disks; i++)
		if (strcmp(prev->disks[i].name, d->name) == 0)
			return &prev->disks[i];
	return NULL;
}

static bool disk_went_down(const struct kt_host_disk *d,
			   const struct kt_host_disk *p)
{
	return d->reads < p->reads || d->reads_merged < p->reads_merged ||
	       d->writes < p->writes || d->writes_merged < p->writes_merged ||
	       d->io_ms < p->io_ms || d->weighted_ms < p->weighted_ms;
}

/*
 * kvmtop's definitions (the DESCRIPTIONs of kvmtopHostDiskTable in
 * mibs/KVMTOP-MIB.txt):
 *   ioutil      = d(io_ms) / interval, 0.01 %, at most 100 %
 *   queue size  = d(weighted_ms) / interval, 0.01 requests
 *   queue time  = d(weighted_ms) / (d(ops) + d(in_flight)), µs; absent
 *                 unless the divisor is > 0 (in_flight may go down)
 *   service time = d(io_ms) / d(ops), µs; absent when no request completed
 * where ops = reads + reads merged + writes + writes merged.
 */
static void disk_rates(struct kt_host_disk *d, const struct kt_host_disk *p,
		       uint64_t interval_ns)
{
	unsigned __int128 ops;
	__int128 div;
	uint64_t io, w;

	if (p == NULL || interval_ns == 0 || disk_went_down(d, p))
		return;
	io = d->io_ms - p->io_ms;
	w = d->weighted_ms - p->weighted_ms;
	ops = (unsigned __int128)(d->reads - p->reads) +
	      (d->reads_merged - p->reads_merged) + (d->writes - p->writes) +
	      (d->writes_merged - p->writes_merged);
	d->ioutil = sat32(
		ratio((unsigned __int128)io * 1000000 * 10000, interval_ns));
	if (d->ioutil > 10000)
		d->ioutil = 10000; /* io_ms and our clock tick apart */
	d->queue_size =
		sat32(ratio((unsigned __int128)w * 1000000 * 100, interval_ns));
	div = (__int128)ops + (__int128)d->in_flight - (__int128)p->in_flight;
	if (div > 0) {
		d->queue_time_us = sat32(ratio((unsigned __int128)w * 1000,
					       (unsigned __int128)div));
		d->has_queue_time = true;
	}
	if (ops > 0) {
		d->service_time_us =
			sat32(ratio((unsigned __int128)io * 1000, ops));
		d->has_service_time = true;
	}
	d->has_rate = true;
}

/* What disk_line() needs besides the line. */
struct disk_lines {
	struct kt_host_collector *hc;
	struct kt_index_map *map;
	const dev_t *vm_devs;
	size_t n_vm_devs;
	size_t kept; /* rows so far: a row's index when there is no map */
};

/* A diskstats line: a VM's device or a physical disk, with an index. */
static bool disk_line(void *ctx, const char *p, const char *end, void *row,
		      size_t *bad)
{
	struct disk_lines *x = ctx;
	struct kt_host_disk *d = row;

	if (kt_parse_diskstats_line(p, (size_t)(end - p), d) != 0) {
		(*bad)++;
		return false;
	}
	if (!is_vm_dev(d, x->vm_devs, x->n_vm_devs) &&
	    !is_physical(x->hc->sys_fd, d->name))
		return false;
	if ((d->index = disk_index(x->map, d->name, x->kept + 1)) == 0) {
		kt_log_debug(SUBSYS, "no index for disk %s", d->name);
		return false;
	}
	x->kept++;
	return true;
}

/* Sorted by index; a repeated index (a repeated name) keeps the first. */
static const struct row_file disk_file = {
	HF_DISKSTATS,
	sizeof(struct kt_host_disk),
	disk_line,
	cmp_disk,
};

static int collect_disks(struct kt_host_collector *hc, struct kt_index_map *map,
			 const dev_t *vm_devs, size_t n_vm_devs,
			 const struct kt_host *prev, uint64_t interval_ns,
			 struct kt_host *h)
{
	struct disk_lines x = { hc, map, vm_devs, n_vm_devs, 0 };
	void *rows;
	size_t i;
	int r;

	if ((r = read_rows(hc, &disk_file, &x, &rows, &h->n_disks)) != 0)
		return r;
	h->disks = rows;
	for (i = 0; i < h->n_disks; i++)
		disk_rates(&h->disks[i], prev_disk(prev, &h->disks[i]),
			   interval_ns);
	return 0;
}

/* ---- network interfaces ---- */

/* ifindex, speed and type from sysfs; false without a usable ifindex. */
static bool net_sysfs(struct kt_ifattr_cache *ifattrs, struct kt_host_net *n)
{
	const struct kt_ifattr *a = kt_ifattr_get(ifattrs, n->name);

	if (a == NULL)
		return false;
	n->ifindex = a->ifindex;
	n->has_speed = a->has_speed;
	n->speed_mbps = a->speed_mbps;
	n->type = a->type;
	return true;
}

/* A net/dev line: an interface with an ifindex in sysfs (@ctx's cache). */
static bool net_line(void *ctx, const char *p, const char *end, void *row,
		     size_t *bad)
{
	struct kt_host_net *n = row;

	/* The two header lines ("Inter-|   Receive ...") have bars. */
	if (memchr(p, '|', (size_t)(end - p)) != NULL)
		return false;
	if (kt_parse_netdev_line(p, (size_t)(end - p), n) != 0) {
		(*bad)++;
		return false;
	}
	/* A name that is no single path component (a fixture's) is unknown. */
	if (strcmp(n->name, "lo") == 0)
		return false;
	return net_sysfs(ctx, n);
}

static int cmp_net(const void *a, const void *b)
{
	const struct kt_host_net *x = a, *y = b;

	return kt_cmp_u32(x->ifindex, y->ifindex);
}

/*
 * Sorted by ifindex.  Two lines with one ifindex happen only when an
 * interface was renamed or replaced between our reads: keep the first.
 */
static const struct row_file net_file = {
	HF_NETDEV,
	sizeof(struct kt_host_net),
	net_line,
	cmp_net,
};

static int collect_nets(struct kt_host_collector *hc,
			struct kt_ifattr_cache *ifattrs, struct kt_host *h)
{
	void *rows;
	int r = read_rows(hc, &net_file, ifattrs, &rows, &h->n_nets);

	h->nets = rows;
	return r;
}

/* ---- pressure ---- */

/* One pressure file; a cut one keeps its complete line. */
static void collect_psi_file(struct kt_host_collector *hc, enum host_file f,
			     struct kt_psi_line out[KT_PSI_NKINDS])
{
	const char *rel = host_files[f];
	char buf[SMALL_BUF];
	ssize_t n;
	bool cut;

	n = kt_read_file_at(hc->proc_fd, rel, buf, sizeof(buf));
	/* Absent before 4.20, or EOPNOTSUPP when booted with psi=0. */
	if (n == -ENOENT || n == -EOPNOTSUPP) {
		log_unreadable("PROCFS", rel, (int)n);
		return;
	}
	if (n <= 0) {
		complain(hc, f, kt_read_strerror(n < 0 ? (int)n : -ENODATA));
		return;
	}
	n = (ssize_t)whole_lines(buf, (size_t)n, &cut);
	if (kt_parse_psi(buf, (size_t)n, out) != 0)
		complain(hc, f,
			 n == 0 ? kt_read_strerror(-EBADMSG) : "malformed");
	else
		complain_lines(hc, f, 0, cut);
}

static void collect_psi(struct kt_host_collector *hc, struct kt_host *h)
{
	collect_psi_file(hc, HF_PSI_CPU, h->psi[KT_PSI_CPU]);
	collect_psi_file(hc, HF_PSI_IO, h->psi[KT_PSI_IO]);
	collect_psi_file(hc, HF_PSI_MEMORY, h->psi[KT_PSI_MEMORY]);
}

/* ---- the cycle ---- */

/* Frees and zeroes @h but for the VM counts, which the caller owns. */
static void host_reset(struct kt_host *h)
{
	uint32_t running = h->vms_running, paused = h->vms_paused;
	uint32_t shutdown = h->vms_shutdown, other = h->vms_other;

	kt_host_clear(h);
	h->vms_running = running;
	h->vms_paused = paused;
	h->vms_shutdown = shutdown;
	h->vms_other = other;
}

/* The interfaces with @ifattrs, or with a cache of this call only. */
static int collect_nets_with(struct kt_host_collector *hc,
			     struct kt_ifattr_cache *ifattrs, struct kt_host *h)
{
	struct kt_ifattr_cache *own = NULL;
	int r;

	if (ifattrs == NULL) {
		if (kt_ifattr_cache_new(hc->sys_fd, &own) != 0)
			return -ENOMEM;
		kt_ifattr_cycle(own, kt_mono_ns());
	}
	r = collect_nets(hc, ifattrs != NULL ? ifattrs : own, h);
	kt_ifattr_cache_free(own);
	return r;
}

/*
 * /proc/net/dev alone is 230 KB with 2000 taps (1000 VMs), which the
 * process has no use for between collections: a buffer that size is
 * mapped on its own (collector.c), so freeing it gives it back.
 */
static void release_buf(struct kt_host_collector *hc)
{
	free(hc->buf);
	hc->buf = NULL;
}

int kt_host_collect(struct kt_host_collector *hc, unsigned collectors,
		    struct kt_index_map *map, struct kt_ifattr_cache *ifattrs,
		    const dev_t *vm_devs, size_t n_vm_devs,
		    const struct kt_host *prev, uint64_t interval_ns,
		    struct kt_host *out)
{
	int r = 0;

	host_reset(out);
	if (collectors & KT_COLLECT_HOST) {
		out->valid = true;
		collect_identity(hc, out);
		collect_cpu(hc, &out->cpu, prev);
		collect_mem(hc, &out->mem);
	}
	if ((collectors & KT_COLLECT_DISK) &&
	    collect_disks(hc, map, vm_devs, n_vm_devs, prev, interval_ns,
			  out) != 0)
		r = -ENOMEM;
	if ((collectors & KT_COLLECT_NET) &&
	    collect_nets_with(hc, ifattrs, out) != 0)
		r = -ENOMEM;
	if (collectors & KT_COLLECT_PSI)
		collect_psi(hc, out);
	release_buf(hc);
	return r;
}
