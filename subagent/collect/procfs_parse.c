/*
 * Parsers of the per-process procfs files: PID/stat, PID/io, PID/status's
 * uids, task/TID/schedstat, task/TID/comm and PID/cmdline, and of one-number
 * files.  Each takes a buffer and its length (no NUL
 * needed, embedded NULs are just bytes that match nothing), never
 * allocates, and does its own digit parsing: strtoull would accept leading
 * blanks, a sign ("-5" wraps to a huge value) and depends on the locale.
 * Out-parameters are reset on entry and written only when the whole input
 * parsed, so on error they hold their reset values.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "collect/parse_cursor.h"
#include "collect/procfs.h"

static int is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int expect_char(struct cur *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return -EINVAL;
	c->p++;
	return 0;
}

/*
 * schedstat is "%llu %llu %lu\n" since 2.6; anything else (fewer or more
 * fields, other separators) is rejected rather than guessed at.
 */
int kt_parse_schedstat(const char *buf, size_t len, struct kt_schedstat *out)
{
	struct kt_schedstat s;
	struct cur c;

	memset(out, 0, sizeof(*out));
	if (buf == NULL)
		return -EINVAL;
	c = (struct cur){ buf, buf + len };
	if (parse_u64(&c, &s.run_ns) != 0 || expect_char(&c, ' ') != 0 ||
	    parse_u64(&c, &s.wait_ns) != 0 || expect_char(&c, ' ') != 0 ||
	    parse_u64(&c, &s.slices) != 0 || expect_eol(&c) != 0)
		return -EINVAL;
	*out = s;
	return 0;
}

/*
 * Fields 4 and later of PID/stat, one at a time.  Each is a decimal number,
 * optionally negative (tpgid is -1 without a terminal, priority and nice
 * are negative for some tasks); a field is checked for that shape even when
 * we do not use it, so that garbage is never mistaken for a short line.
 */
static int stat_field(struct cur *c, struct cur *tok)
{
	const char *start = c->p;

	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p >= c->end || !is_digit(*c->p))
		return -EINVAL;
	while (c->p < c->end && is_digit(*c->p))
		c->p++;
	tok->p = start;
	tok->end = c->p;
	return 0;
}

/* A whole token that must be an unsigned number (no sign, no overflow). */
static int token_u64(struct cur tok, uint64_t *out)
{
	if (parse_u64(&tok, out) != 0 || tok.p != tok.end)
		return -EINVAL;
	return 0;
}

/* proc(5)'s number of each field of pid_stat.h. */
static const unsigned char stat_field_no[KT_PS_N] = {
	[KT_PS_MINFLT] = 10,  [KT_PS_CMINFLT] = 11, [KT_PS_MAJFLT] = 12,
	[KT_PS_CMAJFLT] = 13, [KT_PS_BLKIO] = 42,   [KT_PS_STARTTIME] = 22,
	[KT_PS_VSIZE] = 23,   [KT_PS_RSS] = 24,	    [KT_PS_PROCESSOR] = 39,
};

/* Field number @field into @s when it is one kept: an unsigned number. */
static int stat_store(struct kt_pid_stat *s, int field, struct cur tok)
{
	unsigned f;

	for (f = 0; f < KT_PS_N; f++)
		if (stat_field_no[f] == field)
			break;
	if (f == KT_PS_N)
		return 0;
	if (token_u64(tok, &s->v[f]) != 0 ||
	    (f == KT_PS_PROCESSOR && s->v[f] > INT_MAX))
		return -EINVAL;
	s->present |= KT_PS_BIT(f);
	return 0;
}

/*
 * "pid (comm) state f4 f5 ... fN\n".  comm may hold spaces, parentheses and
 * even newlines, but no field after it holds a ')', so the last ')' ends it.
 * Old kernels print fewer fields (39 came in 2.2.8, 42 in 2.6.18): up to
 * field 24 is required, 39 and 42 are optional.  Fields past the 52 of
 * today's kernels are accepted so that a newer kernel does not break us.
 */
int kt_parse_pid_stat(const char *buf, size_t len, struct kt_pid_stat *out)
{
	struct kt_pid_stat s;
	struct cur c, tok;
	const char *rparen;
	uint64_t pid;
	int field;

	memset(out, 0, sizeof(*out));
	if (buf == NULL)
		return -EINVAL;
	s = *out;
	c = (struct cur){ buf, buf + len };
	rparen = memrchr(buf, ')', len);
	if (parse_u64(&c, &pid) != 0 || expect_char(&c, ' ') != 0 ||
	    expect_char(&c, '(') != 0 || rparen == NULL || rparen < c.p)
		return -EINVAL;
	c.p = rparen + 1;
	/* Field 3, the state: one letter. */
	if (expect_char(&c, ' ') != 0 || c.p >= c.end || !is_alpha(*c.p))
		return -EINVAL;
	c.p++;
	for (field = 4; c.p < c.end && *c.p == ' '; field++) {
		c.p++;
		if (stat_field(&c, &tok) != 0 ||
		    stat_store(&s, field, tok) != 0)
			return -EINVAL;
	}
	if (field <= 24 || expect_eol(&c) != 0)
		return -EINVAL;
	*out = s;
	return 0;
}

