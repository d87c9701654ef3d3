/* test_pipeline.c - inbound sweep, router and outbound stages against a
 * real SQLite store and an in-memory modem: commit-before-delete, one
 * reply per message, sent only after the modem accepted, retry caps. */
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
#include "core/log.h"
#include "core/util.h"
#include "inbound/inbound.h"
#include "outbound/outbound.h"
#include "router/router.h"
#include "store/store.h"

#include "fake_modem.h"
#include "store_fixture.h"

struct fixture {
	char dir[64];
	char db[128];
	struct store *st;
	struct kawan_config cfg;
	struct fake_modem fm;
	struct outbound ob;   /* fm's sending side */
	struct router_ctx rc; /* no content: the service message */
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	log_init("test", LOG_LEVEL_ERROR);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/kawan-pipe-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/k.db", fx->dir);
	assert_int_equal(store_open(fx->db, &fx->st), 0);
	fx->cfg.inbound.max_text_bytes = 4096;
	fx->cfg.inbound.partial_timeout_ms = 600000;
	fx->cfg.outbound.max_attempts = 3;
	fx->cfg.outbound.retry_min_ms = 1000;
	fx->cfg.outbound.retry_max_ms = 3000;
	snprintf(fx->cfg.router.reply_text, sizeof(fx->cfg.router.reply_text), "Kawan: received.");
	fake_init(&fx->fm);
	fx->fm.m.cfg.send_mode = SEND_MODE_DIRECT;
	outbound_init(&fx->ob, fx->st, &fx->fm.m);
	fx->rc.cfg = &fx->cfg;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	store_close(fx->st);
	fake_free(&fx->fm);
	sfx_remove_db_files(fx->db);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void
test_sweep_commits_then_deletes(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;
	struct store_stats s;

	fake_put(&fx->fm, 1, "+60123456789", "TOLONG", "k1");
	fake_put(&fx->fm, 2, "+66811111111", "ช่วยด้วย", "k2");
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(c.stored, 2);
	assert_int_equal(fx->fm.removed, 2);
	assert_false(fx->fm.present[1] || fx->fm.present[2]);
	assert_int_equal(store_stats(fx->st, &s), 0);
	assert_int_equal(s.inbound_total, 2);
	assert_int_equal(s.inbound_new, 2);
}

/* A crash after commit but before delete re-reads the same SMS: stored once. */
static void
test_sweep_reread_is_deduplicated(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;
	struct store_stats s;

	fake_put(&fx->fm, 1, "+60123456789", "hello", "same-key");
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	/* The same SMS read again is in the same slot with the same time. */
	fake_put(&fx->fm, 1, "+60123456789", "hello", "same-key");
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(c.stored, 0);
	assert_int_equal(c.duplicates, 1);
	assert_false(fx->fm.present[1]);
	assert_int_equal(store_stats(fx->st, &s), 0);
	assert_int_equal(s.inbound_total, 1);
}

/* When the store cannot commit, the SMS must stay on the SIM. */
static void
test_sweep_store_failure_keeps_sim_copy(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;
	struct store_stats s;
	sqlite3 *locker;

	assert_int_equal(sqlite3_open(fx->db, &locker), SQLITE_OK);
	assert_int_equal(sqlite3_exec(locker, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	fake_put(&fx->fm, 4, "+60123456789", "must not be lost", "k4");
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(c.stored, 0);
	assert_true(fx->fm.present[4]);
	assert_int_equal(fx->fm.removed, 0);
	sqlite3_exec(locker, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(locker);
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(c.stored, 1);
	assert_false(fx->fm.present[4]);
	assert_int_equal(store_stats(fx->st, &s), 0);
	assert_int_equal(s.inbound_total, 1);
}

static void
test_sweep_link_failure(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;

	fake_put(&fx->fm, 5, "+60123456789", "x", "k5");
	fx->fm.fetch_fail = 1;
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), -1);
	assert_true(fx->fm.present[5]);
}

static void
test_sweep_caps_oversized_text(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;
	struct store_inbound in;
	char big[9000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fake_put(&fx->fm, 6, "+60123456789", big, "k6");
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(store_inbound_next_new(fx->st, &in), 0);
	assert_int_equal(strlen(in.text), 4096);
	assert_true(in.flags & STORE_IN_TRUNCATED);
	store_inbound_clear(&in);
}

static void
test_clip_never_splits_a_character(void **state)
{
	char thai[64];

	(void)state;
	snprintf(thai, sizeof(thai), "%s", "กขค"); /* 3 bytes each */
	assert_int_equal(inbound_clip_utf8(thai, 4), 1);
	assert_string_equal(thai, "ก");
	snprintf(thai, sizeof(thai), "%s", "abc");
	assert_int_equal(inbound_clip_utf8(thai, 3), 0);
}

static void
test_router_one_reply_per_message(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;
	struct store_stats s;

	fake_put(&fx->fm, 1, "+60123456789", "1", "a");
	fake_put(&fx->fm, 2, "+60123456780", "2", "b");
	fake_put(&fx->fm, 3, "MAXIS", "promo", "c"); /* cannot be answered */
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(router_dispatch(fx->st, &fx->rc), 3);
	assert_int_equal(router_dispatch(fx->st, &fx->rc), 0);
	assert_int_equal(store_stats(fx->st, &s), 0);
	assert_int_equal(s.inbound_new, 0);
	assert_int_equal(s.outbound_queued, 2);
}

static void
test_router_decide(void **state)
{
	struct fixture *fx = *state;
	struct store_inbound in;
	struct router_decision d;

	memset(&in, 0, sizeof(in));
	snprintf(in.sender, sizeof(in.sender), "+6591234567");
	in.text = (char *)"hi";
	router_decide(&fx->cfg, &in, &d);
	assert_true(d.reply);
	in.flags = STORE_IN_BINARY;
	router_decide(&fx->cfg, &in, &d);
	assert_false(d.reply);
	assert_true(router_addr_dialable("+60123456789"));
	assert_false(router_addr_dialable("TNG"));
	assert_false(router_addr_dialable("+"));
	assert_false(router_addr_dialable("12a4"));
	/* Issue 11: short codes and operator services get no automatic reply. */
	assert_true(router_addr_subscriber("+6591234567"));
	assert_true(router_addr_subscriber("81234567"));
	assert_false(router_addr_subscriber("1234567"));
	assert_false(router_addr_subscriber("+62888"));
	assert_false(router_addr_subscriber("TNG"));
	in.flags = 0;
	snprintf(in.sender, sizeof(in.sender), "62000");
	router_decide(&fx->cfg, &in, &d);
	assert_false(d.reply);
	assert_non_null(strstr(d.why, "loop"));
}

/* A short code's SMS is stored and routed, and gets no reply (no loop). */
static void
test_short_code_stored_not_answered(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;
	struct store_stats s;

	fake_put(&fx->fm, 1, "62000", "Your balance is RM 3.50. Reply 1 for more", "s1");
	fake_put(&fx->fm, 2, "Maxis", "Promo! Reply YES", "s2");
	fake_put(&fx->fm, 3, "+60123456789", "help", "s3");
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(c.stored, 3);
	assert_int_equal(router_dispatch(fx->st, &fx->rc), 3);
	assert_int_equal(store_stats(fx->st, &s), 0);
	assert_int_equal(s.inbound_total, 3);
	assert_int_equal(s.inbound_new, 0);
	/* Only the subscriber is answered. */
	assert_int_equal(sfx_int(fx->db, "SELECT count(*) FROM outbound"), 1);
	assert_int_equal(
	    sfx_int(fx->db, "SELECT count(*) FROM outbound WHERE dest = '+60123456789'"), 1);
}

static void
queue_one(struct fixture *fx)
{
	struct inbound_counts c;

	fake_put(&fx->fm, 1, "+60123456789", "help", "q1");
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(router_dispatch(fx->st, &fx->rc), 1);
}

static void
test_outbound_sent_after_accept(void **state)
{
	struct fixture *fx = *state;
	struct store_stats s;
	int64_t now;

	queue_one(fx);
	now = util_now_ms() + 10;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 1000), OUTBOUND_SENT);
	assert_string_equal(fx->fm.last_dest, "+60123456789");
	assert_string_equal(fx->fm.last_text, "Kawan: received.");
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 2000), OUTBOUND_IDLE);
	assert_int_equal(store_stats(fx->st, &s), 0);
	assert_int_equal(s.outbound_sent, 1);
	assert_int_equal(s.outbound_queued, 0);
}

