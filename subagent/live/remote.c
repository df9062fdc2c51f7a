/*
 * The remote source (live/remote.h): a net-snmp single session, and a
 * fetch that walks the wanted columns side by side in GETBULK requests.
 */
#include "config.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdlib.h>
#include <string.h>

#include "kvmtop_oid.h"
#include "live/remote.h"

/* Varbinds asked for in one response: a few kilobytes on loopback. */
#define BULK_BUDGET 480
#define MAX_REPS 100
/* The columns of one request (more go to the next request). */
#define MAX_COLS 48
#define OID_OBJECTS_LEN (KT_OID_ROOT_LEN + 1)
/* Our OIDs: the root, four levels, two index parts. */
#define WALK_OID_LEN 24
#define MAX_WALK 256

struct kt_remote {
	void *sess; /* snmp_sess_open()'s handle */
	const char *host;
	unsigned requests, varbinds;
};

/* One column being walked: its subtree and where the walk is. */
struct walk_col {
	const struct kt_col_set *set;
	size_t pos; /* of the column in set */
	oid base[WALK_OID_LEN];
	size_t base_len;
	oid cur[WALK_OID_LEN];
	size_t cur_len;
	bool done;
};

static bool snmp_started;

static void start_snmp(void)
{
	if (snmp_started)
		return;
	/* No MIB files: every OID here is numeric (kvmtop_oid.h). */
	setenv("MIBS", "", 1);
	/*
	 * Errors reach the user as one line of ours: net-snmp's own log
	 * lines go nowhere, and a client keeps no persistent state (whose
	 * directories net-snmp would create and announce).
	 */
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_snmp("kvmtop-live");
	snmp_started = true;
}

static int set_v3_auth(netsnmp_session *s, const struct kt_remote_config *c,
		       char *err, size_t errlen)
{
	int type = usm_lookup_auth_type(c->auth_proto ? c->auth_proto : "SHA");
	oid *o;
	size_t len;

	if (type < 0 || (o = sc_get_auth_oid(type, &len)) == NULL) {
		snprintf(err, errlen, "unknown authentication protocol %s",
			 c->auth_proto);
		return -1;
	}
	s->securityAuthProto = snmp_duplicate_objid(o, len);
	s->securityAuthProtoLen = len;
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (c->auth_pass == NULL ||
	    generate_Ku(s->securityAuthProto, (u_int)len,
			(const u_char *)c->auth_pass, strlen(c->auth_pass),
			s->securityAuthKey,
			&s->securityAuthKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen,
			 "cannot make the authentication key "
			 "(is -A given, 8 characters or more?)");
		return -1;
	}
	return 0;
}

static int set_v3_priv(netsnmp_session *s, const struct kt_remote_config *c,
		       char *err, size_t errlen)
{
	int type = usm_lookup_priv_type(c->priv_proto ? c->priv_proto : "AES");
	oid *o;
	size_t len;

	if (type < 0 || (o = sc_get_priv_oid(type, &len)) == NULL) {
		snprintf(err, errlen, "unknown privacy protocol %s",
			 c->priv_proto);
		return -1;
	}
	s->securityPrivProto = snmp_duplicate_objid(o, len);
	s->securityPrivProtoLen = len;
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (c->priv_pass == NULL ||
	    generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
			(const u_char *)c->priv_pass, strlen(c->priv_pass),
			s->securityPrivKey,
			&s->securityPrivKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen,
			 "cannot make the privacy key "
			 "(is -X given, 8 characters or more?)");
		return -1;
	}
	return 0;
}

static int set_v3(netsnmp_session *s, const struct kt_remote_config *c,
		  char *err, size_t errlen)
{
	const char *lv = c->level	? c->level
			 : c->priv_pass ? "authPriv"
			 : c->auth_pass ? "authNoPriv"
					: "noAuthNoPriv";

	s->version = SNMP_VERSION_3;
	if (c->user == NULL) {
		snprintf(err, errlen, "SNMPv3 needs a user (-u USER)");
		return -1;
	}
	/* snmp_sess_open() copies it, as it does the peer name. */
	s->securityName = (char *)c->user;
	s->securityNameLen = strlen(c->user);
	if (strcmp(lv, "noAuthNoPriv") == 0 || strcmp(lv, "noauth") == 0)
		s->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	else if (strcmp(lv, "authNoPriv") == 0 || strcmp(lv, "auth") == 0)
		s->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
	else if (strcmp(lv, "authPriv") == 0 || strcmp(lv, "priv") == 0)
		s->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	else {
		snprintf(err, errlen, "unknown security level %s", lv);
		return -1;
	}
	if (s->securityLevel != SNMP_SEC_LEVEL_NOAUTH &&
	    set_v3_auth(s, c, err, errlen) != 0)
		return -1;
	if (s->securityLevel == SNMP_SEC_LEVEL_AUTHPRIV &&
	    set_v3_priv(s, c, err, errlen) != 0)
		return -1;
	return 0;
}

