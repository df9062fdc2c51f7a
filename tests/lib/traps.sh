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

# kt_notify_testdriver: for the notification tests driven through libvirt's
# test driver in a libvirtd (tests/e2e/lib.sh and tests/lib/churn.sh
# sourced): the e2e lock (they kill snmpd or libvirtd), libvirtd started
# when none answers (root only; skipped otherwise, unless KT_REQUIRE_E2E=1),
# the temp dir, the basic fixture's procfs, and the held driver state.
# Sets KT_CHURN_URI, KT_CHURN_DIR, KT_CHURN_PREFIX (kt-nPREFIX-PID).
kt_notify_testdriver() {
	KT_CHURN_URI=test+unix:///default
	# A benchmark may go without (it restarts nothing; a libvirtd that
	# another test restarts meanwhile spoils its figures, not a test).
	[ -n "${KT_NOTIFY_NO_LOCK:-}" ] || kt_e2e_lock
	if ! virsh -q -c "$KT_CHURN_URI" uri >/dev/null 2>&1; then
		[ "$(id -u)" = 0 ] || kt_e2e_skip "libvirtd does not answer on $KT_CHURN_URI (and not root to start one)"
		kt_e2e_libvirt_start
	fi
	virsh -q -c "$KT_CHURN_URI" uri >/dev/null 2>&1 ||
		kt_e2e_skip "libvirtd does not answer on $KT_CHURN_URI"
	kt_setup
	kt_fixture_basic
	KT_CHURN_DIR=$KT_TMP/churn
	KT_CHURN_PREFIX=kt-n$1-$$
	trap 'kill $KT_CHURN_HOLDER 2>/dev/null; kt_e2e_stop_daemon "$KT_E2E_STARTED_LIBVIRTD"; kt_e2e_stop_daemon "$KT_E2E_STARTED_VIRTLOGD"; kt_cleanup' EXIT
	kt_churn_init || kt_bail "cannot create $KT_CHURN_DIR"
	kt_churn_hold 1200 || kt_bail "the test driver's state is not shared"
}

# kt_notify_vm_xml N...: the XML of test-driver VMs $KT_CHURN_PREFIX-N in
# $KT_CHURN_DIR/xml/N.xml, each with a UUID of its own.
kt_notify_vm_xml() {
	local i
	for i in "$@"; do
		kt_churn_xml "$KT_CHURN_PREFIX-$i" "$(kt_churn_uuid)" >"$KT_CHURN_DIR/xml/$i.xml"
	done
}

# kt_notify_round OP N...: one virsh doing OP (define, start, ...) to the
# VMs N... in turn.
kt_notify_round() {
	local op=$1 i cmds=
	shift
	for i in "$@"; do
		case $op in
		define) cmds="$cmds define $KT_CHURN_DIR/xml/$i.xml;" ;;
		*) cmds="$cmds $op $KT_CHURN_PREFIX-$i;" ;;
		esac
	done
	virsh -q -c "$KT_CHURN_URI" "$cmds" >/dev/null 2>>"$KT_TMP/virsh.err" ||
		kt_bail "virsh $op: $(tail -3 "$KT_TMP/virsh.err")"
}

# STATE PREVIOUS REASON (KVMTOP-MIB's numbers) that virsh OP leads to
# from the state the one before it left, for the test driver's domains.
kt_notify_expect() {
	case $1 in
	define) echo "11 1 2" ;;   # shutdown, was unknown, defined
	start) echo "4 11 5" ;;    # running, was shutdown, booted
	suspend) echo "8 4 10" ;;  # paused, was running, paused
	resume) echo "4 8 14" ;;   # running, was paused, unpaused
	destroy) echo "11 4 16" ;; # shutdown, was running, destroyed
	undefine) echo "1 11 4" ;; # unknown, was shutdown, undefined
	esac
}

# Our VMs' kvmtopVmStateChange lines (kt_traps_vm_states), in order.
kt_notify_ours() { kt_traps_vm_states | grep "^$KT_CHURN_PREFIX-[0-9]* "; }
kt_notify_ours_atleast() { [ "$(kt_notify_ours | wc -l)" -ge "$1" ]; }
