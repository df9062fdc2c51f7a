#!/bin/bash
# End to end, VM churn: real transient guests (no OS, 32 MiB, KVM when the
# host has it) created and destroyed continuously for KT_CHURN_SECONDS
# (default 60) while a client walks KVMTOP-MIB in a loop
# (tests/lib/churn.sh); two persistent guests run through the whole churn,
# a third is stopped and started again and again.
#   - no walk fails, prints an error or leaves the subtree; every walk's
#     OIDs strictly increase;
#   - an index is never given to two UUIDs, a UUID never has two indexes;
#   - the persistent guests keep their index and appear in every walk, and
#     their kvmtopVmCpuTime never goes down and rises over the run (the
#     stopped-and-started one's too: a restarted process adds from zero);
#   - the destroyed guests' rows are gone at the end, the agent still runs
#     and exits 0 on SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/churn.sh"
kt_e2e_setup

SECONDS_RUN=${KT_CHURN_SECONDS:-60}
R=$KT_ROOT_OID
KT_CHURN_URI=$KT_E2E_URI
KT_CHURN_PREFIX=kt-e2e-churn
KT_CHURN_DIR=$KT_TMP/churn
KT_CHURN_POOL=4
trap 'kt_churn_cleanup; kt_e2e_cleanup' EXIT
kt_churn_init || kt_bail "cannot create $KT_CHURN_DIR"

kt_churn_xml() { # NAME UUID: lib.sh's guest without an OS, 1 vCPU
	KT_E2E_UUID[$1]=$2
	kt_e2e_bios_xml "$1" 1
}

kt_start_snmpd
KT_CHURN_PORT=$KT_PORT KT_CHURN_ROOT=$R
kt_start_subagent -c "$KT_E2E_URI" -f 0.5
kt_wait_refresh 1 || kt_bail "no first collection: $(tail -3 "$KT_TMP/subagent.log")"
kt_churn_survivors 2 || kt_bail "persistent guests not started: $(cat "$KT_CHURN_DIR/virsh-errors")"
kt_churn_wait_persistent || kt_bail "the persistent guests never appeared in kvmtopVmTable"

# Their CPU rows too (the agent has found their QEMU processes).
declare -A IDX
while read -r name uuid; do
	IDX[$name]=$(awk -v u="\"$uuid\"" '$2 == u { n = split($1, a, "."); print a[n] }' \
		"$KT_CHURN_DIR/rows")
done <"$KT_CHURN_DIR/persistent"
cpu_rows() {
	local name
	for name in "${!IDX[@]}"; do
		[ -n "$(kt_get "$R.1.3.1.2.${IDX[$name]}")" ] || return 1
	done
}
kt_wait_for $((KT_PATIENCE * 10)) cpu_rows || kt_bail "no kvmtopVmCpuTable rows for the persistent guests"

# ---- the churn ----
# At least MIN_CREATES domains created and MIN_WALKS walks, however long a
# busy machine takes for them (tests/lib/churn.sh).
MIN_CREATES=$((SECONDS_RUN / 6)) MIN_WALKS=$SECONDS_RUN # a QEMU start: about 1 s when quiet
kt_churn_start "$SECONDS_RUN" "$MIN_CREATES" "$MIN_WALKS"
kt_churn_walks "$SECONDS_RUN" "$MIN_WALKS"
kt_churn_wait

kt_churn_tap_walks "$SECONDS_RUN" "$MIN_CREATES" "$MIN_WALKS"
while read -r name uuid; do
	set -- $(kt_churn_cpu_trend "${IDX[$name]}")
	echo "# $name: kvmtopVmCpuTime $2 -> $3 ns"
	kt_is "$1" 0 "$name: kvmtopVmCpuTime never goes down"
	kt_ok $((! ($3 > $2))) "$name: kvmtopVmCpuTime rises over the run"
	[[ $name == *-flap ]] && continue
	kt_is "$(awk -v i="${IDX[$name]}" '$2 == i' "$KT_CHURN_DIR/cpu" | wc -l)" "$KT_CHURN_WALKS" \
		"$name: a kvmtopVmCpuTime instance in every walk"
done <"$KT_CHURN_DIR/persistent"
kt_churn_tap_after
kt_stop_subagent
kt_e2e_done
