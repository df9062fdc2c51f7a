/*
 * One collection cycle.
 *
 * The collector keeps a tracker per VM across cycles (collector_priv.h):
 * its persistent index, its QEMU process (a directory fd into procfs, so a
 * reused PID is never mistaken for it), its threads' last schedstat values,
 * and cumulative counters.  Cumulative counters only ever grow: a thread
 * that exits keeps what it counted, a new thread adds its whole run time, a
 * restarted QEMU process starts adding from zero.  The same goes for the
 * counters of PID/stat and PID/io and for libvirt's disk and interface
 * counters, per device (counters.h).  So an NMS never sees a Counter64 go
 * backwards while the agent runs.  The sampling of a process is in
 * vm_sample.c, the device rows from libvirt in vm_devices.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "collect/collector.h"
#include "collect/collector_priv.h"
#include "collect/libvirt.h"
#include "collect/qemu.h"
#include "collect/host_collect.h"
#include "collect/vm_devices.h"
#include "collect/vm_ioutil.h"
#include "collect/vm_netdev.h"
#include "index.h"
#include "log.h"
#include "collectors.h"
#include "pool.h"
#include "sorted.h"

/* A VM whose process cannot be found is looked for again after a back-off. */
#define KT_SCAN_BACKOFF_FIRST_NS 1000000000ull
#define KT_SCAN_BACKOFF_MAX_NS (60ull * 1000000000ull)

struct kt_collector {
	char *uri;
	char *procfs;
	unsigned collectors;
	int procfd;
	int sysfd;			 /* sysfs root, -1 when none */
	struct kt_ifattr_cache *ifattrs; /* NULL without sysfs */
	struct kt_sample_ctx sample;
	struct kt_qemu_users users; /* who may own a QEMU process */
	struct kt_libvirt *lv;
	struct kt_host_collector *hc; /* NULL: no host collector runs */
	struct kt_index_map *map;
	uint32_t forget_after; /* days, 0: never (kt_index_expire()) */
	struct kt_complaint save_failed;
	bool state_refused; /* the index map is never saved (open_index_map) */
	struct kt_tracker *trackers; /* sorted by index */
	size_t n_trackers;
	size_t cap_trackers;
	struct kt_snapshot *prev;
	uint64_t seq;
};

/* ---- trackers ---- */

static int cmp_tracker_index(const void *key, const void *tracker)
{
	return kt_cmp_u32(*(const uint32_t *)key,
			  ((const struct kt_tracker *)tracker)->index);
}

static size_t tracker_pos(const struct kt_collector *c, uint32_t index)
{
	return kt_lower_bound(&index, c->trackers, c->n_trackers,
			      sizeof(*c->trackers), cmp_tracker_index);
}

/* The tracker of VM @index, created when new; NULL when memory ran out. */
static struct kt_tracker *tracker_get(struct kt_collector *c, uint32_t index,
				      const char *uuid)
{
	size_t pos = tracker_pos(c, index);
	struct kt_tracker *t;

	if (pos < c->n_trackers && c->trackers[pos].index == index)
		return &c->trackers[pos];
	if (c->n_trackers == c->cap_trackers) {
		size_t ncap = c->cap_trackers != 0 ? c->cap_trackers * 2 : 64;

		t = realloc(c->trackers, ncap * sizeof(*t));
		if (t == NULL)
			return NULL;
		c->trackers = t;
		c->cap_trackers = ncap;
	}
	t = &c->trackers[pos];
	memmove(t + 1, t, (c->n_trackers - pos) * sizeof(*t));
	c->n_trackers++;
	memset(t, 0, sizeof(*t));
	t->index = index;
	memcpy(t->uuid, uuid, sizeof(t->uuid));
	t->piddir = -1;
	return t;
}

/* Forgets the VMs libvirt no longer lists. */
static void trackers_sweep(struct kt_collector *c)
{
	size_t i, kept = 0;

	for (i = 0; i < c->n_trackers; i++) {
		struct kt_tracker *t = &c->trackers[i];

		if (!t->seen) {
			kt_tracker_free(t);
			continue;
		}
		t->seen = false;
		c->trackers[kept++] = *t;
	}
	c->n_trackers = kept;
}

