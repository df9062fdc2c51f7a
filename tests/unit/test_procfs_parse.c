/*
 * Unit tests of collect/procfs: kt_read_file_at, kt_read_text_at and the
 * parsers.
 * Inputs are files captured from a real QEMU/KVM process and from /proc/self
 * of a development machine (tests/fixtures/procfs-unit/real-*), hand-written
 * edge cases next to them, the integration fixture tests/fixtures/basic/,
 * and the live /proc of the machine running the test.  Every expected value
 * below was read off the files by hand (or with awk), never taken from the
 * code under test.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collect/procfs.h"
#include "collect/qemu.h"
#include "kt_test.h"

#define FIX_MAX (128 * 1024)

static int fixdir = -1;
static char fixbuf[FIX_MAX];

static void bail(const char *what, const char *name)
{
	printf("Bail out! %s %s\n", what, name);
	exit(1);
}

static int open_dir(const char *sub)
{
	const char *src = getenv("KT_SRCDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", src ? src : ".", sub);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		bail("cannot open fixture directory", path);
	return fd;
}

/*
 * A heap copy of exactly the file's size, without a NUL, so that ASan
 * reports a parser that reads past len.
 */
static char *load_at(int dir, const char *name, size_t *len)
{
	ssize_t n = kt_read_file_at(dir, name, fixbuf, sizeof(fixbuf));
	char *copy;

	if (n < 0)
		bail("cannot read fixture", name);
	copy = malloc(n > 0 ? (size_t)n : 1);
	if (copy == NULL)
		bail("out of memory for", name);
	memcpy(copy, fixbuf, (size_t)n);
	*len = (size_t)n;
	return copy;
}

static int stat_at(int dir, const char *name, struct kt_pid_stat *st)
{
	size_t len;
	char *b = load_at(dir, name, &len);
	int r = kt_parse_pid_stat(b, len, st);

	free(b);
	return r;
}

static int sched_at(int dir, const char *name, struct kt_schedstat *ss)
{
	size_t len;
	char *b = load_at(dir, name, &len);
	int r = kt_parse_schedstat(b, len, ss);

	free(b);
	return r;
}

static int comm_at(int dir, const char *name)
{
	size_t len;
	char *b = load_at(dir, name, &len);
	int r = kt_parse_vcpu_comm(b, len);

	free(b);
	return r;
}

static int uuid_at(int dir, const char *name, char out[KT_UUID_LEN + 1])
{
	size_t len;
	char *b = load_at(dir, name, &len);
	int r = kt_cmdline_find_uuid(b, len, out);

	free(b);
	return r;
}

#define STAT(name, st) stat_at(fixdir, (name), (st))
#define SCHED(name, ss) sched_at(fixdir, (name), (ss))
#define COMM(name) comm_at(fixdir, (name))
#define UUID(name, out) uuid_at(fixdir, (name), (out))

/* The lowest free descriptor: unchanged after a batch of calls = no leak. */
static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

static void test_read_file_at(void)
{
	char buf[16], big[4096];
	int before = lowest_free_fd();

	/* schedstat-no-newline is the 8 bytes "10 20 30". */
	KT_EQ_INT(kt_read_file_at(fixdir, "schedstat-no-newline", buf, 9), 8,
		  "read: exact fit (size = length + 1)");
	KT_EQ_STR(buf, "10 20 30", "read: exact fit content, NUL-terminated");
	KT_EQ_INT(kt_read_file_at(fixdir, "schedstat-no-newline", buf, 8),
		  -EFBIG, "read: one byte short is -EFBIG");
	KT_EQ_INT(kt_read_file_at(fixdir, "schedstat-no-newline", buf,
				  sizeof(buf)),
		  8, "read: roomy buffer");
	KT_EQ_INT(kt_read_file_at(fixdir, "digits-64k", big, sizeof(big)),
		  -EFBIG, "read: 64 KiB file into 4 KiB is -EFBIG");
	KT_EQ_INT(kt_read_file_at(fixdir, "empty", buf, 1), 0,
		  "read: empty file into a 1-byte buffer");
	KT_EQ_INT(buf[0], '\0', "read: empty file gives an empty string");
	KT_EQ_INT(kt_read_file_at(fixdir, "comm-tcg", buf, 1), -EFBIG,
		  "read: non-empty file into a 1-byte buffer is -EFBIG");
	KT_EQ_INT(kt_read_file_at(fixdir, "comm-tcg", buf, 0), -EINVAL,
		  "read: size 0 is -EINVAL");
	KT_EQ_INT(kt_read_file_at(fixdir, "no-such-file", buf, sizeof(buf)),
		  -ENOENT, "read: missing file is -ENOENT");
	KT_EQ_INT(kt_read_file_at(fixdir, "empty/x", buf, sizeof(buf)),
		  -ENOTDIR, "read: path through a file is -ENOTDIR");
	KT_EQ_INT(kt_read_file_at(fixdir, ".", buf, sizeof(buf)), -EISDIR,
		  "read: a directory is -EISDIR");
	KT_EQ_INT(kt_read_file_at(-1, "comm-tcg", buf, sizeof(buf)), -EBADF,
		  "read: bad dirfd is -EBADF");
	KT_EQ_INT(lowest_free_fd(), before, "read: no descriptor leaked");
}

/*
 * Text files end with a newline: without it they were cut short (the last
 * number may be half of one), and an empty one has nothing to parse.
 */
