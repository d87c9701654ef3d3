/* test_content.c - content_load on the fixture tree and the real menus/:
 * look-ups, content_tr, keywords, NFC, and one file:line error per rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "content/content.h"
#include "core/log.h"

#include "content_fixture.h"

static struct cfx_dir tree; /* rewritten by load_tree */
static char srcdir[256];

static const char *
src(const char *rel, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s/%s", srcdir, rel);
	return buf;
}

static struct content *
load_good(void)
{
	struct content_errors errs;
	struct content *c = NULL;
	char m[512], t[512];
	char buf[4096];

	if (content_load(src("tests/unit/data/content/good/menus", m, sizeof(m)),
		src("tests/unit/data/content/good/translations", t, sizeof(t)), &c, &errs) != 0) {
		content_errors_format(&errs, buf, sizeof(buf));
		print_error("%s", buf);
		fail();
	}
	assert_non_null(c);
	return c;
}

/* ---- temporary trees ---- */

#define LANGS_OK                                                                                   \
	"languages = (\n"                                                                          \
	"  { code = \"en\"; name = \"English\"; english_name = \"English\"; },\n"                  \
	"  { code = \"ms\"; name = \"Bahasa Melayu\"; english_name = \"Malay\"; }\n"               \
	");\n"
#define UI_OK "ui = {\n  back = \"0 Back\";\n  more = \"98 More\";\n};\n"
#define KW_OK "keywords = (\n  { kind = \"help\"; lang = \"\"; words = [\"HELP\"]; }\n);\n"
#define HOME_OK                                                                                    \
	"nodes = (\n"                                                                              \
	"  { id = \"home\"; type = \"menu\"; title = \"Home\"; children = [\"a\"]; },\n"           \
	"  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"Text A %d\"; }\n"                \
	");\n"

struct tree {
	const char *languages, *ui, *keywords, *home, *contacts, *countries;
	const char *po_name, *po;
};

static int
load_tree(const struct tree *t, struct content **c, struct content_errors *errs)
{
	cfx_empty(tree.menus);
	cfx_empty(tree.trans);
	cfx_write(tree.menus, "languages.cfg", t->languages != NULL ? t->languages : LANGS_OK, NULL,
	    NULL);
	cfx_write(tree.menus, "ui.cfg", t->ui != NULL ? t->ui : UI_OK, NULL, NULL);
	cfx_write(tree.menus, "keywords.cfg", t->keywords != NULL ? t->keywords : KW_OK, NULL,
	    NULL);
	cfx_write(tree.menus, "home.cfg", t->home != NULL ? t->home : HOME_OK, NULL, NULL);
	if (t->contacts != NULL)
		cfx_write(tree.menus, "contacts.cfg", t->contacts, NULL, NULL);
	if (t->countries != NULL)
		cfx_write(tree.menus, "countries.cfg", t->countries, NULL, NULL);
	if (t->po != NULL)
		cfx_write(tree.trans, t->po_name != NULL ? t->po_name : "ms.po", t->po, NULL, NULL);
	return content_load(tree.menus, tree.trans, c, errs);
}

/* The tree must fail with an error at file (a suffix), line, containing what. */
static void
expect_error(const struct tree *t, const char *file, int line, const char *what)
{
	struct content_errors errs;
	struct content *c = (struct content *)&errs;
	char buf[8192];

	assert_int_equal(load_tree(t, &c, &errs), -1);
	assert_null(c);
	for (size_t i = 0; i < errs.n; i++) {
		const struct content_error *e = &errs.e[i];
		size_t fl = strlen(e->file), wl = strlen(file);

		if (fl >= wl && strcmp(e->file + fl - wl, file) == 0 && e->line == line &&
		    strstr(e->msg, what) != NULL)
			return;
	}
	content_errors_format(&errs, buf, sizeof(buf));
	print_error("wanted %s:%d: ...%s...\ngot:\n%s", file, line, what, buf);
	fail();
}

static int
group_setup(void **state)
{
	const char *s = getenv("KAWAN_SRCDIR");

	(void)state;
	log_init("test_content", LOG_LEVEL_ERROR);
	snprintf(srcdir, sizeof(srcdir), "%s", s != NULL && s[0] != '\0' ? s : ".");
	cfx_make(&tree, "kawan-content");
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	cfx_remove(&tree);
	return 0;
}

/* ---- the good tree ---- */

static void
test_load_lookups(void **state)
{
	struct content *c = load_good();
	const struct content_node *n;
	const struct content_contact *ct[8];
	size_t k;

	(void)state;
	assert_int_equal(content_nnodes(c), 7);
	assert_int_equal(content_nlanguages(c), 3);
	assert_string_equal(content_language_at(c, 0)->code, "en");
	assert_string_equal(content_language_at(c, 1)->code, "ms");
	assert_string_equal(content_find_language(c, "th")->english_name, "Thai");
	assert_null(content_find_language(c, "xx"));
	n = content_home(c);
	assert_non_null(n);
	assert_string_equal(n->id, "home");
	assert_int_equal(n->kind, CONTENT_MENU);
	assert_int_equal(n->nchildren, 4);
	assert_string_equal(n->children[1], "help.report");
	assert_non_null(strstr(n->file, "menus/home.cfg"));
	assert_int_equal(n->line, 2);
	n = content_find(c, "rights.wages");
	assert_non_null(n);
	assert_int_equal(n->kind, CONTENT_PAGE);
	assert_string_equal(n->articles, "Art. 13");
	assert_int_equal(content_find(c, "help.report")->action, CONTENT_ACTION_REPORT);
	assert_null(content_find(c, "nope"));
	n = content_find(c, "contacts.embassy");
	assert_int_equal(n->ncontacts, 4);
	k = content_contacts_for(n, "MY", ct, 8);
	assert_int_equal(k, 2); /* my.embassy.id is not verified */
	assert_string_equal(ct[0]->id, "my.embassy.ph");
	assert_string_equal(ct[1]->id, "my.hotline");
	assert_int_equal(content_contacts_for(n, "TH", ct, 8), 1);
	assert_int_equal(content_ncontacts(c), 4);
	assert_int_equal(content_contact_at(c, 0)->line, 2);
	assert_int_equal(content_nui(c), 4);
	assert_string_equal(content_ui_key_at(c, 0), "back");
	assert_true(content_bytes(c) > 1000);
	content_free(c);
}

