/*
 * The collector thread's handover (subagent/worker.c) with a real
 * collector on the basic fixture (libvirt's test driver, a procfs tree):
 * snapshots come through the eventfd in order, and a snapshot the SNMP
 * thread retires is dropped by the collector thread at once, between two
 * cycles (the interval here is an hour, so no cycle can be what drops it);
 * a request to collect now brings the next snapshot at once.  The waits
 * are bounded generously (a minute): they end with the event, and a busy
 * machine must not turn them red.
 */
#include "config.h"

#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "collect/collector.h"
#include "collectors.h"
#include "worker.h"

#include "kt_test.h"

#define SEC_NS 1000000000ull
#define INTERVAL_NS (3600ull * SEC_NS)
#define WAIT_NS \
	(60ull * SEC_NS) /* far beyond any wait, far below INTERVAL_NS */

static char tmp[64];

static struct kt_collector *new_collector(void)
{
	const char *src = getenv("KT_SRCDIR");
	char rel[PATH_MAX], fixture[PATH_MAX], uri[PATH_MAX + 32];
	char proc[PATH_MAX + 8], state[96];
	struct kt_collector_config cfg = {
		.uri = uri,
		.procfs = proc,
		.state_dir = state,
		.collectors = KT_COLLECT_ALL,
	};
	struct kt_collector *c = NULL;

	snprintf(rel, sizeof(rel), "%s/tests/fixtures/basic",
		 src != NULL ? src : ".");
	snprintf(tmp, sizeof(tmp), "/tmp/kt-worker.XXXXXX");
	if (realpath(rel, fixture) == NULL || mkdtemp(tmp) == NULL) {
		printf("Bail out! no fixture at %s or no temp dir\n", rel);
		exit(1);
	}
	snprintf(uri, sizeof(uri), "test://%s/domains.xml", fixture);
	snprintf(proc, sizeof(proc), "%s/proc", fixture);
	snprintf(state, sizeof(state), "%s/state", tmp);
	if (kt_collector_new(&cfg, &c) != 0) {
		printf("Bail out! cannot create the collector\n");
		exit(1);
	}
	return c;
}

/* The next snapshot handed over, or NULL after WAIT_NS. */
static struct kt_snapshot *next_snapshot(struct kt_worker *w)
{
	struct pollfd p = { .fd = kt_worker_fd(w), .events = POLLIN };
	uint64_t end = kt_mono_ns() + WAIT_NS;
	struct kt_snapshot *snap;

	while (kt_mono_ns() < end) {
		if (poll(&p, 1, 100) > 0 && (snap = kt_worker_take(w)) != NULL)
			return snap;
	}
	return NULL;
}

static int refs(const struct kt_snapshot *snap)
{
	return __atomic_load_n(&snap->refs, __ATOMIC_ACQUIRE);
}

/* Waits up to WAIT_NS for @snap's count to drop to @want; the ms it took. */
static long wait_refs(const struct kt_snapshot *snap, int want)
{
	uint64_t t0 = kt_mono_ns();
	struct timespec ms = { 0, 1000000 };

	while (refs(snap) != want && kt_mono_ns() - t0 < WAIT_NS)
		nanosleep(&ms, NULL);
	return refs(snap) == want ? (long)((kt_mono_ns() - t0) / 1000000) : -1;
}

/*
 * Collect now: each request brings the next collection, long before the
 * interval (an hour) could; two requests in a row bring at least one.
 */
static void collect_now(struct kt_collector *c)
{
	struct kt_snapshot *s1, *s2 = NULL, *s3 = NULL;
	struct kt_worker *w = NULL;

	if (kt_worker_start(c, INTERVAL_NS, &w) != 0) {
		KT_CHECK(false, "a second worker started");
		return;
	}
	s1 = next_snapshot(w); /* the one a start collects */
	kt_worker_collect_now(w);
	if (s1 != NULL)
		s2 = next_snapshot(w);
	KT_CHECK(s2 != NULL && s2->seq == s1->seq + 1,
		 "collect now: the next collection is handed over at once");
	kt_worker_collect_now(w);
	kt_worker_collect_now(w);
	if (s2 != NULL)
		s3 = next_snapshot(w);
	KT_CHECK(s3 != NULL && s3->seq >= s2->seq + 1,
		 "two requests in a row: another collection is handed over");
	kt_worker_stop(w);
	kt_snapshot_unref(s1);
	kt_snapshot_unref(s2);
	kt_snapshot_unref(s3);
}

int main(void)
{
	struct kt_collector *c = new_collector();
	struct kt_worker *w = NULL;
	struct kt_snapshot *snap;
	int base;
	long ms;

	KT_EQ_INT(kt_worker_start(c, INTERVAL_NS, &w), 0, "worker started");
	if (w == NULL)
		return kt_test_done();
	snap = next_snapshot(w);
	KT_CHECK(snap != NULL, "the first snapshot is handed over");
	if (snap == NULL) {
		kt_worker_stop(w);
		kt_collector_free(c);
		return kt_test_done();
	}
	KT_EQ_U64(snap->seq, 1, "it is collection 1");
	KT_EQ_U64(snap->n_vms, 4, "with the fixture's 4 domains");

	/* Ours and the collector's (kept for the next cycle's rates). */
	base = refs(snap);
	KT_EQ_INT(base, 2, "held by the caller and the collector");

	kt_snapshot_ref(snap);
	kt_worker_retire(w, snap);
	ms = wait_refs(snap, base);
	KT_CHECK(ms >= 0, "a retired snapshot's reference is dropped by the "
			  "collector thread, between cycles");
	printf("# dropped after %ld ms\n", ms);

	/* Two at once: one waits in the slot, the other is dropped here. */
	kt_snapshot_ref(snap);
	kt_snapshot_ref(snap);
	kt_worker_retire(w, snap);
	kt_worker_retire(w, snap);
	KT_CHECK(wait_refs(snap, base) >= 0,
		 "two retired at once: both references dropped");

	kt_worker_retire(w, NULL); /* nothing */
	KT_EQ_INT(refs(snap), base, "retiring NULL drops nothing");

	/* Stopped with one waiting: dropped by the stop (ASan: no leak). */
	kt_snapshot_ref(snap);
	kt_worker_retire(w, snap);
	kt_worker_stop(w);
	KT_EQ_INT(refs(snap), base, "the stop drops a retired snapshot");

	kt_snapshot_unref(snap);
	collect_now(c);
	kt_collector_free(c);
	{
		char cmd[96];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmp);
	}
	return kt_test_done();
}
