/*
 * The kvmtopNotify scalars (row: struct kt_notify_view): the notification
 * queue's counters and the steal watch's settings.  Its two objects that
 * only notifications carry (PreviousState, Reason) are not readable and
 * have no descriptor.
 */
#include "columns_def.h"
#include "kvmtop_oid.h"

#define ROW struct kt_notify_view
/* clang-format off */
static const struct kt_col notify_cols[] = {
	KT_C64(1, "kvmtopNotifySent", NULL, NULL, "notifications", sent, NULL),
	KT_G32(2, "kvmtopNotifyQueued", NULL, NULL, "notifications", queued, NULL),
	KT_C64(3, "kvmtopNotifyDropped", NULL, NULL, "notifications", dropped,
	       NULL),
	KT_G32(4, "kvmtopNotifyQueueSize", NULL, NULL, "notifications",
	       capacity, NULL),
	KT_PCT(5, "kvmtopNotifyStealHigh", NULL, NULL, steal_high, NULL),
	KT_PCT(6, "kvmtopNotifyStealNormal", NULL, NULL, steal_normal, NULL),
	KT_COL(7, "kvmtopNotifyStealDuration", NULL, NULL, KT_SMI_UNSIGNED32,
	       "milliseconds", KT_FMT_NUM, KT_KIND_U32, steal_for_ms, NULL, 0),
};
/* clang-format on */
#undef ROW

KT_COL_SET(kt_notify_cols, "kvmtopNotify", KT_OID_NOTIFY_SUBID, true,
	   notify_cols);
