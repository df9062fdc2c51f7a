/*
 * The printers of the snapshot's host part (--print text|json): text
 * blocks under kvmtop's metric names after print/text.c's VM rows, and the
 * "host" member of print/json.c's document, both with the cells and the
 * writer those printers use.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>

#include "collectors.h"
#include "print/host_print.h"
#include "print/print.h"

static const char *const psi_res_names[KT_PSI_NRES] = { "cpu", "io", "memory" };
/* kvmtop's short form in its metric names: psi_some_mem_avg60. */
static const char *const psi_res_short[KT_PSI_NRES] = { "cpu", "io", "mem" };
static const char *const psi_kind_names[KT_PSI_NKINDS] = { "some", "full" };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The disk columns in kvmtop's order: in-flight before the times. */
static const uint8_t disk_order[] = { 3,  4,  5,  6,  7,  8,  9, 10,
				      13, 11, 12, 14, 15, 16, 17 };
/* The interface columns: text has the type first, JSON the speed. */
static const uint8_t net_text_order[] = { 2,  20, 3,  4,  5,  6,  7,  8,  9, 10,
					  11, 12, 13, 14, 15, 16, 17, 18, 19 };
static const uint8_t net_json_order[] = { 2,  20, 19, 3,  4,  5,  6,  7,  8, 9,
					  10, 11, 12, 13, 14, 15, 16, 17, 18 };

static bool has_psi(const struct kt_host *h)
{
	int r, k;

	for (r = 0; r < KT_PSI_NRES; r++)
		for (k = 0; k < KT_PSI_NKINDS; k++)
			if (h->psi[r][k].valid)
				return true;
	return false;
}

bool kt_print_host_wanted(const struct kt_host *h, unsigned collectors)
{
	if ((collectors & KT_HOST_COLLECTORS) == 0)
		return false;
	return h->valid || h->n_disks > 0 || h->n_nets > 0 || has_psi(h);
}

/* ---- text ---- */

/*
 * The columns @order of @set, in that order: their headers when @row is
 * NULL, else their values in @row.
 */
static void text_ordered(FILE *out, bool first, const struct kt_col_set *set,
			 const void *row, const uint8_t *order, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, first = false) {
		const struct kt_col *c = kt_col_known(set, order[i]);

		if (row == NULL)
			fprintf(out, "%s%s", first ? "" : "\t", c->kvmtop);
		else
			kt_text_col(out, first, c, row);
	}
}

static void text_host(FILE *out, const struct kt_host *h)
{
	fputc('\n', out);
	kt_text_headers(out, true, &kt_host_cols);
	fputc('\n', out);
	kt_text_cols(out, true, &kt_host_cols, h);
	fputc('\n', out);
}

/* kvmtop drops "Mem" from MemTotal, MemFree and MemAvailable. */
static const char *ram_name(int i)
{
	const char *n = kt_meminfo_names[i];

	return i < 3 ? n + 3 : n;
}

static void text_ram(FILE *out, const struct kt_host *h)
{
	const struct kt_col *value = kt_col_known(&kt_host_mem_cols, 3);
	int i;

	fputc('\n', out);
	for (i = 0; i < KT_MEMINFO_N; i++)
		fprintf(out, "%sram_%s", i == 0 ? "" : "\t", ram_name(i));
	fputc('\n', out);
	for (i = 0; i < KT_MEMINFO_N; i++) {
		struct kt_meminfo_row r = { &h->mem, h->valid, (unsigned)i };

		kt_text_col(out, i == 0, value, &r);
	}
	fputc('\n', out);
}

static void text_disks(FILE *out, const struct kt_host *h)
{
	const struct kt_col *name = kt_col_known(&kt_host_disk_cols, 2);
	size_t i;

	fprintf(out, "\n%s", name->kvmtop);
	text_ordered(out, false, &kt_host_disk_cols, NULL, disk_order,
		     N_OF(disk_order));
	fputc('\n', out);
	for (i = 0; i < h->n_disks; i++) {
		kt_text_col(out, true, name, &h->disks[i]);
		text_ordered(out, false, &kt_host_disk_cols, &h->disks[i],
			     disk_order, N_OF(disk_order));
		fputc('\n', out);
	}
}

static void text_nets(FILE *out, const struct kt_host *h)
{
	size_t i;

	fputc('\n', out);
	text_ordered(out, true, &kt_host_net_cols, NULL, net_text_order,
		     N_OF(net_text_order));
	fputc('\n', out);
	for (i = 0; i < h->n_nets; i++) {
		text_ordered(out, true, &kt_host_net_cols, &h->nets[i],
			     net_text_order, N_OF(net_text_order));
		fputc('\n', out);
	}
}

