/*
 * Tests of the --print printers (print/text.c, print/json.c) on a snapshot
 * built by hand: exact text for the fields, escaping of a hostile VM name,
 * unavailable values, collector switches, write errors, and the JSON
 * document checked by an independent parser (python3's json module).
 */
#include "config.h"

#include <stdlib.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kt_test.h"
#include "collectors.h"
#include "print/print.h"

#define UUID1 "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e01"
#define UUID2 "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e02"

/* we"ird\na<newline>me<unit separator>: a quote, a backslash, controls. */
#define NAME1 "we\"ird\\na\nme\x1f"
/* vm-été, then control bytes and a byte that is not UTF-8. */
#define NAME2 "vm-\xc3\xa9t\xc3\xa9\x01\x7f\xff"

static struct kt_snapshot *snapshot_alloc(size_t n_vms)
{
	struct kt_snapshot *s = kt_snapshot_new(n_vms);

	if (s == NULL) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	return s;
}

/*
 * VM a's disks, interfaces and vCPUs.  Fields behind a value that is not
 * reported hold 99: junk that must not be printed.
 */
static void sample_devices(struct kt_vm *a)
{
	const uint32_t some =
		KT_BLK_CAPACITY | KT_BLK_RD_BYTES | KT_BLK_RD_REQS;
	const struct kt_if_stats st = { 1000, 10, 0, 1, 2000, 20, 2, 3 };

	a->disk = (struct kt_vm_disk){
		.valid = true,
		.has_count = true,
		.count = 2,
		.present = some,
		.has_info = true,
		.capacity = 21474836480ULL,
		.allocation = 99,
		.physical = 99,
		.has_stats = true,
		.st = { 4096, 1, 99, 99, 99, 99, 99, 99 },
		.has_delay = true,
		.delay_blkio_ns = 250000000,
		.has_ioutil = true,
		.ioutil = 1234,
	};
	a->net = (struct kt_vm_net){ .valid = true,
				     .count = 2,
				     .has_stats = true,
				     .st = st,
				     .has_tap = true,
				     .tap = { 4, 5, 6, 7, 8, 9, 10, 11 } };
	a->io = (struct kt_vm_io){ true, 5, 6, 7, 8, 9, 10, 11 };
	a->vcpus = calloc(2, sizeof(*a->vcpus));
	a->blks = calloc(2, sizeof(*a->blks));
	a->ifs = calloc(2, sizeof(*a->ifs));
	if (a->vcpus == NULL || a->blks == NULL || a->ifs == NULL)
		exit(1);
	a->n_vcpus = a->n_blks = a->n_ifs = 2;
	a->vcpus[0] = (struct kt_vcpu){ .number = 0,
					.tid = 4105,
					.processor = 3,
					.run_ns = 100,
					.wait_ns = 50,
					.has_rate = true,
					.total = 2500,
					.steal = 125 };
	a->vcpus[1] = (struct kt_vcpu){ .number = 1,
					.tid = 4106,
					.processor = -1,
					.run_ns = 200,
					.total = 99,
					.steal = 99 };
	a->blks[0] = (struct kt_blk){ .index = 3,
				      .present = some,
				      .capacity = 21474836480ULL,
				      .st = { 4096, 1, 99, 99, 99, 99, 99, 99 },
				      .host_dev = makedev(8, 16) };
	a->blks[0].target = xshared("vda");
	a->blks[0].source = xshared("/img/a.qcow2");
	a->blks[1] = (struct kt_blk){ .index = 9, .capacity = 99 };
	a->blks[1].target = xshared("vd,b");
	a->blks[1].source = xshared("");
	a->ifs[0] = (struct kt_iface){ .index = 4,
				       .mac = "52:54:00:00:00:01",
				       .host_ifindex = 17,
				       .has_stats = true,
				       .st = st };
	a->ifs[0].name = xshared("vnet0");
	a->ifs[0].model = xshared("virtio");
	a->ifs[1] = (struct kt_iface){ .index = 5, .mac = "52:54:00:00:00:02" };
	a->ifs[1].name = xshared("");
	a->ifs[1].model = xshared("");
	a->ifs[1].st.rx_bytes = 99;
}