/*
 * QEMU names vCPU threads "CPU %d/%s" with the accelerator's name ("KVM",
 * "TCG", "HVF"...) when started with debug-threads=on.  The kernel keeps 15
 * bytes of it, so the accelerator may be cut short, though never to nothing
 * for any real vCPU number.  No leading zeros: QEMU prints %d.
 */
int kt_parse_vcpu_comm(const char *buf, size_t len)
{
	const char *digits;
	struct cur c;
	uint64_t n;

	if (buf == NULL || len < 4 || memcmp(buf, "CPU ", 4) != 0)
		return -1;
	c = (struct cur){ buf + 4, buf + len };
	digits = c.p;
	if (parse_u64(&c, &n) != 0 || n > INT_MAX ||
	    (*digits == '0' && c.p - digits > 1) || expect_char(&c, '/') != 0)
		return -1;
	if (c.p >= c.end || !is_alpha(*c.p))
		return -1;
	while (c.p < c.end && is_alpha(*c.p))
		c.p++;
	return expect_eol(&c) == 0 ? (int)n : -1;
}

static int hex_lower(char ch, char *out)
{
	if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))
		*out = ch;
	else if (ch >= 'A' && ch <= 'F')
		*out = (char)(ch - 'A' + 'a');
	else
		return -1;
	return 0;
}

/* 8-4-4-4-12 hex digits, copied lowercase; the libvirt/RFC 4122 text form. */
static int uuid_copy(const char *arg, size_t len, char out[KT_UUID_LEN + 1])
{
	size_t i;

	if (len != KT_UUID_LEN)
		return -ENOENT;
	for (i = 0; i < KT_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (arg[i] != '-')
				return -ENOENT;
			out[i] = '-';
		} else if (hex_lower(arg[i], &out[i]) != 0) {
			return -ENOENT;
		}
	}
	out[KT_UUID_LEN] = '\0';
	return 0;
}

/*
 * The value is the argument that follows "-uuid".  QEMU lets a later option
 * override an earlier one, so the last "-uuid" that has a following argument
 * wins.  We cannot know which other options take a value, so an argument
 * "-uuid" is taken as the option wherever it appears.  Only the exact
 * spelling libvirt uses counts: "--uuid" and "-uuid=X" do not.
 */
int kt_cmdline_find_uuid(const char *buf, size_t len, char out[KT_UUID_LEN + 1])
{
	const char *p, *nul, *end, *val = NULL;
	size_t alen, vlen = 0;
	int after_opt = 0;

	out[0] = '\0';
	if (buf == NULL)
		return -ENOENT;
	end = buf + len;
	for (p = buf; p < end; p = nul + 1) {
		nul = memchr(p, '\0', (size_t)(end - p));
		if (nul == NULL)
			nul = end; /* last argument without its NUL */
		alen = (size_t)(nul - p);
		if (after_opt) {
			val = p;
			vlen = alen;
		}
		after_opt = alen == 5 && memcmp(p, "-uuid", 5) == 0;
		if (nul == end)
			break;
	}
	if (val == NULL || uuid_copy(val, vlen, out) != 0) {
		out[0] = '\0';
		return -ENOENT;
	}
	return 0;
}

/* The start of the line after the one at @p, or @end. */
static const char *next_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl + 1 : end;
}

/* "\tN\tN\tN\tN" and the line's end, after "Uid:". */
static int uid_fields(struct cur *c, uint32_t out[KT_STATUS_UIDS])
{
	uint64_t v;
	int i;

	for (i = 0; i < KT_STATUS_UIDS; i++) {
		if (expect_char(c, '\t') != 0 || parse_u64(c, &v) != 0 ||
		    v >= UINT32_MAX)
			return -EINVAL;
		out[i] = (uint32_t)v;
	}
	return c->p == c->end || *c->p == '\n' ? 0 : -EINVAL;
}

/*
 * The kernel prints "Uid:\t%u\t%u\t%u\t%u\n" (the ids as the process's
 * user namespace sees them) as the ninth line; we look for it anywhere,
 * once, so a later kernel may add lines before it.
 */
int kt_parse_status_uids(const char *buf, size_t len,
			 uint32_t out[KT_STATUS_UIDS])
{
	uint32_t ids[KT_STATUS_UIDS];
	const char *p, *end;
	bool found = false;
	struct cur c;

	memset(out, 0, KT_STATUS_UIDS * sizeof(*out));
	if (buf == NULL)
		return -EINVAL;
	end = buf + len;
	for (p = buf; p < end; p = next_line(p, end)) {
		if ((size_t)(end - p) < 4 || memcmp(p, "Uid:", 4) != 0)
			continue;
		c = (struct cur){ p + 4, end };
		if (found || uid_fields(&c, ids) != 0)
			return -EINVAL;
		found = true;
	}
	if (!found)
		return -EINVAL;
	memcpy(out, ids, sizeof(ids));
	return 0;
}

