/* reports_escalate.c - who is alerted, and when: the alert chain of a
 * nationality and the escalation tick.
 *
 * Chain: the roster's officers in order, its supervisor, the NGO desk; for
 * a nationality with no roster (or unknown), the NGO desk alone.
 * Each due report, in its own transaction with its audit row:
 *   NEW                  -> alert chain[0], ALERTED, alert_level 1,
 *                           next_alert = now + ack_timeout        ("alerted")
 *   ALERTED, level < n   -> alert chain[level], level + 1,
 *                           next_alert = now + ack_timeout        ("escalated")
 *   ALERTED, level == n  -> remind the whole chain, reminders + 1,
 *                           next_alert = now + reminder_interval, or 0 after
 *                           max_reminders                          ("reminded")
 *   ACKED, CLOSED        -> next_alert = 0
 *   nobody in the chain  -> logged loudly (once), stays as it is,
 *                           looked at again after reminder_interval */
#include "reports/reports_int.h"

#include <strings.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

#define REPORTS_RECHECK_MIN_MS 60000

static void
reports_chain_add(struct reports_chain *c, const struct config_officer *o)
{
	if (o->number[0] == '\0' || reports_chain_has(c, o->number) || c->n == REPORTS_CHAIN_MAX)
		return;
	c->who[c->n++] = o;
}

void
reports_chain_for(const struct kawan_config *cfg, const char *nationality,
    struct reports_chain *out)
{
	out->n = 0;
	for (size_t i = 0; nationality[0] != '\0' && i < cfg->nrosters; i++) {
		const struct config_roster *ro = &cfg->rosters[i];

		if (strcasecmp(ro->nationality, nationality) != 0)
			continue;
		for (size_t k = 0; k < ro->nofficers && k < CONFIG_MAX_OFFICERS; k++)
			reports_chain_add(out, &ro->officers[k]);
		reports_chain_add(out, &ro->supervisor);
		break;
	}
	reports_chain_add(out, &cfg->ngo_desk);
}

bool
reports_chain_has(const struct reports_chain *c, const char *number)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->who[i]->number, number) == 0)
			return true;
	}
	return false;
}

struct reports_tick {
	const struct reports_ctx *x;
	int64_t now_ms;
	int queued;
	bool failed;
};

/* Queues text to one officer. */
static int
reports_escalate_send(const struct reports_ctx *x, const struct config_officer *o,
    const char *text, int64_t now_ms)
{
	return store_outbound_add(x->st, "sms", o->number, text, -1, 0, now_ms, NULL);
}

/* No one to alert: say so loudly the first time, look again later. */
static int
reports_escalate_nobody(const struct reports_ctx *x, struct store_report *r, int64_t now_ms)
{
	int64_t every = x->cfg->reports.reminder_interval_ms;

	if (r->next_alert_ms == 0)
		log_warnx("reports: REPORT %s (nationality %s) HAS NOBODY TO ALERT: no roster "
		    "for it and no NGO desk configured; it stays open, unseen. Add an NGO "
		    "desk or a roster to the configuration.", r->ref,
		    r->nationality[0] != '\0' ? r->nationality : "unknown");
	else
		log_debug("reports: %s still has nobody to alert", r->ref);
	r->next_alert_ms = now_ms + (every > REPORTS_RECHECK_MIN_MS ? every : REPORTS_RECHECK_MIN_MS);
	return store_report_save_state(x->st, r);
}

/* Alerts the next in the chain. */
static int
reports_escalate_next(struct reports_tick *t, struct store_report *r,
    const struct reports_chain *c)
{
	const struct config_officer *o = c->who[r->alert_level];
	const char *action = r->alert_level == 0 ? "alerted" : "escalated";
	char text[1024], detail[160];

	if (reports_alert_compose(t->x->cfg, r, "SOS", text, sizeof(text)) == 0)
		return -1;
	if (reports_escalate_send(t->x, o, text, t->now_ms) < 0)
		return -1;
	(void)snprintf(detail, sizeof(detail), "to %s (%d of %zu)", o->name,
	    r->alert_level + 1, c->n);
	r->state = STORE_REPORT_ALERTED;
	if (r->alerted_ms == 0)
		r->alerted_ms = t->now_ms;
	r->alert_level++;
	r->next_alert_ms = t->now_ms + t->x->cfg->reports.ack_timeout_ms;
	if (store_report_save_state(t->x->st, r) < 0 ||
	    store_audit_add(t->x->st, r->id, t->now_ms, "system", "system", action, detail) < 0)
		return -1;
	log_info("reports: %s %s %s", r->ref, action, detail);
	t->queued++;
	return 0;
}

