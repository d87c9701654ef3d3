/* store_events.c - missed calls (inbound rows flagged STORE_IN_CALL) and
 * delivery reports (outbound.dlr, schema v11). These are rare next to
 * messages, so their statements are prepared per call. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

int
store_call_add(struct store *st, const char *modem, const char *sender, int64_t now_ms,
    int64_t *id_out)
{
	char key[STORE_KEY_MAX];
	int n = snprintf(key, sizeof(key), "call:%s:%lld:%s", modem, (long long)now_ms, sender);

	if (n < 0 || (size_t)n >= sizeof(key))
		return -1;
	return store_inbound_add_via(st, "sms", modem, sender, "", 0, now_ms, STORE_IN_CALL, key,
	    id_out);
}

int
store_call_answers_since(struct store *st, const char *sender, int64_t since_ms, int *n)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "SELECT count(*) FROM inbound i JOIN outbound o ON o.inbound_id = i.id"
	    " WHERE i.sender = ?1 AND i.received_at_ms >= ?2 AND (i.flags & ?3) <> 0",
	    "call count prepare");
	int rc = -1;

	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, sender) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, since_ms) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 3, STORE_IN_CALL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		store_logerr(st, "call count");
		goto done;
	}
	*n = sqlite3_column_int(stmt, 0);
	rc = 0;
done:
	sqlite3_finalize(stmt);
	return rc;
}

enum store_dlr
store_dlr_from_status(int tp_status)
{
	if (tp_status >= 0 && tp_status < 0x20)
		return STORE_DLR_DELIVERED;
	if (tp_status >= 0x20 && tp_status < 0x40)
		return STORE_DLR_PENDING;
	return STORE_DLR_FAILED;
}

const char *
store_dlr_name(enum store_dlr d)
{
	switch (d) {
	case STORE_DLR_PENDING:
		return "pending";
	case STORE_DLR_DELIVERED:
		return "delivered";
	case STORE_DLR_FAILED:
		return "failed";
	case STORE_DLR_NONE:
		break;
	}
	return "";
}

static enum store_dlr
store_dlr_parse(const unsigned char *s)
{
	if (s == NULL)
		return STORE_DLR_NONE;
	if (strcmp((const char *)s, "pending") == 0)
		return STORE_DLR_PENDING;
	if (strcmp((const char *)s, "delivered") == 0)
		return STORE_DLR_DELIVERED;
	if (strcmp((const char *)s, "failed") == 0)
		return STORE_DLR_FAILED;
	return STORE_DLR_NONE;
}

int
store_outbound_dlr_pending(struct store *st, int64_t id)
{
	return store_once_id(st,
	    "UPDATE outbound SET dlr = 'pending', dlr_ms = NULL, dlr_status = NULL WHERE id = ?1",
	    "dlr pending", id, 0);
}

int
store_dlr_find_id(struct store *st, const char *sql, const char *what, const char *modem,
    const char *dest, int msg_ref, int arg, int64_t *id)
{
	sqlite3_stmt *stmt = store_prepare_once(st, sql, what);
	int rc = -1, step;

	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, modem) != SQLITE_OK ||
	    store_bind_text(stmt, 2, dest) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 3, msg_ref) != SQLITE_OK ||
	    (sqlite3_bind_parameter_count(stmt) >= 4 &&
		sqlite3_bind_int(stmt, 4, arg) != SQLITE_OK)) {
		store_logerr(st, what);
		sqlite3_finalize(stmt);
		return -1;
	}
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		rc = 0;
	} else if (step == SQLITE_DONE) {
		rc = 1;
	} else {
		store_logerr(st, what);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* The newest row of modem and dest still open to a report of reference
 * msg_ref: 0 (*id), 1 none, -1. A message of n parts went out with n
 * consecutive references (TP-MR counts up per SUBMIT, modulo 256) and
 * the row keeps the last: a report of any of them matches. A row is open
 * while pending, and while delivered to a failure of another part (a
 * report for each part may come, in any order). */
static int
store_dlr_find(struct store *st, const char *modem, const char *dest, int msg_ref, bool failed,
    int64_t *id)
{
	return store_dlr_find_id(st,
	    "SELECT id FROM outbound WHERE (dlr = 'pending' OR (?4 AND dlr = 'delivered'))"
	    " AND modem = ?1 AND ltrim(dest, '+') = ltrim(?2, '+')"
	    " AND ((msg_ref - ?3 + 256) % 256) < MAX(COALESCE(parts, 1), 1)"
	    " ORDER BY sent_ms DESC, id DESC LIMIT 1",
	    "dlr find", modem, dest, msg_ref, failed, id);
}

/* Sets row id's delivery and, when it failed, makes the report whose
 * last alert it is due now. */
