/*
 * Unit tests for the SNMP layer without snmpd (subagent/mib/table.c,
 * scalars.c, vm_tables.c): snapshots built by hand, every GET through
 * kt_mib_get(), every walk through kt_mib_next().
 *
 * Every OID below is written out in full, number by number, from
 * mibs/KVMTOP-MIB.txt, and every value is worked by hand from the rows this
 * file builds: nothing is derived from the code's OID macros or tables, so
 * the test checks the OID layout against the MIB as well as the values.
 * Where the MIB's DESCRIPTION and the code could disagree, the checks follow
 * the MIB.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kt_mib_test.h"
#include "mib/tables.h"
#include "snapshot.h"

#define MS 1000000ULL /* ns per ms */

static const char version[] = "1.2.3-test";
static const char uri[] = "qemu:///system";

/* ---- helpers (the rest are kt_mib_test.h's) ---- */

/* Whether the OIDs from @start through @want's strictly increase. */
static bool oids_increase(const char *start, const struct cell *want, size_t n)
{
	oid a[MAX_OID_LEN], b[MAX_OID_LEN];
	size_t alen = parse_oid(start, a), blen, i;

	for (i = 0; i < n; i++) {
		blen = parse_oid(want[i].oid, b);
		if (snmp_oid_compare(b, blen, a, alen) <= 0)
			return false;
		memcpy(a, b, blen * sizeof(oid));
		alen = blen;
	}
	return true;
}

/*
 * check_walk() with one check more: the OIDs of the walk strictly increase
 * (they are @want's, so this checks the lists below too).
 */
static void check_walk_increasing(const struct kt_mib_ctx *ctx,
				  const char *start, const struct cell *want,
				  size_t n, const char *label)
{
	oid cur[MAX_OID_LEN];
	size_t cur_len;
	char what[512];

	if (!walk_steps(ctx, start, want, n, label, cur, &cur_len))
		return;
	mib_what(what, sizeof(what), label,
		 "walk from %s: OIDs strictly increase", start);
	KT_CHECK(oids_increase(start, want, n), what);
	check_walk_end(ctx, cur, cur_len, start,
		       n > 0 ? want[n - 1].oid : start, label);
}

static uint64_t mono_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- the four-VM snapshot ---- */

/*
 * Index 2: shut off, no process: no CPU row, libvirt memory only.
 * The fields behind the absent cells hold junk that must not leak out.
 */
