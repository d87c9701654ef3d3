/* bench_ussd.c - the operator USSD link under load: N concurrent sessions
 * (50 and 500) walking random paths of the repo's menu tree over loopback
 * HTTP/1.1 with keep-alive, for a fixed time each, once idle and once
 * while the simulated modem sends a burst of SMS replies. Prints hops per
 * second, latency p50/p99/max, errors, the gateway's CPU per hop (utime +
 * stime from /proc/PID/stat) and peak RSS (VmHWM), and the load
 * generator's own CPU per hop: it shares the 2 cores with the gateway.
 *
 * Two load generators, both single-threaded: a small epoll HTTP/1.1 client
 * (one connection per session, one request in flight on each) and libcurl
 * multi (one easy handle per session, connections kept alive by the
 * multi's cache). The phases run on the epoll client; one extra phase at
 * 500 sessions runs on libcurl multi to compare their cost.
 *
 * The report flow (the report node, HELP/SOS) is left out of the walks: it
 * writes a report to disk and alerts officers. So are the language list
 * and the discreet toggle (they write the number's preferences). Every
 * number chose English once before the timed phases.
 *
 * Environment: KAWAN_BENCH_USSD_SECONDS (default 10) per phase,
 * KAWAN_BENCH_USSD_SESSIONS (default "50,500"), KAWAN_BENCH_USSD_URL (drive a
 * link already running there instead: idle phases only, no gateway
 * figures). No pass/fail. */
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <signal.h>
#include <unistd.h>

#include "harness.h"
#include "hgw.h"
#include "hussd.h"
#include "content/content.h"

#define MAX_CONNS 1024
#define DEPTH_MAX 8
#define TEXT_MAX 1024
#define BURST_SMS 20
#define PHONE_BASE 601127000000LL
#define PACED_RATE 5000.0 /* the issue's target: hops/s offered at 500 sessions */

/* ---- the walk: a model of the menu tree, no oracle ---- */

static struct content *ct;

struct walker {
	const struct content_node *stack[DEPTH_MAX]; /* stack[depth - 1] is the current node */
	int depth;
	int hops_left;
	int answers;
	unsigned long sid;
	char text[TEXT_MAX];
	size_t text_len;
	uint64_t seed;
};

static bool
walk_allowed(const struct content_node *nd)
{
	return nd != NULL && nd->kind != CONTENT_ACTION; /* report, language, discreet */
}

static void
walker_new_session(struct walker *w, unsigned long *sid_seq)
{
	w->depth = 1;
	w->stack[0] = content_home(ct);
	w->hops_left = 2 + (int)(harness_rand(&w->seed) % 7);
	w->answers = 0;
	w->sid = ++*sid_seq;
	w->text[0] = '\0';
	w->text_len = 0;
}

static void
walker_add(struct walker *w, const char *a)
{
	size_t n = strlen(a);

	if (w->text_len + n + 2 >= sizeof(w->text))
		return;
	if (w->answers > 0)
		w->text[w->text_len++] = '*';
	memcpy(w->text + w->text_len, a, n + 1);
	w->text_len += n;
	w->answers++;
}

/* The next answer; false when the session should end (the next request
 * then starts a new session). */
static bool
walker_next(struct walker *w)
{
	const struct content_node *cur = w->stack[w->depth - 1];
	char d[24];

	if (w->hops_left-- <= 0)
		return false;
	if (cur->kind == CONTENT_MENU) {
		const struct content_node *kids[64];
		size_t nk = content_children_for(ct, cur, "MY", kids, 64); /* as numbered in MY */

		for (int tries = 0; tries < 8 && nk > 0; tries++) {
			size_t k = (size_t)(harness_rand(&w->seed) % nk);
			const struct content_node *ch = kids[k];

			if (!walk_allowed(ch) || w->depth >= DEPTH_MAX)
				continue;
			snprintf(d, sizeof(d), "%zu", k + 1);
			walker_add(w, d);
			w->stack[w->depth++] = ch;
			return true;
		}
	}
	switch (harness_rand(&w->seed) % 3) {
	case 0:
		walker_add(w, "98");
		break;
	case 1:
		walker_add(w, "0");
		if (w->depth > 1)
			w->depth--;
		break;
	default:
		walker_add(w, "00");
		w->depth = 1;
		break;
	}
	return true;
}

/* ---- figures ---- */

struct lats {
	int64_t *v;
	size_t n, cap;
};

