/*
 * Every column of KVMTOP-MIB described once: its sub-identifier, its MIB
 * descriptor, kvmtop's name for it, its --print json key, its SMI type and
 * UNITS, where its value lives in a snapshot row, and when it is there.
 * The SNMP handlers (mib/), both printers (print/) and the test that holds
 * the descriptors against mibs/KVMTOP-MIB.txt read these arrays, and so can
 * any later consumer (a live view, notifications): a new column is one line
 * here plus its field in the snapshot and its clause in the MIB.
 *
 * No net-snmp types here: the SNMP layer maps enum kt_smi to ASN types.
 */
#ifndef KT_COLUMNS_H
#define KT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clip.h"
#include "snapshot.h"

/* The SYNTAX of a column, as KVMTOP-MIB writes it. */
enum kt_smi {
	KT_SMI_COUNTER64 = 1,
	KT_SMI_GAUGE64,	   /* KvmtopGauge64: a Counter64 on the wire */
	KT_SMI_GAUGE32,	   /* saturates at 4294967295 */
	KT_SMI_UNSIGNED32, /* Unsigned32 */
	KT_SMI_ENUM,	   /* INTEGER { ... } */
	KT_SMI_TRUTH,	   /* TruthValue: true(1), false(2) */
	KT_SMI_DISPLAY,	   /* DisplayString: printable ASCII (clip.h) */
	KT_SMI_UTF8,	   /* KvmtopUtf8String: UTF-8 (clip.h) */
};

/* How the printers write a value. */
enum kt_fmt {
	KT_FMT_NUM = 0, /* an integer */
	KT_FMT_NUM0,	/* an integer, 0 meaning "unknown": "-" / null */
	KT_FMT_CENTI,	/* hundredths: 37.50 */
	KT_FMT_USEC,	/* microseconds: text in ms with three places */
	KT_FMT_TEXT,	/* a string, "" as it is in JSON */
	KT_FMT_KNOWN,	/* a string where "" means unknown */
	KT_FMT_NAME,	/* an enumeration printed by name (kt_col.name_of) */
	KT_FMT_BOOL,	/* true / false */
};

/* Where the value lives: at kt_col.off of the row, of this C type. */
enum kt_kind {
	KT_KIND_U64 = 0,
	KT_KIND_U32,
	KT_KIND_INT,   /* int, negative: unknown (no instance) */
	KT_KIND_PID,   /* pid_t */
	KT_KIND_BOOL,  /* bool */
	KT_KIND_STATE, /* enum kt_vm_state */
	KT_KIND_NET,   /* enum kt_net_type */
	KT_KIND_CHARS, /* char[] */
	KT_KIND_STR,   /* const char *, NULL when a copy failed */
	KT_KIND_FN,    /* computed by kt_col.get */
};

/* A value read from a row: a number, or a string (not yet clipped). */
struct kt_cell {
	uint64_t num;
	const char *str; /* NULL for a string column: unknown */
};

struct kt_col {
	unsigned subid;	    /* column of the entry (scalar of the group) */
	const char *mib;    /* MIB descriptor: "kvmtopVmMemRss" */
	const char *kvmtop; /* kvmtop's metric ("ram_rss"): the text
			       printer's header; NULL: not printed there */
	const char *json;   /* --print json key; NULL: not printed there */
	enum kt_smi smi;
	const char *units; /* the UNITS clause, NULL when none */
	enum kt_fmt fmt;
	enum kt_kind kind;
	size_t off;
	/* The presence rule (snapshot.h, host.h); NULL: always there. */
	bool (*has)(const void *row, unsigned arg);
	unsigned arg; /* passed to has and get: a bit, a field number */
	bool (*get)(const void *row, unsigned arg, struct kt_cell *out);
	const char *(*name_of)(uint64_t v); /* KT_FMT_NAME */
};

