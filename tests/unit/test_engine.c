/* test_engine.c - the session engine on a small content tree written to a
 * temp dir (English, Khmer, Thai, Burmese): language list, navigation,
 * more/back/home, hints, timeouts, reload, keywords, discreet, Zawgyi, every
 * node of every language on both channels within budget, a 20000-input
 * fuzz loop, and every node of the real menus/ and translations/. */
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

#include "content/content.h"
#include "session/engine.h"

#include "content_fixture.h"

static const char *fx_languages =
    "languages = (\n"
    "  { code = \"en\"; name = \"English\"; english_name = \"English\"; },\n"
    "  { code = \"km\"; name = \"ភាសាខ្មែរ\"; english_name = \"Khmer\"; },\n"
    "  { code = \"th\"; name = \"ภาษาไทย\"; english_name = \"Thai\"; },\n"
    "  { code = \"my\"; name = \"မြန်မာဘာသာ\"; english_name = \"Burmese\"; zawgyi = true; }\n"
    ");\n";

static const char *fx_ui =
    "ui = {\n"
    "  back = \"0 Back\"; home = \"00 Home\"; more = \"98 More\";\n"
    "  invalid = \"Please reply with a number from the list.\";\n"
    "  choose_language = \"Kawan helpline. Choose your language:\";\n"
    "  language_set = \"Language set: English.\";\n"
    "  contacts_none = \"No checked numbers for this country yet.\";\n"
    "  discreet_on = \"Discreet mode on.\"; discreet_off = \"Discreet mode off.\";\n"
    "  stopped = \"Kawan will not message you again. Send MENU to start again.\";\n"
    "  articles = \"Declaration articles:\";\n"
    "};\n";

static const char *fx_keywords =
    "keywords = (\n"
    "  { kind = \"help\"; lang = \"\"; words = [\"HELP\", \"SOS\"]; },\n"
    "  { kind = \"help\"; lang = \"km\"; words = [\"ជួយ\"]; },\n"
    "  { kind = \"menu\"; lang = \"\"; words = [\"MENU\"]; },\n"
    "  { kind = \"lang\"; lang = \"\"; words = [\"LANG\"]; },\n"
    "  { kind = \"stop\"; lang = \"\"; words = [\"STOP\"]; },\n"
    "  { kind = \"status\"; lang = \"\"; words = [\"STATUS\"]; }\n"
    ");\n";

#define FX_WAGES_EN                                                                                \
	"You have the right to be paid fairly and on time, in money, as your contract says. "      \
	"Your employer may not keep your wages to stop you leaving. Keep a record of the "         \
	"days and hours you work and of every payment. If you are not paid, ask in writing "       \
	"and keep the reply. The labour office and the helplines in Contacts can act."

static const char *fx_nodes_head =
    "nodes = (\n"
    "  { id = \"home\"; type = \"menu\"; title = \"Kawan\"; text = \"Kawan helpline\";\n"
    "    children = [\"rights\", \"contacts\", \"report\", \"settings\"]; },\n"
    "  { id = \"report\"; type = \"action\"; action = \"report\"; title = \"Report a problem\";\n"
    "    text = \"A duty officer will be told. You get a reference number.\"; },\n"
    "  { id = \"settings\"; type = \"menu\"; title = \"Settings\"; text = \"Settings\";\n"
    "    children = [\"settings.language\", \"settings.discreet\"]; },\n"
    "  { id = \"settings.language\"; type = \"action\"; action = \"language\"; title = \"Language\"; text = \"\"; },\n"
    "  { id = \"settings.discreet\"; type = \"action\"; action = \"discreet\"; title = \"Discreet mode\";\n"
    "    text = \"Menus come as flash messages.\"; },\n"
    "  { id = \"contacts\"; type = \"contacts\"; title = \"Emergency numbers\"; text = \"Call:\";\n"
    "    contacts = [\"my.police\", \"my.trafficking\", \"th.police\"]; },\n";

static const char *fx_nodes_rights_v1 =
    "  { id = \"rights\"; type = \"menu\"; title = \"Your rights\"; text = \"Your rights\";\n"
    "    children = [\"rights.wages\", \"rights.rest\"]; },\n"
    "  { id = \"rights.wages\"; type = \"page\"; title = \"Wages\"; text = \"" FX_WAGES_EN "\";\n"
    "    articles = \"Articles 8, 13\"; },\n"
    "  { id = \"rights.rest\"; type = \"page\"; title = \"Rest days\";\n"
    "    text = \"You have a right to rest.\"; articles = \"Article 8\"; }\n"
    ");\n";

static const char *fx_nodes_rights_v2 =
    "  { id = \"rights\"; type = \"menu\"; title = \"Your rights\"; text = \"Your rights\";\n"
    "    children = [\"rights.rest\"]; },\n"
    "  { id = \"rights.rest\"; type = \"page\"; title = \"Rest days\";\n"
    "    text = \"You have a right to rest.\"; articles = \"Article 8\"; }\n"
    ");\n";

static const char *fx_contacts =
    "contacts = (\n"
    "  { id = \"my.police\"; country = \"MY\"; name = \"Police\"; number = \"999\"; hours = \"24h\";\n"
    "    source = \"test\"; verified = \"2026-11-01\"; },\n"
    "  { id = \"my.trafficking\"; country = \"MY\"; name = \"Anti-trafficking\"; number = \"03-8000 8000\";\n"
    "    hours = \"07:30-21:00\"; source = \"test\"; verified = \"2026-11-01\"; },\n"
    "  { id = \"th.police\"; country = \"TH\"; name = \"Police\"; number = \"191\"; hours = \"24h\";\n"
    "    source = \"test\"; verified = \"2026-11-01\"; }\n"
    ");\n";

#define PO_HEAD(l)                                                                                 \
	"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language: " l  \
	"\\n\"\n\n"
