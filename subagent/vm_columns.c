/*
 * The columns of the per-VM tables (kvmtopVmTable to kvmtopVmIoTable, rows:
 * struct kt_vm) and of the per-device tables (kvmtopVcpuTable: struct
 * kt_vcpu, kvmtopVmBlkTable: struct kt_blk, kvmtopVmIfTable: struct
 * kt_iface), one line each, in MIB order.  See columns.h.
 */
#include "columns_def.h"
#include "kvmtop_oid.h"

KT_RULE(vm_has_cpu, struct kt_vm)
KT_RULE(vm_has_vcpu_count, struct kt_vm)
KT_RULE(vm_has_vcpu_times, struct kt_vm)
KT_RULE(vm_has_vcpu_rates, struct kt_vm)
KT_RULE(vm_has_other_rates, struct kt_vm)
KT_RULE(vm_has_mem_libvirt, struct kt_vm)
KT_RULE(vm_has_mem_proc, struct kt_vm)
KT_RULE(vm_has_mem_swap, struct kt_vm)
KT_RULE_ARG(vm_has_disk_value, struct kt_vm)
KT_RULE(vm_has_disk_count, struct kt_vm)
KT_RULE(vm_has_disk_delay, struct kt_vm)
KT_RULE(vm_has_disk_ioutil, struct kt_vm)
KT_RULE(vm_has_net, struct kt_vm)
KT_RULE(vm_has_net_stats, struct kt_vm)
KT_RULE(vm_has_net_tap, struct kt_vm)
KT_RULE(vm_has_io, struct kt_vm)
KT_RULE(vcpu_has_rate, struct kt_vcpu)
KT_RULE_ARG(blk_has_value, struct kt_blk)
KT_RULE(iface_has_stats, struct kt_iface)

const char *kt_vm_state_name(uint64_t state)
{
	static const char *const names[] = {
		[KT_VM_UNKNOWN] = "unknown",
		[KT_VM_OTHER] = "other",
		[KT_VM_PREPARING] = "preparing",
		[KT_VM_RUNNING] = "running",
		[KT_VM_SUSPENDING] = "suspending",
		[KT_VM_SUSPENDED] = "suspended",
		[KT_VM_RESUMING] = "resuming",
		[KT_VM_PAUSED] = "paused",
		[KT_VM_MIGRATING] = "migrating",
		[KT_VM_SHUTTINGDOWN] = "shuttingdown",
		[KT_VM_SHUTDOWN] = "shutdown",
		[KT_VM_CRASHED] = "crashed",
	};

	if (state >= sizeof(names) / sizeof(names[0]) || names[state] == NULL)
		return "unknown";
	return names[state];
}

/* clang-format off */

#define ROW struct kt_vm
static const struct kt_col vm_cols[] = {
	KT_STR(2, "kvmtopVmUuid", "UUID", "uuid", KT_SMI_DISPLAY, KT_FMT_TEXT,
	       KT_KIND_CHARS, uuid),
	KT_STR(3, "kvmtopVmName", "name", "name", KT_SMI_UTF8, KT_FMT_TEXT,
	       KT_KIND_STR, name),
	{ .subid = 4, .mib = "kvmtopVmState", .kvmtop = "state",
	  .json = "state", .smi = KT_SMI_ENUM, .fmt = KT_FMT_NAME,
	  .kind = KT_KIND_STATE, .off = offsetof(ROW, state),
	  .name_of = kt_vm_state_name },
	KT_COL(5, "kvmtopVmPid", "pid", "pid", KT_SMI_UNSIGNED32, NULL,
	       KT_FMT_NUM0, KT_KIND_PID, pid, NULL, 0),
	KT_COL(6, "kvmtopVmDataValid", NULL, "data_valid", KT_SMI_TRUTH, NULL,
	       KT_FMT_BOOL, KT_KIND_BOOL, data_valid, NULL, 0),
};

