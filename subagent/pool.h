/*
 * A region: memory carved out of a few large blocks and freed as a whole.
 *
 * A snapshot's per-row pieces (each VM's name, its vCPU, disk and
 * interface rows) are allocated while a cycle builds it and all freed
 * together when the last reference to it goes.  From malloc they were
 * thousands of small blocks a cycle, and the blocks of the snapshot served
 * before, freed after the next one was built, stayed in the heap between
 * the live ones for good.  The region's blocks are big enough for malloc
 * to map them on their own (collector.c fixes its threshold), so freeing a
 * snapshot gives its memory back to the kernel; a block's pages are only
 * touched as far as it is used.
 */
#ifndef KT_POOL_H
#define KT_POOL_H

#include <stddef.h>

struct kt_pool;

/* An empty region; NULL when out of memory. */
struct kt_pool *kt_pool_new(void);

/*
 * @n zeroed elements of @size bytes, aligned for any type; NULL when @n is
 * 0, on overflow, or when out of memory.  Lives until kt_pool_free().
 * With @p NULL: calloc()'s, for the caller to free().
 */
void *kt_pool_calloc(struct kt_pool *p, size_t n, size_t size);

/* A copy of @s in the region (@p NULL: strdup()); NULL: out of memory. */
char *kt_pool_strdup(struct kt_pool *p, const char *s);

/* Bytes handed out so far (for tests and benchmarks). */
size_t kt_pool_used(const struct kt_pool *p);

/* Frees the region and everything carved out of it.  NULL-safe. */
void kt_pool_free(struct kt_pool *p);

#endif
