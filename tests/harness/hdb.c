/* hdb.c - read-only queries on the gateway's SQLite database. */
#include "hdb.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#define HDB_MAX_COLS 16

int
hdb_each(const char *path, const char *sql, hdb_row_fn fn, void *arg)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int rc = -1, step;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto done;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		goto done;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *cols[HDB_MAX_COLS];
		int n = sqlite3_column_count(stmt);
		int r;

		if (n > HDB_MAX_COLS)
			n = HDB_MAX_COLS;
		for (int i = 0; i < n; i++)
			cols[i] = (const char *)sqlite3_column_text(stmt, i);
		r = fn ? fn(arg, n, cols) : 0;
		if (r != 0) {
			rc = r;
			goto done;
		}
	}
	if (step == SQLITE_DONE)
		rc = 0;
done:
	if (rc < 0 && db != NULL && getenv("KAWAN_HDB_DEBUG") != NULL)
		fprintf(stderr, "harness: db %s: %s\n", path, sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return rc;
}

static int
hdb_first_int(void *arg, int ncols, const char *const *cols)
{
	int64_t *out = arg;

	if (ncols < 1 || cols[0] == NULL)
		return -1;
	*out = strtoll(cols[0], NULL, 10);
	return 1;
}

int
hdb_int(const char *path, const char *sql, int64_t *out)
{
	int rc = hdb_each(path, sql, hdb_first_int, out);

	return rc == 1 ? 0 : -1;
}

struct hdb_lock {
	sqlite3 *db;
};

struct hdb_lock *
hdb_lock_take(const char *path, int timeout_ms)
{
	struct hdb_lock *l = calloc(1, sizeof(*l));
	char *err = NULL;

	if (l == NULL)
		return NULL;
	if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(l->db, timeout_ms) != SQLITE_OK ||
	    sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "harness: cannot lock %s: %s\n", path,
		    err != NULL   ? err :
		    l->db != NULL ? sqlite3_errmsg(l->db) :
				    "out of memory");
		sqlite3_free(err);
		sqlite3_close(l->db);
		free(l);
		return NULL;
	}
	return l;
}

void
hdb_lock_release(struct hdb_lock *l)
{
	if (l == NULL)
		return;
	if (sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "harness: rollback of the test's lock: %s\n",
		    sqlite3_errmsg(l->db));
	sqlite3_close(l->db);
	free(l);
}
