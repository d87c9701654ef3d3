/* router.c - inbound -> answer: every text message from a number that can
 * be answered goes through the menu engine (or, while no content is
 * loaded, gets the configured service message); binary payloads and
 * messages from addresses that cannot be answered (operator names) or are
 * shorter than a subscriber's (short codes, operator bots: reply loops)
 * get none, and are stored all the same. */
#include "router/router.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "render/render.h"
#include "reports/reports.h"

bool
router_addr_dialable(const char *addr)
{
	size_t len = strlen(addr), digits = 0;

	for (size_t i = 0; i < len; i++) {
		if (addr[i] == '+' && i == 0)
			continue;
		if (addr[i] < '0' || addr[i] > '9')
			return false;
		digits++;
	}
	return digits >= 3 && digits <= 20;
}

bool
router_addr_subscriber(const char *addr)
{
	size_t digits = 0;

	if (!router_addr_dialable(addr))
		return false;
	for (const char *c = addr; *c != '\0'; c++)
		digits += *c >= '0' && *c <= '9';
	return digits >= ROUTER_SUBSCRIBER_DIGITS;
}

void
router_decide(const struct kawan_config *cfg, const struct store_inbound *in,
    struct router_decision *out)
{
	(void)cfg;
	memset(out, 0, sizeof(*out));
	if (!router_addr_dialable(in->sender)) {
		out->why = "sender cannot be answered";
		return;
	}
	if (!router_addr_subscriber(in->sender)) {
		/* Short codes and operator services answer automatically too:
		 * replying could start a loop that drains the SIM's credit. */
		out->why = "short code or service number: no automatic reply (loop prevention)";
		return;
	}
	if (in->flags & STORE_IN_BINARY) {
		out->why = "binary payload";
		return;
	}
	out->reply = true;
}

/* An officer's command from a roster number: 1 when in is not one. */
static int
router_officer(struct store *st, const struct router_ctx *rc, const struct store_inbound *in,
    int64_t now, struct router_answer *ans)
{
	struct reports_ctx x = { st, rc->cfg, rc->content,
		rc->engine != NULL && rc->engine->serve_fuzzy, ENGINE_SMS }; /* officers use SMS */
	char reply[640];
	/* A modem's SMS had its PIN checked and masked before it was stored. */
	enum reports_pin_src src = !(in->flags & STORE_IN_REDACTED) ? REPORTS_PIN_IN_TEXT :
				   (in->flags & STORE_IN_PIN_OK)    ? REPORTS_PIN_RIGHT :
								      REPORTS_PIN_WRONG;
	int r = reports_officer_cmd(&x, in->sender, in->text, src, now, reply, sizeof(reply));

	if (r != 0)
		return r;
	/* Officer replies are English; render/ owns what a phone receives. */
	if (reply[0] != '\0' && render_for_phone(reply, RENDER_SCRIPT_UNICODE, &ans->text) < 0)
		return -1;
	log_info("router: #%lld from %s is an officer command", (long long)in->id,
	    MASK_NUMBER(in->sender));
	return 0;
}

/* Fills ans for in: an officer's answer, the engine's page with its report
 * effects carried out, or (no content) the service message. */
static int
router_answer_for(struct store *st, const struct router_ctx *rc, const struct store_inbound *in,
    struct router_answer *ans)
{
	int64_t now = util_now_ms();
	int r;

	memset(ans, 0, sizeof(*ans));
	ans->msg_class = -1;
	r = router_officer(st, rc, in, now, ans);
	if (r <= 0)
		return r;
	if (rc->content == NULL || rc->engine == NULL) {
		ans->text = strdup(rc->cfg->router.reply_text);
		return ans->text == NULL ? -1 : 0;
	}
	if (router_menu_answer(st, rc, in, now, ans) < 0)
		return -1;
	return router_report_effects(st, rc, in->sender, now, ans);
}

static int
router_route_one(struct store *st, const struct router_ctx *rc, const struct store_inbound *in)
{
	struct router_decision d;
	struct router_answer ans = { .text = NULL, .msg_class = -1 };
	int64_t out_id = 0;
	bool held = false;

	router_decide(rc->cfg, in, &d);
	if (store_begin(st) < 0)
		return -1;
	if (in->flags & STORE_IN_CALL) {
		if (router_call_answer(st, rc, in, util_now_ms(), &ans, &d.why) < 0)
			goto fail;
	} else if (d.reply && router_answer_for(st, rc, in, &ans) < 0) {
		goto fail;
	}
	/* The reply leaves the way the message came: its channel, its modem;
	 * over the number's cap it is held for the burst (router_flood.c). */
	if (ans.text != NULL &&
	    router_flood_queue(st, rc, in, &ans, util_now_ms(), &out_id, &held) < 0)
		goto fail;
	if (store_inbound_mark_done(st, in->id) < 0)
		goto fail;
	if (store_commit(st) < 0)
		goto fail;
	if (ans.text != NULL)
		log_info("router: #%lld from %s -> reply #%lld %s", (long long)in->id,
		    MASK_NUMBER(in->sender), (long long)out_id,
		    held ? "held (over the number's answers per minute)" : "queued");
	else
		log_info("router: #%lld from %s -> no reply (%s)", (long long)in->id,
		    MASK_NUMBER(in->sender), d.why != NULL ? d.why : "nothing to show");
	free(ans.text);
	return 0;
fail:
	log_warnx("router: cannot route #%lld: %s", (long long)in->id, store_errmsg(st));
	store_rollback(st);
	free(ans.text);
	return -1;
}

int
router_dispatch(struct store *st, const struct router_ctx *rc)
{
	int routed = 0;

	for (;;) {
		struct store_inbound in;
		int rc2 = store_inbound_next_new(st, &in);

		if (rc2 == 1)
			return routed;
		if (rc2 < 0)
			return -1;
		rc2 = router_route_one(st, rc, &in);
		store_inbound_clear(&in);
		if (rc2 < 0)
			return -1;
		routed++;
	}
}
