/* outbound.c - queued -> sent | (retry with backoff) -> failed.
 *
 *   queued --modem accepted (+CMGS OK)--> sent
 *   queued --refused, attempts left-----> queued (next_attempt = now + backoff)
 *   queued --refused, no attempts left--> failed
 *
 * The row is marked only after the modem answered, so a crash while
 * sending leaves it queued and it is sent again after restart. */
#include "outbound/outbound.h"

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

enum outbound_result
outbound_send_one(struct store *st, struct modem *m, const struct kawan_config *cfg, int64_t now_ms)
{
	struct store_outbound o;
	enum outbound_result r;
	int ref = -1;
	int rc = store_outbound_next_due(st, now_ms, &o);

	if (rc == 1)
		return OUTBOUND_IDLE;
	if (rc < 0)
		return OUTBOUND_STORE_ERROR;
	switch (m->ops->send(m, o.dest, o.text, o.msg_class, &ref)) {
	case MODEM_SEND_OK:
		if (store_outbound_mark_sent(st, o.id, util_now_ms(), ref) < 0) {
			log_warnx("outbound: #%lld sent but not marked: %s", (long long)o.id,
			    store_errmsg(st));
			r = OUTBOUND_STORE_ERROR;
		} else {
			log_info("outbound: #%lld to %s accepted by modem %s (ref %d)",
			    (long long)o.id, o.dest, m->cfg.name, ref);
			r = OUTBOUND_SENT;
		}
		break;
	case MODEM_SEND_REFUSED:
		r = outbound_after_failure(st, cfg, &o, now_ms, "refused by the modem", OUTBOUND_RETRY);
		break;
	default:
		r = outbound_after_failure(st, cfg, &o, now_ms, "modem link down", OUTBOUND_LINK_DOWN);
		break;
	}
	store_outbound_clear(&o);
	return r;
}
