/*
 * The command line of kvmtop-live: kvmtop's flag names where they fit
 * (--printer, --output, --target, --frequency, --runs, the collector
 * switches), the agent's collector options for the local source, and
 * snmpget's for the remote one.  kt_live_options_parse() never exits;
 * a wrong value is one line on @err.
 */
#ifndef KT_LIVE_OPTS_H
#define KT_LIVE_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "live/remote.h"

#define KT_LIVE_NAME "kvmtop-live"
#define KT_LIVE_DEFAULT_FREQUENCY_MS 1000u
#define KT_LIVE_DEFAULT_BUFFER 1000u /* records kept for a TCP target */
#define KT_LIVE_MAX_BUFFER 1000000u

enum kt_live_printer { KT_LIVE_NCURSES, KT_LIVE_TEXT, KT_LIVE_JSON };
enum kt_live_output { KT_LIVE_STDOUT, KT_LIVE_FILE, KT_LIVE_TCP };

struct kt_live_options {
	/* The source: remote when host is set. */
	const char *host;
	const char *connection; /* libvirt URI (local) */
	const char *procfs, *sysfs, *state_dir;
	struct kt_remote_config snmp;
	unsigned collectors; /* KT_COLLECT_* bits */
	uint64_t frequency_ms;
	uint64_t runs; /* 0: until stopped */
	enum kt_live_printer printer;
	bool printer_given; /* --printer was on the command line */
	enum kt_live_output output;
	const char *target; /* PATH or HOST:PORT */
	uint32_t buffer;    /* TCP: records kept while disconnected */
	int verbose;
};

/* KT_OPTIONS_OK, KT_OPTIONS_EXIT (help printed) or KT_OPTIONS_ERROR. */
int kt_live_options_parse(struct kt_live_options *o, int argc, char **argv,
			  bool stdout_is_tty, FILE *out, FILE *err);

#endif
