/* daemon.h - the gateway's main loop: modem supervision (open, reopen with
 * backoff), inbound sweeps on +CMTI or timer, routing, outbound sending,
 * SIGHUP reload and SIGTERM shutdown. */
#ifndef KAWAN_DAEMON_H
#define KAWAN_DAEMON_H

#include "config/config.h"

/* Runs until SIGTERM/SIGINT. Takes a copy of cfg. Returns the exit status. */
int daemon_run(const struct kawan_config *cfg);

#endif
