/*
 * Helpers for the SNMP handler tests: expected OIDs are written in the
 * tests as dotted strings, so the OID layout is checked independently of
 * the code's own macros; expected cells are (OID, type, value) rows.
 */
#ifndef KT_OID_TEST_H
#define KT_OID_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/* "1.3.6" -> { 1, 3, 6 }; "" -> no sub-ids.  Aborts on a typo in the test. */
static inline size_t parse_oid(const char *s, oid *out)
{
	size_t n = 0;
	char *end;

	while (*s != '\0') {
		if (n == MAX_OID_LEN)
			abort();
		out[n++] = (oid)strtoull(s, &end, 10);
		if (end == s || (*end != '.' && *end != '\0'))
			abort();
		s = *end == '.' ? end + 1 : end;
	}
	return n;
}

static inline const char *fmt_oid(const oid *o, size_t len, char *buf,
				  size_t size)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < len && at < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%lu",
				       i == 0 ? "" : ".", (unsigned long)o[i]);
	return buf;
}

static inline bool same_oid(const oid *a, size_t alen, const char *want)
{
	oid w[MAX_OID_LEN];
	size_t wlen = parse_oid(want, w);

	return snmp_oid_compare(a, alen, w, wlen) == 0;
}

/* One expected cell of a table: its OID, type and value. */
struct cell {
	const char *oid;
	u_char type;
	uint64_t num;	 /* the value, or the lower bound when max != 0 */
	const char *str; /* for ASN_OCTET_STR */
	uint64_t max;	 /* != 0: any value in [num, max] is right */
};

#define S(o, s) { .oid = (o), .type = ASN_OCTET_STR, .str = (s) }
#define I(o, n) { .oid = (o), .type = ASN_INTEGER, .num = (n) }
#define U(o, n) { .oid = (o), .type = ASN_UNSIGNED, .num = (n) }
#define G(o, n) { .oid = (o), .type = ASN_GAUGE, .num = (n) }
#define C(o, n) { .oid = (o), .type = ASN_COUNTER64, .num = (n) }
#define GR(o, lo, hi) { .oid = (o), .type = ASN_GAUGE, .num = (lo), .max = (hi) }

#endif
