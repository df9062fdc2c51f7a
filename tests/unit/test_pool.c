/*
 * The region of a snapshot's rows (subagent/pool.c): every piece zeroed,
 * aligned and distinct from every other, across the blocks the region
 * grows by and for pieces larger than a block; the NULL region is malloc.
 * The sanitizer build checks that freeing the region frees it all.
 */
#include "config.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

#include "kt_test.h"

#define PIECES 20000

static bool all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

int main(void)
{
	static unsigned char *piece[PIECES];
	static size_t len[PIECES];
	struct kt_pool *p = kt_pool_new();
	bool zeroed = true, aligned = true, intact = true;
	size_t i, total = 0;
	char *s;
	void *v;

	KT_CHECK(p != NULL, "a region");
	if (p == NULL)
		return kt_test_done();
	KT_EQ_U64(kt_pool_used(p), 0, "nothing handed out yet");

	/* 20000 pieces of 1..300 bytes: about 3 MB, several blocks. */
	for (i = 0; i < PIECES; i++) {
		len[i] = 1 + (i * 7919) % 300;
		piece[i] = kt_pool_calloc(p, len[i], 1);
		if (piece[i] == NULL) {
			printf("Bail out! out of memory\n");
			return 1;
		}
		zeroed = zeroed && all_zero(piece[i], len[i]);
		aligned = aligned &&
			  (uintptr_t)piece[i] % alignof(max_align_t) == 0;
		memset(piece[i], (int)(i % 251) + 1, len[i]);
		total += len[i];
	}
	KT_CHECK(zeroed, "every piece comes zeroed");
	KT_CHECK(aligned, "every piece is aligned for any type");
	for (i = 0; i < PIECES; i++) {
		size_t j;

		for (j = 0; j < len[i]; j++)
			intact = intact && piece[i][j] == (i % 251) + 1;
	}
	KT_CHECK(intact, "no piece overlaps another (each kept its bytes)");
	KT_CHECK(kt_pool_used(p) >= total &&
			 kt_pool_used(p) <= total + PIECES * alignof(max_align_t),
		 "used: what was asked for, rounded to the alignment");

	/* Larger than any block: one of its own. */
	v = kt_pool_calloc(p, 5, 1024 * 1024);
	KT_CHECK(v != NULL && all_zero(v, 5 * 1024 * 1024),
		 "a 5 MB piece, zeroed");
	KT_CHECK(kt_pool_calloc(p, 3, sizeof(uint64_t)) != NULL,
		 "small pieces go on after it");

	KT_CHECK(kt_pool_calloc(p, 0, 8) == NULL, "0 elements: NULL");
	KT_CHECK(kt_pool_calloc(p, SIZE_MAX / 2, 4) == NULL,
		 "a size that overflows: NULL");

	s = kt_pool_strdup(p, "vm-0042");
	KT_EQ_STR(s, "vm-0042", "strdup into the region");
	s = kt_pool_strdup(p, "");
	KT_EQ_STR(s, "", "an empty string");
	kt_pool_free(p);
	kt_pool_free(NULL); /* nothing */

	/* No region: malloc's, for the caller to free. */
	v = kt_pool_calloc(NULL, 4, 16);
	KT_CHECK(v != NULL && all_zero(v, 64), "no region: calloc");
	free(v);
	s = kt_pool_strdup(NULL, "vnet0");
	KT_EQ_STR(s, "vnet0", "no region: strdup");
	free(s);
	return kt_test_done();
}
