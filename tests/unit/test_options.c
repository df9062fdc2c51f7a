/*
 * Tests of the command line (options.c) and of logging and complaint
 * back-off (log.c, with the clock injected through kt_complain_at()).
 * Every expected value is written here by hand from the options as
 * README.md ("Options") and man/kvmtop-subagent.8 document them, not taken
 * from the code.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "kt_test.h"
#include "log.h"
#include "options.h"

#define MAX_ARGS 32

/* One parse; argv is kept because the options point into it. */
struct run {
	int rc;
	struct kt_options o;
	int argc;
	char *argv[MAX_ARGS + 2];
	char *out, *err;
	size_t out_len, err_len;
};

static void run_free(struct run *r)
{
	while (r->argc > 0)
		free(r->argv[--r->argc]);
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/* Parses "kvmtop-subagent ARGS..." (NULL-terminated), capturing out and err. */
static void run_v(struct run *r, va_list ap)
{
	const char *a;
	FILE *out, *err;

	run_free(r);
	r->argv[r->argc++] = strdup("kvmtop-subagent");
	while ((a = va_arg(ap, const char *)) != NULL) {
		if (r->argc > MAX_ARGS) {
			printf("Bail out! more than %d arguments\n", MAX_ARGS);
			exit(1);
		}
		r->argv[r->argc++] = strdup(a);
	}
	r->argv[r->argc] = NULL;
	out = open_memstream(&r->out, &r->out_len);
	err = open_memstream(&r->err, &r->err_len);
	r->rc = kt_options_parse(&r->o, r->argc, r->argv, out, err);
	fclose(out);
	fclose(err);
}

static void run(struct run *r, ...)
{
	va_list ap;

	va_start(ap, r);
	run_v(r, ap);
	va_end(ap);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* One line on err that ends in a newline, and nothing on out. */
static int one_error_line(const struct run *r)
{
	return r->rc == KT_OPTIONS_ERROR && count_lines(r->err) == 1 &&
	       r->err_len > 0 && r->err[r->err_len - 1] == '\n' &&
	       strncmp(r->err, "kvmtop-subagent: ", 17) == 0 && r->out_len == 0;
}

static void test_defaults(void)
{
	struct run r = { 0 };

	run(&r, NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_OK, "no arguments: run");
	KT_EQ_STR(r.o.connection, "qemu:///system", "default connection");
	KT_EQ_STR(r.o.procfs, "/proc", "default procfs");
	KT_EQ_U64(r.o.interval_ms, 5000, "default frequency 5 s");
	KT_CHECK(r.o.agentx_socket == NULL,
		 "default AgentX socket: net-snmp's");
	KT_EQ_STR(r.o.state_dir, "/var/lib/kvmtop-snmp", "default state dir");
	KT_EQ_U64(r.o.forget_after_days, 30, "default: forget after 30 days");
	KT_CHECK(!r.o.foreground, "default: daemonize");
	KT_EQ_INT(r.o.print, KT_PRINT_NONE, "default: no --print");
	KT_EQ_U64(r.o.collectors, 0x7f, "default: all seven collectors");
	KT_EQ_INT(r.o.verbose, 0, "default: not verbose");
	KT_CHECK(r.o.syslog, "a daemon logs to syslog");
	KT_CHECK(r.out_len == 0 && r.err_len == 0, "no arguments: silent");
	KT_EQ_U64(KT_COLLECT_CPU, 0x1, "KT_COLLECT_CPU is 0x1");
	KT_EQ_U64(KT_COLLECT_MEM, 0x2, "KT_COLLECT_MEM is 0x2");
	KT_EQ_U64(KT_COLLECT_DISK, 0x4, "KT_COLLECT_DISK is 0x4");
	KT_EQ_U64(KT_COLLECT_NET, 0x8, "KT_COLLECT_NET is 0x8");
	KT_EQ_U64(KT_COLLECT_IO, 0x10, "KT_COLLECT_IO is 0x10");
	KT_EQ_U64(KT_COLLECT_HOST, 0x20, "KT_COLLECT_HOST is 0x20");
	KT_EQ_U64(KT_COLLECT_PSI, 0x40, "KT_COLLECT_PSI is 0x40");
	KT_EQ_U64(KT_COLLECT_ALL, 0x7f, "KT_COLLECT_ALL is 0x7f");
	KT_EQ_STR(r.o.sysfs, "/sys", "default sysfs");
	run_free(&r);
}

static void test_long_options(void)
{
	struct run r = { 0 };

	run(&r, "--connection", "test:///default", "--procfs", "/tmp/proc",
	    "--frequency", "2", "--agentx-socket", "tcp:localhost:705",
	    "--state-dir", "/tmp/state", "--foreground", "--print", "json",
	    "--log", "syslog", "--verbose", "--verbose", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_OK, "long options: run");
	KT_EQ_STR(r.o.connection, "test:///default", "--connection");
	KT_EQ_STR(r.o.procfs, "/tmp/proc", "--procfs");
	KT_EQ_U64(r.o.interval_ms, 2000, "--frequency 2");
	KT_EQ_STR(r.o.agentx_socket, "tcp:localhost:705", "--agentx-socket");
	KT_EQ_STR(r.o.state_dir, "/tmp/state", "--state-dir");
	KT_CHECK(r.o.foreground, "--foreground");
	KT_EQ_INT(r.o.print, KT_PRINT_JSON, "--print json");
	KT_CHECK(r.o.syslog, "--log syslog wins over --foreground");
	KT_EQ_INT(r.o.verbose, 2, "--verbose twice");
	KT_CHECK(r.err_len == 0, "long options: nothing on err");

	run(&r, "--procfs=/p", "--frequency=0.25", "--state-dir=/s",
	    "--print=text", "--log=stderr", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_OK, "--opt=value forms: run");
	KT_EQ_STR(r.o.procfs, "/p", "--procfs=/p");
	KT_EQ_U64(r.o.interval_ms, 250, "--frequency=0.25");
	KT_EQ_STR(r.o.state_dir, "/s", "--state-dir=/s");
	KT_EQ_INT(r.o.print, KT_PRINT_TEXT, "--print=text");
	KT_CHECK(!r.o.syslog, "--log=stderr");
	run_free(&r);
}

static void test_short_options(void)
{
	struct run r = { 0 };

	run(&r, "-c", "qemu+ssh://h/system", "-f", "0.5", "-x", "/tmp/ax", "-F",
	    "-vvv", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_OK, "short options: run");
	KT_EQ_STR(r.o.connection, "qemu+ssh://h/system", "-c");
	KT_EQ_U64(r.o.interval_ms, 500, "-f 0.5 is 500 ms");
	KT_EQ_STR(r.o.agentx_socket, "/tmp/ax", "-x");
	KT_CHECK(r.o.foreground, "-F");
	KT_EQ_INT(r.o.verbose, 3, "-vvv");
	KT_CHECK(!r.o.syslog, "-F logs to stderr by default");

	run(&r, "-f10", "-f", "3", NULL);
	KT_EQ_U64(r.o.interval_ms, 3000, "the last -f wins");
	run_free(&r);
}

static void check_frequency(const char *arg, uint64_t want_ms)
{
	struct run r = { 0 };
	char what[96];

	run(&r, "-f", arg, NULL);
	snprintf(what, sizeof(what), "-f '%s' gives %llu ms", arg,
		 (unsigned long long)want_ms);
	KT_CHECK(r.rc == KT_OPTIONS_OK && r.o.interval_ms == want_ms, what);
	if (r.rc != KT_OPTIONS_OK || r.o.interval_ms != want_ms)
		printf("#   rc %d, %llu ms, err: %s", r.rc,
		       (unsigned long long)r.o.interval_ms, r.err);
	run_free(&r);
}

static void check_bad_frequency(const char *arg)
{
	struct run r = { 0 };
	char what[96];

	run(&r, "--frequency", arg, NULL);
	snprintf(what, sizeof(what), "-f '%s' is one error line", arg);
	if (!KT_CHECK(one_error_line(&r), what))
		printf("#   rc %d, err: %s\n", r.rc, r.err);
	run_free(&r);
}

static void test_frequency(void)
{
	static const char *const bad[] = {
		"abc",	     "",
		"1e3x",	     "1e3",
		"-1",	     "-0.5",
		"nan",	     "inf",
		"NaN",	     "0",
		"0.0",	     "0.05",
		"0.0999999", "86400.000001",
		"86401",     "86400.0000000001",
		"1.2.3",     ".",
		"0x10",	     " 5",
		"5 ",	     "+5",
		"5s",	     "99999999999999999999999999",
	};
	struct run r = { 0 };
	size_t i;

	check_frequency("5", 5000);
	check_frequency("0.1", 100);
	check_frequency("0.100", 100);
	check_frequency(".25", 250);
	check_frequency("1.", 1000);
	check_frequency("007", 7000);
	check_frequency("0.1234", 123);
	check_frequency("0.1235", 124); /* 123.5 ms rounds up */
	check_frequency("2.0004", 2000);
	check_frequency("86400", 86400000);
	check_frequency("86400.000", 86400000);
	check_frequency("86400.0000000000", 86400000);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_bad_frequency(bad[i]);

	run(&r, "-f", "abc", NULL);
	KT_EQ_STR(r.err,
		  "kvmtop-subagent: invalid --frequency 'abc': "
		  "expected seconds between 0.1 and 86400\n",
		  "the --frequency error line, word for word");
	run_free(&r);
}

static void check_forget_after(const char *arg, uint32_t want)
{
	struct run r = { 0 };
	char what[96];

	run(&r, "--forget-after", arg, NULL);
	snprintf(what, sizeof(what), "--forget-after '%s' gives %u days", arg,
		 want);
	KT_CHECK(r.rc == KT_OPTIONS_OK && r.o.forget_after_days == want, what);
	if (r.rc != KT_OPTIONS_OK || r.o.forget_after_days != want)
		printf("#   rc %d, %u days, err: %s", r.rc,
		       r.o.forget_after_days, r.err);
	run_free(&r);
}

static void test_forget_after(void)
{
	static const char *const bad[] = {
		"",	      "-1",
		"+5",	      " 5",
		"5 ",	      "5d",
		"1.5",	      "0x10",
		"1e3",	      "abc",
		"36501",      "99999",
		"4294967296", "99999999999999999999999",
	};
	struct run r = { 0 };
	char what[96];
	size_t i;

	check_forget_after("0", 0);
	check_forget_after("1", 1);
	check_forget_after("30", 30);
	check_forget_after("007", 7);
	check_forget_after("36500", 36500);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run(&r, "--forget-after", bad[i], NULL);
		snprintf(what, sizeof(what),
			 "--forget-after '%s' is one error line", bad[i]);
		if (!KT_CHECK(one_error_line(&r), what))
			printf("#   rc %d, err: %s\n", r.rc, r.err);
	}
	run(&r, "--forget-after=abc", NULL);
	KT_EQ_STR(r.err,
		  "kvmtop-subagent: invalid --forget-after 'abc': "
		  "expected days between 0 and 36500\n",
		  "the --forget-after error line, word for word");
	run(&r, "--forget-after", "3", "--forget-after=12", NULL);
	KT_EQ_U64(r.o.forget_after_days, 12, "the last --forget-after wins");
	run(&r, "--forget-after", NULL);
	KT_EQ_STR(r.err,
		  "kvmtop-subagent: option '--forget-after' needs an argument; "
		  "see --help\n",
		  "--forget-after without its argument");
	run_free(&r);
}

/* --notify-queue, --steal-high, --steal-normal, --steal-for. */
static void check_notify_ok(const char *opt, const char *arg, uint64_t got_of,
			    uint64_t want)
{
	char what[96];

	snprintf(what, sizeof(what), "%s '%s' gives %llu", opt, arg,
		 (unsigned long long)want);
	KT_CHECK(got_of == want, what);
}

static uint64_t notify_value(const struct run *r, const char *opt)
{
	if (strcmp(opt, "--notify-queue") == 0)
		return r->o.notify_queue;
	if (strcmp(opt, "--steal-high") == 0)
		return r->o.steal_high;
	if (strcmp(opt, "--steal-normal") == 0)
		return r->o.steal_normal;
	return r->o.steal_for_ms;
}

static void test_notify_options(void)
{
	static const struct {
		const char *opt, *arg;
		uint64_t want;
	} good[] = {
		{ "--notify-queue", "1", 1 },
		{ "--notify-queue", "100000", 100000 },
		{ "--steal-high", "25", 2500 },
		{ "--steal-high", "0.01", 1 },
		{ "--steal-high", "100", 10000 },
		{ "--steal-high", "7.5", 750 },
		{ "--steal-normal", "0", 0 },
		{ "--steal-normal", "24.99", 2499 },
		{ "--steal-for", "0", 0 },
		{ "--steal-for", "0.5", 500 },
		{ "--steal-for", "600", 600000 },
		{ "--steal-for", "86400", 86400000 },
	};
	static const struct {
		const char *opt, *arg;
	} bad[] = {
		{ "--notify-queue", "0" },   { "--notify-queue", "100001" },
		{ "--notify-queue", "-1" },  { "--notify-queue", "1.5" },
		{ "--notify-queue", "" },    { "--notify-queue", "9999999999" },
		{ "--steal-high", "0" },     { "--steal-high", "100.01" },
		{ "--steal-high", "1.234" }, { "--steal-high", "-5" },
		{ "--steal-high", "abc" },   { "--steal-high", "" },
		{ "--steal-high", "." },     { "--steal-high", "1e2" },
		{ "--steal-normal", "101" }, { "--steal-normal", "x" },
		{ "--steal-normal", "25" },  { "--steal-normal", "30" },
		{ "--steal-for", "-1" },     { "--steal-for", "86401" },
		{ "--steal-for", "1m" },     { "--steal-for", "" },
	};
	struct run r = { 0 };
	char what[96];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		run(&r, good[i].opt, good[i].arg, NULL);
		if (r.rc != KT_OPTIONS_OK)
			printf("#   rc %d, err: %s", r.rc, r.err);
		check_notify_ok(good[i].opt, good[i].arg,
				notify_value(&r, good[i].opt), good[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run(&r, bad[i].opt, bad[i].arg, NULL);
		snprintf(what, sizeof(what), "%s '%s' is one error line",
			 bad[i].opt, bad[i].arg);
		if (!KT_CHECK(one_error_line(&r), what))
			printf("#   rc %d, err: %s\n", r.rc, r.err);
	}
	run(&r, "--steal-high", "20", "--steal-normal", "20", NULL);
	KT_EQ_STR(r.err,
		  "kvmtop-subagent: invalid --steal-normal '20': must be "
		  "below --steal-high\n",
		  "the --steal-normal error line, word for word");
	run(&r, "--steal-normal", "15", "--steal-high", "20", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_OK,
		  "checked after all options, in any order");
	run(&r, "--steal-high", "8", NULL);
	KT_EQ_U64(r.o.steal_normal, 400,
		  "a --steal-high below the default normal: half of it");
	run(&r, NULL);
	KT_CHECK(r.o.notify_queue == 1000 && r.o.steal_high == 2500 &&
			 r.o.steal_normal == 1000 && r.o.steal_for_ms == 60000,
		 "defaults: queue 1000, 25 %, 10 %, 60 s");
	run_free(&r);
}

/*
 * --qemu-user: names or uids, comma-separated, replacing the default;
 * root and nobody exist on every Debian system.
 */
static void test_qemu_user(void)
{
	static const char *const bad[] = {
		"",
		",",
		"root,",
		",root",
		"root,,nobody",
		"no-such-user-kt",
		"-1",
		"4294967295",
		"99999999999999999999",
		"12ab",
		"root,no-such-user-kt",
		"0,1,2,3,4,5,6,7,8",
	};
	struct run r = { 0 };
	char what[96];
	size_t i;

	run(&r, NULL);
	KT_CHECK(r.o.qemu_users.n <= 1, "default: at most libvirt-qemu");
	run(&r, "--qemu-user", "nobody", NULL);
	KT_CHECK(r.rc == KT_OPTIONS_OK && r.o.qemu_users.n == 1 &&
			 r.o.qemu_users.uid[0] == 65534,
		 "--qemu-user nobody: uid 65534");
	run(&r, "--qemu-user=root,nobody,64055", NULL);
	KT_CHECK(r.rc == KT_OPTIONS_OK && r.o.qemu_users.n == 3 &&
			 r.o.qemu_users.uid[0] == 0 &&
			 r.o.qemu_users.uid[1] == 65534 &&
			 r.o.qemu_users.uid[2] == 64055,
		 "--qemu-user root,nobody,64055: names and a uid");
	run(&r, "--qemu-user", "0,1,2,3,4,5,6,7", NULL);
	KT_CHECK(r.rc == KT_OPTIONS_OK && r.o.qemu_users.n == 8,
		 "--qemu-user: eight users");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run(&r, "--qemu-user", bad[i], NULL);
		snprintf(what, sizeof(what),
			 "--qemu-user '%s' is one error line", bad[i]);
		if (!KT_CHECK(one_error_line(&r), what))
			printf("#   rc %d, err: %s\n", r.rc, r.err);
	}
	run(&r, "--qemu-user", "no-such-user-kt", NULL);
	KT_EQ_STR(r.err,
		  "kvmtop-subagent: invalid --qemu-user 'no-such-user-kt': "
		  "no such user\n",
		  "the --qemu-user error line, word for word");
	run_free(&r);
}

/* The arguments after @what, NULL-terminated, must give the line @want. */
static void check_error(const char *want, const char *what, ...)
{
	struct run r = { 0 };
	va_list ap;

	va_start(ap, what);
	run_v(&r, ap);
	va_end(ap);
	if (!KT_CHECK(one_error_line(&r), what))
		printf("#   rc %d, err: %s\n", r.rc, r.err);
	if (want != NULL)
		KT_EQ_STR(r.err, want, what);
	run_free(&r);
}

static void test_errors(void)
{
	check_error("kvmtop-subagent: invalid --print 'xml': expected text or "
		    "json\n",
		    "--print xml", "--print", "xml", NULL);
	check_error("kvmtop-subagent: invalid --log 'file': expected stderr or "
		    "syslog\n",
		    "--log file", "--log", "file", NULL);
	check_error("kvmtop-subagent: invalid option '--bogus'; see --help\n",
		    "unknown long option", "--bogus", NULL);
	check_error("kvmtop-subagent: invalid option '-q'; see --help\n",
		    "unknown short option", "-q", NULL);
	check_error("kvmtop-subagent: invalid option '-q'; see --help\n",
		    "unknown short option inside a cluster", "-F", "-vq", NULL);
	check_error("kvmtop-subagent: invalid option '--foreground=1'; see "
		    "--help\n",
		    "argument to a flag", "--foreground=1", NULL);
	check_error("kvmtop-subagent: option '-f' needs an argument; see "
		    "--help\n",
		    "-f without its argument", "-F", "-f", NULL);
	check_error("kvmtop-subagent: option '--frequency' needs an argument; "
		    "see --help\n",
		    "--frequency without its argument", "--frequency", NULL);
	check_error("kvmtop-subagent: unexpected argument 'extra'; see "
		    "--help\n",
		    "a stray argument", "-F", "extra", NULL);
	check_error(NULL, "a stray argument between options", "--cpu", "extra",
		    "--mem", NULL);
	check_error(NULL, "an ambiguous abbreviation (--f)", "--f", NULL);
	check_error(NULL, "empty --connection", "--connection", "", NULL);
	check_error(NULL, "empty --procfs", "--procfs=", NULL);
	check_error(NULL, "empty --state-dir", "--state-dir", "", NULL);
	check_error(NULL, "empty -x", "-x", "", NULL);
	check_error("kvmtop-subagent: invalid --print 'a?b': expected text or "
		    "json\n",
		    "a newline in a value stays on one line", "--print", "a\nb",
		    NULL);
}

static void test_help_version(void)
{
	static const char *const words[] = {
		"--connection",	  "--procfs",
		"--frequency",	  "--agentx-socket",
		"--state-dir",	  "--foreground",
		"--print",	  "--log",
		"--verbose",	  "--help",
		"--version",	  "--cpu",
		"--mem",	  "qemu:///system",
		"/proc",	  "/var/lib/kvmtop-snmp",
		"(default 5)",	  "--forget-after",
		"(default 30)",	  "--notify-queue",
		"(default 1000)", "--steal-high",
		"(default 25)",	  "--steal-normal",
		"(default 10",	  "--steal-for",
		"(default 60)",	  "--qemu-user",
		"(default libvirt-qemu)",
	};
	struct run r = { 0 };
	char what[64];
	size_t i;

	run(&r, "--help", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_EXIT, "--help: exit");
	KT_CHECK(r.err_len == 0, "--help: nothing on err");
	KT_CHECK(strncmp(r.out, "Usage: kvmtop-subagent", 22) == 0,
		 "--help starts with Usage");
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		snprintf(what, sizeof(what), "--help mentions %s", words[i]);
		KT_CHECK(strstr(r.out, words[i]) != NULL, what);
	}
	run(&r, "-F", "-h", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_EXIT, "-h: exit");
	KT_CHECK(strstr(r.out, "--frequency") != NULL, "-h prints the help");

	run(&r, "--version", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_EXIT, "--version: exit");
	KT_EQ_STR(r.out, "kvmtop-subagent " PACKAGE_VERSION "\n",
		  "--version prints the name and version");
	KT_CHECK(strlen(PACKAGE_VERSION) > 0, "the version is not empty");
	run(&r, "-V", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_EXIT, "-V: exit");
	KT_EQ_STR(r.out, "kvmtop-subagent " PACKAGE_VERSION "\n", "-V");
	run_free(&r);
}

