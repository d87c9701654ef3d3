/* daemon.c - the process: threads and signals.
 *
 *   main    blocks every signal, starts the channels ("modem:NAME", one per
 *           modem) and the core thread ("core"), then waits in sigwait():
 *           SIGHUP asks the core to reload, SIGTERM/SIGINT to stop.
 *   core    daemon_core.c: routes, ticks the reports, expires fragments,
 *           applies retention, reloads; never calls libgammu, never waits
 *           on a modem.
 *   modem:* channel_modem.c: one modem each.
 *
 * Threads hand work to each other through the database (commit, then wake)
 * and share only the snapshot holder, the wakers and two flags. */
#include "daemon/daemon.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "channel/channel.h"
#include "channel/channel_pool.h"
#include "core/log.h"
#include "core/thread.h"
#include "daemon/daemon_int.h"
#include "render/render.h"
#include "store/store.h"

/* Loads the content named by cfg. Returns the snapshot's content, or NULL
 * with the file:line errors logged. Core thread only (the error list is
 * large and static). */
struct content *
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

/* The first snapshot: the configuration and its content. NULL on failure. */
static struct snapshot *
daemon_first_snapshot(const struct kawan_config *cfg)
{
	struct content *c = NULL;

	if (cfg->content.configured) {
		c = daemon_load_content(cfg);
		if (c == NULL)
			return NULL;
	} else {
		log_warnx("no content group in %s: every message gets router.reply_text",
		    cfg->source);
	}
	return snapshot_new(cfg, c);
}

/* Waits for signals until asked to stop. */
static void
daemon_signals(struct daemon *d, const sigset_t *set)
{
	for (;;) {
		int sig = 0;

		if (sigwait(set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			atomic_store(&d->reload, true);
			wake_up(&d->core_wake);
			continue;
		}
		atomic_store(&d->stop, true);
		wake_up(&d->core_wake);
		return;
	}
}

static int
daemon_start_channels(struct daemon *d, const struct kawan_config *cfg)
{
	struct channel_env env = { cfg->database, &d->snaps, &d->core_wake, NULL, NULL, NULL };

	d->pool = channel_pool_new(cfg);
	if (d->pool == NULL) {
		log_warnx("out of memory");
		return -1;
	}
	env.pool = d->pool;
	env.diskfull = &d->diskfull;
	for (size_t i = 0; i < cfg->nmodems; i++) {
		d->channels[i] = channel_modem_new(&env, &cfg->modems[i]);
		if (d->channels[i] == NULL) {
			log_warnx("out of memory");
			return -1;
		}
		d->nchannels++;
		if (d->channels[i]->ops->start(d->channels[i]) < 0)
			return -1;
	}
	if (cfg->ussd.enabled) {
		struct channel *u =
		    channel_ussd_new(&env, &cfg->ussd, cfg->content.ussd_timeout_ms);

		if (u == NULL) {
			log_warnx("out of memory");
			return -1;
		}
		d->channels[d->nchannels++] = u;
		if (u->ops->start(u) < 0)
			return -1;
	}
	return 0;
}

int
daemon_run(const struct kawan_config *cfg)
{
	struct daemon *d = calloc(1, sizeof(*d));
	struct snapshot *first;
	sigset_t set;
	pthread_t core;
	int rc = 1;

	if (d == NULL) {
		log_warn("daemon");
		return 1;
	}
	/* Every thread started from here inherits the mask: signals reach
	 * only sigwait() below. */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->core_wake.fd = -1;
	atomic_init(&d->stop, false);
	atomic_init(&d->reload, false);
	first = daemon_first_snapshot(cfg);
	if (first == NULL || snapshot_holder_init(&d->snaps, first) < 0) {
		snapshot_release(first);
		free(d);
		return 1;
	}
	if (wake_open(&d->core_wake) < 0 || store_open(cfg->database, &d->st) < 0) {
		log_warnx("cannot open database %s", cfg->database);
		goto done;
	}
	/* Parts staged by a version that drove one modem are that modem's. */
	if (store_outbound_adopt_staged(d->st, cfg->modems[0].name) < 0)
		goto done;
	if (daemon_start_channels(d, cfg) < 0)
		goto done;
	if (pthread_create(&core, NULL, daemon_core_main, d) != 0) {
		log_warnx("cannot start the core thread");
		goto done;
	}
	log_info("kawan-gateway running: database %s, %zu modem%s", cfg->database, cfg->nmodems,
	    cfg->nmodems == 1 ? "" : "s");
	thread_name_self("main");
	daemon_signals(d, &set);
	pthread_join(core, NULL);
	log_info("stopping");
	rc = 0;
done:
	channel_stop_all(d->channels, d->nchannels);
	channel_pool_free(d->pool);
	store_close(d->st);
	wake_close(&d->core_wake);
	snapshot_holder_fini(&d->snaps);
	free(d);
	render_thread_end(); /* ICU objects the content check at start cached */
	return rc;
}
