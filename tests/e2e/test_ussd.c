/* test_ussd.c - the operator USSD link end to end (issue 8): the real
 * gateway with a ussd group on 127.0.0.1:0, a simulated modem, the repo's
 * content, and the harness's HTTP client (hussd.c). Every page the link
 * serves is compared with what the engine shows for the same history
 * replayed from the home menu (an oracle: engine_step in this process on
 * the same content and settings), and measured against the USSD limits:
 *  1. walk: the whole menu tree in English, Khmer, Burmese and Burmese
 *     Zawgyi (the Zawgyi entry of the language list), one session per
 *     node, each from text "" with the growing history, every page of
 *     every node (98), back and home: every node reached, every page
 *     within 182 GSM-7 / 80 UCS-2, a page with nothing to choose is END;
 *  2. the language is shared with SMS: Khmer chosen over USSD answers SMS
 *     in Khmer; Zawgyi written by SMS gets USSD pages in Zawgyi;
 *  3. SOS over USSD (the report node, then the Burmese SOS keyword as an
 *     answer): report stored with its answers (a place with '*' is one
 *     answer), the officer alerted through the modem, the reference on the
 *     END page; the same request retried: the same page, no second report,
 *     no second alert;
 *  4. SIGKILL mid-session and restart: the next hop of the same sessionId
 *     lands where a never-interrupted session with that history does;
 *  5. hostile requests, each with its status, and the next good request
 *     answered: missing fields, unknown service code, oversized body,
 *     invalid percent-encoding, invalid UTF-8, thousands of '*', wrong
 *     secret, a GET, another path, another content type, a flood from one
 *     number (polite END); nothing stored;
 *  6. a client outside allow_from (403), and max_sessions (503);
 *  7. hops answered while the modem is muted and while a burst of SMS is
 *     sent (latencies printed, only answers asserted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"
#include "hussd.h"
#include "content/content.h"
#include "render/render.h"
#include "session/engine.h"

#define REPLY_MS 60000
#define URL_MS 30000
#define USSD_GSM7 182
#define USSD_UCS2 80
#define SERVICE "*123#"
#define OFF1 "+60100000001"
#define OFF2 "+60100000002"
#define SUPV "+60100000009"
#define DESK "+60100000099"
/* PIN 482193 (officers' PINs are 6+ digits since issue 11) */
#define PIN_HASH                                                                                   \
	"$6$kawantest$iwi.1WUxmfeHHDyWtJVOpMB0oAcJwSe21LbZX.mE9frEfZHKQx."                         \
	"SkjltXhOnYvhtcXg/Yyfl4nxC32s5/Bblm/"
#define SOS_MY "ကယ်ပါ" /* a Burmese help keyword (menus/keywords.cfg) */
#define MAX_NODES 256
#define MAX_PATH 16

static char repo[HARNESS_PATH_MAX];
static struct content *ct;
static bool roster_on; /* the running gateway has the roster and the NGO desk */
static struct engine_settings es;
static struct hbuf extra_cfg; /* the running scenario's configuration beyond the harness's */
static char url[HUSSD_URL_MAX];
static unsigned long sess_seq;
static const char *content_more = ""; /* settings added to the content group */

/* ---- the gateway ---- */

/* The consent choices the gateway must offer (the oracle's, written from
 * the configuration above, not computed by the gateway's code): without a
 * roster nobody can be told (not asked); with it Myanmar has officers and
 * the NGO desk (all three), any other nationality only the desk. */
static unsigned
oracle_choices(const void *arg, const char *nationality)
{
	(void)arg;
	if (!roster_on)
		return 0;
	if (strcmp(nationality, "MM") == 0)
		return ENGINE_NOTIFY_ALL;
	return ENGINE_NOTIFY_NGO;
}

/* Content (fuzzy served, as the other content tests), an optional
 * Myanmar roster, and the ussd group with `ussd_fields` inside. */
static void
start(struct harness *h, const char *ussd_fields, bool roster)
{
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];
	struct hbuf *b = &extra_cfg;

	snprintf(menus, sizeof(menus), "%s/menus", repo);
	snprintf(trans, sizeof(trans), "%s/translations", repo);
	hbuf_reset(b);
	if (hgw_cfg_content(b, menus, trans, content_more) < 0 || hussd_config(b, ussd_fields) < 0)
		fail_msg("out of memory");
	if (roster &&
	    hbuf_printf(b,
		"reports = { ack_timeout = 300.0; reminder_interval = 300.0; max_reminders = 1;\n"
		"  notify_worker_on_ack = true; pin_max_failures = 3; sos_default = \"both\"; };\n"
		"officers = ( { nationality = \"MM\"; officers = (\n"
		"  { name = \"Duty officer 1\"; number = \"" OFF1 "\"; pin_hash = \"%s\"; },\n"
		"  { name = \"Duty officer 2\"; number = \"" OFF2 "\"; pin_hash = \"%s\"; } );\n"
		"  supervisor = { name = \"Consular supervisor\"; number = \"" SUPV "\";"
		" pin_hash = \"%s\"; }; } );\n"
		"ngo_desk = { name = \"NGO duty desk\"; number = \"" DESK
		"\"; pin_hash = \"%s\"; };\n",
		PIN_HASH, PIN_HASH, PIN_HASH, PIN_HASH) < 0)
		fail_msg("out of memory");
	roster_on = roster;
	es.notify_choices = oracle_choices;
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, hgw_start(h, b->data));
	E2E_OK(h, hussd_wait_url(h, URL_MS, url, sizeof(url)));
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
	printf("ussd: gateway listening on %s\n", url);
}

/* Starts the gateway again on the same configuration (a new port). */
static void
restart(struct harness *h)
{
	E2E_OK(h, hgw_start(h, extra_cfg.data));
	E2E_OK(h, hussd_wait_url(h, URL_MS, url, sizeof(url)));
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
	printf("ussd: gateway restarted, listening on %s\n", url);
}

/* ---- the oracle: the engine on the same history ---- */

/* What the gateway keeps per number between sessions. */
struct prefs {
	char lang[CONTENT_LANG_MAX];
	bool variant, discreet;
};

struct oracle {
	struct engine_session s;
	int64_t now;
	char *page; /* the last page (owned) */
	bool end;
	unsigned effects;
};

static void
oracle_start(struct oracle *o, const struct prefs *p)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->s.lang, sizeof(o->s.lang), "%s", p->lang);
	o->s.variant = p->variant;
	o->s.discreet = p->discreet;
	o->now = 1700000000000;
}

