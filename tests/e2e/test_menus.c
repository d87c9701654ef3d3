/* test_menus.c - a worker's menus end to end (issue 3), through the real
 * gateway, libgammu's AT driver and the simulated modem, with the repo's
 * menus/ and translations/ (fuzzy drafts served):
 *  - first contact gets the language list; Khmer is picked from it; home,
 *    Your rights and a rights page read across its pages, back and home,
 *    every reply UCS-2, in Khmer script, within its SMS budget, the rights
 *    page carrying its Declaration articles line;
 *  - the language survives a restart; LANG shows the list again;
 *  - keywords in Malay and Thai open the report flow; MENU goes home;
 *  - SIGHUP with broken content keeps the old content (file:line logged);
 *    fixed content with a changed English string is served;
 *  - a Zawgyi writer gets Burmese in Zawgyi;
 *  - hostile input (8-bit noise, format strings, 1500 characters) leaves
 *    the gateway answering.
 * Expected strings come from the same content, loaded here with
 * content_load(), so a translation edit does not break the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"
#include "content/content.h"
#include "render/render.h"

#define REPLY_MS 60000

static char repo[HARNESS_PATH_MAX];
static struct content *ct; /* the repo's content, for expected strings */

/* ---- text checks ---- */

/* Next code point of UTF-8 s (advances *s); 0xFFFD on a bad byte. */
static unsigned
next_cp(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	unsigned cp;
	int n;

	if (p[0] < 0x80) {
		*s += 1;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0) {
		cp = p[0] & 0x1Fu;
		n = 1;
	} else if ((p[0] & 0xF0) == 0xE0) {
		cp = p[0] & 0x0Fu;
		n = 2;
	} else if ((p[0] & 0xF8) == 0xF0) {
		cp = p[0] & 0x07u;
		n = 3;
	} else {
		*s += 1;
		return 0xFFFD;
	}
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*s += i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (p[i] & 0x3Fu);
	}
	*s += n + 1;
	return cp;
}

static size_t
count_range(const char *s, unsigned lo, unsigned hi)
{
	size_t n = 0;

	while (s != NULL && *s != '\0') {
		unsigned cp = next_cp(&s);
		n += cp >= lo && cp <= hi;
	}
	return n;
}

static bool
has(const char *hay, const char *needle)
{
	return hay != NULL && needle != NULL && strstr(hay, needle) != NULL;
}

/* The first line of s (up to 60 bytes, cut on a character boundary). */
static void
first_words(const char *s, char *out, size_t outsz)
{
	size_t n = strcspn(s, "\n");

	if (n > 60)
		n = 60;
	if (n >= outsz)
		n = outsz - 1;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(out, s, n);
	out[n] = '\0';
}

static const char *
tr_text(const char *lang, const char *id)
{
	const struct content_node *nd = content_find(ct, id);

	return nd != NULL ? content_tr(ct, lang, id, nd->text, true) : "(no such node)";
}

static const char *
tr_title(const char *lang, const char *id)
{
	const struct content_node *nd = content_find(ct, id);

	return nd != NULL ? content_tr(ct, lang, id, nd->title, true) : "(no such node)";
}

static void
show(const char *what, const struct hctl_sent *m)
{
	printf("menus: %s -> %s %d part(s): %.200s%s\n", what, m->coding, m->nparts,
	    m->text != NULL ? m->text : "", m->text != NULL && strlen(m->text) > 200 ? "..." : "");
}

/* A Khmer reply: UCS-2, Khmer script, within max_parts. */
static void
check_khmer(struct harness *h, const struct hctl_sent *m, int max_parts)
{
	E2E_CHECK(h, strcmp(m->coding, "ucs2") == 0);
	E2E_CHECK(h, count_range(m->text, 0x1780, 0x17FF) >= 5);
	E2E_CHECK(h, m->nparts >= 1 && m->nparts <= max_parts);
}

/* ---- configuration ---- */

static void
content_cfg(struct hbuf *b, const char *menus, const char *translations)
{
	if (hgw_cfg_content(b, menus, translations, NULL) < 0)
		fail_msg("out of memory");
}

/* Starts sim and gateway with content from menus/ and translations/ under base. */
static struct hbuf extra_cfg; /* the content group of the running scenario */

