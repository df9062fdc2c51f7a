/*
 * Who may own a VM's QEMU process: root, and the users libvirt runs QEMU
 * as (qemu.conf's "user"; --qemu-user).  An unprivileged user cannot make
 * a process that all four of its uids (real, effective, saved, file
 * system) put in this set: that is what the agent trusts, before it reads
 * a word of the process's cmdline.
 */
#ifndef KT_QEMU_USERS_H
#define KT_QEMU_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KT_QEMU_USERS_MAX 8
/* libvirt's QEMU user on Debian (qemu.conf "user"), admitted by default. */
#define KT_DEFAULT_QEMU_USER "libvirt-qemu"

struct kt_qemu_users {
	uint32_t uid[KT_QEMU_USERS_MAX]; /* besides root, always admitted */
	size_t n;
};

/*
 * Whether the @n_ids uids of a process (PID/status's Uid line) are each
 * root's or one of @u's.  A set-user-ID program started by someone else
 * keeps its caller's real uid, so it is not admitted.
 */
bool kt_qemu_users_admit(const struct kt_qemu_users *u, const uint32_t *ids,
			 size_t n_ids);

#endif
