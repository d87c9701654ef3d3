/* test_store.c - the SQLite store: pragmas, migrations, queue ordering and
 * transitions, the one-reply invariant, transactions, and damaged files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

/* The schema version this gateway creates (store.c migrations). */
#define SCHEMA_VERSION 17

/* Back to version 16: no try in doubt (issue 11). */
#define V17_UNDO                                                                                   \
	"ALTER TABLE outbound DROP COLUMN doubt_ms; ALTER TABLE outbound DROP COLUMN doubt_ref;"   \
	"ALTER TABLE outbound DROP COLUMN doubt_parts;"
/* Back to version 15: no fair-queue indexes (issue 11). */
#define V16_UNDO                                                                                   \
	V17_UNDO "DROP INDEX outbound_queued_dest; DROP INDEX outbound_sent_dest;"                 \
		 "DROP INDEX outbound_dest_created; ALTER TABLE outbound DROP COLUMN held;"
/* Back to version 14: no lock count, no status_miss (issue 11). */
#define V15_UNDO V16_UNDO "DROP TABLE status_miss; ALTER TABLE officer_pin DROP COLUMN locks;"
/* Back to version 13: no modem_health table (health, issue 10). */
#define V14_UNDO V15_UNDO "DROP TABLE modem_health;"
/* Back to version 12: no parts per sent row (quotas); the ladder's
 * modem_sim columns go with the table below. */
#define V13_UNDO V14_UNDO "DROP INDEX outbound_sent_modem; ALTER TABLE outbound DROP COLUMN parts;"
/* Back to version 11: no modem_sim table (the pool, issue 10). */
#define V12_UNDO V13_UNDO "DROP TABLE modem_sim;"
/* Back to version 10: no call index, no delivery columns. */
#define V11_UNDO                                                                                   \
	V12_UNDO "DROP INDEX inbound_sender; DROP INDEX outbound_dlr;"                             \
		 "ALTER TABLE outbound DROP COLUMN dlr; ALTER TABLE outbound DROP COLUMN dlr_ms;"  \
		 "ALTER TABLE outbound DROP COLUMN dlr_status;"
/* Back to version 9: the variant flags had their Zawgyi names. */
#define V10_UNDO                                                                                   \
	V11_UNDO "ALTER TABLE session RENAME COLUMN variant TO zawgyi;"                            \
		 "ALTER TABLE prefs RENAME COLUMN variant TO zawgyi;"                              \
		 "ALTER TABLE ussd_session RENAME COLUMN start_variant TO start_zawgyi;"
/* SQL that takes a version 10 database back to version 6's shape. */
#define V7_UNDO                                                                                    \
	V10_UNDO "ALTER TABLE report DROP COLUMN notify;"                                          \
		 "DROP TABLE ussd_session;"                                                        \
		 "DROP TABLE fragment; DROP INDEX outbound_modem_due;"                             \
		 "ALTER TABLE inbound DROP COLUMN modem; ALTER TABLE outbound DROP COLUMN modem;"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "store/store.h"

#include "store_fixture.h"

static void
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int64_t
add_in(struct store *st, const char *key, const char *text)
{
	int64_t id = 0;

	assert_int_equal(
	    store_inbound_add(st, "sms", "+60123456789", text, 1000, 2000, 0, key, &id), 0);
	assert_true(id > 0);
	return id;
}

static int64_t
add_out(struct store *st, int64_t inbound_id, int64_t now)
{
	int64_t id = 0;

	assert_int_equal(
	    store_outbound_add(st, "sms", "+60123456789", "reply", -1, inbound_id, now, &id), 0);
	assert_true(id > 0);
	return id;
}

/* The store hides its connection; an auto-extension hands the test each
 * new connection's handle so per-connection pragmas can be checked. */
static sqlite3 *captured_db;

static int
capture_db(sqlite3 *db, char **errmsg, const void *api)
{
	(void)errmsg;
	(void)api;
	captured_db = db;
	return SQLITE_OK;
}