static void
test_tr(void **state)
{
	struct content *c = load_good();

	(void)state;
	assert_string_equal(content_ui(c, "ms", "back", false), "0 Kembali");
	assert_string_equal(content_ui(c, "en", "back", false), "0 Back");
	assert_string_equal(content_ui(c, "ms", "more", false), "98 More"); /* fuzzy */
	assert_string_equal(content_ui(c, "ms", "more", true), "98 Lagi");
	assert_string_equal(content_ui(c, "th", "back", false), "0 Back"); /* missing */
	assert_string_equal(content_ui(c, "ms", "no_such_key", false), "no_such_key");
	assert_string_equal(content_tr(c, "ms", "home", "Kawan helpline", false), "Talian Kawan");
	assert_string_equal(content_tr(c, "ms", "home", "Choose:", true),
	    "Choose:"); /* msgstr "" */
	assert_string_equal(content_tr(c, "th", "home", "Kawan helpline", false), "สายด่วนกาวัน");
	assert_string_equal(content_tr(c, "xx", "home", "Kawan helpline", false), "Kawan helpline");
	assert_string_equal(content_tr(c, "", "home", "Kawan helpline", false), "Kawan helpline");
	assert_string_equal(content_tr(c, "ms", "rights.wages", "Wages", false), "Wages");
	assert_string_equal(content_tr(c, "ms", "rights.wages", "Wages", true), "Gaji");
	assert_int_equal(content_tr_state(c, "ms", "rights.wages", "Wages"), CONTENT_TR_FUZZY);
	assert_int_equal(content_tr_state(c, "ms", "home", "Choose:"), CONTENT_TR_MISSING);
	assert_int_equal(content_tr_state(c, "ms", "home", "Kawan helpline"), CONTENT_TR_DONE);
	content_free(c);
}

static void
test_tr_speed(void **state)
{
	struct content *c = load_good();
	struct timespec t0, t1;
	size_t hits = 0, n = 2000000;
	double s;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < n; i++) {
		const char *r = (i & 1) != 0 ?
				    content_tr(c, "ms", "home", "Kawan helpline", false) :
				    content_ui(c, "ms", "back", false);

		hits += r[0] != 'K';
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(hits, n);
	print_message("content_tr: %.1f million calls/s; fixture holds %zu bytes\n",
	    (double)n / s / 1e6, content_bytes(c));
	content_free(c);
}

