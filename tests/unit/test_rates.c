/*
 * Unit tests for subagent/snapshot.c: the percentage arithmetic, rates
 * between two snapshots (per VM and per vCPU), row lookup and sorting, reference counting.
 * Every expected value is worked by hand in the comment next to it.
 * Run under -fsanitize=address to check that the last unref frees all.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kt_test.h"
#include "snapshot.h"

#define SEC 1000000000ULL

static void test_rate_formula(void)
{
	/* 1.5 s on a CPU over 2 s, two threads: 1.5 / (2 * 2) = 37.50 %. */
	KT_EQ_U64(kt_rate_centi_percent(1500000000, 2 * SEC, 2), 3750,
		  "1.5 s over 2 s on 2 CPUs is 3750");
	/* 2 s over 2 s on one CPU: all busy. */
	KT_EQ_U64(kt_rate_centi_percent(2 * SEC, 2 * SEC, 1), 10000,
		  "busy for the whole interval is 10000");
	/* 5 ns * 10000 / 20000 ns = 2.5: half rounds up (not to even). */
	KT_EQ_U64(kt_rate_centi_percent(5, 20000, 1), 3, "2.5 rounds up to 3");
	/* 1 * 10000 / 20000 = 0.5 -> 1. */
	KT_EQ_U64(kt_rate_centi_percent(1, 20000, 1), 1, "0.5 rounds up to 1");
	/* 1 * 10000 / 20001 = 0.49998 -> 0. */
	KT_EQ_U64(kt_rate_centi_percent(1, 20001, 1), 0,
		  "just under 0.5 rounds down");
	/* 3 * 10000 / (10000 * 4) = 0.75 -> 1: cpus divides too. */
	KT_EQ_U64(kt_rate_centi_percent(3, 10000, 4), 1,
		  "0.75 rounds up to 1 with 4 CPUs");
	/* 1 * 10000 / (10000 * 4) = 0.25 -> 0. */
	KT_EQ_U64(kt_rate_centi_percent(1, 10000, 4), 0,
		  "0.25 rounds down with 4 CPUs");
	KT_EQ_U64(kt_rate_centi_percent(0, 2 * SEC, 2), 0, "no time is 0");
	KT_EQ_U64(kt_rate_centi_percent(SEC, 0, 2), 0, "interval 0 gives 0");
	KT_EQ_U64(kt_rate_centi_percent(SEC, 2 * SEC, 0), 0, "0 CPUs gives 0");
}

static void test_rate_overflow(void)
{
	/* delta * 10000 overflows 64 bits; the ratio is exactly 1. */
	KT_EQ_U64(kt_rate_centi_percent(UINT64_MAX, UINT64_MAX, 1), 10000,
		  "UINT64_MAX over UINT64_MAX is 10000");
	/*
	 * (2^64 - 1) / 2 = 2^63 - 1 over 2^64 - 1: just under one half,
	 * 4999.9999999999999997 -> 5000.
	 */
	KT_EQ_U64(kt_rate_centi_percent(UINT64_MAX / 2, UINT64_MAX, 1), 5000,
		  "2^63-1 over 2^64-1 rounds to 5000");
	/* interval * cpus = 2^63 * 4 overflows 64 bits: 2^63 / 2^65 = 25 %. */
	KT_EQ_U64(kt_rate_centi_percent(1ULL << 63, 1ULL << 63, 4), 2500,
		  "2^63 over 2^63 on 4 CPUs is 2500");
	/*
	 * 3 * 2^61 * 4 = 3 * 2^63 would wrap to 2^63 in 64 bits:
	 * 2^63 / (3 * 2^63) = 33.333 % -> 3333 (10000 if it wrapped).
	 */
	KT_EQ_U64(kt_rate_centi_percent(1ULL << 63, 3ULL << 61, 4), 3333,
		  "2^63 over 3 * 2^61 on 4 CPUs is 3333");
	/* 10000 / (2^32 - 1) is far below 0.5. */
	KT_EQ_U64(kt_rate_centi_percent(UINT64_MAX, UINT64_MAX, UINT32_MAX), 0,
		  "averaged over UINT32_MAX CPUs rounds to 0");
	/* 4294967295 * 10000 / 10000 = UINT32_MAX exactly: no saturation. */
	KT_EQ_U64(kt_rate_centi_percent(4294967295ULL, 10000, 1), 4294967295ULL,
		  "exactly UINT32_MAX");
	KT_EQ_U64(kt_rate_centi_percent(4294967294ULL, 10000, 1), 4294967294ULL,
		  "one below UINT32_MAX");
	/* 4294967296 * 10000 / 10000 = 2^32: saturates. */
	KT_EQ_U64(kt_rate_centi_percent(4294967296ULL, 10000, 1), UINT32_MAX,
		  "2^32 saturates at UINT32_MAX");
	KT_EQ_U64(kt_rate_centi_percent(UINT64_MAX, 1, 1), UINT32_MAX,
		  "UINT64_MAX over 1 ns saturates");
}

