#!/bin/bash
# End to end, the noisy neighbour: what kvmtop exists to show.  Two busy
# one-vCPU guests pinned to host CPU 0 take turns on it, so each waits about
# half the time on the run queue; a third busy guest pinned alone to CPU 1
# runs nearly all the time.  Over SNMP the two show kvmtopVmCpuSteal far
# above the lone guest's and kvmtopVmCpuTotal near half; the lone one shows
# kvmtopVmCpuTotal near full and little steal.
#
# The QEMU threads other than the vCPUs are pinned to CPU 0 as well, so that
# CPU 1 is the lone guest's as far as the guests go.  (Pinning snmpd, the
# subagent and this script there too made them wait seconds at times behind
# the two busy TCG vCPUs.)  The rest of the host may still run on CPU 1: the
# lone guest's steal is then what it took.  The test measures that from
# /proc/stat, and checks the lone guest's "steal below 15 %" only when the
# rest of the host left CPU 1 (nearly) alone (at most 10 %, so that what it
# did take cannot push the steal over the bound): in CI nothing else runs
# beside this test (the end-to-end lock keeps the other e2e tests and the
# Zabbix test out); a busy machine shows the numbers and skips those four
# checks, while "the agent's steal is what /proc says" is checked always.  The same for
# "about half" of the two on CPU 0, with what the rest ran there.  Under
# KT_UNDER_LOAD=1 (tools/run-tests.sh --under-load keeps both CPUs busy)
# those checks are skipped, and the TAP line says so.
#
# The test drives the agent's collections (SIGUSR1), GAP s apart at least;
# the agent's means are weighted by the sample intervals it serves.
. "$(dirname "$0")/lib.sh"
kt_e2e_requirements
[ "$(nproc)" -ge 2 ] || kt_e2e_skip "needs two host CPUs, this test may use $(nproc)"
kt_e2e_setup

GAP=2      # seconds at least between two collections
SAMPLES=10 # collections averaged: 20 s or more
R=$KT_ROOT_OID
CPU=$R.1.3.1
GUESTS="kt-e2e-nn-a kt-e2e-nn-b kt-e2e-nn-lone"

kt_start_snmpd
kt_start_subagent -c "$KT_E2E_URI" -f "$KT_DRIVEN_FREQUENCY"
kt_wait_refresh 1 || kt_bail "no first collection: $(tail -3 "$KT_TMP/subagent.log")"

pin() { echo "<cputune><vcpupin vcpu='0' cpuset='$1'/><emulatorpin cpuset='0'/></cputune>"; }
kt_e2e_linux kt-e2e-nn-a cpu 1 96 "$(pin 0)" || kt_bail "kt-e2e-nn-a not created"
kt_e2e_linux kt-e2e-nn-b cpu 1 96 "$(pin 0)" || kt_bail "kt-e2e-nn-b not created"
kt_e2e_linux kt-e2e-nn-lone cpu 1 96 "$(pin 1)" || kt_bail "kt-e2e-nn-lone not created"
declare -A IDX PID
for g in $GUESTS; do
	kt_e2e_wait_boot "$g" || kt_bail "$g did not boot"
	PID[$g]=$(kt_e2e_qemu_pid "$g")
done
echo "# guests up after $(($(date +%s) - KT_E2E_T0)) s"
kt_collect_now || kt_bail "collections stopped"
kt_e2e_indexes
for g in $GUESTS; do
	IDX[$g]=${KT_IDX[${KT_E2E_UUID[$g]}]:-0}
	[ "${IDX[$g]}" != 0 ] || kt_bail "$g has no kvmtopVmTable row"
done
A=${IDX[kt-e2e-nn-a]} B=${IDX[kt-e2e-nn-b]} L=${IDX[kt-e2e-nn-lone]}

