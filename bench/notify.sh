#!/bin/bash
# Notification latency benchmark (not part of make check): the time from a
# libvirt domain event to snmptrapd's log line, and GET latency while a
# burst of notifications goes out.  See bench/README.md.
#
#   KT_BUILDDIR=build bench/notify.sh [TRANSITIONS] (default 1000)
#
# libvirt's test driver in a libvirtd (started when none runs, under the
# e2e tests' lock, as tests/integration/notify_lifecycle.sh does), 10
# persistent domains started and destroyed in rounds of 10 (one virsh per
# round) until TRANSITIONS events happened.  A `virsh event --loop` client
# stamps each event as libvirt delivers it to a client (the agent gets the
# same event at the same moment); snmptrapd (trap2sink of a private snmpd)
# logs to a pipe that stamps each notification as it arrives.  Per VM the
# k-th event is matched with the k-th notification.  Prints the p50, p90,
# p99 and max of the difference in ms.
# KT_NOTIFY_NO_LOCK=1 runs it without the e2e lock, on the running
# libvirtd (the test driver's state is held by the script).
# Then kt-getlat's GETs (2000, one per ms) with no notification, and again
# during a burst of TRANSITIONS more: p50/p99 of both.
set -u
KT_SRCDIR=${KT_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
KT_BUILDDIR=${KT_BUILDDIR:-$KT_SRCDIR}
KT_SUBAGENT=${KT_SUBAGENT:-$KT_BUILDDIR/kvmtop-subagent}
GETLAT=$KT_BUILDDIR/bench/latency/kt-getlat
. "$KT_SRCDIR/tests/e2e/lib.sh"
. "$KT_SRCDIR/tests/lib/churn.sh"
. "$KT_SRCDIR/tests/lib/traps.sh"

N=${1:-1000}
VMS="1 2 3 4 5 6 7 8 9 10"
ROUNDS=$(((N + 19) / 20))
R=$KT_ROOT_OID

STAMP='import sys, time
for line in sys.stdin:
    sys.stdout.write("%d %s" % (time.time_ns(), line))
    sys.stdout.flush()'

kt_notify_testdriver b15
# snmptrapd logging to stdout through the stamper.
KT_TRAP_PORT=$((20000 + (RANDOM % 20000)))
echo "authCommunity log public" >"$KT_TMP/snmptrapd.conf"
snmptrapd -f -C -c "$KT_TMP/snmptrapd.conf" -On -Oe -OQ -Lo -F 'TRAP %v\n' \
	"udp:127.0.0.1:$KT_TRAP_PORT" 2>/dev/null |
	python3 -u -c "$STAMP" >"$KT_TMP/traps.stamped" &
kt_pids+=($!)
kt_wait_for 100 grep -q "NET-SNMP version" "$KT_TMP/traps.stamped" || kt_bail "snmptrapd"
kt_start_snmpd "$(kt_trap_sink_conf)"
kt_notify_vm_xml $VMS
kt_notify_round define $VMS
kt_start_subagent -c "$KT_CHURN_URI" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" -f 5
kt_wait_refresh 2 || kt_bail "no collection"
virsh -q -c "$KT_CHURN_URI" event --all --loop --timeout 3600 2>/dev/null |
	python3 -u -c "$STAMP" >"$KT_TMP/events.stamped" &
kt_pids+=($!)
kt_wait_for 100 test -e "$KT_TMP/events.stamped"
sleep 1 # the event client registered (no event to wait for yet)

burst() {
	local r
	for r in $(seq 1 "$ROUNDS"); do
		kt_notify_round start $VMS
		kt_notify_round destroy $VMS
	done
}

# lines "NS NAME" of our VMs' events (virsh event) and notifications
ev_lines() {
	sed -n "s/^\([0-9]*\) event 'lifecycle' for domain '\\($KT_CHURN_PREFIX-[0-9]*\\)': \\(Started\\|Stopped\\).*/\\1 \\2/p" "$KT_TMP/events.stamped"
}
trap_lines() {
	awk -v r="$R.1.2.1.3." -v p="$KT_CHURN_PREFIX-" '/ TRAP / {
		n = split($0, f, "\t")
		for (i = 1; i <= n; i++)
			if ((k = index(f[i], r)) > 0) {
				v = substr(f[i], index(f[i], " = ") + 3)
				gsub(/"/, "", v)
				if (index(v, p) == 1) print $1, v
			}
	}' "$KT_TMP/traps.stamped"
}
enough() { [ "$(trap_lines | wc -l)" -ge "$1" ]; }

t0=$(date +%s%N)
burst
kt_wait_for 1200 enough $((ROUNDS * 20)) || echo "# not all notifications arrived: $(trap_lines | wc -l)"
echo "# $((ROUNDS * 20)) transitions in $((($(date +%s%N) - t0) / 1000000)) ms"
ev_lines >"$KT_TMP/ev"
trap_lines >"$KT_TMP/tr"
awk 'NR == FNR { k = $2 SUBSEP (++ne[$2]); ev[k] = $1; next }
	{ k = $2 SUBSEP (++nt[$2]); if (k in ev) printf "%.3f\n", ($1 - ev[k]) / 1e6 }' \
	"$KT_TMP/ev" "$KT_TMP/tr" | sort -n >"$KT_TMP/lat"
n=$(wc -l <"$KT_TMP/lat")
pct() { sed -n "$(((n * $1 + 99) / 100))p" "$KT_TMP/lat"; }
echo "notify transitions=$n events=$(wc -l <"$KT_TMP/ev") traps=$(wc -l <"$KT_TMP/tr") p50_ms=$(pct 50) p90_ms=$(pct 90) p99_ms=$(pct 99) max_ms=$(tail -1 "$KT_TMP/lat")"

# ---- GETs: idle, then during a burst ----
kt_snmp snmpwalk "$R.1.2.1.2" -On -Oq | awk '{ n = split($1, a, "."); print a[n] }' >"$KT_TMP/indexes"
getlat() { "$GETLAT" -a "udp:127.0.0.1:$KT_PORT" -n 2000 -p 1000 -f "$KT_TMP/indexes" -s "$1" "$R.1.2.1.3" "$R.1.2.1.4"; }
echo "idle $(getlat 1)"
burst &
bp=$!
echo "burst $(getlat 2)"
wait $bp
kt_stop_subagent >/dev/null
