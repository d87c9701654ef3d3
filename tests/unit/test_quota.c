/* test_quota.c - quotas and the reset ladder (issue 10): the cap
 * arithmetic (quota.c), the ladder's state machine (ladder.c), the parts
 * counted from the store over the last hour and day and the "modem dead"
 * SMS queued once per death (store_quota.c), and the configuration keys
 * (config_quota.c) with their file:line errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel/ladder.h"
#include "channel/quota.h"
#include "config/config.h"
#include "config_fixture.h"
#include "store_fixture.h"

/* ---- the cap arithmetic ---- */

static void
test_quota_at_cap(void **state)
{
	struct config_modem md = { .max_parts_per_hour = 0, .max_parts_per_day = 0 };

	(void)state;
	assert_false(quota_capped(&md));
	assert_false(quota_at_cap(&md, 1000000, 1000000)); /* 0: no cap */
	md.max_parts_per_hour = 10;
	assert_true(quota_capped(&md));
	assert_false(quota_at_cap(&md, 0, 500));
	assert_false(quota_at_cap(&md, 9, 9));
	assert_true(quota_at_cap(&md, 10, 10));
	assert_true(quota_at_cap(&md, 12, 12)); /* a 3-part message passed it */
	md.max_parts_per_hour = 0;
	md.max_parts_per_day = 100;
	assert_false(quota_at_cap(&md, 99, 99));
	assert_true(quota_at_cap(&md, 0, 100));
	md.max_parts_per_hour = 10;
	assert_true(quota_at_cap(&md, 10, 50)); /* the hour's cap alone */
	assert_true(quota_at_cap(&md, 3, 100)); /* the day's cap alone */
	assert_false(quota_at_cap(&md, 9, 99));
}

static void
test_quota_may_send(void **state)
{
	struct config_modem md = { .max_parts_per_hour = 10, .alerts_exceed_quota = 1 };

	(void)state;
	assert_true(quota_may_send(&md, false, STORE_PRIORITY_NORMAL));
	assert_true(quota_may_send(&md, false, STORE_PRIORITY_URGENT));
	assert_false(quota_may_send(&md, true, STORE_PRIORITY_NORMAL)); /* replies never */
	assert_true(quota_may_send(&md, true, STORE_PRIORITY_URGENT));
	md.alerts_exceed_quota = 0;
	assert_false(quota_may_send(&md, true, STORE_PRIORITY_NORMAL));
	assert_false(quota_may_send(&md, true, STORE_PRIORITY_URGENT));
	assert_true(quota_may_send(&md, false, STORE_PRIORITY_URGENT));
}

static void
test_quota_watch_logs_once(void **state)
{
	struct quota_watch w = { .at_cap = false };

	(void)state;
	assert_int_equal(quota_watch_update(&w, false), 0);
	assert_int_equal(quota_watch_update(&w, true), 1);
	assert_int_equal(quota_watch_update(&w, true), 0);
	assert_int_equal(quota_watch_update(&w, true), 0);
	assert_int_equal(quota_watch_update(&w, false), -1);
	assert_int_equal(quota_watch_update(&w, false), 0);
	assert_int_equal(quota_watch_update(&w, true), 1);
}

/* ---- the ladder ---- */

static void
test_ladder_with_command(void **state)
{
	static const enum ladder_action want[] = { LADDER_ACT_REOPEN, LADDER_ACT_REOPEN,
		LADDER_ACT_RESET, LADDER_ACT_REOPEN, LADDER_ACT_REOPEN, LADDER_ACT_COMMAND,
		LADDER_ACT_REOPEN, LADDER_ACT_REOPEN, LADDER_ACT_DEAD, LADDER_ACT_REOPEN,
		LADDER_ACT_REOPEN, LADDER_ACT_REOPEN, LADDER_ACT_REOPEN };
	struct ladder l = { 0 };
	int dead = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		enum ladder_action a = ladder_failed(&l, 3, true);

		if (a != want[i])
			print_error("failure %zu: action %d, wanted %d\n", i + 1, a, want[i]);
		assert_int_equal(a, want[i]);
		dead += a == LADDER_ACT_DEAD;
	}
	assert_int_equal(dead, 1); /* told once, however long it stays dead */
	assert_int_equal(l.rung, LADDER_DEAD);
	assert_string_equal(ladder_rung_name(l.rung), "dead");
	assert_int_equal(ladder_opened(&l), LADDER_DEAD);
	assert_int_equal(l.rung, LADDER_REOPEN);
	assert_int_equal(l.fails, 0);
	/* dead again later: told again (a new death) */
	for (int i = 0; i < 8; i++)
		dead += ladder_failed(&l, 3, true) == LADDER_ACT_DEAD;
	assert_int_equal(dead, 1);
	dead += ladder_failed(&l, 3, true) == LADDER_ACT_DEAD;
	assert_int_equal(dead, 2);
}

