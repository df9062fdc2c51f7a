#!/bin/bash
# Hostile /proc through the running agent.  The basic fixture's procfs tree
# gets, at test time, one copy of vm-alpha's QEMU process (PID 4101) per
# hostile case, each with its own test-driver domain (hostile-CASE, no
# devices).  After two phase-1 samples the tree switches to phase 2 and
# each copy is damaged in its own way: files cut short in the middle of a
# number, empty, binary, one 64 KiB line, missing; threads that vanish
# (a task directory without files, a dangling symlink); a PID reused by
# another process (rewritten in place, or a new directory).  The host files
# (stat, meminfo, diskstats, net/dev, pressure/*) are damaged as well.  In
# phase 3 the files that were merely damaged are whole again, and the host
# files are damaged another way.
#
# Over SNMP: the agent keeps answering, every table walks with increasing
# OIDs, vm-alpha and vm-bravo keep the hand-worked values of
# tests/fixtures/basic/EXPECTED.md(-host), each copy serves exactly what
# vm-alpha serves except the columns its damage concerns (absent, and
# kvmtopVmDataValid false), never a half-read number, a reused PID's
# numbers are nobody's, and the counters go on as if nothing had happened
# once the files read again.  The log names what could not be read, once
# per VM and file however many cycles it lasts.
. "$(dirname "$0")/../lib/agent.sh"
. "$(dirname "$0")/../lib/walk.sh"
kt_setup
kt_fixture_basic
INTERVAL_S=2
VM=$R.1.2.1 CPU=$R.1.3.1 MEM=$R.1.4.1 DSUM=$R.1.5.1 IO=$R.1.7.1 VCPU=$R.1.8.1
H=$R.1.11 MEMT=$R.1.12.1 DISK=$R.1.13.1 NET=$R.1.14.1 PSI=$R.1.15.1
LOG=$KT_TMP/subagent.log

# The cases, each a copy of vm-alpha's process (PID 5000 + 100 x position).
CASES=(stat-cut stat-empty stat-binary stat-64k stat-missing
	io-cut io-binary io-64k io-empty io-missing
	sched-cut sched-empty sched-binary sched-64k
	comm-cut comm-binary comm-64k comm-missing
	tstat-cut tstat-binary task-missing task-empty
	thread-gone thread-symlink vcpu-gone cmdline-binary
	reuse-inplace reuse-newdir)
declare -A PID_OF UUID_OF

# ---- building the tree ----
OVER=$KT_TMP/over2   # what changes for phase 2 (the fixture's phase2/ and the copies')
FULL2=$KT_TMP/full2  # each copy's whole phase-2 directory, to make it whole again

# clone_dir SRC DST PID UUID NAME: 4101's (partial) tree as process PID of
# domain NAME: threads 4101.. renumbered PID.., the first stat field and
# the cmdline's UUID and guest name changed.
clone_dir() {
	local src=$1 dst=$2 pid=$3 uuid=$4 name=$5 t n
	mkdir -p "$dst"
	cp -R "$src/." "$dst/"
	for t in "$dst"/task/*; do
		[ -e "$t" ] || continue
		n=$(( ${t##*/} - 4101 + pid ))
		mv "$t" "$dst/task/$n"
		if [ -f "$dst/task/$n/stat" ]; then sed -i "1s/^[0-9]* /$n /" "$dst/task/$n/stat"; fi
	done
	if [ -f "$dst/stat" ]; then sed -i "1s/^4101 /$pid /" "$dst/stat"; fi
	if [ -f "$dst/cmdline" ]; then sed -i "s/$ALPHA/$uuid/;s/guest=vm-alpha,/guest=$name,/" "$dst/cmdline"; fi
}
alpha_domain() { # vm-alpha's <domain> without its devices
	awk '/<domain /{n++} n == 1 {print} /<\/domain>/ && n == 1 {exit}' "$KT_FIXTURE/domains.xml" |
		sed '/<devices>/,/<\/devices>/d'
}

mkdir -p "$OVER" "$FULL2"
cp -R "$KT_FIXTURE/phase2/." "$OVER/"
sed '/<\/node>/d' "$KT_FIXTURE/domains.xml" > "$KT_TMP/domains.xml"
i=0
for c in "${CASES[@]}"; do
	i=$((i + 1))
	pid=$((5000 + 100 * i))
	uuid=$(printf '6f1c3a52-8d2e-4b7a-9c1e-%012d' "$pid")
	PID_OF[$c]=$pid UUID_OF[$c]=$uuid
	clone_dir "$KT_FIXTURE/proc/4101" "$KT_PROC/$pid" "$pid" "$uuid" "hostile-$c"
	clone_dir "$KT_FIXTURE/phase2/4101" "$OVER/$pid" "$pid" "$uuid" "hostile-$c"
	cp -a "$KT_PROC/$pid" "$FULL2/$pid"
	cp -R "$OVER/$pid/." "$FULL2/$pid/"
	rm -r "$FULL2/$pid/task/$((pid + 6))"   # 4107, the thread that exits
	alpha_domain | sed "s/vm-alpha/hostile-$c/;s/$ALPHA/$uuid/" >> "$KT_TMP/domains.xml"
