/* test_diskfull.c - the gateway on a full disk, and under a long read
 * (issue 11, faults), end to end through libgammu and the simulated modem.
 *
 *  - Full disk: the real kawan-gateway runs under tests/e2e/enospc.c
 *    (LD_PRELOAD): while <dir>/disk-full exists, every write to the
 *    database, its WAL or its journal fails with ENOSPC, so SQLite's own
 *    unix VFS returns SQLITE_FULL as on a full partition. SMS that arrive
 *    meanwhile stay on the SIM (the sim's storage holds them), the log
 *    says so loudly once, the operators get exactly one SMS (sent straight
 *    through the modem: the queue cannot take a row), and once the file is
 *    gone (space returned) each SMS is stored once and answered once,
 *    without a restart.
 *  - A long read: a connection of the test's own (as `kawanctl reports`
 *    would be) holds a read transaction for several seconds while SMS
 *    arrive. In WAL mode writes go on (the checkpoint waits): every SMS is
 *    answered once, and nothing is lost. The write lock is tested in
 *    test_channels.c (the database locked 25 s while a reply is sent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"

#define OPERATOR "+60100000077"
#define WAIT_MS 60000
#define NWORKERS 3

static const char *const workers[NWORKERS] = { "+60123400001", "+60123400002", "+60123400003" };

/* Waits for the k-th message to dest. 0 or -1. */
static int
wait_to(struct harness *h, const char *dest, long k)
{
	struct hctl_sent msg;

	if (hgw_wait_nth(h, dest, k, WAIT_MS, &msg) != 0)
		return -1;
	printf("  to %s: %s\n", dest, msg.text);
	hgw_msg_free(&msg);
	return 0;
}

static int
setup(void **state)
{
	return e2e_setup(state, "diskfull");
}

/* Starts the gateway under the ENOSPC library (only the gateway: the sim
 * and the test write freely). */
static void
start_full_capable(struct harness *h, const char *flag)
{
	char lib[HARNESS_PATH_MAX + 64], asan[1024];
	const char *old = getenv("ASAN_OPTIONS");

	snprintf(lib, sizeof(lib), "%s/tests/e2e/libenospc.so", h->bin);
	E2E_CHECK(h, access(lib, R_OK) == 0);
	/* An ASan gateway wants its runtime first; ours only wraps write(). */
	snprintf(asan, sizeof(asan), "%s%sverify_asan_link_order=0", old ? old : "",
	    old && *old ? ":" : "");
	E2E_CHECK(h, setenv("KAWAN_ENOSPC_FLAG", flag, 1) == 0);
	E2E_CHECK(h, setenv("KAWAN_ENOSPC_MATCH", h->db, 1) == 0);
	E2E_CHECK(h, setenv("ASAN_OPTIONS", asan, 1) == 0);
	E2E_CHECK(h, setenv("LD_PRELOAD", lib, 1) == 0);
	E2E_OK(h, hgw_start(h, "operators = [ \"" OPERATOR "\" ];\n"));
	unsetenv("LD_PRELOAD");
	if (old != NULL)
		setenv("ASAN_OPTIONS", old, 1);
	else
		unsetenv("ASAN_OPTIONS");
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
}

static void
test_disk_full(void **state)
{
	struct harness *h = *state;
	char flag[HARNESS_PATH_MAX];
	long stored = -1;
	FILE *fp;

	h->opts.poll_interval = 2.0;
	E2E_OK(h, harness_path(h, "disk-full", flag, sizeof(flag)));
	E2E_OK(h, harness_sim_start(h));
	start_full_capable(h, flag);

	/* The disk fills. */
	fp = fopen(flag, "w");
	E2E_CHECK(h, fp != NULL);
	fclose(fp);
	for (int i = 0; i < NWORKERS; i++)
		E2E_OK(h, harness_inject(h, workers[i], "TOLONG majikan ambil paspor"));
	E2E_OK(h, harness_wait_log(h, "*** DATABASE FULL ***", 1, WAIT_MS));
	E2E_OK(h, harness_wait_stat(h, "stored", NWORKERS, NWORKERS, WAIT_MS));
	E2E_OK(h, wait_to(h, OPERATOR, 1));
	/* Several retries later: still on the SIM, told once, logged once. */
	sleep(8);
	E2E_OK(h, harness_stat(h, "stored", &stored));
	E2E_CHECK(h, stored == NWORKERS);
	E2E_CHECK(h, hgw_count_to(h, OPERATOR) == 1);
	E2E_CHECK(h, harness_log_count(h, "*** DATABASE FULL ***") == 1);
	for (int i = 0; i < NWORKERS; i++)
		E2E_CHECK(h, hgw_count_to(h, workers[i]) == 0);
	E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM inbound") == 0);

	/* Space returns: taken off the SIM, stored once, answered once. */
	E2E_CHECK(h, unlink(flag) == 0);
	E2E_OK(h, harness_wait_stat(h, "stored", 0, 0, WAIT_MS));
	for (int i = 0; i < NWORKERS; i++)
		E2E_OK(h, wait_to(h, workers[i], 1));
	E2E_OK(h, harness_wait_log(h, "the database takes writes again", 1, WAIT_MS));
	sleep(3);
	for (int i = 0; i < NWORKERS; i++) {
		E2E_CHECK(h, hgw_count_to(h, workers[i]) == 1);
		E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM inbound WHERE sender = '%s'",
				 workers[i]) == 1);
	}
	E2E_CHECK(h, hgw_count_to(h, OPERATOR) == 1);
	E2E_CHECK(h, harness_log_count(h, "*** DATABASE FULL ***") == 1);
	E2E_CHECK(h, harness_log_count(h, "the database takes writes again") == 1);
	E2E_CHECK(h, harness_gw_alive(h));
}

static void
test_long_read(void **state)
{
	struct harness *h = *state;
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int64_t t0;

	e2e_start(h);
	/* A reader holds a snapshot, as a slow `kawanctl reports list` would. */
	E2E_CHECK(h, sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	E2E_CHECK(h, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK);
	E2E_CHECK(h,
	    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM inbound", -1, &stmt, NULL) == SQLITE_OK);
	E2E_CHECK(h, sqlite3_step(stmt) == SQLITE_ROW);
	t0 = hproc_mono_ms();
	for (int i = 0; i < NWORKERS; i++)
		E2E_OK(h, harness_inject(h, workers[i], "TOLONG"));
	/* Writes go on under the reader: each worker answered while it reads. */
	for (int i = 0; i < NWORKERS; i++)
		E2E_OK(h, wait_to(h, workers[i], 1));
	printf("long read: %d SMS answered in %lld ms while a reader held the database\n", NWORKERS,
	    (long long)(hproc_mono_ms() - t0));
	/* The reader's transaction was open all along: its snapshot is the old one. */
	sqlite3_reset(stmt);
	E2E_CHECK(h, sqlite3_step(stmt) == SQLITE_ROW);
	E2E_CHECK(h, sqlite3_column_int(stmt, 0) == 0);
	sleep(2);
	sqlite3_finalize(stmt);
	E2E_CHECK(h, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	sleep(2);
	for (int i = 0; i < NWORKERS; i++) {
		E2E_CHECK(h, hgw_count_to(h, workers[i]) == 1);
		E2E_CHECK(h, harness_db_value(h, "SELECT COUNT(*) FROM inbound WHERE sender = '%s'",
				 workers[i]) == 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_disk_full, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_long_read, setup, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
