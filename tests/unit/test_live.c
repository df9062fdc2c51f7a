/*
 * kvmtop-live's pieces without a screen or a network: records (rows kept
 * in index order whatever order they come in, device ranges, cells read
 * as kt_col_get() reads a snapshot row, meminfo by name), a record from a
 * hand-built snapshot, the JSON line of a record, and the command line
 * (-c by context, defaults, one line and exit 2 for what is wrong).
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kt_test.h"
#include "live/live_opts.h"
#include "live/rec.h"
#include "live/rec_print.h"
#include "options.h"

static void test_rows_in_order(void)
{
	struct kt_rec *r = kt_test_alloc_ok(kt_rec_new());
	static const uint32_t idx[][2] = {
		{ 7, 2 }, { 3, 1 }, { 7, 1 }, { 3, 2 }, { 9, 1 }
	};
	const struct kt_rtable *t;
	size_t i, first, n;

	for (i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		KT_CHECK(kt_rec_row_add(r, &kt_vcpu_cols, idx[i]) != NULL,
			 "a vCPU row is added");
	/* The same index again is the same row, not a new one. */
	KT_CHECK(kt_rec_row_add(r, &kt_vcpu_cols, idx[0]) ==
			 kt_rec_row(r, &kt_vcpu_cols, idx[0]),
		 "adding an index twice finds the row");
	t = kt_rec_table(r, &kt_vcpu_cols);
	KT_EQ_U64(t->n, 5, "five rows");
	for (i = 1; i < t->n; i++)
		KT_CHECK(t->rows[i - 1].idx[0] < t->rows[i].idx[0] ||
				 (t->rows[i - 1].idx[0] == t->rows[i].idx[0] &&
				  t->rows[i - 1].idx[1] < t->rows[i].idx[1]),
			 "rows in index order");
	n = kt_rec_devs(r, &kt_vcpu_cols, 7, &first);
	KT_EQ_U64(n, 2, "VM 7 has two vCPU rows");
	KT_EQ_U64(t->rows[first].idx[1], 1, "VM 7's first vCPU is 1");
	KT_EQ_U64(kt_rec_devs(r, &kt_vcpu_cols, 5, &first), 0, "VM 5 has none");
	kt_rec_free(r);
}

static void test_cells(void)
{
	struct kt_rec *r = kt_test_alloc_ok(kt_rec_new());
	uint32_t vm[2] = { 4, 0 }, m1[2] = { 1, 0 }, m2[2] = { 2, 0 };
	struct kt_rrow *row = kt_rec_row_add(r, &kt_vm_cols, vm);
	const struct kt_col *name = kt_col_known(&kt_vm_cols, 3);
	struct kt_cell c;
	uint64_t v = 0;

	KT_CHECK(!kt_rec_vm_get(r, &kt_vm_cols, 4, 3, &c),
		 "a cell never set is not there");
	kt_rcell_set(&row->cell[name - kt_vm_cols.col], 0, "vm-x");
	KT_CHECK(kt_rec_vm_get(r, &kt_vm_cols, 4, 3, &c) &&
			 strcmp(c.str, "vm-x") == 0,
		 "a string cell reads back");
	kt_rcell_set(&row->cell[name - kt_vm_cols.col], 0, NULL);
	KT_CHECK(!kt_rec_vm_get(r, &kt_vm_cols, 4, 3, &c),
		 "a string column without a string is unknown");
	KT_CHECK(!kt_rec_vm_get(r, &kt_vm_cols, 5, 3, &c),
		 "a VM without a row has no cells");
	row = kt_rec_row_add(r, &kt_host_mem_cols, m2);
	kt_rcell_set(&row->cell[0], 0, "MemAvailable"); /* subid 2: name */
	kt_rcell_set(&row->cell[1], 6144, NULL);
	row = kt_rec_row_add(r, &kt_host_mem_cols, m1);
	kt_rcell_set(&row->cell[0], 0, "MemTotal");
	kt_rcell_set(&row->cell[1], 8192, NULL);
	KT_CHECK(kt_rec_meminfo(r, "MemTotal", &v) && v == 8192,
		 "MemTotal by name");
	KT_CHECK(kt_rec_meminfo(r, "MemAvailable", &v) && v == 6144,
		 "MemAvailable by name");
	KT_CHECK(!kt_rec_meminfo(r, "SwapTotal", &v), "no SwapTotal row");
	kt_rec_free(r);
}

