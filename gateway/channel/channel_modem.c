/* channel_modem.c - the SMS channel over one modem: a thread "modem:NAME"
 * that owns the modem's libgammu state machine, with its own database
 * connection. Each turn: reopen the modem if due, sweep the SIM if +CMTI
 * said so (or the fallback timer ran out), send one due message, then wait
 * in poll() until the modem speaks, the core wakes it, or the next timer.
 *
 *   down --open ok: clean orphans, sweep--> up
 *   up --link error--> down (reopen after backoff, doubling from
 *        reopen_min to reopen_max; the queues keep filling meanwhile)
 *   up/down --its settings changed in a new snapshot--> down, reopen now
 *
 * Hand-off is through the database: stored inbound rows are committed,
 * then the core is woken; the core commits outbound rows, then wakes this
 * thread. Nothing here calls the router or the engine. */
#include "channel/channel.h"
#include "channel/channel_pool.h"
#include "channel/ladder.h"
#include "channel/quota.h"
#include "channel/channel_health.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/thread.h"
#include "core/util.h"
#include "inbound/inbound.h"
#include "outbound/outbound.h"
#include "store/store.h"

#define CM_MAX_WAIT_MS 1000       /* longest sleep: bounds how late a snapshot change is seen */
#define CM_STORE_RETRY_MS 1000    /* after a database error */
#define CM_FAILOVER_EVERY_MS 1000 /* how often a thread looks for rows to move */

struct cm {
	struct channel ch;
	struct channel_env env;
	struct config_modem cfg; /* as configured when the modem was (re)opened */
	pthread_t thread;
	bool started;
	atomic_bool stop;
	struct waker wake;
	/* Owned by the thread alone from here on. */
	struct store *st;
	struct modem *modem;
	struct outbound ob;
	bool up;
	int64_t next_open_ms; /* monotonic */
	int64_t backoff_ms;
	int64_t next_sweep_ms; /* monotonic */
	bool sweep_now;
	unsigned long gen; /* the snapshot last looked at */
	/* The pool (issue 10, channel_pool.c). */
	char dev[CONFIG_PATH_MAX]; /* the device claimed from the pool, "" none */
	unsigned attempt;          /* tries since the last good open */
	int64_t next_failover_ms;  /* monotonic */
	/* Quotas and the reset ladder (issue 10, quota.c, ladder.c). */
	struct quota_watch quota;
	struct ladder ladder;
	struct channel_health health; /* health reads (channel_health.c) */
	struct diskfull own_diskfull; /* when env.diskfull is NULL (tests) */
	struct diskfull *diskfull;    /* a full disk (diskfull.h, issue 11) */
};

#define CM_COMMAND_MAX_MS 60000 /* reset_command is killed after this */

extern char **environ;

/* The modem is closed: its device goes back to the pool (imsi: what was
 * seen on it, NULL unknown) and the database hears it is down. */
static void
cm_pool_down(struct cm *c, const char *imsi)
{
	bool was_up = c->up;

	c->up = false;
	if (c->dev[0] != '\0')
		channel_pool_release(c->env.pool, c->dev, imsi);
	c->dev[0] = '\0';
	if (was_up && c->st != NULL &&
	    store_modem_set_up(c->st, c->cfg.name, false, util_now_ms()) < 0)
		log_warnx("modem %s: could not record that it is down", c->cfg.name);
}

/* The modem just opened: whose SIM is it? Returns 0 to keep it, -1 when
 * it holds another SIM than the configured imsi (closed, device given back). */
