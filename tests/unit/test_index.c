/*
 * Unit tests for subagent/index.c: assigning indexes, saving and loading
 * the state file, never reusing an index, surviving a damaged or
 * unreadable file and keeping it aside, and failing to save without
 * losing the map; how much memory a host's worth of keys takes; the day
 * counter (the clock injected) and forgetting keys not seen for a while.  Works in
 * a fresh directory under /tmp, removed at the end.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"
#include "kt_test.h"

#define UUID_A "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e01"
#define UUID_B "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e02"
#define UUID_C "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e03"
#define UUID_D "6f1c3a52-8d2e-4b7a-9c1e-0a1b2c3d4e04"

static char dir[64];

/* @name inside the test directory, in @buf. */
static const char *in_dir(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

static int write_bytes(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (f == NULL)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int write_text(const char *path, const char *text)
{
	return write_bytes(path, text, strlen(text));
}

/* The whole file as a string (malloc'd), its length in *@lenp, or NULL. */
static char *slurp_len(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	int c;

	*lenp = 0;
	if (f == NULL)
		return NULL;
	buf = malloc(1 << 20);
	while (buf != NULL && len < (1 << 20) - 1 && (c = fgetc(f)) != EOF)
		buf[len++] = (char)c;
	if (buf != NULL)
		buf[len] = '\0';
	fclose(f);
	*lenp = len;
	return buf;
}

static char *slurp(const char *path)
{
	size_t len;

	return slurp_len(path, &len);
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* How many entries of directory @d start with @prefix. */
static int count_prefixed(const char *d, const char *prefix)
{
	struct dirent *de;
	DIR *dh = opendir(d);
	int n = 0;

	if (dh == NULL)
		return -1;
	while ((de = readdir(dh)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(dh);
	return n;
}

static void test_assign(void)
{
	struct kt_index_map *m = NULL;
	char path[128], key[300];
	char *text;

	in_dir(path, sizeof(path), "assign");
	KT_EQ_INT(kt_index_open(path, &m), 0, "open a missing file");
	if (!KT_CHECK(m != NULL, "missing file gives a map"))
		return;
	KT_EQ_U64(kt_index_count(m), 0, "empty map");
	KT_CHECK(!kt_index_dirty(m), "a fresh map is clean");
	KT_EQ_U64(kt_index_get(m, UUID_A), 1, "first key gets 1");
	KT_EQ_U64(kt_index_get(m, UUID_B), 2, "second key gets 2");
	KT_EQ_U64(kt_index_get(m, UUID_C "/vda"), 3, "third key gets 3");
	KT_EQ_U64(kt_index_get(m, UUID_A), 1, "same key, same index");
	KT_EQ_U64(kt_index_peek(m, UUID_B), 2, "peek finds a key");
	KT_EQ_U64(kt_index_peek(m, UUID_D), 0, "peek misses a new key");
	KT_EQ_U64(kt_index_count(m), 3, "peek assigns nothing");
	KT_CHECK(kt_index_dirty(m), "assigning makes the map dirty");

	KT_EQ_U64(kt_index_get(m, ""), 0, "empty key refused");
	KT_EQ_U64(kt_index_get(m, NULL), 0, "NULL key refused");
	KT_EQ_U64(kt_index_get(m, "two words"), 0, "key with a space refused");
	KT_EQ_U64(kt_index_get(m, "tab\there"), 0, "key with a tab refused");
	KT_EQ_U64(kt_index_get(m, "line\n"), 0, "key with a newline refused");
	KT_EQ_U64(kt_index_get(m, "caf\xc3\xa9"), 0, "non-ASCII key refused");
	memset(key, 'k', 256);
	key[256] = '\0';
	KT_EQ_U64(kt_index_get(m, key), 0, "256-byte key refused");
	key[255] = '\0';
	KT_EQ_U64(kt_index_get(m, key), 4, "255-byte key accepted, gets 4");
	KT_EQ_U64(kt_index_count(m), 4, "refused keys are not counted");

	KT_EQ_INT(kt_index_save(m), 0, "save");
	KT_CHECK(!kt_index_dirty(m), "clean after save");
	KT_CHECK(count_prefixed(dir, "assign.tmp") == 0,
		 "no temporary file left behind");
	text = slurp(path);
	/* Written by hand from the format in index.h. */
	{
		char want[1024];

		/* Never given the time: no day line, D is 0. */
		snprintf(want, sizeof(want),
			 "# kvmtop-snmp index map v2\n"
			 "next 5\n"
			 "1 " UUID_A " 0\n"
			 "2 " UUID_B " 0\n"
			 "3 " UUID_C "/vda 0\n"
			 "4 %s 0\n",
			 key);
		KT_EQ_STR(text, want, "file holds header, next and all keys");
	}
	free(text);
	KT_EQ_INT(kt_index_save(m), 0, "saving a clean map is a no-op");
	kt_index_close(m);

	KT_EQ_INT(kt_index_open(path, &m), 0, "reopen");
	if (!KT_CHECK(m != NULL, "reopened map"))
		return;
	KT_EQ_U64(kt_index_count(m), 4, "reopened map has 4 keys");
	KT_EQ_U64(kt_index_skipped(m), 0, "nothing skipped");
	KT_CHECK(!kt_index_dirty(m), "a loaded map is clean");
	KT_EQ_U64(kt_index_peek(m, UUID_A), 1, "A kept 1");
	KT_EQ_U64(kt_index_peek(m, UUID_B), 2, "B kept 2");
	KT_EQ_U64(kt_index_peek(m, UUID_C "/vda"), 3, "C/vda kept 3");
	KT_EQ_U64(kt_index_get(m, key), 4, "long key kept 4");
	KT_CHECK(!kt_index_dirty(m), "getting known keys keeps it clean");
	KT_EQ_U64(kt_index_get(m, UUID_D), 5, "a new key after reopen gets 5");
	kt_index_close(m);
	kt_index_close(NULL);
}

/* Opens @text written to @name; the caller closes. */
static struct kt_index_map *open_text(const char *name, const char *text,
				      size_t len)
{
	struct kt_index_map *m = NULL;
	char path[128];

	in_dir(path, sizeof(path), name);
	if (write_bytes(path, text, len) != 0)
		return NULL;
	if (kt_index_open(path, &m) != 0)
		return NULL;
	return m;
}

#define OPEN_TEXT(name, text) open_text((name), (text), sizeof(text) - 1)

static void test_next(void)
{
	struct kt_index_map *m;

	/* Keys with 3, 4 and 5 were removed; "next 6" keeps them retired. */
	m = OPEN_TEXT("removed", "# kvmtop-snmp index map v1\nnext 6\n"
				 "1 " UUID_A "\n2 " UUID_B "\n");
	if (KT_CHECK(m != NULL, "open a file with removed keys")) {
		KT_EQ_U64(kt_index_count(m), 2, "two keys loaded");
		KT_EQ_U64(kt_index_get(m, UUID_C), 6,
			  "removed keys' indexes not reused: new key gets 6");
	}
	kt_index_close(m);

	m = OPEN_TEXT("nonext", "# kvmtop-snmp index map v1\n"
				"1 " UUID_A "\n5 " UUID_B "\n");
	if (KT_CHECK(m != NULL, "open a file without a next line")) {
		KT_EQ_U64(kt_index_skipped(m), 0, "missing next is no error");
		KT_EQ_U64(kt_index_get(m, UUID_C), 6, "next is max + 1 = 6");
	}
	kt_index_close(m);

	/* A "next" below the highest index cannot win. */
	m = OPEN_TEXT("lownext", "next 2\n1 " UUID_A "\n7 " UUID_B "\n");
	if (KT_CHECK(m != NULL, "open a file with a stale next")) {
		KT_EQ_U64(kt_index_get(m, UUID_C), 8, "next is max + 1 = 8");
	}
	kt_index_close(m);

	/* Every index up to UINT32_MAX handed out. */
	m = OPEN_TEXT("full", "next 4294967296\n1 " UUID_A "\n");
	if (KT_CHECK(m != NULL, "open an exhausted map")) {
		KT_EQ_U64(kt_index_get(m, UUID_B), 0, "no index left: 0");
		KT_EQ_U64(kt_index_get(m, UUID_A), 1, "known keys still work");
		KT_CHECK(!kt_index_dirty(m), "a failed get changes nothing");
	}
	kt_index_close(m);

	m = OPEN_TEXT("top", "4294967295 " UUID_A "\n");
	if (KT_CHECK(m != NULL, "open a map holding UINT32_MAX")) {
		KT_EQ_U64(kt_index_peek(m, UUID_A), 4294967295ULL,
			  "UINT32_MAX is a valid index");
		KT_EQ_U64(kt_index_get(m, UUID_B), 0, "nothing after it");
	}
	kt_index_close(m);
}

/*
 * Duplicates: the first line wins.  An index named by any earlier line
 * (even a skipped one) is never given to a later line's key; a key that
 * already has an index keeps it.
 */
static const char corrupt[] =
	"# kvmtop-snmp index map v1\n"
	"next 10\n"
	"1 " UUID_A "\n"
	"garbage line here\n" /* skipped 1 */
	"2 " UUID_B "\n"
	"x3 key-x\n"	      /* 2: not a number */
	"0 key-zero\n"	      /* 3: index 0 */
	"3 key-three extra\n" /* 4: two tokens; 3 stays used */
	"4 " UUID_A "\n"      /* 5: A already has 1 */
	"2 key-dup-index\n"   /* 6: 2 is B's */
	"5 key-five\n"
	"99999999999 key-big\n" /* 7: 11 digits */
	"4294967296 key-2e32\n" /* 8: above UINT32_MAX */
	"next abc\n"		/* 9 */
	"\n"			/* empty: ignored */
	"# a comment\n"		/* ignored */
	"3 key-three-again\n"	/* 10: 3 named by line 4's */
	"6 key-cr\r\n"		/* 11: CR is not a key byte */
	"8 key\0nul\n"		/* 12: NUL inside */
	" 9 key-lead\n"		/* 13: leading blank */
	"7\tkey-tab  \n"	/* a tab and trailing blanks: fine */
	"9 key-torn";		/* 14: no newline: torn write */

static void test_corrupt(void)
{
	struct kt_index_map *m = OPEN_TEXT("corrupt", corrupt);
	char path[128];
	char *text;
	size_t len;

	in_dir(path, sizeof(path), "corrupt");

	if (!KT_CHECK(m != NULL, "open a corrupt file"))
		return;
	KT_EQ_U64(kt_index_count(m), 4, "four good lines kept");
	KT_EQ_U64(kt_index_skipped(m), 14, "fourteen bad lines skipped");
	KT_EQ_U64(kt_index_peek(m, UUID_A), 1, "A: first line wins");
	KT_EQ_U64(kt_index_peek(m, UUID_B), 2, "B kept 2");
	KT_EQ_U64(kt_index_peek(m, "key-five"), 5, "key-five kept 5");
	KT_EQ_U64(kt_index_peek(m, "key-tab"), 7, "tab-separated line kept");
	KT_EQ_U64(kt_index_peek(m, "key-dup-index"), 0,
		  "a key claiming another's index is dropped");
	KT_EQ_U64(kt_index_peek(m, "key-three-again"), 0,
		  "an index named by a bad line is not given away");
	KT_EQ_U64(kt_index_peek(m, "key-torn"), 0, "torn last line dropped");
	KT_CHECK(!kt_index_dirty(m), "loading a damaged file marks nothing");
	KT_EQ_INT(kt_index_save(m), 0, "save a clean map");
	text = slurp_len(path, &len);
	KT_CHECK(text != NULL && len == sizeof(corrupt) - 1 &&
			 memcmp(text, corrupt, len) == 0,
		 "saving a clean map leaves the file as it was");
	free(text);
	KT_EQ_U64(kt_index_get(m, "key-dup-index"), 10,
		  "a dropped key gets a fresh index: next 10");
	kt_index_close(m);

	/* A torn or malformed line's index stays used: next goes above it. */
	m = OPEN_TEXT("torn", "next 2\n1 " UUID_A "\n5 6f1c3a52-8d2e-4b7a");
	if (KT_CHECK(m != NULL, "open a file with a torn last line")) {
		KT_EQ_U64(kt_index_count(m), 1, "one key");
		KT_EQ_U64(kt_index_skipped(m), 1, "one skipped");
		KT_EQ_U64(kt_index_get(m, UUID_B), 6,
			  "torn line's index 5 not reused: 6");
	}
	kt_index_close(m);
	m = OPEN_TEXT("badkey", "1 " UUID_A "\n12 bad key\n");
	if (KT_CHECK(m != NULL, "open a file with a malformed line")) {
		KT_EQ_U64(kt_index_get(m, UUID_B), 13,
			  "malformed line's index 12 not reused: 13");
	}
	kt_index_close(m);
	m = OPEN_TEXT("empty", "");
	if (KT_CHECK(m != NULL, "open an empty file")) {
		KT_EQ_U64(kt_index_count(m), 0, "empty file, empty map");
		KT_EQ_U64(kt_index_get(m, UUID_A), 1, "empty file starts at 1");
	}
	kt_index_close(m);
}

static void test_open_errors(void)
{
	struct kt_index_map *m = (struct kt_index_map *)&m;

	KT_EQ_INT(kt_index_open(NULL, &m), -EINVAL, "NULL path refused");
	KT_CHECK(m == NULL, "out reset on failure");
	KT_EQ_INT(kt_index_open("", &m), -EINVAL, "empty path refused");
}

/* Opens @path, which must give a map; NULL (and a failed check) if not. */
static struct kt_index_map *open_path(const char *path)
{
	struct kt_index_map *m = NULL;

	if (!KT_CHECK(kt_index_open(path, &m) == 0 && m != NULL,
		      "a damaged or unreadable file still gives a map"))
		return NULL;
	return m;
}

static int same_file(const char *a, const char *want, size_t len)
{
	size_t got_len;
	char *got = slurp_len(a, &got_len);
	int same = got != NULL && got_len == len && memcmp(got, want, len) == 0;

	free(got);
	return same;
}

/* A sound file and a missing one are no damage; nothing is kept. */
static void test_sound(void)
{
	const struct kt_index_load *l;
	struct kt_index_map *m;
	const char *kept = "x";
	char path[128];

	m = OPEN_TEXT("sound", "# kvmtop-snmp index map v1\nnext 3\n"
			       "1 " UUID_A "\n");
	if (!KT_CHECK(m != NULL, "open a sound file"))
		return;
	l = kt_index_load_report(m);
	KT_CHECK(!kt_index_damaged(m), "a sound file is not damaged");
	KT_CHECK(!l->missing && l->read_errno == 0 && !l->no_header,
		 "nothing wrong reported");
	KT_EQ_U64(l->lines, 3, "three lines read");
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), 0, "keep: nothing to do");
	KT_CHECK(kept == NULL, "nothing kept");
	KT_CHECK(!exists(in_dir(path, sizeof(path), "sound.bad")),
		 "no copy of a sound file");
	KT_CHECK(!kt_index_dirty(m), "still clean");
	kt_index_close(m);

	m = open_path(in_dir(path, sizeof(path), "nothing-here"));
	if (m == NULL)
		return;
	KT_CHECK(kt_index_load_report(m)->missing,
		 "a missing file is reported");
	KT_CHECK(!kt_index_damaged(m), "a missing file is not damage");
	KT_EQ_U64(kt_index_next(m), 1, "indexes start at 1");
	KT_EQ_STR(kt_index_path(m), path, "the path is the one given");
	kt_index_close(m);
}

/*
 * A damaged file is kept as PATH.bad before a save replaces it, byte for
 * byte, and the save writes a sound file that loads back the same.
 */
static void test_keep_corrupt(void)
{
	struct kt_index_map *m = OPEN_TEXT("kc", corrupt), *m2 = NULL;
	char path[128], bad[128];
	const char *kept;

	in_dir(path, sizeof(path), "kc");
	in_dir(bad, sizeof(bad), "kc.bad");
	if (!KT_CHECK(m != NULL, "open the corrupt file"))
		return;
	KT_CHECK(kt_index_damaged(m), "skipped lines make it damaged");
	KT_CHECK(!kt_index_load_report(m)->no_header, "it has its header");
	KT_EQ_U64(kt_index_load_report(m)->lines, 22, "22 lines read");
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), 0, "keep it");
	KT_EQ_STR(kept, bad, "kept as PATH.bad");
	KT_CHECK(same_file(bad, corrupt, sizeof(corrupt) - 1),
		 "the copy has the damaged bytes");
	KT_CHECK(same_file(path, corrupt, sizeof(corrupt) - 1),
		 "a hard link: the file is still in place");
	KT_CHECK(kt_index_dirty(m), "keeping marks the map for a rewrite");
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), 0, "keep again: no-op");
	KT_CHECK(kept == NULL, "nothing kept the second time");
	KT_EQ_INT(kt_index_save(m), 0, "save over it");
	KT_CHECK(same_file(bad, corrupt, sizeof(corrupt) - 1),
		 "the copy survives the save");
	kt_index_close(m);

	m2 = open_path(path);
	if (m2 == NULL)
		return;
	KT_CHECK(!kt_index_damaged(m2), "the rewritten file is sound");
	KT_EQ_U64(kt_index_count(m2), 4, "with the four good keys");
	KT_EQ_U64(kt_index_peek(m2, UUID_A), 1, "A kept 1");
	KT_EQ_U64(kt_index_peek(m2, "key-tab"), 7, "key-tab kept 7");
	KT_EQ_U64(kt_index_next(m2), 10, "and the damaged file's next, 10");
	kt_index_close(m2);
}

