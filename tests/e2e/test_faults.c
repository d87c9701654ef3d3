/* test_faults.c - the gateway under modem faults and bad input: refused
 * sends (+CMS ERROR), an unplugged modem, a mute modem, malformed PDUs, a
 * small SIM, invalid configurations, SIGHUP reloads, SIGTERM, and an
 * incoming call. Each case asserts that nothing is lost or doubled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "e2e.h"
#include "hgw.h"
#include "hverify.h"

static int
setup(void **state)
{
	return e2e_setup(state, "faults");
}

static void
inject_all(struct harness *h, const struct hverify_msg *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		E2E_OK(h, harness_inject(h, m[i].from, m[i].text));
}

/* Waits for n replies and a quiet gateway, then checks exactly-once. */
static void
expect_all_answered(struct harness *h, const struct hverify_msg *m, size_t n, int timeout_ms)
{
	E2E_OK(h, harness_wait_sent(h, (long)n, timeout_ms));
	e2e_wait_drained(h, 60000);
	E2E_CHECK(h, hverify_inbound(h, m, n, 1) == 0);
	E2E_CHECK(h, hverify_replies(h, m, n, h->opts.reply_text, NULL) == 0);
	E2E_CHECK(h, hverify_outbound(h, n) == 0);
	E2E_CHECK(h, harness_gw_alive(h));
}

/* (a) The modem refuses the next three sends: the reply is retried with
 * backoff and goes out once. */
static void
test_cms_error_retried(void **state)
{
	struct harness *h = *state;
	static const struct hverify_msg m[] = { { "+60114000001", "Tolong saya" } };
	int64_t attempts = 0;
	long errs = 0;

	e2e_start(h);
	E2E_OK(h, harness_ctl(h, NULL, "FAULT CMS 3"));
	inject_all(h, m, 1);
	expect_all_answered(h, m, 1, 60000);
	E2E_OK(h, harness_stat(h, "cmgs_err", &errs));
	E2E_CHECK(h, errs == 3);
	E2E_OK(h, harness_db_int(h, "SELECT attempts FROM outbound", &attempts));
	printf("faults: reply sent after %lld attempts (%ld refused)\n", (long long)attempts, errs);
	E2E_CHECK(h, attempts >= 3);
	E2E_CHECK(h, harness_log_count(h, "CMS ERROR") + harness_log_count(h, "refused") >= 1);
}

/* (b) The modem disappears for 10 s with replies queued; more SMS arrive
 * meanwhile and wait on the network side. All are answered once. */
static void
test_unplug(void **state)
{
	struct harness *h = *state;
	static const struct hverify_msg m[] = {
		{ "+60114100001", "before unplug 1" },
		{ "+60114100002", "before unplug 2" },
		{ "+60114100003", "before unplug 3" },
		{ "+60114100004", "before unplug 4" },
		{ "+60114100005", "before unplug 5" },
		{ "+60114100006", "during outage 1" },
		{ "+60114100007", "during outage 2" },
		{ "+60114100008", "during outage 3" },
		{ "+60114100009", "during outage 4" },
		{ "+60114100010", "during outage 5" },
	};

	e2e_start(h);
	inject_all(h, m, 5);
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM outbound", 5, 30000));
	E2E_OK(h, harness_ctl(h, NULL, "UNPLUG 10000"));
	hproc_sleep_ms(500);
	inject_all(h, m + 5, 5);
	expect_all_answered(h, m, 10, 120000);
}

/* (c) The modem goes mute for 5 s (reads and answers nothing). */
static void
test_mute(void **state)
{
	struct harness *h = *state;
	static const struct hverify_msg m[] = {
		{ "+60114200001", "before mute 1" },
		{ "+60114200002", "before mute 2" },
		{ "+60114200003", "while mute 1" },
		{ "+60114200004", "while mute 2" },
		{ "+60114200005", "while mute 3" },
		{ "+60114200006", "after mute" },
	};

	e2e_start(h);
	inject_all(h, m, 2);
	E2E_OK(h, harness_wait_sent(h, 2, 30000));
	E2E_OK(h, harness_ctl(h, NULL, "FAULT MUTE on"));
	inject_all(h, m + 2, 3);
	hproc_sleep_ms(5000); /* the fault's duration, not an assertion */
	E2E_OK(h, harness_ctl(h, NULL, "FAULT MUTE off"));
	inject_all(h, m + 5, 1);
	expect_all_answered(h, m, 6, 120000);
}

