/*
 * Notifications through AgentX (notify.h).
 *
 * The queue is drained only while the AgentX session is up: net-snmp's
 * subagent adds its session to the trap sinks when it connects and
 * removes it when it loses the master, and a notification sent without a
 * session is dropped silently, so the session's comings and goings
 * (SNMPD_CALLBACK_INDEX_START / _STOP) gate the queue.
 *
 * A VM notification names the VM's row (kvmtopVmUuid.INDEX ...).  Events
 * from libvirt carry the UUID only: the index comes from the snapshots
 * served (notify/vm_index.h, which remembers VMs for a while after they
 * left).  For a VM no collection has seen yet the queue waits for a
 * collection that started after the event (asked for at once); a VM that
 * is not in that one either is gone again, and its notification names
 * row 0.  Waiting at the head keeps the order of everything behind it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "kvmtop_oid.h"
#include "log.h"
#include "mib/notify.h"
#include "notify/vm_index.h"

/* kvmtopNotify scalars, in the order of the MIB. */
enum {
	COL_SENT = 1,
	COL_QUEUED,
	COL_DROPPED,
	COL_QUEUE_SIZE,
	COL_STEAL_HIGH,
	COL_STEAL_NORMAL,
	COL_STEAL_DURATION,
	COL_PREVIOUS_STATE, /* accessible-for-notify: not served */
	COL_REASON,
};

static const oid trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

static struct {
	struct kt_notify_config cfg;
	struct kt_steal_watch *steal;
	struct kt_vm_index *indexes; /* of the VMs the snapshots showed */
	bool session_up;
	bool asked;	  /* a collection was asked for the head */
	bool drop_logged; /* this overflow episode was logged */
	uint64_t sent;
} g;

/* ---- the AgentX session ---- */

static int on_session(int major, int minor, void *server, void *client)
{
	struct kt_notify_queue_stats st;
	bool up = minor == SNMPD_CALLBACK_INDEX_START;

	(void)major;
	(void)server;
	(void)client;
	if (up == g.session_up)
		return SNMP_ERR_NOERROR;
	g.session_up = up;
	kt_notify_queue_stats(g.cfg.queue, &st);
	if (up)
		kt_log_info("notify",
			    "AgentX session up: sending notifications (%zu "
			    "queued)",
			    st.queued);
	else
		kt_log_info("notify",
			    "AgentX session lost: notifications wait in the "
			    "queue (at most %zu)",
			    st.capacity);
	return SNMP_ERR_NOERROR;
}

int kt_notify_init(const struct kt_notify_config *cfg)
{
	g.cfg = *cfg;
	if (kt_steal_watch_new(&cfg->steal, &g.steal) != 0 ||
	    kt_vm_index_new(&g.indexes) != 0)
		return -1;
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
			       SNMPD_CALLBACK_INDEX_START, on_session, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
			       SNMPD_CALLBACK_INDEX_STOP, on_session, NULL);
	return 0;
}

void kt_notify_shutdown(void)
{
	kt_steal_watch_free(g.steal);
	kt_vm_index_free(g.indexes);
	memset(&g, 0, sizeof(g));
}

void kt_notify_snapshot(const struct kt_mib_ctx *ctx)
{
	struct kt_event_sink sink;

	if (g.steal == NULL || ctx->snap == NULL)
		return;
	sink = kt_notify_queue_sink(g.cfg.queue);
	if (kt_steal_watch_update(g.steal, ctx->snap, &sink) != 0)
		kt_log_warn("notify", "out of memory: steal not watched");
	if (kt_vm_index_update(g.indexes, ctx->snap) != 0)
		kt_log_warn("notify", "out of memory: VM indexes not updated");
	g.asked = false;
}

/* ---- building and sending ---- */

static void add_col(netsnmp_variable_list **vl, unsigned table, unsigned col,
		    uint32_t index, u_char type, const void *val, size_t len)
{
	oid name[] = { KT_OID_OBJECTS, table, 1, col, index };

	snmp_varlist_add_variable(vl, name, OID_LENGTH(name), type, val, len);
}

static void add_scalar(netsnmp_variable_list **vl, unsigned group, unsigned col,
		       u_char type, const void *val, size_t len)
{
	oid name[] = { KT_OID_OBJECTS, group, col, 0 };

	snmp_varlist_add_variable(vl, name, OID_LENGTH(name), type, val, len);
}

static void add_vm(netsnmp_variable_list **vl, const struct kt_event *ev)
{
	add_col(vl, KT_OID_VM_TABLE_SUBID, 2, ev->index, ASN_OCTET_STR,
		ev->uuid, strlen(ev->uuid));
	add_col(vl, KT_OID_VM_TABLE_SUBID, 3, ev->index, ASN_OCTET_STR,
		ev->name, strlen(ev->name));
}