/* A running VM with everything but its /proc memory, and a shut-off one. */
static struct kt_snapshot *sample_snapshot(void)
{
	struct kt_snapshot *s = snapshot_alloc(2);
	struct kt_vm *a = &s->vms[0], *b = &s->vms[1];

	s->seq = 42;
	s->interval_ns = 5000400000ull; /* 5000.4 ms -> 5000 */
	s->duration_ns = 1500000ull;	/* 1.5 ms -> 2 */
	s->finished_unix = 1700000000;
	s->libvirt_connected = true;

	a->index = 1;
	memcpy(a->uuid, UUID1, sizeof(UUID1));
	a->name = strdup(NAME1);
	a->state = KT_VM_RUNNING;
	a->active = true;
	a->pid = 4101;
	a->data_valid = true;
	a->cpu = (struct kt_vm_cpu){
		.valid = true,
		.vcpus_found = true,
		.vcpus = 2,
		.vcpu_threads = 2,
		.other_threads = 3,
		.run_ns = UINT64_MAX,
		.wait_ns = 1500000000ull,
		.other_run_ns = 7,
		.other_wait_ns = 0,
		.has_rate = true,
		.total = 3750,
		.steal = 5,
		.other_total = 12345,
		.other_steal = 0,
	};
	a->mem = (struct kt_vm_mem){
		.has_libvirt = true,
		.max_kib = 1048576,
		.cur_kib = 786432,
	};
	sample_devices(a);

	b->index = 7;
	memcpy(b->uuid, UUID2, sizeof(UUID2));
	b->name = strdup(NAME2);
	b->state = KT_VM_SHUTDOWN;
	b->data_valid = true;
	b->cpu.vcpus = 1;
	b->mem = (struct kt_vm_mem){
		.has_libvirt = true,
		.max_kib = 524288,
		.cur_kib = 524288,
		.has_proc = true,
		.stat[KT_PS_VSIZE] = 2147483648ull,
		.rss = 1073741824ull,
		.stat[KT_PS_MINFLT] = 11,
		.stat[KT_PS_CMINFLT] = 0,
		.stat[KT_PS_MAJFLT] = 3,
		.stat[KT_PS_CMAJFLT] = 18446744073709551615ull,
	};
	return s;
}

typedef int (*printer)(FILE *, const struct kt_snapshot *, unsigned);

