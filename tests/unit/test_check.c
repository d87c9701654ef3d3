/* test_check.c - check_run/check_print on the fixture tree: coverage counts
 * per language, pages rendered through the engine, USSD screens and the
 * fullest one, stale contacts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check/check.h"
#include "core/log.h"

#include "content_fixture.h"

static struct content *fixture;

static int
group_setup(void **state)
{
	(void)state;
	log_init("test_check", LOG_LEVEL_ERROR);
	return cfx_load_src("tests/unit/data/content/good/", &fixture);
}

static int
group_teardown(void **state)
{
	(void)state;
	content_free(fixture);
	return 0;
}

static int64_t
at_date(const char *ymd)
{
	return (int64_t)content_date_days(ymd) * 86400 + 3600;
}

static const struct check_lang *
lang_row(const struct check_report *r, const char *code)
{
	for (size_t i = 0; i < r->nlangs; i++)
		if (strcmp(r->langs[i].lang, code) == 0)
			return &r->langs[i];
	fail_msg("no row for %s", code);
	return NULL;
}

static void
test_coverage(void **state)
{
	static struct check_report r;
	struct engine_settings s;
	const struct check_lang *l;

	(void)state;
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	assert_int_equal(check_run(fixture, &s, at_date("2024-12-01"), &r), 0);
	assert_int_equal(r.nlangs, 3);
	/* 7 titles, 3 non-empty texts, 4 ui strings */
	l = lang_row(&r, "en");
	assert_int_equal(l->strings, 14);
	assert_int_equal(l->translated, 14);
	l = lang_row(&r, "ms");
	assert_int_equal(l->strings, 14);
	assert_int_equal(l->translated, 4);
	assert_int_equal(l->fuzzy, 2);
	assert_int_equal(l->missing, 8);
	l = lang_row(&r, "th");
	assert_int_equal(l->translated, 1);
	assert_int_equal(l->fuzzy, 0);
	assert_int_equal(l->missing, 13);
	/* every node renders and fits on USSD with the default limits */
	for (size_t i = 0; i < r.nlangs; i++) {
		assert_int_equal(r.langs[i].render_failures, 0);
		assert_int_equal(r.langs[i].ussd_pages_over, 0);
		assert_true(r.langs[i].sms_menu_max_segments >= 1);
	}
	assert_int_equal(r.errors, 0);
	/* 7 nodes, one USSD screen each; the fullest is the Vietnamese page */
	for (size_t i = 0; i < r.nlangs; i++) {
		const struct check_screen *w = &r.langs[i].ussd_longest;

		assert_int_equal(r.langs[i].ussd_screens, 7);
		assert_string_equal(w->node, "rights.vn");
		assert_int_equal(w->coding, RENDER_UCS2);
		assert_int_equal(w->limit, 80);
		assert_int_equal(w->pages, 1);
		assert_int_equal(w->page, 0);
		assert_true(w->units > 0 && w->units <= w->limit);
	}
	assert_int_equal(lang_row(&r, "en")->ussd_longest.units, 66);
	assert_int_equal(lang_row(&r, "ms")->ussd_longest.units, 70);
	assert_int_equal(r.contacts, 3);
	assert_int_equal(r.contacts_unverified, 1);
	assert_int_equal(r.contacts_stale, 1); /* my.embassy.ph, 2020-01-15 */
	assert_int_equal(check_run(fixture, &s, at_date("2025-06-03"), &r), 0);
	assert_int_equal(r.contacts_stale, 2); /* my.hotline is now 367 days old */
	memcpy(s.country, "TH", 3);
	assert_int_equal(check_run(fixture, &s, at_date("2024-12-01"), &r), 0);
	assert_int_equal(r.contacts, 1);
	assert_int_equal(r.contacts_unverified, 0);
}

/* The report flow's nationality choices (countries.cfg) are translatable
 * strings: counted per language; other countries are not (officers only). */
