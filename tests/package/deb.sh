#!/bin/bash
# The Debian package, end to end, as an admin would use it (a CI step of its
# own, .ci/run): the .deb built from a clean copy of the tree, lintian,
# `apt-get install ./...deb`, the stock Debian snmpd started from the stock
# /etc/snmp/snmpd.conf (plus the package's snippet) as its init script
# would start it, and the agent started as the installed unit would start it
# (its ExecStart, User=, Group=, capabilities and NoNewPrivileges, read from
# the unit; systemd is not PID 1 here).  A walk by name through the stock
# snmpd lists a real guest of a real libvirtd, with the values the same
# package's agent serves as root through a private snmpd.  Then upgrade,
# remove, reinstall (indexes kept) and purge (nothing left).
#
# Machine-wide: it installs and purges the package, starts snmpd on
# 127.0.0.1:161 and may restart libvirtd (read-only access for the package's
# user without polkit); all under the end-to-end lock, and put back on exit.
# Needs root; KT_SKIP_E2E=1 skips it.
. "$(dirname "$0")/../e2e/lib.sh"

PKG=kvmtop-snmp
AGENT_USER=kvmtop-snmp
UNIT=/lib/systemd/system/kvmtop-subagent.service
SNIPPET=/etc/snmp/snmpd.conf.d/kvmtop-snmp.conf
STATE=/var/lib/kvmtop-snmp
R=$KT_ROOT_OID
APT=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=900)

for c in dpkg-buildpackage:dpkg-dev dh:debhelper lintian:lintian \
	systemd-analyze:systemd setpriv:util-linux ss:iproute2; do
	command -v "${c%%:*}" >/dev/null ||
		kt_e2e_skip "${c%%:*} not found (Debian package ${c#*:})"
done
[ "${KT_SKIP_E2E:-0}" = 1 ] && kt_e2e_skip "KT_SKIP_E2E=1"
[ "$(id -u)" = 0 ] || kt_e2e_skip "not root (installs a package)"
grep -q '^includeDir */etc/snmp/snmpd.conf.d' /etc/snmp/snmpd.conf 2>/dev/null ||
	kt_e2e_skip "/etc/snmp/snmpd.conf is not Debian's stock file"

kt_e2e_setup
cd "$KT_TMP" || kt_bail "cd $KT_TMP"

# ---- what this test changes on the machine, and how it puts it back ----
STOCK_SNMPD_PID=""
AGENT_PID=""
AGENTX_DIR_NEW=0
LIBVIRTD_RESTART_PLAIN=0
deb_cleanup() {
	[ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null
	if [ -n "$STOCK_SNMPD_PID" ]; then
		kill "$STOCK_SNMPD_PID" 2>/dev/null
		wait "$STOCK_SNMPD_PID" 2>/dev/null
		rm -f /run/snmpd.pid
	fi
	dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -qE ' (installed|config-files)$' &&
		"${APT[@]}" purge "$PKG" >/dev/null 2>&1
	[ "$AGENTX_DIR_NEW" = 1 ] && rm -rf /var/agentx
	kt_e2e_cleanup
	# A libvirtd was running before: one runs after (ours was stopped).
	if [ "$LIBVIRTD_RESTART_PLAIN" = 1 ] && ! pgrep -u "$(id -u)" -x libvirtd >/dev/null; then
		rm -f /run/libvirtd.pid
		libvirtd -d </dev/null >/dev/null 2>&1
	fi
}
trap deb_cleanup EXIT

if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -qE ' (installed|config-files)$'; then
	echo "# $PKG is installed (a run killed before its cleanup?): purging it"
	"${APT[@]}" purge "$PKG" >/dev/null 2>&1 || kt_bail "cannot purge the installed $PKG"
fi
ss -Hlun 'sport = :161' | grep -q . && kt_bail "UDP port 161 is taken: another snmpd runs"
[ -e /var/agentx ] || AGENTX_DIR_NEW=1

# ---- build from a clean tree ----
# The tree's files as git knows them (tracked and new, not ignored), or
# every file but build output when it is no git checkout (make distcheck).
mkdir src
if git -C "$KT_SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$KT_SRCDIR" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 tar cf - 2>/dev/null) | tar -C src -xf - 2>/dev/null
else
	tar -C "$KT_SRCDIR" --exclude='./build*' --exclude=node_modules \
		--exclude=autom4te.cache --exclude=./configure --exclude=./Makefile.in \
		--exclude=./build-aux --exclude=./m4 --exclude=./aclocal.m4 \
		--exclude='./config.*' --exclude='*.o' -cf - . | tar -C src -xf -
