/* store.c - the connection: open (settings and migrations in
 * store_schema.c), the prepared statements every store file uses,
 * transactions, and the helpers that run statements. The queues are in
 * store_queue.c, fragments of concatenated SMS in store_fragment.c, staged
 * parts in store_staged.c, sessions, reports and retention in their files.
 *
 * One struct store is one SQLite connection with its prepared statements:
 * use it from one thread at a time; each thread opens its own (DESIGN.md
 * "Threads and channels"). Other threads and processes (the admin CLI) may
 * open the same file; writers wait up to STORE_BUSY_MS for each other. */
#include "store/store.h"

#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "store/store_int.h"

static const char *const store_sql[STMT_COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_IN_INSERT] = "INSERT INTO inbound (channel, sender, text, sent_at_ms,"
			   " received_at_ms, flags, dedupe_key, state, modem)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'new', ?8)"
			   " ON CONFLICT (dedupe_key) DO NOTHING",
	[STMT_IN_BY_KEY] = "SELECT id FROM inbound WHERE dedupe_key = ?1",
	[STMT_IN_NEXT] =
	    "SELECT id, channel, sender, text, sent_at_ms, received_at_ms, flags, modem"
	    " FROM inbound WHERE state = 'new' ORDER BY id LIMIT 1",
	[STMT_IN_DONE] = "UPDATE inbound SET state = 'done', done_at_ms = coalesce(done_at_ms, ?2)"
			 " WHERE id = ?1",
	[STMT_OUT_INSERT] = "INSERT INTO outbound (channel, dest, text, msg_class, inbound_id,"
			    " state, attempts, next_attempt_ms, created_ms, priority, modem)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, 'queued', 0, ?6, ?6, ?7, ?8)",
	/* Fair per recipient (store_queue.c): each recipient with a queued row
	 * once (a skip scan of outbound_queued_dest), its best due row, and
	 * its last send (outbound_sent_dest); the most urgent, then the
	 * recipient served longest ago (never: first), then due soonest. */
	[STMT_OUT_NEXT] =
	    "WITH RECURSIVE d(dest) AS ("
	    " SELECT (SELECT min(dest) FROM outbound INDEXED BY outbound_queued_dest"
	    " WHERE state = 'queued')"
	    " UNION ALL"
	    " SELECT (SELECT min(dest) FROM outbound INDEXED BY outbound_queued_dest"
	    " WHERE state = 'queued' AND dest > d.dest)"
	    " FROM d WHERE d.dest IS NOT NULL),"
	    " c(id, last_ms) AS (SELECT"
	    " (SELECT q.id FROM outbound q INDEXED BY outbound_queued_dest WHERE q.state = 'queued' AND q.dest = d.dest"
	    " AND q.next_attempt_ms <= ?1"
	    " AND (?2 IS NULL OR ((q.modem = ?2 OR q.modem = '') AND q.channel = ?3))"
	    " ORDER BY q.priority DESC, q.next_attempt_ms, q.id LIMIT 1),"
	    " (SELECT max(s.sent_ms) FROM outbound s WHERE s.state = 'sent' AND s.dest = d.dest)"
	    " FROM d WHERE d.dest IS NOT NULL)"
	    " SELECT o.id, o.channel, o.dest, o.text, o.msg_class, o.attempts,"
	    " o.next_attempt_ms, o.inbound_id, o.modem, o.priority"
	    " FROM c JOIN outbound o ON o.id = c.id"
	    " ORDER BY o.priority DESC, coalesce(c.last_ms, 0), o.next_attempt_ms, o.id LIMIT 1",
	[STMT_OUT_NEXT_AT] = "SELECT next_attempt_ms FROM outbound WHERE state = 'queued'"
			     " AND (?1 IS NULL OR ((modem = ?1 OR modem = '') AND channel = ?2))"
			     " ORDER BY next_attempt_ms, id LIMIT 1",
	[STMT_OUT_CLAIM] =
	    "UPDATE outbound SET modem = ?2 WHERE id = ?1 AND modem = '' AND state = 'queued'",
	[STMT_OUT_DEFER] = "UPDATE outbound SET next_attempt_ms = ?2, last_error = ?3"
			   " WHERE id = ?1 AND state = 'queued'",
	[STMT_OUT_ADOPT] = "UPDATE outbound SET modem = ?1 WHERE modem = '' AND state = 'queued'"
			   " AND id IN (SELECT outbound_id FROM outbound_part)",
	[STMT_OUT_SENT] = "UPDATE outbound SET state = 'sent', attempts = attempts + 1,"
			  " sent_ms = ?2, msg_ref = ?3, last_error = NULL, doubt_ms = NULL"
			  " WHERE id = ?1 AND state = 'queued'",
	[STMT_OUT_RETRY] = "UPDATE outbound SET attempts = attempts + 1, next_attempt_ms = ?2,"
			   " last_error = ?3 WHERE id = ?1 AND state = 'queued'",
	[STMT_OUT_SENT_AT] = "SELECT state, sent_ms FROM outbound WHERE id = ?1",
	[STMT_OUT_FAILED] = "UPDATE outbound SET state = 'failed', attempts = attempts + 1,"
			    " last_error = ?2 WHERE id = ?1 AND state = 'queued'",
	[STMT_STATS] = "SELECT (SELECT count(*) FROM inbound),"
		       " (SELECT count(*) FROM inbound WHERE state = 'new'),"
		       " (SELECT count(*) FROM outbound WHERE state = 'queued'),"
		       " (SELECT count(*) FROM outbound WHERE state = 'sent'),"
		       " (SELECT count(*) FROM outbound WHERE state = 'failed')",
	[STMT_PART_INSERT] = "INSERT INTO outbound_part (outbound_id, part, folder, location)"
			     " VALUES (?1, ?2, ?3, ?4)",
	[STMT_PART_LIST] = "SELECT folder, location FROM outbound_part WHERE outbound_id = ?1"
			   " ORDER BY part",
	[STMT_PART_DELETE] = "DELETE FROM outbound_part WHERE outbound_id = ?1",
	[STMT_PART_IN_USE] = "SELECT 1 FROM outbound_part p JOIN outbound o ON o.id = p.outbound_id"
			     " WHERE o.state = 'queued' AND p.folder = ?1 AND p.location = ?2"
			     " AND o.modem IN (?3, '') LIMIT 1",
	[STMT_SESSION_GET] =
	    "SELECT state, node, page, path, lang, variant, discreet, last_ms, report_step,"
	    " report_answered FROM session"
	    " WHERE channel = ?1 AND msisdn = ?2",
	[STMT_SESSION_PUT] =
	    "INSERT OR REPLACE INTO session (channel, msisdn, state, node, page, path, lang,"
	    " variant, discreet, last_ms, report_step, report_answered)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[STMT_SESSION_DELETE] = "DELETE FROM session WHERE msisdn = ?1",
	[STMT_PREFS_GET] = "SELECT lang, variant, discreet, opted_out FROM prefs WHERE msisdn = ?1",
	[STMT_PREFS_PUT] =
	    "INSERT OR REPLACE INTO prefs (msisdn, lang, variant, discreet, opted_out, updated_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_REPORT_INSERT] =
	    "INSERT INTO report (ref, msisdn, lang, nationality, state, created_ms, updated_ms)"
	    " VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)",
	[STMT_REPORT_FIND_OPEN] = "SELECT " STORE_REPORT_COLS " FROM report"
				  " WHERE msisdn = ?1 AND state < 3 AND created_ms >= ?2"
				  " ORDER BY created_ms DESC, id DESC LIMIT 1",
	[STMT_REPORT_BY_REF] = "SELECT " STORE_REPORT_COLS " FROM report WHERE ref = ?1",
	[STMT_REPORT_BY_ID] = "SELECT " STORE_REPORT_COLS " FROM report WHERE id = ?1",
	[STMT_REPORT_SET] = "UPDATE report SET"
			    " nationality = CASE ?2 WHEN 0 THEN ?3 ELSE nationality END,"
			    " category = CASE ?2 WHEN 1 THEN ?3 ELSE category END,"
			    " place = CASE ?2 WHEN 2 THEN ?3 ELSE place END,"
			    " callback = CASE ?2 WHEN 3 THEN ?3 ELSE callback END,"
			    " message = CASE ?2 WHEN 4 THEN ?3 ELSE message END,"
			    " lang = CASE ?2 WHEN 5 THEN ?3 ELSE lang END,"
			    " updated_ms = ?4 WHERE id = ?1",
	[STMT_REPORT_SAVE] =
	    "UPDATE report SET state = ?2, updated_ms = ?3, alerted_ms = ?4, acked_ms = ?5,"
	    " closed_ms = ?6, acked_by = ?7, closed_by = ?8, outcome = ?9, alert_level = ?10,"
	    " reminders = ?11, next_alert_ms = ?12, last_alert_out_id = ?13 WHERE id = ?1",
	[STMT_REPORT_EACH] = "SELECT " STORE_REPORT_COLS " FROM report"
			     " WHERE (?1 < 0 OR state = ?1) AND (?2 = '' OR nationality = ?2)"
			     " AND (?3 = 0 OR created_ms >= ?3) AND (?4 = 0 OR created_ms < ?4)"
			     " ORDER BY created_ms, id",
	[STMT_REPORT_DUE] =
	    "SELECT id FROM report WHERE (next_alert_ms > 0 AND next_alert_ms <= ?1)"
	    " UNION SELECT id FROM report WHERE state = 0 ORDER BY 1",
	[STMT_REPORT_ERASABLE] =
	    "SELECT id FROM report WHERE state = 3 AND closed_ms < ?1 AND erased = 0"
	    " ORDER BY id",
	/* A role in place of a name: what the figures need and no more. */
	[STMT_REPORT_ERASE] =
	    "UPDATE report SET msisdn = '', place = '', callback = '', message = '',"
	    " outcome = '', erased = 1,"
	    " acked_by = " STORE_ROLE_OF(
		"acked_by") ","
			    " closed_by = " STORE_ROLE_OF(
				"closed_by") " WHERE id = ?1 AND state = 3",
	[STMT_AUDIT_ERASE] =
	    "UPDATE audit SET detail = '', actor = " STORE_ROLE_OF("actor") " WHERE report_id = ?1",
	[STMT_AUDIT_INSERT] = "INSERT INTO audit (report_id, at_ms, actor, channel, action, detail)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_AUDIT_EACH] = "SELECT id, report_id, at_ms, actor, channel, action, detail FROM audit"
			    " WHERE report_id = ?1 ORDER BY id",
	[STMT_PIN_GET] = "SELECT failures, locked_until_ms FROM officer_pin WHERE number = ?1",
	/* An upsert, not INSERT OR REPLACE: the lock count (v15) stays. */
	[STMT_PIN_PUT] = "INSERT INTO officer_pin (number, failures, locked_until_ms)"
			 " VALUES (?1, ?2, ?3) ON CONFLICT (number) DO UPDATE SET"
			 " failures = ?2, locked_until_ms = ?3",
	[STMT_IN_ERASE] = "UPDATE inbound SET text = '', sender = 'erased'"
			  " WHERE state = 'done' AND received_at_ms < ?1 AND sender != 'erased'",
	[STMT_OUT_ERASE] = "UPDATE outbound SET text = '', dest = 'erased'"
			   " WHERE state != 'queued' AND created_ms < ?1 AND dest != 'erased'",
	[STMT_SESSION_EXPIRE] = "DELETE FROM session WHERE last_ms < ?1",
	[STMT_FRAG_INSERT] =
	    "INSERT INTO fragment (modem, sender, ref, total, seq, text, flags, sent_at_ms,"
	    " location, received_at_ms, dedupe_key)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	    " ON CONFLICT (dedupe_key) DO NOTHING",
	[STMT_FRAG_GROUP] = "SELECT " STORE_FRAGMENT_COLS " FROM fragment"
			    " WHERE inbound_id IS NULL AND modem = ?1 AND sender = ?2 AND ref = ?3"
			    " AND total = ?4 ORDER BY seq, id",
	[STMT_FRAG_JOINED] = "UPDATE fragment SET inbound_id = ?2 WHERE id = ?1",
	[STMT_FRAG_OLDEST] = "SELECT " STORE_FRAGMENT_COLS " FROM fragment"
			     " WHERE inbound_id IS NULL AND received_at_ms < ?1"
			     " ORDER BY received_at_ms, id LIMIT 1",
	[STMT_FRAG_ERASE] =
	    "DELETE FROM fragment WHERE inbound_id IS NOT NULL AND received_at_ms < ?1",
	[STMT_USSD_GET] = "SELECT " STORE_USSD_COLS " FROM ussd_session"
			  " WHERE session_id = ?1 AND msisdn = ?2",
	[STMT_USSD_PUT] = "INSERT OR REPLACE INTO ussd_session (" STORE_USSD_COLS ")"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[STMT_USSD_OWED] = "SELECT " STORE_USSD_COLS " FROM ussd_session"
			   " WHERE report_ref <> '' AND ref_shown = 0 AND ref_sms = 0"
			   " AND updated_ms < ?1 ORDER BY updated_ms LIMIT 1",
	[STMT_USSD_REF_SMS] = "UPDATE ussd_session SET ref_sms = 1"
			      " WHERE session_id = ?1 AND msisdn = ?2",
	[STMT_USSD_EXPIRE] = "DELETE FROM ussd_session WHERE updated_ms < ?1"
			     " AND NOT (report_ref <> '' AND ref_shown = 0 AND ref_sms = 0)",
	/* store_flood.c: run for every answer, so prepared here. */
	[STMT_FLOOD_ANSWERS] = "SELECT count(*) FROM outbound WHERE dest = ?1 AND created_ms >= ?2"
			       " AND inbound_id IS NOT NULL",
	[STMT_FLOOD_HOLD_UPDATE] =
	    "UPDATE outbound SET text = ?1, msg_class = ?2, inbound_id = ?3, next_attempt_ms = ?4"
	    " WHERE id = (SELECT h.id FROM outbound h WHERE h.state = 'queued' AND h.dest = ?5"
	    " AND h.channel = ?6 AND h.modem = ?7 AND h.held = 1 AND h.next_attempt_ms > ?8"
	    " AND NOT EXISTS (SELECT 1 FROM outbound_part p WHERE p.outbound_id = h.id)"
	    " ORDER BY h.id DESC LIMIT 1) RETURNING id",
};

