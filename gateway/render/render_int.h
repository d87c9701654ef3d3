/* render_int.h - helpers shared by the render files (not part of the API):
 * UTF-8 <-> ICU UTF-16 conversions with U+FFFD for invalid input, NFC,
 * GSM-7 cost of a code point, and the thread's cached break iterators. */
#ifndef KAWAN_RENDER_INT_H
#define KAWAN_RENDER_INT_H

#include <stdint.h>

#include <unicode/ubrk.h>
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

/* Septets code point cp takes in GSM-7 (2 for an extension character),
 * 0 when it is not in GSM-7. */
long render_cp_septets(UChar32 cp);

/* Sets marks[i] (marks has n + 1 bytes) for every boundary of type (ICU,
 * rules of locale) in the n units at u, clears the others. Uses the
 * thread's cached iterators. 0 or -1. */
int render_mark(UBreakIteratorType type, const char *locale, const UChar *u, int32_t n,
    unsigned char *marks) __attribute__((warn_unused_result));

/* render_zawgyi.c: closes the thread's cached transliterators. */
void render_zawgyi_thread_end(void);
/* render_plain.c: closes the thread's cached transliterators. */
void render_plain_thread_end(void);

#endif
