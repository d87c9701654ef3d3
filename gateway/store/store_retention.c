/* store_retention.c - erases personal data from the message queues once it
 * is older than the retention period; the rows (and so the counts) stay. */
#include "store/store_int.h"

int
store_erase_messages_before(struct store *st, int64_t cutoff_ms)
{
	static const enum store_stmt which[] = { STMT_IN_ERASE, STMT_OUT_ERASE, STMT_SESSION_EXPIRE,
		STMT_FRAG_ERASE };
	int changed = 0;

	if (store_begin(st) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
		if (sqlite3_bind_int64(st->stmt[which[i]], 1, cutoff_ms) != SQLITE_OK) {
			store_logerr(st, "retention bind");
			store_stmt_done(st->stmt[which[i]]);
			goto fail;
		}
		if (store_step_done(st, which[i], "retention") < 0)
			goto fail;
		changed += sqlite3_changes(st->db);
	}
	if (store_commit(st) < 0)
		goto fail;
	return changed;
fail:
	store_rollback(st);
	return -1;
}
