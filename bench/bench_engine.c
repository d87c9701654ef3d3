/* bench_engine.c - the session engine alone: menu hops per second over many
 * sessions, allocations and bytes per hop, and memory held by the loaded
 * content. Prints figures only. Uses menus/ and translations/ from the
 * current directory (or KAWAN_SRC), else a generated tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "content/content.h"
#include "session/engine.h"

#define HOPS 200000
#define SESSIONS 1000

/* Counting allocator: the executable's malloc family interposes on every
 * library's (ICU included) and forwards to glibc's own. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t sz);
extern void *__libc_realloc(void *p, size_t n);
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

int
main(void)
{
	static const char *keys[] = { "1", "2", "3", "4", "5", "98", "0", "00", "1", "2", "98",
		"0" };
	const char *root = getenv("KAWAN_SRC") != NULL ? getenv("KAWAN_SRC") : ".";
	char menus[256], trans[256], lcfg[300], gen[64] = "", buf[4096];
	struct engine_session *sess;
	struct engine_settings set;
	struct content_errors errs;
	struct content *c = NULL;
	unsigned long long a0, b0, fails = 0, pages = 0;
	uint64_t x = 88172645463325252ULL;
	double t0, t1, lat_max = 0;
	long rss0, rss1;
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
	engine_settings_default(&set);
	memcpy(set.country, "MY", 3);
	sess = calloc(SESSIONS, sizeof(*sess));
	if (sess == NULL)
		return 1;
	for (size_t i = 0; i < SESSIONS; i++) {
		const char *code = content_language_at(c, i % nl)->code;

		snprintf(sess[i].lang, sizeof(sess[i].lang), "%s", code);
	}
	/* Warm the per-thread ICU caches once per language. */
	for (size_t i = 0; i < SESSIONS && i < 64; i++) {
		struct engine_reply r;

		if (engine_step(c, &set, ENGINE_SMS, &sess[i], "", 0, &r) == 0)
			engine_reply_free(&r);
	}
	a0 = bench_allocs;
	b0 = bench_bytes;
	t0 = bench_now();
	for (long h = 0; h < HOPS; h++) {
		struct engine_reply r;
		size_t si;
		double s0 = 0;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		si = (size_t)(x % SESSIONS);
		if ((h & 1023) == 0)
			s0 = bench_now();
		if (engine_step(c, &set, (h & 1) ? ENGINE_USSD : ENGINE_SMS, &sess[si],
			keys[(x >> 20) % (sizeof(keys) / sizeof(keys[0]))], 1000 + h, &r) == -1) {
			fails++;
			continue;
		}
		if ((h & 1023) == 0 && bench_now() - s0 > lat_max)
			lat_max = bench_now() - s0;
		pages += r.pages.n;
		engine_reply_free(&r);
	}
	t1 = bench_now();
	printf("bench_engine: the session engine alone (%s content, %zu languages, %zu nodes)\n",
	    gen[0] ? "generated" : "real", nl, content_nnodes(c));
	printf(
	    "  command: KAWAN_BIN=... %s (from the repository root; KAWAN_SRC=dir to pick content)\n",
	    "build/bench/bench_engine");
	printf("  %-34s %12s\n", "figure", "value");
	printf("  %-34s %12d\n", "hops (SMS/USSD alternating)", HOPS);
	printf("  %-34s %12d\n", "sessions", SESSIONS);
	printf("  %-34s %12.0f\n", "hops per second", HOPS / (t1 - t0));
	printf("  %-34s %12.2f\n", "mean microseconds per hop", (t1 - t0) * 1e6 / HOPS);
	printf("  %-34s %12.1f\n", "max sampled microseconds per hop", lat_max * 1e6);
	printf("  %-34s %12.1f\n", "allocations per hop", (double)(bench_allocs - a0) / HOPS);
	printf("  %-34s %12.0f\n", "bytes allocated per hop", (double)(bench_bytes - b0) / HOPS);
	printf("  %-34s %12llu\n", "failed steps", fails);
	printf("  %-34s %12llu\n", "pages produced", pages);
	printf("  %-34s %12zu\n", "content_bytes() (all languages)", content_bytes(c));
	printf("  %-34s %12ld\n", "RSS delta around content_load kB", rss1 - rss0);
	free(sess);
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