/* A row with a valid CPU sample. */
static void set_cpu(struct kt_vm *vm, uint32_t index, uint32_t threads,
		    uint64_t run, uint64_t wait, uint64_t orun, uint64_t owait)
{
	vm->index = index;
	vm->cpu.valid = true;
	vm->cpu.vcpus_found = threads > 0;
	vm->cpu.vcpu_threads = threads;
	vm->cpu.run_ns = run;
	vm->cpu.wait_ns = wait;
	vm->cpu.other_run_ns = orun;
	vm->cpu.other_wait_ns = owait;
}

/* Marks a row's rate fields so a test sees whether they were reset. */
static void poison_rates(struct kt_vm *vm)
{
	vm->cpu.has_rate = true;
	vm->cpu.total = vm->cpu.steal = 111;
	vm->cpu.other_total = vm->cpu.other_steal = 222;
}

static void check_no_rate(const struct kt_snapshot *s, uint32_t index,
			  const char *what)
{
	const struct kt_vm *vm = kt_snapshot_find(s, index);
	char buf[160];

	snprintf(buf, sizeof(buf), "%s: row present", what);
	if (!KT_CHECK(vm != NULL, buf))
		return;
	snprintf(buf, sizeof(buf), "%s: has_rate false", what);
	KT_CHECK(!vm->cpu.has_rate, buf);
	snprintf(buf, sizeof(buf), "%s: rates zeroed", what);
	KT_CHECK(vm->cpu.total == 0 && vm->cpu.steal == 0 &&
			 vm->cpu.other_total == 0 && vm->cpu.other_steal == 0,
		 buf);
}

/*
 * prev rows: 1 2 3 5 6 8 9 10 11 20 21 23
 * cur rows:    2 3 4 5 7 8   10 11 12       23 30
 * 1, 6, 9, 20 and 21 vanished (20 and 21 side by side before 23, which
 * has rates); 4, 7, 12 and 30 (after prev's last row) appeared.
 */
