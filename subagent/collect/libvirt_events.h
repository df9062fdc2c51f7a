/*
 * VM lifecycle and libvirt connection notifications, raised as struct
 * kt_event into a sink (notify/event.h); nothing here knows SNMP.
 *
 * Lifecycle: a callback registered with virConnectDomainEventRegisterAny()
 * on the collector's read-only connection each time it is opened; libvirt
 * calls it from its event loop thread (the one libvirt_call.c runs), once
 * per transition, so transitions between two collections are not missed.
 * The last known state of every VM (from the events, and from the
 * listings of the collector) gives each notification its previous state.
 *
 * After a reconnect, the first listing is compared with the last known
 * states: each difference, and each VM gone meanwhile, is raised with
 * the reason "found at reconnect".  Connection: the collector's listing
 * failing after it worked (or at the first try) raises "lost", working
 * again after that raises "restored".
 */
#ifndef KT_LIBVIRT_EVENTS_H
#define KT_LIBVIRT_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include <libvirt/libvirt.h>

#include "collect/libvirt.h"
#include "notify/event.h"

struct kt_lv_events;

/* Returns 0 or -ENOMEM.  @sink is copied. */
int kt_lv_events_new(const struct kt_event_sink *sink,
		     struct kt_lv_events **out);
/* After every connection it was registered on is closed. */
void kt_lv_events_free(struct kt_lv_events *e);

/*
 * Registers the lifecycle and close callbacks on @conn (any thread; an
 * RPC).  Returns the lifecycle callback's id, or -1.
 */
int kt_lv_events_register(struct kt_lv_events *e, virConnectPtr conn);

/*
 * Takes the callbacks off @conn before the caller closes it: a connection
 * may outlive its last use (a call still blocked holds a reference), and
 * no callback may reach @e after kt_lv_events_free().
 */
void kt_lv_events_unregister(struct kt_lv_events *e, virConnectPtr conn);

/* The number of events so far: taken before a listing is asked for. */
uint64_t kt_lv_events_mark(struct kt_lv_events *e);

/*
 * A listing of every domain, asked for when kt_lv_events_mark() gave
 * @mark, succeeded: seeds the known states the first time, reconciles
 * after a reconnect (raising the differences), forgets stopped domains
 * that are gone otherwise (not those an event set after @mark).  Raises
 * "restored" when the connection was lost before.
 */
void kt_lv_events_listed(struct kt_lv_events *e, const struct kt_domain *doms,
			 size_t n, uint64_t mark);

/*
 * The connection failed (a listing failed, or the connection closed on
 * libvirt's side): raises "lost" once until the next listing, which is
 * then compared with the known states.  Any thread.
 */
void kt_lv_events_failed(struct kt_lv_events *e);

/*
 * libvirt's event (VIR_DOMAIN_EVENT_*) and detail as the state it leads
 * to and the reason of KVMTOP-MIB; @prev is the state before (for an
 * update of the definition, which changes no state).
 */
void kt_lv_event_map(int event, int detail, enum kt_vm_state prev,
		     enum kt_vm_state *state, enum kt_event_reason *reason);

#endif
