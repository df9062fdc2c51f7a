/*
 * The text printer: kvmtop's column names, tab-separated like kvmtop's own
 * text output, one row per VM.  Percentages are printed in percent with two
 * decimals; a value that is unavailable is "-".  The devices of a VM are
 * listed by name in one column per collector ("vda,vdb"); their figures
 * are in the JSON output.  The host's blocks (print/host_print.c) follow
 * the VM rows, each after an empty line.
 */
#include <inttypes.h>

#include "options.h"
#include "print/host_print.h"
#include "print/print.h"

static const char *const state_names[] = {
	[KT_VM_UNKNOWN] = "unknown",
	[KT_VM_OTHER] = "other",
	[KT_VM_PREPARING] = "preparing",
	[KT_VM_RUNNING] = "running",
	[KT_VM_SUSPENDING] = "suspending",
	[KT_VM_SUSPENDED] = "suspended",
	[KT_VM_RESUMING] = "resuming",
	[KT_VM_PAUSED] = "paused",
	[KT_VM_MIGRATING] = "migrating",
	[KT_VM_SHUTTINGDOWN] = "shuttingdown",
	[KT_VM_SHUTDOWN] = "shutdown",
	[KT_VM_CRASHED] = "crashed",
};

const char *kt_print_state_name(enum kt_vm_state state)
{
	size_t i = (size_t)state;

	if (i >= sizeof(state_names) / sizeof(state_names[0]) ||
	    state_names[i] == NULL)
		return "unknown";
	return state_names[i];
}

void kt_text_u64(FILE *out, bool first, bool available, uint64_t v)
{
	if (!first)
		fputc('\t', out);
	if (available)
		fprintf(out, "%" PRIu64, v);
	else
		fputc('-', out);
}

void kt_text_centi(FILE *out, bool first, bool available, uint32_t centi)
{
	if (!first)
		fputc('\t', out);
	if (available)
		fprintf(out, "%" PRIu32 ".%02" PRIu32, centi / 100,
			centi % 100);
	else
		fputc('-', out);
}

