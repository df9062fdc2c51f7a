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

#include "host.h"
#include "pid_stat.h"

#define KT_UUID_LEN 36

struct kt_pool;

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

/*
 * The rows' structs keep their flags together and their 64-bit fields
 * together: two snapshots of 1000 VMs hold 2000 of each, and holes from
 * padding were a seventh of a row.
 */

/* CPU of one VM, from the schedstat of its QEMU threads. */
struct kt_vm_cpu {
	bool valid;	  /* the threads were read this cycle */
	bool vcpus_found; /* at least one "CPU n/..." thread was seen */
	bool has_rate;	  /* two samples over a known interval exist */
	uint32_t vcpus;	  /* vCPUs libvirt reports */
	uint32_t vcpu_threads;
	uint32_t other_threads;
	uint32_t total; /* 0.01 %, averaged over the vCPUs (10000 = all busy) */
	uint32_t steal; /* 0.01 %, averaged over the vCPUs */
	uint32_t other_total; /* 0.01 % of one host CPU */
	uint32_t other_steal; /* 0.01 % of one host CPU */
	uint64_t run_ns;      /* vCPU threads: time on a CPU */
	uint64_t wait_ns; /* vCPU threads: time runnable but waiting (steal) */
	uint64_t other_run_ns;
	uint64_t other_wait_ns;
};

/* Memory of one VM: libvirt's figures and the QEMU process's. */
struct kt_vm_mem {
	bool has_libvirt; /* max_kib, cur_kib */
	bool has_proc;	  /* stat and rss (PID/stat) */
	bool has_swap;	  /* swap (PID/status) */
	uint64_t max_kib; /* most the VM may use */
	uint64_t cur_kib; /* what it has now (balloon size) */
	/* PID/stat's fields (pid_stat.h): counters cumulative, the rest as
	 * read */
	uint64_t stat[KT_PS_N];
	uint64_t rss;  /* bytes: stat[KT_PS_RSS] pages x the page size */
	uint64_t swap; /* bytes of the process swapped out (VmSwap) */
};

/* One vCPU thread (kvmtopVcpuTable). */
struct kt_vcpu {
	uint32_t number; /* the n of "CPU n/KVM" */
	pid_t tid;
	int processor; /* host CPU it last ran on, -1 unknown */
	bool has_rate;
	uint32_t total; /* 0.01 % of one CPU */
	uint32_t steal;
	uint64_t run_ns; /* cumulative, like kt_vm_cpu's */
	uint64_t wait_ns;
};

/* Block statistics as libvirt names them (times in ns). */
struct kt_blk_stats {
	uint64_t rd_bytes, rd_reqs, rd_ns;
	uint64_t wr_bytes, wr_reqs, wr_ns;
	uint64_t fl_reqs, fl_ns;
};

/*
 * Which values of a disk libvirt reported (kt_blk.present, and in
 * kt_vm_disk.present the values at least one disk reported): drivers and
 * disk types differ, and a value not reported is absent, never a 0.
 */
enum kt_blk_value {
	KT_BLK_CAPACITY = 1u << 0,
	KT_BLK_ALLOCATION = 1u << 1,
	KT_BLK_PHYSICAL = 1u << 2,
	KT_BLK_RD_BYTES = 1u << 3,
	KT_BLK_RD_REQS = 1u << 4,
	KT_BLK_RD_NS = 1u << 5,
	KT_BLK_WR_BYTES = 1u << 6,
	KT_BLK_WR_REQS = 1u << 7,
	KT_BLK_WR_NS = 1u << 8,
	KT_BLK_FL_REQS = 1u << 9,
	KT_BLK_FL_NS = 1u << 10,
};
#define KT_BLK_INFO (KT_BLK_CAPACITY | KT_BLK_ALLOCATION | KT_BLK_PHYSICAL)
#define KT_BLK_STATS (((KT_BLK_FL_NS << 1) - 1) & ~KT_BLK_INFO)

/* One disk of a VM (kvmtopVmBlkTable). */
struct kt_blk {
	uint32_t index;	    /* persistent per (VM, target) */
	uint32_t present;   /* KT_BLK_* bits: the values libvirt reported */
	bool has_info;	    /* some KT_BLK_INFO bit is set */
	bool has_stats;	    /* some KT_BLK_STATS bit is set */
	const char *target; /* "vda"; shared (shared_str.h), like source */
	const char *source; /* path, "" when none */
	uint64_t capacity, allocation, physical; /* bytes */
	struct kt_blk_stats st;
	dev_t host_dev; /* host device of a local source (st_rdev of a block
			   device, st_dev of a file), 0 unknown */
};

/* Interface counters, the guest's view (rx: what the guest received). */
struct kt_if_stats {
	uint64_t rx_bytes, rx_packets, rx_errs, rx_drop;
	uint64_t tx_bytes, tx_packets, tx_errs, tx_drop;
};

/*
 * The counters of a tap device's /proc/net/dev row that libvirt does not
 * report, in the host's view (the tap receives what the guest sends).
 */
