/* test_priv.c - least privilege (issue 11 items 4 and 7): the decision to
 * drop root, the drop itself (run as root only: a child drops to nobody
 * and must not get root back), the modes that make the database and a
 * configuration holding PIN hashes private, the database folder made for
 * the user, and the user setting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "core/priv.h"
#include "config_fixture.h"

#define MODEM "modems = ( { name = \"m1\"; device = \"/dev/null\"; } );\n"

static char perr[PRIV_ERROR_MAX];

/* Writes path with mode (umask aside). */
static void
make_file(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

static void
test_decide(void **state)
{
	(void)state;
	assert_int_equal(priv_decide(1000, ""), PRIV_KEEP);
	assert_int_equal(priv_decide(1000, "kawan"), PRIV_KEEP);
	assert_int_equal(priv_decide(0, ""), PRIV_REFUSE);
	assert_int_equal(priv_decide(0, NULL), PRIV_REFUSE);
	assert_int_equal(priv_decide(0, "root"), PRIV_REFUSE);
	assert_int_equal(priv_decide(0, "kawan"), PRIV_DROP);
}

static void
test_mode_leaks(void **state)
{
	(void)state;
	assert_false(priv_mode_leaks(0600));
	assert_false(priv_mode_leaks(0700));
	assert_false(priv_mode_leaks(0400));
	assert_true(priv_mode_leaks(0644));
	assert_true(priv_mode_leaks(0640));
	assert_true(priv_mode_leaks(0620));
	assert_true(priv_mode_leaks(0604));
	assert_true(priv_mode_leaks(0602));
}

static void
test_check_database(void **state)
{
	char db[160], wal[168], shm[168];

	(void)state;
	snprintf(db, sizeof(db), "%s/kawan.db", tmpdir);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	snprintf(shm, sizeof(shm), "%s-shm", db);
	/* None there yet: fine (the gateway creates them, 0600 under umask 077). */
	assert_int_equal(priv_check_database(db, perr, sizeof(perr)), 0);
	make_file(db, 0600);
	make_file(wal, 0600);
	assert_int_equal(priv_check_database(db, perr, sizeof(perr)), 0);
	make_file(db, 0644);
	assert_int_equal(priv_check_database(db, perr, sizeof(perr)), -1);
	assert_non_null(strstr(perr, db));
	assert_non_null(strstr(perr, "0644"));
	assert_non_null(strstr(perr, "chmod 600"));
	make_file(db, 0600);
	make_file(wal, 0640);
	assert_int_equal(priv_check_database(db, perr, sizeof(perr)), -1);
	assert_non_null(strstr(perr, wal));
	make_file(wal, 0600);
	make_file(shm, 0606);
	assert_int_equal(priv_check_database(db, perr, sizeof(perr)), -1);
	assert_non_null(strstr(perr, "chmod 600 "));
	assert_non_null(strstr(perr, shm));
	make_file(shm, 0600);
	assert_int_equal(priv_check_database(db, perr, sizeof(perr)), 0);
	unlink(db);
	unlink(wal);
	unlink(shm);
}

static void
test_check_config(void **state)
{
	char path[160];
	struct stat sb;

	(void)state;
	snprintf(path, sizeof(path), "%s/secret.cfg", tmpdir);
	make_file(path, 0644);
	/* Nothing secret in it: any mode. */
	assert_int_equal(priv_check_config(path, false, getegid(), perr, sizeof(perr)), 0);
	assert_int_equal(priv_check_config(path, true, getegid(), perr, sizeof(perr)), -1);
	assert_non_null(strstr(perr, path));
	assert_non_null(strstr(perr, "PIN hashes"));
	assert_non_null(strstr(perr, "chmod 640"));
	make_file(path, 0602);
	assert_int_equal(priv_check_config(path, true, getegid(), perr, sizeof(perr)), -1);
	make_file(path, 0600);
	assert_int_equal(priv_check_config(path, true, getegid(), perr, sizeof(perr)), 0);
	/* Group-readable: fine when the group is the gateway's (or root's). */
	make_file(path, 0640);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(priv_check_config(path, true, sb.st_gid, perr, sizeof(perr)), 0);
	if (sb.st_gid != 0) {
		assert_int_equal(priv_check_config(path, true, sb.st_gid + 1, perr, sizeof(perr)),
		    -1);
		assert_non_null(strstr(perr, "chgrp"));
	}
	if (geteuid() == 0) {
		/* A group that is neither root's nor the gateway's. */
		assert_int_equal(chown(path, (uid_t)-1, 4242), 0);
		assert_int_equal(priv_check_config(path, true, 4343, perr, sizeof(perr)), -1);
		assert_non_null(strstr(perr, "4343"));
		assert_int_equal(priv_check_config(path, true, 4242, perr, sizeof(perr)), 0);
		assert_int_equal(chown(path, (uid_t)-1, 0), 0);
		assert_int_equal(priv_check_config(path, true, 4343, perr, sizeof(perr)), 0);
	}
	unlink(path);
}

static void
test_lookup(void **state)
{
	struct priv_ids id;

	(void)state;
	assert_int_equal(priv_lookup("root", &id, perr, sizeof(perr)), -1);
	assert_non_null(strstr(perr, "uid or gid 0"));
	assert_int_equal(priv_lookup("kawan-no-such-user", &id, perr, sizeof(perr)), -1);
	assert_non_null(strstr(perr, "does not exist"));
	if (getpwnam("nobody") == NULL) {
		print_message("no user nobody here: its lookup is not tested\n");
		return;
	}
	assert_int_equal(priv_lookup("nobody", &id, perr, sizeof(perr)), 0);
	assert_string_equal(id.name, "nobody");
	assert_int_equal(id.uid, getpwnam("nobody")->pw_uid);
}

/* Child: drops to nobody and checks what it can no longer do. Exit 0 when
 * every check held; the step that failed otherwise. */
static int
drop_child(const char *rootfile)
{
	struct priv_ids id;
	char e[PRIV_ERROR_MAX];
	gid_t groups[64];
	int n;

	static const gid_t rootish[] = { 0, 4242 };

	if (priv_lookup("nobody", &id, e, sizeof(e)) != 0)
		return 10;
	/* root's supplementary groups (a shell's may have none): the drop
	 * must replace them with the user's own */
	if (setgroups(2, rootish) != 0)
		return 17;
	if (priv_drop(&id, e, sizeof(e)) != 0) {
		fprintf(stderr, "%s\n", e);
		return 11;
	}
	if (getuid() != id.uid || geteuid() != id.uid || getgid() != id.gid || getegid() != id.gid)
		return 12;
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1)
		return 13;
	/* root's supplementary groups are gone */
	n = getgroups(64, groups);
	for (int i = 0; i < n; i++) {
		if (groups[i] == 0 || groups[i] == 4242)
			return 14;
	}
	/* a root-only file stays closed */
	if (open(rootfile, O_RDONLY) != -1 || errno != EACCES)
		return 15;
	if (!priv_cannot_regain_root())
		return 16;
	return 0;
}