static void
lats_add(struct lats *l, int64_t us)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 65536;
		int64_t *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = us;
}

struct phase {
	const char *name;
	const char *client;
	int sessions;
	double seconds;
	long hops, errors, ends, sessions_started;
	double p50_ms, p99_ms, max_ms;
	double gw_cpu_us_per_hop, client_cpu_us_per_hop, gw_cpu_share;
	double rate; /* paced: offered hops/s; 0: saturated */
	long gw_hwm_kb;
	long sms_sent; /* replies the modem took during the phase */
};

/* ---- the request ---- */

struct target {
	char host[64];
	int port;
	char path[128];
	char url[HUSSD_URL_MAX];
};

static int
target_parse(const char *url, struct target *t)
{
	const char *p;
	char *end;
	long port;

	if (strncmp(url, "http://", 7) != 0 || snprintf(t->url, sizeof(t->url), "%s", url) < 0)
		return -1;
	p = url + 7;
	end = strchr(p, ':');
	if (end == NULL || (size_t)(end - p) >= sizeof(t->host))
		return -1;
	memcpy(t->host, p, (size_t)(end - p));
	t->host[end - p] = '\0';
	port = strtol(end + 1, &end, 10);
	if (port <= 0 || port > 65535 || *end != '/')
		return -1;
	t->port = (int)port;
	return snprintf(t->path, sizeof(t->path), "%s", end) >= (int)sizeof(t->path) ? -1 : 0;
}

static int
form_body(char *buf, size_t bufsz, int conn, const struct walker *w)
{
	return snprintf(buf, bufsz,
	    "sessionId=b%d-%lu&serviceCode=%%2A123%%23&phoneNumber=%%2B%lld&networkCode=50219&"
	    "text=%s",
	    conn, w->sid, PHONE_BASE + conn, w->text);
}

/* ---- load generator 1: epoll HTTP/1.1 ---- */

struct econn {
	int fd;
	char out[TEXT_MAX + 512];
	size_t out_len, out_off;
	char in[8192];
	size_t in_len;
	int64_t t0;
	int64_t due_us; /* paced: when the next request goes */
	bool pending;   /* paced: the next request waits for due_us */
	struct walker w;
};

static int
econn_connect(const struct target *t)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)t->port);
	if (inet_pton(AF_INET, t->host, &sa.sin_addr) != 1) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
econn_request(struct econn *c, int idx, const struct target *t)
{
	char body[TEXT_MAX + 256];
	int bl = form_body(body, sizeof(body), idx, &c->w);
	int n = snprintf(c->out, sizeof(c->out),
	    "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: "
	    "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
	    t->path, t->host, t->port, bl, body);

	c->out_len = n > 0 && (size_t)n < sizeof(c->out) ? (size_t)n : 0;
	c->out_off = 0;
	c->in_len = 0;
	c->t0 = hproc_mono_us();
}

/* 1 when a whole response is in c->in (status and body found), 0 when
 * more is needed, -1 when it is malformed. */
static int
econn_response(struct econn *c, long *status, const char **body, size_t *body_len, bool *close_it)
{
	char *hend, *p;
	long cl = -1;

	c->in[c->in_len < sizeof(c->in) ? c->in_len : sizeof(c->in) - 1] = '\0';
	hend = strstr(c->in, "\r\n\r\n");
	if (hend == NULL)
		return c->in_len >= sizeof(c->in) - 1 ? -1 : 0;
	if (strncmp(c->in, "HTTP/1.", 7) != 0 || strlen(c->in) < 12)
		return -1;
	*status = strtol(c->in + 9, NULL, 10);
	*close_it = false;
	for (p = strstr(c->in, "\r\n"); p != NULL && p < hend; p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, "Content-Length:", 15) == 0)
			cl = strtol(p + 17, NULL, 10);
		else if (strncasecmp(p + 2, "Connection: close", 17) == 0)
			*close_it = true;
	}
	if (cl < 0)
		return -1;
	if ((size_t)(hend + 4 - c->in) + (size_t)cl > c->in_len)
		return 0;
	*body = hend + 4;
	*body_len = (size_t)cl;
	return 1;
}

struct run {
	const struct target *t;
	int nsess;
	double seconds;
	double rate; /* offered hops/s over all sessions (paced); 0: each sends once answered */
	struct lats lat;
	long hops, errors, ends, sessions;
	unsigned long sid_seq;
};

