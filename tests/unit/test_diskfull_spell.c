/* test_diskfull_spell.c - the spell of a full disk shared by the modem
 * threads (gateway/channel/diskfull.c, issue 11): the spell begins and
 * ends once, the operators are told once per spell, a failed send re-arms
 * the telling at once, a new spell within DISKFULL_RETELL_MS of the last
 * SMS is not told until that much time has passed, the SMS text fits one
 * GSM-7 segment, and with several threads racing exactly one wins each
 * claim. The modem thread's use of it is end-to-end tested (test_diskfull). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "channel/diskfull.h"
#include "render/render.h"

#define T0 1000000 /* a monotonic time, ms */

static void
df_init(struct diskfull *df)
{
	atomic_init(&df->full, false);
	atomic_init(&df->told, false);
	atomic_init(&df->told_ms, 0);
}

/* One spell: begun and ended once, told once. */
static void
test_once_per_spell(void **state)
{
	struct diskfull df;

	(void)state;
	df_init(&df);
	assert_false(diskfull_claim_tell(&df, T0)); /* no spell: nobody tells */
	assert_false(diskfull_leave(&df));          /* nor ends one */
	assert_true(diskfull_enter(&df));           /* the first refusal begins it */
	assert_false(diskfull_enter(&df));          /* the next ones do not */
	assert_false(diskfull_enter(&df));
	assert_true(diskfull_claim_tell(&df, T0)); /* one caller tells */
	assert_false(diskfull_claim_tell(&df, T0 + 5000));
	assert_false(diskfull_claim_tell(&df, T0 + DISKFULL_RETELL_MS + 1)); /* still once */
	assert_true(diskfull_leave(&df)); /* space came back: ended once */
	assert_false(diskfull_leave(&df));
	assert_false(diskfull_claim_tell(&df, T0 + DISKFULL_RETELL_MS + 2));
}

/* Every send failed: the next sweep (DISKFULL_RETRY_MS later) tries again. */
static void
test_rearm_after_failed_send(void **state)
{
	struct diskfull df;

	(void)state;
	df_init(&df);
	assert_true(diskfull_enter(&df));
	assert_true(diskfull_claim_tell(&df, T0));
	diskfull_untold(&df); /* no operator could be reached */
	assert_true(diskfull_claim_tell(&df, T0 + DISKFULL_RETRY_MS));
	assert_false(
	    diskfull_claim_tell(&df, T0 + 2 * DISKFULL_RETRY_MS)); /* that one got through */
	/* untold twice in a row, or with nothing claimed, is harmless */
	diskfull_untold(&df);
	diskfull_untold(&df);
	assert_true(diskfull_claim_tell(&df, T0 + 3 * DISKFULL_RETRY_MS));
}

/* Resumed, then full again: a new spell. Within an hour of the last SMS
 * the operators are not told again (a flapping disk is not a flood of
 * SMS); once that hour is past, during the same spell, they are. */
static void
test_new_spell_and_retell(void **state)
{
	struct diskfull df;
	int64_t t = T0;

	(void)state;
	df_init(&df);
	assert_true(diskfull_enter(&df));
	assert_true(diskfull_claim_tell(&df, t));
	assert_true(diskfull_leave(&df)); /* resumed */
	t += 60000;
	assert_true(diskfull_enter(&df)); /* a new spell, logged again */
	assert_false(diskfull_claim_tell(&df, t));
	assert_false(diskfull_claim_tell(&df, T0 + DISKFULL_RETELL_MS - 1));
	assert_true(diskfull_claim_tell(&df, T0 + DISKFULL_RETELL_MS));
	assert_false(diskfull_claim_tell(&df, T0 + DISKFULL_RETELL_MS + 1));
	/* Ended long after: the next spell is told at once. */
	assert_true(diskfull_leave(&df));
	assert_true(diskfull_enter(&df));
	assert_true(diskfull_claim_tell(&df, T0 + 3 * (int64_t)DISKFULL_RETELL_MS));
}

/* The operators' SMS: names the modem, fits one GSM-7 segment. */
static void
test_text(void **state)
{
	char buf[256], small[32];
	size_t units = 0;

	(void)state;
	assert_int_equal(diskfull_text(buf, sizeof(buf), "modem-ampang-2"), 0);
	assert_non_null(strstr(buf, "modem-ampang-2"));
	assert_non_null(strstr(buf, "DATABASE FULL"));
	assert_int_equal(render_coding_of(buf, &units), RENDER_GSM7);
	assert_true(units <= 160);
	assert_int_equal(diskfull_text(small, sizeof(small), "m1"), -1); /* never truncated */
}

/* Many threads at once: one begins the spell, one tells, one ends it. */
#define NTHREADS 8
#define ROUNDS 2000

struct race {
	struct diskfull *df;
	pthread_barrier_t *bar;
	int enters, tells, leaves;
};

static void *
race_run(void *arg)
{
	struct race *r = arg;

	for (int i = 0; i < ROUNDS; i++) {
		pthread_barrier_wait(r->bar);
		r->enters += diskfull_enter(r->df);
		pthread_barrier_wait(r->bar);
		/* each round a new time past the retell window */
		r->tells +=
		    diskfull_claim_tell(r->df, T0 + (int64_t)(i + 1) * 2 * DISKFULL_RETELL_MS);
		pthread_barrier_wait(r->bar);
		r->leaves += diskfull_leave(r->df);
	}
	return NULL;
}

static void
test_threads_race(void **state)
{
	struct diskfull df;
	pthread_barrier_t bar;
	pthread_t th[NTHREADS];
	struct race r[NTHREADS];
	int enters = 0, tells = 0, leaves = 0;

	(void)state;
	df_init(&df);
	assert_int_equal(pthread_barrier_init(&bar, NULL, NTHREADS), 0);
	for (int i = 0; i < NTHREADS; i++) {
		r[i] = (struct race){ &df, &bar, 0, 0, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, race_run, &r[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		enters += r[i].enters;
		tells += r[i].tells;
		leaves += r[i].leaves;
	}
	pthread_barrier_destroy(&bar);
	assert_int_equal(enters, ROUNDS);
	assert_int_equal(tells, ROUNDS);
	assert_int_equal(leaves, ROUNDS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_once_per_spell),
		cmocka_unit_test(test_rearm_after_failed_send),
		cmocka_unit_test(test_new_spell_and_retell),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_threads_race),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
