#!/bin/bash
# The Zabbix template (contrib/zabbix/kvmtop_snmp.yaml) in a real Zabbix 6.0
# from Debian's packages (tests/lib/zabbix.sh: PostgreSQL, the frontend's
# JSON-RPC API, zabbix_server, all private and on 127.0.0.1 or Unix
# sockets).  The template is imported through the API (configuration.import)
# and linked to a host whose SNMPv2 interface is a private snmpd with the
# agent on the basic fixture, whose vm-alpha runs one vCPU thread at a known
# rate and the other with a steal the test raises and lowers.  Checked:
# discovery finds what snmpwalk finds, every item is supported and has a
# value, the Counter64 rate, the steal trigger firing and resolving, a stale
# VM's problem, and a destroyed VM's items marked lost by discovery.
#
# Zabbix and its PostgreSQL take a good share of a CPU at times: the test
# runs under the end-to-end lock, so that it never runs beside an
# end-to-end test, whose guests' CPU shares it would change.
. "$(dirname "$0")/../lib/agent.sh"
. "$(dirname "$0")/../lib/nms.sh"
. "$(dirname "$0")/../lib/zabbix.sh"
. "$(dirname "$0")/../e2e/lib.sh"
kt_nms_init
kt_zbx_have || kt_nms_skip "Zabbix 6.0, PostgreSQL, PHP or curl missing (tools/install-nms-deps.sh)"
kt_e2e_lock
kt_setup
trap 'kt_zbx_stop; kt_cleanup' EXIT
kt_fixture_basic
R=$KT_ROOT_OID.1
ALPHA=6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e01
TPL=$KT_SRCDIR/contrib/zabbix/kvmtop_snmp.yaml
WAIT=${KT_NMS_PATIENCE:-300} # seconds: an upper bound for each event

# ---- the template is what its generator writes ----
"$KT_SRCDIR/contrib/zabbix/gen-template.py" >"$KT_TMP/template.yaml"
cmp -s "$KT_TMP/template.yaml" "$TPL"
kt_ok $? "kvmtop_snmp.yaml is what gen-template.py writes"

# ---- the agent: vm-alpha's vCPU 0 runs at 0.4 s/s, vCPU 1 waits as told ----
KT_RUN_RATE=400000000
kt_clock_start "$KT_PROC/4101/task/4105/schedstat" "$KT_PROC/4101/task/4106/schedstat"
kt_start_snmpd
kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" -f 1
kt_wait_refresh 2 || kt_bail "no second collection: $(tail -5 "$KT_TMP/subagent.log")"

# ---- Zabbix ----
kt_zbx_start || kt_bail "Zabbix did not start: $(tail -5 "$KT_TMP"/*.log)"
kt_ok 0 "a private Zabbix $(/usr/sbin/zabbix_server -V | head -1 | awk '{print $3}') runs, API login works"

rules='{"createMissing":true,"updateExisting":true}'
out=$(kt_zbx_api configuration.import "$(jq -n --rawfile s "$TPL" --argjson r "$rules" \
	'{format: "yaml", source: $s, rules: {templates: $r, items: $r, discoveryRules: $r,
	  triggers: $r, graphs: $r, valueMaps: $r, groups: {createMissing: true}}}')")
kt_is "$out" true "configuration.import takes the template"
tplid=$(kt_zbx_api template.get '{"filter":{"host":"KVM host kvmtop-snmp by SNMP"},"output":["templateid"]}' | jq -r '.[0].templateid')
[ -n "$tplid" ] && [ "$tplid" != null ] || kt_bail "template not found after import"
n_rules=$(kt_zbx_api discoveryrule.get "{\"templateids\":\"$tplid\",\"countOutput\":true}" | jq -r .)
kt_is "$n_rules" 11 "the template has its 11 discovery rules"

gid=$(kt_zbx_api hostgroup.create '{"name":"kvmtop test"}' | jq -r '.groupids[0]')
# The packaged "Zabbix server" host polls an agent that is not there.
kt_zbx_api host.update '{"hostid":"10084","status":1}' >/dev/null
macros=$(jq -n '[{macro: "{$KVMTOP.INTERVAL.FAST}", value: "5s"},
	{macro: "{$KVMTOP.INTERVAL.SLOW}", value: "20s"},
	{macro: "{$KVMTOP.LLD.INTERVAL}", value: "15s"},
	{macro: "{$KVMTOP.STEAL.WARN}", value: "10"},
	{macro: "{$KVMTOP.STEAL.HIGH}", value: "90"},
	{macro: "{$KVMTOP.STEAL.WINDOW}", value: "15s"},
	{macro: "{$KVMTOP.STALE.WINDOW}", value: "15s"}]')
