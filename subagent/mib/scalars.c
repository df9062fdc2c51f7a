/*
 * kvmtopAgent: the agent's own scalars (version, refresh interval, the
 * freshness of the data served), read through the columns of
 * agent_columns.c.  Served through the table engine as one row with index
 * 0, which is what a scalar's ".0" instance is.
 */
#include "config.h"

#include "mib/tables.h"

static size_t one_row(const struct kt_mib_ctx *ctx)
{
	(void)ctx;
	return 1;
}

static const void *agent_row(const struct kt_mib_ctx *ctx, size_t row,
			     union kt_row_tmp *tmp)
{
	(void)row;
	tmp->agent.snap = ctx->snap;
	tmp->agent.version = ctx->version;
	tmp->agent.uri = ctx->uri;
	tmp->agent.interval_ms = ctx->interval_ms;
	tmp->agent.started_mono_ns = ctx->started_mono_ns;
	return &tmp->agent;
}

KT_SCALARS(kt_agent_scalars, "kvmtopAgent", kt_agent_cols, KT_OID_AGENT_SUBID,
	   one_row, agent_row);
