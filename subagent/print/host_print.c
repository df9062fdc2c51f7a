/*
 * The printers of the snapshot's host part (--print text|json): text
 * blocks under kvmtop's metric names, and a JSON object for the "host"
 * member of print/json.c's document.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>

#include "options.h"
#include "print/host_print.h"

static const char *const cpu_names[KT_CPU_NFIELDS] = {
	"user", "nice",	   "system", "idle",  "iowait",
	"irq",	"softirq", "steal",  "guest", "guestnice",
};

static const char *const psi_res_names[KT_PSI_NRES] = { "cpu", "io", "memory" };
/* kvmtop's short form in its metric names: psi_some_mem_avg60. */
static const char *const psi_res_short[KT_PSI_NRES] = { "cpu", "io", "mem" };
static const char *const psi_kind_names[KT_PSI_NKINDS] = { "some", "full" };

static const char *net_type_name(enum kt_net_type t)
{
	switch (t) {
	case KT_NET_PHYSICAL:
		return "physical";
	case KT_NET_BRIDGE:
		return "bridge";
	case KT_NET_TAP:
		return "tap";
	default:
		return "other";
	}
}

static bool has_pct(const struct kt_host *h, int f)
{
	return h->valid && h->cpu.valid && h->cpu.has_rate &&
	       (unsigned)f < h->cpu.nfields;
}

static bool has_ticks(const struct kt_host *h, int f)
{
	return h->valid && h->cpu.valid && (unsigned)f < h->cpu.nfields;
}