static struct kt_tracker *tracker_find(struct kt_collector *c, uint32_t index)
{
	size_t pos = tracker_pos(c, index);

	if (pos < c->n_trackers && c->trackers[pos].index == index)
		return &c->trackers[pos];
	return NULL;
}

/* ---- the QEMU process of each VM ---- */

static bool needs_scan(const struct kt_tracker *t, uint64_t now)
{
	return t->piddir < 0 && t->next_scan_ns <= now;
}

void kt_tracker_scan_later(struct kt_tracker *t, uint64_t now, uint64_t first)
{
	uint64_t b = t->scan_backoff_ns != 0 ? t->scan_backoff_ns * 2 : first;

	if (b > KT_SCAN_BACKOFF_MAX_NS)
		b = KT_SCAN_BACKOFF_MAX_NS;
	t->scan_backoff_ns = b;
	t->next_scan_ns = now + b;
}

void kt_tracker_refused(struct kt_tracker *t, pid_t pid, uint32_t ruid,
			uint32_t euid, unsigned count)
{
	t->refused += count;
	kt_complain(&t->impostor, "collect",
		    "VM %s: process %d (uid %u, euid %u) carries its -uuid "
		    "but is not root's or a QEMU user's (--qemu-user): "
		    "refused, not taken for its QEMU (%lu refused so far)",
		    t->uuid, (int)pid, (unsigned)ruid, (unsigned)euid,
		    t->refused);
}

/*
 * Finds the processes of the running VMs that have none yet, in one pass
 * over procfs.  Runs only when such a VM exists (and its back-off expired).
 * A process found keeps the back-off: if it is lost soon, the next scan
 * waits (kt_sample_vm()).
 */
static void discover_processes(struct kt_collector *c,
			       const struct kt_snapshot *snap, uint64_t now)
{
	char(*uuids)[KT_UUID_LEN + 1];
	struct kt_qemu_refusal *refused;
	uint32_t *idx;
	pid_t *pids;
	size_t i, n = 0;

	uuids = calloc(snap->n_vms + 1, sizeof(*uuids));
	idx = calloc(snap->n_vms + 1, sizeof(*idx));
	pids = calloc(snap->n_vms + 1, sizeof(*pids));
	refused = calloc(snap->n_vms + 1, sizeof(*refused));
	if (uuids == NULL || idx == NULL || pids == NULL || refused == NULL)
		goto out;
	for (i = 0; i < snap->n_vms; i++) {
		struct kt_tracker *t = tracker_find(c, snap->vms[i].index);

		if (t == NULL || !snap->vms[i].active || !needs_scan(t, now))
			continue;
		memcpy(uuids[n], t->uuid, sizeof(uuids[n]));
		idx[n++] = t->index;
	}
	if (n != 0)
		kt_qemu_discover(c->procfd, &c->users,
				 (const char(*)[KT_UUID_LEN + 1]) uuids, n,
				 pids, refused);
	for (i = 0; i < n; i++) {
		struct kt_tracker *t = tracker_find(c, idx[i]);
		int fd = pids[i] != 0 ? kt_qemu_open(c->procfd, pids[i],
						     &c->users, t->uuid)
				      : -ESRCH;

		if (refused[i].count > 0)
			kt_tracker_refused(t, refused[i].pid, refused[i].ruid,
					   refused[i].euid, refused[i].count);
		if (fd < 0) {
			kt_tracker_scan_later(t, now, KT_SCAN_BACKOFF_FIRST_NS);
			continue;
		}
		t->piddir = fd;
		t->pid = pids[i];
		t->found_ns = now;
	}
out:
	free(refused);
	free(uuids);
	free(idx);
	free(pids);
}

/* ---- the cycle ---- */

