/*
 * Parsers of the host-wide files: /proc/stat's cpu line, /proc/cpuinfo,
 * /proc/meminfo, /proc/diskstats and /proc/net/dev lines, the files of
 * /proc/pressure, and sysfs files of one value.  Hand-written like procfs_parse.c, for the
 * same reasons: strtoull would take blanks, signs and the locale.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "collect/host_parse.h"
#include "collect/parse_cursor.h"

/* kvmtop's list, in its order: kvmtopHostMemTable's index is position + 1. */
const char *const kt_meminfo_names[KT_MEMINFO_N] = {
	"MemTotal",
	"MemFree",
	"MemAvailable",
	"Buffers",
	"Cached",
	"SwapCached",
	"Active",
	"Inactive",
	"Active(anon)",
	"Inactive(anon)",
	"Active(file)",
	"Inactive(file)",
	"Unevictable",
	"Mlocked",
	"SwapTotal",
	"SwapFree",
	"Dirty",
	"Writeback",
	"AnonPages",
	"Mapped",
	"Shmem",
	"Slab",
	"SReclaimable",
	"SUnreclaim",
	"KernelStack",
	"PageTables",
	"NFS_Unstable",
	"Bounce",
	"WritebackTmp",
	"CommitLimit",
	"Committed_AS",
	"VmallocTotal",
	"VmallocUsed",
	"VmallocChunk",
	"HardwareCorrupted",
	"AnonHugePages",
	"ShmemHugePages",
	"ShmemPmdMapped",
	"HugePages_Total",
	"HugePages_Free",
	"HugePages_Rsvd",
	"HugePages_Surp",
	"Hugepagesize",
	"Hugetlb",
	"DirectMap4k",
	"DirectMap2M",
	"DirectMap1G",
};

/* Input cursor: [p, end). */




static int parse_u32(struct cur *c, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(c, &v) != 0 || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* One or more spaces; returns how many were skipped. */
static size_t skip_spaces(struct cur *c)
{
	const char *start = c->p;

	while (at(c, ' '))
		c->p++;
	return (size_t)(c->p - start);
}

static int expect(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return -EINVAL;
	c->p += n;
	return 0;
}


/* The line starting at @p: [p, end of line), without its newline. */
static struct cur line_at(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return (struct cur){ p, nl != NULL ? nl : end };
}

/* ---- /proc/stat ---- */

/* The line starting with "cpu " (the total; "cpu0" etc. are per CPU). */
static int find_cpu_line(const char *buf, size_t len, struct cur *line)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		*line = line_at(p, end);
		if (line->end - p >= 4 && memcmp(p, "cpu ", 4) == 0)
			return 0;
		p = line->end + 1;
	}
	return -ENOENT;
}

int kt_parse_stat_cpu(const char *buf, size_t len,
		      uint64_t ticks[KT_CPU_NFIELDS], unsigned *nfields)
{
	uint64_t t[KT_CPU_NFIELDS] = { 0 }, extra;
	struct cur c;
	unsigned n = 0;
	int r;

	memset(ticks, 0, sizeof(t));
	*nfields = 0;
	if (buf == NULL)
		return -EINVAL;
	if ((r = find_cpu_line(buf, len, &c)) != 0)
		return r;
	c.p += 3;
	/* The kernel pads "cpu" with two spaces to line up with "cpu0 ". */
	if (skip_spaces(&c) == 0)
		return -EINVAL;
	for (;;) {
		if (parse_u64(&c, n < KT_CPU_NFIELDS ? &t[n] : &extra) != 0)
			return -EINVAL;
		n++;
		if (c.p == c.end)
			break;
		if (*c.p != ' ')
			return -EINVAL;
		c.p++;
	}
	if (n < 4)
		return -EINVAL;
	memcpy(ticks, t, sizeof(t));
	*nfields = n < KT_CPU_NFIELDS ? n : KT_CPU_NFIELDS;
	return 0;
}

/* ---- /proc/cpuinfo ---- */

static bool is_processor_line(struct cur c)
{
	uint64_t n;

	if (expect(&c, "processor") != 0)
		return false;
	while (at(&c, ' ') || at(&c, '\t'))
		c.p++;
	/* s390 numbers its entries on the line: "processor 0: ..." */
	if (c.p < c.end && is_digit(*c.p))
		(void)parse_u64(&c, &n);
	return at(&c, ':');
}

uint32_t kt_parse_cpuinfo_count(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	uint32_t n = 0;
	struct cur line;

	if (buf == NULL)
		return 0;
	while (p < end) {
		line = line_at(p, end);
		if (is_processor_line(line) && n < UINT32_MAX)
			n++;
		p = line.end + 1;
	}
	return n;
}

/* ---- /proc/meminfo ---- */

static int meminfo_find(const char *name, size_t len)
{
	int i;

	for (i = 0; i < KT_MEMINFO_N; i++)
		if (strlen(kt_meminfo_names[i]) == len &&
		    memcmp(kt_meminfo_names[i], name, len) == 0)
			return i;
	return -1;
}

