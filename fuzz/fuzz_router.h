/* fuzz_router.h - the router's world for fuzz_sms and fuzz_ussd: the
 * gateway's default configuration with Indonesia's roster (an officer and a
 * supervisor whose PIN is FUZZ_PIN), the repository's content with its
 * page cache built as the gateway builds it, and one
 * store opened once (migrations take tens of ms) and emptied before each
 * input (fuzz_store_wipe), so every input starts from the same state. */
#ifndef KAWAN_FUZZ_ROUTER_H
#define KAWAN_FUZZ_ROUTER_H

#include <crypt.h>
#include <sqlite3.h>

#include "config/config.h"
#include "router/router.h"
#include "session/engine.h"
#include "store/store_int.h" /* the store's connection, for the harness only */

#include "fuzz.h"

#define FUZZ_PIN "246813"

static const char *const senders[4] = {
	"+60123456701", /* worker A */
	"+60123456702", /* worker B */
	"+60111000111", /* the officer on Indonesia's roster */
	"+60111000999", /* its supervisor */
};

static struct kawan_config cfg;
static struct engine_settings eng;
static struct router_ctx rc;
static char db_path[256];
static struct store *st;           /* open from the first input on */
static sqlite3 *wiper;             /* the store's own connection: empties every table */
static sqlite3_stmt *tables;       /* the tables' names */
static struct engine_cache *cache; /* the pages, laid out once, as the gateway does */

static void
remove_db(void)
{
	char p[300];

	unlink(db_path);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db_path);
	unlink(p);
}

/* Sets everything up on the first call; db names the store's file. */
static void
setup(const char *db)
{
	static bool done;
	struct crypt_data cd;
	const char *h;

	if (done)
		return;
	done = true;
	fuzz_quiet();
	config_default(&cfg);
	cfg.content.configured = 1;
	cfg.content.serve_fuzzy = 1;
	memset(&cd, 0, sizeof(cd));
	/* A fast hash (MD5-crypt) keeps the PIN check from dominating. */
	h = crypt_r(FUZZ_PIN, "$1$kawanfz$", &cd);
	if (h == NULL || h[0] == '*')
		abort();
	memcpy(cfg.rosters[0].nationality, "ID", 3);
	snprintf(cfg.rosters[0].officers[0].name, sizeof(cfg.rosters[0].officers[0].name),
	    "Officer A");
	snprintf(cfg.rosters[0].officers[0].number, sizeof(cfg.rosters[0].officers[0].number), "%s",
	    senders[2]);
	snprintf(cfg.rosters[0].officers[0].pin_hash, sizeof(cfg.rosters[0].officers[0].pin_hash),
	    "%s", h);
	cfg.rosters[0].nofficers = 1;
	snprintf(cfg.rosters[0].supervisor.name, sizeof(cfg.rosters[0].supervisor.name), "Super");
	snprintf(cfg.rosters[0].supervisor.number, sizeof(cfg.rosters[0].supervisor.number), "%s",
	    senders[3]);
	snprintf(cfg.rosters[0].supervisor.pin_hash, sizeof(cfg.rosters[0].supervisor.pin_hash),
	    "%s", h);
	cfg.nrosters = 1;
	cfg.reports.sos_default = CONFIG_TELL_BOTH;
	router_engine_settings(&cfg, &eng);
	rc.cfg = &cfg;
	rc.content = fuzz_content();
	/* The gateway lays out every page without a hint once per content
	 * snapshot (channel/snapshot.c); so does the target, else 80% of its
	 * time would go to laying out the same pages again. */
	FUZZ_CHECK(engine_cache_build(rc.content, &eng, &cache) == 0);
	eng.cache = cache;
	rc.engine = &eng;
	snprintf(db_path, sizeof(db_path), "%s/%s", fuzz_dir(), db);
	remove_db();
	atexit(remove_db);
	/* Opening a store runs every migration (tens of ms): once. Each
	 * input then starts from empty tables (wipe). */
	FUZZ_CHECK(store_open(db_path, &st) == 0);
	/* The migrated database moved into memory (SQLite's memdb, with a
	 * rollback journal: memdb has no WAL): the SQL the gateway runs is
	 * the same, without the quarter of the time that went to writing WAL
	 * frames and taking file locks. The store's statements prepare again
	 * on their own. */
	wiper = st->db;
	{
		sqlite3_int64 sz = 0;
		unsigned char *img = sqlite3_serialize(wiper, "main", &sz, 0);

		FUZZ_CHECK(img != NULL && sz > 100);
		img[18] = img[19] = 1; /* file format: rollback journal, not WAL */
		FUZZ_CHECK(sqlite3_deserialize(wiper, "main", img, sz, sz,
			       SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) ==
			   SQLITE_OK);
	}
	FUZZ_CHECK(sqlite3_prepare_v2(wiper,
		       "SELECT name FROM sqlite_master WHERE type = 'table'"
		       " AND name NOT LIKE 'sqlite_%'",
		       -1, &tables, NULL) == SQLITE_OK);
}

