/* inbound.h - moves SMS from the modem's SIM into the durable inbound queue:
 * each message is committed to SQLite before its SIM copy is deleted. */
#ifndef KAWAN_INBOUND_H
#define KAWAN_INBOUND_H

#include <stddef.h>

#include "config/config.h"
#include "modem/modem.h"
#include "store/store.h"

struct inbound_counts {
	size_t stored;       /* new rows committed */
	size_t duplicates;   /* already stored (re-read after a crash), now deleted */
	size_t rejected;     /* unusable, logged, stored flagged for the audit */
};

/* Reads what the SIM holds, stores it, then deletes it from the SIM.
 * Borrows everything. Returns 0, or -1 when the modem link failed
 * (what was committed stays committed; what was not stays on the SIM). */
int inbound_sweep(struct store *st, struct modem *m, const struct kawan_config *cfg,
    struct inbound_counts *counts) __attribute__((warn_unused_result));

/* Makes text fit max_bytes without cutting a UTF-8 sequence. Returns true
 * when it cut anything. Exposed for tests. */
int inbound_clip_utf8(char *text, size_t max_bytes);

#endif
