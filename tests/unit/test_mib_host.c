/*
 * Unit tests of the host's SNMP objects (subagent/mib/host_tables.c)
 * without snmpd, in the manner of test_mib_handlers.c: the host part of a
 * snapshot built by hand, every column read with GET through kt_mib_get(),
 * absent cells, and full GETNEXT walks through kt_mib_next() against lists
 * written out by hand.
 *
 * Every OID is written out number by number from mibs/KVMTOP-MIB.txt
 * (kvmtopHost = R.1.11, kvmtopHostMemEntry R.1.12.1, kvmtopHostDiskEntry
 * R.1.13.1, kvmtopHostNetEntry R.1.14.1, kvmtopHostPsiEntry R.1.15.1, with
 * R = 1.3.6.1.4.1.8072.9999.9999), never from the code's macros.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_mib_test.h"
#include "mib/tables.h"
#include "snapshot.h"

#define R "1.3.6.1.4.1.8072.9999.9999"
#define HOST R ".1.11."
#define MEM R ".1.12.1."
#define DISK R ".1.13.1."
#define NET R ".1.14.1."
#define PSI R ".1.15.1."

/* ---- the hand-built host ---- */

static void fill_cpu(struct kt_host_cpu *c)
{
	static const uint64_t ticks[KT_CPU_NFIELDS] = {
		5000000000ULL, 12, 3456, 99999999999ULL, 77, 5, 66, 44,
		4000000000ULL, 3
	};
	static const uint32_t pct[KT_CPU_NFIELDS] = {
		1500, 50, 500, 7500, 200, 25, 100, 125, 1000, 25
	};

	c->valid = true;
	c->nfields = KT_CPU_NFIELDS;
	memcpy(c->ticks, ticks, sizeof(ticks));
	c->has_rate = true;
	memcpy(c->pct, pct, sizeof(pct));
	c->cores = 48;
	c->has_freq = true;
	c->cur_mhz = 2201;
	c->min_mhz = 400;
	c->max_mhz = 4200;
}

/* Rows 1, 2, 3, 39 and 47 only; the others hold junk behind !present. */
static void fill_mem(struct kt_meminfo *m)
{
	size_t i;

	for (i = 0; i < KT_MEMINFO_N; i++) {
		m->value[i] = 777;
		m->in_kib[i] = true;
	}
	m->present[0] = m->present[1] = m->present[2] = true;
	m->value[0] = 16318412;
	m->value[1] = 1203344;
	m->value[2] = 9876543;
	m->present[38] = true; /* HugePages_Total: a count */
	m->value[38] = 16;
	m->in_kib[38] = false;
	m->present[46] = true; /* DirectMap1G, beyond 32 bits */
	m->value[46] = 25165824000ULL;
}

static void fill_disks(struct kt_host *h)
{
	static const struct kt_host_disk rows[] = {
		{ .index = 3,
		  .name = "vda",
		  .major = 254,
		  .minor = 0,
		  .reads = 120222,
		  .reads_merged = 11202,
		  .sectors_read = 6214466,
		  .read_ms = 89626,
		  .writes = 30815,
		  .writes_merged = 16382,
		  .sectors_written = 3003496,
		  .write_ms = 11357,
		  .in_flight = 2,
		  .io_ms = 15552,
		  .weighted_ms = 104868,
		  .has_rate = true,
		  .ioutil = 5000,
		  .queue_size = 75,
		  .has_queue_time = false,
		  .queue_time_us = 777,
		  .has_service_time = true,
		  .service_time_us = 2000 },
		{ .index = 10,
		  .name = "sdc",
		  .major = 8,
		  .minor = 32,
		  .reads = 1099511627776ULL,
		  .sectors_read = 400,
		  .read_ms = 20,
		  .in_flight = 4294967296ULL,
		  .io_ms = 20,
		  .weighted_ms = 20,
		  .has_rate = false,
		  .ioutil = 42,
		  .queue_size = 42,
		  .has_queue_time = true,
		  .queue_time_us = 42,
		  .has_service_time = true,
		  .service_time_us = 42 },
	};

	h->disks = malloc(sizeof(rows));
	if (h->disks == NULL)
		abort();
	memcpy(h->disks, rows, sizeof(rows));
	h->n_disks = N_OF(rows);
}

