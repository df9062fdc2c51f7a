/*
 * Unit tests of the disk, network, I/O and per-device tables
 * (subagent/mib/dev_tables.c) without snmpd, in the manner of lldpd's
 * check_snmp.c: a snapshot built by hand, a GET of every instance, GETs of
 * cells that must be absent, and GETNEXT walks that must return exactly the
 * hand-written list of instances, in order.
 *
 * Every OID is written out in full from mibs/KVMTOP-MIB.txt (R.1.5 to
 * R.1.10, R = 1.3.6.1.4.1.8072.9999.9999) and every value worked by hand
 * from the rows built below; nothing comes from the code's own tables.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_mib_test.h"
#include "mib/tables.h"
#include "snapshot.h"

#define R "1.3.6.1.4.1.8072.9999.9999"

/* "/" and 299 'x': a source path beyond a DisplayString's 255 octets. */
static char long_path[301];
static char long_path_255[256];

/* ---- helpers (the rest are kt_mib_test.h's) ---- */

/* Whether @o lies in R.1.5 to R.1.10, the tables under test. */
static bool in_dev_tables(const oid *o, size_t len)
{
	oid root[MAX_OID_LEN];
	size_t rlen = parse_oid(R ".1", root);

	return len > rlen && snmp_oid_compare(o, rlen, root, rlen) == 0 &&
	       o[rlen] >= 5 && o[rlen] <= 10;
}

/*
 * The walk of @want from @start, then @then, or when @then is NULL out of
 * the tables under test (what follows them, the host tables, is another
 * file's business).
 */
static void check_walk_then(const struct kt_mib_ctx *ctx, const char *start,
			    const struct cell *want, size_t n, const char *then,
			    const char *label)
{
	oid cur[MAX_OID_LEN], next[MAX_OID_LEN];
	size_t cur_len, next_len = 0;
	char what[400], buf[400];
	struct kt_value v;
	bool found;

	if (!walk_steps(ctx, start, want, n, label, cur, &cur_len))
		return;
	found = kt_mib_next(ctx, cur, cur_len, next, &next_len, &v);
	snprintf(what, sizeof(what), "%s: after %s comes %s", label,
		 n > 0 ? want[n - 1].oid : start,
		 then != NULL ? then : "no more of R.1.5-R.1.10");
	if (!KT_CHECK(then != NULL ? found && same_oid(next, next_len, then)
				   : !found || !in_dev_tables(next, next_len),
		      what))
		printf("#   got %s\n",
		       fmt_oid(next, next_len, buf, sizeof(buf)));
}

/* ---- the snapshot ---- */

static void set_vcpu(struct kt_vcpu *c, uint32_t number, pid_t tid, int cpu,
		     uint64_t run, uint64_t wait, bool rate, uint32_t total,
		     uint32_t steal)
{
	*c = (struct kt_vcpu){ .number = number, .tid = tid, .processor = cpu,
			       .run_ns = run, .wait_ns = wait, .has_rate = rate,
			       .total = total, .steal = steal };
}

static void set_blk(struct kt_blk *b, uint32_t index, const char *target,
		    const char *source, uint32_t present)
{
	b->index = index;
	b->target = xshared(target);
	b->source = xshared(source);
	b->present = present;
	b->has_info = (present & KT_BLK_INFO) != 0;
	b->has_stats = (present & KT_BLK_STATS) != 0;
}

static void set_if(struct kt_iface *f, uint32_t index, const char *name,
		   const char *mac, const char *model, uint32_t host_ifindex)
{
	f->index = index;
	f->name = xshared(name);
	snprintf(f->mac, sizeof(f->mac), "%s", mac);
	f->model = xshared(model);
	f->host_ifindex = host_ifindex;
}

/*
 * VM 5: vCPUs 0, 1, 3 (no 2: the indexes 1, 2, 4 are not contiguous);
 * disks 12 (everything reported) and 40 (only the four counters of the old
 * per-domain call); interfaces 13 and 41 (no tap, no counters).
 */
