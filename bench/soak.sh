#!/bin/bash
# Soak benchmark: kvmtop-subagent under valgrind memcheck for a long run of
# VM churn (tests/lib/churn.sh: transient domains of libvirt's test driver,
# served by the running libvirtd as test+unix:///default, created and
# destroyed continuously) while a client walks KVMTOP-MIB in a loop.  Does
# its memory settle, and does valgrind find leaks or errors?  See
# bench/README.md.
#
#   bench/soak.sh [--duration SECONDS] [--warmup SECONDS] [--frequency S]
#                 [--pool N] [--no-valgrind] [--no-lock]
#
# --duration (default 600) counts from the start of the churn; the RSS of
# the valgrind process (VmRSS: the agent's memory, valgrind's shadow memory
# and its queue of freed blocks) is read after --warmup seconds (default
# 60) and at the end, before SIGTERM.  --no-valgrind: the same run with the
# agent on its own, for its own RSS.  The agent collects every --frequency
# seconds (default 0.2) from a small fixture procfs (tests/fixtures/basic),
# so that it does not scan this machine's /proc.  At most --pool (default
# 6) transient domains are alive at once.  Prints "soak", "rss", "index",
# "checks", "valgrind" lines, "rss_at" samples every 30 s, and "target"
# lines; valgrind's log is kept as $BENCH_TMP/valgrind.log when BENCH_KEEP
# is set.  Takes the machine-wide lock of the end-to-end tests
# (tests/e2e/lib.sh): they may restart libvirtd, which loses the test
# driver's domains; --no-lock (the smoke test's few seconds) does not wait
# for it.
set -u
. "$(dirname "$0")/lib.sh"
. "$KT_SRCDIR/tests/lib/churn.sh"

duration=600
warmup=60
frequency=0.2
pool=6
lock=yes
memcheck=yes
usage() {
	sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0" | grep -v '^set -u'
	exit "$1"
}
while [ $# -gt 0 ]; do
	case "$1" in
	--duration) duration=$2; shift ;;
	--warmup) warmup=$2; shift ;;
	--frequency) frequency=$2; shift ;;
	--pool) pool=$2; shift ;;
	--no-lock) lock=no ;;
	--no-valgrind) memcheck=no ;;
	-h | --help) usage 0 ;;
	*) usage 2 ;;
	esac
	shift
done
[ "$warmup" -lt "$duration" ] || bench_die "--warmup must be shorter than --duration"

bench_setup "$KT_SUBAGENT"
for b in virsh flock pgrep; do
	command -v "$b" >/dev/null || bench_die "$b not found"
done
[ $memcheck = no ] || command -v valgrind >/dev/null || bench_die "valgrind not found"

# The end-to-end tests' lock (tests/lib/lock.sh).
if [ $lock = yes ]; then
	. "$KT_SRCDIR/tests/lib/lock.sh"
	kt_lock_take soak.sh || bench_die "the machine-wide test lock was not obtained"
fi

KT_CHURN_URI=test+unix:///default
KT_CHURN_PREFIX=kt-h3-soak-$$
KT_CHURN_DIR=$BENCH_TMP/churn
KT_CHURN_ROOT=$KT_ROOT_OID
KT_CHURN_POOL=$pool
KT_CHURN_SNMP_TIMEOUT=30 # a walk of an agent under valgrind
virsh -q -c "$KT_CHURN_URI" uri >/dev/null 2>&1 ||
	bench_die "libvirtd does not answer on $KT_CHURN_URI"
trap 'kt_churn_cleanup; bench_cleanup' EXIT
kt_churn_init || bench_die "cannot create $KT_CHURN_DIR"
kt_churn_hold $((duration + 900)) || bench_die "the test driver's state is not shared between connections"
kt_churn_survivors 3 || bench_die "persistent domains not started: $(cat "$KT_CHURN_DIR/virsh-errors")"

bench_machine
echo "versions valgrind=$([ $memcheck = yes ] && valgrind --version | sed 's/^valgrind-//' || echo off)" \
	"libvirt=$(virsh -v) net-snmp=$(snmpd -v 2>/dev/null | sed -n 's/^NET-SNMP version: *//p')"
bench_start_snmpd
KT_CHURN_PORT=$BENCH_PORT
proc=$BENCH_TMP/proc
cp -a "$KT_SRCDIR/tests/fixtures/basic/proc" "$proc"
state=$BENCH_TMP/state
vg=$BENCH_TMP/valgrind.log
run=()
[ $memcheck = yes ] &&
	run=(valgrind --tool=memcheck --leak-check=full --num-callers=30 --fullpath-after=
		--show-leak-kinds=definite,indirect,possible --log-file="$vg"
		--suppressions="$KT_SRCDIR/bench/valgrind.supp")
"${run[@]}" "$KT_SUBAGENT" --foreground -x "unix:$BENCH_AGENTX" -c "$KT_CHURN_URI" \
	--procfs "$proc" --sysfs "$KT_SRCDIR/tests/fixtures/basic/sys" \
	--state-dir "$state" -f "$frequency" >>"$BENCH_TMP/subagent.log" 2>&1 &
agent=$!
bench_pids+=("$agent")
bench_wait_refresh 2 1200 || bench_die "no second collection: $(tail -5 "$BENCH_TMP/subagent.log")"
kt_churn_wait_persistent || bench_die "the persistent domains never appeared"

