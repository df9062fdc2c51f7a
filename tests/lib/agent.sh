# Shared by the integration tests (sourced, bash): TAP output, a private
# snmpd on a loopback port with an AgentX socket in a temporary directory,
# and the subagent under test.  Everything started is stopped on exit.

KT_SRCDIR=${KT_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KT_BUILDDIR=${KT_BUILDDIR:-$KT_SRCDIR}
KT_SUBAGENT=${KT_SUBAGENT:-$KT_BUILDDIR/kvmtop-subagent}
KT_ROOT_OID=.1.3.6.1.4.1.8072.9999.9999
# How long a test waits for an event at most.  A wait ends with its event,
# so the bound costs nothing when things work; it is far above what a busy
# 2-CPU machine takes, and only a hang reaches it.
KT_PATIENCE=${KT_PATIENCE:-120} # seconds
# The npm packages of the tests (tools/install-deps.sh); make distcheck's
# unpacked tree has none: CI points this at the source tree's.
KT_NODE_MODULES=${KT_NODE_MODULES:-$KT_SRCDIR/tests/node_modules}
export MIBS=""   # numeric OIDs only unless a test loads KVMTOP-MIB itself
export SNMP_PERSISTENT_DIR

kt_n=0
kt_failed=0
kt_pids=()

# ---- TAP ----
kt_ok() {   # kt_ok STATUS DESCRIPTION
	kt_n=$((kt_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $kt_n - $2"
	else
		echo "not ok $kt_n - $2"
		kt_failed=$((kt_failed + 1))
	fi
}
kt_is() {   # kt_is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		kt_ok 0 "$3"
	else
		kt_ok 1 "$3"
		echo "#   got '$1', want '$2'"
	fi
}
kt_near() { # kt_near GOT WANT TOLERANCE DESCRIPTION (integers)
	local d=$(($1 - $2))
	[ "$d" -lt 0 ] && d=$((-d))
	if [ -n "$1" ] && [ "$d" -le "$3" ]; then
		kt_ok 0 "$4"
	else
		kt_ok 1 "$4"
		echo "#   got '$1', want $2 +- $3"
	fi
}
kt_within() { # kt_within GOT MIN MAX DESCRIPTION (integers)
	if [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; then
		kt_ok 0 "$4"
	else
		kt_ok 1 "$4"
		echo "#   got '$1', want $2 to $3"
	fi
}
kt_bail() { echo "Bail out! $*"; exit 1; }
kt_done() {
	echo "1..$kt_n"
	[ "$kt_failed" -eq 0 ]
}

# ---- processes ----
kt_cleanup() {
	local p
	for p in "${kt_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${kt_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	[ -n "${KT_TMP:-}" ] && rm -rf "$KT_TMP"
}
kt_setup() {
	KT_TMP=$(mktemp -d /tmp/kvmtop-test.XXXXXX) || kt_bail "mktemp"
	SNMP_PERSISTENT_DIR=$KT_TMP/persist
	mkdir -p "$SNMP_PERSISTENT_DIR"
	trap kt_cleanup EXIT
	trap 'exit 1' INT TERM
	command -v snmpd >/dev/null || PATH=$PATH:/usr/sbin
	command -v snmpd >/dev/null || kt_bail "snmpd not found (Debian package snmpd)"
	command -v snmpget >/dev/null || kt_bail "snmpget not found (Debian package snmp)"
	[ -x "$KT_SUBAGENT" ] || kt_bail "$KT_SUBAGENT not built"
}

kt_snmpd_up_or_gone() { test -S "$KT_AGENTX" || ! kill -0 "$KT_SNMPD_PID" 2>/dev/null; }

# A private snmpd: UDP on 127.0.0.1:$KT_PORT, AgentX at $KT_AGENTX.
# Arguments, if any, are more lines for its snmpd.conf (trap2sink ...).
kt_start_snmpd() {
	local try
	KT_AGENTX=$KT_TMP/agentx.sock
	for try in 1 2 3 4 5; do
		KT_PORT=$((20000 + (RANDOM % 20000)))
		cat > "$KT_TMP/snmpd.conf" <<CONF
agentAddress udp:127.0.0.1:$KT_PORT
master agentx
agentXSocket unix:$KT_AGENTX
agentXTimeout 5
rocommunity public 127.0.0.1
CONF
		[ $# -gt 0 ] && printf '%s\n' "$@" >>"$KT_TMP/snmpd.conf"
		rm -f "$KT_AGENTX"
		snmpd -f -C -c "$KT_TMP/snmpd.conf" -Lf "$KT_TMP/snmpd.log" \
			-p "$KT_TMP/snmpd.pid" &
		KT_SNMPD_PID=$!
		# Up (its AgentX socket made) or gone (the port was taken).
		kt_wait_for $((KT_PATIENCE * 10)) kt_snmpd_up_or_gone
		if test -S "$KT_AGENTX" && kill -0 "$KT_SNMPD_PID" 2>/dev/null; then
			kt_pids+=("$KT_SNMPD_PID")
			return 0
		fi
		kill "$KT_SNMPD_PID" 2>/dev/null
		wait "$KT_SNMPD_PID" 2>/dev/null
	done
	cat "$KT_TMP/snmpd.log" >&2
	kt_bail "snmpd did not start"
}

# The subagent in the foreground (as a background job), logging to a file.
kt_start_subagent() {
	"$KT_SUBAGENT" --foreground -x "unix:$KT_AGENTX" \
		--state-dir "$KT_TMP/state" "$@" >>"$KT_TMP/subagent.log" 2>&1 &
	KT_SUBAGENT_PID=$!
	kt_pids+=("$KT_SUBAGENT_PID")
}

# kt_wait_for TENTHS CMD...: runs CMD every 0.1 s until it succeeds.
kt_wait_for() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

kt_snmp() { # kt_snmp TOOL OID [OPTIONS...]: a net-snmp client against the private snmpd
	local tool=$1 oid=$2
	shift 2
	"$tool" -v2c -c public -t 10 -r 1 "$@" "127.0.0.1:$KT_PORT" "$oid"
}
# Whether the OIDs (first field) of FILE strictly increase in SNMP order.
kt_oids_increasing() {
	awk '{
		n = split(substr($1, 2), cur, ".")
		if (NR > 1) {
			c = 0
			for (i = 1; i <= n && i <= pn && c == 0; i++)
				c = (cur[i] + 0 > prev[i] + 0) - (cur[i] + 0 < prev[i] + 0)
			if (c == 0) c = (n > pn) - (n < pn)
			if (c <= 0) { print "not increasing at " $1 > "/dev/stderr"; exit 1 }
		}
		for (i = 1; i <= n; i++) prev[i] = cur[i]
		pn = n
	}' "$1"
}
# Value of one OID (numeric form), empty when it has no instance.
kt_get() {
	local out
	out=$("snmpget" -v2c -c public -t 2 -r 1 -On -Oqv -Oe "127.0.0.1:$KT_PORT" "$1" 2>/dev/null) || return 1
	case "$out" in
	"No Such"*) return 1 ;;
	esac
	printf '%s\n' "$out" | tr -d '"'
}
# Waits until the agent has completed N collections (kvmtopAgentRefreshCount),
# at most TENTHS tenths of a second (default: KT_PATIENCE).
kt_wait_refresh() {
	local want=$1 tenths=${2:-$((KT_PATIENCE * 10))} got
	while [ "$tenths" -gt 0 ]; do
		got=$(kt_get "$KT_ROOT_OID.1.1.9.0") && [ "$got" -ge "$want" ] && return 0
		sleep 0.1
		tenths=$((tenths - 1))
	done
	return 1
}

# The number of collections the agent has completed ("" when it does not answer).
kt_refreshes() { kt_get "$KT_ROOT_OID.1.1.9.0"; }

# A --frequency so long that no collection comes by itself while a test
# runs: the test drives them with kt_collect_now.
KT_DRIVEN_FREQUENCY=86400

# kt_collect_now: the agent collects at once (SIGUSR1) and this returns when
# that collection is served.  For an agent started with
# -f $KT_DRIVEN_FREQUENCY, after its first collection: no cycle is under way
# then, so the next one counted is the one asked for, and nothing the test
# checks depends on how fast the machine is.
kt_collect_now() {
	local n
	n=$(kt_refreshes) || return 1
	KT_PREV_ASKED_NS=${KT_ASKED_NS:-} KT_PREV_COLLECTED_NS=${KT_COLLECTED_NS:-}
	KT_ASKED_NS=$(date +%s%N)
	kill -USR1 "$KT_SUBAGENT_PID" || return 1
	kt_wait_refresh $((n + 1)) || return 1
	KT_COLLECTED_NS=$(date +%s%N)
}
# The bounds (ms) of the interval between the samples of the last two
# kt_collect_now calls: each sample was taken between the call's asking and
# its collection being served.  Sets KT_INTERVAL_MIN_MS and _MAX_MS.
kt_sample_interval_bounds() {
	KT_INTERVAL_MIN_MS=$(((KT_ASKED_NS - KT_PREV_COLLECTED_NS) / 1000000))
	KT_INTERVAL_MAX_MS=$(((KT_COLLECTED_NS - KT_PREV_ASKED_NS) / 1000000 + 1))
}
# kt_collect_after SECONDS: kt_collect_now, no sooner than SECONDS after the
# last one was served (the first: after the agent's first collection, which
# the caller has waited for), so that the sample interval is at least that
# long: a lower bound only, a slow machine makes it longer.
kt_collect_after() {
	local wait_ns
	: "${KT_COLLECTED_NS:=$(date +%s%N)}"
	wait_ns=$((KT_COLLECTED_NS + $1 * 1000000000 - $(date +%s%N)))
	[ "$wait_ns" -gt 0 ] && sleep "$((wait_ns / 1000000000)).$(printf %09d $((wait_ns % 1000000000)))"
	kt_collect_now
}

# kt_complaints_allowed MS: the most lines one complaint may log within MS
# milliseconds (subagent/log.h): the first at once, each repeat after a
# back-off that starts at KT_COMPLAIN_FIRST s and doubles.  The agent counts
# whole seconds, so a gap may be up to a second short.  A complaint logged
# every collection exceeds it unless collections are a back-off apart.
kt_complaints_allowed() {
	local ms=$1 first gap n=1 at=0
	first=$(sed -n 's/^#define KT_COMPLAIN_FIRST \([0-9]*\).*/\1/p' "$KT_SRCDIR/subagent/log.h")
	gap=$((first * 1000))
	while [ $((at + gap - 1000)) -lt "$ms" ]; do
		at=$((at + gap - 1000)) n=$((n + 1)) gap=$((gap * 2))
	done
	echo "$n"
}
# Milliseconds (rounded up) since a time taken with date +%s%N.
kt_ms_since() { echo $((($(date +%s%N) - $1 + 999999) / 1000000)); }

# snmpd again, with the same port and AgentX socket (after a kill).
kt_restart_snmpd() {
	rm -f "$KT_AGENTX"
	snmpd -f -C -c "$KT_TMP/snmpd.conf" -Lf "$KT_TMP/snmpd.log" \
		-p "$KT_TMP/snmpd.pid" &
	KT_SNMPD_PID=$!
	kt_pids+=("$KT_SNMPD_PID")
	kt_wait_for $((KT_PATIENCE * 10)) kt_snmpd_up_or_gone
	test -S "$KT_AGENTX"
}

# The basic fixture: test-driver domains and a private copy of its procfs.
kt_fixture_basic() {
	KT_FIXTURE=$KT_SRCDIR/tests/fixtures/basic
	KT_PROC=$KT_TMP/proc
	cp -a "$KT_FIXTURE/proc" "$KT_PROC"
	KT_URI="test://$KT_FIXTURE/domains.xml"
}

# Seconds (with tenths) until CMD succeeds, at most LIMIT seconds; "" if never.
kt_time_until() {
	local limit=$1 start now
	shift
	start=$(date +%s%N)
	while :; do
		if "$@" >/dev/null 2>&1; then
			now=$(date +%s%N)
			echo $(( (now - start) / 100000000 )) | sed 's/.$/.&/;s/^\./0./'
			return 0
		fi
		now=$(date +%s%N)
		[ $(( (now - start) / 1000000000 )) -ge "$limit" ] && return 1
		sleep 0.2
	done
}

# Stops the subagent with SIGTERM and checks that it exits cleanly, without
# a sanitizer report (the ASan+UBSan build reports into its log).
kt_stop_subagent() {
	local rc
	kill -TERM "$KT_SUBAGENT_PID" 2>/dev/null
	wait "$KT_SUBAGENT_PID" 2>/dev/null
	rc=$?
	kt_is "$rc" 0 "the subagent exits 0 on SIGTERM"
	! grep -q -E 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' "$KT_TMP/subagent.log"
	kt_ok $? "no sanitizer report in the subagent's log"
	grep -E -A20 'Sanitizer|runtime error:' "$KT_TMP/subagent.log" | head -40 | sed 's/^/# /'
}
