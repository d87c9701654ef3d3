/* config.c - reads the gateway's libconfig file into struct kawan_config and
 * checks all of it; the first problem is reported as "file:line: what". */
#include "config/config.h"
#include "config/config_int.h"

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "core/util.h"

#define CONFIG_DEFAULT_DATABASE "/var/lib/kawan/kawan.db"
#define CONFIG_DEFAULT_REPLY "Kawan helpline: we received your message."
#define CONFIG_DEFAULT_MENUS "/usr/local/share/kawan/menus"
#define CONFIG_DEFAULT_TRANSLATIONS "/usr/local/share/kawan/translations"
#define CONFIG_DURATION_MAX_S 86400.0 /* one day */

/* One load in progress: where errors go and the file they are about. */

static const char *const config_top_keys[] = { "database", "log_level", "country", "modems",
	"inbound", "outbound", "router", "content", "reports", "officers", "ngo_desk", "ussd",
	"calls", "delivery_reports", "networks", "health_interval", "operators", "user",
	"export_group", NULL };
static const char *const config_modem_keys[] = { "name", "device", "connection", "pin", "role",
	"poll_interval", "reopen_min", "reopen_max", "gammu_log", "send_mode", "imsi", "network",
	"failover_after", "max_parts_per_hour", "max_parts_per_day", "alerts_exceed_quota",
	"reset_after", "reset_command", "balance_ussd", "balance_pattern", "low_balance", NULL };
static const char *const config_inbound_keys[] = { "partial_timeout", "max_text_bytes", NULL };
static const char *const config_outbound_keys[] = { "max_attempts", "retry_min", "retry_max",
	"report_wait", NULL };
static const char *const config_router_keys[] = { "reply_text", "max_answers_per_minute",
	"officer_answers_per_minute", NULL };
static const char *const config_content_keys[] = { "menus", "translations", "serve_fuzzy",
	"key_back", "key_home", "key_more", "ussd_timeout", "sms_timeout", "ussd_gsm7", "ussd_ucs2",
	"max_info_segments", NULL };

static const char *
config_type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_GROUP:
		return "a group { ... }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a number with a fraction";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ... ]";
	case CONFIG_TYPE_LIST:
		return "a list ( ... )";
	default:
		return "nothing";
	}
}

