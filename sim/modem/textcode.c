/* textcode.c - hex, UTF-8 and UTF-16 conversions shared by the PDU codec,
 * the control protocol and the phone. */
#include "core/util.h"
#include "textcode.h"

int
textcode_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outsz)
{
	if (hexlen % 2 != 0 || hexlen / 2 > outsz)
		return -1;
	for (size_t i = 0; i < hexlen; i += 2) {
		int hi = util_hex_digit(hex[i]);
		int lo = util_hex_digit(hex[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(hexlen / 2);
}

int
textcode_hex_append(struct sbuf *b, const uint8_t *p, size_t n, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		char two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };
		if (sbuf_add(b, two, 2) < 0)
			return -1;
	}
	return 0;
}

/* Length of the UTF-8 sequence led by c, or 0 when c cannot lead one. */
static int
textcode_utf8_seqlen(uint8_t c, uint32_t *first)
{
	if (c < 0x80) {
		*first = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		*first = c & 0x1F;
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		*first = c & 0x0F;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		*first = c & 0x07;
		return 4;
	}
	return 0;
}

int
textcode_utf8_to_cps(const char *s, size_t len, uint32_t *out, size_t outmax)
{
	static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0;
	int n = 0;
	while (i < len) {
		uint32_t cp;
		int sl = textcode_utf8_seqlen(p[i], &cp);
		if (sl == 0 || i + (size_t)sl > len)
			return -1;
		for (int k = 1; k < sl; k++) {
			if ((p[i + (size_t)k] & 0xC0) != 0x80)
				return -1;
			cp = cp << 6 | (p[i + (size_t)k] & 0x3F);
		}
		if (cp < min_cp[sl] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		if ((size_t)n >= outmax)
			return -1;
		out[n++] = cp;
		i += (size_t)sl;
	}
	return n;
}

int
textcode_utf8_put(struct sbuf *b, uint32_t cp)
{
	uint8_t o[4];
	size_t n;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		o[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (uint8_t)(0xC0 | cp >> 6);
		o[1] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (uint8_t)(0xE0 | cp >> 12);
		o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		o[0] = (uint8_t)(0xF0 | cp >> 18);
		o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return sbuf_add(b, o, n);
}

int
textcode_cps_to_utf16be(const uint32_t *cps, size_t n, uint8_t *out, size_t outsz)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = cps[i];
		if (cp >= 0x10000) {
			if (o + 4 > outsz)
				return -1;
			uint32_t v = cp - 0x10000;
			uint32_t hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
			out[o++] = (uint8_t)(hi >> 8);
			out[o++] = (uint8_t)hi;
			out[o++] = (uint8_t)(lo >> 8);
			out[o++] = (uint8_t)lo;
		} else {
			if (o + 2 > outsz)
				return -1;
			out[o++] = (uint8_t)(cp >> 8);
			out[o++] = (uint8_t)cp;
		}
	}
	return (int)o;
}

int
textcode_utf16be_to_utf8(const uint8_t *p, size_t n, struct sbuf *b)
{
	size_t i = 0;
	while (i + 1 < n) {
		uint32_t u = (uint32_t)p[i] << 8 | p[i + 1];
		i += 2;
		if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
			uint32_t lo = (uint32_t)p[i] << 8 | p[i + 1];
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				i += 2;
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			}
		}
		if (textcode_utf8_put(b, u) < 0)
			return -1;
	}
	return 0;
}
