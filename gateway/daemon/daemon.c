/* daemon.c - one thread, one loop. Each turn: reopen the modem if due,
 * route what is stored, sweep the SIM if +CMTI said so (or the fallback
 * timer ran out), send one due message, then wait in poll() until the
 * modem speaks or the next timer. Idle, it sleeps in poll().
 *
 *   modem down --open ok--> up --link error--> down (reopen after backoff,
 *   doubling from reopen_min to reopen_max; queues keep filling meanwhile)
 */
#include "daemon/daemon.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "content/content.h"
#include "core/log.h"
#include "core/util.h"
#include "inbound/inbound.h"
#include "modem/modem.h"
#include "outbound/outbound.h"
#include "reports/reports.h"
#include "router/router.h"
#include "session/engine.h"
#include "store/store.h"

#define DAEMON_MAX_WAIT_MS 1000   /* longest poll(): bounds signal latency */

static volatile sig_atomic_t daemon_stop;
static volatile sig_atomic_t daemon_reload;

struct daemon {
	struct kawan_config cfg;
	struct store *st;
	struct modem *modem;
	bool up;
	int64_t next_open_ms;      /* monotonic */
	int64_t backoff_ms;
	int64_t next_sweep_ms;     /* monotonic */
	bool sweep_now;
	struct content *content;   /* the immutable snapshot served; NULL: service message */
	struct engine_settings engine;
	int64_t next_retention_ms;  /* monotonic: erase old personal data hourly */
};

#define DAEMON_RETENTION_EVERY_MS (3600 * 1000)

static void
daemon_on_signal(int sig)
{
	if (sig == SIGHUP)
		daemon_reload = 1;
	else
		daemon_stop = 1;
}

static void
daemon_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = daemon_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;   /* no SA_RESTART: poll() returns on a signal */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
daemon_modem_down(struct daemon *d, const char *why)
{
	log_warnx("modem %s: %s; reopening in %lld ms", d->modem->cfg.name, why,
	    (long long)d->backoff_ms);
	d->modem->ops->close(d->modem);
	d->up = false;
	d->next_open_ms = util_mono_ms() + d->backoff_ms;
	d->backoff_ms *= 2;
	if (d->backoff_ms > d->modem->cfg.reopen_max_ms)
		d->backoff_ms = d->modem->cfg.reopen_max_ms;
}

static void
daemon_try_open(struct daemon *d)
{
	if (d->up || util_mono_ms() < d->next_open_ms)
		return;
	if (d->modem->ops->open(d->modem) < 0) {
		daemon_modem_down(d, "open failed");
		return;
	}
	d->up = true;
	d->backoff_ms = d->modem->cfg.reopen_min_ms;
	d->sweep_now = true;
	if (outbound_clean_orphans(d->st, d->modem) < 0)
		log_warnx("modem %s: could not check its stored replies", d->modem->cfg.name);
}

/* Loads the content named by cfg. Returns the snapshot, or NULL with the
 * file:line errors logged. */
static struct content *
daemon_load_content(const struct kawan_config *cfg)
{
	static struct content_errors errs;
	struct content *c = NULL;
	char buf[8192];

	if (content_load(cfg->content.menus, cfg->content.translations, &c, &errs) == 0) {
		log_info("content loaded from %s and %s: %zu nodes, %zu languages",
		    cfg->content.menus, cfg->content.translations, content_nnodes(c),
		    content_nlanguages(c));
		return c;
	}
	content_errors_format(&errs, buf, sizeof(buf));
	log_warnx("content in %s refused (%zu error%s):\n%s", cfg->content.menus, errs.total,
	    errs.total == 1 ? "" : "s", buf);
	return NULL;
}

/* SIGHUP: new content replaces the old only when it loads cleanly. */
static void
daemon_reload_content(struct daemon *d, const struct kawan_config *next)
{
	struct content *c;

	if (!next->content.configured) {
		content_free(d->content);
		d->content = NULL;
		return;
	}
	c = daemon_load_content(next);
	if (c == NULL) {
		log_warnx("reload: keeping the content that was serving");
		return;
	}
	content_free(d->content);
	d->content = c;
}

static void
daemon_reload_config(struct daemon *d)
{
	struct kawan_config next;
	char err[CONFIG_ERROR_MAX];
	enum log_level lvl;

	daemon_reload = 0;
	if (config_load(d->cfg.source, &next, err, sizeof(err)) < 0) {
		log_warnx("reload refused, keeping the running configuration: %s", err);
		return;
	}
	if (strcmp(next.database, d->cfg.database) != 0)
		log_warnx("reload: a new database path takes effect only after a restart");
	if (util_strcopy(next.database, sizeof(next.database), d->cfg.database) < 0)
		return;
	if (memcmp(&next.modems[0], &d->modem->cfg, sizeof(next.modems[0])) != 0) {
		log_info("reload: modem settings changed; reconnecting");
		if (d->up)
			d->modem->ops->close(d->modem);
		d->modem->cfg = next.modems[0];
		d->up = false;
		d->next_open_ms = 0;
		d->backoff_ms = d->modem->cfg.reopen_min_ms;
	}
	if (log_level_parse(next.log_level, &lvl) == 0)
		log_set_level(lvl);
	daemon_reload_content(d, &next);
	d->cfg = next;
	router_engine_settings(&d->cfg, &d->engine);
	log_info("configuration reloaded from %s", d->cfg.source);
}