/* harness_wait condition: the malformed PDUs' sender got *arg answers. */
static int
sent_to_oa(struct harness *h, void *arg)
{
	return hgw_count_to(h, "+60112345678") >= *(int64_t *)arg;
}

/* (d) Malformed SMS-DELIVER PDUs on the SIM: the gateway survives, logs,
 * and still answers a good SMS. */
static void
test_malformed_pdus(void **state)
{
	struct harness *h = *state;
	/* 00 no SMSC | 04 deliver | 0B 91 +60112345678 | PID 00 | DCS | SCTS 7 | UDL | UD */
#define OA "0B910611325476F8"
#define TS "62118210000000"
	static const char *const pdus[] = {
		"00040B91061132",                       /* truncated inside the address */
		"0004FF91061132547698",                 /* address length 255 */
		"000400",                               /* nothing after the address length */
		"00",                                   /* SMSC only */
		"0004" OA "0000" TS,                    /* no UDL */
		"0004" OA "0008" TS "050E2A0E270E",     /* UCS-2 with an odd byte count */
		"0004" OA "0000" TS "A0E8329BFD06",     /* 7-bit: 160 septets claimed, 5 octets */
		"0004" OA "0004" TS "FF0102",           /* 8-bit: 255 octets claimed, 2 given */
		"0044" OA "0000" TS "0A0500030A0201E8", /* UDH longer than the data */
		"0044" OA "0000" TS "05FF",             /* UDHL 255 */
	};
	static const struct hverify_msg good[] = { { "+60114300001", "good after bad" } };
	struct hctl_sent m;
	int64_t decoded = 0;
	long warns_before, injected = 0;
	size_t n = sizeof(pdus) / sizeof(pdus[0]);

	e2e_start(h);
	warns_before = harness_log_count(h, "[warn]");
	for (size_t i = 0; i < n; i++) {
		if (harness_ctl(h, NULL, "INJECTPDU %s", pdus[i]) == 0)
			injected++;
	}
	/* bad hex: the sim may refuse it itself; either way nothing breaks */
	if (harness_ctl(h, NULL, "INJECTPDU 0004" OA "0000" TS "05E8329BFZ06") == 0)
		injected++;
	printf("faults: %ld malformed PDUs on the SIM\n", injected);
	E2E_CHECK(h, injected >= (long)n);
	inject_all(h, good, 1);
	/* a good SMS is normally answered within a second or two */
	E2E_OK(h, hgw_wait_nth(h, "+60114300001", 1, 30000, &m));
	hgw_msg_free(&m);
	E2E_OK(h, harness_wait_log(h, "[warn]", warns_before + 1, 10000));
	E2E_CHECK(h, harness_gw_alive(h));
	/* the good one was stored once, its sender answered once; a malformed
	 * PDU libgammu still decodes (cut short) is a real text from a real
	 * number and gets exactly one answer: one per stored text row */
	E2E_CHECK(h, hgw_count_to(h, "+60114300001") == 1);
	E2E_OK(h, harness_db_int(h,
		      "SELECT COUNT(*) FROM inbound WHERE sender = '+60112345678' "
		      "AND (flags & 4) = 0",
		      &decoded));
	E2E_OK(h,
	    harness_wait(h, 30000, "answers to decodable malformed PDUs", sent_to_oa, &decoded));
	E2E_CHECK(h, hgw_count_to(h, "+60112345678") == decoded);
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM inbound WHERE sender = '+60114300001' "
		      "AND text = 'good after bad'",
		      1, 10000));
	/* still responsive afterwards */
	E2E_OK(h, harness_inject(h, "+60114300002", "still there?"));
	E2E_OK(h, hgw_wait_nth(h, "+60114300002", 1, 60000, &m));
	hgw_msg_free(&m);
	E2E_CHECK(h, harness_gw_alive(h));