static void
test_keywords(void **state)
{
	struct content *c = load_good();
	const char *lang, *rest;
	const char *s;

	(void)state;
	assert_int_equal(content_keyword(c, "help", &lang, &rest), CONTENT_KW_HELP);
	assert_string_equal(lang, "");
	assert_int_equal(content_keyword(c, "  Sos \r\n", NULL, NULL), CONTENT_KW_HELP);
	assert_int_equal(content_keyword(c, "hlep", NULL, NULL),
	    CONTENT_KW_HELP); /* misspelling list */
	assert_int_equal(content_keyword(c, "  Tolong   saya ", &lang, NULL), CONTENT_KW_HELP);
	assert_string_equal(lang, "ms");
	assert_int_equal(content_keyword(c, "ช่วยด้วย", &lang, NULL), CONTENT_KW_HELP);
	assert_string_equal(lang, "th");
	assert_int_equal(content_keyword(c, "Berhenti", &lang, NULL), CONTENT_KW_STOP);
	assert_string_equal(lang, "ms");
	assert_int_equal(content_keyword(c, "menu", &lang, NULL), CONTENT_KW_MENU);
	assert_int_equal(content_keyword(c, "bahasa", NULL, NULL), CONTENT_KW_LANG);
	s = "status K7Q2";
	assert_int_equal(content_keyword(c, s, NULL, &rest), CONTENT_KW_STATUS);
	assert_ptr_equal(rest, s + 7);
	s = " Cek   Status\tAB12";
	assert_int_equal(content_keyword(c, s, NULL, &rest), CONTENT_KW_STATUS);
	assert_string_equal(rest, "AB12");
	assert_int_equal(content_keyword(c, "STATUS", NULL, &rest), CONTENT_KW_STATUS);
	assert_string_equal(rest, "");
	assert_int_equal(content_keyword(c, "HELP me", NULL, NULL), CONTENT_KW_NONE);
	assert_int_equal(content_keyword(c, "HELPX", NULL, NULL), CONTENT_KW_NONE);
	assert_int_equal(content_keyword(c, "", NULL, NULL), CONTENT_KW_NONE);
	assert_int_equal(content_keyword(c, "   ", NULL, NULL), CONTENT_KW_NONE);
	assert_int_equal(content_keyword(c, "1", NULL, NULL), CONTENT_KW_NONE);
	assert_int_equal(content_keyword(c, "HE\xff\xfeLP", NULL, NULL), CONTENT_KW_NONE);
	assert_int_equal(content_keyword(c, NULL, NULL, NULL), CONTENT_KW_NONE);
	{
		char big[4096];

		memset(big, 'A', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		assert_int_equal(content_keyword(c, big, NULL, NULL), CONTENT_KW_NONE);
		memcpy(big, "STATUS ", 7);
		big[300] = '\0';
		assert_int_equal(content_keyword(c, big, NULL, NULL), CONTENT_KW_NONE);
	}
	content_free(c);
}

static void
test_nfc(void **state)
{
	struct content *c = load_good();
	const struct content_node *n = content_find(c, "rights.vn");

	(void)state;
	/* home.cfg holds these decomposed (NFD); the snapshot holds NFC */
	assert_string_equal(n->title, "Ti\xe1\xba\xbfng Vi\xe1\xbb\x87t");
	assert_string_equal(n->text, "Quy\xe1\xbb\x81n c\xe1\xbb\xa7"
				     "a ng\xc6\xb0\xe1\xbb\x9di lao \xc4\x91\xe1\xbb\x99ng");
	content_free(c);
}

static void
test_reload_keeps_snapshot(void **state)
{
	struct content *good = load_good();
	struct content_errors errs;
	struct content *bad = good;
	struct tree t = { .home = "nodes = ( { id = \"home\"; type = \"menu\"; } );\n" };

	(void)state;
	assert_int_equal(load_tree(&t, &bad, &errs), -1);
	assert_null(bad);
	assert_true(errs.total > 0);
	assert_string_equal(content_find(good, "rights.wages")->title, "Wages");
	assert_string_equal(content_ui(good, "ms", "back", false), "0 Kembali");
	content_free(good);
}

/* ---- one error per rule, with its line ---- */

static void
test_ok_tree(void **state)
{
	struct tree t = { .po = "msgctxt \"a\"\nmsgid \"Text A %d\"\nmsgstr \"Teks A %d\"\n" };
	struct content_errors errs;
	struct content *c;

	(void)state;
	assert_int_equal(load_tree(&t, &c, &errs), 0);
	assert_string_equal(content_tr(c, "ms", "a", "Text A %d", false), "Teks A %d");
	content_free(c);
}

static void
test_errors_menus(void **state)
{
	struct tree t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.home = "nodes = (\n  { id = \"home\"; type = ; }\n);\n";
	expect_error(&t, "menus/home.cfg", 2, "syntax error");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"a\"];\n"
	    "    colour = \"red\"; },\n  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"T\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 3, "unknown key 'colour'");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = 5; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"T\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 2, "'title' of node 'home' must be a string");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"T\"; },\n"
	    "  { id = \"a\"; type = \"page\"; title = \"A2\"; text = \"T2\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 4, "duplicate id 'a' (first defined at");
	expect_error(&t, "menus/home.cfg", 4, "home.cfg:3)");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"a\"]; },\n"
	    "  { id = \"Bad Id\"; type = \"page\"; title = \"A\"; text = \"T\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 3, "bad id 'Bad Id'");
	t.home = "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 2, "menu 'home' has no children");
	t.home = "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\";\n"
		 "    children = [\"a\", \"nope\"]; },\n"
		 "  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"T\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 3, "child 'nope' is not a node id");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"page\"; title = \"A\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 3, "page 'a' has no text");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"rights.x\"]; },\n"
	    "  { id = \"rights.x\"; type = \"page\"; title = \"A\"; text = \"T\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 3, "rights page 'rights.x' has no articles");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"action\"; title = \"A\";\n    action = \"dance\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 4, "unknown action 'dance'");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"dialog\"; title = \"A\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 3, "unknown type 'dialog'");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"T\"; },\n"
	    "  { id = \"orphan\"; type = \"page\"; title = \"O\"; text = \"T\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 4, "node 'orphan' is not reachable from 'home'");
	t.home =
	    "nodes = (\n  { id = \"start\"; type = \"menu\"; title = \"H\"; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"T\"; }\n);\n";
	expect_error(&t, "menus", 0, "no node 'home'");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"page\"; title = \"A\";\n    text = \"bad \xff\xfe here\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 4, "not valid UTF-8");
	t.home =
	    "nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"a\"]; },\n"
	    "  { id = \"a\"; type = \"page\"; title = \"A\"; text = \"T\"; }\n);\nnodez = ();\n";
	expect_error(&t, "menus/home.cfg", 5, "unknown key 'nodez'");
}

#define HOME_C                                                                                     \
	"nodes = (\n  { id = \"home\"; type = \"menu\"; title = \"H\"; children = [\"c\"]; },\n"   \
	"  { id = \"c\"; type = \"contacts\"; title = \"C\"; contacts = [\"x\"]; }\n);\n"

