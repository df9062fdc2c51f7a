/*
 * The host part of --print: kvmtop-style text blocks and a JSON object.
 * They read only the snapshot's host part, like the SNMP handlers.
 *
 * The text printer returns 0, or -1 when writing to @out failed (it
 * fflushes it).
 * @collectors (KT_COLLECT_* of collectors.h) says which parts to print:
 * HOST the identity, CPU, VM counts and memory; DISK the block devices;
 * NET the interfaces; PSI the pressure.  Unavailable values print as "-"
 * (text) or null (JSON), never as a made-up 0.
 */
#ifndef KT_HOST_PRINT_H
#define KT_HOST_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "host.h"
#include "print/jsonw.h"

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
 * Whether the snapshot has a host part to print for @collectors: a host
 * collector (HOST, DISK, NET or PSI) is on and the host was read (identity,
 * a disk, an interface or a pressure line).  The VM printers ask before they
 * append the host's blocks or its "host" member.
 */
bool kt_print_host_wanted(const struct kt_host *h, unsigned collectors);

/*
 * JSON: a "host" member of the object @w is in (the top level of
 * print/json.c's document), its key and its object:
 *   "host": {"name", "uuid", "vms": {...}, "cpu": {...},
 *    "mem": {"MemTotal": ...}, "disks": [...], "nets": [...],
 *    "psi": {"cpu": {"some": {...}, "full": null}, ...}}
 * A name or UUID that is unknown ("") is null.  Percentages as decimal
 * numbers in percent (37.50), counters as integers.  @w's FILE is not
 * flushed: the document's printer does that at its end.
 */
void kt_print_host_json(struct kt_jw *w, const struct kt_host *h,
			unsigned collectors);

#endif
