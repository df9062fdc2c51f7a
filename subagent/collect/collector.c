/*
 * One collection cycle.
 *
 * The collector keeps a tracker per VM across cycles: its persistent index,
 * its QEMU process (a directory fd into procfs, so a reused PID is never
 * mistaken for it), its threads' last schedstat values, and cumulative
 * counters.  Cumulative counters only ever grow: a thread that exits keeps
 * what it counted, a new thread adds its whole run time, a restarted QEMU
 * process starts adding from zero.  So an NMS never sees a Counter64 go
 * backwards while the agent runs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "collect/collector.h"
#include "collect/libvirt.h"
#include "collect/qemu.h"
#include "index.h"
#include "log.h"
#include "options.h"

/* A VM whose process cannot be found is looked for again after a back-off. */
#define KT_SCAN_BACKOFF_MAX_NS (60ull * 1000000000ull)

struct kt_tracker {
	uint32_t index;
	char uuid[KT_UUID_LEN + 1];
	bool seen; /* in libvirt's list this cycle */
	pid_t pid;
	int piddir;	       /* fd of PROCFS/PID, -1 when none */
	uint64_t next_scan_ns; /* no /proc scan for it before this */
	uint64_t scan_backoff_ns;
	struct kt_thread *threads; /* last sample, sorted by TID */
	size_t n_threads;
	bool sampled; /* threads hold a sample of this process */
	uint64_t run, wait, other_run, other_wait;
	bool has_stat; /* last_stat is of this process */
	struct kt_pid_stat last_stat;
	uint64_t minflt, cminflt, majflt, cmajflt;
};

struct kt_collector {
	char *uri;
	char *procfs;
	unsigned collectors;
	int procfd;
	long page_size;
	struct kt_libvirt *lv;
	struct kt_index_map *map;
	struct kt_complaint save_failed;
	struct kt_tracker *trackers; /* sorted by index */
	size_t n_trackers;
	size_t cap_trackers;
	struct kt_snapshot *prev;
	uint64_t seq;
};

/* ---- trackers ---- */

static void tracker_forget_process(struct kt_tracker *t)
{
	if (t->piddir >= 0)
		close(t->piddir);
	t->piddir = -1;
	t->pid = 0;
	free(t->threads);
	t->threads = NULL;
	t->n_threads = 0;
	t->sampled = false;
	t->has_stat = false;
}

