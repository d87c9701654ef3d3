/* ctl_reports.c - `kawanctl reports list|show|ack|note|close|export|purge`:
 * the officers' view of distress reports at the box, on the gateway's own
 * database, with every change made through the reports module (audited as
 * "kawanctl:<login>" on channel "cli"). Text from workers is untrusted: it
 * is printed with control characters neutralised. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "ctl/ctl.h"
#include "reports/reports.h"
#include "store/store.h"

#define CTL_PLACE_COLS 30
#define CTL_ACTOR_COLS 20

static const char *const ctl_state_names[] = { "new", "alerted", "acked", "closed" };

const char *
ctl_reports_state_name(enum store_report_state s)
{
	if ((int)s < 0 || (int)s > STORE_REPORT_CLOSED)
		return "?";
	return ctl_state_names[s];
}

int
ctl_reports_open(const struct ctl_opts *o, const char *db, struct store **out)
{
	const char *path = db != NULL ? db : o->cfg.database;

	if (access(path, F_OK) != 0) {
		fprintf(stderr, "kawanctl: no database at %s: %s (use --db PATH or -c kawan.cfg)\n",
		    path, strerror(errno));
		return -1;
	}
	if (store_open(path, out) < 0) {
		fprintf(stderr, "kawanctl: cannot open database %s\n", path);
		return -1;
	}
	return 0;
}

int
ctl_reports_open_read(const struct ctl_opts *o, const char *db, struct store **out)
{
	const char *path = db != NULL ? db : o->cfg.database;

	if (access(path, F_OK) != 0) {
		fprintf(stderr, "kawanctl: no database at %s: %s (use --db PATH or -c kawan.cfg)\n",
		    path, strerror(errno));
		return -1;
	}
	if (store_open_readonly(path, out) < 0) {
		fprintf(stderr, "kawanctl: cannot open database %s read-only\n", path);
		return -1;
	}
	return 0;
}

struct ctl_collect {
	struct store_report *v;
	size_t n, cap;
	bool open_only;
	int failed;
};

static int
ctl_reports_collect_one(const struct store_report *r, void *arg)
{
	struct ctl_collect *c = arg;

	if (c->open_only && r->state == STORE_REPORT_CLOSED)
		return 0;
	if (c->n == c->cap) {
		size_t ncap = c->cap == 0 ? 64 : c->cap * 2;
		struct store_report *nv = realloc(c->v, ncap * sizeof(*nv));

		if (nv == NULL) {
			c->failed = 1;
			return 1;
		}
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n++] = *r;
	return 0;
}

int
ctl_reports_collect(struct store *st, const struct store_report_filter *f, bool open_only,
    struct store_report **out, size_t *n)
{
	struct ctl_collect c = { .open_only = open_only };

	if (store_report_each(st, f, ctl_reports_collect_one, &c) < 0 || c.failed) {
		fprintf(stderr, "kawanctl: cannot read reports: %s\n",
		    c.failed ? "out of memory" : store_errmsg(st));
		free(c.v);
		return -1;
	}
	*out = c.v;
	*n = c.n;
	return 0;
}

/* Parses the all-digit field s[0..len) into *out. */
static int
ctl_reports_digits(const char *s, size_t len, long min, long max, long *out)
{
	char buf[8];

	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return util_parse_long(buf, min, max, out);
}

int
ctl_reports_parse_day(const char *s, bool next_day, int64_t *out_ms)
{
	long y, m, d;
	struct tm tm;
	time_t t;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    ctl_reports_digits(s, 4, 1970, 9999, &y) < 0 ||
	    ctl_reports_digits(s + 5, 2, 1, 12, &m) < 0 ||
	    ctl_reports_digits(s + 8, 2, 1, 31, &d) < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mday != (int)d || tm.tm_mon != (int)m - 1)
		return -1; /* 2025-02-30 and the like */
	if (next_day) {
		tm.tm_mday++;
		tm.tm_hour = 0;
		tm.tm_isdst = -1;
		t = mktime(&tm);
		if (t == (time_t)-1)
			return -1;
	}
	*out_ms = (int64_t)t * 1000;
	return 0;
}

