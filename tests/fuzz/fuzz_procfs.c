/*
 * libFuzzer harness of the per-process procfs parsers (collect/procfs.h):
 * PID/task/TID/schedstat, PID/stat, PID/io, one-number files,
 * task/TID/comm, PID/cmdline and PID/status's Uid line.  Every input goes to every parser, each on
 * its own exactly-sized copy (the parsers take a length and need no NUL),
 * so a seed of any one file kind also exercises the others.  Besides the
 * sanitizers, the checks hold each parser to its header: the documented
 * return values, and an out-parameter left at its reset values on error.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "collect/procfs.h"
#include "fuzz.h"

static void fuzz_schedstat(const char *buf, size_t len)
{
	struct kt_schedstat s;
	int r = kt_parse_schedstat(buf, len, &s);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r != 0)
		FUZZ_CHECK(fuzz_all_zero(&s, sizeof(s)));
}

static void fuzz_pid_stat(const char *buf, size_t len)
{
	struct kt_pid_stat s;
	int r = kt_parse_pid_stat(buf, len, &s);
	unsigned f;

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r != 0) {
		FUZZ_CHECK(fuzz_all_zero(&s, sizeof(s)));
		return;
	}
	/* Up to field 24 is required; a field not there is 0. */
	FUZZ_CHECK((s.present & KT_PS_BIT(KT_PS_RSS)) != 0);
	for (f = 0; f < KT_PS_N; f++)
		FUZZ_CHECK((s.present & KT_PS_BIT(f)) || s.v[f] == 0);
	FUZZ_CHECK(s.v[KT_PS_PROCESSOR] <= INT_MAX);
}

static void fuzz_pid_io(const char *buf, size_t len)
{
	struct kt_pid_io io;
	int r = kt_parse_pid_io(buf, len, &io);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r != 0)
		FUZZ_CHECK(fuzz_all_zero(&io, sizeof(io)));
}

static void fuzz_u64_line(const char *buf, size_t len)
{
	uint64_t v;
	int r = kt_parse_u64_line(buf, len, &v);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r != 0)
		FUZZ_CHECK(v == 0);
}

static void fuzz_vcpu_comm(const char *buf, size_t len)
{
	int n = kt_parse_vcpu_comm(buf, len);

	FUZZ_CHECK(n >= -1);
	if (n >= 0)
		FUZZ_CHECK(len > 4 && memcmp(buf, "CPU ", 4) == 0);
}

/* A returned UUID is 8-4-4-4-12 lowercase hex digits and its NUL. */
static int uuid_lowercase(const char *u)
{
	size_t i;

	if (strlen(u) != KT_UUID_LEN)
		return 0;
	for (i = 0; i < KT_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (u[i] != '-')
				return 0;
		} else if (!((u[i] >= '0' && u[i] <= '9') ||
			     (u[i] >= 'a' && u[i] <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

static void fuzz_cmdline(const char *buf, size_t len)
{
	char uuid[KT_UUID_LEN + 1];
	int r;

	memset(uuid, 'x', sizeof(uuid)); /* a stale value must not survive */
	r = kt_cmdline_find_uuid(buf, len, uuid);
	FUZZ_CHECK(r == 0 || r == -ENOENT);
	if (r == 0)
		FUZZ_CHECK(uuid_lowercase(uuid));
	else
		FUZZ_CHECK(uuid[0] == '\0');
}

/* Four uids below 2^32 - 1 from a "Uid:" line, or zeros and -EINVAL. */
static void fuzz_status_uids(const char *buf, size_t len)
{
	uint32_t ids[KT_STATUS_UIDS];
	int r, i;

	memset(ids, 0xff, sizeof(ids)); /* a stale value must not survive */
	r = kt_parse_status_uids(buf, len, ids);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	for (i = 0; i < KT_STATUS_UIDS; i++)
		FUZZ_CHECK(r == 0 ? ids[i] != UINT32_MAX : ids[i] == 0);
	if (r == 0)
		FUZZ_CHECK(len >= 12 && memmem(buf, len, "Uid:\t", 5) != NULL);
}

static void (*const parsers[])(const char *, size_t) = {
	fuzz_schedstat, fuzz_pid_stat, fuzz_pid_io,	 fuzz_u64_line,
	fuzz_vcpu_comm, fuzz_cmdline,  fuzz_status_uids,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;
	char *buf;

	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		buf = fuzz_copy(data, size);
		parsers[i](buf, size);
		free(buf);
	}
	return 0;
}