static void test_compute_rates(void)
{
	struct kt_snapshot *prev = kt_snapshot_new(12);
	struct kt_snapshot *cur = kt_snapshot_new(11);
	const struct kt_vm *vm;
	size_t i;

	if (!KT_CHECK(prev != NULL && cur != NULL, "allocate two snapshots"))
		goto out;
	cur->interval_ns = 2 * SEC;
	set_cpu(&prev->vms[0], 1, 2, 0, 0, 0, 0);
	set_cpu(&prev->vms[1], 2, 2, 10 * SEC, SEC, 5 * SEC, 0);
	set_cpu(&prev->vms[2], 3, 2, 10 * SEC, SEC, 5 * SEC, 0);
	set_cpu(&prev->vms[3], 5, 1, SEC, SEC, 0, 0);
	set_cpu(&prev->vms[4], 6, 1, 0, 0, 0, 0);
	set_cpu(&prev->vms[5], 8, 1, SEC, 0, 0, 0);
	prev->vms[5].cpu.valid = false; /* its threads were not read */
	set_cpu(&prev->vms[6], 9, 1, 0, 0, 0, 0);
	set_cpu(&prev->vms[7], 10, 1, 0, 0, 0, 0);
	set_cpu(&prev->vms[8], 11, 0, 0, 0, 0, 0);
	set_cpu(&prev->vms[9], 20, 1, 0, 0, 0, 0);
	set_cpu(&prev->vms[10], 21, 1, 0, 0, 0, 0);
	set_cpu(&prev->vms[11], 23, 1, SEC, 0, 0, 0);

	/* 2: run +1.5 s, wait +0.1 s on 2 threads; others +3 s, +20 ms. */
	set_cpu(&cur->vms[0], 2, 2, 11500000000ULL, 1100000000ULL, 8 * SEC,
		20000000ULL);
	/* 3: run went down (QEMU restarted without the collector noticing). */
	set_cpu(&cur->vms[1], 3, 2, 5 * SEC, 2 * SEC, 6 * SEC, SEC);
	set_cpu(&cur->vms[2], 4, 2, 10 * SEC, SEC, 0, 0);
	/* 5: run +2.1 s, wait +2.2 s on 1 thread over 2 s: above 100 %. */
	set_cpu(&cur->vms[3], 5, 1, 3100000000ULL, 3200000000ULL, 0, 0);
	set_cpu(&cur->vms[4], 7, 1, SEC, 0, 0, 0);
	set_cpu(&cur->vms[5], 8, 1, 2 * SEC, 0, 0, 0);
	/* 10: this cycle's read of its threads failed. */
	set_cpu(&cur->vms[6], 10, 1, SEC, 0, 0, 0);
	cur->vms[6].cpu.valid = false;
	/* 11: no vCPU thread identified; its other threads did run. */
	set_cpu(&cur->vms[7], 11, 0, 0, 0, SEC, 0);
	set_cpu(&cur->vms[8], 12, 1, 0, 0, 0, 0);
	/* 23: run +0.5 s on 1 thread over 2 s. */
	set_cpu(&cur->vms[9], 23, 1, 1500000000ULL, 0, 0, 0);
	set_cpu(&cur->vms[10], 30, 1, 0, 0, 0, 0);
	for (i = 0; i < cur->n_vms; i++)
		poison_rates(&cur->vms[i]);

	kt_snapshot_compute_rates(cur, prev);

	vm = kt_snapshot_find(cur, 2);
	if (KT_CHECK(vm != NULL && vm->cpu.has_rate, "row 2 has rates")) {
		/* 1.5 s / (2 s * 2) = 37.50 % */
		KT_EQ_U64(vm->cpu.total, 3750, "row 2 total 3750");
		/* 0.1 s / (2 s * 2) = 2.50 % */
		KT_EQ_U64(vm->cpu.steal, 250, "row 2 steal 250");
		/* 3 s / 2 s of one CPU = 150.00 %: not clamped */
		KT_EQ_U64(vm->cpu.other_total, 15000,
			  "row 2 other_total 15000 (above 100 %)");
		/* 20 ms / 2 s = 1.00 % */
		KT_EQ_U64(vm->cpu.other_steal, 100, "row 2 other_steal 100");
	}
	check_no_rate(cur, 3, "row 3 counter went down");
	check_no_rate(cur, 4, "row 4 missing in prev");
	vm = kt_snapshot_find(cur, 5);
	if (KT_CHECK(vm != NULL && vm->cpu.has_rate, "row 5 has rates")) {
		/* 2.1 s / 2 s = 105 % -> clamped */
		KT_EQ_U64(vm->cpu.total, 10000, "row 5 total clamped to 10000");
		/* 2.2 s / 2 s = 110 % -> clamped */
		KT_EQ_U64(vm->cpu.steal, 10000, "row 5 steal clamped to 10000");
		KT_EQ_U64(vm->cpu.other_total, 0, "row 5 other_total 0");
		KT_EQ_U64(vm->cpu.other_steal, 0, "row 5 other_steal 0");
	}
	check_no_rate(cur, 7, "row 7 missing in prev (prev has 6 and 8)");
	check_no_rate(cur, 8, "row 8 prev sample not valid");
	check_no_rate(cur, 10, "row 10 cur sample not valid");
	vm = kt_snapshot_find(cur, 11);
	if (KT_CHECK(vm != NULL && vm->cpu.has_rate,
		     "row 11 (no vCPU threads) still has the other rates")) {
		KT_EQ_U64(vm->cpu.total, 0,
			  "row 11 total 0 without vCPU threads");
		KT_EQ_U64(vm->cpu.steal, 0,
			  "row 11 steal 0 without vCPU threads");
		/* 1 s / 2 s of one CPU = 50.00 % */
		KT_EQ_U64(vm->cpu.other_total, 5000, "row 11 other_total 5000");
		KT_EQ_U64(vm->cpu.other_steal, 0, "row 11 other_steal 0");
	}
	check_no_rate(cur, 12, "row 12 missing in prev (between 11 and 20)");
	vm = kt_snapshot_find(cur, 23);
	if (KT_CHECK(vm != NULL && vm->cpu.has_rate,
		     "row 23 after two vanished rows has rates")) {
		/* 0.5 s / 2 s = 25.00 % */
		KT_EQ_U64(vm->cpu.total, 2500, "row 23 total 2500");
	}
	check_no_rate(cur, 30, "row 30 missing in prev (after its last row)");
	KT_EQ_U64(cur->n_vms, 11, "rows only in prev add nothing to cur");
	KT_CHECK(kt_snapshot_find(cur, 1) == NULL &&
			 kt_snapshot_find(cur, 6) == NULL &&
			 kt_snapshot_find(cur, 9) == NULL &&
			 kt_snapshot_find(cur, 20) == NULL,
		 "rows only in prev are not in cur");
	/* prev is read only. */
	KT_EQ_U64(prev->vms[1].cpu.run_ns, 10 * SEC, "prev left unchanged");
out:
	kt_snapshot_unref(prev);
	kt_snapshot_unref(cur);
}

