/* store_readonly.c - a read-only connection for tools that only read (the
 * admin CLI's list, show, export, stats, modems): opened with
 * SQLITE_OPEN_READONLY and query_only, so a bug or a crafted path there can
 * never write the gateway's database, and no migration runs behind the
 * gateway's back. */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "store/store_int.h"

/* Busy timeout, query_only, and the schema version must be this build's. */
static int
store_readonly_setup(struct store *st)
{
	sqlite3_stmt *stmt = NULL;
	int v = -1;

	if (sqlite3_extended_result_codes(st->db, 1) != SQLITE_OK ||
	    sqlite3_busy_timeout(st->db, STORE_BUSY_MS) != SQLITE_OK ||
	    sqlite3_exec(st->db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK) {
		store_logerr(st, "cannot configure read-only connection");
		return -1;
	}
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		store_logerr(st, "cannot read schema version");
		sqlite3_finalize(stmt);
		return -1;
	}
	v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (v != store_schema_latest()) {
		log_warnx("store: %s: schema version %d, this build reads %d; start the gateway "
			  "(it migrates) or use the matching kawanctl",
		    st->path, v, store_schema_latest());
		return -1;
	}
	st->version = v;
	return 0;
}

int
store_open_readonly(const char *path, struct store **out)
{
	struct store *st;
	int rc;

	*out = NULL;
	st = store_alloc(path);
	if (st == NULL)
		return -1;
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		log_warnx("store: %s: cannot open read-only: %s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	if (store_readonly_setup(st) == -1 || store_prepare_all(st) == -1)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}