/* Runs a printer into memory; returns malloc'd text (NULL on error). */
static char *print_to_string(printer p, const struct kt_snapshot *s,
			     unsigned collectors)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r = p(f, s, collectors);

	fclose(f);
	if (r != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void check_has(const char *text, const char *want, const char *what)
{
	if (!KT_CHECK(text != NULL && strstr(text, want) != NULL, what))
		printf("#   missing: %s\n", want);
}

static void check_lacks(const char *text, const char *unwanted,
			const char *what)
{
	if (!KT_CHECK(text != NULL && strstr(text, unwanted) == NULL, what))
		printf("#   has: %s\n", unwanted);
}

static void test_json_fields(void)
{
	struct kt_snapshot *s = sample_snapshot();
	char *j = print_to_string(kt_print_json, s, KT_COLLECT_ALL);

	KT_CHECK(j != NULL, "kt_print_json returns 0");
	check_has(j, "\"version\": \"" PACKAGE_VERSION "\",\n",
		  "agent version");
	check_has(j, "\"seq\": 42,\n", "agent seq");
	check_has(j, "\"interval_ms\": 5000,\n", "interval rounded to ms");
	check_has(j, "\"duration_ms\": 2,\n", "duration 1.5 ms rounds to 2");
	check_has(j, "\"finished_unix\": 1700000000,\n", "finished_unix");
	check_has(j, "\"libvirt_connected\": true,\n", "libvirt_connected");
	check_has(j, "\"vm_count\": 2\n", "vm_count");
	check_has(j, "\"uuid\": \"" UUID1 "\",\n", "uuid");
	check_has(j, "\"name\": \"we\\\"ird\\\\na\\nme\\u001f\",\n",
		  "quote, backslash, newline and U+001F escaped");
	check_has(j,
		  "\"name\": \"vm-\xc3\xa9t\xc3\xa9\\u0001\\u007f\\ufffd\",\n",
		  "UTF-8 passes, a bad byte becomes U+FFFD");
	check_has(j, "\"index\": 7,\n", "index");
	check_has(j, "\"state\": \"running\",\n", "state running");
	check_has(j, "\"state\": \"shutdown\",\n", "state shutdown");
	check_has(j, "\"pid\": 4101,\n", "pid");
	check_has(j, "\"pid\": null,\n", "no process: pid null");
	check_has(j, "\"data_valid\": true,\n", "data_valid");
	check_has(j, "\"time_ns\": 18446744073709551615,\n",
		  "a uint64 counter printed exactly");
	check_has(j, "\"steal_ns\": 1500000000,\n", "steal_ns");
	check_has(j, "\"threads\": 2,\n", "threads");
	check_has(j, "\"other_threads\": 3,\n", "other_threads");
	check_has(j, "\"total\": 37.50,\n", "3750 hundredths are 37.50 %");
	check_has(j, "\"steal\": 0.05,\n", "5 hundredths are 0.05 %");
	check_has(j, "\"other_total\": 123.45,\n", "over 100 % is fine");
	check_has(j, "\"other_steal\": 0.00\n", "a measured 0 is 0.00");
	check_has(j, "\"cores\": 1,\n        \"threads\": null,\n",
		  "a VM without a process: cores known, threads null");
	check_has(j, "\"time_ns\": null,\n", "unavailable counter is null");
	check_has(j, "\"total\": null,\n", "unavailable percentage is null");
	check_has(j, "\"total_kib\": 1048576,\n", "total_kib");
	check_has(j, "\"used_kib\": 786432,\n", "used_kib");
	check_has(j, "\"vsize\": null,\n", "no /proc memory: vsize null");
	check_has(j, "\"rss\": 1073741824,\n", "rss");
	check_has(j, "\"cmajflt\": 18446744073709551615,\n", "cmajflt");
	check_has(j, "\"swap\": null\n", "no VmSwap: swap null, last");
	free(j);
	kt_snapshot_unref(s);
}

/* The whole document for an empty snapshot: the layout, word for word. */
static void test_json_empty(void)
{
	struct kt_snapshot *s = snapshot_alloc(0);
	char *j;

	s->seq = 1;
	j = print_to_string(kt_print_json, s, KT_COLLECT_ALL);
	KT_EQ_STR(j,
		  "{\n"
		  "  \"agent\": {\n"
		  "    \"version\": \"" PACKAGE_VERSION "\",\n"
		  "    \"seq\": 1,\n"
		  "    \"interval_ms\": 0,\n"
		  "    \"duration_ms\": 0,\n"
		  "    \"finished_unix\": 0,\n"
		  "    \"libvirt_connected\": false,\n"
		  "    \"vm_count\": 0\n"
		  "  },\n"
		  "  \"vms\": []\n"
		  "}\n",
		  "an empty snapshot, whole document");
	free(j);
	kt_snapshot_unref(s);
}

/* Names that are not valid UTF-8 (RFC 3629) and their JSON, by hand. */
static void test_json_utf8(void)
{
	static const struct {
		const char *name, *json, *what;
	} cases[] = {
		{ "\xf0\x9f\x98\x80!", "\"\xf0\x9f\x98\x80!\"",
		  "4-byte UTF-8" },
		{ "\xe2\x82\xac", "\"\xe2\x82\xac\"", "3-byte UTF-8" },
		{ "\xe0\x80\x80", "\"\\ufffd\\ufffd\\ufffd\"",
		  "overlong 3-byte" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong 2-byte" },
		{ "\xf0\x8f\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
		  "overlong 4-byte" },
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "a surrogate" },
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
		  "above U+10FFFF" },
		{ "a\xe2\x82", "\"a\\ufffd\\ufffd\"", "cut short at the end" },
		{ "\x80z", "\"\\ufffdz\"", "a lone continuation byte" },
	};
	struct kt_snapshot *s = snapshot_alloc(1);
	char want[96], *j;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s->vms[0].name = (char *)cases[i].name;
		j = print_to_string(kt_print_json, s, 0);
		snprintf(want, sizeof(want), "\"name\": %s,\n", cases[i].json);
		check_has(j, want, cases[i].what);
		free(j);
	}
	s->vms[0].name = NULL;
	j = print_to_string(kt_print_json, s, 0);
	check_has(j, "\"name\": null,\n", "no name: null");
	free(j);
	kt_snapshot_unref(s);
}

