#!/bin/sh
# The test command: builds kvmtop-snmp (warnings are errors) out of tree and
# runs every test with `make check`, then prints "N passed, N failed".
#   tools/run-tests.sh                 build/ with -Werror
#   tools/run-tests.sh --sanitizers    build-san/ with ASan+UBSan as well
#   tools/run-tests.sh --unprivileged  build-unpriv/, run as user kvmtop-test
#                                      (made when missing), without the
#                                      end-to-end tests: graceful degradation
#   tools/run-tests.sh --under-load [MODE]
#                                      any of the above while every CPU is kept
#                                      busy by other processes at normal
#                                      priority (KT_UNDER_LOAD=1): the tests
#                                      must not depend on the machine's speed
# Extra arguments after the mode go to `make check` (e.g. TESTS=...).
# KT_QUIET=1 leaves out the lines of the tests that pass.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
unpriv_user=kvmtop-test

# As root: prepares what the user cannot (the user, the generated files,
# a build directory it owns; a copy of the tree in /tmp when the user
# cannot read this one) and runs this script again as the user.
unprivileged() {
	local src=$top copy="" rc
	id "$unpriv_user" >/dev/null 2>&1 ||
		useradd --system --no-create-home --shell /usr/sbin/nologin \
			"$unpriv_user" || return 1
	if [ ! -x configure ] || [ configure.ac -nt configure ] ||
		[ Makefile.am -nt Makefile.in ]; then
		./autogen.sh || return 1
	fi
	if ! as_user test -r "$top/configure"; then
		copy=$(mktemp -d /tmp/kvmtop-unpriv.XXXXXX) || return 1
		tar -C "$top" --exclude=./build --exclude=./build-san \
			--exclude=./build-unpriv -cf - . | tar -C "$copy" -xf - ||
			return 1
		chmod 0755 "$copy"
		src=$copy
		echo "(running from a copy in $copy: $unpriv_user cannot read $top)"
	fi
	mkdir -p "$src/$dir" && chown -R "$unpriv_user:" "$src/$dir" || return 1
	# The user's own environment, not root's session (a runtime directory
	# or session bus of root's would send its libvirt clients there), and
	# no SHELL, as in CI (a program that falls back to the user's login
	# shell gets nologin).
	as_user env -u XDG_RUNTIME_DIR -u DBUS_SESSION_BUS_ADDRESS -u SHELL \
		HOME="$src/$dir" USER="$unpriv_user" LOGNAME="$unpriv_user" \
		"$src/tools/run-tests.sh" --unprivileged "$@"
	rc=$?
	[ -n "$copy" ] && rm -rf "$copy"
	return $rc
}
as_user() {
	setpriv --reuid "$unpriv_user" --regid "$(id -g "$unpriv_user")" \
		--init-groups "$@"
}

# ---- --under-load: one busy loop per CPU for as long as the tests run ----
load_pids=""
load_t0=0
start_load() {
	local i n
	n=$(nproc)
	for i in $(seq "$n"); do
		sh -c 'while :; do :; done' &
		load_pids="$load_pids $!"
	done
	load_t0=$(date +%s)
	export KT_UNDER_LOAD=1
	echo "under load: $n busy loops at normal priority (PIDs$load_pids)"
}
# Stops the loops and says how much CPU they had: both CPUs busy throughout
# shows as about (CPUs x seconds) shared with the tests.
stop_load() {
	local p ticks=0 t secs hz
	[ -n "$load_pids" ] || return 0
	hz=$(getconf CLK_TCK)
	for p in $load_pids; do
		t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)
		ticks=$((ticks + t))
		kill "$p" 2>/dev/null
	done
	wait $load_pids 2>/dev/null
	secs=$(($(date +%s) - load_t0))
	echo "under load: the busy loops ran ${secs} s and used $((ticks / hz)) CPU-seconds"
	load_pids=""
}
if [ "${1:-}" = "--under-load" ]; then
	shift
	if [ -z "${KT_UNDER_LOAD:-}" ]; then
		start_load
		trap stop_load EXIT
		trap 'exit 130' INT TERM
	fi
fi

dir=build
flags="--enable-werror"
if [ "${1:-}" = "--sanitizers" ]; then
	dir=build-san
	flags="--enable-werror --enable-sanitizers"
	shift
elif [ "${1:-}" = "--unprivileged" ]; then
	dir=build-unpriv
	shift
	# The end-to-end tests need root: skipped here, even in CI; so are the
	# NMS tests (they run as root in the other phases).
	export KT_SKIP_E2E=1 KT_REQUIRE_E2E=0 KT_SKIP_NMS=1 KT_REQUIRE_NMS=0
	if [ "$(id -u)" = 0 ]; then
		unprivileged "$@"
		exit $?
	fi
fi

[ -x configure ] || ./autogen.sh || exit 1
mkdir -p "$dir"
cd "$dir" || exit 1
if [ ! -f Makefile ]; then
	"$top/configure" -q $flags || { echo "configure failed" >&2; exit 1; }
fi
make -j2 >make.log 2>&1 || { cat make.log; echo "build failed" >&2; exit 1; }

make -j2 check "$@" >check.log 2>&1
rc=$?
# Every test prints TAP; show each test's lines with its verdict (with
# KT_QUIET=1, as in CI, all but the passing ones).
verdicts='^(PASS|FAIL|ERROR|XPASS|SKIP|XFAIL):'
[ -n "${KT_QUIET:-}" ] && verdicts='^(FAIL|ERROR|XPASS|SKIP|XFAIL):'
grep -E "$verdicts" check.log || true
if [ $rc -ne 0 ]; then
	for log in $(find tests -name '*.log' ! -name test-suite.log); do
		if grep -q '^not ok\|^Bail out' "$log" 2>/dev/null || ! grep -q '^1\.\.' "$log"; then
			echo "---- $log"
			tail -n 60 "$log"
		fi
	done
fi
# (0 when make stopped before writing check.log, e.g. an unknown test)
count() { sed -n "s/^# $1: *//p" check.log 2>/dev/null | tail -n 1 | grep . || echo 0; }
pass=$(count PASS)
fail=$(( $(count FAIL) + $(count ERROR) + $(count XPASS) ))
skip=$(count SKIP)
stop_load
echo "${pass:-0} passed, ${fail:-0} failed, ${skip:-0} skipped"
exit $rc