static void fill_vm_off(struct kt_vm *vm)
{
	vm->index = 2;
	memcpy(vm->uuid, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e02", KT_UUID_LEN);
	vm->name = xstrdup("vm-off");
	vm->state = KT_VM_SHUTDOWN;
	vm->active = false;
	vm->pid = 0;
	vm->data_valid = true;
	vm->cpu.valid = false;
	vm->cpu.vcpus = 1;
	vm->cpu.other_threads = 99;
	vm->cpu.other_run_ns = 777;
	vm->mem.has_libvirt = true;
	vm->mem.max_kib = 524288;
	vm->mem.cur_kib = 524288;
	vm->mem.has_proc = false;
	vm->mem.stat[KT_PS_VSIZE] = 777;
	vm->mem.stat[KT_PS_MINFLT] = 777;
}

/* Index 5: running, no vCPU thread identified (no debug-threads=on). */
static void fill_vm_novcpu(struct kt_vm *vm)
{
	vm->index = 5;
	memcpy(vm->uuid, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e05", KT_UUID_LEN);
	vm->name = xstrdup("vm-novcpu");
	vm->state = KT_VM_RUNNING;
	vm->active = true;
	vm->pid = 4501;
	vm->data_valid = true;
	vm->cpu = (struct kt_vm_cpu){
		.valid = true,
		.vcpus_found = false,
		.vcpus = 2,
		.vcpu_threads = 0,
		.other_threads = 6,
		.run_ns = 111,
		.wait_ns = 222, /* junk: vCPU cells absent */
		.other_run_ns = 123456789012ULL,
		.other_wait_ns = 3456789,
		.has_rate = true,
		.total = 5000,
		.steal = 100, /* junk */
		.other_total = 1234,
		.other_steal = 56,
	};
	vm->mem = (struct kt_vm_mem){
		.has_libvirt = true,
		.max_kib = 1048576,
		.cur_kib = 786432,
		.has_proc = true,
		.stat[KT_PS_VSIZE] = 3221225472ULL,
		.rss = 536870912,
		.stat[KT_PS_MINFLT] = 4000,
		.stat[KT_PS_CMINFLT] = 12,
		.stat[KT_PS_MAJFLT] = 3,
		.stat[KT_PS_CMAJFLT] = 0,
	};
}

/* Index 7: paused, first sample (no rates), no libvirt memory figure. */
static void fill_vm_fresh(struct kt_vm *vm)
{
	vm->index = 7;
	memcpy(vm->uuid, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e07", KT_UUID_LEN);
	vm->name = xstrdup("vm-fresh");
	vm->state = KT_VM_PAUSED;
	vm->active = true;
	vm->pid = 4701;
	vm->data_valid = false;
	vm->cpu = (struct kt_vm_cpu){
		.valid = true,
		.vcpus_found = true,
		.vcpus = 1,
		.vcpu_threads = 1,
		.other_threads = 4,
		.run_ns = 5000000000ULL,
		.wait_ns = 7000000,
		.other_run_ns = 800000000,
		.other_wait_ns = 900000,
		.has_rate = false,
		.total = 42,
		.steal = 42, /* junk */
		.other_total = 42,
		.other_steal = 42,
	};
	vm->mem = (struct kt_vm_mem){
		.has_libvirt = false,
		.max_kib = 777,
		.cur_kib = 777, /* junk */
		.has_proc = true,
		.stat[KT_PS_VSIZE] = 1000000000,
		.rss = 200000000,
		.stat[KT_PS_MINFLT] = 10,
		.stat[KT_PS_CMINFLT] = 20,
		.stat[KT_PS_MAJFLT] = 30,
		.stat[KT_PS_CMAJFLT] = 40,
	};
}

/* Index 11: everything, with values beyond 32 bits. */
static void fill_vm_big(struct kt_vm *vm)
{
	vm->index = 11;
	memcpy(vm->uuid, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e0b", KT_UUID_LEN);
	vm->name = xstrdup("vm-big");
	vm->state = KT_VM_RUNNING;
	vm->active = true;
	vm->pid = 4194303;
	vm->data_valid = true;
	vm->cpu = (struct kt_vm_cpu){
		.valid = true,
		.vcpus_found = true,
		.vcpus = 4,
		.vcpu_threads = 4,
		.other_threads = 7,
		.run_ns = 0x123456789ABCDEF0ULL,
		.wait_ns = 5000000000000ULL,
		.other_run_ns = UINT64_MAX,
		.other_wait_ns = 4294967296ULL,
		.has_rate = true,
		.total = 10000,
		.steal = 0,
		.other_total = 25000,
		.other_steal = UINT32_MAX,
	};
	vm->mem = (struct kt_vm_mem){
		/* 2^33 and 2^32 KiB: Gauge32 saturates at 4294967295 */
		.has_libvirt = true,
		.max_kib = 8589934592ULL,
		.cur_kib = 4294967296ULL,
		.has_proc = true,
		.stat[KT_PS_VSIZE] = UINT64_MAX,
		.rss = 68719476736ULL,
		.stat[KT_PS_MINFLT] = 9876543210123ULL,
		.stat[KT_PS_CMINFLT] = 4294967297ULL,
		.stat[KT_PS_MAJFLT] = 4294967296ULL,
		.stat[KT_PS_CMAJFLT] = 1,
	};
}

static struct kt_snapshot *four_vms(void)
{
	struct kt_snapshot *s = kt_snapshot_new(4);

	if (s == NULL)
		abort();
	/* Out of order on purpose: the engine relies on kt_snapshot_sort(). */
	fill_vm_big(&s->vms[0]);
	fill_vm_off(&s->vms[1]);
	fill_vm_fresh(&s->vms[2]);
	fill_vm_novcpu(&s->vms[3]);
	kt_snapshot_sort(s);
	s->seq = 42;
	s->finished_unix = 1764115200; /* 2025-11-26 00:00:00 UTC */
	s->finished_mono_ns = mono_now_ns() - 1500 * MS;
	s->taken_mono_ns = s->finished_mono_ns - 123456789;
	s->duration_ns = 123456789;  /* 123.46 ms */
	s->interval_ns = 2000400000; /* 2000.4 ms */
	s->libvirt_connected = true;
	return s;
}

/*
 * Every instance of the four-VM snapshot in walk order (column-major: all
 * rows of a column before the next column; rows by index).
 * LastRefreshAge: 1500 ms old when built; allow a minute for slow runs.
 */
static const struct cell main_cells[] = {
	/* kvmtopAgent */
	S("1.3.6.1.4.1.8072.9999.9999.1.1.1.0", version),
	U("1.3.6.1.4.1.8072.9999.9999.1.1.2.0", 2000),
	U("1.3.6.1.4.1.8072.9999.9999.1.1.3.0", 1764115200),
	G("1.3.6.1.4.1.8072.9999.9999.1.1.4.0", 123),
	I("1.3.6.1.4.1.8072.9999.9999.1.1.5.0", 1),
	G("1.3.6.1.4.1.8072.9999.9999.1.1.6.0", 4),
	S("1.3.6.1.4.1.8072.9999.9999.1.1.7.0", uri),
	GR("1.3.6.1.4.1.8072.9999.9999.1.1.8.0", 1500, 61500),
	C("1.3.6.1.4.1.8072.9999.9999.1.1.9.0", 42),
	G("1.3.6.1.4.1.8072.9999.9999.1.1.10.0", 2000),
	/* kvmtopVmTable: Uuid, Name, State, Pid, DataValid */
	S("1.3.6.1.4.1.8072.9999.9999.1.2.1.2.2",
	  "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e02"),
	S("1.3.6.1.4.1.8072.9999.9999.1.2.1.2.5",
	  "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e05"),
	S("1.3.6.1.4.1.8072.9999.9999.1.2.1.2.7",
	  "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e07"),
	S("1.3.6.1.4.1.8072.9999.9999.1.2.1.2.11",
	  "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e0b"),
	S("1.3.6.1.4.1.8072.9999.9999.1.2.1.3.2", "vm-off"),
	S("1.3.6.1.4.1.8072.9999.9999.1.2.1.3.5", "vm-novcpu"),
	S("1.3.6.1.4.1.8072.9999.9999.1.2.1.3.7", "vm-fresh"),
	S("1.3.6.1.4.1.8072.9999.9999.1.2.1.3.11", "vm-big"),
	I("1.3.6.1.4.1.8072.9999.9999.1.2.1.4.2", 11), /* shutdown */
	I("1.3.6.1.4.1.8072.9999.9999.1.2.1.4.5", 4),  /* running */
	I("1.3.6.1.4.1.8072.9999.9999.1.2.1.4.7", 8),  /* paused */
	I("1.3.6.1.4.1.8072.9999.9999.1.2.1.4.11", 4),
	U("1.3.6.1.4.1.8072.9999.9999.1.2.1.5.2", 0),
	U("1.3.6.1.4.1.8072.9999.9999.1.2.1.5.5", 4501),
	U("1.3.6.1.4.1.8072.9999.9999.1.2.1.5.7", 4701),
	U("1.3.6.1.4.1.8072.9999.9999.1.2.1.5.11", 4194303),
	I("1.3.6.1.4.1.8072.9999.9999.1.2.1.6.2", 1), /* true */
	I("1.3.6.1.4.1.8072.9999.9999.1.2.1.6.5", 1),
	I("1.3.6.1.4.1.8072.9999.9999.1.2.1.6.7", 2), /* false */
	I("1.3.6.1.4.1.8072.9999.9999.1.2.1.6.11", 1),
	/* kvmtopVmCpuTable: no row for 2 (no process) */
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5", 2), /* Cores */
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.1.7", 1),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.1.11", 4),
	/* Time, StealTime: not for 5 (no vCPU thread) */
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.2.7", 5000000000ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.2.11", 1311768467463790320ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.3.7", 7000000),
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.3.11", 5000000000000ULL),
	/* OtherTime, OtherStealTime */
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.4.5", 123456789012ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.4.7", 800000000),
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.4.11", 18446744073709551615ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.5.5", 3456789),
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.5.7", 900000),
	C("1.3.6.1.4.1.8072.9999.9999.1.3.1.5.11", 4294967296ULL),
	/* Total, Steal: only 11 (5: no vCPU thread, 7: no rates) */
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.6.11", 10000),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.7.11", 0),
	/* OtherTotal, OtherSteal: 5 and 11 (7: no rates) */
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.8.5", 1234),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.8.11", 25000),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.9.5", 56),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.9.11", 4294967295ULL),
	/* Threads (0 is a value, not an absence), OtherThreads */
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.10.5", 0),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.10.7", 1),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.10.11", 4),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.11.5", 6),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.11.7", 4),
	G("1.3.6.1.4.1.8072.9999.9999.1.3.1.11.11", 7),
	/* kvmtopVmMemTable: Total, Used (not 7: no libvirt figure) */
	G("1.3.6.1.4.1.8072.9999.9999.1.4.1.1.2", 524288),
	G("1.3.6.1.4.1.8072.9999.9999.1.4.1.1.5", 1048576),
	G("1.3.6.1.4.1.8072.9999.9999.1.4.1.1.11", 4294967295ULL), /* 2^33 */
	G("1.3.6.1.4.1.8072.9999.9999.1.4.1.2.2", 524288),
	G("1.3.6.1.4.1.8072.9999.9999.1.4.1.2.5", 786432),
	G("1.3.6.1.4.1.8072.9999.9999.1.4.1.2.11", 4294967295ULL), /* 2^32 */
	/* Vsize .. Cmajflt: not 2 (no process) */
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.3.5", 3221225472ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.3.7", 1000000000),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.3.11", 18446744073709551615ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.4.5", 536870912),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.4.7", 200000000),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.4.11", 68719476736ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.5.5", 4000),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.5.7", 10),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.5.11", 9876543210123ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.6.5", 12),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.6.7", 20),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.6.11", 4294967297ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.7.5", 3),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.7.7", 30),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.7.11", 4294967296ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.8.5", 0),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.8.7", 40),
	C("1.3.6.1.4.1.8072.9999.9999.1.4.1.8.11", 1),
};

