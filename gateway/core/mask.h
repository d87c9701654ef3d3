/* mask.h - phone numbers in log lines: masked to their last digits at
 * info and below, in full only when the log level is debug. */
#ifndef KAWAN_MASK_H
#define KAWAN_MASK_H

#include <stddef.h>

/* Room for any masked or revealed number (STORE_ADDR_MAX and more). */
#define MASK_NUMBER_MAX 48
/* Characters of a number left visible when masked. */
#define MASK_KEEP 3

/* Writes into buf (bufsz bytes, MASK_NUMBER_MAX is always enough) the
 * number num as a log line may show it and returns buf:
 *   log level debug:  num itself (cut to fit), the operator asked for it;
 *   any other level:  "+***123" - a '+' when num has one, three stars and
 *                     its last MASK_KEEP characters; "***" when num has
 *                     MASK_KEEP characters or fewer beyond the '+'
 *                     (nothing to single out, and nothing shown whole);
 *   NULL or "":       "(none)".
 * Borrows num; never fails (a buf too small for the result holds ""). */
const char *mask_number(const char *num, char *buf, size_t bufsz);

/* The same without the level: always masked (for tests and for text that
 * outlives the log line). */
const char *mask_number_always(const char *num, char *buf, size_t bufsz);

/* Masks s as mask_number does when it looks like a phone number ('+' and
 * digits, at least MASK_KEEP + 1 digits); otherwise returns s itself (an
 * officer's name, "kawanctl:login"). Borrows s. */
const char *mask_if_number(const char *s, char *buf, size_t bufsz);

/* mask_number on a buffer of its own that lives until the end of the
 * enclosing block: log_info("from %s", MASK_NUMBER(sender)). */
#define MASK_NUMBER(num) mask_number((num), (char[MASK_NUMBER_MAX]){ 0 }, MASK_NUMBER_MAX)

#define MASK_IF_NUMBER(s) mask_if_number((s), (char[MASK_NUMBER_MAX]){ 0 }, MASK_NUMBER_MAX)

#endif
