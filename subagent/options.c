/*
 * Command line parsing: getopt_long() into struct kt_options, value checks,
 * --help and --version.  Every error is one line naming the option and the
 * value, because that line is all a user sees when the unit fails to start.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

_Static_assert(KT_DEFAULT_INTERVAL_MS % 1000 == 0,
	       "--help prints the default frequency in whole seconds");
_Static_assert(KT_COLLECT_COUNT <= 32, "collectors must fit an unsigned");

#define NS_PER_MS 1000000ull
#define MIN_INTERVAL_NS (KT_MIN_INTERVAL_MS * NS_PER_MS)
#define MAX_INTERVAL_NS (KT_MAX_INTERVAL_MS * NS_PER_MS)

/* Values of the options without a short form; a collector's is FIRST + bit. */
enum {
	OPT_PROCFS = 256,
	OPT_SYSFS,
	OPT_STATE_DIR,
	OPT_FORGET_AFTER,
	OPT_QEMU_USER,
	OPT_PRINT,
	OPT_LOG,
	OPT_NOTIFY_QUEUE,
	OPT_STEAL_HIGH,
	OPT_STEAL_NORMAL,
	OPT_STEAL_FOR,
	OPT_COLLECTOR_FIRST,
};

/*
 * '+': stop at the first non-option instead of permuting argv, so a stray
 * argument is reported rather than silently moved.  ':': report a missing
 * argument as ':' so we can word the message ourselves.
 */
static const char short_opts[] = "+:c:f:x:FvhV";

#define COLLECTOR_OPTION(up, name, help) \
	{ name, no_argument, NULL, OPT_COLLECTOR_FIRST + KT_COLLECT_BIT_##up },

static const struct option long_opts[] = {
	{ "connection", required_argument, NULL, 'c' },
	{ "procfs", required_argument, NULL, OPT_PROCFS },
	{ "sysfs", required_argument, NULL, OPT_SYSFS },
	{ "frequency", required_argument, NULL, 'f' },
	{ "agentx-socket", required_argument, NULL, 'x' },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "forget-after", required_argument, NULL, OPT_FORGET_AFTER },
	{ "qemu-user", required_argument, NULL, OPT_QEMU_USER },
	{ "foreground", no_argument, NULL, 'F' },
	{ "print", required_argument, NULL, OPT_PRINT },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "notify-queue", required_argument, NULL, OPT_NOTIFY_QUEUE },
	{ "steal-high", required_argument, NULL, OPT_STEAL_HIGH },
	{ "steal-normal", required_argument, NULL, OPT_STEAL_NORMAL },
	{ "steal-for", required_argument, NULL, OPT_STEAL_FOR },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	KT_COLLECTOR_LIST(COLLECTOR_OPTION){ NULL, 0, NULL, 0 },
};

/* What the loop remembers besides the options themselves. */
struct parse_state {
	unsigned collectors;	      /* collector switches given */
	bool log_set;		      /* --log given */
	const char *steal_normal_arg; /* --steal-normal given, for the check */
};

/*
 * The uid of user @name, or of a decimal uid; false when there is none.
 * Looked up once, at start: the agent never asks NSS in its cycle.
 */
static bool user_uid(const char *name, uint32_t *uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	uint64_t v = 0;
	const char *p;

	if (*name >= '0' && *name <= '9') {
		for (p = name; *p >= '0' && *p <= '9' && v < UINT32_MAX; p++)
			v = v * 10 + (uint64_t)(*p - '0');
		if (*p != '\0' || v >= UINT32_MAX)
			return false;
		*uid = (uint32_t)v;
		return true;
	}
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return false;
	*uid = (uint32_t)pw.pw_uid;
	return true;
}

