/*
 * Unit tests of the VM tap counters (subagent/collect/vm_netdev.c) on
 * hand-built snapshots: a chain of five collections in which taps grow,
 * vanish, are re-created, a VM stops and starts again and libvirt loses a
 * VM's interface list for a while.  Every expected sum is worked by hand
 * in the comments next to it from the rows written here.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/vm_netdev.h"
#include "kt_test.h"
#include "snapshot.h"

/* An interface of a VM: its persistent index and its tap's name. */
struct ifspec {
	uint32_t index;
	const char *name;
};

/*
 * A /proc/net/dev row: the tap counters in kt_tap_counter order (receive
 * fifo frame compressed multicast, transmit fifo colls carrier
 * compressed).
 */
struct rowspec {
	uint32_t ifindex;
	const char *name;
	uint64_t v[KT_TAP_N];
};



/* Row @vm as the collector leaves it before the host part: no tap data. */
static void set_vm(struct kt_vm *vm, uint32_t index, bool active, bool listed,
		   const struct ifspec *ifs, size_t n)
{
	size_t i;

	vm->index = index;
	vm->name = xstrdup("vm");
	vm->active = active;
	vm->state = active ? KT_VM_RUNNING : KT_VM_SHUTDOWN;
	if (!listed)
		return;
	vm->net.valid = true;
	vm->net.count = (uint32_t)n;
	vm->n_ifs = n;
	vm->ifs = xcalloc(n + 1, sizeof(*vm->ifs));
	for (i = 0; i < n; i++) {
		vm->ifs[i].index = ifs[i].index;
		vm->ifs[i].name = xshared(ifs[i].name);
		vm->ifs[i].model = xshared("virtio");
	}
}

/*
 * The host's rows, in ifindex order as the host collector sorts them.  The
 * fields that are no tap counter (bytes, packets, errs, drop) hold junk
 * that must not show up in any sum.
 */
static void set_rows(struct kt_host *h, const struct rowspec *r, size_t n)
{
	size_t i, j;

	h->valid = true;
	h->n_nets = n;
	h->nets = xcalloc(n + 1, sizeof(*h->nets));
	for (i = 0; i < n; i++) {
		struct kt_host_net *net = &h->nets[i];

		net->ifindex = r[i].ifindex;
		snprintf(net->name, sizeof(net->name), "%s", r[i].name);
		net->type = KT_NET_TAP;
		for (j = 0; j < 4; j++) {
			net->rx[j] = 1000000 + j;
			net->tx[j] = 2000000 + j;
			net->rx[4 + j] = r[i].v[j];
			net->tx[4 + j] = r[i].v[4 + j];
		}
	}
}

static const struct kt_vm *vm_of(const struct kt_snapshot *s, uint32_t index)
{
	return kt_snapshot_find(s, index);
}

/* The VM's tap sums: present with @want, or absent (@want NULL). */
static void check_taps(const struct kt_snapshot *s, uint32_t index,
		       const uint64_t *want, const char *what)
{
	static const char *const names[KT_TAP_N] = {
		"rx fifo", "rx frame", "rx compressed", "rx multicast",
		"tx fifo", "tx colls", "tx carrier",	"tx compressed",
	};
	const struct kt_vm *vm = vm_of(s, index);
	char label[200];
	size_t i;

	snprintf(label, sizeof(label), "%s: %s", what,
		 want != NULL ? "has tap counters" : "no tap counters");
	KT_CHECK(vm != NULL && vm->net.has_tap == (want != NULL), label);
	if (vm == NULL || want == NULL)
		return;
	for (i = 0; i < KT_TAP_N; i++) {
		snprintf(label, sizeof(label), "%s: %s", what, names[i]);
		KT_EQ_U64(vm->net.tap[i], want[i], label);
	}
}

/* The totals a VM keeps while none are served. */
static void check_kept(const struct kt_snapshot *s, uint32_t index,
		       const uint64_t *want, bool rebase, const char *what)
{
	const struct kt_vm *vm = vm_of(s, index);
	char label[200];

	check_taps(s, index, NULL, what);
	snprintf(label, sizeof(label), "%s: totals kept", what);
	KT_CHECK(vm != NULL &&
			 memcmp(vm->net.tap, want, sizeof(vm->net.tap)) == 0,
		 label);
	snprintf(label, sizeof(label), "%s: rebase %s", what,
		 rebase ? "pending" : "not pending");
	KT_CHECK(vm != NULL && vm->net.tap_rebase == rebase, label);
}

