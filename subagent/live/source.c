/*
 * kvmtop-live's sources (live/source.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "collect/collector.h"
#include "live/remote.h"
#include "live/source.h"

struct kt_source {
	const struct kt_live_options *o;
	struct kt_collector *coll; /* local */
	struct kt_remote *remote;  /* remote */
	uint64_t started_ns;
	char tmp_state[64]; /* a private state directory, "" when given one */
};

/*
 * The collector keeps its VM index file in a state directory; without
 * --state-dir a private one lives as long as the program (the indexes
 * then start afresh each run, which a view does not mind).
 */
static const char *state_dir(struct kt_source *s, const char *given)
{
	if (given != NULL)
		return given;
	snprintf(s->tmp_state, sizeof(s->tmp_state), "/tmp/kvmtop-live.XXXXXX");
	if (mkdtemp(s->tmp_state) == NULL) {
		s->tmp_state[0] = '\0';
		return NULL;
	}
	return s->tmp_state;
}

static void remove_state(struct kt_source *s)
{
	char path[96];

	if (s->tmp_state[0] == '\0')
		return;
	snprintf(path, sizeof(path), "%s/vm-index", s->tmp_state);
	unlink(path);
	rmdir(s->tmp_state);
}

int kt_source_open(const struct kt_live_options *o, struct kt_source **out,
		   char *err, size_t errlen)
{
	struct kt_source *s = calloc(1, sizeof(*s));
	struct kt_collector_config cfg = {
		.uri = o->connection,
		.procfs = o->procfs,
		.sysfs = o->sysfs,
		.collectors = o->collectors,
	};
	int r;

	*out = NULL;
	if (s == NULL)
		return -1;
	if (o->host == NULL)
		cfg.state_dir = state_dir(s, o->state_dir);
	s->o = o;
	s->started_ns = kt_mono_ns();
	if (o->host != NULL)
		r = kt_remote_open(&o->snmp, &s->remote, err, errlen);
	else if ((r = kt_collector_new(&cfg, &s->coll)) != 0)
		snprintf(err, errlen, "cannot start the collectors on %s",
			 o->connection);
	if (r != 0) {
		remove_state(s);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void kt_source_free(struct kt_source *s)
{
	if (s == NULL)
		return;
	kt_collector_free(s->coll);
	kt_remote_close(s->remote);
	remove_state(s);
	free(s);
}

const char *kt_source_name(const struct kt_source *s)
{
	return s->o->host != NULL ? s->o->host : "local";
}

void kt_source_counts(const struct kt_source *s, unsigned *requests,
		      unsigned *varbinds)
{
	*requests = *varbinds = 0;
	if (s->remote != NULL)
		kt_remote_counts(s->remote, requests, varbinds);
}

static int fetch_local(struct kt_source *s, const struct kt_want *w,
		       struct kt_rec *rec, char *err, size_t errlen)
{
	struct kt_snapshot *snap = kt_collector_run(s->coll);
	struct kt_agent_view agent = {
		.snap = snap,
		.version = PACKAGE_VERSION,
		.uri = s->o->connection,
		.interval_ms = s->o->frequency_ms,
		.started_mono_ns = s->started_ns,
	};
	int r;

	if (snap == NULL) {
		snprintf(err, errlen, "out of memory");
		return KT_REMOTE_NOMEM;
	}
	r = kt_rec_from_snapshot(rec, snap, &agent, w);
	kt_collector_release(s->coll, snap);
	return r == 0 ? 0 : KT_REMOTE_NOMEM;
}

int kt_source_fetch(struct kt_source *s, const struct kt_want *w,
		    struct kt_rec **out, char *err, size_t errlen)
{
	struct kt_rec *rec = kt_rec_new();
	uint64_t now_ms = kt_mono_ns() / 1000000u;
	int r;

	*out = NULL;
	if (rec == NULL)
		return KT_REMOTE_NOMEM;
	if (s->remote != NULL) {
		r = (int)kt_remote_fetch(s->remote, w, rec, err, errlen);
		rec->data_ms = now_ms > rec->age_ms ? now_ms - rec->age_ms : 0;
	} else {
		r = fetch_local(s, w, rec, err, errlen);
		rec->age_ms = now_ms > rec->data_ms ? now_ms - rec->data_ms : 0;
	}
	if (r != 0) {
		kt_rec_free(rec);
		return r;
	}
	*out = rec;
	return 0;
}
