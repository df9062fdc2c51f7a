/*
 * The collector without SNMP: libvirt's test driver with the basic fixture
 * domains, and a private copy of the fixture procfs tree that the test
 * changes between cycles.  Expected values are the hand-worked numbers of
 * tests/fixtures/basic/EXPECTED.md.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/collector.h"
#include "options.h"
#include "snapshot.h"

#include "kt_test.h"

#define ALPHA "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e01"
#define BRAVO "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e02"
#define CHARLIE "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e03"
#define DELTA "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e04"

static char fixture[4096];
static char tmp[64];
static char proc[128];
static char uri[4200];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[9000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void setup(void)
{
	const char *src = getenv("KT_SRCDIR");
	char rel[4096];

	snprintf(rel, sizeof(rel), "%s/tests/fixtures/basic",
		 src != NULL ? src : ".");
	/* The test driver wants an absolute path in its URI. */
	if (realpath(rel, fixture) == NULL) {
		printf("Bail out! no fixture at %s\n", rel);
		exit(1);
	}
	snprintf(tmp, sizeof(tmp), "/tmp/kt-collector.XXXXXX");
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(proc, sizeof(proc), "%s/proc", tmp);
	snprintf(uri, sizeof(uri), "test://%s/domains.xml", fixture);
	sh("cp -a '%s/proc' '%s'", fixture, proc);
}

static void to_phase2(void)
{
	sh("cp -R '%s/phase2/.' '%s/'", fixture, proc);
	sh("rm -r '%s/4101/task/4107'", proc);
}

static struct kt_collector *new_collector(void)
{
	char state[128];
	struct kt_collector_config cfg = {
		.uri = uri,
		.procfs = proc,
		.state_dir = state,
		.collectors = KT_COLLECT_ALL,
	};
	struct kt_collector *c = NULL;

	snprintf(state, sizeof(state), "%s/state", tmp);
	if (kt_collector_new(&cfg, &c) != 0) {
		printf("Bail out! cannot create the collector\n");
		exit(1);
	}
	return c;
}

static const struct kt_vm *by_uuid(const struct kt_snapshot *s,
				   const char *uuid)
{
	size_t i;

	for (i = 0; s != NULL && i < s->n_vms; i++)
		if (strcmp(s->vms[i].uuid, uuid) == 0)
			return &s->vms[i];
	return NULL;
}

/* Round half up of a * 10000 / b, computed apart from the code's helper. */
static uint64_t centi(uint64_t a, uint64_t b)
{
	long double v = (long double)a * 10000.0L / (long double)b;

	return (uint64_t)(v + 0.5L);
}

static void check_identity(const struct kt_snapshot *s)
{
	const struct kt_vm *a = by_uuid(s, ALPHA), *c = by_uuid(s, CHARLIE);
	const struct kt_vm *d = by_uuid(s, DELTA);

	KT_EQ_U64(s->n_vms, 4, "four domains");
	KT_CHECK(a != NULL && c != NULL && d != NULL && by_uuid(s, BRAVO),
		 "every fixture UUID has a row");
	if (a == NULL || c == NULL || d == NULL)
		return;
	KT_EQ_STR(a->name, "vm-alpha", "alpha's name");
	KT_EQ_INT(a->state, KT_VM_RUNNING, "alpha runs");
	KT_EQ_INT(c->state, KT_VM_SHUTDOWN, "charlie is shut off");
	KT_EQ_INT(a->pid, 4101, "alpha's QEMU is PID 4101");
	KT_EQ_INT(by_uuid(s, BRAVO)->pid, 4202, "bravo's QEMU is PID 4202");
	KT_EQ_INT(d->pid, 0, "delta has no process");
	KT_CHECK(!d->data_valid, "delta's data is not valid");
	KT_CHECK(c->data_valid && a->data_valid, "charlie's and alpha's are");
	KT_CHECK(!c->cpu.valid && !d->cpu.valid,
		 "no CPU data without a process");
	KT_EQ_U64(a->cpu.vcpus, 2, "alpha has 2 vCPUs (libvirt)");
	KT_EQ_U64(a->mem.max_kib, 1048576, "alpha's maximum memory");
	KT_EQ_U64(a->mem.cur_kib, 786432, "alpha's current memory");
	KT_EQ_U64(d->mem.max_kib, 262144, "delta's memory from libvirt");
}

static void check_phase1(const struct kt_snapshot *s)
{
	const struct kt_vm *a = by_uuid(s, ALPHA), *b = by_uuid(s, BRAVO);

	if (a == NULL || b == NULL)
		return;
	KT_EQ_U64(a->cpu.run_ns, 200000000000ull, "alpha vCPU run, phase 1");
	KT_EQ_U64(a->cpu.wait_ns, 10000000000ull, "alpha vCPU wait, phase 1");
	KT_EQ_U64(a->cpu.other_run_ns, 3480000000ull,
		  "alpha other run, phase 1");
	KT_EQ_U64(a->cpu.other_wait_ns, 255000000ull,
		  "alpha other wait, phase 1");
	KT_EQ_U64(b->cpu.run_ns, 660000000000ull, "bravo vCPU run, phase 1");
	KT_EQ_U64(a->cpu.vcpu_threads, 2, "alpha: 2 vCPU threads");
	KT_EQ_U64(a->cpu.other_threads, 4, "alpha: 4 other threads");
	KT_EQ_U64(b->mem.rss, 2147483648ull, "bravo rss in bytes");
	KT_EQ_U64(b->mem.minflt, 400000, "bravo minflt");
	KT_EQ_U64(a->mem.vsize, 3221225472ull, "alpha vsize");
}

