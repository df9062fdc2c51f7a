/*
 * The text printer: kvmtop's column names, tab-separated like kvmtop's own
 * text output, one row per VM.  The columns are those of columns.h that
 * kvmtop names, in MIB order.  Percentages are printed in percent with two
 * decimals; a value that is unavailable is "-".  The devices of a VM are
 * listed by name in one column per collector ("vda,vdb"); their figures
 * are in the JSON output.  The host's blocks (print/host_print.c) follow
 * the VM rows, each after an empty line.
 */
#include "collectors.h"
#include "print/host_print.h"
#include "print/print.h"

const char *kt_print_state_name(enum kt_vm_state state)
{
	return kt_vm_state_name((uint64_t)state);
}

/* The column sets of a VM row, each under its collector. */
static const struct {
	unsigned collector;
	const struct kt_col_set *set;
	const char *devices; /* header of the device names after it */
} vm_groups[] = {
	{ KT_COLLECT_CPU, &kt_vm_cpu_cols, NULL },
	{ KT_COLLECT_MEM, &kt_vm_mem_cols, NULL },
	{ KT_COLLECT_DISK, &kt_vm_disk_cols, "disk_devices" },
	{ KT_COLLECT_NET, &kt_vm_net_cols, "net_devices" },
	{ KT_COLLECT_IO, &kt_vm_io_cols, NULL },
};
#define N_GROUPS (sizeof(vm_groups) / sizeof(vm_groups[0]))

static void put_header(FILE *out, unsigned collectors)
{
	size_t g;

	kt_text_headers(out, true, &kt_vm_cols);
	for (g = 0; g < N_GROUPS; g++) {
		if ((collectors & vm_groups[g].collector) == 0)
			continue;
		kt_text_headers(out, false, vm_groups[g].set);
		if (vm_groups[g].devices != NULL)
			fprintf(out, "\t%s", vm_groups[g].devices);
	}
	fputc('\n', out);
}

/*
 * Names joined by commas ("-" for none); an unnamed one is "?", a comma in
 * a name too.  Each is shown as clip.h says.
 */
static void put_list_item(FILE *out, size_t i, const char *name)
{
	char buf[KT_CLIP_MAX + 1];
	const char *s;
	size_t len = kt_clip(name, KT_CLIP_UTF8, buf, &s), k;

	if (i > 0)
		fputc(',', out);
	if (len == 0)
		fputc('?', out);
	for (k = 0; k < len; k++)
		fputc(s[k] == ',' ? '?' : s[k], out);
}

static void put_disks(FILE *out, const struct kt_vm *vm)
{
	bool known = kt_vm_has_disk_count(vm);
	size_t i;

	fputc('\t', out);
	if (!known || vm->n_blks == 0)
		fputc('-', out);
	for (i = 0; known && i < vm->n_blks; i++)
		put_list_item(out, i, vm->blks[i].target);
}

static void put_ifs(FILE *out, const struct kt_vm *vm)
{
	bool known = kt_vm_has_net(vm);
	size_t i;

	fputc('\t', out);
	if (!known || vm->n_ifs == 0)
		fputc('-', out);
	/* The tap name, or the MAC of an interface without one. */
	for (i = 0; known && i < vm->n_ifs; i++)
		put_list_item(out, i,
			      vm->ifs[i].name != NULL && vm->ifs[i].name[0]
				      ? vm->ifs[i].name
				      : vm->ifs[i].mac);
}

static void put_vm(FILE *out, const struct kt_vm *vm, unsigned collectors)
{
	size_t g;

	kt_text_cols(out, true, &kt_vm_cols, vm);
	for (g = 0; g < N_GROUPS; g++) {
		if ((collectors & vm_groups[g].collector) == 0)
			continue;
		kt_text_cols(out, false, vm_groups[g].set, vm);
		if (vm_groups[g].set == &kt_vm_disk_cols)
			put_disks(out, vm);
		else if (vm_groups[g].set == &kt_vm_net_cols)
			put_ifs(out, vm);
	}
	fputc('\n', out);
}

int kt_print_text(FILE *out, const struct kt_snapshot *s, unsigned collectors)
{
	size_t i;

	put_header(out, collectors);
	for (i = 0; i < s->n_vms; i++)
		put_vm(out, &s->vms[i], collectors);
	/* The host blocks, each after an empty line. */
	if (kt_print_host_wanted(&s->host, collectors))
		return kt_print_host_text(out, &s->host, collectors);
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}