static void
oracle_hop(struct oracle *o, const char *input)
{
	struct engine_reply r;

	o->now += 1000;
	if (engine_step(ct, &es, ENGINE_USSD, &o->s, input, o->now, &r) != 0 || r.pages.n != 1)
		fail_msg("oracle: engine_step(%s) failed", input);
	free(o->page);
	o->page = strdup(r.pages.v[0].text);
	o->end = (r.effects & ENGINE_FX_END) != 0;
	o->effects = r.effects;
	engine_reply_free(&r);
	if (o->page == NULL)
		fail_msg("out of memory");
}

static void
oracle_prefs(const struct oracle *o, struct prefs *p)
{
	snprintf(p->lang, sizeof(p->lang), "%s", o->s.lang);
	p->variant = o->s.variant;
	p->discreet = o->s.discreet;
}

/* ---- a session over HTTP, checked page by page ---- */

struct figures {
	int sessions, hops, end_pages, gsm7_pages, ucs2_pages;
	size_t max_gsm7, max_ucs2;
	int64_t max_us;
};

struct sess {
	struct harness *h;
	char id[64];
	const char *phone;
	struct hbuf text; /* the history sent */
	int answers;
	struct oracle o;
	char *page; /* the last page served (owned) */
	char *body; /* the last body (owned) */
	bool end;
	struct figures *fig; /* may be NULL */
};

/* A line of page that offers a numbered choice ("1 Your rights", "98 More
 * 0 Back 00 Home"): leading digits, then a space. */
static bool
has_choice(const char *page)
{
	for (const char *l = page; l != NULL && *l != '\0';) {
		const char *d = l;

		while (*d >= '0' && *d <= '9')
			d++;
		if (d > l && *d == ' ')
			return true;
		l = strchr(l, '\n');
		if (l != NULL)
			l++;
	}
	return false;
}

static void
sess_begin(struct sess *s, struct harness *h, const char *phone, const struct prefs *p,
    struct figures *fig)
{
	memset(s, 0, sizeof(*s));
	s->h = h;
	s->phone = phone;
	s->fig = fig;
	snprintf(s->id, sizeof(s->id), "ATUid_%d_%lu", (int)getpid(), ++sess_seq);
	hbuf_init(&s->text);
	oracle_start(&s->o, p);
	if (fig != NULL)
		fig->sessions++;
}

static void
sess_end(struct sess *s)
{
	hbuf_free(&s->text);
	free(s->o.page);
	free(s->page);
	free(s->body);
	s->o.page = s->page = s->body = NULL;
}

/* Sends the current history once more (a retry, or the next hop after a
 * restart) and checks the answer; *body_out (may be NULL) gets the body. */
static void
sess_send(struct sess *s, int64_t *lat_us)
{
	struct harness *h = s->h;
	struct hussd_measure m;
	const char *page;
	long status = 0;
	char *body = NULL;
	int64_t us = 0;
	bool end;

	if (hussd_hop(url, s->id, SERVICE, s->phone, s->text.data != NULL ? s->text.data : "",
		&status, &body, &us) != 0 ||
	    status != 200 || hussd_parse(body, &end, &page) != 0) {
		harness_fail(h, "session %s text '%.200s': status %ld body '%.300s'", s->id,
		    s->text.data != NULL ? s->text.data : "", status, body != NULL ? body : "");
		free(body);
		fail();
	}
	if (lat_us != NULL)
		*lat_us = us;
	free(s->page);
	free(s->body);
	s->body = body;
	s->page = strdup(page);
	s->end = end;
	if (s->page == NULL)
		fail_msg("out of memory");
	hussd_measure(page, USSD_GSM7, USSD_UCS2, &m);
	if (s->fig != NULL) {
		struct figures *f = s->fig;

		f->hops++;
		f->end_pages += end;
		if (m.ucs2) {
			f->ucs2_pages++;
			f->max_ucs2 = m.units > f->max_ucs2 ? m.units : f->max_ucs2;
		} else {
			f->gsm7_pages++;
			f->max_gsm7 = m.units > f->max_gsm7 ? m.units : f->max_gsm7;
		}
		f->max_us = us > f->max_us ? us : f->max_us;
	}
	if (!m.fits) {
		harness_fail(h, "session %s text '%s': page of %zu %s over the limit:\n%s", s->id,
		    s->text.data, m.units, m.ucs2 ? "UCS-2 units" : "septets", page);
		fail();
	}
}

/* The engine's opening page as the router serves it when nobody can be
 * alerted (issue 9): ui report_opened_none in place of report_opened.
 * Writes into want and returns it; page itself when it does not start so. */
static const char *
sess_unpromised(const struct sess *s, const char *page, char *want, size_t wantsz)
{
	const char *lang = s->o.s.lang[0] != '\0' ? s->o.s.lang : "en";
	enum render_script sc = s->o.s.variant ? RENDER_SCRIPT_ZAWGYI : RENDER_SCRIPT_UNICODE;
	char *from = NULL, *to = NULL;
	const char *out = page;

	if (render_for_phone(content_ui(ct, lang, "report_opened", true), sc, &from) == 0 &&
	    render_for_phone(content_ui(ct, lang, "report_opened_none", true), sc, &to) == 0 &&
	    strncmp(page, from, strlen(from)) == 0 &&
	    snprintf(want, wantsz, "%s%s", to, page + strlen(from)) < (int)wantsz) {
		size_t units;
		enum render_coding cd = render_coding_of(want, &units);

		/* No room for the longer line: the router drops the promise. */
		if (units > (cd == RENDER_GSM7 ? es.ussd.gsm7 : es.ussd.ucs2)) {
			const char *rest = page + strlen(from);

			snprintf(want, wantsz, "%s", rest + (*rest == '\n'));
		}
		out = want;
	}
	free(from);
	free(to);
	return out;
}

/* Compares the served page with the oracle's (ref fills a "%s" of a page
 * that needs the report's reference). */
static void
sess_check_oracle(struct sess *s, const char *ref)
{
	struct harness *h = s->h;
	char want[2048], unpromised[2048];
	const char *expect = s->o.page;

	if ((s->o.effects & ENGINE_FX_NEEDS_REF) && ref != NULL) {
		if (render_fill_ref(want, sizeof(want), s->o.page, ref) != 0)
			fail_msg("reference page does not fit");
		expect = want;
	}
	/* Without a roster nobody can be alerted: the opening says so. */
	if (!roster_on && (s->o.effects & ENGINE_FX_REPORT))
		expect = sess_unpromised(s, expect, unpromised, sizeof(unpromised));
	if (strcmp(s->page, expect) != 0 || s->end != s->o.end) {
		harness_fail(h,
		    "session %s (%s) text '%s': served %s\n%s\n--- the engine shows %s for that "
		    "history:\n%s",
		    s->id, s->phone, s->text.data, s->end ? "END" : "CON", s->page,
		    s->o.end ? "END" : "CON", expect);
		fail();
	}
	/* a page that asks nothing closes the session; a closing page offers nothing */
	if (!s->end && !has_choice(s->page) &&
	    !(s->o.s.state == ENGINE_ST_REPORT && s->o.s.report_step != ENGINE_RQ_DONE)) {
		harness_fail(h, "session %s text '%s': CON page with nothing to choose:\n%s", s->id,
		    s->text.data, s->page);
		fail();
	}
	if (s->end && has_choice(s->page)) {
		harness_fail(h, "session %s text '%s': END page offers a choice:\n%s", s->id,
		    s->text.data, s->page);
		fail();
	}
}

