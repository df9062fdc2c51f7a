/*
 * kt-collect-bench: the cost of collection cycles, without SNMP.
 *
 * Drives the collector of libkvmtop (kt_collector_new, kt_collector_run)
 * the way the agent's worker does, holding the served snapshot while the
 * next one is built, and measures each cycle: CPU time (getrusage, user +
 * system, the whole process: the libvirt test driver runs inside it) and
 * wall time.  It prints one line for the first cycle (which scans /proc
 * and reads every domain's XML), a summary of the steady cycles, the RSS
 * and the malloc heap in use after given cycles, and what a second, bare
 * connection to the same libvirt URI adds to both (the in-process test
 * driver's own share, which a real host keeps in libvirtd instead).
 *
 * With --mark, each cycle is preceded by access("/kt-collect-bench/cycle/N")
 * and a virGetVersion() call, so that `strace -e trace=openat,access`
 * output and libvirt's debug log can be split per cycle (bench/collect.sh
 * does both).
 *
 *   kt-collect-bench -c URI --procfs DIR [--sysfs DIR] --state-dir DIR
 *                    [--cycles N] [--rss-at N,N,...] [--mark]
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "clock.h"
#include "collect/collector.h"
#include "log.h"
#include "options.h"

#define MAX_RSS_AT 16

struct bench_opts {
	struct kt_collector_config cfg;
	unsigned long cycles;
	unsigned long rss_at[MAX_RSS_AT];
	size_t n_rss_at;
	bool mark;
};

struct cycle_cost {
	uint64_t cpu_ns;
	uint64_t wall_ns;
};

static void usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
		"usage: kt-collect-bench -c URI --procfs DIR [--sysfs DIR] "
		"--state-dir DIR [--cycles N] [--rss-at N,N,...] [--mark]\n");
	exit(status);
}

static unsigned long number(const char *s, char **end)
{
	unsigned long v;

	errno = 0;
	v = strtoul(s, end, 10);
	if (errno != 0 || *end == s || v == 0)
		usage(2);
	return v;
}

static void parse_rss_at(struct bench_opts *o, const char *s)
{
	char *end;

	o->n_rss_at = 0;
	for (;;) {
		if (o->n_rss_at == MAX_RSS_AT)
			usage(2);
		o->rss_at[o->n_rss_at++] = number(s, &end);
		if (*end == '\0')
			return;
		if (*end != ',')
			usage(2);
		s = end + 1;
	}
}

static void parse_args(int argc, char **argv, struct bench_opts *o)
{
	static const struct option opts[] = {
		{ "connection", required_argument, NULL, 'c' },
		{ "procfs", required_argument, NULL, 'p' },
		{ "sysfs", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "cycles", required_argument, NULL, 'n' },
		{ "rss-at", required_argument, NULL, 'r' },
		{ "mark", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int ch;

	memset(o, 0, sizeof(*o));
	o->cfg.collectors = KT_COLLECT_ALL;
	o->cycles = 100;
	parse_rss_at(o, "1,100");
	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->cfg.uri = optarg; break;
		case 'p': o->cfg.procfs = optarg; break;
		case 's': o->cfg.sysfs = optarg; break;
		case 'd': o->cfg.state_dir = optarg; break;
		case 'n': o->cycles = number(optarg, &end); break;
		case 'r': parse_rss_at(o, optarg); break;
		case 'm': o->mark = true; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	/* The index map needs a file (as the agent's --state-dir does). */
	if (o->cfg.uri == NULL || o->cfg.procfs == NULL ||
	    o->cfg.state_dir == NULL || optind != argc)
		usage(2);
}

static uint64_t cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
		       1000000000ull +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}

