/* channel.h - the seam every source and sink of messages implements: the
 * SMS channel over a modem (channel_modem.c) now, the operator's USSD link
 * and the terminal phone next. A channel turns transport events into
 * stored inbound rows (committing, then waking the core) and sends what
 * the core queued for it (woken through channel_ops.wake). The router, the
 * engine and the reports know a channel only by its kind (enum
 * engine_channel) and its page limits.
 *
 * Each channel runs on its own thread with its own database connection;
 * nothing but the snapshot holder, the wakers and the stop flag is shared
 * with the core (DESIGN.md "Threads and channels"). */
#ifndef KAWAN_CHANNEL_H
#define KAWAN_CHANNEL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "channel/diskfull.h"
#include "channel/snapshot.h"
#include "config/config.h"
#include "core/wake.h"
#include "modem/modem.h"
#include "session/engine.h"

#define CHANNEL_NAME_MAX (CONFIG_NAME_MAX + 8) /* "modem:" + a modem's name */

/* What every channel gets from the daemon; borrowed for the channel's life. */
struct channel_env {
	const char *database;          /* each channel opens its own connection */
	struct snapshot_holder *snaps; /* configuration and content served */
	struct waker *core;            /* woken after inbound work is committed */
	/* Makes the modem for a modem channel: modem_gammu_new, or a test's. */
	struct modem *(*modem_new)(const struct config_modem *cfg);
	/* The pool's shared device table (channel_pool.h); NULL: each modem
	 * keeps its configured device. */
	struct channel_pool *pool;
	/* A full disk under the database, shared by the modem threads
	 * (diskfull.h, issue 11); NULL: each modem thread keeps its own. */
	struct diskfull *diskfull;
};

struct channel;

struct channel_ops {
	/* Starts the channel's thread. 0 or -1 (logged). */
	int (*start)(struct channel *ch);
	/* Outbound work may be due for it, or the snapshot changed. Any thread. */
	void (*wake)(struct channel *ch);
	/* Asks the thread to stop; returns at once. Any thread. */
	void (*stop)(struct channel *ch);
	/* Joins the thread (waiting for a blocking modem call in progress to
	 * return) and frees the channel. */
	void (*destroy)(struct channel *ch);
};

struct channel {
	const struct channel_ops *ops;
	enum engine_channel kind;
	char name[CHANNEL_NAME_MAX]; /* its thread's name: "modem:NAME" */
	void *impl;
	/* Monotonic ms when its thread last began a turn (0 before the
	 * first): the core watches it, since a call into a hung modem can
	 * block for minutes and nothing else would show it. */
	_Atomic int64_t beat_ms;
	bool stuck_logged; /* the core's own: a stall was reported */
};

/* How long a channel's thread may spend in one turn before the core
 * reports it stuck (sends of 10 parts and large sweeps stay well under). */
#define CHANNEL_STUCK_MS 60000

/* The SMS channel over one modem (a thread "modem:NAME" that owns the
 * modem's libgammu state machine). cfg is copied. NULL when out of memory. */
struct channel *channel_modem_new(const struct channel_env *env, const struct config_modem *cfg);

/* The operator USSD link (channel_ussd.c): threads "ussd" answering HTTP
 * hops from the snapshot's ussd settings; cfg (the socket settings it
 * starts with) is copied. A session untouched session_life_ms is no
 * longer counted against max_sessions. NULL when out of memory. */
struct channel *channel_ussd_new(const struct channel_env *env, const struct config_ussd *cfg,
    int64_t session_life_ms);

/* Stops and destroys each of n channels (NULL entries skipped). */
void channel_stop_all(struct channel **chs, size_t n);
/* Wakes each of n channels. */
void channel_wake_all(struct channel **chs, size_t n);
/* Reports (logs) each of n channels whose thread has been inside one turn
 * longer than CHANNEL_STUCK_MS at now_ms (monotonic), once per stall, and
 * when it moves again. Core thread only. Returns how many are stuck. */
size_t channel_watch(struct channel **chs, size_t n, int64_t now_ms);

#endif
