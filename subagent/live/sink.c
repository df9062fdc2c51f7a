/*
 * kvmtop-live's outputs (live/sink.h).
 */
#include "live/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"

struct queued {
	char *buf;
	size_t len;
};

struct kt_sink {
	enum kt_live_output kind;
	FILE *file; /* stdout or the file */
	/* TCP */
	char *host, *port;
	int fd;		   /* -1: not connected */
	bool connecting;   /* a non-blocking connect is under way */
	uint64_t retry_ms; /* when to try again */
	uint64_t backoff_ms;
	bool was_up, logged_drop;
	struct queued *q; /* ring of @bound */
	uint32_t bound, head, n;
	size_t off; /* bytes of the head record sent on this connection */
	uint64_t dropped, sent;
};

static uint64_t now_ms(void)
{
	return kt_mono_ns() / 1000000u;
}

static int open_tcp(struct kt_sink *s, const char *target, uint32_t bound,
		    char *err, size_t errlen)
{
	const char *colon = strrchr(target, ':');

	s->host = strndup(target, (size_t)(colon - target));
	s->port = strdup(colon + 1);
	s->q = calloc(bound, sizeof(*s->q));
	s->bound = bound;
	s->fd = -1;
	s->backoff_ms = KT_SINK_BACKOFF_MIN_MS;
	if (s->host == NULL || s->port == NULL || s->q == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int kt_sink_open(enum kt_live_output kind, const char *target, uint32_t bound,
		 struct kt_sink **out, char *err, size_t errlen)
{
	struct kt_sink *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return -1;
	s->kind = kind;
	s->fd = -1;
	if (kind == KT_LIVE_STDOUT) {
		s->file = stdout;
	} else if (kind == KT_LIVE_FILE) {
		if ((s->file = fopen(target, "ae")) == NULL) {
			snprintf(err, errlen, "cannot open %s: %s", target,
				 strerror(errno));
			free(s);
			return -1;
		}
	} else if (open_tcp(s, target, bound, err, errlen) != 0) {
		kt_sink_close(s, 0);
		return -1;
	}
	*out = s;
	return 0;
}

static void drop_head(struct kt_sink *s)
{
	free(s->q[s->head].buf);
	s->q[s->head].buf = NULL;
	s->head = (s->head + 1) % s->bound;
	s->n--;
	s->off = 0;
}

void kt_sink_close(struct kt_sink *s, uint64_t linger_ms)
{
	uint64_t end = now_ms() + linger_ms;

	if (s == NULL)
		return;
	while (s->kind == KT_LIVE_TCP && s->n > 0 && now_ms() < end)
		kt_sink_service(s, now_ms() + 50 < end ? now_ms() + 50 : end,
				-1);
	if (s->kind == KT_LIVE_TCP && s->n > 0)
		kt_log_warn("tcp", "%u records not sent at exit", s->n);
	while (s->q != NULL && s->n > 0)
		drop_head(s);
	if (s->file != NULL && s->file != stdout)
		fclose(s->file);
	if (s->fd >= 0)
		close(s->fd);
	free(s->q);
	free(s->host);
	free(s->port);
	free(s);
}

int kt_sink_put(struct kt_sink *s, const char *rec, size_t len)
{
	struct queued *slot;

	if (s->kind != KT_LIVE_TCP) {
		if (fwrite(rec, 1, len, s->file) != len || fflush(s->file) != 0)
			return -1;
		return 0;
	}
	if (s->n == s->bound) {
		/* Full: this one goes (the queued ones may be half sent). */
		if (!s->logged_drop)
			kt_log_warn("tcp",
				    "%s:%s: %u records waiting, dropping new "
				    "ones until it is back",
				    s->host, s->port, s->bound);
		s->logged_drop = true;
		s->dropped++;
		return 0;
	}
	slot = &s->q[(s->head + s->n) % s->bound];
	if ((slot->buf = malloc(len)) == NULL)
		return -1;
	memcpy(slot->buf, rec, len);
	slot->len = len;
	s->n++;
	return 0;
}

uint64_t kt_sink_dropped(const struct kt_sink *s)
{
	return s->dropped;
}

uint64_t kt_sink_sent(const struct kt_sink *s)
{
	return s->sent;
}

static void lost(struct kt_sink *s, const char *why)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->connecting = false;
	s->off = 0; /* the head record goes again, whole */
	if (s->was_up)
		kt_log_warn("tcp", "%s:%s: connection lost (%s), retrying",
			    s->host, s->port, why);
	s->was_up = false;
	s->retry_ms = now_ms() + s->backoff_ms;
	s->backoff_ms = s->backoff_ms * 2 > KT_SINK_BACKOFF_MAX_MS
				? KT_SINK_BACKOFF_MAX_MS
				: s->backoff_ms * 2;
}

static void start_connect(struct kt_sink *s)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	int rc;

	if ((rc = getaddrinfo(s->host, s->port, &hints, &ai)) != 0) {
		lost(s, gai_strerror(rc));
		return;
	}
	s->fd = socket(ai->ai_family,
		       ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       ai->ai_protocol);
	if (s->fd < 0 || (connect(s->fd, ai->ai_addr, ai->ai_addrlen) != 0 &&
			  errno != EINPROGRESS)) {
		freeaddrinfo(ai);
		lost(s, strerror(errno));
		return;
	}
	freeaddrinfo(ai);
	s->connecting = true;
}

