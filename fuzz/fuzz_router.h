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
static sqlite3 *wiper;             /* a second connection: empties every table */
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
	FUZZ_CHECK(sqlite3_open_v2(db_path, &wiper, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	FUZZ_CHECK(sqlite3_prepare_v2(wiper,
		       "SELECT name FROM sqlite_master WHERE type = 'table'"
		       " AND name NOT LIKE 'sqlite_%'",
		       -1, &tables, NULL) == SQLITE_OK);
}

/* Every row of every table gone (AUTOINCREMENT counters too), so each
 * input starts where the first did. */
static void
fuzz_store_wipe(void)
{
	char sql[160];

	FUZZ_CHECK(sqlite3_exec(wiper, "BEGIN", NULL, NULL, NULL) == SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"",
		    (const char *)sqlite3_column_text(tables, 0));
		FUZZ_CHECK(sqlite3_exec(wiper, sql, NULL, NULL, NULL) == SQLITE_OK);
	}
	sqlite3_reset(tables);
	sqlite3_exec(wiper, "DELETE FROM sqlite_sequence", NULL, NULL, NULL); /* may not exist */
	FUZZ_CHECK(sqlite3_exec(wiper, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
}

#endif
