/* priv.c - least privilege: drop root to the configured user, and refuse
 * private files (the database, a configuration with PIN hashes) that
 * others can read. */
#include "core/priv.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

enum priv_action
priv_decide(uid_t euid, const char *user)
{
	if (euid != 0)
		return PRIV_KEEP;
	if (user == NULL || user[0] == '\0' || strcmp(user, "root") == 0)
		return PRIV_REFUSE;
	return PRIV_DROP;
}

int
priv_lookup(const char *user, struct priv_ids *out, char *err, size_t errsz)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int e;

	e = getpwnam_r(user, &pw, buf, sizeof(buf), &res);
	if (res == NULL) {
		(void)snprintf(err, errsz,
		    "user '%s' does not exist%s%s (create it: systemd-sysusers "
		    "kawan.sysusers.conf, or useradd --system --groups dialout %s)",
		    user, e != 0 ? ": " : "", e != 0 ? strerror(e) : "", user);
		return -1;
	}
	if (pw.pw_uid == 0 || pw.pw_gid == 0) {
		(void)snprintf(err, errsz,
		    "user '%s' has uid or gid 0: give the gateway its own user", user);
		return -1;
	}
	if (util_strcopy(out->name, sizeof(out->name), user) == -1) {
		(void)snprintf(err, errsz, "user name '%s' too long", user);
		return -1;
	}
	out->uid = pw.pw_uid;
	out->gid = pw.pw_gid;
	return 0;
}

bool
priv_cannot_regain_root(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return false;
	if (ru == 0 || eu == 0 || su == 0 || rg == 0 || eg == 0 || sg == 0)
		return false;
	/* Both must fail; should one succeed, the process is root again and
	 * the caller exits. */
	if (setuid(0) != -1 || seteuid(0) != -1)
		return false;
	return true;
}

int
priv_drop(const struct priv_ids *id, char *err, size_t errsz)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (initgroups(id->name, id->gid) != 0) {
		(void)snprintf(err, errsz, "initgroups(%s): %s", id->name, strerror(errno));
		return -1;
	}
	if (setresgid(id->gid, id->gid, id->gid) != 0) {
		(void)snprintf(err, errsz, "setgid(%u): %s", (unsigned)id->gid, strerror(errno));
		return -1;
	}
	if (setresuid(id->uid, id->uid, id->uid) != 0) {
		(void)snprintf(err, errsz, "setuid(%u): %s", (unsigned)id->uid, strerror(errno));
		return -1;
	}
	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0 || ru != id->uid ||
	    eu != id->uid || su != id->uid || rg != id->gid || eg != id->gid || sg != id->gid) {
		(void)snprintf(err, errsz, "dropping to user '%s' left other ids behind", id->name);
		return -1;
	}
	if (!priv_cannot_regain_root()) {
		(void)snprintf(err, errsz, "dropped to user '%s' but root can be regained",
		    id->name);
		return -1;
	}
	return 0;
}

bool
priv_mode_leaks(mode_t mode)
{
	return (mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) != 0;
}

int
priv_check_private(const char *path, const char *what, char *err, size_t errsz)
{
	struct stat sb;

	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return 0;
		(void)snprintf(err, errsz, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (!priv_mode_leaks(sb.st_mode))
		return 0;
	(void)snprintf(err, errsz,
	    "%s %s is readable or writable by group or others (mode %04o): "
	    "it holds personal data; run: chmod 600 %s",
	    what, path, (unsigned)(sb.st_mode & 07777), path);
	return -1;
}

int
priv_check_database(const char *db, char *err, size_t errsz)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char path[4096];

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		int n = snprintf(path, sizeof(path), "%s%s", db, suffix[i]);

		if (n < 0 || (size_t)n >= sizeof(path)) {
			(void)snprintf(err, errsz, "database path too long: %s", db);
			return -1;
		}
		if (priv_check_private(path, "database", err, errsz) == -1)
			return -1;
	}
	return 0;
}

int
priv_check_config(const char *path, bool has_secrets, gid_t gw_gid, char *err, size_t errsz)
{
	struct stat sb;

	if (!has_secrets)
		return 0;
	if (stat(path, &sb) != 0) {
		(void)snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((sb.st_mode & (S_IROTH | S_IWOTH)) != 0) {
		(void)snprintf(err, errsz,
		    "%s holds officers' PIN hashes and others can read or write it "
		    "(mode %04o): run: chmod 640 %s (owner root, group the gateway's)",
		    path, (unsigned)(sb.st_mode & 07777), path);
		return -1;
	}
	if ((sb.st_mode & (S_IRGRP | S_IWGRP)) != 0 && sb.st_gid != 0 && sb.st_gid != gw_gid) {
		(void)snprintf(err, errsz,
		    "%s holds officers' PIN hashes and its group (gid %u) is not the "
		    "gateway's (gid %u) (mode %04o): run: chgrp %u %s, or chmod 600 %s",
		    path, (unsigned)sb.st_gid, (unsigned)gw_gid, (unsigned)(sb.st_mode & 07777),
		    (unsigned)gw_gid, path, path);
		return -1;
	}
	return 0;
}

int
priv_make_dir(const char *dir, const struct priv_ids *id, char *err, size_t errsz)
{
	int fd;

	if (mkdir(dir, 0700) != 0) {
		if (errno == EEXIST)
			return 0;
		(void)snprintf(err, errsz, "cannot create the database folder %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	/* Just made by us: chown through a descriptor, never a followed link. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchown(fd, id->uid, id->gid) != 0) {
		(void)snprintf(err, errsz, "cannot give the database folder %s to %s: %s", dir,
		    id->name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
