/* test_kawanctl.c - the real build/kawanctl (found through KAWAN_BIN) on a
 * temporary database filled through the store API: reports list with
 * each filter, show with its audit trail, ack/note/close and their
 * refusals, CSV and JSON export parsed back, yearly stats (also after
 * retention erased personal data), purge, pin-hash checked with
 * crypt_r, and the content tools' USSD figures (check's USSD table,
 * simulate --channel ussd as CON/END screens), content review's CSV and
 * HTML sheets. Runs the binary with fork/execv, no shell, in TZ=MYT-8, with
 * -c naming the test's own configuration unless a test gives -c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <crypt.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hbuf.h"
#include "hdb.h"
#include "hproc.h"
#include "core/log.h"
#include "core/util.h"
#include "store/store.h"

#define KC_MIN (60 * 1000LL)
#define KC_HOUR (60 * KC_MIN)
#define KC_DAY (24 * KC_HOUR)

/* Worker text with a comma, quotes and a line break: must survive CSV and JSON. */
#define KC_TRICKY "He said \"stay\", then\nlocked the door"
#define KC_PLACE "Jalan Ampang 12, Kuala Lumpur, near the big mosque"
#define KC_HOSTILE "\x1b]0;owned\x07\x1b[2J help" /* terminal escapes */
#define KC_BURMESE "\xe1\x80\x80\xe1\x80\xbb\xe1\x80\xbd\xe1\x80\x94\xe1\x80\xba"

struct kc {
	char dir[256];
	char db[320];
	char cfg[320];
	char bin[512];
	char refs[8][STORE_REF_MAX]; /* the fixture's references, R1..R7 at [1..7] */
	struct hbuf out, err;
	int status; /* exit status of the last run, or -1 */
};

/* Writes k->cfg: the database, a modem, and extra (more settings, or ""). */
static int
kc_write_cfg(struct kc *k, const char *extra)
{
	FILE *fp = fopen(k->cfg, "w");

	if (fp == NULL)
		return -1;
	fprintf(fp,
	    "database = \"%s\";\ncountry = \"MY\";\n"
	    "modems = ( { name = \"m1\"; device = \"/dev/null\"; connection = \"at\"; } );\n%s",
	    k->db, extra);
	return fclose(fp) == 0 ? 0 : -1;
}

static int
setup(void **state)
{
	struct kc *k = calloc(1, sizeof(*k));
	const char *env = getenv("KAWAN_BIN");

	if (k == NULL)
		return -1;
	setenv("TZ", "MYT-8", 1); /* Kuala Lumpur, no DST: local != UTC */
	tzset();
	snprintf(k->bin, sizeof(k->bin), "%s/kawanctl", env != NULL ? env : "build");
	snprintf(k->dir, sizeof(k->dir), "/tmp/kawanctl-test.XXXXXX");
	if (mkdtemp(k->dir) == NULL)
		return -1;
	snprintf(k->db, sizeof(k->db), "%s/kawan.db", k->dir);
	snprintf(k->cfg, sizeof(k->cfg), "%s/kawan.cfg", k->dir);
	if (kc_write_cfg(k, "") < 0)
		return -1;
	hbuf_init(&k->out);
	hbuf_init(&k->err);
	*state = k;
	return 0;
}

static int
teardown(void **state)
{
	struct kc *k = *state;
	char path[400];
	static const char *const files[] = { "kawan.db", "kawan.db-wal", "kawan.db-shm",
		"kawan.cfg", "stdin", "stdout", "stderr" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", k->dir, files[i]);
		unlink(path);
	}
	rmdir(k->dir);
	hbuf_free(&k->out);
	hbuf_free(&k->err);
	free(k);
	return 0;
}

/* Runs kawanctl with args (NULL-terminated) and stdin_text on stdin;
 * fills k->out, k->err and k->status. */
static void
kc_run_in(struct kc *k, const char *stdin_text, const char *const *args)
{
	char *argv[32];
	char in_path[400], out_path[400], err_path[400];
	int fin, fout, ferr, st = 0;
	size_t n = 0;
	pid_t pid;
	int64_t deadline = hproc_mono_ms() + 20000;

	argv[n++] = k->bin;
	if (strcmp(args[0], "-c") != 0) { /* never whatever /etc/kawan holds */
		argv[n++] = (char *)"-c";
		argv[n++] = k->cfg;
	}
	for (size_t a = 0; args[a] != NULL && n < 31; a++)
		argv[n++] = (char *)args[a];
	argv[n] = NULL;
	snprintf(in_path, sizeof(in_path), "%s/stdin", k->dir);
	snprintf(out_path, sizeof(out_path), "%s/stdout", k->dir);
	snprintf(err_path, sizeof(err_path), "%s/stderr", k->dir);
	fin = open(in_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	fout = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ferr = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fin >= 0 && fout >= 0 && ferr >= 0);
	if (stdin_text != NULL)
		assert_int_equal(write(fin, stdin_text, strlen(stdin_text)),
		    (ssize_t)strlen(stdin_text));
	assert_int_equal(lseek(fin, 0, SEEK_SET), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (dup2(fin, 0) < 0 || dup2(fout, 1) < 0 || dup2(ferr, 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fin);
	close(fout);
	close(ferr);
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (hproc_mono_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail_msg("kawanctl %s timed out", args[0]);
		}
		hproc_sleep_ms(5);
	}
	k->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	hbuf_reset(&k->out);
	hbuf_reset(&k->err);
	assert_int_equal(hbuf_read_file(&k->out, out_path), 0);
	assert_int_equal(hbuf_read_file(&k->err, err_path), 0);
	if (k->out.data == NULL)
		assert_int_equal(hbuf_adds(&k->out, ""), 0);
	if (k->err.data == NULL)
		assert_int_equal(hbuf_adds(&k->err, ""), 0);
}

#define KC_RUN(k, ...) kc_run_in((k), NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define KC_RUN_IN(k, in, ...) kc_run_in((k), (in), (const char *const[]){ __VA_ARGS__, NULL })

/* Asserts the last run exited with status and says where when not. */
static void
kc_expect(struct kc *k, int status, int line)
{
	if (k->status != status) {
		fprintf(stderr, "line %d: exit %d, expected %d\n--- stdout:\n%s--- stderr:\n%s",
		    line, k->status, status, k->out.data, k->err.data);
		fail();
	}
}
#define KC_EXPECT(k, s) kc_expect((k), (s), __LINE__)

static void
kc_has(const char *hay, const char *needle, bool want, int line)
{
	if ((strstr(hay, needle) != NULL) != want) {
		fprintf(stderr, "line %d: '%s' %s in:\n%s", line, needle,
		    want ? "missing" : "unexpected", hay);
		fail();
	}
}
#define KC_HAS(s, n) kc_has((s), (n), true, __LINE__)
#define KC_HASNT(s, n) kc_has((s), (n), false, __LINE__)

/* A local time in TZ=MYT-8 as unix ms. */
static int64_t
kc_local(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900,
		.tm_mon = mo - 1,
		.tm_mday = d,
		.tm_hour = h,
		.tm_min = mi,
		.tm_isdst = -1 };

	return (int64_t)mktime(&tm) * 1000;
}

