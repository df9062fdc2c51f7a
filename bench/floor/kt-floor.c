/*
 * kt-floor: the reference floor of the walk benchmark (bench/walk).
 *
 * A minimal AgentX subagent that serves one synthetic table of ROWS x COLS
 * instances (odd columns Counter64, even columns Gauge32) below
 * 1.3.6.1.4.1.8072.9999.9998, registered the way kvmtop-subagent registers
 * its tables (netsnmp_create_handler_registration with our own GET and
 * GETNEXT), and answered in O(1) by arithmetic: no rows in memory, no
 * search.  Whatever a walk of it costs is net-snmp's AgentX path, the floor
 * under any subagent.  With --count V only the first V instances in walk
 * order exist (column-major), so a walk returns exactly V varbinds.
 *
 *   kt-floor -x unix:/path/agentx.sock [--rows R] [--cols C] [--count V]
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define FLOOR_NAME "kt-floor"

/* 1.3.6.1.4.1.8072.9999.9998: next to KVMTOP-MIB's .9999, in the playpen. */
static const oid floor_table[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 9998, 1 };
/* Instances are floor_table.1.COLUMN.ROW. */
static const oid floor_entry[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 9998, 1, 1 };
#define ENTRY_LEN OID_LENGTH(floor_entry)

struct floor {
	unsigned long rows, cols;
	unsigned long count; /* instances that exist, in walk order */
};

static struct floor g_floor;
static volatile sig_atomic_t g_stop;

/* Whether (col, row) exists: the first @count cells, column by column. */
static int cell_exists(const struct floor *f, unsigned long col,
		       unsigned long row)
{
	if (col < 1 || col > f->cols || row < 1 || row > f->rows)
		return 0;
	return (col - 1) * f->rows + row <= f->count;
}

static void cell_value(netsnmp_variable_list *vb, unsigned long col,
		       unsigned long row)
{
	struct counter64 c64;
	u_long g;

	if (col % 2 == 1) {
		uint64_t v = (uint64_t)col * 1000000000000ull + row * 1000u;

		c64.high = (u_long)(v >> 32);
		c64.low = (u_long)(v & 0xffffffffu);
		snmp_set_var_typed_value(vb, ASN_COUNTER64, &c64, sizeof(c64));
	} else {
		g = (u_long)(col * 100000u + row);
		snmp_set_var_typed_value(vb, ASN_GAUGE, &g, sizeof(g));
	}
}

/* GET: exactly ENTRY.col.row. */
static int floor_get(const oid *name, size_t len, unsigned long *col,
		     unsigned long *row)
{
	if (len != ENTRY_LEN + 2 ||
	    snmp_oid_compare(name, ENTRY_LEN, floor_entry, ENTRY_LEN) != 0)
		return 0;
	*col = name[ENTRY_LEN];
	*row = name[ENTRY_LEN + 1];
	return cell_exists(&g_floor, *col, *row);
}

/* GETNEXT: the first instance after @name, computed, not searched. */
static int floor_next(const oid *name, size_t len, unsigned long *col,
		      unsigned long *row)
{
	unsigned long c = 1, r = 1;

	if (len > ENTRY_LEN &&
	    snmp_oid_compare(name, ENTRY_LEN, floor_entry, ENTRY_LEN) == 0) {
		if (name[ENTRY_LEN] > g_floor.cols)
			return 0;
		if (name[ENTRY_LEN] >= 1) {
			c = name[ENTRY_LEN];
			/* ENTRY.c.r and anything below it come before r + 1 */
			r = len > ENTRY_LEN + 1 ? name[ENTRY_LEN + 1] + 1 : 1;
		}
	} else if (snmp_oid_compare(name, len, floor_entry, ENTRY_LEN) > 0) {
		return 0; /* past the table */
	}
	if (r > g_floor.rows) {
		c++;
		r = 1;
	}
	*col = c;
	*row = r;
	return cell_exists(&g_floor, c, r);
}

