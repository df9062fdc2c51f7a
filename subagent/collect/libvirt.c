/*
 * The libvirt collector.
 *
 * One virConnectGetAllDomainStats() call per cycle gives every domain's
 * state, balloon, vCPU, block and interface figures where the driver
 * implements bulk stats (QEMU).  What a record lacks (libvirt's test driver
 * answers only state.*) is filled from virDomainGetInfo(), one call per such
 * domain, and for devices from the per-device calls of libvirt_dev.c.
 * Names and UUIDs come from the domain objects the bulk call returns: no
 * extra RPC.
 *
 * Opening the connection and the bulk call can block for as long as
 * libvirtd or a QEMU process does not answer: they run with a deadline
 * (libvirt_call.h).  The bulk call asks libvirt not to wait for a domain
 * whose job is taken (..._STATS_NOWAIT), so that after a call blocked on
 * one domain's QEMU, the next one still answers for all the others.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "collect/libvirt.h"
#include "collect/libvirt_call.h"
#include "collect/libvirt_dev.h"
#include "collect/libvirt_events.h"
#include "log.h"
#include "pool.h"

struct kt_libvirt {
	char *uri;
	virConnectPtr conn;
	bool connected;
	unsigned collectors;  /* KT_COLLECT_* bits */
	uint64_t timeout_ns;  /* for each call that may block */
	unsigned stats_flags; /* NOWAIT unless the driver refused it */
	struct kt_lvcall *calls;
	struct kt_dev_cache *devs; /* device names per domain */
	struct kt_complaint down;
	struct kt_lv_events *events; /* NULL: no notifications */
};

#define KT_BULK_STATS                                        \
	(VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_BALLOON | \
	 VIR_DOMAIN_STATS_VCPU)

/* libvirt reports errors through us, not on stderr by itself. */
static void quiet_libvirt_errors(void *data, virErrorPtr err)
{
	(void)data;
	(void)err;
}

int kt_libvirt_open(const char *uri, unsigned collectors, uint64_t timeout_ns,
		    struct kt_libvirt **out)
{
	struct kt_libvirt *lv;
	int r = -ENOMEM;

	*out = NULL;
	/* Before the first connection: keepalive needs the event loop. */
	virSetErrorFunc(NULL, quiet_libvirt_errors);
	if ((lv = calloc(1, sizeof(*lv))) == NULL)
		return -ENOMEM;
	lv->collectors = collectors;
	lv->timeout_ns = timeout_ns;
	lv->stats_flags = VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT;
	if ((lv->uri = strdup(uri)) == NULL ||
	    kt_dev_cache_new(&lv->devs) != 0 ||
	    (r = kt_lvcall_new(&lv->calls)) != 0) {
		kt_libvirt_close(lv);
		return r;
	}
	*out = lv;
	return 0;
}

/* In the open job's thread: the callbacks go with the new connection. */
static void register_events(virConnectPtr conn, void *arg)
{
	struct kt_lv_events *events = arg;

	(void)kt_lv_events_register(events, conn);
}

int kt_libvirt_watch(struct kt_libvirt *lv, const struct kt_event_sink *sink)
{
	int r;

	if (sink == NULL)
		return 0;
	if ((r = kt_lv_events_new(sink, &lv->events)) != 0)
		return r;
	kt_lvcall_set_open_hook(lv->calls, register_events, lv->events);
	return 0;
}

/* No callback may run into @lv after this: they go before the connection. */
static void unwatch(struct kt_libvirt *lv)
{
	if (lv->events != NULL && lv->conn != NULL)
		kt_lv_events_unregister(lv->events, lv->conn);
}

static void drop_connection(struct kt_libvirt *lv)
{
	unwatch(lv);
	if (lv->conn != NULL)
		virConnectClose(lv->conn);
	lv->conn = NULL;
	lv->connected = false;
}

void kt_libvirt_close(struct kt_libvirt *lv)
{
	if (lv == NULL)
		return;
	drop_connection(lv);
	kt_lvcall_free(lv->calls);
	kt_lv_events_free(lv->events);
	kt_dev_cache_free(lv->devs);
	free(lv->uri);
	free(lv);
}

unsigned long kt_libvirt_xml_reads(const struct kt_libvirt *lv)
{
	return kt_dev_cache_xml_reads(lv->devs);
}

