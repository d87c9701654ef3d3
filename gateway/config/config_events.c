/* config_events.c - what the gateway does with a modem's other events:
 * missed calls (the calls group) and delivery reports (delivery_reports). */
#include "config/config_int.h"

static const char *const config_calls_keys[] = { "menu_per_day", NULL };
/* delivery_reports, as CONFIG_DLR_* by index. */
static const char *const config_dlr_names[] = { "none", "alerts", "all" };

void
config_events_defaults(struct kawan_config *c)
{
	c->calls.menu_per_day = 3;
	c->delivery_reports = CONFIG_DLR_ALERTS;
}

int
config_events(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	config_setting_t *g;

	if (config_group(ctx, root, "calls", config_calls_keys, &g) == -1 ||
	    config_int(ctx, g, "menu_per_day", 0, 100, &c->calls.menu_per_day) == -1)
		return -1;
	return config_enum(ctx, root, "delivery_reports", config_dlr_names, 3,
	    &c->delivery_reports);
}