/* An earlier kept file is never replaced; ten names, then -EEXIST. */
static void test_keep_names(void)
{
	static const char older[] = "older damaged file\n";
	struct kt_index_map *m;
	char path[128], bad[140];
	const char *kept;
	int i;

	in_dir(path, sizeof(path), "names.bad");
	write_text(path, older);
	m = OPEN_TEXT("names", "garbage\n");
	if (!KT_CHECK(m != NULL, "open a garbage file"))
		return;
	KT_CHECK(kt_index_load_report(m)->no_header, "no header reported");
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), 0, "keep it");
	KT_EQ_STR(kept, in_dir(bad, sizeof(bad), "names.bad.1"),
		  "PATH.bad taken: kept as PATH.bad.1");
	KT_CHECK(same_file(path, older, sizeof(older) - 1),
		 "the older PATH.bad is untouched");
	kt_index_close(m);

	for (i = 2; i <= 9; i++) {
		snprintf(bad, sizeof(bad), "%s/names.bad.%d", dir, i);
		write_text(bad, older);
	}
	m = OPEN_TEXT("names", "");
	if (!KT_CHECK(m != NULL, "open an empty file"))
		return;
	KT_CHECK(kt_index_damaged(m), "an empty file is damaged");
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), -EEXIST,
		  "all ten names taken: -EEXIST");
	KT_CHECK(kept == NULL, "nothing kept");
	KT_CHECK(!kt_index_dirty(m), "not marked for a rewrite");
	snprintf(bad, sizeof(bad), "%s/names.bad.5", dir);
	unlink(bad);
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), 0, "a name freed: kept");
	KT_EQ_STR(kept, bad, "as the free PATH.bad.5");
	kt_index_close(m);
}

