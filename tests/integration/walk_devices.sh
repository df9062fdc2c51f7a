#!/bin/bash
# The VM device objects over SNMP (kvmtopVmDiskTable, kvmtopVmNetTable,
# kvmtopVmIoTable, kvmtopVcpuTable, kvmtopVmBlkTable, kvmtopVmIfTable) on
# the basic fixture through a private snmpd, phase 1 and phase 2, against
# the hand-worked values of tests/fixtures/basic/EXPECTED.md (the taps'
# counters of kvmtopVmNetTable: EXPECTED-host.md), then once more with the
# taps gone from /proc/net/dev.  libvirt's test driver makes its block and
# interface counters up from the time of day (us = microseconds since
# 1970): those are checked against the clock.
. "$(dirname "$0")/../lib/agent.sh"
. "$(dirname "$0")/../lib/walk.sh"
kt_setup
kt_fixture_basic
kt_basic_two_phases 3
DSUM=$R.1.5.1 NSUM=$R.1.6.1 IO=$R.1.7.1 VCPU=$R.1.8.1 BLK=$R.1.9.1 IF=$R.1.10.1

# ---- phase 1 ----
kt_load "$KT_TMP/walk1"
kt_vm_indexes
now=$(val "$R.1.1.3.0")   # kvmtopAgentLastRefresh, seconds
# A counter made up as us / DIV (summed over two devices) is about now.
near_clock() { # near_clock VALUE DIV DESCRIPTION
	local secs
	secs=$(( $1 * $2 / 2 / 1000000 ))
	kt_near "$secs" "$now" 10 "$3 follows the test driver's clock"
}
for p in "$A alpha" "$B bravo" "$D delta"; do
	set -- $p
	check "$DSUM.1.$1" GAUGE 2 "vm-$2: kvmtopVmDiskCount"
	check "$DSUM.2.$1" COUNTER64 2199012900864 "vm-$2: capacity of two disks"
	check "$DSUM.3.$1" COUNTER64 2199023255552 "vm-$2: allocation of two disks"
	check "$DSUM.4.$1" COUNTER64 2199023255552 "vm-$2: physical size of two disks"
	near_clock "$(val "$DSUM.6.$1")" 10 "vm-$2: kvmtopVmDiskRdReqs"
	near_clock "$(val "$DSUM.5.$1")" 20 "vm-$2: kvmtopVmDiskRdBytes"
	near_clock "$(val "$DSUM.9.$1")" 30 "vm-$2: kvmtopVmDiskWrReqs"
	for col in 7 10 11 12; do
		absent "$DSUM.$col.$1" "vm-$2: disk column $col (the test driver has no times or flushes)"
	done
	absent "$DSUM.14.$1" "vm-$2: ioutil (the images are not on a host disk)"
	check "$NSUM.1.$1" GAUGE 2 "vm-$2: kvmtopVmNetCount"
	near_clock "$(val "$NSUM.2.$1")" 10 "vm-$2: kvmtopVmNetRxBytes"
	near_clock "$(val "$NSUM.6.$1")" 20 "vm-$2: kvmtopVmNetTxBytes"
done
for col in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
	absent "$DSUM.$col.$C" "vm-charlie (shut off): disk column $col"
