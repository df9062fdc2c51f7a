/*
 * What the agent notifies: one plain struct per notification, raised by
 * the libvirt event loop (lifecycle), the collector (libvirt lost and
 * restored, states found at a reconnect) and the SNMP thread (steal, from
 * the snapshots), and turned into an SNMP notification by mib/notify.c
 * only.  No net-snmp types here.
 */
#ifndef KT_EVENT_H
#define KT_EVENT_H

#include <stdint.h>

#include "snapshot.h"

enum kt_event_kind {
	KT_EV_STATE = 1,	/* kvmtopVmStateChange */
	KT_EV_STEAL_HIGH,	/* kvmtopVmStealHigh */
	KT_EV_STEAL_NORMAL,	/* kvmtopVmStealNormal */
	KT_EV_LIBVIRT_LOST,	/* kvmtopLibvirtLost */
	KT_EV_LIBVIRT_RESTORED, /* kvmtopLibvirtRestored */
};

/* KVMTOP-MIB's kvmtopNotifyReason. */
enum kt_event_reason {
	KT_REASON_OTHER = 1,
	KT_REASON_DEFINED,
	KT_REASON_UPDATED,
	KT_REASON_UNDEFINED,
	KT_REASON_BOOTED,
	KT_REASON_MIGRATED,
	KT_REASON_RESTORED,
	KT_REASON_FROM_SNAPSHOT,
	KT_REASON_WAKEUP,
	KT_REASON_PAUSED,
	KT_REASON_IOERROR,
	KT_REASON_WATCHDOG,
	KT_REASON_API_ERROR,
	KT_REASON_UNPAUSED,
	KT_REASON_SHUTDOWN,
	KT_REASON_DESTROYED,
	KT_REASON_CRASHED,
	KT_REASON_SAVED,
	KT_REASON_FAILED,
	KT_REASON_SHUTTING_DOWN,
	KT_REASON_PM_SUSPENDED,
	KT_REASON_PANICKED,
	KT_REASON_FOUND_AT_RECONNECT,
	KT_REASON_RENAMED,
	KT_REASON_POSTCOPY,
};

/* Longer VM names are cut: a notification is no place for 4 KiB. */
#define KT_EVENT_NAME_MAX 255

/*
 * One notification.  Fixed size, so that the queue never allocates.  For
 * the VM kinds, @uuid and @name identify the VM and @index is its row
 * (0: not known yet, filled by the SNMP thread from the snapshot).
 */
struct kt_event {
	enum kt_event_kind kind;
	uint32_t index;
	enum kt_vm_state state; /* KT_EV_STATE: the new state */
	enum kt_vm_state prev;	/* KT_EV_STATE: the state before */
	enum kt_event_reason reason;
	uint32_t steal; /* steal kinds: kvmtopVmCpuSteal, 0.01 % */
	uint64_t raised_mono_ns;
	char uuid[KT_UUID_LEN + 1];
	char name[KT_EVENT_NAME_MAX + 1];
};

/* Where a producer puts what it raises (any thread). */
struct kt_event_sink {
	void (*emit)(void *arg, const struct kt_event *ev);
	void *arg;
};

static inline void kt_event_emit(const struct kt_event_sink *sink,
				 const struct kt_event *ev)
{
	if (sink != NULL && sink->emit != NULL)
		sink->emit(sink->arg, ev);
}

#endif