hostid=$(kt_zbx_api host.create "$(jq -n --arg g "$gid" --arg t "$tplid" --arg p "$KT_PORT" \
	--argjson m "$macros" '{host: "kvm-fixture", groups: [{groupid: $g}], templates: [{templateid: $t}],
	macros: $m, interfaces: [{type: 2, main: 1, useip: 1, ip: "127.0.0.1", dns: "", port: $p,
	details: {version: 2, bulk: 1, community: "public"}}]}')" | jq -r '.hostids[0]')
[ -n "$hostid" ] && [ "$hostid" != null ] || kt_bail "host.create failed"
kt_zbx_reload
kt_ok $? "zabbix_server -R config_cache_reload"

# The item keys (without their index) of the VM of index $1.
vm_keys() {
	items | awk -v i="$1" '$1 ~ /^kvmtop\.(vm|vcpu)\./ {
		k = $1; idx = k; sub(/^[^[]*\[/, "", idx); sub(/\]$/, "", idx); split(idx, p, ".")
		if (p[1] == i) { sub(/\[.*/, "", k); print k } }'
}
# item.get of the host's items: "KEY STATE LASTCLOCK" lines.
items() {
	kt_zbx_api item.get "{\"hostids\":\"$hostid\",\"output\":[\"key_\",\"state\",\"lastclock\",\"error\",\"name\"]}" |
		jq -r '.[] | "\(.key_) \(.state) \(.lastclock)"'
}
# The indexes items of KEY were made for, sorted.
item_indexes() { items | awk -v k="$1" 'index($1, k "[") == 1 { i = substr($1, length(k) + 2); sub(/\]$/, "", i); print i }' | sort -V; }
# The indexes of the rows of a column, sorted.
walk_indexes() { kt_nms_column "$1" | awk '{print $1}' | sort -V; }

# ---- discovery finds exactly the fixture's rows ----
# "RULE-KEY FIRST-PROTOTYPE-KEY COLUMN": the column the rule's rows are.
checks="kvmtop.vm.discovery kvmtop.vm.state $R.2.1.3
kvmtop.vm.cpu.discovery kvmtop.vm.cpu.util $R.3.1.1
kvmtop.vm.disk.discovery kvmtop.vm.disk.rd.bytes $R.5.1.1
kvmtop.vm.net.discovery kvmtop.vm.net.rx.bytes $R.6.1.1
kvmtop.vm.io.discovery kvmtop.vm.io.rd.bytes $R.7.1.1
kvmtop.vcpu.discovery kvmtop.vcpu.steal $R.8.1.2
kvmtop.vm.blk.discovery kvmtop.vm.blk.rd.bytes $R.9.1.2
kvmtop.vm.if.discovery kvmtop.vm.if.rx.bytes $R.10.1.2
kvmtop.host.disk.discovery kvmtop.host.disk.reads $R.13.1.2
kvmtop.host.if.discovery kvmtop.host.if.rx.bytes $R.14.1.2
kvmtop.host.psi.discovery kvmtop.host.psi.avg10 $R.15.1.3"
all_discovered() {
	local rule key col
	while read -r rule key col; do
		[ "$(item_indexes "$key")" = "$(walk_indexes "$col")" ] || return 1
	done <<<"$checks"
}
kt_zbx_wait "$WAIT" all_discovered
while read -r rule key col; do
	want=$(walk_indexes "$col" | tr '\n' ' ')
	kt_is "$(item_indexes "$key" | tr '\n' ' ')" "$want" "$rule: items for the rows snmpwalk finds ($want)"
done <<<"$checks"

# ---- every created item is supported and has a value ----
all_valued() { ! items | awk '$2 != 0 || $3 == 0 { bad = 1 } END { exit !bad }'; }
kt_zbx_wait "$WAIT" all_valued
bad=$(items | awk '$2 != 0 || $3 == 0' | head -5)
kt_is "$bad" "" "every item is supported and has a value ($(items | wc -l) items)"
[ -n "$bad" ] && kt_zbx_api item.get "{\"hostids\":\"$hostid\",\"filter\":{\"state\":1},\"output\":[\"key_\",\"error\"]}" | jq -r '.[] | "#   \(.key_): \(.error)"' | head -5

# The overrides: no block time items (the test driver has none), and a
# speed item for exactly the host interfaces that have a speed.
kt_is "$(item_indexes kvmtop.vm.blk.rd.time)" "" "no disk time items where the agent serves none"
kt_is "$(item_indexes kvmtop.vm.disk.wr.time)" "" "no VM disk time items where the agent serves none"
kt_is "$(item_indexes kvmtop.host.if.speed | tr '\n' ' ')" "$(walk_indexes "$R.14.1.19" | tr '\n' ' ')" \
	"speed items for exactly the interfaces with a speed"

# vm-charlie is shut off: its state (and whether its data is current) only.
CIDX=$(kt_nms_column "$R.2.1.3" | awk '$2 == "vm-charlie" {print $1}')
kt_is "$(vm_keys "$CIDX" | sort | tr '\n' ' ')" \
	"kvmtop.vm.state kvmtop.vm.valid " "vm-charlie (shut off) has its state items only"

# Device items carry the VM's name, in the item name and the tags.
AIDX=$(kt_nms_column "$R.2.1.3" | awk '$2 == "vm-alpha" {print $1}')
got=$(kt_zbx_api item.get "{\"hostids\":\"$hostid\",\"search\":{\"key_\":\"kvmtop.vm.blk.rd.bytes[$AIDX.\"},\"selectTags\":\"extend\",\"output\":[\"name\"]}" |
	jq -r '.[] | "\(.name) | \([.tags[] | "\(.tag)=\(.value)"] | sort | join(","))"' | sort | head -1)
kt_is "$got" "VM vm-alpha: disk vda read | component=disk,vm=vm-alpha,vm_uuid=$ALPHA" \
	"a disk's item is named after its VM and disk and tagged with the VM's name and UUID"

# The memory the host swapped out: an item for exactly the VMs the agent
# serves it for; vm-alpha's is the fixture's 12288 kB (EXPECTED.md).
kt_is "$(item_indexes kvmtop.vm.mem.swap | tr '\n' ' ')" "$(walk_indexes "$R.4.1.9" | tr '\n' ' ')" \
	"swap items for exactly the VMs with a swapped-out figure"
got=$(kt_zbx_api item.get "{\"hostids\":\"$hostid\",\"filter\":{\"key_\":\"kvmtop.vm.mem.swap[$AIDX]\"},\"output\":[\"lastvalue\"]}" |
	jq -r '.[0].lastvalue')
kt_is "$got" 12582912 "vm-alpha's swapped-out memory is the fixture's 12288 kB in bytes"

# ---- a Counter64 as change per second: vm-alpha's vCPU time, 0.4 s/s ----
# Each value is the change between two polls of a counter the agent samples
# once a second; their mean weighted by the polls' intervals over a minute
# or more is the change over that span, which the clock loop sets.
cpuid=$(kt_zbx_api item.get "{\"hostids\":\"$hostid\",\"filter\":{\"key_\":\"kvmtop.vm.cpu.time[$AIDX]\"},\"output\":[\"itemid\"]}" | jq -r '.[0].itemid')
history() {
	kt_zbx_api history.get "{\"itemids\":\"$cpuid\",\"history\":0,\"sortfield\":\"clock\",\"sortorder\":\"ASC\",\"output\":\"extend\"}" |
		jq -r '.[] | "\((.clock | tonumber) + (.ns | tonumber) / 1e9) \(.value)"'
}
span_ok() { history | awk 'NR == 1 { t0 = $1 } END { exit !(NR >= 6 && $1 - t0 >= 60) }'; }
kt_zbx_wait "$WAIT" span_ok
rate=$(history | awk 'NR > 1 { s += $2 * ($1 - t); d += $1 - t } { t = $1 } END { if (d > 0) printf "%d", s / d * 1000 }')
kt_near "$rate" 400 20 "vm-alpha's vCPU time per second (x1000) is the fixture's 0.4 s/s within 5 %"
echo "# $(history | wc -l) values over $(history | awk 'NR == 1 { t = $1 } END { printf "%d", $1 - t }') s, mean $rate/1000 s/s; last $(history | tail -1 | cut -d' ' -f2)"

# ---- triggers ----
problems() { # names of the host's problems (open ones; with "recent": resolved too)
	kt_zbx_api problem.get "{\"hostids\":\"$hostid\",\"output\":[\"name\",\"r_eventid\",\"severity\"]${1:-}}" |
		jq -r '.[] | "\(.r_eventid) \(.severity) \(.name)"'
}
has_problem() { problems | grep -q -- "$1"; }
kt_zbx_wait "$WAIT" has_problem "vm-delta: data stale"
kt_ok $? "vm-delta (running, no QEMU process found) has the 'data stale' problem"
has_problem "vm-alpha: data stale"
kt_ok $((! $?)) "vm-alpha's data is current: no such problem"
has_problem "vm-alpha: CPU steal"
kt_ok $((! $?)) "no steal problem while vm-alpha's steal is 0"

kt_steal_rate 1000000000 # one of two vCPUs waiting all the time: 50 %
kt_zbx_wait "$WAIT" has_problem "vm-alpha: CPU steal above 10"
kt_ok $? "the steal warning fires when vm-alpha's steal rises above {\$KVMTOP.STEAL.WARN}"
problems | grep "CPU steal" | sed 's/^/#   /'
has_problem "vm-alpha: CPU steal above 90"
kt_ok $((! $?)) "the high-level steal problem does not (50 % < {\$KVMTOP.STEAL.HIGH})"
kt_steal_rate 0
resolved() { problems ',"recent":true' | grep -- "vm-alpha: CPU steal above 10" | grep -qv '^0 '; }
kt_zbx_wait "$WAIT" resolved
kt_ok $? "the steal problem resolves when the steal falls"

# ---- a destroyed VM: the agent now sees a libvirt without vm-bravo ----
BIDX=$(kt_nms_column "$R.2.1.3" | awk '$2 == "vm-bravo" {print $1}')
awk '/<domain / { blk = $0 "\n"; in_dom = 1; next }
	in_dom { blk = blk $0 "\n"; if (/<\/domain>/) { in_dom = 0; if (blk !~ /<name>vm-bravo</) printf "%s", blk }; next }
	{ print }' \
	"$KT_FIXTURE/domains.xml" >"$KT_TMP/domains.xml"
grep -q "<name>vm-bravo<" "$KT_TMP/domains.xml" && kt_bail "vm-bravo still in the domain XML"
kill "$KT_SUBAGENT_PID"
wait "$KT_SUBAGENT_PID" 2>/dev/null
kt_start_subagent -c "test://$KT_TMP/domains.xml" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" -f 1
kt_wait_for 600 kt_get "$R.1.6.0" || kt_bail "the agent did not come back"
kt_is "$(kt_nms_column "$R.2.1.3" | awk '$2 == "vm-bravo"')" "" "vm-bravo's rows are gone from the MIB"
lost() { # the items of index $1 that discovery marked lost, and those it did not
	kt_zbx_api item.get "{\"hostids\":\"$hostid\",\"selectItemDiscovery\":[\"ts_delete\"],\"output\":[\"key_\"]}" |
		jq -r --arg i "[$1]" --arg j "[$1." '.[] | select(.key_ | test("^kvmtop[.](vm|vcpu)[.]")) |
		select((.key_ | endswith($i)) or (.key_ | contains($j))) |
		"\(.itemDiscovery.ts_delete != "0") \(.key_)"' | sort | uniq -c -w6 | awk '{print $2, $1}'
}
all_lost() { [ "$(lost "$BIDX" | grep -c '^false ')" = 0 ]; }
kt_zbx_wait "$WAIT" all_lost
kt_is "$(lost "$BIDX" | grep -c '^false ')" 0 "every item of vm-bravo is marked lost by discovery ($(lost "$BIDX" | tr '\n' ' '))"
kt_is "$(lost "$AIDX" | grep -c '^true ')" 0 "no item of vm-alpha is marked lost"
rules_ok=$(kt_zbx_api discoveryrule.get "{\"hostids\":\"$hostid\",\"output\":[\"key_\",\"state\",\"error\"]}" |
	jq -r '.[] | select(.state != "0" or .error != "") | "\(.key_): \(.error)"')
kt_is "$rules_ok" "" "every discovery rule is supported, without error"

kt_stop_subagent
kt_done