static void
run_account(struct run *r, long status, const char *body, size_t len, int64_t us)
{
	r->hops++;
	lats_add(&r->lat, us);
	if (status != 200 || len < 4 ||
	    (strncmp(body, "CON ", 4) != 0 && strncmp(body, "END ", 4) != 0)) {
		if (r->errors < 5)
			fprintf(stderr, "bench: error: status %ld body '%.*s'\n", status,
			    (int)(len > 120 ? 120 : len), body);
		r->errors++;
	} else if (strncmp(body, "END ", 4) == 0) {
		r->ends++;
	}
}

/* The next request of a connection's walker: the next hop, or a new
 * session when the walk ends or the page was END. */
static void
run_next(struct run *r, struct walker *w, bool ended)
{
	if (ended || !walker_next(w)) {
		walker_new_session(w, &r->sid_seq);
		r->sessions++;
	}
}

static int
run_epoll(struct run *r)
{
	struct econn *c = calloc((size_t)r->nsess, sizeof(*c));
	int ep = epoll_create1(EPOLL_CLOEXEC), rc = -1;
	int64_t end_us;
	/* paced: each session sends once per interval */
	int64_t interval = r->rate > 0 ? (int64_t)((double)r->nsess * 1e6 / r->rate) : 0;

	if (c == NULL || ep < 0)
		goto out;
	for (int i = 0; i < r->nsess; i++) {
		struct epoll_event ev = { EPOLLOUT | EPOLLIN, { .u32 = (uint32_t)i } };

		c[i].w.seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(i + 1) * 7919;
		walker_new_session(&c[i].w, &r->sid_seq);
		r->sessions++;
		c[i].fd = econn_connect(r->t);
		if (c[i].fd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev) < 0) {
			fprintf(stderr, "bench: connect %d: %s\n", i, strerror(errno));
			goto out;
		}
		if (r->rate > 0) {
			struct epoll_event in = { EPOLLIN, { .u32 = (uint32_t)i } };

			c[i].due_us = hproc_mono_us() + interval * i / r->nsess;
			c[i].pending = true;
			epoll_ctl(ep, EPOLL_CTL_MOD, c[i].fd, &in);
		} else {
			econn_request(&c[i], i, r->t);
		}
	}
	end_us = hproc_mono_us() + (int64_t)(r->seconds * 1e6);
	while (hproc_mono_us() < end_us) {
		struct epoll_event evs[256];
		int n;

		if (r->rate > 0) {
			int64_t now = hproc_mono_us();

			for (int i = 0; i < r->nsess; i++) {
				struct epoll_event ev = { EPOLLOUT | EPOLLIN,
					{ .u32 = (uint32_t)i } };

				if (!c[i].pending || c[i].due_us > now)
					continue;
				c[i].pending = false;
				econn_request(&c[i], i, r->t);
				epoll_ctl(ep, EPOLL_CTL_MOD, c[i].fd, &ev);
			}
		}
		n = epoll_wait(ep, evs, 256, r->rate > 0 ? 1 : 100);

		for (int k = 0; k < n; k++) {
			int i = (int)evs[k].data.u32;
			struct econn *e = &c[i];

			if ((evs[k].events & EPOLLOUT) && e->out_off < e->out_len) {
				ssize_t w = send(e->fd, e->out + e->out_off,
				    e->out_len - e->out_off, MSG_NOSIGNAL);

				if (w > 0)
					e->out_off += (size_t)w;
				if (e->out_off == e->out_len) {
					struct epoll_event ev = { EPOLLIN, { .u32 = (uint32_t)i } };

					epoll_ctl(ep, EPOLL_CTL_MOD, e->fd, &ev);
				}
			}
			if (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
				ssize_t got = recv(e->fd, e->in + e->in_len,
				    sizeof(e->in) - 1 - e->in_len, 0);
				long status = 0;
				const char *body = NULL;
				size_t blen = 0;
				bool close_it = false;
				int done;

				if (got <= 0 && !(got < 0 && errno == EAGAIN)) {
					/* the server closed: count it, reconnect, resend */
					struct epoll_event ev = { EPOLLOUT | EPOLLIN,
						{ .u32 = (uint32_t)i } };

					r->errors++;
					epoll_ctl(ep, EPOLL_CTL_DEL, e->fd, NULL);
					close(e->fd);
					e->fd = econn_connect(r->t);
					if (e->fd < 0 ||
					    epoll_ctl(ep, EPOLL_CTL_ADD, e->fd, &ev) < 0)
						goto out;
					run_next(r, &e->w, true);
					econn_request(e, i, r->t);
					continue;
				}
				if (got < 0)
					continue;
				e->in_len += (size_t)got;
				done = econn_response(e, &status, &body, &blen, &close_it);
				if (done == 0)
					continue;
				if (done < 0) {
					status = 0;
					body = "";
					blen = 0;
				}
				run_account(r, status, body, blen, hproc_mono_us() - e->t0);
				run_next(r, &e->w,
				    done < 0 || status != 200 || strncmp(body, "END ", 4) == 0);
				if (close_it || done < 0) {
					epoll_ctl(ep, EPOLL_CTL_DEL, e->fd, NULL);
					close(e->fd);
					e->fd = econn_connect(r->t);
					if (e->fd < 0)
						goto out;
					if (epoll_ctl(ep, EPOLL_CTL_ADD, e->fd,
						&(struct epoll_event){ EPOLLOUT | EPOLLIN,
						    { .u32 = (uint32_t)i } }) < 0)
						goto out;
				} else {
					struct epoll_event ev = { r->rate > 0 ? EPOLLIN :
										EPOLLOUT | EPOLLIN,
						{ .u32 = (uint32_t)i } };

					epoll_ctl(ep, EPOLL_CTL_MOD, e->fd, &ev);
				}
				if (r->rate > 0 && !close_it && done > 0) {
					/* paced: the next request when its interval comes */
					int64_t now = hproc_mono_us();

					e->due_us += interval;
					if (e->due_us < now)
						e->due_us = now;
					e->pending = true;
					continue;
				}
				econn_request(e, i, r->t);
			}
		}
	}
	rc = 0;
