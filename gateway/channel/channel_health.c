/* channel_health.c - a modem thread's health reads (issue 10 item 5). Runs
 * in the modem's own thread, between two sends, every health_interval:
 * signal, registration and operator through libgammu (modem ops
 * health), the parts this modem sent in the last hour and day (from the
 * store, counted with render/), then the airtime balance over USSD when
 * the modem (or its network) has a balance_ussd. A balance below
 * low_balance queues one SMS to each of the operators in the same
 * transaction that sets the modem's low_alerted mark, to leave through
 * another modem that is up (the low SIM may be unable to send; it sends
 * it only when no other can); the mark is cleared
 * only by a read at or above the threshold, so a low SIM is told about
 * once per low spell, across restarts too. */
#include "channel/channel_health.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "session/engine.h"
#include "store/store_health.h"

bool
channel_health_low_step(bool have, int64_t cents, int64_t low_cents, bool *alerted)
{
	if (!have || low_cents < 0)
		return false;
	if (cents >= low_cents) {
		*alerted = false;
		return false;
	}
	if (*alerted)
		return false;
	*alerted = true;
	return true;
}

void
channel_health_low_text(const char *name, int64_t cents, int64_t low_cents, char *buf, size_t bufsz)
{
	(void)snprintf(buf, bufsz,
	    "Kawan: modem %s airtime balance is %lld.%02lld, below %lld.%02lld. Top up its SIM.",
	    name, (long long)(cents / 100), (long long)(cents % 100), (long long)(low_cents / 100),
	    (long long)(low_cents % 100));
}

void
channel_health_error(struct store *st, const char *name, const char *why)
{
	if (st != NULL && store_health_error(st, name, why, util_now_ms()) < 0)
		log_debug("modem %s: could not record its last error", name);
}

/* Queues the low-balance SMS to every operator and sets the mark, in one
 * transaction. 0 or -1 (nothing queued, mark unchanged). */
static int
health_tell_low(struct store *st, const struct kawan_config *cfg, const char *name, int64_t cents,
    int64_t low_cents)
{
	char text[CHANNEL_LOW_TEXT_MAX];
	int64_t now = util_now_ms(), id;

	bool up[CONFIG_MAX_MODEMS];
	int64_t since;

	channel_health_low_text(name, cents, low_cents, text, sizeof(text));
	for (size_t i = 0; i < cfg->nmodems && i < CONFIG_MAX_MODEMS; i++)
		if (store_modem_state(st, cfg->modems[i].name, &up[i], &since) < 0)
			up[i] = false;
	if (store_begin(st) < 0)
		return -1;
	for (size_t i = 0; i < cfg->noperators; i++) {
		int to = config_pool_pick(cfg, up, cfg->operators[i], name, (unsigned)i);

		if (store_outbound_reply(st, engine_channel_name(ENGINE_SMS),
			to >= 0 ? cfg->modems[to].name : "", cfg->operators[i], text, -1, 0, now,
			&id) < 0)
			goto fail;
	}
	if (store_health_set_low(st, name, true) < 0 || store_commit(st) < 0)
		goto fail;
	log_warnx("modem %s: low balance %lld.%02lld (below %lld.%02lld): %zu operator%s told",
	    name, (long long)(cents / 100), (long long)(cents % 100), (long long)(low_cents / 100),
	    (long long)(low_cents % 100), cfg->noperators, cfg->noperators == 1 ? "" : "s");
	return 0;
fail:
	store_rollback(st);
	return -1;
}

/* The balance over USSD. 0, or -1 when the link was lost. */
static int
health_balance(struct store *st, struct modem *m, const struct kawan_config *cfg,
    const struct config_modem *me)
{
	const struct config_balance *b = &me->balance;
	char reply[MODEM_USSD_MAX];
	struct store_health h;
	int64_t cents = 0;
	bool have, alerted;
	int rc;

	if (b->ussd[0] == '\0' || m->ops->ussd == NULL)
		return 0;
	rc = m->ops->ussd(m, b->ussd, CHANNEL_USSD_TIMEOUT_MS, reply, sizeof(reply));
	if (rc < 0)
		return -1;
	if (rc > 0) {
		channel_health_error(st, me->name, "balance: no USSD answer");
		return 0;
	}
	rc = config_balance_parse(b->pattern, reply, &cents);
	have = rc == 0;
	if (!have) {
		log_warnx("modem %s: balance_pattern found no amount in the USSD answer", me->name);
		channel_health_error(st, me->name, "balance: pattern found no amount");
	}
	if (store_health_balance(st, me->name, have, cents, reply, util_now_ms()) < 0 ||
	    store_health_get(st, me->name, &h) < 0)
		return 0;
	alerted = h.low_alerted;
	if (channel_health_low_step(have, cents, b->low_cents, &alerted)) {
		if (health_tell_low(st, cfg, me->name, cents, b->low_cents) < 0)
			log_warnx("modem %s: could not queue the low-balance SMS", me->name);
	} else if (alerted != h.low_alerted) {
		log_info("modem %s: balance %lld.%02lld is above the low mark again", me->name,
		    (long long)(cents / 100), (long long)(cents % 100));
		if (store_health_set_low(st, me->name, alerted) < 0)
			log_warnx("modem %s: could not clear its low-balance mark", me->name);
	}
	return 0;
}

int64_t
channel_health_tick(struct channel_health *h, struct store *st, struct modem *m,
    const struct kawan_config *cfg, const struct config_modem *me)
{
	struct modem_health mh;
	struct store_health row;
	int64_t hour = 0, day = 0;
	int64_t now_mono = util_mono_ms(), now = util_now_ms();

	if (now_mono < h->next_ms)
		return h->next_ms - now_mono;
	h->next_ms = now_mono + cfg->health_interval_ms;
	memset(&row, 0, sizeof(row));
	if (util_strcopy(row.name, sizeof(row.name), me->name) < 0)
		return cfg->health_interval_ms;
	if (m->ops->health != NULL) {
		if (m->ops->health(m, &mh) < 0)
			return -1;
		row.signal_dbm = mh.signal_dbm;
		row.signal_pct = mh.signal_pct;
		if (util_strcopy(row.reg, sizeof(row.reg), mh.reg) < 0 ||
		    util_strcopy(row.operator_name, sizeof(row.operator_name), mh.operator_name) <
			0 ||
		    util_strcopy(row.network_code, sizeof(row.network_code), mh.network_code) < 0)
			row.operator_name[0] = '\0';
	} else {
		row.signal_dbm = row.signal_pct = -1;
	}
	/* The quotas' count: the parts each sent row records (store_quota.c). */
	if (store_quota_parts(st, me->name, now, &hour, &day) < 0)
		log_warnx("modem %s: could not count its sent parts", me->name);
	row.parts_hour = (int)hour;
	row.parts_day = (int)day;
	row.read_ms = util_now_ms();
	if (store_health_put(st, &row) < 0)
		log_warnx("modem %s: could not store its health", me->name);
	log_debug("modem %s: health: signal %d dBm (%d%%), %s, %s, %d/%d parts", me->name,
	    row.signal_dbm, row.signal_pct, row.reg, row.operator_name, row.parts_hour,
	    row.parts_day);
	if (health_balance(st, m, cfg, me) < 0)
		return -1;
	return cfg->health_interval_ms;
}
