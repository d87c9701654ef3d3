/* channel_health.h - a modem thread's health reads (issue 10 item 5):
 * every health_interval, between sends, its signal, registration,
 * operator, parts sent and, when configured, its airtime balance over
 * USSD, stored in modem_health; one SMS to the operators per low spell. */
#ifndef KAWAN_CHANNEL_HEALTH_H
#define KAWAN_CHANNEL_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "modem/modem.h"
#include "store/store.h"

#define CHANNEL_USSD_TIMEOUT_MS 15000 /* the network's answer to a balance code */
#define CHANNEL_LOW_TEXT_MAX 161      /* the operators' SMS: one GSM-7 segment */

/* One modem thread's health clock; zeroed: read at the next turn. */
struct channel_health {
	int64_t next_ms; /* monotonic */
};

/* Pure: whether a balance read (have: an amount was found, cents) below
 * low_cents (-1: no threshold) must be told to the operators now.
 * *alerted is the mark kept between reads: set when told, cleared once
 * the balance is at or above the threshold again; an unread amount
 * leaves it. True at most once per low spell. */
bool channel_health_low_step(bool have, int64_t cents, int64_t low_cents, bool *alerted);

/* Pure: the operators' SMS about modem name's low balance into buf. */
void channel_health_low_text(const char *name, int64_t cents, int64_t low_cents, char *buf,
    size_t bufsz);

/* Reads and stores modem me's health when due (st: the thread's
 * connection, m its open modem, cfg the snapshot's configuration).
 * Returns how long until the next read (ms), or -1 when the link was lost
 * while reading. */
int64_t channel_health_tick(struct channel_health *h, struct store *st, struct modem *m,
    const struct kawan_config *cfg, const struct config_modem *me);

/* Records why modem name went down (its last error), best effort. */
void channel_health_error(struct store *st, const char *name, const char *why);

#endif