/* One hop: answer (NULL for the session's first request, text "") added
 * to the history, sent, and checked against the oracle. */
static void
sess_hop_ref(struct sess *s, const char *answer, const char *ref, int64_t *lat_us)
{
	if (answer != NULL) {
		if ((s->answers > 0 && hbuf_adds(&s->text, "*") < 0) ||
		    hbuf_adds(&s->text, answer) < 0)
			fail_msg("out of memory");
		s->answers++;
	} else if (hbuf_add(&s->text, "", 0) < 0) {
		fail_msg("out of memory");
	}
	oracle_hop(&s->o, answer != NULL ? answer : "");
	sess_send(s, lat_us);
	sess_check_oracle(s, ref);
}

static void
sess_hop(struct sess *s, const char *answer)
{
	sess_hop_ref(s, answer, NULL, NULL);
}

/* ---- the language list ---- */

/* The 1-based entry of the language list for code (zawgyi: its variant's
 * entry) in the harness's country (MY, countries.cfg order). */
static int
lang_entry(const char *code, bool zawgyi)
{
	int k = engine_lang_number(ct, "MY", code, zawgyi);

	if (k > 0)
		return k;
	fail_msg("no language %s", code);
	return -1;
}

/* A new number's first session: the language list (every page of it),
 * then the entry for the language. p gets the prefs it leaves. */
static void
choose_language(struct harness *h, const char *phone, const char *code, bool zawgyi,
    struct prefs *p, struct figures *fig)
{
	struct prefs none = { "", false, false };
	struct sess s;
	char entry[16];

	sess_begin(&s, h, phone, &none, fig);
	sess_hop(&s, NULL);
	E2E_CHECK(h, s.o.s.state == ENGINE_ST_LANG);
	for (int i = 0; i < 8; i++) { /* 98 through the list until it wraps */
		int before = s.o.s.page;

		sess_hop(&s, "98");
		if (s.o.s.page <= before)
			break;
	}
	snprintf(entry, sizeof(entry), "%d", lang_entry(code, zawgyi));
	sess_hop(&s, entry);
	E2E_CHECK(h, s.o.s.state == ENGINE_ST_NODE && strcmp(s.o.s.lang, code) == 0 &&
			 s.o.s.variant == zawgyi);
	oracle_prefs(&s.o, p);
	printf("ussd: %s chose %s%s in session %s (%d hops)\n", phone, code,
	    zawgyi ? " (Zawgyi)" : "", s.id, s.answers + 1);
	sess_end(&s);
}

/* ---- 1: the whole tree ---- */

struct walk {
	struct harness *h;
	const char *phone;
	const char *label;
	struct prefs prefs;
	bool reached[MAX_NODES];
	struct figures fig;
};

static size_t
node_index(const char *id)
{
	size_t n = content_nnodes(ct);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(content_node_at(ct, i)->id, id) == 0)
			return i;
	}
	fail_msg("no node %s", id);
	return 0;
}

/* A session from "" along path (answers), expected to land on node id;
 * every page of it (98), and for nodes below home "0" and "00". Then the
 * children of a menu, each in a session of its own. */
static void
walk_node(struct walk *w, const char *const *path, int n, const char *id)
{
	struct harness *h = w->h;
	const struct content_node *nd = content_find(ct, id);
	size_t idx = node_index(id);
	struct sess s;
	char digits[MAX_PATH][24];
	const char *child[MAX_PATH + 1];

	if (nd == NULL || w->reached[idx] || n >= MAX_PATH)
		return;
	sess_begin(&s, h, w->phone, &w->prefs, &w->fig);
	sess_hop(&s, NULL);
	for (int i = 0; i < n; i++)
		sess_hop(&s, path[i]);
	if (nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_LANGUAGE) {
		E2E_CHECK(h, s.o.s.state == ENGINE_ST_LANG);
	} else if (nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_REPORT) {
		E2E_CHECK(h, s.o.s.state == ENGINE_ST_REPORT);
	} else {
		E2E_CHECK(h, s.o.s.state == ENGINE_ST_NODE && strcmp(s.o.s.node, id) == 0);
		for (int i = 0; i < 16 && !s.end; i++) { /* every page, until it wraps */
			int before = s.o.s.page;

			sess_hop(&s, "98");
			if (s.o.s.page <= before)
				break;
		}
		if (!s.end && n > 0) {
			sess_hop(&s, "0");
			if (!s.end)
				sess_hop(&s, "00");
		}
	}
	w->reached[idx] = true;
	oracle_prefs(&s.o, &w->prefs);
	sess_end(&s);
	if (nd->kind != CONTENT_MENU)
		return;
	for (int i = 0; i < n; i++)
		child[i] = path[i];
	/* The children the deployment's country (MY) shows, numbered 1, 2, ... */
	{
		const struct content_node *kids[64];
		size_t nk = content_children_for(ct, nd, "MY", kids, 64);

		for (size_t k = 0; k < nk; k++) {
			snprintf(digits[n], sizeof(digits[n]), "%zu", k + 1);
			child[n] = digits[n];
			walk_node(w, child, n + 1, kids[k]->id);
		}
	}
}

