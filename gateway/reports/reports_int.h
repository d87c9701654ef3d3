/* reports_int.h - what the reports files share: transactions that nest in
 * the caller's, the transitions every channel goes through, the alert
 * chain of a nationality, and worker-facing texts. Not for other stages. */
#ifndef KAWAN_REPORTS_INT_H
#define KAWAN_REPORTS_INT_H

#include "reports/reports.h"

/* Officers of a roster, its supervisor and the NGO desk. */
#define REPORTS_CHAIN_MAX (CONFIG_MAX_OFFICERS + 2)

/* Who is alerted for a nationality, in order; borrows from the config. */
struct reports_chain {
	const struct config_officer *who[REPORTS_CHAIN_MAX];
	size_t n;
};

/* reports.c */
/* Opens a transaction unless the caller holds one (*own says which). 0 or -1. */
int reports_txn_begin(struct store *st, bool *own) __attribute__((warn_unused_result));
/* Ends what reports_txn_begin opened: commits when rc >= 0, else rolls
 * back. A caller's transaction is left to the caller. Returns rc, or -1
 * when the commit failed. */
int reports_txn_end(struct store *st, bool own, int rc) __attribute__((warn_unused_result));
/* Transitions on r (read inside the transaction), saved and audited.
 * 0 done, 1 refused (why says so in one short English line), -1 error.
 * Borrow every argument. */
int reports_apply_ack(const struct reports_ctx *x, struct store_report *r, const char *actor,
    const char *channel, int64_t now_ms, char *why, size_t whysz)
    __attribute__((warn_unused_result));
int reports_apply_close(const struct reports_ctx *x, struct store_report *r, const char *actor,
    const char *channel, const char *outcome, int64_t now_ms, char *why, size_t whysz)
    __attribute__((warn_unused_result));
int reports_apply_note(const struct reports_ctx *x, struct store_report *r, const char *actor,
    const char *channel, const char *text, int64_t now_ms, char *why, size_t whysz)
    __attribute__((warn_unused_result));
/* A worker-facing UI string in lang; the English built-in when there is no
 * content or it lacks key. Borrowed; never NULL. */
const char *reports_ui(const struct reports_ctx *x, const char *lang, const char *key);

/* reports_escalate.c */
/* The alert chain for nationality ("" unknown) and the worker's choice
 * notify ("ngo", "embassy", "both"; "" not chosen: reports.sos_default),
 * within what the roster offers (reports_tell): the roster's officers in
 * order and its supervisor when the embassy may be told, then the NGO
 * desk when it may. Numbers appear once; empty numbers are skipped. */
void reports_chain_for(const struct kawan_config *cfg, const char *nationality, const char *notify,
    struct reports_chain *out);
bool reports_chain_has(const struct reports_chain *c, const char *number);

/* reports_alert.c */
/* The officer alert with the given headline word ("SOS", "REMINDER");
 * see reports_alert_text. */
size_t reports_alert_compose(const struct kawan_config *cfg, const struct content *content,
    const struct store_report *r, const char *kind, char *buf, size_t bufsz);
/* Queues the worker's "an officer acknowledged" notice when the settings
 * and the worker's preferences allow: 1 queued (audited), 0 not, -1 error. */
int reports_alert_worker_acked(const struct reports_ctx *x, const struct store_report *r,
    int64_t now_ms) __attribute__((warn_unused_result));
/* English name of a nationality code in content's countries.cfg ("MM" ->
 * "Myanmar"); the code itself when content is NULL or lacks it; "" ->
 * "nationality unknown". Borrowed. */
const char *reports_alert_country(const struct content *content, const char *code);

#endif