/* Logs the connection's last error with what we were doing. */
void
store_logerr(struct store *st, const char *what)
{
	st->last_err = sqlite3_extended_errcode(st->db);
	log_warnx("store: %s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

sqlite3_stmt *
store_prepare_once(struct store *st, const char *sql, const char *what)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_logerr(st, what);
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

int
store_once_done(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);

	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_logerr(st, what);
		return -1;
	}
	return 0;
}

int
store_once_text_int(struct store *st, const char *sql, const char *what, const char *text,
    int64_t v)
{
	sqlite3_stmt *stmt = store_prepare_once(st, sql, what);

	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, text) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, v) != SQLITE_OK) {
		store_logerr(st, what);
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, what);
}

int
store_once_int_row(struct store *st, const char *sql, const char *what, const char *text, int64_t v,
    int *out)
{
	sqlite3_stmt *stmt = store_prepare_once(st, sql, what);
	int rc;

	*out = 0;
	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, text) != SQLITE_OK ||
	    (sqlite3_bind_parameter_count(stmt) >= 2 &&
		sqlite3_bind_int64(stmt, 2, v) != SQLITE_OK)) {
		store_logerr(st, what);
		sqlite3_finalize(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_logerr(st, what);
		return -1;
	}
	return 0;
}

int
store_once_id(struct store *st, const char *sql, const char *what, int64_t id, int64_t v)
{
	sqlite3_stmt *stmt = store_prepare_once(st, sql, what);

	if (stmt == NULL)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    (sqlite3_bind_parameter_count(stmt) >= 2 &&
		sqlite3_bind_int64(stmt, 2, v) != SQLITE_OK)) {
		store_logerr(st, what);
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, what);
}