static void
test_drop(void **state)
{
	char rootfile[160];
	int status = 0;
	pid_t pid;

	(void)state;
	if (geteuid() != 0 || getpwnam("nobody") == NULL) {
		print_message("not root (or no user nobody): the drop itself is not tested here\n");
		assert_false(priv_cannot_regain_root() && geteuid() == 0);
		return;
	}
	/* Still root: it can. */
	assert_false(priv_cannot_regain_root());
	snprintf(rootfile, sizeof(rootfile), "%s/root-only", tmpdir);
	make_file(rootfile, 0600);
	assert_int_equal(chmod(tmpdir, 0755), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(drop_child(rootfile));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(chmod(tmpdir, 0700), 0);
	unlink(rootfile);
}

static void
test_make_dir(void **state)
{
	char dir[160];
	struct priv_ids id;
	struct stat sb;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/state", tmpdir);
	id.uid = geteuid();
	id.gid = getegid();
	snprintf(id.name, sizeof(id.name), "me");
	if (geteuid() == 0 && getpwnam("nobody") != NULL) {
		id.uid = getpwnam("nobody")->pw_uid;
		id.gid = getpwnam("nobody")->pw_gid;
	}
	assert_int_equal(priv_make_dir(dir, &id, perr, sizeof(perr)), 0);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_int_equal(sb.st_uid, id.uid);
	assert_int_equal(sb.st_gid, id.gid);
	/* There already: left alone. */
	assert_int_equal(chmod(dir, 0750), 0);
	assert_int_equal(priv_make_dir(dir, &id, perr, sizeof(perr)), 0);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0750);
	assert_int_equal(rmdir(dir), 0);
	/* Its parent missing: a clear error. */
	snprintf(dir, sizeof(dir), "%s/no/state", tmpdir);
	assert_int_equal(priv_make_dir(dir, &id, perr, sizeof(perr)), -1);
	assert_non_null(strstr(perr, "database folder"));
}