/*
 * A file that cannot be read: an empty map, no save over it until it was
 * kept (renamed when it cannot be linked), then saves work.
 */
static void test_unreadable(void)
{
	struct kt_index_map *m;
	char path[128], inner[160], bad[140];
	const char *kept;

	/* A directory where the file should be. */
	in_dir(path, sizeof(path), "adir");
	mkdir(path, 0755);
	snprintf(inner, sizeof(inner), "%s/inside", path);
	write_text(inner, "x\n");
	if ((m = open_path(path)) == NULL)
		return;
	KT_EQ_INT(kt_index_load_report(m)->read_errno, EISDIR,
		  "EISDIR reported");
	KT_CHECK(kt_index_damaged(m), "unreadable is damaged");
	KT_EQ_U64(kt_index_count(m), 0, "an empty map");
	KT_EQ_U64(kt_index_get(m, UUID_A), 1, "which assigns from 1");
	KT_EQ_INT(kt_index_save(m), -EEXIST, "no save before it is kept");
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), 0, "keep it");
	KT_EQ_STR(kept, in_dir(bad, sizeof(bad), "adir.bad"),
		  "a directory cannot be linked: renamed to PATH.bad");
	snprintf(inner, sizeof(inner), "%s/inside", bad);
	KT_CHECK(exists(inner), "with what it held");
	KT_EQ_INT(kt_index_save(m), 0, "then the map saves");
	kt_index_close(m);
	if ((m = open_path(path)) != NULL) {
		KT_CHECK(!kt_index_damaged(m), "into a sound file");
		KT_EQ_U64(kt_index_peek(m, UUID_A), 1, "A kept 1");
	}
	kt_index_close(m);

	/* A path through a regular file: ENOTDIR, not "missing". */
	in_dir(path, sizeof(path), "afile");
	write_text(path, "x\n");
	in_dir(path, sizeof(path), "afile/map");
	if ((m = open_path(path)) == NULL)
		return;
	KT_EQ_INT(kt_index_load_report(m)->read_errno, ENOTDIR,
		  "ENOTDIR reported");
	kt_index_get(m, UUID_A);
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), -ENOTDIR,
		  "it cannot be kept: -ENOTDIR");
	KT_EQ_INT(kt_index_save(m), -EEXIST, "and is not saved over");
	KT_CHECK(kt_index_dirty(m), "the map stays dirty for a retry");
	kt_index_close(m);
}

