/*
 * Persistent indexes: a map from a key (a VM UUID; later "uuid/device"
 * for per-device rows) to an SNMP table index >= 1 that is never reused
 * for another key, kept in a small state file across restarts.
 *
 * Keys are 1..KT_INDEX_KEY_MAX bytes of printable ASCII without whitespace
 * (0x21..0x7e).  Not thread-safe: one thread (the collector) owns the map.
 *
 * File format (text, one record a line, every line ends in '\n'):
 *	# kvmtop-snmp index map v1
 *	next N
 *	INDEX KEY
 *	...
 * "next N" is the lowest index never handed out, so the indexes of keys
 * that were removed from the file are not given to new keys either.
 */
#ifndef KT_INDEX_H
#define KT_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KT_INDEX_KEY_MAX 255

struct kt_index_map;

/*
 * Loads the map kept in @path.  A missing file gives an empty map.  Lines
 * that are not well-formed are skipped and counted (kt_index_skipped());
 * so is a last line without its '\n' (a torn write: its key may be cut).
 * Duplicates: the first line wins.  A line is skipped when an earlier
 * line, kept or skipped, named the same index (that index may have been
 * another key's), or when an earlier kept line has the same key.  The next
 * index is above every index any line names and at least the "next" value;
 * lines starting with '#' and empty lines are ignored.
 * A file that is there but cannot be read (or read to its end) is no
 * failure either: the map holds what was read before the error, and the
 * error is in kt_index_load_report().  See kt_index_keep_damaged().
 * Returns 0, -ENOMEM, or -EINVAL (NULL or empty @path).
 */
int kt_index_open(const char *path, struct kt_index_map **out);

/* What kt_index_open() found in the file. */
struct kt_index_load {
	bool missing;	/* no file: a first start, or it was removed */
	int read_errno; /* the file is there but reading it failed: errno */
	size_t lines;	/* lines read (before the error, if any) */
	bool no_header; /* the first line is not the header (or none) */
	size_t skipped; /* lines skipped as malformed, torn or duplicate */
};

const struct kt_index_load *kt_index_load_report(const struct kt_index_map *m);

/*
 * True when the file was there but not sound: unreadable, without its
 * header (an empty file too: every save writes one), or with lines
 * skipped.  Indexes it held that kt_index_open() could not see may be
 * handed out again; those it could see never are.
 */
bool kt_index_damaged(const struct kt_index_map *m);

/*
 * Keeps a damaged file before anything is written over it, under the first
 * free name of PATH.bad, PATH.bad.1 ... PATH.bad.9: as a hard link, so the
 * file stays in place until a save replaces it, or renamed where it cannot
 * be linked (a directory; a file system without hard links).  Marks the
 * map dirty, so the next kt_index_save() writes a sound file.
 * Does this once: returns 0 with *@kept (owned by the map) set to the name
 * on the call that kept it, 0 with *@kept NULL when nothing is (left) to
 * keep, or a negative errno, *@kept NULL, when it failed: try again later.
 * -EEXIST: the ten names are taken.
 */
int kt_index_keep_damaged(struct kt_index_map *m, const char **kept);

/*
 * The index of @key, assigning the next free one (and marking the map
 * dirty) when @key is new.  0 for an invalid key, out of memory, or when
 * every index up to UINT32_MAX has been handed out.
 */
uint32_t kt_index_get(struct kt_index_map *m, const char *key);

/* The index of @key, 0 when it has none.  Never assigns. */
uint32_t kt_index_peek(const struct kt_index_map *m, const char *key);

/*
 * Writes the map to its file if it changed since the last load or save:
 * a temporary file in the same directory, fsync, rename over the file,
 * fsync of the directory.  0 or a negative errno; on failure the map
 * stays dirty so a later call retries.  A file that could not be read is
 * never written over: -EEXIST until kt_index_keep_damaged() kept it.  (A
 * damaged file that was read is, like any: keep it first to have a copy.)
 */
int kt_index_save(struct kt_index_map *m);

/* True when the map has changes kt_index_save() has not written yet. */
bool kt_index_dirty(const struct kt_index_map *m);

/* Number of keys. */
size_t kt_index_count(const struct kt_index_map *m);

/* The index the next new key gets; 2^32 when none is left. */
uint64_t kt_index_next(const struct kt_index_map *m);

/* The file's path, as given to kt_index_open(). */
const char *kt_index_path(const struct kt_index_map *m);

/* Lines kt_index_open() skipped as malformed, truncated or duplicate. */
size_t kt_index_skipped(const struct kt_index_map *m);

/*
 * Bytes the map has allocated for its hash table and its keys (not the
 * few fixed ones of the map itself): what it costs a host, for tests and
 * benchmarks.
 */
size_t kt_index_mem(const struct kt_index_map *m);

/* NULL-safe.  Does not save. */
void kt_index_close(struct kt_index_map *m);

#endif
