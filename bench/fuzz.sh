#!/bin/bash
# Fuzzing bench (issue 5, item 7): builds the libFuzzer harnesses of
# tests/fuzz out of tree in build-fuzz/ (clang, configure --enable-fuzzer:
# ASan+UBSan on the whole build) and runs each for SECONDS (default 60)
# from a corpus seeded with the fixture files.
#
#   bench/fuzz.sh [SECONDS] [HARNESS...]     (HARNESS: procfs host domxml
#                                             domstats index; default all)
#
# Prints TAP, one line per harness with the executions libFuzzer reports
# ("Done N runs in S second(s)"), then "N passed, N failed".  Exits
# non-zero when the build fails or a harness crashes, leaks, times out or
# runs out of memory; the input that did it is in
# build-fuzz/fuzz/HARNESS/artifacts/ and the stack in
# build-fuzz/fuzz/HARNESS.log.  The corpora (build-fuzz/fuzz/HARNESS/corpus)
# are kept between runs and get the fixture files again each run: no copy
# of a fixture lives in the source tree.
# KT_FUZZ_BUILDDIR overrides the build directory.
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
fix=$top/tests/fixtures

secs=60
if [ $# -gt 0 ] && [ -z "${1//[0-9]/}" ]; then
	secs=$1
	shift
fi
case "${1:-}" in
-h | --help)
	sed -n '2,18s/^# \{0,1\}//p' "$0"
	exit 0
	;;
esac
harnesses=${*:-procfs host domxml domstats index}
bdir=${KT_FUZZ_BUILDDIR:-$top/build-fuzz}

die() {
	echo "fuzz: $*" >&2
	exit 1
}

# ---- build ----

build() {
	local out

	if [ ! -x configure ]; then
		out=$(./autogen.sh 2>&1) || { echo "$out"; die "autogen.sh failed"; }
	fi
	# configure refuses an out-of-tree build of an in-place configured tree.
	[ -f config.status ] &&
		die "the source tree is configured in place: run 'make distclean' first"
	command -v clang >/dev/null || die "clang not found (Debian package clang)"
	mkdir -p "$bdir" || die "cannot create $bdir"
	cd "$bdir" || die "cannot enter $bdir"
	if ! grep -q -- '--enable-fuzzer' config.status 2>/dev/null; then
		CC=clang "$top/configure" -q --enable-fuzzer >configure.log 2>&1 || {
			cat configure.log
			die "configure failed"
		}
	fi
	make -j"$(nproc)" >make.log 2>&1 || {
		tail -n 40 make.log
		die "build failed (see $bdir/make.log)"
	}
	cd "$top" || exit 1
}

# ---- seed corpora ----