static void
test_coverage_countries(void **state)
{
	static struct check_report r;
	struct engine_settings s;
	const struct check_lang *l;
	struct cfx_dir d;
	struct content *c;

	(void)state;
	cfx_make(&d, "kawan-check");
	cfx_write(d.menus, "languages.cfg",
	    "languages = (\n  { code = \"en\"; name = \"English\"; english_name = \"English\"; },\n"
	    "  { code = \"ms\"; name = \"Bahasa Melayu\"; english_name = \"Malay\"; }\n);\n",
	    NULL, NULL);
	cfx_write(d.menus, "ui.cfg", "ui = { back = \"0 Back\"; more = \"98 More\"; };\n", NULL,
	    NULL);
	cfx_write(d.menus, "home.cfg",
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"Home\"; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"Text A\"; }\n);\n",
	    NULL, NULL);
	cfx_write(d.menus, "countries.cfg",
	    "countries = (\n  { code = \"MM\"; name = \"Myanmar\"; choice = true; },\n"
	    "  { code = \"MY\"; name = \"Malaysia\"; },\n"
	    "  { code = \"KH\"; name = \"Cambodia\"; choice = true; }\n);\n",
	    NULL, NULL);
	cfx_write(d.trans, "ms.po",
	    "msgctxt \"country.MM\"\nmsgid \"Myanmar\"\nmsgstr \"Myanmar\"\n\n"
	    "#, fuzzy\nmsgctxt \"country.KH\"\nmsgid \"Cambodia\"\nmsgstr \"Kemboja\"\n",
	    NULL, NULL);
	c = cfx_load(&d);
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	assert_int_equal(check_run(c, &s, at_date("2024-12-01"), &r), 0);
	/* 2 titles, 1 text, 2 ui strings, 2 choices (not Malaysia) */
	l = lang_row(&r, "ms");
	assert_int_equal(l->strings, 7);
	assert_int_equal(l->translated, 1);
	assert_int_equal(l->fuzzy, 1);
	assert_int_equal(l->missing, 5);
	assert_int_equal(lang_row(&r, "en")->translated, 7);
	content_free(c);
	cfx_remove(&d);
}

static void
test_limits(void **state)
{
	static struct check_report r;
	struct engine_settings s;

	(void)state;
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	/* a tiny SMS budget: menu pages need more than one segment */
	s.sms.gsm7 = 40;
	s.sms.ucs2 = 20;
	assert_int_equal(check_run(fixture, &s, at_date("2024-12-01"), &r), 0);
	for (size_t i = 0; i < r.nlangs; i++) {
		const struct check_lang *l = &r.langs[i];

		assert_true(l->sms_menu_multi + l->render_failures > 0);
	}
	/* an operator limit too small for any page: errors */
	engine_settings_default(&s);
	s.ussd.gsm7 = 12;
	s.ussd.ucs2 = 6;
	assert_int_equal(check_run(fixture, &s, at_date("2024-12-01"), &r), 0);
	assert_true(r.errors > 0);
	for (size_t i = 0; i < r.nlangs; i++) {
		const struct check_lang *l = &r.langs[i];

		/* the fullest screen is one of those over the limit */
		if (l->ussd_pages_over > 0)
			assert_true(l->ussd_longest.units > l->ussd_longest.limit);
		assert_true(l->ussd_screens >= l->ussd_pages_over);
	}
	assert_int_equal(r.errors, r.langs[0].ussd_pages_over + r.langs[0].render_failures +
				       r.langs[1].ussd_pages_over + r.langs[1].render_failures +
				       r.langs[2].ussd_pages_over + r.langs[2].render_failures);
}

static void
test_print(void **state)
{
	static struct check_report r;
	struct engine_settings s;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	assert_int_equal(check_run(fixture, &s, at_date("2024-12-01"), &r), 0);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	check_print(fixture, &s, &r, at_date("2024-12-01"), fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(buf, "lang"));
	assert_non_null(strstr(buf, "\nms "));
	assert_non_null(strstr(buf, "28.6%")); /* ms: 4 of 14 */
	assert_non_null(strstr(buf, "menus/zcontacts.cfg:2: contact my.embassy.id (Embassy of "
				    "Indonesia) is not verified: not served\n"));
	assert_non_null(strstr(buf, "menus/zcontacts.cfg:4: contact my.embassy.ph (Embassy of the "
				    "Philippines) was last verified 2020-01-15"));
	assert_null(strstr(buf, "th.hotline"));
	assert_null(strstr(buf, "my.hotline"));
	assert_non_null(strstr(buf, "0 error(s)"));
	/* the USSD table, after the first one */
	assert_non_null(
	    strstr(buf, "\nUSSD screens (every node's pages; limit 182 GSM-7 septets or "
			"80 UCS-2 units):\n"));
	assert_non_null(
	    strstr(buf, "\nen              7      0     66/80   82% UCS-2  rights.vn\n"));
	assert_non_null(
	    strstr(buf, "\nms              7      0     70/80   87% UCS-2  rights.vn\n"));
	assert_true(strstr(buf, "USSD screens") > strstr(buf, "28.6%"));
	free(buf);
}

