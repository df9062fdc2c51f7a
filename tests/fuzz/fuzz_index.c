/*
 * libFuzzer harness of the index state file loader (index.h).
 * kt_index_open() reads a path, so each input is written to a file in a
 * private directory (under $TMPDIR, /tmp without it; bench/fuzz.sh points
 * it at a tmpfs so that the fsyncs of kt_index_save() cost nothing) and
 * loaded from there, as the agent loads its state file at start.
 *
 * Then the map is held to what index.h promises: a key gets an index no
 * other key has, and what kt_index_save() writes loads back as the same
 * map: every line well-formed, the same keys, the same next index, the
 * same day counter; forgetting keys removes only those it counts, moves
 * no index and keeps a key just looked up.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "index.h"

static char dir[4096];
static char path[4200];

static void cleanup(void)
{
	char tmp[4300];

	if (dir[0] == '\0')
		return;
	(void)unlink(path);
	/* A crash between save's temporary file and its rename. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	(void)unlink(tmp);
	(void)rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/kt-fuzz-index.XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/index.state", dir);
	atexit(cleanup);
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0)
		abort();
	while (size > 0) {
		if ((n = write(fd, data, size)) <= 0)
			abort();
		data += n;
		size -= (size_t)n;
	}
	close(fd);
}

/* What a key of the input gets, and a new key, in a fresh map @m. */
static uint32_t check_assign(struct kt_index_map *m, const char *key)
{
	uint32_t before = kt_index_peek(m, key), idx;
	size_t count = kt_index_count(m);

	idx = kt_index_get(m, key);
	if (before != 0) {
		FUZZ_CHECK(idx == before && kt_index_count(m) == count);
	} else if (idx != 0) {
		FUZZ_CHECK(kt_index_dirty(m));
		FUZZ_CHECK(kt_index_count(m) == count + 1);
		FUZZ_CHECK(kt_index_peek(m, key) == idx);
	}
	return idx;
}

/* Saves @m and loads the file again: the same map, nothing skipped. */
static void check_round_trip(struct kt_index_map *m, uint32_t idx)
{
	struct kt_index_map *m2 = NULL;
	uint32_t a, b;

	/* Unchanged (the input had the key): save leaves the input there. */
	if (!kt_index_dirty(m))
		return;
	if (kt_index_save(m) != 0)
		return; /* out of space or memory: not the loader's doing */
	FUZZ_CHECK(!kt_index_dirty(m));
	FUZZ_CHECK(kt_index_open(path, &m2) == 0);
	FUZZ_CHECK(kt_index_skipped(m2) == 0);
	FUZZ_CHECK(kt_index_count(m2) == kt_index_count(m));
	FUZZ_CHECK(kt_index_peek(m2, "fuzz-key-1") == idx);
	FUZZ_CHECK(kt_index_day(m2) == kt_index_day(m));
	/* The next index survived: both give the same to a new key. */
	a = kt_index_get(m, "fuzz-key-2");
	b = kt_index_get(m2, "fuzz-key-2");
	FUZZ_CHECK(a == b && (a == 0 || a != idx));
	kt_index_close(m2);
}

/*
 * The clock moves a day on (unless the input's date is later: then it
 * goes back, which moves nothing) and keys unseen for more than a day go,
 * never fuzz-key-1, just looked up.
 */
static void check_expire(struct kt_index_map *m, uint32_t idx)
{
	uint64_t next = kt_index_next(m);
	size_t count = kt_index_count(m), n;

	kt_index_set_clock(m, 86400);
	kt_index_set_clock(m, 2 * 86400);
	if (kt_index_expire(m, 1, &n) != 0)
		return; /* out of memory: nothing forgotten */
	FUZZ_CHECK(n <= count && kt_index_count(m) == count - n);
	FUZZ_CHECK(kt_index_next(m) == next);
	FUZZ_CHECK(kt_index_peek(m, "fuzz-key-1") == idx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kt_index_map *m = NULL;
	uint32_t idx;
	int r;

	write_input(data, size);
	r = kt_index_open(path, &m);
	FUZZ_CHECK(r == 0 || r == -ENOMEM);
	if (r != 0) {
		FUZZ_CHECK(m == NULL);
		return 0;
	}
	FUZZ_CHECK(!kt_index_dirty(m));
	idx = check_assign(m, "fuzz-key-1");
	check_round_trip(m, idx);
	check_expire(m, idx);
	kt_index_close(m);
	return 0;
}