/* Permissions; root is not stopped by them. */
static void test_unreadable_mode(void)
{
	static const char text[] = "# kvmtop-snmp index map v1\nnext 50\n"
				   "1 " UUID_A "\n";
	struct kt_index_map *m;
	char path[128], bad[140];
	const char *kept;

	if (geteuid() == 0) {
		kt_test_report(1, __FILE__, __LINE__,
			       "mode 0000 file # SKIP root ignores modes");
		return;
	}
	in_dir(path, sizeof(path), "mode0");
	write_text(path, text);
	chmod(path, 0);
	if ((m = open_path(path)) == NULL)
		return;
	KT_EQ_INT(kt_index_load_report(m)->read_errno, EACCES,
		  "EACCES reported");
	KT_EQ_U64(kt_index_get(m, UUID_B), 1, "an empty map, from 1");
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), 0, "keep it");
	KT_EQ_STR(kept, in_dir(bad, sizeof(bad), "mode0.bad"), "as PATH.bad");
	KT_EQ_INT(kt_index_save(m), 0, "save");
	chmod(bad, 0600);
	KT_CHECK(same_file(bad, text, sizeof(text) - 1),
		 "the kept file holds the unread text");
	kt_index_close(m);
}

/*
 * Saves that fail at each step leave the map dirty and usable, leave no
 * temporary file, and a later save succeeds.
 */
static void test_save_errors(void)
{
	struct kt_index_map *m = NULL;
	char sub[128], path[128], inner[160];
	char *text;

	in_dir(sub, sizeof(sub), "sub");
	in_dir(path, sizeof(path), "sub/map");
	mkdir(sub, 0755);
	if (!KT_CHECK(kt_index_open(path, &m) == 0 && m != NULL,
		      "open in a subdirectory"))
		return;
	kt_index_get(m, UUID_A);
	KT_EQ_INT(kt_index_save(m), 0, "first save");

	/* 1: the directory is gone. */
	KT_EQ_U64(kt_index_get(m, UUID_B), 2, "B gets 2");
	unlink(path);
	rmdir(sub);
	KT_EQ_INT(kt_index_save(m), -ENOENT, "save into a missing directory");
	KT_CHECK(kt_index_dirty(m), "still dirty after a failed save");
	KT_EQ_U64(kt_index_get(m, UUID_A), 1, "map still answers");
	KT_EQ_U64(kt_index_get(m, UUID_C), 3, "map still assigns");

	/*
	 * 2: the temporary file cannot be created: no file descriptor is
	 * left after the directory's (the lowest free one is the next).
	 */
	mkdir(sub, 0755);
	{
		struct rlimit old, low;
		int next = dup(0);

		close(next);
		getrlimit(RLIMIT_NOFILE, &old);
		low = old;
		low.rlim_cur = (rlim_t)next + 1;
		setrlimit(RLIMIT_NOFILE, &low);
		KT_EQ_INT(kt_index_save(m), -EMFILE,
			  "save fails when the temporary cannot be created");
		setrlimit(RLIMIT_NOFILE, &old);
	}
	KT_CHECK(!exists(path), "no file written");
	KT_CHECK(kt_index_dirty(m), "still dirty");

	/* 3: the rename fails (a non-empty directory holds the name). */
	mkdir(path, 0755);
	snprintf(inner, sizeof(inner), "%s/x", path);
	write_text(inner, "x");
	KT_CHECK(kt_index_save(m) < 0, "save fails when the rename fails");
	KT_EQ_INT(count_prefixed(sub, "map.tmp"), 0,
		  "temporary removed after a failed rename");
	KT_CHECK(kt_index_dirty(m), "still dirty");
	unlink(inner);
	rmdir(path);

	/* 4: permissions; root is not stopped by them. */
	if (geteuid() != 0) {
		chmod(sub, 0555);
		KT_CHECK(kt_index_save(m) < 0,
			 "save into a read-only directory");
		KT_CHECK(kt_index_dirty(m), "still dirty");
		chmod(sub, 0755);
	} else {
		kt_test_report(1, __FILE__, __LINE__,
			       "read-only directory # SKIP root ignores modes");
	}

	/* Once the directory is usable again the same map saves. */
	KT_EQ_INT(kt_index_save(m), 0, "a later save succeeds");
	KT_CHECK(!kt_index_dirty(m), "clean after it");
	KT_EQ_INT(count_prefixed(sub, "map.tmp"), 0, "no temporary left behind");
	text = slurp(path);
	KT_EQ_STR(text,
		  "# kvmtop-snmp index map v2\nnext 4\n1 " UUID_A " 0\n2 " UUID_B
		  " 0\n3 " UUID_C " 0\n",
		  "the retried save wrote every key");
	free(text);
	kt_index_close(m);
}

static void test_many(void)
{
	enum { N = 10000 };
	struct kt_index_map *m = NULL;
	char path[128], key[64];
	int i, ok = 1;

	in_dir(path, sizeof(path), "many");
	if (!KT_CHECK(kt_index_open(path, &m) == 0, "open for 10000 keys"))
		return;
	for (i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "vm-%05d/vnet%d", i, i % 7);
		if (kt_index_get(m, key) != (uint32_t)i + 1)
			ok = 0;
	}
	KT_CHECK(ok, "10000 keys get 1..10000 in order");
	KT_EQ_INT(kt_index_save(m), 0, "save 10000 keys");
	kt_index_close(m);
	m = NULL;
	if (!KT_CHECK(kt_index_open(path, &m) == 0 && m != NULL,
		      "reopen 10000 keys"))
		return;
	KT_EQ_U64(kt_index_count(m), N, "10000 keys loaded");
	KT_EQ_U64(kt_index_skipped(m), 0, "none skipped");
	for (i = N - 1; i >= 0; i--) {
		snprintf(key, sizeof(key), "vm-%05d/vnet%d", i, i % 7);
		if (kt_index_peek(m, key) != (uint32_t)i + 1)
			ok = 0;
	}
	KT_CHECK(ok, "every key kept its index");
	KT_EQ_U64(kt_index_get(m, "one-more"), N + 1, "next is 10001");
	kt_index_close(m);
}

/*
 * A key of exactly KT_INDEX_KEY_MAX bytes, unique for @i: its number at
 * both ends, so keys differ early and late, with every printable
 * character in between.
 */
static void long_key(char *key, int i)
{
	int n = snprintf(key, KT_INDEX_KEY_MAX + 1, "%05d", i), j;

	for (j = n; j < KT_INDEX_KEY_MAX - n; j++)
		key[j] = (char)(0x21 + (i + j) % (0x7e - 0x21 + 1));
	snprintf(key + j, KT_INDEX_KEY_MAX + 1 - j, "%05d", i);
}

/*
 * Keys of the longest length, many more than fit in the first key buffer,
 * each found right after it came and again after a save and a reload;
 * the file written checked line by line against the keys.
 */