static const struct kt_col vm_cpu_cols[] = {
	KT_G32(1, "kvmtopVmCpuCores", "cpu_cores", "cores", "vCPUs",
	       cpu.vcpus, vm_has_vcpu_count),
	KT_C64(2, "kvmtopVmCpuTime", NULL, "time_ns", "nanoseconds",
	       cpu.run_ns, vm_has_vcpu_times),
	KT_C64(3, "kvmtopVmCpuStealTime", NULL, "steal_ns", "nanoseconds",
	       cpu.wait_ns, vm_has_vcpu_times),
	KT_C64(4, "kvmtopVmCpuOtherTime", NULL, "other_time_ns", "nanoseconds",
	       cpu.other_run_ns, vm_has_cpu),
	KT_C64(5, "kvmtopVmCpuOtherStealTime", NULL, "other_steal_ns",
	       "nanoseconds", cpu.other_wait_ns, vm_has_cpu),
	KT_PCT(6, "kvmtopVmCpuTotal", "cpu_total", "total", cpu.total,
	       vm_has_vcpu_rates),
	KT_PCT(7, "kvmtopVmCpuSteal", "cpu_steal", "steal", cpu.steal,
	       vm_has_vcpu_rates),
	KT_PCT(8, "kvmtopVmCpuOtherTotal", "cpu_other_total", "other_total",
	       cpu.other_total, vm_has_other_rates),
	KT_PCT(9, "kvmtopVmCpuOtherSteal", "cpu_other_steal", "other_steal",
	       cpu.other_steal, vm_has_other_rates),
	KT_G32(10, "kvmtopVmCpuThreads", NULL, "threads", "threads",
	       cpu.vcpu_threads, vm_has_cpu),
	KT_G32(11, "kvmtopVmCpuOtherThreads", NULL, "other_threads", "threads",
	       cpu.other_threads, vm_has_cpu),
};

static const struct kt_col vm_mem_cols[] = {
	KT_COL(1, "kvmtopVmMemTotal", "ram_total", "total_kib", KT_SMI_GAUGE32,
	       "KiB", KT_FMT_NUM, KT_KIND_U64, mem.max_kib, vm_has_mem_libvirt,
	       0),
	KT_COL(2, "kvmtopVmMemUsed", "ram_used", "used_kib", KT_SMI_GAUGE32,
	       "KiB", KT_FMT_NUM, KT_KIND_U64, mem.cur_kib, vm_has_mem_libvirt,
	       0),
	KT_G64(3, "kvmtopVmMemVsize", "ram_vsize", "vsize", "bytes",
	       mem.stat[KT_PS_VSIZE], vm_has_mem_proc),
	KT_G64(4, "kvmtopVmMemRss", "ram_rss", "rss", "bytes", mem.rss,
	       vm_has_mem_proc),
	KT_C64(5, "kvmtopVmMemMinflt", "ram_minflt", "minflt", "faults",
	       mem.stat[KT_PS_MINFLT], vm_has_mem_proc),
	KT_C64(6, "kvmtopVmMemCminflt", "ram_cminflt", "cminflt", "faults",
	       mem.stat[KT_PS_CMINFLT], vm_has_mem_proc),
	KT_C64(7, "kvmtopVmMemMajflt", "ram_majflt", "majflt", "faults",
	       mem.stat[KT_PS_MAJFLT], vm_has_mem_proc),
	KT_C64(8, "kvmtopVmMemCmajflt", "ram_cmajflt", "cmajflt", "faults",
	       mem.stat[KT_PS_CMAJFLT], vm_has_mem_proc),
	KT_G64(9, "kvmtopVmMemSwap", "ram_swap", "swap", "bytes", mem.swap,
	       vm_has_mem_swap),
};

/*
 * The values of a disk (kvmtopVmBlkTable) and of the sum of a VM's disks
 * (kvmtopVmDiskTable), in the same order in both: X(KT_BLK_* bit, field,
 * MIB suffix, SMI, UNITS, kvmtop's name, JSON key).
 */
