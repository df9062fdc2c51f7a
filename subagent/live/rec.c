/*
 * Records (live/rec.h): tables of cells sorted by index, the look-ups the
 * consumers use, and what is wanted.
 */
#include "live/rec.h"

#include <stdlib.h>
#include <string.h>

#include "sorted.h"

size_t kt_rec_set_pos(const struct kt_col_set *set)
{
	size_t i;

	for (i = 0; i < kt_n_col_sets; i++)
		if (kt_col_sets[i] == set)
			return i;
	return KT_REC_MAX_SETS - 1; /* never: every set is listed */
}

void kt_want_add(struct kt_want *w, const struct kt_col_set *set,
		 unsigned subid)
{
	if (kt_col_at(set, subid) != NULL)
		w->cols[kt_rec_set_pos(set)] |= 1ull
						<< (subid - set->col[0].subid);
}

void kt_want_json(struct kt_want *w, const struct kt_col_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->col[i].json != NULL)
			w->cols[kt_rec_set_pos(set)] |= 1ull << i;
}

struct kt_rec *kt_rec_new(void)
{
	struct kt_rec *r = calloc(1, sizeof(*r));
	size_t i;

	for (i = 0; r != NULL && i < kt_n_col_sets; i++)
		r->t[i].set = kt_col_sets[i];
	return r;
}

static void free_row(const struct kt_col_set *set, struct kt_rrow *row)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free(row->cell[i].str);
	free(row->cell);
}

void kt_rec_free(struct kt_rec *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	for (i = 0; i < kt_n_col_sets; i++) {
		for (j = 0; j < r->t[i].n; j++)
			free_row(r->t[i].set, &r->t[i].rows[j]);
		free(r->t[i].rows);
	}
	free(r);
}

static int cmp_idx(const uint32_t a[2], const uint32_t b[2])
{
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return 0;
}

static int cmp_row_idx(const void *key, const void *row)
{
	return cmp_idx(key, ((const struct kt_rrow *)row)->idx);
}

/* The first row not below @idx. */
static size_t lower_bound(const struct kt_rtable *t, const uint32_t idx[2])
{
	return kt_lower_bound(idx, t->rows, t->n, sizeof(*t->rows),
			      cmp_row_idx);
}

static int grow(struct kt_rtable *t)
{
	size_t cap = t->cap ? t->cap * 2 : 16;
	struct kt_rrow *rows = realloc(t->rows, cap * sizeof(*rows));

	if (rows == NULL)
		return -1;
	t->rows = rows;
	t->cap = cap;
	return 0;
}

struct kt_rrow *kt_rec_row_add(struct kt_rec *r, const struct kt_col_set *set,
			       const uint32_t idx[2])
{
	struct kt_rtable *t = &r->t[kt_rec_set_pos(set)];
	size_t at = lower_bound(t, idx);
	struct kt_rcell *cells;

	if (at < t->n && cmp_idx(t->rows[at].idx, idx) == 0)
		return &t->rows[at];
	if (t->n == t->cap && grow(t) != 0)
		return NULL;
	if ((cells = calloc(set->n, sizeof(*cells))) == NULL)
		return NULL;
	memmove(&t->rows[at + 1], &t->rows[at],
		(t->n - at) * sizeof(t->rows[0]));
	t->n++;
	t->rows[at].idx[0] = idx[0];
	t->rows[at].idx[1] = idx[1];
	t->rows[at].cell = cells;
	return &t->rows[at];
}

const struct kt_rrow *kt_rec_row(const struct kt_rec *r,
				 const struct kt_col_set *set,
				 const uint32_t idx[2])
{
	const struct kt_rtable *t = kt_rec_table(r, set);
	size_t at = lower_bound(t, idx);

	return at < t->n && cmp_idx(t->rows[at].idx, idx) == 0 ? &t->rows[at]
							       : NULL;
}

int kt_rcell_set(struct kt_rcell *cell, uint64_t num, const char *str)
{
	free(cell->str);
	cell->str = NULL;
	cell->num = num;
	cell->ok = true;
	if (str != NULL && (cell->str = strdup(str)) == NULL) {
		cell->ok = false;
		return -1;
	}
	return 0;
}

size_t kt_rec_devs(const struct kt_rec *r, const struct kt_col_set *set,
		   uint32_t vm, size_t *first)
{
	const struct kt_rtable *t = kt_rec_table(r, set);
	uint32_t lo[2] = { vm, 0 }, hi[2] = { vm + 1, 0 };

	*first = lower_bound(t, lo);
	return lower_bound(t, hi) - *first;
}

bool kt_rec_get(const struct kt_col_set *set, const struct kt_rrow *row,
		const struct kt_col *c, struct kt_cell *out)
{
	const struct kt_rcell *cell;

	out->num = 0;
	out->str = NULL;
	if (row == NULL)
		return false;
	cell = &row->cell[c - set->col];
	if (!cell->ok)
		return false;
	out->num = cell->num;
	out->str = cell->str;
	/* A string column without a string is unknown, as in a snapshot. */
	return c->smi != KT_SMI_DISPLAY && c->smi != KT_SMI_UTF8
		       ? true
		       : cell->str != NULL;
}

bool kt_rec_vm_get(const struct kt_rec *r, const struct kt_col_set *set,
		   uint32_t vm, unsigned subid, struct kt_cell *out)
{
	uint32_t idx[2] = { vm, 0 };
	const struct kt_col *c = kt_col_at(set, subid);

	out->num = 0;
	out->str = NULL;
	return c != NULL && kt_rec_get(set, kt_rec_row(r, set, idx), c, out);
}

bool kt_rec_meminfo(const struct kt_rec *r, const char *name, uint64_t *v)
{
	const struct kt_rtable *t = kt_rec_table(r, &kt_host_mem_cols);
	const struct kt_col *cn = kt_col_known(&kt_host_mem_cols, 2);
	const struct kt_col *cv = kt_col_known(&kt_host_mem_cols, 3);
	struct kt_cell n, val;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (kt_rec_get(t->set, &t->rows[i], cn, &n) &&
		    strcmp(n.str, name) == 0 &&
		    kt_rec_get(t->set, &t->rows[i], cv, &val)) {
			*v = val.num;
			return true;
		}
	return false;
}
