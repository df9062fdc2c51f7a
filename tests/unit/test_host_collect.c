/*
 * Unit tests of the host collector (subagent/collect/host_collect.c)
 * against the fixture trees tests/fixtures/host/phase{1,2}/{proc,sys}.
 * Every expected value is worked by hand in tests/fixtures/host/EXPECTED.md;
 * the arithmetic is repeated in the comments here.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "collect/host_collect.h"
#include "kt_test.h"
#include "collectors.h"
#include "print/host_print.h"

#define TWO_S 2000000000ULL

static char fixture[4096];
static char tmpdir[] = "/tmp/kt-host-collect-XXXXXX";
static char map_path[4200];

static const char *phase_path(int phase, const char *tree, char *buf,
			      size_t size)
{
	snprintf(buf, size, "%s/phase%d/%s", fixture, phase, tree);
	return buf;
}

static struct kt_host_collector *collector(int phase)
{
	struct kt_host_collector *hc;
	char proc[4200], sys[4200];
	int r;

	r = kt_host_collector_new(phase_path(phase, "proc", proc, sizeof(proc)),
				  phase_path(phase, "sys", sys, sizeof(sys)),
				  &hc);
	if (r != 0) {
		printf("Bail out! no collector for phase %d: %d\n", phase, r);
		exit(1);
	}
	return hc;
}

/* The block devices of VM disks: vda1, dm-0, sdc and one in no file. */
static const dev_t *vm_devs(size_t *n)
{
	static dev_t devs[4];

	devs[0] = makedev(254, 1);
	devs[1] = makedev(253, 0);
	devs[2] = makedev(8, 32);
	devs[3] = makedev(1, 1);
	*n = N_OF(devs);
	return devs;
}

static int collect(struct kt_host_collector *hc, unsigned what,
		   struct kt_index_map *map, const struct kt_host *prev,
		   uint64_t interval, struct kt_host *out)
{
	size_t n;
	const dev_t *devs = vm_devs(&n);

	return kt_host_collect(hc, what, map, NULL, devs, n, prev, interval,
			       out);
}

/* ---- identity and CPU ---- */

static void check_ticks(const struct kt_host_cpu *c, const uint64_t *want,
			const char *what)
{
	char label[128];
	int i;

	for (i = 0; i < KT_CPU_NFIELDS; i++) {
		snprintf(label, sizeof(label), "%s: ticks[%d]", what, i);
		KT_EQ_U64(c->ticks[i], want[i], label);
	}
}

static void check_pct(const struct kt_host_cpu *c, const uint32_t *want,
		      const char *what)
{
	char label[128];
	int i;

	for (i = 0; i < KT_CPU_NFIELDS; i++) {
		snprintf(label, sizeof(label), "%s: pct[%d]", what, i);
		KT_EQ_U64(c->pct[i], want[i], label);
	}
}

static void check_identity_cpu(const struct kt_host *h, int phase)
{
	static const uint64_t t1[] = { 88915, 30,  12359, 219313, 955,
				       7,     209, 25,	  4000,	  10 };
	static const uint64_t t2[] = { 89215, 40,  12459, 220813, 995,
				       12,    229, 50,	  4200,	  15 };
	/* Deltas over a total of 2000 ticks, in 0.01 %: EXPECTED.md. */
	static const uint32_t pct[] = { 1500, 50,  500, 7500, 200,
					25,   100, 125, 1000, 25 };

	KT_CHECK(h->valid, "host: valid");
	KT_EQ_STR(h->hostname, "kvm-host-07", "host: hostname");
	KT_EQ_STR(h->uuid, "4c4c4544-0042-3510-8052-b4c04f4e3732",
		  "host: uuid lowercase");
	KT_CHECK(h->cpu.valid, "cpu: valid");
	KT_EQ_U64(h->cpu.nfields, 10, "cpu: 10 fields");
	check_ticks(&h->cpu, phase == 1 ? t1 : t2, "cpu");
	KT_CHECK(h->cpu.has_rate == (phase == 2), "cpu: rate in phase 2 only");
	if (phase == 2)
		check_pct(&h->cpu, pct, "cpu phase 2");
	KT_EQ_U64(h->cpu.cores, 4, "cpu: 4 cores");
	KT_CHECK(h->cpu.has_freq, "cpu: cpufreq");
	/* 6601500 / 3000 = 2200.5 -> 2201; phase 2: 6801500 / 3000 -> 2267 */
	KT_EQ_U64(h->cpu.cur_mhz, phase == 1 ? 2201 : 2267, "cpu: cur MHz");
	KT_EQ_U64(h->cpu.min_mhz, 399, "cpu: min 399.499 MHz -> 399");
	KT_EQ_U64(h->cpu.max_mhz, 4201, "cpu: max 4200.5 MHz -> 4201");
}

/* ---- memory ---- */

static void check_mem(const struct kt_meminfo *m, int phase)
{
	/* Index (1-based) -> value, for the changed and the telling rows. */
	static const struct {
		int index;
		uint64_t v1, v2;
		bool kib;
	} rows[] = {
		{ 1, 16318412, 16318412, true },	      /* MemTotal */
		{ 2, 1203344, 1103344, true },		      /* MemFree */
		{ 3, 9876543, 9876543, true },		      /* MemAvailable */
		{ 4, 4148, 4148, true },		      /* Buffers */
		{ 9, 3600, 3600, true },		      /* Active(anon) */
		{ 17, 1016, 2048, true },		      /* Dirty */
		{ 32, 34359738367ULL, 34359738367ULL, true }, /* VmallocTotal */
		{ 35, 8, 8, true },		/* HardwareCorrupted */
		{ 39, 16, 16, false },		/* HugePages_Total: a count */
		{ 42, 0, 0, false },		/* HugePages_Surp */
		{ 43, 2048, 2048, true },	/* Hugepagesize */
		{ 46, 2068480, 2068480, true }, /* DirectMap2M */
	};
	size_t i, present = 0;
	char what[128];

	for (i = 0; i < KT_MEMINFO_N; i++)
		present += m->present[i];
	KT_EQ_U64(present, 46, "mem: 46 fields present");
	KT_CHECK(!m->present[46], "mem: DirectMap1G (47) absent");
	for (i = 0; i < N_OF(rows); i++) {
		int k = rows[i].index - 1;

		snprintf(what, sizeof(what), "mem: row %d (%s)", rows[i].index,
			 kt_meminfo_names[k]);
		KT_CHECK(m->present[k] &&
				 m->value[k] == (phase == 1 ? rows[i].v1
							    : rows[i].v2) &&
				 m->in_kib[k] == rows[i].kib,
			 what);
	}
}