static int
cm_identify(struct cm *c)
{
	char imsi[CHANNEL_IMSI_MAX], iccid[CHANNEL_IMSI_MAX], prev[CHANNEL_IMSI_MAX];

	if (c->modem->ops->identity == NULL ||
	    c->modem->ops->identity(c->modem, imsi, sizeof(imsi), iccid, sizeof(iccid)) < 0) {
		if (c->cfg.imsi[0] == '\0')
			return 0; /* known by its port: go on without an identity */
		log_warnx("modem %s: cannot read the SIM's IMSI on %s", c->cfg.name, c->dev);
		c->modem->ops->close(c->modem);
		cm_pool_down(c, "");
		return -1;
	}
	if (c->cfg.imsi[0] != '\0' && strcmp(imsi, c->cfg.imsi) != 0) {
		log_info("modem %s: %s holds SIM %s, not %s; trying another device", c->cfg.name,
		    c->dev, imsi, c->cfg.imsi);
		c->modem->ops->close(c->modem);
		cm_pool_down(c, imsi);
		return -1;
	}
	log_info("modem %s: SIM %s%s%s on %s", c->cfg.name, imsi, iccid[0] ? " ICCID " : "", iccid,
	    c->dev[0] ? c->dev : c->cfg.device);
	if (store_modem_seen(c->st, c->cfg.name, imsi, iccid, c->dev[0] ? c->dev : c->cfg.device,
		util_now_ms(), prev, sizeof(prev)) < 0)
		log_warnx("modem %s: could not record its SIM", c->cfg.name);
	else if (prev[0] != '\0' && strcmp(prev, imsi) != 0)
		log_warnx("modem %s: *** SIM CHANGED *** IMSI %s was %s last time: replies, "
			  "quotas and the operator's prefixes now follow the new SIM",
		    c->cfg.name, imsi, prev);
	return 0;
}

static void
cm_down(struct cm *c, const char *why)
{
	log_warnx("modem %s: %s; reopening in %lld ms", c->cfg.name, why, (long long)c->backoff_ms);
	channel_health_error(c->st, c->cfg.name, why);
	c->modem->ops->close(c->modem);
	cm_pool_down(c, NULL);
	c->next_open_ms = util_mono_ms() + c->backoff_ms;
	c->backoff_ms *= 2;
	if (c->backoff_ms > c->cfg.reopen_max_ms)
		c->backoff_ms = c->cfg.reopen_max_ms;
}

/* Runs reset_command DEVICE (no shell: posix_spawn with an argv), waiting
 * at most CM_COMMAND_MAX_MS. Returns its exit status, or -1. */
