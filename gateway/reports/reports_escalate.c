/* reports_escalate.c - who is alerted, and when: the alert chain of a
 * nationality and the escalation tick.
 *
 * Chain: whom the worker let the gateway tell (report.notify: "ngo",
 * "embassy", "both"; before the choice, reports.sos_default), within what
 * the nationality's roster offers and the configuration makes possible:
 * the roster's officers in order and its supervisor when the embassy may
 * be told, then the NGO desk when it may. A worker who chose "ngo" is
 * never reported to an officer of the roster (alerts, escalation,
 * reminders, updates).
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
 *                           looked at again after reminder_interval
 * Alerts and reminders are queued urgent (ahead of worker replies) and the
 * report keeps the outbound id of the last one. The officer's time runs
 * from when the modem accepted it, not from when it was queued: when
 * next_alert comes and that alert is
 *   still queued         -> look again in REPORTS_QUEUED_RECHECK_MS
 *   sent at s            -> wait until s + ack_timeout (s + reminder_interval
 *                           after a reminder) if that is later than now
 *   failed               -> logged, escalate now
 *   sent, and a status report says the network failed to deliver it
 *                        -> logged, escalate now (store_dlr_record makes
 *                           the report due when that report comes) */
#include "reports/reports_int.h"

#include <strings.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

#define REPORTS_RECHECK_MIN_MS 60000
#define REPORTS_QUEUED_RECHECK_MS 1000

static void
reports_chain_add(struct reports_chain *c, const struct config_officer *o)
{
	if (o->number[0] == '\0' || reports_chain_has(c, o->number) || c->n == REPORTS_CHAIN_MAX)
		return;
	c->who[c->n++] = o;
}

/* The roster of nationality ("" none), or NULL. */
static const struct config_roster *
reports_roster(const struct kawan_config *cfg, const char *nationality)
{
	for (size_t i = 0; nationality[0] != '\0' && i < cfg->nrosters; i++)
		if (strcasecmp(cfg->rosters[i].nationality, nationality) == 0)
			return &cfg->rosters[i];
	return NULL;
}

/* CONFIG_TELL_* bits of a stored choice; -1 when none was made. */
static int
reports_choice_bits(const char *notify)
{
	if (notify == NULL || notify[0] == '\0')
		return -1;
	if (strcmp(notify, "ngo") == 0)
		return CONFIG_TELL_NGO;
	if (strcmp(notify, "embassy") == 0)
		return CONFIG_TELL_EMBASSY;
	if (strcmp(notify, "both") == 0)
		return CONFIG_TELL_BOTH;
	return -1;
}

unsigned
reports_offered(const struct kawan_config *cfg, const char *nationality)
{
	const struct config_roster *ro = reports_roster(cfg, nationality);
	unsigned possible = 0, offered = 0;

	if (ro != NULL && ro->nofficers > 0)
		possible |= CONFIG_TELL_EMBASSY;
	if (cfg->ngo_desk.number[0] != '\0')
		possible |= CONFIG_TELL_NGO;
	if (ro == NULL || ro->offer == 0)
		return possible;
	if (ro->offer & CONFIG_OFFER_NGO)
		offered |= CONFIG_TELL_NGO;
	if (ro->offer & CONFIG_OFFER_EMBASSY)
		offered |= CONFIG_TELL_EMBASSY;
	if (ro->offer & CONFIG_OFFER_BOTH)
		offered |= CONFIG_TELL_BOTH;
	return offered & possible;
}

unsigned
reports_choices(const struct kawan_config *cfg, const char *nationality)
{
	const struct config_roster *ro =
	    reports_roster(cfg, nationality != NULL ? nationality : "");
	bool embassy = ro != NULL && ro->nofficers > 0, ngo = cfg->ngo_desk.number[0] != '\0';
	unsigned offer = ro != NULL && ro->offer != 0 ?
			     ro->offer :
			     CONFIG_OFFER_NGO | CONFIG_OFFER_EMBASSY | CONFIG_OFFER_BOTH;
	unsigned out = 0;

	if (ngo)
		out |= offer & CONFIG_OFFER_NGO;
	if (embassy)
		out |= offer & CONFIG_OFFER_EMBASSY;
	if (ngo && embassy)
		out |= offer & CONFIG_OFFER_BOTH;
	return out;
}

