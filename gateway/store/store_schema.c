/* store_schema.c - the database's shape: connection settings (WAL,
 * synchronous=FULL, busy timeout) and the versioned migrations, each run in
 * one transaction with its user_version bump. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "store/store_int.h"

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
	/* 7: one thread per modem. A message remembers the modem it came in
	 * on, and a queued one the modem that sends it ('' = any modem; a
	 * modem claims it before staging parts on its SIM). Incomplete
	 * concatenated SMS leave the SIM at once as fragments, joined (or
	 * stored partial after partial_timeout) here; a joined fragment keeps
	 * its row (inbound_id set) so a re-read after a crash is a no-op. */
	"ALTER TABLE inbound ADD COLUMN modem TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE outbound ADD COLUMN modem TEXT NOT NULL DEFAULT '';"
	"CREATE INDEX outbound_modem_due ON outbound"
	"  (state, modem, priority DESC, next_attempt_ms, id);"
	"CREATE TABLE fragment ("
	"  id INTEGER PRIMARY KEY,"
	"  modem TEXT NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  ref INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  flags INTEGER NOT NULL,"
	"  sent_at_ms INTEGER NOT NULL,"
	"  location INTEGER NOT NULL,"
	"  received_at_ms INTEGER NOT NULL,"
	"  dedupe_key TEXT NOT NULL UNIQUE,"
	"  inbound_id INTEGER REFERENCES inbound (id));"
	"CREATE INDEX fragment_group ON fragment (modem, sender, ref, total, seq)"
	"  WHERE inbound_id IS NULL;"
	"CREATE INDEX fragment_waiting ON fragment (received_at_ms)"
	"  WHERE inbound_id IS NULL;",
	/* 8: the operator USSD link. A USSD session's place in the menu is
	 * rebuilt from its history (the request's text) and needs no row; a
	 * row is written only by a hop with an effect (a language chosen, a
	 * report and its answers): the state the session started from, how
	 * many answers are applied and where each ends in the text (a free-text
	 * answer may hold '*'), and the report it opened, so a retried hop has
	 * no second effect and a worker who leaves before the reference page
	 * gets the reference by SMS once. */
	"CREATE TABLE ussd_session ("
	"  session_id TEXT NOT NULL,"
	"  msisdn TEXT NOT NULL,"
	"  start_lang TEXT NOT NULL,"
	"  start_zawgyi INTEGER NOT NULL,"
	"  start_discreet INTEGER NOT NULL,"
	"  hops INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  bounds TEXT NOT NULL,"
	"  report_ref TEXT NOT NULL DEFAULT '',"
	"  ref_shown INTEGER NOT NULL DEFAULT 0,"
	"  ref_sms INTEGER NOT NULL DEFAULT 0,"
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (session_id, msisdn));"
	"CREATE INDEX ussd_session_owed ON ussd_session (updated_ms)"
	"  WHERE report_ref <> '' AND ref_shown = 0 AND ref_sms = 0;"
	"CREATE INDEX ussd_session_age ON ussd_session (updated_ms);",
	/* 9: whom the worker lets the gateway tell about a report (consent,
	 * issue 9): "ngo", "embassy", "both"; "" until the worker chooses. */
	"ALTER TABLE report ADD COLUMN notify TEXT NOT NULL DEFAULT '';",
	/* 10: the Zawgyi flag becomes the flag of a language's script variant
	 * (Zawgyi for Burmese, plain GSM-7 for Vietnamese and Tetum); rows
	 * keep their value (a Zawgyi reader stays one). */
	"ALTER TABLE session RENAME COLUMN zawgyi TO variant;"
	"ALTER TABLE prefs RENAME COLUMN zawgyi TO variant;"
	"ALTER TABLE ussd_session RENAME COLUMN start_zawgyi TO start_variant;",
	/* 11: missed calls and delivery reports (issue 10, store_events.c). A
	 * missed call is an inbound row flagged STORE_IN_CALL, answered once
	 * like a message; calls per number are counted by sender and time.
	 * An outbound row sent with a status-report request has dlr 'pending'
	 * until the network's report says 'delivered' or 'failed' (dlr_ms, and
	 * dlr_status the TP-Status octet); matched by modem, dest and msg_ref. */
	"CREATE INDEX inbound_sender ON inbound (sender, received_at_ms);"
	"ALTER TABLE outbound ADD COLUMN dlr TEXT"
	"  CHECK (dlr IS NULL OR dlr IN ('pending', 'delivered', 'failed'));"
	"ALTER TABLE outbound ADD COLUMN dlr_ms INTEGER;"
	"ALTER TABLE outbound ADD COLUMN dlr_status INTEGER;"
	"CREATE INDEX outbound_dlr ON outbound (modem, dest, msg_ref) WHERE dlr = 'pending';",
	/* 12: the pool of modems (issue 10): per configured modem name, the SIM
	 * last seen in it (a changed IMSI is reported), the device it was
	 * found on, and whether its thread has it open since when (failover
	 * moves a modem's queued replies once it is down long enough). */
	"CREATE TABLE modem_sim ("
	"  name TEXT PRIMARY KEY,"
	"  imsi TEXT NOT NULL DEFAULT '',"
	"  iccid TEXT NOT NULL DEFAULT '',"
	"  device TEXT NOT NULL DEFAULT '',"
	"  seen_ms INTEGER NOT NULL DEFAULT 0,"
	"  up INTEGER NOT NULL DEFAULT 0,"
	"  since_ms INTEGER NOT NULL DEFAULT 0);",
	/* 13: quotas and the reset ladder (issue 10, store_quota.c). A sent
	 * row records the SMS parts it put on the air (NULL before: counted as
	 * one); a modem's parts in the last hour and day are summed over its
	 * sent rows. Per modem name: failed reopens, libgammu resets asked,
	 * reset_command runs and deaths counted, its rung and whether it is
	 * dead (the operators were told; once per death). */
	"ALTER TABLE outbound ADD COLUMN parts INTEGER;"
	"CREATE INDEX outbound_sent_modem ON outbound (modem, sent_ms) WHERE state = 'sent';"
	"ALTER TABLE modem_sim ADD COLUMN reopen_fails INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE modem_sim ADD COLUMN resets INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE modem_sim ADD COLUMN commands INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE modem_sim ADD COLUMN deaths INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE modem_sim ADD COLUMN rung TEXT NOT NULL DEFAULT 'reopen';"
	"ALTER TABLE modem_sim ADD COLUMN dead INTEGER NOT NULL DEFAULT 0;",
	/* 14: each modem's health (issue 10 item 5, store_health.c): what its
	 * thread last read through libgammu, the parts it sent in the last
	 * hour and day, its last error, the airtime balance over USSD and
	 * whether the operators were told it is low (until it is not). */
	"CREATE TABLE modem_health ("
	"  name TEXT PRIMARY KEY,"
	"  read_ms INTEGER NOT NULL DEFAULT 0,"
	"  signal_dbm INTEGER NOT NULL DEFAULT -1,"
	"  signal_pct INTEGER NOT NULL DEFAULT -1,"
	"  reg TEXT NOT NULL DEFAULT '',"
	"  operator TEXT NOT NULL DEFAULT '',"
	"  network_code TEXT NOT NULL DEFAULT '',"
	"  parts_hour INTEGER NOT NULL DEFAULT 0,"
	"  parts_day INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  last_error_ms INTEGER NOT NULL DEFAULT 0,"
	"  balance_cents INTEGER,"
	"  balance_text TEXT NOT NULL DEFAULT '',"
	"  balance_ms INTEGER NOT NULL DEFAULT 0,"
	"  low_alerted INTEGER NOT NULL DEFAULT 0);",
	/* 15: officer commands and STATUS under attack (issue 11,
	 * store_officer.c): how many times an officer's number was locked
	 * (each lock lasts longer), and STATUS misses per number. */
	"ALTER TABLE officer_pin ADD COLUMN locks INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE status_miss ("
	"  number TEXT PRIMARY KEY,"
	"  misses INTEGER NOT NULL,"
	"  window_start_ms INTEGER NOT NULL);",
	/* 16: fair queues (issue 11, store_queue.c): queued rows per
	 * recipient, so a take visits each recipient with a due row once and
	 * serves the one last served longest ago (round robin); each
	 * recipient's last send, and the answers a number got in the last
	 * minute (the router's cap, router_flood.c) and the reply held for a
	 * burst over that cap (held = 1: its text and message replaced by
	 * each later one until the burst has been quiet a minute). */
	"CREATE INDEX outbound_queued_dest ON outbound"
	"  (dest, priority DESC, next_attempt_ms, id, modem, channel) WHERE state = 'queued';"
	"CREATE INDEX outbound_sent_dest ON outbound (dest, sent_ms) WHERE state = 'sent';"
	"CREATE INDEX outbound_dest_created ON outbound (dest, created_ms)"
	"  WHERE inbound_id IS NOT NULL;"
	"ALTER TABLE outbound ADD COLUMN held INTEGER NOT NULL DEFAULT 0;",
	/* 17: a message sent with AT+CMGS that asked for a status report (an
	 * officer alert: libgammu cannot store one on the SIM) is in doubt from
	 * just before the modem takes it until it is recorded (outbound.c,
	 * store_doubt.c): doubt_ms when the try began, doubt_ref the modem's
	 * last recorded TP-MR then, doubt_parts the parts it makes. After a
	 * crash the row waits; the status report of its last part, from a
	 * copy that did leave whole, marks it sent instead of a resend. */
	"ALTER TABLE outbound ADD COLUMN doubt_ms INTEGER;"
	"ALTER TABLE outbound ADD COLUMN doubt_ref INTEGER;"
	"ALTER TABLE outbound ADD COLUMN doubt_parts INTEGER;",
};
#define STORE_NMIGRATIONS ((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