#undef OA
#undef TS
}

/* (e) A SIM with 5 slots and 20 SMS: the rest wait on the network side
 * and arrive as slots free up; all stored and answered once. */
static void
test_small_sim(void **state)
{
	struct harness *h = *state;
	static char from[20][24], text[20][64];
	static struct hverify_msg m[20];

	h->opts.sim_capacity = 5;
	for (int i = 0; i < 20; i++) {
		snprintf(from[i], sizeof(from[i]), "+6011450%05d", i);
		snprintf(text[i], sizeof(text[i]), "small SIM message %d", i);
		m[i].from = from[i];
		m[i].text = text[i];
	}
	e2e_start(h);
	inject_all(h, m, 20);
	expect_all_answered(h, m, 20, 120000);
}

/* (f) kawan-gateway -n: each broken file is refused with FILE:LINE: and
 * exit 1; the good one passes with exit 0. */
struct bad_config {
	const char *name;
	const char *text;
	int line; /* 0: the problem has no line (only FILE: is required) */
};

static void
check_config(struct harness *h, const struct bad_config *b)
{
	char path[HARNESS_PATH_MAX], want[HARNESS_PATH_MAX + 16];
	struct hbuf out;
	int code = -1;

	hbuf_init(&out);
	E2E_OK(h, harness_write_file(h, b->name, b->text, path, sizeof(path)));
	E2E_OK(h, harness_gw_check(h, path, &out, &code));
	if (b->line > 0)
		snprintf(want, sizeof(want), "%s:%d:", path, b->line);
	else
		snprintf(want, sizeof(want), "%s:", path);
	printf("faults: -n %s -> exit %d: %s", b->name, code, out.data ? out.data : "\n");
	if (code != 1 || out.data == NULL || strstr(out.data, want) == NULL) {
		harness_fail(h, "config %s: want exit 1 and \"%s\"; got exit %d, \"%s\"", b->name,
		    want, code, out.data ? out.data : "");
		hbuf_free(&out);
		fail();
	}
	hbuf_free(&out);
}

#define CFG_HEAD "database = \"/tmp/kawan-never.db\";\nlog_level = \"info\";\n"
#define CFG_MODEM "modems = ( { name = \"m1\"; device = \"/dev/null\"; pin = \"\"; } );\n"

static void
test_invalid_configs(void **state)
{
	struct harness *h = *state;
	static const struct bad_config bad[] = {
		{ "syntax.cfg", CFG_HEAD "country \"MY\";\n" CFG_MODEM, 3 },
		{ "modemkey.cfg",
		    CFG_HEAD "modems = (\n  { name = \"m1\"; device = \"/dev/null\";\n"
			     "    baud = 9600; } );\n",
		    5 },
		{ "unknown.cfg", CFG_HEAD "colour = \"blue\";\n" CFG_MODEM, 3 },
		{ "type.cfg", CFG_HEAD CFG_MODEM "outbound = { max_attempts = \"many\"; };\n", 4 },
		{ "nomodems.cfg", CFG_HEAD "country = \"MY\";\n", 0 },
		{ "badpin.cfg",
		    CFG_HEAD "modems = (\n  { name = \"m1\"; device = \"/dev/null\";\n"
			     "    pin = \"12a4\"; } );\n",
		    5 },
		{ "typemodem.cfg",
		    CFG_HEAD "modems = (\n  { name = \"m1\"; device = \"/dev/null\";\n"
			     "    poll_interval = \"often\"; } );\n",
		    5 },
	};
	char path[HARNESS_PATH_MAX];
	struct hbuf out;
	int code = -1;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_config(h, &bad[i]);
	/* the harness's own configuration is good */
	hbuf_init(&out);
	E2E_OK(h, harness_write_config(h));
	snprintf(path, sizeof(path), "%s", h->cfg);
	E2E_OK(h, harness_gw_check(h, path, &out, &code));
	printf("faults: -n good config -> exit %d: %s", code, out.data ? out.data : "\n");
	hbuf_free(&out);
	E2E_CHECK(h, code == 0);
}