/* "NAME:   1234 kB" or "NAME:   1234"; the name has no blank or colon. */
static int meminfo_line(struct cur c, struct kt_meminfo *m)
{
	const char *name = c.p;
	size_t name_len;
	uint64_t v;
	bool kib;
	int i;

	while (c.p < c.end && *c.p != ':' && *c.p != ' ' && *c.p != '\t' &&
	       *c.p != '\0')
		c.p++;
	name_len = (size_t)(c.p - name);
	if (name_len == 0 || expect(&c, ":") != 0 || skip_spaces(&c) == 0 ||
	    parse_u64(&c, &v) != 0)
		return -EINVAL;
	kib = expect(&c, " kB") == 0;
	if (c.p != c.end)
		return -EINVAL;
	if ((i = meminfo_find(name, name_len)) < 0)
		return 0; /* a field kvmtop does not list */
	if (m->present[i])
		return -EINVAL;
	m->present[i] = true;
	m->value[i] = v;
	m->in_kib[i] = kib;
	return 0;
}

int kt_parse_meminfo(const char *buf, size_t len, struct kt_meminfo *out)
{
	const char *p = buf, *end = buf + len;
	struct kt_meminfo m;
	struct cur line;

	memset(out, 0, sizeof(*out));
	if (buf == NULL || len == 0)
		return -EINVAL;
	memset(&m, 0, sizeof(m));
	while (p < end) {
		line = line_at(p, end);
		if (meminfo_line(line, &m) != 0)
			return -EINVAL;
		p = line.end + 1;
	}
	*out = m;
	return 0;
}

/* ---- /proc/diskstats and /proc/net/dev ---- */

/*
 * A device name up to @stop (or a space): printable bytes only, at most
 * size - 1 of them, copied with its NUL.
 */
static int copy_name(struct cur *c, char stop, char *out, size_t size)
{
	const char *start = c->p;
	size_t n;

	while (c->p < c->end && *c->p != stop && *c->p != ' ') {
		if ((unsigned char)*c->p <= 0x20 || *c->p == 0x7f)
			return -EINVAL;
		c->p++;
	}
	n = (size_t)(c->p - start);
	if (n == 0 || n >= size)
		return -EINVAL;
	memcpy(out, start, n);
	out[n] = '\0';
	return 0;
}

/* Numbers, each after one or more spaces, into @v (NULL: check only). */
static int spaced_numbers(struct cur *c, uint64_t *v, size_t n)
{
	uint64_t ignored;
	size_t i;

	for (i = 0; i < n; i++)
		if (skip_spaces(c) == 0 ||
		    parse_u64(c, v != NULL ? &v[i] : &ignored) != 0)
			return -EINVAL;
	return 0;
}

/* iostats.rst's fields 1..11 in kt_host_disk. */
static void disk_store(struct kt_host_disk *d, const uint64_t f[11])
{
	d->reads = f[0];
	d->reads_merged = f[1];
	d->sectors_read = f[2];
	d->read_ms = f[3];
	d->writes = f[4];
	d->writes_merged = f[5];
	d->sectors_written = f[6];
	d->write_ms = f[7];
	d->in_flight = f[8];
	d->io_ms = f[9];
	d->weighted_ms = f[10];
}

int kt_parse_diskstats_line(const char *buf, size_t len,
			    struct kt_host_disk *out)
{
	struct kt_host_disk d;
	uint64_t f[11];
	struct cur c;

	memset(out, 0, sizeof(*out));
	if (buf == NULL)
		return -EINVAL;
	memset(&d, 0, sizeof(d));
	c = (struct cur){ buf, buf + len };
	if (len > 0 && buf[len - 1] == '\n')
		c.end--;
	skip_spaces(&c);
	if (parse_u32(&c, &d.major) != 0 || skip_spaces(&c) == 0 ||
	    parse_u32(&c, &d.minor) != 0 || skip_spaces(&c) == 0 ||
	    copy_name(&c, ' ', d.name, sizeof(d.name)) != 0 ||
	    spaced_numbers(&c, f, 11) != 0)
		return -EINVAL;
	/* Discard (4.18) and flush (5.5) fields, and whatever comes next. */
	while (c.p < c.end)
		if (spaced_numbers(&c, NULL, 1) != 0)
			return -EINVAL;
	disk_store(&d, f);
	*out = d;
	return 0;
}

