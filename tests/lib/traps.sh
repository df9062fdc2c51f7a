# A private snmptrapd (sourced, bash, after agent.sh): the trap receiver of
# the notification tests.  It listens on a loopback port, accepts
# community "public" and logs every notification it receives as one line
# to $KT_TRAPLOG:
#   TRAP <numeric snmpTrapOID> \t <OID> = <value> \t ...
# (numeric OIDs, values without type names), which the tests read.
# Debian package: snmptrapd.

kt_snmptrapd_up_or_gone() {
	grep -q "NET-SNMP version" "$KT_TRAPLOG" 2>/dev/null ||
		! kill -0 "$KT_TRAPD_PID" 2>/dev/null
}

# kt_start_snmptrapd: sets KT_TRAP_PORT and KT_TRAPLOG.
kt_start_snmptrapd() {
	local try
	command -v snmptrapd >/dev/null || PATH=$PATH:/usr/sbin
	command -v snmptrapd >/dev/null || kt_bail "snmptrapd not found (Debian package snmptrapd)"
	KT_TRAPLOG=$KT_TMP/traps.log
	cat >"$KT_TMP/snmptrapd.conf" <<-CONF
	authCommunity log public
	CONF
	for try in 1 2 3 4 5; do
		KT_TRAP_PORT=$((20000 + (RANDOM % 20000)))
		: >"$KT_TRAPLOG"
		# -f foreground, -C only our config, -On numeric OIDs, -Oe
		# enumerations as numbers, -OQ values without types; one
		# line per notification (-F) in the log file (-Lf).
		snmptrapd -f -C -c "$KT_TMP/snmptrapd.conf" -On -Oe -OQ \
			-Lf "$KT_TRAPLOG" -F 'TRAP %v\n' \
			"udp:127.0.0.1:$KT_TRAP_PORT" >/dev/null 2>&1 &
		KT_TRAPD_PID=$!
		kt_wait_for $((KT_PATIENCE * 10)) kt_snmptrapd_up_or_gone
		if kill -0 "$KT_TRAPD_PID" 2>/dev/null; then
			kt_pids+=("$KT_TRAPD_PID")
			return 0
		fi
		wait "$KT_TRAPD_PID" 2>/dev/null
	done
	cat "$KT_TRAPLOG" >&2
	kt_bail "snmptrapd did not start"
}

# The snmpd.conf lines that send notifications to our snmptrapd: traps, or
# informs with "inform".
kt_trap_sink_conf() {
	if [ "${1:-trap}" = inform ]; then
		echo "informsink udp:127.0.0.1:$KT_TRAP_PORT public"
	else
		echo "trap2sink udp:127.0.0.1:$KT_TRAP_PORT public"
	fi
}

# kt_traps_count OID: how many notifications of OID snmptrapd logged.
kt_traps_count() {
	grep -c "^TRAP .*= $1	" "$KT_TRAPLOG" 2>/dev/null
}
kt_traps_atleast() { [ "$(kt_traps_count "$1")" -ge "$2" ]; }
# kt_wait_traps OID N: until snmptrapd logged N of them (KT_PATIENCE).
kt_wait_traps() { kt_wait_for $((KT_PATIENCE * 10)) kt_traps_atleast "$1" "$2"; }

# kt_traps_vm_states: one line per kvmtopVmStateChange that snmptrapd
# logged, in the order it received them:
#   NAME INDEX STATE PREVIOUS REASON UUID
kt_traps_vm_states() {
	awk -F '\t' -v r="$KT_ROOT_OID" '
	/^TRAP / {
		if (index($0, ".1.3.6.1.6.3.1.1.4.1.0 = " r ".0.1") == 0)
			next
		name = idx = st = prev = why = uuid = "-"
		for (i = 1; i <= NF; i++) {
			f = $i
			sub(/^TRAP /, "", f)
			eq = index(f, " = ")
			oid = substr(f, 1, eq - 1)
			val = substr(f, eq + 3)
			gsub(/"/, "", val)
			if (index(oid, r ".1.2.1.2.") == 1) {
				uuid = val
				idx = substr(oid, length(r ".1.2.1.2.") + 1)
			} else if (index(oid, r ".1.2.1.3.") == 1) {
				name = val
			} else if (index(oid, r ".1.2.1.4.") == 1) {
				st = val
			} else if (oid == r ".1.16.8.0") {
				prev = val
			} else if (oid == r ".1.16.9.0") {
				why = val
			}
		}
		print name, idx, st, prev, why, uuid
	}' "$KT_TRAPLOG"
}

# kt_traps_named OID: lines of the notifications OID (numeric), in order.
kt_traps_named() { grep "^TRAP .*= $1	" "$KT_TRAPLOG"; }
