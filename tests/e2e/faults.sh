#!/bin/bash
# End to end, the agent through the faults of its sources (issue 5):
#   - a sick VM: its QEMU process SIGSTOPped, so that libvirtd's questions
#     to its monitor go unanswered (libvirt's bulk statistics call blocks on
#     it).  GETs keep answering at once; the sick VM's row is marked
#     (kvmtopVmDataValid false, no disk counters), the healthy VM's row
#     stays fresh and correct, libvirt stays connected; SIGCONT heals it;
#   - libvirtd SIGSTOPped: GETs keep answering at once, the collector does
#     not hang (kvmtopAgentRefreshCount goes on: keepalive and deadlines),
#     kvmtopAgentLibvirtConnected turns false and the rows stale; after
#     SIGCONT all turns fresh again;
#   - libvirtd killed (-9) and started again: the same, with the log saying
#     it once (rate-limited) and once that it recovered.
# The guests have no OS (they start in a moment) and one small raw disk.
. "$(dirname "$0")/lib.sh"
kt_e2e_setup

F=1 # the agent's refresh interval, seconds (libvirt calls wait 2 s at most)
R=$KT_ROOT_OID
A=$R.1.1 VM=$R.1.2.1 CPU=$R.1.3.1 DISK=$R.1.5.1
SICK=kt-e2e-ft-sick WELL=kt-e2e-ft-well

# kt_bios_disk NAME: a no-OS guest with a 1 MiB raw disk (vda).
kt_bios_disk() {
	local name=$1
	KT_E2E_UUID[$name]=$(kt_e2e_uuid)
	truncate -s 1M "$KT_TMP/$name.img"
	kt_e2e_bios_xml "$name" 1 | sed "s|</devices>|  <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$KT_TMP/$name.img'/><target dev='vda' bus='virtio'/></disk>\n  </devices>|" \
		> "$KT_TMP/$name.xml"
	kt_e2e_create "$name"
}

# The row cells of both guests and the agent scalars, from one snapshot.
snap() {
	local s=${KT_IDX[${KT_E2E_UUID[$SICK]}]} w=${KT_IDX[${KT_E2E_UUID[$WELL]}]}
	kt_e2e_getmany "$A.5.0" "$A.9.0" "$VM.6.$s" "$VM.6.$w" \
		"$DISK.6.$s" "$DISK.6.$w" "$CPU.2.$w"
	S_VALID=${KT_V[$VM.6.$s]:-} W_VALID=${KT_V[$VM.6.$w]:-}
	S_RDREQS=${KT_V[$DISK.6.$s]:-} W_RDREQS=${KT_V[$DISK.6.$w]:-}
	W_CPU=${KT_V[$CPU.2.$w]:-} CONNECTED=${KT_V[$A.5.0]:-}
	COUNT=${KT_V[$A.9.0]:-}
}
sick_marked() { snap; [ "$S_VALID" = 2 ] && [ -z "$S_RDREQS" ]; }
# A row said valid must have its disk counters (checked at the end; the
# polls run in subshells).
all_fresh() {
	snap
	[ "$S_VALID" = 1 ] && [ -z "$S_RDREQS" ] &&
		echo "collection $COUNT" >> "$KT_TMP/anomalies"
	[ "$S_VALID" = 1 ] && [ "$W_VALID" = 1 ] && [ "$CONNECTED" = 1 ]
}
all_stale() { snap; [ "$CONNECTED" = 2 ] && [ "$S_VALID" = 2 ] && [ "$W_VALID" = 2 ]; }

# The slowest of N GETs (ms), one every 0.1 s, each with a 1 s timeout and
# no retry: a GET that does not answer at once shows as >= 1000.
slowest_get() {
	local n=$1 i t0 t1 ms max=0
	for i in $(seq "$n"); do
		t0=$(date +%s%N)
		snmpget -v2c -c public -t 1 -r 0 -On -Oq "127.0.0.1:$KT_PORT" \
			"$A.9.0" >/dev/null 2>&1 || { echo 9999; return; }
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		[ "$ms" -gt "$max" ] && max=$ms
		sleep 0.1
	done
	echo "$max"
}
# Stops PID, then checks that CONDITION (sick_marked, all_stale) holds
# within LIMIT s, that GETs answer at once meanwhile, and that collections
# go on (the collector does not hang).  WHAT names the fault.
stop_and_check() { # PID WHAT CONDITION LIMIT
	local t max c0
	kill -STOP "$1"
	t=$(kt_time_until "$4" "$3")
	kt_ok $? "$2: $3 after ${t:-?} s"
	echo "# $2: $3 after $t s"
	max=$(slowest_get 30)
	kt_ok $([ "$max" -lt 500 ]; echo $?) "$2: GETs answer at once (slowest of 30: $max ms)"
	snap
	c0=$COUNT CPU_BEFORE=$W_CPU
	kt_e2e_wait_count $((c0 + 3)) 300
	snap
	kt_ok $([ "$COUNT" -ge $((c0 + 3)) ]; echo $?) "$2: collections go on ($c0 -> $COUNT)"
}
log_lines() { grep -c -E "$1" "$KT_TMP/subagent.log"; }

