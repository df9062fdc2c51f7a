#!/bin/bash
# Quick start: installs the dependencies, builds kvmtop-subagent, starts a
# private snmpd (UDP 127.0.0.1:11161, AgentX socket in a temporary
# directory) with the subagent attached, and walks KVMTOP-MIB by name.
#
# The subagent watches the local hypervisor (qemu:///system) when libvirtd
# answers there; otherwise it shows the bundled test-driver domains and
# procfs fixture (tests/fixtures/basic).  Everything it started is stopped
# at the end; with --keep, snmpd and the subagent keep running.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
keep=no
[ "${1:-}" = "--keep" ] && keep=yes

./tools/install-deps.sh
[ -x configure ] || ./autogen.sh
mkdir -p build
if [ ! -f build/Makefile ]; then (cd build && "$top/configure" -q); fi
make -C build -j2 >/dev/null

run=$(mktemp -d /tmp/kvmtop-quickstart.XXXXXX)
port=11161
cat > "$run/snmpd.conf" <<CONF
agentAddress udp:127.0.0.1:$port
master agentx
agentXSocket unix:$run/agentx.sock
rocommunity public 127.0.0.1
CONF
PATH=$PATH:/usr/sbin
SNMP_PERSISTENT_DIR=$run MIBS="" snmpd -C -c "$run/snmpd.conf" -Lf "$run/snmpd.log" -p "$run/snmpd.pid"

if virsh -r -c qemu:///system list >/dev/null 2>&1; then
	set -- -c qemu:///system
	echo "quickstart: watching the local hypervisor (qemu:///system)"
else
	fixture=$top/tests/fixtures/basic
	set -- -c "test://$fixture/domains.xml" --procfs "$fixture/proc" --sysfs "$fixture/sys"
	echo "quickstart: no libvirtd at qemu:///system; showing the bundled test-driver domains"
fi
build/kvmtop-subagent -x "unix:$run/agentx.sock" --state-dir "$run/state" \
	-f 1 --log stderr "$@" 2>"$run/subagent.log"
# The first rates need two collections.
sleep 3

mibs=$run/mibs
mkdir -p "$mibs"
. tests/lib/mibdir.sh
kt_std_mibdir "$mibs"
snmpwalk -v2c -c public -M "$mibs:/usr/share/snmp/mibs:$top/mibs" -m KVMTOP-MIB \
	"127.0.0.1:$port" KVMTOP-MIB::kvmtopMIB

if [ "$keep" = yes ]; then
	echo "quickstart: snmpd (udp 127.0.0.1:$port) and kvmtop-subagent keep running; files in $run"
else
	pkill -F "$run/snmpd.pid" || true
	pkill -f "kvmtop-subagent -x unix:$run/agentx.sock" || true
	rm -rf "$run"
fi
