#!/bin/bash
# Zabbix polling a big host with the template (issue 13): a private Zabbix
# 6.0 (tests/lib/zabbix.sh) with contrib/zabbix/kvmtop_snmp.yaml linked to a
# private snmpd + kvmtop-subagent on the generated fixture of N VMs, whose
# counters move on every collection interval (gen-fixture --advance).  The
# template's default intervals, except discovery, which runs every minute
# until it has created every item and then goes back to its default.  Then,
# for M minutes: Zabbix's queue (items delayed over a minute and over 5 s,
# from the server's internal items zabbix[queue,1m] and zabbix[queue]), the
# CPU of snmpd and of the agent as a share of one CPU (schedstat), the
# varbinds snmpd answered per second (SNMPv2-MIB snmpInTotalReqVars) and the
# values Zabbix processed per second (zabbix[wcache,values]), the items per
# second it must poll (zabbix[requiredperformance]), how busy its pollers and
# history syncers were, the CPU of the Zabbix server and of PostgreSQL (their
# process trees) and the machine's load average, every 10 s.
#   bench/zabbix.sh [--vms N] [--minutes M]      (default 1000, 10)
# Needs tools/install-nms-deps.sh; root (PostgreSQL runs as postgres).
# BENCH_KEEP=1 keeps the temporary directory (zabbix_server.log) on exit.
. "$(dirname "$0")/lib.sh"
. "$KT_SRCDIR/tests/lib/agent.sh"
. "$KT_SRCDIR/tests/lib/zabbix.sh"

vms=1000 minutes=10
while [ $# -gt 0 ]; do
	case $1 in
	--vms) vms=$2; shift 2 ;;
	--minutes) minutes=$2; shift 2 ;;
	-h | --help) sed -n '2,19p' "$0"; exit 0 ;;
	*) bench_die "unknown option $1" ;;
	esac
done
kt_zbx_have || bench_die "Zabbix, PostgreSQL or PHP missing (tools/install-nms-deps.sh)"
bench_setup "$KT_SUBAGENT"
KT_TMP=$BENCH_TMP
kt_pids=()
bench_zbx_cleanup() {
	local p
	kt_zbx_stop
	for p in "${kt_pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${kt_pids[@]}"; do wait "$p" 2>/dev/null; done
	bench_cleanup
}
trap bench_zbx_cleanup EXIT
bench_machine
echo "vms=$vms minutes=$minutes"

bench_fixture "$vms"
bench_start_snmpd
KT_PORT=$BENCH_PORT
bench_start_subagent # the default interval, 5 s
bench_wait_refresh 1 600 || bench_die "no collection"
# One step every 5 s from start to start, the agent's interval: a loop of
# "sleep 5; advance" (1.5 s at 1000 VMs) left some of the agent's
# collections without a new /proc/stat, and the host CPU shares, which need
# ticks to pass, without an instance.
( while :; do
	next=$(($(date +%s%N) / 1000000 + 5000))
	python3 "$BENCH_DIR/gen-fixture" --advance "$BENCH_FIX" >/dev/null 2>&1 || exit
	left=$((next - $(date +%s%N) / 1000000))
	[ "$left" -gt 0 ] && sleep "$((left / 1000)).$(printf %03d $((left % 1000)))"
done ) &
bench_pids+=($!)

# CPU ticks of a process and its descendants, those that ended included
# (a parent's cutime/cstime holds the children it reaped).
tree_ticks() {
	python3 - "$1" <<-'EOF'
	import os, sys
	kids, ticks = {}, {}
	for d in filter(str.isdigit, os.listdir("/proc")):
	    try:
	        s = open("/proc/%s/stat" % d).read()
	    except OSError:
	        continue
	    f = s[s.rfind(")") + 2:].split()
	    kids.setdefault(int(f[1]), []).append(int(d))
	    ticks[int(d)] = sum(map(int, f[11:15]))
	todo, n = [int(sys.argv[1])], 0
	while todo:
	    p = todo.pop()
	    n += ticks.get(p, 0)
	    todo += kids.get(p, [])
	print(n)
	EOF
}
zbx_died() {
	kill -0 "$KT_ZBX_SERVER_PID" 2>/dev/null && return 1
	grep -i -m6 'out of memory\|please increase\|fully used\|cannot\|error' "$KT_TMP/zabbix_server.log"
	echo "(BENCH_KEEP=1 keeps $KT_TMP/zabbix_server.log)"
}

