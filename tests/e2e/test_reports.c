/* test_reports.c - distress reports end to end (issue 4), through the real
 * gateway, libgammu's AT driver and the simulated modem, with the repo's
 * content and a Myanmar roster (officers +60100000001, +60100000002,
 * supervisor +60100000009, NGO desk +60100000099; PIN 482193):
 *  1. a Burmese SOS -> report (MM) -> alert to the first officer -> the
 *     worker's answers -> reference -> ACK by SMS -> state, audit, the
 *     worker told -> CLOSE -> STATUS answers closed, naming no officer;
 *  2. no ACK: officer 2, supervisor, NGO desk, one reminder round, in
 *     order and not before ack_timeout;
 *  3. wrong PIN, lockout, unknown number, unknown reference, malformed
 *     commands, lower case and extra spaces;
 *  4. repeated SOS within the dedupe window: one report;
 *  5. SIGKILL right after an SOS and while alerts are queued: one report
 *     each, every alert sent once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"
#include "content/content.h"
#include "store/store.h"

#define REPLY_MS 60000
#define OFF1 "+60100000001"
#define OFF2 "+60100000002"
#define SUPV "+60100000009"
#define DESK "+60100000099"
/* PIN 482193 (officers' PINs are 6+ digits since issue 11) */
#define PIN_HASH                                                                                   \
	"$6$kawantest$iwi.1WUxmfeHHDyWtJVOpMB0oAcJwSe21LbZX.mE9frEfZHKQx."                         \
	"SkjltXhOnYvhtcXg/Yyfl4nxC32s5/Bblm/"
#define SOS_MY "ကယ်ပါ" /* a Burmese help keyword (menus/keywords.cfg) */
#define ACK_TIMEOUT_MS 8000

static char repo[HARNESS_PATH_MAX];
static struct content *ct;
static struct hbuf extra_cfg; /* the running scenario's configuration beyond the harness's */

static bool
has(const char *hay, const char *needle)
{
	return hay != NULL && needle != NULL && strstr(hay, needle) != NULL;
}

static bool
is_alert(const char *text)
{
	return strncmp(text, "KAWAN SOS", 9) == 0 || strncmp(text, "KAWAN REMINDER", 14) == 0;
}

/* The configuration: content, reports, the roster, the NGO desk. */
static void
start(struct harness *h, double ack_timeout)
{
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];
	struct hbuf *b = &extra_cfg;

	snprintf(menus, sizeof(menus), "%s/menus", repo);
	snprintf(trans, sizeof(trans), "%s/translations", repo);
	hbuf_reset(b);
	if (hgw_cfg_content(b, menus, trans, NULL) < 0 ||
	    hbuf_printf(b,
		"reports = { ack_timeout = %.1f; reminder_interval = %.1f; max_reminders = 1;\n"
		"  notify_worker_on_ack = true; pin_max_failures = 3; sos_default = \"both\"; };\n"
		"officers = ( { nationality = \"MM\"; officers = (\n"
		"  { name = \"Duty officer 1\"; number = \"" OFF1 "\"; pin_hash = \"%s\"; },\n"
		"  { name = \"Duty officer 2\"; number = \"" OFF2 "\"; pin_hash = \"%s\"; } );\n"
		"  supervisor = { name = \"Consular supervisor\"; number = \"" SUPV "\";"
		" pin_hash = \"%s\"; }; } );\n"
		"ngo_desk = { name = \"NGO duty desk\"; number = \"" DESK
		"\"; pin_hash = \"%s\"; };\n",
		ack_timeout, ack_timeout, PIN_HASH, PIN_HASH, PIN_HASH, PIN_HASH) < 0)
		fail_msg("out of memory");
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, hgw_start(h, b->data));
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
}

/* Starts the gateway again on the same configuration. */
static void
restart(struct harness *h)
{
	E2E_OK(h, hgw_start(h, extra_cfg.data));
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
}

static void
show(const char *who, const char *what, const struct hctl_sent *m)
{
	printf("reports: %s '%s' -> %s %d part(s): %.160s%s\n", who, what, m->coding, m->nparts,
	    m->text, strlen(m->text) > 160 ? "..." : "");
}

static void
say(struct harness *h, const char *from, const char *text, struct hctl_sent *m)
{
	E2E_OK(h, hgw_converse(h, from, text, REPLY_MS, m));
	show(from, text, m);
}