/* Creates one report; state and times from the arguments (0 = not yet). */
static void
kc_report(struct store *st, struct kc *k, int idx, const char *msisdn, const char *nat,
    const char *cat, int64_t created, int64_t acked_after, int64_t closed_after,
    enum store_report_state state)
{
	struct store_report r;

	assert_int_equal(store_report_create(st, msisdn, "en", nat, created, &r), 0);
	if (cat[0] != '\0')
		assert_int_equal(store_report_set(st, r.id, STORE_RF_CATEGORY, cat, created), 0);
	assert_int_equal(store_audit_add(st, r.id, created, "worker", "sms", "created", "SOS"), 0);
	r.state = state;
	if (state >= STORE_REPORT_ALERTED) {
		r.alerted_ms = created + KC_MIN;
		r.alert_level = 1;
		assert_int_equal(store_audit_add(st, r.id, r.alerted_ms, "system", "system",
				     "alerted", "first officer"),
		    0);
	}
	if (acked_after > 0) {
		r.acked_ms = created + acked_after;
		assert_int_equal(util_strcopy(r.acked_by, sizeof(r.acked_by), "Aung Ko (MM duty)"),
		    0);
		assert_int_equal(
		    store_audit_add(st, r.id, r.acked_ms, "Aung Ko", "sms", "acked", ""), 0);
	}
	if (closed_after > 0) {
		r.closed_ms = created + closed_after;
		assert_int_equal(util_strcopy(r.closed_by, sizeof(r.closed_by), "Aung Ko"), 0);
		assert_int_equal(util_strcopy(r.outcome, sizeof(r.outcome), "worker safe"), 0);
	}
	r.updated_ms = created;
	assert_int_equal(store_report_save_state(st, &r), 0);
	assert_int_equal(util_strcopy(k->refs[idx], sizeof(k->refs[idx]), r.ref), 0);
}

/* The 2024 set: R1..R6 (R5 is 00:30 on 1 January 2025 local time, still
 * 2024 in UTC). Ack times 10, 30, 20, 50 min; close times 2 h, 4 h. */
static void
kc_fill(struct kc *k)
{
	struct store *st;
	struct store_report r;

	assert_int_equal(store_open(k->db, &st), 0);
	kc_report(st, k, 1, "+60111000001", "MM", "locked_in", kc_local(2024, 3, 1, 10, 0),
	    10 * KC_MIN, 2 * KC_HOUR, STORE_REPORT_CLOSED);
	kc_report(st, k, 2, "+60111000002", "MM", "wages", kc_local(2024, 3, 5, 9, 0), 30 * KC_MIN,
	    0, STORE_REPORT_ACKED);
	kc_report(st, k, 3, "+60111000003", "ID", "violence", kc_local(2024, 6, 10, 20, 0), 0, 0,
	    STORE_REPORT_ALERTED);
	kc_report(st, k, 4, "+60111000004", "PH", "documents", kc_local(2024, 7, 1, 8, 0),
	    20 * KC_MIN, 4 * KC_HOUR, STORE_REPORT_CLOSED);
	kc_report(st, k, 5, "+60111000005", "KH", "", kc_local(2025, 1, 1, 0, 30), 0, 0,
	    STORE_REPORT_NEW);
	kc_report(st, k, 6, "+60111000006", "MM", "sick", kc_local(2024, 12, 31, 23, 30),
	    50 * KC_MIN, 0, STORE_REPORT_ACKED);
	assert_int_equal(store_report_get(st, k->refs[1], &r), 0);
	assert_int_equal(store_report_set(st, r.id, STORE_RF_PLACE, KC_PLACE, r.created_ms), 0);
	assert_int_equal(store_report_set(st, r.id, STORE_RF_MESSAGE, KC_TRICKY, r.created_ms), 0);
	assert_int_equal(store_report_set(st, r.id, STORE_RF_NOTIFY, "ngo", r.created_ms), 0);
	assert_int_equal(store_report_get(st, k->refs[2], &r), 0);
	assert_int_equal(store_report_set(st, r.id, STORE_RF_MESSAGE, KC_BURMESE, r.created_ms), 0);
	assert_int_equal(store_report_get(st, k->refs[4], &r), 0);
	assert_int_equal(store_report_set(st, r.id, STORE_RF_MESSAGE, KC_HOSTILE, r.created_ms), 0);
	store_close(st);
}

/* The number of data lines of a list (the "(N reports)" line). */
static long
kc_listed(struct kc *k)
{
	const char *p = strrchr(k->out.data, '(');
	long n = -1;

	assert_non_null(p);
	assert_int_equal(sscanf(p, "(%ld report", &n), 1);
	return n;
}

