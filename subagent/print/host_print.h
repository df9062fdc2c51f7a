/*
 * The host part of --print: kvmtop-style text blocks and a JSON object.
 * They read only the snapshot's host part, like the SNMP handlers.
 *
 * Both return 0, or -1 when writing to @out failed (they fflush it).
 * @collectors (KT_COLLECT_* of options.h) says which parts to print:
 * HOST the identity, CPU, VM counts and memory; DISK the block devices;
 * NET the interfaces; PSI the pressure.  Unavailable values print as "-"
 * (text) or null (JSON), never as a made-up 0.
 */
#ifndef KT_HOST_PRINT_H
#define KT_HOST_PRINT_H

#include <stdio.h>

#include "host.h"

/*
 * Text: for each part, an empty line, a header line of kvmtop's metric
 * names and one line of values per row, tab-separated like the VM table of
 * print/text.c.  Blocks: host (host_name host_uuid cpu_cores cpu_curfreq
 * ... cpu_guestnice vms_*), ram (ram_Total ram_Free ram_Available
 * ram_Buffers ... in KiB, HugePages_* counts), disk (one row per device:
 * disk_device_name disk_device_reads ... disk_device_servicetime), net
 * (one row per interface: net_host_name net_host_type
 * net_host_receivedBytes ... net_host_speed) and psi (psi_some_cpu_avg10
 * ... psi_full_mem_total).  Percentages and queue sizes with two decimals,
 * queue and service times in ms with three, frequencies in MHz.
 */
int kt_print_host_text(FILE *out, const struct kt_host *h, unsigned collectors);

/*
 * JSON: the value of a "host" member of the top-level object, written from
 * its opening brace to its closing one (no newline after it), indented as
 * a member at depth 1 of print/json.c's document:
 *   {"name", "uuid", "vms": {...}, "cpu": {...}, "mem": {"MemTotal": ...},
 *    "disks": [...], "nets": [...], "psi": {"cpu": {"some": {...}, ...}}}
 * Percentages as decimal numbers in percent (37.50), counters as integers.
 */
int kt_print_host_json(FILE *out, const struct kt_host *h, unsigned collectors);

/*
 * A JSON string with its quotes: valid UTF-8 passes, control characters
 * are escaped, a byte that is not UTF-8 becomes U+FFFD.  (The same rules as
 * print/json.c's own helper, which is static; fold the two.)
 */
void kt_json_put_string(FILE *out, const char *s);

#endif
