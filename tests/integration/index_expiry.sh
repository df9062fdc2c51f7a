#!/bin/bash
# Forgetting index keys not seen for a while (--forget-after): the real
# subagent on the basic fixture (libvirt's test driver, four domains) starts
# on a state file written here by hand, dated years ago, that holds the four
# domains' UUIDs with indexes of our choosing and keys of VMs and a host disk
# that do not exist, all last seen long ago.  The VM table served over SNMP
# must use the file's indexes; the file the agent saves (parsed here with
# awk) must have lost the absent keys only, kept "next", moved the day
# counter by one and stamped the keys it looked up with it; the log must say
# how many it forgot.  With --forget-after 0 nothing is forgotten.
. "$(dirname "$0")/../lib/agent.sh" || exit 1
kt_setup
kt_fixture_basic
. "$(dirname "$0")/../lib/walk.sh" || exit 1

STATE=$KT_TMP/state
FILE=$STATE/vm-index
LOG=$KT_TMP/subagent.log
GHOST1=0badc0de-0000-4000-8000-000000000001
GHOST2=0badc0de-0000-4000-8000-000000000002
# The day counter was 12, last moved on 2020-01-15; every key was last seen
# on day 4 or before.  The first cycle moves it to 13 (a new date, however
# many years later), so with --forget-after 1 whatever is not looked up
# then is 9 or more days old and goes, unless its VM's key is looked up:
# vm-charlie is shut off, libvirt lists it but the agent reads no devices
# of it, so its disk key is not looked up but stays.
NEXT=40
ORIG=$KT_TMP/orig
cat > "$ORIG" <<EOF
# kvmtop-snmp index map v2
next $NEXT
day 12 2020-01-15
5 $ALPHA 3
7 $BRAVO 3
9 $CHARLIE 2
11 $DELTA 4
13 $ALPHA/blk/vda 3
14 $CHARLIE/blk/vda 2
20 $GHOST1 1
21 $GHOST1/blk/vda 1
22 $GHOST1/if/52:54:00:aa:bb:cc 1
25 $GHOST2 4
30 host/disk/zz9 2
EOF
# The keys the first cycle must keep, with the SEEN each must have then.
KEPT="$ALPHA=5:13 $BRAVO=7:13 $CHARLIE=9:13 $DELTA=11:13 $ALPHA/blk/vda=13:13 $CHARLIE/blk/vda=14:2"
GONE="$GHOST1 $GHOST1/blk/vda $GHOST1/if/52:54:00:aa:bb:cc $GHOST2 host/disk/zz9"

# Starts the agent on a fresh copy of the file; waits for its first save,
# which writes the day line it moved.
start_agent() {
	rm -rf "$STATE"
	mkdir -p "$STATE"
	cp "$ORIG" "$FILE"
	: > "$LOG"
	kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" \
		--sysfs "$KT_FIXTURE/sys" -f 0.5 "$@"
	kt_wait_refresh 1 || kt_bail "$CASE: the agent does not serve: $(tail -3 "$LOG")"
	kt_wait_for $((KT_PATIENCE * 10)) grep -q '^day 13 ' "$FILE"
	kt_ok $? "$CASE: the state file is saved with the day counter at 13"
	TODAY=$(date -u +%F)
}

# The VM table serves the file's indexes: a walk of kvmtopVmUuid, and a get
# of each VM's name at its index.
check_served() {
	local oid rest got p u i name
	got=$(kt_snmp snmpbulkwalk "$R.1.2.1.2" -On -Cr25 | kt_normalize |
		while read -r oid rest; do echo "${rest#STRING }=${oid##*.}"; done |
		sort | tr '\n' ' ')
	kt_is "$got" "$(printf '%s\n' "$ALPHA=5" "$BRAVO=7" "$CHARLIE=9" "$DELTA=11" |
		sort | tr '\n' ' ')" "$CASE: the walk serves the four VMs at the file's indexes"
	for p in "$ALPHA 5 alpha" "$BRAVO 7 bravo" "$CHARLIE 9 charlie" "$DELTA 11 delta"; do
		set -- $p
		kt_is "$(kt_get "$R.1.2.1.3.$2")" "vm-$3" "$CASE: kvmtopVmName.$2 is vm-$3"
	done
}

# A key for a test's name: a UUID by its last 4 digits.
label() { sed -E 's/^[0-9a-f-]{32}/../' <<< "$1"; }
# INDEX:SEEN of KEY in FILE ("" when the key is not there).
seen_of() { awk -v k="$1" 'NR > 3 && $2 == k { print $1 ":" $3 }' "$2"; }

# The file after the first save: header, next, today's day line; KEPT there
# with their index and SEEN; GONE not there ("gone") or as they were
# ("keep"); the keys new to the agent from NEXT up, seen on day 13, and
# "next" above them all.
check_file() {
	local p k gone=$1 bad
	kt_is "$(sed -n 1p "$FILE")" "# kvmtop-snmp index map v2" "$CASE: v2 header"
	kt_is "$(sed -n 3p "$FILE")" "day 13 $TODAY" "$CASE: day 13, dated today (UTC)"
	for p in $KEPT; do
		k=${p%=*}
		kt_is "$(seen_of "$k" "$FILE")" "${p#*=}" \
			"$CASE: $(label "$k") kept, index:SEEN ${p#*=}"
	done
	for k in $GONE; do
		if [ "$gone" = gone ]; then
			kt_is "$(seen_of "$k" "$FILE")" "" \
				"$CASE: $(label "$k") forgotten"
		else
			kt_is "$(seen_of "$k" "$FILE")" "$(seen_of "$k" "$ORIG")" \
				"$CASE: $(label "$k") kept as it was"
		fi
	done
	bad=$(awk -v next_="$NEXT" '
		FNR == NR { if (FNR > 3) old[$2] = 1; next }
		FNR == 2 { n = $2 }
		FNR > 3 {
			if (NF != 3) print "bad line " FNR
			if (seen[$1]++) print "index " $1 " twice"
			if (!($2 in old) && ($1 < next_ || $3 != 13))
				print "new key " $2 ": index " $1 ", SEEN " $3
			if ($1 >= n) print "index " $1 " not below next " n
			if ($1 >= next_) new++
		}
		END { if (n != next_ + new) print "next " n ", want " next_ " + " new }' \
		"$ORIG" "$FILE")
	kt_is "$bad" "" "$CASE: new keys from $NEXT up, none of the old indexes reused, next above them"
	echo "# $CASE: $(($(wc -l < "$FILE") - 3)) keys, $(sed -n 2p "$FILE")"
}

kt_start_snmpd

# ---- forget after 1 day: the absent VMs' keys go ----
CASE=forget-after-1
start_agent --forget-after 1
check_served
kt_stop_subagent
check_file gone
grep -q -F "info: forgot 5 keys not seen for more than 1 days" "$LOG"
kt_ok $? "$CASE: logged: forgot 5 keys"
grep -F '[index]' "$LOG" | head -3 | sed "s|$KT_TMP|\$TMP|g; s/^/# /"

# ---- --forget-after 0: nothing is forgotten ----
CASE=forget-after-0
start_agent --forget-after 0
check_served
kt_stop_subagent
check_file keep
! grep -q "forgot" "$LOG"
kt_ok $? "$CASE: nothing forgotten, nothing logged about it"

kt_done
