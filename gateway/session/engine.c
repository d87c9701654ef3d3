/* engine.c - the session state machine: (session, input, now) -> (session,
 * one page, effects). Pure: no I/O, no clock; engine_view.c lays pages out,
 * engine_cache.c keeps them laid out (engine_show borrows from it).
 *
 *            any state: keyword ............... engine_keyword()
 *              MENU -> NODE home; LANG -> LANG; HELP/SOS -> REPORT (+FX_REPORT) engine_report();
 *              STOP -> NEW + FX_STOP (+END); STATUS ref -> unchanged + FX_STATUS
 *            any state, timed out ............. engine_restart() -> NODE home | LANG
 *
 *   NEW --(any input)--> NODE home (language known) | LANG ... engine_restart()
 *   LANG --digit i--> NODE home + "language set" ........... engine_on_lang()
 *   LANG --"0"/"00" (language set)--> NODE ................. engine_on_lang()
 *   NODE --digit i (menu)--> NODE child i .................. engine_open()
 *          child is action language --> LANG; report --> REPORT (+FX_REPORT);
 *          discreet --> toggle, shows on/off
 *   REPORT --input--> REPORT next question | DONE ........... engine_on_report()
 *          (the questions: engine_report.c); leaving it: "0" on the first
 *          question --> NODE before it (engine_pop); "00", or a number after
 *          the last page --> NODE home
 *   NODE --"0"--> NODE parent (home stays home) ............ engine_on_node()
 *   NODE --"00"--> NODE home ............................... engine_on_node()
 *   NODE --"98"--> NODE same node, next page (wraps) ....... engine_on_node()
 *   LANG|NODE --anything else--> same page + "invalid" hint  engine_show()
 *   NODE whose id vanished on reload --> NODE home ......... engine_step()
 *
 *   no language yet, text in a script that names one (Thai, Khmer, Lao,
 *          Burmese, Zawgyi, Tamil, Chinese; Vietnamese diacritics) --> that
 *          language (+ Zawgyi), then as below; no other clue: NODE home
 *          under "language set" ........................... engine_script_lang()
 *   not in REPORT, a help word inside a longer message ("tolong saya")
 *          --> DANGER ("In danger now? 1 Yes, report 2 No, menu") engine_danger()
 *   a shared keyword (TOLONG: Malay and Indonesian) sets no language;
 *          a shared help word still opens the report at once
 *   DANGER --"1"--> REPORT (+FX_REPORT); --"2"/"0"/"00"--> NODE home | LANG;
 *          anything else --> DANGER again with the hint .... engine_on_danger()
 */
#include "session/engine.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "session/engine_int.h"

#define ENGINE_INPUT_MAX 1024 /* longer input is invalid, not parsed */
#define ENGINE_BACK_MAX ((int)(sizeof(((struct engine_session *)0)->back) / CONTENT_ID_MAX))

/* What the transition decided to show. */
struct engine_show {
	struct engine_view view;
	enum { ENGINE_PAGE_SAME = 0, ENGINE_PAGE_FIRST, ENGINE_PAGE_NEXT } page;
	const char *hint; /* "invalid": prefix the page with it */
	bool report;      /* open the report flow (engine_report.c) instead */
};

static const char *const engine_channel_names[] = { [ENGINE_SMS] = "sms", [ENGINE_USSD] = "ussd" };

const char *
engine_channel_name(enum engine_channel ch)
{
	if ((unsigned)ch >= sizeof(engine_channel_names) / sizeof(engine_channel_names[0]))
		return "sms";
	return engine_channel_names[ch];
}

int
engine_channel_parse(const char *name, enum engine_channel *out)
{
	for (size_t i = 0; i < sizeof(engine_channel_names) / sizeof(engine_channel_names[0]);
	     i++) {
		if (strcmp(name, engine_channel_names[i]) == 0) {
			*out = (enum engine_channel)i;
			return 0;
		}
	}
	return -1;
}

void
engine_settings_default(struct engine_settings *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->key_back, "0", 2);
	memcpy(s->key_home, "00", 3);
	memcpy(s->key_more, "98", 3);
	s->ussd_timeout_ms = 180000;
	s->sms_timeout_ms = 1800000;
	s->serve_fuzzy = false;
	s->ussd.gsm7 = 182;
	s->ussd.ucs2 = 80;
	s->sms = render_sms_limits(1);
	s->max_info_segments = 3;
}

