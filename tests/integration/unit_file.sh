#!/bin/bash
# The systemd unit (dist/kvmtop-subagent.service.in, written by make with the
# configured sbindir): systemd-analyze verify is silent, the exposure score
# of systemd-analyze security is 3.0 or lower, it holds the hardening the
# package promises, and what the agent does fits it: under strace, on the
# test-driver fixture with a private snmpd, every system call it makes is in
# the unit's SystemCallFilter and every socket it opens in its
# RestrictAddressFamilies.
. "$(dirname "$0")/../lib/agent.sh" || exit 1
kt_setup
UNIT_BUILT=$KT_BUILDDIR/kvmtop-subagent.service
[ -f "$UNIT_BUILT" ] || kt_bail "$UNIT_BUILT not built (make)"
command -v systemd-analyze >/dev/null || kt_bail "systemd-analyze not found (Debian package systemd)"
UNIT=$KT_TMP/kvmtop-subagent.service
# The built binary in place of the installed one; the man page is checked
# by man_page.sh (verify would look for an installed one).
sed "s|^ExecStart=[^ ]*|ExecStart=$KT_SUBAGENT|" "$UNIT_BUILT" > "$UNIT"
unit_value() { sed -n "s/^$1=//p" "$UNIT" | tr '\n' ' ' | sed 's/ $//'; }

out=$(systemd-analyze verify --man=no "$UNIT" 2>&1)
kt_is "$?:$out" "0:" "systemd-analyze verify is silent"
exposure=$(systemd-analyze security --offline=true "$UNIT" 2>&1 |
	sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "# systemd-analyze security --offline=true: exposure $exposure"
kt_ok "$(awk -v e="${exposure:-99}" 'BEGIN { print !(e <= 3.0) }')" \
	"exposure ${exposure:-?} is 3.0 or lower"

exec_path=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$UNIT_BUILT")
case $exec_path in
/*/sbin/kvmtop-subagent) kt_ok 0 "ExecStart is an sbin directory's kvmtop-subagent ($exec_path)" ;;
*) kt_ok 1 "ExecStart is an sbin directory's kvmtop-subagent ($exec_path)" ;;
esac
for kv in User=kvmtop-snmp Group=kvmtop-snmp \
	"AmbientCapabilities=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE" \
	"CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE" \
	NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
	StateDirectory=kvmtop-snmp StateDirectoryMode=0700 Restart=on-failure \
	RestrictAddressFamilies=AF_UNIX; do
	kt_is "$(unit_value "${kv%%=*}")" "${kv#*=}" "the unit says $kv"
done
kt_ok $("$KT_SUBAGENT" --help | grep -q "(default /var/lib/$(unit_value StateDirectory))"; echo $?) \
	"--state-dir's default is the unit's StateDirectory"

# ---- what the agent does fits the filter ----
if ! command -v strace >/dev/null; then
	echo "ok $((kt_n += 1)) # SKIP strace not found (Debian package strace)"
	kt_done
	exit
fi
# The sanitizers' runtime makes calls of its own: the filter is for the
# binary as shipped.
if ldd "$KT_SUBAGENT" 2>/dev/null | grep -q 'lib\(a\|ub\)san'; then
	echo "ok $((kt_n += 1)) # SKIP a sanitizer build: its system calls are not the shipped binary's"
	kt_done
	exit
fi
# A filter set: "@group" expanded, recursively.
expand() {
	local w
	for w in $(systemd-analyze syscall-filter "$1" | sed -n 's/^    \([^ #]\)/\1/p'); do
		case $w in @*) expand "$w" ;; *) echo "$w" ;; esac
	done
}
# One SystemCallFilter= line: an allow list, or a deny list after "~".
allowed=" "
deny=" "
while read -r line; do
	case $line in
	~*) for f in ${line#\~}; do for s in $(expand "$f"); do deny="$deny$s "; done; done ;;
	*) for f in $line; do for s in $(expand "$f"); do allowed="$allowed$s "; done; done ;;
	esac
done < <(sed -n 's/^SystemCallFilter=//p' "$UNIT")
kt_fixture_basic
kt_start_snmpd
# strace slows every call down: give the agent time to answer snmpd.
sed -i 's/^agentXTimeout .*/agentXTimeout 60/' "$KT_TMP/snmpd.conf"
kill "$KT_SNMPD_PID"
wait "$KT_SNMPD_PID" 2>/dev/null
kt_restart_snmpd || kt_bail "snmpd does not start again"
strace -f -qq -o "$KT_TMP/strace" "$KT_SUBAGENT" --foreground -x "unix:$KT_AGENTX" \
	--state-dir "$KT_TMP/state" -c "$KT_URI" --procfs "$KT_PROC" \
	--sysfs "$KT_SRCDIR/tests/fixtures/basic/sys" -f 0.5 >>"$KT_TMP/subagent.log" 2>&1 &
STRACE_PID=$!
kt_pids+=("$STRACE_PID")
kt_wait_refresh 3 || kt_bail "no collections under strace: $(tail -3 "$KT_TMP/subagent.log")"
snmpbulkwalk -v2c -c public -t 30 -r 0 -On "127.0.0.1:$KT_PORT" "$KT_ROOT_OID" > "$KT_TMP/walk" 2>&1
kt_ok $? "a walk of the agent under strace ($(wc -l < "$KT_TMP/walk") objects)"
kill -TERM "$(pgrep -P "$STRACE_PID" | head -1)"
kt_wait_for $((KT_PATIENCE * 10)) sh -c "! kill -0 $STRACE_PID" || kill -KILL "$STRACE_PID"
wait "$STRACE_PID"
kt_is $? 0 "the agent under strace exits 0 on SIGTERM"
used=$(sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' "$KT_TMP/strace" | sort -u)
echo "# system calls made: $(echo $used)"
bad=""
for s in $used; do
	case "$allowed" in *" $s "*) ;; *) bad="$bad $s" ;; esac
	case "$deny" in *" $s "*) bad="$bad $s(denied)" ;; esac
done
kt_is "${bad# }" "" "every system call is in SystemCallFilter ($(echo $used | wc -w) distinct)"
fams=$(grep -o 'socket(AF_[A-Z0-9]*' "$KT_TMP/strace" | sed 's/socket(//' | sort -u | tr '\n' ' ')
echo "# socket families opened: $fams"
bad=""
for f in $fams; do
	case " $(unit_value RestrictAddressFamilies) " in *" $f "*) ;; *) bad="$bad $f" ;; esac
done
kt_is "${bad# }" "" "every socket family is in RestrictAddressFamilies"
kt_done
