/* channel_pool.c - the pool of modems seen from the modem threads (issue
 * 10). Identity: a modem configured with an imsi is the SIM, not the port.
 * Its thread tries a device (channel_pool_claim), reads the IMSI, and keeps
 * the device only when the IMSI is its own; otherwise it gives the device
 * back, noting whose SIM is there, and tries the next: a device known to
 * hold its IMSI first. After ports renumber, two modems that opened each
 * other's port swap on their next try (one reopen). Failover: rows move in
 * the database only (channel_pool_failover); the threads never touch each
 * other's modem. */
#include "channel/channel_pool.h"
#include "channel/quota.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "session/engine.h"

#define POOL_MOVE_MAX 64 /* rows moved per modem per pass */

struct pool_dev {
	char path[CONFIG_PATH_MAX];
	char holder[CONFIG_NAME_MAX]; /* "" when free */
	char imsi[CHANNEL_IMSI_MAX];  /* last seen on it, "" unknown */
};

struct channel_pool {
	pthread_mutex_t mu;
	struct pool_dev dev[CONFIG_MAX_MODEMS];
	size_t ndev;
};

struct channel_pool *
channel_pool_new(const struct kawan_config *cfg)
{
	struct channel_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p);
		return NULL;
	}
	for (size_t i = 0; i < cfg->nmodems; i++) {
		const struct config_modem *md = &cfg->modems[i];
		bool dup = false;

		if (md->imsi[0] == '\0')
			continue;
		for (size_t k = 0; k < p->ndev; k++)
			dup = dup || strcmp(p->dev[k].path, md->device) == 0;
		if (!dup &&
		    util_strcopy(p->dev[p->ndev].path, sizeof(p->dev[0].path), md->device) == 0)
			p->ndev++;
	}
	return p;
}