/* The first message to dest after the first `after` ones that is not an
 * alert (officers get alerts at any time). */
struct reply_arg {
	const char *dest;
	long after;
	struct hctl_sent *out;
};

static int
reply_pred(struct harness *h, void *arg)
{
	struct reply_arg *a = arg;
	struct hctl_sent *m = NULL;
	size_t n = 0;
	long k = 0;
	int found = 0;

	if (harness_sent(h, &m, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && !found; i++) {
		if (strcmp(m[i].dest, a->dest) != 0 || ++k <= a->after || is_alert(m[i].text))
			continue;
		*a->out = m[i];
		a->out->text = strdup(m[i].text);
		found = a->out->text != NULL;
	}
	hctl_sent_free(m, n);
	return found;
}

/* An officer (or anyone getting alerts) sends text; their answer. */
static void
officer_say(struct harness *h, const char *from, const char *text, struct hctl_sent *out)
{
	struct reply_arg a = { from, 0, out };
	struct hctl_sent *m = NULL;
	size_t n = 0;

	E2E_OK(h, harness_sent(h, &m, &n));
	for (size_t i = 0; i < n; i++)
		a.after += strcmp(m[i].dest, from) == 0;
	hctl_sent_free(m, n);
	memset(out, 0, sizeof(*out));
	E2E_OK(h, harness_inject(h, from, text));
	E2E_OK(h, harness_wait(h, REPLY_MS, "an officer's answer", reply_pred, &a));
	show(from, text, out);
}

/* msisdn's report reference (ref: 64 bytes), once the report is stored. */
static void
ref_of(struct harness *h, const char *msisdn, char *ref)
{
	E2E_OK(h, harness_report_ref(h, msisdn, ref, 64, 20000));
}

static int64_t
db_sql(struct harness *h, const char *sql)
{
	int64_t v = -1;

	if (harness_db_int(h, sql, &v) < 0)
		return -1;
	return v;
}

static void
wait_state(struct harness *h, const char *ref, int state)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT state FROM report WHERE ref = '%s'", ref);
	E2E_OK(h, harness_wait_db(h, sql, state, 20000));
}

