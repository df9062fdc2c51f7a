#!/bin/bash
# kvmtop-live's view, driven in tmux (send-keys, capture-pane), first
# against a private snmpd + subagent on the basic fixture, then on the
# collectors in-process: every fixture VM on screen with the values that
# snmpget returns for the refresh the header names, sorting by steal
# reorders the rows, the detail page lists the vCPU rows, a resize to
# 60x20 and back keeps every line whole, and `q` gives the terminal back
# as it was (stty -a before and after).
. "$(dirname "$0")/../lib/agent.sh"
kt_setup
kt_fixture_basic
. "$(dirname "$0")/../lib/walk.sh"
. "$(dirname "$0")/../lib/tmux.sh"
VM=$R.1.2.1 CPU=$R.1.3.1 MEM=$R.1.4.1 VCPU=$R.1.8.1
# Long enough that the refresh after the phase switch (the one with
# rates that differ between the VMs) is served while the test looks.
INTERVAL_S=8

state_name() { case "$1" in 4) echo running ;; 11) echo shutdown ;; *) echo "state$1" ;; esac; }

# Every VM's row against snmpget, for one refresh of the agent: the count
# before and after the gets is the one on screen, or it tries again.
check_rows_remote() {
	local w=$1 try n seq v name ok
	for try in 1 2 3 4 5; do
		n=$(kt_get "$R.1.1.9.0")
		kt_wait_screen "$w" $((INTERVAL_S * 20)) "  #$n\$" || continue
		declare -gA WANT=()
		for v in $A $B $C $D; do
			name=$(kt_get "$VM.3.$v")
			WANT[$name]="$(state_name "$(kt_get "$VM.4.$v")")"
			WANT[$name]+=" $(kt_get "$CPU.1.$v" || echo -)"
			WANT[$name]+=" $( (kt_get "$CPU.6.$v" || echo -) | sed 's/^\([0-9]*\)$/c\1/')"
			WANT[$name]+=" $( (kt_get "$CPU.7.$v" || echo -) | sed 's/^\([0-9]*\)$/c\1/')"
			WANT[$name]+=" $(kt_human $(($(kt_get "$MEM.1.$v") * 1024)))"
		done
		seq=$(kt_screen_seq "$w")
		[ "$(kt_get "$R.1.1.9.0")" = "$n" ] && [ "$seq" = "$n" ] && break
	done
	kt_is "$seq" "$n" "$w: the screen shows the refresh snmpget read (#$n)"
	for name in vm-alpha vm-bravo vm-charlie vm-delta; do
		set -- ${WANT[$name]}
		local total=$3 steal=$4
		[ "${total#c}" != "$total" ] && total=$(kt_centi "${total#c}")
		[ "${steal#c}" != "$steal" ] && steal=$(kt_centi "${steal#c}")
		kt_is "$(kt_row_field "$w" "$name" 1) $(kt_row_field "$w" "$name" 2) $(kt_row_field "$w" "$name" 3) $(kt_row_field "$w" "$name" 4) $(kt_row_field "$w" "$name" 7)" \
			"$1 $2 $total $steal $5" "$w: $name's state, cores, cpu_total, cpu_steal, ram_total as snmpget says"
	done
}

