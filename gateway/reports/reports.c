/* reports.c - the report lifecycle: a worker's SOS, answers and STATUS;
 * the transitions officers make by SMS (reports_officer.c) or kawanctl;
 * retention. Every change is saved with its audit row in one transaction.
 *
 *               reports_worker_sos()
 *   (none) ---------------------------> NEW <--- reports_worker_sos() while the
 *                                        |       number's report is open (any
 *             reports_tick():            |       age): same report, audit "updated"
 *             alert chain[0]             v
 *                                     ALERTED ---- reports_tick(): every
 *                                        |  ^      ack_timeout the next in the
 *          reports_apply_ack()           |  |      chain ("escalated"), then
 *          (officer ACK, kawanctl ack)   |  +----- reminders ("reminded")
 *   NEW, ALERTED ----------------------> ACKED     every reminder_interval
 *                                        |
 *          reports_apply_close()         v
 *   NEW, ALERTED, ACKED ---------------> CLOSED --reports_retention()--> CLOSED, erased
 *   NEW, ALERTED, ACKED, not updated for retention_days
 *                      --reports_retention()--> CLOSED by "system", erased
 *
 *   reports_apply_note(): any state, no change of state.
 *   ACK of ACKED or CLOSED, CLOSE of CLOSED: refused with a clear answer.
 *   A worker's new nationality or new choice of whom to tell (consent) on
 *   an unacknowledged report re-routes its alerts when that changes who is
 *   alerted: alert_level 0, due now (reports_worker_field()). */
#include "reports/reports_int.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "render/render.h"

#define REPORTS_DAY_MS (24LL * 60 * 60 * 1000)

/* Worker texts when no content is loaded (or it lacks the key). */
static const struct {
	const char *key;
	const char *text;
} reports_builtin[] = {
	{ "status_usage", "Send STATUS and your reference, for example STATUS K7Q2." },
	{ "status_unknown", "We cannot find that reference. Check it and send STATUS again." },
	{ "status_open",
	    "Report %s is open and someone who can help has been told. Send HELP to add news." },
	{ "status_open_wait", "Report %s is saved. Nobody is told until you choose: send HELP." },
	{ "status_open_none", "Report %s is saved, but no helpline is connected here yet: call the "
			      "numbers in Contacts." },
	{ "status_acked", "Report %s: an officer is working on it." },
	{ "status_closed", "Report %s is closed. Send HELP if you need help again." },
};

const char *
reports_ui(const struct reports_ctx *x, const char *lang, const char *key)
{
	if (x->content != NULL) {
		const char *s =
		    content_ui(x->content, lang != NULL ? lang : "en", key, x->serve_fuzzy);

		/* content_ui gives the key itself back when it does not know it. */
		if (s != NULL && strcmp(s, key) != 0)
			return s;
	}
	for (size_t i = 0; i < sizeof(reports_builtin) / sizeof(reports_builtin[0]); i++) {
		if (strcmp(reports_builtin[i].key, key) == 0)
			return reports_builtin[i].text;
	}
	return key;
}

int
reports_txn_begin(struct store *st, bool *own)
{
	*own = !store_in_transaction(st);
	if (*own && store_begin(st) < 0)
		return -1;
	return 0;
}

int
reports_txn_end(struct store *st, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	if (store_commit(st) < 0) {
		store_rollback(st);
		return -1;
	}
	return rc;
}

/* Writes a one-line refusal into why (may be NULL). */
static void
reports_why(char *why, size_t whysz, const char *what, const char *ref)
{
	if (why == NULL || whysz == 0)
		return;
	(void)snprintf(why, whysz, "%s %s", ref, what);
}

