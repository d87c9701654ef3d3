/* store_flood.c - what the router's cap on answers per number needs
 * (schema 16, issue 11): the replies a number got in the last minute
 * (partial index outbound_dest_created) and the one reply held for a burst
 * over the cap (outbound.held = 1), whose text and message become each
 * later message's until the burst has been quiet, then it leaves like any
 * reply. A held row is only rewritten while it is not about to be due and
 * has no part staged on a SIM, so a modem never sends a row that changes
 * under it. The two statements every answer runs are prepared at open
 * (store.c); the insert of a held row, once per burst, per call. */
#include <string.h>

#include "core/log.h"
#include "store/store_int.h"

int
store_answers_since(struct store *st, const char *dest, int64_t since_ms, int *n)
{
	sqlite3_stmt *stmt = st->stmt[STMT_FLOOD_ANSWERS];
	int rc;

	*n = 0;
	if (store_bind_text(stmt, 1, dest) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, since_ms) != SQLITE_OK) {
		store_logerr(st, "answers since bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(stmt, 0);
	else
		store_logerr(st, "answers since");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Binds the text, class and message of an answer at 1, 2, 3 and due_ms at 4. */
static int
store_flood_bind(sqlite3_stmt *stmt, const char *text, int msg_class, int64_t inbound_id,
    int64_t due_ms)
{
	if (store_bind_text(stmt, 1, text) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 2, msg_class) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 3, inbound_id) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 4, due_ms) != SQLITE_OK)
		return -1;
	return 0;
}

int
store_outbound_hold_update(struct store *st, const char *channel, const char *modem,
    const char *dest, const char *text, int msg_class, int64_t inbound_id, int64_t now_ms,
    int64_t margin_ms, int64_t due_ms, int64_t *id_out)
{
	sqlite3_stmt *stmt;
	int rc;

	if (text == NULL || inbound_id <= 0) {
		log_warnx("store: held reply without a text or a message");
		return -1;
	}
	stmt = st->stmt[STMT_FLOOD_HOLD_UPDATE];
	if (store_flood_bind(stmt, text, msg_class, inbound_id, due_ms) < 0 ||
	    store_bind_text(stmt, 5, dest) != SQLITE_OK ||
	    store_bind_text(stmt, 6, channel) != SQLITE_OK ||
	    store_bind_text(stmt, 7, modem) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 8, now_ms + margin_ms) != SQLITE_OK) {
		store_logerr(st, "held reply update bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (id_out != NULL)
			*id_out = sqlite3_column_int64(stmt, 0);
		rc = sqlite3_step(stmt);
		store_stmt_done(stmt);
		if (rc != SQLITE_DONE) {
			store_logerr(st, "held reply update");
			return -1;
		}
		return 0;
	}
	if (rc != SQLITE_DONE)
		store_logerr(st, "held reply update");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 1 : -1;
}

int
store_outbound_hold(struct store *st, const char *channel, const char *modem, const char *dest,
    const char *text, int msg_class, int64_t inbound_id, int64_t now_ms, int64_t due_ms,
    int64_t *id_out)
{
	sqlite3_stmt *stmt;
	int rc;

	if (text == NULL || inbound_id <= 0 || channel == NULL || modem == NULL || dest == NULL ||
	    dest[0] == '\0' || strlen(dest) >= STORE_ADDR_MAX || strlen(modem) >= STORE_MODEM_MAX ||
	    channel[0] == '\0' || strlen(channel) >= STORE_CHANNEL_MAX) {
		log_warnx("store: held reply: bad argument");
		return -1;
	}
	stmt = store_prepare_once(st,
	    "INSERT INTO outbound (text, msg_class, inbound_id, next_attempt_ms, channel, dest,"
	    " modem, created_ms, state, attempts, priority, held)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'queued', 0, 0, 1)",
	    "held reply insert prepare");
	if (stmt == NULL)
		return -1;
	if (store_flood_bind(stmt, text, msg_class, inbound_id, due_ms) < 0 ||
	    store_bind_text(stmt, 5, channel) != SQLITE_OK ||
	    store_bind_text(stmt, 6, dest) != SQLITE_OK ||
	    store_bind_text(stmt, 7, modem) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 8, now_ms) != SQLITE_OK) {
		store_logerr(st, "held reply insert bind");
		sqlite3_finalize(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		store_logerr(st, "held reply insert");
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	if (id_out != NULL)
		*id_out = sqlite3_last_insert_rowid(st->db);
	return 0;
}