/* OIDs of the four-VM snapshot that must have no instance. */
static const char *const main_absent[] = {
	/* CPU row of the shut-off VM: every column */
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.1.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.2.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.3.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.4.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.5.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.6.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.7.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.8.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.9.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.10.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.11.2",
	/* vCPU columns without a vCPU thread */
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.2.5",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.3.5",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.6.5",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.7.5",
	/* percentages before two samples */
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.6.7",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.7.7",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.8.7",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.9.7",
	/* process memory without a process */
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.3.2",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.4.2",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.5.2",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.6.2",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.7.2",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.8.2",
	/* libvirt memory without a libvirt figure */
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.1.7",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.2.7",
	/* column 0, the not-accessible index column, one past the last */
	"1.3.6.1.4.1.8072.9999.9999.1.1.0.0",
	"1.3.6.1.4.1.8072.9999.9999.1.1.11.0",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.0.5",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.1.5",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.7.5",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.0.5",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.12.5",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.0.5",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.9.5",
	/* indexes that are not rows; a scalar instance other than .0 */
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.2.0",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.2.1",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.2.3",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.2.6",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.2.12",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.2.4294967295",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.1.6",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.1.3",
	"1.3.6.1.4.1.8072.9999.9999.1.1.1.1",
	"1.3.6.1.4.1.8072.9999.9999.1.1.6.5",
	/* partial OIDs */
	"1.3.6.1.4.1.8072.9999.9999",
	"1.3.6.1.4.1.8072.9999.9999.1",
	"1.3.6.1.4.1.8072.9999.9999.1.1",
	"1.3.6.1.4.1.8072.9999.9999.1.1.1",
	"1.3.6.1.4.1.8072.9999.9999.1.2",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.2",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.1",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.8",
	/* extra sub-ids after an instance */
	"1.3.6.1.4.1.8072.9999.9999.1.1.1.0.0",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.2.5.0",
	"1.3.6.1.4.1.8072.9999.9999.1.2.1.2.5.5",
	"1.3.6.1.4.1.8072.9999.9999.1.3.1.1.11.1",
	"1.3.6.1.4.1.8072.9999.9999.1.4.1.8.11.0",
	/* outside the MIB or in its other branches */
	"",
	"1.3",
	"1.3.6.1.2.1.1.1.0",
	"1.3.6.1.4.1.8072.9999.9999.0.1",
	"1.3.6.1.4.1.8072.9999.9999.2.1.1",
	"1.3.6.1.4.1.8072.9999.9999.2.2.1",
	"1.3.6.1.4.1.8072.9999.9999.1.5.1.1.5",
	"1.3.6.1.4.1.8072.9999.9998.1.2.1.2.5",
	"1.3.6.1.4.1.8072.9999.10000.1.2.1.2.5",
	"1.3.6.1.4.1.8072.9998.9999.1.2.1.2.5",
};