/* Moves libvirt's view of @d into row @vm. */
static void fill_identity(struct kt_vm *vm, uint32_t index, struct kt_domain *d)
{
	vm->index = index;
	memcpy(vm->uuid, d->uuid, sizeof(vm->uuid));
	vm->name = d->name;
	vm->pooled = d->pool != NULL;
	d->name = NULL;
	vm->state = d->state;
	vm->active = d->active;
	vm->cpu.vcpus = d->vcpus;
	vm->mem.has_libvirt = d->has_mem;
	vm->mem.max_kib = d->max_kib;
	vm->mem.cur_kib = d->cur_kib;
	vm->data_valid = !d->active; /* a stopped VM has nothing more to read */
}

/* One row per domain, with trackers for each; NULL when memory ran out. */
static struct kt_snapshot *rows_from_domains(struct kt_collector *c,
					     struct kt_domain *doms, size_t n)
{
	struct kt_snapshot *snap = kt_snapshot_new(n);
	size_t i, rows = 0;

	if (snap == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		uint32_t index = kt_index_get(c->map, doms[i].uuid);
		struct kt_tracker *t;

		if (index == 0 ||
		    (t = tracker_get(c, index, doms[i].uuid)) == NULL) {
			kt_log_warn("collect", "VM %s: no index, skipped",
				    doms[i].uuid);
			continue;
		}
		t->seen = true;
		t->dev_failed = doms[i].dev_failed;
		fill_identity(&snap->vms[rows], index, &doms[i]);
		kt_vm_devices_fill(&snap->vms[rows], &doms[i], c->map,
				   c->ifattrs, &t->dev_acc);
		rows++;
	}
	snap->n_vms = rows;
	return snap;
}

/*
 * Whether the kernel's delay accounting is on.  Kernels before 5.14 have no
 * switch (and no file): unknown, so the delay is not served rather than
 * served as a 0 that may be one.
 */
static bool delayacct_on(int procfd)
{
	char buf[32];
	uint64_t v;
	ssize_t len;

	len = kt_read_file_at(procfd, "sys/kernel/task_delayacct", buf,
			      sizeof(buf));
	return len >= 0 && kt_parse_u64_line(buf, (size_t)len, &v) == 0 &&
	       v == 1;
}

static void sample_processes(struct kt_collector *c, struct kt_snapshot *snap,
			     uint64_t now)
{
	size_t i;

	c->sample.now_ns = now;
	discover_processes(c, snap, now);
	if (c->collectors & KT_COLLECT_DISK)
		c->sample.delayacct = delayacct_on(c->procfd);
	for (i = 0; i < snap->n_vms; i++) {
		struct kt_vm *vm = &snap->vms[i];
		struct kt_tracker *t = tracker_find(c, vm->index);

		if (!vm->active) {
			kt_tracker_forget_process(t);
			t->next_scan_ns = 0;
			t->scan_backoff_ns = 0;
			continue;
		}
		if (t->piddir >= 0)
			kt_sample_vm(&c->sample, t, vm);
		if (t->dev_failed)
			vm->data_valid = false;
	}
}

/*
 * Forgets the keys not looked up for too long, after this cycle's lookups
 * (does the work once a counted day).  Out of memory: tried again next
 * cycle, nothing lost.
 */
static void forget_index_keys(struct kt_collector *c)
{
	size_t n;

	if (kt_index_expire(c->map, c->forget_after, &n) != 0)
		kt_log_debug("index", "out of memory: no keys forgotten");
	else if (n > 0)
		kt_log_info("index",
			    "forgot %zu keys not seen for more than %u days", n,
			    c->forget_after);
}

/*
 * Saves the map when it changed; a damaged file is kept aside first (it
 * may have been impossible at start: a read-only file system).  A failure
 * is retried next cycle and the indexes handed out stay in memory.
 */