void
engine_reply_free(struct engine_reply *r)
{
	if (r == NULL)
		return;
	if (r->borrowed) {
		r->pages.v = NULL;
		r->pages.n = 0;
		r->borrowed = false;
		return;
	}
	render_pages_free(&r->pages);
}

/* Makes a session read from storage safe to use: terminated strings,
 * depth and page in range, a known state and language. */
static void
engine_sanitize(const struct content *c, struct engine_session *sess)
{
	sess->node[CONTENT_ID_MAX - 1] = '\0';
	sess->lang[CONTENT_LANG_MAX - 1] = '\0';
	for (int i = 0; i < ENGINE_BACK_MAX; i++)
		sess->back[i][CONTENT_ID_MAX - 1] = '\0';
	if (sess->depth < 0 || sess->depth > ENGINE_BACK_MAX)
		sess->depth = 0;
	if (sess->page < 0)
		sess->page = 0;
	if (sess->state != ENGINE_ST_NEW && sess->state != ENGINE_ST_LANG &&
	    sess->state != ENGINE_ST_NODE && sess->state != ENGINE_ST_REPORT &&
	    sess->state != ENGINE_ST_DANGER)
		sess->state = ENGINE_ST_NEW;
	if (sess->state != ENGINE_ST_REPORT || sess->report_step < ENGINE_RQ_NONE ||
	    sess->report_step > ENGINE_RQ_DONE)
		engine_report_clear(sess);
	if (sess->lang[0] != '\0' && content_find_language(c, sess->lang) == NULL)
		sess->lang[0] = '\0';
	if (sess->variant) {
		const struct content_language *l = content_find_language(c, sess->lang);

		if (l == NULL || l->variant[0] == '\0')
			sess->variant = false;
	}
}

static void
engine_ctx_init(struct engine_ctx *x, const struct content *c, const struct engine_settings *s,
    enum engine_channel ch, const struct engine_session *sess)
{
	x->c = c;
	x->s = s;
	x->ch = ch;
	x->lang = sess->lang[0] != '\0' ? sess->lang : "en";
	x->variant = sess->variant;
	x->script = engine_script(c, x->lang, x->variant);
	x->discreet = sess->discreet;
	x->nationality = sess->nationality;
}

static void
engine_set_node(struct engine_session *sess, const struct content_node *nd)
{
	sess->state = ENGINE_ST_NODE;
	engine_report_clear(sess);
	if (util_strcopy(sess->node, sizeof(sess->node), nd->id) == -1)
		log_warnx("engine: node id truncated: %s", nd->id);
	sess->page = 0;
}

static void
engine_go_home(const struct content *c, struct engine_session *sess, struct engine_show *sh)
{
	engine_set_node(sess, content_home(c));
	sess->depth = 0;
	sh->view.node = content_home(c);
	sh->page = ENGINE_PAGE_FIRST;
}

static void
engine_show_langs(struct engine_session *sess, struct engine_show *sh)
{
	sess->state = ENGINE_ST_LANG;
	engine_report_clear(sess);
	sh->view.node = NULL;
	sh->view.lang_nav = sess->lang[0] != '\0';
	sh->page = ENGINE_PAGE_FIRST;
}

/* Timed out or first contact: home when the language is known, else the list. */
static void
engine_restart(const struct content *c, struct engine_session *sess, struct engine_show *sh)
{
	if (sess->lang[0] != '\0')
		engine_go_home(c, sess, sh);
	else
		engine_show_langs(sess, sh);
}

/* Pushes the current node on the back path (dropping the oldest when full). */
static void
engine_push(struct engine_session *sess)
{
	if (sess->depth == ENGINE_BACK_MAX) {
		memmove(sess->back[0], sess->back[1],
		    (size_t)(ENGINE_BACK_MAX - 1) * CONTENT_ID_MAX);
		sess->depth--;
	}
	memcpy(sess->back[sess->depth++], sess->node, CONTENT_ID_MAX);
}