/* Routes, sweeps and sends; returns how long the loop may sleep. */
static int
daemon_turn(struct daemon *d)
{
	int64_t now = util_mono_ms(), wait = DAEMON_MAX_WAIT_MS, due_at;
	unsigned events = 0;

	daemon_try_open(d);
	if (d->up && (d->sweep_now || now >= d->next_sweep_ms)) {
		struct inbound_counts c;

		d->sweep_now = false;
		d->next_sweep_ms = now + d->modem->cfg.poll_interval_ms;
		if (inbound_sweep(d->st, d->modem, &d->cfg, &c) < 0)
			daemon_modem_down(d, "inbox sweep failed");
	}
	struct router_ctx rc = { &d->cfg, d->content, &d->engine };
	struct reports_ctx rx = { d->st, &d->cfg, d->content, d->engine.serve_fuzzy };

	if (router_dispatch(d->st, &rc) < 0)
		log_warnx("router: store error; will retry");
	/* Alerts, escalations and reminders are queued even while the modem is down. */
	if (reports_tick(&rx, util_now_ms()) < 0)
		log_warnx("reports: store error in the escalation tick; will retry");
	if (now >= d->next_retention_ms) {
		d->next_retention_ms = now + DAEMON_RETENTION_EVERY_MS;
		int64_t cutoff = util_now_ms() - (int64_t)d->cfg.reports.retention_days * 86400000;

		if (reports_retention(&rx, util_now_ms()) < 0 ||
		    store_erase_messages_before(d->st, cutoff) < 0)
			log_warnx("retention failed; will retry");
	}
	if (d->up) {
		switch (outbound_send_one(d->st, d->modem, &d->cfg, util_now_ms())) {
		case OUTBOUND_SENT:
		case OUTBOUND_RETRY:
			wait = 0;   /* look at the modem, then send the next one */
			break;
		case OUTBOUND_LINK_DOWN:
			daemon_modem_down(d, "send failed");
			break;
		default:
			break;
		}
	}
	if (wait > 0 && store_outbound_next_due_at(d->st, &due_at) == 0 && d->up)
		wait = due_at - util_now_ms() < wait ? due_at - util_now_ms() : wait;
	if (d->up && d->next_sweep_ms - util_mono_ms() < wait)
		wait = d->next_sweep_ms - util_mono_ms();
	if (!d->up && d->next_open_ms - util_mono_ms() < wait)
		wait = d->next_open_ms - util_mono_ms();
	if (wait < 0)
		wait = 0;
	if (d->up) {
		if (d->modem->ops->poll(d->modem, (int)wait, &events) < 0)
			daemon_modem_down(d, "link lost");
		if (events & MODEM_EV_SMS)
			d->sweep_now = true;
		return 0;
	}
	return (int)wait;
}

int
daemon_run(const struct kawan_config *cfg)
{
	struct daemon d;
	int rc = 1;

	memset(&d, 0, sizeof(d));
	d.cfg = *cfg;
	daemon_signals();
	router_engine_settings(&d.cfg, &d.engine);
	if (d.cfg.content.configured) {
		d.content = daemon_load_content(&d.cfg);
		if (d.content == NULL)
			return 1;
	} else {
		log_warnx("no content group in %s: every message gets router.reply_text",
		    d.cfg.source);
	}
	if (store_open(d.cfg.database, &d.st) < 0) {
		log_warnx("cannot open database %s", d.cfg.database);
		return 1;
	}
	d.modem = modem_gammu_new(&d.cfg.modems[0]);
	if (d.modem == NULL) {
		log_warnx("out of memory");
		goto done;
	}
	d.backoff_ms = d.modem->cfg.reopen_min_ms;
	if (d.cfg.nmodems > 1)
		log_warnx("%zu modems configured; this version drives only the first (%s)",
		    d.cfg.nmodems, d.modem->cfg.name);
	log_info("kawan-gateway running: database %s, modem %s on %s", d.cfg.database,
	    d.modem->cfg.name, d.modem->cfg.device);
	while (!daemon_stop) {
		int sleep_ms;

		if (daemon_reload)
			daemon_reload_config(&d);
		sleep_ms = daemon_turn(&d);
		if (sleep_ms > 0 && !daemon_stop && !daemon_reload) {
			struct timespec ts = { sleep_ms / 1000, (sleep_ms % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
	log_info("stopping");
	rc = 0;
done:
	if (d.modem != NULL)
		d.modem->ops->destroy(d.modem);
	store_close(d.st);
	content_free(d.content);
	return rc;
}