static void
test_list_filters(void **state)
{
	struct kc *k = *state;

	kc_fill(k);
	KC_RUN(k, "reports", "list", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_listed(k), 6);
	for (int i = 1; i <= 6; i++)
		KC_HAS(k->out.data, k->refs[i]);
	KC_HAS(k->out.data, "2024-03-01 10:00");               /* local time, not UTC */
	KC_HAS(k->out.data, "Jalan Ampang 12, Kuala Lump..."); /* cut to 30 */
	KC_HASNT(k->out.data, "big mosque");
	KC_HAS(k->out.data, "Aung Ko (MM duty)");

	KC_RUN(k, "reports", "list", "--status", "open", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_listed(k), 4);
	KC_HASNT(k->out.data, k->refs[1]);
	KC_HASNT(k->out.data, k->refs[4]);
	KC_RUN(k, "reports", "list", "--status", "acked", "--db", k->db);
	assert_int_equal(kc_listed(k), 2);
	KC_HAS(k->out.data, k->refs[2]);
	KC_HAS(k->out.data, k->refs[6]);
	KC_RUN(k, "reports", "list", "--status", "new", "--db", k->db);
	assert_int_equal(kc_listed(k), 1);
	KC_HAS(k->out.data, k->refs[5]);
	KC_RUN(k, "reports", "list", "--status", "closed", "--db", k->db);
	assert_int_equal(kc_listed(k), 2);
	KC_RUN(k, "reports", "list", "--status", "alerted", "--db", k->db);
	assert_int_equal(kc_listed(k), 1);
	KC_RUN(k, "reports", "list", "--nationality", "mm", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_listed(k), 3);
	/* --to is inclusive and local: 23:30 on 31 December is in, 00:30 on 1 January out. */
	KC_RUN(k, "reports", "list", "--from", "2024-06-01", "--to", "2024-12-31", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_listed(k), 3);
	KC_HAS(k->out.data, k->refs[3]);
	KC_HAS(k->out.data, k->refs[6]);
	KC_HASNT(k->out.data, k->refs[5]);
	KC_RUN(k, "reports", "list", "--from", "2025-01-01", "--db", k->db);
	assert_int_equal(kc_listed(k), 1);
	KC_RUN(k, "reports", "list", "--status", "open", "--nationality", "MM", "--to",
	    "2024-06-30", "--db", k->db);
	assert_int_equal(kc_listed(k), 1);
	KC_HAS(k->out.data, k->refs[2]);

	/* The database named by the configuration, without --db. */
	KC_RUN(k, "-c", k->cfg, "reports", "list");
	KC_EXPECT(k, 0);
	assert_int_equal(kc_listed(k), 6);

	KC_RUN(k, "reports", "list", "--status", "lost", "--db", k->db);
	KC_EXPECT(k, 2);
	KC_RUN(k, "reports", "list", "--from", "2024-02-30", "--db", k->db);
	KC_EXPECT(k, 2);
	KC_RUN(k, "reports", "list", "--nationality", "MMR", "--db", k->db);
	KC_EXPECT(k, 2);
	KC_RUN(k, "reports", "list", "--db", "/nonexistent/kawan.db");
	KC_EXPECT(k, 1);
	KC_HAS(k->err.data, "no database");
}

static void
test_show(void **state)
{
	struct kc *k = *state;

	kc_fill(k);
	KC_RUN(k, "reports", "show", k->refs[1], "--db", k->db);
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "+60111000001");
	KC_HAS(k->out.data, KC_PLACE); /* whole, not cut */
	KC_HAS(k->out.data, "He said \"stay\", then");
	KC_HAS(k->out.data, "locked the door");
	KC_HAS(k->out.data, "closed");
	KC_HAS(k->out.data, "worker safe");
	KC_HAS(k->out.data, "2024-03-01 10:00:00 +0800");
	KC_HAS(k->out.data, "audit trail:");
	KC_HAS(k->out.data, "first officer");
	KC_HAS(k->out.data, "Aung Ko");
	KC_HAS(k->out.data, "acked");
	/* References are case-insensitive. */
	{
		char lower[STORE_REF_MAX];

		for (size_t i = 0; i < sizeof(lower); i++)
			lower[i] = (char)((k->refs[2][i] >= 'A' && k->refs[2][i] <= 'Z') ?
					      k->refs[2][i] - 'A' + 'a' :
					      k->refs[2][i]);
		KC_RUN(k, "reports", "show", lower, "--db", k->db);
		KC_EXPECT(k, 0);
		KC_HAS(k->out.data, KC_BURMESE);
	}
	/* Escape sequences from a worker never reach the officer's terminal. */
	KC_RUN(k, "reports", "show", k->refs[4], "--db", k->db);
	KC_EXPECT(k, 0);
	KC_HASNT(k->out.data, "\x1b");
	KC_HASNT(k->out.data, "\x07");
	KC_HAS(k->out.data, "]0;owned");
	KC_RUN(k, "reports", "show", "ZZZZ9", "--db", k->db);
	KC_EXPECT(k, 1);
	KC_HAS(k->err.data, "no report");
	KC_RUN(k, "reports", "show", "--db", k->db);
	KC_EXPECT(k, 2);
}

static void
test_ack_note_close(void **state)
{
	struct kc *k = *state;
	const char *r3;
	int64_t n = 0;

	kc_fill(k);
	r3 = k->refs[3];
	KC_RUN(k, "reports", "ack", r3, "--db", k->db);
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "acknowledged");
	/* The worker is told (a durable outbound message), as after an SMS ACK. */
	assert_int_equal(
	    hdb_int(k->db, "SELECT COUNT(*) FROM outbound WHERE dest = '+60111000003'", &n), 0);
	assert_int_equal(n, 1);
	KC_RUN(k, "reports", "list", "--status", "acked", "--db", k->db);
	assert_int_equal(kc_listed(k), 3);
	KC_HAS(k->out.data, "kawanctl:");
	KC_RUN(k, "reports", "note", r3, "called", "the", "employer,", "no", "answer", "--db",
	    k->db);
	KC_EXPECT(k, 0);
	KC_RUN(k, "reports", "close", r3, "--db", k->db, "worker", "moved", "to", "shelter");
	KC_EXPECT(k, 0);
	KC_RUN(k, "reports", "show", r3, "--db", k->db);
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "called the employer, no answer");
	KC_HAS(k->out.data, "worker moved to shelter");
	KC_HAS(k->out.data, "cli");
	KC_HAS(k->out.data, "kawanctl:");
	KC_RUN(k, "reports", "list", "--status", "closed", "--db", k->db);
	assert_int_equal(kc_listed(k), 3);

	/* Refusals: exit 1 with a reason, nothing changed. */
	KC_RUN(k, "reports", "close", r3, "again", "--db", k->db);
	KC_EXPECT(k, 1);
	assert_true(k->err.len > 0);
	KC_RUN(k, "reports", "ack", k->refs[1], "--db", k->db); /* closed */
	KC_EXPECT(k, 1);
	assert_true(k->err.len > 0);
	KC_RUN(k, "reports", "ack", "QQQQ7", "--db", k->db);
	KC_EXPECT(k, 1);
	KC_RUN(k, "reports", "note", "QQQQ7", "hello", "--db", k->db);
	KC_EXPECT(k, 1);
	KC_RUN(k, "reports", "close", "QQQQ7", "done", "--db", k->db);
	KC_EXPECT(k, 1);
	KC_RUN(k, "reports", "note", k->refs[2], "--db", k->db); /* no text */
	KC_EXPECT(k, 2);
	KC_RUN(k, "reports", "close", k->refs[2], "--db", k->db); /* no outcome */
	KC_EXPECT(k, 2);
	KC_RUN(k, "reports", "list", "--status", "closed", "--db", k->db);
	assert_int_equal(kc_listed(k), 3);
	/* An acked report can be closed without a second ack. */
	KC_RUN(k, "reports", "close", k->refs[2], "--db", k->db, "--", "repatriated", "--home");
	KC_EXPECT(k, 0);
	KC_RUN(k, "reports", "show", k->refs[2], "--db", k->db);
	KC_HAS(k->out.data, "repatriated --home");
}