static size_t tracker_pos(const struct kt_collector *c, uint32_t index)
{
	size_t lo = 0, hi = c->n_trackers;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->trackers[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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
			tracker_forget_process(t);
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

static void scan_failed(struct kt_tracker *t, uint64_t now,
			uint64_t interval_hint)
{
	uint64_t b = t->scan_backoff_ns != 0 ? t->scan_backoff_ns * 2
					     : interval_hint;

	if (b > KT_SCAN_BACKOFF_MAX_NS)
		b = KT_SCAN_BACKOFF_MAX_NS;
	t->scan_backoff_ns = b;
	t->next_scan_ns = now + b;
}

/*
 * Finds the processes of the running VMs that have none yet, in one pass
 * over procfs.  Runs only when such a VM exists (and its back-off expired).
 */
static void discover_processes(struct kt_collector *c,
			       const struct kt_snapshot *snap, uint64_t now)
{
	char(*uuids)[KT_UUID_LEN + 1];
	uint32_t *idx;
	pid_t *pids;
	size_t i, n = 0;

	uuids = calloc(snap->n_vms + 1, sizeof(*uuids));
	idx = calloc(snap->n_vms + 1, sizeof(*idx));
	pids = calloc(snap->n_vms + 1, sizeof(*pids));
	if (uuids == NULL || idx == NULL || pids == NULL)
		goto out;
	for (i = 0; i < snap->n_vms; i++) {
		struct kt_tracker *t = tracker_find(c, snap->vms[i].index);

		if (t == NULL || !snap->vms[i].active || !needs_scan(t, now))
			continue;
		memcpy(uuids[n], t->uuid, sizeof(uuids[n]));
		idx[n++] = t->index;
	}
	if (n != 0)
		kt_qemu_discover(c->procfd,
				 (const char(*)[KT_UUID_LEN + 1]) uuids, n,
				 pids);
	for (i = 0; i < n; i++) {
		struct kt_tracker *t = tracker_find(c, idx[i]);
		int fd = pids[i] != 0
				 ? kt_qemu_open(c->procfd, pids[i], t->uuid)
				 : -ESRCH;

		if (fd < 0) {
			scan_failed(t, now, 1000000000ull);
			continue;
		}
		t->piddir = fd;
		t->pid = pids[i];
		t->scan_backoff_ns = 0;
	}
out:
	free(uuids);
	free(idx);
	free(pids);
}

/* Adds what a counter grew by since @old (or all of it when it restarted). */
static uint64_t growth(uint64_t now, const uint64_t *old)
{
	return old != NULL && now >= *old ? now - *old : now;
}

/* The thread's previous sample, when this process was sampled before. */
static const struct kt_thread *old_thread(const struct kt_tracker *t, pid_t tid)
{
	return t->sampled ? kt_thread_find(t->threads, t->n_threads, tid)
			  : NULL;
}

/* Folds a new thread sample into the cumulative counters of @t. */
static void accumulate_threads(struct kt_tracker *t, struct kt_vm_cpu *cpu,
			       const struct kt_thread *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct kt_thread *o = old_thread(t, v[i].tid);
		uint64_t run =
			growth(v[i].run_ns, o != NULL ? &o->run_ns : NULL);
		uint64_t wait =
			growth(v[i].wait_ns, o != NULL ? &o->wait_ns : NULL);

		if (v[i].vcpu >= 0) {
			t->run += run;
			t->wait += wait;
			cpu->vcpu_threads++;
		} else {
			t->other_run += run;
			t->other_wait += wait;
			cpu->other_threads++;
		}
	}
	cpu->run_ns = t->run;
	cpu->wait_ns = t->wait;
	cpu->other_run_ns = t->other_run;
	cpu->other_wait_ns = t->other_wait;
	cpu->vcpus_found = cpu->vcpu_threads > 0;
	cpu->valid = true;
}

static int sample_cpu(struct kt_tracker *t, struct kt_vm *vm)
{
	struct kt_thread *v;
	size_t n;
	int r;

	r = kt_qemu_read_threads(t->piddir, t->threads, t->n_threads, &v, &n);
	if (r != 0)
		return r;
	if (n == 0) { /* a process always has a thread: it is gone */
		free(v);
		return -ESRCH;
	}
	accumulate_threads(t, &vm->cpu, v, n);
	free(t->threads);
	t->threads = v;
	t->n_threads = n;
	t->sampled = true;
	return 0;
}

static int sample_mem(struct kt_collector *c, struct kt_tracker *t,
		      struct kt_vm *vm)
{
	const struct kt_pid_stat *old = t->has_stat ? &t->last_stat : NULL;
	struct kt_pid_stat st;
	int r;

	if ((r = kt_qemu_read_stat(t->piddir, &st)) != 0)
		return r;
	t->minflt += growth(st.minflt, old != NULL ? &old->minflt : NULL);
	t->cminflt += growth(st.cminflt, old != NULL ? &old->cminflt : NULL);
	t->majflt += growth(st.majflt, old != NULL ? &old->majflt : NULL);
	t->cmajflt += growth(st.cmajflt, old != NULL ? &old->cmajflt : NULL);
	t->last_stat = st;
	t->has_stat = true;
	vm->mem.has_proc = true;
	vm->mem.vsize = st.vsize;
	vm->mem.rss = st.rss_pages * (uint64_t)c->page_size;
	vm->mem.minflt = t->minflt;
	vm->mem.cminflt = t->cminflt;
	vm->mem.majflt = t->majflt;
	vm->mem.cmajflt = t->cmajflt;
	return 0;
}

/*
 * Reads the process of one running VM.  A process that vanished is
 * forgotten, to be looked for again next cycle; the row says invalid.
 */
static void sample_vm(struct kt_collector *c, struct kt_tracker *t,
		      struct kt_vm *vm)
{
	int r = 0;

	vm->pid = t->pid;
	if ((c->collectors & KT_COLLECT_CPU) != 0)
		r = sample_cpu(t, vm);
	if (r == 0 && (c->collectors & KT_COLLECT_MEM) != 0)
		r = sample_mem(c, t, vm);
	if (r == 0) {
		vm->data_valid = true;
		return;
	}
	kt_log_debug("collect", "VM %s: process %d unreadable (%s)", t->uuid,
		     (int)t->pid, strerror(-r));
	vm->cpu.valid = false;
	vm->mem.has_proc = false;
	if (r == -ESRCH || r == -ENOENT) {
		tracker_forget_process(t);
		t->next_scan_ns = 0;
		vm->pid = 0;
	}
}

/* ---- the cycle ---- */

/* Moves libvirt's view of @d into row @vm. */
static void fill_identity(struct kt_vm *vm, uint32_t index, struct kt_domain *d)
{
	vm->index = index;
	memcpy(vm->uuid, d->uuid, sizeof(vm->uuid));
	vm->name = d->name;
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
		fill_identity(&snap->vms[rows++], index, &doms[i]);
	}
	snap->n_vms = rows;
	return snap;
}

