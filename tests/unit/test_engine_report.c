/* test_engine_report.c - the report flow of the session engine (issue 4) on
 * a small content tree in a temp dir (English, Khmer with the nationality
 * it implies, Thai without one, Burmese with Zawgyi): SOS from every state,
 * the whole flow with each effect and value, implied nationality, "0",
 * MENU/LANG/00/STOP, timeouts, repeated SOS, the last page's "%s" and its
 * budget in every language and channel, hostile free text, and the flow
 * over the real menus/ and translations/. */
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
#include "core/util.h"
#include "session/engine.h"

#include "content_fixture.h"

static const char *fx_languages =
    "languages = (\n"
    "  { code = \"en\"; name = \"English\"; english_name = \"English\"; },\n"
    "  { code = \"km\"; name = \"ភាសាខ្មែរ\"; english_name = \"Khmer\"; nationality = \"KH\"; },\n"
    "  { code = \"th\"; name = \"ภาษาไทย\"; english_name = \"Thai\"; },\n"
    "  { code = \"my\"; name = \"မြန်မာဘာသာ\"; english_name = \"Burmese\"; zawgyi = true;\n"
    "    nationality = \"MM\"; }\n"
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
    "  report_intro = \"Report received. An officer is being alerted now. We will not call you "
    "unless you say it is safe. If you can, reply: where are you, what happened?\";\n"
    "  report_ref = \"Your reference is %s. Keep it and send STATUS with it to check.\";\n"
    "  report_opened = \"Report received. An officer is being alerted now.\";\n"
    "  report_q_nationality = \"Your home country?\";\n"
    "  nat_other = \"Another country\";\n"
    "  report_q_category = \"What is happening?\";\n"
    "  cat_locked_in = \"Locked in\"; cat_documents = \"Documents taken\"; cat_wages = \"Unpaid wages\";\n"
    "  cat_violence = \"Violence or abuse\"; cat_arrested = \"Arrested\"; cat_sick = \"Sick or injured\";\n"
    "  cat_trafficked = \"Trafficked or forced work\"; cat_other = \"Something else\";\n"
    "  report_q_place = \"Where are you? Town and place.\";\n"
    "  report_q_callback = \"Is it safe to call you back? 1 Yes, now 2 No, SMS only. Or send a time.\";\n"
    "  report_q_message = \"Anything else to tell us? Send it, or 0 to finish.\";\n"
    "  report_done = \"Thank you. Send HELP any time to add more.\";\n"
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

static const char *fx_nodes =
    "nodes = (\n"
    "  { id = \"home\"; type = \"menu\"; title = \"Kawan\"; text = \"Kawan helpline\";\n"
    "    children = [\"rights\", \"contacts.emergency\", \"report\", \"settings\"]; },\n"
    "  { id = \"report\"; type = \"action\"; action = \"report\"; title = \"Report a problem\";\n"
    "    text = \"A duty officer will be told. You get a reference number.\"; },\n"
    "  { id = \"settings\"; type = \"menu\"; title = \"Settings\"; text = \"Settings\";\n"
    "    children = [\"settings.language\"]; },\n"
    "  { id = \"settings.language\"; type = \"action\"; action = \"language\"; title = \"Language\"; text = \"\"; },\n"
    "  { id = \"contacts.emergency\"; type = \"contacts\"; title = \"Emergency numbers\";\n"
    "    text = \"In danger, call:\";\n"
    "    contacts = [\"my.emergency\", \"my.emergency-mobile\", \"th.police\", \"sg.police\"]; },\n"
    "  { id = \"rights\"; type = \"menu\"; title = \"Your rights\"; text = \"Your rights\";\n"
    "    children = [\"rights.wages\"]; },\n"
    "  { id = \"rights.wages\"; type = \"page\"; title = \"Wages\";\n"
    "    text = \"You have the right to be paid on time.\"; articles = \"Article 8\"; }\n"
    ");\n";

static const char *fx_contacts =
    "contacts = (\n"
    "  { id = \"my.emergency\"; country = \"MY\"; name = \"Police, ambulance, fire\"; number = \"999\";\n"
    "    hours = \"24h\"; source = \"test\"; verified = \"2026-11-01\"; },\n"
    "  { id = \"my.emergency-mobile\"; country = \"MY\"; name = \"Emergency from a mobile\";\n"
    "    number = \"112\"; hours = \"24h\"; source = \"test\"; verified = \"2026-11-01\"; },\n"
    "  { id = \"th.police\"; country = \"TH\"; name = \"Police\"; number = \"191\"; hours = \"24h\";\n"
    "    source = \"test\"; verified = \"2026-11-01\"; },\n"
    "  { id = \"sg.police\"; country = \"SG\"; name = \"Police\"; number = \"999\"; hours = \"\";\n"
    "    source = \"test\"; verified = \"2026-11-01\"; }\n"
    ");\n";

#define PO_HEAD(l)                                                                                 \
	"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language: " l  \
	"\\n\"\n\n"
#define PO(ctx, id, str) "msgctxt \"" ctx "\"\nmsgid \"" id "\"\nmsgstr \"" str "\"\n\n"

static const char *fx_km_po = PO_HEAD("km") PO("ui.back", "0 Back", "0 ត្រឡប់") PO("ui.home",
    "00 Home", "00 ទំព័រដើម") PO("ui.more", "98 More", "98 បន្ទាប់") PO("ui.invalid",
    "Please reply with a number from the list.", "សូមឆ្លើយតបដោយលេខពីបញ្ជី។") PO("ui.report_intro",
    "Report received. An officer is being alerted now. We will not call you "
    "unless you say it is safe. If you can, reply: where are you, what happened?",
    "បានទទួលរបាយការណ៍។ មន្ត្រីម្នាក់កំពុងទទួលដំណឹងឥឡូវនេះ។ យើងនឹងមិនហៅទូរស័ព្ទទៅអ្នកទេ "
    "លុះត្រាតែអ្នកប្រាប់ថាមានសុវត្ថិភាព។ បើអាច សូមឆ្លើយ៖ អ្នកនៅឯណា តើមានរឿងអ្វីកើតឡើង?") PO("ui.report_opened",
    "Report received. An officer is being alerted now.", "បានទទួលរបាយការណ៍។ មន្ត្រីកំពុងទទួលដំណឹង។")
    PO("ui.report_q_category", "What is happening?", "តើមានរឿងអ្វីកើតឡើង?") PO("ui.cat_locked_in",
	"Locked in", "ត្រូវគេចាក់សោទុក") PO("ui.cat_documents", "Documents taken", "ឯកសារត្រូវគេយក")
	PO("ui.cat_wages", "Unpaid wages", "មិនបានបើកប្រាក់ឈ្នួល") PO("ui.cat_violence",
	    "Violence or abuse", "អំពើហិង្សា ឬការរំលោភ") PO("ui.cat_arrested", "Arrested", "ត្រូវចាប់ខ្លួន")
	    PO("ui.cat_sick", "Sick or injured", "ឈឺ ឬរងរបួស")
		PO("ui.cat_trafficked", "Trafficked or forced work", "ការជួញដូរ ឬការងារបង្ខំ")
		    PO("ui.cat_other", "Something else", "រឿងផ្សេងទៀត") PO("ui.report_q_place",
			"Where are you? Town and place.",
			"តើអ្នកនៅឯណា? ទីក្រុង និងទីកន្លែង។") PO("ui.report_ref",
			"Your reference is %s. Keep it and send STATUS with it to check.",
			"លេខយោងរបស់អ្នកគឺ %s។ សូមរក្សាទុក ហើយផ្ញើ STATUS ជាមួយវា ដើម្បីពិនិត្យ។")
			PO("ui.report_done", "Thank you. Send HELP any time to add more.",
			    "សូមអរគុណ។ ផ្ញើ HELP ពេលណាក៏បាន ដើម្បីបន្ថែម។")
			    PO("contacts.emergency", "In danger, call:", "ពេលមានគ្រោះថ្នាក់ សូមហៅ៖");

