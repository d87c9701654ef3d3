/* soak.c - the gateway under a steady mixed load (worker SMS to the menus,
 * USSD sessions over HTTP, SOS reports, officer ACK/NOTE/CLOSE with the
 * PIN), SIGKILLed at seeded random moments and restarted each time, run
 * after run until SOAK_KILLS kill points are reached. After each run's
 * last kill the gateway drains, then every injected SMS must be stored
 * exactly once, every SMS that should be answered answered exactly once,
 * every SOS must have opened exactly one report with exactly one alert,
 * every officer command must be applied once (one audit row), and every
 * completed USSD request must have got a 200. Prints one line per run and
 * a total line; exits 1 when anything was lost or duplicated.
 *
 * Environment: SOAK_KILLS (default 1000) kill points in all,
 * SOAK_RUN_KILLS (default 50) per run (one fresh database and sim each),
 * KAWAN_SEED (default: the clock) the first run's seed; run i uses seed+i,
 * so KAWAN_SEED=<a run's seed> SOAK_KILLS=<its kills> replays that run.
 * KAWAN_BIN as for the e2e tests. See soak/README.md. */
#include <curl/curl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "harness.h"
#include "hgw.h"
#include "hussd.h"

/* The roster of tests/e2e/test_reports.c: PIN 482193. */
#define OFF1 "+60100000001"
#define OFF2 "+60100000002"
#define SUPV "+60100000009"
#define DESK "+60100000099"
#define PIN "482193"
#define PIN_HASH                                                                                   \
	"$6$kawantest$iwi.1WUxmfeHHDyWtJVOpMB0oAcJwSe21LbZX.mE9frEfZHKQx."                         \
	"SkjltXhOnYvhtcXg/Yyfl4nxC32s5/Bblm/"
#define SOS_MY "ကယ်ပါ" /* a Burmese help keyword (menus/keywords.cfg) */

#define MAX_SMS 4000
#define MAX_REPORTS 1000
#define TICK_MS 20
#define DRAIN_MS 900000 /* a run's backlog must be sent within 15 min */

enum kind { K_MENU, K_SOS, K_OFFICER };

struct sms {
	enum kind kind;
	char from[24];
	char text[200];   /* as injected */
	char stored[200]; /* as the inbound row must hold it (PIN masked) */
};

/* One SOS's report and the officer commands sent about it. */
struct rep {
	int sms;      /* index of the SOS in run.sms */
	char ref[16]; /* "" until stored */
	int state;    /* the report's state as last read */
	int notes;    /* audit 'note' rows as last read */
	int stage;    /* 0 nothing sent, 1 ACK, 2 NOTE, 3 CLOSE sent */
};

/* Counts of one run (and of all runs, summed). */
struct tally {
	long kills, kills_connect, kills_work, kills_ussd, crashes;
	long sms, replies_expected, reports_expected, commands, ussd_reports, alerts;
	long alert_dup; /* alerts sent twice (see soak/README.md) */
	long in_lost, in_dup, in_stray;
	long rep_lost, rep_dup; /* replies */
	long rpt_lost, rpt_dup; /* reports and their alerts */
	long cmd_lost, cmd_dup; /* audit rows of officer commands */
	long ussd_hops, ussd_ok, ussd_refused, ussd_inflight, ussd_bad, ussd_sessions;
	int64_t ms;
};

struct ussd_ctl {
	char url[HUSSD_URL_MAX];
	uint64_t rng;
	int run;
	atomic_bool stop;
	atomic_bool busy; /* a request is in curl_easy_perform */
	/* written by the thread, read after join */
	long hops, ok, refused, inflight, bad, sessions;
	char bad_sample[200];
};

struct run {
	struct harness h;
	uint64_t rng;
	struct hbuf cfg;
	struct sms *sms;
	int nsms;
	struct rep rep[MAX_REPORTS];
	int nrep;
	int menus, soses;
	bool dlr; /* delivery_reports = "alerts" (the default), else "none" */
	int64_t start;
	struct tally t;
};

static char repo[HARNESS_PATH_MAX];

static int
rnd(uint64_t *s, int lo, int hi)
{
	return lo + (int)(harness_rand(s) % (uint64_t)(hi - lo + 1));
}

static bool
is_alert(const char *text)
{
	return strncmp(text, "KAWAN SOS", 9) == 0 || strncmp(text, "KAWAN REMINDER", 14) == 0;
}

static long
env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : def;
}

/* ---- USSD: one thread, sessions one after another on fresh numbers ---- */

static size_t
soak_curl_write(char *p, size_t size, size_t n, void *arg)
{
	struct hbuf *b = arg;

	return hbuf_add(b, p, size * n) < 0 ? 0 : size * n;
}

