/* test_flood.c - a flood from one number cannot delay everyone else
 * (issue 11), through libgammu and the simulated modem.
 *
 * 1. fair queue: 500 SMS from one number, then one from each of 20 other
 *    numbers, injected together (the cap on answers per minute off, so
 *    the order of the outbound queue is what is tested): each of the 20
 *    is answered before the flood's 30th answer (the sim's SENT times).
 *    Then the gateway may stop answering the flood: all 520 messages are
 *    stored, each once, and the gateway is stopped.
 * 2. the cap: router.max_answers_per_minute = 6; 30 SMS from one number
 *    and one from each of 3 others: the 3 answered, the flood 6 times, and
 *    its answer to the last message held for the end of the burst (a
 *    minute later: not waited for here; test_router_flood sends it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "e2e.h"

#define FLOOD "+60139990000"
#define N_FLOOD 500
#define N_OTHERS 20
#define FLOOD_NTH 30 /* the others go before the flood's 30th answer */

static int
setup_fair(void **state)
{
	struct harness *h;

	if (e2e_setup(state, "flood") != 0)
		return -1;
	h = *state;
	h->opts.sim_capacity = N_FLOOD + N_OTHERS + 10; /* all on the SIM together */
	h->opts.answers_per_minute = 0;
	return 0;
}

static int
setup_cap(void **state)
{
	struct harness *h;

	if (e2e_setup(state, "flood-cap") != 0)
		return -1;
	h = *state;
	h->opts.answers_per_minute = 6;
	return 0;
}

static void
other_number(char *buf, size_t sz, int i)
{
	snprintf(buf, sz, "+6014%07d", 5000000 + i * 11);
}

/* Counts SENT messages to FLOOD and to others; *nth_flood_ms the time of
 * the flood's FLOOD_NTH-th answer (0 none yet), *last_other_ms the latest
 * answer to another number. */
static int
sent_counts(struct harness *h, int *flood, int *others, int64_t *nth_flood_ms,
    int64_t *last_other_ms)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;

	*flood = *others = 0;
	*nth_flood_ms = *last_other_ms = 0;
	if (harness_sent(h, &m, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(m[i].dest, FLOOD) == 0) {
			if (++*flood == FLOOD_NTH)
				*nth_flood_ms = m[i].t_first_ms;
		} else {
			(*others)++;
			if (m[i].t_first_ms > *last_other_ms)
				*last_other_ms = m[i].t_first_ms;
		}
	}
	hctl_sent_free(m, n);
	return 0;
}

static void
test_flood_fair(void **state)
{
	struct harness *h = *state;
	char num[24], text[64];
	int flood = 0, others = 0;
	int64_t nth = 0, last_other = 0, t0, stored = 0;
	int status = 0;

	e2e_start(h);
	t0 = hproc_mono_ms();
	for (int i = 0; i < N_FLOOD; i++) {
		snprintf(text, sizeof(text), "flood %d", i);
		E2E_OK(h, harness_inject(h, FLOOD, text));
	}
	for (int i = 0; i < N_OTHERS; i++) {
		other_number(num, sizeof(num), i);
		snprintf(text, sizeof(text), "help me %d", i);
		E2E_OK(h, harness_inject(h, num, text));
	}
	printf("flood: %d + %d injected in %" PRId64 " ms\n", N_FLOOD, N_OTHERS,
	    hproc_mono_ms() - t0);
	for (;;) {
		E2E_OK(h, sent_counts(h, &flood, &others, &nth, &last_other));
		if (others == N_OTHERS || nth != 0)
			break;
		E2E_CHECK(h, hproc_mono_ms() - t0 < 240000);
		E2E_CHECK(h, harness_gw_alive(h));
		hproc_sleep_ms(250);
	}
	printf("flood: after %" PRId64 " ms: %d others answered, flood %d answers\n",
	    hproc_mono_ms() - t0, others, flood);
	E2E_CHECK(h, others == N_OTHERS);
	/* the last of the 20 answered before the flood's 30th answer */
	E2E_CHECK(h, nth == 0 || last_other < nth);
	E2E_CHECK(h, flood < FLOOD_NTH);
	/* nothing lost: every message stored once (the SIM read to the end) */
	for (;;) {
		stored = harness_db_value(h, "SELECT count(*) FROM inbound");
		if (stored >= N_FLOOD + N_OTHERS)
			break;
		E2E_CHECK(h, hproc_mono_ms() - t0 < 400000);
		hproc_sleep_ms(500);
	}
	printf("flood: all %" PRId64 " stored after %" PRId64 " ms\n", stored,
	    hproc_mono_ms() - t0);
	E2E_CHECK(h, harness_gw_stop(h, SIGTERM, 10000, &status) == 0);
	E2E_CHECK(h, harness_db_value(h, "SELECT count(*) FROM inbound WHERE sender = '%s'",
			 FLOOD) == N_FLOOD);
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT count(DISTINCT text) FROM inbound WHERE sender = '%s'",
		FLOOD) == N_FLOOD);
	E2E_CHECK(h, harness_db_value(h, "SELECT count(*) FROM inbound") == N_FLOOD + N_OTHERS);
	/* at most one reply per message (the one-reply index), none failed */
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT count(*) FROM outbound WHERE state = 'failed'") == 0);
}

static void
test_flood_cap(void **state)
{
	struct harness *h = *state;
	char num[24], text[64];
	int flood = 0, others = 0;
	int64_t nth = 0, last_other = 0, t0;

	e2e_start(h);
	t0 = hproc_mono_ms();
	for (int i = 0; i < 30; i++) {
		snprintf(text, sizeof(text), "flood %d", i);
		E2E_OK(h, harness_inject(h, FLOOD, text));
	}
	for (int i = 0; i < 3; i++) {
		other_number(num, sizeof(num), i);
		snprintf(text, sizeof(text), "help me %d", i);
		E2E_OK(h, harness_inject(h, num, text));
	}
	/* everything stored and routed, the held row in place */
	for (;;) {
		if (harness_db_value(h, "SELECT count(*) FROM inbound WHERE state = 'done'") ==
			33 &&
		    harness_db_value(h, "SELECT count(*) FROM outbound WHERE held = 1") == 1)
			break;
		E2E_CHECK(h, hproc_mono_ms() - t0 < 120000);
		hproc_sleep_ms(250);
	}
	for (;;) {
		E2E_OK(h, sent_counts(h, &flood, &others, &nth, &last_other));
		if (others == 3 && flood >= 6)
			break;
		E2E_CHECK(h, hproc_mono_ms() - t0 < 120000);
		hproc_sleep_ms(250);
	}
	hproc_sleep_ms(2000); /* nothing more leaves for the flood for a minute */
	E2E_OK(h, sent_counts(h, &flood, &others, &nth, &last_other));
	printf("flood-cap: flood answered %d times, others %d\n", flood, others);
	E2E_CHECK(h, flood == 6 && others == 3);
	/* the held answer is the last message's */
	E2E_CHECK(h, harness_db_value(h,
			 "SELECT count(*) FROM outbound WHERE held = 1 AND state = 'queued'"
			 " AND inbound_id = (SELECT max(id) FROM inbound WHERE sender = '%s')",
			 FLOOD) == 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flood_fair, setup_fair, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_flood_cap, setup_cap, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