static void
start_with_content(struct harness *h, const char *base)
{
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];

	snprintf(menus, sizeof(menus), "%s/menus", base);
	snprintf(trans, sizeof(trans), "%s/translations", base);
	hbuf_reset(&extra_cfg);
	content_cfg(&extra_cfg, menus, trans);
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, hgw_start(h, extra_cfg.data));
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
}

static void
say(struct harness *h, const char *from, const char *text, struct hctl_sent *m)
{
	E2E_OK(h, hgw_converse(h, from, text, REPLY_MS, m));
	show(text, m);
}

static int
setup(void **state)
{
	return e2e_setup(state, "menus");
}

/* ---- 1 and 2: Khmer, kept across a restart ---- */

/* The digit in front of name on a language-list page, or -1. */
static int
digit_before(const char *page, const char *name)
{
	const char *at = strstr(page, name);
	const char *line;
	long v = 0;

	if (at == NULL)
		return -1;
	for (line = at; line > page && line[-1] != '\n'; line--)
		;
	if (*line < '0' || *line > '9')
		return -1;
	while (*line >= '0' && *line <= '9')
		v = v * 10 + (*line++ - '0');
	return (int)v;
}

/* Whether a menu page offers choice 1 (where a 70-character UCS-2 page
 * has no room for the menu's prompt, the choices come first). */
static bool
first_choice(const char *text)
{
	return strncmp(text, "1 ", 2) == 0 || strstr(text, "\n1 ") != NULL;
}

static void
test_khmer_walk_and_restart(void **state)
{
	struct harness *h = *state;
	static const char w[] = "+60112310001";
	const struct content_language *km = content_find_language(ct, "km");
	const struct content_node *page = content_find(ct, "help.wages");
	const char *articles = content_ui(ct, "km", "articles", true);
	const char *more = content_ui(ct, "km", "more", true);
	char want[128], digit[24];
	struct hctl_sent m, rights;
	int pick = -1, pages = 0, st = 0;
	bool got_articles = false;

	E2E_CHECK(h, km != NULL && page != NULL);
	start_with_content(h, repo);

	/* first contact: the language list, paged with 98 until Khmer shows */
	say(h, w, "Hello", &m);
	E2E_CHECK(h, has(m.text, content_ui(ct, "en", "choose_language", true)));
	for (int i = 0; i < 6 && (pick = digit_before(m.text, km->name)) < 0; i++) {
		E2E_CHECK(h, m.nparts == 1);
		hgw_msg_free(&m);
		say(h, w, "98", &m);
	}
	E2E_CHECK(h, m.nparts == 1);
	hgw_msg_free(&m);
	printf("menus: Khmer is %d on the language list\n", pick);
	E2E_CHECK(h, pick > 0);
	snprintf(digit, sizeof(digit), "%d", pick);

	/* home in Khmer: its prompt, or (where the language confirmation and
	 * the prompt would leave no room in 70 characters) its first choice */
	say(h, w, digit, &m);
	check_khmer(h, &m, 1);
	first_words(tr_text("km", "home"), want, sizeof(want));
	E2E_CHECK(h, has(m.text, want) || first_choice(m.text));
	hgw_msg_free(&m);

	/* 3 Get help (home: 1 Report, 2 Your rights, 3 Get help) */
	say(h, w, "3", &rights);
	check_khmer(h, &rights, 1);
	first_words(tr_text("km", "help"), want, sizeof(want));
	E2E_CHECK(h, has(rights.text, want) || first_choice(rights.text));

	/* help.wages (its number in the deployment's help menu): a help page
	 * with articles, read across its pages with 98 */
	{
		const struct content_node *kids[64];
		size_t n = content_children_for(ct, content_find(ct, "help"), "MY", kids, 64);

		for (size_t i = 0; i < n; i++)
			if (kids[i] == page)
				snprintf(digit, sizeof(digit), "%zu", i + 1);
	}
	say(h, w, digit, &m);
	first_words(tr_title("km", "help.wages"), want, sizeof(want));
	E2E_CHECK(h, has(m.text, want));
	for (;;) {
		pages++;
		check_khmer(h, &m, 3);
		got_articles = has(m.text, articles) && has(m.text, page->articles);
		if (got_articles || !has(m.text, more) || pages >= 8)
			break;
		hgw_msg_free(&m);
		say(h, w, "98", &m);
	}
	hgw_msg_free(&m);
	printf("menus: help.wages in Khmer: %d pages\n", pages);
	E2E_CHECK(h, pages >= 2);
	E2E_CHECK(h, got_articles);

	/* 0 back to Get help, 00 home */
	say(h, w, "0", &m);
	check_khmer(h, &m, 1);
	E2E_CHECK(h, strcmp(m.text, rights.text) == 0);
	hgw_msg_free(&m);
	say(h, w, "00", &m);
	check_khmer(h, &m, 1);
	first_words(tr_text("km", "home"), want, sizeof(want));
	E2E_CHECK(h, has(m.text, want));
	hgw_msg_free(&m);
	hgw_msg_free(&rights);
	E2E_OK(h, harness_wait_db(h,
		      "SELECT COUNT(*) FROM prefs WHERE msisdn = '+60112310001' "
		      "AND lang = 'km'",
		      1, 10000));

	/* 2: restart; the number is still Khmer, without the list */
	E2E_CHECK(h, harness_gw_stop(h, SIGTERM, 10000, &st) == 0);
	E2E_CHECK(h, WIFEXITED(st) && WEXITSTATUS(st) == 0);
	E2E_OK(h, hgw_start(h, extra_cfg.data));
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
	say(h, w, "Hello again", &m);
	check_khmer(h, &m, 1);
	E2E_CHECK(h, !has(m.text, km->name));
	E2E_CHECK(h, !has(m.text, content_ui(ct, "km", "choose_language", true)));
	hgw_msg_free(&m);
	/* LANG: the list again */
	say(h, w, "LANG", &m);
	E2E_CHECK(h, has(m.text, content_ui(ct, "km", "choose_language", true)) ||
			 has(m.text, content_ui(ct, "en", "choose_language", true)) ||
			 first_choice(m.text));
	/* its first screen may hold only the prompt: page on to the first name */
	for (int i = 0; i < 4 && !has(m.text, content_language_at(ct, 0)->name); i++) {
		if (count_range(m.text, '0', '9') < 3)
			printf("menus: NOTE: a language-list page with no language on it\n");
		hgw_msg_free(&m);
		say(h, w, "98", &m);
	}
	E2E_CHECK(h, digit_before(m.text, content_language_at(ct, 0)->name) == 1);
	hgw_msg_free(&m);
}