int
store_schema_latest(void)
{
	return STORE_NMIGRATIONS;
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
store_pragma_get(struct store *st, const char *sql, const char *what, int *num, char *txt,
    size_t txtsz)
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

/* Sets the connection up: busy timeout, foreign keys, WAL, synchronous=FULL,
 * secure_delete (erased personal data is overwritten in the file). */
int
store_setup(struct store *st, int busy_ms)
{
	char mode[16];

	if (sqlite3_extended_result_codes(st->db, 1) != SQLITE_OK ||
	    sqlite3_busy_timeout(st->db, busy_ms) != SQLITE_OK) {
		store_logerr(st, "cannot configure connection");
		return -1;
	}
	if (sqlite3_db_readonly(st->db, "main") != 0) {
		log_warnx("store: %s: database is read-only", st->path);
		return -1;
	}
	/* The first statement to read the file: a corrupt one fails here. */
	if (store_pragma_get(st, "PRAGMA journal_mode = WAL", "cannot read or set journal mode",
		NULL, mode, sizeof(mode)) == -1)
		return -1;
	if (strcmp(mode, "wal") != 0) {
		log_warnx("store: %s: cannot enable WAL (journal_mode is %s)", st->path, mode);
		return -1;
	}
	if (store_exec(st, "PRAGMA synchronous = FULL", "cannot set synchronous") == -1 ||
	    store_exec(st, "PRAGMA foreign_keys = ON", "cannot enable foreign keys") == -1 ||
	    /* erased and deleted personal data is overwritten, not left in free space */
	    store_exec(st, "PRAGMA secure_delete = ON", "cannot enable secure_delete") == -1)
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
int
store_migrate(struct store *st)
{
	int v;

	for (;;) {
		if (store_exec(st, "BEGIN IMMEDIATE", "cannot begin migration") == -1)
			return -1;
		/* Read inside the write lock: another process may have migrated. */
		if (store_pragma_get(st, "PRAGMA user_version", "cannot read schema version", &v,
			NULL, 0) == -1)
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
