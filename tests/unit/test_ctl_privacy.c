/* test_ctl_privacy.c - kawanctl's private-data rules: a CSV cell that a
 * spreadsheet would run as a formula (a phone number "+60..." too) is led
 * by an apostrophe and quoted (reports export, content review), and the
 * yearly figures show counts below reports.stats_min_count as "<N"; the
 * reading commands' connection cannot write; the audit actor is the real
 * user id's name, whatever $USER says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "ctl/ctl.h"
#include "store_fixture.h"

/* ctl_csv_field(s) as a string (caller frees). */
static char *
csv_cell(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	ctl_csv_field(fp, s);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
expect_cell(const char *in, const char *want)
{
	char *got = csv_cell(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_csv_cells(void **state)
{
	(void)state;
	expect_cell("plain", "plain");
	expect_cell("", "");
	expect_cell("a,b", "\"a,b\"");
	expect_cell("say \"hi\"", "\"say \"\"hi\"\"\"");
	expect_cell("two\r\nlines", "\"two\r\nlines\"");
	/* every character a spreadsheet starts a formula with */
	expect_cell("=1+1", "\"'=1+1\"");
	expect_cell("=HYPERLINK(\"http://x\",\"y\")",
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	expect_cell("+1", "\"'+1\"");
	expect_cell("-2+3", "\"'-2+3\"");
	expect_cell("@SUM(A1)", "\"'@SUM(A1)\"");
	expect_cell("\tx", "\"'\tx\"");
	expect_cell("\rx", "\"'\rx\"");
	/* a phone number keeps its + and reads as text, not a sum */
	expect_cell("+60123456789", "\"'+60123456789\"");
	/* only the first character counts */
	expect_cell("a=1", "a=1");
	expect_cell("1-2", "1-2");
	assert_true(ctl_csv_formula("+6012"));
	assert_false(ctl_csv_formula(""));
	assert_false(ctl_csv_formula("6012"));
}

/* Local noon of a day of year y (the figures count by local year). */
static int64_t
local_ms(int y, int mon, int day)
{
	struct tm tm = { .tm_year = y - 1900,
		.tm_mon = mon - 1,
		.tm_mday = day,
		.tm_hour = 12,
		.tm_isdst = -1 };

	return (int64_t)mktime(&tm) * 1000;
}

static void
add_report(struct store *st, const char *msisdn, const char *nat, const char *cat,
    const char *message, int64_t at_ms, int64_t ack_after_ms)
{
	struct store_report r;

	assert_int_equal(store_report_create(st, msisdn, "en", nat, at_ms, &r), 0);
	assert_int_equal(store_report_set(st, r.id, STORE_RF_CATEGORY, cat, at_ms), 0);
	if (message != NULL)
		assert_int_equal(store_report_set(st, r.id, STORE_RF_MESSAGE, message, at_ms), 0);
	if (ack_after_ms > 0) {
		assert_int_equal(store_report_get(st, r.ref, &r), 0);
		r.state = STORE_REPORT_ACKED;
		r.acked_ms = at_ms + ack_after_ms;
		assert_int_equal(store_report_save_state(st, &r), 0);
	}
}

static void
test_export_neutralises(void **state)
{
	struct sfx_db d;
	struct ctl_reports_query q = { .f = { .state = -1 }, .format = "csv" };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	assert_int_equal(sfx_open(&d, "kawan-ctlpriv"), 0);
	add_report(d.st, "+60123456789", "ID", "wages", "=HYPERLINK(\"http://evil\",\"click\")",
	    local_ms(2025, 3, 1), 0);
	add_report(d.st, "60123456780", "PH", "violence", "@SUM(1+1)", local_ms(2025, 3, 2), 0);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(ctl_export_write(d.st, &q, fp), 0);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(buf, ",\"'+60123456789\","));
	assert_non_null(strstr(buf, ",60123456780,"));
	assert_non_null(strstr(buf, "\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\""));
	assert_non_null(strstr(buf, "\"'@SUM(1+1)\""));
	/* no cell of the file starts a formula: after each separator, no = + - @ */
	for (const char *p = buf; *p != '\0'; p++) {
		if (p == buf || p[-1] == ',' || p[-1] == '\n')
			assert_null(strchr("=+-@\t", *p == '"' ? p[1] == '\'' ? 'x' : p[1] : *p));
	}
	free(buf);
	sfx_close(&d);
}

/* The figures for 2025 as a string (caller frees). */
static char *
stats_text(struct store *st, int min_count)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(ctl_stats_write(st, 2025, min_count, fp), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* The line of the table that starts with label. */
static const char *
line_of(const char *text, const char *label)
{
	size_t n = strlen(label);

	for (const char *p = text; p != NULL; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, label, n) == 0)
			return p;
	}
	return NULL;
}

static void
test_stats_suppress_small_counts(void **state)
{
	struct sfx_db d;
	char *t;
	const char *l;

	(void)state;
	assert_int_equal(sfx_open(&d, "kawan-ctlpriv"), 0);
	/* 2 violence reports from Indonesia: two people who could be named */
	add_report(d.st, "+62811000001", "ID", "violence", NULL, local_ms(2025, 2, 1), 3600000);
	add_report(d.st, "+62811000002", "ID", "violence", NULL, local_ms(2025, 2, 3), 7200000);
	/* 6 wage reports from the Philippines */
	for (int i = 0; i < 6; i++) {
		char num[32];

		snprintf(num, sizeof(num), "+6391700000%d", i);
		add_report(d.st, num, "PH", "wages", NULL, local_ms(2025, 4, 1 + i), 600000);
	}
	/* another year: not counted */
	add_report(d.st, "+62811000003", "ID", "violence", NULL, local_ms(2024, 6, 1), 0);

	t = stats_text(d.st, 5);
	if (getenv("KAWAN_TEST_SHOW") != NULL)
		fputs(t, stdout);
	assert_non_null(strstr(t, "Reports: 8; acknowledged: 8; closed: 0; still open: 8"));
	l = line_of(t, "ID  ");
	assert_non_null(l);
	/* ID's violence cell and its total are "<5"; its other cells are 0 */
	assert_true(
	    strncmp(l, "ID            0          0          0         <5          0", 59) == 0);
	assert_true(strncmp(strchr(l, '\n') - 3, " <5\n", 4) == 0); /* its total */
	assert_null(strstr(t, "          2\n"));
	assert_non_null(strstr(t, "\nall           0          0          6         <5"));
	l = line_of(t, "PH  ");
	assert_non_null(l);
	assert_true(strncmp(l, "PH            0          0          6          0", 48) == 0);
	/* the times of ID's two reports are not shown */
	l = line_of(t, "  ID");
	assert_non_null(l);
	assert_true(strncmp(l, "  ID            <5         -         -", 38) == 0);
	l = line_of(t, "  PH");
	assert_non_null(l);
	assert_true(strncmp(l, "  PH             6     0h10m     0h10m", 38) == 0);
	assert_non_null(strstr(t, "Counts from 1 to 4 are shown as \"<5\" and such small groups"));
	free(t);

	/* a threshold of 1 shows every count */
	t = stats_text(d.st, 1);
	l = line_of(t, "ID  ");
	assert_non_null(l);
	assert_true(strncmp(l, "ID            0          0          0          2", 48) == 0);
	assert_null(strstr(t, "<"));
	free(t);
	sfx_close(&d);
}

static void
test_actor_from_uid(void **state)
{
	struct passwd *pw = getpwuid(getuid());
	char buf[64], want[64];

	(void)state;
	assert_non_null(pw);
	snprintf(want, sizeof(want), "kawanctl:%s", pw->pw_name);
	assert_string_not_equal(pw->pw_name, "mallory");
	setenv("USER", "mallory", 1);
	setenv("LOGNAME", "mallory", 1);
	ctl_reports_actor(buf, sizeof(buf));
	assert_string_equal(buf, want);
	unsetenv("USER");
	ctl_reports_actor(buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void
test_readonly_store(void **state)
{
	struct sfx_db d;
	struct store *ro;
	struct store_report r, got;
	char missing[200];
	sqlite3 *db;

	(void)state;
	assert_int_equal(sfx_open(&d, "kawan-ctlpriv"), 0);
	assert_int_equal(store_report_create(d.st, "+60111000001", "en", "ID", 1000, &r), 0);
	/* the read-only connection reads what the gateway wrote */
	assert_int_equal(store_open_readonly(d.path, &ro), 0);
	assert_int_equal(store_report_get(ro, r.ref, &got), 0);
	assert_string_equal(got.msisdn, "+60111000001");
	/* and can write nothing */
	assert_int_equal(store_report_create(ro, "+60111000002", "en", "ID", 1000, &got), -1);
	assert_int_equal(store_audit_add(ro, r.id, 2000, "x", "cli", "note", "x"), -1);
	assert_int_equal(store_begin(ro), -1); /* BEGIN IMMEDIATE takes the write lock */
	assert_int_equal(
	    store_prefs_put(ro, "+60111000001", &(struct store_prefs){ .lang = "id" }, 1), -1);
	store_close(ro);
	assert_int_equal(sfx_int(d.path, "SELECT count(*) FROM report"), 1);
	assert_int_equal(sfx_int(d.path, "SELECT count(*) FROM audit"), 0);
	assert_int_equal(sfx_int(d.path, "SELECT count(*) FROM prefs"), 0);
	/* a database of another schema version is not read (nor migrated) */
	assert_int_equal(sqlite3_open(d.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 3", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open_readonly(d.path, &ro), -1);
	assert_int_equal(sfx_int(d.path, "PRAGMA user_version"), 3);
	/* no file is made where there is none */
	snprintf(missing, sizeof(missing), "%s/none.db", d.dir);
	assert_int_equal(store_open_readonly(missing, &ro), -1);
	assert_int_equal(access(missing, F_OK), -1);
	sfx_close(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_cells),
		cmocka_unit_test(test_export_neutralises),
		cmocka_unit_test(test_stats_suppress_small_counts),
		cmocka_unit_test(test_actor_from_uid),
		cmocka_unit_test(test_readonly_store),
	};

	log_init("test", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
