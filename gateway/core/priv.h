/* priv.h - least privilege: the decision to drop root (pure), the drop
 * itself (initgroups, setgid, setuid, then a check that root cannot be
 * regained), and the file-mode checks that keep the database and a
 * configuration holding PIN hashes private. Errors name the file and the
 * command that fixes it. Nothing here allocates. */
#ifndef KAWAN_PRIV_H
#define KAWAN_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PRIV_NAME_MAX 64
#define PRIV_ERROR_MAX 2048

/* What a process started with effective uid euid does with the configured
 * user ("" when none). */
enum priv_action {
	PRIV_KEEP,   /* not root: runs as it is (the user setting is ignored) */
	PRIV_DROP,   /* root and a user configured: drop to it */
	PRIV_REFUSE, /* root and no user configured (or user "root"): refuse */
};

/* The decision, pure. */
enum priv_action priv_decide(uid_t euid, const char *user);

/* The user to drop to. */
struct priv_ids {
	char name[PRIV_NAME_MAX];
	uid_t uid;
	gid_t gid; /* its primary group */
};

/* Looks user up in the password database. -1 with err when it does not
 * exist or is root (uid 0). */
int priv_lookup(const char *user, struct priv_ids *out, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/* Drops to id: initgroups (id's supplementary groups, e.g. dialout),
 * setgid, setuid; then checks the real, effective and saved ids are id's
 * and that setuid(0) and setgid(0) fail. Returns 0, or -1 with err (the
 * caller must then exit: the process may be half dropped). Applies to
 * every thread (glibc); call it before starting any. */
int priv_drop(const struct priv_ids *id, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/* True when the process cannot become root again (uid and gid not 0 in
 * the real, effective and saved sets, setuid(0) fails). */
bool priv_cannot_regain_root(void);

/* The mode check of a private file, pure: true when mode gives group or
 * others any read or write permission. */
bool priv_mode_leaks(mode_t mode);

/* Refuses (-1 with err naming path and "chmod 600 path") a file that exists
 * and is readable or writable by group or others; what ("database") names
 * it in the message. A missing file is fine (0). */
int priv_check_private(const char *path, const char *what, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/* The database and its -wal and -shm beside it: priv_check_private on each. */
int priv_check_database(const char *db, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/* The configuration file, when it holds PIN hashes (has_secrets): refuses
 * one others can read or write, and one its group can read unless that
 * group is root's or gw_gid (the gateway's own group). 0 when fine or when
 * it holds no secrets. */
int priv_check_config(const char *path, bool has_secrets, gid_t gw_gid, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/* Creates dir (one level, mode 0700) owned by id when it does not exist,
 * as root before the drop. An existing dir is left alone (0). */
int priv_make_dir(const char *dir, const struct priv_ids *id, char *err, size_t errsz)
    __attribute__((warn_unused_result));

#endif
