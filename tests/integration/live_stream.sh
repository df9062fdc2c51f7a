#!/bin/bash
# kvmtop-live as a stream: --output file gives one JSON record a refresh,
# appended, each valid JSON (jq) with the schema of README.md and the
# values snmpget returns; --output tcp to a listener on 127.0.0.1 that is
# stopped for 10 s and started again: the program keeps running, counts
# the records it drops (one log line), reconnects, and every record the
# new listener gets is whole.  Bad options, an unknown host, a wrong
# community, a target without KVMTOP-MIB and an agent that stops
# answering each give one clear line and the right exit status; SNMPv3
# with authPriv reads the same, a wrong password or user is one line.
. "$(dirname "$0")/../lib/agent.sh"
kt_setup
kt_fixture_basic
KT_LIVE=${KT_LIVE:-$KT_BUILDDIR/kvmtop-live}
KT_PATIENCE=${KT_PATIENCE:-1}
[ -x "$KT_LIVE" ] || kt_bail "$KT_LIVE not built"
command -v jq >/dev/null || kt_bail "jq not found (Debian package jq)"
command -v python3 >/dev/null || kt_bail "python3 not found"
R=$KT_ROOT_OID

# ---- options: one line, exit 2 ----
for bad in "--printer foo" "--output pigeon" "--frequency 0" "--frequency x" \
	"--runs -1" "--output file" "--output tcp --target nohost" "-v 1" "--buffer 0" "--bogus"; do
	"$KT_LIVE" $bad > "$KT_TMP/out" 2> "$KT_TMP/err"
	rc=$?
	kt_is "$rc $(wc -l < "$KT_TMP/err") $(wc -c < "$KT_TMP/out")" "2 1 0" "'$bad': exit 2, one line on stderr, nothing on stdout"
done

# ---- a target that cannot be used: one line, exit 1 ----
"$KT_LIVE" no-such-host.invalid --runs 1 > /dev/null 2> "$KT_TMP/err"
kt_is "$? $(wc -l < "$KT_TMP/err")" "1 1" "unknown host: exit 1, one line"
grep -q "cannot reach no-such-host.invalid" "$KT_TMP/err"
kt_ok $? "unknown host: the line names it ($(cat "$KT_TMP/err"))"
kt_start_snmpd
"$KT_LIVE" "127.0.0.1:$KT_PORT" --runs 1 > /dev/null 2> "$KT_TMP/err"
kt_is "$? $(wc -l < "$KT_TMP/err")" "1 1" "an snmpd without KVMTOP-MIB: exit 1, one line"
grep -q "serves no KVMTOP-MIB" "$KT_TMP/err"
kt_ok $? "no KVMTOP-MIB: the line says so ($(cat "$KT_TMP/err"))"
"$KT_LIVE" "127.0.0.1:$KT_PORT" -c wrong -t 0.3 -r 0 --runs 1 > /dev/null 2> "$KT_TMP/err"
kt_is "$? $(wc -l < "$KT_TMP/err")" "1 1" "wrong community: exit 1, one line"
grep -q "no answer from 127.0.0.1:$KT_PORT" "$KT_TMP/err"
kt_ok $? "wrong community: the line says there is no answer ($(cat "$KT_TMP/err"))"

# An SNMPv3 user for the v3 checks below (snmpd reads it at start).
kill "$KT_SNMPD_PID"
wait "$KT_SNMPD_PID" 2>/dev/null
cat >> "$KT_TMP/snmpd.conf" <<CONF
createUser ops SHA authpass12 AES privpass12
rouser ops priv
CONF
kt_restart_snmpd || kt_bail "snmpd did not start again"
kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" -f 0.5
kt_wait_refresh 2 || kt_bail "no second collection"

