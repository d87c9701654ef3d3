/* test_channels.c - several modems, each driven by its own thread (issue 7),
 * end to end through the real gateway, libgammu's AT driver and simulated
 * modems:
 *  a. a muted / unplugged modem 1 does not delay modem 2's replies, which
 *     leave through modem 2 (reply latency measured; outbound.modem);
 *  b. 100 SIGHUPs while replies leave through both modems: exactly one
 *     reply each, alive, no error or sanitizer report in the log;
 *  c. storage jam: 70 incomplete concatenated fragments on a 65-slot SIM,
 *     then a worker's SOS: answered and the officer alerted before any
 *     fragment timed out, the fragments stored as partial after
 *     partial_timeout and answered;
 *  d. send_mode = "direct" with the database write-locked for 25 s right
 *     after the modem took the reply: the worker gets it once;
 *  e. thread names: core, modem:modem1, modem:modem2.
 * Against the single-threaded gateway every one of them fails (modem 2 is
 * never driven; the SOS waits for fragments to time out; 4 copies; one
 * thread): see tests/e2e/README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"
#include "hverify.h"
#include "pdu.h"
#include "smstext.h"

#define REPLY_MS 60000
#define OFF1 "+60100000001"
#define OFF2 "+60100000002"
#define SUPV "+60100000009"
#define DESK "+60100000099"
/* PIN 482193 (officers' PINs are 6+ digits since issue 11) */
#define PIN_HASH                                                                                   \
	"$6$kawantest$iwi.1WUxmfeHHDyWtJVOpMB0oAcJwSe21LbZX.mE9frEfZHKQx."                         \
	"SkjltXhOnYvhtcXg/Yyfl4nxC32s5/Bblm/"
#define SOS_MY "ကယ်ပါ" /* a Burmese help keyword (menus/keywords.cfg): nationality MM */

static char repo[HARNESS_PATH_MAX];

static int
setup(void **state)
{
	return e2e_setup(state, "channels");
}

/* The repo's content and, with roster, the Myanmar roster of test_reports
 * (PIN 482193) and an NGO desk, appended to *b. */
static void
extra_config(struct harness *h, struct hbuf *b, bool roster)
{
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];

	snprintf(menus, sizeof(menus), "%s/menus", repo);
	snprintf(trans, sizeof(trans), "%s/translations", repo);
	if (hgw_cfg_content(b, menus, trans, NULL) < 0)
		fail_msg("out of memory");
	if (roster &&
	    hbuf_printf(b,
		"reports = { ack_timeout = 600.0; reminder_interval = 600.0; max_reminders = 1;\n"
		"  notify_worker_on_ack = true; pin_max_failures = 3; sos_default = \"both\"; };\n"
		"officers = ( { nationality = \"MM\"; officers = (\n"
		"  { name = \"Duty officer 1\"; number = \"" OFF1 "\"; pin_hash = \"%s\"; },\n"
		"  { name = \"Duty officer 2\"; number = \"" OFF2 "\"; pin_hash = \"%s\"; } );\n"
		"  supervisor = { name = \"Consular supervisor\"; number = \"" SUPV "\";"
		" pin_hash = \"%s\"; }; } );\n"
		"ngo_desk = { name = \"NGO duty desk\"; number = \"" DESK
		"\"; pin_hash = \"%s\"; };\n",
		PIN_HASH, PIN_HASH, PIN_HASH, PIN_HASH) < 0)
		fail_msg("out of memory");
	(void)h;
}

/* Starts the sims and the gateway with extra configuration (may be NULL). */
static void
start(struct harness *h, const char *extra)
{
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, hgw_start(h, extra));
	E2E_OK(h, harness_gw_wait_ready(h, 60000));
}

/* Every modem quiet: inbound routed, nothing queued, SIMs and networks empty. */
static void
wait_drained_all(struct harness *h, int timeout_ms)
{
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM inbound WHERE state <> 'done'", 0,
		      timeout_ms));
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM outbound WHERE state = 'queued'", 0,
		      timeout_ms));
	for (int k = 1; k <= h->opts.nmodems; k++) {
		E2E_OK(h, harness_wait_stat_on(h, k, "stored", 0, 0, timeout_ms));
		E2E_OK(h, harness_wait_stat_on(h, k, "waiting", 0, 0, timeout_ms));
	}
}