out:
	if (c != NULL) {
		for (int i = 0; i < r->nsess; i++)
			if (c[i].fd > 0)
				close(c[i].fd);
	}
	free(c);
	if (ep >= 0)
		close(ep);
	return rc;
}

/* ---- load generator 2: libcurl multi ---- */

struct cconn {
	CURL *e;
	struct walker w;
	char body[TEXT_MAX + 256];
	struct hbuf resp;
	int64_t t0;
	int idx;
};

static size_t
cconn_write(char *p, size_t size, size_t n, void *arg)
{
	struct cconn *c = arg;

	return hbuf_add(&c->resp, p, size * n) < 0 ? 0 : size * n;
}

static void
cconn_request(struct cconn *c)
{
	int bl = form_body(c->body, sizeof(c->body), c->idx, &c->w);

	hbuf_reset(&c->resp);
	curl_easy_setopt(c->e, CURLOPT_POSTFIELDS, c->body);
	curl_easy_setopt(c->e, CURLOPT_POSTFIELDSIZE, (long)bl);
	c->t0 = hproc_mono_us();
}

static int
run_curl(struct run *r)
{
	struct cconn *c = calloc((size_t)r->nsess, sizeof(*c));
	struct curl_slist *hdr =
	    curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
	CURLM *m = curl_multi_init();
	int64_t end_us;
	int running = 0, rc = -1;

	if (c == NULL || hdr == NULL || m == NULL)
		goto out;
	hdr = curl_slist_append(hdr, "Expect:");
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)r->nsess + 16);
	for (int i = 0; i < r->nsess; i++) {
		c[i].idx = i;
		c[i].w.seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(i + 1) * 7919;
		hbuf_init(&c[i].resp);
		walker_new_session(&c[i].w, &r->sid_seq);
		r->sessions++;
		c[i].e = curl_easy_init();
		if (c[i].e == NULL)
			goto out;
		curl_easy_setopt(c[i].e, CURLOPT_URL, r->t->url);
		curl_easy_setopt(c[i].e, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c[i].e, CURLOPT_WRITEFUNCTION, cconn_write);
		curl_easy_setopt(c[i].e, CURLOPT_WRITEDATA, &c[i]);
		curl_easy_setopt(c[i].e, CURLOPT_PRIVATE, &c[i]);
		curl_easy_setopt(c[i].e, CURLOPT_TCP_NODELAY, 1L);
		curl_easy_setopt(c[i].e, CURLOPT_TCP_KEEPALIVE, 1L);
		curl_easy_setopt(c[i].e, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c[i].e, CURLOPT_TIMEOUT_MS, 30000L);
		cconn_request(&c[i]);
		curl_multi_add_handle(m, c[i].e);
	}
	end_us = hproc_mono_us() + (int64_t)(r->seconds * 1e6);
	while (hproc_mono_us() < end_us) {
		CURLMsg *msg;
		int left;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			struct cconn *cc = NULL;
			long status = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&cc);
			if (msg->data.result == CURLE_OK)
				curl_easy_getinfo(cc->e, CURLINFO_RESPONSE_CODE, &status);
			run_account(r, status, cc->resp.data != NULL ? cc->resp.data : "",
			    cc->resp.len, hproc_mono_us() - cc->t0);
			curl_multi_remove_handle(m, cc->e);
			run_next(r, &cc->w,
			    status != 200 || cc->resp.data == NULL ||
				strncmp(cc->resp.data, "END ", 4) == 0);
			cconn_request(cc);
			curl_multi_add_handle(m, cc->e);
		}
		curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	rc = 0;
