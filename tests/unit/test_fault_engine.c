/* test_fault_engine.c - fault sweeps over the session engine (issue 11):
 * engine_step on the repository's menus/ and translations/ (a first
 * contact, a menu step on each channel, a hint, SOS, a list answer and a
 * free-text answer in the report flow, a step served from the page cache)
 * and engine_cache_build, with the Nth allocation failing (fault_vfs.c),
 * for N = 1, 2, ... until a run hits no fault. After each: no crash, no
 * leak (ASan/LSan in check-sanitize), either -1 with the session exactly
 * as it was and no pages, or the same reply and session as a clean step;
 * with the fault gone, the same step on the same session succeeds. The
 * engine itself touches no store: where its steps meet the database
 * (router_dispatch: the session loaded, stepped and saved, the report's
 * field set, the reply queued, in one transaction) a menu step and a
 * report answer are swept with write, fsync and allocation faults: the
 * message stays unrouted with the session and report as they were, or
 * all of it is done; the retry routes it once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "config/config.h"
#include "content/content.h"
#include "core/log.h"
#include "router/router.h"
#include "session/engine.h"
#include "store/store.h"

#include "fault_vfs.h"
#include "store_fixture.h"

#define T0 1700000000000LL

struct fx {
	struct content *c;
	struct engine_settings s;
	struct engine_cache *k; /* for the cached sweep and the cache build */
	/* The step swept: */
	const char *name;
	enum engine_channel ch;
	const char *input;
	struct engine_session start; /* the session before the step */
	struct engine_session sess;  /* the one the step works on */
	struct engine_reply out;
	/* The clean step's result: */
	struct engine_session want_sess;
	char want_text[2048];
	size_t want_pages;
	unsigned want_effects;
	char want_value[512];
	int want_class;
};

static int
setup(void **state)
{
	const char *s = getenv("KAWAN_SRCDIR");
	struct content_errors errs;
	struct fx *x = calloc(1, sizeof(*x));
	char m[512], t[512], buf[4096];

	if (x == NULL)
		return -1;
	if (s == NULL || s[0] == '\0')
		s = ".";
	snprintf(m, sizeof(m), "%s/menus", s);
	snprintf(t, sizeof(t), "%s/translations", s);
	if (content_load(m, t, &x->c, &errs) != 0) {
		content_errors_format(&errs, buf, sizeof(buf));
		print_error("%s does not load:\n%s", m, buf);
		free(x);
		return -1;
	}
	engine_settings_default(&x->s);
	memcpy(x->s.country, "MY", 3);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	engine_cache_free(x->k);
	content_free(x->c);
	free(x);
	return 0;
}

/* A clean step (no fault armed). */
static void
step_clean(struct fx *x, enum engine_channel ch, struct engine_session *sess, const char *in)
{
	struct engine_reply r;

	assert_int_equal(engine_step(x->c, &x->s, ch, sess, in, T0, &r), 0);
	engine_reply_free(&r);
}

/* The session reached by inputs from a new one (NULL-terminated). */
static void
drive(struct fx *x, enum engine_channel ch, struct engine_session *sess, const char *const *in)
{
	memset(sess, 0, sizeof(*sess));
	for (size_t i = 0; in[i] != NULL; i++)
		step_clean(x, ch, sess, in[i]);
}