/* A counter that goes down gives no rate, whichever of the four it is. */
static void test_each_counter_reset(void)
{
	static const char *const names[] = { "run", "wait", "other_run",
					     "other_wait" };
	struct kt_snapshot *prev, *cur;
	uint64_t *c;
	char buf[96];
	int k;

	for (k = 0; k < 4; k++) {
		prev = kt_snapshot_new(1);
		cur = kt_snapshot_new(1);
		if (!KT_CHECK(prev != NULL && cur != NULL, "allocate"))
			goto next;
		cur->interval_ns = SEC;
		set_cpu(&prev->vms[0], 7, 1, 5, 5, 5, 5);
		set_cpu(&cur->vms[0], 7, 1, 6, 6, 6, 6);
		c = k == 0   ? &cur->vms[0].cpu.run_ns
		    : k == 1 ? &cur->vms[0].cpu.wait_ns
		    : k == 2 ? &cur->vms[0].cpu.other_run_ns
			     : &cur->vms[0].cpu.other_wait_ns;
		*c = 4;
		kt_snapshot_compute_rates(cur, prev);
		snprintf(buf, sizeof(buf), "%s going down: no rate", names[k]);
		KT_CHECK(!cur->vms[0].cpu.has_rate, buf);
		/* Put it back: equal counters are no reset, the rate is 0. */
		*c = 5;
		kt_snapshot_compute_rates(cur, prev);
		snprintf(buf, sizeof(buf), "%s unchanged: rate", names[k]);
		KT_CHECK(cur->vms[0].cpu.has_rate, buf);
	next:
		kt_snapshot_unref(prev);
		kt_snapshot_unref(cur);
	}
}

static void test_no_prev_no_interval(void)
{
	struct kt_snapshot *prev = kt_snapshot_new(1);
	struct kt_snapshot *cur = kt_snapshot_new(1);

	if (!KT_CHECK(prev != NULL && cur != NULL, "allocate"))
		goto out;
	set_cpu(&prev->vms[0], 1, 1, 0, 0, 0, 0);
	set_cpu(&cur->vms[0], 1, 1, SEC, 0, 0, 0);
	poison_rates(&cur->vms[0]);
	cur->interval_ns = SEC;
	kt_snapshot_compute_rates(cur, NULL);
	check_no_rate(cur, 1, "no previous snapshot");

	poison_rates(&cur->vms[0]);
	cur->interval_ns = 0;
	kt_snapshot_compute_rates(cur, prev);
	check_no_rate(cur, 1, "interval 0");

	/* Sanity: the same pair with an interval gives 1 s / 1 s. */
	cur->interval_ns = SEC;
	kt_snapshot_compute_rates(cur, prev);
	KT_CHECK(cur->vms[0].cpu.has_rate && cur->vms[0].cpu.total == 10000,
		 "same pair with 1 s interval: 10000");

	/* An empty current or previous snapshot is fine. */
	kt_snapshot_compute_rates(NULL, prev);
	prev->n_vms = 0;
	kt_snapshot_compute_rates(cur, prev);
	check_no_rate(cur, 1, "empty previous snapshot");
	prev->n_vms = 1;
out:
	kt_snapshot_unref(prev);
	kt_snapshot_unref(cur);
}