static void
walk_tree(struct harness *h, const char *phone, const char *code, bool zawgyi)
{
	struct walk *w = calloc(1, sizeof(*w));
	size_t nn = content_nnodes(ct), missed = 0, other = 0;

	if (w == NULL)
		fail_msg("out of memory");
	w->h = h;
	w->phone = phone;
	choose_language(h, phone, code, zawgyi, &w->prefs, &w->fig);
	walk_node(w, NULL, 0, "home");
	for (size_t i = 0; i < nn; i++) {
		if (!content_node_serves(content_node_at(ct, i), "MY")) {
			other++; /* another country's page: not on this deployment's tree */
			continue;
		}
		if (!w->reached[i]) {
			printf("ussd: %s%s: node %s never reached\n", code, zawgyi ? "-zawgyi" : "",
			    content_node_at(ct, i)->id);
			missed++;
		}
	}
	printf("ussd: walk %s%s: %zu/%zu nodes, %d sessions, %d hops, %d END; %d GSM-7 pages "
	       "(max %zu septets), %d UCS-2 pages (max %zu units); slowest hop %.1f ms\n",
	    code, zawgyi ? " (Zawgyi)" : "", nn - other - missed, nn - other, w->fig.sessions,
	    w->fig.hops, w->fig.end_pages, w->fig.gsm7_pages, w->fig.max_gsm7, w->fig.ucs2_pages,
	    w->fig.max_ucs2, (double)w->fig.max_us / 1000.0);
	E2E_CHECK(h, missed == 0);
	E2E_CHECK(h, w->fig.max_gsm7 <= USSD_GSM7 && w->fig.max_ucs2 <= USSD_UCS2);
	/* Khmer and Burmese need UCS-2: their menus are not in GSM-7 */
	if (strcmp(code, "en") != 0)
		E2E_CHECK(h, w->fig.ucs2_pages > 0);
	free(w);
}

static int
setup(void **state)
{
	content_more = "";
	return e2e_setup(state, "ussd");
}

static void
test_walk(void **state)
{
	struct harness *h = *state;

	start(h, "rate_per_minute = 100000;", false);
	walk_tree(h, "+60112600001", "en", false);
	walk_tree(h, "+60112600002", "km", false);
	walk_tree(h, "+60112600003", "my", false);
	walk_tree(h, "+60112600004", "my", true);
	/* what the walks chose is stored for the numbers */
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM prefs WHERE (msisdn = '+60112600002' AND lang = 'km') "
		      "OR (msisdn = '+60112600004' AND lang = 'my' AND variant = 1)",
		      2, 10000));
	E2E_CHECK(h, harness_gw_alive(h));
}

/* ---- 2: the language shared with SMS ---- */

static void
test_shared_language(void **state)
{
	struct harness *h = *state;
	static const char km[] = "+60112610001", zw[] = "+60112610002";
	struct engine_reply home;
	struct prefs p = { "", false, false };
	struct hctl_sent m;
	struct sess s;

	start(h, NULL, false);
	/* Khmer chosen over USSD: MENU by SMS is answered with the Khmer home */
	choose_language(h, km, "km", false, &p, NULL);
	E2E_OK(h, hgw_converse(h, km, "MENU", REPLY_MS, &m));
	E2E_CHECK(h, engine_render_node(ct, &es, ENGINE_SMS, "km", false, "home", &home) == 0);
	printf("ussd: SMS to a Khmer USSD user: %s %.120s\n", m.coding, m.text);
	E2E_CHECK(h, strcmp(m.coding, "ucs2") == 0 && strcmp(m.text, home.pages.v[0].text) == 0);
	engine_reply_free(&home);
	hgw_msg_free(&m);
	/* Zawgyi written by SMS (MENU in Burmese, Zawgyi spelling): USSD in Zawgyi */
	E2E_OK(h, hgw_converse(h, zw, "မီႏူး", REPLY_MS, &m));
	hgw_msg_free(&m);
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM prefs WHERE msisdn = '+60112610002' AND lang = 'my' "
		      "AND variant = 1",
		      1, 10000));
	p = (struct prefs){ "my", true, false };
	sess_begin(&s, h, zw + 1, &p, NULL); /* phoneNumber without the '+' */
	sess_hop(&s, NULL);
	E2E_CHECK(h, s.o.s.state == ENGINE_ST_NODE && strcmp(s.o.s.node, "home") == 0);
	sess_hop(&s, "2");
	printf("ussd: Zawgyi SMS user's USSD home and rights pages match the engine's Zawgyi\n");
	sess_end(&s);
}

/* ---- 3: SOS over USSD ---- */

/* msisdn's report reference (ref: 64 bytes), once the report is stored. */
static void
ref_of(struct harness *h, const char *msisdn, char *ref)
{
	E2E_OK(h, harness_report_ref(h, msisdn, ref, 64, 20000));
}

static bool
has(const char *hay, const char *needle)
{
	return hay != NULL && needle != NULL && strstr(hay, needle) != NULL;
}

/* Sends the session's last request again: the same body, nothing more. */
static void
retry_same(struct sess *s)
{
	char *before = strdup(s->body);

	if (before == NULL)
		fail_msg("out of memory");
	sess_send(s, NULL);
	printf("ussd: retry of '%s' -> %s\n", s->text.data,
	    strcmp(before, s->body) == 0 ? "the same page" : "A DIFFERENT PAGE");
	E2E_CHECK(s->h, strcmp(before, s->body) == 0);
	free(before);
}

/* Messages the modem took for dest that start with prefix. */
static long
count_sent(struct harness *h, const char *dest, const char *prefix)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;
	long k = 0;

	if (harness_sent(h, &m, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		k +=
		    strcmp(m[i].dest, dest) == 0 && strncmp(m[i].text, prefix, strlen(prefix)) == 0;
	hctl_sent_free(m, n);
	return k;
}

/* Every outbound message handed to the modem (nothing queued). */
static void
wait_outbound_idle(struct harness *h)
{
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM outbound WHERE state = 'queued'", 0,
		      REPLY_MS));
}

