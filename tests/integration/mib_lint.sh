#!/bin/sh
#
# KVMTOP-MIB checked by tools that did not write it (TAP output):
#  - smilint -l 6 says nothing about it (and does complain about a copy
#    that we break on purpose, so a silent smilint means something);
#  - every node of the object plan (v1 and issue 3) resolves with
#    snmptranslate to the OID, syntax, UNITS and access written down below,
#    and the module defines no node that is not in that list;
#  - index ranges, enumerations and the INDEX clause of every table are
#    the planned ones;
#  - no object is writable;
#  - every readable object is a member of an OBJECT-GROUP, and smilint
#    notices a group left out of the compliance statement.
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
kvmtopAgentVersion|$R.1.1.1|DisplayString|-|read-only
kvmtopAgentRefreshInterval|$R.1.1.2|Unsigned32|milliseconds|read-only
kvmtopAgentLastRefresh|$R.1.1.3|Unsigned32|seconds|read-only
kvmtopAgentRefreshDuration|$R.1.1.4|Gauge32|milliseconds|read-only
kvmtopAgentLibvirtConnected|$R.1.1.5|TruthValue|-|read-only
kvmtopAgentVmCount|$R.1.1.6|Gauge32|virtual machines|read-only
kvmtopAgentLibvirtUri|$R.1.1.7|KvmtopUtf8String|-|read-only
kvmtopAgentLastRefreshAge|$R.1.1.8|Gauge32|milliseconds|read-only
kvmtopAgentRefreshCount|$R.1.1.9|Counter64|collections|read-only
kvmtopAgentSampleInterval|$R.1.1.10|Gauge32|milliseconds|read-only
kvmtopVmTable|$R.1.2|-|-|not-accessible
kvmtopVmEntry|$R.1.2.1|-|-|not-accessible
kvmtopVmIndex|$R.1.2.1.1|Unsigned32|-|not-accessible
kvmtopVmUuid|$R.1.2.1.2|DisplayString|-|read-only
kvmtopVmName|$R.1.2.1.3|KvmtopUtf8String|-|read-only
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
kvmtopVmMemSwap|$R.1.4.1.9|KvmtopGauge64|bytes|read-only
kvmtopVmDiskTable|$R.1.5|-|-|not-accessible
kvmtopVmDiskEntry|$R.1.5.1|-|-|not-accessible
kvmtopVmDiskCount|$R.1.5.1.1|Gauge32|disks|read-only
kvmtopVmDiskCapacity|$R.1.5.1.2|KvmtopGauge64|bytes|read-only
kvmtopVmDiskAllocation|$R.1.5.1.3|KvmtopGauge64|bytes|read-only
kvmtopVmDiskPhysical|$R.1.5.1.4|KvmtopGauge64|bytes|read-only
kvmtopVmDiskRdBytes|$R.1.5.1.5|Counter64|bytes|read-only
kvmtopVmDiskRdReqs|$R.1.5.1.6|Counter64|requests|read-only
kvmtopVmDiskRdTime|$R.1.5.1.7|Counter64|nanoseconds|read-only
kvmtopVmDiskWrBytes|$R.1.5.1.8|Counter64|bytes|read-only
kvmtopVmDiskWrReqs|$R.1.5.1.9|Counter64|requests|read-only
kvmtopVmDiskWrTime|$R.1.5.1.10|Counter64|nanoseconds|read-only
kvmtopVmDiskFlushReqs|$R.1.5.1.11|Counter64|requests|read-only
kvmtopVmDiskFlushTime|$R.1.5.1.12|Counter64|nanoseconds|read-only
kvmtopVmDiskDelayBlkio|$R.1.5.1.13|Counter64|nanoseconds|read-only
kvmtopVmDiskIoutil|$R.1.5.1.14|Gauge32|0.01 percent|read-only
kvmtopVmNetTable|$R.1.6|-|-|not-accessible
kvmtopVmNetEntry|$R.1.6.1|-|-|not-accessible
kvmtopVmNetCount|$R.1.6.1.1|Gauge32|interfaces|read-only
kvmtopVmNetRxBytes|$R.1.6.1.2|Counter64|bytes|read-only
kvmtopVmNetRxPackets|$R.1.6.1.3|Counter64|packets|read-only
kvmtopVmNetRxErrs|$R.1.6.1.4|Counter64|packets|read-only
kvmtopVmNetRxDrop|$R.1.6.1.5|Counter64|packets|read-only
kvmtopVmNetTxBytes|$R.1.6.1.6|Counter64|bytes|read-only
kvmtopVmNetTxPackets|$R.1.6.1.7|Counter64|packets|read-only
kvmtopVmNetTxErrs|$R.1.6.1.8|Counter64|packets|read-only
kvmtopVmNetTxDrop|$R.1.6.1.9|Counter64|packets|read-only
kvmtopVmNetTapRxFifo|$R.1.6.1.10|Counter64|errors|read-only
kvmtopVmNetTapRxFrame|$R.1.6.1.11|Counter64|errors|read-only
kvmtopVmNetTapRxCompressed|$R.1.6.1.12|Counter64|packets|read-only
kvmtopVmNetTapRxMulticast|$R.1.6.1.13|Counter64|packets|read-only
kvmtopVmNetTapTxFifo|$R.1.6.1.14|Counter64|errors|read-only
kvmtopVmNetTapTxColls|$R.1.6.1.15|Counter64|collisions|read-only
kvmtopVmNetTapTxCarrier|$R.1.6.1.16|Counter64|errors|read-only
kvmtopVmNetTapTxCompressed|$R.1.6.1.17|Counter64|packets|read-only
kvmtopVmIoTable|$R.1.7|-|-|not-accessible
kvmtopVmIoEntry|$R.1.7.1|-|-|not-accessible
kvmtopVmIoReadBytes|$R.1.7.1.1|Counter64|bytes|read-only
kvmtopVmIoWriteBytes|$R.1.7.1.2|Counter64|bytes|read-only
kvmtopVmIoRchar|$R.1.7.1.3|Counter64|bytes|read-only
kvmtopVmIoWchar|$R.1.7.1.4|Counter64|bytes|read-only
kvmtopVmIoSyscr|$R.1.7.1.5|Counter64|system calls|read-only
kvmtopVmIoSyscw|$R.1.7.1.6|Counter64|system calls|read-only
kvmtopVmIoCancelledWriteBytes|$R.1.7.1.7|Counter64|bytes|read-only
kvmtopVcpuTable|$R.1.8|-|-|not-accessible
kvmtopVcpuEntry|$R.1.8.1|-|-|not-accessible
kvmtopVcpuIndex|$R.1.8.1.1|Unsigned32|-|not-accessible
kvmtopVcpuNumber|$R.1.8.1.2|Gauge32|-|read-only
kvmtopVcpuThreadId|$R.1.8.1.3|Unsigned32|-|read-only
kvmtopVcpuRunTime|$R.1.8.1.4|Counter64|nanoseconds|read-only
kvmtopVcpuStealTime|$R.1.8.1.5|Counter64|nanoseconds|read-only
kvmtopVcpuTotal|$R.1.8.1.6|Gauge32|0.01 percent|read-only
kvmtopVcpuSteal|$R.1.8.1.7|Gauge32|0.01 percent|read-only
kvmtopVcpuProcessor|$R.1.8.1.8|Gauge32|-|read-only
kvmtopVmBlkTable|$R.1.9|-|-|not-accessible
kvmtopVmBlkEntry|$R.1.9.1|-|-|not-accessible
kvmtopVmBlkIndex|$R.1.9.1.1|Unsigned32|-|not-accessible
kvmtopVmBlkName|$R.1.9.1.2|KvmtopUtf8String|-|read-only
kvmtopVmBlkSource|$R.1.9.1.3|KvmtopUtf8String|-|read-only
kvmtopVmBlkCapacity|$R.1.9.1.4|KvmtopGauge64|bytes|read-only
kvmtopVmBlkAllocation|$R.1.9.1.5|KvmtopGauge64|bytes|read-only
kvmtopVmBlkPhysical|$R.1.9.1.6|KvmtopGauge64|bytes|read-only
kvmtopVmBlkRdBytes|$R.1.9.1.7|Counter64|bytes|read-only
kvmtopVmBlkRdReqs|$R.1.9.1.8|Counter64|requests|read-only
kvmtopVmBlkRdTime|$R.1.9.1.9|Counter64|nanoseconds|read-only
kvmtopVmBlkWrBytes|$R.1.9.1.10|Counter64|bytes|read-only
kvmtopVmBlkWrReqs|$R.1.9.1.11|Counter64|requests|read-only
kvmtopVmBlkWrTime|$R.1.9.1.12|Counter64|nanoseconds|read-only
kvmtopVmBlkFlushReqs|$R.1.9.1.13|Counter64|requests|read-only
kvmtopVmBlkFlushTime|$R.1.9.1.14|Counter64|nanoseconds|read-only
kvmtopVmIfTable|$R.1.10|-|-|not-accessible
kvmtopVmIfEntry|$R.1.10.1|-|-|not-accessible
kvmtopVmIfIndex|$R.1.10.1.1|Unsigned32|-|not-accessible
kvmtopVmIfName|$R.1.10.1.2|KvmtopUtf8String|-|read-only
kvmtopVmIfMac|$R.1.10.1.3|DisplayString|-|read-only
kvmtopVmIfModel|$R.1.10.1.4|KvmtopUtf8String|-|read-only
kvmtopVmIfHostIfIndex|$R.1.10.1.5|Unsigned32|-|read-only
kvmtopVmIfRxBytes|$R.1.10.1.6|Counter64|bytes|read-only
kvmtopVmIfRxPackets|$R.1.10.1.7|Counter64|packets|read-only
kvmtopVmIfRxErrs|$R.1.10.1.8|Counter64|packets|read-only
kvmtopVmIfRxDrop|$R.1.10.1.9|Counter64|packets|read-only
kvmtopVmIfTxBytes|$R.1.10.1.10|Counter64|bytes|read-only
kvmtopVmIfTxPackets|$R.1.10.1.11|Counter64|packets|read-only
kvmtopVmIfTxErrs|$R.1.10.1.12|Counter64|packets|read-only
kvmtopVmIfTxDrop|$R.1.10.1.13|Counter64|packets|read-only
kvmtopHost|$R.1.11|-|-|-
kvmtopHostName|$R.1.11.1|KvmtopUtf8String|-|read-only
kvmtopHostUuid|$R.1.11.2|DisplayString|-|read-only
kvmtopHostCpuCores|$R.1.11.3|Gauge32|CPUs|read-only
kvmtopHostCpuCurFreq|$R.1.11.4|Gauge32|MHz|read-only
kvmtopHostCpuMinFreq|$R.1.11.5|Gauge32|MHz|read-only
kvmtopHostCpuMaxFreq|$R.1.11.6|Gauge32|MHz|read-only
kvmtopHostCpuUser|$R.1.11.7|Gauge32|0.01 percent|read-only
kvmtopHostCpuNice|$R.1.11.8|Gauge32|0.01 percent|read-only
kvmtopHostCpuSystem|$R.1.11.9|Gauge32|0.01 percent|read-only
kvmtopHostCpuIdle|$R.1.11.10|Gauge32|0.01 percent|read-only
kvmtopHostCpuIowait|$R.1.11.11|Gauge32|0.01 percent|read-only
kvmtopHostCpuIrq|$R.1.11.12|Gauge32|0.01 percent|read-only
kvmtopHostCpuSoftirq|$R.1.11.13|Gauge32|0.01 percent|read-only
kvmtopHostCpuSteal|$R.1.11.14|Gauge32|0.01 percent|read-only
kvmtopHostCpuGuest|$R.1.11.15|Gauge32|0.01 percent|read-only
kvmtopHostCpuGuestNice|$R.1.11.16|Gauge32|0.01 percent|read-only
kvmtopHostCpuUserTime|$R.1.11.17|Counter64|hundredths of a second|read-only
kvmtopHostCpuNiceTime|$R.1.11.18|Counter64|hundredths of a second|read-only
kvmtopHostCpuSystemTime|$R.1.11.19|Counter64|hundredths of a second|read-only
kvmtopHostCpuIdleTime|$R.1.11.20|Counter64|hundredths of a second|read-only
kvmtopHostCpuIowaitTime|$R.1.11.21|Counter64|hundredths of a second|read-only
kvmtopHostCpuIrqTime|$R.1.11.22|Counter64|hundredths of a second|read-only
kvmtopHostCpuSoftirqTime|$R.1.11.23|Counter64|hundredths of a second|read-only
kvmtopHostCpuStealTime|$R.1.11.24|Counter64|hundredths of a second|read-only
kvmtopHostCpuGuestTime|$R.1.11.25|Counter64|hundredths of a second|read-only
kvmtopHostCpuGuestNiceTime|$R.1.11.26|Counter64|hundredths of a second|read-only
kvmtopHostVmsRunning|$R.1.11.27|Gauge32|virtual machines|read-only
kvmtopHostVmsPaused|$R.1.11.28|Gauge32|virtual machines|read-only
kvmtopHostVmsShutdown|$R.1.11.29|Gauge32|virtual machines|read-only
kvmtopHostVmsOther|$R.1.11.30|Gauge32|virtual machines|read-only
kvmtopHostMemTable|$R.1.12|-|-|not-accessible
kvmtopHostMemEntry|$R.1.12.1|-|-|not-accessible
kvmtopHostMemIndex|$R.1.12.1.1|Unsigned32|-|not-accessible
kvmtopHostMemName|$R.1.12.1.2|DisplayString|-|read-only
kvmtopHostMemValue|$R.1.12.1.3|KvmtopGauge64|-|read-only
kvmtopHostMemUnit|$R.1.12.1.4|DisplayString|-|read-only
kvmtopHostDiskTable|$R.1.13|-|-|not-accessible
kvmtopHostDiskEntry|$R.1.13.1|-|-|not-accessible
kvmtopHostDiskIndex|$R.1.13.1.1|Unsigned32|-|not-accessible
kvmtopHostDiskName|$R.1.13.1.2|KvmtopUtf8String|-|read-only
kvmtopHostDiskReads|$R.1.13.1.3|Counter64|requests|read-only
kvmtopHostDiskReadsMerged|$R.1.13.1.4|Counter64|requests|read-only
kvmtopHostDiskSectorsRead|$R.1.13.1.5|Counter64|sectors|read-only
kvmtopHostDiskReadTime|$R.1.13.1.6|Counter64|milliseconds|read-only
kvmtopHostDiskWrites|$R.1.13.1.7|Counter64|requests|read-only
kvmtopHostDiskWritesMerged|$R.1.13.1.8|Counter64|requests|read-only
kvmtopHostDiskSectorsWritten|$R.1.13.1.9|Counter64|sectors|read-only
kvmtopHostDiskWriteTime|$R.1.13.1.10|Counter64|milliseconds|read-only
kvmtopHostDiskIoTime|$R.1.13.1.11|Counter64|milliseconds|read-only
kvmtopHostDiskWeightedIoTime|$R.1.13.1.12|Counter64|milliseconds|read-only
kvmtopHostDiskInFlight|$R.1.13.1.13|Gauge32|requests|read-only
kvmtopHostDiskIoutil|$R.1.13.1.14|Gauge32|0.01 percent|read-only
kvmtopHostDiskQueueSize|$R.1.13.1.15|Gauge32|0.01 requests|read-only
kvmtopHostDiskQueueTime|$R.1.13.1.16|Gauge32|microseconds|read-only
kvmtopHostDiskServiceTime|$R.1.13.1.17|Gauge32|microseconds|read-only
kvmtopHostNetTable|$R.1.14|-|-|not-accessible
kvmtopHostNetEntry|$R.1.14.1|-|-|not-accessible
kvmtopHostNetIfIndex|$R.1.14.1.1|Unsigned32|-|not-accessible
kvmtopHostNetName|$R.1.14.1.2|KvmtopUtf8String|-|read-only
kvmtopHostNetRxBytes|$R.1.14.1.3|Counter64|bytes|read-only
kvmtopHostNetRxPackets|$R.1.14.1.4|Counter64|packets|read-only
kvmtopHostNetRxErrs|$R.1.14.1.5|Counter64|packets|read-only
kvmtopHostNetRxDrop|$R.1.14.1.6|Counter64|packets|read-only
kvmtopHostNetRxFifo|$R.1.14.1.7|Counter64|errors|read-only
kvmtopHostNetRxFrame|$R.1.14.1.8|Counter64|errors|read-only
kvmtopHostNetRxCompressed|$R.1.14.1.9|Counter64|packets|read-only
kvmtopHostNetRxMulticast|$R.1.14.1.10|Counter64|packets|read-only
kvmtopHostNetTxBytes|$R.1.14.1.11|Counter64|bytes|read-only
kvmtopHostNetTxPackets|$R.1.14.1.12|Counter64|packets|read-only
kvmtopHostNetTxErrs|$R.1.14.1.13|Counter64|packets|read-only
kvmtopHostNetTxDrop|$R.1.14.1.14|Counter64|packets|read-only
kvmtopHostNetTxFifo|$R.1.14.1.15|Counter64|errors|read-only
kvmtopHostNetTxColls|$R.1.14.1.16|Counter64|collisions|read-only
kvmtopHostNetTxCarrier|$R.1.14.1.17|Counter64|errors|read-only
kvmtopHostNetTxCompressed|$R.1.14.1.18|Counter64|packets|read-only
kvmtopHostNetSpeed|$R.1.14.1.19|Gauge32|Mbit/s|read-only
kvmtopHostNetType|$R.1.14.1.20|INTEGER|-|read-only
kvmtopHostPsiTable|$R.1.15|-|-|not-accessible
kvmtopHostPsiEntry|$R.1.15.1|-|-|not-accessible
kvmtopHostPsiResource|$R.1.15.1.1|INTEGER|-|not-accessible
kvmtopHostPsiKind|$R.1.15.1.2|INTEGER|-|not-accessible
kvmtopHostPsiAvg10|$R.1.15.1.3|Gauge32|0.01 percent|read-only
kvmtopHostPsiAvg60|$R.1.15.1.4|Gauge32|0.01 percent|read-only
kvmtopHostPsiAvg300|$R.1.15.1.5|Gauge32|0.01 percent|read-only
kvmtopHostPsiTotal|$R.1.15.1.6|Counter64|microseconds|read-only
kvmtopNotify|$R.1.16|-|-|-
kvmtopNotifySent|$R.1.16.1|Counter64|notifications|read-only
kvmtopNotifyQueued|$R.1.16.2|Gauge32|notifications|read-only
kvmtopNotifyDropped|$R.1.16.3|Counter64|notifications|read-only
kvmtopNotifyQueueSize|$R.1.16.4|Gauge32|notifications|read-only
kvmtopNotifyStealHigh|$R.1.16.5|Gauge32|0.01 percent|read-only
kvmtopNotifyStealNormal|$R.1.16.6|Gauge32|0.01 percent|read-only
kvmtopNotifyStealDuration|$R.1.16.7|Unsigned32|milliseconds|read-only
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
