/* store_health.h - each modem's health (issue 10 item 5): one modem_health
 * row per configured modem name (schema 14), written by that modem's
 * thread, read by kawanctl modems together with modem_sim. */
#ifndef KAWAN_STORE_HEALTH_H
#define KAWAN_STORE_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_HEALTH_TEXT_MAX 192

/* One modem's health row (and, from store_health_each, its modem_sim row). */
struct store_health {
	char name[32];
	int64_t read_ms;           /* when signal and network were read; 0 never */
	int signal_dbm;            /* -1 unknown */
	int signal_pct;            /* 0..100, -1 unknown */
	char reg[16];              /* home, roaming, searching, denied, none, unknown */
	char operator_name[64];    /* as the network names itself */
	char network_code[12];     /* MCC MNC, "502 12" */
	int parts_hour, parts_day; /* SMS parts sent in the last hour / day */
	char last_error[STORE_HEALTH_TEXT_MAX];
	int64_t last_error_ms;
	bool have_balance;
	int64_t balance_cents;
	char balance_text[STORE_HEALTH_TEXT_MAX]; /* the network's USSD answer */
	int64_t balance_ms;                       /* when read; 0 never */
	bool low_alerted; /* the operators were told it is low; cleared when it is not */
	/* modem_sim (filled by store_health_each only; "" / false when none). */
	char imsi[24];
	char device[256];
	bool up;
	int64_t since_ms;
};

/* Writes h's read part (read_ms, signal, reg, operator, network code,
 * parts, last error) under h->name; the balance columns are left as they
 * are. Borrows h. 0 or -1. */
int store_health_put(struct store *st, const struct store_health *h)
    __attribute__((warn_unused_result));
/* Records the last error seen on modem name (text cut to fit). 0 or -1. */
int store_health_error(struct store *st, const char *name, const char *text, int64_t now_ms)
    __attribute__((warn_unused_result));
/* Records a balance read (have: an amount was found in text). 0 or -1. */
int store_health_balance(struct store *st, const char *name, bool have, int64_t cents,
    const char *text, int64_t now_ms) __attribute__((warn_unused_result));
/* Sets or clears name's low_alerted mark. 0 or -1. */
int store_health_set_low(struct store *st, const char *name, bool alerted)
    __attribute__((warn_unused_result));
/* Reads name's row into *out. 0 found, 1 none, -1 error. */
int store_health_get(struct store *st, const char *name, struct store_health *out)
    __attribute__((warn_unused_result));
/* Calls fn for every modem named in modem_sim or modem_health, by name,
 * with both rows joined (out is the callee's to read during the call).
 * fn returns 0 to go on. 0, or -1 on a store error or when fn stopped. */
int store_health_each(struct store *st, int (*fn)(const struct store_health *h, void *arg),
    void *arg) __attribute__((warn_unused_result));

#endif
