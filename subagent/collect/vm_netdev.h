/*
 * The host's counters of each VM's tap devices that libvirt does not
 * report (kvmtop's verbose net_* fifo, frame, compressed, multicast, colls
 * and carrier), from the /proc/net/dev rows of the host collector, summed
 * per VM and kept cumulative from snapshot to snapshot.  Pure: no I/O, so
 * unit tests feed it hand-built snapshots.
 */
#ifndef KT_VM_NETDEV_H
#define KT_VM_NETDEV_H

#include "snapshot.h"

/*
 * Fills net.tap, net.has_tap and net.tap_rebase of every VM of @cur, and
 * the tap samples of its interfaces, from the interface rows of
 * @cur->host (an interface's tap is the row of its name) and the same
 * VM's row in @prev (NULL: none), whose totals and samples it carries on.
 * @prev must be sorted (kt_snapshot_sort()).  A VM gets has_tap when at
 * least one of its interfaces has a row.  O(VMs x interfaces x log rows).
 */
void kt_vm_net_taps(struct kt_snapshot *cur, const struct kt_snapshot *prev);

#endif