static void
reply_text(const struct engine_reply *r, char *buf, size_t bufsz)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->pages.n && used + 1 < bufsz; i++) {
		int n = snprintf(buf + used, bufsz - used, "%s\x1e", r->pages.v[i].text);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* Records the clean step's result for x's step from x->start. */
static void
reference(struct fx *x)
{
	struct engine_reply r;

	x->want_sess = x->start;
	assert_int_equal(engine_step(x->c, &x->s, x->ch, &x->want_sess, x->input, T0, &r), 0);
	assert_true(r.pages.n > 0 || (r.effects & ENGINE_FX_STATUS) != 0);
	reply_text(&r, x->want_text, sizeof(x->want_text));
	x->want_pages = r.pages.n;
	x->want_effects = r.effects;
	x->want_class = r.msg_class;
	memcpy(x->want_value, r.report_value, sizeof(x->want_value));
	engine_reply_free(&r);
}

/* Whether r and sess are the clean step's. */
static void
assert_as_clean(const struct fx *x, const struct engine_session *sess, const struct engine_reply *r)
{
	char text[2048];

	reply_text(r, text, sizeof(text));
	assert_string_equal(text, x->want_text);
	assert_int_equal(r->pages.n, x->want_pages);
	assert_int_equal(r->effects, x->want_effects);
	assert_int_equal(r->msg_class, x->want_class);
	assert_string_equal(r->report_value, x->want_value);
	assert_memory_equal(sess, &x->want_sess, sizeof(*sess));
}

static void
step_reset(void *arg)
{
	struct fx *x = arg;

	x->sess = x->start;
	memset(&x->out, 0, sizeof(x->out));
}

static int
step_op(void *arg)
{
	struct fx *x = arg;

	return engine_step(x->c, &x->s, x->ch, &x->sess, x->input, T0, &x->out);
}

static void
step_check(void *arg, int rc, bool hit)
{
	struct fx *x = arg;
	struct engine_reply r;

	if (!hit)
		assert_int_equal(rc, 0);
	if (rc != 0) {
		assert_int_equal(rc, -1);
		/* No session state lost or half-moved, no pages handed out. */
		assert_memory_equal(&x->sess, &x->start, sizeof(x->sess));
		assert_int_equal(x->out.pages.n, 0);
		assert_null(x->out.pages.v);
	} else {
		assert_as_clean(x, &x->sess, &x->out);
	}
	engine_reply_free(&x->out);
	/* The fault cleared: the same step on the session as the failure left it. */
	if (rc != 0) {
		assert_int_equal(engine_step(x->c, &x->s, x->ch, &x->sess, x->input, T0, &r), 0);
		assert_as_clean(x, &x->sess, &r);
		engine_reply_free(&r);
	}
}

static void
sweep_step(struct fx *x, const char *name, enum engine_channel ch, const char *const *path,
    const char *input)
{
	static const struct {
		const char *name;
		bool persist;
	} plans[] = { { "alloc", true }, { "alloc-once", false } };

	x->name = name;
	x->ch = ch;
	x->input = input;
	drive(x, ch, &x->start, path);
	reference(x);
	for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
		char sname[96];
		struct fault_sweep s = { sname, FAULT_ALLOC, 0, plans[i].persist, 100000, 1,
			step_reset, step_op, step_check };

		snprintf(sname, sizeof(sname), "engine_step/%s/%s", name, plans[i].name);
		(void)fault_sweep_run(&s, x);
	}
}

static const char *const p_new[] = { NULL };
static const char *const p_home[] = { "hello", "1", NULL };

static void
test_sweep_menu(void **state)
{
	struct fx *x = *state;

	sweep_step(x, "first-contact", ENGINE_SMS, p_new, "hello");
	sweep_step(x, "language-pick", ENGINE_SMS, (const char *const[]){ "hello", NULL }, "2");
	sweep_step(x, "menu-sms", ENGINE_SMS, p_home, "2");
	sweep_step(x, "menu-ussd", ENGINE_USSD, p_home, "2");
	sweep_step(x, "report-node", ENGINE_SMS, p_home, "1");
	sweep_step(x, "more", ENGINE_SMS, p_home, "98");
	sweep_step(x, "hint", ENGINE_SMS, p_home, "what is this");
	sweep_step(x, "back", ENGINE_SMS, (const char *const[]){ "hello", "1", "1", NULL }, "0");
}

static void
test_sweep_report(void **state)
{
	struct fx *x = *state;
	const char *path[16] = { "hello", "1", "HELP", NULL };
	size_t n = 3;
	struct engine_session sess;

	sweep_step(x, "sos", ENGINE_SMS, p_home, "HELP");
	sweep_step(x, "sos-ussd", ENGINE_USSD, p_home, "HELP");
	sweep_step(x, "help-within", ENGINE_SMS, p_home, "please help me");
	/* Each question of the flow in turn: a list answer "1", else free text. */
	drive(x, ENGINE_SMS, &sess, path);
	while (n + 1 < sizeof(path) / sizeof(path[0]) && sess.state == ENGINE_ST_REPORT &&
	       sess.report_step != ENGINE_RQ_DONE) {
		const char *answer =
		    sess.report_step == ENGINE_RQ_PLACE   ? "Kampung Baru, Kuala Lumpur" :
		    sess.report_step == ENGINE_RQ_MESSAGE ? "Majikan ambil paspor saya" :
							    "1";
		char name[64];

		snprintf(name, sizeof(name), "report-q%d", sess.report_step);
		sweep_step(x, name, ENGINE_SMS, path, answer);
		path[n++] = answer;
		path[n] = NULL;
		sess = x->want_sess;
	}
	assert_int_equal(sess.report_step, ENGINE_RQ_DONE); /* the whole flow was swept */
}

/* --- engine_cache_build: -1 and nothing leaked, or the whole cache --- */

static void
cache_reset(void *arg)
{
	struct fx *x = arg;

	engine_cache_free(x->k);
	x->k = NULL;
}