/* Control characters (tabs, newlines) in a name would break the columns. */
void kt_text_name(FILE *out, bool first, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

	if (!first)
		fputc('\t', out);
	if (name == NULL || *name == '\0') {
		fputc('-', out);
		return;
	}
	for (; *p != '\0'; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

static void put_header(FILE *out, unsigned collectors)
{
	fputs("UUID\tname\tstate\tpid", out);
	if (collectors & KT_COLLECT_CPU)
		fputs("\tcpu_cores\tcpu_total\tcpu_steal\tcpu_other_total"
		      "\tcpu_other_steal",
		      out);
	if (collectors & KT_COLLECT_MEM)
		fputs("\tram_total\tram_used\tram_vsize\tram_rss\tram_minflt"
		      "\tram_cminflt\tram_majflt\tram_cmajflt",
		      out);
	if (collectors & KT_COLLECT_DISK)
		fputs("\tdisk_size_capacity\tdisk_size_allocation"
		      "\tdisk_size_physical\tdisk_stats_rdbytes"
		      "\tdisk_stats_rdreq\tdisk_stats_rdtotaltimes"
		      "\tdisk_stats_wrbytes\tdisk_stats_wrreq"
		      "\tdisk_stats_wrtotaltimes\tdisk_stats_flushreq"
		      "\tdisk_stats_flushtotaltimes\tdisk_delayblkio"
		      "\tdisk_ioutil\tdisk_devices",
		      out);
	if (collectors & KT_COLLECT_NET)
		fputs("\tnet_receivedBytes\tnet_receivedPackets"
		      "\tnet_receivedErrs\tnet_receivedDrop"
		      "\tnet_transmittedBytes\tnet_transmittedPackets"
		      "\tnet_transmittedErrs\tnet_transmittedDrop"
		      "\tnet_devices",
		      out);
	if (collectors & KT_COLLECT_IO)
		fputs("\tio_read_bytes\tio_write_bytes\tio_rchar\tio_wchar"
		      "\tio_syscr\tio_syscw\tio_cancelled_write_bytes",
		      out);
	fputc('\n', out);
}

static void put_cpu(FILE *out, const struct kt_vm *vm)
{
	const struct kt_vm_cpu *c = &vm->cpu;

	kt_text_u64(out, false, c->vcpus > 0, c->vcpus);
	kt_text_centi(out, false, kt_print_has_vcpu_rates(vm), c->total);
	kt_text_centi(out, false, kt_print_has_vcpu_rates(vm), c->steal);
	kt_text_centi(out, false, kt_print_has_other_rates(vm), c->other_total);
	kt_text_centi(out, false, kt_print_has_other_rates(vm), c->other_steal);
}

static void put_mem(FILE *out, const struct kt_vm_mem *m)
{
	kt_text_u64(out, false, m->has_libvirt, m->max_kib);
	kt_text_u64(out, false, m->has_libvirt, m->cur_kib);
	kt_text_u64(out, false, m->has_proc, m->vsize);
	kt_text_u64(out, false, m->has_proc, m->rss);
	kt_text_u64(out, false, m->has_proc, m->minflt);
	kt_text_u64(out, false, m->has_proc, m->cminflt);
	kt_text_u64(out, false, m->has_proc, m->majflt);
	kt_text_u64(out, false, m->has_proc, m->cmajflt);
}

/* The value of KT_BLK_* @bit when @p has it. */
static void put_blk(FILE *out, uint32_t p, uint32_t bit, uint64_t v)
{
	kt_text_u64(out, false, (p & bit) != 0, v);
}

/* Names joined by commas ("-" for none); an unnamed one is "?". */
static void put_list_item(FILE *out, size_t i, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

	if (i > 0)
		fputc(',', out);
	if (name == NULL || *name == '\0') {
		fputc('?', out);
		return;
	}
	for (; *p != '\0'; p++)
		fputc(*p < 0x20 || *p == 0x7f || *p == ',' ? '?' : *p, out);
}

static void put_disk(FILE *out, const struct kt_vm *vm)
{
	const struct kt_vm_disk *d = &vm->disk;
	uint32_t p = d->valid ? d->present : 0;
	size_t i;

	put_blk(out, p, KT_BLK_CAPACITY, d->capacity);
	put_blk(out, p, KT_BLK_ALLOCATION, d->allocation);
	put_blk(out, p, KT_BLK_PHYSICAL, d->physical);
	put_blk(out, p, KT_BLK_RD_BYTES, d->st.rd_bytes);
	put_blk(out, p, KT_BLK_RD_REQS, d->st.rd_reqs);
	put_blk(out, p, KT_BLK_RD_NS, d->st.rd_ns);
	put_blk(out, p, KT_BLK_WR_BYTES, d->st.wr_bytes);
	put_blk(out, p, KT_BLK_WR_REQS, d->st.wr_reqs);
	put_blk(out, p, KT_BLK_WR_NS, d->st.wr_ns);
	put_blk(out, p, KT_BLK_FL_REQS, d->st.fl_reqs);
	put_blk(out, p, KT_BLK_FL_NS, d->st.fl_ns);
	kt_text_u64(out, false, d->valid && d->has_delay, d->delay_blkio_ns);
	kt_text_centi(out, false, d->valid && d->has_ioutil, d->ioutil);
	fputc('\t', out);
	if (!d->valid || !d->has_count || vm->n_blks == 0)
		fputc('-', out);
	for (i = 0; d->valid && d->has_count && i < vm->n_blks; i++)
		put_list_item(out, i, vm->blks[i].target);
}

static void put_net(FILE *out, const struct kt_vm *vm)
{
	const struct kt_vm_net *n = &vm->net;
	bool ok = n->valid && n->has_stats;
	size_t i;

	kt_text_u64(out, false, ok, n->st.rx_bytes);
	kt_text_u64(out, false, ok, n->st.rx_packets);
	kt_text_u64(out, false, ok, n->st.rx_errs);
	kt_text_u64(out, false, ok, n->st.rx_drop);
	kt_text_u64(out, false, ok, n->st.tx_bytes);
	kt_text_u64(out, false, ok, n->st.tx_packets);
	kt_text_u64(out, false, ok, n->st.tx_errs);
	kt_text_u64(out, false, ok, n->st.tx_drop);
	fputc('\t', out);
	if (!n->valid || vm->n_ifs == 0)
		fputc('-', out);
	/* The tap name, or the MAC of an interface without one. */
	for (i = 0; n->valid && i < vm->n_ifs; i++)
		put_list_item(out, i,
			      vm->ifs[i].name != NULL && vm->ifs[i].name[0]
				      ? vm->ifs[i].name
				      : vm->ifs[i].mac);
}

static void put_io(FILE *out, const struct kt_vm_io *io)
{
	kt_text_u64(out, false, io->valid, io->read_bytes);
	kt_text_u64(out, false, io->valid, io->write_bytes);
	kt_text_u64(out, false, io->valid, io->rchar);
	kt_text_u64(out, false, io->valid, io->wchar);
	kt_text_u64(out, false, io->valid, io->syscr);
	kt_text_u64(out, false, io->valid, io->syscw);
	kt_text_u64(out, false, io->valid, io->cancelled_write_bytes);
}

int kt_print_text(FILE *out, const struct kt_snapshot *s, unsigned collectors)
{
	const struct kt_vm *vm;
	size_t i;

	put_header(out, collectors);
	for (i = 0; i < s->n_vms; i++) {
		vm = &s->vms[i];
		fputs(vm->uuid[0] != '\0' ? vm->uuid : "-", out);
		kt_text_name(out, false, vm->name);
		fprintf(out, "\t%s", kt_print_state_name(vm->state));
		kt_text_u64(out, false, vm->pid > 0, (uint64_t)vm->pid);
		if (collectors & KT_COLLECT_CPU)
			put_cpu(out, vm);
		if (collectors & KT_COLLECT_MEM)
			put_mem(out, &vm->mem);
		if (collectors & KT_COLLECT_DISK)
			put_disk(out, vm);
		if (collectors & KT_COLLECT_NET)
			put_net(out, vm);
		if (collectors & KT_COLLECT_IO)
			put_io(out, &vm->io);
		fputc('\n', out);
	}
	/* The host blocks, each after an empty line. */
	if (kt_print_host_wanted(&s->host, collectors))
		return kt_print_host_text(out, &s->host, collectors);
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}
