/* store_pool.c - the pool of modems (issue 10): the SIM each configured
 * modem name last had (modem_sim), whether its thread has it open, and
 * moving a down modem's queued rows to another modem (failover). A row
 * with parts staged on its modem's SIM never moves: only that SIM's sent
 * mark can tell whether those parts went out.
 *
 * Statements here are prepared per call (a few a second at most), so the
 * shared statement table stays as it is. */
#include "store/store_int.h"

#include <string.h>

#include "core/log.h"
#include "core/util.h"

int
store_modem_seen(struct store *st, const char *name, const char *imsi, const char *iccid,
    const char *device, int64_t now_ms, char *prev_imsi, size_t prevsz)
{
	sqlite3_stmt *stmt;
	int rc;

	if (prevsz > 0)
		prev_imsi[0] = '\0';
	stmt = store_prepare_once(st, "SELECT imsi FROM modem_sim WHERE name = ?1", "modem sim");
	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, name) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && prevsz > 0)
		(void)store_col_copy(stmt, 0, prev_imsi, prevsz);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_logerr(st, "modem sim");
		return -1;
	}
	stmt = store_prepare_once(st,
	    "INSERT INTO modem_sim (name, imsi, iccid, device, seen_ms) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (name) DO UPDATE SET imsi = ?2, iccid = ?3, device = ?4, seen_ms = ?5",
	    "modem sim seen");
	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, name) != SQLITE_OK ||
	    store_bind_text(stmt, 2, imsi) != SQLITE_OK ||
	    store_bind_text(stmt, 3, iccid) != SQLITE_OK ||
	    store_bind_text(stmt, 4, device) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 5, now_ms) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, "modem sim seen");
}

int
store_modem_set_up(struct store *st, const char *name, bool up, int64_t now_ms)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "INSERT INTO modem_sim (name, up, since_ms) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (name) DO UPDATE SET up = ?2, since_ms = ?3",
	    "modem up");

	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, name) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 2, up ? 1 : 0) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 3, now_ms) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, "modem up");
}

int
store_modem_state(struct store *st, const char *name, bool *up, int64_t *since_ms)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "SELECT up, since_ms FROM modem_sim WHERE name = ?1", "modem state");
	int rc;

	*up = false;
	*since_ms = 0;
	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, name) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*up = sqlite3_column_int(stmt, 0) != 0;
		*since_ms = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_logerr(st, "modem state");
		return -1;
	}
	return rc == SQLITE_ROW ? 0 : 1;
}

int
store_outbound_movable(struct store *st, const char *channel, const char *modem,
    struct store_move *rows, size_t max, size_t *n, size_t *held)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "SELECT o.id, o.dest, EXISTS (SELECT 1 FROM outbound_part p WHERE p.outbound_id = o.id)"
	    " FROM outbound o WHERE o.state = 'queued' AND o.modem = ?1 AND o.channel = ?2"
	    " ORDER BY o.priority DESC, o.id",
	    "outbound movable");
	int rc;

	*n = 0;
	*held = 0;
	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, modem) != SQLITE_OK ||
	    store_bind_text(stmt, 2, channel) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_int(stmt, 2) != 0) {
			(*held)++;
			continue;
		}
		if (*n == max)
			continue;
		rows[*n].id = sqlite3_column_int64(stmt, 0);
		if (store_col_copy(stmt, 1, rows[*n].dest, sizeof(rows[*n].dest)) < 0)
			continue;
		(*n)++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_logerr(st, "outbound movable");
		return -1;
	}
	return 0;
}

int
store_outbound_move(struct store *st, int64_t id, const char *from, const char *to)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "UPDATE outbound SET modem = ?3 WHERE id = ?1 AND modem = ?2 AND state = 'queued'"
	    " AND NOT EXISTS (SELECT 1 FROM outbound_part p WHERE p.outbound_id = ?1)",
	    "outbound move");

	if (stmt == NULL)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    store_bind_text(stmt, 2, from) != SQLITE_OK ||
	    store_bind_text(stmt, 3, to) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	if (store_once_done(st, stmt, "outbound move") < 0)
		return -1;
	return sqlite3_changes(st->db) == 1 ? 0 : 1;
}