int kt_remote_open(const struct kt_remote_config *cfg, struct kt_remote **out,
		   char *err, size_t errlen)
{
	netsnmp_session s;
	struct kt_remote *r;
	char *msg = NULL;

	*out = NULL;
	start_snmp();
	snmp_sess_init(&s);
	s.peername = (char *)cfg->host;
	s.timeout = cfg->timeout_us;
	s.retries = cfg->retries;
	if (cfg->version == 3) {
		if (set_v3(&s, cfg, err, errlen) != 0)
			return -1;
	} else {
		s.version = SNMP_VERSION_2c;
		s.community =
			(u_char *)(cfg->community ? cfg->community : "public");
		s.community_len = strlen((const char *)s.community);
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	r->host = cfg->host;
	if ((r->sess = snmp_sess_open(&s)) == NULL) {
		snmp_error(&s, NULL, NULL, &msg);
		snprintf(err, errlen, "cannot reach %s: %s", cfg->host,
			 msg ? msg : "unknown error");
		free(msg);
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}

void kt_remote_close(struct kt_remote *r)
{
	if (r == NULL)
		return;
	snmp_sess_close(r->sess);
	free(r);
}

void kt_remote_counts(const struct kt_remote *r, unsigned *requests,
		      unsigned *varbinds)
{
	*requests = r->requests;
	*varbinds = r->varbinds;
}

/* The walk of column @pos of @set; for a device set only VM @vm's rows. */
static void col_init(struct walk_col *wc, const struct kt_col_set *set,
		     size_t pos, uint32_t vm)
{
	static const oid objects[] = { KT_OID_OBJECTS };

	memset(wc, 0, sizeof(*wc));
	wc->set = set;
	wc->pos = pos;
	memcpy(wc->base, objects, sizeof(objects));
	wc->base_len = OID_OBJECTS_LEN;
	wc->base[wc->base_len++] = set->subid;
	if (!set->scalars)
		wc->base[wc->base_len++] = 1; /* the entry */
	wc->base[wc->base_len++] = set->col[pos].subid;
	if (vm != 0)
		wc->base[wc->base_len++] = vm;
	memcpy(wc->cur, wc->base, wc->base_len * sizeof(oid));
	wc->cur_len = wc->base_len;
}

static bool is_device_set(const struct kt_col_set *set)
{
	return set == &kt_vcpu_cols || set == &kt_vm_blk_cols ||
	       set == &kt_vm_if_cols;
}

/* The columns to walk, scalars first; returns how many, *n_scalars of them. */
static size_t plan(const struct kt_want *w, struct walk_col *cols, size_t max,
		   size_t *n_scalars)
{
	size_t n = 0, s, i;
	int pass;

	/* Pass 0: the scalars (non-repeaters); pass 1: table columns. */
	for (pass = 0; pass < 2; pass++) {
		for (s = 0; s < kt_n_col_sets; s++) {
			const struct kt_col_set *set = kt_col_sets[s];
			uint32_t vm = 0;

			if (set->scalars != (pass == 0))
				continue;
			if (is_device_set(set)) {
				if (!w->dev_all && w->dev_vm == 0)
					continue;
				vm = w->dev_all ? 0 : w->dev_vm;
			}
			for (i = 0; i < set->n && n < max; i++)
				if ((w->cols[s] >> i) & 1u)
					col_init(&cols[n++], set, i, vm);
		}
		if (pass == 0)
			*n_scalars = n;
	}
	return n;
}

static bool in_subtree(const struct walk_col *wc,
		       const netsnmp_variable_list *v)
{
	return v->name_length > wc->base_len &&
	       netsnmp_oid_is_subtree(wc->base, wc->base_len, v->name,
				      v->name_length) == 0;
}

/* Stores varbind @v of column @wc in @rec. */
static int store(struct kt_rec *rec, const struct walk_col *wc,
		 const netsnmp_variable_list *v)
{
	size_t at =
		wc->set->scalars ? OID_OBJECTS_LEN + 2 : OID_OBJECTS_LEN + 3;
	uint32_t idx[2] = { 0, 0 };
	struct kt_rrow *row;
	char buf[1024];
	size_t len;

	if (!wc->set->scalars) {
		idx[0] = (uint32_t)v->name[at];
		if (v->name_length > at + 1)
			idx[1] = (uint32_t)v->name[at + 1];
	}
	if ((row = kt_rec_row_add(rec, wc->set, idx)) == NULL)
		return -1;
	switch (v->type) {
	case ASN_COUNTER64:
		return kt_rcell_set(&row->cell[wc->pos],
				    ((uint64_t)v->val.counter64->high << 32) |
					    v->val.counter64->low,
				    NULL);
	case ASN_OCTET_STR:
		len = v->val_len < sizeof(buf) - 1 ? v->val_len
						   : sizeof(buf) - 1;
		memcpy(buf, v->val.string, len);
		buf[len] = '\0';
		return kt_rcell_set(&row->cell[wc->pos], 0, buf);
	case ASN_INTEGER:
		/* TruthValue: true(1), false(2); a row's cell holds 1 or 0. */
		if (wc->set->col[wc->pos].smi == KT_SMI_TRUTH)
			return kt_rcell_set(&row->cell[wc->pos],
					    *v->val.integer == 1, NULL);
		/* fall through */
	case ASN_GAUGE:
	case ASN_COUNTER:
	case ASN_TIMETICKS:
		return kt_rcell_set(&row->cell[wc->pos],
				    (uint64_t)(unsigned long)*v->val.integer,
				    NULL);
	default:
		return 0; /* noSuchInstance and the like: no value */
	}
}

/* Takes the response's varbinds: scalars, then rows of the @n columns. */
static int take(struct kt_rec *rec, struct walk_col **act, size_t n_nonrep,
		size_t n, netsnmp_pdu *resp)
{
	netsnmp_variable_list *v = resp->variables;
	size_t i;

	for (i = 0; v != NULL; i++, v = v->next_variable) {
		struct walk_col *wc;

		if (i >= n_nonrep && n == 0)
			break; /* repetitions nobody asked for */
		wc = i < n_nonrep ? act[i] : act[n_nonrep + (i - n_nonrep) % n];
		if (wc->done && i >= n_nonrep)
			continue;
		/* The end of the subtree, or an agent that does not advance. */
		if (v->type == SNMP_ENDOFMIBVIEW || !in_subtree(wc, v) ||
		    v->name_length > WALK_OID_LEN ||
		    snmp_oid_compare(v->name, v->name_length, wc->cur,
				     wc->cur_len) <= 0) {
			wc->done = true;
			continue;
		}
		if (store(rec, wc, v) != 0)
			return -1;
		memcpy(wc->cur, v->name, v->name_length * sizeof(oid));
		wc->cur_len = v->name_length;
		if (i < n_nonrep)
			wc->done = true;
	}
	return 0;
}

static enum kt_remote_err send_pdu(struct kt_remote *r, netsnmp_pdu *pdu,
				   netsnmp_pdu **resp, char *err, size_t errlen)
{
	int st;
	char *msg = NULL;

	r->requests++;
	st = snmp_sess_synch_response(r->sess, pdu, resp);
	if (st == STAT_TIMEOUT) {
		snprintf(err, errlen,
			 "no answer from %s (agent down, wrong community "
			 "or address?)",
			 r->host);
		return KT_REMOTE_TIMEOUT;
	}
	if (st != STAT_SUCCESS) {
		snmp_sess_error(r->sess, NULL, NULL, &msg);
		snprintf(err, errlen, "SNMP error from %s: %s", r->host,
			 msg ? msg : "unknown");
		free(msg);
		return KT_REMOTE_ERROR;
	}
	return KT_REMOTE_OK;
}

static unsigned count_vars(const netsnmp_pdu *resp)
{
	const netsnmp_variable_list *v;
	unsigned n = 0;

	for (v = resp->variables; v != NULL; v = v->next_variable)
		n++;
	return n;
}

/* One GETBULK of the active columns; *too_big when the agent said so. */
static enum kt_remote_err bulk(struct kt_remote *r, struct kt_rec *rec,
			       struct walk_col **act, size_t n_nonrep, size_t n,
			       long reps, bool *too_big, char *err,
			       size_t errlen)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK), *resp = NULL;
	enum kt_remote_err e;
	size_t i;

	*too_big = false;
	if (pdu == NULL)
		return KT_REMOTE_NOMEM;
	pdu->non_repeaters = (long)n_nonrep;
	pdu->max_repetitions = reps;
	for (i = 0; i < n_nonrep + n; i++)
		snmp_add_null_var(pdu, act[i]->cur, act[i]->cur_len);
	if ((e = send_pdu(r, pdu, &resp, err, errlen)) != KT_REMOTE_OK)
		return e;
	if (resp->errstat == SNMP_ERR_TOOBIG && reps > 1) {
		*too_big = true;
	} else if (resp->errstat != SNMP_ERR_NOERROR) {
		snprintf(err, errlen, "%s: %s", r->host,
			 snmp_errstring((int)resp->errstat));
		e = KT_REMOTE_ERROR;
	} else {
		r->varbinds += count_vars(resp);
		if (take(rec, act, n_nonrep, n, resp) != 0)
			e = KT_REMOTE_NOMEM;
	}
	snmp_free_pdu(resp);
	return e;
}

