/*
 * The notification queue: a bounded FIFO of struct kt_event between the
 * threads that raise notifications and the SNMP thread, the only one that
 * takes them out (mib/notify.c sends them).  Pushing never blocks on the
 * consumer and never allocates: when the queue is full the oldest waiting
 * notification is dropped and counted.  An eventfd becomes readable on
 * every push, for the SNMP thread's poll loop.
 */
#ifndef KT_NOTIFY_QUEUE_H
#define KT_NOTIFY_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify/event.h"

#define KT_NOTIFY_QUEUE_DEFAULT 1000u
#define KT_NOTIFY_QUEUE_MAX 100000u

struct kt_notify_queue;

/* Returns 0, -ENOMEM, -EINVAL (capacity 0) or an eventfd error. */
int kt_notify_queue_new(size_t capacity, struct kt_notify_queue **out);
void kt_notify_queue_free(struct kt_notify_queue *q);

/*
 * Readable after a push (or a poke: the consumer wakes itself for more);
 * kt_notify_queue_clear_fd() empties it.
 */
int kt_notify_queue_fd(const struct kt_notify_queue *q);
void kt_notify_queue_clear_fd(struct kt_notify_queue *q);
void kt_notify_queue_poke(struct kt_notify_queue *q);

/* Appends @ev (any thread); drops the oldest when full. */
void kt_notify_queue_push(struct kt_notify_queue *q, const struct kt_event *ev);

/*
 * A copy of the oldest notification and its sequence number, false when
 * the queue is empty.  kt_notify_queue_pop(@seq) removes it unless it was
 * dropped meanwhile: peek, send, pop.  The consumer's side (one thread).
 */
bool kt_notify_queue_peek(struct kt_notify_queue *q, struct kt_event *ev,
			  uint64_t *seq);
void kt_notify_queue_pop(struct kt_notify_queue *q, uint64_t seq);

struct kt_notify_queue_stats {
	size_t queued;
	size_t capacity;
	uint64_t dropped;	  /* since the queue was made */
	uint64_t dropped_episode; /* since the queue was last empty */
};

void kt_notify_queue_stats(struct kt_notify_queue *q,
			   struct kt_notify_queue_stats *st);

/* A sink (event.h) that pushes into @q. */
struct kt_event_sink kt_notify_queue_sink(struct kt_notify_queue *q);

#endif