static const char *fx_my_po = PO_HEAD("my") PO("ui.back", "0 Back", "0 နောက်သို့")
    PO("ui.more", "98 More", "98 နောက်ထပ်") PO("ui.report_intro",
	"Report received. An officer is being alerted now. We will not call you "
	"unless you say it is safe. If you can, reply: where are you, what happened?",
	"အစီရင်ခံစာ ရရှိပါပြီ။ အရာရှိတစ်ဦးကို ယခု အသိပေးနေပါသည်။ လုံခြုံသည်ဟု သင်မပြောလျှင် "
	"ကျွန်ုပ်တို့ ဖုန်းမခေါ်ပါ။ ဖြစ်နိုင်လျှင် ပြန်ကြားပါ- သင်ဘယ်မှာလဲ၊ ဘာဖြစ်ခဲ့သလဲ။") PO("ui.report_opened",
	"Report received. An officer is being alerted now.", "အစီရင်ခံစာ ရရှိပါပြီ။ အရာရှိကို အသိပေးနေပါသည်။")
	PO("ui.report_q_category", "What is happening?", "ဘာဖြစ်နေသလဲ။")
	    PO("ui.cat_locked_in", "Locked in", "ပိတ်လှောင်ခံထားရ") PO("ui.cat_documents",
		"Documents taken", "စာရွက်စာတမ်း သိမ်းယူခံရ") PO("ui.cat_wages", "Unpaid wages", "လုပ်ခ မရ")
		PO("ui.cat_trafficked", "Trafficked or forced work", "လူကုန်ကူးခံရ သို့မဟုတ် အတင်းအကျပ်ခိုင်းစေခံရ")
		    PO("ui.report_ref",
			"Your reference is %s. Keep it and send STATUS with it to check.",
			"သင်၏ ရည်ညွှန်းနံပါတ်မှာ %s ဖြစ်သည်။ သိမ်းထားပြီး စစ်ရန် STATUS နှင့် ပို့ပါ။")
			PO("ui.report_done", "Thank you. Send HELP any time to add more.",
			    "ကျေးဇူးတင်ပါသည်။ ထပ်ဖြည့်ရန် HELP ကို အချိန်မရွေး ပို့ပါ။")
			    PO("contacts.emergency", "In danger, call:", "အန္တရာယ်ရှိလျှင် ခေါ်ပါ-");

struct fixture {
	struct cfx_dir d;
	struct content *c;
	struct engine_settings s;
	bool fixture; /* our tree (its Burmese is translated) */
};

