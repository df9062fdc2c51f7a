/*
 * Notifications without SNMP: the bounded queue (order, the oldest
 * dropped and counted, peek/pop across a drop), the noisy-neighbour watch
 * (threshold, duration, hysteresis, no storm from a flapping value) and
 * the libvirt side's bookkeeping (libvirt's events mapped to states and
 * reasons; lost/restored; the comparison after a reconnect), each fed by
 * hand and read back through a sink that records what it is given.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "collect/libvirt_events.h"
#include "kt_test.h"
#include "notify/queue.h"
#include "notify/steal.h"
#include "notify/vm_index.h"

/* ---- a recording sink ---- */

#define MAX_SEEN 64

struct seen {
	struct kt_event ev[MAX_SEEN];
	size_t n;
};

static void record(void *arg, const struct kt_event *ev)
{
	struct seen *s = arg;

	if (s->n < MAX_SEEN)
		s->ev[s->n] = *ev;
	s->n++;
}

static struct kt_event numbered(uint32_t i)
{
	struct kt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = KT_EV_STATE;
	ev.index = i;
	return ev;
}

/* ---- the queue ---- */

static void test_queue_order_and_drops(void)
{
	struct kt_notify_queue_stats st;
	struct kt_notify_queue *q;
	struct kt_event ev;
	uint64_t seq;
	uint32_t i;
	int got_all = 1;

	KT_EQ_INT(kt_notify_queue_new(0, &q), -22, "a queue of 0 is refused");
	if (kt_notify_queue_new(4, &q) != 0) {
		KT_CHECK(0, "a queue of 4");
		return;
	}
	for (i = 1; i <= 6; i++) {
		struct kt_event ev_i = numbered(i);

		kt_notify_queue_push(q, &ev_i);
	}
	kt_notify_queue_stats(q, &st);
	KT_EQ_U64(st.queued, 4, "full: 4 queued");
	KT_EQ_U64(st.dropped, 2, "the 2 oldest dropped");
	KT_EQ_U64(st.dropped_episode, 2, "2 dropped in this episode");
	for (i = 3; i <= 6; i++) {
		if (!kt_notify_queue_peek(q, &ev, &seq) || ev.index != i)
			got_all = 0;
		kt_notify_queue_pop(q, seq);
	}
	KT_CHECK(got_all, "the newest 4 come out in order");
	KT_CHECK(!kt_notify_queue_peek(q, &ev, &seq), "then it is empty");
	kt_notify_queue_stats(q, &st);
	KT_EQ_U64(st.dropped_episode, 0, "an empty queue ends the episode");
	KT_EQ_U64(st.dropped, 2, "the total stays");
	kt_notify_queue_free(q);
}

/* A push that drops the peeked head: the pop must not remove another. */
static void test_queue_pop_after_drop(void)
{
	struct kt_notify_queue *q;
	struct kt_event ev, a = numbered(1), b = numbered(2), c = numbered(3);
	uint64_t seq;

	if (kt_notify_queue_new(2, &q) != 0) {
		KT_CHECK(0, "a queue of 2");
		return;
	}
	kt_notify_queue_push(q, &a);
	kt_notify_queue_push(q, &b);
	KT_CHECK(kt_notify_queue_peek(q, &ev, &seq) && ev.index == 1,
		 "peek gives the oldest");
	kt_notify_queue_push(q, &c); /* drops 1 while it is being sent */
	kt_notify_queue_pop(q, seq);
	KT_CHECK(kt_notify_queue_peek(q, &ev, &seq) && ev.index == 2,
		 "popping a dropped head keeps the next one");
	kt_notify_queue_free(q);
}

/* ---- the steal watch ---- */

static struct kt_snapshot *one_vm(uint32_t steal, uint64_t interval_ns)
{
	struct kt_snapshot *s = kt_snapshot_new(1);

	if (s == NULL) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	s->n_vms = 1;
	s->interval_ns = interval_ns;
	s->vms[0].index = 7;
	snprintf(s->vms[0].uuid, sizeof(s->vms[0].uuid), "%s",
		 "11111111-2222-3333-4444-555555555555");
	s->vms[0].name = xstrdup("noisy");
	s->vms[0].cpu.valid = true;
	s->vms[0].cpu.has_rate = true;
	s->vms[0].cpu.steal = steal;
	return s;
}

/* Feeds @n steal values, 1 s apart; returns the kinds raised as a string. */
static const char *feed(struct kt_steal_watch *w, const uint32_t *steal,
			size_t n, struct seen *seen)
{
	static char out[MAX_SEEN + 1];
	struct kt_event_sink sink = { record, seen };
	size_t i, k = 0;

	seen->n = 0;
	for (i = 0; i < n; i++) {
		struct kt_snapshot *s = one_vm(steal[i], 1000000000ull);

		kt_steal_watch_update(w, s, &sink);
		kt_snapshot_unref(s);
	}
	for (i = 0; i < seen->n && i < MAX_SEEN; i++)
		out[k++] = seen->ev[i].kind == KT_EV_STEAL_HIGH ? 'H' : 'N';
	out[k] = '\0';
	return out;
}

