/*
 * kt_parse_status_swap() (PID/status, VmSwap) on real files (this
 * machine's /proc/1/status as copied into the fixture, the basic fixture's
 * QEMU, the live /proc/self/status) and on hostile ones written by hand:
 * every expected number is worked out here, never read back from the code.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/procfs.h"
#include "kt_test.h"

/* A file of the source tree, read whole into @buf; its length. */
static size_t load(const char *rel, char *buf, size_t size)
{
	const char *src = getenv("KT_SRCDIR");
	char path[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", src != NULL ? src : ".", rel);
	f = fopen(path, "r");
	if (f == NULL) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	n = fread(buf, 1, size, f);
	fclose(f);
	return n;
}

static void check(const char *in, size_t len, int want_r, uint64_t want,
		  const char *what)
{
	uint64_t got = 12345;
	int r = kt_parse_status_swap(in, len, &got);

	if (!KT_CHECK(r == want_r && got == want, what))
		printf("#   got %d and %llu\n", r, (unsigned long long)got);
}

#define CHECK_STR(s, r, v, what) check((s), sizeof(s) - 1, (r), (v), (what))

static void test_real(void)
{
	static char buf[8192];
	size_t len;

	len = load("tests/fixtures/procfs-unit/status-real", buf, sizeof(buf));
	check(buf, len, 0, 0, "real /proc/1/status: VmSwap 0 kB is 0 bytes");
	/* 12288 kB x 1024 = 12,582,912 bytes (tests/fixtures/basic) */
	len = load("tests/fixtures/basic/proc/4101/status", buf, sizeof(buf));
	check(buf, len, 0, 12582912, "fixture vm-alpha: 12288 kB");
	/* 20480 kB x 1024 = 20,971,520 bytes */
	len = load("tests/fixtures/basic/phase2/4101/status", buf, sizeof(buf));
	check(buf, len, 0, 20971520, "fixture vm-alpha phase 2: 20480 kB");
}

/* The live file against its own line, read by sscanf. */
static void test_live(void)
{
	static char buf[8192];
	unsigned long long kib = 0;
	const char *line;
	uint64_t got = 0;
	size_t len;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	line = strstr(buf, "\nVmSwap:");
	if (!KT_CHECK(line != NULL &&
			      sscanf(line, "\nVmSwap: %llu kB", &kib) == 1,
		      "live /proc/self/status has VmSwap"))
		return;
	KT_EQ_INT(kt_parse_status_swap(buf, len, &got), 0, "live: parses");
	KT_EQ_U64(got, kib * 1024, "live: VmSwap x 1024");
}

static void test_hostile(void)
{
	CHECK_STR("VmSwap:\t   42 kB\n", 0, 43008, "42 kB, tab and spaces");
	CHECK_STR("VmSwap: 1 kB", 0, 1024, "no final newline");
	CHECK_STR("Name:\tqemu\nVmRSS:\t 5 kB\n", -ENOENT, 0,
		  "no VmSwap line (a kernel thread)");
	CHECK_STR("", -ENOENT, 0, "empty");
	CHECK_STR("Name:\tVmSwap: 99 kB\nVmSwap:\t 1 kB\n", 0, 1024,
		  "VmSwap inside the Name line does not count");
	CHECK_STR("VmSwap:\t 1 kB\nVmSwap:\t 2 kB\n", -EINVAL, 0,
		  "twice: malformed");
	CHECK_STR("VmSwap:\t 1 MB\n", -EINVAL, 0, "another unit");
	CHECK_STR("VmSwap:\t 1\n", -EINVAL, 0, "no unit");
	CHECK_STR("VmSwap:\t -1 kB\n", -EINVAL, 0, "negative");
	CHECK_STR("VmSwap:\t 0x10 kB\n", -EINVAL, 0, "hexadecimal");
	CHECK_STR("VmSwap:1 kB\n", -EINVAL, 0, "no blank before the number");
	CHECK_STR("VmSwap:\t 1 kB \n", -EINVAL, 0, "trailing blank");
	CHECK_STR("VmSwap:\t 1 kB\0\n", -EINVAL, 0, "a NUL byte");
	CHECK_STR("VmSwap:\t 18014398509481983 kB\n", 0,
		  18446744073709550592ull, "(2^64-1)/1024 kB still fits");
	CHECK_STR("VmSwap:\t 18014398509481984 kB\n", -EINVAL, 0,
		  "2^54 kB overflows 64 bits of bytes");
	CHECK_STR("VmSwap:\t 99999999999999999999 kB\n", -EINVAL, 0,
		  "beyond 2^64");
	CHECK_STR("vmswap:\t 1 kB\n", -ENOENT, 0, "the key is case-sensitive");
	CHECK_STR("VmSwap:", -EINVAL, 0, "the key without a value");
	check(NULL, 0, -EINVAL, 0, "NULL buffer");
}

int main(void)
{
	test_real();
	test_live();
	test_hostile();
	return kt_test_done();
}
