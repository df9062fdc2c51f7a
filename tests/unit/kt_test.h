/*
 * A minimal TAP test helper: each check prints "ok N - what" or
 * "not ok N - what", kt_test_done() prints the plan and returns the exit code.
 */
#ifndef KT_TEST_H
#define KT_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared_str.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int kt_test_count;
static int kt_test_failed;

static inline int kt_test_report(int ok, const char *file, int line,
				 const char *what)
{
	kt_test_count++;
	if (!ok)
		kt_test_failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", kt_test_count, what);
	if (!ok)
		printf("# failed at %s:%d\n", file, line);
	return ok;
}

#define KT_CHECK(cond, what) \
	kt_test_report(!!(cond), __FILE__, __LINE__, (what))

#define KT_EQ_U64(got, want, what)                                            \
	do {                                                                  \
		uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);         \
		if (!kt_test_report(g_ == w_, __FILE__, __LINE__, (what)))    \
			printf("#   got %" PRIu64 ", want %" PRIu64 "\n", g_, \
			       w_);                                           \
	} while (0)

#define KT_EQ_INT(got, want, what)                                         \
	do {                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);   \
		if (!kt_test_report(g_ == w_, __FILE__, __LINE__, (what))) \
			printf("#   got %lld, want %lld\n", g_, w_);       \
	} while (0)

#define KT_EQ_STR(got, want, what)                                         \
	do {                                                               \
		const char *g_ = (got), *w_ = (want);                      \
		int ok_ = g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0; \
		if (!kt_test_report(ok_, __FILE__, __LINE__, (what)))      \
			printf("#   got \"%s\", want \"%s\"\n",            \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");    \
	} while (0)

/* Allocations a test cannot go on without: out of memory bails out. */
static inline void *kt_test_alloc_ok(void *p)
{
	if (p == NULL) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	return p;
}

/* calloc() that never returns NULL, not even for 0 elements. */
static inline void *xcalloc(size_t n, size_t size)
{
	return kt_test_alloc_ok(calloc(n != 0 ? n : 1, size));
}

static inline char *xstrdup(const char *s)
{
	return kt_test_alloc_ok(strdup(s));
}

/* A shared string (shared_str.h), as device rows hold their strings. */
static inline const char *xshared(const char *s)
{
	return kt_test_alloc_ok((void *)(uintptr_t)kt_str_new(s));
}

static inline int kt_test_done(void)
{
	printf("1..%d\n", kt_test_count);
	return kt_test_failed == 0 ? 0 : 1;
}

#endif
