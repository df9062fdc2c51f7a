#!/bin/bash
# kvmtop-live's remote source at scale: one refresh of the live view's
# columns (and of the JSON printer's) against an agent on the N-VM
# fixture, next to snmpbulkwalk of the same columns.  See bench/README.md.
#
#   bench/live.sh [--vms 1000] [--runs 5] [--interval SECONDS]
#
# A private snmpd, kvmtop-subagent on bench/gen-fixture's N domains (one
# collection every --interval seconds, long enough that none runs while
# measuring), then RUNS refreshes by bench/live/kt-live-bench (wall time,
# its CPU, requests and varbinds per refresh) and RUNS rounds of one
# snmpbulkwalk per column kt-live-bench fetched (wall time of the round,
# less a client start-up measured next to it, per walk).  Prints "live",
# "bulkwalk", "ratio" and "goal" lines (refresh <= 1.2 x bulkwalk).
set -u
. "$(dirname "$0")/lib.sh"

vms=1000
runs=5
interval=120
usage() {
	sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0" | grep -v '^set -u'
	exit "$1"
}
while [ $# -gt 0 ]; do
	case "$1" in
	--vms) vms=$2; shift ;;
	--runs) runs=$2; shift ;;
	--interval) interval=$2; shift ;;
	-h | --help) usage 0 ;;
	*) usage 2 ;;
	esac
	shift
done
KT_LIVE_BENCH=$KT_BUILDDIR/bench/live/kt-live-bench

bench_setup "$KT_SUBAGENT" "$KT_LIVE_BENCH"
bench_machine
bench_start_snmpd
bench_fixture "$vms"
bench_start_subagent -f "$interval"
# Two collections: rates (the percentage columns) exist from the second.
bench_wait_refresh 2 $((interval * 10 + 1200)) || bench_die "no second collection"
seq0=$(bench_get "$KT_ROOT_OID.1.1.9.0")

# startup: a client that asks once, the cost to subtract per walk (ns).
# The least of five: start-up is noise on top of a floor.
startup_ns() {
	local i t0 t m=
	for i in 1 2 3 4 5; do
		t0=$(bench_now_ns)
		snmpget -v2c -c public -On -Oq -t 30 -r 0 "127.0.0.1:$BENCH_PORT" \
			.1.3.6.1.2.1.1.3.0 >/dev/null 2>&1
		t=$(($(bench_now_ns) - t0))
		[ -z "$m" ] || [ "$t" -lt "$m" ] && m=$t
	done
	echo "$m"
}

measure() { # measure MODE: kt-live-bench's refreshes, then the walks
	local mode=$1 out=$BENCH_TMP/live-$1 r t0 ns cols n su
	"$KT_LIVE_BENCH" "$runs" "--$mode" -c public -t 30 -r 0 \
		"127.0.0.1:$BENCH_PORT" >"$out" || bench_die "kt-live-bench failed"
	cols=$(awk '$1 == "column" { print $2 }' "$out")
	n=$(echo "$cols" | wc -l)
	for r in $(seq 1 "$runs"); do
		su=$(startup_ns)
		t0=$(bench_now_ns)
		for c in $cols; do
			snmpbulkwalk -v2c -c public -On -Oq -t 30 -r 0 \
				"127.0.0.1:$BENCH_PORT" "$c" >/dev/null ||
				bench_die "snmpbulkwalk $c failed"
		done
		ns=$(($(bench_now_ns) - t0))
		echo "$ns" >>"$BENCH_TMP/rawwalk-$mode"
		echo "$((ns - n * su))" >>"$BENCH_TMP/walk-$mode"
	done
	# What one refresh asks for: the columns, by MIB name.
	echo "columns mode=$mode $(awk '$1 == "column" { printf "%s ", $3 }' "$out")"
	LIVE_MS=$(awk '$1 == "refresh" { sub("wall_ms=", "", $3); print $3 }' "$out" | bench_stats)
	LIVE_CPU=$(awk '$1 == "refresh" { sub("cpu_ms=", "", $4); print $4 }' "$out" | bench_stats)
	LIVE_REQ=$(awk '$1 == "refresh" { sub("requests=", "", $5); print $5 }' "$out" | bench_stats)
	LIVE_VB=$(awk '$1 == "refresh" { sub("varbinds=", "", $6); print $6 }' "$out" | bench_stats)
	WALK_MS=$(awk '{ print $1 / 1e6 }' "$BENCH_TMP/walk-$mode" | bench_stats)
	RAW_MS=$(awk '{ print $1 / 1e6 }' "$BENCH_TMP/rawwalk-$mode" | bench_stats)
	echo "live mode=$mode vms=$vms columns=$n runs=$runs wall_ms=\"${LIVE_MS}\"" \
		"cpu_ms=\"${LIVE_CPU}\" requests=\"${LIVE_REQ}\" varbinds=\"${LIVE_VB}\" (median min max)"
	echo "bulkwalk mode=$mode vms=$vms walks_per_round=$n wall_ms=\"${WALK_MS}\" raw_ms=\"${RAW_MS}\"" \
		"(median min max; wall: less $n client start-ups)"
	set -- $LIVE_MS
	local lm=$1
	set -- $WALK_MS
	local wm=$1 ratio
	ratio=$(bench_ratio "$lm" "$wm")
	echo "ratio mode=$mode live/bulkwalk=$ratio"
	echo "goal mode=$mode what=\"refresh <= 1.2 x snmpbulkwalk of the same columns\"" \
		"met=$(awk -v r="$ratio" 'BEGIN { print (r != "-" && r <= 1.2) ? "yes" : "no" }')"
}
measure view
measure json
[ "$(bench_get "$KT_ROOT_OID.1.1.9.0")" = "$seq0" ] ||
	echo "note: a collection ran while measuring (raise --interval)"
echo "end load=$(cut -d' ' -f1 /proc/loadavg)"