/* Enters nd from the current node: actions take effect here. */
static void
engine_open(const struct content *c, struct engine_session *sess, const struct content_node *nd,
    struct engine_show *sh)
{
	if (nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_LANGUAGE) {
		engine_show_langs(sess, sh);
		return;
	}
	if (nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_REPORT)
		sh->report = true;
	if (nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_DISCREET)
		sess->discreet = !sess->discreet;
	if (nd != content_home(c))
		engine_push(sess);
	engine_set_node(sess, nd);
	sh->view.node = nd;
	sh->page = ENGINE_PAGE_FIRST;
}

/* A menu choice "1".."999" as a number, or 0. */
static long
engine_digit(const char *in)
{
	long v;

	if (in[0] < '1' || in[0] > '9' || strlen(in) > 3)
		return 0;
	if (util_parse_long(in, 1, 999, &v) == -1)
		return 0;
	return v;
}

/* 0, or -1 when out of memory. */
static int
engine_on_lang(const struct content *c, const struct engine_settings *s,
    struct engine_session *sess, const char *in, struct engine_show *sh)
{
	long d = engine_digit(in);
	bool zg;
	const struct content_language *l =
	    d > 0 ? engine_lang_entry(c, s->country, (size_t)d - 1, &zg) : NULL;

	if (l == NULL && d > 0 && (size_t)d <= engine_lang_entries(c))
		return -1; /* a choice in range: its look-up ran out of memory */
	if (l != NULL) {
		if (util_strcopy(sess->lang, sizeof(sess->lang), l->code) == -1)
			sess->lang[0] = '\0';
		sess->variant = zg;
		engine_go_home(c, sess, sh);
		sh->view.header = content_ui(c, sess->lang, "language_set", s->serve_fuzzy);
		sh->view.langset = true;
		return 0;
	}
	if (sess->lang[0] != '\0' && strcmp(in, s->key_home) == 0) {
		engine_go_home(c, sess, sh);
		return 0;
	}
	if (sess->lang[0] != '\0' && strcmp(in, s->key_back) == 0) {
		const struct content_node *nd = content_find(c, sess->node);

		if (nd == NULL || nd->kind == CONTENT_ACTION) {
			engine_go_home(c, sess, sh);
			return 0;
		}
		engine_set_node(sess, nd);
		sh->view.node = nd;
		sh->page = ENGINE_PAGE_FIRST;
		return 0;
	}
	sh->view.node = NULL;
	sh->view.lang_nav = sess->lang[0] != '\0';
	if (strcmp(in, s->key_more) == 0)
		sh->page = ENGINE_PAGE_NEXT;
	else if (in[0] != '\0')
		sh->hint =
		    content_ui(c, sess->lang[0] ? sess->lang : "en", "invalid", s->serve_fuzzy);
	return 0;
}

/* "0": the node before this one on the back path, else home. */
static void
engine_pop(const struct content *c, struct engine_session *sess, struct engine_show *sh)
{
	const struct content_node *up = NULL;

	while (up == NULL && sess->depth > 0)
		up = content_find(c, sess->back[--sess->depth]);
	if (up == NULL) {
		engine_go_home(c, sess, sh);
		return;
	}
	engine_set_node(sess, up);
	sh->view.node = up;
	sh->page = ENGINE_PAGE_FIRST;
}

static void
engine_on_node(const struct content *c, const struct engine_settings *s,
    struct engine_session *sess, const struct content_node *cur, const char *in,
    struct engine_show *sh)
{
	long d = engine_digit(in);

	sh->view.node = cur;
	if (strcmp(in, s->key_home) == 0) {
		engine_go_home(c, sess, sh);
	} else if (strcmp(in, s->key_back) == 0) {
		engine_pop(c, sess, sh);
	} else if (strcmp(in, s->key_more) == 0) {
		sh->page = ENGINE_PAGE_NEXT;
	} else if (cur->kind == CONTENT_MENU && d > 0 &&
		   content_child_at(c, cur, s->country, (size_t)d) != NULL) {
		engine_open(c, sess, content_child_at(c, cur, s->country, (size_t)d), sh);
	} else if (in[0] != '\0') {
		sh->hint =
		    content_ui(c, sess->lang[0] ? sess->lang : "en", "invalid", s->serve_fuzzy);
	}
}