static void test_long_keys(void)
{
	enum { N = 3000 };
	struct kt_index_map *m = NULL;
	char path[128], key[KT_INDEX_KEY_MAX + 1], first[KT_INDEX_KEY_MAX + 1];
	char line[KT_INDEX_KEY_MAX + 32], *text, *p;
	int i, ok = 1, lines_ok = 1;

	in_dir(path, sizeof(path), "long");
	if (!KT_CHECK(kt_index_open(path, &m) == 0, "open for long keys"))
		return;
	long_key(first, 0);
	KT_EQ_U64(strlen(first), KT_INDEX_KEY_MAX, "a key of the longest length");
	for (i = 0; i < N; i++) {
		long_key(key, i);
		if (kt_index_get(m, key) != (uint32_t)i + 1 ||
		    kt_index_peek(m, key) != (uint32_t)i + 1 ||
		    kt_index_peek(m, first) != 1)
			ok = 0;
	}
	KT_CHECK(ok, "3000 longest keys get 1..3000, each found as it comes");
	KT_EQ_U64(kt_index_count(m), N, "3000 keys held");
	KT_EQ_INT(kt_index_save(m), 0, "save 3000 longest keys");
	kt_index_close(m);
	m = NULL;

	text = slurp(path);
	p = text;
	snprintf(line, sizeof(line), "# kvmtop-snmp index map v2\nnext %d\n",
		 N + 1);
	if (p == NULL || strncmp(p, line, strlen(line)) != 0)
		lines_ok = 0;
	else
		p += strlen(line);
	for (i = 0; lines_ok && i < N; i++) {
		long_key(key, i);
		snprintf(line, sizeof(line), "%d %s 0\n", i + 1, key);
		if (strncmp(p, line, strlen(line)) != 0)
			lines_ok = 0;
		else
			p += strlen(line);
	}
	KT_CHECK(lines_ok && *p == '\0', "the file holds each key once, in order");
	free(text);

	if (!KT_CHECK(kt_index_open(path, &m) == 0 && m != NULL,
		      "reopen 3000 longest keys"))
		return;
	KT_EQ_U64(kt_index_count(m), N, "3000 longest keys loaded");
	KT_EQ_U64(kt_index_skipped(m), 0, "none of them skipped");
	for (i = 0; i < N; i++) {
		long_key(key, i);
		if (kt_index_peek(m, key) != (uint32_t)i + 1)
			ok = 0;
	}
	KT_CHECK(ok, "every longest key kept its index");
	kt_index_close(m);
}

/* Heap bytes in use: malloc's own count (its overhead included). */
static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* The key of device @dev (0: the VM itself) of VM @vm, as the agent's. */
static void agent_key(char *key, size_t size, int vm, int dev)
{
	int n = snprintf(key, size, "b3c4d5e6-0000-4000-8000-%012x", vm);

	if (dev == 1 || dev == 2)
		snprintf(key + n, size - n, "/blk/vd%c", 'a' + dev - 1);
	else if (dev > 2)
		snprintf(key + n, size - n, "/net/vnet%d-%d", vm, dev - 3);
}

/*
 * What the keys of 1000 VMs with 2 disks and 2 interfaces each cost, as
 * malloc counts it: their bytes and 4 for each one's SEEN, at most an
 * eighth more for the key buffer to grow into, and a slot array at most
 * 3/4 full (of 8-byte slots: 22 bytes a key just after it doubled).  A strdup'd key a piece
 * with 16-byte slots at most half full took twice that.  Getting known
 * keys again takes nothing more.
 */
static void test_memory(void)
{
	enum { VMS = 1000, DEVS = 5 };
	struct kt_index_map *m = NULL;
	size_t before, held, key_bytes = 0, mem, bound;
	char path[128], key[128];
	int i, j, round, ok = 1;

	in_dir(path, sizeof(path), "memory");
	before = heap_in_use();
	if (!KT_CHECK(kt_index_open(path, &m) == 0, "open for 5000 keys"))
		return;
	for (i = 0; i < VMS; i++) {
		for (j = 0; j < DEVS; j++) {
			agent_key(key, sizeof(key), i, j);
			key_bytes += strlen(key) + 1 + 4;
			if (kt_index_get(m, key) != (uint32_t)(i * DEVS + j) + 1)
				ok = 0;
		}
	}
	held = heap_in_use() - before;
	KT_CHECK(ok, "5000 keys of 1000 VMs get 1..5000");
	bound = key_bytes + key_bytes / 8 + 22 * VMS * DEVS + 4096;
	printf("# 5000 keys, %zu record bytes: heap %zu, map says %zu, bound %zu\n",
	       key_bytes, held, kt_index_mem(m), bound);
	if (held < key_bytes)
		KT_CHECK(1, "heap of 5000 keys # SKIP malloc is not glibc's");
	else
		KT_CHECK(held <= bound, "5000 keys within their bytes + 1/8 "
					"+ 22 bytes a key");
	KT_CHECK(kt_index_mem(m) <= bound,
		 "kt_index_mem() is within the bound too");

	mem = kt_index_mem(m);
	before = heap_in_use();
	for (round = 0; round < 50; round++) {
		for (i = 0; i < VMS * DEVS; i++) {
			agent_key(key, sizeof(key), i / DEVS, i % DEVS);
			if (kt_index_get(m, key) != (uint32_t)i + 1)
				ok = 0;
		}
	}
	KT_CHECK(ok, "50 more rounds of the same keys keep their indexes");
	KT_EQ_U64(kt_index_mem(m), mem, "known keys add nothing to the map");
	KT_EQ_U64(heap_in_use(), before, "nor to the heap");
	KT_EQ_U64(kt_index_count(m), VMS * DEVS, "still 5000 keys");
	kt_index_close(m);
}

/* ---- forgetting keys not seen for a while ---- */

/* 2024-03-10 12:00:00 UTC, worked out with date(1); then whole days on. */
#define T0 1710072000LL
#define DAY 86400LL
/* 2034-03-12 08:00:00 UTC: ten years (and two leap days) after T0. */
#define T_10Y 2025763200LL

/* A map in a fresh file @name; NULL (and a failed check) if not. */
static struct kt_index_map *open_new(const char *name)
{
	struct kt_index_map *m = NULL;
	char path[128];

	in_dir(path, sizeof(path), name);
	unlink(path);
	if (!KT_CHECK(kt_index_open(path, &m) == 0 && m != NULL,
		      "open a fresh map"))
		return NULL;
	return m;
}

/* kt_index_expire()'s count, or (size_t)-1 when it failed. */
static size_t expire(struct kt_index_map *m, uint32_t max_age)
{
	size_t n;

	return kt_index_expire(m, max_age, &n) == 0 ? n : (size_t)-1;
}

/* Saves @m and compares its file @path with @want. */
static void check_saved(struct kt_index_map *m, const char *path,
			const char *want, const char *what)
{
	char *text;

	KT_EQ_INT(kt_index_save(m), 0, "save");
	text = slurp(path);
	KT_EQ_STR(text, want, what);
	free(text);
}

