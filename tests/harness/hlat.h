/* hlat.h - latency figures from the simulated modem's events: the Nth
 * +CMTI paired with the Nth AT+CMGS (single-part messages, answered in
 * order), sorted, with nearest-rank percentiles. For the benchmarks. */
#ifndef KAWAN_HLAT_H
#define KAWAN_HLAT_H

#include <stdint.h>

struct harness;

struct hlat {
	int pairs; /* CMTI/CMGS pairs measured */
	double median_ms, p99_ms, min_ms, max_ms;
};

/* Reads modem k's events after since (harness_events_on) and fills out.
 * 0, or -1 (printed). */
int hlat_cmti_to_cmgs(struct harness *h, int k, uint64_t since, struct hlat *out)
    __attribute__((warn_unused_result));

#endif
