#!/bin/sh
#
# KVMTOP-MIB checked by tools that did not write it (TAP output):
#  - smilint -l 6 says nothing about it (and does complain about a copy
#    that we break on purpose, so a silent smilint means something);
#  - every node of the object plan that is not a readable object (tables,
#    entries, indexes, notifications and their objects, groups) resolves
#    with snmptranslate to the OID, syntax, UNITS and access written down
#    below, and the module defines no such node that is not in that list;
#    the readable objects (every column and scalar the agent serves) are
#    held against their descriptors, both ways, by
#    tests/unit/test_columns_mib;
#  - index ranges, enumerations and the INDEX clause of every table are
#    the planned ones;
#  - no object is writable;
#  - every readable object is a member of an OBJECT-GROUP, and smilint
#    notices a group left out of the compliance statement.
#
# The expected values are typed in by hand below (the object plan), not
# read back from the MIB: change them only together with the MIB.  A new
# column or scalar is not in this file: its descriptor is its plan.
#
# Needs smilint (Debian: smitools), snmptranslate (Debian: snmp) and the
# npm package net-snmp for SNMPv2-SMI/TC/CONF (npm --prefix tests install).

here=$(cd "$(dirname "$0")" && pwd)
KT_SRCDIR=${KT_SRCDIR:-$(cd "$here/../.." && pwd)}
export KT_SRCDIR
mib=$KT_SRCDIR/mibs/KVMTOP-MIB.txt

