/* textcode.h - hex, UTF-8 and UTF-16 conversions shared by the PDU codec,
 * the control protocol and the phone. Callers own every buffer. */
#ifndef SIM_TEXTCODE_H
#define SIM_TEXTCODE_H

#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"

/* Decodes hex text (either case, even length) into out (size outsz).
 * Returns the byte count, or -1 on odd length, a bad digit or overflow. */
int textcode_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outsz);
/* Appends bytes as hex (upper or lower case). Returns 0 or -1. */
int textcode_hex_append(struct sbuf *b, const uint8_t *p, size_t n, int upper);

/* Decodes UTF-8 into code points (out holds outmax). Returns the count,
 * or -1 when the input is not valid UTF-8 or does not fit. */
int textcode_utf8_to_cps(const char *s, size_t len, uint32_t *out, size_t outmax);
/* Appends one code point as UTF-8 (invalid ones become U+FFFD). */
int textcode_utf8_put(struct sbuf *b, uint32_t cp);

/* Code points -> UTF-16BE bytes; returns byte count or -1 when it does not fit. */
int textcode_cps_to_utf16be(const uint32_t *cps, size_t n, uint8_t *out, size_t outsz);
/* UTF-16BE bytes -> UTF-8 appended to b; lone surrogates become U+FFFD. */
int textcode_utf16be_to_utf8(const uint8_t *p, size_t n, struct sbuf *b);

#endif
