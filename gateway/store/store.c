/* store.c - the crash-safe inbound and outbound queues in SQLite (WAL,
 * synchronous=FULL): open, versioned migrations, transactions, queue rows.
 *
 * Inbound row states:   new --store_inbound_mark_done()--> done
 * Outbound row states:  queued --store_outbound_mark_sent()-->   sent
 *                       queued --store_outbound_mark_retry()-->  queued (attempts+1)
 *                       queued --store_outbound_mark_failed()--> failed
 * Due outbound rows go out most urgent first (priority: officer alerts
 * before replies), then soonest due, then lowest id.
 * Invariant: an inbound message has at most one outbound reply (a partial
 * UNIQUE index on outbound.inbound_id), so retries never answer twice.
 *
 * One struct store is one SQLite connection with its prepared statements:
 * use it from one thread at a time. Other processes (the admin CLI) may open
 * the same file; writers wait up to STORE_BUSY_MS for each other. */
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

#define STORE_BUSY_MS 5000

/* Schema migrations, in order: step i takes user_version i to i + 1 and
 * runs in one transaction together with that bump. Append only; never edit
 * a step that has shipped. */
static const char *const store_migrations[] = {
	/* 1: inbound and outbound queues. */
	"CREATE TABLE inbound ("
	"  id INTEGER PRIMARY KEY,"
	"  channel TEXT NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  sent_at_ms INTEGER,"
	"  received_at_ms INTEGER NOT NULL,"
	"  flags INTEGER NOT NULL DEFAULT 0,"
	"  dedupe_key TEXT NOT NULL UNIQUE,"
	"  state TEXT NOT NULL CHECK (state IN ('new', 'done')),"
	"  done_at_ms INTEGER);"
	"CREATE INDEX inbound_state ON inbound (state, id);"
	"CREATE TABLE outbound ("
	"  id INTEGER PRIMARY KEY,"
	"  channel TEXT NOT NULL,"
	"  dest TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  msg_class INTEGER NOT NULL DEFAULT -1 CHECK (msg_class BETWEEN -1 AND 3),"
	"  inbound_id INTEGER REFERENCES inbound (id),"
	"  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_ms INTEGER NOT NULL,"
	"  created_ms INTEGER NOT NULL,"
	"  sent_ms INTEGER,"
	"  msg_ref INTEGER,"
	"  last_error TEXT);"
	"CREATE INDEX outbound_due ON outbound (state, next_attempt_ms, id);"
	"CREATE UNIQUE INDEX outbound_one_reply ON outbound (inbound_id)"
	"  WHERE inbound_id IS NOT NULL;",
	/* 2: where each queued message's parts wait on the SIM (AT+CMGW), so
	 * a crash after AT+CMSS can tell sent parts from unsent ones. */
	"CREATE TABLE outbound_part ("
	"  outbound_id INTEGER NOT NULL REFERENCES outbound (id),"
	"  part INTEGER NOT NULL,"
	"  folder INTEGER NOT NULL,"
	"  location INTEGER NOT NULL,"
	"  PRIMARY KEY (outbound_id, part));"
	"CREATE INDEX outbound_part_slot ON outbound_part (folder, location);",
	/* 3: menu sessions that span SMS exchanges, and per-number preferences. */
	"CREATE TABLE session ("
	"  channel TEXT NOT NULL,"
	"  msisdn TEXT NOT NULL,"
	"  state INTEGER NOT NULL,"
	"  node TEXT NOT NULL,"
	"  page INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  zawgyi INTEGER NOT NULL,"
	"  discreet INTEGER NOT NULL,"
	"  last_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (channel, msisdn));"
	"CREATE TABLE prefs ("
	"  msisdn TEXT PRIMARY KEY,"
	"  lang TEXT NOT NULL,"
	"  zawgyi INTEGER NOT NULL,"
	"  discreet INTEGER NOT NULL,"
	"  opted_out INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL);",
	/* 4: distress reports (state: 0 new, 1 alerted, 2 acked, 3 closed, as
	 * enum store_report_state; times in unix ms, 0 = not yet), their
	 * audit trail, and officer PIN lockouts. Retention blanks the
	 * personal columns of a report and keeps the rest as figures. */
	"CREATE TABLE report ("
	"  id INTEGER PRIMARY KEY,"
	"  ref TEXT NOT NULL UNIQUE,"
	"  msisdn TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  nationality TEXT NOT NULL,"
	"  category TEXT NOT NULL DEFAULT '',"
	"  place TEXT NOT NULL DEFAULT '',"
	"  callback TEXT NOT NULL DEFAULT '',"
	"  message TEXT NOT NULL DEFAULT '',"
	"  state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 3),"
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL,"
	"  alerted_ms INTEGER NOT NULL DEFAULT 0,"
	"  acked_ms INTEGER NOT NULL DEFAULT 0,"
	"  closed_ms INTEGER NOT NULL DEFAULT 0,"
	"  acked_by TEXT NOT NULL DEFAULT '',"
	"  closed_by TEXT NOT NULL DEFAULT '',"
	"  outcome TEXT NOT NULL DEFAULT '',"
	"  alert_level INTEGER NOT NULL DEFAULT 0,"
	"  reminders INTEGER NOT NULL DEFAULT 0,"
	"  next_alert_ms INTEGER NOT NULL DEFAULT 0,"
	"  erased INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX report_open ON report (msisdn, state, created_ms);"
	"CREATE INDEX report_due ON report (next_alert_ms);"
	"CREATE INDEX report_state ON report (state, created_ms);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  report_id INTEGER NOT NULL REFERENCES report (id),"
	"  at_ms INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT NOT NULL);"
	"CREATE INDEX audit_report ON audit (report_id, id);"
	"CREATE TABLE officer_pin ("
	"  number TEXT PRIMARY KEY,"
	"  failures INTEGER NOT NULL,"
	"  locked_until_ms INTEGER NOT NULL);",
	/* 5: where a worker is in the report questions. */
	"ALTER TABLE session ADD COLUMN report_step INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE session ADD COLUMN report_answered INTEGER NOT NULL DEFAULT 0;",
	/* 6: urgent outbound rows (officer alerts) go before the rest; a
	 * report remembers its last alert, so the escalation clock starts
	 * when the modem accepted it rather than when it was queued. */
	"ALTER TABLE outbound ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE report ADD COLUMN last_alert_out_id INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX outbound_due_priority ON outbound"
	"  (state, priority DESC, next_attempt_ms, id);",
};
#define STORE_NMIGRATIONS ((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))


