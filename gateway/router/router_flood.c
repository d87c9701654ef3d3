/* router_flood.c - at most router.max_answers_per_minute automatic answers
 * per number per minute (issue 11). Every message is stored and routed as
 * always (its session moves on, a report it opens is opened and alerted);
 * only its answer waits: over the cap, the number's answer is held (one
 * outbound row, held = 1) and each later message's answer replaces it,
 * until the number has been quiet for ROUTER_FLOOD_QUIET_MS; then the held
 * row is due and the burst gets one reply, its last page. Officers',
 * supervisors' and the NGO desk's numbers have a higher cap of their own
 * (router.officer_answers_per_minute): their commands matter, but a
 * roster number can be spoofed, and a flood under it must not drain the
 * SIM either. 0 turns a cap off. USSD hops have their own limit per
 * phoneNumber (ussd.rate_per_minute, channel_ussd.c). */
#include "router/router.h"

#include "core/log.h"
#include "core/mask.h"

int
router_flood_cap(const struct kawan_config *cfg, const char *number)
{
	if (router_call_from_officer(cfg, number))
		return cfg->router.officer_answers_per_minute;
	return cfg->router.max_answers_per_minute;
}

int
router_flood_queue(struct store *st, const struct router_ctx *rc, const struct store_inbound *in,
    const struct router_answer *ans, int64_t now_ms, int64_t *out_id, bool *held)
{
	int cap = router_flood_cap(rc->cfg, in->sender), n = 0;
	int64_t due = now_ms + ROUTER_FLOOD_QUIET_MS;
	int r;

	*held = false;
	if (cap > 0) {
		/* A burst already held: this answer replaces its page. */
		r = store_outbound_hold_update(st, in->channel, in->modem, in->sender, ans->text,
		    ans->msg_class, in->id, now_ms, ROUTER_FLOOD_MARGIN_MS, due, out_id);
		if (r < 0)
			return -1;
		if (r == 0) {
			*held = true;
			return 0;
		}
		if (store_answers_since(st, in->sender, now_ms - ROUTER_FLOOD_WINDOW_MS, &n) < 0)
			return -1;
		if (n >= cap) {
			log_info("router: %s got %d answers in the last minute (cap %d): "
				 "holding the answer until the burst is over",
			    MASK_NUMBER(in->sender), n, cap);
			*held = true;
			return store_outbound_hold(st, in->channel, in->modem, in->sender,
			    ans->text, ans->msg_class, in->id, now_ms, due, out_id);
		}
	}
	return store_outbound_reply(st, in->channel, in->modem, in->sender, ans->text,
	    ans->msg_class, in->id, now_ms, out_id);
}