static void sample_processes(struct kt_collector *c, struct kt_snapshot *snap,
			     uint64_t now)
{
	size_t i;

	discover_processes(c, snap, now);
	for (i = 0; i < snap->n_vms; i++) {
		struct kt_vm *vm = &snap->vms[i];
		struct kt_tracker *t = tracker_find(c, vm->index);

		if (!vm->active) {
			tracker_forget_process(t);
			t->next_scan_ns = 0;
			t->scan_backoff_ns = 0;
		} else if (t->piddir >= 0) {
			sample_vm(c, t, vm);
		}
	}
}

static void save_index_map(struct kt_collector *c)
{
	int r = kt_index_save(c->map);

	if (r != 0)
		kt_complain(&c->save_failed, "index",
			    "cannot save the index map: %s (indexes stay "
			    "valid for this run)",
			    strerror(-r));
	else
		kt_complain_release(&c->save_failed, "index",
				    "index map saved again");
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
		vm->data_valid = false;
		vm->cpu.has_rate = false;
		rows++;
	}
	snap->n_vms = rows;
	return snap;
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

struct kt_snapshot *kt_collector_run(struct kt_collector *c)
{
	uint64_t start = kt_mono_ns();
	struct kt_domain *doms = NULL;
	struct kt_snapshot *snap;
	size_t n = 0;

	if (kt_libvirt_list(c->lv, &doms, &n) != 0) {
		if ((snap = stale_copy(c->prev)) != NULL)
			finish(c, snap, start, false);
		return snap;
	}
	snap = rows_from_domains(c, doms, n);
	kt_domains_free(doms, n);
	if (snap == NULL)
		return NULL;
	trackers_sweep(c);
	sample_processes(c, snap, start);
	save_index_map(c);
	finish(c, snap, start, true);
	return snap;
}

/* ---- life cycle ---- */

static int open_index_map(struct kt_collector *c, const char *state_dir)
{
	char *path = NULL;
	int r;

	if (state_dir != NULL) {
		if (mkdir(state_dir, 0755) != 0 && errno != EEXIST)
			kt_log_warn("index", "cannot create %s: %s", state_dir,
				    strerror(errno));
		if (asprintf(&path, "%s/vm-index", state_dir) < 0)
			return -ENOMEM;
	}
	r = kt_index_open(path, &c->map);
	if (r == 0 && kt_index_skipped(c->map) != 0)
		kt_log_warn("index", "%s: skipped %zu damaged lines", path,
			    kt_index_skipped(c->map));
	free(path);
	return r;
}

int kt_collector_new(const struct kt_collector_config *cfg,
		     struct kt_collector **out)
{
	struct kt_collector *c;
	int r = -ENOMEM;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -ENOMEM;
	c->procfd = -1;
	c->collectors = cfg->collectors;
	c->page_size = sysconf(_SC_PAGESIZE);
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
	if ((r = open_index_map(c, cfg->state_dir)) != 0 ||
	    (r = kt_libvirt_open(cfg->uri, &c->lv)) != 0)
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
		tracker_forget_process(&c->trackers[i]);
	free(c->trackers);
	kt_snapshot_unref(c->prev);
	kt_libvirt_close(c->lv);
	kt_index_close(c->map);
	if (c->procfd >= 0)
		close(c->procfd);
	free(c->uri);
	free(c->procfs);
	free(c);
}
