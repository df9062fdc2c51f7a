#!/bin/bash
# Walk benchmark: what a full poll of KVMTOP-MIB costs, next to the floor
# (bench/floor/kt-floor: the same number of varbinds answered in O(1)) and
# to a table snmpd serves itself.  See bench/README.md.
#
#   bench/walk.sh [--vms 10,100,1000] [--runs 5] [--modes pinned,unpinned]
#                 [--tools bulkwalk,bulkwalk-r50,walk] [--interval SECONDS]
#                 [--native OID]
#
# For each N: a fixture of N domains (bench/gen-fixture), a private snmpd,
# kvmtop-subagent on it (one collection every --interval seconds, long
# enough that no cycle runs during a walk: each walk waits for the next
# cycle when it would not fit before it), the floor serving as many
# varbinds as a walk of KVMTOP-MIB returns.  Then, per mode (snmpd, both
# subagents and the client on CPU 0, or on every CPU) and run, each tool
# walks KVMTOP-MIB, the floor table and snmpd's own --native subtree.
# Prints one "walk" line per N, mode, tool and target, "ratio" lines
# (kvmtop / floor), "rss" lines, and "target" (pinned) and "goal"
# (unpinned) lines for issue 6.
set -u
. "$(dirname "$0")/lib.sh"

vms_list=10,100,1000
runs=5
modes=pinned,unpinned
tools=bulkwalk,bulkwalk-r50,walk
interval=
native_oid=.1.3.6.1.2.1.25 # HOST-RESOURCES-MIB: hrStorage, hrDevice, hrSWRun...

usage() {
	sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0" | grep -v '^set -u'
	exit "$1"
}
while [ $# -gt 0 ]; do
	case "$1" in
	--vms) vms_list=$2; shift ;;
	--runs) runs=$2; shift ;;
	--modes) modes=$2; shift ;;
	--tools) tools=$2; shift ;;
	--interval) interval=$2; shift ;;
	--native) native_oid=$2; shift ;;
	-h | --help) usage 0 ;;
	*) usage 2 ;;
	esac
	shift
done

bench_setup "$KT_SUBAGENT" "$KT_FLOOR"
bench_machine
bench_start_snmpd
declare -A R # results: "N:MODE:TOOL:TARGET:METRIC" -> value
declare -A EXPECT_MS # last wall time of a walk kind, for the cycle guard

tool_cmd() { # tool_cmd TOOL: the client command line
	case "$1" in
	bulkwalk) echo "snmpbulkwalk" ;;
	bulkwalk-r50) echo "snmpbulkwalk -Cr50" ;;
	walk) echo "snmpwalk" ;;
	*) bench_die "unknown tool $1" ;;
	esac
}

# client MODE TOOL OID: one walk to stdout.
client() {
	local pin=
	[ "$1" = pinned ] && pin="taskset -c 0"
	# shellcheck disable=SC2046
	$pin $(tool_cmd "$2") -v2c -c public -On -Oq -t 30 -r 0 \
		"127.0.0.1:$BENCH_PORT" "$3"
}

# The time a client takes to start, ask once and exit: subtracted from the
# walks so that small walks are not dominated by process start-up.  Taken
# three times in every run, next to the walks, into RAW as target "startup".
startup_once() { # startup_once N MODE TOOL
	local i t0
	for i in 1 2 3; do
		t0=$(bench_now_ns)
		client "$2" "$3" .1.3.6.1.2.1.1.3 >/dev/null 2>&1
		echo "$1 $2 $3 startup 1 $(($(bench_now_ns) - t0)) 0 0" >>"$BENCH_TMP/raw"
	done
}

# Median start-up time (ns) of a tool in a mode at N.
startup_median() { # startup_median N MODE TOOL
	awk -v n="$1" -v m="$2" -v t="$3" \
		'$1 == n && $2 == m && $3 == t && $4 == "startup" { print $6 }' \
		"$BENCH_TMP/raw" | bench_stats | awk '{ printf "%.0f\n", $1 }'
}

# Before a walk expected to take MS milliseconds: if the next collection
# cycle would start during it, wait for that cycle to finish first.
guard_cycle() {
	local ms=$1 period=$((walk_interval * 1000)) age count now
	[ $((ms + 500)) -lt "$period" ] || return 0 # never fits: run anyway
	age=$(bench_get "$KT_ROOT_OID.1.1.8.0") || return 0
	[ $((age + ms + 300)) -lt "$period" ] && return 0
	count=$(bench_get "$KT_ROOT_OID.1.1.9.0") || return 0
	bench_wait_for $((walk_interval * 10 + 100)) \
		eval '[ "$(bench_get $KT_ROOT_OID.1.1.9.0)" -gt '"$count"' ]'
}