static int
store_dlr_set(struct store *st, int64_t id, enum store_dlr d, int tp_status, int64_t now_ms)
{
	sqlite3_stmt *set = store_prepare_once(st,
	    "UPDATE outbound SET dlr = ?2, dlr_ms = ?3, dlr_status = ?4 WHERE id = ?1",
	    "dlr set prepare");
	sqlite3_stmt *due = NULL;
	int rc = -1;

	if (set == NULL)
		return -1;
	if (sqlite3_bind_int64(set, 1, id) != SQLITE_OK ||
	    store_bind_text(set, 2, store_dlr_name(d)) != SQLITE_OK ||
	    sqlite3_bind_int64(set, 3, now_ms) != SQLITE_OK ||
	    sqlite3_bind_int(set, 4, tp_status) != SQLITE_OK || sqlite3_step(set) != SQLITE_DONE) {
		store_logerr(st, "dlr set");
		goto done;
	}
	if (d == STORE_DLR_FAILED) {
		due = store_prepare_once(st,
		    "UPDATE report SET next_alert_ms = ?2"
		    " WHERE last_alert_out_id = ?1 AND state = ?3",
		    "dlr report due prepare");
		if (due == NULL || sqlite3_bind_int64(due, 1, id) != SQLITE_OK ||
		    sqlite3_bind_int64(due, 2, now_ms) != SQLITE_OK ||
		    sqlite3_bind_int(due, 3, STORE_REPORT_ALERTED) != SQLITE_OK ||
		    sqlite3_step(due) != SQLITE_DONE) {
			store_logerr(st, "dlr report due");
			goto done;
		}
	}
	rc = 0;
done:
	sqlite3_finalize(set);
	sqlite3_finalize(due);
	return rc;
}

int
store_dlr_record(struct store *st, const char *modem, const char *dest, int msg_ref, int tp_status,
    int64_t now_ms, int64_t *id_out, enum store_dlr *dlr_out)
{
	enum store_dlr d = store_dlr_from_status(tp_status);
	int64_t id = 0;
	int rc;

	if (store_begin(st) < 0)
		return -1;
	rc = store_dlr_find(st, modem, dest, msg_ref, d == STORE_DLR_FAILED, &id);
	if (rc == 1)
		rc = store_dlr_adopt(st, modem, dest, msg_ref, &id);
	if (rc == 0 && d != STORE_DLR_PENDING && store_dlr_set(st, id, d, tp_status, now_ms) < 0)
		rc = -1;
	if (rc < 0) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st) < 0)
		return -1;
	if (rc == 0) {
		*id_out = id;
		*dlr_out = d;
	}
	return rc;
}

int
store_outbound_dlr(struct store *st, int64_t id, enum store_dlr *out, int64_t *ms)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "SELECT dlr, dlr_ms FROM outbound WHERE id = ?1", "dlr read prepare");
	int rc = -1, step;

	if (stmt == NULL)
		return -1;
	*out = STORE_DLR_NONE;
	*ms = 0;
	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK) {
		store_logerr(st, "dlr read bind");
		goto done;
	}
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		*out = store_dlr_parse(sqlite3_column_text(stmt, 0));
		*ms = sqlite3_column_int64(stmt, 1);
		rc = 0;
	} else if (step == SQLITE_DONE) {
		rc = 0;
	} else {
		store_logerr(st, "dlr read");
	}
done:
	sqlite3_finalize(stmt);
	return rc;
}

int
store_alerts_each(struct store *st, const char *ref, store_alert_fn fn, void *arg)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "SELECT id, dest, state, sent_ms, dlr, dlr_ms FROM outbound"
	    " WHERE priority >= 1 AND (inbound_id IS NULL OR inbound_id = 0)"
	    " AND instr(text, ?1) > 0 ORDER BY id",
	    "alerts prepare");
	int rc = 0, step;

	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, ref) != SQLITE_OK) {
		store_logerr(st, "alerts bind");
		sqlite3_finalize(stmt);
		return -1;
	}
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_alert a;

		memset(&a, 0, sizeof(a));
		a.id = sqlite3_column_int64(stmt, 0);
		if (store_col_copy(stmt, 1, a.dest, sizeof(a.dest)) < 0 ||
		    store_col_copy(stmt, 2, a.state, sizeof(a.state)) < 0) {
			rc = -1;
			break;
		}
		a.sent_ms = sqlite3_column_int64(stmt, 3);
		a.dlr = store_dlr_parse(sqlite3_column_text(stmt, 4));
		a.dlr_ms = sqlite3_column_int64(stmt, 5);
		if (fn(&a, arg) != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_ROW && step != SQLITE_DONE) {
		store_logerr(st, "alerts");
		rc = -1;
	}
	sqlite3_finalize(stmt);
	return rc;
}
