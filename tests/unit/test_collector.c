/*
 * The collector without SNMP: libvirt's test driver with the basic fixture
 * domains, a private copy of the fixture procfs tree that the test changes
 * between cycles, and a sysfs tree the test writes.  Expected values are
 * the hand-worked numbers of tests/fixtures/basic/EXPECTED.md; the test
 * driver's block and interface counters are made up from the time of day
 * (libvirt's test_driver.c), so they are checked against the clock read
 * around the cycle.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/collector.h"
#include "collect/libvirt.h"
#include "collect/libvirt_dev.h"
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
static char sys[128];
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
	snprintf(sys, sizeof(sys), "%s/sys", tmp);
	snprintf(uri, sizeof(uri), "test://%s/domains.xml", fixture);
	sh("cp -a '%s/proc' '%s'", fixture, proc);
	/* vnet0 has an ifindex, vnet1 none, vnet2 a file that is no number. */
	sh("mkdir -p '%s/class/net/vnet0' '%s/class/net/vnet2' && "
	   "echo 17 > '%s/class/net/vnet0/ifindex' && "
	   "echo x17 > '%s/class/net/vnet2/ifindex'",
	   sys, sys, sys, sys);
}

static void to_phase2(void)
{
	sh("cp -R '%s/phase2/.' '%s/'", fixture, proc);
	sh("rm -r '%s/4101/task/4107'", proc);
}

static struct kt_collector *new_collector_with(unsigned collectors)
{
	char state[128];
	struct kt_collector_config cfg = {
		.uri = uri,
		.procfs = proc,
		.sysfs = sys,
		.state_dir = state,
		.collectors = collectors,
	};
	struct kt_collector *c = NULL;

	snprintf(state, sizeof(state), "%s/state", tmp);
	if (kt_collector_new(&cfg, &c) != 0) {
		printf("Bail out! cannot create the collector\n");
		exit(1);
	}
	return c;
}

static struct kt_collector *new_collector(void)
{
	return new_collector_with(KT_COLLECT_ALL);
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
	KT_EQ_U64(b->mem.stat[KT_PS_MINFLT], 400000, "bravo minflt");
	KT_EQ_U64(a->mem.stat[KT_PS_VSIZE], 3221225472ull, "alpha vsize");
	/* EXPECTED.md: VmSwap 12288 kB x 1024; bravo 0 kB is 0, not absent */
	KT_CHECK(a->mem.has_swap && b->mem.has_swap, "VmSwap read");
	KT_EQ_U64(a->mem.swap, 12582912ull, "alpha swap, phase 1");
	KT_EQ_U64(b->mem.swap, 0, "bravo swap, phase 1");
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
	KT_EQ_U64(a->mem.stat[KT_PS_MAJFLT], 305, "alpha majflt, phase 2");
	KT_EQ_U64(a->mem.rss, 860160000ull, "alpha rss, phase 2");
	KT_EQ_U64(a->mem.swap, 20971520ull, "alpha swap, phase 2 (20480 kB)");
}

/* ---- devices ---- */

/* Microseconds since 1970: the test driver's counters are made of it. */
static uint64_t now_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

static const struct kt_blk *blk_named(const struct kt_vm *vm, const char *t)
{
	size_t i;

	for (i = 0; vm != NULL && i < vm->n_blks; i++)
		if (strcmp(vm->blks[i].target, t) == 0)
			return &vm->blks[i];
	return NULL;
}

static const struct kt_iface *if_with_mac(const struct kt_vm *vm,
					  const char *mac)
{
	size_t i;

	for (i = 0; vm != NULL && i < vm->n_ifs; i++)
		if (strcmp(vm->ifs[i].mac, mac) == 0)
			return &vm->ifs[i];
	return NULL;
}

