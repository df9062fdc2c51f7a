/*
 * The JSON writer that both --print JSON printers use (print/json.c for the
 * agent and the VMs, print/host_print.c for the host): it places commas,
 * newlines and two-space indentation, so that a printer only names members.
 *
 * A document starts with a writer { out, 0, true, false } and kt_jw_open(w, NULL,
 * '{'); the opening brace of the top level stands alone, everything inside
 * goes on its own line, indented two spaces a level.  A @key of NULL is an
 * array element.  Unavailable values print as null, never as a made-up 0.
 */
#ifndef KT_JSONW_H
#define KT_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct kt_jw {
	FILE *out;
	int depth;    /* open objects and arrays */
	bool first;   /* nothing written yet in the current object or array */
	bool compact; /* one line, no spaces: a JSON lines record */
};

/* Opens an object ('{') or an array ('['); kt_jw_close() with '}' or ']'. */
void kt_jw_open(struct kt_jw *w, const char *key, char brace);
void kt_jw_close(struct kt_jw *w, char brace);

void kt_jw_u64(struct kt_jw *w, const char *key, bool available, uint64_t v);
void kt_jw_i64(struct kt_jw *w, const char *key, int64_t v);
/* Hundredths as a decimal with two places, exactly: 3750 -> 37.50. */
void kt_jw_centi(struct kt_jw *w, const char *key, bool available,
		 uint32_t centi);
void kt_jw_bool(struct kt_jw *w, const char *key, bool v);
/* A string; NULL is null, "" stays "". */
void kt_jw_str(struct kt_jw *w, const char *key, const char *s);
/* A string where "" means unknown: NULL and "" are null. */
void kt_jw_str_known(struct kt_jw *w, const char *key, const char *s);

#endif