static int
cm_run_command(struct cm *c, const char *device)
{
	char *argv[] = { c->cfg.reset_command, (char *)device, NULL };
	posix_spawnattr_t attr;
	sigset_t none, all;
	pid_t pid;
	int rc, status = 0;
	int64_t deadline = util_mono_ms() + CM_COMMAND_MAX_MS;

	sigemptyset(&none);
	sigfillset(&all);
	if (posix_spawnattr_init(&attr) != 0)
		return -1;
	/* The child starts with no signal blocked and every handler default. */
	(void)posix_spawnattr_setsigmask(&attr, &none);
	(void)posix_spawnattr_setsigdefault(&attr, &all);
	(void)posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&pid, c->cfg.reset_command, NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		log_warnx("modem %s: cannot run %s: %s", c->cfg.name, c->cfg.reset_command,
		    strerror(rc));
		return -1;
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return errno == ECHILD ? 0 : -1;
		if (util_mono_ms() >= deadline || atomic_load(&c->stop)) {
			log_warnx("modem %s: %s took too long; killed", c->cfg.name,
			    c->cfg.reset_command);
			(void)kill(pid, SIGKILL);
			(void)waitpid(pid, &status, 0);
			return -1;
		}
		(void)wake_wait(&c->wake, 100);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The modem is dead: recorded, and the operators told once (an urgent SMS
 * each, sent by any other modem that may send). */
static void
cm_dead(struct cm *c, const struct kawan_config *cfg, const char *device)
{
	char text[CONFIG_PATH_MAX + 256];
	int rc;

	_Static_assert(sizeof(cfg->operators[0]) == 32, "store_ladder_dead takes char[32]");
	(void)snprintf(text, sizeof(text),
	    "Kawan: modem %s (%s) is dead: no answer after a reset%s. Its replies go through "
	    "the other modems.",
	    c->cfg.name, device[0] ? device : c->cfg.device,
	    c->cfg.reset_command[0] ? " and the reset command" : "");
	rc = store_ladder_dead(c->st, c->cfg.name, (const char(*)[32])cfg->operators,
	    cfg->noperators, text, util_now_ms());
	if (rc < 0) {
		log_warnx("modem %s: could not record that it is dead", c->cfg.name);
		return;
	}
	log_warnx("modem %s: *** DEAD *** (ladder: dead); still reopened every %d ms; %s",
	    c->cfg.name, c->cfg.reopen_max_ms,
	    rc == 0             ? "the operators were told already" :
	    cfg->noperators > 0 ? "the operators are told by SMS" :
				  "no operators configured to tell");
	if (rc > 0)
		wake_up(c->env.core); /* the core wakes the modems that may send it */
}

/* A reopen failed: one step of the ladder (ladder.c), logged and counted. */
static void
cm_ladder_failed(struct cm *c, const struct kawan_config *cfg, const char *device)
{
	enum ladder_action a =
	    ladder_failed(&c->ladder, c->cfg.reset_after, c->cfg.reset_command[0] != '\0');
	int rc;

	if (store_ladder_count(c->st, c->cfg.name, STORE_LADDER_FAIL,
		ladder_rung_name(c->ladder.rung)) < 0)
		log_warnx("modem %s: could not count the failed reopen", c->cfg.name);
	switch (a) {
	case LADDER_ACT_RESET:
		rc = c->modem->ops->reset != NULL ? c->modem->ops->reset(c->modem) : 1;
		log_warnx("modem %s: %d reopens failed; ladder: reset through libgammu: %s",
		    c->cfg.name, c->cfg.reset_after,
		    rc == 0 ? "asked" :
		    rc > 0  ? "skipped (the modem does not answer)" :
			      "refused");
		if (store_ladder_count(c->st, c->cfg.name, STORE_LADDER_RESET, "reset") < 0)
			log_warnx("modem %s: could not count the reset", c->cfg.name);
		break;
	case LADDER_ACT_COMMAND:
		log_warnx("modem %s: %d more reopens failed; ladder: running %s %s", c->cfg.name,
		    c->cfg.reset_after, c->cfg.reset_command, device[0] ? device : c->cfg.device);
		rc = cm_run_command(c, device[0] ? device : c->cfg.device);
		log_info("modem %s: %s exited with %d", c->cfg.name, c->cfg.reset_command, rc);
		if (store_ladder_count(c->st, c->cfg.name, STORE_LADDER_COMMAND, "command") < 0)
			log_warnx("modem %s: could not count the reset command", c->cfg.name);
		break;
	case LADDER_ACT_DEAD:
		cm_dead(c, cfg, device);
		break;
	case LADDER_ACT_REOPEN:
		break;
	}
}

/* The modem opened: off the ladder; a dead one is alive again. */
static void
cm_ladder_opened(struct cm *c)
{
	enum ladder_rung was = ladder_opened(&c->ladder);
	int rc = store_ladder_revived(c->st, c->cfg.name);

	if (rc > 0)
		log_warnx("modem %s: back from the dead", c->cfg.name);
	else if (was != LADDER_REOPEN)
		log_info("modem %s: opened again (ladder was at %s)", c->cfg.name,
		    ladder_rung_name(was));
}

static void
cm_try_open(struct cm *c, const struct kawan_config *cfg)
{
	int rc;

	if (c->up || util_mono_ms() < c->next_open_ms)
		return;
	rc = channel_pool_claim(c->env.pool, cfg, &c->cfg, c->attempt++, c->dev, sizeof(c->dev));
	if (rc != 0) {
		c->dev[0] = '\0';
		c->next_open_ms = util_mono_ms() + c->backoff_ms;
		if (rc > 0)
			log_debug("modem %s: every device of the pool is held; waiting",
			    c->cfg.name);
		return;
	}
	if (util_strcopy(c->modem->cfg.device, sizeof(c->modem->cfg.device), c->dev) < 0) {
		channel_pool_release(c->env.pool, c->dev, NULL);
		c->dev[0] = '\0';
		c->next_open_ms = util_mono_ms() + c->backoff_ms;
		return;
	}
	if (c->modem->ops->open(c->modem) < 0) {
		char tried[CONFIG_PATH_MAX];

		c->up = false;
		c->modem->ops->close(c->modem);
		if (util_strcopy(tried, sizeof(tried), c->dev) < 0)
			tried[0] = '\0';
		channel_pool_release(c->env.pool, c->dev, NULL);
		c->dev[0] = '\0';
		log_warnx("modem %s: open failed; reopening in %lld ms", c->cfg.name,
		    (long long)c->backoff_ms);
		cm_ladder_failed(c, cfg, tried);
		channel_health_error(c->st, c->cfg.name, "open failed");
		c->next_open_ms = util_mono_ms() + c->backoff_ms;
		c->backoff_ms *= 2;
		if (c->backoff_ms > c->cfg.reopen_max_ms)
			c->backoff_ms = c->cfg.reopen_max_ms;
		return;
	}
	if (cm_identify(c) < 0) {
		c->next_open_ms = util_mono_ms() + c->cfg.reopen_min_ms;
		return;
	}
	c->up = true;
	c->attempt = 0;
	cm_ladder_opened(c);
	c->health.next_ms = 0; /* read its health right after the first sweep */
	if (store_modem_set_up(c->st, c->cfg.name, true, util_now_ms()) < 0)
		log_warnx("modem %s: could not record that it is up", c->cfg.name);
	c->backoff_ms = c->cfg.reopen_min_ms;
	c->sweep_now = true;
	if (outbound_clean_orphans(&c->ob) < 0)
		log_warnx("modem %s: could not check its stored replies", c->cfg.name);
}

/* A new snapshot: take this modem's new settings; reconnect only when its
 * link changed (device, connection, PIN, gammu_log, IMSI). */
static void
cm_snapshot(struct cm *c, const struct snapshot *s)
{
	const struct config_modem *mine = NULL;

	if (s->gen == c->gen)
		return;
	c->gen = s->gen;
	for (size_t i = 0; i < s->cfg.nmodems; i++)
		if (strcmp(s->cfg.modems[i].name, c->cfg.name) == 0)
			mine = &s->cfg.modems[i];
	if (mine == NULL) {
		log_warnx("modem %s: gone from the configuration; it stops at the next restart",
		    c->cfg.name);
		return;
	}
	if (memcmp(mine, &c->cfg, sizeof(*mine)) == 0)
		return;
	if (config_modem_link_same(mine, &c->cfg)) {
		/* polling, backoff, role, quotas, ladder, balance: read from
		 * cfg where used, so the open link keeps going */
		log_info("modem %s: settings changed; the link stays open", c->cfg.name);
		c->cfg = *mine;
		c->modem->cfg = *mine;
		return;
	}
	log_info("modem %s: link settings changed; reconnecting", c->cfg.name);
	if (c->up)
		c->modem->ops->close(c->modem);
	cm_pool_down(c, NULL);
	c->cfg = *mine;
	c->modem->cfg = *mine;
	c->next_open_ms = 0;
	c->backoff_ms = c->cfg.reopen_min_ms;
}

/* The operators hear of a full disk once, straight through this modem
 * (the queue is in the database that takes no row). */
static void
cm_diskfull_tell(struct cm *c, const struct kawan_config *cfg)
{
	char text[256];
	size_t ok = 0;

	if (c->cfg.role == MODEM_ROLE_RECEIVE || cfg->noperators == 0 ||
	    !diskfull_claim_tell(c->diskfull, util_mono_ms()))
		return;
	if (diskfull_text(text, sizeof(text), c->cfg.name) < 0) {
		diskfull_untold(c->diskfull);
		return;
	}
	for (size_t i = 0; i < cfg->noperators; i++) {
		int ref = -1;

		c->modem->want_report = false;
		if (c->modem->ops->send(c->modem, cfg->operators[i], text, -1, &ref) ==
		    MODEM_SEND_OK)
			ok++;
		else
			log_warnx("modem %s: could not tell operator %s of the full database",
			    c->cfg.name, cfg->operators[i]);
	}
	if (ok == 0)
		diskfull_untold(c->diskfull); /* the next sweep tries again */
	else
		log_warnx("modem %s: told %zu operator%s by SMS that the database is full",
		    c->cfg.name, ok, ok == 1 ? "" : "s");
}

static void
cm_sweep(struct cm *c, const struct kawan_config *cfg)
{
	struct inbound_counts n;

	c->sweep_now = false;
	c->next_sweep_ms = util_mono_ms() + c->cfg.poll_interval_ms;
	if (inbound_sweep(c->st, c->modem, cfg, &n) < 0)
		cm_down(c, "inbox sweep failed");
	if (n.stored > 0)
		wake_up(c->env.core); /* committed: the core may route it */
	if (n.unstored > 0 && n.fault == STORE_FAULT_DISK) {
		/* Invariant 1: they stay on the SIM; retried soon, not at poll_interval. */
		if (c->cfg.poll_interval_ms > DISKFULL_RETRY_MS)
			c->next_sweep_ms = util_mono_ms() + DISKFULL_RETRY_MS;
		if (diskfull_enter(c->diskfull))
			log_warnx(
			    "modem %s: *** DATABASE FULL *** (%s: %s): SMS stay on the SIM "
			    "until it takes writes again (tried every %d ms); free disk space",
			    c->cfg.name, store_fault_name(n.fault), store_errmsg(c->st),
			    c->cfg.poll_interval_ms > DISKFULL_RETRY_MS ? DISKFULL_RETRY_MS :
									  c->cfg.poll_interval_ms);
		cm_diskfull_tell(c, cfg);
	} else if (n.unstored == 0 && (n.stored > 0 || n.fragments > 0 || n.duplicates > 0) &&
		   diskfull_leave(c->diskfull)) {
		log_warnx("modem %s: the database takes writes again; SMS are taken off the SIM",
		    c->cfg.name);
	}
}

/* The modem's quota (quota.c): at a cap it sends no replies (alerts when
 * alerts_exceed_quota); reaching and leaving a cap are logged once each. */
static void
cm_quota(struct cm *c)
{
	int64_t hour = 0, day = 0;
	bool cap = false;

	if (quota_capped(&c->cfg)) {
		if (store_quota_parts(c->st, c->cfg.name, util_now_ms(), &hour, &day) < 0)
			return; /* keep the last state */
		cap = quota_at_cap(&c->cfg, hour, day);
	}
	switch (quota_watch_update(&c->quota, cap)) {
	case 1:
		log_warnx(
		    "modem %s: at its quota (%lld parts in the last hour, cap %d; %lld in the "
		    "last day, cap %d): its replies go through other modems%s",
		    c->cfg.name, (long long)hour, c->cfg.max_parts_per_hour, (long long)day,
		    c->cfg.max_parts_per_day,
		    c->cfg.alerts_exceed_quota ? "; alerts may still leave through it" : "");
		break;
	case -1:
		log_info("modem %s: under its quota again (%lld parts in the last hour, %lld in "
			 "the last day)",
		    c->cfg.name, (long long)hour, (long long)day);
		break;
	default:
		break;
	}
	c->ob.min_priority = cap ? STORE_PRIORITY_URGENT : STORE_PRIORITY_NORMAL;
}

/* Sends one due message; returns how long the thread may sleep at most. */
static int64_t
cm_send(struct cm *c, const struct kawan_config *cfg)
{
	int64_t due_at;

	cm_quota(c);
	/* At a cap and no alert may pass: nothing is taken (not even claimed). */
	if (c->quota.at_cap && !c->cfg.alerts_exceed_quota && !c->ob.pending)
		return CM_MAX_WAIT_MS;

	switch (outbound_send_one(&c->ob, cfg, util_now_ms())) {
	case OUTBOUND_SENT:
		wake_up(c->env.core); /* an alert's escalation clock starts now */
		return 0;             /* look at the modem, then send the next one */
	case OUTBOUND_RETRY:
		return 0;
	case OUTBOUND_FULL:
		c->sweep_now = true; /* storing what the SIM holds frees slots */
		return 0;
	case OUTBOUND_LINK_DOWN:
		cm_down(c, "send failed");
		return CM_MAX_WAIT_MS;
	case OUTBOUND_STORE_ERROR:
		return CM_STORE_RETRY_MS;
	case OUTBOUND_IDLE:
		if (c->quota.at_cap)
			return CM_MAX_WAIT_MS; /* what is due waits for the failover pass */
		break;
	}
	if (store_outbound_next_due_at(c->st, engine_channel_name(ENGINE_SMS), c->cfg.name,
		&due_at) == 0)
		return due_at - util_now_ms();
	return CM_MAX_WAIT_MS;
}

/* One turn; returns how long the thread may sleep at most. */
static int
cm_turn(struct cm *c, const struct kawan_config *cfg)
{
	int64_t wait = CM_MAX_WAIT_MS, w;

	cm_try_open(c, cfg);
	if (util_mono_ms() >= c->next_failover_ms) {
		c->next_failover_ms = util_mono_ms() + CM_FAILOVER_EVERY_MS;
		if (channel_pool_failover(c->st, cfg, c->cfg.name,
			c->up && c->cfg.role != MODEM_ROLE_RECEIVE, util_now_ms()) < 0)
			log_warnx("modem %s: failover pass failed", c->cfg.name);
	}
	if (c->up && (c->sweep_now || util_mono_ms() >= c->next_sweep_ms))
		cm_sweep(c, cfg);
	if (c->up && !c->sweep_now) {
		w = channel_health_tick(&c->health, c->st, c->modem, cfg, &c->cfg);
		if (w < 0)
			cm_down(c, "health read failed");
		else if (w < wait)
			wait = w;
	}
	if (c->up && c->cfg.role != MODEM_ROLE_RECEIVE) {
		w = cm_send(c, cfg);
		if (w < wait)
			wait = w;
	}
	if (c->up && c->next_sweep_ms - util_mono_ms() < wait)
		wait = c->next_sweep_ms - util_mono_ms();
	if (!c->up && c->next_open_ms - util_mono_ms() < wait)
		wait = c->next_open_ms - util_mono_ms();
	return wait < 0 ? 0 : (int)wait;
}

/* A missed call and status reports: committed, then the core is woken
 * (it answers the call; a failed alert escalates). A store error keeps
 * the reports for the next turn; a call is logged and lost. */
static void
cm_events(struct cm *c, unsigned events)
{
	int64_t now = util_now_ms();
	bool wake = false;

	if (events & MODEM_EV_CALL)
		wake = inbound_call(c->st, c->modem, now) > 0;
	if (c->modem->nreports > 0 && inbound_reports(c->st, c->modem, now) > 0)
		wake = true;
	if (wake)
		wake_up(c->env.core);
}

/* Sleeps until the modem speaks, the core wakes us, or wait_ms. */
static void
cm_wait(struct cm *c, int wait_ms)
{
	unsigned events = 0;

	if (!c->up) {
		(void)wake_wait(&c->wake, wait_ms);
		return;
	}
	if (c->modem->ops->poll(c->modem, wait_ms, c->wake.fd, &events) < 0) {
		cm_down(c, "link lost");
		return;
	}
	if (events & MODEM_EV_WAKE)
		(void)wake_drain(&c->wake);
	if (events & MODEM_EV_SMS)
		c->sweep_now = true;
	if ((events & MODEM_EV_CALL) || c->modem->nreports > 0)
		cm_events(c, events);
}

static void *
cm_main(void *arg)
{
	struct cm *c = arg;

	thread_name_self(c->ch.name);
	while (!atomic_load(&c->stop) && store_open(c->env.database, &c->st) < 0) {
		log_warnx("modem %s: cannot open the database; trying again", c->cfg.name);
		(void)wake_wait(&c->wake, CM_STORE_RETRY_MS);
	}
	outbound_init(&c->ob, c->st, c->modem);
	if (c->st != NULL && store_modem_set_up(c->st, c->cfg.name, false, util_now_ms()) < 0)
		log_warnx("modem %s: could not record that it is down", c->cfg.name);
	while (!atomic_load(&c->stop)) {
		struct snapshot *s = snapshot_get(c->env.snaps);
		int wait;

		atomic_store(&c->ch.beat_ms, util_mono_ms());
		cm_snapshot(c, s);
		wait = cm_turn(c, &s->cfg);
		snapshot_release(s);
		if (!atomic_load(&c->stop))
			cm_wait(c, wait);
	}
	if (c->ob.pending)
		log_warnx("modem %s: stopping with #%lld accepted but not recorded", c->cfg.name,
		    (long long)c->ob.pending_id);
	if (c->up)
		c->modem->ops->close(c->modem);
	cm_pool_down(c, NULL);
	store_close(c->st);
	c->st = NULL;
	return NULL;
}

static int
cm_start(struct channel *ch)
{
	struct cm *c = ch->impl;
	sigset_t all, old;
	int rc;

	/* Signals go to the daemon's main thread alone. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&c->thread, NULL, cm_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_warnx("modem %s: cannot start its thread", c->cfg.name);
		return -1;
	}
	c->started = true;
	return 0;
}

static void
cm_wake(struct channel *ch)
{
	struct cm *c = ch->impl;

	wake_up(&c->wake);
}

static void
cm_stop(struct channel *ch)
{
	struct cm *c = ch->impl;

	atomic_store(&c->stop, true);
	wake_up(&c->wake);
}

static void
cm_destroy(struct channel *ch)
{
	struct cm *c;

	if (ch == NULL)
		return;
	c = ch->impl;
	if (c->started) {
		cm_stop(ch);
		pthread_join(c->thread, NULL);
	}
	if (c->modem != NULL)
		c->modem->ops->destroy(c->modem);
	wake_close(&c->wake);
	free(c);
}

static const struct channel_ops cm_ops = {
	.start = cm_start,
	.wake = cm_wake,
	.stop = cm_stop,
	.destroy = cm_destroy,
};

struct channel *
channel_modem_new(const struct channel_env *env, const struct config_modem *cfg)
{
	struct cm *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->wake.fd = -1;
	c->env = *env;
	c->cfg = *cfg;
	c->diskfull = env->diskfull != NULL ? env->diskfull : &c->own_diskfull;
	c->backoff_ms = cfg->reopen_min_ms;
	atomic_init(&c->stop, false);
	atomic_init(&c->ch.beat_ms, 0);
	c->ch.ops = &cm_ops;
	c->ch.kind = ENGINE_SMS;
	c->ch.impl = c;
	(void)snprintf(c->ch.name, sizeof(c->ch.name), "modem:%s", cfg->name);
	if (wake_open(&c->wake) < 0)
		goto fail;
	c->modem = (env->modem_new != NULL ? env->modem_new : modem_gammu_new)(cfg);
	if (c->modem == NULL)
		goto fail;
	return &c->ch;
fail:
	wake_close(&c->wake);
	free(c);
	return NULL;
}
