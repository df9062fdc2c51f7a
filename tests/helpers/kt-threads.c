/*
 * A stand-in for a QEMU process with very many threads that keep coming
 * and going under ever new vCPU names, for tests/integration/spoofing.sh:
 *
 *	kt-threads COUNT CHURN [ARG...]
 *
 * keeps COUNT threads alive, each named "CPU n/KVM" with n counting up
 * from 0, and CHURN times a second ends one of them and starts another
 * under the next number.  ARG... are not used: they are for the cmdline
 * ("-uuid UUID").  A thread waits in read() on a shared pipe, so the
 * threads cost no CPU: each byte written wakes one of them, which exits.
 * Prints "ready" on stdout once COUNT threads run; runs until killed.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int pipe_fd[2];
static unsigned next_number;

static void *vcpu_thread(void *arg)
{
	char name[16], byte;

	snprintf(name, sizeof(name), "CPU %u/KVM",
		 (unsigned)(unsigned long)arg);
	pthread_setname_np(pthread_self(), name);
	while (read(pipe_fd[0], &byte, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static int start_one(const pthread_attr_t *attr)
{
	pthread_t t;

	return pthread_create(&t, attr, vcpu_thread,
			      (void *)(unsigned long)next_number++);
}

int main(int argc, char **argv)
{
	struct timespec tick;
	pthread_attr_t attr;
	long count, churn, i;

	if (argc < 3 || (count = atol(argv[1])) <= 0 ||
	    (churn = atol(argv[2])) < 0 || pipe(pipe_fd) != 0) {
		fprintf(stderr, "usage: kt-threads COUNT CHURN [ARG...]\n");
		return 2;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN + 16384);
	/* No guard page: one mapping a thread, under vm.max_map_count. */
	pthread_attr_setguardsize(&attr, 0);
	for (i = 0; i < count; i++)
		if (start_one(&attr) != 0) {
			perror("pthread_create");
			return 1;
		}
	printf("ready\n");
	fflush(stdout);
	if (churn == 0)
		for (;;)
			pause();
	tick.tv_sec = 0;
	tick.tv_nsec = 1000000000L / churn;
	for (;;) {
		nanosleep(&tick, NULL);
		if (write(pipe_fd[1], "x", 1) == 1)
			start_one(&attr);
	}
}