/* Returns a prepared statement to its unbound, reset state for reuse. */
void
store_stmt_done(sqlite3_stmt *stmt)
{
	/* The step's error, if any, was already taken from sqlite3_step. */
	(void)sqlite3_reset(stmt);
	(void)sqlite3_clear_bindings(stmt);
}

/* Binds a borrowed string; freed strings are never read again because
 * store_stmt_done clears every binding before returning to the caller. */
int
store_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
}

/* Runs a statement that returns no rows. Returns 0 or -1 (logged). */
int
store_step_done(struct store *st, enum store_stmt which, const char *what)
{
	sqlite3_stmt *stmt = st->stmt[which];
	int rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE) {
		store_logerr(st, what);
		store_stmt_done(stmt);
		return -1;
	}
	store_stmt_done(stmt);
	return 0;
}

/* Copies a text column into a fixed buffer; a NULL or oversized value is an error. */
int
store_col_copy(sqlite3_stmt *stmt, int col, char *dst, size_t dstsz)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	if (s == NULL)
		return -1;
	return util_strcopy(dst, dstsz, (const char *)s);
}

int
store_step_row(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		store_logerr(st, what);
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 1 : -1;
}

/* Returns a malloc'd copy of a text column (caller frees), or NULL. */
char *
store_col_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);
	int len = sqlite3_column_bytes(stmt, col);
	char *copy;

	if (s == NULL || len < 0)
		return NULL;
	copy = malloc((size_t)len + 1);
	if (copy == NULL)
		return NULL;
	memcpy(copy, s, (size_t)len);
	copy[len] = '\0';
	return copy;
}