/* One hop. 0 answered (*status, body in *b), 1 refused (nothing listens:
 * the gateway is down or starting), 2 failed after connecting (in flight
 * when it was killed). */
static int
soak_ussd_hop(CURL *c, const char *url, const char *sid, const char *phone, const char *text,
    long *status, struct hbuf *b)
{
	struct hbuf form;
	CURLcode rc;

	hbuf_init(&form);
	hbuf_reset(b);
	if (hbuf_adds(&form, "sessionId=") < 0 || hussd_form_encode(&form, sid) < 0 ||
	    hbuf_adds(&form, "&serviceCode=") < 0 || hussd_form_encode(&form, "*123#") < 0 ||
	    hbuf_adds(&form, "&phoneNumber=") < 0 || hussd_form_encode(&form, phone) < 0 ||
	    hbuf_adds(&form, "&networkCode=50219&text=") < 0 ||
	    hussd_form_encode(&form, text) < 0) {
		hbuf_free(&form);
		return 2;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.data);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)form.len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, soak_curl_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	hbuf_free(&form);
	if (rc == CURLE_COULDNT_CONNECT)
		return 1;
	if (rc != CURLE_OK)
		return 2;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

static void *
soak_ussd_thread(void *arg)
{
	struct ussd_ctl *u = arg;
	CURL *c = curl_easy_init();
	struct hbuf body, hist;
	int n = 0;

	hbuf_init(&body);
	hbuf_init(&hist);
	if (c == NULL)
		return NULL;
	curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
	while (!atomic_load(&u->stop)) {
		char sid[48], phone[24];
		int hops = rnd(&u->rng, 2, 6);
		bool done = false;

		snprintf(sid, sizeof(sid), "soak-%d-%d", u->run, n);
		snprintf(phone, sizeof(phone), "+60114%06d", n);
		n++;
		hbuf_reset(&hist);
		if (hbuf_adds(&hist, "") < 0)
			break;
		for (int k = 0; k < hops && !done && !atomic_load(&u->stop);) {
			long status = 0;
			bool end;
			const char *page;
			int r;

			atomic_store(&u->busy, true);
			r = soak_ussd_hop(c, u->url, sid, phone, hist.data, &status, &body);
			atomic_store(&u->busy, false);

			u->hops++;
			if (r == 1 || r == 2) {
				if (r == 1)
					u->refused++;
				else
					u->inflight++;
				hproc_sleep_ms(100); /* the operator retries the same hop */
				continue;
			}
			if (status != 200 ||
			    hussd_parse(body.data ? body.data : "", &end, &page) < 0) {
				u->bad++;
				if (u->bad_sample[0] == '\0')
					snprintf(u->bad_sample, sizeof(u->bad_sample),
					    "%ld '%.120s' (session %s text '%s')", status,
					    body.data ? body.data : "", sid, hist.data);
				done = true;
				break;
			}
			u->ok++;
			k++;
			if (end) {
				done = true;
				break;
			}
			/* an answer: mostly a menu choice, sometimes back/home */
			if (hist.len > 0 && hbuf_adds(&hist, "*") < 0)
				break;
			if (hbuf_printf(&hist, "%d",
				rnd(&u->rng, 0, 9) < 8 ? rnd(&u->rng, 1, 4) : 0) < 0)
				break;
			hproc_sleep_ms(rnd(&u->rng, 100, 1500));
		}
		u->sessions++;
		hproc_sleep_ms(rnd(&u->rng, 500, 2500)); /* the next caller */
	}
	hbuf_free(&body);
	hbuf_free(&hist);
	curl_easy_cleanup(c);
	return NULL;
}

/* ---- the gateway ---- */

/* A free TCP port on 127.0.0.1 (the USSD link keeps it across restarts). */
static int
soak_free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int
soak_config(struct run *r, int port)
{
	char menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];
	struct hbuf *b = &r->cfg;

	snprintf(menus, sizeof(menus), "%s/menus", repo);
	snprintf(trans, sizeof(trans), "%s/translations", repo);
	hbuf_reset(b);
	if (hgw_cfg_content(b, menus, trans, NULL) < 0 ||
	    hbuf_printf(b,
		"reports = { ack_timeout = 3600.0; reminder_interval = 3600.0; max_reminders = 1;\n"
		"  notify_worker_on_ack = false; pin_max_failures = 3; sos_default = \"both\"; };\n"
		"officers = ( { nationality = \"MM\"; officers = (\n"
		"  { name = \"Duty officer 1\"; number = \"" OFF1 "\"; pin_hash = \"%s\"; },\n"
		"  { name = \"Duty officer 2\"; number = \"" OFF2 "\"; pin_hash = \"%s\"; } );\n"
		"  supervisor = { name = \"Consular supervisor\"; number = \"" SUPV "\";"
		" pin_hash = \"%s\"; }; } );\n"
		"ngo_desk = { name = \"NGO duty desk\"; number = \"" DESK
		"\"; pin_hash = \"%s\"; };\n"
		"ussd = { listen = \"127.0.0.1:%d\"; path = \"/ussd\"; service_codes = "
		"[ \"*123#\" ];\n  rate_per_minute = 100000; max_sessions = 100000; };\n"
		"delivery_reports = \"%s\";\n",
		PIN_HASH, PIN_HASH, PIN_HASH, PIN_HASH, port, r->dlr ? "alerts" : "none") < 0)
		return -1;
	return 0;
}

