/* quota.c - a modem's caps on SMS parts per hour and per day (issue 10):
 * pure arithmetic, no I/O (the counts come from the store). */
#include "channel/quota.h"

#include "store/store.h"

bool
quota_capped(const struct config_modem *md)
{
	return md->max_parts_per_hour > 0 || md->max_parts_per_day > 0;
}

bool
quota_at_cap(const struct config_modem *md, int64_t hour_parts, int64_t day_parts)
{
	return (md->max_parts_per_hour > 0 && hour_parts >= md->max_parts_per_hour) ||
	       (md->max_parts_per_day > 0 && day_parts >= md->max_parts_per_day);
}

bool
quota_may_send(const struct config_modem *md, bool at_cap, int priority)
{
	if (!at_cap)
		return true;
	return priority >= STORE_PRIORITY_URGENT && md->alerts_exceed_quota != 0;
}

int
quota_watch_update(struct quota_watch *w, bool at_cap)
{
	if (w->at_cap == at_cap)
		return 0;
	w->at_cap = at_cap;
	return at_cap ? 1 : -1;
}