/* The day counter counts days the agent ran, whatever the clock does. */
static void test_clock(void)
{
	struct kt_index_map *m = open_new("clock");
	char path[128];

	if (m == NULL)
		return;
	in_dir(path, sizeof(path), "clock");
	KT_EQ_U64(kt_index_day(m), 0, "a new map is at day 0");
	kt_index_set_clock(m, T0);
	KT_EQ_U64(kt_index_day(m), 0, "the first time only notes the date");
	KT_CHECK(kt_index_dirty(m), "noting the date is a change to save");
	KT_EQ_INT(kt_index_save(m), 0, "save");
	kt_index_set_clock(m, T0 + 11 * 3600 + 59 * 60);
	KT_EQ_U64(kt_index_day(m), 0, "23:59 the same day: still 0");
	KT_CHECK(!kt_index_dirty(m), "and nothing to save");
	kt_index_set_clock(m, T0 + 12 * 3600);
	KT_EQ_U64(kt_index_day(m), 1, "midnight UTC: day 1");
	KT_CHECK(kt_index_dirty(m), "a new day is a change to save");
	kt_index_set_clock(m, T0 + 2 * DAY);
	KT_EQ_U64(kt_index_day(m), 2, "the next day: 2");
	kt_index_set_clock(m, T0 + 2 * DAY + 60);
	KT_EQ_U64(kt_index_day(m), 2, "a minute later: still 2");
	kt_index_set_clock(m, T_10Y);
	KT_EQ_U64(kt_index_day(m), 3, "ten years ahead counts as one day: 3");
	kt_index_set_clock(m, T0 + 3 * DAY);
	KT_EQ_U64(kt_index_day(m), 3, "back to 2024: does not count");
	kt_index_set_clock(m, T_10Y - DAY);
	KT_EQ_U64(kt_index_day(m), 3, "the day before the jump: nor that");
	kt_index_set_clock(m, -5 * DAY);
	KT_EQ_U64(kt_index_day(m), 3, "a time before 1970 is ignored");
	kt_index_set_clock(m, 253402300800LL); /* 10000-01-01 */
	KT_EQ_U64(kt_index_day(m), 3, "a time after 9999 is ignored");
	kt_index_set_clock(m, T_10Y + 16 * 3600);
	KT_EQ_U64(kt_index_day(m), 4, "the day after the jump's: 4");
	check_saved(m, path,
		    "# kvmtop-snmp index map v2\nnext 1\nday 4 2034-03-13\n",
		    "the file has D and the date it last moved on");
	kt_index_close(m);

	/* The count goes on from the file, on a new date only. */
	if ((m = open_path(path)) == NULL)
		return;
	KT_EQ_U64(kt_index_day(m), 4, "D read back");
	kt_index_set_clock(m, T_10Y + 23 * 3600);
	KT_EQ_U64(kt_index_day(m), 4, "the file's date again: still 4");
	KT_CHECK(!kt_index_dirty(m), "nothing to save");
	kt_index_set_clock(m, T_10Y + 2 * DAY);
	KT_EQ_U64(kt_index_day(m), 5, "a later date: 5");
	kt_index_close(m);
}

/*
 * A key looked up every day stays; one not looked up for MAX_AGE + 1
 * counted days goes, its index retired; device keys stay while their
 * VM's key is looked up; host keys go by their own.
 */
static void test_expire(void)
{
	enum { MAX_AGE = 3 };
	struct kt_index_map *m = open_new("expire");
	char path[128];
	int day;

	if (m == NULL)
		return;
	in_dir(path, sizeof(path), "expire");
	kt_index_set_clock(m, T0);
	kt_index_get(m, UUID_A);			/* 1: seen daily */
	kt_index_get(m, UUID_B);			/* 2: never again */
	kt_index_get(m, UUID_A "/blk/vda");		/* 3: its VM is seen */
	kt_index_get(m, UUID_A "/if/52:54:00:4e:01:01"); /* 4: same */
	kt_index_get(m, UUID_B "/blk/vda");		/* 5: VM unseen */
	kt_index_get(m, UUID_C "/blk/vda");		/* 6: no VM key */
	kt_index_get(m, "host/disk/sda");		/* 7: seen daily */
	kt_index_get(m, "host/disk/sdb");		/* 8: unplugged */
	KT_EQ_U64(expire(m, MAX_AGE), 0, "day 0: nothing to forget");
	for (day = 1; day <= MAX_AGE; day++) {
		kt_index_set_clock(m, T0 + day * DAY);
		kt_index_get(m, UUID_A);
		kt_index_get(m, "host/disk/sda");
		KT_EQ_U64(expire(m, MAX_AGE), 0,
			  "up to MAX_AGE days unseen: nothing forgotten");
	}
	KT_EQ_U64(kt_index_count(m), 8, "all 8 keys there at day MAX_AGE");
	KT_EQ_INT(kt_index_save(m), 0, "save");
	kt_index_set_clock(m, T0 + (MAX_AGE + 1) * DAY);
	kt_index_get(m, UUID_A);
	kt_index_get(m, "host/disk/sda");
	KT_EQ_U64(expire(m, MAX_AGE), 4, "MAX_AGE + 1 days unseen: 4 forgotten");
	KT_CHECK(kt_index_dirty(m), "forgetting is a change to save");
	KT_EQ_U64(kt_index_count(m), 4, "4 keys left");
	KT_EQ_U64(kt_index_peek(m, UUID_A), 1, "the key seen daily stays");
	KT_EQ_U64(kt_index_peek(m, UUID_A "/blk/vda"), 3,
		  "its disk stays: the VM is seen");
	KT_EQ_U64(kt_index_peek(m, UUID_A "/if/52:54:00:4e:01:01"), 4,
		  "its interface stays too");
	KT_EQ_U64(kt_index_peek(m, "host/disk/sda"), 7, "a host disk seen stays");
	KT_EQ_U64(kt_index_peek(m, UUID_B), 0, "the unseen VM is forgotten");
	KT_EQ_U64(kt_index_peek(m, UUID_B "/blk/vda"), 0, "with its disk");
	KT_EQ_U64(kt_index_peek(m, UUID_C "/blk/vda"), 0,
		  "a device without a VM key goes by its own age");
	KT_EQ_U64(kt_index_peek(m, "host/disk/sdb"), 0,
		  "a host disk gone for good is forgotten");
	KT_EQ_U64(kt_index_next(m), 9, "next unchanged: 9");
	KT_EQ_U64(expire(m, MAX_AGE), 0, "again the same day: nothing");
	KT_EQ_U64(kt_index_get(m, UUID_B), 9,
		  "a forgotten key that comes back gets a new index, 9");
	KT_EQ_U64(kt_index_get(m, UUID_D), 10, "a new key gets 10");
	check_saved(m, path,
		    "# kvmtop-snmp index map v2\n"
		    "next 11\n"
		    "day 4 2024-03-14\n"
		    "1 " UUID_A " 4\n"
		    "3 " UUID_A "/blk/vda 0\n"
		    "4 " UUID_A "/if/52:54:00:4e:01:01 0\n"
		    "7 host/disk/sda 4\n"
		    "9 " UUID_B " 4\n"
		    "10 " UUID_D " 4\n",
		    "the file holds what stays, with next and SEEN");
	kt_index_close(m);

	/* The count goes on from the file: device keys still stay. */
	if ((m = open_path(path)) == NULL)
		return;
	for (day = MAX_AGE + 2; day <= 3 * MAX_AGE; day++) {
		kt_index_set_clock(m, T0 + day * DAY);
		kt_index_get(m, UUID_A);
		expire(m, MAX_AGE);
	}
	KT_EQ_U64(kt_index_peek(m, UUID_A "/blk/vda"), 3,
		  "a VM's disk stays after a reload");
	KT_EQ_U64(kt_index_peek(m, "host/disk/sda"), 0,
		  "a host disk unseen since is forgotten after it");
	KT_EQ_U64(kt_index_next(m), 11, "next still 11");
	kt_index_close(m);
}

/* 0 never forgets; an age limit may change between calls. */
static void test_expire_never(void)
{
	struct kt_index_map *m = open_new("never");
	int day;

	if (m == NULL)
		return;
	kt_index_set_clock(m, T0);
	kt_index_get(m, UUID_A);
	kt_index_get(m, UUID_B "/blk/vda");
	for (day = 1; day <= 100; day++) {
		kt_index_set_clock(m, T0 + day * DAY);
		if (expire(m, 0) != 0)
			break;
	}
	KT_EQ_U64(kt_index_day(m), 100, "100 counted days");
	KT_EQ_U64(kt_index_count(m), 2, "max_age 0 forgets nothing");
	KT_CHECK(!kt_index_dirty(m) || kt_index_save(m) == 0, "saved");
	KT_EQ_U64(expire(m, 100), 0, "nor does 100 after 100 days");
	KT_EQ_U64(expire(m, 99), 2, "99 does, the same day");
	kt_index_close(m);
}

