/* config_pool.c - the pool of modems (issue 10): each modem's SIM identity
 * (imsi), its network and failover_after; the networks group (a name and
 * the number prefixes of its subscribers); and the pure lookups over them
 * that route a message to a modem. Every error is file:line. */
#include "config/config_int.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

static const char *const config_network_keys[] = { "name", "prefixes", "balance_ussd",
	"balance_pattern", "low_balance", NULL };

void
config_pool_modem_defaults(struct config_modem *md)
{
	md->imsi[0] = '\0';
	md->network[0] = '\0';
	md->failover_after_ms = 300000;
}

static bool
config_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int
config_pool_modem(struct config_ctx *ctx, const config_setting_t *m, struct config_modem *md,
    const struct config_modem *earlier, size_t nearlier)
{
	const config_setting_t *s;

	if (config_string(ctx, m, "imsi", md->imsi, sizeof(md->imsi), true) == -1 ||
	    config_string(ctx, m, "network", md->network, sizeof(md->network), true) == -1 ||
	    config_duration(ctx, m, "failover_after", &md->failover_after_ms) == -1)
		return -1;
	s = config_setting_get_member(m, "imsi");
	if (md->imsi[0] != '\0' && !config_digits(md->imsi, 6, 15)) {
		config_fail(ctx, s, "modem '%s': imsi must be 6 to 15 digits", md->name);
		return -1;
	}
	for (size_t i = 0; md->imsi[0] != '\0' && i < nearlier; i++) {
		if (strcmp(earlier[i].imsi, md->imsi) == 0) {
			config_fail(ctx, s, "modem '%s': imsi %s is modem '%s''s too", md->name,
			    md->imsi, earlier[i].name);
			return -1;
		}
	}
	if (md->failover_after_ms < 1000) {
		config_fail(ctx, config_setting_get_member(m, "failover_after"),
		    "modem '%s': failover_after must be at least 1 second", md->name);
		return -1;
	}
	return 0;
}

/* Reads one networks[] entry into n; earlier entries are checked for clashes. */
static int
config_network(struct config_ctx *ctx, const config_setting_t *g, struct config_network *n,
    const struct config_network *earlier, size_t nearlier)
{
	const config_setting_t *list, *s;
	char where[160];
	int len;

	config_qualname(g, where, sizeof(where));
	if (!config_setting_is_group(g)) {
		config_fail(ctx, g, "'%s' must be a group { name = ...; prefixes = [ ... ]; }",
		    where);
		return -1;
	}
	if (config_check_keys(ctx, g, config_network_keys) == -1)
		return -1;
	if (config_setting_get_member(g, "name") == NULL) {
		config_fail(ctx, g, "'%s' has no 'name'", where);
		return -1;
	}
	if (config_string(ctx, g, "name", n->name, sizeof(n->name), false) == -1)
		return -1;
	s = config_setting_get_member(g, "name");
	for (size_t i = 0; i < nearlier; i++) {
		if (strcmp(earlier[i].name, n->name) == 0) {
			config_fail(ctx, s, "network name '%s' is used twice", n->name);
			return -1;
		}
	}
	list = config_setting_get_member(g, "prefixes");
	if (list == NULL || !config_setting_is_array(list) || config_setting_length(list) < 1) {
		config_fail(ctx, list != NULL ? list : g,
		    "network '%s': prefixes must be an array of at least one \"+digits\" string",
		    n->name);
		return -1;
	}
	len = config_setting_length(list);
	if (len > CONFIG_MAX_PREFIXES) {
		config_fail(ctx, list, "network '%s': too many prefixes (%d; at most %d)", n->name,
		    len, CONFIG_MAX_PREFIXES);
		return -1;
	}
	for (int i = 0; i < len; i++) {
		const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		const char *p = config_setting_get_string(e);

		if (p == NULL || p[0] != '+' || !config_digits(p + 1, 1, 14) ||
		    util_strcopy(n->prefixes[i], sizeof(n->prefixes[i]), p) < 0) {
			config_fail(ctx, e != NULL ? e : list,
			    "network '%s': prefix %d must be '+' and 1 to 14 digits", n->name,
			    i + 1);
			return -1;
		}
	}
	n->nprefixes = (size_t)len;
	config_health_balance_defaults(&n->balance);
	(void)snprintf(where, sizeof(where), "network '%s'", n->name);
	return config_health_balance(ctx, g, where, &n->balance);
}

