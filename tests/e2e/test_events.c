/* test_events.c - a modem's other events end to end (issue 10, items 6
 * and 7), through the real gateway, libgammu's AT driver and the sim:
 *  1. missed calls: a Thai-speaking worker's calls get the home menu in
 *     Thai by SMS three times, the fourth call in the day nothing; a new
 *     number gets the language list; a number that sent STOP and an
 *     officer's number get nothing;
 *  2. delivery reports: the sim reports the first officer's alert failed
 *     (DLR FAIL 1): the second officer is alerted at once, long before
 *     ack_timeout; the rows show failed / delivered;
 *  3. an alert cut off by a crash (issue 11): the sim took officer 1's
 *     alert (AT+CMGS, with a status-report request) and the gateway was
 *     killed before the modem's answer; the network's report comes 12 s
 *     later, to the restarted gateway, which records the alert sent and
 *     delivered instead of sending it a second time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"
#include "hproc.h"
#include "core/util.h"

#define REPLY_MS 60000
#define OFF1 "+60100000001"
#define OFF2 "+60100000002"
/* PIN 482193 (officers' PINs are 6+ digits since issue 11) */
#define PIN_HASH                                                                                   \
	"$6$kawantest$iwi.1WUxmfeHHDyWtJVOpMB0oAcJwSe21LbZX.mE9frEfZHKQx."                         \
	"SkjltXhOnYvhtcXg/Yyfl4nxC32s5/Bblm/"
#define SOS_MY "ကယ်ပါ"
#define HELP_TH "ช่วย"

static char repo[HARNESS_PATH_MAX];

static void
start(struct harness *h, const char *more)
{
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];
	struct hbuf b;

	hbuf_init(&b);
	snprintf(menus, sizeof(menus), "%s/menus", repo);
	snprintf(trans, sizeof(trans), "%s/translations", repo);
	if (hgw_cfg_content(&b, menus, trans, NULL) < 0 ||
	    hbuf_printf(&b,
		"reports = { ack_timeout = 120.0; reminder_interval = 120.0; max_reminders = 1;\n"
		"  sos_default = \"both\"; };\n"
		"officers = ( { nationality = \"MM\"; officers = (\n"
		"  { name = \"Duty officer 1\"; number = \"" OFF1 "\"; pin_hash = \"%s\"; },\n"
		"  { name = \"Duty officer 2\"; number = \"" OFF2
		"\"; pin_hash = \"%s\"; } ); } );\n"
		"%s\n",
		PIN_HASH, PIN_HASH, more) < 0)
		fail_msg("out of memory");
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, hgw_start(h, b.data));
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
	hbuf_free(&b);
}

/* Rings from number; waits until the gateway has routed the call row. */
static void
ring(struct harness *h, const char *number, long *calls)
{
	E2E_OK(h, harness_ctl(h, NULL, "CALL %s", number));
	++*calls;
	E2E_OK(h, harness_wait_stat(h, "hangups", *calls, *calls + 10, 20000));
}

static void
wait_calls_done(struct harness *h, const char *number, int n)
{
	char sql[200];

	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM inbound WHERE sender = '%s' AND (flags & 16) <> 0"
	    " AND state = 'done'",
	    number);
	E2E_OK(h, harness_wait_db(h, sql, n, 20000));
}

static bool
thai(const char *s)
{
	return strstr(s, "\xe0\xb8") != NULL || strstr(s, "\xe0\xb9") != NULL;
}

static void
test_missed_calls(void **state)
{
	struct harness *h = *state;
	struct hctl_sent m;
	const char *w = "+60112700001", *fresh = "+60112700002", *stopped = "+60112700003";
	long calls = 0, before;

	start(h, "calls = { menu_per_day = 3; };");
	/* The worker writes Thai once: their language is Thai. */
	E2E_OK(h, hgw_converse(h, w, HELP_TH, REPLY_MS, &m));
	hgw_msg_free(&m);
	for (int k = 1; k <= 3; k++) {
		before = hgw_count_to(h, w);
		ring(h, w, &calls);
		E2E_OK(h, hgw_wait_nth(h, w, before + 1, REPLY_MS, &m));
		printf("events: call %d from %s -> %s: %.80s\n", k, w, m.coding, m.text);
		E2E_CHECK(h, thai(m.text));
		E2E_CHECK(h, strcmp(m.coding, "ucs2") == 0);
		hgw_msg_free(&m);
	}
	before = hgw_count_to(h, w);
	ring(h, w, &calls);
	wait_calls_done(h, w, 4);
	/* A new number: the language list. */
	ring(h, fresh, &calls);
	E2E_OK(h, hgw_wait_nth(h, fresh, 1, REPLY_MS, &m));
	printf("events: call from a new number -> %.80s\n", m.text);
	hgw_msg_free(&m);
	/* STOP, then a call: nothing. */
	E2E_OK(h, hgw_converse(h, stopped, "STOP", REPLY_MS, &m));
	hgw_msg_free(&m);
	ring(h, stopped, &calls);
	wait_calls_done(h, stopped, 1);
	/* An officer's call: nothing. */
	ring(h, OFF1, &calls);
	wait_calls_done(h, OFF1, 1);
	sleep(2); /* anything wrongly queued would have left by now */
	E2E_CHECK(h, hgw_count_to(h, w) == before);
	E2E_CHECK(h, hgw_count_to(h, stopped) == 1);
	E2E_CHECK(h, hgw_count_to(h, OFF1) == 0);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM outbound o JOIN inbound i ON o.inbound_id = i.id"
			 " WHERE (i.flags & 16) <> 0") == 4);
}