static void
write_file(const char *dir, const char *name, const char *text)
{
	cfx_write(dir, name, text, NULL, NULL);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	cfx_make(&f->d, "kawan-report");
	write_file(f->d.menus, "languages.cfg", fx_languages);
	write_file(f->d.menus, "ui.cfg", fx_ui);
	write_file(f->d.menus, "keywords.cfg", fx_keywords);
	write_file(f->d.menus, "countries.cfg", CFX_COUNTRIES);
	write_file(f->d.menus, "zcontacts.cfg", fx_contacts);
	write_file(f->d.menus, "nodes.cfg", fx_nodes);
	write_file(f->d.trans, "km.po", fx_km_po);
	write_file(f->d.trans, "my.po", fx_my_po);
	f->c = cfx_load(&f->d);
	engine_settings_default(&f->s);
	memcpy(f->s.country, "MY", 3);
	f->fixture = true;
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

/* How often needle occurs in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Asserts text fits lim once a 4-character reference replaces its "%s". */
static void
assert_fits_ref(const char *text, const struct render_limits *lim)
{
	char buf[4096];
	const char *p = strstr(text, "%s");
	size_t units;
	enum render_coding cd;

	if (p != NULL)
		assert_true(snprintf(buf, sizeof(buf), "%.*sK7Q2%s", (int)(p - text), text, p + 2) <
			    (int)sizeof(buf));
	else
		assert_true(snprintf(buf, sizeof(buf), "%s", text) < (int)sizeof(buf));
	cd = render_coding_of(buf, &units);
	if (units > (cd == RENDER_GSM7 ? lim->gsm7 : lim->ucs2))
		fail_msg("page over budget (%zu units, %s): %s", units,
		    cd == RENDER_GSM7 ? "GSM-7" : "UCS-2", buf);
}

static const struct render_limits lim_sms_info = { 3 * 153, 3 * 67 };

/* One step: its one page checked against the channel's budget. The text
 * is copied to a static buffer. */
static const char *
step(struct fixture *f, enum engine_channel ch, struct engine_session *s, const char *in,
    int64_t now, struct engine_reply *r)
{
	static char last[4096];

	assert_int_equal(engine_step(f->c, &f->s, ch, s, in, now, r), 0);
	if (r->pages.n == 0) {
		last[0] = '\0';
		return last;
	}
	assert_int_equal(r->pages.n, 1);
	assert_true(util_utf8_valid(r->pages.v[0].text, strlen(r->pages.v[0].text)));
	assert_fits_ref(r->pages.v[0].text, ch == ENGINE_USSD ? &f->s.ussd : &lim_sms_info);
	if (!(r->effects & ENGINE_FX_NEEDS_REF))
		assert_int_equal(count(r->pages.v[0].text, "%s"), 0);
	snprintf(last, sizeof(last), "%s", r->pages.v[0].text);
	if (getenv("KAWAN_SHOW") != NULL) /* to read the pages as a phone shows them */
		print_message("--- %s %s %zu units, fx 0x%x\n%s\n",
		    ch == ENGINE_USSD ? "USSD" : "SMS", s->lang, r->pages.v[0].units, r->effects,
		    last);
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

/* One step that must store value in field. */
static const char *
answer(struct fixture *f, enum engine_channel ch, struct engine_session *s, const char *in,
    int64_t now, int field, const char *value)
{
	struct engine_reply r;
	const char *t = step(f, ch, s, in, now, &r);

	assert_true(r.effects & ENGINE_FX_REPORT_FIELD);
	assert_false(r.effects & ENGINE_FX_REPORT);
	assert_int_equal(r.report_field, field);
	assert_string_equal(r.report_value, value);
	engine_reply_free(&r);
	return t;
}

/* One step that must store nothing. */
static const char *
no_answer(struct fixture *f, enum engine_channel ch, struct engine_session *s, const char *in,
    int64_t now)
{
	struct engine_reply r;
	const char *t = step(f, ch, s, in, now, &r);

	assert_false(r.effects & (ENGINE_FX_REPORT_FIELD | ENGINE_FX_REPORT));
	engine_reply_free(&r);
	return t;
}

/* SOS: FX_REPORT, the flow at question q, and the page says it was received. */
static void
sos(struct fixture *f, enum engine_channel ch, struct engine_session *s, const char *word,
    int64_t now, int q)
{
	struct engine_reply r;
	const char *t = step(f, ch, s, word, now, &r);

	assert_true(r.effects & ENGINE_FX_REPORT);
	assert_int_equal(s->state, ENGINE_ST_REPORT);
	assert_int_equal(s->report_step, q);
	assert_string_equal(s->node, "report");
	if (strcmp(s->lang, "en") == 0 || s->lang[0] == '\0')
		assert_non_null(strstr(t, "Report received."));
	engine_reply_free(&r);
}

static void
test_sos_from_everywhere(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply r;
	const char *t;

	/* First contact, no language: English, nationality asked. */
	t = step(f, ENGINE_SMS, &s, "sos", 0, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	assert_false(r.effects & ENGINE_FX_REPORT_FIELD);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	/* The short opening: report_intro's "reply: where are you" would
	 * contradict the numbered question under it. */
	assert_non_null(
	    strstr(t, "Report received. An officer is being alerted now.\nYour home country?"));
	assert_null(strstr(t, "We will not call"));
	assert_non_null(strstr(t, "Your home country?\n1 Indonesia\n2 Philippines"));
	assert_non_null(strstr(t, "8 Another country\n0 Back"));
	assert_int_equal(r.msg_class, -1);
	engine_reply_free(&r);
	/* "0" on the first question leaves the flow: home. */
	no_answer(f, ENGINE_SMS, &s, "0", 1);
	assert_int_equal(s.state, ENGINE_ST_NODE);
	assert_string_equal(s.node, "home");
	assert_int_equal(s.report_step, ENGINE_RQ_NONE);

	/* From the language list. */
	memset(&s, 0, sizeof(s));
	step1(f, ENGINE_SMS, &s, "hi", 0);
	assert_int_equal(s.state, ENGINE_ST_LANG);
	sos(f, ENGINE_SMS, &s, "HELP", 1, ENGINE_RQ_NATIONALITY);

	/* From home and from a page deep down, on USSD. */
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "en", 3);
	step1(f, ENGINE_USSD, &s, "", 0);
	assert_string_equal(s.node, "home");
	sos(f, ENGINE_USSD, &s, "SOS", 1, ENGINE_RQ_NATIONALITY);
	step1(f, ENGINE_USSD, &s, "MENU", 2);
	step1(f, ENGINE_USSD, &s, "1", 3);
	step1(f, ENGINE_USSD, &s, "1", 4);
	assert_string_equal(s.node, "rights.wages");
	t = step(f, ENGINE_USSD, &s, " help ", 5, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	assert_false(r.effects & ENGINE_FX_END);
	/* USSD: the long intro leaves no room; the short one and the list do. */
	assert_non_null(
	    strstr(t, "Report received. An officer is being alerted now.\nYour home country?"));
	engine_reply_free(&r);

	/* The report node from the home menu, and a Khmer HELP word. */
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "en", 3);
	step1(f, ENGINE_SMS, &s, "", 0);
	t = step(f, ENGINE_SMS, &s, "3", 1, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	assert_null(strstr(t, "A duty officer will be told")); /* straight to the question */
	engine_reply_free(&r);
	no_answer(f, ENGINE_SMS, &s, "0", 2);
	assert_string_equal(s.node, "home");
	memset(&s, 0, sizeof(s));
	t = step(f, ENGINE_SMS, &s, "ជួយ", 0, &r);
	assert_string_equal(s.lang, "km");
	assert_int_equal(r.report_field, ENGINE_RF_NATIONALITY);
	assert_string_equal(r.report_value, "KH");
	assert_int_equal(s.report_step, ENGINE_RQ_CATEGORY);
	assert_non_null(strstr(t, "តើមានរឿងអ្វីកើតឡើង?"));
	engine_reply_free(&r);
}

/* The consent question (issue 9): with report_q_notify in the content it
 * comes after the nationality (first when the language implies it), lists
 * who may see the report, stores "ngo", "embassy" or "both", and nothing
 * else is an answer to it. */
static const char *fx_ui_consent =
    "  report_q_notify = \"Who may see your report?\";\n"
    "  notify_ngo = \"Only an NGO helpline (it does not report to immigration)\";\n"
    "  notify_embassy = \"Only your embassy (papers, going home)\";\n"
    "  notify_both = \"Both\";\n"
    "};\n";

static int
setup_consent(void **state)
{
	struct fixture *f;
	char ui[8192];
	size_t n = strlen(fx_ui) - strlen("};\n");

	assert_int_equal(setup(state), 0);
	f = *state;
	content_free(f->c);
	assert_true(n + strlen(fx_ui_consent) < sizeof(ui));
	memcpy(ui, fx_ui, n);
	memcpy(ui + n, fx_ui_consent, strlen(fx_ui_consent) + 1);
	write_file(f->d.menus, "ui.cfg", ui);
	f->c = cfx_load(&f->d);
	return 0;
}

static void
test_consent_question(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply r;
	const char *t;
	static const char *const codes[] = { "ngo", "embassy", "both" };
	static const char *const keys[] = { "1", "2", "3" };

	/* After the nationality, on its own page, with what each choice means. */
	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	t = answer(f, ENGINE_SMS, &s, "4", 1, ENGINE_RF_NATIONALITY, "KH");
	assert_int_equal(s.report_step, ENGINE_RQ_NOTIFY);
	assert_string_equal(t, "Who may see your report?\n"
			       "1 Only an NGO helpline (it does not report to immigration)\n"
			       "2 Only your embassy (papers, going home)\n3 Both\n0 Back");
	/* Not a choice: the question again with the hint, nothing stored. */
	t = no_answer(f, ENGINE_SMS, &s, "7", 2);
	assert_int_equal(s.report_step, ENGINE_RQ_NOTIFY);
	assert_non_null(strstr(t, "Please reply with a number from the list.\nWho may see"));
	t = no_answer(f, ENGINE_SMS, &s, "the embassy", 3);
	assert_int_equal(s.report_step, ENGINE_RQ_NOTIFY);
	/* "0" goes back to the nationality. */
	no_answer(f, ENGINE_SMS, &s, "0", 4);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, &s, "4", 5, ENGINE_RF_NATIONALITY, "KH");
	t = answer(f, ENGINE_SMS, &s, "1", 6, ENGINE_RF_NOTIFY, "ngo");
	assert_int_equal(s.report_step, ENGINE_RQ_CATEGORY);
	assert_true(strncmp(t, "What is happening?", 18) == 0);

	/* Each choice's code, on both channels (the step checks the budgets). */
	for (size_t i = 0; i < 3; i++) {
		for (int ch = 0; ch < 2; ch++) {
			enum engine_channel c = ch == 0 ? ENGINE_SMS : ENGINE_USSD;

			memset(&s, 0, sizeof(s));
			memcpy(s.lang, "en", 3);
			sos(f, c, &s, "HELP", 0, ENGINE_RQ_NATIONALITY);
			answer(f, c, &s, "1", 1, ENGINE_RF_NATIONALITY, "ID");
			answer(f, c, &s, keys[i], 2, ENGINE_RF_NOTIFY, codes[i]);
			assert_int_equal(s.report_step, ENGINE_RQ_CATEGORY);
		}
	}

	/* A language that implies the nationality: the question opens the flow,
	 * under the opening line; "0" leaves the flow. */
	memset(&s, 0, sizeof(s));
	t = step(f, ENGINE_SMS, &s, "ជួយ", 0, &r);
	assert_string_equal(s.lang, "km");
	assert_int_equal(r.report_field, ENGINE_RF_NATIONALITY);
	assert_string_equal(r.report_value, "KH");
	assert_int_equal(s.report_step, ENGINE_RQ_NOTIFY);
	assert_non_null(strstr(t, "បានទទួលរបាយការណ៍។"));
	assert_non_null(strstr(t, "Who may see your report?\n1 Only an NGO helpline"));
	engine_reply_free(&r);
	answer(f, ENGINE_SMS, &s, "3", 1, ENGINE_RF_NOTIFY, "both");
	no_answer(f, ENGINE_SMS, &s, "0", 2);
	assert_int_equal(s.report_step, ENGINE_RQ_NOTIFY);
	no_answer(f, ENGINE_SMS, &s, "0", 3);
	assert_int_not_equal(s.state, ENGINE_ST_REPORT);

	/* HELP again with everything but the consent answered asks it. */
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, &s, "2", 1, ENGINE_RF_NATIONALITY, "PH");
	no_answer(f, ENGINE_SMS, &s, "MENU", 2);
	sos(f, ENGINE_SMS, &s, "SOS", 3, ENGINE_RQ_NATIONALITY);
}

/* The deployment's choices (engine_settings.notify_choices; the router
 * passes the roster's `offer` within who can be reached): KH may tell only
 * the NGO helpline, MM the embassy or both, any other nationality nobody. */
static unsigned
offer_for(const void *arg, const char *nationality)
{
	(void)arg;
	if (strcmp(nationality, "KH") == 0)
		return ENGINE_NOTIFY_NGO;
	if (strcmp(nationality, "MM") == 0)
		return ENGINE_NOTIFY_EMBASSY | ENGINE_NOTIFY_BOTH;
	return 0;
}

/* The consent question lists only what the deployment offers for the
 * report's nationality, numbered without gaps; a nationality nobody can be
 * told about skips it; the nationality survives a session kept without it
 * (the router restores it from the open report). */
static void
test_consent_offer(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply r;
	char other[4];
	const char *t;

	f->s.notify_choices = offer_for;
	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	t = answer(f, ENGINE_SMS, &s, "4", 1, ENGINE_RF_NATIONALITY, "KH");
	assert_string_equal(s.nationality, "KH");
	assert_int_equal(s.report_step, ENGINE_RQ_NOTIFY);
	assert_string_equal(t,
	    "Who may see your report?\n"
	    "1 Only an NGO helpline (it does not report to immigration)\n0 Back");
	t = no_answer(f, ENGINE_SMS, &s, "2", 2);
	assert_non_null(strstr(t, "Please reply with a number from the list."));
	answer(f, ENGINE_SMS, &s, "1", 3, ENGINE_RF_NOTIFY, "ngo");

	/* Burmese implies MM: embassy is 1, both is 2, there is no 3. */
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "my", 3);
	t = step(f, ENGINE_SMS, &s, "SOS", 0, &r);
	assert_string_equal(s.nationality, "MM");
	assert_int_equal(s.report_step, ENGINE_RQ_NOTIFY);
	assert_non_null(strstr(t, "1 Only your embassy (papers, going home)\n2 Both\n"));
	assert_null(strstr(t, "Only an NGO"));
	engine_reply_free(&r);
	/* The session row does not keep the nationality; as the router
	 * restores it from the open report, "2" is still "both". */
	memset(s.nationality, 0, sizeof(s.nationality));
	memcpy(s.nationality, "MM", 3);
	answer(f, ENGINE_SMS, &s, "2", 1, ENGINE_RF_NOTIFY, "both");

	/* Another country: nobody can be told, so the question is not asked. */
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	(void)snprintf(other, sizeof(other), "%zu", content_nchoices(f->c) + 1);
	t = answer(f, ENGINE_SMS, &s, other, 1, ENGINE_RF_NATIONALITY, "OTHER");
	assert_int_equal(s.report_step, ENGINE_RQ_CATEGORY);
	assert_true(strncmp(t, "What is happening?", 18) == 0);
}

