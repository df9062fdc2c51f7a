# VM churn (sourced, bash): domains created and destroyed continuously
# while a client walks KVMTOP-MIB in a loop, and what the walks must show.
# Shared by tests/integration/churn.sh (libvirt's test driver),
# tests/e2e/churn.sh (real QEMU guests) and bench/soak.sh (under valgrind).
# Needs nothing from agent.sh or bench/lib.sh.
#
# The caller sets, before kt_churn_init:
#   KT_CHURN_DIR     a directory of its own (records, logs, domain XML)
#   KT_CHURN_URI     the libvirt URI virsh changes domains through
#   KT_CHURN_PREFIX  domain names: PREFIX-N (transient), PREFIX-keep-N and
#                    PREFIX-flap (persistent)
#   KT_CHURN_PORT    the snmpd serving KVMTOP-MIB on udp:127.0.0.1
#   KT_CHURN_ROOT    the OID walked (the module's root)
# and may redefine kt_churn_xml NAME UUID, which prints a domain's XML.
#
# Records in KT_CHURN_DIR, one line each, read by the kt_churn_* checks:
#   ops      "OP NAME UUID RC": create, destroy, stop, start (the flapper)
#   created  "NAME UUID" of every transient domain, before it is created
#   persistent  "NAME UUID" of every persistent domain, before its define
#   walks    "W TOOL RC VARBINDS STATUS": STATUS ok, or what went wrong
#   problems one line per problem of a walk (the first few are shown)
#   uuid     "W INDEX UUID" for every kvmtopVmUuid instance of walk W
#   dev      "W TABLE VMINDEX DEVINDEX NAME": disk (9), interface (10) names
#   cpu      "W INDEX NS": kvmtopVmCpuTime

KT_CHURN_POOL=${KT_CHURN_POOL:-6}   # transient domains alive at most
KT_CHURN_PAUSE=${KT_CHURN_PAUSE:-3} # pause between operations: 0..N tenths
# A request's timeout (no retry): far above what a busy 2-CPU machine takes.
KT_CHURN_SNMP_TIMEOUT=${KT_CHURN_SNMP_TIMEOUT:-15}
# How long (s) a wait for an event lasts at most, and how long the churn may
# go on past its SECONDS to reach its minimum counts: only a hang reaches it.
KT_CHURN_PATIENCE=${KT_CHURN_PATIENCE:-${KT_PATIENCE:-120}}

kt_churn_virsh() { virsh -q -c "$KT_CHURN_URI" "$@"; }
kt_churn_uuid() { cat /proc/sys/kernel/random/uuid; }
kt_churn_now() { date +%s; }
kt_churn_bulkwalk() { # OID: a bulk walk, "OID VALUE" lines
	snmpbulkwalk -v2c -c public -On -Oq -t "$KT_CHURN_SNMP_TIMEOUT" -r 0 \
		"127.0.0.1:$KT_CHURN_PORT" "$1"
}

# The domain XML of the churn (NAME UUID): by default a domain of libvirt's
# test driver with a disk and an interface, so that the device tables churn
# too.  The end-to-end test defines its own after sourcing this file.
kt_churn_xml() {
	cat <<-EOF
	<domain type='test'>
	  <name>$1</name>
	  <uuid>$2</uuid>
	  <memory unit='MiB'>64</memory>
	  <vcpu>1</vcpu>
	  <os><type>hvm</type></os>
	  <devices>
	    <disk type='file' device='disk'>
	      <source file='/guest/$1.img'/>
	      <target dev='vda' bus='virtio'/>
	    </disk>
	    <interface type='network'><source network='default'/></interface>
	  </devices>
	</domain>
	EOF
}

kt_churn_init() {
	mkdir -p "$KT_CHURN_DIR/xml" || return 1
	KT_CHURN_LIBVIRTD=$(pgrep -u "$(id -u)" -x libvirtd | head -n 1) # to tell a restart
	: >"$KT_CHURN_DIR/ops"
	: >"$KT_CHURN_DIR/created"
	: >"$KT_CHURN_DIR/persistent"
	: >"$KT_CHURN_DIR/walks"
	: >"$KT_CHURN_DIR/problems"
	: >"$KT_CHURN_DIR/uuid"
	: >"$KT_CHURN_DIR/dev"
	: >"$KT_CHURN_DIR/cpu"
}

