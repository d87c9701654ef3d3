/* test_engine_cache.c - the engine's page cache: on the real menus/ and
 * translations/ (and a small tree with a numeric keyword and a node too
 * long for USSD), every cached view equals what engine_view_pages lays
 * out, byte for byte; random walks give the same replies and sessions with
 * and without the cache; borrowed pages are never freed by the reply; a
 * cache built for other settings or content is not used; a snapshot
 * builds its cache and a reload's snapshot has its own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "channel/snapshot.h"
#include "config/config.h"
#include "content/content.h"
#include "session/engine.h"
#include "session/engine_int.h"

#include "content_fixture.h"

/* The real content, or NULL (the test is skipped) when it is not here. */
static struct content *
real_content(void)
{
	struct content_errors errs;
	struct content *c = NULL;
	const char *root = getenv("KAWAN_SRC") != NULL ? getenv("KAWAN_SRC") : ".";
	char menus[512], trans[512], lcfg[600], buf[8192];

	snprintf(menus, sizeof(menus), "%s/menus", root);
	snprintf(trans, sizeof(trans), "%s/translations", root);
	snprintf(lcfg, sizeof(lcfg), "%s/languages.cfg", menus);
	if (access(lcfg, R_OK) != 0) {
		print_message(
		    "skipped: %s absent (run from the repository root or set KAWAN_SRC)\n", lcfg);
		return NULL;
	}
	if (content_load(menus, trans, &c, &errs) == -1) {
		content_errors_format(&errs, buf, sizeof(buf));
		fail_msg("real content does not load:\n%s", buf);
	}
	return c;
}

static void
assert_pages_equal(const struct render_pages *a, const struct render_pages *b, const char *what)
{
	if (a->n != b->n)
		fail_msg("%s: %zu pages cached, %zu laid out", what, a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		if (strcmp(a->v[i].text, b->v[i].text) != 0)
			fail_msg("%s page %zu: cached\n%s\nlaid out\n%s", what, i, a->v[i].text,
			    b->v[i].text);
		assert_int_equal(a->v[i].coding, b->v[i].coding);
		assert_int_equal(a->v[i].units, b->v[i].units);
		assert_int_equal(a->v[i].segments, b->v[i].segments);
	}
}

/* One view in both ways; returns how many views were cached (0 or 1). */
static int
compare_view(const struct content *c, const struct engine_settings *plain,
    const struct engine_settings *cached, enum engine_channel ch, const char *lang, bool zg,
    bool discreet, const struct engine_view *v)
{
	struct engine_ctx xp = { c, plain, ch, lang, zg, engine_script(c, lang, zg), discreet,
		NULL };
	struct engine_ctx xc = { c, cached, ch, lang, zg, engine_script(c, lang, zg), discreet,
		NULL };
	const struct render_pages *got = engine_cache_view(&xc, v);
	struct render_pages want;
	char what[256];

	snprintf(what, sizeof(what), "%s %s%s %s%s%s%s",
	    v->node != NULL ? v->node->id : "(languages)", lang, zg ? " (Zawgyi)" : "",
	    engine_channel_name(ch), discreet ? " discreet" : "", v->lang_nav ? " nav" : "",
	    v->langset ? " language set" : "");
	assert_null(engine_cache_view(&xp, v)); /* no cache: always NULL */
	if (engine_view_pages(&xp, v, &want) == -1) {
		if (got != NULL)
			fail_msg("%s: cached, but it does not lay out", what);
		return 0;
	}
	if (got == NULL)
		fail_msg("%s: lays out, but is not cached", what);
	assert_pages_equal(got, &want, what);
	render_pages_free(&want);
	return 1;
}

/* Every view the cache holds, for every language, Zawgyi and channel. */
static size_t
compare_all(const struct content *c, const struct engine_settings *plain,
    const struct engine_settings *cached)
{
	size_t n = 0;

	for (size_t li = 0; li < content_nlanguages(c); li++) {
		const struct content_language *l = content_language_at(c, li);

		for (int zg = 0; zg <= ((l->variant[0] != 0) ? 1 : 0); zg++) {
			for (int ch = ENGINE_SMS; ch <= ENGINE_USSD; ch++) {
				enum engine_channel e = (enum engine_channel)ch;
				struct engine_view v = { NULL, NULL, false, false };

				for (size_t i = 0; i < content_nnodes(c); i++) {
					v.node = content_node_at(c, i);
					for (int d = 0; d <= 1; d++)
						n += (size_t)compare_view(c, plain, cached, e,
						    l->code, zg, d, &v);
				}
				v.node = NULL;
				for (int nav = 0; nav <= 1; nav++) {
					v.lang_nav = nav;
					n += (size_t)compare_view(c, plain, cached, e, l->code, zg,
					    false, &v);
				}
				v.lang_nav = false;
				v.node = content_home(c);
				v.header =
				    content_ui(c, l->code, "language_set", plain->serve_fuzzy);
				v.langset = true;
				n += (size_t)compare_view(c, plain, cached, e, l->code, zg, false,
				    &v);
				/* any other header is never cached */
				v.header = "Please reply with a number.";
				v.langset = false;
				assert_null(engine_cache_view(
				    &(struct engine_ctx){ c, cached, e, l->code, zg,
					engine_script(c, l->code, zg), false, NULL },
				    &v));
			}
		}
	}
	return n;
}

