/* store_quota.c - quotas and the reset ladder (issue 10). A modem's parts
 * in the last hour and day are summed over its sent outbound rows (each
 * records the parts it put on the air: outbound.parts, schema 13), so the
 * count needs no table of its own, survives restarts and follows the
 * modem's name (its SIM). The ladder's steps are counted in modem_sim;
 * marking a modem dead and queueing the operators' SMS is one transaction,
 * so they are told once per death, across restarts too.
 *
 * Statements here are prepared per call (a few a second at most), so the
 * shared statement table stays as it is. */
#include "store/store_int.h"

#include <string.h>

#include "core/log.h"

#define STORE_QUOTA_HOUR_MS 3600000LL
#define STORE_QUOTA_DAY_MS 86400000LL

int
store_quota_parts(struct store *st, const char *modem, int64_t now_ms, int64_t *hour, int64_t *day)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "SELECT COALESCE(SUM(CASE WHEN sent_ms > ?3 THEN COALESCE(parts, 1) ELSE 0 END), 0),"
	    " COALESCE(SUM(COALESCE(parts, 1)), 0)"
	    " FROM outbound WHERE state = 'sent' AND modem = ?1 AND sent_ms > ?2",
	    "quota parts");
	int rc;

	*hour = 0;
	*day = 0;
	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, modem) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, now_ms - STORE_QUOTA_DAY_MS) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 3, now_ms - STORE_QUOTA_HOUR_MS) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*hour = sqlite3_column_int64(stmt, 0);
		*day = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW) {
		store_logerr(st, "quota parts");
		return -1;
	}
	return 0;
}

int
store_quota_set_parts(struct store *st, int64_t id, int parts)
{
	sqlite3_stmt *stmt = store_prepare_once(st, "UPDATE outbound SET parts = ?2 WHERE id = ?1",
	    "quota set parts");

	if (stmt == NULL)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 2, parts) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, "quota set parts");
}

int
store_ladder_count(struct store *st, const char *name, enum store_ladder_step step,
    const char *rung)
{
	static const char *const sql[] = {
		[STORE_LADDER_FAIL] =
		    "INSERT INTO modem_sim (name, reopen_fails, rung) VALUES (?1, 1, ?2)"
		    " ON CONFLICT (name) DO UPDATE SET"
		    " reopen_fails = reopen_fails + 1, rung = ?2",
		[STORE_LADDER_RESET] =
		    "INSERT INTO modem_sim (name, resets, rung) VALUES (?1, 1, ?2)"
		    " ON CONFLICT (name) DO UPDATE SET resets = resets + 1, rung = ?2",
		[STORE_LADDER_COMMAND] =
		    "INSERT INTO modem_sim (name, commands, rung) VALUES (?1, 1, ?2)"
		    " ON CONFLICT (name) DO UPDATE SET"
		    " commands = commands + 1, rung = ?2",
	};
	sqlite3_stmt *stmt;

	if ((unsigned)step >= sizeof(sql) / sizeof(sql[0]))
		return -1;
	stmt = store_prepare_once(st, sql[step], "ladder count");
	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, name) != SQLITE_OK ||
	    store_bind_text(stmt, 2, rung) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, "ladder count");
}

int
store_ladder_dead(struct store *st, const char *name, const char (*numbers)[32], size_t n,
    const char *text, int64_t now_ms)
{
	sqlite3_stmt *stmt;
	int64_t id;

	if (store_begin(st) < 0)
		return -1;
	stmt = store_prepare_once(st,
	    "INSERT INTO modem_sim (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
	    "ladder dead");
	if (stmt == NULL || store_bind_text(stmt, 1, name) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		goto fail;
	}
	if (store_once_done(st, stmt, "ladder dead") < 0)
		goto fail;
	stmt = store_prepare_once(st,
	    "UPDATE modem_sim SET dead = 1, deaths = deaths + 1, rung = 'dead'"
	    " WHERE name = ?1 AND dead = 0",
	    "ladder dead");
	if (stmt == NULL || store_bind_text(stmt, 1, name) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		goto fail;
	}
	if (store_once_done(st, stmt, "ladder dead") < 0)
		goto fail;
	if (sqlite3_changes(st->db) != 1) {
		store_rollback(st);
		return 0; /* dead already: the operators were told */
	}
	for (size_t i = 0; i < n; i++)
		if (store_outbound_add_urgent(st, "sms", numbers[i], text, -1, 0, now_ms, &id) < 0)
			goto fail;
	if (store_commit(st) < 0)
		goto fail;
	return 1;
fail:
	store_rollback(st);
	return -1;
}

int
store_ladder_revived(struct store *st, const char *name)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "UPDATE modem_sim SET dead = 0, rung = 'reopen' WHERE name = ?1 AND"
	    " (dead = 1 OR rung <> 'reopen')",
	    "ladder revived");
	bool dead_before;
	sqlite3_stmt *q;
	int rc;

	q = store_prepare_once(st, "SELECT dead FROM modem_sim WHERE name = ?1", "ladder revived");
	if (q == NULL || store_bind_text(q, 1, name) != SQLITE_OK) {
		sqlite3_finalize(q);
		sqlite3_finalize(stmt);
		return -1;
	}
	rc = sqlite3_step(q);
	dead_before = rc == SQLITE_ROW && sqlite3_column_int(q, 0) != 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_finalize(stmt);
		store_logerr(st, "ladder revived");
		return -1;
	}
	if (stmt == NULL || store_bind_text(stmt, 1, name) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	if (store_once_done(st, stmt, "ladder revived") < 0)
		return -1;
	return dead_before ? 1 : 0;
}