/* The SENT time (last part, wall ms) of the first message to dest in m; 0: none. */
static int64_t
sent_ms_to(const struct hctl_sent *m, size_t n, const char *dest)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(m[i].dest, dest) == 0)
			return m[i].t_last_ms;
	}
	return 0;
}

/* ---- a: one stuck modem does not hold up the other ---- */

#define ISO_N 10
#define ISO_GAP_MS 1000
/* Structural bound on modem 2's median inject -> SENT latency. A reply
 * costs ~0.7 s of libgammu sleeps plus ~0.1 s of the gateway's own work;
 * one libgammu call on a muted modem does not return before its AT timeout
 * (an AT+CMGS waits the gateway's 30 s; an AT+CPMS of the inbox sweep
 * caught by the mute was seen blocked for over two minutes), and modem 1
 * is swept every 5 s here. So a gateway that drove both modems from one
 * thread would have the whole series waiting behind modem 1 and a median
 * far over 5 s, while one thread per modem stays near 0.8 s. The bound is
 * about structure, not speed: a loaded 2-core CI machine or a sanitizer
 * build stays far below it. */
#define ISO_MEDIAN_MAX_MS 5000

static void
isolation(struct harness *h, bool unplug)
{
	static const struct hverify_msg m1[] = {
		{ "+60115100001", "modem 1 before the fault" },
		{ "+60115100002", "modem 1 during the fault" },
	};
	static char from[ISO_N][24], text[ISO_N][64];
	static struct hverify_msg m2[ISO_N];
	int64_t injected_ms[ISO_N], lat[ISO_N];
	struct hctl_sent *sent = NULL;
	struct hctl_event *ev = NULL;
	struct hctl_sent r;
	size_t nsent = 0, nev = 0;
	uint64_t fault_seq = 0;
	int64_t t0, n2 = -1;
	int plugs = 0;

	for (int i = 0; i < ISO_N; i++) {
		snprintf(from[i], sizeof(from[i]), "+6011520%05d", i + (unplug ? 100 : 0));
		snprintf(text[i], sizeof(text[i]), "modem 2 message %d", i);
		m2[i].from = from[i];
		m2[i].text = text[i];
	}
	h->opts.nmodems = 2;
	h->opts.poll_interval = 5.0; /* the stuck modem is polled during the series */
	start(h, NULL);
	/* both paths work before the fault */
	E2E_OK(h, harness_inject_on(h, 1, m1[0].from, m1[0].text));
	E2E_OK(h, hgw_wait_nth_on(h, 1, m1[0].from, 1, REPLY_MS, &r));
	hgw_msg_free(&r);
	E2E_OK(h, harness_events_on(h, 1, 0, &ev, &nev));
	fault_seq = nev > 0 ? ev[nev - 1].seq : 0;
	free(ev);
	ev = NULL;
	if (unplug)
		E2E_OK(h, harness_unplug_on(h, 1, 30000));
	else
		E2E_OK(h, harness_fault_on(h, 1, "MUTE on"));
	/* modem 1 now has a message the gateway cannot get to (muted: stored
	 * without +CMTI; unplugged: waiting on the network) */
	E2E_OK(h, harness_inject_on(h, 1, m1[1].from, m1[1].text));
	t0 = hproc_mono_ms();
	for (int i = 0; i < ISO_N; i++) {
		while (hproc_mono_ms() < t0 + (int64_t)i * ISO_GAP_MS)
			hproc_sleep_ms(5);
		injected_ms[i] = hproc_wall_ms();
		E2E_OK(h, harness_inject_on(h, 2, m2[i].from, m2[i].text));
	}
	E2E_OK(h, harness_wait_sent_on(h, 2, ISO_N, REPLY_MS));
	/* still stuck: muted until we say so; unplugged with no PLUG event yet */
	E2E_OK(h, harness_events_on(h, 1, fault_seq, &ev, &nev));
	for (size_t i = 0; i < nev; i++)
		plugs += strcmp(ev[i].kind, "PLUG") == 0 || strcmp(ev[i].kind, "MUTE") == 0;
	free(ev);
	E2E_CHECK(h, plugs == (unplug ? 0 : 1)); /* the one MUTE event is "on" */
	E2E_OK(h, harness_sent_on(h, 2, &sent, &nsent));
	for (int i = 0; i < ISO_N; i++) {
		int64_t at = sent_ms_to(sent, nsent, m2[i].from);

		lat[i] = at > 0 ? at - injected_ms[i] : INT64_MAX;
	}
	hctl_sent_free(sent, nsent);
	qsort(lat, ISO_N, sizeof(lat[0]), harness_cmp_i64);
	printf("channels: modem 1 %s, %d SMS into modem 2 one per %d ms: inject -> SENT "
	       "median %lld ms, max %lld ms (bound on the median %d ms)\n",
	    unplug ? "unplugged" : "muted", ISO_N, ISO_GAP_MS, (long long)lat[ISO_N / 2],
	    (long long)lat[ISO_N - 1], ISO_MEDIAN_MAX_MS);
	E2E_CHECK(h, lat[ISO_N / 2] < ISO_MEDIAN_MAX_MS);
	/* every reply to modem 2's senders left through modem 2, and its row says so */
	E2E_CHECK(h, hverify_replies_on(h, 2, m2, ISO_N, h->opts.reply_text, NULL) == 0);
	E2E_OK(h, harness_db_int(h,
		      "SELECT COUNT(*) FROM outbound WHERE dest LIKE '+6011520%' "
		      "AND modem = 'modem2'",
		      &n2));
	E2E_CHECK(h, n2 == ISO_N);
	if (!unplug) {
		/* A libgammu call caught by the mute waits minutes for the answer
		 * to a command the modem discarded, so modem 1's recovery is not
		 * waited for here. Nothing of modem 2's left through modem 1. */
		E2E_OK(h, harness_fault_on(h, 1, "MUTE off"));
		E2E_CHECK(h, hverify_replies_on(h, 1, m1, 1, h->opts.reply_text, NULL) == 0);
		E2E_CHECK(h, harness_gw_alive(h));
		return;
	}
	/* modem 1 comes back and its waiting message is answered through it */
	E2E_OK(h, hgw_wait_nth_on(h, 1, m1[1].from, 1, 120000, &r));
	hgw_msg_free(&r);
	wait_drained_all(h, 60000);
	E2E_CHECK(h, hverify_replies_on(h, 1, m1, 2, h->opts.reply_text, NULL) == 0);
	E2E_CHECK(h, hverify_replies_on(h, 2, m2, ISO_N, h->opts.reply_text, NULL) == 0);
	E2E_OK(h, harness_db_int(h,
		      "SELECT COUNT(*) FROM outbound WHERE dest LIKE '+6011510%' "
		      "AND modem = 'modem1'",
		      &n2));
	E2E_CHECK(h, n2 == 2);
	E2E_CHECK(h, harness_gw_alive(h));
}

