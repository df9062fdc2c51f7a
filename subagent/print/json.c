/*
 * The JSON printer: {"agent": {...}, "vms": [{...}, ...], "host": {...}},
 * indented two spaces (print/jsonw.c places the commas; "host" is
 * print/host_print.c's, there when the host was collected).  Counters are printed as exact integers, percentages as decimal
 * numbers in percent ("37.50"), unavailable values as null, and the objects
 * of a collector that is switched off not at all.  Each VM has its sums
 * ("cpu", "mem", "disk", "net", "io") and its devices ("vcpus", "disks",
 * "interfaces"): the columns of the MIB's tables (columns.h), under their
 * JSON keys.
 */
#include "config.h"

#include <sys/sysmacros.h>

#include "collectors.h"
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

/* JSON's order where it is not the MIB's: the thread counts first. */
static const uint8_t cpu_order[] = { 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9 };
/* The processor after the thread id. */
static const uint8_t vcpu_order[] = { 2, 3, 8, 4, 5, 6, 7 };
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A member @key holding the columns of @set in @row (order: see cells.c). */
static void put_object(struct kt_jw *w, const char *key,
		       const struct kt_col_set *set, const void *row,
		       const uint8_t *order, size_t n)
{
	kt_jw_open(w, key, '{');
	kt_json_cols(w, set, row, order, n);
	kt_jw_close(w, '}');
}

static void put_vcpus(struct kt_jw *w, const struct kt_vm *vm)
{
	size_t i;

	kt_jw_open(w, "vcpus", '[');
	for (i = 0; i < vm->n_vcpus; i++)
		put_object(w, NULL, &kt_vcpu_cols, &vm->vcpus[i], vcpu_order,
			   N_OF(vcpu_order));
	kt_jw_close(w, ']');
}

/* "major:minor" of the host device behind a disk, null when unknown. */
static void put_dev(struct kt_jw *w, const char *key, dev_t dev)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%u:%u", major(dev), minor(dev));
	kt_jw_str(w, key, dev != 0 ? buf : NULL);
}

/* The name and source, the host device (not in the MIB), the values. */
static void put_disks(struct kt_jw *w, const struct kt_vm *vm)
{
	static const uint8_t names[] = { 2, 3 };
	static const uint8_t values[] = {
		4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
	};
	size_t i;

	kt_jw_open(w, "disks", '[');
	for (i = 0; i < vm->n_blks; i++) {
		const struct kt_blk *b = &vm->blks[i];

		kt_jw_open(w, NULL, '{');
		kt_jw_u64(w, "index", true, b->index);
		kt_json_cols(w, &kt_vm_blk_cols, b, names, N_OF(names));
		put_dev(w, "host_device", b->host_dev);
		kt_json_cols(w, &kt_vm_blk_cols, b, values, N_OF(values));
		kt_jw_close(w, '}');
	}
	kt_jw_close(w, ']');
}

static void put_interfaces(struct kt_jw *w, const struct kt_vm *vm)
{
	size_t i;

	kt_jw_open(w, "interfaces", '[');
	for (i = 0; i < vm->n_ifs; i++) {
		kt_jw_open(w, NULL, '{');
		kt_jw_u64(w, "index", true, vm->ifs[i].index);
		kt_json_cols(w, &kt_vm_if_cols, &vm->ifs[i], NULL, 0);
		kt_jw_close(w, '}');
	}
	kt_jw_close(w, ']');
}

static void put_vm(struct kt_jw *w, const struct kt_vm *vm, unsigned collectors)
{
	kt_jw_open(w, NULL, '{');
	kt_jw_u64(w, "index", true, vm->index);
	kt_json_cols(w, &kt_vm_cols, vm, NULL, 0);
	if (collectors & KT_COLLECT_CPU)
		put_object(w, "cpu", &kt_vm_cpu_cols, vm, cpu_order,
			   N_OF(cpu_order));
	if (collectors & KT_COLLECT_MEM)
		put_object(w, "mem", &kt_vm_mem_cols, vm, NULL, 0);
	if (collectors & KT_COLLECT_DISK)
		put_object(w, "disk", &kt_vm_disk_cols, vm, NULL, 0);
	if (collectors & KT_COLLECT_NET)
		put_object(w, "net", &kt_vm_net_cols, vm, NULL, 0);
	if (collectors & KT_COLLECT_IO)
		put_object(w, "io", &kt_vm_io_cols, vm, NULL, 0);
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
	struct kt_jw w = { out, 0, true, false };
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