unsigned
reports_tell(const struct kawan_config *cfg, const char *nationality, const char *notify)
{
	int choice = reports_choice_bits(notify);

	if (choice < 0 && cfg->reports.sos_default >= 0)
		choice = cfg->reports.sos_default;
	else if (choice < 0) /* not resolved by config_load: its default */
		choice = cfg->ngo_desk.number[0] != '\0' ? CONFIG_TELL_NGO : 0;
	return (unsigned)choice & reports_offered(cfg, nationality != NULL ? nationality : "");
}

void
reports_chain_for(const struct kawan_config *cfg, const char *nationality, const char *notify,
    struct reports_chain *out)
{
	const struct config_roster *ro;
	unsigned tell;

	out->n = 0;
	if (nationality == NULL)
		nationality = "";
	tell = reports_tell(cfg, nationality, notify);
	ro = reports_roster(cfg, nationality);
	if (ro != NULL && (tell & CONFIG_TELL_EMBASSY)) {
		for (size_t k = 0; k < ro->nofficers && k < CONFIG_MAX_OFFICERS; k++)
			reports_chain_add(out, &ro->officers[k]);
		reports_chain_add(out, &ro->supervisor);
	}
	if (tell & CONFIG_TELL_NGO)
		reports_chain_add(out, &cfg->ngo_desk);
}