static void
test_ladder_without_command(void **state)
{
	struct ladder l = { 0 };

	(void)state;
	assert_int_equal(ladder_failed(&l, 2, false), LADDER_ACT_REOPEN);
	assert_int_equal(ladder_failed(&l, 2, false), LADDER_ACT_RESET);
	assert_string_equal(ladder_rung_name(l.rung), "reset");
	assert_int_equal(ladder_failed(&l, 2, false), LADDER_ACT_REOPEN);
	/* no reset_command: that rung is skipped */
	assert_int_equal(ladder_failed(&l, 2, false), LADDER_ACT_DEAD);
	assert_int_equal(ladder_failed(&l, 2, false), LADDER_ACT_REOPEN);
	/* a good open in the middle starts again from the bottom */
	l = (struct ladder){ 0 };
	assert_int_equal(ladder_failed(&l, 2, false), LADDER_ACT_REOPEN);
	assert_int_equal(ladder_opened(&l), LADDER_REOPEN);
	assert_int_equal(ladder_failed(&l, 2, false), LADDER_ACT_REOPEN);
	assert_int_equal(ladder_failed(&l, 2, false), LADDER_ACT_RESET);
	/* reset_after 1: one rung per failure */
	l = (struct ladder){ 0 };
	assert_int_equal(ladder_failed(&l, 1, true), LADDER_ACT_RESET);
	assert_int_equal(ladder_failed(&l, 1, true), LADDER_ACT_COMMAND);
	assert_int_equal(ladder_failed(&l, 1, true), LADDER_ACT_DEAD);
	assert_int_equal(ladder_failed(&l, 1, true), LADDER_ACT_REOPEN);
}

/* ---- the store ---- */

static int64_t
sent_row(struct store *st, const char *modem, const char *dest, int64_t sent_ms, int parts)
{
	int64_t id;

	assert_int_equal(store_outbound_reply(st, "sms", modem, dest, "reply", -1, 0, 1, &id), 0);
	if (sent_ms > 0) {
		assert_int_equal(store_begin(st), 0);
		assert_int_equal(store_outbound_mark_sent(st, id, sent_ms, 1), 0);
		if (parts > 0)
			assert_int_equal(store_quota_set_parts(st, id, parts), 0);
		assert_int_equal(store_commit(st), 0);
	}
	return id;
}

static void
test_store_parts(void **state)
{
	struct sfx_db *d = *state;
	const int64_t now = 10LL * 86400000;
	int64_t hour = -1, day = -1;

	assert_int_equal(store_quota_parts(d->st, "m1", now, &hour, &day), 0);
	assert_int_equal(hour, 0);
	assert_int_equal(day, 0);
	(void)sent_row(d->st, "m1", "+60121", now - 1000, 3);     /* hour and day */
	(void)sent_row(d->st, "m1", "+60122", now - 3599000, 1);  /* hour and day */
	(void)sent_row(d->st, "m1", "+60123", now - 3600000, 2);  /* day only (edge) */
	(void)sent_row(d->st, "m1", "+60124", now - 86399000, 0); /* day, NULL parts: 1 */
	(void)sent_row(d->st, "m1", "+60125", now - 86400000, 5); /* neither */
	(void)sent_row(d->st, "m2", "+60126", now - 1000, 7);     /* another modem */
	(void)sent_row(d->st, "m1", "+60127", 0, 0);              /* queued: not counted */
	assert_int_equal(store_quota_parts(d->st, "m1", now, &hour, &day), 0);
	assert_int_equal(hour, 4);
	assert_int_equal(day, 7);
	assert_int_equal(store_quota_parts(d->st, "m2", now, &hour, &day), 0);
	assert_int_equal(hour, 7);
	assert_int_equal(day, 7);
	/* an hour later, the first two leave the hour */
	assert_int_equal(store_quota_parts(d->st, "m1", now + 3600000, &hour, &day), 0);
	assert_int_equal(hour, 0);
	assert_int_equal(day, 6);
}