/* This gateway run logged its modem connected (only the log written since
 * the run started is read). */
static bool
soak_connected(struct harness *h)
{
	FILE *f = fopen(h->gwlog, "r");
	char line[1024];
	bool yes = false;

	if (f == NULL)
		return false;
	if (fseek(f, h->gwlog_start, SEEK_SET) == 0)
		while (!yes && fgets(line, sizeof(line), f) != NULL)
			yes = strstr(line, "connected on") != NULL;
	fclose(f);
	return yes;
}

static int
soak_inject(struct run *r, enum kind kind, const char *from, const char *text, const char *stored)
{
	struct sms *m;

	if (r->nsms >= MAX_SMS)
		return 0;
	m = &r->sms[r->nsms];
	m->kind = kind;
	snprintf(m->from, sizeof(m->from), "%s", from);
	snprintf(m->text, sizeof(m->text), "%s", text);
	snprintf(m->stored, sizeof(m->stored), "%s", stored != NULL ? stored : text);
	if (harness_inject(&r->h, from, text) < 0)
		return -1;
	r->nsms++;
	return 0;
}

/* Reads every report's reference, state and notes into r->rep. */
static int
soak_rep_row(void *arg, int ncols, const char *const *cols)
{
	struct run *r = arg;

	if (ncols < 4 || cols[0] == NULL || cols[1] == NULL)
		return 0;
	for (int i = 0; i < r->nrep; i++) {
		struct rep *p = &r->rep[i];
		if (strcmp(r->sms[p->sms].from, cols[0]) != 0)
			continue;
		snprintf(p->ref, sizeof(p->ref), "%s", cols[1]);
		p->state = (int)strtol(cols[2] ? cols[2] : "0", NULL, 10);
		p->notes = (int)strtol(cols[3] ? cols[3] : "0", NULL, 10);
		break;
	}
	return 0;
}

static void
soak_poll_reports(struct run *r)
{
	if (harness_db_each(&r->h,
		"SELECT r.msisdn, r.ref, r.state, (SELECT COUNT(*) FROM audit a WHERE "
		"a.report_id = r.id AND a.action = 'note') FROM report r",
		soak_rep_row, r) < 0)
		return; /* the database may not exist yet */
}

/* The next officer command due (its previous one applied), or -1. */
static int
soak_next_command(struct run *r)
{
	for (int i = 0; i < r->nrep; i++) {
		struct rep *p = &r->rep[i];
		if (p->ref[0] == '\0')
			continue;
		if ((p->stage == 0 && p->state == 1) || (p->stage == 1 && p->state == 2) ||
		    (p->stage == 2 && p->notes >= 1))
			return i;
	}
	return -1;
}

static int
soak_send_command(struct run *r, int i)
{
	struct rep *p = &r->rep[i];
	char text[160], stored[160];

	if (p->stage == 0) {
		snprintf(text, sizeof(text), "ACK %s %s", p->ref, PIN);
		snprintf(stored, sizeof(stored), "ACK %s ****", p->ref);
	} else if (p->stage == 1) {
		snprintf(text, sizeof(text), "NOTE %s %s called the worker back %d", p->ref, PIN,
		    i);
		snprintf(stored, sizeof(stored), "NOTE %s **** called the worker back %d", p->ref,
		    i);
	} else {
		snprintf(text, sizeof(text), "CLOSE %s %s referred to shelter", p->ref, PIN);
		snprintf(stored, sizeof(stored), "CLOSE %s **** referred to shelter", p->ref);
	}
	if (soak_inject(r, K_OFFICER, OFF1, text, stored) < 0)
		return -1;
	p->stage++;
	r->t.commands++;
	return 0;
}