static void test_read_text_at(void)
{
	char buf[64], big[4096];
	int before = lowest_free_fd();

	/* schedstat-no-newline is "10 20 30"; real-self-schedstat ends in \n. */
	KT_EQ_INT(kt_read_text_at(fixdir, "schedstat-no-newline", buf,
				  sizeof(buf)),
		  -EBADMSG, "text: no final newline is -EBADMSG");
	KT_EQ_STR(buf, "", "text: cut short leaves an empty string");
	KT_EQ_INT(kt_read_text_at(fixdir, "empty", buf, sizeof(buf)), -ENODATA,
		  "text: an empty file is -ENODATA");
	KT_EQ_INT(kt_read_text_at(fixdir, "real-self-schedstat", buf,
				  sizeof(buf)),
		  kt_read_file_at(fixdir, "real-self-schedstat", big,
				  sizeof(big)),
		  "text: a whole file reads as with kt_read_file_at");
	KT_EQ_STR(buf, big, "text: same content");
	KT_EQ_INT(kt_read_text_at(fixdir, "digits-64k", big, sizeof(big)),
		  -EFBIG, "text: too large is still -EFBIG");
	KT_EQ_INT(kt_read_text_at(fixdir, "no-such-file", buf, sizeof(buf)),
		  -ENOENT, "text: missing is still -ENOENT");
	KT_EQ_INT(lowest_free_fd(), before, "text: no descriptor leaked");

	KT_EQ_U64(kt_complete_lines("a\nb\n", 4), 4, "lines: all complete");
	KT_EQ_U64(kt_complete_lines("a\nbc", 4), 2,
		  "lines: a partial last one");
	KT_EQ_U64(kt_complete_lines("abc", 3), 0, "lines: no newline at all");
	KT_EQ_U64(kt_complete_lines("", 0), 0, "lines: nothing");
	KT_EQ_U64(kt_complete_lines("a\nb\nc", 3), 2, "lines: honours len");

	KT_EQ_STR(kt_read_strerror(-EBADMSG), "cut short (no final newline)",
		  "strerror: cut short");
	KT_EQ_STR(kt_read_strerror(-ENODATA), "empty", "strerror: empty");
	KT_EQ_STR(kt_read_strerror(-EFBIG), "too large", "strerror: too large");
	KT_EQ_STR(kt_read_strerror(-EINVAL), "malformed",
		  "strerror: malformed");
	KT_EQ_STR(kt_read_strerror(-ENOENT), strerror(ENOENT),
		  "strerror: others as strerror()");
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Writes "10 20 30\n" into the FIFO in three chunks with pauses between. */
static void fifo_writer(const char *path)
{
	static const char *const chunk[] = { "10 ", "20 3", "0\n" };
	int fd = open(path, O_WRONLY);
	size_t i;

	if (fd < 0)
		_exit(2);
	for (i = 0; i < 3; i++) {
		sleep_ms(60);
		if (write(fd, chunk[i], strlen(chunk[i])) < 0)
			_exit(3);
	}
	_exit(0);
}

/*
 * Short reads and EINTR: a FIFO hands the data over in pieces, and an
 * interval timer without SA_RESTART interrupts open() and read() meanwhile.
 */
static void test_read_file_fifo(void)
{
	struct sigaction sa = { 0 }, old_sa;
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } }, off = { 0 };
	char dir[] = "/tmp/kt-procfs-XXXXXX", path[64], buf[64];
	struct kt_schedstat ss;
	int dfd, status;
	ssize_t n;
	pid_t pid;

	if (mkdtemp(dir) == NULL)
		bail("mkdtemp failed", dir);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	if (mkfifo(path, 0600) != 0)
		bail("mkfifo failed", path);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	pid = fork();
	if (pid == 0)
		fifo_writer(path);
	sa.sa_handler = on_alarm; /* no SA_RESTART: calls see EINTR */
	sigaction(SIGALRM, &sa, &old_sa);
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	n = kt_read_file_at(dfd, "fifo", buf, sizeof(buf));
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	waitpid(pid, &status, 0);
	KT_CHECK(alarms > 0, "fifo: signals arrived during the read");
	KT_EQ_INT(n, 9, "fifo: all three chunks read despite EINTR");
	KT_EQ_STR(buf, "10 20 30\n", "fifo: content");
	KT_EQ_INT(kt_parse_schedstat(buf, (size_t)n, &ss), 0, "fifo: parses");
	KT_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		 "fifo: writer finished cleanly");
	unlink(path);
	close(dfd);
	rmdir(dir);
}

/*
 * A process that exits while we hold its /proc directory open: the kernel
 * answers ESRCH for PID files (ENOENT on some paths and versions).
 */
static void test_read_file_vanished(void)
{
	char path[64], buf[512];
	int pfd, status;
	ssize_t n;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	pfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	KT_CHECK(kt_read_file_at(pfd, "stat", buf, sizeof(buf)) > 0,
		 "vanished: stat readable while alive");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	n = kt_read_file_at(pfd, "stat", buf, sizeof(buf));
	KT_CHECK(n == -ESRCH || n == -ENOENT,
		 "vanished: stat of a reaped process is -ESRCH/-ENOENT");
	if (n != -ESRCH && n != -ENOENT)
		printf("#   got %zd\n", n);
	close(pfd);
}

/* real-*: captured from a QEMU 7.2 KVM guest and /proc/self (Linux 6.18). */
static void test_schedstat_real(void)
{
	struct kt_schedstat ss;

	KT_EQ_INT(SCHED("real-qemu-schedstat-vcpu0", &ss), 0,
		  "sched real qemu vcpu0");
	KT_EQ_U64(ss.run_ns, 1304423839ULL, "sched real qemu vcpu0 run");
	KT_EQ_U64(ss.wait_ns, 1369489ULL, "sched real qemu vcpu0 wait");
	KT_EQ_U64(ss.slices, 135, "sched real qemu vcpu0 slices");
	KT_EQ_INT(SCHED("real-self-schedstat", &ss), 0, "sched real self");
	KT_EQ_U64(ss.run_ns, 352636, "sched real self run");
	KT_EQ_U64(ss.wait_ns, 41870, "sched real self wait");
	KT_EQ_U64(ss.slices, 1, "sched real self slices");
	KT_EQ_INT(SCHED("real-shell-schedstat", &ss), 0, "sched real shell");
	KT_EQ_U64(ss.run_ns, 27643817, "sched real shell run");
	KT_EQ_U64(ss.wait_ns, 6013491, "sched real shell wait");
	KT_EQ_U64(ss.slices, 105, "sched real shell slices");
}

