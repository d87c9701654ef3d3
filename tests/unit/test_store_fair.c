/* test_store_fair.c - the outbound queue served fairly per recipient
 * (issue 11): a flood of replies to one number takes turns with every
 * other number's, urgent rows (officer alerts) still first, a number's
 * own rows in their order, and a row claimed by one modem never taken by
 * another. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "store/store.h"

#include "store_fixture.h"

#define FLOOD "+60111111111"

static int64_t
queue(struct store *st, const char *modem, const char *dest, int64_t now)
{
	int64_t id = 0;

	assert_int_equal(store_outbound_reply(st, "sms", modem, dest, "reply", -1, 0, now, &id), 0);
	assert_true(id > 0);
	return id;
}

static void
other(char *buf, size_t sz, int i)
{
	assert_true(snprintf(buf, sz, "+6012%07d", i) < (int)sz);
}

/* Takes the next row for modem at now and marks it sent then; its dest
 * into dest (when not NULL) and its id returned (0: none due). */
static int64_t
take_send(struct store *st, const char *modem, int64_t now, char *dest, size_t destsz)
{
	struct store_outbound o;
	int64_t id;
	int rc = store_outbound_take(st, "sms", modem, now, &o);

	if (rc == 1)
		return 0;
	assert_int_equal(rc, 0);
	id = o.id;
	if (dest != NULL)
		assert_true(snprintf(dest, destsz, "%s", o.dest) < (int)destsz);
	store_outbound_clear(&o);
	assert_int_equal(store_outbound_mark_sent(st, id, now, 1), 0);
	return id;
}

/* 200 replies to one number queued first, then one to each of 20 others:
 * after the flood's first reply, the 20 go before its second. */
static void
test_flood_takes_turns(void **state)
{
	struct sfx_db *f = *state;
	char dest[32], num[32];
	int64_t t = 1000, flood_first;
	int flood_seen = 0;

	flood_first = queue(f->st, "m1", FLOOD, 10);
	for (int i = 1; i < 200; i++)
		queue(f->st, "m1", FLOOD, 10 + i);
	for (int i = 0; i < 20; i++) {
		other(num, sizeof(num), i);
		queue(f->st, "m1", num, 500 + i);
	}
	assert_int_equal(take_send(f->st, "m1", t++, dest, sizeof(dest)), flood_first);
	for (int i = 0; i < 20; i++) {
		assert_true(take_send(f->st, "m1", t++, dest, sizeof(dest)) > 0);
		other(num, sizeof(num), i); /* never served: oldest due first */
		assert_string_equal(dest, num);
	}
	while (take_send(f->st, "m1", t++, dest, sizeof(dest)) > 0) {
		assert_string_equal(dest, FLOOD);
		flood_seen++;
	}
	assert_int_equal(flood_seen, 199);
	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM outbound WHERE state = 'queued'"),
	    0);
}

/* Two numbers with rows waiting alternate, each in its own order. */
static void
test_round_robin(void **state)
{
	struct sfx_db *f = *state;
	int64_t a[4], b[4], t = 1000;

	for (int i = 0; i < 4; i++)
		a[i] = queue(f->st, "m1", "+60100000001", 10 + i);
	for (int i = 0; i < 4; i++)
		b[i] = queue(f->st, "m1", "+60100000002", 20 + i);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(take_send(f->st, "m1", t++, NULL, 0), a[i]);
		assert_int_equal(take_send(f->st, "m1", t++, NULL, 0), b[i]);
	}
	assert_int_equal(take_send(f->st, "m1", t, NULL, 0), 0);
}

/* A number that was served long ago goes before one served a moment ago,
 * whatever the order their rows were queued in. */
static void
test_served_longest_ago_first(void **state)
{
	struct sfx_db *f = *state;
	int64_t old, recent, t = 1000;

	queue(f->st, "m1", "+60100000001", 1);
	assert_true(take_send(f->st, "m1", 100, NULL, 0) > 0); /* last sent at 100 */
	queue(f->st, "m1", "+60100000002", 2);
	assert_true(take_send(f->st, "m1", 900, NULL, 0) > 0); /* last sent at 900 */
	recent = queue(f->st, "m1", "+60100000002", 3);
	old = queue(f->st, "m1", "+60100000001", 4);
	assert_int_equal(take_send(f->st, "m1", t++, NULL, 0), old);
	assert_int_equal(take_send(f->st, "m1", t++, NULL, 0), recent);
}

