/*
 * The sorted-array look-ups (subagent/sorted.h): kt_lower_bound() and
 * kt_sorted_find() on the edge cases written out by hand (no elements,
 * every element below or above the key, duplicates, exact hits, keys
 * between elements, string keys, a compare that never says "equal"), then
 * against a linear scan on every key of many small arrays.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kt_test.h"
#include "sorted.h"

/* Rows as the agent keeps them: a key and something beside it. */
struct row {
	uint32_t index;
	int tag;
};

static int cmp_index(const void *key, const void *row)
{
	return kt_cmp_u32(*(const uint32_t *)key,
			  ((const struct row *)row)->index);
}

/* "Below or equal" counts as below: the first element above the key. */
static int cmp_after(const void *key, const void *row)
{
	return ((const struct row *)row)->index <= *(const uint32_t *)key ? 1
									  : -1;
}

static size_t lb(const struct row *v, size_t n, uint32_t key)
{
	return kt_lower_bound(&key, v, n, sizeof(*v), cmp_index);
}

static const struct row *find(const struct row *v, size_t n, uint32_t key)
{
	return kt_sorted_find(&key, v, n, sizeof(*v), cmp_index);
}

static void test_empty(void)
{
	uint32_t key = 7;

	KT_EQ_U64(lb(NULL, 0, 7), 0, "empty: lower bound is 0");
	KT_CHECK(find(NULL, 0, 7) == NULL, "empty: nothing found");
	KT_EQ_U64(kt_lower_bound(&key, NULL, 0, sizeof(struct row), cmp_after),
		  0, "empty: nothing after the key either");
}

/* 10 20 20 20 30 40 */
static const struct row dups[] = {
	{ 10, 0 }, { 20, 1 }, { 20, 2 }, { 20, 3 }, { 30, 4 }, { 40, 5 },
};

static void test_bounds(void)
{
	const struct row *r;

	KT_EQ_U64(lb(dups, N_OF(dups), 1), 0, "all greater: position 0");
	KT_CHECK(find(dups, N_OF(dups), 1) == NULL, "all greater: not found");
	KT_EQ_U64(lb(dups, N_OF(dups), 41), 6, "all less: position n");
	KT_CHECK(find(dups, N_OF(dups), 41) == NULL, "all less: not found");
	KT_EQ_U64(lb(dups, N_OF(dups), UINT32_MAX), 6,
		  "all less than UINT32_MAX: position n");
	KT_EQ_U64(lb(dups, N_OF(dups), 10), 0, "exact hit, first element");
	KT_EQ_U64(lb(dups, N_OF(dups), 40), 5, "exact hit, last element");
	KT_EQ_U64(lb(dups, N_OF(dups), 30), 4, "exact hit after duplicates");
	KT_EQ_U64(lb(dups, N_OF(dups), 20), 1, "duplicates: the first of them");
	KT_EQ_U64(lb(dups, N_OF(dups), 15), 1, "between 10 and 20: position 1");
	KT_EQ_U64(lb(dups, N_OF(dups), 35), 5, "between 30 and 40: position 5");
	r = find(dups, N_OF(dups), 20);
	KT_EQ_INT(r != NULL ? r->tag : -1, 1, "find of a duplicate: the first");
	r = find(dups, N_OF(dups), 40);
	KT_EQ_INT(r != NULL ? r->tag : -1, 5, "find of the last element");
	KT_CHECK(find(dups, N_OF(dups), 25) == NULL, "find between: NULL");
	KT_EQ_U64(lb(dups, 1, 10), 0, "one element, hit");
	KT_EQ_U64(lb(dups, 1, 11), 1, "one element, key above it");
	KT_EQ_U64(lb(dups + 1, 3, 20), 0, "only duplicates: position 0");
	KT_EQ_U64(lb(dups + 1, 3, 21), 3, "only duplicates, key above: n");
}

static void test_after(void)
{
	uint32_t key = 20;

	KT_EQ_U64(kt_lower_bound(&key, dups, N_OF(dups), sizeof(*dups),
				 cmp_after),
		  4, "never equal: the first element after the duplicates");
	key = 5;
	KT_EQ_U64(kt_lower_bound(&key, dups, N_OF(dups), sizeof(*dups),
				 cmp_after),
		  0, "never equal: all after the key");
	key = 40;
	KT_EQ_U64(kt_lower_bound(&key, dups, N_OF(dups), sizeof(*dups),
				 cmp_after),
		  6, "never equal: none after the key");
}

static int cmp_str(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static void test_strings(void)
{
	static const char *const uuids[] = { "0a", "1b", "1c", "ff" };
	const char *const *hit;

	KT_EQ_U64(kt_lower_bound("1c", uuids, N_OF(uuids), sizeof(*uuids),
				 cmp_str),
		  2, "strings: exact hit");
	KT_EQ_U64(kt_lower_bound("1bb", uuids, N_OF(uuids), sizeof(*uuids),
				 cmp_str),
		  2, "strings: between two");
	KT_EQ_U64(kt_lower_bound("g", uuids, N_OF(uuids), sizeof(*uuids),
				 cmp_str),
		  4, "strings: above all");
	hit = kt_sorted_find("0a", uuids, N_OF(uuids), sizeof(*uuids), cmp_str);
	KT_CHECK(hit == &uuids[0], "strings: found the first");
}

/* The first position whose index is not below @key, the slow way. */
static size_t linear(const struct row *v, size_t n, uint32_t key)
{
	size_t i = 0;

	while (i < n && v[i].index < key)
		i++;
	return i;
}

/* Whether the look-ups agree with linear() on every key 0..@n + 2. */
static bool agree(const struct row *v, size_t n)
{
	uint32_t key;
	size_t want;

	for (key = 0; key <= n + 2; key++) {
		want = linear(v, n, key);
		if (lb(v, n, key) != want ||
		    find(v, n, key) != (want < n && v[want].index == key
						? &v[want]
						: NULL))
			return false;
	}
	return true;
}

/*
 * Every ascending array of up to 10 rows starting at 1: bit i of @steps
 * says whether row i is one above row i - 1 or equal to it.
 */
static void test_exhaustive(void)
{
	struct row v[10];
	unsigned wrong = 0, arrays = 0, steps;
	size_t n, i;

	for (n = 0; n <= N_OF(v); n++)
		for (steps = 0; steps < (1u << n); steps += 2) {
			for (i = 0; i < n; i++)
				v[i].index =
					i == 0 ? 1
					       : v[i - 1].index +
							 ((steps >> i) & 1);
			arrays++;
			if (!agree(v, n))
				wrong++;
		}
	printf("# %u arrays\n", arrays);
	KT_EQ_U64(wrong, 0, "every small array: as a linear scan finds");
}

int main(void)
{
	test_empty();
	test_bounds();
	test_after();
	test_strings();
	test_exhaustive();
	return kt_test_done();
}
