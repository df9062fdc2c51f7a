# Shared by the tests of kvmtop-live's view (sourced after agent.sh): a
# private tmux server whose one window runs a command through a wrapper
# that records the terminal's settings before and after it, and helpers
# to wait for what the screen shows.

KT_LIVE=${KT_LIVE:-$KT_BUILDDIR/kvmtop-live}
[ -x "$KT_LIVE" ] || kt_bail "$KT_LIVE not built"
command -v tmux >/dev/null || kt_bail "tmux not found (Debian package tmux)"
KT_PATIENCE=${KT_PATIENCE:-1}   # multiplies every wait on a slow machine

# tmux runs a window's command through its default-shell: $SHELL, or else
# the user's login shell, which for a system user such as the unprivileged
# run's kvmtop-test is nologin (the window ends at once and the server with
# it). So the shell is named here, and no tmux.conf is read.
kt_tmux() { SHELL=/bin/sh tmux -f /dev/null -S "$KT_TMP/tmux.sock" "$@"; }
kt_tmux_cleanup() {
	kt_tmux kill-server 2>/dev/null
	kt_cleanup
}
trap kt_tmux_cleanup EXIT

# kt_tmux_run NAME COLS ROWS CMD...: CMD in window NAME; when it ends, its
# status goes to $KT_TMP/NAME.status and `stty -a` to NAME.stty-after.
kt_tmux_run() {
	local name=$1 cols=$2 rows=$3
	shift 3
	printf '%q ' "$@" > "$KT_TMP/$name.cmd"
	cat > "$KT_TMP/$name.sh" <<SH
stty -a > "$KT_TMP/$name.stty-before"
$(cat "$KT_TMP/$name.cmd") 2> "$KT_TMP/$name.stderr"
echo \$? > "$KT_TMP/$name.status.tmp"
stty -a > "$KT_TMP/$name.stty-after"
mv "$KT_TMP/$name.status.tmp" "$KT_TMP/$name.status"
echo "ENDED"
exec sleep 3600
SH
	if kt_tmux has-session 2>/dev/null; then
		kt_tmux new-window -d -n "$name" "bash $KT_TMP/$name.sh"
	else
		kt_tmux new-session -d -s kt -n "$name" -x "$cols" -y "$rows" \
			"bash $KT_TMP/$name.sh"
	fi
	kt_tmux resize-window -t "kt:$name" -x "$cols" -y "$rows"
	kt_tmux_started "$name"
}
# Waits for the wrapper's first file (the window's command is running) or
# for the window to be gone, which ends the test at once with tmux's reason.
kt_tmux_up_or_gone() {
	test -e "$KT_TMP/$1.stty-before" || ! kt_tmux has-session -t "kt:$1"
}
kt_tmux_started() {
	local why
	kt_wait_for $((300 * KT_PATIENCE)) kt_tmux_up_or_gone "$1" ||
		kt_bail "tmux window $1: its command did not start within $((30 * KT_PATIENCE)) s"
	test -e "$KT_TMP/$1.stty-before" && return 0
	why=$(kt_tmux has-session -t "kt:$1" 2>&1)
	kt_bail "tmux window $1 did not start: $why"
}
kt_screen() { kt_tmux capture-pane -p -t "kt:$1"; }
kt_keys() { local w=$1; shift; kt_tmux send-keys -t "kt:$w" "$@"; }
# kt_wait_screen NAME TENTHS ERE: until the screen matches (0), or 1.
kt_wait_screen() {
	local n=$(($2 * KT_PATIENCE))
	local screen
	while [ "$n" -gt 0 ]; do
		screen=$(kt_screen "$1" 2>&1) ||
			kt_bail "tmux window $1 is gone: $screen"
		printf '%s\n' "$screen" | grep -Eq -- "$3" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
# The refresh number in the header ("#12"), empty when none.
kt_screen_seq() { kt_screen "$1" | sed -n 's/.*  #\([0-9]*\)$/\1/p' | head -n 1; }
# Field F (awk, 1-based, after the name) of VM NAME's row on screen.
kt_row_field() {
	kt_screen "$1" | awk -v n="$2" -v f="$3" '
		{ name = $1; sub(/^!/, "", name) }
		name == n { print $(f + 1); exit }'
}
# The order of the VM rows on screen, names joined by spaces.
kt_row_order() {
	kt_screen "$1" | awk '$1 ~ /^!?vm-/ { sub(/^!/, "", $1); printf "%s ", $1 }'
}
# Bytes as the view writes them (live/view_cols.c human()).
kt_human() {
	awk -v v="$1" 'BEGIN { u = "BKMGTP"; i = 1
		while (v >= 1024 && i < 6) { v /= 1024; i++ }
		c = substr(u, i, 1)
		if (i == 1) printf "%.0f%s\n", v, c
		else if (v < 10) printf "%.1f%s\n", v, c
		else printf "%.0f%s\n", v, c }'
}
# Hundredths as the view writes them: 1250 -> 12.50.
kt_centi() { printf '%d.%02d\n' $(($1 / 100)) $(($1 % 100)); }
