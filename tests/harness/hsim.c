/* hsim.c - the scenario's simulated modems: start and stop, control
 * commands (INJECT, SENT, STATS, EVENTS, FAULT, UNPLUG) to one of them,
 * and waits on what a sim saw. Modem k is h->sim[k - 1]; the functions
 * without _on are modem 1's. */
#include "harness.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HSIM_CTL_MS 10000

struct harness_sim *
harness_sim_of(struct harness *h, int k)
{
	if (k < 1 || k > h->opts.nmodems || k > HARNESS_MAX_MODEMS) {
		fprintf(stderr, "harness [%s]: no modem %d (opts.nmodems = %d)\n", h->name, k,
		    h->opts.nmodems);
		return NULL;
	}
	return &h->sim[k - 1];
}

/* A decimal number at the start of s (followed by a space, newline or end). */
static int
hsim_parse_num(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || (*end != '\0' && *end != ' ' && *end != '\n' && *end != '\r'))
		return -1;
	*out = v;
	return 0;
}

/* 1 when every started sim printed "READY " and made its socket; -1 when
 * one exited (its pid is then 0). */
static int
hsim_ready(struct harness *h, void *arg)
{
	(void)arg;
	for (int i = 0; i < h->opts.nmodems; i++) {
		struct harness_sim *s = &h->sim[i];
		struct hbuf b;
		int ok;

		if (s->pid <= 0 || hproc_poll(s->pid, NULL) != 1) {
			fprintf(stderr, "harness [%s]: sim %s is not running\n", h->name, s->name);
			s->pid = 0;
			return -1;
		}
		hbuf_init(&b);
		ok = hbuf_read_file(&b, s->out) == 0 && b.data != NULL &&
		     strstr(b.data, "READY ") != NULL;
		hbuf_free(&b);
		if (!ok || access(s->ctl, F_OK) != 0)
			return 0;
	}
	return 1;
}

static int
hsim_spawn(struct harness *h, int k)
{
	struct harness_sim *s = &h->sim[k - 1];
	int capacity = h->opts.modem[k - 1].capacity > 0 ? h->opts.modem[k - 1].capacity :
							   h->opts.sim_capacity;
	char path[HARNESS_PATH_MAX], cap[16], sig[16];
	const struct harness_modem_opts *mo = &h->opts.modem[k - 1];
	char *argv[24];
	int i = 0;

	if (harness_path(h, "ksim-under-test", path, sizeof(path)) < 0)
		return -1;
	argv[i++] = path;
	argv[i++] = "--link";
	argv[i++] = s->link;
	argv[i++] = "--control";
	argv[i++] = s->ctl;
	argv[i++] = "--log";
	argv[i++] = s->log;
	if (h->opts.sim_pin != NULL) {
		argv[i++] = "--pin";
		argv[i++] = (char *)h->opts.sim_pin;
	}
	if (capacity > 0) {
		snprintf(cap, sizeof(cap), "%d", capacity);
		argv[i++] = "--capacity";
		argv[i++] = cap;
	}
	if (mo->sim_imsi != NULL) {
		argv[i++] = "--imsi";
		argv[i++] = (char *)mo->sim_imsi;
	}
	if (mo->sim_iccid != NULL) {
		argv[i++] = "--iccid";
		argv[i++] = (char *)mo->sim_iccid;
	}
	if (mo->sim_operator != NULL) {
		argv[i++] = "--operator";
		argv[i++] = (char *)mo->sim_operator;
	}
	if (mo->sim_balance != NULL) {
		argv[i++] = "--balance";
		argv[i++] = (char *)mo->sim_balance;
	}
	if (mo->sim_signal > 0) {
		snprintf(sig, sizeof(sig), "%d", mo->sim_signal);
		argv[i++] = "--signal";
		argv[i++] = sig;
	}
	argv[i] = NULL;
	s->pid = hproc_spawn(argv, s->out, s->out);
	if (s->pid < 0) {
		s->pid = 0;
		harness_fail(h, "cannot start %s for %s", path, s->name);
		return -1;
	}
	return 0;
}

