/*
 * The table engine: exact and next lookups over a table's sorted rows.
 *
 * Walk order is column-major, as SNMP's lexicographic OID order demands:
 * every row of column 1, then every row of column 2.  A GETNEXT costs one
 * binary search plus a skip over rows without an instance in that column.
 */
#include "config.h"

#include <string.h>

#include "mib/table.h"

size_t kt_scalar_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx)
{
	(void)ctx;
	(void)row;
	idx[0] = 0;
	return 1;
}

/* A column's value as its SMI type goes on the wire. */
static bool to_value(const struct kt_col *c, const struct kt_cell *x,
		     struct kt_value *v)
{
	v->num = x->num;
	switch (c->smi) {
	case KT_SMI_COUNTER64:
	case KT_SMI_GAUGE64:
		v->type = ASN_COUNTER64;
		break;
	case KT_SMI_GAUGE32: /* saturates instead of wrapping */
		v->type = ASN_GAUGE;
		v->num = x->num > UINT32_MAX ? UINT32_MAX : x->num;
		break;
	case KT_SMI_UNSIGNED32:
		v->type = ASN_UNSIGNED;
		break;
	case KT_SMI_ENUM:
		v->type = ASN_INTEGER;
		break;
	case KT_SMI_TRUTH: /* true(1), false(2) */
		v->type = ASN_INTEGER;
		v->num = x->num != 0 ? 1 : 2;
		break;
	case KT_SMI_DISPLAY:
	case KT_SMI_UTF8: /* clipped and cleaned here, for every string */
		v->type = ASN_OCTET_STR;
		v->len = kt_col_clip(c, x, v->buf, &v->str);
		break;
	}
	return true;
}

bool kt_table_cell(const struct kt_table *t, const struct kt_mib_ctx *ctx,
		   size_t row, unsigned col, struct kt_value *v)
{
	union kt_row_tmp tmp;
	const struct kt_col *c;
	const void *r;
	struct kt_cell x;

	c = kt_col_at(t->cols, col); /* NULL outside the set's columns */
	r = t->row_at(ctx, row, &tmp);
	if (c == NULL || r == NULL || !kt_col_get(c, r, &x))
		return false;
	return to_value(c, &x, v);
}

/* Whether @name starts with @prefix. */
static bool has_prefix(const oid *name, size_t len, const oid *prefix,
		       size_t plen)
{
	return len >= plen && memcmp(name, prefix, plen * sizeof(oid)) == 0;
}

/* First row whose index is > (or >= when !strict) @key, by binary search. */
static size_t lower_row(const struct kt_table *t, const struct kt_mib_ctx *ctx,
			const oid *key, size_t klen, bool strict)
{
	size_t lo = 0, hi = t->n_rows(ctx);
	oid idx[KT_MAX_INDEX_LEN];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t ilen = t->row_index(ctx, mid, idx);
		int c = snmp_oid_compare(idx, ilen, key, klen);

		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool kt_table_get(const struct kt_table *t, const struct kt_mib_ctx *ctx,
		  const oid *name, size_t len, struct kt_value *v)
{
	oid idx[KT_MAX_INDEX_LEN];
	const oid *key;
	size_t row, klen;
	unsigned col;

	if (!has_prefix(name, len, t->prefix, t->prefix_len) ||
	    len < t->prefix_len + 2)
		return false;
	/* Range check on the full sub-id before narrowing it. */
	if (name[t->prefix_len] < kt_table_first_col(t) ||
	    name[t->prefix_len] > kt_table_last_col(t))
		return false;
	col = (unsigned)name[t->prefix_len];
	key = name + t->prefix_len + 1;
	klen = len - t->prefix_len - 1;
	row = lower_row(t, ctx, key, klen, false);
	if (row >= t->n_rows(ctx))
		return false;
	if (snmp_oid_compare(idx, t->row_index(ctx, row, idx), key, klen) != 0)
		return false;
	return kt_table_cell(t, ctx, row, col, v);
}

/* The first row at or after @row with an instance in @col. */
static bool next_in_column(const struct kt_table *t,
			   const struct kt_mib_ctx *ctx, unsigned col,
			   size_t row, oid *next, size_t *next_len,
			   struct kt_value *v)
{
	size_t n = t->n_rows(ctx);

	for (; row < n; row++) {
		if (!kt_table_cell(t, ctx, row, col, v))
			continue;
		memcpy(next, t->prefix, t->prefix_len * sizeof(oid));
		next[t->prefix_len] = col;
		*next_len = t->prefix_len + 1 +
			    t->row_index(ctx, row, next + t->prefix_len + 1);
		return true;
	}
	return false;
}

bool kt_table_next(const struct kt_table *t, const struct kt_mib_ctx *ctx,
		   const oid *name, size_t len, oid *next, size_t *next_len,
		   struct kt_value *v)
{
	unsigned col = kt_table_first_col(t);
	size_t row = 0;

	if (has_prefix(name, len, t->prefix, t->prefix_len) &&
	    len > t->prefix_len) {
		if (name[t->prefix_len] > kt_table_last_col(t))
			return false;
		if (name[t->prefix_len] >= kt_table_first_col(t)) {
			col = (unsigned)name[t->prefix_len];
			row = lower_row(t, ctx, name + t->prefix_len + 1,
					len - t->prefix_len - 1, true);
		}
	} else if (snmp_oid_compare(name, len, t->prefix, t->prefix_len) > 0) {
		return false; /* past the whole table */
	}
	for (; col <= kt_table_last_col(t); col++, row = 0)
		if (next_in_column(t, ctx, col, row, next, next_len, v))
			return true;
	return false;
}
