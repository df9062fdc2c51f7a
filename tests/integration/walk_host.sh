#!/bin/bash
# The host objects over SNMP (kvmtopHost, kvmtopHostMemTable,
# kvmtopHostDiskTable, kvmtopHostNetTable, kvmtopHostPsiTable): the basic
# fixture's procfs and sysfs through a private snmpd, phase 1 and phase 2,
# against the hand-worked values of tests/fixtures/basic/EXPECTED-host.md.
. "$(dirname "$0")/../lib/agent.sh"
. "$(dirname "$0")/../lib/walk.sh"
kt_setup
kt_fixture_basic
kt_basic_two_phases 3
H=$R.1.11 MEMT=$R.1.12.1 DISK=$R.1.13.1 NET=$R.1.14.1 PSI=$R.1.15.1

# ---- phase 1 ----
kt_load "$KT_TMP/walk1"
check "$H.1.0" STRING kvm-basic "kvmtopHostName"
check "$H.2.0" STRING 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 "kvmtopHostUuid, lowercased"
check "$H.3.0" GAUGE 2 "kvmtopHostCpuCores"
check "$H.4.0" GAUGE 2500 "kvmtopHostCpuCurFreq: mean of 2000 and 3000 MHz"
check "$H.5.0" GAUGE 800 "kvmtopHostCpuMinFreq"
check "$H.6.0" GAUGE 3600 "kvmtopHostCpuMaxFreq"
col=17
for t in 10000 100 2000 80000 500 10 90 0 3000 50; do
	check "$H.$col.0" COUNTER64 "$t" "phase 1: host CPU time column $col"
	col=$((col + 1))
done
check "$H.27.0" GAUGE 3 "kvmtopHostVmsRunning: alpha, bravo, delta"
check "$H.28.0" GAUGE 0 "kvmtopHostVmsPaused"
check "$H.29.0" GAUGE 1 "kvmtopHostVmsShutdown: charlie"
check "$H.30.0" GAUGE 0 "kvmtopHostVmsOther"
check "$MEMT.2.1" STRING MemTotal "memory row 1 is MemTotal"
check "$MEMT.3.1" COUNTER64 8388608 "MemTotal in KiB"
check "$MEMT.4.1" STRING KiB "MemTotal's unit"
check "$MEMT.3.2" COUNTER64 4194304 "MemFree"
check "$MEMT.3.3" COUNTER64 6291456 "MemAvailable"
check "$MEMT.2.39" STRING HugePages_Total "memory row 39 is HugePages_Total"
check "$MEMT.4.39" STRING "" "HugePages_Total is a count, no unit"
check "$MEMT.3.43" COUNTER64 2048 "Hugepagesize"
check "$MEMT.3.47" COUNTER64 25165824 "DirectMap1G"
absent "$MEMT.2.35" "HardwareCorrupted (not printed by this kernel)"
kt_is "$(grep -c "^$MEMT\.2\." "$KT_TMP/walk1")" 46 "46 memory rows"

# sda's row: its index is whatever the state file gave "host/disk/sda".
S=""
for i in $(seq 1 30); do [ "$(val "$DISK.2.$i")" = sda ] && S=$i; done
kt_ok $([ -n "$S" ]; echo $?) "kvmtopHostDiskTable has sda"
kt_is "$(grep -c "^$DISK\.2\." "$KT_TMP/walk1")" 1 "only sda: loop0 is not physical, no VM disk lives on sda1 or dm-0"
for p in "3 40000" "4 2000" "5 3200000" "6 60000" "7 20000" "8 4000" "9 1600000" "10 30000" "11 50000" "12 90000"; do
	set -- $p
	check "$DISK.$1.$S" COUNTER64 "$2" "phase 1: sda column $1"
done
check "$DISK.13.$S" GAUGE 0 "phase 1: sda in flight"

for p in "2 eth0 1 1000 900000000 600000 300000000 200000" \
	 "3 br0 2 - 500000 5000 400000 4000" \
	 "10 vnet0 3 10 11000 110 21000 210" "13 vnet3 3 10 14000 140 24000 240" \
	 "16 vnet6 3 10 17000 170 27000 270"; do
	set -- $p
	check "$NET.2.$1" STRING "$2" "ifindex $1 is $2"
	check "$NET.20.$1" INTEGER "$3" "$2: kvmtopHostNetType"
	if [ "$4" = - ]; then absent "$NET.19.$1" "$2: speed"; else check "$NET.19.$1" GAUGE "$4" "$2: speed"; fi
	check "$NET.3.$1" COUNTER64 "$5" "phase 1: $2 rx bytes"
	check "$NET.4.$1" COUNTER64 "$6" "phase 1: $2 rx packets"
	check "$NET.11.$1" COUNTER64 "$7" "phase 1: $2 tx bytes"
	check "$NET.12.$1" COUNTER64 "$8" "phase 1: $2 tx packets"
done
absent "$NET.2.1" "lo"
kt_is "$(grep -c "^$NET\.2\." "$KT_TMP/walk1")" 8 "eight interfaces: eth0, br0, six taps"

for p in "1.1 125 75 50 123456789" "1.2 0 0 0 0" "2.1 10 20 30 2345678" "2.2 5 10 15 1234567" \
	 "3.1 0 0 0 345" "3.2 0 0 0 123"; do
	set -- $p
	check "$PSI.3.$1" GAUGE "$2" "phase 1: PSI $1 avg10"
	check "$PSI.4.$1" GAUGE "$3" "phase 1: PSI $1 avg60"
	check "$PSI.5.$1" GAUGE "$4" "phase 1: PSI $1 avg300"
	check "$PSI.6.$1" COUNTER64 "$5" "phase 1: PSI $1 total"
done

# ---- phase 2 ----
kt_load "$KT_TMP/walk2"
col=7
for pct in 1500 0 500 7500 250 50 200 0 1000 0; do
	check "$H.$col.0" GAUGE "$pct" "phase 2: host CPU percentage column $col (ratio of ticks)"
	col=$((col + 1))
done
check "$H.17.0" COUNTER64 10600 "phase 2: host user ticks"
check "$DISK.3.$S" COUNTER64 40300 "phase 2: sda reads"
check "$DISK.13.$S" GAUGE 1 "phase 2: sda in flight"
# EXPECTED-host.md: Ioutil = 400 / T x 10000, QueueSize = 900 / T x 100.
kt_near "$(val "$DISK.14.$S")" $(( (4000000 + I_MS / 2) / I_MS )) 2 "phase 2: sda ioutil over the interval"
kt_near "$(val "$DISK.15.$S")" $(( (90000 + I_MS / 2) / I_MS )) 1 "phase 2: sda queue size"
check "$DISK.16.$S" GAUGE 899 "phase 2: sda queue time 900 ms x 1000 / 1001 ops"
check "$DISK.17.$S" GAUGE 400 "phase 2: sda service time 400 ms x 1000 / 1000 ops"
check "$NET.3.2" COUNTER64 901000000 "phase 2: eth0 rx bytes"
check "$NET.12.2" COUNTER64 200500 "phase 2: eth0 tx packets"
check "$NET.3.10" COUNTER64 11500 "phase 2: vnet0 rx bytes"
check "$NET.3.16" COUNTER64 17000 "phase 2: vnet6 unchanged"
check "$PSI.3.1.1" GAUGE 250 "phase 2: PSI cpu some avg10"
check "$PSI.6.2.2" COUNTER64 1284567 "phase 2: PSI io full total"
kt_stop_subagent
kt_done
