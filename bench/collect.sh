#!/bin/bash
# Collection benchmark: what one collection cycle costs, without SNMP.
# See bench/README.md.
#
#   bench/collect.sh [--vms 10,100,1000] [--cycles 100] [--long 1000]
#                    [--trace-cycles 3]
#
# For each N, on a fixture of N domains (bench/gen-fixture):
# - bench/collect/kt-collect-bench runs --cycles cycles: CPU and wall time
#   of the first cycle and of the steady ones, RSS and malloc heap in use
#   after cycle 1 and the last, what a fresh connection to the in-process
#   libvirt test driver holds, and the rest ("collect" and "rss" lines);
# - the same under strace for --trace-cycles cycles: files opened, cmdline
#   files read (the /proc scan for new QEMU processes) and directories
#   listed, in the first and in the last cycle ("files" lines);
# - the same with libvirt's debug log: public libvirt calls per cycle by
#   name, and those that would be a round trip to libvirtd ("libvirt");
# - the RSS of the same cycles with the fixture served by libvirtd's test
#   driver (test+unix://; when a libvirtd runs), the agent's memory alone
#   ("rss_remote", used for the RSS growth target);
# - for the largest N, --long cycles: RSS after cycle 100 and the last.
# Ends with "target" lines for issue 6.
set -u
. "$(dirname "$0")/lib.sh"

vms_list=10,100,1000
cycles=100
long=1000
trace_cycles=3

usage() {
	sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0" | grep -v '^set -u'
	exit "$1"
}
while [ $# -gt 0 ]; do
	case "$1" in
	--vms) vms_list=$2; shift ;;
	--cycles) cycles=$2; shift ;;
	--long) long=$2; shift ;;
	--trace-cycles) trace_cycles=$2; shift ;;
	-h | --help) usage 0 ;;
	*) usage 2 ;;
	esac
	shift
done
[ "$cycles" -ge 2 ] && [ "$trace_cycles" -ge 2 ] || bench_die "at least 2 cycles"

bench_setup "$KT_COLLECT_BENCH"
bench_machine
declare -A R

# driver ARGS...: kt-collect-bench on the current fixture, fresh state,
# through libvirt URI $DRIVER_URI (default: the in-process test driver).
driver() {
	rm -rf "$BENCH_TMP/state"
	"$KT_COLLECT_BENCH" -c "${DRIVER_URI:-$BENCH_URI}" --procfs "$BENCH_FIX/proc" \
		--sysfs "$BENCH_FIX/sys" --state-dir "$BENCH_TMP/state" "$@"
}

field() { # field KEY FILE [LINE-PREFIX]: value of KEY=... in the file
	sed -n "/^${3:-}/s/.*[ ]$1=\([^ ]*\).*/\1/p" "$2" | head -n 1
}

# Lines of a marked strace output between the marks of cycle C and C + 1.
cycle_lines() { # cycle_lines FILE C
	awk -v start="/kt-collect-bench/cycle/$2\"" \
		-v stop="/kt-collect-bench/cycle/$(($2 + 1))\"" \
		'index($0, stop) { exit } f { print } index($0, start) { f = 1 }' "$1"
}

# at CYCLE KEY FILE: KEY=... of the "rss cycle=CYCLE" line
at() {
	sed -n "/^rss cycle=$1 /s/.* $2=\([0-9]*\).*/\1/p" "$3"
}

timing() {
	local n=$1 out=$BENCH_TMP/timing-$1
	driver --cycles "$cycles" --rss-at "1,$cycles" >"$out" ||
		bench_die "n=$n: kt-collect-bench failed"
	R[$n:cpu]=$(field cpu_ms_median "$out" steady)
	R[$n:rss]=$(at "$cycles" rss_kib "$out")
	R[$n:heap]=$(at "$cycles" heap_kib "$out")
	[ -n "${R[$n:cpu]}" ] && [ -n "${R[$n:rss]}" ] ||
		bench_die "n=$n: unexpected output of kt-collect-bench: $(cat "$out")"
	# What a fresh connection to the test driver holds is the driver's,
	# not ours (on a real host it lives in libvirtd).
	R[$n:own]=$((R[$n:rss] - $(field rss_kib "$out" start) -
		$(field rss_kib "$out" libvirt_connection)))
	R[$n:ownheap]=$((R[$n:heap] - $(field heap_kib "$out" start) -
		$(field heap_kib "$out" libvirt_connection)))
	echo "collect n=$n cycles=$cycles" \
		"first_cpu_ms=$(field cpu_ms "$out" first)" \
		"first_wall_ms=$(field wall_ms "$out" first)" \
		"cpu_ms=${R[$n:cpu]}" \
		"cpu_ms_min=$(field cpu_ms_min "$out" steady)" \
		"cpu_ms_max=$(field cpu_ms_max "$out" steady)" \
		"wall_ms=$(field wall_ms_median "$out" steady)" \
		"wall_ms_max=$(field wall_ms_max "$out" steady)"
	echo "rss n=$n start_kib=$(field rss_kib "$out" start)" \
		"cycle1_kib=$(at 1 rss_kib "$out") cycle${cycles}_kib=${R[$n:rss]}" \
		"heap_cycle${cycles}_kib=${R[$n:heap]}" \
		"test_driver_rss_kib=$(field rss_kib "$out" libvirt_connection)" \
		"test_driver_heap_kib=$(field heap_kib "$out" libvirt_connection)" \
		"rest_rss_kib=${R[$n:own]} rest_heap_kib=${R[$n:ownheap]}"
}

