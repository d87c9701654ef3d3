/* test_ussd.c - the USSD link below HTTP: the strict form decoder, the
 * session/rate table, and router_ussd_hop on the real menus/ and
 * translations/ (the same history gives the same page, each effect happens
 * once whatever is retried, a free-text answer may hold '*', a restart
 * loses nothing, the reference goes by SMS to a worker who left early). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel/ussd_form.h"
#include "channel/ussd_table.h"
#include "config/config.h"
#include "content/content.h"
#include "core/log.h"
#include "reports/reports.h"
#include "router/router.h"
#include "store/store.h"

#include "store_fixture.h"

#include "content_fixture.h"

#define NOW 1800000000000LL

/* --- the form ----------------------------------------------------------- */

static enum ussd_form_err
parse(const char *body, struct ussd_form *f)
{
	char why[160];

	return ussd_form_parse(body, strlen(body), f, why, sizeof(why));
}

static void
test_form_parse(void **state)
{
	static struct ussd_form f;

	(void)state;
	assert_int_equal(parse("sessionId=ATUid_1&serviceCode=*123%23&phoneNumber=%2B60123456789"
			       "&networkCode=50212&text=4*1*Jalan+5%2A7*%E1%80%80",
			     &f),
	    USSD_FORM_OK);
	assert_string_equal(f.session_id, "ATUid_1");
	assert_string_equal(f.service_code, "*123#");
	assert_string_equal(f.phone, "+60123456789");
	assert_string_equal(f.network, "50212");
	assert_string_equal(f.text, "4*1*Jalan 5*7*\xe1\x80\x80");
	/* Without '+', any field order, unknown fields ignored, empty text. */
	assert_int_equal(
	    parse("text=&foo=bar&phoneNumber=60123456789&serviceCode=*1%23&sessionId=x", &f),
	    USSD_FORM_OK);
	assert_string_equal(f.phone, "+60123456789");
	assert_string_equal(f.text, "");
	assert_string_equal(f.network, "");
}

static void
test_form_refuses(void **state)
{
	static struct ussd_form f;
	static char big[USSD_FORM_BODY_MAX + 100];
	const char *ok = "sessionId=s&serviceCode=*1%23&phoneNumber=60123456789&text=";

	(void)state;
	assert_int_equal(parse("sessionId=s&serviceCode=*1%23&text=1", &f), USSD_FORM_MISSING);
	assert_int_equal(parse("serviceCode=*1%23&phoneNumber=601234567&text=1", &f),
	    USSD_FORM_MISSING);
	assert_int_equal(parse("sessionId=s&serviceCode=*1%23&phoneNumber=601234567", &f),
	    USSD_FORM_MISSING);
	assert_int_equal(parse("sessionId=s&serviceCode=*1%23&phoneNumber=601234567&text=%zz", &f),
	    USSD_FORM_ESCAPE);
	assert_int_equal(parse("sessionId=s&serviceCode=*1%23&phoneNumber=601234567&text=1%2", &f),
	    USSD_FORM_ESCAPE);
	assert_int_equal(parse("sessionId=s&serviceCode=*1%23&phoneNumber=601234567&text=%", &f),
	    USSD_FORM_ESCAPE);
	assert_int_equal(parse("sessionId=s&serviceCode=*1%23&phoneNumber=601234567&text=%ff", &f),
	    USSD_FORM_UTF8);
	assert_int_equal(
	    parse("sessionId=s&serviceCode=*1%23&phoneNumber=601234567&text=a%00b", &f),
	    USSD_FORM_UTF8);
	assert_int_equal(
	    parse("sessionId=s&sessionId=t&serviceCode=*1%23&phoneNumber=601234567&text=", &f),
	    USSD_FORM_TWICE);
	assert_int_equal(parse("sessionId=a+b&serviceCode=*1%23&phoneNumber=601234567&text=", &f),
	    USSD_FORM_BAD);
	assert_int_equal(parse("sessionId=s&serviceCode=*1%23&phoneNumber=12ab&text=", &f),
	    USSD_FORM_BAD);
	assert_int_equal(parse("sessionId=s&serviceCode=*1%23&phoneNumber=123&text=", &f),
	    USSD_FORM_BAD);
	/* A value longer than its field. */
	snprintf(big, sizeof(big), "%s&sessionId=", ok);
	memset(big + strlen(big), 'a', 200);
	assert_int_equal(parse(big, &f), USSD_FORM_TWICE);
	snprintf(big, sizeof(big), "serviceCode=*1%%23&phoneNumber=601234567&text=&sessionId=");
	memset(big + strlen(big), 'a', 200);
	assert_int_equal(parse(big, &f), USSD_FORM_LONG);
	assert_int_equal(parse(ok, &f), USSD_FORM_OK);
}

