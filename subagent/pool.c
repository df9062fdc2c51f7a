/*
 * The region: a list of blocks, the newest first, each filled from its
 * start.  A request that does not fit the newest block starts a new one,
 * twice as big as the last (up to a limit), or one of its own when it is
 * larger than that; what was left in the older block stays unused.
 */
#include "config.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

/* Above malloc's mmap threshold (collector.c): mapped, unmapped on free. */
#define KT_POOL_FIRST (256 * 1024)
#define KT_POOL_MAX (4 * 1024 * 1024)
#define KT_POOL_ALIGN alignof(max_align_t)

struct pool_block {
	struct pool_block *next;
	size_t size, used; /* bytes of data[] */
	alignas(max_align_t) unsigned char data[];
};

struct kt_pool {
	struct pool_block *head;
	size_t next_size; /* of the next block */
	size_t used;	  /* handed out, over all blocks */
};

struct kt_pool *kt_pool_new(void)
{
	struct kt_pool *p = calloc(1, sizeof(*p));

	if (p != NULL)
		p->next_size = KT_POOL_FIRST;
	return p;
}

static size_t round_up(size_t n)
{
	return (n + KT_POOL_ALIGN - 1) & ~(size_t)(KT_POOL_ALIGN - 1);
}

/* A new block with room for @need bytes at least; 0, or -1: no memory. */
static int add_block(struct kt_pool *p, size_t need)
{
	size_t size = need > p->next_size ? need : p->next_size;
	struct pool_block *b;

	if (size > SIZE_MAX - sizeof(*b) ||
	    (b = malloc(sizeof(*b) + size)) == NULL)
		return -1;
	b->size = size;
	b->used = 0;
	b->next = p->head;
	p->head = b;
	if (p->next_size < KT_POOL_MAX)
		p->next_size *= 2;
	return 0;
}

void *kt_pool_calloc(struct kt_pool *p, size_t n, size_t size)
{
	struct pool_block *b;
	size_t bytes;
	void *v;

	if (n == 0 || size == 0 || n > (SIZE_MAX - KT_POOL_ALIGN) / size)
		return NULL;
	if (p == NULL)
		return calloc(n, size);
	bytes = round_up(n * size);
	b = p->head;
	if ((b == NULL || b->size - b->used < bytes) && add_block(p, bytes) != 0)
		return NULL;
	b = p->head;
	v = b->data + b->used;
	b->used += bytes;
	p->used += bytes;
	/* Only what is handed out is touched: mapped pages come zeroed, but
	   a block from the heap may not. */
	return memset(v, 0, n * size);
}

char *kt_pool_strdup(struct kt_pool *p, const char *s)
{
	size_t len = strlen(s);
	char *copy;

	if (p == NULL)
		return strdup(s);
	copy = kt_pool_calloc(p, len + 1, 1);

	return copy != NULL ? memcpy(copy, s, len + 1) : NULL;
}

size_t kt_pool_used(const struct kt_pool *p)
{
	return p->used;
}

void kt_pool_free(struct kt_pool *p)
{
	struct pool_block *b, *next;

	if (p == NULL)
		return;
	for (b = p->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(p);
}