static void
test_full_flow(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply r;
	const char *t;

	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	t = answer(f, ENGINE_SMS, &s, "4", 1, ENGINE_RF_NATIONALITY, "KH");
	assert_int_equal(s.report_step, ENGINE_RQ_CATEGORY);
	assert_true(strncmp(t, "What is happening?\n1 Locked in\n2 Documents taken\n", 49) == 0);
	assert_non_null(strstr(t, "7 Trafficked or forced work\n8 Something else\n0 Back"));
	t = answer(f, ENGINE_SMS, &s, "3", 2, ENGINE_RF_CATEGORY, "wages");
	assert_string_equal(t, "Where are you? Town and place.\n0 Back");
	t = answer(f, ENGINE_SMS, &s, "  Jalan 5,\tTaman Sri\nKlang  ", 3, ENGINE_RF_PLACE,
	    "Jalan 5, Taman Sri Klang");
	assert_true(strncmp(t, "Is it safe to call you back?", 28) == 0);
	t = answer(f, ENGINE_SMS, &s, "2", 4, ENGINE_RF_CALLBACK, "sms_only");
	assert_string_equal(t, "Anything else to tell us? Send it, or 0 to finish.");
	t = step(f, ENGINE_SMS, &s, "Boss took my passport", 5, &r);
	assert_true(r.effects & ENGINE_FX_REPORT_FIELD);
	assert_int_equal(r.report_field, ENGINE_RF_MESSAGE);
	assert_string_equal(r.report_value, "Boss took my passport");
	assert_true(r.effects & ENGINE_FX_NEEDS_REF);
	assert_false(r.effects & ENGINE_FX_END);
	assert_int_equal(r.msg_class, -1);
	assert_int_equal(s.report_step, ENGINE_RQ_DONE);
	assert_string_equal(t,
	    "Your reference is %s. Keep it and send STATUS with it to check.\n"
	    "Thank you. Send HELP any time to add more.\n"
	    "In danger, call:\nPolice, ambulance, fire: 999 (24h)\nEmergency from a mobile: 112 (24h)");
	engine_reply_free(&r);
	/* More text after the last page is one more message. */
	t = answer(f, ENGINE_SMS, &s, "He has a gun", 6, ENGINE_RF_MESSAGE, "He has a gun");
	assert_int_equal(count(t, "%s"), 1);
	/* A number goes home. */
	no_answer(f, ENGINE_SMS, &s, "1", 7);
	assert_int_equal(s.state, ENGINE_ST_NODE);
	assert_string_equal(s.node, "home");

	/* Callback "1", a time, and "0" to finish without a message (USSD). */
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "en", 3);
	memcpy(f->s.country, "TH", 3);
	sos(f, ENGINE_USSD, &s, "HELP", 0, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_USSD, &s, "8", 1, ENGINE_RF_NATIONALITY, "OTHER");
	answer(f, ENGINE_USSD, &s, "7", 2, ENGINE_RF_CATEGORY, "trafficked");
	answer(f, ENGINE_USSD, &s, "12", 3, ENGINE_RF_PLACE, "12"); /* digits are text here */
	answer(f, ENGINE_USSD, &s, "1", 4, ENGINE_RF_CALLBACK, "now");
	t = step(f, ENGINE_USSD, &s, "0", 5, &r);
	assert_false(r.effects & ENGINE_FX_REPORT_FIELD);
	assert_true(r.effects & ENGINE_FX_NEEDS_REF);
	assert_true(r.effects & ENGINE_FX_END);
	assert_non_null(strstr(t, "Police: 191 (24h)"));
	assert_null(strstr(t, "999"));
	engine_reply_free(&r);
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "HELP", 0, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, &s, "1", 1, ENGINE_RF_NATIONALITY, "ID");
	answer(f, ENGINE_SMS, &s, "1", 2, ENGINE_RF_CATEGORY, "locked_in");
	answer(f, ENGINE_SMS, &s, "Block C", 3, ENGINE_RF_PLACE, "Block C");
	answer(f, ENGINE_SMS, &s, "after 9pm", 4, ENGINE_RF_CALLBACK, "after 9pm");
	answer(f, ENGINE_SMS, &s, "3", 5, ENGINE_RF_MESSAGE, "3");
	assert_int_equal(s.report_step, ENGINE_RQ_DONE);
}

