/*
 * kvmtop-live's stream printers (live/rec_print.h).  The JSON record:
 *   {"time": unix seconds of the data, "source": "local" or HOST,
 *    "seq": the source's refresh count, "age_ms", "libvirt_connected",
 *    "vms": [{"index", the kvmtopVmTable columns, "cpu", "mem", "disk",
 *             "net", "io" (the collectors'), "vcpus", "disks",
 *             "interfaces"}], "host": {the kvmtopHost scalars}}
 * under the same JSON keys as --print json (columns.h).
 */
#include "live/rec_print.h"

#include "collectors.h"
#include "print/jsonw.h"
#include "print/print.h"

/* The per-VM objects and device arrays, each under its collector. */
static const struct {
	unsigned collector;
	const char *key;
	const struct kt_col_set *set;
	bool devices; /* an array of device rows */
} groups[] = {
	{ KT_COLLECT_CPU, "cpu", &kt_vm_cpu_cols, false },
	{ KT_COLLECT_MEM, "mem", &kt_vm_mem_cols, false },
	{ KT_COLLECT_DISK, "disk", &kt_vm_disk_cols, false },
	{ KT_COLLECT_NET, "net", &kt_vm_net_cols, false },
	{ KT_COLLECT_IO, "io", &kt_vm_io_cols, false },
	{ KT_COLLECT_CPU, "vcpus", &kt_vcpu_cols, true },
	{ KT_COLLECT_DISK, "disks", &kt_vm_blk_cols, true },
	{ KT_COLLECT_NET, "interfaces", &kt_vm_if_cols, true },
};
#define N_GROUPS (sizeof(groups) / sizeof(groups[0]))

void kt_rec_print_want(unsigned collectors, struct kt_want *w)
{
	size_t g;

	kt_want_json(w, &kt_vm_cols);
	for (g = 0; g < N_GROUPS; g++)
		if (collectors & groups[g].collector)
			kt_want_json(w, groups[g].set);
	if (collectors & KT_COLLECT_HOST)
		kt_want_json(w, &kt_host_cols);
	w->dev_all = true;
}

static void json_row(struct kt_jw *w, const struct kt_col_set *set,
		     const struct kt_rrow *row)
{
	struct kt_cell v;
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct kt_col *c = &set->col[i];

		if (c->json != NULL)
			kt_json_cell(w, c, kt_rec_get(set, row, c, &v), &v);
	}
}

static void json_devices(struct kt_jw *w, const struct kt_rec *r,
			 const char *key, const struct kt_col_set *set,
			 uint32_t vm)
{
	const struct kt_rtable *t = kt_rec_table(r, set);
	size_t first, n = kt_rec_devs(r, set, vm, &first), j;

	kt_jw_open(w, key, '[');
	for (j = first; j < first + n; j++) {
		kt_jw_open(w, NULL, '{');
		kt_jw_u64(w, "index", true, t->rows[j].idx[1]);
		json_row(w, set, &t->rows[j]);
		kt_jw_close(w, '}');
	}
	kt_jw_close(w, ']');
}

static void json_vm(struct kt_jw *w, const struct kt_rec *r,
		    const struct kt_rrow *vm, unsigned collectors)
{
	uint32_t idx[2] = { vm->idx[0], 0 };
	size_t g;

	kt_jw_open(w, NULL, '{');
	kt_jw_u64(w, "index", true, vm->idx[0]);
	json_row(w, &kt_vm_cols, vm);
	for (g = 0; g < N_GROUPS; g++) {
		if ((collectors & groups[g].collector) == 0)
			continue;
		if (groups[g].devices) {
			json_devices(w, r, groups[g].key, groups[g].set,
				     vm->idx[0]);
			continue;
		}
		kt_jw_open(w, groups[g].key, '{');
		json_row(w, groups[g].set, kt_rec_row(r, groups[g].set, idx));
		kt_jw_close(w, '}');
	}
	kt_jw_close(w, '}');
}

int kt_rec_print_json(FILE *out, const struct kt_rec *r, const char *source,
		      unsigned collectors)
{
	const struct kt_rtable *vms = kt_rec_table(r, &kt_vm_cols);
	struct kt_jw w = { out, 0, true, true };
	uint32_t zero[2] = { 0, 0 };
	size_t i;

	kt_jw_open(&w, NULL, '{');
	kt_jw_i64(&w, "time", r->unix_time);
	kt_jw_str(&w, "source", source);
	kt_jw_u64(&w, "seq", true, r->seq);
	kt_jw_u64(&w, "age_ms", true, r->age_ms);
	kt_jw_bool(&w, "libvirt_connected", r->connected);
	kt_jw_open(&w, "vms", '[');
	for (i = 0; i < vms->n; i++)
		json_vm(&w, r, &vms->rows[i], collectors);
	kt_jw_close(&w, ']');
	if (collectors & KT_COLLECT_HOST) {
		kt_jw_open(&w, "host", '{');
		json_row(&w, &kt_host_cols, kt_rec_row(r, &kt_host_cols, zero));
		kt_jw_close(&w, '}');
	}
	kt_jw_close(&w, '}');
	fputc('\n', out);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

static void text_row(FILE *out, bool first, const struct kt_col_set *set,
		     const struct kt_rrow *row)
{
	struct kt_cell v;
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct kt_col *c = &set->col[i];

		if (c->kvmtop == NULL)
			continue;
		kt_text_cell(out, first, c, kt_rec_get(set, row, c, &v), &v);
		first = false;
	}
}

int kt_rec_print_text(FILE *out, const struct kt_rec *r, unsigned collectors)
{
	const struct kt_rtable *vms = kt_rec_table(r, &kt_vm_cols);
	size_t i, g;

	kt_text_headers(out, true, &kt_vm_cols);
	for (g = 0; g < N_GROUPS; g++)
		if ((collectors & groups[g].collector) && !groups[g].devices)
			kt_text_headers(out, false, groups[g].set);
	fputc('\n', out);
	for (i = 0; i < vms->n; i++) {
		uint32_t idx[2] = { vms->rows[i].idx[0], 0 };

		text_row(out, true, &kt_vm_cols, &vms->rows[i]);
		for (g = 0; g < N_GROUPS; g++)
			if ((collectors & groups[g].collector) &&
			    !groups[g].devices)
				text_row(out, false, groups[g].set,
					 kt_rec_row(r, groups[g].set, idx));
		fputc('\n', out);
	}
	fputc('\n', out);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
