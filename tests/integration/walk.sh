#!/bin/bash
# The main integration test: a private snmpd, the subagent on libvirt's test
# driver (tests/fixtures/basic/domains.xml) and a copy of the fixture procfs
# tree.  The tree switches from phase 1 to phase 2 between two collections;
# every served value is compared with the numbers worked out by hand in
# tests/fixtures/basic/EXPECTED.md.  Walked with snmpbulkwalk, snmpwalk and
# the npm net-snmp client; every OID must resolve through KVMTOP-MIB.
. "$(dirname "$0")/../lib/agent.sh"
. "$(dirname "$0")/../lib/mibdir.sh"
kt_setup
kt_fixture_basic

. "$(dirname "$0")/../lib/walk.sh"
VM=$R.1.2.1 CPU=$R.1.3.1 MEM=$R.1.4.1
INTERVAL_S=3
kt_basic_two_phases $INTERVAL_S

# ---- phase 1: two samples of the unchanged tree ----
kt_load "$KT_TMP/walk1"
kt_vm_indexes
kt_is "${#IDX[@]}" 4 "four VM rows, one per test-driver domain"
kt_is "$(val "$R.1.1.6.0")" 4 "kvmtopAgentVmCount"
kt_is "$(val "$R.1.1.5.0")" 1 "kvmtopAgentLibvirtConnected is true"
kt_is "$(val "$R.1.1.2.0")" $((KT_DRIVEN_FREQUENCY * 1000)) "kvmtopAgentRefreshInterval in ms"
kt_is "$(val "$R.1.1.7.0")" "$KT_URI" "kvmtopAgentLibvirtUri"
for p in "$A alpha 4 4101 1" "$B bravo 4 4202 1" "$C charlie 11 0 1" "$D delta 4 0 2"; do
	set -- $p
	check "$VM.3.$1" STRING "vm-$2" "vm-$2: kvmtopVmName"
	check "$VM.4.$1" INTEGER "$3" "vm-$2: kvmtopVmState"
	check "$VM.5.$1" GAUGE "$4" "vm-$2: kvmtopVmPid"
	check "$VM.6.$1" INTEGER "$5" "vm-$2: kvmtopVmDataValid"
done
check "$CPU.1.$A" GAUGE 2 "vm-alpha: kvmtopVmCpuCores"
check "$CPU.1.$B" GAUGE 4 "vm-bravo: kvmtopVmCpuCores"
for p in "$A alpha 200000000000 10000000000 3480000000 255000000 2 4" \
	 "$B bravo 660000000000 41000000000 5670000000 380000000 4 3"; do
	set -- $p
	check "$CPU.2.$1" COUNTER64 "$3" "vm-$2 phase 1: kvmtopVmCpuTime"
	check "$CPU.3.$1" COUNTER64 "$4" "vm-$2 phase 1: kvmtopVmCpuStealTime"
	check "$CPU.4.$1" COUNTER64 "$5" "vm-$2 phase 1: kvmtopVmCpuOtherTime"
	check "$CPU.5.$1" COUNTER64 "$6" "vm-$2 phase 1: kvmtopVmCpuOtherStealTime"
	for col in 6 7 8 9; do
		check "$CPU.$col.$1" GAUGE 0 "vm-$2 phase 1: unchanged files give 0 in column $col"
	done
	check "$CPU.10.$1" GAUGE "$7" "vm-$2: kvmtopVmCpuThreads"
	check "$CPU.11.$1" GAUGE "$8" "vm-$2: kvmtopVmCpuOtherThreads"
done
for col in $(seq 1 11); do
	absent "$CPU.$col.$C" "vm-charlie (shut off): CPU column $col"
	absent "$CPU.$col.$D" "vm-delta (no process): CPU column $col"
