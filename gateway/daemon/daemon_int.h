/* daemon_int.h - what the daemon's two files share: the process's state. */
#ifndef KAWAN_DAEMON_INT_H
#define KAWAN_DAEMON_INT_H

#include <stdatomic.h>
#include <stdbool.h>

#include "channel/channel.h"
#include "channel/snapshot.h"
#include "core/wake.h"
#include "store/store.h"

struct daemon {
	struct snapshot_holder snaps;                    /* shared by every thread */
	struct waker core_wake;                          /* channels and signals wake the core */
	atomic_bool stop;                                /* SIGTERM/SIGINT */
	atomic_bool reload;                              /* SIGHUP */
	struct channel *channels[CONFIG_MAX_MODEMS + 1]; /* the modems, then the USSD link */
	size_t nchannels;
	struct channel_pool *pool; /* the modems' devices by SIM (issue 10) */
	struct diskfull diskfull;  /* a full disk, as the modem threads see it (issue 11) */
	/* The core thread's own. */
	struct store *st;          /* opened by main before the core starts */
	int64_t next_retention_ms; /* monotonic */
};

/* daemon_core.c: the core thread's body; arg is the struct daemon. */
void *daemon_core_main(void *arg);

/* daemon.c: loads the content cfg names; NULL with errors logged. Core
 * thread (or before it starts) only. */
struct content *daemon_load_content(const struct kawan_config *cfg);

#endif
