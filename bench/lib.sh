# Shared by the benchmark scripts (sourced, bash): a private snmpd on a
# loopback port with an AgentX socket in a temporary directory, the
# subagent on a generated fixture, the floor subagent, CPU accounting from
# schedstat, and small statistics.  Everything started is stopped on exit.
#
# KT_BUILDDIR points at the build tree (default: the source tree), so
# `KT_BUILDDIR=build bench/walk.sh` benchmarks an out-of-tree build.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KT_SRCDIR=${KT_SRCDIR:-$(cd "$BENCH_DIR/.." && pwd)}
KT_BUILDDIR=${KT_BUILDDIR:-$KT_SRCDIR}
KT_SUBAGENT=${KT_SUBAGENT:-$KT_BUILDDIR/kvmtop-subagent}
KT_FLOOR=$KT_BUILDDIR/bench/floor/kt-floor
KT_COLLECT_BENCH=$KT_BUILDDIR/bench/collect/kt-collect-bench
KT_GETLAT=$KT_BUILDDIR/bench/latency/kt-getlat
KT_ROOT_OID=.1.3.6.1.4.1.8072.9999.9999
KT_FLOOR_OID=.1.3.6.1.4.1.8072.9999.9998
export MIBS=""   # numeric OIDs: no client loads or prints MIB names
export SNMP_PERSISTENT_DIR

bench_pids=()

bench_die() { echo "bench: $*" >&2; exit 1; }

bench_cleanup() {
	local p
	for p in "${bench_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${bench_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	[ -n "${BENCH_TMP:-}" ] && [ -z "${BENCH_KEEP:-}" ] && rm -rf "$BENCH_TMP"
}

# bench_setup BINARY...: a temporary directory, cleanup on exit, the tools.
bench_setup() {
	local b
	# In memory like /proc itself (tmpfs when there is one): a fixture on a
	# disk file system adds page-cache and readahead work that reading
	# /proc never has, and that is not the agent's.
	BENCH_TMP=$(mktemp -d "$([ -w /dev/shm ] && echo /dev/shm || echo /tmp)/kvmtop-bench.XXXXXX") ||
		bench_die "mktemp"
	SNMP_PERSISTENT_DIR=$BENCH_TMP/persist
	mkdir -p "$SNMP_PERSISTENT_DIR"
	trap bench_cleanup EXIT
	trap 'exit 1' INT TERM
	command -v snmpd >/dev/null || PATH=$PATH:/usr/sbin
	for b in snmpd snmpget snmpbulkwalk snmpwalk taskset python3; do
		command -v "$b" >/dev/null || bench_die "$b not found"
	done
	for b in "$@"; do
		[ -x "$b" ] || bench_die "$b not built (run make)"
	done
}

