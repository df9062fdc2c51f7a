/*
 * Counters that never go backwards (collect/counters.c) and the device
 * rows and sums built on them (collect/vm_devices.c): QEMU restarts that
 * send the raw values down, devices that leave and come back, values a
 * driver never reports.  Every expected value is worked by hand from the
 * raw values the test feeds in.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/counters.h"
#include "collect/libvirt.h"
#include "collect/vm_devices.h"
#include "index.h"
#include "snapshot.h"

#include "kt_test.h"

#define UUID "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e09"

static void check_growth(void)
{
	uint64_t old = 100;

	KT_EQ_U64(kt_counter_growth(150, &old), 50, "growth: the difference");
	KT_EQ_U64(kt_counter_growth(100, &old), 0, "growth: none");
	KT_EQ_U64(kt_counter_growth(30, &old), 30,
		  "growth: a counter that went down adds its new value");
	KT_EQ_U64(kt_counter_growth(70, NULL), 70,
		  "growth: no previous value adds all of it");
}

static void check_set(void)
{
	struct kt_counter_set s;
	uint64_t raw[2];

	memset(&s, 0, sizeof(s));
	raw[0] = 1000;
	raw[1] = 7;
	kt_counters_advance(&s, raw, 2, KT_COUNTERS_ALL(2));
	KT_EQ_U64(s.acc[0], 1000, "first sight serves the raw value");
	KT_EQ_U64(s.acc[1], 7, "first sight serves the raw value (2nd)");
	raw[0] = 1600;
	raw[1] = 9;
	kt_counters_advance(&s, raw, 2, KT_COUNTERS_ALL(2));
	KT_EQ_U64(s.acc[0], 1600, "plain growth: the raw value still");
	/* The source restarted: 40 counted since, not 40 - 1600. */
	raw[0] = 40;
	raw[1] = 2;
	kt_counters_advance(&s, raw, 2, KT_COUNTERS_ALL(2));
	KT_EQ_U64(s.acc[0], 1640, "a restarted counter keeps growing");
	KT_EQ_U64(s.acc[1], 11, "... 9 + 2");
	raw[0] = 100;
	kt_counters_advance(&s, raw, 2, KT_COUNTERS_ALL(2));
	KT_EQ_U64(s.acc[0], 1700, "and grows from its new value: 1640 + 60");

	/* Counter 1 not reported: kept, then compared with its last value. */
	raw[0] = 110;
	raw[1] = 500;
	kt_counters_advance(&s, raw, 2, 1u << 0);
	KT_EQ_U64(s.acc[1], 11, "an unreported counter keeps its total");
	raw[1] = 5;
	kt_counters_advance(&s, raw, 2, 1u << 1);
	KT_EQ_U64(s.acc[1], 14, "and grows against its last value: 11 + 3");
	KT_EQ_U64(s.acc[0], 1710, "counter 0 unchanged: 1700 + 10");

	/* A new process whose counter is above the old one's: all new. */
	kt_counters_restart(&s);
	raw[0] = 200;
	raw[1] = 6;
	kt_counters_advance(&s, raw, 2, KT_COUNTERS_ALL(2));
	KT_EQ_U64(s.acc[0], 1910, "after a restart the whole value adds");
	KT_EQ_U64(s.acc[1], 20, "... 14 + 6");
}

static void check_dev_counters(void)
{
	struct kt_dev_counters d;
	struct kt_counter_set *a, *b;
	uint64_t raw[1], sum[1];

	memset(&d, 0, sizeof(d));
	a = kt_dev_counters_get(&d, 7);
	raw[0] = 50;
	kt_counters_advance(a, raw, 1, 1);
	b = kt_dev_counters_get(&d, 3);
	raw[0] = 20;
	kt_counters_advance(b, raw, 1, 1);
	kt_dev_counters_sweep(&d);
	kt_dev_counters_sum(&d, sum, 1);
	KT_EQ_U64(sum[0], 70, "sum over two devices");
	KT_CHECK(d.n == 2 && d.v[0].index == 3 && d.v[1].index == 7,
		 "sets sorted by device index");
	kt_dev_counters_get(&d, 7);
	kt_dev_counters_sweep(&d);
	KT_CHECK(d.n == 1 && d.v[0].index == 7, "device 3 left: its set went");
	kt_dev_counters_sum(&d, sum, 1);
	KT_EQ_U64(sum[0], 70, "the sum keeps what device 3 counted");
	b = kt_dev_counters_get(&d, 3);
	KT_CHECK(b != NULL && b->seen == 0 && b->acc[0] == 0,
		 "device 3 back: a fresh set");
	kt_dev_counters_free(&d);
}

/* ---- kt_vm_devices_fill() over cycles ---- */

struct blk_in {
	const char *target;
	uint32_t present;
	uint64_t rd_reqs, wr_bytes;
};

struct if_in {
	const char *mac;
	bool has_stats;
	uint64_t rx_bytes, tx_packets;
};