/* One injection of the steady load. */
static int
soak_load_step(struct run *r)
{
	char from[24];
	int pick = rnd(&r->rng, 0, 99), cmd;

	if (pick >= 70 && (cmd = soak_next_command(r)) >= 0)
		return soak_send_command(r, cmd);
	if (pick >= 45 && pick < 70 && r->nrep < MAX_REPORTS) {
		snprintf(from, sizeof(from), "+60113%06d", r->soses++);
		r->rep[r->nrep].sms = r->nsms;
		if (soak_inject(r, K_SOS, from, SOS_MY, NULL) < 0)
			return -1;
		r->nrep++;
		return 0;
	}
	{
		static const char *const words[] = { "Hi", "MENU", "Halo kawan", "hello, need help",
			"apa khabar", "LANG" };
		char text[64];

		snprintf(from, sizeof(from), "+60112%06d", r->menus++);
		snprintf(text, sizeof(text), "%s", words[rnd(&r->rng, 0, 5)]);
		return soak_inject(r, K_MENU, from, text, NULL);
	}
}

/* ---- checks ---- */

/* Inbound rows: each injected SMS stored exactly once. */
static int
soak_in_row(void *arg, int ncols, const char *const *cols)
{
	struct run *r = arg;
	bool found = false;

	if (ncols < 2)
		return 0;
	for (int i = 0; i < r->nsms && !found; i++)
		found = strcmp(r->sms[i].from, cols[0] ? cols[0] : "") == 0 &&
			strcmp(r->sms[i].stored, cols[1] ? cols[1] : "") == 0;
	if (!found) {
		r->t.in_stray++;
		printf("soak: stray inbound row from %s: '%.80s'\n", cols[0] ? cols[0] : "?",
		    cols[1] ? cols[1] : "");
	}
	return 0;
}

static void
soak_check_inbound(struct run *r)
{
	for (int i = 0; i < r->nsms; i++) {
		struct sms *m = &r->sms[i];
		int64_t n = 0;
		bool seen = false;

		for (int j = 0; j < i && !seen; j++)
			seen = strcmp(r->sms[j].from, m->from) == 0 &&
			       strcmp(r->sms[j].stored, m->stored) == 0;
		if (seen)
			continue;
		/* the text is the test's own (no quote in it) */
		n = harness_db_value(&r->h,
		    "SELECT COUNT(*) FROM inbound WHERE sender = '%s' AND text = '%s'", m->from,
		    m->stored);
		if (n == 0) {
			r->t.in_lost++;
			printf("soak: LOST inbound from %s: '%s'\n", m->from, m->stored);
		} else if (n > 1) {
			r->t.in_dup += n - 1;
			printf("soak: DUPLICATE inbound from %s (%" PRId64 " rows): '%s'\n",
			    m->from, n, m->stored);
		}
	}
	if (harness_db_each(&r->h, "SELECT sender, text FROM inbound", soak_in_row, r) < 0)
		printf("soak: cannot read inbound\n");
}

static void
soak_check_replies(struct run *r)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;
	long off_cmd = 0, want_off = 0;

	if (harness_sent(&r->h, &m, &n) < 0) {
		printf("soak: cannot read SENT\n");
		r->t.rep_lost++;
		return;
	}
	/* workers: one answer each */
	for (int i = 0; i < r->nsms; i++) {
		struct sms *s = &r->sms[i];
		long got = 0;

		if (s->kind == K_OFFICER)
			continue;
		r->t.replies_expected++;
		for (size_t j = 0; j < n; j++)
			got += strcmp(m[j].dest, s->from) == 0;
		if (got == 0) {
			r->t.rep_lost++;
			printf("soak: LOST reply to %s ('%s')\n", s->from, s->text);
		} else if (got > 1) {
			r->t.rep_dup += got - 1;
			printf("soak: DUPLICATE reply to %s: %ld messages\n", s->from, got);
		}
	}
	/* the officer: one answer per command, one alert per report */
	for (int i = 0; i < r->nsms; i++)
		want_off += r->sms[i].kind == K_OFFICER;
	r->t.replies_expected += want_off;
	for (size_t j = 0; j < n; j++)
		off_cmd += strcmp(m[j].dest, OFF1) == 0 && !is_alert(m[j].text);
	if (off_cmd < want_off) {
		r->t.rep_lost += want_off - off_cmd;
		printf("soak: LOST %ld officer answers (%ld of %ld)\n", want_off - off_cmd, off_cmd,
		    want_off);
	} else if (off_cmd > want_off) {
		r->t.rep_dup += off_cmd - want_off;
		printf("soak: DUPLICATE officer answers: %ld for %ld commands\n", off_cmd,
		    want_off);
	}
	r->t.reports_expected += r->nrep;
	/* nobody else is written to (no escalation within ack_timeout), the
	 * desk only alerts */
	for (size_t j = 0; j < n; j++)
		if (strcmp(m[j].dest, OFF2) == 0 || strcmp(m[j].dest, SUPV) == 0 ||
		    (strcmp(m[j].dest, DESK) == 0 && !is_alert(m[j].text))) {
			printf("soak: unexpected message to %s: '%.80s'\n", m[j].dest, m[j].text);
			r->t.rep_dup++;
		}
	hctl_sent_free(m, n);
}