static void fill_nets(struct kt_host *h)
{
	static const struct kt_host_net rows[] = {
		{ .ifindex = 2,
		  .name = "eth0",
		  .rx = { 4294967306123ULL, 3080, 1, 2, 3, 4, 5, 6 },
		  .tx = { 125134, 1526, 7, 8, 9, 10, 11, 12 },
		  .has_speed = true,
		  .speed_mbps = 2500,
		  .type = KT_NET_PHYSICAL },
		{ .ifindex = 11,
		  .name = "vnet0",
		  .rx = { 5500, 55 },
		  .tx = { 7700, 77, 0, 0, 0, 0, 0, 1 },
		  .has_speed = false,
		  .speed_mbps = 99,
		  .type = KT_NET_TAP },
	};

	h->nets = malloc(sizeof(rows));
	if (h->nets == NULL)
		abort();
	memcpy(h->nets, rows, sizeof(rows));
	h->n_nets = N_OF(rows);
}

static void fill_psi(struct kt_host *h)
{
	h->psi[KT_PSI_CPU][KT_PSI_SOME] =
		(struct kt_psi_line){ true, 100, 320, 279, 51693951 };
	h->psi[KT_PSI_CPU][KT_PSI_FULL] =
		(struct kt_psi_line){ false, 9, 9, 9, 9 }; /* junk */
	h->psi[KT_PSI_IO][KT_PSI_SOME] =
		(struct kt_psi_line){ true, 50, 16, 25, 7476262 };
	h->psi[KT_PSI_IO][KT_PSI_FULL] =
		(struct kt_psi_line){ true, 40, 14, 22, 6907866 };
	h->psi[KT_PSI_MEMORY][KT_PSI_SOME] =
		(struct kt_psi_line){ true, 0, 0, 0, 0 };
	h->psi[KT_PSI_MEMORY][KT_PSI_FULL] =
		(struct kt_psi_line){ false, 8, 8, 8, 8 }; /* junk */
}

static struct kt_snapshot *full_snapshot(void)
{
	struct kt_snapshot *s = kt_snapshot_new(0);
	struct kt_host *h;

	if (s == NULL)
		abort();
	h = &s->host;
	h->valid = true;
	strcpy(h->hostname, "kvm-host-07");
	strcpy(h->uuid, "4c4c4544-0042-3510-8052-b4c04f4e3732");
	fill_cpu(&h->cpu);
	fill_mem(&h->mem);
	fill_disks(h);
	fill_nets(h);
	fill_psi(h);
	h->vms_running = 3;
	h->vms_paused = 1;
	h->vms_shutdown = 2;
	h->vms_other = 1;
	s->seq = 2;
	return s;
}

