/* store_ussd.c - USSD sessions that had an effect: the state the session
 * started from, the answers already carried out (and where each ends in
 * the history), and the report it opened. router/router_ussd.c decides;
 * this file only keeps the rows.
 *
 *   (no row) --first hop with an effect--> row (hops = answers applied)
 *   row --reference page answered--> ref_shown = 1
 *   row --left before it; reference sent by SMS--> ref_sms = 1
 *   row --older than a day, owing nothing--> deleted (store_ussd_expire) */
#include <string.h>

#include "core/log.h"
#include "store/store_int.h"

_Static_assert(sizeof(((struct store_ussd *)0)->report_ref) == STORE_REF_MAX,
    "a USSD session's report reference is a report's");

/* Reads the row stmt stands on into out. 0 or -1. */
static int
store_ussd_read(sqlite3_stmt *stmt, struct store_ussd *out)
{
	out->start_variant = sqlite3_column_int(stmt, 3);
	out->start_discreet = sqlite3_column_int(stmt, 4);
	out->hops = sqlite3_column_int(stmt, 5);
	out->ref_shown = sqlite3_column_int(stmt, 9);
	out->ref_sms = sqlite3_column_int(stmt, 10);
	out->created_ms = sqlite3_column_int64(stmt, 11);
	out->updated_ms = sqlite3_column_int64(stmt, 12);
	if (store_col_copy(stmt, 0, out->session_id, sizeof(out->session_id)) < 0 ||
	    store_col_copy(stmt, 1, out->msisdn, sizeof(out->msisdn)) < 0 ||
	    store_col_copy(stmt, 2, out->start_lang, sizeof(out->start_lang)) < 0 ||
	    store_col_copy(stmt, 6, out->text, sizeof(out->text)) < 0 ||
	    store_col_copy(stmt, 7, out->bounds, sizeof(out->bounds)) < 0 ||
	    store_col_copy(stmt, 8, out->report_ref, sizeof(out->report_ref)) < 0)
		return -1;
	return 0;
}

/* Runs a one-row query already bound. 0 found, 1 none, -1 error. */
static int
store_ussd_one(struct store *st, sqlite3_stmt *stmt, const char *what, struct store_ussd *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_step_row(st, stmt, what);
	if (rc != 0)
		return rc;
	rc = store_ussd_read(stmt, out);
	store_stmt_done(stmt);
	if (rc < 0)
		log_warnx("store: %s: a ussd_session row does not fit", what);
	return rc;
}

int
store_ussd_get(struct store *st, const char *session_id, const char *msisdn, struct store_ussd *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_USSD_GET];

	if (store_bind_text(stmt, 1, session_id) != SQLITE_OK ||
	    store_bind_text(stmt, 2, msisdn) != SQLITE_OK) {
		store_logerr(st, "ussd get bind");
		store_stmt_done(stmt);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return store_ussd_one(st, stmt, "ussd get", out);
}

int
store_ussd_put(struct store *st, const struct store_ussd *u)
{
	sqlite3_stmt *stmt = st->stmt[STMT_USSD_PUT];

	if (store_bind_text(stmt, 1, u->session_id) != SQLITE_OK ||
	    store_bind_text(stmt, 2, u->msisdn) != SQLITE_OK ||
	    store_bind_text(stmt, 3, u->start_lang) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 4, u->start_variant) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 5, u->start_discreet) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 6, u->hops) != SQLITE_OK ||
	    store_bind_text(stmt, 7, u->text) != SQLITE_OK ||
	    store_bind_text(stmt, 8, u->bounds) != SQLITE_OK ||
	    store_bind_text(stmt, 9, u->report_ref) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 10, u->ref_shown) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 11, u->ref_sms) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 12, u->created_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 13, u->updated_ms) != SQLITE_OK) {
		store_logerr(st, "ussd put bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_step_done(st, STMT_USSD_PUT, "ussd put");
}

int
store_ussd_owed(struct store *st, int64_t cutoff_ms, struct store_ussd *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_USSD_OWED];

	if (sqlite3_bind_int64(stmt, 1, cutoff_ms) != SQLITE_OK) {
		store_logerr(st, "ussd owed bind");
		store_stmt_done(stmt);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return store_ussd_one(st, stmt, "ussd owed", out);
}

int
store_ussd_ref_sent(struct store *st, const char *session_id, const char *msisdn)
{
	sqlite3_stmt *stmt = st->stmt[STMT_USSD_REF_SMS];

	if (store_bind_text(stmt, 1, session_id) != SQLITE_OK ||
	    store_bind_text(stmt, 2, msisdn) != SQLITE_OK) {
		store_logerr(st, "ussd ref bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_step_done(st, STMT_USSD_REF_SMS, "ussd ref sent");
}

int
store_ussd_expire(struct store *st, int64_t cutoff_ms)
{
	sqlite3_stmt *stmt = st->stmt[STMT_USSD_EXPIRE];

	if (sqlite3_bind_int64(stmt, 1, cutoff_ms) != SQLITE_OK) {
		store_logerr(st, "ussd expire bind");
		store_stmt_done(stmt);
		return -1;
	}
	if (store_step_done(st, STMT_USSD_EXPIRE, "ussd expire") < 0)
		return -1;
	return sqlite3_changes(st->db);
}