void
channel_pool_free(struct channel_pool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/* Whether imsi is a configured modem's other than me. */
static bool
pool_imsi_of_other(const struct kawan_config *cfg, const struct config_modem *me, const char *imsi)
{
	int k = config_modem_by_imsi(cfg, imsi);

	return k >= 0 && strcmp(cfg->modems[k].name, me->name) != 0;
}

static int
pool_take(struct channel_pool *p, size_t k, const struct config_modem *me, char *dev, size_t devsz)
{
	if (util_strcopy(p->dev[k].holder, sizeof(p->dev[k].holder), me->name) < 0 ||
	    util_strcopy(dev, devsz, p->dev[k].path) < 0) {
		p->dev[k].holder[0] = '\0';
		return -1;
	}
	return 0;
}

int
channel_pool_claim(struct channel_pool *p, const struct kawan_config *cfg,
    const struct config_modem *me, unsigned attempt, char *dev, size_t devsz)
{
	int rc = 1;
	size_t own = SIZE_MAX, nfree = 0, others[CONFIG_MAX_MODEMS];

	if (p == NULL || me->imsi[0] == '\0')
		return util_strcopy(dev, devsz, me->device) < 0 ? -1 : 0;
	pthread_mutex_lock(&p->mu);
	for (size_t k = 0; k < p->ndev; k++) {
		struct pool_dev *d = &p->dev[k];

		if (d->holder[0] != '\0')
			continue;
		if (strcmp(d->imsi, me->imsi) == 0) {
			rc = pool_take(p, k, me, dev, devsz);
			goto out;
		}
		if (pool_imsi_of_other(cfg, me, d->imsi))
			continue;
		if (strcmp(d->path, me->device) == 0)
			own = k;
		else
			others[nfree++] = k;
	}
	/* Its own port first, then the others in turn, one per attempt. */
	if (own != SIZE_MAX && (nfree == 0 || attempt % (nfree + 1) == 0))
		rc = pool_take(p, own, me, dev, devsz);
	else if (nfree > 0)
		rc = pool_take(p, others[attempt % nfree], me, dev, devsz);
out:
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void
channel_pool_release(struct channel_pool *p, const char *dev, const char *imsi)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	for (size_t k = 0; k < p->ndev; k++) {
		if (strcmp(p->dev[k].path, dev) != 0)
			continue;
		p->dev[k].holder[0] = '\0';
		if (imsi != NULL && util_strcopy(p->dev[k].imsi, sizeof(p->dev[k].imsi), imsi) < 0)
			p->dev[k].imsi[0] = '\0';
	}
	pthread_mutex_unlock(&p->mu);
}

/* Moves modem from's movable rows (from "" : unassigned rows, only to a
 * modem of their destination's network). */
static int
pool_move_rows(struct store *st, const struct kawan_config *cfg, const bool *up, const char *from,
    int64_t down_for_ms, bool at_cap)
{
	struct store_move rows[POOL_MOVE_MAX];
	size_t n = 0, held = 0;
	int moved = 0;

	if (store_outbound_movable(st, engine_channel_name(ENGINE_SMS), from, rows, POOL_MOVE_MAX,
		&n, &held) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int to = config_pool_pick(cfg, up, rows[i].dest, from[0] != '\0' ? from : NULL,
		    (unsigned)rows[i].id);
		int rc;

		if (to < 0)
			break; /* nobody up may send: they wait */
		if (from[0] == '\0') {
			int net = config_network_of(cfg, rows[i].dest);

			if (net < 0 || config_network_find(cfg, cfg->modems[to].network) != net)
				continue; /* no modem of its network up: any modem claims it */
		}
		rc = store_outbound_move(st, rows[i].id, from, cfg->modems[to].name);
		if (rc < 0)
			return -1;
		if (rc > 0)
			continue;
		moved++;
		if (from[0] == '\0')
			log_info("pool: #%lld to %s goes through modem %s (its network)",
			    (long long)rows[i].id, MASK_NUMBER(rows[i].dest), cfg->modems[to].name);
		else if (at_cap)
			log_info("pool: quota: #%lld to %s moves from modem %s (at its cap) to "
				 "modem %s",
			    (long long)rows[i].id, MASK_NUMBER(rows[i].dest), from,
			    cfg->modems[to].name);
		else
			log_info("pool: failover: #%lld to %s moves from modem %s (down %lld s) "
				 "to modem %s",
			    (long long)rows[i].id, MASK_NUMBER(rows[i].dest), from,
			    (long long)(down_for_ms / 1000), cfg->modems[to].name);
	}
	if (held > 0 && moved > 0)
		log_warnx("pool: modem %s keeps %zu queued message%s with parts staged on its "
			  "SIM: only that SIM can tell whether they went out",
		    from, held, held == 1 ? "" : "s");
	return moved;
}

int
channel_pool_failover(struct store *st, const struct kawan_config *cfg, const char *self,
    bool self_up, int64_t now_ms)
{
	bool up[CONFIG_MAX_MODEMS], known[CONFIG_MAX_MODEMS];
	bool capped[CONFIG_MAX_MODEMS], may[CONFIG_MAX_MODEMS];
	int64_t since[CONFIG_MAX_MODEMS];
	int total = 0, rc;

	for (size_t i = 0; i < cfg->nmodems; i++) {
		rc = store_modem_state(st, cfg->modems[i].name, &up[i], &since[i]);
		if (rc < 0)
			return -1;
		known[i] = rc == 0;
		if (strcmp(cfg->modems[i].name, self) == 0) {
			up[i] = self_up;
			known[i] = true;
		}
		/* Quotas (quota.c): a modem at its cap takes no rows and hands
		 * its queued ones to modems under their caps. */
		capped[i] = false;
		if (quota_capped(&cfg->modems[i])) {
			int64_t hour, day;

			if (store_quota_parts(st, cfg->modems[i].name, now_ms, &hour, &day) < 0)
				return -1;
			capped[i] = quota_at_cap(&cfg->modems[i], hour, day);
		}
		may[i] = up[i] && !capped[i];
	}
	for (size_t i = 0; i < cfg->nmodems; i++) {
		const struct config_modem *md = &cfg->modems[i];
		bool down = known[i] && !up[i] && now_ms - since[i] >= md->failover_after_ms;
		bool unable = md->role == MODEM_ROLE_RECEIVE || down || capped[i];

		if (!unable)
			continue;
		rc = pool_move_rows(st, cfg, may, md->name, now_ms - since[i], capped[i] && !down);
		if (rc < 0)
			return -1;
		total += rc;
	}
	if (cfg->nnetworks > 0) {
		rc = pool_move_rows(st, cfg, may, "", 0, false);
		if (rc < 0)
			return -1;
		total += rc;
	}
	return total;
}
