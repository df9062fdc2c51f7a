/*
 * libvirt calls with a deadline (see libvirt_call.h).
 *
 * Each caller thread owns one slot: a job, its answer and the mutex and
 * condition variable that hand them over.  A slot is shared by the pool
 * and its thread (two references), so that either may go first: the pool
 * is freed while a thread is still blocked in libvirt, or a thread finishes
 * long after the collector gave up on it.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libvirt/virterror.h>

#include "collect/libvirt_call.h"

enum job_kind { JOB_OPEN, JOB_STATS };

enum slot_state {
	SLOT_IDLE,
	SLOT_BUSY, /* the thread is in libvirt */
	SLOT_DONE, /* the answer waits for the collector */
};

struct slot {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	enum slot_state state;
	bool abandoned; /* the collector gave up: drop the answer */
	bool quit;	/* the pool is gone */
	unsigned refs;	/* the pool's and the thread's */
	bool started;

	/* the job */
	enum job_kind kind;
	char *uri; /* a copy: the thread may outlive the collector's */
	virConnectPtr conn;
	unsigned groups, flags;
	kt_lvcall_open_hook on_open; /* JOB_OPEN: run on the new connection */
	void *on_open_arg;

	/* the answer */
	int rc;
	virConnectPtr opened;
	virDomainStatsRecordPtr *recs;
	struct kt_lvcall_error err;
};

struct kt_lvcall {
	struct slot *slots[KT_LVCALL_THREADS];
	kt_lvcall_open_hook on_open;
	void *on_open_arg;
};

/*
 * Starts a detached thread with every signal blocked: the process's
 * signals (SIGTERM through main's signalfd) are not for these threads,
 * which may be started before main blocks them.
 */
static int spawn_detached(void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	pthread_t t;
	int r;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0)
		return -r;
	pthread_detach(t);
	return 0;
}

/* ---- libvirt's event loop, for keepalive ---- */

static pthread_once_t event_once = PTHREAD_ONCE_INIT;
static bool event_loop_runs;

static void *event_loop(void *arg)
{
	(void)arg;
	for (;;)
		if (virEventRunDefaultImpl() != 0)
			return NULL;
}

static void event_loop_start(void)
{
	if (virEventRegisterDefaultImpl() != 0)
		return;
	event_loop_runs = spawn_detached(event_loop, NULL) == 0;
}

/* ---- a slot's thread ---- */

static void copy_error(struct kt_lvcall_error *e)
{
	virErrorPtr v = virGetLastError(); /* this thread's */

	snprintf(e->msg, sizeof(e->msg), "%s",
		 v != NULL && v->message != NULL ? v->message
						 : "unknown libvirt error");
	e->code = v != NULL ? v->code : 0;
}

static void run_job(struct slot *s)
{
	s->err.msg[0] = '\0';
	s->err.code = 0;
	if (s->kind == JOB_OPEN) {
		s->opened = virConnectOpenReadOnly(s->uri);
		if (s->opened == NULL) {
			copy_error(&s->err);
			s->rc = -EIO;
			return;
		}
		/* 1: the driver has no keepalive (local drivers); fine. */
		if (event_loop_runs)
			(void)virConnectSetKeepAlive(
				s->opened, KT_LVCALL_KEEPALIVE_INTERVAL,
				KT_LVCALL_KEEPALIVE_COUNT);
		/* Events need the loop too; within the deadline, like the open. */
		if (event_loop_runs && s->on_open != NULL)
			s->on_open(s->opened, s->on_open_arg);
		s->rc = 0;
		return;
	}
	s->rc = virConnectGetAllDomainStats(s->conn, s->groups, &s->recs,
					    s->flags);
	if (s->rc < 0) {
		copy_error(&s->err);
		s->rc = -EIO;
	}
	virConnectClose(s->conn); /* the reference taken for this job */
	s->conn = NULL;
}

static void drop_answer(struct slot *s)
{
	if (s->opened != NULL)
		virConnectClose(s->opened);
	virDomainStatsRecordListFree(s->recs);
	s->opened = NULL;
	s->recs = NULL;
}

static void slot_unref_locked(struct slot *s)
{
	bool last = --s->refs == 0;

	pthread_mutex_unlock(&s->lock);
	if (!last)
		return;
	drop_answer(s);
	free(s->uri);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static void *slot_thread(void *arg)
{
	struct slot *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->state != SLOT_BUSY && !s->quit)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->state != SLOT_BUSY)
			break;
		pthread_mutex_unlock(&s->lock);
		run_job(s);
		pthread_mutex_lock(&s->lock);
		s->state = SLOT_DONE;
		if (s->abandoned || s->quit) {
			drop_answer(s);
			s->abandoned = false;
			s->state = SLOT_IDLE;
		}
		pthread_cond_broadcast(&s->cond);
		if (s->quit)
			break;
	}
	slot_unref_locked(s);
	return NULL;
}

/* ---- the pool ---- */

static struct slot *slot_new(void)
{
	struct slot *s = calloc(1, sizeof(*s));
	pthread_condattr_t ca;

	if (s == NULL)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	s->refs = 1;
	return s;
}

