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
	if (name[t->prefix_len] < t->first_col ||
	    name[t->prefix_len] > t->last_col)
		return false;
	col = (unsigned)name[t->prefix_len];
	key = name + t->prefix_len + 1;
	klen = len - t->prefix_len - 1;
	row = lower_row(t, ctx, key, klen, false);
	if (row >= t->n_rows(ctx))
		return false;
	if (snmp_oid_compare(idx, t->row_index(ctx, row, idx), key, klen) != 0)
		return false;
	return t->cell(ctx, row, col, v);
}

/* The first row at or after @row with an instance in @col. */
static bool next_in_column(const struct kt_table *t,
			   const struct kt_mib_ctx *ctx, unsigned col,
			   size_t row, oid *next, size_t *next_len,
			   struct kt_value *v)
{
	size_t n = t->n_rows(ctx);

	for (; row < n; row++) {
		if (!t->cell(ctx, row, col, v))
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
	unsigned col = t->first_col;
	size_t row = 0;

	if (has_prefix(name, len, t->prefix, t->prefix_len) &&
	    len > t->prefix_len) {
		if (name[t->prefix_len] > t->last_col)
			return false;
		if (name[t->prefix_len] >= t->first_col) {
			col = (unsigned)name[t->prefix_len];
			row = lower_row(t, ctx, name + t->prefix_len + 1,
					len - t->prefix_len - 1, true);
		}
	} else if (snmp_oid_compare(name, len, t->prefix, t->prefix_len) > 0) {
		return false; /* past the whole table */
	}
	for (; col <= t->last_col; col++, row = 0)
		if (next_in_column(t, ctx, col, row, next, next_len, v))
			return true;
	return false;
}
