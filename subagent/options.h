/*
 * The command line of kvmtop-subagent (README.md, "Options").
 *
 * kt_options_parse() fills a struct kt_options from argv, or says in one
 * line what is wrong.  It never exits, so tests can call it many times.
 */
#ifndef KT_OPTIONS_H
#define KT_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "collectors.h"
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

/* Notifications: queue size and the steal watch (notify/steal.h). */
#define KT_DEFAULT_NOTIFY_QUEUE 1000u
#define KT_MAX_NOTIFY_QUEUE 100000u
#define KT_DEFAULT_STEAL_HIGH 2500u /* 0.01 percent */
#define KT_DEFAULT_STEAL_NORMAL 1000u
#define KT_DEFAULT_STEAL_FOR_MS 60000u
#define KT_MAX_STEAL_FOR_MS 86400000u

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
	uint32_t notify_queue; /* notifications held at most */
	uint32_t steal_high;   /* 0.01 %: steal high at or above it */
	uint32_t steal_normal; /* 0.01 %, below steal_high */
	uint64_t steal_for_ms; /* for that long before notifying */
	bool syslog;	     /* log to syslog, else to stderr */
};

/*
 * Parses argv into @o (first reset to the defaults).  --help and --version
 * print to @out; an error prints exactly one line to @err.
 * Returns KT_OPTIONS_OK, KT_OPTIONS_EXIT or KT_OPTIONS_ERROR.
 * Not thread-safe: it uses getopt_long()'s globals.
 */
int kt_options_parse(struct kt_options *o, int argc, char **argv, FILE *out,
		     FILE *err);

/*
 * Seconds with up to nine decimals ("0.5"), KT_MIN_INTERVAL_MS to
 * KT_MAX_INTERVAL_MS, into milliseconds; false when not such a number.
 * --frequency of both programs.
 */
bool kt_parse_seconds(const char *s, uint64_t *ms);

#endif