static void
test_outbound_refused_is_retried_then_failed(void **state)
{
	struct fixture *fx = *state;
	struct store_stats s;
	int64_t now, due;

	queue_one(fx);
	now = util_now_ms() + 10;
	fx->fm.send_refuse = 10;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_RETRY);
	/* Not due again before the backoff. */
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 500), OUTBOUND_IDLE);
	assert_int_equal(store_outbound_next_due_at(fx->st, NULL, NULL, &due), 0);
	assert_int_equal(due, now + 1000);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 1000), OUTBOUND_RETRY);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 4000), OUTBOUND_RETRY);
	assert_int_equal(store_stats(fx->st, &s), 0);
	assert_int_equal(s.outbound_failed, 1);
	assert_int_equal(s.outbound_sent, 0);
	assert_int_equal(fx->fm.sent, 0);
}

static void
test_outbound_link_down_keeps_queue(void **state)
{
	struct fixture *fx = *state;
	struct store_stats s;
	int64_t now;

	queue_one(fx);
	now = util_now_ms() + 10;
	fx->fm.send_down = 1;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_LINK_DOWN);
	assert_int_equal(store_stats(fx->st, &s), 0);
	assert_int_equal(s.outbound_queued, 1);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 1000), OUTBOUND_SENT);
}

/* Storage mode: a crash after the modem sent a part but before our commit
 * must not send it again: the SIM's "sent" mark is honoured on retry. */
