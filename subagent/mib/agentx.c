/*
 * The AgentX subagent.
 *
 * net-snmp does not own our loop: snmp_select_info2() tells which sockets
 * and which timeout it needs, we poll() those together with our own
 * descriptors (the collector's "snapshot ready" eventfd, signals), and hand
 * the readable ones back to snmp_read2().  Alarms run from the loop, never
 * from SIGALRM, so no handler interrupts a request half way.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "log.h"
#include "mib/agentx.h"
#include "mib/notify.h"
#include "mib/tables.h"

#define KT_AGENT_NAME "kvmtop-subagent"

/*
 * Without a ping the subagent never notices that snmpd restarted and stays
 * unregistered: ping every 5 s and reconnect when a ping fails.
 */
#define KT_AGENTX_PING_S 5
/* A short timeout and no retries: a dead master is detected in seconds. */
#define KT_AGENTX_TIMEOUT_S 1
#define KT_AGENTX_RETRIES 0

static struct kt_mib_ctx *g_ctx;

static void set_value(netsnmp_variable_list *vb, const struct kt_value *v)
{
	struct counter64 c64;
	u_long u;
	long l;

	switch (v->type) {
	case ASN_COUNTER64:
		c64.high = (u_long)(v->num >> 32);
		c64.low = (u_long)(v->num & 0xffffffffu);
		snmp_set_var_typed_value(vb, ASN_COUNTER64, &c64, sizeof(c64));
		break;
	case ASN_OCTET_STR:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, v->str, v->len);
		break;
	case ASN_INTEGER:
		l = (long)v->num;
		snmp_set_var_typed_value(vb, ASN_INTEGER, &l, sizeof(l));
		break;
	default:
		u = (u_long)v->num;
		snmp_set_var_typed_value(vb, v->type, &u, sizeof(u));
		break;
	}
}

static void answer(const struct kt_table *t,
		   netsnmp_agent_request_info *reqinfo,
		   netsnmp_request_info *req)
{
	netsnmp_variable_list *vb = req->requestvb;
	oid next[MAX_OID_LEN];
	struct kt_value v;
	size_t next_len;

	if (reqinfo->mode == MODE_GET) {
		if (kt_table_get(t, g_ctx, vb->name, vb->name_length, &v))
			set_value(vb, &v);
		else
			netsnmp_set_request_error(reqinfo, req,
						  SNMP_NOSUCHINSTANCE);
	} else if (reqinfo->mode == MODE_GETNEXT) {
		/* Nothing after it here: left unanswered, the agent moves on. */
		if (kt_table_next(t, g_ctx, vb->name, vb->name_length, next,
				  &next_len, &v)) {
			snmp_set_var_objid(vb, next, next_len);
			set_value(vb, &v);
		}
	} else {
		netsnmp_set_request_error(reqinfo, req, SNMP_ERR_NOTWRITABLE);
	}
}

static int table_handler(netsnmp_mib_handler *handler,
			 netsnmp_handler_registration *reginfo,
			 netsnmp_agent_request_info *reqinfo,
			 netsnmp_request_info *requests)
{
	const struct kt_table *t = handler->myvoid;
	netsnmp_request_info *req;

	(void)reginfo;
	for (req = requests; req != NULL; req = req->next)
		if (!req->processed)
			answer(t, reqinfo, req);
	return SNMP_ERR_NOERROR;
}

static int register_table(const struct kt_table *t)
{
	netsnmp_handler_registration *reg;

	reg = netsnmp_create_handler_registration(
		t->name, table_handler, t->reg, t->reg_len, HANDLER_CAN_RONLY);
	if (reg == NULL)
		return -1;
	reg->handler->myvoid = (void *)(uintptr_t)t;
	if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
		kt_log_err("snmp", "cannot register %s", t->name);
		return -1;
	}
	return 0;
}