/* The part of a ui string before its "%s". */
static void
ui_head(const char *lang, const char *key, char *out, size_t outsz)
{
	const char *s = content_ui(ct, lang, key, true);
	size_t n = strcspn(s, "%");

	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static int
setup(void **state)
{
	return e2e_setup(state, "reports");
}

/* ---- 1: the lifecycle ---- */

static void
test_sos_ack_close(void **state)
{
	struct harness *h = *state;
	static const char w[] = "+60112400001";
	char ref[64], cmd[128], head[256];
	struct hctl_sent m, alert;
	long before;

	start(h, ACK_TIMEOUT_MS / 1000.0);
	say(h, w, SOS_MY, &m);
	E2E_CHECK(h, strcmp(m.coding, "ucs2") == 0);
	hgw_msg_free(&m);
	ref_of(h, w, ref);
	printf("reports: reference %s\n", ref);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM report WHERE ref = '%s' AND nationality = 'MM' "
			 "AND lang = 'my'",
			 ref) == 1);

	/* the Myanmar duty officer's alert at the modem */
	E2E_OK(h, hgw_wait_nth(h, OFF1, 1, 60000, &alert));
	show(OFF1, "(alert)", &alert);
	E2E_CHECK(h, has(alert.text, "SOS") && has(alert.text, ref) && has(alert.text, "Myanmar"));
	E2E_CHECK(h, has(alert.text, w) || has(alert.text, w + 1));
	hgw_msg_free(&alert);
	wait_state(h, ref, 1);

	/* the worker answers: whom to tell (3 both: the chain SOS alerted),
	 * category, place, callback, message */
	say(h, w, "3", &m);
	hgw_msg_free(&m);
	say(h, w, "2", &m);
	hgw_msg_free(&m);
	say(h, w, "Jalan Ipoh, Taman Sri, blok C", &m);
	hgw_msg_free(&m);
	say(h, w, "2", &m);
	hgw_msg_free(&m);
	say(h, w, "Majikan ambil pasport saya", &m);
	E2E_CHECK(h, has(m.text, ref));
	hgw_msg_free(&m);
	E2E_CHECK(h,
	    harness_db_value(h,
		"SELECT COUNT(*) FROM report WHERE ref = '%s' AND category = "
		"'documents' AND place LIKE 'Jalan Ipoh%%' AND callback = 'sms_only' AND message "
		"LIKE 'Majikan%%'",
		ref) == 1);

	/* ACK by SMS from the first officer */
	before = hgw_count_to(h, w);
	snprintf(cmd, sizeof(cmd), "ACK %s 482193", ref);
	officer_say(h, OFF1, cmd, &m);
	E2E_CHECK(h, has(m.text, ref) && has(m.text, "acknowledged"));
	hgw_msg_free(&m);
	/* issue 11: the stored command holds no PIN ("ACK <ref> ****") */
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM inbound WHERE text LIKE '%%482193%%'"
					 " OR dedupe_key LIKE '%%482193%%'") == 0);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM inbound WHERE text = 'ACK %s ****' AND flags = %d",
			 ref, STORE_IN_REDACTED | STORE_IN_PIN_OK) == 1);
	wait_state(h, ref, 2);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM report WHERE ref = '%s' AND acked_ms > 0 AND "
			 "acked_by <> ''",
			 ref) == 1);
	/* the worker is told, in Burmese */
	E2E_OK(h, hgw_wait_nth(h, w, before + 1, 60000, &m));
	show(w, "(notice)", &m);
	ui_head("my", "status_acked", head, sizeof(head));
	E2E_CHECK(h, has(m.text, ref) && has(m.text, head));
	E2E_CHECK(h, !has(m.text, "officer 1") && !has(m.text, OFF1));
	hgw_msg_free(&m);
	static const char *const acts[] = { "created", "alerted", "acked", "notified" };
	for (size_t i = 0; i < 4; i++) {
		char sql[256];

		snprintf(sql, sizeof(sql),
		    "SELECT COUNT(*) FROM audit JOIN report ON report.id = "
		    "audit.report_id WHERE ref = '%s' AND action = '%s'",
		    ref, acts[i]);
		printf("reports: audit %s: %lld\n", acts[i], (long long)db_sql(h, sql));
		E2E_CHECK(h, db_sql(h, sql) >= 1);
	}

	/* CLOSE */
	snprintf(cmd, sizeof(cmd), "CLOSE %s 482193 helped by embassy", ref);
	officer_say(h, OFF1, cmd, &m);
	E2E_CHECK(h, has(m.text, ref) && has(m.text, "closed"));
	hgw_msg_free(&m);
	wait_state(h, ref, 3);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM report WHERE ref = '%s' AND outcome = "
			 "'helped by embassy'",
			 ref) == 1);

	/* STATUS from the worker: closed, in Burmese, no officer named */
	snprintf(cmd, sizeof(cmd), "STATUS %s", ref);
	say(h, w, cmd, &m);
	ui_head("my", "status_closed", head, sizeof(head));
	E2E_CHECK(h, has(m.text, ref) && has(m.text, head));
	E2E_CHECK(h, strcmp(m.coding, "ucs2") == 0);
	E2E_CHECK(h,
	    !has(m.text, "officer") && !has(m.text, "+6010000") && !has(m.text, "embassy"));
	hgw_msg_free(&m);
}

/* ---- 2: escalation ---- */

struct alert_seen {
	char dest[48];
	int64_t t_ms; /* SENT, first part */
	bool reminder;
};

