/* test_engine_country.c - per-country nodes (issue 9): a menu naming MY and
 * TH variants of a topic shows only the deployment country's, numbered
 * without gaps, and the digit a worker sends reaches what was shown (with
 * and without the page cache); a node's bad or unlisted country is a loader
 * error with file:line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "check/check.h"
#include "content/content.h"
#include "session/engine.h"

#include "content_fixture.h"

static const char *fx_languages =
    "languages = (\n"
    "  { code = \"en\"; name = \"English\"; english_name = \"English\"; }\n"
    ");\n";

static const char *fx_ui = "ui = {\n"
			   "  back = \"0 Back\"; home = \"00 Home\"; more = \"98 More\";\n"
			   "  invalid = \"Please reply with a number from the list.\";\n"
			   "  choose_language = \"Choose your language:\";\n"
			   "  language_set = \"Language set: English.\";\n"
			   "  contacts_none = \"No checked numbers yet.\";\n"
			   "  articles = \"Declaration articles:\";\n"
			   "};\n";

static const char *fx_keywords =
    "keywords = ( { kind = \"help\"; lang = \"\"; words = [\"HELP\"]; } );\n";

/* help: MY, TH and SG variants of a topic, then a general page. */
static const char *fx_nodes =
    "nodes = (\n"
    "  { id = \"home\"; type = \"menu\"; title = \"Kawan\"; text = \"Kawan\";\n"
    "    children = [\"help\"]; },\n"
    "  { id = \"help\"; type = \"menu\"; title = \"Get help\"; text = \"Choose:\";\n"
    "    children = [\"help.injured.my\", \"help.injured.th\", \"help.injured.sg\",\n"
    "                \"help.scam\"]; },\n"
    "  { id = \"help.injured.my\"; type = \"page\"; title = \"Injured (Malaysia)\";\n"
    "    text = \"PERKESO page.\"; country = \"MY\"; sources = \"test\"; },\n"
    "  { id = \"help.injured.th\"; type = \"page\"; title = \"Injured (Thailand)\";\n"
    "    text = \"Compensation Fund page.\"; country = \"TH\"; sources = \"test\"; },\n"
    "  { id = \"help.scam\"; type = \"page\"; title = \"Job scams\";\n"
    "    text = \"General scam page.\"; },\n"
    "  { id = \"help.injured.sg\"; type = \"page\"; title = \"Injured (Singapore)\";\n"
    "    text = \"WICA page.\"; country = \"SG\"; sources = \"test\"; }\n"
    ");\n";

struct fixture {
	struct cfx_dir d;
	struct content *c;
	struct engine_settings s;
};

static void
write_tree(struct fixture *f, const char *nodes)
{
	cfx_write(f->d.menus, "languages.cfg", fx_languages, NULL, NULL);
	cfx_write(f->d.menus, "ui.cfg", fx_ui, NULL, NULL);
	cfx_write(f->d.menus, "keywords.cfg", fx_keywords, NULL, NULL);
	cfx_write(f->d.menus, "countries.cfg", CFX_COUNTRIES, NULL, NULL);
	cfx_write(f->d.menus, "nodes.cfg", nodes, NULL, NULL);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	cfx_make(&f->d, "kawan-country");
	write_tree(f, fx_nodes);
	f->c = cfx_load(&f->d);
	engine_settings_default(&f->s);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	content_free(f->c);
	cfx_remove(&f->d);
	free(f);
	return 0;
}

/* The text of the one page engine_step answers in into buf. */
static void
step(struct fixture *f, enum engine_channel ch, struct engine_session *s, const char *in, char *buf,
    size_t bufsz)
{
	struct engine_reply r;

	assert_int_equal(engine_step(f->c, &f->s, ch, s, in, s->last_ms + 1000, &r), 0);
	assert_true(r.pages.n >= 1);
	snprintf(buf, bufsz, "%s", r.pages.v[0].text);
	engine_reply_free(&r);
}

/* A session at home in English. */
static void
at_home(struct engine_session *s)
{
	memset(s, 0, sizeof(*s));
	s->state = ENGINE_ST_NODE;
	snprintf(s->node, sizeof(s->node), "home");
	snprintf(s->lang, sizeof(s->lang), "en");
	s->last_ms = 1000;
}

