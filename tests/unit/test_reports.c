/* test_reports.c - the reports module with an injectable clock: every
 * transition, escalation timing down the chain and reminders, the SOS
 * dedupe window, officer SMS commands (PINs, lockout, bad input, LIST),
 * worker notices (language, discreet, opted out), STATUS, alert texts
 * within their segment budget, and retention. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "render/render.h"
#include "reports/reports.h"

#include "content_fixture.h"
#include "store_fixture.h"

#define T0 1700000000000LL
#define MIN 60000LL
#define DAY (24 * 60 * MIN)
#define PIN "482193" /* 6+ digits (issue 11) */

struct fixture {
	struct sfx_db db;
	struct cfx_dir tree;
	struct kawan_config cfg;
	struct content *content;
	struct reports_ctx x;
};

static char pin_hash[CONFIG_HASH_MAX];

static void
officer(struct config_officer *o, const char *name, const char *number)
{
	snprintf(o->name, sizeof(o->name), "%s", name);
	snprintf(o->number, sizeof(o->number), "%s", number);
	snprintf(o->pin_hash, sizeof(o->pin_hash), "%s", pin_hash);
}

/* MM: two officers and a supervisor; KH: one officer; an NGO desk. */
static void
make_config(struct kawan_config *cfg)
{
	config_default(cfg);
	cfg->reports.dedupe_window_ms = 30 * MIN;
	cfg->reports.ack_timeout_ms = 5 * MIN;
	cfg->reports.reminder_interval_ms = 15 * MIN;
	cfg->reports.max_reminders = 2;
	cfg->reports.notify_worker_on_ack = 1;
	cfg->reports.pin_max_failures = 3;
	cfg->reports.pin_lock_ms = 15 * MIN;
	cfg->reports.retention_days = 365;
	cfg->reports.alert_max_segments = 3;
	cfg->nrosters = 2;
	snprintf(cfg->rosters[0].nationality, 3, "MM");
	officer(&cfg->rosters[0].officers[0], "Ko Aung", "+60110000001");
	officer(&cfg->rosters[0].officers[1], "Ma Hla", "+60110000002");
	cfg->rosters[0].nofficers = 2;
	officer(&cfg->rosters[0].supervisor, "U Tin", "+60110000009");
	snprintf(cfg->rosters[1].nationality, 3, "KH");
	officer(&cfg->rosters[1].officers[0], "Sok", "+60120000001");
	cfg->rosters[1].nofficers = 1;
	officer(&cfg->ngo_desk, "NGO desk", "+60130000000");
	/* SOS tells everyone at once: the tests below predate consent (issue 9);
	 * test_consent_* set it as a deployment would. */
	cfg->reports.sos_default = CONFIG_TELL_BOTH;
}

/* Content with the STATUS strings in English and Malay, the languages that
 * imply a nationality and the countries (menus/). */
static struct content *
make_content(struct cfx_dir *d)
{
	const char *srcdir = getenv("KAWAN_SRCDIR");
	const char *m = d->menus, *t = d->trans;
	char from[512];
	static const char *const keep[] = { "home.cfg", "keywords.cfg", "zcontacts.cfg" };

	cfx_make(d, "kawan-reports");
	for (size_t i = 0; i < 3; i++) {
		snprintf(from, sizeof(from), "%s/tests/unit/data/content/good/menus/%s",
		    srcdir != NULL && srcdir[0] != '\0' ? srcdir : ".", keep[i]);
		cfx_copy(from, m, keep[i]);
	}
	cfx_write(m, "languages.cfg",
	    "languages = (\n"
	    "  { code = \"ms\"; name = \"Bahasa Melayu\"; english_name = \"Malay\"; },\n"
	    "  { code = \"en\"; name = \"English\"; english_name = \"English\"; },\n"
	    "  { code = \"th\"; name = \"Thai\"; english_name = \"Thai\"; },\n"
	    "  { code = \"my\"; name = \"Burmese\"; english_name = \"Burmese\"; nationality = \"MM\"; },\n"
	    "  { code = \"km\"; name = \"Khmer\"; english_name = \"Khmer\"; nationality = \"KH\"; },\n"
	    "  { code = \"fil\"; name = \"Filipino\"; english_name = \"Filipino\"; nationality = \"PH\"; },\n"
	    "  { code = \"id\"; name = \"Indonesia\"; english_name = \"Indonesian\"; nationality = \"ID\"; },\n"
	    "  { code = \"lo\"; name = \"Lao\"; english_name = \"Lao\"; nationality = \"LA\"; },\n"
	    "  { code = \"vi\"; name = \"Viet\"; english_name = \"Vietnamese\"; nationality = \"VN\"; },\n"
	    "  { code = \"tet\"; name = \"Tetun\"; english_name = \"Tetum\"; nationality = \"TL\"; }\n"
	    ");\n",
	    NULL, NULL);
	snprintf(from, sizeof(from), "%s/menus/countries.cfg",
	    srcdir != NULL && srcdir[0] != '\0' ? srcdir : ".");
	cfx_copy(from, m, "countries.cfg");
	cfx_write(m, "ui.cfg",
	    "ui = {\n"
	    "  back = \"0 Back\";\n  home = \"00 Home\";\n  more = \"98 More\";\n"
	    "  invalid = \"Reply with a number from the list.\";\n"
	    "  status_usage = \"Send STATUS and your reference.\";\n"
	    "  status_unknown = \"We cannot find that reference.\";\n"
	    "  status_open = \"Report %s is open.\";\n"
	    "  status_acked = \"Report %s: an officer is working on it.\";\n"
	    "  status_closed = \"Report %s is closed.\";\n"
	    "};\n",
	    NULL, NULL);
	cfx_write(t, "ms.po",
	    "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	    "\"Language: ms\\n\"\n\n"
	    "msgctxt \"ui.status_acked\"\nmsgid \"Report %s: an officer is working on it.\"\n"
	    "msgstr \"Laporan %s: seorang pegawai sedang menguruskannya.\"\n\n"
	    "msgctxt \"ui.status_open\"\nmsgid \"Report %s is open.\"\n"
	    "msgstr \"Laporan %s dibuka.\"\n",
	    NULL, NULL);
	return cfx_load(d);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	if (sfx_open(&f->db, "kawan-reports") != 0)
		return -1;
	make_config(&f->cfg);
	f->content = make_content(&f->tree);
	f->x.st = f->db.st;
	f->x.cfg = &f->cfg;
	f->x.content = f->content;
	f->x.serve_fuzzy = false;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	sfx_close(&f->db);
	content_free(f->content);
	cfx_remove(&f->tree);
	free(f);
	return 0;
}

/* The queued messages due at now, taken off the queue (marked sent). */
struct sent {
	char dest[16][STORE_ADDR_MAX];
	char text[16][1200];
	int cls[16];
	int n;
};

static int
drain(struct fixture *f, int64_t now, struct sent *s)
{
	struct store_outbound o;

	memset(s, 0, sizeof(*s));
	while (store_outbound_next_due(f->db.st, now, &o) == 0) {
		assert_true(s->n < 16);
		snprintf(s->dest[s->n], STORE_ADDR_MAX, "%s", o.dest);
		snprintf(s->text[s->n], sizeof(s->text[0]), "%s", o.text);
		s->cls[s->n] = o.msg_class;
		assert_int_equal(o.inbound_id, 0);
		s->n++;
		assert_int_equal(store_outbound_mark_sent(f->db.st, o.id, now, 1), 0);
		store_outbound_clear(&o);
	}
	return s->n;
}

/* Actions of r's audit trail joined by spaces. */
struct trail {
	char s[1024];
	char last_actor[STORE_ACTOR_MAX];
	char last_channel[STORE_CHANNEL_MAX];
	char last_detail[STORE_MESSAGE_MAX];
};

static int
trail_cb(const struct store_audit *a, void *arg)
{
	struct trail *t = arg;
	size_t len = strlen(t->s);

	snprintf(t->s + len, sizeof(t->s) - len, "%s%s", len > 0 ? " " : "", a->action);
	snprintf(t->last_actor, sizeof(t->last_actor), "%s", a->actor);
	snprintf(t->last_channel, sizeof(t->last_channel), "%s", a->channel);
	snprintf(t->last_detail, sizeof(t->last_detail), "%s", a->detail);
	return 0;
}

static void
trail(struct fixture *f, const struct store_report *r, struct trail *t)
{
	memset(t, 0, sizeof(*t));
	assert_int_equal(store_audit_each(f->db.st, r->id, trail_cb, t), 0);
}

/* A report opened by an SOS from a Burmese-speaking worker. */
static void
sos(struct fixture *f, const char *msisdn, const char *lang, int64_t now, struct store_report *r)
{
	bool created = false;

	assert_int_equal(reports_worker_sos(&f->x, msisdn, lang, now, r, &created), 0);
	assert_true(created);
}

static void
get(struct fixture *f, const char *ref, struct store_report *r)
{
	assert_int_equal(store_report_get(f->db.st, ref, r), 0);
}

static int
officer_says(struct fixture *f, const char *from, const char *fmt, const char *ref, int64_t now,
    char *reply, size_t replysz)
{
	char text[512];
	const char *mark = strstr(fmt, "%s");

	/* The test's own template; "%s" replaced as plain text. */
	if (mark == NULL)
		snprintf(text, sizeof(text), "%s", fmt);
	else
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(mark - fmt), fmt, ref, mark + 2);
	return reports_officer_sms(&f->x, from, text, now, reply, replysz);
}

