#!/bin/sh
#
# KVMTOP-MIB checked by tools that did not write it (TAP output):
#  - smilint -l 6 says nothing about it (and does complain about a copy
#    that we break on purpose, so a silent smilint means something);
#  - every node of the v1 object plan resolves with snmptranslate to the
#    OID, syntax, UNITS and access written down below, and the module
#    defines no node that is not in that list;
#  - no object is writable;
#  - every readable object is a member of an OBJECT-GROUP.
#
# The expected values are typed in from the object plan (design notes), not
# read back from the MIB: change them only together with the plan.
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
kvmtopAgentVersion|$R.1.1.1|DisplayString|-|read-only
kvmtopAgentRefreshInterval|$R.1.1.2|Unsigned32|milliseconds|read-only
kvmtopAgentLastRefresh|$R.1.1.3|Unsigned32|seconds|read-only
kvmtopAgentRefreshDuration|$R.1.1.4|Gauge32|milliseconds|read-only
kvmtopAgentLibvirtConnected|$R.1.1.5|TruthValue|-|read-only
kvmtopAgentVmCount|$R.1.1.6|Gauge32|virtual machines|read-only
kvmtopAgentLibvirtUri|$R.1.1.7|DisplayString|-|read-only
kvmtopAgentLastRefreshAge|$R.1.1.8|Gauge32|milliseconds|read-only
kvmtopAgentRefreshCount|$R.1.1.9|Counter64|collections|read-only
kvmtopAgentSampleInterval|$R.1.1.10|Gauge32|milliseconds|read-only
kvmtopVmTable|$R.1.2|-|-|not-accessible
kvmtopVmEntry|$R.1.2.1|-|-|not-accessible
kvmtopVmIndex|$R.1.2.1.1|Unsigned32|-|not-accessible
kvmtopVmUuid|$R.1.2.1.2|DisplayString|-|read-only
kvmtopVmName|$R.1.2.1.3|DisplayString|-|read-only
kvmtopVmState|$R.1.2.1.4|INTEGER|-|read-only
kvmtopVmPid|$R.1.2.1.5|Unsigned32|-|read-only
kvmtopVmDataValid|$R.1.2.1.6|TruthValue|-|read-only
kvmtopVmCpuTable|$R.1.3|-|-|not-accessible
kvmtopVmCpuEntry|$R.1.3.1|-|-|not-accessible
kvmtopVmCpuCores|$R.1.3.1.1|Gauge32|vCPUs|read-only
kvmtopVmCpuTime|$R.1.3.1.2|Counter64|nanoseconds|read-only
kvmtopVmCpuStealTime|$R.1.3.1.3|Counter64|nanoseconds|read-only
kvmtopVmCpuOtherTime|$R.1.3.1.4|Counter64|nanoseconds|read-only
kvmtopVmCpuOtherStealTime|$R.1.3.1.5|Counter64|nanoseconds|read-only
kvmtopVmCpuTotal|$R.1.3.1.6|Gauge32|0.01 percent|read-only
kvmtopVmCpuSteal|$R.1.3.1.7|Gauge32|0.01 percent|read-only
kvmtopVmCpuOtherTotal|$R.1.3.1.8|Gauge32|0.01 percent|read-only
kvmtopVmCpuOtherSteal|$R.1.3.1.9|Gauge32|0.01 percent|read-only
kvmtopVmCpuThreads|$R.1.3.1.10|Gauge32|threads|read-only
kvmtopVmCpuOtherThreads|$R.1.3.1.11|Gauge32|threads|read-only
kvmtopVmMemTable|$R.1.4|-|-|not-accessible
kvmtopVmMemEntry|$R.1.4.1|-|-|not-accessible
kvmtopVmMemTotal|$R.1.4.1.1|Gauge32|KiB|read-only
kvmtopVmMemUsed|$R.1.4.1.2|Gauge32|KiB|read-only
kvmtopVmMemVsize|$R.1.4.1.3|KvmtopGauge64|bytes|read-only
kvmtopVmMemRss|$R.1.4.1.4|KvmtopGauge64|bytes|read-only
kvmtopVmMemMinflt|$R.1.4.1.5|Counter64|faults|read-only
kvmtopVmMemCminflt|$R.1.4.1.6|Counter64|faults|read-only
kvmtopVmMemMajflt|$R.1.4.1.7|Counter64|faults|read-only
kvmtopVmMemCmajflt|$R.1.4.1.8|Counter64|faults|read-only
kvmtopConformance|$R.2|-|-|-
kvmtopCompliances|$R.2.1|-|-|-
kvmtopCompliance|$R.2.1.1|-|-|-
kvmtopGroups|$R.2.2|-|-|-
kvmtopAgentGroup|$R.2.2.1|-|-|-
kvmtopVmGroup|$R.2.2.2|-|-|-
kvmtopVmCpuGroup|$R.2.2.3|-|-|-
kvmtopVmMemGroup|$R.2.2.4|-|-|-
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

# The reverse: the module defines nothing the plan does not list.
translate -Tz 2>/dev/null | sed -n 's/^"\(kvmtop[^"]*\)".*/\1/p' |
    sort >"$tmp/defined"
cut -d'|' -f1 "$tmp/expected" | sort >"$tmp/planned"
if [ -s "$tmp/defined" ] && cmp -s "$tmp/defined" "$tmp/planned"; then
	ok "the module defines exactly the planned nodes"
else
	not_ok "the module defines exactly the planned nodes"
	comm -3 "$tmp/planned" "$tmp/defined" | sed \
	    -e 's/^\t\(.*\)/# defined, not planned: \1/' \
	    -e 's/^\([^#].*\)/# planned, not defined: \1/'
fi

# ---- (c) nothing is writable ------------------------------------------------

# Every MAX-ACCESS clause must say read-only or not-accessible.
grep -n 'MAX-ACCESS' "$mib" >"$tmp/access"
if [ ! -s "$tmp/access" ]; then
	not_ok "every MAX-ACCESS is read-only or not-accessible"
	echo "# no MAX-ACCESS clause found"
elif grep -v 'MAX-ACCESS[[:space:]]*\(read-only\|not-accessible\)[[:space:]]*$' \
    "$tmp/access" >"$tmp/rw"; then
	not_ok "every MAX-ACCESS is read-only or not-accessible"
	diag "$tmp/rw"
else
	ok "every MAX-ACCESS is read-only or not-accessible"
fi

# ---- (d) every readable object is in an OBJECT-GROUP -------------------------

# Readable objects as snmptranslate sees them...
: >"$tmp/readable"
while read -r name; do
	translate -Td "KVMTOP-MIB::$name" 2>/dev/null |
	    grep -q '^  MAX-ACCESS	read-' && echo "$name" >>"$tmp/readable"
done <"$tmp/defined"
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
