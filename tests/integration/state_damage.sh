#!/bin/bash
# The state file (STATE_DIR/vm-index) missing, torn, empty, corrupt,
# unreadable, unwritable and on a full disk: for each, the real subagent
# starts on the basic fixture (libvirt's test driver, four domains) and must
# serve the VM table over SNMP, with distinct indexes that keep what the
# damaged file still shows (the expectations below are worked out by hand
# from the file each case writes), log one line saying what it did, keep a
# damaged file as vm-index.bad, and leave a sound file behind (parsed here
# with awk, not by the agent).  Mounts (read-only, full tmpfs) need root:
# without it the read-only cases use a mode 0555 directory instead and the
# full disk is skipped.
. "$(dirname "$0")/../lib/agent.sh" || exit 1
kt_setup
kt_fixture_basic
. "$(dirname "$0")/../lib/walk.sh" || exit 1

STATE=$KT_TMP/state
FILE=$STATE/vm-index
HEADER="# kvmtop-snmp index map v1"
HEADER2="# kvmtop-snmp index map v2"
LOG=$KT_TMP/subagent.log
ROOT=0
[ "$(id -u)" = 0 ] && ROOT=1

state_umount() {
	if mountpoint -q "$STATE" 2>/dev/null; then
		umount "$STATE" 2>/dev/null || umount -l "$STATE"
	fi
	[ -d "$STATE" ] && chmod -R u+rwx "$STATE" 2>/dev/null
	return 0
}
trap 'state_umount; kt_cleanup' EXIT

# A fresh state directory; "tmpfs SIZE" mounts one there (root only).
fresh_state() {
	state_umount
	rm -rf "$STATE"
	mkdir -p "$STATE"
	if [ "${1:-}" = tmpfs ] && [ $ROOT = 1 ]; then
		mount -t tmpfs -o "size=$2,mode=0755" kt-h1-state "$STATE" ||
			kt_bail "cannot mount a tmpfs on $STATE"
	fi
}
# Makes the state directory unwritable, or writable again.
state_readonly() {
	if [ $ROOT = 1 ]; then
		mount -o remount,ro "$STATE"
	else
		chmod 0555 "$STATE"
	fi
}
state_writable() {
	if [ $ROOT = 1 ]; then
		mount -o remount,rw "$STATE"
	else
		chmod 0755 "$STATE"
	fi
}

STARTS=()
# Starts the subagent (through $1 when given: a wrapper) and waits for its
# second collection; records how long the first one took to be served.
start_agent() {
	local wrapper=${1:-} real=$KT_SUBAGENT t
	: > "$LOG"
	[ -n "$wrapper" ] && KT_SUBAGENT=$wrapper
	kt_start_subagent -c "$KT_URI" --procfs "$KT_PROC" \
		--sysfs "$KT_FIXTURE/sys" -f 0.5
	KT_SUBAGENT=$real
	t=$(kt_time_until "$KT_PATIENCE" kt_wait_refresh 1 1) ||
		kt_bail "$CASE: the agent does not serve: $(tail -3 "$LOG")"
	STARTS+=("$CASE=${t}s")
	kt_wait_refresh 2 || kt_bail "$CASE: no second collection"
}

