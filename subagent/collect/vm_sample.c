/*
 * Sampling the QEMU process of one VM: its threads' schedstat (VM totals
 * and one row per vCPU), PID/stat (memory, faults, block I/O delay) and
 * PID/io.
 *
 * Cumulative counters only ever grow (kt_counter_growth(), counters.h):
 * per thread, the growth since the thread's last sample is added (all of
 * it for a thread seen the first time or one whose counter went down), so
 * a thread that exits keeps what it counted and a restarted QEMU process
 * starts adding from zero.  Per vCPU the same rule applies to the thread
 * that carries its number.  The counters of PID/stat and PID/io follow it
 * through the tracker's counter sets, which start again when the process
 * is forgotten: a new process's counters are new.
 *
 * A procfs tree may be hostile (a copy, a remote mount, a fixture): a file
 * that is missing, empty, binary, too large or cut short is a fault of
 * this cycle, not the end of the process.  It leaves out the columns it
 * feeds (the CPU row when a thread's sums are incomplete), makes the row's
 * DataValid false and is logged as one complaint per VM (log.h's back-off),
 * while the process and its counters are kept, so nothing is counted twice
 * when the file reads again.  The process is forgotten only when it is not
 * the VM's any more: its start time changed (the PID was reused), its
 * owner is not admitted (checked every cycle, qemu_users.h) or, when a
 * file failed, its cmdline no longer names the VM.
 *
 * The process decides how much work it makes, so that work is bounded: a
 * thread named "CPU n/KVM" with n at or above the VM's vCPU count (from
 * libvirt) is an "other" thread and gets no accumulator, accumulators of
 * numbers above the count are dropped when it shrinks, and a process with
 * more than KT_THREADS_SLACK threads besides its vCPUs is not read (its
 * CPU row is left out, logged once while it lasts).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/collector_priv.h"
#include "collectors.h"
#include "log.h"
#include "pool.h"
#include "sorted.h"

/* vCPU numbers that can have a row: kvmtopVcpuIndex is 1..4096. */
#define KT_MAX_VCPU_ROWS 4096u

void kt_tracker_forget_process(struct kt_tracker *t)
{
	if (t->piddir >= 0)
		close(t->piddir);
	t->piddir = -1;
	t->pid = 0;
	t->start_known = false;
	t->start_ticks = 0;
	free(t->threads);
	t->threads = NULL;
	t->n_threads = 0;
	t->sampled = false;
	memset(&t->too_many, 0, sizeof(t->too_many)); /* a new process */
	kt_counters_restart(&t->stat_acc);
	kt_counters_restart(&t->io_acc);
}

void kt_tracker_free(struct kt_tracker *t)
{
	kt_tracker_forget_process(t);
	free(t->vcpu_acc);
	t->vcpu_acc = NULL;
	t->n_vcpu_acc = 0;
	t->cap_vcpu_acc = 0;
	kt_dev_counters_free(&t->dev_acc.blks);
	kt_dev_counters_free(&t->dev_acc.ifs);
}

/* The thread's previous sample, when this process was sampled before. */
static const struct kt_thread *old_thread(const struct kt_tracker *t, pid_t tid)
{
	return t->sampled ? kt_thread_find(t->threads, t->n_threads, tid)
			  : NULL;
}

/*
 * The vCPU numbers that count as vCPUs: below libvirt's vCPU count (or
 * the rows' ceiling when it gave none).  A thread named "CPU 9/KVM" in a
 * 2-vCPU VM is no vCPU of it, whatever it calls itself.
 */
static uint32_t vcpu_limit(const struct kt_vm *vm)
{
	uint32_t n = vm->cpu.vcpus;

	return n != 0 && n < KT_MAX_VCPU_ROWS ? n : KT_MAX_VCPU_ROWS;
}

static bool is_vcpu(const struct kt_thread *th, uint32_t limit)
{
	return th->vcpu >= 0 && (uint32_t)th->vcpu < limit;
}

