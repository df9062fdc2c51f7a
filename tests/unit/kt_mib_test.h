/*
 * The checks of the SNMP handler tests (test_mib_handlers.c,
 * test_mib_devices.c, test_mib_host.c): a GET that must answer a cell of
 * kt_oid_test.h or nothing, a GETNEXT, and walks that must give exactly a
 * list of cells.  Each check is one TAP line named after its OID; @label,
 * when not NULL, goes in front ("label: ...").  A failed check prints what
 * the handler gave instead.
 */
#ifndef KT_MIB_TEST_H
#define KT_MIB_TEST_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kt_oid_test.h"
#include "kt_test.h"
#include "mib/tables.h"

/* A check's description: "@label: " and @fmt's text, cut to @size. */
static inline const char *mib_what(char *buf, size_t size, const char *label,
				   const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline const char *mib_what(char *buf, size_t size, const char *label,
				   const char *fmt, ...)
{
	size_t at = 0;
	va_list ap;

	buf[0] = '\0';
	if (label != NULL)
		at = (size_t)snprintf(buf, size, "%s: ", label);
	if (at < size) {
		va_start(ap, fmt);
		vsnprintf(buf + at, size - at, fmt, ap);
		va_end(ap);
	}
	return buf;
}

/* Prints what a handler answered, after a failed check. */
static inline void mib_print_got(const struct kt_value *v)
{
	if (v->type == ASN_OCTET_STR)
		printf("#   got type 0x%02x \"%.*s\" (%zu octets)\n", v->type,
		       (int)v->len, v->str != NULL ? v->str : "", v->len);
	else
		printf("#   got type 0x%02x value %" PRIu64 "\n", v->type,
		       v->num);
}

/* One check: @v has the type and value of @c (in its range, if it has one). */
static inline void check_value(const struct kt_value *v, const struct cell *c,
			       const char *label)
{
	char what[512];
	bool ok = c->type == v->type;

	if (ok && c->type == ASN_OCTET_STR)
		ok = v->len == strlen(c->str) &&
		     memcmp(v->str, c->str, v->len) == 0;
	else if (ok && c->max != 0)
		ok = v->num >= c->num && v->num <= c->max;
	else if (ok)
		ok = v->num == c->num;
	if (c->type == ASN_OCTET_STR)
		mib_what(what, sizeof(what), label,
			 "%s is the string \"%.60s\"", c->oid, c->str);
	else if (c->max != 0)
		mib_what(what, sizeof(what), label,
			 "%s has type 0x%02x and a value in %" PRIu64
			 "..%" PRIu64,
			 c->oid, c->type, c->num, c->max);
	else
		mib_what(what, sizeof(what), label,
			 "%s has type 0x%02x value %" PRIu64, c->oid, c->type,
			 c->num);
	if (!KT_CHECK(ok, what))
		mib_print_got(v);
}

/* GET of @c's OID answers, with @c's value: two checks. */
static inline void check_get(const struct kt_mib_ctx *ctx, const struct cell *c,
			     const char *label)
{
	oid name[MAX_OID_LEN];
	size_t len = parse_oid(c->oid, name);
	struct kt_value v;
	char what[512];

	memset(&v, 0, sizeof(v));
	mib_what(what, sizeof(what), label, "GET %s has an instance", c->oid);
	if (KT_CHECK(kt_mib_get(ctx, name, len, &v), what))
		check_value(&v, c, label);
}

/* GET of @o answers nothing. */
static inline void check_absent(const struct kt_mib_ctx *ctx, const char *o,
				const char *label)
{
	oid name[MAX_OID_LEN];
	size_t len = parse_oid(o, name);
	struct kt_value v;
	char what[512];

	memset(&v, 0, sizeof(v));
	mib_what(what, sizeof(what), label, "GET %s has no instance", o);
	if (!KT_CHECK(!kt_mib_get(ctx, name, len, &v), what))
		mib_print_got(&v);
}

/* The cell of @cells with OID @o, or NULL. */
static inline const struct cell *find_cell(const struct cell *cells, size_t n,
					   const oid *o, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (same_oid(o, len, cells[i].oid))
			return &cells[i];
	return NULL;
}

/*
 * GETNEXT of @from is @to (NULL: nothing, the end of the MIB); when @to is
 * one of @cells (may be NULL), its value is checked too.
 */
static inline void check_next(const struct kt_mib_ctx *ctx, const char *from,
			      const char *to, const struct cell *cells,
			      size_t n, const char *label)
{
	oid name[MAX_OID_LEN], next[MAX_OID_LEN];
	size_t len = parse_oid(from, name), next_len = 0;
	const struct cell *c;
	struct kt_value v;
	char what[512], buf[512];
	bool found;

	memset(&v, 0, sizeof(v));
	found = kt_mib_next(ctx, name, len, next, &next_len, &v);
	mib_what(what, sizeof(what), label, "GETNEXT %s is %s", from,
		 to != NULL ? to : "the end of the MIB");
	if (to == NULL) {
		if (!KT_CHECK(!found, what))
			printf("#   got %s\n",
			       fmt_oid(next, next_len, buf, sizeof(buf)));
		return;
	}
	if (!KT_CHECK(found && same_oid(next, next_len, to), what)) {
		printf("#   got %s\n",
		       found ? fmt_oid(next, next_len, buf, sizeof(buf))
			     : "nothing");
		return;
	}
	if ((c = find_cell(cells, n, next, next_len)) != NULL)
		check_value(&v, c, label);
}

/*
 * GETNEXT from @start, again and again, gives exactly @want in order, each
 * with its value: a check of each OID and of each value.  Returns false
 * after the first wrong OID (everything after would fail the same way);
 * else the last OID reached is in @cur.
 */
static inline bool walk_steps(const struct kt_mib_ctx *ctx, const char *start,
			      const struct cell *want, size_t n,
			      const char *label, oid *cur, size_t *cur_len)
{
	oid next[MAX_OID_LEN];
	size_t next_len, i;
	char what[512], buf[512];
	struct kt_value v;
	bool found;

	*cur_len = parse_oid(start, cur);
	for (i = 0; i < n; i++) {
		memset(&v, 0, sizeof(v));
		next_len = 0;
		found = kt_mib_next(ctx, cur, *cur_len, next, &next_len, &v);
		mib_what(what, sizeof(what), label,
			 "walk from %s, step %zu is %s", start, i + 1,
			 want[i].oid);
		if (!KT_CHECK(found && same_oid(next, next_len, want[i].oid),
			      what)) {
			printf("#   got %s\n",
			       found ? fmt_oid(next, next_len, buf, sizeof(buf))
				     : "the end of the MIB");
			return false;
		}
		check_value(&v, &want[i], label);
		memcpy(cur, next, next_len * sizeof(oid));
		*cur_len = next_len;
	}
	return true;
}

/* GETNEXT after @cur (where a walk from @start ended) answers nothing. */
static inline void check_walk_end(const struct kt_mib_ctx *ctx, const oid *cur,
				  size_t cur_len, const char *start,
				  const char *last, const char *label)
{
	oid next[MAX_OID_LEN];
	size_t next_len = 0;
	char what[512], buf[512];
	struct kt_value v;

	mib_what(what, sizeof(what), label, "walk from %s ends after %s", start,
		 last);
	if (!KT_CHECK(!kt_mib_next(ctx, cur, cur_len, next, &next_len, &v),
		      what))
		printf("#   got %s\n",
		       fmt_oid(next, next_len, buf, sizeof(buf)));
}

/* The walk of @want from @start, then the end of the MIB. */
static inline void check_walk(const struct kt_mib_ctx *ctx, const char *start,
			      const struct cell *want, size_t n,
			      const char *label)
{
	oid cur[MAX_OID_LEN];
	size_t cur_len;

	if (walk_steps(ctx, start, want, n, label, cur, &cur_len))
		check_walk_end(ctx, cur, cur_len, start,
			       n > 0 ? want[n - 1].oid : start, label);
}

#endif