static void text_psi(FILE *out, const struct kt_host *h)
{
	const struct kt_col_set *set = &kt_host_psi_cols;
	size_t r, k, c;

	fputc('\n', out);
	for (r = 0; r < KT_PSI_NRES; r++)
		for (k = 0; k < KT_PSI_NKINDS; k++)
			for (c = 0; c < set->n; c++)
				fprintf(out, "%spsi_%s_%s_%s",
					r + k + c == 0 ? "" : "\t",
					psi_kind_names[k], psi_res_short[r],
					set->col[c].kvmtop);
	fputc('\n', out);
	for (r = 0; r < KT_PSI_NRES; r++)
		for (k = 0; k < KT_PSI_NKINDS; k++) {
			const struct kt_psi_line *l = &h->psi[r][k];

			kt_text_cols(out, r + k == 0, set, l->valid ? l : NULL);
		}
	fputc('\n', out);
}

int kt_print_host_text(FILE *out, const struct kt_host *h, unsigned collectors)
{
	if (collectors & KT_COLLECT_HOST) {
		text_host(out, h);
		text_ram(out, h);
	}
	if (collectors & KT_COLLECT_DISK)
		text_disks(out, h);
	if (collectors & KT_COLLECT_NET)
		text_nets(out, h);
	if (collectors & KT_COLLECT_PSI)
		text_psi(out, h);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

/* ---- JSON ---- */

/* The members of the columns @first..@last of the host's scalars. */
static void json_host_range(struct kt_jw *w, const struct kt_host *h,
			    unsigned first, unsigned last)
{
	unsigned c;

	for (c = first; c <= last; c++)
		kt_json_col(w, kt_col_known(&kt_host_cols, c), h);
}

/* Values in KiB, HugePages_* counts, as /proc/meminfo gives them. */
static void json_mem(struct kt_jw *w, const struct kt_host *h)
{
	const struct kt_col *value = kt_col_known(&kt_host_mem_cols, 3);
	struct kt_cell v = { 0, NULL };
	int i;

	kt_jw_open(w, "mem", '{');
	for (i = 0; i < KT_MEMINFO_N; i++) {
		struct kt_meminfo_row r = { &h->mem, h->valid, (unsigned)i };
		bool ok = kt_col_get(value, &r, &v);

		kt_jw_u64(w, kt_meminfo_names[i], ok, v.num);
	}
	kt_jw_close(w, '}');
}

static void json_disk(struct kt_jw *w, const struct kt_host_disk *d)
{
	static const uint8_t name[] = { 2 };

	kt_jw_open(w, NULL, '{');
	kt_jw_u64(w, "index", true, d->index);
	kt_json_cols(w, &kt_host_disk_cols, d, name, 1);
	kt_jw_u64(w, "major", true, d->major);
	kt_jw_u64(w, "minor", true, d->minor);
	kt_json_cols(w, &kt_host_disk_cols, d, disk_order, N_OF(disk_order));
	kt_jw_close(w, '}');
}

static void json_net(struct kt_jw *w, const struct kt_host_net *n)
{
	kt_jw_open(w, NULL, '{');
	kt_jw_u64(w, "ifindex", true, n->ifindex);
	kt_json_cols(w, &kt_host_net_cols, n, net_json_order,
		     N_OF(net_json_order));
	kt_jw_close(w, '}');
}

static void json_psi(struct kt_jw *w, const struct kt_host *h)
{
	int r, k;

	kt_jw_open(w, "psi", '{');
	for (r = 0; r < KT_PSI_NRES; r++) {
		kt_jw_open(w, psi_res_names[r], '{');
		for (k = 0; k < KT_PSI_NKINDS; k++) {
			const struct kt_psi_line *l = &h->psi[r][k];

			if (!l->valid) {
				kt_jw_str(w, psi_kind_names[k], NULL);
				continue;
			}
			kt_jw_open(w, psi_kind_names[k], '{');
			kt_json_cols(w, &kt_host_psi_cols, l, NULL, 0);
			kt_jw_close(w, '}');
		}
		kt_jw_close(w, '}');
	}
	kt_jw_close(w, '}');
}

static void json_array(struct kt_jw *w, const struct kt_host *h, bool disks)
{
	size_t i;

	kt_jw_open(w, disks ? "disks" : "nets", '[');
	for (i = 0; disks && i < h->n_disks; i++)
		json_disk(w, &h->disks[i]);
	for (i = 0; !disks && i < h->n_nets; i++)
		json_net(w, &h->nets[i]);
	kt_jw_close(w, ']');
}

void kt_print_host_json(struct kt_jw *w, const struct kt_host *h,
			unsigned collectors)
{
	kt_jw_open(w, "host", '{');
	if (collectors & KT_COLLECT_HOST) {
		json_host_range(w, h, 1, 2); /* name, uuid */
		kt_jw_open(w, "vms", '{');
		json_host_range(w, h, 27, 30);
		kt_jw_close(w, '}');
		kt_jw_open(w, "cpu", '{');
		json_host_range(w, h, 3, 26); /* cores .. guestnice_ticks */
		kt_jw_close(w, '}');
		json_mem(w, h);
	}
	if (collectors & KT_COLLECT_DISK)
		json_array(w, h, true);
	if (collectors & KT_COLLECT_NET)
		json_array(w, h, false);
	if (collectors & KT_COLLECT_PSI)
		json_psi(w, h);
	kt_jw_close(w, '}');
}
