/*
 * The printers of the snapshot's host part (--print text|json): text
 * blocks under kvmtop's metric names after print/text.c's VM rows, and the
 * "host" member of print/json.c's document, both with the cells and the
 * writer those printers use.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>

#include "options.h"
#include "print/host_print.h"
#include "print/print.h"

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

static bool has_psi(const struct kt_host *h)
{
	int r, k;

	for (r = 0; r < KT_PSI_NRES; r++)
		for (k = 0; k < KT_PSI_NKINDS; k++)
			if (h->psi[r][k].valid)
				return true;
	return false;
}

bool kt_print_host_wanted(const struct kt_host *h, unsigned collectors)
{
	if ((collectors & KT_HOST_COLLECTORS) == 0)
		return false;
	return h->valid || h->n_disks > 0 || h->n_nets > 0 || has_psi(h);
}

/* ---- text ---- */

/* Microseconds as milliseconds with three places: 2988 -> 2.988. */
static void t_us_as_ms(FILE *out, bool available, uint32_t us)
{
	if (available)
		fprintf(out, "\t%" PRIu32 ".%03" PRIu32, us / 1000, us % 1000);
	else
		fputs("\t-", out);
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
	kt_text_name(out, true, h->valid ? h->hostname : NULL);
	kt_text_name(out, false, h->valid ? h->uuid : NULL);
	kt_text_u64(out, false, h->valid && c->cores != 0, c->cores);
	kt_text_u64(out, false, h->valid && c->has_freq, c->cur_mhz);
	kt_text_u64(out, false, h->valid && c->has_freq, c->min_mhz);
	kt_text_u64(out, false, h->valid && c->has_freq, c->max_mhz);
	for (i = 0; i < KT_CPU_NFIELDS; i++)
		kt_text_centi(out, false, has_pct(h, i), c->pct[i]);
	kt_text_u64(out, false, h->valid, h->vms_running);
	kt_text_u64(out, false, h->valid, h->vms_paused);
	kt_text_u64(out, false, h->valid, h->vms_shutdown);
	kt_text_u64(out, false, h->valid, h->vms_other);
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
		kt_text_u64(out, i == 0, h->valid && m->present[i],
			    m->value[i]);
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

	kt_text_name(out, true, d->name);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		kt_text_u64(out, false, true, c[i]);
	kt_text_centi(out, false, d->has_rate, d->ioutil);
	kt_text_centi(out, false, d->has_rate, d->queue_size);
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

		kt_text_name(out, true, n->name);
		kt_text_name(out, false, net_type_name(n->type));
		for (k = 0; k < 8; k++)
			kt_text_u64(out, false, true, n->rx[k]);
		for (k = 0; k < 8; k++)
			kt_text_u64(out, false, true, n->tx[k]);
		kt_text_u64(out, false, n->has_speed, n->speed_mbps);
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

			kt_text_centi(out, r + k == 0, l->valid, l->avg10);
			kt_text_centi(out, false, l->valid, l->avg60);
			kt_text_centi(out, false, l->valid, l->avg300);
			kt_text_u64(out, false, l->valid, l->total_us);
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
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

/* ---- JSON ---- */

static void json_vms(struct kt_jw *w, const struct kt_host *h)
{
	kt_jw_open(w, "vms", '{');
	kt_jw_u64(w, "running", h->valid, h->vms_running);
	kt_jw_u64(w, "paused", h->valid, h->vms_paused);
	kt_jw_u64(w, "shutdown", h->valid, h->vms_shutdown);
	kt_jw_u64(w, "other", h->valid, h->vms_other);
	kt_jw_close(w, '}');
}

static void json_cpu(struct kt_jw *w, const struct kt_host *h)
{
	const struct kt_host_cpu *c = &h->cpu;
	char key[32];
	int i;

	kt_jw_open(w, "cpu", '{');
	kt_jw_u64(w, "cores", h->valid && c->cores != 0, c->cores);
	kt_jw_u64(w, "curfreq_mhz", h->valid && c->has_freq, c->cur_mhz);
	kt_jw_u64(w, "minfreq_mhz", h->valid && c->has_freq, c->min_mhz);
	kt_jw_u64(w, "maxfreq_mhz", h->valid && c->has_freq, c->max_mhz);
	for (i = 0; i < KT_CPU_NFIELDS; i++)
		kt_jw_centi(w, cpu_names[i], has_pct(h, i), c->pct[i]);
	for (i = 0; i < KT_CPU_NFIELDS; i++) {
		snprintf(key, sizeof(key), "%s_ticks", cpu_names[i]);
		kt_jw_u64(w, key, has_ticks(h, i), c->ticks[i]);
	}
	kt_jw_close(w, '}');
}

/* Values in KiB, HugePages_* counts, as /proc/meminfo gives them. */
static void json_mem(struct kt_jw *w, const struct kt_host *h)
{
	int i;

	kt_jw_open(w, "mem", '{');
	for (i = 0; i < KT_MEMINFO_N; i++)
		kt_jw_u64(w, kt_meminfo_names[i], h->valid && h->mem.present[i],
			  h->mem.value[i]);
	kt_jw_close(w, '}');
}

static void json_disk(struct kt_jw *w, const struct kt_host_disk *d)
{
	kt_jw_open(w, NULL, '{');
	kt_jw_u64(w, "index", true, d->index);
	kt_jw_str_known(w, "name", d->name);
	kt_jw_u64(w, "major", true, d->major);
	kt_jw_u64(w, "minor", true, d->minor);
	kt_jw_u64(w, "reads", true, d->reads);
	kt_jw_u64(w, "reads_merged", true, d->reads_merged);
	kt_jw_u64(w, "sectors_read", true, d->sectors_read);
	kt_jw_u64(w, "read_ms", true, d->read_ms);
	kt_jw_u64(w, "writes", true, d->writes);
	kt_jw_u64(w, "writes_merged", true, d->writes_merged);
	kt_jw_u64(w, "sectors_written", true, d->sectors_written);
	kt_jw_u64(w, "write_ms", true, d->write_ms);
	kt_jw_u64(w, "in_flight", true, d->in_flight);
	kt_jw_u64(w, "io_ms", true, d->io_ms);
	kt_jw_u64(w, "weighted_io_ms", true, d->weighted_ms);
	kt_jw_centi(w, "ioutil", d->has_rate, d->ioutil);
	kt_jw_centi(w, "queue_size", d->has_rate, d->queue_size);
	kt_jw_u64(w, "queue_time_us", d->has_rate && d->has_queue_time,
		  d->queue_time_us);
	kt_jw_u64(w, "service_time_us", d->has_rate && d->has_service_time,
		  d->service_time_us);
	kt_jw_close(w, '}');
}

static void json_net(struct kt_jw *w, const struct kt_host_net *n)
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

	kt_jw_open(w, NULL, '{');
	kt_jw_u64(w, "ifindex", true, n->ifindex);
	kt_jw_str_known(w, "name", n->name);
	kt_jw_str_known(w, "type", net_type_name(n->type));
	kt_jw_u64(w, "speed_mbps", n->has_speed, n->speed_mbps);
	for (i = 0; i < 8; i++)
		kt_jw_u64(w, rx[i], true, n->rx[i]);
	for (i = 0; i < 8; i++)
		kt_jw_u64(w, tx[i], true, n->tx[i]);
	kt_jw_close(w, '}');
}