# kt_churn_op OP NAME UUID CMD...: runs a virsh command and records it.
kt_churn_op() {
	local op=$1 name=$2 uuid=$3 out rc
	shift 3
	out=$(kt_churn_virsh "$@" 2>&1)
	rc=$?
	echo "$op $name $uuid $rc" >>"$KT_CHURN_DIR/ops"
	[ $rc -eq 0 ] || echo "virsh $*: $out" >>"$KT_CHURN_DIR/virsh-errors"
	return $rc
}

# kt_churn_hold SECONDS: libvirt's test driver (test+unix:///default) keeps
# its default state only while some connection holds it: libvirtd resets it
# when the last one closes, so a domain that one virsh defines is gone for
# the next one.  Starts a `virsh event` that holds a connection for at most
# SECONDS (KT_CHURN_HOLDER: its PID; kt_churn_cleanup stops it) and waits
# (at most KT_CHURN_PATIENCE s) until it sees the events of a probe domain
# created and destroyed through another connection: the proof that both
# share the state.
kt_churn_hold() {
	local probe=$KT_CHURN_PREFIX-probe xml=$KT_CHURN_DIR/xml/probe.xml
	local end=$(($(kt_churn_now) + KT_CHURN_PATIENCE))
	# virsh itself (not a function: $! must be its PID, for the cleanup to
	# stop it).
	virsh -q -c "$KT_CHURN_URI" event --all --loop --timeout "$1" \
		>"$KT_CHURN_DIR/events" 2>&1 &
	KT_CHURN_HOLDER=$!
	kt_churn_xml "$probe" "$(kt_churn_uuid)" >"$xml"
	while [ "$(kt_churn_now)" -lt "$end" ]; do
		kt_churn_virsh "create $xml; destroy $probe" >/dev/null 2>&1
		grep -q "domain '$probe': Stopped" "$KT_CHURN_DIR/events" && return 0
		sleep 0.1
	done
	return 1
}

# kt_churn_persistent NAME: defines and starts a persistent domain (the
# record comes first, so that a cleanup after a kill still finds it).
kt_churn_persistent() {
	local name=$1 uuid xml=$KT_CHURN_DIR/xml/$1.xml
	uuid=$(kt_churn_uuid)
	echo "$name $uuid" >>"$KT_CHURN_DIR/persistent"
	kt_churn_xml "$name" "$uuid" >"$xml" || return 1
	kt_churn_op define "$name" "$uuid" define "$xml" &&
		kt_churn_op start "$name" "$uuid" start "$name"
}

# kt_churn_survivors N: N persistent domains PREFIX-keep-1..N that run
# through the whole churn, and the flapper PREFIX-flap that the churn stops
# and starts again.  KT_CHURN_SURVIVORS: their "NAME UUID" lines.
kt_churn_survivors() {
	local i
	for i in $(seq 1 "$1"); do
		kt_churn_persistent "$KT_CHURN_PREFIX-keep-$i" || return 1
	done
	kt_churn_persistent "$KT_CHURN_PREFIX-flap" || return 1
	KT_CHURN_SURVIVORS=$(grep -v -- "-flap " "$KT_CHURN_DIR/persistent")
}

# kt_churn_start SECONDS [MIN_CREATES [MIN_WALKS]]: kt_churn_ops in the
# background (KT_CHURN_OPS: its PID); kt_churn_wait waits for its end.
kt_churn_start() {
	KT_CHURN_T0=$(kt_churn_now)
	kt_churn_ops "$@" >/dev/null 2>&1 &
	KT_CHURN_OPS=$!
}
kt_churn_wait() {
	wait "$KT_CHURN_OPS"
	KT_CHURN_OPS=""
	KT_CHURN_T1=$(kt_churn_now)
}

# kt_churn_more END MIN_WALKS: whether a loop that must last until END
# (kt_churn_now) and see MIN_WALKS walks goes on: before END, or after it
# while fewer walks were recorded, at most KT_CHURN_PATIENCE s longer.  So
# the churn's extent is counted in events, not in how much a busy machine
# does in SECONDS.
kt_churn_more() {
	local now
	now=$(kt_churn_now)
	[ "$now" -lt "$1" ] && return 0
	[ "$now" -lt $(($1 + KT_CHURN_PATIENCE)) ] &&
		[ "$(wc -l <"$KT_CHURN_DIR/walks")" -lt "$2" ]
}