static void
test_escalation(void **state)
{
	struct harness *h = *state;
	static const char w[] = "+60112400002";
	static const char *const chain[] = { OFF1, OFF2, SUPV, DESK };
	struct alert_seen seen[16];
	struct hctl_sent *m = NULL, r;
	size_t n = 0, k = 0;
	char ref[64], sql[256];
	int64_t gap, queued[4];
	int short_gaps = 0;

	start(h, ACK_TIMEOUT_MS / 1000.0);
	say(h, w, SOS_MY, &r);
	hgw_msg_free(&r);
	ref_of(h, w, ref);
	/* 4 alerts, then one reminder to each of the 4: ~32 s */
	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM outbound WHERE state = 'sent' AND dest IN "
	    "('" OFF1 "', '" OFF2 "', '" SUPV "', '" DESK "') AND text LIKE '%%%s%%'",
	    ref);
	E2E_OK(h, harness_wait_db(h, sql, 8, 120000));
	/* no second reminder round (max_reminders 1) */
	hproc_sleep_ms(ACK_TIMEOUT_MS + 4000); /* a reminder interval: the absence of a send */
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE text LIKE '%%%s%%'",
			 ref) == 8);

	E2E_OK(h, harness_sent(h, &m, &n));
	for (size_t i = 0; i < n && k < 16; i++) {
		if (!has(m[i].text, ref) || !is_alert(m[i].text))
			continue;
		snprintf(seen[k].dest, sizeof(seen[k].dest), "%s", m[i].dest);
		seen[k].t_ms = m[i].t_first_ms;
		seen[k].reminder = strncmp(m[i].text, "KAWAN REMINDER", 14) == 0;
		printf("reports: alert %zu to %s at +%lld ms%s\n", k, seen[k].dest,
		    (long long)(seen[k].t_ms - seen[0].t_ms),
		    seen[k].reminder ? " (reminder)" : "");
		k++;
	}
	hctl_sent_free(m, n);
	E2E_CHECK(h, k == 8);
	/* the chain in order, each no sooner than ack_timeout after the last */
	for (size_t i = 0; i < 4; i++) {
		char q[256];

		E2E_CHECK(h, strcmp(seen[i].dest, chain[i]) == 0 && !seen[i].reminder);
		snprintf(q, sizeof(q),
		    "SELECT created_ms FROM outbound WHERE dest = '%s' AND "
		    "text LIKE 'KAWAN SOS%%%s%%' ORDER BY id LIMIT 1",
		    chain[i], ref);
		queued[i] = db_sql(h, q);
		if (i == 0)
			continue;
		gap = seen[i].t_ms - seen[i - 1].t_ms;
		printf("reports: gap %s -> %s: %lld ms at the modem, %lld ms queued\n",
		    chain[i - 1], chain[i], (long long)gap, (long long)(queued[i] - queued[i - 1]));
		E2E_CHECK(h, queued[i] - queued[i - 1] >= ACK_TIMEOUT_MS);
		/* the officer had ack_timeout from the moment the alert reached
		 * the modem, not from when it was queued (checked after the rest) */
		if (gap < ACK_TIMEOUT_MS) {
			printf("reports: BUG: %s alerted %lld ms after %s's alert left the modem "
			       "(ack_timeout %d ms): the timer starts when the alert is queued\n",
			    chain[i], (long long)gap, chain[i - 1], ACK_TIMEOUT_MS);
			short_gaps++;
		}
		E2E_CHECK(h, gap <= ACK_TIMEOUT_MS + 15000);
	}
	/* then one reminder round to all four */
	for (size_t i = 4; i < 8; i++) {
		bool known = false;

		E2E_CHECK(h, seen[i].reminder);
		for (size_t j = 0; j < 4; j++)
			known |= strcmp(seen[i].dest, chain[j]) == 0;
		E2E_CHECK(h, known);
		for (size_t j = 4; j < i; j++)
			E2E_CHECK(h, strcmp(seen[i].dest, seen[j].dest) != 0);
	}
	gap = seen[4].t_ms - seen[3].t_ms;
	printf("reports: gap NGO desk -> reminders: %lld ms\n", (long long)gap);
	E2E_CHECK(h, gap >= ACK_TIMEOUT_MS && gap <= ACK_TIMEOUT_MS + 15000);
	E2E_CHECK(h, harness_db_value(h, "SELECT state FROM report WHERE ref = '%s'", ref) == 1);
	E2E_CHECK(h, short_gaps == 0);
}

/* ---- 3: bad input ---- */