static void
test_errors_contacts(void **state)
{
	struct tree t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.home = HOME_C;
	t.contacts = "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"1\";"
		     " verified = \"\"; }\n);\n";
	{
		struct content_errors errs;
		struct content *c;

		assert_int_equal(load_tree(&t, &c, &errs), 0);
		content_free(c);
	}
	t.contacts =
	    "contacts = (\n  { id = \"y\"; country = \"MY\"; name = \"X\"; number = \"1\"; }\n);\n";
	expect_error(&t, "menus/home.cfg", 3, "'x' is not a contact id");
	t.contacts =
	    "contacts = (\n  { id = \"x\";\n    country = \"my\"; name = \"X\"; number = \"1\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "bad country 'my'");
	t.contacts =
	    "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"1\";\n"
	    "    verified = \"2023-02-30\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "bad verified date '2023-02-30'");
	t.contacts =
	    "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"1\";\n"
	    "    verified = \"15/01/2024\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "bad verified date");
	t.contacts =
	    "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"\";\n"
	    "    verified = \"2024-02-29\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "verified but its number is empty");
	t.contacts =
	    "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"1\"; },\n"
	    "  { id = \"x\"; country = \"TH\"; name = \"Y\"; number = \"2\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "duplicate contact id 'x'");
	t.contacts =
	    "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"1\";\n"
	    "    phone = \"2\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "unknown key 'phone'");
	/* issue 9: how a contact was verified, and its source's own date */
	t.contacts =
	    "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"1\";\n"
	    "    verified = \"2026-11-28\"; how = \"phoned\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "bad how 'phoned'");
	t.contacts =
	    "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"1\";\n"
	    "    source_date = \"2020-13\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "bad source_date '2020-13'");
	t.contacts =
	    "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"1\";\n"
	    "    source_date = \"May 2020\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "bad source_date");
	t.contacts = "contacts = (\n  { id = \"x\"; country = \"MY\"; name = \"X\"; number = \"1\";"
		     " hours = \"24h\"; source = \"s\"; source_date = \"2020-02\";\n"
		     "    verified = \"2026-11-28\"; how = \"call-tested\"; }\n);\n";
	{
		struct content_errors errs;
		struct content *c;
		const struct content_contact *ct;

		assert_int_equal(load_tree(&t, &c, &errs), 0);
		ct = content_contact_at(c, 0);
		assert_string_equal(ct->how, "call-tested");
		assert_string_equal(ct->source_date, "2020-02");
		content_free(c);
	}
	assert_int_equal(content_date_days_loose("2020-02"), content_date_days("2020-02-29"));
	assert_int_equal(content_date_days_loose("2021"), content_date_days("2021-12-31"));
	assert_int_equal(content_date_days_loose("2021-11-30"), content_date_days("2021-11-30"));
	assert_int_equal(content_date_days_loose("21"), -1);
	assert_int_equal(content_date_days_loose("2021-00"), -1);
}

/* Issue 9: a word two languages list picks neither; help words inside a
 * message; whole words only in Latin scripts. */
static void
test_keywords_shared_within(void **state)
{
	struct tree t;
	struct content_errors errs;
	struct content *c;
	const char *lang;
	bool shared;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.languages =
	    "languages = (\n  { code = \"en\"; name = \"English\"; english_name = \"English\"; },\n"
	    "  { code = \"ms\"; name = \"Melayu\"; english_name = \"Malay\"; },\n"
	    "  { code = \"id\"; name = \"Indonesia\"; english_name = \"Indonesian\"; },\n"
	    "  { code = \"th\"; name = \"Thai\"; english_name = \"Thai\"; }\n);\n";
	t.keywords =
	    "keywords = (\n  { kind = \"help\"; lang = \"\"; words = [\"HELP\", \"SOS\"]; },\n"
	    "  { kind = \"help\"; lang = \"ms\"; words = [\"TOLONG\", \"TOLONG SAYA\"]; },\n"
	    "  { kind = \"help\"; lang = \"id\"; words = [\"TOLONG\", \"TOLONGIN\"]; },\n"
	    "  { kind = \"help\"; lang = \"th\"; words = [\"ช่วย\"]; }\n);\n";
	assert_int_equal(load_tree(&t, &c, &errs), 0);
	assert_int_equal(content_keyword_ex(c, "tolong", &lang, NULL, &shared), CONTENT_KW_HELP);
	assert_string_equal(lang, "");
	assert_true(shared);
	assert_int_equal(content_keyword(c, "TOLONG", &lang, NULL), CONTENT_KW_HELP);
	assert_string_equal(lang, ""); /* picks no language */
	assert_int_equal(content_keyword_ex(c, "tolong saya", &lang, NULL, &shared),
	    CONTENT_KW_HELP);
	assert_string_equal(lang, "ms");
	assert_false(shared);
	assert_int_equal(content_keyword_ex(c, "help", &lang, NULL, &shared), CONTENT_KW_HELP);
	assert_false(shared);
	assert_true(content_help_within(c, "Tolong saya, majikan kunci pintu", &lang, &shared));
	assert_string_equal(lang, "ms"); /* the longest: TOLONG SAYA */
	assert_true(content_help_within(c, "pls tolong", &lang, &shared));
	assert_string_equal(lang, "");
	assert_true(shared);
	assert_true(content_help_within(c, "help me please", &lang, NULL));
	assert_string_equal(lang, "");
	assert_true(content_help_within(c, "ช่วยด้วยครับ", &lang, NULL));
	assert_string_equal(lang, "th");
	assert_false(content_help_within(c, "very helpful, sosial", NULL, NULL));
	assert_false(content_help_within(c, "hello", NULL, NULL));
	assert_false(content_help_within(c, "", NULL, NULL));
	assert_false(content_help_within(c, "HE\xff", NULL, NULL));
	content_free(c);
}

