/* outbound.h - drains the durable outbound queue through a modem: a row
 * is marked sent only after the modem accepted it (+CMGS), retried with
 * backoff when refused, and marked failed after the configured attempts. */
#ifndef KAWAN_OUTBOUND_H
#define KAWAN_OUTBOUND_H

#include <stdint.h>

#include "config/config.h"
#include "modem/modem.h"
#include "store/store.h"

enum outbound_result {
	OUTBOUND_IDLE = 0,       /* nothing due */
	OUTBOUND_SENT,           /* one message accepted by the modem */
	OUTBOUND_RETRY,          /* refused; rescheduled or failed for good */
	OUTBOUND_LINK_DOWN,      /* the modem link failed; rescheduled */
	OUTBOUND_STORE_ERROR,
};

/* Sends the one queued message due soonest, if any is due at now_ms. */
enum outbound_result outbound_send_one(struct store *st, struct modem *m,
    const struct kawan_config *cfg, int64_t now_ms);

/* Deletes stored outgoing parts on the modem that no queued message
 * refers to (left by a crash). Returns how many, or -1. */
int outbound_clean_orphans(struct store *st, struct modem *m);

/* The delay before attempt number attempts+1: retry_min doubled per
 * attempt made, capped at retry_max. Pure; exposed for tests. */
int64_t outbound_backoff_ms(const struct config_outbound *cfg, int attempts);

#endif