static void
test_sos(void **state)
{
	struct harness *h = *state;
	static const char w[] = "+60112620001", w2[] = "+60112620002";
	struct prefs p;
	struct sess s;
	struct hctl_sent alert;
	char ref[64], ref2[64];

	int64_t rows;

	content_more =
	    "ussd_timeout = 10.0;"; /* a worker who left is owed the reference after it */
	start(h, NULL, true);
	choose_language(h, w, "my", false, &p, NULL);
	/* home -> 1 (Report a problem / SOS): the report opens at once */
	sess_begin(&s, h, w, &p, NULL);
	sess_hop(&s, NULL);
	sess_hop(&s, "1");
	E2E_CHECK(h, s.o.s.state == ENGINE_ST_REPORT && (s.o.effects & ENGINE_FX_REPORT));
	ref_of(h, w, ref);
	printf("ussd: report %s opened over USSD\n", ref);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM report WHERE ref = '%s' AND nationality = "
			 "'MM' AND lang = 'my'",
			 ref) == 1);
	E2E_OK(h, hgw_wait_nth(h, OFF1, 1, REPLY_MS, &alert));
	printf("ussd: alert to %s: %.160s\n", OFF1, alert.text);
	E2E_CHECK(h, has(alert.text, "SOS") && has(alert.text, ref) &&
			 (has(alert.text, w) || has(alert.text, w + 1)));
	hgw_msg_free(&alert);
	/* the answers: whom to tell (3 both: the chain SOS alerted), category, a
	 * place with '*' in it (one answer), callback, message */
	sess_hop(&s, "3");
	sess_hop(&s, "2");
	retry_same(&s);
	sess_hop(&s, "Jalan Ipoh*Blok C");
	sess_hop(&s, "2");
	sess_hop_ref(&s, "Majikan ambil pasport", ref, NULL);
	printf("ussd: last page (%s): %s\n", s.end ? "END" : "CON", s.page);
	E2E_CHECK(h, s.end && has(s.page, ref));
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM report WHERE ref = '%s' AND category = 'documents' "
			 "AND place = 'Jalan Ipoh*Blok C' AND callback = 'sms_only' AND message = "
			 "'Majikan ambil pasport'",
			 ref) == 1);
	/* the operator retries the last request: the same END page, nothing more
	 * (the officer got the SOS and, once the answers were in, one update) */
	rows = harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '%s'", OFF1);
	retry_same(&s);
	retry_same(&s);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '%s'", OFF1) == rows);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM report WHERE msisdn = '%s'", w) == 1);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM report WHERE ref = '%s' AND message = 'Majikan "
			 "ambil pasport'",
			 ref) == 1);
	E2E_OK(h, hgw_wait_nth(h, OFF1, rows, REPLY_MS, &alert));
	hgw_msg_free(&alert);
	E2E_CHECK(h, count_sent(h, OFF1, "KAWAN SOS") == 1);
	printf("ussd: officer 1 got %ld message(s) for %s: 1 SOS, %ld update(s)\n",
	    count_sent(h, OFF1, ""), ref, count_sent(h, OFF1, "KAWAN UPDATE"));
	E2E_CHECK(h, count_sent(h, OFF1, "KAWAN UPDATE") <= 1);
	sess_end(&s);

	/* the SOS keyword as the first answer of a session, and the worker
	 * leaves at the first question */
	choose_language(h, w2, "my", false, &p, NULL);
	sess_begin(&s, h, w2, &p, NULL);
	sess_hop(&s, NULL);
	sess_hop(&s, SOS_MY);
	E2E_CHECK(h, s.o.s.state == ENGINE_ST_REPORT);
	ref_of(h, w2, ref2);
	E2E_CHECK(h, strcmp(ref, ref2) != 0);
	E2E_OK(h, hgw_wait_nth(h, OFF1, rows + 1, REPLY_MS, &alert));
	E2E_CHECK(h, strncmp(alert.text, "KAWAN SOS", 9) == 0 && has(alert.text, ref2));
	hgw_msg_free(&alert);
	rows = harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '%s'", OFF1);
	retry_same(&s);
	retry_same(&s);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '%s'", OFF1) == rows);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM report WHERE msisdn = '%s'", w2) == 1);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM report") == 2);
	sess_end(&s);
	/* after ussd_timeout the worker who left gets the reference by SMS, once;
	 * the one who saw the reference page gets none */
	E2E_OK(h, hgw_wait_nth(h, w2, 1, REPLY_MS, &alert));
	printf("ussd: %s left early; by SMS: %s\n", w2, alert.text);
	E2E_CHECK(h, has(alert.text, ref2));
	hgw_msg_free(&alert);
	wait_outbound_idle(h);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '%s'", w2) == 1);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '%s'", w) == 0);
	E2E_CHECK(h, count_sent(h, OFF1, "KAWAN SOS") == 2);
}

/* ---- 4: restart mid-session ---- */

static void
test_restart(void **state)
{
	struct harness *h = *state;
	static const char r[] = "+60112630001";
	struct prefs p;
	struct sess a, b;

	start(h, NULL, false);
	choose_language(h, r, "en", false, &p, NULL);
	sess_begin(&a, h, r, &p, NULL);
	sess_hop(&a, NULL);
	sess_hop(&a, "2");
	sess_hop(&a, "2");
	E2E_CHECK(h, strcmp(a.o.s.node, "rights.receiving") == 0);
	harness_gw_kill9(h);
	restart(h);
	/* the same session's next hop, on the new process */
	sess_hop(&a, "98");
	printf("ussd: after SIGKILL, session %s '%s' -> %s\n", a.id, a.text.data, a.page);
	E2E_CHECK(h, strcmp(a.o.s.node, "rights.receiving") == 0 && a.o.s.page == 1);
	/* a session that never saw the kill shows the same page for that history */
	sess_begin(&b, h, r, &p, NULL);
	sess_hop(&b, NULL);
	sess_hop(&b, "2");
	sess_hop(&b, "2");
	sess_hop(&b, "98");
	E2E_CHECK(h, strcmp(a.body, b.body) == 0);
	/* and the interrupted session carries on: back, home */
	sess_hop(&a, "0");
	sess_hop(&a, "00");
	E2E_CHECK(h, strcmp(a.o.s.node, "home") == 0);
	/* a kill between two hops of the same session, mid-menu, twice */
	harness_gw_kill9(h);
	restart(h);
	sess_hop(&a, "4");
	harness_gw_kill9(h);
	restart(h);
	sess_hop(&a, "1");
	E2E_CHECK(h, strcmp(a.o.s.node, "contacts.emergency") == 0);
	sess_end(&a);
	sess_end(&b);
}

/* ---- 5: hostile requests ---- */

#define SECRET "s3cret-Kawan"

static int good_n;

/* A good request from a new number with the right secret: 200 CON. */
static void
good(struct harness *h, const char *after)
{
	struct hussd_req r = { url, NULL, SERVICE, NULL, "50219", "", SECRET };
	struct hussd_resp a;
	char id[32], phone[24];
	const char *page;
	bool end = true;

	snprintf(id, sizeof(id), "good-%d", ++good_n);
	snprintf(phone, sizeof(phone), "+6011264%04d", good_n);
	r.session_id = id;
	r.phone = phone;
	if (hussd_hop_req(&r, &a) != 0 || a.status != 200 ||
	    hussd_parse(a.body, &end, &page) != 0 || end) {
		harness_fail(h, "after %s: the next good request got %ld '%.200s'", after, a.status,
		    a.body != NULL ? a.body : "");
		hussd_resp_free(&a);
		fail();
	}
	hussd_resp_free(&a);
}

static void
want_status(struct harness *h, const char *what, long got, long want)
{
	printf("ussd: %-52s -> %ld (want %ld)\n", what, got, want);
	if (got != want) {
		harness_fail(h, "%s: status %ld, want %ld", what, got, want);
		fail();
	}
	E2E_CHECK(h, harness_gw_alive(h));
	good(h, what);
}