/* Names, sources, MACs and models as domains.xml has them. */
static void check_device_names(const struct kt_snapshot *s)
{
	const struct kt_vm *a = by_uuid(s, ALPHA), *b = by_uuid(s, BRAVO);
	const struct kt_vm *c = by_uuid(s, CHARLIE), *d = by_uuid(s, DELTA);
	const struct kt_blk *vdb = blk_named(a, "vdb");
	const struct kt_iface *f;

	if (a == NULL || b == NULL || c == NULL || d == NULL)
		return;
	KT_EQ_U64(a->n_blks, 2, "alpha: two disks");
	KT_CHECK(blk_named(a, "vda") != NULL && vdb != NULL,
		 "alpha: disks vda and vdb");
	KT_EQ_STR(vdb != NULL ? vdb->source : NULL,
		  "/var/lib/libvirt/images/vm-alpha-data.qcow2",
		  "alpha: vdb's source file");
	KT_EQ_U64(vdb != NULL ? vdb->host_dev : 1, 0,
		  "alpha: no host device behind a file that does not exist");
	KT_EQ_U64(a->n_ifs, 2, "alpha: two interfaces");
	f = if_with_mac(a, "52:54:00:4e:01:01");
	KT_EQ_STR(f != NULL ? f->name : NULL, "vnet0", "alpha: vnet0 by MAC");
	KT_EQ_STR(f != NULL ? f->model : NULL, "virtio", "alpha: model");
	KT_EQ_U64(f != NULL ? f->host_ifindex : 0, 17,
		  "alpha: vnet0's host ifindex from sysfs");
	f = if_with_mac(a, "52:54:00:4e:01:02");
	KT_CHECK(f != NULL && strcmp(f->name, "vnet1") == 0 &&
			 f->host_ifindex == 0,
		 "alpha: vnet1, no ifindex in sysfs: 0");
	f = if_with_mac(b, "52:54:00:4e:02:01");
	KT_CHECK(f != NULL && strcmp(f->name, "vnet2") == 0 &&
			 f->host_ifindex == 0,
		 "bravo: vnet2, a malformed ifindex file: 0");
	KT_CHECK(a->blks[0].index < a->blks[1].index &&
			 a->ifs[0].index < a->ifs[1].index,
		 "alpha: devices sorted by index");
	KT_CHECK(c->n_blks == 0 && c->n_ifs == 0 && !c->disk.valid &&
			 !c->net.valid,
		 "charlie (shut off): no devices, no sums");
	KT_CHECK(d->n_blks == 2 && d->n_ifs == 2 && d->disk.has_count &&
			 d->disk.count == 2 && d->net.count == 2,
		 "delta (no process): its devices from libvirt");
	KT_CHECK(!d->disk.has_delay && !d->io.valid && d->n_vcpus == 0,
		 "delta: no delay, no io, no vCPU rows");
}

/*
 * The test driver: virDomainGetBlockInfo's sizes are fixed, BlockStats
 * gives rd_req = us / 10, rd_bytes = us / 20, wr_req = us / 30,
 * wr_bytes = us / 40 (us: the time of day of the call) and no times.
 */
static void check_blk_values(const struct kt_vm *vm, uint64_t t0, uint64_t t1)
{
	const struct kt_blk *a = blk_named(vm, "vda"),
			    *b = blk_named(vm, "vdb");
	const struct kt_vm_disk *d = &vm->disk;

	if (!KT_CHECK(a != NULL && b != NULL, "the VM has vda and vdb"))
		return;
	KT_EQ_U64(a->capacity, 1099506450432ULL, "vda capacity (fixed)");
	KT_EQ_U64(a->allocation, 1099511627776ULL, "vda allocation (fixed)");
	KT_EQ_U64(a->physical, 1099511627776ULL, "vda physical (fixed)");
	KT_EQ_U64(d->capacity, 2 * 1099506450432ULL, "capacity summed");
	KT_EQ_U64(d->physical, 2 * 1099511627776ULL, "physical summed");
	KT_CHECK(a->st.rd_reqs >= t0 / 10 && a->st.rd_reqs <= t1 / 10,
		 "vda rd_reqs is the clock / 10 during the cycle");
	KT_CHECK(a->st.rd_reqs / 2 == a->st.rd_bytes &&
			 a->st.wr_reqs >= t0 / 30 && a->st.wr_reqs <= t1 / 30 &&
			 a->st.wr_bytes >= t0 / 40 && a->st.wr_bytes <= t1 / 40,
		 "vda rd_bytes, wr_reqs, wr_bytes: not swapped");
	KT_EQ_U64(d->st.rd_reqs, a->st.rd_reqs + b->st.rd_reqs,
		  "rd_reqs summed over vda and vdb");
	KT_EQ_U64(d->st.wr_bytes, a->st.wr_bytes + b->st.wr_bytes,
		  "wr_bytes summed over vda and vdb");
	KT_CHECK((d->present & (KT_BLK_RD_NS | KT_BLK_WR_NS | KT_BLK_FL_REQS |
				KT_BLK_FL_NS)) == 0 &&
			 (d->present & KT_BLK_INFO) == KT_BLK_INFO,
		 "no times or flushes reported by the old call: absent");
	KT_EQ_U64(d->count, 2, "two disks counted");
}

/*
 * rx_bytes = us / 10, rx_packets = us / 100, tx_bytes = us / 20,
 * tx_packets = us / 110, already the guest's view.
 */