static const char *const store_sql[STMT_COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_IN_INSERT] =
	    "INSERT INTO inbound (channel, sender, text, sent_at_ms,"
	    " received_at_ms, flags, dedupe_key, state)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'new')"
	    " ON CONFLICT (dedupe_key) DO NOTHING",
	[STMT_IN_BY_KEY] = "SELECT id FROM inbound WHERE dedupe_key = ?1",
	[STMT_IN_NEXT] =
	    "SELECT id, channel, sender, text, sent_at_ms, received_at_ms, flags"
	    " FROM inbound WHERE state = 'new' ORDER BY id LIMIT 1",
	[STMT_IN_DONE] =
	    "UPDATE inbound SET state = 'done', done_at_ms = coalesce(done_at_ms, ?2)"
	    " WHERE id = ?1",
	[STMT_OUT_INSERT] =
	    "INSERT INTO outbound (channel, dest, text, msg_class, inbound_id,"
	    " state, attempts, next_attempt_ms, created_ms, priority)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, 'queued', 0, ?6, ?6, ?7)",
	[STMT_OUT_NEXT] =
	    "SELECT id, channel, dest, text, msg_class, attempts, next_attempt_ms,"
	    " inbound_id FROM outbound"
	    " WHERE state = 'queued' AND next_attempt_ms <= ?1"
	    " ORDER BY priority DESC, next_attempt_ms, id LIMIT 1",
	[STMT_OUT_NEXT_AT] =
	    "SELECT next_attempt_ms FROM outbound WHERE state = 'queued'"
	    " ORDER BY next_attempt_ms, id LIMIT 1",
	[STMT_OUT_SENT] =
	    "UPDATE outbound SET state = 'sent', attempts = attempts + 1,"
	    " sent_ms = ?2, msg_ref = ?3, last_error = NULL"
	    " WHERE id = ?1 AND state = 'queued'",
	[STMT_OUT_RETRY] =
	    "UPDATE outbound SET attempts = attempts + 1, next_attempt_ms = ?2,"
	    " last_error = ?3 WHERE id = ?1 AND state = 'queued'",
	[STMT_OUT_SENT_AT] = "SELECT state, sent_ms FROM outbound WHERE id = ?1",
	[STMT_OUT_FAILED] =
	    "UPDATE outbound SET state = 'failed', attempts = attempts + 1,"
	    " last_error = ?2 WHERE id = ?1 AND state = 'queued'",
	[STMT_STATS] =
	    "SELECT (SELECT count(*) FROM inbound),"
	    " (SELECT count(*) FROM inbound WHERE state = 'new'),"
	    " (SELECT count(*) FROM outbound WHERE state = 'queued'),"
	    " (SELECT count(*) FROM outbound WHERE state = 'sent'),"
	    " (SELECT count(*) FROM outbound WHERE state = 'failed')",
	[STMT_PART_INSERT] =
	    "INSERT INTO outbound_part (outbound_id, part, folder, location)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[STMT_PART_LIST] =
	    "SELECT folder, location FROM outbound_part WHERE outbound_id = ?1"
	    " ORDER BY part",
	[STMT_PART_DELETE] = "DELETE FROM outbound_part WHERE outbound_id = ?1",
	[STMT_PART_IN_USE] =
	    "SELECT 1 FROM outbound_part p JOIN outbound o ON o.id = p.outbound_id"
	    " WHERE o.state = 'queued' AND p.folder = ?1 AND p.location = ?2 LIMIT 1",
	[STMT_SESSION_GET] =
	    "SELECT state, node, page, path, lang, zawgyi, discreet, last_ms, report_step,"
	    " report_answered FROM session"
	    " WHERE channel = ?1 AND msisdn = ?2",
	[STMT_SESSION_PUT] =
	    "INSERT OR REPLACE INTO session (channel, msisdn, state, node, page, path, lang,"
	    " zawgyi, discreet, last_ms, report_step, report_answered)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[STMT_SESSION_DELETE] = "DELETE FROM session WHERE msisdn = ?1",
	[STMT_PREFS_GET] =
	    "SELECT lang, zawgyi, discreet, opted_out FROM prefs WHERE msisdn = ?1",
	[STMT_PREFS_PUT] =
	    "INSERT OR REPLACE INTO prefs (msisdn, lang, zawgyi, discreet, opted_out, updated_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_REPORT_INSERT] =
	    "INSERT INTO report (ref, msisdn, lang, nationality, state, created_ms, updated_ms)"
	    " VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)",
	[STMT_REPORT_FIND_OPEN] =
	    "SELECT " STORE_REPORT_COLS " FROM report"
	    " WHERE msisdn = ?1 AND state < 3 AND created_ms >= ?2"
	    " ORDER BY created_ms DESC, id DESC LIMIT 1",
	[STMT_REPORT_BY_REF] = "SELECT " STORE_REPORT_COLS " FROM report WHERE ref = ?1",
	[STMT_REPORT_BY_ID] = "SELECT " STORE_REPORT_COLS " FROM report WHERE id = ?1",
	[STMT_REPORT_SET] =
	    "UPDATE report SET"
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
	[STMT_REPORT_EACH] =
	    "SELECT " STORE_REPORT_COLS " FROM report"
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
	    " acked_by = " STORE_ROLE_OF("acked_by") ","
	    " closed_by = " STORE_ROLE_OF("closed_by")
	    " WHERE id = ?1 AND state = 3",
	[STMT_AUDIT_ERASE] =
	    "UPDATE audit SET detail = '', actor = " STORE_ROLE_OF("actor")
	    " WHERE report_id = ?1",
	[STMT_AUDIT_INSERT] =
	    "INSERT INTO audit (report_id, at_ms, actor, channel, action, detail)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_AUDIT_EACH] =
	    "SELECT id, report_id, at_ms, actor, channel, action, detail FROM audit"
	    " WHERE report_id = ?1 ORDER BY id",
	[STMT_PIN_GET] = "SELECT failures, locked_until_ms FROM officer_pin WHERE number = ?1",
	[STMT_PIN_PUT] =
	    "INSERT OR REPLACE INTO officer_pin (number, failures, locked_until_ms)"
	    " VALUES (?1, ?2, ?3)",
	[STMT_IN_ERASE] =
	    "UPDATE inbound SET text = '', sender = 'erased'"
	    " WHERE state = 'done' AND received_at_ms < ?1 AND sender != 'erased'",
	[STMT_OUT_ERASE] =
	    "UPDATE outbound SET text = '', dest = 'erased'"
	    " WHERE state != 'queued' AND created_ms < ?1 AND dest != 'erased'",
	[STMT_SESSION_EXPIRE] = "DELETE FROM session WHERE last_ms < ?1",
};