int
reports_apply_ack(const struct reports_ctx *x, struct store_report *r, const char *actor,
    const char *channel, int64_t now_ms, char *why, size_t whysz)
{
	int told;

	if (r->state == STORE_REPORT_CLOSED) {
		reports_why(why, whysz, "is already closed.", r->ref);
		return 1;
	}
	if (r->state == STORE_REPORT_ACKED) {
		if (why != NULL && whysz > 0)
			(void)snprintf(why, whysz, "%s was already acknowledged by %s.", r->ref,
			    r->acked_by);
		return 1;
	}
	r->state = STORE_REPORT_ACKED;
	r->acked_ms = now_ms;
	r->updated_ms = now_ms;
	r->next_alert_ms = 0;
	if (util_strcopy(r->acked_by, sizeof(r->acked_by), actor) == -1)
		log_info("reports: %s: actor name cut", r->ref);
	if (store_report_save_state(x->st, r) < 0 ||
	    store_audit_add(x->st, r->id, now_ms, actor, channel, "acked", "") < 0)
		return -1;
	told = reports_alert_worker_acked(x, r, now_ms);
	if (told < 0)
		return -1;
	log_info("reports: %s acknowledged by %s (%s)%s", r->ref, MASK_IF_NUMBER(actor), channel,
	    told ? ", worker told" : "");
	return 0;
}

int
reports_apply_close(const struct reports_ctx *x, struct store_report *r, const char *actor,
    const char *channel, const char *outcome, int64_t now_ms, char *why, size_t whysz)
{
	if (r->state == STORE_REPORT_CLOSED) {
		reports_why(why, whysz, "is already closed.", r->ref);
		return 1;
	}
	r->state = STORE_REPORT_CLOSED;
	r->closed_ms = now_ms;
	r->updated_ms = now_ms;
	r->next_alert_ms = 0;
	if (util_strcopy(r->closed_by, sizeof(r->closed_by), actor) == -1)
		log_info("reports: %s: actor name cut", r->ref);
	if (util_strcopy(r->outcome, sizeof(r->outcome), outcome != NULL ? outcome : "") == -1)
		log_info("reports: %s: outcome cut to %zu bytes", r->ref, sizeof(r->outcome) - 1);
	if (store_report_save_state(x->st, r) < 0 ||
	    store_audit_add(x->st, r->id, now_ms, actor, channel, "closed",
		outcome != NULL ? outcome : "") < 0)
		return -1;
	log_info("reports: %s closed by %s (%s)", r->ref, MASK_IF_NUMBER(actor), channel);
	return 0;
}

int
reports_apply_note(const struct reports_ctx *x, struct store_report *r, const char *actor,
    const char *channel, const char *text, int64_t now_ms, char *why, size_t whysz)
{
	if (text == NULL || text[0] == '\0') {
		reports_why(why, whysz, "note is empty.", r->ref);
		return 1;
	}
	if (r->erased) {
		reports_why(why, whysz, "was erased (retention).", r->ref);
		return 1;
	}
	r->updated_ms = now_ms;
	if (store_report_save_state(x->st, r) < 0 ||
	    store_audit_add(x->st, r->id, now_ms, actor, channel, "note", text) < 0)
		return -1;
	log_info("reports: %s note by %s (%s)", r->ref, MASK_IF_NUMBER(actor), channel);
	return 0;
}

int
reports_worker_sos(const struct reports_ctx *x, const char *msisdn, const char *lang,
    int64_t now_ms, struct store_report *out, bool *created)
{
	bool own;
	int rc;

	*created = false;
	if (lang == NULL)
		lang = "";
	if (reports_txn_begin(x->st, &own) < 0)
		return -1;
	/* Any open report of the number (issue 11): past the dedupe window too,
	 * HELP adds to the report still being handled rather than open another. */
	rc = store_report_find_open(x->st, msisdn, 0, out);
	if (rc == 0) {
		bool within = out->created_ms >= now_ms - x->cfg->reports.dedupe_window_ms;
		char detail[96];

		if (within)
			(void)snprintf(detail, sizeof(detail), "SOS again");
		else
			(void)snprintf(detail, sizeof(detail),
			    "SOS again, %lld min after it opened, while it is still open",
			    (long long)((now_ms - out->created_ms) / 60000));
		out->updated_ms = now_ms;
		if (store_report_save_state(x->st, out) < 0 ||
		    store_audit_add(x->st, out->id, now_ms, "worker",
			engine_channel_name(x->channel), "updated", detail) < 0)
			goto fail;
		log_info("reports: %s: repeated SOS updates the open report%s", out->ref,
		    within ? "" : " (past the dedupe window)");
	} else if (rc == 1) {
		if (store_report_create(x->st, msisdn, lang,
			content_language_nationality(x->content, lang), now_ms, out) < 0 ||
		    store_audit_add(x->st, out->id, now_ms, "worker",
			engine_channel_name(x->channel), "created",
			lang[0] != '\0' ? lang : "language unknown") < 0)
			goto fail;
		*created = true;
		log_info("reports: %s opened (language %s, nationality %s)", out->ref,
		    lang[0] != '\0' ? lang : "?",
		    out->nationality[0] != '\0' ? out->nationality : "?");
	} else {
		goto fail;
	}
	return reports_txn_end(x->st, own, 0);
fail:
	*created = false;
	return reports_txn_end(x->st, own, -1);
}

