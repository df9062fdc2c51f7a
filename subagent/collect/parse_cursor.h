/*
 * The cursor and the few primitives the /proc and /sys parsers share:
 * strict decimal numbers (no sign, no blanks, no wrap past 2^64 - 1) and
 * one-line ends.  Static inline: each parser file gets its own copy of the
 * little it uses, and none allocates.
 */
#ifndef KT_PARSE_CURSOR_H
#define KT_PARSE_CURSOR_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

/* Input cursor: [p, end). */
struct cur {
	const char *p;
	const char *end;
};

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool at(const struct cur *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

/* One or more decimal digits; fails on overflow beyond 2^64 - 1. */
static inline int parse_u64(struct cur *c, uint64_t *out)
{
	uint64_t v = 0;
	unsigned d;

	if (c->p >= c->end || !is_digit(*c->p))
		return -EINVAL;
	while (c->p < c->end && is_digit(*c->p)) {
		d = (unsigned)(*c->p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		c->p++;
	}
	*out = v;
	return 0;
}

/* The end of a one-line input: nothing, or exactly one newline. */
static inline int expect_eol(const struct cur *c)
{
	if (c->p == c->end)
		return 0;
	if (c->end - c->p == 1 && *c->p == '\n')
		return 0;
	return -EINVAL;
}

#endif
