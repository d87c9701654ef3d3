/* fuzz_sms.c - SMS text through the router and the menu engine: keywords,
 * menu digits, free-text report answers and officer commands (with the
 * officer's PIN), on the repository's menus/ and translations/ and a fresh
 * SQLite store per input, as router_dispatch sees them in the gateway.
 *
 * Input: messages separated by '\n'. A message's first byte picks its
 * sender (low two bits: worker A, worker B, the officer, the supervisor);
 * the rest is its text. In a text, "#R" becomes the newest open report's
 * reference of worker A and "#P" the officer's PIN, so officer commands
 * reach past the reference and PIN checks.
 *
 * Invariants: every message is routed (none is left new), and every
 * queued reply is non-empty, well-formed UTF-8 and of bounded length. */
#include <crypt.h>
#include <sqlite3.h>

#include "config/config.h"
#include "router/router.h"
#include "session/engine.h"

#include "fuzz.h"

#define FUZZ_SMS_MAX_MSGS 8
#define FUZZ_SMS_PIN "246813"
#define FUZZ_SMS_REPLY_MAX 8192 /* bytes of one queued reply */

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
static struct store *st;     /* open from the first input on */
static sqlite3 *wiper;       /* a second connection: empties every table */
static sqlite3_stmt *tables; /* the tables' names */

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

static void
setup(void)
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
	h = crypt_r(FUZZ_SMS_PIN, "$1$kawanfz$", &cd);
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
	rc.engine = &eng;
	snprintf(db_path, sizeof(db_path), "%s/sms.db", fuzz_dir());
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
wipe(void)
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

/* text with "#R" and "#P" replaced, into out (always terminated). */
static void
expand(const uint8_t *s, size_t n, char *out, size_t outsz)
{
	struct store_report r;
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < outsz; i++) {
		const char *sub = NULL;

		if (s[i] == '#' && i + 1 < n && s[i + 1] == 'R') {
			if (store_report_find_open(st, senders[0], 0, &r) == 0)
				sub = r.ref;
			else
				sub = "ZZZZ";
		} else if (s[i] == '#' && i + 1 < n && s[i + 1] == 'P')
			sub = FUZZ_SMS_PIN;
		if (sub != NULL) {
			size_t l = strlen(sub);

			if (o + l + 1 > outsz)
				break;
			memcpy(out + o, sub, l);
			o += l;
			i++;
			continue;
		}
		/* A NUL cannot be in a stored text (the modem layer never
		 * gives one); it would only cut the text short. */
		out[o++] = s[i] == '\0' ? ' ' : (char)s[i];
	}
	out[o] = '\0';
}

/* Every queued reply: non-empty, UTF-8, bounded. */
static void
check_outbound(void)
{
	sqlite3_stmt *q;

	FUZZ_CHECK(
	    sqlite3_prepare_v2(wiper, "SELECT text FROM outbound", -1, &q, NULL) == SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(q, 0);
		int n = sqlite3_column_bytes(q, 0);

		FUZZ_CHECK(t != NULL && n > 0 && n <= FUZZ_SMS_REPLY_MAX);
		FUZZ_CHECK(fuzz_utf8_valid(t, (size_t)n));
	}
	sqlite3_finalize(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_inbound in;
	size_t at = 0;
	int nmsg = 0;

	setup();
	if (size > 4096)
		return 0;
	wipe();
	while (at < size && nmsg < FUZZ_SMS_MAX_MSGS) {
		const uint8_t *nl = memchr(data + at, '\n', size - at);
		size_t end = nl != NULL ? (size_t)(nl - data) : size;
		char text[1024], key[32];
		int64_t id;

		if (end > at) {
			expand(data + at + 1, end - at - 1, text, sizeof(text));
			snprintf(key, sizeof(key), "fuzz-%d", nmsg);
			FUZZ_CHECK(store_inbound_add(st, "sms", senders[data[at] & 3], text,
				       1800000000000LL, 1800000000000LL, 0, key, &id) == 0);
			FUZZ_CHECK(router_dispatch(st, &rc) >= 0);
			FUZZ_CHECK(store_inbound_next_new(st, &in) == 1);
			nmsg++;
		}
		at = end + 1;
	}
	check_outbound();
	return 0;
}
