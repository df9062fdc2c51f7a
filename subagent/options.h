/*
 * The command line of kvmtop-subagent (design.md section 5).
 *
 * kt_options_parse() fills a struct kt_options from argv, or says in one
 * line what is wrong.  It never exits, so tests can call it many times.
 */
#ifndef KT_OPTIONS_H
#define KT_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "collect/qemu_users.h"

#define KT_PROGRAM_NAME "kvmtop-subagent"

#define KT_DEFAULT_CONNECTION "qemu:///system"
#define KT_DEFAULT_PROCFS "/proc"
#define KT_DEFAULT_SYSFS "/sys"
#define KT_DEFAULT_STATE_DIR "/var/lib/kvmtop-snmp"
#define KT_DEFAULT_INTERVAL_MS 5000u
#define KT_MIN_INTERVAL_MS 100u	     /* 0.1 s */
#define KT_MAX_INTERVAL_MS 86400000u /* one day */
/* --forget-after: days on which the agent ran; 0 never forgets. */
#define KT_DEFAULT_FORGET_AFTER_DAYS 30u
#define KT_MAX_FORGET_AFTER_DAYS 36500u /* a hundred years */

/*
 * The collectors, one line each: NAME (gives KT_COLLECT_NAME), the option
 * that selects it (--name) and its help text.  A collector's bit is its
 * position in the list, so adding one is adding a line at the end.
 */
#define KT_COLLECTOR_LIST(X)                                                   \
	X(CPU, "cpu", "CPU time and steal of the vCPU and other QEMU threads") \
	X(MEM, "mem", "memory from libvirt and from the QEMU process")     \
	X(DISK, "disk", "disks: libvirt block stats, host /proc/diskstats")  \
	X(NET, "net", "network: libvirt interface stats, host /proc/net/dev") \
	X(IO, "io", "I/O of the QEMU process, /proc/PID/io (needs root)")    \
	X(HOST, "host", "host identity, CPU and memory")                      \
	X(PSI, "psi", "host pressure stall information, /proc/pressure")

enum kt_collector_bit {
#define KT_COLLECTOR_BIT(up, name, help) KT_COLLECT_BIT_##up,
	KT_COLLECTOR_LIST(KT_COLLECTOR_BIT)
#undef KT_COLLECTOR_BIT
		KT_COLLECT_COUNT
};

/* KT_COLLECT_CPU == 0x1u, KT_COLLECT_MEM == 0x2u, ... */
enum kt_collector_mask {
#define KT_COLLECTOR_MASK(up, name, help) \
	KT_COLLECT_##up = 1u << KT_COLLECT_BIT_##up,
	KT_COLLECTOR_LIST(KT_COLLECTOR_MASK)
#undef KT_COLLECTOR_MASK
};

#define KT_COLLECT_ALL ((1u << KT_COLLECT_COUNT) - 1u)

/* The collectors that read (also) the host rather than only VMs. */
#define KT_HOST_COLLECTORS                                                     \
	(KT_COLLECT_HOST | KT_COLLECT_DISK | KT_COLLECT_NET | KT_COLLECT_PSI)

enum kt_print_mode { KT_PRINT_NONE, KT_PRINT_TEXT, KT_PRINT_JSON };

/* What kt_options_parse() returns. */
#define KT_OPTIONS_OK 0	   /* run the agent */
#define KT_OPTIONS_EXIT 1  /* --help or --version was printed: exit 0 */
#define KT_OPTIONS_ERROR 2 /* one line went to err: exit 2 */

/*
 * The strings point into argv or at the defaults above; they live as long
 * as argv does.
 */
struct kt_options {
	const char *connection;	   /* libvirt URI */
	const char *procfs;	   /* root of procfs */
	const char *sysfs;	   /* root of sysfs */
	uint64_t interval_ms;	   /* between two collections */
	const char *agentx_socket; /* NULL: net-snmp's default */
	const char *state_dir;	   /* where the VM index file lives */
	uint32_t forget_after_days; /* keys unseen longer are forgotten */
	struct kt_qemu_users qemu_users; /* who may own QEMU, besides root */
	bool foreground;
	enum kt_print_mode print;
	unsigned collectors; /* KT_COLLECT_* bits */
	int verbose;	     /* how many -v */
	bool syslog;	     /* log to syslog, else to stderr */
};

/*
 * Fills @o with the defaults (logging to syslog, as a daemon does; QEMU
 * owned by root or by KT_DEFAULT_QEMU_USER where that user exists).
 */
void kt_options_defaults(struct kt_options *o);

/*
 * Parses argv into @o (first reset to the defaults).  --help and --version
 * print to @out; an error prints exactly one line to @err.
 * Returns KT_OPTIONS_OK, KT_OPTIONS_EXIT or KT_OPTIONS_ERROR.
 * Not thread-safe: it uses getopt_long()'s globals.
 */
int kt_options_parse(struct kt_options *o, int argc, char **argv, FILE *out,
		     FILE *err);

#endif
