/* test_channel.c - the modem channels as threads, against in-memory
 * modems and a real SQLite file: a thread per modem stores what its SIM
 * holds and wakes the core; replies leave through the modem they came in
 * on, rows for any modem are sent once; snapshots swapped 100 times while
 * both threads send are never used after they are freed (run it under
 * ASan and TSan: make check-sanitize, make check-tsan); a modem whose
 * change of link settings reconnects, any other change is taken without. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "channel/channel.h"
#include "core/log.h"
#include "core/util.h"
#include "store/store.h"

#include "fake_modem.h"
#include "store_fixture.h"

#define NMODEMS 2

/* What each fake showed when its channel destroyed it. */
static struct fake_modem results[NMODEMS];

static void
keep_result(const struct fake_modem *f)
{
	int i = strcmp(f->m.cfg.name, "m1") == 0 ? 0 : 1;

	results[i] = *f;
	memset(results[i].sim, 0, sizeof(results[i].sim)); /* its texts are freed next */
}

/* The channels' modem factory: modem m1 starts with three SMS on its SIM. */
static struct modem *
make_fake(const struct config_modem *cfg)
{
	struct fake_modem *f = calloc(1, sizeof(*f));
	char from[32];

	if (f == NULL)
		return NULL;
	fake_init(f);
	f->m.cfg = *cfg;
	if (strcmp(cfg->name, "m1") == 0) {
		for (int i = 0; i < 3; i++) {
			snprintf(from, sizeof(from), "+6012000000%d", i);
			fake_put(f, i + 1, from, "hello", "k");
		}
	}
	return &f->m;
}

static void
config_two(struct kawan_config *cfg, const char *db)
{
	config_default(cfg);
	snprintf(cfg->database, sizeof(cfg->database), "%s", db);
	cfg->nmodems = NMODEMS;
	for (int i = 0; i < NMODEMS; i++) {
		struct config_modem *m = &cfg->modems[i];

		snprintf(m->name, sizeof(m->name), "m%d", i + 1);
		snprintf(m->device, sizeof(m->device), "/dev/null");
		snprintf(m->connection, sizeof(m->connection), "at");
		m->send_mode = SEND_MODE_DIRECT;
		m->poll_interval_ms = 30000;
		m->reopen_min_ms = 50;
		m->reopen_max_ms = 200;
	}
}

/* Waits (up to 20 s) until sql counts want on the test's own connection. */
static void
wait_count(struct store *st, const char *path, const char *sql, int64_t want)
{
	int64_t deadline = util_mono_ms() + 20000, got = -1;
	sqlite3 *db;

	(void)st;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	while (util_mono_ms() < deadline) {
		sqlite3_stmt *stmt;

		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			got = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
		if (got == want)
			break;
		usleep(20000);
	}
	sqlite3_close(db);
	if (got != want)
		fail_msg("%s: %lld, want %lld", sql, (long long)got, (long long)want);
}