t=$(date +%s)
# Sized as for some 70000 items at about 1000 values/s: the test's caches
# (64 MiB configuration, 4 MiB trends) run out at 1000 VMs; a poller per
# 100 items/s; PostgreSQL with room for the history tables' hot pages.
KT_ZBX_CACHE=1G KT_ZBX_HISTORY_CACHE=512M KT_ZBX_HISTORY_INDEX_CACHE=256M KT_ZBX_VALUE_CACHE=512M
KT_ZBX_TREND_CACHE=128M KT_ZBX_POLLERS=10 KT_ZBX_DBSYNCERS=4 KT_ZBX_TIMEOUT=10
KT_PG_OPTS="-c shared_buffers=1GB -c work_mem=16MB -c maintenance_work_mem=256MB
	-c max_wal_size=4GB -c checkpoint_timeout=30min -c wal_level=minimal -c max_wal_senders=0"
kt_zbx_start || bench_die "Zabbix did not start: $(tail -3 "$KT_TMP"/*.log)"
rules='{"createMissing":true,"updateExisting":true}'
kt_zbx_api configuration.import "$(jq -n --rawfile s "$KT_SRCDIR/contrib/zabbix/kvmtop_snmp.yaml" \
	--argjson r "$rules" '{format: "yaml", source: $s, rules: {templates: $r, items: $r,
	discoveryRules: $r, triggers: $r, graphs: $r, valueMaps: $r, groups: {createMissing: true}}}')" \
	>/dev/null || bench_die "import failed"
tplid=$(kt_zbx_api template.get '{"filter":{"host":"KVM host kvmtop-snmp by SNMP"}}' | jq -r '.[0].templateid')
gid=$(kt_zbx_api hostgroup.create '{"name":"kvmtop bench"}' | jq -r '.groupids[0]')
# The packaged "Zabbix server" host polls an agent that is not there.
kt_zbx_api host.update '{"hostid":"10084","status":1}' >/dev/null
hostid=$(kt_zbx_api host.create "$(jq -n --arg g "$gid" --arg t "$tplid" --arg p "$KT_PORT" \
	'{host: "kvm-bench", groups: [{groupid: $g}], templates: [{templateid: $t}],
	macros: [{macro: "{$KVMTOP.LLD.INTERVAL}", value: "1m"}],
	interfaces: [{type: 2, main: 1, useip: 1, ip: "127.0.0.1", dns: "", port: $p,
	details: {version: 2, bulk: 1, community: "public"}}]}')" | jq -r '.hostids[0]')
self=$(kt_zbx_api host.create "$(jq -n --arg g "$gid" '{host: "zabbix-self", groups: [{groupid: $g}]}')" |
	jq -r '.hostids[0]')
for k in 'zabbix[queue,1m]' 'zabbix[queue]' 'zabbix[wcache,values]' 'zabbix[requiredperformance]' \
	'zabbix[process,poller,avg,busy]' 'zabbix[process,history syncer,avg,busy]' \
	'zabbix[wcache,history,pfree]' 'zabbix[wcache,trend,pfree]' 'zabbix[rcache,buffer,pfree]'; do
	pre='[]'
	[ "$k" = 'zabbix[wcache,values]' ] && pre='[{"type":10,"params":"","error_handler":0,"error_handler_params":""}]'
	kt_zbx_api item.create "$(jq -n --arg h "$self" --arg k "$k" --argjson pre "$pre" \
		'{hostid: $h, name: $k, key_: $k, type: 5, value_type: 0, delay: "10s", preprocessing: $pre}')" >/dev/null ||
		bench_die "item $k"
done
kt_zbx_reload
echo "zabbix_start_s=$(($(date +%s) - t))"

# ---- discovery: until the number of items stops growing for 3 minutes ----
t=$(date +%s) last=-1 stable=0
while [ $stable -lt 180 ]; do
	sleep 20
	n=$(kt_zbx_api item.get "{\"hostids\":\"$hostid\",\"countOutput\":true}" | jq -r .)
	if [ "$n" = "$last" ]; then stable=$((stable + 20)); else stable=0 last=$n; fi
	[ $(($(date +%s) - t)) -gt 3600 ] && bench_die "discovery did not settle in an hour ($n items)"
	echo "discovery t=$(($(date +%s) - t)) items=$n load=$(cut -d' ' -f1 /proc/loadavg)"
	zbx_died && bench_die "zabbix_server died during discovery"
done
echo "discovery_s=$(($(date +%s) - t - 180)) items=$last"
kt_zbx_api usermacro.get "{\"hostids\":\"$hostid\"}" | jq -r '.[0].hostmacroid' |
	while read -r m; do kt_zbx_api usermacro.delete "[\"$m\"]" >/dev/null; done
kt_zbx_reload
kt_zbx_api item.get "{\"hostids\":\"$hostid\",\"output\":[\"delay\"]}" |
	jq -r 'group_by(.delay)[] | "items_delay_\(.[0].delay | gsub("[{}$.]"; "_"))=\(length)"'

