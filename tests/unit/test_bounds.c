/* test_bounds.c - what a hostile sender's SMS headers and payloads can
 * cost (issue 11): a header claiming 255 parts (or more parts than
 * MODEM_MAX_PARTS, or a part number out of range) is stored part by part,
 * flagged partial, never kept waiting for the rest; a binary (8-bit)
 * payload is stored as it came, flagged, and never answered nor read as
 * text; parts that never complete leave the fragment table after
 * partial_timeout (each once). The SIM is emptied in every case. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config.h"
#include "core/log.h"
#include "core/util.h"
#include "inbound/inbound.h"
#include "router/router.h"
#include "store/store.h"

#include "fake_modem.h"
#include "store_fixture.h"

#define SENDER "+60123456789"

struct fx {
	struct sfx_db d;
	struct kawan_config cfg;
	struct fake_modem fm;
	struct router_ctx rc; /* no content: the service message */
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	log_init("test", LOG_LEVEL_ERROR);
	config_default(&f->cfg);
	f->cfg.router.max_answers_per_minute = 0; /* these tests count answers themselves */
	fake_init(&f->fm);
	f->rc.cfg = &f->cfg;
	if (sfx_open(&f->d, "test_bounds") < 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	sfx_close(&f->d);
	fake_free(&f->fm);
	free(f);
	return 0;
}

static int64_t
count(struct fx *f, const char *sql)
{
	return sfx_int(f->d.path, sql);
}

static bool
sim_empty(struct fx *f)
{
	for (int i = 0; i < FAKE_MAX; i++)
		if (f->fm.present[i])
			return false;
	return true;
}

/* "Part k of 255": each stored at once as a message of its own, flagged
 * partial; nothing waits in the fragment table; each answered once. */
static void
test_255_parts(void **state)
{
	struct fx *f = *state;
	struct inbound_counts c;
	char text[32];
	int slot = 1, stored = 0;

	for (int seq = 1; seq <= 255; seq++) {
		snprintf(text, sizeof(text), "chunk %d", seq);
		fake_put_part(&f->fm, slot++, SENDER, text, 77, 255, seq);
		if (slot == FAKE_MAX || seq == 255) {
			assert_int_equal(inbound_sweep(f->d.st, &f->fm.m, &f->cfg, &c), 0);
			assert_int_equal(c.fragments, 0);
			stored += (int)c.stored;
			assert_true(sim_empty(f));
			slot = 1;
		}
	}
	assert_int_equal(stored, 255);
	assert_int_equal(count(f, "SELECT count(*) FROM fragment"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM inbound WHERE flags & 2 = 2"), 255);
	assert_int_equal(router_dispatch(f->d.st, &f->rc), 255);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound"), 255);
}

/* One more part than MODEM_MAX_PARTS, a part number 0 or past the total:
 * stored alone; MODEM_MAX_PARTS itself still waits to be joined. */
static void
test_part_numbers_out_of_range(void **state)
{
	struct fx *f = *state;
	struct inbound_counts c;

	fake_put_part(&f->fm, 1, SENDER, "a", 5, MODEM_MAX_PARTS + 1, 1);
	fake_put_part(&f->fm, 2, SENDER, "b", 6, 3, 0);
	fake_put_part(&f->fm, 3, SENDER, "c", 7, 3, 4);
	fake_put_part(&f->fm, 4, SENDER, "d", 8, MODEM_MAX_PARTS, MODEM_MAX_PARTS);
	assert_int_equal(inbound_sweep(f->d.st, &f->fm.m, &f->cfg, &c), 0);
	assert_int_equal(c.stored, 3);
	assert_int_equal(c.fragments, 1);
	assert_true(sim_empty(f));
	assert_int_equal(count(f, "SELECT count(*) FROM inbound WHERE flags & 2 = 2"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM fragment WHERE inbound_id IS NULL"), 1);
}

/* An 8-bit payload: stored (its hex dump), flagged binary, routed with no
 * answer, never through the menu engine. */
static void
test_binary_payload(void **state)
{
	struct fx *f = *state;
	struct inbound_counts c;

	fake_put_part(&f->fm, 1, SENDER, "00FF1B5B324A0D0A", -1, 1, 1);
	f->fm.sim[1].flags = MODEM_PART_BINARY;
	fake_put(&f->fm, 2, SENDER, "HELP", "text");
	assert_int_equal(inbound_sweep(f->d.st, &f->fm.m, &f->cfg, &c), 0);
	assert_int_equal(c.stored, 2);
	assert_true(sim_empty(f));
	assert_int_equal(count(f, "SELECT count(*) FROM inbound WHERE flags & 4 = 4"
				  " AND text = '00FF1B5B324A0D0A'"),
	    1);
	assert_int_equal(router_dispatch(f->d.st, &f->rc), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM inbound WHERE state = 'done'"), 2);
	/* only the text message is answered */
	assert_int_equal(count(f, "SELECT count(*) FROM outbound o JOIN inbound i"
				  " ON i.id = o.inbound_id WHERE i.text = 'HELP'"),
	    1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbound"), 1);
}

/* 40 numbers each send "part 1 of 2" and never the rest: all of them
 * leave the fragment table as partial messages once partial_timeout has
 * passed, each once, and the table holds no waiting part afterwards. */
static void
test_never_completes(void **state)
{
	struct fx *f = *state;
	struct inbound_counts c;
	char from[32];
	int64_t now = util_now_ms();
	int expired = 0, r;

	for (int i = 0; i < 40; i++) {
		snprintf(from, sizeof(from), "+6011%06d", i);
		fake_put_part(&f->fm, 1 + i % 10, from, "part one", i, 2, 1);
		if (i % 10 == 9)
			assert_int_equal(inbound_sweep(f->d.st, &f->fm.m, &f->cfg, &c), 0);
	}
	assert_int_equal(count(f, "SELECT count(*) FROM fragment WHERE inbound_id IS NULL"), 40);
	assert_int_equal(inbound_expire(f->d.st, &f->cfg, now + 1000), 0);
	while ((r = inbound_expire(f->d.st, &f->cfg,
		    now + f->cfg.inbound.partial_timeout_ms + 1000)) > 0)
		expired += r;
	assert_int_equal(r, 0);
	assert_int_equal(expired, 40);
	assert_int_equal(count(f, "SELECT count(*) FROM fragment WHERE inbound_id IS NULL"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM inbound WHERE flags & 2 = 2"), 40);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_255_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_numbers_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_binary_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_completes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
