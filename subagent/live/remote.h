/*
 * A remote source: an agent serving KVMTOP-MIB, read over SNMP (v2c or
 * v3) with net-snmp's client library.  One fetch reads only the wanted
 * columns (live/rec.h): the scalars as the non-repeaters of the first
 * GETBULK, the table columns side by side as its repeaters, each column
 * followed until it leaves its subtree.
 */
#ifndef KT_LIVE_REMOTE_H
#define KT_LIVE_REMOTE_H

#include <stddef.h>

#include "live/rec.h"

struct kt_remote_config {
	const char *host;      /* HOST or HOST:PORT, as snmpget takes it */
	int version;	       /* 2 (v2c) or 3 */
	const char *community; /* v2c */
	/* v3, as snmpget's -u -l -a -A -x -X */
	const char *user;
	const char *level; /* noAuthNoPriv, authNoPriv, authPriv */
	const char *auth_proto, *auth_pass;
	const char *priv_proto, *priv_pass;
	long timeout_us;
	int retries;
};

/* What went wrong in a fetch (kt_remote_fetch()'s return). */
enum kt_remote_err {
	KT_REMOTE_OK = 0,
	KT_REMOTE_TIMEOUT, /* no answer: agent down or wrong community */
	KT_REMOTE_NO_MIB,  /* answers, but without KVMTOP-MIB */
	KT_REMOTE_ERROR,   /* an SNMP error (v3 user, authentication, ...) */
	KT_REMOTE_NOMEM,
};

struct kt_remote;

/* 0, or -1 with one line in @err (unknown host, bad v3 settings). */
int kt_remote_open(const struct kt_remote_config *cfg, struct kt_remote **out,
		   char *err, size_t errlen);
void kt_remote_close(struct kt_remote *r);

/* Fills @rec with the wanted columns; on failure one line in @err. */
enum kt_remote_err kt_remote_fetch(struct kt_remote *r, const struct kt_want *w,
				   struct kt_rec *rec, char *err,
				   size_t errlen);

/* Requests and varbinds of the last fetch (bench, tests). */
void kt_remote_counts(const struct kt_remote *r, unsigned *requests,
		      unsigned *varbinds);

#endif
