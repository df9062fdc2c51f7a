/*
 * The one place where a string becomes a value that a manager or a
 * terminal shows: at most KT_CLIP_MAX octets, cut on a character boundary,
 * with the bytes that would break a display replaced by '?'.
 *
 * Two alphabets, as KVMTOP-MIB defines them:
 *  - KT_CLIP_UTF8 (KvmtopUtf8String, and the text printer): UTF-8 of RFC
 *    3629.  A byte that does not start or continue a well-formed sequence
 *    becomes '?', and so does each control character (U+0000..U+001F,
 *    U+007F..U+009F: TAB, CR, LF among them) and each bidirectional
 *    formatting character (U+061C, U+200E, U+200F, U+202A..U+202E,
 *    U+2066..U+2069), which could reorder what a display shows.
 *  - KT_CLIP_ASCII (DisplayString): printable ASCII; every other byte
 *    becomes '?'.
 * Nothing is allocated: a string that needs no replacement is served from
 * where it is (only its length shrinks); one that does is rewritten into the
 * caller's buffer.
 */
#ifndef KT_CLIP_H
#define KT_CLIP_H

#include <stddef.h>

/* DisplayString's and KvmtopUtf8String's limit (RFC 2579: 255 octets). */
#define KT_CLIP_MAX 255

enum kt_clip_alphabet { KT_CLIP_UTF8, KT_CLIP_ASCII };

/*
 * The display form of @s (NULL reads as ""): its length, at most
 * KT_CLIP_MAX; *@out points to @s or to @buf (room for KT_CLIP_MAX + 1
 * octets, left NUL-terminated when used).  Never a partial character.
 */
size_t kt_clip(const char *s, enum kt_clip_alphabet a, char *buf,
	       const char **out);

#endif
