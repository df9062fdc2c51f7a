/*
 * The monotonic clock in nanoseconds: intervals, ages and schedules are
 * measured with it, never with the wall clock, which may jump.
 */
#ifndef KT_CLOCK_H
#define KT_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t kt_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
