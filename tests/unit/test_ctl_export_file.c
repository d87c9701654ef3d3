/* test_ctl_export_file.c - `kawanctl reports export -o FILE` creates its
 * file private (issue 11, ctl_export_create / ctl_export_to): 0600
 * whatever the umask, never over an existing file or through a symlink,
 * 0640 in export_group when one is configured (as root; skipped
 * otherwise), a clear refusal when that group does not exist, and no file
 * left behind by a failed export. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "ctl/ctl.h"
#include "store/store.h"

#include "store_fixture.h"

struct fx {
	struct sfx_db d;
	char out[300], victim[300];
};

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return -1;
	snprintf(x->d.dir, sizeof(x->d.dir), "/tmp/kawan-export-XXXXXX");
	if (mkdtemp(x->d.dir) == NULL)
		return -1;
	snprintf(x->d.path, sizeof(x->d.path), "%s/kawan.db", x->d.dir);
	snprintf(x->out, sizeof(x->out), "%s/reports.csv", x->d.dir);
	snprintf(x->victim, sizeof(x->victim), "%s/victim", x->d.dir);
	if (store_open(x->d.path, &x->d.st) != 0)
		return -1;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	unlink(x->out);
	unlink(x->victim);
	sfx_close(&x->d);
	free(x);
	return 0;
}

static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
assert_file_text(const char *path, const char *want)
{
	char buf[512] = "";
	FILE *fp = fopen(path, "r");

	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, want);
}

/* 0600 and the caller's, even under a permissive umask. */
static void
test_mode_0600(void **state)
{
	struct fx *x = *state;
	mode_t old = umask(022);
	struct stat sb;
	FILE *fp = ctl_export_create(x->out, "");

	umask(old);
	assert_non_null(fp);
	fputs("ref\r\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(lstat(x->out, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(sb.st_uid, getuid());
	/* NULL group: the same */
	unlink(x->out);
	fp = ctl_export_create(x->out, NULL);
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(lstat(x->out, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
}

/* An existing file is never overwritten, nor a symlink followed. */
static void
test_refuses_existing(void **state)
{
	struct fx *x = *state;
	struct stat sb;

	put(x->out, "an earlier export\n");
	assert_null(ctl_export_create(x->out, ""));
	assert_file_text(x->out, "an earlier export\n"); /* untouched, not removed */
	unlink(x->out);
	/* A symlink to a file, and a dangling one: both refused. */
	put(x->victim, "not yours\n");
	assert_int_equal(symlink(x->victim, x->out), 0);
	assert_null(ctl_export_create(x->out, ""));
	assert_file_text(x->victim, "not yours\n");
	unlink(x->victim);
	assert_null(ctl_export_create(x->out, ""));
	assert_int_equal(lstat(x->victim, &sb), -1); /* not created through the link */
	assert_int_equal(lstat(x->out, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode)); /* the link itself left alone */
}

/* export_group names no group: a clear refusal, no file. */
static void
test_missing_group(void **state)
{
	struct fx *x = *state;
	struct stat sb;

	assert_null(getgrnam("kawan-no-such-group"));
	assert_null(ctl_export_create(x->out, "kawan-no-such-group"));
	assert_int_equal(lstat(x->out, &sb), -1);
}

/* As root: 0640 and owned by export_group. */
static void
test_group_0640(void **state)
{
	static const char *const names[] = { "kawan-admin", "adm", "daemon", "users", "nogroup",
		NULL };
	struct fx *x = *state;
	struct group *gr = NULL;
	struct stat sb;
	gid_t gid;
	char name[64];
	FILE *fp;

	if (getuid() != 0) {
		print_message("skipped: chown to a group needs root (id -u is %u)\n",
		    (unsigned)getuid());
		skip();
	}
	for (size_t i = 0; names[i] != NULL && gr == NULL; i++) {
		gr = getgrnam(names[i]);
		if (gr != NULL && gr->gr_gid == getgid())
			gr = NULL; /* a group the file would get anyway proves nothing */
	}
	if (gr == NULL) {
		print_message("skipped: no group to export to\n");
		skip();
	}
	gid = gr->gr_gid;
	snprintf(name, sizeof(name), "%s", gr->gr_name);
	fp = ctl_export_create(x->out, name);
	assert_non_null(fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(lstat(x->out, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	assert_int_equal(sb.st_gid, gid);
}

/* The whole export into the file; refused and failed exports leave no
 * file of theirs. */
static void
test_export_to(void **state)
{
	struct fx *x = *state;
	struct ctl_reports_query q = { .f = { .state = -1 }, .format = "csv" };
	struct stat sb;

	q.output = x->out;
	assert_int_equal(ctl_export_to(x->d.st, &q, ""), 0);
	assert_int_equal(lstat(x->out, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_file_text(x->out, "ref,state,msisdn,lang,nationality,notify,category,place,"
				 "callback,message,created,updated,alerted,acked,closed,"
				 "acked_by,closed_by,outcome,alert_level,reminders,next_alert,"
				 "erased,audit_count\r\n");
	/* again: refused, the first export kept */
	assert_int_equal(ctl_export_to(x->d.st, &q, ""), 1);
	assert_int_equal(lstat(x->out, &sb), 0);
	assert_true(sb.st_size > 0);
	unlink(x->out);
	/* a bad format: refused before any file is made */
	q.format = "xml";
	assert_int_equal(ctl_export_to(x->d.st, &q, ""), 2);
	assert_int_equal(lstat(x->out, &sb), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mode_0600, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_0640, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_to, setup, teardown),
	};

	log_init("test", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