/* ---- disks ---- */

struct disk_want {
	uint32_t index;
	const char *name;
	uint32_t major, minor;
	uint64_t f[11];
	bool has_rate;
	uint32_t ioutil, queue_size;
	bool has_qt;
	uint32_t qt;
	bool has_st;
	uint32_t st;
};

static void check_disk(const struct kt_host_disk *d, const struct disk_want *w,
		       const char *what)
{
	const uint64_t got[11] = {
		d->reads,     d->reads_merged,	d->sectors_read,    d->read_ms,
		d->writes,    d->writes_merged, d->sectors_written, d->write_ms,
		d->in_flight, d->io_ms,		d->weighted_ms
	};
	char label[192];
	bool same = memcmp(got, w->f, sizeof(got)) == 0;

	snprintf(label, sizeof(label), "%s: %s is index %u %u:%u", what,
		 w->name, w->index, w->major, w->minor);
	KT_CHECK(strcmp(d->name, w->name) == 0 && d->index == w->index &&
			 d->major == w->major && d->minor == w->minor,
		 label);
	snprintf(label, sizeof(label), "%s: %s counters", what, w->name);
	KT_CHECK(same, label);
	snprintf(label, sizeof(label), "%s: %s has_rate %d", what, w->name,
		 w->has_rate);
	KT_CHECK(d->has_rate == w->has_rate, label);
	if (!w->has_rate)
		return;
	snprintf(label, sizeof(label), "%s: %s ioutil", what, w->name);
	KT_EQ_U64(d->ioutil, w->ioutil, label);
	snprintf(label, sizeof(label), "%s: %s queue size", what, w->name);
	KT_EQ_U64(d->queue_size, w->queue_size, label);
	snprintf(label, sizeof(label), "%s: %s queue time %d %u", what, w->name,
		 w->has_qt, w->qt);
	KT_CHECK(d->has_queue_time == w->has_qt &&
			 (!w->has_qt || d->queue_time_us == w->qt),
		 label);
	snprintf(label, sizeof(label), "%s: %s service time %d %u", what,
		 w->name, w->has_st, w->st);
	KT_CHECK(d->has_service_time == w->has_st &&
			 (!w->has_st || d->service_time_us == w->st),
		 label);
}

static void check_disks(const struct kt_host *h, const struct disk_want *w,
			size_t n, const char *what)
{
	char label[128];
	size_t i;

	snprintf(label, sizeof(label), "%s: %zu disks", what, n);
	KT_EQ_U64(h->n_disks, n, label);
	if (h->n_disks != n)
		return;
	for (i = 0; i < n; i++)
		check_disk(&h->disks[i], &w[i], what);
}

#define NO_RATE false, 0, 0, false, 0, false, 0

static const struct disk_want disks1[] = {
	{ 1,
	  "vda",
	  254,
	  0,
	  { 120022, 11152, 6212866, 89426, 30615, 16332, 3001896, 11157, 0,
	    14552, 103368 },
	  NO_RATE },
	{ 2,
	  "vda1",
	  254,
	  1,
	  { 5000, 100, 80000, 4000, 2000, 50, 30000, 1500, 0, 3000, 5500 },
	  NO_RATE },
	{ 3,
	  "dm-0",
	  253,
	  0,
	  { 700, 0, 5600, 350, 900, 0, 7200, 800, 2, 1000, 1150 },
	  NO_RATE },
	{ 4,
	  "sdb",
	  8,
	  16,
	  { 9000, 10, 72000, 5000, 100, 5, 800, 60, 0, 4000, 5060 },
	  NO_RATE },
	{ 5, "sr0", 11, 0, { 12, 0, 96, 5, 0, 0, 0, 0, 0, 5, 5 }, NO_RATE },
	{ 6,
	  "nvme0n1",
	  259,
	  0,
	  { 1000, 0, 8000, 300, 500, 0, 4000, 200, 5, 400, 600 },
	  NO_RATE },
	{ 7, "sdd", 8, 48, { 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1 }, NO_RATE },
	{ 8,
	  "sde",
	  8,
	  64,
	  { 10, 0, 80, 10, 10, 0, 80, 10, 0, 100, 100 },
	  NO_RATE },
};

