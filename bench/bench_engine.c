/* bench_engine.c - the session engine alone: a steady-state random walk of
 * valid navigation inputs (menu digits, 0, 00, 98, a language from the
 * list) over many sessions, per channel, for all languages, Zawgyi Burmese
 * and Khmer, with and without the page cache (engine_cache.c): median and
 * p99 µs per hop, allocations and bytes per hop; then the cache's build
 * time and size, and memory held by the loaded content. Prints figures
 * only. Uses menus/ and translations/ from the current directory (or
 * KAWAN_SRC), else a generated tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "content/content.h"
#include "session/engine.h"

#define HOPS 50000   /* measured hops per row */
#define WARMUP 20000 /* hops before measuring: sessions spread over the tree, ICU caches filled */
#define SESSIONS 1000
#define BUILDS 5 /* cache builds timed */

/* Counting allocator: the executable's malloc family interposes on every
 * library's (ICU, SQLite, libconfig included) and forwards to glibc's own;
 * free is interposed too so that every pointer is glibc's. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t sz);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
static unsigned long long bench_allocs, bench_bytes;

void *
malloc(size_t n)
{
	bench_allocs++;
	bench_bytes += n;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t sz)
{
	bench_allocs++;
	bench_bytes += n * sz;
	return __libc_calloc(n, sz);
}

void *
realloc(void *p, size_t n)
{
	bench_allocs++;
	bench_bytes += n;
	return __libc_realloc(p, n);
}

void
free(void *p)
{
	__libc_free(p);
}

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
bench_rss_kb(void)
{
	FILE *fp = fopen("/proc/self/statm", "r");
	long size = 0, rss = 0;

	if (fp == NULL)
		return -1;
	if (fscanf(fp, "%ld %ld", &size, &rss) != 2)
		rss = -1;
	fclose(fp);
	return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static int
bench_write(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		return -1;
	fputs(text, fp);
	return fclose(fp);
}

/* A generated tree: a home menu of 9 submenus of 9 pages each. */
static int
bench_generate(char *dir, size_t dirsz, char *menus, char *trans, size_t sz)
{
	static char nodes[64 * 1024];
	char path[600];
	size_t pos = 0;

	snprintf(dir, dirsz, "/tmp/kawan-bench-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(menus, sz, "%s/menus", dir);
	snprintf(trans, sz, "%s/translations", dir);
	if (mkdir(menus, 0700) == -1 || mkdir(trans, 0700) == -1)
		return -1;
	pos += (size_t)snprintf(nodes + pos, sizeof(nodes) - pos,
	    "nodes = ( { id = \"home\"; type = \"menu\"; title = \"Home\"; text = \"Kawan\"; children = [");
	for (int i = 1; i <= 9; i++)
		pos += (size_t)snprintf(nodes + pos, sizeof(nodes) - pos, "%s\"m%d\"",
		    i > 1 ? "," : "", i);
	pos += (size_t)snprintf(nodes + pos, sizeof(nodes) - pos, "]; }");
	for (int i = 1; i <= 9; i++) {
		pos += (size_t)snprintf(nodes + pos, sizeof(nodes) - pos,
		    ", { id = \"m%d\"; type = \"menu\"; title = \"Topic %d\"; text = \"Choose:\"; children = [",
		    i, i);
		for (int k = 1; k <= 9; k++)
			pos += (size_t)snprintf(nodes + pos, sizeof(nodes) - pos, "%s\"p%d.%d\"",
			    k > 1 ? "," : "", i, k);
		pos += (size_t)snprintf(nodes + pos, sizeof(nodes) - pos, "]; }");
		for (int k = 1; k <= 9; k++)
			pos += (size_t)snprintf(nodes + pos, sizeof(nodes) - pos,
			    ", { id = \"p%d.%d\"; type = \"page\"; title = \"Page %d.%d\"; text = \"You have "
			    "rights at work. Keep your passport, your contract and a record of your pay. "
			    "Ask for help from the helplines in Contacts if you are in trouble. Your "
			    "embassy can help you too, and so can the labour office.\"; }",
			    i, k, i, k);
	}
	snprintf(nodes + pos, sizeof(nodes) - pos, " );\n");
	snprintf(path, sizeof(path), "%s/nodes.cfg", menus);
	if (bench_write(path, nodes) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/languages.cfg", menus);
	if (bench_write(path,
		"languages = ( { code = \"en\"; name = \"English\"; english_name = \"English\"; } );\n") ==
	    -1)
		return -1;
	snprintf(path, sizeof(path), "%s/ui.cfg", menus);
	if (bench_write(path,
		"ui = { back = \"0 Back\"; home = \"00 Home\"; more = \"98 More\"; "
		"invalid = \"Please reply with a number.\"; choose_language = \"Choose:\"; "
		"language_set = \"Language set.\"; };\n") == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/keywords.cfg", menus);
	return bench_write(path,
	    "keywords = ( { kind = \"help\"; lang = \"\"; words = [\"HELP\"]; } );\n");
}

/* Which sessions a row walks. */
enum bench_who { BENCH_ALL = 0, BENCH_ZAWGYI, BENCH_KHMER };
static const char *const bench_who_names[] = { "all languages", "Burmese (Zawgyi)", "Khmer" };

struct bench_row {
	double median, p99, mean;                  /* µs per hop */
	double allocs, bytes;                      /* per hop */
	unsigned long long fails, borrowed, langs; /* langs: hops from the language list */
};

static uint64_t bench_x = 88172645463325252ULL;

static uint64_t
bench_rand(void)
{
	bench_x ^= bench_x << 13;
	bench_x ^= bench_x >> 7;
	bench_x ^= bench_x << 17;
	return bench_x;
}

static int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The language list entry (1-based) of lang/zawgyi in the bench's country
 * (MY: countries.cfg order; engine_lang_entry). */
static size_t
bench_lang_entry(const struct content *c, const char *lang, bool zawgyi)
{
	int k = engine_lang_number(c, "MY", lang, zawgyi);

	return k > 0 ? (size_t)k : 1;
}

/* A valid navigation input for where sess is. */
static const char *
bench_input(const struct content *c, const struct engine_session *sess, enum bench_who who,
    char *buf, size_t bufsz)
{
	uint64_t r = bench_rand();
	const struct content_node *nd;

	if (sess->state == ENGINE_ST_LANG) {
		size_t nl = content_nlanguages(c), n = nl;

		for (size_t i = 0; i < nl; i++)
			n += (content_language_at(c, i)->variant[0] != 0);
		if (r % 10 == 0)
			return "98";
		if (who != BENCH_ALL) /* keep the row's language */
			snprintf(buf, bufsz, "%zu", bench_lang_entry(c, sess->lang, sess->variant));
		else
			snprintf(buf, bufsz, "%zu", (size_t)(r >> 8) % n + 1);
		return buf;
	}
	nd = content_find(c, sess->node);
	if (nd != NULL && nd->kind == CONTENT_MENU && r % 10 < 7) {
		/* a child, not the report action (the report flow is no navigation) */
		const struct content_node *kids[64];
		size_t nk = content_children_for(c, nd, "MY", kids,
		    64); /* as numbered in MY (the bench's country) */

		for (int tries = 0; tries < 8 && nk > 0; tries++) {
			size_t i = (size_t)(r >> (8 + 4 * tries)) % nk;
			const struct content_node *ch = kids[i];

			if (ch != NULL &&
			    !(ch->kind == CONTENT_ACTION && ch->action == CONTENT_ACTION_REPORT) &&
			    !(who != BENCH_ALL && ch->kind == CONTENT_ACTION &&
				ch->action == CONTENT_ACTION_LANGUAGE && (r >> 50) % 4 != 0)) {
				snprintf(buf, bufsz, "%zu", i + 1);
				return buf;
			}
		}
	}
	switch (r % 5) {
	case 0:
	case 1:
		return "0";
	case 2:
		return "00";
	default:
		return "98";
	}
}

/* Starts n sessions for who: languages round robin (Burmese in Zawgyi as
 * one more), or all Zawgyi Burmese, or all Khmer. */
static void
bench_sessions(const struct content *c, struct engine_session *sess, size_t n, enum bench_who who)
{
	size_t nl = content_nlanguages(c);

	memset(sess, 0, n * sizeof(*sess));
	for (size_t i = 0; i < n; i++) {
		const char *code = who == BENCH_KHMER ? "km" : who == BENCH_ZAWGYI ? "my" : NULL;

		if (code == NULL && i % (nl + 1) == nl) {
			code = "my";
			sess[i].variant = true;
		} else if (code == NULL) {
			code = content_language_at(c, i % (nl + 1))->code;
		}
		sess[i].variant = sess[i].variant || who == BENCH_ZAWGYI;
		snprintf(sess[i].lang, sizeof(sess[i].lang), "%s", code);
		if (content_find_language(c, code) == NULL)
			snprintf(sess[i].lang, sizeof(sess[i].lang), "%s", "en");
	}
}

/* One row: WARMUP hops, then HOPS timed hops, on channel ch. */
static void
bench_walk(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    enum bench_who who, struct engine_session *sess, double *lat, struct bench_row *row)
{
	unsigned long long allocs = 0, bytes = 0;
	double total = 0;
	int64_t now = 1000;
	char buf[24];

	memset(row, 0, sizeof(*row));
	bench_sessions(c, sess, SESSIONS, who);
	for (long h = -WARMUP; h < HOPS; h++) {
		size_t si = (size_t)(bench_rand() % SESSIONS);
		const char *in = bench_input(c, &sess[si], who, buf, sizeof(buf));
		struct engine_reply r;
		unsigned long long a0 = bench_allocs, b0 = bench_bytes;
		struct timespec t0, t1;
		double us;
		int rc;

		if (h >= 0 && sess[si].state == ENGINE_ST_LANG)
			row->langs++;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = engine_step(c, s, ch, &sess[si], in, now++, &r);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (h < 0) {
			if (rc == 0)
				engine_reply_free(&r);
			continue;
		}
		us =
		    (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
		lat[h] = us;
		total += us;
		allocs += bench_allocs - a0;
		bytes += bench_bytes - b0;
		if (rc == -1) {
			row->fails++;
			continue;
		}
		row->borrowed += r.borrowed;
		engine_reply_free(&r);
	}
	qsort(lat, HOPS, sizeof(*lat), bench_cmp);
	row->median = lat[HOPS / 2];
	row->p99 = lat[HOPS * 99 / 100];
	row->mean = total / HOPS;
	row->allocs = (double)allocs / HOPS;
	row->bytes = (double)bytes / HOPS;
}

static void
bench_print(bool cached, enum engine_channel ch, enum bench_who who, const struct bench_row *row)
{
	printf("  %-6s %-5s %-17s %9.2f %9.2f %9.2f %10.2f %10.0f %8.1f%% %5.1f%%\n",
	    cached ? "yes" : "no", engine_channel_name(ch), bench_who_names[who], row->median,
	    row->p99, row->mean, row->allocs, row->bytes, 100.0 * (double)row->borrowed / HOPS,
	    100.0 * (double)row->langs / HOPS);
}

int
main(void)
{
	const char *root = getenv("KAWAN_SRC") != NULL ? getenv("KAWAN_SRC") : ".";
	const char *only = getenv("KAWAN_BENCH_CACHE");
	char menus[256], trans[256], lcfg[300], gen[64] = "", buf[4096];
	struct engine_session *sess;
	struct engine_settings plain, cached;
	struct engine_cache *k = NULL;
	struct content_errors errs;
	struct content *c = NULL;
	unsigned long long fails = 0;
	double *lat, build_ms[BUILDS];
	long rss0, rss1, rss2 = 0;
	size_t nl;

	snprintf(menus, sizeof(menus), "%s/menus", root);
	snprintf(trans, sizeof(trans), "%s/translations", root);
	snprintf(lcfg, sizeof(lcfg), "%s/languages.cfg", menus);
	if (access(lcfg, R_OK) != 0 &&
	    bench_generate(gen, sizeof(gen), menus, trans, sizeof(menus)) == -1) {
		fprintf(stderr, "bench_engine: cannot generate content\n");
		return 1;
	}
	rss0 = bench_rss_kb();
	if (content_load(menus, trans, &c, &errs) == -1) {
		content_errors_format(&errs, buf, sizeof(buf));
		fprintf(stderr, "bench_engine: content does not load:\n%s", buf);
		return 1;
	}
	rss1 = bench_rss_kb();
	nl = content_nlanguages(c);
	engine_settings_default(&plain);
	memcpy(plain.country, "MY", 3);
	/* The cache: the first build is cold (this thread's ICU objects are
	 * made on the way), the others warm; the last one is kept. */
	for (int i = 0; i < BUILDS; i++) {
		double t0 = bench_now();

		engine_cache_free(k);
		k = NULL;
		if (engine_cache_build(c, &plain, &k) == -1) {
			fprintf(stderr, "bench_engine: the cache does not build\n");
			return 1;
		}
		build_ms[i] = (bench_now() - t0) * 1e3;
		if (i == 0)
			rss2 = bench_rss_kb();
	}
	cached = plain;
	cached.cache = k;
	sess = calloc(SESSIONS, sizeof(*sess));
	lat = calloc(HOPS, sizeof(*lat));
	if (sess == NULL || lat == NULL)
		return 1;
	printf("bench_engine: the session engine alone (%s content, %zu languages, %zu nodes)\n",
	    gen[0] ? "generated" : "real", nl, content_nnodes(c));
	printf("  command: make -j2 build/bench/bench_engine && KAWAN_BIN=$PWD/build "
	       "./build/bench/bench_engine (repository root; KAWAN_SRC=dir picks the content)\n");
	printf("  random walk of valid navigation inputs, %d sessions, %d hops per row after %d "
	       "warm-up hops\n",
	    SESSIONS, HOPS, WARMUP);
	printf("  %-6s %-5s %-17s %9s %9s %9s %10s %10s %9s %6s\n", "cache", "chan", "sessions",
	    "median us", "p99 us", "mean us", "allocs/hop", "bytes/hop", "borrowed", "lang");
	for (int withc = 0; withc <= 1; withc++) {
		if (only != NULL && (strcmp(only, "1") == 0) != (withc == 1))
			continue; /* KAWAN_BENCH_CACHE=0 or 1: only the rows without or with */
		for (int ch = ENGINE_SMS; ch <= ENGINE_USSD; ch++) {
			for (int who = BENCH_ALL; who <= BENCH_KHMER; who++) {
				struct bench_row row;

				bench_walk(c, withc ? &cached : &plain, (enum engine_channel)ch,
				    (enum bench_who)who, sess, lat, &row);
				fails += row.fails;
				bench_print(withc, (enum engine_channel)ch, (enum bench_who)who,
				    &row);
			}
		}
	}
	qsort(build_ms + 1, BUILDS - 1, sizeof(*build_ms), bench_cmp);
	printf("  %-44s %12.1f\n", "cache build ms, first (cold ICU)", build_ms[0]);
	printf("  %-44s %12.1f\n", "cache build ms, warm (median of the others)",
	    build_ms[1 + (BUILDS - 1) / 2]);
	printf("  %-44s %12zu\n", "cache pages", engine_cache_npages(k));
	printf("  %-44s %12zu\n", "cache bytes (engine_cache_bytes)", engine_cache_bytes(k));
	printf("  %-44s %12ld\n", "RSS delta around the first build kB", rss2 - rss1);
	printf("  %-44s %12llu\n", "failed steps", fails);
	printf("  %-44s %12zu\n", "content_bytes() (all languages)", content_bytes(c));
	printf("  %-44s %12ld\n", "RSS delta around content_load kB", rss1 - rss0);
	free(lat);
	free(sess);
	engine_cache_free(k);
	content_free(c);
	if (gen[0] != '\0') {
		snprintf(buf, sizeof(buf), "%s/nodes.cfg", menus);
		unlink(buf);
		snprintf(buf, sizeof(buf), "%s/languages.cfg", menus);
		unlink(buf);
		snprintf(buf, sizeof(buf), "%s/ui.cfg", menus);
		unlink(buf);
		snprintf(buf, sizeof(buf), "%s/keywords.cfg", menus);
		unlink(buf);
		rmdir(menus);
		rmdir(trans);
		rmdir(gen);
	}
	return fails == 0 ? 0 : 1;
}