static void
test_store_dead_once(void **state)
{
	struct sfx_db *d = *state;
	const char ops[2][32] = { "+60130000099", "+60120000098" };

	assert_int_equal(store_ladder_count(d->st, "m1", STORE_LADDER_FAIL, "reopen"), 0);
	assert_int_equal(store_ladder_count(d->st, "m1", STORE_LADDER_FAIL, "reopen"), 0);
	assert_int_equal(store_ladder_count(d->st, "m1", STORE_LADDER_RESET, "reset"), 0);
	assert_int_equal(store_ladder_count(d->st, "m1", STORE_LADDER_COMMAND, "command"), 0);
	assert_int_equal(sfx_int(d->path, "SELECT reopen_fails * 100 + resets * 10 + commands"
					  " FROM modem_sim WHERE name = 'm1'"),
	    211);
	assert_int_equal(store_ladder_dead(d->st, "m1", ops, 2, "modem m1 is dead", 5), 1);
	assert_int_equal(store_ladder_dead(d->st, "m1", ops, 2, "modem m1 is dead", 6), 0);
	assert_int_equal(sfx_int(d->path, "SELECT COUNT(*) FROM outbound WHERE priority = 1"
					  " AND modem = '' AND state = 'queued'"
					  " AND text = 'modem m1 is dead'"),
	    2);
	assert_int_equal(sfx_int(d->path, "SELECT dead * 10 + deaths FROM modem_sim"
					  " WHERE name = 'm1' AND rung = 'dead'"),
	    11);
	/* a restart does not tell them again */
	sfx_reopen(d);
	assert_int_equal(store_ladder_dead(d->st, "m1", ops, 2, "modem m1 is dead", 7), 0);
	assert_int_equal(store_ladder_revived(d->st, "m1"), 1);
	assert_int_equal(store_ladder_revived(d->st, "m1"), 0);
	assert_int_equal(store_ladder_revived(d->st, "m9"), 0);
	/* a new death is told again */
	assert_int_equal(store_ladder_dead(d->st, "m1", ops, 1, "modem m1 is dead", 8), 1);
	assert_int_equal(sfx_int(d->path, "SELECT COUNT(*) FROM outbound"), 3);
	assert_int_equal(sfx_int(d->path, "SELECT deaths FROM modem_sim WHERE name = 'm1'"), 2);
	/* never seen before: a row is made for it */
	assert_int_equal(store_ladder_dead(d->st, "m7", ops, 0, "x", 9), 1);
}

/* ---- the configuration ---- */

static void
test_config(void **state)
{
	static struct kawan_config c;

	assert_int_equal(cfx_cfg_setup(state), 0);
	assert_int_equal(
	    load_text("modems = ( { name = \"m1\"; device = \"/dev/a\"; },\n"
		      "  { name = \"m2\"; device = \"/dev/b\"; max_parts_per_hour = 60;"
		      " max_parts_per_day = 500; alerts_exceed_quota = false;"
		      " reset_after = 2; reset_command = \"/usr/local/bin/usb-cycle\"; } );\n"
		      "operators = [ \"+60130000099\", \"+6591234567\" ];\n",
		&c),
	    0);
	assert_int_equal(c.modems[0].max_parts_per_hour, 0);
	assert_int_equal(c.modems[0].max_parts_per_day, 0);
	assert_int_equal(c.modems[0].alerts_exceed_quota, 1);
	assert_int_equal(c.modems[0].reset_after, 5);
	assert_string_equal(c.modems[0].reset_command, "");
	assert_int_equal(c.modems[1].max_parts_per_hour, 60);
	assert_int_equal(c.modems[1].max_parts_per_day, 500);
	assert_int_equal(c.modems[1].alerts_exceed_quota, 0);
	assert_int_equal(c.modems[1].reset_after, 2);
	assert_string_equal(c.modems[1].reset_command, "/usr/local/bin/usb-cycle");
	assert_int_equal(c.noperators, 2);
	assert_string_equal(c.operators[1], "+6591234567");
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
		     "  max_parts_per_hour = -1; } );\n",
	    2, "max_parts_per_hour");
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
		     "  reset_command = \"usb-cycle /dev/a; rm -rf /\"; } );\n",
	    2, "absolute path");
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\"; reset_after = 0; } );\n", 1,
	    "reset_after");
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\"; } );\n"
		     "operators = [ \"+60130000099\",\n \"0123\" ];\n",
	    3, "operators: number 2");
	(void)cfx_cfg_teardown(state);
}

static int
db_setup(void **state)
{
	static struct sfx_db d;

	*state = &d;
	return sfx_open(&d, "kawan-quota");
}

static int
db_teardown(void **state)
{
	sfx_close(*state);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quota_at_cap),
		cmocka_unit_test(test_quota_may_send),
		cmocka_unit_test(test_quota_watch_logs_once),
		cmocka_unit_test(test_ladder_with_command),
		cmocka_unit_test(test_ladder_without_command),
		cmocka_unit_test_setup_teardown(test_store_parts, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_store_dead_once, db_setup, db_teardown),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