void
ctl_reports_time(int64_t ms, bool full, char *buf, size_t bufsz)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	size_t n = 0;

	if (ms > 0 && localtime_r(&t, &tm) != NULL)
		n = full ? strftime(buf, bufsz, "%Y-%m-%d %H:%M:%S %z", &tm) :
			   strftime(buf, bufsz, "%Y-%m-%d %H:%M", &tm);
	if (n == 0)
		(void)snprintf(buf, bufsz, "-");
}

/* Prints UTF-8 s with control characters (C0, DEL, C1) shown as spaces, or,
 * with indent, line breaks as a new line starting with indent. When
 * maxchars > 0, at most that many code points ("..." ends a cut). Returns
 * the code points printed. */
size_t
ctl_reports_put(FILE *fp, const char *s, size_t maxchars, const char *indent)
{
	size_t total = 0, chars = 0;
	const unsigned char *p = (const unsigned char *)s;

	for (const unsigned char *q = p; *q != '\0'; q++)
		total += (*q & 0xC0) != 0x80;
	for (; *p != '\0'; chars++) {
		size_t len = 1;

		if (maxchars > 0 && total > maxchars && chars + 3 == maxchars) {
			fputs("...", fp);
			return maxchars;
		}
		while ((p[len] & 0xC0) == 0x80)
			len++;
		if (*p == '\n' && indent != NULL)
			fprintf(fp, "\n%s", indent);
		else if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0))
			fputc(' ', fp);
		else
			fwrite(p, 1, len, fp);
		p += len;
	}
	return chars;
}

/* ctl_reports_put, then spaces up to width code points. */
static void
ctl_reports_pad(const char *s, size_t width)
{
	for (size_t n = ctl_reports_put(stdout, s, width, NULL); n < width; n++)
		fputc(' ', stdout);
}

static void
ctl_reports_age(int64_t ms, char *buf, size_t bufsz)
{
	int64_t m = ms / 60000;

	if (m < 0)
		m = 0;
	if (m < 60)
		(void)snprintf(buf, bufsz, "%lldm", (long long)m);
	else if (m < 48 * 60)
		(void)snprintf(buf, bufsz, "%lldh%02lldm", (long long)(m / 60),
		    (long long)(m % 60));
	else if (m < 100 * 1440)
		(void)snprintf(buf, bufsz, "%lldd%02lldh", (long long)(m / 1440),
		    (long long)(m % 1440 / 60));
	else
		(void)snprintf(buf, bufsz, "%lldd", (long long)(m / 1440));
}

/* Reads the list filters at argv[*i]; 1 when argv[*i] is not one. */
int
ctl_reports_filter_arg(int argc, char **argv, int *i, struct ctl_reports_query *q)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;

	if (strcmp(a, "--db") == 0 && v != NULL) {
		q->db = v;
	} else if (strcmp(a, "--status") == 0 && v != NULL) {
		q->open_only = strcmp(v, "open") == 0;
		q->f.state = -1;
		for (int s = 0; s <= STORE_REPORT_CLOSED; s++)
			if (strcmp(v, ctl_state_names[s]) == 0)
				q->f.state = s;
		if (q->f.state < 0 && !q->open_only) {
			fprintf(stderr,
			    "kawanctl: --status takes new, alerted, acked, closed or open\n");
			return -1;
		}
	} else if (strcmp(a, "--nationality") == 0 && v != NULL) {
		if (strlen(v) != 2 ||
		    util_strcopy(q->f.nationality, sizeof(q->f.nationality), v) < 0) {
			fprintf(stderr,
			    "kawanctl: --nationality takes two letters (MM, ID, PH, ...)\n");
			return -1;
		}
		for (int k = 0; k < 2; k++)
			if (q->f.nationality[k] >= 'a' && q->f.nationality[k] <= 'z')
				q->f.nationality[k] = (char)(q->f.nationality[k] - 'a' + 'A');
	} else if ((strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) && v != NULL) {
		bool to = a[2] == 't';

		if (ctl_reports_parse_day(v, to, to ? &q->f.to_ms : &q->f.from_ms) < 0) {
			fprintf(stderr, "kawanctl: %s takes a date YYYY-MM-DD\n", a);
			return -1;
		}
	} else if (strcmp(a, "--format") == 0 && v != NULL) {
		q->format = v;
	} else if ((strcmp(a, "--output") == 0 || strcmp(a, "-o") == 0) && v != NULL) {
		q->output = v;
	} else {
		return 1;
	}
	*i += 2;
	return 0;
}