#define PO(ctx, id, str) "msgctxt \"" ctx "\"\nmsgid \"" id "\"\nmsgstr \"" str "\"\n\n"

static const char *fx_km_po = PO_HEAD("km") PO("ui.back", "0 Back", "0 ត្រឡប់")
    PO("ui.home", "00 Home", "00 ទំព័រដើម") PO("ui.more", "98 More", "98 បន្ទាប់") PO("ui.invalid",
	"Please reply with a number from the list.", "សូមឆ្លើយតបដោយលេខពីបញ្ជី។") PO("ui.language_set",
	"Language set: English.", "បានកំណត់ភាសា៖ ខ្មែរ។") PO("ui.choose_language",
	"Kawan helpline. Choose your language:", "ខ្សែជំនួយកាវ៉ាន់។ ជ្រើសរើសភាសា៖") PO("home",
	"Kawan helpline", "ខ្សែជំនួយកាវ៉ាន់") PO("rights", "Your rights", "សិទ្ធិរបស់អ្នក")
	PO("contacts", "Emergency numbers", "លេខសង្គ្រោះបន្ទាន់") PO("contact.my.police", "Police",
	    "ប៉ូលិស") "#, fuzzy\n" PO("contact.my.trafficking", "Anti-trafficking", "ប្រឆាំងការជួញដូរមនុស្ស")
	    PO("report", "Report a problem", "រាយការណ៍បញ្ហា") PO("settings", "Settings", "ការកំណត់")
		PO("rights.wages", "Wages", "ប្រាក់ឈ្នួល") PO("rights.wages", FX_WAGES_EN,
		    "អ្នកមានសិទ្ធិទទួលបានប្រាក់ឈ្នួលដោយយុត្តិធម៌ និងទាន់ពេលវេលា ជាប្រាក់ ដូចកិច្ចសន្យារបស់អ្នកចែង។ "
		    "និយោជករបស់អ្នកមិនអាចរក្សាប្រាក់ឈ្នួលរបស់អ្នកដើម្បីកុំឱ្យអ្នកចាកចេញបានទេ។ "
		    "សូមកត់ត្រាថ្ងៃ និងម៉ោងដែលអ្នកធ្វើការ និងការបង់ប្រាក់នីមួយៗ។ ប្រសិនបើអ្នកមិនបានទទួលប្រាក់ "
		    "សូមស្នើសុំជាលាយលក្ខណ៍អក្សរ ហើយរក្សាទុកចម្លើយ។");

static const char *fx_th_po =
    PO_HEAD("th") PO("ui.back", "0 Back", "0 กลับ") PO("ui.home", "00 Home", "00 หน้าแรก")
	PO("ui.more", "98 More", "98 ถัดไป") PO("home", "Kawan helpline", "สายด่วนกาวัน")
	    PO("rights", "Your rights", "สิทธิของคุณ") PO("rights.wages", FX_WAGES_EN,
		"คุณมีสิทธิได้รับค่าจ้างอย่างเป็นธรรมและตรงเวลา เป็นเงิน ตามที่สัญญาจ้างระบุ "
		"นายจ้างไม่มีสิทธิเก็บค่าจ้างของคุณไว้เพื่อไม่ให้คุณลาออก จดบันทึกวันและชั่วโมงทำงานและการจ่ายเงินทุกครั้ง "
		"หากไม่ได้รับค่าจ้าง ให้ขอเป็นลายลักษณ์อักษรและเก็บคำตอบไว้");

static const char *fx_my_po = PO_HEAD("my") PO("ui.back", "0 Back", "0 နောက်သို့")
    PO("ui.home", "00 Home", "00 ပင်မ") PO("home", "Kawan helpline", "ကာဝမ် အကူအညီဖုန်းလိုင်း")
	PO("rights", "Your rights", "သင်၏ အခွင့်အရေးများ") PO("rights.wages", FX_WAGES_EN,
	    "သင်သည် စာချုပ်အတိုင်း တရားမျှတပြီး အချိန်မှန် လုပ်ခလစာ ရပိုင်ခွင့်ရှိသည်။ "
	    "အလုပ်ရှင်သည် သင်ထွက်ခွာခြင်းမှ တားဆီးရန် လုပ်ခကို ထိန်းထား၍ မရပါ။");

struct fixture {
	struct cfx_dir d;
	struct content *c;
	struct engine_settings s;
};

#define write_file cfx_write

static struct content *
load(struct fixture *f)
{
	return cfx_load(&f->d);
}