static int
cache_op(void *arg)
{
	struct fx *x = arg;

	return engine_cache_build(x->c, &x->s, &x->k);
}

static size_t cache_bytes, cache_pages;
static char cache_menu_text[2048]; /* "1" from home, without a cache */

static void
cache_check(void *arg, int rc, bool hit)
{
	struct fx *x = arg;

	if (!hit)
		assert_int_equal(rc, 0);
	if (rc != 0) {
		assert_int_equal(rc, -1);
		assert_null(x->k);
	} else {
		struct engine_settings s = x->s;
		struct engine_session sess;
		struct engine_reply r;
		char text[2048];

		/* A view whose layout failed is left out, as one that cannot fit
		 * its channel: engine_step lays it out itself. The replies are
		 * the same; only the cache is smaller. */
		assert_non_null(x->k);
		assert_true(engine_cache_bytes(x->k) <= cache_bytes);
		assert_true(engine_cache_npages(x->k) <= cache_pages);
		s.cache = x->k;
		drive(x, ENGINE_SMS, &sess, p_home);
		assert_int_equal(engine_step(x->c, &s, ENGINE_SMS, &sess, "1", T0, &r), 0);
		reply_text(&r, text, sizeof(text));
		engine_reply_free(&r);
		assert_string_equal(text, cache_menu_text);
	}
	cache_reset(x);
	if (rc == 0)
		return;
	/* The fault cleared: the same build succeeds, whole. */
	assert_int_equal(engine_cache_build(x->c, &x->s, &x->k), 0);
	assert_int_equal(engine_cache_bytes(x->k), cache_bytes);
	cache_reset(x);
}

static void
test_sweep_cache(void **state)
{
	struct fx *x = *state;
	const char *full = getenv("KAWAN_FAULT_FULL"), *src = getenv("KAWAN_SRCDIR");
	/* Built over the small fixture (tests/unit/data/content/good: ~3,000
	 * allocations, every N to 64, then every 23rd; KAWAN_FAULT_FULL=1:
	 * every N); the repository's content makes ~200,000 and is swept only
	 * by hand (KAWAN_FAULT_FULL=repo, every 49,999th). A failure in the
	 * index fails the build; past it, in a view's layout, the view is
	 * left out (persisting faults then leave out every later view). */
	bool repo = full != NULL && strcmp(full, "repo") == 0;
	int stride = repo ? 49999 : full != NULL && strcmp(full, "1") == 0 ? 1 : 23;
	struct fault_sweep s = { "engine_cache_build/alloc", FAULT_ALLOC, 0, true, 1000000, stride,
		cache_reset, cache_op, cache_check };
	struct fault_sweep once = { "engine_cache_build/alloc-once", FAULT_ALLOC, 0, false, 1000000,
		stride, cache_reset, cache_op, cache_check };
	struct content *repo_c = x->c, *small = NULL;
	struct content_errors errs;
	char m[512], t[512];

	if (src == NULL || src[0] == '\0')
		src = ".";
	snprintf(m, sizeof(m), "%s/tests/unit/data/content/good/menus", src);
	snprintf(t, sizeof(t), "%s/tests/unit/data/content/good/translations", src);
	if (!repo) {
		assert_int_equal(content_load(m, t, &small, &errs), 0);
		x->c = small;
	}
	assert_int_equal(engine_cache_build(x->c, &x->s, &x->k), 0);
	cache_bytes = engine_cache_bytes(x->k);
	cache_pages = engine_cache_npages(x->k);
	cache_reset(x);
	x->ch = ENGINE_SMS;
	x->input = "1";
	drive(x, ENGINE_SMS, &x->start, p_home);
	reference(x);
	memcpy(cache_menu_text, x->want_text, sizeof(cache_menu_text));
	(void)fault_sweep_run(&s, x);
	(void)fault_sweep_run(&once, x);
	x->c = repo_c;
	content_free(small);
	/* Steps served from the cache (borrowed pages, and a hint over one). */
	assert_int_equal(engine_cache_build(x->c, &x->s, &x->k), 0);
	x->s.cache = x->k;
	sweep_step(x, "cached-menu", ENGINE_SMS, p_home, "2");
	sweep_step(x, "cached-hint", ENGINE_SMS, p_home, "what is this");
	sweep_step(x, "cached-sos", ENGINE_SMS, p_home, "HELP");
	x->s.cache = NULL;
}

/* --- router_dispatch: the engine's step meets the store --- */

#define WORKER "+60123456789"
#define RT_TABLES "inbound", "outbound", "session", "prefs", "report", "audit"