static void
test_errors_languages_keywords(void **state)
{
	struct tree t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.languages =
	    "languages = (\n  { code = \"ms\"; name = \"Melayu\"; english_name = \"Malay\"; }\n);\n";
	expect_error(&t, "menus", 0, "no language \"en\"");
	t.languages = LANGS_OK;
	t.keywords = "keywords = (\n  { kind = \"help\"; lang = \"\"; words = [\"HELP\"]; },\n"
		     "  { kind = \"dance\"; lang = \"\"; words = [\"X\"]; }\n);\n";
	expect_error(&t, "menus/keywords.cfg", 3, "unknown kind 'dance'");
	t.keywords =
	    "keywords = (\n  { kind = \"help\"; lang = \"xx\";\n    words = [\"HELP\"]; }\n);\n";
	expect_error(&t, "menus/keywords.cfg", 3, "unknown language 'xx'");
	t.keywords = "keywords = (\n  { kind = \"help\"; lang = \"\"; words = [\"HELP\"]; },\n"
		     "  { kind = \"stop\"; lang = \"\"; words = [\"help\"]; }\n);\n";
	expect_error(&t, "menus/keywords.cfg", 3, "keyword 'help' is both");
	t.keywords = KW_OK;
	t.ui = "ui = {\n  back = \"0 Back\";\n  more = \"\";\n};\n";
	expect_error(&t, "menus/ui.cfg", 3, "is empty");
}

#define COUNTRIES_OK                                                                               \
	"countries = (\n"                                                                          \
	"  { code = \"MM\"; name = \"Myanmar\"; choice = true; },\n"                               \
	"  { code = \"KH\"; name = \"Cambodia\"; choice = true; },\n"                              \
	"  { code = \"MY\"; name = \"Malaysia\"; }\n"                                              \
	");\n"
#define LANGS_NAT                                                                                  \
	"languages = (\n"                                                                          \
	"  { code = \"en\"; name = \"English\"; english_name = \"English\"; },\n"                  \
	"  { code = \"ms\"; name = \"Bahasa Melayu\"; english_name = \"Malay\"; },\n"              \
	"  { code = \"my\"; name = \"Myanmar\"; english_name = \"Burmese\";\n"                     \
	"    nationality = \"MM\"; }\n"                                                            \
	");\n"

/* countries.cfg: the look-ups, the nationality a language implies, and one
 * file:line error per rule. */
