/*
 * The JSON printer: {"agent": {...}, "vms": [{...}, ...], "host": {...}},
 * indented two spaces (print/jsonw.c places the commas; "host" is
 * print/host_print.c's, there when the host was collected).  Counters are printed as exact integers, percentages as decimal
 * numbers in percent ("37.50"), unavailable values as null, and the objects
 * of a collector that is switched off not at all.  Each VM has its sums
 * ("cpu", "mem", "disk", "net", "io") and its devices ("vcpus", "disks",
 * "interfaces"), the same figures the MIB's tables serve.
 */
#include "config.h"

#include <sys/sysmacros.h>

#include "options.h"
#include "print/host_print.h"
#include "print/jsonw.h"
#include "print/print.h"

#define NS_PER_MS 1000000ull

static uint64_t ns_to_ms(uint64_t ns)
{
	return ns / NS_PER_MS + (ns % NS_PER_MS >= NS_PER_MS / 2);
}

static void put_agent(struct kt_jw *w, const struct kt_snapshot *s)
{
	kt_jw_open(w, "agent", '{');
	kt_jw_str(w, "version", PACKAGE_VERSION);
	kt_jw_u64(w, "seq", true, s->seq);
	kt_jw_u64(w, "interval_ms", true, ns_to_ms(s->interval_ns));
	kt_jw_u64(w, "duration_ms", true, ns_to_ms(s->duration_ns));
	kt_jw_i64(w, "finished_unix", s->finished_unix);
	kt_jw_bool(w, "libvirt_connected", s->libvirt_connected);
	kt_jw_u64(w, "vm_count", true, s->n_vms);
	kt_jw_close(w, '}');
}

static void put_cpu(struct kt_jw *w, const struct kt_vm *vm)
{
	const struct kt_vm_cpu *c = &vm->cpu;
	bool vcpu = kt_print_has_vcpu_times(vm);
	bool vrate = kt_print_has_vcpu_rates(vm);
	bool orate = kt_print_has_other_rates(vm);

	kt_jw_open(w, "cpu", '{');
	kt_jw_u64(w, "cores", c->vcpus > 0, c->vcpus);
	kt_jw_u64(w, "threads", c->valid, c->vcpu_threads);
	kt_jw_u64(w, "other_threads", c->valid, c->other_threads);
	kt_jw_u64(w, "time_ns", vcpu, c->run_ns);
	kt_jw_u64(w, "steal_ns", vcpu, c->wait_ns);
	kt_jw_u64(w, "other_time_ns", c->valid, c->other_run_ns);
	kt_jw_u64(w, "other_steal_ns", c->valid, c->other_wait_ns);
	kt_jw_centi(w, "total", vrate, c->total);
	kt_jw_centi(w, "steal", vrate, c->steal);
	kt_jw_centi(w, "other_total", orate, c->other_total);
	kt_jw_centi(w, "other_steal", orate, c->other_steal);
	kt_jw_close(w, '}');
}

static void put_mem(struct kt_jw *w, const struct kt_vm_mem *m)
{
	kt_jw_open(w, "mem", '{');
	kt_jw_u64(w, "total_kib", m->has_libvirt, m->max_kib);
	kt_jw_u64(w, "used_kib", m->has_libvirt, m->cur_kib);
	kt_jw_u64(w, "vsize", m->has_proc, m->vsize);
	kt_jw_u64(w, "rss", m->has_proc, m->rss);
	kt_jw_u64(w, "minflt", m->has_proc, m->minflt);
	kt_jw_u64(w, "cminflt", m->has_proc, m->cminflt);
	kt_jw_u64(w, "majflt", m->has_proc, m->majflt);
	kt_jw_u64(w, "cmajflt", m->has_proc, m->cmajflt);
	kt_jw_close(w, '}');
}

/* The value of KT_BLK_* @bit when @present has it, else null. */
static void blk_value(struct kt_jw *w, const char *key, uint32_t present,
		      uint32_t bit, uint64_t v)
{
	kt_jw_u64(w, key, (present & bit) != 0, v);
}

