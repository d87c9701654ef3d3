/* test_redact.c - officers' PINs never reach the database (issue 11): an
 * officer's ACK/NOTE/CLOSE/LIST is stored with its PIN as "****" (checked
 * on arrival, the verdict in the row's flags), also when the command came
 * in two parts; the router acts on that verdict; the dedupe key holds no
 * hash of the PIN; a re-read after a crash is still stored once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <crypt.h>
#include <sqlite3.h>

#include "config/config.h"
#include "core/log.h"
#include "core/util.h"
#include "inbound/inbound.h"
#include "reports/reports.h"
#include "router/router.h"
#include "store/store.h"

#include "fake_modem.h"
#include "store_fixture.h"

#define PIN "482193"
#define OFF "+60110000001"
#define WORKER "+60123456789"
#define T0 1700000000000LL

struct fixture {
	char dir[64];
	char db[128];
	struct store *st;
	struct kawan_config cfg;
	struct fake_modem fm;
	struct router_ctx rc; /* no content: officers only */
};

static void
set_officer(struct config_officer *o, const char *name, const char *number, const char *hash)
{
	snprintf(o->name, sizeof(o->name), "%s", name);
	snprintf(o->number, sizeof(o->number), "%s", number);
	snprintf(o->pin_hash, sizeof(o->pin_hash), "%s", hash);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *h;

	assert_non_null(fx);
	assert_non_null(cd);
	log_init("test", LOG_LEVEL_ERROR);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/kawan-redact-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/k.db", fx->dir);
	assert_int_equal(store_open(fx->db, &fx->st), 0);
	config_default(&fx->cfg);
	fx->cfg.inbound.max_text_bytes = 4096;
	fx->cfg.inbound.partial_timeout_ms = 600000;
	fx->cfg.reports.sos_default = CONFIG_TELL_BOTH;
	h = crypt_r(PIN, "$6$rounds=1000$kawanredact$", cd);
	assert_non_null(h);
	fx->cfg.nrosters = 1;
	snprintf(fx->cfg.rosters[0].nationality, 3, "MM");
	set_officer(&fx->cfg.rosters[0].officers[0], "Ko Aung", OFF, h);
	fx->cfg.rosters[0].nofficers = 1;
	set_officer(&fx->cfg.rosters[0].supervisor, "U Tin", "+60110000009", h);
	free(cd);
	fake_init(&fx->fm);
	fx->rc.cfg = &fx->cfg;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	store_close(fx->st);
	fake_free(&fx->fm);
	sfx_remove_db_files(fx->db);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* One text value of the database (the first row), into buf ("" none). */
static void
db_text(struct fixture *fx, const char *sql, char *buf, size_t bufsz)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	buf[0] = '\0';
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
		snprintf(buf, bufsz, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static long long
db_int(struct fixture *fx, const char *sql)
{
	char buf[64];

	db_text(fx, sql, buf, sizeof(buf));
	return strtoll(buf, NULL, 10);
}

/* True when the bytes of file path contain needle. */
static bool
file_has(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	size_t n = strlen(needle), len = 0;
	char *buf = NULL;
	bool found = false;

	if (fp == NULL)
		return false;
	buf = malloc(64 << 20);
	assert_non_null(buf);
	len = fread(buf, 1, 64 << 20, fp);
	fclose(fp);
	for (size_t i = 0; i + n <= len && !found; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}

/* No table, no WAL page holds the PIN. */
static void
assert_no_pin_anywhere(struct fixture *fx)
{
	char path[256];

	assert_int_equal(db_int(fx, "SELECT count(*) FROM inbound WHERE text LIKE '%" PIN "%'"
				    " OR dedupe_key LIKE '%" PIN "%'"),
	    0);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM fragment WHERE text LIKE '%" PIN "%'"),
	    0);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM outbound WHERE text LIKE '%" PIN "%'"),
	    0);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM audit WHERE detail LIKE '%" PIN "%'"), 0);
	assert_false(file_has(fx->db, PIN));
	snprintf(path, sizeof(path), "%s-wal", fx->db);
	assert_false(file_has(path, PIN));
}

static void
sweep(struct fixture *fx)
{
	struct inbound_counts c;

	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
}

static void
open_report(struct fixture *fx, struct store_report *r)
{
	struct reports_ctx x = { fx->st, &fx->cfg, NULL, false, ENGINE_SMS };
	bool created;

	assert_int_equal(reports_worker_sos(&x, WORKER, "my", util_now_ms(), r, &created), 0);
	assert_true(created);
	/* The worker's nationality (no content here): set as the flow would. */
	assert_int_equal(
	    reports_worker_field(&x, WORKER, STORE_RF_NATIONALITY, "MM", util_now_ms()), 0);
}

/* The brief's example: ACK K7Q2 123456 is stored as ACK K7Q2 ****. */
static void
test_ack_stored_masked(void **state)
{
	struct fixture *fx = *state;
	char text[256], key[256], raw_hash[32];

	fake_put(&fx->fm, 1, OFF, "ACK K7Q2 " PIN, "k1");
	sweep(fx);
	assert_int_equal(fx->fm.removed, 1); /* committed, then deleted from the SIM */
	db_text(fx, "SELECT text FROM inbound", text, sizeof(text));
	assert_string_equal(text, "ACK K7Q2 ****");
	assert_int_equal(db_int(fx, "SELECT flags FROM inbound"),
	    STORE_IN_REDACTED | STORE_IN_PIN_OK);
	/* The key is made of the masked text: no hash of the real one to brute-force. */
	db_text(fx, "SELECT dedupe_key FROM inbound", key, sizeof(key));
	snprintf(raw_hash, sizeof(raw_hash), "%016llx",
	    (unsigned long long)util_fnv1a64("ACK K7Q2 " PIN));
	assert_null(strstr(key, raw_hash));
	snprintf(raw_hash, sizeof(raw_hash), "%016llx",
	    (unsigned long long)util_fnv1a64("ACK K7Q2 ****"));
	assert_non_null(strstr(key, raw_hash));
	/* Read again after a crash between commit and delete: stored once. */
	fake_put(&fx->fm, 1, OFF, "ACK K7Q2 " PIN, "k1");
	sweep(fx);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM inbound"), 1);
	assert_no_pin_anywhere(fx);
}

/* Every command with a PIN, any case and spacing; wrong PINs too; not
 * workers' texts, not an officer's other texts. */
static void
test_every_command(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *from, *in, *stored;
		int flags;
	} cases[] = {
		{ OFF, "close k7q2 111222 safe now", "close k7q2 **** safe now",
		    STORE_IN_REDACTED },
		{ OFF, "  NOTE\tK7Q2  " PIN "  called her ", "  NOTE\tK7Q2  ****  called her ",
		    STORE_IN_REDACTED | STORE_IN_PIN_OK },
		{ OFF, "LIST " PIN, "LIST ****", STORE_IN_REDACTED | STORE_IN_PIN_OK },
		{ OFF, "list 12", "list ****", STORE_IN_REDACTED },
		{ "+60110000009", "ACK K7Q2 " PIN, "ACK K7Q2 ****",
		    STORE_IN_REDACTED | STORE_IN_PIN_OK },
		{ OFF, "LIST", "LIST", 0 },
		{ OFF, "hello " PIN, "hello " PIN, 0 },
		{ WORKER, "ACK K7Q2 " PIN, "ACK K7Q2 " PIN, 0 },
	};
	char text[256], sql[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		fake_put(&fx->fm, (int)i + 1, cases[i].from, cases[i].in, "k");
	sweep(fx);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT text FROM inbound WHERE id = %zu", i + 1);
		db_text(fx, sql, text, sizeof(text));
		assert_string_equal(text, cases[i].stored);
		snprintf(sql, sizeof(sql), "SELECT flags FROM inbound WHERE id = %zu", i + 1);
		assert_int_equal(db_int(fx, sql), cases[i].flags);
	}
}

