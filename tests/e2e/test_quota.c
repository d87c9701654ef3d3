/* test_quota.c - quotas and the reset ladder (issue 10, items 3 and 4),
 * end to end through the real gateway, libgammu's AT driver and two
 * simulated modems:
 *  a. modem 1 capped at 3 parts an hour (alerts may pass), modem 2 at 3
 *     (alerts may not): modem 1's first 3 replies leave through it, the
 *     next 3 move to modem 2; with both at their caps a reply waits and an
 *     officer alert leaves through modem 1 past its cap; an hour later
 *     (sent times moved back in the database) modem 1 is under its cap
 *     again and sends the waiting reply; each change logged once;
 *  b. modem 1 unplugged for good (reset_after 2, a reset_command): the
 *     ladder climbs reopen -> reset -> command (run with the device) ->
 *     dead, each step counted, and the operators' number gets exactly one
 *     "modem dead" SMS, from modem 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"
#include "hverify.h"

#define REPLY_MS 60000
#define OPERATOR "+60130000099"

static int
setup(void **state)
{
	return e2e_setup(state, "quota");
}

static void
start(struct harness *h, const char *extra)
{
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, hgw_start(h, extra));
	E2E_OK(h, harness_gw_wait_ready(h, 60000));
}

/* Writes to the gateway's database as the core would (WAL: the gateway
 * goes on; a busy timeout waits for its writers). 0 or -1. */
static int
db_exec(struct harness *h, const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	int rc;

	if (sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 10000);
	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		printf("  db_exec: %s\n", msg != NULL ? msg : "?");
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* ---- a: quotas ---- */

static void
test_quota_takeover(void **state)
{
	struct harness *h = *state;
	char from[8][24], text[8][32];

	h->opts.nmodems = 2;
	h->opts.modem[0].cfg_extra = "max_parts_per_hour = 3; alerts_exceed_quota = true;";
	h->opts.modem[1].cfg_extra = "max_parts_per_hour = 3; alerts_exceed_quota = false;";
	start(h, NULL);
	for (int i = 0; i < 7; i++) {
		snprintf(from[i], sizeof(from[i]), "+6012300000%d", i);
		snprintf(text[i], sizeof(text[i]), "message %d", i);
	}
	/* 3 replies fill modem 1's cap */
	for (int i = 0; i < 3; i++)
		E2E_OK(h, harness_inject_on(h, 1, from[i], text[i]));
	E2E_OK(h, harness_wait_sent_on(h, 1, 3, REPLY_MS));
	E2E_OK(h, harness_wait_log(h, "modem modem1: at its quota", 1, 20000));
	/* the next 3 come in on modem 1 and leave through modem 2 */
	for (int i = 3; i < 6; i++)
		E2E_OK(h, harness_inject_on(h, 1, from[i], text[i]));
	E2E_OK(h, harness_wait_sent_on(h, 2, 3, REPLY_MS));
	for (int i = 3; i < 6; i++) {
		E2E_CHECK(h, hgw_count_to_on(h, 2, from[i]) == 1);
		E2E_CHECK(h, hgw_count_to_on(h, 1, from[i]) == 0);
	}
	E2E_CHECK(h, harness_log_count(h, "pool: quota: #") >= 3);
	E2E_OK(h, harness_wait_log(h, "modem modem2: at its quota", 1, 20000));
	/* both at their caps: a reply waits */
	E2E_OK(h, harness_inject_on(h, 1, from[6], text[6]));
	E2E_OK(h,
	    harness_wait_db(h,
		"SELECT COUNT(*) FROM outbound WHERE state = 'queued' AND dest = '+60123000006'", 1,
		REPLY_MS));
	/* an officer alert (queued as the core queues one: urgent, any modem)
	 * leaves through modem 1, past its cap; modem 2 may not pass its cap */
	E2E_OK(h, db_exec(h, "INSERT INTO outbound (channel, dest, text, state, next_attempt_ms,"
			     " created_ms, modem, priority) VALUES ('sms', '+60120000001',"
			     " 'KAWAN SOS test alert', 'queued', 0, 0, '', 1)"));
	E2E_OK(h, harness_wait_sent_on(h, 1, 4, REPLY_MS));
	E2E_CHECK(h, hgw_count_to_on(h, 1, "+60120000001") == 1);
	E2E_CHECK(h, hgw_count_to_on(h, 2, "+60120000001") == 0);
	sleep(3);
	E2E_CHECK(h, hgw_count_to_all(h, from[6]) == 0); /* replies never pass a cap */
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM outbound WHERE state = 'queued'"
			 " AND dest = '%s'",
			 from[6]) == 1);
	/* an hour later modem 1 is under its cap again and sends it */
	E2E_OK(h, db_exec(h, "UPDATE outbound SET sent_ms = sent_ms - 3600000"
			     " WHERE modem = 'modem1' AND state = 'sent'"));
	E2E_OK(h, harness_wait_log(h, "modem modem1: under its quota again", 1, 20000));
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM outbound WHERE state = 'queued'", 0,
		      REPLY_MS));
	E2E_CHECK(h, hgw_count_to_all(h, from[6]) == 1);
	for (int i = 0; i < 3; i++)
		E2E_CHECK(h, hgw_count_to_on(h, 1, from[i]) == 1);
	/* the parts are recorded; each change of state logged once */
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE state = 'sent'"
					 " AND parts = 1") == 8);
	E2E_CHECK(h, harness_log_count(h, "modem modem1: at its quota") <= 2);
	E2E_CHECK(h, harness_log_count(h, "modem modem2: at its quota") == 1);
	E2E_CHECK(h, harness_log_count(h, "modem modem2: under its quota again") == 0);
}