done
absent "$NSUM.1.$C" "vm-charlie (shut off): net count"
# The tap columns (.10 to .17): the host's /proc/net/dev rows of the VM's
# taps, summed, cumulative (EXPECTED-host.md).
tap_check() { # tap_check VM-INDEX NAME PHASE 8-values
	local i=$1 name=$2 ph=$3 col=10 v
	shift 3
	for v in "$@"; do
		check "$NSUM.$col.$i" COUNTER64 "$v" "vm-$name phase $ph: kvmtopVmNetTable column $col (its taps, host's view)"
		col=$((col + 1))
	done
}
tap_check "$A" alpha 1 11 22 33 440 55 66 77 88
tap_check "$B" bravo 1 0 0 0 0 0 0 0 0
tap_check "$D" delta 1 0 0 0 0 0 0 0 0
absent "$NSUM.10.$C" "vm-charlie (shut off): tap counters"
check "$DSUM.13.$A" COUNTER64 250000000 "vm-alpha: DelayBlkio = 25 ticks x 10 ms"
check "$DSUM.13.$B" COUNTER64 1200000000 "vm-bravo: DelayBlkio = 120 ticks x 10 ms"
absent "$DSUM.13.$D" "vm-delta (no process): DelayBlkio"
io_check() { # io_check VM-INDEX NAME PHASE 7-values
	local i=$1 name=$2 ph=$3 col=1 v
	shift 3
	for v in "$@"; do
		check "$IO.$col.$i" COUNTER64 "$v" "vm-$name phase $ph: kvmtopVmIoTable column $col"
		col=$((col + 1))
	done
}
io_check "$A" alpha 1 41943040000 28311552000 52428800000 31457280000 1200000 950000 1048576
io_check "$B" bravo 1 85899345920 53687091200 107374182400 64424509440 3000000 2500000 4194304
absent "$IO.1.$D" "vm-delta (no process): I/O row"
absent "$IO.1.$C" "vm-charlie (shut off): I/O row"

vcpu_check() { # vcpu_check VM NAME VCPU TID PROC RUN WAIT PHASE
	local row="$1.$(( $3 + 1 ))"
	check "$VCPU.2.$row" GAUGE "$3" "vm-$2 vCPU $3: number"
	check "$VCPU.3.$row" GAUGE "$4" "vm-$2 vCPU $3: thread id"
	check "$VCPU.4.$row" COUNTER64 "$6" "vm-$2 vCPU $3 phase $8: run time"
	check "$VCPU.5.$row" COUNTER64 "$7" "vm-$2 vCPU $3 phase $8: steal time"
	check "$VCPU.8.$row" GAUGE "$5" "vm-$2 vCPU $3 phase $8: processor"
}
vcpu_check "$A" alpha 0 4105 2 120000000000 6000000000 1
vcpu_check "$A" alpha 1 4106 5 80000000000 4000000000 1
vcpu_check "$B" bravo 2 4207 6 100000000000 5000000000 1
vcpu_check "$B" bravo 3 4208 7 10000000000 1000000000 1
kt_is "$(grep -c "^$VCPU\.2\.$B\." "$KT_TMP/walk1")" 4 "vm-bravo has four vCPU rows"
absent "$VCPU.2.$D.1" "vm-delta (no process): vCPU rows"

# Device rows: names by device index, looked up in the walk.
rows_of() { grep -E "^$1\.$2\.[0-9]+ " "$KT_TMP/walk1" | sed -E "s/^\S+\.([0-9]+) STRING (.*)$/\1 \2/"; }
declare -A BIDX
while read -r i name; do BIDX[$A.$name]=$i; done < <(rows_of "$BLK.2" "$A")
kt_is "$(rows_of "$BLK.2" "$A" | cut -d' ' -f2 | sort | tr '\n' ' ')" "vda vdb " "vm-alpha: disks vda and vdb"
b=$A.${BIDX[$A.vda]:-x}
check "$BLK.3.$b" STRING /var/lib/libvirt/images/vm-alpha-root.qcow2 "vm-alpha vda: source"
check "$BLK.4.$b" COUNTER64 1099506450432 "vm-alpha vda: capacity"
check "$BLK.5.$b" COUNTER64 1099511627776 "vm-alpha vda: allocation"
kt_ok $([ "${BIDX[$A.vda]:-x}" != "${BIDX[$A.vdb]:-y}" ]; echo $?) "vm-alpha: its disks have distinct indexes"
v=$(val "$BLK.8.$b") w=$(val "$BLK.7.$b")
kt_ok $([ -n "$v" ] && [ -n "$w" ] && [ $((v - 2 * w)) -ge 0 ] && [ $((v - 2 * w)) -le 1 ]; echo $?) \
	"vm-alpha vda: RdReqs (us/10) is twice RdBytes (us/20)"
absent "$BLK.9.$b" "vm-alpha vda: RdTime"