#define KC_MAXF 40
#define KC_MAXR 1024

struct kc_csv {
	char *f[KC_MAXR][KC_MAXF];
	int nf[KC_MAXR];
	int nr;
};

/* An RFC 4180 reader: records end with CRLF; a field in quotes may hold
 * commas, CRLF and doubled quotes. 0, or -1 on malformed input. */
static int
kc_csv_parse(const char *s, struct kc_csv *c)
{
	struct hbuf fld;

	memset(c, 0, sizeof(*c));
	hbuf_init(&fld);
	while (*s != '\0' && c->nr < KC_MAXR) {
		hbuf_reset(&fld);
		if (hbuf_adds(&fld, "") < 0)
			return -1;
		if (*s == '"') {
			for (s++;; s++) {
				if (*s == '\0')
					return -1;
				if (*s == '"' && s[1] == '"')
					s++;
				else if (*s == '"')
					break;
				if (hbuf_add(&fld, s, 1) < 0)
					return -1;
			}
			s++;
		} else {
			for (; *s != ',' && *s != '\r' && *s != '\0'; s++) {
				if (*s == '\n' || *s == '"')
					return -1; /* bare LF or quote: not RFC 4180 */
				if (hbuf_add(&fld, s, 1) < 0)
					return -1;
			}
		}
		if (c->nf[c->nr] >= KC_MAXF)
			return -1;
		c->f[c->nr][c->nf[c->nr]++] = strdup(fld.data);
		if (*s == ',') {
			s++;
		} else if (s[0] == '\r' && s[1] == '\n') {
			s += 2;
			c->nr++;
		} else {
			return -1;
		}
	}
	hbuf_free(&fld);
	return *s == '\0' ? 0 : -1;
}

static void
kc_csv_free(struct kc_csv *c)
{
	for (int r = 0; r < KC_MAXR; r++)
		for (int i = 0; i < c->nf[r]; i++)
			free(c->f[r][i]);
}

static int
kc_csv_col(const struct kc_csv *c, const char *name)
{
	for (int i = 0; i < c->nf[0]; i++)
		if (strcmp(c->f[0][i], name) == 0)
			return i;
	fail_msg("no column %s", name);
	return -1;
}

static void
test_export_csv(void **state)
{
	struct kc *k = *state;
	static struct kc_csv c;
	int ref, msg, place, audits, state_col, created, notify, msisdn;
	bool seen = false;

	kc_fill(k);
	KC_RUN(k, "reports", "export", "--format", "csv", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_csv_parse(k->out.data, &c), 0);
	assert_int_equal(c.nr, 7);
	for (int r = 1; r < c.nr; r++)
		assert_int_equal(c.nf[r], c.nf[0]);
	ref = kc_csv_col(&c, "ref");
	msg = kc_csv_col(&c, "message");
	place = kc_csv_col(&c, "place");
	audits = kc_csv_col(&c, "audit_count");
	state_col = kc_csv_col(&c, "state");
	created = kc_csv_col(&c, "created");
	notify = kc_csv_col(&c, "notify");
	msisdn = kc_csv_col(&c, "msisdn");
	(void)kc_csv_col(&c, "outcome");
	for (int r = 1; r < c.nr; r++) {
		if (strcmp(c.f[r][ref], k->refs[1]) == 0) {
			assert_string_equal(c.f[r][msg], KC_TRICKY);
			assert_string_equal(c.f[r][place], KC_PLACE);
			assert_string_equal(c.f[r][audits], "3");
			assert_string_equal(c.f[r][state_col], "closed");
			assert_string_equal(c.f[r][created], "2024-03-01T02:00:00Z");
			assert_string_equal(c.f[r][notify], "ngo");
			/* a number starts with '+': led by an apostrophe, never a formula */
			assert_string_equal(c.f[r][msisdn], "'+60111000001");
			seen = true;
		}
		if (strcmp(c.f[r][ref], k->refs[2]) == 0)
			assert_string_equal(c.f[r][msg], KC_BURMESE);
		if (strcmp(c.f[r][ref], k->refs[4]) == 0)
			assert_string_equal(c.f[r][msg], KC_HOSTILE);
	}
	assert_true(seen);
	kc_csv_free(&c);

	KC_RUN(k, "reports", "export", "--format", "csv", "--nationality", "PH", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_csv_parse(k->out.data, &c), 0);
	assert_int_equal(c.nr, 2);
	assert_string_equal(c.f[1][kc_csv_col(&c, "ref")], k->refs[4]);
	kc_csv_free(&c);

	KC_RUN(k, "reports", "export", "--format", "xml", "--db", k->db);
	KC_EXPECT(k, 2);
	KC_RUN(k, "reports", "export", "--db", k->db);
	KC_EXPECT(k, 2);
}

/* Checks JSON structure: brackets balanced outside strings, no raw control
 * characters inside strings, only known escapes. Returns the objects seen
 * at depth 2 or -1. */
static int
kc_json_check(const char *s)
{
	int depth = 0, objects = 0;
	bool in_str = false;

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (in_str) {
			if (ch < 0x20)
				return -1;
			if (ch == '\\') {
				s++;
				if (*s == 'u') {
					for (int i = 1; i <= 4; i++)
						if (strchr("0123456789abcdefABCDEF", s[i]) ==
							NULL ||
						    s[i] == '\0')
							return -1;
					s += 4;
				} else if (strchr("\"\\/bfnrt", *s) == NULL || *s == '\0') {
					return -1;
				}
			} else if (ch == '"') {
				in_str = false;
			}
			continue;
		}
		if (ch == '"')
			in_str = true;
		else if (ch == '[' || ch == '{')
			objects += ++depth == 2;
		else if (ch == ']' || ch == '}')
			depth--;
		if (depth < 0)
			return -1;
	}
	return depth == 0 && !in_str ? objects : -1;
}

/* export -o FILE (issue 11): a new file, 0600 whatever the caller's
 * umask, the export in it and nothing on stdout; never over an existing
 * file; -o only for export; export_group naming no group refused
 * clearly; as root, 0640 in the configured group. */
