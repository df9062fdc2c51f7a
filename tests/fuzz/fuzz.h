/*
 * What the libFuzzer harnesses of tests/fuzz share: exactly-sized heap
 * copies of the input (so that ASan reports a parser reading one byte past
 * its length), a check that aborts (libFuzzer then saves the input as a
 * crash), and the walk over the lines of an input that the line parsers'
 * callers do.  Built only with configure --enable-fuzzer; bench/fuzz.sh runs
 * the harnesses.
 */
#ifndef KT_FUZZ_H
#define KT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer's entry points (prototypes for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * A broken promise of a parser's header comment: a crash for libFuzzer,
 * which saves the input.  Sanitizers catch memory errors; this catches
 * wrong answers that are cheap to recognise.
 */
#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

/*
 * A heap copy of @len bytes and not one more: no NUL after it, so that a
 * parser which reads past @len (or relies on a terminator the real caller
 * happens to add) reads outside the allocation.  malloc(0) under ASan gives
 * a chunk where every byte is out of bounds, which is what an empty input
 * should be.
 */
static inline char *fuzz_copy(const void *data, size_t len)
{
	char *p = malloc(len);

	if (p == NULL && len != 0)
		abort();
	if (len != 0)
		memcpy(p, data, len);
	return p;
}

/* The same with a NUL after the @len bytes, for C-string consumers. */
static inline char *fuzz_strdup(const void *data, size_t len)
{
	char *p = malloc(len + 1);

	if (p == NULL)
		abort();
	memcpy(p, data, len);
	p[len] = '\0';
	return p;
}

/* Whether @n bytes at @p are all zero (an out-parameter after a reset). */
static inline int fuzz_all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

/*
 * Calls @fn on each line of [data, data + size) without its newline, each
 * in an exactly-sized copy of its own: how the host collector hands the
 * lines of /proc/diskstats and /proc/net/dev to their parsers.
 */
static inline void fuzz_each_line(const uint8_t *data, size_t size,
				  void (*fn)(const char *line, size_t len))
{
	const uint8_t *p = data, *end = data + size, *nl;
	char *copy;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		copy = fuzz_copy(p, (size_t)(nl - p));
		fn(copy, (size_t)(nl - p));
		free(copy);
		p = nl + 1;
	}
}

#endif
