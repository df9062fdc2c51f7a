/*
 * libvirt calls with a deadline (collect/libvirt_call.c), against libvirt's
 * own client code: a "libvirtd" that accepts connections into its listen
 * queue and never answers (a unix socket nobody accept()s) blocks
 * virConnectOpen() as a stopped libvirtd does.  The calls must come back at
 * their deadline, a full pool must refuse at once, the threads must free
 * themselves when libvirt finally returns, and the pool must keep working.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "clock.h"
#include "collect/libvirt_call.h"
#include "kt_test.h"

#define MS 1000000ull
#define SLACK_NS (30000 * MS) /* what a busy machine may add to a wait */

static char sock_path[108];

/* A listening unix socket that is never accept()ed: a libvirtd that hangs. */
static int mute_daemon(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sock_path, sizeof(sock_path), "/tmp/kt-lvcall-%d.sock",
		 (int)getpid());
	unlink(sock_path);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock_path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(fd, 64) != 0) {
		perror("mute daemon");
		exit(1);
	}
	return fd;
}

static char *uri_of(const char *path)
{
	static char uri[256];

	snprintf(uri, sizeof(uri), "qemu+unix:///system?socket=%s", path);
	return uri;
}

/* Polls kt_lvcall_blocked() until it is @want, at most @ms. */
static unsigned wait_blocked(struct kt_lvcall *p, unsigned want, unsigned ms)
{
	unsigned n = kt_lvcall_blocked(p);

	while (n != want && ms > 0) {
		usleep(10000);
		ms = ms > 10 ? ms - 10 : 0;
		n = kt_lvcall_blocked(p);
	}
	return n;
}

static void check_deadline(struct kt_lvcall *p, const char *uri)
{
	struct kt_lvcall_error err;
	virConnectPtr conn = NULL;
	uint64_t t0, dt;
	int i, r;

	for (i = 0; i < KT_LVCALL_THREADS; i++) {
		t0 = kt_mono_ns();
		r = kt_lvcall_open(p, uri, 200 * MS, &conn, &err);
		dt = kt_mono_ns() - t0;
		KT_EQ_INT(r, -ETIMEDOUT, "an open that gets no answer times out");
		/* Not before it; after it, as soon as the machine lets
		 * the thread run: 30 s is far beyond any busy machine and
		 * far below the "never" of a call without a deadline. */
		KT_CHECK(dt >= 190 * MS && dt < SLACK_NS,
			 "... at its deadline (200 ms)");
		KT_CHECK(conn == NULL, "... without a connection");
	}
	KT_CHECK(strstr(err.msg, "0.2 s") != NULL, "the error says how long");
	KT_EQ_U64(kt_lvcall_blocked(p), KT_LVCALL_THREADS,
		  "every thread is blocked in libvirt");
	/* A deadline far longer than any delay a busy machine causes. */
	t0 = kt_mono_ns();
	r = kt_lvcall_open(p, uri, 4 * SLACK_NS, &conn, &err);
	dt = kt_mono_ns() - t0;
	KT_EQ_INT(r, -EBUSY, "with every thread blocked a call fails");
	KT_CHECK(dt < SLACK_NS, "... at once, not at its deadline");
}

static void check_recovery(struct kt_lvcall *p, int daemon_fd)
{
	struct kt_lvcall_error err;
	virDomainStatsRecordPtr *recs = NULL;
	virConnectPtr conn = NULL;
	int r;

	/* The daemon goes away: the blocked opens fail and free their threads. */
	close(daemon_fd);
	unlink(sock_path);
	KT_EQ_U64(wait_blocked(p, 0, 60000), 0,
		  "the blocked calls end when libvirt returns");

	r = kt_lvcall_open(p, uri_of(sock_path), 2000 * MS, &conn, &err);
	KT_EQ_INT(r, -EIO, "no daemon: the open fails in libvirt");
	KT_CHECK(err.code != 0 && err.msg[0] != '\0',
		 "... with libvirt's error and message");

	r = kt_lvcall_open(p, "test:///default", 2000 * MS, &conn, &err);
	KT_EQ_INT(r, 0, "the pool works again: test:///default opens");
	if (conn == NULL)
		return;
	r = kt_lvcall_stats(p, conn, VIR_DOMAIN_STATS_STATE, 0, 2000 * MS,
			    &recs, &err);
	KT_EQ_INT(r, 1, "the bulk call answers: one domain");
	virDomainStatsRecordListFree(recs);
	/* A stats group no driver has, which the caller insists on. */
	r = kt_lvcall_stats(p, conn, 1u << 30,
			    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
			    2000 * MS, &recs, &err);
	KT_EQ_INT(r, -EIO, "a call libvirt refuses fails");
	KT_CHECK(err.code != 0 && err.msg[0] != '\0',
		 "... with the error of the thread that made it");
	printf("# %s (code %d)\n", err.msg, err.code);
	virConnectClose(conn);
}

/* Freed while a call is blocked: the thread finishes and frees its part. */
static void check_free_while_blocked(void)
{
	struct kt_lvcall_error err;
	struct kt_lvcall *p;
	virConnectPtr conn;
	int fd = mute_daemon();

	if (kt_lvcall_new(&p) != 0) {
		KT_CHECK(0, "kt_lvcall_new");
		return;
	}
	KT_EQ_INT(kt_lvcall_open(p, uri_of(sock_path), 100 * MS, &conn, &err),
		  -ETIMEDOUT, "blocked before the pool is freed");
	kt_lvcall_free(p);
	close(fd); /* the blocked thread returns, after the pool is gone */
	unlink(sock_path);
	usleep(300000);
	KT_CHECK(1, "the pool was freed with a call blocked (ASan checks)");
}

int main(void)
{
	struct kt_lvcall *p;
	int fd;

	fd = mute_daemon();
	if (kt_lvcall_new(&p) != 0) {
		KT_CHECK(0, "kt_lvcall_new");
		return kt_test_done();
	}
	check_deadline(p, uri_of(sock_path));
	check_recovery(p, fd);
	kt_lvcall_free(p);
	check_free_while_blocked();
	return kt_test_done();
}