static void
test_implied_nationality(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply r;
	const char *t;

	memcpy(s.lang, "km", 3);
	step1(f, ENGINE_SMS, &s, "", 0);
	step1(f, ENGINE_SMS, &s, "1", 1); /* rights */
	t = step(f, ENGINE_SMS, &s, "SOS", 2, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	assert_true(r.effects & ENGINE_FX_REPORT_FIELD);
	assert_int_equal(r.report_field, ENGINE_RF_NATIONALITY);
	assert_string_equal(r.report_value, "KH");
	assert_int_equal(s.report_step, ENGINE_RQ_CATEGORY);
	assert_non_null(strstr(t, "បានទទួលរបាយការណ៍"));
	assert_non_null(strstr(t, "3 មិនបានបើកប្រាក់ឈ្នួល"));
	assert_null(strstr(t, "Your home country"));
	engine_reply_free(&r);
	answer(f, ENGINE_SMS, &s, "3", 3, ENGINE_RF_CATEGORY, "wages");
	/* Back from the place goes to the category, and back again leaves the
	 * flow (nationality was never asked): the node before SOS is gone
	 * from the path, home is shown. */
	t = no_answer(f, ENGINE_SMS, &s, "0", 4);
	assert_int_equal(s.report_step, ENGINE_RQ_CATEGORY);
	assert_non_null(strstr(t, "តើមានរឿងអ្វីកើតឡើង?"));
	no_answer(f, ENGINE_SMS, &s, "0", 5);
	assert_int_equal(s.state, ENGINE_ST_NODE);
	assert_string_equal(s.node, "home");

	/* Thai implies nothing: asked. */
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "th", 3);
	t = step(f, ENGINE_SMS, &s, "HELP", 0, &r);
	assert_false(r.effects & ENGINE_FX_REPORT_FIELD);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	engine_reply_free(&r);
	assert_string_equal(content_find_language(f->c, "th")->nationality, "");
	assert_string_equal(content_find_language(f->c, "en")->nationality, "");
	assert_string_equal(content_find_language(f->c, "my")->nationality, "MM");
}

/* The nationality choices are the content's (countries.cfg: choice = true,
 * in file order), then "Another country"; a label is translated with
 * msgctxt country.<CODE>; with no choice at all the question is not asked. */
