#!/bin/sh
# Regenerates snmp.yml (module kvmtop) from generator.yml and KVMTOP-MIB with
# Debian's prometheus-snmp-generator, then gives the lookup labels short
# names: vm_name, vm_uuid, device (disks and interfaces), field (host memory).
#   contrib/snmp_exporter/generate.sh [OUTPUT]   (default: snmp.yml here)
# The standard SNMPv2 MIB modules come from the npm net-snmp package
# (tests/lib/mibdir.sh), or from snmp-mibs-downloader in /usr/share/snmp/mibs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$here/snmp.yml}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
KT_SRCDIR=$top
. "$top/tests/lib/mibdir.sh"
kt_std_mibdir "$tmp/mibs" || echo "generate.sh: trying /usr/share/snmp/mibs alone" >&2
cp "$here/generator.yml" "$tmp/"
(cd "$tmp" && MIBDIRS="$top/mibs:$tmp/mibs:/usr/share/snmp/mibs" \
	prometheus-snmp-generator --log.level=warn generate -o "$tmp/snmp.yml")
sed -e 's/^\( *labelname:\) kvmtopVmName$/\1 vm_name/' \
	-e 's/^\( *labelname:\) kvmtopVmUuid$/\1 vm_uuid/' \
	-e 's/^\( *labelname:\) kvmtop\(VmBlk\|VmIf\|HostDisk\|HostNet\)Name$/\1 device/' \
	-e 's/^\( *labelname:\) kvmtopHostMemName$/\1 field/' "$tmp/snmp.yml" >"$out"