# The vCPU threads run where they were pinned (the host's own view).
for g in $GUESTS; do
	want=1
	[ "$g" = kt-e2e-nn-lone ] || want=0
	tid=$(grep -l '^CPU 0/' /proc/"${PID[$g]}"/task/*/comm | head -1 | cut -d/ -f5)
	kt_is "$(taskset -pc "$tid" 2>/dev/null | sed 's/.*: //')" "$want" "$g: vCPU 0 thread is pinned to host CPU $want"
done

# Until every load runs (kernel booted, busy loop started): a busy vCPU
# runs or waits to run all the time, however busy the machine.
wants() { echo $((${KT_V[$CPU.6.$1]:-0} + ${KT_V[$CPU.7.$1]:-0})); }
busy() {
	kt_e2e_getmany "$CPU.6.$A" "$CPU.7.$A" "$CPU.6.$B" "$CPU.7.$B" "$CPU.6.$L" "$CPU.7.$L"
	[ "$(wants "$A")" -gt 5000 ] && [ "$(wants "$B")" -gt 5000 ] && [ "$(wants "$L")" -gt 5000 ]
}
for try in $(seq 30); do
	kt_collect_after "$GAP" || kt_bail "collections stopped"
	busy && break
done
busy
kt_ok $? "all three loads run (kvmtopVmCpuTotal + kvmtopVmCpuSteal > 50 %: $(wants "$A"), $(wants "$B"), $(wants "$L"))"

# CPU N's busy time in ms (user, nice, system, irq, softirq of /proc/stat).
cpu_busy_ms() { # N
	awk -v c="cpu$1" '$1 == c { print ($2 + $3 + $4 + $7 + $8) * 1000 / '"$(getconf CLK_TCK)"' }' /proc/stat
}

# ---- sample over $SAMPLES collections ----
# The window starts right after the collection above and ends right after
# the last one: /proc is read then.
declare -A SUM_T SUM_S R0 R1 W0 W1
for g in $GUESTS; do
	SUM_T[$g]=0 SUM_S[$g]=0
	read -r R0[$g] W0[$g] x <<< "$(kt_e2e_vcpu_sched "${PID[$g]}")"
done
c0=$(cpu_busy_ms 1) z0=$(cpu_busy_ms 0)
t0=$(date +%s%N)
ask0=$KT_ASKED_NS served0=$KT_COLLECTED_NS
got=0 sum_ms=0
for s in $(seq "$SAMPLES"); do
	kt_collect_after "$GAP" || break
	kt_e2e_getmany "$CPU.6.$A" "$CPU.7.$A" "$CPU.6.$B" "$CPU.7.$B" "$CPU.6.$L" "$CPU.7.$L" "$R.1.1.10.0"
	ms=${KT_V[$R.1.1.10.0]:-0} # kvmtopAgentSampleInterval: the weight of this sample
	for g in $GUESTS; do
		i=${IDX[$g]}
		SUM_T[$g]=$((SUM_T[$g] + ${KT_V[$CPU.6.$i]:-0} * ms))
		SUM_S[$g]=$((SUM_S[$g] + ${KT_V[$CPU.7.$i]:-0} * ms))
	done
	got=$((got + 1)) sum_ms=$((sum_ms + ms))
done
t1=$(date +%s%N)
c1=$(cpu_busy_ms 1) z1=$(cpu_busy_ms 0)
for g in $GUESTS; do
	read -r R1[$g] W1[$g] x <<< "$(kt_e2e_vcpu_sched "${PID[$g]}")"
done
kt_range() { # kt_range GOT LOW HIGH DESCRIPTION
	if [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; then
		kt_ok 0 "$4"
	else
		kt_ok 1 "$4"
		echo "#   got $1, want $2..$3"
	fi
}
kt_is "$got" "$SAMPLES" "$SAMPLES collections sampled"
[ "$sum_ms" -gt 0 ] || sum_ms=1
win_ms=$(((t1 - t0) / 1000000))
# The agent's intervals cover the time from the first collection's sample
# to the last one's: each sample was taken between the test's asking for
# its collection and seeing it served (and each is served in whole ms).
kt_range "$sum_ms" $(((KT_ASKED_NS - served0) / 1000000 - SAMPLES)) $(((KT_COLLECTED_NS - ask0) / 1000000 + SAMPLES)) \
	"the served sample intervals ($sum_ms ms) add up to the time between the samples (the test's window: $win_ms ms)"
declare -A AVG_T AVG_S PROC_S
line=""
for g in $GUESTS; do
	AVG_T[$g]=$((SUM_T[$g] / sum_ms))
	AVG_S[$g]=$((SUM_S[$g] / sum_ms))
	PROC_S[$g]=$(((W1[$g] - W0[$g]) / 100 / win_ms))
	line="$line; ${g#kt-e2e-nn-} total=${AVG_T[$g]} steal=${AVG_S[$g]}"
done
# What the rest of the host ran on CPU 1: its busy time less the lone vCPU's.
lone_run_ms=$(((R1[kt-e2e-nn-lone] - R0[kt-e2e-nn-lone]) / 1000000))
others=$(((c1 - c0 - lone_run_ms) * 10000 / win_ms))
[ "$others" -lt 0 ] && others=0
# And on CPU 0: its busy time less the two vCPUs' (QEMU's other threads,
# pinned there, count as the rest).
pair_run_ms=$(((R1[kt-e2e-nn-a] - R0[kt-e2e-nn-a] + R1[kt-e2e-nn-b] - R0[kt-e2e-nn-b]) / 1000000))
others0=$(((z1 - z0 - pair_run_ms) * 10000 / win_ms))
[ "$others0" -lt 0 ] && others0=0
echo "# noisy: ${line#; } (0.01 %, mean of $got samples weighted by their intervals, $sum_ms ms in all, guests under tcg)"
echo "# noisy: steal from /proc over the same $win_ms ms: a=${PROC_S[kt-e2e-nn-a]} b=${PROC_S[kt-e2e-nn-b]} lone=${PROC_S[kt-e2e-nn-lone]}; the rest of the host ran $others0 on CPU 0, $others on CPU 1"

# Why the checks that need the CPUs to be the guests' are skipped, if they are.
skip_why() { # OTHERS CPU
	if [ "${KT_UNDER_LOAD:-0}" = 1 ]; then
		echo "under load (KT_UNDER_LOAD=1: other processes keep both CPUs busy; the rest of the host ran $1 on CPU $2)"
	elif [ "$1" -gt "$QUIET_MAX" ]; then
		echo "CPU $2 was not the guests': the rest of the host ran $1 there"
	fi
}
# The most the rest of the host may run on a CPU for the checks that need
# it to be the guests' (0.01 %): below their 15 % bounds.
QUIET_MAX=1000
lone_s=${AVG_S[kt-e2e-nn-lone]}
why0=$(skip_why "$others0" 0)
for g in kt-e2e-nn-a kt-e2e-nn-b; do
	kt_range "${AVG_S[$g]}" 2000 10000 "$g (shares CPU 0): kvmtopVmCpuSteal > 20 %"
	if [ -z "$why0" ]; then
		kt_range "${AVG_T[$g]}" 2500 7500 "$g (shares CPU 0): kvmtopVmCpuTotal about half (25..75 %)"
	else
		kt_ok 0 "$g (shares CPU 0): kvmtopVmCpuTotal about half (25..75 %) # SKIP $why0"
	fi
done
# The lone vCPU always wants to run: it waits exactly while others run there.
kt_near "$lone_s" "$others" 1000 \
	"kt-e2e-nn-lone: kvmtopVmCpuSteal is what the rest of the host ran on CPU 1 (/proc/stat, +-10 %)"
# The staged fight itself, when CPU 1 was the lone guest's (always in CI).
why1=$(skip_why "$others" 1)
if [ -z "$why1" ]; then
	for g in kt-e2e-nn-a kt-e2e-nn-b; do
		kt_range "${AVG_S[$g]}" $((lone_s + 1500)) 10000 \
			"$g: kvmtopVmCpuSteal > the lone guest's + 15 %"
	done
	kt_range "${AVG_T[kt-e2e-nn-lone]}" 7000 10000 "kt-e2e-nn-lone (alone on CPU 1): kvmtopVmCpuTotal > 70 %"
	kt_range "$lone_s" 0 1500 "kt-e2e-nn-lone (alone on CPU 1): kvmtopVmCpuSteal < 15 %"
else
	for what in "kt-e2e-nn-a: kvmtopVmCpuSteal > the lone guest's + 15 %" \
		"kt-e2e-nn-b: kvmtopVmCpuSteal > the lone guest's + 15 %" \
		"kt-e2e-nn-lone (alone on CPU 1): kvmtopVmCpuTotal > 70 %" \
		"kt-e2e-nn-lone (alone on CPU 1): kvmtopVmCpuSteal < 15 %"; do
		kt_ok 0 "$what # SKIP $why1"
	done
fi
for g in $GUESTS; do
	kt_near "${AVG_S[$g]}" "${PROC_S[$g]}" 1000 \
		"$g: mean kvmtopVmCpuSteal is /proc's vCPU wait growth over the window (+-10 %)"
done

kt_stop_subagent
kt_e2e_done