static void
test_form_helpers(void **state)
{
	char out[USSD_FORM_PHONE_MAX];

	(void)state;
	assert_int_equal(ussd_form_hops(""), 0);
	assert_int_equal(ussd_form_hops("1"), 1);
	assert_int_equal(ussd_form_hops("1*2*"), 3);
	assert_int_equal(ussd_form_hops("***"), 4);
	assert_int_equal(ussd_form_phone("+60 12-345 6789", out, sizeof(out)), 0);
	assert_string_equal(out, "+60123456789");
	assert_int_equal(ussd_form_phone("1234567890123456", out, sizeof(out)), -1);
	assert_int_equal(ussd_form_phone("++601234567", out, sizeof(out)), -1);
	assert_true(ussd_form_secret_eq("s3cret-token", "s3cret-token"));
	assert_false(ussd_form_secret_eq("s3cret-toke", "s3cret-token"));
	assert_false(ussd_form_secret_eq("s3cret-tokenn", "s3cret-token"));
	assert_false(ussd_form_secret_eq("", "s3cret-token"));
	assert_false(ussd_form_secret_eq("S3cret-token", "s3cret-token"));
}

/* --- the table ---------------------------------------------------------- */

static void
test_table(void **state)
{
	struct ussd_table t;
	char key[32];
	bool fresh;
	struct ussd_entry *e;

	(void)state;
	assert_int_equal(ussd_table_init(&t, 100, 1000), 0);
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		e = ussd_table_get(&t, key, 0, &fresh);
		assert_non_null(e);
		assert_true(fresh);
		e->count = i;
	}
	/* Full: a new key is refused, a known one found again. */
	assert_null(ussd_table_get(&t, "new", 10, NULL));
	e = ussd_table_get(&t, "k42", 10, &fresh);
	assert_non_null(e);
	assert_false(fresh);
	assert_int_equal(e->count, 42);
	assert_int_equal(ussd_table_count(&t, 10), 100);
	/* Once their life is over, entries free room (k42 was touched at
	 * 500); a full table is swept at most once a second (last at 10). */
	assert_non_null(ussd_table_get(&t, "k42", 500, NULL));
	assert_null(ussd_table_get(&t, "new", 1005, &fresh));
	assert_non_null(ussd_table_get(&t, "new", 1011, &fresh));
	assert_true(fresh);
	assert_int_equal(ussd_table_count(&t, 1011), 2);
	e = ussd_table_get(&t, "k42", 1011, &fresh);
	assert_non_null(e);
	assert_false(fresh);
	assert_int_equal(e->count, 42);
	/* An expired key comes back fresh, its count reset. */
	e = ussd_table_get(&t, "k42", 5000, &fresh);
	assert_non_null(e);
	assert_true(fresh);
	assert_int_equal(e->count, 0);
	/* Many rounds of churn never lose a live key or fill the table. */
	for (int r = 0; r < 50; r++) {
		for (int i = 0; i < 100; i++) {
			snprintf(key, sizeof(key), "r%d-%d", r, i);
			assert_non_null(ussd_table_get(&t, key, 10000 + r * 2000, NULL));
		}
		assert_int_equal(ussd_table_count(&t, 10000 + r * 2000), 100);
	}
	assert_null(ussd_table_get(&t, "", 0, NULL));
	ussd_table_fini(&t);
}

