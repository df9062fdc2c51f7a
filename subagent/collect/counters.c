/*
 * Counters that never go backwards: the sets of raw values and totals of
 * counters.h, and one set per device of a VM.
 *
 * The rule is the one the CPU times follow per thread (vm_sample.c): each
 * sample adds what a counter grew by, or all of its value when it went
 * down, because a counter that went down was restarted and everything it
 * shows was counted since.  (A source restarted between two samples that
 * then counted past its old value is taken for plain growth: a little is
 * lost, nothing goes backwards.)
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collect/counters.h"
#include "sorted.h"

void kt_counters_advance(struct kt_counter_set *s, const uint64_t *raw,
			 size_t n, uint32_t reported)
{
	size_t i;

	for (i = 0; i < n && i < KT_COUNTERS_MAX; i++) {
		uint32_t bit = 1u << i;

		if ((reported & bit) == 0)
			continue;
		s->acc[i] += kt_counter_growth(
			raw[i], (s->seen & bit) != 0 ? &s->last[i] : NULL);
		s->last[i] = raw[i];
		s->seen |= bit;
	}
}

void kt_counters_restart(struct kt_counter_set *s)
{
	s->seen = 0;
}

static int cmp_dev_index(const void *key, const void *dev)
{
	return kt_cmp_u32(*(const uint32_t *)key,
			  ((const struct kt_dev_counter *)dev)->index);
}

static size_t dev_pos(const struct kt_dev_counters *d, uint32_t index)
{
	return kt_lower_bound(&index, d->v, d->n, sizeof(*d->v), cmp_dev_index);
}

struct kt_counter_set *kt_dev_counters_get(struct kt_dev_counters *d,
					   uint32_t index)
{
	size_t pos = dev_pos(d, index);
	struct kt_dev_counter *v;

	if (pos == d->n || d->v[pos].index != index) {
		v = realloc(d->v, (d->n + 1) * sizeof(*v));
		if (v == NULL)
			return NULL;
		d->v = v;
		memmove(v + pos + 1, v + pos, (d->n - pos) * sizeof(*v));
		d->n++;
		memset(&v[pos], 0, sizeof(v[pos]));
		v[pos].index = index;
	}
	d->v[pos].listed = true;
	return &d->v[pos].c;
}

void kt_dev_counters_sweep(struct kt_dev_counters *d)
{
	size_t i, j, kept = 0;

	for (i = 0; i < d->n; i++) {
		struct kt_dev_counter *e = &d->v[i];

		if (d->gone == NULL && !e->listed)
			d->gone = calloc(KT_COUNTERS_MAX, sizeof(*d->gone));
		/* Out of memory for the totals: the set stays till later. */
		if (!e->listed && d->gone != NULL) {
			for (j = 0; j < KT_COUNTERS_MAX; j++)
				d->gone[j] += e->c.acc[j];
			continue;
		}
		e->listed = false;
		d->v[kept++] = *e;
	}
	d->n = kept;
}

void kt_dev_counters_sum(const struct kt_dev_counters *d, uint64_t *sum,
			 size_t n)
{
	size_t i, j;

	for (j = 0; j < n && j < KT_COUNTERS_MAX; j++)
		sum[j] = d->gone != NULL ? d->gone[j] : 0;
	for (i = 0; i < d->n; i++)
		for (j = 0; j < n && j < KT_COUNTERS_MAX; j++)
			sum[j] += d->v[i].c.acc[j];
}

void kt_dev_counters_free(struct kt_dev_counters *d)
{
	free(d->v);
	free(d->gone);
	memset(d, 0, sizeof(*d));
}
