/* test_health.c - the modems' health (issue 10 item 5), end to end through
 * the real gateway, libgammu's AT driver and two simulated modems with
 * their own SIM, operator (--operator), signal (--signal) and balance
 * answer (--balance; changed while running with the sim's USSD command).
 * health_interval is 2 s:
 *  - a modem_health row per modem with the signal libgammu read from
 *    AT+CSQ, registration from AT+CREG and the operator from AT+COPS;
 *    `kawanctl modems --json` (and the table) shows them;
 *  - modem 1's balance (RM 2.50, low_balance 5) read over AT+CUSD gives
 *    exactly one SMS to the operators' number over several checks;
 *    modem 2 (RM 30.00) none; a top-up (RM 50.00) clears the mark and
 *    sends nothing; a new low spell (RM 1.20) one more SMS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "e2e.h"
#include "hgw.h"

#define OPERATOR "+60100000077"
#define WAIT_MS 60000
#define BALANCE                                                                                    \
	"balance_ussd = \"*124#\"; balance_pattern = \"RM ?([0-9]+\\\\.[0-9]{2})\";"               \
	" low_balance = 5.0;"

static int
setup(void **state)
{
	return e2e_setup(state, "health");
}

/* Waits for modem's balance to be read n more times (balance_ms moves). */
static void
wait_checks(struct harness *h, const char *modem, int n)
{
	int64_t last =
	    harness_db_value(h, "SELECT balance_ms FROM modem_health WHERE name = '%s'", modem);
	int64_t end = hproc_wall_ms() + WAIT_MS;

	while (n > 0) {
		int64_t now = harness_db_value(h,
		    "SELECT balance_ms FROM modem_health WHERE name = '%s'", modem);

		if (now != last) {
			last = now;
			n--;
			continue;
		}
		E2E_CHECK(h, hproc_wall_ms() < end);
		hproc_sleep_ms(100);
	}
}

/* Sets modem k's AT+CUSD answer. */
static void
set_balance(struct harness *h, int k, const char *text)
{
	struct hbuf hex, reply;

	hbuf_init(&hex);
	hbuf_init(&reply);
	E2E_CHECK(h, hbuf_hex(&hex, text, strlen(text)) == 0);
	E2E_OK(h, harness_ctl_on(h, k, &reply, "USSD %s", hex.data));
	hbuf_free(&hex);
	hbuf_free(&reply);
}

static void
run_kawanctl(struct harness *h, bool json, struct hbuf *out)
{
	char ctl[HARNESS_PATH_MAX + 16];
	int st = 0;

	snprintf(ctl, sizeof(ctl), "%s/kawanctl", h->bin);
	char *argv[] = { ctl, "modems", json ? "--json" : "--db", json ? "--db" : h->db,
		json ? h->db : NULL, NULL };
	hbuf_init(out);
	E2E_CHECK(h, hproc_run(argv, h->scratch, 20000, out, &st) == 0 && WIFEXITED(st) &&
			 WEXITSTATUS(st) == 0 && out->data != NULL);
	printf("%s", out->data);
}