static void
write_nodes(struct fixture *f, const char *rights)
{
	write_file(f->d.menus, "nodes.cfg", fx_nodes_head, rights, NULL);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	cfx_make(&f->d, "kawan-engine");
	write_file(f->d.menus, "languages.cfg", fx_languages, NULL, NULL);
	write_file(f->d.menus, "ui.cfg", fx_ui, NULL, NULL);
	write_file(f->d.menus, "keywords.cfg", fx_keywords, NULL, NULL);
	write_file(f->d.menus, "countries.cfg", CFX_COUNTRIES, NULL, NULL);
	write_file(f->d.menus, "zcontacts.cfg", fx_contacts, NULL, NULL);
	write_nodes(f, fx_nodes_rights_v1);
	write_file(f->d.trans, "km.po", fx_km_po, NULL, NULL);
	write_file(f->d.trans, "th.po", fx_th_po, NULL, NULL);
	write_file(f->d.trans, "my.po", fx_my_po, NULL, NULL);
	f->c = load(f);
	engine_settings_default(&f->s);
	memcpy(f->s.country, "MY", 3);
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

/* Asserts a page fits its channel's budget; SMS limit given explicitly. */
static void
assert_fits(const struct render_page *p, const struct render_limits *lim)
{
	size_t units;
	enum render_coding c = render_coding_of(p->text, &units);

	assert_int_equal(c, p->coding);
	assert_int_equal(units, p->units);
	if (units > (c == RENDER_GSM7 ? lim->gsm7 : lim->ucs2))
		fail_msg("page over budget (%zu units, %s): %s", units,
		    c == RENDER_GSM7 ? "GSM-7" : "UCS-2", p->text);
}

/* One step; returns the reply's only page text (static copy). */
static const char *
step(struct fixture *f, enum engine_channel ch, struct engine_session *s, const char *in,
    int64_t now, struct engine_reply *r)
{
	static char last[2048];

	assert_int_equal(engine_step(f->c, &f->s, ch, s, in, now, r), 0);
	if (r->pages.n == 0) {
		last[0] = '\0';
		return last;
	}
	assert_int_equal(r->pages.n, 1);
	assert_fits(&r->pages.v[0],
	    ch == ENGINE_USSD ? &f->s.ussd : &(struct render_limits){ 3 * 153, 3 * 67 });
	snprintf(last, sizeof(last), "%s", r->pages.v[0].text);
	return last;
}

static const char *
step1(struct fixture *f, enum engine_channel ch, struct engine_session *s, const char *in,
    int64_t now)
{
	struct engine_reply r;
	const char *t = step(f, ch, s, in, now, &r);

	engine_reply_free(&r);
	return t;
}

static void
test_first_contact_and_khmer(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	const char *t;

	t = step1(f, ENGINE_SMS, &s, "hello", 1000);
	assert_int_equal(s.state, ENGINE_ST_LANG);
	assert_non_null(strstr(t, "Choose your language"));
	/* The list runs over pages: 98 shows the rest, which holds Khmer (2). */
	if (strstr(t, "2 ភាសាខ្មែរ") == NULL) {
		t = step1(f, ENGINE_SMS, &s, "98", 2000);
		assert_int_equal(s.state, ENGINE_ST_LANG);
	}
	t = step1(f, ENGINE_SMS, &s, "2", 3000);
	assert_int_equal(s.state, ENGINE_ST_NODE);
	assert_string_equal(s.lang, "km");
	assert_string_equal(s.node, "home");
	assert_non_null(strstr(t, "បានកំណត់ភាសា"));
}

static void
test_walk_pages_back_home(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	char first[2048];
	const char *t;
	int pages = 1;

	memcpy(s.lang, "km", 3);
	t = step1(f, ENGINE_SMS, &s, "", 0);
	assert_string_equal(s.node, "home");
	assert_non_null(strstr(t, "1 សិទ្ធិរបស់អ្នក"));
	assert_null(strstr(t, "0 ត្រឡប់")); /* no Back at home */
	step1(f, ENGINE_SMS, &s, "1", 10);
	assert_string_equal(s.node, "rights");
	t = step1(f, ENGINE_SMS, &s, "1", 20);
	assert_string_equal(s.node, "rights.wages");
	snprintf(first, sizeof(first), "%s", t);
	assert_non_null(strstr(t, "98 បន្ទាប់"));
	/* Walk the page with 98 until it wraps back to the first page. */
	for (;;) {
		t = step1(f, ENGINE_SMS, &s, "98", 30 + pages);
		if (strcmp(t, first) == 0)
			break;
		pages++;
		assert_true(pages < 20);
	}
	assert_true(pages >= 2);
	assert_int_equal(s.page, 0);
	step1(f, ENGINE_SMS, &s, "0", 100);
	assert_string_equal(s.node, "rights");
	step1(f, ENGINE_SMS, &s, "1", 110);
	step1(f, ENGINE_SMS, &s, "00", 120);
	assert_string_equal(s.node, "home");
	assert_int_equal(s.depth, 0);
	step1(f, ENGINE_SMS, &s, "0", 130); /* back at home: home again */
	assert_string_equal(s.node, "home");
}

static void
test_invalid_hint(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	const char *t;
	const char *bad[] = { "7", "abc", "%s%n%s%n", "\xff\xfe", "1\x01" };

	memcpy(s.lang, "en", 3);
	step1(f, ENGINE_USSD, &s, "", 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = step1(f, ENGINE_USSD, &s, bad[i], 1 + (int64_t)i);
		assert_string_equal(s.node, "home");
		assert_true(strncmp(t, "Please reply with a number", 26) == 0);
		assert_non_null(strstr(t, "1 Your rights"));
	}
}

static void
test_timeouts(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };

	memcpy(s.lang, "th", 3);
	step1(f, ENGINE_SMS, &s, "", 0);
	step1(f, ENGINE_SMS, &s, "1", 1000);
	step1(f, ENGINE_SMS, &s, "1", 2000);
	assert_string_equal(s.node, "rights.wages");
	step1(f, ENGINE_SMS, &s, "98", 2000 + 1800000); /* exactly 30 min: still there */
	assert_string_equal(s.node, "rights.wages");
	step1(f, ENGINE_SMS, &s, "0", 2000 + 3600001); /* over 30 min: home */
	assert_string_equal(s.node, "home");
	assert_string_equal(s.lang, "th");

	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "en", 3);
	step1(f, ENGINE_USSD, &s, "", 0);
	step1(f, ENGINE_USSD, &s, "1", 1000);
	step1(f, ENGINE_USSD, &s, "1", 170000);
	assert_string_equal(s.node, "rights.wages");
	step1(f, ENGINE_USSD, &s, "98", 170000 + 180001);
	assert_string_equal(s.node, "home");
}

static void
move_catalogs(struct fixture *f, bool aside)
{
	const char *names[] = { "km.po", "th.po", "my.po" };
	char a[256], b[256];

	for (size_t i = 0; i < 3; i++) {
		snprintf(a, sizeof(a), "%s/%s", f->d.trans, names[i]);
		snprintf(b, sizeof(b), "%s/%s.aside", f->d.dir, names[i]);
		assert_int_equal(aside ? rename(a, b) : rename(b, a), 0);
	}
}

