/* gsm7.h - the GSM 03.38 default alphabet and extension table, and septet
 * packing with fill bits (3GPP TS 23.038). Pure functions; callers own buffers. */
#ifndef SIM_GSM7_H
#define SIM_GSM7_H

#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"

#define GSM7_ESC 0x1B

/* Maps one code point to 1 septet (default alphabet) or 2 (ESC + extension).
 * Returns the septet count written to out[2], or 0 when not representable. */
int gsm7_from_cp(uint32_t cp, uint8_t out[2]);
/* Appends the UTF-8 of septets (escapes resolved; unknown ones become space). */
int gsm7_to_utf8(const uint8_t *septets, size_t n, struct sbuf *b);

/* Packs n septets after fill_bits zero bits (0..6). Returns the octet
 * count, or -1 when outsz is too small. */
int gsm7_pack(const uint8_t *septets, size_t n, int fill_bits, uint8_t *out, size_t outsz);
/* Unpacks n septets that start after fill_bits bits of in (inlen octets).
 * Returns 0, or -1 when in is too short. */
int gsm7_unpack(const uint8_t *in, size_t inlen, int fill_bits, size_t n, uint8_t *septets);

#endif