/* Every instance of full_snapshot() below R.1.11, in walk order. */
static const struct cell full_cells[] = {
	/* kvmtopHost */
	S(HOST "1.0", "kvm-host-07"),
	S(HOST "2.0", "4c4c4544-0042-3510-8052-b4c04f4e3732"),
	G(HOST "3.0", 48),
	G(HOST "4.0", 2201),
	G(HOST "5.0", 400),
	G(HOST "6.0", 4200),
	G(HOST "7.0", 1500), /* User */
	G(HOST "8.0", 50),
	G(HOST "9.0", 500),
	G(HOST "10.0", 7500),
	G(HOST "11.0", 200),
	G(HOST "12.0", 25),
	G(HOST "13.0", 100),
	G(HOST "14.0", 125),
	G(HOST "15.0", 1000),
	G(HOST "16.0", 25),	       /* GuestNice */
	C(HOST "17.0", 5000000000ULL), /* UserTime */
	C(HOST "18.0", 12),
	C(HOST "19.0", 3456),
	C(HOST "20.0", 99999999999ULL),
	C(HOST "21.0", 77),
	C(HOST "22.0", 5),
	C(HOST "23.0", 66),
	C(HOST "24.0", 44),
	C(HOST "25.0", 4000000000ULL),
	C(HOST "26.0", 3), /* GuestNiceTime */
	G(HOST "27.0", 3), /* VmsRunning */
	G(HOST "28.0", 1),
	G(HOST "29.0", 2),
	G(HOST "30.0", 1),
	/* kvmtopHostMemTable: Name, Value, Unit of rows 1 2 3 39 47 */
	S(MEM "2.1", "MemTotal"),
	S(MEM "2.2", "MemFree"),
	S(MEM "2.3", "MemAvailable"),
	S(MEM "2.39", "HugePages_Total"),
	S(MEM "2.47", "DirectMap1G"),
	C(MEM "3.1", 16318412),
	C(MEM "3.2", 1203344),
	C(MEM "3.3", 9876543),
	C(MEM "3.39", 16),
	C(MEM "3.47", 25165824000ULL),
	S(MEM "4.1", "KiB"),
	S(MEM "4.2", "KiB"),
	S(MEM "4.3", "KiB"),
	S(MEM "4.39", ""),
	S(MEM "4.47", "KiB"),
	/* kvmtopHostDiskTable, rows 3 (vda) and 10 (sdc) */
	S(DISK "2.3", "vda"),
	S(DISK "2.10", "sdc"),
	C(DISK "3.3", 120222),
	C(DISK "3.10", 1099511627776ULL),
	C(DISK "4.3", 11202),
	C(DISK "4.10", 0),
	C(DISK "5.3", 6214466),
	C(DISK "5.10", 400),
	C(DISK "6.3", 89626),
	C(DISK "6.10", 20),
	C(DISK "7.3", 30815),
	C(DISK "7.10", 0),
	C(DISK "8.3", 16382),
	C(DISK "8.10", 0),
	C(DISK "9.3", 3003496),
	C(DISK "9.10", 0),
	C(DISK "10.3", 11357),
	C(DISK "10.10", 0),
	C(DISK "11.3", 15552), /* IoTime */
	C(DISK "11.10", 20),
	C(DISK "12.3", 104868), /* WeightedIoTime */
	C(DISK "12.10", 20),
	G(DISK "13.3", 2),	     /* InFlight */
	G(DISK "13.10", 4294967295), /* 2^32 saturates */
	G(DISK "14.3", 5000),	     /* Ioutil: sdc has no rate */
	G(DISK "15.3", 75),	     /* QueueSize */
				     /* QueueTime: vda has none */
	G(DISK "17.3", 2000),	     /* ServiceTime */
	/* kvmtopHostNetTable, rows 2 (eth0) and 11 (vnet0) */
	S(NET "2.2", "eth0"),
	S(NET "2.11", "vnet0"),
	C(NET "3.2", 4294967306123ULL), /* RxBytes */
	C(NET "3.11", 5500),
	C(NET "4.2", 3080),
	C(NET "4.11", 55),
	C(NET "5.2", 1),
	C(NET "5.11", 0),
	C(NET "6.2", 2),
	C(NET "6.11", 0),
	C(NET "7.2", 3),
	C(NET "7.11", 0),
	C(NET "8.2", 4),
	C(NET "8.11", 0),
	C(NET "9.2", 5),
	C(NET "9.11", 0),
	C(NET "10.2", 6), /* RxMulticast */
	C(NET "10.11", 0),
	C(NET "11.2", 125134), /* TxBytes */
	C(NET "11.11", 7700),
	C(NET "12.2", 1526),
	C(NET "12.11", 77),
	C(NET "13.2", 7),
	C(NET "13.11", 0),
	C(NET "14.2", 8),
	C(NET "14.11", 0),
	C(NET "15.2", 9),
	C(NET "15.11", 0),
	C(NET "16.2", 10),
	C(NET "16.11", 0),
	C(NET "17.2", 11),
	C(NET "17.11", 0),
	C(NET "18.2", 12), /* TxCompressed */
	C(NET "18.11", 1),
	G(NET "19.2", 2500), /* Speed: vnet0 has none */
	I(NET "20.2", 1),    /* Type physical */
	I(NET "20.11", 3),   /* tap */
	/* kvmtopHostPsiTable: (cpu,some) (io,some) (io,full) (memory,some) */
	G(PSI "3.1.1", 100),
	G(PSI "3.2.1", 50),
	G(PSI "3.2.2", 40),
	G(PSI "3.3.1", 0),
	G(PSI "4.1.1", 320),
	G(PSI "4.2.1", 16),
	G(PSI "4.2.2", 14),
	G(PSI "4.3.1", 0),
	G(PSI "5.1.1", 279),
	G(PSI "5.2.1", 25),
	G(PSI "5.2.2", 22),
	G(PSI "5.3.1", 0),
	C(PSI "6.1.1", 51693951),
	C(PSI "6.2.1", 7476262),
	C(PSI "6.2.2", 6907866),
	C(PSI "6.3.1", 0),
};

