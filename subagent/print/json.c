/*
 * The JSON printer: {"agent": {...}, "vms": [{...}, ...]}, indented two
 * spaces.  Counters are printed as exact integers, percentages as decimal
 * numbers in percent ("37.50"), unavailable values as null, and the objects
 * of a collector that is switched off not at all.  Each VM has its sums
 * ("cpu", "mem", "disk", "net", "io") and its devices ("vcpus", "disks",
 * "interfaces"), the same figures the MIB's tables serve.
 */
#include "config.h"

#include <inttypes.h>
#include <sys/sysmacros.h>

#include "options.h"
#include "print/print.h"

#define NS_PER_MS 1000000ull

/* Where the writer is: it places the commas, newlines and indentation. */
struct jw {
	FILE *out;
	int depth;
	bool first; /* nothing written yet in the current object/array */
};

/* Length of the valid UTF-8 sequence at @p (RFC 3629), 0 if invalid. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing above U+10FFFF. */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

static void put_ascii(FILE *out, unsigned char ch)
{
	switch (ch) {
	case '"':
		fputs("\\\"", out);
		return;
	case '\\':
		fputs("\\\\", out);
		return;
	case '\n':
		fputs("\\n", out);
		return;
	case '\r':
		fputs("\\r", out);
		return;
	case '\t':
		fputs("\\t", out);
		return;
	}
	if (ch < 0x20 || ch == 0x7f)
		fprintf(out, "\\u%04x", ch);
	else
		fputc(ch, out);
}

/*
 * A JSON string.  Valid UTF-8 passes through; a stray byte becomes U+FFFD,
 * since a name that is not UTF-8 must not make the whole document invalid.
 */
static void put_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', out);
	while (*p != '\0') {
		if (*p < 0x80) {
			put_ascii(out, *p++);
		} else if ((n = utf8_len(p)) > 0) {
			fwrite(p, 1, n, out);
			p += n;
		} else {
			fputs("\\ufffd", out);
			p++;
		}
	}
	fputc('"', out);
}

/* Starts a member (or array element when @key is NULL). */
static void jw_key(struct jw *w, const char *key)
{
	int i;

	if (!w->first)
		fputc(',', w->out);
	w->first = false;
	if (w->depth > 0) {
		fputc('\n', w->out);
		for (i = 0; i < w->depth; i++)
			fputs("  ", w->out);
	}
	if (key != NULL) {
		put_string(w->out, key);
		fputs(": ", w->out);
	}
}

static void jw_open(struct jw *w, const char *key, char brace)
{
	jw_key(w, key);
	fputc(brace, w->out);
	w->depth++;
	w->first = true;
}

static void jw_close(struct jw *w, char brace)
{
	int i;

	w->depth--;
	if (!w->first) {
		fputc('\n', w->out);
		for (i = 0; i < w->depth; i++)
			fputs("  ", w->out);
	}
	fputc(brace, w->out);
	w->first = false;
}

static void jw_u64(struct jw *w, const char *key, bool available, uint64_t v)
{
	jw_key(w, key);
	if (available)
		fprintf(w->out, "%" PRIu64, v);
	else
		fputs("null", w->out);
}

/* Hundredths of a percent as percent, exactly: 3750 -> 37.50. */
static void jw_percent(struct jw *w, const char *key, bool available,
		       uint32_t centi)
{
	jw_key(w, key);
	if (available)
		fprintf(w->out, "%" PRIu32 ".%02" PRIu32, centi / 100,
			centi % 100);
	else
		fputs("null", w->out);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	fputs(v ? "true" : "false", w->out);
}

static void jw_string(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s != NULL)
		put_string(w->out, s);
	else
		fputs("null", w->out);
}

static uint64_t ns_to_ms(uint64_t ns)
{
	return ns / NS_PER_MS + (ns % NS_PER_MS >= NS_PER_MS / 2);
}

static void put_agent(struct jw *w, const struct kt_snapshot *s)
{
	jw_open(w, "agent", '{');
	jw_string(w, "version", PACKAGE_VERSION);
	jw_u64(w, "seq", true, s->seq);
	jw_u64(w, "interval_ms", true, ns_to_ms(s->interval_ns));
	jw_u64(w, "duration_ms", true, ns_to_ms(s->duration_ns));
	jw_key(w, "finished_unix");
	fprintf(w->out, "%" PRId64, s->finished_unix);
	jw_bool(w, "libvirt_connected", s->libvirt_connected);
	jw_u64(w, "vm_count", true, s->n_vms);
	jw_close(w, '}');
}