static void
test_lifecycle(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	struct sent s;
	struct trail t;
	char err[128];

	sos(f, "+60123456789", "my", T0, &r);
	assert_int_equal(r.state, STORE_REPORT_NEW);
	assert_string_equal(r.nationality, "MM");
	assert_int_equal(reports_tick(&f->x, T0 + 1000), 1);
	assert_int_equal(drain(f, T0 + 1000, &s), 1);
	assert_string_equal(s.dest[0], "+60110000001");
	assert_non_null(strstr(s.text[0], r.ref));
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_ALERTED);
	assert_int_equal(r.alert_level, 1);
	assert_int_equal(r.alerted_ms, T0 + 1000);
	assert_int_equal(r.next_alert_ms, T0 + 1000 + 5 * MIN);

	assert_int_equal(
	    reports_cli_ack(&f->x, r.ref, "kawanctl:maya", T0 + 2 * MIN, err, sizeof(err)), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_ACKED);
	assert_string_equal(r.acked_by, "kawanctl:maya");
	assert_int_equal(r.acked_ms, T0 + 2 * MIN);
	assert_int_equal(r.next_alert_ms, 0);
	assert_int_equal(drain(f, T0 + 2 * MIN, &s), 1); /* the worker's notice */
	assert_string_equal(s.dest[0], "+60123456789");
	/* Acknowledged: no more escalation. */
	assert_int_equal(reports_tick(&f->x, T0 + 60 * MIN), 0);

	assert_int_equal(reports_cli_note(&f->x, r.ref, "kawanctl:maya", "called the shelter",
			     T0 + 3 * MIN, err, sizeof(err)),
	    0);
	assert_int_equal(reports_cli_close(&f->x, r.ref, "kawanctl:maya", "worker safe at shelter",
			     T0 + 4 * MIN, err, sizeof(err)),
	    0);
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_CLOSED);
	assert_string_equal(r.outcome, "worker safe at shelter");
	assert_string_equal(r.closed_by, "kawanctl:maya");
	trail(f, &r, &t);
	assert_string_equal(t.s, "created alerted acked notified note closed");
	assert_string_equal(t.last_channel, "cli");

	/* ACK after CLOSE and a second CLOSE are refused, clearly. */
	assert_int_equal(
	    reports_cli_ack(&f->x, r.ref, "kawanctl:maya", T0 + 5 * MIN, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "already closed"));
	assert_int_equal(
	    reports_cli_close(&f->x, r.ref, "kawanctl:maya", "x", T0 + 5 * MIN, err, sizeof(err)),
	    1);
	assert_non_null(strstr(err, "already closed"));
	assert_int_equal(reports_cli_ack(&f->x, "QQQQ", "kawanctl:maya", T0, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "unknown reference"));
	trail(f, &r, &t);
	assert_string_equal(t.s, "created alerted acked notified note closed");
	assert_false(store_in_transaction(f->db.st));
}

static void
test_close_from_alerted_and_double_ack(void **state)
{
	struct fixture *f = *state;
	struct store_report a, b;
	char err[128];

	sos(f, "+601", "km", T0, &a);
	sos(f, "+602", "km", T0, &b);
	assert_int_equal(reports_tick(&f->x, T0), 2);
	assert_int_equal(reports_cli_close(&f->x, a.ref, "kawanctl:x", "false alarm", T0 + MIN, err,
			     sizeof(err)),
	    0);
	get(f, a.ref, &a);
	assert_int_equal(a.state, STORE_REPORT_CLOSED);
	assert_int_equal(a.acked_ms, 0);
	assert_int_equal(a.next_alert_ms, 0);

	/* NEW can be closed too. */
	{
		struct store_report c;

		sos(f, "+603", "km", T0, &c);
		assert_int_equal(
		    reports_cli_close(&f->x, c.ref, "kawanctl:x", "dup", T0, err, sizeof(err)), 0);
	}
	assert_int_equal(reports_cli_ack(&f->x, b.ref, "kawanctl:x", T0 + MIN, err, sizeof(err)),
	    0);
	assert_int_equal(
	    reports_cli_ack(&f->x, b.ref, "kawanctl:y", T0 + 2 * MIN, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "already acknowledged by kawanctl:x"));
	get(f, b.ref, &b);
	assert_string_equal(b.acked_by, "kawanctl:x");
	assert_int_equal(b.acked_ms, T0 + MIN);
}

static void
test_escalation_timing(void **state)
{
	struct fixture *f = *state;
	const int64_t ack = 5 * MIN, rem = 15 * MIN;
	struct store_report r;
	struct sent s;
	struct trail t;

	sos(f, "+60123", "my", T0, &r);
	assert_int_equal(reports_tick(&f->x, T0), 1);
	assert_int_equal(drain(f, T0, &s), 1);
	assert_string_equal(s.dest[0], "+60110000001");
	assert_non_null(strstr(s.text[0], "KAWAN SOS"));

	assert_int_equal(reports_tick(&f->x, T0 + ack - 1), 0);
	assert_int_equal(reports_tick(&f->x, T0 + ack), 1);
	assert_int_equal(drain(f, T0 + ack, &s), 1);
	assert_string_equal(s.dest[0], "+60110000002");

	assert_int_equal(reports_tick(&f->x, T0 + 2 * ack), 1);
	assert_int_equal(drain(f, T0 + 2 * ack, &s), 1);
	assert_string_equal(s.dest[0], "+60110000009"); /* supervisor */

	assert_int_equal(reports_tick(&f->x, T0 + 3 * ack), 1);
	assert_int_equal(drain(f, T0 + 3 * ack, &s), 1);
	assert_string_equal(s.dest[0], "+60130000000"); /* NGO desk */

	/* Everyone alerted: reminders to all four, every interval, up to max (2). */
	assert_int_equal(reports_tick(&f->x, T0 + 4 * ack - 1), 0);
	assert_int_equal(reports_tick(&f->x, T0 + 4 * ack), 4);
	assert_int_equal(drain(f, T0 + 4 * ack, &s), 4);
	assert_non_null(strstr(s.text[0], "KAWAN REMINDER"));
	assert_int_equal(reports_tick(&f->x, T0 + 4 * ack + rem - 1), 0);
	assert_int_equal(reports_tick(&f->x, T0 + 4 * ack + rem), 4);
	assert_int_equal(drain(f, T0 + 4 * ack + rem, &s), 4);
	assert_int_equal(reports_tick(&f->x, T0 + 4 * ack + 10 * rem), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_ALERTED);
	assert_int_equal(r.alert_level, 4);
	assert_int_equal(r.reminders, 2);
	assert_int_equal(r.next_alert_ms, 0);
	assert_int_equal(r.alerted_ms, T0);
	trail(f, &r, &t);
	assert_string_equal(t.s, "created alerted escalated escalated escalated reminded reminded");
	assert_string_equal(t.last_actor, "system");

	/* An acknowledgement still works after the reminders stopped. */
	{
		char reply[256];

		assert_int_equal(officer_says(f, "+60110000002", "ACK %s " PIN, r.ref, T0 + DAY,
				     reply, sizeof(reply)),
		    0);
		get(f, r.ref, &r);
		assert_int_equal(r.state, STORE_REPORT_ACKED);
	}
}

/* Takes the next due message off the queue as the modem would at now:
 * marked sent (or failed). Returns its id; its destination into dest. */
static int64_t
modem_takes(struct fixture *f, int64_t now, bool fail, char dest[STORE_ADDR_MAX])
{
	struct store_outbound o;
	int64_t id;

	assert_int_equal(store_outbound_next_due(f->db.st, now, &o), 0);
	id = o.id;
	if (dest != NULL)
		snprintf(dest, STORE_ADDR_MAX, "%s", o.dest);
	store_outbound_clear(&o);
	if (fail)
		assert_int_equal(store_outbound_mark_failed(f->db.st, id, "refused"), 0);
	else
		assert_int_equal(store_outbound_mark_sent(f->db.st, id, now, 1), 0);
	return id;
}

/* Officer alerts and reminders jump the queue; worker notices do not. */
static void
test_alerts_go_first(void **state)
{
	struct fixture *f = *state;
	struct store_report a, b;
	char dest[STORE_ADDR_MAX], err[64];

	/* A burst of worker replies queued before the SOS. */
	for (int i = 0; i < 5; i++) {
		char num[32];

		snprintf(num, sizeof(num), "+6019000000%d", i);
		assert_int_equal(store_outbound_add(f->db.st, "sms", num, "menu reply", -1, 0,
				     T0 - 10 + i, NULL),
		    0);
	}
	sos(f, "+601", "my", T0, &a);
	sos(f, "+602", "km", T0, &b);
	assert_int_equal(reports_tick(&f->x, T0), 2);
	(void)modem_takes(f, T0 + 1, false, dest);
	assert_string_equal(dest, "+60110000001");
	(void)modem_takes(f, T0 + 2, false, dest);
	assert_string_equal(dest, "+60120000001");
	(void)modem_takes(f, T0 + 3, false, dest);
	assert_string_equal(dest, "+60190000000");
	/* The worker's notice waits its turn behind the replies... */
	assert_int_equal(reports_cli_ack(&f->x, a.ref, "kawanctl:x", T0 + 4, err, sizeof(err)), 0);
	(void)modem_takes(f, T0 + 5, false, dest);
	assert_string_equal(dest, "+60190000001");
	/* ...and an escalation queued after it still goes before it. */
	assert_int_equal(reports_tick(&f->x, T0 + 2 + 5 * MIN), 1);
	(void)modem_takes(f, T0 + 6 + 5 * MIN, false, dest);
	assert_string_equal(dest, "+60130000000"); /* KH: Sok, then the NGO desk */
	for (int i = 2; i < 5; i++) {
		char want[32];

		snprintf(want, sizeof(want), "+6019000000%d", i);
		(void)modem_takes(f, T0 + 7 + 5 * MIN, false, dest);
		assert_string_equal(dest, want);
	}
	(void)modem_takes(f, T0 + 8 + 5 * MIN, false, dest);
	assert_string_equal(dest, "+601"); /* the notice */
}