static void
test_real_pages(void **state)
{
	struct content *c = real_content();
	struct engine_settings plain, cached;
	struct engine_cache *k = NULL;

	(void)state;
	if (c == NULL)
		skip();
	for (int variant = 0; variant < 4; variant++) {
		static const char *countries[] = { "MY", "TH", "SG", "BN" };
		size_t n;

		engine_settings_default(&plain);
		memcpy(plain.country, countries[variant], 3);
		plain.serve_fuzzy = variant & 1;
		plain.max_info_segments = variant >= 2 ? 1 : 3;
		assert_int_equal(engine_cache_build(c, &plain, &k), 0);
		assert_non_null(k);
		cached = plain;
		cached.cache = k;
		n = compare_all(c, &plain, &cached);
		/* every node, both discreet settings, two lists and "language set",
		 * per language (twice with a script variant) and channel: all of them fit */
		assert_int_equal(n, engine_lang_entries(c) * 2 * (content_nnodes(c) * 2 + 3));
		assert_true(engine_cache_npages(k) >= n / 2);
		assert_true(engine_cache_bytes(k) > 0);
		engine_cache_free(k);
	}
	content_free(c);
}

static bool
pages_equal(const struct render_pages *a, const struct render_pages *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].text, b->v[i].text) != 0 || a->v[i].coding != b->v[i].coding ||
		    a->v[i].units != b->v[i].units || a->v[i].segments != b->v[i].segments)
			return false;
	return true;
}

static void
assert_session_equal(const struct engine_session *a, const struct engine_session *b)
{
	assert_int_equal(a->state, b->state);
	assert_string_equal(a->node, b->node);
	assert_int_equal(a->page, b->page);
	assert_int_equal(a->depth, b->depth);
	for (int i = 0; i < a->depth; i++)
		assert_string_equal(a->back[i], b->back[i]);
	assert_string_equal(a->lang, b->lang);
	assert_int_equal(a->variant, b->variant);
	assert_int_equal(a->discreet, b->discreet);
	assert_int_equal(a->last_ms, b->last_ms);
	assert_int_equal(a->report_step, b->report_step);
	assert_int_equal(a->report_answered, b->report_answered);
}

/* Inputs a walk picks from: navigation, keywords, hints, free text. */
static const char *walk_inputs[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
	"13", "14", "0", "00", "98", "1", "2", "3", "0", "98", "", "  2 ", "HELP", "MENU", "LANG",
	"STOP", "STATUS k7q2", "STATUS", "hello", "911", "999", "000", "0000",
	"\xe1\x80\x99\xe1\x80\xbc\xe1\x80\x94\xe1\x80\xba", /* Burmese, Unicode */
	"\xe1\x80\xb1\xe1\x80\x9a",                         /* U+1031 first: looks Zawgyi */
	"\xff\xfe", "a\x01", "Jalan Ampang 12, Kuala Lumpur" };

/* n random steps on both channels from every language (Zawgyi too): the
 * cached engine answers exactly as the plain one. Returns borrowed replies. */
