/* fuzz_charset.c - core/charset.c: the UTF-8 decoder, UTF-8 <-> UTF-16BE
 * (libgammu's strings) and the GSM-7 alphabet test, on any bytes.
 *
 * Invariants: the decoder agrees with an independent UTF-8 check and
 * never reads past its length; UTF-8 -> UTF-16BE -> UTF-8 gives back
 * valid input unchanged and always gives well-formed UTF-8; any UTF-16BE
 * decodes to well-formed UTF-8 that survives a second round trip; a
 * buffer one byte too small is refused (never overrun: the buffers are
 * heap-allocated to their exact size, so ASan sees one byte too far);
 * the GSM-7 septet count agrees with the fits test and counts at least
 * one septet per character. */
#include "core/charset.h"

#include "fuzz.h"

#define FUZZ_CS_MAX 2048

/* UTF-8 -> UTF-16BE -> UTF-8 of the NUL-terminated s (n bytes). */
static void
round_trip_utf8(const char *s, size_t n)
{
	size_t cap16 = 2 * n + 2; /* each byte at most one unit (4 bytes -> 2 units) */
	unsigned char *u16 = malloc(cap16);
	char *back;
	long units, m;

	FUZZ_CHECK(u16 != NULL);
	units = charset_utf8_to_utf16be(s, u16, cap16);
	FUZZ_CHECK(units >= 0 && (size_t)units <= n);
	FUZZ_CHECK(charset_utf16be_len(u16) == (size_t)units);
	/* Exactly the room needed is enough; one unit less is refused. */
	if (units > 0) {
		unsigned char *tight = malloc((size_t)units * 2 + 2);

		FUZZ_CHECK(tight != NULL);
		FUZZ_CHECK(charset_utf8_to_utf16be(s, tight, (size_t)units * 2 + 2) == units);
		FUZZ_CHECK(memcmp(tight, u16, (size_t)units * 2 + 2) == 0);
		FUZZ_CHECK(charset_utf8_to_utf16be(s, tight, (size_t)units * 2 + 1) == -1);
		free(tight);
	}
	/* Back: 3 bytes per unit at most (a pair of units is 4 bytes). */
	back = malloc((size_t)units * 3 + 1);
	FUZZ_CHECK(back != NULL);
	m = charset_utf16be_to_utf8(u16, (size_t)units, back, (size_t)units * 3 + 1);
	FUZZ_CHECK(m >= 0 && (size_t)m <= (size_t)units * 3);
	FUZZ_CHECK(back[m] == '\0' && strlen(back) == (size_t)m);
	FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)back, (size_t)m));
	if (fuzz_utf8_valid((const unsigned char *)s, n))
		FUZZ_CHECK((size_t)m == n && memcmp(back, s, n) == 0);
	if (m > 0)
		FUZZ_CHECK(charset_utf16be_to_utf8(u16, (size_t)units, back, (size_t)m) == -1);
	free(back);
	free(u16);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *exact;
	size_t n, at, chars = 0;
	bool valid = true;
	long sept;

	if (size > FUZZ_CS_MAX)
		return 0;
	/* The bytes as UTF-8 (up to the first NUL, as the callers see it). */
	s = malloc(size + 1);
	FUZZ_CHECK(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	n = strlen(s);
	/* The decoder, step by step on a copy without the NUL (ASan sees a
	 * read past the last byte). */
	exact = malloc(n > 0 ? n : 1);
	FUZZ_CHECK(exact != NULL);
	memcpy(exact, s, n);
	for (at = 0; at < n;) {
		unsigned cp = 0;
		size_t len = charset_utf8_next(exact + at, n - at, &cp);

		FUZZ_CHECK(len <= 4 && len <= n - at);
		if (len == 0) {
			valid = false;
			at++;
			continue;
		}
		FUZZ_CHECK(cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && cp != 0);
		FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)s + at, len));
		at += len;
		chars++;
	}
	free(exact);
	FUZZ_CHECK(valid == fuzz_utf8_valid((const unsigned char *)s, n));
	round_trip_utf8(s, n);
	/* GSM-7 */
	sept = charset_gsm7_septets(s);
	FUZZ_CHECK((sept >= 0) == charset_gsm7_fits(s));
	if (sept >= 0 && valid)
		FUZZ_CHECK((size_t)sept >= chars && (size_t)sept <= 2 * chars);
	free(s);

	/* The bytes as UTF-16BE units (a libgammu string from the modem). */
	{
		size_t units = size / 2, cap = units * 3 + 1;
		unsigned char *u = malloc(units * 2 + 1);
		char *out = malloc(cap);
		long m;

		FUZZ_CHECK(u != NULL && out != NULL);
		memcpy(u, data, units * 2);
		m = charset_utf16be_to_utf8(u, units, out, cap);
		FUZZ_CHECK(m >= 0 && (size_t)m < cap && out[m] == '\0');
		FUZZ_CHECK(strlen(out) == (size_t)m);
		FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)out, (size_t)m));
		round_trip_utf8(out, (size_t)m);
		free(out);
		free(u);
	}
	return 0;
}