static void
test_countries(void **state)
{
	struct content_errors errs;
	struct content *c;
	struct tree t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.languages = LANGS_NAT;
	t.countries = COUNTRIES_OK;
	t.po = "msgctxt \"country.KH\"\nmsgid \"Cambodia\"\nmsgstr \"Kemboja\"\n\n"
	       "#, fuzzy\nmsgctxt \"country.MM\"\nmsgid \"Myanmar\"\nmsgstr \"Myanmar (draf)\"\n";
	assert_int_equal(load_tree(&t, &c, &errs), 0);
	assert_int_equal(content_ncountries(c), 3);
	assert_string_equal(content_country_at(c, 2)->code, "MY");
	assert_string_equal(content_find_country(c, "KH")->name, "Cambodia");
	assert_string_equal(content_find_country(c, "KH")->ctxt, "country.KH");
	assert_null(content_find_country(c, "TH"));
	assert_null(content_find_country(c, NULL));
	/* The choices, in file order; a label is translated like any string. */
	assert_int_equal(content_nchoices(c), 2);
	assert_string_equal(content_choice_at(c, 0)->code, "MM");
	assert_string_equal(content_choice_at(c, 1)->code, "KH");
	assert_null(content_choice_at(c, 2));
	assert_false(content_find_country(c, "MY")->choice);
	assert_string_equal(content_tr(c, "ms", "country.KH", "Cambodia", false), "Kemboja");
	assert_string_equal(content_tr(c, "ms", "country.MM", "Myanmar", false), "Myanmar");
	assert_string_equal(content_tr(c, "ms", "country.MM", "Myanmar", true), "Myanmar (draf)");
	/* The nationality a language implies; a script variant is its base's. */
	assert_string_equal(content_language_nationality(c, "my"), "MM");
	assert_string_equal(content_language_nationality(c, "my-zawgyi"), "MM");
	assert_string_equal(content_language_nationality(c, "my_zawgyi"), "MM");
	assert_string_equal(content_language_nationality(c, "mya"), "");
	assert_string_equal(content_language_nationality(c, "ms"), "");
	assert_string_equal(content_language_nationality(c, "en"), "");
	assert_string_equal(content_language_nationality(c, "xx"), "");
	assert_string_equal(content_language_nationality(c, NULL), "");
	assert_string_equal(content_language_nationality(NULL, "my"), "");
	content_free(c);
	t.po = NULL;

	/* Malformed and unknown codes. */
	t.countries = "countries = (\n  { code = \"MM\"; name = \"Myanmar\"; },\n"
		      "  { code = \"kh\"; name = \"Cambodia\"; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 3, "bad country code 'kh'");
	t.countries = "countries = (\n  { code = \"MM\"; name = \"Myanmar\"; },\n"
		      "  { code = \"MMR\"; name = \"Myanmar\"; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 3, "bad country code 'MMR'");
	t.countries = "countries = (\n  { code = \"MM\"; name = \"Myanmar\"; },\n"
		      "  { code = \"UK\"; name = \"United Kingdom\"; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 3, "unknown country code 'UK'");
	t.countries = "countries = (\n  { code = \"MM\"; name = \"Myanmar\"; },\n"
		      "  { code = 12; name = \"Twelve\"; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 3, "'code' of country 2 must be a string");
	/* A language whose nationality is not in the countries file: at its line. */
	t.countries = "countries = (\n  { code = \"KH\"; name = \"Cambodia\"; }\n);\n";
	expect_error(&t, "menus/languages.cfg", 5,
	    "language 'my': nationality 'MM' is not in countries.cfg");
	t.countries = NULL;
	expect_error(&t, "menus/languages.cfg", 5,
	    "language 'my': nationality 'MM' is not in countries.cfg");
	/* still its own line when "en" is moved to the front */
	t.languages = "languages = (\n"
		      "  { code = \"ms\"; name = \"Bahasa Melayu\"; english_name = \"Malay\"; },\n"
		      "  { code = \"my\"; name = \"Myanmar\"; english_name = \"Burmese\";\n"
		      "    nationality = \"MM\"; },\n"
		      "  { code = \"en\"; name = \"English\"; english_name = \"English\"; }\n);\n";
	expect_error(&t, "menus/languages.cfg", 4,
	    "language 'my': nationality 'MM' is not in countries.cfg");
	t.languages = LANGS_NAT;
	/* A duplicate code: the second, naming the first. */
	t.countries = "countries = (\n  { code = \"MM\"; name = \"Myanmar\"; },\n"
		      "  { code = \"KH\"; name = \"Cambodia\"; },\n"
		      "  { code = \"MM\"; name = \"Burma\"; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 4, "duplicate country 'MM' (first at");
	expect_error(&t, "menus/countries.cfg", 4, "countries.cfg:2)");
	/* A nationality choice without a name (missing or empty); any entry without one. */
	t.countries = "countries = (\n  { code = \"MM\"; name = \"Myanmar\"; },\n"
		      "  { code = \"KH\"; choice = true; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 3,
	    "country 'KH' is a nationality choice without a name");
	t.countries = "countries = (\n  { code = \"MM\"; name = \"Myanmar\"; },\n"
		      "  { code = \"KH\"; choice = true;\n    name = \"\"; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 4,
	    "country 'KH' is a nationality choice without a name");
	t.countries = "countries = (\n  { code = \"MM\"; name = \"Myanmar\"; },\n"
		      "  { code = \"KH\"; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 3, "country 'KH' has no name");
	/* Shape: unknown keys, choice not a boolean, not a list. */
	t.countries =
	    "countries = (\n  { code = \"MM\"; name = \"Myanmar\";\n    capital = \"Naypyidaw\"; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 3, "unknown key 'capital'");
	t.countries =
	    "countries = (\n  { code = \"MM\"; name = \"Myanmar\";\n    choice = \"yes\"; }\n);\n";
	expect_error(&t, "menus/countries.cfg", 3,
	    "'choice' of country 'MM' must be true or false");
	t.countries = "countries = { MM = \"Myanmar\"; };\n";
	expect_error(&t, "menus/countries.cfg", 1, "'countries' must be a list");
	t.countries = "nations = ( );\n";
	expect_error(&t, "menus/countries.cfg", 1, "unknown key 'nations'");
	/* A translation of a country that is not there, or of another name. */
	t.countries = COUNTRIES_OK;
	t.po = "msgctxt \"country.TH\"\nmsgid \"Thailand\"\nmsgstr \"Thailand\"\n";
	expect_error(&t, "translations/ms.po", 1, "no country 'TH' in countries.cfg");
	t.po = "msgctxt \"country.MM\"\nmsgid \"Burma\"\nmsgstr \"Burma\"\n";
	expect_error(&t, "translations/ms.po", 1, "stale: msgid is not the name of country MM");
}

/* Issue 9: an `abroad` contact (a sending country's own line) is served in
 * every deployment's country; its name is translated under msgctxt
 * contact.<id>, served when reviewed, English while fuzzy; a stale or
 * unknown contact entry is refused; abroad must be a boolean. */
#define ABROAD_HOME                                                                                   \
	"nodes = (\n"                                                                                 \
	"  { id = \"home\"; type = \"menu\"; title = \"Home\"; children = [\"c\"]; },\n"              \
	"  { id = \"c\"; type = \"contacts\"; title = \"C\"; contacts = [\"my.x\", \"ph.home\"]; }\n" \
	");\n"
#define ABROAD_CONTACTS                                                                                \
	"contacts = (\n"                                                                               \
	"  { id = \"my.x\"; country = \"MY\"; name = \"Police\"; number = \"999\"; hours = \"24h\";\n" \
	"    source = \"s\"; verified = \"2026-12-06\"; how = \"published\"; },\n"                     \
	"  { id = \"ph.home\"; country = \"PH\"; abroad = true; name = \"Home hotline\";\n"            \
	"    number = \"+63 2 1348\"; hours = \"24h\"; source = \"s\"; verified = \"2026-12-06\";\n"   \
	"    how = \"published\"; }\n"                                                                 \
	");\n"

