/* outbound.h - drains the durable outbound queue through one modem: a row
 * is marked sent only after the modem accepted it (+CMGS), retried with
 * backoff when refused, and marked failed after the configured attempts.
 * One struct outbound per modem thread; it owns nothing it is given. */
#ifndef KAWAN_OUTBOUND_H
#define KAWAN_OUTBOUND_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "modem/modem.h"
#include "store/store.h"

enum outbound_result {
	OUTBOUND_IDLE = 0,    /* nothing due */
	OUTBOUND_SENT,        /* one message accepted by the modem (and recorded) */
	OUTBOUND_RETRY,       /* refused; rescheduled or failed for good */
	OUTBOUND_LINK_DOWN,   /* the modem link failed; rescheduled */
	OUTBOUND_STORE_ERROR, /* the database failed; a message the modem accepted
	                          * waits in the sender to be recorded, never resent */
	OUTBOUND_FULL,        /* the modem's storage is full; deferred, no attempt counted */
};

/* The sending side of one modem. Borrows st and m for its life. */
struct outbound {
	struct store *st;
	struct modem *m;
	/* A message the modem accepted whose "sent" commit failed (the
	 * database busy or full): only the commit is tried again. */
	bool pending;
	int64_t pending_id;
	int pending_ref;
	struct modem_slot pending_slots[MODEM_MAX_OUT];
	size_t pending_n;
	bool pending_dlr;  /* it asked for a status report: recorded as pending */
	int pending_parts; /* SMS parts it put on the air (quotas) */
	/* Quotas (issue 10): rows below this priority are not sent (a modem
	 * at its cap sets STORE_PRIORITY_URGENT: alerts only); default 0. */
	int min_priority;
};

void outbound_init(struct outbound *ob, struct store *st, struct modem *m);

/* Records a pending acceptance first, if any; else sends the one queued
 * message for this modem due soonest, if any is due at now_ms. */
enum outbound_result outbound_send_one(struct outbound *ob, const struct kawan_config *cfg,
    int64_t now_ms);

/* Deletes stored outgoing parts on the modem that no queued message of
 * this modem refers to (left by a crash). Returns how many, or -1. */
int outbound_clean_orphans(struct outbound *ob);

/* The delay before attempt number attempts+1: retry_min doubled per
 * attempt made, capped at retry_max. Pure; exposed for tests. */
int64_t outbound_backoff_ms(const struct config_outbound *cfg, int attempts);

/* Whether o asks the network for a status report (config
 * delivery_reports: "alerts" = urgent rows, "all", "none"). Pure. */
bool outbound_wants_report(const struct kawan_config *cfg, const struct store_outbound *o);

#endif