static void
test_export_file(void **state)
{
	struct kc *k = *state;
	char out[400], extra[200];
	struct stat sb;
	struct group *gr = NULL;
	mode_t old;

	kc_fill(k);
	snprintf(out, sizeof(out), "%s/export.csv", k->dir);
	old = umask(022); /* kawanctl sets its own */
	KC_RUN(k, "reports", "export", "--format", "csv", "-o", out, "--db", k->db);
	KC_EXPECT(k, 0);
	assert_string_equal(k->out.data, "");
	assert_int_equal(lstat(out, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_true(sb.st_size > 100);
	KC_RUN(k, "reports", "export", "--format", "json", "--output", out, "--db", k->db);
	KC_EXPECT(k, 1);
	kc_has(k->err.data, "already exists", true, __LINE__);
	assert_int_equal(lstat(out, &sb), 0);
	assert_true(sb.st_size > 100); /* the first export kept */
	unlink(out);
	KC_RUN(k, "reports", "list", "-o", out, "--db", k->db);
	KC_EXPECT(k, 2);
	assert_int_equal(kc_write_cfg(k, "export_group = \"kawan-no-such-group\";\n"), 0);
	KC_RUN(k, "reports", "export", "--format", "csv", "-o", out, "--db", k->db);
	KC_EXPECT(k, 1);
	kc_has(k->err.data, "export_group 'kawan-no-such-group' does not exist", true, __LINE__);
	assert_int_equal(lstat(out, &sb), -1);
	if (getuid() == 0) {
		static const char *const names[] = { "adm", "daemon", "users", "nogroup", NULL };

		for (size_t i = 0; names[i] != NULL && gr == NULL; i++) {
			gr = getgrnam(names[i]);
			if (gr != NULL && gr->gr_gid == getgid())
				gr = NULL;
		}
	}
	if (gr != NULL) {
		gid_t gid = gr->gr_gid;

		snprintf(extra, sizeof(extra), "export_group = \"%s\";\n", gr->gr_name);
		assert_int_equal(kc_write_cfg(k, extra), 0);
		KC_RUN(k, "reports", "export", "--format", "csv", "-o", out, "--db", k->db);
		KC_EXPECT(k, 0);
		assert_int_equal(lstat(out, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, 0640);
		assert_int_equal(sb.st_gid, gid);
		unlink(out);
	} else {
		print_message("export_group as root: skipped (id -u is %u)\n", (unsigned)getuid());
	}
	umask(old);
}

static void
test_export_json(void **state)
{
	struct kc *k = *state;

	kc_fill(k);
	KC_RUN(k, "reports", "export", "--format", "json", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_json_check(k->out.data), 6);
	assert_int_equal(k->out.data[0], '[');
	KC_HAS(k->out.data, "\"message\": \"He said \\\"stay\\\", then\\u000alocked the door\"");
	KC_HAS(k->out.data, "\"message\": \"" KC_BURMESE "\""); /* UTF-8 as is */
	KC_HAS(k->out.data, "\"message\": \"\\u001b]0;owned\\u0007\\u001b[2J help\"");
	KC_HAS(k->out.data, "\"audit_count\": 3");
	KC_HAS(k->out.data, "\"closed\": null");
	KC_HAS(k->out.data, "\"nationality\": \"MM\"");
	KC_HAS(k->out.data, "\"notify\": \"ngo\"");
	KC_RUN(k, "reports", "export", "--format", "json", "--status", "new", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_json_check(k->out.data), 1);
	KC_RUN(k, "reports", "export", "--format", "json", "--from", "2030-01-01", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_json_check(k->out.data), 0);
	KC_HAS(k->out.data, "[]");
}

/* The tokens of the line of out that starts with prefix after the first
 * occurrence of section: count, median, p90. */
static void
kc_stats_line(const char *out, const char *section, const char *prefix, long *n, char *med,
    char *p90)
{
	const char *p = strstr(out, section);
	char label[16];

	assert_non_null(p);
	for (p = strchr(p, '\n'); p != NULL; p = strchr(p + 1, '\n')) {
		if (sscanf(p + 1, "%15s %ld %15s %15s", label, n, med, p90) == 4 &&
		    strcmp(label, prefix) == 0)
			return;
	}
	fail_msg("no line %s after %s", prefix, section);
}

static void
kc_stats_row(const char *out, const char *nat, long want[10])
{
	const char *p = strstr(out, "Reports by nationality");
	char label[8];
	long v[10];

	assert_non_null(p);
	for (p = strchr(p, '\n'); p != NULL; p = strchr(p + 1, '\n')) {
		if (sscanf(p + 1, "%7s %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld", label, &v[0],
			&v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) == 11 &&
		    strcmp(label, nat) == 0) {
			for (int i = 0; i < 10; i++)
				assert_int_equal(v[i], want[i]);
			return;
		}
	}
	fail_msg("no row %s", nat);
}

static void
test_stats(void **state)
{
	struct kc *k = *state;
	struct store *st;
	char med[16], p90[16], *before;
	long n;
	/* locked_in documents wages violence arrested sick trafficked other unknown total */
	long mm[10] = { 1, 0, 1, 0, 0, 1, 0, 0, 0, 3 };
	long id[10] = { 0, 0, 0, 1, 0, 0, 0, 0, 0, 1 };
	long all[10] = { 1, 1, 1, 1, 0, 1, 0, 0, 0, 5 };
	long kh[10] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 };

	kc_fill(k);
	/* By default counts from 1 to 4 are shown as "<5" (no worker singled out). */
	KC_RUN(k, "stats", "--year", "2024", "--db", k->db);
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "Reports: 5; acknowledged: <5; closed: <5; still open: <5");
	KC_HAS(k->out.data, "\nMM           <5          0         <5");
	KC_HAS(k->out.data, "\n  MM            <5         -         -");
	/* The exact figures below: with stats_min_count = 1 every count is shown. */
	assert_int_equal(kc_write_cfg(k, "reports = { stats_min_count = 1; };\n"), 0);
	KC_RUN(k, "stats", "--year", "2024", "--db", k->db);
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "Article 18");
	KC_HAS(k->out.data, "Article 22");
	KC_HAS(k->out.data, "Reports: 5; acknowledged: 4; closed: 2; still open: 3");
	kc_stats_row(k->out.data, "MM", mm);
	kc_stats_row(k->out.data, "ID", id);
	kc_stats_row(k->out.data, "all", all);
	KC_HASNT(k->out.data, "KH"); /* 1 January 2025, local time */
	kc_stats_line(k->out.data, "acknowledgement", "all", &n, med, p90);
	assert_int_equal(n, 4);
	assert_string_equal(med, "0h25m"); /* 10 20 30 50 min */
	assert_string_equal(p90, "0h50m");
	kc_stats_line(k->out.data, "acknowledgement", "MM", &n, med, p90);
	assert_int_equal(n, 3);
	assert_string_equal(med, "0h30m"); /* 10 30 50 min */
	assert_string_equal(p90, "0h50m");
	kc_stats_line(k->out.data, "to close", "all", &n, med, p90);
	assert_int_equal(n, 2);
	assert_string_equal(med, "3h00m");
	assert_string_equal(p90, "4h00m");
	/* Anonymised: no numbers, places, names or free text. */
	KC_HASNT(k->out.data, "+6011");
	KC_HASNT(k->out.data, "Jalan");
	KC_HASNT(k->out.data, "Aung");
	KC_HASNT(k->out.data, "stay");
	KC_HASNT(k->out.data, "worker safe");

	/* Retention erases personal data; the figures stay the same. */
	before = strdup(k->out.data);
	assert_non_null(before);
	assert_int_equal(store_open(k->db, &st), 0);
	assert_true(store_report_erase_closed_before(st, kc_local(2026, 1, 1, 0, 0)) == 2);
	store_close(st);
	KC_RUN(k, "stats", "--year", "2024", "--db", k->db);
	KC_EXPECT(k, 0);
	assert_string_equal(k->out.data, before);
	free(before);

	KC_RUN(k, "stats", "--year", "2025", "--db", k->db);
	KC_EXPECT(k, 0);
	kc_stats_row(k->out.data, "KH", kh);
	KC_RUN(k, "stats", "--db", k->db);
	KC_EXPECT(k, 2);
	KC_RUN(k, "stats", "--year", "twenty", "--db", k->db);
	KC_EXPECT(k, 2);
}