static void test_get_all(void)
{
	struct kt_mib_ctx ctx = { NULL, version, uri, 2000, 0 };
	size_t i;

	ctx.snap = four_vms();
	for (i = 0; i < N_OF(main_cells); i++)
		check_get(&ctx, &main_cells[i], "4 VMs");
	for (i = 0; i < N_OF(main_absent); i++)
		check_absent(&ctx, main_absent[i], "4 VMs");
	kt_snapshot_unref(ctx.snap);
}

/*
 * Sub-ids above 2^32-1 never come off the wire, but a lookup must not
 * truncate them to 32 bits: column 2^32+2 is not column 2, index 2^32+5 is
 * not index 5.
 */
static void test_get_wide_subids(void)
{
	struct kt_mib_ctx ctx = { NULL, version, uri, 2000, 0 };

	if (sizeof(oid) <= 4) {
		KT_CHECK(true, "# SKIP oid is 32 bits wide");
		return;
	}
	ctx.snap = four_vms();
	check_absent(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.2.1.4294967298.5",
		     "wide sub-ids");
	check_absent(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.1.4294967297.0",
		     "wide sub-ids");
	check_absent(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.4294967301",
		     "wide sub-ids");
	check_next(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.2.1.4294967298",
		   "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5", main_cells,
		   N_OF(main_cells), "wide sub-ids");
	kt_snapshot_unref(ctx.snap);
}

/* ---- scalars ---- */

/*
 * Before the first collection, as the MIB's DESCRIPTIONs say: LastRefresh
 * 0, RefreshDuration 0, LibvirtConnected false(2), VmCount 0 (the number of
 * rows of kvmtopVmTable, which has none), LastRefreshAge the time since the
 * agent started (any value here), RefreshCount 0 (collections completed),
 * SampleInterval 0.
 */
static const struct cell no_snapshot_cells[] = {
	S("1.3.6.1.4.1.8072.9999.9999.1.1.1.0", version),
	U("1.3.6.1.4.1.8072.9999.9999.1.1.2.0", 2000),
	U("1.3.6.1.4.1.8072.9999.9999.1.1.3.0", 0),
	G("1.3.6.1.4.1.8072.9999.9999.1.1.4.0", 0),
	I("1.3.6.1.4.1.8072.9999.9999.1.1.5.0", 2),
	G("1.3.6.1.4.1.8072.9999.9999.1.1.6.0", 0),
	S("1.3.6.1.4.1.8072.9999.9999.1.1.7.0", uri),
	GR("1.3.6.1.4.1.8072.9999.9999.1.1.8.0", 0, 4294967295ULL),
	C("1.3.6.1.4.1.8072.9999.9999.1.1.9.0", 0),
	G("1.3.6.1.4.1.8072.9999.9999.1.1.10.0", 0),
};

static void test_scalars_before_first(void)
{
	struct kt_mib_ctx ctx = { NULL, version, uri, 2000, 0 };
	size_t i;

	for (i = 0; i < N_OF(no_snapshot_cells); i++)
		check_get(&ctx, &no_snapshot_cells[i], "no snapshot");
	check_absent(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.5",
		     "no snapshot");
	check_absent(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5",
		     "no snapshot");
	check_absent(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.4.1.1.5",
		     "no snapshot");
	check_walk_increasing(&ctx, "1.3.6.1.4.1.8072.9999.9999",
			      no_snapshot_cells, N_OF(no_snapshot_cells),
			      "no snapshot");
}

/*
 * The first collection: no interval yet (SampleInterval is 0, says the
 * MIB), a duration beyond Gauge32 (5e15 ns = 5e9 ms saturates), libvirt
 * down, no VM.
 */
