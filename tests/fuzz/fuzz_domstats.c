/*
 * libFuzzer harness of the bulk statistics record parsing of
 * collect/libvirt_dev.c: the "block.N.*" and "net.N.*" parameters of a
 * virConnectGetAllDomainStats record, and how their values are matched to
 * a domain's disks and interfaces by name.  Those functions are static, so
 * the file is compiled into this harness (its exported names then come
 * from here and the library's copy is never linked in).
 *
 * The input is a record in the text form `virsh domstats` prints: one
 * parameter a line, "name=value", leading blanks ignored.  The type is the
 * one libvirt uses: a number is ULLONG, or UINT for "*.count"; anything
 * else is a STRING.  "name:T=value" forces type T (i int, u uint,
 * I llong, U ullong, d double, b boolean, s string) so that the fuzzer
 * can also send the wrong type for a name.  A name longer than libvirt's
 * field is cut to fit, as libvirt never sends one longer.
 */
#include "config.h"

#include "collect/libvirt_dev.c"

#include "fuzz.h"
#include "shared_str.h"

/* Bounds the quadratic checks below; real records have a few hundred. */
#define FUZZ_MAX_PARAMS 1024

/*
 * The devices the domain's XML would have named; their strings are made
 * shared (as the name cache's are) by LLVMFuzzerInitialize().
 */
static struct blk_tmpl tmpl_blks[] = {
	{ .target = "vda", .source = "/var/lib/libvirt/images/a.qcow2" },
	{ .target = "vdb", .source = "/dev/vg0/b" },
	{ .target = "sda", .source = "" },
};
static struct if_tmpl tmpl_ifs[] = {
	{ .name = "vnet0", .mac = "52:54:00:00:00:01", .model = "virtio" },
	{ .name = "vnet1", .mac = "52:54:00:00:00:02", .model = "e1000" },
	{ .name = "", .mac = "52:54:00:00:00:03", .model = "" },
};

static const char *shared(const char *s)
{
	const char *p = kt_str_new(s);

	if (p == NULL)
		abort();
	return p;
}

static void share_templates(void)
{
	size_t i;

	for (i = 0; i < sizeof(tmpl_blks) / sizeof(tmpl_blks[0]); i++) {
		tmpl_blks[i].target = shared(tmpl_blks[i].target);
		tmpl_blks[i].source = shared(tmpl_blks[i].source);
	}
	for (i = 0; i < sizeof(tmpl_ifs) / sizeof(tmpl_ifs[0]); i++) {
		tmpl_ifs[i].name = shared(tmpl_ifs[i].name);
		tmpl_ifs[i].model = shared(tmpl_ifs[i].model);
	}
}

static void quiet(void *data, virErrorPtr err)
{
	(void)data;
	(void)err;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/*
	 * The agent's virConnectOpen() initialises libvirt; no connection is
	 * opened here, and without this every libvirt call that resets the
	 * last error (virTypedParamsGet*, the per-device calls) frees a
	 * pointer from another library's thread-local slot.
	 */
	if (virInitialize() != 0)
		abort();
	/* The per-device calls fail on a NULL domain: not worth a line. */
	virSetErrorFunc(NULL, quiet);
	share_templates();
	return 0;
}

static int forced_type(char t)
{
	switch (t) {
	case 'i':
		return VIR_TYPED_PARAM_INT;
	case 'u':
		return VIR_TYPED_PARAM_UINT;
	case 'I':
		return VIR_TYPED_PARAM_LLONG;
	case 'U':
		return VIR_TYPED_PARAM_ULLONG;
	case 'd':
		return VIR_TYPED_PARAM_DOUBLE;
	case 'b':
		return VIR_TYPED_PARAM_BOOLEAN;
	case 's':
		return VIR_TYPED_PARAM_STRING;
	}
	return -1;
}

/* The type libvirt gives @value (a C string) for the field @name. */
static int natural_type(const char *name, const char *value)
{
	size_t n = strlen(name);

	if (value[0] == '\0' || strspn(value, "0123456789") != strlen(value))
		return VIR_TYPED_PARAM_STRING;
	if (n >= 6 && strcmp(name + n - 6, ".count") == 0)
		return VIR_TYPED_PARAM_UINT;
	return VIR_TYPED_PARAM_ULLONG;
}

/* Stores @value in @p as @type; a STRING is an exactly-sized copy. */
static void set_value(virTypedParameter *p, int type, const char *value)
{
	unsigned long long u = strtoull(value, NULL, 10);
	long long s = strtoll(value, NULL, 10);

	p->type = type;
	switch (type) {
	case VIR_TYPED_PARAM_INT:
		p->value.i = (int)s;
		break;
	case VIR_TYPED_PARAM_UINT:
		p->value.ui = (unsigned int)u;
		break;
	case VIR_TYPED_PARAM_LLONG:
		p->value.l = s;
		break;
	case VIR_TYPED_PARAM_ULLONG:
		p->value.ul = u;
		break;
	case VIR_TYPED_PARAM_DOUBLE:
		p->value.d = (double)s;
		break;
	case VIR_TYPED_PARAM_BOOLEAN:
		p->value.b = u != 0;
		break;
	default:
		p->value.s = fuzz_strdup(value, strlen(value));
	}
}

