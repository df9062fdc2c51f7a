/*
 * The table engine: answers GET and GETNEXT for one MIB table (or scalar
 * group) from the current snapshot by binary search over its rows, which are
 * sorted by index.  No allocation and no formatting per request.
 *
 * A table describes itself by a prefix (the OID its columns hang below: the
 * entry OID for a table, the group OID for scalars), its columns (a
 * kt_col_set of columns.h: what each column is, where its value lives and
 * when it is there), and three small functions: how many rows, the index of
 * a row, and the struct a row's columns read (NULL when the row has none in
 * this table).  Every table is built the same way (KT_TABLE below).
 */
#ifndef KT_MIB_TABLE_H
#define KT_MIB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "columns.h"
#include "kvmtop_oid.h"
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
	const char *str; /* for ASN_OCTET_STR: the string or buf */
	size_t len;
	char buf[KT_CLIP_MAX + 1]; /* a string rewritten by clip.h */
};

/* Room for a row that a table makes up on the spot. */
union kt_row_tmp {
	struct kt_meminfo_row mem;
	struct kt_agent_view agent;
	struct kt_notify_view notify;
};

struct kt_table {
	const char *name;
	const oid *reg; /* what is registered with the agent */
	size_t reg_len;
	const oid *prefix; /* columns are prefix.COLUMN.INDEX */
	size_t prefix_len;
	size_t (*n_rows)(const struct kt_mib_ctx *ctx);
	size_t (*row_index)(const struct kt_mib_ctx *ctx, size_t row, oid *idx);
	const void *(*row_at)(const struct kt_mib_ctx *ctx, size_t row,
			      union kt_row_tmp *tmp);
	const struct kt_col_set *cols; /* the columns served, dense */
};

/* The first and last column @t serves: its set's (no copy to drift). */
static inline unsigned kt_table_first_col(const struct kt_table *t)
{
	return t->cols->col[0].subid;
}

static inline unsigned kt_table_last_col(const struct kt_table *t)
{
	return t->cols->col[0].subid + (unsigned)t->cols->n - 1;
}

/*
 * The struct kt_table @var named @tname for column set @set, registered at
 * the oid array @reg_oid, its columns below the oid array @prefix_oid (both
 * defined by the caller): what KT_TABLE and KT_SCALARS share.
 */
#define KT_TABLE_AT(var, tname, set, reg_oid, prefix_oid, rows, index, row_fn) \
	const struct kt_table var = {                                          \
		.name = tname,                                                 \
		.reg = reg_oid,                                                \
		.reg_len = OID_LENGTH(reg_oid),                                \
		.prefix = prefix_oid,                                          \
		.prefix_len = OID_LENGTH(prefix_oid),                          \
		.n_rows = rows,                                                \
		.row_index = index,                                            \
		.row_at = row_fn,                                              \
		.cols = &set,                                                  \
	}

/*
 * Defines table @var named @tname (static const oid arrays and the struct)
 * for column set @set registered at kvmtopObjects.@subid: columns below the
 * entry (@subid.1).
 */
#define KT_TABLE(var, tname, set, subid, rows, index, row_fn)              \
	static const oid var##_reg[] = { KT_OID_OBJECTS, subid };          \
	static const oid var##_prefix[] = { KT_OID_OBJECTS, subid, 1 };    \
	KT_TABLE_AT(var, tname, set, var##_reg, var##_prefix, rows, index, \
		    row_fn)
/* The same for a scalar group: its columns are below the group itself. */
#define KT_SCALARS(var, tname, set, subid, rows, row_fn)          \
	static const oid var##_reg[] = { KT_OID_OBJECTS, subid }; \
	KT_TABLE_AT(var, tname, set, var##_reg, var##_reg, rows,  \
		    kt_scalar_index, row_fn)

/* The one row of a scalar group: index 0 (the ".0" instance). */
size_t kt_scalar_index(const struct kt_mib_ctx *ctx, size_t row, oid *idx);

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

/*
 * The value of column @col of row @row of @t: false when there is no such
 * instance (no such column, the row has none in @t, the value is not there).
 */
bool kt_table_cell(const struct kt_table *t, const struct kt_mib_ctx *ctx,
		   size_t row, unsigned col, struct kt_value *v);

#endif
