/*
 * The collectors and their KT_COLLECT_* bits: which parts of a snapshot a
 * run fills (options.c sets them from --cpu, --mem...; collect/ and print/
 * read them).  Apart from options.h so that the collectors and printers
 * need nothing of the command line.
 */
#ifndef KT_COLLECTORS_H
#define KT_COLLECTORS_H

/*
 * The collectors, one line each: NAME (gives KT_COLLECT_NAME), the option
 * that selects it (--name) and its help text.  A collector's bit is its
 * position in the list, so adding one is adding a line at the end.
 */
#define KT_COLLECTOR_LIST(X)                                                   \
	X(CPU, "cpu", "CPU time and steal of the vCPU and other QEMU threads") \
	X(MEM, "mem", "memory from libvirt and from the QEMU process")         \
	X(DISK, "disk", "disks: libvirt block stats, host /proc/diskstats")    \
	X(NET, "net", "network: libvirt interface stats, host /proc/net/dev")  \
	X(IO, "io", "I/O of the QEMU process, /proc/PID/io (needs root)")      \
	X(HOST, "host", "host identity, CPU and memory")                       \
	X(PSI, "psi", "host pressure stall information, /proc/pressure")

enum kt_collector_bit {
#define KT_COLLECTOR_BIT(up, name, help) KT_COLLECT_BIT_##up,
	KT_COLLECTOR_LIST(KT_COLLECTOR_BIT)
#undef KT_COLLECTOR_BIT
		KT_COLLECT_COUNT
};

/* KT_COLLECT_CPU == 0x1u, KT_COLLECT_MEM == 0x2u, ... */
enum kt_collector_mask {
#define KT_COLLECTOR_MASK(up, name, help) \
	KT_COLLECT_##up = 1u << KT_COLLECT_BIT_##up,
	KT_COLLECTOR_LIST(KT_COLLECTOR_MASK)
#undef KT_COLLECTOR_MASK
};

#define KT_COLLECT_ALL ((1u << KT_COLLECT_COUNT) - 1u)

/* The collectors that read (also) the host rather than only VMs. */
#define KT_HOST_COLLECTORS \
	(KT_COLLECT_HOST | KT_COLLECT_DISK | KT_COLLECT_NET | KT_COLLECT_PSI)

#endif
