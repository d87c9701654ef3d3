/* harness.c - one end-to-end scenario: temporary directory, simulated
 * modem, gateway, control socket, database, and waits with deadlines. */
#include "harness.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define HARNESS_POLL_MS  100
#define HARNESS_TAIL     60
#define HARNESS_CTL_MS   10000

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
			fprintf(stderr, "harness: cannot link %s: %s\n", names[i][0], strerror(errno));
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
}

int
harness_init(struct harness *h, const char *name)
{
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
	if (harness_path(h, "modem", h->link, sizeof(h->link)) < 0 ||
	    harness_path(h, "ctl.sock", h->ctl, sizeof(h->ctl)) < 0 ||
	    harness_path(h, "kawan.cfg", h->cfg, sizeof(h->cfg)) < 0 ||
	    harness_path(h, "kawan.db", h->db, sizeof(h->db)) < 0 ||
	    harness_path(h, "gateway.log", h->gwlog, sizeof(h->gwlog)) < 0 ||
	    harness_path(h, "sim.log", h->simlog, sizeof(h->simlog)) < 0 ||
	    harness_path(h, "sim.out", h->simout, sizeof(h->simout)) < 0 ||
	    harness_path(h, "scratch.out", h->scratch, sizeof(h->scratch)) < 0)
		return -1;
	return harness_link_bins(h);
}