static int
ctl_reports_list(struct store *st, const struct ctl_reports_query *q)
{
	struct store_report *v;
	size_t n;
	int64_t now = util_now_ms();

	if (ctl_reports_collect(st, &q->f, q->open_only, &v, &n) < 0)
		return 1;
	printf("%-5s %-8s %-3s %-11s %-16s %-7s %-*s %s\n", "REF", "STATE", "NAT", "CATEGORY",
	    "CREATED", "AGE", CTL_ACTOR_COLS, "ACKED BY", "PLACE");
	for (size_t i = 0; i < n; i++) {
		const struct store_report *r = &v[i];
		char created[32], age[32];

		ctl_reports_time(r->created_ms, false, created, sizeof(created));
		ctl_reports_age(now - r->created_ms, age, sizeof(age));
		ctl_reports_pad(r->ref, 5);
		printf(" %-8s ", ctl_reports_state_name(r->state));
		ctl_reports_pad(r->nationality[0] != '\0' ? r->nationality : "-", 3);
		fputc(' ', stdout);
		ctl_reports_pad(r->category[0] != '\0' ? r->category : "-", 11);
		printf(" %-16s %-7s ", created, age);
		ctl_reports_pad(r->acked_by[0] != '\0' ? r->acked_by : "-", CTL_ACTOR_COLS);
		fputc(' ', stdout);
		ctl_reports_put(stdout, r->place[0] != '\0' ? r->place : "-", CTL_PLACE_COLS, NULL);
		fputc('\n', stdout);
	}
	printf("(%zu report%s)\n", n, n == 1 ? "" : "s");
	free(v);
	return 0;
}

static void
ctl_reports_field(const char *name, const char *value)
{
	printf("%-14s", name);
	ctl_reports_put(stdout, value[0] != '\0' ? value : "-", 0, "              ");
	fputc('\n', stdout);
}

static void
ctl_reports_time_field(const char *name, int64_t ms)
{
	char buf[48];

	ctl_reports_time(ms, true, buf, sizeof(buf));
	ctl_reports_field(name, buf);
}

/* One alert: "  #12 to +6010... sent 2026-... delivered 2026-...". */
static int
ctl_reports_alert_line(const struct store_alert *a, void *arg)
{
	char sent[48], dlr[48];
	const char *d = a->dlr == STORE_DLR_NONE ? "no report asked" : store_dlr_name(a->dlr);

	(void)arg;
	ctl_reports_time(a->sent_ms, true, sent, sizeof(sent));
	ctl_reports_time(a->dlr_ms, true, dlr, sizeof(dlr));
	printf("  #%lld to %s: %s %s; delivery: %s%s%s\n", (long long)a->id, a->dest, a->state,
	    a->sent_ms > 0 ? sent : "", d, a->dlr_ms > 0 ? " " : "", a->dlr_ms > 0 ? dlr : "");
	return 0;
}

