/* test_pool.c - the pool of modems (issue 10, items 1 and 2), end to end
 * through the real gateway, libgammu's AT driver and simulated modems that
 * each carry their own SIM (--imsi, --operator):
 *  a. device names swapped between two modems (the same IMSIs on each
 *     other's ports after a restart): each SIM keeps its name, and the
 *     replies queued with parts staged on a SIM leave through that SIM;
 *  b. one of four modems unplugged for good mid-burst, with its replies
 *     queued: after failover_after they leave through the modem of the same
 *     network, nothing lost or doubled (counted on every sim's SENT); the
 *     reset ladder climbs (reopen -> reset -> dead) and the operators'
 *     number gets one "modem dead" SMS, through a live modem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"
#include "hverify.h"

#define REPLY_MS 90000
#define IMSI1 "502120000000001"
#define IMSI2 "502120000000002"
#define IMSI3 "502190000000003"
#define IMSI4 "502190000000004"
#define OPERATOR "+60130000099" /* a Celcom number */

static int
setup(void **state)
{
	return e2e_setup(state, "pool");
}

static void
start(struct harness *h, const char *extra)
{
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, hgw_start(h, extra));
	E2E_OK(h, harness_gw_wait_ready(h, 60000));
}

/* ---- a: ports renumbered ---- */

static void
test_swapped_ports(void **state)
{
	struct harness *h = *state;
	static const struct hverify_msg m1[] = {
		{ "+60121000001", "first on SIM 1" },
		{ "+60121000002", "queued on SIM 1 (a)" },
		{ "+60121000003", "queued on SIM 1 (b)" },
		{ "+60121000004", "after the swap on SIM 1" },
	};
	static const struct hverify_msg m2[] = {
		{ "+60122000001", "first on SIM 2" },
		{ "+60122000002", "queued on SIM 2 (a)" },
		{ "+60122000003", "queued on SIM 2 (b)" },
		{ "+60122000004", "after the swap on SIM 2" },
	};
	char needle[HARNESS_PATH_MAX + 64];
	int status = 0;

	h->opts.nmodems = 2;
	h->opts.retry_min = 3.0;
	h->opts.retry_max = 3.0;
	h->opts.max_attempts = 100;
	h->opts.modem[0].sim_imsi = IMSI1;
	h->opts.modem[1].sim_imsi = IMSI2;
	h->opts.modem[0].cfg_extra = "imsi = \"" IMSI1 "\";";
	h->opts.modem[1].cfg_extra = "imsi = \"" IMSI2 "\";";
	start(h, NULL);
	E2E_OK(h, harness_inject_on(h, 1, m1[0].from, m1[0].text));
	E2E_OK(h, harness_inject_on(h, 2, m2[0].from, m2[0].text));
	E2E_OK(h, harness_wait_sent_on(h, 1, 1, REPLY_MS));
	E2E_OK(h, harness_wait_sent_on(h, 2, 1, REPLY_MS));
	/* Both SIMs refuse to send: two replies each stay queued, staged on their SIM. */
	E2E_OK(h, harness_fault_on(h, 1, "CMS 1000000"));
	E2E_OK(h, harness_fault_on(h, 2, "CMS 1000000"));
	for (int i = 1; i <= 2; i++) {
		E2E_OK(h, harness_inject_on(h, 1, m1[i].from, m1[i].text));
		E2E_OK(h, harness_inject_on(h, 2, m2[i].from, m2[i].text));
	}
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM outbound WHERE state = 'queued' AND attempts >= 1"
		      " AND id IN (SELECT outbound_id FROM outbound_part)",
		      4, REPLY_MS));
	E2E_OK(h, harness_gw_stop(h, SIGTERM, 10000, &status));
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE state = 'queued'"
				" AND modem = 'modem1' AND dest LIKE '+6012100000%%'") == 2);
	E2E_OK(h, harness_fault_on(h, 1, "CMS 0"));
	E2E_OK(h, harness_fault_on(h, 2, "CMS 0"));
	/* The ports renumber: modem1's configured device is now SIM 2's port. */
	h->opts.modem[0].device_of = 2;
	h->opts.modem[1].device_of = 1;
	E2E_OK(h, hgw_start(h, NULL));
	snprintf(needle, sizeof(needle), "modem modem1: SIM %s on %s", IMSI1, h->sim[0].link);
	E2E_OK(h, harness_wait_log(h, needle, 2, 60000));
	snprintf(needle, sizeof(needle), "modem modem2: SIM %s on %s", IMSI2, h->sim[1].link);
	E2E_OK(h, harness_wait_log(h, needle, 2, 60000));
	E2E_OK(h, harness_inject_on(h, 1, m1[3].from, m1[3].text));
	E2E_OK(h, harness_inject_on(h, 2, m2[3].from, m2[3].text));
	E2E_OK(h, harness_wait_sent_on(h, 1, 4, REPLY_MS));
	E2E_OK(h, harness_wait_sent_on(h, 2, 4, REPLY_MS));
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM outbound WHERE state = 'queued'", 0,
		      REPLY_MS));
	/* each SIM answered its own senders, once each, under its own name */
	E2E_OK(h, hverify_replies_on(h, 1, m1, 4, h->opts.reply_text, NULL));
	E2E_OK(h, hverify_replies_on(h, 2, m2, 4, h->opts.reply_text, NULL));
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE modem = 'modem1'"
					 " AND dest LIKE '+6012100000%%' AND state = 'sent'") == 4);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM inbound WHERE modem = 'modem2'"
					 " AND sender LIKE '+6012200000%%'") == 4);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM modem_sim WHERE name = 'modem1'"
			 " AND imsi = '%s' AND device = '%s'",
			 IMSI1, h->sim[0].link) == 1);
	E2E_CHECK(h, harness_log_count(h, "holds SIM") >= 2);
	E2E_CHECK(h, harness_log_count(h, "SIM CHANGED") == 0);
}

