/* store_queue.c - the inbound and outbound queues.
 *
 * Inbound row states:   new --store_inbound_mark_done()--> done
 * Outbound row states:  queued --store_outbound_mark_sent()-->   sent
 *                       queued --store_outbound_mark_retry()-->  queued (attempts+1)
 *                       queued --store_outbound_defer()-->       queued (attempts kept)
 *                       queued --store_outbound_mark_failed()--> failed
 * Due outbound rows go out most urgent first (priority: officer alerts
 * before replies), then fair per recipient (the one whose last send is
 * oldest; never sent to: first), then soonest due, then lowest id: one
 * number's flood of replies takes turns with everyone else's instead of
 * going first (issue 11). The query visits each recipient with a queued
 * row once (schema 16's outbound_queued_dest, a skip scan), so its cost
 * grows with the recipients waiting, not the rows. A row names the modem
 * that sends it ('' = any: the first modem thread to take it claims it,
 * and a claimed row, which may have parts staged on that modem's SIM,
 * never moves by itself).
 * Invariant: an inbound message has at most one outbound reply (a partial
 * UNIQUE index on outbound.inbound_id), so retries never answer twice. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "store/store_int.h"

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
store_inbound_add(struct store *st, const char *channel, const char *sender, const char *text,
    int64_t sent_at_ms, int64_t received_at_ms, int flags, const char *dedupe_key, int64_t *id_out)
{
	return store_inbound_add_via(st, channel, "", sender, text, sent_at_ms, received_at_ms,
	    flags, dedupe_key, id_out);
}

int
store_inbound_add_via(struct store *st, const char *channel, const char *modem, const char *sender,
    const char *text, int64_t sent_at_ms, int64_t received_at_ms, int flags, const char *dedupe_key,
    int64_t *id_out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_IN_INSERT];
	int rc;

	if (modem == NULL || strlen(modem) >= STORE_MODEM_MAX) {
		log_warnx("store: inbound modem name missing or too long");
		return -1;
	}
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
	    (sent_at_ms != 0 ? sqlite3_bind_int64(stmt, 4, sent_at_ms) :
			       sqlite3_bind_null(stmt, 4)) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 5, received_at_ms) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 6, flags) != SQLITE_OK ||
	    store_bind_text(stmt, 7, dedupe_key) != SQLITE_OK ||
	    store_bind_text(stmt, 8, modem) != SQLITE_OK) {
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
	    store_col_copy(stmt, 7, out->modem, sizeof(out->modem)) == -1 || out->text == NULL) {
		log_warnx("store: %s: inbound %" PRId64 ": bad row or out of memory", st->path,
		    out->id);
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
store_outbound_insert(struct store *st, const char *channel, const char *modem, const char *dest,
    const char *text, int msg_class, int64_t inbound_id, int64_t now_ms, int priority,
    int64_t *id_out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_INSERT];
	int rc;

	if (modem == NULL || strlen(modem) >= STORE_MODEM_MAX) {
		log_warnx("store: outbound modem name missing or too long");
		return -1;
	}
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
	    (inbound_id != 0 ? sqlite3_bind_int64(stmt, 5, inbound_id) :
			       sqlite3_bind_null(stmt, 5)) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 6, now_ms) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 7, priority) != SQLITE_OK ||
	    store_bind_text(stmt, 8, modem) != SQLITE_OK) {
		store_logerr(st, "outbound bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		log_warnx("store: %s: inbound %" PRId64 " already has a reply; "
			  "second reply refused",
		    st->path, inbound_id);
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
store_outbound_add(struct store *st, const char *channel, const char *dest, const char *text,
    int msg_class, int64_t inbound_id, int64_t now_ms, int64_t *id_out)
{
	return store_outbound_insert(st, channel, "", dest, text, msg_class, inbound_id, now_ms,
	    STORE_PRIORITY_NORMAL, id_out);
}

int
store_outbound_reply(struct store *st, const char *channel, const char *modem, const char *dest,
    const char *text, int msg_class, int64_t inbound_id, int64_t now_ms, int64_t *id_out)
{
	return store_outbound_insert(st, channel, modem, dest, text, msg_class, inbound_id, now_ms,
	    STORE_PRIORITY_NORMAL, id_out);
}

int
store_outbound_add_urgent(struct store *st, const char *channel, const char *dest, const char *text,
    int msg_class, int64_t inbound_id, int64_t now_ms, int64_t *id_out)
{
	return store_outbound_insert(st, channel, "", dest, text, msg_class, inbound_id, now_ms,
	    STORE_PRIORITY_URGENT, id_out);
}

/* Reads the due row for modem (NULL: any row) into out. */
static int
store_outbound_due(struct store *st, const char *channel, const char *modem, int64_t now_ms,
    struct store_outbound *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_NEXT];
	int rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_bind_int64(stmt, 1, now_ms) != SQLITE_OK ||
	    store_bind_text(stmt, 2, modem) != SQLITE_OK ||
	    store_bind_text(stmt, 3, channel) != SQLITE_OK) {
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
	out->priority = sqlite3_column_int(stmt, 9);
	out->text = store_col_dup(stmt, 3);
	if (store_col_copy(stmt, 1, out->channel, sizeof(out->channel)) == -1 ||
	    store_col_copy(stmt, 2, out->dest, sizeof(out->dest)) == -1 ||
	    store_col_copy(stmt, 8, out->modem, sizeof(out->modem)) == -1 || out->text == NULL) {
		log_warnx("store: %s: outbound %" PRId64 ": bad row or out of memory", st->path,
		    out->id);
		store_stmt_done(stmt);
		store_outbound_clear(out);
		return -1;
	}
	store_stmt_done(stmt);
	return 0;
}

