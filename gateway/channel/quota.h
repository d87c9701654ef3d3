/* quota.h - a modem's caps on SMS parts (issue 10): the pure arithmetic
 * that decides whether a modem may send a row, and when a modem reaches
 * or leaves its cap. No I/O: the counts come from the store
 * (store_quota_parts()). */
#ifndef KAWAN_QUOTA_H
#define KAWAN_QUOTA_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"

#define QUOTA_HOUR_MS 3600000LL
#define QUOTA_DAY_MS 86400000LL

/* Whether a modem that sent hour_parts parts in the last hour and
 * day_parts in the last 24 h is at one of its caps (0 = no cap). A modem
 * sends while under both caps; the message that reaches a cap is sent
 * whole, so a cap can be passed by at most that message's parts - 1. */
bool quota_at_cap(const struct config_modem *md, int64_t hour_parts, int64_t day_parts);

/* Whether a modem with at_cap may send a row of this priority
 * (STORE_PRIORITY_*: urgent rows are officer alerts): replies never pass a
 * cap; alerts do when alerts_exceed_quota. */
bool quota_may_send(const struct config_modem *md, bool at_cap, int priority);

/* Whether the modem has any cap (when not, nothing need be counted). */
bool quota_capped(const struct config_modem *md);

/* A modem's cap state as its thread follows it, to log each change once. */
struct quota_watch {
	bool at_cap;
};

/* Records the new state; returns +1 when the modem just reached a cap, -1
 * when it is just under again, 0 when nothing changed. */
int quota_watch_update(struct quota_watch *w, bool at_cap);

#endif