static void check_phase2(const struct kt_snapshot *s)
{
	const struct kt_vm *a = by_uuid(s, ALPHA), *b = by_uuid(s, BRAVO);
	uint64_t iv = s->interval_ns;

	if (a == NULL || b == NULL)
		return;
	KT_CHECK(iv > 0, "the second snapshot knows its interval");
	KT_EQ_U64(a->cpu.run_ns, 202000000000ull, "alpha vCPU run, phase 2");
	KT_EQ_U64(a->cpu.other_run_ns, 3830000000ull,
		  "alpha other run: the exited thread stays, the new one adds");
	KT_EQ_U64(a->cpu.other_wait_ns, 385000000ull,
		  "alpha other wait, phase 2");
	KT_EQ_U64(b->cpu.wait_ns, 42040000000ull, "bravo vCPU wait, phase 2");
	KT_CHECK(a->cpu.has_rate && b->cpu.has_rate, "rates after two samples");
	KT_EQ_U64(a->cpu.total, centi(2000000000ull, iv * 2),
		  "alpha cpu_total");
	KT_EQ_U64(a->cpu.steal, centi(500000000ull, iv * 2), "alpha cpu_steal");
	KT_EQ_U64(a->cpu.other_total, centi(350000000ull, iv),
		  "alpha other_total");
	KT_EQ_U64(a->cpu.other_steal, centi(130000000ull, iv),
		  "alpha other_steal");
	KT_EQ_U64(b->cpu.total, centi(3200000000ull, iv * 4),
		  "bravo cpu_total");
	KT_EQ_U64(b->cpu.steal, centi(1040000000ull, iv * 4),
		  "bravo cpu_steal");
	KT_EQ_U64(a->mem.majflt, 305, "alpha majflt, phase 2");
	KT_EQ_U64(a->mem.rss, 860160000ull, "alpha rss, phase 2");
}

/* The process vanishes, another takes its PID, then the VM comes back. */
static void check_process_churn(struct kt_collector *c)
{
	struct kt_snapshot *s;
	const struct kt_vm *b;

	/* The fixture's directory stays open in the collector, as a dead
	 * process's /proc directory would: emptying it is how it dies. */
	sh("cp -a '%s/4202' '%s/gone-4202' && rm -r '%s/4202'", proc, proc,
	   proc);
	s = kt_collector_run(c);
	b = by_uuid(s, BRAVO);
	KT_CHECK(b != NULL && b->pid == 0 && !b->cpu.valid && !b->data_valid,
		 "a vanished process: no PID, no CPU data, row invalid");
	kt_snapshot_unref(s);

	/* PID 4202 reused by a process that is not bravo's QEMU. */
	sh("cp -a '%s/1' '%s/4202'", proc, proc);
	s = kt_collector_run(c);
	b = by_uuid(s, BRAVO);
	KT_CHECK(b != NULL && b->pid == 0,
		 "a reused PID is not taken for the VM");
	kt_snapshot_unref(s);

	/* bravo's QEMU back (restarted): counters go on, no rate this cycle. */
	sh("rm -r '%s/4202'", proc);
	sh("mv '%s/gone-4202' '%s/4202'", proc, proc);
	usleep(1100000); /* the failed search backs off for a second */
	s = kt_collector_run(c);
	b = by_uuid(s, BRAVO);
	KT_CHECK(b != NULL && b->pid == 4202, "the process is found again");
	KT_CHECK(b != NULL && b->cpu.run_ns >= 663200000000ull,
		 "the counter did not go backwards");
	KT_CHECK(b != NULL && !b->cpu.has_rate,
		 "no rate from a new process's whole history");
	kt_snapshot_unref(s);
}

static void check_indexes_persist(const uint32_t *before)
{
	struct kt_collector *c = new_collector();
	struct kt_snapshot *s = kt_collector_run(c);
	const char *uuids[] = { ALPHA, BRAVO, CHARLIE, DELTA };
	size_t i;

	for (i = 0; i < 4; i++) {
		const struct kt_vm *vm = by_uuid(s, uuids[i]);

		KT_CHECK(vm != NULL && vm->index == before[i],
			 "a VM keeps its index across a restart of the agent");
	}
	kt_snapshot_unref(s);
	kt_collector_free(c);
}

int main(void)
{
	const char *uuids[] = { ALPHA, BRAVO, CHARLIE, DELTA };
	struct kt_collector *c;
	struct kt_snapshot *s1, *s2;
	uint32_t idx[4] = { 0 };
	size_t i;

	setup();
	c = new_collector();
	s1 = kt_collector_run(c);
	KT_CHECK(s1 != NULL && s1->libvirt_connected,
		 "first cycle reaches libvirt");
	check_identity(s1);
	check_phase1(s1);
	KT_CHECK(!by_uuid(s1, ALPHA)->cpu.has_rate, "no rate from one sample");
	for (i = 0; i < 4; i++)
		idx[i] = by_uuid(s1, uuids[i]) ? by_uuid(s1, uuids[i])->index
					       : 0;
	KT_CHECK(idx[0] && idx[1] && idx[2] && idx[3] && idx[0] != idx[1] &&
			 idx[1] != idx[2] && idx[2] != idx[3] &&
			 idx[0] != idx[3],
		 "four distinct indexes");

	usleep(2100000); /* long enough that no percentage is clamped */
	to_phase2();
	s2 = kt_collector_run(c);
	check_phase2(s2);
	kt_snapshot_unref(s1);
	kt_snapshot_unref(s2);

	check_process_churn(c);
	kt_collector_free(c);
	check_indexes_persist(idx);
	sh("rm -rf '%s'", tmp);
	return kt_test_done();
}
