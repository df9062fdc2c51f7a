#!/bin/bash
# End to end: a real libvirtd, four live guests, the real snmpd and the
# subagent on qemu:///system.  Every table the MIB has is checked against a
# source the subagent did not compute: virsh, the QEMU processes found by
# this test, and /proc read by this test right after the agent's collection.
#   kt-e2e-cpu   Linux, 2 vCPUs, one busy loop per vCPU   (TCG)
#   kt-e2e-disk  Linux, 1 vCPU, direct I/O on its disk    (TCG)
#   kt-e2e-net   Linux, 1 vCPU, ARP requests on its tap   (TCG)
#   kt-e2e-bios  no OS, 2 vCPUs, waits in SeaBIOS         (KVM when available)
# The test drives the agent's collections (SIGUSR1, kt_collect_now), so no
# collection runs while it reads /proc, and a rate's interval is at least
# GAP s however slow the machine.
. "$(dirname "$0")/lib.sh"
kt_e2e_setup

F=$KT_DRIVEN_FREQUENCY # the agent's refresh interval, seconds: none by itself
GAP=5                  # seconds at least between the collections of a rate
R=$KT_ROOT_OID
VM=$R.1.2.1 CPU=$R.1.3.1 MEM=$R.1.4.1
GUESTS="kt-e2e-cpu kt-e2e-disk kt-e2e-net kt-e2e-bios"
declare -A VCPUS=([kt-e2e-cpu]=2 [kt-e2e-disk]=1 [kt-e2e-net]=1 [kt-e2e-bios]=2)
declare -A MEMMIB=([kt-e2e-cpu]=96 [kt-e2e-disk]=96 [kt-e2e-net]=96 [kt-e2e-bios]=32)