/* VM a's sums and devices, word for word as the printer lays them out. */
static void test_json_devices(void)
{
	struct kt_snapshot *s = sample_snapshot();
	char *j = print_to_string(kt_print_json, s, KT_COLLECT_ALL);

	check_has(j,
		  "      \"disk\": {\n"
		  "        \"count\": 2,\n"
		  "        \"capacity\": 21474836480,\n"
		  "        \"allocation\": null,\n"
		  "        \"physical\": null,\n"
		  "        \"rd_bytes\": 4096,\n"
		  "        \"rd_reqs\": 1,\n"
		  "        \"rd_time_ns\": null,\n"
		  "        \"wr_bytes\": null,\n"
		  "        \"wr_reqs\": null,\n"
		  "        \"wr_time_ns\": null,\n"
		  "        \"flush_reqs\": null,\n"
		  "        \"flush_time_ns\": null,\n"
		  "        \"delay_blkio_ns\": 250000000,\n"
		  "        \"ioutil\": 12.34\n"
		  "      },\n"
		  "      \"net\": {\n"
		  "        \"count\": 2,\n"
		  "        \"rx_bytes\": 1000,\n"
		  "        \"rx_packets\": 10,\n"
		  "        \"rx_errs\": 0,\n"
		  "        \"rx_drop\": 1,\n"
		  "        \"tx_bytes\": 2000,\n"
		  "        \"tx_packets\": 20,\n"
		  "        \"tx_errs\": 2,\n"
		  "        \"tx_drop\": 3,\n"
		  "        \"tap_rx_fifo\": 4,\n"
		  "        \"tap_rx_frame\": 5,\n"
		  "        \"tap_rx_compressed\": 6,\n"
		  "        \"tap_rx_multicast\": 7,\n"
		  "        \"tap_tx_fifo\": 8,\n"
		  "        \"tap_tx_colls\": 9,\n"
		  "        \"tap_tx_carrier\": 10,\n"
		  "        \"tap_tx_compressed\": 11\n"
		  "      },\n"
		  "      \"io\": {\n"
		  "        \"read_bytes\": 5,\n"
		  "        \"write_bytes\": 6,\n"
		  "        \"rchar\": 7,\n"
		  "        \"wchar\": 8,\n"
		  "        \"syscr\": 9,\n"
		  "        \"syscw\": 10,\n"
		  "        \"cancelled_write_bytes\": 11\n"
		  "      },\n",
		  "JSON: disk, net and io sums of VM a");
	check_has(j,
		  "      \"vcpus\": [\n"
		  "        {\n"
		  "          \"number\": 0,\n"
		  "          \"tid\": 4105,\n"
		  "          \"processor\": 3,\n"
		  "          \"time_ns\": 100,\n"
		  "          \"steal_ns\": 50,\n"
		  "          \"total\": 25.00,\n"
		  "          \"steal\": 1.25\n"
		  "        },\n"
		  "        {\n"
		  "          \"number\": 1,\n"
		  "          \"tid\": 4106,\n"
		  "          \"processor\": null,\n"
		  "          \"time_ns\": 200,\n"
		  "          \"steal_ns\": 0,\n"
		  "          \"total\": null,\n"
		  "          \"steal\": null\n"
		  "        }\n"
		  "      ],\n",
		  "JSON: VM a's vCPUs");
	check_has(j,
		  "          \"index\": 3,\n"
		  "          \"name\": \"vda\",\n"
		  "          \"source\": \"/img/a.qcow2\",\n"
		  "          \"host_device\": \"8:16\",\n"
		  "          \"capacity\": 21474836480,\n"
		  "          \"allocation\": null,\n",
		  "JSON: disk vda with its host device");
	check_has(j,
		  "          \"index\": 9,\n"
		  "          \"name\": \"vd,b\",\n"
		  "          \"source\": \"\",\n"
		  "          \"host_device\": null,\n"
		  "          \"capacity\": null,\n",
		  "JSON: a disk with nothing reported");
	check_has(j,
		  "          \"index\": 4,\n"
		  "          \"name\": \"vnet0\",\n"
		  "          \"mac\": \"52:54:00:00:00:01\",\n"
		  "          \"model\": \"virtio\",\n"
		  "          \"host_ifindex\": 17,\n"
		  "          \"rx_bytes\": 1000,\n",
		  "JSON: interface vnet0");
	check_has(j,
		  "          \"index\": 5,\n"
		  "          \"name\": \"\",\n"
		  "          \"mac\": \"52:54:00:00:00:02\",\n"
		  "          \"model\": \"\",\n"
		  "          \"host_ifindex\": null,\n"
		  "          \"rx_bytes\": null,\n",
		  "JSON: an interface without tap or counters");
	check_has(j,
		  "      \"disks\": [],\n"
		  "      \"interfaces\": []\n",
		  "JSON: a shut-off VM has empty device lists");
	check_has(j,
		  "        \"tx_drop\": null,\n"
		  "        \"tap_rx_fifo\": null,\n",
		  "JSON: a shut-off VM has no tap counters");
	KT_CHECK(j != NULL && strstr(j, "99") == NULL,
		 "JSON: no unreported value leaks out");
	free(j);
	kt_snapshot_unref(s);
}