static void
test_contacts_abroad_and_names(void **state)
{
	struct tree t;
	struct content_errors errs;
	struct content *c;
	const struct content_node *n;
	const struct content_contact *ct[4];

	(void)state;
	memset(&t, 0, sizeof(t));
	t.home = ABROAD_HOME;
	t.contacts = ABROAD_CONTACTS;
	t.po = "msgctxt \"contact.my.x\"\nmsgid \"Police\"\nmsgstr \"Polis\"\n\n"
	       "#, fuzzy\nmsgctxt \"contact.ph.home\"\nmsgid \"Home hotline\"\n"
	       "msgstr \"Talian negara asal\"\n";
	assert_int_equal(load_tree(&t, &c, &errs), 0);
	n = content_find(c, "c");
	/* in Malaysia: its own line and the abroad one */
	assert_int_equal(content_contacts_for(n, "MY", ct, 4), 2);
	assert_string_equal(ct[1]->id, "ph.home");
	/* in Thailand and Brunei: only the abroad one */
	assert_int_equal(content_contacts_for(n, "TH", ct, 4), 1);
	assert_string_equal(ct[0]->id, "ph.home");
	assert_int_equal(content_contacts_for(n, "BN", ct, 4), 1);
	assert_true(ct[0]->abroad);
	assert_false(content_find_contact(c, "my.x")->abroad);
	assert_string_equal(content_find_contact(c, "my.x")->ctxt, "contact.my.x");
	assert_null(content_find_contact(c, "nope"));
	/* names: reviewed shown, fuzzy English unless drafts are served */
	assert_string_equal(content_tr(c, "ms", "contact.my.x", "Police", false), "Polis");
	assert_string_equal(content_tr(c, "ms", "contact.ph.home", "Home hotline", false),
	    "Home hotline");
	assert_string_equal(content_tr(c, "ms", "contact.ph.home", "Home hotline", true),
	    "Talian negara asal");
	assert_string_equal(content_tr(c, "th", "contact.my.x", "Police", false), "Police");
	content_free(c);
	t.po = "msgctxt \"contact.my.x\"\nmsgid \"Cops\"\nmsgstr \"Polis\"\n";
	expect_error(&t, "translations/ms.po", 1, "stale: msgid is not the name of contact my.x");
	t.po = "msgctxt \"contact.my.y\"\nmsgid \"Police\"\nmsgstr \"Polis\"\n";
	expect_error(&t, "translations/ms.po", 1, "no contact 'my.y'");
	t.po = NULL;
	t.contacts =
	    "contacts = (\n  { id = \"my.x\"; country = \"MY\"; name = \"X\"; number = \"1\";\n"
	    "    abroad = \"yes\"; }\n);\n";
	expect_error(&t, "menus/contacts.cfg", 3, "abroad must be true or false");
}

static void
test_errors_po(void **state)
{
	struct tree t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.po = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	       "msgctxt \"a\"\nmsgid \"Text A\nmsgstr \"x\"\n";
	expect_error(&t, "translations/ms.po", 7, "end-of-line within string");
	t.po = "msgctxt \"ui.back\"\nmsgid \"0 Back\"\nmsgstr \"0 Kembali\"\n\n"
	       "msgctxt \"a\"\nmsgid \"Old text A\"\nmsgstr \"Teks lama\"\n";
	expect_error(&t, "translations/ms.po", 5,
	    "stale: msgid is neither the title nor the text of node 'a'");
	t.po = "\n#, fuzzy\nmsgctxt \"nope\"\nmsgid \"A\"\nmsgstr \"B\"\n";
	expect_error(&t, "translations/ms.po", 3, "msgctxt 'nope' is no node id");
	t.po = "msgctxt \"ui.back\"\nmsgid \"0 Back\"\nmsgstr \"Kembali (0)\"\n";
	expect_error(&t, "translations/ms.po", 1,
	    "translation starts with \"\", English with \"0\"");
	t.po = "msgctxt \"ui.more\"\nmsgid \"98 More\"\nmsgstr \"99 Lagi\"\n";
	expect_error(&t, "translations/ms.po", 1, "translation starts with \"99\"");
	t.po = "msgctxt \"a\"\nmsgid \"Text A %d\"\nmsgstr \"Teks A %s\"\n";
	expect_error(&t, "translations/ms.po", 1, "%-markers differ");
	t.po = "msgctxt \"a\"\nmsgid \"Text A %d\"\nmsgstr \"Teks A\"\n";
	expect_error(&t, "translations/ms.po", 1, "%-markers differ");
	t.po = "msgctxt \"ui.nokey\"\nmsgid \"x\"\nmsgstr \"y\"\n";
	expect_error(&t, "translations/ms.po", 1, "no ui key 'nokey'");
	t.po = "msgctxt \"ui.back\"\nmsgid \"Back\"\nmsgstr \"Kembali\"\n";
	expect_error(&t, "translations/ms.po", 1, "stale: msgid is not the English of ui.back");
	t.po_name = "xx.po";
	t.po = "msgctxt \"a\"\nmsgid \"Text A %d\"\nmsgstr \"Teks A %d\"\n";
	expect_error(&t, "translations/xx.po", 0, "not in languages.cfg");
	t.po_name = "ms.po";
	t.po = "msgctxt \"a\"\nmsgid \"Text A %d\"\nmsgstr \"Teks \xc3\x28 A %d\"\n";
	expect_error(&t, "translations/ms.po", 3, "not valid UTF-8");
	/* obsolete entries are ignored, the header is skipped */
	t.po = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	       "#~ msgctxt \"gone\"\n#~ msgid \"Gone\"\n#~ msgstr \"Hilang\"\n";
	{
		struct content_errors errs;
		struct content *c;
		char buf[2048];

		if (load_tree(&t, &c, &errs) != 0) {
			content_errors_format(&errs, buf, sizeof(buf));
			print_error("%s", buf);
			fail();
		}
		content_free(c);
	}
}

