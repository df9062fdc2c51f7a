#!/bin/bash
# VM churn against libvirt's test driver served by the running libvirtd
# (test+unix:///default): transient domains created and destroyed
# continuously for KT_CHURN_SECONDS (default 60) while a client walks
# KVMTOP-MIB in a loop (tests/lib/churn.sh).  Persistent domains run through
# the whole churn, one of them is stopped and started again and again.
#   - no walk fails, prints an error or leaves the subtree; every walk's
#     OIDs strictly increase;
#   - an index is never given to two UUIDs, a UUID never has two indexes
#     (kvmtopVmUuid over all walks), the same for device rows;
#   - the persistent domains keep their index and appear in every walk;
#   - the destroyed transient domains' rows are gone at the end;
#   - the agent is alive at the end and exits 0 on SIGTERM.
# The test driver's default state is shared by every connection to it, and
# libvirtd resets it when the last one closes: a `virsh event` of ours holds
# one from before the first define to after the cleanup.  Other users of
# the same driver may add domains meanwhile; the checks allow for that.
# The end-to-end tests may stop and start libvirtd (which loses the test
# driver's state): this test takes their machine-wide lock too.
# Without libvirtd: skipped, unless KT_REQUIRE_E2E=1.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../lib/churn.sh"

SECONDS_RUN=${KT_CHURN_SECONDS:-60}
KT_CHURN_URI=test+unix:///default
R=$KT_ROOT_OID

kt_e2e_lock
# No libvirtd yet (a fresh machine, CI): started as the e2e tests start it
# (root only; skips, or fails with KT_REQUIRE_E2E=1, when it cannot).
if ! virsh -q -c "$KT_CHURN_URI" uri >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] || kt_e2e_skip "libvirtd does not answer on $KT_CHURN_URI (and not root to start one)"
	kt_e2e_libvirt_start
fi
if ! virsh -q -c "$KT_CHURN_URI" uri >/dev/null 2>&1; then
	kt_e2e_skip "libvirtd does not answer on $KT_CHURN_URI"
fi

kt_setup
kt_fixture_basic
KT_CHURN_DIR=$KT_TMP/churn
# The PID keeps two runs at once (two build trees) apart in the shared driver.
KT_CHURN_PREFIX=kt-h3-churn-$$
trap 'kt_churn_cleanup; kt_e2e_stop_daemon "$KT_E2E_STARTED_LIBVIRTD"; kt_e2e_stop_daemon "$KT_E2E_STARTED_VIRTLOGD"; kt_cleanup' EXIT
kt_churn_init || kt_bail "cannot create $KT_CHURN_DIR"

kt_churn_hold $((SECONDS_RUN + 600))
rc=$?
kt_ok $rc "a domain created through one connection is seen through another (the held test-driver state)"
[ $rc -eq 0 ] || kt_bail "the test driver's state is not shared: $(head -3 "$KT_CHURN_DIR/events")"
kt_churn_survivors 3 || kt_bail "persistent domains not started: $(cat "$KT_CHURN_DIR/virsh-errors")"

kt_start_snmpd
KT_CHURN_PORT=$KT_PORT KT_CHURN_ROOT=$R
kt_start_subagent -c "$KT_CHURN_URI" --procfs "$KT_PROC" --sysfs "$KT_FIXTURE/sys" -f 0.2
kt_wait_refresh 2 || kt_bail "no second collection: $(tail -5 "$KT_TMP/subagent.log")"
kt_churn_wait_persistent || kt_bail "the persistent domains never appeared in kvmtopVmTable"

# ---- the churn ----
# At least MIN_CREATES domains created and MIN_WALKS walks, however long a
# busy machine takes for them (tests/lib/churn.sh).
MIN_CREATES=$((SECONDS_RUN / 2)) MIN_WALKS=$SECONDS_RUN
kt_churn_start "$SECONDS_RUN" "$MIN_CREATES" "$MIN_WALKS"
kt_churn_walks "$SECONDS_RUN" "$MIN_WALKS"
kt_churn_wait

kt_churn_tap_walks "$SECONDS_RUN" "$MIN_CREATES" "$MIN_WALKS"
kt_ok $((! ($(wc -l <"$KT_CHURN_DIR/dev") > 0))) "device rows were walked"
kt_churn_tap_after
kt_stop_subagent
kt_done