/* A form body with text given already encoded (or malformed) as it is. */
static void
raw_form(struct hbuf *b, const char *text_raw)
{
	hbuf_reset(b);
	if (hbuf_printf(b,
		"sessionId=raw-%lu&serviceCode=%%2A123%%23&phoneNumber=%%2B60112650001&"
		"networkCode=50219&text=",
		++sess_seq) < 0 ||
	    hbuf_adds(b, text_raw) < 0)
		fail_msg("out of memory");
}

/* A raw POST of body to the link's path with the secret header. */
static long
raw_post(struct harness *h, const char *ctype, const char *body, size_t len)
{
	long st = 0;

	if (hussd_raw_request(url, "POST", NULL, ctype, "X-Kawan-Secret: " SECRET "\r\n", body, len,
		&st, NULL) != 0)
		harness_fail(h, "raw POST: no answer");
	return st;
}

static long
raw_text(struct harness *h, const char *text_raw)
{
	struct hbuf b;
	long st;

	hbuf_init(&b);
	raw_form(&b, text_raw);
	st = raw_post(h, "application/x-www-form-urlencoded", b.data, b.len);
	hbuf_free(&b);
	return st;
}

/* The standard fields with one left out (NULL) or changed. */
static long
curl_status(struct harness *h, const char *u, const char *id, const char *code, const char *phone,
    const char *text, const char *secret, bool *end)
{
	struct hussd_req r = { u, id, code, phone, "50219", text, secret };
	struct hussd_resp a;
	const char *page;
	long st;

	if (hussd_hop_req(&r, &a) != 0)
		harness_fail(h, "no answer from %s", u);
	st = a.status;
	if (end != NULL && hussd_parse(a.body, end, &page) != 0) {
		printf("ussd: body '%.200s' is neither CON nor END\n", a.body ? a.body : "");
		*end = false;
		st = -st;
	}
	hussd_resp_free(&a);
	return st;
}

static void
test_hostile(void **state)
{
	struct harness *h = *state;
	char u[HUSSD_URL_MAX + 32], id[32];
	struct hbuf b;
	bool end = false;
	long st;

	hbuf_init(&b);
	start(h, "secret = \"" SECRET "\"; rate_per_minute = 20; max_hops = 64;", false);
	good(h, "the start");

	/* the secret: header or ?key= */
	want_status(h, "no secret",
	    curl_status(h, url, "s-1", SERVICE, "+60112650001", "", NULL, NULL), 403);
	want_status(h, "wrong secret header",
	    curl_status(h, url, "s-2", SERVICE, "+60112650001", "", "s3cret-kawan", NULL), 403);
	snprintf(u, sizeof(u), "%s?key=%s", url, SECRET);
	want_status(h, "the secret as ?key=",
	    curl_status(h, u, "s-3", SERVICE, "+60112650002", "", NULL, NULL), 200);
	snprintf(u, sizeof(u), "%s?key=wrong", url);
	want_status(h,
	    "a wrong ?key=", curl_status(h, u, "s-4", SERVICE, "+60112650001", "", NULL, NULL),
	    403);

	/* missing fields */
	want_status(h, "no sessionId",
	    curl_status(h, url, NULL, SERVICE, "+60112650001", "", SECRET, NULL), 400);
	want_status(h, "no serviceCode",
	    curl_status(h, url, "m-2", NULL, "+60112650001", "", SECRET, NULL), 400);
	want_status(h, "no phoneNumber",
	    curl_status(h, url, "m-3", SERVICE, NULL, "", SECRET, NULL), 400);
	want_status(h, "no text",
	    curl_status(h, url, "m-4", SERVICE, "+60112650001", NULL, SECRET, NULL), 400);
	want_status(h, "empty body", raw_post(h, "application/x-www-form-urlencoded", "", 0), 400);

	/* an unknown service code: END and a short notice */
	st = curl_status(h, url, "u-1", "*999#", "+60112650003", "", SECRET, &end);
	printf("ussd: unknown service code -> %ld %s\n", st, end ? "END" : "CON");
	E2E_CHECK(h, st == 200 && end);
	good(h, "an unknown service code");

	/* oversized bodies */
	hbuf_reset(&b);
	raw_form(&b, "");
	while (b.len < 5000)
		E2E_CHECK(h, hbuf_adds(&b, "aaaaaaaaaa") == 0);
	want_status(h, "a 5000-byte body",
	    raw_post(h, "application/x-www-form-urlencoded", b.data, b.len), 413);
	while (b.len < 1024 * 1024)
		E2E_CHECK(h,
		    hbuf_adds(&b, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") == 0);
	want_status(h, "a 1 MiB body",
	    raw_post(h, "application/x-www-form-urlencoded", b.data, b.len), 413);

	/* invalid percent-encoding */
	want_status(h, "text=%zz", raw_text(h, "%zz"), 400);
	want_status(h, "text=1%4 (truncated escape)", raw_text(h, "1%4"), 400);
	want_status(h, "text=% (bare)", raw_text(h, "%"), 400);
	want_status(h, "sessionId=%G1",
	    raw_post(h, "application/x-www-form-urlencoded",
		"sessionId=%G1&serviceCode=%2A123%23&phoneNumber=%2B60112650001&networkCode=50219&"
		"text=",
		strlen("sessionId=%G1&serviceCode=%2A123%23&phoneNumber=%2B60112650001&networkCode="
		       "50219&text=")),
	    400);

	/* invalid UTF-8 */
	want_status(h, "text=%C3%28 (bad continuation)", raw_text(h, "%C3%28"), 400);
	want_status(h, "text=%FF", raw_text(h, "1*%FF"), 400);
	want_status(h, "text=%C0%AF (overlong)", raw_text(h, "%C0%AF"), 400);
	want_status(h, "text=%ED%A0%80 (surrogate)", raw_text(h, "%ED%A0%80"), 400);
	want_status(h, "a raw 0xFF byte in text", raw_text(h, "1\xff"), 400);

	/* thousands of '*', and one answer over max_hops */
	hbuf_reset(&b);
	for (int i = 0; i < 3000; i++)
		E2E_CHECK(h, hbuf_adds(&b, "*") == 0);
	want_status(h, "text of 3000 '*'", raw_text(h, b.data), 400);
	hbuf_reset(&b);
	for (int i = 0; i < 65; i++)
		E2E_CHECK(h, hbuf_adds(&b, i == 0 ? "1" : "*1") == 0);
	want_status(h, "65 answers (max_hops 64)",
	    curl_status(h, url, "hops-65", SERVICE, "+60112650004", b.data, SECRET, NULL), 400);
	hbuf_reset(&b);
	for (int i = 0; i < 64; i++)
		E2E_CHECK(h, hbuf_adds(&b, i == 0 ? "1" : "*98") == 0);
	want_status(h, "64 answers",
	    curl_status(h, url, "hops-64", SERVICE, "+60112650005", b.data, SECRET, NULL), 200);

	/* methods, paths, content types */
	{
		static const char q[] =
		    "?sessionId=g1&serviceCode=%2A123%23&phoneNumber=%2B60112650006"
		    "&networkCode=50219&text=";
		long g = 0;

		if (hussd_raw_request(url, "GET", q, NULL, "X-Kawan-Secret: " SECRET "\r\n", "", 0,
			&g, NULL) != 0)
			harness_fail(h, "GET: no answer");
		want_status(h, "a GET", g, 405);
		if (hussd_raw_request(url, "PUT", NULL, "application/x-www-form-urlencoded",
			"X-Kawan-Secret: " SECRET "\r\n", "text=", 5, &g, NULL) != 0)
			harness_fail(h, "PUT: no answer");
		want_status(h, "a PUT", g, 405);
	}
	{
		char other[HUSSD_URL_MAX];
		char *slash;

		snprintf(other, sizeof(other), "%s", url);
		slash = strrchr(other, '/');
		E2E_CHECK(h, slash != NULL);
		snprintf(slash, sizeof(other) - (size_t)(slash - other), "/other");
		want_status(h, "POST to /other",
		    curl_status(h, other, "p-1", SERVICE, "+60112650001", "", SECRET, NULL), 404);
	}
	hbuf_reset(&b);
	raw_form(&b, "");
	want_status(h, "Content-Type: text/plain", raw_post(h, "text/plain", b.data, b.len), 415);
	want_status(h, "Content-Type: application/json",
	    raw_post(h, "application/json", b.data, b.len), 415);
	want_status(h, "no Content-Type", raw_post(h, NULL, b.data, b.len), 415);
	want_status(h, "form; charset=utf-8",
	    raw_post(h, "application/x-www-form-urlencoded; charset=utf-8", b.data, b.len), 200);

	/* a flood from one number: rate_per_minute hops, then a polite END */
	{
		int con = 0, polite = 0, other = 0;

		for (int i = 0; i < 26; i++) {
			snprintf(id, sizeof(id), "flood-%d", i);
			st = curl_status(h, url, id, SERVICE, "+60112659999", "", SECRET, &end);
			if (st == 200 && !end)
				con++;
			else if (st == 200 && end)
				polite++;
			else
				other++;
			if (st == 200 && end && i < 20)
				printf("ussd: flood hop %d already limited\n", i + 1);
		}
		printf("ussd: flood of 26 hops from one number: %d CON, %d END, %d other\n", con,
		    polite, other);
		E2E_CHECK(h, con >= 20 && con <= 21 && polite == 26 - con && other == 0);
		good(h, "a flood");
	}

	/* none of it changed anything */
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM report") == 0);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM prefs") == 0);
	E2E_CHECK(h, harness_log_count(h, "[error]") == 0);
	E2E_CHECK(h, harness_gw_alive(h));
	hbuf_free(&b);
}