/* The repository's own content must load with zero errors. */
/* The translations folder takes at most 64 catalogs: the 64th is read,
 * a 65th is an error that names the folder (the menus folder's rule too,
 * through the same listing), not a catalog silently left out. */
static void
test_po_folder_limit(void **state)
{
	struct content_errors errs;
	struct content *c;
	char langs[8192], name[16];
	size_t used;

	(void)state;
	cfx_empty(tree.menus);
	cfx_empty(tree.trans);
	used = (size_t)snprintf(langs, sizeof(langs),
	    "languages = (\n"
	    "  { code = \"en\"; name = \"English\"; english_name = \"English\"; }");
	for (int i = 0; i < 65; i++) {
		used += (size_t)snprintf(langs + used, sizeof(langs) - used,
		    ",\n  { code = \"l%02d\"; name = \"L%02d\"; english_name = \"L%02d\"; }", i, i,
		    i);
		assert_true(used < sizeof(langs));
	}
	cfx_write(tree.menus, "languages.cfg", langs, ");\n", NULL);
	cfx_write(tree.menus, "ui.cfg", UI_OK, NULL, NULL);
	cfx_write(tree.menus, "keywords.cfg", KW_OK, NULL, NULL);
	cfx_write(tree.menus, "home.cfg", HOME_OK, NULL, NULL);
	for (int i = 0; i < 64; i++) {
		snprintf(name, sizeof(name), "l%02d.po", i);
		cfx_write(tree.trans, name,
		    "msgctxt \"a\"\nmsgid \"Text A %d\"\nmsgstr \"Teks A %d\"\n", NULL, NULL);
	}
	assert_int_equal(content_load(tree.menus, tree.trans, &c, &errs), 0);
	assert_string_equal(content_tr(c, "l63", "a", "Text A %d", false), "Teks A %d");
	content_free(c);

	cfx_write(tree.trans, "l64.po",
	    "msgctxt \"a\"\nmsgid \"Text A %d\"\nmsgstr \"Teks A %d\"\n", NULL, NULL);
	assert_int_equal(content_load(tree.menus, tree.trans, &c, &errs), -1);
	assert_null(c);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.e[0].line, 0);
	assert_non_null(strstr(errs.e[0].file, "translations"));
	assert_string_equal(errs.e[0].msg, "more than 64 .po files");
}

static void
test_real_content(void **state)
{
	struct content_errors errs;
	struct content *c;
	char m[512], t[512], probe[600];
	static char buf[CONTENT_ERRORS_MAX * 600];

	(void)state;
	src("menus", m, sizeof(m));
	src("translations", t, sizeof(t));
	snprintf(probe, sizeof(probe), "%s/languages.cfg", m);
	if (access(probe, R_OK) != 0) {
		print_message("skipped: %s does not exist yet\n", probe);
		skip();
	}
	if (content_load(m, t, &c, &errs) != 0) {
		content_errors_format(&errs, buf, sizeof(buf));
		print_error("the repository's content does not load (%zu errors):\n%s", errs.total,
		    buf);
		fail();
	}
	print_message("real content: %zu nodes, %zu languages, %zu bytes held\n", content_nnodes(c),
	    content_nlanguages(c), content_bytes(c));
	{
		/* The nationality each language implies (it was a table in reports.c). */
		static const char *const pairs[][2] = {
			{ "km", "KH" },
			{ "my", "MM" },
			{ "id", "ID" },
			{ "fil", "PH" },
			{ "lo", "LA" },
			{ "vi", "VN" },
			{ "tet", "TL" },
			{ "en", "" },
			{ "ms", "" },
			{ "th", "" },
			{ "zh", "" },
			{ "ta", "" },
			{ "idx", "" },
			{ "my-zawgyi", "MM" },
		};

		for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
			assert_string_equal(content_language_nationality(c, pairs[i][0]),
			    pairs[i][1]);
		/* The officers' alert names every nationality a report can carry. */
		assert_string_equal(content_find_country(c, "MM")->name, "Myanmar");
		assert_string_equal(content_find_country(c, "VN")->name, "Viet Nam");
		assert_int_equal(content_nchoices(c), 7);
		assert_string_equal(content_choice_at(c, 0)->code, "ID");
		assert_string_equal(content_choice_at(c, 6)->code, "TL");
	}
	content_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_lookups),
		cmocka_unit_test(test_tr),
		cmocka_unit_test(test_tr_speed),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_keywords_shared_within),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_reload_keeps_snapshot),
		cmocka_unit_test(test_ok_tree),
		cmocka_unit_test(test_errors_menus),
		cmocka_unit_test(test_errors_contacts),
		cmocka_unit_test(test_errors_languages_keywords),
		cmocka_unit_test(test_errors_po),
		cmocka_unit_test(test_contacts_abroad_and_names),
		cmocka_unit_test(test_po_folder_limit),
		cmocka_unit_test(test_countries),
		cmocka_unit_test(test_real_content),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
