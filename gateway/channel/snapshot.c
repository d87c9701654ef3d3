/* snapshot.c - the served configuration and content, with the engine's
 * page cache built for them (engine_cache.c), reference counted.
 * The holder's mutex guards only the pointer swap and the taking of a
 * reference; a snapshot itself is never written after snapshot_new(). */
#include "channel/snapshot.h"

#include <stdlib.h>

#include "core/log.h"
#include "core/util.h"
#include "router/router.h"

struct snapshot *
snapshot_new(const struct kawan_config *cfg, struct content *content)
{
	struct snapshot *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		log_warn("snapshot");
		content_free(content);
		return NULL;
	}
	atomic_init(&s->refs, 1);
	s->gen = 1;
	s->cfg = *cfg;
	s->content = content;
	router_engine_settings(&s->cfg, &s->engine);
	if (content != NULL) {
		struct engine_cache *k = NULL;
		int64_t t0 = util_mono_ms();

		if (engine_cache_build(content, &s->engine, &k) == -1) {
			content_free(content);
			free(s);
			return NULL;
		}
		s->cache = k;
		s->engine.cache = k;
		log_info("snapshot: %zu pages laid out in %lld ms (%zu kB)", engine_cache_npages(k),
		    (long long)(util_mono_ms() - t0), engine_cache_bytes(k) / 1024);
	}
	return s;
}

struct snapshot *
snapshot_hold(struct snapshot *s)
{
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

void
snapshot_release(struct snapshot *s)
{
	if (s == NULL)
		return;
	/* acq_rel: every use of s by the releasing threads happens before the free. */
	if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	/* the cache first: it borrows the content */
	engine_cache_free(s->cache);
	content_free(s->content);
	free(s);
}

int
snapshot_holder_init(struct snapshot_holder *h, struct snapshot *first)
{
	if (pthread_mutex_init(&h->mu, NULL) != 0) {
		log_warnx("snapshot: cannot make a mutex");
		return -1;
	}
	h->cur = first;
	return 0;
}

struct snapshot *
snapshot_get(struct snapshot_holder *h)
{
	struct snapshot *s;

	pthread_mutex_lock(&h->mu);
	s = snapshot_hold(h->cur);
	pthread_mutex_unlock(&h->mu);
	return s;
}

void
snapshot_swap(struct snapshot_holder *h, struct snapshot *next)
{
	struct snapshot *old;

	pthread_mutex_lock(&h->mu);
	old = h->cur;
	next->gen = old->gen + 1;
	h->cur = next;
	pthread_mutex_unlock(&h->mu);
	snapshot_release(old);
}

void
snapshot_holder_fini(struct snapshot_holder *h)
{
	snapshot_release(h->cur);
	h->cur = NULL;
	pthread_mutex_destroy(&h->mu);
}