static void
test_staged_crash_after_cmss_sends_once(void **state)
{
	struct fixture *fx = *state;
	struct store_stats s;
	int64_t now;

	fx->fm.m.cfg.send_mode = SEND_MODE_STORAGE;
	queue_one(fx);
	now = util_now_ms() + 10;
	fx->fm.crash_after_cmss = 1;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_LINK_DOWN);
	assert_int_equal(fx->fm.cmss, 1);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 5000), OUTBOUND_SENT);
	assert_int_equal(fx->fm.cmss, 1);    /* not sent a second time */
	assert_false(fx->fm.out_present[1]); /* SIM copy deleted after the commit */
	assert_int_equal(store_stats(fx->st, &s), 0);
	assert_int_equal(s.outbound_sent, 1);
}

static void
test_staged_refused_keeps_copy_and_retries(void **state)
{
	struct fixture *fx = *state;
	int64_t now;

	fx->fm.m.cfg.send_mode = SEND_MODE_STORAGE;
	queue_one(fx);
	now = util_now_ms() + 10;
	fx->fm.send_refuse = 1;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_RETRY);
	assert_true(fx->fm.out_present[1]);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 5000), OUTBOUND_SENT);
	assert_int_equal(fx->fm.cmss, 1);
	assert_false(fx->fm.out_present[2]); /* never staged twice */
}

static void
test_staged_copy_gone_is_restaged(void **state)
{
	struct fixture *fx = *state;
	int64_t now;

	fx->fm.m.cfg.send_mode = SEND_MODE_STORAGE;
	queue_one(fx);
	now = util_now_ms() + 10;
	fx->fm.send_refuse = 1;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_RETRY);
	fx->fm.out_present[1] = false; /* someone emptied the SIM */
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 5000), OUTBOUND_RETRY);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 60000), OUTBOUND_SENT);
	assert_int_equal(fx->fm.cmss, 1);
}

/* A modem without AT+CMGW still answers: directly, with a warning. */
static void
test_staged_unsupported_falls_back(void **state)
{
	struct fixture *fx = *state;

	fx->fm.m.cfg.send_mode = SEND_MODE_STORAGE;
	fx->fm.no_storage = true;
	queue_one(fx);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, util_now_ms() + 10), OUTBOUND_SENT);
	assert_int_equal(fx->fm.sent, 1);
	assert_true(fx->fm.m.cannot_stage);
	assert_int_equal(outbound_clean_orphans(&fx->ob), 0);
}

static void
test_orphans_removed_on_connect(void **state)
{
	struct fixture *fx = *state;
	int64_t now;

	fx->fm.m.cfg.send_mode = SEND_MODE_STORAGE;
	queue_one(fx);
	now = util_now_ms() + 10;
	fx->fm.send_refuse = 1;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_RETRY);
	/* Slot 5: staged by a process that died before committing. */
	fx->fm.out_present[5] = true;
	assert_int_equal(outbound_clean_orphans(&fx->ob), 1);
	assert_false(fx->fm.out_present[5]);
	assert_true(fx->fm.out_present[1]); /* still needed by the queued reply */
}