/* A deterministic shuffle (xorshift), so a failure repeats. */
/* vCPU row @i of @vm: number, thread, run and wait; rates poisoned. */
static void set_vcpu(struct kt_vm *vm, size_t i, uint32_t number, pid_t tid,
		     uint64_t run, uint64_t wait)
{
	struct kt_vcpu *v = &vm->vcpus[i];

	v->number = number;
	v->tid = tid;
	v->processor = -1;
	v->run_ns = run;
	v->wait_ns = wait;
	v->has_rate = true;
	v->total = v->steal = 333;
}

static void alloc_vcpus(struct kt_vm *vm, size_t n)
{
	vm->vcpus = calloc(n, sizeof(*vm->vcpus));
	if (vm->vcpus == NULL)
		abort();
	vm->n_vcpus = n;
}

static void check_vcpu(const struct kt_vm *vm, size_t i, bool has_rate,
		       uint32_t total, uint32_t steal, const char *what)
{
	const struct kt_vcpu *v = &vm->vcpus[i];
	char buf[160];

	snprintf(buf, sizeof(buf), "%s: has_rate %s", what,
		 has_rate ? "true" : "false");
	KT_CHECK(v->has_rate == has_rate, buf);
	snprintf(buf, sizeof(buf), "%s: total", what);
	KT_EQ_U64(v->total, total, buf);
	snprintf(buf, sizeof(buf), "%s: steal", what);
	KT_EQ_U64(v->steal, steal, buf);
}

/*
 * Per-vCPU rates over 2 s, matched by vCPU number and thread id:
 * prev VM 5: vCPU 0 (tid 100), 1 (101), 3 (103), 4 (104), 6 (106)
 * cur  VM 5: vCPU 0 (100), 1 (101), 2 (102, new), 3 (203, a new thread),
 *            4 (104, counter went down), 7 (107, after prev's last)
 * VM 9: prev had no valid CPU sample; VM 11: cur has none.
 */