/* kawanctl reports show: each alert with its delivery. */
static void
show_delivery(struct harness *h, const char *worker)
{
	char ref[64], ctl[HARNESS_PATH_MAX + 16];
	struct hbuf out;
	int st = 0;

	E2E_OK(h, harness_report_ref(h, worker, ref, sizeof(ref), 20000));
	snprintf(ctl, sizeof(ctl), "%s/kawanctl", h->bin);
	char *argv[] = { ctl, "reports", "show", ref, "--db", h->db, NULL };
	hbuf_init(&out);
	E2E_CHECK(h, hproc_run(argv, h->scratch, 20000, &out, &st) == 0 && WIFEXITED(st) &&
			 WEXITSTATUS(st) == 0);
	printf("%s", out.data != NULL ? out.data : "");
	E2E_CHECK(h, out.data != NULL && strstr(out.data, "to " OFF1 ": sent") != NULL &&
			 strstr(out.data, "delivery: failed") != NULL &&
			 strstr(out.data, "delivery: delivered") != NULL);
	hbuf_free(&out);
}

static void
test_failed_alert_escalates(void **state)
{
	struct harness *h = *state;
	struct hctl_sent m;
	const char *w = "+60112700011";
	int64_t t0;

	start(h, "");
	E2E_OK(h, harness_ctl(h, NULL, "DLR FAIL 1"));
	t0 = util_mono_ms();
	E2E_OK(h, harness_inject(h, w, SOS_MY));
	E2E_OK(h, hgw_wait_nth(h, OFF1, 1, REPLY_MS, &m));
	hgw_msg_free(&m);
	E2E_OK(h, hgw_wait_nth(h, OFF2, 1, 40000, &m));
	printf("events: officer 2 alerted %lld ms after the SOS (ack_timeout 120 s)\n",
	    (long long)(util_mono_ms() - t0));
	E2E_CHECK(h, strncmp(m.text, "KAWAN", 5) == 0);
	hgw_msg_free(&m);
	E2E_CHECK(h, util_mono_ms() - t0 < 60000);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '" OFF1
					 "' AND dlr = 'failed'") == 1);
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM outbound WHERE dest = '" OFF2 "' AND dlr = 'delivered'",
		      1, 20000));
	E2E_OK(h, harness_wait_log(h, "network reports alert", 1, 10000));
	show_delivery(h, w);
	/* Worker replies asked for no report. */
	E2E_CHECK(h,
	    harness_db_value(h,
		"SELECT COUNT(*) FROM outbound WHERE dest = '%s' AND dlr IS NOT NULL", w) == 0);
}

static void
test_alert_in_doubt(void **state)
{
	struct harness *h = *state;
	struct hctl_sent m;
	const char *w = "+60112700012";

	start(h, "");
	/* the network reports 12 s after a send; the modem's answer to the
	 * next send, the alert (urgent: before the worker's answer), is held
	 * 4 s, and the gateway dies in between */
	E2E_OK(h, harness_ctl(h, NULL, "DLR DELAY 12000"));
	E2E_OK(h, harness_ctl(h, NULL, "FAULT DELAY 4000"));
	E2E_OK(h, harness_inject(h, w, SOS_MY));
	E2E_OK(h, hgw_wait_nth(h, OFF1, 1, REPLY_MS, &m));
	hgw_msg_free(&m);
	harness_gw_kill9(h);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '" OFF1
					 "' AND state = 'queued' AND doubt_ms IS NOT NULL") == 1);
	E2E_OK(h, harness_gw_start(h));
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM outbound WHERE dest = '" OFF1
		      "' AND state = 'sent' AND dlr = 'delivered'",
		      1, 40000));
	E2E_OK(h, harness_wait_log(h, "not sent again", 1, 10000));
	/* the row is sent: nothing can send it again; one copy left */
	E2E_CHECK(h, hgw_count_to(h, OFF1) == 1);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '" OFF1
					 "' AND doubt_ms IS NOT NULL") == 0);
}

static int
setup(void **state)
{
	return e2e_setup(state, "events");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missed_calls, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_failed_alert_escalates, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_alert_in_doubt, setup, e2e_teardown),
	};

	e2e_main_init();
	if (getcwd(repo, sizeof(repo)) == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
