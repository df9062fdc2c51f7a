#!/bin/sh
# The test command: builds kvmtop-snmp (warnings are errors) out of tree and
# runs every test with `make check`, then prints "N passed, N failed".
#   tools/run-tests.sh               build/ with -Werror
#   tools/run-tests.sh --sanitizers  build-san/ with ASan+UBSan as well
# Extra arguments after the mode go to `make check` (e.g. TESTS=...).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)

dir=build
flags="--enable-werror"
if [ "${1:-}" = "--sanitizers" ]; then
	dir=build-san
	flags="--enable-werror --enable-sanitizers"
	shift
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
# Every test prints TAP; show each test's lines with its verdict.
cat check.log | grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP|XFAIL):' || true
if [ $rc -ne 0 ]; then
	for log in $(find tests -name '*.log' ! -name test-suite.log); do
		if grep -q '^not ok\|^Bail out' "$log" 2>/dev/null || ! grep -q '^1\.\.' "$log"; then
			echo "---- $log"
			tail -n 60 "$log"
		fi
	done
fi
count() { sed -n "s/^# $1: *//p" check.log | tail -n 1; }
pass=$(count PASS)
fail=$(( $(count FAIL) + $(count ERROR) + $(count XPASS) ))
skip=$(count SKIP)
echo "${pass:-0} passed, ${fail:-0} failed, ${skip:-0} skipped"
exit $rc
