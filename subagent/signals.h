/*
 * The stop signals (SIGINT, SIGTERM, SIGHUP) as a file descriptor, for the
 * programs' poll() loops; SIGPIPE ignored (a peer gone is an error return).
 */
#ifndef KT_SIGNALS_H
#define KT_SIGNALS_H

/*
 * Blocks the stop signals, and @extra unless 0 (the agent's SIGUSR1:
 * collect now), in every thread (call it before starting any) and returns
 * a non-blocking signalfd for them, or -1.
 */
int kt_stop_signals_fd(int extra);

#endif