/* Writes "file:line: message" (or "file: message" without a line) into ctx->err. */
void __attribute__((format(printf, 3, 4)))
config_fail(struct config_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
{
	const char *file = ctx->path;
	unsigned line = 0;
	size_t used;
	int n;
	va_list ap;

	if (ctx->errsz == 0)
		return;
	if (s != NULL) {
		line = config_setting_source_line(s);
		if (config_setting_source_file(s) != NULL)
			file = config_setting_source_file(s);
	}
	if (line > 0)
		n = snprintf(ctx->err, ctx->errsz, "%s:%u: ", file, line);
	else
		n = snprintf(ctx->err, ctx->errsz, "%s: ", file);
	if (n < 0 || (size_t)n >= ctx->errsz)
		return;
	used = (size_t)n;
	va_start(ap, fmt);
	(void)vsnprintf(ctx->err + used, ctx->errsz - used, fmt, ap);
	va_end(ap);
}

/* The full name of a setting for messages: "outbound.retry_min" or "modems[1].pin". */
void
config_qualname(const config_setting_t *s, char *buf, size_t bufsz)
{
	const config_setting_t *parent = config_setting_parent(s);
	const char *name = config_setting_name(s);
	char up[128] = "";

	if (parent != NULL && !config_setting_is_root(parent))
		config_qualname(parent, up, sizeof(up));
	if (name == NULL)
		(void)snprintf(buf, bufsz, "%s[%d]", up, config_setting_index(s));
	else if (up[0] != '\0')
		(void)snprintf(buf, bufsz, "%s.%s", up, name);
	else
		(void)snprintf(buf, bufsz, "%s", name);
}

/* Edit distance between two short names (longer ones count as far apart). */
static size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[CONFIG_NAME_MAX + 1];

	if (la > CONFIG_NAME_MAX || lb > CONFIG_NAME_MAX)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The known key closest to a misspelt name, or NULL when none is close. */
static const char *
config_suggest(const char *name, const char *const *keys)
{
	const char *best = NULL;
	size_t bestd = 3; /* at most two edits away */

	for (size_t k = 0; keys[k] != NULL; k++) {
		size_t d = config_distance(name, keys[k]);

		if (d < bestd) {
			bestd = d;
			best = keys[k];
		}
	}
	return best;
}

/* Fails on any member of group whose name is not in keys (catches typos). */
int
config_check_keys(struct config_ctx *ctx, const config_setting_t *group, const char *const *keys)
{
	int n = config_setting_length(group);

	for (int i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(m);
		bool known = false;

		for (size_t k = 0; keys[k] != NULL && name != NULL; k++) {
			if (strcmp(name, keys[k]) == 0)
				known = true;
		}
		if (!known) {
			char where[160];

			const char *hint = name != NULL ? config_suggest(name, keys) : NULL;

			config_qualname(m, where, sizeof(where));
			config_fail(ctx, m, "unknown setting '%s'%s%s%s", where,
			    hint != NULL ? " (did you mean '" : "", hint != NULL ? hint : "",
			    hint != NULL ? "'?)" : "");
			return -1;
		}
	}
	return 0;
}

/* Finds member name of group and checks its type. Returns the setting, or
 * NULL with *rc = 0 when absent, *rc = -1 (error written) on a wrong type. */
config_setting_t *
config_member(struct config_ctx *ctx, const config_setting_t *group, const char *name, int type,
    int *rc)
{
	config_setting_t *s = group != NULL ? config_setting_get_member(group, name) : NULL;
	int have;
	char where[160];

	*rc = 0;
	if (s == NULL)
		return NULL;
	have = config_setting_type(s);
	if (have == type || (type == CONFIG_TYPE_INT && have == CONFIG_TYPE_INT64) ||
	    (type == CONFIG_TYPE_FLOAT && (have == CONFIG_TYPE_INT || have == CONFIG_TYPE_INT64)))
		return s;
	config_qualname(s, where, sizeof(where));
	config_fail(ctx, s, "'%s' must be %s, not %s", where,
	    type == CONFIG_TYPE_FLOAT ? "a number" : config_type_name(type),
	    config_type_name(have));
	*rc = -1;
	return NULL;
}

/* Copies string setting name into dst, leaving dst (its default) when
 * absent. Empty strings are refused unless allow_empty; too long ones always. */
int
config_string(struct config_ctx *ctx, const config_setting_t *group, const char *name, char *dst,
    size_t dstsz, bool allow_empty)
{
	int rc;
	config_setting_t *s = config_member(ctx, group, name, CONFIG_TYPE_STRING, &rc);
	const char *v;
	char where[160];

	if (s == NULL)
		return rc;
	v = config_setting_get_string(s);
	config_qualname(s, where, sizeof(where));
	if (v == NULL || (!allow_empty && v[0] == '\0')) {
		config_fail(ctx, s, "'%s' must not be empty", where);
		return -1;
	}
	if (strlen(v) >= dstsz) {
		config_fail(ctx, s, "'%s' is too long (%zu bytes, at most %zu)", where, strlen(v),
		    dstsz - 1);
		return -1;
	}
	if (util_strcopy(dst, dstsz, v) == -1)
		return -1;
	return 0;
}

/* Reads integer setting name in [min, max] into *out, leaving it when absent. */
int
config_int(struct config_ctx *ctx, const config_setting_t *group, const char *name, long long min,
    long long max, int *out)
{
	int rc;
	config_setting_t *s = config_member(ctx, group, name, CONFIG_TYPE_INT, &rc);
	long long v;
	char where[160];

	if (s == NULL)
		return rc;
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		config_qualname(s, where, sizeof(where));
		config_fail(ctx, s, "'%s' is %lld; it must be from %lld to %lld", where, v, min,
		    max);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* Reads a duration in seconds (integer or fraction, > 0 and at most a day)
 * into *ms, leaving it when absent. */
int
config_duration(struct config_ctx *ctx, const config_setting_t *group, const char *name, int *ms)
{
	int rc;
	config_setting_t *s = config_member(ctx, group, name, CONFIG_TYPE_FLOAT, &rc);
	double sec;
	char where[160];

	if (s == NULL)
		return rc;
	if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		sec = config_setting_get_float(s);
	else
		sec = (double)config_setting_get_int64(s);
	config_qualname(s, where, sizeof(where));
	if (!isfinite(sec) || sec <= 0.0 || sec > CONFIG_DURATION_MAX_S) {
		config_fail(ctx, s,
		    "'%s' is %g seconds; it must be more than 0 "
		    "and at most %.0f (one day)",
		    where, sec, CONFIG_DURATION_MAX_S);
		return -1;
	}
	if (sec < 0.001) {
		config_fail(ctx, s,
		    "'%s' is %g seconds; the smallest duration is "
		    "0.001 (one millisecond)",
		    where, sec);
		return -1;
	}
	*ms = (int)(sec * 1000.0 + 0.5);
	return 0;
}

/* Finds an optional group member; a non-group is an error. */
int
config_group(struct config_ctx *ctx, const config_setting_t *parent, const char *name,
    const char *const *keys, config_setting_t **out)
{
	int rc;

	*out = config_member(ctx, parent, name, CONFIG_TYPE_GROUP, &rc);
	if (*out == NULL)
		return rc;
	return config_check_keys(ctx, *out, keys);
}

int
config_check_order(struct config_ctx *ctx, const config_setting_t *group, const char *lo,
    const char *hi, int lo_ms, int hi_ms)
{
	const config_setting_t *s;
	char where[160];

	if (lo_ms <= hi_ms)
		return 0;
	/* Point at whichever of the two the file sets, else at the group. */
	s = config_setting_get_member(group, hi);
	if (s == NULL)
		s = config_setting_get_member(group, lo);
	if (s == NULL)
		s = group;
	config_qualname(group, where, sizeof(where));
	config_fail(ctx, s, "'%s': %s (%.3f s) must not exceed %s (%.3f s)", where, lo,
	    lo_ms / 1000.0, hi, hi_ms / 1000.0);
	return -1;
}

static bool
config_name_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		char c = *s;

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '_' || c == '-'))
			return false;
	}
	return true;
}

