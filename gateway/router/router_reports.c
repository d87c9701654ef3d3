/* router_reports.c - the engine's report effects for one worker message:
 * open or update the report (an officer is alerted by the next reports
 * tick), store each answer, put the reference into the last page, and
 * answer STATUS (render/ fills in the reference and prepares the text for
 * the reader's phone). All inside the router's transaction. */
#include "router/router.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "render/render.h"
#include "reports/reports.h"

/* The engine's report fields as the store's; the engine caps its answers
 * at the store's sizes. */
static const enum store_report_field router_reports_fields[] = {
	[ENGINE_RF_NATIONALITY] = STORE_RF_NATIONALITY,
	[ENGINE_RF_CATEGORY] = STORE_RF_CATEGORY,
	[ENGINE_RF_PLACE] = STORE_RF_PLACE,
	[ENGINE_RF_CALLBACK] = STORE_RF_CALLBACK,
	[ENGINE_RF_MESSAGE] = STORE_RF_MESSAGE,
	[ENGINE_RF_NOTIFY] = STORE_RF_NOTIFY,
};
_Static_assert(ENGINE_REPORT_REF_MAX == STORE_REF_MAX, "engine and store reference sizes");
_Static_assert(ENGINE_REPORT_PLACE_MAX == STORE_PLACE_MAX, "engine and store place sizes");
_Static_assert(ENGINE_REPORT_CALLBACK_MAX == STORE_CALLBACK_MAX, "engine and store callback sizes");
_Static_assert(sizeof(((struct engine_reply *)0)->report_value) <= STORE_MESSAGE_MAX,
    "an engine answer fits the store's message");

/* Puts ref into the page *text at its "%s" (render_fill_ref). 0 or -1. */
static int
router_fill_ref(char **text, const char *ref)
{
	size_t sz;
	char *out;

	if (*text == NULL)
		return 0;
	sz = strlen(*text) + strlen(ref) + 1;
	out = malloc(sz);
	if (out == NULL)
		return -1;
	if (render_fill_ref(out, sz, *text, ref) < 0) {
		free(out);
		return -1;
	}
	free(*text);
	*text = out;
	return 0;
}

/* A ui string as the engine serves it to this worker (NFC, in their
 * language's script variant when they read it). Caller frees; NULL on failure. */
static char *
router_served_ui(const struct router_ctx *rc, const struct router_answer *ans, const char *key)
{
	char *out = NULL;
	const char *s = content_ui(rc->content, ans->lang[0] != '\0' ? ans->lang : "en", key,
	    rc->engine != NULL && rc->engine->serve_fuzzy);

	if (render_for_phone(s, engine_script(rc->content, ans->lang, ans->variant), &out) < 0)
		return NULL;
	return out;
}

/* True when a report page fits the channel: a USSD screen, or on SMS an
 * information page (max_info_segments). */
static bool
router_page_fits(const struct router_ctx *rc, enum engine_channel ch, const char *text)
{
	struct engine_settings def;
	const struct engine_settings *s = rc->engine;
	size_t units;
	enum render_coding cd;

	if (s == NULL) {
		engine_settings_default(&def);
		s = &def;
	}
	if (ch != ENGINE_USSD)
		return render_sms_segments(text) <=
		       (s->max_info_segments > 1 ? s->max_info_segments : 1);
	cd = render_coding_of(text, &units);
	return units <= (cd == RENDER_GSM7 ? s->ussd.gsm7 : s->ussd.ucs2);
}

/*
 * Pages never promise what will not happen: the opening page starts with
 * ui report_opened ("An officer is being alerted now"); when nobody is
 * alerted at once, that line becomes report_opened_wait (nobody until the
 * worker chooses whom to tell) or report_opened_none (nobody can be:
 * call the numbers in Contacts). Left as it is when the content lacks
 * the key or the page does not start with report_opened. 0 or -1.
 */
static int
router_opening_honest(const struct router_ctx *rc, const struct store_report *rep,
    struct router_answer *ans)
{
	enum reports_reach reach = reports_reach(rc->cfg, rep);
	const char *key =
	    reach == REPORTS_REACH_CHOICE ? "report_opened_wait" : "report_opened_none";
	char *from = NULL, *to = NULL, *out = NULL;
	size_t n;
	int rc_ = 0;

