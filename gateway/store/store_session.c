/* store_session.c - the session and prefs tables: where each worker is in
 * the menus (per channel) and their language and discreet-mode choices. */
#include "store/store_int.h"

#include <string.h>

#include "core/util.h"

int
store_session_get(struct store *st, const char *channel, const char *msisdn,
    struct store_session *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_SESSION_GET];
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_bind_text(stmt, 1, channel) != SQLITE_OK ||
	    store_bind_text(stmt, 2, msisdn) != SQLITE_OK) {
		store_logerr(st, "session get bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = store_step_row(st, stmt, "session get");
	if (rc != 0)
		return rc;
	out->state = sqlite3_column_int(stmt, 0);
	out->page = sqlite3_column_int(stmt, 2);
	out->variant = sqlite3_column_int(stmt, 5);
	out->discreet = sqlite3_column_int(stmt, 6);
	out->last_ms = sqlite3_column_int64(stmt, 7);
	out->report_step = sqlite3_column_int(stmt, 8);
	out->report_answered = sqlite3_column_int64(stmt, 9);
	rc = store_col_copy(stmt, 1, out->node, sizeof(out->node)) |
	     store_col_copy(stmt, 3, out->path, sizeof(out->path)) |
	     store_col_copy(stmt, 4, out->lang, sizeof(out->lang));
	store_stmt_done(stmt);
	return rc == 0 ? 0 : -1;
}

int
store_session_put(struct store *st, const char *channel, const char *msisdn,
    const struct store_session *s)
{
	sqlite3_stmt *stmt = st->stmt[STMT_SESSION_PUT];

	if (store_bind_text(stmt, 1, channel) != SQLITE_OK ||
	    store_bind_text(stmt, 2, msisdn) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 3, s->state) != SQLITE_OK ||
	    store_bind_text(stmt, 4, s->node) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 5, s->page) != SQLITE_OK ||
	    store_bind_text(stmt, 6, s->path) != SQLITE_OK ||
	    store_bind_text(stmt, 7, s->lang) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 8, s->variant) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 9, s->discreet) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 10, s->last_ms) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 11, s->report_step) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 12, s->report_answered) != SQLITE_OK) {
		store_logerr(st, "session put bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_step_done(st, STMT_SESSION_PUT, "session put");
}

int
store_session_delete(struct store *st, const char *msisdn)
{
	if (store_bind_text(st->stmt[STMT_SESSION_DELETE], 1, msisdn) != SQLITE_OK) {
		store_logerr(st, "session delete bind");
		store_stmt_done(st->stmt[STMT_SESSION_DELETE]);
		return -1;
	}
	return store_step_done(st, STMT_SESSION_DELETE, "session delete");
}

int
store_prefs_get(struct store *st, const char *msisdn, struct store_prefs *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_PREFS_GET];
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_bind_text(stmt, 1, msisdn) != SQLITE_OK) {
		store_logerr(st, "prefs get bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = store_step_row(st, stmt, "prefs get");
	if (rc != 0)
		return rc;
	out->variant = sqlite3_column_int(stmt, 1);
	out->discreet = sqlite3_column_int(stmt, 2);
	out->opted_out = sqlite3_column_int(stmt, 3);
	rc = store_col_copy(stmt, 0, out->lang, sizeof(out->lang));
	store_stmt_done(stmt);
	return rc;
}

int
store_prefs_put(struct store *st, const char *msisdn, const struct store_prefs *p, int64_t now_ms)
{
	sqlite3_stmt *stmt = st->stmt[STMT_PREFS_PUT];

	if (store_bind_text(stmt, 1, msisdn) != SQLITE_OK ||
	    store_bind_text(stmt, 2, p->lang) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 3, p->variant) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 4, p->discreet) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 5, p->opted_out) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 6, now_ms) != SQLITE_OK) {
		store_logerr(st, "prefs put bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_step_done(st, STMT_PREFS_PUT, "prefs put");
}