/* ---- 3: keywords in Malay and Thai; MENU ---- */

static void
keyword_case(struct harness *h, const char *from, const char *word, const char *lang)
{
	char sql[256], want[128];
	struct hctl_sent m;

	say(h, from, word, &m);
	/* the report flow in that language: its first question (the home
	 * country, or whom to tell when the language implies the country) or
	 * one of the openings (no roster here: "nobody can be alerted") */
	first_words(content_ui(ct, lang, "report_q_nationality", true), want, sizeof(want));
	{
		char want2[128];

		first_words(content_ui(ct, lang, "report_q_notify", true), want2, sizeof(want2));
		E2E_CHECK(h, has(m.text, want) || has(m.text, want2) ||
				 has(m.text, content_ui(ct, lang, "report_opened", true)) ||
				 has(m.text, content_ui(ct, lang, "report_opened_none", true)));
	}
	hgw_msg_free(&m);
	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM report WHERE msisdn = '%s' AND lang = '%s'", from, lang);
	E2E_OK(h, harness_wait_db(h, sql, 1, 10000));
	say(h, from, "MENU", &m);
	first_words(tr_text(lang, "home"), want, sizeof(want));
	E2E_CHECK(h, has(m.text, want));
	hgw_msg_free(&m);
}

static void
test_keywords(void **state)
{
	struct harness *h = *state;

	start_with_content(h, repo);
	/* TOLONG is Malay and Indonesian: it opens the report at once and
	 * picks no language (English until the worker chooses) */
	keyword_case(h, "+60112320001", "TOLONG", "en");
	keyword_case(h, "+60112320002", "ช่วย", "th");
	/* any case and spaces; a word of Filipino alone picks Filipino */
	keyword_case(h, "+60112320003", "  tulong ", "fil");
}

/* ---- 4: reload with broken content ---- */