/* The sizes and counters of a disk or of the sum of a VM's disks. */
static void put_blk_values(struct kt_jw *w, uint32_t p, uint64_t capacity,
			   uint64_t allocation, uint64_t physical,
			   const struct kt_blk_stats *st)
{
	blk_value(w, "capacity", p, KT_BLK_CAPACITY, capacity);
	blk_value(w, "allocation", p, KT_BLK_ALLOCATION, allocation);
	blk_value(w, "physical", p, KT_BLK_PHYSICAL, physical);
	blk_value(w, "rd_bytes", p, KT_BLK_RD_BYTES, st->rd_bytes);
	blk_value(w, "rd_reqs", p, KT_BLK_RD_REQS, st->rd_reqs);
	blk_value(w, "rd_time_ns", p, KT_BLK_RD_NS, st->rd_ns);
	blk_value(w, "wr_bytes", p, KT_BLK_WR_BYTES, st->wr_bytes);
	blk_value(w, "wr_reqs", p, KT_BLK_WR_REQS, st->wr_reqs);
	blk_value(w, "wr_time_ns", p, KT_BLK_WR_NS, st->wr_ns);
	blk_value(w, "flush_reqs", p, KT_BLK_FL_REQS, st->fl_reqs);
	blk_value(w, "flush_time_ns", p, KT_BLK_FL_NS, st->fl_ns);
}

static void put_disk(struct kt_jw *w, const struct kt_vm_disk *d)
{
	uint32_t p = d->valid ? d->present : 0;

	kt_jw_open(w, "disk", '{');
	kt_jw_u64(w, "count", d->valid && d->has_count, d->count);
	put_blk_values(w, p, d->capacity, d->allocation, d->physical, &d->st);
	kt_jw_u64(w, "delay_blkio_ns", d->valid && d->has_delay,
		  d->delay_blkio_ns);
	kt_jw_centi(w, "ioutil", d->valid && d->has_ioutil, d->ioutil);
	kt_jw_close(w, '}');
}

/* The eight counters of an interface or of a VM's interfaces. */
static void put_if_stats(struct kt_jw *w, bool ok, const struct kt_if_stats *st)
{
	kt_jw_u64(w, "rx_bytes", ok, st->rx_bytes);
	kt_jw_u64(w, "rx_packets", ok, st->rx_packets);
	kt_jw_u64(w, "rx_errs", ok, st->rx_errs);
	kt_jw_u64(w, "rx_drop", ok, st->rx_drop);
	kt_jw_u64(w, "tx_bytes", ok, st->tx_bytes);
	kt_jw_u64(w, "tx_packets", ok, st->tx_packets);
	kt_jw_u64(w, "tx_errs", ok, st->tx_errs);
	kt_jw_u64(w, "tx_drop", ok, st->tx_drop);
}

/* The host's counters of the VM's taps, in kt_tap_counter order. */
static const char *const tap_keys[KT_TAP_N] = {
	"tap_rx_fifo", "tap_rx_frame", "tap_rx_compressed", "tap_rx_multicast",
	"tap_tx_fifo", "tap_tx_colls", "tap_tx_carrier",    "tap_tx_compressed",
};

static void put_net(struct kt_jw *w, const struct kt_vm_net *n)
{
	size_t i;

	kt_jw_open(w, "net", '{');
	kt_jw_u64(w, "count", n->valid, n->count);
	put_if_stats(w, n->valid && n->has_stats, &n->st);
	for (i = 0; i < KT_TAP_N; i++)
		kt_jw_u64(w, tap_keys[i], n->valid && n->has_tap, n->tap[i]);
	kt_jw_close(w, '}');
}

static void put_io(struct kt_jw *w, const struct kt_vm_io *io)
{
	kt_jw_open(w, "io", '{');
	kt_jw_u64(w, "read_bytes", io->valid, io->read_bytes);
	kt_jw_u64(w, "write_bytes", io->valid, io->write_bytes);
	kt_jw_u64(w, "rchar", io->valid, io->rchar);
	kt_jw_u64(w, "wchar", io->valid, io->wchar);
	kt_jw_u64(w, "syscr", io->valid, io->syscr);
	kt_jw_u64(w, "syscw", io->valid, io->syscw);
	kt_jw_u64(w, "cancelled_write_bytes", io->valid,
		  io->cancelled_write_bytes);
	kt_jw_close(w, '}');
}

