/* test_fault_reports.c - fault sweeps over a worker's HELP/SOS
 * (reports_worker_sos: the report, its reference and its audit row),
 * issue 11: with the Nth write, fsync or allocation failing, either an
 * error is returned and no trace of the report is left, or it succeeded
 * and the report and its audit row are there; with the fault gone, the
 * retry leaves exactly one report. See test_fault_store.c. */
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
#include "reports/reports.h"
#include "store/store.h"

#include "fault_vfs.h"
#include "store_fixture.h"

#define WORKER "+60123456789"

struct fx {
	struct sfx_db d;
	struct kawan_config cfg;
	struct reports_ctx x;
};

static const struct {
	const char *name;
	enum fault_kind kind;
	int rc;
	bool persist;
} plans[] = {
	{ "write-full", FAULT_WRITE, SQLITE_FULL, true },
	{ "write-ioerr-once", FAULT_WRITE, SQLITE_IOERR_WRITE, false },
	{ "fsync", FAULT_SYNC, SQLITE_IOERR_FSYNC, true },
	{ "alloc", FAULT_ALLOC, 0, true },
	{ "alloc-once", FAULT_ALLOC, 0, false },
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	snprintf(f->d.dir, sizeof(f->d.dir), "%s/kawan-faultr-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(f->d.dir) == NULL)
		return -1;
	snprintf(f->d.path, sizeof(f->d.path), "%s/kawan.db", f->d.dir);
	if (store_open(f->d.path, &f->d.st) != 0)
		return -1;
	f->cfg.reports.dedupe_window_ms = 1800000;
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

static void
sos_reset(void *arg)
{
	struct fx *f = arg;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->d.path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "DELETE FROM audit; DELETE FROM report;", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

static int
sos_op(void *arg)
{
	struct fx *f = arg;
	struct store_report r;
	bool created = false;

	return reports_worker_sos(&f->x, WORKER, "ms", 1700000000000, &r, &created);
}

static void
sos_check(void *arg, int rc, bool hit)
{
	struct fx *f = arg;
	int64_t reports = sfx_int(f->d.path, "SELECT COUNT(*) FROM report");
	int64_t audits = sfx_int(f->d.path, "SELECT COUNT(*) FROM audit");

	if (!hit)
		assert_int_equal(rc, 0);
	if (rc < 0) {
		assert_int_equal(reports, 0); /* nothing half-written */
		assert_int_equal(audits, 0);
	} else {
		assert_int_equal(reports, 1);
		assert_true(audits >= 1);
	}
	assert_int_equal(sos_op(f), 0);
	assert_int_equal(sfx_int(f->d.path, "SELECT COUNT(*) FROM report"), 1);
}

static void
test_sweep_sos(void **state)
{
	for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
		char name[64];
		struct fault_sweep s = { name, plans[i].kind, plans[i].rc, plans[i].persist, 5000,
			1, sos_reset, sos_op, sos_check };

		snprintf(name, sizeof(name), "reports_worker_sos/%s", plans[i].name);
		(void)fault_sweep_run(&s, *state);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sweep_sos, setup, teardown),
	};
	int rc;

	if (fault_init() != 0)
		return 1;
	log_init("test", LOG_LEVEL_ERROR);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("fault sweep points (test_fault_reports): %d\n", fault_sweep_total());
	return rc;
}
