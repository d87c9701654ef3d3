/* hdb.h - read-only queries on the gateway's SQLite database, so tests can
 * count and compare rows while the gateway runs (WAL lets both go on). */
#ifndef KAWAN_HDB_H
#define KAWAN_HDB_H

#include <stdint.h>

/* Called once per result row with the columns as text (NULL for SQL NULL). */
typedef int (*hdb_row_fn)(void *arg, int ncols, const char *const *cols);

/* Runs sql (a literal written by the test) on path opened read-only; for
 * each row calls fn (when fn returns non-zero, iteration stops and that
 * value is returned). Returns 0, or -1 when the query failed (e.g. the
 * database does not exist yet). */
int hdb_each(const char *path, const char *sql, hdb_row_fn fn, void *arg)
    __attribute__((warn_unused_result));
/* The integer in the first column of the first row (e.g. a COUNT). */
int hdb_int(const char *path, const char *sql, int64_t *out) __attribute__((warn_unused_result));

/* A write lock held by a connection of the test's own, read-write (WAL
 * readers go on; every writer, the gateway's included, waits or gets
 * SQLITE_BUSY until it is released). */
struct hdb_lock;
/* BEGIN IMMEDIATE on path, waiting up to timeout_ms for a writer that holds
 * it now. The lock is owned by the caller: hdb_lock_release. NULL on failure
 * (printed). */
struct hdb_lock *hdb_lock_take(const char *path, int timeout_ms);
/* Rolls back (nothing was written) and closes; NULL is ignored. */
void hdb_lock_release(struct hdb_lock *lock);

#endif
