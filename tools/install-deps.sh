#!/bin/sh
# Installs everything kvmtop-snmp needs to build, run and test on Debian 12:
# the build tools, net-snmp and libvirt (libraries, daemons, clients; snmptrapd
# receives the notification tests' traps), QEMU,
# the kernel, busybox and cpio that the end-to-end tests build their guests
# from, smitools, and the npm packages of the tests (the net-snmp client and the
# standard SNMPv2 MIB files), and what builds and checks the Debian package
# (dpkg-dev, debhelper, lintian; groff for the man page; setpriv/capsh and
# systemd-analyze for the unit).  Run as root.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="autoconf automake libtool pkg-config make gcc clang libclang-rt-14-dev
 libsnmp-dev snmpd snmp snmptrapd smitools
 libvirt-dev libxml2-dev libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
 qemu-system-x86 qemu-utils
 busybox-static linux-image-amd64 kmod cpio
 python3 jq procps iproute2
 libncurses-dev tmux
 dpkg-dev debhelper build-essential fakeroot lintian groff-base libcap2-bin systemd strace"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# The machine image ships Node.js with npm; Debian's npm only where it lacks one.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
if [ ! -d tests/node_modules/net-snmp ]; then
	npm --prefix tests install --no-audit --no-fund --loglevel=error
fi