static void test_json_collectors(void)
{
	struct kt_snapshot *s = sample_snapshot();
	char *j;

	j = print_to_string(kt_print_json, s, KT_COLLECT_MEM);
	KT_CHECK(j != NULL && strstr(j, "\"cpu\"") == NULL, "--mem: no cpu");
	check_has(j, "\"mem\": {", "--mem: mem object");
	free(j);
	j = print_to_string(kt_print_json, s, KT_COLLECT_CPU);
	KT_CHECK(j != NULL && strstr(j, "\"mem\"") == NULL, "--cpu: no mem");
	check_has(j, "\"cpu\": {", "--cpu: cpu object");
	check_has(j, "\"vcpus\": [", "--cpu: the vCPUs");
	KT_CHECK(j != NULL && strstr(j, "\"disks\"") == NULL &&
			 strstr(j, "\"io\"") == NULL &&
			 strstr(j, "\"interfaces\"") == NULL,
		 "--cpu: no disks, interfaces or io");
	free(j);
	j = print_to_string(kt_print_json, s, KT_COLLECT_NET | KT_COLLECT_IO);
	KT_CHECK(j != NULL && strstr(j, "\"vcpus\"") == NULL &&
			 strstr(j, "\"disk\"") == NULL &&
			 strstr(j, "\"net\": {") != NULL &&
			 strstr(j, "\"interfaces\": [") != NULL &&
			 strstr(j, "\"io\": {") != NULL,
		 "--net --io: net, interfaces and io only");
	free(j);
	kt_snapshot_unref(s);
}

/*
 * Writes the document of @s to a file and has python3 run @script on it
 * (json.load of stdin); its output goes to @got.  Returns python3's exit
 * status, -1 when it could not run.
 */
static int python_reads(const char *script, const struct kt_snapshot *s,
			unsigned collectors, char *got, size_t size)
{
	char path[] = "/tmp/kt_test_print.XXXXXX", cmd[256];
	FILE *f, *p;
	size_t n = 0;
	int fd, status;

	got[0] = '\0';
	if (system("command -v python3 >/dev/null 2>&1") != 0) {
		KT_CHECK(0,
			 "python3 is needed to check that the JSON is valid");
		return -1;
	}
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	KT_CHECK(f != NULL && kt_print_json(f, s, collectors) == 0,
		 "JSON written to a file");
	if (f != NULL)
		fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -c \"$KT_PY\" < %s", path);
	setenv("KT_PY", script, 1);
	p = popen(cmd, "r");
	if (p != NULL)
		n = fread(got, 1, size - 1, p);
	got[n] = '\0';
	status = p != NULL ? pclose(p) : -1;
	unlink(path);
	return status;
}

/*
 * Has python3 parse the document and print the VM count and the code
 * points of both names, which we compare with the names we put in.
 */
