/*
 * Lookups in sorted arrays: the agent's one binary search, for the arrays
 * it keeps sorted by a key (VMs and trackers by index, caches by UUID,
 * threads by TID, records by their index).
 *
 * @cmp compares a key with an element, key first as bsearch() does, and
 * the array is sorted for it: along the array, cmp(key, element) is first
 * > 0 (elements below the key), then 0 (equal), then < 0 (above).
 * Inline so that a search with a constant @cmp costs no call per step.
 */
#ifndef KT_SORTED_H
#define KT_SORTED_H

#include <stddef.h>
#include <stdint.h>

typedef int (*kt_key_cmp)(const void *key, const void *element);

/*
 * The position of the first of the @n elements of @size bytes at @base
 * that is not below @key: where @key is, or where it would be inserted to
 * keep the array sorted; @n when every element is below it.  With a @cmp
 * that never says "equal" (> 0 for elements at or below the key) it is
 * the first element above the key.
 */
static inline size_t kt_lower_bound(const void *key, const void *base, size_t n,
				    size_t size, kt_key_cmp cmp)
{
	const char *p = base;
	size_t lo = 0, hi = n;

	/* Invariant: elements before lo are below @key, from hi on not. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp(key, p + mid * size) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first element equal to @key, or NULL when there is none. */
static inline const void *kt_sorted_find(const void *key, const void *base,
					 size_t n, size_t size, kt_key_cmp cmp)
{
	size_t i = kt_lower_bound(key, base, n, size, cmp);
	const char *e;

	if (i == n) /* also keeps a NULL @base of 0 elements untouched */
		return NULL;
	e = (const char *)base + i * size;
	return cmp(key, e) == 0 ? e : NULL;
}

/* -1, 0 or 1 as @a is below, equal to or above @b: for @cmp functions. */
static inline int kt_cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

#endif