kt_range() { # kt_range GOT LOW HIGH DESCRIPTION (integers)
	if [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; then
		kt_ok 0 "$4"
	else
		kt_ok 1 "$4"
		echo "#   got '$1', want $2..$3"
	fi
}

kt_bracket() { # kt_bracket GOT SERVED TOLERANCE DESCRIPTION: SERVED <= GOT <= SERVED + TOLERANCE
	if [ -n "$2" ]; then
		kt_range "$1" "$2" $(($2 + $3)) "$4"
	else
		kt_ok 1 "$4"
		echo "#   no instance served"
	fi
}

# The agent runs first and sees the guests appear.
kt_start_snmpd
kt_start_subagent -c "$KT_E2E_URI" -f "$F"
kt_wait_refresh 1 || kt_bail "no first collection: $(tail -3 "$KT_TMP/subagent.log")"

kt_e2e_linux kt-e2e-cpu cpu 2 96 || kt_bail "kt-e2e-cpu not created"
kt_e2e_linux kt-e2e-disk disk 1 96 || kt_bail "kt-e2e-disk not created"
kt_e2e_linux kt-e2e-net net 1 96 || kt_bail "kt-e2e-net not created"
kt_e2e_bios kt-e2e-bios 2 || kt_bail "kt-e2e-bios not created"
for g in kt-e2e-cpu kt-e2e-disk kt-e2e-net; do
	kt_e2e_wait_boot "$g" || kt_bail "$g did not boot"
done
echo "# guests up after $(($(date +%s) - KT_E2E_T0)) s"
declare -A PID IDX
for g in $GUESTS; do
	PID[$g]=$(kt_e2e_qemu_pid "$g")
	[ -n "${PID[$g]}" ] || kt_bail "no QEMU process with the UUID of $g"
done
# Two collections with every guest running: the rates exist.
kt_collect_now && kt_collect_after 1 || kt_bail "collections stopped"

# ---- agent scalars and the VM table vs virsh ----
kt_e2e_getmany "$R.1.1.2.0" "$R.1.1.5.0" "$R.1.1.6.0" "$R.1.1.7.0"
kt_is "${KT_V[$R.1.1.2.0]}" $((F * 1000)) "kvmtopAgentRefreshInterval"
kt_is "${KT_V[$R.1.1.5.0]}" 1 "kvmtopAgentLibvirtConnected is true"
kt_is "${KT_V[$R.1.1.7.0]}" "$KT_E2E_URI" "kvmtopAgentLibvirtUri"
kt_is "${KT_V[$R.1.1.6.0]}" "$(kt_virsh list --all --name | grep -c .)" \
	"kvmtopAgentVmCount is the number of domains of virsh list --all"
kt_is "$(kt_snmp snmpbulkwalk "$VM.3" -On -Oqv | tr -d '"' | sort | tr '\n' ' ')" \
	"$(kt_virsh list --all --name | grep . | sort | tr '\n' ' ')" \
	"kvmtopVmName lists the domains of virsh list --all"
kt_e2e_indexes
for g in $GUESTS; do
	u=$(kt_virsh domuuid "$g")
	IDX[$g]=${KT_IDX[$u]:-0}
	kt_ok $((${IDX[$g]} == 0)) "$g: a kvmtopVmUuid row holds its virsh domuuid"
done
oids=()
for g in $GUESTS; do
	for c in 3 4 5 6; do oids+=("$VM.$c.${IDX[$g]}"); done
done
kt_e2e_getmany "${oids[@]}"
for g in $GUESTS; do
	i=${IDX[$g]}
	kt_is "${KT_V[$VM.3.$i]}" "$g" "$g: kvmtopVmName"
	kt_is "$(kt_virsh domstate "$g")/${KT_V[$VM.4.$i]}" "running/4" "$g: kvmtopVmState running(4), as virsh domstate says"
	kt_is "${KT_V[$VM.5.$i]}" "${PID[$g]}" "$g: kvmtopVmPid is the QEMU process with its UUID"
	kt_is "${KT_V[$VM.6.$i]}" 1 "$g: kvmtopVmDataValid is true"
done

# ---- CPU and memory tables vs /proc, read right after a collection ----
# Each guest's values are fetched in one GET right after the agent published
# a collection; then this test reads the same /proc files.  A counter may
# have grown since the agent read it by at most the time since, for every
# vCPU: the data's age at the GET (kvmtopAgentLastRefreshAge) + the
# collection's duration + the time from the GET to the test's read.
declare -A S0 ST NTASK TS SINCE_MS SWAP
sample() { # reads everything for all guests; 1 when a collection interfered
	local g i oids=()
	kt_collect_after "$GAP" || return 1
	SAMPLE_T=$(date +%s%N)
	for g in $GUESTS; do
		i=${IDX[$g]}
		for c in 1 2 3 4 6 7 10 11; do oids+=("$CPU.$c.$i"); done
		for c in 1 2 3 4 5 6 7 8 9; do oids+=("$MEM.$c.$i"); done
	done
	kt_e2e_getmany "${oids[@]}" "$R.1.1.4.0" "$R.1.1.8.0" "$R.1.1.9.0" "$R.1.1.10.0"
	for g in $GUESTS; do
		TS[$g]=$(date +%s%N)
		S0[$g]=$(kt_e2e_vcpu_sched "${PID[$g]}")
		kt_e2e_stat "${PID[$g]}" && ST[$g]="${KT_STAT[*]}"
		# VmSwap (KiB) of the guest's QEMU, read here, not by the agent
		SWAP[$g]=$(awk '$1 == "VmSwap:" && $3 == "kB" {print $2 * 1024}' \
			"/proc/${PID[$g]}/status")
		NTASK[$g]=$(ls "/proc/${PID[$g]}/task" | wc -l)
		SINCE_MS[$g]=$(( ($(date +%s%N) - SAMPLE_T) / 1000000 + \
			${KT_V[$R.1.1.8.0]:-0} + ${KT_V[$R.1.1.4.0]:-0} + 20))
	done
	[ "$(kt_get "$R.1.1.9.0")" = "${KT_V[$R.1.1.9.0]}" ]
}
for try in 1 2 3 4 5; do
	sample && break
	echo "# a collection ran while reading /proc; again"
done
declare -A V1 S1 TS1 SINCE1 SW1
keep_sample() { # the last sample as the first of a pair
	local k g
	V1=()
	for k in "${!KT_V[@]}"; do V1[$k]=${KT_V[$k]}; done
	for g in $GUESTS; do S1[$g]=${S0[$g]} TS1[$g]=${TS[$g]} SINCE1[$g]=${SINCE_MS[$g]} SW1[$g]=${SWAP[$g]}; done
}
keep_sample
echo "# data age at the GET ${V1[$R.1.1.8.0]} ms, collection took ${V1[$R.1.1.4.0]} ms"

for g in $GUESTS; do
	i=${IDX[$g]} n=${VCPUS[$g]}
	read -r run wait cnt <<< "${S1[$g]}"
	kt_is "${V1[$CPU.1.$i]}" "$n" "$g: kvmtopVmCpuCores is the vCPU count of its XML"
	kt_is "$cnt" "$n" "$g: /proc shows $n threads named 'CPU n/...'"
	kt_is "${V1[$CPU.10.$i]}" "$cnt" "$g: kvmtopVmCpuThreads matches the 'CPU n/' threads in /proc"
	kt_near "${V1[$CPU.11.$i]}" $((NTASK[$g] - cnt)) 3 \
		"$g: kvmtopVmCpuOtherThreads matches the other threads in /proc (worker threads come and go)"
	since=${SINCE1[$g]}
	kt_bracket "$run" "${V1[$CPU.2.$i]}" $((n * since * 1000000)) \
		"$g: kvmtopVmCpuTime <= /proc's vCPU run time <= it + $since ms per vCPU"
	kt_bracket "$wait" "${V1[$CPU.3.$i]}" $((n * since * 1000000)) \
		"$g: kvmtopVmCpuStealTime <= /proc's vCPU wait time <= it + $since ms per vCPU"
	echo "# $g: vCPU run ${V1[$CPU.2.$i]} (proc $run), wait ${V1[$CPU.3.$i]} (proc $wait), other ${V1[$CPU.4.$i]}"

	read -r -a st <<< "${ST[$g]}"
	page=$(getconf PAGESIZE)
	kt_is "${V1[$MEM.1.$i]}" $((MEMMIB[$g] * 1024)) "$g: kvmtopVmMemTotal is the memory of its XML (KiB)"
	kt_is "${V1[$MEM.1.$i]}" "$(kt_virsh dominfo "$g" | awk '/^Max memory:/ {print $3}')" \
		"$g: kvmtopVmMemTotal is virsh dominfo's Max memory"
	kt_is "${V1[$MEM.2.$i]}" "$(kt_virsh dommemstat "$g" | awk '$1 == "actual" {print $2}')" \
		"$g: kvmtopVmMemUsed is virsh dommemstat's actual"
	rss=$((st[24] * page))
	kt_near "${V1[$MEM.4.$i]}" "$rss" $((rss / 10 > 8388608 ? rss / 10 : 8388608)) \
		"$g: kvmtopVmMemRss is /proc/PID/stat's rss x page size (+-10 %)"
	kt_near "${V1[$MEM.3.$i]}" "${st[23]}" $((st[23] / 20 > 67108864 ? st[23] / 20 : 67108864)) \
		"$g: kvmtopVmMemVsize is /proc/PID/stat's vsize (+-5 %)"
	kt_bracket "${st[10]}" "${V1[$MEM.5.$i]}" 20000 \
		"$g: kvmtopVmMemMinflt <= /proc's minflt, close"
	kt_bracket "${st[12]}" "${V1[$MEM.7.$i]}" 100 \
		"$g: kvmtopVmMemMajflt <= /proc's majflt, close"
	kt_is "${V1[$MEM.6.$i]}/${V1[$MEM.8.$i]}" "${st[11]}/${st[13]}" \
		"$g: kvmtopVmMemCminflt/Cmajflt are /proc's (QEMU has no children)"
	sw=${SW1[$g]:--1}
	kt_near "${V1[$MEM.9.$i]}" "$sw" $((sw / 10 > 4194304 ? sw / 10 : 4194304)) \
		"$g: kvmtopVmMemSwap is /proc/PID/status's VmSwap x 1024 (+-10 %, 4 MiB at least)"
	echo "# $g: swap ${V1[$MEM.9.$i]} (proc $sw)"
done

# ---- rates: two consecutive collections, against this test's own deltas ----
pair=1
for try in 1 2 3 4 5; do
	sample || continue
	[ "${KT_V[$R.1.1.9.0]}" = $((${V1[$R.1.1.9.0]:-0} + 1)) ] && pair=0 && break
	keep_sample
done
kt_ok $pair "/proc read right after two consecutive collections"
echo "# agent's sample interval ${KT_V[$R.1.1.10.0]} ms, this test's $(((SAMPLE_T - TS1[kt-e2e-cpu]) / 1000000)) ms"
kt_sample_interval_bounds
kt_within "${KT_V[$R.1.1.10.0]}" "$KT_INTERVAL_MIN_MS" "$KT_INTERVAL_MAX_MS" \
	"kvmtopAgentSampleInterval lies between the times the test asked for the two collections and saw them served"
for g in $GUESTS; do
	i=${IDX[$g]} n=${VCPUS[$g]}
	read -r run1 wait1 x <<< "${S1[$g]}"
	read -r run2 wait2 x <<< "${S0[$g]}"
	ms=$(((TS[$g] - TS1[$g]) / 1000000))
	tot=$(((run2 - run1) / 100 / ms / n))  # ns / (ms * 100) = 0.01 %
	stl=$(((wait2 - wait1) / 100 / ms / n))
	echo "# $g: kvmtopVmCpuTotal ${KT_V[$CPU.6.$i]} (test: $tot), kvmtopVmCpuSteal ${KT_V[$CPU.7.$i]} (test: $stl)"
	# The test's window starts and ends a little after the agent's: the
	# load's share of the host may differ a little between the two.
	kt_near "${KT_V[$CPU.6.$i]}" "$tot" 1200 "$g: kvmtopVmCpuTotal is the vCPU run time's growth over the interval (+-12 %)"
	kt_near "${KT_V[$CPU.7.$i]}" "$stl" 1200 "$g: kvmtopVmCpuSteal is the vCPU wait time's growth over the interval (+-12 %)"
	kt_ok $((${KT_V[$CPU.2.$i]:-0} < ${V1[$CPU.2.$i]:-0})) "$g: kvmtopVmCpuTime did not go backwards"
done
# A busy vCPU always wants to run: it runs or waits on the run queue, in
# whatever proportion the rest of the machine leaves it.
i=${IDX[kt-e2e-cpu]}
# (Above: run and wait are read one after the other, so their sum may
# come out a little over 100 % on a busy machine.)
kt_range $((${KT_V[$CPU.6.$i]:-0} + ${KT_V[$CPU.7.$i]:-0})) 5000 999999 \
	"kt-e2e-cpu (busy): kvmtopVmCpuTotal + kvmtopVmCpuSteal above 50 % (${KT_V[$CPU.6.$i]:-?} + ${KT_V[$CPU.7.$i]:-?})"

# ---- the guests' loads, seen by libvirt and the host ----
domstat() { kt_virsh domstats "$1" "$2" | sed -n "s/^ *$3=//p"; }
tap=${KT_E2E_TAP[kt-e2e-net]}
# The loads' counters: the disk's bytes (libvirt), QEMU's rchar and wchar
# (/proc), the ARP requests' packets and bytes (libvirt).
read_loads() {
	L_RD=$(domstat kt-e2e-disk --block block.0.rd.bytes)
	L_WR=$(domstat kt-e2e-disk --block block.0.wr.bytes)
	read -r -a L_IO < <(awk '{print $2}' "/proc/${PID[kt-e2e-disk]}/io" | head -2 | tr '\n' ' ')
	L_TX=$(domstat kt-e2e-net --interface net.0.tx.pkts)
	L_TXB=$(domstat kt-e2e-net --interface net.0.tx.bytes)
}
read_loads
d_rd=$L_RD d_wr=$L_WR io1=("${L_IO[@]}") n_tx=$L_TX n_txb=$L_TXB
w0=$(date +%s%N)
# Until the loads have shown (> 1 MiB each way, two ARP requests in both
# counters: they are read one after the other), however long a busy
# machine takes, at most KT_PATIENCE s; the window's length is measured and
# bounds what the ARP requests (1 a second) may add up to.
loads_seen() {
	read_loads
	d_rd2=$L_RD d_wr2=$L_WR io2=("${L_IO[@]}") n_tx2=$L_TX n_txb2=$L_TXB
	w1=$(date +%s%N)
	host_rx=$(cat "/sys/class/net/$tap/statistics/rx_packets")
	rx_ms=$(kt_ms_since "$w1")
	[ $((d_rd2 - d_rd)) -gt 1048576 ] && [ $((d_wr2 - d_wr)) -gt 1048576 ] &&
		[ $((io2[0] - io1[0])) -gt 1048576 ] && [ $((io2[1] - io1[1])) -gt 1048576 ] &&
		[ $((n_tx2 - n_tx)) -ge 2 ] && [ $((n_txb2 - n_txb)) -ge 84 ]
}
until sleep 1; loads_seen; do
	[ "$(kt_ms_since "$w0")" -lt $((KT_PATIENCE * 1000)) ] || break
done
win_ms=$(((w1 - w0) / 1000000))
win_s=$(((win_ms + 999) / 1000))
echo "# disk: read $((d_rd2 - d_rd)) B, written $((d_wr2 - d_wr)) B in $win_ms ms; net: $((n_tx2 - n_tx)) packets, $((n_txb2 - n_txb)) B sent"
kt_range $((d_rd2 - d_rd)) 1048576 999999999999 "kt-e2e-disk: virsh domstats block.0.rd.bytes rises (> 1 MiB)"
kt_range $((d_wr2 - d_wr)) 1048576 999999999999 "kt-e2e-disk: virsh domstats block.0.wr.bytes rises (> 1 MiB)"
kt_range $((io2[0] - io1[0])) 1048576 999999999999 "kt-e2e-disk: /proc/PID/io rchar rises (> 1 MiB)"
kt_range $((io2[1] - io1[1])) 1048576 999999999999 "kt-e2e-disk: /proc/PID/io wchar rises (> 1 MiB)"
kt_range $((n_tx2 - n_tx)) 2 $((win_s + 7)) "kt-e2e-net: virsh domstats net.0.tx.pkts rises by the ARP requests (1 a second: at most $win_s + 7 in $win_ms ms)"
kt_range $((n_txb2 - n_txb)) 84 $((42 * (win_s + 7))) "kt-e2e-net: virsh domstats net.0.tx.bytes rises by 42 bytes an ARP request"
kt_near "$host_rx" "$n_tx2" $((2 + (rx_ms + 999) / 1000)) "kt-e2e-net: the guest's transmit is the host tap's receive ($tap rx_packets, read $rx_ms ms later)"

# ---- the disk, network and I/O tables vs virsh domstats and /proc ----
# Right after a collection the served counter is at most what libvirt or
# /proc say a moment later, and behind by at most what the load adds from
# the test's asking for the collection to its reading (LAG s, measured):
# twice the rates of the window above, over LAG + 1 s, and 1 MiB; an ARP
# request a second, 10 more for slack.
DSUM=$R.1.5.1 NSUM=$R.1.6.1 IO=$R.1.7.1
di=${IDX[kt-e2e-disk]} ni=${IDX[kt-e2e-net]}
kt_collect_now || kt_bail "collections stopped"
kt_e2e_getmany "$DSUM.5.$di" "$DSUM.8.$di" "$IO.3.$di" "$IO.4.$di" "$NSUM.6.$ni" "$NSUM.7.$ni" "$NSUM.2.$ni"
x_rd=$(domstat kt-e2e-disk --block block.0.rd.bytes)
x_wr=$(domstat kt-e2e-disk --block block.0.wr.bytes)
read -r -a x_io < <(awk '{print $2}' "/proc/${PID[kt-e2e-disk]}/io" | head -2 | tr '\n' ' ')
x_txb=$(domstat kt-e2e-net --interface net.0.tx.bytes)
x_tx=$(domstat kt-e2e-net --interface net.0.tx.pkts)
x_rxb=$(domstat kt-e2e-net --interface net.0.rx.bytes)
lag=$((($(kt_ms_since "$KT_ASKED_NS") + 999) / 1000 + 1))
slack() { echo $((2 * $1 * 1000 / win_ms * lag + 1048576)); } # GROWTH_IN_WINDOW
echo "# served counters vs the sources read up to $lag s after the collection was asked for"
kt_bracket "$x_rd" "${KT_V[$DSUM.5.$di]:-}" "$(slack $((d_rd2 - d_rd)))" "kt-e2e-disk: kvmtopVmDiskRdBytes vs virsh domstats block.0.rd.bytes"
kt_bracket "$x_wr" "${KT_V[$DSUM.8.$di]:-}" "$(slack $((d_wr2 - d_wr)))" "kt-e2e-disk: kvmtopVmDiskWrBytes vs virsh domstats block.0.wr.bytes"
kt_bracket "${x_io[0]}" "${KT_V[$IO.3.$di]:-}" "$(slack $((io2[0] - io1[0])))" "kt-e2e-disk: kvmtopVmIoRchar vs /proc/PID/io rchar"
kt_bracket "${x_io[1]}" "${KT_V[$IO.4.$di]:-}" "$(slack $((io2[1] - io1[1])))" "kt-e2e-disk: kvmtopVmIoWchar vs /proc/PID/io wchar"
kt_bracket "$x_txb" "${KT_V[$NSUM.6.$ni]:-}" $((42 * (lag + 10))) "kt-e2e-net: kvmtopVmNetTxBytes is the guest's transmit (its ARP requests), as domstats net.0.tx.bytes"
kt_bracket "$x_tx" "${KT_V[$NSUM.7.$ni]:-}" $((lag + 10)) "kt-e2e-net: kvmtopVmNetTxPackets vs domstats net.0.tx.pkts"
kt_bracket "$x_rxb" "${KT_V[$NSUM.2.$ni]:-}" $((42 * (lag + 10))) "kt-e2e-net: kvmtopVmNetRxBytes vs domstats net.0.rx.bytes"

# ---- the guest without an OS: vCPU threads named by KVM ----
if [ "$KT_E2E_BIOS_TYPE" = kvm ]; then
	n=$(cat /proc/"${PID[kt-e2e-bios]}"/task/*/comm | grep -c '^CPU [0-9]*/KVM$')
	kt_is "$n" 2 "kt-e2e-bios: its vCPU threads are named 'CPU n/KVM' (counted above as kvmtopVmCpuThreads)"
else
	echo "# no /dev/kvm: kt-e2e-bios runs under TCG too"
fi

kt_stop_subagent
kt_e2e_done