static void check_if_values(const struct kt_vm *vm, uint64_t t0, uint64_t t1)
{
	const struct kt_iface *f = vm->n_ifs == 2 ? &vm->ifs[0] : NULL;
	const struct kt_vm_net *n = &vm->net;

	if (!KT_CHECK(f != NULL && f->has_stats, "interface counters read"))
		return;
	KT_CHECK(f->st.rx_bytes >= t0 / 10 && f->st.rx_bytes <= t1 / 10,
		 "rx_bytes is the clock / 10: rx not swapped with tx");
	KT_CHECK(f->st.tx_bytes >= t0 / 20 && f->st.tx_bytes <= t1 / 20,
		 "tx_bytes is the clock / 20");
	KT_CHECK(f->st.rx_packets >= t0 / 100 && f->st.rx_packets <= t1 / 100 &&
			 f->st.tx_packets >= t0 / 110 &&
			 f->st.tx_packets <= t1 / 110,
		 "rx and tx packets");
	KT_CHECK(n->valid && n->has_stats && n->count == 2,
		 "net sums over two interfaces");
	KT_EQ_U64(n->st.rx_bytes,
		  vm->ifs[0].st.rx_bytes + vm->ifs[1].st.rx_bytes,
		  "rx_bytes summed");
	KT_EQ_U64(n->st.tx_drop, vm->ifs[0].st.tx_drop + vm->ifs[1].st.tx_drop,
		  "tx_drop summed");
}

/* PID/io as the fixture files say (EXPECTED.md). */
static void check_io(const struct kt_snapshot *s, int phase)
{
	const struct kt_vm *a = by_uuid(s, ALPHA), *b = by_uuid(s, BRAVO);

	if (a == NULL || b == NULL)
		return;
	KT_CHECK(a->io.valid && b->io.valid, "io read for alpha and bravo");
	if (phase == 1) {
		KT_EQ_U64(a->io.read_bytes, 41943040000ULL,
			  "alpha read_bytes 1");
		KT_EQ_U64(a->io.wchar, 31457280000ULL, "alpha wchar 1");
		KT_EQ_U64(b->io.syscw, 2500000, "bravo syscw 1");
		KT_EQ_U64(b->io.cancelled_write_bytes, 4194304,
			  "bravo cancelled_write_bytes 1");
	} else {
		KT_EQ_U64(a->io.write_bytes, 28313000000ULL,
			  "alpha write_bytes 2");
		KT_EQ_U64(a->io.syscr, 1200150, "alpha syscr 2");
		KT_EQ_U64(b->io.rchar, 107380000000ULL, "bravo rchar 2");
		KT_EQ_U64(b->io.cancelled_write_bytes, 4198400,
			  "bravo cancelled_write_bytes 2");
	}
}

/* delayacct_blkio_ticks x 10,000,000 ns (USER_HZ 100); accounting on. */
static void check_delay(const struct kt_snapshot *s, int phase)
{
	const struct kt_vm *a = by_uuid(s, ALPHA), *b = by_uuid(s, BRAVO);
	long hz = sysconf(_SC_CLK_TCK);

	if (a == NULL || b == NULL)
		return;
	if (hz != 100) {
		KT_CHECK(1, "block I/O delay # SKIP USER_HZ is not 100");
		return;
	}
	KT_CHECK(a->disk.has_delay && b->disk.has_delay,
		 "block I/O delay served when task_delayacct is 1");
	KT_EQ_U64(a->disk.delay_blkio_ns,
		  phase == 1 ? 250000000ULL : 270000000ULL,
		  "alpha block I/O delay");
	KT_EQ_U64(b->disk.delay_blkio_ns,
		  phase == 1 ? 1200000000ULL : 1220000000ULL,
		  "bravo block I/O delay");
}

struct vcpu_want {
	uint32_t number;
	pid_t tid;
	int processor;
	uint64_t run, wait;
};

static void check_vcpu_rows(const struct kt_vm *vm, const struct vcpu_want *w,
			    size_t n, const char *tag)
{
	char what[160];
	size_t i;

	snprintf(what, sizeof(what), "%s: %zu vCPU rows", tag, n);
	if (!KT_CHECK(vm != NULL && vm->n_vcpus == n, what))
		return;
	for (i = 0; i < n; i++) {
		const struct kt_vcpu *c = &vm->vcpus[i];

		snprintf(what, sizeof(what),
			 "%s: vCPU %u is TID %d on CPU %d, run %" PRIu64
			 " wait %" PRIu64,
			 tag, w[i].number, (int)w[i].tid, w[i].processor,
			 w[i].run, w[i].wait);
		KT_CHECK(c->number == w[i].number && c->tid == w[i].tid &&
				 c->processor == w[i].processor &&
				 c->run_ns == w[i].run &&
				 c->wait_ns == w[i].wait,
			 what);
	}
}

