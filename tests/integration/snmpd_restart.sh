#!/bin/bash
# The subagent rejoins snmpd by itself: after snmpd is killed (-9) and
# started again, and when snmpd starts only after the subagent.  Both within
# 30 seconds, without restarting the subagent.
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
secs=$(kt_time_until 30 answers)
kt_ok $? "answers again within 30 s after snmpd restarted"
echo "# rejoined after ${secs:-never} s"
kill -0 "$KT_SUBAGENT_PID" 2>/dev/null
kt_ok $? "the same subagent process kept running"
kt_is "$(kt_get "$KT_ROOT_OID.1.1.6.0")" 4 "kvmtopAgentVmCount after rejoining"

# 2. snmpd started after the subagent.
kill "$KT_SUBAGENT_PID" "$KT_SNMPD_PID"
wait "$KT_SUBAGENT_PID" "$KT_SNMPD_PID" 2>/dev/null
rm -f "$KT_AGENTX"
kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" -f 1
sleep 2
kill -0 "$KT_SUBAGENT_PID" 2>/dev/null
kt_ok $? "the subagent keeps running without snmpd"
kt_restart_snmpd || kt_bail "snmpd did not start"
secs=$(kt_time_until 30 answers)
kt_ok $? "a subagent started before snmpd joins it within 30 s"
echo "# joined after ${secs:-never} s"
kt_stop_subagent
kt_done