#define KT_BLK_VALUES(X)                                                      \
	X(KT_BLK_CAPACITY, capacity, "Capacity", KT_SMI_GAUGE64, "bytes",     \
	  "disk_size_capacity", "capacity")                                   \
	X(KT_BLK_ALLOCATION, allocation, "Allocation", KT_SMI_GAUGE64,       \
	  "bytes", "disk_size_allocation", "allocation")                      \
	X(KT_BLK_PHYSICAL, physical, "Physical", KT_SMI_GAUGE64, "bytes",     \
	  "disk_size_physical", "physical")                                   \
	X(KT_BLK_RD_BYTES, st.rd_bytes, "RdBytes", KT_SMI_COUNTER64, "bytes", \
	  "disk_stats_rdbytes", "rd_bytes")                                   \
	X(KT_BLK_RD_REQS, st.rd_reqs, "RdReqs", KT_SMI_COUNTER64, "requests", \
	  "disk_stats_rdreq", "rd_reqs")                                      \
	X(KT_BLK_RD_NS, st.rd_ns, "RdTime", KT_SMI_COUNTER64, "nanoseconds",  \
	  "disk_stats_rdtotaltimes", "rd_time_ns")                            \
	X(KT_BLK_WR_BYTES, st.wr_bytes, "WrBytes", KT_SMI_COUNTER64, "bytes", \
	  "disk_stats_wrbytes", "wr_bytes")                                   \
	X(KT_BLK_WR_REQS, st.wr_reqs, "WrReqs", KT_SMI_COUNTER64, "requests", \
	  "disk_stats_wrreq", "wr_reqs")                                      \
	X(KT_BLK_WR_NS, st.wr_ns, "WrTime", KT_SMI_COUNTER64, "nanoseconds",  \
	  "disk_stats_wrtotaltimes", "wr_time_ns")                            \
	X(KT_BLK_FL_REQS, st.fl_reqs, "FlushReqs", KT_SMI_COUNTER64,          \
	  "requests", "disk_stats_flushreq", "flush_reqs")                    \
	X(KT_BLK_FL_NS, st.fl_ns, "FlushTime", KT_SMI_COUNTER64,              \
	  "nanoseconds", "disk_stats_flushtotaltimes", "flush_time_ns")

static const struct kt_col vm_disk_cols[] = {
	KT_G32(1, "kvmtopVmDiskCount", NULL, "count", "disks", disk.count,
	       vm_has_disk_count),
#define SUM(bit, field, suffix, smi, units, kv, js)                        \
	KT_COL(1 + __builtin_ctz(bit) + 1, "kvmtopVmDisk" suffix, kv, js, smi, \
	       units, KT_FMT_NUM, KT_KIND_U64, disk.field, vm_has_disk_value, \
	       bit),
	KT_BLK_VALUES(SUM)
#undef SUM
	KT_C64(13, "kvmtopVmDiskDelayBlkio", "disk_delayblkio",
	       "delay_blkio_ns", "nanoseconds", disk.delay_blkio_ns,
	       vm_has_disk_delay),
	KT_PCT(14, "kvmtopVmDiskIoutil", "disk_ioutil", "ioutil", disk.ioutil,
	       vm_has_disk_ioutil),
};

/*
 * The eight counters of kvmtopVmNetTable and kvmtopVmIfTable: X(field, MIB
 * suffix, UNITS, kvmtop's name, JSON key), the guest's view.
 */
#define KT_IF_COUNTERS(X)                                                   \
	X(rx_bytes, "RxBytes", "bytes", "net_receivedBytes", "rx_bytes")     \
	X(rx_packets, "RxPackets", "packets", "net_receivedPackets",         \
	  "rx_packets")                                                      \
	X(rx_errs, "RxErrs", "packets", "net_receivedErrs", "rx_errs")       \
	X(rx_drop, "RxDrop", "packets", "net_receivedDrop", "rx_drop")       \
	X(tx_bytes, "TxBytes", "bytes", "net_transmittedBytes", "tx_bytes")  \
	X(tx_packets, "TxPackets", "packets", "net_transmittedPackets",      \
	  "tx_packets")                                                      \
	X(tx_errs, "TxErrs", "packets", "net_transmittedErrs", "tx_errs")    \
	X(tx_drop, "TxDrop", "packets", "net_transmittedDrop", "tx_drop")