/* Logs the connection's last error with what we were doing. */
void
store_logerr(struct store *st, const char *what)
{
	log_warnx("store: %s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
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
static char *
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

/* Runs one-off SQL at open time (pragmas, migration steps). */
static int
store_exec(struct store *st, const char *sql, const char *what)
{
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		log_warnx("store: %s: %s: %s", st->path, what,
		    msg != NULL ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Reads one integer or text pragma at open time into *num or txt. */
static int
store_pragma_get(struct store *st, const char *sql, const char *what, int *num,
    char *txt, size_t txtsz)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW)
		goto fail;
	if (num != NULL)
		*num = sqlite3_column_int(stmt, 0);
	if (txt != NULL && store_col_copy(stmt, 0, txt, txtsz) == -1) {
		log_warnx("store: %s: %s: unexpected result", st->path, what);
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
fail:
	store_logerr(st, what);
	sqlite3_finalize(stmt);
	return -1;
}

/* Sets the connection up: busy timeout, foreign keys, WAL, synchronous=FULL. */
static int
store_setup(struct store *st)
{
	char mode[16];

	if (sqlite3_extended_result_codes(st->db, 1) != SQLITE_OK ||
	    sqlite3_busy_timeout(st->db, STORE_BUSY_MS) != SQLITE_OK) {
		store_logerr(st, "cannot configure connection");
		return -1;
	}
	if (sqlite3_db_readonly(st->db, "main") != 0) {
		log_warnx("store: %s: database is read-only", st->path);
		return -1;
	}
	/* The first statement to read the file: a corrupt one fails here. */
	if (store_pragma_get(st, "PRAGMA journal_mode = WAL",
	    "cannot read or set journal mode", NULL, mode, sizeof(mode)) == -1)
		return -1;
	if (strcmp(mode, "wal") != 0) {
		log_warnx("store: %s: cannot enable WAL (journal_mode is %s)", st->path, mode);
		return -1;
	}
	if (store_exec(st, "PRAGMA synchronous = FULL", "cannot set synchronous") == -1 ||
	    store_exec(st, "PRAGMA foreign_keys = ON", "cannot enable foreign keys") == -1)
		return -1;
	return 0;
}

/* Runs migration step v (user_version v -> v + 1) inside the open transaction. */
static int
store_migrate_step(struct store *st, int v)
{
	char bump[64];
	int n;

	if (store_exec(st, store_migrations[v], "migration failed") == -1)
		return -1;
	/* PRAGMA takes no bound parameters; the value is our own integer. */
	n = snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v + 1);
	if (n < 0 || (size_t)n >= sizeof(bump))
		return -1;
	return store_exec(st, bump, "cannot record schema version");
}

/* Brings the schema up to STORE_NMIGRATIONS; refuses a newer database. */
static int
store_migrate(struct store *st)
{
	int v;

	for (;;) {
		if (store_exec(st, "BEGIN IMMEDIATE", "cannot begin migration") == -1)
			return -1;
		/* Read inside the write lock: another process may have migrated. */
		if (store_pragma_get(st, "PRAGMA user_version", "cannot read schema version",
		    &v, NULL, 0) == -1)
			goto fail;
		if (v > STORE_NMIGRATIONS) {
			log_warnx("store: %s: schema version %d is newer than this "
			    "gateway knows (%d); refusing to open (downgrade?)",
			    st->path, v, STORE_NMIGRATIONS);
			goto fail;
		}
		if (v < 0) {
			log_warnx("store: %s: invalid schema version %d", st->path, v);
			goto fail;
		}
		if (v == STORE_NMIGRATIONS)
			break;
		if (store_migrate_step(st, v) == -1)
			goto fail;
		if (store_exec(st, "COMMIT", "cannot commit migration") == -1)
			goto fail;
		log_info("store: %s: schema migrated to version %d", st->path, v + 1);
	}
	if (store_exec(st, "COMMIT", "cannot end migration check") == -1)
		goto fail;
	st->version = v;
	return 0;
fail:
	if (!sqlite3_get_autocommit(st->db))
		(void)store_exec(st, "ROLLBACK", "cannot roll back migration");
	return -1;
}

static int
store_prepare_all(struct store *st)
{
	for (int i = 0; i < STMT_COUNT; i++) {
		int rc = sqlite3_prepare_v3(st->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL);

		if (rc != SQLITE_OK) {
			log_warnx("store: %s: cannot prepare \"%s\": %s", st->path,
			    store_sql[i], sqlite3_errmsg(st->db));
			return -1;
		}
	}
	return 0;
}

int
store_open(const char *path, struct store **out)
{
	struct store *st;
	int rc;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		log_warn("store: calloc");
		return -1;
	}
	if (path == NULL || path[0] == '\0' ||
	    util_strcopy(st->path, sizeof(st->path), path) == -1) {
		log_warnx("store: database path empty or too long");
		goto fail;
	}
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		int sys = st->db != NULL ? sqlite3_system_errno(st->db) : 0;

		log_warnx("store: %s: cannot open: %s%s%s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc),
		    sys != 0 ? ": " : "", sys != 0 ? strerror(sys) : "");
		goto fail;
	}
	if (store_setup(st) == -1 || store_migrate(st) == -1 ||
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

/* Checks that s is set and fits a struct field of size max (with its NUL). */
static int
store_check_str(const char *what, const char *s, size_t max)
{
	if (s == NULL || s[0] == '\0') {
		log_warnx("store: %s is empty", what);
		return -1;
	}
	if (strlen(s) >= max) {
		log_warnx("store: %s too long (%zu bytes, max %zu)", what, strlen(s), max - 1);
		return -1;
	}
	return 0;
}

/* Finds the id of the inbound row with key dedupe_key. */
static int
store_inbound_by_key(struct store *st, const char *dedupe_key, int64_t *id_out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_IN_BY_KEY];
	int rc;

	if (store_bind_text(stmt, 1, dedupe_key) != SQLITE_OK)
		goto fail;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW)
		goto fail;
	*id_out = sqlite3_column_int64(stmt, 0);
	store_stmt_done(stmt);
	return 0;
fail:
	store_logerr(st, "inbound lookup by key");
	store_stmt_done(stmt);
	return -1;
}