/* Rates over 2000 ms: EXPECTED.md, "Disks". */
static const struct disk_want disks2[] = {
	/* io +1000, weighted +1500, ops 500, in flight +2 */
	{ 1,
	  "vda",
	  254,
	  0,
	  { 120222, 11202, 6214466, 89626, 30815, 16382, 3003496, 11357, 2,
	    15552, 104868 },
	  true,
	  5000,
	  75,
	  true,
	  2988,
	  true,
	  2000 },
	/* io +7, weighted +17, ops 4, in flight +1: 17000/5, 7000/4 */
	{ 2,
	  "vda1",
	  254,
	  1,
	  { 5003, 100, 80024, 4003, 2001, 50, 30008, 1501, 1, 3007, 5517 },
	  true,
	  35,
	  1,
	  true,
	  3400,
	  true,
	  1750 },
	/* io +1, weighted +3, ops 3, in flight -2: 3000/1, 1000/3 */
	{ 3,
	  "dm-0",
	  253,
	  0,
	  { 700, 0, 5600, 350, 903, 0, 7224, 803, 0, 1001, 1153 },
	  true,
	  5,
	  0,
	  true,
	  3000,
	  true,
	  333 },
	/* reads 9000 -> 100: went down, no rate */
	{ 4,
	  "sdb",
	  8,
	  16,
	  { 100, 0, 800, 50, 0, 0, 0, 0, 0, 40, 50 },
	  NO_RATE },
	/* nothing happened: rates 0, no divisor */
	{ 5,
	  "sr0",
	  11,
	  0,
	  { 12, 0, 96, 5, 0, 0, 0, 0, 0, 5, 5 },
	  true,
	  0,
	  0,
	  false,
	  0,
	  false,
	  0 },
	/* io +2, weighted +10, ops 1, in flight -4: divisor -3 */
	{ 6,
	  "nvme0n1",
	  259,
	  0,
	  { 1001, 0, 8008, 301, 500, 0, 4000, 200, 1, 402, 610 },
	  true,
	  10,
	  1,
	  false,
	  0,
	  true,
	  2000 },
	/* io +2050 (102.5 %, clamped), weighted +2100, ops 20 */
	{ 8,
	  "sde",
	  8,
	  64,
	  { 20, 0, 160, 20, 20, 0, 160, 20, 0, 2150, 2200 },
	  true,
	  10000,
	  105,
	  true,
	  105000,
	  true,
	  102500 },
	/* new in phase 2: the next index, no rate */
	{ 9, "sdc", 8, 32, { 50, 0, 400, 20, 0, 0, 0, 0, 0, 20, 20 }, NO_RATE },
};

/* ---- network ---- */

struct net_want {
	uint32_t ifindex;
	const char *name;
	enum kt_net_type type;
	bool has_speed;
	uint32_t speed;
	uint64_t rx[8], tx[8];
};

static void check_nets(const struct kt_host *h, const struct net_want *w,
		       size_t n, const char *what)
{
	char label[128];
	size_t i;

	snprintf(label, sizeof(label), "%s: %zu interfaces", what, n);
	KT_EQ_U64(h->n_nets, n, label);
	if (h->n_nets != n)
		return;
	for (i = 0; i < n; i++) {
		const struct kt_host_net *g = &h->nets[i];

		snprintf(label, sizeof(label), "%s: row %zu is %s ifindex %u",
			 what, i, w[i].name, w[i].ifindex);
		KT_CHECK(strcmp(g->name, w[i].name) == 0 &&
				 g->ifindex == w[i].ifindex,
			 label);
		snprintf(label, sizeof(label), "%s: %s type %d speed %d/%u",
			 what, w[i].name, w[i].type, w[i].has_speed,
			 w[i].speed);
		KT_CHECK(g->type == w[i].type &&
				 g->has_speed == w[i].has_speed &&
				 (!w[i].has_speed ||
				  g->speed_mbps == w[i].speed),
			 label);
		snprintf(label, sizeof(label), "%s: %s counters", what,
			 w[i].name);
		KT_CHECK(memcmp(g->rx, w[i].rx, sizeof(g->rx)) == 0 &&
				 memcmp(g->tx, w[i].tx, sizeof(g->tx)) == 0,
			 label);
	}
}

static const struct net_want nets1[] = {
	{ 2,
	  "eth0",
	  KT_NET_PHYSICAL,
	  true,
	  1000,
	  { 4294967296123ULL, 3070, 1, 2, 3, 4, 5, 6 },
	  { 120134, 1516, 7, 8, 9, 10, 11, 12 } },
	{ 3, "ifb0", KT_NET_OTHER, false, 0, { 0 }, { 0 } },
	{ 5,
	  "br0",
	  KT_NET_BRIDGE,
	  false,
	  0,
	  { 4000, 40, 0, 0, 0, 0, 0, 3 },
	  { 6000, 60 } },
	{ 9, "vnet0", KT_NET_TAP, true, 10, { 5000, 50 }, { 7000, 70 } },
};

static const struct net_want nets2[] = {
	{ 2,
	  "eth0",
	  KT_NET_PHYSICAL,
	  true,
	  2500,
	  { 4294967306123ULL, 3080, 1, 2, 3, 4, 5, 6 },
	  { 125134, 1526, 7, 8, 9, 10, 11, 12 } },
	{ 3, "ifb0", KT_NET_OTHER, false, 0, { 0 }, { 0 } },
	{ 5,
	  "br0",
	  KT_NET_BRIDGE,
	  false,
	  0,
	  { 4400, 44, 0, 0, 0, 0, 0, 4 },
	  { 6600, 66 } },
	{ 11,
	  "vnet0",
	  KT_NET_TAP,
	  true,
	  10,
	  { 5500, 55 },
	  { 7700, 77, 0, 0, 0, 0, 0, 1 } },
};

/* ---- PSI ---- */

static void check_psi_line(const struct kt_psi_line *l, bool valid,
			   uint32_t a10, uint32_t a60, uint32_t a300,
			   uint64_t total, const char *what)
{
	char label[128];

	snprintf(label, sizeof(label), "%s: valid %d %u %u %u %" PRIu64, what,
		 valid, a10, a60, a300, total);
	KT_CHECK(
		l->valid == valid &&
			(!valid || (l->avg10 == a10 && l->avg60 == a60 &&
				    l->avg300 == a300 && l->total_us == total)),
		label);
}

