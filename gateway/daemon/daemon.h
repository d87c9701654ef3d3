/* daemon.h - the gateway process: a thread per channel (one per modem), a
 * core thread that routes, ticks the reports and escalation, expires
 * fragments, applies retention and reloads, and the main thread, which
 * only waits for signals (SIGHUP reload, SIGTERM/SIGINT stop). */
#ifndef KAWAN_DAEMON_H
#define KAWAN_DAEMON_H

#include <stdio.h>

#include "config/config.h"

/* Runs until SIGTERM/SIGINT. Takes a copy of cfg. Returns the exit status. */
int daemon_run(const struct kawan_config *cfg);

/* daemon_priv.c. Refuses (-1, logged) a configuration holding PIN hashes
 * that others can read, and a database (or its -wal, -shm) that group or
 * others can read; writes a warning to warn (NULL: none) when a modem has
 * gammu_log on. */
int daemon_priv_check(const struct kawan_config *cfg, FILE *warn)
    __attribute__((warn_unused_result));

/* Started as root: makes the database folder when missing, then drops to
 * cfg->user (initgroups, setgid, setuid, verified), or refuses (-1,
 * logged) when no user is configured. Not root: 0, nothing done. Call
 * before any thread starts. */
int daemon_priv_drop(const struct kawan_config *cfg) __attribute__((warn_unused_result));

#endif
