/* engine_report.c - the report flow (issue 4): HELP/SOS or the report node
 * opens a report at once, then asks only what is still unknown, one
 * question per reply; each answer is an effect the router stores. Pure.
 *
 *   any --HELP/SOS, report node--> REPORT q = first unanswered ........ engine_report_open()
 *          + FX_REPORT (+ FX_REPORT_FIELD nationality the language implies);
 *          already in the flow: progress kept, same rule
 *   REPORT q --answer--> REPORT next unanswered after q, or DONE ....... engine_report_answer()
 *          + FX_REPORT_FIELD (list: a stable code; free text: the text)
 *   REPORT q --"0"--> REPORT previous question, or (first) back out ... engine_report_input()
 *   REPORT message --"0"--> DONE (nothing stored)
 *   REPORT q --"98"--> next page of q; list --anything else--> same page + hint
 *   REPORT q --"00"--> NODE home (engine.c)
 *   DONE: the reference page + FX_NEEDS_REF (+ FX_END on USSD) ........ engine_report_done()
 *   DONE --text--> DONE again, the text stored as a message
 *   DONE --a number, a key, nothing--> NODE home (engine.c)
 *   MENU, LANG, STOP and timeouts leave the flow in engine.c
 *
 *   NATIONALITY -> NOTIFY -> CATEGORY -> PLACE -> CALLBACK -> MESSAGE -> DONE
 *
 * NOTIFY asks whom the worker lets the gateway tell (1 NGO helpline only,
 * 2 embassy only, 3 both; the prompt says who will see the report); the
 * router keeps the answer with the report and reports/ alerts no one else.
 *
 * The nationality choices are the content's (countries.cfg, choice = true,
 * in file order), then "Another country"; the question is skipped when the
 * language implies a nationality or the content offers no choice.
 */
#include "session/engine_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/charset.h"
#include "core/log.h"
#include "core/util.h"

#define ENGINE_REPORT_RAW_MAX 16384 /* bytes of raw input looked at for a value */
#define ENGINE_REPORT_REF_UNITS                                                                    \
	(ENGINE_REPORT_REF_MAX - 1) /* room a reference takes in place of "%s" */
#define ENGINE_REPORT_CONTACTS 16
#define ENGINE_REPORT_ALL                                                                          \
	((1u << ENGINE_RQ_NATIONALITY) | (1u << ENGINE_RQ_NOTIFY) | (1u << ENGINE_RQ_CATEGORY) |   \
	    (1u << ENGINE_RQ_PLACE) | (1u << ENGINE_RQ_CALLBACK) | (1u << ENGINE_RQ_MESSAGE))

/* A numbered choice: its ui label (NULL: offered in the prompt) and code. */
struct engine_report_item {
	const char *key;
	const char *code;
};

struct engine_report_q {
	const char *prompt;                     /* ui key */
	int field;                              /* enum engine_report_field */
	const struct engine_report_item *items; /* after the countries, if any */
	size_t nitems;
	bool countries; /* the content's nationality choices come first */
	bool listed;    /* the items are shown as "i Label" lines */
	bool text;      /* free text is an answer */
	size_t cap;     /* bytes the store keeps for it, NUL included */
};

/* After the content's countries (content_choice_at). */
static const struct engine_report_item engine_report_nat[] = {
	{ "nat_other", "OTHER" },
};

/* Whom to tell (consent, issue 9): the NGO helpline first, the embassy
 * only with the worker's yes. The codes are the store's (report.notify). */
static const struct engine_report_item engine_report_notify[] = {
	{ "notify_ngo", "ngo" },
	{ "notify_embassy", "embassy" },
	{ "notify_both", "both" },
};

static const struct engine_report_item engine_report_cat[] = {
	{ "cat_locked_in", "locked_in" },
	{ "cat_documents", "documents" },
	{ "cat_wages", "wages" },
	{ "cat_violence", "violence" },
	{ "cat_arrested", "arrested" },
	{ "cat_sick", "sick" },
	{ "cat_trafficked", "trafficked" },
	{ "cat_other", "other" },
};