static void test_scalars_first_collection(void)
{
	struct kt_mib_ctx ctx = { NULL, version, uri, 4294967295ULL, 0 };
	static const struct cell want[] = {
		S("1.3.6.1.4.1.8072.9999.9999.1.1.1.0", version),
		U("1.3.6.1.4.1.8072.9999.9999.1.1.2.0", 4294967295ULL),
		U("1.3.6.1.4.1.8072.9999.9999.1.1.3.0", 1764115260),
		G("1.3.6.1.4.1.8072.9999.9999.1.1.4.0", 4294967295ULL),
		I("1.3.6.1.4.1.8072.9999.9999.1.1.5.0", 2),
		G("1.3.6.1.4.1.8072.9999.9999.1.1.6.0", 0),
		S("1.3.6.1.4.1.8072.9999.9999.1.1.7.0", uri),
		GR("1.3.6.1.4.1.8072.9999.9999.1.1.8.0", 250, 60250),
		C("1.3.6.1.4.1.8072.9999.9999.1.1.9.0", 1),
		G("1.3.6.1.4.1.8072.9999.9999.1.1.10.0", 0),
	};
	size_t i;

	if ((ctx.snap = kt_snapshot_new(0)) == NULL)
		abort();
	ctx.snap->seq = 1;
	ctx.snap->finished_unix = 1764115260;
	ctx.snap->finished_mono_ns = mono_now_ns() - 250 * MS;
	ctx.snap->duration_ns = 5000000000000000ULL;
	ctx.snap->interval_ns = 0;
	ctx.snap->libvirt_connected = false;
	for (i = 0; i < N_OF(want); i++)
		check_get(&ctx, &want[i], "first collection");
	kt_snapshot_unref(ctx.snap);
}

static void test_scalars_after(void)
{
	struct kt_mib_ctx ctx = { NULL, version, uri, 2000, 0 };
	size_t i;

	ctx.snap = four_vms();
	/* The ten scalars are the first ten cells of main_cells. */
	for (i = 0; i < 10; i++)
		check_get(&ctx, &main_cells[i], "scalars");
	kt_snapshot_unref(ctx.snap);
}

/* ---- walks ---- */

static void test_walks(void)
{
	struct kt_mib_ctx ctx = { NULL, version, uri, 2000, 0 };

	ctx.snap = four_vms();
	check_walk_increasing(&ctx, "1.3.6.1.4.1.8072.9999.9999", main_cells,
			      N_OF(main_cells), "4 VMs");
	check_walk_increasing(&ctx, "1.3.6.1", main_cells, N_OF(main_cells),
			      "4 VMs");
	check_walk_increasing(&ctx, "1.3.6.1.4.1.8072.9999.9998.77", main_cells,
			      N_OF(main_cells), "4 VMs");
	check_walk_increasing(&ctx, "", main_cells, N_OF(main_cells), "4 VMs");
	kt_snapshot_unref(ctx.snap);
}

/* GETNEXT from points that are not instances: from -> to (NULL: the end). */
static const char *const next_cases[][2] = {
	/* before and inside the scalar group */
	{ "1.3.6.1.4.1.8072.9999.9999.0",
	  "1.3.6.1.4.1.8072.9999.9999.1.1.1.0" },
	{ "1.3.6.1.4.1.8072.9999.9999.1",
	  "1.3.6.1.4.1.8072.9999.9999.1.1.1.0" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.1",
	  "1.3.6.1.4.1.8072.9999.9999.1.1.1.0" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.1.0",
	  "1.3.6.1.4.1.8072.9999.9999.1.1.1.0" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.1.0.7",
	  "1.3.6.1.4.1.8072.9999.9999.1.1.1.0" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.1.3",
	  "1.3.6.1.4.1.8072.9999.9999.1.1.3.0" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.1.3.0",
	  "1.3.6.1.4.1.8072.9999.9999.1.1.4.0" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.1.3.0.1",
	  "1.3.6.1.4.1.8072.9999.9999.1.1.4.0" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.1.3.5",
	  "1.3.6.1.4.1.8072.9999.9999.1.1.4.0" },
	/* from the last scalar and past the group into kvmtopVmTable */
	{ "1.3.6.1.4.1.8072.9999.9999.1.1.10.0",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.1.11",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.2" },
	/* table, entry, the not-accessible index column */
	{ "1.3.6.1.4.1.8072.9999.9999.1.2",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.0.9",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.0",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.1",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.1.99",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.2" },
	/* a column without index, between rows, extra sub-ids */
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.3",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.3.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.3.0",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.3.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.3.3",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.3.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.4.99",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.5.0",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.7" },
	/* an index beyond the last row: the next column's first row */
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.3.12",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.4.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.3.4294967295",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.4.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.3.11.0",
	  "1.3.6.1.4.1.8072.9999.9999.1.2.1.4.2" },
	/* between tables: last instance, a column past the last, past the entry */
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.6.11",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.7",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.1.7.1",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.2.2",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.0",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5" },
	/* rows without an instance in the column are skipped */
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.1",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.1.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.2",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.2.7" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.2.2",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.2.7" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.2.6",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.2.7" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.6",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.6.11" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.6.5",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.6.11" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.6.11",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.7.11" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.8.5",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.8.11" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.8.11",
	  "1.3.6.1.4.1.8072.9999.9999.1.3.1.9.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.4.1.1.7",
	  "1.3.6.1.4.1.8072.9999.9999.1.4.1.1.11" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.4.1.3",
	  "1.3.6.1.4.1.8072.9999.9999.1.4.1.3.5" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.4.1.3.2",
	  "1.3.6.1.4.1.8072.9999.9999.1.4.1.3.5" },
	/* CPU table to memory table */
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.11.11",
	  "1.3.6.1.4.1.8072.9999.9999.1.4.1.1.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.3.1.12",
	  "1.3.6.1.4.1.8072.9999.9999.1.4.1.1.2" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.4",
	  "1.3.6.1.4.1.8072.9999.9999.1.4.1.1.2" },
	/* nothing after the last memory column */
	{ "1.3.6.1.4.1.8072.9999.9999.1.4.1.8.7",
	  "1.3.6.1.4.1.8072.9999.9999.1.4.1.8.11" },
	{ "1.3.6.1.4.1.8072.9999.9999.1.4.1.8.11", NULL },
	{ "1.3.6.1.4.1.8072.9999.9999.1.4.1.8.12", NULL },
	{ "1.3.6.1.4.1.8072.9999.9999.1.4.1.9", NULL },
	{ "1.3.6.1.4.1.8072.9999.9999.1.4.2", NULL },
	{ "1.3.6.1.4.1.8072.9999.9999.1.5", NULL },
	{ "1.3.6.1.4.1.8072.9999.9999.2", NULL },
	{ "1.3.6.1.4.1.8072.9999.10000", NULL },
	{ "1.3.6.2", NULL },
};

