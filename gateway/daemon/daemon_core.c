/* daemon_core.c - the core thread: each turn routes what the channels
 * stored, ticks the reports (alerts, escalation, reminders), stores
 * fragments that waited past partial_timeout, applies retention hourly,
 * and wakes the channels when it queued anything; then it sleeps until a
 * channel or a signal wakes it, or a second passes. It never calls
 * libgammu and never waits on a modem.
 *
 *   SIGHUP --> daemon_core_reload(): a new configuration and content are
 *   loaded and checked; only a clean one becomes the new snapshot, the old
 *   one is freed when its last user lets go. */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/thread.h"
#include "core/util.h"
#include "daemon/daemon_int.h"
#include "inbound/inbound.h"
#include "render/render.h"
#include "reports/reports.h"
#include "router/router.h"

#define CORE_MAX_WAIT_MS 1000 /* the reports tick runs at least this often */
#define CORE_RETENTION_EVERY_MS (3600 * 1000)

/* A USSD session's history is kept this long (a session lasts minutes). */
#define DAEMON_USSD_KEEP_MS 86400000

/* Says which USSD settings a reload cannot apply (the link's sockets and
 * tables are made once); the rest are read per request. */
static void
daemon_core_ussd_changes(const struct kawan_config *old, const struct kawan_config *cfg)
{
	const struct config_ussd *a = &old->ussd, *b = &cfg->ussd;

	if (a->enabled != b->enabled) {
		log_warnx("reload: the ussd group was %s; that takes a restart",
		    b->enabled ? "added" : "removed");
		return;
	}
	if (!b->enabled)
		return;
	if (strcmp(a->listen, b->listen) != 0)
		log_warnx("reload: ussd.listen changed; it takes a restart");
	if (strcmp(a->tls_cert, b->tls_cert) != 0 || strcmp(a->tls_key, b->tls_key) != 0)
		log_warnx("reload: ussd.tls_cert / tls_key changed; they take a restart");
	if (a->threads != b->threads)
		log_warnx("reload: ussd.threads changed; it takes a restart");
	if (a->max_sessions != b->max_sessions)
		log_warnx("reload: ussd.max_sessions changed; it takes a restart");
}

/* Loads the configuration again; a clean one (and its content) becomes the
 * new snapshot. */
static void
daemon_core_reload(struct daemon *d)
{
	struct snapshot *cur = snapshot_get(&d->snaps), *next;
	struct kawan_config *cfg = malloc(sizeof(*cfg));
	struct content *c = NULL;
	char err[CONFIG_ERROR_MAX];
	enum log_level lvl;

	if (cfg == NULL)
		goto done;
	if (config_load(cur->cfg.source, cfg, err, sizeof(err)) < 0) {
		log_warnx("reload refused, keeping the running configuration: %s", err);
		goto done;
	}
	if (config_pins_check(cfg, err, sizeof(err)) < 0) {
		log_warnx("reload refused, keeping the running configuration: %s", err);
		goto done;
	}
	if (strcmp(cfg->database, cur->cfg.database) != 0)
		log_warnx("reload: a new database path takes effect only after a restart");
	if (util_strcopy(cfg->database, sizeof(cfg->database), cur->cfg.database) < 0)
		goto done;
	for (size_t i = 0; i < cfg->nmodems; i++) {
		bool known = false;

		for (size_t k = 0; k < cur->cfg.nmodems; k++)
			known = known || strcmp(cfg->modems[i].name, cur->cfg.modems[k].name) == 0;
		if (!known)
			log_warnx("reload: modem %s is new; it is driven after a restart",
			    cfg->modems[i].name);
	}
	daemon_core_ussd_changes(&cur->cfg, cfg);
	if (cfg->content.configured) {
		c = daemon_load_content(cfg);
		if (c == NULL) {
			log_warnx(
			    "reload: keeping the content that was serving, and the running configuration");
			goto done;
		}
	}
	next = snapshot_new(cfg, c);
	if (next == NULL)
		goto done;
	if (log_level_parse(cfg->log_level, &lvl) == 0)
		log_set_level(lvl);
	snapshot_swap(&d->snaps, next);
	channel_wake_all(d->channels, d->nchannels); /* a modem's settings may have changed */
	log_info("configuration reloaded from %s", cfg->source);
done:
	free(cfg);
	snapshot_release(cur);
}

/* One turn with snapshot s. */
static void
daemon_core_turn(struct daemon *d, const struct snapshot *s)
{
	struct router_ctx rc = { &s->cfg, s->content, &s->engine };
	struct reports_ctx rx = { d->st, &s->cfg, s->content, s->engine.serve_fuzzy, ENGINE_SMS };
	int64_t before = store_changes(d->st), now = util_mono_ms();

	if (router_dispatch(d->st, &rc) < 0)
		log_warnx("router: store error; will retry");
	/* Alerts, escalations and reminders are queued even while modems are down. */
	if (reports_tick(&rx, util_now_ms()) < 0)
		log_warnx("reports: store error in the escalation tick; will retry");
	if (inbound_expire(d->st, &s->cfg, util_now_ms()) > 0 && router_dispatch(d->st, &rc) < 0)
		log_warnx("router: store error; will retry");
	/* A worker who left USSD before a report's reference page gets it by SMS. */
	if (s->cfg.ussd.enabled && router_ussd_owed(d->st, &rc, util_now_ms()) < 0)
		log_warnx("router: store error while sending USSD references; will retry");
	if (now >= d->next_retention_ms) {
		d->next_retention_ms = now + CORE_RETENTION_EVERY_MS;
		if (reports_retention_run(&rx, util_now_ms(), NULL) < 0 ||
		    store_ussd_expire(d->st, util_now_ms() - DAEMON_USSD_KEEP_MS) < 0)
			log_warnx("retention failed; will retry");
	}
	/* Committed: now the channels may send it. */
	if (store_changes(d->st) != before)
		channel_wake_all(d->channels, d->nchannels);
	(void)channel_watch(d->channels, d->nchannels, util_mono_ms());
}

void *
daemon_core_main(void *arg)
{
	struct daemon *d = arg;

	thread_name_self("core");
	while (!atomic_load(&d->stop)) {
		struct snapshot *s;

		if (atomic_exchange(&d->reload, false))
			daemon_core_reload(d);
		s = snapshot_get(&d->snaps);
		daemon_core_turn(d, s);
		snapshot_release(s);
		if (!atomic_load(&d->stop) && !atomic_load(&d->reload))
			(void)wake_wait(&d->core_wake, CORE_MAX_WAIT_MS);
	}
	render_thread_end(); /* the ICU objects this thread cached */
	return NULL;
}