out:
	if (c != NULL) {
		for (int i = 0; i < r->nsess; i++) {
			if (c[i].e != NULL) {
				curl_multi_remove_handle(m, c[i].e);
				curl_easy_cleanup(c[i].e);
			}
			hbuf_free(&c[i].resp);
		}
	}
	free(c);
	if (m != NULL)
		curl_multi_cleanup(m);
	curl_slist_free_all(hdr);
	return rc;
}

/* ---- phases ---- */

static int64_t
self_cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
	       (int64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
}

static long
sent_count(struct harness *h)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;

	if (harness_sent(h, &m, &n) < 0)
		return -1;
	hctl_sent_free(m, n);
	return (long)n;
}

static const char *
offered(const struct phase *p)
{
	static char buf[4][32];
	static int k;

	k = (k + 1) % 4;
	if (p->rate <= 0)
		return "saturated";
	snprintf(buf[k], sizeof(buf[k]), "%.0f/s", p->rate);
	return buf[k];
}

static int
phase_run(struct harness *h, const struct target *t, struct phase *ph, bool use_curl, bool burst)
{
	struct run r;
	int64_t gw0, gw1, me0, me1, t0, t1;
	bool ext = h->gw_pid <= 0; /* KAWAN_BENCH_USSD_URL: a server not ours, no sim */
	long sent0 = ext ? 0 : sent_count(h), sent1;
	int rc;

	memset(&r, 0, sizeof(r));
	r.t = t;
	r.nsess = ph->sessions;
	r.seconds = ph->seconds;
	r.rate = ph->rate;
	ph->client = use_curl ? "libcurl multi" : "epoll";
	if (burst) {
		for (int i = 0; i < BURST_SMS; i++) {
			char from[24];

			snprintf(from, sizeof(from), "+6011280%05d", i + ph->sessions);
			if (harness_inject(h, from, "burst: saya perlu bantuan") < 0)
				return -1;
		}
	}
	gw0 = gw1 = 0;
	if (!ext && hproc_cpu_ms(h->gw_pid, &gw0) < 0)
		return -1;
	me0 = self_cpu_us();
	t0 = hproc_mono_us();
	rc = use_curl ? run_curl(&r) : run_epoll(&r);
	t1 = hproc_mono_us();
	me1 = self_cpu_us();
	if (rc < 0 || (!ext && (hproc_cpu_ms(h->gw_pid, &gw1) < 0 ||
				   hproc_status_kb(h->gw_pid, "VmHWM", &ph->gw_hwm_kb) < 0)))
		return -1;
	sent1 = ext ? 0 : sent_count(h);
	ph->sms_sent = sent1 - sent0;
	ph->hops = r.hops;
	ph->errors = r.errors;
	ph->ends = r.ends;
	ph->sessions_started = r.sessions;
	ph->seconds = (double)(t1 - t0) / 1e6;
	ph->p50_ms = (double)hussd_percentile(r.lat.v, r.lat.n, 50) / 1000.0;
	ph->p99_ms = (double)hussd_percentile(r.lat.v, r.lat.n, 99) / 1000.0;
	ph->max_ms = (double)hussd_percentile(r.lat.v, r.lat.n, 100) / 1000.0;
	ph->gw_cpu_us_per_hop = r.hops > 0 ? (double)(gw1 - gw0) * 1000.0 / (double)r.hops : 0;
	ph->gw_cpu_share = (double)(gw1 - gw0) * 1000.0 / (double)(t1 - t0);
	ph->client_cpu_us_per_hop = r.hops > 0 ? (double)(me1 - me0) / (double)r.hops : 0;
	free(r.lat.v);
	printf("bench: %-9s %4d sessions, %-13s, %-9s: %7.0f hops/s, p50 %.2f ms, p99 %.2f ms, max "
	       "%.1f ms, %ld errors; gateway %.1f us CPU/hop; client %.1f us CPU/hop\n",
	    ph->name, ph->sessions, ph->client, offered(ph), (double)ph->hops / ph->seconds,
	    ph->p50_ms, ph->p99_ms, ph->max_ms, ph->errors, ph->gw_cpu_us_per_hop,
	    ph->client_cpu_us_per_hop);
	if (burst && harness_wait_sent(h, sent0 + BURST_SMS, 120000) < 0)
		return -1;
	return 0;
}

