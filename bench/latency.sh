#!/bin/bash
# GET latency benchmark: single GETs of a random VM's column while the
# agent is idle and while collection cycles run.  See bench/README.md.
#
#   bench/latency.sh [--vms 1000] [--count 2000] [--pace 1000]
#                    [--modes unpinned,pinned] [--busy-interval 0.2]
#                    [--worker-nice N]
#
# On a fixture of N domains (bench/gen-fixture), with a private snmpd:
# - idle: kvmtop-subagent collecting every 600 s (no cycle runs during the
#   GETs), bench/latency/kt-getlat sends --count GETs one at a time, one
#   every --pace microseconds (so 2000 GETs span about 2 s);
# - busy: the subagent restarted with -f --busy-interval, so that a cycle
#   is running for a good share of the time, and the same GETs again.
# Per mode (snmpd, subagent and client on CPU 0, or on every CPU) prints a
# "latency" line per state (with the cycles that ran during the GETs and
# the last cycle's duration) and "target" lines (busy p99 at most 2x idle
# p99, issue 6).
# --worker-nice N (an experiment) renices the subagent's threads other than
# the main (SNMP) thread, i.e. the collector, to N after start.
set -u
. "$(dirname "$0")/lib.sh"

n=1000
count=2000
pace=1000
modes=unpinned,pinned
busy_interval=0.2
worker_nice=

usage() {
	sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0" | grep -v '^set -u'
	exit "$1"
}
while [ $# -gt 0 ]; do
	case "$1" in
	--vms) n=$2; shift ;;
	--count) count=$2; shift ;;
	--pace) pace=$2; shift ;;
	--modes) modes=$2; shift ;;
	--busy-interval) busy_interval=$2; shift ;;
	--worker-nice) worker_nice=$2; shift ;;
	-h | --help) usage 0 ;;
	*) usage 2 ;;
	esac
	shift
done

bench_setup "$KT_SUBAGENT" "$KT_GETLAT"
bench_machine
bench_start_snmpd
bench_fixture "$n"
declare -A R

# Columns of the per-VM tables: name, CPU time, CPU %, RSS, disk, net, I/O.
COLUMNS="$KT_ROOT_OID.1.2.1.3 $KT_ROOT_OID.1.3.1.2 $KT_ROOT_OID.1.3.1.6
	$KT_ROOT_OID.1.4.1.4 $KT_ROOT_OID.1.5.1.5 $KT_ROOT_OID.1.6.1.2
	$KT_ROOT_OID.1.7.1.1"

getlat() { # getlat MODE COUNT SEED [KT-GETLAT-OPTIONS...]
	local pin= mode=$1 gets=$2 seed=$3
	shift 3
	[ "$mode" = pinned ] && pin="taskset -c 0"
	# shellcheck disable=SC2086
	$pin "$KT_GETLAT" -a "udp:127.0.0.1:$BENCH_PORT" -n "$gets" \
		-f "$BENCH_TMP/indexes" -s "$seed" "$@" $COLUMNS
}

pin_all() { # pin_all MODE
	if [ "$1" = pinned ]; then
		bench_pin 0 "$BENCH_SNMPD_PID" "$BENCH_AGENT_PID"
	else
		bench_pin "$(bench_all_cpus)" "$BENCH_SNMPD_PID" "$BENCH_AGENT_PID"
	fi
}

# measure STATE: per mode, a warm-up, then COUNT timed GETs.
measure() {
	local state=$1 mode line c0 c1
	for mode in ${modes//,/ }; do
		pin_all "$mode"
		getlat "$mode" 200 7 >/dev/null
		c0=$(bench_get "$KT_ROOT_OID.1.1.9.0")
		line=$(getlat "$mode" "$count" 1 -p "$pace") ||
			echo "# kt-getlat reported errors: $line"
		c1=$(bench_get "$KT_ROOT_OID.1.1.9.0")
		R[$mode:$state]=$(echo "$line" | sed -n 's/.* p99_us=\([^ ]*\).*/\1/p')
		echo "latency n=$n mode=$mode state=$state ${line#getlat }" \
			"cycles_during=$((c1 - c0))" \
			"refresh_ms=$(bench_get "$KT_ROOT_OID.1.1.4.0")"
	done
}

# The VM indexes (kvmtopVmUuid's instances): not 1..N, the index map is
# shared with the device tables.
vm_indexes() {
	snmpbulkwalk -v2c -c public -On -Oq -Cr50 "127.0.0.1:$BENCH_PORT" \
		"$KT_ROOT_OID.1.2.1.2" | sed -n 's/^[.0-9]*\.\([0-9]*\) .*/\1/p' \
		>"$BENCH_TMP/indexes"
	[ "$(wc -l <"$BENCH_TMP/indexes")" -eq "$n" ] ||
		bench_die "kvmtopVmTable has $(wc -l <"$BENCH_TMP/indexes") rows, not $n"
}

# The collector thread at --worker-nice, when asked.
renice_worker() {
	local t
	[ -n "$worker_nice" ] || return 0
	for t in /proc/"$BENCH_AGENT_PID"/task/*; do
		t=${t##*/}
		[ "$t" = "$BENCH_AGENT_PID" ] ||
			renice -n "$worker_nice" -p "$t" >/dev/null
	done
	echo "worker_nice $worker_nice"
}

bench_start_subagent -f 600
bench_wait_refresh 1 600 || bench_die "no first collection"
renice_worker
vm_indexes
measure idle
bench_stop "$BENCH_AGENT_PID"

bench_start_subagent -f "$busy_interval"
bench_wait_refresh 2 600 || bench_die "no second collection (busy)"
renice_worker
measure busy
bench_stop "$BENCH_AGENT_PID"

for mode in ${modes//,/ }; do
	r=$(bench_ratio "${R[$mode:busy]}" "${R[$mode:idle]}")
	met=$(awk -v v="$r" 'BEGIN { print v == "-" ? "unknown" : (v <= 2 ? "yes" : "no") }')
	echo "target get_p99_busy_over_idle n=$n mode=$mode value=$r limit=2.00 met=$met"
done
echo "end load=$(cut -d' ' -f1 /proc/loadavg) date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
exit 0
