#!/bin/bash
# The benchmarks cannot rot: bench/gen-fixture makes the tree it promises,
# and each bench script runs at N = 10 with one run and prints its report
# lines with sane figures (bench/soak.sh for 5 s, when valgrind and
# libvirtd are there).  (The benchmarks themselves are not tests; see
# bench/README.md.)
. "$(dirname "$0")/../lib/agent.sh"
. "$(dirname "$0")/../e2e/lib.sh"
kt_setup
# collect.sh and soak.sh use the running libvirtd (test+unix), which the
# end-to-end tests stop and restart: not while one of them runs.
kt_e2e_lock
BENCH=$KT_SRCDIR/bench
export KT_SRCDIR KT_BUILDDIR KT_SUBAGENT
for b in bench/floor/kt-floor bench/collect/kt-collect-bench bench/latency/kt-getlat bench/live/kt-live-bench; do
	[ -x "$KT_BUILDDIR/$b" ] || kt_bail "$b not built"
done

# ---- the fixture generator ----
F=$KT_TMP/fix
python3 "$BENCH/gen-fixture" --vms 10 "$F" >/dev/null 2>&1
kt_ok $? "gen-fixture --vms 10 succeeds"
kt_is "$(grep -c '<domain ' "$F/domains.xml")" 10 "10 domains"
kt_is "$(grep -c '<test:runstate>5</test:runstate>' "$F/domains.xml")" 1 \
	"one of them shut off (vm-0009)"
kt_is "$(grep -c '<disk ' "$F/domains.xml")" 20 "two disks each"
kt_is "$(grep -c '<interface ' "$F/domains.xml")" 20 "two interfaces each"
# vm-0003: 4 vCPUs (1 + 3 % 4), PID 20000 + 16 * 3
kt_is "$(tr '\0' '\n' <"$F/proc/20048/cmdline" | grep -A1 -x -- -uuid | tail -n 1)" \
	b3c4d5e6-0000-4000-8000-000000000003 "vm-0003's cmdline carries -uuid UUID"
kt_is "$(grep -l '^CPU [0-9]*/KVM$' "$F"/proc/20048/task/*/comm | wc -l)" 4 \
	"vm-0003 has 4 vCPU threads"
kt_is "$(ls "$F/proc/20048/task" | wc -l)" 10 "and 6 other threads"
qemus=0
for i in 0 1 2 3 4 5 6 7 8 9; do
	[ -f "$F/proc/$((20000 + 16 * i))/cmdline" ] && qemus=$((qemus + 1))
done
kt_is "$qemus" 9 "one QEMU process per running domain (PID 20000 + 16 i)"
kt_is "$(cat "$F/sys/class/net/vnet7/ifindex")" 107 "tap vnet7 has an ifindex"
before=$(cut -d' ' -f1 "$F/proc/20048/task/20051/schedstat")
rx_before=$(awk '$1 == "vnet7:" { print $2 }' "$F/proc/net/dev")
python3 "$BENCH/gen-fixture" --advance "$F" >/dev/null 2>&1
kt_ok $? "gen-fixture --advance succeeds"
after=$(cut -d' ' -f1 "$F/proc/20048/task/20051/schedstat")
rx_after=$(awk '$1 == "vnet7:" { print $2 }' "$F/proc/net/dev")
kt_ok $((! (after > before))) "--advance moves a vCPU's run time on ($before -> $after)"
kt_ok $((! (rx_after > rx_before))) "--advance moves net/dev on ($rx_before -> $rx_after)"
"$KT_SUBAGENT" -c "test://$F/domains.xml" --procfs "$F/proc" --sysfs "$F/sys" \
	--state-dir "$KT_TMP/state" --print json -f 0.1 >"$KT_TMP/print.json" 2>/dev/null
kt_is "$(grep -c '"data_valid": true' "$KT_TMP/print.json")" 10 \
	"the agent reads every VM of the fixture (data_valid)"

# lines LOG REGEX: how many lines of LOG match
lines() { grep -c -E "$2" "$1"; }
NUM='[0-9]+(\.[0-9]+)?'
# Each script's bound: a smoke run takes seconds to a minute on a quiet
# machine; this only catches a hang, never a busy machine.
LIMIT=$((KT_PATIENCE * 5))