/* Keywords work from any state. Returns true when in was one. */
static bool
engine_keyword(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    struct engine_session *sess, const char *in, struct engine_show *sh, struct engine_reply *out,
    bool *stop)
{
	const char *klang = "", *rest = "";
	enum content_keyword kw;
	const struct content_node *rep;
	size_t j = 0;

	if (engine_cache_not_keyword(s, c, in))
		return false; /* a menu number: content_keyword would fold it first */
	kw = content_keyword_ex(c, in, &klang, &rest, NULL);
	if (kw == CONTENT_KW_NONE)
		return false;
	/* A shared word (TOLONG is Malay and Indonesian) sets no language
	 * (klang is ""); a help word acts at once all the same: the report
	 * opens, in the number's language or English until one is chosen. */
	if (klang != NULL && klang[0] != '\0' && sess->lang[0] == '\0' &&
	    content_find_language(c, klang) != NULL &&
	    util_strcopy(sess->lang, sizeof(sess->lang), klang) == -1)
		sess->lang[0] = '\0';
	switch (kw) {
	case CONTENT_KW_MENU:
		engine_go_home(c, sess, sh);
		break;
	case CONTENT_KW_LANG:
		engine_show_langs(sess, sh);
		break;
	case CONTENT_KW_HELP:
		sh->report = true;
		if (sess->state == ENGINE_ST_REPORT)
			break; /* already in the flow: carry on where it is */
		rep = engine_find_action(c, CONTENT_ACTION_REPORT);
		sess->depth = 0;
		engine_set_node(sess, content_home(c));
		if (rep != NULL && rep != content_home(c))
			engine_push(sess);
		engine_set_node(sess, rep != NULL ? rep : content_home(c));
		sh->view.node = content_find(c, sess->node);
		sh->page = ENGINE_PAGE_FIRST;
		break;
	case CONTENT_KW_STOP:
		out->effects |= ENGINE_FX_STOP | (ch == ENGINE_USSD ? ENGINE_FX_END : 0);
		*stop = true;
		break;
	case CONTENT_KW_STATUS:
		out->effects |= ENGINE_FX_STATUS;
		while (rest != NULL && *rest == ' ')
			rest++;
		for (;
		     rest != NULL && rest[j] != '\0' && rest[j] != ' ' && j + 1 < sizeof(out->arg);
		     j++)
			out->arg[j] = (char)toupper((unsigned char)rest[j]);
		out->arg[j] = '\0';
		break;
	default:
		return false;
	}
	return true;
}

/* The STOP reply: the "stopped" text alone, then the session starts over. */
static int
engine_stopped(const struct engine_ctx *x, struct engine_session *sess, struct engine_reply *out)
{
	struct render_limits lim = x->ch == ENGINE_USSD ? x->s->ussd : x->s->sms;
	const char *t = content_ui(x->c, x->lang, "stopped", x->s->serve_fuzzy);
	char *z = engine_str(x->script, t);
	int rc;

	rc = render_paginate(z != NULL ? z : t, "", "", engine_locale(x), &lim, &out->pages);
	free(z);
	if (rc == 0 && out->pages.n > 1) {
		for (size_t i = 1; i < out->pages.n; i++)
			free(out->pages.v[i].text);
		out->pages.n = 1;
	}
	memset(sess, 0, sizeof(*sess));
	return rc;
}

/* Puts pg into out as its one page: borrowed (from the cache), or moved
 * (pg's text is taken). 0 or -1. */
static int
engine_put(struct engine_reply *out, struct render_page *pg, bool borrowed)
{
	if (borrowed) {
		out->pages.v = pg;
		out->pages.n = 1;
		out->borrowed = true;
		return 0;
	}
	out->pages.v = malloc(sizeof(*out->pages.v));
	if (out->pages.v == NULL)
		return -1;
	out->pages.v[0] = *pg;
	out->pages.n = 1;
	pg->text = NULL;
	return 0;
}

/* Page pg with the hint line above it, as a new page in *pg (its text
 * owned) when that fits lim. 1 when it fits, 0 when not, -1 on failure. */
