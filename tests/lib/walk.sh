# Shared by the walk tests (sourced after agent.sh): the basic fixture run
# through two phases with a walk of KVMTOP-MIB after each, and helpers to
# look values up in a walk.

R=$KT_ROOT_OID
ALPHA=6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e01
BRAVO=6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e02
CHARLIE=6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e03
DELTA=6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e04

# net-snmp's walk output as "OID TYPE VALUE" lines (the node client's form).
kt_normalize() {
	sed -E -e 's/^(\S+) = STRING: "(.*)"$/\1 STRING \2/' \
		-e 's/^(\S+) = ""$/\1 STRING /' \
		-e 's/^(\S+) = STRING: (.*)$/\1 STRING \2/' \
		-e 's/^(\S+) = Gauge32: (.*)$/\1 GAUGE \2/' \
		-e 's/^(\S+) = Counter64: (.*)$/\1 COUNTER64 \2/' \
		-e 's/^(\S+) = INTEGER: (.*)$/\1 INTEGER \2/'
}
kt_bulkwalk() { kt_snmp snmpbulkwalk "$R" -On -Cr25 | kt_normalize > "$1"; }

declare -A V
# V[OID]="TYPE VALUE" from a walk file.
kt_load() {
	local oid rest
	V=()
	while read -r oid rest; do V[$oid]=$rest; done < "$1"
}
val() { # the value ("" for an empty string: read strips the space)
	local t=${V[$1]:-}
	case "$t" in *" "*) echo "${t#* }" ;; *) echo "" ;; esac
}
typ() { local t=${V[$1]:-}; echo "${t%% *}"; }
has() { [ -n "${V[$1]:-}" ]; }
check() { kt_is "$(typ "$1") $(val "$1")" "$2 $3" "$4"; }
absent() { has "$1"; kt_ok $((! $?)) "$2 has no instance"; }

# The VM indexes by UUID, from the loaded walk: sets A B C D.
kt_vm_indexes() {
	local i u
	declare -gA IDX=()
	for i in $(seq 1 50); do
		u=$(val "$R.1.2.1.2.$i")
		[ -n "$u" ] && IDX[$u]=$i
	done
	A=${IDX[$ALPHA]:-x} B=${IDX[$BRAVO]:-x} C=${IDX[$CHARLIE]:-x} D=${IDX[$DELTA]:-x}
}

# Starts snmpd and the subagent on the basic fixture (procfs and sysfs),
# walks after two phase-1 samples ($KT_TMP/walk1), switches the tree to
# phase 2 and walks after the next sample ($KT_TMP/walk2).  The test drives
# the collections (kt_collect_now), so no collection can come while the
# tree is switched or a walk runs, however slow the machine; the samples
# are at least INTERVAL_S apart, so no percentage is clamped.  I_MS is the
# sample interval of the phase-2 walk, KT_INTERVAL_MIN_MS and _MAX_MS what
# the test knows of it.
kt_basic_two_phases() {
	local interval_s=$1
	shift
	kt_start_snmpd
	kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" \
		--sysfs "$KT_FIXTURE/sys" -f "$KT_DRIVEN_FREQUENCY" "$@"
	kt_wait_refresh 1 || kt_bail "no first collection: $(tail -5 "$KT_TMP/subagent.log")"
	kt_collect_after "$interval_s" || kt_bail "no second collection: $(tail -5 "$KT_TMP/subagent.log")"
	kt_bulkwalk "$KT_TMP/walk1"
	cp -R "$KT_FIXTURE/phase2/." "$KT_PROC/"
	grep -v '^#' "$KT_FIXTURE/phase2.remove" | while read -r p; do rm -r "$KT_PROC/${p:?}"; done
	kt_collect_after "$interval_s" || kt_bail "no collection after the switch"
	kt_sample_interval_bounds
	kt_bulkwalk "$KT_TMP/walk2"
	[ "$(kt_refreshes)" = 3 ] || kt_bail "a collection nobody asked for ran"
	kt_load "$KT_TMP/walk2"
	I_MS=$(val "$R.1.1.10.0")
	echo "# sample interval ${I_MS} ms"
}