/* A decimal number at the start of s (followed by a space, newline or end). */
static int
harness_parse_num(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || (*end != '\0' && *end != ' ' && *end != '\n' && *end != '\r'))
		return -1;
	*out = v;
	return 0;
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
	harness_tail("gateway log", h->gwlog);
	harness_tail("sim output", h->simout);
	harness_tail("sim log", h->simlog);
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
harness_write_file(struct harness *h, const char *name, const char *text, char *out,
    size_t outsz)
{
	char path[HARNESS_PATH_MAX];
	char tmp[HARNESS_PATH_MAX + 8];
	FILE *f;
	size_t len = strlen(text);

	if (harness_path(h, name, path, sizeof(path)) < 0 ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", path) < 0)
		return -1;
	/* written whole then renamed, so a SIGHUP never sees half a file */
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
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

int
harness_config_text(struct harness *h, struct hbuf *b)
{
	const struct harness_opts *o = &h->opts;
	char gammu_log[HARNESS_PATH_MAX];

	if (strcmp(o->gammu_log, "auto") == 0) {
		if (harness_path(h, "gammu.log", gammu_log, sizeof(gammu_log)) < 0)
			return -1;
	} else if (snprintf(gammu_log, sizeof(gammu_log), "%s", o->gammu_log) < 0) {
		return -1;
	}
	if (hbuf_adds(b, "database  = ") < 0 || harness_cfg_string(b, h->db) < 0 ||
	    hbuf_adds(b, ";\nlog_level = ") < 0 || harness_cfg_string(b, o->log_level) < 0 ||
	    hbuf_adds(b, ";\ncountry   = \"MY\";\nmodems = ( { name = \"modem1\"; device = ") < 0 ||
	    harness_cfg_string(b, h->link) < 0 ||
	    hbuf_adds(b, "; connection = \"at\"; pin = ") < 0 ||
	    harness_cfg_string(b, o->cfg_pin) < 0 ||
	    hbuf_printf(b, ";\n  poll_interval = %.3f; reopen_min = %.3f; reopen_max = %.3f; "
		"gammu_log = ", o->poll_interval, o->reopen_min, o->reopen_max) < 0 ||
	    harness_cfg_string(b, gammu_log) < 0 ||
	    hbuf_printf(b, "; } );\ninbound  = { partial_timeout = %.3f; max_text_bytes = %d; };\n"
		"outbound = { max_attempts = %d; retry_min = %.3f; retry_max = %.3f; };\n"
		"router   = { reply_text = ", o->partial_timeout, o->max_text_bytes,
		o->max_attempts, o->retry_min, o->retry_max) < 0 ||
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

/* Finds "READY " in the sim's stdout. */
static int
harness_sim_ready(struct harness *h, void *arg)
{
	struct hbuf b;
	int ok;

	(void)arg;
	if (hproc_poll(h->sim_pid, NULL) != 1) {
		h->sim_pid = 0;
		return -1;
	}
	hbuf_init(&b);
	ok = hbuf_read_file(&b, h->simout) == 0 && b.data != NULL && strstr(b.data, "READY ") != NULL;
	hbuf_free(&b);
	return ok && access(h->ctl, F_OK) == 0;
}

int
harness_sim_start(struct harness *h)
{
	char path[HARNESS_PATH_MAX], cap[16];
	char *argv[16];
	int i = 0;

	if (harness_path(h, "ksim-under-test", path, sizeof(path)) < 0)
		return -1;
	argv[i++] = path;
	argv[i++] = "--link";
	argv[i++] = h->link;
	argv[i++] = "--control";
	argv[i++] = h->ctl;
	argv[i++] = "--log";
	argv[i++] = h->simlog;
	if (h->opts.sim_pin != NULL) {
		argv[i++] = "--pin";
		argv[i++] = (char *)h->opts.sim_pin;
	}
	if (h->opts.sim_capacity > 0) {
		snprintf(cap, sizeof(cap), "%d", h->opts.sim_capacity);
		argv[i++] = "--capacity";
		argv[i++] = cap;
	}
	argv[i] = NULL;
	h->sim_pid = hproc_spawn(argv, h->simout, h->simout);
	if (h->sim_pid < 0) {
		h->sim_pid = 0;
		harness_fail(h, "cannot start %s", path);
		return -1;
	}
	return harness_wait(h, 10000, "the sim to print READY", harness_sim_ready, NULL);
}

void
harness_sim_stop(struct harness *h)
{
	if (h->sim_pid > 0)
		hproc_stop(h->sim_pid, SIGTERM, 3000, NULL);
	h->sim_pid = 0;
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

static int
harness_gw_connected(struct harness *h, void *arg)
{
	struct hbuf b;
	int ok;

	(void)arg;
	hbuf_init(&b);
	ok = hbuf_read_file(&b, h->gwlog) == 0 && b.data != NULL &&
	    (size_t)h->gwlog_start <= b.len && strstr(b.data + h->gwlog_start, "connected") != NULL;
	hbuf_free(&b);
	return ok;
}

int
harness_gw_wait_ready(struct harness *h, int timeout_ms)
{
	return harness_wait(h, timeout_ms, "the gateway to connect to the modem",
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
harness_ctl(struct harness *h, struct hbuf *reply, const char *fmt, ...)
{
	struct hbuf cmd, local;
	va_list ap;
	int rc;

	hbuf_init(&cmd);
	hbuf_init(&local);
	va_start(ap, fmt);
	rc = hbuf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	if (rc == 0)
		rc = hctl_cmd(h->ctl, cmd.data, HARNESS_CTL_MS, reply ? reply : &local);
	if (rc != 0) {
		const struct hbuf *r = reply ? reply : &local;
		fprintf(stderr, "harness [%s]: control '%.80s' failed: %s\n", h->name,
		    cmd.data ? cmd.data : "", r->data ? r->data : "(no reply)");
		rc = -1;
	}
	hbuf_free(&cmd);
	hbuf_free(&local);
	return rc;
}

int
harness_inject_ex(struct harness *h, const char *from, const char *utf8, const char *coding,
    int msg_class, int *nparts)
{
	struct hbuf cmd, reply;
	int rc = -1;

	hbuf_init(&cmd);
	hbuf_init(&reply);
	if (hbuf_printf(&cmd, "INJECT %s ", from) < 0 || hbuf_hex(&cmd, utf8, strlen(utf8)) < 0)
		goto done;
	if (coding != NULL && hbuf_printf(&cmd, " coding=%s", coding) < 0)
		goto done;
	if (msg_class >= 0 && hbuf_printf(&cmd, " class=%d", msg_class) < 0)
		goto done;
	rc = harness_ctl(h, &reply, "%s", cmd.data);
	if (rc == 0 && nparts != NULL) {
		const char *ok = strstr(reply.data, "OK ");
		long v;
		*nparts = ok != NULL && harness_parse_num(ok + 3, &v) == 0 ? (int)v : -1;
	}
done:
	hbuf_free(&cmd);
	hbuf_free(&reply);
	return rc;
}

int
harness_inject(struct harness *h, const char *from, const char *utf8)
{
	return harness_inject_ex(h, from, utf8, NULL, -1, NULL);
}

int
harness_sent(struct harness *h, struct hctl_sent **out, size_t *n)
{
	struct hbuf r;
	int rc;

	hbuf_init(&r);
	rc = harness_ctl(h, &r, "SENT");
	if (rc == 0)
		rc = hctl_parse_sent(r.data, out, n);
	hbuf_free(&r);
	return rc;
}

int
harness_stat(struct harness *h, const char *key, long *out)
{
	struct hbuf r;
	int rc;

	hbuf_init(&r);
	rc = harness_ctl(h, &r, "STATS");
	if (rc == 0)
		rc = hctl_parse_stat(r.data, key, out);
	if (rc != 0)
		fprintf(stderr, "harness: no '%s' in STATS: %s\n", key, r.data ? r.data : "");
	hbuf_free(&r);
	return rc;
}

int
harness_events(struct harness *h, uint64_t since, struct hctl_event **out, size_t *n)
{
	struct hbuf r;
	int rc;

	hbuf_init(&r);
	rc = harness_ctl(h, &r, "EVENTS %llu", (unsigned long long)since);
	if (rc == 0)
		rc = hctl_parse_events(r.data, out, n);
	hbuf_free(&r);
	return rc;
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

int
harness_wait(struct harness *h, int timeout_ms, const char *what, harness_pred pred, void *arg)
{
	int64_t start = hproc_mono_ms();
	int64_t deadline = start + timeout_ms;

	for (;;) {
		int r = pred(h, arg);
		if (r == 1)
			return 0;
		if ((r < 0 && h->sim_pid == 0) ||
		    (h->sim_pid > 0 && hproc_poll(h->sim_pid, NULL) != 1)) {
			h->sim_pid = 0;
			harness_fail(h, "the sim exited while waiting for %s", what);
			return -1;
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

static int
harness_sent_pred(struct harness *h, void *arg)
{
	long want = *(long *)arg;
	struct hctl_sent *m = NULL;
	size_t n = 0;

	if (harness_sent(h, &m, &n) < 0)
		return 0;
	hctl_sent_free(m, n);
	return (long)n >= want;
}

int
harness_wait_sent(struct harness *h, long n, int timeout_ms)
{
	char what[64];

	snprintf(what, sizeof(what), "%ld sent messages", n);
	return harness_wait(h, timeout_ms, what, harness_sent_pred, &n);
}

struct harness_stat_arg {
	const char *key;
	long lo, hi, last;
};

static int
harness_stat_pred(struct harness *h, void *arg)
{
	struct harness_stat_arg *a = arg;

	return harness_stat(h, a->key, &a->last) == 0 && a->last >= a->lo && a->last <= a->hi;
}

int
harness_wait_stat(struct harness *h, const char *key, long lo, long hi, int timeout_ms)
{
	struct harness_stat_arg a = { key, lo, hi, -1 };
	char what[96];
	int rc;

	snprintf(what, sizeof(what), "STATS %s in [%ld, %ld]", key, lo, hi);
	rc = harness_wait(h, timeout_ms, what, harness_stat_pred, &a);
	if (rc < 0)
		fprintf(stderr, "harness: last %s=%ld\n", key, a.last);
	return rc;
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