/* Instances that must not exist in full_snapshot(). */
static const char *const full_absent[] = {
	HOST "0.0",   HOST "31.0",  HOST "1",	 HOST "1.1",   HOST "7.1",
	MEM "2.4",    MEM "3.35",   MEM "4.46",	 MEM "1.1",    MEM "2.0",
	MEM "2.48",   MEM "5.1",    DISK "2.1",	 DISK "2.4",   DISK "1.3",
	DISK "14.10", DISK "15.10", DISK "16.3", DISK "16.10", DISK "17.10",
	DISK "18.3",  NET "2.3",    NET "19.11", NET "21.2",   NET "1.2",
	PSI "3.1.2",  PSI "6.1.2",  PSI "3.3.2", PSI "3.1",    PSI "3.1.1.0",
	PSI "3.4.1",  PSI "3.0.1",  PSI "2.1.1", PSI "7.1.1",
};

static void test_full(void)
{
	struct kt_mib_ctx ctx = { NULL, "1.0", "qemu:///system", 5000, 0 };
	size_t i;

	ctx.snap = full_snapshot();
	for (i = 0; i < N_OF(full_cells); i++)
		check_get(&ctx, &full_cells[i], "full");
	for (i = 0; i < N_OF(full_absent); i++)
		check_absent(&ctx, full_absent[i], "full");
	check_walk(&ctx, R ".1.11", full_cells, N_OF(full_cells), "full walk");
	/* A walk from the end of the VM tables reaches the host objects. */
	check_walk(&ctx, R ".1.10.2", full_cells, N_OF(full_cells),
		   "walk from .1.10.2");
	kt_snapshot_unref(ctx.snap);
}

/* GETNEXT from points inside and between the host objects. */
static void test_next_points(void)
{
	static const struct {
		const char *from, *to;
	} cases[] = {
		{ HOST "30.0", MEM "2.1" },
		{ HOST "30", HOST "30.0" },
		{ HOST "29.0", HOST "30.0" },
		{ HOST "31", MEM "2.1" },
		{ R ".1.12", MEM "2.1" },
		{ MEM "2.3", MEM "2.39" }, /* rows 4..38 have no cell */
		{ MEM "2.47", MEM "3.1" },
		{ MEM "4.47", DISK "2.3" },
		{ DISK "2.3", DISK "2.10" },
		{ DISK "2.4", DISK "2.10" },
		{ DISK "13.10", DISK "14.3" },
		{ DISK "14.3", DISK "15.3" }, /* sdc has no rate */
		{ DISK "15.3", DISK "17.3" }, /* no queue time at all */
		{ DISK "17.3", NET "2.2" },
		{ NET "18.11", NET "19.2" },
		{ NET "19.2", NET "20.2" }, /* vnet0 has no speed */
		{ NET "20.11", PSI "3.1.1" },
		/* two-part index: (1,1) < (1,2) < (2,1); (1,2) has no row */
		{ PSI "3.1.1", PSI "3.2.1" },
		{ PSI "3.1", PSI "3.1.1" },
		{ PSI "3.1.2", PSI "3.2.1" },
		{ PSI "3.1.1.5", PSI "3.2.1" },
		{ PSI "3.2", PSI "3.2.1" },
		{ PSI "3.2.1", PSI "3.2.2" },
		{ PSI "3.2.2", PSI "3.3.1" },
		{ PSI "3.3.1", PSI "4.1.1" }, /* (3,2) has no row */
		{ PSI "3.3.2", PSI "4.1.1" },
		{ PSI "3.4", PSI "4.1.1" },
		{ PSI "6.3.1", NULL },
		{ R ".1.16", NULL },
		{ R ".2", NULL },
	};
	struct kt_mib_ctx ctx = { NULL, "1.0", "qemu:///system", 5000, 0 };
	size_t i;

	ctx.snap = full_snapshot();
	for (i = 0; i < N_OF(cases); i++)
		check_next(&ctx, cases[i].from, cases[i].to, NULL, 0, NULL);
	kt_snapshot_unref(ctx.snap);
}

