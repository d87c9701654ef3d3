/* test_events.c - the pure parts of missed calls and delivery reports
 * (issue 10): who gets the menu for a call (officers, STOP, the daily
 * cap, withheld numbers), TP-Status as a delivery, and the store: a call
 * row answered once and counted, a report matched by modem, recipient
 * and reference, a failed alert making its report due. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "config/config.h"
#include "router/router.h"
#include "store/store.h"

#include "store_fixture.h"

static void
test_call_gate(void **state)
{
	struct kawan_config cfg;

	(void)state;
	config_default(&cfg);
	assert_int_equal(cfg.calls.menu_per_day, 3);
	assert_int_equal(cfg.delivery_reports, CONFIG_DLR_ALERTS);
	cfg.nrosters = 1;
	memcpy(cfg.rosters[0].officers[0].number, "+601000001", 11);
	cfg.rosters[0].nofficers = 1;
	memcpy(cfg.rosters[0].supervisor.number, "+601000009", 11);
	memcpy(cfg.ngo_desk.number, "+601000099", 11);
	assert_true(router_call_from_officer(&cfg, "+601000001"));
	assert_true(router_call_from_officer(&cfg, "+601000009"));
	assert_true(router_call_from_officer(&cfg, "+601000099"));
	assert_false(router_call_from_officer(&cfg, "+601000002"));
	assert_false(router_call_from_officer(&cfg, ""));

	assert_null(router_call_gate(&cfg, "+60112345678", false, false, 0));
	assert_null(router_call_gate(&cfg, "+60112345678", false, false, 2));
	assert_non_null(router_call_gate(&cfg, "+60112345678", false, false, 3));
	assert_non_null(router_call_gate(&cfg, "+60112345678", true, false, 0));
	assert_non_null(router_call_gate(&cfg, "+60112345678", false, true, 0));
	assert_non_null(router_call_gate(&cfg, "", false, false, 0));
	assert_non_null(router_call_gate(&cfg, "Unknown", false, false, 0));
	/* Issue 11: a short code or service number gets no menu (reply loops). */
	assert_non_null(router_call_gate(&cfg, "+60112", false, false, 0));
	cfg.calls.menu_per_day = 0;
	assert_non_null(router_call_gate(&cfg, "+60112345678", false, false, 0));
}

static void
test_dlr_status(void **state)
{
	(void)state;
	assert_int_equal(store_dlr_from_status(0x00), STORE_DLR_DELIVERED);
	assert_int_equal(store_dlr_from_status(0x02), STORE_DLR_DELIVERED);
	assert_int_equal(store_dlr_from_status(0x20), STORE_DLR_PENDING);
	assert_int_equal(store_dlr_from_status(0x3f), STORE_DLR_PENDING);
	assert_int_equal(store_dlr_from_status(0x41), STORE_DLR_FAILED);
	assert_int_equal(store_dlr_from_status(0x60), STORE_DLR_FAILED);
	assert_string_equal(store_dlr_name(STORE_DLR_FAILED), "failed");
	assert_string_equal(store_dlr_name(STORE_DLR_NONE), "");
}