static void save_index_map(struct kt_collector *c)
{
	const char *what = "save the index map to", *kept;
	int r;

	forget_index_keys(c);
	if (c->state_refused)
		return;
	r = kt_index_keep_damaged(c->map, &kept);

	if (r == 0 && kept != NULL)
		kt_log_info("index", "kept the damaged state file as %s", kept);
	if (r != 0)
		what = "keep aside the damaged state file";
	else
		r = kt_index_save(c->map);
	if (r != 0)
		kt_complain(&c->save_failed, "index",
			    "cannot %s %s: %s (indexes stay valid for this "
			    "run; retrying)",
			    what, kt_index_path(c->map), strerror(-r));
	else
		kt_complain_release(&c->save_failed, "index",
				    "index map saved again");
}

/* A copied row: nothing in it is from this cycle. */
static void mark_stale(struct kt_vm *vm)
{
	size_t i;

	vm->data_valid = false;
	vm->cpu.has_rate = false;
	vm->disk.has_ioutil = false;
	for (i = 0; i < vm->n_vcpus; i++)
		vm->vcpus[i].has_rate = false;
}

/* The last rows again, marked stale: libvirt could not be asked. */
static struct kt_snapshot *stale_copy(const struct kt_snapshot *prev)
{
	struct kt_snapshot *snap;
	size_t i, rows = 0;

	snap = kt_snapshot_new(prev != NULL ? prev->n_vms : 0);
	if (snap == NULL || prev == NULL)
		return snap;
	for (i = 0; i < prev->n_vms; i++) {
		struct kt_vm *vm = &snap->vms[rows];

		if (kt_vm_copy(vm, &prev->vms[i]) != 0)
			continue; /* out of memory: the row is left out */
		mark_stale(vm);
		rows++;
	}
	snap->n_vms = rows;
	return snap;
}

/* The host devices that back VM disks, so their rows are kept. */
static size_t vm_disk_devs(const struct kt_snapshot *snap, dev_t **out)
{
	size_t i, j, n = 0, cap = 0;
	dev_t *v = NULL;

	for (i = 0; i < snap->n_vms; i++)
		cap += snap->vms[i].n_blks;
	if (cap != 0 && (v = calloc(cap, sizeof(*v))) == NULL)
		return 0;
	for (i = 0; i < snap->n_vms; i++)
		for (j = 0; j < snap->vms[i].n_blks; j++)
			if (snap->vms[i].blks[j].host_dev != 0)
				v[n++] = snap->vms[i].blks[j].host_dev;
	*out = v;
	return n;
}

static void count_vm_states(struct kt_snapshot *snap)
{
	struct kt_host *h = &snap->host;
	size_t i;

	h->vms_running = h->vms_paused = h->vms_shutdown = h->vms_other = 0;
	for (i = 0; i < snap->n_vms; i++) {
		switch (snap->vms[i].state) {
		case KT_VM_RUNNING:
			h->vms_running++;
			break;
		case KT_VM_PAUSED:
		case KT_VM_SUSPENDED:
			h->vms_paused++;
			break;
		case KT_VM_SHUTDOWN:
			h->vms_shutdown++;
			break;
		default:
			h->vms_other++;
			break;
		}
	}
}

/*
 * The host around the VMs, with rates against the previous snapshot's
 * host, and the VM disk utilisation that needs both.  Runs whether or not
 * libvirt answered: /proc and /sys do not depend on it.
 */
static void collect_host(struct kt_collector *c, struct kt_snapshot *snap,
			 uint64_t start, bool connected)
{
	const struct kt_snapshot *prev = c->prev;
	dev_t *devs = NULL;
	size_t n_devs;

	if (c->hc == NULL)
		return;
	n_devs = vm_disk_devs(snap, &devs);
	if (kt_host_collect(c->hc, c->collectors, c->map, c->ifattrs, devs,
			    n_devs, prev != NULL ? &prev->host : NULL,
			    prev != NULL ? start - prev->taken_mono_ns : 0,
			    &snap->host) != 0)
		kt_log_debug("collect",
			     "host: out of memory, some rows left out");
	free(devs);
	count_vm_states(snap);
	if (connected)
		kt_vm_disk_ioutil(snap, prev != NULL && prev->libvirt_connected
						? prev
						: NULL);
	if (connected)
		kt_vm_net_taps(snap,
			       prev); /* a stale copy carries the totals */
}