static int
engine_hinted(const struct engine_ctx *x, const char *hint_src, const struct render_limits *lim,
    struct render_page *pg)
{
	char *hint = engine_str(x->script, hint_src), *t = NULL;
	size_t units, hl;
	enum render_coding cd;

	if (hint == NULL)
		return -1;
	hl = strlen(hint);
	t = malloc(hl + strlen(pg->text) + 2);
	if (t == NULL) {
		free(hint);
		return -1;
	}
	memcpy(t, hint, hl);
	t[hl] = '\n';
	memcpy(t + hl + 1, pg->text, strlen(pg->text) + 1);
	free(hint);
	cd = render_coding_of(t, &units);
	if (units > (cd == RENDER_GSM7 ? lim->gsm7 : lim->ucs2)) {
		free(t);
		return 0;
	}
	pg->text = t;
	pg->coding = cd;
	pg->units = units;
	pg->segments = render_sms_segments(t);
	return 1;
}

/* Lays out the chosen view (or borrows it from the cache), keeps the one
 * page to send and records it. */
static int
engine_show(const struct engine_ctx *x, struct engine_session *sess, struct engine_show *sh,
    struct engine_reply *out)
{
	struct render_limits lim = engine_view_limits(x, &sh->view);
	const struct render_pages *cached = engine_cache_view(x, &sh->view);
	struct render_pages all = { NULL, 0 }, h = { NULL, 0 };
	struct render_page *pg, hinted;
	bool borrowed = cached != NULL;
	size_t p, n;
	int rc;

	if (cached == NULL && engine_view_pages(x, &sh->view, &all) == -1)
		return -1;
	n = cached != NULL ? cached->n : all.n;
	p = sh->page == ENGINE_PAGE_FIRST ? 0 : (size_t)sess->page;
	if (sh->page == ENGINE_PAGE_NEXT)
		p++;
	if (p >= n)
		p = 0;
	pg = cached != NULL ? &cached->v[p] : &all.v[p];
	if (sh->hint != NULL) {
		hinted = *pg;
		rc = engine_hinted(x, sh->hint, &lim, &hinted);
		if (rc == -1) {
			render_pages_free(&all);
			return -1;
		}
		if (rc == 1) {
			pg = &hinted; /* a new text, owned */
			borrowed = false;
			if (cached == NULL) {
				free(all.v[p].text);
				all.v[p].text = NULL;
			}
		} else if (rc == 0) {
			/* The full page has no room: lay out again with the hint first. */
			sh->view.header = sh->hint;
			sh->view.langset = false;
			if (engine_view_pages(x, &sh->view, &h) == 0) {
				pg = &h.v[0];
				borrowed = false;
				p = 0;
			}
		}
	}
	rc = engine_put(out, pg, borrowed);
	render_pages_free(&all);
	render_pages_free(&h);
	if (rc == -1) {
		if (pg == &hinted)
			free(hinted.text);
		return -1;
	}
	sess->page = (int)p;
	out->msg_class = x->discreet && engine_view_is_menu(&sh->view) ? 0 : -1;
	return 0;
}

/* Trims input into buf; false when it is not text a person could type:
 * too long, invalid UTF-8, or control characters. */
static bool
engine_input(const char *input, char *buf, size_t bufsz)
{
	size_t len, a = 0;

	buf[0] = '\0';
	if (input == NULL)
		return true;
	len = strnlen(input, ENGINE_INPUT_MAX + 1);
	if (len > ENGINE_INPUT_MAX || !util_utf8_valid(input, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)input[i];

		if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t')
			return false;
		if (ch == 0x7f)
			return false;
	}
	while (a < len && isspace((unsigned char)input[a]))
		a++;
	while (len > a && isspace((unsigned char)input[len - 1]))
		len--;
	if (len - a >= bufsz)
		return false;
	memcpy(buf, input + a, len - a);
	buf[len - a] = '\0';
	return true;
}

/* Opens (or re-opens) the report flow and shows its first open question. */
static int
engine_report(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    struct engine_session *sess, struct engine_reply *out)
{
	struct engine_ctx x;

	engine_ctx_init(&x, c, s, ch, sess);
	engine_report_open(&x, sess, out);
	return engine_report_show(&x, sess, true, out);
}

