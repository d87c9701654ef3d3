/* test_fault_store.c - fault sweeps over the store and the inbound sweep
 * (issue 11): each operation runs with the Nth write, fsync, open or
 * allocation failing (fault_vfs.c), for N = 1, 2, ... until a run hits no
 * fault. After each: no crash, no leak (ASan/LSan in check-sanitize), an
 * error reported rather than a success that lost data, and invariant 1:
 * a part leaves the SIM only once its row is committed; with the fault
 * gone, the retry stores every row exactly once on the same connection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "config/config.h"
#include "core/log.h"
#include "inbound/inbound.h"
#include "store/store.h"

#include "fake_modem.h"
#include "fault_vfs.h"
#include "store_fixture.h"

#define SWEEP_MAX 5000

struct fx {
	struct sfx_db d;
	struct kawan_config cfg;
	struct fake_modem fm;
	struct inbound_counts c;
	int rc2;
};

/* One fault plan: what fails and how. */
struct plan {
	const char *name;
	enum fault_kind kind;
	int rc;
	bool persist;
};

static const struct plan plans[] = {
	{ "write-full", FAULT_WRITE, SQLITE_FULL, true },
	{ "write-ioerr-once", FAULT_WRITE, SQLITE_IOERR_WRITE, false },
	{ "fsync", FAULT_SYNC, SQLITE_IOERR_FSYNC, true },
	{ "open", FAULT_OPEN, SQLITE_CANTOPEN, true },
	{ "alloc", FAULT_ALLOC, 0, true },
	{ "alloc-once", FAULT_ALLOC, 0, false },
};
#define NPLANS (sizeof(plans) / sizeof(plans[0]))

static int64_t
count(struct fx *x, const char *sql)
{
	return sfx_int(x->d.path, sql);
}

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return -1;
	/* On tmpfs when there is one: a sweep point opens, fsyncs and reopens
	 * the database often; the faults come from the VFS, not the disk. */
	snprintf(x->d.dir, sizeof(x->d.dir), "%s/kawan-fault-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(x->d.dir) == NULL)
		return -1;
	snprintf(x->d.path, sizeof(x->d.path), "%s/kawan.db", x->d.dir);
	if (store_open(x->d.path, &x->d.st) != 0)
		return -1;
	x->cfg.inbound.max_text_bytes = 4096;
	x->cfg.inbound.partial_timeout_ms = 600000;
	fake_init(&x->fm);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	sfx_close(&x->d);
	fake_free(&x->fm);
	free(x);
	return 0;
}

/* Empties the queues (on a connection of its own) so each point starts alike. */
static void
wipe(struct fx *x)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(x->d.path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "DELETE FROM fragment; DELETE FROM inbound;", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

/* --- store_inbound_add in a transaction, as inbound_store_alone does --- */

static void
add_reset(void *arg)
{
	wipe(arg);
}

static int
add_op(void *arg)
{
	struct fx *x = arg;
	int64_t id = 0;

	if (store_begin(x->d.st) < 0)
		return -1;
	if (store_inbound_add(x->d.st, "sms", "+60123456789", "TOLONG saya", 1700000000000,
		1700000000001, 0, "fault-key-1", &id) != 0 ||
	    store_commit(x->d.st) < 0) {
		store_rollback(x->d.st);
		return -1;
	}
	return 0;
}

static void
add_check(void *arg, int rc, bool hit)
{
	struct fx *x = arg;
	int64_t n = count(x, "SELECT COUNT(*) FROM inbound WHERE dedupe_key = 'fault-key-1'");
	int64_t id = 0;
	int again;

	if (!hit)
		assert_int_equal(rc, 0);
	/* Reported failure: nothing half-written. Success: the row is there. */
	assert_int_equal(n, rc == 0 ? 1 : 0);
	/* The fault cleared: the same connection stores it, exactly once. */
	again = store_inbound_add(x->d.st, "sms", "+60123456789", "TOLONG saya", 1700000000000,
	    1700000000001, 0, "fault-key-1", &id);
	assert_int_equal(again, rc == 0 ? 1 : 0);
	assert_int_equal(count(x, "SELECT COUNT(*) FROM inbound WHERE dedupe_key = 'fault-key-1'"),
	    1);
}

static void
test_sweep_inbound_add(void **state)
{
	for (size_t i = 0; i < NPLANS; i++) {
		char name[64];
		struct fault_sweep s = { name, plans[i].kind, plans[i].rc, plans[i].persist,
			SWEEP_MAX, 1, add_reset, add_op, add_check };

		snprintf(name, sizeof(name), "store_inbound_add/%s", plans[i].name);
		(void)fault_sweep_run(&s, *state);
	}
}

/* --- inbound_sweep: three SMS and a two-part message on the SIM --- */

static void
sim_reset(void *arg)
{
	struct fx *x = arg;

	wipe(x);
	fake_free(&x->fm);
	fake_init(&x->fm);
	fake_put(&x->fm, 1, "+60123456789", "TOLONG", "a");
	fake_put(&x->fm, 2, "+66811111111", "ช่วยด้วย", "b");
	fake_put(&x->fm, 3, "+6281234567", "majikan ambil paspor", "c");
	fake_put_part(&x->fm, 4, "+60199999999", "part one ", 7, 2, 1);
	fake_put_part(&x->fm, 5, "+60199999999", "part two", 7, 2, 2);
}

static int
sim_op(void *arg)
{
	struct fx *x = arg;

	return inbound_sweep(x->d.st, &x->fm.m, &x->cfg, &x->c);
}

/* Invariant 1: every slot gone from the SIM has its row (or fragment). */
static void
sim_invariant(struct fx *x)
{
	static const char *const sender[] = { NULL, "+60123456789", "+66811111111", "+6281234567" };
	char sql[256];

	for (int slot = 1; slot <= 3; slot++) {
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM inbound WHERE sender = '%s'",
		    sender[slot]);
		int64_t rows = count(x, sql);

		assert_true(rows <= 1);
		if (!x->fm.present[slot])
			assert_int_equal(rows, 1);
	}
	for (int slot = 4; slot <= 5; slot++) {
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM fragment WHERE seq = %d",
		    slot - 3);
		if (!x->fm.present[slot])
			assert_int_equal(count(x, sql), 1);
	}
	assert_true(count(x, "SELECT COUNT(*) FROM inbound WHERE sender = '+60199999999'") <= 1);
}