static int
ctl_reports_audit_line(const struct store_audit *a, void *arg)
{
	char when[48];

	(void)arg;
	ctl_reports_time(a->at_ms, true, when, sizeof(when));
	printf("  %s  ", when);
	ctl_reports_pad(a->actor, 24);
	printf(" %-6s %-10s ", a->channel, a->action);
	ctl_reports_put(stdout, a->detail, 0,
	    "                                                         ");
	fputc('\n', stdout);
	return 0;
}

/* Whom the worker let the gateway tell (report.notify), in words. */
static const char *
ctl_reports_consent(const char *notify)
{
	if (strcmp(notify, "ngo") == 0)
		return "NGO helpline only (ngo): no embassy officer is alerted";
	if (strcmp(notify, "embassy") == 0)
		return "embassy only (embassy): the roster, not the NGO desk";
	if (strcmp(notify, "both") == 0)
		return "embassy and NGO helpline (both)";
	return "not chosen yet (only reports.sos_default is alerted)";
}

static int
ctl_reports_show(struct store *st, const char *ref)
{
	struct store_report r;
	char num[64];
	int rc = store_report_get(st, ref, &r);

	if (rc != 0) {
		fprintf(stderr,
		    rc > 0 ? "kawanctl: no report %s\n" : "kawanctl: cannot read report %s\n", ref);
		return 1;
	}
	ctl_reports_field("reference", r.ref);
	ctl_reports_field("state", ctl_reports_state_name(r.state));
	ctl_reports_field("number", r.erased ? "(erased)" : r.msisdn);
	ctl_reports_field("language", r.lang);
	ctl_reports_field("nationality", r.nationality);
	ctl_reports_field("may tell", ctl_reports_consent(r.notify));
	ctl_reports_field("category", r.category);
	ctl_reports_field("place", r.place);
	ctl_reports_field("callback", r.callback);
	ctl_reports_field("message", r.message);
	ctl_reports_time_field("created", r.created_ms);
	ctl_reports_time_field("updated", r.updated_ms);
	ctl_reports_time_field("alerted", r.alerted_ms);
	ctl_reports_time_field("acknowledged", r.acked_ms);
	ctl_reports_field("acked by", r.acked_by);
	ctl_reports_time_field("closed", r.closed_ms);
	ctl_reports_field("closed by", r.closed_by);
	ctl_reports_field("outcome", r.outcome);
	(void)snprintf(num, sizeof(num), "%d (reminders %d)", r.alert_level, r.reminders);
	ctl_reports_field("alert level", num);
	ctl_reports_time_field("next alert", r.next_alert_ms);
	ctl_reports_field("erased", r.erased ? "yes (personal data removed by retention)" : "no");
	printf("alerts (delivery as the network reported it):\n");
	if (store_alerts_each(st, r.ref, ctl_reports_alert_line, NULL) < 0) {
		fprintf(stderr, "kawanctl: cannot read the alerts: %s\n", store_errmsg(st));
		return 1;
	}
	printf("audit trail:\n");
	if (store_audit_each(st, r.id, ctl_reports_audit_line, NULL) < 0) {
		fprintf(stderr, "kawanctl: cannot read the audit trail: %s\n", store_errmsg(st));
		return 1;
	}
	return 0;
}

void
ctl_reports_actor(char *buf, size_t bufsz)
{
	struct passwd pw, *res = NULL;
	char pwbuf[1024];
	uid_t uid = getuid();

	/* The real user id, never $USER or the terminal's login (both are the
	 * caller's to set): the audit trail names who ran the command. */
	if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) != 0 || res == NULL ||
	    res->pw_name == NULL || res->pw_name[0] == '\0' ||
	    (size_t)snprintf(buf, bufsz, "kawanctl:%s", res->pw_name) >= bufsz)
		(void)snprintf(buf, bufsz, "kawanctl:uid%u", (unsigned)uid);
}