for p in "$A alpha vnet0 52:54:00:4e:01:01 10" "$A alpha vnet1 52:54:00:4e:01:02 11" \
	 "$B bravo vnet3 52:54:00:4e:02:02 13" "$D delta vnet6 52:54:00:4e:04:01 16"; do
	set -- $p
	i=$(rows_of "$IF.2" "$1" | awk -v n="$3" '$2 == n { print $1 }')
	check "$IF.3.$1.${i:-x}" STRING "$4" "vm-$2 $3: MAC"
	check "$IF.4.$1.${i:-x}" STRING virtio "vm-$2 $3: model"
	check "$IF.5.$1.${i:-x}" GAUGE "$5" "vm-$2 $3: the host ifIndex from sysfs"
	rx=$(val "$IF.6.$1.${i:-x}") tx=$(val "$IF.10.$1.${i:-x}")
	kt_ok $([ -n "$rx" ] && [ -n "$tx" ] && [ $((rx - 2 * tx)) -ge 0 ] && [ $((rx - 2 * tx)) -le 1 ]; echo $?) \
		"vm-$2 $3: RxBytes (us/10) is twice TxBytes (us/20): the guest's view as libvirt gives it"
done
absent "$IF.2.$C.1" "vm-charlie (shut off): interface rows"

# ---- phase 2 ----
kt_load "$KT_TMP/walk2"
io_check "$A" alpha 2 41944000000 28313000000 52430000000 31460000000 1200150 950090 1048576
io_check "$B" bravo 2 85900000000 53690000000 107380000000 64430000000 3000500 2500400 4198400
check "$DSUM.13.$A" COUNTER64 270000000 "vm-alpha phase 2: DelayBlkio = 27 ticks"
vcpu_check "$A" alpha 0 4105 3 121500000000 6500000000 2
vcpu_check "$B" bravo 1 4206 1 251000000000 16000000000 2
# EXPECTED.md: per-vCPU value = (value at 2 s) x 2000 / I_ms, clamped to 10000.
pct() { local v=$(( ($1 * 2000 + I_MS / 2) / I_MS )); [ $v -gt 10000 ] && v=10000; echo $v; }
for p in "$A.1 alpha-0 7500 2500" "$A.2 alpha-1 2500 0" "$B.2 bravo-1 5000 5000" "$B.3 bravo-2 1000 200" "$B.4 bravo-3 0 0"; do
	set -- $p
	kt_near "$(val "$VCPU.6.$1")" "$(pct "$3")" 2 "vCPU $2: kvmtopVcpuTotal over the interval"
	kt_near "$(val "$VCPU.7.$1")" "$(pct "$4")" 2 "vCPU $2: kvmtopVcpuSteal over the interval"
done
old=$(grep "^$DSUM.6.$A " "$KT_TMP/walk1" | cut -d' ' -f3)
kt_ok $([ "$(val "$DSUM.6.$A")" -gt "${old:-0}" ]; echo $?) "vm-alpha: disk requests grew between the phases"
# vnet1's multicast went down (400 -> 5): 440 + 5 + 5, never 45 + 5.
tap_check "$A" alpha 2 12 23 33 450 55 69 78 88
tap_check "$B" bravo 2 0 0 0 0 0 0 0 0
kt_stop_subagent

# ---- the taps in no /proc/net/dev row (another network namespace) ----
head -n 5 "$KT_FIXTURE/phase2/net/dev" > "$KT_PROC/net/dev" # lo, eth0, br0
kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" -f 3
kt_wait_refresh 1 || kt_bail "no collection without the taps: $(tail -5 "$KT_TMP/subagent.log")"
kt_bulkwalk "$KT_TMP/walk3"
kt_load "$KT_TMP/walk3"
kt_vm_indexes
absent "$R.1.14.1.2.10" "no taps: vnet0's kvmtopHostNetTable row"
check "$R.1.14.1.2.2" STRING eth0 "no taps: eth0 still has its row"
for p in "$A alpha" "$B bravo" "$D delta"; do
	set -- $p
	check "$NSUM.1.$1" GAUGE 2 "no taps: vm-$2 still has its kvmtopVmNetTable row"
	for col in 10 11 12 13 14 15 16 17; do
		absent "$NSUM.$col.$1" "no taps: vm-$2 column $col"
	done
done
kt_stop_subagent
kt_done