/* A running domain's device lists as libvirt_dev.c would give them. */
static void make_domain(struct kt_domain *d, const struct blk_in *b, size_t nb,
			const struct if_in *f, size_t nf)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	memcpy(d->uuid, UUID, sizeof(d->uuid));
	d->active = true;
	d->has_blks = d->has_ifs = true;
	d->blks = xcalloc(nb, sizeof(*d->blks));
	d->n_blks = nb;
	for (i = 0; i < nb; i++) {
		d->blks[i].target = xshared(b[i].target);
		d->blks[i].source = xshared("");
		d->blks[i].present = b[i].present;
		d->blks[i].has_stats = (b[i].present & KT_BLK_STATS) != 0;
		d->blks[i].st.rd_reqs = b[i].rd_reqs;
		d->blks[i].st.wr_bytes = b[i].wr_bytes;
	}
	d->ifs = xcalloc(nf, sizeof(*d->ifs));
	d->n_ifs = nf;
	for (i = 0; i < nf; i++) {
		snprintf(d->ifs[i].mac, sizeof(d->ifs[i].mac), "%s", f[i].mac);
		d->ifs[i].name = xshared("");
		d->ifs[i].model = xshared("virtio");
		d->ifs[i].has_stats = f[i].has_stats;
		d->ifs[i].st.rx_bytes = f[i].rx_bytes;
		d->ifs[i].st.tx_packets = f[i].tx_packets;
	}
}

static struct kt_index_map *map;
static struct kt_vm_dev_counters acc;
static struct kt_vm vm;

/* One cycle: the row of a VM with these devices. */
static void cycle(const struct blk_in *b, size_t nb, const struct if_in *f,
		  size_t nf)
{
	struct kt_domain d;

	kt_vm_clear(&vm);
	memcpy(vm.uuid, UUID, sizeof(vm.uuid));
	make_domain(&d, b, nb, f, nf);
	kt_vm_devices_fill(&vm, &d, map, NULL, &acc);
	kt_domain_clear_devices(&d);
}

/* A cycle where libvirt knows no device list (the VM is shut off). */
static void cycle_unknown(void)
{
	struct kt_domain d;

	kt_vm_clear(&vm);
	memcpy(vm.uuid, UUID, sizeof(vm.uuid));
	memset(&d, 0, sizeof(d));
	memcpy(d.uuid, UUID, sizeof(d.uuid));
	kt_vm_devices_fill(&vm, &d, map, NULL, &acc);
}

static const struct kt_blk *blk(const char *target)
{
	size_t i;

	for (i = 0; i < vm.n_blks; i++)
		if (strcmp(vm.blks[i].target, target) == 0)
			return &vm.blks[i];
	return NULL;
}

static uint64_t blk_rd_reqs(const char *target)
{
	const struct kt_blk *b = blk(target);

	return b != NULL ? b->st.rd_reqs : UINT64_MAX;
}

#define RW (KT_BLK_RD_REQS | KT_BLK_WR_BYTES)
#define RWC (RW | KT_BLK_CAPACITY)
#define MAC1 "52:54:00:00:00:01"
#define MAC2 "52:54:00:00:00:02"

static void check_disks_first_and_restart(void)
{
	const struct blk_in b1[] = { { "vda", RWC, 1000, 8192 },
				     { "vdb", KT_BLK_RD_REQS, 500, 0 } };
	const struct blk_in b2[] = { { "vda", RWC, 10, 4096 },
				     { "vdb", KT_BLK_RD_REQS, 20, 0 } };

	cycle(b1, 2, NULL, 0);
	KT_EQ_U64(blk_rd_reqs("vda"), 1000, "first sight: vda's raw rd_reqs");
	KT_EQ_U64(vm.disk.st.rd_reqs, 1500, "first sight: 1000 + 500");
	KT_EQ_U64(vm.disk.st.wr_bytes, 8192, "wr_bytes: vda's only");
	KT_CHECK((vm.disk.present & (KT_BLK_RD_NS | KT_BLK_FL_REQS)) == 0 &&
			 (blk("vdb")->present & KT_BLK_WR_BYTES) == 0,
		 "values never reported stay absent");

	/* QEMU restarted: the raw values went down. */
	cycle(b2, 2, NULL, 0);
	KT_EQ_U64(blk_rd_reqs("vda"), 1010, "vda after a restart: 1000 + 10");
	KT_EQ_U64(blk_rd_reqs("vdb"), 520, "vdb after a restart: 500 + 20");
	KT_EQ_U64(blk("vda")->st.wr_bytes, 12288, "vda wr_bytes: 8192 + 4096");
	KT_EQ_U64(vm.disk.st.rd_reqs, 1530, "the sum: 1010 + 520");
	KT_EQ_U64(vm.disk.st.wr_bytes, 12288, "the sum of wr_bytes");
}

