/*
 * The VM index of a UUID for notifications, as the snapshots served gave
 * it: a VM's index never changes (index.h), so an entry stays right for
 * as long as it is kept, and is kept for a while after the VM left the
 * snapshots, so that "VM gone" notifications still name its row.  The
 * SNMP thread's (no lock).
 */
#ifndef KT_NOTIFY_VM_INDEX_H
#define KT_NOTIFY_VM_INDEX_H

#include <stdint.h>

#include "snapshot.h"

/* How long an entry outlives the VM's last snapshot. */
#define KT_VM_INDEX_KEEP_NS (3600ull * 1000000000ull)

struct kt_vm_index;

int kt_vm_index_new(struct kt_vm_index **out);
void kt_vm_index_free(struct kt_vm_index *m);

/* Learns the VMs of @snap, forgets entries unseen for KT_VM_INDEX_KEEP_NS. */
int kt_vm_index_update(struct kt_vm_index *m, const struct kt_snapshot *snap);

/* The index of @uuid, 0 when unknown. */
uint32_t kt_vm_index_find(const struct kt_vm_index *m, const char *uuid);

#endif