static void
test_node_removed_after_reload(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct content *old = f->c;

	memcpy(s.lang, "en", 3);
	step1(f, ENGINE_SMS, &s, "", 0);
	step1(f, ENGINE_SMS, &s, "1", 1);
	step1(f, ENGINE_SMS, &s, "1", 2);
	assert_string_equal(s.node, "rights.wages");
	/* v2 drops rights.wages; the catalogs naming it go aside meanwhile
	 * (the loader refuses entries for nodes that do not exist). */
	move_catalogs(f, true);
	write_nodes(f, fx_nodes_rights_v2);
	f->c = load(f);
	content_free(old);
	step1(f, ENGINE_SMS, &s, "98", 3);
	assert_string_equal(s.node, "home");
	step1(f, ENGINE_SMS, &s, "1", 4);
	step1(f, ENGINE_SMS, &s, "1", 5);
	assert_string_equal(s.node, "rights.rest");
	move_catalogs(f, false);
	write_nodes(f, fx_nodes_rights_v1);
	old = f->c;
	f->c = load(f);
	content_free(old);
}

static void
test_keywords(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply r;
	const char *t;

	/* HELP in Khmer from first contact: report, language set. */
	t = step(f, ENGINE_SMS, &s, "ជួយ", 0, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	assert_string_equal(s.lang, "km");
	assert_string_equal(s.node, "report");
	assert_int_equal(s.state, ENGINE_ST_REPORT);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	assert_non_null(strstr(t, "8 ")); /* the nationality list (test_engine_report.c) */
	engine_reply_free(&r);
	/* 98 in the report flow does not report again. */
	step(f, ENGINE_SMS, &s, "98", 1, &r);
	assert_false(r.effects & ENGINE_FX_REPORT);
	engine_reply_free(&r);

	step(f, ENGINE_USSD, &s, " status k7q2 ", 2, &r);
	assert_true(r.effects & ENGINE_FX_STATUS);
	assert_string_equal(r.arg, "K7Q2");
	engine_reply_free(&r);

	step1(f, ENGINE_SMS, &s, "lang", 3);
	assert_int_equal(s.state, ENGINE_ST_LANG);
	t = step1(f, ENGINE_SMS, &s, "00", 4);
	assert_string_equal(s.node, "home");
	step1(f, ENGINE_SMS, &s, "Menu", 5);
	assert_string_equal(s.node, "home");

	t = step(f, ENGINE_USSD, &s, "STOP", 6, &r);
	assert_true(r.effects & ENGINE_FX_STOP);
	assert_true(r.effects & ENGINE_FX_END);
	assert_non_null(strstr(t, "Kawan will not message you again"));
	engine_reply_free(&r);
	assert_int_equal(s.state, ENGINE_ST_NEW);

	/* The report action node from the menu. */
	memcpy(s.lang, "en", 3);
	step1(f, ENGINE_SMS, &s, "", 7);
	step(f, ENGINE_SMS, &s, "3", 8, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	engine_reply_free(&r);
}

static void
test_discreet(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply r;
	const char *t;

	memcpy(s.lang, "en", 3);
	step1(f, ENGINE_SMS, &s, "", 0);
	step1(f, ENGINE_SMS, &s, "4", 1);
	t = step(f, ENGINE_SMS, &s, "2", 2, &r);
	assert_true(s.discreet);
	assert_non_null(strstr(t, "Discreet mode on"));
	assert_int_equal(r.msg_class, -1);
	engine_reply_free(&r);
	step(f, ENGINE_SMS, &s, "00", 3, &r);
	assert_int_equal(r.msg_class, 0); /* a menu page */
	engine_reply_free(&r);
	step(f, ENGINE_SMS, &s, "1", 4, &r);
	assert_int_equal(r.msg_class, 0);
	engine_reply_free(&r);
	step(f, ENGINE_SMS, &s, "1", 5, &r); /* information page */
	assert_int_equal(r.msg_class, -1);
	engine_reply_free(&r);
	step1(f, ENGINE_SMS, &s, "00", 6);
	t = step(f, ENGINE_SMS, &s, "2", 7, &r); /* contacts */
	assert_int_equal(r.msg_class, -1);
	assert_non_null(strstr(t, "Police: 999 (24h)"));
	assert_null(strstr(t, "191")); /* Thai number, not this country */
	engine_reply_free(&r);
	step1(f, ENGINE_SMS, &s, "00", 8);
	step(f, ENGINE_SMS, &s, "3", 9, &r); /* report: a question, flash too */
	assert_int_equal(r.msg_class, 0);
	engine_reply_free(&r);
}

/* Issue 9: a contact's name in the worker's language when its catalog has a
 * served translation (msgctxt contact.<id>); a fuzzy draft stays English
 * unless the deployment serves drafts. */
static void
test_contact_names_translated(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	const char *t;

	memcpy(s.lang, "km", 3);
	step1(f, ENGINE_SMS, &s, "", 0);
	t = step1(f, ENGINE_SMS, &s, "2", 10); /* contacts */
	assert_non_null(strstr(t, "ប៉ូលិស: 999 (24h)"));
	assert_null(strstr(t, "Police"));
	if (strstr(t, "Anti-trafficking") == NULL)
		t = step1(f, ENGINE_SMS, &s, "98", 11); /* the next page of the list */
	assert_non_null(strstr(t, "Anti-trafficking: 03-8000 8000 (07:30-21:00)"));
	assert_null(strstr(t, "ប្រឆាំងការជួញដូរមនុស្ស"));
	f->s.serve_fuzzy = true;
	step1(f, ENGINE_SMS, &s, "00", 20);
	t = step1(f, ENGINE_SMS, &s, "2", 30);
	if (strstr(t, "03-8000") == NULL)
		t = step1(f, ENGINE_SMS, &s, "98", 31);
	f->s.serve_fuzzy = false;
	assert_non_null(strstr(t, "ប្រឆាំងការជួញដូរមនុស្ស: 03-8000 8000"));
	/* English speakers keep the English name */
	memcpy(s.lang, "en", 3);
	t = step1(f, ENGINE_SMS, &s, "00", 40);
	t = step1(f, ENGINE_SMS, &s, "2", 50);
	assert_non_null(strstr(t, "Police: 999 (24h)"));
}

static void
test_zawgyi(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply u, z;
	size_t n = 0;
	char *back = NULL;

	step1(f, ENGINE_SMS, &s, "", 0);
	/* Entries: 4 languages then "Burmese (Zawgyi)" as 5. */
	while (s.state == ENGINE_ST_LANG && n++ < 4) {
		step1(f, ENGINE_SMS, &s, "5", 1);
	}
	assert_string_equal(s.lang, "my");
	assert_true(s.variant);
	assert_int_equal(
	    engine_render_node(f->c, &f->s, ENGINE_SMS, "my", false, "rights.wages", &u), 0);
	assert_int_equal(
	    engine_render_node(f->c, &f->s, ENGINE_SMS, "my", true, "rights.wages", &z), 0);
	for (size_t i = 0; i < z.pages.n; i++)
		assert_fits(&z.pages.v[i], &(struct render_limits){ 459, 201 });
	assert_true(render_looks_zawgyi(z.pages.v[0].text));
	assert_false(render_looks_zawgyi(u.pages.v[0].text));
	assert_int_equal(render_from_zawgyi(z.pages.v[0].text, &back), 0);
	assert_non_null(strstr(back, "တရားမျှတ"));
	free(back);
	engine_reply_free(&u);
	engine_reply_free(&z);
	step1(f, ENGINE_USSD, &s, "1", 2);
	assert_string_equal(s.node, "rights");
}

/* Every node and the language list in every language and variant, on
 * both channels: every page within budget, SMS menu pages one segment. */
static void
walk_all(const struct content *c, const struct engine_settings *set, bool strict_menus)
{
	size_t menus_multi = 0;

	for (int ch = ENGINE_SMS; ch <= ENGINE_USSD; ch++) {
		struct engine_reply r;
		const struct render_limits *lim = ch == ENGINE_USSD ? &set->ussd : &set->sms;

		assert_int_equal(engine_render_languages(c, set, (enum engine_channel)ch, &r), 0);
		for (size_t i = 0; i < r.pages.n; i++)
			assert_fits(&r.pages.v[i], lim);
		engine_reply_free(&r);
		for (size_t li = 0; li < content_nlanguages(c); li++) {
			const struct content_language *l = content_language_at(c, li);

			for (int zg = 0; zg <= ((l->variant[0] != 0) ? 1 : 0); zg++) {
				for (size_t ni = 0; ni < content_nnodes(c); ni++) {
					const struct content_node *nd = content_node_at(c, ni);
					struct render_limits info = *lim;

					if (ch == ENGINE_SMS && nd->kind == CONTENT_PAGE)
						info = (struct render_limits){ 459, 201 };
					if (engine_render_node(c, set, (enum engine_channel)ch,
						l->code, zg, nd->id, &r) != 0)
						fail_msg("%s %s%s does not render", nd->id, l->code,
						    zg ? " (Zawgyi)" : "");
					assert_true(r.pages.n >= 1);
					/* A menu's first screen offers a choice, even in a
					 * 70-character UCS-2 page (regression: the prompt and
					 * footer used to fill it). */
					if (nd->kind == CONTENT_MENU && nd->nchildren > 0 &&
					    strstr(r.pages.v[0].text, "1 ") == NULL)
						fail_msg("%s %s%s: first page has no choice:\n%s",
						    nd->id, l->code, zg ? " (Zawgyi)" : "",
						    r.pages.v[0].text);
					for (size_t i = 0; i < r.pages.n; i++) {
						assert_fits(&r.pages.v[i], &info);
						if (ch == ENGINE_SMS && nd->kind == CONTENT_MENU &&
						    r.pages.v[i].segments != 1)
							menus_multi++;
					}
					engine_reply_free(&r);
				}
			}
		}
	}
	if (strict_menus)
		assert_int_equal(menus_multi, 0);
}

static void
test_walk_every_node(void **state)
{
	struct fixture *f = *state;

	walk_all(f->c, &f->s, true);
}

/* xorshift64*: a seeded PRNG so failures reproduce. */
static uint64_t
prng(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ULL;
}

static void
test_fuzz(void **state)
{
	static const char *words[] = { "0", "00", "98", "1", "2", "3", "4", "5", "9", "HELP", "SOS",
		"STOP", "MENU", "LANG", "STATUS K7Q2", "status", "ជួយ", "%s%n%x", "", " ",
		"999999999", "-1", "1.5", "\xe1\x80\xb1\xe1\x80\x80" };
	struct fixture *f = *state;
	struct engine_session s[8];
	uint64_t seed = 0x6b6177616e2d3031ULL;
	static char buf[3000];
	int64_t now = 0;

	memset(s, 0, sizeof(s));
	for (int i = 0; i < 20000; i++) {
		uint64_t r = prng(&seed);
		struct engine_session *ss = &s[r % 8];
		enum engine_channel ch = (r >> 3) & 1 ? ENGINE_USSD : ENGINE_SMS;
		size_t kind = (r >> 4) % 4, len;
		struct engine_reply rep;

		now += (int64_t)((r >> 8) % 400000);
		if (kind == 0) {
			snprintf(buf, sizeof(buf), "%s",
			    words[(r >> 16) % (sizeof(words) / sizeof(words[0]))]);
		} else if (kind == 1) {
			len = (r >> 16) % 64;
			for (size_t k = 0; k < len; k++)
				buf[k] = (char)(prng(&seed) & 0xff);
			buf[len] = '\0';
		} else if (kind == 2) {
			len = 1000 + (r >> 16) % 2000;
			memset(buf, (r >> 32) & 1 ? '1' : 'A', len);
			buf[len] = '\0';
		} else {
			snprintf(buf, sizeof(buf), "%u", (unsigned)((r >> 16) % 120));
		}
		step(f, ch, ss, buf, now, &rep);
		if (ch == ENGINE_USSD)
			assert_true(rep.pages.n == 1 || (rep.effects & ENGINE_FX_STATUS));
		engine_reply_free(&rep);
	}
}

/* Issue 9: the first message's script, help words inside a message, shared
 * keywords. A tree of its own with every language the scripts name. */
static const char *sx_languages =
    "languages = (\n"
    "  { code = \"en\"; name = \"English\"; english_name = \"English\"; },\n"
    "  { code = \"ms\"; name = \"Bahasa Melayu\"; english_name = \"Malay\"; },\n"
    "  { code = \"id\"; name = \"Bahasa Indonesia\"; english_name = \"Indonesian\"; },\n"
    "  { code = \"th\"; name = \"ภาษาไทย\"; english_name = \"Thai\"; },\n"
    "  { code = \"km\"; name = \"ភាសាខ្មែរ\"; english_name = \"Khmer\"; },\n"
    "  { code = \"lo\"; name = \"ພາສາລາວ\"; english_name = \"Lao\"; },\n"
    "  { code = \"my\"; name = \"မြန်မာဘာသာ\"; english_name = \"Burmese\"; zawgyi = true; },\n"
    "  { code = \"ta\"; name = \"தமிழ்\"; english_name = \"Tamil\"; },\n"
    "  { code = \"zh\"; name = \"中文\"; english_name = \"Chinese\"; },\n"
    "  { code = \"vi\"; name = \"Tiếng Việt\"; english_name = \"Vietnamese\"; }\n"
    ");\n";

static const char *sx_keywords =
    "keywords = (\n"
    "  { kind = \"help\"; lang = \"\"; words = [\"HELP\", \"SOS\"]; },\n"
    "  { kind = \"help\"; lang = \"ms\"; words = [\"TOLONG\", \"TOLONG SAYA\"]; },\n"
    "  { kind = \"help\"; lang = \"id\"; words = [\"TOLONG\", \"TOLONGIN\"]; },\n"
    "  { kind = \"help\"; lang = \"th\"; words = [\"ช่วย\"]; },\n"
    "  { kind = \"help\"; lang = \"km\"; words = [\"ជួយ\"]; },\n"
    "  { kind = \"help\"; lang = \"lo\"; words = [\"ຊ່ວຍ\"]; },\n"
    "  { kind = \"help\"; lang = \"my\"; words = [\"ကူညီ\"]; },\n"
    "  { kind = \"help\"; lang = \"ta\"; words = [\"உதவி\"]; },\n"
    "  { kind = \"help\"; lang = \"zh\"; words = [\"救命\"]; },\n"
    "  { kind = \"help\"; lang = \"vi\"; words = [\"CỨU\", \"CUU\"]; },\n"
    "  { kind = \"menu\"; lang = \"\"; words = [\"MENU\"]; },\n"
    "  { kind = \"lang\"; lang = \"\"; words = [\"LANG\"]; },\n"
    "  { kind = \"lang\"; lang = \"ms\"; words = [\"BAHASA\"]; },\n"
    "  { kind = \"lang\"; lang = \"id\"; words = [\"BAHASA\"]; },\n"
    "  { kind = \"stop\"; lang = \"\"; words = [\"STOP\"]; }\n"
    ");\n";

static const char *sx_nodes =
    "nodes = (\n"
    "  { id = \"home\"; type = \"menu\"; title = \"Kawan\"; text = \"Kawan helpline\";\n"
    "    children = [\"report\", \"about\"]; },\n"
    "  { id = \"report\"; type = \"action\"; action = \"report\"; title = \"Report a problem\"; },\n"
    "  { id = \"about\"; type = \"page\"; title = \"About\"; text = \"About Kawan.\"; }\n"
    ");\n";

/* The danger question per language: lang, its translation, a help word
 * inside a sentence. */
static const struct {
	const char *lang, *question, *sentence;
} sx_danger[] = {
	{ "ms", "Dalam bahaya sekarang? 1 Ya, laporkan 2 Tidak, menu", "tolong saya di sini" },
	{ "th", "ตอนนี้อยู่ในอันตรายไหม? 1 ใช่ 2 ไม่ใช่", "ช่วยด้วยครับ นายจ้างขังไว้" },
	{ "km", "តើអ្នកកំពុងមានគ្រោះថ្នាក់ទេ? 1 បាទ 2 ទេ", "ជួយខ្ញុំផង" },
	{ "lo", "ຢູ່ໃນອັນຕະລາຍບໍ? 1 ແມ່ນ 2 ບໍ່", "ຊ່ວຍແດ່ ຂ້ອຍຢູ່ນີ້" },
	{ "my", "အန္တရာယ်ရှိနေသလား? 1 ဟုတ် 2 မဟုတ်", "ကူညီပါ" },
	{ "ta", "ஆபத்தில் இருக்கிறீர்களா? 1 ஆம் 2 இல்லை", "எனக்கு உதவி வேண்டும்" },
	{ "zh", "现在有危险吗？1 是 2 否", "救命啊，我被关起来了" },
	{ "vi", "Bạn đang gặp nguy hiểm? 1 Có 2 Không", "cứu tôi với, tôi đang ở đây" },
	{ "id", "Dalam bahaya sekarang? 1 Ya 2 Tidak", "tolongin aku dong" },
};

static struct fixture *
sx_setup(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char ui[2048];

	assert_non_null(f);
	cfx_make(&f->d, "kawan-script");
	write_file(f->d.menus, "languages.cfg", sx_languages, NULL, NULL);
	snprintf(ui, sizeof(ui),
	    "%.*s  danger_question = \"In danger now? 1 Yes, report 2 No, menu\";\n};\n",
	    (int)(strlen(fx_ui) - 3), fx_ui);
	write_file(f->d.menus, "ui.cfg", ui, NULL, NULL);
	write_file(f->d.menus, "keywords.cfg", sx_keywords, NULL, NULL);
	write_file(f->d.menus, "countries.cfg", CFX_COUNTRIES, NULL, NULL);
	write_file(f->d.menus, "nodes.cfg", sx_nodes, NULL, NULL);
	for (size_t i = 0; i < sizeof(sx_danger) / sizeof(sx_danger[0]); i++) {
		char name[16], po[1024];

		snprintf(name, sizeof(name), "%s.po", sx_danger[i].lang);
		snprintf(po, sizeof(po),
		    "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
		    "msgctxt \"ui.danger_question\"\nmsgid \"In danger now? 1 Yes, report 2 No, "
		    "menu\"\nmsgstr \"%s\"\n",
		    sx_danger[i].question);
		write_file(f->d.trans, name, po, NULL, NULL);
	}
	f->c = load(f);
	engine_settings_default(&f->s);
	memcpy(f->s.country, "MY", 3);
	return f;
}

static void
sx_teardown(struct fixture *f)
{
	content_free(f->c);
	cfx_remove(&f->d);
	free(f);
}

static void
test_first_message_script(void **state)
{
	static const struct {
		const char *text, *lang;
	} cases[] = {
		{ "สวัสดีครับ", "th" },
		{ "សួស្តី", "km" },
		{ "ສະບາຍດີ", "lo" },
		{ "မင်္ဂလာပါ", "my" },
		{ "வணக்கம்", "ta" },
		{ "你好", "zh" },
		{ "Xin chào, tôi tên là Lan, đang ở đây", "vi" },
	};
	struct fixture *f = sx_setup();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int ch = 0; ch < 2; ch++) {
			struct engine_session s = { 0 };
			const char *t = step1(f, (enum engine_channel)ch, &s, cases[i].text, 1000);

			assert_string_equal(s.lang, cases[i].lang);
			assert_false(s.variant);
			assert_int_equal(s.state, ENGINE_ST_NODE);
			assert_string_equal(s.node, "home");
			assert_null(strstr(t, "Choose your language"));
		}
	}
	/* no clue: the list, as before */
	{
		struct engine_session s = { 0 };
		const char *t = step1(f, ENGINE_SMS, &s, "hello there", 1000);

		assert_int_equal(s.state, ENGINE_ST_LANG);
		assert_string_equal(s.lang, "");
		assert_non_null(strstr(t, "Choose your language"));
	}
	/* a language already chosen stays; LANG still changes it */
	{
		struct engine_session s = { 0 };

		step1(f, ENGINE_SMS, &s, "สวัสดี", 1000);
		assert_string_equal(s.lang, "th");
		step1(f, ENGINE_SMS, &s, "你好", 2000);
		assert_string_equal(s.lang, "th");
		step1(f, ENGINE_SMS, &s, "LANG", 3000);
		assert_int_equal(s.state, ENGINE_ST_LANG);
		step1(f, ENGINE_SMS, &s, "1", 4000);
		assert_string_equal(s.lang, "en");
	}
	sx_teardown(f);
}