/* Parts of one message in separate sweeps: each leaves the SIM at once,
 * the last one makes one inbound row with the whole text. */
static void
test_fragments_leave_the_sim_and_join(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;
	struct store_inbound in;

	fake_put_part(&fx->fm, 1, "+60123456789", "Hello, ", 42, 3, 1);
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(c.fragments, 1);
	assert_int_equal(c.stored, 0);
	assert_false(fx->fm.present[1]); /* committed, so the SIM forgot it */
	assert_int_equal(store_inbound_next_new(fx->st, &in), 1);
	/* Part 3 and, in the same sweep, part 3 again from another sender. */
	fake_put_part(&fx->fm, 1, "+60123456789", "ld", 42, 3, 3);
	fake_put_part(&fx->fm, 2, "+60999", "other", 42, 3, 3);
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(c.fragments, 2);
	assert_int_equal(store_inbound_next_new(fx->st, &in), 1);
	fake_put_part(&fx->fm, 5, "+60123456789", "wor", 42, 3, 2);
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(c.stored, 1);
	assert_int_equal(store_inbound_next_new(fx->st, &in), 0);
	assert_string_equal(in.text, "Hello, world");
	assert_string_equal(in.sender, "+60123456789");
	assert_string_equal(in.modem, "fake");
	assert_int_equal(in.flags & STORE_IN_PARTIAL, 0);
	store_inbound_clear(&in);
	/* Part 2 read again (a crash before its delete): nothing new. */
	fake_put_part(&fx->fm, 5, "+60123456789", "wor", 42, 3, 2);
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(c.duplicates, 1);
	assert_int_equal(c.stored + c.fragments, 0);
	assert_int_equal(sfx_int(fx->db, "SELECT count(*) FROM inbound"), 1);
	assert_int_equal(sfx_int(fx->db, "SELECT count(*) FROM fragment WHERE inbound_id IS NULL"),
	    1);
}

/* A message whose other parts never come is stored partial after
 * partial_timeout, and answered like any other. */
static void
test_fragments_expire_partial(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;
	struct store_inbound in;
	int64_t now = util_now_ms();

	fake_put_part(&fx->fm, 1, "+60123456789", "part one", 9, 2, 1);
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(inbound_expire(fx->st, &fx->cfg, now + 1000), 0);
	assert_int_equal(
	    inbound_expire(fx->st, &fx->cfg, now + fx->cfg.inbound.partial_timeout_ms + 1000), 1);
	assert_int_equal(store_inbound_next_new(fx->st, &in), 0);
	assert_string_equal(in.text, "part one");
	assert_true(in.flags & STORE_IN_PARTIAL);
	store_inbound_clear(&in);
	assert_int_equal(router_dispatch(fx->st, &fx->rc), 1);
	assert_int_equal(
	    inbound_expire(fx->st, &fx->cfg, now + 10 * fx->cfg.inbound.partial_timeout_ms), 0);
}

/* 70 "part 1 of 2" from 70 numbers on a 64-slot SIM: the SIM never fills,
 * and a worker's HELP still gets in and is answered. */
static void
test_fragments_never_jam_the_sim(void **state)
{
	struct fixture *fx = *state;
	struct inbound_counts c;
	char from[32];
	int64_t now = util_now_ms();

	for (int i = 0; i < 70; i++) {
		snprintf(from, sizeof(from), "+6011%04d", i);
		fake_put_part(&fx->fm, 1 + i % 8, from, "junk", i, 2, 1);
		if (i % 8 == 7 || i == 69)
			assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	}
	for (int i = 0; i < FAKE_MAX; i++)
		assert_false(fx->fm.present[i]);
	fake_put(&fx->fm, 1, "+60123456789", "HELP", "help");
	assert_int_equal(inbound_sweep(fx->st, &fx->fm.m, &fx->cfg, &c), 0);
	assert_int_equal(router_dispatch(fx->st, &fx->rc), 1);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, util_now_ms() + 10), OUTBOUND_SENT);
	assert_string_equal(fx->fm.last_dest, "+60123456789");
	assert_int_equal(
	    inbound_expire(fx->st, &fx->cfg, now + fx->cfg.inbound.partial_timeout_ms + 1000), 70);
	assert_int_equal(sfx_int(fx->db, "SELECT count(*) FROM inbound WHERE flags & 2"), 70);
}

/* Holds a write lock on the database from another connection. */
static sqlite3 *locker;

