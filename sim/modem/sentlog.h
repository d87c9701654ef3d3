/* sentlog.h - the messages the gateway sent (AT+CMGS), reassembled from
 * their concatenated parts, listed by the SENT control command. */
#ifndef SIM_SENTLOG_H
#define SIM_SENTLOG_H

#include <stdint.h>

#include "pdu.h"
#include "sbuf.h"

struct sentlog_msg {
	unsigned id;
	char dest[PDU_ADDR_MAX];
	enum pdu_coding coding;
	int msg_class;
	int has_concat;
	unsigned ref;
	int nparts, got;
	struct sbuf *parts;      /* nparts raw payloads (septets or octets), owned */
	int64_t t_first, t_last; /* wall-clock ms of the first and last part */
};

struct sentlog {
	struct sentlog_msg *msgs; /* owned array */
	size_t n, cap;
	unsigned next_id;
};

void sentlog_init(struct sentlog *l);
void sentlog_free(struct sentlog *l);
void sentlog_clear(struct sentlog *l);
/* Adds one decoded part. Returns the message id it belongs to, or -1 (no memory). */
long sentlog_add(struct sentlog *l, const struct pdu_submit *s, int64_t now_ms);
/* Appends the MSG lines of complete messages with id > since. Returns their count. */
long sentlog_dump(const struct sentlog *l, unsigned since, struct sbuf *out);

#endif
