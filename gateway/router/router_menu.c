/* router_menu.c - a worker's message through the menu engine: load their
 * session and preferences, step the engine, keep what changed. Runs inside
 * the router's transaction, so the session moves only if the reply is
 * queued too. */
#include "router/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "render/render.h"
#include "reports/reports.h"

/* Copies between same-sized fields of the store, engine and config; a cut
 * would be a bug in those sizes, so it is logged. */
static void
router_copy(char *dst, size_t dstsz, const char *src)
{
	if (util_strcopy(dst, dstsz, src) < 0)
		log_warnx("router: a field of %zu bytes cut to %zu (its text is not logged)",
		    strlen(src), dstsz - 1);
}

/* The consent question's choices (engine_settings.notify_choices): the
 * configuration's, in the engine's bits. */
static unsigned
router_notify_choices(const void *arg, const char *nationality)
{
	unsigned c = reports_choices(arg, nationality);

	return ((c & CONFIG_OFFER_NGO) ? ENGINE_NOTIFY_NGO : 0) |
	       ((c & CONFIG_OFFER_EMBASSY) ? ENGINE_NOTIFY_EMBASSY : 0) |
	       ((c & CONFIG_OFFER_BOTH) ? ENGINE_NOTIFY_BOTH : 0);
}

void
router_engine_settings(const struct kawan_config *cfg, struct engine_settings *s)
{
	const struct config_content *k = &cfg->content;

	engine_settings_default(s);
	router_copy(s->key_back, sizeof(s->key_back), k->key_back);
	router_copy(s->key_home, sizeof(s->key_home), k->key_home);
	router_copy(s->key_more, sizeof(s->key_more), k->key_more);
	s->ussd_timeout_ms = k->ussd_timeout_ms;
	s->sms_timeout_ms = k->sms_timeout_ms;
	s->serve_fuzzy = k->serve_fuzzy != 0;
	s->ussd.gsm7 = (size_t)k->ussd_gsm7;
	s->ussd.ucs2 = (size_t)k->ussd_ucs2;
	s->max_info_segments = k->max_info_segments;
	router_copy(s->country, sizeof(s->country), cfg->country);
	s->notify_choices = router_notify_choices;
	s->notify_arg = cfg;
}