static int cmp_vcpu_number(const void *key, const void *acc)
{
	return kt_cmp_u32(*(const uint32_t *)key,
			  ((const struct kt_vcpu_acc *)acc)->number);
}

/* The accumulator of vCPU @number, made when new; NULL: out of memory. */
static struct kt_vcpu_acc *vcpu_acc(struct kt_tracker *t, uint32_t number)
{
	size_t lo = kt_lower_bound(&number, t->vcpu_acc, t->n_vcpu_acc,
				   sizeof(*t->vcpu_acc), cmp_vcpu_number);
	struct kt_vcpu_acc *v;

	if (lo < t->n_vcpu_acc && t->vcpu_acc[lo].number == number)
		return &t->vcpu_acc[lo];
	if (t->n_vcpu_acc == t->cap_vcpu_acc) {
		size_t ncap = t->cap_vcpu_acc != 0 ? t->cap_vcpu_acc * 2 : 4;

		if ((v = realloc(t->vcpu_acc, ncap * sizeof(*v))) == NULL)
			return NULL;
		t->vcpu_acc = v;
		t->cap_vcpu_acc = ncap;
	}
	v = t->vcpu_acc;
	memmove(v + lo + 1, v + lo, (t->n_vcpu_acc - lo) * sizeof(*v));
	t->n_vcpu_acc++;
	v[lo] = (struct kt_vcpu_acc){ number, 0, 0 };
	return &v[lo];
}

/* Drops the accumulators of vCPU numbers the VM no longer has. */
static void vcpu_acc_prune(struct kt_tracker *t, uint32_t limit)
{
	while (t->n_vcpu_acc > 0 &&
	       t->vcpu_acc[t->n_vcpu_acc - 1].number >= limit)
		t->n_vcpu_acc--;
}

/* Folds one thread's growth into @t's counters (VM totals and its vCPU). */
static void accumulate_thread(struct kt_tracker *t, struct kt_vm_cpu *cpu,
			      const struct kt_thread *th, uint32_t limit)
{
	const struct kt_thread *o = old_thread(t, th->tid);
	uint64_t run =
		kt_counter_growth(th->run_ns, o != NULL ? &o->run_ns : NULL);
	uint64_t wait =
		kt_counter_growth(th->wait_ns, o != NULL ? &o->wait_ns : NULL);
	struct kt_vcpu_acc *a;

	if (!is_vcpu(th, limit)) {
		t->other_run += run;
		t->other_wait += wait;
		cpu->other_threads++;
		return;
	}
	t->run += run;
	t->wait += wait;
	cpu->vcpu_threads++;
	if ((a = vcpu_acc(t, (uint32_t)th->vcpu)) != NULL) {
		a->run += run;
		a->wait += wait;
	}
}

