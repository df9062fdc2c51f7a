/*
 * Lifecycle and connection notifications from libvirt (libvirt_events.h).
 *
 * The last known states live in an array sorted by UUID under a mutex:
 * the event loop thread (callbacks) and the collector thread (listings)
 * both update it.  Notifications are raised with the mutex held, so the
 * order of the states in the sink is the order in which they changed.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "collect/libvirt_events.h"
#include "sorted.h"

struct known {
	char uuid[KT_UUID_LEN + 1];
	enum kt_vm_state state;
	uint64_t event_no; /* the event that set it last (0: a listing) */
	bool listed;	   /* scratch: seen in the listing being compared */
	char name[KT_EVENT_NAME_MAX + 1]; /* to name it once it is gone */
};

enum link_state { LINK_NEW, LINK_UP, LINK_LOST };

struct kt_lv_events {
	pthread_mutex_t lock;
	struct kt_event_sink sink;
	struct known *known;
	size_t n, room;
	enum link_state link;
	int callback_id;  /* of the newest registration, -1: none */
	uint64_t events;  /* lifecycle events seen so far */
	bool seeded;	  /* a listing has been seen */
	bool reconnected; /* the next listing is compared */
};

int kt_lv_events_new(const struct kt_event_sink *sink,
		     struct kt_lv_events **out)
{
	struct kt_lv_events *e = calloc(1, sizeof(*e));

	*out = e;
	if (e == NULL)
		return -ENOMEM;
	pthread_mutex_init(&e->lock, NULL);
	e->sink = *sink;
	e->callback_id = -1;
	return 0;
}

void kt_lv_events_free(struct kt_lv_events *e)
{
	if (e == NULL)
		return;
	pthread_mutex_destroy(&e->lock);
	free(e->known);
	free(e);
}

/* ---- the known states ---- */

static int cmp_known_uuid(const void *key, const void *known)
{
	return strcmp(key, ((const struct known *)known)->uuid);
}

static size_t find_pos(const struct kt_lv_events *e, const char *uuid)
{
	return kt_lower_bound(uuid, e->known, e->n, sizeof(*e->known),
			      cmp_known_uuid);
}

static struct known *find(struct kt_lv_events *e, const char *uuid)
{
	size_t pos = find_pos(e, uuid);

	return pos < e->n && strcmp(e->known[pos].uuid, uuid) == 0
		       ? &e->known[pos]
		       : NULL;
}

static void set_known(struct known *k, const char *name, enum kt_vm_state state)
{
	k->state = state;
	if (name != NULL)
		snprintf(k->name, sizeof(k->name), "%s", name);
}

/* Sets the state of @uuid, adding it; false when out of memory. */
static bool remember(struct kt_lv_events *e, const char *uuid, const char *name,
		     enum kt_vm_state state)
{
	size_t pos = find_pos(e, uuid);
	struct known *k;

	if (pos < e->n && strcmp(e->known[pos].uuid, uuid) == 0) {
		set_known(&e->known[pos], name, state);
		return true;
	}
	if (e->n == e->room) {
		size_t room = e->room != 0 ? e->room * 2 : 64;

		if ((k = realloc(e->known, room * sizeof(*k))) == NULL)
			return false;
		e->known = k;
		e->room = room;
	}
	k = &e->known[pos];
	memmove(k + 1, k, (e->n - pos) * sizeof(*k));
	memset(k, 0, sizeof(*k));
	snprintf(k->uuid, sizeof(k->uuid), "%s", uuid);
	set_known(k, name, state);
	e->n++;
	return true;
}

static void forget_at(struct kt_lv_events *e, size_t pos)
{
	memmove(&e->known[pos], &e->known[pos + 1],
		(e->n - pos - 1) * sizeof(*e->known));
	e->n--;
}

/* ---- raising ---- */