keys() { grep -c -v -e '^#' -e '^next ' "$state"/* 2>/dev/null | awk -F: '{ s += $NF } END { print s + 0 }'; }
count() { bench_get "$KT_ROOT_OID.1.1.9.0"; }

# ---- the soak ----
t0=$(date +%s)
c0=$(count)
kt_churn_start "$duration"
kt_churn_walks "$duration" &
walker=$!
bench_pids+=("$walker")
rss_warm="" next=30
while [ $(($(date +%s) - t0)) -lt "$duration" ]; do
	sleep 1
	t=$(($(date +%s) - t0))
	if [ -z "$rss_warm" ] && [ "$t" -ge "$warmup" ]; then
		rss_warm=$(bench_rss_kib "$agent") keys_warm=$(keys) t_warm=$t
	fi
	if [ "$t" -ge "$next" ]; then
		echo "rss_at t=$t kib=$(bench_rss_kib "$agent") index_keys=$(keys)"
		next=$((next + 30))
	fi
done
# A slow machine: the warm-up figure and one collection during the soak
# at least, however long that takes (the smoke test's soak lasts 5 s).
[ -n "$rss_warm" ] || rss_warm=$(bench_rss_kib "$agent") keys_warm=$(keys) t_warm=$(($(date +%s) - t0))
bench_wait_refresh $((c0 + 1)) || echo "# no collection during the soak" >&2
kt_churn_wait
wait "$walker"
rss_end=$(bench_rss_kib "$agent") keys_end=$(keys) t_end=$(($(date +%s) - t0))
cycles=$(($(count) - c0))
alive=yes
kill -0 "$agent" 2>/dev/null || alive=no

kill -TERM "$agent"
n=1200
while [ $n -gt 0 ] && kill -0 "$agent" 2>/dev/null; do
	sleep 0.1
	n=$((n - 1))
done
wait "$agent"
exit_rc=$?

# ---- the report ----
echo "soak duration_s=$duration warmup_s=$warmup frequency_s=$frequency pool=$pool" \
	"cycles=$cycles walks=$(kt_churn_count_walks) walks_getnext=$(kt_churn_count_walks getnext)" \
	"varbinds=$(kt_churn_varbinds) creates=$(kt_churn_count_ops create)" \
	"destroys=$(kt_churn_count_ops destroy) flaps=$(kt_churn_count_ops stop)" \
	"virsh_failed=$(awk '$4 != 0' "$KT_CHURN_DIR/ops" | wc -l)" \
	"transients_seen=$(kt_churn_seen_transients)"
ratio=$(bench_ratio "$rss_end" "$rss_warm")
echo "rss warmup_t=$t_warm warmup_kib=$rss_warm end_t=$t_end end_kib=$rss_end ratio=$ratio"
echo "index keys_warmup=$keys_warm keys_end=$keys_end"
echo "checks walks_not_ok=$(($(kt_churn_count_walks) - $(kt_churn_count_walks "" ok)))" \
	"index_reuse=$(kt_churn_index_reuse | grep -c .)" \
	"uuid_moves=$(kt_churn_uuid_moves | grep -c .)" \
	"dev_reuse=$(kt_churn_dev_reuse | grep -c .)" \
	"alive_at_end=$alive exit=$exit_rc"
head -n 5 "$KT_CHURN_DIR/problems" | sed 's/^/# /'


# valgrind's verdict: errors, leak summary, where the lost blocks come from.
lost() { # lost KIND: "BYTES/BLOCKS" from the leak summary
	sed -n "s/^==[0-9]*== *$1 lost: \([0-9,]*\) bytes in \([0-9,]*\) blocks/\1\/\2/p" "$vg" |
		tail -n 1 | tr -d ,
}
# The allocation site of each definitely lost record: the first frame in
# our code (subagent/; valgrind prints full paths, --fullpath-after=), else
# the first frame past the allocator.
leak_sites() {
	awk '/definitely lost in loss record/ { grab = 1; first = ""; next }
		grab && /^==[0-9]*== *(at|by) / {
			f = $0; sub(/^==[0-9]*== *(at|by) 0x[0-9A-F]*: /, "", f)
			if (first == "" && f !~ /vg_replace_malloc/) first = f
			if (f ~ /subagent\//) { print "leak_at " f; grab = 0 }
			next
		}
		grab { print "leak_at " first; grab = 0 }' "$vg" | sort | uniq -c | sort -rn |
		head -n 10 | sed 's/^ *\([0-9]*\) /\1x /'
}
errors=- definite=0/0 indirect=0/0 possible=0/0
if [ $memcheck = yes ]; then
	errors=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$vg" | tail -n 1 | tr -d ,)
	definite=$(lost definitely) indirect=$(lost indirectly) possible=$(lost possibly)
	definite=${definite:-0/0} indirect=${indirect:-0/0} possible=${possible:-0/0}
	echo "valgrind errors=${errors:=-} definitely_lost=$definite" \
		"indirectly_lost=$indirect possibly_lost=$possible" \
		"still_reachable=$(sed -n 's/^==[0-9]*== *still reachable: \([0-9,]*\) bytes.*/\1/p' "$vg" | tail -n 1 | tr -d ,)"
	leak_sites
fi

met() { awk -v v="$1" -v l="$2" 'BEGIN { print (v != "-" && v != "" && v + 0 <= l + 0) ? "yes" : "no" }'; }
echo "target soak_rss_end_over_warmup value=$ratio limit=1.10 met=$(met "$ratio" 1.10)"
if [ $memcheck = yes ]; then
	leaked=$((${definite%%/*} + ${indirect%%/*}))
	echo "target soak_lost_bytes value=$leaked limit=0 met=$(met "$leaked" 0)"
	echo "target soak_valgrind_errors value=$errors limit=0 met=$(met "$errors" 0)"
fi
echo "end load=$(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${BENCH_KEEP:-}" ] && echo "# kept $BENCH_TMP" >&2
exit 0