static const struct engine_report_item engine_report_cb[] = {
	{ NULL, "now" },
	{ NULL, "sms_only" },
};

#define ENGINE_N(a) (sizeof(a) / sizeof((a)[0]))

static const struct engine_report_q engine_report_qs[] = {
	[ENGINE_RQ_NATIONALITY] = { "report_q_nationality", ENGINE_RF_NATIONALITY,
	    engine_report_nat, ENGINE_N(engine_report_nat), true, true, false, 0 },
	[ENGINE_RQ_NOTIFY] = { "report_q_notify", ENGINE_RF_NOTIFY, engine_report_notify,
	    ENGINE_N(engine_report_notify), false, true, false, 0 },
	[ENGINE_RQ_CATEGORY] = { "report_q_category", ENGINE_RF_CATEGORY, engine_report_cat,
	    ENGINE_N(engine_report_cat), false, true, false, 0 },
	[ENGINE_RQ_PLACE] = { "report_q_place", ENGINE_RF_PLACE, NULL, 0, false, false, true,
	    ENGINE_REPORT_PLACE_MAX },
	[ENGINE_RQ_CALLBACK] = { "report_q_callback", ENGINE_RF_CALLBACK, engine_report_cb,
	    ENGINE_N(engine_report_cb), false, false, true, ENGINE_REPORT_CALLBACK_MAX },
	[ENGINE_RQ_MESSAGE] = { "report_q_message", ENGINE_RF_MESSAGE, NULL, 0, false, false, true,
	    sizeof(((struct engine_reply *)0)->report_value) },
};

/* Numbered choices of question q: the content's countries, then its items. */
/* The consent choices the settings offer for the report's nationality
 * (ENGINE_NOTIFY_* bits: bit k is engine_report_notify[k]). */
static unsigned
engine_report_notify_mask(const struct engine_ctx *x)
{
	const char *nat = x->nationality != NULL ? x->nationality : "";

	if (x->s->notify_choices == NULL)
		return ENGINE_NOTIFY_ALL;
	return x->s->notify_choices(x->s->notify_arg, nat) & ENGINE_NOTIFY_ALL;
}

/* Which items of q are listed: all, or for the consent question those the
 * settings offer (bit k: items[k]). */
static unsigned
engine_report_item_mask(const struct engine_ctx *x, int q)
{
	if (q == ENGINE_RQ_NOTIFY)
		return engine_report_notify_mask(x);
	return (1u << engine_report_qs[q].nitems) - 1;
}

static size_t
engine_report_nitems(const struct engine_ctx *x, int q)
{
	const struct engine_report_q *rq = &engine_report_qs[q];
	unsigned m = engine_report_item_mask(x, q);
	size_t n = rq->countries ? content_nchoices(x->c) : 0;

	for (size_t k = 0; k < rq->nitems; k++)
		n += (m >> k) & 1u;
	return n;
}

/* The item shown as the i-th after the countries (i < listed items). */
static const struct engine_report_item *
engine_report_item(const struct engine_ctx *x, int q, size_t i)
{
	const struct engine_report_q *rq = &engine_report_qs[q];
	unsigned m = engine_report_item_mask(x, q);

	for (size_t k = 0; k < rq->nitems; k++)
		if (((m >> k) & 1u) && i-- == 0)
			return &rq->items[k];
	return &rq->items[rq->nitems - 1]; /* not reached: i < engine_report_nitems */
}

/* The stable code choice i (0-based, < engine_report_nitems) stores. */
static const char *
engine_report_code(const struct engine_ctx *x, int q, size_t i)
{
	size_t nc = engine_report_qs[q].countries ? content_nchoices(x->c) : 0;

	return i < nc ? content_choice_at(x->c, i)->code : engine_report_item(x, q, i - nc)->code;
}

