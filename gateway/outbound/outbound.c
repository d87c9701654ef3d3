/* outbound.c - queued -> sent | (retry with backoff) -> failed, for one modem.
 *
 *   queued --modem accepted (+CMGS OK)--> sent
 *   queued --refused, attempts left-----> queued (next_attempt = now + backoff)
 *   queued --refused, no attempts left--> failed
 *   queued --storage full---------------> queued (deferred; no attempt counted;
 *                                          urgent rows go out with AT+CMGS instead)
 *
 * The row is marked only after the modem answered, so a crash while
 * sending leaves it queued and it is tried again after restart. When the
 * modem accepted a message but the "sent" commit fails (the database busy
 * or full), the acceptance is kept in struct outbound and only the commit
 * is retried (outbound_record()): nothing the modem accepted is sent again.
 *
 * With send_mode = storage (the default) a try is two steps, each durable:
 *   stage: parts written to the SIM (AT+CMGW), slots committed to SQLite
 *   send:  each part the SIM does not mark sent goes out (AT+CMSS)
 * so a restart after the modem's OK but before our commit finds the parts
 * marked sent and sends nothing twice. Orphans (staged but never
 * committed, or sent and committed but not deleted) are removed by
 * outbound_clean_orphans() when the modem connects.
 *
 * A message that asks for a status report cannot be stored that way
 * (libgammu drops the request on AT+CMGW) and goes with AT+CMGS; it is
 * marked in doubt first, so that after a crash the network's report of a
 * copy that left records it rather than a second copy (store_doubt.c). */
#include "outbound/outbound.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "session/engine.h"

void
outbound_init(struct outbound *ob, struct store *st, struct modem *m)
{
	memset(ob, 0, sizeof(*ob));
	ob->st = st;
	ob->m = m;
}

int64_t
outbound_backoff_ms(const struct config_outbound *cfg, int attempts)
{
	int64_t d = cfg->retry_min_ms;

	for (int i = 1; i < attempts && d < cfg->retry_max_ms; i++)
		d *= 2;
	return d < cfg->retry_max_ms ? d : cfg->retry_max_ms;
}

static void
outbound_to_store(const struct modem_slot *in, struct store_slot *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[i].folder = in[i].folder;
		out[i].location = in[i].location;
	}
}

static enum outbound_result
outbound_after_failure(struct outbound *ob, const struct kawan_config *cfg,
    const struct store_outbound *o, int64_t now_ms, const char *why, enum outbound_result r)
{
	int attempts = o->attempts + 1;
	int rc;

	if (attempts >= cfg->outbound.max_attempts) {
		rc = store_outbound_mark_failed(ob->st, o->id, why);
		log_warnx("outbound: #%lld to %s failed for good after %d attempts (%s)",
		    (long long)o->id, MASK_NUMBER(o->dest), attempts, why);
	} else {
		int64_t next = now_ms + outbound_backoff_ms(&cfg->outbound, attempts);

		rc = store_outbound_mark_retry(ob->st, o->id, next, why);
		log_info("outbound: #%lld to %s: %s; attempt %d of %d in %lld ms", (long long)o->id,
		    MASK_NUMBER(o->dest), why, attempts + 1, cfg->outbound.max_attempts,
		    (long long)(next - now_ms));
	}
	return rc < 0 ? OUTBOUND_STORE_ERROR : r;
}

/* Commits the pending acceptance: marked sent and its staged parts
 * forgotten in one commit; then the SIM copies may go. */
static int
outbound_record(struct outbound *ob)
{
	struct store *st = ob->st;

	if (store_begin(st) < 0 ||
	    store_outbound_mark_sent(st, ob->pending_id, util_now_ms(), ob->pending_ref) < 0 ||
	    (ob->pending_n > 0 && store_outbound_unstage(st, ob->pending_id) < 0) ||
	    (ob->pending_dlr && store_outbound_dlr_pending(st, ob->pending_id) < 0) ||
	    store_quota_set_parts(st, ob->pending_id, ob->pending_parts) < 0 ||
	    store_commit(st) < 0) {
		int64_t sent_ms = 0;
		char why[160];

		snprintf(why, sizeof(why), "%s", store_errmsg(st));
		store_rollback(st);
		/* Its own status report may have come first and recorded it
		 * (a try in doubt, store_doubt.c): then all is recorded. */
		if (store_outbound_sent_at(st, ob->pending_id, &sent_ms) == 0) {
			log_info("outbound: #%lld accepted by modem %s was already recorded "
				 "sent (by its status report)",
			    (long long)ob->pending_id, ob->m->cfg.name);
			ob->pending = false;
			return 0;
		}
		log_warnx("outbound: #%lld accepted by modem %s but not yet recorded (%s); "
			  "retrying the commit, never the send",
		    (long long)ob->pending_id, ob->m->cfg.name, why);
		return -1;
	}
	log_info("outbound: #%lld accepted by modem %s (ref %d)", (long long)ob->pending_id,
	    ob->m->cfg.name, ob->pending_ref);
	ob->pending = false;
	/* A crash here leaves sent copies on the SIM: orphans, cleaned on connect. */
	if (ob->pending_n > 0)
		(void)ob->m->ops->delete (ob->m, ob->pending_slots, ob->pending_n);
	return 0;
}