/* Screens are summed over every node's pages, and the fullest screen is the
 * one nearest its own coding's limit (a share, not a count of units: GSM-7
 * and UCS-2 pages are compared). Checked against the engine's own pages,
 * node by node, with small limits that split some nodes. */
static void
test_ussd_screens(void **state)
{
	static struct check_report r;
	struct engine_settings s;
	const struct check_lang *l;
	size_t want = 0;

	(void)state;
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	s.ussd.gsm7 = 60;
	s.ussd.ucs2 = 40;
	assert_int_equal(check_run(fixture, &s, at_date("2024-12-01"), &r), 0);
	l = lang_row(&r, "en");
	for (size_t i = 0; i < content_nnodes(fixture); i++) {
		struct engine_reply rep;

		assert_int_equal(engine_render_node(fixture, &s, ENGINE_USSD, "en", false,
				     content_node_at(fixture, i)->id, &rep),
		    0);
		want += rep.pages.n;
		for (size_t k = 0; k < rep.pages.n; k++) {
			const struct render_page *p = &rep.pages.v[k];
			size_t lim = p->coding == RENDER_GSM7 ? s.ussd.gsm7 : s.ussd.ucs2;

			/* no page is fuller than the one reported */
			assert_true(
			    p->units * l->ussd_longest.limit <= l->ussd_longest.units * lim);
		}
		engine_reply_free(&rep);
	}
	assert_true(want > 7); /* the smaller screens split some nodes */
	assert_int_equal(l->ussd_screens, want);
	assert_int_equal(l->ussd_pages_over, 0);
	assert_non_null(content_find(fixture, l->ussd_longest.node));
	assert_true(l->ussd_longest.page < l->ussd_longest.pages);
}

/* Issue 9's rules on tests/unit/data/content/issue9, each with its failing
 * case: a served contact without how or hours, a source over two years
 * old, a contacts page with nothing served in a country (a per-country
 * list counts only in its own country), a STOP word that
 * is a word of another language (PARA: Filipino "for"). */
