/*
 * kvmtop's VM disk utilisation estimate, from two snapshots: each host
 * block device's utilisation shared out by the VM's share of the device's
 * requests.  Pure: no I/O, so unit tests feed it hand-built snapshots.
 */
#ifndef KT_VM_IOUTIL_H
#define KT_VM_IOUTIL_H

#include "snapshot.h"

/*
 * Fills disk.ioutil/has_ioutil of every VM of @cur (host rows and rates in
 * @cur->host must be filled).  A VM gets a value when at least one of its
 * disks maps to a host device row with a rate and the VM's request counts
 * of that disk are known in @prev too.
 */
void kt_vm_disk_ioutil(struct kt_snapshot *cur, const struct kt_snapshot *prev);

#endif