static void check_vcpus(const struct kt_snapshot *s, int phase)
{
	static const struct vcpu_want a1[] = {
		{ 0, 4105, 2, 120000000000ULL, 6000000000ULL },
		{ 1, 4106, 5, 80000000000ULL, 4000000000ULL },
	};
	static const struct vcpu_want a2[] = {
		{ 0, 4105, 3, 121500000000ULL, 6500000000ULL },
		{ 1, 4106, 5, 80500000000ULL, 4000000000ULL },
	};
	static const struct vcpu_want b2[] = {
		{ 0, 4205, 4, 302000000000ULL, 20000000000ULL },
		{ 1, 4206, 1, 251000000000ULL, 16000000000ULL },
		{ 2, 4207, 2, 100200000000ULL, 5040000000ULL },
		{ 3, 4208, 7, 10000000000ULL, 1000000000ULL },
	};

	check_vcpu_rows(by_uuid(s, ALPHA), phase == 1 ? a1 : a2, 2,
			phase == 1 ? "alpha phase 1" : "alpha phase 2");
	if (phase == 2)
		check_vcpu_rows(by_uuid(s, BRAVO), b2, 4, "bravo phase 2");
}

/* Per-vCPU percentages of one CPU over the measured interval. */
static void check_vcpu_rates(const struct kt_snapshot *s)
{
	const struct kt_vm *a = by_uuid(s, ALPHA), *b = by_uuid(s, BRAVO);
	uint64_t iv = s->interval_ns;

	if (a == NULL || b == NULL || a->n_vcpus != 2 || b->n_vcpus != 4)
		return;
	KT_CHECK(a->vcpus[0].has_rate && b->vcpus[3].has_rate,
		 "vCPU rates after two samples");
	KT_EQ_U64(a->vcpus[0].total, centi(1500000000ULL, iv),
		  "alpha vCPU 0 total");
	KT_EQ_U64(a->vcpus[0].steal, centi(500000000ULL, iv),
		  "alpha vCPU 0 steal");
	KT_EQ_U64(a->vcpus[1].total, centi(500000000ULL, iv),
		  "alpha vCPU 1 total");
	KT_EQ_U64(a->vcpus[1].steal, 0, "alpha vCPU 1 steal");
	KT_EQ_U64(b->vcpus[0].total, centi(2000000000ULL, iv),
		  "bravo vCPU 0 total (busy all 2 s of the files)");
	KT_EQ_U64(b->vcpus[1].steal, centi(1000000000ULL, iv),
		  "bravo vCPU 1 steal");
	KT_EQ_U64(b->vcpus[2].total, centi(200000000ULL, iv),
		  "bravo vCPU 2 total");
	KT_EQ_U64(b->vcpus[2].steal, centi(40000000ULL, iv),
		  "bravo vCPU 2 steal");
	KT_CHECK(b->vcpus[3].total == 0 && b->vcpus[3].steal == 0,
		 "bravo vCPU 3 idle");
}

/* Counters of the test driver grow with the clock between two cycles. */
static void check_grew(const struct kt_snapshot *s1,
		       const struct kt_snapshot *s2)
{
	const struct kt_vm *a1 = by_uuid(s1, ALPHA), *a2 = by_uuid(s2, ALPHA);

	if (a1 == NULL || a2 == NULL)
		return;
	KT_CHECK(a2->disk.st.rd_reqs > a1->disk.st.rd_reqs &&
			 a2->net.st.rx_bytes > a1->net.st.rx_bytes,
		 "libvirt counters grew between the cycles");
	KT_CHECK(a1->ifs[0].index == a2->ifs[0].index &&
			 a1->blks[1].index == a2->blks[1].index,
		 "device indexes stay from cycle to cycle");
}

/* The XML description is read when a domain appears, not each cycle. */
static void check_xml_reads(void)
{
	struct kt_libvirt *lv;
	struct kt_domain *doms;
	size_t n, i;

	if (kt_libvirt_open(uri, KT_COLLECT_ALL, KT_LIBVIRT_TIMEOUT_DEFAULT_NS,
			    &lv) != 0)
		return;
	for (i = 0; i < 3; i++) {
		if (kt_libvirt_list(lv, NULL, &doms, &n) == 0)
			kt_domains_free(doms, n);
	}
	KT_EQ_U64(
		kt_libvirt_xml_reads(lv), 3,
		"three cycles read the XML of the three running domains once");
	kt_libvirt_close(lv);
}

