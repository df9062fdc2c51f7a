# Sourceable helpers for tests that need the standard SMIv2 modules.
#
# Debian's snmp package ships no IETF MIB modules (they live in the non-free
# snmp-mibs-downloader), so smilint and snmptranslate cannot load
# SNMPv2-SMI and friends on their own.  The npm package net-snmp, which the
# tests install anyway for their second SNMP client, carries them; we copy
# them under the names the tools look for (NAME.txt).
#
# Usage:  . "$KT_SRCDIR/tests/lib/mibdir.sh"
#         kt_std_mibdir "$tmp/mibs" || exit 1
#         SMIPATH="$tmp/mibs:/usr/share/snmp/mibs" smilint ...
#         snmptranslate -M "$tmp/mibs:/usr/share/snmp/mibs:$KT_SRCDIR/mibs" ...

# kt_std_mibdir DIR: fill DIR (created if needed) with SNMPv2-SMI, SNMPv2-TC,
# SNMPv2-CONF and, where net-snmp has them, SNMPv2-MIB and IF-MIB.
# Returns non-zero, with a message on stderr, when they cannot be had.
kt_std_mibdir()
{
	_kt_dir=$1
	_kt_src=${KT_NODE_MODULES:-${KT_SRCDIR:-.}/tests/node_modules}/net-snmp/lib/mibs

	if [ -z "$_kt_dir" ]; then
		echo "kt_std_mibdir: no target directory given" >&2
		return 2
	fi
	if [ ! -d "$_kt_src" ]; then
		echo "kt_std_mibdir: $_kt_src is missing;" \
		    "run: npm --prefix tests install" >&2
		return 1
	fi
	mkdir -p "$_kt_dir" || return 1

	# The three SMIv2 base modules are required, the others optional.
	for _kt_m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF SNMPv2-MIB IF-MIB; do
		if [ -f "$_kt_src/$_kt_m.mib" ]; then
			cp "$_kt_src/$_kt_m.mib" "$_kt_dir/$_kt_m.txt" || return 1
			continue
		fi
		case $_kt_m in
		SNMPv2-SMI | SNMPv2-TC | SNMPv2-CONF)
			echo "kt_std_mibdir: $_kt_src/$_kt_m.mib is missing;" \
			    "run: npm --prefix tests install" >&2
			return 1
			;;
		esac
	done
	return 0
}
