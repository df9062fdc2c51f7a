/*
 * The QEMU process of a VM, through a procfs tree.
 *
 * libvirt starts QEMU with "-uuid UUID" and debug-threads=on, so the process
 * is found by the UUID in its cmdline and its vCPU threads by their names
 * ("CPU 0/KVM", "CPU 1/TCG").  No QEMU monitor command is used: those take
 * each VM's monitor lock every cycle.
 *
 * Anyone can start a process with "-uuid UUID" and threads named like
 * vCPUs, so the cmdline is no authority: a process counts only when its
 * owner is root or a QEMU user (qemu_users.h), which PID/status tells and
 * no unprivileged user can forge; that is checked first, and the cmdline
 * then says which VM it is.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/qemu.h"
#include "sorted.h"

/* QEMU command lines run to several KiB; -uuid comes early in them. */
#define KT_CMDLINE_MAX (128 * 1024)
/* PID/status is about 1.5 KiB; a longer Groups line still fits. */
#define KT_STATUS_MAX 4096

/* A directory entry name that is a positive decimal PID. */
static pid_t parse_pid(const char *name)
{
	long v = 0;
	const char *p;

	if (*name == '\0' || *name == '0')
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > 100000000L)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return (pid_t)v;
}

/* The "-uuid" value of the cmdline file @rel below @dirfd, or -errno. */
static int cmdline_uuid(int dirfd, const char *rel, char *buf, size_t size,
			char uuid[KT_UUID_LEN + 1])
{
	ssize_t len;

	len = kt_read_file_at(dirfd, rel, buf, size);
	if (len < 0)
		return (int)len;
	return kt_cmdline_find_uuid(buf, (size_t)len, uuid);
}

static ssize_t find_wanted(const char (*uuids)[KT_UUID_LEN + 1], size_t n,
			   const char *uuid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (memcmp(uuids[i], uuid, KT_UUID_LEN) == 0)
			return (ssize_t)i;
	return -1;
}

bool kt_qemu_users_admit(const struct kt_qemu_users *u, const uint32_t *ids,
			 size_t n_ids)
{
	size_t i, j;

	for (i = 0; i < n_ids; i++) {
		bool ok = ids[i] == 0;

		for (j = 0; !ok && u != NULL && j < u->n; j++)
			ok = ids[i] == u->uid[j];
		if (!ok)
			return false;
	}
	return true;
}

