/*
 * The QEMU process of a VM, seen through a procfs tree: finding it by the
 * VM's UUID, and reading its threads (vCPU or other, run time and run-queue
 * wait, the host CPU of each vCPU thread), its /proc/PID/stat and
 * /proc/PID/io.
 */
#ifndef KT_QEMU_H
#define KT_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "collect/procfs.h"

struct kt_thread {
	pid_t tid;
	int vcpu;      /* vCPU number from "CPU n/KVM", -1 for others */
	int processor; /* vCPU threads: host CPU last run on; -1 unknown */
	uint64_t run_ns;
	uint64_t wait_ns;
};

/*
 * One pass over the numeric entries of the procfs root @procfd: for each of
 * the @n UUIDs whose QEMU process is found (its cmdline has "-uuid UUID"),
 * sets pids[i]; the others are left 0.  Returns how many were found.
 */
size_t kt_qemu_discover(int procfd, const char (*uuids)[KT_UUID_LEN + 1],
			size_t n, pid_t *pids);

/*
 * Opens PROCFS/PID as a directory after checking that its cmdline names
 * @uuid, so a reused PID is never taken for the VM.  Returns the fd or a
 * negative errno (-ESRCH when the process is someone else's now).
 */
int kt_qemu_open(int procfd, pid_t pid, const char *uuid);

/*
 * Whether the process open at @piddir is still the QEMU of @uuid: its
 * cmdline, read again, names it.  0 when it does, -ESRCH when the process
 * is gone or its cmdline names no UUID or another one.
 */
int kt_qemu_check(int piddir, const char *uuid);

/*
 * The thread files of a process that were there but could not be used
 * (malformed, cut short, too large, unreadable), as opposed to those of a
 * thread that exited, which are skipped without a word.
 */
struct kt_thread_faults {
	unsigned threads;   /* threads whose schedstat or comm was unusable */
	unsigned processor; /* vCPU threads whose stat was unusable */
	char file[48];	    /* the first such file, below PROCFS/PID */
	int err;	    /* and its negative errno */
};

/*
 * Reads every thread of the process open at @piddir, sorted by TID.  A TID
 * found in @prev (sorted by TID too) keeps its vCPU number, so comm is read
 * only for new threads.  A vCPU thread's stat is read for its processor
 * when @want_processor.  Threads that vanish while being read are skipped.
 * A thread whose files are there but unusable is counted in @faults and
 * carried over from @prev unchanged (left out when new), so that it is
 * neither taken for a new thread nor credited twice once it reads again.
 * Returns 0, or a negative errno when the task directory cannot be read.
 */
int kt_qemu_read_threads(int piddir, const struct kt_thread *prev,
			 size_t n_prev, bool want_processor,
			 struct kt_thread **out, size_t *n,
			 struct kt_thread_faults *faults);

/* The thread @tid in @v (sorted by TID, @n long), or NULL. */
const struct kt_thread *kt_thread_find(const struct kt_thread *v, size_t n,
				       pid_t tid);

/*
 * PROCFS/PID/stat of the process open at @piddir: 0, -ENOENT/-ESRCH when
 * it is gone, or the error of kt_read_text_at() or the parser.
 */
int kt_qemu_read_stat(int piddir, struct kt_pid_stat *out);

/*
 * PROCFS/PID/io of the process open at @piddir: 0, -EACCES for another
 * user's process without root, -ENOENT/-ESRCH when it is gone, or the
 * error of kt_read_text_at() or the parser.
 */
int kt_qemu_read_io(int piddir, struct kt_pid_io *out);

#endif