/* The columns of one table or scalar group, by sub-identifier. */
struct kt_col_set {
	const char *name;	  /* "kvmtopVmMemTable", "kvmtopHost" */
	unsigned subid;		  /* under kvmtopObjects */
	bool scalars;		  /* a scalar group: no entry, instance .0 */
	const struct kt_col *col; /* col[i].subid == col[0].subid + i */
	size_t n;
};

/*
 * The value of @c in @row (the struct the set's rows are: see each set);
 * false when it is not there (its presence rule fails).
 */
bool kt_col_get(const struct kt_col *c, const void *row, struct kt_cell *out);

/* The column of @set with sub-identifier @subid, or NULL. */
static inline const struct kt_col *kt_col_at(const struct kt_col_set *set,
					     unsigned subid)
{
	unsigned first = set->col[0].subid;

	return subid >= first && subid - first < set->n
		       ? &set->col[subid - first]
		       : NULL;
}

/* Column @subid of @set, which the caller knows to be there. */
static inline const struct kt_col *kt_col_known(const struct kt_col_set *set,
						unsigned subid)
{
	return &set->col[subid - set->col[0].subid];
}

/* The display form of a string cell, clipped per the column's SYNTAX. */
size_t kt_col_clip(const struct kt_col *c, const struct kt_cell *v, char *buf,
		   const char **out);

/*
 * The rows the sets read.  Per-VM sums: struct kt_vm.  kvmtopVcpuTable:
 * struct kt_vcpu; kvmtopVmBlkTable: struct kt_blk; kvmtopVmIfTable: struct
 * kt_iface.  kvmtopHost: struct kt_host; kvmtopHostMemTable: struct
 * kt_meminfo_row; kvmtopHostDiskTable: struct kt_host_disk;
 * kvmtopHostNetTable: struct kt_host_net; kvmtopHostPsiTable: struct
 * kt_psi_line; kvmtopAgent: struct kt_agent_view; kvmtopNotify: struct
 * kt_notify_view.
 */
struct kt_meminfo_row {
	const struct kt_meminfo *mem;
	bool host_valid;
	unsigned i; /* position in kt_meminfo_names */
};

/* What the kvmtopAgent scalars report besides the snapshot. */
struct kt_agent_view {
	const struct kt_snapshot *snap; /* NULL before the first */
	const char *version;
	const char *uri;
	uint64_t interval_ms;	  /* configured refresh interval */
	uint64_t started_mono_ns; /* when the agent started */
};

/* What the kvmtopNotify scalars report: the SNMP thread's queue and the
 * steal watch's settings (mib/notify.c). */
struct kt_notify_view {
	uint64_t sent, dropped;
	uint32_t queued, capacity;
	uint32_t steal_high, steal_normal; /* 0.01 percent */
	uint32_t steal_for_ms;
};

extern const struct kt_col_set kt_agent_cols;
extern const struct kt_col_set kt_vm_cols;
extern const struct kt_col_set kt_vm_cpu_cols;
extern const struct kt_col_set kt_vm_mem_cols;
extern const struct kt_col_set kt_vm_disk_cols;
extern const struct kt_col_set kt_vm_net_cols;
extern const struct kt_col_set kt_vm_io_cols;
extern const struct kt_col_set kt_vcpu_cols;
extern const struct kt_col_set kt_vm_blk_cols;
extern const struct kt_col_set kt_vm_if_cols;
extern const struct kt_col_set kt_host_cols;
extern const struct kt_col_set kt_host_mem_cols;
extern const struct kt_col_set kt_host_disk_cols;
extern const struct kt_col_set kt_host_net_cols;
extern const struct kt_col_set kt_host_psi_cols;
extern const struct kt_col_set kt_notify_cols;

/* The names of kvmtopVmState and kvmtopHostNetType values ("running"). */
const char *kt_vm_state_name(uint64_t state);
const char *kt_net_type_name(uint64_t type);

/* Every set, in OID order. */
extern const struct kt_col_set *const kt_col_sets[];
extern const size_t kt_n_col_sets;

#endif
