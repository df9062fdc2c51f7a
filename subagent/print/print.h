/*
 * The printers of --print: a snapshot as kvmtop-style text columns or as
 * JSON.  They read only the snapshot, like the SNMP handlers do.
 *
 * Both return 0, or -1 when writing to @out failed (they fflush it).
 * @collectors (KT_COLLECT_* bits) says which column groups to print.
 */
#ifndef KT_PRINT_H
#define KT_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "columns.h"
#include "print/jsonw.h"
#include "snapshot.h"

int kt_print_text(FILE *out, const struct kt_snapshot *s, unsigned collectors);
int kt_print_json(FILE *out, const struct kt_snapshot *s, unsigned collectors);

/*
 * The cells of the text printers (this one and print/host_print.c): a tab
 * before each but the @first of a line, "-" for what is unavailable.
 * kt_text_centi() prints hundredths with two decimals (3750 -> 37.50);
 * kt_text_name() prints "-" for NULL or "", else the name as clip.h shows
 * it (at most 255 octets, a control or bidirectional formatting character
 * or a byte that is not UTF-8 as "?"), which keeps the columns intact.
 */
void kt_text_u64(FILE *out, bool first, bool available, uint64_t v);
void kt_text_centi(FILE *out, bool first, bool available, uint32_t centi);
void kt_text_name(FILE *out, bool first, const char *name);

/* The RFC 7666 name of a state ("running", "shutdown", ...). */
const char *kt_print_state_name(enum kt_vm_state state);

/*
 * Column @c of @row (NULL: a row that is not there) in the column's format
 * (print/cells.c): kt_text_col() as a text cell, kt_json_col() as a member
 * under the column's JSON key.  kt_text_cols() and kt_text_headers() write
 * every column of @set that kvmtop names (kt_col.kvmtop), in MIB order;
 * kt_json_cols() every column of @set with a JSON key, in MIB order or in
 * the order of the @n sub-identifiers of @order.
 */
void kt_text_col(FILE *out, bool first, const struct kt_col *c,
		 const void *row);
void kt_text_cols(FILE *out, bool first, const struct kt_col_set *set,
		  const void *row);
void kt_text_headers(FILE *out, bool first, const struct kt_col_set *set);
void kt_json_col(struct kt_jw *w, const struct kt_col *c, const void *row);
void kt_json_cols(struct kt_jw *w, const struct kt_col_set *set,
		  const void *row, const uint8_t *order, size_t n);

/*
 * The same for a value already read (@ok false: not there), wherever it
 * came from (a snapshot row, or a record of live/rec.h).
 */
void kt_text_cell(FILE *out, bool first, const struct kt_col *c, bool ok,
		  const struct kt_cell *v);
void kt_json_cell(struct kt_jw *w, const struct kt_col *c, bool ok,
		  const struct kt_cell *v);

#endif