static size_t
walk(const struct content *c, const struct engine_settings *plain,
    const struct engine_settings *cached, long steps)
{
	uint64_t x = 0x2545F4914F6CDD1DULL;
	size_t borrowed = 0;
	size_t nl = content_nlanguages(c);

	for (size_t start = 0; start < nl + 1; start++) {
		struct engine_session sp, sc;
		int64_t now = 1000;

		memset(&sp, 0, sizeof(sp));
		if (start < nl) {
			snprintf(sp.lang, sizeof(sp.lang), "%s",
			    content_language_at(c, start)->code);
		} else {
			snprintf(sp.lang, sizeof(sp.lang), "my");
			sp.variant = true;
		}
		sc = sp;
		for (long h = 0; h < steps; h++) {
			struct engine_reply rp, rc;
			enum engine_channel ch;
			const char *in;
			int ap, ac;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			ch = (x >> 3) & 1 ? ENGINE_USSD : ENGINE_SMS;
			in = walk_inputs[(x >> 8) % (sizeof(walk_inputs) / sizeof(walk_inputs[0]))];
			/* now and then an input comes after the channel's timeout */
			now += (x >> 40) % 50 == 0 ? 4000000 : 1000;
			ap = engine_step(c, plain, ch, &sp, in, now, &rp);
			ac = engine_step(c, cached, ch, &sc, in, now, &rc);
			assert_int_equal(ap, ac);
			assert_false(rp.borrowed);
			if (!pages_equal(&rp.pages, &rc.pages))
				fail_msg("input '%s' on %s: the replies differ:\n%s\n--\n%s", in,
				    engine_channel_name(ch), rp.pages.n ? rp.pages.v[0].text : "",
				    rc.pages.n ? rc.pages.v[0].text : "");
			assert_int_equal(rp.msg_class, rc.msg_class);
			assert_int_equal(rp.effects, rc.effects);
			assert_string_equal(rp.arg, rc.arg);
			assert_int_equal(rp.report_field, rc.report_field);
			assert_string_equal(rp.report_value, rc.report_value);
			assert_session_equal(&sp, &sc);
			borrowed += rc.borrowed;
			engine_reply_free(&rp);
			engine_reply_free(&rc);
			/* a second free does nothing: the pages stay the cache's */
			engine_reply_free(&rc);
			assert_null(rc.pages.v);
			assert_int_equal(rc.pages.n, 0);
		}
	}
	return borrowed;
}

static void
test_real_walk(void **state)
{
	struct content *c = real_content();
	struct engine_settings plain, cached;
	struct engine_cache *k = NULL;
	size_t b;

	(void)state;
	if (c == NULL)
		skip();
	engine_settings_default(&plain);
	memcpy(plain.country, "MY", 3);
	assert_int_equal(engine_cache_build(c, &plain, &k), 0);
	cached = plain;
	cached.cache = k;
	b = walk(c, &plain, &cached, 3000);
	/* most hops are navigation: their pages come from the cache */
	assert_true(b > (content_nlanguages(c) + 1) * 3000 / 4);
	engine_cache_free(k);
	content_free(c);
}

/* A borrowed page is the cache's own: freeing the reply leaves it whole,
 * and the next step borrows the very same text. */
static void
test_borrowed(void **state)
{
	struct content *c = real_content();
	struct engine_settings s;
	struct engine_cache *k = NULL;
	struct engine_session sess;
	struct engine_reply r;
	const char *first;
	char copy[1024];

	(void)state;
	if (c == NULL)
		skip();
	engine_settings_default(&s);
	assert_int_equal(engine_cache_build(c, &s, &k), 0);
	s.cache = k;
	memset(&sess, 0, sizeof(sess));
	snprintf(sess.lang, sizeof(sess.lang), "km");
	assert_int_equal(engine_step(c, &s, ENGINE_USSD, &sess, "", 1000, &r), 0);
	assert_true(r.borrowed);
	assert_int_equal(r.pages.n, 1);
	first = r.pages.v[0].text;
	snprintf(copy, sizeof(copy), "%s", first);
	engine_reply_free(&r);
	assert_false(r.borrowed);
	assert_string_equal(first, copy); /* still there (ASan: not freed) */
	assert_int_equal(engine_step(c, &s, ENGINE_USSD, &sess, "00", 2000, &r), 0);
	assert_true(r.borrowed);
	assert_ptr_equal(r.pages.v[0].text, first);
	engine_reply_free(&r);
	/* a hint is composed per reply: owned */
	assert_int_equal(engine_step(c, &s, ENGINE_USSD, &sess, "hello", 3000, &r), 0);
	assert_false(r.borrowed);
	assert_int_equal(r.pages.n, 1);
	engine_reply_free(&r);
	engine_cache_free(k);
	content_free(c);
}