static int64_t
conn_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void
test_open_pragmas(void **state)
{
	struct sfx_db *f = *state;

	store_close(f->st);
	f->st = NULL;
	captured_db = NULL;
	assert_int_equal(sqlite3_auto_extension((void (*)(void))capture_db), SQLITE_OK);
	assert_int_equal(store_open(f->path, &f->st), 0);
	sqlite3_reset_auto_extension();
	assert_non_null(captured_db);

	assert_int_equal(store_schema_version(f->st), SCHEMA_VERSION);
	assert_int_equal(conn_int(captured_db, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(conn_int(captured_db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(conn_int(captured_db, "PRAGMA busy_timeout"), 5000);
	assert_int_equal(
	    conn_int(captured_db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	/* WAL is recorded in the file: a second connection (the CLI) sees it too. */
	assert_int_equal(sfx_int(f->path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
	    1);
	assert_int_equal(sfx_int(f->path, "PRAGMA user_version"), SCHEMA_VERSION);
}

static void
test_migrations_idempotent(void **state)
{
	struct sfx_db *f = *state;

	add_in(f->st, "k1", "hello");
	sfx_reopen(f);
	assert_int_equal(store_schema_version(f->st), SCHEMA_VERSION);
	sfx_reopen(f);
	assert_int_equal(store_schema_version(f->st), SCHEMA_VERSION);
	assert_int_equal(sfx_int(f->path, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM inbound"), 1);
	assert_int_equal(
	    sfx_int(f->path,
		"SELECT count(*) FROM sqlite_master WHERE name = 'outbound_one_reply'"),
	    1);
}

static void
test_newer_version_refused(void **state)
{
	struct sfx_db *f = *state;
	struct store *st2 = NULL;

	store_close(f->st);
	f->st = NULL;
	raw_exec(f->path, "PRAGMA user_version = 99");
	assert_int_equal(store_open(f->path, &st2), -1);
	assert_null(st2);
	/* The file is left as it was. */
	assert_int_equal(sfx_int(f->path, "PRAGMA user_version"), 99);
	raw_exec(f->path, "PRAGMA user_version = 17"); /* SCHEMA_VERSION */
	sfx_reopen(f);
}

static void
test_inbound_dedupe_order(void **state)
{
	struct sfx_db *f = *state;
	struct store_inbound in;
	int64_t a, b, c, dup = 0;

	a = add_in(f->st, "key-a", "first");
	b = add_in(f->st, "key-b", "second");
	assert_true(b > a);
	assert_int_equal(
	    store_inbound_add(f->st, "sms", "+6011", "other text", 0, 3000, 0, "key-a", &dup), 1);
	assert_int_equal(dup, a);
	/* NULL id_out is allowed. */
	assert_int_equal(store_inbound_add(f->st, "sms", "+6011", "x", 0, 3000, 0, "key-b", NULL),
	    1);
	c = add_in(f->st, "key-c", "third");

	assert_int_equal(store_inbound_next_new(f->st, &in), 0);
	assert_int_equal(in.id, a);
	assert_string_equal(in.text, "first");
	assert_string_equal(in.channel, "sms");
	assert_string_equal(in.sender, "+60123456789");
	assert_int_equal(in.sent_at_ms, 1000);
	assert_int_equal(in.received_at_ms, 2000);
	store_inbound_clear(&in);
	assert_null(in.text);

	assert_int_equal(store_inbound_mark_done(f->st, b), 0);
	assert_int_equal(store_inbound_next_new(f->st, &in), 0);
	assert_int_equal(in.id, a); /* still oldest new */
	store_inbound_clear(&in);
	assert_int_equal(store_inbound_mark_done(f->st, a), 0);
	assert_int_equal(store_inbound_mark_done(f->st, a), 0); /* idempotent */
	assert_int_equal(store_inbound_next_new(f->st, &in), 0);
	assert_int_equal(in.id, c);
	store_inbound_clear(&in);
	assert_int_equal(store_inbound_mark_done(f->st, c), 0);
	assert_int_equal(store_inbound_next_new(f->st, &in), 1);
	assert_int_equal(store_inbound_mark_done(f->st, 12345), -1);
}

static void
test_inbound_flags_and_unknown_time(void **state)
{
	struct sfx_db *f = *state;
	struct store_inbound in;
	int64_t id;

	assert_int_equal(store_inbound_add(f->st, "ussd", "+6598765432", "", 0, 5,
			     STORE_IN_TRUNCATED | STORE_IN_PARTIAL, "k", &id),
	    0);
	assert_int_equal(store_inbound_next_new(f->st, &in), 0);
	assert_int_equal(in.sent_at_ms, 0);
	assert_int_equal(in.flags, STORE_IN_TRUNCATED | STORE_IN_PARTIAL);
	assert_string_equal(in.text, "");
	store_inbound_clear(&in);
}

static void
test_bad_arguments(void **state)
{
	struct sfx_db *f = *state;
	char longkey[STORE_KEY_MAX + 1];
	int64_t id;

	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	assert_int_equal(store_inbound_add(f->st, "sms", "+60", "t", 0, 1, 0, longkey, &id), -1);
	assert_int_equal(store_inbound_add(f->st, "sms", "", "t", 0, 1, 0, "k", &id), -1);
	assert_int_equal(store_inbound_add(f->st, "sms", "+60", NULL, 0, 1, 0, "k", &id), -1);
	assert_int_equal(
	    store_inbound_add(f->st, "a-very-long-channel-name", "+60", "t", 0, 1, 0, "k", &id),
	    -1);
	assert_int_equal(store_outbound_add(f->st, "sms", "", "t", -1, 0, 1, &id), -1);
	/* A reply to an inbound row that does not exist breaks the foreign key. */
	assert_int_equal(store_outbound_add(f->st, "sms", "+60", "t", -1, 999, 1, &id), -1);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM inbound"), 0);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM outbound"), 0);
}

static void
test_outbound_order(void **state)
{
	struct sfx_db *f = *state;
	struct store_outbound out;
	int64_t a, b, c, d, when;

	assert_int_equal(store_outbound_next_due_at(f->st, NULL, NULL, &when), 1);
	assert_int_equal(store_outbound_next_due(f->st, 1000000, &out), 1);
	a = add_out(f->st, 0, 300);
	b = add_out(f->st, 0, 100);
	c = add_out(f->st, 0, 100);
	d = add_out(f->st, 0, 200);
	assert_int_equal(store_outbound_next_due_at(f->st, NULL, NULL, &when), 0);
	assert_int_equal(when, 100);
	assert_int_equal(store_outbound_next_due(f->st, 99, &out), 1);

	assert_int_equal(store_outbound_next_due(f->st, 1000, &out), 0);
	assert_int_equal(out.id, b); /* earliest time, lowest id */
	assert_int_equal(out.attempts, 0);
	assert_int_equal(out.msg_class, -1);
	assert_int_equal(out.inbound_id, 0);
	assert_int_equal(out.next_attempt_ms, 100);
	assert_string_equal(out.text, "reply");
	assert_string_equal(out.dest, "+60123456789");
	store_outbound_clear(&out);
	assert_int_equal(store_outbound_mark_sent(f->st, b, 150, 42), 0);

	assert_int_equal(store_outbound_next_due(f->st, 1000, &out), 0);
	assert_int_equal(out.id, c);
	store_outbound_clear(&out);
	assert_int_equal(store_outbound_mark_sent(f->st, c, 150, 43), 0);

	assert_int_equal(store_outbound_next_due(f->st, 250, &out), 0);
	assert_int_equal(out.id, d);
	store_outbound_clear(&out);
	assert_int_equal(store_outbound_mark_sent(f->st, d, 250, 44), 0);
	assert_int_equal(store_outbound_next_due(f->st, 250, &out), 1);
	assert_int_equal(store_outbound_next_due_at(f->st, NULL, NULL, &when), 0);
	assert_int_equal(when, 300);
	assert_int_equal(store_outbound_next_due(f->st, 300, &out), 0);
	assert_int_equal(out.id, a);
	store_outbound_clear(&out);
}

static int64_t
add_urgent(struct store *st, int64_t now)
{
	int64_t id = 0;

	assert_int_equal(
	    store_outbound_add_urgent(st, "sms", "+60110000001", "alert", -1, 0, now, &id), 0);
	assert_true(id > 0);
	return id;
}

/* Pops the next due row at now and marks it sent; returns its id (0 none). */
static int64_t
pop_due(struct store *st, int64_t now)
{
	struct store_outbound out;
	int64_t id;
	int rc = store_outbound_next_due(st, now, &out);

	if (rc == 1)
		return 0;
	assert_int_equal(rc, 0);
	id = out.id;
	store_outbound_clear(&out);
	assert_int_equal(store_outbound_mark_sent(st, id, now, 1), 0);
	return id;
}

/* Urgent rows (officer alerts) go out before older normal ones that are
 * due, but never before they are due themselves. */
static void
test_outbound_priority(void **state)
{
	struct sfx_db *f = *state;
	int64_t a, b, u1, u2, later, when;

	a = add_out(f->st, 0, 100);
	b = add_out(f->st, 0, 200);
	u1 = add_urgent(f->st, 300);
	u2 = add_urgent(f->st, 250);
	later = add_urgent(f->st, 5000);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM outbound WHERE priority = 1"), 3);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM outbound WHERE priority = 0"), 2);
	assert_int_equal(store_outbound_next_due_at(f->st, NULL, NULL, &when), 0);
	assert_int_equal(when, 100);
	/* Only the normal rows due at 200: oldest first. */
	assert_int_equal(pop_due(f->st, 200), a);
	/* At 1000 the urgent ones jump b, soonest due first. */
	assert_int_equal(pop_due(f->st, 1000), u2);
	assert_int_equal(pop_due(f->st, 1000), u1);
	assert_int_equal(pop_due(f->st, 1000), b);
	assert_int_equal(pop_due(f->st, 1000), 0);
	assert_int_equal(pop_due(f->st, 5000), later);
	/* A retried urgent row waits for its time, then still goes first. */
	u1 = add_urgent(f->st, 6000);
	a = add_out(f->st, 0, 6000);
	assert_int_equal(store_outbound_mark_retry(f->st, u1, 9000, "+CMS ERROR: 500"), 0);
	assert_int_equal(pop_due(f->st, 7000), a);
	b = add_out(f->st, 0, 7000);
	assert_int_equal(pop_due(f->st, 9000), u1);
	assert_int_equal(pop_due(f->st, 9000), b);
	/* The due query can use the priority index. */
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
					  " AND name = 'outbound_due_priority'"),
	    1);
}

/* store_outbound_sent_at: where a row stands and when the modem took it. */
static void
test_outbound_sent_at(void **state)
{
	struct sfx_db *f = *state;
	int64_t a, b, sent = -1;

	a = add_urgent(f->st, 100);
	b = add_out(f->st, 0, 100);
	assert_int_equal(store_outbound_sent_at(f->st, a, &sent), 1);
	assert_int_equal(sent, -1); /* untouched while queued */
	assert_int_equal(store_outbound_mark_retry(f->st, a, 500, "x"), 0);
	assert_int_equal(store_outbound_sent_at(f->st, a, &sent), 1);
	assert_int_equal(store_outbound_mark_sent(f->st, a, 1234, 9), 0);
	assert_int_equal(store_outbound_sent_at(f->st, a, &sent), 0);
	assert_int_equal(sent, 1234);
	assert_int_equal(store_outbound_mark_failed(f->st, b, "gave up"), 0);
	assert_int_equal(store_outbound_sent_at(f->st, b, &sent), 2);
	assert_int_equal(store_outbound_sent_at(f->st, 424242, &sent), -1);
	/* Retention blanks the text, not the state or the time. */
	assert_int_equal(store_erase_messages_before(f->st, 5000), 2);
	assert_int_equal(store_outbound_sent_at(f->st, a, &sent), 0);
	assert_int_equal(sent, 1234);
}

/* A version 5 database (queued rows, a report) migrates to 6: old rows
 * are normal priority and keep their order, reports have no last alert. */
static void
test_migrate_from_v5(void **state)
{
	struct sfx_db *f = *state;
	struct store_report r;
	int64_t a, u;

	a = add_out(f->st, 0, 100);
	assert_int_equal(store_report_create(f->st, "+601", "my", "MM", 100, &r), 0);
	store_close(f->st);
	f->st = NULL;
	/* Back to what version 5 created. */
	raw_exec(f->path, V7_UNDO "DROP INDEX outbound_due_priority;"
				  "ALTER TABLE outbound DROP COLUMN priority;"
				  "ALTER TABLE report DROP COLUMN last_alert_out_id;"
				  "PRAGMA user_version = 5;");
	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), SCHEMA_VERSION);
	assert_int_equal(sfx_int(f->path, "SELECT priority FROM outbound"), 0);
	assert_int_equal(store_report_get(f->st, r.ref, &r), 0);
	assert_int_equal(r.last_alert_out_id, 0);
	u = add_urgent(f->st, 200);
	assert_int_equal(pop_due(f->st, 300), u);
	assert_int_equal(pop_due(f->st, 300), a);
}

/* A version 6 database: one modem, its staged parts in outbound_part. */
static void
test_migrate_from_v6(void **state)
{
	struct sfx_db *f = *state;
	struct store_slot slot = { 2, 7 };
	struct store_outbound out;
	int64_t staged, plain;
	bool used;

	staged = add_out(f->st, 0, 100);
	plain = add_out(f->st, 0, 100);
	assert_int_equal(store_outbound_stage(f->st, staged, &slot, 1), 0);
	store_close(f->st);
	f->st = NULL;
	raw_exec(f->path, V7_UNDO "PRAGMA user_version = 6;");
	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), SCHEMA_VERSION);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM outbound WHERE modem = ''"), 2);
	/* The daemon gives staged rows to the modem the old version drove. */
	assert_int_equal(store_outbound_adopt_staged(f->st, "modem1"), 0);
	assert_int_equal(store_slot_in_use(f->st, "modem1", 2, 7, &used), 0);
	assert_true(used);
	assert_int_equal(store_slot_in_use(f->st, "modem2", 2, 7, &used), 0);
	assert_false(used);
	/* Another modem never takes the staged row; the plain one is anyone's. */
	assert_int_equal(store_outbound_take(f->st, "sms", "modem2", 200, &out), 0);
	assert_int_equal(out.id, plain);
	assert_string_equal(out.modem, "modem2");
	store_outbound_clear(&out);
	assert_int_equal(store_outbound_mark_sent(f->st, plain, 200, 1), 0);
	assert_int_equal(store_outbound_take(f->st, "sms", "modem2", 200, &out), 1);
	assert_int_equal(store_outbound_take(f->st, "sms", "modem1", 200, &out), 0);
	assert_int_equal(out.id, staged);
	store_outbound_clear(&out);
}