static void fill_vm5_devices(struct kt_vm *vm)
{
	vm->n_vcpus = 3;
	vm->vcpus = xcalloc(3, sizeof(*vm->vcpus));
	set_vcpu(&vm->vcpus[0], 0, 5101, 2, 120000000000ULL, 6000000000ULL,
		 true, 7500, 2500);
	set_vcpu(&vm->vcpus[1], 1, 5102, 5, 80000000000ULL, 4000000000ULL, true,
		 10000, 0);
	/* Unknown processor, no rate yet: junk in the fields must not leak. */
	set_vcpu(&vm->vcpus[2], 3, 5104, -1, 1000000000ULL, 0, false, 77, 77);
	vm->n_blks = 2;
	vm->blks = xcalloc(2, sizeof(*vm->blks));
	set_blk(&vm->blks[0], 12, "vda", "/var/lib/libvirt/images/vm5.qcow2",
		KT_BLK_INFO | KT_BLK_STATS);
	vm->blks[0].capacity = 10737418240ULL;
	vm->blks[0].allocation = 3221225472ULL;
	vm->blks[0].physical = 3221422080ULL;
	vm->blks[0].st =
		(struct kt_blk_stats){ 1000, 10, 5000, 2000, 20, 7000, 3, 900 };
	set_blk(&vm->blks[1], 40, "vdb", "",
		KT_BLK_RD_BYTES | KT_BLK_RD_REQS | KT_BLK_WR_BYTES |
			KT_BLK_WR_REQS);
	vm->blks[1].capacity = 99; /* junk: not reported */
	vm->blks[1].st = (struct kt_blk_stats){
		4294967296ULL, 1, 99, 5000000000000ULL, 7, 99, 99, 99
	};
	vm->n_ifs = 2;
	vm->ifs = xcalloc(2, sizeof(*vm->ifs));
	set_if(&vm->ifs[0], 13, "vnet0", "52:54:00:4e:05:01", "virtio", 17);
	vm->ifs[0].has_stats = true;
	vm->ifs[0].st = (struct kt_if_stats){ 123456789012ULL, 1000000, 1, 2,
					      98765,	       500,	0, 3 };
	set_if(&vm->ifs[1], 41, "", "52:54:00:4e:05:02", "", 0);
	vm->ifs[1].st.rx_bytes = 99; /* junk: has_stats is false */
}