/* The officer's ack_timeout runs from when the modem accepted the alert:
 * while it waits in the queue nothing escalates. */
static void
test_escalation_waits_for_the_modem(void **state)
{
	struct fixture *f = *state;
	const int64_t ack = 5 * MIN, rem = 15 * MIN;
	struct store_report r;
	char dest[STORE_ADDR_MAX];
	struct trail t;
	int64_t t1, t2, id;

	sos(f, "+60123", "my", T0, &r);
	assert_int_equal(reports_tick(&f->x, T0), 1);
	get(f, r.ref, &r);
	assert_true(r.last_alert_out_id > 0);
	/* Still queued at ack_timeout (the modem is busy): look again in a second. */
	assert_int_equal(reports_tick(&f->x, T0 + ack), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.alert_level, 1);
	assert_int_equal(r.next_alert_ms, T0 + ack + 1000);
	assert_int_equal(reports_tick(&f->x, T0 + ack + 999), 0);
	assert_int_equal(reports_tick(&f->x, T0 + 3 * ack), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.alert_level, 1);
	assert_int_equal(r.next_alert_ms, T0 + 3 * ack + 1000);

	/* The modem takes it at t1: officer 1 has until t1 + ack_timeout. */
	t1 = T0 + 3 * ack + 500;
	id = modem_takes(f, t1, false, dest);
	assert_string_equal(dest, "+60110000001");
	assert_int_equal(id, r.last_alert_out_id);
	assert_int_equal(reports_tick(&f->x, t1 + 500), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.next_alert_ms, t1 + ack);
	assert_int_equal(reports_tick(&f->x, t1 + ack - 1), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.alert_level, 1);
	assert_int_equal(reports_tick(&f->x, t1 + ack), 1);
	get(f, r.ref, &r);
	assert_int_equal(r.alert_level, 2);
	assert_int_equal(r.next_alert_ms, t1 + 2 * ack);
	(void)modem_takes(f, t1 + ack, false, dest);
	assert_string_equal(dest, "+60110000002");
	trail(f, &r, &t);
	assert_string_equal(t.s, "created alerted escalated"); /* waiting is not audited */
	assert_int_equal(r.alerted_ms, T0);

	/* Sent at once: the old timing holds exactly. */
	assert_int_equal(reports_tick(&f->x, t1 + 2 * ack - 1), 0);
	assert_int_equal(reports_tick(&f->x, t1 + 2 * ack), 1); /* supervisor */
	(void)modem_takes(f, t1 + 2 * ack, false, NULL);
	assert_int_equal(reports_tick(&f->x, t1 + 3 * ack), 1); /* NGO desk */
	(void)modem_takes(f, t1 + 3 * ack, false, NULL);

	/* Reminders: the interval runs from when the last of the round was sent. */
	assert_int_equal(reports_tick(&f->x, t1 + 4 * ack), 4);
	for (int i = 0; i < 3; i++)
		(void)modem_takes(f, t1 + 4 * ack + i, false, NULL);
	assert_int_equal(reports_tick(&f->x, t1 + 4 * ack + rem), 0); /* one still queued */
	t2 = t1 + 4 * ack + rem + 700;
	id = modem_takes(f, t2, false, NULL);
	get(f, r.ref, &r);
	assert_int_equal(id, r.last_alert_out_id);
	assert_int_equal(r.reminders, 1);
	assert_int_equal(reports_tick(&f->x, t2 + rem - 1), 0);
	assert_int_equal(reports_tick(&f->x, t2 + rem), 4);
	get(f, r.ref, &r);
	assert_int_equal(r.reminders, 2);
	assert_int_equal(r.next_alert_ms, 0);
	trail(f, &r, &t);
	assert_string_equal(t.s, "created alerted escalated escalated escalated reminded reminded");
}

/* An alert the modem never took: the next in the chain at once. */
static void
test_escalation_after_failed_alert(void **state)
{
	struct fixture *f = *state;
	const int64_t ack = 5 * MIN;
	struct store_report r;
	char dest[STORE_ADDR_MAX];

	sos(f, "+60123", "my", T0, &r);
	assert_int_equal(reports_tick(&f->x, T0), 1);
	assert_int_equal(reports_tick(&f->x, T0 + ack), 0); /* queued: waits */
	(void)modem_takes(f, T0 + ack + 10, true, dest);    /* gave up */
	assert_string_equal(dest, "+60110000001");
	assert_int_equal(reports_tick(&f->x, T0 + ack + 1000), 1);
	(void)modem_takes(f, T0 + ack + 1000, false, dest);
	assert_string_equal(dest, "+60110000002");
	get(f, r.ref, &r);
	assert_int_equal(r.alert_level, 2);
	assert_int_equal(r.next_alert_ms, T0 + 2 * ack + 1000);
	/* Acknowledged while an escalation waits in the queue: nothing more. */
	{
		char err[64];

		assert_int_equal(reports_tick(&f->x, T0 + 2 * ack + 1000), 1);
		assert_int_equal(reports_cli_ack(&f->x, r.ref, "kawanctl:x", T0 + 2 * ack + 1001,
				     err, sizeof(err)),
		    0);
		assert_int_equal(reports_tick(&f->x, T0 + 10 * ack), 0);
		get(f, r.ref, &r);
		assert_int_equal(r.next_alert_ms, 0);
		assert_int_equal(r.alert_level, 3);
	}
}

static void
test_no_roster_goes_to_ngo(void **state)
{
	struct fixture *f = *state;
	struct store_report ph, unknown;
	struct sent s;

	sos(f, "+601", "fil", T0, &ph);     /* PH: no roster */
	sos(f, "+602", "en", T0, &unknown); /* nationality unknown */
	assert_string_equal(unknown.nationality, "");
	assert_int_equal(reports_tick(&f->x, T0), 2);
	assert_int_equal(drain(f, T0, &s), 2);
	assert_string_equal(s.dest[0], "+60130000000");
	assert_string_equal(s.dest[1], "+60130000000");
	/* The chain is the desk alone: next come reminders. */
	assert_int_equal(reports_tick(&f->x, T0 + 5 * MIN), 2);
	get(f, ph.ref, &ph);
	assert_int_equal(ph.reminders, 1);
}

static void
test_nobody_to_alert(void **state)
{
	struct fixture *f = *state;
	struct store_report r;

	f->cfg.ngo_desk.number[0] = '\0';
	sos(f, "+601", "fil", T0, &r);
	assert_int_equal(reports_tick(&f->x, T0), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_NEW);
	assert_int_equal(r.next_alert_ms, T0 + 15 * MIN);
	assert_int_equal(reports_tick(&f->x, T0 + MIN), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.next_alert_ms, T0 + 15 * MIN);
	/* A desk appears (reload): the report is alerted at the next look. */
	snprintf(f->cfg.ngo_desk.number, sizeof(f->cfg.ngo_desk.number), "+60130000000");
	assert_int_equal(reports_tick(&f->x, T0 + 15 * MIN), 1);
}

static void
test_sos_dedupe_window(void **state)
{
	struct fixture *f = *state;
	struct store_report a, b, c;
	bool created = true;
	struct trail t;

	sos(f, "+601", "my", T0, &a);
	assert_int_equal(reports_worker_sos(&f->x, "+601", "my", T0 + 29 * MIN, &b, &created), 0);
	assert_false(created);
	assert_int_equal(b.id, a.id);
	trail(f, &a, &t);
	assert_string_equal(t.s, "created updated");
	/* Issue 11: past the window, while the report is still open, the same
	 * report is updated (it used to open another). */
	assert_int_equal(reports_worker_sos(&f->x, "+601", "my", T0 + 31 * MIN, &c, &created), 0);
	assert_false(created);
	assert_int_equal(c.id, a.id);
	trail(f, &a, &t);
	assert_string_equal(t.s, "created updated updated");
	assert_string_equal(t.last_detail,
	    "SOS again, 31 min after it opened, while it is still open");
	assert_int_equal(reports_worker_sos(&f->x, "+601", "my", T0 + 3 * DAY, &c, &created), 0);
	assert_false(created);
	assert_int_equal(c.id, a.id);
	/* Once it is closed, HELP opens a new one. */
	{
		char err[64];

		assert_int_equal(reports_cli_close(&f->x, a.ref, "kawanctl:x", "done", T0 + 3 * DAY,
				     err, sizeof(err)),
		    0);
	}
	assert_int_equal(reports_worker_sos(&f->x, "+601", "my", T0 + 3 * DAY + 1, &c, &created),
	    0);
	assert_true(created);
	assert_true(c.id != a.id);
	assert_string_not_equal(c.ref, a.ref);
}