static void finish(struct kt_collector *c, struct kt_snapshot *snap,
		   uint64_t start, bool connected)
{
	struct timespec now;

	snap->seq = ++c->seq;
	snap->taken_mono_ns = start;
	snap->libvirt_connected = connected;
	snap->interval_ns =
		c->prev != NULL ? start - c->prev->taken_mono_ns : 0;
	kt_snapshot_sort(snap);
	kt_snapshot_number_devices(snap);
	/* Rates need two fresh samples: none against a stale copy. */
	if (connected)
		kt_snapshot_compute_rates(
			snap, c->prev != NULL && c->prev->libvirt_connected
				      ? c->prev
				      : NULL);
	snap->finished_mono_ns = kt_mono_ns();
	snap->duration_ns = snap->finished_mono_ns - start;
	clock_gettime(CLOCK_REALTIME, &now);
	snap->finished_unix = now.tv_sec;
	kt_snapshot_unref(c->prev);
	c->prev = kt_snapshot_ref(snap);
}

/*
 * What a cycle used and freed (libvirt's replies, the domain records, the
 * XML of new VMs: megabytes in the first cycle at 1000 VMs) stays in
 * malloc's free lists, and between cycles the process needs none of it:
 * once the snapshot served before is gone too, the pages free as a whole
 * go back to the kernel.  At 1000 VMs that is about 200 KiB a steady
 * cycle, for no CPU we could measure (the snapshots' pieces live in their
 * regions, so the heap has few free chunks left to walk).
 */
void kt_collector_release(struct kt_collector *c, struct kt_snapshot *snap)
{
	(void)c;
	if (kt_snapshot_unref(snap))
		malloc_trim(0);
}

struct kt_snapshot *kt_collector_run(struct kt_collector *c)
{
	uint64_t start = kt_mono_ns();
	struct kt_domain *doms = NULL;
	struct kt_snapshot *snap;
	/* Out of memory for it: rows malloc'd piece by piece instead. */
	struct kt_pool *pool = kt_pool_new();
	size_t n = 0;

	if (c->ifattrs != NULL)
		kt_ifattr_cycle(c->ifattrs, start);

	if (kt_libvirt_list(c->lv, pool, &doms, &n) != 0) {
		kt_pool_free(pool);
		if ((snap = stale_copy(c->prev)) != NULL) {
			collect_host(c, snap, start, false);
			finish(c, snap, start, false);
		}
		return snap;
	}
	/*
	 * Days count only when libvirt answers: an agent cut off from it for
	 * weeks looks nothing up and must not forget every VM for that.
	 */
	kt_index_set_clock(c->map, time(NULL));
	snap = rows_from_domains(c, doms, n);
	kt_domains_free(doms, n);
	if (snap == NULL) {
		kt_pool_free(pool);
		return NULL;
	}
	snap->pool = pool;
	c->sample.pool = pool;
	trackers_sweep(c);
	sample_processes(c, snap, start);
	c->sample.pool = NULL; /* the snapshot's: gone with it */
	collect_host(c, snap, start, true);
	save_index_map(c);
	finish(c, snap, start, true);
	return snap;
}

/* ---- life cycle ---- */

/* What was wrong with the state file, for the log. */
static void describe_damage(const struct kt_index_load *l, char *buf,
			    size_t size)
{
	if (l->read_errno != 0 && l->lines == 0)
		snprintf(buf, size, "unreadable (%s)", strerror(l->read_errno));
	else if (l->read_errno != 0)
		snprintf(buf, size, "unreadable after %zu lines (%s)", l->lines,
			 strerror(l->read_errno));
	else if (l->lines == 0)
		snprintf(buf, size, "empty");
	else
		snprintf(buf, size, "damaged (%s%zu of %zu lines bad)",
			 l->no_header ? "no header, " : "", l->skipped,
			 l->lines);
}