static void
test_nationality_choices(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	const char *t;

	content_free(f->c);
	write_file(f->d.menus, "countries.cfg",
	    "countries = (\n"
	    "  { code = \"KH\"; name = \"Cambodia\"; choice = true; },\n"
	    "  { code = \"MY\"; name = \"Malaysia\"; },\n"
	    "  { code = \"MM\"; name = \"Myanmar\"; choice = true; }\n"
	    ");\n");
	write_file(f->d.trans, "th.po", PO_HEAD("th") PO("country.MM", "Myanmar", "เมียนมา"));
	f->c = cfx_load(&f->d);
	memcpy(s.lang, "en", 3);
	t = step1(f, ENGINE_SMS, &s, "SOS", 0);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	assert_non_null(
	    strstr(t, "Your home country?\n1 Cambodia\n2 Myanmar\n3 Another country\n"));
	assert_null(strstr(t, "Malaysia"));
	no_answer(f, ENGINE_SMS, &s, "4", 1);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, &s, "2", 2, ENGINE_RF_NATIONALITY, "MM");
	t = no_answer(f, ENGINE_SMS, &s, "0", 3);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, &s, "1", 4, ENGINE_RF_NATIONALITY, "KH");
	no_answer(f, ENGINE_SMS, &s, "0", 5);
	answer(f, ENGINE_SMS, &s, "3", 6, ENGINE_RF_NATIONALITY, "OTHER");

	/* Thai: the translated label; Cambodia has none, the English is shown. */
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "th", 3);
	f->s.serve_fuzzy = false;
	t = step1(f, ENGINE_SMS, &s, "SOS", 0);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	assert_non_null(strstr(t, "1 Cambodia\n2 เมียนมา\n3 "));

	/* No choice: not asked; "0" at the first question leaves the flow. */
	content_free(f->c);
	write_file(f->d.menus, "countries.cfg",
	    "countries = (\n"
	    "  { code = \"KH\"; name = \"Cambodia\"; },\n"
	    "  { code = \"MM\"; name = \"Myanmar\"; }\n"
	    ");\n");
	f->c = cfx_load(&f->d);
	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "en", 3);
	step1(f, ENGINE_SMS, &s, "", 0);
	t = step1(f, ENGINE_SMS, &s, "SOS", 1);
	assert_int_equal(s.report_step, ENGINE_RQ_CATEGORY);
	assert_null(strstr(t, "Your home country"));
	no_answer(f, ENGINE_SMS, &s, "0", 2);
	assert_int_equal(s.state, ENGINE_ST_NODE);
	assert_string_equal(s.node, "home");
}

static void
test_back_and_hints(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	const char *t;

	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	t = no_answer(f, ENGINE_SMS, &s, "9", 1);
	assert_true(
	    strncmp(t, "Please reply with a number from the list.\nYour home country?", 60) == 0);
	no_answer(f, ENGINE_SMS, &s, "Cambodia", 2);
	no_answer(f, ENGINE_SMS, &s, "\xff\xfe", 3);
	no_answer(f, ENGINE_SMS, &s, "", 4);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, &s, "3", 5, ENGINE_RF_NATIONALITY, "MM");
	answer(f, ENGINE_SMS, &s, "2", 6, ENGINE_RF_CATEGORY, "documents");
	t = no_answer(f, ENGINE_SMS, &s, "0", 7);
	assert_int_equal(s.report_step, ENGINE_RQ_CATEGORY);
	assert_true(strncmp(t, "What is happening?", 18) == 0);
	/* Answered again: stored again, on to the first unanswered after it. */
	answer(f, ENGINE_SMS, &s, "5", 8, ENGINE_RF_CATEGORY, "arrested");
	assert_int_equal(s.report_step, ENGINE_RQ_PLACE);
	answer(f, ENGINE_SMS, &s, "Klang", 9, ENGINE_RF_PLACE, "Klang");
	no_answer(f, ENGINE_SMS, &s, "0", 10);
	assert_int_equal(s.report_step, ENGINE_RQ_PLACE);
	answer(f, ENGINE_SMS, &s, "Shah Alam", 11, ENGINE_RF_PLACE, "Shah Alam");
	assert_int_equal(s.report_step, ENGINE_RQ_CALLBACK);
	/* Empty input and "98" re-show a free-text question without storing. */
	no_answer(f, ENGINE_SMS, &s, "   ", 12);
	no_answer(f, ENGINE_SMS, &s, "98", 12);
	assert_int_equal(s.report_step, ENGINE_RQ_CALLBACK);
	/* "00" leaves for home. */
	no_answer(f, ENGINE_SMS, &s, "00", 13);
	assert_int_equal(s.state, ENGINE_ST_NODE);
	assert_string_equal(s.node, "home");
	assert_int_equal(s.report_step, ENGINE_RQ_NONE);
	assert_int_equal(s.report_answered, 0);
}

static void
test_keywords_leave(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply r;

	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, &s, "1", 1, ENGINE_RF_NATIONALITY, "ID");
	no_answer(f, ENGINE_SMS, &s, "menu", 2);
	assert_int_equal(s.state, ENGINE_ST_NODE);
	assert_string_equal(s.node, "home");
	assert_int_equal(s.report_step, ENGINE_RQ_NONE);
	/* A new SOS after leaving starts the questions again. */
	sos(f, ENGINE_SMS, &s, "SOS", 3, ENGINE_RQ_NATIONALITY);
	no_answer(f, ENGINE_SMS, &s, "LANG", 4);
	assert_int_equal(s.state, ENGINE_ST_LANG);
	assert_int_equal(s.report_step, ENGINE_RQ_NONE);
	sos(f, ENGINE_SMS, &s, "SOS", 5, ENGINE_RQ_NATIONALITY);
	step(f, ENGINE_USSD, &s, "STOP", 6, &r);
	assert_true(r.effects & ENGINE_FX_STOP);
	assert_int_equal(s.state, ENGINE_ST_NEW);
	assert_int_equal(s.report_step, ENGINE_RQ_NONE);
	engine_reply_free(&r);
	/* STATUS in the flow: the router answers, the flow stays. */
	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 7, ENGINE_RQ_NATIONALITY);
	step(f, ENGINE_SMS, &s, "STATUS k7q2", 8, &r);
	assert_true(r.effects & ENGINE_FX_STATUS);
	assert_int_equal(s.state, ENGINE_ST_REPORT);
	assert_int_equal(s.report_step, ENGINE_RQ_NATIONALITY);
	engine_reply_free(&r);
}

static void
test_timeout(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };

	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, &s, "2", 1000, ENGINE_RF_NATIONALITY, "PH");
	answer(f, ENGINE_SMS, &s, "4", 1000 + 1800000, ENGINE_RF_CATEGORY, "violence");
	/* Over 30 minutes: the flow has ended; the place is not taken. */
	no_answer(f, ENGINE_SMS, &s, "Ipoh", 1000 + 3600001);
	assert_int_equal(s.state, ENGINE_ST_NODE);
	assert_string_equal(s.node, "home");
	assert_int_equal(s.report_step, ENGINE_RQ_NONE);
	assert_int_equal(s.report_answered, 0);

	memset(&s, 0, sizeof(s));
	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_USSD, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	no_answer(f, ENGINE_USSD, &s, "1", 180001);
	assert_string_equal(s.node, "home");
}