static void
lock_db(void *arg)
{
	struct fixture *fx = arg;

	assert_int_equal(sqlite3_open(fx->db, &locker), SQLITE_OK);
	assert_int_equal(sqlite3_exec(locker, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
}

static void
unlock_db(void)
{
	assert_int_equal(sqlite3_exec(locker, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(locker);
	locker = NULL;
}

/* Direct sending: the modem accepted, then the "sent" commit failed (the
 * database locked past the busy timeout). Only the commit is retried. */
static void
test_direct_commit_failure_never_resends(void **state)
{
	struct fixture *fx = *state;
	int64_t now;

	queue_one(fx);
	now = util_now_ms() + 10;
	fx->fm.on_accept = lock_db;
	fx->fm.on_accept_arg = fx;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_STORE_ERROR);
	fx->fm.on_accept = NULL;
	assert_int_equal(fx->fm.direct_sent, 1);
	assert_true(fx->ob.pending);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 1000), OUTBOUND_STORE_ERROR);
	assert_int_equal(fx->fm.direct_sent, 1);
	unlock_db();
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 2000), OUTBOUND_SENT);
	assert_int_equal(fx->fm.direct_sent, 1);
	assert_false(fx->ob.pending);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 60000), OUTBOUND_IDLE);
	assert_int_equal(fx->fm.direct_sent, 1);
	assert_int_equal(sfx_int(fx->db, "SELECT count(*) FROM outbound WHERE state = 'sent'"), 1);
}

/* Staged sending with the same failure: the staged copy stays until the
 * commit, and is not swept as an orphan meanwhile. */
static void
test_staged_commit_failure_never_resends(void **state)
{
	struct fixture *fx = *state;
	int64_t now;

	fx->fm.m.cfg.send_mode = SEND_MODE_STORAGE;
	queue_one(fx);
	now = util_now_ms() + 10;
	fx->fm.on_accept = lock_db;
	fx->fm.on_accept_arg = fx;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_STORE_ERROR);
	fx->fm.on_accept = NULL;
	unlock_db();
	assert_int_equal(outbound_clean_orphans(&fx->ob), 0);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 1000), OUTBOUND_SENT);
	assert_int_equal(fx->fm.cmss, 1);
	assert_false(fx->fm.out_present[1]); /* forgotten once recorded */
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 60000), OUTBOUND_IDLE);
}

/* An alert that asks for a status report (delivery_reports = "alerts")
 * goes with AT+CMGS, in doubt until recorded (store_doubt.c). The modem
 * accepted it, the "sent" commit failed, and the network's report came
 * before the commit's retry and recorded it: the retry finds it recorded
 * and sends nothing again. A refused alert is out of doubt. */
static void
test_direct_report_before_commit(void **state)
{
	struct fixture *fx = *state;
	int64_t now = util_now_ms() + 10, a = 0, b = 0, id = 0;
	enum store_dlr d = STORE_DLR_NONE;

	fx->cfg.delivery_reports = CONFIG_DLR_ALERTS;
	fx->cfg.outbound.report_wait_ms = 60000;
	snprintf(fx->fm.m.cfg.name, sizeof(fx->fm.m.cfg.name), "m1");
	assert_int_equal(
	    store_outbound_add_urgent(fx->st, "sms", "+60111000111", "KAWAN SOS", -1, 0, now, &a),
	    0);
	fx->fm.on_accept = lock_db;
	fx->fm.on_accept_arg = fx;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_STORE_ERROR);
	fx->fm.on_accept = NULL;
	assert_true(fx->ob.pending);
	unlock_db();
	assert_int_equal(
	    sfx_int(fx->db, "SELECT count(*) FROM outbound WHERE doubt_ms IS NOT NULL"), 1);
	assert_int_equal(
	    store_dlr_record(fx->st, "m1", "+60111000111", fx->fm.sent, 0x00, now + 500, &id, &d),
	    0);
	assert_int_equal(id, a);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 1000), OUTBOUND_SENT);
	assert_false(fx->ob.pending);
	assert_int_equal(fx->fm.direct_sent, 1);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 120000), OUTBOUND_IDLE);
	assert_int_equal(fx->fm.direct_sent, 1);
	/* refused: no longer in doubt, retried after the backoff as before */
	assert_int_equal(store_outbound_add_urgent(fx->st, "sms", "+60111000111", "KAWAN SOS 2", -1,
			     0, now + 130000, &b),
	    0);
	fx->fm.send_refuse = 1;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 130000), OUTBOUND_RETRY);
	assert_int_equal(
	    sfx_int(fx->db, "SELECT count(*) FROM outbound WHERE doubt_ms IS NOT NULL"), 0);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 131000), OUTBOUND_SENT);
	assert_int_equal(fx->fm.direct_sent, 2);
}