static const char *const reports_field_names[] = {
	[STORE_RF_NATIONALITY] = "nationality",
	[STORE_RF_CATEGORY] = "category",
	[STORE_RF_PLACE] = "place",
	[STORE_RF_CALLBACK] = "callback",
	[STORE_RF_MESSAGE] = "message",
	[STORE_RF_LANG] = "language",
	[STORE_RF_NOTIFY] = "consent",
};

/* True when chains a and b alert the same people in the same order. */
static bool
reports_chain_same(const struct reports_chain *a, const struct reports_chain *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->who[i]->number, b->who[i]->number) != 0)
			return false;
	return true;
}

/* After a new nationality or a new choice of whom to tell: when that
 * changes who is alerted, an unacknowledged report's alerts start again
 * down the new chain, now (those no longer in it get nothing more). */
static int
reports_reroute(const struct reports_ctx *x, struct store_report *r,
    const struct reports_chain *old, const char *why, int64_t now_ms)
{
	struct reports_chain now;
	char detail[96];

	reports_chain_for(x->cfg, r->nationality, r->notify, &now);
	if (reports_chain_same(old, &now) ||
	    (r->state != STORE_REPORT_NEW && r->state != STORE_REPORT_ALERTED))
		return 0;
	r->alert_level = 0;
	r->reminders = 0;
	r->last_alert_out_id = 0; /* the new chain is not kept waiting on the old one */
	r->next_alert_ms = now_ms;
	(void)snprintf(detail, sizeof(detail), "alerts re-routed (%s): %zu to alert, was %zu", why,
	    now.n, old->n);
	if (store_report_save_state(x->st, r) < 0 ||
	    store_audit_add(x->st, r->id, now_ms, "system", "system", "updated", detail) < 0)
		return -1;
	log_info("reports: %s: %s", r->ref, detail);
	return 0;
}

int
reports_worker_field(const struct reports_ctx *x, const char *msisdn, enum store_report_field f,
    const char *value, int64_t now_ms)
{
	struct store_report r;
	char old_nat[sizeof(r.nationality)], detail[STORE_MESSAGE_MAX];
	struct reports_chain old;
	bool own;
	int rc;

	if ((int)f < 0 || (size_t)f >= sizeof(reports_field_names) / sizeof(reports_field_names[0]))
		return -1;
	if (value == NULL)
		value = "";
	if (reports_txn_begin(x->st, &own) < 0)
		return -1;
	rc = store_report_find_open(x->st, msisdn, 0, &r);
	if (rc != 0)
		return reports_txn_end(x->st, own, rc);
	memcpy(old_nat, r.nationality, sizeof(old_nat));
	reports_chain_for(x->cfg, r.nationality, r.notify, &old);
	(void)snprintf(detail, sizeof(detail), "%s: %s", reports_field_names[f], value);
	if (store_report_set(x->st, r.id, f, value, now_ms) < 0 ||
	    store_audit_add(x->st, r.id, now_ms, "worker", engine_channel_name(x->channel),
		"updated", detail) < 0 ||
	    store_report_get(x->st, r.ref, &r) != 0)
		return reports_txn_end(x->st, own, -1);
	if (f == STORE_RF_NATIONALITY && strcmp(old_nat, r.nationality) != 0 &&
	    reports_reroute(x, &r, &old, "new nationality", now_ms) < 0)
		return reports_txn_end(x->st, own, -1);
	if (f == STORE_RF_NOTIFY && reports_reroute(x, &r, &old, "worker's choice", now_ms) < 0)
		return reports_txn_end(x->st, own, -1);
	return reports_txn_end(x->st, own, 0);
}

