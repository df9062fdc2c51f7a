/*
 * The cells of both printers: a column of columns.h written as text (a tab
 * before each but the first of a line, "-" for what is not there) or as a
 * JSON member under its key (null for what is not there), in the column's
 * format.  The printers choose which columns and in which order; what a
 * value is and when it is there comes from the descriptors alone.
 */
#include "config.h"

#include <inttypes.h>

#include "print/print.h"

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

/* Microseconds as milliseconds with three places: 2988 -> 2.988. */
static void text_us_as_ms(FILE *out, bool first, bool available, uint64_t us)
{
	if (!first)
		fputc('\t', out);
	if (available)
		fprintf(out, "%" PRIu64 ".%03" PRIu64, us / 1000, us % 1000);
	else
		fputc('-', out);
}

/*
 * A name as clip.h shows it: controls (tabs, newlines) would break the
 * columns, bidirectional overrides would reorder them.
 */
void kt_text_name(FILE *out, bool first, const char *name)
{
	char buf[KT_CLIP_MAX + 1];
	const char *s;
	size_t len = kt_clip(name, KT_CLIP_UTF8, buf, &s);

	if (!first)
		fputc('\t', out);
	if (len == 0)
		fputc('-', out);
	else
		fwrite(s, 1, len, out);
}

void kt_text_col(FILE *out, bool first, const struct kt_col *c, const void *row)
{
	struct kt_cell v = { 0, NULL };
	bool ok = row != NULL && kt_col_get(c, row, &v);

	kt_text_cell(out, first, c, ok, &v);
}

void kt_text_cell(FILE *out, bool first, const struct kt_col *c, bool ok,
		  const struct kt_cell *vp)
{
	struct kt_cell v = *vp;

	switch (c->fmt) {
	case KT_FMT_NUM:
	case KT_FMT_NUM0:
	case KT_FMT_BOOL:
		kt_text_u64(out, first, ok && (c->fmt != KT_FMT_NUM0 || v.num),
			    v.num);
		break;
	case KT_FMT_CENTI:
		kt_text_centi(out, first, ok, (uint32_t)v.num);
		break;
	case KT_FMT_USEC:
		text_us_as_ms(out, first, ok, v.num);
		break;
	case KT_FMT_TEXT:
	case KT_FMT_KNOWN:
		kt_text_name(out, first, ok ? v.str : NULL);
		break;
	case KT_FMT_NAME:
		kt_text_name(out, first, ok ? c->name_of(v.num) : NULL);
		break;
	}
}

void kt_text_cols(FILE *out, bool first, const struct kt_col_set *set,
		  const void *row)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->col[i].kvmtop != NULL) {
			kt_text_col(out, first, &set->col[i], row);
			first = false;
		}
}

void kt_text_headers(FILE *out, bool first, const struct kt_col_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->col[i].kvmtop != NULL) {
			fprintf(out, "%s%s", first ? "" : "\t",
				set->col[i].kvmtop);
			first = false;
		}
}

void kt_json_col(struct kt_jw *w, const struct kt_col *c, const void *row)
{
	struct kt_cell v = { 0, NULL };
	bool ok = row != NULL && kt_col_get(c, row, &v);

	kt_json_cell(w, c, ok, &v);
}

void kt_json_cell(struct kt_jw *w, const struct kt_col *c, bool ok,
		  const struct kt_cell *vp)
{
	struct kt_cell v = *vp;

	switch (c->fmt) {
	case KT_FMT_NUM:
	case KT_FMT_NUM0:
	case KT_FMT_USEC:
		kt_jw_u64(w, c->json, ok && (c->fmt != KT_FMT_NUM0 || v.num),
			  v.num);
		break;
	case KT_FMT_CENTI:
		kt_jw_centi(w, c->json, ok, (uint32_t)v.num);
		break;
	case KT_FMT_TEXT:
		kt_jw_str(w, c->json, ok ? v.str : NULL);
		break;
	case KT_FMT_KNOWN:
		kt_jw_str_known(w, c->json, ok ? v.str : NULL);
		break;
	case KT_FMT_NAME:
		kt_jw_str(w, c->json, ok ? c->name_of(v.num) : NULL);
		break;
	case KT_FMT_BOOL:
		kt_jw_bool(w, c->json, ok && v.num != 0);
		break;
	}
}

void kt_json_cols(struct kt_jw *w, const struct kt_col_set *set,
		  const void *row, const uint8_t *order, size_t n)
{
	size_t i;

	for (i = 0; i < (order != NULL ? n : set->n); i++) {
		const struct kt_col *c =
			order != NULL ? kt_col_at(set, order[i]) : &set->col[i];

		if (c != NULL && c->json != NULL)
			kt_json_col(w, c, row);
	}
}