done
echo '</node>' >> "$KT_TMP/domains.xml"
KT_URI="test://$KT_TMP/domains.xml"
echo "# ${#CASES[@]} hostile copies of vm-alpha"

# ---- the damage ----
cut_after() { # cut_after FILE TEXT: FILE ends right after the first TEXT
	local f=$1 s=$2 all head
	all=$(cat "$f")
	head=${all%%"$s"*}
	[ "$head" != "$all" ] || kt_bail "cut_after: '$s' is not in $f"
	printf '%s%s' "$head" "$s" > "$f"
}
binary() { printf '\0\377\377\0garbage\377\0\n\377' > "$1"; }
line64k() { { head -c 65536 /dev/zero | tr '\0' 7; echo; } > "$1"; }
# Another process (sshd) as PID $2 in directory $1, with numbers of its own.
other_process() {
	rm -rf "$1/task"
	mkdir -p "$1/task/$2"
	printf '/usr/sbin/sshd\0-D\0' > "$1/cmdline"
	printf 'sshd\n' > "$1/comm"
	printf 'sshd\n' > "$1/task/$2/comm"
	printf '%s (sshd) S 1 %s %s 0 -1 4194560 424242 0 77 0 10 5 0 0 20 0 1 0 999999 12345678 7777 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 0 0 0 66 0 0 0 0 0 0 0 0 0 0 0\n' \
		"$2" "$2" "$2" > "$1/stat"
	printf '999999999 888888 7\n' > "$1/task/$2/schedstat"
	printf 'rchar: 4242424242\nwchar: 4242424243\nsyscr: 4242\nsyscw: 4243\nread_bytes: 4242424244\nwrite_bytes: 4242424245\ncancelled_write_bytes: 4242424246\n' > "$1/io"
}
# Numbers of that process that must never be served (rss 7777 pages).
FOREIGN="424242 999999999 888888 4242424242 4242424243 4242424244 4242424245 4242424246 12345678 $((7777 * 4096)) 660000000"