n=0
failed=0
ok()
{
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok()
{
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
}
# diag FILE: show a tool's output as TAP comments
diag()
{
	sed 's/^/# /' "$1"
}
finish()
{
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit $?
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kt-mib-lint.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
# Keep net-snmp away from the user's and the system's configuration and
# persistent directory: only the modules named on the command line count.
SNMPCONFPATH=$tmp/snmpconf
SNMP_PERSISTENT_DIR=$tmp/persist
MIBS=
MIBDIRS=
LC_ALL=C
export SNMPCONFPATH SNMP_PERSISTENT_DIR MIBS MIBDIRS LC_ALL
# (created beforehand, or the first snmptranslate says it created them)
mkdir -p "$SNMP_PERSISTENT_DIR/cert_indexes" "$SNMPCONFPATH"

# ---- the tools and the standard modules ----------------------------------

have_smilint=no
if command -v smilint >/dev/null 2>&1; then
	have_smilint=yes
	ok "smilint is installed"
else
	not_ok "smilint is not installed (Debian package: smitools)"
fi
have_translate=no
if command -v snmptranslate >/dev/null 2>&1; then
	have_translate=yes
	ok "snmptranslate is installed"
else
	not_ok "snmptranslate is not installed (Debian package: snmp)"
fi

. "$KT_SRCDIR/tests/lib/mibdir.sh"
if kt_std_mibdir "$tmp/std" 2>"$tmp/err"; then
	ok "SNMPv2-SMI/TC/CONF copied from npm net-snmp"
else
	not_ok "SNMPv2-SMI/TC/CONF copied from npm net-snmp"
	diag "$tmp/err"
	finish
fi
if [ -f "$mib" ]; then
	ok "mibs/KVMTOP-MIB.txt exists"
else
	not_ok "mibs/KVMTOP-MIB.txt exists"
	finish
fi
stdpath=$tmp/std:/usr/share/snmp/mibs

# ---- (a) smilint ------------------------------------------------------------

# lint FILE OUT: smilint exits 0 even on errors; its output is the verdict.
lint()
{
	SMIPATH="$stdpath:$(dirname "$1")" smilint -l 6 -s "$1" >"$2" 2>&1
}

if [ "$have_smilint" = yes ]; then
	if lint "$mib" "$tmp/lint" && [ ! -s "$tmp/lint" ]; then
		ok "smilint -l 6 reports nothing"
	else
		not_ok "smilint -l 6 reports nothing"
		diag "$tmp/lint"
	fi

	# Negative control: an object dropped from its group must be
	# reported, or the silence above proves nothing.
	mkdir -p "$tmp/broken"
	sed '/^ *kvmtopVmCpuSteal,$/d' "$mib" >"$tmp/broken/KVMTOP-MIB.txt"
	lint "$tmp/broken/KVMTOP-MIB.txt" "$tmp/lint2"
	if grep -q kvmtopVmCpuSteal "$tmp/lint2"; then
		ok "smilint reports an object missing from every group"
	else
		not_ok "smilint reports an object missing from every group"
		diag "$tmp/lint2"
	fi

	# Negative control: a group that the compliance statement does not
	# name must be reported too (the collectors' groups are conditional).
	awk '/^ *GROUP *kvmtopHostPsiGroup$/ { skip = 1; next }
	    skip && /^ *GROUP / { skip = 0 }
	    skip && /::=/ { skip = 0 }
	    !skip' "$mib" >"$tmp/broken/KVMTOP-MIB.txt"
	lint "$tmp/broken/KVMTOP-MIB.txt" "$tmp/lint3"
	if grep -q "group .kvmtopHostPsiGroup. is not referenced" "$tmp/lint3"; then
		ok "smilint reports a group missing from the compliance"
	else
		not_ok "smilint reports a group missing from the compliance"
		diag "$tmp/lint3"
	fi
fi

[ "$have_translate" = yes ] || finish

# ---- (b) every planned node resolves to the planned OID and type ----------

# name|numeric OID|syntax (TC name, else base type)|UNITS|MAX-ACCESS
# R = .1.3.6.1.4.1.8072.9999.9999 (netSnmpPlaypen); "-": no such clause.
R=.1.3.6.1.4.1.8072.9999.9999
cat >"$tmp/expected" <<EOF
kvmtopMIB|$R|-|-|-
kvmtopNotifications|$R.0|-|-|-
kvmtopObjects|$R.1|-|-|-
kvmtopAgent|$R.1.1|-|-|-
kvmtopVmTable|$R.1.2|-|-|not-accessible
kvmtopVmEntry|$R.1.2.1|-|-|not-accessible
kvmtopVmIndex|$R.1.2.1.1|Unsigned32|-|not-accessible
kvmtopVmCpuTable|$R.1.3|-|-|not-accessible
kvmtopVmCpuEntry|$R.1.3.1|-|-|not-accessible
kvmtopVmMemTable|$R.1.4|-|-|not-accessible
kvmtopVmMemEntry|$R.1.4.1|-|-|not-accessible
kvmtopVmDiskTable|$R.1.5|-|-|not-accessible
kvmtopVmDiskEntry|$R.1.5.1|-|-|not-accessible
kvmtopVmNetTable|$R.1.6|-|-|not-accessible
kvmtopVmNetEntry|$R.1.6.1|-|-|not-accessible
kvmtopVmIoTable|$R.1.7|-|-|not-accessible
kvmtopVmIoEntry|$R.1.7.1|-|-|not-accessible
kvmtopVcpuTable|$R.1.8|-|-|not-accessible
kvmtopVcpuEntry|$R.1.8.1|-|-|not-accessible
kvmtopVcpuIndex|$R.1.8.1.1|Unsigned32|-|not-accessible
kvmtopVmBlkTable|$R.1.9|-|-|not-accessible
kvmtopVmBlkEntry|$R.1.9.1|-|-|not-accessible
kvmtopVmBlkIndex|$R.1.9.1.1|Unsigned32|-|not-accessible
kvmtopVmIfTable|$R.1.10|-|-|not-accessible
kvmtopVmIfEntry|$R.1.10.1|-|-|not-accessible
kvmtopVmIfIndex|$R.1.10.1.1|Unsigned32|-|not-accessible
kvmtopHost|$R.1.11|-|-|-
kvmtopHostMemTable|$R.1.12|-|-|not-accessible
kvmtopHostMemEntry|$R.1.12.1|-|-|not-accessible
kvmtopHostMemIndex|$R.1.12.1.1|Unsigned32|-|not-accessible
kvmtopHostDiskTable|$R.1.13|-|-|not-accessible
kvmtopHostDiskEntry|$R.1.13.1|-|-|not-accessible
kvmtopHostDiskIndex|$R.1.13.1.1|Unsigned32|-|not-accessible
kvmtopHostNetTable|$R.1.14|-|-|not-accessible
kvmtopHostNetEntry|$R.1.14.1|-|-|not-accessible
kvmtopHostNetIfIndex|$R.1.14.1.1|Unsigned32|-|not-accessible
kvmtopHostPsiTable|$R.1.15|-|-|not-accessible
kvmtopHostPsiEntry|$R.1.15.1|-|-|not-accessible
kvmtopHostPsiResource|$R.1.15.1.1|INTEGER|-|not-accessible
kvmtopHostPsiKind|$R.1.15.1.2|INTEGER|-|not-accessible
kvmtopNotify|$R.1.16|-|-|-
kvmtopNotifyPreviousState|$R.1.16.8|INTEGER|-|accessible-for-notify
kvmtopNotifyReason|$R.1.16.9|INTEGER|-|accessible-for-notify
kvmtopVmStateChange|$R.0.1|-|-|-
kvmtopVmStealHigh|$R.0.2|-|-|-
kvmtopVmStealNormal|$R.0.3|-|-|-
kvmtopLibvirtLost|$R.0.4|-|-|-
kvmtopLibvirtRestored|$R.0.5|-|-|-
kvmtopConformance|$R.2|-|-|-
kvmtopCompliances|$R.2.1|-|-|-
kvmtopCompliance|$R.2.1.1|-|-|-
kvmtopGroups|$R.2.2|-|-|-
kvmtopAgentGroup|$R.2.2.1|-|-|-
kvmtopVmGroup|$R.2.2.2|-|-|-
kvmtopVmCpuGroup|$R.2.2.3|-|-|-
kvmtopVmMemGroup|$R.2.2.4|-|-|-
kvmtopVmDiskGroup|$R.2.2.5|-|-|-
kvmtopVmNetGroup|$R.2.2.6|-|-|-
kvmtopVmIoGroup|$R.2.2.7|-|-|-
kvmtopVcpuGroup|$R.2.2.8|-|-|-
kvmtopVmBlkGroup|$R.2.2.9|-|-|-
kvmtopVmIfGroup|$R.2.2.10|-|-|-
kvmtopHostGroup|$R.2.2.11|-|-|-
kvmtopHostMemGroup|$R.2.2.12|-|-|-
kvmtopHostDiskGroup|$R.2.2.13|-|-|-
kvmtopHostNetGroup|$R.2.2.14|-|-|-
kvmtopHostPsiGroup|$R.2.2.15|-|-|-
kvmtopNotifyGroup|$R.2.2.16|-|-|-
kvmtopNotificationGroup|$R.2.2.17|-|-|-
EOF

translate()
{
	snmptranslate -M "$stdpath:$KT_SRCDIR/mibs" -m KVMTOP-MIB "$@"
}

# describe NAME: "syntax|units|access" from snmptranslate -Td, in the
# notation of the expected list.  Only the clauses before DESCRIPTION count.
describe()
{
	translate -Td "KVMTOP-MIB::$1" 2>/dev/null | awk -F '\t+' '
		/^  DESCRIPTION/ { exit }
		/^  -- TEXTUAL CONVENTION / { tc = $0; sub(/.* /, "", tc) }
		/^  SYNTAX\t/ { split($2, w, /[ ({]/); syn = w[1] }
		/^  UNITS\t/ { u = $2; gsub(/"/, "", u) }
		/^  MAX-ACCESS\t/ { acc = $2 }
		END {
			s = tc != "" ? tc : syn
			printf "%s|%s|%s\n", s != "" ? s : "-", \
			    u != "" ? u : "-", acc != "" ? acc : "-"
		}'
}

while IFS='|' read -r name oid syn units acc; do
	got=$(translate -On "KVMTOP-MIB::$name" 2>&1)
	if [ "$got" = "$oid" ]; then
		ok "$name is $oid"
	else
		not_ok "$name is $oid"
		echo "# snmptranslate: $got"
	fi
	want="$syn|$units|$acc"
	got=$(describe "$name")
	if [ "$got" = "$want" ]; then
		ok "$name: syntax|units|access is $want"
	else
		not_ok "$name: syntax|units|access is $want"
		echo "# snmptranslate -Td: $got"
	fi
done <"$tmp/expected"

# Details the base type alone does not show.
check_syntax()
{
	got=$(translate -Td "KVMTOP-MIB::$1" 2>/dev/null |
	    sed -n 's/^  SYNTAX[[:space:]]*//p' | sed 's/ *$//')
	if [ "$got" = "$2" ]; then
		ok "$1 SYNTAX is $2"
	else
		not_ok "$1 SYNTAX is $2"
		echo "# snmptranslate -Td: $got"
	fi
}
check_syntax kvmtopVmIndex 'Unsigned32 (1..4294967295)'
check_syntax kvmtopVmUuid 'OCTET STRING (36)'
check_syntax kvmtopVmState 'INTEGER {unknown(1), other(2), preparing(3), running(4), suspending(5), suspended(6), resuming(7), paused(8), migrating(9), shuttingdown(10), shutdown(11), crashed(12)}'
check_syntax kvmtopVcpuIndex 'Unsigned32 (1..4096)'
check_syntax kvmtopVcpuNumber 'Gauge32 (0..4095)'
check_syntax kvmtopVmBlkIndex 'Unsigned32 (1..4294967295)'
check_syntax kvmtopVmIfIndex 'Unsigned32 (1..4294967295)'
check_syntax kvmtopVmIfMac 'OCTET STRING (17)'
check_syntax kvmtopVmIfHostIfIndex 'Unsigned32 (0..2147483647)'
check_syntax kvmtopHostMemIndex 'Unsigned32 (1..47)'
check_syntax kvmtopHostDiskIndex 'Unsigned32 (1..4294967295)'
check_syntax kvmtopHostNetIfIndex 'Unsigned32 (1..2147483647)'
check_syntax kvmtopHostNetType 'INTEGER {physical(1), bridge(2), tap(3), other(4)}'
check_syntax kvmtopHostPsiResource 'INTEGER {cpu(1), io(2), memory(3)}'
check_syntax kvmtopHostPsiKind 'INTEGER {some(1), full(2)}'
check_syntax kvmtopNotifyPreviousState 'INTEGER {unknown(1), other(2), preparing(3), running(4), suspending(5), suspended(6), resuming(7), paused(8), migrating(9), shuttingdown(10), shutdown(11), crashed(12)}'
check_syntax kvmtopNotifyReason 'INTEGER {other(1), defined(2), updated(3), undefined(4), booted(5), migrated(6), restored(7), fromSnapshot(8), wakeup(9), paused(10), ioError(11), watchdog(12), apiError(13), unpaused(14), shutdown(15), destroyed(16), crashed(17), saved(18), failed(19), shuttingDown(20), pmSuspended(21), panicked(22), foundAtReconnect(23), renamed(24), postcopy(25)}'

# The INDEX clause of every conceptual row: per-VM tables by the VM index,
# per-device tables by (VM index, device index), host tables by their own.
check_index()
{
	got=$(translate -Td "KVMTOP-MIB::$1" 2>/dev/null |
	    sed -n 's/^  INDEX[[:space:]]*{ *\(.*[^ ]\) *}.*/\1/p')
	if [ "$got" = "$2" ]; then
		ok "$1 INDEX is { $2 }"
	else
		not_ok "$1 INDEX is { $2 }"
		echo "# snmptranslate -Td: $got"
	fi
}
check_index kvmtopVmEntry 'kvmtopVmIndex'
check_index kvmtopVmCpuEntry 'kvmtopVmIndex'
check_index kvmtopVmMemEntry 'kvmtopVmIndex'
check_index kvmtopVmDiskEntry 'kvmtopVmIndex'
check_index kvmtopVmNetEntry 'kvmtopVmIndex'
check_index kvmtopVmIoEntry 'kvmtopVmIndex'
check_index kvmtopVcpuEntry 'kvmtopVmIndex, kvmtopVcpuIndex'
check_index kvmtopVmBlkEntry 'kvmtopVmIndex, kvmtopVmBlkIndex'
check_index kvmtopVmIfEntry 'kvmtopVmIndex, kvmtopVmIfIndex'
check_index kvmtopHostMemEntry 'kvmtopHostMemIndex'
check_index kvmtopHostDiskEntry 'kvmtopHostDiskIndex'
check_index kvmtopHostNetEntry 'kvmtopHostNetIfIndex'
check_index kvmtopHostPsiEntry 'kvmtopHostPsiResource, kvmtopHostPsiKind'

# The reverse: the module defines nothing the plan does not list, but for
# the readable objects (test_columns_mib: each has its descriptor).
translate -Tz 2>/dev/null | sed -n 's/^"\(kvmtop[^"]*\)".*/\1/p' |
    sort >"$tmp/defined"
: >"$tmp/readable"
while read -r name; do
	translate -Td "KVMTOP-MIB::$name" 2>/dev/null |
	    grep -q '^  MAX-ACCESS	read-' && echo "$name" >>"$tmp/readable"
done <"$tmp/defined"
comm -23 "$tmp/defined" "$tmp/readable" >"$tmp/defined-other"
cut -d'|' -f1 "$tmp/expected" | sort >"$tmp/planned"
if [ -s "$tmp/defined-other" ] && [ -s "$tmp/readable" ] &&
    cmp -s "$tmp/defined-other" "$tmp/planned"; then
	ok "the module defines exactly the planned nodes, besides the readable objects"
else
	not_ok "the module defines exactly the planned nodes, besides the readable objects"
	comm -3 "$tmp/planned" "$tmp/defined-other" | sed \
	    -e 's/^\t\(.*\)/# defined, not planned: \1/' \
	    -e 's/^\([^#].*\)/# planned, not defined: \1/'
fi

# ---- (c) nothing is writable ------------------------------------------------

# Every MAX-ACCESS clause must say read-only or not-accessible (or
# accessible-for-notify: objects that only notifications carry).
grep -n 'MAX-ACCESS' "$mib" >"$tmp/access"
if [ ! -s "$tmp/access" ]; then
	not_ok "every MAX-ACCESS is read-only or not-accessible"
	echo "# no MAX-ACCESS clause found"
elif grep -v 'MAX-ACCESS[[:space:]]*\(read-only\|not-accessible\|accessible-for-notify\)[[:space:]]*$' \
    "$tmp/access" >"$tmp/rw"; then
	not_ok "every MAX-ACCESS is read-only or not-accessible"
	diag "$tmp/rw"
else
	ok "every MAX-ACCESS is read-only or not-accessible"
fi

# ---- (d) every readable object is in an OBJECT-GROUP -------------------------

# The readable objects (found above)...
# ...against the members of the OBJECT-GROUPs, read from the module text.
awk '
	/OBJECT-GROUP$/ && !/^ / { ingroup = 1; next }
	ingroup && /OBJECTS[ \t]*\{/ { inobjs = 1; sub(/.*\{/, "") }
	inobjs {
		line = $0
		done = sub(/\}.*/, "", line)
		gsub(/[,\t ]+/, "\n", line)
		printf "%s", line "\n"
		if (done) { inobjs = 0; ingroup = 0 }
	}' "$mib" | sed '/^$/d' | sort -u >"$tmp/grouped"

if [ ! -s "$tmp/readable" ]; then
	not_ok "every readable object is in an OBJECT-GROUP"
	echo "# found no readable object at all"
elif missing=$(comm -23 "$tmp/readable" "$tmp/grouped") &&
    [ -z "$missing" ]; then
	ok "every readable object is in an OBJECT-GROUP"
else
	not_ok "every readable object is in an OBJECT-GROUP"
	echo "$missing" | sed 's/^/# not in any group: /'
fi

finish