# Whatever happens, nothing is left stopped (before the guests are destroyed).
SICK_PID="" LIBVIRTD=""
resume_all() {
	[ -n "$SICK_PID" ] && kill -CONT "$SICK_PID" 2>/dev/null
	[ -n "$LIBVIRTD" ] && kill -CONT "$LIBVIRTD" 2>/dev/null
	kt_e2e_cleanup
}
trap resume_all EXIT

kt_bios_disk "$SICK" || kt_bail "$SICK not created"
kt_bios_disk "$WELL" || kt_bail "$WELL not created"
kt_start_snmpd
kt_start_subagent -c "$KT_E2E_URI" -f "$F"
kt_wait_refresh 2 || kt_bail "no collection: $(tail -3 "$KT_TMP/subagent.log")"
kt_e2e_next_refresh
kt_e2e_indexes
[ -n "${KT_IDX[${KT_E2E_UUID[$SICK]}]:-}" ] && [ -n "${KT_IDX[${KT_E2E_UUID[$WELL]}]:-}" ] ||
	kt_bail "the guests have no rows"
kt_wait_for 100 all_fresh
kt_ok $? "both guests fresh, libvirt connected"
snap
kt_ok $([ -n "$S_RDREQS" ] && [ -n "$W_RDREQS" ]; echo $?) "both guests' disk counters served"

# ---- a sick VM ----
SICK_PID=$(kt_e2e_qemu_pid "$SICK")
stop_and_check "$SICK_PID" "QEMU of $SICK SIGSTOPped" sick_marked 20
cpu0=$CPU_BEFORE
kt_is "$W_VALID $CONNECTED" "1 1" "the healthy VM stays fresh, libvirt connected"
kt_ok $([ -n "$W_RDREQS" ]; echo $?) "the healthy VM's disk counters are served"
kt_ok $([ -n "$W_CPU" ] && [ "$W_CPU" -gt "$cpu0" ]; echo $?) "the healthy VM's CPU time goes on ($cpu0 -> $W_CPU)"
read -r run _ _ <<< "$(kt_e2e_vcpu_sched "$(kt_e2e_qemu_pid "$WELL")")"
kt_ok $([ "$W_CPU" -le "$run" ] && [ "$W_CPU" -ge $((run - 5000000000)) ]; echo $?) \
	"the healthy VM's CPU time ($W_CPU ns) is /proc's vCPU run time now ($run ns) less a few seconds at most"
kill -CONT "$SICK_PID"
t=$(kt_time_until 40 all_fresh)
kt_ok $? "SIGCONT: the sick VM's row is fresh again after ${t:-?} s"
snap # kt_time_until ran all_fresh in a subshell
kt_ok $([ "$S_VALID" = 1 ] && [ -n "$S_RDREQS" ]; echo $?) "and its disk counters are back"

# ---- libvirtd hangs ----
LIBVIRTD=$(pgrep -x libvirtd | head -1)
[ -n "$LIBVIRTD" ] || kt_bail "no libvirtd"
complaints0=$(log_lines 'libvirt.*(cannot connect|listing domains)')
stop_and_check "$LIBVIRTD" "libvirtd SIGSTOPped" all_stale 30
kill -CONT "$LIBVIRTD"
t=$(kt_time_until 60 all_fresh)
kt_ok $? "libvirtd SIGCONTed: connected and fresh again after ${t:-?} s"
echo "# fresh again $t s after SIGCONT"

# ---- libvirtd killed and started again ----
kill -KILL "$LIBVIRTD"
t=$(kt_time_until 30 all_stale)
kt_ok $? "libvirtd killed: connected false, rows stale after ${t:-?} s"
max=$(slowest_get 20)
kt_ok $([ "$max" -lt 500 ]; echo $?) "GETs answer while libvirtd is away (slowest of 20: $max ms)"
sleep 5 # a few more cycles without libvirtd: they must not each log
rm -f /run/libvirtd.pid
libvirtd -d </dev/null >/dev/null 2>&1 {KT_E2E_LOCKFD}<&- || kt_bail "libvirtd does not start again"
kt_wait_for 50 test -s /run/libvirtd.pid
[ "$KT_E2E_STARTED_LIBVIRTD" = "$LIBVIRTD" ] && KT_E2E_STARTED_LIBVIRTD=$(cat /run/libvirtd.pid)
t=$(kt_time_until 60 all_fresh)
kt_ok $? "libvirtd back: connected and fresh again after ${t:-?} s"
echo "# reconnected $t s after libvirtd was started again"
complaints=$(($(log_lines 'libvirt.*(cannot connect|listing domains)') - complaints0))
kt_ok $([ "$complaints" -ge 1 ] && [ "$complaints" -le 3 ]; echo $?) \
	"libvirt's absence logged, rate-limited ($complaints lines over the outage)"
kt_ok $([ "$(log_lines 'libvirt.*connected to')" -ge 2 ]; echo $?) "the recovery is logged"
grep -E 'libvirt' "$KT_TMP/subagent.log" | tail -8 | sed 's/^/# /'

kt_is "$(cat "$KT_TMP/anomalies" 2>/dev/null)" "" "no row was said valid without its disk counters"
kt_stop_subagent
kt_e2e_done