/* Copies the reference out of "  k7q2  " (upper case, trimmed); false when
 * it cannot be one. */
static bool
reports_ref_arg(const char *s, char ref[STORE_REF_MAX])
{
	size_t n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') {
		if (n + 1 >= STORE_REF_MAX)
			return false;
		ref[n++] = (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s;
		s++;
	}
	ref[n] = '\0';
	return n > 0;
}

/* A STATUS that named a reference msisdn did not make: counted against its
 * window (reports.status_max_misses per status_window). 0 or -1. */
static int
reports_status_miss(const struct reports_ctx *x, const char *msisdn, int64_t now_ms)
{
	const struct config_reports *cr = &x->cfg->reports;

	if (msisdn == NULL || msisdn[0] == '\0')
		return 0;
	return store_status_miss_add(x->st, msisdn, now_ms, now_ms - cr->status_window_ms);
}

int
reports_worker_status(const struct reports_ctx *x, const char *msisdn, const char *ref,
    const char *lang, int64_t now_ms, char *reply, size_t replysz)
{
	const struct config_reports *cr = &x->cfg->reports;
	struct store_report r;
	char norm[STORE_REF_MAX];
	enum reports_reach reach;
	const char *key;
	int rc, misses = 0;

	if (ref == NULL || ref[strspn(ref, " \t\r\n")] == '\0')
		return util_strcopy(reply, replysz, reports_ui(x, lang, "status_usage"));
	if (msisdn != NULL && msisdn[0] != '\0' &&
	    store_status_misses(x->st, msisdn, now_ms - cr->status_window_ms, &misses) < 0)
		return -1;
	if (misses >= cr->status_max_misses) {
		/* Guessing: nothing more is looked up until the window passes. */
		log_warnx("reports: STATUS from %s refused: %d wrong references in the window",
		    MASK_NUMBER(msisdn), misses);
		return util_strcopy(reply, replysz, reports_ui(x, lang, "status_unknown"));
	}
	rc = reports_ref_arg(ref, norm) ? store_report_get(x->st, norm, &r) : 1;
	if (rc < 0)
		return -1;
	/* Only the number that made a report learns its state: any other
	 * gets the answer an unknown reference gets (no oracle). */
	if (rc == 1 || msisdn == NULL || strcmp(r.msisdn, msisdn) != 0) {
		if (reports_status_miss(x, msisdn, now_ms) < 0)
			return -1;
		if (rc == 0)
			log_info("reports: STATUS %s from a number that did not make it", r.ref);
		return util_strcopy(reply, replysz, reports_ui(x, lang, "status_unknown"));
	}
	switch (r.state) {
	case STORE_REPORT_NEW: /* never promise an alert nobody gets */
		reach = reports_reach(x->cfg, &r);
		key = reach == REPORTS_REACH_NOW    ? "status_open" :
		      reach == REPORTS_REACH_CHOICE ? "status_open_wait" :
						      "status_open_none";
		break;
	case STORE_REPORT_ALERTED:
		key = "status_open";
		break;
	case STORE_REPORT_ACKED:
		key = "status_acked";
		break;
	default:
		key = "status_closed";
		break;
	}
	return render_fill_ref(reply, replysz, reports_ui(x, lang, key), r.ref);
}

/* The shared body of the CLI commands: look up ref, apply, answer. */
enum reports_cli_op { REPORTS_CLI_ACK, REPORTS_CLI_NOTE, REPORTS_CLI_CLOSE };

static int
reports_cli(const struct reports_ctx *x, enum reports_cli_op op, const char *ref, const char *actor,
    const char *text, int64_t now_ms, char *err, size_t errsz)
{
	struct store_report r;
	bool own;
	int rc;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (reports_txn_begin(x->st, &own) < 0)
		return -1;
	rc = store_report_get(x->st, ref, &r);
	if (rc == 1) {
		if (err != NULL && errsz > 0)
			(void)snprintf(err, errsz, "unknown reference %.16s", ref);
		return reports_txn_end(x->st, own, 1);
	}
	if (rc < 0)
		return reports_txn_end(x->st, own, -1);
	if (op == REPORTS_CLI_ACK)
		rc = reports_apply_ack(x, &r, actor, "cli", now_ms, err, errsz);
	else if (op == REPORTS_CLI_NOTE)
		rc = reports_apply_note(x, &r, actor, "cli", text, now_ms, err, errsz);
	else
		rc = reports_apply_close(x, &r, actor, "cli", text, now_ms, err, errsz);
	return reports_txn_end(x->st, own, rc);
}