/* A version 9 database: a number that reads Burmese in Zawgyi keeps its
 * flag, now the variant flag. */
static void
test_migrate_from_v9(void **state)
{
	struct sfx_db *f = *state;
	struct store_prefs p, q;

	memset(&p, 0, sizeof(p));
	memcpy(p.lang, "my", 3);
	p.variant = 1;
	assert_int_equal(store_prefs_put(f->st, "+60123", &p, 100), 0);
	memcpy(p.lang, "vi", 3);
	p.variant = 0;
	assert_int_equal(store_prefs_put(f->st, "+60124", &p, 100), 0);
	store_close(f->st);
	f->st = NULL;
	raw_exec(f->path, V10_UNDO "PRAGMA user_version = 9;");
	assert_int_equal(sfx_int(f->path, "SELECT zawgyi FROM prefs WHERE msisdn = '+60123'"), 1);
	assert_int_equal(store_open(f->path, &f->st), 0);
	assert_int_equal(store_schema_version(f->st), SCHEMA_VERSION);
	assert_int_equal(store_prefs_get(f->st, "+60123", &q), 0);
	assert_string_equal(q.lang, "my");
	assert_int_equal(q.variant, 1);
	assert_int_equal(store_prefs_get(f->st, "+60124", &q), 0);
	assert_int_equal(q.variant, 0);
}