# kt_churn_ops SECONDS [MIN_CREATES [MIN_WALKS]]: creates and destroys
# transient domains for SECONDS, and after that until MIN_CREATES have been
# created and MIN_WALKS walks recorded (at most KT_CHURN_PATIENCE s more);
# at most KT_CHURN_POOL alive, a pause of 0..KT_CHURN_PAUSE tenths between
# operations; stops or starts the flapper every eighth operation, then
# destroys what is left.
kt_churn_ops() {
	local end=$(($(kt_churn_now) + $1)) min_c=${2:-0} min_w=${3:-0}
	local n=0 ops=0 i name uuid alive=() uuids=() flap flap_uuid flap_up=1
	flap=$KT_CHURN_PREFIX-flap
	flap_uuid=$(awk -v n="$flap" '$1 == n { print $2 }' "$KT_CHURN_DIR/persistent")
	while kt_churn_more "$end" "$min_w" ||
		{ [ "$n" -lt "$min_c" ] && kt_churn_more "$end" 999999999; }; do
		ops=$((ops + 1))
		if [ -n "$flap_uuid" ] && [ $((ops % 8)) -eq 0 ]; then
			if [ $flap_up = 1 ]; then
				kt_churn_op stop "$flap" "$flap_uuid" destroy "$flap" && flap_up=0
			else
				kt_churn_op start "$flap" "$flap_uuid" start "$flap" && flap_up=1
			fi
		elif [ ${#alive[@]} -lt "$KT_CHURN_POOL" ] &&
			{ [ ${#alive[@]} -eq 0 ] || [ $((RANDOM % 3)) -ne 0 ]; }; then
			n=$((n + 1))
			name=$KT_CHURN_PREFIX-$n
			uuid=$(kt_churn_uuid)
			echo "$name $uuid" >>"$KT_CHURN_DIR/created"
			kt_churn_xml "$name" "$uuid" >"$KT_CHURN_DIR/xml/$name.xml"
			if kt_churn_op create "$name" "$uuid" create "$KT_CHURN_DIR/xml/$name.xml"; then
				alive+=("$name") uuids+=("$uuid")
			fi
		else
			i=$((RANDOM % ${#alive[@]}))
			kt_churn_op destroy "${alive[$i]}" "${uuids[$i]}" destroy "${alive[$i]}"
			alive=("${alive[@]:0:$i}" "${alive[@]:$((i + 1))}")
			uuids=("${uuids[@]:0:$i}" "${uuids[@]:$((i + 1))}")
		fi
		sleep "0.$((RANDOM % (KT_CHURN_PAUSE + 1)))"
	done
	for i in "${!alive[@]}"; do
		kt_churn_op destroy "${alive[$i]}" "${uuids[$i]}" destroy "${alive[$i]}"
	done
	[ $flap_up = 1 ] || kt_churn_op start "$flap" "$flap_uuid" start "$flap"
}

# Waits (at most KT_CHURN_PATIENCE s: an agent under valgrind, or on a
# busy machine, starts slowly) until every persistent domain has its
# kvmtopVmTable row.
kt_churn_wait_persistent() {
	local end=$(($(kt_churn_now) + KT_CHURN_PATIENCE)) want
	want=$(grep -c . "$KT_CHURN_DIR/persistent")
	while [ "$(kt_churn_now)" -lt "$end" ]; do
		kt_churn_bulkwalk "$KT_CHURN_ROOT.1.2.1.2" >"$KT_CHURN_DIR/rows" &&
			[ "$(kt_churn_rows_of persistent "$KT_CHURN_DIR/rows")" = "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# The per-walk analysis: order, error text, and the records above.
# shellcheck disable=SC2016
KT_CHURN_AWK='
function fail(what) {
	if (status == "ok") status = what
	print "walk " w ": " what ": " $0 >> dir "/problems"
}
BEGIN { status = "ok"; rl = length(root) }
{
	n++
	oid = $1
	k = split(substr(oid, 2), cur, ".")
	if (n > 1) {
		c = 0
		for (i = 1; i <= k && i <= pk && c == 0; i++)
			c = (cur[i] + 0 > prev[i] + 0) - (cur[i] + 0 < prev[i] + 0)
		if (c == 0) c = (k > pk) - (k < pk)
		if (c <= 0) fail("not-increasing")
	}
	for (i = 1; i <= k; i++) prev[i] = cur[i]
	pk = k
	if ($0 ~ /^[^ ]+ (No Such|No more variables|Wrong Type|NULL)/) fail("error-varbind")
	if (substr(oid, 1, rl + 1) != root ".") { fail("outside-subtree"); next }
	val = substr($0, length(oid) + 2)
	gsub(/"/, "", val)
	rest = substr(oid, rl + 2)
	m = split(rest, ix, ".")
	if (m == 5 && rest ~ /^1\.2\.1\.2\./)
		print w, ix[5], val >> dir "/uuid"
	else if (m == 5 && rest ~ /^1\.3\.1\.2\./)
		print w, ix[5], val >> dir "/cpu"
	else if (m == 6 && rest ~ /^1\.(9|10)\.1\.2\./)
		print w, ix[2], ix[5], ix[6], val >> dir "/dev"
}
END {
	if (n == 0) { $0 = "(empty)"; fail("empty") }
	print n, status
}'

# kt_churn_walk W TOOL: one walk, analysed; appends to the records.
kt_churn_walk() {
	local w=$1 tool=$2 out=$KT_CHURN_DIR/walk.out err=$KT_CHURN_DIR/walk.err rc res
	local cmd=(snmpbulkwalk -Cr$((10 + 15 * (w % 3))))
	[ "$tool" = getnext ] && cmd=(snmpwalk)
	"${cmd[@]}" -v2c -c public -On -Oq -t "$KT_CHURN_SNMP_TIMEOUT" -r 0 \
		"127.0.0.1:$KT_CHURN_PORT" "$KT_CHURN_ROOT" >"$out" 2>"$err"
	rc=$?
	res=$(awk -v w="$w" -v root="$KT_CHURN_ROOT" -v dir="$KT_CHURN_DIR" \
		"$KT_CHURN_AWK" "$out")
	if [ -s "$err" ]; then
		res="${res%% *} stderr"
		sed "s/^/walk $w: stderr: /" "$err" >>"$KT_CHURN_DIR/problems"
	fi
	[ $rc -eq 0 ] || echo "walk $w: $tool exit $rc" >>"$KT_CHURN_DIR/problems"
	echo "$w $tool $rc $res" >>"$KT_CHURN_DIR/walks"
}

# kt_churn_walks SECONDS [MIN_WALKS]: walks for SECONDS, and after that
# until MIN_WALKS walks are recorded and, with MIN_WALKS, while the churn
# (KT_CHURN_OPS) goes on, at most KT_CHURN_PATIENCE s more; every fourth
# walk with GETNEXT (snmpwalk), the others with GETBULK of 10, 25 or 50
# repetitions.
kt_churn_walks() {
	local end=$(($(kt_churn_now) + $1)) min=${2:-0} w
	w=$(wc -l <"$KT_CHURN_DIR/walks")
	while kt_churn_more "$end" "$min" || { [ "$min" -gt 0 ] &&
		kt_churn_more "$end" 999999999 && kill -0 "${KT_CHURN_OPS:-}" 2>/dev/null; }; do
		w=$((w + 1))
		if [ $((w % 4)) -eq 0 ]; then
			kt_churn_walk $w getnext
		else
			kt_churn_walk $w bulk
		fi
	done
}

# Stops the churn if it still runs (an early exit), destroys every domain
# it created that still runs, undefines the persistent ones, and ends the
# connection of kt_churn_hold.  For the EXIT trap: quiet, never fails.
kt_churn_cleanup() {
	if [ -n "${KT_CHURN_OPS:-}" ]; then
		kill "$KT_CHURN_OPS" 2>/dev/null
		wait "$KT_CHURN_OPS" 2>/dev/null
	fi
	kt_churn_unmake
	if [ -n "${KT_CHURN_HOLDER:-}" ]; then
		kill "$KT_CHURN_HOLDER" 2>/dev/null
		wait "$KT_CHURN_HOLDER" 2>/dev/null
	fi
	return 0
}
# The domains of the records, by UUID (names may be another run's).
kt_churn_unmake() {
	local uuid
	[ -n "${KT_CHURN_DIR:-}" ] && [ -d "$KT_CHURN_DIR" ] || return 0
	for uuid in $(kt_churn_virsh list --uuid 2>/dev/null | awk '
			FILENAME != "-" { ours[$2] = 1; next } $1 in ours' \
			"$KT_CHURN_DIR/created" "$KT_CHURN_DIR/persistent" -); do
		kt_churn_virsh destroy "$uuid" >/dev/null 2>&1
	done
	for uuid in $(awk '{ print $2 }' "$KT_CHURN_DIR/persistent"); do
		kt_churn_virsh undefine "$uuid" >/dev/null 2>&1
	done
	return 0
}

# ---- what the records show (each prints a number or a few lines) ----

kt_churn_count_ops() { # OP [RC]: operations of a kind (with that status)
	awk -v op="$1" -v rc="${2:-}" '$1 == op && (rc == "" || $4 == rc)' \
		"$KT_CHURN_DIR/ops" | wc -l
}
kt_churn_count_walks() { # [TOOL [STATUS]]
	awk -v t="${1:-}" -v s="${2:-}" \
		'(t == "" || $2 == t) && (s == "" || ($3 == 0 && $5 == s))' \
		"$KT_CHURN_DIR/walks" | wc -l
}
kt_churn_varbinds() { awk '{ s += $4 } END { printf "%.0f\n", s }' "$KT_CHURN_DIR/walks"; }

# Indexes given to more than one UUID, and UUIDs that had more than one
# index, over all walks: "INDEX: UUID UUID..." / "UUID: INDEX INDEX...".
kt_churn_index_reuse() {
	awk '!seen[$2 " " $3]++ { u[$2] = u[$2] " " $3; n[$2]++ }
		END { for (i in n) if (n[i] > 1) print i ":" u[i] }' "$KT_CHURN_DIR/uuid"
}
kt_churn_uuid_moves() {
	awk '!seen[$2 " " $3]++ { x[$3] = x[$3] " " $2; n[$3]++ }
		END { for (u in n) if (n[u] > 1) print u ":" x[u] }' "$KT_CHURN_DIR/uuid"
}
# Device rows whose (VM index, device index) named two devices, or whose
# (VM index, name) had two device indexes: "TABLE VM DEV: NAME NAME".
kt_churn_dev_reuse() {
	awk '!seen[$2 " " $3 " " $4 " " $5]++ {
			k = $2 " " $3 " " $4; d[k] = d[k] " " $5; n[k]++
			j = $2 " " $3 " " $5; e[j] = e[j] " " $4; m[j]++
		}
		END {
			for (k in n) if (n[k] > 1) print k ":" d[k]
			for (j in m) if (m[j] > 1) print j ":" e[j]
		}' "$KT_CHURN_DIR/dev"
}

# kt_churn_survivor UUID: "INDEXES PRESENT": the distinct indexes it had and
# in how many walks it appeared.
kt_churn_survivor() {
	awk -v u="$1" '$3 == u { if (!seen[$2]++) x++; if (!w[$1]++) p++ }
		END { print x + 0, p + 0 }' "$KT_CHURN_DIR/uuid"
}

# Transient UUIDs that some walk showed: how many of those created.
kt_churn_seen_transients() {
	awk 'FILENAME ~ /created$/ { c[$2] = 1; next } ($3 in c) && !s[$3]++ { n++ }
		END { print n + 0 }' "$KT_CHURN_DIR/created" "$KT_CHURN_DIR/uuid"
}

# kt_churn_cpu_trend INDEX: "DECREASES FIRST LAST" of kvmtopVmCpuTime over
# the walks that served it.
kt_churn_cpu_trend() {
	awk -v i="$1" '$2 == i {
			if (n++ == 0) f = $3
			else if ($3 + 0 < l + 0) d++
			l = $3
		}
		END { print d + 0, (n ? f : 0), (n ? l : 0) }' "$KT_CHURN_DIR/cpu"
}

# kt_churn_rows_of LIST WALKFILE: how many domains of LIST (created or
# persistent) have a kvmtopVmUuid row in a "-On -Oq" walk.
kt_churn_rows_of() {
	awk 'FILENAME == list { in_list[$2] = 1; next }
		{ v = $2; gsub(/"/, "", v) } (v in in_list) && !seen[v]++' \
		list="$KT_CHURN_DIR/$1" "$KT_CHURN_DIR/$1" "$2" | wc -l
}

# The first lines of the problems and virsh errors, as TAP comments.
kt_churn_show_problems() {
	head -n "${1:-10}" "$KT_CHURN_DIR/problems" | sed 's/^/# /'
	[ -s "$KT_CHURN_DIR/virsh-errors" ] &&
		head -n 5 "$KT_CHURN_DIR/virsh-errors" | sed 's/^/# /'
	return 0
}

# ---- the checks, as TAP (needs agent.sh: kt_ok, kt_is, kt_get...) ----

kt_churn_tap_none() { # DESCRIPTION CMD...: CMD prints nothing (else its first lines)
	local d=$1 out
	shift
	out=$("$@")
	kt_is "$(printf '%s' "$out" | grep -c .)" 0 "$d"
	printf '%s\n' "$out" | grep . | head -n 5 | sed 's/^/#   /'
}

# kt_churn_tap_walks SECONDS MIN_CREATED [MIN_WALKS]: what every walk of
# the churn must show, and that the churn did churn: the churn and the
# walks were started with these minimums (kt_churn_start, kt_churn_walks)
# and go on past SECONDS until they are reached, so a slow machine takes
# longer, and only a churn or walk that stopped working falls short.
# MIN_WALKS defaults to SECONDS.  KT_CHURN_WALKS: the number of walks.
kt_churn_tap_walks() {
	local secs=$1 min=$2 min_w=${3:-$1} walks created seen name uuid
	walks=$(kt_churn_count_walks)
	created=$(kt_churn_count_ops create)
	KT_CHURN_WALKS=$walks
	echo "# churn of $secs s took $((${KT_CHURN_T1:-0} - ${KT_CHURN_T0:-0})) s: $walks walks ($(kt_churn_count_walks getnext) with GETNEXT), $(kt_churn_varbinds) varbinds"
	echo "# $created transient domains created, $(kt_churn_count_ops destroy) destroyed, the flapper stopped $(kt_churn_count_ops stop) times"
	kt_ok $((! (walks >= min_w))) "at least $min_w walks during the churn ($walks)"
	kt_is "$(kt_churn_count_walks "" ok)" "$walks" "every walk exits 0, without error text, ordered, in the subtree"
	kt_is "$(kt_churn_count_walks bulk ok)" "$(kt_churn_count_walks bulk)" "... the GETBULK walks"
	kt_is "$(kt_churn_count_walks getnext ok)" "$(kt_churn_count_walks getnext)" "... the GETNEXT walks"
	kt_churn_show_problems
	[ "$(pgrep -u "$(id -u)" -x libvirtd | head -n 1)" = "${KT_CHURN_LIBVIRTD:-}" ] ||
		echo "# libvirtd was restarted during the churn (not by this test): its test driver state is lost"
	kt_ok $((! (created >= min))) "transient domains were created ($created, want $min or more)"
	kt_is "$(kt_churn_count_ops create 0)" "$created" "every virsh create succeeded"
	kt_is "$(kt_churn_count_ops destroy 0)" "$created" "every one destroyed again"
	kt_ok $((! ($(kt_churn_count_ops stop 0) >= 1))) "the flapper was stopped and started again"
	seen=$(kt_churn_seen_transients)
	echo "# $seen of the $created transient domains appeared in a walk"
	kt_ok $((! (seen * 2 >= created))) "the walks saw at least half of the transient domains"
	kt_churn_tap_none "no kvmtopVmIndex is given to two UUIDs" kt_churn_index_reuse
	kt_churn_tap_none "no UUID has two kvmtopVmIndex values (the flapper included)" kt_churn_uuid_moves
	kt_churn_tap_none "device rows: no (VM, device) index names two devices, nor a device two indexes" \
		kt_churn_dev_reuse
	while read -r name uuid; do
		set -- $(kt_churn_survivor "$uuid")
		kt_is "$1 $2" "1 $walks" "$name: one index, in all $walks walks"
	done <<<"$KT_CHURN_SURVIVORS"
}

# After the churn: two more collections, then no row of a transient domain
# is left, every persistent one is there, and the agent still runs.
kt_churn_tap_after() {
	local n final=$KT_CHURN_DIR/final
	n=$(kt_get "$KT_CHURN_ROOT.1.1.9.0")
	kt_wait_refresh $((n + 2)) || kt_bail "collections stopped"
	kt_churn_bulkwalk "$KT_CHURN_ROOT" >"$final"
	kt_ok $? "a walk after the churn succeeds"
	kt_is "$(kt_churn_rows_of created "$final")" 0 "no row of a destroyed transient domain is left"
	kt_is "$(kt_churn_rows_of persistent "$final")" "$(grep -c . "$KT_CHURN_DIR/persistent")" \
		"every persistent domain still has its row"
	kill -0 "$KT_SUBAGENT_PID" 2>/dev/null
	kt_ok $? "the subagent is alive after the churn"
}
