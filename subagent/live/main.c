/*
 * kvmtop-live: the VMs of this host or of a remote agent, live in the
 * terminal (live/view.c) or as a stream of records (live/rec_print.c) to
 * stdout, a file or a TCP peer (live/sink.c).  The rest is the library.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "clock.h"
#include "live/live_opts.h"
#include "live/rec_print.h"
#include "live/sink.h"
#include "live/source.h"
#include "live/view.h"
#include "log.h"
#include "options.h"
#include "signals.h"

/* How long a TCP sink may take at exit to send what waits. */
#define LINGER_MS 3000u

/* One record formatted into memory, then handed to the sink whole. */
static int emit(const struct kt_live_options *o, struct kt_sink *sink,
		const struct kt_rec *rec, const char *source)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int r;

	if (m == NULL)
		return -1;
	r = o->printer == KT_LIVE_JSON
		    ? kt_rec_print_json(m, rec, source, o->collectors)
		    : kt_rec_print_text(m, rec, o->collectors);
	if (fclose(m) != 0)
		r = -1;
	if (r == 0)
		r = kt_sink_put(sink, buf, len);
	free(buf);
	return r;
}

/*
 * The stream: a record every --frequency, --runs times.  A source that
 * fails before its first record ends the program; later failures are
 * logged once and retried.
 */
static int stream(const struct kt_live_options *o, struct kt_source *src,
		  int sigfd)
{
	struct kt_sink *sink = NULL;
	struct kt_want want = { { 0 }, false, 0 };
	uint64_t run = 0, next = kt_mono_ns() / 1000000u, good = 0;
	char err[256];
	bool failing = false;
	int rc = 0;

	kt_rec_print_want(o->collectors, &want);
	if (kt_sink_open(o->output, o->target, o->buffer, &sink, err,
			 sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", KT_LIVE_NAME, err);
		return 1;
	}
	while (o->runs == 0 || run < o->runs) {
		struct kt_rec *rec = NULL;
		struct signalfd_siginfo si;

		if (kt_source_fetch(src, &want, &rec, err, sizeof(err)) != 0) {
			if (good == 0) {
				fprintf(stderr, "%s: %s\n", KT_LIVE_NAME, err);
				rc = 1;
				break;
			}
			if (!failing)
				kt_log_warn("source", "%s; retrying", err);
			failing = true;
		} else {
			if (failing)
				kt_log_info("source", "%s answers again",
					    kt_source_name(src));
			failing = false;
			good++;
			run++;
			if (emit(o, sink, rec, kt_source_name(src)) != 0) {
				fprintf(stderr, "%s: cannot write: %s\n",
					KT_LIVE_NAME, strerror(errno));
				kt_rec_free(rec);
				rc = 1;
				break;
			}
			kt_rec_free(rec);
		}
		if (o->runs != 0 && run >= o->runs)
			break;
		/* On time, or from now when a refresh took longer. */
		next += o->frequency_ms;
		if (next < kt_mono_ns() / 1000000u)
			next = kt_mono_ns() / 1000000u;
		kt_sink_service(sink, next, sigfd);
		if (read(sigfd, &si, sizeof(si)) == sizeof(si))
			break;
	}
	kt_sink_close(sink, LINGER_MS);
	return rc;
}

int main(int argc, char **argv)
{
	struct kt_live_options o;
	struct kt_source *src = NULL;
	char err[256];
	int r, sigfd, tty_err = -1;

	r = kt_live_options_parse(&o, argc, argv, isatty(STDOUT_FILENO) == 1,
				  stdout, stderr);
	if (r != KT_OPTIONS_OK)
		return r == KT_OPTIONS_EXIT ? 0 : 2;
	kt_log_init(KT_LIVE_NAME, false, o.verbose);
	if ((sigfd = kt_stop_signals_fd(0)) < 0) {
		fprintf(stderr, "%s: cannot set up signals\n", KT_LIVE_NAME);
		return 1;
	}
	/* Logs would scribble over the screen: they go nowhere there. */
	if (o.printer == KT_LIVE_NCURSES &&
	    ((tty_err = dup(STDERR_FILENO)) < 0 ||
	     freopen("/dev/null", "w", stderr) == NULL))
		return 1;
	if (kt_source_open(&o, &src, err, sizeof(err)) != 0) {
		dprintf(tty_err >= 0 ? tty_err : STDERR_FILENO, "%s: %s\n",
			KT_LIVE_NAME, err);
		return 1;
	}
	r = o.printer == KT_LIVE_NCURSES ? kt_view_run(&o, src, sigfd)
					 : stream(&o, src, sigfd);
	kt_source_free(src);
	close(sigfd);
	if (tty_err >= 0)
		close(tty_err);
	return r;
}