# ---- walk ----
W=$KT_TMP/walk.out
timeout "$LIMIT" "$BENCH/walk.sh" --vms 10 --runs 1 --interval 1 >"$W" 2>"$KT_TMP/walk.err"
kt_ok $? "walk.sh at N=10 succeeds"
kt_is "$(lines "$W" "^walk n=10 mode=(pinned|unpinned) tool=[a-z0-9-]+ target=(kvmtop|floor|native) varbinds=[0-9]+ .*us_per_vb=$NUM .*snmpd_cpu_us_per_vb=$NUM")" 18 \
	"18 walk lines (2 modes x 3 tools x 3 targets) with figures"
vb_k=$(sed -n 's/^walk n=10 mode=pinned tool=bulkwalk target=kvmtop varbinds=\([0-9]*\) .*/\1/p' "$W")
vb_f=$(sed -n 's/^walk n=10 mode=pinned tool=bulkwalk target=floor varbinds=\([0-9]*\) .*/\1/p' "$W")
kt_ok $((! (vb_k > 500))) "KVMTOP-MIB walk at N=10 returns hundreds of varbinds ($vb_k)"
kt_is "$vb_f" "$vb_k" "the floor serves as many varbinds"
# A ratio is "-" (and its target "unknown") when the floor's figure came
# out 0: on a busy machine a small walk's time less the client's start-up
# time (measured apart) can be 0.  The lines must be there all the same.
kt_is "$(lines "$W" "^ratio n=10 .* us_per_vb=($NUM|-) subagent_cpu=($NUM|-)")" 6 "6 ratio lines"
kt_is "$(lines "$W" '^(target|goal) walk_(us|cpu)_ratio .* met=(yes|no|unknown)$')" 12 \
	"walk target and goal lines"
grep -E '^ratio .*=-|met=unknown' "$W" | sed 's/^/# unknown figure: /' | head -4
kt_is "$(lines "$W" '^machine nproc=[0-9]+ model=')" 1 "the machine line"
sed 's/^/# /' "$KT_TMP/walk.err" | head -20

# ---- collect ----
C=$KT_TMP/collect.out
timeout "$LIMIT" "$BENCH/collect.sh" --vms 10 --cycles 5 --long 0 --trace-cycles 2 \
	>"$C" 2>"$KT_TMP/collect.err"
kt_ok $? "collect.sh at N=10 succeeds"
kt_is "$(lines "$C" "^collect n=10 cycles=5 first_cpu_ms=$NUM first_wall_ms=$NUM cpu_ms=$NUM")" 1 \
	"the collect line"
kt_is "$(lines "$C" "^rss n=10 start_kib=[0-9]+ cycle1_kib=[0-9]+ cycle5_kib=[0-9]+")" 1 "the rss line"
if command -v strace >/dev/null; then
	# each of the 9 QEMU processes: found by the scan, then opened again
	first=$(sed -n 's/^files n=10 cycle=first .* cmdline=\([0-9]*\) .*/\1/p' "$C")
	kt_ok $((! (first >= 18 && first <= 118))) \
		"the first cycle scans /proc: 18..118 cmdline reads ($first)"
	kt_is "$(sed -n 's/^files n=10 cycle=steady .* cmdline=\([0-9]*\) .*/\1/p' "$C")" 0 \
		"later cycles scan no cmdline"
else
	kt_ok 0 "# SKIP no strace"
	kt_ok 0 "# SKIP no strace"
fi
kt_is "$(sed -n 's/^libvirt n=10 cycle=first .*virDomainGetXMLDesc=\([0-9]*\).*/\1/p' "$C")" 9 \
	"the first cycle reads each running domain's XML once"
kt_is "$(lines "$C" '^libvirt n=10 cycle=steady .*virDomainGetXMLDesc')" 0 \
	"later cycles read no XML"
kt_is "$(lines "$C" '^target collect_cpu_ms n=10 value=[0-9.]+ limit=60 met=(yes|no)$')" 1 \
	"the collect target line"
sed 's/^/# /' "$KT_TMP/collect.err" | head -20

# ---- latency ----
L=$KT_TMP/latency.out
timeout "$LIMIT" "$BENCH/latency.sh" --vms 10 --count 100 --pace 500 >"$L" 2>"$KT_TMP/latency.err"
kt_ok $? "latency.sh at N=10 succeeds"
kt_is "$(lines "$L" "^latency n=10 mode=(pinned|unpinned) state=(idle|busy) gets=100 ok=[0-9]+ nosuch=[0-9]+ errors=0 p50_us=$NUM p90_us=$NUM p99_us=$NUM")" 4 \
	"4 latency lines (2 modes x idle, busy), no errors"