static void test_vcpu_rates(void)
{
	struct kt_snapshot *prev = kt_snapshot_new(3);
	struct kt_snapshot *cur = kt_snapshot_new(3);
	struct kt_vm *p5, *c5, *p9, *c9, *p11, *c11;

	if (prev == NULL || cur == NULL)
		abort();
	cur->interval_ns = 2 * SEC;
	p5 = &prev->vms[0], p9 = &prev->vms[1], p11 = &prev->vms[2];
	c5 = &cur->vms[0], c9 = &cur->vms[1], c11 = &cur->vms[2];
	set_cpu(p5, 5, 5, 0, 0, 0, 0);
	set_cpu(c5, 5, 6, 0, 0, 0, 0);
	alloc_vcpus(p5, 5);
	set_vcpu(p5, 0, 0, 100, 10 * SEC, 1 * SEC);
	set_vcpu(p5, 1, 1, 101, 5 * SEC, 0);
	set_vcpu(p5, 2, 3, 103, 1 * SEC, 1 * SEC);
	set_vcpu(p5, 3, 4, 104, 9 * SEC, 1 * SEC);
	set_vcpu(p5, 4, 6, 106, 1 * SEC, 1 * SEC);
	alloc_vcpus(c5, 6);
	/* 1.5 s run, 0.5 s wait over 2 s: 75 % and 25 % of one CPU. */
	set_vcpu(c5, 0, 0, 100, 11500000000ULL, 1500000000ULL);
	/* 3 s run over 2 s (interval jitter): clamped to 100 %; wait 0. */
	set_vcpu(c5, 1, 1, 101, 8 * SEC, 0);
	set_vcpu(c5, 2, 2, 102, 2 * SEC, 0);
	set_vcpu(c5, 3, 3, 203, 2 * SEC, 2 * SEC);
	set_vcpu(c5, 4, 4, 104, 8 * SEC, 2 * SEC);
	set_vcpu(c5, 5, 7, 107, 1 * SEC, 0);
	set_cpu(p9, 9, 1, 0, 0, 0, 0);
	p9->cpu.valid = false;
	alloc_vcpus(p9, 1);
	set_vcpu(p9, 0, 0, 900, 1 * SEC, 0);
	set_cpu(c9, 9, 1, 0, 0, 0, 0);
	alloc_vcpus(c9, 1);
	set_vcpu(c9, 0, 0, 900, 2 * SEC, 0);
	set_cpu(p11, 11, 1, 0, 0, 0, 0);
	alloc_vcpus(p11, 1);
	set_vcpu(p11, 0, 0, 1100, 1 * SEC, 0);
	set_cpu(c11, 11, 1, 0, 0, 0, 0);
	c11->cpu.valid = false;
	alloc_vcpus(c11, 1);
	set_vcpu(c11, 0, 0, 1100, 2 * SEC, 0);

	kt_snapshot_compute_rates(cur, prev);
	check_vcpu(c5, 0, true, 7500, 2500, "vCPU 0: 1.5 s and 0.5 s of 2 s");
	check_vcpu(c5, 1, true, 10000, 0, "vCPU 1: 150 % clamped");
	check_vcpu(c5, 2, false, 0, 0, "vCPU 2: new number");
	check_vcpu(c5, 3, false, 0, 0, "vCPU 3: another thread now");
	check_vcpu(c5, 4, false, 0, 0, "vCPU 4: counter went down");
	check_vcpu(c5, 5, false, 0, 0, "vCPU 7: after prev's last");
	check_vcpu(c9, 0, false, 0, 0, "no valid sample before");
	check_vcpu(c11, 0, false, 0, 0, "no valid sample now");

	/* Over 3 s: 1 s -> 3333.33 -> 3333, 2 s -> 6666.67 -> 6667. */
	cur->interval_ns = 3 * SEC;
	set_vcpu(c5, 0, 0, 100, 11 * SEC, 3 * SEC);
	kt_snapshot_compute_rates(cur, prev);
	check_vcpu(c5, 0, true, 3333, 6667, "vCPU 0 over 3 s, rounded");
	cur->interval_ns = 0;
	kt_snapshot_compute_rates(cur, prev);
	check_vcpu(c5, 0, false, 0, 0, "no interval: no rate");
	kt_snapshot_compute_rates(cur, NULL);
	check_vcpu(c5, 1, false, 0, 0, "no previous snapshot: no rate");
	kt_snapshot_unref(prev);
	kt_snapshot_unref(cur);
}

