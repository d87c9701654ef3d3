/* events.h - a bounded log of what the modem did (CMTI, CMGS, ...) with
 * microsecond wall-clock stamps, read by benchmarks through EVENTS. */
#ifndef SIM_EVENTS_H
#define SIM_EVENTS_H

#include <stdint.h>

#include "sbuf.h"

#define EVENTS_MAX 100000

struct events_entry {
	uint64_t seq;
	int64_t t_us;
	char kind[8];
	char detail[64];
};

struct events {
	struct events_entry *ring; /* owned, EVENTS_MAX entries, allocated on first use */
	uint64_t next_seq;         /* seq of the next event; first is 1 */
	uint64_t count;            /* entries held (<= EVENTS_MAX) */
};

void events_init(struct events *e);
void events_free(struct events *e);
void events_clear(struct events *e);
void events_add(struct events *e, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends "EV <seq> <ms.uuu> <KIND> <detail>\n" for seq > since; returns lines written. */
long events_dump(const struct events *e, uint64_t since, struct sbuf *out);

#endif