static struct kt_snapshot *snap_new(size_t n)
{
	struct kt_snapshot *s = kt_snapshot_new(n);

	if (s == NULL)
		abort();
	return s;
}

static const uint64_t zeros[KT_TAP_N];

/*
 * Collection 1, no previous snapshot.  VM 1 has vnet0, vnet1, an interface
 * without a tap name and one whose tap has no row; VM 2's only tap has no
 * row; VM 3 is shut off; VM 4 has vnet4.
 */
static struct kt_snapshot *collection1(void)
{
	static const struct ifspec if1[] = {
		{ 11, "vnet0" }, { 12, "vnet1" }, { 13, "" }, { 14, "macvtap9" }
	};
	static const struct ifspec if2[] = { { 21, "vnet2" } };
	static const struct ifspec if4[] = { { 41, "vnet4" } };
	/* Names in no sorted order: the lookup must not rely on one. */
	static const struct rowspec rows[] = {
		{ 2, "eth0", { 9, 9, 9, 9, 9, 9, 9, 9 } },
		{ 10, "vnet1", { 10, 20, 30, 400, 50, 60, 70, 80 } },
		{ 11, "vnet0", { 1, 2, 3, 40, 5, 6, 7, 8 } },
		{ 12, "br0", { 9, 9, 9, 9, 9, 9, 9, 9 } },
		{ 14, "vnet4", { 100, 0, 0, 0, 0, 0, 0, 7 } },
	};
	/* vnet0 + vnet1 */
	static const uint64_t vm1[] = { 11, 22, 33, 440, 55, 66, 77, 88 };
	static const uint64_t vm4[] = { 100, 0, 0, 0, 0, 0, 0, 7 };
	struct kt_snapshot *s = snap_new(4);
	const struct kt_vm *v;

	set_vm(&s->vms[0], 4, true, true, if4, N_OF(if4));
	set_vm(&s->vms[1], 1, true, true, if1, N_OF(if1));
	set_vm(&s->vms[2], 3, false, false, NULL, 0);
	set_vm(&s->vms[3], 2, true, true, if2, N_OF(if2));
	set_rows(&s->host, rows, N_OF(rows));
	kt_snapshot_sort(s);
	kt_vm_net_taps(s, NULL);

	check_taps(s, 1, vm1, "1: VM 1 sums vnet0 and vnet1");
	check_kept(s, 2, zeros, false, "1: VM 2 (its tap has no row)");
	check_kept(s, 3, zeros, false, "1: VM 3 (shut off)");
	check_taps(s, 4, vm4, "1: VM 4 is vnet4");
	v = vm_of(s, 1);
	KT_CHECK(v != NULL && v->ifs[0].tap_sampled &&
			 v->ifs[0].tap_ifindex == 11 &&
			 v->ifs[0].tap_last[KT_TAP_RX_MULTICAST] == 40 &&
			 v->ifs[0].tap_last[KT_TAP_TX_COMPRESSED] == 8,
		 "1: vnet0's sample: its ifindex and values");
	KT_CHECK(v != NULL && !v->ifs[2].tap_sampled && !v->ifs[3].tap_sampled,
		 "1: no sample for no tap name or no row");
	return s;
}

/*
 * Collection 2: vnet0 grows; vnet1 was re-created (ifindex 20) and already
 * counts more than the old one did, so all of it is new; VM 2's tap
 * appears; vnet4 has no row this time; VM 6 is new.
 */
static struct kt_snapshot *collection2(const struct kt_snapshot *prev)
{
	static const struct ifspec if1[] = {
		{ 11, "vnet0" }, { 12, "vnet1" }, { 13, "" }, { 14, "macvtap9" }
	};
	static const struct ifspec if2[] = { { 21, "vnet2" } };
	static const struct ifspec if4[] = { { 41, "vnet4" } };
	static const struct ifspec if6[] = { { 61, "vnet6" } };
	static const struct rowspec rows[] = {
		{ 11, "vnet0", { 2, 2, 3, 45, 5, 9, 7, 8 } },
		{ 20, "vnet1", { 15, 25, 35, 405, 55, 65, 75, 85 } },
		{ 30, "vnet2", { 1, 1, 1, 1, 1, 1, 1, 1 } },
		{ 60, "vnet6", { 6, 6, 6, 6, 6, 6, 6, 6 } },
	};
	/*
	 * VM 1: collection 1's sums + vnet0's growth (1 0 0 5 0 3 0 0) + all
	 * of the new vnet1.  (Growth against the old vnet1 would give 17 27
	 * 38 450 60 74 82 93.)
	 */
	static const uint64_t vm1[] = { 11 + 1 + 15,   22 + 0 + 25, 33 + 0 + 35,
					440 + 5 + 405, 55 + 0 + 55, 66 + 3 + 65,
					77 + 0 + 75,   88 + 0 + 85 };
	static const uint64_t vm2[] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	static const uint64_t vm4[] = { 100, 0, 0, 0, 0, 0, 0, 7 };
	static const uint64_t vm6[] = { 6, 6, 6, 6, 6, 6, 6, 6 };
	struct kt_snapshot *s = snap_new(5);
	const struct kt_vm *v;