static void
sim_check(void *arg, int rc, bool hit)
{
	struct fx *x = arg;
	int left = 0;

	(void)hit;
	sim_invariant(x);
	for (int slot = 1; slot <= 5; slot++)
		left += x->fm.present[slot];
	if (rc < 0) /* the fake's read ran out of memory: nothing was taken */
		assert_int_equal(left, 5);
	else /* what stayed on the SIM was reported as refused by the store */
		assert_int_equal((size_t)left, x->c.unstored);
	if (rc == 0 && left > 0)
		assert_int_not_equal(x->c.fault, STORE_FAULT_NONE);
	/* The fault cleared: the next sweep takes the rest, each row once. */
	assert_int_equal(inbound_sweep(x->d.st, &x->fm.m, &x->cfg, &x->c), 0);
	assert_int_equal(x->c.unstored, 0);
	sim_invariant(x);
	for (int slot = 1; slot <= 5; slot++)
		assert_false(x->fm.present[slot]);
	assert_int_equal(count(x, "SELECT COUNT(*) FROM inbound"), 4);
	assert_int_equal(count(x, "SELECT COUNT(*) FROM inbound WHERE sender = '+60199999999'"
				  " AND text = 'part one part two'"),
	    1);
}

static void
test_sweep_inbound_sweep(void **state)
{
	for (size_t i = 0; i < NPLANS; i++) {
		char name[64];
		struct fault_sweep s = { name, plans[i].kind, plans[i].rc, plans[i].persist,
			SWEEP_MAX, 1, sim_reset, sim_op, sim_check };

		snprintf(name, sizeof(name), "inbound_sweep/%s", plans[i].name);
		(void)fault_sweep_run(&s, *state);
	}
}

/* --- store_open on a new file: a failure leaves no half-made schema --- */

static void
open_reset(void *arg)
{
	struct fx *x = arg;

	store_close(x->d.st);
	x->d.st = NULL;
	sfx_remove_db_files(x->d.path);
}

static int
open_op(void *arg)
{
	struct fx *x = arg;

	return store_open(x->d.path, &x->d.st);
}

static void
open_check(void *arg, int rc, bool hit)
{
	struct fx *x = arg;
	int want;

	if (!hit)
		assert_int_equal(rc, 0);
	if (rc != 0) {
		assert_null(x->d.st);
	} else {
		assert_non_null(x->d.st);
		want = store_schema_version(x->d.st);
		store_close(x->d.st);
		x->d.st = NULL;
		assert_true(want > 0);
	}
	/* Whatever the fault left, a clean open brings the full schema. */
	assert_int_equal(store_open(x->d.path, &x->d.st), 0);
	assert_int_equal(count(x, "PRAGMA user_version"), store_schema_version(x->d.st));
	assert_int_equal(count(x, "SELECT COUNT(*) FROM inbound"), 0);
}

static void
test_sweep_store_open(void **state)
{
	for (size_t i = 0; i < NPLANS; i++) {
		char name[64];
		/* ~41,000 allocations on a new file: every N to 64, then every 257th. */
		struct fault_sweep s = { name, plans[i].kind, plans[i].rc, plans[i].persist, 100000,
			plans[i].kind == FAULT_ALLOC ? 257 : 1, open_reset, open_op, open_check };

		snprintf(name, sizeof(name), "store_open/%s", plans[i].name);
		(void)fault_sweep_run(&s, *state);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sweep_inbound_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_inbound_sweep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_store_open, setup, teardown),
	};
	int rc;

	if (fault_init() != 0)
		return 1;
	log_init("test", LOG_LEVEL_ERROR);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("fault sweep points (test_fault_store): %d\n", fault_sweep_total());
	return rc;
}