static void
test_muted_modem_isolated(void **state)
{
	isolation(*state, false);
}

static void
test_unplugged_modem_isolated(void **state)
{
	isolation(*state, true);
}

/* ---- b: reloads while two modems send ---- */

#define HUP_PER_MODEM 20
#define HUP_COUNT 100
#define HUP_GAP_MS 5

static void
test_sighup_storm(void **state)
{
	struct harness *h = *state;
	static char from[2][HUP_PER_MODEM][24], text[2][HUP_PER_MODEM][64];
	static struct hverify_msg m[2][HUP_PER_MODEM], all[2 * HUP_PER_MODEM];
	static const char *const bad[] = {
		"ERROR",
		"[error]",
		"runtime error",
		"Sanitizer",
		"ThreadSanitizer",
		"double free",
		"heap-use-after-free",
	};
	struct hbuf extra;
	long reloaded;
	int sent_hups = 0;

	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < HUP_PER_MODEM; i++) {
			assert_true(snprintf(from[k][i], sizeof(from[k][i]), "+601153%d%05d", k + 1,
					i) < (int)sizeof(from[k][i]));
			snprintf(text[k][i], sizeof(text[k][i]), "reload storm, modem %d, SMS %d",
			    k + 1, i);
			m[k][i].from = from[k][i];
			m[k][i].text = text[k][i];
			all[k * HUP_PER_MODEM + i] = m[k][i];
		}
	}
	h->opts.nmodems = 2;
	hbuf_init(&extra);
	/* the content snapshot is what a reload swaps while modem threads use it */
	extra_config(h, &extra, false);
	start(h, extra.data);
	for (int i = 0; i < HUP_PER_MODEM; i++) {
		E2E_OK(h, harness_inject_on(h, 1, m[0][i].from, m[0][i].text));
		E2E_OK(h, harness_inject_on(h, 2, m[1][i].from, m[1][i].text));
	}
	/* replies are leaving through both modems before the storm starts */
	E2E_OK(h, harness_wait_sent_on(h, 1, 1, REPLY_MS));
	E2E_OK(h, harness_wait_sent_on(h, 2, 1, REPLY_MS));
	for (int i = 0; i < HUP_COUNT && harness_gw_alive(h); i++) {
		E2E_OK(h, harness_gw_signal(h, SIGHUP));
		sent_hups++;
		hproc_sleep_ms(HUP_GAP_MS);
	}
	printf("channels: %d SIGHUPs sent %d ms apart while replies left both modems\n", sent_hups,
	    HUP_GAP_MS);
	E2E_CHECK(h, sent_hups == HUP_COUNT);
	E2E_OK(h, harness_wait_log(h, "configuration reloaded", 1, 30000));
	E2E_OK(h, harness_wait_sent_on(h, 1, HUP_PER_MODEM, 180000));
	E2E_OK(h, harness_wait_sent_on(h, 2, HUP_PER_MODEM, 180000));
	wait_drained_all(h, 60000);
	reloaded = harness_log_count(h, "configuration reloaded");
	printf("channels: the gateway logged %ld reloads\n", reloaded);
	E2E_CHECK(h, hverify_inbound(h, all, 2 * HUP_PER_MODEM, 1) == 0);
	E2E_CHECK(h, hverify_replies_on(h, 1, m[0], HUP_PER_MODEM, NULL, NULL) == 0);
	E2E_CHECK(h, hverify_replies_on(h, 2, m[1], HUP_PER_MODEM, NULL, NULL) == 0);
	E2E_CHECK(h, harness_gw_alive(h));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long c = harness_log_count(h, bad[i]);

		if (c != 0)
			harness_fail(h, "the gateway log holds \"%s\" %ld time(s)", bad[i], c);
		E2E_CHECK(h, c == 0);
	}
	hbuf_free(&extra);
}