/*
 * One line on what the agent does about a missing or damaged state file:
 * it starts anyway, with what it could read, and keeps the old file.
 */
static void report_index_load(struct kt_index_map *m)
{
	const struct kt_index_load *l = kt_index_load_report(m);
	const char *path = kt_index_path(m), *kept;
	char what[160], start[64], done[PATH_MAX + 96];
	int r;

	if (l->missing) {
		kt_log_info("index",
			    "no state file %s yet: starting with an "
			    "empty index map",
			    path);
		return;
	}
	if (!kt_index_damaged(m))
		return;
	describe_damage(l, what, sizeof(what));
	if (kt_index_count(m) == 0)
		snprintf(start, sizeof(start), "an empty index map");
	else
		snprintf(start, sizeof(start), "the %zu indexes it holds",
			 kt_index_count(m));
	if ((r = kt_index_keep_damaged(m, &kept)) != 0)
		snprintf(done, sizeof(done),
			 "cannot keep the old file aside "
			 "(%s), it is not replaced until it can be",
			 strerror(-r));
	else
		snprintf(done, sizeof(done), "kept the old file as %s",
			 kept != NULL ? kept : "(gone)");
	kt_log_warn("index",
		    "state file %s %s: starting with %s, new indexes "
		    "from %llu; %s",
		    path, what, start, (unsigned long long)kt_index_next(m),
		    done);
}

/*
 * Why the state directory is refused, for the log; NULL when it is not
 * (a directory that is missing or unreadable is no refusal: its saves
 * fail and are retried, as on a read-only file system).
 */
static const char *refusal(int r, const struct stat *st, char *buf, size_t size)
{
	if (r == -ELOOP)
		return "it is a symbolic link";
	if (r != -EPERM)
		return NULL;
	if (st->st_uid != geteuid())
		snprintf(buf, size,
			 "it is owned by uid %u, not by the agent's %u",
			 (unsigned)st->st_uid, (unsigned)geteuid());
	else
		snprintf(buf, size,
			 "group or others may write to it (mode %04o)",
			 (unsigned)(st->st_mode & 07777));
	return buf;
}

/*
 * The index map, from STATE_DIR/vm-index.  A state directory that someone
 * else could plant a file in is not used at all: the agent serves with
 * indexes kept in memory for this run, and says so once.
 */
static int open_index_map(struct kt_collector *c, const char *state_dir)
{
	char *path = NULL, why[96];
	const char *refused;
	struct stat st;
	int r;

	if (state_dir != NULL) {
		/* Only its owner may look in: it names every VM. */
		if (mkdir(state_dir, 0700) != 0 && errno != EEXIST)
			kt_log_warn("index", "cannot create %s: %s", state_dir,
				    strerror(errno));
		if ((r = kt_index_dir_open(state_dir, &st)) >= 0)
			close(r);
		else if ((refused = refusal(r, &st, why, sizeof(why))) !=
			 NULL) {
			kt_log_warn("index",
				    "state directory %s refused: %s; indexes "
				    "are neither loaded nor saved, they hold "
				    "for this run only",
				    state_dir, refused);
			c->state_refused = true;
			return kt_index_new(&c->map);
		}
		if (asprintf(&path, "%s/vm-index", state_dir) < 0)
			return -ENOMEM;
	}
	/* Only a lack of memory fails: a damaged file is reported. */
	r = kt_index_open(path, &c->map);
	if (r == 0)
		report_index_load(c->map);
	free(path);
	return r;
}

/* sysfs only adds the host ifIndex of tap devices: optional. */
static void open_sysfs(struct kt_collector *c, const char *sysfs)
{
	if (sysfs == NULL)
		return;
	c->sysfd = open(sysfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->sysfd < 0)
		kt_log_warn("collect", "cannot open sysfs root %s: %s", sysfs,
			    strerror(errno));
	else if (kt_ifattr_cache_new(c->sysfd, &c->ifattrs) != 0)
		kt_log_warn("collect", "out of memory: no host ifIndex");
}