static int vcpu_cmp(const void *a, const void *b)
{
	const struct kt_vcpu *x = a, *y = b;

	if (x->number != y->number)
		return (x->number > y->number) - (x->number < y->number);
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* The row of vCPU thread @th, from its accumulator; false when none. */
static bool vcpu_row(struct kt_tracker *t, const struct kt_thread *th,
		     uint32_t limit, struct kt_vcpu *row)
{
	struct kt_vcpu_acc *a;

	if (!is_vcpu(th, limit) ||
	    (a = vcpu_acc(t, (uint32_t)th->vcpu)) == NULL)
		return false;
	memset(row, 0, sizeof(*row));
	row->number = (uint32_t)th->vcpu;
	row->tid = th->tid;
	row->processor = th->processor;
	row->run_ns = a->run;
	row->wait_ns = a->wait;
	return true;
}

/*
 * One row per vCPU number, sorted by it.  Two threads claiming one number
 * (never seen from QEMU) both count in its accumulator; the row shows the
 * lower TID.  Out of memory: no rows, the totals stay right.
 */
static void vcpu_rows(struct kt_pool *pool, struct kt_tracker *t,
		      struct kt_vm *vm, const struct kt_thread *v, size_t n)
{
	size_t i, k = 0;

	if (vm->cpu.vcpu_threads == 0 ||
	    (vm->vcpus = kt_pool_calloc(vm->pooled ? pool : NULL,
					vm->cpu.vcpu_threads,
					sizeof(*vm->vcpus))) == NULL)
		return;
	for (i = 0; i < n && k < vm->cpu.vcpu_threads; i++)
		if (vcpu_row(t, &v[i], vcpu_limit(vm), &vm->vcpus[k]))
			k++;
	if (k > 1)
		qsort(vm->vcpus, k, sizeof(*vm->vcpus), vcpu_cmp);
	vm->n_vcpus = 0;
	for (i = 0; i < k; i++)
		if (vm->n_vcpus == 0 ||
		    vm->vcpus[vm->n_vcpus - 1].number != vm->vcpus[i].number)
			vm->vcpus[vm->n_vcpus++] = vm->vcpus[i];
}

/* Folds a new thread sample into @t's counters and @vm's CPU figures. */
static void accumulate_threads(struct kt_pool *pool, struct kt_tracker *t,
			       struct kt_vm *vm, const struct kt_thread *v,
			       size_t n)
{
	struct kt_vm_cpu *cpu = &vm->cpu;
	uint32_t limit = vcpu_limit(vm);
	size_t i;

	vcpu_acc_prune(t, limit);
	for (i = 0; i < n; i++)
		accumulate_thread(t, cpu, &v[i], limit);
	cpu->run_ns = t->run;
	cpu->wait_ns = t->wait;
	cpu->other_run_ns = t->other_run;
	cpu->other_wait_ns = t->other_wait;
	cpu->vcpus_found = cpu->vcpu_threads > 0;
	cpu->valid = true;
	vcpu_rows(pool, t, vm, v, n);
}

/* What could not be used in one sample of a process: one log line's worth. */
struct faults {
	char text[320];
	size_t len;
};

static void fault_add(struct faults *f, const char *file, const char *why)
{
	int n;

	if (f->len >= sizeof(f->text) - 1)
		return;
	n = snprintf(f->text + f->len, sizeof(f->text) - f->len, "%s%s: %s",
		     f->len > 0 ? "; " : "", file, why);
	if (n > 0)
		f->len += (size_t)n;
	if (f->len >= sizeof(f->text))
		f->len = sizeof(f->text) - 1;
}

/* The errors of a file whose process (or thread) exited. */
static bool gone(int r)
{
	return r == -ESRCH || r == -ENOENT;
}

/*
 * Whether a failure @r of one of its files means that the process is no
 * longer the VM's: only when its cmdline, read again, no longer names it,
 * or its owner (PID/status) is not admitted or cannot be told.
 * A file that is merely missing or damaged leaves the process as it is.
 */
static bool process_lost(const struct kt_tracker *t,
			 const struct kt_qemu_users *users, int r)
{
	int c;

	if (r == 0)
		return false;
	c = kt_qemu_check(t->piddir, users, t->uuid);
	return c == -ESRCH || c == -EPERM;
}

static void drop_cpu(struct kt_vm *vm)
{
	vm->cpu.valid = false;
	vm->cpu.vcpus_found = false;
	if (!vm->pooled)
		free(vm->vcpus);
	vm->vcpus = NULL;
	vm->n_vcpus = 0;
}

/* The thread faults of one sample, as text. */
static void thread_faults(const struct kt_thread_faults *tf, struct faults *f)
{
	char what[96];
	unsigned n = tf->threads + tf->processor;

	if (n == 0)
		return;
	if (n == 1)
		snprintf(what, sizeof(what), "%s", tf->file);
	else
		snprintf(what, sizeof(what), "%s (and %u more thread files)",
			 tf->file, n - 1);
	fault_add(f, what, kt_read_strerror(tf->err));
}

/*
 * A process with more threads than are read: none is, the CPU row is left
 * out, and the last complete sample stays, so that what the threads ran
 * meanwhile is added once they are few enough again.
 */
static void too_many_threads(struct kt_tracker *t, struct kt_vm *vm,
			     size_t over, size_t max)
{
	if (!t->too_many.active) /* once, until its threads are read again */
		kt_complain(&t->too_many, "collect",
			    "VM %s (PID %d): %zu threads, more than the %zu "
			    "read per collection (its vCPUs and %u more): "
			    "none read, its CPU figures left out",
			    t->uuid, (int)t->pid, over, max, KT_THREADS_SLACK);
	drop_cpu(vm);
	vm->data_valid = false;
}

/*
 * The threads.  A thread whose files are unusable makes the sums of this
 * cycle incomplete, and a rate over it wrong: the CPU row is left out
 * (its counters go on from the thread's last sample when it reads again).
 */
static int sample_cpu(const struct kt_sample_ctx *x, struct kt_tracker *t,
		      struct kt_vm *vm, struct faults *f)
{
	size_t n, over, max = vcpu_limit(vm) + (size_t)KT_THREADS_SLACK;
	struct kt_thread_faults tf;
	struct kt_thread *v;
	int r;

	r = kt_qemu_read_threads(t->piddir, t->threads, t->n_threads, true, max,
				 &v, &n, &over, &tf);
	if (r == 0 && over != 0) {
		too_many_threads(t, vm, over, max);
		return 0;
	}
	if (r == 0 && n == 0) { /* a process always has a thread */
		free(v);
		r = -ESRCH;
	}
	if (r != 0) {
		if (gone(r) && process_lost(t, x->users, r))
			return r;
		fault_add(f, "task",
			  r == -ESRCH ? "no thread could be read"
				      : kt_read_strerror(r));
		return 0;
	}
	accumulate_threads(x->pool, t, vm, v, n);
	free(t->threads);
	t->threads = v;
	t->n_threads = n;
	t->sampled = true;
	if (tf.threads > 0)
		drop_cpu(vm);
	thread_faults(&tf, f);
	kt_complain_release(&t->too_many, "collect",
			    "VM %s (PID %d): its threads are read again",
			    t->uuid, (int)t->pid);
	return 0;
}

/* Clock ticks to ns without overflow: ticks x 1e9 / hz. */
static uint64_t ticks_to_ns(uint64_t ticks, long hz)
{
	uint64_t h = hz > 0 ? (uint64_t)hz : 100;

	return ticks / h * 1000000000ull + ticks % h * 1000000000ull / h;
}

/* Folds PID/stat's counters into @t's cumulative ones. */
static void accumulate_stat(struct kt_tracker *t, const struct kt_pid_stat *st)
{
	_Static_assert(KT_PS_N_COUNTERS <= KT_COUNTERS_MAX,
		       "PID/stat's counters fit a counter set");
	kt_counters_advance(&t->stat_acc, st->v, KT_PS_N_COUNTERS,
			    st->present & KT_COUNTERS_ALL(KT_PS_N_COUNTERS));
}

/* PID/stat's fields into the row: the counters cumulative (pid_stat.h). */
static void use_stat(const struct kt_sample_ctx *x, struct kt_tracker *t,
		     const struct kt_pid_stat *st, struct kt_vm *vm)
{
	if (!(x->collectors & (KT_COLLECT_MEM | KT_COLLECT_DISK)))
		return;
	accumulate_stat(t, st);
	if (x->collectors & KT_COLLECT_MEM) {
		vm->mem.has_proc = true;
		memcpy(vm->mem.stat, t->stat_acc.acc,
		       KT_PS_N_COUNTERS * sizeof(vm->mem.stat[0]));
		memcpy(vm->mem.stat + KT_PS_N_COUNTERS,
		       st->v + KT_PS_N_COUNTERS,
		       (KT_PS_N - KT_PS_N_COUNTERS) * sizeof(vm->mem.stat[0]));
		vm->mem.rss = st->v[KT_PS_RSS] * (uint64_t)x->page_size;
	}
	if (x->collectors & KT_COLLECT_DISK) {
		/* The row exists for the process even without libvirt's. */
		vm->disk.valid = true;
		vm->disk.has_delay =
			x->delayacct && (st->present & KT_PS_BIT(KT_PS_BLKIO));
		if (vm->disk.has_delay)
			vm->disk.delay_blkio_ns = ticks_to_ns(
				t->stat_acc.acc[KT_PS_BLKIO], x->clk_tck);
	}
}

/*
 * PID/status: VmSwap, the bytes of the process that the host swapped out.
 * A file that is not there (a procfs tree without it) or without the line
 * leaves the column out quietly; any other failure is a fault.
 */
static void sample_swap(struct kt_tracker *t, struct kt_vm *vm,
			struct faults *f)
{
	char buf[4096];
	ssize_t len = kt_read_text_at(t->piddir, "status", buf, sizeof(buf));
	int r = len < 0 ? (int)len
			: kt_parse_status_swap(buf, (size_t)len, &vm->mem.swap);

	vm->mem.has_swap = r == 0;
	if (r != 0 && r != -ENOENT)
		fault_add(f, "status", kt_read_strerror(r));
}

/*
 * PID/io.  Another user's process needs root, and a kernel without I/O
 * accounting has none: -EACCES and -ENOENT leave the row out quietly (a
 * debug line), as a condition of the host rather than of this file.
 * (-ENOENT here is no sign of a dead process: the next cycle's stat read
 * tells that.)  Other failures are faults.  Returns whether it was read.
 */
static bool sample_io(struct kt_tracker *t, struct kt_vm *vm, struct faults *f)
{
	const uint64_t *acc = t->io_acc.acc;
	uint64_t raw[KT_IO_N];
	struct kt_pid_io io;
	int r;

	if ((r = kt_qemu_read_io(t->piddir, &io)) != 0) {
		if (r == -EACCES || r == -ENOENT)
			kt_log_debug("collect", "VM %s: %d/io unreadable (%s)",
				     t->uuid, (int)t->pid, strerror(-r));
		else
			fault_add(f, "io", kt_read_strerror(r));
		return false;
	}
	raw[KT_IO_READ_BYTES] = io.read_bytes;
	raw[KT_IO_WRITE_BYTES] = io.write_bytes;
	raw[KT_IO_RCHAR] = io.rchar;
	raw[KT_IO_WCHAR] = io.wchar;
	raw[KT_IO_SYSCR] = io.syscr;
	raw[KT_IO_SYSCW] = io.syscw;
	raw[KT_IO_CANCELLED_WRITE_BYTES] = io.cancelled_write_bytes;
	kt_counters_advance(&t->io_acc, raw, KT_IO_N, KT_COUNTERS_ALL(KT_IO_N));
	vm->io.valid = true;
	vm->io.read_bytes = acc[KT_IO_READ_BYTES];
	vm->io.write_bytes = acc[KT_IO_WRITE_BYTES];
	vm->io.rchar = acc[KT_IO_RCHAR];
	vm->io.wchar = acc[KT_IO_WCHAR];
	vm->io.syscr = acc[KT_IO_SYSCR];
	vm->io.syscw = acc[KT_IO_SYSCW];
	vm->io.cancelled_write_bytes = acc[KT_IO_CANCELLED_WRITE_BYTES];
	return true;
}

/*
 * A process held for this long was the VM's QEMU: when it goes, the next
 * is looked for at once.  One lost sooner keeps the scan's back-off, so
 * that a process that comes and goes cannot make every cycle scan /proc.
 */
#define KT_PROCESS_SETTLED_NS (60ull * 1000000000ull)
#define KT_RESCAN_FIRST_NS 1000000000ull

/* The process is not the VM's any more: forgotten, to be looked for. */
static void lose_process(const struct kt_sample_ctx *x, struct kt_tracker *t,
			 struct kt_vm *vm, const char *why)
{
	if (why != NULL)
		kt_log_warn("collect",
			    "VM %s: process %d is not its QEMU any "
			    "more (%s)",
			    t->uuid, (int)t->pid, why);
	else
		kt_log_debug("collect", "VM %s: process %d exited", t->uuid,
			     (int)t->pid);
	drop_cpu(vm);
	vm->mem.has_proc = false;
	vm->mem.has_swap = false;
	vm->disk.has_delay = false;
	vm->io.valid = false;
	vm->data_valid = false;
	vm->pid = 0;
	kt_tracker_forget_process(t);
	if (x->now_ns - t->found_ns >= KT_PROCESS_SETTLED_NS) {
		t->scan_backoff_ns = 0;
		t->next_scan_ns = 0;
	} else {
		kt_tracker_scan_later(t, x->now_ns, KT_RESCAN_FIRST_NS);
	}
}

/*
 * PID/stat comes first: its start time tells a reused PID (another
 * process, started later) before any of that process's numbers is added
 * to the VM's counters.  Unusable, it leaves the memory columns and the
 * block I/O delay out, and the cmdline says whether the process is ours.
 * Returns false when the process was lost.
 */
static bool sample_stat(const struct kt_sample_ctx *x, struct kt_tracker *t,
			struct kt_vm *vm, struct kt_pid_stat *st, int *r)
{
	if ((*r = kt_qemu_read_stat(t->piddir, st)) != 0) {
		if (!process_lost(t, x->users, *r))
			return true;
		lose_process(x, t, vm,
			     gone(*r) ? NULL : "it is not the VM's any more");
		return false;
	}
	if (t->start_known && st->v[KT_PS_STARTTIME] != t->start_ticks) {
		lose_process(x, t, vm, "its PID belongs to a later process");
		return false;
	}
	t->start_ticks = st->v[KT_PS_STARTTIME];
	t->start_known = true;
	return true;
}

/*
 * The owner, every cycle: a process that was admitted and is not now (it
 * changed its uids, or its status no longer tells them) is lost, counted
 * and logged like a refused one.  False when it was lost.
 */
static bool owner_admitted(const struct kt_sample_ctx *x, struct kt_tracker *t,
			   struct kt_vm *vm)
{
	uint32_t ids[KT_STATUS_UIDS];
	char why[96];
	int r = kt_qemu_owner(t->piddir, "status", x->users, ids);

	if (r == 0)
		return true;
	if (r == -EPERM) {
		kt_tracker_refused(t, t->pid, ids[0], ids[1], 1);
		snprintf(why, sizeof(why), "its owner is uid %u, euid %u now",
			 (unsigned)ids[0], (unsigned)ids[1]);
	} else {
		snprintf(why, sizeof(why), "its status: %s",
			 kt_read_strerror(r));
	}
	lose_process(x, t, vm, gone(r) ? NULL : why);
	return false;
}

void kt_sample_vm(const struct kt_sample_ctx *x, struct kt_tracker *t,
		  struct kt_vm *vm)
{
	struct faults f = { .len = 0 };
	struct kt_pid_stat st;
	bool io = true;
	int r;

	vm->pid = t->pid;
	if (!sample_stat(x, t, vm, &st, &r) || !owner_admitted(x, t, vm))
		return;
	if ((x->collectors & KT_COLLECT_CPU) && sample_cpu(x, t, vm, &f) != 0) {
		lose_process(x, t, vm, NULL);
		return;
	}
	if (r == 0)
		use_stat(x, t, &st, vm);
	else if (x->collectors & (KT_COLLECT_MEM | KT_COLLECT_DISK))
		fault_add(&f, "stat", kt_read_strerror(r));
	if (x->collectors & KT_COLLECT_MEM)
		sample_swap(t, vm, &f);
	if (x->collectors & KT_COLLECT_IO)
		io = sample_io(t, vm, &f);
	if (f.len > 0)
		kt_complain(&t->unreadable, "collect",
			    "VM %s (PID %d): %s; left out of this collection",
			    t->uuid, (int)t->pid, f.text);
	vm->data_valid = f.len == 0 && io && !t->too_many.active;
}