static void raise_state(struct kt_lv_events *e, const char *uuid,
			const char *name, enum kt_vm_state state,
			enum kt_vm_state prev, enum kt_event_reason reason)
{
	struct kt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = KT_EV_STATE;
	ev.state = state;
	ev.prev = prev;
	ev.reason = reason;
	ev.raised_mono_ns = kt_mono_ns();
	snprintf(ev.uuid, sizeof(ev.uuid), "%s", uuid);
	snprintf(ev.name, sizeof(ev.name), "%s", name != NULL ? name : "");
	kt_event_emit(&e->sink, &ev);
}

static void raise_link(struct kt_lv_events *e, enum kt_event_kind kind)
{
	struct kt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.raised_mono_ns = kt_mono_ns();
	kt_event_emit(&e->sink, &ev);
}

/* ---- libvirt's events ---- */

static enum kt_event_reason started_reason(int detail)
{
	switch (detail) {
	case VIR_DOMAIN_EVENT_STARTED_BOOTED:
		return KT_REASON_BOOTED;
	case VIR_DOMAIN_EVENT_STARTED_MIGRATED:
		return KT_REASON_MIGRATED;
	case VIR_DOMAIN_EVENT_STARTED_RESTORED:
		return KT_REASON_RESTORED;
	case VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT:
		return KT_REASON_FROM_SNAPSHOT;
	case VIR_DOMAIN_EVENT_STARTED_WAKEUP:
		return KT_REASON_WAKEUP;
	default:
		return KT_REASON_OTHER;
	}
}

static enum kt_event_reason suspended_reason(int detail)
{
	switch (detail) {
	case VIR_DOMAIN_EVENT_SUSPENDED_PAUSED:
		return KT_REASON_PAUSED;
	case VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED:
		return KT_REASON_MIGRATED;
	case VIR_DOMAIN_EVENT_SUSPENDED_IOERROR:
		return KT_REASON_IOERROR;
	case VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG:
		return KT_REASON_WATCHDOG;
	case VIR_DOMAIN_EVENT_SUSPENDED_RESTORED:
		return KT_REASON_RESTORED;
	case VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT:
		return KT_REASON_FROM_SNAPSHOT;
	case VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR:
		return KT_REASON_API_ERROR;
	case VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY:
	case VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED:
		return KT_REASON_POSTCOPY;
	default:
		return KT_REASON_OTHER;
	}
}

static enum kt_event_reason resumed_reason(int detail)
{
	switch (detail) {
	case VIR_DOMAIN_EVENT_RESUMED_UNPAUSED:
		return KT_REASON_UNPAUSED;
	case VIR_DOMAIN_EVENT_RESUMED_MIGRATED:
		return KT_REASON_MIGRATED;
	case VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT:
		return KT_REASON_FROM_SNAPSHOT;
	case VIR_DOMAIN_EVENT_RESUMED_POSTCOPY:
		return KT_REASON_POSTCOPY;
	default:
		return KT_REASON_OTHER;
	}
}

static enum kt_event_reason stopped_reason(int detail)
{
	switch (detail) {
	case VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN:
		return KT_REASON_SHUTDOWN;
	case VIR_DOMAIN_EVENT_STOPPED_DESTROYED:
		return KT_REASON_DESTROYED;
	case VIR_DOMAIN_EVENT_STOPPED_CRASHED:
		return KT_REASON_CRASHED;
	case VIR_DOMAIN_EVENT_STOPPED_MIGRATED:
		return KT_REASON_MIGRATED;
	case VIR_DOMAIN_EVENT_STOPPED_SAVED:
		return KT_REASON_SAVED;
	case VIR_DOMAIN_EVENT_STOPPED_FAILED:
		return KT_REASON_FAILED;
	case VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT:
		return KT_REASON_FROM_SNAPSHOT;
	default:
		return KT_REASON_OTHER;
	}
}

