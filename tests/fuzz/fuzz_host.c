/*
 * libFuzzer harness of the host-wide parsers (collect/host_parse.h): the
 * cpu line of /proc/stat, /proc/cpuinfo, /proc/meminfo, /proc/diskstats
 * and /proc/net/dev lines, /proc/pressure files, one-value sysfs files,
 * the DMI product UUID and the hostname.  Every input goes to every
 * parser on an exactly-sized copy; the two line parsers get it whole and
 * also line by line, as the host collector splits those files.  The checks
 * hold each parser to its header: documented return values, reset
 * out-parameters on error, NUL-terminated names that fit.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collect/host_parse.h"
#include "fuzz.h"

static void fuzz_stat_cpu(const char *buf, size_t len)
{
	uint64_t ticks[KT_CPU_NFIELDS];
	unsigned n;
	int r = kt_parse_stat_cpu(buf, len, ticks, &n);

	FUZZ_CHECK(r == 0 || r == -ENOENT || r == -EINVAL);
	if (r == 0)
		FUZZ_CHECK(n >= 4 && n <= KT_CPU_NFIELDS);
	else
		FUZZ_CHECK(n == 0 && fuzz_all_zero(ticks, sizeof(ticks)));
}

static void fuzz_cpuinfo(const char *buf, size_t len)
{
	uint32_t n = kt_parse_cpuinfo_count(buf, len), lines = 1;
	size_t i;

	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	FUZZ_CHECK(n <= lines); /* at most one entry a line */
}

static void fuzz_meminfo(const char *buf, size_t len)
{
	struct kt_meminfo m;
	int r = kt_parse_meminfo(buf, len, &m);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r != 0)
		FUZZ_CHECK(fuzz_all_zero(&m, sizeof(m)));
}

/* A device name the parser filled: NUL-terminated inside, not empty. */
static int name_ok(const char *name, size_t size)
{
	const char *nul = memchr(name, '\0', size);

	return nul != NULL && nul != name;
}

static void fuzz_diskstats(const char *buf, size_t len)
{
	struct kt_host_disk d;
	int r = kt_parse_diskstats_line(buf, len, &d);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r == 0)
		FUZZ_CHECK(name_ok(d.name, sizeof(d.name)));
	else
		FUZZ_CHECK(fuzz_all_zero(&d, sizeof(d)));
}

static void fuzz_netdev(const char *buf, size_t len)
{
	struct kt_host_net n;
	int r = kt_parse_netdev_line(buf, len, &n);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r == 0)
		FUZZ_CHECK(name_ok(n.name, sizeof(n.name)));
	else
		FUZZ_CHECK(fuzz_all_zero(&n, sizeof(n)));
}

static void fuzz_psi(const char *buf, size_t len)
{
	struct kt_psi_line l[KT_PSI_NKINDS];
	int r = kt_parse_psi(buf, len, l);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r == 0)
		FUZZ_CHECK(l[KT_PSI_SOME].valid || l[KT_PSI_FULL].valid);
	else
		FUZZ_CHECK(fuzz_all_zero(l, sizeof(l)));
}

static void fuzz_sysfs_u64(const char *buf, size_t len)
{
	uint64_t v;
	int r = kt_parse_sysfs_u64(buf, len, &v);

	FUZZ_CHECK(r == 0 || r == -ENODATA || r == -EINVAL);
	if (r != 0)
		FUZZ_CHECK(v == 0);
}

static void fuzz_dmi_uuid(const char *buf, size_t len)
{
	char u[37];
	size_t i;
	int r;

	memset(u, 'x', sizeof(u)); /* a stale value must not survive */
	r = kt_parse_dmi_uuid(buf, len, u);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r != 0) {
		FUZZ_CHECK(u[0] == '\0');
		return;
	}
	FUZZ_CHECK(strlen(u) == 36);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			FUZZ_CHECK(u[i] == '-');
		else
			FUZZ_CHECK(strchr("0123456789abcdef", u[i]) != NULL);
	}
}

/* The size of kt_host.hostname, and a small one for the "must fit" edge. */
static void fuzz_hostname_size(const char *buf, size_t len, size_t size)
{
	char *out = malloc(size); /* exactly @size: ASan sees a write past */
	size_t n;
	int r;

	if (out == NULL)
		abort();
	memset(out, 'x', size);
	r = kt_parse_hostname(buf, len, out, size);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r == 0) {
		n = strlen(out);
		FUZZ_CHECK(n > 0 && n < size && memchr(out, '\n', n) == NULL);
	} else {
		FUZZ_CHECK(out[0] == '\0');
	}
	free(out);
}

static void fuzz_hostname(const char *buf, size_t len)
{
	fuzz_hostname_size(buf, len, 256);
	fuzz_hostname_size(buf, len, 8);
}

static void (*const whole[])(const char *, size_t) = {
	fuzz_stat_cpu,	fuzz_cpuinfo,  fuzz_meminfo,
	fuzz_diskstats, fuzz_netdev,   fuzz_psi,
	fuzz_sysfs_u64, fuzz_dmi_uuid, fuzz_hostname,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;
	char *buf;

	for (i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		buf = fuzz_copy(data, size);
		whole[i](buf, size);
		free(buf);
	}
	fuzz_each_line(data, size, fuzz_diskstats);
	fuzz_each_line(data, size, fuzz_netdev);
	return 0;
}
