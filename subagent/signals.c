/*
 * The stop signals as a file descriptor (signals.h).
 */
#include "signals.h"

#include <signal.h>
#include <stddef.h>
#include <sys/signalfd.h>

int kt_stop_signals_fd(int extra)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (extra != 0)
		sigaddset(&set, extra);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}