int
store_outbound_next_due(struct store *st, int64_t now_ms, struct store_outbound *out)
{
	return store_outbound_due(st, NULL, NULL, now_ms, out);
}

int
store_outbound_take(struct store *st, const char *channel, const char *modem, int64_t now_ms,
    struct store_outbound *out)
{
	sqlite3_stmt *claim = st->stmt[STMT_OUT_CLAIM];

	/* Another modem may claim the same row between our read and our
	 * claim: the claim then changes nothing, and we look again. */
	for (int tries = 0; tries < 16; tries++) {
		int rc = store_outbound_due(st, channel, modem, now_ms, out);

		if (rc != 0 || out->modem[0] != '\0')
			return rc;
		if (sqlite3_bind_int64(claim, 1, out->id) != SQLITE_OK ||
		    store_bind_text(claim, 2, modem) != SQLITE_OK ||
		    store_step_done(st, STMT_OUT_CLAIM, "outbound claim") < 0) {
			store_stmt_done(claim);
			store_outbound_clear(out);
			return -1;
		}
		if (sqlite3_changes(st->db) == 1) {
			if (util_strcopy(out->modem, sizeof(out->modem), modem) < 0) {
				store_outbound_clear(out);
				return -1;
			}
			return 0;
		}
		store_outbound_clear(out);
	}
	return 1;
}

int
store_outbound_next_due_at(struct store *st, const char *channel, const char *modem,
    int64_t *when_ms)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_NEXT_AT];
	int rc;

	if (store_bind_text(stmt, 1, modem) != SQLITE_OK ||
	    store_bind_text(stmt, 2, channel) != SQLITE_OK) {
		store_logerr(st, "outbound next due at bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
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
store_outbound_defer(struct store *st, int64_t id, int64_t next_attempt_ms, const char *why)
{
	sqlite3_stmt *stmt = st->stmt[STMT_OUT_DEFER];

	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, next_attempt_ms) != SQLITE_OK ||
	    store_bind_text(stmt, 3, why) != SQLITE_OK) {
		store_logerr(st, "outbound defer bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_update_one(st, STMT_OUT_DEFER, id, "outbound defer");
}

int
store_outbound_adopt_staged(struct store *st, const char *modem)
{
	if (store_bind_text(st->stmt[STMT_OUT_ADOPT], 1, modem) != SQLITE_OK) {
		store_logerr(st, "outbound adopt bind");
		store_stmt_done(st->stmt[STMT_OUT_ADOPT]);
		return -1;
	}
	return store_step_done(st, STMT_OUT_ADOPT, "outbound adopt staged");
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
store_outbound_mark_retry(struct store *st, int64_t id, int64_t next_attempt_ms, const char *error)
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