/* (g) SIGHUP with a broken file keeps the running configuration; SIGHUP
 * with a new reply_text changes the reply. */
static void
test_sighup(void **state)
{
	struct harness *h = *state;
	static const struct hverify_msg m1[] = { { "+60114600001", "first" } };
	struct hctl_sent *sent = NULL;
	size_t n = 0;
	bool found = false;

	e2e_start(h);
	inject_all(h, m1, 1);
	E2E_OK(h, harness_wait_sent(h, 1, 30000));
	/* broken: a syntax error */
	E2E_OK(h, harness_write_file(h, "kawan.cfg", "database = = \"x\";\n", NULL, 0));
	E2E_OK(h, harness_gw_signal(h, SIGHUP));
	E2E_OK(h, harness_wait_log(h, "reload refused", 1, 10000));
	E2E_CHECK(h, harness_gw_alive(h));
	E2E_OK(h, harness_inject(h, "+60114600002", "after broken reload"));
	E2E_OK(h, harness_wait_sent(h, 2, 30000));
	/* changed reply */
	h->opts.reply_text = "Kawan: balasan baharu selepas muat semula.";
	E2E_OK(h, harness_write_config(h));
	E2E_OK(h, harness_gw_signal(h, SIGHUP));
	E2E_OK(h, harness_wait_log(h, "configuration reloaded", 1, 10000));
	E2E_OK(h, harness_inject(h, "+60114600003", "after good reload"));
	E2E_OK(h, harness_wait_sent(h, 3, 30000));
	E2E_OK(h, harness_sent(h, &sent, &n));
	for (size_t i = 0; i < n; i++) {
		if (strcmp(sent[i].dest, "+60114600002") == 0)
			E2E_CHECK(h, strcmp(sent[i].text, "Kawan: we received your message.") == 0);
		if (strcmp(sent[i].dest, "+60114600003") == 0) {
			found = true;
			if (strcmp(sent[i].text, h->opts.reply_text) != 0)
				harness_fail(h, "reply after reload is \"%s\"", sent[i].text);
		}
	}
	E2E_CHECK(h, found && !h->failed);
	E2E_CHECK(h, n == 3);
	hctl_sent_free(sent, n);
	E2E_CHECK(h, harness_gw_alive(h));
}

/* (h) SIGTERM stops the gateway promptly with exit status 0. */
static void
test_sigterm(void **state)
{
	struct harness *h = *state;
	int64_t t0;
	int status = 0, rc;

	e2e_start(h);
	E2E_OK(h, harness_inject(h, "+60114700001", "before stop"));
	E2E_OK(h, harness_wait_sent(h, 1, 30000));
	t0 = hproc_mono_ms();
	rc = harness_gw_stop(h, SIGTERM, 5000, &status);
	printf("faults: SIGTERM -> exited in %lld ms, status %d\n",
	    (long long)(hproc_mono_ms() - t0), WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	E2E_CHECK(h, rc == 0);
	E2E_CHECK(h, WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* An incoming call is hung up by the gateway. */
static void
test_incoming_call(void **state)
{
	struct harness *h = *state;

	e2e_start(h);
	E2E_OK(h, harness_ctl(h, NULL, "CALL +60114800001"));
	E2E_OK(h, harness_wait_stat(h, "hangups", 1, 1000000, 30000));
	E2E_CHECK(h, harness_gw_alive(h));
	E2E_OK(h, harness_inject(h, "+60114800002", "after the call"));
	E2E_OK(h, harness_wait_sent(h, 1, 30000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_invalid_configs, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_cms_error_retried, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_unplug, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_mute, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_malformed_pdus, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_small_sim, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_sighup, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_sigterm, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_incoming_call, setup, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