kt_is "$(lines "$L" '^target get_p99_busy_over_idle n=10 mode=[a-z]+ value=[0-9.]+ limit=2.00 met=(yes|no)$')" 2 \
	"the latency target lines"
sed 's/^/# /' "$KT_TMP/latency.err" | head -20

# ---- live: kvmtop-live's remote refresh ----
LV=$KT_TMP/live.out
timeout 300 "$BENCH/live.sh" --vms 10 --runs 1 --interval 2 >"$LV" 2>"$KT_TMP/live.err"
kt_ok $? "live.sh at N=10 succeeds"
kt_is "$(lines "$LV" "^live mode=(view|json) vms=10 columns=[0-9]+ runs=1 wall_ms=\"$NUM .*requests=\"$NUM")" 2 \
	"the live lines (view, json)"
kt_is "$(lines "$LV" "^bulkwalk mode=(view|json) vms=10 walks_per_round=[0-9]+ wall_ms=")" 2 "the bulkwalk lines"
kt_is "$(lines "$LV" '^goal mode=(view|json) what=.* met=(yes|no)$')" 2 "the goal lines"
# The view's refresh asks for the columns it shows and no others.
kt_is "$(sed -n 's/^columns mode=view //p' "$LV")" \
	"kvmtopVmName kvmtopVmState kvmtopVmDataValid kvmtopVmCpuCores kvmtopVmCpuTotal kvmtopVmCpuSteal kvmtopVmCpuOtherTotal kvmtopVmCpuOtherSteal kvmtopVmMemTotal kvmtopVmMemUsed kvmtopVmMemRss kvmtopVmDiskRdBytes kvmtopVmDiskWrBytes kvmtopVmDiskIoutil kvmtopVmNetRxBytes kvmtopVmNetTxBytes kvmtopVmIoReadBytes kvmtopVmIoWriteBytes kvmtopHostMemName kvmtopHostMemValue " \
	"the view's refresh walks only the columns on its screen"
sed 's/^/# /' "$KT_TMP/live.err" | head -20

# ---- soak (under valgrind, on the running libvirtd's test driver) ----
if ! command -v valgrind >/dev/null; then
	for i in 1 2 3 4 5 6; do kt_ok 0 "# SKIP no valgrind"; done
elif ldd "$KT_SUBAGENT" 2>/dev/null | grep -q 'libasan'; then
	# ASan's shadow memory and valgrind cannot share a process.
	for i in 1 2 3 4 5 6; do kt_ok 0 "# SKIP valgrind cannot run an AddressSanitizer build"; done
elif ! virsh -q -c test+unix:///default uri >/dev/null 2>&1; then
	for i in 1 2 3 4 5 6; do kt_ok 0 "# SKIP libvirtd does not answer on test+unix:///default"; done
else
	S=$KT_TMP/soak.out
	timeout "$LIMIT" "$BENCH/soak.sh" --duration 5 --warmup 2 --no-lock >"$S" 2>"$KT_TMP/soak.err"
	kt_ok $? "soak.sh for 5 s succeeds"
	kt_is "$(lines "$S" "^soak duration_s=5 .* cycles=[1-9][0-9]* walks=[1-9][0-9]* .* creates=[1-9][0-9]* destroys=[0-9]+ ")" 1 \
		"the soak line: collections, walks and domains created"
	kt_is "$(lines "$S" "^rss warmup_t=[0-9]+ warmup_kib=[0-9]+ end_t=[0-9]+ end_kib=[0-9]+ ratio=$NUM$")" 1 \
		"the rss line"
	kt_is "$(lines "$S" '^valgrind errors=[0-9]+ definitely_lost=[0-9]+/[0-9]+ indirectly_lost=[0-9]+/[0-9]+ ')" 1 \
		"the valgrind line, from valgrind's summary"
	kt_is "$(lines "$S" '^checks walks_not_ok=0 index_reuse=0 uuid_moves=0 dev_reuse=0 alive_at_end=yes exit=0$')" 1 \
		"the soak's walks pass the churn checks, the agent exits 0"
	kt_is "$(lines "$S" '^target soak_[a-z_]+ value=[0-9.]+ limit=[0-9.]+ met=(yes|no)$')" 3 \
		"the soak target lines"
	sed 's/^/# /' "$KT_TMP/soak.err" | head -20
fi

kt_done
