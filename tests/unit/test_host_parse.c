/*
 * Unit tests of the host-wide parsers (subagent/collect/host_parse.c):
 * real files copied from a test machine (tests/fixtures/host/real/, every
 * expected number read off those files by hand) and hand-written edge cases.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/host_parse.h"
#include "collect/procfs.h"
#include "kt_test.h"

static char file_buf[65536];

/* tests/fixtures/host/real/NAME into file_buf; its length. */
static size_t real_file(const char *name)
{
	const char *src = getenv("KT_SRCDIR");
	char path[4096];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/host/real/%s",
		 src != NULL ? src : ".", name);
	n = kt_read_file_at(AT_FDCWD, path, file_buf, sizeof(file_buf));
	if (n < 0) {
		printf("Bail out! cannot read %s: %s\n", path,
		       strerror((int)-n));
		exit(1);
	}
	return (size_t)n;
}

/* ---- /proc/stat ---- */

static int stat_cpu(const char *s, uint64_t t[KT_CPU_NFIELDS], unsigned *n)
{
	return kt_parse_stat_cpu(s, strlen(s), t, n);
}

static void check_ticks(const uint64_t *got, const uint64_t *want,
			const char *what)
{
	char label[256];
	int i;

	for (i = 0; i < KT_CPU_NFIELDS; i++) {
		snprintf(label, sizeof(label), "%s: field %d", what, i + 1);
		KT_EQ_U64(got[i], want[i], label);
	}
}

static void test_stat_real(void)
{
	/* The first line of real/stat. */
	static const uint64_t want[] = { 89567, 0,   12883, 234468, 987,
					 0,	214, 25,    0,	    0 };
	uint64_t t[KT_CPU_NFIELDS];
	size_t len = real_file("stat");
	unsigned n;

	KT_EQ_INT(kt_parse_stat_cpu(file_buf, len, t, &n), 0, "stat: real");
	KT_EQ_U64(n, 10, "stat: real has 10 fields");
	check_ticks(t, want, "stat: real");
	/* Only the head of the file, cut inside the cpu0 line. */
	KT_EQ_INT(kt_parse_stat_cpu(file_buf, 60, t, &n), 0,
		  "stat: the head of the file is enough");
	check_ticks(t, want, "stat: head");
}