static void put_cpu(struct jw *w, const struct kt_vm *vm)
{
	const struct kt_vm_cpu *c = &vm->cpu;
	bool vcpu = kt_print_has_vcpu_times(vm);
	bool vrate = kt_print_has_vcpu_rates(vm);
	bool orate = kt_print_has_other_rates(vm);

	jw_open(w, "cpu", '{');
	jw_u64(w, "cores", c->vcpus > 0, c->vcpus);
	jw_u64(w, "threads", c->valid, c->vcpu_threads);
	jw_u64(w, "other_threads", c->valid, c->other_threads);
	jw_u64(w, "time_ns", vcpu, c->run_ns);
	jw_u64(w, "steal_ns", vcpu, c->wait_ns);
	jw_u64(w, "other_time_ns", c->valid, c->other_run_ns);
	jw_u64(w, "other_steal_ns", c->valid, c->other_wait_ns);
	jw_percent(w, "total", vrate, c->total);
	jw_percent(w, "steal", vrate, c->steal);
	jw_percent(w, "other_total", orate, c->other_total);
	jw_percent(w, "other_steal", orate, c->other_steal);
	jw_close(w, '}');
}

static void put_mem(struct jw *w, const struct kt_vm_mem *m)
{
	jw_open(w, "mem", '{');
	jw_u64(w, "total_kib", m->has_libvirt, m->max_kib);
	jw_u64(w, "used_kib", m->has_libvirt, m->cur_kib);
	jw_u64(w, "vsize", m->has_proc, m->vsize);
	jw_u64(w, "rss", m->has_proc, m->rss);
	jw_u64(w, "minflt", m->has_proc, m->minflt);
	jw_u64(w, "cminflt", m->has_proc, m->cminflt);
	jw_u64(w, "majflt", m->has_proc, m->majflt);
	jw_u64(w, "cmajflt", m->has_proc, m->cmajflt);
	jw_close(w, '}');
}

/* The value of KT_BLK_* @bit when @present has it, else null. */
static void jw_blk(struct jw *w, const char *key, uint32_t present,
		   uint32_t bit, uint64_t v)
{
	jw_u64(w, key, (present & bit) != 0, v);
}

/* The sizes and counters of a disk or of the sum of a VM's disks. */
static void put_blk_values(struct jw *w, uint32_t p, uint64_t capacity,
			   uint64_t allocation, uint64_t physical,
			   const struct kt_blk_stats *st)
{
	jw_blk(w, "capacity", p, KT_BLK_CAPACITY, capacity);
	jw_blk(w, "allocation", p, KT_BLK_ALLOCATION, allocation);
	jw_blk(w, "physical", p, KT_BLK_PHYSICAL, physical);
	jw_blk(w, "rd_bytes", p, KT_BLK_RD_BYTES, st->rd_bytes);
	jw_blk(w, "rd_reqs", p, KT_BLK_RD_REQS, st->rd_reqs);
	jw_blk(w, "rd_time_ns", p, KT_BLK_RD_NS, st->rd_ns);
	jw_blk(w, "wr_bytes", p, KT_BLK_WR_BYTES, st->wr_bytes);
	jw_blk(w, "wr_reqs", p, KT_BLK_WR_REQS, st->wr_reqs);
	jw_blk(w, "wr_time_ns", p, KT_BLK_WR_NS, st->wr_ns);
	jw_blk(w, "flush_reqs", p, KT_BLK_FL_REQS, st->fl_reqs);
	jw_blk(w, "flush_time_ns", p, KT_BLK_FL_NS, st->fl_ns);
}

static void put_disk(struct jw *w, const struct kt_vm_disk *d)
{
	uint32_t p = d->valid ? d->present : 0;

	jw_open(w, "disk", '{');
	jw_u64(w, "count", d->valid && d->has_count, d->count);
	put_blk_values(w, p, d->capacity, d->allocation, d->physical, &d->st);
	jw_u64(w, "delay_blkio_ns", d->valid && d->has_delay,
	       d->delay_blkio_ns);
	jw_percent(w, "ioutil", d->valid && d->has_ioutil, d->ioutil);
	jw_close(w, '}');
}

/* The eight counters of an interface or of a VM's interfaces. */
static void put_if_stats(struct jw *w, bool ok, const struct kt_if_stats *st)
{
	jw_u64(w, "rx_bytes", ok, st->rx_bytes);
	jw_u64(w, "rx_packets", ok, st->rx_packets);
	jw_u64(w, "rx_errs", ok, st->rx_errs);
	jw_u64(w, "rx_drop", ok, st->rx_drop);
	jw_u64(w, "tx_bytes", ok, st->tx_bytes);
	jw_u64(w, "tx_packets", ok, st->tx_packets);
	jw_u64(w, "tx_errs", ok, st->tx_errs);
	jw_u64(w, "tx_drop", ok, st->tx_drop);
}

