#!/bin/bash
# The snmp_exporter module (contrib/snmp_exporter): the committed snmp.yml is
# what Debian's prometheus-snmp-generator makes of generator.yml and
# KVMTOP-MIB (generate.sh), and the real prometheus-snmp-exporter, on
# 127.0.0.1, scraped for module kvmtop against a private snmpd with the agent
# on the basic fixture, returns every VM with its labels and the values
# snmpget returns (tests/nms/exporter_compare.py).
. "$(dirname "$0")/../lib/agent.sh"
. "$(dirname "$0")/../lib/nms.sh"
kt_nms_init
for c in prometheus-snmp-exporter prometheus-snmp-generator curl python3; do
	command -v $c >/dev/null || kt_nms_skip "$c not found (tools/install-nms-deps.sh)"
done
python3 -c 'import yaml' 2>/dev/null || kt_nms_skip "python3-yaml missing (tools/install-nms-deps.sh)"
kt_setup
kt_fixture_basic
DIR=$KT_SRCDIR/contrib/snmp_exporter

# ---- no drift ----
"$DIR/generate.sh" "$KT_TMP/snmp.yml" 2>"$KT_TMP/generate.log"
kt_ok $? "generate.sh runs the generator"
diff -u "$DIR/snmp.yml" "$KT_TMP/snmp.yml" >"$KT_TMP/drift"
kt_ok $? "the committed snmp.yml is what the generator makes of generator.yml and the MIB"
head -20 "$KT_TMP/drift" | sed 's/^/#   /'

# ---- the agent: collections only when asked, so nothing moves while we compare ----
kt_start_snmpd
kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" -f "$KT_DRIVEN_FREQUENCY"
kt_wait_refresh 1 || kt_bail "no first collection: $(tail -5 "$KT_TMP/subagent.log")"
cp -R "$KT_FIXTURE/phase2/." "$KT_PROC/" # rates from two different samples
kt_collect_now || kt_bail "no second collection"

# ---- the exporter ----
port=$((20000 + RANDOM % 20000))
for try in 1 2 3 4 5; do
	prometheus-snmp-exporter --config.file="$DIR/snmp.yml" \
		--web.listen-address="127.0.0.1:$port" >"$KT_TMP/exporter.log" 2>&1 &
	pid=$!
	kt_wait_for 300 curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	port=$((20000 + RANDOM % 20000))
done
kt_pids+=($pid)
kill -0 $pid 2>/dev/null || kt_bail "the exporter did not start: $(tail -3 "$KT_TMP/exporter.log")"
n0=$(kt_refreshes)
curl -sf -m 120 "http://127.0.0.1:$port/snmp?module=kvmtop&target=127.0.0.1:$KT_PORT" >"$KT_TMP/scrape"
kt_ok $? "the exporter answers a scrape of module kvmtop"
grep -q '^snmp_scrape_pdus_returned' "$KT_TMP/scrape" && ! grep -q 'Error scraping' "$KT_TMP/exporter.log"
kt_ok $? "the scrape walked the agent without error"
echo "# $(grep -vc '^#' "$KT_TMP/scrape") samples, $(grep '^snmp_scrape_pdus_returned' "$KT_TMP/scrape")"

python3 "$KT_SRCDIR/tests/nms/exporter_compare.py" "$DIR/snmp.yml" "$KT_TMP/scrape" \
	"127.0.0.1:$KT_PORT" public >"$KT_TMP/compare" 2>&1
rc=$?
while read -r line; do # renumber its TAP lines into ours
	case "$line" in
	"ok "* | "not ok "*)
		desc=${line#*- }
		case "$line" in ok*) kt_ok 0 "$desc" ;; *) kt_ok 1 "$desc" ;; esac
		;;
	"#"*) echo "$line" ;;
	*) echo "# $line" ;;
	esac
done <"$KT_TMP/compare"
kt_is "$rc" 0 "exporter_compare.py ran to its end"
kt_is "$(kt_refreshes)" "$n0" "no collection came between the scrape and the snmpgets"

kt_stop_subagent
kt_done