static void check_disk_leaves_and_returns(void)
{
	const struct blk_in only_a[] = { { "vda", RW, 15, 4096 } };
	const struct blk_in back[] = { { "vda", RW, 15, 4096 },
				       { "vdb", KT_BLK_RD_REQS, 3, 0 } };

	cycle(only_a, 1, NULL, 0);
	KT_EQ_U64(vm.disk.count, 1, "vdb unplugged: one disk");
	KT_EQ_U64(blk_rd_reqs("vda"), 1015, "vda: 1010 + 5");
	KT_EQ_U64(vm.disk.st.rd_reqs, 1535,
		  "the sum keeps what vdb counted: 1015 + 520");
	KT_EQ_U64(acc.blks.n, 1, "vdb's set dropped");

	cycle(back, 2, NULL, 0);
	KT_EQ_U64(blk_rd_reqs("vdb"), 3, "vdb back: its raw value");
	KT_EQ_U64(vm.disk.st.rd_reqs, 1538, "the sum: 1015 + 3 + 520");

	/* Shut off, started again: the sets outlive a cycle without lists. */
	cycle_unknown();
	KT_CHECK(!vm.disk.valid && vm.n_blks == 0, "no list: no disk rows");
	cycle(back, 2, NULL, 0);
	KT_EQ_U64(blk_rd_reqs("vda"), 1015, "vda kept across the stop");
	KT_EQ_U64(vm.disk.st.rd_reqs, 1538, "the sum too");
}

/* A disk whose values go missing for a cycle keeps them in the sum. */
static void check_disk_unreported(void)
{
	const struct blk_in none[] = { { "vda", RW, 0, 0 },
				       { "vdb", 0, 0, 0 } };
	const struct blk_in again[] = { { "vda", RW, 15, 4096 },
					{ "vdb", KT_BLK_RD_REQS, 4, 0 } };

	cycle(none, 2, NULL, 0);
	KT_CHECK((blk("vdb")->present & KT_BLK_RD_REQS) == 0 &&
			 !blk("vdb")->has_stats,
		 "vdb without values: absent");
	/* vda went to 0: restarted; its total stays 1015. */
	KT_EQ_U64(vm.disk.st.rd_reqs, 1538, "the sum still has vdb's 3");
	cycle(again, 2, NULL, 0);
	KT_EQ_U64(blk_rd_reqs("vdb"), 4, "vdb: 3 + 1");
	KT_EQ_U64(blk_rd_reqs("vda"), 1030, "vda: 1015 + 15 since its reset");
	KT_EQ_U64(vm.disk.st.rd_reqs, 1554, "the sum: 1030 + 4 + 520");
}

static void check_interfaces(void)
{
	const struct if_in f1[] = { { MAC1, true, 5000, 40 },
				    { MAC2, false, 0, 0 } };
	const struct if_in f2[] = { { MAC1, true, 300, 2 },
				    { MAC2, true, 700, 9 } };
	const struct if_in f3[] = { { MAC2, true, 800, 10 } };

	cycle(NULL, 0, f1, 2);
	KT_EQ_U64(vm.ifs[0].st.rx_bytes, 5000, "first sight: raw rx_bytes");
	KT_CHECK(vm.net.has_stats && !vm.ifs[1].has_stats,
		 "an interface without counters has none");
	KT_EQ_U64(vm.net.st.rx_bytes, 5000, "the sum: the one that has them");

	/* QEMU restarted; the second interface reports for the first time. */
	cycle(NULL, 0, f2, 2);
	KT_EQ_U64(vm.ifs[0].st.rx_bytes, 5300, "rx_bytes: 5000 + 300");
	KT_EQ_U64(vm.ifs[0].st.tx_packets, 42, "tx_packets: 40 + 2");
	KT_EQ_U64(vm.ifs[1].st.rx_bytes, 700, "second: its raw value");
	KT_EQ_U64(vm.net.st.rx_bytes, 6000, "the sum: 5300 + 700");

	cycle(NULL, 0, f3, 1);
	KT_EQ_U64(vm.net.count, 1, "first interface unplugged");
	KT_EQ_U64(vm.ifs[0].st.rx_bytes, 800, "second: 700 + 100");
	KT_EQ_U64(vm.net.st.rx_bytes, 6100,
		  "the sum keeps what the first counted: 5300 + 800");
	KT_EQ_U64(vm.net.st.tx_packets, 52, "tx_packets: 42 + 10");
}

int main(void)
{
	char dir[] = "/tmp/kt-counters.XXXXXX", path[64];

	check_growth();
	check_set();
	check_dev_counters();
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/vm-index", dir);
	if (kt_index_open(path, &map) != 0) {
		printf("Bail out! no index map\n");
		return 1;
	}
	check_disks_first_and_restart();
	check_disk_leaves_and_returns();
	check_disk_unreported();
	check_interfaces();
	kt_vm_clear(&vm);
	kt_dev_counters_free(&acc.blks);
	kt_dev_counters_free(&acc.ifs);
	kt_index_close(map);
	rmdir(dir);
	return kt_test_done();
}