enum kt_tap_counter {
	KT_TAP_RX_FIFO,
	KT_TAP_RX_FRAME,
	KT_TAP_RX_COMPRESSED,
	KT_TAP_RX_MULTICAST,
	KT_TAP_TX_FIFO,
	KT_TAP_TX_COLLS,
	KT_TAP_TX_CARRIER,
	KT_TAP_TX_COMPRESSED,
	KT_TAP_N
};

/* One network interface of a VM (kvmtopVmIfTable). */
struct kt_iface {
	uint32_t index;	       /* persistent per (VM, MAC) */
	uint32_t host_ifindex; /* 0 unknown */
	char mac[18];	       /* lowercase "52:54:00:..." */
	bool has_stats;
	/*
	 * The last /proc/net/dev sample of its tap, which the next
	 * collection's growth is measured against (collect/vm_netdev.c).
	 */
	bool tap_sampled;
	uint32_t tap_ifindex; /* the tap sampled: another one is a new tap */
	const char *name;     /* host tap device, e.g. "vnet3"; "" unknown;
				 shared (shared_str.h), like model */
	const char *model;    /* "virtio"; "" unknown */
	struct kt_if_stats st;
	uint64_t tap_last[KT_TAP_N];
};

/* Sums over a VM's disks (kvmtopVmDiskTable). */
struct kt_vm_disk {
	bool valid;	/* the row exists: a disk list or the process */
	bool has_count; /* the disk list is known (count is right) */
	bool has_info;
	bool has_stats;
	bool has_delay; /* delay accounting on */
	bool has_ioutil;
	uint32_t count;
	uint32_t present; /* KT_BLK_* bits any disk reported: summed */
	uint32_t ioutil;  /* 0.01 % */
	uint64_t capacity, allocation, physical;
	uint64_t delay_blkio_ns;
	struct kt_blk_stats st;
};

/* Sums over a VM's interfaces (kvmtopVmNetTable). */
struct kt_vm_net {
	bool valid;	 /* the interface list is known */
	bool has_stats;	 /* some interface reported counters; sums over those */
	bool has_tap;	 /* some interface's tap has a /proc/net/dev row */
	bool tap_rebase; /* the taps' last samples were lost: see vm_netdev.c */
	uint32_t count;
	struct kt_if_stats st;
	/*
	 * The host's counters of the VM's taps, cumulative per VM (see
	 * collect/vm_netdev.c): kept from row to row even while no tap is
	 * seen, served only when has_tap.
	 */
	uint64_t tap[KT_TAP_N];
};

/* PROCFS/PID/io of the QEMU process (kvmtopVmIoTable). */
struct kt_vm_io {
	bool valid;
	uint64_t read_bytes, write_bytes, rchar, wchar, syscr, syscw;
	uint64_t cancelled_write_bytes;
};

struct kt_vm {
	uint32_t index; /* persistent per UUID, see index.h */
	enum kt_vm_state state;
	pid_t pid; /* QEMU process, 0 when none was found */
	char uuid[KT_UUID_LEN + 1];
	bool active;	 /* libvirt says the domain is running or paused */
	bool data_valid; /* every source that applies was read this cycle */
	/*
	 * name, vcpus, blks and ifs are carved out of the snapshot's region
	 * (pool.h), freed with it; false: each is malloc'd on its own.
	 */
	bool pooled;
	char *name;
	struct kt_vm_cpu cpu;
	struct kt_vm_mem mem;
	struct kt_vm_disk disk;
	struct kt_vm_net net;
	struct kt_vm_io io;
	/* Per-device rows, each array owned by the row and sorted by index. */
	size_t n_vcpus;
	struct kt_vcpu *vcpus; /* sorted by number */
	size_t n_blks;
	struct kt_blk *blks;
	size_t n_ifs;
	struct kt_iface *ifs;
	/*
	 * Position of this VM's first device in the flat (VM, device) row
	 * list of each device table: the rows of all VMs before it.  Set by
	 * kt_snapshot_number_devices(), so that a device table can find a
	 * row by binary search without allocating.
	 */
	size_t vcpu_row0, blk_row0, if_row0;
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
	/* Device rows over all VMs; valid only when devices_numbered. */
	bool devices_numbered;
	size_t n_vcpu_rows, n_blk_rows, n_if_rows;
	struct kt_host host;
	struct kt_pool *pool; /* the pooled rows' pieces; NULL when none */
};

/*
 * Presence rules: when a value of a row is there.  A value that is not is
 * unavailable (no instance over SNMP, "-" or null in --print), never a
 * made-up 0.  The column descriptors (columns.h) name these, so the SNMP
 * handlers and the printers agree.  The tables whose rows a VM has only
 * with data (kvmtopVmCpuTable: cpu.valid, kvmtopVmDiskTable: disk.valid,
 * kvmtopVmNetTable: net.valid, kvmtopVmIoTable: io.valid) apply that too.
 */
static inline bool kt_vm_has_cpu(const struct kt_vm *vm)
{
	return vm->cpu.valid;
}

