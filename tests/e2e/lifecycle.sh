#!/bin/bash
# End to end, VMs coming and going under a running agent (guests without an
# OS: they start in a moment).
#   - a transient guest destroyed: libvirt forgets it, so its rows leave
#     kvmtopVmCpuTable, kvmtopVmMemTable and kvmtopVmTable (the MIB: a row
#     "disappears when the domain is no longer defined") within two
#     collections;
#   - a persistent guest destroyed: its CPU row leaves, its VM row stays with
#     kvmtopVmState shutdown(11), as virsh says "shut off";
#   - a new UUID gets a new index, never one seen before;
#   - started again (same UUID) a guest gets its old kvmtopVmIndex back, and
#     the persistent one's counters go on from where they were;
#   - the indexes survive an agent restart (the state file).
# The test drives the agent's collections (SIGUSR1, kt_collect_now), so
# "within two collections" counts collections, not seconds.
. "$(dirname "$0")/lib.sh"
kt_e2e_setup

F=$KT_DRIVEN_FREQUENCY # no collection comes by itself
R=$KT_ROOT_OID
VM=$R.1.2.1 CPU=$R.1.3.1 MEM=$R.1.4.1
T=kt-e2e-lc-transient P=kt-e2e-lc-persistent N=kt-e2e-lc-new

kt_start_snmpd
kt_start_subagent -c "$KT_E2E_URI" -f "$F"
kt_wait_refresh 1 || kt_bail "no first collection: $(tail -3 "$KT_TMP/subagent.log")"

# kt_index NAME: the guest's kvmtopVmIndex from a walk of kvmtopVmUuid.
kt_index() {
	kt_e2e_indexes
	echo "${KT_IDX[${KT_E2E_UUID[$1]}]:-}"
}
# Whether OID has an instance (WANT 1) or none (WANT 0).
instance_is() { # OID WANT
	kt_e2e_getmany "$1"
	[ "$([ -n "${KT_V[$1]:-}" ] && echo 1 || echo 0)" = "$2" ]
}
# Collects until OID has an instance (WANT 1) or none (WANT 0), at most 10
# collections; GONE_AFTER: the collections it took.
wait_instance() { # OID WANT
	kt_e2e_collect_until 10 instance_is "$1" "$2"
	local rc=$?
	GONE_AFTER=$KT_E2E_COLLECTIONS
	return $rc
}
vm_count_is_virsh() {
	kt_collect_now
	kt_is "$(kt_get "$R.1.1.6.0")" "$(kt_virsh list --all --name | grep -c .)" \
		"$1: kvmtopAgentVmCount is the number of domains of virsh list --all"
}

# ---- a transient and a persistent guest ----
kt_e2e_bios "$T" 1 || kt_bail "$T not created"
KT_E2E_UUID[$P]=$(kt_e2e_uuid)
kt_e2e_bios_xml "$P" 1 > "$KT_TMP/$P.xml"
KT_E2E_DEFINED+=("$P")
KT_E2E_GUESTS+=("$P")
kt_virsh define "$KT_TMP/$P.xml" >/dev/null && kt_virsh start "$P" >/dev/null ||
	kt_bail "$P not defined and started"
kt_collect_now
IT=$(kt_index "$T") IP=$(kt_index "$P")
[ -n "$IT" ] && [ -n "$IP" ] || kt_bail "no kvmtopVmTable rows for the guests"
wait_instance "$CPU.10.$IT" 1 && wait_instance "$CPU.10.$IP" 1
kt_ok $? "both guests have kvmtopVmCpuTable rows"
vm_count_is_virsh "two guests"

# ---- destroyed ----
kt_virsh destroy "$T" >/dev/null || kt_bail "virsh destroy $T failed"
t0=$(date +%s%N)
wait_instance "$CPU.10.$IT" 0
kt_ok $? "$T destroyed: its kvmtopVmCpuTable row goes"
echo "# $T: CPU row gone $(( ($(date +%s%N) - t0) / 1000000 )) ms after the destroy, $GONE_AFTER collections"
kt_ok $((GONE_AFTER > 2)) "$T: ... within two collections ($GONE_AFTER)"
n0=$GONE_AFTER
wait_instance "$VM.2.$IT" 0
kt_ok $? "$T destroyed (transient, no longer defined): its kvmtopVmTable row goes"
GONE_AFTER=$((GONE_AFTER + n0))
kt_ok $((GONE_AFTER > 2)) "$T: ... within two collections ($GONE_AFTER)"
kt_e2e_getmany "$MEM.1.$IT" "$MEM.4.$IT"
kt_is "${#KT_V[@]}" 0 "$T: no kvmtopVmMemTable row either"

