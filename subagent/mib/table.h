/*
 * The table engine: answers GET and GETNEXT for one MIB table (or scalar
 * group) from the current snapshot by binary search over its rows, which are
 * sorted by index.  No allocation and no formatting per request.
 *
 * A table describes itself by a prefix (the OID its columns hang below: the
 * entry OID for a table, the group OID for scalars), its column range, and
 * three small functions: how many rows, the index of a row, and the value of
 * a cell (false when that cell has no instance: the row is not in this
 * table, or the value is unavailable).
 */
#ifndef KT_MIB_TABLE_H
#define KT_MIB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "snapshot.h"

#define KT_MAX_INDEX_LEN 4

/* What a handler serves besides the snapshot. */
struct kt_mib_ctx {
	struct kt_snapshot *snap; /* current snapshot, NULL before the first */
	const char *version;
	const char *uri;
	uint64_t interval_ms;	  /* configured refresh interval */
	uint64_t started_mono_ns; /* CLOCK_MONOTONIC when the agent started */
};

struct kt_value {
	u_char type; /* ASN_INTEGER, ASN_GAUGE, ASN_COUNTER64, ... */
	uint64_t num;
	const char *str; /* for ASN_OCTET_STR */
	size_t len;
};

struct kt_table {
	const char *name;
	const oid *reg; /* what is registered with the agent */
	size_t reg_len;
	const oid *prefix; /* columns are prefix.COLUMN.INDEX */
	size_t prefix_len;
	unsigned first_col, last_col;
	size_t (*n_rows)(const struct kt_mib_ctx *ctx);
	size_t (*row_index)(const struct kt_mib_ctx *ctx, size_t row, oid *idx);
	bool (*cell)(const struct kt_mib_ctx *ctx, size_t row, unsigned col,
		     struct kt_value *v);
};

/* Exact match of @name; false: no such instance. */
bool kt_table_get(const struct kt_table *t, const struct kt_mib_ctx *ctx,
		  const oid *name, size_t len, struct kt_value *v);

/*
 * The first instance of @t after @name in OID order, written to @next (room
 * for MAX_OID_LEN) with its length; false when @t has none after @name.
 */
bool kt_table_next(const struct kt_table *t, const struct kt_mib_ctx *ctx,
		   const oid *name, size_t len, oid *next, size_t *next_len,
		   struct kt_value *v);

/* Helpers for cell functions. */
static inline bool kt_val_num(struct kt_value *v, u_char type, uint64_t num)
{
	v->type = type;
	v->num = num;
	return true;
}

static inline bool kt_val_str(struct kt_value *v, const char *s, size_t len)
{
	v->type = ASN_OCTET_STR;
	v->str = s;
	v->len = len;
	return true;
}

/* TruthValue: true(1), false(2). */
static inline bool kt_val_truth(struct kt_value *v, bool b)
{
	return kt_val_num(v, ASN_INTEGER, b ? 1 : 2);
}

/* Gauge32 saturates instead of wrapping. */
static inline bool kt_val_gauge(struct kt_value *v, uint64_t num)
{
	return kt_val_num(v, ASN_GAUGE, num > UINT32_MAX ? UINT32_MAX : num);
}

#endif