/* Reports opened over USSD (the walks reach the report node): numbers
 * +60114..., one session each. */
struct ussd_rep {
	char ref[16];
	char msisdn[24];
	long reports;
};

struct ussd_reps {
	struct ussd_rep v[MAX_REPORTS];
	int n;
};

static int
soak_ussd_rep_row(void *arg, int ncols, const char *const *cols)
{
	struct ussd_reps *u = arg;

	if (ncols < 3 || u->n >= MAX_REPORTS || cols[0] == NULL || cols[1] == NULL)
		return 0;
	snprintf(u->v[u->n].msisdn, sizeof(u->v[u->n].msisdn), "%s", cols[0]);
	snprintf(u->v[u->n].ref, sizeof(u->v[u->n].ref), "%s", cols[1]);
	u->v[u->n].reports = strtol(cols[2] ? cols[2] : "0", NULL, 10);
	u->n++;
	return 0;
}

/* Each USSD caller opened at most one report and got at most one SMS
 * (the reference, when they left before its page). */
static void
soak_check_ussd_reports(struct run *r)
{
	static struct ussd_reps u;
	struct hctl_sent *m = NULL;
	size_t n = 0;

	u.n = 0;
	if (harness_db_each(&r->h,
		"SELECT msisdn, MIN(ref), COUNT(*) FROM report WHERE msisdn LIKE '%60114%' "
		"GROUP BY msisdn",
		soak_ussd_rep_row, &u) < 0 ||
	    harness_sent(&r->h, &m, &n) < 0) {
		printf("soak: cannot read USSD reports\n");
		r->t.rpt_lost++;
		return;
	}
	r->t.ussd_reports += u.n;
	for (int i = 0; i < u.n; i++) {
		long sms = 0;

		if (u.v[i].reports > 1) {
			r->t.rpt_dup += u.v[i].reports - 1;
			printf("soak: DUPLICATE USSD report of %s: %ld\n", u.v[i].msisdn,
			    u.v[i].reports);
		}
		for (size_t j = 0; j < n; j++)
			sms += strcmp(m[j].dest, u.v[i].msisdn) == 0;
		if (sms > 1) {
			r->t.rep_dup += sms - 1;
			printf("soak: DUPLICATE SMS to USSD caller %s: %ld\n", u.v[i].msisdn, sms);
		}
	}
	hctl_sent_free(m, n);
}

/* Every report, opened by SMS or over USSD: as many alerts reached the
 * first officer and the desk as the audit says were made ("alerted" rows:
 * the first alert, and again when the worker chose whom to tell), and at
 * least one was made. */
struct alert_row {
	char ref[16];
	long want[2];
};

struct alert_rows {
	struct alert_row v[2 * MAX_REPORTS];
	int n;
};

static int
soak_alert_row(void *arg, int ncols, const char *const *cols)
{
	struct alert_rows *a = arg;

	if (ncols < 3 || a->n >= 2 * MAX_REPORTS || cols[0] == NULL)
		return 0;
	snprintf(a->v[a->n].ref, sizeof(a->v[a->n].ref), "%s", cols[0]);
	a->v[a->n].want[0] = strtol(cols[1] ? cols[1] : "0", NULL, 10);
	a->v[a->n].want[1] = strtol(cols[2] ? cols[2] : "0", NULL, 10);
	a->n++;
	return 0;
}

static void
soak_check_alerts(struct run *r)
{
	static struct alert_rows a;
	struct hctl_sent *m = NULL;
	size_t n = 0;

	a.n = 0;
	if (harness_db_each(&r->h,
		"SELECT r.ref, (SELECT COUNT(*) FROM audit a WHERE a.report_id = r.id AND "
		"a.action = 'alerted' AND a.detail LIKE 'to Duty officer 1 %'), (SELECT COUNT(*) "
		"FROM audit a WHERE a.report_id = r.id AND a.action = 'alerted' AND a.detail LIKE "
		"'to NGO duty desk %') FROM report r",
		soak_alert_row, &a) < 0 ||
	    harness_sent(&r->h, &m, &n) < 0) {
		printf("soak: cannot read the alerts\n");
		r->t.rpt_lost++;
		return;
	}
	for (int i = 0; i < a.n; i++) {
		if (a.v[i].want[0] + a.v[i].want[1] == 0) {
			r->t.rpt_lost++;
			printf("soak: LOST: report %s was never alerted\n", a.v[i].ref);
		}
		for (int d = 0; d < 2; d++) {
			const char *dest = d == 0 ? OFF1 : DESK;
			long got = 0, want = a.v[i].want[d];

			r->t.alerts += want;
			for (size_t j = 0; j < n; j++)
				got += strcmp(m[j].dest, dest) == 0 && is_alert(m[j].text) &&
				       strstr(m[j].text, a.v[i].ref) != NULL;
			if (got < want) {
				r->t.rpt_lost += want - got;
				printf("soak: LOST alert of report %s to %s: %ld of %ld\n",
				    a.v[i].ref, dest, got, want);
			} else if (got > want) {
				r->t.alert_dup += got - want;
				printf(
				    "soak: DUPLICATE alert of report %s to %s: %ld for %ld (%s)\n",
				    a.v[i].ref, dest, got, want,
				    r->dlr ? "delivery_reports = alerts: sent with AT+CMGS" :
					     "sent from storage");
			}
		}
	}
	hctl_sent_free(m, n);
}

