/* store_doubt.c - messages whose try cannot be repeated safely (schema 17).
 *
 * An officer alert asks the network for a status report, and libgammu
 * 1.42 cannot store such a message on the SIM (AT+CMGW drops the request),
 * so it goes out with AT+CMGS: if the gateway dies after the modem took it
 * and before the "sent" commit, the row is still queued and a restart
 * would send it again. So, durably, just before the modem sees it, the row
 * is marked in doubt: doubt_ms, doubt_parts, and doubt_ref, the last
 * reference the modem used as far as the database knows (the newest known
 * one plus the parts sent since from the SIM, whose references AT+CMSS
 * does not give); and it is not due again for outbound.report_wait.
 *
 * A status report that no recorded message to that number explains, from
 * that modem, whose reference is that of the row's LAST part (doubt_ref +
 * doubt_parts, or a few beyond for messages sent outside the queue),
 * proves the whole message left (parts leave in order): the row is marked
 * sent with it (store_dlr_adopt) and never goes twice. With no reference
 * known on the modem, only a one-part message can be matched. No such
 * report within the wait: the try is taken as lost, the message goes again.
 *
 * The soak shaped two rules, each after an alert was LOST: a second part's
 * report, coming after the first part's had closed its row, was taken for
 * a doubtful alert that never left (so a reference a recorded message to
 * that number used is never adopted); a crash fell between the two parts
 * of an alert and its first part's report was taken for the whole (so only
 * the last part's report counts). */
#include "core/log.h"
#include "store/store_int.h"

/* How far the reference of a message's last part may be beyond the modem's
 * last recorded one plus its parts: messages sent outside the queue. */
#define STORE_DOUBT_REF_SPAN "7"
/* A reference a message recorded since a day before the try used (any
 * of its parts: a second part's report comes after the first one closed
 * the row) is that message's, never the doubtful copy's. */
#define STORE_DOUBT_RECENT_MS "86400000" /* a day */

int
store_outbound_doubt(struct store *st, const char *modem, int64_t id, int parts, int64_t now_ms,
    int64_t until_ms)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "UPDATE outbound SET doubt_ms = ?2, next_attempt_ms = ?3, doubt_parts = ?5,"
	    " doubt_ref = (SELECT (s.msg_ref + COALESCE((SELECT SUM(MAX(COALESCE(p.parts, 1), 1))"
	    " FROM outbound p WHERE p.modem = ?4 AND p.state = 'sent' AND (p.sent_ms > s.sent_ms"
	    " OR (p.sent_ms = s.sent_ms AND p.id > s.id))), 0)) % 256"
	    " FROM outbound s WHERE s.modem = ?4 AND s.state = 'sent' AND s.msg_ref >= 0"
	    " ORDER BY s.sent_ms DESC, s.id DESC LIMIT 1)"
	    " WHERE id = ?1 AND state = 'queued'",
	    "doubt prepare");
	int rc = -1;

	if (stmt == NULL)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, now_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 3, until_ms) != SQLITE_OK ||
	    store_bind_text(stmt, 4, modem) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 5, parts) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_DONE)
		store_logerr(st, "doubt");
	else
		rc = 0;
	sqlite3_finalize(stmt);
	return rc;
}

int
store_outbound_doubt_clear(struct store *st, int64_t id)
{
	return store_once_id(st,
	    "UPDATE outbound SET doubt_ms = NULL, doubt_ref = NULL, doubt_parts = NULL"
	    " WHERE id = ?1",
	    "doubt clear", id, 0);
}

/* Marks row id sent at the start of its doubtful try, with reference
 * msg_ref and a pending delivery. 0 or -1. */
static int
store_doubt_sent(struct store *st, int64_t id, int msg_ref)
{
	return store_once_id(st,
	    "UPDATE outbound SET state = 'sent', attempts = attempts + 1, sent_ms = doubt_ms,"
	    " msg_ref = ?2, parts = doubt_parts, last_error = NULL, doubt_ms = NULL, dlr = 'pending',"
	    " dlr_ms = NULL, dlr_status = NULL WHERE id = ?1 AND state = 'queued'",
	    "doubt sent", id, msg_ref);
}

int
store_dlr_adopt(struct store *st, const char *modem, const char *dest, int msg_ref, int64_t *id)
{
	int rc = store_dlr_find_id(st,
	    "SELECT o.id FROM outbound o WHERE o.state = 'queued' AND o.doubt_ms IS NOT NULL"
	    " AND o.modem = ?1 AND ltrim(o.dest, '+') = ltrim(?2, '+')"
	    " AND ((o.doubt_ref IS NULL AND o.doubt_parts = 1) OR"
	    " ((?3 - o.doubt_ref + 256) % 256) BETWEEN o.doubt_parts AND o.doubt_parts + " STORE_DOUBT_REF_SPAN
	    ")"
	    " AND NOT EXISTS (SELECT 1 FROM outbound s WHERE s.state = 'sent'"
	    " AND s.modem = ?1 AND ltrim(s.dest, '+') = ltrim(?2, '+')"
	    " AND s.msg_ref IS NOT NULL AND s.sent_ms > o.doubt_ms - " STORE_DOUBT_RECENT_MS
	    " AND ((s.msg_ref - ?3 + 256) % 256) < MAX(COALESCE(s.parts, 1), 1))"
	    " ORDER BY o.doubt_ms DESC, o.id DESC LIMIT 1",
	    "doubt find", modem, dest, msg_ref, 0, id);

	if (rc != 0)
		return rc;
	if (store_doubt_sent(st, *id, msg_ref) < 0)
		return -1;
	log_warnx("store: #%lld was cut off while the modem sent it (a restart); the network "
		  "reports a copy (ref %d): recorded as sent, not sent again",
	    (long long)*id, msg_ref);
	return 0;
}
