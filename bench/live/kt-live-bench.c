/*
 * kt-live-bench: what one refresh of kvmtop-live's remote source costs.
 *
 *   kt-live-bench RUNS [--view | --json] [kvmtop-live options] HOST
 *
 * Fetches the columns of the live view (--view, the default: the list
 * page, as the view asks for them) or of the JSON printer (--json) RUNS
 * times and prints, per refresh, "refresh n=I wall_ms= cpu_ms=
 * requests= varbinds= vms=", and first one "column OID" line per table
 * column fetched (the scalars ride along in the first request), so that
 * bench/live.sh can walk the same columns with snmpbulkwalk.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "clock.h"
#include "kvmtop_oid.h"
#include "live/live_opts.h"
#include "live/rec_print.h"
#include "live/source.h"
#include "live/view_cols.h"
#include "options.h"

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void print_columns(const struct kt_want *w)
{
	size_t s, i;

	for (s = 0; s < kt_n_col_sets; s++) {
		const struct kt_col_set *set = kt_col_sets[s];

		if (set->scalars)
			continue;
		for (i = 0; i < set->n; i++)
			if ((w->cols[s] >> i) & 1u)
				printf("column "
				       ".1.3.6.1.4.1.8072.9999.9999.1.%u."
				       "1.%u %s\n",
				       set->subid, set->col[i].subid,
				       set->col[i].mib);
	}
}

int main(int argc, char **argv)
{
	struct kt_live_options o;
	struct kt_source *src = NULL;
	struct kt_want w;
	char err[256];
	bool json = false;
	long runs, i;

	if (argc < 3 || (runs = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: kt-live-bench RUNS [--view|--json] "
				"[kvmtop-live options] HOST\n");
		return 2;
	}
	if (strcmp(argv[2], "--json") == 0 || strcmp(argv[2], "--view") == 0) {
		json = argv[2][2] == 'j';
		argv[2] =
			argv[1]; /* drop the mode from what live options see */
		argv++;
		argc--;
	}
	if (kt_live_options_parse(&o, argc - 1, argv + 1, false, stdout,
				  stderr) != KT_OPTIONS_OK)
		return 2;
	if (kt_source_open(&o, &src, err, sizeof(err)) != 0) {
		fprintf(stderr, "kt-live-bench: %s\n", err);
		return 1;
	}
	if (json) {
		memset(&w, 0, sizeof(w));
		kt_rec_print_want(o.collectors, &w);
	} else {
		kt_view_want(o.collectors, 0, &w);
	}
	print_columns(&w);
	for (i = 1; i <= runs; i++) {
		struct kt_rec *rec = NULL;
		uint64_t t0 = kt_mono_ns();
		double c0 = cpu_ms();
		unsigned req, vb;

		if (kt_source_fetch(src, &w, &rec, err, sizeof(err)) != 0) {
			fprintf(stderr, "kt-live-bench: %s\n", err);
			kt_source_free(src);
			return 1;
		}
		kt_source_counts(src, &req, &vb);
		printf("refresh n=%ld wall_ms=%.3f cpu_ms=%.3f requests=%u "
		       "varbinds=%u vms=%zu\n",
		       i, (double)(kt_mono_ns() - t0) / 1e6, cpu_ms() - c0, req,
		       vb, kt_rec_table(rec, &kt_vm_cols)->n);
		kt_rec_free(rec);
	}
	kt_source_free(src);
	return 0;
}