/* One input while the report flow runs; leaving it is decided here. */
static int
engine_on_report(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    struct engine_session *sess, const char *in, const char *raw, struct engine_show *sh,
    struct engine_reply *out, bool *shown)
{
	struct engine_ctx x;
	int go;

	engine_ctx_init(&x, c, s, ch, sess);
	go = engine_report_input(&x, sess, in, raw, out);
	*shown = go == ENGINE_REPORT_SHOWN || go == -1;
	if (go == ENGINE_REPORT_BACK)
		engine_pop(c, sess, sh);
	else if (go == ENGINE_REPORT_HOME)
		engine_go_home(c, sess, sh);
	return go == -1 ? -1 : 0;
}

/* The first code point of s (valid UTF-8) and its length in *len. */
static uint32_t
engine_cp(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if ((u[0] & 0xe0) == 0xc0) {
		*len = 2;
		return ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
	}
	if ((u[0] & 0xf0) == 0xe0) {
		*len = 3;
		return ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) |
		       (u[2] & 0x3f);
	}
	*len = 4;
	return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) |
	       ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
}

/* Letters only Vietnamese writes among the languages served: ă â đ ê ô ơ ư
 * and the tone marks precomposed (U+1EA0-U+1EF9). */
static bool
engine_vietnamese(uint32_t cp)
{
	return (cp >= 0x1ea0 && cp <= 0x1ef9) || cp == 0x102 || cp == 0x103 || cp == 0x110 ||
	       cp == 0x111 || cp == 0x1a0 || cp == 0x1a1 || cp == 0x1af || cp == 0x1b0;
}

/* The language the script of in (valid UTF-8, Unicode) names, or NULL when
 * it gives no clue: the script most of its letters are in. */
static const char *
engine_script_lang(const char *in)
{
	static const struct {
		uint32_t lo, hi;
		const char *lang;
	} scripts[] = {
		{ 0x0e00, 0x0e7f, "th" },
		{ 0x0e80, 0x0eff, "lo" },
		{ 0x1780, 0x17ff, "km" },
		{ 0x19e0, 0x19ff, "km" },
		{ 0x1000, 0x109f, "my" },
		{ 0xa9e0, 0xa9ff, "my" },
		{ 0xaa60, 0xaa7f, "my" },
		{ 0x0b80, 0x0bff, "ta" },
		{ 0x4e00, 0x9fff, "zh" },
		{ 0x3400, 0x4dbf, "zh" },
		{ 0xf900, 0xfaff, "zh" },
	};
	size_t n[sizeof(scripts) / sizeof(scripts[0])] = { 0 }, vi = 0, best = 0, len;
	const char *lang = NULL;

	for (const char *p = in; *p != '\0'; p += len) {
		uint32_t cp = engine_cp(p, &len);

		if (engine_vietnamese(cp))
			vi++;
		for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++)
			if (cp >= scripts[i].lo && cp <= scripts[i].hi)
				n[i]++;
	}
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		if (n[i] > best) {
			best = n[i];
			lang = scripts[i].lang;
		}
	}
	if (lang == NULL && vi > 0)
		lang = "vi";
	return lang;
}

/* Sets the session's language to lang when the content offers it. */
static bool
engine_pick_lang(const struct content *c, struct engine_session *sess, const char *lang)
{
	if (lang == NULL || lang[0] == '\0' || content_find_language(c, lang) == NULL)
		return false;
	if (util_strcopy(sess->lang, sizeof(sess->lang), lang) == -1) {
		sess->lang[0] = '\0';
		return false;
	}
	return true;
}

/* True when in is only ASCII digits (a menu choice, 0, 00, 98). */
static bool
engine_number(const char *in)
{
	for (; *in != '\0'; in++)
		if (*in < '0' || *in > '9')
			return false;
	return true;
}