static void
test_repeated_sos(void **state)
{
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	struct engine_reply r;
	const char *t;

	memcpy(s.lang, "en", 3);
	sos(f, ENGINE_SMS, &s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, &s, "1", 1, ENGINE_RF_NATIONALITY, "ID");
	answer(f, ENGINE_SMS, &s, "6", 2, ENGINE_RF_CATEGORY, "sick");
	/* SOS again while the place is asked: reported again, the place again. */
	sos(f, ENGINE_SMS, &s, "SOS", 3, ENGINE_RQ_PLACE);
	answer(f, ENGINE_SMS, &s, "Kajang", 4, ENGINE_RF_PLACE, "Kajang");
	answer(f, ENGINE_SMS, &s, "1", 5, ENGINE_RF_CALLBACK, "now");
	answer(f, ENGINE_SMS, &s, "Please hurry", 6, ENGINE_RF_MESSAGE, "Please hurry");
	assert_int_equal(s.report_step, ENGINE_RQ_DONE);
	/* After the last page: HELP asks for more. */
	t = step(f, ENGINE_SMS, &s, "HELP", 7, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	assert_int_equal(s.report_step, ENGINE_RQ_MESSAGE);
	assert_non_null(strstr(t, "Anything else to tell us?"));
	engine_reply_free(&r);
	answer(f, ENGINE_SMS, &s, "They moved me", 8, ENGINE_RF_MESSAGE, "They moved me");
	assert_int_equal(s.report_step, ENGINE_RQ_DONE);
	/* The persisted progress survives a reload of the session struct. */
	{
		struct engine_session copy = s;

		copy.report_answered |= 0xff00u; /* junk bits from storage */
		copy.report_step = 42;
		copy.state = ENGINE_ST_REPORT;
		no_answer(f, ENGINE_SMS, &copy, "", 9);
		/* sanitised: progress dropped, the questions start again */
		assert_int_equal(copy.state, ENGINE_ST_REPORT);
		assert_int_equal(copy.report_step, ENGINE_RQ_NATIONALITY);
		assert_int_equal(copy.report_answered, 0);
	}
}

/* Runs lang's flow on ch up to the last page; checks every page. Returns
 * the last page's text (static). */
static const char *
flow_to_end(struct fixture *f, enum engine_channel ch, const char *lang, bool zawgyi)
{
	struct engine_session s = { 0 };
	struct engine_reply r;
	const char *t;
	int64_t now = 0;

	memcpy(s.lang, lang, strlen(lang) + 1);
	s.variant = zawgyi;
	step(f, ch, &s, "SOS", now++, &r);
	assert_true(r.effects & ENGINE_FX_REPORT);
	if (zawgyi && f->fixture)
		assert_true(render_looks_zawgyi(r.pages.v[0].text));
	engine_reply_free(&r);
	while (s.report_step != ENGINE_RQ_DONE) {
		const char *in = s.report_step == ENGINE_RQ_PLACE   ? "Klang" :
				 s.report_step == ENGINE_RQ_MESSAGE ? "0" :
								      "1";

		assert_true(now < 20);
		step1(f, ch, &s, in, now++);
		assert_int_equal(s.state, ENGINE_ST_REPORT);
	}
	t = step(f, ch, &s, "Help me please", now, &r);
	assert_true(r.effects & ENGINE_FX_NEEDS_REF);
	assert_int_equal(count(t, "%s"), 1);
	assert_int_equal(count(t, "%"), 1);
	if (ch == ENGINE_USSD)
		assert_true(r.effects & ENGINE_FX_END);
	engine_reply_free(&r);
	return t;
}

static void
test_last_page_budgets(void **state)
{
	struct fixture *f = *state;
	static const char *countries[] = { "MY", "TH", "SG", "BN" };
	const char *t;

	for (size_t k = 0; k < 4; k++) {
		memcpy(f->s.country, countries[k], 3);
		for (int ch = ENGINE_SMS; ch <= ENGINE_USSD; ch++) {
			t = flow_to_end(f, (enum engine_channel)ch, "en", false);
			assert_non_null(strstr(t, "Your reference is %s."));
			if (ch == ENGINE_SMS && k == 0)
				assert_non_null(strstr(t, "999 (24h)"));
			t = flow_to_end(f, (enum engine_channel)ch, "km", false);
			assert_non_null(strstr(t, "លេខយោងរបស់អ្នកគឺ %s។"));
			t = flow_to_end(f, (enum engine_channel)ch, "my", false);
			assert_non_null(strstr(t, "%s"));
			t = flow_to_end(f, (enum engine_channel)ch, "my", true);
			assert_non_null(strstr(t, "%s"));
			if (strstr(t, "STATUS") != NULL && strstr(t, "Your reference") == NULL)
				assert_true(render_looks_zawgyi(t));
			t = flow_to_end(f, (enum engine_channel)ch, "th", false);
			assert_non_null(strstr(t, "%s"));
		}
	}
	/* Khmer on USSD: the numbers are the first thing dropped after the reference
	 * and the thanks, but the reference line is always whole. */
	memcpy(f->s.country, "MY", 3);
	t = flow_to_end(f, ENGINE_USSD, "km", false);
	assert_true(strncmp(t, "លេខយោងរបស់អ្នកគឺ %s។", strlen("លេខយោងរបស់អ្នកគឺ %s។")) == 0);
}

static size_t
ref_len_ok(const char *v, size_t cap)
{
	size_t n = strlen(v);

	assert_true(n < cap);
	assert_true(util_utf8_valid(v, n));
	for (size_t i = 0; i < n; i++)
		assert_true((unsigned char)v[i] >= 0x20 && v[i] != 0x7f);
	return n;
}

/* Moves a fresh English session to the place question. */
static void
to_place(struct fixture *f, struct engine_session *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->lang, "en", 3);
	sos(f, ENGINE_SMS, s, "SOS", 0, ENGINE_RQ_NATIONALITY);
	answer(f, ENGINE_SMS, s, "1", 1, ENGINE_RF_NATIONALITY, "ID");
	answer(f, ENGINE_SMS, s, "1", 2, ENGINE_RF_CATEGORY, "locked_in");
}