static void add_body(netsnmp_variable_list **vl, const struct kt_event *ev,
		     const struct kt_mib_ctx *ctx)
{
	long state = ev->state, prev = ev->prev, reason = ev->reason;
	u_long steal = ev->steal, thr;

	switch (ev->kind) {
	case KT_EV_STATE:
		add_vm(vl, ev);
		add_col(vl, KT_OID_VM_TABLE_SUBID, 4, ev->index, ASN_INTEGER,
			&state, sizeof(state));
		add_scalar(vl, KT_OID_NOTIFY_SUBID, COL_PREVIOUS_STATE,
			   ASN_INTEGER, &prev, sizeof(prev));
		add_scalar(vl, KT_OID_NOTIFY_SUBID, COL_REASON, ASN_INTEGER,
			   &reason, sizeof(reason));
		break;
	case KT_EV_STEAL_HIGH:
	case KT_EV_STEAL_NORMAL:
		add_vm(vl, ev);
		add_col(vl, KT_OID_CPU_TABLE_SUBID, 7, ev->index, ASN_GAUGE,
			&steal, sizeof(steal));
		thr = ev->kind == KT_EV_STEAL_HIGH ? g.cfg.steal.high
						   : g.cfg.steal.normal;
		add_scalar(vl, KT_OID_NOTIFY_SUBID,
			   ev->kind == KT_EV_STEAL_HIGH ? COL_STEAL_HIGH
							: COL_STEAL_NORMAL,
			   ASN_GAUGE, &thr, sizeof(thr));
		break;
	default:
		add_scalar(vl, KT_OID_AGENT_SUBID, 7, ASN_OCTET_STR, ctx->uri,
			   strlen(ctx->uri));
		break;
	}
}

static void send_event(const struct kt_event *ev, const struct kt_mib_ctx *ctx)
{
	oid what[] = { KT_OID_ROOT, 0, (oid)ev->kind };
	netsnmp_variable_list *vl = NULL;

	snmp_varlist_add_variable(&vl, trap_oid, OID_LENGTH(trap_oid),
				  ASN_OBJECT_ID, what, sizeof(what));
	add_body(&vl, ev, ctx);
	send_v2trap(vl);
	snmp_free_varbind(vl);
	g.sent++;
}

/*
 * Fills in the index of a VM event; false when the head must wait for a
 * collection that started after the event.
 */
static bool resolve(struct kt_event *ev, const struct kt_snapshot *snap)
{
	if (ev->kind == KT_EV_LIBVIRT_LOST ||
	    ev->kind == KT_EV_LIBVIRT_RESTORED || ev->index != 0)
		return true;
	if ((ev->index = kt_vm_index_find(g.indexes, ev->uuid)) != 0)
		return true;
	if (snap != NULL && snap->taken_mono_ns > ev->raised_mono_ns)
		return true; /* gone again before any collection saw it */
	if (!g.asked && g.cfg.collect_now != NULL) {
		g.asked = true;
		g.cfg.collect_now(g.cfg.arg);
	}
	return false;
}

static void log_drops(void)
{
	struct kt_notify_queue_stats st;

	kt_notify_queue_stats(g.cfg.queue, &st);
	if (st.dropped_episode == 0) {
		g.drop_logged = false;
	} else if (!g.drop_logged) {
		g.drop_logged = true;
		kt_log_warn("notify",
			    "notification queue full (%zu): dropping the "
			    "oldest (kvmtopNotifyDropped counts them)",
			    st.capacity);
	}
}

/*
 * Notifications sent per round of the event loop: a queue that filled
 * while snmpd was away goes out in slices, with requests served between.
 */
#define KT_NOTIFY_BATCH 64

void kt_notify_pump(const struct kt_mib_ctx *ctx)
{
	struct kt_event ev;
	unsigned sent = 0;
	uint64_t seq;

	if (g.cfg.queue == NULL)
		return;
	kt_notify_queue_clear_fd(g.cfg.queue);
	log_drops();
	while (g.session_up && kt_notify_queue_peek(g.cfg.queue, &ev, &seq)) {
		if (sent == KT_NOTIFY_BATCH) {
			kt_notify_queue_poke(g.cfg.queue); /* the next round */
			break;
		}
		if (!resolve(&ev, ctx->snap))
			break;
		send_event(&ev, ctx);
		kt_notify_queue_pop(g.cfg.queue, seq);
		sent++;
	}
}

/* ---- kvmtopNotify scalars (notify_columns.c) ---- */

static size_t one_row(const struct kt_mib_ctx *ctx)
{
	(void)ctx;
	return 1;
}

/* The queue's counters and the steal watch's settings, as of now. */
static const void *notify_row(const struct kt_mib_ctx *ctx, size_t row,
			      union kt_row_tmp *tmp)
{
	struct kt_notify_queue_stats st = { 0, 0, 0, 0 };
	struct kt_notify_view *v = &tmp->notify;

	(void)ctx;
	(void)row;
	if (g.cfg.queue != NULL)
		kt_notify_queue_stats(g.cfg.queue, &st);
	v->sent = g.sent;
	v->dropped = st.dropped;
	v->queued = (uint32_t)st.queued;
	v->capacity = (uint32_t)st.capacity;
	v->steal_high = g.cfg.steal.high;
	v->steal_normal = g.cfg.steal.normal;
	v->steal_for_ms = (uint32_t)(g.cfg.steal.for_ns / 1000000u);
	return v;
}

KT_SCALARS(kt_notify_scalars, "kvmtopNotify", kt_notify_cols,
	   KT_OID_NOTIFY_SUBID, one_row, notify_row);