enum reports_reach
reports_reach(const struct kawan_config *cfg, const struct store_report *r)
{
	struct reports_chain c;

	reports_chain_for(cfg, r->nationality, r->notify, &c);
	if (c.n > 0)
		return REPORTS_REACH_NOW;
	/* A choice the worker can still make may reach someone. */
	if (r->notify[0] == '\0' && reports_choices(cfg, r->nationality) != 0)
		return REPORTS_REACH_CHOICE;
	return REPORTS_REACH_NOBODY;
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

/* Queues text to one officer, ahead of normal messages; *id_out is its row. */
static int
reports_escalate_send(const struct reports_ctx *x, const struct config_officer *o, const char *text,
    int64_t now_ms, int64_t *id_out)
{
	return store_outbound_add_urgent(x->st, engine_channel_name(ENGINE_SMS), o->number, text,
	    -1, 0, now_ms, id_out);
}

/* Whether the network reported the last alert failed (a status report,
 * store_dlr_record): then it counts as not sent. 1 failed, 0 not, -1. */
static int
reports_escalate_undelivered(struct reports_tick *t, const struct store_report *r)
{
	enum store_dlr d;
	int64_t ms;

	if (store_outbound_dlr(t->x->st, r->last_alert_out_id, &d, &ms) < 0)
		return -1;
	/* Only an alert in the chain moves it on; a failed reminder is
	 * logged by the modem and the reminders keep their pace. */
	if (d != STORE_DLR_FAILED || r->reminders > 0)
		return 0;
	log_warnx("reports: %s: the network reports alert #%lld failed; escalating now", r->ref,
	    (long long)r->last_alert_out_id);
	return 1;
}

/* Whether the officers have had their time since the modem accepted the
 * last alert: 0 act now, 1 not yet (r saved with a later next_alert_ms),
 * -1 error. */
static int
reports_escalate_wait(struct reports_tick *t, struct store_report *r)
{
	const struct config_reports *cr = &t->x->cfg->reports;
	int64_t sent_ms = 0, wait_ms;

	if (r->state != STORE_REPORT_ALERTED || r->last_alert_out_id == 0)
		return 0;
	switch (store_outbound_sent_at(t->x->st, r->last_alert_out_id, &sent_ms)) {
	case 0:
		switch (reports_escalate_undelivered(t, r)) {
		case 1:
			return 0;
		case 0:
			break;
		default:
			return -1;
		}
		wait_ms = r->reminders > 0 ? cr->reminder_interval_ms : cr->ack_timeout_ms;
		if (sent_ms + wait_ms <= t->now_ms)
			return 0;
		r->next_alert_ms = sent_ms + wait_ms;
		log_debug("reports: %s: last alert #%lld sent at %lld; next look at %lld", r->ref,
		    (long long)r->last_alert_out_id, (long long)sent_ms,
		    (long long)r->next_alert_ms);
		break;
	case 1:
		r->next_alert_ms = t->now_ms + REPORTS_QUEUED_RECHECK_MS;
		log_debug("reports: %s: last alert #%lld still queued; escalation waits", r->ref,
		    (long long)r->last_alert_out_id);
		break;
	case 2:
		log_warnx("reports: %s: last alert #%lld could not be sent; escalating now", r->ref,
		    (long long)r->last_alert_out_id);
		return 0;
	default:
		return -1;
	}
	return store_report_save_state(t->x->st, r) < 0 ? -1 : 1;
}

/* No one to alert: say so loudly the first time (quietly while the
 * worker has still to choose whom to tell), look again later. */
static int
reports_escalate_nobody(const struct reports_ctx *x, struct store_report *r, int64_t now_ms)
{
	int64_t every = x->cfg->reports.reminder_interval_ms;

	if (r->next_alert_ms == 0 && reports_reach(x->cfg, r) == REPORTS_REACH_CHOICE)
		log_info("reports: %s waits for the worker's choice of whom to tell "
			 "(reports.sos_default alerts nobody for nationality %s)",
		    r->ref, r->nationality[0] != '\0' ? r->nationality : "unknown");
	else if (r->next_alert_ms == 0 && r->notify[0] != '\0')
		log_warnx("reports: REPORT %s (nationality %s): the worker chose '%s' and nobody "
			  "the configuration offers matches; it stays open, unseen. Check the "
			  "roster's offer and the NGO desk.",
		    r->ref, r->nationality[0] != '\0' ? r->nationality : "unknown", r->notify);
	else if (r->next_alert_ms == 0)
		log_warnx("reports: REPORT %s (nationality %s) HAS NOBODY TO ALERT: no roster "
			  "for it and no NGO desk configured; it stays open, unseen. Add an NGO "
			  "desk or a roster to the configuration.",
		    r->ref, r->nationality[0] != '\0' ? r->nationality : "unknown");
	else
		log_debug("reports: %s still has nobody to alert", r->ref);
	r->next_alert_ms =
	    now_ms + (every > REPORTS_RECHECK_MIN_MS ? every : REPORTS_RECHECK_MIN_MS);
	return store_report_save_state(x->st, r);
}

/* Alerts the next in the chain. */
static int
reports_escalate_next(struct reports_tick *t, struct store_report *r, const struct reports_chain *c)
{
	const struct config_officer *o = c->who[r->alert_level];
	const char *action = r->alert_level == 0 ? "alerted" : "escalated";
	char text[1024], detail[160];
	int64_t out_id = 0;

	if (reports_alert_compose(t->x->cfg, t->x->content, r, "SOS", text, sizeof(text)) == 0)
		return -1;
	if (reports_escalate_send(t->x, o, text, t->now_ms, &out_id) < 0)
		return -1;
	r->last_alert_out_id = out_id;
	(void)snprintf(detail, sizeof(detail), "to %s (%d of %zu)", o->name, r->alert_level + 1,
	    c->n);
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
	int64_t out_id = 0;

	if (r->reminders >= cr->max_reminders) {
		r->next_alert_ms = 0;
		log_warnx("reports: %s still unacknowledged after %d reminders; reminders stop",
		    r->ref, r->reminders);
		return store_report_save_state(t->x->st, r);
	}
	if (reports_alert_compose(t->x->cfg, t->x->content, r, "REMINDER", text, sizeof(text)) == 0)
		return -1;
	/* The last of the round is normally sent last (same priority and
	 * time, highest id): its sent time starts the next interval. */
	for (size_t i = 0; i < c->n; i++) {
		if (reports_escalate_send(t->x, c->who[i], text, t->now_ms, &out_id) < 0)
			return -1;
	}
	r->last_alert_out_id = out_id;
	r->reminders++;
	r->next_alert_ms =
	    r->reminders < cr->max_reminders ? t->now_ms + cr->reminder_interval_ms : 0;
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
	if (r.next_alert_ms > t->now_ms ||
	    (r.state == STORE_REPORT_ALERTED && r.next_alert_ms == 0))
		return 0;
	rc = reports_escalate_wait(t, &r);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	reports_chain_for(t->x->cfg, r.nationality, r.notify, &c);
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
			t->queued = queued; /* rolled back */
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

int
reports_worker_done(const struct reports_ctx *x, const char *msisdn, int64_t now_ms)
{
	struct store_report r;
	struct reports_chain c;
	char text[1024], detail[64];
	size_t n;
	bool own;
	int rc, sent = 0;

	if (reports_txn_begin(x->st, &own) < 0)
		return -1;
	rc = store_report_find_open(x->st, msisdn, 0, &r);
	if (rc != 0 || r.alert_level <= 0)
		return reports_txn_end(x->st, own, rc < 0 ? -1 : 0);
	reports_chain_for(x->cfg, r.nationality, r.notify, &c);
	reports_alert_compose(x->cfg, x->content, &r, "UPDATE", text, sizeof(text));
	/* Everyone alerted so far hears the whole report, ahead of the queue. */
	n = (size_t)r.alert_level < c.n ? (size_t)r.alert_level : c.n;
	for (size_t i = 0; i < n; i++) {
		int64_t id;

		if (reports_escalate_send(x, c.who[i], text, now_ms, &id) < 0)
			return reports_txn_end(x->st, own, -1);
		sent++;
	}
	snprintf(detail, sizeof(detail), "full report sent to %d officer%s", sent,
	    sent == 1 ? "" : "s");
	if (store_audit_add(x->st, r.id, now_ms, "system", "system", "updated", detail) < 0)
		return reports_txn_end(x->st, own, -1);
	return reports_txn_end(x->st, own, sent);
}

/* Appends code to the nationalities to look at unless it is there. */
static void
reports_warn_add(char (*nat)[3], size_t *n, size_t max, const char *code)
{
	if (code == NULL || strlen(code) > 2)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcasecmp(nat[i], code) == 0)
			return;
	if (*n < max)
		memcpy(nat[(*n)++], code, strlen(code) + 1);
}

size_t
reports_config_warn(const struct kawan_config *cfg, const struct content *content, FILE *out)
{
	char nat[CONFIG_MAX_ROSTERS + 64][3];
	size_t n = 0, warned = 0, max = sizeof(nat) / sizeof(nat[0]);

	for (size_t i = 0; i < cfg->nrosters; i++)
		reports_warn_add(nat, &n, max, cfg->rosters[i].nationality);
	for (size_t i = 0; content != NULL && i < content_nchoices(content); i++)
		reports_warn_add(nat, &n, max, content_choice_at(content, i)->code);
	for (size_t i = 0; content != NULL && i < content_nlanguages(content); i++)
		reports_warn_add(nat, &n, max,
		    content_language_nationality(content, content_language_at(content, i)->code));
	reports_warn_add(nat, &n, max, "");
	for (size_t i = 0; i < n; i++) {
		char who[96];

		if (reports_offered(cfg, nat[i]) != 0)
			continue;
		if (nat[i][0] == '\0')
			(void)snprintf(who, sizeof(who), "workers of unknown nationality");
		else
			(void)snprintf(who, sizeof(who), "nationality %.2s (%.60s)", nat[i],
			    reports_alert_country(content, nat[i]));
		fprintf(out,
		    "warning: reports: %s: nobody can be alerted (no roster offered to it, no "
		    "ngo_desk): their reports stay unseen\n",
		    who);
		warned++;
	}
	if (cfg->reports.sos_default == 0) {
		fprintf(out, "warning: reports: sos_default is \"none\": HELP/SOS alerts nobody at "
			     "once; a report is seen only once the worker chooses whom to tell\n");
		warned++;
	}
	return warned;
}