static void
soak_check_reports(struct run *r)
{
	static const char *const actions[] = { "acked", "note", "closed" };

	for (int i = 0; i < r->nrep; i++) {
		struct rep *p = &r->rep[i];
		const char *w = r->sms[p->sms].from;
		int64_t n =
		    harness_db_value(&r->h, "SELECT COUNT(*) FROM report WHERE msisdn = '%s'", w);

		if (n == 0) {
			r->t.rpt_lost++;
			printf("soak: LOST report of %s\n", w);
			continue;
		}
		if (n > 1) {
			r->t.rpt_dup += n - 1;
			printf("soak: DUPLICATE report of %s: %" PRId64 "\n", w, n);
		}
		for (int a = 0; a < 3; a++) {
			int64_t want = p->stage > a,
				got = harness_db_value(&r->h,
				    "SELECT COUNT(*) FROM audit a JOIN report r ON "
				    "r.id = a.report_id WHERE r.msisdn = '%s' AND "
				    "a.action = '%s'",
				    w, actions[a]);
			if (got < want) {
				r->t.cmd_lost++;
				printf("soak: LOST %s of report %s\n", actions[a], p->ref);
			} else if (got > want) {
				r->t.cmd_dup += got - want;
				printf("soak: DUPLICATE %s of report %s: %" PRId64 " rows\n",
				    actions[a], p->ref, got);
			}
		}
	}
}

/* ---- one run ---- */

static bool
soak_drained(struct run *r)
{
	long stored = 1, waiting = 1;

	if (harness_db_value(&r->h, "SELECT COUNT(*) FROM inbound WHERE state <> 'done'") != 0 ||
	    harness_db_value(&r->h, "SELECT COUNT(*) FROM outbound WHERE state = 'queued'") != 0 ||
	    harness_db_value(&r->h, "SELECT COUNT(*) FROM inbound") < r->nsms)
		return false;
	if (harness_stat(&r->h, "stored", &stored) < 0 ||
	    harness_stat(&r->h, "waiting", &waiting) < 0)
		return false;
	return stored == 0 && waiting == 0;
}

static int
soak_start_gw(struct run *r)
{
	return hgw_start(&r->h, r->cfg.data);
}