/* In country, the help menu lists want1 as 1 and "Job scams" as 2, and
 * nothing else; 1 opens want1's page (body1), 2 the general one, 3 is
 * not a choice. */
static void
check_country(struct fixture *f, enum engine_channel ch, const char *country, const char *want1,
    const char *body1)
{
	struct engine_session s;
	char t[1024], line[64];

	memcpy(f->s.country, country, 3);
	at_home(&s);
	step(f, ch, &s, "1", t, sizeof(t));
	assert_string_equal(s.node, "help");
	snprintf(line, sizeof(line), "1 %s\n", want1);
	if (strstr(t, line) == NULL)
		fail_msg("%s: no \"%s\" in:\n%s", country, line, t);
	assert_non_null(strstr(t, "2 Job scams"));
	assert_null(strstr(t, "3 "));
	if (strcmp(country, "MY") != 0)
		assert_null(strstr(t, "Injured (Malaysia)"));
	if (strcmp(country, "TH") != 0)
		assert_null(strstr(t, "Injured (Thailand)"));
	if (strcmp(country, "SG") != 0)
		assert_null(strstr(t, "Injured (Singapore)"));

	step(f, ch, &s, "1", t, sizeof(t));
	assert_int_equal(s.state, ENGINE_ST_NODE);
	assert_non_null(strstr(t, body1));
	step(f, ch, &s, "0", t, sizeof(t));
	assert_string_equal(s.node, "help");
	step(f, ch, &s, "2", t, sizeof(t));
	assert_string_equal(s.node, "help.scam");
	step(f, ch, &s, "0", t, sizeof(t));
	step(f, ch, &s, "3", t, sizeof(t));
	assert_string_equal(s.node, "help");
	assert_non_null(strstr(t, "Please reply with a number"));
}

static void
test_my_and_th_variants(void **state)
{
	struct fixture *f = *state;

	for (int ch = ENGINE_SMS; ch <= ENGINE_USSD; ch++) {
		check_country(f, (enum engine_channel)ch, "MY", "Injured (Malaysia)",
		    "PERKESO page.");
		check_country(f, (enum engine_channel)ch, "TH", "Injured (Thailand)",
		    "Compensation Fund page.");
		check_country(f, (enum engine_channel)ch, "SG", "Injured (Singapore)",
		    "WICA page.");
	}
}

/* The page cache is built for one deployment country: the same answers. */
static void
test_cached(void **state)
{
	struct fixture *f = *state;
	struct engine_cache *k = NULL;

	memcpy(f->s.country, "TH", 3);
	assert_int_equal(engine_cache_build(f->c, &f->s, &k), 0);
	f->s.cache = k;
	check_country(f, ENGINE_USSD, "TH", "Injured (Thailand)", "Compensation Fund page.");
	check_country(f, ENGINE_SMS, "TH", "Injured (Thailand)", "Compensation Fund page.");
	/* Another country with this cache: the cache does not match, no MY
	 * page is served from TH's cache. */
	check_country(f, ENGINE_USSD, "MY", "Injured (Malaysia)", "PERKESO page.");
	f->s.cache = NULL;
	engine_cache_free(k);
}

static void
test_lookups(void **state)
{
	struct fixture *f = *state;
	const struct content_node *help = content_find(f->c, "help"), *v[8];

	assert_non_null(help);
	assert_string_equal(content_find(f->c, "help.injured.my")->country, "MY");
	assert_string_equal(content_find(f->c, "help.scam")->country, "");
	assert_string_equal(content_find(f->c, "help.injured.th")->sources, "test");
	assert_int_equal(content_children_for(f->c, help, "BN", v, 8), 1);
	assert_string_equal(v[0]->id, "help.scam");
	assert_int_equal(content_children_for(f->c, help, "MY", v, 8), 2);
	assert_string_equal(v[0]->id, "help.injured.my");
	assert_string_equal(v[1]->id, "help.scam");
	/* No deployment country: every child, as contacts are. */
	assert_int_equal(content_children_for(f->c, help, "", v, 8), 4);
	assert_ptr_equal(content_child_at(f->c, help, "SG", 1),
	    content_find(f->c, "help.injured.sg"));
	assert_ptr_equal(content_child_at(f->c, help, "SG", 2), content_find(f->c, "help.scam"));
	assert_null(content_child_at(f->c, help, "SG", 3));
	assert_null(content_child_at(f->c, help, "SG", 0));
}