static void test_schedstat_edge(void)
{
	static const char *const bad[] = { "empty",
					   "binary-garbage",
					   "digits-64k",
					   "schedstat-two-fields",
					   "schedstat-four-fields",
					   "schedstat-negative",
					   "schedstat-overflow",
					   "schedstat-overflow-20digits",
					   "schedstat-leading-space",
					   "schedstat-tabs",
					   "schedstat-plus",
					   "schedstat-two-newlines",
					   "real-qemu-stat",
					   "comm-tcg" };
	struct kt_schedstat ss;
	char what[96];
	size_t i;

	KT_EQ_INT(SCHED("schedstat-no-newline", &ss), 0, "sched no newline");
	KT_EQ_U64(ss.run_ns, 10, "sched no newline run");
	KT_EQ_U64(ss.wait_ns, 20, "sched no newline wait");
	KT_EQ_U64(ss.slices, 30, "sched no newline slices");
	KT_EQ_INT(SCHED("schedstat-u64-max", &ss), 0, "sched 2^64-1 accepted");
	KT_EQ_U64(ss.run_ns, UINT64_MAX, "sched 2^64-1 run");
	KT_EQ_U64(ss.wait_ns, UINT64_MAX, "sched 2^64-1 wait");
	KT_EQ_U64(ss.slices, UINT64_MAX, "sched 2^64-1 slices");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(what, sizeof(what), "sched rejects %s", bad[i]);
		memset(&ss, 0xa5, sizeof(ss));
		KT_EQ_INT(SCHED(bad[i], &ss), -EINVAL, what);
		snprintf(what, sizeof(what), "sched %s: out reset", bad[i]);
		KT_CHECK(ss.run_ns == 0 && ss.wait_ns == 0 && ss.slices == 0,
			 what);
	}
	/* len rules, not the NUL: "10 20 30" cut to "10 20", NUL inside. */
	KT_EQ_INT(kt_parse_schedstat("10 20 30", 5, &ss), -EINVAL,
		  "sched honours len");
	KT_EQ_INT(kt_parse_schedstat("10 20 30\0", 9, &ss), -EINVAL,
		  "sched rejects a trailing NUL");
	KT_EQ_INT(kt_parse_schedstat("1\0 2 3", 6, &ss), -EINVAL,
		  "sched rejects an embedded NUL");
	KT_EQ_INT(kt_parse_schedstat(NULL, 0, &ss), -EINVAL,
		  "sched NULL buffer");
}

/* Field 39, -1 when the file had none. */
static int stat_cpu(const struct kt_pid_stat *st)
{
	return st->present & KT_PS_BIT(KT_PS_PROCESSOR)
		       ? (int)st->v[KT_PS_PROCESSOR]
		       : -1;
}

static int stat_has_blkio(const struct kt_pid_stat *st)
{
	return (st->present & KT_PS_BIT(KT_PS_BLKIO)) != 0;
}

static void expect_stat(const struct kt_pid_stat *st, const uint64_t v[6],
			int cpu, int has_blkio, uint64_t blkio, const char *tag)
{
	static const char *const name[] = { "minflt",  "cminflt", "majflt",
					    "cmajflt", "vsize",	  "rss" };
	const uint64_t got[6] = { st->v[KT_PS_MINFLT], st->v[KT_PS_CMINFLT],
				  st->v[KT_PS_MAJFLT], st->v[KT_PS_CMAJFLT],
				  st->v[KT_PS_VSIZE],  st->v[KT_PS_RSS] };
	char what[128];
	int i;

	for (i = 0; i < 6; i++) {
		snprintf(what, sizeof(what), "%s %s", tag, name[i]);
		KT_EQ_U64(got[i], v[i], what);
	}
	snprintf(what, sizeof(what), "%s processor", tag);
	KT_EQ_INT(stat_cpu(st), cpu, what);
	snprintf(what, sizeof(what), "%s has_blkio", tag);
	KT_EQ_INT(stat_has_blkio(st), has_blkio, what);
	snprintf(what, sizeof(what), "%s blkio", tag);
	KT_EQ_U64(st->v[KT_PS_BLKIO], blkio, what);
}

static void test_stat_real(void)
{
	/* Fields 10-13, 23, 24 of the files, counted by hand (awk agrees). */
	static const uint64_t qemu[6] = { 2856, 0, 0, 0, 330461184, 6133 };
	static const uint64_t self[6] = { 121, 0, 0, 0, 3133440, 409 };
	struct kt_pid_stat st;

	KT_EQ_INT(STAT("real-qemu-stat", &st), 0, "stat real qemu parses");
	expect_stat(&st, qemu, 0, 1, 0, "stat real qemu");
	KT_EQ_U64(st.v[KT_PS_STARTTIME], 21508,
		  "stat real qemu starttime (field 22)");
	KT_EQ_INT(STAT("real-self-stat", &st), 0, "stat real self parses");
	expect_stat(&st, self, 1, 1, 0, "stat real self");
	KT_EQ_U64(st.v[KT_PS_STARTTIME], 22111, "stat real self starttime");
}

static void test_stat_edge(void)
{
	/* The hand-written files share fields 4-52 (see the fixture). */
	static const uint64_t hand[6] = { 1010, 1011,	       1012,
					  1013, 3221225472ULL, 204800 };
	static const char *const same[] = {
		"stat-comm-parens", "stat-comm-spaces", "stat-comm-empty",
		"stat-no-newline", "stat-64k-comm"
	};
	struct kt_pid_stat st;
	size_t i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		KT_EQ_INT(STAT(same[i], &st), 0, same[i]);
		expect_stat(&st, hand, 1, 1, 25, same[i]);
	}
	KT_EQ_INT(STAT("stat-41-fields", &st), 0, "stat 41 fields (no blkio)");
	expect_stat(&st, hand, 3, 0, 0, "stat 41 fields");
	KT_EQ_INT(STAT("stat-24-fields", &st), 0,
		  "stat 24 fields (no processor)");
	expect_stat(&st, hand, -1, 0, 0, "stat 24 fields");
	KT_EQ_INT(STAT("stat-u64-max", &st), 0, "stat 2^64-1 accepted");
	KT_EQ_U64(st.v[KT_PS_MINFLT], UINT64_MAX, "stat 2^64-1 minflt");
	KT_EQ_U64(st.v[KT_PS_VSIZE], UINT64_MAX, "stat 2^64-1 vsize");
	KT_EQ_U64(st.v[KT_PS_RSS], 204800, "stat 2^64-1 file rss");
}