/* ---- 6: allow_from and max_sessions ---- */

static void
test_limits(void **state)
{
	struct harness *h = *state;
	int status = 0;
	long st;
	bool end = false;

	start(h, "allow_from = [ \"10.0.0.0/8\" ];", false);
	st = curl_status(h, url, "a-1", SERVICE, "+60112660001", "", NULL, NULL);
	printf("ussd: a client outside allow_from -> %ld\n", st);
	E2E_CHECK(h, st == 403);
	E2E_CHECK(h, harness_gw_alive(h));
	E2E_CHECK(h, harness_gw_stop(h, SIGTERM, 10000, &status) == 0);

	hbuf_reset(&extra_cfg);
	{
		char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];

		snprintf(menus, sizeof(menus), "%s/menus", repo);
		snprintf(trans, sizeof(trans), "%s/translations", repo);
		if (hgw_cfg_content(&extra_cfg, menus, trans, NULL) < 0 ||
		    hussd_config(&extra_cfg,
			"allow_from = [ \"10.0.0.0/8\", \"127.0.0.0/8\" ]; max_sessions = 3;") < 0)
			fail_msg("out of memory");
	}
	restart(h);
	for (int i = 1; i <= 3; i++) {
		char id[16], phone[24];

		snprintf(id, sizeof(id), "ms-%d", i);
		snprintf(phone, sizeof(phone), "+6011266100%d", i);
		st = curl_status(h, url, id, SERVICE, phone, "", NULL, &end);
		E2E_CHECK(h, st == 200 && !end);
	}
	/* a 4th session from a number already in one, then from a new number */
	st = curl_status(h, url, "ms-4", SERVICE, "+60112661001", "", NULL, NULL);
	printf("ussd: a 4th session (a number with a live session) with max_sessions = 3 -> %ld\n",
	    st);
	E2E_CHECK(h, st == 503);
	st = curl_status(h, url, "ms-5", SERVICE, "+60112661004", "", NULL, NULL);
	printf("ussd: a 4th session (a new number) with max_sessions = 3 -> %ld\n", st);
	E2E_CHECK(h, st == 503);
	/* the sessions already open carry on */
	st = curl_status(h, url, "ms-2", SERVICE, "+60112661002", "1", NULL, &end);
	printf("ussd: an open session's next hop -> %ld %s\n", st, end ? "END" : "CON");
	E2E_CHECK(h, st == 200 && !end);
	E2E_CHECK(h, harness_gw_alive(h));
}

/* ---- 6b: a reload (SIGHUP) ---- */

#define SECRET2 "n3w-Kawan-secret"

/* SIGHUP applies the secret and the service codes at once, and says that a
 * new listen address takes a restart (the old socket keeps serving). */
