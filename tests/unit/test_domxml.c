/*
 * Tests of the domain XML parser (collect/domxml.c) against description
 * files in tests/fixtures/domxml: a running QEMU domain as virsh dumpxml
 * prints it (file, block and network disks, a CD-ROM; network, bridge,
 * ethernet and hostdev interfaces), an inactive one (no tap names yet), one
 * without devices, hand-written edge cases, and malformed input.  Every
 * expected value is read off the fixture files by hand.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/domxml.h"
#include "kt_test.h"

static char *slurp(const char *name, size_t *len)
{
	const char *src = getenv("KT_SRCDIR");
	char path[4096];
	char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/domxml/%s",
		 src != NULL ? src : ".", name);
	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static int parse_file(const char *name, struct kt_domxml *x)
{
	size_t len;
	char *xml = slurp(name, &len);
	int r = kt_domxml_parse(xml, len, x);

	free(xml);
	return r;
}

static void check_disk(const struct kt_domxml *x, size_t i, const char *target,
		       const char *source, enum kt_disk_source type,
		       const char *what)
{
	char buf[256];

	if (!KT_CHECK(i < x->n_disks, what))
		return;
	snprintf(buf, sizeof(buf), "%s: target", what);
	KT_EQ_STR(x->disks[i].target, target, buf);
	snprintf(buf, sizeof(buf), "%s: source", what);
	KT_EQ_STR(x->disks[i].source, source, buf);
	snprintf(buf, sizeof(buf), "%s: source type", what);
	KT_EQ_INT(x->disks[i].type, type, buf);
}

static void check_if(const struct kt_domxml *x, size_t i, const char *name,
		     const char *mac, const char *model, const char *what)
{
	char buf[256];

	if (!KT_CHECK(i < x->n_ifs, what))
		return;
	snprintf(buf, sizeof(buf), "%s: host device", what);
	KT_EQ_STR(x->ifs[i].name, name, buf);
	snprintf(buf, sizeof(buf), "%s: MAC", what);
	KT_EQ_STR(x->ifs[i].mac, mac, buf);
	snprintf(buf, sizeof(buf), "%s: model", what);
	KT_EQ_STR(x->ifs[i].model, model, buf);
}

static void test_running(void)
{
	struct kt_domxml x;

	KT_EQ_INT(parse_file("running.xml", &x), 0, "running: parses");
	/* The CD-ROM sdb is left out; the backing store is no disk. */
	KT_EQ_U64(x.n_disks, 3, "running: three disks");
	check_disk(&x, 0, "vda", "/var/lib/libvirt/images/web01.qcow2",
		   KT_SRC_FILE, "running: file disk");
	check_disk(&x, 1, "vdb", "/dev/vg0/web01-data", KT_SRC_BLOCK,
		   "running: block disk");
	check_disk(&x, 2, "sda", "rbd-pool/web01-logs", KT_SRC_NETWORK,
		   "running: rbd disk");
	KT_EQ_U64(x.n_ifs, 4, "running: four interfaces");
	check_if(&x, 0, "vnet3", "52:54:00:6b:3c:1a", "virtio",
		 "running: network interface");
	check_if(&x, 1, "vnet4", "52:54:00:aa:bb:0c", "e1000e",
		 "running: bridge interface");
	check_if(&x, 2, "tap-web01", "52:54:00:12:34:56", "virtio",
		 "running: ethernet interface");
	check_if(&x, 3, "", "52:54:00:9e:01:02", "",
		 "running: hostdev interface, no tap, no model");
	kt_domxml_clear(&x);
	KT_CHECK(x.n_disks == 0 && x.disks == NULL && x.ifs == NULL,
		 "clear empties the result");
}

static void test_inactive(void)
{
	struct kt_domxml x;

	KT_EQ_INT(parse_file("inactive.xml", &x), 0, "inactive: parses");
	KT_EQ_U64(x.n_disks, 1, "inactive: one disk, the empty CD-ROM out");
	check_disk(&x, 0, "vda", "/var/lib/libvirt/images/db02.qcow2",
		   KT_SRC_FILE, "inactive: disk");
	KT_EQ_U64(x.n_ifs, 2, "inactive: two interfaces");
	check_if(&x, 0, "", "52:54:00:d8:02:01", "virtio",
		 "inactive: no tap name before the start");
	check_if(&x, 1, "", "52:54:00:d8:02:02", "", "inactive: user mode");
	kt_domxml_clear(&x);
}