/* ---- b: the reset ladder ---- */

static void
test_ladder_dead(void **state)
{
	struct harness *h = *state;
	char script[HARNESS_PATH_MAX + 32], cycled[HARNESS_PATH_MAX + 32], extra[1024];
	char m1[HARNESS_PATH_MAX + 256], line[HARNESS_PATH_MAX];
	struct hctl_sent msg;
	FILE *fp;

	snprintf(script, sizeof(script), "%s/usb-cycle.sh", h->dir);
	snprintf(cycled, sizeof(cycled), "%s/cycled", h->dir);
	fp = fopen(script, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\necho \"$1\" >> '%s'\n", cycled);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(script, 0755), 0);
	h->opts.nmodems = 2;
	h->opts.reopen_min = 0.3;
	h->opts.reopen_max = 0.6;
	snprintf(m1, sizeof(m1), "reset_after = 2; reset_command = \"%s\"; failover_after = 2.0;",
	    script);
	h->opts.modem[0].cfg_extra = m1;
	snprintf(extra, sizeof(extra), "operators = [ \"%s\" ];\n", OPERATOR);
	start(h, extra);
	E2E_OK(h, harness_unplug_on(h, 1, 3600000));
	E2E_OK(h, hgw_wait_nth_on(h, 2, OPERATOR, 1, REPLY_MS, &msg));
	printf("  to the operators: %s\n", msg.text);
	E2E_CHECK(h, strstr(msg.text, "modem1") != NULL && strstr(msg.text, "dead") != NULL);
	hgw_msg_free(&msg);
	E2E_CHECK(h, harness_log_count(h, "ladder: reset through libgammu") == 1);
	E2E_CHECK(h, harness_log_count(h, "ladder: running") == 1);
	E2E_CHECK(h, harness_log_count(h, "*** DEAD ***") == 1);
	/* it stays dead and is reopened now and then: no second SMS */
	sleep(6);
	E2E_CHECK(h, hgw_count_to_all(h, OPERATOR) == 1);
	E2E_CHECK(h, hgw_count_to_on(h, 1, OPERATOR) == 0);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM modem_sim WHERE name = 'modem1'"
				" AND dead = 1 AND deaths = 1 AND resets = 1 AND commands = 1"
				" AND reopen_fails >= 6 AND rung = 'dead'") == 1);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '%s'", OPERATOR) == 1);
	/* the command ran once, with the device as its argument */
	fp = fopen(cycled, "r");
	E2E_CHECK(h, fp != NULL);
	if (fp != NULL) {
		E2E_CHECK(h, fgets(line, sizeof(line), fp) != NULL);
		line[strcspn(line, "\n")] = '\0';
		E2E_CHECK(h, strcmp(line, h->sim[0].link) == 0);
		E2E_CHECK(h, fgets(line, sizeof(line), fp) == NULL);
		fclose(fp);
	}
	/* a restart while it is dead tells nobody again */
	E2E_OK(h, harness_gw_stop(h, SIGTERM, 10000, NULL));
	E2E_OK(h, hgw_start(h, extra));
	E2E_OK(h, harness_wait_log(h, "the operators were told already", 1, REPLY_MS));
	sleep(3);
	E2E_CHECK(h, hgw_count_to_all(h, OPERATOR) == 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_quota_takeover, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_ladder_dead, setup, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