static void
test_issue9_rules(void **state)
{
	static struct check_report r;
	const char *src = getenv("KAWAN_SRCDIR");
	struct engine_settings s;
	struct content_errors errs;
	struct content *c = NULL;
	char m[512], t[512], *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	if (src == NULL || src[0] == '\0')
		src = ".";
	snprintf(m, sizeof(m), "%s/tests/unit/data/content/issue9/menus", src);
	snprintf(t, sizeof(t), "%s/tests/unit/data/content/issue9/translations", src);
	assert_int_equal(content_load(m, t, &c, &errs), 0);
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	assert_int_equal(check_run(c, &s, at_date("2026-12-06"), &r), 0);
	assert_int_equal(r.contacts_incomplete, 2);   /* my.no-how, my.no-hours */
	assert_int_equal(r.contacts_old_source, 1);   /* my.old, 2020 */
	assert_int_equal(r.lists_empty, 0);           /* MY has served contacts */
	assert_int_equal(r.lists_empty_elsewhere, 1); /* TH has none; not MY's embassies */
	assert_int_equal(r.stop_conflicts, 1);        /* PARA; not HAPARA, not the quoted STOP */
	assert_int_equal(r.errors, 3);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	check_print(c, &s, &r, at_date("2026-12-06"), fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(
	    strstr(buf, "home.cfg:14: contact my.no-how (No method) is served without how"));
	assert_non_null(
	    strstr(buf, "home.cfg:16: contact my.no-hours (No hours) is served without hours"));
	assert_non_null(
	    strstr(buf, "home.cfg:18: contact my.old (Old source): its source (newspaper, 2020)"));
	assert_null(strstr(buf, "my.ok"));
	assert_non_null(
	    strstr(buf, "home.cfg:5: node helplines has nothing served in TH (not this"));
	assert_null(strstr(buf, "node embassies")); /* MY's own list: not shown in TH */
	assert_non_null(
	    strstr(buf, "keywords.cfg:6: STOP word 'para' (tet) is a word of fil (about): error"));
	assert_null(strstr(buf, "'hapara'"));
	assert_null(strstr(buf, "'stop'"));
	free(buf);
	/* deployed in Thailand, the empty list is an error */
	memcpy(s.country, "TH", 3);
	assert_int_equal(check_run(c, &s, at_date("2026-12-06"), &r), 0);
	assert_int_equal(r.lists_empty, 1); /* helplines; not MY's own embassies list */
	assert_int_equal(r.lists_empty_elsewhere, 0);
	assert_int_equal(r.errors, 4);
	/* a date within two years is no warning */
	assert_int_equal(check_run(c, &s, at_date("2021-06-01"), &r), 0);
	assert_int_equal(r.contacts_old_source, 0);
	content_free(c);
}

/* The glossary (tests/unit/data/content/glossary): a reviewed entry that
 * translates "embassy" otherwise than the approved "kedutaan" is an error,
 * a fuzzy one a warning; an entry with the approved word (any case) is
 * fine; the English term is matched as a whole word. */
static void
test_glossary(void **state)
{
	static struct check_report r;
	const char *src = getenv("KAWAN_SRCDIR");
	struct engine_settings s;
	struct content_errors errs;
	struct content *c = NULL;
	char m[512], t[512], *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	if (src == NULL || src[0] == '\0')
		src = ".";
	snprintf(m, sizeof(m), "%s/tests/unit/data/content/glossary/menus", src);
	snprintf(t, sizeof(t), "%s/tests/unit/data/content/glossary/translations", src);
	assert_int_equal(content_load(m, t, &c, &errs), 0);
	assert_int_equal(content_nglossary(c), 2);
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	assert_int_equal(check_run(c, &s, at_date("2026-12-06"), &r), 0);
	assert_int_equal(r.glossary_drift, 1);
	assert_int_equal(r.glossary_drafts, 1);
	assert_int_equal(r.errors, 1);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	check_print(c, &s, &r, at_date("2026-12-06"), fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(buf, "glossary/translations/ms.po:7: ui.go_embassy: \"embassy\" is "
				    "\"kedutaan\" in the glossary, not found in the translation: "
				    "error"));
	assert_non_null(strstr(buf, "glossary/translations/ms.po:13: ui.draft_embassy: "
				    "\"embassy\" is \"kedutaan\" in the glossary, not found in "
				    "the translation (a draft: warning)"));
	assert_null(strstr(buf, "ui.ok_embassy"));
	assert_null(strstr(buf, "ui.no_term"));
	free(buf);
	content_free(c);
}

/* Issue 9: a rights page over three SMS segments in all, in any language,
 * is an error with the node's file:line and the language, drafts included
 * (a fuzzy draft is served once reviewed); the same page drafted short
 * passes, and so does a long page that is not under "rights.". */
#define RIGHTS_TH_LONG                                                                                                                                                                                                                                                  \
	"ปี 2007 รัฐบาลอาเซียนลงนามปฏิญญาเพื่อแรงงานจากประเทศอาเซียนหนึ่งที่ทำงานในอีกประเทศหนึ่ง " \
	"เป็นคำสัญญา ไม่ใช่กฎหมาย กฎหมายของแต่ละประเทศมาก่อน และไม่ได้ให้เอกสารแก่ใคร "                               \
	"ใช้ปฏิญญานี้ขอให้ได้รับการปฏิบัติที่เป็นธรรม เก็บหลักฐานการทำงานและค่าจ้างไว้เสมอ "            \
	"และถามสายด่วนในรายการติดต่อก่อนไปที่สำนักงานใดๆ"

static void
rights_write(const struct cfx_dir *d, const char *th_text)
{
	char po[2048];

	cfx_write(d->menus, "languages.cfg",
	    "languages = (\n  { code = \"en\"; name = \"English\"; english_name = \"English\"; },\n"
	    "  { code = \"th\"; name = \"ไทย\"; english_name = \"Thai\"; }\n);\n",
	    NULL, NULL);
	cfx_write(d->menus, "ui.cfg", "ui = { back = \"0 Back\"; more = \"98 More\"; };\n", NULL,
	    NULL);
	cfx_write(d->menus, "home.cfg",
	    "nodes = (\n"
	    "  { id = \"home\"; type = \"menu\"; title = \"Home\"; children = [\"rights.a\", "
	    "\"help.a\"]; },\n"
	    "  { id = \"rights.a\"; type = \"page\"; title = \"A\"; text = \"Short.\";\n"
	    "    articles = \"Art. 1\"; },\n"
	    "  { id = \"help.a\"; type = \"page\"; title = \"B\"; text = \"Short.\"; }\n);\n",
	    NULL, NULL);
	assert_true(snprintf(po, sizeof(po),
			"#, fuzzy\nmsgctxt \"rights.a\"\nmsgid \"Short.\"\nmsgstr \"%s\"\n\n"
			"#, fuzzy\nmsgctxt \"help.a\"\nmsgid \"Short.\"\nmsgstr \"%s\"\n",
			th_text, RIGHTS_TH_LONG) < (int)sizeof(po));
	cfx_write(d->trans, "th.po", po, NULL, NULL);
}

static void
test_rights_segments(void **state)
{
	static struct check_report r;
	struct engine_settings s;
	struct content *c;
	struct cfx_dir d;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	cfx_make(&d, "kawan-rights");
	rights_write(&d, RIGHTS_TH_LONG);
	c = cfx_load(&d);
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	assert_false(s.serve_fuzzy); /* the draft is measured even when not served */
	assert_int_equal(check_run(c, &s, at_date("2026-12-06"), &r), 0);
	assert_int_equal(lang_row(&r, "th")->sms_rights_over, 1);
	assert_int_equal(lang_row(&r, "en")->sms_rights_over, 0);
	assert_int_equal(r.errors, 1);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	check_print(c, &s, &r, at_date("2026-12-06"), fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(buf, "menus/home.cfg:3: node rights.a (th, fuzzy draft): a rights "
				    "page takes 6 SMS segments in all (at most 3): error"));
	assert_null(strstr(buf, "node help.a (th, fuzzy draft)"));
	assert_null(strstr(buf, "node rights.a (en"));
	free(buf);
	content_free(c);
	/* the same page, drafted short: no error */
	rights_write(&d, "สั้น");
	c = cfx_load(&d);
	assert_int_equal(check_run(c, &s, at_date("2026-12-06"), &r), 0);
	assert_int_equal(lang_row(&r, "th")->sms_rights_over, 0);
	assert_int_equal(r.errors, 0);
	content_free(c);
	cfx_remove(&d);
}

/* The repository's content through the engine: no page over a channel's
 * hard limit, no node that cannot be rendered. Prints the table. */
static void
test_real_content(void **state)
{
	static struct check_report r;
	const char *s = getenv("KAWAN_SRCDIR");
	struct content_errors errs;
	struct engine_settings es;
	struct content *c;
	char m[512], t[512], probe[600];

	(void)state;
	if (s == NULL || s[0] == '\0')
		s = ".";
	snprintf(m, sizeof(m), "%s/menus", s);
	snprintf(t, sizeof(t), "%s/translations", s);
	snprintf(probe, sizeof(probe), "%s/languages.cfg", m);
	if (access(probe, R_OK) != 0) {
		print_message("skipped: %s does not exist yet\n", probe);
		skip();
	}
	if (content_load(m, t, &c, &errs) != 0)
		fail_msg("the repository's content does not load: see test_content");
	engine_settings_default(&es);
	memcpy(es.country, "MY", 3);
	assert_int_equal(check_run(c, &es, (int64_t)time(NULL), &r), 0);
	check_print(c, &es, &r, (int64_t)time(NULL), stdout);
	assert_int_equal(r.errors, 0);
	content_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_coverage_countries),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_ussd_screens),
		cmocka_unit_test(test_issue9_rules),
		cmocka_unit_test(test_glossary),
		cmocka_unit_test(test_rights_segments),
		cmocka_unit_test(test_real_content),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
