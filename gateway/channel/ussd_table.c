/* ussd_table.c - the USSD link's fixed-size key table; see ussd_table.h.
 * Linear probing never empties a slot (a lookup would stop early at the
 * hole); an expired entry is reused by a new key instead, and a sweep
 * rebuilds the table without the expired ones when probes grow long. */
#include "channel/ussd_table.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* FNV-1a, then the splitmix64 finalizer (spreads the low bits the slot
 * index is taken from); never 0. */
static uint64_t
ussd_table_hash(const char *s)
{
	uint64_t h = util_fnv1a64(s);

	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h != 0 ? h : 1;
}

int
ussd_table_init(struct ussd_table *t, size_t max, int64_t life_ms)
{
	size_t cap = 16;

	memset(t, 0, sizeof(*t));
	while (cap < max * 2)
		cap *= 2;
	t->v = calloc(cap, sizeof(*t->v));
	if (t->v == NULL)
		return -1;
	t->cap = cap;
	t->max = max;
	t->life_ms = life_ms;
	return 0;
}

void
ussd_table_fini(struct ussd_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static bool
ussd_table_alive(const struct ussd_table *t, const struct ussd_entry *e, int64_t now_ms)
{
	return e->h != 0 && now_ms - e->last_ms < t->life_ms;
}

size_t
ussd_table_count(const struct ussd_table *t, int64_t now_ms)
{
	size_t n = 0;

	for (size_t i = 0; i < t->cap; i++)
		n += ussd_table_alive(t, &t->v[i], now_ms);
	return n;
}

/* Rebuilds the table with only the live entries (left as it is when
 * out of memory: still correct, only slower to probe). */
static void
ussd_table_sweep(struct ussd_table *t, int64_t now_ms)
{
	struct ussd_entry *tmp;
	size_t w = 0;

	tmp = malloc(t->cap * sizeof(*tmp));
	if (tmp == NULL)
		return;
	for (size_t i = 0; i < t->cap; i++)
		if (ussd_table_alive(t, &t->v[i], now_ms))
			tmp[w++] = t->v[i];
	memset(t->v, 0, t->cap * sizeof(*t->v));
	for (size_t i = 0; i < w; i++) {
		size_t j = (size_t)tmp[i].h & (t->cap - 1);

		while (t->v[j].h != 0)
			j = (j + 1) & (t->cap - 1);
		t->v[j] = tmp[i];
	}
	free(tmp);
	t->used = w;
	t->live = w;
}

struct ussd_entry *
ussd_table_get(struct ussd_table *t, const char *key, int64_t now_ms, bool *fresh)
{
	size_t klen = strlen(key), i, reuse = SIZE_MAX;
	uint64_t h;

	if (fresh != NULL)
		*fresh = false;
	if (klen == 0 || klen >= USSD_TABLE_KEY_MAX)
		return NULL;
	h = ussd_table_hash(key);
	for (int pass = 0; pass < 2; pass++) {
		i = (size_t)h & (t->cap - 1);
		for (size_t probes = 0; probes < t->cap; probes++, i = (i + 1) & (t->cap - 1)) {
			struct ussd_entry *e = &t->v[i];

			if (e->h == 0)
				break;
			if (e->h == h) {
				if (!ussd_table_alive(t, e, now_ms)) {
					e->since_ms = now_ms;
					e->count = 0;
					if (fresh != NULL)
						*fresh = true;
				}
				e->last_ms = now_ms;
				return e;
			}
			if (reuse == SIZE_MAX && !ussd_table_alive(t, e, now_ms))
				reuse = i;
		}
		if (t->live < t->max && t->used < t->cap - t->cap / 4)
			break;
		/* Sweeping walks the whole table: when it is full of live
		 * entries, once a second is enough to see some expire. */
		if (pass == 1 || (t->swept_ms != 0 && now_ms - t->swept_ms < 1000))
			return NULL;
		t->swept_ms = now_ms;
		ussd_table_sweep(t, now_ms);
		reuse = SIZE_MAX;
		if (t->live >= t->max)
			return NULL;
	}
	if (reuse == SIZE_MAX) {
		if (t->v[i].h != 0)
			return NULL; /* full (cannot happen below 3/4 use) */
		reuse = i;
		t->used++;
	}
	t->v[reuse].h = h;
	t->v[reuse].since_ms = now_ms;
	t->v[reuse].last_ms = now_ms;
	t->v[reuse].count = 0;
	t->live++;
	if (fresh != NULL)
		*fresh = true;
	return &t->v[reuse];
}