static void check_psi(const struct kt_host *h, int phase)
{
	const struct kt_psi_line(*p)[KT_PSI_NKINDS] = h->psi;

	if (phase == 1) {
		check_psi_line(&p[KT_PSI_CPU][KT_PSI_SOME], true, 254, 354, 281,
			       51593951, "psi 1: cpu some");
		check_psi_line(&p[KT_PSI_CPU][KT_PSI_FULL], false, 0, 0, 0, 0,
			       "psi 1: cpu full");
		check_psi_line(&p[KT_PSI_IO][KT_PSI_SOME], true, 0, 6, 24,
			       7376262, "psi 1: io some");
		check_psi_line(&p[KT_PSI_IO][KT_PSI_FULL], true, 0, 4, 21,
			       6817866, "psi 1: io full");
		check_psi_line(&p[KT_PSI_MEMORY][KT_PSI_SOME], false, 0, 0, 0,
			       0, "psi 1: no memory file");
		check_psi_line(&p[KT_PSI_MEMORY][KT_PSI_FULL], false, 0, 0, 0,
			       0, "psi 1: no memory file");
		return;
	}
	check_psi_line(&p[KT_PSI_CPU][KT_PSI_SOME], true, 100, 320, 279,
		       51693951, "psi 2: cpu some");
	check_psi_line(&p[KT_PSI_CPU][KT_PSI_FULL], true, 10, 20, 30, 12345,
		       "psi 2: cpu full");
	check_psi_line(&p[KT_PSI_IO][KT_PSI_SOME], true, 50, 16, 25, 7476262,
		       "psi 2: io some");
	check_psi_line(&p[KT_PSI_IO][KT_PSI_FULL], true, 40, 14, 22, 6907866,
		       "psi 2: io full");
	check_psi_line(&p[KT_PSI_MEMORY][KT_PSI_SOME], true, 0, 0, 0, 0,
		       "psi 2: memory some");
	check_psi_line(&p[KT_PSI_MEMORY][KT_PSI_FULL], true, 0, 0, 0, 0,
		       "psi 2: memory full");
}

/* ---- the cycles ---- */

static void test_two_phases(void)
{
	struct kt_host_collector *hc1 = collector(1), *hc2 = collector(2);
	struct kt_host h1, h2;
	struct kt_index_map *map;

	if (kt_index_open(map_path, &map) != 0) {
		printf("Bail out! no index map at %s\n", map_path);
		exit(1);
	}
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	/* The VM counts belong to the caller: kept as they are. */
	h1.vms_running = 7;
	h1.vms_paused = 6;
	h1.vms_shutdown = 5;
	h1.vms_other = 4;
	KT_EQ_INT(collect(hc1, KT_COLLECT_ALL, map, NULL, 0, &h1), 0,
		  "phase 1: collected");
	KT_CHECK(h1.vms_running == 7 && h1.vms_paused == 6 &&
			 h1.vms_shutdown == 5 && h1.vms_other == 4,
		 "phase 1: VM counts untouched");
	check_identity_cpu(&h1, 1);
	check_mem(&h1.mem, 1);
	check_disks(&h1, disks1, N_OF(disks1), "disks 1");
	check_nets(&h1, nets1, N_OF(nets1), "nets 1");
	check_psi(&h1, 1);

	KT_EQ_INT(collect(hc2, KT_COLLECT_ALL, map, &h1, TWO_S, &h2), 0,
		  "phase 2: collected");
	check_identity_cpu(&h2, 2);
	check_mem(&h2.mem, 2);
	check_disks(&h2, disks2, N_OF(disks2), "disks 2");
	check_nets(&h2, nets2, N_OF(nets2), "nets 2");
	check_psi(&h2, 2);
	KT_EQ_U64(kt_index_peek(map, "host/disk/sdc"), 9,
		  "map: sdc got index 9");
	KT_EQ_U64(kt_index_peek(map, "host/disk/loop0"), 0,
		  "map: loop0 has none");

	/* Again from phase 2 to phase 2 (the same counters): 0 rates. */
	KT_EQ_INT(collect(hc2, KT_COLLECT_ALL, map, &h2, TWO_S, &h1), 0,
		  "phase 2 again: collected");
	KT_CHECK(!h1.cpu.has_rate, "phase 2 again: no tick passed, no CPU "
				   "percentages");
	KT_CHECK(h1.n_disks == 8 && h1.disks[0].has_rate &&
			 h1.disks[0].ioutil == 0 &&
			 !h1.disks[0].has_queue_time &&
			 !h1.disks[0].has_service_time,
		 "phase 2 again: vda idle, no queue or service time");
	KT_CHECK(h1.disks[3].has_rate && h1.disks[3].index == 4,
		 "phase 2 again: sdb has a rate now");

	kt_host_clear(&h1);
	kt_host_clear(&h2);
	kt_index_close(map);
	kt_host_collector_free(hc1);
	kt_host_collector_free(hc2);
}

/* A previous sample built by hand: rounding and counters going down. */
static void test_cpu_prev(void)
{
	struct kt_host_collector *hc = collector(2);
	static const uint32_t third[] = {
		3333, 0, 0, 6667, 0, 0, 0, 0, 3333, 0
	};
	struct kt_host prev, h;

	memset(&prev, 0, sizeof(prev));
	memset(&h, 0, sizeof(h));
	prev.valid = prev.cpu.valid = true;
	prev.cpu.nfields = 10;
	/* phase 2 minus: user 1, idle 2, guest 1 (total 3 ticks) */
	prev.cpu.ticks[KT_CPU_USER] = 89214;
	prev.cpu.ticks[KT_CPU_NICE] = 40;
	prev.cpu.ticks[KT_CPU_SYSTEM] = 12459;
	prev.cpu.ticks[KT_CPU_IDLE] = 220811;
	prev.cpu.ticks[KT_CPU_IOWAIT] = 995;
	prev.cpu.ticks[KT_CPU_IRQ] = 12;
	prev.cpu.ticks[KT_CPU_SOFTIRQ] = 229;
	prev.cpu.ticks[KT_CPU_STEAL] = 50;
	prev.cpu.ticks[KT_CPU_GUEST] = 4199;
	prev.cpu.ticks[KT_CPU_GUEST_NICE] = 15;
	collect(hc, KT_COLLECT_HOST, NULL, &prev, TWO_S, &h);
	KT_CHECK(h.cpu.has_rate, "cpu: rate against a hand-made sample");
	check_pct(&h.cpu, third, "cpu thirds");

	prev.cpu.ticks[KT_CPU_IRQ] = 13; /* 13 -> 12: went down */
	collect(hc, KT_COLLECT_HOST, NULL, &prev, TWO_S, &h);
	KT_CHECK(!h.cpu.has_rate, "cpu: a counter went down: no rate");
	prev.cpu.ticks[KT_CPU_IRQ] = 12;
	prev.cpu.nfields = 8;
	collect(hc, KT_COLLECT_HOST, NULL, &prev, TWO_S, &h);
	KT_CHECK(!h.cpu.has_rate, "cpu: another field count: no rate");
	prev.cpu.nfields = 10;
	prev.cpu.valid = false;
	collect(hc, KT_COLLECT_HOST, NULL, &prev, TWO_S, &h);
	KT_CHECK(!h.cpu.has_rate, "cpu: invalid previous sample: no rate");
	kt_host_clear(&h);
	kt_host_collector_free(hc);
}