# Sorting: by cpu_total vm-alpha leads vm-bravo, by cpu_steal the other
# way round (tests/fixtures/basic/EXPECTED.md: 10,000,000 vs 8,000,000
# and 2,500,000 vs 2,600,000 over the interval), and by name again.
check_sort() {
	local w=$1
	kt_keys "$w" c
	kt_wait_screen "$w" 50 "sort: cpu_total"
	kt_like "$(kt_row_order "$w")" "vm-alpha vm-bravo" "$w: sorted by cpu_total, vm-alpha above vm-bravo"
	kt_keys "$w" s
	kt_wait_screen "$w" 50 "sort: cpu_steal"
	kt_like "$(kt_row_order "$w")" "vm-bravo vm-alpha" "$w: sorted by cpu_steal (key s), vm-bravo above vm-alpha"
	kt_keys "$w" n
	kt_wait_screen "$w" 50 "sort: name"
	kt_is "$(kt_row_order "$w")" "vm-alpha vm-bravo vm-charlie vm-delta " "$w: sorted by name (key n)"
}
kt_like() { # kt_like GOT "FIRST SECOND" DESCRIPTION: FIRST comes before SECOND
	set -- "$1" ${2} "$3"
	local got=$1 a=$2 b=$3 desc=$4 rest
	rest=${got#*"$a "}
	if [ "$rest" != "$got" ] && [ "${rest#*"$b "}" != "$rest" ]; then
		kt_ok 0 "$desc"
	else
		kt_ok 1 "$desc"
		echo "#   rows in order: $got"
	fi
}

# The detail page of vm-alpha (the first row by name): its vCPU rows
# with the thread ids the agent gives (VCPU_TIDS), then back.
check_detail() {
	local w=$1 tids=$2 t
	kt_keys "$w" Up Up Up Up Enter
	kt_wait_screen "$w" 100 "^vCPUs: 2" 
	kt_ok $? "$w: the detail page of vm-alpha lists 2 vCPUs"
	kt_screen "$w" | grep -q "^VM vm-alpha "
	kt_ok $? "$w: the detail page is vm-alpha's"
	for t in $tids; do
		kt_screen "$w" | awk -v t="$t" '$2 == t { f = 1 } END { exit !f }'
		kt_ok $? "$w: a vCPU row with thread $t"
	done
	kt_keys "$w" b
	kt_wait_screen "$w" 50 "^ name "
	kt_ok $? "$w: b goes back to the list"
}

# Resized to 60x20 every line fits and the four VMs stay; back to 200x40
# the columns come back.
check_resize() {
	local w=$1 long
	kt_tmux resize-window -t "kt:$w" -x 60 -y 20
	kt_wait_screen "$w" 50 "^ name +state +cpu_cores +cpu_total +cpu_steal *$"
	kt_ok $? "$w: at 60x20 the header is cut after the columns that fit"
	long=$(kt_screen "$w" | awk 'length($0) > 60' | wc -l)
	kt_is "$long" 0 "$w: at 60x20 no line is longer than the screen"
	kt_is "$(kt_screen "$w" | grep -cE '^[ !]vm-(alpha|bravo|charlie|delta) ')" 4 "$w: at 60x20 the four VMs' rows are there"
	kt_tmux resize-window -t "kt:$w" -x 200 -y 40
	kt_wait_screen "$w" 50 "ram_total +ram_used"
	kt_ok $? "$w: back at 200x40 the memory columns are back"
}

# q ends it with status 0 and the terminal's settings as they were.
check_quit() {
	local w=$1
	kt_keys "$w" q
	kt_wait_for $((100 * KT_PATIENCE)) test -f "$KT_TMP/$w.status"
	kt_is "$(cat "$KT_TMP/$w.status" 2>/dev/null)" 0 "$w: q quits with status 0"
	cmp -s "$KT_TMP/$w.stty-before" "$KT_TMP/$w.stty-after"
	kt_ok $? "$w: after q the terminal's settings are those from before (stty -a)"
	kt_wait_screen "$w" 50 "^ENDED"
	! kt_screen "$w" | grep -q "^kvmtop-live  "
	kt_ok $? "$w: after q the view is gone from the screen"
}

# ---- remote: the agent over SNMP ----
kt_basic_two_phases $INTERVAL_S
kt_vm_indexes
kt_tmux_run remote 200 40 "$KT_LIVE" "127.0.0.1:$KT_PORT" -c public -f 0.5
kt_wait_screen remote 300 "^ name "
kt_ok $? "remote: the view comes up"
kt_is "$(kt_screen remote | grep -cE '^[ !]vm-(alpha|bravo|charlie|delta) ')" 4 "remote: a row for each of the four fixture VMs"
kt_screen remote | grep -q "host kvm-basic"
kt_ok $? "remote: the header names the agent's host"
check_rows_remote remote
check_sort remote
check_detail remote "$(kt_get "$VCPU.3.$A.1") $(kt_get "$VCPU.3.$A.2")"
check_resize remote

# The agent stops answering: the screen says so, and the view goes on.
kill -STOP "$KT_SNMPD_PID"
kt_wait_screen remote $((100 + INTERVAL_S * 10)) "^UNREACHABLE: no answer from 127.0.0.1:$KT_PORT"
kt_ok $? "remote: snmpd stopped, the status line says the agent does not answer"
kill -CONT "$KT_SNMPD_PID"
kt_wait_screen remote 300 "^sort: "
kt_ok $? "remote: snmpd back, the view recovers"
check_quit remote

# ---- local: the collectors in-process ----
LOCAL_PROC=$KT_TMP/proc-local
cp -a "$KT_FIXTURE/proc" "$LOCAL_PROC"
kt_tmux_run local 200 40 "$KT_LIVE" -c "$KT_URI" --procfs "$LOCAL_PROC" \
	--sysfs "$KT_FIXTURE/sys" -f "$INTERVAL_S"
kt_wait_screen local 300 "  #2\$"
kt_ok $? "local: the second collection is on screen"
cp -R "$KT_FIXTURE/phase2/." "$LOCAL_PROC/"
grep -v '^#' "$KT_FIXTURE/phase2.remove" | while read -r p; do rm -r "$LOCAL_PROC/${p:?}"; done
kt_wait_screen local $((INTERVAL_S * 30)) "  #3\$"
kt_ok $? "local: the collection after the phase switch is on screen"
kt_is "$(kt_screen local | grep -cE '^[ !]vm-(alpha|bravo|charlie|delta) ')" 4 "local: a row for each of the four fixture VMs"
# tests/fixtures/basic/EXPECTED.md: state, vCPUs, memory from libvirt.
for p in "vm-alpha running 2 1.0G 768M" "vm-bravo running 4 2.0G 2.0G" \
	 "vm-charlie shutdown - 512M 512M" "vm-delta running - 256M 256M"; do
	set -- $p
	kt_is "$(kt_row_field local "$1" 1) $(kt_row_field local "$1" 2) $(kt_row_field local "$1" 7) $(kt_row_field local "$1" 8)" \
		"$2 $3 $4 $5" "local: $1's state, cores, ram_total, ram_used"
done
check_sort local
kt_is "$(kt_screen_seq local)" 3 "local: the sorting was checked on the phase switch's collection"
check_detail local "4105 4106"
check_resize local
check_quit local
kt_done