# ---- file: 5 records, appended ----
json_ok() { # every line of FILE a JSON object with the schema's members
	jq -e 'has("time") and has("source") and has("seq") and has("age_ms")
		and has("libvirt_connected") and (.vms | type == "array")
		and (.host | type == "object")
		and all(.vms[]; has("index") and has("uuid") and has("name")
			and has("cpu") and has("mem") and has("disk") and has("net")
			and has("io") and has("vcpus") and has("disks")
			and has("interfaces"))' "$1" > "$KT_TMP/jq.out" &&
		! grep -qv '^true$' "$KT_TMP/jq.out"
}
OUT=$KT_TMP/records.json
"$KT_LIVE" "127.0.0.1:$KT_PORT" --output file --target "$OUT" --runs 5 -f 0.2
kt_is "$?" 0 "remote, --output file --runs 5: exit 0"
kt_is "$(wc -l < "$OUT")" 5 "remote: five records, one a line"
json_ok "$OUT"
kt_ok $? "remote: each record is valid JSON with the README's members (jq)"
kt_is "$(jq -r '.source' "$OUT" | sort -u)" "127.0.0.1:$KT_PORT" "remote: source is the host"
idx=$(jq -r '.vms[] | select(.name == "vm-alpha") | .index' "$OUT" | tail -n 1)
kt_is "$(jq -r '.vms[] | select(.name == "vm-alpha") | .mem.rss' "$OUT" | tail -n 1)" \
	"$(kt_get "$R.1.4.1.4.$idx" || echo "no kvmtopVmMemRss.$idx")" "remote: vm-alpha's mem.rss is snmpget's kvmtopVmMemRss"
kt_is "$(jq -r '.vms[] | select(.name == "vm-bravo") | .vcpus | length' "$OUT" | tail -n 1)" 4 \
	"remote: vm-bravo's four vCPU rows"
kt_is "$(jq -r '.host.name' "$OUT" | tail -n 1)" kvm-basic "remote: the host's name"
seqs=$(jq -r '.seq' "$OUT" | tr '\n' ' ')
kt_is "$(jq -r '.seq' "$OUT" | sort -n -c && jq -r '.seq' "$OUT" | wc -l)" 5 "remote: seq never goes back ($seqs)"
"$KT_LIVE" "127.0.0.1:$KT_PORT" --output file --target "$OUT" --runs 2 -f 0.2
kt_is "$(wc -l < "$OUT")" 7 "a second run appends (7 records)"

LOUT=$KT_TMP/local.json
"$KT_LIVE" -c "$KT_URI" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" \
	--output file --target "$LOUT" --runs 5 -f 0.2 2> "$KT_TMP/local.err"
kt_is "$?" 0 "local, --output file --runs 5: exit 0"
kt_is "$(wc -l < "$LOUT")" 5 "local: five records"
json_ok "$LOUT"
kt_ok $? "local: each record is valid JSON with the README's members (jq)"
kt_is "$(jq -r '.vms[] | select(.name == "vm-alpha") | .mem.total_kib' "$LOUT" | tail -n 1)" 1048576 \
	"local: vm-alpha's mem.total_kib (EXPECTED.md)"

# ---- SNMPv3: authPriv, a wrong password, an unknown user ----
V3="-v 3 -u ops -l authPriv -a SHA -A authpass12 -x AES -X privpass12"
"$KT_LIVE" "127.0.0.1:$KT_PORT" $V3 --printer json --runs 1 > "$KT_TMP/v3.json"
kt_is "$? $(jq -r '[.vms[].name] | sort | join(" ")' "$KT_TMP/v3.json")" \
	"0 vm-alpha vm-bravo vm-charlie vm-delta" "SNMPv3 authPriv: the four VMs"
"$KT_LIVE" "127.0.0.1:$KT_PORT" ${V3/authpass12/wrongpass12} -t 0.5 -r 0 --runs 1 \
	> /dev/null 2> "$KT_TMP/err"
kt_is "$? $(wc -l < "$KT_TMP/err")" "1 1" "SNMPv3 wrong password: exit 1, one line"
grep -q "Authentication failure" "$KT_TMP/err"
kt_ok $? "SNMPv3 wrong password: the line says so ($(cat "$KT_TMP/err"))"
"$KT_LIVE" "127.0.0.1:$KT_PORT" ${V3/ops/nobody} -t 0.5 -r 0 --runs 1 > /dev/null 2> "$KT_TMP/err"
kt_is "$? $(grep -c 'Unknown user name' "$KT_TMP/err")" "1 1" "SNMPv3 unknown user: exit 1, said"

"$KT_LIVE" "127.0.0.1:$KT_PORT" --printer text --runs 1 --cpu > "$KT_TMP/text"
kt_is "$(head -n 1 "$KT_TMP/text")" "$(printf 'UUID\tname\tstate\tpid\tcpu_cores\tcpu_total\tcpu_steal\tcpu_other_total\tcpu_other_steal')" \
	"--printer text --cpu: kvmtop's column names"