static void
test_reload(void **state)
{
	struct harness *h = *state;
	struct hbuf b;
	const char *cut;
	bool end = true;
	long st;

	start(h, "secret = \"" SECRET "\";", false);
	good(h, "the start");
	hbuf_init(&b);
	cut = strstr(extra_cfg.data, "ussd = {");
	E2E_CHECK(h, cut != NULL);
	E2E_CHECK(h, hbuf_printf(&b, "%.*s", (int)(cut - extra_cfg.data), extra_cfg.data) == 0);
	E2E_CHECK(h,
	    hbuf_adds(&b, "ussd = { listen = \"127.0.0.1:1\"; path = \"/ussd\";\n"
			  "  service_codes = [ \"*124#\" ]; secret = \"" SECRET2 "\"; };\n") == 0);
	E2E_OK(h, hgw_write_config(h, b.data));
	hbuf_free(&b);
	E2E_OK(h, harness_gw_signal(h, SIGHUP));
	E2E_OK(h, harness_wait_log(h, "configuration reloaded", 1, 15000));
	E2E_CHECK(h, harness_log_count(h, "ussd.listen changed; it takes a restart") == 1);
	/* the old secret is refused, the new one served, on the same socket */
	st = curl_status(h, url, "rl-1", "*124#", "+60112670001", "", SECRET, NULL);
	printf("ussd: after the reload, the old secret -> %ld\n", st);
	E2E_CHECK(h, st == 403);
	st = curl_status(h, url, "rl-2", "*124#", "+60112670002", "", SECRET2, &end);
	printf("ussd: after the reload, the new secret and code -> %ld %s\n", st,
	    end ? "END" : "CON");
	E2E_CHECK(h, st == 200 && !end);
	/* *123# is no longer served: END and a notice */
	st = curl_status(h, url, "rl-3", SERVICE, "+60112670003", "", SECRET2, &end);
	printf("ussd: after the reload, the old code -> %ld %s\n", st, end ? "END" : "CON");
	E2E_CHECK(h, st == 200 && end);
	E2E_CHECK(h, harness_gw_alive(h));
}

/* ---- 7: a muted modem, a burst of SMS ---- */

struct lat {
	int64_t v[4096];
	size_t n;
	int errors;
};

/* One random walk session of a few hops from a number in English. */
static void
busy_session(struct harness *h, const char *phone, const struct prefs *p, uint64_t *seed,
    struct lat *l)
{
	struct sess s;
	int64_t us = 0;

	sess_begin(&s, h, phone, p, NULL);
	sess_hop_ref(&s, NULL, NULL, &us);
	if (l->n < 4096)
		l->v[l->n++] = us;
	for (int i = 0; i < 4 && !s.end; i++) {
		char d[8];
		int pick = (int)(harness_rand(seed) % 4);

		if (pick == 3 && s.o.s.state == ENGINE_ST_NODE)
			snprintf(d, sizeof(d), "98");
		else
			snprintf(d, sizeof(d), "%d", 1 + (int)(harness_rand(seed) % 3));
		/* not into the report flow or the language list */
		if (s.o.s.state == ENGINE_ST_NODE && strcmp(s.o.s.node, "home") == 0)
			snprintf(d, sizeof(d), "%d", 1 + (int)(harness_rand(seed) % 3));
		if (s.o.s.state == ENGINE_ST_NODE && strcmp(s.o.s.node, "settings") == 0)
			snprintf(d, sizeof(d), "3");
		sess_hop_ref(&s, d, NULL, &us);
		if (l->n < 4096)
			l->v[l->n++] = us;
	}
	sess_end(&s);
	hproc_sleep_ms(20); /* a worker's pace, not a load test (bench_ussd is) */
}

static void
print_lat(const char *what, struct lat *l)
{
	int64_t p50 = hussd_percentile(l->v, l->n, 50), p99 = hussd_percentile(l->v, l->n, 99),
		mx = hussd_percentile(l->v, l->n, 100);

	printf("ussd: %s: %zu hops answered, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", what,
	    l->n, (double)p50 / 1000.0, (double)p99 / 1000.0, (double)mx / 1000.0);
}

static void
test_busy_modem(void **state)
{
	struct harness *h = *state;
	static const char phone[] = "+60112670001";
	static struct lat l;
	uint64_t seed = 8;
	struct prefs p;
	struct hctl_sent r;
	long sent0;
	int64_t t0;
	int during = 0;

	h->opts.poll_interval = 5.0; /* the stuck modem is polled while muted */
	start(h, "rate_per_minute = 100000;", false);
	choose_language(h, phone, "en", false, &p, NULL);

	/* a burst of 15 SMS; hops while their replies leave the modem */
	{
		struct hctl_sent *m = NULL;
		size_t n = 0;

		E2E_OK(h, harness_sent(h, &m, &n));
		hctl_sent_free(m, n);
		sent0 = (long)n;
	}
	for (int i = 0; i < 15; i++) {
		char from[24];

		snprintf(from, sizeof(from), "+6011267%04d", 200 + i);
		E2E_OK(h, harness_inject(h, from, "burst: saya perlu bantuan"));
	}
	l.n = 0;
	t0 = hproc_mono_ms();
	for (;;) {
		struct hctl_sent *m = NULL;
		size_t n = 0;

		E2E_OK(h, harness_sent(h, &m, &n));
		hctl_sent_free(m, n);
		if ((long)n >= sent0 + 15)
			break;
		E2E_CHECK(h, hproc_mono_ms() - t0 < 120000);
		busy_session(h, phone, &p, &seed, &l);
		during++;
	}
	printf("ussd: the burst's 15 replies left in %.1f s\n",
	    (double)(hproc_mono_ms() - t0) / 1000.0);
	print_lat("during a 15-SMS burst", &l);
	E2E_CHECK(h, during > 0 && l.n > 0);

	/* muted, with an SMS waiting on it: the modem thread is stuck (a muted
	 * modem does not come back by itself: test_channels) */
	E2E_OK(h, harness_inject(h, "+60112670100", "before the mute"));
	E2E_OK(h, hgw_wait_nth(h, "+60112670100", 1, REPLY_MS, &r));
	hgw_msg_free(&r);
	E2E_OK(h, harness_fault_on(h, 1, "MUTE on"));
	E2E_OK(h, harness_inject(h, "+60112670101", "while muted"));
	l.n = 0;
	t0 = hproc_mono_ms();
	while (hproc_mono_ms() - t0 < 12000)
		busy_session(h, phone, &p, &seed, &l);
	print_lat("modem muted 12 s", &l);
	E2E_CHECK(h, l.n > 0);
	E2E_CHECK(h, harness_gw_alive(h));
}

int
main(void)
{
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];
	struct content_errors errs;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walk, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_shared_language, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_sos, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_restart, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_busy_modem, setup, e2e_teardown),
	};
	int rc;

	e2e_main_init();
	if (getcwd(repo, sizeof(repo)) == NULL)
		return 1;
	snprintf(menus, sizeof(menus), "%s/menus", repo);
	snprintf(trans, sizeof(trans), "%s/translations", repo);
	memset(&errs, 0, sizeof(errs));
	if (content_load(menus, trans, &ct, &errs) != 0) {
		char buf[4096];

		content_errors_format(&errs, buf, sizeof(buf));
		fprintf(stderr, "test_ussd: content does not load:\n%s", buf);
		return 1;
	}
	engine_settings_default(&es);
	es.serve_fuzzy = true;
	snprintf(es.country, sizeof(es.country), "MY");
	hbuf_init(&extra_cfg);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	hbuf_free(&extra_cfg);
	hussd_cleanup();
	content_free(ct);
	return rc;
}
