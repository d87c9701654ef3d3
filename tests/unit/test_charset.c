/* test_charset.c - UTF-8/UTF-16BE conversion, GSM-7 alphabet test and
 * septet counts, UTF-8 validation and checked integer parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/charset.h"
#include "core/util.h"

static void
roundtrip(const char *s)
{
	unsigned char u16[512];
	char back[512];
	long units = charset_utf8_to_utf16be(s, u16, sizeof(u16));

	assert_true(units >= 0);
	assert_int_equal(charset_utf16be_len(u16), (size_t)units);
	assert_true(charset_utf16be_to_utf8(u16, (size_t)units, back, sizeof(back)) >= 0);
	assert_string_equal(back, s);
}

static void
test_roundtrip_scripts(void **state)
{
	(void)state;
	roundtrip("Hello, Kawan");
	roundtrip("ช่วยด้วย"); /* Thai with combining marks */
	roundtrip("ជំនួយ");    /* Khmer */
	roundtrip("ကူညီပါ");   /* Burmese */
	roundtrip("Tiếng Việt có dấu");
	roundtrip("emoji 🆘 outside the BMP"); /* surrogate pair */
}

static void
test_utf16_surrogates_and_nul(void **state)
{
	unsigned char lone[] = { 0xd8, 0x3d, 0x00, 0x41 }; /* high surrogate then 'A' */
	unsigned char nul[] = { 0x00, 0x00 };
	char out[16];

	(void)state;
	assert_true(charset_utf16be_to_utf8(lone, 2, out, sizeof(out)) > 0);
	assert_string_equal(out, "\xef\xbf\xbd"
				 "A");
	assert_true(charset_utf16be_to_utf8(nul, 1, out, sizeof(out)) > 0);
	assert_string_equal(out, "\xef\xbf\xbd");
}

static void
test_small_buffers_refused(void **state)
{
	unsigned char u16[4];
	char out[2];
	unsigned char ab[] = { 0, 'a', 0, 'b' };

	(void)state;
	assert_int_equal(charset_utf8_to_utf16be("abc", u16, sizeof(u16)), -1);
	assert_int_equal(charset_utf16be_to_utf8(ab, 2, out, sizeof(out)), -1);
}

static void
test_invalid_utf8_becomes_replacement(void **state)
{
	unsigned char u16[32];
	long n = charset_utf8_to_utf16be("a\xff"
					 "b",
	    u16, sizeof(u16));

	(void)state;
	assert_int_equal(n, 3);
	assert_int_equal(u16[2], 0xff);
	assert_int_equal(u16[3], 0xfd);
}

static void
test_gsm7(void **state)
{
	(void)state;
	assert_true(charset_gsm7_fits("Saya perlu bantuan @ 5$"));
	assert_int_equal(charset_gsm7_septets("abc"), 3);
	assert_int_equal(charset_gsm7_septets("€[]"), 6); /* extension table costs 2 */
	assert_int_equal(charset_gsm7_septets("èéùìòÇØøÅåÆæßÉÄÖÑÜ§¿äöñüà"), 25);
	assert_false(charset_gsm7_fits("ช่วย"));
	assert_false(charset_gsm7_fits("Tiếng"));
	assert_false(charset_gsm7_fits("ó ú"));             /* Tetum needs UCS-2 */
	assert_int_equal(charset_gsm7_septets("\x1b"), -1); /* the escape itself is not text */
}

/* The whole alphabet, counted over every code point up to U+FFFF: the 127
 * characters of the basic table (its escape position is not one), the 10
 * of the extension table, nothing else; spot checks on both sides of the
 * look-up table's edge (U+03FF/U+0400) and the euro sign above it. */
static void
test_gsm7_every_code_point(void **state)
{
	int ones = 0, twos = 0;

	(void)state;
	for (unsigned cp = 1; cp < 0x10000; cp++) {
		uint16_t u = (uint16_t)cp;
		unsigned char be[2] = { (unsigned char)(u >> 8), (unsigned char)u };
		char utf8[8];
		long n;

		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		assert_true(charset_utf16be_to_utf8(be, 1, utf8, sizeof(utf8)) > 0);
		n = charset_gsm7_septets(utf8);
		if (n == 1)
			ones++;
		else if (n == 2)
			twos++;
		else
			assert_int_equal(n, -1);
	}
	assert_int_equal(ones, 127);
	assert_int_equal(twos, 10);
	assert_int_equal(charset_gsm7_septets("\xce\xa8"), 1);     /* U+03A8, basic */
	assert_int_equal(charset_gsm7_septets("\xcf\xbf"), -1);    /* U+03FF */
	assert_int_equal(charset_gsm7_septets("\xd0\x80"), -1);    /* U+0400 */
	assert_int_equal(charset_gsm7_septets("\xe2\x82\xac"), 2); /* the euro sign */
	assert_int_equal(charset_gsm7_septets("\x1b"), -1);        /* the escape itself */
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(util_utf8_valid("ကူညီ", strlen("ကူညီ")));
	assert_false(util_utf8_valid("\xc0\xaf", 2));         /* overlong */
	assert_false(util_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(util_utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
	assert_false(util_utf8_valid("ab\0c", 4));            /* NUL */
	assert_false(util_utf8_valid("\xe0\xb8", 2));         /* truncated */
}

static void
test_parse_long(void **state)
{
	long v;

	(void)state;
	assert_int_equal(util_parse_long("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(util_parse_long("42x", 0, 100, &v), -1);
	assert_int_equal(util_parse_long("", 0, 100, &v), -1);
	assert_int_equal(util_parse_long("101", 0, 100, &v), -1);
	assert_int_equal(util_parse_long("99999999999999999999", 0, 100, &v), -1);
}

static void
test_strcopy_truncation(void **state)
{
	char buf[4];

	(void)state;
	assert_int_equal(util_strcopy(buf, sizeof(buf), "abc"), 0);
	assert_int_equal(util_strcopy(buf, sizeof(buf), "abcd"), -1);
	assert_string_equal(buf, "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_scripts),
		cmocka_unit_test(test_utf16_surrogates_and_nul),
		cmocka_unit_test(test_small_buffers_refused),
		cmocka_unit_test(test_invalid_utf8_becomes_replacement),
		cmocka_unit_test(test_gsm7),
		cmocka_unit_test(test_gsm7_every_code_point),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_strcopy_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