# walk_once N MODE TOOL TARGET OID: one timed walk, its figures into RAW.
walk_once() {
	local n=$1 mode=$2 tool=$3 target=$4 oid=$5 key="$2:$3:$4"
	local t0 t1 a0 a1 f0 f1 s0 s1 vb out=$BENCH_TMP/walk.out
	guard_cycle "${EXPECT_MS[$key]:-1000}"
	a0=$(bench_cpu_ns "$BENCH_AGENT_PID")
	f0=$(bench_cpu_ns "$BENCH_FLOOR_PID")
	s0=$(bench_cpu_ns "$BENCH_SNMPD_PID")
	t0=$(bench_now_ns)
	client "$mode" "$tool" "$oid" >"$out" 2>"$BENCH_TMP/walk.err"
	t1=$(bench_now_ns)
	a1=$(bench_cpu_ns "$BENCH_AGENT_PID")
	f1=$(bench_cpu_ns "$BENCH_FLOOR_PID")
	s1=$(bench_cpu_ns "$BENCH_SNMPD_PID")
	vb=$(grep -c '^\.' "$out")
	EXPECT_MS[$key]=$(((t1 - t0) / 1000000 * 13 / 10 + 100))
	# the subagent that answers: kvmtop, floor, or none (native)
	case "$target" in
	kvmtop) sub=$((a1 - a0)) ;;
	floor) sub=$((f1 - f0)) ;;
	*) sub=0 ;;
	esac
	echo "$n $mode $tool $target $vb $((t1 - t0)) $sub $((s1 - s0))" >>"$BENCH_TMP/raw"
}

# report N MODE TOOL TARGET STARTUP_NS: the "walk" line of one kind.
report() {
	local n=$1 mode=$2 tool=$3 target=$4 st=$5 vb us cpu_a cpu_s
	vb=$(awk -v n="$n" -v m="$mode" -v t="$tool" -v g="$target" \
		'$1 == n && $2 == m && $3 == t && $4 == g { print $5 }' \
		"$BENCH_TMP/raw" | sort -n | uniq | tr '\n' ' ' | sed 's/ $//')
	per() { # per EXPR: EXPR over each run's fields, stats
		awk -v n="$n" -v m="$mode" -v t="$tool" -v g="$target" -v st="$st" \
			'$1 == n && $2 == m && $3 == t && $4 == g && $5 > 0 { '"$1"' }' \
			"$BENCH_TMP/raw" | bench_stats
	}
	us=$(per 'w = $6 - st; if (w < 0) w = 0; printf "%f\n", w / $5 / 1000')
	cpu_a=$(per 'printf "%f\n", $7 / $5 / 1000' | cut -d' ' -f1)
	cpu_s=$(per 'printf "%f\n", $8 / $5 / 1000' | cut -d' ' -f1)
	set -- $us
	R[$n:$mode:$tool:$target:us]=$1
	R[$n:$mode:$tool:$target:cpu]=$cpu_a
	R[$n:$mode:$tool:$target:snmpd]=$cpu_s
	[ "$target" = native ] && cpu_a=-
	echo "walk n=$n mode=$mode tool=$tool target=$target varbinds=${vb// /,}" \
		"runs=$nruns us_per_vb=$1 us_per_vb_min=$2 us_per_vb_max=$3" \
		"startup_ms=$(awk -v s="$st" 'BEGIN { printf "%.1f", s / 1e6 }')" \
		"subagent_cpu_us_per_vb=$cpu_a snmpd_cpu_us_per_vb=$cpu_s"
}