	if (reach == REPORTS_REACH_NOW || ans->text == NULL || rc->content == NULL)
		return 0;
	if (strcmp(content_ui(rc->content, "en", key, false), key) == 0) {
		log_warnx("router: report %s: nobody is alerted yet and the content has no ui %s",
		    rep->ref, key);
		return 0;
	}
	from = router_served_ui(rc, ans, "report_opened");
	to = router_served_ui(rc, ans, key);
	if (from == NULL || to == NULL) {
		rc_ = -1;
		goto out;
	}
	n = strlen(from);
	if (n == 0 || strncmp(ans->text, from, n) != 0)
		goto out;
	out = malloc(strlen(to) + strlen(ans->text + n) + 1);
	if (out == NULL) {
		rc_ = -1;
		goto out;
	}
	memcpy(out, to, strlen(to));
	memcpy(out + strlen(to), ans->text + n, strlen(ans->text + n) + 1);
	if (!router_page_fits(rc, ans->channel, out)) {
		/* No room for the longer line: drop the promise, keep the question. */
		const char *rest = ans->text + n;

		memmove(out, rest + (*rest == '\n'), strlen(rest + (*rest == '\n')) + 1);
		key = "(none: no room)";
	}
	free(ans->text);
	ans->text = out;
	log_info("router: report %s: nobody alerted at once; the worker reads ui %s", rep->ref,
	    key);
out:
	free(from);
	free(to);
	return rc_;
}

/* The worker's open report (any age), or 1 when there is none. */
static int
router_open_report(struct store *st, const char *msisdn, struct store_report *r)
{
	return store_report_find_open(st, msisdn, 0, r);
}

int
router_report_opening(struct store *st, const struct router_ctx *rc, const char *msisdn,
    struct router_answer *ans)
{
	struct store_report rep;

	int r;

	if (!(ans->effects & ENGINE_FX_REPORT))
		return 0;
	/* A failed read fails the step (never the page's unchecked promise). */
	r = router_open_report(st, msisdn, &rep);
	if (r < 0 || (r == 0 && router_opening_honest(rc, &rep, ans) < 0))
		return -1;
	return 0;
}

static int
router_status(const struct reports_ctx *x, const char *msisdn, int64_t now_ms,
    struct router_answer *ans)
{
	struct store_report r;
	char reply[640];
	const char *ref = ans->arg;

	/* A bare STATUS asks about the sender's own open report. */
	if (ref[0] == '\0' && router_open_report(x->st, msisdn, &r) == 0)
		ref = r.ref;
	if (reports_worker_status(x, msisdn, ref, ans->lang, now_ms, reply, sizeof(reply)) < 0)
		return -1;
	free(ans->text);
	ans->text = NULL;
	if (render_for_phone(reply, engine_script(x->content, ans->lang, ans->variant),
		&ans->text) == 0)
		return 0;
	log_warnx("router: STATUS answer not prepared for %s's phone; sent in Unicode",
	    MASK_NUMBER(msisdn));
	return render_for_phone(reply, RENDER_SCRIPT_UNICODE, &ans->text);
}

int
router_report_effects(struct store *st, const struct router_ctx *rc, const char *msisdn,
    int64_t now_ms, struct router_answer *ans)
{
	struct reports_ctx x = { st, rc->cfg, rc->content,
		rc->engine != NULL && rc->engine->serve_fuzzy, ans->channel };
	struct store_report rep;
	bool have = false, created = false;
	int r;

	if (ans->effects & ENGINE_FX_REPORT) {
		if (reports_worker_sos(&x, msisdn, ans->lang, now_ms, &rep, &created) < 0)
			return -1;
		have = true;
		log_info("router: %s report %s for %s", created ? "opened" : "updated", rep.ref,
		    MASK_NUMBER(msisdn));
	}
	if (ans->effects & ENGINE_FX_REPORT_FIELD) {
		if (ans->report_field < 0 ||
		    (size_t)ans->report_field >=
			sizeof(router_reports_fields) / sizeof(router_reports_fields[0]))
			fatalx("router: engine report field %d out of range", ans->report_field);
		r = reports_worker_field(&x, msisdn, router_reports_fields[ans->report_field],
		    ans->report_value, now_ms);
		if (r == 1) {
			/* The window passed mid-flow, or an officer closed it: a new report. */
			if (reports_worker_sos(&x, msisdn, ans->lang, now_ms, &rep, &created) < 0)
				return -1;
			have = true;
			r = reports_worker_field(&x, msisdn,
			    router_reports_fields[ans->report_field], ans->report_value, now_ms);
		}
		if (r < 0)
			return -1;
	}
	/* Read again: the implied nationality was just set. */
	if (router_report_opening(st, rc, msisdn, ans) < 0)
		return -1;
	if (ans->effects & ENGINE_FX_NEEDS_REF) {
		r = have ? 0 : router_open_report(st, msisdn, &rep);
		if (r < 0)
			return -1; /* a store error: never "?" for the reference */
		if (r != 0) {
			log_warnx("router: %s reached the last report page with no open report",
			    MASK_NUMBER(msisdn));
			memcpy(rep.ref, "?", 2);
		}
		if (router_fill_ref(&ans->text, rep.ref) < 0)
			return -1;
		/* The questions are answered: the officers get the whole report. */
		if (reports_worker_done(&x, msisdn, now_ms) < 0)
			return -1;
	}
	if (ans->effects & ENGINE_FX_STATUS)
		return router_status(&x, msisdn, now_ms, ans);
	return 0;
}