/* Replies leave through their modem; rows for any modem are claimed once. */
static void
test_outbound_take_per_modem(void **state)
{
	struct sfx_db *f = *state;
	struct store_outbound out;
	int64_t r1, r2, alert, when;

	assert_int_equal(store_outbound_reply(f->st, "sms", "m1", "+601", "to m1", -1, 0, 100, &r1),
	    0);
	assert_int_equal(store_outbound_reply(f->st, "sms", "m2", "+602", "to m2", -1, 0, 50, &r2),
	    0);
	alert = add_urgent(f->st, 300);
	assert_int_equal(store_outbound_reply(f->st, "ussd", "", "+603", "ussd", -1, 0, 10, NULL),
	    0);
	assert_int_equal(store_outbound_next_due_at(f->st, "sms", "m1", &when), 0);
	assert_int_equal(when, 100);
	assert_int_equal(store_outbound_next_due_at(f->st, "sms", "m2", &when), 0);
	assert_int_equal(when, 50);
	/* m1: the urgent alert first (claimed for m1), then its own reply. */
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 1000, &out), 0);
	assert_int_equal(out.id, alert);
	assert_int_equal(out.priority, STORE_PRIORITY_URGENT);
	store_outbound_clear(&out);
	assert_int_equal(store_outbound_take(f->st, "sms", "m2", 1000, &out), 0);
	assert_int_equal(out.id, r2); /* the alert is m1's now, even while still queued */
	assert_string_equal(out.modem, "m2");
	store_outbound_clear(&out);
	assert_int_equal(store_outbound_mark_sent(f->st, r2, 1000, 1), 0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m2", 1000, &out), 1);
	assert_int_equal(store_outbound_mark_sent(f->st, alert, 1000, 2), 0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 1000, &out), 0);
	assert_int_equal(out.id, r1);
	store_outbound_clear(&out);
	/* Deferred: rescheduled, no attempt counted. */
	assert_int_equal(store_outbound_defer(f->st, r1, 5000, "modem storage full"), 0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 4999, &out), 1);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 5000, &out), 0);
	assert_int_equal(out.attempts, 0);
	store_outbound_clear(&out);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM outbound WHERE channel = 'ussd'"
					  " AND state = 'queued'"),
	    1);
}