/* ---- c: a storage jam by incomplete concatenated SMS ---- */

#define JAM_CAPACITY 65
#define JAM_N 70
/* Long enough that a gateway which stores fragments in SQLite at once
 * answers the SOS well before any fragment times out (it needs ~65 reads
 * and deletes, ~15 s), while one that leaves them on the full SIM cannot
 * see the SOS before fragments time out and free slots. */
#define JAM_PARTIAL_S 60.0
#define JAM_WORKER "+60115400001"

/* INJECTPDU of "part 1 of 2" (8-bit concatenation IE, reference ref) from `from`. */
static void
inject_fragment(struct harness *h, const char *from, uint8_t ref, int i)
{
	char text[96], err[128];
	struct smstext t;
	struct pdu_deliver d;
	struct sbuf hex;

	snprintf(text, sizeof(text), "Fragment %d: saya perlu bantuan, ini bahagian pertama", i);
	if (smstext_split(text, strlen(text), PDU_GSM7, &t, err, sizeof(err)) < 0)
		fail_msg("smstext_split: %s", err);
	memset(&d, 0, sizeof(d));
	d.smsc = "+60120000015";
	d.from = from;
	d.coding = t.coding;
	d.msg_class = PDU_CLASS_NONE;
	d.ts = (struct pdu_time){ 26, 11, 28, 10, 0, 0, 32 };
	d.has_concat = 1;
	d.ref = ref;
	d.total = 2;
	d.seq = 1;
	d.ud = t.parts[0].ud;
	d.ud_len = t.parts[0].len;
	sbuf_init(&hex);
	if (pdu_encode_deliver(&d, &hex) < 0)
		fail_msg("pdu_encode_deliver failed");
	smstext_free(&t);
	E2E_OK(h, harness_ctl(h, NULL, "INJECTPDU %s", hex.data));
	sbuf_free(&hex);
}

struct jam_arg {
	char (*from)[24];
	int n;
};

