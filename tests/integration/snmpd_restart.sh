#!/bin/bash
# The subagent rejoins snmpd by itself: after snmpd is killed (-9) and
# started again, and when snmpd starts only after the subagent.  Both
# without restarting the subagent, within KT_PATIENCE (the AgentX ping
# retries every 5 s: a busy machine delays it, only a subagent that never
# rejoins fails).
. "$(dirname "$0")/../lib/agent.sh"
kt_setup
kt_fixture_basic

NAME_OID=$KT_ROOT_OID.1.2.1.3      # kvmtopVmName
answers() { kt_get "$KT_ROOT_OID.1.1.6.0" >/dev/null; }  # kvmtopAgentVmCount

# 1. snmpd killed and restarted under a running subagent.
kt_start_snmpd
kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" -f 1
kt_wait_refresh 1 || kt_bail "no first collection"
kt_ok $? "the subagent serves through snmpd"
kill -9 "$KT_SNMPD_PID"
wait "$KT_SNMPD_PID" 2>/dev/null
answers
kt_ok $((! $?)) "nothing answers while snmpd is down"
kt_restart_snmpd || kt_bail "snmpd did not restart"
secs=$(kt_time_until "$KT_PATIENCE" answers)
kt_ok $? "answers again after snmpd restarted"
echo "# rejoined after ${secs:-never} s"
kill -0 "$KT_SUBAGENT_PID" 2>/dev/null
kt_ok $? "the same subagent process kept running"
kt_is "$(kt_get "$KT_ROOT_OID.1.1.6.0")" 4 "kvmtopAgentVmCount after rejoining"

# 2. snmpd started after the subagent.
kill "$KT_SUBAGENT_PID" "$KT_SNMPD_PID"
wait "$KT_SUBAGENT_PID" "$KT_SNMPD_PID" 2>/dev/null
rm -f "$KT_AGENTX"
from=$(($(wc -l < "$KT_TMP/subagent.log") + 1))
kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" -f 1
since() { tail -n +"$from" "$KT_TMP/subagent.log" | grep -q "$1"; }
# It found no master and went on to serve (net-snmp's own warning).
kt_wait_for $((KT_PATIENCE * 10)) since "serving KVMTOP-MIB"
kt_ok $? "the subagent starts serving without snmpd"
since "Failed to connect to the agentx master agent"
kt_ok $? "... after net-snmp said it found no master"
kill -0 "$KT_SUBAGENT_PID" 2>/dev/null
kt_ok $? "the subagent keeps running without snmpd"
kt_restart_snmpd || kt_bail "snmpd did not start"
secs=$(kt_time_until "$KT_PATIENCE" answers)
kt_ok $? "a subagent started before snmpd joins it"
echo "# joined after ${secs:-never} s"
kt_stop_subagent
kt_done