static inline bool kt_vm_has_vcpu_count(const struct kt_vm *vm)
{
	return vm->cpu.vcpus != 0; /* 0: libvirt did not say */
}

static inline bool kt_vm_has_vcpu_times(const struct kt_vm *vm)
{
	return vm->cpu.valid && vm->cpu.vcpus_found;
}

static inline bool kt_vm_has_vcpu_rates(const struct kt_vm *vm)
{
	return kt_vm_has_vcpu_times(vm) && vm->cpu.has_rate;
}

static inline bool kt_vm_has_other_rates(const struct kt_vm *vm)
{
	return vm->cpu.valid && vm->cpu.has_rate;
}

static inline bool kt_vm_has_mem_libvirt(const struct kt_vm *vm)
{
	return vm->mem.has_libvirt;
}

static inline bool kt_vm_has_mem_proc(const struct kt_vm *vm)
{
	return vm->mem.has_proc;
}

static inline bool kt_vm_has_disk(const struct kt_vm *vm)
{
	return vm->disk.valid;
}

static inline bool kt_vm_has_mem_swap(const struct kt_vm *vm)
{
	return vm->mem.has_swap;
}

/* A KT_BLK_* value summed over the VM's disks. */
static inline bool kt_vm_has_disk_value(const struct kt_vm *vm, uint32_t bit)
{
	return vm->disk.valid && (vm->disk.present & bit) != 0;
}

static inline bool kt_vm_has_disk_count(const struct kt_vm *vm)
{
	return vm->disk.valid && vm->disk.has_count;
}

static inline bool kt_vm_has_disk_delay(const struct kt_vm *vm)
{
	return vm->disk.valid && vm->disk.has_delay;
}

static inline bool kt_vm_has_disk_ioutil(const struct kt_vm *vm)
{
	return vm->disk.valid && vm->disk.has_ioutil;
}

static inline bool kt_vm_has_net(const struct kt_vm *vm)
{
	return vm->net.valid;
}

static inline bool kt_vm_has_net_stats(const struct kt_vm *vm)
{
	return vm->net.valid && vm->net.has_stats;
}

static inline bool kt_vm_has_net_tap(const struct kt_vm *vm)
{
	return vm->net.valid && vm->net.has_tap;
}

static inline bool kt_vm_has_io(const struct kt_vm *vm)
{
	return vm->io.valid;
}

static inline bool kt_vcpu_has_rate(const struct kt_vcpu *c)
{
	return c->has_rate;
}

static inline bool kt_blk_has_value(const struct kt_blk *b, uint32_t bit)
{
	return (b->present & bit) != 0;
}

static inline bool kt_iface_has_stats(const struct kt_iface *f)
{
	return f->has_stats;
}

/* @n_vms zeroed rows, one reference for the caller; NULL when out of memory. */
struct kt_snapshot *kt_snapshot_new(size_t n_vms);
/* Takes another reference (thread-safe); returns @snap.  NULL-safe. */
struct kt_snapshot *kt_snapshot_ref(struct kt_snapshot *snap);
/*
 * Drops a reference (thread-safe); the last one frees the rows, each row's
 * malloc'd name, and the snapshot, and returns true.  NULL-safe.
 */
bool kt_snapshot_unref(struct kt_snapshot *snap);

/*
 * Drops what row @vm owns (its device strings; its name and arrays unless
 * pooled) and zeroes it.
 */
void kt_vm_clear(struct kt_vm *vm);

/* Drops the string references of disks @blks and interfaces @ifs. */
void kt_devices_clear_strings(struct kt_blk *blks, size_t n_blks,
			      struct kt_iface *ifs, size_t n_ifs);
/* Drop the string references of one disk / interface. */
void kt_blk_clear_strings(struct kt_blk *b);
void kt_iface_clear_strings(struct kt_iface *f);

/* Deep copy of @src into @dst, malloc'd (zeroed on failure); 0 or -ENOMEM. */
int kt_vm_copy(struct kt_vm *dst, const struct kt_vm *src);

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
 * total = steal = 0 and the other threads' rates.  A vCPU row gets rates
 * (of one CPU, clamped to 10000) when @prev's row of the VM, also with a
 * valid CPU sample, has the same vCPU number on the same thread id.
 */
void kt_snapshot_compute_rates(struct kt_snapshot *cur,
			       const struct kt_snapshot *prev);

/*
 * Numbers the device rows of every VM (vcpu_row0, blk_row0, if_row0 and the
 * snapshot's totals) and sets devices_numbered.  Call after
 * kt_snapshot_sort(), once the device arrays are final.  O(rows).
 * (subagent/snapshot_devices.c)
 */
void kt_snapshot_number_devices(struct kt_snapshot *snap);

/*
 * Hundredths of a percent of @delta_ns over @interval_ns averaged over @cpus
 * CPUs: delta * 10000 / (interval * cpus), rounded half up, exact for any
 * inputs.  0 when @interval_ns or @cpus is 0; saturates at UINT32_MAX.
 */
uint32_t kt_rate_centi_percent(uint64_t delta_ns, uint64_t interval_ns,
			       uint32_t cpus);

#endif