/* Joins argv[0..argc) with single spaces into buf; -1 when too long or not UTF-8. */
static int
ctl_reports_join(int argc, char **argv, char *buf, size_t bufsz, const char *what)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (len + n + (i > 0) + 1 > bufsz) {
			fprintf(stderr, "kawanctl: %s too long (at most %zu bytes)\n", what,
			    bufsz - 1);
			return -1;
		}
		if (i > 0)
			buf[len++] = ' ';
		memcpy(buf + len, argv[i], n + 1);
		len += n;
	}
	if (len == 0 || !util_utf8_valid(buf, len)) {
		fprintf(stderr, "kawanctl: %s must be non-empty UTF-8 text\n", what);
		return -1;
	}
	return 0;
}

/* ack, note and close: argv[0] is the verb, argv[1] the reference. */
static int
ctl_reports_change(struct ctl_opts *o, struct store *st, int argc, char **argv)
{
	struct reports_ctx x = { .st = st, .cfg = &o->cfg };
	char actor[STORE_ACTOR_MAX], err[256] = "", text[STORE_MESSAGE_MAX];
	const char *verb = argv[0], *ref = argv[1], *done;
	int64_t now = util_now_ms();
	int rc;

	ctl_reports_actor(actor, sizeof(actor));
	if (strcmp(verb, "ack") == 0) {
		rc = reports_cli_ack(&x, ref, actor, now, err, sizeof(err));
		done = "acknowledged";
	} else if (strcmp(verb, "note") == 0) {
		if (ctl_reports_join(argc - 2, argv + 2, text, sizeof(text), "the note") < 0)
			return 1;
		rc = reports_cli_note(&x, ref, actor, text, now, err, sizeof(err));
		done = "noted";
	} else {
		if (ctl_reports_join(argc - 2, argv + 2, text, STORE_OUTCOME_MAX, "the outcome") <
		    0)
			return 1;
		rc = reports_cli_close(&x, ref, actor, text, now, err, sizeof(err));
		done = "closed";
	}
	if (rc == 0) {
		printf("%s %s by %s\n", ref, done, actor);
		return 0;
	}
	if (rc > 0)
		fprintf(stderr, "kawanctl: %s %s refused: %s\n", verb, ref,
		    err[0] != '\0' ? err : "not allowed");
	else
		fprintf(stderr, "kawanctl: %s %s failed: %s\n", verb, ref,
		    err[0] != '\0' ? err : store_errmsg(st));
	return 1;
}

static int
ctl_reports_purge(struct ctl_opts *o, struct store *st)
{
	struct reports_ctx x = { .st = st, .cfg = &o->cfg };
	struct reports_purged p;
	int n;

	if (o->cfg.reports.retention_days <= 0) {
		printf("retention is off (reports.retention_days = %d): nothing erased\n",
		    o->cfg.reports.retention_days);
		return 0;
	}
	if (reports_retention_run(&x, util_now_ms(), &p) < 0) {
		fprintf(stderr, "kawanctl: retention failed: %s\n", store_errmsg(st));
		return 1;
	}
	n = p.reports;
	printf("%d report%s erased (personal data of reports closed, or left without activity, "
	       "more than %d days ago)\n",
	    n, n == 1 ? "" : "s", o->cfg.reports.retention_days);
	printf("%d message row%s blanked, %d expired session%s deleted, the choices of %d "
	       "number%s erased (%d days without activity)%s\n",
	    p.messages, p.messages == 1 ? "" : "s", p.sessions, p.sessions == 1 ? "" : "s", p.prefs,
	    p.prefs == 1 ? "" : "s", o->cfg.reports.prefs_retention_days,
	    p.wal_pending ? "; the WAL was busy and is truncated later" : "");
	return 0;
}