static void test_stat_bad(void)
{
	static const char *const bad[] = { "empty",
					   "binary-garbage",
					   "digits-64k",
					   "stat-23-fields",
					   "stat-truncated-comm",
					   "stat-truncated-fields",
					   "stat-rss-negative",
					   "stat-minflt-overflow",
					   "stat-cminflt-negative",
					   "stat-processor-huge",
					   "stat-double-space",
					   "stat-trailing-space",
					   "stat-garbage-field",
					   "stat-two-newlines",
					   "stat-no-state",
					   "real-qemu-schedstat-vcpu0",
					   "real-qemu-cmdline" };
	static const struct kt_pid_stat zero;
	struct kt_pid_stat st;
	char what[96];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(what, sizeof(what), "stat rejects %s", bad[i]);
		memset(&st, 0xa5, sizeof(st));
		KT_EQ_INT(STAT(bad[i], &st), -EINVAL, what);
		snprintf(what, sizeof(what), "stat %s: out reset", bad[i]);
		KT_CHECK(memcmp(&st, &zero, sizeof(st)) == 0, what);
	}
	KT_EQ_INT(kt_parse_pid_stat(NULL, 0, &st), -EINVAL, "stat NULL buffer");
}

/* comm may hold a newline and NULs are just bytes: both inline here. */
static void test_stat_inline(void)
{
	static const char nl[] =
		"7 (a\nb) R 1 1 1 0 -1 0 5 6 7 8 0 0 0 0 20 0 1 0 9 4096 2\n";
	static const char nul[] =
		"7 (a\0b) R 1 1 1 0 -1 0 5 6 7 8 0 0 0 0 20 0 1 0 9 4096 2\n";
	static const char sign[] =
		"7 (x) R 0 -1 -1 0 -1 0 5 6 7 8 0 0 -3 -4 -2 -20 1 0 9 4096 2";
	/* starttime tells a reused PID: no sign there, as in the kernel. */
	static const char neg_start[] =
		"7 (x) R 0 -1 -1 0 -1 0 5 6 7 8 0 0 -3 -4 -2 -20 1 0 -9 4096 2";
	struct kt_pid_stat st;

	KT_EQ_INT(kt_parse_pid_stat(nl, sizeof(nl) - 1, &st), 0,
		  "stat comm with newline");
	KT_EQ_U64(st.v[KT_PS_MINFLT], 5, "stat comm with newline minflt");
	KT_EQ_U64(st.v[KT_PS_RSS], 2, "stat comm with newline rss");
	KT_EQ_INT(kt_parse_pid_stat(nul, sizeof(nul) - 1, &st), 0,
		  "stat comm with NUL");
	KT_EQ_U64(st.v[KT_PS_CMAJFLT], 8, "stat comm with NUL cmajflt");
	KT_EQ_INT(kt_parse_pid_stat(sign, sizeof(sign) - 1, &st), 0,
		  "stat negative unused fields accepted");
	KT_EQ_U64(st.v[KT_PS_VSIZE], 4096, "stat negative unused fields vsize");
	KT_EQ_U64(st.v[KT_PS_STARTTIME], 9, "stat starttime");
	KT_EQ_INT(kt_parse_pid_stat(neg_start, sizeof(neg_start) - 1, &st),
		  -EINVAL, "stat negative starttime rejected");
	/* Without its last 2 bytes ("2\n") the line ends in a blank. */
	KT_EQ_INT(kt_parse_pid_stat(nl, sizeof(nl) - 3, &st), -EINVAL,
		  "stat honours len (field 24 cut off)");
}

/*
 * Every prefix of a real stat line: nothing may crash (ASan watches the
 * exact-size copies), and every prefix that ends before field 24 has a
 * digit (offset 98, found with grep -bo ' 6133 ') is rejected.
 */
static void test_stat_prefixes(void)
{
	struct kt_pid_stat st;
	size_t len, cut, wrong = 0, ok = 0;
	char *full = load_at(fixdir, "real-qemu-stat", &len);
	char *part;
	int r = -1;

	for (cut = 0; cut <= len; cut++) {
		part = malloc(cut > 0 ? cut : 1);
		memcpy(part, full, cut);
		r = kt_parse_pid_stat(part, cut, &st);
		if (r == 0)
			ok++;
		if ((cut <= 98 && r != -EINVAL) || (r != 0 && r != -EINVAL))
			wrong++;
		free(part);
	}
	KT_EQ_U64(len, 332, "stat prefixes: file length");
	KT_EQ_U64(wrong, 0, "stat prefixes: short ones rejected, no odd codes");
	KT_CHECK(ok > 0 && r == 0, "stat prefixes: the whole line parses");
	free(full);
}

/* One byte at a time replaced by a hostile one: only 0 or -EINVAL. */
static void test_stat_mutations(void)
{
	static const char subst[] = { '\0', ')', '(', ' ',   '-',
				      '\n', 'x', '9', '\xff' };
	struct kt_pid_stat st;
	size_t len, i, j, odd = 0, rejected = 0;
	char *b = load_at(fixdir, "real-qemu-stat", &len);
	char keep;
	int r;

	for (i = 0; i < len; i++) {
		keep = b[i];
		for (j = 0; j < sizeof(subst); j++) {
			b[i] = subst[j];
			r = kt_parse_pid_stat(b, len, &st);
			if (r != 0 && r != -EINVAL)
				odd++;
			rejected += r != 0;
		}
		b[i] = keep;
	}
	KT_EQ_U64(odd, 0, "stat mutations: only 0 or -EINVAL");
	KT_CHECK(rejected > len, "stat mutations: many rejected");
	free(b);
}

static void test_comm(void)
{
	static const char *const none[] = {
		"real-qemu-comm-main", "real-qemu-comm-call_rcu",
		"real-qemu-comm-nx",   "comm-no-accel",
		"comm-negative",       "comm-leading-zero",
		"comm-lowercase",      "comm-trailing-space",
		"comm-two-newlines",   "comm-digit-accel",
		"comm-no-number",      "comm-big-number",
		"comm-worker",	       "empty",
		"binary-garbage",      "digits-64k"
	};
	char what[96];
	size_t i;

	KT_EQ_INT(COMM("real-qemu-comm-vcpu0"), 0, "comm real CPU 0/KVM");
	KT_EQ_INT(COMM("real-qemu-comm-vcpu1"), 1, "comm real CPU 1/KVM");
	KT_EQ_INT(COMM("comm-tcg"), 3, "comm CPU 3/TCG");
	KT_EQ_INT(COMM("comm-no-newline"), 12,
		  "comm CPU 12/HVF without newline");
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		snprintf(what, sizeof(what), "comm not a vCPU: %s", none[i]);
		KT_EQ_INT(COMM(none[i]), -1, what);
	}
	KT_EQ_INT(kt_parse_vcpu_comm("CPU 7/KVM\n", 9), 7, "comm honours len");
	KT_EQ_INT(kt_parse_vcpu_comm("CPU 7/KVM\n", 6), -1,
		  "comm cut before accel");
	KT_EQ_INT(kt_parse_vcpu_comm("CPU 7/KVM\0", 10), -1,
		  "comm trailing NUL");
	KT_EQ_INT(kt_parse_vcpu_comm("CPU 2147483647/K", 16), 2147483647,
		  "comm INT_MAX");
	KT_EQ_INT(kt_parse_vcpu_comm("CPU 2147483648/K", 16), -1,
		  "comm INT_MAX + 1");
	KT_EQ_INT(kt_parse_vcpu_comm(NULL, 0), -1, "comm NULL buffer");
}

