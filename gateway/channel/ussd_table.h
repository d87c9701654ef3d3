/* ussd_table.h - a fixed-size table of short string keys, each with a
 * time and a count: the USSD link's live sessions (for max_sessions) and
 * its per-number rate limit. Open addressing; an entry older than the
 * table's lifetime is free again. A key is kept as a 64-bit hash (32
 * bytes an entry, so a million sessions take 64 MiB): two keys with the
 * same hash (odds 2^-64 a pair) would share one count, which only makes
 * a limit a little stricter. Not locked: the caller holds its own mutex. */
#ifndef KAWAN_USSD_TABLE_H
#define KAWAN_USSD_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USSD_TABLE_KEY_MAX 168

struct ussd_entry {
	uint64_t h;       /* the key's hash; 0 never used */
	int64_t since_ms; /* when the entry (re)started */
	int64_t last_ms;  /* last touched; older than life_ms: free */
	int count;
};

struct ussd_table {
	struct ussd_entry *v;
	size_t cap;       /* a power of two, at least twice max */
	size_t max;       /* live entries allowed */
	size_t used;      /* slots ever filled since the last sweep */
	size_t live;      /* entries filled since the last sweep (an upper bound of live ones) */
	int64_t life_ms;  /* an entry untouched this long is gone */
	int64_t swept_ms; /* the last sweep (a full table sweeps at most once a second) */
};

/* 0, or -1 when out of memory. */
int ussd_table_init(struct ussd_table *t, size_t max, int64_t life_ms)
    __attribute__((warn_unused_result));
void ussd_table_fini(struct ussd_table *t);

/* The live entry for key, touched at now_ms; a new one (count 0,
 * since_ms now_ms) when key has none. NULL when the table holds max live
 * entries already, or key is longer than USSD_TABLE_KEY_MAX - 1. *fresh
 * (may be NULL) says whether it is new. */
struct ussd_entry *ussd_table_get(struct ussd_table *t, const char *key, int64_t now_ms,
    bool *fresh);

/* Live entries at now_ms (walks the table). */
size_t ussd_table_count(const struct ussd_table *t, int64_t now_ms);

#endif