static void
test_fragments(void **state)
{
	struct sfx_db *f = *state;
	struct store_fragment a = { .modem = "m1",
		.sender = "+601",
		.ref = 7,
		.total = 3,
		.seq = 2,
		.text = "two",
		.sent_at_ms = 10,
		.location = 4,
		.received_at_ms = 100 };
	struct store_fragment b = a, c = a, *g = NULL, old;
	size_t n = 0;
	int64_t in;

	b.seq = 1;
	b.text = "one";
	b.received_at_ms = 200;
	c.sender[3] = '2'; /* "+602": another message */
	assert_int_equal(store_fragment_add(f->st, &a, "ka"), 0);
	assert_int_equal(store_fragment_add(f->st, &a, "ka"), 1); /* read again */
	assert_int_equal(store_fragment_add(f->st, &b, "kb"), 0);
	assert_int_equal(store_fragment_add(f->st, &c, "kc"), 0);
	assert_int_equal(store_fragment_group(f->st, &a, &g, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(g[0].seq, 1);
	assert_string_equal(g[0].text, "one");
	assert_int_equal(g[1].seq, 2);
	assert_string_equal(g[1].modem, "m1");
	assert_int_equal(g[1].location, 4);
	assert_int_equal(store_fragment_oldest(f->st, 150, &old), 0);
	assert_int_equal(old.seq, 2);
	store_fragment_clear(&old);
	in = add_in(f->st, "joined", "onetwo");
	assert_int_equal(store_fragment_joined(f->st, g[0].id, in), 0);
	assert_int_equal(store_fragment_joined(f->st, g[1].id, in), 0);
	store_fragments_free(g, n);
	assert_int_equal(store_fragment_group(f->st, &a, &g, &n), 0);
	assert_int_equal(n, 0);
	/* A joined part read again is still known. */
	assert_int_equal(store_fragment_add(f->st, &a, "ka"), 1);
	assert_int_equal(store_fragment_oldest(f->st, 150, &old), 0);
	assert_string_equal(old.sender, "+602");
	store_fragment_clear(&old);
	assert_int_equal(store_fragment_oldest(f->st, 50, &old), 1);
	/* Retention drops joined fragments with the rest. */
	assert_true(store_erase_messages_before(f->st, 1000) >= 2);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM fragment"), 1);
}

static void
test_outbound_transitions(void **state)
{
	struct sfx_db *f = *state;
	struct store_outbound out;
	struct store_stats s;
	int64_t in, id, id2, when;

	in = add_in(f->st, "k", "help");
	id = add_out(f->st, in, 1000);
	assert_int_equal(store_outbound_mark_retry(f->st, id, 6000, "+CMS ERROR: 500"), 0);
	assert_int_equal(store_outbound_next_due(f->st, 5999, &out), 1);
	assert_int_equal(store_outbound_next_due_at(f->st, NULL, NULL, &when), 0);
	assert_int_equal(when, 6000);
	assert_int_equal(store_outbound_next_due(f->st, 6000, &out), 0);
	assert_int_equal(out.id, id);
	assert_int_equal(out.attempts, 1);
	assert_int_equal(out.inbound_id, in);
	store_outbound_clear(&out);
	assert_int_equal(store_outbound_mark_retry(f->st, id, 16000, "timeout"), 0);
	assert_int_equal(store_outbound_mark_sent(f->st, id, 16500, 7), 0);
	assert_int_equal(sfx_int(f->path, "SELECT attempts FROM outbound"), 3);
	assert_int_equal(sfx_int(f->path, "SELECT msg_ref FROM outbound"), 7);
	assert_int_equal(sfx_int(f->path, "SELECT last_error IS NULL FROM outbound"), 1);
	/* A sent row cannot be sent, retried or failed again. */
	assert_int_equal(store_outbound_mark_sent(f->st, id, 17000, 8), -1);
	assert_int_equal(store_outbound_mark_retry(f->st, id, 17000, "x"), -1);
	assert_int_equal(store_outbound_mark_failed(f->st, id, "x"), -1);
	assert_int_equal(store_outbound_next_due_at(f->st, NULL, NULL, &when), 1);

	id2 = add_out(f->st, 0, 1000);
	assert_int_equal(store_outbound_mark_failed(f->st, id2, "gave up"), 0);
	assert_int_equal(store_outbound_mark_retry(f->st, id2, 5000, "x"), -1);
	assert_int_equal(sfx_int(f->path, "SELECT attempts FROM outbound WHERE state = 'failed'"),
	    1);
	assert_int_equal(store_outbound_mark_sent(f->st, 9999, 1, 1), -1);

	assert_int_equal(store_stats(f->st, &s), 0);
	assert_int_equal(s.inbound_total, 1);
	assert_int_equal(s.inbound_new, 1);
	assert_int_equal(s.outbound_queued, 0);
	assert_int_equal(s.outbound_sent, 1);
	assert_int_equal(s.outbound_failed, 1);
}

static void
test_one_reply_per_inbound(void **state)
{
	struct sfx_db *f = *state;
	struct store_stats s;
	int64_t in, in2, id;

	in = add_in(f->st, "k1", "help");
	in2 = add_in(f->st, "k2", "help again");
	add_out(f->st, in, 1000);
	assert_int_equal(store_outbound_add(f->st, "sms", "+60", "second", -1, in, 2000, &id), -1);
	/* Even after the first one was sent or failed. */
	assert_int_equal(store_outbound_mark_failed(f->st, 1, "x"), 0);
	assert_int_equal(store_outbound_add(f->st, "sms", "+60", "third", -1, in, 3000, &id), -1);
	/* Other inbound rows and unrelated messages are not affected. */
	add_out(f->st, in2, 1000);
	add_out(f->st, 0, 1000);
	add_out(f->st, 0, 1000);
	assert_int_equal(store_stats(f->st, &s), 0);
	assert_int_equal(s.outbound_queued, 3);
	assert_int_equal(s.outbound_failed, 1);
}

static void
test_transaction_rollback(void **state)
{
	struct sfx_db *f = *state;
	struct store_stats s;
	struct store_inbound in;
	int64_t id;

	assert_int_equal(store_begin(f->st), 0);
	id = add_in(f->st, "k1", "help");
	add_out(f->st, id, 1000);
	assert_int_equal(store_inbound_mark_done(f->st, id), 0);
	store_rollback(f->st);
	assert_int_equal(store_stats(f->st, &s), 0);
	assert_int_equal(s.inbound_total, 0);
	assert_int_equal(s.outbound_queued, 0);
	store_rollback(f->st); /* harmless outside a transaction */

	/* Commit keeps everything; a nested begin is refused. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_begin(f->st), -1);
	id = add_in(f->st, "k1", "help");
	add_out(f->st, id, 1000);
	assert_int_equal(store_inbound_mark_done(f->st, id), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_commit(f->st), -1);
	assert_int_equal(store_stats(f->st, &s), 0);
	assert_int_equal(s.inbound_total, 1);
	assert_int_equal(s.inbound_new, 0);
	assert_int_equal(s.outbound_queued, 1);
	assert_int_equal(store_inbound_next_new(f->st, &in), 1);
}

static void
test_survives_reopen(void **state)
{
	struct sfx_db *f = *state;
	struct store_inbound in;
	struct store_outbound out;
	int64_t a, o;

	a = add_in(f->st, "k1", "help");
	o = add_out(f->st, a, 500);
	assert_int_equal(store_outbound_mark_retry(f->st, o, 800, "busy"), 0);
	sfx_reopen(f);
	assert_int_equal(store_inbound_next_new(f->st, &in), 0);
	assert_int_equal(in.id, a);
	store_inbound_clear(&in);
	assert_int_equal(store_outbound_next_due(f->st, 1000, &out), 0);
	assert_int_equal(out.id, o);
	assert_int_equal(out.attempts, 1);
	assert_int_equal(out.next_attempt_ms, 800);
	store_outbound_clear(&out);
	/* The one-reply rule holds across restarts too. */
	assert_int_equal(store_outbound_add(f->st, "sms", "+60", "again", -1, a, 900, &o), -1);
	/* And dedupe. */
	assert_int_equal(store_inbound_add(f->st, "sms", "+60", "help", 0, 1, 0, "k1", &o), 1);
	assert_int_equal(o, a);
}

static void
test_utf8_and_quotes(void **state)
{
	struct sfx_db *f = *state;
	static const char *texts[] = {
		"it's \"quoted\"; DROP TABLE inbound; --",
		"\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0\xb8\xb5 ช่วยด้วย",
		"မင်္ဂလာပါ ကူညီပါ",
		"Tolong! 救命 உதவி \xf0\x9f\x86\x98",
	};
	struct store_inbound in;
	struct store_outbound out;
	char key[32];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		int64_t id;

		snprintf(key, sizeof(key), "k'%zu\"", i);
		assert_int_equal(
		    store_inbound_add(f->st, "sms", "KAWAN'X", texts[i], 0, 1, 0, key, &id), 0);
		assert_int_equal(
		    store_outbound_add(f->st, "sms", "+60'1", texts[i], 0, id, 10, NULL), 0);
	}
	sfx_reopen(f);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_int_equal(store_inbound_next_new(f->st, &in), 0);
		assert_string_equal(in.text, texts[i]);
		assert_string_equal(in.sender, "KAWAN'X");
		assert_true(util_utf8_valid(in.text, strlen(in.text)));
		assert_int_equal(store_inbound_mark_done(f->st, in.id), 0);
		store_inbound_clear(&in);
		assert_int_equal(store_outbound_next_due(f->st, 10, &out), 0);
		assert_string_equal(out.text, texts[i]);
		assert_string_equal(out.dest, "+60'1");
		assert_int_equal(out.msg_class, 0);
		assert_int_equal(store_outbound_mark_sent(f->st, out.id, 11, 1), 0);
		store_outbound_clear(&out);
	}
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM inbound"), 4);
}