/* The router acts on the verdict: the report is acknowledged, then closed,
 * and nothing in the database holds the PIN. A wrong PIN is counted. */
static void
test_router_acts_on_verdict(void **state)
{
	struct fixture *fx = *state;
	struct store_report r;
	char cmd[128], text[256];
	int failures;
	int64_t until;

	open_report(fx, &r);
	snprintf(cmd, sizeof(cmd), "ACK %s 999888", r.ref);
	fake_put(&fx->fm, 1, OFF, cmd, "k1");
	sweep(fx);
	assert_int_equal(router_dispatch(fx->st, &fx->rc), 1);
	db_text(fx, "SELECT text FROM outbound WHERE dest = '" OFF "' ORDER BY id DESC", text,
	    sizeof(text));
	assert_string_equal(text, "Wrong PIN. 2 tries left.");
	assert_int_equal(store_pin_failures(fx->st, OFF, &failures, &until), 0);
	assert_int_equal(failures, 1);

	snprintf(cmd, sizeof(cmd), "ACK %s " PIN, r.ref);
	fake_put(&fx->fm, 2, OFF, cmd, "k2");
	sweep(fx);
	assert_int_equal(router_dispatch(fx->st, &fx->rc), 1);
	assert_int_equal(store_report_get(fx->st, r.ref, &r), 0);
	assert_int_equal(r.state, STORE_REPORT_ACKED);
	assert_string_equal(r.acked_by, "Ko Aung");

	/* CLOSE in two parts, the PIN in the first. */
	snprintf(cmd, sizeof(cmd), "CLOSE %s " PIN " called back; she is at the ", r.ref);
	fake_put_part(&fx->fm, 3, OFF, cmd, 42, 2, 1);
	sweep(fx);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM fragment WHERE text LIKE '%****%'"), 1);
	fake_put_part(&fx->fm, 4, OFF, "shelter now, safe", 42, 2, 2);
	sweep(fx);
	assert_int_equal(router_dispatch(fx->st, &fx->rc), 1);
	assert_int_equal(store_report_get(fx->st, r.ref, &r), 0);
	assert_int_equal(r.state, STORE_REPORT_CLOSED);
	assert_string_equal(r.outcome, "called back; she is at the shelter now, safe");
	snprintf(cmd, sizeof(cmd), "CLOSE %s **** called back; she is at the shelter now, safe",
	    r.ref);
	db_text(fx, "SELECT text FROM inbound ORDER BY id DESC", text, sizeof(text));
	assert_string_equal(text, cmd);
	assert_no_pin_anywhere(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ack_stored_masked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_router_acts_on_verdict, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