/* A record shaped like QEMU's bulk answer for vm-alpha's devices. */
static virTypedParameterPtr qemu_like_params(int *n, bool third_disk)
{
	virTypedParameterPtr p = NULL;
	int max = 0;

	*n = 0;
	virTypedParamsAddUInt(&p, n, &max, "block.count", third_disk ? 3 : 2);
	virTypedParamsAddString(&p, n, &max, "block.0.name", "vdb");
	virTypedParamsAddULLong(&p, n, &max, "block.0.rd.reqs", 11);
	virTypedParamsAddULLong(&p, n, &max, "block.0.rd.bytes", 4096);
	virTypedParamsAddULLong(&p, n, &max, "block.0.rd.times", 588282);
	virTypedParamsAddULLong(&p, n, &max, "block.0.wr.reqs", 12);
	virTypedParamsAddULLong(&p, n, &max, "block.0.wr.bytes", 8192);
	virTypedParamsAddULLong(&p, n, &max, "block.0.wr.times", 7000);
	virTypedParamsAddULLong(&p, n, &max, "block.0.fl.reqs", 3);
	virTypedParamsAddULLong(&p, n, &max, "block.0.fl.times", 900);
	virTypedParamsAddULLong(&p, n, &max, "block.0.capacity", 16777216);
	virTypedParamsAddULLong(&p, n, &max, "block.0.allocation", 0);
	/* vda reports no physical size, and its counters come first. */
	virTypedParamsAddULLong(&p, n, &max, "block.1.rd.reqs", 5);
	virTypedParamsAddString(&p, n, &max, "block.1.name", "vda");
	virTypedParamsAddULLong(&p, n, &max, "block.1.capacity", 8388608);
	if (third_disk)
		virTypedParamsAddString(&p, n, &max, "block.2.name", "hdc");
	virTypedParamsAddUInt(&p, n, &max, "net.count", 1);
	virTypedParamsAddString(&p, n, &max, "net.0.name", "vnet1");
	virTypedParamsAddULLong(&p, n, &max, "net.0.rx.bytes", 90);
	virTypedParamsAddULLong(&p, n, &max, "net.0.rx.pkts", 1);
	virTypedParamsAddULLong(&p, n, &max, "net.0.rx.errs", 2);
	virTypedParamsAddULLong(&p, n, &max, "net.0.rx.drop", 3);
	virTypedParamsAddULLong(&p, n, &max, "net.0.tx.bytes", 4);
	virTypedParamsAddULLong(&p, n, &max, "net.0.tx.pkts", 5);
	virTypedParamsAddULLong(&p, n, &max, "net.0.tx.errs", 6);
	virTypedParamsAddULLong(&p, n, &max, "net.0.tx.drop", 7);
	/* Out of range and malformed names are ignored. */
	virTypedParamsAddULLong(&p, n, &max, "block.7.rd.reqs", 99);
	virTypedParamsAddULLong(&p, n, &max, "block.x.rd.reqs", 99);
	virTypedParamsAddULLong(&p, n, &max, "block.0", 99);
	return p;
}

/*
 * The bulk path, which the test driver never takes: a record shaped like
 * QEMU's, matched to vm-alpha's XML by name; nothing asked per device (the
 * test driver's per-device answers would be the time of day).
 */
static void check_bulk_record(void)
{
	struct kt_domain d;
	virDomainStatsRecord rec;
	struct kt_dev_cache *cache;
	virConnectPtr conn = virConnectOpenReadOnly(uri);
	const struct kt_blk *vda, *vdb;
	const struct kt_iface *f;

	if (conn == NULL || kt_dev_cache_new(&cache) != 0)
		return;
	memset(&d, 0, sizeof(d));
	memcpy(d.uuid, ALPHA, sizeof(d.uuid));
	rec.dom = virDomainLookupByName(conn, "vm-alpha");
	rec.params = qemu_like_params(&rec.nparams, false);
	KT_EQ_INT(kt_dev_collect(cache, rec.dom, &rec, KT_COLLECT_ALL, &d), 0,
		  "bulk: collected");
	vda = d.n_blks == 2 ? &d.blks[0] : NULL;
	vdb = d.n_blks == 2 ? &d.blks[1] : NULL;
	KT_CHECK(vda != NULL && strcmp(vda->target, "vda") == 0 &&
			 strcmp(vdb->target, "vdb") == 0,
		 "bulk: the XML's disks, in its order");
	KT_CHECK(vdb != NULL &&
			 vdb->present == (KT_BLK_STATS | KT_BLK_CAPACITY |
					  KT_BLK_ALLOCATION) &&
			 vdb->st.rd_bytes == 4096 && vdb->st.rd_ns == 588282 &&
			 vdb->st.wr_reqs == 12 && vdb->st.fl_ns == 900 &&
			 vdb->capacity == 16777216 && vdb->allocation == 0,
		 "bulk: vdb's values by name, all but physical");
	KT_CHECK(vda != NULL &&
			 vda->present == (KT_BLK_RD_REQS | KT_BLK_CAPACITY) &&
			 vda->st.rd_reqs == 5 && vda->capacity == 8388608,
		 "bulk: vda reported two values, the rest absent");
	f = d.n_ifs == 2 ? &d.ifs[1] : NULL;
	KT_CHECK(f != NULL && strcmp(f->name, "vnet1") == 0 && f->has_stats &&
			 f->st.rx_bytes == 90 && f->st.rx_drop == 3 &&
			 f->st.tx_bytes == 4 && f->st.tx_drop == 7,
		 "bulk: vnet1's counters, rx and tx as libvirt has them");
	KT_CHECK(d.n_ifs == 2 && !d.ifs[0].has_stats,
		 "bulk: vnet0 not in the record: no counters, not asked");
	KT_CHECK(!d.dev_failed, "bulk: nothing failed");
	kt_domain_clear_devices(&d);
	kt_dev_collect(cache, rec.dom, &rec, KT_COLLECT_ALL, &d);
	kt_domain_clear_devices(&d);
	KT_EQ_U64(kt_dev_cache_xml_reads(cache), 1,
		  "bulk: the same device names: the XML is not read again");
	virTypedParamsFree(rec.params, rec.nparams);
	rec.params = qemu_like_params(&rec.nparams, true);
	kt_dev_collect(cache, rec.dom, &rec, KT_COLLECT_ALL, &d);
	kt_domain_clear_devices(&d);
	KT_EQ_U64(kt_dev_cache_xml_reads(cache), 2,
		  "bulk: a device was added: the XML is read again");
	virTypedParamsFree(rec.params, rec.nparams);
	kt_dev_cache_free(cache);
	virDomainFree(rec.dom);
	virConnectClose(conn);
}