static void test_getnext_points(void)
{
	struct kt_mib_ctx ctx = { NULL, version, uri, 2000, 0 };
	size_t i;

	ctx.snap = four_vms();
	for (i = 0; i < N_OF(next_cases); i++)
		check_next(&ctx, next_cases[i][0], next_cases[i][1], main_cells,
			   N_OF(main_cells), "GETNEXT");
	kt_snapshot_unref(ctx.snap);
}

/* ---- the table list ---- */

static void check_table_oids(const struct kt_table *t, const char *name,
			     const char *reg, const char *prefix,
			     unsigned first, unsigned last)
{
	char what[256];

	snprintf(what, sizeof(what), "kt_tables: %s is registered at %s", name,
		 reg);
	KT_CHECK(t->name != NULL && strcmp(t->name, name) == 0 &&
			 same_oid(t->reg, t->reg_len, reg),
		 what);
	snprintf(what, sizeof(what), "kt_tables: %s columns hang below %s",
		 name, prefix);
	KT_CHECK(same_oid(t->prefix, t->prefix_len, prefix), what);
	snprintf(what, sizeof(what), "kt_tables: %s serves columns %u..%u",
		 name, first, last);
	KT_CHECK(kt_table_first_col(t) == first && kt_table_last_col(t) == last,
		 what);
}

static void test_table_order(void)
{
	char what[256];
	size_t i;

	static const struct {
		const char *name;
		const char *reg;
		unsigned first, last;
	} later[] = {
		{ "kvmtopVmDiskTable", "1.3.6.1.4.1.8072.9999.9999.1.5", 1,
		  14 },
		{ "kvmtopVmNetTable", "1.3.6.1.4.1.8072.9999.9999.1.6", 1, 17 },
		{ "kvmtopVmIoTable", "1.3.6.1.4.1.8072.9999.9999.1.7", 1, 7 },
		{ "kvmtopVcpuTable", "1.3.6.1.4.1.8072.9999.9999.1.8", 2, 8 },
		{ "kvmtopVmBlkTable", "1.3.6.1.4.1.8072.9999.9999.1.9", 2, 14 },
		{ "kvmtopVmIfTable", "1.3.6.1.4.1.8072.9999.9999.1.10", 2, 13 },
		{ "kvmtopHost", "1.3.6.1.4.1.8072.9999.9999.1.11", 1, 30 },
		{ "kvmtopHostMemTable", "1.3.6.1.4.1.8072.9999.9999.1.12", 2,
		  4 },
		{ "kvmtopHostDiskTable", "1.3.6.1.4.1.8072.9999.9999.1.13", 2,
		  17 },
		{ "kvmtopHostNetTable", "1.3.6.1.4.1.8072.9999.9999.1.14", 2,
		  20 },
		{ "kvmtopHostPsiTable", "1.3.6.1.4.1.8072.9999.9999.1.15", 3,
		  6 },
	};
	char prefix[64];

	KT_EQ_U64(kt_n_tables, 15, "kt_tables: fifteen tables");
	if (kt_n_tables != 15)
		return;
	for (i = 0; i < 11; i++) {
		/* Scalars hang below their group, tables below the entry. */
		snprintf(prefix, sizeof(prefix), "%s%s", later[i].reg,
			 strcmp(later[i].name, "kvmtopHost") == 0 ? "" : ".1");
		check_table_oids(kt_tables[4 + i], later[i].name, later[i].reg,
				 prefix, later[i].first, later[i].last);
	}
	check_table_oids(kt_tables[0], "kvmtopAgent",
			 "1.3.6.1.4.1.8072.9999.9999.1.1",
			 "1.3.6.1.4.1.8072.9999.9999.1.1", 1, 10);
	check_table_oids(kt_tables[1], "kvmtopVmTable",
			 "1.3.6.1.4.1.8072.9999.9999.1.2",
			 "1.3.6.1.4.1.8072.9999.9999.1.2.1", 2, 6);
	check_table_oids(kt_tables[2], "kvmtopVmCpuTable",
			 "1.3.6.1.4.1.8072.9999.9999.1.3",
			 "1.3.6.1.4.1.8072.9999.9999.1.3.1", 1, 11);
	check_table_oids(kt_tables[3], "kvmtopVmMemTable",
			 "1.3.6.1.4.1.8072.9999.9999.1.4",
			 "1.3.6.1.4.1.8072.9999.9999.1.4.1", 1, 9);
	for (i = 0; i + 1 < kt_n_tables; i++) {
		const struct kt_table *a = kt_tables[i], *b = kt_tables[i + 1];

		snprintf(what, sizeof(what),
			 "kt_tables: %s is before %s and does not contain it",
			 a->name, b->name);
		KT_CHECK(snmp_oid_compare(a->reg, a->reg_len, b->reg,
					  b->reg_len) < 0 &&
				 netsnmp_oid_is_subtree(a->reg, a->reg_len,
							b->reg,
							b->reg_len) != 0,
			 what);
	}
	for (i = 1; i < kt_n_tables; i++) {
		const struct kt_table *t = kt_tables[i];

		if (strcmp(t->name, "kvmtopHost") == 0)
			continue; /* scalars: checked above */
		snprintf(what, sizeof(what),
			 "kt_tables: %s prefix is its registration .1",
			 t->name);
		KT_CHECK(t->prefix_len == t->reg_len + 1 &&
				 memcmp(t->prefix, t->reg,
					t->reg_len * sizeof(oid)) == 0 &&
				 t->prefix[t->reg_len] == 1,
			 what);
	}
}