static void
test_first_message_zawgyi(void **state)
{
	struct fixture *f = sx_setup();
	struct engine_session s = { 0 };
	const char *t;
	char *zg = NULL;

	(void)state;
	/* "help, please" in Zawgyi: Burmese, in Zawgyi, and the danger question */
	t = step1(f, ENGINE_SMS, &s, "ကူညီေပးပါ", 1000);
	assert_string_equal(s.lang, "my");
	assert_true(s.variant);
	assert_int_equal(s.state, ENGINE_ST_DANGER);
	assert_int_equal(render_for_phone(content_ui(f->c, "my", "danger_question", false),
			     RENDER_SCRIPT_ZAWGYI, &zg),
	    0);
	assert_string_equal(t, zg);
	free(zg);
	/* a Zawgyi greeting with no help word: Burmese in Zawgyi, home */
	memset(&s, 0, sizeof(s));
	step1(f, ENGINE_SMS, &s, "မဂၤလာပါ", 1000);
	assert_string_equal(s.lang, "my");
	assert_true(s.variant);
	assert_int_equal(s.state, ENGINE_ST_NODE);
	/* the same in Unicode: Burmese in Unicode */
	memset(&s, 0, sizeof(s));
	t = step1(f, ENGINE_SMS, &s, "ကူညီပေးပါ", 1000);
	assert_string_equal(s.lang, "my");
	assert_false(s.variant);
	assert_int_equal(s.state, ENGINE_ST_DANGER);
	assert_string_equal(t, content_ui(f->c, "my", "danger_question", false));
	sx_teardown(f);
}