static void test_cmdline(void)
{
	static const char *const none[] = {
		"real-self-cmdline",	    "cmdline-uuid-last",
		"cmdline-no-uuid",	    "cmdline-uuid-short",
		"cmdline-uuid-long",	    "cmdline-uuid-badhex",
		"cmdline-uuid-baddash",	    "cmdline-uuid-equals",
		"cmdline-uuid-double-dash", "cmdline-uuid-not-option",
		"cmdline-uuid-split",	    "empty",
		"binary-garbage",	    "digits-64k"
	};
	char u[KT_UUID_LEN + 1], what[96];
	size_t i;

	KT_EQ_INT(UUID("real-qemu-cmdline", u), 0,
		  "uuid real qemu (uppercase)");
	KT_EQ_STR(u, "0c4f1a2b-3d5e-4f60-8a9b-c0d1e2f30415",
		  "uuid real qemu lowercased");
	KT_EQ_INT(UUID("cmdline-libvirt", u), 0, "uuid libvirt-style");
	KT_EQ_STR(u, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e01",
		  "uuid libvirt-style value");
	KT_EQ_INT(UUID("cmdline-uuid-upper", u), 0, "uuid uppercase");
	KT_EQ_STR(u, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4eff",
		  "uuid uppercase lowercased");
	KT_EQ_INT(UUID("cmdline-no-trailing-nul", u), 0,
		  "uuid last arg without NUL");
	KT_EQ_STR(u, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e0a",
		  "uuid last arg value");
	KT_EQ_INT(UUID("cmdline-uuid-twice", u), 0, "uuid given twice");
	KT_EQ_STR(u, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e02",
		  "uuid twice: last wins");
	KT_EQ_INT(UUID("cmdline-uuid-as-value", u), 0,
		  "uuid after -uuid -uuid");
	KT_EQ_STR(u, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e01",
		  "uuid after -uuid -uuid value");
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		snprintf(what, sizeof(what), "uuid none in %s", none[i]);
		memset(u, 'z', sizeof(u));
		KT_EQ_INT(UUID(none[i], u), -ENOENT, what);
		snprintf(what, sizeof(what), "uuid %s: out reset", none[i]);
		KT_EQ_STR(u, "", what);
	}
	KT_EQ_INT(kt_cmdline_find_uuid(NULL, 0, u), -ENOENT,
		  "uuid NULL buffer");
}

/*
 * Every prefix of the real cmdline: the UUID occupies bytes 65..100
 * (grep -boa), so prefixes up to 100 bytes have none and longer ones do.
 */
static void test_cmdline_prefixes(void)
{
	char u[KT_UUID_LEN + 1];
	size_t len, cut, wrong = 0;
	char *full = load_at(fixdir, "real-qemu-cmdline", &len);
	char *part;
	int r;

	for (cut = 0; cut <= len; cut++) {
		part = malloc(cut > 0 ? cut : 1);
		memcpy(part, full, cut);
		r = kt_cmdline_find_uuid(part, cut, u);
		if (cut < 65 + KT_UUID_LEN
			    ? r != -ENOENT
			    : r != 0 || strcmp(u, "0c4f1a2b-3d5e-4f60-8a9b-"
						  "c0d1e2f30415") != 0)
			wrong++;
		free(part);
	}
	KT_EQ_U64(len, 253, "uuid prefixes: file length");
	KT_EQ_U64(wrong, 0, "uuid prefixes: found exactly from byte 101 on");
	free(full);
}

/* The live /proc of this machine, checked against the system's own view. */
static void test_live_proc(void)
{
	char path[64], buf[4096], u[KT_UUID_LEN + 1];
	struct kt_pid_stat st;
	struct kt_schedstat ss;
	unsigned long pid = 0;
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ssize_t n;

	n = kt_read_file_at(procfd, "self/stat", buf, sizeof(buf));
	KT_CHECK(n > 0, "live: /proc/self/stat read");
	KT_EQ_INT(kt_parse_pid_stat(buf, (size_t)n, &st), 0,
		  "live: stat parses");
	KT_CHECK(sscanf(buf, "%lu", &pid) == 1 &&
			 pid == (unsigned long)getpid(),
		 "live: stat is ours");
	KT_CHECK(st.v[KT_PS_VSIZE] > 0 && st.v[KT_PS_RSS] > 0 &&
			 st.v[KT_PS_MINFLT] > 0,
		 "live: vsize, rss, minflt non-zero");
	KT_CHECK(stat_cpu(&st) >= 0 && stat_cpu(&st) < 4096,
		 "live: processor sane");
	snprintf(path, sizeof(path), "self/task/%d/schedstat", (int)getpid());
	n = kt_read_file_at(procfd, path, buf, sizeof(buf));
	KT_CHECK(n > 0, "live: schedstat read");
	KT_EQ_INT(kt_parse_schedstat(buf, (size_t)n, &ss), 0,
		  "live: schedstat parses");
	n = kt_read_file_at(procfd, "self/comm", buf, sizeof(buf));
	KT_EQ_INT(kt_parse_vcpu_comm(buf, (size_t)(n > 0 ? n : 0)), -1,
		  "live: our comm is no vCPU");
	n = kt_read_file_at(procfd, "self/cmdline", buf, sizeof(buf));
	KT_EQ_INT(kt_cmdline_find_uuid(buf, (size_t)(n > 0 ? n : 0), u),
		  -ENOENT, "live: our cmdline has no -uuid");
	close(procfd);
}

