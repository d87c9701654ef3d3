/* router.c - inbound -> answer. Until the menu engine lands every text
 * message gets the configured reply; binary payloads and messages from
 * addresses that cannot be answered (operator names) get none. */
#include "router/router.h"

#include <string.h>

#include "core/log.h"
#include "core/util.h"

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

void
router_decide(const struct kawan_config *cfg, const struct store_inbound *in,
    struct router_decision *out)
{
	memset(out, 0, sizeof(*out));
	out->msg_class = -1;
	if (!router_addr_dialable(in->sender)) {
		out->why = "sender cannot be answered";
		return;
	}
	if (in->flags & STORE_IN_BINARY) {
		out->why = "binary payload";
		return;
	}
	out->reply = true;
	out->text = cfg->router.reply_text;
}

static int
router_route_one(struct store *st, const struct kawan_config *cfg, const struct store_inbound *in)
{
	struct router_decision d;
	int64_t out_id = 0;

	router_decide(cfg, in, &d);
	if (store_begin(st) < 0)
		return -1;
	if (d.reply && store_outbound_add(st, "sms", in->sender, d.text, d.msg_class, in->id,
	    util_now_ms(), &out_id) < 0)
		goto fail;
	if (store_inbound_mark_done(st, in->id) < 0)
		goto fail;
	if (store_commit(st) < 0)
		goto fail;
	if (d.reply)
		log_info("router: #%lld from %s -> reply #%lld queued", (long long)in->id,
		    in->sender, (long long)out_id);
	else
		log_info("router: #%lld from %s -> no reply (%s)", (long long)in->id, in->sender, d.why);
	return 0;
fail:
	log_warnx("router: cannot route #%lld: %s", (long long)in->id, store_errmsg(st));
	store_rollback(st);
	return -1;
}

int
router_dispatch(struct store *st, const struct kawan_config *cfg)
{
	int routed = 0;

	for (;;) {
		struct store_inbound in;
		int rc = store_inbound_next_new(st, &in);

		if (rc == 1)
			return routed;
		if (rc < 0)
			return -1;
		rc = router_route_one(st, cfg, &in);
		store_inbound_clear(&in);
		if (rc < 0)
			return -1;
		routed++;
	}
}
