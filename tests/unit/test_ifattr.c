/*
 * The sysfs interface attribute cache (collect/ifattr.c) on a sysfs tree
 * written here: what it reads (checked against the files), that it does
 * not read again while the interface is the same, and that it does when
 * the interface was created again, vanished, or its attributes are older
 * than KT_IFATTR_MAX_AGE_NS.
 */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/ifattr.h"
#include "kt_test.h"

#define SEC 1000000000ull

static char sysroot[64]; /* the sysfs root the cache is given */
static char netdir[96];	 /* SYSROOT/class/net */

__attribute__((format(printf, 1, 2))) static void sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		fprintf(stderr, "failed: %s\n", cmd);
		exit(1);
	}
}

/* SYSFS/class/net/NAME with an ifindex, a speed and a kind entry. */
static void make_if(const char *name, const char *ifindex, const char *speed,
		    const char *kind)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", netdir, name);
	sh("mkdir -p %s", path);
	sh("printf '%%s\\n' '%s' > %s/ifindex", ifindex, path);
	sh("printf '%%s\\n' '%s' > %s/speed", speed, path);
	if (kind != NULL)
		sh("mkdir -p %s/%s", path, kind);
}

static uint32_t ifindex_of(struct kt_ifattr_cache *c, const char *name)
{
	const struct kt_ifattr *a = kt_ifattr_get(c, name);

	return a != NULL ? a->ifindex : 0;
}

static void check_attributes(struct kt_ifattr_cache *c)
{
	const struct kt_ifattr *a;

	kt_ifattr_cycle(c, 1 * SEC);
	a = kt_ifattr_get(c, "eth0");
	KT_CHECK(a != NULL, "eth0 known");
	if (a != NULL) {
		KT_EQ_U64(a->ifindex, 2, "eth0: ifindex file");
		KT_CHECK(a->has_speed && a->speed_mbps == 10000,
			 "eth0: speed file");
		KT_EQ_INT(a->type, KT_NET_PHYSICAL, "eth0: has device: physical");
	}
	a = kt_ifattr_get(c, "br0");
	KT_CHECK(a != NULL && a->type == KT_NET_BRIDGE && !a->has_speed,
		 "br0: a bridge, speed -1 is unknown");
	a = kt_ifattr_get(c, "vnet0");
	KT_CHECK(a != NULL && a->type == KT_NET_TAP && a->ifindex == 10 &&
			 a->speed_mbps == 10,
		 "vnet0: a tap (tun_flags), ifindex 10, 10 Mb/s");
	KT_CHECK(kt_ifattr_get(c, "bad0") == NULL,
		 "an ifindex without its newline is not used");
	KT_CHECK(kt_ifattr_get(c, "nosuch") == NULL, "no such interface");
	KT_CHECK(kt_ifattr_get(c, "..") == NULL &&
			 kt_ifattr_get(c, "a/b") == NULL &&
			 kt_ifattr_get(c, "") == NULL,
		 "names that are no single path component are refused");
	KT_EQ_U64(kt_ifattr_reads(c), 4, "four interfaces read");
	KT_EQ_U64(ifindex_of(c, "vnet0"), 10, "asked again in the cycle");
	KT_EQ_U64(kt_ifattr_reads(c), 4, "... not read again");
}

static void check_kept(struct kt_ifattr_cache *c)
{
	char path[256];

	/* Same interface (same sysfs node), its file changed under us. */
	snprintf(path, sizeof(path), "%s/vnet0", netdir);
	sh("printf '77\\n' > %s/ifindex", path);
	kt_ifattr_cycle(c, 2 * SEC);
	KT_EQ_U64(ifindex_of(c, "vnet0"), 10,
		  "the same interface next cycle: kept, not read again");
	KT_EQ_U64(kt_ifattr_reads(c), 4, "no read");

	kt_ifattr_cycle(c, 2 * SEC + KT_IFATTR_MAX_AGE_NS);
	KT_EQ_U64(ifindex_of(c, "vnet0"), 77,
		  "a minute later: read again (a link's speed may change)");
	KT_EQ_U64(kt_ifattr_reads(c), 5, "one read");
}

