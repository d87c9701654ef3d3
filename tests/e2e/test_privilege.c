/* test_privilege.c - least privilege end to end (issue 11 items 4 and 7):
 * the gateway's files are private (0600: the database, its -wal and -shm,
 * libgammu's log); started as root with user = "nobody" it runs as nobody
 * (/proc/PID/status) and still answers an SMS; started as root with no
 * user it refuses; a database others can read and a configuration with
 * PIN hashes others can read are refused with the chmod to run; -n warns
 * about gammu_log. The root-only cases skip with a note when not root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e.h"
#include "hgw.h"

/* A hash of 804613 (not a guessable PIN: the config refuses those). */
#define HASH                                                                                       \
	"$6$privtest$EMhDDzCuKopNwrb/Esg8xOm9.A3DLqaWf7Vn.FhEs0XTsVoqLGYFuD0bqra1FEfk47ILTVVSkkmAWJ.EyE.Nt1"

static int
setup(void **state)
{
	return e2e_setup(state, "privilege");
}

/* The mode (permission bits) and owner of path; -1 when it is missing. */
static int
mode_of(const char *path, uid_t *uid)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return -1;
	if (uid != NULL)
		*uid = sb.st_uid;
	return (int)(sb.st_mode & 07777);
}

/* The first of the four ids on the "Uid:" or "Gid:" line of pid's status
 * into ids[4]. */
