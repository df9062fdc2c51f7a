/*
 * Logging to stderr or syslog, and rate-limited complaints.
 *
 * Each message is formatted into a local buffer and leaves in one write()
 * (or one syslog() call), so lines from the collector thread and the main
 * thread never interleave and no lock is needed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

#define MSG_SIZE 1024

static const char *log_ident = "kvmtop-subagent";
static bool log_syslog;
static int log_verbose;

void kt_log_init(const char *ident, bool use_syslog, int verbose)
{
	if (log_syslog)
		closelog();
	log_ident = ident != NULL ? ident : "kvmtop-subagent";
	log_syslog = use_syslog;
	log_verbose = verbose;
	if (use_syslog)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static const char *level_name(int prio)
{
	switch (prio) {
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

/*
 * Formats the message, marking truncation, and turns control characters
 * into '?': a VM name with a newline must not forge a second log line.
 */
__attribute__((format(printf, 3, 0))) static void
format_message(char *msg, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(msg, size, fmt, ap);
	char *p;

	if (n < 0)
		snprintf(msg, size, "(unformattable message: %s)", fmt);
	else if ((size_t)n >= size)
		memcpy(msg + size - 4, "...", 4);
	for (p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static void write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* nowhere left to report it */
		buf += n;
		len -= (size_t)n;
	}
}

__attribute__((format(printf, 3, 0))) static void
log_v(int prio, const char *subsys, const char *fmt, va_list ap)
{
	char msg[MSG_SIZE], line[MSG_SIZE + 128];
	int saved_errno = errno; /* callers log, then look at errno */
	int n;

	if (prio == LOG_DEBUG && log_verbose <= 0)
		goto out;
	format_message(msg, sizeof(msg), fmt, ap);
	if (subsys == NULL)
		subsys = "main";
	if (log_syslog) {
		syslog(prio, "[%s] %s", subsys, msg);
		goto out;
	}
	n = snprintf(line, sizeof(line), "%s[%s]: %s: %s\n", log_ident, subsys,
		     level_name(prio), msg);
	if (n < 0)
		goto out;
	if ((size_t)n >= sizeof(line)) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	write_all(STDERR_FILENO, line, (size_t)n);
out:
	errno = saved_errno;
}

#define DEFINE_LOG(fn, prio)                              \
	void fn(const char *subsys, const char *fmt, ...) \
	{                                                 \
		va_list ap;                               \
                                                          \
		va_start(ap, fmt);                        \
		log_v(prio, subsys, fmt, ap);             \
		va_end(ap);                               \
	}

DEFINE_LOG(kt_log_err, LOG_ERR)
DEFINE_LOG(kt_log_warn, LOG_WARNING)
DEFINE_LOG(kt_log_info, LOG_INFO)
DEFINE_LOG(kt_log_debug, LOG_DEBUG)

__attribute__((format(printf, 4, 0))) static bool
complain_v(struct kt_complaint *c, time_t now, const char *subsys,
	   const char *fmt, va_list ap)
{
	/* A clock that went back counts as time passed: better one line too many. */
	if (c->active && now >= c->last && now - c->last < (time_t)c->interval)
		return false;
	if (!c->active) {
		c->active = true;
		c->interval = KT_COMPLAIN_FIRST;
	} else if (c->interval < KT_COMPLAIN_MAX / 2) {
		c->interval *= 2;
	} else {
		c->interval = KT_COMPLAIN_MAX;
	}
	c->last = now;
	log_v(LOG_WARNING, subsys, fmt, ap);
	return true;
}

bool kt_complain_at(struct kt_complaint *c, time_t now, const char *subsys,
		    const char *fmt, ...)
{
	va_list ap;
	bool logged;

	va_start(ap, fmt);
	logged = complain_v(c, now, subsys, fmt, ap);
	va_end(ap);
	return logged;
}

bool kt_complain(struct kt_complaint *c, const char *subsys, const char *fmt,
		 ...)
{
	struct timespec ts = { 0, 0 };
	va_list ap;
	bool logged;

	/* Monotonic: setting the wall clock must not silence a complaint. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	va_start(ap, fmt);
	logged = complain_v(c, ts.tv_sec, subsys, fmt, ap);
	va_end(ap);
	return logged;
}

bool kt_complain_release(struct kt_complaint *c, const char *subsys,
			 const char *fmt, ...)
{
	va_list ap;

	if (!c->active)
		return false;
	va_start(ap, fmt);
	log_v(LOG_INFO, subsys, fmt, ap);
	va_end(ap);
	memset(c, 0, sizeof(*c));
	return true;
}