/* The danger question, one page, in the session's language: state DANGER. */
static int
engine_danger(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    struct engine_session *sess, const char *hint, struct engine_reply *out)
{
	struct engine_ctx x;
	struct render_limits lim = ch == ENGINE_USSD ? s->ussd : s->sms;
	const char *q, *h;
	char *t, *z;
	int rc;

	engine_ctx_init(&x, c, s, ch, sess);
	engine_report_clear(sess);
	sess->state = ENGINE_ST_DANGER;
	sess->page = 0;
	q = content_ui(c, x.lang, "danger_question", s->serve_fuzzy);
	h = hint != NULL ? hint : "";
	t = engine_cat3(h, h[0] != '\0' ? "\n" : "", q);
	if (t == NULL)
		return -1;
	z = engine_str(x.script, t);
	free(t);
	if (z == NULL)
		return -1;
	rc = render_paginate(z, "", "", engine_locale(&x), &lim, &out->pages);
	free(z);
	if (rc == 0 && out->pages.n > 1) {
		for (size_t i = 1; i < out->pages.n; i++)
			free(out->pages.v[i].text);
		out->pages.n = 1;
	}
	return rc;
}

/* One input to the danger question: "1" opens the report flow, "2" (or
 * Back, Home) the menu; anything else asks again with the hint. Returns
 * 1 when it laid the question out again into out. */
static int
engine_on_danger(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    struct engine_session *sess, const char *in, struct engine_show *sh, struct engine_reply *out)
{
	const struct content_node *rep;

	if (in != NULL && strcmp(in, "1") == 0) {
		rep = engine_find_action(c, CONTENT_ACTION_REPORT);
		sess->depth = 0;
		engine_set_node(sess, content_home(c));
		if (rep != NULL && rep != content_home(c))
			engine_push(sess);
		engine_set_node(sess, rep != NULL ? rep : content_home(c));
		sh->report = true;
		return 0;
	}
	if (in != NULL && (strcmp(in, "2") == 0 || strcmp(in, s->key_back) == 0 ||
			      strcmp(in, s->key_home) == 0)) {
		engine_restart(c, sess, sh);
		return 0;
	}
	if (engine_danger(c, s, ch, sess,
		content_ui(c, sess->lang[0] ? sess->lang : "en", "invalid", s->serve_fuzzy),
		out) == -1)
		return -1;
	return 1;
}