/* The stored path "home,rights" <-> the engine's back stack. */
static void
router_menu_from_store(const struct store_session *in, struct engine_session *out)
{
	const char *p = in->path;

	memset(out, 0, sizeof(*out));
	out->state = (enum engine_state)in->state;
	out->page = in->page;
	out->variant = in->variant != 0;
	out->discreet = in->discreet != 0;
	out->last_ms = in->last_ms;
	out->report_step = in->report_step;
	out->report_answered = (unsigned)in->report_answered;
	router_copy(out->node, sizeof(out->node), in->node);
	router_copy(out->lang, sizeof(out->lang), in->lang);
	while (*p != '\0' && out->depth < 8) {
		size_t len = strcspn(p, ",");

		if (len > 0 && len < sizeof(out->back[0])) {
			memcpy(out->back[out->depth], p, len);
			out->back[out->depth][len] = '\0';
			out->depth++;
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

static void
router_menu_to_store(const struct engine_session *in, struct store_session *out)
{
	size_t used = 0;

	memset(out, 0, sizeof(*out));
	out->state = (int)in->state;
	out->page = in->page;
	out->variant = in->variant;
	out->discreet = in->discreet;
	out->last_ms = in->last_ms;
	out->report_step = in->report_step;
	out->report_answered = in->report_answered;
	router_copy(out->node, sizeof(out->node), in->node);
	router_copy(out->lang, sizeof(out->lang), in->lang);
	for (int i = 0; i < in->depth && i < 8; i++) {
		int n = snprintf(out->path + used, sizeof(out->path) - used, "%s%s",
		    i == 0 ? "" : ",", in->back[i]);

		if (n < 0 || (size_t)n >= sizeof(out->path) - used)
			break;
		used += (size_t)n;
	}
}

/* Loads the worker's session, or starts one from their preferences. */
static int
router_menu_load(struct store *st, const char *channel, const char *msisdn,
    struct engine_session *sess, struct store_prefs *prefs)
{
	struct store_session row;
	int rc = store_prefs_get(st, msisdn, prefs);

	if (rc < 0)
		return -1;
	rc = store_session_get(st, channel, msisdn, &row);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		router_menu_from_store(&row, sess);
		return 0;
	}
	memset(sess, 0, sizeof(*sess));
	router_copy(sess->lang, sizeof(sess->lang), prefs->lang);
	sess->variant = prefs->variant != 0;
	sess->discreet = prefs->discreet != 0;
	return 0;
}

static int
router_menu_save(struct store *st, const char *channel, const char *msisdn,
    const struct engine_session *sess, struct store_prefs *prefs, unsigned effects, int64_t now_ms)
{
	struct store_session row;

	if (effects & ENGINE_FX_STOP) {
		struct store_prefs stopped = { .opted_out = 1 };

		if (store_session_delete(st, msisdn) < 0)
			return -1;
		return store_prefs_put(st, msisdn, &stopped, now_ms);
	}
	router_menu_to_store(sess, &row);
	if (store_session_put(st, channel, msisdn, &row) < 0)
		return -1;
	if (strcmp(prefs->lang, sess->lang) == 0 && prefs->variant == (int)sess->variant &&
	    prefs->discreet == (int)sess->discreet && !prefs->opted_out)
		return 0;
	router_copy(prefs->lang, sizeof(prefs->lang), sess->lang);
	prefs->variant = sess->variant;
	prefs->discreet = sess->discreet;
	prefs->opted_out = 0;
	return store_prefs_put(st, msisdn, prefs, now_ms);
}

/* The report flow's nationality, which the session row does not keep:
 * the worker's open report's. 0 or -1. */
static int
router_menu_nationality(struct store *st, const char *msisdn, struct engine_session *sess)
{
	struct store_report r;
	int rc = store_report_find_open(st, msisdn, 0, &r);

	if (rc < 0)
		return -1;
	if (rc == 0)
		router_copy(sess->nationality, sizeof(sess->nationality), r.nationality);
	return 0;
}

int
router_menu_answer(struct store *st, const struct router_ctx *rc, const struct store_inbound *in,
    int64_t now_ms, struct router_answer *out)
{
	struct engine_session sess;
	struct store_prefs prefs;
	struct engine_reply reply;
	enum engine_channel ch;

	memset(out, 0, sizeof(*out));
	out->msg_class = -1;
	if (engine_channel_parse(in->channel, &ch) < 0) {
		log_warnx("router: #%lld came on an unknown channel '%s'; answering as SMS",
		    (long long)in->id, in->channel);
		ch = ENGINE_SMS;
	}
	out->channel = ch;
	if (router_menu_load(st, in->channel, in->sender, &sess, &prefs) < 0)
		return -1;
	/* render decides when a writer reads Zawgyi; the session keeps it. */
	if (!sess.variant &&
	    render_reader_script(sess.lang, false, in->text) == RENDER_SCRIPT_ZAWGYI) {
		sess.variant = true;
		if (content_find_language(rc->content, "my") != NULL)
			router_copy(sess.lang, sizeof(sess.lang), "my"); /* Zawgyi is Burmese */
		log_info("router: %s writes Zawgyi; serving Burmese in Zawgyi",
		    MASK_NUMBER(in->sender));
	}
	if (sess.state == ENGINE_ST_REPORT && router_menu_nationality(st, in->sender, &sess) < 0)
		return -1;
	if (engine_step(rc->content, rc->engine, ch, &sess, in->text, now_ms, &reply) < 0)
		return -1;
	if (reply.pages.n > 0) {
		out->text = strdup(reply.pages.v[0].text);
		if (out->text == NULL) {
			engine_reply_free(&reply);
			return -1;
		}
	}
	out->msg_class = reply.msg_class;
	out->effects = reply.effects;
	router_copy(out->arg, sizeof(out->arg), reply.arg);
	router_copy(out->lang, sizeof(out->lang), sess.lang[0] != '\0' ? sess.lang : "en");
	out->variant = sess.variant;
	out->report_field = reply.report_field;
	router_copy(out->report_value, sizeof(out->report_value), reply.report_value);
	engine_reply_free(&reply);
	if (router_menu_save(st, in->channel, in->sender, &sess, &prefs, out->effects, now_ms) <
	    0) {
		free(out->text);
		out->text = NULL;
		return -1;
	}
	return 0;
}

int
router_menu_home(struct store *st, const struct router_ctx *rc, const char *channel,
    const char *msisdn, int64_t now_ms, struct router_answer *out)
{
	struct engine_session sess;
	struct store_prefs prefs;
	struct engine_reply reply;
	int rc2;

	memset(out, 0, sizeof(*out));
	out->msg_class = -1;
	out->channel = ENGINE_SMS;
	rc2 = store_prefs_get(st, msisdn, &prefs);
	if (rc2 < 0)
		return -1;
	/* A fresh session from the preferences: the engine's first contact
	 * shows home in the known language, else the language list. */
	memset(&sess, 0, sizeof(sess));
	router_copy(sess.lang, sizeof(sess.lang), prefs.lang);
	sess.variant = prefs.variant != 0;
	sess.discreet = prefs.discreet != 0;
	if (engine_step(rc->content, rc->engine, ENGINE_SMS, &sess, "", now_ms, &reply) < 0)
		return -1;
	if (reply.pages.n > 0) {
		out->text = strdup(reply.pages.v[0].text);
		if (out->text == NULL) {
			engine_reply_free(&reply);
			return -1;
		}
	}
	out->msg_class = reply.msg_class;
	router_copy(out->lang, sizeof(out->lang), sess.lang[0] != '\0' ? sess.lang : "en");
	out->variant = sess.variant;
	engine_reply_free(&reply);
	if (router_menu_save(st, channel, msisdn, &sess, &prefs, 0, now_ms) < 0) {
		free(out->text);
		out->text = NULL;
		return -1;
	}
	return 0;
}