static void test_json_valid(void)
{
	static const char script[] =
		"import json,sys\n"
		"d=json.load(sys.stdin.buffer)\n"
		"print(len(d['vms']),d['agent']['vm_count'],"
		"d['vms'][0]['cpu']['total'],d['vms'][1]['pid'])\n"
		"a=d['vms'][0]\n"
		"print(a['disks'][1]['name'],a['interfaces'][0]['host_ifindex']"
		","
		"a['vcpus'][0]['steal'],a['disk']['ioutil'],a['io']['syscw'])\n"
		"for v in d['vms']: print(' '.join('%x'%ord(c) for c in "
		"v['name']))\n";
	struct kt_snapshot *s = sample_snapshot();
	char got[512];

	KT_EQ_INT(python_reads(script, s, KT_COLLECT_ALL, got, sizeof(got)), 0,
		  "python3's json module accepts the document");
	KT_EQ_STR(got,
		  "2 2 37.5 None\n"
		  "vd,b 17 1.25 12.34 10\n"
		  "77 65 22 69 72 64 5c 6e 61 a 6d 65 1f\n"
		  "76 6d 2d e9 74 e9 1 7f fffd\n",
		  "python3 reads back the count, values and both names");
	kt_snapshot_unref(s);
}

/*
 * The sample snapshot with a host part: a name, no UUID, CPU figures,
 * MemTotal, one disk, one interface and one pressure line.
 */
static struct kt_snapshot *host_snapshot(void)
{
	struct kt_snapshot *s = sample_snapshot();
	struct kt_host *h = &s->host;