static void
test_worker_fields_and_reroute(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	struct sent s;
	struct trail t;

	sos(f, "+601", "en", T0, &r);
	assert_int_equal(reports_tick(&f->x, T0), 1);
	assert_int_equal(drain(f, T0, &s), 1);
	assert_string_equal(s.dest[0], "+60130000000");
	assert_int_equal(reports_worker_field(&f->x, "+601", STORE_RF_CATEGORY, "violence", T0 + 1),
	    0);
	assert_int_equal(reports_worker_field(&f->x, "+601", STORE_RF_PLACE, "Kajang", T0 + 2), 0);
	assert_int_equal(reports_worker_field(&f->x, "+601", STORE_RF_NATIONALITY, "MM", T0 + 3),
	    0);
	assert_int_equal(reports_worker_field(&f->x, "+609", STORE_RF_PLACE, "x", T0 + 3), 1);
	get(f, r.ref, &r);
	assert_string_equal(r.category, "violence");
	assert_string_equal(r.place, "Kajang");
	assert_string_equal(r.nationality, "MM");
	assert_int_equal(r.alert_level, 0);
	/* Re-routed: the Myanmar duty officer is alerted at once. */
	assert_int_equal(reports_tick(&f->x, T0 + 4), 1);
	assert_int_equal(drain(f, T0 + 4, &s), 1);
	assert_string_equal(s.dest[0], "+60110000001");
	assert_non_null(strstr(s.text[0], "Myanmar | violence | Place: Kajang"));
	trail(f, &r, &t);
	assert_string_equal(t.s, "created alerted updated updated updated updated alerted");
}

static void
test_officer_ack(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	struct store_prefs p = { .lang = "ms" };
	char reply[256];
	struct sent s;
	struct trail t;

	assert_int_equal(store_prefs_put(f->db.st, "+60123", &p, T0), 0);
	sos(f, "+60123", "my", T0, &r);
	assert_int_equal(reports_tick(&f->x, T0), 1);
	assert_int_equal(drain(f, T0, &s), 1);
	assert_int_equal(
	    officer_says(f, "+60110000001", "ACK %s " PIN, r.ref, T0 + MIN, reply, sizeof(reply)),
	    0);
	assert_non_null(strstr(reply, "acknowledged"));
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_ACKED);
	assert_string_equal(r.acked_by, "Ko Aung");
	trail(f, &r, &t);
	assert_string_equal(t.s, "created alerted acked notified");
	/* The worker is told, in Malay, with the reference, as a normal SMS. */
	assert_int_equal(drain(f, T0 + MIN, &s), 1);
	assert_string_equal(s.dest[0], "+60123");
	assert_int_equal(s.cls[0], -1);
	{
		char want[128];

		snprintf(want, sizeof(want), "Laporan %s: seorang pegawai sedang menguruskannya.",
		    r.ref);
		assert_string_equal(s.text[0], want);
	}
	/* A second ACK is refused with a clear answer and changes nothing. */
	assert_int_equal(officer_says(f, "+60110000002", "ACK %s " PIN, r.ref, T0 + 2 * MIN, reply,
			     sizeof(reply)),
	    0);
	assert_non_null(strstr(reply, "already acknowledged by Ko Aung"));
	assert_int_equal(drain(f, T0 + 2 * MIN, &s), 0);
}

static void
test_worker_notice_discreet_and_opted_out(void **state)
{
	struct fixture *f = *state;
	struct store_prefs discreet = { .lang = "en", .discreet = 1 };
	struct store_prefs stopped = { .lang = "en", .opted_out = 1 };
	struct store_report a, b, c;
	char err[64];
	struct sent s;

	assert_int_equal(store_prefs_put(f->db.st, "+601", &discreet, T0), 0);
	assert_int_equal(store_prefs_put(f->db.st, "+602", &stopped, T0), 0);
	sos(f, "+601", "my", T0, &a);
	sos(f, "+602", "my", T0, &b);
	sos(f, "+603", "my", T0, &c);
	assert_int_equal(reports_cli_ack(&f->x, a.ref, "kawanctl:x", T0, err, sizeof(err)), 0);
	assert_int_equal(drain(f, T0, &s), 1);
	assert_int_equal(s.cls[0], 0); /* flash: not saved on the phone */
	assert_non_null(strstr(s.text[0], a.ref));
	assert_non_null(strstr(s.text[0], "an officer is working on it"));
	assert_int_equal(reports_cli_ack(&f->x, b.ref, "kawanctl:x", T0, err, sizeof(err)), 0);
	assert_int_equal(drain(f, T0, &s), 0); /* opted out: not told */
	f->cfg.reports.notify_worker_on_ack = 0;
	assert_int_equal(reports_cli_ack(&f->x, c.ref, "kawanctl:x", T0, err, sizeof(err)), 0);
	assert_int_equal(drain(f, T0, &s), 0);
	/* No content loaded: the English built-in. */
	{
		struct store_report d;

		f->cfg.reports.notify_worker_on_ack = 1;
		f->x.content = NULL;
		sos(f, "+604", "my", T0, &d);
		assert_int_equal(reports_cli_ack(&f->x, d.ref, "kawanctl:x", T0, err, sizeof(err)),
		    0);
		assert_int_equal(drain(f, T0, &s), 1);
		assert_non_null(strstr(s.text[0], "an officer is working on it"));
	}
}

static void
test_wrong_pin_and_lockout(void **state)
{
	struct fixture *f = *state;
	const char *o = "+60110000001";
	struct store_report r;
	char reply[256], reply2[256];

	sos(f, "+601", "my", T0, &r);
	assert_int_equal(officer_says(f, o, "ACK %s 0000", r.ref, T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "Wrong PIN. 2 tries left.");
	/* The same answer for a reference that does not exist. */
	assert_int_equal(officer_says(f, o, "ACK %s 0000", "QQQQ", T0, reply2, sizeof(reply2)), 0);
	assert_string_equal(reply2, "Wrong PIN. 1 tries left.");
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_NEW);
	assert_int_equal(officer_says(f, o, "CLOSE %s 9999 done", r.ref, T0, reply, sizeof(reply)),
	    0);
	assert_string_equal(reply, "Wrong PIN. This number is locked for 15 min.");
	/* Locked: even the right PIN, and LIST, are refused. */
	assert_int_equal(officer_says(f, o, "ACK %s " PIN, r.ref, T0 + MIN, reply, sizeof(reply)),
	    0);
	assert_non_null(strstr(reply, "Locked"));
	assert_int_equal(officer_says(f, o, "LIST " PIN, "", T0 + MIN, reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, "Locked"));
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_NEW);
	/* Other officers are not locked. */
	assert_int_equal(
	    officer_says(f, "+60110000002", "LIST " PIN, "", T0 + MIN, reply, sizeof(reply)), 0);
	assert_null(strstr(reply, "Locked"));
	/* After pin_lock the number works again. */
	assert_int_equal(
	    officer_says(f, o, "ACK %s " PIN, r.ref, T0 + 15 * MIN, reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, "acknowledged"));
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_ACKED);
	{
		int failures;
		int64_t until;

		assert_int_equal(store_pin_failures(f->db.st, o, &failures, &until), 0);
		assert_int_equal(failures, 0);
		assert_int_equal(until, 0);
	}
}

