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

enum agent_value {
	VERSION,
	REFRESH_INTERVAL,
	LAST_REFRESH,
	REFRESH_DURATION,
	LIBVIRT_CONNECTED,
	VM_COUNT,
	LIBVIRT_URI,
	REFRESH_AGE,
	REFRESH_COUNT,
	SAMPLE_INTERVAL,
};

/* Age of the data served: since the agent started when there is none yet. */
static uint64_t age_ms(const struct kt_agent_view *a)
{
	uint64_t since = a->snap != NULL ? a->snap->finished_mono_ns
					 : a->started_mono_ns;
	uint64_t now = kt_mono_ns();

	return now > since ? ms(now - since) : 0;
}

/* Value @arg (enum agent_value) of the agent. */
static bool agent_value(const void *row, unsigned arg, struct kt_cell *out)
{
	const struct kt_agent_view *a = view(row);
	const struct kt_snapshot *s = snap_of(row);

	switch ((enum agent_value)arg) {
	case VERSION:
		out->str = a->version;
		break;
	case REFRESH_INTERVAL:
		out->num = a->interval_ms;
		break;
	case LAST_REFRESH:
		out->num = (uint64_t)s->finished_unix;
		break;
	case REFRESH_DURATION:
		out->num = ms(s->duration_ns);
		break;
	case LIBVIRT_CONNECTED:
		out->num = s->libvirt_connected;
		break;
	case VM_COUNT:
		out->num = s->n_vms;
		break;
	case LIBVIRT_URI:
		out->str = a->uri;
		break;
	case REFRESH_AGE:
		out->num = age_ms(a);
		break;
	case REFRESH_COUNT:
		out->num = s->seq;
		break;
	case SAMPLE_INTERVAL:
		out->num = ms(s->interval_ns);
		break;
	}
	return true;
}

/* clang-format off */
static const struct kt_col agent_cols[] = {
	KT_FNA(1, "kvmtopAgentVersion", NULL, NULL, KT_SMI_DISPLAY, NULL,
	       KT_FMT_TEXT, agent_value, VERSION),
	KT_FNA(2, "kvmtopAgentRefreshInterval", NULL, NULL, KT_SMI_UNSIGNED32,
	       "milliseconds", KT_FMT_NUM, agent_value, REFRESH_INTERVAL),
	KT_FNA(3, "kvmtopAgentLastRefresh", NULL, NULL, KT_SMI_UNSIGNED32,
	       "seconds", KT_FMT_NUM, agent_value, LAST_REFRESH),
	KT_FNA(4, "kvmtopAgentRefreshDuration", NULL, NULL, KT_SMI_GAUGE32,
	       "milliseconds", KT_FMT_NUM, agent_value, REFRESH_DURATION),
	KT_FNA(5, "kvmtopAgentLibvirtConnected", NULL, NULL, KT_SMI_TRUTH,
	       NULL, KT_FMT_BOOL, agent_value, LIBVIRT_CONNECTED),
	KT_FNA(6, "kvmtopAgentVmCount", NULL, NULL, KT_SMI_GAUGE32,
	       "virtual machines", KT_FMT_NUM, agent_value, VM_COUNT),
	KT_FNA(7, "kvmtopAgentLibvirtUri", NULL, NULL, KT_SMI_UTF8, NULL,
	       KT_FMT_TEXT, agent_value, LIBVIRT_URI),
	KT_FNA(8, "kvmtopAgentLastRefreshAge", NULL, NULL, KT_SMI_GAUGE32,
	       "milliseconds", KT_FMT_NUM, agent_value, REFRESH_AGE),
	KT_FNA(9, "kvmtopAgentRefreshCount", NULL, NULL, KT_SMI_COUNTER64,
	       "collections", KT_FMT_NUM, agent_value, REFRESH_COUNT),
	KT_FNA(10, "kvmtopAgentSampleInterval", NULL, NULL, KT_SMI_GAUGE32,
	       "milliseconds", KT_FMT_NUM, agent_value, SAMPLE_INTERVAL),
};
/* clang-format on */

KT_COL_SET(kt_agent_cols, "kvmtopAgent", KT_OID_AGENT_SUBID, true, agent_cols);