# ---- the window ----
reqvars() { bench_get .1.3.6.1.2.1.11.13.0; }
sleep 120 # the first values of new items, then steady polling
zbx_died && bench_die "zabbix_server died before the window"
( while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done >"$BENCH_TMP/load" ) &
loadpid=$!
bench_pids+=("$loadpid")
t0=$(date +%s) v0=$(reqvars) s0=$(bench_cpu_ns "$BENCH_SNMPD_PID") a0=$(bench_cpu_ns "$BENCH_AGENT_PID")
z0=$(tree_ticks "$KT_ZBX_SERVER_PID") p0=$(tree_ticks "$KT_PG_PID")
sleep $((minutes * 60))
t1=$(date +%s) v1=$(reqvars) s1=$(bench_cpu_ns "$BENCH_SNMPD_PID") a1=$(bench_cpu_ns "$BENCH_AGENT_PID")
z1=$(tree_ticks "$KT_ZBX_SERVER_PID") p1=$(tree_ticks "$KT_PG_PID")
bench_stop "$loadpid"
secs=$((t1 - t0))
zbx_died && bench_die "zabbix_server died in the window"
echo "window_s=$secs"
hz=$(getconf CLK_TCK)
echo "zabbix_server_cpu_pct=$(awk -v d=$((z1 - z0)) -v s=$secs -v hz="$hz" 'BEGIN { printf "%.1f", 100 * d / hz / s }')"
echo "postgresql_cpu_pct=$(awk -v d=$((p1 - p0)) -v s=$secs -v hz="$hz" 'BEGIN { printf "%.1f", 100 * d / hz / s }')"
echo "snmpd_cpu_pct=$(awk -v d=$((s1 - s0)) -v s=$secs 'BEGIN { printf "%.2f", d / s / 1e7 }')"
echo "agent_cpu_pct=$(awk -v d=$((a1 - a0)) -v s=$secs 'BEGIN { printf "%.2f", d / s / 1e7 }')"
echo "snmpd_plus_agent_cpu_pct=$(awk -v d=$((s1 - s0 + a1 - a0)) -v s=$secs 'BEGIN { printf "%.2f", d / s / 1e7 }')"
echo "varbinds_per_s=$(((v1 - v0) / secs))"
hist() { # KEY: "min max avg n" of the internal item over the window
	local id
	id=$(kt_zbx_api item.get "{\"hostids\":\"$self\",\"filter\":{\"key_\":\"$1\"}}" | jq -r '.[0].itemid')
	kt_zbx_api history.get "{\"itemids\":\"$id\",\"history\":0,\"time_from\":$t0,\"time_till\":$t1}" |
		jq -r '[.[].value | tonumber] | "min=\(min) max=\(max) avg=\(add / length | floor) n=\(length)"'
}
echo "queue_over_1m $(hist 'zabbix[queue,1m]')"
echo "queue_over_5s $(hist 'zabbix[queue]')"
echo "zabbix_values_per_s $(hist 'zabbix[wcache,values]')"
echo "zabbix_required_items_per_s $(hist 'zabbix[requiredperformance]')"
echo "poller_busy_pct $(hist 'zabbix[process,poller,avg,busy]')"
echo "history_syncer_busy_pct $(hist 'zabbix[process,history syncer,avg,busy]')"
echo "history_cache_free_pct $(hist 'zabbix[wcache,history,pfree]')"
echo "trend_cache_free_pct $(hist 'zabbix[wcache,trend,pfree]')"
echo "config_cache_free_pct $(hist 'zabbix[rcache,buffer,pfree]')"
echo "window_load_1m $(bench_stats <"$BENCH_TMP/load" | awk '{ print "median=" $1, "min=" $2, "max=" $3 }')"
unsup=$(kt_zbx_api item.get "{\"hostids\":\"$hostid\",\"filter\":{\"state\":1},\"countOutput\":true}" | jq -r .)
echo "items_not_supported=$unsup"
max1m=$(hist 'zabbix[queue,1m]' | sed 's/.*max=\([0-9.]*\).*/\1/')
echo "goal queue_over_1m_max=$max1m want=0 met=$([ "${max1m%.*}" = 0 ] && echo yes || echo no)"
echo "goal snmpd_plus_agent_cpu_pct want<5 met=$(awk -v d=$((s1 - s0 + a1 - a0)) -v s=$secs 'BEGIN { print (d / s / 1e7 < 5) ? "yes" : "no" }')"
echo "end load=$(cut -d' ' -f1-3 /proc/loadavg)"