static int io_at(int dir, const char *name, struct kt_pid_io *io)
{
	size_t len;
	char *b = load_at(dir, name, &len);
	int r = kt_parse_pid_io(b, len, io);

	free(b);
	return r;
}

/* The seven fields in the kernel's order: rchar wchar syscr syscw
 * read_bytes write_bytes cancelled_write_bytes. */
static void expect_io(const struct kt_pid_io *io, const uint64_t want[7],
		      const char *tag)
{
	static const char *const name[7] = { "rchar",
					     "wchar",
					     "syscr",
					     "syscw",
					     "read_bytes",
					     "write_bytes",
					     "cancelled_write_bytes" };
	const uint64_t got[7] = { io->rchar,
				  io->wchar,
				  io->syscr,
				  io->syscw,
				  io->read_bytes,
				  io->write_bytes,
				  io->cancelled_write_bytes };
	char what[128];
	int i;

	for (i = 0; i < 7; i++) {
		snprintf(what, sizeof(what), "%s %s", tag, name[i]);
		KT_EQ_U64(got[i], want[i], what);
	}
}

static void test_io(void)
{
	static const uint64_t libvirtd[7] = { 7821390,	7230075, 54583, 100141,
					      55472128, 6709248, 65536 };
	static const uint64_t self[7] = { 6976, 0, 10, 0, 0, 0, 0 };
	static const uint64_t seven[7] = { 1, 2, 3, 4, 5, 6, 7 };
	static const uint64_t max[7] = { UINT64_MAX, UINT64_MAX, UINT64_MAX,
					 UINT64_MAX, UINT64_MAX, UINT64_MAX,
					 UINT64_MAX };
	static const char *const ok7[] = { "io-no-newline", "io-reordered",
					   "io-extra-field" };
	struct kt_pid_io io;
	size_t i;

	KT_EQ_INT(io_at(fixdir, "real-libvirtd-io", &io), 0,
		  "io: real libvirtd parses");
	expect_io(&io, libvirtd, "io real libvirtd");
	KT_EQ_INT(io_at(fixdir, "real-self-io", &io), 0, "io: real cat parses");
	expect_io(&io, self, "io real cat");
	for (i = 0; i < sizeof(ok7) / sizeof(ok7[0]); i++) {
		KT_EQ_INT(io_at(fixdir, ok7[i], &io), 0, ok7[i]);
		expect_io(&io, seven, ok7[i]);
	}
	KT_EQ_INT(io_at(fixdir, "io-u64-max", &io), 0, "io: 2^64-1 accepted");
	expect_io(&io, max, "io 2^64-1");
}

static void test_io_bad(void)
{
	static const char *const bad[] = {
		"empty",
		"binary-garbage",
		"io-missing-field",
		"io-duplicate",
		"io-negative",
		"io-overflow",
		"io-no-space",
		"io-empty-line",
		"io-two-newlines",
		"io-trailing-space",
		"io-uppercase-name",
		"io-hex",
		"real-self-stat",
	};
	struct kt_pid_io io;
	char what[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&io, 0xa5, sizeof(io));
		snprintf(what, sizeof(what), "io: %s is malformed", bad[i]);
		KT_EQ_INT(io_at(fixdir, bad[i], &io), -EINVAL, what);
		snprintf(what, sizeof(what), "io: %s leaves zeros", bad[i]);
		KT_CHECK(io.rchar == 0 && io.cancelled_write_bytes == 0, what);
	}
	KT_EQ_INT(kt_parse_pid_io(NULL, 0, &io), -EINVAL, "io NULL buffer");
}

/* Every proper prefix of a good io file is malformed or loses a field. */
static void test_io_prefixes(void)
{
	size_t len, cut, wrong = 0;
	char *full = load_at(fixdir, "real-libvirtd-io", &len);
	struct kt_pid_io io;

	for (cut = 0; cut < len - 1; cut++) {
		char *part = malloc(cut > 0 ? cut : 1);

		memcpy(part, full, cut);
		/* A cut inside the last number still parses, to less. */
		if (kt_parse_pid_io(part, cut, &io) == 0 &&
		    io.cancelled_write_bytes == 65536)
			wrong++;
		free(part);
	}
	KT_EQ_U64(wrong, 0, "io prefixes: none reads as the whole file");
	free(full);
}

static void test_u64_line(void)
{
	uint64_t v = 7;

	KT_EQ_INT(kt_parse_u64_line("1\n", 2, &v), 0, "u64 line: 1");
	KT_EQ_U64(v, 1, "u64 line: value 1");
	KT_EQ_INT(kt_parse_u64_line("42", 2, &v), 0, "u64 line: no newline");
	KT_EQ_U64(v, 42, "u64 line: value 42");
	KT_EQ_INT(kt_parse_u64_line("18446744073709551615\n", 21, &v), 0,
		  "u64 line: 2^64-1");
	KT_EQ_U64(v, UINT64_MAX, "u64 line: value 2^64-1");
	KT_EQ_INT(kt_parse_u64_line("18446744073709551616", 20, &v), -EINVAL,
		  "u64 line: 2^64 overflows");
	KT_EQ_U64(v, 0, "u64 line: reset on error");
	KT_EQ_INT(kt_parse_u64_line("", 0, &v), -EINVAL, "u64 line: empty");
	KT_EQ_INT(kt_parse_u64_line("-1\n", 3, &v), -EINVAL,
		  "u64 line: negative");
	KT_EQ_INT(kt_parse_u64_line(" 1\n", 3, &v), -EINVAL,
		  "u64 line: leading blank");
	KT_EQ_INT(kt_parse_u64_line("1\n\n", 3, &v), -EINVAL,
		  "u64 line: two newlines");
	KT_EQ_INT(kt_parse_u64_line("1 2\n", 4, &v), -EINVAL,
		  "u64 line: two numbers");
	KT_EQ_INT(kt_parse_u64_line(NULL, 0, &v), -EINVAL, "u64 line: NULL");
}

/*
 * Our own PID/io parses, with rchar at least what we have read so far; the
 * io file of a process we may not trace gives -EACCES (unless we may).
 */