/* The modem accepted o: remember that first, then record it. */
static enum outbound_result
outbound_accepted(struct outbound *ob, const struct store_outbound *o, int ref,
    const struct modem_slot *slots, size_t nslots)
{
	ob->pending = true;
	ob->pending_id = o->id;
	ob->pending_ref = ref;
	ob->pending_n = nslots;
	ob->pending_dlr = ob->m->want_report;
	ob->pending_parts = nslots > 0            ? (int)nslots :
			    ob->m->sent_parts > 0 ? ob->m->sent_parts :
						    1;
	if (nslots > 0)
		memcpy(ob->pending_slots, slots, nslots * sizeof(*slots));
	return outbound_record(ob) < 0 ? OUTBOUND_STORE_ERROR : OUTBOUND_SENT;
}

static enum outbound_result
outbound_from_result(struct outbound *ob, const struct kawan_config *cfg,
    const struct store_outbound *o, int64_t now_ms, enum modem_send_result r)
{
	switch (r) {
	case MODEM_SEND_REFUSED:
		return outbound_after_failure(ob, cfg, o, now_ms, "refused by the modem",
		    OUTBOUND_RETRY);
	case MODEM_SEND_GONE:
		if (store_outbound_unstage(ob->st, o->id) < 0)
			return OUTBOUND_STORE_ERROR;
		return outbound_after_failure(ob, cfg, o, now_ms, "stored copy gone; storing again",
		    OUTBOUND_RETRY);
	default:
		return outbound_after_failure(ob, cfg, o, now_ms, "modem link down",
		    OUTBOUND_LINK_DOWN);
	}
}

/* A message that asks for a status report goes with AT+CMGS, where a
 * crash after the modem took it would send it again: it is marked in
 * doubt first (store_doubt.c), so the network's report of a copy that
 * left records it instead. A refusal ends the doubt; a lost link keeps it
 * (the copy may have left). */
static enum outbound_result
outbound_send_direct(struct outbound *ob, const struct kawan_config *cfg,
    const struct store_outbound *o, int64_t now_ms)
{
	int parts = ob->m->want_report && ob->m->ops->parts != NULL ?
			ob->m->ops->parts(ob->m, o->dest, o->text, o->msg_class) :
			-1;
	bool doubt = parts >= 1;
	int ref = -1;
	enum modem_send_result r;

	if (doubt && store_outbound_doubt(ob->st, ob->m->cfg.name, o->id, parts, now_ms,
			 now_ms + cfg->outbound.report_wait_ms) < 0)
		return OUTBOUND_STORE_ERROR;
	ob->m->sent_parts = 0;
	r = ob->m->ops->send(ob->m, o->dest, o->text, o->msg_class, &ref);

	if (r == MODEM_SEND_OK)
		return outbound_accepted(ob, o, ref, NULL, 0);
	if (doubt && r == MODEM_SEND_REFUSED && store_outbound_doubt_clear(ob->st, o->id) < 0)
		return OUTBOUND_STORE_ERROR;
	return outbound_from_result(ob, cfg, o, now_ms, r);
}

/* The storage is full: an urgent message goes out directly; the rest wait
 * without losing an attempt, and the caller sweeps the inbox. */
static enum outbound_result
outbound_storage_full(struct outbound *ob, const struct kawan_config *cfg,
    const struct store_outbound *o, int64_t now_ms)
{
	if (o->priority >= STORE_PRIORITY_URGENT) {
		log_warnx("outbound: modem %s storage full; urgent #%lld goes out with AT+CMGS",
		    ob->m->cfg.name, (long long)o->id);
		return outbound_send_direct(ob, cfg, o, now_ms);
	}
	log_warnx("outbound: modem %s storage full; #%lld waits (no attempt counted)",
	    ob->m->cfg.name, (long long)o->id);
	if (store_outbound_defer(ob->st, o->id, now_ms + cfg->outbound.retry_min_ms,
		"modem storage full") < 0)
		return OUTBOUND_STORE_ERROR;
	return OUTBOUND_FULL;
}

