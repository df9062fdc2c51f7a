#!/bin/sh
# The harness's guard around every test (Makefile.am's LOG_COMPILER and
# SH_LOG_COMPILER): runs the test TEST [ARGS...] with a time limit, so that a
# test that hangs fails alone, named, with its log, instead of holding up
# the whole run until CI stops it without a word.
#   KT_TEST_LIMIT       seconds for a unit or integration test (600)
#   KT_TEST_LIMIT_LONG  seconds for an end-to-end or NMS test (1800)
# Both are far above what any test takes on a busy 2-CPU machine: only a
# hang reaches them.  A test still running at its limit is sent SIGTERM
# (its cleanup traps run), SIGKILL 30 s later; a moment before, its
# processes are listed, which shows what it was waiting for.  The test's
# duration is printed as a TAP comment.
case $1 in
*/e2e/* | */nms/*) limit=${KT_TEST_LIMIT_LONG:-1800} ;;
*) limit=${KT_TEST_LIMIT:-600} ;;
esac
t0=$(date +%s)

timeout --kill-after=30 "$limit" "$@" &
guarded=$!
# The watcher's sleep writes nowhere: once the watcher is stopped, nothing
# of it holds the pipe the TAP driver reads to its end.
(
	sleep $((limit - 2)) </dev/null >/dev/null 2>&1 || exit 0
	echo "# $1: still running after $((limit - 2)) s; its processes:"
	pids=$(pgrep -d, -g "$guarded")
	[ -n "$pids" ] && ps -o pid,ppid,etime,stat,args -p "$pids" | sed 's/^/#   /'
) &
watcher=$!
# timeout runs the test in a process group of its own, which a Ctrl-C or
# CI's stop of the whole run does not reach: pass them on, then wait for
# the test's cleanup.
trap 'kill -TERM "$guarded" 2>/dev/null' INT TERM HUP
rc=0
wait "$guarded" || rc=$?
while kill -0 "$guarded" 2>/dev/null; do
	rc=0
	wait "$guarded" || rc=$?
done
pkill -P "$watcher" sleep 2>/dev/null
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null

echo "# $1: $(($(date +%s) - t0)) s (limit $limit s)"
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "Bail out! $1 did not finish within $limit s and was stopped"
fi
exit $rc
