/* concat.c - joining concatenated SMS parts and the dedupe keys, free of
 * libgammu so both are unit-tested on their own (tests/unit/test_concat.c). */
#include "inbound/concat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

bool
concat_is_fragment(const struct modem_part *p)
{
	return p->ref >= 0 && p->total > 1 && p->total <= MODEM_MAX_PARTS && p->seq >= 1 &&
	       p->seq <= p->total;
}

int
concat_key(char *key, size_t keysz, const char *sender, int64_t sent_at_ms, int ref, int total,
    int seq, int location, const char *text)
{
	int n;

	if (seq > 0)
		n = snprintf(key, keysz, "%s|%lld|%d/%d/%d|%d|%016llx", sender,
		    (long long)sent_at_ms, ref, total, seq, location,
		    (unsigned long long)util_fnv1a64(text));
	else
		n = snprintf(key, keysz, "%s|%lld|%d/%d|%d|%016llx", sender, (long long)sent_at_ms,
		    ref, total, location, (unsigned long long)util_fnv1a64(text));
	return n < 0 || (size_t)n >= keysz ? -1 : 0;
}

char *
concat_join(const struct concat_piece *pieces, size_t n, int total, int *missing)
{
	size_t len = 1, used = 0;
	char *text;

	for (size_t i = 0; i < n; i++)
		len += strlen(pieces[i].text);
	text = malloc(len);
	if (text == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(pieces[i].text);

		memcpy(text + used, pieces[i].text, l);
		used += l;
	}
	text[used] = '\0';
	*missing = total - (int)n > 0 ? total - (int)n : 0;
	return text;
}
