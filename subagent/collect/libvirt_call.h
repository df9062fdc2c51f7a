/*
 * libvirt calls that may hang, made with a deadline.
 *
 * A libvirtd that stops answering, or a QEMU process that does not answer
 * libvirtd's monitor (SIGSTOPped, stuck in the kernel), leaves a libvirt
 * call blocked for as long as it lasts: libvirt's monitor waits have no
 * timeout.  So the calls that can block (opening the connection and the
 * bulk statistics) run in a small pool of caller threads; the collector
 * waits for the answer until a deadline and then goes on without it.  A
 * call that missed its deadline keeps its thread until libvirt returns,
 * and its answer is thrown away: the caller has moved on.  With every
 * thread of the pool blocked, calls fail at once instead of piling up.
 *
 * The pool also runs libvirt's event loop (one thread per process), which
 * the keepalive of remote connections needs: a connection to a hung
 * libvirtd is then closed by libvirt after a few seconds, and the calls
 * blocked on it return with an error.
 */
#ifndef KT_LIBVIRT_CALL_H
#define KT_LIBVIRT_CALL_H

#include <stdint.h>

#include <libvirt/libvirt.h>

/* Caller threads: blocked calls that can be waited out at once. */
#define KT_LVCALL_THREADS 4

/* Keepalive of remote connections: a probe every 2 s, 2 unanswered close. */
#define KT_LVCALL_KEEPALIVE_INTERVAL 2
#define KT_LVCALL_KEEPALIVE_COUNT 2

struct kt_lvcall;

/* What went wrong with a call: libvirt's message (or ours) and code. */
struct kt_lvcall_error {
	char msg[256];
	int code; /* virErrorNumber, 0 when the call did not fail in libvirt */
};

/* Returns 0 or -ENOMEM / -EAGAIN (no thread could be started). */
int kt_lvcall_new(struct kt_lvcall **out);

/* Threads still blocked in libvirt finish on their own and free their part. */
void kt_lvcall_free(struct kt_lvcall *p);

/*
 * virConnectOpenReadOnly(@uri) with keepalive set where the driver has it.
 * Returns 0 and the connection, -ETIMEDOUT when it took longer than
 * @timeout_ns, -EBUSY when every caller thread is blocked, -EIO when
 * libvirt failed; @err says why.
 */
int kt_lvcall_open(struct kt_lvcall *p, const char *uri, uint64_t timeout_ns,
		   virConnectPtr *out, struct kt_lvcall_error *err);

/*
 * virConnectGetAllDomainStats(@conn, @groups, ..., @flags).  Returns the
 * number of records (freed with virDomainStatsRecordListFree) or a
 * negative errno as kt_lvcall_open().  @conn stays the caller's: the pool
 * holds its own reference while the call runs.
 */
int kt_lvcall_stats(struct kt_lvcall *p, virConnectPtr conn, unsigned groups,
		    unsigned flags, uint64_t timeout_ns,
		    virDomainStatsRecordPtr **recs,
		    struct kt_lvcall_error *err);

/*
 * Run by kt_lvcall_open() on each new connection, in the caller thread and
 * within the deadline, when libvirt's event loop runs: registering event
 * callbacks (collect/libvirt_events.h).  Set before the first open.
 */
typedef void (*kt_lvcall_open_hook)(virConnectPtr conn, void *arg);
void kt_lvcall_set_open_hook(struct kt_lvcall *p, kt_lvcall_open_hook fn,
			     void *arg);

/* Calls that missed their deadline and are still blocked in libvirt. */
unsigned kt_lvcall_blocked(struct kt_lvcall *p);

#endif
