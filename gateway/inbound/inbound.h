/* inbound.h - moves SMS from a modem's storage into the durable inbound
 * queue: each part is committed to SQLite before its copy on the SIM is
 * deleted (DESIGN.md invariant 1). Concatenated parts that arrive without
 * the rest are committed as fragments and joined in the store. */
#ifndef KAWAN_INBOUND_H
#define KAWAN_INBOUND_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "modem/modem.h"
#include "store/store.h"

struct inbound_counts {
	size_t stored;          /* new rows committed (joined messages count once) */
	size_t fragments;       /* parts of incomplete messages committed as fragments */
	size_t duplicates;      /* already stored (re-read after a crash), now deleted */
	size_t rejected;        /* unusable, logged, stored flagged for the audit */
	size_t unstored;        /* parts left on the SIM: the store refused them (issue 11) */
	enum store_fault fault; /* why, when unstored > 0 (a full disk: STORE_FAULT_DISK) */
};

/* Reads what modem m's storage holds, stores it (rows name m), then
 * deletes it from the SIM. Borrows everything. Returns 0, or -1 when the
 * modem link failed (what was committed stays committed; what was not
 * stays on the SIM). A part the store refused stays on the SIM and is
 * counted in counts->unstored, with the store's fault. */
int inbound_sweep(struct store *st, struct modem *m, const struct kawan_config *cfg,
    struct inbound_counts *counts) __attribute__((warn_unused_result));

/* Stores every message whose fragments waited longer than the configured
 * partial_timeout, joined as far as they go and flagged partial. Returns
 * how many, or -1 on a store error. */
int inbound_expire(struct store *st, const struct kawan_config *cfg, int64_t now_ms)
    __attribute__((warn_unused_result));

/* Makes text fit max_bytes without cutting a UTF-8 sequence. Returns true
 * when it cut anything. Exposed for tests. */
int inbound_clip_utf8(char *text, size_t max_bytes);

/* inbound_redact.c: when sender is a roster number and *text an officer
 * command carrying a PIN (config_pin_span), checks the PIN against that
 * person's hash and replaces *text (malloc'd; the old one is wiped and
 * freed) by the same text with the PIN as "****"; *flags gets
 * STORE_IN_REDACTED, and STORE_IN_PIN_OK when the PIN was right. Nothing
 * when *flags already has STORE_IN_REDACTED. 1 masked, 0 nothing to
 * mask, -1 out of memory (*text unchanged). */
int inbound_redact(const struct kawan_config *cfg, const char *sender, char **text, int *flags)
    __attribute__((warn_unused_result));

/* inbound_events.c: what a modem's poll() reported besides SMS. */

/* Stores the missed call m->last_call (MODEM_EV_CALL) as a call event for
 * the router (store_call_add), committed; a withheld number is logged and
 * gets nothing. 1 stored (wake the core), 0 nothing to store, -1 error. */
int inbound_call(struct store *st, struct modem *m, int64_t now_ms)
    __attribute__((warn_unused_result));
/* Records the status reports in m->reports (MODEM_EV_REPORT) against
 * this modem's sent messages and empties the list. How many failed (a
 * failed alert makes its report due: wake the core), or -1 (the reports
 * not yet recorded stay in m->reports). */
int inbound_reports(struct store *st, struct modem *m, int64_t now_ms)
    __attribute__((warn_unused_result));

#endif
