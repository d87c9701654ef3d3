/* channel_pool.h - the pool of modems seen from the modem threads (issue
 * 10): which device each SIM is on (names follow SIMs, not ports), and
 * failover of a down modem's queued rows to the others. */
#ifndef KAWAN_CHANNEL_POOL_H
#define KAWAN_CHANNEL_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "store/store.h"

#define CHANNEL_IMSI_MAX 24

/* The devices of the modems configured with an imsi, shared by their
 * threads under a mutex: who holds each, and the IMSI last seen on it. */
struct channel_pool;

/* Built from the configuration at start (the pool's devices do not change
 * with a reload). NULL on allocation failure. The caller frees it with
 * channel_pool_free() after every modem thread stopped. */
struct channel_pool *channel_pool_new(const struct kawan_config *cfg);
void channel_pool_free(struct channel_pool *p);

/* The device modem me should try next, claimed for it, into dev: for a
 * modem without imsi (or p NULL), its own device; else a free device last
 * seen holding its IMSI, then its own device, then one whose SIM is
 * nobody's (in turn by attempt). 0, or 1 when every candidate is held. */
int channel_pool_claim(struct channel_pool *p, const struct kawan_config *cfg,
    const struct config_modem *me, unsigned attempt, char *dev, size_t devsz);
/* Gives dev back, remembering the IMSI seen on it ("" unknown, NULL keep). */
void channel_pool_release(struct channel_pool *p, const char *dev, const char *imsi);

/* One failover pass, from any modem thread (st is its connection): every
 * queued row of a modem down for longer than its failover_after (or that
 * may not send: role receive) moves to a modem that is up and may send,
 * of the destination's network first (config_pool_pick); rows with parts
 * staged on a SIM stay with it. Unassigned rows (officer alerts) go to a
 * modem of their destination's network when one is up. self/self_up: the
 * caller's modem, whose state it knows best. Returns rows moved, or -1. */
int channel_pool_failover(struct store *st, const struct kawan_config *cfg, const char *self,
    bool self_up, int64_t now_ms);

#endif
