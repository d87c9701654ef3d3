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
 * queued reply is non-empty, well-formed UTF-8 and of bounded length.
 * FUZZ_SMS_DUMP=1 prints every queued reply (to see what a seed reaches). */
#include "fuzz_router.h"

#define FUZZ_SMS_MAX_MSGS 8
#define FUZZ_SMS_REPLY_MAX 8192 /* bytes of one queued reply */

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
			sub = FUZZ_PIN;
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
	bool dump = getenv("FUZZ_SMS_DUMP") != NULL; /* to see what a seed reaches */

	FUZZ_CHECK(sqlite3_prepare_v2(wiper, "SELECT text, dest FROM outbound ORDER BY id", -1, &q,
		       NULL) == SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(q, 0);
		int n = sqlite3_column_bytes(q, 0);

		FUZZ_CHECK(t != NULL && n > 0 && n <= FUZZ_SMS_REPLY_MAX);
		FUZZ_CHECK(fuzz_utf8_valid(t, (size_t)n));
		if (dump)
			fprintf(stderr, "-> %s: %s\n", (const char *)sqlite3_column_text(q, 1), t);
	}
	sqlite3_finalize(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_inbound in;
	size_t at = 0;
	int nmsg = 0;

	setup("sms.db");
	if (size > 4096)
		return 0;
	fuzz_store_wipe();
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
