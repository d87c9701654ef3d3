/* config_ussd.c - the ussd group: where the operator USSD link listens,
 * which service codes it serves, who may call it (a shared secret and
 * client networks), its limits, and HTTPS. Every error is file:line. */
#include "config/config_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/util.h"

static const char *const config_ussd_keys[] = { "listen", "path", "service_codes", "secret",
	"allow_from", "max_sessions", "tls_cert", "tls_key", "rate_per_minute", "threads",
	"max_hops", NULL };

#define CONFIG_USSD_SECRET_MIN 8

void
config_ussd_defaults(struct kawan_config *c)
{
	struct config_ussd *u = &c->ussd;

	memset(u, 0, sizeof(*u));
	memcpy(u->listen, "127.0.0.1:8080", sizeof("127.0.0.1:8080"));
	memcpy(u->host, "127.0.0.1", sizeof("127.0.0.1"));
	u->port = 8080;
	memcpy(u->path, "/ussd", sizeof("/ussd"));
	memcpy(u->service_codes[0], "*123#", sizeof("*123#"));
	u->ncodes = 1;
	u->allow[0].family = AF_INET;
	u->allow[0].addr[0] = 127;
	u->allow[0].addr[3] = 1;
	u->allow[0].prefix = 32;
	u->allow[1].family = AF_INET6;
	u->allow[1].addr[15] = 1;
	u->allow[1].prefix = 128;
	u->nallow = 2;
	u->max_sessions = 10000;
	u->rate_per_minute = 60;
	u->threads = 2;
	u->max_hops = 64;
}

bool
config_cidr_match(const struct config_cidr *net, int family, const unsigned char *addr)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	int bits = net->prefix, whole;

	if (family == AF_INET6 && net->family == AF_INET && memcmp(addr, mapped, 12) == 0) {
		family = AF_INET;
		addr += 12;
	}
	if (family != net->family)
		return false;
	whole = bits / 8;
	if (memcmp(addr, net->addr, (size_t)whole) != 0)
		return false;
	if (bits % 8 != 0) {
		unsigned char mask = (unsigned char)(0xff << (8 - bits % 8));

		if ((addr[whole] & mask) != (net->addr[whole] & mask))
			return false;
	}
	return true;
}

/* "a.b.c.d", "a.b.c.d/n", "::1", "fd00::/8" into *out. 0 or -1. */
static int
config_cidr_parse(const char *s, struct config_cidr *out)
{
	char host[64];
	const char *slash = strchr(s, '/');
	size_t hl = slash != NULL ? (size_t)(slash - s) : strlen(s);
	int max;

	memset(out, 0, sizeof(*out));
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, out->addr) == 1) {
		out->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, out->addr) == 1) {
		out->family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	out->prefix = max;
	if (slash != NULL) {
		char *end;
		long v;

		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		v = strtol(slash + 1, &end, 10);
		if (*end != '\0' || v < 0 || v > max)
			return -1;
		out->prefix = (int)v;
	}
	return 0;
}

/* "host:port" or "[v6]:port" into u->host and u->port. 0 or -1. */
static int
config_listen_parse(const char *s, struct config_ussd *u)
{
	const char *colon, *hs = s;
	size_t hl;
	unsigned char buf[16];
	char *end;
	long port;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return -1;
		hs = s + 1;
		hl = (size_t)(close - hs);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -1;
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= sizeof(u->host))
		return -1;
	memcpy(u->host, hs, hl);
	u->host[hl] = '\0';
	if (inet_pton(s[0] == '[' ? AF_INET6 : AF_INET, u->host, buf) != 1)
		return -1;
	if (colon[1] < '0' || colon[1] > '9')
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		return -1;
	u->port = (int)port;
	return 0;
}

/* A service code as dialled: '*', digits, '#', ending in '#'. */
static bool
config_code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || s[n - 1] != '#')
		return false;
	for (; *s != '\0'; s++)
		if (*s != '*' && *s != '#' && (*s < '0' || *s > '9'))
			return false;
	return true;
}

/* A list (array or list) of strings; its elements' strings, one by one,
 * go through each(). NULL setting: absent. */
static const config_setting_t *
config_ussd_list(struct config_ctx *ctx, const config_setting_t *g, const char *name, int *rc)
{
	const config_setting_t *m = config_setting_get_member(g, name);

	*rc = 0;
	if (m == NULL)
		return NULL;
	if (!config_setting_is_array(m) && !config_setting_is_list(m)) {
		config_fail(ctx, m, "'ussd.%s' must be a list of strings, e.g. [ \"...\" ]", name);
		*rc = -1;
		return NULL;
	}
	for (int i = 0; i < config_setting_length(m); i++) {
		const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			config_fail(ctx, e, "'ussd.%s' must be a list of strings", name);
			*rc = -1;
			return NULL;
		}
	}
	return m;
}