/* An officer's alert queued behind a flood goes first; among urgent rows
 * recipients take turns too. */
static void
test_urgent_first(void **state)
{
	struct sfx_db *f = *state;
	int64_t alert, id = 0, t = 1000;

	for (int i = 0; i < 50; i++)
		queue(f->st, "m1", FLOOD, 10 + i);
	assert_true(take_send(f->st, "m1", t++, NULL, 0) > 0);
	assert_int_equal(
	    store_outbound_add_urgent(f->st, "sms", "+60100000009", "alert", -1, 0, 900, &alert),
	    0);
	assert_int_equal(take_send(f->st, "m1", t++, NULL, 0), alert);
	/* an urgent row to the flooding number itself still goes before its replies */
	assert_int_equal(store_outbound_add_urgent(f->st, "sms", FLOOD, "alert", -1, 0, 950, &id),
	    0);
	assert_int_equal(take_send(f->st, "m1", t++, NULL, 0), id);
}

/* Rows not due yet wait, whatever their recipient's turn; rows for another
 * modem are not taken; a row for any modem is claimed by the taker. */
static void
test_due_and_modems(void **state)
{
	struct sfx_db *f = *state;
	struct store_outbound o;
	int64_t later, m2row, anyrow, mine;

	later = queue(f->st, "m1", "+60100000001", 5000);
	m2row = queue(f->st, "m2", "+60100000002", 10);
	mine = queue(f->st, "m1", FLOOD, 20);
	anyrow = queue(f->st, "", "+60100000003", 30);
	assert_int_equal(take_send(f->st, "m1", 1000, NULL, 0), mine);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 1000, &o), 0);
	assert_int_equal(o.id, anyrow);
	assert_string_equal(o.modem, "m1");
	store_outbound_clear(&o);
	/* claimed by m1: m2 finds only its own */
	assert_int_equal(store_outbound_take(f->st, "sms", "m2", 1000, &o), 0);
	assert_int_equal(o.id, m2row);
	store_outbound_clear(&o);
	assert_int_equal(store_outbound_mark_sent(f->st, m2row, 1000, 1), 0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m2", 1000, &o), 1);
	assert_int_equal(store_outbound_mark_sent(f->st, anyrow, 1000, 1), 0);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 4999, &o), 1);
	assert_int_equal(take_send(f->st, "m1", 5000, NULL, 0), later);
}

/* A retried row keeps its place in its recipient's order, and its
 * recipient's turn comes from the last row actually sent. */
static void
test_retry_keeps_turn(void **state)
{
	struct sfx_db *f = *state;
	struct store_outbound o;
	int64_t a1, b1, a2;

	a1 = queue(f->st, "m1", "+60100000001", 10);
	a2 = queue(f->st, "m1", "+60100000001", 11);
	b1 = queue(f->st, "m1", "+60100000002", 12);
	assert_int_equal(store_outbound_take(f->st, "sms", "m1", 100, &o), 0);
	assert_int_equal(o.id, a1);
	store_outbound_clear(&o);
	assert_int_equal(store_outbound_mark_retry(f->st, a1, 200, "modem error"), 0);
	/* a1 waits for its retry; nothing sent yet to either number: a2 (due 11) before b1 (12) */
	assert_int_equal(take_send(f->st, "m1", 150, NULL, 0), a2);
	assert_int_equal(take_send(f->st, "m1", 160, NULL, 0), b1);
	assert_int_equal(take_send(f->st, "m1", 199, NULL, 0), 0);
	assert_int_equal(take_send(f->st, "m1", 200, NULL, 0), a1);
}

/* The query visits the queued-rows-per-recipient index, not every row. */
static void
test_indexes(void **state)
{
	struct sfx_db *f = *state;

	assert_int_equal(sfx_int(f->path, "SELECT count(*) FROM sqlite_master WHERE name IN"
					  " ('outbound_queued_dest', 'outbound_sent_dest')"),
	    2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flood_takes_turns, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_round_robin, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_served_longest_ago_first, sfx_setup,
		    sfx_teardown),
		cmocka_unit_test_setup_teardown(test_urgent_first, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_due_and_modems, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_retry_keeps_turn, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_indexes, sfx_setup, sfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