# copy_found DIR FIND-ARGS...: the files find(1) lists into DIR, each named
# by its path below tests/fixtures.
copy_found() {
	local dir=$1 f name
	shift
	find "$@" -print0 | while IFS= read -r -d '' f; do
		name=${f#"$fix"/}
		cp "$f" "$dir/fixture-${name//\//_}"
	done
}

# Per-process files (a directory named by a number on the way) and the
# hand-written edge cases.
seed_procfs() {
	copy_found "$1" "$fix/procfs-unit" -type f
	copy_found "$1" "$fix/basic" -type f -regex '.*/[0-9]+/.*'
}

# The host-wide files of the host and basic fixtures.
seed_host() {
	copy_found "$1" "$fix/host" -type f ! -name '*.md'
	copy_found "$1" "$fix/basic/proc" "$fix/basic/phase2" "$fix/basic/sys" \
		-type f ! -regex '.*/[0-9]+/.*'
}

seed_domxml() {
	copy_found "$1" "$fix/domxml" "$fix/basic/domains.xml" -type f \
		-name '*.xml'
}

# No fixture holds a bulk record: one as `virsh domstats` prints it for a
# running QEMU domain with two disks and two interfaces.
seed_domstats() {
	local i f disks=(vda vdb)
	{
		echo "Domain: 'vm-alpha'"
		echo "  state.state=1"
		echo "  block.count=2"
		for i in 0 1; do
			echo "  block.$i.name=${disks[$i]}"
			echo "  block.$i.path=/var/lib/libvirt/images/alpha-$i.qcow2"
			echo "  block.$i.rd.reqs=1024$i"
			echo "  block.$i.rd.bytes=41943040$i"
			echo "  block.$i.rd.times=981234$i"
			echo "  block.$i.wr.reqs=512$i"
			echo "  block.$i.wr.bytes=2097152$i"
			echo "  block.$i.wr.times=12345$i"
			echo "  block.$i.fl.reqs=7$i"
			echo "  block.$i.fl.times=999$i"
			echo "  block.$i.allocation=1073741824"
			echo "  block.$i.capacity=10737418240"
			echo "  block.$i.physical=1073745920"
		done
		echo "  net.count=2"
		for i in 0 1; do
			echo "  net.$i.name=vnet$i"
			for f in rx tx; do
				echo "  net.$i.$f.bytes=12345$i"
				echo "  net.$i.$f.pkts=123$i"
				echo "  net.$i.$f.errs=0"
				echo "  net.$i.$f.drop=$i"
			done
		done
	} >"$1/generated-domstats"
	printf 'block.count:U=1\nblock.0.name:U=7\nnet.count=1\nnet.0.name=vnet0\nnet.0.rx.bytes:s=12\n' \
		>"$1/generated-domstats-types"
}

# No fixture holds a state file (test_index writes its own): v1 files as an
# older agent wrote them (two sound, one torn by a crash) and a v2 one.
seed_index() {
	local u=6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e0
	printf '# kvmtop-snmp index map v2\nnext 5\nday 12 2026-01-15\n1 %s1 12\n2 %s1/blk/vda 3\n4 %s4 12\n' \
		"$u" "$u" "$u" >"$1/generated-index-v2"
	printf '# kvmtop-snmp index map v1\nnext 5\n1 %s1\n2 %s2\n4 %s4\n' \
		"$u" "$u" "$u" >"$1/generated-index"
	printf '# kvmtop-snmp index map v1\nnext 3\n1 %s1/vda\n2 %s1/52:54:00:00:00:01\n' \
		"$u" "$u" >"$1/generated-index-devices"
	printf '# kvmtop-snmp index map v1\nnext 2\n1 %s1\n2 %s' \
		"$u" "$u" >"$1/generated-index-torn"
}

# ---- runs ----

symbolizer() {
	local s
	for s in $(command -v llvm-symbolizer) /usr/lib/llvm-*/bin/llvm-symbolizer; do
		[ -x "$s" ] && { echo "$s"; return; }
	done
}

# run_one NUMBER NAME: one TAP line; 0 when the harness ran clean.
run_one() {
	local n=$1 name=$2 bin=$bdir/tests/fuzz/fuzz_$2 dir=$bdir/fuzz/$2
	local log=$bdir/fuzz/$2.log rc runs took

	if [ ! -x "$bin" ] || ! declare -F "seed_$name" >/dev/null; then
		echo "not ok $n - $name: no such harness ($bin)"
		return 1
	fi
	mkdir -p "$dir/corpus" "$dir/artifacts"
	"seed_$name" "$dir/corpus"
	(cd "$dir" && "$bin" -max_total_time="$secs" -timeout=25 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/" corpus) >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	took=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -n 1)
	if [ $rc -eq 0 ] && [ -n "$runs" ]; then
		echo "ok $n - $name: $runs runs in $took s ($((runs / (took > 0 ? took : 1))) exec/s)," \
			"corpus $(find "$dir/corpus" -type f | wc -l) inputs"
		return 0
	fi
	# No "Done" line after a crash: the final stats still count the runs.
	[ -n "$runs" ] ||
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "not ok $n - $name: libFuzzer exit $rc after ${runs:-?} runs; see $log"
	grep -h -A 30 -E '^==[0-9]+==ERROR|runtime error|check failed|Test unit written' "$log" |
		head -n 40 | sed 's/^/# /'
	return 1
}

build
# The index harness saves its file after every input: on a tmpfs the
# fsyncs cost nothing.  Each harness also gets a fresh temporary directory.
tmp_root=$(mktemp -d "$([ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/kt-fuzz.XXXXXX") ||
	die "mktemp failed"
trap 'rm -rf "$tmp_root"' EXIT
export TMPDIR=$tmp_root
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}
sym=$(symbolizer)
[ -n "$sym" ] && export ASAN_SYMBOLIZER_PATH=$sym

# shellcheck disable=SC2086 # a list of names
set -- $harnesses
echo "1..$#"
pass=0
fail=0
i=0
for name in "$@"; do
	i=$((i + 1))
	if run_one "$i" "$name"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
