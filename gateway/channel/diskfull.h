/* diskfull.h - a full (or failing) disk under the database, as the modem
 * threads of one gateway see it (issue 11). While the store refuses the
 * SMS read from a SIM, they stay on the SIM (invariant 1) and each sweep
 * tries again; the spell is logged loudly once, the operators are told by
 * SMS once, straight through a modem (the queue is in the database that
 * cannot take a row; nothing is recorded, so a restart during a spell may
 * tell them again), and its end is logged once. Shared by the modem
 * threads; lock-free (atomics). */
#ifndef KAWAN_DISKFULL_H
#define KAWAN_DISKFULL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DISKFULL_RETRY_MS 5000     /* a SIM is swept at least this often during a spell */
#define DISKFULL_RETELL_MS 3600000 /* a new spell within this of the last SMS: not told */

struct diskfull {
	atomic_bool full;     /* a spell is on */
	atomic_bool told;     /* the operators were told during this spell */
	atomic_llong told_ms; /* monotonic time of the last SMS to them, 0 never */
};

/* The store refused a part with a full or failing disk. true for the one
 * call that began the spell (it logs). */
bool diskfull_enter(struct diskfull *df);
/* A sweep stored everything it read. true for the one call that ended a
 * spell (it logs). */
bool diskfull_leave(struct diskfull *df);
/* During a spell: true for the one caller that must tell the operators
 * now (not yet told in this spell, none within DISKFULL_RETELL_MS of
 * now_ms, monotonic). A caller whose SMS all failed calls
 * diskfull_untold so another try is made. */
bool diskfull_claim_tell(struct diskfull *df, int64_t now_ms);
void diskfull_untold(struct diskfull *df);
/* The operators' SMS (one GSM-7 segment) naming modem into buf. 0 or -1. */
int diskfull_text(char *buf, size_t bufsz, const char *modem);

#endif
