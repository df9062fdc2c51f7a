/*
 * The fields of /proc/PID/stat the agent keeps, named once.  The parser
 * (collect/procfs_parse.c) reads each by its proc(5) number, the sampler
 * (collect/vm_sample.c) keeps the counters cumulative across QEMU restarts
 * (counters.h) and copies them all into the VM's snapshot row
 * (kt_vm_mem.stat), where a column descriptor (vm_columns.c) serves one
 * with `mem.stat[KT_PS_...]`.  Another field is a line here, its number in
 * the parser's table, a column and its MIB clause.
 */
#ifndef KT_PID_STAT_H
#define KT_PID_STAT_H

#include <stdint.h>

enum kt_ps {
	/* Counters that only go up: served cumulative. */
	KT_PS_MINFLT,  /* 10, minor faults */
	KT_PS_CMINFLT, /* 11, minor faults of waited-for children */
	KT_PS_MAJFLT,  /* 12, major faults */
	KT_PS_CMAJFLT, /* 13, major faults of waited-for children */
	KT_PS_BLKIO,   /* 42, delayacct_blkio_ticks (optional) */
	KT_PS_N_COUNTERS,
	/* Values as read. */
	KT_PS_STARTTIME = KT_PS_N_COUNTERS, /* 22, clock ticks after boot */
	KT_PS_VSIZE,			    /* 23, bytes */
	KT_PS_RSS,			    /* 24, pages */
	KT_PS_PROCESSOR,		    /* 39, CPU last run on (optional) */
	KT_PS_N
};

/* The bit of field @f in kt_pid_stat.present. */
#define KT_PS_BIT(f) (1u << (f))

/* One read of PID/stat: v[f] for every field f the file had. */
struct kt_pid_stat {
	uint64_t v[KT_PS_N];
	uint32_t present; /* KT_PS_BIT(f): field f was in the file */
};

#endif