/*
 * A v1 file: every key kept, as seen on the day of the upgrade, so none
 * is forgotten sooner than MAX_AGE + 1 days after it.
 */
static void test_v1_upgrade(void)
{
	enum { MAX_AGE = 2 };
	struct kt_index_map *m;
	char path[128];
	int day;

	m = OPEN_TEXT("v1", "# kvmtop-snmp index map v1\nnext 9\n"
			    "1 " UUID_A "\n3 " UUID_A "/blk/vda\n"
			    "5 " UUID_B "\n");
	in_dir(path, sizeof(path), "v1");
	if (!KT_CHECK(m != NULL, "open a v1 file"))
		return;
	KT_CHECK(!kt_index_damaged(m), "a v1 file is no damage");
	KT_EQ_U64(kt_index_count(m), 3, "every key loaded");
	KT_EQ_U64(kt_index_day(m), 0, "no day line: D 0");
	KT_CHECK(!kt_index_dirty(m), "loading changes nothing");
	for (day = 0; day <= MAX_AGE; day++) {
		kt_index_set_clock(m, T0 + day * DAY);
		KT_EQ_U64(expire(m, MAX_AGE), 0,
			  "v1 keys kept up to MAX_AGE days after the upgrade");
	}
	check_saved(m, path,
		    "# kvmtop-snmp index map v2\nnext 9\nday 2 2024-03-12\n"
		    "1 " UUID_A " 0\n3 " UUID_A "/blk/vda 0\n5 " UUID_B " 0\n",
		    "written as v2, seen at the upgrade's D");
	kt_index_set_clock(m, T0 + (MAX_AGE + 1) * DAY);
	KT_EQ_U64(expire(m, MAX_AGE), 3, "and forgotten the day after");
	KT_EQ_U64(kt_index_next(m), 9, "next stays 9");
	kt_index_close(m);
}

/*
 * A v2 file written by hand loads back as it was: saved again with one
 * new key, it is the same text with that key's line and the next "next".
 */
static void test_v2_round_trip(void)
{
	static const char text[] = "# kvmtop-snmp index map v2\n"
				   "next 12\n"
				   "day 57 2024-02-29\n"
				   "2 " UUID_A " 57\n"
				   "4 " UUID_A "/if/52:54:00:4e:01:01 40\n"
				   "7 " UUID_B " 0\n"
				   "11 host/disk/nvme0n1 56\n";
	struct kt_index_map *m = OPEN_TEXT("v2", text);
	char path[128];

	in_dir(path, sizeof(path), "v2");
	if (!KT_CHECK(m != NULL, "open a v2 file"))
		return;
	KT_CHECK(!kt_index_damaged(m), "it is sound");
	KT_EQ_U64(kt_index_count(m), 4, "4 keys");
	KT_EQ_U64(kt_index_day(m), 57, "D 57");
	KT_EQ_U64(kt_index_load_report(m)->clamped, 0, "no SEEN above D");
	KT_EQ_U64(kt_index_get(m, UUID_C), 12, "a new key gets next, 12");
	check_saved(m, path,
		    "# kvmtop-snmp index map v2\n"
		    "next 13\n"
		    "day 57 2024-02-29\n"
		    "2 " UUID_A " 57\n"
		    "4 " UUID_A "/if/52:54:00:4e:01:01 40\n"
		    "7 " UUID_B " 0\n"
		    "11 host/disk/nvme0n1 56\n"
		    "12 " UUID_C " 57\n",
		    "the same text, next 13 and the new key seen at D");
	kt_index_set_clock(m, T0 - 10 * DAY);
	KT_EQ_U64(kt_index_day(m), 57, "2024-02-29 again: D stays 57");
	kt_index_set_clock(m, T0 - 9 * DAY);
	KT_EQ_U64(kt_index_day(m), 58, "2024-03-01: D 58");
	KT_EQ_U64(expire(m, 17), 1,
		  "max_age 17 at 58: B (0) goes, the interface (40) stays");
	KT_EQ_U64(kt_index_peek(m, UUID_B), 0, "B gone");
	KT_EQ_U64(kt_index_peek(m, UUID_A "/if/52:54:00:4e:01:01"), 4,
		  "the interface kept 4");
	kt_index_close(m);
}

/*
 * SEEN above D is taken as D (counted in clamped, no damage); bad and
 * repeated day lines are skipped like any malformed line.
 */
static void test_seen_damage(void)
{
	struct kt_index_map *m;
	char path[128];
	int day;

	m = OPEN_TEXT("future", "# kvmtop-snmp index map v2\nnext 4\n"
				"day 5 2024-03-10\n"
				"1 " UUID_A " 9\n2 " UUID_B " 5\n"
				"3 " UUID_C " 4294967295\n");
	in_dir(path, sizeof(path), "future");
	if (!KT_CHECK(m != NULL, "open a file with SEEN above D"))
		return;
	KT_EQ_U64(kt_index_count(m), 2, "A and B kept");
	KT_EQ_U64(kt_index_skipped(m), 1, "SEEN of 2^32 - 1 is malformed");
	KT_EQ_U64(kt_index_load_report(m)->clamped, 1, "one SEEN above D");
	KT_EQ_U64(kt_index_peek(m, UUID_A), 1, "A keeps its index");
	KT_EQ_U64(kt_index_get(m, "new"), 4, "index 3 stays retired");
	check_saved(m, path,
		    "# kvmtop-snmp index map v2\nnext 5\nday 5 2024-03-10\n"
		    "1 " UUID_A " 5\n2 " UUID_B " 5\n4 new 5\n",
		    "A written as seen at D, 5");
	for (day = 1; day <= 3; day++)
		kt_index_set_clock(m, T0 + day * DAY);
	KT_EQ_U64(expire(m, 2), 3, "A is as old as B: both go at D + 3");
	kt_index_close(m);

	m = OPEN_TEXT("baddays", "# kvmtop-snmp index map v2\nnext 3\n"
				 "day 5 2024-02-30\n" /* no such date */
				 "day 6 2024-3-10\n"  /* not YYYY-MM-DD */
				 "day 7\n"	      /* no date */
				 "day -1 2024-03-10\n"
				 "day 8 2024-03-10 x\n"
				 "day 4 1969-12-31\n"
				 "day 3 2024-03-10\n" /* the good one */
				 "day 9 2024-03-11\n" /* a second one */
				 "1 " UUID_A " 3\n2 " UUID_B " 1 2\n");
	if (!KT_CHECK(m != NULL, "open a file with bad day lines"))
		return;
	KT_EQ_U64(kt_index_skipped(m), 8, "seven bad day lines and one entry");
	KT_EQ_U64(kt_index_day(m), 3, "the first good day line counts: 3");
	KT_CHECK(kt_index_damaged(m), "the file is damaged");
	KT_EQ_U64(kt_index_count(m), 1, "A kept");
	KT_EQ_U64(kt_index_get(m, UUID_C), 3, "the bad line's 2 stays retired");
	kt_index_close(m);
}

/*
 * VMs come and go: 10000 keys in 20 rounds, a round a day, each forgotten
 * two days later.  The map holds 3 rounds' keys at most, and its memory
 * stays that of 1500 keys instead of growing to that of 10000.
 */