static void
test_bad_input(void **state)
{
	struct harness *h = *state;
	static const char w[] = "+60112400003";
	char ref[64], lower[64], cmd[160];
	struct hctl_sent m, a;

	start(h, 60.0); /* no escalation during this case */
	say(h, w, SOS_MY, &m);
	hgw_msg_free(&m);
	ref_of(h, w, ref);
	E2E_OK(h, hgw_wait_nth(h, OFF1, 1, 60000, &a));
	hgw_msg_free(&a);
	wait_state(h, ref, 1);

	/* wrong PIN: refused, nothing changes */
	snprintf(cmd, sizeof(cmd), "ACK %s 9999", ref);
	officer_say(h, OFF1, cmd, &m);
	E2E_CHECK(h, has(m.text, "Wrong PIN"));
	hgw_msg_free(&m);
	E2E_CHECK(h, harness_db_value(h, "SELECT state FROM report WHERE ref = '%s'", ref) == 1);

	/* three wrong PINs lock the number; then even the right one is refused */
	snprintf(cmd, sizeof(cmd), "ACK %s 0000", ref);
	for (int i = 0; i < 3; i++) {
		officer_say(h, OFF2, cmd, &m);
		E2E_CHECK(h, has(m.text, "Wrong PIN"));
		if (i == 2)
			E2E_CHECK(h, has(m.text, "locked"));
		hgw_msg_free(&m);
	}
	snprintf(cmd, sizeof(cmd), "ACK %s 482193", ref);
	officer_say(h, OFF2, cmd, &m);
	E2E_CHECK(h, has(m.text, "Locked") || has(m.text, "locked"));
	hgw_msg_free(&m);
	/* issue 11: the supervisor is told of the lock, once */
	E2E_OK(h, hgw_wait_nth(h, SUPV, 1, 60000, &a));
	E2E_CHECK(h,
	    has(a.text, "Duty officer 2") && has(a.text, "locked out") && has(a.text, "15 min"));
	hgw_msg_free(&a);
	E2E_CHECK(h, harness_db_value(h, "SELECT state FROM report WHERE ref = '%s'", ref) == 1);

	/* an unknown number with an officer's command: the worker menu */
	say(h, "+60112400999", cmd, &m);
	E2E_CHECK(h, has(m.text, content_ui(ct, "en", "choose_language", true)));
	hgw_msg_free(&m);
	E2E_CHECK(h, harness_db_value(h, "SELECT state FROM report WHERE ref = '%s'", ref) == 1);

	/* unknown reference, malformed commands */
	officer_say(h, OFF1, "ACK ZZZZ9 482193", &m);
	E2E_CHECK(h, has(m.text, "Unknown reference"));
	hgw_msg_free(&m);
	officer_say(h, OFF1, "ACK", &m);
	E2E_CHECK(h, has(m.text, "Usage") && has(m.text, "ACK"));
	hgw_msg_free(&m);
	officer_say(h, OFF1, "CLOSE X", &m);
	E2E_CHECK(h, has(m.text, "Usage") && has(m.text, "CLOSE"));
	hgw_msg_free(&m);
	officer_say(h, OFF1, "hello there", &m);
	E2E_CHECK(h, has(m.text, "ACK"));
	hgw_msg_free(&m);
	E2E_CHECK(h, harness_db_value(h, "SELECT state FROM report WHERE ref = '%s'", ref) == 1);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM audit JOIN report ON report.id = "
			 "audit.report_id WHERE ref = '%s' AND action IN ('acked', 'closed')",
			 ref) == 0);

	/* lower case and extra spaces, from a roster number: accepted */
	for (size_t i = 0; i <= strlen(ref) && i < sizeof(lower); i++)
		lower[i] = (char)(ref[i] >= 'A' && ref[i] <= 'Z' ? ref[i] - 'A' + 'a' : ref[i]);
	snprintf(cmd, sizeof(cmd), "  ack   %s   482193 ", lower);
	officer_say(h, OFF1, cmd, &m);
	E2E_CHECK(h, has(m.text, "acknowledged"));
	hgw_msg_free(&m);
	wait_state(h, ref, 2);
	/* a second ACK is refused and changes nothing */
	snprintf(cmd, sizeof(cmd), "ACK %s 482193", ref);
	officer_say(h, OFF1, cmd, &m);
	E2E_CHECK(h, has(m.text, "already"));
	hgw_msg_free(&m);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM audit JOIN report ON report.id = "
			 "audit.report_id WHERE ref = '%s' AND action = 'acked'",
			 ref) == 1);
	E2E_CHECK(h, harness_gw_alive(h));
}

/* ---- 4: dedupe ---- */