/* The host's counters of the VM's taps: X(kt_tap_counter, suffix, UNITS). */
#define KT_TAP_COUNTERS(X)                                                  \
	X(KT_TAP_RX_FIFO, "RxFifo", "errors", "tap_rx_fifo")                 \
	X(KT_TAP_RX_FRAME, "RxFrame", "errors", "tap_rx_frame")              \
	X(KT_TAP_RX_COMPRESSED, "RxCompressed", "packets",                   \
	  "tap_rx_compressed")                                               \
	X(KT_TAP_RX_MULTICAST, "RxMulticast", "packets", "tap_rx_multicast") \
	X(KT_TAP_TX_FIFO, "TxFifo", "errors", "tap_tx_fifo")                 \
	X(KT_TAP_TX_COLLS, "TxColls", "collisions", "tap_tx_colls")          \
	X(KT_TAP_TX_CARRIER, "TxCarrier", "errors", "tap_tx_carrier")        \
	X(KT_TAP_TX_COMPRESSED, "TxCompressed", "packets",                   \
	  "tap_tx_compressed")

static const struct kt_col vm_net_cols[] = {
	KT_COL(1, "kvmtopVmNetCount", NULL, "count", KT_SMI_GAUGE32,
	       "interfaces", KT_FMT_NUM, KT_KIND_U32, net.count, vm_has_net, 0),
#define NET(field, suffix, units, kv, js)                                  \
	KT_C64(2 + offsetof(struct kt_if_stats, field) / sizeof(uint64_t),  \
	       "kvmtopVmNet" suffix, kv, js, units, net.st.field,           \
	       vm_has_net_stats),
	KT_IF_COUNTERS(NET)
#undef NET
#define TAP(i, suffix, units, js)                                          \
	KT_C64(10 + (i), "kvmtopVmNetTap" suffix, NULL, js, units,           \
	       net.tap[i], vm_has_net_tap),
	KT_TAP_COUNTERS(TAP)
#undef TAP
};

static const struct kt_col vm_io_cols[] = {
	KT_C64(1, "kvmtopVmIoReadBytes", "io_read_bytes", "read_bytes",
	       "bytes", io.read_bytes, vm_has_io),
	KT_C64(2, "kvmtopVmIoWriteBytes", "io_write_bytes", "write_bytes",
	       "bytes", io.write_bytes, vm_has_io),
	KT_C64(3, "kvmtopVmIoRchar", "io_rchar", "rchar", "bytes", io.rchar,
	       vm_has_io),
	KT_C64(4, "kvmtopVmIoWchar", "io_wchar", "wchar", "bytes", io.wchar,
	       vm_has_io),
	KT_C64(5, "kvmtopVmIoSyscr", "io_syscr", "syscr", "system calls",
	       io.syscr, vm_has_io),
	KT_C64(6, "kvmtopVmIoSyscw", "io_syscw", "syscw", "system calls",
	       io.syscw, vm_has_io),
	KT_C64(7, "kvmtopVmIoCancelledWriteBytes", "io_cancelled_write_bytes",
	       "cancelled_write_bytes", "bytes", io.cancelled_write_bytes,
	       vm_has_io),
};
#undef ROW

#define ROW struct kt_vcpu
static const struct kt_col vcpu_cols[] = {
	KT_G32(2, "kvmtopVcpuNumber", NULL, "number", NULL, number, NULL),
	KT_COL(3, "kvmtopVcpuThreadId", NULL, "tid", KT_SMI_UNSIGNED32, NULL,
	       KT_FMT_NUM, KT_KIND_PID, tid, NULL, 0),
	KT_C64(4, "kvmtopVcpuRunTime", NULL, "time_ns", "nanoseconds", run_ns,
	       NULL),
	KT_C64(5, "kvmtopVcpuStealTime", NULL, "steal_ns", "nanoseconds",
	       wait_ns, NULL),
	KT_PCT(6, "kvmtopVcpuTotal", NULL, "total", total, vcpu_has_rate),
	KT_PCT(7, "kvmtopVcpuSteal", NULL, "steal", steal, vcpu_has_rate),
	KT_COL(8, "kvmtopVcpuProcessor", NULL, "processor", KT_SMI_GAUGE32,
	       NULL, KT_FMT_NUM, KT_KIND_INT, processor, NULL, 0),
};
#undef ROW

