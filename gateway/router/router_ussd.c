/* router_ussd.c - one USSD hop: the operator sends the whole history of a
 * session (every answer so far joined by '*'), and the page is what the
 * menu engine shows after replaying that history from the state the
 * session started in. So the same (sessionId, text) always gives the same
 * page, a gateway restarted mid-session finds the worker's place again,
 * and the place in the menu is never written to disk.
 *
 * Effects (a language chosen, a report opened, a report answer, STOP) are
 * carried out once: the hop that has one writes, in the same transaction,
 * a ussd_session row recording the state the session started from, how
 * many answers are applied and where each ends in the text. A retried or
 * replayed hop whose answer is already applied has no effect again. A
 * free-text answer may hold '*': answers applied are split where the row
 * says; of the rest, only the last answer can have an effect (an earlier
 * one would have been recorded), so an answer that would have one takes
 * the whole rest of the text.
 *
 * A worker who leaves before the reference page gets the reference by SMS
 * once (router_ussd_owed, from the core thread), unless in discreet mode
 * or after STOP. */
#include "router/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "render/render.h"
#include "reports/reports.h"

/* Effects that write: a hop with one is recorded. */
#define ROUTER_USSD_WRITES                                                                         \
	(ENGINE_FX_REPORT | ENGINE_FX_REPORT_FIELD | ENGINE_FX_NEEDS_REF | ENGINE_FX_STOP)

/* Copies between same-sized fields; a cut would be a bug in those sizes. */
static void
router_ussd_copy(char *dst, size_t dstsz, const char *src)
{
	if (util_strcopy(dst, dstsz, src) < 0)
		log_warnx("router: a field of %zu bytes cut to %zu (its text is not logged)",
		    strlen(src), dstsz - 1);
}

/* The replay of one history. */
struct router_ussd_replay {
	struct engine_session sess;   /* after the last answer */
	struct engine_session before; /* before it (for what it changed) */
	struct engine_reply reply;    /* the last step's */
	size_t ends[ROUTER_USSD_HOPS_MAX];
	int hops; /* answers in the history */
};

/* The number's state when the session began: the row's, or the prefs now. */
static void
router_ussd_start(const struct store_ussd *row, bool have_row, const struct store_prefs *p,
    struct engine_session *s)
{
	memset(s, 0, sizeof(*s));
	if (have_row) {
		router_ussd_copy(s->lang, sizeof(s->lang), row->start_lang);
		s->variant = row->start_variant != 0;
		s->discreet = row->start_discreet != 0;
	} else {
		router_ussd_copy(s->lang, sizeof(s->lang), p->lang);
		s->variant = p->variant != 0;
		s->discreet = p->discreet != 0;
	}
}

/* One engine step; the previous reply is freed first. */
static int
router_ussd_step(const struct router_ctx *rc, struct router_ussd_replay *rp, const char *in,
    int64_t now_ms)
{
	engine_reply_free(&rp->reply);
	rp->before = rp->sess;
	return engine_step(rc->content, rc->engine, ENGINE_USSD, &rp->sess, in, now_ms, &rp->reply);
}

/* True when the last step wrote something (effects, or the number's
 * language, Zawgyi or discreet setting). */
static bool
router_ussd_writes(const struct router_ussd_replay *rp)
{
	return (rp->reply.effects & ROUTER_USSD_WRITES) != 0 ||
	       strcmp(rp->before.lang, rp->sess.lang) != 0 ||
	       rp->before.variant != rp->sess.variant || rp->before.discreet != rp->sess.discreet;
}

/* Steps one answer text[a, b) (copied out, NUL-terminated). */
static int
router_ussd_answer(const struct router_ctx *rc, struct router_ussd_replay *rp, const char *text,
    size_t a, size_t b, int64_t now_ms)
{
	char buf[STORE_USSD_TEXT_MAX];

	if (b - a >= sizeof(buf))
		return -1;
	memcpy(buf, text + a, b - a);
	buf[b - a] = '\0';
	if (rp->hops >= ROUTER_USSD_HOPS_MAX)
		return -1;
	rp->ends[rp->hops++] = b;
	return router_ussd_step(rc, rp, buf, now_ms);
}

/* Replays text from the start state: the answers already applied split
 * where the row says (applied of them), then the rest. 0, 1 when the
 * history holds more than max_hops answers, -1 on error. */
