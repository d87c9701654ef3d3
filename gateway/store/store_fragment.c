/* store_fragment.c - parts of concatenated SMS that arrived without the
 * rest. Each is committed as soon as it is read (then the SIM may forget
 * it, so incomplete messages never fill the SIM's storage), joined here
 * when the last part comes, or stored partial after partial_timeout
 * (inbound/inbound.c decides; this file only keeps the rows).
 *
 *   waiting (inbound_id NULL) --store_fragment_joined()--> joined (inbound_id set)
 *   joined --retention (store_erase_messages_before)--> deleted
 * A joined row keeps its dedupe key, so the same part read again after a
 * crash between commit and delete is recognised and not joined twice. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "store/store_int.h"

int
store_fragment_add(struct store *st, const struct store_fragment *f, const char *dedupe_key)
{
	sqlite3_stmt *stmt = st->stmt[STMT_FRAG_INSERT];

	if (f->text == NULL || dedupe_key == NULL || dedupe_key[0] == '\0' ||
	    strlen(dedupe_key) >= STORE_KEY_MAX) {
		log_warnx("store: fragment without text or key");
		return -1;
	}
	if (store_bind_text(stmt, 1, f->modem) != SQLITE_OK ||
	    store_bind_text(stmt, 2, f->sender) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 3, f->ref) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 4, f->total) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 5, f->seq) != SQLITE_OK ||
	    store_bind_text(stmt, 6, f->text) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 7, f->flags) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 8, f->sent_at_ms) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 9, f->location) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 10, f->received_at_ms) != SQLITE_OK ||
	    store_bind_text(stmt, 11, dedupe_key) != SQLITE_OK) {
		store_logerr(st, "fragment bind");
		store_stmt_done(stmt);
		return -1;
	}
	if (store_step_done(st, STMT_FRAG_INSERT, "fragment insert") < 0)
		return -1;
	return sqlite3_changes(st->db) == 1 ? 0 : 1;
}

/* Reads the row stmt stands on into f (text malloc'd). 0 or -1. */
static int
store_fragment_read(struct store *st, sqlite3_stmt *stmt, struct store_fragment *f)
{
	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(stmt, 0);
	f->ref = sqlite3_column_int(stmt, 3);
	f->total = sqlite3_column_int(stmt, 4);
	f->seq = sqlite3_column_int(stmt, 5);
	f->flags = sqlite3_column_int(stmt, 7);
	f->sent_at_ms = sqlite3_column_int64(stmt, 8);
	f->location = sqlite3_column_int(stmt, 9);
	f->received_at_ms = sqlite3_column_int64(stmt, 10);
	f->text = store_col_dup(stmt, 6);
	if (store_col_copy(stmt, 1, f->modem, sizeof(f->modem)) < 0 ||
	    store_col_copy(stmt, 2, f->sender, sizeof(f->sender)) < 0 || f->text == NULL) {
		log_warnx("store: %s: fragment %" PRId64 ": bad row or out of memory", st->path,
		    f->id);
		store_fragment_clear(f);
		return -1;
	}
	return 0;
}

int
store_fragment_group(struct store *st, const struct store_fragment *f, struct store_fragment **out,
    size_t *n)
{
	sqlite3_stmt *stmt = st->stmt[STMT_FRAG_GROUP];
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_bind_text(stmt, 1, f->modem) != SQLITE_OK ||
	    store_bind_text(stmt, 2, f->sender) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 3, f->ref) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 4, f->total) != SQLITE_OK) {
		store_logerr(st, "fragment group bind");
		goto fail;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap == 0 ? 4 : cap * 2;
			struct store_fragment *g = realloc(*out, ncap * sizeof(*g));

			if (g == NULL)
				goto fail;
			*out = g;
			cap = ncap;
		}
		if (store_fragment_read(st, stmt, &(*out)[*n]) < 0)
			goto fail;
		(*n)++;
	}
	if (rc != SQLITE_DONE) {
		store_logerr(st, "fragment group");
		goto fail;
	}
	store_stmt_done(stmt);
	return 0;
fail:
	store_stmt_done(stmt);
	store_fragments_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

int
store_fragment_joined(struct store *st, int64_t id, int64_t inbound_id)
{
	sqlite3_stmt *stmt = st->stmt[STMT_FRAG_JOINED];

	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, inbound_id) != SQLITE_OK) {
		store_logerr(st, "fragment joined bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_update_one(st, STMT_FRAG_JOINED, id, "fragment joined");
}

int
store_fragment_oldest(struct store *st, int64_t cutoff_ms, struct store_fragment *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_FRAG_OLDEST];
	int rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_bind_int64(stmt, 1, cutoff_ms) != SQLITE_OK) {
		store_logerr(st, "fragment oldest bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = store_step_row(st, stmt, "fragment oldest");
	if (rc != 0)
		return rc;
	rc = store_fragment_read(st, stmt, out);
	store_stmt_done(stmt);
	return rc;
}

void
store_fragment_clear(struct store_fragment *f)
{
	if (f == NULL)
		return;
	free(f->text);
	f->text = NULL;
}

void
store_fragments_free(struct store_fragment *f, size_t n)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		store_fragment_clear(&f[i]);
	free(f);
}
