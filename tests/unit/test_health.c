/* test_health.c - the modems' health (issue 10 item 5): the balance
 * pattern and amount parser, the once-per-low-spell decision, the
 * operators' SMS text, the configuration (health_interval, operators,
 * balance_ussd / balance_pattern / low_balance per modem and per network,
 * errors with file:line), and the modem_health store round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel/channel_health.h"
#include "config/config.h"
#include "render/render.h"
#include "store/store_health.h"
#include "config_fixture.h"
#include "store_fixture.h"

static struct kawan_config cfg;

#define MODEM "modems = ( { name = \"m1\"; device = \"/dev/null\"; } );\n"

static void
test_amount(void **state)
{
	int64_t c = -7;

	(void)state;
	assert_int_equal(config_amount_cents("3.50", 4, &c), 0);
	assert_int_equal(c, 350);
	assert_int_equal(config_amount_cents("3,5", 3, &c), 0);
	assert_int_equal(c, 350);
	assert_int_equal(config_amount_cents("12", 2, &c), 0);
	assert_int_equal(c, 1200);
	assert_int_equal(config_amount_cents("0.999", 5, &c), 0);
	assert_int_equal(c, 99); /* beyond cents is cut, not rounded */
	assert_int_equal(config_amount_cents("", 0, &c), -1);
	assert_int_equal(config_amount_cents(".50", 3, &c), -1);
	assert_int_equal(config_amount_cents("3.", 2, &c), -1);
	assert_int_equal(config_amount_cents("3.5x", 4, &c), -1);
	assert_int_equal(config_amount_cents("RM3", 3, &c), -1);
}

static void
test_balance_parse(void **state)
{
	int64_t c = 0;

	(void)state;
	assert_int_equal(config_balance_parse("RM ?([0-9]+\\.[0-9]{2})",
			     "Baki anda RM3.50 sah hingga 01/02/2027", &c),
	    0);
	assert_int_equal(c, 350);
	assert_int_equal(
	    config_balance_parse("RM ?([0-9]+\\.[0-9]{2})", "Your balance is RM 12.05.", &c), 0);
	assert_int_equal(c, 1205);
	/* The first group is the amount, even after another number. */
	assert_int_equal(config_balance_parse("balance[^0-9]*([0-9]+([.,][0-9]+)?)",
			     "2027: balance is 0,75 THB", &c),
	    0);
	assert_int_equal(c, 75);
	assert_int_equal(config_balance_parse("RM ?([0-9]+\\.[0-9]{2})", "Sorry, try later", &c),
	    1);
	assert_int_equal(config_balance_parse("RM ?([0-9]*)", "RM none", &c), 1); /* empty group */
	assert_int_equal(config_balance_parse("RM ([0-9]+", "RM 3", &c), -1);
	assert_int_equal(config_balance_parse("RM [0-9]+", "RM 3", &c), -1); /* no group */
}

static void
test_low_once(void **state)
{
	bool alerted = false;

	(void)state;
	assert_false(channel_health_low_step(true, 1000, 500, &alerted)); /* above */
	assert_false(alerted);
	assert_true(channel_health_low_step(true, 350, 500, &alerted)); /* below: tell */
	assert_true(alerted);
	for (int i = 0; i < 5; i++) /* every later check: nothing more */
		assert_false(channel_health_low_step(true, 300 - i, 500, &alerted));
	assert_false(channel_health_low_step(false, 0, 500, &alerted)); /* unread: keep */
	assert_true(alerted);
	assert_false(channel_health_low_step(true, 500, 500, &alerted)); /* at: cleared */
	assert_false(alerted);
	assert_false(channel_health_low_step(true, 2000, 500, &alerted));
	assert_true(channel_health_low_step(true, 499, 500, &alerted)); /* a new low spell */
	assert_false(channel_health_low_step(true, 10, 500, &alerted));
	alerted = false;
	assert_false(channel_health_low_step(true, 0, -1, &alerted)); /* no threshold */
	assert_false(alerted);
}

static void
test_low_text(void **state)
{
	char buf[CHANNEL_LOW_TEXT_MAX];

	(void)state;
	channel_health_low_text("maxis-1", 350, 500, buf, sizeof(buf));
	assert_string_equal(buf,
	    "Kawan: modem maxis-1 airtime balance is 3.50, below 5.00. Top up its SIM.");
	assert_int_equal(render_sms_segments(buf), 1);
	/* The longest modem name still fits one SMS. */
	channel_health_low_text("abcdefghijklmnopqrstuvwxyz01234", 99999999, 100000000, buf,
	    sizeof(buf));
	assert_int_equal(render_sms_segments(buf), 1);
}

static void
test_config_ok(void **state)
{
	(void)state;
	assert_int_equal(load_text(MODEM, &cfg), 0);
	assert_int_equal(cfg.health_interval_ms, 300000);
	assert_int_equal(cfg.noperators, 0);
	assert_string_equal(cfg.modems[0].balance.ussd, "");
	assert_int_equal(cfg.modems[0].balance.low_cents, -1);
	assert_int_equal(
	    load_text(
		"health_interval = 60.0;\noperators = [ \"+60123456789\", \"+6598765432\" ];\n"
		"networks = ( { name = \"Maxis\"; prefixes = [ \"+6012\" ];\n"
		"  balance_ussd = \"*124#\"; balance_pattern = \"RM ?([0-9.]+)\"; low_balance "
		"= 5; } );\n"
		"modems = ( { name = \"m1\"; device = \"/dev/a\"; network = \"Maxis\"; },\n"
		"  { name = \"m2\"; device = \"/dev/b\"; network = \"Maxis\";\n"
		"    balance_ussd = \"*100*1#\"; balance_pattern = \"([0-9]+)\"; low_balance = "
		"2.5; } );\n",
		&cfg),
	    0);
	assert_int_equal(cfg.health_interval_ms, 60000);
	assert_int_equal(cfg.noperators, 2);
	assert_string_equal(cfg.operators[1], "+6598765432");
	/* m1 takes its network's check, m2 keeps its own. */
	assert_string_equal(cfg.modems[0].balance.ussd, "*124#");
	assert_string_equal(cfg.modems[0].balance.pattern, "RM ?([0-9.]+)");
	assert_int_equal(cfg.modems[0].balance.low_cents, 500);
	assert_string_equal(cfg.modems[1].balance.ussd, "*100*1#");
	assert_int_equal(cfg.modems[1].balance.low_cents, 250);
}