#define ROW struct kt_blk
static const struct kt_col vm_blk_cols[] = {
	KT_STR(2, "kvmtopVmBlkName", NULL, "name", KT_SMI_UTF8, KT_FMT_TEXT,
	       KT_KIND_STR, target),
	KT_STR(3, "kvmtopVmBlkSource", NULL, "source", KT_SMI_UTF8,
	       KT_FMT_TEXT, KT_KIND_STR, source),
#define BLK(bit, field, suffix, smi, units, kv, js)                        \
	KT_COL(3 + __builtin_ctz(bit) + 1, "kvmtopVmBlk" suffix, NULL, js,   \
	       smi, units, KT_FMT_NUM, KT_KIND_U64, field, blk_has_value,    \
	       bit),
	KT_BLK_VALUES(BLK)
#undef BLK
};
#undef ROW

#define ROW struct kt_iface
static const struct kt_col vm_if_cols[] = {
	KT_STR(2, "kvmtopVmIfName", NULL, "name", KT_SMI_UTF8, KT_FMT_TEXT,
	       KT_KIND_STR, name),
	KT_STR(3, "kvmtopVmIfMac", NULL, "mac", KT_SMI_DISPLAY, KT_FMT_TEXT,
	       KT_KIND_CHARS, mac),
	KT_STR(4, "kvmtopVmIfModel", NULL, "model", KT_SMI_UTF8, KT_FMT_TEXT,
	       KT_KIND_STR, model),
	KT_COL(5, "kvmtopVmIfHostIfIndex", NULL, "host_ifindex",
	       KT_SMI_UNSIGNED32, NULL, KT_FMT_NUM0, KT_KIND_U32, host_ifindex,
	       NULL, 0),
#define IF(field, suffix, units, kv, js)                                   \
	KT_C64(6 + offsetof(struct kt_if_stats, field) / sizeof(uint64_t),  \
	       "kvmtopVmIf" suffix, NULL, js, units, st.field,              \
	       iface_has_stats),
	KT_IF_COUNTERS(IF)
#undef IF
};
#undef ROW

/* clang-format on */

KT_COL_SET(kt_vm_cols, "kvmtopVmTable", KT_OID_VM_TABLE_SUBID, false, vm_cols);
KT_COL_SET(kt_vm_cpu_cols, "kvmtopVmCpuTable", KT_OID_CPU_TABLE_SUBID, false,
	   vm_cpu_cols);
KT_COL_SET(kt_vm_mem_cols, "kvmtopVmMemTable", KT_OID_MEM_TABLE_SUBID, false,
	   vm_mem_cols);
KT_COL_SET(kt_vm_disk_cols, "kvmtopVmDiskTable", KT_OID_VM_DISK_TABLE_SUBID,
	   false, vm_disk_cols);
KT_COL_SET(kt_vm_net_cols, "kvmtopVmNetTable", KT_OID_VM_NET_TABLE_SUBID, false,
	   vm_net_cols);
KT_COL_SET(kt_vm_io_cols, "kvmtopVmIoTable", KT_OID_VM_IO_TABLE_SUBID, false,
	   vm_io_cols);
KT_COL_SET(kt_vcpu_cols, "kvmtopVcpuTable", KT_OID_VCPU_TABLE_SUBID, false,
	   vcpu_cols);
KT_COL_SET(kt_vm_blk_cols, "kvmtopVmBlkTable", KT_OID_VM_BLK_TABLE_SUBID, false,
	   vm_blk_cols);
KT_COL_SET(kt_vm_if_cols, "kvmtopVmIfTable", KT_OID_VM_IF_TABLE_SUBID, false,
	   vm_if_cols);
