/* store_fixture.h - a throw-away store for the unit tests: a fresh SQLite
 * database in a mkdtemp folder, opened; reopened (a restart); closed and
 * removed with its -wal and -shm files. Every unit test that opens a store
 * uses it: as cmocka setup/teardown (sfx_setup, sfx_teardown, state is a
 * struct sfx_db) or inside a larger fixture (sfx_open, sfx_close). */
#ifndef KAWAN_STORE_FIXTURE_H
#define KAWAN_STORE_FIXTURE_H

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

struct sfx_db {
	char dir[64];     /* /tmp/<prefix>-XXXXXX */
	char path[128];   /* dir/kawan.db */
	struct store *st; /* open between sfx_open and sfx_close */
};

/* Removes path and its -wal and -shm files (those missing are no error). */
static inline void
sfx_remove_db_files(const char *path)
{
	char p[256];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

/* Makes /tmp/<prefix>-XXXXXX and opens a new store as kawan.db in it.
 * 0 or -1 (usable from a cmocka setup, where a failed assert is no help). */
static inline int
sfx_open(struct sfx_db *d, const char *prefix)
{
	d->st = NULL;
	if (snprintf(d->dir, sizeof(d->dir), "/tmp/%s-XXXXXX", prefix) >= (int)sizeof(d->dir))
		return -1;
	if (mkdtemp(d->dir) == NULL)
		return -1;
	if (snprintf(d->path, sizeof(d->path), "%s/kawan.db", d->dir) >= (int)sizeof(d->path))
		return -1;
	return store_open(d->path, &d->st) == 0 ? 0 : -1;
}

/* Runs one integer query on a separate raw connection (as the admin CLI
 * or another thread would) and returns its one value. */
static inline int64_t
sfx_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	int64_t v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* Closes the store and opens the same file again, as a restart would. */
static inline void
sfx_reopen(struct sfx_db *d)
{
	store_close(d->st);
	d->st = NULL;
	assert_int_equal(store_open(d->path, &d->st), 0);
}

/* Closes the store (when open) and removes the database and its folder. */
static inline void
sfx_close(struct sfx_db *d)
{
	if (d->st != NULL)
		store_close(d->st);
	d->st = NULL;
	sfx_remove_db_files(d->path);
	rmdir(d->dir);
}

/* cmocka setup: *state becomes a struct sfx_db the teardown frees; the
 * folder is named after the test binary. */
static inline int
sfx_setup(void **state)
{
	struct sfx_db *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return -1;
	if (sfx_open(d, program_invocation_short_name) != 0) {
		sfx_close(d);
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static inline int
sfx_teardown(void **state)
{
	struct sfx_db *d = *state;

	sfx_close(d);
	free(d);
	return 0;
}

#endif