int kt_qemu_owner(int dirfd, const char *rel, const struct kt_qemu_users *users,
		  uint32_t ids[KT_STATUS_UIDS])
{
	char buf[KT_STATUS_MAX];
	ssize_t len;
	int r;

	memset(ids, 0, KT_STATUS_UIDS * sizeof(*ids));
	len = kt_read_text_at(dirfd, rel, buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	if ((r = kt_parse_status_uids(buf, (size_t)len, ids)) != 0)
		return r;
	return kt_qemu_users_admit(users, ids, KT_STATUS_UIDS) ? 0 : -EPERM;
}

/* A refused process that carries wanted UUID @slot: counted for the log. */
static void note_refusal(struct kt_qemu_refusal *r, pid_t pid,
			 const uint32_t ids[KT_STATUS_UIDS])
{
	if (r->count++ > 0)
		return;
	r->pid = pid;
	r->ruid = ids[0];
	r->euid = ids[1];
}

/* What the scan works with: the wanted UUIDs, and its results. */
struct scan {
	int procfd;
	const struct kt_qemu_users *users;
	const char (*uuids)[KT_UUID_LEN + 1];
	size_t n, found;
	pid_t *pids;
	struct kt_qemu_refusal *refused;
	char *buf; /* KT_CMDLINE_MAX bytes */
};

/* One process of the scan: owner first, then its cmdline. */
static void scan_pid(struct scan *s, pid_t pid)
{
	uint32_t ids[KT_STATUS_UIDS];
	char uuid[KT_UUID_LEN + 1];
	char rel[32];
	ssize_t slot;
	int owner;

	snprintf(rel, sizeof(rel), "%d/status", (int)pid);
	owner = kt_qemu_owner(s->procfd, rel, s->users, ids);
	if (owner != 0 && owner != -EPERM)
		return; /* gone, or no owner to tell: no candidate */
	snprintf(rel, sizeof(rel), "%d/cmdline", (int)pid);
	if (cmdline_uuid(s->procfd, rel, s->buf, KT_CMDLINE_MAX, uuid) != 0 ||
	    (slot = find_wanted(s->uuids, s->n, uuid)) < 0)
		return;
	if (owner == -EPERM)
		note_refusal(&s->refused[slot], pid, ids);
	else if (s->pids[slot] == 0) {
		s->pids[slot] = pid;
		s->found++;
	}
}

size_t kt_qemu_discover(int procfd, const struct kt_qemu_users *users,
			const char (*uuids)[KT_UUID_LEN + 1], size_t n,
			pid_t *pids, struct kt_qemu_refusal *refused)
{
	struct scan s = { procfd, users, uuids, n, 0, pids, refused, NULL };
	struct dirent *de;
	DIR *dir;
	int fd;
	pid_t pid;

	memset(pids, 0, n * sizeof(*pids));
	memset(refused, 0, n * sizeof(*refused));
	if (n == 0 || (s.buf = malloc(KT_CMDLINE_MAX)) == NULL)
		return 0;
	if ((fd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
		    0 ||
	    (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		free(s.buf);
		return 0;
	}
	while (s.found < n && (de = readdir(dir)) != NULL)
		if ((pid = parse_pid(de->d_name)) != 0)
			scan_pid(&s, pid);
	closedir(dir);
	free(s.buf);
	return s.found;
}

int kt_qemu_check(int piddir, const struct kt_qemu_users *users,
		  const char *uuid)
{
	char uuid_seen[KT_UUID_LEN + 1];
	uint32_t ids[KT_STATUS_UIDS];
	char *buf;
	int r;

	if ((r = kt_qemu_owner(piddir, "status", users, ids)) != 0)
		return r == -EPERM ? r : -ESRCH;
	if ((buf = malloc(KT_CMDLINE_MAX)) == NULL)
		return -ENOMEM;
	r = cmdline_uuid(piddir, "cmdline", buf, KT_CMDLINE_MAX, uuid_seen);
	free(buf);
	if (r == 0 && memcmp(uuid_seen, uuid, KT_UUID_LEN) != 0)
		r = -ESRCH;
	return r == -ENOENT ? -ESRCH : r;
}

int kt_qemu_open(int procfd, pid_t pid, const struct kt_qemu_users *users,
		 const char *uuid)
{
	char rel[32];
	int fd, r;

	snprintf(rel, sizeof(rel), "%d", (int)pid);
	fd = openat(procfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if ((r = kt_qemu_check(fd, users, uuid)) != 0) {
		close(fd);
		return r;
	}
	return fd;
}

static int cmp_key_tid(const void *key, const void *thread)
{
	pid_t a = *(const pid_t *)key,
	      b = ((const struct kt_thread *)thread)->tid;

	return (a > b) - (a < b);
}

const struct kt_thread *kt_thread_find(const struct kt_thread *v, size_t n,
				       pid_t tid)
{
	return kt_sorted_find(&tid, v, n, sizeof(*v), cmp_key_tid);
}

/* The errors of a file whose thread (or process) exited. */
static bool gone(int r)
{
	return r == -ENOENT || r == -ESRCH;
}

/* Notes the first unusable file: "task/TID/NAME" and its error. */
static void note_fault(struct kt_thread_faults *f, pid_t tid, const char *name,
		       int r)
{
	if (f->err != 0)
		return;
	snprintf(f->file, sizeof(f->file), "task/%d/%s", (int)tid, name);
	f->err = r;
}

/* "TID/" of one thread, and its files' names made by appending to it. */
struct tid_path {
	char rel[48];
	size_t len;
};

/* From the task directory's entry name, which is the TID in decimal. */
static bool tid_path_set(struct tid_path *p, const char *tid)
{
	size_t len = strlen(tid);

	if (len + 1 + sizeof("schedstat") > sizeof(p->rel))
		return false;
	memcpy(p->rel, tid, len);
	p->rel[len] = '/';
	p->len = len + 1;
	return true;
}

/* Reads task/TID/@name into @buf: its length or -errno. */
static ssize_t thread_file(int taskfd, struct tid_path *p, const char *name,
			   char *buf, size_t size)
{
	size_t len = strlen(name);

	if (p->len + len >= sizeof(p->rel))
		return -ENAMETOOLONG;
	memcpy(p->rel + p->len, name, len + 1);
	return kt_read_task_text_at(taskfd, p->rel, buf, size);
}

/* vCPU number of thread @p from its comm (-1 for others); 0 or -errno. */
static int thread_vcpu(int taskfd, struct tid_path *p, int *vcpu)
{
	char buf[64];
	ssize_t len;

	*vcpu = -1;
	len = thread_file(taskfd, p, "comm", buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	*vcpu = kt_parse_vcpu_comm(buf, (size_t)len);
	return 0;
}

/* The host CPU @p last ran on (stat field 39, -1 unknown); 0 or -errno. */
static int thread_processor(int taskfd, struct tid_path *p, int *processor)
{
	struct kt_pid_stat st;
	char buf[1024];
	ssize_t len;
	int r;

	*processor = -1;
	len = thread_file(taskfd, p, "stat", buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	if ((r = kt_parse_pid_stat(buf, (size_t)len, &st)) != 0)
		return r;
	/* (the parser keeps it at most INT_MAX) */
	if (st.present & KT_PS_BIT(KT_PS_PROCESSOR))
		*processor = (int)st.v[KT_PS_PROCESSOR];
	return 0;
}

/*
 * Fills @t for thread @tid.  Returns 0, or -errno with @file the name of
 * the file that failed (schedstat or comm).  An unusable stat only leaves
 * the processor unknown, counted in @faults.
 */
static int read_thread(int taskfd, pid_t tid, struct tid_path *p,
		       const struct kt_thread *old, bool want_processor,
		       struct kt_thread *t, const char **file,
		       struct kt_thread_faults *faults)
{
	struct kt_schedstat ss;
	char buf[128];
	ssize_t len;
	int r;

	*file = "schedstat";
	len = thread_file(taskfd, p, *file, buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	if ((r = kt_parse_schedstat(buf, (size_t)len, &ss)) != 0)
		return r;
	t->tid = tid;
	t->vcpu = old != NULL ? old->vcpu : -1;
	*file = "comm";
	if (old == NULL && (r = thread_vcpu(taskfd, p, &t->vcpu)) != 0)
		return r;
	t->run_ns = ss.run_ns;
	t->wait_ns = ss.wait_ns;
	t->processor = -1;
	/* Only vCPU threads have a row that shows it: spare the reads. */
	if (want_processor && t->vcpu >= 0 &&
	    (r = thread_processor(taskfd, p, &t->processor)) != 0 && !gone(r)) {
		faults->processor++;
		note_fault(faults, tid, "stat", r);
	}
	return 0;
}

static int cmp_tid(const void *a, const void *b)
{
	const struct kt_thread *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

static int append_thread(struct kt_thread **v, size_t *n, size_t *cap,
			 const struct kt_thread *t)
{
	struct kt_thread *nv;

	if (*n == *cap) {
		size_t ncap = *cap != 0 ? *cap * 2 : 16;

		if ((nv = realloc(*v, ncap * sizeof(*nv))) == NULL)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = *t;
	return 0;
}

/*
 * Thread @tid into @v: read, or carried over from @prev when its files are
 * unusable, or left out when it exited.  0, or -ENOMEM.
 */
static int add_thread(int taskfd, const char *name, pid_t tid,
		      const struct kt_thread *prev, size_t n_prev,
		      bool want_processor, struct kt_thread_faults *faults,
		      struct kt_thread **v, size_t *count, size_t *cap)
{
	const struct kt_thread *old = kt_thread_find(prev, n_prev, tid);
	struct tid_path p;
	const char *file = "task";
	struct kt_thread t;
	int r;

	r = tid_path_set(&p, name)
		    ? read_thread(taskfd, tid, &p, old, want_processor, &t,
				  &file, faults)
		    : -ENAMETOOLONG;
	if (r == 0)
		return append_thread(v, count, cap, &t);
	if (gone(r))
		return 0; /* exited between readdir and open */
	faults->threads++;
	note_fault(faults, tid, file, r);
	return old != NULL ? append_thread(v, count, cap, old) : 0;
}

/*
 * The threads of the task directory @taskfd, by getdents64() into a buffer
 * on the stack: a QEMU process has a few dozen threads, one or two calls,
 * and no DIR to allocate per process and cycle.  With @v NULL the entries
 * are only counted into *@count, else each is read (at most @max: one more
 * stops the pass and counts as over).
 */
static int list_threads(int taskfd, const struct kt_thread *prev, size_t n_prev,
			bool want_processor, size_t max,
			struct kt_thread_faults *faults, struct kt_thread **v,
			size_t *count, size_t *cap)
{
	_Alignas(struct dirent64) char buf[4096];
	ssize_t len, off;
	size_t entries = 0;
	pid_t tid;
	int r;

	while ((len = getdents64(taskfd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < len;) {
			const struct dirent64 *de =
				(const struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if ((tid = parse_pid(de->d_name)) == 0)
				continue;
			if (v == NULL) {
				(*count)++;
				continue;
			}
			if (++entries > max)
				return -E2BIG;
			if ((r = add_thread(taskfd, de->d_name, tid, prev,
					    n_prev, want_processor, faults, v,
					    count, cap)) != 0)
				return r;
		}
	}
	return len < 0 ? -errno : 0;
}

/*
 * How many threads the task directory holds, when more than @max: a
 * first pass counts them without reading any thread's files, so a process
 * with 20000 threads costs a directory listing per cycle, not 60000
 * reads.  0 when it has at most @max (then rewound for the reading pass).
 */
static size_t threads_over(int taskfd, size_t max)
{
	size_t total = 0;

	if (list_threads(taskfd, NULL, 0, false, 0, NULL, NULL, &total, NULL) !=
		    0 ||
	    lseek(taskfd, 0, SEEK_SET) != 0)
		return 0; /* the reading pass finds out for itself */
	return total > max ? total : 0;
}

/* Threads sorted, and trimmed to their number (or freed when none). */
static struct kt_thread *threads_fit(struct kt_thread *v, size_t count,
				     size_t cap)
{
	struct kt_thread *fit;

	/* No thread leaves v NULL, which qsort() must not be given. */
	if (count > 1)
		qsort(v, count, sizeof(*v), cmp_tid);
	/* Kept until the next cycle, for 1000s of VMs: no slack. */
	if (count == 0) {
		free(v);
		return NULL;
	}
	if (count < cap && (fit = realloc(v, count * sizeof(*v))) != NULL)
		return fit;
	return v;
}

int kt_qemu_read_threads(int piddir, const struct kt_thread *prev,
			 size_t n_prev, bool want_processor, size_t max,
			 struct kt_thread **out, size_t *n, size_t *over,
			 struct kt_thread_faults *faults)
{
	struct kt_thread *v = NULL;
	/* Sized for as many threads as last time: mostly exactly right. */
	size_t cap = n_prev, count = 0;
	int taskfd, r;

	*out = NULL;
	*n = 0;
	*over = 0;
	memset(faults, 0, sizeof(*faults));
	taskfd = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskfd < 0)
		return -errno;
	if ((*over = threads_over(taskfd, max)) != 0) {
		close(taskfd);
		return 0;
	}
	if (cap > max)
		cap = max;
	if (cap > 0 && (v = malloc(cap * sizeof(*v))) == NULL)
		cap = 0;
	r = list_threads(taskfd, prev, n_prev, want_processor, max, faults, &v,
			 &count, &cap);
	close(taskfd);
	if (r == -E2BIG) { /* threads started since the count */
		*over = max + 1;
		r = 0;
		count = 0;
	}
	if (r == 0) {
		*out = threads_fit(v, count, cap);
		*n = count;
		v = NULL;
	}
	free(v);
	return r;
}

int kt_qemu_read_stat(int piddir, struct kt_pid_stat *out)
{
	char buf[1024];
	ssize_t len;

	len = kt_read_task_text_at(piddir, "stat", buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	return kt_parse_pid_stat(buf, (size_t)len, out);
}

int kt_qemu_read_io(int piddir, struct kt_pid_io *out)
{
	char buf[512];
	ssize_t len;

	memset(out, 0, sizeof(*out));
	len = kt_read_task_text_at(piddir, "io", buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	return kt_parse_pid_io(buf, (size_t)len, out);
}
