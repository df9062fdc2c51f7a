/*
 * Reading files below a procfs root (normally /proc, any tree in tests),
 * and the parsers of the per-process files we use.  Parsers take a buffer so
 * that unit tests and fuzzers can feed them anything; none allocates.
 */
#ifndef KT_PROCFS_H
#define KT_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pid_stat.h"

#define KT_UUID_LEN 36

/*
 * Reads @rel relative to the directory @dirfd into @buf, at most size - 1
 * bytes, and NUL-terminates it.  Returns the number of bytes read, or a
 * negative errno.  A file that does not fit returns -EFBIG.
 * Reads to EOF (short reads and EINTR are retried) and never leaks the fd.
 * A vanished process gives -ENOENT or -ESRCH (when @dirfd is its PID
 * directory, opened before it died); size 0 gives -EINVAL.  On error @buf
 * holds an empty string.
 */
ssize_t kt_read_file_at(int dirfd, const char *rel, char *buf, size_t size);

/*
 * kt_read_file_at() for a text file that the kernel always ends with a
 * newline: PID/stat, PID/io, task/TID/schedstat and comm, one-number files
 * of procfs and sysfs.  An empty file gives -ENODATA; one whose last byte is
 * not a newline was cut short (a copied or remotely mounted tree) and gives
 * -EBADMSG, since its last number may be the first digits of a larger one.
 * On error @buf holds an empty string.
 */
ssize_t kt_read_text_at(int dirfd, const char *rel, char *buf, size_t size);

/*
 * kt_read_text_at() for the small files of one task that the kernel writes
 * in one go (schedstat, stat, io, comm: well under a page): a first read
 * that returns less than @size - 1 bytes returned the whole file, so the
 * read that would return EOF is spared (two syscalls per file instead of
 * three, on the collector's hottest path: every thread, every cycle).
 * Not for cmdline or the host's multi-line files.
 */
ssize_t kt_read_task_text_at(int dirfd, const char *rel, char *buf,
			     size_t size);

/*
 * The length of the complete lines at the start of @buf: up to and with its
 * last newline, 0 when it has none.  A file of many lines (meminfo,
 * diskstats) that was cut short keeps its complete lines this way.
 */
size_t kt_complete_lines(const char *buf, size_t len);

/*
 * What a negative errno of the readers and parsers here means, in a few
 * words for a log line: "cut short" for -EBADMSG, "empty" for -ENODATA,
 * "too large" for -EFBIG, "malformed" for -EINVAL, strerror() otherwise.
 */
const char *kt_read_strerror(int r);

/*
 * Parsers.  All take a buffer of @len bytes (no NUL needed; an embedded NUL
 * is an ordinary byte that makes the input malformed), never allocate and do
 * not depend on the locale.  They reset their out-parameter on entry (to
 * zeros, "" for the UUID) and fill it only when the whole input is
 * well-formed, so on error it holds the reset values.  Numbers are
 * unsigned decimal: a sign, blanks or a value beyond 2^64 - 1 is malformed.
 */

/*
 * PID/task/TID/schedstat: "run_ns wait_ns timeslices\n", exactly three
 * numbers separated by single spaces, the newline optional.  Returns 0 or
 * -EINVAL.
 */
struct kt_schedstat {
	uint64_t run_ns;
	uint64_t wait_ns;
	uint64_t slices;
};
int kt_parse_schedstat(const char *buf, size_t len, struct kt_schedstat *out);

/*
 * PID/stat into @out (pid_stat.h names the fields kept).  comm (field 2)
 * ends at the last ')'.  Fields up to 24 are required; 39 and 42 are
 * optional (their bits in @out->present say whether the file had them);
 * later fields are ignored.  Returns 0 or -EINVAL.
 */
int kt_parse_pid_stat(const char *buf, size_t len, struct kt_pid_stat *out);

/* PID/io: the I/O accounting of a process (needs root for others'). */
struct kt_pid_io {
	uint64_t rchar, wchar;		/* bytes through read/write calls */
	uint64_t syscr, syscw;		/* read/write-like system calls */
	uint64_t read_bytes;		/* bytes fetched from storage */
	uint64_t write_bytes;		/* bytes sent toward storage */
	uint64_t cancelled_write_bytes; /* dirtied, then truncated away */
};
/*
 * PID/io: lines "name: value\n" (the last newline optional), name of
 * lowercase letters and '_', exactly ": " between.  All seven fields above
 * are required, each once; lines of other names are skipped (a later
 * kernel may add some).  Returns 0 or -EINVAL.
 */
int kt_parse_pid_io(const char *buf, size_t len, struct kt_pid_io *out);

/*
 * PID/status: the bytes of the process swapped out, from its line
 * "VmSwap:<tabs or spaces>N kB" (N KiB), which must start a line and appear
 * once; other lines are skipped unread (Name: holds the process's own
 * name, which the kernel escapes, so it cannot start a line of its own).
 * Returns 0, -ENOENT without such a line (a kernel thread), or -EINVAL.
 */
int kt_parse_status_swap(const char *buf, size_t len, uint64_t *bytes);

/*
 * A file holding one unsigned decimal number and an optional newline, as
 * PROCFS/sys/kernel/task_delayacct and SYSFS/class/net/NAME/ifindex do.
 * Returns 0 or -EINVAL.
 */
int kt_parse_u64_line(const char *buf, size_t len, uint64_t *out);

/*
 * PID/task/TID/comm: "CPU 3/KVM" -> 3; any other thread name -> -1.
 * Any accelerator name of letters counts ("TCG", "HVF"); one trailing
 * newline is allowed.
 */
int kt_parse_vcpu_comm(const char *buf, size_t len);

/*
 * The user ids of PID/status's "Uid:" line: real, effective, saved and
 * file-system uid, in that order.  The line is "Uid:" then exactly four
 * unsigned decimal numbers, each after one TAB, below 2^32 - 1 (which is
 * no uid: (uid_t)-1); the other lines are not looked at, except that a
 * second "Uid:" line is malformed (which one would be right?).  Returns 0
 * or -EINVAL (no such line, or a malformed one); @out is all zero on error.
 */
#define KT_STATUS_UIDS 4
int kt_parse_status_uids(const char *buf, size_t len,
			 uint32_t out[KT_STATUS_UIDS]);

/*
 * PID/cmdline (NUL-separated arguments): the value of the "-uuid" argument,
 * written lowercase to @out.  Returns 0, or -ENOENT when there is none or it
 * is not a well-formed UUID.  Only the separate argument "-uuid" counts,
 * the last one wins; the value must be 8-4-4-4-12 hex digits, any case.
 */
int kt_cmdline_find_uuid(const char *buf, size_t len,
			 char out[KT_UUID_LEN + 1]);

#endif
