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
#include "collect/qemu_users.h"

struct kt_thread {
	pid_t tid;
	int vcpu;      /* vCPU number from "CPU n/KVM", -1 for others */
	int processor; /* vCPU threads: host CPU last run on; -1 unknown */
	uint64_t run_ns;
	uint64_t wait_ns;
};

/*
 * The owner of the process whose status file is @rel below @dirfd
 * ("PID/status" below the procfs root, "status" below a PID directory):
 * 0 when @users admit it, -EPERM when they do not, or the error of reading
 * or parsing the file (-ENOENT/-ESRCH: gone).  @ids gets the four uids of
 * its Uid line (zeros when unreadable).
 */
int kt_qemu_owner(int dirfd, const char *rel, const struct kt_qemu_users *users,
		  uint32_t ids[KT_STATUS_UIDS]);

/* A process carrying a wanted UUID that kt_qemu_discover() refused. */
struct kt_qemu_refusal {
	unsigned count; /* refused in this scan */
	pid_t pid;	/* the first of them */
	uint32_t ruid, euid;
};

/*
 * One pass over the numeric entries of the procfs root @procfd: for each of
 * the @n UUIDs whose QEMU process is found, sets pids[i]; the others are
 * left 0.  A process is a candidate only when @users admit its owner
 * (PID/status), checked before its cmdline is looked at; then its cmdline
 * must have "-uuid UUID".  The cmdline of a process whose owner is not
 * admitted is read only to count it in refused[i] when it carries UUID i
 * (an impostor worth a log line); it is never taken.  Returns how many
 * were found.
 */
size_t kt_qemu_discover(int procfd, const struct kt_qemu_users *users,
			const char (*uuids)[KT_UUID_LEN + 1], size_t n,
			pid_t *pids, struct kt_qemu_refusal *refused);

/*
 * Opens PROCFS/PID as a directory after checking kt_qemu_check(), so a
 * reused PID is never taken for the VM.  Returns the fd or a negative
 * errno (-ESRCH when the process is someone else's now, -EPERM when its
 * owner is not admitted).
 */
int kt_qemu_open(int procfd, pid_t pid, const struct kt_qemu_users *users,
		 const char *uuid);

/*
 * Whether the process open at @piddir is still the QEMU of @uuid: @users
 * admit its owner and its cmdline, read again, names it.  0 when it is,
 * -EPERM when its owner is not admitted, -ESRCH when the process is gone
 * or its cmdline names no UUID or another one.
 */
int kt_qemu_check(int piddir, const struct kt_qemu_users *users,
		  const char *uuid);

/*
 * At most this many threads more than the VM has vCPUs are read per
 * process and cycle: a real QEMU has a few dozen besides its vCPUs.
 */
#define KT_THREADS_SLACK 4096u

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
 * Reads the threads of the process open at @piddir, sorted by TID, at most
 * @max of them: a process with more is not read at all (its task directory
 * is only counted), *@n is 0 and *@over the number of threads it has;
 * otherwise *@over is 0.  A TID
 * found in @prev (sorted by TID too) keeps its vCPU number, so comm is read
 * only for new threads.  A vCPU thread's stat is read for its processor
 * when @want_processor.  Threads that vanish while being read are skipped.
 * A thread whose files are there but unusable is counted in @faults and
 * carried over from @prev unchanged (left out when new), so that it is
 * neither taken for a new thread nor credited twice once it reads again.
 * Returns 0, or a negative errno when the task directory cannot be read.
 */
int kt_qemu_read_threads(int piddir, const struct kt_thread *prev,
			 size_t n_prev, bool want_processor, size_t max,
			 struct kt_thread **out, size_t *n, size_t *over,
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