int
config_pool(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	const config_setting_t *list = config_setting_get_member(root, "networks");
	const config_setting_t *mods = config_setting_get_member(root, "modems");
	int n = 0;

	if (list != NULL && !config_setting_is_list(list)) {
		config_fail(ctx, list,
		    "'networks' must be a list ( { name = ...; prefixes = ...; } )");
		return -1;
	}
	if (list != NULL)
		n = config_setting_length(list);
	if (n > CONFIG_MAX_NETWORKS) {
		config_fail(ctx, config_setting_get_elem(list, CONFIG_MAX_NETWORKS),
		    "too many networks (%d; at most %d)", n, CONFIG_MAX_NETWORKS);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		memset(&c->networks[i], 0, sizeof(c->networks[i]));
		if (config_network(ctx, config_setting_get_elem(list, (unsigned)i), &c->networks[i],
			c->networks, (size_t)i) == -1)
			return -1;
	}
	c->nnetworks = (size_t)n;
	for (size_t i = 0; i < c->nmodems; i++) {
		const struct config_modem *md = &c->modems[i];

		if (md->network[0] != '\0' && config_network_find(c, md->network) < 0) {
			const config_setting_t *m =
			    mods != NULL ? config_setting_get_elem(mods, (unsigned)i) : NULL;

			config_fail(ctx, m != NULL ? config_setting_get_member(m, "network") : NULL,
			    "modem '%s': network '%s' is not in 'networks'", md->name, md->network);
			return -1;
		}
	}
	return 0;
}

int
config_network_find(const struct kawan_config *c, const char *name)
{
	for (size_t i = 0; i < c->nnetworks; i++)
		if (strcmp(c->networks[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
config_network_of(const struct kawan_config *c, const char *number)
{
	int best = -1;
	size_t best_len = 0;

	for (size_t i = 0; number != NULL && i < c->nnetworks; i++) {
		for (size_t k = 0; k < c->networks[i].nprefixes; k++) {
			size_t len = strlen(c->networks[i].prefixes[k]);

			if (len > best_len &&
			    strncmp(number, c->networks[i].prefixes[k], len) == 0) {
				best = (int)i;
				best_len = len;
			}
		}
	}
	return best;
}

bool
config_modem_link_same(const struct config_modem *a, const struct config_modem *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->device, b->device) == 0 &&
	       strcmp(a->connection, b->connection) == 0 && strcmp(a->pin, b->pin) == 0 &&
	       strcmp(a->gammu_log, b->gammu_log) == 0 && strcmp(a->imsi, b->imsi) == 0;
}

int
config_modem_find(const struct kawan_config *c, const char *name)
{
	for (size_t i = 0; i < c->nmodems; i++)
		if (strcmp(c->modems[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
config_modem_by_imsi(const struct kawan_config *c, const char *imsi)
{
	for (size_t i = 0; imsi != NULL && imsi[0] != '\0' && i < c->nmodems; i++)
		if (strcmp(c->modems[i].imsi, imsi) == 0)
			return (int)i;
	return -1;
}

/* The rank of modem i for a message to dest (higher is better), -1 when it
 * may not take it. */
static int
config_pool_rank(const struct kawan_config *c, size_t i, const bool *up, int dest_net, int from_net,
    int exclude)
{
	const struct config_modem *md = &c->modems[i];
	int net;

	if ((int)i == exclude || !up[i] || md->role == MODEM_ROLE_RECEIVE)
		return -1;
	net = md->network[0] != '\0' ? config_network_find(c, md->network) : -1;
	if (dest_net >= 0 && net == dest_net)
		return 2;
	if (from_net >= 0 && net == from_net)
		return 1;
	return 0;
}

int
config_pool_pick(const struct kawan_config *c, const bool *up, const char *dest, const char *from,
    unsigned salt)
{
	int dest_net = config_network_of(c, dest);
	int exclude = from != NULL ? config_modem_find(c, from) : -1;
	int from_net = -1, best = -1, nbest = 0;
	int rank[CONFIG_MAX_MODEMS];

	if (exclude >= 0 && c->modems[exclude].network[0] != '\0')
		from_net = config_network_find(c, c->modems[exclude].network);
	for (size_t i = 0; i < c->nmodems; i++) {
		rank[i] = config_pool_rank(c, i, up, dest_net, from_net, exclude);
		if (rank[i] > best) {
			best = rank[i];
			nbest = 0;
		}
		if (rank[i] == best && best >= 0)
			nbest++;
	}
	if (best < 0)
		return -1;
	/* Spread equals by the salt (a row id), so one dead modem's queue is
	 * shared by the rest instead of piling on the first. */
	salt %= (unsigned)nbest;
	for (size_t i = 0; i < c->nmodems; i++)
		if (rank[i] == best && salt-- == 0)
			return (int)i;
	return -1;
}
