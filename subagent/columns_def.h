/*
 * Shorthands for writing the column arrays (vm_columns.c, host_columns.c,
 * agent_columns.c): one column a line.  Each file defines ROW, the struct
 * its current array reads, before using them.  Private to those files.
 */
#ifndef KT_COLUMNS_DEF_H
#define KT_COLUMNS_DEF_H

#include <stddef.h>

#include "columns.h"

/* clang-format off */
#define KT_COL(sub, name, kv, js, smi_, units_, fmt_, kind_, field, rule, a) \
	{ .subid = (sub), .mib = (name), .kvmtop = (kv), .json = (js),         \
	  .smi = (smi_), .units = (units_), .fmt = (fmt_), .kind = (kind_),    \
	  .off = offsetof(ROW, field), .has = (rule), .arg = (a) }

/* Counter64, KvmtopGauge64: a uint64_t field. */
#define KT_C64(sub, name, kv, js, units, field, rule) \
	KT_COL(sub, name, kv, js, KT_SMI_COUNTER64, units, KT_FMT_NUM, \
	       KT_KIND_U64, field, rule, 0)
#define KT_G64(sub, name, kv, js, units, field, rule) \
	KT_COL(sub, name, kv, js, KT_SMI_GAUGE64, units, KT_FMT_NUM, \
	       KT_KIND_U64, field, rule, 0)
/* Gauge32 of a uint32_t field, printed as an integer or hundredths. */
#define KT_G32(sub, name, kv, js, units, field, rule) \
	KT_COL(sub, name, kv, js, KT_SMI_GAUGE32, units, KT_FMT_NUM, \
	       KT_KIND_U32, field, rule, 0)
#define KT_PCT(sub, name, kv, js, field, rule) \
	KT_COL(sub, name, kv, js, KT_SMI_GAUGE32, "0.01 percent", \
	       KT_FMT_CENTI, KT_KIND_U32, field, rule, 0)
/* A string: a char[] (CHARS) or a const char * (STR). */
#define KT_STR(sub, name, kv, js, smi, fmt, kind, field) \
	KT_COL(sub, name, kv, js, smi, NULL, fmt, kind, field, NULL, 0)
/* A value computed by @fn (host_columns.c, agent_columns.c). */
#define KT_FN(sub, name, kv, js, smi_, units_, fmt_, fn)                  \
	KT_FNA(sub, name, kv, js, smi_, units_, fmt_, fn, 0)
/* The same, @fn told which value by @a. */
#define KT_FNA(sub, name, kv, js, smi_, units_, fmt_, fn, a)              \
	{ .subid = (sub), .mib = (name), .kvmtop = (kv), .json = (js),    \
	  .smi = (smi_), .units = (units_), .fmt = (fmt_),                \
	  .kind = KT_KIND_FN, .get = (fn), .arg = (a) }
/* clang-format on */

/* A presence rule of snapshot.h / host.h as a kt_col.has. */
#define KT_RULE(rule, type)                             \
	static bool rule(const void *row, unsigned arg) \
	{                                               \
		(void)arg;                              \
		return kt_##rule((const type *)row);    \
	}
#define KT_RULE_ARG(rule, type)                           \
	static bool rule(const void *row, unsigned arg)   \
	{                                                 \
		return kt_##rule((const type *)row, arg); \
	}

#define KT_COL_SET(var, setname, sub, is_scalars, array)         \
	const struct kt_col_set var = { .name = (setname),       \
					.subid = (sub),          \
					.scalars = (is_scalars), \
					.col = (array),          \
					.n = sizeof(array) /     \
					     sizeof(array[0]) }

#endif
