/* router_reports.c - the engine's report effects for one worker message:
 * open or update the report (an officer is alerted by the next reports
 * tick), store each answer, put the reference into the last page, and
 * answer STATUS (render/ fills in the reference and prepares the text for
 * the reader's phone). All inside the router's transaction. */
#include "router/router.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
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

/* The worker's open report (any age), or 1 when there is none. */
static int
router_open_report(struct store *st, const char *msisdn, struct store_report *r)
{
	return store_report_find_open(st, msisdn, 0, r);
}

static int
router_status(const struct reports_ctx *x, const char *msisdn, struct router_answer *ans)
{
	struct store_report r;
	char reply[640];
	const char *ref = ans->arg;

	/* A bare STATUS asks about the sender's own open report. */
	if (ref[0] == '\0' && router_open_report(x->st, msisdn, &r) == 0)
		ref = r.ref;
	if (reports_worker_status(x, ref, ans->lang, reply, sizeof(reply)) < 0)
		return -1;
	free(ans->text);
	ans->text = NULL;
	if (render_for_phone(reply, render_reader_script(ans->lang, ans->zawgyi, NULL),
		&ans->text) == 0)
		return 0;
	log_warnx("router: STATUS answer not prepared for %s's phone; sent in Unicode", msisdn);
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
		    msisdn);
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
	if (ans->effects & ENGINE_FX_NEEDS_REF) {
		if (!have && router_open_report(st, msisdn, &rep) != 0) {
			log_warnx("router: %s reached the last report page with no open report",
			    msisdn);
			memcpy(rep.ref, "?", 2);
		}
		if (router_fill_ref(&ans->text, rep.ref) < 0)
			return -1;
		/* The questions are answered: the officers get the whole report. */
		if (reports_worker_done(&x, msisdn, now_ms) < 0)
			return -1;
	}
	if (ans->effects & ENGINE_FX_STATUS)
		return router_status(&x, msisdn, ans);
	return 0;
}