done
for p in "$A alpha 1048576 786432 3221225472 838860800 150000 2000 300 10" \
	 "$B bravo 2097152 2097152 4294967296 2147483648 400000 5000 1200 40"; do
	set -- $p
	check "$MEM.1.$1" GAUGE "$3" "vm-$2: kvmtopVmMemTotal"
	check "$MEM.2.$1" GAUGE "$4" "vm-$2: kvmtopVmMemUsed"
	check "$MEM.3.$1" COUNTER64 "$5" "vm-$2 phase 1: kvmtopVmMemVsize"
	check "$MEM.4.$1" COUNTER64 "$6" "vm-$2 phase 1: kvmtopVmMemRss"
	check "$MEM.5.$1" COUNTER64 "$7" "vm-$2 phase 1: kvmtopVmMemMinflt"
	check "$MEM.6.$1" COUNTER64 "$8" "vm-$2 phase 1: kvmtopVmMemCminflt"
	check "$MEM.7.$1" COUNTER64 "$9" "vm-$2 phase 1: kvmtopVmMemMajflt"
	check "$MEM.8.$1" COUNTER64 "${10}" "vm-$2 phase 1: kvmtopVmMemCmajflt"
done
# VmSwap of PID/status x 1024 (EXPECTED.md): 12288 kB and 0 kB
check "$MEM.9.$A" COUNTER64 12582912 "vm-alpha phase 1: kvmtopVmMemSwap"
check "$MEM.9.$B" COUNTER64 0 "vm-bravo phase 1: kvmtopVmMemSwap, 0 not absent"
for p in "$C charlie 524288" "$D delta 262144"; do
	set -- $p
	check "$MEM.1.$1" GAUGE "$3" "vm-$2: kvmtopVmMemTotal from libvirt"
	check "$MEM.2.$1" GAUGE "$3" "vm-$2: kvmtopVmMemUsed from libvirt"
	for col in 3 4 5 6 7 8 9; do
		absent "$MEM.$col.$1" "vm-$2: memory column $col"
	done
done

# ---- phase 2: the sample after the switch ----
kt_load "$KT_TMP/walk2"
kt_within "$I_MS" "$KT_INTERVAL_MIN_MS" "$KT_INTERVAL_MAX_MS" "kvmtopAgentSampleInterval is the measured interval"
for p in "$A alpha 202000000000 10500000000 3830000000 385000000 2 4" \
	 "$B bravo 663200000000 42040000000 5970000000 440000000 4 3"; do
	set -- $p
	check "$CPU.2.$1" COUNTER64 "$3" "vm-$2 phase 2: kvmtopVmCpuTime"
	check "$CPU.3.$1" COUNTER64 "$4" "vm-$2 phase 2: kvmtopVmCpuStealTime"
	check "$CPU.4.$1" COUNTER64 "$5" "vm-$2 phase 2: kvmtopVmCpuOtherTime (exited thread kept, new one added)"
	check "$CPU.5.$1" COUNTER64 "$6" "vm-$2 phase 2: kvmtopVmCpuOtherStealTime"
	check "$CPU.10.$1" GAUGE "$7" "vm-$2 phase 2: kvmtopVmCpuThreads"
	check "$CPU.11.$1" GAUGE "$8" "vm-$2 phase 2: kvmtopVmCpuOtherThreads"
done
# EXPECTED.md: value = (value at 2 s) x 2000 / I_ms; +-2 for the ms rounding.
pct() { echo $(( ($1 * 2000 + I_MS / 2) / I_MS )); }
for p in "$A alpha 5000 1250 1750 650" "$B bravo 4000 1300 1500 300"; do
	set -- $p
	kt_near "$(val "$CPU.6.$1")" "$(pct "$3")" 2 "vm-$2: kvmtopVmCpuTotal over the interval"
	kt_near "$(val "$CPU.7.$1")" "$(pct "$4")" 2 "vm-$2: kvmtopVmCpuSteal over the interval"
	kt_near "$(val "$CPU.8.$1")" "$(pct "$5")" 2 "vm-$2: kvmtopVmCpuOtherTotal over the interval"
	kt_near "$(val "$CPU.9.$1")" "$(pct "$6")" 2 "vm-$2: kvmtopVmCpuOtherSteal over the interval"