static enum outbound_result
outbound_send_staged(struct outbound *ob, const struct kawan_config *cfg,
    const struct store_outbound *o, int64_t now_ms)
{
	struct store_slot stored[STORE_MAX_PARTS];
	struct modem_slot slots[MODEM_MAX_OUT];
	struct modem *m = ob->m;
	size_t n = 0;
	int ref = -1;
	enum modem_send_result r;

	if (store_outbound_staged(ob->st, o->id, stored, STORE_MAX_PARTS, &n) < 0 ||
	    n > MODEM_MAX_OUT)
		return OUTBOUND_STORE_ERROR;
	for (size_t i = 0; i < n; i++) {
		slots[i].folder = stored[i].folder;
		slots[i].location = stored[i].location;
	}
	if (n == 0) {
		r = m->ops->stage(m, o->dest, o->text, o->msg_class, slots, MODEM_MAX_OUT, &n);
		if (r == MODEM_SEND_UNSUPPORTED) {
			log_warnx(
			    "modem %s cannot store outgoing SMS (AT+CMGW); sending directly "
			    "with AT+CMGS, where a crash at the wrong moment can send a reply twice",
			    m->cfg.name);
			m->cannot_stage = true;
			return outbound_send_direct(ob, cfg, o, now_ms);
		}
		if (r == MODEM_SEND_FULL)
			return outbound_storage_full(ob, cfg, o, now_ms);
		if (r != MODEM_SEND_OK)
			return outbound_from_result(ob, cfg, o, now_ms, r);
		outbound_to_store(slots, stored, n);
		if (store_outbound_stage(ob->st, o->id, stored, n) < 0) {
			(void)m->ops->delete (m, slots, n);
			return OUTBOUND_STORE_ERROR;
		}
	}
	r = m->ops->send_staged(m, slots, n, &ref);
	if (r == MODEM_SEND_OK)
		return outbound_accepted(ob, o, ref, slots, n);
	return outbound_from_result(ob, cfg, o, now_ms, r);
}

/* Whether o's parts already wait on the SIM (staged before a restart or a
 * settings change): they leave from there, as they were stored. */
static bool
outbound_is_staged(struct outbound *ob, const struct store_outbound *o)
{
	struct store_slot stored[STORE_MAX_PARTS];
	size_t n = 0;

	if (ob->m->cfg.send_mode == SEND_MODE_DIRECT || ob->m->cannot_stage)
		return false;
	return store_outbound_staged(ob->st, o->id, stored, STORE_MAX_PARTS, &n) < 0 || n > 0;
}

enum outbound_result
outbound_send_one(struct outbound *ob, const struct kawan_config *cfg, int64_t now_ms)
{
	struct store_outbound o;
	enum outbound_result r;
	int rc;

	if (ob->pending)
		return outbound_record(ob) < 0 ? OUTBOUND_STORE_ERROR : OUTBOUND_SENT;
	rc = store_outbound_take(ob->st, engine_channel_name(ENGINE_SMS), ob->m->cfg.name, now_ms,
	    &o);
	if (rc == 1)
		return OUTBOUND_IDLE;
	if (rc < 0)
		return OUTBOUND_STORE_ERROR;
	if (o.priority < ob->min_priority) {
		/* at its cap (quotas): the failover pass moves it to a modem under its cap */
		store_outbound_clear(&o);
		return OUTBOUND_IDLE;
	}
	/* libgammu 1.42 stores (AT+CMGW) every outgoing PDU as a plain
	 * submit, dropping a status-report request: a message that asks for
	 * one goes out with AT+CMGS. */
	ob->m->want_report = outbound_wants_report(cfg, &o) && !outbound_is_staged(ob, &o);
	if (ob->m->cfg.send_mode == SEND_MODE_DIRECT || ob->m->cannot_stage || ob->m->want_report)
		r = outbound_send_direct(ob, cfg, &o, now_ms);
	else
		r = outbound_send_staged(ob, cfg, &o, now_ms);
	store_outbound_clear(&o);
	return r;
}

int
outbound_clean_orphans(struct outbound *ob)
{
	struct modem_slot *slots = NULL;
	struct modem *m = ob->m;
	size_t n = 0;
	int removed = 0;

	if (m->cfg.send_mode == SEND_MODE_DIRECT || m->cannot_stage)
		return 0;
	if (m->ops->list_staged(m, &slots, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool used;

		if (store_slot_in_use(ob->st, m->cfg.name, slots[i].folder, slots[i].location,
			&used) < 0) {
			free(slots);
			return -1;
		}
		/* The slot of a part accepted but not yet recorded is in use too. */
		for (size_t k = 0; ob->pending && k < ob->pending_n; k++)
			if (ob->pending_slots[k].folder == slots[i].folder &&
			    ob->pending_slots[k].location == slots[i].location)
				used = true;
		if (used)
			continue;
		if (m->ops->delete (m, &slots[i], 1) == 0)
			removed++;
	}
	if (removed > 0)
		log_info(
		    "outbound: modem %s: removed %d stored reply part%s no queued message needs",
		    m->cfg.name, removed, removed == 1 ? "" : "s");
	free(slots);
	return removed;
}

bool
outbound_wants_report(const struct kawan_config *cfg, const struct store_outbound *o)
{
	switch (cfg->delivery_reports) {
	case CONFIG_DLR_ALL:
		return true;
	case CONFIG_DLR_ALERTS:
		return o->priority >= STORE_PRIORITY_URGENT;
	default:
		return false;
	}
}
