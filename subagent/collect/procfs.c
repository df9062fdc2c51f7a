/*
 * Reading one small file below an open directory (a procfs root, a PID or
 * a task directory) into a caller's buffer, and telling a text file that
 * was cut short from a whole one.  The collectors keep directory fds open
 * and call this with relative names, so a cycle costs one
 * openat/read/close per file and no path building.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "collect/procfs.h"

/*
 * Reads until EOF.  procfs may hand out a file in several short reads (seq
 * files fill one page at a time), so a short read does not mean the end,
 * unless @one_piece: a file the kernel writes in one go, smaller than a
 * page (or a regular file), comes whole in the first read when it fits.
 */
static ssize_t read_all(int fd, char *buf, size_t room, bool one_piece)
{
	size_t off = 0;
	ssize_t n;
	char extra;

	while (off < room) {
		n = read(fd, buf + off, room - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return (ssize_t)off;
		off += (size_t)n;
		if (one_piece && off < room)
			return (ssize_t)off;
	}
	/* Full: only a read that returns EOF proves the whole file fits. */
	for (;;) {
		n = read(fd, &extra, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		return n == 0 ? (ssize_t)off : -EFBIG;
	}
}

static ssize_t read_at(int dirfd, const char *rel, char *buf, size_t size,
		       bool one_piece)
{
	ssize_t r;
	int fd;

	if (buf == NULL || size == 0 || size - 1 > (size_t)SSIZE_MAX)
		return -EINVAL;
	buf[0] = '\0';
	/* Only a FIFO can block in open, but then a signal may interrupt it. */
	do
		fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	r = read_all(fd, buf, size - 1, one_piece);
	/* r already holds the error; close() of a read-only fd has none. */
	close(fd);
	buf[r >= 0 ? (size_t)r : 0] = '\0';
	return r;
}

ssize_t kt_read_file_at(int dirfd, const char *rel, char *buf, size_t size)
{
	return read_at(dirfd, rel, buf, size, false);
}

/* Whole text, or why not: see procfs.h. */
static ssize_t text_checked(ssize_t r, char *buf)
{
	if (r == 0)
		return -ENODATA;
	if (r > 0 && buf[r - 1] != '\n') {
		buf[0] = '\0';
		return -EBADMSG;
	}
	return r;
}

ssize_t kt_read_text_at(int dirfd, const char *rel, char *buf, size_t size)
{
	return text_checked(read_at(dirfd, rel, buf, size, false), buf);
}

ssize_t kt_read_task_text_at(int dirfd, const char *rel, char *buf,
			     size_t size)
{
	return text_checked(read_at(dirfd, rel, buf, size, true), buf);
}

size_t kt_complete_lines(const char *buf, size_t len)
{
	while (len > 0 && buf[len - 1] != '\n')
		len--;
	return len;
}

const char *kt_read_strerror(int r)
{
	switch (r) {
	case -EBADMSG:
		return "cut short (no final newline)";
	case -ENODATA:
		return "empty";
	case -EFBIG:
		return "too large";
	case -EINVAL:
		return "malformed";
	default:
		return strerror(-r);
	}
}