/* Sends in at the place question; returns the stored value (static). */
static const char *
place_value(struct fixture *f, const char *in)
{
	static char v[512];
	struct engine_session s;
	struct engine_reply r;

	to_place(f, &s);
	step(f, ENGINE_SMS, &s, in, 3, &r);
	assert_true(r.effects & ENGINE_FX_REPORT_FIELD);
	assert_int_equal(r.report_field, ENGINE_RF_PLACE);
	ref_len_ok(r.report_value, ENGINE_REPORT_PLACE_MAX);
	assert_int_equal(s.report_step, ENGINE_RQ_CALLBACK);
	snprintf(v, sizeof(v), "%s", r.report_value);
	engine_reply_free(&r);
	return v;
}

static void
test_hostile_text(void **state)
{
	struct fixture *f = *state;
	static char big[4096], bin[80];
	struct engine_session s;
	struct engine_reply r;
	const char *v;
	size_t n;

	v = place_value(f, "%n%s%x%p");
	assert_string_equal(v, "%n%s%x%p");
	memset(big, 'A', 1024);
	big[1024] = '\0';
	v = place_value(f, big);
	assert_int_equal(strlen(v), ENGINE_REPORT_PLACE_MAX - 1);
	memset(big, 'B', 3000);
	big[3000] = '\0';
	v = place_value(f, big);
	assert_int_equal(strlen(v), ENGINE_REPORT_PLACE_MAX - 1);
	v = place_value(f, "Klang \xff\xfe\xc0\xaf end");
	assert_string_equal(v, "Klang \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd end");
	for (size_t i = 0; i + 1 < sizeof(bin); i++)
		bin[i] = (char)(i * 37 + 1);
	bin[sizeof(bin) - 1] = '\0';
	place_value(f, bin);
	/* Khmer (3 bytes a character): cut on a character boundary. */
	big[0] = '\0';
	for (n = 0; n + 3 < 3000; n += 3)
		memcpy(big + n, "ក", 3);
	big[n] = '\0';
	v = place_value(f, big);
	assert_int_equal(strlen(v) % 3, 0);
	assert_true(strlen(v) > ENGINE_REPORT_PLACE_MAX - 4);
	/* The message keeps up to report_value's size, whole characters. */
	to_place(f, &s);
	answer(f, ENGINE_SMS, &s, "x", 3, ENGINE_RF_PLACE, "x");
	answer(f, ENGINE_SMS, &s, "1", 4, ENGINE_RF_CALLBACK, "now");
	memcpy(big, "z", 1); /* 1 + 3k bytes: the cut lands inside a character */
	for (n = 1; n + 3 < 3000; n += 3)
		memcpy(big + n, "ក", 3);
	big[n] = '\0';
	step(f, ENGINE_SMS, &s, big, 5, &r);
	assert_int_equal(r.report_field, ENGINE_RF_MESSAGE);
	n = ref_len_ok(r.report_value, sizeof(r.report_value));
	assert_true(n > sizeof(r.report_value) - 4);
	assert_int_equal((n - 1) % 3, 0);
	assert_true(r.effects & ENGINE_FX_NEEDS_REF);
	engine_reply_free(&r);
	/* Hostile text in list questions is a hint; after the last page, a message. */
	to_place(f, &s);
	s.report_step = ENGINE_RQ_CATEGORY;
	no_answer(f, ENGINE_SMS, &s, "%s%n", 6);
	no_answer(f, ENGINE_SMS, &s, bin, 7);
}

/* Inputs of every kind in every step: never a crash, every page in budget. */
static void
test_fuzz_flow(void **state)
{
	static const char *words[] = { "0", "00", "98", "1", "2", "3", "8", "9", "SOS", "HELP",
		"MENU", "%s%n", "", "Klang", "\xff", "ជួយ", "STATUS", "12345" };
	struct fixture *f = *state;
	struct engine_session s = { 0 };
	uint64_t x = 0x7265706f72740a01ULL;

	for (int i = 0; i < 5000; i++) {
		struct engine_reply r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (s.state != ENGINE_ST_REPORT && x % 3 == 0)
			step1(f, (x >> 8) & 1 ? ENGINE_USSD : ENGINE_SMS, &s, "SOS", i);
		step(f, (x >> 8) & 1 ? ENGINE_USSD : ENGINE_SMS, &s,
		    words[(x >> 16) % (sizeof(words) / sizeof(words[0]))], i, &r);
		if (r.effects & ENGINE_FX_REPORT_FIELD)
			ref_len_ok(r.report_value, sizeof(r.report_value));
		engine_reply_free(&r);
	}
}

/* The flow over the real content: every language, both channels, the
 * deployment countries, fuzzy drafts served or not. */
static void
test_real_content_flow(void **state)
{
	struct content_errors errs;
	struct fixture rf;
	const char *root = getenv("KAWAN_SRC") != NULL ? getenv("KAWAN_SRC") : ".";
	static const char *countries[] = { "MY", "SG", "TH", "BN" };
	char lcfg[600], buf[8192];

	(void)state;
	memset(&rf, 0, sizeof(rf));
	snprintf(rf.d.menus, sizeof(rf.d.menus), "%s/menus", root);
	snprintf(rf.d.trans, sizeof(rf.d.trans), "%s/translations", root);
	snprintf(lcfg, sizeof(lcfg), "%s/languages.cfg", rf.d.menus);
	if (access(lcfg, R_OK) != 0) {
		print_message(
		    "skipped: %s absent (run from the repository root or set KAWAN_SRC)\n", lcfg);
		skip();
	}
	if (content_load(rf.d.menus, rf.d.trans, &rf.c, &errs) == -1) {
		content_errors_format(&errs, buf, sizeof(buf));
		fail_msg("real content does not load:\n%s", buf);
	}
	engine_settings_default(&rf.s);
	for (size_t k = 0; k < 8; k++) {
		memcpy(rf.s.country, countries[k % 4], 3);
		rf.s.serve_fuzzy = k >= 4;
		for (size_t li = 0; li < content_nlanguages(rf.c); li++) {
			const struct content_language *l = content_language_at(rf.c, li);

			for (int ch = ENGINE_SMS; ch <= ENGINE_USSD; ch++)
				for (int zg = 0; zg <= ((l->variant[0] != 0) ? 1 : 0); zg++)
					flow_to_end(&rf, (enum engine_channel)ch, l->code, zg);
		}
	}
	content_free(rf.c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sos_from_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_question, setup_consent, teardown),
		cmocka_unit_test_setup_teardown(test_consent_offer, setup_consent, teardown),
		cmocka_unit_test_setup_teardown(test_implied_nationality, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nationality_choices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_back_and_hints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keywords_leave, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeated_sos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_page_budgets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzz_flow, setup, teardown),
		cmocka_unit_test(test_real_content_flow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
