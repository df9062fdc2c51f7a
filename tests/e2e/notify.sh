#!/bin/bash
# End to end, notifications from real guests to Debian's snmptrapd (through
# snmpd's trap2sink):
#   - lifecycle: a persistent no-OS guest started (booted), suspended
#     (paused), resumed (unpaused), destroyed (destroyed), started again and
#     its QEMU process killed (failed: libvirt's reason for a QEMU that
#     died), and a Linux guest that powers itself off (shutdown): each
#     kvmtopVmStateChange with the right state, previous state and reason;
#   - the noisy neighbour: two busy one-vCPU guests pinned to host CPU 0,
#     a third alone on CPU 1 (as noisy_neighbour.sh): kvmtopVmStealHigh for
#     both pinned guests, none for the lone one (unless /proc shows that
#     something else on CPU 1 made it wait a quarter of the time); then
#     one of the pair suspended (the neighbour stops): kvmtopVmStealNormal
#     for both.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/traps.sh"
kt_e2e_requirements
[ "$(nproc)" -ge 2 ] || kt_e2e_skip "needs two host CPUs, this test may use $(nproc)"
kt_e2e_setup

R=$KT_ROOT_OID
HIGH=$R.0.2 NORMAL=$R.0.3
kt_start_snmptrapd
kt_start_snmpd "$(kt_trap_sink_conf)"
kt_start_subagent -c "$KT_E2E_URI" -f 2 --steal-high 30 --steal-normal 10 --steal-for 4
kt_wait_refresh 1 || kt_bail "no first collection: $(tail -3 "$KT_TMP/subagent.log")"

# vm_traps NAME: "STATE PREVIOUS REASON" of the guest's notifications.
# QEMU's own events come too: a start is "resumed" then "started", a
# destroy "shutting down" then "stopped"; so the previous state is checked
# where one event follows another of ours (suspend, resume).
vm_traps() { kt_traps_vm_states | awk -v n="$1" '$1 == n { print $3, $4, $5 }'; }
has_trap() { vm_traps "$1" | grep -qx "$2"; }
# expect NAME "STATE PREVIOUS REASON" (a grep pattern) DESCRIPTION
expect() {
	if kt_wait_for $((KT_PATIENCE * 10)) has_trap "$1" "$2"; then
		kt_ok 0 "$3"
	else
		kt_ok 1 "$3"
		vm_traps "$1" | sed "s/^/# $1: /"
	fi
}

# ---- lifecycle ----
P=kt-e2e-nt-life
KT_E2E_UUID[$P]=$(kt_e2e_uuid)
kt_e2e_bios_xml "$P" 1 >"$KT_TMP/$P.xml"
KT_E2E_DEFINED+=("$P")
KT_E2E_GUESTS+=("$P")
kt_virsh define "$KT_TMP/$P.xml" >/dev/null || kt_bail "cannot define $P"
expect "$P" "11 1 2" "defined: shutdown, was unknown, reason defined"
kt_virsh start "$P" >/dev/null || kt_bail "cannot start $P"
expect "$P" "4 [0-9]* 5" "started: running, reason booted"
kt_virsh suspend "$P" >/dev/null || kt_bail "cannot suspend $P"
expect "$P" "8 4 10" "suspended: paused, was running, reason paused"
kt_virsh resume "$P" >/dev/null || kt_bail "cannot resume $P"
expect "$P" "4 8 14" "resumed: running, was paused, reason unpaused"
kt_virsh destroy "$P" >/dev/null || kt_bail "cannot destroy $P"
expect "$P" "11 [0-9]* 16" "destroyed: shutdown, reason destroyed"
# (virsh has been seen to report "already active" for a start that it
# made on a loaded machine: what counts is that the guest runs.)
kt_virsh start "$P" >/dev/null 2>&1 || kt_virsh domstate "$P" | grep -q running ||
	kt_bail "cannot start $P again"