/* The tree with the SG page's country replaced by bad; the load fails with
 * an error at nodes.cfg's line of that country naming what. */
static void
expect_bad(const char *bad, const char *what)
{
	struct cfx_dir d;
	struct content_errors errs;
	struct content *c = NULL;
	char nodes[4096], want[256], buf[4096];
	const char *at = strstr(fx_nodes, "country = \"SG\"");
	int line = 1;

	assert_non_null(at);
	for (const char *p = fx_nodes; p < at; p++)
		line += *p == '\n';
	snprintf(nodes, sizeof(nodes), "%.*scountry = \"%s\"%s", (int)(at - fx_nodes), fx_nodes,
	    bad, at + strlen("country = \"SG\""));
	cfx_make(&d, "kawan-country-bad");
	cfx_write(d.menus, "languages.cfg", fx_languages, NULL, NULL);
	cfx_write(d.menus, "ui.cfg", fx_ui, NULL, NULL);
	cfx_write(d.menus, "keywords.cfg", fx_keywords, NULL, NULL);
	cfx_write(d.menus, "countries.cfg", CFX_COUNTRIES, NULL, NULL);
	cfx_write(d.menus, "nodes.cfg", nodes, NULL, NULL);
	assert_int_equal(content_load(d.menus, d.trans, &c, &errs), -1);
	assert_null(c);
	content_errors_format(&errs, buf, sizeof(buf));
	snprintf(want, sizeof(want), "nodes.cfg:%d: ", line);
	if (strstr(buf, want) == NULL || strstr(buf, what) == NULL)
		fail_msg("want '%s' and '%s' in:\n%s", want, what, buf);
	cfx_remove(&d);
}

static void
test_bad_country(void **state)
{
	(void)state;
	expect_bad("sg", "bad country 'sg'");
	expect_bad("XX", "country 'XX' is not in countries.cfg");
	expect_bad("JP", "country 'JP' is not in countries.cfg");
}

/* The checker: a menu with nothing shown in a country is an error there
 * (a warning in the others), a per-country node without sources is an
 * error, and another country's page is not rendered. */
static void
test_checker(void **state)
{
	struct fixture *f = *state;
	struct check_report r;
	char nodes[4096];
	const char *sg = "country = \"SG\"; sources = \"test\";";
	const char *at = strstr(fx_nodes, sg);
	const char *home = "children = [\"help\"];";
	const char *h = strstr(fx_nodes, home);

	assert_non_null(at);
	assert_non_null(h);
	/* home gets a second menu, "more", holding only the MY page; the SG
	 * page loses its sources. */
	snprintf(nodes, sizeof(nodes),
	    "%.*schildren = [\"help\", \"more\"]; },\n"
	    "  { id = \"more\"; type = \"menu\"; title = \"More\"; text = \"More:\";\n"
	    "    children = [\"help.injured.my\"]; %.*scountry = \"SG\";%s",
	    (int)(h - fx_nodes), fx_nodes, (int)(at - (h + strlen(home))), h + strlen(home),
	    at + strlen(sg));
	content_free(f->c);
	write_tree(f, nodes);
	f->c = cfx_load(&f->d);

	memcpy(f->s.country, "TH", 3);
	assert_int_equal(check_run(f->c, &f->s, 1764979200, &r), 0);
	assert_int_equal(r.menus_empty, 1);           /* more, in TH */
	assert_int_equal(r.menus_empty_elsewhere, 1); /* more, in SG */
	assert_int_equal(r.country_unsourced, 1);     /* help.injured.sg */
	assert_true(r.errors >= 2);
	memcpy(f->s.country, "MY", 3);
	assert_int_equal(check_run(f->c, &f->s, 1764979200, &r), 0);
	assert_int_equal(r.menus_empty, 0);
	assert_int_equal(r.menus_empty_elsewhere, 2); /* more, in TH and SG */
	/* No country: every receiving country is the deployment's. */
	f->s.country[0] = '\0';
	assert_int_equal(check_run(f->c, &f->s, 1764979200, &r), 0);
	assert_int_equal(r.menus_empty, 2);
	assert_int_equal(r.menus_empty_elsewhere, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_my_and_th_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookups, setup, teardown),
		cmocka_unit_test(test_bad_country),
		cmocka_unit_test_setup_teardown(test_checker, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