static void
test_help_inside_message(void **state)
{
	struct fixture *f = sx_setup();

	(void)state;
	for (size_t i = 0; i < sizeof(sx_danger) / sizeof(sx_danger[0]); i++) {
		for (int ch = 0; ch < 2; ch++) {
			struct engine_session s = { 0 };
			struct engine_reply r;
			const char *t;

			/* Malay shares TOLONG with Indonesian: its worker chose it first */
			if (strcmp(sx_danger[i].lang, "ms") == 0)
				memcpy(s.lang, "ms", 3);
			t = step(f, (enum engine_channel)ch, &s, sx_danger[i].sentence, 1000, &r);
			if (strcmp(s.lang, sx_danger[i].lang) != 0)
				fail_msg("%s: language %s", sx_danger[i].sentence, s.lang);
			assert_int_equal(s.state, ENGINE_ST_DANGER);
			assert_string_equal(t, sx_danger[i].question);
			assert_int_equal(r.effects, 0);
			engine_reply_free(&r);
			/* 1: the report flow, in that language */
			step1(f, (enum engine_channel)ch, &s, "1", 2000);
			assert_int_equal(s.state, ENGINE_ST_REPORT);
			assert_string_equal(s.lang, sx_danger[i].lang);
		}
	}
	/* English, and 2 goes to the menu; other input asks again */
	{
		struct engine_session s = { 0 };
		struct engine_reply r;
		const char *t = step1(f, ENGINE_SMS, &s, "help me please", 1000);

		assert_string_equal(t, "In danger now? 1 Yes, report 2 No, menu");
		assert_int_equal(s.state, ENGINE_ST_DANGER);
		t = step1(f, ENGINE_SMS, &s, "what", 2000);
		assert_non_null(strstr(t, "Please reply with a number"));
		assert_non_null(strstr(t, "In danger now?"));
		t = step(f, ENGINE_SMS, &s, "2", 3000, &r);
		assert_int_equal(r.effects, 0);
		engine_reply_free(&r);
		assert_int_equal(s.state, ENGINE_ST_LANG); /* no language yet: the list */
	}
	/* a word only containing a help word is none: "helpful", "sosial" */
	{
		struct engine_session s = { 0 };

		memcpy(s.lang, "en", 3);
		step1(f, ENGINE_SMS, &s, "very helpful sosial", 1000);
		assert_int_not_equal(s.state, ENGINE_ST_DANGER);
	}
	/* free text in the report flow is never taken for a help word */
	{
		struct engine_session s = { 0 };

		memcpy(s.lang, "en", 3);
		step1(f, ENGINE_SMS, &s, "HELP", 1000);
		assert_int_equal(s.state, ENGINE_ST_REPORT);
		step1(f, ENGINE_SMS, &s, "1", 2000); /* nationality */
		step1(f, ENGINE_SMS, &s, "1", 3000); /* category */
		step1(f, ENGINE_SMS, &s, "help me, I am in Klang", 4000);
		assert_int_equal(s.state, ENGINE_ST_REPORT);
	}
	sx_teardown(f);
}