int
store_inbound_add(struct store *st, const char *channel, const char *sender,
    const char *text, int64_t sent_at_ms, int64_t received_at_ms, int flags,
    const char *dedupe_key, int64_t *id_out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_IN_INSERT];
	int rc;

	if (store_check_str("inbound channel", channel, STORE_CHANNEL_MAX) == -1 ||
	    store_check_str("inbound sender", sender, STORE_ADDR_MAX) == -1 ||
	    store_check_str("inbound dedupe key", dedupe_key, STORE_KEY_MAX) == -1)
		return -1;
	if (text == NULL) {
		log_warnx("store: inbound text is NULL");
		return -1;
	}
	if (store_bind_text(stmt, 1, channel) != SQLITE_OK ||
	    store_bind_text(stmt, 2, sender) != SQLITE_OK ||
	    store_bind_text(stmt, 3, text) != SQLITE_OK ||
	    (sent_at_ms != 0 ? sqlite3_bind_int64(stmt, 4, sent_at_ms)
			     : sqlite3_bind_null(stmt, 4)) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 5, received_at_ms) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 6, flags) != SQLITE_OK ||
	    store_bind_text(stmt, 7, dedupe_key) != SQLITE_OK) {
		store_logerr(st, "inbound bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		store_logerr(st, "inbound insert");
		store_stmt_done(stmt);
		return -1;
	}
	store_stmt_done(stmt);
	if (sqlite3_changes(st->db) == 1) {
		if (id_out != NULL)
			*id_out = sqlite3_last_insert_rowid(st->db);
		return 0;
	}
	/* ON CONFLICT DO NOTHING: the key is already stored. */
	if (id_out != NULL) {
		if (store_inbound_by_key(st, dedupe_key, id_out) == -1)
			return -1;
	}
	return 1;
}

