/*
 * Where kvmtop-live's records come from: the collectors in this process
 * (one kt_collector_run() a refresh) or an agent over SNMP (one fetch of
 * the wanted columns a refresh).  Both give a struct kt_rec.
 */
#ifndef KT_LIVE_SOURCE_H
#define KT_LIVE_SOURCE_H

#include <stddef.h>

#include "live/live_opts.h"
#include "live/rec.h"

struct kt_source;

/* 0, or -1 with one line in @err. */
int kt_source_open(const struct kt_live_options *o, struct kt_source **out,
		   char *err, size_t errlen);
void kt_source_free(struct kt_source *s);

/*
 * One refresh: a new record in *@out (the caller frees it), or NULL and
 * one line in @err; the return is 0 or an enum kt_remote_err.
 */
int kt_source_fetch(struct kt_source *s, const struct kt_want *w,
		    struct kt_rec **out, char *err, size_t errlen);

/* "local" or the HOST. */
const char *kt_source_name(const struct kt_source *s);
/* The remote source's requests and varbinds of the last refresh. */
void kt_source_counts(const struct kt_source *s, unsigned *requests,
		      unsigned *varbinds);

#endif
