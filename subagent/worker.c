/*
 * The collector thread.
 *
 * Cycles start on a fixed schedule (start + k * interval) so the sampling
 * interval does not drift by the time a cycle takes; a cycle that overran
 * skips the missed slots instead of running back to back.  A request to
 * collect now (kt_worker_collect_now(), SIGUSR1) starts a cycle at once and
 * the schedule anew from it; one that comes during a cycle starts another
 * right after it, so the data served afterwards was read after the request.
 * The handover is a
 * mutex-protected slot holding the newest snapshot plus an eventfd poke: if
 * the SNMP thread is slow, older snapshots are simply replaced.  The way
 * back is a second slot: the SNMP thread retires the snapshot it served
 * before, and this thread frees it (kt_collector_release()), so that
 * freeing 1000s of rows and trimming the heap never delay a request.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "worker.h"

struct kt_worker {
	struct kt_collector *collector;
	uint64_t interval_ns;
	int efd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake; /* signalled to stop, collect now or free */
	bool stop;
	bool collect_now;
	struct kt_snapshot *ready;
	struct kt_snapshot
		*retired; /* served before, for this thread to free */
};

static void ns_to_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
}

static void publish(struct kt_worker *w, struct kt_snapshot *snap)
{
	uint64_t one = 1;

	pthread_mutex_lock(&w->lock);
	kt_snapshot_unref(w->ready);
	w->ready = snap;
	pthread_mutex_unlock(&w->lock);
	if (write(w->efd, &one, sizeof(one)) != sizeof(one))
		kt_log_warn("worker", "cannot wake the SNMP thread: %s",
			    strerror(errno));
}

enum wake_reason { WAKE_STOP, WAKE_DEADLINE, WAKE_NOW };

/*
 * Sleeps until @deadline, a stop request or a request to collect now,
 * freeing the snapshots the SNMP thread retires meanwhile.
 */
static enum wake_reason sleep_until(struct kt_worker *w, uint64_t deadline)
{
	enum wake_reason why = WAKE_DEADLINE;
	struct kt_snapshot *old;
	struct timespec ts;

	ns_to_timespec(deadline, &ts);
	pthread_mutex_lock(&w->lock);
	for (;;) {
		if ((old = w->retired) != NULL) {
			w->retired = NULL;
			pthread_mutex_unlock(&w->lock);
			kt_collector_release(w->collector, old);
			pthread_mutex_lock(&w->lock);
			continue;
		}
		if (w->stop) {
			why = WAKE_STOP;
			break;
		}
		if (w->collect_now) {
			w->collect_now = false;
			why = WAKE_NOW;
			break;
		}
		if (pthread_cond_timedwait(&w->wake, &w->lock, &ts) ==
		    ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&w->lock);
	return why;
}

/*
 * The collector yields to the SNMP thread: a cycle is CPU work of tens of
 * milliseconds at 1000 VMs, and on a small host a request that arrives
 * during it would otherwise wait for a time slice.  Nice 10, not 19 or
 * SCHED_IDLE: on a host whose CPUs are busy with its VMs, the very case
 * the agent must report, the collector still gets its few milliseconds.
 * On Linux a thread's nice value is its own (setpriority on its TID).
 */
#define KT_WORKER_NICE 10

static void lower_priority(void)
{
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), KT_WORKER_NICE) != 0)
		kt_log_debug("worker",
			     "cannot lower the collector's priority: %s",
			     strerror(errno));
}

static void *worker_main(void *arg)
{
	struct kt_worker *w = arg;
	uint64_t next = kt_mono_ns();
	enum wake_reason why;

	lower_priority();

	do {
		struct kt_snapshot *snap = kt_collector_run(w->collector);
		uint64_t now;

		if (snap != NULL)
			publish(w, snap);
		now = kt_mono_ns();
		next += w->interval_ns;
		if (next <= now) /* overran: skip the missed slots */
			next = now + w->interval_ns -
			       (now - next) % w->interval_ns;
		if ((why = sleep_until(w, next)) == WAKE_NOW)
			next = kt_mono_ns();
	} while (why != WAKE_STOP);
	return NULL;
}

static int init_sync(struct kt_worker *w)
{
	pthread_condattr_t attr;
	int r;

	if ((r = pthread_condattr_init(&attr)) != 0)
		return -r;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	r = pthread_cond_init(&w->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (r != 0)
		return -r;
	pthread_mutex_init(&w->lock, NULL);
	return 0;
}

int kt_worker_start(struct kt_collector *c, uint64_t interval_ns,
		    struct kt_worker **out)
{
	struct kt_worker *w;
	int r;

	*out = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -ENOMEM;
	w->collector = c;
	w->interval_ns = interval_ns;
	if ((w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
		r = -errno;
		free(w);
		return r;
	}
	if ((r = init_sync(w)) != 0 ||
	    (r = -pthread_create(&w->thread, NULL, worker_main, w)) != 0) {
		close(w->efd);
		free(w);
		return r;
	}
	*out = w;
	return 0;
}

int kt_worker_fd(const struct kt_worker *w)
{
	return w->efd;
}

struct kt_snapshot *kt_worker_take(struct kt_worker *w)
{
	struct kt_snapshot *snap;
	uint64_t count;

	if (read(w->efd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		kt_log_debug("worker", "eventfd read: %s", strerror(errno));
	pthread_mutex_lock(&w->lock);
	snap = w->ready;
	w->ready = NULL;
	pthread_mutex_unlock(&w->lock);
	return snap;
}

void kt_worker_retire(struct kt_worker *w, struct kt_snapshot *old)
{
	if (old == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	/*
	 * One retired snapshot waiting is the rule; a second one means the
	 * collector is busy with a cycle: it is dropped here instead.
	 */
	if (w->retired == NULL) {
		w->retired = old;
		old = NULL;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	kt_snapshot_unref(old);
}

void kt_worker_collect_now(struct kt_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->collect_now = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void kt_worker_stop(struct kt_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	kt_snapshot_unref(w->ready);
	kt_snapshot_unref(w->retired);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	close(w->efd);
	free(w);
}