	h->valid = true;
	snprintf(h->hostname, sizeof(h->hostname), "kvm-host-07");
	h->cpu = (struct kt_host_cpu){ .valid = true,
				       .nfields = KT_CPU_NFIELDS,
				       .has_rate = true,
				       .cores = 4 };
	h->cpu.ticks[KT_CPU_USER] = 123456;
	h->cpu.pct[KT_CPU_USER] = 1500;
	h->mem.present[0] = true; /* MemTotal */
	h->mem.value[0] = 16318412;
	h->vms_running = 1;
	h->vms_shutdown = 1;
	h->disks = calloc(1, sizeof(*h->disks));
	h->nets = calloc(1, sizeof(*h->nets));
	if (h->disks == NULL || h->nets == NULL)
		exit(1);
	h->n_disks = h->n_nets = 1;
	h->disks[0] = (struct kt_host_disk){ .index = 2,
					     .name = "sda",
					     .major = 8,
					     .reads = 120222,
					     .has_rate = true,
					     .ioutil = 5000 };
	h->nets[0] = (struct kt_host_net){ .ifindex = 2,
					   .name = "eth0",
					   .rx = { 4096 },
					   .type = KT_NET_PHYSICAL };
	h->psi[KT_PSI_IO][KT_PSI_SOME] =
		(struct kt_psi_line){ true, 105, 0, 320, 7476262 };
	return s;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The "host" member after "vms": its place, its layout and its values. */
static void test_json_host(void)
{
	static const char script[] =
		"import json,sys\n"
		"d=json.load(sys.stdin.buffer)\n"
		"h=d['host']\n"
		"print(' '.join(d.keys()),len(d['vms']))\n"
		"print(h['name'],h['uuid'],h['vms']['running'],"
		"h['cpu']['cores'],h['cpu']['user'],h['cpu']['user_ticks'],"
		"h['cpu']['nice'],h['mem']['MemTotal'],h['mem']['MemFree'])\n"
		"print(h['disks'][0]['name'],h['disks'][0]['reads'],"
		"h['disks'][0]['ioutil'],h['nets'][0]['name'],"
		"h['nets'][0]['type'],h['nets'][0]['rx_bytes'],"
		"h['psi']['io']['some']['avg300'],h['psi']['io']['full'])\n";
	struct kt_snapshot *s = host_snapshot();
	char got[512], *j;

	KT_EQ_INT(python_reads(script, s, KT_COLLECT_ALL, got, sizeof(got)), 0,
		  "host: python3's json module accepts the document");
	KT_EQ_STR(got,
		  "agent vms host 2\n"
		  "kvm-host-07 None 1 4 15.0 123456 0.0 16318412 None\n"
		  "sda 120222 50.0 eth0 physical 4096 3.2 None\n",
		  "host: python3 reads back the host member");
	j = print_to_string(kt_print_json, s, KT_COLLECT_ALL);
	check_has(j,
		  "      \"interfaces\": []\n"
		  "    }\n"
		  "  ],\n"
		  "  \"host\": {\n"
		  "    \"name\": \"kvm-host-07\",\n"
		  "    \"uuid\": null,\n"
		  "    \"vms\": {\n",
		  "host: a member of the top level after vms");
	KT_CHECK(j != NULL && ends_with(j, "        \"full\": null\n"
					   "      }\n"
					   "    }\n"
					   "  }\n"
					   "}\n"),
		 "host: the last member, its psi the last of it");
	free(j);
	j = print_to_string(kt_print_json, s, KT_COLLECT_CPU | KT_COLLECT_MEM);
	check_lacks(j, "\"host\"", "host: no host collector, no host member");
	free(j);
	/* Only --disk: the host was not read, its disks were. */
	s->host.valid = false;
	s->host.n_nets = 0;
	s->host.psi[KT_PSI_IO][KT_PSI_SOME].valid = false;
	j = print_to_string(kt_print_json, s, KT_COLLECT_DISK);
	check_has(j, "  ],\n  \"host\": {\n    \"disks\": [\n      {\n",
		  "host: --disk alone has the host's disks");
	s->host.n_disks = 0;
	free(j);
	j = print_to_string(kt_print_json, s, KT_COLLECT_ALL);
	check_lacks(j, "\"host\"", "host: nothing read, no host member");
	free(j);
	kt_snapshot_unref(s);
}

static void test_text(void)
{
	struct kt_snapshot *s = sample_snapshot();
	char *t;

	t = print_to_string(kt_print_text, s, KT_COLLECT_ALL);
	KT_EQ_STR(t,
		  "UUID\tname\tstate\tpid\tcpu_cores\tcpu_total\tcpu_steal"
		  "\tcpu_other_total\tcpu_other_steal\tram_total\tram_used"
		  "\tram_vsize\tram_rss\tram_minflt\tram_cminflt\tram_majflt"
		  "\tram_cmajflt\tram_swap"
		  "\tdisk_size_capacity\tdisk_size_allocation"
		  "\tdisk_size_physical\tdisk_stats_rdbytes\tdisk_stats_rdreq"
		  "\tdisk_stats_rdtotaltimes\tdisk_stats_wrbytes"
		  "\tdisk_stats_wrreq\tdisk_stats_wrtotaltimes"
		  "\tdisk_stats_flushreq\tdisk_stats_flushtotaltimes"
		  "\tdisk_delayblkio\tdisk_ioutil\tdisk_devices"
		  "\tnet_receivedBytes\tnet_receivedPackets\tnet_receivedErrs"
		  "\tnet_receivedDrop\tnet_transmittedBytes"
		  "\tnet_transmittedPackets\tnet_transmittedErrs"
		  "\tnet_transmittedDrop\tnet_devices"
		  "\tio_read_bytes\tio_write_bytes\tio_rchar\tio_wchar"
		  "\tio_syscr\tio_syscw\tio_cancelled_write_bytes\n" UUID1
		  "\twe\"ird\\na?me?\trunning\t4101\t2\t37.50\t0.05"
		  "\t123.45\t0.00\t1048576\t786432\t-\t-\t-\t-\t-\t-\t-"
		  /* disk: capacity, rd bytes and reqs, delay, ioutil, names */
		  "\t21474836480\t-\t-\t4096\t1\t-\t-\t-\t-\t-\t-"
		  "\t250000000\t12.34\tvda,vd?b"
		  /* net, then the names: a tap, or the MAC without one */
		  "\t1000\t10\t0\t1\t2000\t20\t2\t3"
		  "\tvnet0,52:54:00:00:00:02"
		  "\t5\t6\t7\t8\t9\t10\t11\n" UUID2
		  "\tvm-\xc3\xa9t\xc3\xa9???\tshutdown\t-\t1\t-\t-\t-\t-"
		  "\t524288\t524288\t2147483648\t1073741824\t11\t0\t3"
		  "\t18446744073709551615\t-"
		  "\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-"
		  "\t-\t-\t-\t-\t-\t-\t-\t-\t-"
		  "\t-\t-\t-\t-\t-\t-\t-\n",
		  "text: header and both rows");
	free(t);

	t = print_to_string(kt_print_text, s, KT_COLLECT_MEM);
	KT_CHECK(t != NULL && strncmp(t,
				      "UUID\tname\tstate\tpid\tram_total\t"
				      "ram_used\t",
				      29) == 0,
		 "text --mem: no cpu columns");
	free(t);
	t = print_to_string(kt_print_text, s, KT_COLLECT_CPU);
	KT_CHECK(t != NULL &&
			 strstr(t, "\tcpu_other_steal\n" UUID1
				   "\twe\"ird\\na?me?\trunning\t4101\t2"
				   "\t37.50\t0.05\t123.45\t0.00\n") != NULL,
		 "text --cpu: header ends with cpu, row without mem");
	free(t);
	kt_snapshot_unref(s);
}

/* The lines that end in [@from, @to]. */
static int count_lines(const char *from, const char *to)
{
	int n = 0;

	for (; from <= to; from++)
		n += *from == '\n';
	return n;
}

/* The host's blocks after the VM rows, each after an empty line. */
static void test_text_host(void)
{
	struct kt_snapshot *s = host_snapshot();
	char *t, *blank;

	t = print_to_string(kt_print_text, s, KT_COLLECT_CPU | KT_COLLECT_HOST);
	blank = t != NULL ? strstr(t, "\n\n") : NULL;
	KT_EQ_INT(blank != NULL ? count_lines(t, blank) : -1, 3,
		  "text: a header and two VM rows before the empty line");
	check_has(t,
		  "\tshutdown\t-\t1\t-\t-\t-\t-\n"
		  "\nhost_name\thost_uuid\tcpu_cores\t",
		  "text: the host block after the VM rows");
	check_has(t, "\nkvm-host-07\t-\t4\t-\t-\t-\t15.00\t0.00\t",
		  "text: the host row");
	check_has(t, "\n\nram_Total\tram_Free\t", "text: the ram block");
	check_lacks(t, "disk_device_name",
		    "text: no disk block without --disk");
	check_lacks(t, "psi_some_cpu_avg10",
		    "text: no psi block without --psi");
	free(t);
	t = print_to_string(kt_print_text, s, KT_COLLECT_CPU);
	check_lacks(t, "\n\n", "text: no host collector, no host block");
	free(t);
	kt_snapshot_unref(s);
}

static void test_states(void)
{
	KT_EQ_STR(kt_print_state_name(KT_VM_UNKNOWN), "unknown", "state 1");
	KT_EQ_STR(kt_print_state_name(KT_VM_PAUSED), "paused", "state 8");
	KT_EQ_STR(kt_print_state_name(KT_VM_SHUTTINGDOWN), "shuttingdown",
		  "state 10");
	KT_EQ_STR(kt_print_state_name(KT_VM_CRASHED), "crashed", "state 12");
	KT_EQ_STR(kt_print_state_name((enum kt_vm_state)0), "unknown",
		  "state 0 is not a state");
	KT_EQ_STR(kt_print_state_name((enum kt_vm_state)13), "unknown",
		  "state 13 is not a state");
}

/* /dev/full accepts the open and fails every write with ENOSPC. */
static void test_write_error(void)
{
	struct kt_snapshot *s = sample_snapshot();
	FILE *f = fopen("/dev/full", "w");

	if (f == NULL) {
		KT_CHECK(1, "write errors # SKIP no /dev/full");
		kt_snapshot_unref(s);
		return;
	}
	KT_EQ_INT(kt_print_json(f, s, KT_COLLECT_ALL), -1, "JSON: write error");
	clearerr(f);
	KT_EQ_INT(kt_print_text(f, s, KT_COLLECT_ALL), -1, "text: write error");
	fclose(f);
	kt_snapshot_unref(s);
}

int main(void)
{
	test_json_fields();
	test_json_empty();
	test_json_utf8();
	test_json_devices();
	test_json_collectors();
	test_json_valid();
	test_json_host();
	test_text();
	test_text_host();
	test_states();
	test_write_error();
	return kt_test_done();
}