static int
soak_run(int idx, uint64_t seed, long kills, struct tally *out)
{
	static struct run r;
	struct ussd_ctl u;
	pthread_t ussd;
	int port, rc = -1;
	int64_t next_inject, kill_at = 0, poll_at = 0;
	bool wait_ready = false, on_ussd = false;

	memset(&r, 0, sizeof(r));
	memset(&u, 0, sizeof(u));
	r.rng = seed;
	r.dlr = idx % 2 == 1; /* odd runs as deployed, even runs all from storage */
	r.sms = calloc(MAX_SMS, sizeof(*r.sms));
	hbuf_init(&r.cfg);
	if (r.sms == NULL || harness_init(&r.h, "soak") < 0)
		return -1;
	r.h.opts.max_attempts = 100; /* a reply is retried across every kill */
	port = soak_free_port();
	/* The network's status reports come 2-9 s after a send (from the
	 * seed, apart from the run's draws), as a real network's do: an alert
	 * cut off by a kill is found by its report after the restart
	 * (store_doubt.c) unless another kill comes first. */
	if (port < 0 || soak_config(&r, port) < 0 || harness_sim_start(&r.h) < 0 ||
	    (r.dlr && harness_ctl(&r.h, NULL, "DLR DELAY %d", 2000 + (int)(seed % 8) * 1000) < 0) ||
	    soak_start_gw(&r) < 0 || harness_gw_wait_ready(&r.h, 30000) < 0)
		goto out;
	snprintf(u.url, sizeof(u.url), "http://127.0.0.1:%d/ussd", port);
	u.rng = seed ^ 0x9e3779b97f4a7c15ULL;
	u.run = idx;
	atomic_init(&u.stop, false);
	atomic_init(&u.busy, false);
	if (pthread_create(&ussd, NULL, soak_ussd_thread, &u) != 0)
		goto out;
	r.start = hproc_mono_ms();
	next_inject = r.start;
	/* the first kill: planned like every other one below */
	wait_ready = false;
	kill_at = r.start + rnd(&r.rng, 500, 3000);
	while (r.t.kills < kills) {
		int64_t now = hproc_mono_ms();

		if (now >= poll_at) {
			soak_poll_reports(&r);
			poll_at = now + 400;
		}
		if (now >= next_inject) {
			if (soak_load_step(&r) < 0)
				goto stop;
			next_inject = now + rnd(&r.rng, 2500, 8000);
		}
		if (r.h.gw_pid > 0 && !harness_gw_alive(&r.h)) {
			printf("soak: run %d: the gateway EXITED on its own (seed %" PRIu64 ")\n",
			    idx, seed);
			r.t.crashes++;
			r.h.gw_pid = 0;
			if (soak_start_gw(&r) < 0)
				goto stop;
			continue;
		}
		if (wait_ready && soak_connected(&r.h)) {
			wait_ready = false;
			kill_at = now + rnd(&r.rng, 50, 3000);
		}
		if (!wait_ready && now >= kill_at) {
			bool up = soak_connected(&r.h);

			/* some kills wait (up to 2 s) for a USSD request to be
			 * on its way and land on it */
			if (on_ussd) {
				int64_t give_up = hproc_mono_ms() + 2000;

				while (!atomic_load(&u.busy) && hproc_mono_ms() < give_up)
					usleep(200);
				r.t.kills_ussd += atomic_load(&u.busy);
			}
			harness_gw_kill9(&r.h);
			r.t.kills++;
			if (up)
				r.t.kills_work++;
			else
				r.t.kills_connect++;
			if (soak_start_gw(&r) < 0)
				goto stop;
			/* a third of the kills while it starts (opening the
			 * database, recovering, connecting the modem), the rest
			 * once it is connected and sending */
			if (rnd(&r.rng, 0, 2) == 0) {
				wait_ready = false;
				kill_at = hproc_mono_ms() + rnd(&r.rng, 20, 4000);
			} else {
				wait_ready = true;
			}
			on_ussd = rnd(&r.rng, 0, 3) == 0;
		}
		hproc_sleep_ms(TICK_MS);
	}
	rc = 0;
stop:
	atomic_store(&u.stop, true);
	pthread_join(ussd, NULL);
	if (rc == 0) {
		int64_t until = hproc_mono_ms() + DRAIN_MS;

		/* the officer commands still due go out too, then it drains */
		while (hproc_mono_ms() < until) {
			int cmd;

			if (!harness_gw_alive(&r.h)) {
				printf("soak: run %d: the gateway EXITED while draining\n", idx);
				r.t.crashes++;
				r.h.gw_pid = 0;
				if (soak_start_gw(&r) < 0)
					break;
			}
			soak_poll_reports(&r);
			while ((cmd = soak_next_command(&r)) >= 0)
				if (soak_send_command(&r, cmd) < 0)
					break;
			if (soak_drained(&r) && soak_next_command(&r) < 0)
				break;
			hproc_sleep_ms(1000);
		}
		hproc_sleep_ms(3000); /* anything sent twice has time to show */
		soak_poll_reports(&r);
		soak_check_inbound(&r);
		soak_check_replies(&r);
		soak_check_reports(&r);
		soak_check_ussd_reports(&r);
		soak_check_alerts(&r);
	}
out:
	r.t.sms = r.nsms;
	r.t.ussd_hops = u.hops;
	r.t.ussd_ok = u.ok;
	r.t.ussd_refused = u.refused;
	r.t.ussd_inflight = u.inflight;
	r.t.ussd_bad = u.bad;
	r.t.ussd_sessions = u.sessions;
	r.t.ms = r.start > 0 ? hproc_mono_ms() - r.start : 0;
	if (u.bad_sample[0] != '\0')
		printf("soak: run %d: first bad USSD answer: %s\n", idx, u.bad_sample);
	if (rc < 0)
		r.h.failed = true;
	else if (r.t.in_lost + r.t.in_dup + r.t.in_stray + r.t.rep_lost + r.t.rep_dup +
		     r.t.rpt_lost + r.t.rpt_dup + r.t.cmd_lost + r.t.cmd_dup + r.t.ussd_bad +
		     r.t.alert_dup >
		 0)
		r.h.failed = true; /* keep the directory */
	harness_fini(&r.h);
	hbuf_free(&r.cfg);
	free(r.sms);
	*out = r.t;
	return rc;
}