int
harness_sim_start(struct harness *h)
{
	if (h->opts.nmodems < 1 || h->opts.nmodems > HARNESS_MAX_MODEMS) {
		harness_fail(h, "opts.nmodems must be 1..%d", HARNESS_MAX_MODEMS);
		return -1;
	}
	for (int k = 1; k <= h->opts.nmodems; k++) {
		if (h->sim[k - 1].pid > 0) {
			harness_fail(h, "sim %s already running", h->sim[k - 1].name);
			return -1;
		}
		if (hsim_spawn(h, k) < 0)
			return -1;
	}
	return harness_wait(h, 10000,
	    h->opts.nmodems == 1 ? "the sim to print READY" : "every sim to print READY",
	    hsim_ready, NULL);
}

void
harness_sim_stop(struct harness *h)
{
	for (int i = 0; i < HARNESS_MAX_MODEMS; i++) {
		if (h->sim[i].pid > 0)
			hproc_stop(h->sim[i].pid, SIGTERM, 3000, NULL);
		h->sim[i].pid = 0;
	}
}

static int
hsim_vctl(struct harness *h, int k, struct hbuf *reply, const char *fmt, va_list ap)
{
	struct harness_sim *s = harness_sim_of(h, k);
	struct hbuf cmd, local;
	int rc;

	if (s == NULL)
		return -1;
	hbuf_init(&cmd);
	hbuf_init(&local);
	rc = hbuf_vprintf(&cmd, fmt, ap);
	if (rc == 0)
		rc = hctl_cmd(s->ctl, cmd.data, HSIM_CTL_MS, reply ? reply : &local);
	if (rc != 0) {
		const struct hbuf *r = reply ? reply : &local;
		fprintf(stderr, "harness [%s]: %s control '%.80s' failed: %s\n", h->name, s->name,
		    cmd.data ? cmd.data : "", r->data ? r->data : "(no reply)");
		rc = -1;
	}
	hbuf_free(&cmd);
	hbuf_free(&local);
	return rc;
}

int
harness_ctl(struct harness *h, struct hbuf *reply, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = hsim_vctl(h, 1, reply, fmt, ap);
	va_end(ap);
	return rc;
}

int
harness_ctl_on(struct harness *h, int k, struct hbuf *reply, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = hsim_vctl(h, k, reply, fmt, ap);
	va_end(ap);
	return rc;
}

int
harness_fault_on(struct harness *h, int k, const char *what)
{
	return harness_ctl_on(h, k, NULL, "FAULT %s", what);
}

int
harness_unplug_on(struct harness *h, int k, long ms)
{
	return harness_ctl_on(h, k, NULL, "UNPLUG %ld", ms);
}

int
harness_inject_ex_on(struct harness *h, int k, const char *from, const char *utf8,
    const char *coding, int msg_class, int *nparts)
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
	rc = harness_ctl_on(h, k, &reply, "%s", cmd.data);
	if (rc == 0 && nparts != NULL) {
		const char *ok = strstr(reply.data, "OK ");
		long v;
		*nparts = ok != NULL && hsim_parse_num(ok + 3, &v) == 0 ? (int)v : -1;
	}
done:
	hbuf_free(&cmd);
	hbuf_free(&reply);
	return rc;
}

int
harness_inject_ex(struct harness *h, const char *from, const char *utf8, const char *coding,
    int msg_class, int *nparts)
{
	return harness_inject_ex_on(h, 1, from, utf8, coding, msg_class, nparts);
}

int
harness_inject_on(struct harness *h, int k, const char *from, const char *utf8)
{
	return harness_inject_ex_on(h, k, from, utf8, NULL, -1, NULL);
}

int
harness_inject(struct harness *h, const char *from, const char *utf8)
{
	return harness_inject_ex_on(h, 1, from, utf8, NULL, -1, NULL);
}

int
harness_sent_on(struct harness *h, int k, struct hctl_sent **out, size_t *n)
{
	struct hbuf r;
	int rc;

	hbuf_init(&r);
	rc = harness_ctl_on(h, k, &r, "SENT");
	if (rc == 0)
		rc = hctl_parse_sent(r.data, out, n);
	hbuf_free(&r);
	return rc;
}

int
harness_sent(struct harness *h, struct hctl_sent **out, size_t *n)
{
	return harness_sent_on(h, 1, out, n);
}