/* Opens the connection if there is none or the old one died. */
static int ensure_connection(struct kt_libvirt *lv)
{
	struct kt_lvcall_error err;

	if (lv->conn != NULL && virConnectIsAlive(lv->conn) == 1)
		return 0;
	if (lv->conn != NULL && lv->events != NULL)
		kt_lv_events_failed(lv->events); /* died since the last cycle */
	drop_connection(lv);
	if (kt_lvcall_open(lv->calls, lv->uri, lv->timeout_ns, &lv->conn,
			   &err) != 0) {
		if (lv->events != NULL)
			kt_lv_events_failed(lv->events);
		kt_complain(&lv->down, "libvirt", "cannot connect to %s: %s",
			    lv->uri, err.msg);
		return -1;
	}
	return 0;
}

/*
 * The bulk call, without NOWAIT from then on if the driver refuses it.
 * Returns the number of records or a negative errno (@err says why).
 */
static int bulk_stats(struct kt_libvirt *lv, unsigned groups,
		      virDomainStatsRecordPtr **recs,
		      struct kt_lvcall_error *err)
{
	int r;

	r = kt_lvcall_stats(lv->calls, lv->conn, groups, lv->stats_flags,
			    lv->timeout_ns, recs, err);
	if (r == -EIO && lv->stats_flags != 0 &&
	    (err->code == VIR_ERR_INVALID_ARG ||
	     err->code == VIR_ERR_NO_SUPPORT)) {
		lv->stats_flags = 0;
		r = kt_lvcall_stats(lv->calls, lv->conn, groups, 0,
				    lv->timeout_ns, recs, err);
	}
	/*
	 * A call blocked on one domain holds that domain's job: a second
	 * call skips it and answers for the others (or blocks too when
	 * libvirtd itself is stuck; the keepalive then ends both).
	 */
	if (r == -ETIMEDOUT && lv->stats_flags != 0)
		r = kt_lvcall_stats(lv->calls, lv->conn, groups,
				    lv->stats_flags, lv->timeout_ns, recs, err);
	return r;
}

/* libvirt's virDomainState (and reason) as an RFC 7666 state. */
static enum kt_vm_state map_state(int state, int reason)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:
	case VIR_DOMAIN_BLOCKED:
		return KT_VM_RUNNING;
	case VIR_DOMAIN_PAUSED:
		if (reason == VIR_DOMAIN_PAUSED_MIGRATION)
			return KT_VM_MIGRATING;
		if (reason == VIR_DOMAIN_PAUSED_SAVE)
			return KT_VM_SUSPENDING;
		return KT_VM_PAUSED;
	case VIR_DOMAIN_SHUTDOWN:
		return KT_VM_SHUTTINGDOWN;
	case VIR_DOMAIN_SHUTOFF:
		return KT_VM_SHUTDOWN;
	case VIR_DOMAIN_CRASHED:
		return KT_VM_CRASHED;
	case VIR_DOMAIN_PMSUSPENDED:
		return KT_VM_SUSPENDED;
	default:
		return KT_VM_UNKNOWN;
	}
}

/* Identity of @dom: UUID and name, both local (no RPC). */
static int fill_identity(virDomainPtr dom, struct kt_domain *d)
{
	const char *name;

	if (virDomainGetUUIDString(dom, d->uuid) != 0)
		return -1;
	name = virDomainGetName(dom);
	if (name == NULL)
		name = "";
	if ((d->name = kt_pool_strdup(d->pool, name)) == NULL)
		return -1;
	d->active = virDomainGetID(dom) != (unsigned int)-1;
	d->state = KT_VM_UNKNOWN;
	return 0;
}

static bool param_ull(const virTypedParameterPtr p, int n, const char *name,
		      unsigned long long *v)
{
	return virTypedParamsGetULLong(p, n, name, v) == 1;
}

/* What one bulk record says; returns true when it had everything. */
static bool fill_from_record(const virDomainStatsRecordPtr rec,
			     struct kt_domain *d)
{
	int state = -1, reason = 0;
	unsigned long long max = 0, cur = 0;
	unsigned int vcpus = 0;
	bool has_state, has_vcpus;

	has_state = virTypedParamsGetInt(rec->params, rec->nparams,
					 "state.state", &state) == 1;
	(void)virTypedParamsGetInt(rec->params, rec->nparams, "state.reason",
				   &reason);
	if (has_state)
		d->state = map_state(state, reason);
	has_vcpus = virTypedParamsGetUInt(rec->params, rec->nparams,
					  "vcpu.current", &vcpus) == 1;
	d->vcpus = vcpus;
	if (param_ull(rec->params, rec->nparams, "balloon.maximum", &max) &&
	    param_ull(rec->params, rec->nparams, "balloon.current", &cur)) {
		d->has_mem = true;
		d->max_kib = max;
		d->cur_kib = cur;
	}
	return has_state && has_vcpus && d->has_mem;
}

