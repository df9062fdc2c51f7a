/*
 * The notification queue (queue.h): a ring of fixed-size events under a
 * mutex.  Each event has a sequence number (its position in the stream of
 * everything ever pushed), so the consumer can peek, send outside the lock
 * and then pop exactly what it sent, even if a push dropped it meanwhile.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "notify/queue.h"

struct kt_notify_queue {
	pthread_mutex_t lock;
	struct kt_event *ring;
	size_t capacity;
	uint64_t head; /* sequence number of the oldest */
	uint64_t tail; /* sequence number of the next push */
	uint64_t dropped;
	uint64_t dropped_episode;
	int efd;
};

int kt_notify_queue_new(size_t capacity, struct kt_notify_queue **out)
{
	struct kt_notify_queue *q;
	int r;

	*out = NULL;
	if (capacity == 0)
		return -EINVAL;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return -ENOMEM;
	if ((q->ring = calloc(capacity, sizeof(*q->ring))) == NULL) {
		free(q);
		return -ENOMEM;
	}
	if ((q->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
		r = -errno;
		free(q->ring);
		free(q);
		return r;
	}
	pthread_mutex_init(&q->lock, NULL);
	q->capacity = capacity;
	*out = q;
	return 0;
}

void kt_notify_queue_free(struct kt_notify_queue *q)
{
	if (q == NULL)
		return;
	close(q->efd);
	pthread_mutex_destroy(&q->lock);
	free(q->ring);
	free(q);
}

int kt_notify_queue_fd(const struct kt_notify_queue *q)
{
	return q->efd;
}

void kt_notify_queue_clear_fd(struct kt_notify_queue *q)
{
	uint64_t n;

	(void)!read(q->efd, &n, sizeof(n));
}

void kt_notify_queue_poke(struct kt_notify_queue *q)
{
	uint64_t one = 1;

	/* Only fails when the counter would overflow: it is readable then. */
	(void)!write(q->efd, &one, sizeof(one));
}

void kt_notify_queue_push(struct kt_notify_queue *q, const struct kt_event *ev)
{
	pthread_mutex_lock(&q->lock);
	if (q->tail - q->head == q->capacity) {
		q->head++;
		q->dropped++;
		q->dropped_episode++;
	}
	q->ring[q->tail % q->capacity] = *ev;
	q->tail++;
	pthread_mutex_unlock(&q->lock);
	kt_notify_queue_poke(q);
}

bool kt_notify_queue_peek(struct kt_notify_queue *q, struct kt_event *ev,
			  uint64_t *seq)
{
	bool any;

	pthread_mutex_lock(&q->lock);
	any = q->head != q->tail;
	if (any) {
		*ev = q->ring[q->head % q->capacity];
		*seq = q->head;
	} else {
		q->dropped_episode = 0;
	}
	pthread_mutex_unlock(&q->lock);
	return any;
}

void kt_notify_queue_pop(struct kt_notify_queue *q, uint64_t seq)
{
	pthread_mutex_lock(&q->lock);
	if (q->head == seq && q->head != q->tail)
		q->head++;
	pthread_mutex_unlock(&q->lock);
}

void kt_notify_queue_stats(struct kt_notify_queue *q,
			   struct kt_notify_queue_stats *st)
{
	pthread_mutex_lock(&q->lock);
	st->queued = (size_t)(q->tail - q->head);
	st->capacity = q->capacity;
	st->dropped = q->dropped;
	st->dropped_episode = q->dropped_episode;
	pthread_mutex_unlock(&q->lock);
}

static void sink_push(void *arg, const struct kt_event *ev)
{
	kt_notify_queue_push(arg, ev);
}

struct kt_event_sink kt_notify_queue_sink(struct kt_notify_queue *q)
{
	return (struct kt_event_sink){ sink_push, q };
}
