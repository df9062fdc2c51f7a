/*
 * kvmtop-live's command line (live/live_opts.h).  -c is the libvirt URI
 * without a HOST (as for the agent) and the community with one (as for
 * snmpget); --connection and --community are never ambiguous.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "live/live_opts.h"
#include "options.h"

enum {
	OPT_PROCFS = 256,
	OPT_SYSFS,
	OPT_STATE_DIR,
	OPT_PRINTER,
	OPT_OUTPUT,
	OPT_TARGET,
	OPT_RUNS,
	OPT_BUFFER,
	OPT_COMMUNITY,
	OPT_CONNECTION,
	OPT_COLLECTOR, /* + the collector's bit */
};

static const char short_opts[] = ":c:f:v:u:l:a:A:x:X:t:r:hV";

static const struct option long_opts[] = {
	{ "connection", required_argument, NULL, OPT_CONNECTION },
	{ "community", required_argument, NULL, OPT_COMMUNITY },
	{ "procfs", required_argument, NULL, OPT_PROCFS },
	{ "sysfs", required_argument, NULL, OPT_SYSFS },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "frequency", required_argument, NULL, 'f' },
	{ "printer", required_argument, NULL, OPT_PRINTER },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ "buffer", required_argument, NULL, OPT_BUFFER },
#define KT_LONG_COLLECTOR(up, name, help) \
	{ name, no_argument, NULL, OPT_COLLECTOR + KT_COLLECT_BIT_##up },
	KT_COLLECTOR_LIST(KT_LONG_COLLECTOR)
#undef KT_LONG_COLLECTOR
		{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " KT_LIVE_NAME " [OPTION]... [HOST[:PORT]]\n"
		"Shows the VMs of this host (the collectors in-process) or "
		"of HOST (its agent over SNMP), live or as a stream.\n\n"
		"Source, local (no HOST):\n"
		"  -c, --connection URI  libvirt URI (default %s)\n"
		"      --procfs DIR, --sysfs DIR, --state-dir DIR\n"
		"Source, HOST over SNMP (options as snmpget's):\n"
		"  -v 2c|3               SNMP version (default 2c)\n"
		"  -c, --community NAME  v2c community (default public)\n"
		"  -u USER -l LEVEL -a MD5|SHA|SHA-256.. -A PASS -x DES|AES "
		"-X PASS   v3\n"
		"  -t SECONDS -r N       timeout and retries (default 1, 2)\n"
		"Collectors (default: all): --cpu --mem --disk --net --io "
		"--host --psi\n"
		"Output:\n"
		"  --printer ncurses|text|json  (default ncurses on a "
		"terminal, else text)\n"
		"  --output stdout|file|tcp     (default stdout)\n"
		"  --target PATH|HOST:PORT      file (appended) or TCP peer\n"
		"  -f, --frequency SECONDS      between refreshes (default "
		"1)\n"
		"  --runs N                     refreshes, then exit (0: "
		"until stopped)\n"
		"  --buffer N                   TCP: records kept while "
		"disconnected (default %u)\n"
		"  -h, --help, -V, --version\n",
		KT_DEFAULT_CONNECTION, KT_LIVE_DEFAULT_BUFFER);
}

static int fail(FILE *err, const char *what, const char *value)
{
	const unsigned char *p;

	fprintf(err, "%s: %s '", KT_LIVE_NAME, what);
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, err);
	fprintf(err, "' (see --help)\n");
	return KT_OPTIONS_ERROR;
}

/* A decimal 0..max, digits only. */
static bool parse_count(const char *s, uint64_t max, uint64_t *v)
{
	*v = 0;
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' ||
		    *v > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		*v = *v * 10 + (uint64_t)(*s - '0');
	}
	return true;
}

static int pick(const char *arg, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	return -1;
}

static void defaults(struct kt_live_options *o, bool tty)
{
	memset(o, 0, sizeof(*o));
	o->connection = KT_DEFAULT_CONNECTION;
	o->procfs = KT_DEFAULT_PROCFS;
	o->sysfs = KT_DEFAULT_SYSFS;
	o->snmp.version = 2;
	o->snmp.timeout_us = 1000000;
	o->snmp.retries = 2;
	o->frequency_ms = KT_LIVE_DEFAULT_FREQUENCY_MS;
	o->printer = tty ? KT_LIVE_NCURSES : KT_LIVE_TEXT;
	o->buffer = KT_LIVE_DEFAULT_BUFFER;
}

/* The options of the remote source; 1: not one of them. */
static int snmp_opt(struct kt_live_options *o, int opt, const char *arg,
		    FILE *err)
{
	uint64_t v;

	switch (opt) {
	case 'v':
		if (strcmp(arg, "2c") != 0 && strcmp(arg, "3") != 0)
			return fail(err, "unsupported SNMP version (2c or 3)",
				    arg);
		o->snmp.version = arg[0] - '0';
		return 0;
	case 'u':
		o->snmp.user = arg;
		return 0;
	case 'l':
		o->snmp.level = arg;
		return 0;
	case 'a':
		o->snmp.auth_proto = arg;
		return 0;
	case 'A':
		o->snmp.auth_pass = arg;
		return 0;
	case 'x':
		o->snmp.priv_proto = arg;
		return 0;
	case 'X':
		o->snmp.priv_pass = arg;
		return 0;
	case OPT_COMMUNITY:
		o->snmp.community = arg;
		return 0;
	case 't':
		if (!kt_parse_seconds(arg, &v))
			return fail(err, "invalid -t timeout", arg);
		o->snmp.timeout_us = (long)(v * 1000);
		return 0;
	case 'r':
		if (!parse_count(arg, 20, &v))
			return fail(err, "invalid -r retries (0 to 20)", arg);
		o->snmp.retries = (int)v;
		return 0;
	}
	return 1;
}

