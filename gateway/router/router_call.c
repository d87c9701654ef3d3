/* router_call.c - a missed call gets the menu: workers without credit ring
 * the helpline and hang up; the modem thread rejected the call and stored
 * it (inbound row flagged STORE_IN_CALL); here the core decides whether
 * the caller gets the home menu by SMS, in their language (the language
 * list when none), through the modem the call came in on: never a
 * withheld or undialable number, never an officer, the NGO desk or a
 * number that sent STOP, at most calls.menu_per_day times in 24 hours. */
#include "router/router.h"

#include <string.h>

#include "core/log.h"
#include "core/mask.h"

bool
router_call_from_officer(const struct kawan_config *cfg, const char *number)
{
	if (number[0] == '\0')
		return false;
	for (size_t i = 0; i < cfg->nrosters; i++) {
		const struct config_roster *ro = &cfg->rosters[i];

		for (size_t k = 0; k < ro->nofficers; k++)
			if (strcmp(ro->officers[k].number, number) == 0)
				return true;
		if (strcmp(ro->supervisor.number, number) == 0)
			return true;
	}
	return strcmp(cfg->ngo_desk.number, number) == 0;
}

const char *
router_call_gate(const struct kawan_config *cfg, const char *number, bool opted_out, bool officer,
    int answered)
{
	if (!router_addr_dialable(number))
		return "withheld or undialable number";
	if (!router_addr_subscriber(number))
		return "short code or service number (no automatic reply)";
	if (officer)
		return "an officer's number";
	if (opted_out)
		return "the number sent STOP";
	if (cfg->calls.menu_per_day <= 0)
		return "calls.menu_per_day is 0";
	if (answered >= cfg->calls.menu_per_day)
		return "calls.menu_per_day reached";
	return NULL;
}

int
router_call_answer(struct store *st, const struct router_ctx *rc, const struct store_inbound *in,
    int64_t now_ms, struct router_answer *ans, const char **why)
{
	struct store_prefs prefs;
	bool officer = router_call_from_officer(rc->cfg, in->sender);
	int answered = 0;

	memset(ans, 0, sizeof(*ans));
	ans->msg_class = -1;
	*why = NULL;
	memset(&prefs, 0, sizeof(prefs));
	if (router_addr_dialable(in->sender) && !officer) {
		if (store_prefs_get(st, in->sender, &prefs) < 0 ||
		    store_call_answers_since(st, in->sender, now_ms - ROUTER_CALL_WINDOW_MS,
			&answered) < 0)
			return -1;
	}
	*why = router_call_gate(rc->cfg, in->sender, prefs.opted_out != 0, officer, answered);
	if (*why != NULL)
		return 0;
	if (rc->content == NULL || rc->engine == NULL) {
		*why = "no content loaded";
		return 0;
	}
	if (router_menu_home(st, rc, in->channel, in->sender, now_ms, ans) < 0)
		return -1;
	log_info("router: call #%lld from %s gets the menu in %s (%d of %d today)",
	    (long long)in->id, MASK_NUMBER(in->sender), ans->lang, answered + 1,
	    rc->cfg->calls.menu_per_day);
	return 0;
}