static void
test_purge(void **state)
{
	struct kc *k = *state;
	struct store *st;
	struct store_report r;
	int64_t now = hproc_wall_ms();

	assert_int_equal(store_open(k->db, &st), 0);
	kc_report(st, k, 1, "+60112000001", "MM", "wages", now - 401 * KC_DAY, KC_HOUR, KC_DAY,
	    STORE_REPORT_CLOSED);
	kc_report(st, k, 2, "+60112000002", "MM", "wages", now - 20 * KC_DAY, KC_HOUR, KC_DAY,
	    STORE_REPORT_CLOSED);
	kc_report(st, k, 3, "+60112000003", "ID", "sick", now - 500 * KC_DAY, KC_HOUR, 0,
	    STORE_REPORT_ACKED);
	/* still open and worked on 10 days ago: it stays whole */
	assert_int_equal(store_report_get(st, k->refs[3], &r), 0);
	assert_int_equal(store_report_set(st, r.id, STORE_RF_PLACE, "Klang", now - 10 * KC_DAY), 0);
	/* open, and nobody touched it for 400 days: closed and erased (issue 11) */
	kc_report(st, k, 4, "+60112000004", "ID", "sick", now - 400 * KC_DAY, KC_HOUR, 0,
	    STORE_REPORT_ACKED);
	store_close(st);
	KC_RUN(k, "-c", k->cfg, "reports", "purge"); /* retention_days defaults to 365 */
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "2 reports erased");
	KC_RUN(k, "reports", "show", k->refs[4], "--db", k->db);
	KC_EXPECT(k, 0);
	KC_HASNT(k->out.data, "+60112000004");
	KC_HAS(k->out.data, "closed");
	KC_HAS(k->out.data, "closed and personal data erased after 365 days without activity");
	KC_RUN(k, "reports", "show", k->refs[1], "--db", k->db);
	KC_EXPECT(k, 0);
	KC_HASNT(k->out.data, "+60112000001");
	KC_RUN(k, "reports", "show", k->refs[2], "--db", k->db);
	KC_HAS(k->out.data, "+60112000002");
	KC_RUN(k, "reports", "show", k->refs[3], "--db", k->db);
	KC_HAS(k->out.data, "+60112000003");
	KC_RUN(k, "reports", "purge", "--db", k->db);
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "0 reports erased");
}

static void
test_pin_hash(void **state)
{
	struct kc *k = *state;
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	/* Issue 11: 6 to 12 digits, and nothing anyone could guess (4821 was fine before). */
	static const char *const bad[] = { "", "12\n", "123\n", "4821\n", "12345\n",
		"1234567890123\n", "48a193\n", "482193 \n", "-482193\n", "\n", "123456\n",
		"000000\n", "777777\n", "654321\n", "345678\n", "121212\n", "123123\n",
		"12345678\n", "12345678901234567890123456789012345678901234567890\n" };
	char hash[256];
	const char *h;

	assert_non_null(cd);
	KC_RUN_IN(k, "482193\n", "pin-hash");
	KC_EXPECT(k, 0);
	assert_true(strncmp(k->out.data, "$y$", 3) == 0);
	assert_true(k->out.len > 4 && k->out.data[k->out.len - 1] == '\n');
	assert_true(k->out.len - 1 < sizeof(hash));
	memcpy(hash, k->out.data, k->out.len - 1);
	hash[k->out.len - 1] = '\0';
	h = crypt_r("482193", hash, cd);
	assert_non_null(h);
	assert_string_equal(h, hash);
	h = crypt_r("482194", hash, cd);
	assert_true(h == NULL || strcmp(h, hash) != 0);
	/* Salted: the same PIN hashes differently each time; 12 digits and no newline work. */
	KC_RUN_IN(k, "482193\n", "pin-hash");
	KC_EXPECT(k, 0);
	KC_HASNT(k->out.data, hash);
	KC_RUN_IN(k, "604192738815", "pin-hash");
	KC_EXPECT(k, 0);
	k->out.data[k->out.len - 1] = '\0';
	h = crypt_r("604192738815", k->out.data, cd);
	assert_non_null(h);
	assert_string_equal(h, k->out.data);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		KC_RUN_IN(k, bad[i], "pin-hash");
		KC_EXPECT(k, 1);
		assert_int_equal(k->out.len, 0);
		KC_HAS(k->err.data, "6 to 12 digits");
	}
	KC_RUN_IN(k, "482193\n", "pin-hash", "482193"); /* never on the command line */
	KC_EXPECT(k, 2);
	free(cd);
}