/* Issue 11: NOTE and LIST need the PIN too; the old forms count as wrong PINs. */
static void
test_pin_on_every_command(void **state)
{
	struct fixture *f = *state;
	const char *o = "+60110000001";
	struct store_report r;
	char reply[256];
	struct trail t;
	int failures;
	int64_t until;

	sos(f, "+601", "my", T0, &r);
	/* NOTE without a PIN: its first word is taken for one, and is wrong. */
	assert_int_equal(
	    officer_says(f, o, "NOTE %s called her employer", r.ref, T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "Wrong PIN. 2 tries left.");
	trail(f, &r, &t);
	assert_string_equal(t.s, "created");
	/* LIST with a wrong PIN lists nothing. */
	assert_int_equal(officer_says(f, o, "LIST 482194", "", T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "Wrong PIN. 1 tries left.");
	assert_null(strstr(reply, r.ref));
	/* With the PIN both work, and the count starts again. */
	assert_int_equal(officer_says(f, o, "LIST " PIN, "", T0, reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, r.ref));
	assert_int_equal(
	    officer_says(f, o, "NOTE %s " PIN " called her", r.ref, T0, reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, "Note added"));
	trail(f, &r, &t);
	assert_string_equal(t.last_detail, "called her");
	assert_int_equal(store_pin_failures(f->db.st, o, &failures, &until), 0);
	assert_int_equal(failures, 0);
	/* A verdict given by the inbound stage (the text holds "****"). */
	assert_int_equal(
	    reports_officer_cmd(&f->x, o, "LIST ****", REPORTS_PIN_RIGHT, T0, reply, sizeof(reply)),
	    0);
	assert_non_null(strstr(reply, r.ref));
	assert_int_equal(
	    reports_officer_cmd(&f->x, o, "ACK ****", REPORTS_PIN_WRONG, T0, reply, sizeof(reply)),
	    0);
	assert_non_null(strstr(reply, "Usage"));
	assert_int_equal(
	    reports_officer_cmd(&f->x, o, "LIST ****", REPORTS_PIN_WRONG, T0, reply, sizeof(reply)),
	    0);
	assert_string_equal(reply, "Wrong PIN. 2 tries left.");
	/* "****" in the text is never a right PIN by itself. */
	assert_int_equal(officer_says(f, o, "LIST ****", "", T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "Wrong PIN. 1 tries left.");
}

/* Three wrong PINs in a row, from whoever sends them. */
static void
three_wrong(struct fixture *f, const char *o, int64_t now, char *reply, size_t replysz)
{
	for (int i = 0; i < 3; i++)
		assert_int_equal(officer_says(f, o, "LIST 000001", "", now, reply, replysz), 0);
}

/* Locks grow: 15 min, 1 h, 4 h, 16 h, then 24 h each; they survive a
 * restart (the store); the supervisor is told once per lock; a right PIN
 * starts the scale again. */
static void
test_lock_escalates(void **state)
{
	struct fixture *f = *state;
	const char *o = "+60110000001";
	static const char *const spans[] = { "15 min", "1 h", "4 h", "16 h", "24 h", "24 h" };
	static const int64_t lasts[] = { 15 * MIN, 60 * MIN, 240 * MIN, 960 * MIN, DAY, DAY };
	char reply[256], want[64];
	struct sent s;
	int64_t now = T0;
	int locks;

	f->cfg.reports.pin_lock_max_ms = (int)DAY;
	for (size_t i = 0; i < 6; i++) {
		three_wrong(f, o, now, reply, sizeof(reply));
		snprintf(want, sizeof(want), "Wrong PIN. This number is locked for %s.", spans[i]);
		assert_string_equal(reply, want);
		/* The supervisor (U Tin), once, naming the officer and the lock. */
		assert_int_equal(drain(f, now, &s), 1);
		assert_string_equal(s.dest[0], "+60110000009");
		assert_non_null(strstr(s.text[0], "Ko Aung"));
		assert_non_null(strstr(s.text[0], spans[i]));
		assert_null(strstr(s.text[0], PIN));
		/* More tries while locked: refused, not counted, nobody told again. */
		three_wrong(f, o, now + lasts[i] - 1000, reply, sizeof(reply));
		assert_non_null(strstr(reply, "Locked"));
		assert_int_equal(officer_says(f, o, "LIST " PIN, "", now + lasts[i] - 1000, reply,
				     sizeof(reply)),
		    0);
		assert_non_null(strstr(reply, "Locked"));
		assert_int_equal(drain(f, now + lasts[i], &s), 0);
		/* A restart: the same database, opened again. */
		sfx_reopen(&f->db);
		f->x.st = f->db.st;
		now += lasts[i];
	}
	assert_int_equal(store_pin_level(f->db.st, o, &locks), 0);
	assert_int_equal(locks, 6);
	/* The right PIN once the lock ends: works, and the scale starts again. */
	assert_int_equal(officer_says(f, o, "LIST " PIN, "", now, reply, sizeof(reply)), 0);
	assert_null(strstr(reply, "Locked"));
	assert_int_equal(store_pin_level(f->db.st, o, &locks), 0);
	assert_int_equal(locks, 0);
	three_wrong(f, o, now, reply, sizeof(reply));
	assert_string_equal(reply, "Wrong PIN. This number is locked for 15 min.");
	/* A supervisor's own lock: nobody above them to tell (logged). */
	drain(f, now, &s);
	three_wrong(f, "+60110000009", now, reply, sizeof(reply));
	assert_non_null(strstr(reply, "locked for 15 min"));
	assert_int_equal(drain(f, now, &s), 0);
}

static void
test_bad_input(void **state)
{
	struct fixture *f = *state;
	const char *o = "+60110000001";
	static const char *const bad[] = {
		"",
		"   ",
		"HELLO",
		"ACK",
		"ACK %s",
		"CLOSE %s " PIN,
		"CLOSE %s",
		"NOTE %s",
		"NOTE %s " PIN,
		"NOTE",
		"LIST",
		"ACKK %s " PIN,
		"ACK TOOLONGREFERENCE " PIN,
		"\xe1\x80\x80",
	};
	struct store_report r;
	char reply[256];
	struct trail t;

	sos(f, "+601", "my", T0, &r);
	/* A number on no roster: not an officer, the message goes to the menu. */
	assert_int_equal(officer_says(f, "+60999", "ACK %s " PIN, r.ref, T0, reply, sizeof(reply)),
	    1);
	assert_string_equal(reply, "");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(officer_says(f, o, bad[i], r.ref, T0, reply, sizeof(reply)), 0);
		assert_true(
		    strncmp(reply, "Usage", 5) == 0 || strncmp(reply, "Kawan officer", 13) == 0);
	}
	/* Unknown reference, right PIN. */
	assert_int_equal(officer_says(f, o, "ACK %s " PIN, "QQQQ", T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "Unknown reference QQQQ.");
	/* Another roster's report. */
	assert_int_equal(
	    officer_says(f, "+60120000001", "ACK %s " PIN, r.ref, T0, reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, "not for your roster"));
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_NEW);
	trail(f, &r, &t);
	assert_string_equal(t.s, "created");
	{
		int failures;
		int64_t until;

		assert_int_equal(store_pin_failures(f->db.st, o, &failures, &until), 0);
		assert_int_equal(failures, 0);
	}
}

static void
test_case_and_spaces_note_close(void **state)
{
	struct fixture *f = *state;
	const char *o = "+60110000002";
	struct store_report r;
	char reply[256], lower[8];
	struct trail t;

	sos(f, "+601", "my", T0, &r);
	for (size_t i = 0; i <= strlen(r.ref); i++)
		lower[i] = (char)((r.ref[i] >= 'A' && r.ref[i] <= 'Z') ? r.ref[i] + 32 : r.ref[i]);
	assert_int_equal(
	    officer_says(f, o, "  ack \t %s    " PIN "  \n", lower, T0, reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, "acknowledged"));
	assert_int_equal(officer_says(f, o, "note  %s  " PIN "  called her employer,  no answer ",
			     lower, T0 + MIN, reply, sizeof(reply)),
	    0);
	assert_non_null(strstr(reply, "Note added"));
	trail(f, &r, &t);
	assert_string_equal(t.last_detail, "called her employer,  no answer");
	assert_string_equal(t.last_actor, "Ma Hla");
	assert_string_equal(t.last_channel, "sms");
	assert_int_equal(officer_says(f, o, "Close %s " PIN " rescued, at the shelter", lower,
			     T0 + 2 * MIN, reply, sizeof(reply)),
	    0);
	assert_non_null(strstr(reply, "closed"));
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_CLOSED);
	assert_string_equal(r.outcome, "rescued, at the shelter");
	assert_string_equal(r.closed_by, "Ma Hla");
	assert_int_equal(r.closed_ms, T0 + 2 * MIN);
	assert_int_equal(
	    officer_says(f, o, "ACK %s " PIN, r.ref, T0 + 3 * MIN, reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, "already closed"));
}

static void
test_list(void **state)
{
	struct fixture *f = *state;
	struct store_report mm1, mm2, kh, closed;
	char reply[512], err[64];

	assert_int_equal(
	    reports_officer_sms(&f->x, "+60110000001", "LIST " PIN, T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "No open reports.");
	sos(f, "+601", "my", T0, &mm1);
	sos(f, "+602", "my", T0 + 50 * MIN, &mm2);
	sos(f, "+603", "km", T0, &kh);
	sos(f, "+604", "my", T0, &closed);
	assert_int_equal(reports_worker_field(&f->x, "+601", STORE_RF_CATEGORY, "wages", T0), 0);
	assert_int_equal(
	    reports_cli_close(&f->x, closed.ref, "kawanctl:x", "done", T0, err, sizeof(err)), 0);
	assert_int_equal(reports_officer_sms(&f->x, "+60110000001", "list " PIN, T0 + 3 * 60 * MIN,
			     reply, sizeof(reply)),
	    0);
	assert_non_null(strstr(reply, mm1.ref));
	assert_non_null(strstr(reply, "wages 3h"));
	assert_non_null(strstr(reply, mm2.ref));
	assert_null(strstr(reply, kh.ref));
	assert_null(strstr(reply, closed.ref));
	/* The NGO desk sees every open report. */
	assert_int_equal(reports_officer_sms(&f->x, "+60130000000", "LIST " PIN, T0 + 3 * 60 * MIN,
			     reply, sizeof(reply)),
	    0);
	assert_non_null(strstr(reply, mm1.ref));
	assert_non_null(strstr(reply, kh.ref));
	assert_null(strstr(reply, closed.ref));
}

static void
test_alert_text(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	char buf[2048], want[512];
	size_t n;

	memset(&r, 0, sizeof(r));
	snprintf(r.ref, sizeof(r.ref), "K7Q2");
	snprintf(r.msisdn, sizeof(r.msisdn), "+60123456789");
	snprintf(r.nationality, sizeof(r.nationality), "MM");
	snprintf(r.category, sizeof(r.category), "violence");
	snprintf(r.place, sizeof(r.place), "Kajang, near the market");
	snprintf(r.callback, sizeof(r.callback), "sms_only");
	snprintf(r.message, sizeof(r.message), "He took my passport");
	n = reports_alert_text(&f->cfg, f->content, &r, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	snprintf(want, sizeof(want),
	    "KAWAN SOS K7Q2 | Myanmar | violence | Place: Kajang, near the "
	    "market | Callback: SMS only | Worker +60123456789 | Msg: He took my passport | "
	    "Reply ACK K7Q2 <PIN>");
	assert_string_equal(buf, want);
	/* The name is the content's (countries.cfg); without content, the code. */
	n = reports_alert_text(&f->cfg, NULL, &r, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_non_null(strstr(buf, "KAWAN SOS K7Q2 | MM | violence"));
	snprintf(r.nationality, sizeof(r.nationality), "ZZ"); /* not in the content */
	n = reports_alert_text(&f->cfg, f->content, &r, buf, sizeof(buf));
	assert_non_null(strstr(buf, "KAWAN SOS K7Q2 | ZZ | violence"));
	r.nationality[0] = '\0';
	n = reports_alert_text(&f->cfg, f->content, &r, buf, sizeof(buf));
	assert_non_null(strstr(buf, "KAWAN SOS K7Q2 | nationality unknown | violence"));
	snprintf(r.nationality, sizeof(r.nationality), "MM");

	/* A message far over the budget is cut, with the command that shows it. */
	for (size_t i = 0; i < sizeof(r.message) - 1; i++)
		r.message[i] = (char)('a' + i % 26);
	r.message[sizeof(r.message) - 1] = '\0';
	n = reports_alert_text(&f->cfg, f->content, &r, buf, sizeof(buf));
	assert_true(n > 0);
	assert_true(render_sms_segments(buf) <= 3);
	assert_true(render_sms_segments(buf) >= 2); /* uses its room */
	assert_non_null(
	    strstr(buf, "... (full: kawanctl reports show K7Q2) | Reply ACK K7Q2 <PIN>"));
	assert_non_null(strstr(buf, "Worker +60123456789"));
	assert_non_null(strstr(buf, "Place: Kajang, near the market"));

	/* Burmese: UCS-2, 3 x 67 units, cut on a grapheme boundary. */
	{
		/* "ကျွန်တော့်ကို ရိုက်နှက်တယ်" ("they beat me") repeated. */
		const char *my =
		    "\xe1\x80\x80\xe1\x80\xbb\xe1\x80\xbd\xe1\x80\x94\xe1\x80\xba"
		    "\xe1\x80\x90\xe1\x80\xb1\xe1\x80\xac\xe1\x80\xb7\xe1\x80\xba\xe1\x80\x80"
		    "\xe1\x80\xad\xe1\x80\xaf ";
		size_t len = 0, units;

		r.message[0] = '\0';
		while (len + strlen(my) < sizeof(r.message)) {
			memcpy(r.message + len, my, strlen(my) + 1);
			len += strlen(my);
		}
		n = reports_alert_text(&f->cfg, f->content, &r, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(render_coding_of(buf, &units), RENDER_UCS2);
		assert_true(units <= 3 * 67);
		assert_true(render_sms_segments(buf) <= 3);
		assert_non_null(strstr(buf, "(full: kawanctl reports show K7Q2)"));
		assert_non_null(strstr(buf, "Reply ACK K7Q2 <PIN>"));
		/* No dangling combining mark or virama before the cut marker. */
		{
			const char *cut = strstr(buf, "...");
			assert_non_null(cut);
			assert_true((unsigned char)cut[-1] != 0xba); /* U+103A asat */
			assert_true(!(cut[-3] == '\xe1' && cut[-2] == '\x80' && cut[-1] == '\xb9'));
		}
	}
	/* A long place and a long Burmese message share 2 segments (134 UCS-2
	 * units); the place keeps a part, the message what is left. */
	f->cfg.reports.alert_max_segments = 2;
	memset(r.place, 'p', sizeof(r.place) - 1);
	r.place[sizeof(r.place) - 1] = '\0';
	n = reports_alert_text(&f->cfg, f->content, &r, buf, sizeof(buf));
	assert_true(n > 0);
	assert_true(render_sms_segments(buf) <= 2);
	assert_non_null(strstr(buf, "Place: ppp"));
	assert_non_null(strstr(buf, "Reply ACK K7Q2 <PIN>"));
	assert_non_null(strstr(buf, "Worker +60123456789"));
	/* One segment cannot hold the fixed part (" | " is 4 septets in
	 * GSM-7): the text is cut as far as it goes and never lost. */
	f->cfg.reports.alert_max_segments = 1;
	n = reports_alert_text(&f->cfg, f->content, &r, buf, sizeof(buf));
	assert_true(n > 0);
	assert_non_null(strstr(buf, "Reply ACK K7Q2 <PIN>"));
}

static void
test_status(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	char reply[256], want[128], err[64];

	assert_int_equal(reports_worker_status(&f->x, "+601", "", "en", T0, reply, sizeof(reply)),
	    0);
	assert_string_equal(reply, "Send STATUS and your reference.");
	assert_int_equal(
	    reports_worker_status(&f->x, "+601", "QQQQ", "en", T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "We cannot find that reference.");
	sos(f, "+601", "my", T0, &r);
	assert_int_equal(
	    reports_worker_status(&f->x, "+601", r.ref, "ms", T0, reply, sizeof(reply)), 0);
	snprintf(want, sizeof(want), "Laporan %s dibuka.", r.ref);
	assert_string_equal(reply, want);
	assert_int_equal(reports_cli_ack(&f->x, r.ref, "kawanctl:x", T0, err, sizeof(err)), 0);
	assert_int_equal(
	    reports_worker_status(&f->x, "+601", r.ref, "en", T0, reply, sizeof(reply)), 0);
	snprintf(want, sizeof(want), "Report %s: an officer is working on it.", r.ref);
	assert_string_equal(reply, want);
	assert_null(strstr(reply, "kawanctl"));
	assert_int_equal(reports_cli_close(&f->x, r.ref, "kawanctl:x", "ok", T0, err, sizeof(err)),
	    0);
	{
		char lower[16];

		snprintf(lower, sizeof(lower), "  %c%c%c%c ", r.ref[0] | 0x20, r.ref[1] | 0x20,
		    r.ref[2] | 0x20, r.ref[3] | 0x20);
		assert_int_equal(
		    reports_worker_status(&f->x, "+601", lower, "en", T0, reply, sizeof(reply)), 0);
	}
	snprintf(want, sizeof(want), "Report %s is closed.", r.ref);
	assert_string_equal(reply, want);
	/* A text with a stray format directive is copied, never formatted. */
	assert_int_equal(
	    reports_worker_status(&f->x, "+601", "%n%n", "en", T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "We cannot find that reference.");
}

/* Issue 11: STATUS is no oracle. Only the number that made a report
 * learns its state; others get the unknown-reference answer; wrong
 * references are limited per number and window, kept in the store. */
static void
test_status_owner_and_limit(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	char reply[256], want[128];
	int misses;

	f->cfg.reports.status_max_misses = 5;
	f->cfg.reports.status_window_ms = (int)DAY;
	sos(f, "+601", "my", T0, &r);
	snprintf(want, sizeof(want), "Report %s is open.", r.ref);
	/* Another number: as if the reference did not exist. */
	assert_int_equal(
	    reports_worker_status(&f->x, "+602", r.ref, "en", T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "We cannot find that reference.");
	assert_int_equal(
	    reports_worker_status(&f->x, "+601", r.ref, "en", T0, reply, sizeof(reply)), 0);
	assert_string_equal(reply, want);
	/* Four more misses from +602 (five in all): then even... */
	for (int i = 0; i < 4; i++)
		assert_int_equal(reports_worker_status(&f->x, "+602", "QQQQ", "en", T0 + i, reply,
				     sizeof(reply)),
		    0);
	assert_int_equal(store_status_misses(f->db.st, "+602", T0 - DAY, &misses), 0);
	assert_int_equal(misses, 5);
	/* ...its own report gets nothing useful until the window passes. */
	{
		struct store_report own;

		sos(f, "+602", "my", T0, &own);
		assert_int_equal(reports_worker_status(&f->x, "+602", own.ref, "en", T0 + MIN,
				     reply, sizeof(reply)),
		    0);
		assert_string_equal(reply, "We cannot find that reference.");
		assert_int_equal(reports_worker_status(&f->x, "+602", own.ref, "en", T0 + DAY + 1,
				     reply, sizeof(reply)),
		    0);
		snprintf(want, sizeof(want), "Report %s is open.", own.ref);
		assert_string_equal(reply, want);
	}
	/* Other numbers are not limited by +602's guesses; the owner never was. */
	assert_int_equal(
	    reports_worker_status(&f->x, "+601", r.ref, "en", T0 + MIN, reply, sizeof(reply)), 0);
	snprintf(want, sizeof(want), "Report %s is open.", r.ref);
	assert_string_equal(reply, want);
	/* Survives a restart; a new window starts with the next miss. */
	sfx_reopen(&f->db);
	f->x.st = f->db.st;
	assert_int_equal(store_status_misses(f->db.st, "+602", T0 + MIN - DAY, &misses), 0);
	assert_int_equal(misses, 5);
	assert_int_equal(
	    reports_worker_status(&f->x, "+602", "QQQQ", "en", T0 + 2 * DAY, reply, sizeof(reply)),
	    0);
	assert_int_equal(store_status_misses(f->db.st, "+602", T0 + DAY, &misses), 0);
	assert_int_equal(misses, 1);
}

/* STATUS never promises an alert nobody gets (issue 9): an open report
 * nobody is told about until the worker chooses says so, and one nobody
 * can be told about says to call Contacts; once the chain is reachable it
 * is "open" again. */
static void
test_status_reach(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	char reply[256], want[160];

	f->cfg.reports.sos_default = 0;
	sos(f, "+601", "my", T0, &r);
	assert_int_equal(
	    reports_worker_status(&f->x, "+601", r.ref, "en", T0, reply, sizeof(reply)), 0);
	snprintf(want, sizeof(want),
	    "Report %s is saved. Nobody is told until you choose: send HELP.", r.ref);
	assert_string_equal(reply, want);
	/* Nobody can be: no NGO desk, and the worker allows only the NGO. */
	f->cfg.ngo_desk.number[0] = '\0';
	assert_int_equal(reports_worker_field(&f->x, "+601", STORE_RF_NOTIFY, "ngo", T0), 0);
	assert_int_equal(
	    reports_worker_status(&f->x, "+601", r.ref, "en", T0, reply, sizeof(reply)), 0);
	snprintf(want, sizeof(want),
	    "Report %s is saved, but no helpline is connected here yet: call the numbers in "
	    "Contacts.",
	    r.ref);
	assert_string_equal(reply, want);
	/* The embassy is allowed and has officers: open. */
	assert_int_equal(reports_worker_field(&f->x, "+601", STORE_RF_NOTIFY, "embassy", T0), 0);
	assert_int_equal(
	    reports_worker_status(&f->x, "+601", r.ref, "ms", T0, reply, sizeof(reply)), 0);
	snprintf(want, sizeof(want), "Laporan %s dibuka.", r.ref);
	assert_string_equal(reply, want);
}

static void
test_retention(void **state)
{
	struct fixture *f = *state;
	struct store_report r, open;
	char err[64];
	struct trail t;

	sos(f, "+60123", "my", T0, &r);
	sos(f, "+60999", "my", T0, &open);
	assert_int_equal(reports_worker_field(&f->x, "+60123", STORE_RF_CATEGORY, "wages", T0), 0);
	assert_int_equal(reports_worker_field(&f->x, "+60123", STORE_RF_PLACE, "Klang", T0), 0);
	assert_int_equal(reports_tick(&f->x, T0), 2);
	assert_int_equal(reports_officer_sms(&f->x, "+60110000001", "ACK", T0, err, sizeof(err)),
	    0);
	assert_int_equal(
	    officer_says(f, "+60110000001", "ACK %s " PIN, r.ref, T0 + MIN, err, sizeof(err)), 0);
	assert_int_equal(officer_says(f, "+60110000001", "CLOSE %s " PIN " paid in full", r.ref,
			     T0 + DAY, err, sizeof(err)),
	    0);
	/* The open report is still worked on (issue 11: an open report idle
	 * past retention is erased too; this one is not idle). */
	assert_int_equal(
	    reports_worker_field(&f->x, "+60999", STORE_RF_PLACE, "Ipoh", T0 + 300 * DAY), 0);
	assert_int_equal(reports_retention(&f->x, T0 + DAY + 364 * DAY), 0);
	assert_int_equal(reports_retention(&f->x, T0 + DAY + 365 * DAY + 1), 1);
	assert_int_equal(reports_retention(&f->x, T0 + DAY + 400 * DAY), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.erased, 1);
	assert_string_equal(r.msisdn, "");
	assert_string_equal(r.place, "");
	assert_string_equal(r.outcome, "");
	assert_string_equal(r.acked_by, "officer");
	assert_string_equal(r.closed_by, "officer");
	assert_string_equal(r.nationality, "MM");
	assert_string_equal(r.category, "wages");
	assert_int_equal(r.created_ms, T0);
	assert_int_equal(r.alerted_ms, T0);
	assert_int_equal(r.acked_ms, T0 + MIN);
	assert_int_equal(r.closed_ms, T0 + DAY);
	trail(f, &r, &t);
	assert_string_equal(t.s, "created updated updated alerted acked notified closed erased");
	get(f, open.ref, &open);
	assert_string_equal(open.msisdn, "+60999");
	/* untouched for 365 days and a millisecond: closed by the system, erased */
	assert_int_equal(reports_retention(&f->x, T0 + 300 * DAY + 365 * DAY), 0);
	assert_int_equal(reports_retention(&f->x, T0 + 300 * DAY + 365 * DAY + 1), 1);
	get(f, open.ref, &open);
	assert_int_equal(open.state, STORE_REPORT_CLOSED);
	assert_int_equal(open.erased, 1);
	assert_string_equal(open.msisdn, "");
	/* A note on an erased report is refused. */
	assert_int_equal(reports_cli_note(&f->x, r.ref, "kawanctl:x", "x", T0, err, sizeof(err)),
	    1);
}

static void
test_caller_transaction(void **state)
{
	struct fixture *f = *state;
	struct store_report r, g;
	char reply[128];

	/* Inside the router's transaction: nothing commits on its own. */
	assert_int_equal(store_begin(f->db.st), 0);
	sos(f, "+601", "my", T0, &r);
	assert_true(store_in_transaction(f->db.st));
	store_rollback(f->db.st);
	assert_int_equal(store_report_get(f->db.st, r.ref, &g), 1);

	sos(f, "+601", "my", T0, &r);
	assert_int_equal(store_begin(f->db.st), 0);
	assert_int_equal(
	    officer_says(f, "+60110000001", "ACK %s " PIN, r.ref, T0, reply, sizeof(reply)), 0);
	assert_true(store_in_transaction(f->db.st));
	assert_int_equal(store_commit(f->db.st), 0);
	get(f, r.ref, &g);
	assert_int_equal(g.state, STORE_REPORT_ACKED);
}

/* The nationality a report opens with is the one the worker's language
 * implies in the content (languages.cfg); a script variant is its base
 * language's; no content, no nationality. */
static void
test_nationality_and_pin(void **state)
{
	static const char *const pairs[][2] = {
		{ "km", "KH" },
		{ "my", "MM" },
		{ "id", "ID" },
		{ "fil", "PH" },
		{ "lo", "LA" },
		{ "vi", "VN" },
		{ "tet", "TL" },
		{ "en", "" },
		{ "ms", "" },
		{ "th", "" },
		{ "idx", "" },
		{ "my-zawgyi", "MM" },
		{ "my_zawgyi", "MM" },
		{ "", "" },
	};
	struct fixture *f = *state;
	struct store_report r;
	char msisdn[32];

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		snprintf(msisdn, sizeof(msisdn), "+6017000%04zu", i);
		sos(f, msisdn, pairs[i][0], T0, &r);
		if (strcmp(r.nationality, pairs[i][1]) != 0)
			fail_msg("language '%s': nationality '%s', want '%s'", pairs[i][0],
			    r.nationality, pairs[i][1]);
	}
	f->x.content = NULL;
	sos(f, "+60170009999", "my", T0, &r);
	assert_string_equal(r.nationality, "");
	assert_true(reports_pin_ok(PIN, pin_hash));
	assert_false(reports_pin_ok("4322", pin_hash));
	assert_false(reports_pin_ok("", pin_hash));
	assert_false(reports_pin_ok(PIN, ""));
	assert_false(reports_pin_ok(PIN, "*0"));
	assert_false(reports_pin_ok(PIN, "not a hash"));
	{
		/* A yescrypt hash made the way `kawanctl pin-hash` would. */
		char *salt = crypt_gensalt_ra("$y$", 0, NULL, 0);
		struct crypt_data *cd = calloc(1, sizeof(*cd));
		char hash[CONFIG_HASH_MAX];

		assert_non_null(salt);
		assert_non_null(cd);
		snprintf(hash, sizeof(hash), "%s", crypt_r("998877", salt, cd));
		assert_true(reports_pin_ok("998877", hash));
		assert_false(reports_pin_ok("998878", hash));
		free(salt);
		free(cd);
	}
}

/* When the worker has answered the questions, everyone alerted so far gets
 * the whole report; before the first alert, nobody (it will carry it all). */
static void
test_worker_done_updates_officers(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	struct sent s;
	struct trail t;

	sos(f, "+60123456789", "my", T0, &r);
	assert_int_equal(reports_worker_done(&f->x, "+60123456789", T0), 0);
	assert_int_equal(reports_tick(&f->x, T0 + 1000), 1);
	assert_int_equal(drain(f, T0 + 1000, &s), 1);
	assert_int_equal(reports_worker_field(&f->x, "+60123456789", STORE_RF_PLACE,
			     "Kajang, near the market", T0 + 2000),
	    0);
	assert_int_equal(reports_worker_done(&f->x, "+60123456789", T0 + 3000), 1);
	assert_int_equal(drain(f, T0 + 3000, &s), 1);
	assert_string_equal(s.dest[0], "+60110000001");
	assert_non_null(strstr(s.text[0], "UPDATE"));
	assert_non_null(strstr(s.text[0], r.ref));
	assert_non_null(strstr(s.text[0], "Kajang, near the market"));
	trail(f, &r, &t);
	assert_non_null(strstr(t.s, "updated"));
	assert_int_equal(reports_worker_done(&f->x, "+60999999999", T0), 0); /* no report */
}

/* How many of s went to number. */
static int
sent_to(const struct sent *s, const char *number)
{
	int n = 0;

	for (int i = 0; i < s->n; i++)
		n += strcmp(s->dest[i], number) == 0;
	return n;
}

/* Runs the tick every minute for span ms from *now, draining as the modem
 * would; adds to *roster what went to MM's officers and supervisor and to
 * *desk what went to the NGO desk. */
static void
run_for(struct fixture *f, int64_t *now, int64_t span, int *roster, int *desk)
{
	struct sent s;

	for (int64_t end = *now + span; *now <= end; *now += MIN) {
		assert_true(reports_tick(&f->x, *now) >= 0);
		drain(f, *now, &s);
		*roster += sent_to(&s, "+60110000001") + sent_to(&s, "+60110000002") +
			   sent_to(&s, "+60110000009");
		*desk += sent_to(&s, "+60130000000");
	}
}

/* Consent (issue 9): "ngo" never reaches an embassy officer, however long
 * the report waits (escalation, reminders, the supervisor, the worker's
 * update); an embassy officer cannot act on it. */
static void
test_consent_ngo_only(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	struct trail t;
	char reply[256];
	int roster = 0, desk = 0;
	int64_t now = T0;

	f->cfg.reports.sos_default = CONFIG_TELL_NGO;
	sos(f, "+60123456789", "my", now, &r);
	assert_int_equal(reports_reach(&f->cfg, &r), REPORTS_REACH_NOW);
	/* SOS: the default (the NGO desk) at once. */
	run_for(f, &now, 0, &roster, &desk);
	assert_int_equal(desk, 1);
	assert_int_equal(roster, 0);
	assert_int_equal(reports_worker_field(&f->x, "+60123456789", STORE_RF_NOTIFY, "ngo", now),
	    0);
	get(f, r.ref, &r);
	assert_string_equal(r.notify, "ngo");
	trail(f, &r, &t);
	assert_non_null(strstr(t.last_detail, "consent: ngo"));
	/* The same chain: no second alert to the desk. */
	run_for(f, &now, 0, &roster, &desk);
	assert_int_equal(desk, 1);
	/* Hours go by: reminders to the desk only; nothing to the roster. */
	run_for(f, &now, 3 * 60 * MIN, &roster, &desk);
	assert_int_equal(roster, 0);
	assert_int_equal(desk, 1 + f->cfg.reports.max_reminders);
	assert_int_equal(reports_worker_done(&f->x, "+60123456789", now), 1);
	run_for(f, &now, 0, &roster, &desk);
	assert_int_equal(roster, 0);
	/* An embassy officer is not in its chain: ACK refused, LIST silent. */
	assert_int_equal(
	    officer_says(f, "+60110000001", "ACK %s " PIN, r.ref, now, reply, sizeof(reply)), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_ALERTED);
	assert_int_equal(
	    officer_says(f, "+60110000001", "LIST " PIN, r.ref, now, reply, sizeof(reply)), 0);
	assert_null(strstr(reply, r.ref));
	/* The desk can. */
	assert_int_equal(
	    officer_says(f, "+60130000000", "ACK %s " PIN, r.ref, now, reply, sizeof(reply)), 0);
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_ACKED);
}

/* "embassy": the roster is alerted (re-routed at once) and escalation runs
 * down it; the desk is not told after the choice. "both": everyone. */
static void
test_consent_embassy_and_both(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	int roster = 0, desk = 0;
	int64_t now = T0;

	f->cfg.reports.sos_default = CONFIG_TELL_NGO;
	sos(f, "+60123456789", "my", now, &r);
	run_for(f, &now, 0, &roster, &desk);
	assert_int_equal(desk, 1);
	assert_int_equal(
	    reports_worker_field(&f->x, "+60123456789", STORE_RF_NOTIFY, "embassy", now), 0);
	run_for(f, &now, 0, &roster, &desk);
	assert_int_equal(roster, 1); /* Ko Aung at once */
	/* Escalation: Ma Hla, U Tin, then reminders to the three of them. */
	run_for(f, &now, 3 * 60 * MIN, &roster, &desk);
	assert_int_equal(roster, 3 + 3 * f->cfg.reports.max_reminders);
	assert_int_equal(desk, 1);

	roster = desk = 0;
	sos(f, "+60199999999", "km", now, &r);
	assert_int_equal(reports_worker_field(&f->x, "+60199999999", STORE_RF_NOTIFY, "both", now),
	    0);
	run_for(f, &now, 60 * MIN, &roster, &desk);
	assert_int_equal(desk, 1 + f->cfg.reports.max_reminders);
}

/* sos_default "none": nobody until the worker chooses; the page can say so
 * (REACH_CHOICE). A roster offering only the NGO helpline: "embassy" reaches
 * nobody, "both" only the desk. With nothing configured: REACH_NOBODY. */
static void
test_consent_default_none_and_offer(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	int roster = 0, desk = 0;
	int64_t now = T0;

	f->cfg.reports.sos_default = 0;
	sos(f, "+60123456789", "my", now, &r);
	assert_int_equal(reports_reach(&f->cfg, &r), REPORTS_REACH_CHOICE);
	run_for(f, &now, 30 * MIN, &roster, &desk);
	assert_int_equal(roster + desk, 0);
	get(f, r.ref, &r);
	assert_int_equal(r.state, STORE_REPORT_NEW);
	assert_int_equal(reports_worker_field(&f->x, "+60123456789", STORE_RF_NOTIFY, "both", now),
	    0);
	run_for(f, &now, 0, &roster, &desk);
	assert_int_equal(roster, 1);

	/* MM offers the NGO helpline only. */
	f->cfg.rosters[0].offer = CONFIG_OFFER_NGO;
	assert_int_equal(reports_offered(&f->cfg, "MM"), CONFIG_TELL_NGO);
	assert_int_equal(reports_tell(&f->cfg, "MM", "embassy"), 0);
	assert_int_equal(reports_tell(&f->cfg, "MM", "both"), CONFIG_TELL_NGO);
	assert_int_equal(reports_tell(&f->cfg, "KH", "embassy"), CONFIG_TELL_EMBASSY);
	/* The consent question lists what is offered and can reach someone:
	 * MM only the NGO helpline; KH (no offer) all three; PH (no roster)
	 * only the NGO helpline; MM offering embassy and both, but without
	 * officers, nothing. */
	assert_int_equal(reports_choices(&f->cfg, "MM"), CONFIG_OFFER_NGO);
	assert_int_equal(reports_choices(&f->cfg, "KH"),
	    CONFIG_OFFER_NGO | CONFIG_OFFER_EMBASSY | CONFIG_OFFER_BOTH);
	assert_int_equal(reports_choices(&f->cfg, "PH"), CONFIG_OFFER_NGO);
	assert_int_equal(reports_choices(&f->cfg, ""), CONFIG_OFFER_NGO);
	{
		struct config_roster keep = f->cfg.rosters[0];

		f->cfg.rosters[0].offer = CONFIG_OFFER_EMBASSY | CONFIG_OFFER_BOTH;
		assert_int_equal(reports_choices(&f->cfg, "MM"),
		    CONFIG_OFFER_EMBASSY | CONFIG_OFFER_BOTH);
		f->cfg.rosters[0].nofficers = 0;
		assert_int_equal(reports_choices(&f->cfg, "MM"), 0);
		f->cfg.rosters[0] = keep;
	}
	roster = desk = 0;
	sos(f, "+60155555555", "my", now, &r);
	assert_int_equal(
	    reports_worker_field(&f->x, "+60155555555", STORE_RF_NOTIFY, "embassy", now), 0);
	get(f, r.ref, &r);
	assert_int_equal(reports_reach(&f->cfg, &r), REPORTS_REACH_NOBODY);
	/* The first report (MM, "both") is no longer the roster's either. */
	run_for(f, &now, 60 * MIN, &roster, &desk);
	assert_int_equal(roster, 0);

	/* No desk, no roster for PH: nobody, whatever the worker chooses. */
	f->cfg.ngo_desk.number[0] = '\0';
	memset(&r, 0, sizeof(r));
	memcpy(r.nationality, "PH", 3);
	assert_int_equal(reports_reach(&f->cfg, &r), REPORTS_REACH_NOBODY);
	memcpy(r.nationality, "KH", 3);
	assert_int_equal(reports_reach(&f->cfg, &r), REPORTS_REACH_CHOICE);
}

/* kawan-gateway -n: a nationality nobody can be alerted for is named. */
static void
test_consent_config_warn(void **state)
{
	struct fixture *f = *state;
	char *buf = NULL;
	size_t len = 0, n;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	f->cfg.ngo_desk.number[0] = '\0';
	f->cfg.reports.sos_default = 0;
	n = reports_config_warn(&f->cfg, f->content, out);
	fclose(out);
	assert_non_null(strstr(buf, "nationality PH (Philippines): nobody can be alerted"));
	assert_non_null(strstr(buf, "workers of unknown nationality: nobody"));
	assert_null(strstr(buf, "nationality MM"));
	assert_null(strstr(buf, "nationality KH"));
	assert_non_null(strstr(buf, "sos_default is \"none\""));
	assert_true(n >= 3);
	free(buf);
	/* With the desk, every nationality has someone. */
	buf = NULL;
	out = open_memstream(&buf, &len);
	officer(&f->cfg.ngo_desk, "NGO desk", "+60130000000");
	f->cfg.reports.sos_default = CONFIG_TELL_NGO;
	assert_int_equal(reports_config_warn(&f->cfg, f->content, out), 0);
	fclose(out);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_consent_ngo_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_embassy_and_both, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_reach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_default_none_and_offer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_consent_config_warn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_done_updates_officers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_from_alerted_and_double_ack, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_escalation_timing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alerts_go_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalation_waits_for_the_modem, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_escalation_after_failed_alert, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_roster_goes_to_ngo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nobody_to_alert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sos_dedupe_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_fields_and_reroute, setup, teardown),
		cmocka_unit_test_setup_teardown(test_officer_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_notice_discreet_and_opted_out, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wrong_pin_and_lockout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_on_every_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_escalates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_and_spaces_note_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alert_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_owner_and_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retention, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caller_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nationality_and_pin, setup, teardown),
	};
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	int rc;

	log_init("test_reports", LOG_LEVEL_ERROR);
	if (cd == NULL)
		return 1;
	snprintf(pin_hash, sizeof(pin_hash), "%s", crypt_r(PIN, "$6$kawantest$", cd));
	free(cd);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	return rc;
}
