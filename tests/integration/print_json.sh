#!/bin/bash
# kvmtop-subagent --print json|text on the basic fixture: valid JSON with the
# hand-worked values of tests/fixtures/basic/EXPECTED.md, kvmtop's column
# names in text, and one clear line with exit status 2 for a wrong option.
. "$(dirname "$0")/../lib/agent.sh"
kt_setup
kt_fixture_basic
command -v python3 >/dev/null || kt_bail "python3 not found"

run() { "$KT_SUBAGENT" -c "$KT_URI" --procfs "$KT_PROC" --state-dir "$KT_TMP/state" -f 0.2 "$@"; }

run --print json > "$KT_TMP/out.json" 2> "$KT_TMP/err"
kt_is $? 0 "--print json exits 0"
python3 -m json.tool "$KT_TMP/out.json" > /dev/null
kt_ok $? "--print json prints valid JSON"
# One "name key value" line per VM field, from an independent JSON reader.
python3 - "$KT_TMP/out.json" > "$KT_TMP/fields" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
print("agent vm_count", doc["agent"]["vm_count"])
print("agent libvirt_connected", doc["agent"]["libvirt_connected"])
host = doc.get("host", {})
print("host name", host.get("name"))
print("host vms.running", host.get("vms", {}).get("running"))
for vm in doc["vms"]:
    for k in ("uuid", "state", "pid", "data_valid"):
        print(vm["name"], k, vm[k])
    for group in ("cpu", "mem"):
        for k, v in vm.get(group, {}).items():
            print(vm["name"], group + "." + k, v)
PY
field() { awk -v n="$1" -v k="$2" '$1 == n && $2 == k { print $3 }' "$KT_TMP/fields"; }
kt_is "$(field agent vm_count)" 4 "JSON: vm_count"
kt_is "$(field agent libvirt_connected)" True "JSON: libvirt_connected"
# tests/fixtures/basic/EXPECTED-host.md: the hostname file, 3 running VMs.
kt_is "$(field host name)" kvm-basic "JSON: the host member's name"
kt_is "$(field host vms.running)" 3 "JSON: the host member's running VMs"
kt_is "$(field vm-alpha uuid)" 6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e01 "JSON: vm-alpha uuid"
kt_is "$(field vm-alpha state)" running "JSON: vm-alpha state"
kt_is "$(field vm-charlie state)" shutdown "JSON: vm-charlie state"
kt_is "$(field vm-alpha pid)" 4101 "JSON: vm-alpha pid"
kt_is "$(field vm-delta pid)" None "JSON: vm-delta pid is null (no process)"
kt_is "$(field vm-delta data_valid)" False "JSON: vm-delta data is not valid"
kt_is "$(field vm-alpha cpu.cores)" 2 "JSON: vm-alpha cpu.cores"
kt_is "$(field vm-bravo cpu.time_ns)" 660000000000 "JSON: vm-bravo cpu.time_ns"
kt_is "$(field vm-bravo cpu.steal_ns)" 41000000000 "JSON: vm-bravo cpu.steal_ns"
kt_is "$(field vm-alpha cpu.other_time_ns)" 3480000000 "JSON: vm-alpha cpu.other_time_ns"
kt_is "$(field vm-alpha cpu.total)" 0.0 "JSON: vm-alpha cpu.total over two unchanged samples"
kt_is "$(field vm-delta cpu.total)" None "JSON: vm-delta cpu.total unavailable"
kt_is "$(field vm-alpha mem.total_kib)" 1048576 "JSON: vm-alpha mem.total_kib"
kt_is "$(field vm-alpha mem.used_kib)" 786432 "JSON: vm-alpha mem.used_kib"
kt_is "$(field vm-bravo mem.rss)" 2147483648 "JSON: vm-bravo mem.rss"
kt_is "$(field vm-bravo mem.majflt)" 1200 "JSON: vm-bravo mem.majflt"

run --print text > "$KT_TMP/out.txt"
kt_is $? 0 "--print text exits 0"
kt_is "$(head -n 1 "$KT_TMP/out.txt" | cut -f 1-7)" "$(printf 'UUID\tname\tstate\tpid\tcpu_cores\tcpu_total\tcpu_steal')" \
	"--print text: kvmtop's column names"
# The VM block ends at the first empty line; the host's blocks follow.
kt_is "$(awk '$0 == "" { exit } { n++ } END { print n + 0 }' "$KT_TMP/out.txt")" 5 \
	"--print text: a header and four VM rows"
kt_is "$(awk 'seen { print $1; exit } $0 == "" { seen = 1 }' "$KT_TMP/out.txt")" host_name \
	"--print text: the host block after the VM rows"

run --print json --mem > "$KT_TMP/mem.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(any("cpu" in v for v in d["vms"]))' "$KT_TMP/mem.json"
kt_ok $? "--mem alone prints no cpu objects"

"$KT_SUBAGENT" --frequency abc > "$KT_TMP/out" 2> "$KT_TMP/err"
kt_is $? 2 "a wrong value exits with status 2"
kt_is "$(wc -l < "$KT_TMP/err")" 1 "and says so in one line"
"$KT_SUBAGENT" --no-such-option 2> "$KT_TMP/err"
kt_is $? 2 "an unknown option exits with status 2"
"$KT_SUBAGENT" --version > "$KT_TMP/out"
kt_is $? 0 "--version exits 0"
"$KT_SUBAGENT" --procfs "$KT_TMP/nonexistent" -c "$KT_URI" --print json > /dev/null 2> "$KT_TMP/err"
kt_ok $(( $? == 0 )) "a procfs root that does not exist is an error"
kt_is "$(grep -c 'nonexistent' "$KT_TMP/err")" 1 "naming the path in one line"
"$KT_SUBAGENT" -c test:///nonexistent.xml --procfs "$KT_PROC" --state-dir "$KT_TMP/state" -f 0.1 --print json > /dev/null 2> "$KT_TMP/err"
kt_ok $(( $? == 0 )) "--print with an unreachable libvirt exits non-zero"
kt_done