/* A cache built for other settings or other content is not used. */
static void
test_mismatch(void **state)
{
	struct content *c = real_content(), *c2;
	struct engine_settings s, other;
	struct engine_cache *k = NULL;
	struct engine_session sess;
	struct engine_reply r;

	(void)state;
	if (c == NULL)
		skip();
	engine_settings_default(&s);
	assert_int_equal(engine_cache_build(c, &s, &k), 0);
	other = s;
	other.cache = k;
	other.ussd.gsm7 = 160;
	memset(&sess, 0, sizeof(sess));
	snprintf(sess.lang, sizeof(sess.lang), "en");
	assert_int_equal(engine_step(c, &other, ENGINE_USSD, &sess, "", 1000, &r), 0);
	assert_false(r.borrowed);
	engine_reply_free(&r);
	other = s;
	other.cache = k;
	memcpy(other.country, "TH", 3);
	assert_int_equal(engine_step(c, &other, ENGINE_USSD, &sess, "00", 2000, &r), 0);
	assert_false(r.borrowed);
	engine_reply_free(&r);
	c2 = real_content();
	other = s;
	other.cache = k;
	assert_int_equal(engine_step(c2, &other, ENGINE_USSD, &sess, "00", 3000, &r), 0);
	assert_false(r.borrowed);
	engine_reply_free(&r);
	assert_int_equal(engine_step(c, &other, ENGINE_USSD, &sess, "00", 4000, &r), 0);
	assert_true(r.borrowed);
	engine_reply_free(&r);
	content_free(c2);
	engine_cache_free(k);
	content_free(c);
}

/* A small tree: "911" and "5" are keywords, one page cannot fit USSD. */
static const char *fx_nodes =
    "nodes = (\n"
    "  { id = \"home\"; type = \"menu\"; title = \"Kawan\"; text = \"Kawan helpline\";\n"
    "    children = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]; },\n"
    "  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"Page A.\"; },\n"
    "  { id = \"b\"; type = \"page\"; title = \"B\"; text = \"Page B.\"; },\n"
    "  { id = \"c\"; type = \"page\"; title = \"C\"; text = \"Page C.\"; },\n"
    "  { id = \"d\"; type = \"page\"; title = \"D\"; text = \"Page D.\"; },\n"
    "  { id = \"e\"; type = \"page\"; title = \"E\"; text = \"Page E.\"; },\n"
    "  { id = \"f\"; type = \"action\"; action = \"report\"; title = \"Report\"; text = \"Report.\"; }\n"
    ");\n";

static const char *fx_keywords =
    "keywords = (\n"
    "  { kind = \"help\"; lang = \"\"; words = [\"HELP\", \"911\"]; },\n"
    "  { kind = \"menu\"; lang = \"\"; words = [\"MENU\", \"5\"]; }\n"
    ");\n";

static const char *fx_languages =
    "languages = ( { code = \"en\"; name = \"English\"; english_name = \"English\"; } );\n";

static const char *fx_ui =
    "ui = { back = \"0 Back\"; home = \"00 Home\"; more = \"98 More\";\n"
    "  invalid = \"Please reply with a number.\"; choose_language = \"Choose:\";\n"
    "  language_set = \"Language set.\"; report_ref = \"Reference: %s\"; };\n";

static void
test_numeric_keywords(void **state)
{
	struct cfx_dir d;
	struct content *c;
	struct engine_settings plain, cached;
	struct engine_cache *k = NULL;

	(void)state;
	cfx_make(&d, "kawan-engine-cache");
	cfx_write(d.menus, "nodes.cfg", fx_nodes, NULL, NULL);
	cfx_write(d.menus, "keywords.cfg", fx_keywords, NULL, NULL);
	cfx_write(d.menus, "languages.cfg", fx_languages, NULL, NULL);
	cfx_write(d.menus, "ui.cfg", fx_ui, NULL, NULL);
	cfx_write(d.menus, "countries.cfg", CFX_COUNTRIES, NULL, NULL);
	c = cfx_load(&d);
	engine_settings_default(&plain);
	assert_int_equal(engine_cache_build(c, &plain, &k), 0);
	cached = plain;
	cached.cache = k;
	assert_false(engine_cache_not_keyword(&cached, c, "911"));
	assert_false(engine_cache_not_keyword(&cached, c, "5"));
	assert_true(engine_cache_not_keyword(&cached, c, "4"));
	assert_true(engine_cache_not_keyword(&cached, c, "0"));
	assert_true(engine_cache_not_keyword(&cached, c, "00"));
	assert_true(engine_cache_not_keyword(&cached, c, "98"));
	assert_true(engine_cache_not_keyword(&cached, c, "999"));
	assert_false(engine_cache_not_keyword(&cached, c, "9110")); /* not looked at: unsure */
	assert_false(engine_cache_not_keyword(&cached, c, "MENU"));
	assert_false(engine_cache_not_keyword(&plain, c, "4")); /* no cache */
	walk(c, &plain, &cached, 2000);
	compare_all(c, &plain, &cached);
	engine_cache_free(k);
	content_free(c);
	cfx_remove(&d);
}

/* A view that does not fit its channel (here: a Back label longer than a
 * USSD page) stays out of the cache; the step fails as without the cache. */