/* Fills @o with the defaults (logging to syslog, as a daemon does). */
static void set_defaults(struct kt_options *o)
{
	memset(o, 0, sizeof(*o));
	o->connection = KT_DEFAULT_CONNECTION;
	o->procfs = KT_DEFAULT_PROCFS;
	o->sysfs = KT_DEFAULT_SYSFS;
	o->interval_ms = KT_DEFAULT_INTERVAL_MS;
	o->agentx_socket = NULL;
	o->state_dir = KT_DEFAULT_STATE_DIR;
	o->forget_after_days = KT_DEFAULT_FORGET_AFTER_DAYS;
	if (user_uid(KT_DEFAULT_QEMU_USER, &o->qemu_users.uid[0]))
		o->qemu_users.n = 1;
	o->print = KT_PRINT_NONE;
	o->collectors = KT_COLLECT_ALL;
	o->syslog = true;
	o->notify_queue = KT_DEFAULT_NOTIFY_QUEUE;
	o->steal_high = KT_DEFAULT_STEAL_HIGH;
	o->steal_normal = KT_DEFAULT_STEAL_NORMAL;
	o->steal_for_ms = KT_DEFAULT_STEAL_FOR_MS;
}

/*
 * Prints "kvmtop-subagent: BEFORE'VALUE'AFTER" as one line.  Control
 * characters in VALUE become '?' so that the message stays one line.
 */
static int fail(FILE *err, const char *before, const char *value,
		const char *after)
{
	const unsigned char *p;

	fprintf(err, "%s: %s'", KT_PROGRAM_NAME, before);
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, err);
	fprintf(err, "'%s\n", after);
	return KT_OPTIONS_ERROR;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [OPTION]...\n"
		"Serve per-VM KVM statistics (kvmtop's metrics) to snmpd over "
		"AgentX.\n"
		"\n"
		"  -c, --connection URI      libvirt URI, opened read-only "
		"(default %s)\n"
		"      --procfs PATH         where procfs is mounted (default "
		"%s)\n"
		"      --sysfs PATH          where sysfs is mounted (default "
		"%s)\n"
		"  -f, --frequency SECONDS   time between collections, %g to "
		"%u, fractions\n"
		"                            allowed (default %u)\n"
		"  -x, --agentx-socket ADDR  snmpd's AgentX address (default: "
		"net-snmp's)\n"
		"      --state-dir DIR       where the persistent VM indexes "
		"are kept\n"
		"                            (default %s)\n"
		"      --forget-after DAYS   forget the index of a VM, device "
		"or disk not\n"
		"                            seen for more than DAYS days the "
		"agent ran, 0\n"
		"                            to %u; 0: never (default %u)\n"
		"      --qemu-user NAME[,NAME...]\n"
		"                            users (or uids) that may own a "
		"VM's QEMU\n"
		"                            process; root always may "
		"(default %s)\n"
		"  -F, --foreground          stay in the foreground (default: "
		"daemonize)\n"
		"      --print text|json     collect twice one interval apart, "
		"print the\n"
		"                            result and exit, without SNMP "
		"(default: off)\n"
		"      --log stderr|syslog   where log lines go (default: "
		"stderr with\n"
		"                            --foreground or --print, else "
		"syslog)\n"
		"      --notify-queue N      notifications held while snmpd "
		"is away, 1 to\n"
		"                            %u; the oldest are dropped beyond "
		"(default %u)\n"
		"      --steal-high PCT      notify when a VM's CPU steal is "
		"at or above\n"
		"                            PCT percent, 0.01 to 100 (default "
		"%u)\n"
		"      --steal-normal PCT    then again when it is at or below "
		"PCT, below\n"
		"                            --steal-high (default %u, or "
		"half of a lower\n"
		"                            --steal-high)\n"
		"      --steal-for SECONDS   ...for that long, 0 to %u "
		"(default %u)\n"
		"  -v, --verbose             log debug lines too (default: "
		"off)\n"
		"  -h, --help                print this help and exit\n"
		"  -V, --version             print the version and exit\n"
		"\n"
		"Collectors (default: all of them; naming some runs only "
		"those):\n",
		KT_PROGRAM_NAME, KT_DEFAULT_CONNECTION, KT_DEFAULT_PROCFS,
		KT_DEFAULT_SYSFS, KT_MIN_INTERVAL_MS / 1000.0,
		KT_MAX_INTERVAL_MS / 1000u, KT_DEFAULT_INTERVAL_MS / 1000u,
		KT_DEFAULT_STATE_DIR, KT_MAX_FORGET_AFTER_DAYS,
		KT_DEFAULT_FORGET_AFTER_DAYS, KT_DEFAULT_QEMU_USER,
		KT_MAX_NOTIFY_QUEUE, KT_DEFAULT_NOTIFY_QUEUE,
		KT_DEFAULT_STEAL_HIGH / 100u, KT_DEFAULT_STEAL_NORMAL / 100u,
		KT_MAX_STEAL_FOR_MS / 1000u, KT_DEFAULT_STEAL_FOR_MS / 1000u);