/* Every fragment's sender got at least one message. */
static int
jam_all_answered(struct harness *h, void *arg)
{
	struct jam_arg *a = arg;
	struct hctl_sent *m = NULL;
	size_t n = 0;
	int answered = 0;

	if (harness_sent(h, &m, &n) < 0)
		return 0;
	for (int i = 0; i < a->n; i++)
		answered += sent_ms_to(m, n, a->from[i]) > 0;
	hctl_sent_free(m, n);
	return answered == a->n;
}

static void
test_storage_jam(void **state)
{
	struct harness *h = *state;
	static char from[JAM_N][24];
	struct jam_arg ja = { from, JAM_N };
	struct hctl_sent r;
	struct hbuf extra;
	int64_t t0, partial = -1, partial_at_sos = -1, partial_at_alert = -1;
	int once = 0;

	h->opts.modem[0].capacity = JAM_CAPACITY;
	h->opts.partial_timeout = JAM_PARTIAL_S;
	hbuf_init(&extra);
	extra_config(h, &extra, true);
	start(h, extra.data);
	t0 = hproc_mono_ms();
	for (int i = 0; i < JAM_N; i++) {
		snprintf(from[i], sizeof(from[i]), "+6011550%05d", i);
		inject_fragment(h, from[i], (uint8_t)(i + 1), i);
	}
	/* 65 on the SIM, 5 waiting on the network; the worker's SOS behind them */
	E2E_OK(h, harness_inject(h, JAM_WORKER, SOS_MY));
	E2E_OK(h, hgw_wait_nth(h, JAM_WORKER, 1, 180000, &r));
	E2E_OK(h,
	    harness_db_int(h, "SELECT COUNT(*) FROM inbound WHERE flags & 2", &partial_at_sos));
	printf("channels: the worker's SOS behind %d fragments answered after %lld ms, "
	       "%lld fragments timed out by then: %.60s\n",
	    JAM_N, (long long)(hproc_mono_ms() - t0), (long long)partial_at_sos, r.text);
	hgw_msg_free(&r);
	/* the report's alert reaches the roster's first officer */
	E2E_OK(h, hgw_wait_nth(h, OFF1, 1, 120000, &r));
	E2E_OK(h,
	    harness_db_int(h, "SELECT COUNT(*) FROM inbound WHERE flags & 2", &partial_at_alert));
	printf("channels: officer alert after %lld ms, %lld fragments timed out by then: %.60s\n",
	    (long long)(hproc_mono_ms() - t0), (long long)partial_at_alert, r.text);
	E2E_CHECK(h, strncmp(r.text, "KAWAN", 5) == 0);
	hgw_msg_free(&r);
	/* neither waited for the fragments to time out: the SIM was not jammed */
	E2E_CHECK(h, partial_at_sos == 0);
	E2E_CHECK(h, partial_at_alert == 0);
	/* after partial_timeout each fragment is an inbound row flagged partial */
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM inbound WHERE flags & 2", JAM_N,
		      (int)(JAM_PARTIAL_S * 1000) + 120000));
	printf("channels: %d partial rows after %lld ms (partial_timeout %.0f s)\n", JAM_N,
	    (long long)(hproc_mono_ms() - t0), JAM_PARTIAL_S);
	/* and each is answered like any message, once */
	E2E_OK(h,
	    harness_wait(h, 240000, "an answer to every fragment's sender", jam_all_answered, &ja));
	wait_drained_all(h, 60000);
	for (int i = 0; i < JAM_N; i++)
		once += hgw_count_to(h, from[i]) == 1;
	E2E_CHECK(h, once == JAM_N);
	E2E_OK(h, harness_db_int(h, "SELECT COUNT(*) FROM inbound WHERE flags & 2", &partial));
	E2E_CHECK(h, partial == JAM_N);
	E2E_CHECK(h, hgw_count_to(h, OFF1) == 1);
	E2E_CHECK(h, harness_gw_alive(h));
	hbuf_free(&extra);
}

/* ---- d: direct sending, the database locked after the modem took the reply ---- */

#define LOCK_MS 25000
#define AFTER_MS 15000
#define DIRECT_WORKER "+60115600001"

