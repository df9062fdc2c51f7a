/*
 * kvmtopAgent: the agent's own scalars (version, refresh interval, the
 * freshness of the data served).  Served through the table engine as one
 * row with index 0, which is what a scalar's ".0" instance is.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "clock.h"
#include "kvmtop_oid.h"
#include "mib/tables.h"

/* Keep these in the order of KVMTOP-MIB's kvmtopAgent group. */
enum {
	COL_VERSION = 1,
	COL_REFRESH_INTERVAL,
	COL_LAST_REFRESH,
	COL_REFRESH_DURATION,
	COL_LIBVIRT_CONNECTED,
	COL_VM_COUNT,
	COL_LIBVIRT_URI,
	COL_LAST_REFRESH_AGE,
	COL_REFRESH_COUNT,
	COL_SAMPLE_INTERVAL,
};

static const oid agent_oid[] = { KT_OID_OBJECTS, KT_OID_AGENT_SUBID };

static size_t one_row(const struct kt_mib_ctx *ctx)
{
	(void)ctx;
	return 1;
}

static size_t scalar_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	(void)ctx;
	(void)row;
	idx[0] = 0;
	return 1;
}

static uint64_t ms(uint64_t ns)
{
	return ns / 1000000u;
}

/* Age of the data served: since the agent started when there is none yet. */
static uint64_t age_ms(const struct kt_mib_ctx *ctx)
{
	uint64_t since = ctx->snap != NULL ? ctx->snap->finished_mono_ns
					   : ctx->started_mono_ns;
	uint64_t now = kt_mono_ns();

	return now > since ? ms(now - since) : 0;
}

/*
 * Values that come from the snapshot.  Before the first one they read 0
 * (false for LibvirtConnected), as the MIB says: a poller sees "nothing
 * collected yet" rather than missing objects.
 */
static bool snapshot_cell(const struct kt_snapshot *s, unsigned col,
			  struct kt_value *v)
{
	static const struct kt_snapshot none;

	if (s == NULL)
		s = &none;
	switch (col) {
	case COL_LAST_REFRESH:
		return kt_val_num(v, ASN_UNSIGNED, (uint64_t)s->finished_unix);
	case COL_REFRESH_DURATION:
		return kt_val_gauge(v, ms(s->duration_ns));
	case COL_LIBVIRT_CONNECTED:
		return kt_val_truth(v, s->libvirt_connected);
	case COL_VM_COUNT:
		return kt_val_gauge(v, s->n_vms);
	case COL_REFRESH_COUNT:
		return kt_val_num(v, ASN_COUNTER64, s->seq);
	case COL_SAMPLE_INTERVAL:
		return kt_val_gauge(v, ms(s->interval_ns));
	default:
		return false;
	}
}

static bool agent_cell(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		       struct kt_value *v)
{
	(void)row;
	switch (col) {
	case COL_VERSION:
		return kt_val_str(v, ctx->version, strlen(ctx->version));
	case COL_REFRESH_INTERVAL:
		return kt_val_num(v, ASN_UNSIGNED, ctx->interval_ms);
	case COL_LIBVIRT_URI:
		return kt_val_str(v, ctx->uri, strlen(ctx->uri));
	case COL_LAST_REFRESH_AGE:
		return kt_val_gauge(v, age_ms(ctx));
	default:
		return snapshot_cell(ctx->snap, col, v);
	}
}

const struct kt_table kt_agent_scalars = {
	.name = "kvmtopAgent",
	.reg = agent_oid,
	.reg_len = OID_LENGTH(agent_oid),
	.prefix = agent_oid,
	.prefix_len = OID_LENGTH(agent_oid),
	.first_col = COL_VERSION,
	.last_col = COL_SAMPLE_INTERVAL,
	.n_rows = one_row,
	.row_index = scalar_index,
	.cell = agent_cell,
};
