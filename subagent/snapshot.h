/*
 * The snapshot: one collection cycle's view of the host and its VMs.
 *
 * A snapshot is immutable once published.  The collector thread builds it,
 * computes rates against the previous one, and hands it to the SNMP thread,
 * which serves every request from it.  Reference counted, because the
 * collector keeps the previous snapshot for the next cycle's rates while the
 * SNMP thread may still serve it.
 *
 * Counters here are cumulative and never go backwards for the life of a row
 * (see collect/collector.c); percentages are in hundredths of a percent.
 */
#ifndef KT_SNAPSHOT_H
#define KT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define KT_UUID_LEN 36

/* RFC 7666 VirtualMachineOperState values. */
enum kt_vm_state {
	KT_VM_UNKNOWN = 1,
	KT_VM_OTHER = 2,
	KT_VM_PREPARING = 3,
	KT_VM_RUNNING = 4,
	KT_VM_SUSPENDING = 5,
	KT_VM_SUSPENDED = 6,
	KT_VM_RESUMING = 7,
	KT_VM_PAUSED = 8,
	KT_VM_MIGRATING = 9,
	KT_VM_SHUTTINGDOWN = 10,
	KT_VM_SHUTDOWN = 11,
	KT_VM_CRASHED = 12,
};

/* CPU of one VM, from the schedstat of its QEMU threads. */
struct kt_vm_cpu {
	bool valid;	  /* the threads were read this cycle */
	bool vcpus_found; /* at least one "CPU n/..." thread was seen */
	uint32_t vcpus;	  /* vCPUs libvirt reports */
	uint32_t vcpu_threads;
	uint32_t other_threads;
	uint64_t run_ns;  /* vCPU threads: time on a CPU */
	uint64_t wait_ns; /* vCPU threads: time runnable but waiting (steal) */
	uint64_t other_run_ns;
	uint64_t other_wait_ns;
	bool has_rate;	/* two samples over a known interval exist */
	uint32_t total; /* 0.01 %, averaged over the vCPUs (10000 = all busy) */
	uint32_t steal; /* 0.01 %, averaged over the vCPUs */
	uint32_t other_total; /* 0.01 % of one host CPU */
	uint32_t other_steal; /* 0.01 % of one host CPU */
};

/* Memory of one VM: libvirt's figures and the QEMU process's. */
struct kt_vm_mem {
	bool has_libvirt;
	uint64_t max_kib; /* most the VM may use */
	uint64_t cur_kib; /* what it has now (balloon size) */
	bool has_proc;
	uint64_t vsize; /* bytes */
	uint64_t rss;	/* bytes */
	uint64_t minflt, cminflt, majflt, cmajflt;
};

struct kt_vm {
	uint32_t index; /* persistent per UUID, see index.h */
	char uuid[KT_UUID_LEN + 1];
	char *name;
	enum kt_vm_state state;
	bool active;	 /* libvirt says the domain is running or paused */
	pid_t pid;	 /* QEMU process, 0 when none was found */
	bool data_valid; /* every source that applies was read this cycle */
	struct kt_vm_cpu cpu;
	struct kt_vm_mem mem;
};

struct kt_snapshot {
	int refs;		/* atomic, see kt_snapshot_ref() */
	uint64_t seq;		/* collection number, 1 for the first */
	uint64_t taken_mono_ns; /* CLOCK_MONOTONIC when the cycle started */
	int64_t finished_unix;	/* wall clock seconds when the cycle ended */
	uint64_t finished_mono_ns;
	uint64_t duration_ns; /* how long the cycle took */
	uint64_t interval_ns; /* since the previous cycle, 0 for the first */
	bool libvirt_connected;
	size_t n_vms;
	struct kt_vm *vms; /* sorted by index */
};

/* @n_vms zeroed rows, one reference for the caller; NULL when out of memory. */
struct kt_snapshot *kt_snapshot_new(size_t n_vms);
/* Takes another reference (thread-safe); returns @snap.  NULL-safe. */
struct kt_snapshot *kt_snapshot_ref(struct kt_snapshot *snap);
/*
 * Drops a reference (thread-safe); the last one frees the rows, each row's
 * malloc'd name, and the snapshot.  NULL-safe.
 */
void kt_snapshot_unref(struct kt_snapshot *snap);

/* Sorts the rows by index; call once all rows are filled. */
void kt_snapshot_sort(struct kt_snapshot *snap);

/* The row with this index, or NULL. O(log n). */
const struct kt_vm *kt_snapshot_find(const struct kt_snapshot *snap,
				     uint32_t index);

/*
 * Fills the rate fields of @cur from the counters of @prev (may be NULL).
 * A row gets rates only when @prev has the same row with counters that did
 * not go down, and the interval is known.
 * Both snapshots must be sorted by index (kt_snapshot_sort()); rows may
 * differ between them.  O(rows of cur + rows of prev).  Rows without a
 * valid CPU sample get has_rate = false; rows without vCPU threads get
 * total = steal = 0 and the other threads' rates.
 */
void kt_snapshot_compute_rates(struct kt_snapshot *cur,
			       const struct kt_snapshot *prev);

/*
 * Hundredths of a percent of @delta_ns over @interval_ns averaged over @cpus
 * CPUs: delta * 10000 / (interval * cpus), rounded half up, exact for any
 * inputs.  0 when @interval_ns or @cpus is 0; saturates at UINT32_MAX.
 */
uint32_t kt_rate_centi_percent(uint64_t delta_ns, uint64_t interval_ns,
			       uint32_t cpus);

#endif