/* A snapshot of two VMs, one without CPU data, into a record and JSON. */
static void test_from_snapshot(void)
{
	struct kt_snapshot *s = kt_test_alloc_ok(kt_snapshot_new(2));
	struct kt_agent_view agent = { .snap = s, .version = "t" };
	struct kt_vcpu vcpus[2] = { { .number = 0, .tid = 11 },
				    { .number = 1, .tid = 12 } };
	struct kt_rec *r = kt_test_alloc_ok(kt_rec_new());
	struct kt_want w;
	struct kt_cell c;
	char *buf = NULL;
	size_t len = 0, first;
	FILE *m;

	memset(&w, 0, sizeof(w));
	kt_rec_print_want(KT_COLLECT_CPU | KT_COLLECT_MEM, &w);
	s->seq = 3;
	s->vms[0].index = 1;
	s->vms[0].name = xstrdup("one");
	s->vms[0].state = KT_VM_RUNNING;
	s->vms[0].cpu.valid = s->vms[0].cpu.vcpus_found = true;
	s->vms[0].cpu.has_rate = true;
	s->vms[0].cpu.vcpus = 2;
	s->vms[0].cpu.steal = 1250;
	s->vms[0].vcpus = vcpus;
	s->vms[0].n_vcpus = 2;
	s->vms[0].pooled = true; /* the arrays are the test's */
	s->vms[1].index = 2;
	s->vms[1].name = xstrdup("two");
	s->vms[1].state = KT_VM_SHUTDOWN;
	s->vms[1].mem.has_libvirt = true;
	s->vms[1].mem.max_kib = 1024;
	KT_EQ_INT(kt_rec_from_snapshot(r, s, &agent, &w), 0, "record made");
	KT_CHECK(kt_rec_vm_get(r, &kt_vm_cpu_cols, 1, 7, &c) && c.num == 1250,
		 "VM 1's steal");
	KT_CHECK(kt_rec_row(r, &kt_vm_cpu_cols, (uint32_t[2]){ 2, 0 }) == NULL,
		 "VM 2 without CPU data has no CPU row (as the agent serves)");
	KT_CHECK(kt_rec_vm_get(r, &kt_vm_mem_cols, 2, 1, &c) && c.num == 1024,
		 "VM 2's memory from libvirt");
	KT_EQ_U64(kt_rec_devs(r, &kt_vcpu_cols, 1, &first), 2,
		  "VM 1's two vCPU rows, index number + 1");
	m = open_memstream(&buf, &len);
	KT_EQ_INT(kt_rec_print_json(m, r, "local",
				    KT_COLLECT_CPU | KT_COLLECT_MEM),
		  0, "JSON printed");
	fclose(m);
	KT_CHECK(strchr(buf, '\n') == buf + len - 1, "one line");
	KT_CHECK(strstr(buf, "\"steal\":12.50") != NULL,
		 "steal in percent, compact");
	KT_CHECK(strstr(buf, "\"vcpus\":[{\"index\":1,\"number\":0,"
			     "\"tid\":11") != NULL,
		 "the vCPU rows with their index");
	KT_CHECK(strstr(buf, "\"name\":\"two\",\"state\":\"shutdown\"") != NULL,
		 "VM 2's name and state");
	KT_CHECK(strstr(buf, "\"disk\"") == NULL,
		 "no disk object without --disk");
	free(buf);
	s->vms[0].vcpus = NULL;
	s->vms[0].n_vcpus = 0;
	s->vms[0].pooled = false;
	kt_rec_free(r);
	kt_snapshot_unref(s);
}

/* Parses "kvmtop-live ARGS..." (NULL-terminated); *err gets stderr. */
static int parse(struct kt_live_options *o, char **err, ...)
{
	char *argv[32] = { "kvmtop-live" }, *out = NULL;
	size_t n = 1, ol = 0, el = 0;
	FILE *fo = open_memstream(&out, &ol), *fe = open_memstream(err, &el);
	va_list ap;
	int rc;

	va_start(ap, err);
	while (n < 31 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	rc = kt_live_options_parse(o, (int)n, argv, false, fo, fe);
	fclose(fo);
	fclose(fe);
	free(out);
	return rc;
}

static void test_options(void)
{
	static const char *const bad[] = {
		"--printer=curses", "--runs=x", "--frequency=0",
		"--buffer=0",	    "-v1",	"--nope"
	};
	struct kt_live_options o;
	char *err = NULL;
	size_t i;

	KT_EQ_INT(parse(&o, &err, "-c", "test:///default", NULL), 0, "local");
	KT_EQ_STR(o.connection, "test:///default", "-c without HOST: the URI");
	KT_CHECK(o.host == NULL && o.printer == KT_LIVE_TEXT &&
			 o.collectors == KT_COLLECT_ALL &&
			 o.frequency_ms == 1000,
		 "defaults: text off a terminal, all collectors, 1 s");
	free(err);
	KT_EQ_INT(parse(&o, &err, "hv1:1161", "-c", "secret", "--cpu", NULL), 0,
		  "remote");
	KT_EQ_STR(o.snmp.community, "secret", "-c with HOST: the community");
	KT_EQ_STR(o.snmp.host, "hv1:1161", "the host");
	KT_EQ_U64(o.collectors, KT_COLLECT_CPU, "--cpu only");
	free(err);
	KT_EQ_INT(parse(&o, &err, "--output", "file", "--target", "/x", NULL),
		  0, "file output");
	KT_CHECK(o.printer == KT_LIVE_JSON, "a file gets JSON by default");
	free(err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		KT_EQ_INT(parse(&o, &err, bad[i], NULL), KT_OPTIONS_ERROR,
			  bad[i]);
		KT_CHECK(strchr(err, '\n') == err + strlen(err) - 1,
			 "one line on stderr");
		free(err);
	}
	KT_EQ_INT(parse(&o, &err, "a", "b", NULL), KT_OPTIONS_ERROR,
		  "two hosts");
	free(err);
}

int main(void)
{
	test_rows_in_order();
	test_cells();
	test_from_snapshot();
	test_options();
	return kt_test_done();
}