static void put_vcpus(struct kt_jw *w, const struct kt_vm *vm)
{
	size_t i;

	kt_jw_open(w, "vcpus", '[');
	for (i = 0; i < vm->n_vcpus; i++) {
		const struct kt_vcpu *c = &vm->vcpus[i];

		kt_jw_open(w, NULL, '{');
		kt_jw_u64(w, "number", true, c->number);
		kt_jw_u64(w, "tid", true, (uint64_t)c->tid);
		kt_jw_u64(w, "processor", c->processor >= 0,
			  (uint64_t)c->processor);
		kt_jw_u64(w, "time_ns", true, c->run_ns);
		kt_jw_u64(w, "steal_ns", true, c->wait_ns);
		kt_jw_centi(w, "total", c->has_rate, c->total);
		kt_jw_centi(w, "steal", c->has_rate, c->steal);
		kt_jw_close(w, '}');
	}
	kt_jw_close(w, ']');
}

/* "major:minor" of the host device behind a disk, null when unknown. */
static void put_dev(struct kt_jw *w, const char *key, dev_t dev)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%u:%u", major(dev), minor(dev));
	kt_jw_str(w, key, dev != 0 ? buf : NULL);
}

static void put_disks(struct kt_jw *w, const struct kt_vm *vm)
{
	size_t i;

	kt_jw_open(w, "disks", '[');
	for (i = 0; i < vm->n_blks; i++) {
		const struct kt_blk *b = &vm->blks[i];

		kt_jw_open(w, NULL, '{');
		kt_jw_u64(w, "index", true, b->index);
		kt_jw_str(w, "name", b->target);
		kt_jw_str(w, "source", b->source);
		put_dev(w, "host_device", b->host_dev);
		put_blk_values(w, b->present, b->capacity, b->allocation,
			       b->physical, &b->st);
		kt_jw_close(w, '}');
	}
	kt_jw_close(w, ']');
}

static void put_interfaces(struct kt_jw *w, const struct kt_vm *vm)
{
	size_t i;

	kt_jw_open(w, "interfaces", '[');
	for (i = 0; i < vm->n_ifs; i++) {
		const struct kt_iface *f = &vm->ifs[i];

		kt_jw_open(w, NULL, '{');
		kt_jw_u64(w, "index", true, f->index);
		kt_jw_str(w, "name", f->name);
		kt_jw_str(w, "mac", f->mac);
		kt_jw_str(w, "model", f->model);
		kt_jw_u64(w, "host_ifindex", f->host_ifindex != 0,
			  f->host_ifindex);
		put_if_stats(w, f->has_stats, &f->st);
		kt_jw_close(w, '}');
	}
	kt_jw_close(w, ']');
}

static void put_vm(struct kt_jw *w, const struct kt_vm *vm, unsigned collectors)
{
	kt_jw_open(w, NULL, '{');
	kt_jw_u64(w, "index", true, vm->index);
	kt_jw_str(w, "uuid", vm->uuid);
	kt_jw_str(w, "name", vm->name);
	kt_jw_str(w, "state", kt_print_state_name(vm->state));
	kt_jw_u64(w, "pid", vm->pid > 0, (uint64_t)vm->pid);
	kt_jw_bool(w, "data_valid", vm->data_valid);
	if (collectors & KT_COLLECT_CPU)
		put_cpu(w, vm);
	if (collectors & KT_COLLECT_MEM)
		put_mem(w, &vm->mem);
	if (collectors & KT_COLLECT_DISK)
		put_disk(w, &vm->disk);
	if (collectors & KT_COLLECT_NET)
		put_net(w, &vm->net);
	if (collectors & KT_COLLECT_IO)
		put_io(w, &vm->io);
	if (collectors & KT_COLLECT_CPU)
		put_vcpus(w, vm);
	if (collectors & KT_COLLECT_DISK)
		put_disks(w, vm);
	if (collectors & KT_COLLECT_NET)
		put_interfaces(w, vm);
	kt_jw_close(w, '}');
}

int kt_print_json(FILE *out, const struct kt_snapshot *s, unsigned collectors)
{
	struct kt_jw w = { out, 0, true };
	size_t i;

	kt_jw_open(&w, NULL, '{');
	put_agent(&w, s);
	kt_jw_open(&w, "vms", '[');
	for (i = 0; i < s->n_vms; i++)
		put_vm(&w, &s->vms[i], collectors);
	kt_jw_close(&w, ']');
	if (kt_print_host_wanted(&s->host, collectors))
		kt_print_host_json(&w, &s->host, collectors);
	kt_jw_close(&w, '}');
	fputc('\n', out);
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}