/* ---- no VM ---- */

static void test_empty_snapshot(void)
{
	struct kt_mib_ctx ctx = { NULL, version, uri, 1000, 0 };
	static const struct cell want[] = {
		S("1.3.6.1.4.1.8072.9999.9999.1.1.1.0", version),
		U("1.3.6.1.4.1.8072.9999.9999.1.1.2.0", 1000),
		U("1.3.6.1.4.1.8072.9999.9999.1.1.3.0", 1764115300),
		G("1.3.6.1.4.1.8072.9999.9999.1.1.4.0", 7),
		I("1.3.6.1.4.1.8072.9999.9999.1.1.5.0", 1),
		G("1.3.6.1.4.1.8072.9999.9999.1.1.6.0", 0),
		S("1.3.6.1.4.1.8072.9999.9999.1.1.7.0", uri),
		GR("1.3.6.1.4.1.8072.9999.9999.1.1.8.0", 0, 60000),
		C("1.3.6.1.4.1.8072.9999.9999.1.1.9.0", 7),
		G("1.3.6.1.4.1.8072.9999.9999.1.1.10.0", 999),
	};

	if ((ctx.snap = kt_snapshot_new(0)) == NULL)
		abort();
	ctx.snap->seq = 7;
	ctx.snap->finished_unix = 1764115300;
	ctx.snap->finished_mono_ns = mono_now_ns();
	ctx.snap->duration_ns = 7 * MS + 400000; /* 7.4 ms */
	ctx.snap->interval_ns = 999 * MS;
	ctx.snap->libvirt_connected = true;
	check_walk_increasing(&ctx, "1.3.6.1.4.1.8072.9999.9999", want,
			      N_OF(want), "0 VMs");
	check_next(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.1.10.0", NULL, want,
		   N_OF(want), "0 VMs");
	check_next(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.2.1.2", NULL, want,
		   N_OF(want), "0 VMs");
	check_absent(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.2.1.2.1", "0 VMs");
	check_absent(&ctx, "1.3.6.1.4.1.8072.9999.9999.1.4.1.1.1", "0 VMs");
	kt_snapshot_unref(ctx.snap);
}

/* ---- many VMs ---- */

#define BIG_N 5000

/* Row k of the large snapshot has index 3k+1: gaps between rows. */
static uint32_t big_index(size_t k)
{
	return (uint32_t)(3 * k + 1);
}

/* A small deterministic generator, so that a failure can be replayed. */
static uint32_t rnd(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*state >> 33);
}

/* Rows in shuffled order; odd indexes have a CPU row. */
static struct kt_snapshot *big_snapshot(uint64_t *seed)
{
	struct kt_snapshot *s = kt_snapshot_new(BIG_N);
	uint32_t order[BIG_N], t;
	char name[32];
	size_t k, j;

	if (s == NULL)
		abort();
	for (k = 0; k < BIG_N; k++)
		order[k] = big_index(k);
	for (k = BIG_N - 1; k > 0; k--) {
		j = rnd(seed) % (k + 1);
		t = order[k];
		order[k] = order[j];
		order[j] = t;
	}
	for (k = 0; k < BIG_N; k++) {
		struct kt_vm *vm = &s->vms[k];
		uint32_t idx = order[k];

		vm->index = idx;
		snprintf(vm->uuid, sizeof(vm->uuid),
			 "%08x-0000-4000-8000-%012x", idx, idx);
		snprintf(name, sizeof(name), "vm-%u", idx);
		vm->name = xstrdup(name);
		vm->state = KT_VM_RUNNING;
		vm->pid = (pid_t)(100000 + idx);
		vm->data_valid = true;
		vm->cpu.valid = (idx % 2) == 1;
		vm->cpu.vcpus = 1;
		vm->mem.has_libvirt = true;
		vm->mem.max_kib = (uint64_t)idx * 8;
		vm->mem.cur_kib = (uint64_t)idx * 4;
	}
	kt_snapshot_sort(s);
	s->seq = 3;
	s->finished_mono_ns = mono_now_ns();
	return s;
}

static bool get_num(const struct kt_mib_ctx *ctx, const oid *col,
		    size_t col_len, uint32_t idx, struct kt_value *v)
{
	oid name[MAX_OID_LEN];

	memcpy(name, col, col_len * sizeof(oid));
	name[col_len] = idx;
	memset(v, 0, sizeof(*v));
	return kt_mib_get(ctx, name, col_len + 1, v);
}