/* Replaces the first `from` in file path with `to`. 0 or -1. */
static int
edit_file(const char *path, const char *from, const char *to)
{
	struct hbuf in, out;
	const char *at;
	FILE *f;
	int rc = -1;

	hbuf_init(&in);
	hbuf_init(&out);
	if (hbuf_read_file(&in, path) < 0 || in.data == NULL ||
	    (at = strstr(in.data, from)) == NULL)
		goto done;
	if (hbuf_add(&out, in.data, (size_t)(at - in.data)) < 0 || hbuf_adds(&out, to) < 0 ||
	    hbuf_adds(&out, at + strlen(from)) < 0)
		goto done;
	f = fopen(path, "w");
	if (f == NULL)
		goto done;
	rc = fwrite(out.data, 1, out.len, f) == out.len ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
done:
	hbuf_free(&in);
	hbuf_free(&out);
	return rc;
}

/* Replaces `from` everywhere it appears in every file of dir (one per file). */
static int
edit_dir(struct harness *h, const char *dir, const char *from, const char *to)
{
	char *argv[] = { "/bin/grep", "-rlF", (char *)from, (char *)dir, NULL };
	struct hbuf out;
	int st = 0, n = 0;
	char *line, *next;

	hbuf_init(&out);
	if (hproc_run(argv, h->scratch, 10000, &out, &st) < 0 || out.data == NULL) {
		hbuf_free(&out);
		return -1;
	}
	for (line = out.data; *line != '\0'; line = next) {
		char *nl = strchr(line, '\n');

		next = nl != NULL ? nl + 1 : line + strlen(line);
		if (nl != NULL)
			*nl = '\0';
		while (*line != '\0' && edit_file(line, from, to) == 0)
			n++;
	}
	hbuf_free(&out);
	return n;
}

static void
test_reload_broken_content(void **state)
{
	struct harness *h = *state;
	static const char w[] = "+60112330001";
	char base[HARNESS_PATH_MAX], home[HARNESS_PATH_MAX + 32], src1[HARNESS_PATH_MAX + 16],
	    src2[HARNESS_PATH_MAX + 16];
	char *cp[] = { "/bin/cp", "-r", src1, src2, base, NULL };
	struct hbuf out, log;
	struct hctl_sent m;
	long kept, loaded;
	int st = 0, edits;
	const char *at;

	E2E_OK(h, harness_path(h, "content", base, sizeof(base)));
	/* 0755: run as root, the gateway reads it as the user it dropped to */
	E2E_CHECK(h, mkdir(base, 0755) == 0);
	snprintf(src1, sizeof(src1), "%s/menus", repo);
	snprintf(src2, sizeof(src2), "%s/translations", repo);
	hbuf_init(&out);
	E2E_CHECK(h, hproc_run(cp, h->scratch, 20000, &out, &st) == 0 && WIFEXITED(st) &&
			 WEXITSTATUS(st) == 0);
	hbuf_free(&out);
	snprintf(home, sizeof(home), "%s/menus/home.cfg", base);
	start_with_content(h, base);

	say(h, w, "Hi", &m);
	hgw_msg_free(&m);
	say(h, w, "1", &m); /* English */
	E2E_CHECK(h, has(m.text, tr_text("en", "home")));
	hgw_msg_free(&m);

	/* break it: a child that does not exist */
	E2E_OK(h, edit_file(home, "\"settings\"]", "\"settings\", \"no.such.node\"]"));
	kept = harness_log_count(h, "keeping the content that was serving");
	E2E_OK(h, harness_gw_signal(h, SIGHUP));
	E2E_OK(h, harness_wait_log(h, "keeping the content that was serving", kept + 1, 20000));
	/* the refusal names home.cfg and a line */
	hbuf_init(&log);
	E2E_OK(h, hbuf_read_file(&log, h->gwlog));
	at = strstr(log.data, "home.cfg:");
	E2E_CHECK(h, at != NULL && at[9] >= '1' && at[9] <= '9');
	E2E_CHECK(h, has(log.data, "no.such.node"));
	hbuf_free(&log);
	/* the old content still serves the next hop (2 Your rights) */
	say(h, w, "2", &m);
	E2E_CHECK(h, has(m.text, tr_text("en", "rights")));
	hgw_msg_free(&m);
	E2E_CHECK(h, harness_gw_alive(h));

	/* fix it and change an English string (and the catalogs' msgid with it) */
	E2E_OK(h, edit_file(home, "\"settings\", \"no.such.node\"]", "\"settings\"]"));
	edits =
	    edit_dir(h, base, "Your rights (ASEAN 2007)", "Your rights (ASEAN Declaration 2007)");
	printf("menus: changed the string in %d places\n", edits);
	E2E_CHECK(h, edits >= 2);
	loaded = harness_log_count(h, "content loaded from");
	E2E_OK(h, harness_gw_signal(h, SIGHUP));
	E2E_OK(h, harness_wait_log(h, "content loaded from", loaded + 1, 20000));
	say(h, w, "0", &m); /* back home */
	hgw_msg_free(&m);
	say(h, w, "2", &m);
	E2E_CHECK(h, has(m.text, "Your rights (ASEAN Declaration 2007)"));
	hgw_msg_free(&m);
}

