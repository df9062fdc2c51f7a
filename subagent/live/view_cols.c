/*
 * The live view's columns and how their cells read (live/view_cols.h).
 * Every value comes through the column's descriptor (columns.h), so the
 * view shows what the SNMP tables and the printers show.
 */
#include "live/view_cols.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "clip.h"
#include "collectors.h"

/* clang-format off */
const struct kt_vcol kt_view_list_cols[] = {
	{ &kt_vm_cols, 4, 0, false, false },			/* state */
	{ &kt_vm_cpu_cols, 1, KT_COLLECT_CPU, false, false },	/* cores */
	{ &kt_vm_cpu_cols, 6, KT_COLLECT_CPU, false, false },	/* total */
	{ &kt_vm_cpu_cols, 7, KT_COLLECT_CPU, false, true },	/* steal */
	{ &kt_vm_cpu_cols, 8, KT_COLLECT_CPU, false, false },
	{ &kt_vm_cpu_cols, 9, KT_COLLECT_CPU, false, true },
	{ &kt_vm_mem_cols, 1, KT_COLLECT_MEM, false, false },	/* KiB */
	{ &kt_vm_mem_cols, 2, KT_COLLECT_MEM, false, false },
	{ &kt_vm_mem_cols, 4, KT_COLLECT_MEM, false, false },	/* rss */
	{ &kt_vm_disk_cols, 5, KT_COLLECT_DISK, true, false },	/* rd B */
	{ &kt_vm_disk_cols, 8, KT_COLLECT_DISK, true, false },	/* wr B */
	{ &kt_vm_disk_cols, 14, KT_COLLECT_DISK, false, false }, /* util */
	{ &kt_vm_net_cols, 2, KT_COLLECT_NET, true, false },	/* rx B */
	{ &kt_vm_net_cols, 6, KT_COLLECT_NET, true, false },	/* tx B */
	{ &kt_vm_io_cols, 1, KT_COLLECT_IO, true, false },	/* read */
	{ &kt_vm_io_cols, 2, KT_COLLECT_IO, true, false },	/* write */
};
/* clang-format on */
const size_t kt_view_n_list_cols =
	sizeof(kt_view_list_cols) / sizeof(kt_view_list_cols[0]);

void kt_view_want(unsigned collectors, uint32_t detail_vm, struct kt_want *w)
{
	/* The header: name, cores, user, system, idle, steal, VM counts. */
	static const unsigned host[] = { 1, 3, 7, 9, 10, 14, 27, 28, 29, 30 };
	size_t i;

	memset(w, 0, sizeof(*w));
	kt_want_add(w, &kt_vm_cols, 3); /* name */
	kt_want_add(w, &kt_vm_cols, 6); /* data valid: stale rows */
	for (i = 0; i < kt_view_n_list_cols; i++) {
		const struct kt_vcol *c = &kt_view_list_cols[i];

		if (c->collector == 0 || (collectors & c->collector))
			kt_want_add(w, c->set, c->subid);
	}
	if (collectors & KT_COLLECT_HOST) {
		for (i = 0; i < sizeof(host) / sizeof(host[0]); i++)
			kt_want_add(w, &kt_host_cols, host[i]);
		kt_want_add(w, &kt_host_mem_cols, 2); /* name */
		kt_want_add(w, &kt_host_mem_cols, 3); /* value */
	}
	if (detail_vm != 0) {
		kt_want_json(w, &kt_vcpu_cols);
		kt_want_json(w, &kt_vm_blk_cols);
		kt_want_json(w, &kt_vm_if_cols);
		w->dev_vm = detail_vm;
	}
}

const char *kt_vcol_title(const struct kt_vcol *v, char *buf, size_t len)
{
	const struct kt_col *c = kt_vcol_col(v);
	const char *t = c->kvmtop != NULL ? c->kvmtop : c->json;

	snprintf(buf, len, "%s%s", t, v->rate ? "/s" : "");
	return buf;
}

/* Bytes as 1023B, 1.5K, 20M, 3.2G: a decimal below ten. */
static void human(double v, char *buf, size_t len)
{
	static const char units[] = "BKMGTP";
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) - 1) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f%c", v, units[u]);
	else if (v < 10)
		snprintf(buf, len, "%.1f%c", v, units[u]);
	else
		snprintf(buf, len, "%.0f%c", v, units[u]);
}

/* A value as the column's format and units say, for a narrow cell. */
static void format(const struct kt_col *c, const struct kt_cell *v, char *buf,
		   size_t len)
{
	const char *s;
	size_t n;

	switch (c->fmt) {
	case KT_FMT_CENTI:
		snprintf(buf, len, "%" PRIu64 ".%02" PRIu64, v->num / 100,
			 v->num % 100);
		return;
	case KT_FMT_NAME:
		snprintf(buf, len, "%s", c->name_of(v->num));
		return;
	case KT_FMT_TEXT:
	case KT_FMT_KNOWN: {
		char clip[KT_CLIP_MAX + 1];

		n = kt_col_clip(c, v, clip, &s);
		snprintf(buf, len, "%.*s", (int)n, n ? s : "-");
		return;
	}
	default:
		break;
	}
	if (c->units != NULL && strcmp(c->units, "KiB") == 0)
		human((double)v->num * 1024, buf, len);
	else if (c->units != NULL && strcmp(c->units, "bytes") == 0)
		human((double)v->num, buf, len);
	else
		snprintf(buf, len, "%" PRIu64, v->num);
}

static bool cell_of(const struct kt_rec *r, const struct kt_vcol *v,
		    uint32_t vm, struct kt_cell *out)
{
	return r != NULL && kt_rec_vm_get(r, v->set, vm, v->subid, out);
}

bool kt_vcol_value(const struct kt_vcol *v, const struct kt_rec *cur,
		   const struct kt_rec *base, uint32_t vm, double *num,
		   char *buf, size_t len)
{
	const struct kt_col *c = kt_vcol_col(v);
	struct kt_cell now, then;
	double dt;

	snprintf(buf, len, "-");
	*num = -1;
	if (!cell_of(cur, v, vm, &now))
		return false;
	if (!v->rate) {
		format(c, &now, buf, len);
		*num = c->fmt == KT_FMT_TEXT || c->fmt == KT_FMT_KNOWN
			       ? 0
			       : (double)now.num;
		return true;
	}
	if (base == NULL || !cell_of(base, v, vm, &then) ||
	    cur->data_ms <= base->data_ms || now.num < then.num)
		return false;
	dt = (double)(cur->data_ms - base->data_ms) / 1000.0;
	*num = (double)(now.num - then.num) / dt;
	human(*num, buf, len);
	return true;
}

void kt_vcol_cell_text(const struct kt_col_set *set, const struct kt_rrow *row,
		       const struct kt_col *c, char *buf, size_t len)
{
	struct kt_cell v;

	if (!kt_rec_get(set, row, c, &v))
		snprintf(buf, len, "-");
	else
		format(c, &v, buf, len);
}
