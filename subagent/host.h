/*
 * The host part of a snapshot: identity, CPU, memory, block devices,
 * network interfaces and pressure stall information, as read from procfs
 * and sysfs.  Plain structs: no SNMP, no I/O here.
 */
#ifndef KT_HOST_H
#define KT_HOST_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The fields of the "cpu" line of /proc/stat, in the file's order. */
enum kt_cpu_field {
	KT_CPU_USER,
	KT_CPU_NICE,
	KT_CPU_SYSTEM,
	KT_CPU_IDLE,
	KT_CPU_IOWAIT,
	KT_CPU_IRQ,
	KT_CPU_SOFTIRQ,
	KT_CPU_STEAL,
	KT_CPU_GUEST,
	KT_CPU_GUEST_NICE,
	KT_CPU_NFIELDS
};

struct kt_host_cpu {
	bool valid;			    /* PROCFS/stat was read */
	uint64_t ticks[KT_CPU_NFIELDS];	    /* USER_HZ ticks since boot */
	unsigned nfields;		    /* fields the line had (4..10): old
					       kernels lack the last ones */
	bool has_rate;			    /* two samples */
	uint32_t pct[KT_CPU_NFIELDS];	    /* 0.01 % of all CPUs */
	uint32_t cores;			    /* processors in cpuinfo, 0 unknown */
	bool has_freq;			    /* cpufreq in sysfs */
	uint32_t cur_mhz, min_mhz, max_mhz;
};

/* kvmtop's list of /proc/meminfo fields (kvmtopHostMemTable rows). */
#define KT_MEMINFO_N 47
extern const char *const kt_meminfo_names[KT_MEMINFO_N];

struct kt_meminfo {
	bool present[KT_MEMINFO_N];
	uint64_t value[KT_MEMINFO_N];	/* KiB, or a count (HugePages_*) */
	bool in_kib[KT_MEMINFO_N];
};

/* One line of /proc/diskstats (kvmtopHostDiskTable). */
struct kt_host_disk {
	uint32_t index;			/* persistent per name */
	char name[32];
	uint32_t major, minor;
	uint64_t reads, reads_merged, sectors_read, read_ms;
	uint64_t writes, writes_merged, sectors_written, write_ms;
	uint64_t in_flight, io_ms, weighted_ms;
	bool has_rate;
	uint32_t ioutil;		/* 0.01 % */
	uint32_t queue_size;		/* 0.01 requests */
	bool has_queue_time, has_service_time;
	uint32_t queue_time_us, service_time_us;
};

enum kt_net_type {
	KT_NET_PHYSICAL = 1,
	KT_NET_BRIDGE = 2,
	KT_NET_TAP = 3,
	KT_NET_OTHER = 4
};

/* One interface of /proc/net/dev (kvmtopHostNetTable), the host's view. */
struct kt_host_net {
	uint32_t ifindex;
	uint32_t speed_mbps;
	bool has_speed;
	enum kt_net_type type;
	char name[IFNAMSIZ];		/* the kernel's limit: 15 bytes and NUL */
	uint64_t rx[8];			/* bytes packets errs drop fifo frame compressed multicast */
	uint64_t tx[8];			/* bytes packets errs drop fifo colls carrier compressed */
};

enum kt_psi_resource { KT_PSI_CPU, KT_PSI_IO, KT_PSI_MEMORY, KT_PSI_NRES };
enum kt_psi_kind { KT_PSI_SOME, KT_PSI_FULL, KT_PSI_NKINDS };

struct kt_psi_line {
	bool valid;
	uint32_t avg10, avg60, avg300;	/* 0.01 % */
	uint64_t total_us;
};

struct kt_host {
	bool valid;			/* the host collector ran */
	char hostname[256];		/* "" unknown */
	char uuid[37];			/* "" unreadable */
	struct kt_host_cpu cpu;
	struct kt_meminfo mem;
	size_t n_disks;
	struct kt_host_disk *disks;	/* sorted by index */
	size_t n_nets;
	struct kt_host_net *nets;	/* sorted by ifindex */
	struct kt_psi_line psi[KT_PSI_NRES][KT_PSI_NKINDS];
	uint32_t vms_running, vms_paused, vms_shutdown, vms_other;
};

/*
 * Presence rules of the host's values (see snapshot.h): the descriptors in
 * host_columns.c name them, for the SNMP handlers and the printers alike.
 * Every host value needs the host collector to have run (h->valid).
 */
static inline bool kt_host_has_name(const struct kt_host *h)
{
	return h->valid && h->hostname[0] != '\0';
}

static inline bool kt_host_has_uuid(const struct kt_host *h)
{
	return h->valid && h->uuid[0] != '\0';
}

static inline bool kt_host_has_cores(const struct kt_host *h)
{
	return h->valid && h->cpu.cores != 0;
}

static inline bool kt_host_has_freq(const struct kt_host *h)
{
	return h->valid && h->cpu.has_freq;
}

/* Field @f of the cpu line: the kernel printed it. */
static inline bool kt_host_has_ticks(const struct kt_host *h, unsigned f)
{
	return h->valid && h->cpu.valid && f < h->cpu.nfields;
}

static inline bool kt_host_has_pct(const struct kt_host *h, unsigned f)
{
	return kt_host_has_ticks(h, f) && h->cpu.has_rate;
}

static inline bool kt_host_has_counts(const struct kt_host *h)
{
	return h->valid;
}

static inline bool kt_host_disk_has_rate(const struct kt_host_disk *d)
{
	return d->has_rate;
}

static inline bool kt_host_disk_has_queue_time(const struct kt_host_disk *d)
{
	return d->has_rate && d->has_queue_time;
}

static inline bool kt_host_disk_has_service_time(const struct kt_host_disk *d)
{
	return d->has_rate && d->has_service_time;
}

static inline bool kt_host_net_has_speed(const struct kt_host_net *n)
{
	return n->has_speed;
}

/* Frees the arrays @h owns and zeroes it. */
void kt_host_clear(struct kt_host *h);

#endif
