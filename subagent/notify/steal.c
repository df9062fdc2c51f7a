/*
 * The noisy-neighbour watch (steal.h).  The per-VM state lives in an
 * array sorted by VM index, like the snapshot's rows, so one pass over
 * both lines them up; a second array is the next state, swapped in after
 * the pass, so no allocation happens once both are large enough.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/steal.h"

struct vm_watch {
	uint32_t index;
	bool high;	    /* steal high was raised, normal not yet */
	uint64_t beyond_ns; /* time on the far side of the threshold */
};

struct kt_steal_watch {
	struct kt_steal_config cfg;
	struct vm_watch *cur, *next;
	size_t n_cur, room;
};

int kt_steal_watch_new(const struct kt_steal_config *cfg,
		       struct kt_steal_watch **out)
{
	struct kt_steal_watch *w = calloc(1, sizeof(*w));

	*out = w;
	if (w == NULL)
		return -ENOMEM;
	w->cfg = *cfg;
	return 0;
}

void kt_steal_watch_free(struct kt_steal_watch *w)
{
	if (w == NULL)
		return;
	free(w->cur);
	free(w->next);
	free(w);
}

static int make_room(struct kt_steal_watch *w, size_t n)
{
	struct vm_watch *a, *b;

	if (n <= w->room)
		return 0;
	if ((a = realloc(w->cur, n * sizeof(*a))) == NULL)
		return -ENOMEM;
	w->cur = a;
	if ((b = realloc(w->next, n * sizeof(*b))) == NULL)
		return -ENOMEM;
	w->next = b;
	w->room = n;
	return 0;
}

static void raise_event(const struct kt_vm *vm, enum kt_event_kind kind,
			uint64_t now_ns, const struct kt_event_sink *sink)
{
	struct kt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.index = vm->index;
	ev.steal = vm->cpu.steal;
	ev.raised_mono_ns = now_ns;
	snprintf(ev.uuid, sizeof(ev.uuid), "%s", vm->uuid);
	snprintf(ev.name, sizeof(ev.name), "%s",
		 vm->name != NULL ? vm->name : "");
	kt_event_emit(sink, &ev);
}

/* One VM's step: @s is its state from the last snapshot (or fresh). */
static void step(const struct kt_steal_config *cfg, struct vm_watch *s,
		 const struct kt_vm *vm, const struct kt_snapshot *snap,
		 const struct kt_event_sink *sink)
{
	bool beyond = s->high ? vm->cpu.steal <= cfg->normal
			      : vm->cpu.steal >= cfg->high;

	if (!beyond) {
		s->beyond_ns = 0;
		return;
	}
	s->beyond_ns += snap->interval_ns;
	if (s->beyond_ns < cfg->for_ns)
		return;
	s->high = !s->high;
	s->beyond_ns = 0;
	raise_event(vm, s->high ? KT_EV_STEAL_HIGH : KT_EV_STEAL_NORMAL,
		    snap->finished_mono_ns, sink);
}

int kt_steal_watch_update(struct kt_steal_watch *w,
			  const struct kt_snapshot *snap,
			  const struct kt_event_sink *sink)
{
	size_t i, j = 0, n = 0;
	struct vm_watch *tmp;

	if (make_room(w, snap->n_vms) != 0)
		return -ENOMEM;
	for (i = 0; i < snap->n_vms; i++) {
		const struct kt_vm *vm = &snap->vms[i];
		struct vm_watch s = { vm->index, false, 0 };

		if (!vm->cpu.valid || !vm->cpu.has_rate)
			continue;
		while (j < w->n_cur && w->cur[j].index < vm->index)
			j++;
		if (j < w->n_cur && w->cur[j].index == vm->index)
			s = w->cur[j];
		step(&w->cfg, &s, vm, snap, sink);
		w->next[n++] = s;
	}
	tmp = w->cur;
	w->cur = w->next;
	w->next = tmp;
	w->n_cur = n;
	return 0;
}