static void
test_too_long(void **state)
{
	struct cfx_dir d;
	struct content *c;
	struct engine_settings plain, cached;
	struct engine_cache *k = NULL;
	struct engine_session sp, sc;
	struct engine_reply r;
	char ui[1024], back[200];
	size_t n;

	(void)state;
	memset(back, 'x', sizeof(back) - 1);
	back[sizeof(back) - 1] = '\0';
	snprintf(ui, sizeof(ui),
	    "ui = { back = \"0 %s\"; home = \"00 Home\"; more = \"98 More\";\n"
	    "  invalid = \"Please reply with a number.\"; choose_language = \"Choose:\";\n"
	    "  language_set = \"Language set.\"; report_ref = \"Reference: %%s\"; };\n",
	    back);
	cfx_make(&d, "kawan-engine-cache");
	cfx_write(d.menus, "nodes.cfg", fx_nodes, NULL, NULL);
	cfx_write(d.menus, "languages.cfg", fx_languages, NULL, NULL);
	cfx_write(d.menus, "ui.cfg", ui, NULL, NULL);
	cfx_write(d.menus, "countries.cfg", CFX_COUNTRIES, NULL, NULL);
	c = cfx_load(&d);
	engine_settings_default(&plain);
	assert_int_equal(engine_cache_build(c, &plain, &k), 0);
	cached = plain;
	cached.cache = k;
	n = compare_all(c, &plain, &cached);
	/* on both channels home (counted twice: with discreet off and on),
	 * its "language set" page and the list without Back (no Back there);
	 * on SMS the five pages too (counted twice), which may use 3 segments */
	assert_int_equal(n, 2 * (2 + 1 + 1) + 5 * 2);
	memset(&sp, 0, sizeof(sp));
	snprintf(sp.lang, sizeof(sp.lang), "en");
	sc = sp;
	for (int i = 0; i < 3; i++) {
		static const char *inputs[] = { "", "1", "00" };
		int ap = engine_step(c, &plain, ENGINE_USSD, &sp, inputs[i], 1000 + i, &r), ac;

		engine_reply_free(&r);
		ac = engine_step(c, &cached, ENGINE_USSD, &sc, inputs[i], 1000 + i, &r);
		engine_reply_free(&r);
		assert_int_equal(ap, i == 1 ? -1 : 0);
		assert_int_equal(ap, ac);
		assert_session_equal(&sp, &sc);
	}
	engine_cache_free(k);
	content_free(c);
	cfx_remove(&d);
}

/* snapshot_new builds the cache for its content and settings; the next
 * snapshot (a reload) has its own; releasing frees it (ASan: no leak). */
static void
test_snapshot(void **state)
{
	static struct kawan_config cfg;
	struct content *c = real_content(), *c2;
	struct snapshot_holder h;
	struct snapshot *s, *cur;
	struct engine_session sess;
	struct engine_reply r;

	(void)state;
	if (c == NULL)
		skip();
	config_default(&cfg);
	s = snapshot_new(&cfg, c);
	assert_non_null(s);
	assert_non_null(s->cache);
	assert_ptr_equal(s->engine.cache, s->cache);
	assert_true(engine_cache_npages(s->cache) > 0);
	memset(&sess, 0, sizeof(sess));
	snprintf(sess.lang, sizeof(sess.lang), "my");
	sess.variant = true;
	assert_int_equal(engine_step(s->content, &s->engine, ENGINE_USSD, &sess, "", 1000, &r), 0);
	assert_true(r.borrowed);
	engine_reply_free(&r);
	assert_int_equal(snapshot_holder_init(&h, s), 0);
	c2 = real_content();
	cur = snapshot_new(&cfg, c2);
	assert_non_null(cur);
	assert_non_null(cur->cache);
	assert_true(cur->cache != s->cache);
	snapshot_swap(&h, cur); /* s is released: its cache is freed */
	cur = snapshot_get(&h);
	assert_ptr_equal(cur->content, c2);
	assert_int_equal(engine_step(cur->content, &cur->engine, ENGINE_SMS, &sess, "00", 2000, &r),
	    0);
	assert_true(r.borrowed);
	engine_reply_free(&r);
	snapshot_release(cur);
	snapshot_holder_fini(&h);
	/* no content, no cache */
	s = snapshot_new(&cfg, NULL);
	assert_null(s->cache);
	assert_null(s->engine.cache);
	snapshot_release(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_pages),
		cmocka_unit_test(test_real_walk),
		cmocka_unit_test(test_borrowed),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_numeric_keywords),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_snapshot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
