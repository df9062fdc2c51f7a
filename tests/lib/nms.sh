# Shared by the NMS tests (sourced after agent.sh, bash): skipping, the
# basic fixture with counters that run with the wall clock, and walks as
# "INDEX VALUE" lines.
#
# The tests need packages that only they use (Zabbix, PostgreSQL, PHP,
# prometheus-snmp-exporter: tools/install-nms-deps.sh).  Without them they
# skip, unless KT_REQUIRE_NMS=1 (CI), where a missing piece is a failure;
# KT_SKIP_NMS=1 skips them.

kt_nms_skip() {
	if [ "${KT_REQUIRE_NMS:-0}" = 1 ]; then
		echo "Bail out! NMS test required (KT_REQUIRE_NMS=1) but $*"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	exit 0
}
kt_nms_init() {
	[ "${KT_SKIP_NMS:-0}" = 1 ] && kt_nms_skip "KT_SKIP_NMS=1"
	[ -f "$KT_SRCDIR/tests/node_modules/net-snmp/lib/mibs/SNMPv2-SMI.mib" ] ||
		kt_nms_skip "no standard MIBs (npm --prefix tests install)"
}

# kt_nms_column OID: "INDEX VALUE" for every instance of a column.
kt_nms_column() {
	kt_snmp snmpbulkwalk "$1" -On -Oq -Oe -Cr25 | grep "^$1\\." |
		sed -E "s/^$1\\.([0-9.]+) /\\1 /" | tr -d '"'
}

# Two vCPU threads whose counters run with the wall clock, written by a
# background loop every 0.1 s (each file replaced at once, by rename): the
# run time of one at KT_RUN_RATE ns per second, the wait (steal) of the other
# at the rate in $KT_TMP/steal-rate (ns per second, set by kt_steal_rate).
# kt_clock_start RUNFILE STEALFILE: the two schedstat files.  The host's
# CPU lines in $KT_PROC/stat advance too (user and idle, a tick each per
# 0.02 s), as on any live host: its CPU percentages need a change.
kt_clock_start() {
	local runf=$1 stealf=$2
	echo 0 >"$KT_TMP/steal-rate"
	(
		read -r run0 w1 n1 <"$runf"
		read -r r2 wait n2 <"$stealf"
		cp "$KT_PROC/stat" "$KT_TMP/stat.orig"
		t0=$(date +%s%N) last=$t0
		while :; do
			now=$(date +%s%N)
			read -r rate <"$KT_TMP/steal-rate"
			# in microseconds: ns x ns/s would overflow 64 bits
			wait=$((wait + rate * ((now - last) / 1000) / 1000000))
			last=$now
			echo "$((run0 + KT_RUN_RATE * ((now - t0) / 1000) / 1000000)) $w1 $n1" >"$runf.new"
			echo "$r2 $wait $n2" >"$stealf.new"
			mv "$runf.new" "$runf"
			mv "$stealf.new" "$stealf"
			awk -v k=$(((now - t0) / 20000000)) '/^cpu/ { $2 += k; $5 += k } { print }' \
				"$KT_TMP/stat.orig" >"$KT_PROC/stat.new"
			mv "$KT_PROC/stat.new" "$KT_PROC/stat"
			sleep 0.1
		done
	) &
	kt_pids+=($!)
}
kt_steal_rate() { echo "$1" >"$KT_TMP/steal-rate"; }