static void answer(netsnmp_agent_request_info *reqinfo,
		   netsnmp_request_info *req)
{
	netsnmp_variable_list *vb = req->requestvb;
	unsigned long col, row;
	oid next[ENTRY_LEN + 2];

	if (reqinfo->mode == MODE_GET) {
		if (floor_get(vb->name, vb->name_length, &col, &row))
			cell_value(vb, col, row);
		else
			netsnmp_set_request_error(reqinfo, req,
						  SNMP_NOSUCHINSTANCE);
	} else if (reqinfo->mode == MODE_GETNEXT) {
		if (!floor_next(vb->name, vb->name_length, &col, &row))
			return; /* unanswered: the master moves on */
		memcpy(next, floor_entry, sizeof(floor_entry));
		next[ENTRY_LEN] = col;
		next[ENTRY_LEN + 1] = row;
		snmp_set_var_objid(vb, next, ENTRY_LEN + 2);
		cell_value(vb, col, row);
	} else {
		netsnmp_set_request_error(reqinfo, req, SNMP_ERR_NOTWRITABLE);
	}
}

static int floor_handler(netsnmp_mib_handler *handler,
			 netsnmp_handler_registration *reginfo,
			 netsnmp_agent_request_info *reqinfo,
			 netsnmp_request_info *requests)
{
	netsnmp_request_info *req;

	(void)handler;
	(void)reginfo;
	for (req = requests; req != NULL; req = req->next)
		if (!req->processed)
			answer(reqinfo, req);
	return SNMP_ERR_NOERROR;
}

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static void usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
		"usage: " FLOOR_NAME " -x AGENTX-ADDRESS [--rows R] [--cols C] "
		"[--count V]\n");
	exit(status);
}

static unsigned long number(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v == 0 ||
	    v > 0xffffffffUL)
		usage(2);
	return v;
}

static const char *parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "agentx-socket", required_argument, NULL, 'x' },
		{ "rows", required_argument, NULL, 'r' },
		{ "cols", required_argument, NULL, 'c' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *socket = NULL;
	int ch;

	g_floor.rows = 1000;
	g_floor.cols = 100;
	while ((ch = getopt_long(argc, argv, "x:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'x': socket = optarg; break;
		case 'r': g_floor.rows = number(optarg); break;
		case 'c': g_floor.cols = number(optarg); break;
		case 'n': g_floor.count = number(optarg); break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (socket == NULL || optind != argc)
		usage(2);
	/* --count alone: 100 columns of as many rows as it takes. */
	if (g_floor.count != 0 && g_floor.rows * g_floor.cols < g_floor.count)
		g_floor.rows = (g_floor.count + g_floor.cols - 1) / g_floor.cols;
	if (g_floor.count == 0)
		g_floor.count = g_floor.rows * g_floor.cols;
	return socket;
}

static int start_agent(const char *socket)
{
	netsnmp_handler_registration *reg;

	setenv("MIBS", "", 1);
	snmp_enable_stderrlog();
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE,
			       1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
			      NETSNMP_DS_AGENT_X_SOCKET, socket);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	if (init_agent(FLOOR_NAME) != 0)
		return -1;
	reg = netsnmp_create_handler_registration(
		"ktFloorTable", floor_handler, floor_table,
		OID_LENGTH(floor_table), HANDLER_CAN_RONLY);
	if (reg == NULL || netsnmp_register_handler(reg) != MIB_REGISTERED_OK)
		return -1;
	init_snmp(FLOOR_NAME);
	return 0;
}

int main(int argc, char **argv)
{
	const char *socket = parse_args(argc, argv);
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (start_agent(socket) != 0) {
		fprintf(stderr, FLOOR_NAME ": cannot start the AgentX subagent\n");
		return 1;
	}
	while (!g_stop)
		agent_check_and_process(1);
	snmp_shutdown(FLOOR_NAME);
	shutdown_agent();
	return 0;
}
