/* daemon.h - the gateway process: a thread per channel (one per modem), a
 * core thread that routes, ticks the reports and escalation, expires
 * fragments, applies retention and reloads, and the main thread, which
 * only waits for signals (SIGHUP reload, SIGTERM/SIGINT stop). */
#ifndef KAWAN_DAEMON_H
#define KAWAN_DAEMON_H

#include "config/config.h"

/* Runs until SIGTERM/SIGINT. Takes a copy of cfg. Returns the exit status. */
int daemon_run(const struct kawan_config *cfg);

#endif
