/* config_quota.c - a modem's quotas (max_parts_per_hour, max_parts_per_day,
 * alerts_exceed_quota) and its reset ladder (reset_after, reset_command)
 * (issue 10). The operators told when a modem is dead are the top-level
 * `operators` list, parsed with the health settings (config_health.c).
 * Every error is file:line. */
#include "config/config_int.h"

#include <string.h>

#include "core/util.h"

#define CONFIG_QUOTA_MAX 1000000 /* parts; far above any SIM plan */

void
config_quota_modem_defaults(struct config_modem *md)
{
	md->max_parts_per_hour = 0;
	md->max_parts_per_day = 0;
	md->alerts_exceed_quota = 1;
	md->reset_after = 5;
	md->reset_command[0] = '\0';
}

int
config_quota_modem(struct config_ctx *ctx, const config_setting_t *m, struct config_modem *md)
{
	if (config_int(ctx, m, "max_parts_per_hour", 0, CONFIG_QUOTA_MAX,
		&md->max_parts_per_hour) == -1 ||
	    config_int(ctx, m, "max_parts_per_day", 0, CONFIG_QUOTA_MAX, &md->max_parts_per_day) ==
		-1 ||
	    config_bool(ctx, m, "alerts_exceed_quota", &md->alerts_exceed_quota) == -1 ||
	    config_int(ctx, m, "reset_after", 1, 1000, &md->reset_after) == -1 ||
	    config_string(ctx, m, "reset_command", md->reset_command, sizeof(md->reset_command),
		true) == -1)
		return -1;
	/* Run with execv, never through a shell: an absolute path, no arguments. */
	if (md->reset_command[0] != '\0' &&
	    (md->reset_command[0] != '/' || strchr(md->reset_command, ' ') != NULL)) {
		config_fail(ctx, config_setting_get_member(m, "reset_command"),
		    "modem '%s': reset_command must be an absolute path to a program (no "
		    "arguments: it is run with the device as its one argument, without a shell)",
		    md->name);
		return -1;
	}
	return 0;
}
