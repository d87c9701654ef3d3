/* store_officer.c - what guards the officer commands and STATUS (schema
 * v15, issue 11): how many times an officer's number was locked (each lock
 * lasts longer; officer_pin.locks) and, per worker number, how many STATUS
 * asked about a reference it did not make (status_miss, one row per number
 * while its window runs). Rare: statements are prepared per call. */
#include <string.h>

#include "core/log.h"
#include "store/store_int.h"

int
store_pin_level(struct store *st, const char *number, int *locks)
{
	return store_once_int_row(st, "SELECT locks FROM officer_pin WHERE number = ?1",
	    "pin level", number, 0, locks);
}

int
store_pin_set_level(struct store *st, const char *number, int locks)
{
	if (number == NULL || number[0] == '\0') {
		log_warnx("store: pin level without a number");
		return -1;
	}
	return store_once_text_int(st,
	    "INSERT INTO officer_pin (number, failures, locked_until_ms, locks)"
	    " VALUES (?1, 0, 0, ?2) ON CONFLICT (number) DO UPDATE SET locks = ?2",
	    "pin level put", number, locks);
}

int
store_status_misses(struct store *st, const char *number, int64_t since_ms, int *misses)
{
	return store_once_int_row(st,
	    "SELECT misses FROM status_miss WHERE number = ?1 AND window_start_ms >= ?2",
	    "status misses", number, since_ms, misses);
}

int
store_status_miss_add(struct store *st, const char *number, int64_t now_ms, int64_t since_ms)
{
	sqlite3_stmt *stmt;

	if (number == NULL || number[0] == '\0') {
		log_warnx("store: status miss without a number");
		return -1;
	}
	/* Rows whose window ended name a number for nothing: gone. */
	stmt = store_prepare_once(st, "DELETE FROM status_miss WHERE window_start_ms < ?1",
	    "status miss purge prepare");
	if (stmt == NULL)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, since_ms) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_DONE) {
		store_logerr(st, "status miss purge");
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return store_once_text_int(st,
	    "INSERT INTO status_miss (number, misses, window_start_ms) VALUES (?1, 1, ?2)"
	    " ON CONFLICT (number) DO UPDATE SET misses = misses + 1",
	    "status miss", number, now_ms);
}