static void
test_two_modem_threads(void **state)
{
	static struct kawan_config cfg;
	struct sfx_db *d = *state;
	struct snapshot_holder snaps;
	struct waker core = { -1 };
	struct channel *chs[NMODEMS] = { NULL };
	struct channel_env env;
	int64_t id;
	char to[32];

	config_two(&cfg, d->path);
	fake_on_destroy = keep_result;
	memset(results, 0, sizeof(results));
	assert_int_equal(snapshot_holder_init(&snaps, snapshot_new(&cfg, NULL)), 0);
	assert_int_equal(wake_open(&core), 0);
	env = (struct channel_env){ d->path, &snaps, &core, make_fake, NULL, NULL };
	for (int i = 0; i < NMODEMS; i++) {
		chs[i] = channel_modem_new(&env, &cfg.modems[i]);
		assert_non_null(chs[i]);
		assert_string_equal(chs[i]->name, i == 0 ? "modem:m1" : "modem:m2");
		assert_int_equal(chs[i]->ops->start(chs[i]), 0);
	}
	/* m1's thread stores its SIM and wakes the core. */
	assert_int_equal(wake_wait(&core, 20000), 1);
	wait_count(d->st, d->path, "SELECT count(*) FROM inbound WHERE modem = 'm1'", 3);
	/* Replies for each modem and alerts for any, while snapshots change. */
	for (int i = 0; i < 5; i++) {
		snprintf(to, sizeof(to), "+601100000%d", i);
		assert_int_equal(
		    store_outbound_reply(d->st, "sms", "m1", to, "r1", -1, 0, util_now_ms(), &id),
		    0);
		assert_int_equal(
		    store_outbound_reply(d->st, "sms", "m2", to, "r2", -1, 0, util_now_ms(), &id),
		    0);
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(store_outbound_add_urgent(d->st, "sms", "+60119999999", "alert",
				     -1, 0, util_now_ms(), &id),
		    0);
	channel_wake_all(chs, NMODEMS);
	for (int i = 0; i < 100; i++) {
		snapshot_swap(&snaps, snapshot_new(&cfg, NULL));
		channel_wake_all(chs, NMODEMS);
		usleep(500);
	}
	wait_count(d->st, d->path, "SELECT count(*) FROM outbound WHERE state = 'sent'", 14);
	wait_count(d->st, d->path,
	    "SELECT count(*) FROM outbound WHERE modem = '' OR"
	    " (text = 'r1' AND modem != 'm1') OR (text = 'r2' AND modem != 'm2')",
	    0);
	/* m2's link changes (its PIN): it reconnects; m1's polling and cap
	 * change: it keeps its link. */
	cfg.modems[1].poll_interval_ms = 20000;
	assert_int_equal(util_strcopy(cfg.modems[1].pin, sizeof(cfg.modems[1].pin), "4321"), 0);
	cfg.modems[0].poll_interval_ms = 25000;
	cfg.modems[0].max_parts_per_hour = 500;
	snapshot_swap(&snaps, snapshot_new(&cfg, NULL));
	channel_wake_all(chs, NMODEMS);
	usleep(300000);
	channel_stop_all(chs, NMODEMS);
	assert_int_equal(results[0].direct_sent + results[1].direct_sent, 14);
	assert_true(results[0].direct_sent >= 5);
	assert_true(results[1].direct_sent >= 5);
	assert_int_equal(results[0].opens, 1);
	assert_int_equal(results[1].opens, 2);
	/* both took their new settings */
	assert_int_equal(results[0].m.cfg.poll_interval_ms, 25000);
	assert_int_equal(results[0].m.cfg.max_parts_per_hour, 500);
	assert_string_equal(results[1].m.cfg.pin, "4321");
	assert_int_equal(results[0].removed, 3); /* the SIM forgot them after the commit */
	wake_close(&core);
	snapshot_holder_fini(&snaps);
	fake_on_destroy = NULL;
}

/* A modem that will not open is retried with backoff; stop still returns. */
static struct modem *
make_broken(const struct config_modem *cfg)
{
	struct modem *m = make_fake(cfg);

	if (m != NULL)
		((struct fake_modem *)m)->open_fail = 1000000;
	return m;
}

static void
test_stop_while_reopening(void **state)
{
	static struct kawan_config cfg;
	struct sfx_db *d = *state;
	struct snapshot_holder snaps;
	struct waker core = { -1 };
	struct channel *ch;
	struct channel_env env;

	config_two(&cfg, d->path);
	fake_on_destroy = keep_result;
	memset(results, 0, sizeof(results));
	assert_int_equal(snapshot_holder_init(&snaps, snapshot_new(&cfg, NULL)), 0);
	assert_int_equal(wake_open(&core), 0);
	env = (struct channel_env){ d->path, &snaps, &core, make_broken, NULL, NULL };
	ch = channel_modem_new(&env, &cfg.modems[0]);
	assert_non_null(ch);
	assert_int_equal(ch->ops->start(ch), 0);
	usleep(600000); /* backoff 50, 100, 200, 200 ms ... */
	channel_stop_all(&ch, 1);
	assert_true(results[0].opens >= 3);
	assert_true(results[0].opens <= 8);
	wake_close(&core);
	snapshot_holder_fini(&snaps);
	fake_on_destroy = NULL;
}

/* The last user of a snapshot frees it, whichever thread that is. */
static void
test_snapshot_refcount(void **state)
{
	static struct kawan_config cfg;
	struct snapshot_holder h;
	struct snapshot *a, *held;

	(void)state;
	config_default(&cfg);
	a = snapshot_new(&cfg, NULL);
	assert_non_null(a);
	assert_int_equal(snapshot_holder_init(&h, a), 0);
	held = snapshot_get(&h);
	assert_ptr_equal(held, a);
	assert_int_equal(atomic_load(&a->refs), 2);
	snapshot_swap(&h, snapshot_new(&cfg, NULL));
	/* Swapped out, still ours until released. */
	assert_int_equal(atomic_load(&a->refs), 1);
	assert_int_equal(held->gen, 1);
	assert_int_equal(h.cur->gen, 2);
	snapshot_release(held);
	snapshot_holder_fini(&h);
}

/* A thread inside one turn for more than CHANNEL_STUCK_MS is reported
 * once, and again when it moves. */
static void
test_watch_reports_a_stuck_thread(void **state)
{
	struct channel a, b;
	struct channel *chs[3] = { &a, NULL, &b };

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	atomic_init(&a.beat_ms, 0); /* not started yet: never stuck */
	atomic_init(&b.beat_ms, 1000);
	assert_int_equal(channel_watch(chs, 3, 1000 + CHANNEL_STUCK_MS), 0);
	assert_int_equal(channel_watch(chs, 3, 1001 + CHANNEL_STUCK_MS), 1);
	assert_true(b.stuck_logged);
	assert_false(a.stuck_logged);
	assert_int_equal(channel_watch(chs, 3, 9999 + CHANNEL_STUCK_MS), 1);
	atomic_store(&b.beat_ms, 9999 + CHANNEL_STUCK_MS);
	assert_int_equal(channel_watch(chs, 3, 10000 + CHANNEL_STUCK_MS), 0);
	assert_false(b.stuck_logged);
}

static int
setup(void **state)
{
	struct sfx_db *d = calloc(1, sizeof(*d));

	log_init("test_channel", LOG_LEVEL_ERROR);
	if (d == NULL || sfx_open(d, "kawan-channel") != 0)
		return -1;
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	struct sfx_db *d = *state;

	sfx_close(d);
	free(d);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_refcount),
		cmocka_unit_test(test_watch_reports_a_stuck_thread),
		cmocka_unit_test_setup_teardown(test_two_modem_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_while_reopening, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