# The machine the figures come from, as one line.
bench_machine() {
	local model
	model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	echo "machine nproc=$(nproc) model=\"$model\" kernel=$(uname -r)" \
		"load=$(cut -d' ' -f1 /proc/loadavg) date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}

# How long (s) a wait for an event lasts at most: far above what a busy
# 2-CPU machine takes (tests/integration/bench_smoke.sh runs the scripts
# beside the other tests); only a hang reaches it.
BENCH_PATIENCE=${BENCH_PATIENCE:-${KT_PATIENCE:-120}}

# bench_wait_for TENTHS CMD...: runs CMD every 0.1 s until it succeeds.
bench_wait_for() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# A private snmpd: UDP on 127.0.0.1:$BENCH_PORT, AgentX at $BENCH_AGENTX.
# Connections are not logged (snmpd would write a line per request).
bench_start_snmpd() {
	local try
	BENCH_AGENTX=$BENCH_TMP/agentx.sock
	for try in 1 2 3 4 5; do
		BENCH_PORT=$((20000 + (RANDOM % 20000)))
		cat >"$BENCH_TMP/snmpd.conf" <<CONF
agentAddress udp:127.0.0.1:$BENCH_PORT
master agentx
agentXSocket unix:$BENCH_AGENTX
agentXTimeout 10
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
CONF
		rm -f "$BENCH_AGENTX"
		snmpd -f -C -c "$BENCH_TMP/snmpd.conf" -Lf "$BENCH_TMP/snmpd.log" \
			-I -smux -p "$BENCH_TMP/snmpd.pid" &
		BENCH_SNMPD_PID=$!
		if bench_wait_for $((BENCH_PATIENCE * 10)) test -S "$BENCH_AGENTX" &&
			kill -0 "$BENCH_SNMPD_PID" 2>/dev/null; then
			bench_pids+=("$BENCH_SNMPD_PID")
			return 0
		fi
		kill "$BENCH_SNMPD_PID" 2>/dev/null
		wait "$BENCH_SNMPD_PID" 2>/dev/null
	done
	cat "$BENCH_TMP/snmpd.log" >&2
	bench_die "snmpd did not start"
}

# bench_fixture N: a generated fixture of N domains in $BENCH_FIX.
bench_fixture() {
	BENCH_FIX=$BENCH_TMP/fixture-$1
	BENCH_URI="test://$BENCH_FIX/domains.xml"
	[ -d "$BENCH_FIX" ] && return 0
	python3 "$BENCH_DIR/gen-fixture" --vms "$1" "$BENCH_FIX" ||
		bench_die "gen-fixture failed"
}

# bench_start_subagent ARGS...: kvmtop-subagent on $BENCH_FIX.
# The index map is kept per fixture: a restarted agent keeps its indexes.
bench_start_subagent() {
	"$KT_SUBAGENT" --foreground -x "unix:$BENCH_AGENTX" \
		-c "$BENCH_URI" --procfs "$BENCH_FIX/proc" \
		--sysfs "$BENCH_FIX/sys" --state-dir "$BENCH_FIX.state" "$@" \
		>>"$BENCH_TMP/subagent.log" 2>&1 &
	BENCH_AGENT_PID=$!
	bench_pids+=("$BENCH_AGENT_PID")
}

bench_stop() { # bench_stop PID
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# bench_start_floor COUNT: the floor subagent serving COUNT instances.
bench_start_floor() {
	"$KT_FLOOR" -x "unix:$BENCH_AGENTX" --count "$1" \
		>>"$BENCH_TMP/floor.log" 2>&1 &
	BENCH_FLOOR_PID=$!
	bench_pids+=("$BENCH_FLOOR_PID")
}

# Value of one OID, empty (and status 1) when it has no instance.
bench_get() {
	local out
	out=$(snmpget -v2c -c public -t 2 -r 1 -On -Oqv -Oe \
		"127.0.0.1:$BENCH_PORT" "$1" 2>/dev/null) || return 1
	case "$out" in
	"No Such"* | "") return 1 ;;
	esac
	printf '%s\n' "$out" | tr -d '"'
}

# Waits until the agent has completed N collections (kvmtopAgentRefreshCount),
# at most TENTHS tenths of a second (default and least: BENCH_PATIENCE).
bench_wait_refresh() {
	local want=$1 tenths=${2:-0} got
	[ "$tenths" -ge $((BENCH_PATIENCE * 10)) ] || tenths=$((BENCH_PATIENCE * 10))
	while [ "$tenths" -gt 0 ]; do
		got=$(bench_get "$KT_ROOT_OID.1.1.9.0") && [ "$got" -ge "$want" ] &&
			return 0
		sleep 0.1
		tenths=$((tenths - 1))
	done
	return 1
}

# Run time (ns) of every thread of PID so far, from schedstat.
bench_cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null |
		awk '{ s += $1 } END { printf "%.0f\n", s }'
}

bench_rss_kib() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/"$1"/status 2>/dev/null
}

# bench_pin CPULIST PID...: all threads of each PID on CPULIST.
bench_pin() {
	local cpus=$1 p
	shift
	for p in "$@"; do
		taskset -a -p -c "$cpus" "$p" >/dev/null ||
			bench_die "taskset $cpus $p failed"
	done
}

bench_all_cpus() { echo "0-$(($(nproc) - 1))"; }

bench_now_ns() { date +%s%N; }

# median/min/max of numbers on stdin: "MED MIN MAX" (empty input: "- - -").
bench_stats() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "- - -"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.3f %.3f %.3f\n", m, v[1], v[NR]
		}'
}

# bench_ratio A B: A / B to two decimals, "-" when either is missing.
bench_ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0)
			print "-"
		else
			printf "%.2f\n", a / b
	}'
}