/* Each collector bit fills its part only. */
static void test_subsets(void)
{
	struct kt_host_collector *hc = collector(1);
	struct kt_host h;

	memset(&h, 0, sizeof(h));
	KT_EQ_INT(collect(hc, KT_COLLECT_DISK, NULL, NULL, 0, &h), 0,
		  "DISK only: collected");
	KT_CHECK(!h.valid && !h.cpu.valid && h.hostname[0] == '\0' &&
			 !h.mem.present[0],
		 "DISK only: no identity, CPU or memory");
	KT_CHECK(h.n_nets == 0 && h.nets == NULL && !h.psi[0][0].valid,
		 "DISK only: no nets, no PSI");
	/* Without a map: 1, 2, ... in file order. */
	KT_CHECK(h.n_disks == 8 && h.disks[0].index == 1 &&
			 strcmp(h.disks[0].name, "vda") == 0 &&
			 h.disks[7].index == 8 &&
			 strcmp(h.disks[7].name, "sde") == 0,
		 "DISK only, no map: positional indexes");

	KT_EQ_INT(
		collect(hc, KT_COLLECT_NET | KT_COLLECT_PSI, NULL, NULL, 0, &h),
		0, "NET and PSI: collected");
	KT_CHECK(h.n_disks == 0 && h.disks == NULL && !h.valid,
		 "NET and PSI: the old disks are gone");
	KT_CHECK(h.n_nets == 4 && h.psi[KT_PSI_IO][KT_PSI_FULL].valid,
		 "NET and PSI: nets and PSI");

	KT_EQ_INT(collect(hc, KT_COLLECT_CPU | KT_COLLECT_MEM | KT_COLLECT_IO,
			  NULL, NULL, 0, &h),
		  0, "per-VM collectors only: collected");
	KT_CHECK(!h.valid && h.n_nets == 0 && !h.psi[KT_PSI_IO][0].valid,
		 "per-VM collectors only: nothing of the host");
	kt_host_clear(&h);
	kt_host_collector_free(hc);
}

/* Empty roots: every part invalid or empty, and no failure. */
static void test_empty_roots(void)
{
	struct kt_host_collector *hc;
	struct kt_host h;
	size_t i, present = 0;

	memset(&h, 0, sizeof(h));
	KT_EQ_INT(kt_host_collector_new(tmpdir, tmpdir, &hc), 0,
		  "empty roots: collector");
	KT_EQ_INT(collect(hc, KT_COLLECT_ALL, NULL, NULL, 0, &h), 0,
		  "empty roots: collected anyway");
	for (i = 0; i < KT_MEMINFO_N; i++)
		present += h.mem.present[i];
	KT_CHECK(h.valid && h.hostname[0] == '\0' && h.uuid[0] == '\0' &&
			 !h.cpu.valid && h.cpu.cores == 0 && !h.cpu.has_freq &&
			 present == 0,
		 "empty roots: host part ran, found nothing");
	KT_CHECK(h.n_disks == 0 && h.n_nets == 0 &&
			 !h.psi[KT_PSI_CPU][KT_PSI_SOME].valid,
		 "empty roots: no disks, nets or PSI");
	kt_host_clear(&h);
	kt_host_collector_free(hc);
}

/* ---- files cut short ---- */

/* Writes @text to @root/@rel, making its directories. */
static void put(const char *root, const char *rel, const char *text)
{
	char path[4400], cmd[9000];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd) != 0 || (f = fopen(path, "w")) == NULL) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* A sysfs of two physical disks, sda and sdb, and eth0 (ifindex 2), eth1. */
static void put_sys(const char *sys, const char *eth1_ifindex)
{
	put(sys, "block/sda/device/vendor", "x\n");
	put(sys, "block/sdb/device/vendor", "x\n");
	put(sys, "class/net/eth0/ifindex", "2\n");
	put(sys, "class/net/eth1/ifindex", eth1_ifindex);
}

/*
 * Files whose last line lost its end, as a copied or remotely mounted tree
 * may have them: the complete lines count, the cut one never does (its last
 * number may be the first digits of a larger one).
 */