/* The chain is exhausted: remind everyone in it. */
static int
reports_escalate_remind(struct reports_tick *t, struct store_report *r,
    const struct reports_chain *c)
{
	const struct config_reports *cr = &t->x->cfg->reports;
	char text[1024], detail[96];

	if (r->reminders >= cr->max_reminders) {
		r->next_alert_ms = 0;
		log_warnx("reports: %s still unacknowledged after %d reminders; reminders stop",
		    r->ref, r->reminders);
		return store_report_save_state(t->x->st, r);
	}
	if (reports_alert_compose(t->x->cfg, r, "REMINDER", text, sizeof(text)) == 0)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		if (reports_escalate_send(t->x, c->who[i], text, t->now_ms) < 0)
			return -1;
	}
	r->reminders++;
	r->next_alert_ms = r->reminders < cr->max_reminders ? t->now_ms + cr->reminder_interval_ms : 0;
	(void)snprintf(detail, sizeof(detail), "reminder %d of %d to %zu people", r->reminders,
	    cr->max_reminders, c->n);
	if (store_report_save_state(t->x->st, r) < 0 ||
	    store_audit_add(t->x->st, r->id, t->now_ms, "system", "system", "reminded", detail) < 0)
		return -1;
	log_info("reports: %s %s", r->ref, detail);
	t->queued += (int)c->n;
	return 0;
}

/* One due report, read again inside its transaction (kawanctl may have
 * acknowledged it since the scan). */
static int
reports_escalate_one(struct reports_tick *t, const char *ref)
{
	struct store_report r;
	struct reports_chain c;
	int rc = store_report_get(t->x->st, ref, &r);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (r.state == STORE_REPORT_ACKED || r.state == STORE_REPORT_CLOSED) {
		if (r.next_alert_ms == 0)
			return 0;
		r.next_alert_ms = 0;
		return store_report_save_state(t->x->st, &r);
	}
	if (r.next_alert_ms > t->now_ms || (r.state == STORE_REPORT_ALERTED && r.next_alert_ms == 0))
		return 0;
	reports_chain_for(t->x->cfg, r.nationality, &c);
	if (c.n == 0)
		return reports_escalate_nobody(t->x, &r, t->now_ms);
	if (r.alert_level < 0)
		r.alert_level = 0;
	if ((size_t)r.alert_level < c.n)
		return reports_escalate_next(t, &r, &c);
	return reports_escalate_remind(t, &r, &c);
}

/* store_report_due callback. */
static int
reports_escalate_due(const struct store_report *r, void *arg)
{
	struct reports_tick *t = arg;
	int queued = t->queued;
	bool own;
	int rc;

	if (reports_txn_begin(t->x->st, &own) < 0) {
		t->failed = true;
		return 1;
	}
	rc = reports_txn_end(t->x->st, own, reports_escalate_one(t, r->ref));
	if (rc < 0) {
		log_warnx("reports: %s: escalation failed; will retry", r->ref);
		if (own)
			t->queued = queued;     /* rolled back */
		t->failed = true;
		/* In the caller's transaction nothing more can be trusted. */
		return own ? 0 : 1;
	}
	return 0;
}

int
reports_tick(const struct reports_ctx *x, int64_t now_ms)
{
	struct reports_tick t = { .x = x, .now_ms = now_ms };

	if (store_report_due(x->st, now_ms, reports_escalate_due, &t) < 0 || t.failed)
		return -1;
	return t.queued;
}