int
store_inbound_next_new(struct store *st, struct store_inbound *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_IN_NEXT];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_step_row(st, stmt, "inbound next");
	if (rc != 0)
		return rc;
	out->id = sqlite3_column_int64(stmt, 0);
	out->sent_at_ms = sqlite3_column_int64(stmt, 4);
	out->received_at_ms = sqlite3_column_int64(stmt, 5);
	out->flags = sqlite3_column_int(stmt, 6);
	out->text = store_col_dup(stmt, 3);
	if (store_col_copy(stmt, 1, out->channel, sizeof(out->channel)) == -1 ||
	    store_col_copy(stmt, 2, out->sender, sizeof(out->sender)) == -1 ||
	    out->text == NULL) {
		log_warnx("store: %s: inbound %" PRId64 ": bad row or out of memory",
		    st->path, out->id);
		store_stmt_done(stmt);
		store_inbound_clear(out);
		return -1;
	}
	store_stmt_done(stmt);
	return 0;
}

/* Runs an UPDATE of one row by id (?1); no row changed is an error. */
int
store_update_one(struct store *st, enum store_stmt which, int64_t id, const char *what)
{
	if (store_step_done(st, which, what) == -1)
		return -1;
	if (sqlite3_changes(st->db) != 1) {
		log_warnx("store: %s: %s: no such row in the right state (id %" PRId64 ")",
		    st->path, what, id);
		return -1;
	}
	return 0;
}