static void test_live_io(void)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct kt_pid_io io;
	char buf[512];
	ssize_t n;
	int fd;

	n = kt_read_file_at(procfd, "self/io", buf, sizeof(buf));
	KT_CHECK(n > 0, "live: /proc/self/io read");
	KT_EQ_INT(kt_parse_pid_io(buf, (size_t)(n > 0 ? n : 0), &io), 0,
		  "live: io parses");
	KT_CHECK(io.rchar > 0 && io.syscr > 0, "live: we have read something");
	fd = open("/proc/1/io", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 || errno != EACCES) {
		if (fd >= 0)
			close(fd);
		KT_CHECK(1, "live: io of PID 1 # SKIP readable here");
	} else {
		KT_EQ_INT(kt_read_file_at(procfd, "1/io", buf, sizeof(buf)),
			  -EACCES, "live: io of PID 1 is -EACCES");
	}
	close(procfd);
}

/* PID/io and the vCPU threads' stat of the fixture, as EXPECTED.md says. */
static void test_basic_io_and_threads(int p1, int p2)
{
	static const uint64_t alpha1[7] = { 52428800000ULL, 31457280000ULL,
					    1200000,	    950000,
					    41943040000ULL, 28311552000ULL,
					    1048576 };
	static const uint64_t bravo2[7] = { 107380000000ULL, 64430000000ULL,
					    3000500,	     2500400,
					    85900000000ULL,  53690000000ULL,
					    4198400 };
	struct kt_pid_io io;
	struct kt_pid_stat st;
	char buf[64];
	ssize_t n;

	KT_EQ_INT(io_at(p1, "4101/io", &io), 0, "basic: alpha io 1");
	expect_io(&io, alpha1, "basic alpha io 1");
	KT_EQ_INT(io_at(p2, "4202/io", &io), 0, "basic: bravo io 2");
	expect_io(&io, bravo2, "basic bravo io 2");
	KT_EQ_INT(stat_at(p1, "4101/task/4105/stat", &st), 0,
		  "basic: 4105 stat 1");
	KT_EQ_INT(stat_cpu(&st), 2, "basic: 4105 ran on CPU 2 in phase 1");
	KT_EQ_INT(stat_at(p2, "4202/task/4207/stat", &st), 0,
		  "basic: 4207 stat 2");
	KT_EQ_INT(stat_cpu(&st), 2, "basic: 4207 ran on CPU 2 in phase 2");
	n = kt_read_file_at(p1, "sys/kernel/task_delayacct", buf, sizeof(buf));
	KT_EQ_INT(n, 2, "basic: task_delayacct read");
}

/* The integration fixture must parse to the values in its EXPECTED.md. */
static void test_basic_fixture(void)
{
	static const uint64_t alpha1[6] = { 150000, 2000,	   300,
					    10,	    3221225472ULL, 204800 };
	static const uint64_t alpha2[6] = { 152500, 2000,	   305,
					    10,	    3221225472ULL, 210000 };
	static const uint64_t bravo1[6] = { 400000, 5000,	   1200,
					    40,	    4294967296ULL, 524288 };
	static const uint64_t bravo2[6] = { 401000, 5000,	   1210,
					    40,	    4294967296ULL, 524800 };
	static const char *const notvm[] = { "1/cmdline", "2/cmdline",
					     "3900/cmdline", "3950/cmdline" };
	int p1 = open_dir("tests/fixtures/basic/proc");
	int p2 = open_dir("tests/fixtures/basic/phase2");
	struct kt_pid_stat st;
	struct kt_schedstat ss;
	char u[KT_UUID_LEN + 1];
	size_t i;

	KT_EQ_INT(uuid_at(p1, "4101/cmdline", u), 0, "basic: 4101 has a uuid");
	KT_EQ_STR(u, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e01",
		  "basic: 4101 is vm-alpha");
	KT_EQ_INT(uuid_at(p1, "4202/cmdline", u), 0, "basic: 4202 has a uuid");
	KT_EQ_STR(u, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e02",
		  "basic: 4202 is vm-bravo");
	for (i = 0; i < sizeof(notvm) / sizeof(notvm[0]); i++)
		KT_EQ_INT(uuid_at(p1, notvm[i], u), -ENOENT, notvm[i]);
	KT_EQ_INT(stat_at(p1, "4101/stat", &st), 0, "basic: alpha stat 1");
	expect_stat(&st, alpha1, 1, 1, 25, "basic alpha 1");
	KT_EQ_INT(stat_at(p2, "4101/stat", &st), 0, "basic: alpha stat 2");
	expect_stat(&st, alpha2, 0, 1, 27, "basic alpha 2");
	KT_EQ_INT(stat_at(p1, "4202/stat", &st), 0, "basic: bravo stat 1");
	expect_stat(&st, bravo1, 0, 1, 120, "basic bravo 1");
	KT_EQ_INT(stat_at(p2, "4202/stat", &st), 0, "basic: bravo stat 2");
	expect_stat(&st, bravo2, 1, 1, 122, "basic bravo 2");
	KT_EQ_INT(comm_at(p1, "4101/task/4105/comm"), 0,
		  "basic: 4105 is CPU 0");
	KT_EQ_INT(comm_at(p1, "4202/task/4208/comm"), 3,
		  "basic: 4208 is CPU 3");
	KT_EQ_INT(comm_at(p1, "4101/task/4103/comm"), -1,
		  "basic: 4103 is no vCPU");
	KT_EQ_INT(comm_at(p2, "4101/task/4108/comm"), -1,
		  "basic: 4108 is no vCPU");
	KT_EQ_INT(sched_at(p2, "4101/task/4105/schedstat", &ss), 0,
		  "basic: 4105 sched 2");
	KT_EQ_U64(ss.run_ns, 121500000000ULL, "basic: 4105 run 2");
	KT_EQ_U64(ss.wait_ns, 6500000000ULL, "basic: 4105 wait 2");
	test_basic_io_and_threads(p1, p2);
	close(p1);
	close(p2);
}

static int uids_at(int dir, const char *name, uint32_t ids[KT_STATUS_UIDS])
{
	size_t len;
	char *b = load_at(dir, name, &len);
	int r = kt_parse_status_uids(b, len, ids);

	free(b);
	return r;
}

/* @text (without its NUL, on the heap: ASan sees a read past it). */
static int uids_of(const char *text, uint32_t ids[KT_STATUS_UIDS])
{
	size_t len = strlen(text);
	char *b = malloc(len > 0 ? len : 1);
	int r;

	memcpy(b, text, len);
	r = kt_parse_status_uids(b, len, ids);
	free(b);
	return r;
}

