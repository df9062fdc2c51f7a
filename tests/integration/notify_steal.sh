#!/bin/bash
# Noisy-neighbour notifications from a procfs fixture, through snmpd to
# Debian's snmptrapd, as informs (snmpd's informsink: the path that
# acknowledges and retries; the other tests use trap2sink).  The agent collects only when asked (SIGUSR1); between
# two collections the test adds run-queue wait to vm-alpha's vCPU threads'
# schedstat files (vm-bravo's stay as they are), with --steal-high 90
# --steal-normal 1 --steal-for 0:
#   - 1000 s of wait per vCPU (far above 90 % of any interval): one
#     kvmtopVmStealHigh for vm-alpha, with its name, index and steal;
#   - then a value flapping around the high threshold inside the band
#     (half of a 1 s+ interval, at most 50 %: below 90, above 1 unless an
#     interval lasted 50 s) and above it again, three times: nothing;
#   - then no wait at all: one kvmtopVmStealNormal for vm-alpha;
#   - vm-bravo, never starved: nothing.
. "$(dirname "$0")/../lib/agent.sh"
. "$(dirname "$0")/../lib/traps.sh"
kt_setup
kt_fixture_basic
R=$KT_ROOT_OID
HIGH=$R.0.2 NORMAL=$R.0.3
ALPHA_VCPUS="4105 4106"

# add_wait NS: NS more run-queue wait (and run time) on each vCPU of alpha.
add_wait() {
	local t f run wait slices
	for t in $ALPHA_VCPUS; do
		f=$KT_PROC/4101/task/$t/schedstat
		read -r run wait slices <"$f"
		echo "$((run + $1)) $((wait + $1)) $((slices + 1))" >"$f.new"
		mv "$f.new" "$f"
	done
}

kt_start_snmptrapd
kt_start_snmpd "$(kt_trap_sink_conf inform)"
kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" \
	-f "$KT_DRIVEN_FREQUENCY" --steal-high 90 --steal-normal 1 --steal-for 0
kt_wait_refresh 1 || kt_bail "no collection: $(tail -5 "$KT_TMP/subagent.log")"
kt_collect_now || kt_bail "no collection"

add_wait 1000000000000
kt_collect_now || kt_bail "no collection"
kt_wait_traps "$HIGH" 1
kt_ok $? "vm-alpha starved: kvmtopVmStealHigh"
line=$(kt_traps_named "$HIGH" | head -n 1)
alpha_idx=$(kt_snmp snmpwalk "$R.1.2.1.3" -On -Oq |
	awk '$2 == "\"vm-alpha\"" { n = split($1, a, "."); print a[n] }')
case $line in
*"$R.1.2.1.3.$alpha_idx = \"vm-alpha\""*) kt_ok 0 "it names vm-alpha's row (index $alpha_idx)" ;;
*) kt_ok 1 "it names vm-alpha's row (index $alpha_idx)"; echo "# $line" ;;
esac
steal=$(printf '%s\n' "$line" | tr '\t' '\n' | awk -v o="$R.1.3.1.7.$alpha_idx" '$1 == o { print $3 }')
kt_ok $([ "${steal:-0}" -ge 9000 ]; echo $?) "with its steal, at or above the threshold (${steal:-none})"
kt_is "$(printf '%s\n' "$line" | tr '\t' '\n' | awk -v o="$R.1.16.5.0" '$1 == o { print $3 }')" 9000 \
	"and the threshold kvmtopNotifyStealHigh"

for i in 1 2 3; do
	add_wait 500000000 # 0.5 s: at most 50 % of an interval of 1 s or more
	kt_collect_after 1 || kt_bail "no collection"
	add_wait 1000000000000
	kt_collect_now || kt_bail "no collection"
done
add_wait 0
kt_collect_after 1 || kt_bail "no collection"
kt_wait_traps "$NORMAL" 1
kt_ok $? "no wait any more: kvmtopVmStealNormal"
kt_is "$(kt_traps_count "$HIGH")" 1 "the flapping raised no second steal high"
kt_is "$(kt_traps_count "$NORMAL")" 1 "nor a steal normal before the real one"
kt_is "$(grep -c '"vm-bravo"' "$KT_TRAPLOG")" 0 "vm-bravo, never starved: nothing"
kt_stop_subagent
kt_done