/* The columns not done yet, at most MAX_COLS, after the @n_nonrep scalars. */
static size_t active(struct walk_col *cols, size_t from, size_t n,
		     struct walk_col **act, size_t n_nonrep)
{
	size_t k = n_nonrep, i;

	for (i = from; i < n && k < n_nonrep + MAX_COLS; i++)
		if (!cols[i].done)
			act[k++] = &cols[i];
	return k - n_nonrep;
}

/* The kvmtopAgent scalars every fetch reads: what a record says of itself. */
static void want_agent(struct kt_want *w)
{
	kt_want_add(w, &kt_agent_cols, 3); /* kvmtopAgentLastRefresh */
	kt_want_add(w, &kt_agent_cols, 5); /* kvmtopAgentLibvirtConnected */
	kt_want_add(w, &kt_agent_cols, 8); /* kvmtopAgentLastRefreshAge */
	kt_want_add(w, &kt_agent_cols, 9); /* kvmtopAgentRefreshCount */
}

static enum kt_remote_err describe(struct kt_rec *rec, char *err, size_t errlen,
				   const char *host)
{
	struct kt_cell v;

	if (!kt_rec_vm_get(rec, &kt_agent_cols, 0, 9, &v)) {
		snprintf(err, errlen,
			 "%s answers but serves no KVMTOP-MIB "
			 "(no kvmtopAgentRefreshCount)",
			 host);
		return KT_REMOTE_NO_MIB;
	}
	rec->seq = v.num;
	if (kt_rec_vm_get(rec, &kt_agent_cols, 0, 3, &v))
		rec->unix_time = (int64_t)v.num;
	if (kt_rec_vm_get(rec, &kt_agent_cols, 0, 8, &v))
		rec->age_ms = v.num;
	rec->connected =
		kt_rec_vm_get(rec, &kt_agent_cols, 0, 5, &v) && v.num == 1;
	return KT_REMOTE_OK;
}

