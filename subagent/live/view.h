/*
 * kvmtop-live's live view (ncurses): a host header, one row per VM with
 * the columns of the collectors switched on, sorted by any column, and a
 * detail page of one VM's vCPUs, disks and interfaces.  Runs until `q`
 * or a signal on @sigfd; returns the exit status.
 */
#ifndef KT_LIVE_VIEW_H
#define KT_LIVE_VIEW_H

#include "live/live_opts.h"
#include "live/source.h"

int kt_view_run(const struct kt_live_options *o, struct kt_source *src,
		int sigfd);

#endif
