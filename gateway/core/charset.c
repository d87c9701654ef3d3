/* charset.c - UTF-8/UTF-16BE conversion and the GSM-7 alphabet test.
 * Hand-written rather than ICU: these are a few table look-ups on the
 * modem path, and libgammu's own converters depend on the C locale and
 * return shared static buffers (FACTS.md). */
#include "core/charset.h"

#include <pthread.h>
#include <string.h>

/* GSM 03.38 default alphabet, in code point order of its 128 positions. */
static const unsigned charset_gsm7_basic[128] = {
	'@',
	0xa3,
	'$',
	0xa5,
	0xe8,
	0xe9,
	0xf9,
	0xec,
	0xf2,
	0xc7,
	'\n',
	0xd8,
	0xf8,
	'\r',
	0xc5,
	0xe5,
	0x394,
	'_',
	0x3a6,
	0x393,
	0x39b,
	0x3a9,
	0x3a0,
	0x3a8,
	0x3a3,
	0x398,
	0x39e,
	0x1b,
	0xc6,
	0xe6,
	0xdf,
	0xc9,
	' ',
	'!',
	'"',
	'#',
	0xa4,
	'%',
	'&',
	'\'',
	'(',
	')',
	'*',
	'+',
	',',
	'-',
	'.',
	'/',
	'0',
	'1',
	'2',
	'3',
	'4',
	'5',
	'6',
	'7',
	'8',
	'9',
	':',
	';',
	'<',
	'=',
	'>',
	'?',
	0xa1,
	'A',
	'B',
	'C',
	'D',
	'E',
	'F',
	'G',
	'H',
	'I',
	'J',
	'K',
	'L',
	'M',
	'N',
	'O',
	'P',
	'Q',
	'R',
	'S',
	'T',
	'U',
	'V',
	'W',
	'X',
	'Y',
	'Z',
	0xc4,
	0xd6,
	0xd1,
	0xdc,
	0xa7,
	0xbf,
	'a',
	'b',
	'c',
	'd',
	'e',
	'f',
	'g',
	'h',
	'i',
	'j',
	'k',
	'l',
	'm',
	'n',
	'o',
	'p',
	'q',
	'r',
	's',
	't',
	'u',
	'v',
	'w',
	'x',
	'y',
	'z',
	0xe4,
	0xf6,
	0xf1,
	0xfc,
	0xe0,
};

/* The extension table (each costs an escape septet too). */
static const unsigned charset_gsm7_ext[] = { '\f', '^', '{', '}', '\\', '[', '~', ']', '|',
	0x20ac };

/* 1 for the basic table, 2 for the extension table, 0 if not GSM-7, by
 * searching both tables. */
static int
charset_gsm7_scan(unsigned cp)
{
	for (size_t i = 0; i < 128; i++)
		if (charset_gsm7_basic[i] == cp && cp != 0x1b)
			return 1;
	for (size_t i = 0; i < sizeof(charset_gsm7_ext) / sizeof(charset_gsm7_ext[0]); i++)
		if (charset_gsm7_ext[i] == cp)
			return 2;
	return 0;
}

/* charset_gsm7_scan of every code point below CHARSET_GSM7_LOW, and the
 * few characters of both tables at or above it (the euro sign), filled
 * once: paging measures every page text a character at a time, and 150
 * comparisons a character were a fifth of the router's time (perf over
 * fuzz/fuzz_sms.c), also for scripts GSM-7 has none of. */
#define CHARSET_GSM7_LOW 0x400
#define CHARSET_GSM7_HIGH_MAX 8
static unsigned char charset_gsm7_low[CHARSET_GSM7_LOW];
static unsigned charset_gsm7_high[CHARSET_GSM7_HIGH_MAX];
static unsigned char charset_gsm7_high_cost[CHARSET_GSM7_HIGH_MAX];
static size_t charset_gsm7_nhigh;
static pthread_once_t charset_gsm7_once = PTHREAD_ONCE_INIT;

static void
charset_gsm7_high_add(unsigned cp, int cost)
{
	if (cp >= CHARSET_GSM7_LOW && charset_gsm7_nhigh < CHARSET_GSM7_HIGH_MAX) {
		charset_gsm7_high[charset_gsm7_nhigh] = cp;
		charset_gsm7_high_cost[charset_gsm7_nhigh++] = (unsigned char)cost;
	}
}

