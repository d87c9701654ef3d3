/* config_int.h - what the configuration loader's files share: the error
 * context and the typed, checked readers. Not for other stages. */
#ifndef KAWAN_CONFIG_INT_H
#define KAWAN_CONFIG_INT_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

struct config_ctx {
	const char *path;
	char *err;
	size_t errsz;
};

/* Writes "file:line: message" into ctx->err. */
void config_fail(struct config_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "officers.[0].name"-style path of s into buf. */
void config_qualname(const config_setting_t *s, char *buf, size_t bufsz);
/* Fails on any member of group not named in keys (NULL-terminated). */
int config_check_keys(struct config_ctx *ctx, const config_setting_t *group,
    const char *const *keys);
config_setting_t *config_member(struct config_ctx *ctx, const config_setting_t *group,
    const char *name, int type, int *rc);
/* Optional typed settings: each leaves *out (its default) when absent. */
int config_string(struct config_ctx *ctx, const config_setting_t *group, const char *name,
    char *dst, size_t dstsz, bool allow_empty);
int config_int(struct config_ctx *ctx, const config_setting_t *group, const char *name,
    long long min, long long max, int *out);
int config_duration(struct config_ctx *ctx, const config_setting_t *group, const char *name,
    int *ms);
int config_bool(struct config_ctx *ctx, const config_setting_t *group, const char *name, int *out);
int config_group(struct config_ctx *ctx, const config_setting_t *parent, const char *name,
    const char *const *keys, config_setting_t **out);
int config_check_order(struct config_ctx *ctx, const config_setting_t *group, const char *lo,
    const char *hi, int lo_ms, int hi_ms);
int config_enum(struct config_ctx *ctx, const config_setting_t *m, const char *key,
    const char *const *names, size_t nnames, int *out);

/* config_reports.c: the reports group, officer rosters and the NGO desk. */
int config_reports(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c);
void config_reports_defaults(struct kawan_config *c);

/* config_ussd.c: the ussd group (the operator USSD link). */
int config_ussd(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c);
void config_ussd_defaults(struct kawan_config *c);

/* config_events.c: missed calls (the calls group) and delivery_reports. */
int config_events(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c);
void config_events_defaults(struct kawan_config *c);

/* config_pool.c: a modem's imsi, network and failover_after; the networks group. */
void config_pool_modem_defaults(struct config_modem *md);
int config_pool_modem(struct config_ctx *ctx, const config_setting_t *m, struct config_modem *md,
    const struct config_modem *earlier, size_t nearlier);
int config_pool(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c);

/* config_quota.c: a modem's quotas and reset ladder. */
void config_quota_modem_defaults(struct config_modem *md);
int config_quota_modem(struct config_ctx *ctx, const config_setting_t *m, struct config_modem *md);

/* config_health.c: health_interval, operators, and the balance check of a
 * modem or network (what names it in errors: "modem 'm1'"). */
void config_health_defaults(struct kawan_config *c);
void config_health_balance_defaults(struct config_balance *b);
int config_health_balance(struct config_ctx *ctx, const config_setting_t *g, const char *what,
    struct config_balance *b);
int config_health(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c);

/* config_priv.c: user (least privilege). */
void config_priv_defaults(struct kawan_config *c);
int config_priv(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c);

/* Reads path setting name, resolved against the configuration file's folder. */
int config_resolve(struct config_ctx *ctx, const config_setting_t *g, const char *name, char *path,
    size_t pathsz);

#endif
