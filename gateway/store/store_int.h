/* store_int.h - what the store's own files share: the connection, its
 * prepared statements and the helpers that run them. Not for other stages. */
#ifndef KAWAN_STORE_INT_H
#define KAWAN_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* The statements prepared at open and reused for the life of the store. */
enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_IN_INSERT,
	STMT_IN_BY_KEY,
	STMT_IN_NEXT,
	STMT_IN_DONE,
	STMT_OUT_INSERT,
	STMT_OUT_NEXT,
	STMT_OUT_NEXT_AT,
	STMT_OUT_SENT,
	STMT_OUT_SENT_AT,
	STMT_OUT_RETRY,
	STMT_OUT_FAILED,
	STMT_STATS,
	STMT_PART_INSERT,
	STMT_PART_LIST,
	STMT_PART_DELETE,
	STMT_PART_IN_USE,
	STMT_SESSION_GET,
	STMT_SESSION_PUT,
	STMT_SESSION_DELETE,
	STMT_PREFS_GET,
	STMT_PREFS_PUT,
	STMT_REPORT_INSERT,
	STMT_REPORT_FIND_OPEN,
	STMT_REPORT_BY_REF,
	STMT_REPORT_BY_ID,
	STMT_REPORT_SET,
	STMT_REPORT_SAVE,
	STMT_REPORT_EACH,
	STMT_REPORT_DUE,
	STMT_REPORT_ERASABLE,
	STMT_REPORT_ERASE,
	STMT_AUDIT_ERASE,
	STMT_AUDIT_INSERT,
	STMT_AUDIT_EACH,
	STMT_PIN_GET,
	STMT_PIN_PUT,
	STMT_IN_ERASE,
	STMT_OUT_ERASE,
	STMT_SESSION_EXPIRE,
	STMT_OUT_CLAIM,
	STMT_OUT_DEFER,
	STMT_OUT_ADOPT,
	STMT_FRAG_INSERT,
	STMT_FRAG_GROUP,
	STMT_FRAG_JOINED,
	STMT_FRAG_OLDEST,
	STMT_FRAG_ERASE,
	STMT_USSD_GET,
	STMT_USSD_PUT,
	STMT_USSD_OWED,
	STMT_USSD_REF_SMS,
	STMT_USSD_EXPIRE,
	STMT_FLOOD_ANSWERS,
	STMT_FLOOD_HOLD_UPDATE,
	STMT_COUNT
};

/* The report columns every report SELECT returns, in the order
 * store_reports.c reads them. */
#define STORE_REPORT_COLS                                                                          \
	"id, ref, msisdn, lang, nationality, category, place, callback, message, state,"           \
	" created_ms, updated_ms, alerted_ms, acked_ms, closed_ms, acked_by, closed_by,"           \
	" outcome, alert_level, reminders, next_alert_ms, erased, last_alert_out_id"

/* SQL for the role behind an actor column, kept when names are erased:
 * "kawanctl:<user>" -> "kawanctl", "worker"/"system"/"" stay, any other
 * name (a roster officer, supervisor or NGO desk) -> "officer". */
#define STORE_ROLE_OF(col)                                                                         \
	"CASE WHEN " col " LIKE 'kawanctl:%' THEN 'kawanctl'"                                      \
	" WHEN " col " IN ('', 'worker', 'system', 'officer', 'kawanctl') THEN " col               \
	" ELSE 'officer' END"

/* The fragment columns every fragment SELECT returns, in store_fragment.c's order. */
#define STORE_FRAGMENT_COLS                                                                        \
	"id, modem, sender, ref, total, seq, text, flags, sent_at_ms, location, received_at_ms"

/* The ussd_session columns every SELECT returns, in store_ussd.c's order. */
#define STORE_USSD_COLS                                                                            \
	"session_id, msisdn, start_lang, start_variant, start_discreet, hops, text, bounds,"       \
	" report_ref, ref_shown, ref_sms, created_ms, updated_ms"

#define STORE_BUSY_MS 5000 /* how long a writer waits for another */

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[STMT_COUNT];
	int version;
	char path[512];
	int last_err; /* extended code of the last failure logged (store_fault.c) */
};

/* store_schema.c: connection settings (busy timeout busy_ms, WAL,
 * synchronous=FULL, foreign keys) and migrations. 0 or -1 (logged). */
int store_setup(struct store *st, int busy_ms);
int store_migrate(struct store *st);
/* A malloc'd copy of a text column (the caller frees it), or NULL. */
char *store_col_dup(sqlite3_stmt *stmt, int col);

/* Logs the connection's last error with what we were doing. */
void store_logerr(struct store *st, const char *what);
/* For rare statements not worth a slot in st->stmt: prepares sql (NULL on
 * error, logged with what); store_once_done steps one that returns no rows
 * and finalizes it (0, or -1 logged). The caller finalizes what it steps
 * itself. */
/* Prepares every statement of store.c on st (store.c). 0 or -1 (logged). */
int store_prepare_all(struct store *st);
/* A zeroed handle for the database at path, not opened (store.c); NULL
 * (logged) when out of memory or the path is empty or too long. Freed by
 * store_close(). */
struct store *store_alloc(const char *path);
/* The schema version this build migrates to (store_schema.c). */
int store_schema_latest(void);
sqlite3_stmt *store_prepare_once(struct store *st, const char *sql, const char *what);
int store_once_done(struct store *st, sqlite3_stmt *stmt, const char *what);
/* Prepares sql once, binds ?1 to text and ?2 to v, and runs it as
 * store_once_done does. 0 or -1 (logged with what). */
int store_once_text_int(struct store *st, const char *sql, const char *what, const char *text,
    int64_t v);
/* Prepares a query of at most one integer once, binds ?1 to text and,
 * when it has one, ?2 to v, and reads the integer into *out (0 when there
 * is no row). 0 or -1 (logged with what). */
int store_once_int_row(struct store *st, const char *sql, const char *what, const char *text,
    int64_t v, int *out);
/* Runs sql (prepared once) binding ?1 modem, ?2 dest, ?3 msg_ref and,
 * when it has one, ?4 arg; the first row's first column into *id. 0, 1 no
 * row, -1 (logged with what). For matching status reports. */
int store_dlr_find_id(struct store *st, const char *sql, const char *what, const char *modem,
    const char *dest, int msg_ref, int arg, int64_t *id);
/* Prepares a statement that returns no rows once, binds ?1 to id and,
 * when it has one, ?2 to v, and runs it as store_once_done does. 0 or -1
 * (logged with what). */
int store_once_id(struct store *st, const char *sql, const char *what, int64_t id, int64_t v);
/* Returns a prepared statement to its unbound, reset state for reuse. */
void store_stmt_done(sqlite3_stmt *stmt);
/* Binds a borrowed string (NULL binds NULL). */
int store_bind_text(sqlite3_stmt *stmt, int idx, const char *s);
/* Runs a statement that returns no rows. Returns 0 or -1 (logged). */
int store_step_done(struct store *st, enum store_stmt which, const char *what);
/* Steps a query of at most one row: 0 a row is ready (read it, then
 * store_stmt_done), 1 none, -1 error (logged); reset unless 0. */
int store_step_row(struct store *st, sqlite3_stmt *stmt, const char *what);
/* Copies a text column into a fixed buffer; NULL or too long is -1. */
int store_col_copy(sqlite3_stmt *stmt, int col, char *dst, size_t dstsz);
/* Like store_step_done, and exactly one row must have changed. */
int store_update_one(struct store *st, enum store_stmt which, int64_t id, const char *what);

#endif