fi
[ -f src/debian/control ] || kt_bail "no debian/ in the copied tree"
VERSION=$(cd src && dpkg-parsechangelog -S Version)
ARCH=$(dpkg --print-architecture)
DEB=$KT_TMP/${PKG}_${VERSION}_$ARCH.deb
t0=$(date +%s)
(cd src && dpkg-buildpackage -us -uc -b) > build.log 2>&1
kt_ok $? "dpkg-buildpackage -us -uc -b in a clean copy of the tree ($(($(date +%s) - t0)) s)"
[ -f "$DEB" ] || { tail -20 build.log | sed 's/^/#   /'; kt_bail "no $DEB"; }
kt_is "$VERSION" "$(sed -n 's/^AC_INIT(\[kvmtop-snmp\], \[\([^]]*\)\].*/\1/p' src/configure.ac)" \
	"debian/changelog's version is configure.ac's"

# ---- lintian: no error, and no warning not overridden (with a reason) ----
lintian --info "$KT_TMP/${PKG}_${VERSION}_$ARCH.changes" > lintian.log 2>&1
sed 's/^/# lintian: /' lintian.log | grep -v '^# lintian: N:' | head -20
kt_ok "$(grep -c '^E:' lintian.log)" "lintian: no error"
kt_ok "$(grep -c '^W:' lintian.log)" "lintian: no warning"

# ---- what the package holds ----
dpkg-deb -c "$DEB" | awk '{print substr($6, 2)}' > contents
for f in /usr/sbin/kvmtop-subagent /usr/share/snmp/mibs/KVMTOP-MIB.txt "$UNIT" \
	/usr/share/man/man8/kvmtop-subagent.8.gz /usr/bin/kvmtop-live /usr/share/man/man1/kvmtop-live.1.gz \
	/usr/share/doc/$PKG/README.md.gz \
	/usr/share/doc/$PKG/copyright "$SNIPPET" /usr/share/polkit-1/rules.d/60-kvmtop-snmp.rules; do
	grep -qx "$f" contents
	kt_ok $? "the package holds $f"
done
dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./conffiles > conffiles
kt_is "$(cat conffiles)" "$SNIPPET" "the snmpd snippet is its only conffile"

# ---- install beside the stock snmpd ----
"${APT[@]}" install "$DEB" > apt-install.log 2>&1
kt_ok $? "apt-get install ./$(basename "$DEB")" || sed 's/^/#   /' apt-install.log | tail -20
id -u "$AGENT_USER" >/dev/null 2>&1 || kt_bail "no user $AGENT_USER after the install"
uid=$(id -u "$AGENT_USER")
kt_ok $((uid >= 1000)) "$AGENT_USER is a system user (uid $uid)"
kt_is "$(id -gn "$AGENT_USER")" "$AGENT_USER" "its primary group is $AGENT_USER"
kt_is "$(getent passwd "$AGENT_USER" | cut -d: -f7)" /usr/sbin/nologin "it has no login shell"
kt_is "$(id -Gn "$AGENT_USER")" "$AGENT_USER" "it is in no other group (libvirt: read-only socket only)"
kt_is "$(stat -c '%U:%G %a' "$STATE")" "$AGENT_USER:$AGENT_USER 700" "$STATE is the user's, mode 0700"