/* ---- 5: Zawgyi ---- */

/* Counts a failed expectation without stopping the test, so one run shows
 * every problem of a case. */
#define SOFT(h, bad, cond)                                                                         \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("menus: FAILED at %s:%d: %s\n", __FILE__, __LINE__, #cond);         \
			(bad)++;                                                                   \
		}                                                                                  \
	} while (0)

/* z (from a Zawgyi writer) is u (the same hop in Unicode) in Zawgyi. */
static int
zawgyi_pair(const struct hctl_sent *z, const struct hctl_sent *u)
{
	char *expect = NULL;
	int bad = 0;

	SOFT(NULL, bad, strcmp(z->coding, "ucs2") == 0 && strcmp(u->coding, "ucs2") == 0);
	SOFT(NULL, bad, count_range(u->text, 0x1000, 0x109F) >= 5);
	SOFT(NULL, bad, count_range(z->text, 0x1000, 0x109F) >= 5);
	if (render_zawgyi(u->text, &expect) < 0)
		return bad + 1;
	printf(
	    "menus: Zawgyi reply %s render_zawgyi(Unicode reply); looks Zawgyi: %d (Unicode %d)\n",
	    strcmp(z->text, expect) == 0 ? "equals" : "differs from", render_looks_zawgyi(z->text),
	    render_looks_zawgyi(u->text));
	SOFT(NULL, bad, strcmp(z->text, u->text) != 0);
	SOFT(NULL, bad, strcmp(z->text, expect) == 0 || render_looks_zawgyi(z->text));
	SOFT(NULL, bad, !render_looks_zawgyi(u->text));
	free(expect);
	return bad;
}

static void
test_zawgyi(void **state)
{
	struct harness *h = *state;
	static const char zw[] = "+60112340001", uw[] = "+60112340002";
	struct hctl_sent z, u;
	int64_t zg = -1;
	int bad = 0, b;

	start_with_content(h, repo);
	/* first contact: MENU in Burmese, Zawgyi spelling (U+108F is Zawgyi's
	 * na) from one number, Unicode from another */
	say(h, zw, "မီႏူး", &z);
	say(h, uw, "မီနူး", &u);
	b = zawgyi_pair(&z, &u);
	if (b > 0)
		printf("menus: BUG: first contact in Zawgyi (%s) is answered in Unicode\n", zw);
	bad += b;
	hgw_msg_free(&z);
	hgw_msg_free(&u);
	if (harness_db_int(h, "SELECT variant FROM prefs WHERE msisdn = '+60112340001'", &zg) < 0)
		zg = -1;
	SOFT(h, bad, zg == 1);
	/* the next hop (digits carry no script) stays Zawgyi */
	say(h, zw, "1", &z);
	say(h, uw, "1", &u);
	bad += zawgyi_pair(&z, &u);
	hgw_msg_free(&z);
	hgw_msg_free(&u);
	/* Zawgyi written by a number already in Burmese */
	say(h, zw, "မီႏူး", &z);
	say(h, uw, "မီနူး", &u);
	b = zawgyi_pair(&z, &u);
	if (b > 0)
		printf("menus: Zawgyi from a number already in Burmese is answered in Unicode\n");
	bad += b;
	hgw_msg_free(&z);
	hgw_msg_free(&u);
	say(h, zw, "1", &z);
	say(h, uw, "1", &u);
	bad += zawgyi_pair(&z, &u);
	hgw_msg_free(&z);
	hgw_msg_free(&u);
	printf("menus: %d Zawgyi problem(s)\n", bad);
	E2E_CHECK(h, bad == 0);
}