damage() { # damage CASE: phase 2's damage to the copy of CASE
	local d=$KT_PROC/${PID_OF[$1]} p=${PID_OF[$1]}
	local v0=$d/task/$((p + 4)) v1=$d/task/$((p + 5)) new=$d/task/$((p + 7))
	case $1 in
	stat-cut) cut_after "$d/stat" " 3221225472 21" ;;    # rss 210000
	stat-empty) : > "$d/stat" ;;
	stat-binary) binary "$d/stat" ;;
	stat-64k) line64k "$d/stat" ;;
	stat-missing) rm "$d/stat" ;;
	io-cut) cut_after "$d/io" "cancelled_write_bytes: 10" ;;   # 1048576
	io-binary) binary "$d/io" ;;
	io-64k) line64k "$d/io" ;;
	io-empty) : > "$d/io" ;;
	io-missing) rm "$d/io" ;;
	sched-cut) cut_after "$v0/schedstat" "121500000000 65" ;;  # wait 6500000000
	sched-empty) : > "$v0/schedstat" ;;
	sched-binary) binary "$v0/schedstat" ;;
	sched-64k) line64k "$v0/schedstat" ;;
	comm-cut) cut_after "$new/comm" "work" ;;
	comm-binary) binary "$new/comm" ;;
	comm-64k) line64k "$new/comm" ;;
	comm-missing) rm "$new/comm" ;;
	tstat-cut) # processor (field 39) 13, cut after its first digit
		sed -i 's/ 17 3 0 0 0 / 17 13 0 0 0 /' "$v0/stat"
		cut_after "$v0/stat" " 17 1" ;;
	tstat-binary) binary "$v0/stat" ;;
	task-missing) rm -r "$d/task" ;;
	task-empty) rm -r "$d"/task/* ;;
	thread-gone) rm "$d/task/$((p + 2))"/* ;;          # 4103, IO mon_iothread
	thread-symlink) rm -r "$d/task/$((p + 1))"          # 4102, call_rcu
		ln -s "$KT_TMP/no-such-thread" "$d/task/$((p + 1))" ;;
	vcpu-gone) rm "$v1"/* ;;                            # 4106, CPU 1/KVM
	cmdline-binary) binary "$d/cmdline" ;;
	reuse-inplace) other_process "$d" "$p" ;;
	reuse-newdir) rm -r "$d"; mkdir "$d"; other_process "$d" "$p" ;;
	esac
}
# The cases whose files are whole again in phase 3 (a thread that exited
# stays gone, a reused PID stays someone else's).
restored() {
	case $1 in
	thread-*|vcpu-gone|cmdline-binary|reuse-*) return 1 ;;
	esac
	return 0
}

host_damage2() {
	printf 'cpu  10600 100 2200 83' > "$KT_PROC/stat"      # 83000
	binary "$KT_PROC/meminfo"
	{ head -n 1 "$OVER/diskstats"; head -c 65536 /dev/zero | tr '\0' 7; echo
	  tail -n +2 "$OVER/diskstats"; } > "$KT_PROC/diskstats"
	# vnet7's last number 12345, cut after "12"
	sed '$s/ 0$/ 12345/' "$OVER/net/dev" > "$KT_PROC/net/dev"
	cut_after "$KT_PROC/net/dev" "28000     280    0    0    0     0       0          12"
	: > "$KT_PROC/pressure/cpu"
	cut_after "$KT_PROC/pressure/io" "total=128"           # 1284567
	rm "$KT_PROC/pressure/memory"
}
host_damage3() {
	{ cat "$OVER/stat"; head -c 65536 /dev/zero | tr '\0' 7; echo; } > "$KT_PROC/stat"
	cp "$KT_FIXTURE/proc/meminfo" "$KT_PROC/meminfo"
	rm "$KT_PROC/diskstats"
	{ head -n 3 "$OVER/net/dev"; printf '\0\377 vnet9: \377\n'; tail -n +4 "$OVER/net/dev"; } > "$KT_PROC/net/dev"
	cp "$OVER/pressure/cpu" "$KT_PROC/pressure/cpu"
	binary "$KT_PROC/pressure/io"
	line64k "$KT_PROC/pressure/memory"
}

# ---- walking ----
WALK_RC=0
refreshes() { kt_get "$R.1.1.9.0"; }
# walk FILE: a bulk walk of KVMTOP-MIB, normalized, WALK_RC its status; all
# of it from one snapshot (the test drives the collections: none runs
# unless it asks).
walk() {
	local n
	n=$(refreshes)
	kt_snmp snmpbulkwalk "$R" -On -Cr25 > "$1.raw" 2> "$1.err"
	WALK_RC=$?
	kt_normalize < "$1.raw" > "$1"
	[ "$(refreshes)" = "$n" ] || kt_bail "a collection nobody asked for ran during the walk"
}
# switch CMD...: runs CMD (which changes the tree), then the next collection,
# at least INTERVAL_S after the one before so that no percentage is clamped.
switch() {
	"$@"
	kt_collect_after "$INTERVAL_S" || kt_bail "no collection after the switch: $(tail -3 "$LOG")"
}
serving() { # serving FILE PHASE: the agent runs, the walk worked (meminfo
	# may be broken: kvmtopHostMemTable is not looked for)
	kill -0 "$KT_SUBAGENT_PID" 2>/dev/null
	kt_ok $? "$2: the subagent is still running"
	kt_is "$WALK_RC" 0 "$2: the walk of KVMTOP-MIB ended without error"
	kt_oids_increasing "$1"
	kt_ok $? "$2: the walk's OIDs strictly increase"
	local t missing=""
	for t in 1.1 1.2 1.3 1.4 1.7 1.8 1.11; do
		grep -q "^$R\.$t\." "$1" || missing="$missing $t"
	done
	kt_is "$missing" "" "$2: the VM, CPU, memory, I/O, vCPU and host groups answer"
	sed 's/^/# /' "$1.err" | head -3
}

# row FILE PREFIX IDX: "COL[.SUB] TYPE VALUE" of VM IDX in a table at PREFIX
row() {
	local p=${2//./\\.}
	grep -E "^$p\.[0-9]+\.$3(\.[0-9]+)? " "$1" | sed -E "s/^$p\.([0-9]+)\.$3(\.[0-9]+)? /\1\2 /"
}
cols() { # cols COLS...: keeps the lines of those columns (stdin)
	local re
	re=$(echo "$@" | tr ' ' '|')
	grep -E "^($re)(\.[0-9]+)? " || true
}
# same FILE PREFIX IDX "COLS" DESCRIPTION: VM IDX's columns COLS are those of vm-alpha
same() {
	local a b
	a=$(row "$1" "$2" "$A" | cols $4)
	b=$(row "$1" "$2" "$3" | cols $4)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		kt_ok 0 "$5"
	else
		kt_ok 1 "$5"
		diff <(echo "$a") <(echo "$b") | head -6 | sed 's/^/#   /'
	fi
}
none() { # none FILE PREFIX IDX "COLS" DESCRIPTION: no instance of those columns
	local b
	b=$(row "$1" "$2" "$3" | cols $4)
	kt_is "$b" "" "$5"
}

CPU_ALL="1 2 3 4 5 6 7 8 9 10 11" CPU_COUNTERS="1 2 3 4 5 10 11"
MEM_PROC="3 4 5 6 7 8" IO_ALL="1 2 3 4 5 6 7" VCPU_ALL="2 4 5 6 7 8" VCPU_COUNTERS="2 4 5 8"

# ---- phase 1 ----
kt_start_snmpd
kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" -f "$KT_DRIVEN_FREQUENCY"
kt_wait_refresh 1 || kt_bail "no first collection: $(tail -5 "$LOG")"
switch true
walk "$KT_TMP/walk1"
serving "$KT_TMP/walk1" "phase 1"
kt_load "$KT_TMP/walk1"
declare -A IDX IDX_OF
while read -r oid _ u; do IDX[$u]=${oid##*.}; done < <(grep "^$VM\.2\." "$KT_TMP/walk1")
A=${IDX[$ALPHA]:-x} B=${IDX[$BRAVO]:-x} D=${IDX[$DELTA]:-x}
for c in "${CASES[@]}"; do IDX_OF[$c]=${IDX[${UUID_OF[$c]}]:-x}; done
kt_is "${#IDX[@]}" $((4 + ${#CASES[@]})) "phase 1: a VM row per domain"
check "$CPU.2.$A" COUNTER64 200000000000 "phase 1: vm-alpha kvmtopVmCpuTime"
check "$MEM.4.$A" COUNTER64 838860800 "phase 1: vm-alpha kvmtopVmMemRss"
bad=""
for c in "${CASES[@]}"; do
	i=${IDX_OF[$c]}
	for t in "$CPU" "$MEM" "$IO"; do
		[ "$(row "$KT_TMP/walk1" "$t" "$i")" = "$(row "$KT_TMP/walk1" "$t" "$A")" ] || bad="$bad $c"
	done
	[ "$(val "$VM.5.$i") $(val "$VM.6.$i")" = "${PID_OF[$c]} 1" ] || bad="$bad $c"
done
kt_is "$bad" "" "phase 1: every copy serves vm-alpha's CPU, memory and I/O rows, its PID, DataValid true"
[ -z "$(grep -E 'warning|error' "$LOG")" ]
kt_ok $? "phase 1: nothing logged for a whole tree"

# ---- phase 2: the damage ----
to_phase2() {
	local c
	cp -R "$OVER/." "$KT_PROC/"
	for c in 4101 "${PID_OF[@]}"; do rm -r "$KT_PROC/$c/task/$((c + 6))"; done
	for c in "${CASES[@]}"; do damage "$c"; done
	host_damage2
}
switch to_phase2
PHASE2_ASKED_NS=$KT_ASKED_NS # no line about phase 2's damage is older
walk "$KT_TMP/walk2"
cp "$LOG" "$KT_TMP/log2"
LOG2_MS=$(kt_ms_since "$PHASE2_ASKED_NS")
serving "$KT_TMP/walk2" "phase 2"
kt_load "$KT_TMP/walk2"
I_MS=$(val "$R.1.1.10.0")
echo "# phase 2 sample interval ${I_MS} ms"

# vm-alpha and vm-bravo: EXPECTED.md, phase 2.  The percentages use the
# interval in ns, I_MS is truncated to ms: +-6 covers that and the rounding.
pct() { echo $(( ($1 * 2000 + I_MS / 2) / I_MS )); }
# cpu_counters PHASE IDX NAME RUN WAIT OTHER_RUN OTHER_WAIT (EXPECTED.md)
cpu_counters() {
	check "$CPU.2.$2" COUNTER64 "$4" "vm-$3 $1: kvmtopVmCpuTime"
	check "$CPU.3.$2" COUNTER64 "$5" "vm-$3 $1: kvmtopVmCpuStealTime"
	check "$CPU.4.$2" COUNTER64 "$6" "vm-$3 $1: kvmtopVmCpuOtherTime"
	check "$CPU.5.$2" COUNTER64 "$7" "vm-$3 $1: kvmtopVmCpuOtherStealTime"
}
for p in "$A alpha 202000000000 10500000000 3830000000 385000000 2 4 5000 1250 1750 650 860160000 152500 305 41944000000 1048576 270000000" \
	 "$B bravo 663200000000 42040000000 5970000000 440000000 4 3 4000 1300 1500 300 2149580800 401000 1210 85900000000 4198400 1220000000"; do
	set -- $p
	cpu_counters "phase 2" "$@"
	check "$CPU.10.$1" GAUGE "$7" "vm-$2 phase 2: kvmtopVmCpuThreads"
	check "$CPU.11.$1" GAUGE "$8" "vm-$2 phase 2: kvmtopVmCpuOtherThreads"
	kt_near "$(val "$CPU.6.$1")" "$(pct "$9")" 6 "vm-$2 phase 2: kvmtopVmCpuTotal"
	kt_near "$(val "$CPU.7.$1")" "$(pct "${10}")" 6 "vm-$2 phase 2: kvmtopVmCpuSteal"
	kt_near "$(val "$CPU.8.$1")" "$(pct "${11}")" 6 "vm-$2 phase 2: kvmtopVmCpuOtherTotal"
	kt_near "$(val "$CPU.9.$1")" "$(pct "${12}")" 6 "vm-$2 phase 2: kvmtopVmCpuOtherSteal"
	check "$MEM.4.$1" COUNTER64 "${13}" "vm-$2 phase 2: kvmtopVmMemRss"
	check "$MEM.5.$1" COUNTER64 "${14}" "vm-$2 phase 2: kvmtopVmMemMinflt"
	check "$MEM.7.$1" COUNTER64 "${15}" "vm-$2 phase 2: kvmtopVmMemMajflt"
	check "$IO.1.$1" COUNTER64 "${16}" "vm-$2 phase 2: kvmtopVmIoReadBytes"
	check "$IO.7.$1" COUNTER64 "${17}" "vm-$2 phase 2: kvmtopVmIoCancelledWriteBytes"
	check "$DSUM.13.$1" COUNTER64 "${18}" "vm-$2 phase 2: kvmtopVmDiskDelayBlkio"
	check "$VM.6.$1" INTEGER 1 "vm-$2 phase 2: kvmtopVmDataValid true"
done
for p in "1 4105 3 121500000000 6500000000" "2 4106 5 80500000000 4000000000"; do
	set -- $p
	check "$VCPU.3.$A.$1" GAUGE "$2" "vm-alpha phase 2: vCPU $1's thread"
	check "$VCPU.8.$A.$1" GAUGE "$3" "vm-alpha phase 2: vCPU $1's processor"
	check "$VCPU.4.$A.$1" COUNTER64 "$4" "vm-alpha phase 2: vCPU $1's run time"
	check "$VCPU.5.$A.$1" COUNTER64 "$5" "vm-alpha phase 2: vCPU $1's steal time"
done
check "$VM.6.$D" INTEGER 2 "vm-delta (no process) still DataValid false"

# The copies: what each damage leaves out, and everything else as vm-alpha.
# expect CASE CPU MEM IO VCPU VALID: each of CPU (whole CPU row), MEM
# (PID/stat's columns and the block I/O delay), IO and VCPU (the vCPU rows)
# is "=" (as vm-alpha's), "-" (no instance) or "x" (checked apart).
expect() {
	local c=$1 i=${IDX_OF[$1]} w=$KT_TMP/walk2
	case $2 in
	=) same "$w" "$CPU" "$i" "$CPU_ALL" "$c: the CPU row is vm-alpha's" ;;
	-) none "$w" "$CPU" "$i" "$CPU_ALL" "$c: no CPU row" ;;
	esac
	case $3 in
	=) same "$w" "$MEM" "$i" "$MEM_PROC" "$c: the memory columns of PID/stat are vm-alpha's"
	   check "$DSUM.13.$i" COUNTER64 "$(val "$DSUM.13.$A")" "$c: the block I/O delay is vm-alpha's" ;;
	-) none "$w" "$MEM" "$i" "$MEM_PROC" "$c: no memory columns from PID/stat"
	   absent "$DSUM.13.$i" "$c: the block I/O delay" ;;
	esac
	case $4 in
	=) same "$w" "$IO" "$i" "$IO_ALL" "$c: the I/O row is vm-alpha's" ;;
	-) none "$w" "$IO" "$i" "$IO_ALL" "$c: no I/O row" ;;
	esac
	case $5 in
	=) same "$w" "$VCPU" "$i" "$VCPU_ALL" "$c: the vCPU rows are vm-alpha's" ;;
	-) none "$w" "$VCPU" "$i" "$VCPU_ALL" "$c: no vCPU rows" ;;
	esac
	check "$VM.6.$i" INTEGER "$6" "$c: kvmtopVmDataValid $6"
	check "$VM.5.$i" GAUGE "${7:-${PID_OF[$c]}}" "$c: kvmtopVmPid ${7:-${PID_OF[$c]}}"
}
for c in stat-cut stat-empty stat-binary stat-64k stat-missing; do expect $c = - = = 2; done
for c in io-cut io-binary io-64k io-empty io-missing; do expect $c = = - = 2; done
for c in sched-cut sched-empty sched-binary sched-64k comm-cut comm-binary comm-64k task-missing task-empty; do
	expect $c - = = - 2
done
for c in tstat-cut tstat-binary; do
	expect $c = = = x 2
	i=${IDX_OF[$c]}
	absent "$VCPU.8.$i.1" "$c: vCPU 0's processor (its stat is damaged)"
	check "$VCPU.8.$i.2" GAUGE 5 "$c: vCPU 1's processor"
	same "$KT_TMP/walk2" "$VCPU" "$i" "2 4 5 6 7" "$c: the vCPU rows' other columns are vm-alpha's"
done
expect cmdline-binary = = = = 1
# Threads that exited: their last counts stay counted, they add nothing more.
# other_threads CASE RUN WAIT DESCRIPTION
other_threads() {
	local i=${IDX_OF[$1]}
	expect "$1" x = = = 1
	same "$KT_TMP/walk2" "$CPU" "$i" "1 2 3 6 7 10" "$1: the vCPU columns are vm-alpha's"
	check "$CPU.4.$i" COUNTER64 "$2" "$1: kvmtopVmCpuOtherTime $4"
	check "$CPU.5.$i" COUNTER64 "$3" "$1: kvmtopVmCpuOtherStealTime"
	check "$CPU.11.$i" GAUGE 3 "$1: three other threads"
}
other_threads thread-gone 3790000000 375000000 "without 4103's 40 ms"
other_threads thread-symlink 3820000000 385000000 "without 4102's 10 ms"
other_threads comm-missing 3630000000 285000000 "without the new thread 4108"
c=vcpu-gone i=${IDX_OF[vcpu-gone]}
expect $c x = = x 1
check "$CPU.2.$i" COUNTER64 201500000000 "$c: kvmtopVmCpuTime without vCPU 1's 500 ms"
check "$CPU.3.$i" COUNTER64 10500000000 "$c: kvmtopVmCpuStealTime"
check "$CPU.10.$i" GAUGE 1 "$c: one vCPU thread"
same "$KT_TMP/walk2" "$CPU" "$i" "4 5 8 9 11" "$c: the other threads' columns are vm-alpha's"
absent "$VCPU.2.$i.2" "$c: vCPU 1's row"
check "$VCPU.4.$i.1" COUNTER64 121500000000 "$c: vCPU 0's run time"
for c in reuse-inplace reuse-newdir; do expect $c - - - - 2 0; done

# No copy has another's numbers: nothing of the reused PID's process, no
# half number (the intact values of the damaged files are known).
check_foreign() { # check_foreign FILE PHASE
	local v found=""
	for v in $FOREIGN; do
		grep -q -E "^$R\.1\.([3-8])\.1\.[0-9.]+ [A-Z0-9]+ $v$" "$1" && found="$found $v"
	done
	kt_is "$found" "" "$2: no value of the process that took a reused PID is served"
}
check_foreign "$KT_TMP/walk2" "phase 2"

# The host (EXPECTED-host.md, phase 2): what is whole is served.
kt_load "$KT_TMP/walk2"
for col in $(seq 7 26); do absent "$H.$col.0" "host CPU column $col (PROCFS/stat cut in its cpu line)"; done
check "$H.3.0" GAUGE 2 "kvmtopHostCpuCores (cpuinfo is whole)"
kt_is "$(grep -c "^$MEMT\." "$KT_TMP/walk2")" 0 "no kvmtopHostMemTable row from a binary meminfo"
S=""
for s in $(seq 1 60); do [ "$(val "$DISK.2.$s")" = sda ] && S=$s; done
kt_is "$(grep -c "^$DISK\.2\." "$KT_TMP/walk2")" 1 "diskstats with a 64 KiB line: sda's row"
check "$DISK.3.$S" COUNTER64 40300 "sda reads, phase 2"
check "$DISK.12.$S" COUNTER64 90900 "sda weighted ms, phase 2"
check "$DISK.13.$S" GAUGE 1 "sda in flight, phase 2"
absent "$NET.2.17" "vnet7, whose net/dev line was cut short"
kt_is "$(grep -c "^$NET\.2\." "$KT_TMP/walk2")" 7 "seven interfaces"
check "$NET.3.2" COUNTER64 901000000 "eth0 rx bytes, phase 2"
check "$NET.3.10" COUNTER64 11500 "vnet0 rx bytes, phase 2"
for r in 1.1 1.2 2.2 3.1 3.2; do absent "$PSI.6.$r" "PSI $r (cpu empty, io cut in its full line, memory missing)"; done
check "$PSI.3.2.1" GAUGE 20 "PSI io some avg10, phase 2"
check "$PSI.6.2.1" COUNTER64 2445678 "PSI io some total, phase 2"

# Two more collections of the same damage: the log does not grow but by
# the repeats its back-off allows over the time phase 2 has lasted (none on
# a quiet machine, where the phase lasts less than the first back-off).
kt_collect_now && kt_collect_now || kt_bail "collections stopped"
NOW_MS=$(kt_ms_since "$PHASE2_ASKED_NS")
MAX2=$(kt_complaints_allowed "$LOG2_MS") MAX=$(kt_complaints_allowed "$NOW_MS")
echo "# phase 2: ${LOG2_MS} ms to its walk, ${NOW_MS} ms to two collections later: at most $MAX2, then $MAX lines a complaint"
count() { grep -c -F -- "$2" "$1"; }
logged_once() { # logged_once TEXT DESCRIPTION
	local a b
	a=$(count "$KT_TMP/log2" "$1") b=$(count "$LOG" "$1")
	if [ "$a" -ge 1 ] && [ "$a" -le "$MAX2" ] && [ "$b" -ge "$a" ] && [ "$b" -le "$MAX" ]; then
		kt_ok 0 "$2 is logged, and again two collections later only as its back-off allows"
	else
		kt_ok 1 "$2 is logged, and again two collections later only as its back-off allows"
		echo "#   got $a line(s) after phase 2's walk, $b two collections later; want 1 to $MAX2, then to $MAX"
	fi
}
quiet() { # the cases that are no damaged file: nothing to log
	case $1 in
	io-missing|thread-*|vcpu-gone|comm-missing|cmdline-binary|reuse-newdir) return 0 ;;
	esac
	return 1
}
COMPLAINTS=()
for c in "${CASES[@]}"; do
	if quiet "$c"; then
		kt_is "$(count "$LOG" "${UUID_OF[$c]}")" 0 "$c: nothing logged (not a damaged file)"
	else
		logged_once "${UUID_OF[$c]}" "$c"
		COMPLAINTS+=("${UUID_OF[$c]}")
	fi
done
grep -F "${UUID_OF[stat-cut]}" "$LOG" | head -1 | sed 's/^/# /'
grep -F "${UUID_OF[reuse-inplace]}" "$LOG" | head -1 | sed 's/^/# /'
kt_ok "$(grep -q -F "${UUID_OF[sched-cut]} (PID ${PID_OF[sched-cut]}): task/$((PID_OF[sched-cut] + 4))/schedstat: cut short" "$LOG"; echo $?)" \
	"the log names the file and what is wrong with it"
kt_ok "$(grep -q -F "${UUID_OF[reuse-inplace]}: process ${PID_OF[reuse-inplace]} is not its QEMU" "$LOG"; echo $?)" \
	"the log says that the reused PID is not the VM's process"
for f in stat meminfo diskstats net/dev pressure/cpu pressure/io; do
	logged_once "PROCFS/$f:" "PROCFS/$f"
	COMPLAINTS+=("PROCFS/$f:")
done
kt_is "$(count "$LOG" "PROCFS/pressure/memory")" 0 "PROCFS/pressure/memory missing (a kernel without PSI) is no warning"
# Every warning is one of those complaints (each of them was checked above).
stray=$(grep -E 'warning|error' "$LOG" | grep -v -F -f <(printf '%s\n' "${COMPLAINTS[@]}"))
kt_is "$stray" "" "one complaint per damaged VM and host file, no other warning"
kt_is "${#COMPLAINTS[@]}" $(( ${#CASES[@]} - 7 + 6 )) "one complaint per damaged VM and host file"

# ---- phase 3: the damaged files whole again, the host's damaged another way ----
to_phase3() {
	local c
	for c in "${CASES[@]}"; do
		restored "$c" && cp -R "$FULL2/${PID_OF[$c]}/." "$KT_PROC/${PID_OF[$c]}/"
	done
	host_damage3
}
LOG3_FROM=$(($(wc -l < "$LOG") + 1)) # the lines of the collections after the switch
PHASE3_ASKED_NS=$(date +%s%N)
switch to_phase3
walk "$KT_TMP/walk3"
serving "$KT_TMP/walk3" "phase 3"
kt_load "$KT_TMP/walk3"
for p in "$A alpha 202000000000 10500000000 3830000000 385000000 860160000 152500 1048576" \
	 "$B bravo 663200000000 42040000000 5970000000 440000000 2149580800 401000 4198400"; do
	set -- $p
	cpu_counters "phase 3 (unchanged)" "$@"
	check "$CPU.6.$1" GAUGE 0 "vm-$2 phase 3: kvmtopVmCpuTotal 0"
	check "$MEM.4.$1" COUNTER64 "$7" "vm-$2 phase 3: kvmtopVmMemRss"
	check "$MEM.5.$1" COUNTER64 "$8" "vm-$2 phase 3: kvmtopVmMemMinflt unchanged"
	check "$IO.7.$1" COUNTER64 "$9" "vm-$2 phase 3: kvmtopVmIoCancelledWriteBytes unchanged"
done
# Files whole again: the counters are what they would be had phase 2 read
# well (vm-alpha's), nothing counted twice; a VM whose thread sums were
# incomplete gets no rate over that interval.
for c in "${CASES[@]}"; do
	restored "$c" || continue
	i=${IDX_OF[$c]}
	same "$KT_TMP/walk3" "$CPU" "$i" "$CPU_COUNTERS" "$c phase 3: the CPU counters are vm-alpha's"
	same "$KT_TMP/walk3" "$MEM" "$i" "$MEM_PROC" "$c phase 3: the memory columns are vm-alpha's"
	same "$KT_TMP/walk3" "$IO" "$i" "$IO_ALL" "$c phase 3: the I/O row is vm-alpha's"
	same "$KT_TMP/walk3" "$VCPU" "$i" "$VCPU_COUNTERS" "$c phase 3: the vCPU rows' counters are vm-alpha's"
	check "$DSUM.13.$i" COUNTER64 270000000 "$c phase 3: the block I/O delay"
	check "$VM.6.$i" INTEGER 1 "$c phase 3: kvmtopVmDataValid true again"
	case $c in
	sched-*|comm-cut|comm-binary|comm-64k|task-*)
		none "$KT_TMP/walk3" "$CPU" "$i" "6 7 8 9" "$c phase 3: no CPU rate after an incomplete sample" ;;
	esac
done
for c in thread-gone thread-symlink vcpu-gone; do
	i=${IDX_OF[$c]}
	a=$(row "$KT_TMP/walk2" "$CPU" "$i" | cols $CPU_COUNTERS)
	b=$(row "$KT_TMP/walk3" "$CPU" "$i" | cols $CPU_COUNTERS)
	kt_is "$b" "$a" "$c phase 3: the CPU counters stay where they were"
done
for c in reuse-inplace reuse-newdir; do
	i=${IDX_OF[$c]}
	check "$VM.5.$i" GAUGE 0 "$c phase 3: still no process"
	none "$KT_TMP/walk3" "$CPU" "$i" "$CPU_ALL" "$c phase 3: no CPU row"
done
check_foreign "$KT_TMP/walk3" "phase 3"

# The host, damaged another way.
col=17
for t in 10600 100 2200 83000 600 30 170 0 3400 50; do
	check "$H.$col.0" COUNTER64 "$t" "phase 3: host CPU ticks column $col (a 64 KiB line after the cpu line)"
	col=$((col + 1))
done
kt_is "$(grep -c "^$MEMT\.2\." "$KT_TMP/walk3")" 46 "phase 3: meminfo whole again, 46 rows"
check "$MEMT.3.1" COUNTER64 8388608 "phase 3: MemTotal"
kt_is "$(grep -c "^$DISK\.2\." "$KT_TMP/walk3")" 0 "phase 3: no disk row without diskstats"
kt_is "$(grep -c "^$NET\.2\." "$KT_TMP/walk3")" 8 "phase 3: eight interfaces around a binary net/dev line"
check "$NET.3.17" COUNTER64 18000 "phase 3: vnet7 rx bytes"
check "$PSI.6.1.1" COUNTER64 124456789 "phase 3: PSI cpu some total"
bad=""
for r in 2.1 2.2 3.1 3.2; do absent "$PSI.6.$r" "phase 3: PSI $r (io binary, memory a 64 KiB line)"; done
n=$(count "$LOG" "PROCFS/pressure/memory: too large")
kt_within "$n" 1 "$(kt_complaints_allowed "$(kt_ms_since "$PHASE3_ASKED_NS")")" \
	"phase 3: PROCFS/pressure/memory too large is logged (once, but for the repeats its back-off allows)"
tail -n +"$LOG3_FROM" "$LOG" > "$KT_TMP/log3"
for c in "${CASES[@]}"; do
	restored "$c" || continue
	[ "$(count "$KT_TMP/log3" "${UUID_OF[$c]}")" = 0 ] || bad="$bad $c"
done
kt_is "$bad" "" "phase 3: no new line for the VMs whose files read again"
grep -E 'warning|error' "$LOG" | sed 's/^/# /'
echo "# $(grep -c -E 'warning|error' "$LOG") warnings in $(refreshes) collections, $(wc -l < "$KT_TMP/walk3") varbinds per walk"
kt_stop_subagent
kt_done