static void
test_store_calls(void **state)
{
	struct sfx_db *f = *state;
	struct store_inbound in;
	int64_t id = 0, id2 = 0, out = 0;
	int n = -1;

	assert_int_equal(store_call_add(f->st, "m1", "+60112", 1000, &id), 0);
	assert_int_equal(store_call_add(f->st, "m1", "+60112", 1000, &id2), 1);
	assert_int_equal(id, id2);
	assert_int_equal(store_inbound_next_new(f->st, &in), 0);
	assert_true(in.flags & STORE_IN_CALL);
	assert_string_equal(in.modem, "m1");
	assert_string_equal(in.text, "");
	store_inbound_clear(&in);
	assert_int_equal(store_call_answers_since(f->st, "+60112", 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    store_outbound_reply(f->st, "sms", "m1", "+60112", "menu", -1, id, 1001, &out), 0);
	assert_int_equal(store_call_answers_since(f->st, "+60112", 0, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_call_answers_since(f->st, "+60112", 1001, &n), 0);
	assert_int_equal(n, 0);
	/* Answered once: a second reply to the same call is refused. */
	assert_int_equal(
	    store_outbound_reply(f->st, "sms", "m1", "+60112", "menu", -1, id, 1002, &out), -1);
}

static void
test_store_dlr(void **state)
{
	struct sfx_db *f = *state;
	struct store_outbound o;
	int64_t a = 0, b = 0, id = 0, ms = 0;
	enum store_dlr d = STORE_DLR_NONE;

	assert_int_equal(store_outbound_add_urgent(f->st, "sms", "+601", "alert", -1, 0, 10, &a),
	    0);
	assert_int_equal(store_outbound_add(f->st, "sms", "+602", "reply", -1, 0, 10, &b), 0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 20, &o), 0);
	assert_int_equal(o.id, a);
	store_outbound_clear(&o);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbound_mark_sent(f->st, a, 30, 7), 0);
	assert_int_equal(store_outbound_dlr_pending(f->st, a), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_outbound_dlr(f->st, a, &d, &ms), 0);
	assert_int_equal(d, STORE_DLR_PENDING);
	assert_int_equal(store_outbound_dlr(f->st, b, &d, &ms), 0);
	assert_int_equal(d, STORE_DLR_NONE);
	/* Another modem, recipient or reference: no match. */
	assert_int_equal(store_dlr_record(f->st, "m2", "+601", 7, 0x41, 40, &id, &d), 1);
	assert_int_equal(store_dlr_record(f->st, "m1", "+602", 7, 0x41, 40, &id, &d), 1);
	assert_int_equal(store_dlr_record(f->st, "m1", "+601", 8, 0x41, 40, &id, &d), 1);
	/* Still trying: stays pending. */
	assert_int_equal(store_dlr_record(f->st, "m1", "+601", 7, 0x20, 40, &id, &d), 0);
	assert_int_equal(d, STORE_DLR_PENDING);
	/* The network may give the recipient without its '+'. */
	assert_int_equal(store_dlr_record(f->st, "m1", "601", 7, 0x41, 50, &id, &d), 0);
	assert_int_equal(id, a);
	assert_int_equal(d, STORE_DLR_FAILED);
	assert_int_equal(store_outbound_dlr(f->st, a, &d, &ms), 0);
	assert_int_equal(d, STORE_DLR_FAILED);
	assert_int_equal(ms, 50);
	/* Answered: a repeated report matches nothing more. */
	assert_int_equal(store_dlr_record(f->st, "m1", "+601", 7, 0x00, 60, &id, &d), 1);
}

/* Records row id sent at ms with reference ref, parts parts and a
 * pending delivery, as outbound_record does. */
static void
sent_with_report(struct sfx_db *f, int64_t id, int64_t ms, int ref, int parts)
{
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbound_mark_sent(f->st, id, ms, ref), 0);
	assert_int_equal(store_quota_set_parts(f->st, id, parts), 0);
	assert_int_equal(store_outbound_dlr_pending(f->st, id), 0);
	assert_int_equal(store_commit(f->st), 0);
}

/* A two-part alert went out with references 255 and 0 (the count wraps);
 * the row keeps 0. A report for either part matches; the first part
 * delivered and the second failed is a failed alert. */
static void
test_store_dlr_parts(void **state)
{
	struct sfx_db *f = *state;
	struct store_outbound o;
	int64_t a = 0, id = 0, ms = 0;
	enum store_dlr d = STORE_DLR_NONE;

	assert_int_equal(
	    store_outbound_add_urgent(f->st, "sms", "+603", "a long alert", -1, 0, 10, &a), 0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 20, &o), 0);
	store_outbound_clear(&o);
	sent_with_report(f, a, 30, 0, 2);
	/* outside the two references: no match */
	assert_int_equal(store_dlr_record(f->st, "m1", "+603", 254, 0x41, 40, &id, &d), 1);
	assert_int_equal(store_dlr_record(f->st, "m1", "+603", 1, 0x41, 40, &id, &d), 1);
	/* the first part arrived */
	assert_int_equal(store_dlr_record(f->st, "m1", "+603", 255, 0x00, 41, &id, &d), 0);
	assert_int_equal(id, a);
	assert_int_equal(store_outbound_dlr(f->st, a, &d, &ms), 0);
	assert_int_equal(d, STORE_DLR_DELIVERED);
	/* the second failed: the alert failed */
	assert_int_equal(store_dlr_record(f->st, "m1", "+603", 0, 0x41, 42, &id, &d), 0);
	assert_int_equal(id, a);
	assert_int_equal(store_outbound_dlr(f->st, a, &d, &ms), 0);
	assert_int_equal(d, STORE_DLR_FAILED);
	assert_int_equal(ms, 42);
	/* a late "delivered" for a part does not undo it */
	assert_int_equal(store_dlr_record(f->st, "m1", "+603", 255, 0x00, 43, &id, &d), 1);
	assert_int_equal(store_outbound_dlr(f->st, a, &d, &ms), 0);
	assert_int_equal(d, STORE_DLR_FAILED);
}