static bool
config_pin_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return true;
	if (len < 4 || len > 8)
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

/* Reads an optional string setting that must be one of names; *out keeps
 * its default when the setting is absent. */
int
config_enum(struct config_ctx *ctx, const config_setting_t *m, const char *key,
    const char *const *names, size_t nnames, int *out)
{
	char buf[CONFIG_NAME_MAX], list[128] = "";
	const config_setting_t *s = config_setting_get_member(m, key);

	if (s == NULL)
		return 0;
	if (config_string(ctx, m, key, buf, sizeof(buf), false) == -1)
		return -1;
	for (size_t i = 0; i < nnames; i++) {
		if (strcmp(buf, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	for (size_t i = 0; i < nnames; i++) {
		size_t used = strlen(list);

		snprintf(list + used, sizeof(list) - used, "%s%s", i == 0 ? "" : ", ", names[i]);
	}
	config_fail(ctx, s, "%s '%s' is not one of %s", key, buf, list);
	return -1;
}

/* Reads one modems[] entry; names of earlier modems are checked for clashes. */
static int
config_modem(struct config_ctx *ctx, const config_setting_t *m, struct config_modem *md,
    const struct config_modem *earlier, size_t nearlier)
{
	static const char *const config_role_names[] = { "both", "receive", "send" };
	static const char *const config_send_mode_names[] = { "storage", "direct" };
	const config_setting_t *s;
	char where[160];
	int role = (int)md->role, send_mode = (int)md->send_mode;

	config_qualname(m, where, sizeof(where));
	if (!config_setting_is_group(m)) {
		config_fail(ctx, m, "'%s' must be a group { name = ...; device = ...; }", where);
		return -1;
	}
	if (config_check_keys(ctx, m, config_modem_keys) == -1)
		return -1;
	for (size_t i = 0; i < 2; i++) {
		const char *req = i == 0 ? "name" : "device";

		if (config_setting_get_member(m, req) == NULL) {
			config_fail(ctx, m, "'%s' has no '%s'", where, req);
			return -1;
		}
	}
	if (config_string(ctx, m, "name", md->name, sizeof(md->name), false) == -1 ||
	    config_string(ctx, m, "device", md->device, sizeof(md->device), false) == -1 ||
	    config_string(ctx, m, "connection", md->connection, sizeof(md->connection), false) ==
		-1 ||
	    config_string(ctx, m, "pin", md->pin, sizeof(md->pin), true) == -1 ||
	    config_string(ctx, m, "gammu_log", md->gammu_log, sizeof(md->gammu_log), true) == -1 ||
	    config_enum(ctx, m, "role", config_role_names, 3, &role) == -1 ||
	    config_enum(ctx, m, "send_mode", config_send_mode_names, 2, &send_mode) == -1 ||
	    config_duration(ctx, m, "poll_interval", &md->poll_interval_ms) == -1 ||
	    config_duration(ctx, m, "reopen_min", &md->reopen_min_ms) == -1 ||
	    config_duration(ctx, m, "reopen_max", &md->reopen_max_ms) == -1)
		return -1;
	md->role = (enum config_modem_role)role;
	md->send_mode = (enum config_send_mode)send_mode;
	s = config_setting_get_member(m, "name");
	if (!config_name_ok(md->name)) {
		config_fail(ctx, s, "modem name '%s' may only hold letters, digits, '_' and '-'",
		    md->name);
		return -1;
	}
	for (size_t i = 0; i < nearlier; i++) {
		if (strcmp(earlier[i].name, md->name) == 0) {
			config_fail(ctx, s, "modem name '%s' is used twice", md->name);
			return -1;
		}
	}
	if (!config_pin_ok(md->pin)) {
		/* The PIN is a secret: never echo it. */
		config_fail(ctx, config_setting_get_member(m, "pin"),
		    "modem '%s': pin must be empty or 4 to 8 digits", md->name);
		return -1;
	}
	if (config_pool_modem(ctx, m, md, earlier, nearlier) == -1 ||
	    config_quota_modem(ctx, m, md) == -1)
		return -1;
	(void)snprintf(where, sizeof(where), "modem '%s'", md->name);
	if (config_health_balance(ctx, m, where, &md->balance) == -1)
		return -1;
	return config_check_order(ctx, m, "reopen_min", "reopen_max", md->reopen_min_ms,
	    md->reopen_max_ms);
}

static void
config_modem_defaults(struct config_modem *md)
{
	memset(md, 0, sizeof(*md));
	memcpy(md->connection, "at", 3);
	md->role = MODEM_ROLE_BOTH;
	md->send_mode = SEND_MODE_STORAGE;
	md->poll_interval_ms = 30000;
	md->reopen_min_ms = 1000;
	md->reopen_max_ms = 60000;
	config_pool_modem_defaults(md);
	config_quota_modem_defaults(md);
	config_health_balance_defaults(&md->balance);
}

static int
config_modems(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	int rc;
	config_setting_t *list = config_member(ctx, root, "modems", CONFIG_TYPE_LIST, &rc);
	int n;

	if (list == NULL) {
		if (rc == 0)
			config_fail(ctx, NULL,
			    "missing required setting 'modems' "
			    "(a list of at least one modem)");
		return -1;
	}
	n = config_setting_length(list);
	if (n < 1) {
		config_fail(ctx, list, "'modems' is empty; at least one modem is required");
		return -1;
	}
	if (n > CONFIG_MAX_MODEMS) {
		config_fail(ctx, config_setting_get_elem(list, CONFIG_MAX_MODEMS),
		    "too many modems (%d; at most %d)", n, CONFIG_MAX_MODEMS);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct config_modem *md = &c->modems[i];

		config_modem_defaults(md);
		if (config_modem(ctx, config_setting_get_elem(list, (unsigned)i), md, c->modems,
			(size_t)i) == -1)
			return -1;
	}
	c->nmodems = (size_t)n;
	return 0;
}

static int
config_top(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	enum log_level level;
	const config_setting_t *s;

	if (config_string(ctx, root, "database", c->database, sizeof(c->database), false) == -1 ||
	    config_string(ctx, root, "log_level", c->log_level, sizeof(c->log_level), false) ==
		-1 ||
	    config_string(ctx, root, "country", c->country, sizeof(c->country), false) == -1)
		return -1;
	if (log_level_parse(c->log_level, &level) == -1) {
		config_fail(ctx, config_setting_get_member(root, "log_level"),
		    "log_level '%s' is not one of error, warn, info, debug", c->log_level);
		return -1;
	}
	s = config_setting_get_member(root, "country");
	if (c->country[0] < 'A' || c->country[0] > 'Z' || c->country[1] < 'A' ||
	    c->country[1] > 'Z') {
		config_fail(ctx, s,
		    "country '%s' must be two uppercase letters "
		    "(ISO 3166 alpha-2, e.g. MY)",
		    c->country);
		return -1;
	}
	return 0;
}

static int
config_queues(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	config_setting_t *g;

	if (config_group(ctx, root, "inbound", config_inbound_keys, &g) == -1 ||
	    config_duration(ctx, g, "partial_timeout", &c->inbound.partial_timeout_ms) == -1 ||
	    config_int(ctx, g, "max_text_bytes", 160, 65536, &c->inbound.max_text_bytes) == -1)
		return -1;
	if (config_group(ctx, root, "outbound", config_outbound_keys, &g) == -1 ||
	    config_int(ctx, g, "max_attempts", 1, 100, &c->outbound.max_attempts) == -1 ||
	    config_duration(ctx, g, "retry_min", &c->outbound.retry_min_ms) == -1 ||
	    config_duration(ctx, g, "retry_max", &c->outbound.retry_max_ms) == -1 ||
	    config_duration(ctx, g, "report_wait", &c->outbound.report_wait_ms) == -1)
		return -1;
	if (g != NULL && config_check_order(ctx, g, "retry_min", "retry_max",
			     c->outbound.retry_min_ms, c->outbound.retry_max_ms) == -1)
		return -1;
	return 0;
}

static int
config_router(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	config_setting_t *g;
	const char *text = c->router.reply_text;

	if (config_group(ctx, root, "router", config_router_keys, &g) == -1 ||
	    config_string(ctx, g, "reply_text", c->router.reply_text, sizeof(c->router.reply_text),
		false) == -1 ||
	    config_int(ctx, g, "max_answers_per_minute", 0, 1000,
		&c->router.max_answers_per_minute) == -1 ||
	    config_int(ctx, g, "officer_answers_per_minute", 0, 1000,
		&c->router.officer_answers_per_minute) == -1)
		return -1;
	if (g != NULL && !util_utf8_valid(text, strlen(text))) {
		config_fail(ctx, config_setting_get_member(g, "reply_text"),
		    "'router.reply_text' is not valid UTF-8");
		return -1;
	}
	return 0;
}

/* Reads an optional boolean into *out (0/1), leaving it when absent. */
int
config_bool(struct config_ctx *ctx, const config_setting_t *group, const char *name, int *out)
{
	int rc;
	config_setting_t *s = config_member(ctx, group, name, CONFIG_TYPE_BOOL, &rc);

	if (s == NULL)
		return rc;
	*out = config_setting_get_bool(s) ? 1 : 0;
	return 0;
}

/* Makes a relative path relative to the configuration file's folder. */
int
config_resolve(struct config_ctx *ctx, const config_setting_t *g, const char *name, char *path,
    size_t pathsz)
{
	char joined[CONFIG_PATH_MAX];
	const char *slash = strrchr(ctx->path, '/');
	int n;

	if (path[0] == '/' || slash == NULL)
		return 0;
	n = snprintf(joined, sizeof(joined), "%.*s/%s", (int)(slash - ctx->path), ctx->path, path);
	if (n < 0 || (size_t)n >= sizeof(joined) || util_strcopy(path, pathsz, joined) == -1) {
		const config_setting_t *m = config_setting_get_member(g, name);
		char where[160];

		config_qualname(m, where, sizeof(where));
		config_fail(ctx, m, "'%s' is too long", where);
		return -1;
	}
	return 0;
}

/* A menu key: 1 to 3 digits. */
static int
config_key(struct config_ctx *ctx, const config_setting_t *g, const char *name, char *dst,
    size_t dstsz)
{
	if (config_string(ctx, g, name, dst, dstsz, false) == -1)
		return -1;
	for (const char *p = dst; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			config_fail(ctx, config_setting_get_member(g, name),
			    "'content.%s' must be 1 to 3 digits", name);
			return -1;
		}
	}
	return 0;
}

static int
config_content(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	struct config_content *k = &c->content;
	config_setting_t *g;

	if (config_group(ctx, root, "content", config_content_keys, &g) == -1 ||
	    config_string(ctx, g, "menus", k->menus, sizeof(k->menus), false) == -1 ||
	    config_string(ctx, g, "translations", k->translations, sizeof(k->translations),
		false) == -1 ||
	    config_bool(ctx, g, "serve_fuzzy", &k->serve_fuzzy) == -1 ||
	    config_key(ctx, g, "key_back", k->key_back, sizeof(k->key_back)) == -1 ||
	    config_key(ctx, g, "key_home", k->key_home, sizeof(k->key_home)) == -1 ||
	    config_key(ctx, g, "key_more", k->key_more, sizeof(k->key_more)) == -1 ||
	    config_duration(ctx, g, "ussd_timeout", &k->ussd_timeout_ms) == -1 ||
	    config_duration(ctx, g, "sms_timeout", &k->sms_timeout_ms) == -1 ||
	    config_int(ctx, g, "ussd_gsm7", 40, 182, &k->ussd_gsm7) == -1 ||
	    config_int(ctx, g, "ussd_ucs2", 20, 80, &k->ussd_ucs2) == -1 ||
	    config_int(ctx, g, "max_info_segments", 1, 6, &k->max_info_segments) == -1)
		return -1;
	if (g == NULL)
		return 0;
	k->configured = 1;
	if (config_resolve(ctx, g, "menus", k->menus, sizeof(k->menus)) == -1 ||
	    config_resolve(ctx, g, "translations", k->translations, sizeof(k->translations)) == -1)
		return -1;
	if (strcmp(k->key_back, k->key_home) == 0 || strcmp(k->key_back, k->key_more) == 0 ||
	    strcmp(k->key_home, k->key_more) == 0) {
		config_fail(ctx, g, "'content': key_back, key_home and key_more must differ");
		return -1;
	}
	return 0;
}

static void
config_defaults(struct kawan_config *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->database, CONFIG_DEFAULT_DATABASE, sizeof(CONFIG_DEFAULT_DATABASE));
	memcpy(c->log_level, "info", 5);
	memcpy(c->country, "MY", 3);
	c->outbound.max_attempts = 8;
	c->outbound.retry_min_ms = 5000;
	c->outbound.retry_max_ms = 600000;
	c->outbound.report_wait_ms = 60000;
	c->inbound.partial_timeout_ms = 600000;
	c->inbound.max_text_bytes = 4096;
	memcpy(c->router.reply_text, CONFIG_DEFAULT_REPLY, sizeof(CONFIG_DEFAULT_REPLY));
	c->router.max_answers_per_minute = 6;
	c->router.officer_answers_per_minute = 30;
	memcpy(c->content.menus, CONFIG_DEFAULT_MENUS, sizeof(CONFIG_DEFAULT_MENUS));
	memcpy(c->content.translations, CONFIG_DEFAULT_TRANSLATIONS,
	    sizeof(CONFIG_DEFAULT_TRANSLATIONS));
	memcpy(c->content.key_back, "0", 2);
	memcpy(c->content.key_home, "00", 3);
	memcpy(c->content.key_more, "98", 3);
	c->content.ussd_timeout_ms = 180000;
	c->content.sms_timeout_ms = 1800000;
	c->content.ussd_gsm7 = 182;
	c->content.ussd_ucs2 = 80;
	c->content.max_info_segments = 3;
	config_reports_defaults(c);
	config_ussd_defaults(c);
	config_events_defaults(c);
	config_health_defaults(c);
	config_priv_defaults(c);
}

/* Reads the file into cfg; reports unreadable files and syntax errors. */
static int
config_parse(struct config_ctx *ctx, config_t *cfg)
{
	struct stat sb;
	FILE *fp;

	fp = fopen(ctx->path, "r");
	if (fp == NULL) {
		(void)snprintf(ctx->err, ctx->errsz, "%s: cannot read: %s", ctx->path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(fp);
		(void)snprintf(ctx->err, ctx->errsz, "%s: cannot read: %s", ctx->path,
		    strerror(EISDIR));
		return -1;
	}
	fclose(fp);
	if (config_read_file(cfg, ctx->path) == CONFIG_TRUE)
		return 0;
	if (config_error_type(cfg) == CONFIG_ERR_FILE_IO) {
		(void)snprintf(ctx->err, ctx->errsz, "%s: cannot read: %s", ctx->path,
		    errno != 0 ? strerror(errno) : "I/O error");
		return -1;
	}
	(void)snprintf(ctx->err, ctx->errsz, "%s:%d: %s",
	    config_error_file(cfg) != NULL ? config_error_file(cfg) : ctx->path,
	    config_error_line(cfg),
	    config_error_text(cfg) != NULL ? config_error_text(cfg) : "syntax error");
	return -1;
}

void
config_default(struct kawan_config *out)
{
	config_defaults(out);
}

int
config_load(const char *path, struct kawan_config *out, char *err, size_t errsz)
{
	struct config_ctx ctx = { path, err, errsz };
	struct kawan_config *c;
	config_t cfg;
	const config_setting_t *root;
	int rc = -1;

	if (errsz > 0)
		err[0] = '\0';
	c = malloc(sizeof(*c));
	if (c == NULL) {
		(void)snprintf(err, errsz, "%s: out of memory", path);
		return -1;
	}
	config_defaults(c);
	if (util_strcopy(c->source, sizeof(c->source), path) == -1) {
		(void)snprintf(err, errsz, "%s: path too long (at most %zu bytes)", path,
		    sizeof(c->source) - 1);
		free(c);
		return -1;
	}
	config_init(&cfg);
	if (config_parse(&ctx, &cfg) == -1)
		goto done;
	root = config_root_setting(&cfg);
	if (config_check_keys(&ctx, root, config_top_keys) == -1 ||
	    config_top(&ctx, root, c) == -1 || config_modems(&ctx, root, c) == -1 ||
	    config_queues(&ctx, root, c) == -1 || config_router(&ctx, root, c) == -1 ||
	    config_content(&ctx, root, c) == -1 || config_reports(&ctx, root, c) == -1 ||
	    config_ussd(&ctx, root, c) == -1 || config_events(&ctx, root, c) == -1 ||
	    config_pool(&ctx, root, c) == -1 || config_health(&ctx, root, c) == -1 ||
	    config_priv(&ctx, root, c) == -1)
		goto done;
	memcpy(out, c, sizeof(*out));
	rc = 0;
done:
	config_destroy(&cfg);
	free(c);
	return rc;
}