/* Marking a row done twice is harmless; an unknown id is an error. */
int
store_inbound_mark_done(struct store *st, int64_t id)
{
	sqlite3_stmt *stmt = st->stmt[STMT_IN_DONE];

	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, util_now_ms()) != SQLITE_OK) {
		store_logerr(st, "inbound done bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_update_one(st, STMT_IN_DONE, id, "inbound mark done");
}

void
store_inbound_clear(struct store_inbound *in)
{
	if (in == NULL)
		return;
	free(in->text);
	in->text = NULL;
}

/* Queues one outbound row with the given priority (higher goes first). */
static int
store_outbound_insert(struct store *st, const char *channel, const char *dest,
    const char *text, int msg_class, int64_t inbound_id, int64_t now_ms, int priority,
    int64_t *id_out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_INSERT];
	int rc;

	if (store_check_str("outbound channel", channel, STORE_CHANNEL_MAX) == -1 ||
	    store_check_str("outbound dest", dest, STORE_ADDR_MAX) == -1)
		return -1;
	if (text == NULL) {
		log_warnx("store: outbound text is NULL");
		return -1;
	}
	if (store_bind_text(stmt, 1, channel) != SQLITE_OK ||
	    store_bind_text(stmt, 2, dest) != SQLITE_OK ||
	    store_bind_text(stmt, 3, text) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 4, msg_class) != SQLITE_OK ||
	    (inbound_id != 0 ? sqlite3_bind_int64(stmt, 5, inbound_id)
			     : sqlite3_bind_null(stmt, 5)) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 6, now_ms) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 7, priority) != SQLITE_OK) {
		store_logerr(st, "outbound bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		log_warnx("store: %s: inbound %" PRId64 " already has a reply; "
		    "second reply refused", st->path, inbound_id);
		store_stmt_done(stmt);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		store_logerr(st, "outbound insert");
		store_stmt_done(stmt);
		return -1;
	}
	store_stmt_done(stmt);
	if (id_out != NULL)
		*id_out = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_outbound_add(struct store *st, const char *channel, const char *dest,
    const char *text, int msg_class, int64_t inbound_id, int64_t now_ms,
    int64_t *id_out)
{
	return store_outbound_insert(st, channel, dest, text, msg_class, inbound_id, now_ms,
	    STORE_PRIORITY_NORMAL, id_out);
}

int
store_outbound_add_urgent(struct store *st, const char *channel, const char *dest,
    const char *text, int msg_class, int64_t inbound_id, int64_t now_ms,
    int64_t *id_out)
{
	return store_outbound_insert(st, channel, dest, text, msg_class, inbound_id, now_ms,
	    STORE_PRIORITY_URGENT, id_out);
}

