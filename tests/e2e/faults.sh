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
#
# Nothing here depends on the machine's speed: the test waits for states
# (asking the agent for collections with SIGUSR1 meanwhile, at most
# KT_PATIENCE s), "GETs answer at once" means every GET answers within
# GET_TIMEOUT s, far less than the agent's collector waits on a stopped
# process (F s) and than the stall itself (the process stays stopped until
# the GETs are done), and the complaints are bounded by the back-off over
# the time each outage lasted (kt_complaints_allowed).  GET latency is a
# figure of bench/latency.sh; the slowest GET is only shown here.
. "$(dirname "$0")/lib.sh"
kt_e2e_setup

F=10         # the agent's interval, seconds; libvirt calls wait as long (at most 10 s)
GET_TIMEOUT=3 # seconds a GET may take while the agent waits on a stopped process
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

# until_state CONDITION: until CONDITION holds, the agent is asked to
# collect (SIGUSR1: one collection after another), at most KT_PATIENCE s.
# WAITED: the seconds it took.
until_state() {
	local t0
	t0=$(date +%s%N)
	until "$1"; do
		if [ "$(kt_ms_since "$t0")" -gt $((KT_PATIENCE * 1000)) ]; then
			WAITED="more than $KT_PATIENCE"
			return 1
		fi
		kill -USR1 "$KT_SUBAGENT_PID"
		sleep 0.2
	done
	WAITED=$(($(kt_ms_since "$t0") / 100))
	WAITED=$((WAITED / 10)).$((WAITED % 10))
}
# collect_fresh: returns when a collection that began after the call is
# served (the first one counted may have been under way); ASKED_NS: when
# it was called.
collect_fresh() {
	local n
	n=$(kt_refreshes) || return 1
	ASKED_NS=$(date +%s%N)
	kill -USR1 "$KT_SUBAGENT_PID"
	kt_e2e_wait_count $((n + 1)) || return 1
	kill -USR1 "$KT_SUBAGENT_PID"
	kt_e2e_wait_count $((n + 2))
}
count_at_least() { snap; [ "${COUNT:-0}" -ge "$WANT_COUNT" ]; } # "" when the GET failed
# gets_answer N: N GETs of kvmtopAgentRefreshCount one after the other,
# each with GET_TIMEOUT s and no retry; whether each answered with a
# number.  SLOWEST: the slowest one's milliseconds (a figure, not a check).
gets_answer() {
	local i t0 ms out
	SLOWEST=0
	for i in $(seq "$1"); do
		t0=$(date +%s%N)
		out=$(snmpget -v2c -c public -t "$GET_TIMEOUT" -r 0 -On -Oqv "127.0.0.1:$KT_PORT" \
			"$A.9.0" 2>&1) || return 1
		[[ $out =~ ^[0-9]+$ ]] || return 1
		ms=$(kt_ms_since "$t0")
		[ "$ms" -le "$SLOWEST" ] || SLOWEST=$ms
	done
}
# Stops PID, then checks that CONDITION (sick_marked, all_stale) comes,
# that GETs answer meanwhile while the agent collects (a collection asked
# for just before them waits on the stopped process up to F s), and that
# collections go on (the collector does not hang).  WHAT names the fault.
stop_and_check() { # PID WHAT CONDITION
	local c0
	kill -STOP "$1"
	until_state "$3"
	kt_ok $? "$2: $3 after $WAITED s"
	echo "# $2: $3 after $WAITED s"
	kill -USR1 "$KT_SUBAGENT_PID"
	gets_answer 30
	kt_ok $? "$2: 30 GETs answer, each within $GET_TIMEOUT s (the stall: until they are done)"
	kt_e2e_getmany "$A.4.0"
	echo "# $2: the slowest of the GETs took $SLOWEST ms; the last collection took ${KT_V[$A.4.0]:-?} ms"
	snap
	c0=$COUNT CPU_BEFORE=$W_CPU WANT_COUNT=$((COUNT + 3))
	until_state count_at_least
	kt_ok $? "$2: collections go on ($c0 -> $COUNT)"
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
kt_wait_refresh 1 || kt_bail "no collection: $(tail -3 "$KT_TMP/subagent.log")"
collect_fresh || kt_bail "no collection asked for: $(tail -3 "$KT_TMP/subagent.log")"
kt_e2e_indexes
[ -n "${KT_IDX[${KT_E2E_UUID[$SICK]}]:-}" ] && [ -n "${KT_IDX[${KT_E2E_UUID[$WELL]}]:-}" ] ||
	kt_bail "the guests have no rows"
until_state all_fresh
kt_ok $? "both guests fresh, libvirt connected"
snap
kt_ok $([ -n "$S_RDREQS" ] && [ -n "$W_RDREQS" ]; echo $?) "both guests' disk counters served"

# ---- a sick VM ----
SICK_PID=$(kt_e2e_qemu_pid "$SICK")
stop_and_check "$SICK_PID" "QEMU of $SICK SIGSTOPped" sick_marked
cpu0=$CPU_BEFORE
kt_is "$W_VALID $CONNECTED" "1 1" "the healthy VM stays fresh, libvirt connected"
kt_ok $([ -n "$W_RDREQS" ]; echo $?) "the healthy VM's disk counters are served"
kt_ok $([ -n "$W_CPU" ] && [ "$W_CPU" -gt "$cpu0" ]; echo $?) "the healthy VM's CPU time goes on ($cpu0 -> $W_CPU)"
# Sampled after ASKED_NS, so behind /proc by what one vCPU ran since at most.
collect_fresh || kt_bail "collections stopped"
snap
read -r run _ _ <<< "$(kt_e2e_vcpu_sched "$(kt_e2e_qemu_pid "$WELL")")"
lag_ms=$(kt_ms_since "$ASKED_NS")
kt_ok $([ "$W_CPU" -le "$run" ] && [ "$W_CPU" -ge $((run - lag_ms * 1000000)) ]; echo $?) \
	"the healthy VM's CPU time ($W_CPU ns) is /proc's vCPU run time now ($run ns) less what it ran in the $lag_ms ms since the collection was asked for at most"
kill -CONT "$SICK_PID"
until_state all_fresh
kt_ok $? "SIGCONT: the sick VM's row is fresh again after $WAITED s"
kt_ok $([ "$S_VALID" = 1 ] && [ -n "$S_RDREQS" ]; echo $?) "and its disk counters are back"

# ---- libvirtd hangs ----
LIBVIRTD=$(pgrep -u "$(id -u)" -x libvirtd | head -1)
[ -n "$LIBVIRTD" ] || kt_bail "no libvirtd"
COMPLAINT='libvirt.*(cannot connect|listing domains)'
# complaints_since LINES0 T0_NS WHAT: the outage that began at T0_NS (and
# is over) was logged, at most as often as the back-off allows over the
# time it lasted, whatever the number of collections in it.
complaints_since() {
	local n ms max
	n=$(($(log_lines "$COMPLAINT") - $1)) ms=$(kt_ms_since "$2")
	max=$(kt_complaints_allowed "$ms")
	kt_within "$n" 1 "$max" "$3: libvirt's absence logged, rate-limited ($n lines in $ms ms, the back-off allows $max)"
}
complaints0=$(log_lines "$COMPLAINT") outage0=$(date +%s%N)
stop_and_check "$LIBVIRTD" "libvirtd SIGSTOPped" all_stale
kill -CONT "$LIBVIRTD"
until_state all_fresh
kt_ok $? "libvirtd SIGCONTed: connected and fresh again after $WAITED s"
echo "# fresh again $WAITED s after SIGCONT"
complaints_since "$complaints0" "$outage0" "libvirtd SIGSTOPped"

# ---- libvirtd killed and started again ----
complaints0=$(log_lines "$COMPLAINT") outage0=$(date +%s%N)
kill -KILL "$LIBVIRTD"
until_state all_stale
kt_ok $? "libvirtd killed: connected false, rows stale after $WAITED s"
gets_answer 20
kt_ok $? "GETs answer while libvirtd is away (20, each within $GET_TIMEOUT s; the slowest took $SLOWEST ms)"
# A few more collections without libvirtd: they must not each log.
snap
WANT_COUNT=$((COUNT + 5))
until_state count_at_least
kt_ok $? "five more collections without libvirtd (now $COUNT)"
rm -f /run/libvirtd.pid
libvirtd -d </dev/null >/dev/null 2>&1 || kt_bail "libvirtd does not start again"
kt_wait_for $((KT_PATIENCE * 10)) test -s /run/libvirtd.pid
[ "$KT_E2E_STARTED_LIBVIRTD" = "$LIBVIRTD" ] && KT_E2E_STARTED_LIBVIRTD=$(cat /run/libvirtd.pid)
until_state all_fresh
kt_ok $? "libvirtd back: connected and fresh again after $WAITED s"
echo "# reconnected $WAITED s after libvirtd was started again"
complaints_since "$complaints0" "$outage0" "libvirtd killed"
kt_ok $([ "$(log_lines 'libvirt.*connected to')" -ge 2 ]; echo $?) "the recovery is logged"
grep -E 'libvirt' "$KT_TMP/subagent.log" | tail -8 | sed 's/^/# /'

kt_is "$(cat "$KT_TMP/anomalies" 2>/dev/null)" "" "no row was said valid without its disk counters"
kt_stop_subagent
kt_e2e_done