static bool all_zero(const uint32_t ids[KT_STATUS_UIDS])
{
	return ids[0] == 0 && ids[1] == 0 && ids[2] == 0 && ids[3] == 0;
}

/* PID/status's Uid line, from real files and hostile ones. */
static void test_status_uids(void)
{
	static const char *const bad[] = {
		"",
		"Name:\tqemu\n",			    /* no Uid line */
		"Uid:\t0\t0\t0\n",			    /* three */
		"Uid:\t0\t0\t0\t0\t0\n",		    /* five */
		"Uid: 0 0 0 0\n",			    /* spaces */
		"Uid:\t0\t0\t0\t 0\n",			    /* a blank */
		"Uid:\t0\t0\t0\t-1\n",			    /* a sign */
		"Uid:\t0\t0\t0\t4294967295\n",		    /* (uid_t)-1 */
		"Uid:\t0\t0\t0\t99999999999999999999999\n", /* overflow */
		"Uid:\t0\t0\t0\t0x10\n",		    /* hex */
		"Uid:\t0\t0\t0\t0\nUid:\t1000\t1000\t1000\t1000\n",
		"Uid:\t1000\t1000\t1000\t1000\nUid:\t0\t0\t0\t0\n",
		"Uid:\t0\t0\t0\t0 \n", /* trailing blank */
		"Uid:\t\t0\t0\t0\n",   /* empty field */
		"Uid:",
	};
	uint32_t ids[KT_STATUS_UIDS];
	char buf[4096];
	size_t i;
	ssize_t n;
	int procfd;

	KT_EQ_INT(uids_at(fixdir, "real-self-status", ids), 0,
		  "status: a real file (root's shell)");
	KT_CHECK(all_zero(ids), "status: root's four uids");
	KT_EQ_INT(uids_at(fixdir, "status-setuid", ids), 0,
		  "status: a set-user-ID program");
	KT_CHECK(ids[0] == 1000 && ids[1] == 0 && ids[2] == 0 && ids[3] == 0,
		 "status: real 1000, effective, saved and fs 0");
	KT_EQ_INT(uids_of("Uid:\t64055\t64055\t64055\t64055", ids), 0,
		  "status: the last line without its newline");
	KT_CHECK(ids[0] == 64055 && ids[3] == 64055, "status: libvirt-qemu's");
	KT_EQ_INT(uids_of("Uid:\t4294967294\t0\t0\t0\n", ids), 0,
		  "status: the largest uid");
	KT_EQ_U64(ids[0], 4294967294u, "status: 2^32 - 2");
	KT_EQ_INT(uids_of("Name:\tx Uid:\t5\t5\t5\t5\nUid:\t7\t7\t7\t7\n", ids),
		  0, "status: only a line's start counts");
	KT_EQ_U64(ids[0], 7, "status: the Uid line, not a name holding one");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(ids, 0xff, sizeof(ids));
		KT_EQ_INT(uids_of(bad[i], ids), -EINVAL, "status: malformed");
		KT_CHECK(all_zero(ids), "status: reset on error");
	}
	KT_EQ_INT(kt_parse_status_uids(NULL, 0, ids), -EINVAL, "status: NULL");

	/* The live one: ours. */
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	n = kt_read_file_at(procfd, "self/status", buf, sizeof(buf));
	KT_EQ_INT(n > 0 ? kt_parse_status_uids(buf, (size_t)n, ids) : -1, 0,
		  "status: live /proc/self/status");
	KT_CHECK(ids[0] == getuid() && ids[1] == geteuid(),
		 "status: live uids are ours");
	close(procfd);
}

/* Who may own a QEMU process: root always, the users named, all four ids. */
static void test_qemu_users(void)
{
	struct kt_qemu_users u = { { 64055, 1001 }, 2 };
	const uint32_t root[4] = { 0, 0, 0, 0 },
		       qemu[4] = { 64055, 64055, 64055, 64055 },
		       mixed[4] = { 64055, 0, 64055, 1001 },
		       setuid[4] = { 65534, 0, 0, 0 },
		       dropped[4] = { 0, 0, 0, 65534 };
	uint32_t ids[KT_STATUS_UIDS];

	KT_CHECK(kt_qemu_users_admit(NULL, root, 4), "root, with no user set");
	KT_CHECK(!kt_qemu_users_admit(NULL, qemu, 4), "only root by default");
	KT_CHECK(kt_qemu_users_admit(&u, qemu, 4), "a QEMU user");
	KT_CHECK(kt_qemu_users_admit(&u, mixed, 4), "root and QEMU users");
	KT_CHECK(!kt_qemu_users_admit(&u, setuid, 4),
		 "a set-user-ID program of nobody's");
	KT_CHECK(!kt_qemu_users_admit(&u, dropped, 4),
		 "one whose fs uid is nobody's");
	KT_EQ_INT(kt_qemu_owner(fixdir, "status-setuid", &u, ids), -EPERM,
		  "owner: a set-user-ID program is refused");
	KT_EQ_U64(ids[0], 1000, "owner: with its uids");
	KT_EQ_INT(kt_qemu_owner(fixdir, "real-self-status", &u, ids), 0,
		  "owner: root's admitted");
	KT_EQ_INT(kt_qemu_owner(fixdir, "no-such-status", &u, ids), -ENOENT,
		  "owner: missing");
	KT_EQ_INT(kt_qemu_owner(fixdir, "comm-worker", &u, ids), -EINVAL,
		  "owner: no Uid line");
}

int main(void)
{
	fixdir = open_dir("tests/fixtures/procfs-unit");
	test_read_file_at();
	test_read_text_at();
	test_read_file_fifo();
	test_read_file_vanished();
	test_schedstat_real();
	test_schedstat_edge();
	test_stat_real();
	test_stat_edge();
	test_stat_bad();
	test_stat_inline();
	test_stat_prefixes();
	test_stat_mutations();
	test_comm();
	test_cmdline();
	test_cmdline_prefixes();
	test_io();
	test_io_bad();
	test_io_prefixes();
	test_u64_line();
	test_status_uids();
	test_qemu_users();
	test_live_proc();
	test_live_io();
	test_basic_fixture();
	close(fixdir);
	return kt_test_done();
}