# files N: openat calls per cycle (first and last traced), from strace.
files() {
	local n=$1 tr=$BENCH_TMP/strace-$1 c name lines
	if ! command -v strace >/dev/null; then
		echo "files n=$n skipped: no strace (Debian package strace)"
		return
	fi
	# LeakSanitizer cannot run under ptrace: off for a sanitizer build
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=openat,access,getdents64 -o "$tr" \
		"$KT_COLLECT_BENCH" -c "$BENCH_URI" --procfs "$BENCH_FIX/proc" \
		--sysfs "$BENCH_FIX/sys" --state-dir "$BENCH_TMP/state-trace" \
		--cycles "$trace_cycles" --rss-at 1 --mark >/dev/null 2>&1 ||
		{ echo "files n=$n strace failed"; return; }
	for c in 1 "$trace_cycles"; do
		name=first
		[ "$c" = 1 ] || name=steady
		lines=$BENCH_TMP/cycle.tr
		cycle_lines "$tr" "$c" |
			grep -v '/proc/self/status' >"$lines"
		R[$n:$name:cmdline]=$(grep -c 'openat(.*cmdline"' "$lines")
		R[$n:$name:getdents]=$(grep -c 'getdents64(' "$lines")
		echo "files n=$n cycle=$name openat=$(grep -c 'openat(' "$lines")" \
			"failed=$(grep -c 'openat(.*= -1' "$lines")" \
			"schedstat=$(grep -c 'openat(.*/schedstat"' "$lines")" \
			"cmdline=${R[$n:$name:cmdline]}" \
			"getdents64=${R[$n:$name:getdents]}"
	done
}

# Public libvirt calls that are answered locally, without a round trip to
# libvirtd (object accessors, reference counting, our cycle marker).
LOCAL_CALLS='^(virDomainFree|virDomainRef|virDomainGetUUIDString|virDomainGetUUID|virDomainGetName|virDomainGetID|virConnectIsAlive|virGetVersion|virTypedParams.*|virDomainStatsRecordListFree)$'

libvirt_calls() {
	local n=$1 log=$BENCH_TMP/libvirt-$1.log c name calls
	rm -rf "$BENCH_TMP/state-trace" "$log"
	LIBVIRT_LOG_FILTERS="1:libvirt" LIBVIRT_LOG_OUTPUTS="1:file:$log" \
		"$KT_COLLECT_BENCH" -c "$BENCH_URI" --procfs "$BENCH_FIX/proc" \
		--sysfs "$BENCH_FIX/sys" --state-dir "$BENCH_TMP/state-trace" \
		--cycles "$trace_cycles" --rss-at 1 --mark >/dev/null 2>&1 ||
		{ echo "libvirt n=$n failed"; return; }
	for c in 1 "$trace_cycles"; do
		name=first
		[ "$c" = 1 ] || name=steady
		calls=$BENCH_TMP/cycle.calls
		# the marks: the c-th and (c+1)-th virGetVersion entries
		awk -F' : ' -v c="$c" '/ debug : / {
				split($2, a, ":")
				if (a[1] == "virConnectOpenInternal") next
				if (a[1] == "virGetVersion") { m++; next }
				if (m == c) print a[1]
			}' "$log" | sort | uniq -c | sort -k1,1nr -k2 >"$calls"
		R[$n:$name:xml]=$(awk '$2 == "virDomainGetXMLDesc" { print $1 }' "$calls")
		echo "libvirt n=$n cycle=$name" \
			"remote_calls=$(grep -Ev " $(echo "$LOCAL_CALLS" | sed 's/^\^//')" "$calls" |
				awk '{ s += $1 } END { print s + 0 }')" \
			"all_calls=$(awk '{ s += $1 } END { print s + 0 }' "$calls")" \
			"$(awk '{ printf "%s%s=%d", (NR > 1 ? " " : ""), $2, $1 }' "$calls")"
	done
}