/* One "name[:T]=value" line (a C string) into @p; false to skip it. */
static bool parse_param(char *line, virTypedParameter *p)
{
	char *eq, *colon;
	int type;

	line += strspn(line, " \t");
	if ((eq = strchr(line, '=')) == NULL)
		return false;
	*eq = '\0';
	colon = strchr(line, ':');
	type = natural_type(line, eq + 1);
	if (colon != NULL && colon[1] != '\0' && colon[2] == '\0' &&
	    forced_type(colon[1]) >= 0) {
		*colon = '\0';
		type = forced_type(colon[1]);
	}
	memset(p, 0, sizeof(*p));
	snprintf(p->field, sizeof(p->field), "%s", line);
	set_value(p, type, eq + 1);
	return true;
}

/* The lines of the input, at most FUZZ_MAX_PARAMS. */
static int count_lines(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *nl;
	int n = 0;

	for (; p < end && n < FUZZ_MAX_PARAMS; p = nl + 1, n++)
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
	return n;
}

/* The parameters of the input's lines into @params; returns how many. */
static int make_record(const uint8_t *data, size_t size,
		       virTypedParameter *params, int max)
{
	const uint8_t *p = data, *end = data + size, *nl;
	int n = 0, lines;
	char *line;

	for (lines = 0; p < end && lines < max; p = nl + 1, lines++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line = fuzz_strdup(p, (size_t)(nl - p));
		if (parse_param(line, &params[n]))
			n++;
		free(line);
	}
	return n;
}

static void check_bulk(const struct bulk *b, const virTypedParameter *params,
		       int n)
{
	size_t i;

	FUZZ_CHECK(b->n_blk <= KT_MAX_BULK_DEVICES);
	FUZZ_CHECK(b->n_net <= KT_MAX_BULK_DEVICES);
	FUZZ_CHECK(b->has_blk || b->n_blk == 0);
	FUZZ_CHECK(b->has_net || b->n_net == 0);
	/* A name points at a STRING value of the record, or is NULL. */
	for (i = 0; i < b->n_blk; i++) {
		int j;
		bool found = b->blk[i].name == NULL;

		for (j = 0; j < n && !found; j++)
			found = params[j].type == VIR_TYPED_PARAM_STRING &&
				params[j].value.s == b->blk[i].name;
		FUZZ_CHECK(found);
	}
	for (i = 0; i < b->n_net; i++) {
		int j;
		bool found = b->net[i].name == NULL;

		for (j = 0; j < n && !found; j++)
			found = params[j].type == VIR_TYPED_PARAM_STRING &&
				params[j].value.s == b->net[i].name;
		FUZZ_CHECK(found);
	}
}

/* The rows of a domain with the template devices, from bulk @b. */
static void fuzz_fill(const struct bulk *b)
{
	struct dev_entry e = {
		.blks = tmpl_blks,
		.n_blks = sizeof(tmpl_blks) / sizeof(tmpl_blks[0]),
		.ifs = tmpl_ifs,
		.n_ifs = sizeof(tmpl_ifs) / sizeof(tmpl_ifs[0]),
	};
	struct kt_domain d;

	memset(&d, 0, sizeof(d));
	if (fill_devices(NULL, b, &e, KT_COLLECT_DISK | KT_COLLECT_NET, &d) ==
	    0) {
		FUZZ_CHECK(d.n_blks == e.n_blks && d.n_ifs == e.n_ifs);
		FUZZ_CHECK(!d.ifs[2].has_stats); /* no tap: no counters */
	}
	kt_domain_clear_devices(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	virTypedParameter *params = NULL;
	virDomainStatsRecord rec = { .dom = NULL };
	int i, n, r, max = count_lines(data, size);
	struct bulk b;

	if (max > 0 && (params = calloc((size_t)max, sizeof(*params))) == NULL)
		abort();
	n = make_record(data, size, params, max);
	/* Exactly @n parameters: ASan sees a read past the last one. */
	rec.nparams = n;
	if (n > 0)
		rec.params = (virTypedParameterPtr)fuzz_copy(
			params, (size_t)n * sizeof(*params));
	r = bulk_parse(&rec, &b);
	FUZZ_CHECK(r == 0 || r == -ENOMEM);
	if (r == 0) {
		check_bulk(&b, rec.params, n);
		(void)bulk_sig(&b);
		fuzz_fill(&b);
		bulk_free(&b);
	}
	for (i = 0; i < n; i++)
		if (params[i].type == VIR_TYPED_PARAM_STRING)
			free(params[i].value.s);
	free(params);
	free(rec.params);
	return 0;
}
