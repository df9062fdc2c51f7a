#!/bin/bash
# VM lifecycle notifications through snmpd to Debian's snmptrapd, with
# libvirt's test driver served by a libvirtd (test+unix:///default), whose
# virsh commands raise real domain events:
#   - 200 transitions across 20 VMs (define, start, suspend, resume,
#     destroy, start, suspend, resume, destroy, undefine each) arrive at
#     snmptrapd as kvmtopVmStateChange, each exactly once, in order per
#     VM, with the VM's name, its index, the new and previous states and
#     libvirt's reason; kvmtopNotifySent counts them;
#   - libvirtd killed: kvmtopLibvirtLost; started again with a new domain
#     running and ours gone: kvmtopLibvirtRestored, then the new one
#     (running, previous unknown) and ours (gone: unknown) with the reason
#     foundAtReconnect.
# The agent collects only when asked (SIGUSR1; it asks itself to learn the
# index of a new VM): every notification here comes from a libvirt event,
# not from a collection that happened to see the change.
# Takes the e2e tests' machine-wide lock (it kills libvirtd).  Without
# libvirtd (and not root to start one): skipped, unless KT_REQUIRE_E2E=1.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../lib/churn.sh"
. "$(dirname "$0")/../lib/traps.sh"

R=$KT_ROOT_OID
VMS=20
OPS="define start suspend resume destroy start suspend resume destroy undefine"

kt_notify_testdriver h15
kt_start_snmptrapd
kt_start_snmpd "$(kt_trap_sink_conf)"
kt_start_subagent -c "$KT_CHURN_URI" --procfs "$KT_PROC" \
	--sysfs "$KT_FIXTURE/sys" -f "$KT_DRIVEN_FREQUENCY"
kt_wait_refresh 1 || kt_bail "no collection: $(tail -5 "$KT_TMP/subagent.log")"

name() { echo "$KT_CHURN_PREFIX-$1"; }
kt_notify_vm_xml $(seq 1 $VMS)

# ---- 200 transitions: one virsh per round, the 20 VMs in turn ----
for op in $OPS; do
	kt_notify_round "$op" $(seq 1 $VMS)
done

ours() { kt_notify_ours; }
count_ours() { kt_notify_ours_atleast "$1"; }
kt_wait_for $((KT_PATIENCE * 10)) count_ours $((VMS * 10))
kt_ok $? "kvmtopVmStateChange for all $((VMS * 10)) transitions reached snmptrapd"
ours >"$KT_TMP/ours"
kt_is "$(wc -l <"$KT_TMP/ours")" $((VMS * 10)) "no transition arrived twice"

want_seq() {
	local op
	for op in $OPS; do
		kt_notify_expect "$op"
	done
}
want_seq >"$KT_TMP/want"
bad=0
for i in $(seq 1 $VMS); do
	awk -v n="$(name "$i")" '$1 == n { print $3, $4, $5 }' "$KT_TMP/ours" >"$KT_TMP/got.$i"
	if ! cmp -s "$KT_TMP/want" "$KT_TMP/got.$i"; then
		bad=$((bad + 1))
		[ $bad -le 2 ] && diff "$KT_TMP/want" "$KT_TMP/got.$i" | sed "s/^/# $(name "$i"): /"
	fi
done
kt_is "$bad" 0 "every VM's notifications came in order with the right states and reasons"
# One index per VM, never 0 (each was collected between its define and
# its undefine: the agent asked for a collection to learn it), and no
# index shared by two VMs.
kt_is "$(awk '{ print $1, $2 }' "$KT_TMP/ours" | sort -u | wc -l)" "$VMS" "one index per VM"
kt_is "$(awk '$2 == 0' "$KT_TMP/ours" | wc -l)" 0 "no VM notification without its index"
kt_is "$(awk '{ print $2 }' "$KT_TMP/ours" | sort -u | wc -l)" "$VMS" "no index shared by two VMs"
sent=$(kt_get "$R.1.16.1.0")
kt_ok $([ "${sent:-0}" -ge $((VMS * 10)) ]; echo $?) "kvmtopNotifySent counts them (${sent:-none})"
kt_is "$(kt_get "$R.1.16.2.0")" 0 "kvmtopNotifyQueued is 0 with the session up"
kt_is "$(kt_get "$R.1.16.3.0")" 0 "kvmtopNotifyDropped is 0"

# ---- libvirtd killed and started again ----
if [ "$(id -u)" != 0 ]; then
	echo "# skipping the libvirtd restart: not root"
	kt_stop_subagent
	kt_done
	exit $?
fi
LOST=$R.0.4
RESTORED=$R.0.5
virsh -q -c "$KT_CHURN_URI" "define $KT_CHURN_DIR/xml/1.xml; start $(name 1)" >/dev/null ||
	kt_bail "cannot start $(name 1)"
kt_wait_for $((KT_PATIENCE * 10)) count_ours $((VMS * 10 + 2))
kt_collect_now || kt_bail "no collection"
libvirtd_pid=$(pgrep -u "$(id -u)" -x libvirtd | head -n 1)
kill -KILL "$libvirtd_pid"
kill "$KT_CHURN_HOLDER" 2>/dev/null
kt_wait_traps "$LOST" 1
kt_ok $? "libvirtd killed: kvmtopLibvirtLost"
rm -f /run/libvirtd.pid
libvirtd -d </dev/null >/dev/null 2>&1 || kt_bail "libvirtd does not start again"
kt_wait_for 50 test -s /run/libvirtd.pid
[ "$KT_E2E_STARTED_LIBVIRTD" = "$libvirtd_pid" ] && KT_E2E_STARTED_LIBVIRTD=$(cat /run/libvirtd.pid)
kt_wait_for 300 virsh -q -c "$KT_CHURN_URI" uri || kt_bail "libvirtd does not answer again"
# While the agent is away (it reconnects at its next collection): the
# driver's state is new (ours is gone) and a new domain runs.
kt_churn_hold 1200 || kt_bail "the test driver's state is not shared"
virsh -q -c "$KT_CHURN_URI" "define $KT_CHURN_DIR/xml/2.xml; start $(name 2)" >/dev/null ||
	kt_bail "cannot start $(name 2)"
before=$(wc -l <"$KT_TMP/ours")
kt_collect_now || kt_bail "no collection after the restart"
kt_wait_traps "$RESTORED" 1
kt_ok $? "libvirtd back: kvmtopLibvirtRestored"
kt_is "$(kt_traps_count "$LOST")" 1 "lost only once"
found() { ours | awk '$5 == 23' | grep -q "^$1 .* $2 $3 23 "; }
kt_wait_for $((KT_PATIENCE * 10)) found "$(name 1)" 1 4
kt_ok $? "$(name 1), gone with the old libvirtd: unknown (was running), found at reconnect"
idx1=$(awk -v n="$(name 1)" '$1 == n { print $2 }' "$KT_TMP/ours" | head -n 1)
kt_is "$(ours | awk -v n="$(name 1)" '$1 == n && $5 == 23 { print $2 }')" "$idx1" \
	"it names the row the VM had"
kt_wait_for $((KT_PATIENCE * 10)) found "$(name 2)" 4 1
kt_ok $? "$(name 2), started meanwhile: running (was unknown), found at reconnect"
ours | tail -n +$((before + 1)) | sed 's/^/# /'
kt_stop_subagent
kt_done