static int
router_ussd_replay(const struct router_ctx *rc, const char *text, const struct store_ussd *row,
    int applied, int max_hops, int64_t now_ms, struct router_ussd_replay *rp)
{
	size_t len = strlen(text), pos = 0;
	const char *b = row->bounds;

	if (router_ussd_step(rc, rp, "", now_ms) < 0)
		return -1;
	for (int i = 0; i < applied; i++) {
		long end;
		char *stop;

		end = strtol(b, &stop, 10);
		if (stop == b || end < (long)pos || (size_t)end > len)
			return -1;
		if (router_ussd_answer(rc, rp, text, pos, (size_t)end, now_ms) < 0)
			return -1;
		pos = (size_t)end + 1; /* past the '*' */
		b = *stop == ',' ? stop + 1 : stop;
	}
	if (applied > 0 && pos > len)
		return 0; /* the history ends with the last applied answer */
	if (applied == 0 && len == 0)
		return 0; /* the first request: no answer yet */
	for (;;) {
		const char *star = memchr(text + pos, '*', len - pos);
		size_t end = star != NULL ? (size_t)(star - text) : len;
		struct engine_session keep = rp->sess;

		if (rp->hops >= max_hops)
			return 1;
		if (router_ussd_answer(rc, rp, text, pos, end, now_ms) < 0)
			return -1;
		if (star == NULL)
			return 0;
		if (router_ussd_writes(rp)) {
			/* Only the last answer can write: this one is the rest. */
			rp->sess = keep;
			rp->hops--;
			return router_ussd_answer(rc, rp, text, pos, len, now_ms) < 0 ? -1 : 0;
		}
		pos = end + 1;
	}
}

/* How many of row's applied answers text holds: all of them when it
 * continues row's history, k when it is row's history cut after its k-th
 * answer (a late retry of an earlier hop); -1 when it is another history. */
static int
router_ussd_applied(const struct store_ussd *row, const char *text)
{
	size_t n = strlen(row->text), len = strlen(text);
	const char *b = row->bounds;
	int k = 0;

	if (row->hops <= 0)
		return 0;
	if (len >= n) {
		if (strncmp(text, row->text, n) != 0 || (text[n] != '\0' && text[n] != '*'))
			return -1;
		return row->hops;
	}
	if (len == 0)
		return 0;
	while (*b != '\0' && k < row->hops) {
		char *stop;
		long end = strtol(b, &stop, 10);

		if (stop == b || end < 0)
			return -1;
		if ((size_t)end == len)
			return strncmp(text, row->text, len) == 0 ? k + 1 : -1;
		if ((size_t)end > len)
			break;
		k++;
		b = *stop == ',' ? stop + 1 : stop;
	}
	/* Shorter than the first recorded answer's end, or between two: the
	 * answers after the last whole one were not recorded, so the text
	 * must still be row's up to there. */
	if (strncmp(text, row->text, len) != 0 || row->text[len] != '*')
		return -1;
	return k;
}