/*
 * How malloc serves the agent; process-wide, so set by whoever makes a
 * collector.
 *
 * Each cycle allocates arrays of hundreds of kilobytes at 1000 VMs (a
 * snapshot's rows and region, the host's interface rows) and frees the
 * previous cycle's.  glibc mmaps blocks above a threshold and munmaps them
 * when freed, but raises the threshold to the size of each such block
 * freed, after which they come from the heap: there they are kept when
 * freed and leave holes between the blocks that stay, and the process
 * holds the memory of two cycles for good.  A fixed threshold (glibc's
 * default value, which fixing also stops from rising) keeps them mapped
 * only while in use, for a few page faults per cycle.  libvirt's RPC
 * buffers (64 KiB) stay below it.
 *
 * glibc also gives threads that allocate at the same time arenas of their
 * own (up to 8 per CPU), and each keeps its own free memory: libvirt's
 * caller threads held 500 KiB of free chunks at 1000 VMs that the
 * collector's arena could have reused.  The agent's threads take turns
 * (the collector waits for its libvirt calls; the SNMP thread allocates a
 * few blocks per request): one arena, which measured 350 KiB less at 1000
 * VMs and no slower GETs during collections.
 */
#define KT_MMAP_THRESHOLD (128 * 1024)
#define KT_ARENAS 1

static void tune_malloc(void)
{
	if (mallopt(M_MMAP_THRESHOLD, KT_MMAP_THRESHOLD) != 1 ||
	    mallopt(M_ARENA_MAX, KT_ARENAS) != 1)
		kt_log_debug("collect", "cannot tune malloc");
}

int kt_collector_new(const struct kt_collector_config *cfg,
		     struct kt_collector **out)
{
	struct kt_collector *c;
	int r = -ENOMEM;

	*out = NULL;
	tune_malloc();
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -ENOMEM;
	c->procfd = c->sysfd = -1;
	c->collectors = cfg->collectors;
	c->forget_after = cfg->forget_after_days;
	c->sample.collectors = cfg->collectors;
	c->sample.page_size = sysconf(_SC_PAGESIZE);
	c->sample.clk_tck = sysconf(_SC_CLK_TCK);
	c->users = cfg->qemu_users;
	c->sample.users = &c->users;
	if ((c->uri = strdup(cfg->uri)) == NULL ||
	    (c->procfs = strdup(cfg->procfs)) == NULL)
		goto fail;
	c->procfd = open(cfg->procfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->procfd < 0) {
		r = -errno;
		kt_log_err("collect", "cannot open procfs root %s: %s",
			   cfg->procfs, strerror(errno));
		goto fail;
	}
	open_sysfs(c, cfg->sysfs);
	if (cfg->sysfs != NULL && (cfg->collectors & KT_HOST_COLLECTORS) != 0 &&
	    (r = kt_host_collector_new(cfg->procfs, cfg->sysfs, &c->hc)) != 0)
		goto fail;
	if ((r = open_index_map(c, cfg->state_dir)) != 0 ||
	    (r = kt_libvirt_open(cfg->uri, cfg->collectors,
				 cfg->libvirt_timeout_ns != 0
					 ? cfg->libvirt_timeout_ns
					 : KT_LIBVIRT_TIMEOUT_DEFAULT_NS,
				 &c->lv)) != 0 ||
	    (r = kt_libvirt_watch(c->lv, cfg->events)) != 0)
		goto fail;
	*out = c;
	return 0;
fail:
	kt_collector_free(c);
	return r;
}

void kt_collector_free(struct kt_collector *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_trackers; i++)
		kt_tracker_free(&c->trackers[i]);
	free(c->trackers);
	kt_snapshot_unref(c->prev);
	kt_libvirt_close(c->lv);
	kt_host_collector_free(c->hc);
	kt_index_close(c->map);
	if (c->procfd >= 0)
		close(c->procfd);
	kt_ifattr_cache_free(c->ifattrs);
	if (c->sysfd >= 0)
		close(c->sysfd);
	free(c->uri);
	free(c->procfs);
	free(c);
}