/* A fresh gateway for the next phase (restart: stop the running one
 * first), its URL in t. Nothing to do for a link that is not ours. */
static int
phase_gw(struct harness *h, const char *cfg, struct target *t, bool restart)
{
	char url[HUSSD_URL_MAX];
	int status;

	if (h->gw_pid <= 0)
		return 0;
	if (restart && harness_gw_stop(h, SIGTERM, 10000, &status) < 0)
		return -1;
	if (restart && (hgw_start(h, cfg) < 0 || hussd_wait_url(h, 30000, url, sizeof(url)) < 0 ||
			   harness_gw_wait_ready(h, 60000) < 0 || target_parse(url, t) < 0))
		return -1;
	return 0;
}

/* Every number of the bench chooses English once (the language list is
 * what a new number sees first; choosing writes its preferences). */
static int
warm_up(const struct target *t, int n)
{
	struct hussd_conn *c = hussd_conn_new();
	int rc = 0;

	if (c == NULL)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		char id[32], phone[24];
		static const char *const texts[] = { "", "1" };

		snprintf(id, sizeof(id), "warm-%d", i);
		snprintf(phone, sizeof(phone), "+%lld", PHONE_BASE + i);
		for (int k = 0; k < 2; k++) {
			struct hussd_req q = { t->url, id, "*123#", phone, "50219", texts[k],
				NULL };
			struct hussd_resp a;

			if (hussd_conn_hop(c, &q, &a) != 0 || a.status != 200 ||
			    strncmp(a.body, "CON ", 4) != 0) {
				fprintf(stderr, "bench: warm-up of %s: %ld '%s'\n", phone, a.status,
				    a.body != NULL ? a.body : "");
				rc = -1;
			}
			hussd_resp_free(&a);
		}
	}
	hussd_conn_free(c);
	return rc;
}

static void
print_table(const struct phase *ph, int n, double seconds)
{
	printf("\n== Kawan USSD link: concurrent sessions over loopback HTTP/1.1 keep-alive ==\n");
	printf(
	    "command: KAWAN_BIN=<build dir> KAWAN_BENCH_USSD_SECONDS=%.0f build/bench/bench_ussd\n\n",
	    seconds);
	printf(
	    "| phase | sessions | client | offered | hops/s | p50 ms | p99 ms | max ms | errors | END | gateway "
	    "CPU/hop | gateway CPU | client CPU/hop | SMS sent | gateway VmHWM |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < n; i++) {
		const struct phase *p = &ph[i];

		printf(
		    "| %s | %d | %s | %s | %.0f | %.2f | %.2f | %.1f | %ld | %ld | %.1f µs | %.0f %% | "
		    "%.1f µs | %ld | %.1f MiB |\n",
		    p->name, p->sessions, p->client, offered(p), (double)p->hops / p->seconds,
		    p->p50_ms, p->p99_ms, p->max_ms, p->errors, p->ends, p->gw_cpu_us_per_hop,
		    p->gw_cpu_share * 100.0, p->client_cpu_us_per_hop, p->sms_sent,
		    (double)p->gw_hwm_kb / 1024.0);
	}
	printf("\nTarget (issue 8): >= 5000 hops/s at 500 sessions, p99 <= 20 ms, 0 errors.\n");
}