/* The per-domain fallback for drivers without (full) bulk stats. */
static void fill_from_info(virDomainPtr dom, struct kt_domain *d)
{
	virDomainInfo info;
	int state, reason;

	if (virDomainGetInfo(dom, &info) != 0)
		return;
	/* The record's state.* has the reason too: no call for it then. */
	if (d->state == KT_VM_UNKNOWN)
		d->state = virDomainGetState(dom, &state, &reason, 0) == 0
				   ? map_state(state, reason)
				   : map_state(info.state, 0);
	if (d->vcpus == 0)
		d->vcpus = info.nrVirtCpu;
	if (!d->has_mem) {
		d->has_mem = true;
		d->max_kib = info.maxMem;
		d->cur_kib = info.memory;
	}
}

void kt_domains_free(struct kt_domain *doms, size_t n)
{
	size_t i;

	if (doms == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (doms[i].pool == NULL)
			free(doms[i].name);
		kt_domain_clear_devices(&doms[i]);
	}
	free(doms);
}

void kt_domain_clear_devices(struct kt_domain *d)
{
	kt_devices_clear_strings(d->blks, d->n_blks, d->ifs, d->n_ifs);
	if (d->pool == NULL) {
		free(d->blks);
		free(d->ifs);
	}
	d->blks = NULL;
	d->ifs = NULL;
	d->n_blks = d->n_ifs = 0;
	d->has_blks = d->has_ifs = false;
}

/* Everything about one domain; false when it vanished under us. */
static bool fill_domain(struct kt_libvirt *lv,
			const virDomainStatsRecordPtr rec, struct kt_pool *pool,
			struct kt_domain *d)
{
	d->pool = pool;
	if (fill_identity(rec->dom, d) != 0) {
		if (pool == NULL)
			free(d->name);
		memset(d, 0, sizeof(*d));
		return false;
	}
	if (!fill_from_record(rec, d))
		fill_from_info(rec->dom, d);
	/* Only a running domain has device counters (and tap names). */
	if (d->active &&
	    kt_dev_collect(lv->devs, rec->dom, rec, lv->collectors, d) != 0)
		d->dev_failed = true; /* out of memory: no device rows */
	return true;
}

static int list_bulk(struct kt_libvirt *lv, struct kt_pool *pool,
		     struct kt_domain **out, size_t *n,
		     struct kt_lvcall_error *err)
{
	unsigned groups = KT_BULK_STATS | kt_dev_stats_groups(lv->collectors);
	virDomainStatsRecordPtr *recs = NULL;
	struct kt_domain *doms = NULL;
	int nrecs, i, ret = -ENOMEM;

	nrecs = bulk_stats(lv, groups, &recs, err);
	if (nrecs < 0)
		return nrecs;
	if ((doms = calloc((size_t)nrecs + 1, sizeof(*doms))) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		goto out;
	}
	for (i = 0; i < nrecs; i++)
		if (fill_domain(lv, recs[i], pool, &doms[*n]))
			(*n)++;
	kt_dev_cache_sweep(lv->devs);
	*out = doms;
	doms = NULL;
	ret = 0;
out:
	kt_domains_free(doms, *n);
	virDomainStatsRecordListFree(recs);
	return ret;
}

int kt_libvirt_list(struct kt_libvirt *lv, struct kt_pool *pool,
		    struct kt_domain **out, size_t *n)
{
	struct kt_lvcall_error err;
	uint64_t mark = 0;
	int r;

	*out = NULL;
	*n = 0;
	if (ensure_connection(lv) != 0)
		return -1;
	if (lv->events != NULL)
		mark = kt_lv_events_mark(lv->events);
	if ((r = list_bulk(lv, pool, out, n, &err)) != 0) {
		kt_complain(&lv->down, "libvirt", "listing domains on %s: %s",
			    lv->uri, err.msg);
		/*
		 * A call that timed out may be waiting on one QEMU process:
		 * the connection stays (keepalive closes a dead one).
		 */
		if (r != -ETIMEDOUT && r != -EBUSY)
			drop_connection(lv);
		lv->connected = false;
		if (lv->events != NULL)
			kt_lv_events_failed(lv->events);
		return -1;
	}
	if (lv->events != NULL)
		kt_lv_events_listed(lv->events, *out, *n, mark);
	if (!lv->connected)
		kt_complain_release(&lv->down, "libvirt", "connected to %s",
				    lv->uri);
	lv->connected = true;
	return 0;
}
