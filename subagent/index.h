/*
 * Persistent indexes: a map from a key (a VM UUID, "UUID/blk/TARGET" and
 * "UUID/if/MAC" for its devices, "host/disk/NAME" for the host's disks)
 * to an SNMP table index >= 1 that is never reused for another key, kept
 * in a small state file across restarts.  Keys not seen for a while can
 * be forgotten (kt_index_expire()); their indexes stay retired.
 *
 * Keys are 1..KT_INDEX_KEY_MAX bytes of printable ASCII without whitespace
 * (0x21..0x7e).  Not thread-safe: one thread (the collector) owns the map.
 *
 * File format (text, one record a line, every line ends in '\n'):
 *	# kvmtop-snmp index map v2
 *	next N
 *	day D YYYY-MM-DD
 *	INDEX KEY SEEN
 *	...
 * "next N" is the lowest index never handed out, so the indexes of keys
 * that were removed from the file are not given to new keys either.
 * D counts the days on which the agent ran (see kt_index_set_clock()),
 * and the date is the UTC day on which D last moved; the day line is left
 * out only while the map has never been given the time (D is 0 then).
 * SEEN is the D at which kt_index_get() last looked the key up.
 * A v1 file (the v1 header, no day line, "INDEX KEY" lines) loads as if
 * every key had been seen at the file's D: nothing is forgotten sooner
 * than the age limit after an upgrade.  Version 2 writes its own header.
 */
#ifndef KT_INDEX_H
#define KT_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KT_INDEX_KEY_MAX 255

struct kt_index_map;
struct stat;

/*
 * Opens @dir, the directory of a state file, for reading: without
 * following a symbolic link (trailing slashes ignored), and only when the
 * effective uid owns it and neither group nor others may write to it, so
 * that no one else can plant a name in it (a link to a file of root's).
 * Returns the fd, or -ELOOP (a symbolic link), -EPERM (another owner, or
 * writable by others; @st tells which), -ENOTDIR, -ENOENT....  @st gets
 * what fstat() said of it (zeros when it could not be opened).
 */
int kt_index_dir_open(const char *dir, struct stat *st);

/*
 * A map without a file: nothing is loaded, kt_index_save() writes nothing
 * (returns 0) and kt_index_path() is NULL.  For an agent whose state
 * directory is refused.  0 or -ENOMEM.
 */
int kt_index_new(struct kt_index_map **out);

/*
 * Loads the map kept in @path (opened without following a symbolic link,
 * in a directory kt_index_dir_open() accepts, else it counts as
 * unreadable).  A missing file gives an empty map.  Lines
 * that are not well-formed are skipped and counted (kt_index_skipped());
 * so is a last line without its '\n' (a torn write: its key may be cut).
 * Duplicates: the first line wins.  A line is skipped when an earlier
 * line, kept or skipped, named the same index (that index may have been
 * another key's), or when an earlier kept line has the same key.  The next
 * index is above every index any line names and at least the "next" value;
 * lines starting with '#' and empty lines are ignored.
 * A key's SEEN may be left out (a v1 line): it is taken as D.  A SEEN above
 * D (the file was edited, or its day line lost) is taken as D as well:
 * the key was seen, only not when, and its index is worth more than a day
 * counter; such lines are counted in kt_index_load.clamped, are not
 * "damage" for kt_index_damaged() (nothing is lost), and the next save
 * writes them right.  A second day line is skipped like a malformed one.
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
	size_t clamped; /* keys whose SEEN was above D: taken as D */
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

/* The index of @key, 0 when it has none.  Never assigns, nor sees. */
uint32_t kt_index_peek(const struct kt_index_map *m, const char *key);

/*
 * Tells the map the time (Unix seconds, from the wall clock; call it once
 * a cycle, before the cycle's kt_index_get()s).  The day counter D goes up
 * by one when the UTC date is later than the date it last moved on, once
 * however far the clock jumped: age counts days on which the agent ran,
 * so a host switched off for months forgets nothing, and a clock set years
 * ahead costs one day.  A clock that goes back moves nothing (nor after a
 * jump ahead that is then undone, until the real date catches up: keys
 * are forgotten late rather than early).  The first time a map without a
 * date is given the time only notes the date.  A time before 1970 or
 * after 9999 is ignored.  Marks the map dirty when it notes a date.
 */
void kt_index_set_clock(struct kt_index_map *m, int64_t unix_seconds);

/* The day counter D. */
uint32_t kt_index_day(const struct kt_index_map *m);

/*
 * Forgets the keys that neither they nor their VM's key (the part before
 * the first '/', when there is one) have been looked up by kt_index_get()
 * for more than @max_age counted days: D - SEEN > @max_age.  0 forgets
 * nothing.  The VM's key keeps its devices' keys: libvirt lists a
 * shut-off VM (its UUID is looked up every cycle) but not its devices,
 * which must keep their indexes for when it runs again.  A device
 * unplugged from a running VM is kept as well, as long as the VM is:
 * accepted, a VM has few.  Indexes of forgotten keys are never handed out
 * again ("next" does not move), and the memory of their keys is given
 * back.  Cheap to call every cycle: it does the work only when D or
 * @max_age changed since it last did.  Marks the map dirty when it
 * forgets any.  0 with the number forgotten in *@forgotten, or -ENOMEM
 * (nothing forgotten; a later call tries again).
 */
int kt_index_expire(struct kt_index_map *m, uint32_t max_age,
		    size_t *forgotten);

/*
 * Writes the map to its file if it changed since the last load or save:
 * a temporary file in the same directory (a new one with a random name,
 * O_EXCL|O_NOFOLLOW, mode 0600), fsync, rename over the file, fsync of the
 * directory, all in the directory as kt_index_dir_open() opened it (its
 * errors are returned: -EPERM, -ELOOP).  0 or a negative errno; on failure the map
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
 * Bytes the map has allocated for its hash table and its keys with their
 * SEEN (not the few fixed ones of the map itself): what it costs a host, for tests and
 * benchmarks.
 */
size_t kt_index_mem(const struct kt_index_map *m);

/* NULL-safe.  Does not save. */
void kt_index_close(struct kt_index_map *m);

#endif