static void configure_library(const struct kt_agentx_config *cfg)
{
	if (cfg->use_syslog)
		snmp_enable_syslog_ident(KT_AGENT_NAME, LOG_DAEMON);
	else
		snmp_enable_stderrlog();
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE,
			       1);
	if (cfg->socket != NULL)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
				      NETSNMP_DS_AGENT_X_SOCKET, cfg->socket);
	/* Alarms from our loop, not SIGALRM (see the top of this file). */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	/* The subagent serves OIDs; it never needs MIB files to name them. */
	setenv("MIBS", "", 1);
	/* No snmp.conf or persistent files: everything comes from options. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
}

/* Set after init_agent(), which resets the AgentX settings to defaults. */
static void configure_agentx(void)
{
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   KT_AGENTX_PING_S);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_TIMEOUT,
			   KT_AGENTX_TIMEOUT_S * ONE_SEC);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_RETRIES, KT_AGENTX_RETRIES);
}

int kt_agentx_init(const struct kt_agentx_config *cfg, struct kt_mib_ctx *ctx)
{
	size_t i;

	g_ctx = ctx;
	configure_library(cfg);
	if (init_agent(KT_AGENT_NAME) != 0) {
		kt_log_err("snmp",
			   "cannot initialise the net-snmp agent library");
		return -1;
	}
	configure_agentx();
	for (i = 0; i < kt_n_tables; i++)
		if (register_table(kt_tables[i]) != 0)
			return -1;
	/* Not in kt_tables: its values are the SNMP thread's, not a snapshot's. */
	if (register_table(&kt_notify_scalars) != 0)
		return -1;
	init_snmp(KT_AGENT_NAME);
	return 0;
}

void kt_agentx_shutdown(void)
{
	snmp_shutdown(KT_AGENT_NAME);
	shutdown_agent();
	g_ctx = NULL;
}

/* ---- the event loop ---- */

#define KT_MAX_POLL 64

/* net-snmp's descriptors and timeout, as a poll() set; returns the count. */
static size_t snmp_poll_set(struct pollfd *pfd, size_t max, int *timeout_ms)
{
	netsnmp_large_fd_set set;
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1, fd;
	size_t n = 0;

	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	snmp_select_info2(&numfds, &set, &tv, &block);
	for (fd = 0; fd < numfds && n < max; fd++) {
		if (!NETSNMP_LARGE_FD_ISSET(fd, &set))
			continue;
		pfd[n].fd = fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	netsnmp_large_fd_set_cleanup(&set);
	/* block: nothing pending in net-snmp, sleep until a descriptor wakes us */
	*timeout_ms =
		block ? -1
		      : (int)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
	return n;
}

/* Hands the readable net-snmp descriptors to snmp_read2(). */
static void snmp_dispatch(const struct pollfd *pfd, size_t n)
{
	netsnmp_large_fd_set set;
	bool any = false;
	size_t i;

	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		NETSNMP_LARGE_FD_SET(pfd[i].fd, &set);
		any = true;
	}
	if (any)
		snmp_read2(&set);
	netsnmp_large_fd_set_cleanup(&set);
}

int kt_agentx_run(const struct kt_loop_fd *fds, size_t n_fds,
		  const volatile bool *stop)
{
	struct pollfd pfd[KT_MAX_POLL];
	size_t n_snmp, i;
	int timeout, r;

	while (!*stop) {
		n_snmp = snmp_poll_set(pfd, KT_MAX_POLL - n_fds, &timeout);
		for (i = 0; i < n_fds; i++) {
			pfd[n_snmp + i].fd = fds[i].fd;
			pfd[n_snmp + i].events = POLLIN;
			pfd[n_snmp + i].revents = 0;
		}
		r = poll(pfd, n_snmp + n_fds, timeout);
		if (r < 0 && errno != EINTR) {
			kt_log_err("snmp", "poll: %s", strerror(errno));
			return -1;
		}
		if (r > 0)
			snmp_dispatch(pfd, n_snmp);
		else if (r == 0)
			snmp_timeout();
		for (i = 0; r > 0 && i < n_fds; i++)
			if (pfd[n_snmp + i].revents != 0)
				fds[i].ready(fds[i].arg);
		run_alarms();
		netsnmp_check_outstanding_agent_requests();
		/* After the alarms: one of them may have reconnected. */
		kt_notify_pump(g_ctx);
	}
	return 0;
}