static void
test_direct_send_db_locked(void **state)
{
	struct harness *h = *state;
	struct hdb_lock *lock;
	uint64_t seq = 0;
	int64_t t_lock, sent_rows = -1, rows = -1;
	long during, after;

	h->opts.modem[0].send_mode = "direct";
	start(h, NULL);
	/* the modem takes the reply's PDU at once and answers +CMGS 3 s later:
	 * the window in which the test takes the database's write lock */
	E2E_OK(h, harness_fault_on(h, 1, "DELAY 3000"));
	E2E_OK(h, harness_inject(h, DIRECT_WORKER, "tolong, gaji saya belum dibayar"));
	E2E_OK(h, harness_wait_event_on(h, 1, "DELAY", 0, &seq, REPLY_MS));
	lock = harness_db_lock(h, 10000);
	E2E_CHECK(h, lock != NULL);
	t_lock = hproc_mono_ms();
	E2E_CHECK(h, hgw_count_to(h, DIRECT_WORKER) == 1);
	while (hproc_mono_ms() < t_lock + LOCK_MS && harness_gw_alive(h))
		hproc_sleep_ms(200);
	during = hgw_count_to(h, DIRECT_WORKER);
	hdb_lock_release(lock);
	printf("channels: database locked %lld ms after the modem took the reply; "
	       "%ld cop%s sent meanwhile\n",
	    (long long)(hproc_mono_ms() - t_lock), during, during == 1 ? "y" : "ies");
	E2E_CHECK(h, harness_gw_alive(h));
	hproc_sleep_ms(AFTER_MS); /* the window in which a second copy would show */
	after = hgw_count_to(h, DIRECT_WORKER);
	printf("channels: %ld cop%s to the worker %d ms after the lock was released\n", after,
	    after == 1 ? "y" : "ies", AFTER_MS);
	E2E_CHECK(h, during == 1);
	E2E_CHECK(h, after == 1);
	E2E_OK(h,
	    harness_wait_db(h,
		"SELECT COUNT(*) FROM outbound WHERE dest = '" DIRECT_WORKER "' AND state = 'sent'",
		1, 30000));
	E2E_OK(h, harness_db_int(h,
		      "SELECT COUNT(*) FROM outbound WHERE dest = '" DIRECT_WORKER "'", &rows));
	E2E_OK(h,
	    harness_db_int(h, "SELECT COUNT(*) FROM outbound WHERE state = 'sent'", &sent_rows));
	E2E_CHECK(h, rows == 1 && sent_rows == 1);
	E2E_CHECK(h, hgw_count_to(h, DIRECT_WORKER) == 1);
}

/* ---- e: thread names ---- */

static void
test_thread_names(void **state)
{
	struct harness *h = *state;
	static const char *const want[] = { "core", "modem:modem1", "modem:modem2" };
	char dir[64], names[1024] = "";
	size_t used = 0;
	bool found[3] = { false, false, false };
	struct dirent *e;
	DIR *d;

	h->opts.nmodems = 2;
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, harness_gw_start(h));
	/* each modem's thread exists from the start; once one modem is
	 * connected the gateway is past its setup */
	E2E_OK(h, harness_wait_log(h, "connected on", 1, 60000));
	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)h->gw_pid);
	d = opendir(dir);
	E2E_CHECK(h, d != NULL);
	while ((e = readdir(d)) != NULL) {
		char path[400], comm[32] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/comm", dir, e->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue; /* the thread ended meanwhile */
		if (fgets(comm, sizeof(comm), f) != NULL)
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
		for (size_t i = 0; i < 3; i++)
			found[i] = found[i] || strcmp(comm, want[i]) == 0;
		if (used < sizeof(names)) {
			int n = snprintf(names + used, sizeof(names) - used, "%s'%s'",
			    used > 0 ? " " : "", comm);
			used += n > 0 ? (size_t)n : 0;
		}
	}
	closedir(d);
	printf("channels: gateway threads: %s\n", names);
	for (size_t i = 0; i < 3; i++) {
		if (!found[i])
			harness_fail(h, "no thread named '%s' (have %s)", want[i], names);
		E2E_CHECK(h, found[i]);
	}
	E2E_OK(h, harness_gw_wait_ready(h, 60000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_thread_names, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_muted_modem_isolated, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_unplugged_modem_isolated, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_sighup_storm, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_direct_send_db_locked, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_storage_jam, setup, e2e_teardown),
	};

	e2e_main_init();
	if (getcwd(repo, sizeof(repo)) == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