qpid=$(kt_e2e_qemu_pid "$P")
has_booted_twice() { [ "$(vm_traps "$P" | grep -cx '4 [0-9]* 5')" -ge 2 ]; }
kt_wait_for $((KT_PATIENCE * 10)) has_booted_twice
kill -KILL $qpid
expect "$P" "11 [0-9]* 19" "its QEMU killed: shutdown, reason failed"

O=kt-e2e-nt-off
kt_e2e_linux "$O" poweroff 1 64 || kt_bail "$O not created"
expect "$O" "11 [0-9]* 15" "a guest that powers off: shutdown, reason shutdown"
expect "$O" "10 4 20" "and before it: shuttingdown, reason shuttingDown"

# ---- the noisy neighbour ----
pin() { echo "<cputune><vcpupin vcpu='0' cpuset='$1'/><emulatorpin cpuset='0'/></cputune>"; }
A=kt-e2e-nt-a B=kt-e2e-nt-b L=kt-e2e-nt-lone
kt_e2e_linux "$A" cpu 1 96 "$(pin 0)" || kt_bail "$A not created"
kt_e2e_linux "$B" cpu 1 96 "$(pin 0)" || kt_bail "$B not created"
kt_e2e_linux "$L" cpu 1 96 "$(pin 1)" || kt_bail "$L not created"
lone_wait() { kt_e2e_vcpu_sched "$(kt_e2e_qemu_pid "$L")" | awk '{ print $2 }'; }
w0=$(lone_wait) t0=$(date +%s%N)
high_for() { kt_traps_named "$HIGH" | grep -q "\"$1\""; }
kt_wait_for $((KT_PATIENCE * 10)) high_for "$A"
kt_ok $? "$A, sharing CPU 0: kvmtopVmStealHigh"
kt_wait_for $((KT_PATIENCE * 10)) high_for "$B"
kt_ok $? "$B, sharing CPU 0: kvmtopVmStealHigh"
# A few more collections for the lone guest to show what it would.
n=$(kt_refreshes)
kt_wait_refresh $((n + 5))
lone_steal=$(( ($(lone_wait) - w0) * 100 / ($(date +%s%N) - t0) ))
echo "# $L waited ${lone_steal} % of the time on CPU 1's run queue (/proc)"
if high_for "$L"; then
	# Right only if something else on CPU 1 did starve it.
	kt_ok $([ "$lone_steal" -ge 25 ]; echo $?) "$L, alone on CPU 1: no kvmtopVmStealHigh unless /proc shows it starved"
else
	kt_ok 0 "$L, alone on CPU 1: no kvmtopVmStealHigh"
fi
kt_virsh suspend "$B" >/dev/null || kt_bail "cannot suspend $B"
a_wait() { kt_e2e_vcpu_sched "$(kt_e2e_qemu_pid "$A")" | awk '{ print $2 }'; }
wa0=$(a_wait) ta0=$(date +%s%N)
normal_for() { kt_traps_named "$NORMAL" | grep -q "\"$1\""; }
if kt_wait_for $((KT_PATIENCE * 10)) normal_for "$A"; then
	kt_ok 0 "$B suspended: kvmtopVmStealNormal for $A"
else
	# Withheld rightly only if something else on CPU 0 kept it waiting.
	a_steal=$(( ($(a_wait) - wa0) * 100 / ($(date +%s%N) - ta0) ))
	echo "# $A waited ${a_steal} % of the time after $B stopped (/proc)"
	kt_ok $([ "$a_steal" -ge 10 ]; echo $?) "$B suspended: kvmtopVmStealNormal for $A, unless /proc shows it still starved"
fi
kt_wait_for $((KT_PATIENCE * 10)) normal_for "$B"
kt_ok $? "and for $B (paused: its vCPU waits no more)"
kt_is "$(kt_traps_named "$HIGH" | grep -c "\"$A\"")" 1 "one steal high for $A, no storm"
kt_stop_subagent
kt_e2e_done
