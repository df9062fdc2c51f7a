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
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/collector_priv.h"
#include "log.h"
#include "options.h"

/* vCPU numbers that can have a row: kvmtopVcpuIndex is 1..4096. */
#define KT_MAX_VCPU_ROWS 4096u

void kt_tracker_forget_process(struct kt_tracker *t)
{
	if (t->piddir >= 0)
		close(t->piddir);
	t->piddir = -1;
	t->pid = 0;
	free(t->threads);
	t->threads = NULL;
	t->n_threads = 0;
	t->sampled = false;
	kt_counters_restart(&t->stat_acc);
	kt_counters_restart(&t->io_acc);
}

void kt_tracker_free(struct kt_tracker *t)
{
	kt_tracker_forget_process(t);
	free(t->vcpu_acc);
	t->vcpu_acc = NULL;
	t->n_vcpu_acc = 0;
	kt_dev_counters_free(&t->dev_acc.blks);
	kt_dev_counters_free(&t->dev_acc.ifs);
}

/* The thread's previous sample, when this process was sampled before. */
static const struct kt_thread *old_thread(const struct kt_tracker *t, pid_t tid)
{
	return t->sampled ? kt_thread_find(t->threads, t->n_threads, tid)
			  : NULL;
}

/* The accumulator of vCPU @number, made when new; NULL: out of memory. */
static struct kt_vcpu_acc *vcpu_acc(struct kt_tracker *t, uint32_t number)
{
	size_t lo = 0, hi = t->n_vcpu_acc;
	struct kt_vcpu_acc *v;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->vcpu_acc[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->n_vcpu_acc && t->vcpu_acc[lo].number == number)
		return &t->vcpu_acc[lo];
	v = realloc(t->vcpu_acc, (t->n_vcpu_acc + 1) * sizeof(*v));
	if (v == NULL)
		return NULL;
	t->vcpu_acc = v;
	memmove(v + lo + 1, v + lo, (t->n_vcpu_acc - lo) * sizeof(*v));
	t->n_vcpu_acc++;
	v[lo] = (struct kt_vcpu_acc){ number, 0, 0 };
	return &v[lo];
}