static enum kt_event_reason defined_reason(int detail)
{
	switch (detail) {
	case VIR_DOMAIN_EVENT_DEFINED_ADDED:
		return KT_REASON_DEFINED;
	case VIR_DOMAIN_EVENT_DEFINED_UPDATED:
		return KT_REASON_UPDATED;
	case VIR_DOMAIN_EVENT_DEFINED_RENAMED:
		return KT_REASON_RENAMED;
	case VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT:
		return KT_REASON_FROM_SNAPSHOT;
	default:
		return KT_REASON_OTHER;
	}
}

void kt_lv_event_map(int event, int detail, enum kt_vm_state prev,
		     enum kt_vm_state *state, enum kt_event_reason *reason)
{
	switch (event) {
	case VIR_DOMAIN_EVENT_DEFINED:
		/* A new definition is shut off; a new one of a VM is not. */
		*state = prev == KT_VM_UNKNOWN ? KT_VM_SHUTDOWN : prev;
		*reason = defined_reason(detail);
		return;
	case VIR_DOMAIN_EVENT_UNDEFINED:
		*state = KT_VM_UNKNOWN;
		*reason = detail == VIR_DOMAIN_EVENT_UNDEFINED_RENAMED
				  ? KT_REASON_RENAMED
				  : KT_REASON_UNDEFINED;
		return;
	case VIR_DOMAIN_EVENT_STARTED:
		*state = KT_VM_RUNNING;
		*reason = started_reason(detail);
		return;
	case VIR_DOMAIN_EVENT_SUSPENDED:
		/* As libvirt.c's map_state() maps a domain paused for it. */
		*state = detail == VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED
				 ? KT_VM_MIGRATING
				 : KT_VM_PAUSED;
		*reason = suspended_reason(detail);
		return;
	case VIR_DOMAIN_EVENT_RESUMED:
		*state = KT_VM_RUNNING;
		*reason = resumed_reason(detail);
		return;
	case VIR_DOMAIN_EVENT_STOPPED:
		*state = KT_VM_SHUTDOWN;
		*reason = stopped_reason(detail);
		return;
	case VIR_DOMAIN_EVENT_SHUTDOWN:
		*state = KT_VM_SHUTTINGDOWN;
		*reason = KT_REASON_SHUTTING_DOWN;
		return;
	case VIR_DOMAIN_EVENT_PMSUSPENDED:
		*state = KT_VM_SUSPENDED;
		*reason = KT_REASON_PM_SUSPENDED;
		return;
	case VIR_DOMAIN_EVENT_CRASHED:
		*state = KT_VM_CRASHED;
		*reason = KT_REASON_PANICKED;
		return;
	default:
		*state = prev;
		*reason = KT_REASON_OTHER;
		return;
	}
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event,
			int detail, void *opaque)
{
	struct kt_lv_events *e = opaque;
	char uuid[VIR_UUID_STRING_BUFLEN];
	enum kt_vm_state prev, state;
	enum kt_event_reason reason;
	struct known *k;

	(void)conn;
	if (virDomainGetUUIDString(dom, uuid) != 0)
		return 0;
	pthread_mutex_lock(&e->lock);
	k = find(e, uuid);
	prev = k != NULL ? k->state : KT_VM_UNKNOWN;
	kt_lv_event_map(event, detail, prev, &state, &reason);
	if (event == VIR_DOMAIN_EVENT_UNDEFINED) {
		if (k != NULL)
			forget_at(e, (size_t)(k - e->known));
	} else {
		/* Out of memory: the next event has no previous state. */
		if (remember(e, uuid, virDomainGetName(dom), state))
			find(e, uuid)->event_no = ++e->events;
	}
	raise_state(e, uuid, virDomainGetName(dom), state, prev, reason);
	pthread_mutex_unlock(&e->lock);
	return 0;
}

/* The connection broke (libvirtd went away, keepalive): lost at once. */
static void on_close(virConnectPtr conn, int reason, void *opaque)
{
	(void)conn;
	if (reason != VIR_CONNECT_CLOSE_REASON_CLIENT)
		kt_lv_events_failed(opaque);
}