/*
 * The first sample of an old kernel without cpufreq or DMI: no rates,
 * 7 fields in /proc/stat, no UUID, no disks, nets or PSI.
 */
static void test_sparse(void)
{
	struct kt_mib_ctx ctx = { NULL, "1.0", "qemu:///system", 5000, 0 };
	static const struct cell want[] = {
		S(HOST "1.0", "old-host"), G(HOST "3.0", 2),
		C(HOST "17.0", 1),	   C(HOST "18.0", 2),
		C(HOST "19.0", 3),	   C(HOST "20.0", 4),
		C(HOST "21.0", 5),	   C(HOST "22.0", 6),
		C(HOST "23.0", 7),	   G(HOST "27.0", 0),
		G(HOST "28.0", 0),	   G(HOST "29.0", 0),
		G(HOST "30.0", 0),	   S(MEM "2.1", "MemTotal"),
		C(MEM "3.1", 1024),	   S(MEM "4.1", "KiB"),
	};
	struct kt_host *h;

	if ((ctx.snap = kt_snapshot_new(0)) == NULL)
		abort();
	h = &ctx.snap->host;
	h->valid = true;
	strcpy(h->hostname, "old-host");
	h->cpu.valid = true;
	h->cpu.nfields = 7;
	h->cpu.ticks[0] = 1;
	h->cpu.ticks[1] = 2;
	h->cpu.ticks[2] = 3;
	h->cpu.ticks[3] = 4;
	h->cpu.ticks[4] = 5;
	h->cpu.ticks[5] = 6;
	h->cpu.ticks[6] = 7;
	h->cpu.pct[0] = 42; /* junk: no rate yet */
	h->cpu.cores = 2;
	h->cpu.cur_mhz = 42; /* junk: no cpufreq */
	h->mem.present[0] = true;
	h->mem.value[0] = 1024;
	h->mem.in_kib[0] = true;
	h->psi[KT_PSI_IO][KT_PSI_SOME].avg10 = 42; /* junk: not valid */
	check_walk(&ctx, R ".1.11", want, N_OF(want), "sparse");
	check_absent(&ctx, HOST "2.0", "sparse: no uuid");
	check_absent(&ctx, HOST "4.0", "sparse: no cpufreq");
	check_absent(&ctx, HOST "7.0", "sparse: no rate");
	check_absent(&ctx, HOST "24.0", "sparse: no steal field");
	check_absent(&ctx, HOST "26.0", "sparse: no guest_nice field");
	check_absent(&ctx, PSI "3.2.1", "sparse: no PSI");

	/* /proc/stat unreadable: no CPU time, the rest stays. */
	h->cpu.valid = false;
	check_absent(&ctx, HOST "17.0", "no stat: no user time");
	check_get(&ctx, &want[1], "no stat: cores still there");

	/* The --host collector off: no scalar, no memory row at all. */
	h->valid = false;
	check_walk(&ctx, R ".1.11", NULL, 0, "host off");
	check_absent(&ctx, HOST "27.0", "host off: no VM counts");
	check_absent(&ctx, MEM "2.1", "host off: no memory rows");
	kt_snapshot_unref(ctx.snap);
}

/* Before the first collection: nothing below kvmtopHost. */
static void test_no_snapshot(void)
{
	struct kt_mib_ctx ctx = { NULL, "1.0", "qemu:///system", 5000, 0 };

	check_walk(&ctx, R ".1.11", NULL, 0, "no snapshot");
	check_absent(&ctx, HOST "1.0", "no snapshot");
	check_absent(&ctx, HOST "27.0", "no snapshot");
	check_absent(&ctx, MEM "2.1", "no snapshot");
	check_absent(&ctx, PSI "3.1.1", "no snapshot");
}

int main(void)
{
	test_full();
	test_next_points();
	test_sparse();
	test_no_snapshot();
	return kt_test_done();
}