/* Folds one thread's growth into @t's counters (VM totals and its vCPU). */
static void accumulate_thread(struct kt_tracker *t, struct kt_vm_cpu *cpu,
			      const struct kt_thread *th)
{
	const struct kt_thread *o = old_thread(t, th->tid);
	uint64_t run =
		kt_counter_growth(th->run_ns, o != NULL ? &o->run_ns : NULL);
	uint64_t wait =
		kt_counter_growth(th->wait_ns, o != NULL ? &o->wait_ns : NULL);
	struct kt_vcpu_acc *a;

	if (th->vcpu < 0) {
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
		     struct kt_vcpu *row)
{
	struct kt_vcpu_acc *a;

	if (th->vcpu < 0 || (uint32_t)th->vcpu >= KT_MAX_VCPU_ROWS ||
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
static void vcpu_rows(struct kt_tracker *t, struct kt_vm *vm,
		      const struct kt_thread *v, size_t n)
{
	size_t i, k = 0;

	if (vm->cpu.vcpu_threads == 0 ||
	    (vm->vcpus = calloc(vm->cpu.vcpu_threads, sizeof(*vm->vcpus))) ==
		    NULL)
		return;
	for (i = 0; i < n && k < vm->cpu.vcpu_threads; i++)
		if (vcpu_row(t, &v[i], &vm->vcpus[k]))
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
static void accumulate_threads(struct kt_tracker *t, struct kt_vm *vm,
			       const struct kt_thread *v, size_t n)
{
	struct kt_vm_cpu *cpu = &vm->cpu;
	size_t i;

	for (i = 0; i < n; i++)
		accumulate_thread(t, cpu, &v[i]);
	cpu->run_ns = t->run;
	cpu->wait_ns = t->wait;
	cpu->other_run_ns = t->other_run;
	cpu->other_wait_ns = t->other_wait;
	cpu->vcpus_found = cpu->vcpu_threads > 0;
	cpu->valid = true;
	vcpu_rows(t, vm, v, n);
}

static int sample_cpu(struct kt_tracker *t, struct kt_vm *vm)
{
	struct kt_thread *v;
	size_t n;
	int r;

	r = kt_qemu_read_threads(t->piddir, t->threads, t->n_threads, true, &v,
				 &n);
	if (r != 0)
		return r;
	if (n == 0) { /* a process always has a thread: it is gone */
		free(v);
		return -ESRCH;
	}
	accumulate_threads(t, vm, v, n);
	free(t->threads);
	t->threads = v;
	t->n_threads = n;
	t->sampled = true;
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
	uint64_t raw[KT_STAT_N];
	uint32_t reported = KT_COUNTERS_ALL(KT_STAT_N);

	raw[KT_STAT_MINFLT] = st->minflt;
	raw[KT_STAT_CMINFLT] = st->cminflt;
	raw[KT_STAT_MAJFLT] = st->majflt;
	raw[KT_STAT_CMAJFLT] = st->cmajflt;
	raw[KT_STAT_BLKIO_TICKS] = st->blkio_ticks;
	if (!st->has_blkio)
		reported &= ~(1u << KT_STAT_BLKIO_TICKS);
	kt_counters_advance(&t->stat_acc, raw, KT_STAT_N, reported);
}

static int sample_stat(const struct kt_sample_ctx *x, struct kt_tracker *t,
		       struct kt_vm *vm)
{
	struct kt_pid_stat st;
	int r;

	if ((r = kt_qemu_read_stat(t->piddir, &st)) != 0)
		return r;
	accumulate_stat(t, &st);
	if (x->collectors & KT_COLLECT_MEM) {
		vm->mem.has_proc = true;
		vm->mem.vsize = st.vsize;
		vm->mem.rss = st.rss_pages * (uint64_t)x->page_size;
		vm->mem.minflt = t->stat_acc.acc[KT_STAT_MINFLT];
		vm->mem.cminflt = t->stat_acc.acc[KT_STAT_CMINFLT];
		vm->mem.majflt = t->stat_acc.acc[KT_STAT_MAJFLT];
		vm->mem.cmajflt = t->stat_acc.acc[KT_STAT_CMAJFLT];
	}
	if (x->collectors & KT_COLLECT_DISK) {
		/* The row exists for the process even without libvirt's. */
		vm->disk.valid = true;
		vm->disk.has_delay = x->delayacct && st.has_blkio;
		if (vm->disk.has_delay)
			vm->disk.delay_blkio_ns = ticks_to_ns(
				t->stat_acc.acc[KT_STAT_BLKIO_TICKS],
				x->clk_tck);
	}
	return 0;
}

static int sample_io(struct kt_tracker *t, struct kt_vm *vm)
{
	const uint64_t *acc = t->io_acc.acc;
	uint64_t raw[KT_IO_N];
	struct kt_pid_io io;
	int r;

	if ((r = kt_qemu_read_io(t->piddir, &io)) != 0)
		return r;
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
	return 0;
}

static bool process_gone(int r)
{
	return r == -ESRCH || r == -ENOENT;
}

/* Drops what a failed sample may have filled in. */
static void sample_failed(struct kt_tracker *t, struct kt_vm *vm, int r)
{
	kt_log_debug("collect", "VM %s: process %d unreadable (%s)", t->uuid,
		     (int)t->pid, strerror(-r));
	vm->cpu.valid = false;
	vm->mem.has_proc = false;
	vm->disk.has_delay = false;
	vm->io.valid = false;
	free(vm->vcpus);
	vm->vcpus = NULL;
	vm->n_vcpus = 0;
	if (process_gone(r)) {
		kt_tracker_forget_process(t);
		t->next_scan_ns = 0;
		vm->pid = 0;
	}
}

void kt_sample_vm(const struct kt_sample_ctx *x, struct kt_tracker *t,
		  struct kt_vm *vm)
{
	int r = 0, io = 0;

	vm->pid = t->pid;
	if (x->collectors & KT_COLLECT_CPU)
		r = sample_cpu(t, vm);
	if (r == 0 && (x->collectors & (KT_COLLECT_MEM | KT_COLLECT_DISK)))
		r = sample_stat(x, t, vm);
	/*
	 * PID/io of another user's process needs root, and a kernel without
	 * I/O accounting has none: unreadable, it makes the I/O row absent
	 * and the VM's data invalid, nothing more.  (-ENOENT here is no sign
	 * of a dead process: the next cycle's schedstat read tells that.)
	 */
	if (r == 0 && (x->collectors & KT_COLLECT_IO))
		io = sample_io(t, vm);
	if (r != 0) {
		sample_failed(t, vm, r);
		return;
	}
	if (io != 0)
		kt_log_debug("collect", "VM %s: %d/io unreadable (%s)", t->uuid,
			     (int)t->pid, strerror(-io));
	vm->data_valid = io == 0;
}
