/* ladder.h - the reset ladder of a modem that fails to reopen (issue 10),
 * as a pure state machine: reopen with backoff -> a modem reset through
 * libgammu -> the operator's reset_command -> dead (the operators are told
 * once). Each rung is tried after reset_after failed reopens on the rung
 * below. No I/O: channel_modem.c carries out the actions. */
#ifndef KAWAN_LADDER_H
#define KAWAN_LADDER_H

#include <stdbool.h>

enum ladder_rung {
	LADDER_REOPEN = 0, /* reopening with backoff (where every modem starts) */
	LADDER_RESET,      /* a libgammu reset was asked for; reopening again */
	LADDER_COMMAND,    /* reset_command was run; reopening again */
	LADDER_DEAD,       /* marked dead; still reopened now and then */
};

enum ladder_action {
	LADDER_ACT_REOPEN = 0, /* just reopen after the backoff */
	LADDER_ACT_RESET,      /* ask the modem to reset (GSM_Reset), then reopen */
	LADDER_ACT_COMMAND,    /* run reset_command DEVICE, then reopen */
	LADDER_ACT_DEAD,       /* mark the modem dead and tell the operators (once) */
};

struct ladder {
	enum ladder_rung rung;
	int fails; /* failed reopens on this rung */
};

/* A reopen failed: the action to take now. reset_after: failed reopens per
 * rung (>= 1); have_command: a reset_command is configured (else that
 * rung is skipped). Dead is reached once; after it, only reopens. */
enum ladder_action ladder_failed(struct ladder *l, int reset_after, bool have_command);

/* The modem opened: back to the bottom. Returns the rung it was on. */
enum ladder_rung ladder_opened(struct ladder *l);

/* "reopen", "reset", "command", "dead": for logs and the store. */
const char *ladder_rung_name(enum ladder_rung r);

#endif
