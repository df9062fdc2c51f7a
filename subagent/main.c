/*
 * kvmtop-subagent: options, start-up, signals; the rest lives in the
 * library (collect/, mib/, print/, worker.c).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "collect/collector.h"
#include "log.h"
#include "mib/agentx.h"
#include "mib/notify.h"
#include "notify/queue.h"
#include "options.h"
#include "print/print.h"
#include "signals.h"
#include "worker.h"

/*
 * How long a cycle waits for libvirt: one interval, but at least 2 s (a
 * bulk call over 1000 domains takes a good part of a second) and at most
 * 10 s (rows stale for longer than that should say so).
 */
static uint64_t libvirt_timeout_ns(const struct kt_options *o)
{
	uint64_t ms = o->interval_ms;

	ms = ms < 2000 ? 2000 : ms > 10000 ? 10000 : ms;
	return ms * 1000000ull;
}

static int open_collector(const struct kt_options *o,
			  const struct kt_event_sink *events,
			  struct kt_collector **c)
{
	struct kt_collector_config cfg = {
		.uri = o->connection,
		.procfs = o->procfs,
		.sysfs = o->sysfs,
		.state_dir = o->state_dir,
		.forget_after_days = o->forget_after_days,
		.collectors = o->collectors,
		.qemu_users = o->qemu_users,
		.libvirt_timeout_ns = libvirt_timeout_ns(o),
		.events = events,
	};

	return kt_collector_new(&cfg, c);
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000),
			       (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* --print: two samples one interval apart (rates need both), then print. */
static int run_print(const struct kt_options *o, struct kt_collector *c)
{
	struct kt_snapshot *snap;
	int r;

	kt_snapshot_unref(kt_collector_run(c));
	sleep_ms(o->interval_ms);
	if ((snap = kt_collector_run(c)) == NULL)
		return 1;
	if (!snap->libvirt_connected)
		kt_log_warn("libvirt", "no answer from %s: nothing to print",
			    o->connection);
	if (o->print == KT_PRINT_JSON)
		r = kt_print_json(stdout, snap, o->collectors);
	else
		r = kt_print_text(stdout, snap, o->collectors);
	r = (r == 0 && fflush(stdout) == 0 && snap->libvirt_connected) ? 0 : 1;
	kt_snapshot_unref(snap);
	return r;
}

struct serve_state {
	struct kt_worker *worker;
	struct kt_mib_ctx *ctx;
	struct kt_notify_queue *queue;
	int sigfd;
	bool stop;
};

static void on_snapshot(void *arg)
{
	struct serve_state *s = arg;
	struct kt_snapshot *snap = kt_worker_take(s->worker);

	if (snap == NULL)
		return;
	/* Requests run to completion in this thread: the old one is free. */
	kt_worker_retire(s->worker, s->ctx->snap);
	s->ctx->snap = snap;
	kt_notify_snapshot(s->ctx);
}

static void on_notify(void *arg)
{
	struct serve_state *s = arg;

	kt_notify_pump(s->ctx);
}

static void collect_now(void *arg)
{
	struct serve_state *s = arg;

	kt_worker_collect_now(s->worker);
}

static int start_notify(const struct kt_options *o, struct serve_state *s)
{
	struct kt_notify_config cfg = {
		.queue = s->queue,
		.steal = { .high = o->steal_high,
			   .normal = o->steal_normal,
			   .for_ns = o->steal_for_ms * 1000000ull },
		.collect_now = collect_now,
		.arg = s,
	};

	if (kt_notify_init(&cfg) != 0) {
		kt_log_err("main", "out of memory for notifications");
		return -1;
	}
	return 0;
}

static void on_signal(void *arg)
{
	struct serve_state *s = arg;
	struct signalfd_siginfo si;

	if (read(s->sigfd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGUSR1) {
		kt_log_debug("main", "SIGUSR1: collecting now");
		kt_worker_collect_now(s->worker);
		return;
	}
	kt_log_info("main", "signal %u: stopping", si.ssi_signo);
	s->stop = true;
}

static int serve(const struct kt_options *o, struct kt_collector *c,
		 struct kt_notify_queue *queue)
{
	struct kt_mib_ctx ctx = {
		.version = PACKAGE_VERSION,
		.uri = o->connection,
		.interval_ms = o->interval_ms,
		.started_mono_ns = kt_mono_ns(),
	};
	struct kt_agentx_config ax = {
		.socket = o->agentx_socket,
		.use_syslog = o->syslog,
		.verbose = o->verbose,
	};
	struct serve_state s = { .ctx = &ctx, .queue = queue };
	struct kt_loop_fd fds[3];
	int r = 1;

	if ((s.sigfd = kt_stop_signals_fd(SIGUSR1)) < 0) {
		kt_log_err("main", "cannot set up signals: %s",
			   strerror(errno));
		return 1;
	}
	if (kt_worker_start(c, o->interval_ms * 1000000ull, &s.worker) != 0) {
		kt_log_err("main", "cannot start the collector thread");
		goto out;
	}
	/* Before the AgentX session opens: it says when it is up. */
	if (start_notify(o, &s) != 0 || kt_agentx_init(&ax, &ctx) != 0)
		goto out;
	kt_log_info("main", "serving KVMTOP-MIB for %s every %llu ms",
		    o->connection, (unsigned long long)o->interval_ms);
	fds[0] = (struct kt_loop_fd){ kt_worker_fd(s.worker), on_snapshot, &s };
	fds[1] = (struct kt_loop_fd){ s.sigfd, on_signal, &s };
	fds[2] =
		(struct kt_loop_fd){ kt_notify_queue_fd(queue), on_notify, &s };
	r = kt_agentx_run(fds, 3, &s.stop) == 0 ? 0 : 1;
	kt_notify_shutdown();
	kt_agentx_shutdown();
out:
	kt_worker_stop(s.worker);
	kt_snapshot_unref(ctx.snap);
	close(s.sigfd);
	return r;
}

int main(int argc, char **argv)
{
	struct kt_notify_queue *queue = NULL;
	struct kt_event_sink sink;
	struct kt_collector *c = NULL;
	struct kt_options o;
	int r;

	r = kt_options_parse(&o, argc, argv, stdout, stderr);
	if (r != KT_OPTIONS_OK)
		return r == KT_OPTIONS_EXIT ? 0 : 2;
	kt_log_init(KT_PROGRAM_NAME, o.syslog, o.verbose);
	if (o.print == KT_PRINT_NONE && !o.foreground && daemon(0, 0) != 0) {
		kt_log_err("main", "cannot become a daemon: %s",
			   strerror(errno));
		return 1;
	}
	if (o.print == KT_PRINT_NONE &&
	    kt_notify_queue_new(o.notify_queue, &queue) != 0) {
		kt_log_err("main", "cannot make the notification queue");
		return 1;
	}
	if (queue != NULL)
		sink = kt_notify_queue_sink(queue);
	if (open_collector(&o, queue != NULL ? &sink : NULL, &c) != 0) {
		kt_notify_queue_free(queue);
		return 1;
	}
	r = o.print != KT_PRINT_NONE ? run_print(&o, c) : serve(&o, c, queue);
	/* The collector's callbacks push into the queue until it is gone. */
	kt_collector_free(c);
	kt_notify_queue_free(queue);
	return r;
}
