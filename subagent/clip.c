/*
 * Clipping and cleaning of the strings the agent serves and prints (see
 * clip.h for the rules).  One pass: each character is decoded, judged and
 * either kept (copied when a replacement happened before it) or replaced.
 */
#include "clip.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/*
 * Length of the well-formed UTF-8 sequence at @p (at most @left octets) and
 * its code point; 0 when the byte at @p does not start one (RFC 3629,
 * table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
 */
static size_t utf8_seq(const unsigned char *p, size_t left, uint32_t *cp)
{
	unsigned char b = p[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf)
		n = 2;
	else if (b >= 0xe0 && b <= 0xef)
		n = 3;
	else if (b >= 0xf0 && b <= 0xf4)
		n = 4;
	else
		return 0;
	if (b == 0xe0)
		lo = 0xa0;
	else if (b == 0xed)
		hi = 0x9f;
	else if (b == 0xf0)
		lo = 0x90;
	else if (b == 0xf4)
		hi = 0x8f;
	if (left < n || p[1] < lo || p[1] > hi)
		return 0;
	*cp = b & (0xff >> (n + 1));
	for (i = 1; i < n; i++) {
		if (i > 1 && (p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return n;
}

/* Controls and the characters that reorder text on a display. */
static bool unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Octets of the character at @p (1 for a byte that is not UTF-8); *@keep
 * says whether it is shown as it is or as one '?'.
 */
static size_t char_len(const unsigned char *p, size_t left,
		       enum kt_clip_alphabet a, bool *keep)
{
	uint32_t cp;
	size_t n;

	if (a == KT_CLIP_ASCII) {
		*keep = p[0] >= 0x20 && p[0] < 0x7f;
		return 1;
	}
	n = utf8_seq(p, left, &cp);
	*keep = n > 0 && !unsafe(cp);
	return n > 0 ? n : 1;
}

size_t kt_clip(const char *s, enum kt_clip_alphabet a, char *buf,
	       const char **out)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t left = strlen((const char *)p), i = 0, len = 0, n;
	bool copied = false, keep;

	while (i < left) {
		n = char_len(p + i, left - i, a, &keep);
		if (len + (keep ? n : 1) > KT_CLIP_MAX)
			break;
		if (!keep && !copied) {
			memcpy(buf, p, len);
			copied = true;
		}
		if (!keep)
			buf[len++] = '?';
		else if (copied)
			memcpy(buf + len, p + i, n);
		len += keep ? n : 0;
		i += n;
	}
	if (copied)
		buf[len] = '\0';
	*out = copied ? buf : (const char *)p;
	return len;
}
