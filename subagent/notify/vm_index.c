/*
 * UUID -> VM index for notifications (vm_index.h): an array sorted by
 * UUID, merged with each snapshot's VMs (sorted by UUID for it).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "notify/vm_index.h"
#include "sorted.h"

struct entry {
	char uuid[KT_UUID_LEN + 1];
	uint32_t index;
	uint64_t seen_ns;
};

struct kt_vm_index {
	struct entry *e;
	size_t n;
};

int kt_vm_index_new(struct kt_vm_index **out)
{
	*out = calloc(1, sizeof(**out));
	return *out != NULL ? 0 : -ENOMEM;
}

void kt_vm_index_free(struct kt_vm_index *m)
{
	if (m == NULL)
		return;
	free(m->e);
	free(m);
}

static int by_uuid(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->uuid,
		      ((const struct entry *)b)->uuid);
}

/* The snapshot's VMs as entries sorted by UUID. */
static struct entry *snapshot_entries(const struct kt_snapshot *snap)
{
	struct entry *e = calloc(snap->n_vms + 1, sizeof(*e));
	size_t i;

	if (e == NULL)
		return NULL;
	for (i = 0; i < snap->n_vms; i++) {
		memcpy(e[i].uuid, snap->vms[i].uuid, sizeof(e[i].uuid));
		e[i].index = snap->vms[i].index;
		e[i].seen_ns = snap->finished_mono_ns;
	}
	qsort(e, snap->n_vms, sizeof(*e), by_uuid);
	return e;
}

int kt_vm_index_update(struct kt_vm_index *m, const struct kt_snapshot *snap)
{
	struct entry *now, *out;
	size_t i = 0, j = 0, n = 0;
	int c;

	if ((now = snapshot_entries(snap)) == NULL)
		return -ENOMEM;
	if ((out = calloc(m->n + snap->n_vms + 1, sizeof(*out))) == NULL) {
		free(now);
		return -ENOMEM;
	}
	while (i < m->n || j < snap->n_vms) {
		c = i == m->n	       ? 1
		    : j == snap->n_vms ? -1
				       : strcmp(m->e[i].uuid, now[j].uuid);
		if (c < 0) {
			if (m->e[i].seen_ns + KT_VM_INDEX_KEEP_NS >
			    snap->finished_mono_ns)
				out[n++] = m->e[i];
			i++;
			continue;
		}
		out[n++] = now[j++];
		i += c == 0;
	}
	free(now);
	free(m->e);
	m->e = out;
	m->n = n;
	return 0;
}

uint32_t kt_vm_index_find(const struct kt_vm_index *m, const char *uuid)
{
	struct entry key;
	const struct entry *hit;

	if (strlen(uuid) > KT_UUID_LEN)
		return 0;
	memset(&key, 0, sizeof(key));
	memcpy(key.uuid, uuid, strlen(uuid));
	hit = kt_sorted_find(&key, m->e, m->n, sizeof(*m->e), by_uuid);
	return hit != NULL ? hit->index : 0;
}