static uint32_t rnd(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void test_sort_find(void)
{
	enum { N = 1000 };
	struct kt_snapshot *s = kt_snapshot_new(N);
	struct kt_vm tmp;
	uint32_t state = 2463534242U, j;
	size_t i;
	int sorted = 1, found = 1;

	if (!KT_CHECK(s != NULL, "allocate 1000 rows"))
		return;
	/* Indexes 1, 4, 7, ..., 2998, with the pid telling which was which. */
	for (i = 0; i < N; i++) {
		s->vms[i].index = (uint32_t)(3 * i + 1);
		s->vms[i].pid = (pid_t)(7 * (3 * i + 1));
	}
	for (i = N - 1; i > 0; i--) {
		j = rnd(&state) % (uint32_t)(i + 1);
		tmp = s->vms[i];
		s->vms[i] = s->vms[j];
		s->vms[j] = tmp;
	}
	KT_CHECK(s->vms[0].index != 1 || s->vms[N - 1].index != 2998,
		 "shuffled before sorting");
	kt_snapshot_sort(s);
	for (i = 0; i < N; i++) {
		if (s->vms[i].index != 3 * i + 1 ||
		    s->vms[i].pid != (pid_t)(7 * (3 * i + 1)))
			sorted = 0;
	}
	KT_CHECK(sorted, "sort puts 1000 rows in index order, rows intact");
	for (i = 0; i < N; i++) {
		const struct kt_vm *vm = kt_snapshot_find(s, 3 * i + 1);

		if (vm != &s->vms[i])
			found = 0;
		if (kt_snapshot_find(s, 3 * i + 2) != NULL ||
		    kt_snapshot_find(s, 3 * i + 3) != NULL)
			found = 0;
	}
	KT_CHECK(found, "find hits every index and misses every gap");
	KT_CHECK(kt_snapshot_find(s, 0) == NULL, "find 0 misses");
	KT_CHECK(kt_snapshot_find(s, UINT32_MAX) == NULL,
		 "find UINT32_MAX misses");
	kt_snapshot_unref(s);
}

static void test_sort_find_small(void)
{
	struct kt_snapshot *s0 = kt_snapshot_new(0);
	struct kt_snapshot *s1 = kt_snapshot_new(1);

	if (!KT_CHECK(s0 != NULL && s1 != NULL, "allocate 0 and 1 rows"))
		goto out;
	KT_EQ_U64(s0->n_vms, 0, "0 rows");
	kt_snapshot_sort(s0);
	KT_CHECK(kt_snapshot_find(s0, 1) == NULL, "find in 0 rows misses");
	KT_CHECK(kt_snapshot_find(NULL, 1) == NULL, "find in NULL misses");
	kt_snapshot_sort(NULL);

	s1->vms[0].index = 42;
	kt_snapshot_sort(s1);
	KT_CHECK(kt_snapshot_find(s1, 42) == &s1->vms[0], "find the one row");
	KT_CHECK(kt_snapshot_find(s1, 41) == NULL &&
			 kt_snapshot_find(s1, 43) == NULL,
		 "miss beside the one row");
out:
	kt_snapshot_unref(s0);
	kt_snapshot_unref(s1);
}

static void test_refcount(void)
{
	struct kt_snapshot *s = kt_snapshot_new(3);
	size_t i;

	if (!KT_CHECK(s != NULL, "allocate"))
		return;
	KT_EQ_INT(s->refs, 1, "new snapshot holds one reference");
	KT_CHECK(s->vms[0].name == NULL && s->vms[2].index == 0 &&
			 !s->vms[2].cpu.valid,
		 "rows start zeroed");
	/* Names are the collector's malloc'd strings; unref frees them. */
	for (i = 0; i < 2; i++)
		s->vms[i].name = strdup("vm-alpha");
	KT_CHECK(kt_snapshot_ref(s) == s, "ref returns the snapshot");
	KT_EQ_INT(s->refs, 2, "two references");
	kt_snapshot_unref(s);
	KT_EQ_INT(s->refs, 1, "unref drops to one, still alive");
	kt_snapshot_unref(s); /* frees: ASan reports a leak otherwise */
	KT_CHECK(kt_snapshot_ref(NULL) == NULL, "ref(NULL) is NULL");
	kt_snapshot_unref(NULL);
}

#define RACE_THREADS 4
#define RACE_ROUNDS 200000

static void *race(void *arg)
{
	struct kt_snapshot *s = arg;
	int i;

	for (i = 0; i < RACE_ROUNDS; i++)
		kt_snapshot_unref(kt_snapshot_ref(s));
	return NULL;
}

/* Lost updates of a plain ++/-- would leave refs off by some. */
static void test_refcount_threads(void)
{
	struct kt_snapshot *s = kt_snapshot_new(1);
	pthread_t t[RACE_THREADS];
	int i, started = 0;

	if (!KT_CHECK(s != NULL, "allocate"))
		return;
	for (i = 0; i < RACE_THREADS; i++) {
		if (pthread_create(&t[i], NULL, race, s) == 0)
			started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	KT_EQ_INT(started, RACE_THREADS, "threads started");
	KT_EQ_INT(s->refs, 1, "concurrent ref/unref leave one reference");
	kt_snapshot_unref(s);
}

int main(void)
{
	test_rate_formula();
	test_rate_overflow();
	test_compute_rates();
	test_each_counter_reset();
	test_no_prev_no_interval();
	test_vcpu_rates();
	test_sort_find();
	test_sort_find_small();
	test_refcount();
	test_refcount_threads();
	return kt_test_done();
}
