/*
 * The stream printers of kvmtop-live: a record as one JSON line, or as
 * kvmtop's text table (a header, one tab-separated line per VM, an empty
 * line).  Cells are written by print/cells.c, as --print writes them.
 */
#ifndef KT_LIVE_REC_PRINT_H
#define KT_LIVE_REC_PRINT_H

#include <stdio.h>

#include "live/rec.h"

/* The columns the printers write for @collectors (KT_COLLECT_* bits). */
void kt_rec_print_want(unsigned collectors, struct kt_want *w);

/* 0, or -1 when writing to @out failed. */
int kt_rec_print_json(FILE *out, const struct kt_rec *r, const char *source,
		      unsigned collectors);
int kt_rec_print_text(FILE *out, const struct kt_rec *r, unsigned collectors);

#endif