/* Writes the bounds of the replay's answers into row. 0 or -1. */
static int
router_ussd_bounds(const struct router_ussd_replay *rp, struct store_ussd *row)
{
	size_t used = 0;

	row->bounds[0] = '\0';
	for (int i = 0; i < rp->hops; i++) {
		int n = snprintf(row->bounds + used, sizeof(row->bounds) - used, "%s%zu",
		    i == 0 ? "" : ",", rp->ends[i]);

		if (n < 0 || (size_t)n >= sizeof(row->bounds) - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}

/* The number's preferences after the hop (STOP: opted out, sessions gone). */
static int
router_ussd_prefs(struct store *st, const char *msisdn, const struct router_ussd_replay *rp,
    int64_t now_ms)
{
	struct store_prefs p;

	memset(&p, 0, sizeof(p));
	if (rp->reply.effects & ENGINE_FX_STOP) {
		p.opted_out = 1;
		if (store_session_delete(st, msisdn) < 0)
			return -1;
		return store_prefs_put(st, msisdn, &p, now_ms);
	}
	if (strcmp(rp->before.lang, rp->sess.lang) == 0 && rp->before.variant == rp->sess.variant &&
	    rp->before.discreet == rp->sess.discreet)
		return 0;
	router_ussd_copy(p.lang, sizeof(p.lang), rp->sess.lang);
	p.variant = rp->sess.variant;
	p.discreet = rp->sess.discreet;
	return store_prefs_put(st, msisdn, &p, now_ms);
}

/* Carries out the last answer's effects and records the hop, in one
 * transaction; ans->text gets the reference where the page wants it. A
 * hop another request applied meanwhile is not applied again (*dup). */
static int
router_ussd_apply(struct store *st, const struct router_ctx *rc, const struct router_ussd_hop *h,
    const struct router_ussd_replay *rp, struct store_ussd *row, bool have_row,
    struct router_answer *ans, int64_t now_ms, bool *dup)
{
	struct store_ussd now_row;
	int r;

	*dup = false;
	if (store_begin(st) < 0)
		return -1;
	r = store_ussd_get(st, h->session_id, h->msisdn, &now_row);
	if (r < 0)
		goto fail;
	if (r == 0 && now_row.hops >= rp->hops) {
		*dup = true; /* a retry raced us there */
		*row = now_row;
		store_rollback(st);
		return 0;
	}
	if (router_ussd_prefs(st, h->msisdn, rp, now_ms) < 0 ||
	    router_report_effects(st, rc, h->msisdn, now_ms, ans) < 0)
		goto fail;
	if (!have_row) {
		router_ussd_copy(row->session_id, sizeof(row->session_id), h->session_id);
		router_ussd_copy(row->msisdn, sizeof(row->msisdn), h->msisdn);
		row->created_ms = now_ms;
	}
	row->hops = rp->hops;
	row->updated_ms = now_ms;
	if (util_strcopy(row->text, sizeof(row->text), h->text) < 0 ||
	    router_ussd_bounds(rp, row) < 0)
		goto fail;
	if (ans->effects & ENGINE_FX_REPORT) {
		struct store_report rep;

		if (store_report_find_open(st, h->msisdn, 0, &rep) == 0)
			router_ussd_copy(row->report_ref, sizeof(row->report_ref), rep.ref);
	}
	if (ans->effects & ENGINE_FX_NEEDS_REF)
		row->ref_shown = 1;
	if (store_ussd_put(st, row) < 0 || store_commit(st) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

/* The reference into a page applied before: the session's report. */
static int
router_ussd_fill(struct router_answer *ans, const struct store_ussd *row)
{
	char buf[ROUTER_USSD_PAGE_MAX];

	if (ans->text == NULL || !(ans->effects & ENGINE_FX_NEEDS_REF))
		return 0;
	if (render_fill_ref(buf, sizeof(buf), ans->text,
		row->report_ref[0] ? row->report_ref : "?") < 0)
		return -1;
	free(ans->text);
	ans->text = strdup(buf);
	return ans->text == NULL ? -1 : 0;
}

/* The engine's last reply as a router answer (text copied). */
static int
router_ussd_answer_of(const struct router_ussd_replay *rp, struct router_answer *ans)
{
	memset(ans, 0, sizeof(*ans));
	ans->msg_class = -1;
	ans->channel = ENGINE_USSD;
	ans->effects = rp->reply.effects;
	ans->report_field = rp->reply.report_field;
	router_ussd_copy(ans->arg, sizeof(ans->arg), rp->reply.arg);
	router_ussd_copy(ans->report_value, sizeof(ans->report_value), rp->reply.report_value);
	router_ussd_copy(ans->lang, sizeof(ans->lang), rp->sess.lang[0] ? rp->sess.lang : "en");
	ans->variant = rp->sess.variant;
	if (rp->reply.pages.n > 0) {
		ans->text = strdup(rp->reply.pages.v[0].text);
		if (ans->text == NULL)
			return -1;
	}
	return 0;
}

int
router_ussd_hop(struct store *st, const struct router_ctx *rc, const struct router_ussd_hop *h,
    int64_t now_ms, struct router_ussd_page *out)
{
	struct router_ussd_replay *rp;
	struct store_ussd *row;
	struct store_prefs prefs;
	struct router_answer ans = { .text = NULL };
	bool have_row, dup = false, fresh;
	int applied, r, rv = -1;

	memset(out, 0, sizeof(*out));
	if (rc->content == NULL || rc->engine == NULL)
		return -1;
	rp = calloc(1, sizeof(*rp));
	row = calloc(1, sizeof(*row));
	if (rp == NULL || row == NULL)
		goto done;
	r = store_ussd_get(st, h->session_id, h->msisdn, row);
	if (r < 0 || store_prefs_get(st, h->msisdn, &prefs) < 0)
		goto done;
	have_row = r == 0;
	applied = have_row ? router_ussd_applied(row, h->text) : 0;
	if (applied < 0) {
		rv = 1; /* a history that does not continue this session's */
		snprintf(out->why, sizeof(out->why), "text does not continue session %s",
		    h->session_id);
		goto done;
	}
	router_ussd_start(row, have_row, &prefs, &rp->sess);
	if (!have_row) {
		/* Recorded with the first effect: replays start from here. */
		router_ussd_copy(row->start_lang, sizeof(row->start_lang), rp->sess.lang);
		row->start_variant = rp->sess.variant;
		row->start_discreet = rp->sess.discreet;
	}
	r = router_ussd_replay(rc, h->text, row, applied, h->max_hops, now_ms, rp);
	if (r != 0) {
		rv = r;
		if (r == 1)
			snprintf(out->why, sizeof(out->why), "more than %d answers", h->max_hops);
		goto done;
	}
	if (router_ussd_answer_of(rp, &ans) < 0)
		goto done;
	fresh = rp->hops > applied && router_ussd_writes(rp);
	if (fresh) {
		if (router_ussd_apply(st, rc, h, rp, row, have_row, &ans, now_ms, &dup) < 0)
			goto done;
		out->wrote = !dup;
	}
	if (!fresh || dup) {
		/* Applied before: the same page again, nothing carried out. */
		if (router_ussd_fill(&ans, row) < 0 ||
		    router_report_opening(st, rc, h->msisdn, &ans) < 0)
			goto done;
		if ((ans.effects & ENGINE_FX_STATUS) && !(ans.effects & ROUTER_USSD_WRITES)) {
			ans.effects = ENGINE_FX_STATUS;
			if (router_report_effects(st, rc, h->msisdn, now_ms, &ans) < 0)
				goto done;
		}
	}
	out->end = (rp->reply.effects & ENGINE_FX_END) != 0;
	if (util_strcopy(out->page, sizeof(out->page), ans.text != NULL ? ans.text : "") < 0)
		log_warnx("router: USSD page for %s cut to %zu bytes", MASK_NUMBER(h->msisdn),
		    sizeof(out->page) - 1);
	out->hops = rp->hops;
	rv = 0;
done:
	if (rp != NULL)
		engine_reply_free(&rp->reply);
	free(ans.text);
	free(rp);
	free(row);
	return rv;
}

int
router_ussd_owed(struct store *st, const struct router_ctx *rc, int64_t now_ms)
{
	int64_t cutoff = now_ms - (rc->engine != NULL ? rc->engine->ussd_timeout_ms : 180000);
	struct store_ussd *row = malloc(sizeof(*row));
	int sent = 0;

	if (row == NULL)
		return -1;
	for (;;) {
		struct store_prefs p;
		char text[640], *phone = NULL;
		const char *t;
		int r = store_ussd_owed(st, cutoff, row);

		if (r == 1)
			break;
		if (r < 0 || store_prefs_get(st, row->msisdn, &p) < 0)
			goto fail;
		if (store_begin(st) < 0)
			goto fail;
		if (!p.discreet && !p.opted_out && rc->content != NULL) {
			t = content_ui(rc->content, p.lang[0] ? p.lang : "en", "report_ref",
			    rc->engine != NULL && rc->engine->serve_fuzzy);
			if (render_fill_ref(text, sizeof(text), t, row->report_ref) < 0 ||
			    render_for_phone(text,
				engine_script(rc->content, p.lang, p.variant != 0), &phone) < 0 ||
			    store_outbound_add(st, engine_channel_name(ENGINE_SMS), row->msisdn,
				phone, -1, 0, now_ms, NULL) < 0) {
				free(phone);
				store_rollback(st);
				goto fail;
			}
			free(phone);
			sent++;
			log_info("router: %s left USSD before report %s's reference page; "
				 "reference queued by SMS",
			    MASK_NUMBER(row->msisdn), row->report_ref);
		} else {
			log_info("router: %s left USSD before report %s's reference page; no SMS "
				 "(%s)",
			    MASK_NUMBER(row->msisdn), row->report_ref,
			    p.opted_out ? "sent STOP" :
			    p.discreet  ? "discreet mode" :
					  "no content");
		}
		if (store_ussd_ref_sent(st, row->session_id, row->msisdn) < 0 ||
		    store_commit(st) < 0) {
			store_rollback(st);
			goto fail;
		}
	}
	free(row);
	return sent;
fail:
	free(row);
	return -1;
}
