/* config_quota.c - a modem's quotas (max_parts_per_hour, max_parts_per_day,
 * alerts_exceed_quota) and its reset ladder (reset_after, reset_command),
 * and the top-level operators list told when a modem is dead (issue 10).
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

static bool
config_msisdn_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 4 || n > 16 || s[0] != '+')
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int
config_quota(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	const config_setting_t *list = config_setting_get_member(root, "operators");
	int n;

	c->noperators = 0;
	if (list == NULL)
		return 0;
	if (!config_setting_is_array(list)) {
		config_fail(ctx, list, "'operators' must be an array of \"+digits\" numbers");
		return -1;
	}
	n = config_setting_length(list);
	if (n > CONFIG_MAX_OPERATORS) {
		config_fail(ctx, list, "too many operators (%d; at most %d)", n,
		    CONFIG_MAX_OPERATORS);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		const char *p = config_setting_get_string(e);

		if (p == NULL || !config_msisdn_ok(p) ||
		    util_strcopy(c->operators[i], sizeof(c->operators[i]), p) < 0) {
			config_fail(ctx, e != NULL ? e : list,
			    "operators: entry %d must be '+' and 3 to 15 digits", i + 1);
			return -1;
		}
	}
	c->noperators = (size_t)n;
	return 0;
}
