/* bench_queue.c - the cost of taking the next outbound row now that the
 * queue is fair per recipient (issue 11): 10,000 replies queued to one
 * number and one to each of 100 others, on a temporary database; the time
 * of store_outbound_take() per row (each row then marked sent) over the
 * first 500 rows taken (the 100 others and 400 of the flood), median and
 * max, and, for comparison, the query before issue 11 (most urgent, then
 * due soonest) on the same rows, and one take by a second modem that has
 * nothing of its own (it passes over the flood's rows). Prints figures; nothing passes or fails. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "store/store.h"

#define N_FLOOD 10000
#define N_OTHERS 100
#define N_TAKES 500

static int64_t
bench_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
bench_fill(struct store *st)
{
	char num[32];

	if (store_begin(st) < 0)
		return -1;
	for (int i = 0; i < N_FLOOD; i++)
		if (store_outbound_reply(st, "sms", "m1", "+60111111111", "reply", -1, 0, 10 + i,
			NULL) < 0)
			return -1;
	for (int i = 0; i < N_OTHERS; i++) {
		snprintf(num, sizeof(num), "+6012%07d", i);
		if (store_outbound_reply(st, "sms", "m1", num, "reply", -1, 0, 20000 + i, NULL) < 0)
			return -1;
	}
	return store_commit(st);
}

/* Removes the database, its -wal and -shm, and its folder. */
static void
bench_remove(const char *dir, const char *path)
{
	char p[160];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
}

/* The query before issue 11, timed on a raw connection. */
static int64_t
bench_old(const char *path)
{
	static const char sql[] =
	    "SELECT id, channel, dest, text, msg_class, attempts, next_attempt_ms,"
	    " inbound_id, modem, priority FROM outbound"
	    " WHERE state = 'queued' AND next_attempt_ms <= ?1"
	    " AND (?2 IS NULL OR ((modem = ?2 OR modem = '') AND channel = ?3))"
	    " ORDER BY priority DESC, next_attempt_ms, id LIMIT 1";
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int64_t t[N_TAKES];

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	for (int i = 0; i < N_TAKES; i++) {
		int64_t t0 = bench_us();

		sqlite3_bind_int64(stmt, 1, 1000000);
		sqlite3_bind_text(stmt, 2, "m1", -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, "sms", -1, SQLITE_STATIC);
		(void)sqlite3_step(stmt);
		sqlite3_reset(stmt);
		t[i] = bench_us() - t0;
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	qsort(t, N_TAKES, sizeof(t[0]), cmp_i64);
	return t[N_TAKES / 2];
}

int
main(void)
{
	char dir[] = "/tmp/kawan-bench-queue-XXXXXX", path[128];
	struct store *st = NULL;
	int64_t t[N_TAKES], old_med, other_us;
	int others_before = 0, flood_taken = 0;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/kawan.db", dir);
	log_set_level(LOG_LEVEL_WARN);
	if (store_open(path, &st) < 0 || bench_fill(st) < 0) {
		fprintf(stderr, "bench_queue: cannot fill %s\n", path);
		return 1;
	}
	old_med = bench_old(path);
	for (int i = 0; i < N_TAKES; i++) {
		struct store_outbound o;
		int64_t t0 = bench_us();

		if (store_outbound_take(st, "sms", "m1", 1000000, &o) != 0) {
			fprintf(stderr, "bench_queue: take %d failed\n", i);
			return 1;
		}
		t[i] = bench_us() - t0;
		if (store_outbound_mark_sent(st, o.id, 1000000 + i, 1) < 0) {
			fprintf(stderr, "bench_queue: mark sent %d failed\n", i);
			return 1;
		}
		if (strcmp(o.dest, "+60111111111") == 0)
			flood_taken++;
		else if (flood_taken <= 1)
			others_before++;
		store_outbound_clear(&o);
	}
	qsort(t, N_TAKES, sizeof(t[0]), cmp_i64);
	{
		/* another modem with nothing of its own: it passes over the flood */
		struct store_outbound o;
		int64_t t0 = bench_us();

		if (store_outbound_take(st, "sms", "m2", 1000000, &o) != 1) {
			fprintf(stderr, "bench_queue: m2 took a row of m1\n");
			return 1;
		}
		other_us = bench_us() - t0;
	}
	printf("bench_queue: %d queued to one number + %d to %d others\n", N_FLOOD, N_OTHERS,
	    N_OTHERS);
	printf("  take (fair), median: %lld us, max %lld us (first %d takes)\n",
	    (long long)t[N_TAKES / 2], (long long)t[N_TAKES - 1], N_TAKES);
	printf("  take by another modem, nothing of its own due: %lld us\n", (long long)other_us);
	printf("  the query before issue 11 alone (no write), median: %lld us\n",
	    (long long)old_med);
	printf("  others served before the flood's second reply: %d of %d\n", others_before,
	    N_OTHERS);
	store_close(st);
	bench_remove(dir, path);
	return 0;
}