/* --- router_ussd_hop on the real content -------------------------------- */

struct fx {
	struct sfx_db db;
	struct kawan_config cfg;
	struct engine_settings eng;
	struct router_ctx rc;
};

static struct content *real;

static int
group_setup(void **state)
{
	(void)state;
	log_init("test_ussd", LOG_LEVEL_ERROR);
	return cfx_load_src("", &real);
}

static int
group_teardown(void **state)
{
	(void)state;
	content_free(real);
	return 0;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL || sfx_open(&f->db, "test_ussd") != 0)
		return -1;
	config_default(&f->cfg);
	f->cfg.content.configured = 1;
	f->cfg.content.serve_fuzzy = 1;
	f->cfg.ussd.enabled = 1;
	/* Indonesia's roster: one officer. */
	memcpy(f->cfg.rosters[0].nationality, "ID", 3);
	memcpy(f->cfg.rosters[0].officers[0].name, "Officer A", 10);
	memcpy(f->cfg.rosters[0].officers[0].number, "+60111000111", 13);
	f->cfg.rosters[0].nofficers = 1;
	f->cfg.nrosters = 1;
	f->cfg.reports.sos_default = CONFIG_TELL_BOTH; /* SOS tells the roster at once */
	router_engine_settings(&f->cfg, &f->eng);
	f->rc.cfg = &f->cfg;
	f->rc.content = real;
	f->rc.engine = &f->eng;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	sfx_close(&f->db);
	free(f);
	return 0;
}

/* One hop; the page is returned in a static buffer ("CON ..."/"END ..."). */
static const char *
hop_at(struct fx *f, const char *sid, const char *msisdn, const char *text, int64_t now)
{
	static char buf[ROUTER_USSD_PAGE_MAX + 8];
	static struct router_ussd_page p;
	struct router_ussd_hop h = { sid, msisdn, text, 64 };

	assert_int_equal(router_ussd_hop(f->db.st, &f->rc, &h, now, &p), 0);
	snprintf(buf, sizeof(buf), "%s %s", p.end ? "END" : "CON", p.page);
	return buf;
}

static const char *
hop(struct fx *f, const char *sid, const char *text)
{
	return hop_at(f, sid, "+60123456789", text, NOW);
}

static int64_t
count(struct fx *f, const char *sql)
{
	return sfx_int(f->db.path, sql);
}

/* The same (session, history) is the same page, in any session and after
 * anything; moving about the menu writes nothing. */
static void
test_hop_replays(void **state)
{
	struct fx *f = *state;
	char first[ROUTER_USSD_PAGE_MAX + 8], deep[ROUTER_USSD_PAGE_MAX + 8];

	assert_non_null(strstr(hop(f, "a", ""), "Choose your language"));
	strcpy(first, hop(f, "a", ""));
	assert_string_equal(hop(f, "a", ""), first);
	/* English: a language choice is written (the number's preference). */
	assert_non_null(strstr(hop(f, "a", "1"), "Language set"));
	assert_int_equal(count(f, "SELECT count(*) FROM prefs WHERE lang = 'en'"), 1);
	strcpy(deep, hop(f, "a", "1*2*1"));
	assert_non_null(strstr(deep, "CON "));
	assert_int_equal(count(f, "SELECT hops FROM ussd_session WHERE session_id = 'a'"), 1);
	/* Deeper hops, back and home, retried in any order: still one row,
	 * one answer recorded, and each history its own page. */
	assert_string_equal(hop(f, "a", "1*2*1"), deep);
	(void)hop(f, "a", "1*2*1*0*00*3");
	assert_string_equal(hop(f, "a", "1*2*1"), deep);
	assert_string_equal(hop(f, "a", "1"), hop(f, "a", "1"));
	assert_int_equal(count(f, "SELECT hops FROM ussd_session WHERE session_id = 'a'"), 1);
	/* The number now has English: a new session starts at home. */
	assert_non_null(strstr(hop(f, "b", ""), "2 Your rights"));
	/* ... and its "1" is the rights menu, not a language. */
	assert_non_null(strstr(hop(f, "b", "2"), "Your rights"));
	assert_int_equal(count(f, "SELECT count(*) FROM ussd_session WHERE session_id = 'b'"), 0);
	/* Session "a" still replays from the language list it began on. */
	assert_string_equal(hop(f, "a", "1*2*1"), deep);
}

