/*
 * Where kvmtop-live's records go: stdout, a file (opened for appending,
 * one record a refresh) or a TCP peer (JSON lines).  For TCP, records
 * wait in a queue of at most @bound records while the peer is away; a
 * lost connection is retried with back-off (0.25 s doubling to 5 s); when
 * the queue is full a new record is dropped and counted, and the first
 * drop of an outage is logged once (the count with the reconnect).  A record is always sent whole
 * from its start on a new connection, so the peer never sees a piece of
 * one after a reconnect.
 */
#ifndef KT_LIVE_SINK_H
#define KT_LIVE_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "live/live_opts.h"

#define KT_SINK_BACKOFF_MIN_MS 250u
#define KT_SINK_BACKOFF_MAX_MS 5000u

struct kt_sink;

/* 0, or -1 with one line in @err. */
int kt_sink_open(enum kt_live_output kind, const char *target, uint32_t bound,
		 struct kt_sink **out, char *err, size_t errlen);
/* Closes; a TCP sink first tries to send what waits for @linger_ms. */
void kt_sink_close(struct kt_sink *s, uint64_t linger_ms);

/* Queues (TCP) or writes one record of @len bytes.  0, or -1: write failed. */
int kt_sink_put(struct kt_sink *s, const char *rec, size_t len);
/*
 * Sends what it can, reconnecting when due, waiting at most until
 * @deadline_ms (CLOCK_MONOTONIC) or @wake_fd (>= 0) is readable.
 */
void kt_sink_service(struct kt_sink *s, uint64_t deadline_ms, int wake_fd);

/* Records dropped so far, and records sent (TCP). */
uint64_t kt_sink_dropped(const struct kt_sink *s);
uint64_t kt_sink_sent(const struct kt_sink *s);

#endif