static void
soak_add(struct tally *a, const struct tally *b)
{
	a->kills += b->kills;
	a->kills_connect += b->kills_connect;
	a->kills_work += b->kills_work;
	a->kills_ussd += b->kills_ussd;
	a->crashes += b->crashes;
	a->sms += b->sms;
	a->replies_expected += b->replies_expected;
	a->reports_expected += b->reports_expected;
	a->commands += b->commands;
	a->ussd_reports += b->ussd_reports;
	a->alerts += b->alerts;
	a->alert_dup += b->alert_dup;
	a->in_lost += b->in_lost;
	a->in_dup += b->in_dup;
	a->in_stray += b->in_stray;
	a->rep_lost += b->rep_lost;
	a->rep_dup += b->rep_dup;
	a->rpt_lost += b->rpt_lost;
	a->rpt_dup += b->rpt_dup;
	a->cmd_lost += b->cmd_lost;
	a->cmd_dup += b->cmd_dup;
	a->ussd_hops += b->ussd_hops;
	a->ussd_ok += b->ussd_ok;
	a->ussd_refused += b->ussd_refused;
	a->ussd_inflight += b->ussd_inflight;
	a->ussd_bad += b->ussd_bad;
	a->ussd_sessions += b->ussd_sessions;
	a->ms += b->ms;
}

static void
soak_print(const char *what, const struct tally *t)
{
	long lost = t->in_lost + t->rep_lost + t->rpt_lost + t->cmd_lost;
	long dup = t->in_dup + t->in_stray + t->rep_dup + t->rpt_dup + t->cmd_dup + t->alert_dup;

	printf("soak: %s: %ld kill points (%ld starting, %ld connected; %ld on a USSD request), "
	       "%ld messages, %ld lost, %ld duplicated, %.0f s\n",
	    what, t->kills, t->kills_connect, t->kills_work, t->kills_ussd, t->sms, lost, dup,
	    t->ms / 1000.0);
	printf("soak: %s:   inbound %ld stored once? lost %ld dup %ld stray %ld; replies %ld "
	       "expected, lost %ld dup %ld; SOS reports %ld, lost %ld dup %ld; officer "
	       "commands %ld, lost %ld dup %ld; alerts %ld, sent twice %ld; unexpected exits %ld\n",
	    what, t->sms, t->in_lost, t->in_dup, t->in_stray, t->replies_expected, t->rep_lost,
	    t->rep_dup, t->reports_expected, t->rpt_lost, t->rpt_dup, t->commands, t->cmd_lost,
	    t->cmd_dup, t->alerts, t->alert_dup, t->crashes);
	printf("soak: %s:   ussd %ld sessions (%ld reports), %ld requests: %ld answered 200, "
	       "%ld bad, %ld refused (gateway down), %ld failed in flight (retried)\n",
	    what, t->ussd_sessions, t->ussd_reports, t->ussd_hops, t->ussd_ok, t->ussd_bad,
	    t->ussd_refused, t->ussd_inflight);
}

int
main(void)
{
	const char *env = getenv("KAWAN_SEED");
	uint64_t seed = env != NULL ? strtoull(env, NULL, 10) : (uint64_t)hproc_wall_ms();
	long want = env_long("SOAK_KILLS", 1000), per = env_long("SOAK_RUN_KILLS", 50);
	struct tally total;
	int bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getcwd(repo, sizeof(repo)) == NULL || per < 1 || want < 0)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&total, 0, sizeof(total));
	printf("soak: seed %" PRIu64 " (rerun with KAWAN_SEED=%" PRIu64 "), %ld kill points, %ld "
	       "per run\n",
	    seed, seed, want, per);
	for (int i = 0; total.kills < want; i++) {
		struct tally t;
		char what[64];
		long k = want - total.kills < per ? want - total.kills : per;

		memset(&t, 0, sizeof(t));
		printf("soak: run %d seed %" PRIu64 " (replay: KAWAN_SEED=%" PRIu64
		       " SOAK_KILLS=%ld), delivery_reports = %s\n",
		    i + 1, seed + (uint64_t)i, seed + (uint64_t)i, k,
		    (i + 1) % 2 == 1 ? "alerts" : "none");
		if (soak_run(i + 1, seed + (uint64_t)i, k, &t) < 0) {
			printf("soak: run %d could not run (harness failure)\n", i + 1);
			bad = 1;
		}
		snprintf(what, sizeof(what), "run %d", i + 1);
		soak_print(what, &t);
		soak_add(&total, &t);
		if (t.kills == 0)
			break;
	}
	soak_print("TOTAL", &total);
	curl_global_cleanup();
	if (total.in_lost + total.in_dup + total.in_stray + total.rep_lost + total.rep_dup +
		total.rpt_lost + total.rpt_dup + total.cmd_lost + total.cmd_dup + total.ussd_bad +
		total.alert_dup >
	    0)
		bad = 1;
	return bad;
}