#define COLLECTOR_HELP(up, name, help) \
	fprintf(out, "      --%-20s%s\n", name, help);
	KT_COLLECTOR_LIST(COLLECTOR_HELP)
#undef COLLECTOR_HELP
}

/*
 * Seconds, with an optional fraction ("5", "0.5", ".25"), to milliseconds,
 * rounded.  Parsed by hand rather than with strtod() so that the locale's
 * decimal point, exponents, hex floats, "nan" and "inf" never get in, and
 * the range check is exact.
 */
static bool parse_seconds_in(const char *s, uint64_t min_ns, uint64_t max_ns,
			     uint64_t *ms)
{
	uint64_t ns = 0, unit = 1000000000ull; /* ns of the next digit */
	bool digits = false, point = false, beyond = false;

	*ms = 0;
	for (; *s != '\0'; s++) {
		if (*s == '.' && !point) {
			point = true;
			continue;
		}
		if (*s < '0' || *s > '9')
			return false;
		digits = true;
		if (!point) {
			if (ns > max_ns)
				return false; /* too big, and no overflow */
			ns = ns * 10 + (uint64_t)(*s - '0') * unit;
		} else if (unit > 1) {
			unit /= 10;
			ns += (uint64_t)(*s - '0') * unit;
		} else if (*s != '0') {
			beyond = true; /* below a nanosecond */
		}
	}
	if (!digits || ns < min_ns || ns > max_ns || (ns == max_ns && beyond))
		return false;
	*ms = (ns + NS_PER_MS / 2) / NS_PER_MS;
	return true;
}

bool kt_parse_seconds(const char *s, uint64_t *ms)
{
	return parse_seconds_in(s, MIN_INTERVAL_NS, MAX_INTERVAL_NS, ms);
}

/*
 * A percentage with at most two decimals ("25", "7.5", "0.01") in
 * hundredths, @min to 10000; by hand like kt_parse_seconds().
 */
static bool parse_percent(const char *s, uint32_t min, uint32_t *hundredths)
{
	uint32_t v = 0;
	int decimals = -1; /* -1: no point yet */
	bool digits = false;

	for (; *s != '\0'; s++) {
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals == 2)
			return false;
		digits = true;
		v = v * 10 + (uint32_t)(*s - '0');
		if (decimals >= 0)
			decimals++;
		if (v > 1000000u)
			return false; /* too big, and no overflow */
	}
	for (; decimals < 2; decimals = decimals < 0 ? 1 : decimals + 1)
		v *= 10;
	if (!digits || v < min || v > 10000u)
		return false;
	*hundredths = v;
	return true;
}

/*
 * A whole number @min to @max: decimal digits only (no sign, no blanks, no
 * hex), by hand for the same reasons as kt_parse_seconds().
 */
static bool parse_count(const char *s, uint32_t min, uint32_t max,
			uint32_t *out)
{
	uint32_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint32_t)(*s - '0');
		if (v > max)
			return false; /* too big, and no overflow */
	}
	if (v < min)
		return false;
	*out = v;
	return true;
}

