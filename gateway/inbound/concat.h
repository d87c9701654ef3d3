/* concat.h - concatenated SMS, without libgammu: which parts belong
 * together, joining their texts, and the dedupe keys that invariant 1 rests
 * on (a message re-read from the SIM after a crash between commit and
 * delete must be recognised, and a reused slot must not be mistaken for
 * the old message). Pure functions: no I/O. */
#ifndef KAWAN_CONCAT_H
#define KAWAN_CONCAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "modem/modem.h"

#define CONCAT_KEY_MAX 128 /* fits STORE_KEY_MAX */

/* True when p is one part of a concatenated SMS that can be joined (a
 * reference, 2..MODEM_MAX_PARTS parts, a sequence number in range).
 * Anything else is stored as a message of its own. */
bool concat_is_fragment(const struct modem_part *p);

/* The dedupe key of a message (seq 0) or of one fragment (seq >= 1):
 * sender, SMSC time, reference/total[/seq], the first part's location and
 * a hash of the text. Borrows its arguments. 0, or -1 when it did not fit. */
int concat_key(char *key, size_t keysz, const char *sender, int64_t sent_at_ms, int ref, int total,
    int seq, int location, const char *text) __attribute__((warn_unused_result));

/* One fragment's text and number, as the joiner reads it. */
struct concat_piece {
	int seq;
	const char *text; /* borrowed */
};

/* Joins pieces (sorted by seq, at most one per seq) of a message of total
 * parts. Returns the joined text (the caller frees it) and sets *missing to
 * how many parts were not there; NULL when out of memory. */
char *concat_join(const struct concat_piece *pieces, size_t n, int total, int *missing);

#endif