# The installed unit: verify (the binary and the man page are there now)
# and its exposure.
systemd-analyze verify "$UNIT" > verify.log 2>&1
rc=$?
kt_is "$rc:$(cat verify.log)" "0:" "systemd-analyze verify $UNIT is silent"
sed 's/^/#   /' verify.log
exposure=$(systemd-analyze security --offline=true "$UNIT" 2>&1 |
	sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "# systemd-analyze security: exposure $exposure"
kt_ok "$(awk -v e="${exposure:-99}" 'BEGIN { print !(e <= 3.0) }')" \
	"systemd-analyze security: exposure ${exposure:-?} <= 3.0"

# Debian's init script would run: snmpd -LSwd -Lf /dev/null -u Debian-snmp
# -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -p /run/snmpd.pid
# (its systemd unit the same with -LOw -f); here in the foreground, logging
# to a file.
/usr/sbin/snmpd -LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf \
	-f -p /run/snmpd.pid > stock-snmpd.log 2>&1 &
STOCK_SNMPD_PID=$!
kt_wait_for $((KT_PATIENCE * 10)) snmpget -v2c -c public -t 1 -r 0 127.0.0.1 .1.3.6.1.2.1.1.1.0 ||
	kt_bail "the stock snmpd does not answer: $(tail -3 stock-snmpd.log)"
kt_wait_for $((KT_PATIENCE * 10)) test -S /var/agentx/master || kt_bail "no AgentX socket /var/agentx/master"
kt_is "$(stat -c '%G %a' /var/agentx/master)" "$AGENT_USER 660" \
	"the snippet's agentXPerms: /var/agentx/master is group $AGENT_USER's, 0660"

# ---- libvirt: read-only for the package's user ----
# libvirtd admits a user to its read-only socket through polkit (Debian's
# default: any local user; the package's rule: this user).  Without a
# system bus, as here, polkit cannot answer: libvirtd then runs with
# auth_unix_ro = "none", the other way an admin may choose.
ro_ok() {
	setpriv --reuid "$AGENT_USER" --regid "$AGENT_USER" --init-groups \
		virsh -r -c "$KT_E2E_URI" version
}
if ! kt_wait_for 1 ro_ok; then
	echo "# $AGENT_USER cannot use libvirt's read-only socket (no polkit here): libvirtd with auth_unix_ro = \"none\""
	old=$(pgrep -u "$(id -u)" -x libvirtd | head -1)
	if [ -n "$old" ]; then
		[ "$old" = "$KT_E2E_STARTED_LIBVIRTD" ] || LIBVIRTD_RESTART_PLAIN=1
		kt_e2e_stop_daemon "$old"
	fi
	printf 'auth_unix_ro = "none"\n' > libvirtd.conf
	rm -f /run/libvirtd.pid
	libvirtd -d -f "$KT_TMP/libvirtd.conf" </dev/null >/dev/null 2>&1 ||
		kt_bail "libvirtd does not start"
	kt_wait_for $((KT_PATIENCE * 10)) test -s /run/libvirtd.pid
	KT_E2E_STARTED_LIBVIRTD=$(cat /run/libvirtd.pid)
	kt_wait_for $((KT_PATIENCE * 10)) ro_ok || kt_bail "$AGENT_USER still cannot use libvirt read-only"
fi

# ---- the agent as the unit runs it ----
unit_value() { sed -n "s/^$1=//p" "$UNIT" | tail -n 1; }
caps_arg() { # "CAP_A CAP_B" -> "+a,+b"
	local c out=""
	for c in $1; do
		c=${c#CAP_}
		out="$out,+${c,,}"
	done
	echo "${out#,}"
}
EXEC=$(unit_value ExecStart)
U=$(unit_value User)
G=$(unit_value Group)
AMB=$(caps_arg "$(unit_value AmbientCapabilities)")
BND=$(caps_arg "$(unit_value CapabilityBoundingSet)")
NNP=$(unit_value NoNewPrivileges)
kt_is "$U:$G" "$AGENT_USER:$AGENT_USER" "the unit runs the agent as $AGENT_USER"
kt_is "$AMB/$BND" "+dac_read_search,+sys_ptrace/+dac_read_search,+sys_ptrace" \
	"the unit's ambient and bounding capabilities: CAP_DAC_READ_SEARCH CAP_SYS_PTRACE only"
# The unit's command line, logging to a file and collecting every second
# (the unit: syslog, every 5 s).
start_packaged() {
	local opt=()
	[ -n "$AMB" ] && opt+=(--inh-caps "$AMB" --ambient-caps "$AMB")
	opt+=(--bounding-set "-all${BND:+,$BND}")
	[ "$NNP" = yes ] && opt+=(--no-new-privs)
	(cd / && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$STATE" \
		setpriv --reuid "$U" --regid "$G" --init-groups "${opt[@]}" \
		-- $EXEC --log stderr -f 1) >> packaged.log 2>&1 &
	AGENT_PID=$!
}
stop_packaged() {
	kill -TERM "$AGENT_PID" 2>/dev/null
	wait "$AGENT_PID" 2>/dev/null
	local rc=$?
	AGENT_PID=""
	return $rc
}

# The same package's binary as root, on a private snmpd, for comparison.
KT_SUBAGENT=/usr/sbin/kvmtop-subagent
kt_start_snmpd
ROOT_PORT=$KT_PORT
# Another interval than the packaged agent's (1 s): their collections drift
# apart, so that neither keeps asking libvirt while the other's query of the
# same domain is under way (with one phase, one agent lost every time).
kt_start_subagent -c "$KT_E2E_URI" -f 1.7
start_packaged
# Both agents see the guest from its start (counters cumulative per VM).
kt_wait_for $((KT_PATIENCE * 10)) grep -q 'serving KVMTOP-MIB' packaged.log ||
	kt_bail "the packaged agent does not serve: $(tail -5 packaged.log)"
KT_PORT=161 kt_wait_refresh 1 ||
	kt_bail "no collection through the stock snmpd: $(tail -5 packaged.log)"
kt_wait_refresh 1 || kt_bail "the root agent does not serve: $(tail -5 "$KT_TMP/subagent.log")"

status_of() { grep -E "^$2:" "/proc/$1/status" | tr -s '\t ' ' '; }
kt_is "$(status_of "$AGENT_PID" Uid)" "Uid: $uid $uid $uid $uid" "the packaged agent runs as $AGENT_USER"
kt_is "$(status_of "$AGENT_PID" CapEff)" "CapEff: 0000000000080004" \
	"its effective capabilities: CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE only"
kt_is "$(status_of "$AGENT_PID" CapBnd)" "CapBnd: 0000000000080004" "its bounding set: the same two"
kt_is "$(status_of "$AGENT_PID" NoNewPrivs)" "NoNewPrivs: 1" "no new privileges"

G1=kt-e2e-pkg
kt_e2e_linux "$G1" disk 1 96 || kt_bail "$G1 not created"
kt_e2e_wait_boot "$G1" 180 || kt_bail "$G1 did not boot"
UUID=${KT_E2E_UUID[$G1]}
QPID=$(kt_e2e_qemu_pid "$G1")
echo "# $G1 (QEMU pid $QPID, owner $(stat -c %U "/proc/$QPID")) up after $(($(date +%s) - KT_E2E_T0)) s"

# The agent at KT_PORT completes one more collection than it had (it
# collects by itself, every --frequency).
next_refresh() {
	local n
	n=$(kt_get "$KT_ROOT_OID.1.1.9.0") || return 1
	kt_e2e_wait_count $((n + 1))
}

# ---- the walk an admin would do, by name, through the stock snmpd ----
# Debian ships no SNMPv2-SMI/TC/CONF: they come from a directory of copies
# (README: snmp-mibs-downloader, or copy them); KVMTOP-MIB itself must be
# found in the system MIB directory.
. "$KT_SRCDIR/tests/lib/mibdir.sh"
kt_std_mibdir "$KT_TMP/stdmibs" || kt_bail "no standard MIBs"
[ ! -e "$KT_TMP/stdmibs/KVMTOP-MIB.txt" ] || kt_bail "KVMTOP-MIB among the copies"
walk_by_name() {
	env -u MIBS snmpwalk -M "+$KT_TMP/stdmibs" -v2c -c public localhost \
		KVMTOP-MIB::kvmtopVmTable
}
for try in 1 2 3 4 5 6 7 8 9 10; do
	KT_PORT=161 next_refresh
	walk_by_name > walk.txt 2> walk.err
	grep -q "kvmtopVmName\.[0-9]* = STRING: \"*$G1" walk.txt && break
done
sed 's/^/#   /' walk.err | head -5
grep -q "^KVMTOP-MIB::kvmtopVmUuid\.[0-9]* = STRING: \"*$UUID" walk.txt
kt_ok $? "snmpwalk -v2c -c public localhost KVMTOP-MIB::kvmtopVmTable lists $G1's UUID"
IA=$(sed -n "s/^KVMTOP-MIB::kvmtopVmUuid\.\([0-9]*\) = STRING: \"*$UUID.*/\1/p" walk.txt)
grep -q "^KVMTOP-MIB::kvmtopVmName\.$IA = STRING: \"*$G1\"*\$" walk.txt
kt_ok $? "... and its name, by name (the MIB found in /usr/share/snmp/mibs)"
grep -q "^KVMTOP-MIB::kvmtopVmPid\.$IA = .*\b$QPID\$" walk.txt
kt_ok $? "... and its QEMU pid $QPID"
sed -n "/\.$IA = /s/^/#   /p" walk.txt

# ---- the same values as the root agent ----
# Counters: the packaged agent's before <= root's <= the packaged agent's
# after, each read two collections after the one before was read (so that
# its collection read /proc and libvirt later).  The rest: equal.
KT_PORT=$ROOT_PORT kt_e2e_indexes
IB=${KT_IDX[$UUID]:-}
[ -n "$IA" ] && [ -n "$IB" ] || kt_bail "no index for $G1 (packaged '$IA', root '$IB')"
COUNTERS="1.3.1.2 1.3.1.3 1.3.1.4 1.3.1.5 1.4.1.5 1.4.1.6 1.4.1.7 1.4.1.8
 1.5.1.5 1.5.1.6 1.5.1.7 1.5.1.8 1.5.1.9 1.5.1.10 1.5.1.11 1.5.1.12 1.5.1.13
 1.6.1.2 1.6.1.3 1.6.1.6 1.6.1.7 1.7.1.1 1.7.1.2 1.7.1.3 1.7.1.4 1.7.1.5 1.7.1.6 1.7.1.7"
VCPU_COUNTERS="1.8.1.4 1.8.1.5"
EQUAL="1.2.1.2 1.2.1.3 1.2.1.4 1.2.1.5 1.2.1.6 1.3.1.1 1.3.1.10 1.4.1.1 1.4.1.2
 1.5.1.1 1.5.1.2 1.6.1.1"
declare -A NAME=([1.3.1.2]=kvmtopVmCpuTime [1.3.1.3]=kvmtopVmCpuStealTime
	[1.3.1.4]=kvmtopVmCpuOtherTime [1.3.1.5]=kvmtopVmCpuOtherStealTime
	[1.4.1.5]=kvmtopVmMemMinflt [1.4.1.6]=kvmtopVmMemCminflt [1.4.1.7]=kvmtopVmMemMajflt
	[1.4.1.8]=kvmtopVmMemCmajflt [1.5.1.5]=kvmtopVmDiskRdBytes [1.5.1.6]=kvmtopVmDiskRdReqs
	[1.5.1.7]=kvmtopVmDiskRdTime [1.5.1.8]=kvmtopVmDiskWrBytes [1.5.1.9]=kvmtopVmDiskWrReqs
	[1.5.1.10]=kvmtopVmDiskWrTime [1.5.1.11]=kvmtopVmDiskFlushReqs [1.5.1.12]=kvmtopVmDiskFlushTime
	[1.5.1.13]=kvmtopVmDiskDelayBlkio [1.6.1.2]=kvmtopVmNetRxBytes [1.6.1.3]=kvmtopVmNetRxPackets
	[1.6.1.6]=kvmtopVmNetTxBytes [1.6.1.7]=kvmtopVmNetTxPackets [1.7.1.1]=kvmtopVmIoReadBytes
	[1.7.1.2]=kvmtopVmIoWriteBytes [1.7.1.3]=kvmtopVmIoRchar [1.7.1.4]=kvmtopVmIoWchar
	[1.7.1.5]=kvmtopVmIoSyscr [1.7.1.6]=kvmtopVmIoSyscw [1.7.1.7]=kvmtopVmIoCancelledWriteBytes
	[1.8.1.4]="kvmtopVcpuRunTime (vCPU 0)" [1.8.1.5]="kvmtopVcpuStealTime (vCPU 0)"
	[1.2.1.2]=kvmtopVmUuid [1.2.1.3]=kvmtopVmName [1.2.1.4]=kvmtopVmState [1.2.1.5]=kvmtopVmPid
	[1.2.1.6]=kvmtopVmDataValid [1.3.1.1]=kvmtopVmCpuCores [1.3.1.10]=kvmtopVmCpuThreads
	[1.4.1.1]=kvmtopVmMemTotal [1.4.1.2]=kvmtopVmMemUsed [1.5.1.1]=kvmtopVmDiskCount
	[1.5.1.2]=kvmtopVmDiskCapacity [1.6.1.1]=kvmtopVmNetCount)
oids_for() { # INDEX: the OIDs of every compared column
	local c
	for c in $COUNTERS $EQUAL; do echo "$R.$c.$1"; done
	for c in $VCPU_COUNTERS; do echo "$R.$c.$1.1"; done
	echo "$R.1.11.2.0"
}
declare -A A1 B A2
# Two agents asking one libvirtd: the bulk statistics skip a domain whose
# monitor the other one is querying (VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT)
# and the agent marks that collection's row invalid; such a GET is taken
# again (after two more collections, which keeps the order).  The two
# intervals differ (1 and 1.7 s) so that this does not last.
fetch() { # PORT INDEX ARRAY: one GET, two collections after the call
	local -n into=$3
	local c tries=30
	while :; do
		KT_PORT=$1 next_refresh && KT_PORT=$1 next_refresh || return 1
		KT_PORT=$1 kt_e2e_getmany $(oids_for "$2")
		[ "${KT_V[$R.1.2.1.6.$2]:-}" = 1 ] && break
		tries=$((tries - 1))
		[ $tries -gt 0 ] || break
		echo "# port $1: kvmtopVmDataValid.$2 is '${KT_V[$R.1.2.1.6.$2]:-}' (a busy domain skipped?); again"
	done
	into=()
	for c in $COUNTERS $EQUAL; do into[$R.$c]=${KT_V[$R.$c.$2]:-}; done
	for c in $VCPU_COUNTERS; do into[$R.$c]=${KT_V[$R.$c.$2.1]:-}; done
	into[host]=${KT_V[$R.1.11.2.0]:-}
}
fetch 161 "$IA" A1 && fetch "$ROOT_PORT" "$IB" B && fetch 161 "$IA" A2 ||
	kt_bail "collections stopped"
for c in $COUNTERS $VCPU_COUNTERS; do
	k=$R.$c
	if [ -z "${B[$k]:-}" ]; then # e.g. kvmtopVmDiskDelayBlkio without delay accounting
		kt_is "${A1[$k]:-}${A2[$k]:-}" "" "${NAME[$c]}: no instance, as the root agent has none"
	elif [ -n "${A1[$k]:-}" ] && [ -n "${B[$k]:-}" ] && [ -n "${A2[$k]:-}" ] &&
		[ "${A1[$k]}" -le "${B[$k]}" ] && [ "${B[$k]}" -le "${A2[$k]}" ]; then
		kt_ok 0 "${NAME[$c]}: packaged ${A1[$k]} <= root ${B[$k]} <= packaged ${A2[$k]}"
	else
		kt_ok 1 "${NAME[$c]}: packaged '${A1[$k]:-}' <= root '${B[$k]:-}' <= packaged '${A2[$k]:-}'"
	fi
done
for c in $EQUAL; do
	k=$R.$c
	kt_is "${A2[$k]:-absent}" "${B[$k]:-absent}" "${NAME[$c]}: packaged = root (${B[$k]:-})"
done
if [ -r /sys/devices/virtual/dmi/id/product_uuid ]; then
	kt_is "${A2[host]:-absent}" "${B[host]:-absent}" "kvmtopHostUuid (root-only product_uuid): packaged = root"
fi
kt_is "${A2[$R.1.2.1.6]:-}" 1 "kvmtopVmDataValid true: the packaged agent read all it reads as root"
! grep -q 'error' packaged.log
kt_ok $? "no error in the packaged agent's log"
grep -iE 'error|warn' packaged.log | head -5 | sed 's/^/#   /'

# ---- upgrade (the same version again): the state file stays ----
kt_wait_for $((KT_PATIENCE * 10)) test -s "$STATE/vm-index" || kt_bail "no $STATE/vm-index"
sum=$(md5sum < "$STATE/vm-index")
"${APT[@]}" install --reinstall "$DEB" > apt-reinstall.log 2>&1
kt_ok $? "apt-get install --reinstall ./$(basename "$DEB")"
kt_is "$(md5sum < "$STATE/vm-index" 2>/dev/null)" "$sum" "the upgrade keeps $STATE/vm-index as it was"

# ---- remove: stops the agent, keeps the indexes ----
"${APT[@]}" remove "$PKG" > apt-remove.log 2>&1
kt_ok $? "apt-get remove $PKG"
alive() { local s; s=$(ps -o stat= -p "$1") && [[ $s != Z* ]]; }
kt_wait_for $((KT_PATIENCE * 10)) eval '! alive "$AGENT_PID"'
kt_ok $? "the removal stopped the agent (prerm, no systemd here)"
wait "$AGENT_PID" 2>/dev/null
AGENT_PID=""
test -s "$STATE/vm-index"
kt_ok $? "remove keeps $STATE/vm-index"
kt_ok $(test -f "$SNIPPET"; echo $?) "remove keeps the snippet (a conffile)"
kt_ok $(test ! -e /usr/sbin/kvmtop-subagent; echo $?) "remove takes the binary"

# ---- reinstall: the guest keeps its index ----
"${APT[@]}" install "$DEB" > apt-install2.log 2>&1
kt_ok $? "apt-get install ./$(basename "$DEB") again"
start_packaged
KT_PORT=161 kt_wait_refresh 2 || kt_bail "the reinstalled agent does not serve: $(tail -3 packaged.log)"
KT_PORT=161 kt_e2e_indexes
kt_is "${KT_IDX[$UUID]:-none}" "$IA" "after remove and reinstall, $G1 keeps kvmtopVmIndex $IA"
stop_packaged
kt_is $? 0 "the packaged agent exits 0 on SIGTERM"

# ---- purge: nothing left but what policy allows ----
"${APT[@]}" purge "$PKG" > apt-purge.log 2>&1
kt_ok $? "apt-get purge $PKG"
kt_ok $(dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -qE ' (installed|config-files)$'; echo $((! $?))) \
	"dpkg knows nothing of $PKG"
kt_ok $(getent passwd "$AGENT_USER" >/dev/null; echo $((! $?))) "purge removes the user"
kt_ok $(getent group "$AGENT_USER" >/dev/null; echo $((! $?))) "purge removes the group"
kt_ok $(test ! -e "$STATE"; echo $?) "purge removes $STATE"
left=""
while read -r f; do
	[ -n "$f" ] && [ "$f" != / ] || continue
	[ -e "$f" ] || [ -L "$f" ] || continue
	# A directory may stay when another package owns it, or when it is
	# a symlink of the merged /usr (/lib).
	[ -d "$f" ] && { [ -L "$f" ] || dpkg-query -S "$f" >/dev/null 2>&1; } && continue
	left="$left $f"
done < <(sed 's|/$||' contents)
kt_is "${left# }" "" "no file or directory of the package left (those of other packages stay)"
left=$(find /etc/systemd /var/lib/systemd/deb-systemd-helper-enabled \
	/var/lib/systemd/deb-systemd-helper-masked -name '*kvmtop*' 2>/dev/null | tr '\n' ' ')
kt_is "$left" "" "no systemd enablement left"
kt_ok $(ls /var/lib/dpkg/info/"$PKG".* >/dev/null 2>&1; echo $((! $?))) "no dpkg info files left"

kt_stop_subagent
kt_e2e_done
