/*
 * Shared strings: a reference count in front of the characters, so that a
 * shared string is an ordinary const char * to every reader.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shared_str.h"

struct shared_str {
	unsigned int refs; /* atomic */
	char s[];
};

static struct shared_str *header(const char *s)
{
	return (struct shared_str *)(void *)((char *)(uintptr_t)s -
					      offsetof(struct shared_str, s));
}

const char *kt_str_new(const char *s)
{
	size_t len = strlen(s);
	struct shared_str *h = malloc(sizeof(*h) + len + 1);

	if (h == NULL)
		return NULL;
	h->refs = 1;
	memcpy(h->s, s, len + 1);
	return h->s;
}

const char *kt_str_ref(const char *s)
{
	/* The caller holds a reference already: no ordering needed. */
	if (s != NULL)
		__atomic_add_fetch(&header(s)->refs, 1, __ATOMIC_RELAXED);
	return s;
}

void kt_str_unref(const char *s)
{
	struct shared_str *h;

	if (s == NULL)
		return;
	h = header(s);
	if (__atomic_sub_fetch(&h->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(h);
}