static void test_cut_short(void)
{
	char proc[64], sys[64], cmd[160];
	struct kt_host_collector *hc;
	struct kt_host h;
	const struct kt_psi_line *io;

	snprintf(proc, sizeof(proc), "%s/cut-proc", tmpdir);
	snprintf(sys, sizeof(sys), "%s/cut-sys", tmpdir);
	put(proc, "stat", "cpu  10600 100 2200 83");
	put(proc, "meminfo", "MemTotal:       100 kB\nMemFree:         5");
	put(proc, "diskstats",
	    "   8       0 sda 1 2 3 4 5 6 7 8 0 10 11\n"
	    "   8      16 sdb 1 2 3 4 5 6 7 8 0 10 1");
	put(proc, "net/dev",
	    "Inter-|\n face |\n"
	    "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "  eth1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 1");
	put(proc, "pressure/io",
	    "some avg10=0.10 avg60=0.20 avg300=0.30 total=100\n"
	    "full avg10=0.00 avg60=0.00 avg300=0.00 total=12");
	put_sys(sys, "3\n");
	memset(&h, 0, sizeof(h));
	KT_EQ_INT(kt_host_collector_new(proc, sys, &hc), 0, "cut: collector");
	KT_EQ_INT(collect(hc, KT_COLLECT_ALL, NULL, NULL, 0, &h), 0,
		  "cut: collected");
	KT_CHECK(!h.cpu.valid, "cut: no cpu ticks from a cut cpu line");
	KT_CHECK(h.mem.present[0] && h.mem.value[0] == 100 && !h.mem.present[1],
		 "cut: MemTotal kept, the cut MemFree left out");
	KT_CHECK(h.n_disks == 1 && strcmp(h.disks[0].name, "sda") == 0 &&
			 h.disks[0].weighted_ms == 11,
		 "cut: sda kept, the cut sdb left out");
	KT_CHECK(h.n_nets == 1 && strcmp(h.nets[0].name, "eth0") == 0 &&
			 h.nets[0].tx[7] == 16,
		 "cut: eth0 kept, the cut eth1 left out");
	io = h.psi[KT_PSI_IO];
	KT_CHECK(io[KT_PSI_SOME].valid && io[KT_PSI_SOME].total_us == 100 &&
			 !io[KT_PSI_FULL].valid,
		 "cut: PSI io some kept, the cut full line left out");
	kt_host_clear(&h);
	kt_host_collector_free(hc);
	snprintf(cmd, sizeof(cmd), "rm -r '%s' '%s'", proc, sys);
	KT_EQ_INT(system(cmd), 0, "cut: cleaned up");
}

/*
 * Repeated keys: a disk listed twice under one name (one index from the
 * map) and an interface renamed between two reads (two names of one
 * ifindex) give one row each.
 */
static void test_repeated(void)
{
	char proc[64], sys[64], cmd[160];
	struct kt_host_collector *hc;
	struct kt_index_map *map;
	struct kt_host h;

	snprintf(proc, sizeof(proc), "%s/rep-proc", tmpdir);
	snprintf(sys, sizeof(sys), "%s/rep-sys", tmpdir);
	put(proc, "diskstats",
	    "   8       0 sda 1 2 3 4 5 6 7 8 0 10 11\n"
	    "   8      16 sdb 1 2 3 4 5 6 7 8 0 10 11\n"
	    "   8       0 sda 9 2 3 4 5 6 7 8 0 10 11\n");
	put(proc, "net/dev",
	    "Inter-|\n face |\n"
	    "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "  eth1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
	put_sys(sys, "2\n");
	memset(&h, 0, sizeof(h));
	if (kt_index_new(&map) != 0 ||
	    kt_host_collector_new(proc, sys, &hc) != 0) {
		printf("Bail out! no index map or collector\n");
		exit(1);
	}
	KT_EQ_INT(
		collect(hc, KT_COLLECT_DISK | KT_COLLECT_NET, map, NULL, 0, &h),
		0, "repeated: collected");
	KT_CHECK(h.n_disks == 2 && strcmp(h.disks[0].name, "sda") == 0 &&
			 strcmp(h.disks[1].name, "sdb") == 0,
		 "repeated: sda twice is one row, then sdb");
	KT_CHECK(h.n_nets == 1 && h.nets[0].ifindex == 2,
		 "repeated: two names of ifindex 2 are one row");
	kt_host_clear(&h);
	kt_host_collector_free(hc);
	kt_index_close(map);
	snprintf(cmd, sizeof(cmd), "rm -r '%s' '%s'", proc, sys);
	KT_EQ_INT(system(cmd), 0, "repeated: cleaned up");
}

/* ---- the printers, over the collected phase 2 ---- */

/* Prints with @fn into a string (the caller frees it). */
static char *print_to_string(int (*fn)(FILE *, const struct kt_host *,
				       unsigned),
			     const struct kt_host *h, unsigned what, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		abort();
	*ret = fn(f, h, what);
	fclose(f);
	return buf;
}

/*
 * The "host" member in a document of its own, {"host": {...}}, so that
 * the writer stands where print/json.c has it: a member of the top level.
 */
static char *host_json_to_string(const struct kt_host *h, unsigned what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct kt_jw w = { f, 0, true, false };

	if (f == NULL)
		abort();
	kt_jw_open(&w, NULL, '{');
	kt_print_host_json(&w, h, what);
	kt_jw_close(&w, '}');
	if (fclose(f) != 0)
		abort();
	return buf;
}

/* Where two strings part, for a readable failure. */
static void show_diff(const char *got, const char *want)
{
	size_t i = 0;

	while (got[i] != '\0' && got[i] == want[i])
		i++;
	printf("#   differ at byte %zu: got \"%.40s\", want \"%.40s\"\n", i,
	       got + i, want + i);
}

/*
 * Phase 2 as text: every value from EXPECTED.md; percentages with two
 * decimals, queue and service times in ms (µs / 1000).
 */
static const char text_want[] =
	"\nhost_name\thost_uuid\tcpu_cores\tcpu_curfreq\tcpu_minfreq"
	"\tcpu_maxfreq\tcpu_user\tcpu_nice\tcpu_system\tcpu_idle\tcpu_iowait"
	"\tcpu_irq\tcpu_softirq\tcpu_steal\tcpu_guest\tcpu_guestnice"
	"\tvms_running\tvms_paused\tvms_shutdown\tvms_other\n"
	"kvm-host-07\t4c4c4544-0042-3510-8052-b4c04f4e3732\t4\t2267\t399"
	"\t4201\t15.00\t0.50\t5.00\t75.00\t2.00\t0.25\t1.00\t1.25\t10.00"
	"\t0.25\t7\t6\t5\t4\n"
	"\nram_Total\tram_Free\tram_Available\tram_Buffers\tram_Cached"
	"\tram_SwapCached\tram_Active\tram_Inactive\tram_Active(anon)"
	"\tram_Inactive(anon)\tram_Active(file)\tram_Inactive(file)"
	"\tram_Unevictable\tram_Mlocked\tram_SwapTotal\tram_SwapFree"
	"\tram_Dirty\tram_Writeback\tram_AnonPages\tram_Mapped\tram_Shmem"
	"\tram_Slab\tram_SReclaimable\tram_SUnreclaim\tram_KernelStack"
	"\tram_PageTables\tram_NFS_Unstable\tram_Bounce\tram_WritebackTmp"
	"\tram_CommitLimit\tram_Committed_AS\tram_VmallocTotal"
	"\tram_VmallocUsed\tram_VmallocChunk\tram_HardwareCorrupted"
	"\tram_AnonHugePages\tram_ShmemHugePages\tram_ShmemPmdMapped"
	"\tram_HugePages_Total\tram_HugePages_Free\tram_HugePages_Rsvd"
	"\tram_HugePages_Surp\tram_Hugepagesize\tram_Hugetlb"
	"\tram_DirectMap4k\tram_DirectMap2M\tram_DirectMap1G\n"
	"16318412\t1103344\t9876543\t4148\t318460\t0\t207384\t143612\t3600"
	"\t33712\t203784\t109900\t12500\t11528\t0\t0\t2048\t0\t40864\t44112"
	"\t8924\t106900\t80408\t26492\t1940\t2596\t0\t0\t0\t12341828\t348196"
	"\t34359738367\t14980\t0\t8\t4096\t0\t0\t16\t0\t0\t0\t2048\t0\t28672"
	"\t2068480\t-\n"
	"\ndisk_device_name\tdisk_device_reads\tdisk_device_readsmerged"
	"\tdisk_device_sectorsread\tdisk_device_timereading"
	"\tdisk_device_writes\tdisk_device_writesmerged"
	"\tdisk_device_sectorswritten\tdisk_device_timewriting"
	"\tdisk_device_currentops\tdisk_device_timeforops"
	"\tdisk_device_weightedtimeforops\tdisk_device_ioutil"
	"\tdisk_device_queuesize\tdisk_device_queuetime"
	"\tdisk_device_servicetime\n"
	"vda\t120222\t11202\t6214466\t89626\t30815\t16382\t3003496\t11357\t2"
	"\t15552\t104868\t50.00\t0.75\t2.988\t2.000\n"
	"vda1\t5003\t100\t80024\t4003\t2001\t50\t30008\t1501\t1\t3007\t5517"
	"\t0.35\t0.01\t3.400\t1.750\n"
	"dm-0\t700\t0\t5600\t350\t903\t0\t7224\t803\t0\t1001\t1153\t0.05"
	"\t0.00\t3.000\t0.333\n"
	"sdb\t100\t0\t800\t50\t0\t0\t0\t0\t0\t40\t50\t-\t-\t-\t-\n"
	"sr0\t12\t0\t96\t5\t0\t0\t0\t0\t0\t5\t5\t0.00\t0.00\t-\t-\n"
	"nvme0n1\t1001\t0\t8008\t301\t500\t0\t4000\t200\t1\t402\t610\t0.10"
	"\t0.01\t-\t2.000\n"
	"sde\t20\t0\t160\t20\t20\t0\t160\t20\t0\t2150\t2200\t100.00\t1.05"
	"\t105.000\t102.500\n"
	"sdc\t50\t0\t400\t20\t0\t0\t0\t0\t0\t20\t20\t-\t-\t-\t-\n"
	"\nnet_host_name\tnet_host_type\tnet_host_receivedBytes"
	"\tnet_host_receivedPackets\tnet_host_receivedErrs"
	"\tnet_host_receivedDrop\tnet_host_receivedFifo"
	"\tnet_host_receivedFrame\tnet_host_receivedCompressed"
	"\tnet_host_receivedMulticast\tnet_host_transmittedBytes"
	"\tnet_host_transmittedPackets\tnet_host_transmittedErrs"
	"\tnet_host_transmittedDrop\tnet_host_transmittedFifo"
	"\tnet_host_transmittedColls\tnet_host_transmittedCarrier"
	"\tnet_host_transmittedCompressed\tnet_host_speed\n"
	"eth0\tphysical\t4294967306123\t3080\t1\t2\t3\t4\t5\t6\t125134\t1526"
	"\t7\t8\t9\t10\t11\t12\t2500\n"
	"ifb0\tother\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t-\n"
	"br0\tbridge\t4400\t44\t0\t0\t0\t0\t0\t4\t6600\t66\t0\t0\t0\t0\t0\t0"
	"\t-\n"
	"vnet0\ttap\t5500\t55\t0\t0\t0\t0\t0\t0\t7700\t77\t0\t0\t0\t0\t0\t1"
	"\t10\n"
	"\npsi_some_cpu_avg10\tpsi_some_cpu_avg60\tpsi_some_cpu_avg300"
	"\tpsi_some_cpu_total\tpsi_full_cpu_avg10\tpsi_full_cpu_avg60"
	"\tpsi_full_cpu_avg300\tpsi_full_cpu_total\tpsi_some_io_avg10"
	"\tpsi_some_io_avg60\tpsi_some_io_avg300\tpsi_some_io_total"
	"\tpsi_full_io_avg10\tpsi_full_io_avg60\tpsi_full_io_avg300"
	"\tpsi_full_io_total\tpsi_some_mem_avg10\tpsi_some_mem_avg60"
	"\tpsi_some_mem_avg300\tpsi_some_mem_total\tpsi_full_mem_avg10"
	"\tpsi_full_mem_avg60\tpsi_full_mem_avg300\tpsi_full_mem_total\n"
	"1.00\t3.20\t2.79\t51693951\t0.10\t0.20\t0.30\t12345\t0.50\t0.16"
	"\t0.25\t7476262\t0.40\t0.14\t0.22\t6907866\t0.00\t0.00\t0.00\t0"
	"\t0.00\t0.00\t0.00\t0\n";

static void test_print_text(void)
{
	struct kt_host_collector *hc1 = collector(1), *hc2 = collector(2);
	struct kt_index_map *map;
	struct kt_host h1, h2;
	char *got;
	int r;

	if (kt_index_open(map_path, &map) != 0)
		abort();
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	h2.vms_running = 7;
	h2.vms_paused = 6;
	h2.vms_shutdown = 5;
	h2.vms_other = 4;
	collect(hc1, KT_COLLECT_ALL, map, NULL, 0, &h1);
	collect(hc2, KT_COLLECT_ALL, map, &h1, TWO_S, &h2);
	got = print_to_string(kt_print_host_text, &h2, KT_COLLECT_ALL, &r);
	KT_EQ_INT(r, 0, "text: printed");
	if (!KT_CHECK(strcmp(got, text_want) == 0, "text: phase 2 as expected"))
		show_diff(got, text_want);
	free(got);
	got = print_to_string(kt_print_host_text, &h2, KT_COLLECT_CPU, &r);
	KT_EQ_STR(got, "", "text: no host collector, no block");
	free(got);
	kt_host_clear(&h1);
	kt_host_clear(&h2);
	kt_index_close(map);
	kt_host_collector_free(hc1);
	kt_host_collector_free(hc2);
}

/* The document around the host member, as host_json_to_string() has it. */
#define DOC_OPEN "{\n  \"host\": "
#define DOC_CLOSE "\n}"

/* A hand-built host: escaping, nulls, and the nesting of the JSON. */
static const char json_want[] = DOC_OPEN
	"{\n"
	"    \"nets\": [\n"
	"      {\n"
	"        \"ifindex\": 7,\n"
	"        \"name\": \"we\\\"ird\\\\\\t\\u0001\\ufffd\xc3\xa9\",\n"
	"        \"type\": \"other\",\n"
	"        \"speed_mbps\": null,\n"
	"        \"rx_bytes\": 18446744073709551615,\n"
	"        \"rx_packets\": 2,\n"
	"        \"rx_errs\": 3,\n"
	"        \"rx_drop\": 4,\n"
	"        \"rx_fifo\": 5,\n"
	"        \"rx_frame\": 6,\n"
	"        \"rx_compressed\": 7,\n"
	"        \"rx_multicast\": 8,\n"
	"        \"tx_bytes\": 9,\n"
	"        \"tx_packets\": 10,\n"
	"        \"tx_errs\": 11,\n"
	"        \"tx_drop\": 12,\n"
	"        \"tx_fifo\": 13,\n"
	"        \"tx_colls\": 14,\n"
	"        \"tx_carrier\": 15,\n"
	"        \"tx_compressed\": 16\n"
	"      }\n"
	"    ],\n"
	"    \"psi\": {\n"
	"      \"cpu\": {\n"
	"        \"some\": {\n"
	"          \"avg10\": 1.05,\n"
	"          \"avg60\": 0.00,\n"
	"          \"avg300\": 100.00,\n"
	"          \"total_us\": 42\n"
	"        },\n"
	"        \"full\": null\n"
	"      },\n"
	"      \"io\": {\n"
	"        \"some\": null,\n"
	"        \"full\": null\n"
	"      },\n"
	"      \"memory\": {\n"
	"        \"some\": null,\n"
	"        \"full\": null\n"
	"      }\n"
	"    }\n"
	"  }" DOC_CLOSE;

static void test_print_json(void)
{
	struct kt_host h;
	struct kt_host_net net = {
		.ifindex = 7,
		.name = "we\"ird\\\t\x01\xff\xc3\xa9",
		.rx = { 18446744073709551615ULL, 2, 3, 4, 5, 6, 7, 8 },
		.tx = { 9, 10, 11, 12, 13, 14, 15, 16 },
		.has_speed = false,
		.speed_mbps = 99,
		.type = KT_NET_OTHER,
	};
	char *got;

	memset(&h, 0, sizeof(h));
	h.nets = &net;
	h.n_nets = 1;
	h.psi[KT_PSI_CPU][KT_PSI_SOME] =
		(struct kt_psi_line){ true, 105, 0, 10000, 42 };
	h.psi[KT_PSI_IO][KT_PSI_FULL].avg10 = 77; /* junk, not valid */
	got = host_json_to_string(&h, KT_COLLECT_NET | KT_COLLECT_PSI);
	if (!KT_CHECK(strcmp(got, json_want) == 0, "json: as expected"))
		show_diff(got, json_want);
	free(got);
	got = host_json_to_string(&h, 0);
	KT_EQ_STR(got, DOC_OPEN "{}" DOC_CLOSE,
		  "json: no collector: an empty object");
	free(got);
}

static void test_new_errors(void)
{
	struct kt_host_collector *hc = (void *)1;
	char file[4300];

	KT_EQ_INT(kt_host_collector_new("/nonexistent/proc", tmpdir, &hc),
		  -ENOENT, "new: missing procfs root");
	KT_CHECK(hc == NULL, "new: out reset");
	KT_EQ_INT(kt_host_collector_new(tmpdir, "/nonexistent/sys", &hc),
		  -ENOENT, "new: missing sysfs root");
	snprintf(file, sizeof(file), "%s/phase1/proc/stat", fixture);
	KT_EQ_INT(kt_host_collector_new(tmpdir, file, &hc), -ENOTDIR,
		  "new: a file as root");
	KT_EQ_INT(kt_host_collector_new(NULL, tmpdir, &hc), -EINVAL,
		  "new: NULL root");
	kt_host_collector_free(NULL);
}

int main(void)
{
	const char *src = getenv("KT_SRCDIR");
	char rel[4096];

	snprintf(rel, sizeof(rel), "%s/tests/fixtures/host",
		 src != NULL ? src : ".");
	if (realpath(rel, fixture) == NULL || mkdtemp(tmpdir) == NULL) {
		printf("Bail out! no fixture at %s or no temp dir\n", rel);
		return 1;
	}
	snprintf(map_path, sizeof(map_path), "%s/index", tmpdir);
	test_new_errors();
	test_two_phases();
	test_cpu_prev();
	test_subsets();
	test_empty_roots();
	test_cut_short();
	test_repeated();
	test_print_text();
	test_print_json();
	rmdir(tmpdir);
	return kt_test_done();
}
