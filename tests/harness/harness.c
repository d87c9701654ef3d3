/* harness.c - one end-to-end scenario: temporary directory, the gateway
 * and its configuration, database, and waits with deadlines. The
 * simulated modems and their control sockets are hsim.c's. */
#include "harness.h"

#include <errno.h>
#include <ftw.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define HARNESS_POLL_MS 100
#define HARNESS_TAIL 60
#define HARNESS_CTL_MS 10000

static int
harness_join(char *out, size_t outsz, const char *dir, const char *name)
{
	int n = snprintf(out, outsz, "%s/%s", dir, name);

	return (n < 0 || (size_t)n >= outsz) ? -1 : 0;
}

int
harness_path(struct harness *h, const char *name, char *out, size_t outsz)
{
	return harness_join(out, outsz, h->dir, name);
}

/* Run as root (as CI does), the gateway must drop root (issue 11): the
 * harness gives it user "nobody", the scenario's folder and read access
 * to the files it writes. *uid, *gid: nobody's. -1 when not root (or no
 * nobody): the gateway then runs as the tests' user. */
static int
harness_drop_ids(uid_t *uid, gid_t *gid)
{
	const struct passwd *pw;

	if (geteuid() != 0 || (pw = getpwnam(HARNESS_DROP_USER)) == NULL)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static int
harness_find_bin(struct harness *h)
{
	const char *env = getenv("KAWAN_BIN");
	char *abs = realpath(env != NULL && *env != '\0' ? env : "build", NULL);
	int n;

	if (abs == NULL) {
		fprintf(stderr, "harness: binaries not found (KAWAN_BIN=%s)\n", env ? env : "");
		return -1;
	}
	n = snprintf(h->bin, sizeof(h->bin), "%s", abs);
	free(abs);
	return (n < 0 || (size_t)n >= sizeof(h->bin)) ? -1 : 0;
}

/* Runs the binaries through symlinks in the scenario directory, under
 * names of our own: another session's `pkill kawan-gateway` (by name) on
 * a shared machine then cannot stop a process this test depends on. */
static int
harness_link_bins(struct harness *h)
{
	static const char *const names[][2] = {
		{ "kawan-gateway", "kgw-under-test" },
		{ "kawan-modemsim", "ksim-under-test" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char target[HARNESS_PATH_MAX], link[HARNESS_PATH_MAX];

		if (harness_join(target, sizeof(target), h->bin, names[i][0]) < 0 ||
		    harness_path(h, names[i][1], link, sizeof(link)) < 0 ||
		    symlink(target, link) < 0) {
			fprintf(stderr, "harness: cannot link %s: %s\n", names[i][0],
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void
harness_defaults(struct harness_opts *o)
{
	o->reply_text = "Kawan: we received your message.";
	o->log_level = "info";
	o->cfg_pin = "";
	o->poll_interval = 30.0;
	o->reopen_min = 0.5;
	o->reopen_max = 2.0;
	o->retry_min = 0.5;
	o->retry_max = 5.0;
	o->max_attempts = 8;
	o->partial_timeout = 600.0;
	o->max_text_bytes = 4096;
	o->sim_pin = NULL;
	o->sim_capacity = 0;
	/* KAWAN_GAMMU_LOG=1 keeps libgammu's AT transcript in <dir>/gammu.log */
	o->gammu_log = getenv("KAWAN_GAMMU_LOG") != NULL ? "auto" : "";
	o->nmodems = 1;
	o->answers_per_minute = 0;
	o->officer_answers_per_minute = 0;
}

/* Modem k's files: modem 1 keeps the names of the one-modem days. */
static int
harness_sim_paths(struct harness *h, int k)
{
	struct harness_sim *s = &h->sim[k - 1];
	char suffix[8] = "";
	char name[32];

	if (k > 1 && snprintf(suffix, sizeof(suffix), "%d", k) >= (int)sizeof(suffix))
		return -1;
	if (snprintf(s->name, sizeof(s->name), "modem%d", k) >= (int)sizeof(s->name) ||
	    snprintf(name, sizeof(name), "modem%s", suffix) < 0 ||
	    harness_path(h, name, s->link, sizeof(s->link)) < 0 ||
	    snprintf(name, sizeof(name), "ctl%s.sock", suffix) < 0 ||
	    harness_path(h, name, s->ctl, sizeof(s->ctl)) < 0 ||
	    snprintf(name, sizeof(name), "sim%s.log", suffix) < 0 ||
	    harness_path(h, name, s->log, sizeof(s->log)) < 0 ||
	    snprintf(name, sizeof(name), "sim%s.out", suffix) < 0 ||
	    harness_path(h, name, s->out, sizeof(s->out)) < 0)
		return -1;
	return 0;
}

int
harness_init(struct harness *h, const char *name)
{
	uid_t uid;
	gid_t gid;
	int n;

	memset(h, 0, sizeof(*h));
	harness_defaults(&h->opts);
	if (snprintf(h->name, sizeof(h->name), "%s", name) < 0 || harness_find_bin(h) < 0)
		return -1;
	n = snprintf(h->dir, sizeof(h->dir), "/tmp/kawan-%s-XXXXXX", h->name);
	if (n < 0 || (size_t)n >= sizeof(h->dir) || mkdtemp(h->dir) == NULL) {
		fprintf(stderr, "harness: mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	if (harness_drop_ids(&uid, &gid) == 0 && chown(h->dir, uid, gid) < 0) {
		fprintf(stderr, "harness: chown %s: %s\n", h->dir, strerror(errno));
		return -1;
	}
	for (int k = 1; k <= HARNESS_MAX_MODEMS; k++) {
		if (harness_sim_paths(h, k) < 0)
			return -1;
	}
	memcpy(h->link, h->sim[0].link, sizeof(h->link));
	memcpy(h->ctl, h->sim[0].ctl, sizeof(h->ctl));
	memcpy(h->simlog, h->sim[0].log, sizeof(h->simlog));
	memcpy(h->simout, h->sim[0].out, sizeof(h->simout));
	if (harness_path(h, "kawan.cfg", h->cfg, sizeof(h->cfg)) < 0 ||
	    harness_path(h, "kawan.db", h->db, sizeof(h->db)) < 0 ||
	    harness_path(h, "gateway.log", h->gwlog, sizeof(h->gwlog)) < 0 ||
	    harness_path(h, "scratch.out", h->scratch, sizeof(h->scratch)) < 0)
		return -1;
	return harness_link_bins(h);
}

static int
harness_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
harness_fini(struct harness *h)
{
	if (h->gw_pid > 0)
		harness_gw_kill9(h);
	harness_sim_stop(h);
	if (h->dir[0] == '\0')
		return;
	if (h->failed || getenv("KAWAN_KEEP_TMP") != NULL)
		fprintf(stderr, "harness: %s kept for inspection\n", h->dir);
	else
		nftw(h->dir, harness_rm, 16, FTW_DEPTH | FTW_PHYS);
	h->dir[0] = '\0';
}

static void
harness_tail(const char *title, const char *path)
{
	struct hbuf b;
	const char *p;
	int lines = 0;

	hbuf_init(&b);
	if (hbuf_read_file(&b, path) < 0 || b.data == NULL) {
		fprintf(stderr, "--- %s (%s): empty or missing\n", title, path);
		hbuf_free(&b);
		return;
	}
	p = b.data + b.len;
	while (p > b.data && lines <= HARNESS_TAIL) {
		p--;
		if (*p == '\n')
			lines++;
	}
	if (*p == '\n')
		p++;
	fprintf(stderr, "--- last lines of %s (%s):\n%s", title, path, p);
	if (b.len > 0 && b.data[b.len - 1] != '\n')
		fputc('\n', stderr);
	fprintf(stderr, "--- end of %s\n", title);
	hbuf_free(&b);
}

void
harness_dump(struct harness *h)
{
	int n = h->opts.nmodems >= 1 && h->opts.nmodems <= HARNESS_MAX_MODEMS ? h->opts.nmodems : 1;

	harness_tail("gateway log", h->gwlog);
	for (int i = 0; i < n; i++) {
		char title[64];

		snprintf(title, sizeof(title), "%s sim output", h->sim[i].name);
		harness_tail(n == 1 ? "sim output" : title, h->sim[i].out);
		snprintf(title, sizeof(title), "%s sim log", h->sim[i].name);
		harness_tail(n == 1 ? "sim log" : title, h->sim[i].log);
	}
}

void
harness_fail(struct harness *h, const char *fmt, ...)
{
	va_list ap;

	h->failed = true;
	fprintf(stderr, "harness [%s]: ", h->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	harness_dump(h);
}

int
harness_write_file(struct harness *h, const char *name, const char *text, char *out, size_t outsz)
{
	char path[HARNESS_PATH_MAX];
	char tmp[HARNESS_PATH_MAX + 8];
	uid_t uid;
	gid_t gid;
	FILE *f;
	size_t len = strlen(text);

	if (harness_path(h, name, path, sizeof(path)) < 0 ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", path) < 0)
		return -1;
	/* written whole then renamed, so a SIGHUP never sees half a file */
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	/* Private (the gateway refuses a configuration with PIN hashes that
	 * others can read), readable by the group of the user it drops to. */
	if (fchmod(fileno(f), 0640) < 0 ||
	    (harness_drop_ids(&uid, &gid) == 0 && fchown(fileno(f), (uid_t)-1, gid) < 0)) {
		fclose(f);
		return -1;
	}
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		return -1;
	if (out != NULL && snprintf(out, outsz, "%s", path) < 0)
		return -1;
	return 0;
}

/* Appends s as a libconfig string literal. */
static int
harness_cfg_string(struct hbuf *b, const char *s)
{
	if (hbuf_add(b, "\"", 1) < 0)
		return -1;
	for (; *s != '\0'; s++) {
		if ((*s == '"' || *s == '\\') && hbuf_add(b, "\\", 1) < 0)
			return -1;
		if (hbuf_add(b, s, 1) < 0)
			return -1;
	}
	return hbuf_add(b, "\"", 1);
}

/* One entry of the modems list: modem k, a sim's link, and its options. */
static int
harness_config_modem(struct harness *h, int k, struct hbuf *b)
{
	const struct harness_opts *o = &h->opts;
	const struct harness_modem_opts *mo = &o->modem[k - 1];
	char gammu_log[HARNESS_PATH_MAX], name[32];

	if (strcmp(o->gammu_log, "auto") == 0) {
		if ((k == 1 ? snprintf(name, sizeof(name), "gammu.log") :
			      snprintf(name, sizeof(name), "gammu%d.log", k)) < 0 ||
		    harness_path(h, name, gammu_log, sizeof(gammu_log)) < 0)
			return -1;
	} else if (snprintf(gammu_log, sizeof(gammu_log), "%s", o->gammu_log) < 0) {
		return -1;
	}
	if (hbuf_printf(b, "%s{ name = \"%s\"; device = ", k == 1 ? "" : ",\n  ",
		h->sim[k - 1].name) < 0 ||
	    harness_cfg_string(b,
		h->sim[mo->device_of >= 1 && mo->device_of <= o->nmodems ? mo->device_of - 1 :
									   k - 1]
		    .link) < 0 ||
	    hbuf_adds(b, "; connection = \"at\"; pin = ") < 0 ||
	    harness_cfg_string(b, o->cfg_pin) < 0 ||
	    hbuf_printf(b,
		";\n  poll_interval = %.3f; reopen_min = %.3f; reopen_max = %.3f; "
		"gammu_log = ",
		mo->poll_interval > 0 ? mo->poll_interval : o->poll_interval, o->reopen_min,
		o->reopen_max) < 0 ||
	    harness_cfg_string(b, gammu_log) < 0 || hbuf_adds(b, ";") < 0)
		return -1;
	if (mo->send_mode != NULL &&
	    (hbuf_adds(b, " send_mode = ") < 0 || harness_cfg_string(b, mo->send_mode) < 0 ||
		hbuf_adds(b, ";") < 0))
		return -1;
	if (mo->cfg_extra != NULL && hbuf_printf(b, " %s", mo->cfg_extra) < 0)
		return -1;
	return hbuf_adds(b, " }");
}

int
harness_config_text(struct harness *h, struct hbuf *b)
{
	const struct harness_opts *o = &h->opts;

	if (o->nmodems < 1 || o->nmodems > HARNESS_MAX_MODEMS) {
		fprintf(stderr, "harness: opts.nmodems must be 1..%d\n", HARNESS_MAX_MODEMS);
		return -1;
	}
	if (geteuid() == 0 && hbuf_adds(b, "user      = \"" HARNESS_DROP_USER "\";\n") < 0)
		return -1;
	if (hbuf_adds(b, "database  = ") < 0 || harness_cfg_string(b, h->db) < 0 ||
	    hbuf_adds(b, ";\nlog_level = ") < 0 || harness_cfg_string(b, o->log_level) < 0 ||
	    hbuf_adds(b, ";\ncountry   = \"MY\";\nmodems = ( ") < 0)
		return -1;
	for (int k = 1; k <= o->nmodems; k++) {
		if (harness_config_modem(h, k, b) < 0)
			return -1;
	}
	if (hbuf_printf(b,
		" );\ninbound  = { partial_timeout = %.3f; max_text_bytes = %d; };\n"
		"outbound = { max_attempts = %d; retry_min = %.3f; retry_max = %.3f; };\n"
		"router   = { max_answers_per_minute = %d; officer_answers_per_minute = %d;\n"
		"  reply_text = ",
		o->partial_timeout, o->max_text_bytes, o->max_attempts, o->retry_min, o->retry_max,
		o->answers_per_minute, o->officer_answers_per_minute) < 0 ||
	    harness_cfg_string(b, o->reply_text) < 0 || hbuf_adds(b, "; };\n") < 0)
		return -1;
	return 0;
}

int
harness_write_config(struct harness *h)
{
	struct hbuf b;
	int rc;

	hbuf_init(&b);
	rc = harness_config_text(h, &b);
	if (rc == 0)
		rc = harness_write_file(h, "kawan.cfg", b.data, NULL, 0);
	hbuf_free(&b);
	return rc;
}

static long
harness_file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

int
harness_gw_start(struct harness *h)
{
	char path[HARNESS_PATH_MAX];
	char *argv[] = { path, "-c", h->cfg, NULL };
	FILE *log;

	if (h->gw_pid > 0) {
		harness_fail(h, "gateway already running (pid %d)", (int)h->gw_pid);
		return -1;
	}
	if (harness_path(h, "kgw-under-test", path, sizeof(path)) < 0 ||
	    harness_write_config(h) < 0) {
		harness_fail(h, "cannot write %s", h->cfg);
		return -1;
	}
	h->gw_starts++;
	log = fopen(h->gwlog, "a");
	if (log != NULL) {
		fprintf(log, "=== harness: gateway start #%d at %lld ms\n", h->gw_starts,
		    (long long)hproc_wall_ms());
		fclose(log);
	}
	h->gwlog_start = harness_file_size(h->gwlog);
	h->gw_pid = hproc_spawn(argv, h->gwlog, h->gwlog);
	if (h->gw_pid < 0) {
		h->gw_pid = 0;
		harness_fail(h, "cannot start %s", path);
		return -1;
	}
	return 0;
}

/* One modem: "connected" anywhere in this run (as before there were
 * several); several: "modem <name>: connected on" for each. */
static int
harness_gw_connected(struct harness *h, void *arg)
{
	struct hbuf b;
	int ok;

	(void)arg;
	hbuf_init(&b);
	ok = hbuf_read_file(&b, h->gwlog) == 0 && b.data != NULL && (size_t)h->gwlog_start <= b.len;
	if (ok && h->opts.nmodems <= 1) {
		ok = strstr(b.data + h->gwlog_start, "connected") != NULL;
	} else {
		for (int k = 1; ok && k <= h->opts.nmodems; k++) {
			char needle[64];

			snprintf(needle, sizeof(needle), "modem %s: connected on",
			    h->sim[k - 1].name);
			ok = strstr(b.data + h->gwlog_start, needle) != NULL;
		}
	}
	hbuf_free(&b);
	return ok;
}

int
harness_gw_wait_ready(struct harness *h, int timeout_ms)
{
	return harness_wait(h, timeout_ms,
	    h->opts.nmodems <= 1 ? "the gateway to connect to the modem" :
				   "the gateway to connect to every modem",
	    harness_gw_connected, NULL);
}

bool
harness_gw_alive(struct harness *h)
{
	int status;

	if (h->gw_pid <= 0)
		return false;
	if (hproc_poll(h->gw_pid, &status) == 1)
		return true;
	fprintf(stderr, "harness [%s]: gateway pid %d exited (%s %d)\n", h->name, (int)h->gw_pid,
	    WIFSIGNALED(status) ? "signal" : "status",
	    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	h->gw_pid = 0;
	return false;
}

void
harness_gw_kill9(struct harness *h)
{
	if (h->gw_pid > 0)
		hproc_stop(h->gw_pid, SIGKILL, 10000, NULL);
	h->gw_pid = 0;
}

int
harness_gw_cpu_ms(struct harness *h, int64_t *ms)
{
	if (hproc_cpu_ms(h->gw_pid, ms) < 0) {
		harness_fail(h, "cannot read /proc/%d/stat", (int)h->gw_pid);
		return -1;
	}
	return 0;
}

int
harness_gw_stop(struct harness *h, int sig, int timeout_ms, int *status)
{
	int rc;

	if (h->gw_pid <= 0)
		return -1;
	rc = hproc_stop(h->gw_pid, sig, timeout_ms, status);
	h->gw_pid = 0;
	return rc;
}

int
harness_gw_signal(struct harness *h, int sig)
{
	if (h->gw_pid <= 0)
		return -1;
	return kill(h->gw_pid, sig);
}

int
harness_gw_check(struct harness *h, const char *cfg_path, struct hbuf *out, int *exit_code)
{
	char path[HARNESS_PATH_MAX];
	char *argv[] = { path, "-n", "-c", (char *)cfg_path, NULL };
	int status = 0;

	if (harness_join(path, sizeof(path), h->bin, "kawan-gateway") < 0)
		return -1;
	if (hproc_run(argv, h->scratch, 10000, out, &status) < 0)
		return -1;
	*exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

long
harness_log_count(struct harness *h, const char *needle)
{
	struct hbuf b;
	long n = 0;

	hbuf_init(&b);
	if (hbuf_read_file(&b, h->gwlog) == 0 && b.data != NULL) {
		for (const char *p = strstr(b.data, needle); p != NULL; p = strstr(p + 1, needle))
			n++;
	}
	hbuf_free(&b);
	return n;
}

int
harness_db_int(struct harness *h, const char *sql, int64_t *out)
{
	return hdb_int(h->db, sql, out);
}

int
harness_db_each(struct harness *h, const char *sql, hdb_row_fn fn, void *arg)
{
	return hdb_each(h->db, sql, fn, arg);
}

int64_t
harness_db_value(struct harness *h, const char *fmt, ...)
{
	char sql[512];
	int64_t v = -1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (harness_db_int(h, sql, &v) < 0)
		return -1;
	return v;
}

struct harness_text {
	char *out;
	size_t size;
};

/* Copies the first column of the first row. */
static int
harness_first_col(void *arg, int ncols, const char *const *cols)
{
	struct harness_text *t = arg;

	if (ncols > 0 && cols[0] != NULL)
		snprintf(t->out, t->size, "%s", cols[0]);
	return 1;
}

int
harness_report_ref(struct harness *h, const char *msisdn, char *ref, size_t refsz, int timeout_ms)
{
	struct harness_text t = { ref, refsz };
	char sql[160];

	ref[0] = '\0';
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM report WHERE msisdn = '%s'", msisdn);
	if (harness_wait_db(h, sql, 1, timeout_ms) < 0)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT ref FROM report WHERE msisdn = '%s'", msisdn);
	if (harness_db_each(h, sql, harness_first_col, &t) < 0 || ref[0] == '\0') {
		harness_fail(h, "no reference for %s's report", msisdn);
		return -1;
	}
	return 0;
}

struct hdb_lock *
harness_db_lock(struct harness *h, int timeout_ms)
{
	return hdb_lock_take(h->db, timeout_ms);
}

int
harness_wait(struct harness *h, int timeout_ms, const char *what, harness_pred pred, void *arg)
{
	int64_t start = hproc_mono_ms();
	int64_t deadline = start + timeout_ms;

	for (;;) {
		int r = pred(h, arg);
		if (r == 1)
			return 0;
		if (r < 0) {
			harness_fail(h, "a sim exited while waiting for %s", what);
			return -1;
		}
		for (int i = 0; i < HARNESS_MAX_MODEMS; i++) {
			if (h->sim[i].pid > 0 && hproc_poll(h->sim[i].pid, NULL) != 1) {
				h->sim[i].pid = 0;
				harness_fail(h, "sim %s exited while waiting for %s",
				    h->sim[i].name, what);
				return -1;
			}
		}
		if (h->gw_pid > 0 && !harness_gw_alive(h)) {
			harness_fail(h, "the gateway died while waiting for %s", what);
			return -1;
		}
		if (hproc_mono_ms() >= deadline) {
			harness_fail(h, "timed out after %d ms waiting for %s", timeout_ms, what);
			return -1;
		}
		hproc_sleep_ms(HARNESS_POLL_MS);
	}
}

struct harness_db_arg {
	const char *sql;
	int64_t want, last;
};

static int
harness_db_pred(struct harness *h, void *arg)
{
	struct harness_db_arg *a = arg;

	if (harness_db_int(h, a->sql, &a->last) < 0)
		return 0;
	return a->last == a->want;
}

int
harness_wait_db(struct harness *h, const char *sql, int64_t want, int timeout_ms)
{
	struct harness_db_arg a = { sql, want, -1 };
	char what[256];
	int rc;

	snprintf(what, sizeof(what), "'%.180s' = %lld", sql, (long long)want);
	rc = harness_wait(h, timeout_ms, what, harness_db_pred, &a);
	if (rc < 0)
		fprintf(stderr, "harness: last value %lld\n", (long long)a.last);
	return rc;
}

struct harness_log_arg {
	const char *needle;
	long n;
};

static int
harness_log_pred(struct harness *h, void *arg)
{
	struct harness_log_arg *a = arg;

	return harness_log_count(h, a->needle) >= a->n;
}

int
harness_wait_log(struct harness *h, const char *needle, long n, int timeout_ms)
{
	struct harness_log_arg a = { needle, n };
	char what[160];

	snprintf(what, sizeof(what), "'%.100s' in the gateway log %ld time(s)", needle, n);
	return harness_wait(h, timeout_ms, what, harness_log_pred, &a);
}

uint64_t
harness_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9E3779B97F4A7C15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

int
harness_rand_between(uint64_t *state, int lo, int hi)
{
	return lo + (int)(harness_rand(state) % (uint64_t)(hi - lo + 1));
}

int
harness_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}
