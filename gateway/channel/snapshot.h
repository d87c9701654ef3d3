/* snapshot.h - what the gateway serves, as one immutable snapshot: the
 * configuration, the content loaded from it and the engine settings made
 * from both. Threads share it read-only through a reference count; a
 * reload builds and checks a new one, then swaps the holder's pointer, and
 * the old one is freed when its last user lets go (DESIGN.md "Threads and
 * channels"). */
#ifndef KAWAN_SNAPSHOT_H
#define KAWAN_SNAPSHOT_H

#include <pthread.h>
#include <stdatomic.h>

#include "config/config.h"
#include "content/content.h"
#include "session/engine.h"

struct snapshot {
	atomic_int refs;
	unsigned long gen; /* 1, 2, ...: which reload made it */
	struct kawan_config cfg;
	struct content *content;       /* NULL: no content group; owned */
	struct engine_settings engine; /* engine.cache is cache below */
	struct engine_cache
	    *cache; /* the engine's pages for content; NULL without content; owned */
};

/* The current snapshot, swapped whole on reload. */
struct snapshot_holder {
	pthread_mutex_t mu;
	struct snapshot *cur; /* holds one reference */
};

/* Makes a snapshot of cfg (copied) and content (taken: freed with the
 * snapshot), holding one reference for the caller, with the engine's page
 * cache built for both (engine_cache_build; freed with the snapshot).
 * NULL when out of memory (content is freed then too). */
struct snapshot *snapshot_new(const struct kawan_config *cfg, struct content *content);
/* Takes one more reference; returns s. */
struct snapshot *snapshot_hold(struct snapshot *s);
/* Lets go of one reference; the last one frees the snapshot. NULL is fine. */
void snapshot_release(struct snapshot *s);

/* Starts h holding first (the caller's reference passes to h). 0 or -1. */
int snapshot_holder_init(struct snapshot_holder *h, struct snapshot *first)
    __attribute__((warn_unused_result));
/* The current snapshot, with a reference the caller releases. Any thread. */
struct snapshot *snapshot_get(struct snapshot_holder *h);
/* Makes next current (the caller's reference passes to h; next->gen is set
 * to one past the old one's); the old one is released. Any thread. */
void snapshot_swap(struct snapshot_holder *h, struct snapshot *next);
/* Releases the current snapshot and the holder. */
void snapshot_holder_fini(struct snapshot_holder *h);

#endif
