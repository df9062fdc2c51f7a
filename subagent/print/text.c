/*
 * The text printer: kvmtop's column names, tab-separated like kvmtop's own
 * text output, one row per VM.  Percentages are printed in percent with two
 * decimals; a value that is unavailable is "-".
 */
#include <inttypes.h>

#include "options.h"
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

static void put_u64(FILE *out, bool available, uint64_t v)
{
	if (available)
		fprintf(out, "\t%" PRIu64, v);
	else
		fputs("\t-", out);
}

/* Hundredths of a percent as percent, exactly: 3750 -> 37.50. */
static void put_percent(FILE *out, bool available, uint32_t centi)
{
	if (available)
		fprintf(out, "\t%" PRIu32 ".%02" PRIu32, centi / 100,
			centi % 100);
	else
		fputs("\t-", out);
}

/* Control characters (tabs, newlines) in a name would break the columns. */
static void put_name(FILE *out, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

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
	fputc('\n', out);
}

static void put_cpu(FILE *out, const struct kt_vm *vm)
{
	const struct kt_vm_cpu *c = &vm->cpu;

	put_u64(out, c->vcpus > 0, c->vcpus);
	put_percent(out, kt_print_has_vcpu_rates(vm), c->total);
	put_percent(out, kt_print_has_vcpu_rates(vm), c->steal);
	put_percent(out, kt_print_has_other_rates(vm), c->other_total);
	put_percent(out, kt_print_has_other_rates(vm), c->other_steal);
}

static void put_mem(FILE *out, const struct kt_vm_mem *m)
{
	put_u64(out, m->has_libvirt, m->max_kib);
	put_u64(out, m->has_libvirt, m->cur_kib);
	put_u64(out, m->has_proc, m->vsize);
	put_u64(out, m->has_proc, m->rss);
	put_u64(out, m->has_proc, m->minflt);
	put_u64(out, m->has_proc, m->cminflt);
	put_u64(out, m->has_proc, m->majflt);
	put_u64(out, m->has_proc, m->cmajflt);
}

int kt_print_text(FILE *out, const struct kt_snapshot *s, unsigned collectors)
{
	const struct kt_vm *vm;
	size_t i;

	put_header(out, collectors);
	for (i = 0; i < s->n_vms; i++) {
		vm = &s->vms[i];
		fputs(vm->uuid[0] != '\0' ? vm->uuid : "-", out);
		put_name(out, vm->name);
		fprintf(out, "\t%s", kt_print_state_name(vm->state));
		put_u64(out, vm->pid > 0, (uint64_t)vm->pid);
		if (collectors & KT_COLLECT_CPU)
			put_cpu(out, vm);
		if (collectors & KT_COLLECT_MEM)
			put_mem(out, &vm->mem);
		fputc('\n', out);
	}
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}
