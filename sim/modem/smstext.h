/* smstext.h - picks the coding for a UTF-8 text and splits it into SMS
 * parts (153 septets / 67 UCS-2 units / 134 octets when concatenated),
 * never splitting an escape sequence or a surrogate pair. */
#ifndef SIM_SMSTEXT_H
#define SIM_SMSTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "pdu.h"

#define SMSTEXT_MAX_PARTS 255
#define SMSTEXT_AUTO (-1)

struct smstext_part {
	uint8_t ud[PDU_UD_MAX]; /* septets (GSM-7) or octets */
	size_t len;
};

struct smstext {
	enum pdu_coding coding;
	int nparts;
	struct smstext_part *parts; /* owned; smstext_free releases */
};

/* Splits utf8 (len bytes). force is SMSTEXT_AUTO or a pdu_coding.
 * Returns 0, or -1 with a reason in err (invalid UTF-8, text not
 * representable in forced GSM-7, too many parts, no memory). */
int smstext_split(const char *utf8, size_t len, int force, struct smstext *out, char *err,
    size_t errsz);
void smstext_free(struct smstext *t);

#endif