static void check_recreated(struct kt_ifattr_cache *c)
{
	char old[256], tmp[256];

	/* Created again: a new node (made before the old one goes). */
	snprintf(old, sizeof(old), "%s/vnet0", netdir);
	snprintf(tmp, sizeof(tmp), "%s/vnet0.new", netdir);
	make_if("vnet0.new", "31", "10", "tun_flags");
	sh("rm -rf %s && mv %s %s", old, tmp, old);
	kt_ifattr_cycle(c, 3 * SEC + KT_IFATTR_MAX_AGE_NS);
	KT_EQ_U64(ifindex_of(c, "vnet0"), 31,
		  "an interface created again under its name: read again");

	sh("rm -rf %s", old);
	kt_ifattr_cycle(c, 4 * SEC + KT_IFATTR_MAX_AGE_NS);
	KT_CHECK(kt_ifattr_get(c, "vnet0") == NULL, "a vanished interface");
	make_if("vnet0", "32", "10", "tun_flags");
	KT_EQ_U64(ifindex_of(c, "vnet0"), 32, "... back in the same cycle");
}

static void check_forgotten(struct kt_ifattr_cache *c)
{
	unsigned long reads;

	kt_ifattr_cycle(c, 5 * SEC + KT_IFATTR_MAX_AGE_NS);
	KT_EQ_U64(ifindex_of(c, "eth0"), 2, "eth0 asked for");
	reads = kt_ifattr_reads(c);
	kt_ifattr_cycle(c, 6 * SEC + KT_IFATTR_MAX_AGE_NS); /* not asked */
	kt_ifattr_cycle(c, 7 * SEC + KT_IFATTR_MAX_AGE_NS);
	KT_EQ_U64(ifindex_of(c, "eth0"), 2, "eth0 asked for again");
	KT_EQ_U64(kt_ifattr_reads(c), reads + 1,
		  "an interface nobody asked about for a cycle is forgotten");
}

/* Many interfaces: the table grows and finds each. */
static void check_many(struct kt_ifattr_cache *c)
{
	char name[32], idx[16];
	int i, found = 0;

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		snprintf(idx, sizeof(idx), "%d", 1000 + i);
		make_if(name, idx, "10", "tun_flags");
	}
	kt_ifattr_cycle(c, 8 * SEC + KT_IFATTR_MAX_AGE_NS);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		found += ifindex_of(c, name) == (uint32_t)(1000 + i);
	}
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		found += ifindex_of(c, name) == (uint32_t)(1000 + i);
	}
	KT_EQ_INT(found, 600, "300 interfaces, each found twice");
}

int main(void)
{
	struct kt_ifattr_cache *c;
	int fd;

	snprintf(sysroot, sizeof(sysroot), "/tmp/kt-ifattr-%d", (int)getpid());
	snprintf(netdir, sizeof(netdir), "%s/class/net", sysroot);
	sh("rm -rf %s && mkdir -p %s", sysroot, netdir);
	make_if("eth0", "2", "10000", "device");
	make_if("br0", "3", "-1", "bridge");
	make_if("vnet0", "10", "10", "tun_flags");
	make_if("bad0", "4", "10", NULL);
	sh("printf 4 > %s/bad0/ifindex", netdir);
	fd = open(sysroot, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || kt_ifattr_cache_new(fd, &c) != 0) {
		KT_CHECK(0, "set-up");
		return kt_test_done();
	}
	check_attributes(c);
	check_kept(c);
	check_recreated(c);
	check_forgotten(c);
	check_many(c);
	kt_ifattr_cache_free(c);
	close(fd);
	sh("rm -rf %s", sysroot);
	return kt_test_done();
}