static void json_psi(struct kt_jw *w, const struct kt_host *h)
{
	int r, k;

	kt_jw_open(w, "psi", '{');
	for (r = 0; r < KT_PSI_NRES; r++) {
		kt_jw_open(w, psi_res_names[r], '{');
		for (k = 0; k < KT_PSI_NKINDS; k++) {
			const struct kt_psi_line *l = &h->psi[r][k];

			if (!l->valid) {
				kt_jw_str(w, psi_kind_names[k], NULL);
				continue;
			}
			kt_jw_open(w, psi_kind_names[k], '{');
			kt_jw_centi(w, "avg10", true, l->avg10);
			kt_jw_centi(w, "avg60", true, l->avg60);
			kt_jw_centi(w, "avg300", true, l->avg300);
			kt_jw_u64(w, "total_us", true, l->total_us);
			kt_jw_close(w, '}');
		}
		kt_jw_close(w, '}');
	}
	kt_jw_close(w, '}');
}

static void json_array(struct kt_jw *w, const struct kt_host *h, bool disks)
{
	size_t i;

	kt_jw_open(w, disks ? "disks" : "nets", '[');
	for (i = 0; disks && i < h->n_disks; i++)
		json_disk(w, &h->disks[i]);
	for (i = 0; !disks && i < h->n_nets; i++)
		json_net(w, &h->nets[i]);
	kt_jw_close(w, ']');
}

void kt_print_host_json(struct kt_jw *w, const struct kt_host *h,
			unsigned collectors)
{
	kt_jw_open(w, "host", '{');
	if (collectors & KT_COLLECT_HOST) {
		kt_jw_str_known(w, "name", h->valid ? h->hostname : NULL);
		kt_jw_str_known(w, "uuid", h->valid ? h->uuid : NULL);
		json_vms(w, h);
		json_cpu(w, h);
		json_mem(w, h);
	}
	if (collectors & KT_COLLECT_DISK)
		json_array(w, h, true);
	if (collectors & KT_COLLECT_NET)
		json_array(w, h, false);
	if (collectors & KT_COLLECT_PSI)
		json_psi(w, h);
	kt_jw_close(w, '}');
}
