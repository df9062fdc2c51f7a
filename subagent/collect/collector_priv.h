/*
 * What the collector keeps about each VM between cycles (the tracker), shared
 * by the cycle (collector.c) and the sampling of a VM's QEMU process
 * (vm_sample.c).  Not for use outside the collector.
 */
#ifndef KT_COLLECTOR_PRIV_H
#define KT_COLLECTOR_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "collect/counters.h"
#include "collect/qemu.h"
#include "log.h"
#include "snapshot.h"

/* Cumulative run and wait of one vCPU number of a VM. */
struct kt_vcpu_acc {
	uint32_t number;
	uint64_t run, wait;
};

struct kt_tracker {
	uint32_t index;
	char uuid[KT_UUID_LEN + 1];
	bool seen;	 /* in libvirt's list this cycle */
	bool dev_failed; /* libvirt could not give its devices this cycle */
	pid_t pid;
	int piddir;	       /* fd of PROCFS/PID, -1 when none */
	uint64_t next_scan_ns; /* no /proc scan for it before this */
	uint64_t scan_backoff_ns;
	uint64_t found_ns;	   /* when the process was found */
	struct kt_thread *threads; /* last sample, sorted by TID */
	size_t n_threads;
	bool sampled; /* threads hold a sample of this process */
	uint64_t run, wait, other_run, other_wait;
	/*
	 * Per vCPU number below the VM's vCPU count, sorted by it; kept
	 * across process restarts.
	 */
	struct kt_vcpu_acc *vcpu_acc;
	size_t n_vcpu_acc, cap_vcpu_acc;
	/*
	 * The other counters, kept across process restarts like the CPU
	 * times (counters.h): PID/stat's (KT_PS_* below KT_PS_N_COUNTERS),
	 * PID/io's (KT_IO_*), each disk's and interface's from libvirt
	 * (vm_devices.c).
	 */
	struct kt_counter_set stat_acc;
	struct kt_counter_set io_acc;
	struct kt_vm_dev_counters dev_acc;
	/*
	 * PID/stat's starttime, once read: a process with the same PID and
	 * another start is another process (a procfs tree that is not the
	 * live kernel's does not turn the held piddir stale as /proc does).
	 */
	uint64_t start_ticks;
	bool start_known;
	/* Files of the process that could not be used (vm_sample.c). */
	struct kt_complaint unreadable;
	/* A process with more threads than are read (vm_sample.c). */
	struct kt_complaint too_many;
	/* Processes with its UUID whose owner is not admitted, and how many. */
	struct kt_complaint impostor;
	unsigned long refused;
};

/* The counters of PID/io in kt_tracker.io_acc. */
enum kt_io_counter {
	KT_IO_READ_BYTES,
	KT_IO_WRITE_BYTES,
	KT_IO_RCHAR,
	KT_IO_WCHAR,
	KT_IO_SYSCR,
	KT_IO_SYSCW,
	KT_IO_CANCELLED_WRITE_BYTES,
	KT_IO_N
};

/* What sampling a process needs to know about this cycle. */
struct kt_sample_ctx {
	unsigned collectors; /* KT_COLLECT_* bits */
	long page_size;
	long clk_tck;	      /* USER_HZ: the unit of PID/stat's tick fields */
	bool delayacct;	      /* PROCFS/sys/kernel/task_delayacct reads 1 */
	struct kt_pool *pool; /* the cycle's snapshot's, for pooled rows */
	const struct kt_qemu_users *users; /* who may own a QEMU process */
	uint64_t now_ns;		   /* the cycle's start, monotonic */
};

/*
 * Reads the process of one running VM into @vm (CPU, vCPU rows, memory,
 * block I/O delay, I/O, as @x->collectors asks).  A process that vanished
 * is forgotten, to be looked for again; the row says invalid.
 */
void kt_sample_vm(const struct kt_sample_ctx *x, struct kt_tracker *t,
		  struct kt_vm *vm);

/*
 * Closes and forgets @t's process (not its cumulative counters: the next
 * process's counters are added to them in full).
 */
void kt_tracker_forget_process(struct kt_tracker *t);

/*
 * No /proc scan for @t's process before a back-off that doubles from
 * @first up to a minute: the scan found none, or the one it found was
 * lost soon after.
 */
void kt_tracker_scan_later(struct kt_tracker *t, uint64_t now, uint64_t first);

/*
 * Logs (with back-off) that process @pid, owned by @ruid/@euid, carries
 * @t's UUID but is refused; @count more refused ones are counted.
 */
void kt_tracker_refused(struct kt_tracker *t, pid_t pid, uint32_t ruid,
			uint32_t euid, unsigned count);

/* Frees everything @t owns. */
void kt_tracker_free(struct kt_tracker *t);

#endif
