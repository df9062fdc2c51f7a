/*
 * The column descriptors (columns.h) against mibs/KVMTOP-MIB.txt, read by
 * net-snmp's own MIB parser: for every descriptor, the MIB has an object of
 * that name at that OID, with that SYNTAX (base type and textual
 * convention), UNITS and MAX-ACCESS read-only; and every readable object of
 * the MIB has a descriptor.  The tables the agent registers serve exactly
 * the columns of their sets.  So the code and the MIB cannot drift apart.
 *
 * Needs SNMPv2-SMI/TC/CONF from the npm package net-snmp (npm --prefix
 * tests install), as tests/integration/mib_lint.sh does, and
 * NET-SNMP-MIB from /usr/share/snmp/mibs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "columns.h"
#include "kt_test.h"
#include "mib/notify.h"
#include "mib/tables.h"

#define ROOT "1.3.6.1.4.1.8072.9999.9999"

static const char *srcdir(void)
{
	const char *s = getenv("KT_SRCDIR");

	return s != NULL ? s : ".";
}

/* net-snmp reads only the modules asked for, from these directories. */
static bool load_mib(void)
{
	char dirs[4096], std[2048], tmp[] = "/tmp/kt-colmib.XXXXXX";
	struct stat st;

	/* KT_NODE_MODULES: the npm packages, when the tree has none. */
	if (getenv("KT_NODE_MODULES") != NULL)
		snprintf(std, sizeof(std), "%s/net-snmp/lib/mibs",
			 getenv("KT_NODE_MODULES"));
	else
		snprintf(std, sizeof(std),
			 "%s/tests/node_modules/net-snmp/lib/mibs", srcdir());
	if (stat(std, &st) != 0) {
		printf("# %s is missing: run npm --prefix tests install\n",
		       std);
		return false;
	}
	if (mkdtemp(tmp) == NULL)
		return false;
	setenv("SNMPCONFPATH", tmp, 1);
	setenv("SNMP_PERSISTENT_DIR", tmp, 1);
	setenv("MIBS", "", 1);
	/* Ours last: of two copies of a module, net-snmp takes the last
	 * directory's (an installed, older KVMTOP-MIB must not count). */
	snprintf(dirs, sizeof(dirs), "%s:/usr/share/snmp/mibs:%s/mibs", std,
		 srcdir());
	netsnmp_set_mib_directory(dirs);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS,
			   0);
	netsnmp_init_mib();
	return read_module("KVMTOP-MIB") != NULL;
}

/* The dotted OID of @tp, from the root of the tree. */
static void oid_of(const struct tree *tp, char *buf, size_t size)
{
	size_t at;

	if (tp->parent == NULL) {
		snprintf(buf, size, "%lu", tp->subid);
		return;
	}
	oid_of(tp->parent, buf, size);
	at = strlen(buf);
	snprintf(buf + at, size - at, ".%lu", tp->subid);
}

static const char *tc_name(const struct tree *tp)
{
	const char *tc =
		tp->tc_index >= 0 ? get_tc_descriptor(tp->tc_index) : NULL;

	return tc != NULL ? tc : "";
}

/* Whether @tp has the base type and textual convention of @smi. */
static bool same_syntax(const struct tree *tp, enum kt_smi smi)
{
	const char *tc = tc_name(tp);

	switch (smi) {
	case KT_SMI_COUNTER64:
		return tp->type == TYPE_COUNTER64 && tc[0] == '\0';
	case KT_SMI_GAUGE64:
		return tp->type == TYPE_COUNTER64 &&
		       strcmp(tc, "KvmtopGauge64") == 0;
	case KT_SMI_GAUGE32:
		return tp->type == TYPE_GAUGE && tc[0] == '\0';
	case KT_SMI_UNSIGNED32:
		return tp->type == TYPE_UNSIGNED32 && tc[0] == '\0';
	case KT_SMI_ENUM:
		return tp->type == TYPE_INTEGER && tp->enums != NULL &&
		       tc[0] == '\0';
	case KT_SMI_TRUTH:
		return tp->type == TYPE_INTEGER &&
		       strcmp(tc, "TruthValue") == 0;
	case KT_SMI_DISPLAY:
		return tp->type == TYPE_OCTETSTR &&
		       strcmp(tc, "DisplayString") == 0;
	case KT_SMI_UTF8:
		return tp->type == TYPE_OCTETSTR &&
		       strcmp(tc, "KvmtopUtf8String") == 0;
	}
	return false;
}