/* ---- b: one of four modems unplugged for good ---- */

#define FO_N3 10 /* into the modem that dies */
#define FO_NX 4  /* into each of the others */

static void
test_failover_unplugged(void **state)
{
	struct harness *h = *state;
	static char from[FO_N3 + 3 * FO_NX][24], text[FO_N3 + 3 * FO_NX][48];
	static struct hverify_msg msgs[FO_N3 + 3 * FO_NX];
	static const int modem_of[] = { 3, 1, 2, 4 };
	const char *net = "networks = ( { name = \"Maxis\"; prefixes = [ \"+6012\" ]; },"
			  " { name = \"Celcom\"; prefixes = [ \"+6013\", \"+6019\" ]; } );\n"
			  "operators = [ \"" OPERATOR "\" ];\n";
	size_t n = 0;
	long total = 0, held = 0, moved_to4 = 0;

	h->opts.nmodems = 4;
	h->opts.modem[0].sim_imsi = IMSI1;
	h->opts.modem[1].sim_imsi = IMSI2;
	h->opts.modem[2].sim_imsi = IMSI3;
	h->opts.modem[3].sim_imsi = IMSI4;
	h->opts.modem[0].sim_operator = h->opts.modem[1].sim_operator = "Maxis";
	h->opts.modem[2].sim_operator = h->opts.modem[3].sim_operator = "Celcom";
	h->opts.modem[0].cfg_extra =
	    "imsi = \"" IMSI1 "\"; network = \"Maxis\"; failover_after = 5.0;";
	h->opts.modem[1].cfg_extra =
	    "imsi = \"" IMSI2 "\"; network = \"Maxis\"; failover_after = 5.0;";
	h->opts.modem[2].cfg_extra =
	    "imsi = \"" IMSI3 "\"; network = \"Celcom\"; failover_after = 5.0;"
	    " reset_after = 2;";
	h->opts.reopen_min = 0.3;
	h->opts.reopen_max = 0.6;
	h->opts.modem[3].cfg_extra =
	    "imsi = \"" IMSI4 "\"; network = \"Celcom\"; failover_after = 5.0;";
	start(h, net);
	for (size_t g = 0; g < 4; g++) {
		int cnt = g == 0 ? FO_N3 : FO_NX;

		for (int i = 0; i < cnt; i++, n++) {
			snprintf(from[n], sizeof(from[n]), "+601%d%d00%05d",
			    modem_of[g] >= 3 ? 3 : 2, modem_of[g], i);
			snprintf(text[n], sizeof(text[n]), "into modem %d, %d", modem_of[g], i);
			msgs[n].from = from[n];
			msgs[n].text = text[n];
		}
	}
	/* modem 3's burst is stored, then the modem goes for good */
	for (int i = 0; i < FO_N3; i++)
		E2E_OK(h, harness_inject_on(h, 3, msgs[i].from, msgs[i].text));
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM inbound WHERE modem = 'modem3'", FO_N3,
		      REPLY_MS));
	E2E_OK(h, harness_unplug_on(h, 3, 3600000));
	for (size_t i = FO_N3; i < n; i++)
		E2E_OK(h, harness_inject_on(h, modem_of[1 + (i - FO_N3) / FO_NX], msgs[i].from,
			      msgs[i].text));
	/* everything but what is staged on the dead SIM leaves */
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM inbound", (int64_t)n, REPLY_MS));
	E2E_OK(h,
	    harness_wait_db(h, "SELECT COUNT(*) FROM inbound WHERE state <> 'done'", 0, REPLY_MS));
	/* (a moved row staged on a live modem's SIM is on its way: wait for it
	 * too; only a row staged on the dead SIM may stay) */
	E2E_OK(h,
	    harness_wait_db(h,
		"SELECT COUNT(*) FROM outbound WHERE state = 'queued'"
		" AND NOT (modem = 'modem3' AND id IN (SELECT outbound_id FROM outbound_part))",
		0, REPLY_MS));
	held = (long)harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE state = 'queued'");
	E2E_CHECK(h, held <= 1); /* at most the one in flight when it went */
	for (size_t i = 0; i < n; i++) {
		long c = hgw_count_to_all(h, msgs[i].from);
		bool is_held = harness_db_value(h,
				   "SELECT COUNT(*) FROM outbound WHERE state = 'queued'"
				   " AND dest = '%s'",
				   msgs[i].from) == 1;

		if (c != (is_held ? 0 : 1))
			printf("  %s answered %ld times (held %d)\n", msgs[i].from, c, is_held);
		E2E_CHECK(h, c == (is_held ? 0 : 1));
		total += c;
		if (i < FO_N3)
			moved_to4 += hgw_count_to_on(h, 4, msgs[i].from);
	}
	printf("  %ld replies, %ld held on the dead SIM, %ld of modem 3's left through modem 4\n",
	    total, held, moved_to4);
	E2E_CHECK(h, total + held == (long)n);
	/* modem 3's queue moved, to the modem of the same network (Celcom) */
	E2E_CHECK(h, moved_to4 >= 3);
	for (size_t i = 0; i < FO_N3; i++) {
		E2E_CHECK(h, hgw_count_to_on(h, 1, msgs[i].from) == 0);
		E2E_CHECK(h, hgw_count_to_on(h, 2, msgs[i].from) == 0);
	}
	E2E_CHECK(h, harness_log_count(h, "failover: #") >= 3);
	/* the ladder was climbed, and the operators told once, by a live
	 * modem (whichever takes the urgent row first) */
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM outbound WHERE dest = '" OPERATOR "' AND state = 'sent'"
		      " AND text LIKE '%modem modem3 %dead%'",
		      1, REPLY_MS));
	E2E_CHECK(h, hgw_count_to_on(h, 3, OPERATOR) == 0);
	E2E_CHECK(h, harness_log_count(h, "ladder: reset through libgammu") == 1);
	E2E_CHECK(h, harness_log_count(h, "*** DEAD ***") == 1);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM modem_sim WHERE name = 'modem3'"
					 " AND dead = 1 AND deaths = 1 AND rung = 'dead'") == 1);
	sleep(3); /* it stays dead and is tried now and then: no second SMS */
	E2E_CHECK(h, hgw_count_to_all(h, OPERATOR) == 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_swapped_ports, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_failover_unplugged, setup, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
