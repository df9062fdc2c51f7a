/*
 * Strings as the agent serves and prints them (subagent/clip.c): at most
 * 255 octets, cut on a UTF-8 character boundary, a control or
 * bidirectional formatting character or a byte that is not UTF-8 shown as
 * one '?'.  Checked on clip.c itself, on hostile names served through the
 * SNMP tables (kvmtopVmName, kvmtopVmBlkSource, kvmtopAgentLibvirtUri,
 * kvmtopHostName) and on the text printer.  Every expected string is
 * written out by hand.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clip.h"
#include "kt_oid_test.h"
#include "kt_test.h"
#include "mib/tables.h"
#include "collectors.h"
#include "print/print.h"
#include "snapshot.h"

#define R "1.3.6.1.4.1.8072.9999.9999"
#define E_ACUTE "\xc3\xa9"	/* é: 2 octets */
#define EURO "\xe2\x82\xac"	/* €: 3 octets */
#define RLO "\xe2\x80\xae"	/* U+202E RIGHT-TO-LEFT OVERRIDE */
#define GRIN "\xf0\x9f\x98\x80" /* U+1F600: 4 octets */

/* @n copies of @c, NUL-terminated, in @buf. */
static char *fill(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void check_clip(const char *in, enum kt_clip_alphabet a,
		       const char *want, size_t want_len, const char *what)
{
	char buf[KT_CLIP_MAX + 1];
	const char *out;
	size_t len = kt_clip(in, a, buf, &out);

	if (!KT_CHECK(len == want_len && memcmp(out, want, len) == 0, what))
		printf("#   got %zu octets \"%.*s\"\n", len, (int)len, out);
}

/* A 300-octet name: 254 'a', é across octets 255 and 256, 44 'b'. */
static char long_name[301], long_want[256];

static void make_long_name(void)
{
	fill(long_name, 'a', 254);
	strcat(long_name, E_ACUTE);
	fill(long_name + 256, 'b', 44);
	fill(long_want, 'a', 254);
}

static void test_clip(void)
{
	char in[400], want[400];

	check_clip("vm-" E_ACUTE "t" E_ACUTE, KT_CLIP_UTF8,
		   "vm-" E_ACUTE "t" E_ACUTE, 8, "UTF-8 passes as it is");
	check_clip(NULL, KT_CLIP_UTF8, "", 0, "NULL is empty");
	check_clip("a\tb\rc\nd", KT_CLIP_UTF8, "a?b?c?d", 7,
		   "TAB, CR and LF are '?'");
	check_clip("x" RLO "gpj.exe", KT_CLIP_UTF8, "x?gpj.exe", 9,
		   "a right-to-left override is one '?'");
	check_clip("a\xc2\x85z\x7f", KT_CLIP_UTF8, "a?z?", 4,
		   "C1 control U+0085 and DEL are '?'");
	check_clip("a\xff\xc3z", KT_CLIP_UTF8, "a??z", 4,
		   "each byte that is not UTF-8 is one '?'");
	check_clip("\xe0\x80\x80", KT_CLIP_UTF8, "???", 3,
		   "an overlong form is not UTF-8");
	check_clip("\xed\xa0\x80", KT_CLIP_UTF8, "???", 3,
		   "a surrogate is not UTF-8");
	check_clip(GRIN, KT_CLIP_UTF8, GRIN, 4, "a 4-octet character passes");
	check_clip(long_name, KT_CLIP_UTF8, long_want, 254,
		   "300 octets: cut before the 2-octet character that "
		   "would end at octet 256");
	fill(in, 'a', 253);
	strcat(in, EURO "zz");
	fill(want, 'a', 253);
	check_clip(in, KT_CLIP_UTF8, want, 253,
		   "cut before a 3-octet character across octet 255");
	fill(in, 'a', 252);
	strcat(in, EURO "zz");
	fill(want, 'a', 252);
	strcat(want, EURO);
	check_clip(in, KT_CLIP_UTF8, want, 255,
		   "a 3-octet character that ends at octet 255 stays");
	fill(in, 'a', 254);
	strcat(in, "\t\t");
	fill(want, 'a', 254);
	strcat(want, "?");
	check_clip(in, KT_CLIP_UTF8, want, 255,
		   "a replacement counts one octet against the limit");
	check_clip("caf" E_ACUTE "\t", KT_CLIP_ASCII, "caf???", 6,
		   "DisplayString: every octet beyond printable ASCII is '?'");
}

/* A snapshot of one VM with hostile strings, and a host name. */
static struct kt_snapshot *hostile_snapshot(const char *name,
					    const char *source)
{
	struct kt_snapshot *s = kt_test_alloc_ok(kt_snapshot_new(1));
	struct kt_vm *vm = &s->vms[0];

	s->seq = 1;
	vm->index = 7;
	vm->state = KT_VM_RUNNING;
	snprintf(vm->uuid, sizeof(vm->uuid),
		 "6f1c3a52-8d2e-4b7a-9c1e-000000000007");
	vm->name = xstrdup(name);
	vm->n_blks = 1;
	vm->blks = xcalloc(1, sizeof(*vm->blks));
	vm->blks[0].index = 1;
	vm->blks[0].target = xshared("vda");
	vm->blks[0].source = xshared(source);
	s->host.valid = true;
	snprintf(s->host.hostname, sizeof(s->host.hostname), "h\x1b[2Jost");
	kt_snapshot_sort(s);
	kt_snapshot_number_devices(s);
	return s;
}

static void check_served(const struct kt_mib_ctx *ctx, const char *o,
			 const char *want, size_t want_len, const char *what)
{
	oid name[MAX_OID_LEN];
	size_t len = parse_oid(o, name);
	struct kt_value v;
	bool got = kt_mib_get(ctx, name, len, &v);

	if (!KT_CHECK(got && v.type == ASN_OCTET_STR && v.len == want_len &&
			      memcmp(v.str, want, want_len) == 0,
		      what) &&
	    got)
		printf("#   got %zu octets \"%.*s\"\n", v.len, (int)v.len,
		       v.str);
}

static void test_served(void)
{
	char name[400], source[400], uri[400], want[400];
	struct kt_mib_ctx ctx = { NULL, "1.0", uri, 2000, 0 };

	/* 250 'n', TAB, CR, LF, RLO, 'x', 3 + 44 octets more: 300. */
	fill(name, 'n', 250);
	strcat(name, "\t\r\n" RLO "x");
	strcat(name, E_ACUTE "y");
	fill(name + strlen(name), 'z', 300 - strlen(name));
	fill(want, 'n', 250);
	strcat(want, "????x");
	/* "/" and 253 'p', then é across octets 255 and 256, then 45 'q' */
	source[0] = '/';
	fill(source + 1, 'p', 253);
	strcat(source, E_ACUTE);
	fill(source + 256, 'q', 45);
	fill(uri, 'u', 300);
	ctx.snap = hostile_snapshot(name, source);

	check_served(&ctx, R ".1.2.1.3.7", want, 255,
		     "kvmtopVmName: 300 octets with TAB CR LF RLO -> 255, "
		     "each control or override one '?'");
	KT_CHECK(strlen(name) == 300, "(the name is 300 octets)");
	memcpy(want, source, 254);
	check_served(&ctx, R ".1.9.1.3.7.1", want, 254,
		     "kvmtopVmBlkSource: cut before the character across "
		     "octet 255");
	check_served(&ctx, R ".1.1.7.0", uri, 255,
		     "kvmtopAgentLibvirtUri: 300 octets -> 255");
	check_served(&ctx, R ".1.11.1.0", "h?[2Jost", 8,
		     "kvmtopHostName: an escape is '?'");
	kt_snapshot_unref(ctx.snap);
}

static void test_text(void)
{
	char name[400], want[400], *buf = NULL;
	struct kt_snapshot *s;
	size_t len = 0;
	FILE *f;

	fill(name, 'n', 250);
	strcat(name, "\t\r\n" RLO "x" E_ACUTE);
	fill(name + strlen(name), 'z', 300 - strlen(name));
	s = hostile_snapshot(name, "/img");
	f = open_memstream(&buf, &len);
	KT_EQ_INT(kt_print_text(f, s, KT_COLLECT_MEM), 0, "text printed");
	fclose(f);
	fill(want, 'n', 250);
	strcat(want, "????x\trunning\t");
	KT_CHECK(buf != NULL && strstr(buf, want) != NULL &&
			 strstr(buf, "\r") == NULL && strstr(buf, RLO) == NULL,
		 "text: the name cut at 255 octets, controls and the "
		 "override as '?', nothing that breaks the line");
	free(buf);
	kt_snapshot_unref(s);
}

int main(void)
{
	make_long_name();
	test_clip();
	test_served();
	test_text();
	return kt_test_done();
}