static void
test_corrupt_file(void **state)
{
	struct sfx_db *f = *state;
	char path[160];
	char junk[8192];
	struct store *st = (struct store *)1;
	int fd;

	snprintf(path, sizeof(path), "%s/garbage.db", f->dir);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 3);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	close(fd);
	assert_int_equal(store_open(path, &st), -1);
	assert_null(st);
	sfx_remove_db_files(path);

	/* A text file that happens to be short. */
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello, world\n", 13), 13);
	close(fd);
	assert_int_equal(store_open(path, &st), -1);
	sfx_remove_db_files(path);
}

static void
test_bad_paths(void **state)
{
	struct sfx_db *f = *state;
	struct store *st = NULL;
	char path[160];

	snprintf(path, sizeof(path), "%s/no/such/dir/kawan.db", f->dir);
	assert_int_equal(store_open(path, &st), -1);
	assert_null(st);
	/* A directory is not a database. */
	assert_int_equal(store_open(f->dir, &st), -1);
	assert_int_equal(store_open("", &st), -1);
}

/* SQLite error injection: the schema is broken under a running store (as a
 * careless admin might), and every call reports -1 instead of crashing. */
static void
test_sqlite_errors(void **state)
{
	struct sfx_db *f = *state;
	struct store_outbound out;
	struct store_inbound in;
	struct store_stats s;
	int64_t id, when;

	raw_exec(f->path, "DROP TABLE outbound; DROP TABLE inbound;");
	assert_int_equal(store_inbound_add(f->st, "sms", "+60", "t", 0, 1, 0, "k", &id), -1);
	assert_int_equal(store_inbound_next_new(f->st, &in), -1);
	assert_null(in.text);
	assert_int_equal(store_inbound_mark_done(f->st, 1), -1);
	assert_int_equal(store_outbound_add(f->st, "sms", "+60", "t", -1, 0, 1, &id), -1);
	assert_int_equal(store_outbound_next_due(f->st, 1, &out), -1);
	assert_int_equal(store_outbound_next_due_at(f->st, NULL, NULL, &when), -1);
	assert_int_equal(store_outbound_mark_sent(f->st, 1, 1, 1), -1);
	assert_int_equal(store_outbound_mark_retry(f->st, 1, 1, "x"), -1);
	assert_int_equal(store_outbound_mark_failed(f->st, 1, "x"), -1);
	assert_int_equal(store_stats(f->st, &s), -1);
	assert_non_null(store_errmsg(f->st));
	/* Reopening with user_version 1 but no tables is refused at prepare. */
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(f->path, &f->st), -1);
	sfx_remove_db_files(f->path);
	assert_int_equal(store_open(f->path, &f->st), 0);
}