static int output_opt(struct kt_live_options *o, int opt, const char *arg,
		      FILE *err)
{
	static const char *const printers[] = { "ncurses", "text", "json" };
	static const char *const outputs[] = { "stdout", "file", "tcp" };
	uint64_t v;
	int i;

	switch (opt) {
	case OPT_PRINTER:
		if ((i = pick(arg, printers, 3)) < 0)
			return fail(err,
				    "invalid --printer (ncurses, text, json)",
				    arg);
		o->printer = (enum kt_live_printer)i;
		o->printer_given = true;
		return 0;
	case OPT_OUTPUT:
		if ((i = pick(arg, outputs, 3)) < 0)
			return fail(err, "invalid --output (stdout, file, tcp)",
				    arg);
		o->output = (enum kt_live_output)i;
		return 0;
	case OPT_TARGET:
		o->target = arg;
		return 0;
	case 'f':
		if (!kt_parse_seconds(arg, &o->frequency_ms))
			return fail(err, "invalid --frequency", arg);
		return 0;
	case OPT_RUNS:
		if (!parse_count(arg, UINT32_MAX, &o->runs))
			return fail(err, "invalid --runs", arg);
		return 0;
	case OPT_BUFFER:
		if (!parse_count(arg, KT_LIVE_MAX_BUFFER, &v) || v == 0)
			return fail(err, "invalid --buffer (1 to 1000000)",
				    arg);
		o->buffer = (uint32_t)v;
		return 0;
	}
	return 1;
}

static int one_opt(struct kt_live_options *o, int opt, const char *arg,
		   const char **c_arg, FILE *out, FILE *err)
{
	int r;

	if ((r = snmp_opt(o, opt, arg, err)) != 1 ||
	    (r = output_opt(o, opt, arg, err)) != 1)
		return r;
	switch (opt) {
	case 'c':
		*c_arg = arg;
		return 0;
	case OPT_CONNECTION:
		o->connection = arg;
		return 0;
	case OPT_PROCFS:
		o->procfs = arg;
		return 0;
	case OPT_SYSFS:
		o->sysfs = arg;
		return 0;
	case OPT_STATE_DIR:
		o->state_dir = arg;
		return 0;
	case 'h':
		usage(out);
		return KT_OPTIONS_EXIT;
	case 'V':
		fprintf(out, "%s %s\n", KT_LIVE_NAME, PACKAGE_VERSION);
		return KT_OPTIONS_EXIT;
	}
	if (opt >= OPT_COLLECTOR && opt < OPT_COLLECTOR + KT_COLLECT_COUNT) {
		o->collectors |= 1u << (opt - OPT_COLLECTOR);
		return 0;
	}
	return -1;
}

/* What the options say together. */
static int check(struct kt_live_options *o, const char *c_arg, FILE *err)
{
	if (c_arg != NULL) {
		if (o->host != NULL)
			o->snmp.community = c_arg;
		else
			o->connection = c_arg;
	}
	o->snmp.host = o->host;
	if (o->collectors == 0)
		o->collectors = KT_COLLECT_ALL;
	if (o->output != KT_LIVE_STDOUT && o->target == NULL)
		return fail(err, "--output file and tcp need --target, got",
			    "");
	/* A file or a peer gets JSON lines unless told otherwise. */
	if (o->output != KT_LIVE_STDOUT &&
	    (!o->printer_given || o->printer == KT_LIVE_NCURSES))
		o->printer = KT_LIVE_JSON;
	if (o->output == KT_LIVE_TCP && strrchr(o->target, ':') == NULL)
		return fail(err, "--target of tcp is HOST:PORT, got",
			    o->target);
	return KT_OPTIONS_OK;
}

int kt_live_options_parse(struct kt_live_options *o, int argc, char **argv,
			  bool stdout_is_tty, FILE *out, FILE *err)
{
	const char *c_arg = NULL;
	char opt_text[3] = { '-', 0, 0 };
	int opt, r;

	defaults(o, stdout_is_tty);
	optind = 0; /* also resets getopt's state */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, short_opts, long_opts, NULL)) !=
	       -1) {
		if (opt == '?' || opt == ':') {
			opt_text[1] = (char)optopt;
			return fail(err,
				    opt == '?' ? "unknown option"
					       : "option needs a value",
				    optopt ? opt_text : argv[optind - 1]);
		}
		if ((r = one_opt(o, opt, optarg, &c_arg, out, err)) != 0)
			return r < 0 ? fail(err, "unknown option",
					    argv[optind - 1])
				     : r;
	}
	if (optind < argc)
		o->host = argv[optind++];
	if (optind < argc)
		return fail(err, "one HOST only, got also", argv[optind]);
	return check(o, c_arg, err);
}