int kt_parse_netdev_line(const char *buf, size_t len, struct kt_host_net *out)
{
	struct kt_host_net n;
	struct cur c;

	memset(out, 0, sizeof(*out));
	if (buf == NULL)
		return -EINVAL;
	memset(&n, 0, sizeof(n));
	c = (struct cur){ buf, buf + len };
	skip_spaces(&c);
	if (copy_name(&c, ':', n.name, sizeof(n.name)) != 0 ||
	    expect(&c, ":") != 0)
		return -EINVAL;
	/* Old kernels print "eth0:1234" when the byte count fills the column. */
	if (c.p < c.end && is_digit(*c.p)) {
		if (parse_u64(&c, &n.rx[0]) != 0 ||
		    spaced_numbers(&c, &n.rx[1], 7) != 0)
			return -EINVAL;
	} else if (spaced_numbers(&c, n.rx, 8) != 0) {
		return -EINVAL;
	}
	if (spaced_numbers(&c, n.tx, 8) != 0 || expect_eol(&c) != 0)
		return -EINVAL;
	*out = n;
	return 0;
}

/* ---- /proc/pressure ---- */

/*
 * "12.34" -> 1234: the kernel prints LOAD_INT.LOAD_FRAC with "%lu.%02lu",
 * so exactly two decimals, and the hundredths are exact integers.
 */
static int parse_centi(struct cur *c, uint32_t *out)
{
	uint64_t whole;

	if (parse_u64(c, &whole) != 0 || expect(c, ".") != 0 ||
	    c->end - c->p < 2 || !is_digit(c->p[0]) || !is_digit(c->p[1]) ||
	    whole > (UINT32_MAX - 99) / 100)
		return -EINVAL;
	*out = (uint32_t)(whole * 100 + (uint64_t)(c->p[0] - '0') * 10 +
			  (uint64_t)(c->p[1] - '0'));
	c->p += 2;
	return 0;
}

static int psi_line(struct cur c, struct kt_psi_line out[KT_PSI_NKINDS])
{
	struct kt_psi_line l = { .valid = true };
	enum kt_psi_kind k;

	if (expect(&c, "some") == 0)
		k = KT_PSI_SOME;
	else if (expect(&c, "full") == 0)
		k = KT_PSI_FULL;
	else
		return -EINVAL;
	if (out[k].valid || expect(&c, " avg10=") != 0 ||
	    parse_centi(&c, &l.avg10) != 0 || expect(&c, " avg60=") != 0 ||
	    parse_centi(&c, &l.avg60) != 0 || expect(&c, " avg300=") != 0 ||
	    parse_centi(&c, &l.avg300) != 0 || expect(&c, " total=") != 0 ||
	    parse_u64(&c, &l.total_us) != 0 || c.p != c.end)
		return -EINVAL;
	out[k] = l;
	return 0;
}

int kt_parse_psi(const char *buf, size_t len,
		 struct kt_psi_line out[KT_PSI_NKINDS])
{
	struct kt_psi_line l[KT_PSI_NKINDS];
	const char *p = buf, *end = buf + len;
	struct cur line;

	memset(out, 0, sizeof(l));
	if (buf == NULL || len == 0)
		return -EINVAL;
	memset(l, 0, sizeof(l));
	while (p < end) {
		line = line_at(p, end);
		if (psi_line(line, l) != 0)
			return -EINVAL;
		p = line.end + 1;
	}
	memcpy(out, l, sizeof(l));
	return 0;
}

/* ---- sysfs values and identity ---- */

int kt_parse_sysfs_u64(const char *buf, size_t len, uint64_t *out)
{
	struct cur c;
	bool negative;
	uint64_t v;

	*out = 0;
	if (buf == NULL)
		return -EINVAL;
	c = (struct cur){ buf, buf + len };
	negative = expect(&c, "-") == 0;
	if (parse_u64(&c, &v) != 0 || expect_eol(&c) != 0)
		return -EINVAL;
	if (negative)
		return -ENODATA;
	*out = v;
	return 0;
}

static int hex_lower(char ch, char *out)
{
	if (is_digit(ch) || (ch >= 'a' && ch <= 'f'))
		*out = ch;
	else if (ch >= 'A' && ch <= 'F')
		*out = (char)(ch - 'A' + 'a');
	else
		return -EINVAL;
	return 0;
}

int kt_parse_dmi_uuid(const char *buf, size_t len, char out[37])
{
	char u[37];
	size_t i;

	out[0] = '\0';
	if (buf == NULL || len < 36 ||
	    expect_eol(&(struct cur){ buf + 36, buf + len }) != 0)
		return -EINVAL;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (buf[i] != '-')
				return -EINVAL;
			u[i] = '-';
		} else if (hex_lower(buf[i], &u[i]) != 0) {
			return -EINVAL;
		}
	}
	u[36] = '\0';
	memcpy(out, u, sizeof(u));
	return 0;
}

int kt_parse_hostname(const char *buf, size_t len, char *out, size_t size)
{
	if (size > 0)
		out[0] = '\0';
	if (buf == NULL || size == 0)
		return -EINVAL;
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len == 0 || len >= size || memchr(buf, '\0', len) != NULL ||
	    memchr(buf, '\n', len) != NULL)
		return -EINVAL;
	memcpy(out, buf, len);
	out[len] = '\0';
	return 0;
}
