/* config_priv.c - least privilege settings (top level): user, the account
 * the gateway drops to when started as root; export_group, the group
 * kawanctl's export files are made readable to; and what the file holds that
 * must stay private (PIN hashes) or leaks (gammu_log). */
#include <ctype.h>
#include <string.h>

#include "config/config_int.h"

void
config_priv_defaults(struct kawan_config *c)
{
	c->user[0] = '\0';
	c->export_group[0] = '\0';
}

/* A POSIX-portable account name: [A-Za-z0-9_.-], not starting with '-'. */
static bool
config_priv_name_ok(const char *s)
{
	if (s[0] == '\0' || s[0] == '-')
		return false;
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
			return false;
	}
	return true;
}

int
config_priv(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	if (config_string(ctx, root, "user", c->user, sizeof(c->user), true) == -1)
		return -1;
	if (c->user[0] != '\0' && !config_priv_name_ok(c->user)) {
		config_fail(ctx, config_setting_get_member(root, "user"),
		    "user '%s' is not an account name ([A-Za-z0-9_.-])", c->user);
		return -1;
	}
	if (strcmp(c->user, "root") == 0) {
		config_fail(ctx, config_setting_get_member(root, "user"),
		    "user must not be root: the gateway drops root to this account "
		    "(e.g. user = \"kawan\";)");
		return -1;
	}
	if (config_string(ctx, root, "export_group", c->export_group, sizeof(c->export_group),
		true) == -1)
		return -1;
	if (c->export_group[0] != '\0' && !config_priv_name_ok(c->export_group)) {
		config_fail(ctx, config_setting_get_member(root, "export_group"),
		    "export_group '%s' is not a group name ([A-Za-z0-9_.-])", c->export_group);
		return -1;
	}
	return 0;
}

static bool
config_priv_officer_secret(const struct config_officer *o)
{
	return o->pin_hash[0] != '\0';
}

bool
config_has_secrets(const struct kawan_config *c)
{
	if (config_priv_officer_secret(&c->ngo_desk))
		return true;
	for (size_t r = 0; r < c->nrosters; r++) {
		if (config_priv_officer_secret(&c->rosters[r].supervisor))
			return true;
		for (size_t i = 0; i < c->rosters[r].nofficers; i++) {
			if (config_priv_officer_secret(&c->rosters[r].officers[i]))
				return true;
		}
	}
	return c->ussd.secret[0] != '\0';
}

int
config_gammu_log_modem(const struct kawan_config *c)
{
	for (size_t i = 0; i < c->nmodems; i++) {
		if (c->modems[i].gammu_log[0] != '\0')
			return (int)i;
	}
	return -1;
}
