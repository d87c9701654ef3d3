/* outbound.c - queued -> sent | (retry with backoff) -> failed.
 *
 *   queued --modem accepted (+CMGS OK)--> sent
 *   queued --refused, attempts left-----> queued (next_attempt = now + backoff)
 *   queued --refused, no attempts left--> failed
 *
 * The row is marked only after the modem answered, so a crash while
 * sending leaves it queued and it is tried again after restart.
 *
 * With send_mode = storage (the default) a try is two steps, each durable:
 *   stage: parts written to the SIM (AT+CMGW), slots committed to SQLite
 *   send:  each part the SIM does not mark sent goes out (AT+CMSS)
 * so a restart after the modem's OK but before our commit finds the parts
 * marked sent and sends nothing twice. Orphans (staged but never
 * committed, or sent and committed but not deleted) are removed by
 * outbound_clean_orphans() when the modem connects. */
#include "outbound/outbound.h"

#include <stdlib.h>

#include "core/log.h"
#include "core/util.h"

int64_t
outbound_backoff_ms(const struct config_outbound *cfg, int attempts)
{
	int64_t d = cfg->retry_min_ms;

	for (int i = 1; i < attempts && d < cfg->retry_max_ms; i++)
		d *= 2;
	return d < cfg->retry_max_ms ? d : cfg->retry_max_ms;
}

static enum outbound_result
outbound_after_failure(struct store *st, const struct kawan_config *cfg,
    const struct store_outbound *o, int64_t now_ms, const char *why, enum outbound_result r)
{
	int attempts = o->attempts + 1;
	int rc;

	if (attempts >= cfg->outbound.max_attempts) {
		rc = store_outbound_mark_failed(st, o->id, why);
		log_warnx("outbound: #%lld to %s failed for good after %d attempts (%s)",
		    (long long)o->id, o->dest, attempts, why);
	} else {
		int64_t next = now_ms + outbound_backoff_ms(&cfg->outbound, attempts);

		rc = store_outbound_mark_retry(st, o->id, next, why);
		log_info("outbound: #%lld to %s: %s; attempt %d of %d in %lld ms", (long long)o->id,
		    o->dest, why, attempts + 1, cfg->outbound.max_attempts,
		    (long long)(next - now_ms));
	}
	return rc < 0 ? OUTBOUND_STORE_ERROR : r;
}

/* Records a success: committed first, then the SIM copies may go. */
static enum outbound_result
outbound_sent(struct store *st, struct modem *m, const struct store_outbound *o, int ref,
    const struct store_slot *slots, size_t nslots)
{
	/* Marked sent and its staged parts forgotten in one commit. */
	if (store_begin(st) < 0 || store_outbound_mark_sent(st, o->id, util_now_ms(), ref) < 0 ||
	    (nslots > 0 && store_outbound_unstage(st, o->id) < 0) || store_commit(st) < 0) {
		log_warnx("outbound: #%lld sent but not marked: %s", (long long)o->id,
		    store_errmsg(st));
		store_rollback(st);
		return OUTBOUND_STORE_ERROR;
	}
	log_info("outbound: #%lld to %s accepted by modem %s (ref %d)", (long long)o->id,
	    o->dest, m->cfg.name, ref);
	/* A crash here leaves sent copies on the SIM: orphans, cleaned on connect. */
	if (nslots > 0)
		(void)m->ops->unstage(m, slots, nslots);
	return OUTBOUND_SENT;
}

static enum outbound_result
outbound_from_result(struct store *st, const struct kawan_config *cfg,
    const struct store_outbound *o, int64_t now_ms, enum modem_send_result r)
{
	switch (r) {
	case MODEM_SEND_REFUSED:
		return outbound_after_failure(st, cfg, o, now_ms, "refused by the modem", OUTBOUND_RETRY);
	case MODEM_SEND_GONE:
		if (store_outbound_unstage(st, o->id) < 0)
			return OUTBOUND_STORE_ERROR;
		return outbound_after_failure(st, cfg, o, now_ms, "stored copy gone; storing again",
		    OUTBOUND_RETRY);
	default:
		return outbound_after_failure(st, cfg, o, now_ms, "modem link down", OUTBOUND_LINK_DOWN);
	}
}

static enum outbound_result
outbound_send_direct(struct store *st, struct modem *m, const struct kawan_config *cfg,
    const struct store_outbound *o, int64_t now_ms)
{
	int ref = -1;
	enum modem_send_result r = m->ops->send(m, o->dest, o->text, o->msg_class, &ref);

	if (r == MODEM_SEND_OK)
		return outbound_sent(st, m, o, ref, NULL, 0);
	return outbound_from_result(st, cfg, o, now_ms, r);
}

static enum outbound_result
outbound_send_staged(struct store *st, struct modem *m, const struct kawan_config *cfg,
    const struct store_outbound *o, int64_t now_ms)
{
	struct store_slot slots[STORE_MAX_PARTS];
	size_t n = 0;
	int ref = -1, r;

	if (store_outbound_staged(st, o->id, slots, STORE_MAX_PARTS, &n) < 0)
		return OUTBOUND_STORE_ERROR;
	if (n == 0) {
		r = m->ops->stage(m, o->dest, o->text, o->msg_class, slots, STORE_MAX_PARTS, &n);
		if (r == MODEM_SEND_UNSUPPORTED) {
			log_warnx("modem %s cannot store outgoing SMS (AT+CMGW); sending directly "
			    "with AT+CMGS, where a crash at the wrong moment can send a reply twice",
			    m->cfg.name);
			m->cannot_stage = true;
			return outbound_send_direct(st, m, cfg, o, now_ms);
		}
		if (r != MODEM_SEND_OK)
			return outbound_from_result(st, cfg, o, now_ms, (enum modem_send_result)r);
		if (store_outbound_stage(st, o->id, slots, n) < 0) {
			(void)m->ops->unstage(m, slots, n);
			return OUTBOUND_STORE_ERROR;
		}
	}
	r = m->ops->send_staged(m, slots, n, &ref);
	if (r == MODEM_SEND_OK)
		return outbound_sent(st, m, o, ref, slots, n);
	return outbound_from_result(st, cfg, o, now_ms, (enum modem_send_result)r);
}

enum outbound_result
outbound_send_one(struct store *st, struct modem *m, const struct kawan_config *cfg, int64_t now_ms)
{
	struct store_outbound o;
	enum outbound_result r;
	int rc = store_outbound_next_due(st, now_ms, &o);

	if (rc == 1)
		return OUTBOUND_IDLE;
	if (rc < 0)
		return OUTBOUND_STORE_ERROR;
	if (m->cfg.send_mode == SEND_MODE_DIRECT || m->cannot_stage)
		r = outbound_send_direct(st, m, cfg, &o, now_ms);
	else
		r = outbound_send_staged(st, m, cfg, &o, now_ms);
	store_outbound_clear(&o);
	return r;
}

int
outbound_clean_orphans(struct store *st, struct modem *m)
{
	struct store_slot *slots = NULL;
	size_t n = 0;
	int removed = 0;

	if (m->cfg.send_mode == SEND_MODE_DIRECT || m->cannot_stage)
		return 0;
	if (m->ops->list_staged(m, &slots, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool used;

		if (store_slot_in_use(st, slots[i].folder, slots[i].location, &used) < 0) {
			free(slots);
			return -1;
		}
		if (used)
			continue;
		if (m->ops->unstage(m, &slots[i], 1) == 0)
			removed++;
	}
	if (removed > 0)
		log_info("outbound: removed %d stored reply part%s no queued message needs",
		    removed, removed == 1 ? "" : "s");
	free(slots);
	return removed;
}
