/*
 * kt-getlat: GET latency as an NMS sees it (bench/latency).
 *
 * Sends COUNT single-varbind SNMPv2c GETs, one at a time, each for a random
 * row of a random one of the given column OIDs, and times each round trip
 * with CLOCK_MONOTONIC.  Rows are 1..ROWS, or the indexes listed one per
 * line in FILE (-f) when they are not contiguous, as kvmtopVmIndex is not.
 * With -p USEC the GETs start USEC apart (as an NMS paces its requests)
 * instead of back to back, so that they spread over a longer time: over
 * several collection cycles when the agent collects often.  One process and one session for all
 * requests, so no process start-up is measured (as it would be with a loop
 * of snmpget).  Prints one line:
 *   getlat gets=.. ok=.. nosuch=.. errors=.. p50_us=.. p90_us=.. p99_us=.. ...
 *
 *   kt-getlat -a udp:127.0.0.1:PORT [-n COUNT] [-r ROWS | -f FILE] [-p USEC]
 *             [-s SEED] COLUMN-OID...
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "clock.h"

#define MAX_COLUMNS 32

struct column {
	oid name[MAX_OID_LEN];
	size_t len;
};

struct getlat {
	const char *peer;
	unsigned long count, rows;
	unsigned long pace_us; /* start of one GET to the next, 0: back to back */
	oid *index; /* the rows' indexes (-f), NULL: 1..rows */
	unsigned seed;
	struct column cols[MAX_COLUMNS];
	size_t n_cols;
	unsigned long ok, nosuch, errors;
};

static void usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
		"usage: kt-getlat -a PEER [-n COUNT] [-r ROWS | -f FILE] "
		"[-p USEC] [-s SEED] COLUMN-OID...\n");
	exit(status);
}

static unsigned long number(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v == 0)
		usage(2);
	return v;
}

/* ".1.3.6.1..." (leading dot optional), numeric only: no MIB is loaded. */
static int parse_oid(const char *s, struct column *c)
{
	char *end;

	c->len = 0;
	if (*s == '.')
		s++;
	while (*s != '\0') {
		if (c->len == MAX_OID_LEN - 1)
			return -1;
		errno = 0;
		c->name[c->len++] = strtoul(s, &end, 10);
		if (errno != 0 || end == s || (*end != '.' && *end != '\0'))
			return -1;
		s = *end == '.' ? end + 1 : end;
	}
	return c->len >= 2 ? 0 : -1;
}

/* Row indexes, one decimal number a line; usage error when none. */
static void read_indexes(const char *path, struct getlat *g)
{
	unsigned long v, cap = 0;
	FILE *f = fopen(path, "r");
	oid *nv;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	g->rows = 0;
	while (fscanf(f, "%lu", &v) == 1) {
		if (g->rows == cap) {
			cap = cap != 0 ? cap * 2 : 256;
			if ((nv = realloc(g->index, cap * sizeof(*nv))) == NULL)
				exit(1);
			g->index = nv;
		}
		g->index[g->rows++] = v;
	}
	fclose(f);
	if (g->rows == 0)
		usage(2);
}

static void parse_args(int argc, char **argv, struct getlat *g)
{
	int ch;

	memset(g, 0, sizeof(*g));
	g->count = 2000;
	g->rows = 1;
	g->seed = 1;
	while ((ch = getopt(argc, argv, "a:n:r:f:p:s:h")) != -1) {
		switch (ch) {
		case 'a': g->peer = optarg; break;
		case 'n': g->count = number(optarg); break;
		case 'r': g->rows = number(optarg); break;
		case 'f': read_indexes(optarg, g); break;
		case 'p': g->pace_us = number(optarg); break;
		case 's': g->seed = (unsigned)number(optarg); break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (g->peer == NULL || optind == argc || argc - optind > MAX_COLUMNS)
		usage(2);
	for (; optind < argc; optind++)
		if (parse_oid(argv[optind], &g->cols[g->n_cols++]) != 0)
			usage(2);
}

static void *open_session(const char *peer)
{
	netsnmp_session s;

	snmp_sess_init(&s);
	s.version = SNMP_VERSION_2c;
	s.peername = (char *)peer;
	s.community = (u_char *)"public";
	s.community_len = strlen("public");
	s.timeout = 2000000; /* µs; a lost reply is an error, not a retry */
	s.retries = 0;
	return snmp_sess_open(&s);
}

/* One GET of a random row of a random column; its round trip in ns. */
static uint64_t one_get(void *sess, struct getlat *g)
{
	const struct column *c = &g->cols[(size_t)rand() % g->n_cols];
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp = NULL;
	unsigned long row = (unsigned long)rand() % g->rows;
	oid name[MAX_OID_LEN];
	uint64_t t0, t;
	int st;

	memcpy(name, c->name, c->len * sizeof(oid));
	name[c->len] = g->index != NULL ? g->index[row] : 1 + (oid)row;
	snmp_add_null_var(pdu, name, c->len + 1);
	t0 = kt_mono_ns();
	st = snmp_sess_synch_response(sess, pdu, &resp);
	t = kt_mono_ns() - t0;
	if (st != STAT_SUCCESS || resp == NULL ||
	    resp->errstat != SNMP_ERR_NOERROR || resp->variables == NULL)
		g->errors++;
	else if (resp->variables->type == SNMP_NOSUCHINSTANCE ||
		 resp->variables->type == SNMP_NOSUCHOBJECT)
		g->nosuch++;
	else
		g->ok++;
	if (resp != NULL)
		snmp_free_pdu(resp);
	return t;
}

/* Sleeps until @ns on CLOCK_MONOTONIC (no-op when it has passed). */
static void sleep_until(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull),
			       (long)(ns % 1000000000ull) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

static double pct_us(const uint64_t *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return v[i] / 1e3;
}

static void report(const struct getlat *g, uint64_t *v, size_t n)
{
	uint64_t sum = 0;
	size_t i;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++)
		sum += v[i];
	printf("getlat gets=%zu ok=%lu nosuch=%lu errors=%lu p50_us=%.1f "
	       "p90_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f\n",
	       n, g->ok, g->nosuch, g->errors, pct_us(v, n, 0.50),
	       pct_us(v, n, 0.90), pct_us(v, n, 0.99), v[n - 1] / 1e3,
	       (double)sum / (double)n / 1e3);
}

int main(int argc, char **argv)
{
	uint64_t *lat, start;
	struct getlat g;
	unsigned long i;
	void *sess;

	parse_args(argc, argv, &g);
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	init_snmp("kt-getlat");
	srand(g.seed);
	if ((lat = calloc(g.count, sizeof(*lat))) == NULL)
		return 1;
	if ((sess = open_session(g.peer)) == NULL) {
		snmp_perror("kt-getlat");
		free(lat);
		return 1;
	}
	start = kt_mono_ns();
	for (i = 0; i < g.count; i++) {
		if (g.pace_us != 0)
			sleep_until(start + i * g.pace_us * 1000ull);
		lat[i] = one_get(sess, &g);
	}
	report(&g, lat, g.count);
	snmp_sess_close(sess);
	snmp_shutdown("kt-getlat");
	free(lat);
	free(g.index);
	return g.errors == 0 ? 0 : 1;
}