static int finish(FILE *out)
{
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

/* ---- text ---- */

static void t_u64(FILE *out, bool first, bool available, uint64_t v)
{
	if (!first)
		fputc('\t', out);
	if (available)
		fprintf(out, "%" PRIu64, v);
	else
		fputc('-', out);
}

/* Hundredths as a decimal with two places: 3750 -> 37.50. */
static void t_centi(FILE *out, bool first, bool available, uint32_t centi)
{
	if (!first)
		fputc('\t', out);
	if (available)
		fprintf(out, "%" PRIu32 ".%02" PRIu32, centi / 100,
			centi % 100);
	else
		fputc('-', out);
}

/* Microseconds as milliseconds with three places: 2988 -> 2.988. */
static void t_us_as_ms(FILE *out, bool available, uint32_t us)
{
	if (available)
		fprintf(out, "\t%" PRIu32 ".%03" PRIu32, us / 1000, us % 1000);
	else
		fputs("\t-", out);
}

/* Control characters (tabs, newlines) in a name would break the columns. */
static void t_name(FILE *out, bool first, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!first)
		fputc('\t', out);
	if (s == NULL || *s == '\0') {
		fputc('-', out);
		return;
	}
	for (; *p != '\0'; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

static void text_host(FILE *out, const struct kt_host *h)
{
	const struct kt_host_cpu *c = &h->cpu;
	int i;

	fputs("\nhost_name\thost_uuid\tcpu_cores\tcpu_curfreq\tcpu_minfreq"
	      "\tcpu_maxfreq",
	      out);
	for (i = 0; i < KT_CPU_NFIELDS; i++)
		fprintf(out, "\tcpu_%s", cpu_names[i]);
	fputs("\tvms_running\tvms_paused\tvms_shutdown\tvms_other\n", out);
	t_name(out, true, h->valid ? h->hostname : NULL);
	t_name(out, false, h->valid ? h->uuid : NULL);
	t_u64(out, false, h->valid && c->cores != 0, c->cores);
	t_u64(out, false, h->valid && c->has_freq, c->cur_mhz);
	t_u64(out, false, h->valid && c->has_freq, c->min_mhz);
	t_u64(out, false, h->valid && c->has_freq, c->max_mhz);
	for (i = 0; i < KT_CPU_NFIELDS; i++)
		t_centi(out, false, has_pct(h, i), c->pct[i]);
	t_u64(out, false, h->valid, h->vms_running);
	t_u64(out, false, h->valid, h->vms_paused);
	t_u64(out, false, h->valid, h->vms_shutdown);
	t_u64(out, false, h->valid, h->vms_other);
	fputc('\n', out);
}

/* kvmtop drops "Mem" from MemTotal, MemFree and MemAvailable. */
static const char *ram_name(int i)
{
	const char *n = kt_meminfo_names[i];

	return i < 3 ? n + 3 : n;
}

static void text_ram(FILE *out, const struct kt_host *h)
{
	const struct kt_meminfo *m = &h->mem;
	int i;

	fputc('\n', out);
	for (i = 0; i < KT_MEMINFO_N; i++)
		fprintf(out, "%sram_%s", i == 0 ? "" : "\t", ram_name(i));
	fputc('\n', out);
	for (i = 0; i < KT_MEMINFO_N; i++)
		t_u64(out, i == 0, h->valid && m->present[i], m->value[i]);
	fputc('\n', out);
}

static void text_disk_row(FILE *out, const struct kt_host_disk *d)
{
	const uint64_t c[] = {
		d->reads,     d->reads_merged,	d->sectors_read,    d->read_ms,
		d->writes,    d->writes_merged, d->sectors_written, d->write_ms,
		d->in_flight, d->io_ms,		d->weighted_ms
	};
	size_t i;

	t_name(out, true, d->name);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		t_u64(out, false, true, c[i]);
	t_centi(out, false, d->has_rate, d->ioutil);
	t_centi(out, false, d->has_rate, d->queue_size);
	t_us_as_ms(out, d->has_rate && d->has_queue_time, d->queue_time_us);
	t_us_as_ms(out, d->has_rate && d->has_service_time, d->service_time_us);
	fputc('\n', out);
}

static void text_disks(FILE *out, const struct kt_host *h)
{
	size_t i;

	fputs("\ndisk_device_name\tdisk_device_reads\tdisk_device_readsmerged"
	      "\tdisk_device_sectorsread\tdisk_device_timereading"
	      "\tdisk_device_writes\tdisk_device_writesmerged"
	      "\tdisk_device_sectorswritten\tdisk_device_timewriting"
	      "\tdisk_device_currentops\tdisk_device_timeforops"
	      "\tdisk_device_weightedtimeforops\tdisk_device_ioutil"
	      "\tdisk_device_queuesize\tdisk_device_queuetime"
	      "\tdisk_device_servicetime\n",
	      out);
	for (i = 0; i < h->n_disks; i++)
		text_disk_row(out, &h->disks[i]);
}

static void text_nets(FILE *out, const struct kt_host *h)
{
	static const char *const dir[2] = { "received", "transmitted" };
	static const char *const what[2][8] = {
		{ "Bytes", "Packets", "Errs", "Drop", "Fifo", "Frame",
		  "Compressed", "Multicast" },
		{ "Bytes", "Packets", "Errs", "Drop", "Fifo", "Colls",
		  "Carrier", "Compressed" },
	};
	size_t i, d, k;

	fputs("\nnet_host_name\tnet_host_type", out);
	for (d = 0; d < 2; d++)
		for (k = 0; k < 8; k++)
			fprintf(out, "\tnet_host_%s%s", dir[d], what[d][k]);
	fputs("\tnet_host_speed\n", out);
	for (i = 0; i < h->n_nets; i++) {
		const struct kt_host_net *n = &h->nets[i];

		t_name(out, true, n->name);
		t_name(out, false, net_type_name(n->type));
		for (k = 0; k < 8; k++)
			t_u64(out, false, true, n->rx[k]);
		for (k = 0; k < 8; k++)
			t_u64(out, false, true, n->tx[k]);
		t_u64(out, false, n->has_speed, n->speed_mbps);
		fputc('\n', out);
	}
}

static void text_psi(FILE *out, const struct kt_host *h)
{
	static const char *const cols[4] = { "avg10", "avg60", "avg300",
					     "total" };
	int r, k, c;

	fputc('\n', out);
	for (r = 0; r < KT_PSI_NRES; r++)
		for (k = 0; k < KT_PSI_NKINDS; k++)
			for (c = 0; c < 4; c++)
				fprintf(out, "%spsi_%s_%s_%s",
					r + k + c == 0 ? "" : "\t",
					psi_kind_names[k], psi_res_short[r],
					cols[c]);
	fputc('\n', out);
	for (r = 0; r < KT_PSI_NRES; r++)
		for (k = 0; k < KT_PSI_NKINDS; k++) {
			const struct kt_psi_line *l = &h->psi[r][k];

			t_centi(out, r + k == 0, l->valid, l->avg10);
			t_centi(out, false, l->valid, l->avg60);
			t_centi(out, false, l->valid, l->avg300);
			t_u64(out, false, l->valid, l->total_us);
		}
	fputc('\n', out);
}

int kt_print_host_text(FILE *out, const struct kt_host *h, unsigned collectors)
{
	if (collectors & KT_COLLECT_HOST) {
		text_host(out, h);
		text_ram(out, h);
	}
	if (collectors & KT_COLLECT_DISK)
		text_disks(out, h);
	if (collectors & KT_COLLECT_NET)
		text_nets(out, h);
	if (collectors & KT_COLLECT_PSI)
		text_psi(out, h);
	return finish(out);
}

/* ---- JSON ---- */

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

void kt_json_put_string(FILE *out, const char *s)
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

/* The writer: places commas, newlines and two-space indentation. */
struct hw {
	FILE *out;
	int depth;
	bool first; /* nothing yet in the current object or array */
};

static void hw_key(struct hw *w, const char *key)
{
	int i;

	if (!w->first)
		fputc(',', w->out);
	w->first = false;
	fputc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->out);
	if (key != NULL) {
		kt_json_put_string(w->out, key);
		fputs(": ", w->out);
	}
}

static void hw_open(struct hw *w, const char *key, char brace)
{
	if (w->depth > 1 || key != NULL)
		hw_key(w, key);
	fputc(brace, w->out);
	w->depth++;
	w->first = true;
}

static void hw_close(struct hw *w, char brace)
{
	int i;

	w->depth--;
	if (!w->first) {
		fputc('\n', w->out);
		for (i = 0; i < w->depth; i++)
			fputs("  ", w->out);
	}
	fputc(brace, w->out);
	w->first = false;
}

static void hw_u64(struct hw *w, const char *key, bool available, uint64_t v)
{
	hw_key(w, key);
	if (available)
		fprintf(w->out, "%" PRIu64, v);
	else
		fputs("null", w->out);
}

static void hw_centi(struct hw *w, const char *key, bool available,
		     uint32_t centi)
{
	hw_key(w, key);
	if (available)
		fprintf(w->out, "%" PRIu32 ".%02" PRIu32, centi / 100,
			centi % 100);
	else
		fputs("null", w->out);
}

/* NULL or "" (unknown) is null. */
static void hw_str(struct hw *w, const char *key, const char *s)
{
	hw_key(w, key);
	if (s != NULL && *s != '\0')
		kt_json_put_string(w->out, s);
	else
		fputs("null", w->out);
}

static void json_vms(struct hw *w, const struct kt_host *h)
{
	hw_open(w, "vms", '{');
	hw_u64(w, "running", h->valid, h->vms_running);
	hw_u64(w, "paused", h->valid, h->vms_paused);
	hw_u64(w, "shutdown", h->valid, h->vms_shutdown);
	hw_u64(w, "other", h->valid, h->vms_other);
	hw_close(w, '}');
}

static void json_cpu(struct hw *w, const struct kt_host *h)
{
	const struct kt_host_cpu *c = &h->cpu;
	char key[32];
	int i;

	hw_open(w, "cpu", '{');
	hw_u64(w, "cores", h->valid && c->cores != 0, c->cores);
	hw_u64(w, "curfreq_mhz", h->valid && c->has_freq, c->cur_mhz);
	hw_u64(w, "minfreq_mhz", h->valid && c->has_freq, c->min_mhz);
	hw_u64(w, "maxfreq_mhz", h->valid && c->has_freq, c->max_mhz);
	for (i = 0; i < KT_CPU_NFIELDS; i++)
		hw_centi(w, cpu_names[i], has_pct(h, i), c->pct[i]);
	for (i = 0; i < KT_CPU_NFIELDS; i++) {
		snprintf(key, sizeof(key), "%s_ticks", cpu_names[i]);
		hw_u64(w, key, has_ticks(h, i), c->ticks[i]);
	}
	hw_close(w, '}');
}

/* Values in KiB, HugePages_* counts, as /proc/meminfo gives them. */
static void json_mem(struct hw *w, const struct kt_host *h)
{
	int i;

	hw_open(w, "mem", '{');
	for (i = 0; i < KT_MEMINFO_N; i++)
		hw_u64(w, kt_meminfo_names[i], h->valid && h->mem.present[i],
		       h->mem.value[i]);
	hw_close(w, '}');
}

static void json_disk(struct hw *w, const struct kt_host_disk *d)
{
	hw_open(w, NULL, '{');
	hw_u64(w, "index", true, d->index);
	hw_str(w, "name", d->name);
	hw_u64(w, "major", true, d->major);
	hw_u64(w, "minor", true, d->minor);
	hw_u64(w, "reads", true, d->reads);
	hw_u64(w, "reads_merged", true, d->reads_merged);
	hw_u64(w, "sectors_read", true, d->sectors_read);
	hw_u64(w, "read_ms", true, d->read_ms);
	hw_u64(w, "writes", true, d->writes);
	hw_u64(w, "writes_merged", true, d->writes_merged);
	hw_u64(w, "sectors_written", true, d->sectors_written);
	hw_u64(w, "write_ms", true, d->write_ms);
	hw_u64(w, "in_flight", true, d->in_flight);
	hw_u64(w, "io_ms", true, d->io_ms);
	hw_u64(w, "weighted_io_ms", true, d->weighted_ms);
	hw_centi(w, "ioutil", d->has_rate, d->ioutil);
	hw_centi(w, "queue_size", d->has_rate, d->queue_size);
	hw_u64(w, "queue_time_us", d->has_rate && d->has_queue_time,
	       d->queue_time_us);
	hw_u64(w, "service_time_us", d->has_rate && d->has_service_time,
	       d->service_time_us);
	hw_close(w, '}');
}

static void json_net(struct hw *w, const struct kt_host_net *n)
{
	static const char *const rx[8] = {
		"rx_bytes", "rx_packets", "rx_errs",	   "rx_drop",
		"rx_fifo",  "rx_frame",	  "rx_compressed", "rx_multicast",
	};
	static const char *const tx[8] = {
		"tx_bytes", "tx_packets", "tx_errs",	"tx_drop",
		"tx_fifo",  "tx_colls",	  "tx_carrier", "tx_compressed",
	};
	int i;

	hw_open(w, NULL, '{');
	hw_u64(w, "ifindex", true, n->ifindex);
	hw_str(w, "name", n->name);
	hw_str(w, "type", net_type_name(n->type));
	hw_u64(w, "speed_mbps", n->has_speed, n->speed_mbps);
	for (i = 0; i < 8; i++)
		hw_u64(w, rx[i], true, n->rx[i]);
	for (i = 0; i < 8; i++)
		hw_u64(w, tx[i], true, n->tx[i]);
	hw_close(w, '}');
}

static void json_psi(struct hw *w, const struct kt_host *h)
{
	int r, k;

	hw_open(w, "psi", '{');
	for (r = 0; r < KT_PSI_NRES; r++) {
		hw_open(w, psi_res_names[r], '{');
		for (k = 0; k < KT_PSI_NKINDS; k++) {
			const struct kt_psi_line *l = &h->psi[r][k];

			if (!l->valid) {
				hw_str(w, psi_kind_names[k], NULL);
				continue;
			}
			hw_open(w, psi_kind_names[k], '{');
			hw_centi(w, "avg10", true, l->avg10);
			hw_centi(w, "avg60", true, l->avg60);
			hw_centi(w, "avg300", true, l->avg300);
			hw_u64(w, "total_us", true, l->total_us);
			hw_close(w, '}');
		}
		hw_close(w, '}');
	}
	hw_close(w, '}');
}

static void json_array(struct hw *w, const struct kt_host *h, bool disks)
{
	size_t i;

	hw_open(w, disks ? "disks" : "nets", '[');
	for (i = 0; disks && i < h->n_disks; i++)
		json_disk(w, &h->disks[i]);
	for (i = 0; !disks && i < h->n_nets; i++)
		json_net(w, &h->nets[i]);
	hw_close(w, ']');
}

int kt_print_host_json(FILE *out, const struct kt_host *h, unsigned collectors)
{
	struct hw w = { out, 1, true };

	hw_open(&w, NULL, '{');
	if (collectors & KT_COLLECT_HOST) {
		hw_str(&w, "name", h->valid ? h->hostname : NULL);
		hw_str(&w, "uuid", h->valid ? h->uuid : NULL);
		json_vms(&w, h);
		json_cpu(&w, h);
		json_mem(&w, h);
	}
	if (collectors & KT_COLLECT_DISK)
		json_array(&w, h, true);
	if (collectors & KT_COLLECT_NET)
		json_array(&w, h, false);
	if (collectors & KT_COLLECT_PSI)
		json_psi(&w, h);
	hw_close(&w, '}');
	return finish(out);
}
