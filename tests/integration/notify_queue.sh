#!/bin/bash
# Notifications wait while snmpd is away, through libvirt's test driver in
# a libvirtd and Debian's snmptrapd:
#   - snmpd stopped for KT_AWAY seconds (default 20) while 50 transitions
#     happen (5 VMs, 10 each): none arrives meanwhile, all 50 arrive after
#     snmpd is back, exactly once and in the order they happened;
#   - the same with --notify-queue 10: the newest 10 arrive, in order,
#     kvmtopNotifyDropped is (at least) 40, kvmtopNotifyQueueSize 10, and
#     the agent logs the overflow once.  Other users of the shared test
#     driver may change their domains meanwhile: their notifications queue
#     too, so the 10 are counted over every VM and ours among them must be
#     the newest of ours.
# Takes the e2e tests' machine-wide lock (as the churn test does: another
# e2e test may restart libvirtd).
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../lib/churn.sh"
. "$(dirname "$0")/../lib/traps.sh"

R=$KT_ROOT_OID
AWAY=${KT_AWAY:-20}
VMS="1 2 3 4 5"
OPS="start suspend resume destroy start suspend resume destroy start destroy"

kt_notify_testdriver q15
kt_start_snmptrapd
kt_start_snmpd "$(kt_trap_sink_conf)"
kt_notify_vm_xml $VMS
kt_notify_round define $VMS

start_agent() { # OPTIONS...: and the VMs' indexes known
	kt_start_subagent -c "$KT_CHURN_URI" --procfs "$KT_PROC" \
		--sysfs "$KT_FIXTURE/sys" -f "$KT_DRIVEN_FREQUENCY" "$@"
	kt_wait_refresh 1 || kt_bail "no collection: $(tail -5 "$KT_TMP/subagent.log")"
}
session_lost() { [ "$(grep -c 'AgentX session lost' "$KT_TMP/subagent.log")" -ge "$1" ]; }

# away N: snmpd stopped (the agent saw it go: its N-th "session lost"),
# the 50 transitions, snmpd back after AWAY seconds in all.
away() {
	local t0
	kill "$KT_SNMPD_PID"
	wait "$KT_SNMPD_PID" 2>/dev/null
	kt_wait_for $((KT_PATIENCE * 10)) session_lost "$1" ||
		kt_bail "the agent did not see snmpd go: $(tail -3 "$KT_TMP/subagent.log")"
	# The scenario's length, not a wait for something; the transitions
	# come last, so that other users' domains in the shared test driver
	# (their events count too) have the least time to come after ours.
	sleep "$AWAY"
	for op in $OPS; do
		kt_notify_round "$op" $VMS
	done
	NONE_MEANWHILE=$(kt_notify_ours | wc -l)
	ALL_BEFORE=$(kt_traps_vm_states | wc -l)
	kt_restart_snmpd || kt_bail "snmpd does not start again"
}

# The expected lines "NAME STATE PREVIOUS REASON" of the 50 transitions.
expected() {
	local op i
	for op in $OPS; do
		for i in $VMS; do
			echo "$KT_CHURN_PREFIX-$i $(kt_notify_expect "$op")"
		done
	done
}
expected >"$KT_TMP/want"

# ---- a queue large enough ----
start_agent
before=$(kt_notify_ours | wc -l)
away 1
kt_is "$((NONE_MEANWHILE - before))" 0 "nothing arrives while snmpd is away"
kt_wait_for $((KT_PATIENCE * 10)) kt_notify_ours_atleast $((before + 50))
kt_ok $? "all 50 arrive once snmpd is back"
kt_notify_ours | tail -n +$((before + 1)) | awk '{ print $1, $3, $4, $5 }' >"$KT_TMP/got"
if cmp -s "$KT_TMP/want" "$KT_TMP/got"; then
	kt_ok 0 "exactly once each, in the order they happened"
else
	kt_ok 1 "exactly once each, in the order they happened"
	diff "$KT_TMP/want" "$KT_TMP/got" | head -10 | sed 's/^/# /'
fi
kt_is "$(kt_get "$R.1.16.3.0")" 0 "kvmtopNotifyDropped is 0"
kt_is "$(kt_get "$R.1.16.2.0")" 0 "kvmtopNotifyQueued is 0 again"
kt_stop_subagent

# ---- a queue of 10 ----
: >"$KT_TMP/subagent.log"
start_agent --notify-queue 10
kt_is "$(kt_get "$R.1.16.4.0")" 10 "kvmtopNotifyQueueSize is 10"
before=$(kt_notify_ours | wc -l)
away 1
# Every VM's notifications count (other users of the shared test driver
# may have changed theirs meanwhile): the queue's 10, then ours among them
# are the newest of ours, in order.
all_atleast() { [ "$(kt_traps_vm_states | wc -l)" -ge "$1" ]; }
kt_wait_for $((KT_PATIENCE * 10)) all_atleast $((ALL_BEFORE + 10))
kt_ok $? "10 arrive once snmpd is back"
dropped() { [ "$(kt_get "$R.1.16.3.0")" -ge "$1" ]; }
kt_wait_for $((KT_PATIENCE * 10)) dropped 40
kt_ok $? "kvmtopNotifyDropped is at least 40 ($(kt_get "$R.1.16.3.0"))"
kt_is "$(kt_traps_vm_states | tail -n +$((ALL_BEFORE + 1)) | wc -l)" 10 "no more than 10"
kt_notify_ours | tail -n +$((before + 1)) | awk '{ print $1, $3, $4, $5 }' >"$KT_TMP/got"
got=$(wc -l <"$KT_TMP/got")
tail -n "$got" "$KT_TMP/want" >"$KT_TMP/wantn"
if [ "$got" -gt 0 ] && cmp -s "$KT_TMP/wantn" "$KT_TMP/got"; then
	kt_ok 0 "ours among them ($got) are our newest, in order"
else
	kt_ok 1 "ours among them ($got) are our newest, in order"
	diff "$KT_TMP/wantn" "$KT_TMP/got" | head -10 | sed 's/^/# /'
fi
kt_is "$(grep -c 'notification queue full' "$KT_TMP/subagent.log")" 1 "the overflow is logged once"
kt_stop_subagent
kt_notify_round undefine $VMS
kt_done
