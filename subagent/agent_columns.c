/*
 * The kvmtopAgent scalars (row: struct kt_agent_view): the agent and the
 * freshness of what it serves.  Values that come from the snapshot read 0
 * (false for LibvirtConnected) before the first one, as the MIB says: a
 * poller sees "nothing collected yet" rather than missing objects.
 */
#include "clock.h"
#include "columns_def.h"
#include "kvmtop_oid.h"

static const struct kt_agent_view *view(const void *row)
{
	return row;
}

static const struct kt_snapshot *snap_of(const void *row)
{
	static const struct kt_snapshot none;
	const struct kt_snapshot *s = view(row)->snap;

	return s != NULL ? s : &none;
}

static uint64_t ms(uint64_t ns)
{
	return ns / 1000000u;
}

static bool version(const void *row, unsigned arg, struct kt_cell *out)
{
	(void)arg;
	out->str = view(row)->version;
	return true;
}

static bool refresh_interval(const void *row, unsigned arg, struct kt_cell *out)
{
	(void)arg;
	out->num = view(row)->interval_ms;
	return true;
}

static bool last_refresh(const void *row, unsigned arg, struct kt_cell *out)
{
	(void)arg;
	out->num = (uint64_t)snap_of(row)->finished_unix;
	return true;
}

static bool refresh_duration(const void *row, unsigned arg, struct kt_cell *out)
{
	(void)arg;
	out->num = ms(snap_of(row)->duration_ns);
	return true;
}

static bool libvirt_connected(const void *row, unsigned arg,
			      struct kt_cell *out)
{
	(void)arg;
	out->num = snap_of(row)->libvirt_connected;
	return true;
}

static bool vm_count(const void *row, unsigned arg, struct kt_cell *out)
{
	(void)arg;
	out->num = snap_of(row)->n_vms;
	return true;
}

static bool libvirt_uri(const void *row, unsigned arg, struct kt_cell *out)
{
	(void)arg;
	out->str = view(row)->uri;
	return true;
}

/* Age of the data served: since the agent started when there is none yet. */
static bool refresh_age(const void *row, unsigned arg, struct kt_cell *out)
{
	const struct kt_agent_view *a = view(row);
	uint64_t since = a->snap != NULL ? a->snap->finished_mono_ns
					 : a->started_mono_ns;
	uint64_t now = kt_mono_ns();

	(void)arg;
	out->num = now > since ? ms(now - since) : 0;
	return true;
}

static bool refresh_count(const void *row, unsigned arg, struct kt_cell *out)
{
	(void)arg;
	out->num = snap_of(row)->seq;
	return true;
}

static bool sample_interval(const void *row, unsigned arg, struct kt_cell *out)
{
	(void)arg;
	out->num = ms(snap_of(row)->interval_ns);
	return true;
}

/* clang-format off */
static const struct kt_col agent_cols[] = {
	KT_FN(1, "kvmtopAgentVersion", NULL, NULL, KT_SMI_DISPLAY, NULL,
	      KT_FMT_TEXT, version),
	KT_FN(2, "kvmtopAgentRefreshInterval", NULL, NULL, KT_SMI_UNSIGNED32,
	      "milliseconds", KT_FMT_NUM, refresh_interval),
	KT_FN(3, "kvmtopAgentLastRefresh", NULL, NULL, KT_SMI_UNSIGNED32,
	      "seconds", KT_FMT_NUM, last_refresh),
	KT_FN(4, "kvmtopAgentRefreshDuration", NULL, NULL, KT_SMI_GAUGE32,
	      "milliseconds", KT_FMT_NUM, refresh_duration),
	KT_FN(5, "kvmtopAgentLibvirtConnected", NULL, NULL, KT_SMI_TRUTH,
	      NULL, KT_FMT_BOOL, libvirt_connected),
	KT_FN(6, "kvmtopAgentVmCount", NULL, NULL, KT_SMI_GAUGE32,
	      "virtual machines", KT_FMT_NUM, vm_count),
	KT_FN(7, "kvmtopAgentLibvirtUri", NULL, NULL, KT_SMI_UTF8, NULL,
	      KT_FMT_TEXT, libvirt_uri),
	KT_FN(8, "kvmtopAgentLastRefreshAge", NULL, NULL, KT_SMI_GAUGE32,
	      "milliseconds", KT_FMT_NUM, refresh_age),
	KT_FN(9, "kvmtopAgentRefreshCount", NULL, NULL, KT_SMI_COUNTER64,
	      "collections", KT_FMT_NUM, refresh_count),
	KT_FN(10, "kvmtopAgentSampleInterval", NULL, NULL, KT_SMI_GAUGE32,
	      "milliseconds", KT_FMT_NUM, sample_interval),
};
/* clang-format on */

KT_COL_SET(kt_agent_cols, "kvmtopAgent", KT_OID_AGENT_SUBID, true, agent_cols);