static void test_steal_hysteresis(void)
{
	struct kt_steal_config cfg = { 2500, 1000, 3000000000ull };
	/* 3 s at or above 25 %, a storm of flaps, then 3 s at or below 10 %. */
	const uint32_t high[] = { 3000, 2500, 2600 };
	const uint32_t flap[] = { 2400, 2600, 2400, 2600, 900, 2600,
				  1100, 900,  900,  1500, 900 };
	const uint32_t low[] = { 1000, 0, 500 };
	const uint32_t short_high[] = { 3000, 3000, 2000, 3000, 3000, 2000 };
	struct kt_steal_watch *w;
	struct seen seen;

	if (kt_steal_watch_new(&cfg, &w) != 0) {
		KT_CHECK(0, "a steal watch");
		return;
	}
	KT_EQ_STR(feed(w, short_high, 6, &seen), "",
		  "2 s high, a dip, 2 s high: nothing (the dip resets)");
	KT_EQ_STR(feed(w, high, 3, &seen), "H",
		  "3 s at or above the threshold: steal high");
	KT_CHECK(seen.n == 1 && seen.ev[0].index == 7 &&
			 seen.ev[0].steal == 2600 &&
			 strcmp(seen.ev[0].name, "noisy") == 0,
		 "it names the VM and the steal that decided it");
	KT_EQ_STR(feed(w, flap, 11, &seen), "",
		  "flapping inside the band and across one threshold: nothing");
	KT_EQ_STR(feed(w, low, 3, &seen), "N",
		  "3 s at or below the clear threshold: steal normal");
	KT_EQ_STR(feed(w, high, 3, &seen), "H", "and high again after it");
	kt_steal_watch_free(w);
}

static void test_steal_vanished(void)
{
	struct kt_steal_config cfg = { 2500, 1000, 0 };
	const uint32_t high[] = { 3000 };
	struct kt_event_sink sink;
	struct kt_steal_watch *w;
	struct kt_snapshot *gone;
	struct seen seen;

	if (kt_steal_watch_new(&cfg, &w) != 0) {
		KT_CHECK(0, "a steal watch");
		return;
	}
	KT_EQ_STR(feed(w, high, 1, &seen), "H",
		  "duration 0: the first collection decides");
	gone = one_vm(0, 1000000000ull);
	gone->vms[0].cpu.has_rate = false; /* stopped */
	seen.n = 0;
	sink = (struct kt_event_sink){ record, &seen };
	kt_steal_watch_update(w, gone, &sink);
	kt_snapshot_unref(gone);
	KT_EQ_U64(seen.n, 0, "a VM without a rate raises nothing");
	KT_EQ_STR(feed(w, high, 1, &seen), "H",
		  "and is watched afresh when it comes back");
	kt_steal_watch_free(w);
}

/* ---- libvirt's events ---- */

static void test_event_map(void)
{
	enum kt_vm_state st;
	enum kt_event_reason why;

	kt_lv_event_map(VIR_DOMAIN_EVENT_STOPPED,
			VIR_DOMAIN_EVENT_STOPPED_FAILED, KT_VM_RUNNING, &st,
			&why);
	KT_CHECK(st == KT_VM_SHUTDOWN && why == KT_REASON_FAILED,
		 "stopped/failed (QEMU died): shutdown, failed");
	kt_lv_event_map(VIR_DOMAIN_EVENT_STOPPED,
			VIR_DOMAIN_EVENT_STOPPED_CRASHED, KT_VM_RUNNING, &st,
			&why);
	KT_CHECK(st == KT_VM_SHUTDOWN && why == KT_REASON_CRASHED,
		 "stopped/crashed: shutdown, crashed");
	kt_lv_event_map(VIR_DOMAIN_EVENT_SUSPENDED,
			VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED, KT_VM_RUNNING, &st,
			&why);
	KT_CHECK(st == KT_VM_MIGRATING && why == KT_REASON_MIGRATED,
		 "suspended for migration: migrating, as a listing maps it");
	kt_lv_event_map(VIR_DOMAIN_EVENT_DEFINED,
			VIR_DOMAIN_EVENT_DEFINED_UPDATED, KT_VM_RUNNING, &st,
			&why);
	KT_CHECK(st == KT_VM_RUNNING && why == KT_REASON_UPDATED,
		 "a running VM redefined stays running");
	kt_lv_event_map(VIR_DOMAIN_EVENT_CRASHED,
			VIR_DOMAIN_EVENT_CRASHED_PANICKED, KT_VM_RUNNING, &st,
			&why);
	KT_CHECK(st == KT_VM_CRASHED && why == KT_REASON_PANICKED,
		 "a guest panic: crashed, panicked");
	kt_lv_event_map(VIR_DOMAIN_EVENT_SHUTDOWN,
			VIR_DOMAIN_EVENT_SHUTDOWN_GUEST, KT_VM_RUNNING, &st,
			&why);
	KT_CHECK(st == KT_VM_SHUTTINGDOWN && why == KT_REASON_SHUTTING_DOWN,
		 "shutdown begun: shuttingdown");
}