/* Each collector switch leaves out what it covers. */
static void check_switches(void)
{
	struct kt_collector *c = new_collector_with(KT_COLLECT_CPU);
	struct kt_snapshot *s = kt_collector_run(c);
	const struct kt_vm *a = by_uuid(s, ALPHA);

	KT_CHECK(a != NULL && a->n_vcpus == 2 && a->n_blks == 0 &&
			 a->n_ifs == 0 && !a->disk.valid && !a->net.valid &&
			 !a->io.valid && !a->mem.has_proc,
		 "--cpu alone: vCPU rows, no devices, io or memory");
	kt_snapshot_unref(s);
	kt_collector_free(c);
	c = new_collector_with(KT_COLLECT_DISK | KT_COLLECT_IO);
	s = kt_collector_run(c);
	a = by_uuid(s, ALPHA);
	KT_CHECK(a != NULL && a->n_vcpus == 0 && !a->cpu.valid &&
			 a->n_blks == 2 && a->n_ifs == 0 && a->disk.has_delay &&
			 a->io.valid && !a->net.valid && !a->mem.has_proc,
		 "--disk --io: disks, delay and io, nothing else");
	KT_CHECK(a != NULL && a->data_valid, "and the row is valid");
	kt_snapshot_unref(s);
	kt_collector_free(c);
}

/* Without root, or on a kernel without I/O accounting: no io, row invalid. */
static void check_io_unreadable(void)
{
	struct kt_collector *c;
	struct kt_snapshot *s;
	const struct kt_vm *a, *b;

	sh("mv '%s/4101/io' '%s/io-4101'", proc, tmp);
	c = new_collector();
	s = kt_collector_run(c);
	a = by_uuid(s, ALPHA);
	b = by_uuid(s, BRAVO);
	KT_CHECK(a != NULL && !a->io.valid && !a->data_valid &&
			 a->pid == 4101 && a->cpu.valid,
		 "alpha without io: no io row, data invalid, process kept");
	KT_CHECK(b != NULL && b->io.valid && b->data_valid, "bravo unaffected");
	kt_snapshot_unref(s);
	s = kt_collector_run(c);
	a = by_uuid(s, ALPHA);
	KT_CHECK(a != NULL && a->pid == 4101 && a->cpu.valid,
		 "the next cycle still samples alpha's process");
	kt_snapshot_unref(s);
	kt_collector_free(c);
	sh("mv '%s/io-4101' '%s/4101/io'", tmp, proc);
}

/*
 * bravo's process dies.  The fixture's directory stays open in the
 * collector, as a dead process's /proc directory would: emptying it is how
 * it dies (kept as gone-4202 to come back).
 */
static void bravo_dies(void)
{
	sh("cp -a '%s/4202' '%s/gone-4202' && rm -r '%s/4202'", proc, proc,
	   proc);
}

/* One cycle: the PID served for bravo (-1 without its row). */
static int bravo_pid(struct kt_collector *c)
{
	struct kt_snapshot *s = kt_collector_run(c);
	const struct kt_vm *b = by_uuid(s, BRAVO);
	int pid = b != NULL ? (int)b->pid : -1;

	kt_snapshot_unref(s);
	return pid;
}

