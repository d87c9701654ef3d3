/* events.c - a bounded ring of modem events with microsecond wall-clock stamps. */
#include "events.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"

void
events_init(struct events *e)
{
	e->ring = NULL;
	e->next_seq = 1;
	e->count = 0;
}

void
events_free(struct events *e)
{
	free(e->ring);
	events_init(e);
}

void
events_clear(struct events *e)
{
	e->count = 0; /* sequence numbers keep growing so readers never go back */
}

void
events_add(struct events *e, const char *kind, const char *fmt, ...)
{
	if (!e->ring) {
		e->ring = calloc(EVENTS_MAX, sizeof(*e->ring));
		if (!e->ring)
			return;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct events_entry *x = &e->ring[e->next_seq % EVENTS_MAX];
	x->seq = e->next_seq++;
	x->t_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	if (util_strcopy(x->kind, sizeof(x->kind), kind) < 0)
		x->kind[sizeof(x->kind) - 1] = '\0';
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->detail, sizeof(x->detail), fmt, ap);
	va_end(ap);
	if (e->count < EVENTS_MAX)
		e->count++;
}

long
events_dump(const struct events *e, uint64_t since, struct sbuf *out)
{
	long n = 0;
	uint64_t first = e->next_seq - e->count;
	if (since + 1 > first)
		first = since + 1;
	for (uint64_t s = first; s < e->next_seq; s++) {
		const struct events_entry *x = &e->ring[s % EVENTS_MAX];
		if (sbuf_printf(out, "EV %llu %lld.%03lld %s %s\n", (unsigned long long)x->seq,
			(long long)(x->t_us / 1000), (long long)(x->t_us % 1000), x->kind,
			x->detail) < 0)
			break;
		n++;
	}
	return n;
}