static struct kt_domain dom(const char *uuid, const char *name,
			    enum kt_vm_state state)
{
	struct kt_domain d;

	memset(&d, 0, sizeof(d));
	snprintf(d.uuid, sizeof(d.uuid), "%s", uuid);
	d.name = (char *)(uintptr_t)name;
	d.state = state;
	return d;
}

#define U_A "aaaaaaaa-0000-0000-0000-000000000001"
#define U_B "bbbbbbbb-0000-0000-0000-000000000002"
#define U_C "cccccccc-0000-0000-0000-000000000003"

static void test_reconnect(void)
{
	struct seen seen = { .n = 0 };
	struct kt_event_sink sink = { record, &seen };
	struct kt_domain before[2] = { dom(U_A, "a", KT_VM_RUNNING),
				       dom(U_B, "b", KT_VM_PAUSED) };
	struct kt_domain after[2] = { dom(U_B, "b", KT_VM_RUNNING),
				      dom(U_C, "c", KT_VM_RUNNING) };
	struct kt_lv_events *e;

	if (kt_lv_events_new(&sink, &e) != 0) {
		KT_CHECK(0, "the libvirt events");
		return;
	}
	kt_lv_events_listed(e, before, 2, kt_lv_events_mark(e));
	KT_EQ_U64(seen.n, 0, "the first listing only seeds");
	kt_lv_events_failed(e);
	kt_lv_events_failed(e);
	KT_CHECK(seen.n == 1 && seen.ev[0].kind == KT_EV_LIBVIRT_LOST,
		 "a failure: lost, once");
	kt_lv_events_listed(e, after, 2, kt_lv_events_mark(e));
	KT_CHECK(seen.n == 5 && seen.ev[1].kind == KT_EV_LIBVIRT_RESTORED,
		 "back: restored, then 3 differences");
	if (seen.n != 5)
		return;
	KT_CHECK(
		strcmp(seen.ev[2].uuid, U_B) == 0 &&
			seen.ev[2].state == KT_VM_RUNNING &&
			seen.ev[2].prev == KT_VM_PAUSED &&
			seen.ev[2].reason == KT_REASON_FOUND_AT_RECONNECT,
		"b resumed meanwhile: running, was paused, found at reconnect");
	KT_CHECK(strcmp(seen.ev[3].uuid, U_C) == 0 &&
			 seen.ev[3].prev == KT_VM_UNKNOWN &&
			 seen.ev[3].state == KT_VM_RUNNING,
		 "c new meanwhile: running, was unknown");
	KT_CHECK(strcmp(seen.ev[4].uuid, U_A) == 0 &&
			 seen.ev[4].state == KT_VM_UNKNOWN &&
			 seen.ev[4].prev == KT_VM_RUNNING &&
			 strcmp(seen.ev[4].name, "a") == 0,
		 "a gone meanwhile: unknown, was running, by its name");
	kt_lv_events_listed(e, after, 2, kt_lv_events_mark(e));
	KT_EQ_U64(seen.n, 5, "the next listing compares nothing");
	kt_lv_events_free(e);
}

static void test_vm_index(void)
{
	struct kt_snapshot *with = one_vm(0, 0), *without = kt_snapshot_new(0);
	struct kt_vm_index *m;
	const char *u = "11111111-2222-3333-4444-555555555555";

	if (without == NULL || kt_vm_index_new(&m) != 0) {
		KT_CHECK(0, "a VM index cache");
		return;
	}
	with->finished_mono_ns = 1000;
	kt_vm_index_update(m, with);
	KT_EQ_U64(kt_vm_index_find(m, u), 7, "a VM of the snapshot: its index");
	KT_EQ_U64(kt_vm_index_find(m, "nope"), 0, "an unknown UUID: 0");
	without->finished_mono_ns = 2000;
	kt_vm_index_update(m, without);
	KT_EQ_U64(kt_vm_index_find(m, u), 7,
		  "gone from the next snapshot: still known");
	without->finished_mono_ns = 1000 + KT_VM_INDEX_KEEP_NS;
	kt_vm_index_update(m, without);
	KT_EQ_U64(kt_vm_index_find(m, u), 0, "forgotten after a while");
	kt_vm_index_free(m);
	kt_snapshot_unref(with);
	kt_snapshot_unref(without);
}

int main(void)
{
	test_queue_order_and_drops();
	test_queue_pop_after_drop();
	test_steal_hysteresis();
	test_steal_vanished();
	test_event_map();
	test_reconnect();
	test_vm_index();
	return kt_test_done();
}