# The RSS of the agent alone: the same fixture served by the test driver
# inside libvirtd (test+unix://...), as QEMU's domains are on a real host,
# so that none of the driver's memory is in the process measured.  Needs a
# running libvirtd that can read the fixture (root); skipped otherwise.
remote_rss() {
	local n=$1 out=$BENCH_TMP/remote-$1 uri="test+unix://$BENCH_FIX/domains.xml"
	if ! virsh -q -c "$uri" version >/dev/null 2>&1; then
		echo "rss_remote n=$n skipped: no libvirtd serving $uri"
		return
	fi
	DRIVER_URI=$uri driver --cycles "$cycles" --rss-at "1,$cycles" >"$out" ||
		bench_die "n=$n: kt-collect-bench on $uri failed"
	R[$n:remote]=$(at "$cycles" rss_kib "$out")
	R[$n:remoteheap]=$(at "$cycles" heap_kib "$out")
	echo "rss_remote n=$n uri=test+unix cycle${cycles}_kib=${R[$n:remote]}" \
		"heap_cycle${cycles}_kib=${R[$n:remoteheap]}" \
		"cpu_ms=$(field cpu_ms_median "$out" steady)" \
		"wall_ms=$(field wall_ms_median "$out" steady)"
}

long_run() {
	local n=$1 out=$BENCH_TMP/long-$1
	driver --cycles "$long" --rss-at "100,$long" >"$out" ||
		bench_die "n=$n: long run failed"
	R[long:100]=$(at 100 rss_kib "$out")
	R[long:end]=$(at "$long" rss_kib "$out")
	[ -n "${R[long:100]}" ] && [ -n "${R[long:end]}" ] ||
		bench_die "n=$n: unexpected output of kt-collect-bench: $(cat "$out")"
	echo "rss_long n=$n cycle100_kib=${R[long:100]} cycle${long}_kib=${R[long:end]}" \
		"growth_kib=$((R[long:end] - R[long:100]))" \
		"heap_cycle100_kib=$(at 100 heap_kib "$out")" \
		"heap_cycle${long}_kib=$(at "$long" heap_kib "$out")" \
		"cpu_ms=$(field cpu_ms_median "$out" steady)"
}

target() { # target NAME VALUE LIMIT DETAIL
	local met
	met=$(awk -v v="$2" -v l="$3" 'BEGIN {
		if (v == "-" || v == "") print "unknown"; else print (v <= l ? "yes" : "no") }')
	echo "target $1 $4 value=$2 limit=$3 met=$met"
}

for n in ${vms_list//,/ }; do
	bench_fixture "$n"
	timing "$n"
	remote_rss "$n"
	files "$n"
	libvirt_calls "$n"
done
big=$(echo "${vms_list//,/ }" | tr ' ' '\n' | sort -n | tail -n 1)
small=$(echo "${vms_list//,/ }" | tr ' ' '\n' | sort -n | head -n 1)
[ "$long" -gt 100 ] && long_run "$big"

target collect_cpu_ms "${R[$big:cpu]:-}" 60 "n=$big"
target xml_reads_steady "${R[$big:steady:xml]:-0}" 0 "n=$big"
target proc_scan_cmdlines_steady "${R[$big:steady:cmdline]:-}" 0 "n=$big"
if [ "$big" != "$small" ] && [ -n "${R[$big:remote]:-}" ] && [ -n "${R[$small:remote]:-}" ]; then
	target rss_growth_kib "$((R[$big:remote] - R[$small:remote]))" 4096 \
		"n=$small..$big (rss_remote: the test driver in libvirtd)"
	echo "info heap_growth_remote_kib n=$small..$big" \
		"value=$((R[$big:remoteheap] - R[$small:remoteheap]))"
	echo "info rss_growth_in_process_kib n=$small..$big (rest_rss_kib)" \
		"value=$((R[$big:own] - R[$small:own]))"
elif [ "$big" != "$small" ]; then
	target rss_growth_kib "$((R[$big:own] - R[$small:own]))" 4096 \
		"n=$small..$big (rest_rss_kib: RSS minus a fresh test-driver connection's)"
fi
[ "$big" != "$small" ] &&
	echo "info heap_growth_kib n=$small..$big (rest_heap_kib)" \
		"value=$((R[$big:ownheap] - R[$small:ownheap]))"
[ "$long" -gt 100 ] &&
	target rss_growth_cycles_kib "$((R[long:end] - R[long:100]))" 0 \
		"n=$big cycles=100..$long"
echo "end load=$(cut -d' ' -f1 /proc/loadavg) date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
exit 0