done
for p in "$A alpha 860160000 152500 2000 305 10" "$B bravo 2149580800 401000 5000 1210 40"; do
	set -- $p
	check "$MEM.4.$1" COUNTER64 "$3" "vm-$2 phase 2: kvmtopVmMemRss"
	check "$MEM.5.$1" COUNTER64 "$4" "vm-$2 phase 2: kvmtopVmMemMinflt"
	check "$MEM.6.$1" COUNTER64 "$5" "vm-$2 phase 2: kvmtopVmMemCminflt"
	check "$MEM.7.$1" COUNTER64 "$6" "vm-$2 phase 2: kvmtopVmMemMajflt"
	check "$MEM.8.$1" COUNTER64 "$7" "vm-$2 phase 2: kvmtopVmMemCmajflt"
done
check "$MEM.9.$A" COUNTER64 20971520 "vm-alpha phase 2: kvmtopVmMemSwap (20480 kB)"
check "$MEM.9.$B" COUNTER64 0 "vm-bravo phase 2: kvmtopVmMemSwap"

# ---- the same data through other walkers ----
# Each is compared with a bulk walk of the same collection: both are taken
# between two refreshes (tried again if a refresh came in between).
strip_clock() { grep -v -E "^$R\.1\.1\.(3|4|8|9|10)\.0 " "$1"; }
same_as_bulk() { # same_as_bulk NAME OUTFILE CMD...: 0 when equal
	local name=$1 out=$2 try n
	shift 2
	for try in 1 2 3; do
		n=$(kt_get "$R.1.1.9.0")
		kt_bulkwalk "$KT_TMP/bulk-$name"
		"$@" > "$out" || return 2
		[ "$(kt_get "$R.1.1.9.0")" = "$n" ] || continue
		cmp -s <(strip_clock "$KT_TMP/bulk-$name") <(strip_clock "$out") && return 0
		diff <(strip_clock "$KT_TMP/bulk-$name") <(strip_clock "$out") | head | sed 's/^/# /'
		return 1
	done
	echo "# a refresh came between the walks three times"
	return 1
}
getnext_walk() { kt_snmp snmpwalk "$R" -On | kt_normalize; }
node_walk() { KT_NODE_MODULES=$KT_NODE_MODULES node "$KT_SRCDIR/tests/integration/walk_node.js" "127.0.0.1:$KT_PORT" "$R"; }
same_as_bulk getnext "$KT_TMP/walk-getnext" getnext_walk
kt_ok $? "snmpwalk (GETNEXT) returns what snmpbulkwalk returns"
lines=$(wc -l < "$KT_TMP/walk2")
echo "# $lines varbinds per walk"
if command -v node >/dev/null && [ -d "$KT_NODE_MODULES/net-snmp" ]; then
	same_as_bulk node "$KT_TMP/walk-node" node_walk
	kt_ok $? "the npm net-snmp client sees the same OIDs, types and values"
else
	kt_ok 1 "node and tests/node_modules/net-snmp present (run tools/install-deps.sh)"
fi
kt_oids_increasing "$KT_TMP/walk2"
kt_ok $? "the bulk walk's OIDs strictly increase"
kt_oids_increasing "$KT_TMP/walk-node"
kt_ok $? "the npm client's walk's OIDs strictly increase"

# ---- every served OID resolves through KVMTOP-MIB ----
mibs=$KT_TMP/mibs
mkdir -p "$mibs"
if kt_std_mibdir "$mibs"; then
	names=$(cut -d' ' -f1 "$KT_TMP/walk2" | xargs snmptranslate -M "$mibs:/usr/share/snmp/mibs:$KT_SRCDIR/mibs" -m KVMTOP-MIB -Os 2>&1 | grep -v "^$")
	bad=$(printf '%s\n' "$names" | grep -v -E '^kvmtop[A-Za-z0-9]+(\.[a-z0-9]+)+$' | head -5)
	kt_is "$bad" "" "every served OID has a KVMTOP-MIB name"
	kt_is "$(printf '%s\n' "$names" | wc -l)" "$lines" "snmptranslate named all $lines OIDs"
else
	kt_ok 1 "standard MIBs available for snmptranslate"
fi
kt_stop_subagent
kt_done