/* The label of choice i in the worker's language, as served. Caller frees. */
static char *
engine_report_label(const struct engine_ctx *x, int q, size_t i)
{
	size_t nc = engine_report_qs[q].countries ? content_nchoices(x->c) : 0;
	const struct content_country *ct;

	if (i >= nc)
		return engine_ui(x, engine_report_item(x, q, i - nc)->key);
	ct = content_choice_at(x->c, i);
	return engine_tr(x, ct->ctxt, ct->name);
}

void
engine_report_clear(struct engine_session *sess)
{
	sess->report_step = ENGINE_RQ_NONE;
	sess->report_answered = 0;
	sess->nationality[0] = '\0';
}

/* The nationality the session's language implies, or NULL. */
static const char *
engine_report_implied(const struct content *c, const struct engine_session *sess)
{
	const char *nat = content_language_nationality(c, sess->lang);

	return nat[0] != '\0' ? nat : NULL;
}

/* True when question q is not asked at all: the nationality when the
 * language implies it or the content offers no country to choose; whom to
 * tell when the content does not ask it (no ui report_q_notify: the
 * report then goes only to reports.sos_default) or the settings offer no
 * choice for the nationality (nobody can be told: the router says so). */
static bool
engine_report_skipped(const struct engine_ctx *x, const struct engine_session *sess, int q)
{
	const struct content *c = x->c;

	if (q == ENGINE_RQ_NOTIFY)
		return strcmp(content_ui(c, "en", "report_q_notify", true), "report_q_notify") ==
			   0 ||
		       engine_report_notify_mask(x) == 0;
	return q == ENGINE_RQ_NATIONALITY &&
	       (engine_report_implied(c, sess) != NULL || content_nchoices(c) == 0);
}

static bool
engine_report_pending(const struct engine_ctx *x, const struct engine_session *sess, int q)
{
	if (engine_report_skipped(x, sess, q))
		return false;
	return (sess->report_answered & (1u << q)) == 0;
}

/* The first question after q still unanswered, or DONE. */
static int
engine_report_next(const struct engine_ctx *x, const struct engine_session *sess, int q)
{
	for (q++; q < ENGINE_RQ_DONE; q++)
		if (engine_report_pending(x, sess, q))
			return q;
	return ENGINE_RQ_DONE;
}

/* The question asked before q, or NONE when q is the first. */
static int
engine_report_prev(const struct engine_ctx *x, const struct engine_session *sess, int q)
{
	for (q--; q > ENGINE_RQ_NONE; q--)
		if (!engine_report_skipped(x, sess, q))
			return q;
	return ENGINE_RQ_NONE;
}

static void
engine_report_field(struct engine_reply *out, int field, const char *value)
{
	out->effects |= ENGINE_FX_REPORT_FIELD;
	out->report_field = field;
	if (util_strcopy(out->report_value, sizeof(out->report_value), value) == -1)
		log_warnx("engine: report code truncated");
}

void
engine_report_open(const struct engine_ctx *x, struct engine_session *sess,
    struct engine_reply *out)
{
	const char *nat = engine_report_implied(x->c, sess);
	int q;

	if (sess->state != ENGINE_ST_REPORT)
		engine_report_clear(sess);
	if (nat != NULL && util_strcopy(sess->nationality, sizeof(sess->nationality), nat) == -1)
		sess->nationality[0] = '\0';
	sess->report_answered &= ENGINE_REPORT_ALL;
	sess->state = ENGINE_ST_REPORT;
	q = engine_report_next(x, sess, ENGINE_RQ_NONE);
	/* Everything answered: HELP adds more, so ask for a message again. */
	sess->report_step = q == ENGINE_RQ_DONE ? ENGINE_RQ_MESSAGE : q;
	sess->page = 0;
	out->effects |= ENGINE_FX_REPORT;
	if (nat != NULL)
		engine_report_field(out, ENGINE_RF_NATIONALITY, nat);
}

/* Copies text into out as a value to store: invalid UTF-8 becomes U+FFFD,
 * control characters a space, runs of spaces one, no outer spaces; cut at
 * a character boundary so that it fits cap bytes (NUL included). */
