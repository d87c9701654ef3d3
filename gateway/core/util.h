/* util.h - small helpers every stage uses: bounded copies, clocks, UTF-8 checks. */
#ifndef KAWAN_UTIL_H
#define KAWAN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies src into dst (size dstsz, always NUL-terminated when dstsz > 0).
 * Returns 0, or -1 when src did not fit (dst then holds a truncated copy). */
int util_strcopy(char *dst, size_t dstsz, const char *src) __attribute__((warn_unused_result));

/* Wall-clock milliseconds since the epoch, and monotonic milliseconds. */
int64_t util_now_ms(void);
int64_t util_mono_ms(void);

/* True when the len bytes at s are well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF) and contain no NUL. */
bool util_utf8_valid(const char *s, size_t len);

/* Parses a decimal integer in [min, max]; the whole string must be used.
 * Returns 0 or -1. Replaces atoi, which STYLE.md bans. */
int util_parse_long(const char *s, long min, long max, long *out)
    __attribute__((warn_unused_result));

/* The value of hex digit c (0-9, a-f, A-F), or -1. */
int util_hex_digit(char c);

/* FNV-1a, 64 bits, of the NUL-terminated s: a hash for tables and keys. */
uint64_t util_fnv1a64(const char *s);

#endif