static void test_collectors(void)
{
	struct run r = { 0 };

	run(&r, "--cpu", NULL);
	KT_EQ_U64(r.o.collectors, 0x1, "--cpu alone: only cpu");
	run(&r, "--mem", NULL);
	KT_EQ_U64(r.o.collectors, 0x2, "--mem alone: only mem");
	run(&r, "--mem", "--cpu", NULL);
	KT_EQ_U64(r.o.collectors, 0x3, "--mem --cpu: both");
	run(&r, "--mem", "--mem", NULL);
	KT_EQ_U64(r.o.collectors, 0x2, "--mem twice: still only mem");
	run(&r, "-F", NULL);
	KT_EQ_U64(r.o.collectors, 0x7f, "no switch: all");
	run(&r, "--disk", "--psi", NULL);
	KT_EQ_U64(r.o.collectors, 0x44, "--disk --psi: those two");
	run(&r, "--sysfs", "/tmp/sys", NULL);
	KT_EQ_STR(r.o.sysfs, "/tmp/sys", "--sysfs sets the sysfs root");
	run_free(&r);
}

static void test_log_default(void)
{
	struct run r = { 0 };

	run(&r, "--print", "text", NULL);
	KT_CHECK(!r.o.syslog, "--print logs to stderr");
	run(&r, "--foreground", NULL);
	KT_CHECK(!r.o.syslog, "--foreground logs to stderr");
	run(&r, "--log", "stderr", NULL);
	KT_CHECK(!r.o.syslog, "--log stderr as a daemon");
	run(&r, "--log", "syslog", "--print", "json", NULL);
	KT_CHECK(r.o.syslog, "--log syslog before --print still wins");
	run_free(&r);
}