enum kt_remote_err kt_remote_fetch(struct kt_remote *r,
				   const struct kt_want *want,
				   struct kt_rec *rec, char *err, size_t errlen)
{
	static struct walk_col cols[MAX_WALK];
	struct walk_col *act[MAX_WALK];
	struct kt_want w = *want;
	size_t n_scalars = 0, n, k, from;
	enum kt_remote_err e = KT_REMOTE_OK;
	bool scalars = true, too_big;
	long reps = MAX_REPS;

	r->requests = r->varbinds = 0;
	want_agent(&w);
	n = plan(&w, cols, MAX_WALK, &n_scalars);
	for (k = 0; k < n_scalars; k++)
		act[k] = &cols[k];
	from = n_scalars;
	/* The scalars ride along with the first request. */
	while (e == KT_REMOTE_OK) {
		size_t nonrep = scalars ? n_scalars : 0;
		size_t m = active(cols, from, n, act, nonrep);
		long rr = m == 0 ? 1 : (long)(BULK_BUDGET / m);

		if (m == 0 && nonrep == 0)
			break;
		rr = rr < 1 ? 1 : rr > reps ? reps : rr;
		e = bulk(r, rec, act, nonrep, m, rr, &too_big, err, errlen);
		if (too_big)
			reps = rr / 2 > 0 ? rr / 2 : 1;
		else
			scalars = false;
		while (from < n && cols[from].done)
			from++;
	}
	return e == KT_REMOTE_OK ? describe(rec, err, errlen, r->host) : e;
}