/* A report over USSD: opened once, every answer stored once, officers
 * alerted by the reports tick, the reference on an END page; retries of
 * any hop change nothing. */
static void
test_hop_report_once(void **state)
{
	struct fx *f = *state;
	struct reports_ctx x = { f->db.st, &f->cfg, real, true, ENGINE_USSD };
	char end[ROUTER_USSD_PAGE_MAX + 8], ref[8] = "";
	const char *p;

	(void)hop(f, "r", "");
	(void)hop(f, "r", "1");
	p = hop(f, "r", "1*1");
	assert_non_null(strstr(p, "Your home country?"));
	assert_int_equal(count(f, "SELECT count(*) FROM report"), 1);
	/* A retry of the hop that opened it. */
	assert_string_equal(hop(f, "r", "1*1"), p);
	assert_int_equal(count(f, "SELECT count(*) FROM report"), 1);
	/* Indonesia: its officer is alerted by the core's reports tick. */
	(void)hop(f, "r", "1*1*1");
	assert_true(reports_tick(&x, NOW + 1) >= 1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound WHERE dest = '+60111000111'"), 1);
	(void)hop(f, "r", "1*1*1*1"); /* whom to tell: the embassy, the only choice (no NGO desk) */
	(void)hop(f, "r", "1*1*1*1*3");
	/* A place with '*' in it is one answer. */
	(void)hop(f, "r", "1*1*1*1*3*Blok 5*Jalan 2");
	(void)hop(f, "r", "1*1*1*1*3*Blok 5*Jalan 2*2");
	strcpy(end, hop(f, "r", "1*1*1*1*3*Blok 5*Jalan 2*2*boss took*passport"));
	assert_true(strncmp(end, "END ", 4) == 0);
	assert_non_null(strstr(end, "Your reference is "));
	memcpy(ref, strstr(end, "Your reference is ") + 18, 4);
	assert_int_equal(count(f, "SELECT count(*) FROM report"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM report WHERE place = 'Blok 5*Jalan 2'"
				  " AND message = 'boss took*passport' AND nationality = 'ID'"
				  " AND callback = 'sms_only'"),
	    1);
	{
		int64_t audit = count(f, "SELECT count(*) FROM audit");
		int64_t out = count(f, "SELECT count(*) FROM outbound");

		/* Retries of the last hop and of earlier ones: same pages, no effect. */
		assert_string_equal(hop(f, "r", "1*1*1*1*3*Blok 5*Jalan 2*2*boss took*passport"),
		    end);
		(void)hop(f, "r", "1*1*1*1*3*Blok 5*Jalan 2");
		(void)hop(f, "r", "1*1");
		assert_int_equal(count(f, "SELECT count(*) FROM audit"), audit);
		assert_int_equal(count(f, "SELECT count(*) FROM outbound"), out);
		assert_int_equal(count(f, "SELECT count(*) FROM report"), 1);
	}
	/* The reference page was shown: no SMS owed. */
	assert_int_equal(router_ussd_owed(f->db.st, &f->rc, NOW + 3600000), 0);
}

/* A restarted gateway has only the database: the same answers. */
static void
test_hop_after_restart(void **state)
{
	struct fx *f = *state;
	char want[ROUTER_USSD_PAGE_MAX + 8];

	(void)hop(f, "k", "");
	(void)hop(f, "k", "1");
	(void)hop(f, "k", "1*1");
	(void)hop(f, "k", "1*1*1");
	(void)hop(f, "k", "1*1*1*1"); /* whom to tell: the embassy, the only choice (no NGO desk) */
	(void)hop(f, "k", "1*1*1*1*3");
	strcpy(want, hop(f, "k", "1*1*1*1*3*Blok 5*Jalan 2"));
	sfx_reopen(&f->db);
	assert_string_equal(hop(f, "k", "1*1*1*1*3*Blok 5*Jalan 2"), want);
	assert_non_null(strstr(hop(f, "k", "1*1*1*1*3*Blok 5*Jalan 2*1"), "Anything else"));
	assert_int_equal(count(f, "SELECT count(*) FROM report WHERE callback = 'now'"), 1);
}

/* A history that is not this session's, or too long: refused, no effect. */
static void
test_hop_refused(void **state)
{
	struct fx *f = *state;
	struct router_ussd_page p;
	struct router_ussd_hop h = { "z", "+60123456789", "2*1", 64 };
	char many[300];

	(void)hop(f, "z", "1");
	assert_int_equal(router_ussd_hop(f->db.st, &f->rc, &h, NOW, &p), 1);
	assert_non_null(strstr(p.why, "does not continue"));
	memset(many, '*', 100);
	many[100] = '\0';
	h.session_id = "y";
	h.text = many;
	assert_int_equal(router_ussd_hop(f->db.st, &f->rc, &h, NOW, &p), 1);
	assert_non_null(strstr(p.why, "more than 64"));
	assert_int_equal(count(f, "SELECT count(*) FROM ussd_session WHERE session_id = 'y'"), 0);
}

/* Left before the reference page: the reference by SMS, once; never in
 * discreet mode. */
static void
test_owed_reference(void **state)
{
	struct fx *f = *state;
	struct store_prefs p;

	(void)hop_at(f, "o", "+60122222222", "", NOW);
	(void)hop_at(f, "o", "+60122222222", "1", NOW);
	(void)hop_at(f, "o", "+60122222222", "1*1", NOW);
	assert_int_equal(router_ussd_owed(f->db.st, &f->rc, NOW + 1000), 0);
	assert_int_equal(router_ussd_owed(f->db.st, &f->rc, NOW + 200000), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound WHERE dest = '+60122222222'"
				  " AND text LIKE 'Your reference is %' AND channel = 'sms'"),
	    1);
	assert_int_equal(router_ussd_owed(f->db.st, &f->rc, NOW + 400000), 0);
	/* Discreet mode: nothing is sent, and nothing is owed any more. */
	(void)hop_at(f, "d", "+60133333333", "", NOW);
	(void)hop_at(f, "d", "+60133333333", "1", NOW);
	assert_int_equal(store_prefs_get(f->db.st, "+60133333333", &p), 0);
	p.discreet = 1;
	assert_int_equal(store_prefs_put(f->db.st, "+60133333333", &p, NOW), 0);
	(void)hop_at(f, "d", "+60133333333", "1*1", NOW);
	assert_int_equal(router_ussd_owed(f->db.st, &f->rc, NOW + 200000), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound WHERE dest = '+60133333333'"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM ussd_session WHERE ref_sms = 1"), 2);
	/* A day on, the histories are forgotten. */
	assert_int_equal(store_ussd_expire(f->db.st, NOW + 86400001), 2);
}

/* An operator's retry of the hop that opened a report gets the page the
 * first try got: the opening made honest (nobody is alerted yet here, the
 * nationality unknown), not the bare "An officer is being alerted now"
 * (found by fuzz_ussd: fuzz/regress/ussd/). */
static void
test_hop_report_retry_honest(void **state)
{
	struct fx *f = *state;
	char first[ROUTER_USSD_PAGE_MAX + 8];

	snprintf(first, sizeof(first), "%s", hop(f, "h", "HELP"));
	assert_null(strstr(first, "An officer is being alerted now"));
	assert_string_equal(hop(f, "h", "HELP"), first);
	assert_int_equal(count(f, "SELECT count(*) FROM report"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_parse),
		cmocka_unit_test(test_form_refuses),
		cmocka_unit_test(test_form_helpers),
		cmocka_unit_test(test_table),
		cmocka_unit_test_setup_teardown(test_hop_replays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hop_report_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hop_after_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hop_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hop_report_retry_honest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owed_reference, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