int
reports_cli_ack(const struct reports_ctx *x, const char *ref, const char *actor, int64_t now_ms,
    char *err, size_t errsz)
{
	return reports_cli(x, REPORTS_CLI_ACK, ref, actor, NULL, now_ms, err, errsz);
}

int
reports_cli_note(const struct reports_ctx *x, const char *ref, const char *actor, const char *text,
    int64_t now_ms, char *err, size_t errsz)
{
	return reports_cli(x, REPORTS_CLI_NOTE, ref, actor, text, now_ms, err, errsz);
}

int
reports_cli_close(const struct reports_ctx *x, const char *ref, const char *actor,
    const char *outcome, int64_t now_ms, char *err, size_t errsz)
{
	return reports_cli(x, REPORTS_CLI_CLOSE, ref, actor, outcome, now_ms, err, errsz);
}

struct reports_erase {
	const struct reports_ctx *x;
	int64_t now_ms;
	int n;
	bool failed;
	bool idle; /* the idle pass: closed for want of activity */
};

/* store_report_erasable callback: erases one report and audits it. */
static int
reports_erase_one(const struct store_report *r, void *arg)
{
	struct reports_erase *e = arg;
	char detail[96];
	int rc = store_report_erase(e->x->st, r->id);

	if (rc == 1)
		return 0;
	(void)snprintf(detail, sizeof(detail),
	    e->idle ? "closed and personal data erased after %d days without activity" :
		      "personal data erased after %d days",
	    e->x->cfg->reports.retention_days);
	if (rc < 0 ||
	    store_audit_add(e->x->st, r->id, e->now_ms, "system", "system", "erased", detail) < 0) {
		e->failed = true;
		return 1;
	}
	e->n++;
	return 0;
}

/* store_report_idle callback: closes an open report idle past retention
 * (audited), then erases it like any closed one. */
static int
reports_idle_one(const struct store_report *r, void *arg)
{
	struct reports_erase *e = arg;
	struct store_report c = *r;
	char detail[96];

	c.state = STORE_REPORT_CLOSED;
	c.closed_ms = e->now_ms;
	c.next_alert_ms = 0;
	if (util_strcopy(c.closed_by, sizeof(c.closed_by), "system") < 0) {
		e->failed = true;
		return 1;
	}
	(void)snprintf(detail, sizeof(detail), "closed: no activity for %d days (retention)",
	    e->x->cfg->reports.retention_days);
	if (store_report_save_state(e->x->st, &c) < 0 ||
	    store_audit_add(e->x->st, c.id, e->now_ms, "system", "system", "closed", detail) < 0) {
		e->failed = true;
		return 1;
	}
	log_info("reports: %s closed after %d days without activity", c.ref,
	    e->x->cfg->reports.retention_days);
	return reports_erase_one(&c, arg);
}

int
reports_retention(const struct reports_ctx *x, int64_t now_ms)
{
	struct reports_erase e = { .x = x, .now_ms = now_ms };
	bool own;
	int rc;

	if (x->cfg->reports.retention_days <= 0)
		return 0;
	if (reports_txn_begin(x->st, &own) < 0)
		return -1;
	rc = store_report_erasable(x->st,
	    now_ms - (int64_t)x->cfg->reports.retention_days * REPORTS_DAY_MS, reports_erase_one,
	    &e);
	e.idle = true;
	if (rc == 0 && !e.failed)
		rc = store_report_idle(x->st,
		    now_ms - (int64_t)x->cfg->reports.retention_days * REPORTS_DAY_MS,
		    reports_idle_one, &e);
	if (rc < 0 || e.failed)
		return reports_txn_end(x->st, own, -1);
	if (reports_txn_end(x->st, own, 0) < 0)
		return -1;
	if (e.n > 0)
		log_info("reports: retention erased the personal data of %d report(s)", e.n);
	return e.n;
}