static void fill_vm5(struct kt_vm *vm)
{
	vm->index = 5;
	memcpy(vm->uuid, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e05", 37);
	vm->name = xstrdup("vm-five");
	vm->state = KT_VM_RUNNING;
	vm->active = true;
	vm->cpu.valid = true;
	vm->disk = (struct kt_vm_disk){
		.valid = true,
		.has_count = true,
		.count = 2,
		.present = KT_BLK_INFO | KT_BLK_STATS,
		.has_info = true,
		.capacity = 10737418240ULL,
		.allocation = 3221225472ULL,
		.physical = 3221422080ULL,
		.has_stats = true,
		.st = { 4294968296ULL, 11, 5000, 5000000002000ULL, 27, 7000, 3,
			900 },
		.has_delay = true,
		.delay_blkio_ns = 250000000,
		.has_ioutil = false,
		.ioutil = 99,
	};
	vm->net = (struct kt_vm_net){
		.valid = true,
		.count = 2,
		.has_stats = true,
		.st = { 123456789012ULL, 1000000, 1, 2, 98765, 500, 0, 3 },
		.has_tap = true,
		.tap = { 1, 0, 4294967296ULL, 12345678901234ULL, 2, 3, 4, 5 },
	};
	vm->io = (struct kt_vm_io){ true,	    41943040000ULL,
				    28311552000ULL, 52428800000ULL,
				    31457280000ULL, 1200000,
				    950000,	    1048576 };
	fill_vm5_devices(vm);
}

/* VM 10: one vCPU, one disk (7) and one interface (2), below VM 5's. */
static void fill_vm10(struct kt_vm *vm)
{
	vm->index = 10;
	memcpy(vm->uuid, "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e10", 37);
	vm->name = xstrdup("vm-ten");
	vm->state = KT_VM_PAUSED;
	vm->active = true;
	vm->cpu.valid = true;
	vm->disk = (struct kt_vm_disk){
		.valid = true,
		.has_count = true,
		.count = 1,
		.present = KT_BLK_INFO | KT_BLK_STATS,
		.has_info = true,
		.capacity = 21474836480ULL,
		.physical = 21474836480ULL,
		.has_stats = true,
		.st = { 7, 1, 2, 0, 0, 0, 0, 0 },
		.has_ioutil = true,
		.ioutil = 1234,
	};
	vm->net =
		(struct kt_vm_net){ .valid = true,
				    .count = 1,
				    .has_stats = true,
				    .st = { 10, 1, 0, 0, 20, 2, 0, 0 },
				    .has_tap = true,
				    .tap = { 17, 16, 15, 14, 13, 12, 11, 10 } };
	vm->io = (struct kt_vm_io){ true, 1, 2, 3, 4, 5, 6, 7 };
	vm->n_vcpus = 1;
	vm->vcpus = xcalloc(1, sizeof(*vm->vcpus));
	set_vcpu(&vm->vcpus[0], 0, 1001, 0, 5, 6, true, 1, 0);
	vm->n_blks = 1;
	vm->blks = xcalloc(1, sizeof(*vm->blks));
	set_blk(&vm->blks[0], 7, "sda", long_path, KT_BLK_INFO | KT_BLK_STATS);
	vm->blks[0].capacity = 21474836480ULL;
	vm->blks[0].physical = 21474836480ULL;
	vm->blks[0].st = (struct kt_blk_stats){ 7, 1, 2, 0, 0, 0, 0, 0 };
	vm->n_ifs = 1;
	vm->ifs = xcalloc(1, sizeof(*vm->ifs));
	set_if(&vm->ifs[0], 2, "vnet5", "fe:54:00:aa:bb:cc", "e1000",
	       2147483647);
	vm->ifs[0].has_stats = true;
	vm->ifs[0].st = (struct kt_if_stats){ 10, 1, 0, 0, 20, 2, 0, 0 };
}

/*
 * VM 3 shut off: no row in any table here.  VM 8 runs without disks or
 * interfaces: a count of 0 and nothing else; its process has no io.
 */
static struct kt_snapshot *dev_snapshot(void)
{
	struct kt_snapshot *s = kt_snapshot_new(4);
	struct kt_vm *v3, *v8;

	if (s == NULL)
		abort();
	/* Out of order: the tables rely on kt_snapshot_sort(). */
	fill_vm10(&s->vms[0]);
	v8 = &s->vms[1];
	v8->index = 8;
	v8->name = xstrdup("vm-eight");
	v8->state = KT_VM_RUNNING;
	v8->disk = (struct kt_vm_disk){ .valid = true, .has_count = true };
	/* Junk tap totals kept while no tap is seen: not served. */
	v8->net =
		(struct kt_vm_net){ .valid = true,
				    .tap = { 99, 99, 99, 99, 99, 99, 99, 99 } };
	v8->io.read_bytes = 99; /* junk: io.valid is false */
	fill_vm5(&s->vms[2]);
	v3 = &s->vms[3];
	v3->index = 3;
	v3->name = xstrdup("vm-three");
	v3->state = KT_VM_SHUTDOWN;
	kt_snapshot_sort(s);
	kt_snapshot_number_devices(s);
	return s;
}

/* ---- what the agent must serve ---- */

static const struct cell disk_net_io_cells[] = {
	/* kvmtopVmDiskTable */
	G(R ".1.5.1.1.5", 2),
	G(R ".1.5.1.1.8", 0),
	G(R ".1.5.1.1.10", 1),
	C(R ".1.5.1.2.5", 10737418240ULL),
	C(R ".1.5.1.2.10", 21474836480ULL),
	C(R ".1.5.1.3.5", 3221225472ULL),
	C(R ".1.5.1.3.10", 0),
	C(R ".1.5.1.4.5", 3221422080ULL),
	C(R ".1.5.1.4.10", 21474836480ULL),
	C(R ".1.5.1.5.5", 4294968296ULL),
	C(R ".1.5.1.5.10", 7),
	C(R ".1.5.1.6.5", 11),
	C(R ".1.5.1.6.10", 1),
	C(R ".1.5.1.7.5", 5000),
	C(R ".1.5.1.7.10", 2),
	C(R ".1.5.1.8.5", 5000000002000ULL),
	C(R ".1.5.1.8.10", 0),
	C(R ".1.5.1.9.5", 27),
	C(R ".1.5.1.9.10", 0),
	C(R ".1.5.1.10.5", 7000),
	C(R ".1.5.1.10.10", 0),
	C(R ".1.5.1.11.5", 3),
	C(R ".1.5.1.11.10", 0),
	C(R ".1.5.1.12.5", 900),
	C(R ".1.5.1.12.10", 0),
	C(R ".1.5.1.13.5", 250000000),
	G(R ".1.5.1.14.10", 1234),
	/* kvmtopVmNetTable */
	G(R ".1.6.1.1.5", 2),
	G(R ".1.6.1.1.8", 0),
	G(R ".1.6.1.1.10", 1),
	C(R ".1.6.1.2.5", 123456789012ULL),
	C(R ".1.6.1.2.10", 10),
	C(R ".1.6.1.3.5", 1000000),
	C(R ".1.6.1.3.10", 1),
	C(R ".1.6.1.4.5", 1),
	C(R ".1.6.1.4.10", 0),
	C(R ".1.6.1.5.5", 2),
	C(R ".1.6.1.5.10", 0),
	C(R ".1.6.1.6.5", 98765),
	C(R ".1.6.1.6.10", 20),
	C(R ".1.6.1.7.5", 500),
	C(R ".1.6.1.7.10", 2),
	C(R ".1.6.1.8.5", 0),
	C(R ".1.6.1.8.10", 0),
	C(R ".1.6.1.9.5", 3),
	C(R ".1.6.1.9.10", 0),
	/* the taps' counters (.10 to .17); VM 8 has no tap */
	C(R ".1.6.1.10.5", 1),
	C(R ".1.6.1.10.10", 17),
	C(R ".1.6.1.11.5", 0),
	C(R ".1.6.1.11.10", 16),
	C(R ".1.6.1.12.5", 4294967296ULL),
	C(R ".1.6.1.12.10", 15),
	C(R ".1.6.1.13.5", 12345678901234ULL),
	C(R ".1.6.1.13.10", 14),
	C(R ".1.6.1.14.5", 2),
	C(R ".1.6.1.14.10", 13),
	C(R ".1.6.1.15.5", 3),
	C(R ".1.6.1.15.10", 12),
	C(R ".1.6.1.16.5", 4),
	C(R ".1.6.1.16.10", 11),
	C(R ".1.6.1.17.5", 5),
	C(R ".1.6.1.17.10", 10),
	/* kvmtopVmIoTable */
	C(R ".1.7.1.1.5", 41943040000ULL),
	C(R ".1.7.1.1.10", 1),
	C(R ".1.7.1.2.5", 28311552000ULL),
	C(R ".1.7.1.2.10", 2),
	C(R ".1.7.1.3.5", 52428800000ULL),
	C(R ".1.7.1.3.10", 3),
	C(R ".1.7.1.4.5", 31457280000ULL),
	C(R ".1.7.1.4.10", 4),
	C(R ".1.7.1.5.5", 1200000),
	C(R ".1.7.1.5.10", 5),
	C(R ".1.7.1.6.5", 950000),
	C(R ".1.7.1.6.10", 6),
	C(R ".1.7.1.7.5", 1048576),
	C(R ".1.7.1.7.10", 7),
};

static const struct cell device_cells[] = {
	/* kvmtopVcpuTable: (VM, vCPU number + 1) */
	G(R ".1.8.1.2.5.1", 0),
	G(R ".1.8.1.2.5.2", 1),
	G(R ".1.8.1.2.5.4", 3),
	G(R ".1.8.1.2.10.1", 0),
	U(R ".1.8.1.3.5.1", 5101),
	U(R ".1.8.1.3.5.2", 5102),
	U(R ".1.8.1.3.5.4", 5104),
	U(R ".1.8.1.3.10.1", 1001),
	C(R ".1.8.1.4.5.1", 120000000000ULL),
	C(R ".1.8.1.4.5.2", 80000000000ULL),
	C(R ".1.8.1.4.5.4", 1000000000ULL),
	C(R ".1.8.1.4.10.1", 5),
	C(R ".1.8.1.5.5.1", 6000000000ULL),
	C(R ".1.8.1.5.5.2", 4000000000ULL),
	C(R ".1.8.1.5.5.4", 0),
	C(R ".1.8.1.5.10.1", 6),
	G(R ".1.8.1.6.5.1", 7500),
	G(R ".1.8.1.6.5.2", 10000),
	G(R ".1.8.1.6.10.1", 1),
	G(R ".1.8.1.7.5.1", 2500),
	G(R ".1.8.1.7.5.2", 0),
	G(R ".1.8.1.7.10.1", 0),
	G(R ".1.8.1.8.5.1", 2),
	G(R ".1.8.1.8.5.2", 5),
	G(R ".1.8.1.8.10.1", 0),
	/* kvmtopVmBlkTable: (VM, disk index) */
	S(R ".1.9.1.2.5.12", "vda"),
	S(R ".1.9.1.2.5.40", "vdb"),
	S(R ".1.9.1.2.10.7", "sda"),
	S(R ".1.9.1.3.5.12", "/var/lib/libvirt/images/vm5.qcow2"),
	S(R ".1.9.1.3.5.40", ""),
	S(R ".1.9.1.3.10.7", long_path_255),
	C(R ".1.9.1.4.5.12", 10737418240ULL),
	C(R ".1.9.1.4.10.7", 21474836480ULL),
	C(R ".1.9.1.5.5.12", 3221225472ULL),
	C(R ".1.9.1.5.10.7", 0),
	C(R ".1.9.1.6.5.12", 3221422080ULL),
	C(R ".1.9.1.6.10.7", 21474836480ULL),
	C(R ".1.9.1.7.5.12", 1000),
	C(R ".1.9.1.7.5.40", 4294967296ULL),
	C(R ".1.9.1.7.10.7", 7),
	C(R ".1.9.1.8.5.12", 10),
	C(R ".1.9.1.8.5.40", 1),
	C(R ".1.9.1.8.10.7", 1),
	C(R ".1.9.1.9.5.12", 5000),
	C(R ".1.9.1.9.10.7", 2),
	C(R ".1.9.1.10.5.12", 2000),
	C(R ".1.9.1.10.5.40", 5000000000000ULL),
	C(R ".1.9.1.10.10.7", 0),
	C(R ".1.9.1.11.5.12", 20),
	C(R ".1.9.1.11.5.40", 7),
	C(R ".1.9.1.11.10.7", 0),
	C(R ".1.9.1.12.5.12", 7000),
	C(R ".1.9.1.12.10.7", 0),
	C(R ".1.9.1.13.5.12", 3),
	C(R ".1.9.1.13.10.7", 0),
	C(R ".1.9.1.14.5.12", 900),
	C(R ".1.9.1.14.10.7", 0),
	/* kvmtopVmIfTable: (VM, interface index) */
	S(R ".1.10.1.2.5.13", "vnet0"),
	S(R ".1.10.1.2.5.41", ""),
	S(R ".1.10.1.2.10.2", "vnet5"),
	S(R ".1.10.1.3.5.13", "52:54:00:4e:05:01"),
	S(R ".1.10.1.3.5.41", "52:54:00:4e:05:02"),
	S(R ".1.10.1.3.10.2", "fe:54:00:aa:bb:cc"),
	S(R ".1.10.1.4.5.13", "virtio"),
	S(R ".1.10.1.4.5.41", ""),
	S(R ".1.10.1.4.10.2", "e1000"),
	U(R ".1.10.1.5.5.13", 17),
	U(R ".1.10.1.5.5.41", 0),
	U(R ".1.10.1.5.10.2", 2147483647),
	C(R ".1.10.1.6.5.13", 123456789012ULL),
	C(R ".1.10.1.6.10.2", 10),
	C(R ".1.10.1.7.5.13", 1000000),
	C(R ".1.10.1.7.10.2", 1),
	C(R ".1.10.1.8.5.13", 1),
	C(R ".1.10.1.8.10.2", 0),
	C(R ".1.10.1.9.5.13", 2),
	C(R ".1.10.1.9.10.2", 0),
	C(R ".1.10.1.10.5.13", 98765),
	C(R ".1.10.1.10.10.2", 20),
	C(R ".1.10.1.11.5.13", 500),
	C(R ".1.10.1.11.10.2", 2),
	C(R ".1.10.1.12.5.13", 0),
	C(R ".1.10.1.12.10.2", 0),
	C(R ".1.10.1.13.5.13", 3),
	C(R ".1.10.1.13.10.2", 0),
};

static const char *const absent[] = {
	/* sums: a VM without the row, a value no device reported */
	R ".1.5.1.1.3",
	R ".1.5.1.2.8",
	R ".1.5.1.13.10",
	R ".1.5.1.13.8",
	R ".1.5.1.14.5",
	R ".1.6.1.1.3",
	R ".1.6.1.2.8",
	R ".1.6.1.10.8",
	R ".1.6.1.17.8",
	R ".1.6.1.10.3",
	R ".1.7.1.1.8",
	R ".1.7.1.1.3",
	/* vCPUs: no vCPU 2, no rate or processor for vCPU 3 */
	R ".1.8.1.2.5.3",
	R ".1.8.1.6.5.4",
	R ".1.8.1.7.5.4",
	R ".1.8.1.8.5.4",
	R ".1.8.1.2.8.1",
	R ".1.8.1.2.10.2",
	/* disks and interfaces: another VM's index, unreported values */
	R ".1.9.1.2.5.7",
	R ".1.9.1.2.10.12",
	R ".1.9.1.4.5.40",
	R ".1.9.1.9.5.40",
	R ".1.9.1.14.5.40",
	R ".1.10.1.2.5.2",
	R ".1.10.1.6.5.41",
	R ".1.10.1.13.5.41",
	/* index columns (not-accessible), past the last column */
	R ".1.5.1.0.5",
	R ".1.5.1.15.5",
	R ".1.6.1.18.5",
	R ".1.7.1.8.5",
	R ".1.8.1.1.5.1",
	R ".1.8.1.9.5.1",
	R ".1.9.1.1.5.12",
	R ".1.9.1.15.5.12",
	R ".1.10.1.1.5.13",
	R ".1.10.1.14.5.13",
	/* half an index, one sub-id too many */
	R ".1.8.1.2.5",
	R ".1.9.1.2.5",
	R ".1.10.1.3.5.13.0",
	R ".1.9.1.2.5.12.1",
	R ".1.8.1.3",
	R ".1.9.1",
};

/* ---- tests ---- */

static void init_long_path(void)
{
	memset(long_path, 'x', 300);
	long_path[0] = '/';
	long_path[300] = '\0';
	memcpy(long_path_255, long_path, 255);
	long_path_255[255] = '\0';
}

static void test_gets(void)
{
	struct kt_mib_ctx ctx = { NULL, "1.0", "test:///x", 2000, 0 };
	size_t i;

	ctx.snap = dev_snapshot();
	for (i = 0; i < N_OF(disk_net_io_cells); i++)
		check_get(&ctx, &disk_net_io_cells[i], NULL);
	for (i = 0; i < N_OF(device_cells); i++)
		check_get(&ctx, &device_cells[i], NULL);
	for (i = 0; i < N_OF(absent); i++)
		check_absent(&ctx, absent[i], "devices");
	kt_snapshot_unref(ctx.snap);
}

static void test_walks(void)
{
	struct kt_mib_ctx ctx = { NULL, "1.0", "test:///x", 2000, 0 };

	ctx.snap = dev_snapshot();
	/* No VM has memory figures: R.1.4 is empty. */
	check_walk_then(&ctx, R ".1.4", disk_net_io_cells,
			N_OF(disk_net_io_cells), R ".1.8.1.2.5.1", "sums");
	check_walk_then(&ctx, R ".1.7.1.7.10", device_cells, N_OF(device_cells),
			NULL, "devices");
	kt_snapshot_unref(ctx.snap);
}

static void test_next_points(void)
{
	static const char *const cases[][2] = {
		/* into the tap columns, past VM 8 without taps, and out */
		{ R ".1.6.1.9.10", R ".1.6.1.10.5" },
		{ R ".1.6.1.10.5", R ".1.6.1.10.10" },
		{ R ".1.6.1.17.10", R ".1.7.1.1.5" },
		{ R ".1.8", R ".1.8.1.2.5.1" },
		{ R ".1.8.1.2.5", R ".1.8.1.2.5.1" },
		{ R ".1.8.1.2.5.2", R ".1.8.1.2.5.4" },
		{ R ".1.8.1.2.5.3", R ".1.8.1.2.5.4" },
		/* from the last vCPU of VM 5 to VM 10, across VM 8 */
		{ R ".1.8.1.2.5.4", R ".1.8.1.2.10.1" },
		{ R ".1.8.1.2.7", R ".1.8.1.2.10.1" },
		{ R ".1.8.1.2.8.99", R ".1.8.1.2.10.1" },
		{ R ".1.8.1.2.4294967295", R ".1.8.1.3.5.1" },
		/* vCPU 3 has no rate: skipped */
		{ R ".1.8.1.6.5.2", R ".1.8.1.6.10.1" },
		{ R ".1.9.1.2.5.12", R ".1.9.1.2.5.40" },
		{ R ".1.9.1.2.5.13", R ".1.9.1.2.5.40" },
		{ R ".1.9.1.2.5.41", R ".1.9.1.2.10.7" },
		{ R ".1.9.1.2.5.12.0", R ".1.9.1.2.5.40" },
		{ R ".1.9.1.4.5.12", R ".1.9.1.4.10.7" },
		{ R ".1.9.1.14.10.7", R ".1.10.1.2.5.13" },
		{ R ".1.9.1.15", R ".1.10.1.2.5.13" },
		{ R ".1.10.1.2.10.1", R ".1.10.1.2.10.2" },
		{ R ".1.10.1.6.5.13", R ".1.10.1.6.10.2" },
	};
	struct kt_mib_ctx ctx = { NULL, "1.0", "test:///x", 2000, 0 };
	size_t i;

	ctx.snap = dev_snapshot();
	for (i = 0; i < N_OF(cases); i++)
		check_next(&ctx, cases[i][0], cases[i][1], NULL, 0, NULL);
	kt_snapshot_unref(ctx.snap);
}

/* Device rows need the numbering; without it, or a snapshot, none. */
static void test_unnumbered(void)
{
	struct kt_mib_ctx ctx = { NULL, "1.0", "test:///x", 2000, 0 };

	check_absent(&ctx, R ".1.8.1.2.5.1", "no snapshot");
	check_absent(&ctx, R ".1.5.1.1.5", "no snapshot");
	check_walk_then(&ctx, R ".1.5", NULL, 0, NULL, "no snapshot");
	ctx.snap = dev_snapshot();
	ctx.snap->devices_numbered = false;
	check_absent(&ctx, R ".1.8.1.2.5.1", "unnumbered");
	check_absent(&ctx, R ".1.9.1.2.5.12", "unnumbered");
	check_absent(&ctx, R ".1.10.1.2.10.2", "unnumbered");
	check_walk_then(&ctx, R ".1.7.1.7.10", NULL, 0, NULL, "unnumbered");
	kt_snapshot_unref(ctx.snap);
}

/* The numbering itself: first rows and totals, worked by hand. */
static void test_numbering(void)
{
	struct kt_snapshot *s = dev_snapshot();

	/* Sorted: VM 3 (no devices), 5 (3 vCPUs, 2 disks, 2 ifs), 8, 10. */
	KT_EQ_U64(s->n_vcpu_rows, 4, "numbering: 4 vCPU rows");
	KT_EQ_U64(s->n_blk_rows, 3, "numbering: 3 disk rows");
	KT_EQ_U64(s->n_if_rows, 3, "numbering: 3 interface rows");
	KT_EQ_U64(s->vms[0].vcpu_row0, 0, "numbering: VM 3 starts at 0");
	KT_EQ_U64(s->vms[1].vcpu_row0, 0, "numbering: VM 5 starts at 0");
	KT_EQ_U64(s->vms[2].vcpu_row0, 3, "numbering: VM 8 vCPUs at 3");
	KT_EQ_U64(s->vms[3].vcpu_row0, 3, "numbering: VM 10 vCPUs at 3");
	KT_EQ_U64(s->vms[3].blk_row0, 2, "numbering: VM 10 disks at 2");
	KT_EQ_U64(s->vms[3].if_row0, 2, "numbering: VM 10 ifs at 2");
	kt_snapshot_unref(s);
}

int main(void)
{
	init_long_path();
	test_gets();
	test_walks();
	test_next_points();
	test_unnumbered();
	test_numbering();
	return kt_test_done();
}