/*
 * bravo's process, found a moment ago, vanishes and is back at once: it
 * is looked for again only after the scan's back-off (4 s now), so that a
 * process that comes and goes cannot make every cycle scan procfs.
 */
static void check_lost_soon(struct kt_collector *c)
{
	bravo_dies();
	KT_EQ_INT(bravo_pid(c), 0, "lost soon after it was found");
	sh("mv '%s/gone-4202' '%s/4202'", proc, proc);
	KT_EQ_INT(bravo_pid(c), 0,
		  "back at once, but not looked for before the back-off");
}

/* The process vanishes, another takes its PID, then the VM comes back. */
static void check_process_churn(struct kt_collector *c)
{
	struct kt_snapshot *s;
	const struct kt_vm *b;

	bravo_dies();
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

	/*
	 * An impostor: bravo's cmdline and threads, owned by nobody (its
	 * status's Uid line), the only process carrying bravo's UUID.
	 */
	sh("rm -r '%s/4202' && cp -a '%s/gone-4202' '%s/4000' && "
	   "sed -i 's/^Uid:.*/Uid:\t65534\t65534\t65534\t65534/' "
	   "'%s/4000/status'",
	   proc, proc, proc, proc);
	usleep(1100000); /* the failed search backs off for a second */
	KT_EQ_INT(bravo_pid(c), 0,
		  "a process of nobody's with bravo's -uuid is not taken");

	/* bravo's QEMU back (restarted): counters go on, no rate this cycle. */
	sh("mv '%s/gone-4202' '%s/4202'", proc, proc);
	usleep(2100000); /* the search backs off for two seconds now */
	s = kt_collector_run(c);
	b = by_uuid(s, BRAVO);
	KT_CHECK(b != NULL && b->pid == 4202, "the process is found again");
	KT_CHECK(b != NULL && b->cpu.run_ns >= 663200000000ull,
		 "the counter did not go backwards");
	KT_CHECK(b != NULL && !b->cpu.has_rate,
		 "no rate from a new process's whole history");
	/*
	 * The new process's PID/stat and PID/io (phase 2's files) count
	 * from its start: all of it adds to the phase 2 totals.
	 */
	if (b != NULL) {
		KT_EQ_U64(b->mem.stat[KT_PS_MINFLT], 802000,
			  "minflt went on: 401000 + 401000");
		KT_EQ_U64(b->mem.stat[KT_PS_MAJFLT], 2420,
			  "majflt: 1210 + 1210");
		KT_EQ_U64(b->io.rchar, 214760000000ULL,
			  "io rchar went on: 107380000000 x 2");
		KT_EQ_U64(b->io.cancelled_write_bytes, 8396800,
			  "io cancelled_write_bytes: 4198400 x 2");
	}
	kt_snapshot_unref(s);
	check_lost_soon(c);
	sh("rm -r '%s/4000'", proc);
}

/* Writes PID 4101's io file with rchar @rchar and syscr @syscr. */
static void write_alpha_io(uint64_t rchar, uint64_t syscr)
{
	sh("printf 'rchar: %llu\\nwchar: 31460000000\\nsyscr: %llu\\n"
	   "syscw: 950090\\nread_bytes: 41944000000\\n"
	   "write_bytes: 28313000000\\ncancelled_write_bytes: 1048576\\n' "
	   "> '%s/4101/io'",
	   (unsigned long long)rchar, (unsigned long long)syscr, proc);
}

/*
 * alpha's PID/io goes down under the same process (as a restart between
 * two cycles would show it): the served counters keep growing.
 */
static void check_io_went_down(struct kt_collector *c)
{
	struct kt_snapshot *s;
	const struct kt_vm *a;

	write_alpha_io(1000, 20);
	s = kt_collector_run(c);
	a = by_uuid(s, ALPHA);
	if (KT_CHECK(a != NULL && a->io.valid, "alpha's io read")) {
		KT_EQ_U64(a->io.rchar, 52430001000ULL,
			  "rchar went down: 52430000000 + 1000");
		KT_EQ_U64(a->io.syscr, 1200170, "syscr: 1200150 + 20");
		KT_EQ_U64(a->io.wchar, 31460000000ULL, "wchar unchanged");
	}
	kt_snapshot_unref(s);
	write_alpha_io(1500, 25);
	s = kt_collector_run(c);
	a = by_uuid(s, ALPHA);
	if (a != NULL)
		KT_EQ_U64(a->io.rchar, 52430001500ULL,
			  "then grows from there: + 500");
	kt_snapshot_unref(s);
}