/* The store's tables, children before parents: a table another table's
 * foreign key points at comes after that table, so the DELETEs pass the
 * store's foreign keys in order. (Turning the keys off and on around
 * the wipe would make every prepared statement of the store prepare
 * again, a quarter of the time.) Fills names (n of them). */
#define FUZZ_TABLES_MAX 64
static size_t
fuzz_store_tables(char names[][64])
{
	static bool refs[FUZZ_TABLES_MAX][FUZZ_TABLES_MAX]; /* [a][b]: a points at b */
	char all[FUZZ_TABLES_MAX][64];
	bool placed[FUZZ_TABLES_MAX] = { false };
	sqlite3_stmt *fk;
	size_t n = 0, out = 0;

	while (sqlite3_step(tables) == SQLITE_ROW) {
		FUZZ_CHECK(n < FUZZ_TABLES_MAX);
		snprintf(all[n++], sizeof(all[0]), "%s",
		    (const char *)sqlite3_column_text(tables, 0));
	}
	sqlite3_reset(tables);
	FUZZ_CHECK(sqlite3_prepare_v2(wiper, "SELECT \"table\" FROM pragma_foreign_key_list(?1)",
		       -1, &fk, NULL) == SQLITE_OK);
	for (size_t a = 0; a < n; a++) {
		sqlite3_bind_text(fk, 1, all[a], -1, SQLITE_STATIC);
		while (sqlite3_step(fk) == SQLITE_ROW)
			for (size_t b = 0; b < n; b++)
				if (b != a &&
				    strcmp((const char *)sqlite3_column_text(fk, 0), all[b]) == 0)
					refs[a][b] = true;
		sqlite3_reset(fk);
	}
	sqlite3_finalize(fk);
	while (out < n) {
		size_t before = out;

		for (size_t b = 0; b < n; b++) {
			bool pointed = false;

			for (size_t a = 0; a < n && !placed[b]; a++)
				pointed = pointed || (!placed[a] && refs[a][b]);
			if (!placed[b] && !pointed) {
				placed[b] = true;
				memcpy(names[out++], all[b], sizeof(all[b]));
			}
		}
		FUZZ_CHECK(out > before); /* (no cycle of foreign keys) */
	}
	return n;
}

/* Every row of every table gone (AUTOINCREMENT counters too), so each
 * input starts where the first did. The DELETEs are prepared once (a
 * tenth of the target's time went to preparing them per input), and an
 * empty table is not written. */
static void
fuzz_store_wipe(void)
{
	static sqlite3_stmt *del[FUZZ_TABLES_MAX + 1];
	static size_t ndel;

	if (ndel == 0) {
		char names[FUZZ_TABLES_MAX][64];
		size_t n = fuzz_store_tables(names);

		for (size_t i = 0; i < n; i++) {
			char sql[300]; /* (two names of at most 63 bytes) */

			snprintf(sql, sizeof(sql),
			    "DELETE FROM \"%.63s\" WHERE EXISTS (SELECT 1 FROM \"%.63s\")",
			    names[i], names[i]);
			FUZZ_CHECK(
			    sqlite3_prepare_v2(wiper, sql, -1, &del[ndel++], NULL) == SQLITE_OK);
		}
		/* sqlite_sequence exists when a table has AUTOINCREMENT */
		if (sqlite3_prepare_v2(wiper,
			"DELETE FROM sqlite_sequence WHERE EXISTS (SELECT 1 FROM sqlite_sequence)",
			-1, &del[ndel], NULL) == SQLITE_OK)
			ndel++;
	}
	FUZZ_CHECK(sqlite3_exec(wiper, "BEGIN", NULL, NULL, NULL) == SQLITE_OK);
	for (size_t i = 0; i < ndel; i++) {
		FUZZ_CHECK(sqlite3_step(del[i]) == SQLITE_DONE);
		sqlite3_reset(del[i]);
	}
	FUZZ_CHECK(sqlite3_exec(wiper, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
}

#endif