/* kill -9 after commit: every committed row is there on restart, and an
 * uncommitted transaction leaves nothing behind. */
static void
test_crash_after_commit(void **state)
{
	struct sfx_db *f = *state;
	struct store_stats s;
	struct store_inbound in;
	int status;
	pid_t pid;

	store_close(f->st);
	f->st = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *st;
		char key[32];
		int64_t id;

		if (store_open(f->path, &st) != 0)
			_exit(2);
		for (int i = 0; i < 50; i++) {
			snprintf(key, sizeof(key), "crash-%d", i);
			if (store_inbound_add(st, "sms", "+60", "help", 0, i, 0, key, &id) != 0)
				_exit(3);
		}
		if (store_begin(st) != 0 ||
		    store_outbound_add(st, "sms", "+60", "reply", -1, 1, 5, NULL) != 0 ||
		    store_inbound_mark_done(st, 1) != 0 || store_commit(st) != 0)
			_exit(4);
		/* Left open at the kill: must vanish. */
		if (store_begin(st) != 0 ||
		    store_outbound_add(st, "sms", "+60", "reply", -1, 2, 5, NULL) != 0 ||
		    store_inbound_mark_done(st, 2) != 0)
			_exit(5);
		raise(SIGKILL);
		_exit(6);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	sfx_reopen(f);
	assert_int_equal(store_stats(f->st, &s), 0);
	assert_int_equal(s.inbound_total, 50);
	assert_int_equal(s.inbound_new, 49);
	assert_int_equal(s.outbound_queued, 1);
	assert_int_equal(store_inbound_next_new(f->st, &in), 0);
	assert_int_equal(in.id, 2); /* pending work resumes where it stopped */
	store_inbound_clear(&in);
}

