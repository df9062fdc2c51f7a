/*
 * Counters that never go backwards, whatever their source does.
 *
 * The sources the agent reads count from when a QEMU process (or one of
 * its devices) started: PID/stat's faults, PID/io, libvirt's block and
 * interface statistics.  A restarted process starts them again from 0,
 * which an NMS reads as a Counter64 wrap and turns into an absurd rate.
 * A kt_counter_set keeps the last raw values of a few counters of one
 * source and the totals served instead; kt_dev_counters keeps one set per
 * device of a VM, since devices come and go.
 */
#ifndef KT_COUNTERS_H
#define KT_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Counters of one source a set can keep (kt_blk_stats has the most). */
#define KT_COUNTERS_MAX 8

/* The bits of counters 0..@n-1, for kt_counters_advance()'s @reported. */
#define KT_COUNTERS_ALL(n) ((uint32_t)((1ull << (n)) - 1))

/*
 * What counter @now grew by since @old: all of it when there is no @old
 * (a first sample, a new thread or process) or when it went down (the
 * source restarted in between, so what it counted since is all new).
 */
static inline uint64_t kt_counter_growth(uint64_t now, const uint64_t *old)
{
	return old != NULL && now >= *old ? now - *old : now;
}

struct kt_counter_set {
	uint32_t seen;			/* bit i: last[i] is a sample */
	uint64_t last[KT_COUNTERS_MAX]; /* raw values of the last sample */
	uint64_t acc[KT_COUNTERS_MAX];	/* the totals served */
};

/*
 * Adds to the totals of @s the growth (kt_counter_growth()) of the raw
 * values @raw[i] whose bit i is set in @reported, against the last sample
 * of the same counter.  A counter sampled for the first time adds all of
 * it: in a zeroed set its total is its raw value, so a freshly started
 * agent serves what the source says.  Counters not reported keep their
 * total and last value.  @n <= KT_COUNTERS_MAX.
 */
void kt_counters_advance(struct kt_counter_set *s, const uint64_t *raw,
			 size_t n, uint32_t reported);

/*
 * The source was restarted (another process): its next values are all
 * new, so the next sample of each counter adds all of it.
 */
void kt_counters_restart(struct kt_counter_set *s);

/* The set of one device of a VM. */
struct kt_dev_counter {
	uint32_t index; /* the device's persistent index */
	bool listed;	/* got since the last sweep */
	struct kt_counter_set c;
};

/*
 * The sets of one kind of device (disks or interfaces) of a VM, and what
 * the devices that left the VM had counted, so that the VM's sums never
 * drop when a device is unplugged.
 */
struct kt_dev_counters {
	struct kt_dev_counter *v; /* sorted by index */
	size_t n;
	/*
	 * KT_COUNTERS_MAX totals of devices that left; NULL until one did
	 * (most VMs never lose one: 128 bytes a VM saved at scale).
	 */
	uint64_t *gone;
};

/* Both kinds, as a VM's tracker keeps them. */
struct kt_vm_dev_counters {
	struct kt_dev_counters blks; /* the kt_blk_stats of each disk */
	struct kt_dev_counters ifs;  /* the kt_if_stats of each interface */
};

/*
 * The set of device @index, made empty when new, and marked as listed.
 * NULL when out of memory.
 */
struct kt_counter_set *kt_dev_counters_get(struct kt_dev_counters *d,
					   uint32_t index);

/*
 * Forgets the devices not got since the last sweep, adding their totals
 * to d->gone: a device that comes back starts a new set (its new row
 * serves its raw values), and the sums keep what it counted before.  Call
 * only when the VM's device list is known.
 */
void kt_dev_counters_sweep(struct kt_dev_counters *d);

/*
 * @sum[i] = the totals of counter i of every device kept, plus what
 * departed devices had counted.  @n <= KT_COUNTERS_MAX.
 */
void kt_dev_counters_sum(const struct kt_dev_counters *d, uint64_t *sum,
			 size_t n);

/* Frees the sets of @d and empties it. */
void kt_dev_counters_free(struct kt_dev_counters *d);

#endif
