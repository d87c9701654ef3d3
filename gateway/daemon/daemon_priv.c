/* daemon_priv.c - before the daemon starts: refuse private files others
 * can read, and, started as root, drop to the configured user (or refuse
 * to run as root). */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/priv.h"
#include "core/util.h"
#include "daemon/daemon.h"

int
daemon_priv_check(const struct kawan_config *cfg, FILE *warn)
{
	char err[PRIV_ERROR_MAX];
	gid_t gw_gid = getegid();
	struct priv_ids id;
	int m;

	/* Run by root (-n in a root shell, or before the drop): the
	 * configuration must be readable by the user it drops to. */
	if (geteuid() == 0 && cfg->user[0] != '\0' &&
	    priv_lookup(cfg->user, &id, err, sizeof(err)) == 0)
		gw_gid = id.gid;
	if (priv_check_config(cfg->source, config_has_secrets(cfg), gw_gid, err, sizeof(err)) ==
		-1 ||
	    priv_check_database(cfg->database, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	if (warn != NULL && cfg->user[0] != '\0' &&
	    priv_lookup(cfg->user, &id, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", cfg->source, err);
		return -1;
	}
	if (warn != NULL && priv_decide(geteuid(), cfg->user) == PRIV_REFUSE)
		fprintf(warn,
		    "%s: warning: no user = \"...\"; set: started as root, the gateway "
		    "will refuse to run\n",
		    cfg->source);
	m = config_gammu_log_modem(cfg);
	if (m >= 0 && warn != NULL)
		fprintf(warn,
		    "%s: warning: modem '%s' has gammu_log = \"%s\": libgammu's log records "
		    "the SIM PIN and the text of every message; turn it off once the "
		    "modem works\n",
		    cfg->source, cfg->modems[m].name, cfg->modems[m].gammu_log);
	return 0;
}

/* The database's folder: made (0700, the user's) when missing. */
static int
daemon_priv_db_dir(const struct kawan_config *cfg, const struct priv_ids *id, char *dir,
    size_t dirsz, char *err, size_t errsz)
{
	char copy[CONFIG_PATH_MAX];

	if (util_strcopy(copy, sizeof(copy), cfg->database) == -1 ||
	    util_strcopy(dir, dirsz, dirname(copy)) == -1) {
		(void)snprintf(err, errsz, "database path too long: %s", cfg->database);
		return -1;
	}
	return priv_make_dir(dir, id, err, errsz);
}

int
daemon_priv_drop(const struct kawan_config *cfg)
{
	char err[PRIV_ERROR_MAX], dir[CONFIG_PATH_MAX];
	struct priv_ids id;

	switch (priv_decide(geteuid(), cfg->user)) {
	case PRIV_KEEP:
		return 0;
	case PRIV_REFUSE:
		log_warnx("refusing to run as root: set user = \"kawan\"; in %s (the gateway "
			  "drops to it after start), or start it as that user (the systemd unit "
			  "does)",
		    cfg->source);
		return -1;
	case PRIV_DROP:
		break;
	}
	if (priv_lookup(cfg->user, &id, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", cfg->source, err);
		return -1;
	}
	if (cfg->ussd.enabled && cfg->ussd.port > 0 && cfg->ussd.port < 1024) {
		log_warnx("%s: ussd.listen port %d is below 1024: user %s cannot bind it after "
			  "the drop; listen on a port >= 1024 (e.g. 8080) behind a reverse proxy",
		    cfg->source, cfg->ussd.port, id.name);
		return -1;
	}
	if (daemon_priv_db_dir(cfg, &id, dir, sizeof(dir), err, sizeof(err)) == -1 ||
	    priv_drop(&id, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	log_info("running as user %s (uid %u, gid %u)", id.name, (unsigned)id.uid,
	    (unsigned)id.gid);
	/* What the user must reach, told now rather than at the first write. */
	if (access(dir, W_OK | X_OK) != 0) {
		log_warnx("database folder %s is not writable by user %s: run: chown %s: %s && "
			  "chmod 700 %s",
		    dir, id.name, id.name, dir, dir);
		return -1;
	}
	if (access(cfg->database, F_OK) == 0 && access(cfg->database, R_OK | W_OK) != 0) {
		log_warnx("database %s is not readable and writable by user %s: run: chown %s: "
			  "%s*",
		    cfg->database, id.name, id.name, cfg->database);
		return -1;
	}
	if (access(cfg->source, R_OK) != 0)
		log_warnx("%s is not readable by user %s: a reload (SIGHUP) will fail; run: "
			  "chgrp %s %s && chmod 640 %s",
		    cfg->source, id.name, id.name, cfg->source, cfg->source);
	for (size_t i = 0; i < cfg->nmodems; i++) {
		const char *dev = cfg->modems[i].device;

		if (dev[0] == '/' && access(dev, F_OK) == 0 && access(dev, R_OK | W_OK) != 0)
			log_warnx("modem '%s': user %s cannot open %s: add it to the group "
				  "owning the device (usermod -aG dialout %s)",
			    cfg->modems[i].name, id.name, dev, id.name);
	}
	return 0;
}