/* VmRSS of this process in KiB, 0 when unknown. */
static unsigned long rss_kib(void)
{
	unsigned long kib = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %lu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/*
 * A cycle boundary that both strace (the access() call) and libvirt's debug
 * log (virGetVersion, which logs its entry like every public API) show.
 */
/* Bytes in use on the malloc heap (small blocks and mmapped ones), in KiB. */
static unsigned long heap_kib(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (unsigned long)((mi.uordblks + mi.hblkhd) / 1024);
}

static void mark(unsigned long cycle)
{
	unsigned long version;
	char path[64];

	snprintf(path, sizeof(path), "/kt-collect-bench/cycle/%lu", cycle);
	(void)access(path, F_OK);
	(void)virGetVersion(&version, NULL, NULL);
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* "median=.. min=.. max=.. mean=.." in ms of @v (sorted in place). */
static void print_stats(const char *what, uint64_t *v, size_t n)
{
	uint64_t sum = 0;
	size_t i;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++)
		sum += v[i];
	printf(" %s_ms_median=%.3f %s_ms_min=%.3f %s_ms_max=%.3f %s_ms_mean=%.3f",
	       what, v[n / 2] / 1e6, what, v[0] / 1e6, what, v[n - 1] / 1e6,
	       what, (double)sum / (double)n / 1e6);
}

static void summary(const struct cycle_cost *c, size_t n)
{
	uint64_t *cpu = calloc(n, sizeof(*cpu)), *wall = calloc(n, sizeof(*wall));
	size_t i;

	if (cpu == NULL || wall == NULL) {
		free(cpu);
		free(wall);
		return;
	}
	for (i = 0; i < n; i++) {
		cpu[i] = c[i].cpu_ns;
		wall[i] = c[i].wall_ns;
	}
	printf("steady cycles=%zu", n);
	print_stats("cpu", cpu, n);
	print_stats("wall", wall, n);
	printf("\n");
	free(cpu);
	free(wall);
}

static bool rss_wanted(const struct bench_opts *o, unsigned long cycle)
{
	size_t i;

	for (i = 0; i < o->n_rss_at; i++)
		if (o->rss_at[i] == cycle)
			return true;
	return false;
}

/* The RSS that one more bare connection to @uri (its domains listed) adds. */
static void driver_share(const char *uri)
{
	unsigned long before = rss_kib(), heap_before = heap_kib(), after, heap;
	virDomainPtr *doms = NULL;
	virConnectPtr conn;
	int i, n;

	if ((conn = virConnectOpenReadOnly(uri)) == NULL)
		return;
	n = virConnectListAllDomains(conn, &doms, 0);
	after = rss_kib();
	heap = heap_kib();
	for (i = 0; i < n; i++)
		virDomainFree(doms[i]);
	free(doms);
	virConnectClose(conn);
	printf("libvirt_connection rss_kib=%lu heap_kib=%lu domains=%d\n",
	       after > before ? after - before : 0,
	       heap > heap_before ? heap - heap_before : 0, n);
}

static int run(const struct bench_opts *o, struct kt_collector *c)
{
	struct cycle_cost *cost = calloc(o->cycles, sizeof(*cost));
	struct kt_snapshot *served = NULL, *snap;
	unsigned long i;

	if (cost == NULL)
		return 1;
	for (i = 1; i <= o->cycles; i++) {
		uint64_t cpu0, wall0;

		if (o->mark)
			mark(i);
		cpu0 = cpu_ns();
		wall0 = kt_mono_ns();
		snap = kt_collector_run(c);
		/*
		 * The agent serves one snapshot while it builds the next, then
		 * its collector thread frees the one served before: part of
		 * the cycle's cost.
		 */
		if (snap != NULL) {
			kt_collector_release(c, served);
			served = snap;
		}
		cost[i - 1].wall_ns = kt_mono_ns() - wall0;
		cost[i - 1].cpu_ns = cpu_ns() - cpu0;
		if (snap == NULL) {
			fprintf(stderr, "kt-collect-bench: cycle %lu failed\n", i);
			kt_snapshot_unref(served);
			free(cost);
			return 1;
		}
		if (i == 1)
			printf("first cycle vms=%zu connected=%d cpu_ms=%.3f "
			       "wall_ms=%.3f\n",
			       snap->n_vms, snap->libvirt_connected,
			       cost[0].cpu_ns / 1e6, cost[0].wall_ns / 1e6);
		if (rss_wanted(o, i))
			printf("rss cycle=%lu rss_kib=%lu heap_kib=%lu\n", i,
			       rss_kib(), heap_kib());
	}
	if (o->mark)
		mark(o->cycles + 1);
	if (o->cycles > 1)
		summary(cost + 1, o->cycles - 1);
	kt_snapshot_unref(served);
	free(cost);
	return 0;
}

int main(int argc, char **argv)
{
	struct kt_collector *c;
	struct bench_opts o;
	int r;

	parse_args(argc, argv, &o);
	kt_log_init("kt-collect-bench", false, 0);
	printf("start rss_kib=%lu heap_kib=%lu\n", rss_kib(), heap_kib());
	if ((r = kt_collector_new(&o.cfg, &c)) != 0) {
		fprintf(stderr, "kt-collect-bench: no collector: %s\n",
			strerror(-r));
		return 1;
	}
	r = run(&o, c);
	if (r == 0)
		driver_share(o.cfg.uri);
	kt_collector_free(c);
	return r;
}