static void
test_health_and_balance(void **state)
{
	struct harness *h = *state;
	struct hbuf out;

	h->opts.nmodems = 2;
	h->opts.modem[0].sim_imsi = "502120000000001";
	h->opts.modem[0].sim_operator = "Maxis";
	h->opts.modem[0].sim_signal = 25; /* -63 dBm */
	h->opts.modem[0].sim_balance = "Baki anda RM20.00 sah hingga 01/02/2027";
	h->opts.modem[0].cfg_extra = BALANCE;
	h->opts.modem[1].sim_imsi = "502130000000002";
	h->opts.modem[1].sim_operator = "Celcom";
	h->opts.modem[1].sim_signal = 12; /* -89 dBm */
	h->opts.modem[1].sim_balance = "Your balance is RM 30.00";
	h->opts.modem[1].cfg_extra = BALANCE;
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, hgw_start(h, "health_interval = 2.0;\noperators = [ \"" OPERATOR "\" ];\n"));
	E2E_OK(h, harness_gw_wait_ready(h, 60000));

	/* Health rows for both, with what libgammu read from each sim. */
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM modem_health WHERE read_ms > 0 AND operator != ''"
		      " AND reg = 'home'",
		      2, WAIT_MS));
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM modem_health WHERE name = 'modem1'"
					 " AND operator = 'Maxis' AND signal_dbm = -63") == 1);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM modem_health WHERE name = 'modem2'"
					 " AND operator = 'Celcom' AND signal_dbm = -89") == 1);

	/* Modem 1 runs low once both are up: one SMS to the operators, through
	 * modem 2 (the low SIM may be unable to send). */
	set_balance(h, 1, "Baki anda RM2.50 sah hingga 01/02/2027");
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM modem_health WHERE name = 'modem1' AND low_alerted = 1"
		      " AND balance_cents = 250",
		      1, WAIT_MS));
	E2E_OK(h,
	    harness_wait_db(h,
		"SELECT COUNT(*) FROM outbound WHERE dest = '" OPERATOR "' AND state = 'sent'", 1,
		WAIT_MS));
	wait_checks(h, "modem1", 3);
	E2E_CHECK(h, hgw_count_to_all(h, OPERATOR) == 1);
	E2E_CHECK(h, hgw_count_to_on(h, 2, OPERATOR) == 1);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '" OPERATOR
					 "' AND text LIKE '%%modem modem1 airtime balance is 2.50,"
					 " below 5.00%%'") == 1);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM modem_health WHERE name = 'modem2'"
					 " AND balance_cents = 3000 AND low_alerted = 0") == 1);

	run_kawanctl(h, true, &out);
	E2E_CHECK(h,
	    strstr(out.data, "{\"name\": \"modem1\", \"imsi\": \"502120000000001\"") != NULL);
	E2E_CHECK(h, strstr(out.data, "\"signal_dbm\": -63") != NULL);
	E2E_CHECK(h,
	    strstr(out.data, "\"registration\": \"home\", \"operator\": \"Maxis\"") != NULL);
	E2E_CHECK(h, strstr(out.data, "\"operator\": \"Celcom\"") != NULL);
	E2E_CHECK(h, strstr(out.data, "\"balance\": 2.50") != NULL);
	E2E_CHECK(h, strstr(out.data, "\"balance\": 30.00") != NULL);
	E2E_CHECK(h, strstr(out.data, "\"low_balance_told\": true") != NULL);
	hbuf_free(&out);
	run_kawanctl(h, false, &out);
	E2E_CHECK(h,
	    strstr(out.data, "2.50 LOW") != NULL && strstr(out.data, "(2 modems)") != NULL);
	hbuf_free(&out);

	/* Topped up: the mark clears, nothing is sent. */
	set_balance(h, 1, "Baki anda RM50.00");
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM modem_health WHERE name = 'modem1' AND low_alerted = 0"
		      " AND balance_cents = 5000",
		      1, WAIT_MS));
	wait_checks(h, "modem1", 2);
	E2E_CHECK(h, hgw_count_to_all(h, OPERATOR) == 1);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '" OPERATOR "'") == 1);

	/* A new low spell: one more. */
	set_balance(h, 1, "Baki anda RM1.20");
	E2E_OK(h,
	    harness_wait_db(h,
		"SELECT COUNT(*) FROM outbound WHERE dest = '" OPERATOR "' AND state = 'sent'", 2,
		WAIT_MS));
	wait_checks(h, "modem1", 3);
	E2E_CHECK(h, hgw_count_to_all(h, OPERATOR) == 2);
	E2E_CHECK(h, hgw_count_to_on(h, 2, OPERATOR) == 2);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE text LIKE"
					 " '%%modem modem2%%'") == 0);
	E2E_CHECK(h, harness_log_count(h, "[error]") == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_health_and_balance, setup, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