/* Staged parts: recorded per message, found by slot while queued only. */
static void
test_staged_parts(void **state)
{
	struct sfx_db *f = *state;
	struct store_slot slots[2] = { { 2, 7 }, { 2, 8 } }, got[STORE_MAX_PARTS];
	size_t n = 99;
	int64_t id;
	bool used;

	assert_int_equal(store_outbound_add(f->st, "sms", "+60123", "hi", -1, 0, 1000, &id), 0);
	assert_int_equal(store_outbound_staged(f->st, id, got, STORE_MAX_PARTS, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_outbound_stage(f->st, id, slots, 2), 0);
	assert_int_equal(store_outbound_staged(f->st, id, got, STORE_MAX_PARTS, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(got[1].folder, 2);
	assert_int_equal(got[1].location, 8);
	assert_int_equal(store_slot_in_use(f->st, "", 2, 7, &used), 0);
	assert_true(used);
	assert_int_equal(store_slot_in_use(f->st, "", 2, 9, &used), 0);
	assert_false(used);
	/* Staging again replaces, never duplicates. */
	assert_int_equal(store_outbound_stage(f->st, id, slots, 1), 0);
	assert_int_equal(store_outbound_staged(f->st, id, got, STORE_MAX_PARTS, &n), 0);
	assert_int_equal(n, 1);
	/* Too many parts, or none, are refused. */
	assert_int_equal(store_outbound_stage(f->st, id, slots, 0), -1);
	/* Once sent, its slots are no longer in use (the SIM copies may go). */
	assert_int_equal(store_outbound_mark_sent(f->st, id, 2000, 5), 0);
	assert_int_equal(store_slot_in_use(f->st, "", 2, 7, &used), 0);
	assert_false(used);
	assert_int_equal(store_outbound_unstage(f->st, id), 0);
	assert_int_equal(store_outbound_staged(f->st, id, got, STORE_MAX_PARTS, &n), 0);
	assert_int_equal(n, 0);
}

/* Sessions per channel and number; prefs per number; both survive reopen. */
static void
test_sessions_and_prefs(void **state)
{
	struct sfx_db *f = *state;
	struct store_session s = { .state = 2,
		.page = 1,
		.variant = 1,
		.last_ms = 42,
		.report_step = 3,
		.report_answered = 0x6 },
			     got;
	struct store_prefs p = { .discreet = 1 }, gp;

	assert_int_equal(store_session_get(f->st, "sms", "+6012", &got), 1);
	snprintf(s.node, sizeof(s.node), "rights.general");
	snprintf(s.path, sizeof(s.path), "home,rights");
	snprintf(s.lang, sizeof(s.lang), "km");
	assert_int_equal(store_session_put(f->st, "sms", "+6012", &s), 0);
	s.page = 2;
	assert_int_equal(store_session_put(f->st, "sms", "+6012", &s), 0); /* replaces */
	assert_int_equal(store_session_put(f->st, "ussd", "+6012", &s), 0);
	sfx_reopen(f);
	assert_int_equal(store_session_get(f->st, "sms", "+6012", &got), 0);
	assert_string_equal(got.node, "rights.general");
	assert_string_equal(got.path, "home,rights");
	assert_string_equal(got.lang, "km");
	assert_int_equal(got.page, 2);
	assert_int_equal(got.variant, 1);
	assert_int_equal(got.last_ms, 42);
	assert_int_equal(got.report_step, 3);
	assert_int_equal(got.report_answered, 0x6);
	assert_int_equal(store_prefs_get(f->st, "+6012", &gp), 1);
	snprintf(p.lang, sizeof(p.lang), "my");
	assert_int_equal(store_prefs_put(f->st, "+6012", &p, 7), 0);
	assert_int_equal(store_prefs_get(f->st, "+6012", &gp), 0);
	assert_string_equal(gp.lang, "my");
	assert_int_equal(gp.discreet, 1);
	assert_int_equal(store_session_delete(f->st, "+6012"), 0);
	assert_int_equal(store_session_get(f->st, "sms", "+6012", &got), 1);
	assert_int_equal(store_session_get(f->st, "ussd", "+6012", &got), 1);
}

/* Retention blanks old routed/sent messages and idle sessions, keeps queued ones. */
static void
test_message_retention(void **state)
{
	struct sfx_db *f = *state;
	struct store_session sess = { .last_ms = 100 };
	int64_t in_old, in_new, out_id, out_q;

	assert_int_equal(
	    store_inbound_add(f->st, "sms", "+601", "old secret", 0, 100, 0, "ko", &in_old), 0);
	assert_int_equal(store_inbound_add(f->st, "sms", "+602", "new", 0, 9000, 0, "kn", &in_new),
	    0);
	assert_int_equal(store_inbound_mark_done(f->st, in_old), 0);
	assert_int_equal(
	    store_outbound_add(f->st, "sms", "+601", "reply", -1, in_old, 100, &out_id), 0);
	assert_int_equal(store_outbound_mark_sent(f->st, out_id, 200, 1), 0);
	assert_int_equal(store_outbound_add(f->st, "sms", "+603", "queued", -1, 0, 100, &out_q), 0);
	snprintf(sess.node, sizeof(sess.node), "home");
	assert_int_equal(store_session_put(f->st, "sms", "+601", &sess), 0);
	assert_int_equal(store_erase_messages_before(f->st, 5000), 3);
	assert_int_equal(
	    sfx_int(f->path, "SELECT count(*) FROM inbound WHERE sender = 'erased' AND text = ''"),
	    1);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM outbound WHERE dest = 'erased'"),
	    1);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM outbound WHERE text = 'queued'"),
	    1);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM session"), 0);
	assert_int_equal(store_erase_messages_before(f->st, 5000), 0); /* idempotent */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_pragmas, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_migrations_idempotent, sfx_setup,
		    sfx_teardown),
		cmocka_unit_test_setup_teardown(test_newer_version_refused, sfx_setup,
		    sfx_teardown),
		cmocka_unit_test_setup_teardown(test_inbound_dedupe_order, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_inbound_flags_and_unknown_time, sfx_setup,
		    sfx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_outbound_order, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_outbound_priority, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_outbound_sent_at, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_migrate_from_v5, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_migrate_from_v6, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_migrate_from_v9, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_outbound_take_per_modem, sfx_setup,
		    sfx_teardown),
		cmocka_unit_test_setup_teardown(test_fragments, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_outbound_transitions, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_one_reply_per_inbound, sfx_setup,
		    sfx_teardown),
		cmocka_unit_test_setup_teardown(test_transaction_rollback, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_survives_reopen, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_utf8_and_quotes, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_file, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_paths, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_errors, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_crash_after_commit, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_staged_parts, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_sessions_and_prefs, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_message_retention, sfx_setup, sfx_teardown),
	};

	log_init("test_store", LOG_LEVEL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