static int
config_ussd_codes(struct config_ctx *ctx, const config_setting_t *g, struct config_ussd *u)
{
	int rc, n;
	const config_setting_t *m = config_ussd_list(ctx, g, "service_codes", &rc);

	if (m == NULL)
		return rc;
	n = config_setting_length(m);
	if (n < 1 || n > CONFIG_USSD_MAX_CODES) {
		config_fail(ctx, m, "'ussd.service_codes' must name 1 to %d codes",
		    CONFIG_USSD_MAX_CODES);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
		const char *v = config_setting_get_string(e);

		if (!config_code_ok(v) ||
		    util_strcopy(u->service_codes[i], CONFIG_USSD_CODE_MAX, v) < 0) {
			config_fail(ctx, e,
			    "'ussd.service_codes' entry '%s' is not a service code like \"*123#\"",
			    v);
			return -1;
		}
	}
	u->ncodes = (size_t)n;
	return 0;
}

static int
config_ussd_allow(struct config_ctx *ctx, const config_setting_t *g, struct config_ussd *u)
{
	int rc, n;
	const config_setting_t *m = config_ussd_list(ctx, g, "allow_from", &rc);

	if (m == NULL)
		return rc;
	n = config_setting_length(m);
	if (n < 1 || n > CONFIG_USSD_MAX_ALLOW) {
		config_fail(ctx, m,
		    "'ussd.allow_from' must name 1 to %d addresses or networks (\"0.0.0.0/0\" "
		    "allows every IPv4 client)",
		    CONFIG_USSD_MAX_ALLOW);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
		const char *v = config_setting_get_string(e);

		if (config_cidr_parse(v, &u->allow[i]) < 0) {
			config_fail(ctx, e,
			    "'ussd.allow_from' entry '%s' is not an address or network like "
			    "\"10.0.0.0/8\" or \"::1\"",
			    v);
			return -1;
		}
	}
	u->nallow = (size_t)n;
	return 0;
}

static int
config_ussd_texts(struct config_ctx *ctx, const config_setting_t *g, struct config_ussd *u)
{
	const config_setting_t *m;

	if (config_string(ctx, g, "listen", u->listen, sizeof(u->listen), false) < 0 ||
	    config_string(ctx, g, "path", u->path, sizeof(u->path), false) < 0 ||
	    config_string(ctx, g, "secret", u->secret, sizeof(u->secret), true) < 0 ||
	    config_string(ctx, g, "tls_cert", u->tls_cert, sizeof(u->tls_cert), true) < 0 ||
	    config_string(ctx, g, "tls_key", u->tls_key, sizeof(u->tls_key), true) < 0)
		return -1;
	if (config_listen_parse(u->listen, u) < 0) {
		config_fail(ctx, config_setting_get_member(g, "listen"),
		    "'ussd.listen' must be address:port, e.g. \"127.0.0.1:8080\" or \"[::1]:8080\"");
		return -1;
	}
	m = config_setting_get_member(g, "path");
	if (u->path[0] != '/' || strpbrk(u->path, "?# \t") != NULL) {
		config_fail(ctx, m,
		    "'ussd.path' must start with '/' and hold no '?', '#' or space");
		return -1;
	}
	m = config_setting_get_member(g, "secret");
	if (u->secret[0] != '\0') {
		if (strlen(u->secret) < CONFIG_USSD_SECRET_MIN) {
			config_fail(ctx, m, "'ussd.secret' is too short (at least %d characters)",
			    CONFIG_USSD_SECRET_MIN);
			return -1;
		}
		for (const char *p = u->secret; *p != '\0'; p++) {
			if (*p <= ' ' || *p > '~') {
				config_fail(ctx, m,
				    "'ussd.secret' must be printable ASCII without spaces");
				return -1;
			}
		}
	}
	if ((u->tls_cert[0] == '\0') != (u->tls_key[0] == '\0')) {
		config_fail(ctx,
		    config_setting_get_member(g, u->tls_cert[0] ? "tls_cert" : "tls_key"),
		    "'ussd.tls_cert' and 'ussd.tls_key' go together (both set: HTTPS)");
		return -1;
	}
	if (u->tls_cert[0] != '\0' &&
	    (config_resolve(ctx, g, "tls_cert", u->tls_cert, sizeof(u->tls_cert)) < 0 ||
		config_resolve(ctx, g, "tls_key", u->tls_key, sizeof(u->tls_key)) < 0))
		return -1;
	return 0;
}

int
config_ussd(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	config_setting_t *g;
	struct config_ussd *u = &c->ussd;

	if (config_group(ctx, root, "ussd", config_ussd_keys, &g) == -1)
		return -1;
	if (g == NULL)
		return 0;
	u->enabled = 1;
	if (config_ussd_texts(ctx, g, u) < 0 || config_ussd_codes(ctx, g, u) < 0 ||
	    config_ussd_allow(ctx, g, u) < 0 ||
	    config_int(ctx, g, "max_sessions", 1, 1000000, &u->max_sessions) == -1 ||
	    config_int(ctx, g, "rate_per_minute", 1, 100000, &u->rate_per_minute) == -1 ||
	    config_int(ctx, g, "threads", 1, 16, &u->threads) == -1 ||
	    config_int(ctx, g, "max_hops", 1, 1000, &u->max_hops) == -1)
		return -1;
	return 0;
}