static void
engine_report_value(const char *text, size_t cap, char *out, size_t outsz)
{
	size_t lim = cap < outsz ? cap : outsz, len = strnlen(text, ENGINE_REPORT_RAW_MAX), o = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp = 0;
		size_t n = charset_utf8_next(text + i, len - i, &cp);
		const char *b = text + i;
		size_t bl = n;

		if (n == 0) {
			b = "\xef\xbf\xbd";
			bl = 3;
			n = 1;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == ' ') {
			b = " ";
			bl = 1;
		}
		i += n;
		if (b[0] == ' ' && (o == 0 || out[o - 1] == ' '))
			continue;
		if (o + bl + 1 > lim)
			break;
		memcpy(out + o, b, bl);
		o += bl;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* The limits of a report page: USSD's, or on SMS an information page's
 * (an emergency is worth a long message more than a "98 More" round trip). */
static struct render_limits
engine_report_limits(const struct engine_ctx *x)
{
	struct render_limits lim = x->ch == ENGINE_USSD ? x->s->ussd : x->s->sms;
	int segs = x->s->max_info_segments;

	if (x->ch == ENGINE_SMS && segs > 1)
		lim = render_sms_limits(segs);
	return lim;
}

/* Lays out question q with lines hint and head before it. 0 or -1. */
static int
engine_report_layout(const struct engine_ctx *x, int q, const char *hint, const char *head,
    struct render_pages *all)
{
	const struct engine_report_q *rq = &engine_report_qs[q];
	struct render_limits lim = engine_report_limits(x);
	struct engine_lines l = { 0 };
	char *m = engine_ui(x, "more"), *b = engine_ui(x, "back"), *more = NULL, *last = NULL;
	int rc = -1;

	memset(all, 0, sizeof(*all));
	if (m == NULL || b == NULL)
		goto out;
	/* The message question's prompt says what "0" does: no Back line. */
	more = q == ENGINE_RQ_MESSAGE ? engine_cat3("\n", m, NULL) : engine_cat3("\n", m, " ");
	if (more != NULL && q != ENGINE_RQ_MESSAGE) {
		char *t = engine_cat3(more, b, NULL);

		free(more);
		more = t;
	}
	last = q == ENGINE_RQ_MESSAGE ? engine_cat3("", NULL, NULL) : engine_cat3("\n", b, NULL);
	if (more == NULL || last == NULL)
		goto out;
	if (hint != NULL && engine_lines_take(&l, engine_str(x->script, hint)) == -1)
		goto out;
	if (head != NULL && engine_lines_take(&l, engine_str(x->script, head)) == -1)
		goto out;
	if (engine_lines_take(&l, engine_ui(x, rq->prompt)) == -1)
		goto out;
	for (size_t i = 0; rq->listed && i < engine_report_nitems(x, q); i++) {
		char *label = engine_report_label(x, q, i);

		if (label == NULL || engine_lines_take(&l, engine_item(i + 1, label)) == -1) {
			free(label);
			goto out;
		}
		free(label);
	}
	rc = engine_pack(&l, more, last, engine_locale(x), &lim, all, NULL);
	if (rc == -1)
		render_pages_free(all);
out:
	engine_lines_free(&l);
	free(m);
	free(b);
	free(more);
	free(last);
	return rc;
}

/* Moves page p of all into out as its only page. 0 or -1. */
static int
engine_report_take(struct render_pages *all, size_t p, struct engine_reply *out)
{
	out->pages.v = malloc(sizeof(*out->pages.v));
	if (out->pages.v == NULL) {
		render_pages_free(all);
		return -1;
	}
	out->pages.v[0] = all->v[p];
	out->pages.n = 1;
	all->v[p].text = NULL;
	render_pages_free(all);
	return 0;
}

/* Lines of a page (newlines + 1). */
static size_t
engine_report_lines(const char *t)
{
	size_t n = 1;

	for (; *t != '\0'; t++)
		n += *t == '\n';
	return n;
}

/* The first page of the flow: the question under the short report_opened
 * as long as the question's prompt shares the first screen with it (the
 * list may go on after "98"), else the question alone. (report_intro ends
 * by asking for free text, which would contradict a numbered question.)
 * 0 or -1. */
static int
engine_report_opening(const struct engine_ctx *x, int q, struct render_pages *all)
{
	const char *heads[] = { content_ui(x->c, x->lang, "report_opened", x->s->serve_fuzzy),
		NULL };

	for (size_t i = 0; i < 2; i++) {
		if (engine_report_layout(x, q, NULL, heads[i], all) == -1)
			return -1;
		if (all->n == 1 || i == 1 || engine_report_lines(all->v[0].text) >= 3)
			return 0; /* one screen; or header, prompt and footer on the first */
		render_pages_free(all);
	}
	return 0;
}

/* Shows the current question: page sess->page (+1 when next, wrapping). */
static int
engine_report_page(const struct engine_ctx *x, struct engine_session *sess, bool opening,
    const char *hint, bool next, struct engine_reply *out)
{
	struct render_pages all;
	size_t p;

	if (opening) {
		if (engine_report_opening(x, sess->report_step, &all) == -1)
			return -1;
	} else if (engine_report_layout(x, sess->report_step, hint, NULL, &all) == -1) {
		return -1;
	}
	p = opening || hint != NULL || sess->page < 0 ? 0 : (size_t)sess->page;
	if (next)
		p++;
	if (p >= all.n)
		p = 0;
	sess->page = (int)p;
	out->msg_class = x->discreet ? 0 : -1;
	return engine_report_take(&all, p, out);
}

/* True when text fits lim once its "%s" holds a reference. */
static bool
engine_report_fits(const char *text, const struct render_limits *lim)
{
	size_t units;
	enum render_coding cd = render_coding_of(text, &units);

	units += ENGINE_REPORT_REF_UNITS - 2;
	return units <= (cd == RENDER_GSM7 ? lim->gsm7 : lim->ucs2);
}

/* How many "%s" text holds; any other '%' counts as a marker too. */
static size_t
engine_report_markers(const char *text)
{
	size_t n = 0;

	for (const char *p = strchr(text, '%'); p != NULL; p = strchr(p + 1, '%'))
		n++;
	return n;
}

/* Appends "\n" + line to *text when the result still fits. Takes line. */
static int
engine_report_add(char **text, char *line, const struct render_limits *lim, bool *added)
{
	char *t;

	*added = false;
	if (line == NULL)
		return -1;
	if (line[0] == '\0' || engine_report_markers(line) != 0) {
		free(line);
		return 0;
	}
	t = engine_cat3(*text, "\n", line);
	free(line);
	if (t == NULL)
		return -1;
	if (!engine_report_fits(t, lim)) {
		free(t);
		return 0;
	}
	free(*text);
	*text = t;
	*added = true;
	return 0;
}

/* The emergency numbers for the deployment's country: the contacts node
 * "contacts.emergency" (its prompt, then as many numbers as fit). */
static int
engine_report_emergency(const struct engine_ctx *x, char **text, const struct render_limits *lim)
{
	const struct content_node *nd = content_find(x->c, "contacts.emergency");
	const struct content_contact *cs[ENGINE_REPORT_CONTACTS];
	size_t n;
	char *with;
	bool added = false;

	if (nd == NULL || nd->kind != CONTENT_CONTACTS)
		return 0;
	n = content_contacts_for(nd, x->s->country, cs, ENGINE_REPORT_CONTACTS);
	if (n == 0)
		return 0;
	with = engine_cat3(*text, NULL, NULL);
	if (with == NULL)
		return -1;
	if (engine_report_add(&with,
		nd->text[0] != '\0' ? engine_tr(x, nd->id, nd->text) :
				      engine_tr(x, nd->id, nd->title),
		lim, &added) == -1)
		goto fail;
	for (size_t i = 0; added && i < n; i++) {
		bool one;

		if (engine_report_add(&with, engine_contact_line(x, cs[i]), lim, &one) == -1)
			goto fail;
		if (i == 0 && !one)
			added = false; /* a heading without a number helps nobody */
		if (!one)
			break;
	}
	if (added) {
		free(*text);
		*text = with;
	} else {
		free(with);
	}
	return 0;
fail:
	free(with);
	return -1;
}

/* The reference line: report_ref in the worker's language when it holds
 * one "%s" and fits, else the English, else the bare reference. Caller frees. */
static char *
engine_report_ref(const struct engine_ctx *x, const struct render_limits *lim)
{
	char *ref = engine_ui(x, "report_ref");

	if (ref != NULL && (engine_report_markers(ref) != 1 || !engine_report_fits(ref, lim))) {
		free(ref);
		ref = engine_cat3(content_ui(x->c, "en", "report_ref", false), NULL, NULL);
		if (ref != NULL &&
		    (engine_report_markers(ref) != 1 || !engine_report_fits(ref, lim))) {
			log_warnx("engine: ui report_ref needs one %%s and room for the reference");
			free(ref);
			ref = engine_cat3("%s", NULL, NULL);
		}
	}
	return ref;
}

/* The last page: report_ref (one "%s" for the router), report_done when
 * it fits, the emergency numbers as far as they fit (they come first). */
static int
engine_report_done(const struct engine_ctx *x, struct engine_session *sess,
    struct engine_reply *out)
{
	struct render_limits lim = engine_report_limits(x);
	struct render_pages all = { NULL, 0 };
	char *ref = engine_report_ref(x, &lim), *text = NULL, *done = NULL, *cand;

	if (ref == NULL)
		return -1;
	text = engine_cat3(ref, NULL, NULL);
	done = engine_ui(x, "report_done");
	if (text == NULL || done == NULL || engine_report_emergency(x, &text, &lim) == -1)
		goto fail;
	if (done[0] != '\0' && engine_report_markers(done) == 0) {
		/* ref, done, then the numbers already chosen (text = ref + numbers) */
		cand = engine_cat3(ref, "\n", done);
		if (cand != NULL) {
			char *t = engine_cat3(cand, text + strlen(ref), NULL);

			free(cand);
			cand = t;
		}
		if (cand == NULL)
			goto fail;
		if (engine_report_fits(cand, &lim)) {
			free(text);
			text = cand;
		} else {
			free(cand);
		}
	}
	all.v = malloc(sizeof(*all.v));
	if (all.v == NULL)
		goto fail;
	all.n = 1;
	all.v[0].text = text;
	all.v[0].coding = render_coding_of(text, &all.v[0].units);
	all.v[0].segments = render_sms_segments(text);
	free(ref);
	free(done);
	sess->report_step = ENGINE_RQ_DONE;
	sess->page = 0;
	out->effects |= ENGINE_FX_NEEDS_REF | (x->ch == ENGINE_USSD ? ENGINE_FX_END : 0);
	out->msg_class = -1; /* the reference must stay on the phone */
	return engine_report_take(&all, 0, out);
fail:
	free(ref);
	free(text);
	free(done);
	return -1;
}

int
engine_report_show(const struct engine_ctx *x, struct engine_session *sess, bool opening,
    struct engine_reply *out)
{
	return engine_report_page(x, sess, opening, NULL, false, out);
}

/* A list choice "1".."n" as a 0-based index, or -1. */
static int
engine_report_choice(const char *in, size_t n)
{
	long v;

	if (in[0] < '1' || in[0] > '9' || strlen(in) > 3)
		return -1;
	if (util_parse_long(in, 1, (long)n, &v) == -1)
		return -1;
	return (int)v - 1;
}

/* True when in is only digits (a menu choice, not a message). */
static bool
engine_report_number(const char *in)
{
	if (in[0] == '\0')
		return false;
	for (; *in != '\0'; in++)
		if (*in < '0' || *in > '9')
			return false;
	return true;
}

/* Stores the answer to the current question (code, or the text when code
 * is NULL) and shows the next question or the last page. */
static int
engine_report_answer(const struct engine_ctx *x, struct engine_session *sess, const char *code,
    const char *text, struct engine_reply *out)
{
	int q = sess->report_step;
	const struct engine_report_q *rq = &engine_report_qs[q];

	if (code != NULL) {
		engine_report_field(out, rq->field, code);
		if (rq->field == ENGINE_RF_NATIONALITY &&
		    util_strcopy(sess->nationality, sizeof(sess->nationality), code) == -1)
			sess->nationality[0] = '\0';
	} else {
		engine_report_value(text, rq->cap, out->report_value, sizeof(out->report_value));
		if (out->report_value[0] == '\0')
			return engine_report_page(x, sess, false, NULL, false, out);
		out->effects |= ENGINE_FX_REPORT_FIELD;
		out->report_field = rq->field;
	}
	sess->report_answered |= 1u << q;
	q = engine_report_next(x, sess, q);
	if (q == ENGINE_RQ_DONE)
		return engine_report_done(x, sess, out);
	sess->report_step = q;
	sess->page = 0;
	return engine_report_page(x, sess, false, NULL, false, out);
}

/* After the last page: more text is one more message; anything else
 * (a number, a key, nothing) goes home. */
static int
engine_report_after(const struct engine_ctx *x, struct engine_session *sess, const char *in,
    const char *text, struct engine_reply *out)
{
	if (in != NULL && (in[0] == '\0' || engine_report_number(in)))
		return ENGINE_REPORT_HOME;
	engine_report_value(text, engine_report_qs[ENGINE_RQ_MESSAGE].cap, out->report_value,
	    sizeof(out->report_value));
	if (out->report_value[0] == '\0')
		return ENGINE_REPORT_HOME;
	out->effects |= ENGINE_FX_REPORT_FIELD;
	out->report_field = ENGINE_RF_MESSAGE;
	sess->report_answered |= 1u << ENGINE_RQ_MESSAGE;
	return engine_report_done(x, sess, out);
}

int
engine_report_input(const struct engine_ctx *x, struct engine_session *sess, const char *in,
    const char *raw, struct engine_reply *out)
{
	const struct engine_settings *s = x->s;
	const char *text = in != NULL ? in : (raw != NULL ? raw : "");
	const struct engine_report_q *rq;
	int q = sess->report_step, prev, i;

	sess->report_answered &= ENGINE_REPORT_ALL;
	if (q <= ENGINE_RQ_NONE || q > ENGINE_RQ_DONE) {
		q = engine_report_next(x, sess, ENGINE_RQ_NONE);
		sess->report_step = q == ENGINE_RQ_DONE ? ENGINE_RQ_MESSAGE : q;
		sess->page = 0;
		return engine_report_page(x, sess, false, NULL, false, out);
	}
	if (q == ENGINE_RQ_DONE)
		return engine_report_after(x, sess, in, text, out);
	if (in != NULL && strcmp(in, s->key_home) == 0)
		return ENGINE_REPORT_HOME;
	if (in != NULL && strcmp(in, s->key_back) == 0) {
		if (q == ENGINE_RQ_MESSAGE)
			return engine_report_done(x, sess, out);
		prev = engine_report_prev(x, sess, q);
		if (prev == ENGINE_RQ_NONE)
			return ENGINE_REPORT_BACK;
		sess->report_step = prev;
		sess->page = 0;
		return engine_report_page(x, sess, false, NULL, false, out);
	}
	rq = &engine_report_qs[q];
	i = in != NULL && engine_report_nitems(x, q) > 0 ?
		engine_report_choice(in, engine_report_nitems(x, q)) :
		-1;
	if (i >= 0)
		return engine_report_answer(x, sess, engine_report_code(x, q, (size_t)i), NULL,
		    out);
	if (in != NULL && in[0] == '\0')
		return engine_report_page(x, sess, false, NULL, false, out);
	if (in != NULL && strcmp(in, s->key_more) == 0)
		return engine_report_page(x, sess, false, NULL, true, out);
	if (rq->text)
		return engine_report_answer(x, sess, NULL, text, out);
	return engine_report_page(x, sess, false,
	    content_ui(x->c, x->lang, "invalid", s->serve_fuzzy), false, out);
}