/* ---- 6: hostile input ---- */

static void
test_hostile(void **state)
{
	struct harness *h = *state;
	static char noise[1024], longmsg[1501];
	uint64_t seed = 0x4b4157414eULL;
	struct hctl_sent m;
	int parts = 0;

	for (size_t i = 0; i < 1024; i++) {
		unsigned char c = (unsigned char)(harness_rand(&seed) & 0xFF);
		noise[i] = (char)(c == 0 ? 0xFF : c);
	}
	for (size_t i = 0; i < 1500; i++)
		longmsg[i] = (char)('a' + (int)(i % 26));
	start_with_content(h, repo);
	/* 1 KiB of noise as a concatenated 8-bit SMS of 8 parts (128 bytes each;
	 * INJECT wants UTF-8, so the PDUs are written here) */
	for (int part = 0; part < 8; part++) {
		struct hbuf pdu;

		hbuf_init(&pdu);
		E2E_OK(h, hbuf_printf(&pdu,
			      "0044"
			      "0B91"
			      "0611320500F1"
			      "0004"
			      "62118210000000"
			      "86"
			      "050003A708%02X",
			      part + 1));
		E2E_OK(h, hbuf_hex(&pdu, noise + part * 128, 128));
		E2E_OK(h, harness_ctl(h, NULL, "INJECTPDU %s", pdu.data));
		hbuf_free(&pdu);
	}
	E2E_OK(h, harness_inject(h, "+60112350002", "%s%n%x%s%s%s%n"));
	E2E_OK(h, harness_inject_ex(h, "+60112350003", longmsg, NULL, -1, &parts));
	printf("menus: 1500 characters as %d parts\n", parts);
	E2E_OK(h, harness_inject(h, "+60112350004", "\x1b[2J\x07\x7f\t\r\n  %p %p"));
	/* each gets an answer (or none), and the gateway stays up */
	E2E_OK(h,
	    harness_wait_db(h, "SELECT COUNT(*) FROM inbound WHERE state = 'done'", 4, 120000));
	for (int i = 2; i <= 4; i++) {
		char num[24];

		snprintf(num, sizeof(num), "+6011235000%d", i);
		E2E_OK(h, hgw_wait_nth(h, num, 1, REPLY_MS, &m));
		show("(hostile)", &m);
		hgw_msg_free(&m);
	}
	e2e_wait_drained(h, 60000);
	E2E_CHECK(h, harness_gw_alive(h));
	for (int i = 2; i <= 4; i++) {
		char num[24];

		snprintf(num, sizeof(num), "+6011235000%d", i);
		E2E_CHECK(h, hgw_count_to(h, num) == 1);
	}
	/* the noise was stored whole; a binary message may go unanswered */
	E2E_CHECK(h, hgw_count_to(h, "+60112350001") <= 1);
	/* a normal message is answered normally */
	say(h, "+60112350005", "MENU", &m);
	E2E_CHECK(h, has(m.text, tr_text("en", "home")));
	hgw_msg_free(&m);
	/* the noisy numbers too */
	say(h, "+60112350001", "MENU", &m);
	E2E_CHECK(h, has(m.text, "1 "));
	hgw_msg_free(&m);
	E2E_CHECK(h, harness_gw_alive(h));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_khmer_walk_and_restart, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_keywords, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_reload_broken_content, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_zawgyi, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, e2e_teardown),
	};
	struct content_errors errs;
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];
	int rc;

	e2e_main_init();
	if (getcwd(repo, sizeof(repo)) == NULL)
		return 1;
	snprintf(menus, sizeof(menus), "%s/menus", repo);
	snprintf(trans, sizeof(trans), "%s/translations", repo);
	if (content_load(menus, trans, &ct, &errs) != 0) {
		char buf[4096];
		content_errors_format(&errs, buf, sizeof(buf));
		fprintf(stderr, "test_menus: run from the repository root; content: %s\n", buf);
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	content_free(ct);
	hbuf_free(&extra_cfg);
	return rc;
}