/* A failed parse must not leak into the next one (getopt's globals). */
static void test_reentrant(void)
{
	struct run r = { 0 };

	run(&r, "-vq", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_ERROR, "an error in the middle of -vq");
	run(&r, "-v", NULL);
	KT_EQ_INT(r.rc, KT_OPTIONS_OK, "the next parse starts afresh");
	KT_EQ_INT(r.o.verbose, 1, "and counts only its own -v");
	KT_EQ_U64(r.o.interval_ms, 5000, "and has the default frequency");
	run_free(&r);
}

/* ---- log.c: stderr lines and complaints, fd 2 sent to a temp file ---- */

static int saved_stderr = -1;
static FILE *captured;

static void capture_begin(void)
{
	fflush(stderr);
	captured = tmpfile();
	saved_stderr = dup(STDERR_FILENO);
	dup2(fileno(captured), STDERR_FILENO);
}

/* What was written to fd 2 since the last call (static buffer). */
static const char *captured_text(void)
{
	static char buf[4096];
	ssize_t n;

	lseek(fileno(captured), 0, SEEK_SET);
	n = read(fileno(captured), buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (ftruncate(fileno(captured), 0) != 0)
		buf[0] = '\0';
	lseek(fileno(captured), 0, SEEK_SET);
	return buf;
}

static void capture_end(void)
{
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	fclose(captured);
}

static void test_log_lines(void)
{
	char big[3000];
	const char *t;

	kt_log_init("kvmtop-subagent", false, 0);
	kt_log_warn("snmp", "cannot reach %s", "snmpd");
	KT_EQ_STR(captured_text(),
		  "kvmtop-subagent[snmp]: warning: cannot reach "
		  "snmpd\n",
		  "a warning line");
	kt_log_err("libvirt", "code %d", 38);
	KT_EQ_STR(captured_text(), "kvmtop-subagent[libvirt]: error: code 38\n",
		  "an error line");
	kt_log_debug("procfs", "hidden");
	KT_EQ_STR(captured_text(), "", "no debug line without -v");
	kt_log_init("kvmtop-subagent", false, 1);
	kt_log_debug("procfs", "pid %d", 4101);
	KT_EQ_STR(captured_text(), "kvmtop-subagent[procfs]: debug: pid 4101\n",
		  "a debug line with -v");
	kt_log_info("snmp", "VM %s", "a\nb\tc");
	KT_EQ_STR(captured_text(), "kvmtop-subagent[snmp]: info: VM a?b?c\n",
		  "control characters cannot forge a second line");
	errno = ENOENT;
	kt_log_warn("snmp", "x");
	KT_EQ_INT(errno, ENOENT, "logging keeps errno");
	captured_text();
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kt_log_warn("snmp", "%s", big);
	t = captured_text();
	KT_EQ_INT(count_lines(t), 1, "a long message stays one line");
	KT_CHECK(strlen(t) > 4 && strcmp(t + strlen(t) - 4, "...\n") == 0,
		 "a truncated message ends in ...");
}

static void test_complaints(void)
{
	struct kt_complaint c = { 0, 0, false };
	unsigned max = 0;
	time_t t;
	int i;

	kt_log_init("kvmtop-subagent", false, 0);
	KT_CHECK(kt_complain_at(&c, 1000, "libvirt", "cannot connect to %s",
				"qemu:///system"),
		 "the first complaint is logged");
	KT_EQ_STR(captured_text(),
		  "kvmtop-subagent[libvirt]: warning: cannot "
		  "connect to qemu:///system\n",
		  "the complaint's line");
	KT_CHECK(!kt_complain_at(&c, 1009, "libvirt", "x"), "silent at +9 s");
	KT_EQ_STR(captured_text(), "", "nothing written while silent");
	KT_CHECK(kt_complain_at(&c, 1010, "libvirt", "x"), "again at +10 s");
	KT_CHECK(!kt_complain_at(&c, 1029, "libvirt", "x"), "silent at +19 s");
	KT_CHECK(kt_complain_at(&c, 1030, "libvirt", "x"), "again 20 s later");
	KT_CHECK(!kt_complain_at(&c, 1069, "libvirt", "x"), "silent at +39 s");
	KT_CHECK(kt_complain_at(&c, 1070, "libvirt", "x"), "again 40 s later");
	captured_text();
	KT_CHECK(kt_complain_release(&c, "libvirt", "connected again"),
		 "release of an active complaint logs");
	KT_EQ_STR(captured_text(),
		  "kvmtop-subagent[libvirt]: info: connected "
		  "again\n",
		  "the recovery line");
	KT_CHECK(!kt_complain_release(&c, "libvirt", "x"),
		 "a second release is silent");
	KT_CHECK(kt_complain_at(&c, 1071, "libvirt", "x"),
		 "after a release the next failure is logged at once");
	KT_CHECK(!kt_complain_at(&c, 1080, "libvirt", "x"),
		 "and the back-off starts at 10 s again");

	/*
	 * Doubling from 10 s: 10 * 2^13 = 81920, the next step would be
	 * 163840, which the one-day cap cuts to 86400.
	 */
	t = c.last;
	for (i = 0; i < 20; i++) {
		t += c.interval;
		kt_complain_at(&c, t, "libvirt", "x");
		if (c.interval > max)
			max = c.interval;
		if (i == 12)
			KT_EQ_U64(c.interval, 81920, "13 doublings: 81920 s");
	}
	KT_EQ_U64(max, 86400, "the back-off never exceeds one day");
	KT_EQ_U64(c.interval, 86400, "the back-off stops at one day");
	KT_CHECK(!kt_complain_at(&c, t + 86399, "libvirt", "x"),
		 "silent for a day less a second");
	KT_CHECK(kt_complain_at(&c, t + 86400, "libvirt", "x"),
		 "logged again after a day");
	captured_text();

	memset(&c, 0, sizeof(c));
	KT_CHECK(kt_complain(&c, "snmp", "real clock"),
		 "kt_complain logs first");
	KT_CHECK(!kt_complain(&c, "snmp", "real clock"),
		 "and not again right away");
	captured_text();
}

int main(void)
{
	test_notify_options();
	test_defaults();
	test_long_options();
	test_short_options();
	test_frequency();
	test_forget_after();
	test_qemu_user();
	test_errors();
	test_help_version();
	test_collectors();
	test_log_default();
	test_reentrant();
	capture_begin();
	test_log_lines();
	test_complaints();
	capture_end();
	return kt_test_done();
}
