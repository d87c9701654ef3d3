/* test_consent.c - consent before anyone is told (issue 9, item 2), end to
 * end by SMS through the real gateway, libgammu's AT driver and the
 * simulated modem, with the repo's content, a Myanmar roster (officer
 * +60100000001, supervisor +60100000009) and an NGO desk (+60100000099),
 * PIN 482193, reports.sos_default = "ngo" and short timers:
 *  1. SOS alerts the configured default (the NGO desk) at once, before any
 *     answer; the worker chooses "NGO helpline only": escalation and every
 *     reminder run out and no embassy officer or supervisor ever gets a
 *     message;
 *  2. the worker chooses "Embassy only": the roster's officer is alerted,
 *     escalation reaches the supervisor, the desk hears nothing more; the
 *     officer ACKs and CLOSEs by SMS;
 *  3. nobody configured: the opening page says so (ui report_opened_none)
 *     and promises no officer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"
#include "content/content.h"

#define REPLY_MS 60000
#define OFF1 "+60100000001"
#define SUPV "+60100000009"
#define DESK "+60100000099"
/* PIN 482193 (officers' PINs are 6+ digits since issue 11) */
#define PIN_HASH                                                                                   \
	"$6$kawantest$iwi.1WUxmfeHHDyWtJVOpMB0oAcJwSe21LbZX.mE9frEfZHKQx."                         \
	"SkjltXhOnYvhtcXg/Yyfl4nxC32s5/Bblm/"
#define MAX_REMINDERS 2

static char repo[HARNESS_PATH_MAX];
static struct content *ct;
static struct hbuf extra_cfg;

static bool
has(const char *hay, const char *needle)
{
	return hay != NULL && needle != NULL && strstr(hay, needle) != NULL;
}

/* Starts the simulated modem and the gateway: the repo's content, and the
 * roster and desk when roster is true (else no one to alert). */
static void
start(struct harness *h, bool roster)
{
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];
	struct hbuf *b = &extra_cfg;

	snprintf(menus, sizeof(menus), "%s/menus", repo);
	snprintf(trans, sizeof(trans), "%s/translations", repo);
	hbuf_reset(b);
	if (hgw_cfg_content(b, menus, trans, NULL) < 0 ||
	    hbuf_printf(b,
		"reports = { ack_timeout = 2.0; reminder_interval = 2.0; max_reminders = %d;\n"
		"  notify_worker_on_ack = true;%s };\n",
		MAX_REMINDERS, roster ? " sos_default = \"ngo\";" : "") < 0)
		fail_msg("out of memory");
	if (roster &&
	    hbuf_printf(b,
		"officers = ( { nationality = \"MM\"; offer = [ \"ngo\", \"embassy\", \"both\" ];\n"
		"  officers = ( { name = \"Duty officer\"; number = \"" OFF1
		"\"; pin_hash = \"%s\"; } );\n"
		"  supervisor = { name = \"Consular supervisor\"; number = \"" SUPV "\";"
		" pin_hash = \"%s\"; }; } );\n"
		"ngo_desk = { name = \"NGO duty desk\"; number = \"" DESK
		"\"; pin_hash = \"%s\"; };\n",
		PIN_HASH, PIN_HASH, PIN_HASH) < 0)
		fail_msg("out of memory");
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, hgw_start(h, b->data));
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
}

static void
say(struct harness *h, const char *from, const char *text, struct hctl_sent *m)
{
	E2E_OK(h, hgw_converse(h, from, text, REPLY_MS, m));
	printf("consent: %s '%s' -> %d part(s): %.200s\n", from, text, m->nparts, m->text);
}

/* msisdn's report reference (ref: 64 bytes), once the report is stored. */
static void
ref_of(struct harness *h, const char *msisdn, char *ref)
{
	E2E_OK(h, harness_report_ref(h, msisdn, ref, 64, 20000));
}

/* Every message ever queued to the roster (officer and supervisor). */
static int64_t
to_roster(struct harness *h)
{
	return harness_db_value(h,
	    "SELECT COUNT(*) FROM outbound WHERE dest IN ('" OFF1 "', '" SUPV "')");
}

static int
setup(void **state)
{
	return e2e_setup(state, "consent");
}

/* ---- 1: NGO only ---- */