static void test_stat_edges(void)
{
	static const uint64_t seven[] = { 1, 2, 3, 4, 5, 6, 7, 0, 0, 0 };
	static const uint64_t four[] = { 10, 20, 30, 40, 0, 0, 0, 0, 0, 0 };
	static const uint64_t eleven[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const uint64_t big[] = {
		18446744073709551615ULL, 0, 0, 1, 0, 0, 0, 0, 0, 0
	};
	static const uint64_t zero[KT_CPU_NFIELDS];
	uint64_t t[KT_CPU_NFIELDS];
	unsigned n;

	KT_EQ_INT(stat_cpu("cpu  1 2 3 4 5 6 7\ncpu0 1 2 3 4 5 6 7\n", t, &n),
		  0, "stat: 2.6.11-style line of 7 fields");
	KT_EQ_U64(n, 7, "stat: 7 fields");
	check_ticks(t, seven, "stat: 7 fields, the rest 0");
	KT_EQ_INT(stat_cpu("cpu 10 20 30 40", t, &n), 0,
		  "stat: 4 fields, one space, no newline");
	KT_EQ_U64(n, 4, "stat: 4 fields");
	check_ticks(t, four, "stat: 4 fields");
	KT_EQ_INT(stat_cpu("cpu  1 2 3 4 5 6 7 8 9 10 11 12\n", t, &n), 0,
		  "stat: 12 fields (a future kernel): extras ignored");
	KT_EQ_U64(n, 10, "stat: 12 fields count as 10");
	check_ticks(t, eleven, "stat: 12 fields");
	KT_EQ_INT(stat_cpu("intr 5 6 7\nctxt 9\ncpu  "
			   "18446744073709551615 0 0 1 0 0 0 0 0 0\n",
			   t, &n),
		  0, "stat: cpu line not first, 2^64 - 1");
	check_ticks(t, big, "stat: 2^64 - 1");

	static const char *const bad[] = {
		"cpu  1 2 3\n",			     /* 3 fields */
		"cpu  1 2 x 4\n",		     /* not a number */
		"cpu  1 2  3 4\n",		     /* two spaces inside */
		"cpu  1 2 3 4 \n",		     /* trailing space */
		"cpu  1 2 3 -4\n",		     /* sign */
		"cpu  1 2 3 18446744073709551616\n", /* 2^64 */
		"cpu  1\t2 3 4\n",
		"cpu  \n",
	};
	size_t i;
	char what[128];

	for (i = 0; i < N_OF(bad); i++) {
		snprintf(what, sizeof(what), "stat: bad line %zu rejected", i);
		KT_EQ_INT(stat_cpu(bad[i], t, &n), -EINVAL, what);
		snprintf(what, sizeof(what), "stat: bad line %zu: reset", i);
		KT_CHECK(n == 0 && memcmp(t, zero, sizeof(t)) == 0, what);
	}
	KT_EQ_INT(stat_cpu("cpu0 1 2 3 4\ncpu1 1 2 3 4\n", t, &n), -ENOENT,
		  "stat: per-CPU lines only: no cpu line");
	KT_EQ_INT(stat_cpu("", t, &n), -ENOENT, "stat: empty");
	KT_EQ_INT(stat_cpu("cpu\t1 2 3 4\n", t, &n), -ENOENT,
		  "stat: a tab after cpu: no cpu line");
	KT_EQ_INT(stat_cpu(" cpu  1 2 3 4\n", t, &n), -ENOENT,
		  "stat: the line must start with cpu");
	KT_EQ_INT(kt_parse_stat_cpu("cpu  1 2\0 3 4\n", 14, t, &n), -EINVAL,
		  "stat: embedded NUL");
	KT_EQ_INT(kt_parse_stat_cpu(NULL, 0, t, &n), -EINVAL, "stat: NULL");
}

/* ---- /proc/cpuinfo ---- */

static uint32_t cpuinfo(const char *s)
{
	return kt_parse_cpuinfo_count(s, strlen(s));
}

static void test_cpuinfo(void)
{
	size_t len = real_file("cpuinfo");

	KT_EQ_U64(kt_parse_cpuinfo_count(file_buf, len), 2,
		  "cpuinfo: real file, 2 processors");
	KT_EQ_U64(cpuinfo("vendor_id       : IBM/S390\n"
			  "# processors    : 3\n"
			  "bogomips per cpu: 3241.00\n"
			  "processor 0: version = FF,  identification = 0\n"
			  "processor 1: version = FF,  identification = 1\n"
			  "processor 2: version = FF,  identification = 2\n"),
		  3, "cpuinfo: s390 style");
	KT_EQ_U64(cpuinfo("Processor\t: ARMv7 Processor rev 10 (v7l)\n"
			  "processor\t: 0\nBogoMIPS\t: 3.00\n\n"
			  "processor\t: 1\nBogoMIPS\t: 3.00\n\n"
			  "Hardware\t: Freescale i.MX 6Quad\n"),
		  2, "cpuinfo: old ARM: the capitalised model line is no CPU");
	KT_EQ_U64(cpuinfo("processor : 0\nprocessor:1\nprocessor\t\t: 2"), 3,
		  "cpuinfo: any blanks, last line without newline");
	KT_EQ_U64(cpuinfo("processors: 4\nprocessor x: 1\n processor : 0\n"
			  "model\t: processor : 9\n"),
		  0, "cpuinfo: look-alikes do not count");
	KT_EQ_U64(cpuinfo(""), 0, "cpuinfo: empty");
	KT_EQ_U64(kt_parse_cpuinfo_count(NULL, 5), 0, "cpuinfo: NULL");
}

/* ---- /proc/meminfo ---- */

/* real/meminfo, read off the file by hand; 0 = the line is not there. */
struct mem_want {
	const char *name;
	uint64_t value;
	bool kib;
	bool present;
};

static const struct mem_want real_mem[KT_MEMINFO_N] = {
	{ "MemTotal", 24683656, true, true },
	{ "MemFree", 24142008, true, true },
	{ "MemAvailable", 24287192, true, true },
	{ "Buffers", 4148, true, true },
	{ "Cached", 318460, true, true },
	{ "SwapCached", 0, true, true },
	{ "Active", 207384, true, true },
	{ "Inactive", 143612, true, true },
	{ "Active(anon)", 3600, true, true },
	{ "Inactive(anon)", 33712, true, true },
	{ "Active(file)", 203784, true, true },
	{ "Inactive(file)", 109900, true, true },
	{ "Unevictable", 12500, true, true },
	{ "Mlocked", 11528, true, true },
	{ "SwapTotal", 0, true, true },
	{ "SwapFree", 0, true, true },
	{ "Dirty", 1016, true, true },
	{ "Writeback", 0, true, true },
	{ "AnonPages", 40864, true, true },
	{ "Mapped", 44112, true, true },
	{ "Shmem", 8924, true, true },
	{ "Slab", 106900, true, true },
	{ "SReclaimable", 80408, true, true },
	{ "SUnreclaim", 26492, true, true },
	{ "KernelStack", 1940, true, true },
	{ "PageTables", 2596, true, true },
	{ "NFS_Unstable", 0, true, true },
	{ "Bounce", 0, true, true },
	{ "WritebackTmp", 0, true, true },
	{ "CommitLimit", 12341828, true, true },
	{ "Committed_AS", 348196, true, true },
	{ "VmallocTotal", 34359738367ULL, true, true },
	{ "VmallocUsed", 14980, true, true },
	{ "VmallocChunk", 0, true, true },
	{ "HardwareCorrupted", 0, false, false }, /* no CONFIG_MEMORY_FAILURE */
	{ "AnonHugePages", 4096, true, true },
	{ "ShmemHugePages", 0, true, true },
	{ "ShmemPmdMapped", 0, true, true },
	{ "HugePages_Total", 0, false, true },
	{ "HugePages_Free", 0, false, true },
	{ "HugePages_Rsvd", 0, false, true },
	{ "HugePages_Surp", 0, false, true },
	{ "Hugepagesize", 2048, true, true },
	{ "Hugetlb", 0, true, true },
	{ "DirectMap4k", 28672, true, true },
	{ "DirectMap2M", 2068480, true, true },
	{ "DirectMap1G", 25165824, true, true },
};

static void test_meminfo_names(void)
{
	size_t i, wrong = 0;

	for (i = 0; i < KT_MEMINFO_N; i++)
		if (strcmp(kt_meminfo_names[i], real_mem[i].name) != 0) {
			printf("# name %zu: %s, want %s\n", i + 1,
			       kt_meminfo_names[i], real_mem[i].name);
			wrong++;
		}
	KT_EQ_U64(wrong, 0, "meminfo: the 47 names in the plan's order");
}

static void test_meminfo_real(void)
{
	size_t len = real_file("meminfo"), i, wrong = 0, present = 0;
	struct kt_meminfo m;

	KT_EQ_INT(kt_parse_meminfo(file_buf, len, &m), 0, "meminfo: real");
	for (i = 0; i < KT_MEMINFO_N; i++) {
		const struct mem_want *w = &real_mem[i];

		present += m.present[i];
		if (m.present[i] != w->present ||
		    (w->present &&
		     (m.value[i] != w->value || m.in_kib[i] != w->kib))) {
			printf("# %s: present %d value %" PRIu64 " kib %d\n",
			       w->name, m.present[i], m.value[i], m.in_kib[i]);
			wrong++;
		}
	}
	KT_EQ_U64(wrong, 0, "meminfo: real: every field as in the file");
	KT_EQ_U64(present, 46, "meminfo: real: 46 of the 47 fields");
}

static int meminfo(const char *s, struct kt_meminfo *m)
{
	return kt_parse_meminfo(s, strlen(s), m);
}

static bool mem_empty(const struct kt_meminfo *m)
{
	static const struct kt_meminfo zero;

	return memcmp(m, &zero, sizeof(zero)) == 0;
}

static void test_meminfo_edges(void)
{
	struct kt_meminfo m;
	size_t i;
	char what[128];

	KT_EQ_INT(meminfo("Zswap:  0 kB\nHugePages_Surp: 18446744073709551615\n"
			  "MemTotal: 1 kB",
			  &m),
		  0, "meminfo: unknown field, 2^64 - 1, no final newline");
	KT_CHECK(m.present[0] && m.value[0] == 1 && m.in_kib[0],
		 "meminfo: MemTotal 1 kB");
	KT_CHECK(m.present[41] && m.value[41] == 18446744073709551615ULL &&
			 !m.in_kib[41],
		 "meminfo: HugePages_Surp (42) is a count");
	KT_CHECK(!m.present[1], "meminfo: MemFree absent");

	static const char *const bad[] = {
		"MemTotal: 1 kB\nMemTotal: 2 kB\n",    /* twice */
		"MemTotal: 1 MB\n",		       /* unknown unit */
		"MemTotal:1 kB\n",		       /* no space */
		"MemTotal:\t1 kB\n",		       /* a tab */
		"MemTotal: 1 kB\n\nMemFree: 2 kB\n",   /* empty line */
		"MemTotal: 18446744073709551616 kB\n", /* 2^64 */
		"MemTotal: -1 kB\n",
		"MemTotal 1 kB\n",   /* no colon */
		": 1 kB\n",	     /* no name */
		"MemTotal: 1 kB \n", /* trailing space */
		"MemTotal: \n",
		"",
	};
	for (i = 0; i < N_OF(bad); i++) {
		snprintf(what, sizeof(what), "meminfo: bad input %zu rejected",
			 i);
		KT_EQ_INT(meminfo(bad[i], &m), -EINVAL, what);
		snprintf(what, sizeof(what), "meminfo: bad input %zu: reset",
			 i);
		KT_CHECK(mem_empty(&m), what);
	}
	KT_EQ_INT(kt_parse_meminfo("MemTotal: 1\0 kB\n", 16, &m), -EINVAL,
		  "meminfo: embedded NUL");
}

/* ---- /proc/diskstats ---- */

static int disk(const char *s, struct kt_host_disk *d)
{
	return kt_parse_diskstats_line(s, strlen(s), d);
}

static void check_disk(const struct kt_host_disk *d, const char *name,
		       uint32_t major, uint32_t minor, const uint64_t f[11],
		       const char *what)
{
	const uint64_t got[11] = {
		d->reads,     d->reads_merged,	d->sectors_read,    d->read_ms,
		d->writes,    d->writes_merged, d->sectors_written, d->write_ms,
		d->in_flight, d->io_ms,		d->weighted_ms
	};
	char label[256];
	int i;

	snprintf(label, sizeof(label), "%s: name, major, minor", what);
	KT_CHECK(strcmp(d->name, name) == 0 && d->major == major &&
			 d->minor == minor,
		 label);
	for (i = 0; i < 11; i++) {
		snprintf(label, sizeof(label), "%s: field %d", what, i + 1);
		KT_EQ_U64(got[i], f[i], label);
	}
}

/* The lines of real/diskstats: the vda line is the ninth. */
static void test_diskstats_real(void)
{
	static const uint64_t vda[11] = { 130229, 11224, 6598034, 118664,
					  30931,  16626, 3014248, 11293,
					  0,	  15316, 132785 };
	static const uint64_t zero[11];
	size_t len = real_file("diskstats"), n = 0, ok = 0;
	const char *p = file_buf, *end = file_buf + len, *nl;
	struct kt_host_disk d;

	for (; p < end; p = nl + 1, n++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		/* Pass the newline too: the parser takes one. */
		if (kt_parse_diskstats_line(p, (size_t)(nl - p) + 1, &d) == 0)
			ok++;
		if (n == 8)
			check_disk(&d, "vda", 254, 0, vda, "diskstats: vda");
		if (n == 0)
			check_disk(&d, "loop0", 7, 0, zero, "diskstats: loop0");
	}
	KT_EQ_U64(n, 10, "diskstats: real: 10 lines");
	KT_EQ_U64(ok, 10, "diskstats: real: all parse");
}

static void test_diskstats_edges(void)
{
	static const uint64_t f[11] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	static const uint64_t big[11] = {
		18446744073709551615ULL, 0, 0, 0, 0, 0, 0, 0,
		4294967295ULL,		 0, 0
	};
	struct kt_host_disk d;
	static const struct kt_host_disk zero;
	size_t i;
	char what[128];

	KT_EQ_INT(disk("   8       0 sda 1 2 3 4 5 6 7 8 9 10 11", &d), 0,
		  "diskstats: 2.6 line of 11 fields");
	check_disk(&d, "sda", 8, 0, f, "diskstats: 11 fields");
	KT_EQ_INT(disk("8 16 sdb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n", &d), 0,
		  "diskstats: 4.18 line of 15 fields");
	check_disk(&d, "sdb", 8, 16, f, "diskstats: 15 fields");
	KT_EQ_INT(disk(" 259 0 nvme0n1 18446744073709551615 0 0 0 0 0 0 0 "
		       "4294967295 0 0 0 0 0 0 0 0 0 0 0 0\n",
		       &d),
		  0, "diskstats: 22 fields, 2^64 - 1");
	check_disk(&d, "nvme0n1", 259, 0, big, "diskstats: big");
	KT_EQ_INT(disk("1 2 abcdefghijabcdefghijabcdefghijk 1 2 3 4 5 6 7 8 9 "
		       "10 11",
		       &d),
		  0, "diskstats: 31-byte name fits");
	KT_EQ_U64(strlen(d.name), 31, "diskstats: 31-byte name kept");

	static const char *const bad[] = {
		"8 0 sda 1 2 3 4 5 6 7 8 9 10\n",      /* 10 fields */
		"8 0 sda 1 2 3 4 5 6 7 8 9 10 11 x\n", /* garbage after */
		"8 0 sda 1 2 3 4 5 6 7 8 9 10 11 \n",  /* trailing space */
		"8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n\n",
		"8 0 sda 1 2 3 -4 5 6 7 8 9 10 11\n",
		"8 0 sda 1 2 3 4 5 6 7 8 9 10 18446744073709551616\n",
		"8 0 abcdefghijabcdefghijabcdefghijkl 1 2 3 4 5 6 7 8 9 10 11",
		"4294967296 0 sda 1 2 3 4 5 6 7 8 9 10 11\n",
		"8 0 1 2 3 4 5 6 7 8 9 10 11\n", /* no name: "1" is the name */
		"8 0\tsda 1 2 3 4 5 6 7 8 9 10 11\n",
		"8 0 sda 1 2 3 4 5 6 7 8 9 10\t11\n",
		"",
	};
	for (i = 0; i < N_OF(bad); i++) {
		snprintf(what, sizeof(what), "diskstats: bad line %zu rejected",
			 i);
		KT_EQ_INT(disk(bad[i], &d), -EINVAL, what);
		snprintf(what, sizeof(what), "diskstats: bad line %zu: reset",
			 i);
		KT_CHECK(memcmp(&d, &zero, sizeof(d)) == 0, what);
	}
}

/* ---- /proc/net/dev ---- */

static int netdev(const char *s, struct kt_host_net *n)
{
	return kt_parse_netdev_line(s, strlen(s), n);
}

static void check_net(const struct kt_host_net *n, const char *name,
		      const uint64_t rx[8], const uint64_t tx[8],
		      const char *what)
{
	char label[256];
	int i;

	snprintf(label, sizeof(label), "%s: name %s", what, name);
	KT_EQ_STR(n->name, name, label);
	for (i = 0; i < 8; i++) {
		snprintf(label, sizeof(label), "%s: rx %d", what, i + 1);
		KT_EQ_U64(n->rx[i], rx[i], label);
		snprintf(label, sizeof(label), "%s: tx %d", what, i + 1);
		KT_EQ_U64(n->tx[i], tx[i], label);
	}
}

static void test_netdev_real(void)
{
	static const uint64_t lo[8] = { 626082, 6591, 0, 0, 0, 0, 0, 0 };
	static const uint64_t eth_rx[8] = { 100506342, 3070, 0, 0, 0, 0, 0, 0 };
	static const uint64_t eth_tx[8] = { 120134, 1516, 0, 0, 0, 0, 0, 0 };
	size_t len = real_file("net-dev"), n = 0, ok = 0;
	const char *p = file_buf, *end = file_buf + len, *nl;
	struct kt_host_net d;

	for (; p < end; p = nl + 1, n++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (kt_parse_netdev_line(p, (size_t)(nl - p), &d) == 0)
			ok++;
		else if (n >= 2)
			printf("# line %zu did not parse\n", n + 1);
		if (n == 2)
			check_net(&d, "lo", lo, lo, "net/dev: lo");
		if (n == 5)
			check_net(&d, "eth0", eth_rx, eth_tx, "net/dev: eth0");
	}
	KT_EQ_U64(n, 6, "net/dev: real: 6 lines");
	KT_EQ_U64(ok, 4,
		  "net/dev: real: the 4 interface lines parse, the 2 "
		  "header lines do not");
}

static void test_netdev_edges(void)
{
	static const uint64_t rx[8] = { 12345678901ULL, 2, 3, 4, 5, 6, 7, 8 };
	static const uint64_t tx[8] = { 9,  10, 11, 12,
					13, 14, 15, 18446744073709551615ULL };
	struct kt_host_net n;
	static const struct kt_host_net zero;
	size_t i;
	char what[128];

	KT_EQ_INT(netdev("vnet12:12345678901 2 3 4 5 6 7 8 9 10 11 12 13 14 "
			 "15 18446744073709551615\n",
			 &n),
		  0, "net/dev: no space after the colon (2.4 style), 2^64-1");
	check_net(&n, "vnet12", rx, tx, "net/dev: old style");
	KT_EQ_INT(netdev("  br-0123456789ab:    12345678901    2    3    4    "
			 "5     6          7         8        9      10   11 "
			 "  12   13    14      15 18446744073709551615",
			 &n),
		  0, "net/dev: wide columns, long name, no newline");
	check_net(&n, "br-0123456789ab", rx, tx, "net/dev: wide");

	static const char *const bad[] = {
		"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n", /* 15 */
		"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n",
		"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 \n",
		"eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
		": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
		"eth0: 1 2 3 4 5 6 7 -8 9 10 11 12 13 14 15 16\n",
		"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n\n",
		"et h0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
		"eth0:\t1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
		/* 16 bytes: longer than any the kernel gives (IFNAMSIZ) */
		"br-0123456789abc: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
		"Inter-|   Receive                       |  Transmit\n",
		"",
	};
	for (i = 0; i < N_OF(bad); i++) {
		snprintf(what, sizeof(what), "net/dev: bad line %zu rejected",
			 i);
		KT_EQ_INT(netdev(bad[i], &n), -EINVAL, what);
		snprintf(what, sizeof(what), "net/dev: bad line %zu: reset", i);
		KT_CHECK(memcmp(&n, &zero, sizeof(n)) == 0, what);
	}
}

/* ---- /proc/pressure ---- */

static void check_psi(const struct kt_psi_line *l, bool valid, uint32_t a10,
		      uint32_t a60, uint32_t a300, uint64_t total,
		      const char *what)
{
	char label[256];

	snprintf(label, sizeof(label), "%s: valid %d", what, valid);
	KT_CHECK(l->valid == valid, label);
	snprintf(label, sizeof(label), "%s: %u %u %u %" PRIu64, what, a10, a60,
		 a300, total);
	KT_CHECK(l->avg10 == a10 && l->avg60 == a60 && l->avg300 == a300 &&
			 l->total_us == total,
		 label);
}

static int psi(const char *s, struct kt_psi_line l[KT_PSI_NKINDS])
{
	return kt_parse_psi(s, strlen(s), l);
}

static void test_psi(void)
{
	struct kt_psi_line l[KT_PSI_NKINDS];
	size_t len, i;
	char what[128];

	len = real_file("pressure-cpu");
	KT_EQ_INT(kt_parse_psi(file_buf, len, l), 0, "psi: real cpu");
	check_psi(&l[KT_PSI_SOME], true, 94, 144, 234, 52764174,
		  "psi: cpu some");
	check_psi(&l[KT_PSI_FULL], true, 0, 0, 0, 0, "psi: cpu full");
	len = real_file("pressure-io");
	KT_EQ_INT(kt_parse_psi(file_buf, len, l), 0, "psi: real io");
	check_psi(&l[KT_PSI_SOME], true, 84, 19, 22, 7615521, "psi: io some");
	check_psi(&l[KT_PSI_FULL], true, 66, 15, 19, 7042607, "psi: io full");
	len = real_file("pressure-memory");
	KT_EQ_INT(kt_parse_psi(file_buf, len, l), 0, "psi: real memory");
	check_psi(&l[KT_PSI_SOME], true, 0, 0, 0, 0, "psi: memory some");

	KT_EQ_INT(psi("some avg10=100.00 avg60=42949671.99 avg300=0.01 "
		      "total=18446744073709551615",
		      l),
		  0, "psi: pre-5.13 cpu: some only; extremes");
	check_psi(&l[KT_PSI_SOME], true, 10000, 4294967199U, 1,
		  18446744073709551615ULL, "psi: extremes");
	check_psi(&l[KT_PSI_FULL], false, 0, 0, 0, 0, "psi: no full line");
	KT_EQ_INT(psi("full avg10=1.05 avg60=0.50 avg300=0.00 total=7\n", l), 0,
		  "psi: full only");
	check_psi(&l[KT_PSI_FULL], true, 105, 50, 0, 7, "psi: full 1.05");
	check_psi(&l[KT_PSI_SOME], false, 0, 0, 0, 0, "psi: no some line");

	static const char *const bad[] = {
		"some avg10=1.5 avg60=0.00 avg300=0.00 total=1\n",
		"some avg10=1.500 avg60=0.00 avg300=0.00 total=1\n",
		"some avg10=1 avg60=0.00 avg300=0.00 total=1\n",
		"some avg10=-1.00 avg60=0.00 avg300=0.00 total=1\n",
		"some avg10=42949672.00 avg60=0.00 avg300=0.00 total=1\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n"
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=2\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=1 \n",
		"some  avg10=0.00 avg60=0.00 avg300=0.00 total=1\n",
		"half avg10=0.00 avg60=0.00 avg300=0.00 total=1\n",
		"some avg60=0.00 avg10=0.00 avg300=0.00 total=1\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=1\nfull",
		"",
	};
	for (i = 0; i < N_OF(bad); i++) {
		snprintf(what, sizeof(what), "psi: bad input %zu rejected", i);
		KT_EQ_INT(psi(bad[i], l), -EINVAL, what);
		snprintf(what, sizeof(what), "psi: bad input %zu: reset", i);
		KT_CHECK(!l[0].valid && !l[1].valid && l[0].total_us == 0,
			 what);
	}
}

/* ---- one-value files ---- */

static int sysfs_u64(const char *s, uint64_t *v)
{
	return kt_parse_sysfs_u64(s, strlen(s), v);
}

static void test_sysfs_u64(void)
{
	static const struct {
		const char *in;
		int ret;
		uint64_t v;
	} cases[] = {
		{ "4\n", 0, 4 },
		{ "2600000\n", 0, 2600000 },
		{ "10000", 0, 10000 },
		{ "18446744073709551615\n", 0, 18446744073709551615ULL },
		{ "-1\n", -ENODATA, 0 },
		{ "-1", -ENODATA, 0 },
		{ "-100\n", -ENODATA, 0 },
		{ "18446744073709551616\n", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "\n", -EINVAL, 0 },
		{ " 4\n", -EINVAL, 0 },
		{ "4 \n", -EINVAL, 0 },
		{ "4\n\n", -EINVAL, 0 },
		{ "+4\n", -EINVAL, 0 },
		{ "-\n", -EINVAL, 0 },
		{ "--1\n", -EINVAL, 0 },
		{ "0x10\n", -EINVAL, 0 },
	};
	size_t i, len;
	uint64_t v;
	char what[128];

	len = real_file("eth0-ifindex");
	KT_EQ_INT(kt_parse_sysfs_u64(file_buf, len, &v), 0, "sysfs: ifindex");
	KT_EQ_U64(v, 4, "sysfs: real eth0 ifindex 4");
	len = real_file("eth0-speed");
	KT_EQ_INT(kt_parse_sysfs_u64(file_buf, len, &v), -ENODATA,
		  "sysfs: real virtio eth0 speed -1: unknown");
	for (i = 0; i < N_OF(cases); i++) {
		v = 12345;
		snprintf(what, sizeof(what), "sysfs: case %zu -> %d %" PRIu64,
			 i, cases[i].ret, cases[i].v);
		KT_CHECK(sysfs_u64(cases[i].in, &v) == cases[i].ret &&
				 v == cases[i].v,
			 what);
	}
	KT_EQ_INT(kt_parse_sysfs_u64("4\0", 2, &v), -EINVAL,
		  "sysfs: embedded NUL");
}

static void test_identity(void)
{
	char u[37], h[8];
	size_t len;

	KT_EQ_INT(kt_parse_dmi_uuid("4C4C4544-0042-3510-8052-B4C04F4E3732\n",
				    37, u),
		  0, "uuid: upper case");
	KT_EQ_STR(u, "4c4c4544-0042-3510-8052-b4c04f4e3732",
		  "uuid: copied lowercase");
	KT_EQ_INT(kt_parse_dmi_uuid("ec2a1f6d-1b3c-4d9e-8f70-123456789abc", 36,
				    u),
		  0, "uuid: no newline");
	KT_EQ_STR(u, "ec2a1f6d-1b3c-4d9e-8f70-123456789abc", "uuid: as is");
	KT_EQ_INT(kt_parse_dmi_uuid("ec2a1f6d-1b3c-4d9e-8f70-123456789abcd\n",
				    38, u),
		  -EINVAL, "uuid: too long");
	KT_EQ_STR(u, "", "uuid: reset");
	KT_EQ_INT(kt_parse_dmi_uuid("ec2a1f6d-1b3c-4d9e-8f70-123456789ab\n", 36,
				    u),
		  -EINVAL, "uuid: too short");
	KT_EQ_INT(kt_parse_dmi_uuid("ec2a1f6d-1b3c-4d9e_8f70-123456789abc", 36,
				    u),
		  -EINVAL, "uuid: bad dash");
	KT_EQ_INT(kt_parse_dmi_uuid("ec2a1f6d-1b3c-4d9e-8f70-123456789abg", 36,
				    u),
		  -EINVAL, "uuid: bad hex");

	len = real_file("hostname");
	KT_EQ_INT(kt_parse_hostname(file_buf, len, h, sizeof(h)), 0,
		  "hostname: real");
	KT_EQ_STR(h, "vm", "hostname: real is vm");
	KT_EQ_INT(kt_parse_hostname("kvm-host-1", 10, h, sizeof(h)), -EINVAL,
		  "hostname: does not fit");
	KT_EQ_STR(h, "", "hostname: reset");
	KT_EQ_INT(kt_parse_hostname("kvm-h-1", 7, h, sizeof(h)), 0,
		  "hostname: just fits");
	KT_EQ_STR(h, "kvm-h-1", "hostname: 7 bytes");
	KT_EQ_INT(kt_parse_hostname("\n", 1, h, sizeof(h)), -EINVAL,
		  "hostname: empty");
	KT_EQ_INT(kt_parse_hostname("a\nb\n", 4, h, sizeof(h)), -EINVAL,
		  "hostname: two lines");
	KT_EQ_INT(kt_parse_hostname("a\0b", 3, h, sizeof(h)), -EINVAL,
		  "hostname: NUL");
}

int main(void)
{
	test_stat_real();
	test_stat_edges();
	test_cpuinfo();
	test_meminfo_names();
	test_meminfo_real();
	test_meminfo_edges();
	test_diskstats_real();
	test_diskstats_edges();
	test_netdev_real();
	test_netdev_edges();
	test_psi();
	test_sysfs_u64();
	test_identity();
	return kt_test_done();
}