int
store_prepare_all(struct store *st)
{
	for (int i = 0; i < STMT_COUNT; i++) {
		int rc = sqlite3_prepare_v3(st->db, store_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &st->stmt[i], NULL);

		if (rc != SQLITE_OK) {
			log_warnx("store: %s: cannot prepare \"%s\": %s", st->path, store_sql[i],
			    sqlite3_errmsg(st->db));
			return -1;
		}
	}
	return 0;
}

struct store *
store_alloc(const char *path)
{
	struct store *st = calloc(1, sizeof(*st));

	if (st == NULL) {
		log_warn("store: calloc");
		return NULL;
	}
	if (path == NULL || path[0] == '\0' ||
	    util_strcopy(st->path, sizeof(st->path), path) == -1) {
		log_warnx("store: database path empty or too long");
		free(st);
		return NULL;
	}
	return st;
}

int
store_open(const char *path, struct store **out)
{
	struct store *st;
	int rc;

	*out = NULL;
	st = store_alloc(path);
	if (st == NULL)
		return -1;
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		int sys = st->db != NULL ? sqlite3_system_errno(st->db) : 0;

		log_warnx("store: %s: cannot open: %s%s%s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc),
		    sys != 0 ? ": " : "", sys != 0 ? strerror(sys) : "");
		goto fail;
	}
	if (store_setup(st, STORE_BUSY_MS) == -1 || store_migrate(st) == -1 ||
	    store_prepare_all(st) == -1)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		log_warnx("store: %s: close: %s", st->path, sqlite3_errmsg(st->db));
	free(st);
}

int
store_schema_version(struct store *st)
{
	return st->version;
}

const char *
store_errmsg(struct store *st)
{
	return sqlite3_errmsg(st->db);
}

int
store_begin(struct store *st)
{
	return store_step_done(st, STMT_BEGIN, "begin");
}

/* On failure the transaction may still be open: call store_rollback(). */
int
store_commit(struct store *st)
{
	return store_step_done(st, STMT_COMMIT, "commit");
}

int64_t
store_changes(struct store *st)
{
	return sqlite3_total_changes64(st->db);
}

bool
store_in_transaction(struct store *st)
{
	return sqlite3_get_autocommit(st->db) == 0;
}

void
store_rollback(struct store *st)
{
	if (sqlite3_get_autocommit(st->db))
		return;
	(void)store_step_done(st, STMT_ROLLBACK, "rollback");
}