static int
engine_step_apply(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    struct engine_session *sess, const char *input, int64_t now_ms, struct engine_reply *out)
{
	int64_t timeout = ch == ENGINE_USSD ? s->ussd_timeout_ms : s->sms_timeout_ms;
	struct engine_show sh = { { NULL, NULL, false, false }, ENGINE_PAGE_SAME, NULL, false };
	struct engine_ctx x;
	char in[ENGINE_INPUT_MAX + 1];
	bool valid, timed_out, stop = false, picked = false, looks_zg = false;
	int help;
	const struct content_node *cur;
	const char *hl = "";

	memset(out, 0, sizeof(*out));
	out->msg_class = -1;
	engine_sanitize(c, sess);
	valid = engine_input(input, in, sizeof(in));
	timed_out = sess->state != ENGINE_ST_NEW && now_ms - sess->last_ms > timeout;
	sess->last_ms = now_ms;
	if (valid && render_looks_zawgyi(in)) {
		/* Read as Unicode; render decides whether the writer reads Zawgyi. */
		const struct content_language *l = content_find_language(c, sess->lang);
		bool zg =
		    render_reader_script(sess->lang, sess->variant, in) == RENDER_SCRIPT_ZAWGYI;
		char *u = NULL;

		if (render_from_zawgyi(in, &u) == 0 && util_strcopy(in, sizeof(in), u) == 0 && zg &&
		    l != NULL && strcmp(l->variant, RENDER_VARIANT_ZAWGYI) == 0)
			sess->variant = true;
		free(u);
		looks_zg = zg;
	}
	if (valid && in[0] != '\0' && sess->lang[0] == '\0' && !engine_number(in) &&
	    engine_pick_lang(c, sess, engine_script_lang(in))) {
		/* the first message's script names the language: no list */
		const struct content_language *l = content_find_language(c, sess->lang);

		sess->variant =
		    looks_zg && l != NULL && strcmp(l->variant, RENDER_VARIANT_ZAWGYI) == 0;
		picked = true;
	}
	if (valid && in[0] != '\0' && engine_keyword(c, s, ch, sess, in, &sh, out, &stop)) {
		engine_ctx_init(&x, c, s, ch, sess);
		if (stop)
			return engine_stopped(&x, sess, out);
		if (out->effects & ENGINE_FX_STATUS)
			return 0; /* the router answers STATUS (ui status_* strings) */
		if (sh.report)
			return engine_report(c, s, ch, sess, out);
		return engine_show(&x, sess, &sh, out);
	}
	help = valid && in[0] != '\0' && sess->state != ENGINE_ST_REPORT && !engine_number(in) ?
		   content_help_find(c, in, &hl, NULL) :
		   0;
	if (help == -1)
		return -1;
	if (help == 1) {
		/* "tolong saya", "help me please": a help word is never lost */
		if (sess->lang[0] == '\0')
			(void)engine_pick_lang(c, sess, hl);
		return engine_danger(c, s, ch, sess, NULL, out);
	}
	cur = content_find(c, sess->node);
	if (picked) {
		engine_go_home(c, sess, &sh);
		sh.view.header = content_ui(c, sess->lang, "language_set", s->serve_fuzzy);
		sh.view.langset = true;
	} else if (timed_out || sess->state == ENGINE_ST_NEW) {
		engine_restart(c, sess, &sh);
	} else if (sess->state == ENGINE_ST_DANGER) {
		int rc = engine_on_danger(c, s, ch, sess, valid ? in : NULL, &sh, out);

		if (rc != 0)
			return rc == 1 ? 0 : -1;
	} else if (sess->state == ENGINE_ST_LANG) {
		if (engine_on_lang(c, s, sess, valid ? in : "\x01", &sh) == -1)
			return -1;
	} else if (sess->state == ENGINE_ST_REPORT) {
		bool shown;

		if (engine_on_report(c, s, ch, sess, valid ? in : NULL, input, &sh, out, &shown) ==
		    -1)
			return -1;
		if (shown)
			return 0;
	} else if (cur == NULL) {
		engine_go_home(c, sess, &sh);
	} else {
		engine_on_node(c, s, sess, cur, valid ? in : "\x01", &sh);
	}
	if (sh.report)
		return engine_report(c, s, ch, sess, out);
	engine_ctx_init(&x, c, s, ch, sess);
	return engine_show(&x, sess, &sh, out);
}

/* engine_step_apply, all or nothing: on failure (allocation) the session is
 * left as it was and out holds no pages, so the same step can be retried. */
int
engine_step(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    struct engine_session *sess, const char *input, int64_t now_ms, struct engine_reply *out)
{
	struct engine_session before = *sess;

	if (engine_step_apply(c, s, ch, sess, input, now_ms, out) == 0)
		return 0;
	engine_reply_free(out);
	memset(out, 0, sizeof(*out));
	out->msg_class = -1;
	*sess = before;
	return -1;
}

enum render_script
engine_script(const struct content *c, const char *lang, bool variant)
{
	const struct content_language *l =
	    c != NULL && lang != NULL ? content_find_language(c, lang) : NULL;

	return render_variant_script(l != NULL ? l->variant : NULL, lang, variant, NULL);
}

int
engine_render_node(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    const char *lang, bool variant, const char *node_id, struct engine_reply *out)
{
	struct engine_view v = { content_find(c, node_id), NULL, lang != NULL && lang[0] != '\0',
		false };
	const char *xl = lang != NULL && lang[0] != '\0' ? lang : "en";
	struct engine_ctx x = { c, s, ch, xl, variant, engine_script(c, xl, variant), true, NULL };

	memset(out, 0, sizeof(*out));
	out->msg_class = -1;
	if (v.node == NULL)
		return -1;
	return engine_view_pages(&x, &v, &out->pages);
}

int
engine_render_languages(const struct content *c, const struct engine_settings *s,
    enum engine_channel ch, struct engine_reply *out)
{
	struct engine_view v = { NULL, NULL, false, false };
	struct engine_ctx x = { c, s, ch, "en", false, RENDER_SCRIPT_UNICODE, false, NULL };

	memset(out, 0, sizeof(*out));
	out->msg_class = -1;
	return engine_view_pages(&x, &v, &out->pages);
}
