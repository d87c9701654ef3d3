/* gsm7.c - the GSM 03.38 default alphabet and extension table, and septet
 * packing with fill bits (3GPP TS 23.038). */
#include "gsm7.h"

#include "textcode.h"

static const uint16_t gsm7_basic[128] = {
	0x0040,
	0x00A3,
	0x0024,
	0x00A5,
	0x00E8,
	0x00E9,
	0x00F9,
	0x00EC,
	0x00F2,
	0x00C7,
	0x000A,
	0x00D8,
	0x00F8,
	0x000D,
	0x00C5,
	0x00E5,
	0x0394,
	0x005F,
	0x03A6,
	0x0393,
	0x039B,
	0x03A9,
	0x03A0,
	0x03A8,
	0x03A3,
	0x0398,
	0x039E,
	0x00A0,
	0x00C6,
	0x00E6,
	0x00DF,
	0x00C9,
	0x0020,
	0x0021,
	0x0022,
	0x0023,
	0x00A4,
	0x0025,
	0x0026,
	0x0027,
	0x0028,
	0x0029,
	0x002A,
	0x002B,
	0x002C,
	0x002D,
	0x002E,
	0x002F,
	0x0030,
	0x0031,
	0x0032,
	0x0033,
	0x0034,
	0x0035,
	0x0036,
	0x0037,
	0x0038,
	0x0039,
	0x003A,
	0x003B,
	0x003C,
	0x003D,
	0x003E,
	0x003F,
	0x00A1,
	0x0041,
	0x0042,
	0x0043,
	0x0044,
	0x0045,
	0x0046,
	0x0047,
	0x0048,
	0x0049,
	0x004A,
	0x004B,
	0x004C,
	0x004D,
	0x004E,
	0x004F,
	0x0050,
	0x0051,
	0x0052,
	0x0053,
	0x0054,
	0x0055,
	0x0056,
	0x0057,
	0x0058,
	0x0059,
	0x005A,
	0x00C4,
	0x00D6,
	0x00D1,
	0x00DC,
	0x00A7,
	0x00BF,
	0x0061,
	0x0062,
	0x0063,
	0x0064,
	0x0065,
	0x0066,
	0x0067,
	0x0068,
	0x0069,
	0x006A,
	0x006B,
	0x006C,
	0x006D,
	0x006E,
	0x006F,
	0x0070,
	0x0071,
	0x0072,
	0x0073,
	0x0074,
	0x0075,
	0x0076,
	0x0077,
	0x0078,
	0x0079,
	0x007A,
	0x00E4,
	0x00F6,
	0x00F1,
	0x00FC,
	0x00E0,
};

struct gsm7_ext {
	uint8_t septet;
	uint16_t cp;
};

static const struct gsm7_ext gsm7_exts[] = {
	{ 0x0A, 0x000C },
	{ 0x14, 0x005E },
	{ 0x28, 0x007B },
	{ 0x29, 0x007D },
	{ 0x2F, 0x005C },
	{ 0x3C, 0x005B },
	{ 0x3D, 0x007E },
	{ 0x3E, 0x005D },
	{ 0x40, 0x007C },
	{ 0x65, 0x20AC },
};

#define GSM7_NEXT (sizeof(gsm7_exts) / sizeof(gsm7_exts[0]))

int
gsm7_from_cp(uint32_t cp, uint8_t out[2])
{
	if (cp == 0x00A0) /* the table slot of ESC: never a character */
		return 0;
	for (int i = 0; i < 128; i++) {
		if (gsm7_basic[i] == cp) {
			out[0] = (uint8_t)i;
			return 1;
		}
	}
	for (size_t i = 0; i < GSM7_NEXT; i++) {
		if (gsm7_exts[i].cp == cp) {
			out[0] = GSM7_ESC;
			out[1] = gsm7_exts[i].septet;
			return 2;
		}
	}
	return 0;
}

static uint32_t
gsm7_ext_cp(uint8_t septet)
{
	for (size_t i = 0; i < GSM7_NEXT; i++) {
		if (gsm7_exts[i].septet == septet)
			return gsm7_exts[i].cp;
	}
	return 0x0020; /* unknown extension: shown as space, per 23.038 advice */
}

int
gsm7_to_utf8(const uint8_t *septets, size_t n, struct sbuf *b)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t s = septets[i] & 0x7F;
		uint32_t cp;
		if (s == GSM7_ESC && i + 1 < n) {
			i++;
			cp = gsm7_ext_cp(septets[i] & 0x7F);
		} else if (s == GSM7_ESC) {
			cp = 0x0020;
		} else {
			cp = gsm7_basic[s];
		}
		if (textcode_utf8_put(b, cp) < 0)
			return -1;
	}
	return 0;
}

int
gsm7_pack(const uint8_t *septets, size_t n, int fill_bits, uint8_t *out, size_t outsz)
{
	size_t bits = (size_t)fill_bits + n * 7;
	size_t octets = (bits + 7) / 8;
	if (octets > outsz)
		return -1;
	for (size_t i = 0; i < octets; i++)
		out[i] = 0;
	for (size_t i = 0; i < n; i++) {
		size_t pos = (size_t)fill_bits + i * 7;
		unsigned v = (unsigned)(septets[i] & 0x7F) << (pos % 8);
		out[pos / 8] |= (uint8_t)v;
		if (pos / 8 + 1 < octets)
			out[pos / 8 + 1] |= (uint8_t)(v >> 8);
	}
	return (int)octets;
}

int
gsm7_unpack(const uint8_t *in, size_t inlen, int fill_bits, size_t n, uint8_t *septets)
{
	size_t bits = (size_t)fill_bits + n * 7;
	if ((bits + 7) / 8 > inlen)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t pos = (size_t)fill_bits + i * 7;
		unsigned v = in[pos / 8];
		if (pos / 8 + 1 < inlen)
			v |= (unsigned)in[pos / 8 + 1] << 8;
		septets[i] = (uint8_t)((v >> (pos % 8)) & 0x7F);
	}
	return 0;
}
