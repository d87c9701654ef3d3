/* store_retention.c - erases personal data once it is no longer needed:
 * the message queues after the retention period (the rows, and so the
 * counts, stay), menu sessions once their timeout is past, a number's
 * preferences after a period without activity, and finds open reports
 * idle past retention. The connection runs with secure_delete (store_schema.c), so
 * erased text is overwritten in the file, and store_wal_truncate empties
 * the WAL of the pages that still held it. */
#include "store/store_int.h"

#include <stdlib.h>

#include "store/store.h"

int
store_erase_messages_before(struct store *st, int64_t cutoff_ms)
{
	static const enum store_stmt which[] = { STMT_IN_ERASE, STMT_OUT_ERASE, STMT_SESSION_EXPIRE,
		STMT_FRAG_ERASE };
	int changed = 0;

	if (store_begin(st) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
		if (sqlite3_bind_int64(st->stmt[which[i]], 1, cutoff_ms) != SQLITE_OK) {
			store_logerr(st, "retention bind");
			store_stmt_done(st->stmt[which[i]]);
			goto fail;
		}
		if (store_step_done(st, which[i], "retention") < 0)
			goto fail;
		changed += sqlite3_changes(st->db);
	}
	if (store_commit(st) < 0)
		goto fail;
	return changed;
fail:
	store_rollback(st);
	return -1;
}

/* Runs one bound-by-position statement with int64 values v[0..n) that
 * returns no rows; adds the rows it changed to *changed. 0 or -1. */
static int
store_retention_run(struct store *st, const char *sql, const int64_t *v, int n, int *changed,
    const char *what)
{
	sqlite3_stmt *stmt = store_prepare_once(st, sql, what);

	if (stmt == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		if (sqlite3_bind_int64(stmt, i + 1, v[i]) != SQLITE_OK) {
			store_logerr(st, what);
			sqlite3_finalize(stmt);
			return -1;
		}
	}
	if (store_once_done(st, stmt, what) < 0)
		return -1;
	*changed += sqlite3_changes(st->db);
	return 0;
}

int
store_session_expire(struct store *st, int64_t sms_cutoff_ms, int64_t ussd_cutoff_ms)
{
	const int64_t v[2] = { sms_cutoff_ms, ussd_cutoff_ms };
	int changed = 0;

	/* A timed-out session restarts at home with the number's prefs
	 * (engine_step), exactly as a missing row does: the row is only
	 * personal data once its timeout is past. */
	if (store_retention_run(st,
		"DELETE FROM session WHERE last_ms < CASE channel WHEN 'ussd' THEN ?2 ELSE ?1 END",
		v, 2, &changed, "session expire") < 0)
		return -1;
	return changed;
}

int
store_prefs_expire(struct store *st, int64_t cutoff_ms)
{
	int changed = 0;

	if (store_retention_run(st,
		"DELETE FROM prefs WHERE updated_ms < ?1"
		" AND NOT EXISTS (SELECT 1 FROM inbound WHERE sender = prefs.msisdn"
		"  AND received_at_ms >= ?1)"
		" AND NOT EXISTS (SELECT 1 FROM session WHERE msisdn = prefs.msisdn"
		"  AND last_ms >= ?1)"
		" AND NOT EXISTS (SELECT 1 FROM ussd_session WHERE msisdn = prefs.msisdn"
		"  AND updated_ms >= ?1)"
		" AND NOT EXISTS (SELECT 1 FROM report WHERE msisdn = prefs.msisdn"
		"  AND erased = 0)",
		&cutoff_ms, 1, &changed, "prefs expire") < 0)
		return -1;
	return changed;
}

int
store_report_idle(struct store *st, int64_t cutoff_ms,
    int (*fn)(const struct store_report *r, void *arg), void *arg)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "SELECT ref FROM report WHERE state < 3 AND erased = 0 AND updated_ms < ?1"
	    " ORDER BY id",
	    "report idle");
	char(*refs)[STORE_REF_MAX] = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (stmt == NULL)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, cutoff_ms) != SQLITE_OK)
		goto fail;
	/* Refs first, so fn may write to the store. */
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap == 0 ? 16 : cap * 2;
			void *p = realloc(refs, ncap * sizeof(*refs));

			if (p == NULL)
				goto fail;
			refs = p;
			cap = ncap;
		}
		if (store_col_copy(stmt, 0, refs[n], sizeof(refs[n])) < 0)
			goto fail;
		n++;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(stmt);
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct store_report r;
		int got = store_report_get(st, refs[i], &r);

		if (got < 0)
			rc = -1;
		else if (got == 0 && fn(&r, arg) != 0)
			rc = 1;
	}
	free(refs);
	return rc < 0 ? -1 : 0;
fail:
	store_logerr(st, "report idle");
	sqlite3_finalize(stmt);
	free(refs);
	return -1;
}

int
store_wal_truncate(struct store *st)
{
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return 1;
	if (rc != SQLITE_OK) {
		store_logerr(st, "wal checkpoint");
		return -1;
	}
	return 0;
}
