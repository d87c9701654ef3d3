/* diskfull.c - the spell of a full disk shared by the modem threads
 * (diskfull.h): who logs it, who tells the operators, once. */
#include "channel/diskfull.h"

#include <stdio.h>

bool
diskfull_enter(struct diskfull *df)
{
	bool was = false;

	return atomic_compare_exchange_strong(&df->full, &was, true);
}

bool
diskfull_leave(struct diskfull *df)
{
	bool was = true;

	if (!atomic_compare_exchange_strong(&df->full, &was, false))
		return false;
	atomic_store(&df->told, false);
	return true;
}

bool
diskfull_claim_tell(struct diskfull *df, int64_t now_ms)
{
	bool was = false;
	int64_t last = atomic_load(&df->told_ms);

	if (!atomic_load(&df->full))
		return false;
	if (last != 0 && now_ms - last < DISKFULL_RETELL_MS)
		return false;
	if (!atomic_compare_exchange_strong(&df->told, &was, true))
		return false;
	atomic_store(&df->told_ms, now_ms);
	return true;
}

void
diskfull_untold(struct diskfull *df)
{
	atomic_store(&df->told_ms, 0);
	atomic_store(&df->told, false);
}

int
diskfull_text(char *buf, size_t bufsz, const char *modem)
{
	int n = snprintf(buf, bufsz,
	    "Kawan: DATABASE FULL (disk). SMS wait on the SIM of %s until space is freed; "
	    "nothing is lost yet. Free disk space on the gateway.",
	    modem);

	return n < 0 || (size_t)n >= bufsz ? -1 : 0;
}
