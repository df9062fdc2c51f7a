#!/bin/bash
# The subagent as an unprivileged user (nobody) on the REAL /proc and /sys,
# started by root: it must serve what it can read and mark the rest
# unavailable rather than fail.  Two stand-in QEMU processes carry
# "-uuid UUID" of two test-driver domains in their cmdline: one runs as
# root (its schedstat, stat and comm are world-readable, its /proc/PID/io
# is not), one as nobody (all of it readable), which stands for QEMU's own
# user: the agent is told that nobody runs QEMU (--qemu-user nobody), as it
# would be told libvirt-qemu, so both pass the identity rule.  Every value
# is checked against /proc read here as root.  Without --qemu-user nobody,
# nobody's stand-in is refused and logged.  Then the same without --io (every row
# valid), and with the two capabilities that read /proc/PID/io of another
# user.  Needs root (to switch users): skipped without it.
. "$(dirname "$0")/../lib/agent.sh" || exit 1
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root to start the agent as another user"
	exit 0
fi
kt_setup
. "$(dirname "$0")/../lib/walk.sh" || exit 1
USER_=nobody
GROUP_=$(id -gn "$USER_" 2>/dev/null) || kt_bail "no user $USER_"
# A command prefix, not a function: "$!" must be the process itself.
AS_USER=(setpriv --reuid "$USER_" --regid "$GROUP_" --clear-groups)

# Fresh UUIDs: no other process on this host carries them.
U_ROOT=$(cat /proc/sys/kernel/random/uuid)
U_OWN=$(cat /proc/sys/kernel/random/uuid)
domain() { # domain NAME UUID
	printf "  <domain type='test'><name>%s</name><uuid>%s</uuid>\n" "$1" "$2"
	printf "    <memory unit='KiB'>65536</memory><vcpu>1</vcpu>\n"
	printf "    <os><type arch='x86_64'>hvm</type></os></domain>\n"
}
{
	echo "<node>"
	domain kt-h1-root-qemu "$U_ROOT"
	domain kt-h1-own-qemu "$U_OWN"
	echo "</node>"
} > "$KT_TMP/domains.xml"

# The agent's user must reach the AgentX socket, the fixture and the FIFO.
chmod 0755 "$KT_TMP"
chmod 0644 "$KT_TMP/domains.xml"
mkfifo -m 0666 "$KT_TMP/fifo"
mkdir "$KT_TMP/state"
chown "$USER_:$GROUP_" "$KT_TMP/state"

# Stand-ins for QEMU: a shell blocked opening a FIFO, -uuid in its cmdline.
stand_in() { # stand_in UUID [COMMAND PREFIX...]: sets PID
	local uuid=$1
	shift
	"$@" bash -c 'exec -a qemu-system-x86_64 bash -c "read -r _ < \"\$1\"" qemu "$1" -uuid "$2"' \
		sh "$KT_TMP/fifo" "$uuid" &
	PID=$!
	kt_pids+=("$PID")
}
stand_in "$U_ROOT"
P_ROOT=$PID
stand_in "$U_OWN" "${AS_USER[@]}"
P_OWN=$PID
kt_wait_for $((KT_PATIENCE * 10)) grep -q -- "-uuid" "/proc/$P_OWN/cmdline" || kt_bail "stand-in did not start"
kt_wait_for $((KT_PATIENCE * 10)) grep -q -- "-uuid" "/proc/$P_ROOT/cmdline" || kt_bail "stand-in did not start"

kt_start_snmpd
chmod 0666 "$KT_AGENTX"

# start_as CAPS [OPTIONS...]: the agent as the user, with the ambient
# capabilities CAPS ("" for none), on the real /proc and /sys; then a walk.
start_as() {
	local caps=$1 real=$KT_SUBAGENT t amb=""
	shift
	[ -n "$caps" ] && amb="--inh-caps $caps --ambient-caps $caps"
	printf '#!/bin/sh\nexec %s %s "%s" "$@"\n' "${AS_USER[*]}" "$amb" \
		"$KT_SUBAGENT" > "$KT_TMP/as-user"
	chmod +x "$KT_TMP/as-user"
	: > "$KT_TMP/subagent.log"
	KT_SUBAGENT=$KT_TMP/as-user
	kt_start_subagent -c "test://$KT_TMP/domains.xml" --procfs /proc \
		--sysfs /sys -f 1 ${QEMU_USER:+--qemu-user "$QEMU_USER"} "$@"
	KT_SUBAGENT=$real
	t=$(kt_time_until "$KT_PATIENCE" kt_wait_refresh 1 1) ||
		kt_bail "the agent does not serve: $(tail -5 "$KT_TMP/subagent.log")"
	echo "# first collection served after ${t}s"
	kt_wait_refresh 2 || kt_bail "no second collection"
	kt_bulkwalk "$KT_TMP/walk"
	kt_load "$KT_TMP/walk"
}
agent_creds() {
	grep -E '^(Uid|CapEff):' "/proc/$KT_SUBAGENT_PID/status" |
		tr -s '\t ' ' ' | tr '\n' ';'
}

QEMU_USER=$USER_
start_as ""
kt_is "$(agent_creds)" "Uid: 65534 65534 65534 65534;CapEff: 0000000000000000;" \
	"the agent runs as $USER_ without capabilities"