/* A full storage burns no attempt; an urgent alert goes out with AT+CMGS. */
static void
test_storage_full(void **state)
{
	struct fixture *fx = *state;
	struct store_outbound o;
	int64_t now, alert;

	fx->fm.m.cfg.send_mode = SEND_MODE_STORAGE;
	fx->fm.storage_full = true;
	queue_one(fx);
	now = util_now_ms() + 10;
	for (int i = 0; i < 10; i++) /* more than max_attempts */
		assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg,
				     now + (int64_t)i * fx->cfg.outbound.retry_min_ms),
		    OUTBOUND_FULL);
	assert_int_equal(fx->fm.sent, 0);
	assert_int_equal(sfx_int(fx->db, "SELECT attempts FROM outbound"), 0);
	assert_int_equal(store_outbound_add_urgent(fx->st, "sms", "+60110000001", "KAWAN alert", -1,
			     0, now, &alert),
	    0);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now), OUTBOUND_SENT);
	assert_int_equal(fx->fm.direct_sent, 1);
	assert_string_equal(fx->fm.last_dest, "+60110000001");
	assert_int_equal(store_outbound_next_due(fx->st, now + 60000, &o), 0);
	assert_true(o.id != alert);
	store_outbound_clear(&o);
	/* Room again: the reply goes out staged, attempts untouched. */
	fx->fm.storage_full = false;
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, now + 60000), OUTBOUND_SENT);
	assert_int_equal(fx->fm.cmss, 1);
}

/* The reply leaves through the modem its message came in on. */
static void
test_reply_names_its_modem(void **state)
{
	struct fixture *fx = *state;
	struct fake_modem other;
	struct outbound ob2;

	queue_one(fx);
	assert_int_equal(sfx_int(fx->db, "SELECT count(*) FROM outbound WHERE modem = 'fake'"), 1);
	fake_init(&other);
	snprintf(other.m.cfg.name, sizeof(other.m.cfg.name), "other");
	other.m.cfg.send_mode = SEND_MODE_DIRECT;
	outbound_init(&ob2, fx->st, &other.m);
	assert_int_equal(outbound_send_one(&ob2, &fx->cfg, util_now_ms() + 10), OUTBOUND_IDLE);
	assert_int_equal(outbound_send_one(&fx->ob, &fx->cfg, util_now_ms() + 10), OUTBOUND_SENT);
	fake_free(&other);
}

static void
test_backoff_doubles_and_caps(void **state)
{
	struct config_outbound o = { .max_attempts = 8,
		.retry_min_ms = 5000,
		.retry_max_ms = 30000 };

	(void)state;
	assert_int_equal(outbound_backoff_ms(&o, 1), 5000);
	assert_int_equal(outbound_backoff_ms(&o, 2), 10000);
	assert_int_equal(outbound_backoff_ms(&o, 3), 20000);
	assert_int_equal(outbound_backoff_ms(&o, 4), 30000);
	assert_int_equal(outbound_backoff_ms(&o, 50), 30000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sweep_commits_then_deletes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_reread_is_deduplicated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_store_failure_keeps_sim_copy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sweep_link_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_caps_oversized_text, setup, teardown),
		cmocka_unit_test(test_clip_never_splits_a_character),
		cmocka_unit_test_setup_teardown(test_router_one_reply_per_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_router_decide, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_code_stored_not_answered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbound_sent_after_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbound_refused_is_retried_then_failed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbound_link_down_keeps_queue, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_staged_crash_after_cmss_sends_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_staged_refused_keeps_copy_and_retries, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_staged_copy_gone_is_restaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staged_unsupported_falls_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_orphans_removed_on_connect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragments_leave_the_sim_and_join, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fragments_expire_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragments_never_jam_the_sim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_direct_commit_failure_never_resends, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_direct_report_before_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staged_commit_failure_never_resends, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_storage_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_names_its_modem, setup, teardown),
		cmocka_unit_test(test_backoff_doubles_and_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
