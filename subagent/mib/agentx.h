/*
 * The SNMP side: joining snmpd as an AgentX subagent, registering the
 * tables, and the event loop that serves requests.  net-snmp is called from
 * the thread that calls these functions only.
 */
#ifndef KT_AGENTX_H
#define KT_AGENTX_H

#include <stdbool.h>
#include <stddef.h>

#include "mib/table.h"

struct kt_agentx_config {
	const char *socket; /* AgentX address, NULL for net-snmp's default */
	bool use_syslog;    /* net-snmp's own messages: syslog or stderr */
	int verbose;
};

/* An extra descriptor for the loop to watch, with what to do when readable. */
struct kt_loop_fd {
	int fd;
	void (*ready)(void *arg);
	void *arg;
};

/*
 * Starts the subagent and registers every table.  Handlers read @ctx, which
 * must outlive the agent; the caller swaps ctx->snap between requests.
 * Connecting to snmpd is retried in the background when it is not there.
 */
int kt_agentx_init(const struct kt_agentx_config *cfg, struct kt_mib_ctx *ctx);

/* Serves requests until *stop becomes true (set by a ready callback). */
int kt_agentx_run(const struct kt_loop_fd *fds, size_t n_fds,
		  const volatile bool *stop);

void kt_agentx_shutdown(void);

#endif