/* The unit tests' content tree (tests/unit/data/content/good). */
static void
kc_fixture_paths(char *menus, char *trans, size_t sz)
{
	const char *src = getenv("KAWAN_SRCDIR");

	if (src == NULL || src[0] == '\0')
		src = ".";
	snprintf(menus, sz, "%s/tests/unit/data/content/good/menus", src);
	snprintf(trans, sz, "%s/tests/unit/data/content/good/translations", src);
}

/* content check prints the USSD table after the SMS one; simulate over
 * USSD shows screens as the operator gets them, END where the engine
 * closes the session, and stops there. */
static void
test_content_ussd(void **state)
{
	struct kc *k = *state;
	char m[512], t[512];

	kc_fixture_paths(m, t, sizeof(m));
	KC_RUN(k, "content", "check", "--menus", m, "--translations", t);
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "coverage");
	KC_HAS(k->out.data,
	    "\nUSSD screens (every node's pages; limit 182 GSM-7 septets or 80 "
	    "UCS-2 units):\nlang      screens   over   longest  fill coding node\n");
	KC_HAS(k->out.data, "\nen              7      0     66/80   82% UCS-2  rights.vn\n");
	KC_HAS(k->out.data, "0 error(s)");

	KC_RUN_IN(k, "1\nSTOP\nMENU\n", "content", "simulate", "--channel", "ussd", "--lang", "en",
	    "--menus", m, "--translations", t);
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "--- USSD screen: GSM-7, 66/182 septets\nCON Choose:\n1 Your rights\n");
	KC_HAS(k->out.data, "--- USSD screen: UCS-2, 35/80 units\nCON 1 Wages\n");
	KC_HAS(k->out.data, "--- USSD screen: GSM-7, 7/182 septets\nEND stopped\n");
	KC_HAS(k->out.data, "[session ended: the operator closes the dialog]\n");
	/* the dialog is over: MENU is never read, home is shown once */
	KC_HASNT(strstr(k->out.data, "CON Choose:") + 1, "CON Choose:");
	KC_HASNT(k->out.data, "SMS segment");

	/* SMS keeps its page lines */
	KC_RUN_IN(k, "", "content", "simulate", "--channel", "sms", "--lang", "en", "--menus", m,
	    "--translations", t);
	KC_EXPECT(k, 0);
	KC_HAS(k->out.data, "--- page 1/1: GSM-7, ");
	KC_HASNT(k->out.data, "CON ");
}

/* Copies the file src to dst. */
static void
kc_copy(const char *src, const char *dst)
{
	struct hbuf b;
	FILE *fp;

	hbuf_init(&b);
	assert_int_equal(hbuf_read_file(&b, src), 0);
	fp = fopen(dst, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(b.data, 1, b.len, fp), b.len);
	assert_int_equal(fclose(fp), 0);
	hbuf_free(&b);
}

/* The number of entries of a POT/PO text (msgid lines, the header's too). */
static int
kc_msgids(const char *s)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, "\nmsgid ")) != NULL; p++)
		n++;
	return n + (strncmp(s, "msgid ", 6) == 0);
}

/* content review on the source tree's Khmer catalog: the header, safety
 * text first, every template string once, drafts as "fuzzy draft"; on a
 * fixture, formula-looking cells neutralised and HTML escaped. */