static void connected(struct kt_sink *s)
{
	int e = 0;
	socklen_t l = sizeof(e);

	s->connecting = false;
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &l) != 0 || e != 0) {
		lost(s, strerror(e ? e : errno));
		return;
	}
	kt_log_info("tcp", "%s:%s: connected; %llu records dropped so far",
		    s->host, s->port, (unsigned long long)s->dropped);
	s->was_up = true;
	s->logged_drop = false;
	s->backoff_ms = KT_SINK_BACKOFF_MIN_MS;
}

static void send_some(struct kt_sink *s)
{
	while (s->n > 0) {
		struct queued *h = &s->q[s->head];
		ssize_t w = send(s->fd, h->buf + s->off, h->len - s->off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0) {
			if (errno != EAGAIN && errno != EINTR)
				lost(s, strerror(errno));
			return;
		}
		s->off += (size_t)w;
		if (s->off == h->len) {
			drop_head(s);
			s->sent++;
		}
	}
}

/* A peer that closed: readable with nothing to read. */
static void check_peer(struct kt_sink *s)
{
	char c;
	ssize_t r = recv(s->fd, &c, 1, MSG_DONTWAIT);

	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
		lost(s, r == 0 ? "closed by the peer" : strerror(errno));
}

void kt_sink_service(struct kt_sink *s, uint64_t deadline_ms, int wake_fd)
{
	for (;;) {
		struct pollfd p[2] = { { .fd = -1 },
				       { .fd = wake_fd, .events = POLLIN } };
		uint64_t now = now_ms(), until = deadline_ms;
		int n;

		if (s->kind == KT_LIVE_TCP && s->fd < 0 && now >= s->retry_ms)
			start_connect(s);
		if (s->kind == KT_LIVE_TCP && s->fd >= 0) {
			p[0].fd = s->fd;
			p[0].events = POLLIN;
			if (s->connecting || s->n > 0)
				p[0].events |= POLLOUT;
		} else if (s->kind == KT_LIVE_TCP && s->retry_ms < until) {
			until = s->retry_ms;
		}
		if (now >= deadline_ms)
			return;
		n = poll(p, 2, (int)(until > now ? until - now : 0));
		if (n > 0 && (p[1].revents & POLLIN))
			return;
		if (n <= 0 || p[0].fd < 0)
			continue;
		if (s->connecting &&
		    (p[0].revents & (POLLOUT | POLLERR | POLLHUP)))
			connected(s);
		else if (p[0].revents & (POLLIN | POLLERR | POLLHUP))
			check_peer(s);
		if (s->fd >= 0 && !s->connecting && s->n > 0 &&
		    (p[0].revents & POLLOUT))
			send_some(s);
	}
}