	set_vm(&s->vms[0], 1, true, true, if1, N_OF(if1));
	set_vm(&s->vms[1], 2, true, true, if2, N_OF(if2));
	set_vm(&s->vms[2], 3, false, false, NULL, 0);
	set_vm(&s->vms[3], 4, true, true, if4, N_OF(if4));
	set_vm(&s->vms[4], 6, true, true, if6, N_OF(if6));
	set_rows(&s->host, rows, N_OF(rows));
	kt_snapshot_sort(s);
	kt_vm_net_taps(s, prev);

	check_taps(s, 1, vm1, "2: VM 1, vnet0 grew, vnet1 re-created");
	check_taps(s, 2, vm2, "2: VM 2's tap appears: all of it");
	check_kept(s, 4, vm4, false, "2: VM 4 (vnet4 has no row)");
	check_taps(s, 6, vm6, "2: VM 6, new in this snapshot");
	v = vm_of(s, 4);
	KT_CHECK(v != NULL && v->ifs[0].tap_sampled &&
			 v->ifs[0].tap_ifindex == 14 &&
			 v->ifs[0].tap_last[KT_TAP_RX_FIFO] == 100,
		 "2: vnet4 keeps its last sample");
	v = vm_of(s, 1);
	KT_CHECK(v != NULL && v->ifs[1].tap_ifindex == 20 &&
			 v->ifs[1].tap_last[KT_TAP_RX_FIFO] == 15,
		 "2: vnet1's sample is the new tap's");
	return s;
}

/*
 * Collection 3: libvirt lost the interface lists of VMs 1 and 2 (running);
 * vnet4 is back with the same ifindex.
 */
static struct kt_snapshot *collection3(const struct kt_snapshot *prev)
{
	static const struct ifspec if4[] = { { 41, "vnet4" } };
	static const struct rowspec rows[] = {
		{ 11, "vnet0", { 3, 2, 3, 50, 5, 9, 7, 8 } },
		{ 14, "vnet4", { 110, 0, 0, 0, 0, 0, 0, 7 } },
		{ 20, "vnet1", { 15, 25, 35, 405, 55, 65, 75, 85 } },
		{ 30, "vnet2", { 2, 2, 2, 2, 2, 2, 2, 2 } },
	};
	static const uint64_t vm1[] = { 27, 47, 68, 850, 110, 134, 152, 173 };
	static const uint64_t vm2[] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	/* 100 + (110 - 100): the same tap, so only its growth */
	static const uint64_t vm4[] = { 110, 0, 0, 0, 0, 0, 0, 7 };
	struct kt_snapshot *s = snap_new(4);

	set_vm(&s->vms[0], 1, true, false, NULL, 0);
	set_vm(&s->vms[1], 2, true, false, NULL, 0);
	set_vm(&s->vms[2], 3, false, false, NULL, 0);
	set_vm(&s->vms[3], 4, true, true, if4, N_OF(if4));
	set_rows(&s->host, rows, N_OF(rows));
	kt_snapshot_sort(s);
	kt_vm_net_taps(s, prev);

	check_kept(s, 1, vm1, true, "3: VM 1 without its interface list");
	check_kept(s, 2, vm2, true, "3: VM 2 without its interface list");
	check_taps(s, 4, vm4, "3: VM 4, vnet4 back: its growth");
	return s;
}

/*
 * Collection 4: VM 1's list is back: its taps' values are the new
 * samples, nothing added.  VM 2's list is back but its tap has no row:
 * the rebase waits.  VM 4 is shut off.
 */