bench_one_n() {
	local n=$1 mode tool run vb
	bench_fixture "$n"
	# long enough for the longest walk (about 250 us per varbind) twice
	walk_interval=${interval:-$(((n * 132 * 250 / 1000000 * 2 + 10) / 10 * 10))}
	bench_start_subagent -f "$walk_interval"
	bench_wait_refresh 2 $((walk_interval * 10 + 600)) ||
		bench_die "n=$n: no second collection (see $BENCH_TMP/subagent.log)"
	vb=$(client unpinned bulkwalk-r50 "$KT_ROOT_OID" | grep -c '^\.')
	bench_start_floor "$vb"
	bench_wait_for $((BENCH_PATIENCE * 10)) eval '[ "$(client unpinned bulkwalk-r50 $KT_FLOOR_OID |
		grep -c "^\.")" -eq '"$vb"' ]' || bench_die "n=$n: floor not serving $vb"
	# Small walks take milliseconds: more runs (unless --runs 1, a smoke
	# run), for as many varbinds as 20000 would give, up to ten times --runs.
	nruns=$((runs * 20000 / vb))
	[ "$nruns" -lt "$runs" ] || [ "$runs" -eq 1 ] && nruns=$runs
	[ "$nruns" -gt $((runs * 10)) ] && nruns=$((runs * 10))
	echo "setup n=$n varbinds=$vb runs=$nruns interval_s=$walk_interval" \
		"refresh_ms=$(bench_get "$KT_ROOT_OID.1.1.4.0")"
	for mode in ${modes//,/ }; do
		if [ "$mode" = pinned ]; then
			bench_pin 0 "$BENCH_SNMPD_PID" "$BENCH_AGENT_PID" "$BENCH_FLOOR_PID"
		else
			bench_pin "$(bench_all_cpus)" "$BENCH_SNMPD_PID" \
				"$BENCH_AGENT_PID" "$BENCH_FLOOR_PID"
		fi
		for run in $(seq "$nruns"); do
			for tool in ${tools//,/ }; do
				startup_once "$n" "$mode" "$tool"
				walk_once "$n" "$mode" "$tool" kvmtop "$KT_ROOT_OID"
				walk_once "$n" "$mode" "$tool" floor "$KT_FLOOR_OID"
				walk_once "$n" "$mode" "$tool" native "$native_oid"
			done
		done
		for tool in ${tools//,/ }; do
			for target in kvmtop floor native; do
				report "$n" "$mode" "$tool" "$target" \
					"$(startup_median "$n" "$mode" "$tool")"
			done
			echo "ratio n=$n mode=$mode tool=$tool" \
				"us_per_vb=$(bench_ratio "${R[$n:$mode:$tool:kvmtop:us]}" "${R[$n:$mode:$tool:floor:us]}")" \
				"subagent_cpu=$(bench_ratio "${R[$n:$mode:$tool:kvmtop:cpu]}" "${R[$n:$mode:$tool:floor:cpu]}")" \
				"snmpd_cpu=$(bench_ratio "${R[$n:$mode:$tool:kvmtop:snmpd]}" "${R[$n:$mode:$tool:floor:snmpd]}")"
		done
	done
	echo "rss n=$n subagent_kib=$(bench_rss_kib "$BENCH_AGENT_PID")" \
		"floor_kib=$(bench_rss_kib "$BENCH_FLOOR_PID")" \
		"snmpd_kib=$(bench_rss_kib "$BENCH_SNMPD_PID")"
	bench_stop "$BENCH_FLOOR_PID"
	bench_stop "$BENCH_AGENT_PID"
}

# target KIND NAME VALUE LIMIT DETAIL: one verdict line; KIND is "target"
# (issue 6 requires it: pinned) or "goal" (reported, same ratio: unpinned).
target() {
	local met
	met=$(awk -v v="$3" -v l="$4" 'BEGIN {
		if (v == "-" || v == "") print "unknown"; else print (v <= l ? "yes" : "no") }')
	echo "$1 $2 $5 value=$3 limit=$4 met=$met"
}

for n in ${vms_list//,/ }; do
	bench_one_n "$n"
done

# Issue 6's walk targets, from the largest and smallest N measured.
big=$(echo "${vms_list//,/ }" | tr ' ' '\n' | sort -n | tail -n 1)
small=$(echo "${vms_list//,/ }" | tr ' ' '\n' | sort -n | head -n 1)
for mode in ${modes//,/ }; do
	kind=target
	[ "$mode" = pinned ] || kind=goal
	for tool in ${tools//,/ }; do
		k=$big:$mode:$tool
		target "$kind" walk_us_ratio \
			"$(bench_ratio "${R[$k:kvmtop:us]}" "${R[$k:floor:us]}")" \
			1.15 "n=$big mode=$mode tool=$tool"
		target "$kind" walk_cpu_ratio \
			"$(bench_ratio "${R[$k:kvmtop:cpu]}" "${R[$k:floor:cpu]}")" \
			1.25 "n=$big mode=$mode tool=$tool"
		[ "$big" = "$small" ] && continue
		target "$kind" walk_flat \
			"$(bench_ratio "${R[$k:kvmtop:us]}" "${R[$small:$mode:$tool:kvmtop:us]}")" \
			1.10 "n=$small..$big mode=$mode tool=$tool"
		# the same for the floor: what the AgentX path itself does with size
		echo "info floor_flat n=$small..$big mode=$mode tool=$tool" \
			"value=$(bench_ratio "${R[$k:floor:us]}" "${R[$small:$mode:$tool:floor:us]}")"
	done
done
echo "end load=$(cut -d' ' -f1 /proc/loadavg) date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
exit 0