static void
test_config_errors(void **state)
{
	(void)state;
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
		     "  balance_ussd = \"*124#\";\n  balance_pattern = \"RM ([0-9]+\"; } );\n",
	    3, "balance_pattern is not a usable extended regex");
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
		     "  balance_ussd = \"*124#\";\n  balance_pattern = \"RM [0-9]+\"; } );\n",
	    3, "no group");
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
		     "  balance_ussd = \"*124#\"; } );\n",
	    2, "needs a balance_pattern");
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
		     "  balance_ussd = \"*124\"; balance_pattern = \"([0-9]+)\"; } );\n",
	    2, "balance_ussd '*124'");
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
		     "  low_balance = -1.0; } );\n",
	    2, "low_balance");
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
		     "  low_balance = \"5\"; } );\n",
	    2, "must be a number");
	expect_error(MODEM "networks = ( { name = \"Maxis\"; prefixes = [ \"+6012\" ];\n"
			   "  balance_ussd = \"*124#\";\n  balance_pattern = \"(\"; } );\n",
	    4, "network 'Maxis': balance_pattern");
	/* Stacked or nested '+' and {n,m} that regcomp would copy into
	 * gigabytes (fuzz_config), refused before it runs; "[+{]" is no
	 * repetition and a few intervals are fine. */
	expect_error("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
		     "  balance_ussd = \"*124#\";\n  balance_pattern = \"RM ++++++++++++++++++++"
		     "++++++++++++++++++++?([0-9.]+)\"; } );\n",
	    3, "repeats too much");
	expect_error(
	    "modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
	    "  balance_ussd = \"*124#\";\n  balance_pattern = \"((((((((((x+)+)+)+)+)+)+)+)+)+)"
	    "([0-9]{1,3})\"; } );\n",
	    3, "repeats too much");
	expect_error(
	    "modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
	    "  balance_ussd = \"*124#\";\n  balance_pattern = \"(x{999}){999}([0-9])\"; } );\n",
	    3, "repeats too much");
	{
		static struct kawan_config ok;

		assert_int_equal(
		    load_text("modems = ( { name = \"m1\"; device = \"/dev/a\";\n"
			      "  balance_ussd = \"*124#\"; balance_pattern = "
			      "\"RM[+{ ]?([0-9]{1,6}[.][0-9]{2})[[:space:]]+\"; } );\n",
			&ok),
		    0);
	}
	expect_error(MODEM "\noperators = [ \"+60123\", \"0123456789\" ];\n", 3,
	    "operators: number 2");
	expect_error(MODEM "operators = \"+60123456789\";\n", 2, "'operators' must be an array");
	expect_error(MODEM "\n\nhealth_interval = 0.5;\n", 4, "at least 1 second");
	expect_error(MODEM "helth_interval = 60.0;\n", 2, "helth_interval");
}

static void
test_store_health(void **state)
{
	struct sfx_db *f = *state;
	struct store_health h = { 0 }, got;

	(void)snprintf(h.name, sizeof(h.name), "m1");
	h.read_ms = 1000;
	h.signal_dbm = -63;
	h.signal_pct = 75;
	(void)snprintf(h.reg, sizeof(h.reg), "home");
	(void)snprintf(h.operator_name, sizeof(h.operator_name), "Maxis");
	h.parts_hour = 2;
	h.parts_day = 9;
	assert_int_equal(store_health_get(f->st, "m1", &got), 1);
	assert_int_equal(store_health_put(f->st, &h), 0);
	assert_int_equal(store_health_balance(f->st, "m1", true, 350, "RM3.50", 2000), 0);
	assert_int_equal(store_health_set_low(f->st, "m1", true), 0);
	/* A later health read keeps the balance and the mark. */
	h.read_ms = 3000;
	h.signal_dbm = -80;
	assert_int_equal(store_health_put(f->st, &h), 0);
	assert_int_equal(store_health_get(f->st, "m1", &got), 0);
	assert_int_equal(got.read_ms, 3000);
	assert_int_equal(got.signal_dbm, -80);
	assert_string_equal(got.operator_name, "Maxis");
	assert_int_equal(got.parts_day, 9);
	assert_true(got.have_balance);
	assert_int_equal(got.balance_cents, 350);
	assert_string_equal(got.balance_text, "RM3.50");
	assert_true(got.low_alerted);
	/* An unread balance is NULL, not 0. */
	assert_int_equal(store_health_balance(f->st, "m1", false, 0, "Sorry", 4000), 0);
	assert_int_equal(store_health_get(f->st, "m1", &got), 0);
	assert_false(got.have_balance);
	assert_true(got.low_alerted);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amount),
		cmocka_unit_test(test_balance_parse),
		cmocka_unit_test(test_low_once),
		cmocka_unit_test(test_low_text),
		cmocka_unit_test(test_config_ok),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test_setup_teardown(test_store_health, sfx_setup, sfx_teardown),
	};

	return cmocka_run_group_tests(tests, cfx_cfg_setup, cfx_cfg_teardown);
}