static void
test_config_user(void **state)
{
	static struct kawan_config c;

	(void)state;
	assert_int_equal(load_text(MODEM, &c), 0);
	assert_string_equal(c.user, "");
	assert_int_equal(load_text("user = \"kawan\";\n" MODEM, &c), 0);
	assert_string_equal(c.user, "kawan");
	expect_error("user = \"root\";\n" MODEM, 1, "user must not be root");
	expect_error("user = \"ka wan\";\n" MODEM, 1, "not an account name");
	expect_error(MODEM "user = \"-x\";\n", 2, "not an account name");
	expect_error("user = 5;\n" MODEM, 1, "user");
}

static void
test_config_secrets(void **state)
{
	static struct kawan_config c;

	(void)state;
	assert_int_equal(load_text(MODEM, &c), 0);
	assert_false(config_has_secrets(&c));
	assert_int_equal(config_gammu_log_modem(&c), -1);
	snprintf(c.rosters[0].officers[0].pin_hash, CONFIG_HASH_MAX, "$6$x$y");
	assert_false(config_has_secrets(&c)); /* no roster counted yet */
	c.nrosters = 1;
	c.rosters[0].nofficers = 1;
	assert_true(config_has_secrets(&c));
	c.rosters[0].officers[0].pin_hash[0] = '\0';
	snprintf(c.rosters[0].supervisor.pin_hash, CONFIG_HASH_MAX, "$6$x$y");
	assert_true(config_has_secrets(&c));
	c.rosters[0].supervisor.pin_hash[0] = '\0';
	snprintf(c.ngo_desk.pin_hash, CONFIG_HASH_MAX, "$6$x$y");
	assert_true(config_has_secrets(&c));
	c.ngo_desk.pin_hash[0] = '\0';
	snprintf(c.ussd.secret, sizeof(c.ussd.secret), "s3cret");
	assert_true(config_has_secrets(&c));
	assert_int_equal(
	    load_text("modems = ( { name = \"m1\"; device = \"/dev/null\"; },\n"
		      "  { name = \"m2\"; device = \"/dev/zero\"; gammu_log = \"/tmp/g\"; } );\n",
		&c),
	    0);
	assert_int_equal(config_gammu_log_modem(&c), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_mode_leaks),
		cmocka_unit_test(test_check_database),
		cmocka_unit_test(test_check_config),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_drop),
		cmocka_unit_test(test_make_dir),
		cmocka_unit_test(test_config_user),
		cmocka_unit_test(test_config_secrets),
	};

	return cmocka_run_group_tests(tests, cfx_cfg_setup, cfx_cfg_teardown);
}