static void test_big_get(const struct kt_mib_ctx *ctx, uint64_t *seed)
{
	oid name_col[MAX_OID_LEN], used_col[MAX_OID_LEN],
		cores_col[MAX_OID_LEN];
	size_t name_len, used_len, cores_len, n, bad = 0, bad_absent = 0;
	char want[32];
	struct kt_value v;

	name_len = parse_oid("1.3.6.1.4.1.8072.9999.9999.1.2.1.3", name_col);
	used_len = parse_oid("1.3.6.1.4.1.8072.9999.9999.1.4.1.2", used_col);
	cores_len = parse_oid("1.3.6.1.4.1.8072.9999.9999.1.3.1.1", cores_col);
	for (n = 0; n < 1000; n++) {
		/* first and last row, then random ones */
		size_t k = n == 0 ? 0 : n == 1 ? BIG_N - 1 : rnd(seed) % BIG_N;
		uint32_t idx = big_index(k);

		snprintf(want, sizeof(want), "vm-%u", idx);
		if (!get_num(ctx, name_col, name_len, idx, &v) ||
		    v.type != ASN_OCTET_STR || v.len != strlen(want) ||
		    memcmp(v.str, want, v.len) != 0)
			bad++;
		if (!get_num(ctx, used_col, used_len, idx, &v) ||
		    v.type != ASN_GAUGE || v.num != (uint64_t)idx * 4)
			bad++;
		if (get_num(ctx, cores_col, cores_len, idx, &v) !=
		    (idx % 2 == 1))
			bad++;
		/* 3k+2 and 3k+3 are gaps between rows */
		if (get_num(ctx, name_col, name_len, idx + 1, &v) ||
		    get_num(ctx, name_col, name_len, idx + 2, &v))
			bad_absent++;
	}
	KT_EQ_U64(bad, 0, "5000 VMs: GET of 1000 rows finds the right row");
	KT_EQ_U64(bad_absent, 0, "5000 VMs: GET between rows finds nothing");
}

/*
 * Walks one column with GETNEXT; returns the rows seen, counts those out
 * of order or with a wrong value in *bad, and leaves the first OID after
 * the column in @after.
 */
static size_t walk_column(const struct kt_mib_ctx *ctx, const char *col,
			  uint32_t step, size_t *bad, oid *after,
			  size_t *after_len)
{
	oid cur[MAX_OID_LEN], next[MAX_OID_LEN];
	size_t col_len = parse_oid(col, cur), cur_len = col_len, seen = 0;
	size_t next_len = 0;
	struct kt_value v;

	*bad = 0;
	*after_len = 0;
	memset(&v, 0, sizeof(v));
	while (kt_mib_next(ctx, cur, cur_len, next, &next_len, &v)) {
		if (next_len != col_len + 1 ||
		    memcmp(next, cur, col_len * sizeof(oid)) != 0) {
			memcpy(after, next, next_len * sizeof(oid));
			*after_len = next_len;
			break; /* left the column */
		}
		if (next[col_len] != 1 + (oid)step * seen || v.type == 0)
			(*bad)++;
		seen++;
		memcpy(cur, next, next_len * sizeof(oid));
		cur_len = next_len;
		memset(&v, 0, sizeof(v));
		if (seen > 2 * BIG_N)
			break; /* a loop, not a walk */
	}
	return seen;
}

static void test_big_walk(const struct kt_mib_ctx *ctx)
{
	oid after[MAX_OID_LEN];
	size_t after_len, bad, seen;

	/* Names: every row, indexes 1, 4, 7, ... 14998. */
	seen = walk_column(ctx, "1.3.6.1.4.1.8072.9999.9999.1.2.1.3", 3, &bad,
			   after, &after_len);
	KT_EQ_U64(seen, BIG_N, "5000 VMs: the name column has 5000 rows");
	KT_EQ_U64(bad, 0, "5000 VMs: name rows in index order");
	KT_CHECK(same_oid(after, after_len,
			  "1.3.6.1.4.1.8072.9999.9999.1.2.1.4.1"),
		 "5000 VMs: after the name column comes the state of row 1");
	/* CPU cores: odd indexes only, 1, 7, 13, ... 14995. */
	seen = walk_column(ctx, "1.3.6.1.4.1.8072.9999.9999.1.3.1.1", 6, &bad,
			   after, &after_len);
	KT_EQ_U64(seen, BIG_N / 2, "5000 VMs: the cores column has 2500 rows");
	KT_EQ_U64(bad, 0, "5000 VMs: cores rows in index order");
	KT_CHECK(same_oid(after, after_len,
			  "1.3.6.1.4.1.8072.9999.9999.1.3.1.4.1"),
		 "5000 VMs: after cores comes OtherTime of row 1 (no vCPU "
		 "threads)");
}

static void test_big(void)
{
	struct kt_mib_ctx ctx = { NULL, version, uri, 2000, 0 };
	uint64_t seed = 20261126;
	size_t k, unsorted = 0;

	ctx.snap = big_snapshot(&seed);
	for (k = 0; k < BIG_N; k++)
		if (ctx.snap->vms[k].index != big_index(k))
			unsorted++;
	KT_EQ_U64(unsorted, 0, "5000 VMs: rows sorted by index");
	test_big_get(&ctx, &seed);
	test_big_walk(&ctx);
	kt_snapshot_unref(ctx.snap);
}

int main(void)
{
	test_table_order();
	test_scalars_before_first();
	test_scalars_first_collection();
	test_scalars_after();
	test_get_all();
	test_get_wide_subids();
	test_walks();
	test_getnext_points();
	test_empty_snapshot();
	test_big();
	return kt_test_done();
}