static const char *const rt_tables[] = { RT_TABLES };
#define RT_NTABLES (sizeof(rt_tables) / sizeof(rt_tables[0]))

struct rt {
	struct fx *x;
	struct sfx_db d;
	struct kawan_config cfg;
	struct router_ctx rc;
	const char *input;
	int seq;
	char want_session[1024], want_place[300], want_reply[2048];
};

/* One text value of sql on a connection of the test's own. */
static void
rt_text(struct rt *r, const char *sql, char *buf, size_t bufsz)
{
	sqlite3 *db;
	sqlite3_stmt *q;

	buf[0] = '\0';
	assert_int_equal(sqlite3_open(r->d.path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL)
		snprintf(buf, bufsz, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static void
rt_exec(struct rt *r, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(r->d.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* The worker's session as the router keeps it in table (no times). */
static void
rt_session_of(struct rt *r, const char *table, char *buf, size_t bufsz)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
	    "SELECT group_concat(channel || '|' || state || '|' || node || '|' || page || '|' || "
	    "path || '|' || lang || '|' || variant || '|' || discreet || '|' || report_step || "
	    "'|' || report_answered, ';') FROM %s",
	    table);
	rt_text(r, sql, buf, bufsz);
}

static void
rt_session(struct rt *r, char *buf, size_t bufsz)
{
	rt_session_of(r, "session", buf, bufsz);
}

static void
rt_place(struct rt *r, char *buf, size_t bufsz)
{
	/* (a reference is drawn at random: the count and the places) */
	rt_text(r, "SELECT COUNT(*) || '|' || group_concat(place, ';') FROM report", buf, bufsz);
}

static void
rt_reply(struct rt *r, char *buf, size_t bufsz)
{
	rt_text(r,
	    "SELECT group_concat(dest || '|' || text, ';') FROM outbound WHERE inbound_id = "
	    "(SELECT MAX(id) FROM inbound)",
	    buf, bufsz);
}

static int64_t
rt_count(struct rt *r, const char *sql)
{
	return sfx_int(r->d.path, sql);
}

/* A worker's SMS, stored and not yet routed. */
static void
rt_add(struct rt *r, const char *text)
{
	char key[32];
	int64_t id = 0;

	snprintf(key, sizeof(key), "rt-%d", ++r->seq);
	assert_int_equal(
	    store_inbound_add(r->d.st, "sms", WORKER, text, T0 + r->seq, T0 + r->seq, 0, key, &id),
	    0);
}

/* Takes the state before the swept message (copies of the tables). */
static void
rt_save(struct rt *r)
{
	char sql[2048];
	size_t used = 0;

	for (size_t i = 0; i < RT_NTABLES; i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
		    "DROP TABLE IF EXISTS t_%s; CREATE TABLE t_%s AS SELECT * FROM %s;",
		    rt_tables[i], rt_tables[i], rt_tables[i]);
	rt_exec(r, sql);
}

static void
rt_reset(void *arg)
{
	struct rt *r = arg;
	char sql[2048];
	size_t used = 0;

	used += (size_t)snprintf(sql, sizeof(sql), "BEGIN;");
	for (size_t i = 0; i < RT_NTABLES; i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
		    "DELETE FROM %s; INSERT INTO %s SELECT * FROM t_%s;", rt_tables[i],
		    rt_tables[i], rt_tables[i]);
	snprintf(sql + used, sizeof(sql) - used, "COMMIT;");
	rt_exec(r, sql);
	rt_add(r, r->input);
}

static int
rt_op(void *arg)
{
	struct rt *r = arg;

	return router_dispatch(r->d.st, &r->rc);
}

static void
rt_check(void *arg, int rc, bool hit)
{
	struct rt *r = arg;
	char sess[1024], before[1024], place[300], reply[2048];

	if (!hit)
		assert_int_equal(rc, 1);
	rt_session(r, sess, sizeof(sess));
	rt_place(r, place, sizeof(place));
	/* -1 after the message was routed (the look for the next one failed):
	 * all of the step is there, checked below. */
	if (rc < 0 && rt_count(r, "SELECT COUNT(*) FROM inbound WHERE state = 'new'") == 1) {
		/* Nothing of the step: unrouted, no reply, session and report as before. */
		assert_int_equal(rt_count(r, "SELECT COUNT(*) FROM outbound WHERE inbound_id = "
					     "(SELECT MAX(id) FROM inbound)"),
		    0);
		rt_session_of(r, "t_session", before, sizeof(before));
		assert_string_equal(sess, before);
		rt_text(r, "SELECT COUNT(*) || '|' || group_concat(place, ';') FROM t_report",
		    before, sizeof(before));
		assert_string_equal(place, before);
		/* The fault cleared: the next dispatch routes it, on the same connection. */
		assert_int_equal(router_dispatch(r->d.st, &r->rc), 1);
		rt_session(r, sess, sizeof(sess));
		rt_place(r, place, sizeof(place));
	}
	assert_int_equal(rt_count(r, "SELECT COUNT(*) FROM inbound WHERE state = 'new'"), 0);
	rt_reply(r, reply, sizeof(reply));
	assert_string_equal(reply, r->want_reply); /* one reply, the clean one */
	assert_string_equal(sess, r->want_session);
	assert_string_equal(place, r->want_place);
}

static void
rt_sweep(struct rt *r, const char *name, const char *const *path, const char *input)
{
	static const struct {
		const char *name;
		enum fault_kind kind;
		int rc;
		bool persist;
	} plans[] = {
		{ "write-full", FAULT_WRITE, SQLITE_FULL, true },
		{ "write-ioerr-once", FAULT_WRITE, SQLITE_IOERR_WRITE, false },
		{ "fsync", FAULT_SYNC, SQLITE_IOERR_FSYNC, true },
		{ "alloc", FAULT_ALLOC, 0, true },
		{ "alloc-once", FAULT_ALLOC, 0, false },
	};

	rt_exec(r, "DELETE FROM outbound; DELETE FROM inbound; DELETE FROM session; "
		   "DELETE FROM prefs; DELETE FROM audit; DELETE FROM report;");
	for (size_t i = 0; path[i] != NULL; i++) {
		rt_add(r, path[i]);
		assert_int_equal(router_dispatch(r->d.st, &r->rc), 1);
	}
	rt_save(r);
	r->input = input;
	rt_reset(r); /* the clean run */
	assert_int_equal(router_dispatch(r->d.st, &r->rc), 1);
	rt_session(r, r->want_session, sizeof(r->want_session));
	rt_place(r, r->want_place, sizeof(r->want_place));
	rt_reply(r, r->want_reply, sizeof(r->want_reply));
	assert_true(r->want_reply[0] != '\0');
	for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
		char sname[96];
		/* Allocations number a few hundred (most SQLite's): every N to
		 * 64, then every 5th. */
		struct fault_sweep s = { sname, plans[i].kind, plans[i].rc, plans[i].persist, 20000,
			plans[i].kind == FAULT_ALLOC ? 5 : 1, rt_reset, rt_op, rt_check };

		snprintf(sname, sizeof(sname), "router_dispatch/%s/%s", name, plans[i].name);
		(void)fault_sweep_run(&s, r);
	}
}

static void
test_sweep_router(void **state)
{
	struct fx *x = *state;
	struct rt *r = calloc(1, sizeof(*r));
	static const char *const home[] = { "hello", "1", NULL };
	static const char *const place[] = { "hello", "1", "HELP", "1", "1", "1", NULL };
	static const char *const last[] = { "hello", "1", "HELP", "1", "1", "1",
		"Kampung Baru, Kuala Lumpur", "1", NULL };
	char before[300];

	assert_non_null(r);
	r->x = x;
	snprintf(r->d.dir, sizeof(r->d.dir), "%s/kawan-faulte-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	assert_non_null(mkdtemp(r->d.dir));
	snprintf(r->d.path, sizeof(r->d.path), "%s/kawan.db", r->d.dir);
	assert_int_equal(store_open(r->d.path, &r->d.st), 0);
	config_default(&r->cfg);
	r->rc.cfg = &r->cfg;
	r->rc.content = x->c;
	r->rc.engine = &x->s;
	rt_sweep(r, "menu", home, "2");
	rt_sweep(r, "report-open", home, "1");
	rt_sweep(r, "report-place", place, "Kampung Baru, Kuala Lumpur");
	/* The last answer: the page with the reference, the report done. */
	rt_sweep(r, "report-done", last, "Majikan ambil paspor saya");
	/* (the place answer did set the report's place) */
	rt_text(r, "SELECT group_concat(place, ';') FROM report", before, sizeof(before));
	assert_string_equal(before, "Kampung Baru, Kuala Lumpur");
	sfx_close(&r->d);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sweep_menu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_router, setup, teardown),
	};
	int rc;

	if (fault_init() != 0)
		return 1;
	if (getenv("KAWAN_TEST_FILTER") != NULL) /* one sweep by hand: test_sweep_router */
		cmocka_set_test_filter(getenv("KAWAN_TEST_FILTER"));
	log_init("test", LOG_LEVEL_ERROR);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("fault sweep points (test_fault_engine): %d\n", fault_sweep_total());
	return rc;
}
