/* test_router_flood.c - at most router.max_answers_per_minute automatic
 * answers per number (issue 11): a burst over the cap is stored and routed
 * in full, and answered once, with its last page, after it has been quiet;
 * other numbers are answered meanwhile; officers' numbers have their own,
 * higher cap; 0 turns the cap off; a held row about to leave or staged on
 * a SIM is never rewritten; the settings load from the configuration. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "router/router.h"
#include "store/store.h"

#include "config_fixture.h"
#include "store_fixture.h"

#define WORKER "+60123450001"
#define OTHER "+60123450002"
#define OFFICER "+60100000001"
#define MODEMS "modems = ( { name = \"m1\"; device = \"/dev/a\"; } );\n"

struct fx {
	struct sfx_db d;
	struct kawan_config cfg;
	struct router_ctx rc; /* no content: every message gets reply_text */
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	log_init("test", LOG_LEVEL_ERROR);
	config_default(&f->cfg);
	f->cfg.router.max_answers_per_minute = 3;
	f->cfg.router.officer_answers_per_minute = 5;
	f->cfg.nrosters = 1;
	snprintf(f->cfg.rosters[0].officers[0].number, sizeof(f->cfg.rosters[0].officers[0].number),
	    "%s", OFFICER);
	f->cfg.rosters[0].nofficers = 1;
	f->rc.cfg = &f->cfg;
	if (sfx_open(&f->d, "test_router_flood") < 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	sfx_close(&f->d);
	free(f);
	return 0;
}

/* Stores n messages from sender (text "msg <i>"); the last one's id. */
static int64_t
inject(struct fx *f, const char *sender, int n, int first)
{
	char text[32], key[64];
	int64_t id = 0;

	for (int i = first; i < first + n; i++) {
		snprintf(text, sizeof(text), "msg %d", i);
		snprintf(key, sizeof(key), "%s-%d", sender, i);
		assert_int_equal(store_inbound_add_via(f->d.st, "sms", "m1", sender, text, 0,
				     util_now_ms(), 0, key, &id),
		    0);
	}
	return id;
}

static int64_t
count(struct fx *f, const char *sql)
{
	return sfx_int(f->d.path, sql);
}

/* 10 from one number: 3 answers, then one held reply carrying the last
 * message; every message stored and routed; another number answered. */
static void
test_burst_held(void **state)
{
	struct fx *f = *state;
	struct store_outbound o;
	int64_t last, now = util_now_ms();
	int taken = 0;

	last = inject(f, WORKER, 10, 0);
	inject(f, OTHER, 1, 0);
	assert_int_equal(router_dispatch(f->d.st, &f->rc), 11);
	assert_int_equal(count(f, "SELECT count(*) FROM inbound WHERE state = 'done'"), 11);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound WHERE dest = '" WORKER "'"), 4);
	assert_int_equal(
	    count(f, "SELECT count(*) FROM outbound WHERE dest = '" WORKER "' AND held = 1"), 1);
	assert_int_equal(count(f, "SELECT inbound_id FROM outbound WHERE held = 1"), last);
	assert_true(count(f, "SELECT next_attempt_ms FROM outbound WHERE held = 1") >=
		    now + ROUTER_FLOOD_QUIET_MS);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound WHERE dest = '" OTHER "'"), 1);
	/* now: the 3 answers and the other number's; the held one waits */
	while (store_outbound_take(f->d.st, "sms", "m1", util_now_ms(), &o) == 0) {
		assert_int_equal(o.id != 0, 1);
		assert_true(o.inbound_id != last);
		assert_int_equal(store_outbound_mark_sent(f->d.st, o.id, util_now_ms(), 1), 0);
		store_outbound_clear(&o);
		taken++;
	}
	assert_int_equal(taken, 4);
	/* quiet for a minute: the burst's one reply, for its last message */
	assert_int_equal(store_outbound_take(f->d.st, "sms", "m1",
			     util_now_ms() + ROUTER_FLOOD_QUIET_MS + 1000, &o),
	    0);
	assert_int_equal(o.inbound_id, last);
	assert_string_equal(o.dest, WORKER);
	assert_string_equal(o.modem, "m1");
	store_outbound_clear(&o);
}

