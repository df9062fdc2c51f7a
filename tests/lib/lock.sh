# The machine-wide lock of the tests and benchmarks that share libvirtd, the
# guests' names and the host's CPUs (sourced, bash): the end-to-end tests,
# the NMS test, the package test, and the integration tests and benchmarks
# that restart or load libvirtd.  One of them at a time on this machine,
# from whichever tree, build directory or user.
#
# The lock is held by a keeper process, not by a descriptor of the test's
# shell: a descriptor would be inherited by everything the test starts, and a
# daemon that outlived the test (a QEMU, a libvirtd started again, a
# PostgreSQL) would keep every later test waiting until its wait ran out.
# The keeper holds it while the shell that took it lives (it looks once a
# second), so a test killed outright frees it too.

KT_LOCK_FILE=/run/lock/kvmtop-snmp-e2e.lock
[ -d /run/lock ] || KT_LOCK_FILE=/tmp/kvmtop-snmp-e2e.lock
KT_LOCK_WAIT=${KT_LOCK_WAIT:-1200} # seconds: longer than any holder takes

# kt_lock_holders: "WHO (PID N)" of the tests that hold the lock now (a
# keeper's sh exists only once its flock has the lock).
kt_lock_holders() {
	pgrep -a -f "^sh -c .* kt-machine-lock " |
		sed -E 's/^[0-9]+ sh -c .* kt-machine-lock (.*) ([0-9]+)$/\1 (PID \2)/'
}

# kt_lock_take WHO: takes the lock for this shell ($$), waiting at most
# KT_LOCK_WAIT s; says whom it waits for.  Returns 1 (with a line on
# stderr) when it is not obtained.
kt_lock_take() {
	local who=$1 fd line
	# flock opens the file read-only (creating it 0644 at first): any
	# user can lock the file that root made.
	exec {fd}< <(flock -w "$KT_LOCK_WAIT" -o "$KT_LOCK_FILE" sh -c \
		'echo locked; while kill -0 "$2" 2>/dev/null; do sleep 1; done' \
		kt-machine-lock "$who" "$$" 2>/dev/null </dev/null)
	if ! read -r -t 1 -u "$fd" line; then
		echo "# waiting for the machine-wide test lock ($KT_LOCK_FILE), held by:" \
			"$(kt_lock_holders | tr '\n' ' ')"
		read -r -u "$fd" line
	fi
	exec {fd}<&-
	[ "$line" = locked ] && return 0
	echo "$KT_LOCK_FILE not obtained in $KT_LOCK_WAIT s; held by:" \
		"$(kt_lock_holders | tr '\n' ' ')" >&2
	return 1
}