# ---- the agent stops answering while streaming ----
"$KT_LIVE" "127.0.0.1:$KT_PORT" -t 0.3 -r 0 -f 0.2 --output file --target "$KT_TMP/s.json" \
	2> "$KT_TMP/s.err" &
SPID=$!
kt_pids+=("$SPID")
kt_wait_for $((100 * KT_PATIENCE)) test -s "$KT_TMP/s.json"
kill -STOP "$KT_SNMPD_PID"
kt_wait_for $((100 * KT_PATIENCE)) grep -q "no answer from 127.0.0.1:$KT_PORT.*retrying" "$KT_TMP/s.err"
kt_ok $? "an agent that stops answering: one warning, retrying"
kill -CONT "$KT_SNMPD_PID"
kt_wait_for $((100 * KT_PATIENCE)) grep -q "answers again" "$KT_TMP/s.err"
kt_ok $? "the agent back: said once"
kill -0 "$SPID"
kt_ok $? "the stream kept running"
kill -TERM "$SPID"
wait "$SPID"
kt_is "$?" 0 "SIGTERM ends the stream with status 0"
kt_is "$(grep -c 'retrying' "$KT_TMP/s.err")" 1 "the outage was logged once"

# ---- tcp: a listener stopped for 10 s ----
cat > "$KT_TMP/listen.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
open(sys.argv[2] + ".ready", "w").close()
out = open(sys.argv[2], "ab")
while True:
    c, _ = s.accept()
    while True:
        d = c.recv(65536)
        if not d:
            break
        out.write(d)
        out.flush()
    c.close()
PY
listen() { # listen FILE: a listener on $LPORT writing to FILE
	python3 "$KT_TMP/listen.py" "$LPORT" "$1" &
	LPID=$!
	kt_pids+=("$LPID")
	kt_wait_for $((50 * KT_PATIENCE)) test -f "$1.ready"
}
for try in 1 2 3 4 5; do
	LPORT=$((20000 + (RANDOM % 20000)))
	listen "$KT_TMP/tcp1" && break
done
"$KT_LIVE" "127.0.0.1:$KT_PORT" -f 0.2 --output tcp --target "127.0.0.1:$LPORT" \
	--buffer 5 2> "$KT_TMP/tcp.err" &
TPID=$!
kt_pids+=("$TPID")
kt_wait_for $((100 * KT_PATIENCE)) test -s "$KT_TMP/tcp1"
kt_ok $? "tcp: records reach the listener"
kill "$LPID"
wait "$LPID" 2>/dev/null
stopped=$(date +%s)
# The outage lasts 10 s, and the buffer of 5 fills: a drop is logged.
kt_wait_for $((200 * KT_PATIENCE)) grep -q "dropping new ones" "$KT_TMP/tcp.err"
kt_ok $? "tcp: the full buffer is logged"
while [ $(($(date +%s) - stopped)) -lt 10 ]; do sleep 0.2; done
kill -0 "$TPID"
kt_ok $? "tcp: the program keeps running through a 10 s outage"
listen "$KT_TMP/tcp2"
kt_wait_for $((200 * KT_PATIENCE)) grep -q "connected; [1-9][0-9]* records dropped so far" "$KT_TMP/tcp.err"
kt_ok $? "tcp: reconnected, with the count of dropped records ($(grep -o 'connected; [0-9]* records dropped' "$KT_TMP/tcp.err" | tail -n 1))"
lines_at_least() { [ "$(wc -l < "$1")" -ge "$2" ]; }
kt_wait_for $((200 * KT_PATIENCE)) lines_at_least "$KT_TMP/tcp2" 10
kt_ok $? "tcp: ten records after the reconnect"
kill -TERM "$TPID"
wait "$TPID"
kt_is "$?" 0 "tcp: SIGTERM ends it with status 0"
kt_is "$(tail -c 1 "$KT_TMP/tcp2" | od -An -c | tr -d ' ')" '\n' "tcp: the last record after the reconnect ends its line"
jq -e '.vms | length == 4' "$KT_TMP/tcp2" > "$KT_TMP/jq.out" && ! grep -qv '^true$' "$KT_TMP/jq.out"
kt_ok $? "tcp: every record after the reconnect is whole JSON with the four VMs ($(wc -l < "$KT_TMP/tcp2") records)"
kt_is "$(grep -c 'dropping new ones' "$KT_TMP/tcp.err")" 1 "tcp: the drops were logged once"
kt_done