/* Indexes of alpha's vda, vdb, vnet0 (by MAC), vnet1 and delta's vda. */
static void device_indexes(const struct kt_snapshot *s, uint32_t out[5])
{
	const struct kt_vm *a = by_uuid(s, ALPHA), *d = by_uuid(s, DELTA);
	const struct kt_blk *b;
	const struct kt_iface *f;

	memset(out, 0, 5 * sizeof(*out));
	if ((b = blk_named(a, "vda")) != NULL)
		out[0] = b->index;
	if ((b = blk_named(a, "vdb")) != NULL)
		out[1] = b->index;
	if ((f = if_with_mac(a, "52:54:00:4e:01:01")) != NULL)
		out[2] = f->index;
	if ((f = if_with_mac(a, "52:54:00:4e:01:02")) != NULL)
		out[3] = f->index;
	if ((b = blk_named(d, "vda")) != NULL)
		out[4] = b->index;
}

static void check_indexes_persist(const uint32_t *before,
				  const uint32_t *dev_before)
{
	struct kt_collector *c = new_collector();
	struct kt_snapshot *s = kt_collector_run(c);
	const char *uuids[] = { ALPHA, BRAVO, CHARLIE, DELTA };
	uint32_t dev[5];
	size_t i;

	for (i = 0; i < 4; i++) {
		const struct kt_vm *vm = by_uuid(s, uuids[i]);

		KT_CHECK(vm != NULL && vm->index == before[i],
			 "a VM keeps its index across a restart of the agent");
	}
	device_indexes(s, dev);
	for (i = 0; i < 5; i++)
		KT_CHECK(dev[i] != 0 && dev[i] == dev_before[i],
			 "a device keeps its index across a restart");
	kt_snapshot_unref(s);
	kt_collector_free(c);
}

static void check_device_indexes(const uint32_t *vm_idx, const uint32_t *dev)
{
	size_t i, j;
	bool distinct = true;

	for (i = 0; i < 5; i++) {
		distinct = distinct && dev[i] != 0;
		for (j = 0; j < 4; j++)
			distinct = distinct && dev[i] != vm_idx[j];
		for (j = i + 1; j < 5; j++)
			distinct = distinct && dev[i] != dev[j];
	}
	KT_CHECK(distinct, "device indexes: set, distinct, never a VM's");
}

int main(void)
{
	const char *uuids[] = { ALPHA, BRAVO, CHARLIE, DELTA };
	struct kt_collector *c;
	struct kt_snapshot *s1, *s2;
	uint32_t idx[4] = { 0 }, dev[5] = { 0 };
	uint64_t t0, t1;
	size_t i;

	setup();
	check_xml_reads();
	c = new_collector();
	t0 = now_us();
	s1 = kt_collector_run(c);
	t1 = now_us();
	KT_CHECK(s1 != NULL && s1->libvirt_connected,
		 "first cycle reaches libvirt");
	check_identity(s1);
	check_phase1(s1);
	KT_CHECK(!by_uuid(s1, ALPHA)->cpu.has_rate, "no rate from one sample");
	check_device_names(s1);
	if (by_uuid(s1, BRAVO) != NULL) {
		check_blk_values(by_uuid(s1, BRAVO), t0, t1);
		check_if_values(by_uuid(s1, BRAVO), t0, t1);
	}
	check_io(s1, 1);
	check_delay(s1, 1);
	check_vcpus(s1, 1);
	KT_CHECK(by_uuid(s1, ALPHA)->n_vcpus == 2 &&
			 !by_uuid(s1, ALPHA)->vcpus[0].has_rate,
		 "no vCPU rate from one sample");
	device_indexes(s1, dev);
	for (i = 0; i < 4; i++)
		idx[i] = by_uuid(s1, uuids[i]) ? by_uuid(s1, uuids[i])->index
					       : 0;
	KT_CHECK(idx[0] && idx[1] && idx[2] && idx[3] && idx[0] != idx[1] &&
			 idx[1] != idx[2] && idx[2] != idx[3] &&
			 idx[0] != idx[3],
		 "four distinct indexes");
	check_device_indexes(idx, dev);

	usleep(2100000); /* long enough that no percentage is clamped */
	to_phase2();
	s2 = kt_collector_run(c);
	check_phase2(s2);
	check_io(s2, 2);
	check_delay(s2, 2);
	check_vcpus(s2, 2);
	check_vcpu_rates(s2);
	check_grew(s1, s2);
	kt_snapshot_unref(s1);
	kt_snapshot_unref(s2);

	check_process_churn(c);
	check_io_went_down(c);
	kt_collector_free(c);
	check_indexes_persist(idx, dev);
	check_switches();
	check_io_unreadable();
	check_bulk_record();
	sh("rm -rf '%s'", tmp);
	return kt_test_done();
}