static int slot_start(struct slot *s)
{
	s->refs++;
	if (spawn_detached(slot_thread, s) != 0) {
		s->refs--;
		return -EAGAIN;
	}
	s->started = true;
	return 0;
}

int kt_lvcall_new(struct kt_lvcall **out)
{
	struct kt_lvcall *p;
	size_t i;

	*out = NULL;
	pthread_once(&event_once, event_loop_start);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -ENOMEM;
	for (i = 0; i < KT_LVCALL_THREADS; i++) {
		if ((p->slots[i] = slot_new()) == NULL) {
			kt_lvcall_free(p);
			return -ENOMEM;
		}
	}
	*out = p;
	return 0;
}

void kt_lvcall_free(struct kt_lvcall *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < KT_LVCALL_THREADS; i++) {
		struct slot *s = p->slots[i];

		if (s == NULL)
			continue;
		pthread_mutex_lock(&s->lock);
		s->quit = true;
		pthread_cond_broadcast(&s->cond);
		slot_unref_locked(s);
	}
	free(p);
}

/* A slot whose thread waits for work, started when first needed. */
static struct slot *idle_slot(struct kt_lvcall *p)
{
	size_t i;

	for (i = 0; i < KT_LVCALL_THREADS; i++) {
		struct slot *s = p->slots[i];
		bool idle;

		pthread_mutex_lock(&s->lock);
		idle = s->state == SLOT_IDLE &&
		       (s->started || slot_start(s) == 0);
		pthread_mutex_unlock(&s->lock);
		if (idle)
			return s;
	}
	return NULL;
}

void kt_lvcall_set_open_hook(struct kt_lvcall *p, kt_lvcall_open_hook fn,
			     void *arg)
{
	p->on_open = fn;
	p->on_open_arg = arg;
}

unsigned kt_lvcall_blocked(struct kt_lvcall *p)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < KT_LVCALL_THREADS; i++) {
		pthread_mutex_lock(&p->slots[i]->lock);
		n += p->slots[i]->abandoned;
		pthread_mutex_unlock(&p->slots[i]->lock);
	}
	return n;
}

static struct timespec deadline_after(uint64_t ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns += (uint64_t)ts.tv_nsec;
	ts.tv_sec += (time_t)(ns / 1000000000u);
	ts.tv_nsec = (long)(ns % 1000000000u);
	return ts;
}

/*
 * Hands the job prepared in @s to its thread and waits for the answer
 * until @timeout_ns.  Returns with the answer in @s (state back to idle)
 * or -ETIMEDOUT, the slot then left to its thread.
 */
static int run_until(struct slot *s, uint64_t timeout_ns,
		     struct kt_lvcall_error *err)
{
	struct timespec until = deadline_after(timeout_ns);
	int r = 0;

	s->state = SLOT_BUSY;
	pthread_cond_broadcast(&s->cond);
	while (s->state == SLOT_BUSY && r != ETIMEDOUT)
		r = pthread_cond_timedwait(&s->cond, &s->lock, &until);
	if (s->state == SLOT_BUSY) {
		s->abandoned = true;
		snprintf(err->msg, sizeof(err->msg),
			 "no answer within %.1f s", (double)timeout_ns / 1e9);
		err->code = 0;
		return -ETIMEDOUT;
	}
	s->state = SLOT_IDLE;
	*err = s->err;
	return s->rc;
}

static void busy_error(struct kt_lvcall_error *err)
{
	snprintf(err->msg, sizeof(err->msg),
		 "%d earlier calls are still waiting for libvirt",
		 KT_LVCALL_THREADS);
	err->code = 0;
}

int kt_lvcall_open(struct kt_lvcall *p, const char *uri, uint64_t timeout_ns,
		   virConnectPtr *out, struct kt_lvcall_error *err)
{
	struct slot *s = idle_slot(p);
	int r;

	*out = NULL;
	if (s == NULL) {
		busy_error(err);
		return -EBUSY;
	}
	pthread_mutex_lock(&s->lock);
	free(s->uri);
	if ((s->uri = strdup(uri)) == NULL) {
		pthread_mutex_unlock(&s->lock);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		err->code = 0;
		return -ENOMEM;
	}
	s->kind = JOB_OPEN;
	s->on_open = p->on_open;
	s->on_open_arg = p->on_open_arg;
	r = run_until(s, timeout_ns, err);
	if (r == 0) {
		*out = s->opened;
		s->opened = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	return r;
}

int kt_lvcall_stats(struct kt_lvcall *p, virConnectPtr conn, unsigned groups,
		    unsigned flags, uint64_t timeout_ns,
		    virDomainStatsRecordPtr **recs, struct kt_lvcall_error *err)
{
	struct slot *s = idle_slot(p);
	int r;

	*recs = NULL;
	if (s == NULL) {
		busy_error(err);
		return -EBUSY;
	}
	if (virConnectRef(conn) != 0) {
		copy_error(err);
		return -EIO;
	}
	pthread_mutex_lock(&s->lock);
	s->kind = JOB_STATS;
	s->conn = conn;
	s->groups = groups;
	s->flags = flags;
	r = run_until(s, timeout_ns, err);
	if (r >= 0) {
		*recs = s->recs;
		s->recs = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	return r;
}