static void
test_shared_keyword(void **state)
{
	struct fixture *f = sx_setup();
	struct engine_session s = { 0 };
	struct engine_reply r;
	const char *t;

	(void)state;
	/* a chosen language stays: TOLONG (Malay and Indonesian) opens the report */
	memcpy(s.lang, "id", 3);
	s.state = ENGINE_ST_NODE;
	memcpy(s.node, "home", 5);
	s.last_ms = 900;
	step(f, ENGINE_SMS, &s, "TOLONG", 1000, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	engine_reply_free(&r);
	assert_string_equal(s.lang, "id");
	/* BAHASA (shared) shows the list without switching */
	step1(f, ENGINE_SMS, &s, "BAHASA", 2000);
	assert_int_equal(s.state, ENGINE_ST_LANG);
	assert_string_equal(s.lang, "id");
	/* none yet: TOLONG picks no language, and still opens the report at
	 * once (help never waits for a question) */
	memset(&s, 0, sizeof(s));
	step(f, ENGINE_SMS, &s, "TOLONG", 1000, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	engine_reply_free(&r);
	assert_string_equal(s.lang, "");
	assert_int_equal(s.state, ENGINE_ST_REPORT);
	(void)t;
	/* a word of one language still picks it */
	memset(&s, 0, sizeof(s));
	step1(f, ENGINE_SMS, &s, "TOLONGIN", 1000);
	assert_string_equal(s.lang, "id");
	sx_teardown(f);
}

/* The real content at the repository root, when it is there. */
static void
test_real_content(void **state)
{
	struct content_errors errs;
	struct content *c = NULL;
	struct engine_settings set;
	const char *root = getenv("KAWAN_SRC") != NULL ? getenv("KAWAN_SRC") : ".";
	char menus[512], trans[512], lcfg[600], buf[8192];

	(void)state;
	snprintf(menus, sizeof(menus), "%s/menus", root);
	snprintf(trans, sizeof(trans), "%s/translations", root);
	snprintf(lcfg, sizeof(lcfg), "%s/languages.cfg", menus);
	if (access(lcfg, R_OK) != 0) {
		print_message(
		    "skipped: %s absent (run from the repository root or set KAWAN_SRC)\n", lcfg);
		skip();
	}
	if (content_load(menus, trans, &c, &errs) == -1) {
		content_errors_format(&errs, buf, sizeof(buf));
		fail_msg("real content does not load:\n%s", buf);
	}
	engine_settings_default(&set);
	for (size_t k = 0; k < 8; k++) {
		static const char *countries[] = { "MY", "SG", "TH", "BN" };

		memcpy(set.country, countries[k % 4], 3);
		set.serve_fuzzy = k >= 4; /* drafts too: a deployment may serve them */
		walk_all(c, &set, false);
	}
	content_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_contact_and_khmer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contact_names_translated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_pages_back_home, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_hint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeouts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_node_removed_after_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keywords, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discreet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zawgyi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_every_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzz, setup, teardown),
		cmocka_unit_test(test_first_message_script),
		cmocka_unit_test(test_first_message_zawgyi),
		cmocka_unit_test(test_help_inside_message),
		cmocka_unit_test(test_shared_keyword),
		cmocka_unit_test(test_real_content),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