static void test_no_devices(void)
{
	struct kt_domxml x;

	KT_EQ_INT(parse_file("no-devices.xml", &x), 0, "no devices: parses");
	KT_CHECK(x.n_disks == 0 && x.n_ifs == 0, "no devices: none found");
	kt_domxml_clear(&x);
}

static void test_edge(void)
{
	struct kt_domxml x;

	KT_EQ_INT(parse_file("edge.xml", &x), 0, "edge: parses");
	/* hda, vdc, vdd: the target-less ones, floppy and LUN are out. */
	KT_EQ_U64(x.n_disks, 3, "edge: three disks");
	check_disk(&x, 0, "hda", "/srv/images/edge & more.img", KT_SRC_FILE,
		   "edge: defaults to a file disk, entity decoded");
	check_disk(&x, 1, "vdc", "", KT_SRC_NONE, "edge: empty drive");
	check_disk(&x, 2, "vdd", "", KT_SRC_OTHER, "edge: pool volume");
	KT_EQ_U64(x.n_ifs, 2, "edge: two interfaces");
	check_if(&x, 0, "vnet9", "52:54:00:ab:cd:ef", "",
		 "edge: uppercase MAC lowercased, first of a duplicate kept");
	check_if(&x, 1, "tap0", "fe:54:00:00:00:01", "virtio",
		 "edge: after the malformed MACs");
	kt_domxml_clear(&x);
}

static void test_malformed(void)
{
	static const char xxe[] =
		"<?xml version='1.0'?>\n"
		"<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
		"<domain><devices><disk><source file='&x;'/>"
		"<target dev='vda'/></disk></devices></domain>\n";
	static const char minimal[] = "<domain><devices></devices></domain>";
	struct kt_domxml x;

	KT_EQ_INT(parse_file("truncated.xml", &x), -EINVAL,
		  "truncated document: -EINVAL");
	KT_CHECK(x.n_disks == 0 && x.disks == NULL, "and an empty result");
	KT_EQ_INT(parse_file("not-a-domain.xml", &x), -EINVAL,
		  "a root other than <domain>: -EINVAL");
	KT_EQ_INT(kt_domxml_parse("", 0, &x), -EINVAL, "empty input");
	KT_EQ_INT(kt_domxml_parse(NULL, 5, &x), -EINVAL, "NULL input");
	KT_EQ_INT(kt_domxml_parse("not xml at all", 14, &x), -EINVAL,
		  "text that is no XML");
	/* An external entity in an attribute is not well-formed XML. */
	KT_EQ_INT(kt_domxml_parse(xxe, sizeof(xxe) - 1, &x), -EINVAL,
		  "an external entity is refused, never loaded");
	KT_EQ_INT(kt_domxml_parse(minimal, sizeof(minimal) - 1, &x), 0,
		  "a minimal domain parses");
	kt_domxml_clear(&x);
	kt_domxml_clear(NULL);
}

static void test_mac(void)
{
	char out[18];

	KT_EQ_INT(kt_mac_normalize("52:54:00:AB:cd:0F", out), 0, "MAC ok");
	KT_EQ_STR(out, "52:54:00:ab:cd:0f", "MAC lowercased");
	KT_EQ_INT(kt_mac_normalize("52:54:00:ab:cd:0f:", out), -EINVAL,
		  "MAC too long");
	KT_EQ_STR(out, "", "MAC reset on error");
	KT_EQ_INT(kt_mac_normalize("5:254:00:ab:cd:0f", out), -EINVAL,
		  "MAC with a misplaced colon");
	KT_EQ_INT(kt_mac_normalize(" 2:54:00:ab:cd:0f", out), -EINVAL,
		  "MAC with a blank");
	KT_EQ_INT(kt_mac_normalize(NULL, out), -EINVAL, "no MAC");
}

int main(void)
{
	test_running();
	test_inactive();
	test_no_devices();
	test_edge();
	test_malformed();
	test_mac();
	return kt_test_done();
}