/* More messages while the reply is held replace it; it moves later. */
static void
test_held_replaced(void **state)
{
	struct fx *f = *state;
	int64_t due1, last;

	inject(f, WORKER, 5, 0);
	assert_int_equal(router_dispatch(f->d.st, &f->rc), 5);
	due1 = count(f, "SELECT next_attempt_ms FROM outbound WHERE held = 1");
	last = inject(f, WORKER, 3, 100);
	assert_int_equal(router_dispatch(f->d.st, &f->rc), 3);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound"), 4);
	assert_int_equal(count(f, "SELECT inbound_id FROM outbound WHERE held = 1"), last);
	assert_true(count(f, "SELECT next_attempt_ms FROM outbound WHERE held = 1") >= due1);
	assert_int_equal(count(f, "SELECT count(*) FROM inbound WHERE state = 'new'"), 0);
}

/* An officer's number has its own cap (5 here); 0 turns a cap off. */
static void
test_officer_cap_and_off(void **state)
{
	struct fx *f = *state;

	assert_int_equal(router_flood_cap(&f->cfg, OFFICER), 5);
	assert_int_equal(router_flood_cap(&f->cfg, WORKER), 3);
	inject(f, OFFICER, 8, 0);
	assert_int_equal(router_dispatch(f->d.st, &f->rc), 8);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound WHERE dest = '" OFFICER "'"), 6);
	assert_int_equal(
	    count(f, "SELECT count(*) FROM outbound WHERE dest = '" OFFICER "' AND held = 1"), 1);
	f->cfg.router.max_answers_per_minute = 0;
	inject(f, WORKER, 10, 0);
	assert_int_equal(router_dispatch(f->d.st, &f->rc), 10);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound WHERE dest = '" WORKER "'"), 10);
	assert_int_equal(
	    count(f, "SELECT count(*) FROM outbound WHERE dest = '" WORKER "' AND held = 1"), 0);
}

/* A held row about to be due, or with a part on the SIM, is left alone:
 * the next answer goes into a new one. */
static void
test_held_not_rewritten(void **state)
{
	struct fx *f = *state;
	struct store_slot slot = { 1, 7 };
	int64_t in1, in2, in3, held = 0, id = 0;

	in1 = inject(f, WORKER, 1, 0);
	in2 = inject(f, WORKER, 1, 1);
	in3 = inject(f, WORKER, 1, 2);
	assert_int_equal(
	    store_outbound_hold(f->d.st, "sms", "m1", WORKER, "p1", -1, in1, 1000, 61000, &held),
	    0);
	/* due in 4 s at now 57000: within the margin */
	assert_int_equal(store_outbound_hold_update(f->d.st, "sms", "m1", WORKER, "p2", -1, in2,
			     57000, ROUTER_FLOOD_MARGIN_MS, 117000, &id),
	    1);
	/* another modem's or channel's held row is not this one */
	assert_int_equal(store_outbound_hold_update(f->d.st, "sms", "m2", WORKER, "p2", -1, in2,
			     2000, ROUTER_FLOOD_MARGIN_MS, 62000, &id),
	    1);
	assert_int_equal(store_outbound_hold_update(f->d.st, "sms", "m1", WORKER, "p2", -1, in2,
			     2000, ROUTER_FLOOD_MARGIN_MS, 62000, &id),
	    0);
	assert_int_equal(id, held);
	assert_int_equal(count(f, "SELECT next_attempt_ms FROM outbound WHERE held = 1"), 62000);
	assert_int_equal(store_outbound_stage(f->d.st, held, &slot, 1), 0);
	assert_int_equal(store_outbound_hold_update(f->d.st, "sms", "m1", WORKER, "p3", -1, in3,
			     3000, ROUTER_FLOOD_MARGIN_MS, 63000, &id),
	    1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound WHERE text = 'p2'"), 1);
	assert_int_equal(
	    store_outbound_hold(f->d.st, "sms", "m1", WORKER, NULL, -1, in3, 1, 2, &id), -1);
}

/* The settings: defaults 6 and 30, read from the router group, bounded. */
static void
test_config(void **state)
{
	static struct kawan_config c;

	(void)state;
	config_default(&c);
	assert_int_equal(c.router.max_answers_per_minute, 6);
	assert_int_equal(c.router.officer_answers_per_minute, 30);
	assert_int_equal(cfx_cfg_setup(NULL), 0);
	assert_int_equal(load_text(MODEMS "router = { max_answers_per_minute = 2;"
					  " officer_answers_per_minute = 0; };\n",
			     &c),
	    0);
	assert_int_equal(c.router.max_answers_per_minute, 2);
	assert_int_equal(c.router.officer_answers_per_minute, 0);
	assert_int_equal(load_text(MODEMS "router = { max_answers_per_minute = -1; };\n", &c), -1);
	assert_non_null(strstr(err, "max_answers_per_minute"));
	cfx_cfg_teardown(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_burst_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_officer_cap_and_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_not_rewritten, setup, teardown),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