static void
test_repeated_sos(void **state)
{
	struct harness *h = *state;
	static const char w[] = "+60112400004";
	struct hctl_sent m;
	char ref[64];

	start(h, 60.0);
	say(h, w, SOS_MY, &m);
	hgw_msg_free(&m);
	say(h, w, "SOS", &m);
	hgw_msg_free(&m);
	say(h, w, "HELP", &m);
	hgw_msg_free(&m);
	say(h, w, SOS_MY, &m);
	hgw_msg_free(&m);
	e2e_wait_drained(h, 60000);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM report WHERE msisdn = '%s'", w) == 1);
	ref_of(h, w, ref);
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT COUNT(*) FROM audit JOIN report ON report.id = "
			 "audit.report_id WHERE ref = '%s' AND action = 'updated'",
			 ref) >= 3);
	/* one alert for the one report */
	E2E_CHECK(h, hgw_count_to(h, OFF1) == 1);
}

/* ---- 5: crash ---- */

static int
queued_alert(struct harness *h, void *arg)
{
	int64_t n = 0;

	(void)arg;
	return harness_db_int(h,
		   "SELECT COUNT(*) FROM outbound WHERE dest = '" OFF1 "' AND "
		   "state = 'queued'",
		   &n) == 0 &&
	       n > 0;
}

/* Every alert row to an officer was SENT exactly once, and nothing else went to them. */
static int
alerts_once(struct harness *h, const char *const *refs, size_t nrefs)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;
	int bad = 0;

	if (harness_sent(h, &m, &n) < 0)
		return 1;
	for (size_t r = 0; r < nrefs; r++) {
		int c = 0;

		for (size_t i = 0; i < n; i++)
			c += strcmp(m[i].dest, OFF1) == 0 && has(m[i].text, refs[r]) &&
			     strncmp(m[i].text, "KAWAN SOS", 9) == 0;
		printf("reports: %s alerted %d time(s) at %s\n", refs[r], c, OFF1);
		bad += c != 1;
	}
	for (size_t i = 0; i < n; i++) {
		bool known = false;

		for (size_t r = 0; r < nrefs; r++)
			known |= has(m[i].text, refs[r]);
		if (strcmp(m[i].dest, OFF1) == 0 && !known) {
			printf("reports: unexpected message to %s: %s\n", OFF1, m[i].text);
			bad++;
		}
	}
	hctl_sent_free(m, n);
	return bad;
}

static void
test_crash(void **state)
{
	struct harness *h = *state;
	static const char *const ws[] = { "+60112400051", "+60112400052", "+60112400053",
		"+60112400054" };
	char refs[4][64];
	const char *rp[4];
	char sql[160];

	start(h, 300.0); /* alerts stay at the first officer */
	/* A: killed right after the SOS arrives */
	E2E_OK(h, harness_inject(h, ws[0], SOS_MY));
	harness_gw_kill9(h);
	restart(h);
	ref_of(h, ws[0], refs[0]);
	/* B: killed while alerts wait in the queue */
	for (size_t i = 1; i < 4; i++)
		E2E_OK(h, harness_inject(h, ws[i], SOS_MY));
	E2E_OK(h, harness_wait(h, 60000, "an alert queued", queued_alert, NULL));
	harness_gw_kill9(h);
	restart(h);
	for (size_t i = 1; i < 4; i++)
		ref_of(h, ws[i], refs[i]);
	for (size_t i = 0; i < 4; i++)
		rp[i] = refs[i];
	/* every report alerted, every worker answered once */
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM outbound WHERE dest = '" OFF1 "' AND "
		      "state = 'sent'",
		      4, 120000));
	e2e_wait_drained(h, 60000);
	E2E_CHECK(h, db_sql(h, "SELECT COUNT(*) FROM report") == 4);
	for (size_t i = 0; i < 4; i++) {
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM inbound WHERE sender = '%s'",
		    ws[i]);
		E2E_OK(h, harness_wait_db(h, sql, 1, 1000));
		E2E_CHECK(h, hgw_count_to(h, ws[i]) == 1);
	}
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE dest = '%s'", OFF1) == 4);
	E2E_CHECK(h, alerts_once(h, rp, 4) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sos_ack_close, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_escalation, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_repeated_sos, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_crash, setup, e2e_teardown),
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
		fprintf(stderr, "test_reports: run from the repository root\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	content_free(ct);
	hbuf_free(&extra_cfg);
	return rc;
}