int
harness_stat_on(struct harness *h, int k, const char *key, long *out)
{
	struct hbuf r;
	int rc;

	hbuf_init(&r);
	rc = harness_ctl_on(h, k, &r, "STATS");
	if (rc == 0)
		rc = hctl_parse_stat(r.data, key, out);
	if (rc != 0)
		fprintf(stderr, "harness: no '%s' in STATS: %s\n", key, r.data ? r.data : "");
	hbuf_free(&r);
	return rc;
}

int
harness_stat(struct harness *h, const char *key, long *out)
{
	return harness_stat_on(h, 1, key, out);
}

int
harness_events_on(struct harness *h, int k, uint64_t since, struct hctl_event **out, size_t *n)
{
	struct hbuf r;
	int rc;

	hbuf_init(&r);
	rc = harness_ctl_on(h, k, &r, "EVENTS %llu", (unsigned long long)since);
	if (rc == 0)
		rc = hctl_parse_events(r.data, out, n);
	hbuf_free(&r);
	return rc;
}

int
harness_events(struct harness *h, uint64_t since, struct hctl_event **out, size_t *n)
{
	return harness_events_on(h, 1, since, out, n);
}

struct hsim_sent_arg {
	int k;
	long want;
};

static int
hsim_sent_pred(struct harness *h, void *arg)
{
	struct hsim_sent_arg *a = arg;
	struct hctl_sent *m = NULL;
	size_t n = 0;

	if (harness_sent_on(h, a->k, &m, &n) < 0)
		return 0;
	hctl_sent_free(m, n);
	return (long)n >= a->want;
}

int
harness_wait_sent_on(struct harness *h, int k, long n, int timeout_ms)
{
	struct hsim_sent_arg a = { k, n };
	char what[80];

	if (k == 1 && h->opts.nmodems <= 1)
		snprintf(what, sizeof(what), "%ld sent messages", n);
	else
		snprintf(what, sizeof(what), "%ld sent messages on modem%d", n, k);
	return harness_wait(h, timeout_ms, what, hsim_sent_pred, &a);
}

int
harness_wait_sent(struct harness *h, long n, int timeout_ms)
{
	return harness_wait_sent_on(h, 1, n, timeout_ms);
}

struct hsim_stat_arg {
	int k;
	const char *key;
	long lo, hi, last;
};

static int
hsim_stat_pred(struct harness *h, void *arg)
{
	struct hsim_stat_arg *a = arg;

	return harness_stat_on(h, a->k, a->key, &a->last) == 0 && a->last >= a->lo &&
	       a->last <= a->hi;
}

int
harness_wait_stat_on(struct harness *h, int k, const char *key, long lo, long hi, int timeout_ms)
{
	struct hsim_stat_arg a = { k, key, lo, hi, -1 };
	char what[112];
	int rc;

	snprintf(what, sizeof(what), "STATS %s in [%ld, %ld] on modem%d", key, lo, hi, k);
	rc = harness_wait(h, timeout_ms, what, hsim_stat_pred, &a);
	if (rc < 0)
		fprintf(stderr, "harness: last %s=%ld\n", key, a.last);
	return rc;
}

int
harness_wait_stat(struct harness *h, const char *key, long lo, long hi, int timeout_ms)
{
	return harness_wait_stat_on(h, 1, key, lo, hi, timeout_ms);
}

struct hsim_event_arg {
	int k;
	const char *kind;
	uint64_t since, seq;
};

static int
hsim_event_pred(struct harness *h, void *arg)
{
	struct hsim_event_arg *a = arg;
	struct hctl_event *ev = NULL;
	size_t n = 0;
	int found = 0;

	if (harness_events_on(h, a->k, a->since, &ev, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && !found; i++) {
		if (ev[i].seq > a->since && strcmp(ev[i].kind, a->kind) == 0) {
			a->seq = ev[i].seq;
			found = 1;
		}
	}
	free(ev);
	return found;
}

int
harness_wait_event_on(struct harness *h, int k, const char *kind, uint64_t since, uint64_t *seq,
    int timeout_ms)
{
	struct hsim_event_arg a = { k, kind, since, 0 };
	char what[96];
	int rc;

	snprintf(what, sizeof(what), "a %.16s event on modem%d after #%llu", kind, k,
	    (unsigned long long)since);
	rc = harness_wait(h, timeout_ms, what, hsim_event_pred, &a);
	if (rc == 0 && seq != NULL)
		*seq = a.seq;
	return rc;
}
