/* charset.h - UTF-8 <-> UTF-16BE (libgammu's "unicode" strings) and the
 * GSM 03.38 default alphabet test that decides GSM-7 or UCS-2 coding. */
#ifndef KAWAN_CHARSET_H
#define KAWAN_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes one UTF-8 code point at s (len bytes available). Returns its
 * length in bytes and sets *cp, or returns 0 on an invalid sequence. */
size_t charset_utf8_next(const char *s, size_t len, unsigned *cp);

/* Encodes UTF-8 src as UTF-16BE into dst (dstsz bytes), terminated by two
 * zero bytes, as libgammu expects. Invalid input bytes become U+FFFD.
 * Returns the number of UTF-16 units written, or -1 if dst is too small. */
long charset_utf8_to_utf16be(const char *src, unsigned char *dst, size_t dstsz);

/* Decodes nunits UTF-16BE units at src into UTF-8 in dst (dstsz bytes,
 * NUL-terminated). Lone surrogates and NUL become U+FFFD.
 * Returns bytes written (without NUL) or -1 if dst is too small. */
long charset_utf16be_to_utf8(const unsigned char *src, size_t nunits, char *dst, size_t dstsz);

/* Length in units of a zero-terminated UTF-16BE string. */
size_t charset_utf16be_len(const unsigned char *s);

/* True when every character of UTF-8 s is in the GSM 03.38 default
 * alphabet or its extension table. */
bool charset_gsm7_fits(const char *s);

/* Septets s needs in GSM-7 (extension characters count two); -1 if it
 * does not fit GSM-7. */
long charset_gsm7_septets(const char *s);

#endif