static bool same_units(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void check_column(const struct kt_col_set *set, const struct kt_col *c)
{
	struct tree *tp = find_tree_node(c->mib, -1);
	char want[256], got[256], what[512];

	snprintf(want, sizeof(want), ROOT ".1.%u%s.%u", set->subid,
		 set->scalars ? "" : ".1", c->subid);
	snprintf(what, sizeof(what), "%s: %s is in KVMTOP-MIB", set->name,
		 c->mib);
	if (!KT_CHECK(tp != NULL, what))
		return;
	oid_of(tp, got, sizeof(got));
	snprintf(what, sizeof(what), "%s is %s", c->mib, want);
	KT_EQ_STR(got, want, what);
	snprintf(what, sizeof(what), "%s: SYNTAX is the descriptor's (%d)",
		 c->mib, (int)c->smi);
	if (!KT_CHECK(same_syntax(tp, c->smi), what))
		printf("#   MIB: type %d, textual convention \"%s\"\n",
		       tp->type, tc_name(tp));
	snprintf(what, sizeof(what), "%s: UNITS \"%s\"", c->mib,
		 c->units != NULL ? c->units : "(none)");
	if (!KT_CHECK(same_units(tp->units, c->units), what))
		printf("#   MIB: \"%s\"\n", tp->units ? tp->units : "(none)");
	snprintf(what, sizeof(what), "%s: MAX-ACCESS read-only", c->mib);
	KT_CHECK(tp->access == MIB_ACCESS_READONLY, what);
}

static bool has_descriptor(const char *name)
{
	size_t s, i;

	for (s = 0; s < kt_n_col_sets; s++)
		for (i = 0; i < kt_col_sets[s]->n; i++)
			if (strcmp(kt_col_sets[s]->col[i].mib, name) == 0)
				return true;
	return false;
}

/* Every readable object below @tp has a descriptor. */
static void check_readable(const struct tree *tp, int *n)
{
	char what[256];

	for (; tp != NULL; tp = tp->next_peer) {
		if (tp->access == MIB_ACCESS_READONLY) {
			(*n)++;
			snprintf(what, sizeof(what),
				 "KVMTOP-MIB's %s has a descriptor", tp->label);
			KT_CHECK(has_descriptor(tp->label), what);
		}
		check_readable(tp->child_list, n);
	}
}

/* What the agent registers: kt_tables, then the kvmtopNotify scalars. */
static const struct kt_table *served(size_t i)
{
	return i < kt_n_tables ? kt_tables[i] : &kt_notify_scalars;
}

/* The registered tables serve their sets' columns, in OID order. */
static void check_tables(void)
{
	char what[256];
	size_t i;

	KT_EQ_U64(kt_n_tables + 1, kt_n_col_sets, "one table per column set");
	for (i = 0; i < kt_n_tables + 1 && i < kt_n_col_sets; i++) {
		const struct kt_table *t = served(i);
		const struct kt_col_set *s = kt_col_sets[i];

		snprintf(what, sizeof(what),
			 "%s serves the columns of its set, %u..%u", t->name,
			 s->col[0].subid, s->col[s->n - 1].subid);
		/* (its column range is read from the set: mib/table.h) */
		KT_CHECK(t->cols == s && strcmp(t->name, s->name) == 0, what);
	}
}

/* Sub-identifiers rise by one (kt_col_at() indexes by them). */
static void check_dense(void)
{
	char what[256];
	size_t s, i;

	for (s = 0; s < kt_n_col_sets; s++) {
		const struct kt_col_set *set = kt_col_sets[s];
		bool ok = true;

		for (i = 1; i < set->n; i++)
			ok = ok && set->col[i].subid == set->col[0].subid + i;
		snprintf(what, sizeof(what),
			 "%s: one descriptor per column, in order", set->name);
		KT_CHECK(ok, what);
	}
}

int main(void)
{
	struct tree *objects;
	size_t s, i;
	int n = 0;

	check_dense();
	check_tables();
	if (!KT_CHECK(load_mib(), "KVMTOP-MIB loads with net-snmp's parser"))
		return kt_test_done();
	for (s = 0; s < kt_n_col_sets; s++)
		for (i = 0; i < kt_col_sets[s]->n; i++)
			check_column(kt_col_sets[s], &kt_col_sets[s]->col[i]);
	objects = find_tree_node("kvmtopObjects", -1);
	if (KT_CHECK(objects != NULL, "KVMTOP-MIB has kvmtopObjects"))
		check_readable(objects->child_list, &n);
	for (s = 0, i = 0; s < kt_n_col_sets; s++)
		i += kt_col_sets[s]->n;
	KT_EQ_U64(n, i, "as many readable objects as descriptors");
	shutdown_mib();
	return kt_test_done();
}