int kt_parse_u64_line(const char *buf, size_t len, uint64_t *out)
{
	struct cur c;
	uint64_t v;

	*out = 0;
	if (buf == NULL)
		return -EINVAL;
	c = (struct cur){ buf, buf + len };
	if (parse_u64(&c, &v) != 0 || expect_eol(&c) != 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* The fields of PID/io, in the kernel's order. */
static const struct {
	const char *name;
	size_t off;
} io_fields[] = {
	{ "rchar", offsetof(struct kt_pid_io, rchar) },
	{ "wchar", offsetof(struct kt_pid_io, wchar) },
	{ "syscr", offsetof(struct kt_pid_io, syscr) },
	{ "syscw", offsetof(struct kt_pid_io, syscw) },
	{ "read_bytes", offsetof(struct kt_pid_io, read_bytes) },
	{ "write_bytes", offsetof(struct kt_pid_io, write_bytes) },
	{ "cancelled_write_bytes",
	  offsetof(struct kt_pid_io, cancelled_write_bytes) },
};
#define KT_N_IO_FIELDS (sizeof(io_fields) / sizeof(io_fields[0]))

static int is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || ch == '_';
}

/*
 * One "name: value" line at @c, the newline consumed when there is one.
 * @slot is the io_fields position of the name, -1 for another name.
 */
static int io_line(struct cur *c, int *slot, uint64_t *v)
{
	const char *name = c->p;
	size_t i, nlen;

	while (c->p < c->end && is_name_char(*c->p))
		c->p++;
	nlen = (size_t)(c->p - name);
	if (nlen == 0 || expect_char(c, ':') != 0 || expect_char(c, ' ') != 0 ||
	    parse_u64(c, v) != 0)
		return -EINVAL;
	if (c->p < c->end && expect_char(c, '\n') != 0)
		return -EINVAL;
	*slot = -1;
	for (i = 0; i < KT_N_IO_FIELDS; i++)
		if (strlen(io_fields[i].name) == nlen &&
		    memcmp(io_fields[i].name, name, nlen) == 0)
			*slot = (int)i;
	return 0;
}

int kt_parse_pid_io(const char *buf, size_t len, struct kt_pid_io *out)
{
	struct kt_pid_io io;
	unsigned seen = 0;
	struct cur c;
	uint64_t v;
	int slot;

	memset(out, 0, sizeof(*out));
	if (buf == NULL)
		return -EINVAL;
	memset(&io, 0, sizeof(io));
	c = (struct cur){ buf, buf + len };
	while (c.p < c.end) {
		if (io_line(&c, &slot, &v) != 0)
			return -EINVAL;
		if (slot < 0)
			continue;
		if (seen & (1u << slot)) /* twice: which one is right? */
			return -EINVAL;
		seen |= 1u << slot;
		*(uint64_t *)((char *)&io + io_fields[slot].off) = v;
	}
	if (seen != (1u << KT_N_IO_FIELDS) - 1)
		return -EINVAL;
	*out = io;
	return 0;
}

/* The line "VmSwap:<blanks>N kB" that starts at @c; @c is past "VmSwap:". */
static int swap_value(struct cur *c, uint64_t *kib)
{
	const char *start = c->p;

	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
	if (c->p == start || parse_u64(c, kib) != 0 || c->end - c->p < 3 ||
	    memcmp(c->p, " kB", 3) != 0)
		return -EINVAL;
	c->p += 3;
	if (c->p < c->end && expect_char(c, '\n') != 0)
		return -EINVAL;
	return 0;
}

int kt_parse_status_swap(const char *buf, size_t len, uint64_t *bytes)
{
	static const char key[] = "VmSwap:";
	const size_t klen = sizeof(key) - 1;
	struct cur c;
	uint64_t kib = 0;
	bool seen = false;
	const char *nl;

	*bytes = 0;
	if (buf == NULL)
		return -EINVAL;
	c = (struct cur){ buf, buf + len };
	while (c.p < c.end) {
		if ((size_t)(c.end - c.p) >= klen &&
		    memcmp(c.p, key, klen) == 0) {
			c.p += klen;
			if (seen || swap_value(&c, &kib) != 0)
				return -EINVAL; /* twice: which is right? */
			seen = true;
			continue;
		}
		nl = memchr(c.p, '\n', (size_t)(c.end - c.p));
		c.p = nl != NULL ? nl + 1 : c.end;
	}
	if (!seen)
		return -ENOENT;
	if (kib > UINT64_MAX / 1024)
		return -EINVAL;
	*bytes = kib * 1024;
	return 0;
}