static void test_expire_memory(void)
{
	enum { ROUNDS = 20, PER = 500, MAX_AGE = 2 };
	struct kt_index_map *m = open_new("churn");
	size_t rec = 0, bound, peak = 0;
	char key[128];
	int round, i, ok = 1;

	if (m == NULL)
		return;
	for (round = 0; round < ROUNDS; round++) {
		kt_index_set_clock(m, T0 + round * DAY);
		for (i = 0; i < PER; i++) {
			agent_key(key, sizeof(key), round * PER + i, i % 5);
			if (rec < strlen(key) + 1 + 4)
				rec = strlen(key) + 1 + 4;
			if (kt_index_get(m, key) !=
			    (uint32_t)(round * PER + i) + 1)
				ok = 0;
		}
		expire(m, MAX_AGE);
		if (kt_index_count(m) > (MAX_AGE + 1) * PER)
			ok = 0;
		if (kt_index_mem(m) > peak)
			peak = kt_index_mem(m);
	}
	KT_CHECK(ok, "each new key gets the next index; 1500 keys at most");
	KT_EQ_U64(kt_index_next(m), ROUNDS * PER + 1, "no index reused");
	KT_EQ_U64(kt_index_count(m), (MAX_AGE + 1) * PER, "1500 keys held");
	/* Records + 1/8, 8-byte slots at most 3/4 full (22 bytes a key). */
	bound = (MAX_AGE + 1) * PER * (rec + rec / 8 + 22) + 4096;
	printf("# churn of %d keys: peak kt_index_mem %zu, bound %zu\n",
	       ROUNDS * PER, peak, bound);
	KT_CHECK(peak <= bound, "the map's memory stays that of 1500 keys");
	kt_index_close(m);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

/* The victim of a planted link: a file outside the state directory. */
static void write_victim(char *victim, size_t size)
{
	in_dir(victim, size, "victim");
	write_text(victim, "root's file\n");
	chmod(victim, 0600);
}

/*
 * Names planted in the state directory (a link in place of the file, one
 * at the temporary's old fixed name) are never written through: the file
 * is kept aside as unreadable, the new one is a regular file of mode
 * 0600, and the victim is unchanged.
 */
static void test_planted_links(void)
{
	char sub[128], path[128], victim[128], old_tmp[128];
	struct kt_index_map *m = NULL;
	const char *kept = NULL;
	struct stat st;
	char *text;

	write_victim(victim, sizeof(victim));
	in_dir(sub, sizeof(sub), "planted");
	in_dir(path, sizeof(path), "planted/map");
	in_dir(old_tmp, sizeof(old_tmp), "planted/map.tmp");
	mkdir(sub, 0700);
	KT_EQ_INT(symlink(victim, path), 0, "a link in place of the file");
	KT_EQ_INT(symlink(victim, old_tmp), 0, "a link at the old temporary");
	if (!KT_CHECK(kt_index_open(path, &m) == 0 && m != NULL, "open"))
		return;
	KT_EQ_INT(kt_index_load_report(m)->read_errno, ELOOP,
		  "the link is not followed: unreadable (ELOOP)");
	KT_EQ_U64(kt_index_count(m), 0, "nothing read through it");
	kt_index_get(m, UUID_A);
	KT_EQ_INT(kt_index_keep_damaged(m, &kept), 0, "the link is kept aside");
	KT_EQ_INT(kt_index_save(m), 0, "save");
	KT_CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode),
		 "the file is a regular file now");
	KT_EQ_INT((int)(st.st_mode & 07777), 0600, "of mode 0600");
	KT_CHECK(lstat(old_tmp, &st) == 0 && S_ISLNK(st.st_mode),
		 "the link at the old temporary name is left alone");
	text = slurp(victim);
	KT_EQ_STR(text, "root's file\n", "the victim is unchanged");
	free(text);
	kt_index_close(m);
}

/* State directories that someone else could plant a name in. */
static void test_foreign_dirs(void)
{
	char sub[128], path[160], link[128], victim[128];
	struct kt_index_map *m = NULL;
	struct stat st;
	char *text;

	write_victim(victim, sizeof(victim));
	in_dir(sub, sizeof(sub), "open-dir");
	mkdir(sub, 0700);
	chmod(sub, 0777);
	KT_EQ_INT(kt_index_dir_open(sub, &st), -EPERM,
		  "a directory others may write to is refused");
	KT_EQ_INT((int)(st.st_mode & 0777), 0777, "its mode is told");
	chmod(sub, 0770);
	KT_EQ_INT(kt_index_dir_open(sub, &st), -EPERM,
		  "one the group may write to too");
	chmod(sub, 0755);
	KT_CHECK(kt_index_dir_open(sub, &st) >= 0, "0755 is accepted");
	close(kt_index_dir_open(sub, &st));

	in_dir(link, sizeof(link), "link-dir");
	symlink(sub, link);
	KT_EQ_INT(kt_index_dir_open(link, &st), -ELOOP,
		  "a symbolic link to a good directory is refused");
	snprintf(path, sizeof(path), "%s/", link);
	KT_EQ_INT(kt_index_dir_open(path, &st), -ELOOP,
		  "with a trailing slash too");

	/* A map whose directory is refused neither reads nor writes. */
	chmod(sub, 0777);
	snprintf(path, sizeof(path), "%s/map", sub);
	symlink(victim, path);
	if (!KT_CHECK(kt_index_open(path, &m) == 0 && m != NULL, "open"))
		return;
	KT_EQ_INT(kt_index_load_report(m)->read_errno, EPERM,
		  "the file in a refused directory is not read");
	kt_index_get(m, UUID_A);
	KT_EQ_INT(kt_index_save(m), -EEXIST, "nor written over");
	text = slurp(victim);
	KT_EQ_STR(text, "root's file\n", "the victim is unchanged");
	free(text);
	kt_index_close(m);
	chmod(sub, 0755);

	if (geteuid() == 0) {
		KT_EQ_INT(chown(sub, 65534, 65534), 0, "given to nobody");
		KT_EQ_INT(kt_index_dir_open(sub, &st), -EPERM,
			  "a directory of another user is refused");
		KT_EQ_U64(st.st_uid, 65534, "its owner is told");
		chown(sub, 0, 0);
	} else {
		kt_test_report(1, __FILE__, __LINE__,
			       "another user's directory # SKIP needs root");
	}

	/* The map of an agent whose directory is refused. */
	KT_EQ_INT(kt_index_new(&m), 0, "a map without a file");
	KT_EQ_U64(kt_index_get(m, UUID_A), 1, "assigns");
	KT_EQ_INT(kt_index_save(m), 0, "saving writes nothing");
	KT_CHECK(kt_index_path(m) == NULL, "and it has no path");
	KT_CHECK(!kt_index_damaged(m), "nor damage");
	kt_index_close(m);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/kt-test-index-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_assign();
	test_next();
	test_corrupt();
	test_open_errors();
	test_sound();
	test_keep_corrupt();
	test_keep_names();
	test_unreadable();
	test_unreadable_mode();
	test_save_errors();
	test_planted_links();
	test_foreign_dirs();
	test_many();
	test_long_keys();
	test_memory();
	test_clock();
	test_expire();
	test_expire_never();
	test_v1_upgrade();
	test_v2_round_trip();
	test_seen_damage();
	test_expire_memory();
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	KT_CHECK(!exists(dir), "test directory removed");
	return kt_test_done();
}