static void
charset_gsm7_fill(void)
{
	for (unsigned cp = 0; cp < CHARSET_GSM7_LOW; cp++)
		charset_gsm7_low[cp] = (unsigned char)charset_gsm7_scan(cp);
	for (size_t i = 0; i < 128; i++)
		charset_gsm7_high_add(charset_gsm7_basic[i], 1);
	for (size_t i = 0; i < sizeof(charset_gsm7_ext) / sizeof(charset_gsm7_ext[0]); i++)
		charset_gsm7_high_add(charset_gsm7_ext[i], 2);
}

/* 1 for the basic table, 2 for the extension table, 0 if not GSM-7. */
static int
charset_gsm7_cost(unsigned cp)
{
	(void)pthread_once(&charset_gsm7_once, charset_gsm7_fill);
	if (cp < CHARSET_GSM7_LOW)
		return charset_gsm7_low[cp];
	for (size_t i = 0; i < charset_gsm7_nhigh; i++)
		if (charset_gsm7_high[i] == cp)
			return charset_gsm7_high_cost[i];
	return 0;
}

size_t
charset_utf8_next(const char *str, size_t len, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	unsigned v;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		v = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		v = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || (v >= 0xd800 && v <= 0xdfff) ||
	    v > 0x10ffff)
		return 0;
	*cp = v;
	return n;
}

static int
charset_put16(unsigned char *dst, size_t dstsz, size_t *pos, unsigned unit)
{
	if (*pos + 2 > dstsz)
		return -1;
	dst[(*pos)++] = (unsigned char)(unit >> 8);
	dst[(*pos)++] = (unsigned char)(unit & 0xff);
	return 0;
}

long
charset_utf8_to_utf16be(const char *src, unsigned char *dst, size_t dstsz)
{
	size_t len = strlen(src), i = 0, pos = 0;
	long units = 0;

	while (i < len) {
		unsigned cp;
		size_t n = charset_utf8_next(src + i, len - i, &cp);

		if (n == 0) {
			cp = 0xfffd;
			n = 1;
		}
		i += n;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			if (charset_put16(dst, dstsz, &pos, 0xd800 | (cp >> 10)) < 0 ||
			    charset_put16(dst, dstsz, &pos, 0xdc00 | (cp & 0x3ff)) < 0)
				return -1;
			units += 2;
		} else {
			if (charset_put16(dst, dstsz, &pos, cp) < 0)
				return -1;
			units++;
		}
	}
	if (charset_put16(dst, dstsz, &pos, 0) < 0)
		return -1;
	return units;
}

static int
charset_put_utf8(char *dst, size_t dstsz, size_t *pos, unsigned cp)
{
	unsigned char buf[4];
	size_t n;

	if (cp < 0x80) {
		buf[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		buf[0] = (unsigned char)(0xc0 | (cp >> 6));
		buf[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		buf[0] = (unsigned char)(0xe0 | (cp >> 12));
		buf[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		buf[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		buf[0] = (unsigned char)(0xf0 | (cp >> 18));
		buf[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		buf[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		buf[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (*pos + n + 1 > dstsz)
		return -1;
	memcpy(dst + *pos, buf, n);
	*pos += n;
	dst[*pos] = '\0';
	return 0;
}

long
charset_utf16be_to_utf8(const unsigned char *src, size_t nunits, char *dst, size_t dstsz)
{
	size_t pos = 0;

	if (dstsz == 0)
		return -1;
	dst[0] = '\0';
	for (size_t i = 0; i < nunits; i++) {
		unsigned u = ((unsigned)src[2 * i] << 8) | src[2 * i + 1];
		unsigned cp = u;

		if (u >= 0xd800 && u <= 0xdbff && i + 1 < nunits) {
			unsigned lo = ((unsigned)src[2 * i + 2] << 8) | src[2 * i + 3];

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				cp = 0xfffd;
			}
		} else if ((u >= 0xd800 && u <= 0xdfff) || u == 0) {
			cp = 0xfffd;
		}
		if (charset_put_utf8(dst, dstsz, &pos, cp) < 0)
			return -1;
	}
	return (long)pos;
}

size_t
charset_utf16be_len(const unsigned char *s)
{
	size_t n = 0;

	while (s[2 * n] != 0 || s[2 * n + 1] != 0)
		n++;
	return n;
}

long
charset_gsm7_septets(const char *s)
{
	size_t len = strlen(s), i = 0;
	long septets = 0;

	while (i < len) {
		unsigned cp;
		size_t n = charset_utf8_next(s + i, len - i, &cp);
		int cost;

		if (n == 0)
			return -1;
		cost = charset_gsm7_cost(cp);
		if (cost == 0)
			return -1;
		septets += cost;
		i += n;
	}
	return septets;
}

bool
charset_gsm7_fits(const char *s)
{
	return charset_gsm7_septets(s) >= 0;
}
