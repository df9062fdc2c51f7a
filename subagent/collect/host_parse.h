/*
 * Parsers of the host-wide procfs and sysfs files: the cpu line of
 * /proc/stat, /proc/cpuinfo, /proc/meminfo, lines of /proc/diskstats and
 * /proc/net/dev, /proc/pressure/{cpu,io,memory}, and one-value sysfs files.
 *
 * Like collect/procfs.h: each takes a buffer of @len bytes (no NUL needed;
 * an embedded NUL is an ordinary byte that makes the input malformed),
 * never allocates, does not depend on the locale, resets its out-parameter
 * on entry and fills it only when the input parsed.  Numbers are unsigned
 * decimal below 2^64: a sign (unless said otherwise), a tab or a space
 * where none belongs, or an overflow is malformed.
 */
#ifndef KT_HOST_PARSE_H
#define KT_HOST_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "host.h"

/*
 * The "cpu " line of /proc/stat (the first line; found wherever it is).
 * "cpu" and one or more spaces, then numbers separated by single spaces.
 * Kernels since 2.6.33 print 10; older ones fewer: at least 4 are
 * required, the missing ones read 0 and *nfields says how many there were.
 * More than 10 are accepted and ignored (a future kernel's additions).
 * The line ends at a newline or the end of @buf, so a caller may pass just
 * the head of the file.  Returns 0, -ENOENT (no cpu line) or -EINVAL.
 */
int kt_parse_stat_cpu(const char *buf, size_t len,
		      uint64_t ticks[KT_CPU_NFIELDS], unsigned *nfields);

/*
 * The number of "processor" entries of /proc/cpuinfo: lines that start
 * with "processor", then spaces or tabs, then ':' (x86, arm64, ppc64) or
 * a number and ':' (s390: "processor 0: ...").  Other lines are not looked
 * at (cpuinfo is free-form).  Returns the count, 0 when there is none.
 */
uint32_t kt_parse_cpuinfo_count(const char *buf, size_t len);

/*
 * /proc/meminfo: every line must be "NAME:", spaces, a number and either
 * " kB" or nothing, then a newline (optional after the last line).  The
 * fields of kt_meminfo_names are stored, with in_kib for " kB"; others are
 * skipped.  A known field twice, a malformed line or no line at all:
 * -EINVAL.  Returns 0 or -EINVAL.
 */
int kt_parse_meminfo(const char *buf, size_t len, struct kt_meminfo *out);

/*
 * One line of /proc/diskstats (one optional trailing newline):
 * "MAJOR MINOR NAME" and at least 11 numbers, separated by spaces (and
 * spaces before MAJOR: the kernel pads it).
 * Kernels 4.18 and 5.5 added discard and flush fields: fields after the
 * eleventh are checked to be numbers and ignored.  NAME must fit in
 * kt_host_disk.name.  Fills name, major, minor and the eleven counters;
 * the rest of @out is zeroed.  Returns 0 or -EINVAL.
 */
int kt_parse_diskstats_line(const char *buf, size_t len,
			    struct kt_host_disk *out);

/*
 * One interface line of /proc/net/dev (one optional trailing newline):
 * spaces, "NAME:", then exactly 16 numbers separated by spaces (8 receive,
 * 8 transmit).  Fills name, rx and tx; the rest of @out is zeroed.  The
 * two header lines are malformed by this definition.  Returns 0 or -EINVAL.
 */
int kt_parse_netdev_line(const char *buf, size_t len, struct kt_host_net *out);

/*
 * A /proc/pressure/{cpu,io,memory} file: one or two lines
 * "some avg10=A avg60=B avg300=C total=T" and "full ..." (either order,
 * each at most once), where A, B, C are percentages with exactly two
 * decimals (stored in hundredths, exactly) and T is microseconds.
 * out[KT_PSI_SOME] and out[KT_PSI_FULL] get valid for the lines present.
 * Returns 0 or -EINVAL (then both are invalid).
 */
int kt_parse_psi(const char *buf, size_t len,
		 struct kt_psi_line out[KT_PSI_NKINDS]);

/*
 * A sysfs file holding one decimal number and an optional newline
 * (cpufreq kHz, ifindex, net speed).  A negative number ("-1": the speed
 * of a link that is down or unknown) returns -ENODATA; anything else that
 * is not an unsigned number, -EINVAL.  Returns 0, -ENODATA or -EINVAL.
 */
int kt_parse_sysfs_u64(const char *buf, size_t len, uint64_t *out);

/*
 * /sys/devices/virtual/dmi/id/product_uuid: 8-4-4-4-12 hex digits (any
 * case) and an optional newline, copied lowercase.  Returns 0 or -EINVAL
 * (then @out is "").
 */
int kt_parse_dmi_uuid(const char *buf, size_t len, char out[37]);

/*
 * /proc/sys/kernel/hostname: the name and an optional newline.  No NUL or
 * newline inside, not empty, and it must fit @size with its NUL.  Returns 0
 * or -EINVAL (then @out is "").
 */
int kt_parse_hostname(const char *buf, size_t len, char *out, size_t size);

#endif