static int
parse_env(double *seconds, int *sess, int *nsess)
{
	const char *s = getenv("KAWAN_BENCH_USSD_SECONDS"),
		   *l = getenv("KAWAN_BENCH_USSD_SESSIONS");

	*seconds = 10;
	if (s != NULL && *s != '\0') {
		*seconds = strtod(s, NULL);
		if (*seconds < 1 || *seconds > 600)
			return -1;
	}
	*nsess = 0;
	if (l == NULL || *l == '\0')
		l = "50,500";
	while (*l != '\0' && *nsess < 4) {
		char *end;
		long v = strtol(l, &end, 10);

		if (end == l || v < 1 || v > MAX_CONNS)
			return -1;
		sess[(*nsess)++] = (int)v;
		l = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			return -1;
	}
	return *nsess > 0 ? 0 : -1;
}

int
main(void)
{
	static struct harness h;
	static struct phase ph[16];
	struct content_errors errs;
	struct hbuf cfg;
	struct target t;
	char cwd[HARNESS_PATH_MAX], menus[HARNESS_PATH_MAX + 16], trans[HARNESS_PATH_MAX + 16];
	char url[HUSSD_URL_MAX];
	const char *ext = getenv("KAWAN_BENCH_USSD_URL");
	double seconds;
	int sess[4], nsess, nph = 0, rc = 1, maxs = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_env(&seconds, sess, &nsess) < 0) {
		fprintf(stderr,
		    "bench: KAWAN_BENCH_USSD_SECONDS 1..600, KAWAN_BENCH_USSD_SESSIONS "
		    "n[,n...] each 1..%d\n",
		    MAX_CONNS);
		return 2;
	}
	for (int i = 0; i < nsess; i++)
		maxs = sess[i] > maxs ? sess[i] : maxs;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return 1;
	snprintf(menus, sizeof(menus), "%s/menus", cwd);
	snprintf(trans, sizeof(trans), "%s/translations", cwd);
	memset(&errs, 0, sizeof(errs));
	if (content_load(menus, trans, &ct, &errs) != 0) {
		fprintf(stderr, "bench: the repo's content does not load\n");
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	hbuf_init(&cfg);
	if (harness_init(&h, "benchussd") < 0)
		return 1;
	h.opts.sim_capacity = 255;
	if (hgw_cfg_content(&cfg, menus, trans, NULL) < 0 ||
	    hussd_config(&cfg, "rate_per_minute = 100000; max_sessions = 200000; threads = 2;") < 0)
		goto done;
	if (ext != NULL && *ext != '\0') {
		/* a link someone else runs: idle phases only, no gateway figures */
		snprintf(url, sizeof(url), "%s", ext);
	} else {
		printf("bench: starting the sim and the gateway in %s\n", h.dir);
		if (harness_sim_start(&h) < 0 || hgw_start(&h, cfg.data) < 0 ||
		    hussd_wait_url(&h, 30000, url, sizeof(url)) < 0 ||
		    harness_gw_wait_ready(&h, 60000) < 0)
			goto done;
	}
	if (target_parse(url, &t) < 0) {
		fprintf(stderr, "bench: cannot use %s\n", url);
		goto done;
	}
	printf("bench: %s; %d numbers choose English\n", url, maxs);
	if (warm_up(&t, maxs) < 0)
		goto done;
	/* saturated (each session sends as soon as answered) and paced at
	 * PACED_RATE hops/s; idle and during an SMS burst; each phase on a
	 * fresh gateway process (its own peak RSS), the same database */
	for (int i = 0; i < nsess; i++) {
		for (int k = 0; k < 4; k++) {
			bool burst = (k & 1) != 0;

			if (burst && ext != NULL && *ext != '\0')
				continue;
			ph[nph] = (struct phase){ .name = burst ? "SMS burst" : "idle",
				.sessions = sess[i],
				.seconds = seconds,
				.rate = k >= 2 ? PACED_RATE : 0 };
			if (phase_gw(&h, cfg.data, &t, nph > 0) < 0 ||
			    phase_run(&h, &t, &ph[nph++], false, burst) < 0)
				goto done;
		}
	}
	for (int k = 0; k < 1; k++) { /* libcurl multi, saturated: the client's cost */
		ph[nph] = (struct phase){ .name = "idle",
			.sessions = maxs,
			.seconds = seconds,
			.rate = 0 };
		if (phase_gw(&h, cfg.data, &t, true) < 0 ||
		    phase_run(&h, &t, &ph[nph++], true, false) < 0)
			goto done;
	}
	print_table(ph, nph, seconds);
	rc = 0;
done:
	if (rc != 0)
		harness_fail(&h, "benchmark aborted");
	harness_fini(&h);
	hbuf_free(&cfg);
	content_free(ct);
	curl_global_cleanup();
	return rc;
}