int
store_outbound_next_due(struct store *st, int64_t now_ms, struct store_outbound *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_NEXT];
	int rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_bind_int64(stmt, 1, now_ms) != SQLITE_OK) {
		store_logerr(st, "outbound next bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = store_step_row(st, stmt, "outbound next");
	if (rc != 0)
		return rc;
	out->id = sqlite3_column_int64(stmt, 0);
	out->msg_class = sqlite3_column_int(stmt, 4);
	out->attempts = sqlite3_column_int(stmt, 5);
	out->next_attempt_ms = sqlite3_column_int64(stmt, 6);
	out->inbound_id = sqlite3_column_int64(stmt, 7); /* NULL reads as 0 */
	out->text = store_col_dup(stmt, 3);
	if (store_col_copy(stmt, 1, out->channel, sizeof(out->channel)) == -1 ||
	    store_col_copy(stmt, 2, out->dest, sizeof(out->dest)) == -1 ||
	    out->text == NULL) {
		log_warnx("store: %s: outbound %" PRId64 ": bad row or out of memory",
		    st->path, out->id);
		store_stmt_done(stmt);
		store_outbound_clear(out);
		return -1;
	}
	store_stmt_done(stmt);
	return 0;
}

int
store_outbound_next_due_at(struct store *st, int64_t *when_ms)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_NEXT_AT];
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_DONE) {
		store_stmt_done(stmt);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		store_logerr(st, "outbound next due at");
		store_stmt_done(stmt);
		return -1;
	}
	*when_ms = sqlite3_column_int64(stmt, 0);
	store_stmt_done(stmt);
	return 0;
}

int
store_outbound_mark_sent(struct store *st, int64_t id, int64_t now_ms, int msg_ref)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_SENT];

	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, now_ms) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 3, msg_ref) != SQLITE_OK) {
		store_logerr(st, "outbound sent bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_update_one(st, STMT_OUT_SENT, id, "outbound mark sent");
}

int
store_outbound_sent_at(struct store *st, int64_t id, int64_t *sent_ms)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_SENT_AT];
	const unsigned char *state;
	int rc;

	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK) {
		store_logerr(st, "outbound sent at bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		log_warnx("store: %s: outbound %" PRId64 " not found", st->path, id);
		store_stmt_done(stmt);
		return -1;
	}
	if (rc != SQLITE_ROW) {
		store_logerr(st, "outbound sent at");
		store_stmt_done(stmt);
		return -1;
	}
	state = sqlite3_column_text(stmt, 0);
	if (state != NULL && strcmp((const char *)state, "sent") == 0) {
		*sent_ms = sqlite3_column_int64(stmt, 1);
		rc = 0;
	} else if (state != NULL && strcmp((const char *)state, "queued") == 0) {
		rc = 1;
	} else if (state != NULL && strcmp((const char *)state, "failed") == 0) {
		rc = 2;
	} else {
		log_warnx("store: %s: outbound %" PRId64 ": unknown state", st->path, id);
		rc = -1;
	}
	store_stmt_done(stmt);
	return rc;
}

int
store_outbound_mark_retry(struct store *st, int64_t id, int64_t next_attempt_ms,
    const char *error)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_RETRY];

	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, next_attempt_ms) != SQLITE_OK ||
	    store_bind_text(stmt, 3, error) != SQLITE_OK) {
		store_logerr(st, "outbound retry bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_update_one(st, STMT_OUT_RETRY, id, "outbound mark retry");
}

int
store_outbound_mark_failed(struct store *st, int64_t id, const char *error)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_FAILED];

	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    store_bind_text(stmt, 2, error) != SQLITE_OK) {
		store_logerr(st, "outbound failed bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_update_one(st, STMT_OUT_FAILED, id, "outbound mark failed");
}

void
store_outbound_clear(struct store_outbound *out)
{
	if (out == NULL)
		return;
	free(out->text);
	out->text = NULL;
}

int
store_stats(struct store *st, struct store_stats *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_STATS];
	int rc = sqlite3_step(stmt);

	memset(out, 0, sizeof(*out));
	if (rc != SQLITE_ROW) {
		store_logerr(st, "stats");
		store_stmt_done(stmt);
		return -1;
	}
	out->inbound_total = sqlite3_column_int64(stmt, 0);
	out->inbound_new = sqlite3_column_int64(stmt, 1);
	out->outbound_queued = sqlite3_column_int64(stmt, 2);
	out->outbound_sent = sqlite3_column_int64(stmt, 3);
	out->outbound_failed = sqlite3_column_int64(stmt, 4);
	store_stmt_done(stmt);
	return 0;
}