# SERVED[uuid]=index from a walk of kvmtopVmUuid.
serve_check() {
	local oid rest u
	declare -gA SERVED=()
	while read -r oid rest; do
		u=${rest#STRING }
		SERVED[$u]=${oid##*.}
	done < <(kt_snmp snmpbulkwalk "$R.1.2.1.2" -On -Cr25 | kt_normalize)
	kt_is "${#SERVED[@]}" 4 "$CASE: the VM table has the four domains"
	kt_is "$(printf '%s\n' "${SERVED[@]}" | sort -u | wc -l)" 4 \
		"$CASE: four distinct indexes"
}

# want_indexes FLOOR [UUID=INDEX...]: the listed VMs kept their index, the
# others got new ones, none below FLOOR (want_sound_file checks that the
# first one handed out, to a VM or a device, was FLOOR).
want_indexes() {
	local p u low=
	FLOOR=$1
	shift
	KEPT="$*"
	declare -A kept=()
	for p in "$@"; do kept[${p%=*}]=${p#*=}; done
	for u in $ALPHA $BRAVO $CHARLIE $DELTA; do
		if [ -n "${kept[$u]:-}" ]; then
			kt_is "${SERVED[$u]:-none}" "${kept[$u]}" \
				"$CASE: ${u##*-} kept index ${kept[$u]}"
		elif [ "${SERVED[$u]:-0}" -lt "$FLOOR" ]; then
			low="$low ${SERVED[$u]:-none}"
		fi
	done
	kt_is "$low" "" "$CASE: no new VM index below $FLOOR"
}

# The log has a line matching the extended regex $1.
want_log() {
	grep -E -q -- "$1" "$LOG"
	kt_ok $? "$CASE: logged: $2"
	grep -F -- '[index]' "$LOG" | head -3 | sed "s|$KT_TMP|\$TMP|g; s/^/# /"
}

# The file is sound (header, next, "INDEX KEY" lines, indexes and keys
# distinct, indexes below next) and maps each UUID to the index served.
want_sound_file() {
	local bad got want u
	bad=$(awk -v h="$HEADER2" '
		NR == 1 { if ($0 != h) { print "no header"; exit } next }
		NR == 2 { if ($1 != "next" || $2 !~ /^[0-9]+$/ || NF != 2) { print "no next"; exit }
			  next_ = $2; next }
		NR == 3 { if ($1 != "day" || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ || NF != 3) { print "no day"; exit } next }
		{
			if (NF != 3 || $1 !~ /^[1-9][0-9]*$/) { print "bad line " NR; exit }
			if (seen[$1]++ || keys[$2]++) { print "repeat at " NR; exit }
			if ($1 + 0 >= next_ + 0) { print "index " $1 " not below next"; exit }
		}
		END { if (NR < 3) print "too short" }' "$FILE" 2>&1)
	kt_is "$bad" "" "$CASE: the state file is sound again"
	# The map also holds the devices' keys (UUID/blk/vda...): VMs only.
	got=$(awk 'NR > 3 && $2 ~ /^[0-9a-f-]+$/ { print $2 "=" $1 }' "$FILE" |
		sort | tr '\n' ' ')
	want=$(for u in "${!SERVED[@]}"; do echo "$u=${SERVED[$u]}"; done | sort | tr '\n' ' ')
	kt_is "$got" "$want" "$CASE: it holds the indexes served"
	got=$(awk -v kept=" $KEPT " 'NR > 3 && index(kept, " " $2 "=" $1 " ") == 0 {
		if (min == "" || $1 + 0 < min) min = $1 + 0 } END { print min }' "$FILE")
	kt_is "$got" "$FLOOR" "$CASE: the first new index was $FLOOR"
	echo "# $CASE: $(($(wc -l < "$FILE") - 3)) keys in the file, $(sed -n 2p "$FILE")"
}

# want_kept NAME FILE: the damaged file was kept as NAME with these bytes.
want_kept() {
	cmp -s "$STATE/$1" "$2"
	kt_ok $? "$CASE: the damaged file is kept as $1, unchanged"
}

kt_start_snmpd

# ---- missing: a first start ----
CASE=missing
fresh_state
start_agent
serve_check
want_indexes 1
want_log "info: no state file $FILE yet: starting with an empty index map" \
	"no state file, starting empty"
kt_stop_subagent
want_sound_file

# ---- torn: the last line cut short (a crash in an unsynced write) ----
CASE=torn
fresh_state
printf '%s\nnext 7\n3 %s\n5 %s\n6 %s' "$HEADER" $ALPHA $BRAVO "${CHARLIE:0:20}" > "$FILE"
cp "$FILE" "$KT_TMP/orig"
start_agent
serve_check
# 6 was on the torn line: retired, though "next 7" retires it too.
want_indexes 7 "$ALPHA=3" "$BRAVO=5"
want_log "warning: state file $FILE damaged \(1 of 5 lines bad\): starting with the 2 indexes it holds, new indexes from 7; kept the old file as $FILE.bad" \
	"damaged, 2 indexes kept, new from 7, kept as .bad"
kt_stop_subagent
want_kept vm-index.bad "$KT_TMP/orig"
want_sound_file

# ---- torn without a "next" line: the torn line's index stays retired ----
CASE=torn-nonext
fresh_state
printf '%s\n2 %s\n9 %s' "$HEADER" $ALPHA "${BRAVO:0:30}" > "$FILE"
start_agent
serve_check
want_indexes 10 "$ALPHA=2"
want_log "damaged \(1 of 3 lines bad\): starting with the 1 indexes it holds, new indexes from 10" \
	"the torn line's index 9 is retired"
kt_stop_subagent
want_sound_file

# ---- empty: truncated to nothing ----
CASE=empty
fresh_state
: > "$FILE"
start_agent
serve_check
want_indexes 1
want_log "state file $FILE empty: starting with an empty index map, new indexes from 1; kept the old file as $FILE.bad" \
	"empty, kept as .bad"
kt_stop_subagent
want_kept vm-index.bad /dev/null
want_sound_file

# ---- corrupt: no header, binary bytes, garbage, repeated index and key ----
CASE=corrupt
fresh_state
{
	printf 'next 3\n'
	printf '\x00\x01\xff\xfe\x7fELF\x02\x01\x01\x00binary\n'
	printf '12 %s\n' $ALPHA
	printf '12 %s\n' $BRAVO          # 12 is alpha's: skipped
	printf '9 %s\n' $ALPHA           # alpha has 12: skipped, 9 retired
	printf '%5000s\n' '' | tr ' ' x  # a long line
	printf '4 %s extra\n' $CHARLIE   # two tokens: skipped, 4 retired
	printf 'abc %s\n' $DELTA
	printf '7 %s\x00tail\n' $DELTA   # a NUL: skipped, 7 retired
	printf '\r\n'
} > "$FILE"
cp "$FILE" "$KT_TMP/orig"
start_agent
serve_check
want_indexes 13 "$ALPHA=12"
want_log "state file $FILE damaged \(no header, 8 of 10 lines bad\): starting with the 1 indexes it holds, new indexes from 13; kept the old file as $FILE.bad" \
	"no header and 8 bad lines, new from 13"
kt_stop_subagent
want_kept vm-index.bad "$KT_TMP/orig"
want_sound_file

# ---- an earlier .bad file is never replaced ----
CASE=second-bad
fresh_state
echo "an older damaged file" > "$STATE/vm-index.bad"
cp "$STATE/vm-index.bad" "$KT_TMP/older"
printf 'garbage\n' > "$FILE"
start_agent
serve_check
want_indexes 1
want_log "kept the old file as $FILE.bad.1" "kept as .bad.1 when .bad is taken"
kt_stop_subagent
want_kept vm-index.bad "$KT_TMP/older"
want_kept vm-index.bad.1 <(printf 'garbage\n')
want_sound_file

# ---- unreadable: a directory where the file should be ----
CASE=directory
fresh_state
mkdir "$FILE"
echo note > "$FILE/note"
start_agent
serve_check
want_indexes 1
want_log "state file $FILE unreadable \(Is a directory\): starting with an empty index map, new indexes from 1; kept the old file as $FILE.bad" \
	"unreadable (EISDIR), kept as .bad"
kt_stop_subagent
kt_is "$(cat "$STATE/vm-index.bad/note" 2>&1)" note "$CASE: the directory was moved aside whole"
want_sound_file

# ---- unreadable: mode 0000 (root runs the agent without CAP_DAC_*) ----
CASE=mode-0000
fresh_state
printf '%s\nnext 40\n1 %s\n' "$HEADER" $ALPHA > "$FILE"
cp "$FILE" "$KT_TMP/orig"
chmod 0 "$FILE"
wrapper=
if [ $ROOT = 1 ]; then
	wrapper=$KT_TMP/no-dac-override
	printf '#!/bin/sh\nexec setpriv --bounding-set -dac_override,-dac_read_search "%s" "$@"\n' \
		"$KT_SUBAGENT" > "$wrapper"
	chmod +x "$wrapper"
fi
start_agent "$wrapper"
serve_check
# What the file held is unknown to the agent: it starts from 1.
want_indexes 1
want_log "state file $FILE unreadable \(Permission denied\): starting with an empty index map, new indexes from 1; kept the old file as $FILE.bad" \
	"unreadable (EACCES), kept as .bad"
kt_stop_subagent
chmod 0600 "$STATE/vm-index.bad"
want_kept vm-index.bad "$KT_TMP/orig"
want_sound_file

# ---- unwritable: a read-only file system (non-root: a 0555 directory) ----
CASE=read-only
fresh_state tmpfs 256k
printf '%s\nnext 20\n2 %s\n' "$HEADER" $ALPHA > "$FILE"
cp "$FILE" "$KT_TMP/orig"
state_readonly
start_agent
serve_check
want_indexes 20 "$ALPHA=2"
err="Read-only file system"
[ $ROOT = 1 ] || err="Permission denied"
want_log "cannot save the index map to $FILE: $err \(indexes stay valid for this run; retrying\)" \
	"cannot save: $err"
cmp -s "$FILE" "$KT_TMP/orig"
kt_ok $? "$CASE: the file is untouched"
state_writable
kt_wait_for $((KT_PATIENCE * 10)) grep -q "index map saved again" "$LOG"
kt_ok $? "$CASE: saved once writable again"
serve_check
want_indexes 20 "$ALPHA=2"
kt_stop_subagent
want_sound_file

# ---- damaged and read-only: kept aside as soon as it can be ----
CASE=damaged-read-only
fresh_state tmpfs 256k
printf '%s\nnext 5\n1 %s\n3 %s' "$HEADER" $ALPHA "${BRAVO:0:10}" > "$FILE"
cp "$FILE" "$KT_TMP/orig"
state_readonly
start_agent
serve_check
want_indexes 5 "$ALPHA=1"
want_log "state file $FILE damaged \(1 of 4 lines bad\): starting with the 1 indexes it holds, new indexes from 5; cannot keep the old file aside \($err\), it is not replaced until it can be" \
	"damaged, cannot keep it aside: $err"
cmp -s "$FILE" "$KT_TMP/orig"
kt_ok $? "$CASE: the file is untouched"
state_writable
kt_wait_for $((KT_PATIENCE * 10)) grep -q "index map saved again" "$LOG"
kt_ok $? "$CASE: saved once writable again"
want_log "info: kept the damaged state file as $FILE.bad" "kept once writable"
kt_stop_subagent
want_kept vm-index.bad "$KT_TMP/orig"
want_sound_file

# ---- full disk: a tmpfs filled up ----
CASE=full-disk
if [ $ROOT = 1 ]; then
	fresh_state tmpfs 64k
	printf '%s\nnext 30\n1 %s\n' "$HEADER" $ALPHA > "$FILE"
	cp "$FILE" "$KT_TMP/orig"
	dd if=/dev/zero of="$STATE/filler" bs=4k 2>/dev/null
	start_agent
	serve_check
	want_indexes 30 "$ALPHA=1"
	want_log "cannot save the index map to $FILE: No space left on device" \
		"cannot save: no space"
	cmp -s "$FILE" "$KT_TMP/orig"
	kt_ok $? "$CASE: the old file is intact"
	kt_is "$(ls -A "$STATE" | grep -c '^vm-index\.tmp')" 0 "$CASE: no temporary file left"
	rm "$STATE/filler"
	kt_wait_for $((KT_PATIENCE * 10)) grep -q "index map saved again" "$LOG"
	kt_ok $? "$CASE: saved once there is space"
	kt_stop_subagent
	want_sound_file
else
	echo "ok $((kt_n += 1)) - full disk # SKIP needs root to mount a tmpfs"
fi

echo "# time to the first served collection: ${STARTS[*]}"
kt_done
