/*
 * Logging: one line per message, tagged with a subsystem ("snmp", "libvirt",
 * "procfs", ...), to stderr or syslog.  Safe to call from any thread.
 *
 * Complaints are warnings about a condition that may last (libvirtd down,
 * snmpd gone): logged once, then again only after a back-off that doubles
 * from 10 seconds up to a day, and closed by one "recovered" line.
 */
#ifndef KT_LOG_H
#define KT_LOG_H

#include <stdbool.h>
#include <time.h>

#define KT_PRINTF(f, a) __attribute__((format(printf, f, a)))

/*
 * Call once, before any thread starts.  @ident prefixes every line (and is
 * kept, not copied); @verbose > 0 lets debug lines through.  Before this,
 * lines go to stderr as "kvmtop-subagent" without debug.
 */
void kt_log_init(const char *ident, bool use_syslog, int verbose);

void kt_log_err(const char *subsys, const char *fmt, ...) KT_PRINTF(2, 3);
void kt_log_warn(const char *subsys, const char *fmt, ...) KT_PRINTF(2, 3);
void kt_log_info(const char *subsys, const char *fmt, ...) KT_PRINTF(2, 3);
void kt_log_debug(const char *subsys, const char *fmt, ...) KT_PRINTF(2, 3);

#define KT_COMPLAIN_FIRST 10  /* seconds before the first repeat */
#define KT_COMPLAIN_MAX 86400 /* the back-off stops growing at a day */

/* Zero-initialise; one per condition, used by one thread at a time. */
struct kt_complaint {
	time_t last;	   /* when it was last logged (monotonic s) */
	unsigned interval; /* seconds to wait before logging again */
	bool active;	   /* complained, not yet released */
};

/*
 * Logs a warning if the complaint is new or its back-off has passed.
 * Returns true when a line was logged.
 */
bool kt_complain(struct kt_complaint *c, const char *subsys, const char *fmt,
		 ...) KT_PRINTF(3, 4);

/* kt_complain() at the monotonic second @now: the clock, made testable. */
bool kt_complain_at(struct kt_complaint *c, time_t now, const char *subsys,
		    const char *fmt, ...) KT_PRINTF(4, 5);

/*
 * If the complaint is active, logs @fmt as an info line ("... recovered")
 * and resets it, so the next failure is logged at once.  Returns true when
 * a line was logged.
 */
bool kt_complain_release(struct kt_complaint *c, const char *subsys,
			 const char *fmt, ...) KT_PRINTF(3, 4);

#endif