/* The options of notifications (queue, steal watch). */
static int set_notify(struct kt_options *o, struct parse_state *st, int c,
		      const char *arg, FILE *err)
{
	switch (c) {
	case OPT_NOTIFY_QUEUE:
		if (!parse_count(arg, 1, KT_MAX_NOTIFY_QUEUE, &o->notify_queue))
			return fail(err, "invalid --notify-queue ", arg,
				    ": expected a count between 1 and 100000");
		break;
	case OPT_STEAL_HIGH:
		if (!parse_percent(arg, 1, &o->steal_high))
			return fail(err, "invalid --steal-high ", arg,
				    ": expected a percentage between 0.01 "
				    "and 100");
		break;
	case OPT_STEAL_NORMAL:
		if (!parse_percent(arg, 0, &o->steal_normal))
			return fail(err, "invalid --steal-normal ", arg,
				    ": expected a percentage between 0 and "
				    "100");
		st->steal_normal_arg = arg;
		break;
	default: /* OPT_STEAL_FOR */
		if (!parse_seconds_in(arg, 0, KT_MAX_STEAL_FOR_MS * NS_PER_MS,
				      &o->steal_for_ms))
			return fail(err, "invalid --steal-for ", arg,
				    ": expected seconds between 0 and 86400");
		break;
	}
	return KT_OPTIONS_OK;
}

/*
 * The normal threshold must lie below the high one (hysteresis); a
 * default that does not fit under a given --steal-high follows it down.
 */
static int check_steal(struct kt_options *o, const struct parse_state *st,
		       FILE *err)
{
	if (o->steal_normal < o->steal_high)
		return KT_OPTIONS_OK;
	if (st->steal_normal_arg != NULL)
		return fail(err, "invalid --steal-normal ",
			    st->steal_normal_arg,
			    ": must be below --steal-high");
	o->steal_normal = o->steal_high / 2u;
	return KT_OPTIONS_OK;
}

/* A path or address option: anything but empty. */
static int set_string(const char **dst, const char *name, const char *arg,
		      const char *what, FILE *err)
{
	char before[64];

	if (*arg == '\0') {
		snprintf(before, sizeof(before), "invalid %s ", name);
		return fail(err, before, arg, what);
	}
	*dst = arg;
	return KT_OPTIONS_OK;
}

/*
 * --qemu-user NAME[,NAME...]: users (or decimal uids) that may own a VM's
 * QEMU process besides root, which always may.  Replaces the default.
 */
static int set_qemu_users(struct kt_options *o, const char *arg, FILE *err)
{
	char name[256];
	const char *p = arg, *comma;
	size_t len;

	o->qemu_users.n = 0;
	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof(name))
			return fail(err, "invalid --qemu-user ", arg,
				    ": expected user names or uids, "
				    "separated by commas");
		memcpy(name, p, len);
		name[len] = '\0';
		if (o->qemu_users.n == KT_QEMU_USERS_MAX)
			return fail(err, "invalid --qemu-user ", arg,
				    ": at most 8 users");
		if (!user_uid(name, &o->qemu_users.uid[o->qemu_users.n]))
			return fail(err, "invalid --qemu-user ", arg,
				    ": no such user");
		o->qemu_users.n++;
		if (comma == NULL)
			return KT_OPTIONS_OK;
		p = comma + 1;
	}
}

static int set_print(struct kt_options *o, const char *arg, FILE *err)
{
	if (strcmp(arg, "text") == 0)
		o->print = KT_PRINT_TEXT;
	else if (strcmp(arg, "json") == 0)
		o->print = KT_PRINT_JSON;
	else
		return fail(err, "invalid --print ", arg,
			    ": expected text or json");
	return KT_OPTIONS_OK;
}

static int set_log(struct kt_options *o, struct parse_state *st,
		   const char *arg, FILE *err)
{
	if (strcmp(arg, "syslog") == 0)
		o->syslog = true;
	else if (strcmp(arg, "stderr") == 0)
		o->syslog = false;
	else
		return fail(err, "invalid --log ", arg,
			    ": expected stderr or syslog");
	st->log_set = true;
	return KT_OPTIONS_OK;
}

/*
 * A '?' or ':' from getopt_long().  @arg is the argv element being parsed:
 * a long option is named from it, a short one from optopt (which may sit
 * in the middle of a cluster such as "-vq").
 */
static int bad_option(int c, const char *arg, FILE *err)
{
	char name[3] = { '-', (char)optopt, '\0' };
	const char *what = name;

	if (strncmp(arg, "--", 2) == 0 || optopt <= 0 || optopt > 0x7f)
		what = arg;
	if (c == ':')
		return fail(err, "option ", what,
			    " needs an argument; see --help");
	return fail(err, "invalid option ", what, "; see --help");
}