static void
test_content_review(void **state)
{
	struct kc *k = *state;
	static struct kc_csv c;
	const char *src = getenv("KAWAN_SRCDIR");
	static const char *const head[] = { "order", "where", "kind", "english", "draft", "limit",
		"state" };
	char m[512], t[512], d[400], path[600];
	int pot, where, eng, draft, st;
	bool danger = false;
	FILE *fp;

	if (src == NULL || src[0] == '\0')
		src = ".";
	snprintf(m, sizeof(m), "%s/menus", src);
	snprintf(t, sizeof(t), "%s/translations", src);
	KC_RUN(k, "content", "pot", "--menus", m, "--translations", t);
	KC_EXPECT(k, 0);
	pot = kc_msgids(k->out.data) - 1; /* less the header */
	assert_true(pot > 50);

	/* Each entry says its place in the review order, safety first. */
	KC_HAS(k->out.data, "#. review order: 1 (safety)\nmsgctxt \"ui.danger_question\"");
	{
		int ranks = 0;

		for (const char *p = strstr(k->out.data, "#. review order: "); p != NULL;
		     p = strstr(p + 1, "#. review order: "))
			ranks++;
		assert_int_equal(ranks, pot);
	}

	/* The figures menus/README.md records: a row per language and script
	 * variant; Vietnamese without diacritics (GSM-7) costs fewer SMS than
	 * with them; the served contacts with how they were verified. */
	KC_RUN(k, "content", "figures", "--country", "MY", "--menus", m, "--translations", t);
	KC_EXPECT(k, 0);
	{
		int vi = 0, plain = 0;
		const char *p = strstr(k->out.data, "\nvi ");
		const char *q = strstr(k->out.data, "\nvi-plain ");

		assert_non_null(p);
		assert_non_null(q);
		assert_non_null(strstr(k->out.data, "\nmy-zawgyi "));
		/* columns: lang pages sms-max sms-total ... */
		assert_int_equal(sscanf(p, " vi %*d %*d %d", &vi), 1);
		assert_int_equal(sscanf(q, " vi-plain %*d %*d %d", &plain), 1);
		assert_true(plain > 0 && plain < vi);
		KC_HAS(k->out.data, "my.emergency");
		KC_HAS(k->out.data, "published 2026-");
	}

	KC_RUN(k, "content", "review", "km", "--menus", m, "--translations", t);
	KC_EXPECT(k, 0);
	assert_memory_equal(k->out.data, "\xEF\xBB\xBF", 3); /* UTF-8 BOM */
	assert_int_equal(kc_csv_parse(k->out.data + 3, &c), 0);
	assert_int_equal(c.nf[0], 7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(c.f[0][i], head[i]);
	assert_int_equal(c.nr - 1, pot); /* every template string, each once */
	where = kc_csv_col(&c, "where");
	eng = kc_csv_col(&c, "english");
	draft = kc_csv_col(&c, "draft");
	st = kc_csv_col(&c, "state");
	assert_string_equal(c.f[1][where], "ui.danger_question");
	for (int r = 2; r <= 12; r++)
		if (strncmp(c.f[r][where], "ui.report_", 10) != 0 &&
		    strncmp(c.f[r][where], "ui.notify_", 10) != 0)
			fail_msg("row %d is %s, not report flow text", r, c.f[r][where]);
	for (int r = 1; r < c.nr; r++) {
		char num[16];

		snprintf(num, sizeof(num), "%d", r);
		assert_string_equal(c.f[r][0], num);
		assert_int_equal(c.nf[r], 7);
		for (int q = r + 1; q < c.nr; q++)
			if (strcmp(c.f[r][where], c.f[q][where]) == 0 &&
			    strcmp(c.f[r][eng], c.f[q][eng]) == 0)
				fail_msg("%s listed twice", c.f[r][where]);
		if (strcmp(c.f[r][where], "ui.danger_question") == 0) {
			assert_string_equal(c.f[r][st], "fuzzy draft");
			assert_true(c.f[r][draft][0] != '\0');
			assert_string_not_equal(c.f[r][draft], c.f[r][eng]);
			danger = true;
		}
	}
	assert_true(danger);
	/* help pages before rights, rights before the rest (home) */
	{
		int help = 0, rights = 0, home = 0;

		for (int r = 1; r < c.nr; r++) {
			if (help == 0 && strncmp(c.f[r][where], "help.", 5) == 0)
				help = r;
			if (rights == 0 && strncmp(c.f[r][where], "rights.", 7) == 0)
				rights = r;
			if (strcmp(c.f[r][where], "home") == 0)
				home = r;
		}
		assert_true(help > 0 && help < rights && rights < home);
	}
	kc_csv_free(&c);
	memset(&c, 0, sizeof(c));

	KC_RUN(k, "content", "review", "km", "--format", "pdf", "--menus", m, "--translations", t);
	KC_EXPECT(k, 2);
	KC_RUN(k, "content", "review", "en", "--menus", m, "--translations", t);
	KC_EXPECT(k, 2);

	/* The unit fixture with ui strings a spreadsheet would take as formulas. */
	kc_fixture_paths(m, t, sizeof(m));
	snprintf(d, sizeof(d), "%s/rv", k->dir);
	assert_int_equal(mkdir(d, 0700), 0);
	snprintf(path, sizeof(path), "%s/menus", d);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/translations", d);
	assert_int_equal(mkdir(path, 0700), 0);
	static const char *const files[] = { "menus/home.cfg", "menus/keywords.cfg",
		"menus/languages.cfg", "menus/zcontacts.cfg", "translations/ms.po",
		"translations/th.po" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char from[700];

		snprintf(from, sizeof(from), "%s/%s", files[i][0] == 'm' ? m : t,
		    strchr(files[i], '/') + 1);
		snprintf(path, sizeof(path), "%s/%s", d, files[i]);
		kc_copy(from, path);
	}
	snprintf(path, sizeof(path), "%s/menus/ui.cfg", d);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "ui = {\n  back = \"0 Back\";\n  home = \"00 Home\";\n  more = \"98 More\";\n"
	    "  invalid = \"Reply with a number from the list.\";\n"
	    "  zz_eq = \"=HYPERLINK(\\\"http://x\\\",\\\"go\\\")\";\n"
	    "  zz_minus = \"-1, <b>&\";\n  zz_plus = \"+60 3\";\n  zz_at = \"@SUM(A1)\";\n};\n");
	assert_int_equal(fclose(fp), 0);
	snprintf(m, sizeof(m), "%s/menus", d);
	snprintf(t, sizeof(t), "%s/translations", d);
	KC_RUN(k, "content", "review", "ms", "--menus", m, "--translations", t);
	KC_EXPECT(k, 0);
	assert_int_equal(kc_csv_parse(k->out.data + 3, &c), 0);
	eng = kc_csv_col(&c, "english");
	where = kc_csv_col(&c, "where");
	st = kc_csv_col(&c, "state");
	for (int r = 1; r < c.nr; r++) {
		const char *w = c.f[r][where], *e = c.f[r][eng];

		if (strcmp(w, "ui.zz_eq") == 0)
			assert_string_equal(e, "'=HYPERLINK(\"http://x\",\"go\")");
		else if (strcmp(w, "ui.zz_minus") == 0)
			assert_string_equal(e, "'-1, <b>&");
		else if (strcmp(w, "ui.zz_plus") == 0)
			assert_string_equal(e, "'+60 3");
		else if (strcmp(w, "ui.zz_at") == 0)
			assert_string_equal(e, "'@SUM(A1)");
		else if (strcmp(w, "ui.back") == 0)
			assert_string_equal(c.f[r][st], "reviewed");
		else if (strcmp(w, "ui.more") == 0)
			assert_string_equal(c.f[r][st], "fuzzy draft");
		else if (strcmp(w, "ui.invalid") == 0)
			assert_string_equal(c.f[r][st], "missing");
		else
			assert_true(e[0] != '=' && e[0] != '\'');
	}
	assert_int_equal(c.f[1][where][0] != '\0', 1);
	assert_string_equal(c.f[1][where], "help.report"); /* the report action first */
	kc_csv_free(&c);

	/* HTML: one page, to a file, everything escaped */
	snprintf(path, sizeof(path), "%s/review.html", d);
	KC_RUN(k, "content", "review", "ms", "--format", "html", "-o", path, "--menus", m,
	    "--translations", t);
	KC_EXPECT(k, 0);
	assert_string_equal(k->out.data, "");
	hbuf_reset(&k->out);
	assert_int_equal(hbuf_read_file(&k->out, path), 0);
	KC_HAS(k->out.data, "<!DOCTYPE html>");
	KC_HAS(k->out.data, "<meta charset=\"utf-8\">");
	KC_HAS(k->out.data, "<td>-1, &lt;b&gt;&amp;</td>");
	KC_HAS(k->out.data, "<td>=HYPERLINK(&quot;http://x&quot;,&quot;go&quot;)</td>");
	KC_HASNT(k->out.data, "<b>&");
	KC_HAS(k->out.data, "</table>\n</body></html>\n");

	static const char *const rm[] = { "menus/home.cfg", "menus/keywords.cfg",
		"menus/languages.cfg", "menus/zcontacts.cfg", "menus/ui.cfg", "translations/ms.po",
		"translations/th.po", "review.html", "translations", "menus", "" };
	for (size_t i = 0; i < sizeof(rm) / sizeof(rm[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", d, rm[i]);
		if (unlink(path) != 0)
			assert_int_equal(rmdir(path), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_note_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_content_ussd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_content_review, setup, teardown),
	};

	log_init("test_kawanctl", LOG_LEVEL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
