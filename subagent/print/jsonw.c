/*
 * The JSON writer of --print (see print/jsonw.h): layout, numbers, and
 * strings that stay valid JSON whatever bytes a VM or device name holds.
 */
#include "config.h"

#include <inttypes.h>

#include "print/jsonw.h"

/*
 * The bytes of one UTF-8 sequence at @p (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), 0 when it is not one.
 */
static size_t utf8_seq(const unsigned char *p)
{
	unsigned char min2 = 0x80, max2 = 0xbf;
	size_t n, i;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (p[0] == 0xe0)
		min2 = 0xa0; /* overlong */
	else if (p[0] == 0xed)
		max2 = 0x9f; /* surrogates */
	else if (p[0] == 0xf0)
		min2 = 0x90; /* overlong */
	else if (p[0] == 0xf4)
		max2 = 0x8f; /* above U+10FFFF */
	if (p[1] < min2 || p[1] > max2)
		return 0;
	for (i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* also stops at the NUL */
	return n;
}

static void put_escaped_ascii(FILE *out, unsigned char ch)
{
	if (ch == '"' || ch == '\\')
		fprintf(out, "\\%c", ch);
	else if (ch == '\n')
		fputs("\\n", out);
	else if (ch == '\t')
		fputs("\\t", out);
	else if (ch == '\r')
		fputs("\\r", out);
	else if (ch < 0x20 || ch == 0x7f)
		fprintf(out, "\\u%04x", ch);
	else
		fputc(ch, out);
}

/*
 * A JSON string with its quotes: valid UTF-8 (RFC 3629) passes, control
 * characters are escaped, a byte that is not UTF-8 becomes U+FFFD.
 */
static void put_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', out);
	while (*p != '\0') {
		if (*p < 0x80) {
			put_escaped_ascii(out, *p++);
		} else if ((n = utf8_seq(p)) != 0) {
			fwrite(p, 1, n, out);
			p += n;
		} else {
			fputs("\\ufffd", out); /* keep the document valid */
			p++;
		}
	}
	fputc('"', out);
}

static void newline(struct kt_jw *w)
{
	int i;

	if (w->compact)
		return;
	fputc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/* Starts a member "key": (an element when @key is NULL), after a comma. */
static void put_key(struct kt_jw *w, const char *key)
{
	if (!w->first)
		fputc(',', w->out);
	w->first = false;
	if (w->depth > 0)
		newline(w);
	if (key != NULL) {
		put_string(w->out, key);
		fputs(w->compact ? ":" : ": ", w->out);
	}
}

void kt_jw_open(struct kt_jw *w, const char *key, char brace)
{
	put_key(w, key);
	fputc(brace, w->out);
	w->depth++;
	w->first = true;
}

void kt_jw_close(struct kt_jw *w, char brace)
{
	w->depth--;
	if (!w->first) /* an empty one closes on the same line: {} or [] */
		newline(w);
	fputc(brace, w->out);
	w->first = false;
}

/* Starts member @key; writes null and returns false when not @available. */
static bool value(struct kt_jw *w, const char *key, bool available)
{
	put_key(w, key);
	if (!available)
		fputs("null", w->out);
	return available;
}

void kt_jw_u64(struct kt_jw *w, const char *key, bool available, uint64_t v)
{
	if (value(w, key, available))
		fprintf(w->out, "%" PRIu64, v);
}

void kt_jw_i64(struct kt_jw *w, const char *key, int64_t v)
{
	if (value(w, key, true))
		fprintf(w->out, "%" PRId64, v);
}

void kt_jw_centi(struct kt_jw *w, const char *key, bool available,
		 uint32_t centi)
{
	if (value(w, key, available))
		fprintf(w->out, "%" PRIu32 ".%02" PRIu32, centi / 100,
			centi % 100);
}

void kt_jw_bool(struct kt_jw *w, const char *key, bool v)
{
	if (value(w, key, true))
		fputs(v ? "true" : "false", w->out);
}

void kt_jw_str(struct kt_jw *w, const char *key, const char *s)
{
	if (value(w, key, s != NULL))
		put_string(w->out, s);
}

void kt_jw_str_known(struct kt_jw *w, const char *key, const char *s)
{
	kt_jw_str(w, key, s != NULL && *s != '\0' ? s : NULL);
}