/* Applies one option; KT_OPTIONS_EXIT after --help or --version. */
static int apply(struct kt_options *o, struct parse_state *st, int c,
		 const char *arg, FILE *out, FILE *err)
{
	switch (c) {
	case 'c':
		return set_string(&o->connection, "--connection", arg,
				  ": expected a libvirt URI", err);
	case OPT_PROCFS:
		return set_string(&o->procfs, "--procfs", arg,
				  ": expected a directory", err);
	case OPT_SYSFS:
		return set_string(&o->sysfs, "--sysfs", arg,
				  ": expected a directory", err);
	case 'x':
		return set_string(&o->agentx_socket, "--agentx-socket", arg,
				  ": expected an AgentX address", err);
	case OPT_STATE_DIR:
		return set_string(&o->state_dir, "--state-dir", arg,
				  ": expected a directory", err);
	case OPT_QEMU_USER:
		return set_qemu_users(o, arg, err);
	case OPT_FORGET_AFTER:
		if (!parse_count(arg, 0, KT_MAX_FORGET_AFTER_DAYS,
				 &o->forget_after_days))
			return fail(err, "invalid --forget-after ", arg,
				    ": expected days between 0 and 36500");
		return KT_OPTIONS_OK;
	case 'f':
		if (!kt_parse_seconds(arg, &o->interval_ms))
			return fail(err, "invalid --frequency ", arg,
				    ": expected seconds between 0.1 and 86400");
		return KT_OPTIONS_OK;
	case OPT_PRINT:
		return set_print(o, arg, err);
	case OPT_LOG:
		return set_log(o, st, arg, err);
	case OPT_NOTIFY_QUEUE:
	case OPT_STEAL_HIGH:
	case OPT_STEAL_NORMAL:
	case OPT_STEAL_FOR:
		return set_notify(o, st, c, arg, err);
	case 'F':
		o->foreground = true;
		return KT_OPTIONS_OK;
	case 'v':
		o->verbose++;
		return KT_OPTIONS_OK;
	case 'h':
		usage(out);
		return KT_OPTIONS_EXIT;
	case 'V':
		fprintf(out, "%s %s\n", KT_PROGRAM_NAME, PACKAGE_VERSION);
		return KT_OPTIONS_EXIT;
	}
	if (c >= OPT_COLLECTOR_FIRST &&
	    c < OPT_COLLECTOR_FIRST + KT_COLLECT_COUNT) {
		st->collectors |= 1u << (c - OPT_COLLECTOR_FIRST);
		return KT_OPTIONS_OK;
	}
	fprintf(err, "%s: internal error: option %d not handled\n",
		KT_PROGRAM_NAME, c);
	return KT_OPTIONS_ERROR;
}

int kt_options_parse(struct kt_options *o, int argc, char **argv, FILE *out,
		     FILE *err)
{
	struct parse_state st = { 0, false, NULL };
	int c, at, r;

	set_defaults(o);
	optind = 0; /* 0, not 1: glibc then forgets any earlier parse */
	opterr = 0; /* we print our own one-line errors */
	for (;;) {
		/* The element getopt_long() is about to look at. */
		at = optind > 0 ? optind : 1;
		c = getopt_long(argc, argv, short_opts, long_opts, NULL);
		if (c == -1)
			break;
		if (c == '?' || c == ':')
			return bad_option(c, at < argc ? argv[at] : "", err);
		if ((r = apply(o, &st, c, optarg, out, err)) != KT_OPTIONS_OK)
			return r;
	}
	if (optind < argc)
		return fail(err, "unexpected argument ", argv[optind],
			    "; see --help");
	if (check_steal(o, &st, err) != KT_OPTIONS_OK)
		return KT_OPTIONS_ERROR;
	if (st.collectors != 0)
		o->collectors = st.collectors;
	if (!st.log_set)
		o->syslog = !o->foreground && o->print == KT_PRINT_NONE;
	return KT_OPTIONS_OK;
}