declare -A IX=()
for i in $(seq 1 20); do
	u=$(val "$R.1.2.1.2.$i")
	[ -n "$u" ] && IX[$u]=$i
done
kt_is "${#IX[@]}" 2 "the VM table has both domains"
A=${IX[$U_ROOT]:-x} B=${IX[$U_OWN]:-x}
VM=$R.1.2.1 CPU=$R.1.3.1 MEM=$R.1.4.1 IO=$R.1.7.1

# What root reads in /proc: the other threads' run time, vsize, RSS, io.
run_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { print s }'; }
stat_field() { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f$(($2 - 2)); }
io_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/io"; }
page=$(getconf PAGESIZE)

for p in "$A root $P_ROOT" "$B $USER_ $P_OWN"; do
	set -- $p
	check "$VM.5.$1" GAUGE "$3" "$2's stand-in: kvmtopVmPid found through the real /proc"
	kt_near "$(val "$CPU.4.$1")" "$(run_ns "$3")" 1000000 \
		"$2's stand-in: kvmtopVmCpuOtherTime from its schedstat (world-readable)"
	check "$CPU.11.$1" GAUGE 1 "$2's stand-in: kvmtopVmCpuOtherThreads"
	check "$MEM.3.$1" COUNTER64 "$(stat_field "$3" 23)" "$2's stand-in: kvmtopVmMemVsize from its stat"
	check "$MEM.4.$1" COUNTER64 $(($(stat_field "$3" 24) * page)) "$2's stand-in: kvmtopVmMemRss"
done

# /proc/PID/io of root's process: EACCES for nobody.
"${AS_USER[@]}" cat "/proc/$P_ROOT/io" >/dev/null 2>&1
kt_ok $((! $?)) "(the test's premise: $USER_ cannot read root's /proc/PID/io)"
for col in 1 2 3 4 5 6 7; do
	absent "$IO.$col.$A" "root's stand-in: kvmtopVmIoTable column $col"
done
check "$VM.6.$A" INTEGER 2 "root's stand-in: kvmtopVmDataValid false"
for p in "3 rchar" "5 syscr" "6 syscw"; do
	set -- $p
	check "$IO.$1.$B" COUNTER64 "$(io_field "$P_OWN" "$2")" \
		"$USER_'s stand-in: /proc/PID/io $2 served"
done
check "$VM.6.$B" INTEGER 1 "$USER_'s stand-in: kvmtopVmDataValid true"

# The host tables need no privilege; the DMI product UUID is root's.
check "$R.1.11.1.0" STRING "$(cat /proc/sys/kernel/hostname)" "kvmtopHostName"
if [ -r /sys/devices/virtual/dmi/id/product_uuid ]; then
	absent "$R.1.11.2.0" "kvmtopHostUuid (root-only product_uuid)"
else
	echo "ok $((kt_n += 1)) - kvmtopHostUuid absent # SKIP no DMI product_uuid here"
fi
! grep -E -q 'error:' "$KT_TMP/subagent.log"
kt_ok $? "no error in the agent's log"
grep -E 'warning|error' "$KT_TMP/subagent.log" | head -5 | sed 's/^/# /'
kt_stop_subagent

# Without --io, nothing the user cannot read is asked for: rows are valid.
start_as "" --cpu --mem --disk --net --host --psi
check "$VM.6.$A" INTEGER 1 "without --io: root's stand-in has kvmtopVmDataValid true"
kt_near "$(val "$CPU.4.$A")" "$(run_ns "$P_ROOT")" 1000000 \
	"without --io: root's stand-in's kvmtopVmCpuOtherTime"
absent "$IO.3.$A" "without --io: kvmtopVmIoRchar"
kt_stop_subagent

# The default QEMU users (root, libvirt-qemu) do not admit nobody's process.
QEMU_USER=
start_as "" --cpu
check "$VM.5.$B" GAUGE 0 "without --qemu-user $USER_: $USER_'s stand-in is refused (kvmtopVmPid 0)"
check "$VM.5.$A" GAUGE "$P_ROOT" "without --qemu-user $USER_: root's stand-in still served"
grep -q "warning: VM $U_OWN: process $P_OWN (uid 65534, euid 65534) carries its -uuid but is not root's or a QEMU user's (--qemu-user): refused" \
	"$KT_TMP/subagent.log"
kt_ok $? "without --qemu-user $USER_: the refusal is logged with its PID and owner"
kt_stop_subagent
QEMU_USER=$USER_

# The least privilege that reads another user's /proc/PID/io (0400, and a
# ptrace access check): CAP_DAC_READ_SEARCH with CAP_SYS_PTRACE.
start_as +dac_read_search,+sys_ptrace
kt_is "$(agent_creds)" "Uid: 65534 65534 65534 65534;CapEff: 0000000000080004;" \
	"the agent runs as $USER_ with CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE"
check "$IO.3.$A" COUNTER64 "$(io_field "$P_ROOT" rchar)" \
	"with the two capabilities: root's stand-in's io rchar served"
check "$VM.6.$A" INTEGER 1 "with the two capabilities: kvmtopVmDataValid true"
kt_stop_subagent
kt_done
