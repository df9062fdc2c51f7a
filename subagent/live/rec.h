/*
 * A record: one refresh's values of the columns a consumer wants, from
 * wherever they came (the collectors in-process, or an agent over SNMP),
 * as cells per (column set, row index).  The live view and the stream
 * printers read records only, through the column descriptors of
 * columns.h, so both sources look the same to them.
 *
 * Each table keeps its rows sorted by index; a row of a per-VM table has
 * index { vmIndex }, a device row { vmIndex, device index }, a scalar
 * group one row { 0 }.
 */
#ifndef KT_LIVE_REC_H
#define KT_LIVE_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "columns.h"

/* The sets a record may hold: positions in kt_col_sets[]. */
#define KT_REC_MAX_SETS 16

/* One value: ok false when the agent or the row has none. */
struct kt_rcell {
	bool ok;
	uint64_t num;
	char *str; /* malloc'd, a string column's value */
};

struct kt_rrow {
	uint32_t idx[2]; /* vmIndex (0 for a scalar group), device index */
	struct kt_rcell *cell; /* set->n cells, by position */
};

struct kt_rtable {
	const struct kt_col_set *set;
	size_t n, cap;
	struct kt_rrow *rows;
};

/*
 * What a consumer wants: per set, a bit per column position; for the
 * device sets, the devices of every VM or of one VM (dev_vm).
 */
struct kt_want {
	uint64_t cols[KT_REC_MAX_SETS];
	bool dev_all;	 /* the devices of every VM */
	uint32_t dev_vm; /* else the devices of this VM (0: none) */
};

struct kt_rec {
	uint64_t seq;	   /* the source's refresh count */
	int64_t unix_time; /* wall clock seconds of the data */
	uint64_t data_ms;  /* monotonic ms when the data was collected */
	uint64_t age_ms;   /* how old the data was when read */
	bool connected;	   /* the source could reach libvirt */
	struct kt_rtable t[KT_REC_MAX_SETS];
};

/* The position of @set in kt_col_sets[] (a record's table). */
size_t kt_rec_set_pos(const struct kt_col_set *set);
static inline bool kt_want_col(const struct kt_want *w,
			       const struct kt_col_set *set, size_t i)
{
	return (w->cols[kt_rec_set_pos(set)] >> i) & 1u;
}
/* Wants column @subid of @set. */
void kt_want_add(struct kt_want *w, const struct kt_col_set *set,
		 unsigned subid);
/* Wants every column of @set that has a JSON key. */
void kt_want_json(struct kt_want *w, const struct kt_col_set *set);
/* Whether the devices of VM @vm are wanted. */
static inline bool kt_want_devs(const struct kt_want *w, uint32_t vm)
{
	return w->dev_all || (w->dev_vm != 0 && w->dev_vm == vm);
}

struct kt_rec *kt_rec_new(void);
void kt_rec_free(struct kt_rec *r);

/*
 * The row of @set with index @idx (two parts; the second 0 for a one-part
 * index), made when missing; NULL when out of memory.  Rows must come in
 * index order or in any order (a binary search places them).
 */
struct kt_rrow *kt_rec_row_add(struct kt_rec *r, const struct kt_col_set *set,
			       const uint32_t idx[2]);
const struct kt_rrow *kt_rec_row(const struct kt_rec *r,
				 const struct kt_col_set *set,
				 const uint32_t idx[2]);
/* Sets a cell: a number, or a copy of @str (NULL: unknown). -1: no memory. */
int kt_rcell_set(struct kt_rcell *cell, uint64_t num, const char *str);

/* The rows of @set (a per-VM set: the VMs; kvmtopVmTable lists them). */
static inline const struct kt_rtable *kt_rec_table(const struct kt_rec *r,
						   const struct kt_col_set *set)
{
	return &r->t[kt_rec_set_pos(set)];
}
/* The device rows of VM @vm in device set @set: [*first, *first + n). */
size_t kt_rec_devs(const struct kt_rec *r, const struct kt_col_set *set,
		   uint32_t vm, size_t *first);

/*
 * The value of column @c (of @set) in @row, as kt_col_get() gives it from
 * a snapshot row: false when it is not there.  @row may be NULL.
 */
bool kt_rec_get(const struct kt_col_set *set, const struct kt_rrow *row,
		const struct kt_col *c, struct kt_cell *out);
/* The same for the VM with index @vm in a per-VM set or the scalars. */
bool kt_rec_vm_get(const struct kt_rec *r, const struct kt_col_set *set,
		   uint32_t vm, unsigned subid, struct kt_cell *out);

/* A host /proc/meminfo value by name ("MemTotal"), from kvmtopHostMemTable. */
bool kt_rec_meminfo(const struct kt_rec *r, const char *name, uint64_t *v);

/*
 * Fills @r from snapshot @s: the wanted columns of every set; @agent
 * describes the kvmtopAgent scalars (its snap is @s).
 */
int kt_rec_from_snapshot(struct kt_rec *r, const struct kt_snapshot *s,
			 const struct kt_agent_view *agent,
			 const struct kt_want *w);

#endif