int kt_lv_events_register(struct kt_lv_events *e, virConnectPtr conn)
{
	int id;

	/* Drivers without it (local ones) have nothing to lose: fine. */
	(void)virConnectRegisterCloseCallback(conn, on_close, e, NULL);
	id = virConnectDomainEventRegisterAny(
		conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
		VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), e, NULL);
	pthread_mutex_lock(&e->lock);
	e->callback_id = id;
	pthread_mutex_unlock(&e->lock);
	return id;
}

void kt_lv_events_unregister(struct kt_lv_events *e, virConnectPtr conn)
{
	int id;

	pthread_mutex_lock(&e->lock);
	id = e->callback_id;
	e->callback_id = -1;
	pthread_mutex_unlock(&e->lock);
	(void)virConnectUnregisterCloseCallback(conn, on_close);
	if (id >= 0)
		(void)virConnectDomainEventDeregisterAny(conn, id);
}

/* ---- the collector's listings ---- */

static bool inactive(enum kt_vm_state s)
{
	return s == KT_VM_SHUTDOWN || s == KT_VM_CRASHED || s == KT_VM_UNKNOWN;
}

/* Compares one listed domain with what was known (after a reconnect). */
static void compare(struct kt_lv_events *e, const struct kt_domain *d)
{
	struct known *k = find(e, d->uuid);
	enum kt_vm_state prev = k != NULL ? k->state : KT_VM_UNKNOWN;

	if (prev != d->state)
		raise_state(e, d->uuid, d->name, d->state, prev,
			    KT_REASON_FOUND_AT_RECONNECT);
}

/*
 * Known domains absent from the listing: after a reconnect they are
 * reported gone; otherwise only stopped ones are forgotten (a transient
 * domain destroyed), since events may be newer than the listing, and
 * none that an event set after the listing began (@mark): a domain defined
 * meanwhile is not in it, yet it exists.
 */
static void sweep(struct kt_lv_events *e, bool report, uint64_t mark)
{
	size_t i = 0;

	while (i < e->n) {
		struct known *k = &e->known[i];

		if (k->listed ||
		    (!report && (!inactive(k->state) || k->event_no > mark))) {
			k->listed = false;
			i++;
			continue;
		}
		if (report)
			raise_state(e, k->uuid, k->name, KT_VM_UNKNOWN,
				    k->state, KT_REASON_FOUND_AT_RECONNECT);
		forget_at(e, i);
	}
}

uint64_t kt_lv_events_mark(struct kt_lv_events *e)
{
	uint64_t mark;

	pthread_mutex_lock(&e->lock);
	mark = e->events;
	pthread_mutex_unlock(&e->lock);
	return mark;
}

void kt_lv_events_listed(struct kt_lv_events *e, const struct kt_domain *doms,
			 size_t n, uint64_t mark)
{
	bool report;
	size_t i;

	pthread_mutex_lock(&e->lock);
	report = e->reconnected;
	e->reconnected = false;
	if (e->link == LINK_LOST)
		raise_link(e, KT_EV_LIBVIRT_RESTORED);
	for (i = 0; i < n; i++) {
		struct known *k;

		if (report)
			compare(e, &doms[i]);
		/* Seeds, or catches up where no event said it. */
		if ((k = find(e, doms[i].uuid)) == NULL || report)
			(void)remember(e, doms[i].uuid, doms[i].name,
				       doms[i].state);
		if ((k = find(e, doms[i].uuid)) != NULL)
			k->listed = true;
	}
	sweep(e, report, mark);
	e->link = LINK_UP;
	e->seeded = true;
	pthread_mutex_unlock(&e->lock);
}

void kt_lv_events_failed(struct kt_lv_events *e)
{
	pthread_mutex_lock(&e->lock);
	if (e->link != LINK_LOST) {
		raise_link(e, KT_EV_LIBVIRT_LOST);
		e->link = LINK_LOST;
	}
	/* What the connection did not tell meanwhile is compared later. */
	e->reconnected = e->seeded;
	pthread_mutex_unlock(&e->lock);
}