# A new UUID while T is gone: a new index, not T's.
kt_e2e_bios "$N" 1 || kt_bail "$N not created"
kt_collect_now
IN=$(kt_index "$N")
[ -n "$IN" ] && [ "$IN" != "$IT" ] && [ "$IN" != "$IP" ]
kt_ok $? "a new guest gets a new index ($IN; never $IT, the index of a guest gone)"

kt_collect_now
kt_e2e_getmany "$CPU.2.$IP" "$CPU.3.$IP"
p_run=${KT_V[$CPU.2.$IP]:-} p_wait=${KT_V[$CPU.3.$IP]:-}
kt_virsh destroy "$P" >/dev/null || kt_bail "virsh destroy $P failed"
wait_instance "$CPU.10.$IP" 0
kt_ok $? "$P destroyed: its kvmtopVmCpuTable row goes"
kt_ok $((GONE_AFTER > 2)) "$P: ... within two collections ($GONE_AFTER)"
kt_collect_now
kt_e2e_getmany "$VM.3.$IP" "$VM.4.$IP" "$VM.5.$IP" "$VM.6.$IP" "$MEM.1.$IP" "$MEM.4.$IP"
kt_is "$(kt_virsh domstate "$P")" "shut off" "virsh domstate $P says shut off"
kt_is "${KT_V[$VM.3.$IP]}/${KT_V[$VM.4.$IP]}" "$P/11" "$P (persistent): its VM row stays, kvmtopVmState shutdown(11)"
kt_is "${KT_V[$VM.5.$IP]}" 0 "$P: kvmtopVmPid 0 without a process"
kt_is "${KT_V[$VM.6.$IP]}" 1 "$P: kvmtopVmDataValid true (nothing more to read of a stopped VM)"
kt_is "${KT_V[$MEM.1.$IP]:-none}/${KT_V[$MEM.4.$IP]:-none}" "32768/none" \
	"$P: kvmtopVmMemTotal from libvirt stays, kvmtopVmMemRss has no instance"
vm_count_is_virsh "one guest shut off"

# ---- started again with the same UUIDs ----
kt_e2e_create "$T" || kt_bail "$T not created again"
kt_virsh start "$P" >/dev/null || kt_bail "$P not started again"
kt_collect_now
kt_is "$(kt_index "$T")" "$IT" "$T started again: its old kvmtopVmIndex"
kt_is "$(kt_index "$P")" "$IP" "$P started again: its old kvmtopVmIndex"
wait_instance "$CPU.10.$IT" 1 && wait_instance "$CPU.10.$IP" 1
kt_ok $? "both have kvmtopVmCpuTable rows again"
# The new process's run time adds to what P's counter had.
pid=$(kt_e2e_qemu_pid "$P")
kt_collect_now
kt_e2e_getmany "$CPU.2.$IP" "$CPU.3.$IP" "$R.1.1.9.0"
read -r run wait x <<< "$(kt_e2e_vcpu_sched "$pid")"
lag_ms=$(kt_ms_since "$KT_ASKED_NS") # from before the sample to after the read
served=$((${KT_V[$CPU.2.$IP]:-0} - ${p_run:-0}))
echo "# $P: kvmtopVmCpuTime ${p_run:-?} before the destroy, ${KT_V[$CPU.2.$IP]:-?} after the restart; the new process ran $run ns"
kt_ok $((${KT_V[$CPU.2.$IP]:-0} < ${p_run:-0})) "$P: kvmtopVmCpuTime did not go backwards over the restart"
kt_ok $((${KT_V[$CPU.3.$IP]:-0} < ${p_wait:-0})) "$P: kvmtopVmCpuStealTime did not go backwards over the restart"
# The agent sampled the new process after the test asked for the
# collection, and the test read /proc after that: the two differ by what
# the vCPU ran in between at most (plus 500 ms, as before the collections
# were driven).  The old process's last moments are in neither.
kt_near "$served" "$run" $(((lag_ms + 500) * 1000000)) \
	"$P: kvmtopVmCpuTime grew by the new process's vCPU run time (a restarted process adds from zero)"
vm_count_is_virsh "three guests"

# ---- the indexes survive an agent restart ----
# T is away while the new agent starts, so that an agent that forgot the
# indexes would number the guests differently (in libvirt's order).
kt_stop_subagent
kt_virsh destroy "$T" >/dev/null
kt_start_subagent -c "$KT_E2E_URI" -f "$F"
kt_wait_refresh 1 || kt_bail "the restarted subagent does not serve"
kt_e2e_create "$T" || kt_bail "$T not created a third time"
kt_collect_now
kt_is "$(kt_index "$T") $(kt_index "$P") $(kt_index "$N")" "$IT $IP $IN" \
	"after an agent restart the guests keep their indexes (T, P, N)"

kt_stop_subagent
kt_e2e_done