static int
proc_ids(pid_t pid, const char *key, long ids[4])
{
	char path[64], line[256];
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, strlen(key)) == 0 &&
		    sscanf(line + strlen(key), "%ld %ld %ld %ld", &ids[0], &ids[1], &ids[2],
			&ids[3]) == 4) {
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

/* Runs the gateway (not -n) on cfg; its exit code and output. */
static int
run_gateway(struct harness *h, const char *cfg, struct hbuf *out, int *code)
{
	char path[HARNESS_PATH_MAX + 16];
	char *argv[] = { path, "-c", (char *)cfg, NULL };
	int status = 0;

	snprintf(path, sizeof(path), "%s/kawan-gateway", h->bin);
	if (hproc_run(argv, h->scratch, 20000, out, &status) < 0)
		return -1;
	*code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

/* The database, its WAL and libgammu's log are created 0600; as root the
 * gateway runs as nobody (every uid and gid) and answers through the
 * modem it opened after the drop. */
static void
test_private_files_and_drop(void **state)
{
	struct harness *h = *state;
	struct hctl_sent m;
	char wal[HARNESS_PATH_MAX + 8], shm[HARNESS_PATH_MAX + 8], glog[HARNESS_PATH_MAX];
	uid_t owner = 0;
	long ids[4];

	h->opts.gammu_log = "auto";
	e2e_start(h);
	E2E_OK(h, hgw_converse(h, "+60114000001", "Tolong", 30000, &m));
	hgw_msg_free(&m);
	snprintf(wal, sizeof(wal), "%s-wal", h->db);
	snprintf(shm, sizeof(shm), "%s-shm", h->db);
	E2E_OK(h, harness_path(h, "gammu.log", glog, sizeof(glog)));
	E2E_CHECK(h, mode_of(h->db, &owner) == 0600);
	E2E_CHECK(h, mode_of(wal, NULL) == 0600);
	E2E_CHECK(h, mode_of(shm, NULL) == 0600);
	E2E_CHECK(h, mode_of(glog, NULL) == 0600);
	printf("privilege: database, -wal, -shm and gammu.log are 0600\n");
	if (geteuid() != 0) {
		printf("privilege: not root: the drop is tested by test_priv (unit) only "
		       "when root; skipped here\n");
		return;
	}
	{
		const struct passwd *pw = getpwnam(HARNESS_DROP_USER);

		E2E_CHECK(h, pw != NULL);
		E2E_OK(h, proc_ids(h->gw_pid, "Uid:", ids));
		for (int i = 0; i < 4; i++)
			E2E_CHECK(h, ids[i] == (long)pw->pw_uid);
		E2E_OK(h, proc_ids(h->gw_pid, "Gid:", ids));
		for (int i = 0; i < 4; i++)
			E2E_CHECK(h, ids[i] == (long)pw->pw_gid);
		E2E_CHECK(h, owner == pw->pw_uid);
		E2E_CHECK(h, harness_log_count(h, "running as user " HARNESS_DROP_USER) == 1);
		printf("privilege: started as root, the gateway runs as %s (uid %ld) and "
		       "answered an SMS\n",
		    HARNESS_DROP_USER, ids[0]);
	}
}

/* Writes the harness configuration plus extra as name (0640), without its
 * user line when drop_user is false. */
static void
write_cfg(struct harness *h, const char *name, bool drop_user, const char *extra, char *path,
    size_t pathsz)
{
	struct hbuf b;
	const char *text;

	hbuf_init(&b);
	E2E_OK(h, harness_config_text(h, &b));
	E2E_OK(h, hbuf_adds(&b, extra));
	text = b.data;
	if (!drop_user && strncmp(text, "user ", 5) == 0)
		text = strchr(text, '\n') + 1;
	E2E_OK(h, harness_write_file(h, name, text, path, pathsz));
	hbuf_free(&b);
}

static void
test_refusals(void **state)
{
	struct harness *h = *state;
	char cfg[HARNESS_PATH_MAX], wal[HARNESS_PATH_MAX + 8];
	struct hbuf out;
	int code = 0;

	/* Root and no user: refused. */
	if (geteuid() == 0) {
		write_cfg(h, "nouser.cfg", false, "", cfg, sizeof(cfg));
		hbuf_init(&out);
		E2E_OK(h, run_gateway(h, cfg, &out, &code));
		E2E_CHECK(h, code == 1);
		E2E_CHECK(h,
		    out.data != NULL && strstr(out.data, "refusing to run as root") != NULL);
		hbuf_free(&out);
		printf("privilege: root without user = \"...\": refused\n");
	} else {
		printf("privilege: not root: the refusal of root is not tested here\n");
	}
	/* A configuration with PIN hashes others can read. */
	write_cfg(h, "pins.cfg", true,
	    "ngo_desk = { name = \"Desk\"; number = \"+60199\"; pin_hash = \"" HASH "\"; };\n", cfg,
	    sizeof(cfg));
	E2E_CHECK(h, chmod(cfg, 0644) == 0);
	hbuf_init(&out);
	E2E_OK(h, harness_gw_check(h, cfg, &out, &code));
	E2E_CHECK(h, code == 1);
	E2E_CHECK(h, out.data != NULL && strstr(out.data, "PIN hashes") != NULL &&
			 strstr(out.data, "chmod 640") != NULL);
	hbuf_free(&out);
	E2E_CHECK(h, chmod(cfg, 0600) == 0);
	hbuf_init(&out);
	E2E_OK(h, harness_gw_check(h, cfg, &out, &code));
	E2E_CHECK(h, code == 0);
	hbuf_free(&out);
	printf("privilege: a configuration with PIN hashes readable by others: refused\n");
	/* A database (and a WAL) others can read. */
	write_cfg(h, "kawan.cfg", true, "", cfg, sizeof(cfg));
	E2E_OK(h, harness_write_file(h, "kawan.db", "", NULL, 0));
	E2E_CHECK(h, chmod(h->db, 0644) == 0);
	hbuf_init(&out);
	E2E_OK(h, run_gateway(h, cfg, &out, &code));
	E2E_CHECK(h, code == 1);
	E2E_CHECK(h, out.data != NULL && strstr(out.data, h->db) != NULL &&
			 strstr(out.data, "chmod 600") != NULL);
	hbuf_free(&out);
	E2E_CHECK(h, chmod(h->db, 0600) == 0);
	snprintf(wal, sizeof(wal), "%s-wal", h->db);
	E2E_OK(h, harness_write_file(h, "kawan.db-wal", "", NULL, 0));
	E2E_CHECK(h, chmod(wal, 0640) == 0);
	hbuf_init(&out);
	E2E_OK(h, harness_gw_check(h, cfg, &out, &code));
	E2E_CHECK(h, code == 1);
	E2E_CHECK(h, out.data != NULL && strstr(out.data, wal) != NULL);
	hbuf_free(&out);
	printf("privilege: a database or WAL readable by group or others: refused\n");
}

/* -n says that gammu_log records the SIM PIN and every message. */
static void
test_check_warns_gammu_log(void **state)
{
	struct harness *h = *state;
	struct hbuf out;
	int code = 0;

	h->opts.gammu_log = "auto";
	E2E_OK(h, harness_write_config(h));
	hbuf_init(&out);
	E2E_OK(h, harness_gw_check(h, h->cfg, &out, &code));
	E2E_CHECK(h, code == 0);
	E2E_CHECK(h, out.data != NULL && strstr(out.data, "gammu_log") != NULL &&
			 strstr(out.data, "SIM PIN") != NULL);
	hbuf_free(&out);
	h->opts.gammu_log = "";
	E2E_OK(h, harness_write_config(h));
	hbuf_init(&out);
	E2E_OK(h, harness_gw_check(h, h->cfg, &out, &code));
	E2E_CHECK(h, code == 0);
	E2E_CHECK(h, out.data == NULL || strstr(out.data, "SIM PIN") == NULL);
	hbuf_free(&out);
	printf("privilege: -n warns when gammu_log is on, and only then\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_private_files_and_drop, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_check_warns_gammu_log, setup, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
