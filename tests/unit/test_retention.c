/* test_retention.c - retention at its boundaries, with times set in the
 * database: a report closed retention_days ago minus a second stays, plus
 * a second goes; an open report idle that long is closed and erased; queue
 * texts likewise; menu sessions go once their timeout is past; a number's
 * preferences after prefs_retention_days without activity (kept while it
 * is active or has a report not yet erased); and erased text is gone from
 * the database file itself (secure_delete, WAL truncated). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "core/log.h"
#include "reports/reports.h"
#include "store/store.h"
#include "store_fixture.h"

#define DAY (24LL * 3600 * 1000)
#define SEC 1000LL
#define NOW (1800000000000LL) /* 2027-01-15, any fixed time */
#define YEAR (365 * DAY)

struct fx {
	struct sfx_db d;
	struct kawan_config cfg;
	struct reports_ctx x;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL || sfx_open(&f->d, "kawan-retention") < 0)
		return -1;
	config_default(&f->cfg);
	f->x.st = f->d.st;
	f->x.cfg = &f->cfg;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	sfx_close(&f->d);
	free(f);
	return 0;
}

/* Runs sql on a separate connection (the times are set in the database). */
static void
db_exec(struct fx *f, const char *fmt, ...)
{
	char sql[1024];
	sqlite3 *db;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_int_equal(sqlite3_open(f->d.path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static int64_t
db_int(struct fx *f, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return sfx_int(f->d.path, sql);
}

/* A report of msisdn with a message, then state and times set in the DB. */
static int64_t
report(struct fx *f, const char *msisdn, int state, int64_t updated_ms, int64_t closed_ms)
{
	struct store_report r;

	assert_int_equal(store_report_create(f->d.st, msisdn, "en", "ID", NOW - 2 * YEAR, &r), 0);
	assert_int_equal(
	    store_report_set(f->d.st, r.id, STORE_RF_MESSAGE, "boss took passport", NOW - 2 * YEAR),
	    0);
	db_exec(f,
	    "UPDATE report SET state = %d, updated_ms = %lld, closed_ms = %lld WHERE id = %lld",
	    state, (long long)updated_ms, (long long)closed_ms, (long long)r.id);
	return r.id;
}

static void
test_closed_report_boundary(void **state)
{
	struct fx *f = *state;
	int64_t stays = report(f, "+60111000001", 3, NOW - YEAR + SEC, NOW - YEAR + SEC);
	int64_t goes = report(f, "+60111000002", 3, NOW - YEAR - SEC, NOW - YEAR - SEC);

	assert_int_equal(f->cfg.reports.retention_days, 365);
	assert_int_equal(reports_retention(&f->x, NOW), 1);
	assert_int_equal(db_int(f, "SELECT erased FROM report WHERE id = %lld", (long long)stays),
	    0);
	assert_int_equal(db_int(f, "SELECT erased FROM report WHERE id = %lld", (long long)goes),
	    1);
	assert_int_equal(db_int(f,
			     "SELECT count(*) FROM report WHERE id = %lld AND msisdn = ''"
			     " AND message = ''",
			     (long long)goes),
	    1);
	/* one more second and the other goes too */
	assert_int_equal(reports_retention(&f->x, NOW + 2 * SEC), 1);
	assert_int_equal(db_int(f, "SELECT erased FROM report WHERE id = %lld", (long long)stays),
	    1);
}

static void
test_open_report_idle_boundary(void **state)
{
	struct fx *f = *state;
	int64_t stays = report(f, "+60111000003", 2, NOW - YEAR + SEC, 0);
	int64_t goes = report(f, "+60111000004", 1, NOW - YEAR - SEC, 0);
	struct reports_purged p;

	assert_int_equal(reports_retention_run(&f->x, NOW, &p), 0);
	assert_int_equal(p.reports, 1);
	assert_int_equal(
	    db_int(f, "SELECT state * 10 + erased FROM report WHERE id = %lld", (long long)stays),
	    20);
	assert_int_equal(
	    db_int(f, "SELECT state * 10 + erased FROM report WHERE id = %lld", (long long)goes),
	    31);
	assert_int_equal(db_int(f,
			     "SELECT closed_ms = %lld AND next_alert_ms = 0 AND msisdn = ''"
			     " FROM report WHERE id = %lld",
			     (long long)NOW, (long long)goes),
	    1);
	/* audited: closed by the system, then erased */
	assert_int_equal(db_int(f,
			     "SELECT count(*) FROM audit WHERE report_id = %lld AND"
			     " actor = 'system' AND action IN ('closed', 'erased')",
			     (long long)goes),
	    2);
}

static void
test_messages_boundary(void **state)
{
	struct fx *f = *state;
	int64_t a, b;

	assert_int_equal(store_inbound_add(f->d.st, "sms", "+60111000005", "keep me", 0,
			     NOW - YEAR + SEC, 0, "k-a", &a),
	    0);
	assert_int_equal(store_inbound_add(f->d.st, "sms", "+60111000006", "erase me", 0,
			     NOW - YEAR - SEC, 0, "k-b", &b),
	    0);
	db_exec(f, "UPDATE inbound SET state = 'done'");
	assert_int_equal(reports_retention_run(&f->x, NOW, NULL), 0);
	assert_int_equal(db_int(f,
			     "SELECT count(*) FROM inbound WHERE id = %lld AND text = 'keep me'",
			     (long long)a),
	    1);
	assert_int_equal(db_int(f,
			     "SELECT count(*) FROM inbound WHERE id = %lld AND text = ''"
			     " AND sender = 'erased'",
			     (long long)b),
	    1);
}

static void
put_session(struct fx *f, const char *channel, const char *msisdn, int64_t last_ms)
{
	struct store_session s;

	memset(&s, 0, sizeof(s));
	s.state = 1;
	snprintf(s.node, sizeof(s.node), "home");
	snprintf(s.lang, sizeof(s.lang), "id");
	s.last_ms = last_ms;
	assert_int_equal(store_session_put(f->d.st, channel, msisdn, &s), 0);
}

static void
test_sessions_expire_with_timeout(void **state)
{
	struct fx *f = *state;
	int64_t sms = f->cfg.content.sms_timeout_ms, ussd = f->cfg.content.ussd_timeout_ms;
	struct reports_purged p;

	assert_true(sms > ussd);
	put_session(f, "sms", "+60111000007", NOW - sms + SEC);   /* stays */
	put_session(f, "sms", "+60111000008", NOW - sms - SEC);   /* goes */
	put_session(f, "ussd", "+60111000007", NOW - ussd + SEC); /* stays */
	put_session(f, "ussd", "+60111000008", NOW - ussd - SEC); /* goes */
	assert_int_equal(reports_retention_run(&f->x, NOW, &p), 0);
	assert_int_equal(p.sessions, 2);
	assert_int_equal(db_int(f, "SELECT count(*) FROM session WHERE msisdn = '+60111000007'"),
	    2);
	assert_int_equal(db_int(f, "SELECT count(*) FROM session WHERE msisdn = '+60111000008'"),
	    0);
}

static void
put_prefs(struct fx *f, const char *msisdn, int64_t updated_ms)
{
	struct store_prefs p;

	memset(&p, 0, sizeof(p));
	snprintf(p.lang, sizeof(p.lang), "km");
	assert_int_equal(store_prefs_put(f->d.st, msisdn, &p, updated_ms), 0);
}

static void
test_prefs_after_inactivity(void **state)
{
	struct fx *f = *state;
	int64_t id;
	struct reports_purged p;

	assert_int_equal(f->cfg.reports.prefs_retention_days, 365);
	put_prefs(f, "+60111000010", NOW - YEAR + SEC); /* chosen within the period: stays */
	put_prefs(f, "+60111000011", NOW - YEAR - SEC); /* idle: goes */
	put_prefs(f, "+60111000012", NOW - 2 * YEAR);   /* wrote 10 days ago: stays */
	assert_int_equal(store_inbound_add(f->d.st, "sms", "+60111000012", "1", 0, NOW - 10 * DAY,
			     0, "k-p", &id),
	    0);
	put_prefs(f, "+60111000013", NOW - 2 * YEAR); /* has a report not erased: stays */
	(void)report(f, "+60111000013", 2, NOW - 10 * DAY, 0);
	assert_int_equal(reports_retention_run(&f->x, NOW, &p), 0);
	assert_int_equal(p.prefs, 1);
	assert_int_equal(db_int(f, "SELECT count(*) FROM prefs WHERE msisdn = '+60111000011'"), 0);
	assert_int_equal(db_int(f, "SELECT count(*) FROM prefs"), 3);
	/* configurable: 30 days erases the one chosen 364 days ago too */
	f->cfg.reports.prefs_retention_days = 30;
	assert_int_equal(reports_retention_run(&f->x, NOW, &p), 0);
	assert_int_equal(p.prefs, 1);
	assert_int_equal(db_int(f, "SELECT count(*) FROM prefs WHERE msisdn = '+60111000010'"), 0);
}

/* True when the file at path holds needle. */
static bool
file_holds(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;
	bool found = false;

	if (fp == NULL)
		return false;
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	for (long i = 0; i + (long)strlen(needle) <= n && !found; i++)
		found = memcmp(buf + i, needle, strlen(needle)) == 0;
	free(buf);
	return found;
}

static void
test_erased_text_leaves_the_file(void **state)
{
	struct fx *f = *state;
	char wal[160];
	int64_t id, keep;

	id = report(f, "+60111000020", 3, NOW - 2 * YEAR, NOW - 2 * YEAR);
	assert_int_equal(store_report_set(f->d.st, id, STORE_RF_PLACE,
			     "SECRETPLACE-Jalan-Ampang-12-Kuala-Lumpur", NOW - 2 * YEAR),
	    0);
	assert_int_equal(store_inbound_add(f->d.st, "sms", "+60111000021",
			     "SECRETTEXT-my-boss-took-my-passport", 0, NOW - 2 * YEAR, 0, "k-s",
			     &keep),
	    0);
	db_exec(f, "UPDATE inbound SET state = 'done'");
	/* into the main file first, as a long-running gateway's checkpoints do */
	assert_int_equal(store_wal_truncate(f->d.st), 0);
	assert_true(file_holds(f->d.path, "SECRETPLACE"));
	assert_true(file_holds(f->d.path, "SECRETTEXT"));
	assert_int_equal(reports_retention_run(&f->x, NOW, NULL), 0);
	snprintf(wal, sizeof(wal), "%s-wal", f->d.path);
	/* while the store is still open: no copy in the file or in the WAL */
	assert_false(file_holds(f->d.path, "SECRETPLACE"));
	assert_false(file_holds(f->d.path, "SECRETTEXT"));
	assert_false(file_holds(wal, "SECRETPLACE"));
	assert_false(file_holds(wal, "SECRETTEXT"));
	assert_false(file_holds(f->d.path, "+60111000020"));
	assert_false(file_holds(f->d.path, "+60111000021"));
}

/* The two settings in the reports group: read, defaults, range. */
static void
test_config_keys(void **state)
{
	struct fx *f = *state;
	struct kawan_config c;
	char path[200], err[CONFIG_ERROR_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/k.cfg", f->d.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "database = \"%s\";\n"
	    "modems = ( { name = \"m1\"; device = \"/dev/null\"; connection = \"at\"; } );\n"
	    "reports = { stats_min_count = 3; prefs_retention_days = 30; };\n",
	    f->d.path);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), 0);
	assert_int_equal(c.reports.stats_min_count, 3);
	assert_int_equal(c.reports.prefs_retention_days, 30);
	assert_int_equal(f->cfg.reports.stats_min_count, 5); /* the default */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "database = \"%s\";\n"
	    "modems = ( { name = \"m1\"; device = \"/dev/null\"; connection = \"at\"; } );\n"
	    "reports = { prefs_retention_days = 0; };\n",
	    f->d.path);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "prefs_retention_days"));
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_closed_report_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_report_idle_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_messages_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions_expire_with_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefs_after_inactivity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erased_text_leaves_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_keys, setup, teardown),
	};

	log_init("test", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
