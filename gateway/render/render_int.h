/* render_int.h - helpers shared by the render files (not part of the API):
 * UTF-8 <-> ICU UTF-16 conversions with U+FFFD for invalid input. */
#ifndef KAWAN_RENDER_INT_H
#define KAWAN_RENDER_INT_H

#include <stdint.h>

#include <unicode/utypes.h>

/* A new UTF-16 copy of utf8 (invalid bytes -> U+FFFD), NUL-terminated;
 * *len gets its length in units. Caller frees. NULL on allocation failure. */
UChar *render_u16_from_utf8(const char *utf8, int32_t *len);

/* A new UTF-8 copy of the len units at u (lone surrogates -> U+FFFD).
 * Caller frees. NULL on allocation failure. */
char *render_u16_to_utf8(const UChar *u, int32_t len);

/* A new NFC copy of the len units at u; *outlen gets its length. Caller
 * frees. NULL on allocation failure. */
UChar *render_u16_nfc(const UChar *u, int32_t len, int32_t *outlen);

#endif
