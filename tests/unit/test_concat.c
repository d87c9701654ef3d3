/* test_concat.c - inbound/concat.c: which parts are fragments, the dedupe
 * keys that invariant 1 rests on, and joining. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "inbound/concat.h"

static struct modem_part
part(int ref, int total, int seq)
{
	struct modem_part p;

	memset(&p, 0, sizeof(p));
	snprintf(p.sender, sizeof(p.sender), "+60123456789");
	p.ref = ref;
	p.total = total;
	p.seq = seq;
	return p;
}

static void
test_is_fragment(void **state)
{
	struct modem_part p;

	(void)state;
	p = part(-1, 1, 1);
	assert_false(concat_is_fragment(&p)); /* a single SMS */
	p = part(7, 2, 1);
	assert_true(concat_is_fragment(&p));
	p = part(7, 2, 2);
	assert_true(concat_is_fragment(&p));
	p = part(0, 2, 1);
	assert_true(concat_is_fragment(&p)); /* reference 0 is a reference */
	p = part(7, 1, 1);
	assert_false(concat_is_fragment(&p)); /* "1 of 1": nothing to wait for */
	p = part(7, 2, 3);
	assert_false(concat_is_fragment(&p)); /* part 3 of 2: stands alone */
	p = part(7, 2, 0);
	assert_false(concat_is_fragment(&p));
	p = part(7, MODEM_MAX_PARTS, MODEM_MAX_PARTS);
	assert_true(concat_is_fragment(&p));
	p = part(7, MODEM_MAX_PARTS + 1, 1);
	assert_false(concat_is_fragment(&p)); /* too many to join: each alone */
}

static void
test_key_same_read_same_key(void **state)
{
	char a[CONCAT_KEY_MAX], b[CONCAT_KEY_MAX];

	(void)state;
	/* The same SMS read again (after a crash before its delete): same key. */
	assert_int_equal(concat_key(a, sizeof(a), "+601", 1700000000000, -1, 1, 0, 3, "hi"), 0);
	assert_int_equal(concat_key(b, sizeof(b), "+601", 1700000000000, -1, 1, 0, 3, "hi"), 0);
	assert_string_equal(a, b);
	/* The format earlier versions stored for a single SMS: kept, so an
	 * upgrade recognises a message stored before it. */
	assert_int_equal(strncmp(a, "+601|1700000000000|-1/1|3|", 26), 0);
}

static void
test_key_tells_messages_apart(void **state)
{
	char k[6][CONCAT_KEY_MAX];

	(void)state;
	assert_int_equal(concat_key(k[0], sizeof(k[0]), "+601", 1000, -1, 1, 0, 3, "hi"), 0);
	/* A reused slot with the same sender and second, other text. */
	assert_int_equal(concat_key(k[1], sizeof(k[1]), "+601", 1000, -1, 1, 0, 3, "ho"), 0);
	/* Another slot. */
	assert_int_equal(concat_key(k[2], sizeof(k[2]), "+601", 1000, -1, 1, 0, 4, "hi"), 0);
	/* Another sender, another time. */
	assert_int_equal(concat_key(k[3], sizeof(k[3]), "+602", 1000, -1, 1, 0, 3, "hi"), 0);
	assert_int_equal(concat_key(k[4], sizeof(k[4]), "+601", 2000, -1, 1, 0, 3, "hi"), 0);
	/* A fragment is never taken for a whole message. */
	assert_int_equal(concat_key(k[5], sizeof(k[5]), "+601", 1000, -1, 1, 1, 3, "hi"), 0);
	for (int i = 0; i < 6; i++)
		for (int j = i + 1; j < 6; j++)
			assert_string_not_equal(k[i], k[j]);
}

static void
test_key_fragments(void **state)
{
	char a[CONCAT_KEY_MAX], b[CONCAT_KEY_MAX], c[CONCAT_KEY_MAX];

	(void)state;
	assert_int_equal(concat_key(a, sizeof(a), "+601", 1000, 9, 2, 1, 5, "part"), 0);
	assert_int_equal(concat_key(b, sizeof(b), "+601", 1000, 9, 2, 2, 5, "part"), 0);
	assert_int_equal(concat_key(c, sizeof(c), "+601", 1000, 10, 2, 1, 5, "part"), 0);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
	assert_non_null(strstr(a, "|9/2/1|"));
}

static void
test_key_too_long(void **state)
{
	char small[16], sender[CONCAT_KEY_MAX];

	(void)state;
	memset(sender, '9', sizeof(sender) - 1);
	sender[sizeof(sender) - 1] = '\0';
	assert_int_equal(concat_key(small, sizeof(small), "+601", 1000, -1, 1, 0, 3, "x"), -1);
	{
		char big[CONCAT_KEY_MAX];

		assert_int_equal(concat_key(big, sizeof(big), sender, 1000, -1, 1, 0, 3, "x"), -1);
	}
}

static void
test_join(void **state)
{
	struct concat_piece p[3] = { { 1, "Hello, " }, { 2, "wor" }, { 3, "ld" } };
	int missing = -1;
	char *t;

	(void)state;
	t = concat_join(p, 3, 3, &missing);
	assert_string_equal(t, "Hello, world");
	assert_int_equal(missing, 0);
	free(t);
	/* Part 2 never came: what is there, in order, and how much is missing. */
	p[1] = p[2];
	t = concat_join(p, 2, 3, &missing);
	assert_string_equal(t, "Hello, ld");
	assert_int_equal(missing, 1);
	free(t);
	t = concat_join(p, 0, 3, &missing);
	assert_string_equal(t, "");
	assert_int_equal(missing, 3);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_fragment),
		cmocka_unit_test(test_key_same_read_same_key),
		cmocka_unit_test(test_key_tells_messages_apart),
		cmocka_unit_test(test_key_fragments),
		cmocka_unit_test(test_key_too_long),
		cmocka_unit_test(test_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