/* A try in doubt (issue 11, store_doubt.c): alert b to +604 went to the
 * modem with AT+CMGS after m1 last used reference 7, and the gateway died
 * before recording it. It is not due again for the wait; a report no
 * pending row matches, from m1, for +604, with a reference 1..8 after 7,
 * marks it sent (at the try's start) and delivered, never to be sent
 * again. Another modem, number or reference far off adopts nothing; a
 * refused try is out of doubt; without a report it is due after the wait. */
static void
test_store_dlr_doubt(void **state)
{
	struct sfx_db *f = *state;
	struct store_outbound o;
	int64_t a = 0, b = 0, c = 0, id = 0, ms = 0;
	enum store_dlr d = STORE_DLR_NONE;

	assert_int_equal(store_outbound_add_urgent(f->st, "sms", "+601", "first", -1, 0, 10, &a),
	    0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 20, &o), 0);
	store_outbound_clear(&o);
	assert_int_equal(store_outbound_mark_sent(f->st, a, 30, 7), 0);
	assert_int_equal(store_outbound_add_urgent(f->st, "sms", "+604", "alert", -1, 0, 40, &b),
	    0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 50, &o), 0);
	assert_int_equal(o.id, b);
	store_outbound_clear(&o);
	assert_int_equal(store_outbound_doubt(f->st, "m1", b, 1, 100, 60100), 0);
	/* (the crash) not due before the wait is over */
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 60099, &o), 1);
	assert_int_equal(store_dlr_record(f->st, "m2", "+604", 8, 0x00, 200, &id, &d), 1);
	assert_int_equal(store_dlr_record(f->st, "m1", "+605", 8, 0x00, 200, &id, &d), 1);
	assert_int_equal(store_dlr_record(f->st, "m1", "+604", 16, 0x00, 200, &id, &d), 1);
	assert_int_equal(store_dlr_record(f->st, "m1", "+604", 7, 0x00, 200, &id, &d), 1);
	/* the report of the copy that left */
	assert_int_equal(store_dlr_record(f->st, "m1", "604", 8, 0x00, 300, &id, &d), 0);
	assert_int_equal(id, b);
	assert_int_equal(d, STORE_DLR_DELIVERED);
	assert_int_equal(store_outbound_sent_at(f->st, b, &ms), 0);
	assert_int_equal(ms, 100);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 100000, &o), 1);
	/* a reference a recorded message to that number used is its own: a
	 * two-part message d (refs 11 and 12) sent after e went into doubt;
	 * the report of its first part closes it, that of its second part
	 * must not be taken for e's copy (the soak's seed 77101) */
	{
		int64_t dd = 0, e = 0;

		assert_int_equal(
		    store_outbound_add_urgent(f->st, "sms", "+607", "alert e", -1, 0, 1000, &e), 0);
		assert_int_equal(
		    store_outbound_add_urgent(f->st, "sms", "+607", "alert d", -1, 0, 1000, &dd),
		    0);
		assert_int_equal(store_outbound_take(f->st, "sms", "m1", 1100, &o), 0);
		store_outbound_clear(&o);
		assert_int_equal(store_outbound_doubt(f->st, "m1", e, 1, 1100, 61100), 0);
		assert_int_equal(store_outbound_take(f->st, "sms", "m1", 1200, &o), 0);
		assert_int_equal(o.id, dd);
		store_outbound_clear(&o);
		sent_with_report(f, dd, 1300, 12, 2);
		assert_int_equal(store_dlr_record(f->st, "m1", "+607", 11, 0x00, 1400, &id, &d), 0);
		assert_int_equal(id, dd);
		assert_int_equal(store_dlr_record(f->st, "m1", "+607", 12, 0x00, 1500, &id, &d), 1);
		assert_int_equal(store_outbound_sent_at(f->st, e, &ms), 1); /* still queued */
	}
	/* a refused try is out of doubt: its report would be no one's */
	assert_int_equal(store_outbound_add_urgent(f->st, "sms", "+606", "alert", -1, 0, 400, &c),
	    0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 500, &o), 0);
	store_outbound_clear(&o);
	assert_int_equal(store_outbound_doubt(f->st, "m1", c, 1, 500, 60500), 0);
	assert_int_equal(store_outbound_doubt_clear(f->st, c), 0);
	assert_int_equal(store_dlr_record(f->st, "m1", "+606", 9, 0x00, 600, &id, &d), 1);
	/* no report: due again once the wait is over */
	assert_int_equal(store_outbound_doubt(f->st, "m1", c, 1, 700, 60700), 0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 60699, &o), 1);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 60700, &o), 0);
	assert_int_equal(o.id, c);
	store_outbound_clear(&o);
	assert_int_equal(store_outbound_mark_sent(f->st, c, 60800, 13), 0);
	/* two parts in doubt after the modem's last recorded reference 13
	 * (c): only the second part's report proves both left (a crash may
	 * fall between them); a modem with no reference recorded can match
	 * no message of two parts */
	{
		int64_t g = 0, k = 0;
		char sql[80];

		assert_int_equal(store_outbound_add_urgent(f->st, "sms", "+608", "a long alert", -1,
				     0, 70000, &g),
		    0);
		assert_int_equal(store_outbound_take(f->st, "sms", "m1", 70000, &o), 0);
		assert_int_equal(o.id, g);
		store_outbound_clear(&o);
		assert_int_equal(store_outbound_doubt(f->st, "m1", g, 2, 70000, 130000), 0);
		assert_int_equal(store_dlr_record(f->st, "m1", "+608", 14, 0x00, 71000, &id, &d),
		    1);
		assert_int_equal(store_dlr_record(f->st, "m1", "+608", 15, 0x00, 72000, &id, &d),
		    0);
		assert_int_equal(id, g);
		snprintf(sql, sizeof(sql), "SELECT parts FROM outbound WHERE id = %lld",
		    (long long)g);
		assert_int_equal(sfx_int(f->path, sql), 2);
		assert_int_equal(store_outbound_add_urgent(f->st, "sms", "+609", "a long alert", -1,
				     0, 80000, &k),
		    0);
		assert_int_equal(store_outbound_take(f->st, "sms", "m3", 80000, &o), 0);
		store_outbound_clear(&o);
		assert_int_equal(store_outbound_doubt(f->st, "m3", k, 2, 80000, 140000), 0);
		assert_int_equal(store_dlr_record(f->st, "m3", "+609", 2, 0x00, 81000, &id, &d), 1);
		assert_int_equal(store_outbound_doubt(f->st, "m3", k, 1, 80000, 140000), 0);
		assert_int_equal(store_dlr_record(f->st, "m3", "+609", 1, 0x00, 81000, &id, &d), 0);
		assert_int_equal(id, k);
	}
	/* a reply sent from the SIM (AT+CMSS) has no known reference (-1) but
	 * used one a part: m3's last is 1 (k) + 2 parts = 3 */
	{
		int64_t x = 0, z = 0;
		char sql[80];

		assert_int_equal(
		    store_outbound_add(f->st, "sms", "+610", "reply", -1, 0, 90000, &x), 0);
		assert_int_equal(store_outbound_take(f->st, "sms", "m3", 90000, &o), 0);
		store_outbound_clear(&o);
		assert_int_equal(store_outbound_mark_sent(f->st, x, 90100, -1), 0);
		assert_int_equal(store_quota_set_parts(f->st, x, 2), 0);
		assert_int_equal(
		    store_outbound_add_urgent(f->st, "sms", "+611", "alert", -1, 0, 90200, &z), 0);
		assert_int_equal(store_outbound_take(f->st, "sms", "m3", 90200, &o), 0);
		store_outbound_clear(&o);
		assert_int_equal(store_outbound_doubt(f->st, "m3", z, 1, 90200, 150200), 0);
		snprintf(sql, sizeof(sql), "SELECT doubt_ref FROM outbound WHERE id = %lld",
		    (long long)z);
		assert_int_equal(sfx_int(f->path, sql), 3);
		assert_int_equal(store_dlr_record(f->st, "m3", "+611", 4, 0x00, 91000, &id, &d), 0);
		assert_int_equal(id, z);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_gate),
		cmocka_unit_test(test_dlr_status),
		cmocka_unit_test_setup_teardown(test_store_calls, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_store_dlr, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_store_dlr_parts, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_store_dlr_doubt, sfx_setup, sfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
