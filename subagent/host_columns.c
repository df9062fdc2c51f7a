/*
 * The columns of the host's objects, one line each, in MIB order: the
 * kvmtopHost scalars (row: struct kt_host), kvmtopHostMemTable (struct
 * kt_meminfo_row), kvmtopHostDiskTable (struct kt_host_disk),
 * kvmtopHostNetTable (struct kt_host_net) and kvmtopHostPsiTable (struct
 * kt_psi_line).  See columns.h.
 */
#include "columns_def.h"
#include "kvmtop_oid.h"

KT_RULE(host_has_name, struct kt_host)
KT_RULE(host_has_uuid, struct kt_host)
KT_RULE(host_has_cores, struct kt_host)
KT_RULE(host_has_freq, struct kt_host)
KT_RULE_ARG(host_has_pct, struct kt_host)
KT_RULE_ARG(host_has_ticks, struct kt_host)
KT_RULE(host_has_counts, struct kt_host)
KT_RULE(host_disk_has_rate, struct kt_host_disk)
KT_RULE(host_disk_has_queue_time, struct kt_host_disk)
KT_RULE(host_disk_has_service_time, struct kt_host_disk)
KT_RULE(host_net_has_speed, struct kt_host_net)

const char *kt_net_type_name(uint64_t type)
{
	switch (type) {
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

/* clang-format off */

/*
 * The fields of /proc/stat's cpu line: X(kt_cpu_field, MIB infix, kvmtop's
 * name, JSON key of the percentage).
 */
#define KT_CPU_FIELDS(X)                                        \
	X(KT_CPU_USER, "User", "cpu_user", "user")               \
	X(KT_CPU_NICE, "Nice", "cpu_nice", "nice")               \
	X(KT_CPU_SYSTEM, "System", "cpu_system", "system")       \
	X(KT_CPU_IDLE, "Idle", "cpu_idle", "idle")               \
	X(KT_CPU_IOWAIT, "Iowait", "cpu_iowait", "iowait")       \
	X(KT_CPU_IRQ, "Irq", "cpu_irq", "irq")                   \
	X(KT_CPU_SOFTIRQ, "Softirq", "cpu_softirq", "softirq")   \
	X(KT_CPU_STEAL, "Steal", "cpu_steal", "steal")           \
	X(KT_CPU_GUEST, "Guest", "cpu_guest", "guest")           \
	X(KT_CPU_GUEST_NICE, "GuestNice", "cpu_guestnice", "guestnice")

#define ROW struct kt_host
static const struct kt_col host_cols[] = {
	KT_COL(1, "kvmtopHostName", "host_name", "name", KT_SMI_UTF8, NULL,
	       KT_FMT_KNOWN, KT_KIND_CHARS, hostname, host_has_name, 0),
	KT_COL(2, "kvmtopHostUuid", "host_uuid", "uuid", KT_SMI_DISPLAY, NULL,
	       KT_FMT_KNOWN, KT_KIND_CHARS, uuid, host_has_uuid, 0),
	KT_G32(3, "kvmtopHostCpuCores", "cpu_cores", "cores", "CPUs",
	       cpu.cores, host_has_cores),
	KT_G32(4, "kvmtopHostCpuCurFreq", "cpu_curfreq", "curfreq_mhz", "MHz",
	       cpu.cur_mhz, host_has_freq),
	KT_G32(5, "kvmtopHostCpuMinFreq", "cpu_minfreq", "minfreq_mhz", "MHz",
	       cpu.min_mhz, host_has_freq),
	KT_G32(6, "kvmtopHostCpuMaxFreq", "cpu_maxfreq", "maxfreq_mhz", "MHz",
	       cpu.max_mhz, host_has_freq),
#define PCT(f, infix, kv, js)                                            \
	KT_COL(7 + (f), "kvmtopHostCpu" infix, kv, js, KT_SMI_GAUGE32,    \
	       "0.01 percent", KT_FMT_CENTI, KT_KIND_U32, cpu.pct[f],     \
	       host_has_pct, f),
	KT_CPU_FIELDS(PCT)
#undef PCT
#define TICKS(f, infix, kv, js)                                          \
	KT_COL(17 + (f), "kvmtopHostCpu" infix "Time", NULL, js "_ticks", \
	       KT_SMI_COUNTER64, "hundredths of a second", KT_FMT_NUM,    \
	       KT_KIND_U64, cpu.ticks[f], host_has_ticks, f),
	KT_CPU_FIELDS(TICKS)
#undef TICKS
	KT_G32(27, "kvmtopHostVmsRunning", "vms_running", "running",
	       "virtual machines", vms_running, host_has_counts),
	KT_G32(28, "kvmtopHostVmsPaused", "vms_paused", "paused",
	       "virtual machines", vms_paused, host_has_counts),
	KT_G32(29, "kvmtopHostVmsShutdown", "vms_shutdown", "shutdown",
	       "virtual machines", vms_shutdown, host_has_counts),
	KT_G32(30, "kvmtopHostVmsOther", "vms_other", "other",
	       "virtual machines", vms_other, host_has_counts),
};
#undef ROW

/* clang-format on */

static bool mem_name(const void *row, unsigned arg, struct kt_cell *out)
{
	const struct kt_meminfo_row *r = row;

	(void)arg;
	out->str = kt_meminfo_names[r->i];
	return true;
}

/* Values in KiB, HugePages_* counts, as /proc/meminfo gives them. */
static bool mem_value(const void *row, unsigned arg, struct kt_cell *out)
{
	const struct kt_meminfo_row *r = row;

	(void)arg;
	out->num = r->mem->value[r->i];
	return r->host_valid && r->mem->present[r->i];
}

static bool mem_unit(const void *row, unsigned arg, struct kt_cell *out)
{
	const struct kt_meminfo_row *r = row;

	(void)arg;
	out->str = r->mem->in_kib[r->i] ? "KiB" : "";
	return true;
}

static const struct kt_col host_mem_cols[] = {
	KT_FN(2, "kvmtopHostMemName", NULL, NULL, KT_SMI_DISPLAY, NULL,
	      KT_FMT_TEXT, mem_name),
	KT_FN(3, "kvmtopHostMemValue", NULL, NULL, KT_SMI_GAUGE64, NULL,
	      KT_FMT_NUM, mem_value),
	KT_FN(4, "kvmtopHostMemUnit", NULL, NULL, KT_SMI_DISPLAY, NULL,
	      KT_FMT_TEXT, mem_unit),
};

/* clang-format off */

#define ROW struct kt_host_disk
static const struct kt_col host_disk_cols[] = {
	KT_STR(2, "kvmtopHostDiskName", "disk_device_name", "name",
	       KT_SMI_UTF8, KT_FMT_KNOWN, KT_KIND_CHARS, name),
	KT_C64(3, "kvmtopHostDiskReads", "disk_device_reads", "reads",
	       "requests", reads, NULL),
	KT_C64(4, "kvmtopHostDiskReadsMerged", "disk_device_readsmerged",
	       "reads_merged", "requests", reads_merged, NULL),
	KT_C64(5, "kvmtopHostDiskSectorsRead", "disk_device_sectorsread",
	       "sectors_read", "sectors", sectors_read, NULL),
	KT_C64(6, "kvmtopHostDiskReadTime", "disk_device_timereading",
	       "read_ms", "milliseconds", read_ms, NULL),
	KT_C64(7, "kvmtopHostDiskWrites", "disk_device_writes", "writes",
	       "requests", writes, NULL),
	KT_C64(8, "kvmtopHostDiskWritesMerged", "disk_device_writesmerged",
	       "writes_merged", "requests", writes_merged, NULL),
	KT_C64(9, "kvmtopHostDiskSectorsWritten", "disk_device_sectorswritten",
	       "sectors_written", "sectors", sectors_written, NULL),
	KT_C64(10, "kvmtopHostDiskWriteTime", "disk_device_timewriting",
	       "write_ms", "milliseconds", write_ms, NULL),
	KT_C64(11, "kvmtopHostDiskIoTime", "disk_device_timeforops", "io_ms",
	       "milliseconds", io_ms, NULL),
	KT_C64(12, "kvmtopHostDiskWeightedIoTime",
	       "disk_device_weightedtimeforops", "weighted_io_ms",
	       "milliseconds", weighted_ms, NULL),
	KT_COL(13, "kvmtopHostDiskInFlight", "disk_device_currentops",
	       "in_flight", KT_SMI_GAUGE32, "requests", KT_FMT_NUM,
	       KT_KIND_U64, in_flight, NULL, 0),
	KT_PCT(14, "kvmtopHostDiskIoutil", "disk_device_ioutil", "ioutil",
	       ioutil, host_disk_has_rate),
	KT_COL(15, "kvmtopHostDiskQueueSize", "disk_device_queuesize",
	       "queue_size", KT_SMI_GAUGE32, "0.01 requests", KT_FMT_CENTI,
	       KT_KIND_U32, queue_size, host_disk_has_rate, 0),
	KT_COL(16, "kvmtopHostDiskQueueTime", "disk_device_queuetime",
	       "queue_time_us", KT_SMI_GAUGE32, "microseconds", KT_FMT_USEC,
	       KT_KIND_U32, queue_time_us, host_disk_has_queue_time, 0),
	KT_COL(17, "kvmtopHostDiskServiceTime", "disk_device_servicetime",
	       "service_time_us", KT_SMI_GAUGE32, "microseconds", KT_FMT_USEC,
	       KT_KIND_U32, service_time_us, host_disk_has_service_time, 0),
};
#undef ROW

/*
 * The 16 counters of a /proc/net/dev line, the host's view: X(direction,
 * position, MIB suffix, UNITS, kvmtop's name, JSON key).
 */
#define KT_NETDEV_COUNTERS(X)                                                \
	X(rx, 0, "RxBytes", "bytes", "net_host_receivedBytes", "rx_bytes")    \
	X(rx, 1, "RxPackets", "packets", "net_host_receivedPackets",          \
	  "rx_packets")                                                       \
	X(rx, 2, "RxErrs", "packets", "net_host_receivedErrs", "rx_errs")     \
	X(rx, 3, "RxDrop", "packets", "net_host_receivedDrop", "rx_drop")     \
	X(rx, 4, "RxFifo", "errors", "net_host_receivedFifo", "rx_fifo")      \
	X(rx, 5, "RxFrame", "errors", "net_host_receivedFrame", "rx_frame")   \
	X(rx, 6, "RxCompressed", "packets", "net_host_receivedCompressed",    \
	  "rx_compressed")                                                    \
	X(rx, 7, "RxMulticast", "packets", "net_host_receivedMulticast",      \
	  "rx_multicast")                                                     \
	X(tx, 0, "TxBytes", "bytes", "net_host_transmittedBytes", "tx_bytes") \
	X(tx, 1, "TxPackets", "packets", "net_host_transmittedPackets",       \
	  "tx_packets")                                                       \
	X(tx, 2, "TxErrs", "packets", "net_host_transmittedErrs", "tx_errs")  \
	X(tx, 3, "TxDrop", "packets", "net_host_transmittedDrop", "tx_drop")  \
	X(tx, 4, "TxFifo", "errors", "net_host_transmittedFifo", "tx_fifo")   \
	X(tx, 5, "TxColls", "collisions", "net_host_transmittedColls",        \
	  "tx_colls")                                                         \
	X(tx, 6, "TxCarrier", "errors", "net_host_transmittedCarrier",        \
	  "tx_carrier")                                                       \
	X(tx, 7, "TxCompressed", "packets", "net_host_transmittedCompressed", \
	  "tx_compressed")

#define ROW struct kt_host_net
static const struct kt_col host_net_cols[] = {
	KT_STR(2, "kvmtopHostNetName", "net_host_name", "name", KT_SMI_UTF8,
	       KT_FMT_KNOWN, KT_KIND_CHARS, name),
#define NETDEV(dir, i, suffix, units, kv, js)                              \
	KT_C64(3 + (offsetof(ROW, dir[i]) - offsetof(ROW, rx)) / 8,       \
	       "kvmtopHostNet" suffix,                                      \
	       kv, js, units, dir[i], NULL),
	KT_NETDEV_COUNTERS(NETDEV)
#undef NETDEV
	KT_G32(19, "kvmtopHostNetSpeed", "net_host_speed", "speed_mbps",
	       "Mbit/s", speed_mbps, host_net_has_speed),
	{ .subid = 20, .mib = "kvmtopHostNetType", .kvmtop = "net_host_type",
	  .json = "type", .smi = KT_SMI_ENUM, .fmt = KT_FMT_NAME,
	  .kind = KT_KIND_NET, .off = offsetof(ROW, type),
	  .name_of = kt_net_type_name },
};
#undef ROW

#define ROW struct kt_psi_line
static const struct kt_col host_psi_cols[] = {
	KT_PCT(3, "kvmtopHostPsiAvg10", "avg10", "avg10", avg10, NULL),
	KT_PCT(4, "kvmtopHostPsiAvg60", "avg60", "avg60", avg60, NULL),
	KT_PCT(5, "kvmtopHostPsiAvg300", "avg300", "avg300", avg300, NULL),
	KT_C64(6, "kvmtopHostPsiTotal", "total", "total_us", "microseconds",
	       total_us, NULL),
};
#undef ROW

/* clang-format on */

KT_COL_SET(kt_host_cols, "kvmtopHost", KT_OID_HOST_SUBID, true, host_cols);
KT_COL_SET(kt_host_mem_cols, "kvmtopHostMemTable", KT_OID_HOST_MEM_TABLE_SUBID,
	   false, host_mem_cols);
KT_COL_SET(kt_host_disk_cols, "kvmtopHostDiskTable",
	   KT_OID_HOST_DISK_TABLE_SUBID, false, host_disk_cols);
KT_COL_SET(kt_host_net_cols, "kvmtopHostNetTable", KT_OID_HOST_NET_TABLE_SUBID,
	   false, host_net_cols);
KT_COL_SET(kt_host_psi_cols, "kvmtopHostPsiTable", KT_OID_HOST_PSI_TABLE_SUBID,
	   false, host_psi_cols);