static struct kt_snapshot *collection4(const struct kt_snapshot *prev)
{
	static const struct ifspec if1[] = { { 11, "vnet0" }, { 12, "vnet1" } };
	static const struct ifspec if2[] = { { 21, "vnet2" } };
	static const struct rowspec rows[] = {
		{ 11, "vnet0", { 4, 2, 3, 50, 5, 9, 7, 8 } },
		{ 20, "vnet1", { 16, 25, 35, 405, 55, 65, 75, 85 } },
	};
	static const uint64_t vm1[] = { 27, 47, 68, 850, 110, 134, 152, 173 };
	static const uint64_t vm2[] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	static const uint64_t vm4[] = { 110, 0, 0, 0, 0, 0, 0, 7 };
	struct kt_snapshot *s = snap_new(3);

	set_vm(&s->vms[0], 1, true, true, if1, N_OF(if1));
	set_vm(&s->vms[1], 2, true, true, if2, N_OF(if2));
	set_vm(&s->vms[2], 4, false, false, NULL, 0);
	set_rows(&s->host, rows, N_OF(rows));
	kt_snapshot_sort(s);
	kt_vm_net_taps(s, prev);

	check_taps(s, 1, vm1, "4: VM 1's list back: new samples, no growth");
	KT_CHECK(!vm_of(s, 1)->net.tap_rebase, "4: VM 1's rebase is done");
	check_kept(s, 2, vm2, true, "4: VM 2's list back, no row");
	check_kept(s, 4, vm4, false, "4: VM 4 shut off");
	return s;
}

/*
 * Collection 5: VM 1's taps grow again; VM 2's tap has a row: its sample,
 * nothing added; VM 4 runs again with a new vnet4 (ifindex 50).
 */
static struct kt_snapshot *collection5(const struct kt_snapshot *prev)
{
	static const struct ifspec if1[] = { { 11, "vnet0" }, { 12, "vnet1" } };
	static const struct ifspec if2[] = { { 21, "vnet2" } };
	static const struct ifspec if4[] = { { 41, "vnet4" } };
	static const struct rowspec rows[] = {
		{ 11, "vnet0", { 4, 2, 3, 52, 5, 9, 7, 8 } },
		{ 20, "vnet1", { 16, 25, 35, 405, 55, 65, 75, 86 } },
		{ 30, "vnet2", { 9, 9, 9, 9, 9, 9, 9, 9 } },
		{ 50, "vnet4", { 5, 0, 0, 0, 0, 0, 0, 1 } },
	};
	/* vnet0's multicast +2, vnet1's tx compressed +1 */
	static const uint64_t vm1[] = { 27, 47, 68, 852, 110, 134, 152, 174 };
	static const uint64_t vm2[] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	/* the totals kept while stopped + all of the new tap */
	static const uint64_t vm4[] = { 115, 0, 0, 0, 0, 0, 0, 8 };
	struct kt_snapshot *s = snap_new(3);

	set_vm(&s->vms[0], 1, true, true, if1, N_OF(if1));
	set_vm(&s->vms[1], 2, true, true, if2, N_OF(if2));
	set_vm(&s->vms[2], 4, true, true, if4, N_OF(if4));
	set_rows(&s->host, rows, N_OF(rows));
	kt_snapshot_sort(s);
	kt_vm_net_taps(s, prev);

	check_taps(s, 1, vm1, "5: VM 1 counts on");
	check_taps(s, 2, vm2, "5: VM 2's tap back after the lost list");
	KT_CHECK(!vm_of(s, 2)->net.tap_rebase, "5: VM 2's rebase is done");
	check_taps(s, 4, vm4, "5: VM 4 restarted with a new tap");
	return s;
}

/* No host rows at all (the host collector read no net/dev). */
static void test_no_rows(void)
{
	static const struct ifspec if1[] = { { 11, "vnet0" } };
	struct kt_snapshot *s = snap_new(1);

	set_vm(&s->vms[0], 1, true, true, if1, N_OF(if1));
	kt_vm_net_taps(s, NULL);
	check_kept(s, 1, zeros, false, "no rows");
	kt_snapshot_unref(s);
}

int main(void)
{
	struct kt_snapshot *s[5];
	size_t i;

	s[0] = collection1();
	s[1] = collection2(s[0]);
	s[2] = collection3(s[1]);
	s[3] = collection4(s[2]);
	s[4] = collection5(s[3]);
	for (i = 0; i < N_OF(s); i++)
		kt_snapshot_unref(s[i]);
	test_no_rows();
	return kt_test_done();
}