static void
test_ngo_only(void **state)
{
	struct harness *h = *state;
	static const char w[] = "+60112500001";
	struct hctl_sent m, alert;
	char ref[64], sql[256];

	start(h, true);
	say(h, w, "SOS", &m);
	E2E_CHECK(h, has(m.text, "Your home country?"));
	hgw_msg_free(&m);
	ref_of(h, w, ref);
	/* The default is alerted at once, before any answer. */
	E2E_OK(h, hgw_wait_nth(h, DESK, 1, 30000, &alert));
	E2E_CHECK(h, has(alert.text, "KAWAN SOS") && has(alert.text, ref));
	hgw_msg_free(&alert);
	E2E_CHECK(h, to_roster(h) == 0);

	/* Myanmar, then the consent question: who will see it, plainly. */
	say(h, w, "3", &m);
	E2E_CHECK(h, has(m.text, content_ui(ct, "en", "report_q_notify", true)));
	E2E_CHECK(h, has(m.text, content_ui(ct, "en", "notify_ngo", true)));
	E2E_CHECK(h, has(m.text, content_ui(ct, "en", "notify_embassy", true)));
	hgw_msg_free(&m);
	say(h, w, "1", &m);
	E2E_CHECK(h, has(m.text, content_ui(ct, "en", "report_q_category", true)));
	hgw_msg_free(&m);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM report WHERE ref = '%s' AND notify = 'ngo' AND "
			 "nationality = 'MM'",
			 ref) == 1);

	/* Escalation runs out: the alert and every reminder go to the desk. */
	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM outbound WHERE dest = '" DESK "' AND state = 'sent' "
	    "AND text LIKE 'KAWAN%%%s%%'",
	    ref);
	E2E_OK(h, harness_wait_db(h, sql, 1 + MAX_REMINDERS, 60000));
	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM report WHERE ref = '%s' AND next_alert_ms = 0 AND "
	    "reminders = %d",
	    ref, MAX_REMINDERS);
	E2E_OK(h, harness_wait_db(h, sql, 1, 30000));
	/* The worker finishes the flow: the update goes to the desk only. */
	say(h, w, "2", &m);
	hgw_msg_free(&m);
	say(h, w, "Kajang", &m);
	hgw_msg_free(&m);
	say(h, w, "2", &m);
	hgw_msg_free(&m);
	say(h, w, "0", &m);
	E2E_CHECK(h, has(m.text, ref));
	hgw_msg_free(&m);
	sleep(3); /* more than ack_timeout and reminder_interval: nothing else is due */
	printf("consent: to the roster %lld, to the desk %lld\n", (long long)to_roster(h),
	    (long long)harness_db_value(h,
		"SELECT COUNT(*) FROM outbound WHERE dest = '" DESK "'"));
	E2E_CHECK(h, to_roster(h) == 0);
	E2E_CHECK(h, hgw_count_to(h, OFF1) == 0 && hgw_count_to(h, SUPV) == 0);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '" DESK
					 "' AND text LIKE 'KAWAN UPDATE%%'") == 1);
}

/* ---- 2: embassy only ---- */

static void
test_embassy(void **state)
{
	struct harness *h = *state;
	static const char w[] = "+60112500002";
	struct hctl_sent m, alert;
	char ref[64], cmd[128];
	static const char after_choice[] =
	    "SELECT COUNT(*) FROM outbound WHERE dest = '" DESK "' AND created_ms >= "
	    "(SELECT at_ms FROM audit WHERE detail = 'consent: embassy')";

	start(h, true);
	say(h, w, "SOS", &m);
	hgw_msg_free(&m);
	ref_of(h, w, ref);
	E2E_OK(h, hgw_wait_nth(h, DESK, 1, 30000, &alert));
	hgw_msg_free(&alert);
	say(h, w, "3", &m);
	hgw_msg_free(&m);
	say(h, w, "2", &m); /* Embassy only */
	hgw_msg_free(&m);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM report WHERE ref = '%s' AND notify = "
			 "'embassy'",
			 ref) == 1);
	/* The roster: the officer at once, the supervisor after ack_timeout. */
	E2E_OK(h, hgw_wait_nth(h, OFF1, 1, 30000, &alert));
	E2E_CHECK(h,
	    has(alert.text, "KAWAN SOS") && has(alert.text, ref) && has(alert.text, "Myanmar"));
	hgw_msg_free(&alert);
	E2E_OK(h, hgw_wait_nth(h, SUPV, 1, 30000, &alert));
	E2E_CHECK(h, has(alert.text, ref));
	hgw_msg_free(&alert);
	/* The desk had the SOS default's alert (and its reminders while the
	 * worker was answering); nothing once the worker chose the embassy. */
	E2E_CHECK(h, hgw_count_to(h, DESK) >= 1);
	E2E_CHECK(h, harness_db_value(h, "%s", after_choice) == 0);

	/* ACK and CLOSE by SMS from the officer. */
	snprintf(cmd, sizeof(cmd), "ACK %s 482193", ref);
	E2E_OK(h, harness_inject(h, OFF1, cmd));
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM report WHERE state = 2", 1, 30000));
	snprintf(cmd, sizeof(cmd), "CLOSE %s 482193 called back, safe", ref);
	E2E_OK(h, harness_inject(h, OFF1, cmd));
	E2E_OK(h,
	    harness_wait_db(h,
		"SELECT COUNT(*) FROM report WHERE state = 3 AND outcome = 'called back, safe'", 1,
		30000));
	E2E_CHECK(h, harness_db_value(h, "%s", after_choice) == 0);
}

/* ---- 3: nobody to alert ---- */

static void
test_nobody(void **state)
{
	struct harness *h = *state;
	struct hctl_sent m;

	start(h, false);
	say(h, "+60112500003", "SOS", &m);
	E2E_CHECK(h, has(m.text, content_ui(ct, "en", "report_opened_none", true)));
	E2E_CHECK(h, !has(m.text, "being alerted"));
	E2E_CHECK(h, has(m.text, "Your home country?"));
	hgw_msg_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ngo_only, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_embassy, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_nobody, setup, e2e_teardown),
	};
	struct content_errors errs;
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];
	int rc;

	e2e_main_init();
	if (getcwd(repo, sizeof(repo)) == NULL)
		return 1;
	snprintf(menus, sizeof(menus), "%s/menus", repo);
	snprintf(trans, sizeof(trans), "%s/translations", repo);
	if (content_load(menus, trans, &ct, &errs) != 0) {
		fprintf(stderr, "test_consent: run from the repository root\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	content_free(ct);
	hbuf_free(&extra_cfg);
	return rc;
}
