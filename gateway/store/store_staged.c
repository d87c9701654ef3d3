/* store_staged.c - the outbound_part table: which SIM slots hold the parts
 * of a queued message written with AT+CMGW and not yet known to be sent. */
#include "store/store_int.h"

#include <inttypes.h>

#include "core/log.h"

int
store_outbound_stage(struct store *st, int64_t id, const struct store_slot *slots, size_t n)
{
	sqlite3_stmt *stmt = st->stmt[STMT_PART_INSERT];

	if (n == 0 || n > STORE_MAX_PARTS)
		return -1;
	if (store_begin(st) < 0)
		return -1;
	if (sqlite3_bind_int64(st->stmt[STMT_PART_DELETE], 1, id) != SQLITE_OK ||
	    store_step_done(st, STMT_PART_DELETE, "outbound unstage") < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
		    sqlite3_bind_int(stmt, 2, (int)i) != SQLITE_OK ||
		    sqlite3_bind_int(stmt, 3, slots[i].folder) != SQLITE_OK ||
		    sqlite3_bind_int(stmt, 4, slots[i].location) != SQLITE_OK) {
			store_logerr(st, "outbound stage bind");
			store_stmt_done(stmt);
			goto fail;
		}
		if (store_step_done(st, STMT_PART_INSERT, "outbound stage") < 0)
			goto fail;
	}
	if (store_commit(st) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int
store_outbound_staged(struct store *st, int64_t id, struct store_slot *slots, size_t max, size_t *n)
{
	sqlite3_stmt *stmt = st->stmt[STMT_PART_LIST];
	int rc;

	*n = 0;
	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK) {
		store_logerr(st, "outbound staged bind");
		store_stmt_done(stmt);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == max) {
			log_warnx("store: outbound %" PRId64 " has more staged parts than %zu", id,
			    max);
			store_stmt_done(stmt);
			return -1;
		}
		slots[*n].folder = sqlite3_column_int(stmt, 0);
		slots[*n].location = sqlite3_column_int(stmt, 1);
		(*n)++;
	}
	if (rc != SQLITE_DONE) {
		store_logerr(st, "outbound staged");
		store_stmt_done(stmt);
		return -1;
	}
	store_stmt_done(stmt);
	return 0;
}

int
store_outbound_unstage(struct store *st, int64_t id)
{
	if (sqlite3_bind_int64(st->stmt[STMT_PART_DELETE], 1, id) != SQLITE_OK) {
		store_logerr(st, "outbound unstage bind");
		store_stmt_done(st->stmt[STMT_PART_DELETE]);
		return -1;
	}
	return store_step_done(st, STMT_PART_DELETE, "outbound unstage");
}

int
store_slot_in_use(struct store *st, const char *modem, int folder, int location, bool *in_use)
{
	sqlite3_stmt *stmt = st->stmt[STMT_PART_IN_USE];
	int rc;

	if (sqlite3_bind_int(stmt, 1, folder) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 2, location) != SQLITE_OK ||
	    store_bind_text(stmt, 3, modem) != SQLITE_OK) {
		store_logerr(st, "slot in use bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_logerr(st, "slot in use");
		return -1;
	}
	*in_use = rc == SQLITE_ROW;
	return 0;
}
