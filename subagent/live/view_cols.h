/*
 * The columns of the live view (live/view.c): which descriptor of
 * columns.h each shows, under which collector, and how a cell reads:
 * the value itself, or its growth per second between two refreshes of
 * the source (a counter shown as a rate).  Private to live/.
 */
#ifndef KT_LIVE_VIEW_COLS_H
#define KT_LIVE_VIEW_COLS_H

#include <stdbool.h>
#include <stddef.h>

#include "live/rec.h"

struct kt_vcol {
	const struct kt_col_set *set;
	unsigned subid;
	unsigned collector; /* KT_COLLECT_* bit; 0: always */
	bool rate;	    /* a counter, shown per second */
	bool steal;	    /* emphasised */
};

extern const struct kt_vcol kt_view_list_cols[];
extern const size_t kt_view_n_list_cols;

/*
 * What the view fetches: the names, the columns of kt_view_list_cols
 * under @collectors, the host header's values, and with @detail_vm (not
 * 0) the devices of that VM.
 */
void kt_view_want(unsigned collectors, uint32_t detail_vm, struct kt_want *w);

/* The title of a view column: kvmtop's name, "/s" after a rate. */
const char *kt_vcol_title(const struct kt_vcol *v, char *buf, size_t len);
/* The descriptor of a view column. */
static inline const struct kt_col *kt_vcol_col(const struct kt_vcol *v)
{
	return kt_col_known(v->set, v->subid);
}

/*
 * The value of view column @v for VM @vm as a double for sorting and as
 * text in @buf; false when there is none.  @base is the record before
 * @cur (rates need it; NULL: no rate yet).
 */
bool kt_vcol_value(const struct kt_vcol *v, const struct kt_rec *cur,
		   const struct kt_rec *base, uint32_t vm, double *num,
		   char *buf, size_t len);

/* A cell of a device row in the detail view, as text. */
void kt_vcol_cell_text(const struct kt_col_set *set, const struct kt_rrow *row,
		       const struct kt_col *c, char *buf, size_t len);

#endif