static void put_net(struct jw *w, const struct kt_vm_net *n)
{
	jw_open(w, "net", '{');
	jw_u64(w, "count", n->valid, n->count);
	put_if_stats(w, n->valid && n->has_stats, &n->st);
	jw_close(w, '}');
}

static void put_io(struct jw *w, const struct kt_vm_io *io)
{
	jw_open(w, "io", '{');
	jw_u64(w, "read_bytes", io->valid, io->read_bytes);
	jw_u64(w, "write_bytes", io->valid, io->write_bytes);
	jw_u64(w, "rchar", io->valid, io->rchar);
	jw_u64(w, "wchar", io->valid, io->wchar);
	jw_u64(w, "syscr", io->valid, io->syscr);
	jw_u64(w, "syscw", io->valid, io->syscw);
	jw_u64(w, "cancelled_write_bytes", io->valid,
	       io->cancelled_write_bytes);
	jw_close(w, '}');
}

static void put_vcpus(struct jw *w, const struct kt_vm *vm)
{
	size_t i;

	jw_open(w, "vcpus", '[');
	for (i = 0; i < vm->n_vcpus; i++) {
		const struct kt_vcpu *c = &vm->vcpus[i];

		jw_open(w, NULL, '{');
		jw_u64(w, "number", true, c->number);
		jw_u64(w, "tid", true, (uint64_t)c->tid);
		jw_u64(w, "processor", c->processor >= 0,
		       (uint64_t)c->processor);
		jw_u64(w, "time_ns", true, c->run_ns);
		jw_u64(w, "steal_ns", true, c->wait_ns);
		jw_percent(w, "total", c->has_rate, c->total);
		jw_percent(w, "steal", c->has_rate, c->steal);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* "major:minor" of the host device behind a disk, null when unknown. */
static void jw_dev(struct jw *w, const char *key, dev_t dev)
{
	jw_key(w, key);
	if (dev != 0)
		fprintf(w->out, "\"%u:%u\"", major(dev), minor(dev));
	else
		fputs("null", w->out);
}

static void put_disks(struct jw *w, const struct kt_vm *vm)
{
	size_t i;

	jw_open(w, "disks", '[');
	for (i = 0; i < vm->n_blks; i++) {
		const struct kt_blk *b = &vm->blks[i];

		jw_open(w, NULL, '{');
		jw_u64(w, "index", true, b->index);
		jw_string(w, "name", b->target);
		jw_string(w, "source", b->source);
		jw_dev(w, "host_device", b->host_dev);
		put_blk_values(w, b->present, b->capacity, b->allocation,
			       b->physical, &b->st);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void put_interfaces(struct jw *w, const struct kt_vm *vm)
{
	size_t i;

	jw_open(w, "interfaces", '[');
	for (i = 0; i < vm->n_ifs; i++) {
		const struct kt_iface *f = &vm->ifs[i];

		jw_open(w, NULL, '{');
		jw_u64(w, "index", true, f->index);
		jw_string(w, "name", f->name);
		jw_string(w, "mac", f->mac);
		jw_string(w, "model", f->model);
		jw_u64(w, "host_ifindex", f->host_ifindex != 0,
		       f->host_ifindex);
		put_if_stats(w, f->has_stats, &f->st);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void put_vm(struct jw *w, const struct kt_vm *vm, unsigned collectors)
{
	jw_open(w, NULL, '{');
	jw_u64(w, "index", true, vm->index);
	jw_string(w, "uuid", vm->uuid);
	jw_string(w, "name", vm->name);
	jw_string(w, "state", kt_print_state_name(vm->state));
	jw_u64(w, "pid", vm->pid > 0, (uint64_t)vm->pid);
	jw_bool(w, "data_valid", vm->data_valid);
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
	jw_close(w, '}');
}

int kt_print_json(FILE *out, const struct kt_snapshot *s, unsigned collectors)
{
	struct jw w = { out, 0, true };
	size_t i;

	jw_open(&w, NULL, '{');
	put_agent(&w, s);
	jw_open(&w, "vms", '[');
	for (i = 0; i < s->n_vms; i++)
		put_vm(&w, &s->vms[i], collectors);
	jw_close(&w, ']');
	jw_close(&w, '}');
	fputc('\n', out);
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}