static int
ctl_reports_usage(void)
{
	fprintf(stderr,
	    "usage: kawanctl reports list|export [--status S] [--nationality XX] "
	    "[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format csv|json] [-o FILE] [--db PATH]\n"
	    "       kawanctl reports show|ack REF [--db PATH]\n"
	    "       kawanctl reports note REF TEXT... | close REF OUTCOME... [--db PATH]\n"
	    "       kawanctl reports purge [--db PATH]\n");
	return 2;
}

/* Takes the options out of argv (any position; "--" ends them), leaving
 * the words in words[]. */
static int
ctl_reports_args(int argc, char **argv, struct ctl_reports_query *q, char **words, int *nwords)
{
	bool opts = true;

	*nwords = 0;
	for (int i = 0; i < argc;) {
		int rc = 1;

		if (opts && strcmp(argv[i], "--") == 0) {
			opts = false;
			i++;
			continue;
		}
		if (opts && (strncmp(argv[i], "--", 2) == 0 || strcmp(argv[i], "-o") == 0)) {
			rc = ctl_reports_filter_arg(argc, argv, &i, q);
			if (rc < 0)
				return -1;
			if (rc > 0) {
				fprintf(stderr, "kawanctl: unknown option %s\n", argv[i]);
				return -1;
			}
			continue;
		}
		words[(*nwords)++] = argv[i++];
	}
	return 0;
}

int
ctl_reports(struct ctl_opts *o, int argc, char **argv)
{
	struct ctl_reports_query q = { .f = { .state = -1 } };
	struct store *st = NULL;
	char **w;
	int nw, rc = 2;
	bool list_like;

	if (argc < 1)
		return ctl_reports_usage();
	w = calloc((size_t)argc, sizeof(*w));
	if (w == NULL)
		return 1;
	if (ctl_reports_args(argc, argv, &q, w, &nw) < 0)
		goto out;
	list_like = nw == 1 && (strcmp(w[0], "list") == 0 || strcmp(w[0], "export") == 0);
	if (nw < 1 || (!list_like && strcmp(w[0], "purge") != 0 && nw < 2) ||
	    ((strcmp(w[0], "show") == 0 || strcmp(w[0], "ack") == 0) && nw != 2) ||
	    (strcmp(w[0], "purge") == 0 && nw != 1) ||
	    ((strcmp(w[0], "note") == 0 || strcmp(w[0], "close") == 0) && nw < 3) ||
	    (strcmp(w[0], "export") == 0 && q.format == NULL) ||
	    (strcmp(w[0], "export") != 0 && q.output != NULL)) {
		rc = ctl_reports_usage();
		goto out;
	}
	if (strcmp(w[0], "list") != 0 && strcmp(w[0], "show") != 0 && strcmp(w[0], "ack") != 0 &&
	    strcmp(w[0], "note") != 0 && strcmp(w[0], "close") != 0 &&
	    strcmp(w[0], "export") != 0 && strcmp(w[0], "purge") != 0) {
		fprintf(stderr, "kawanctl: unknown reports command '%s'\n", w[0]);
		rc = ctl_reports_usage();
		goto out;
	}
	rc = 1;
	/* list, show and export only read: a read-only connection */
	if (strcmp(w[0], "list") == 0 || strcmp(w[0], "show") == 0 || strcmp(w[0], "export") == 0) {
		if (ctl_reports_open_read(o, q.db, &st) < 0)
			goto out;
	} else if (ctl_reports_open(o, q.db, &st) < 0) {
		goto out;
	}
	if (strcmp(w[0], "list") == 0)
		rc = ctl_reports_list(st, &q);
	else if (strcmp(w[0], "export") == 0)
		rc = ctl_export_to(st, &q, o->cfg.export_group);
	else if (strcmp(w[0], "show") == 0)
		rc = ctl_reports_show(st, w[1]);
	else if (strcmp(w[0], "purge") == 0)
		rc = ctl_reports_purge(o, st);
	else
		rc = ctl_reports_change(o, st, nw, w);
	store_close(st);
out:
	free(w);
	return rc;
}
