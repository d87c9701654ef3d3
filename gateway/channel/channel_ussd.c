/* channel_ussd.c - the operator USSD link: an HTTP service (libmicrohttpd)
 * the operator or its aggregator calls for every screen of a worker's USSD
 * session. Threads "ussd" (ussd.threads of them), each running its own
 * libmicrohttpd daemon on the same address (SO_REUSEPORT: the kernel
 * spreads connections) with its own database connection, so a hop never
 * waits on another thread, a modem or the core.
 *
 * A request is checked in this order, each failure a clear status that
 * changes nothing: method (405), path (404), client address (403), secret
 * (403), content type (415), body size (413), form (400), service code
 * (200 END notice), number of answers (400), the number's rate (200 END
 * polite page), live sessions (503). Then router_ussd_hop() answers it:
 * 200 "CON <page>" or "END <page>". A hop that wrote an effect (a report,
 * its answers) wakes the core, which alerts officers.
 *
 * Settings read per request from the current snapshot (SIGHUP applies
 * them): path, service codes, secret, allow_from, rate_per_minute,
 * max_hops. Those bound to the socket (listen, TLS, threads) and the
 * session table's size (max_sessions) take a restart. */
#include "channel/channel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "channel/ussd_form.h"
#include "channel/ussd_table.h"
#include "core/log.h"
#include "core/mask.h"
#include "core/thread.h"
#include "core/util.h"
#include "render/render.h"
#include "router/router.h"
#include "store/store.h"

#define USSD_RUN_WAIT_MS 250 /* how soon a worker sees the stop flag */
#define USSD_CONN_LIMIT 2048 /* connections per worker */
#define USSD_CONN_TIMEOUT 30 /* seconds an idle keep-alive connection stays */
#define USSD_RATE_WINDOW_MS 60000
#define USSD_PEM_MAX (256 * 1024)

struct ussd_link;

struct ussd_worker {
	struct ussd_link *link;
	struct MHD_Daemon *mhd;
	pthread_t tid;
	bool started;
	struct store *st; /* the worker thread's own; opened on it */
};

struct ussd_link {
	struct channel ch;
	struct channel_env env;
	struct config_ussd boot; /* the settings the sockets were made with */
	struct ussd_worker *w;
	size_t nw;
	char *pem_cert, *pem_key;
	atomic_bool stop;
	pthread_mutex_t mu; /* guards the two tables */
	struct ussd_table sessions, rate;
	atomic_ulong hops, refused;
};

/* One request's state across libmicrohttpd's calls. */
struct ussd_req {
	int status; /* decided before the body: 0 none yet */
	size_t len;
	char body[USSD_FORM_BODY_MAX + 1];
};

static struct ussd_link *
ussd_of(struct channel *ch)
{
	return ch->impl;
}

static enum MHD_Result
ussd_send(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response *resp;
	enum MHD_Result r;

	resp = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "POST");
	r = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

/* The client's address against allow_from. */
static bool
ussd_allowed(const struct config_ussd *cu, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa;

	if (ci == NULL || ci->client_addr == NULL)
		return false;
	sa = ci->client_addr;
	for (size_t i = 0; i < cu->nallow; i++) {
		if (sa->sa_family == AF_INET) {
			const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

			if (config_cidr_match(&cu->allow[i], AF_INET,
				(const unsigned char *)&in->sin_addr))
				return true;
		} else if (sa->sa_family == AF_INET6) {
			const struct sockaddr_in6 *in6 =
			    (const struct sockaddr_in6 *)(const void *)sa;

			if (config_cidr_match(&cu->allow[i], AF_INET6,
				(const unsigned char *)&in6->sin6_addr))
				return true;
		}
	}
	return false;
}

/* Header X-Kawan-Secret or query ?key= must be the secret, when one is set. */
static bool
ussd_secret_ok(const struct config_ussd *cu, struct MHD_Connection *conn)
{
	const char *h;

	if (cu->secret[0] == '\0')
		return true;
	h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Kawan-Secret");
	if (h == NULL)
		h = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "key");
	return h != NULL && ussd_form_secret_eq(h, cu->secret);
}

/* What the request's headers already decide (0: go on to the body). */
static unsigned
ussd_gate(const struct config_ussd *cu, struct MHD_Connection *conn, const char *url,
    const char *method, const char **why)
{
	const char *ct, *cl;

	if (strcmp(method, MHD_HTTP_METHOD_POST) != 0) {
		*why = "only POST is served\n";
		return MHD_HTTP_METHOD_NOT_ALLOWED;
	}
	if (strcmp(url, cu->path) != 0) {
		*why = "no such path\n";
		return MHD_HTTP_NOT_FOUND;
	}
	if (!ussd_allowed(cu, conn)) {
		*why = "client not allowed\n";
		return MHD_HTTP_FORBIDDEN;
	}
	if (!ussd_secret_ok(cu, conn)) {
		*why = "wrong or missing secret\n";
		return MHD_HTTP_FORBIDDEN;
	}
	ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0 ||
	    (ct[33] != '\0' && ct[33] != ';' && ct[33] != ' ')) {
		*why = "the body must be application/x-www-form-urlencoded\n";
		return MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
	}
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL && (strlen(cl) > 9 || strtol(cl, NULL, 10) > USSD_FORM_BODY_MAX)) {
		*why = "the body is too large\n";
		return MHD_HTTP_CONTENT_TOO_LARGE;
	}
	return 0;
}

/* "END <ui key in the number's language>", as their phone shows it. */
static enum MHD_Result
ussd_notice(struct ussd_worker *w, const struct snapshot *s, struct MHD_Connection *conn,
    const char *phone, const char *key, const char *fallback)
{
	struct store_prefs p;
	const char *t = fallback;
	char *shown = NULL, out[ROUTER_USSD_PAGE_MAX + 8];
	enum MHD_Result r;

	memset(&p, 0, sizeof(p));
	if (w->st != NULL && store_prefs_get(w->st, phone, &p) < 0)
		memset(&p, 0, sizeof(p));
	if (s->content != NULL)
		t = content_ui(s->content, p.lang[0] ? p.lang : "en", key, s->engine.serve_fuzzy);
	if (render_for_phone(t, engine_script(s->content, p.lang, p.variant != 0), &shown) < 0)
		shown = NULL;
	(void)snprintf(out, sizeof(out), "END %s", shown != NULL ? shown : fallback);
	free(shown);
	r = ussd_send(conn, MHD_HTTP_OK, out);
	return r;
}

/* Counts the hop against the number's rate; true when over it. */
static bool
ussd_over_rate(struct ussd_link *l, const struct config_ussd *cu, const char *phone, int64_t now)
{
	struct ussd_entry *e;
	bool over;

	pthread_mutex_lock(&l->mu);
	e = ussd_table_get(&l->rate, phone, now, NULL);
	if (e == NULL) {
		/* More numbers this minute than the table holds: no rate to
		 * keep; the live-session cap (503) still bounds the load. */
		pthread_mutex_unlock(&l->mu);
		return false;
	}
	if (now - e->since_ms >= USSD_RATE_WINDOW_MS) {
		e->since_ms = now;
		e->count = 0;
	}
	e->count++;
	over = e->count > cu->rate_per_minute;
	pthread_mutex_unlock(&l->mu);
	return over;
}

/* "phone|sessionId", the session table's key. */
static void
ussd_session_key(const struct ussd_form *f, char *key)
{
	size_t pl = strlen(f->phone), sl = strlen(f->session_id);

	_Static_assert(USSD_FORM_PHONE_MAX + USSD_FORM_ID_MAX <= USSD_TABLE_KEY_MAX,
	    "a session key fits the table");
	memcpy(key, f->phone, pl);
	key[pl] = '|';
	memcpy(key + pl + 1, f->session_id, sl + 1);
}

/* Registers the session as live; false when max_sessions are live. */
static bool
ussd_session_room(struct ussd_link *l, const struct ussd_form *f, int64_t now)
{
	char key[USSD_TABLE_KEY_MAX];
	bool ok;

	ussd_session_key(f, key);
	pthread_mutex_lock(&l->mu);
	ok = ussd_table_get(&l->sessions, key, now, NULL) != NULL;
	pthread_mutex_unlock(&l->mu);
	return ok;
}

/* An END page closed the session: it no longer counts as live (a retry
 * of the same request still finds room). */
static void
ussd_session_over(struct ussd_link *l, const struct ussd_form *f, int64_t now)
{
	char key[USSD_TABLE_KEY_MAX];
	struct ussd_entry *e;

	ussd_session_key(f, key);
	pthread_mutex_lock(&l->mu);
	e = ussd_table_get(&l->sessions, key, now, NULL);
	if (e != NULL)
		e->last_ms = now - l->sessions.life_ms;
	pthread_mutex_unlock(&l->mu);
}

static bool
ussd_code_served(const struct config_ussd *cu, const char *code)
{
	for (size_t i = 0; i < cu->ncodes; i++)
		if (strcmp(cu->service_codes[i], code) == 0)
			return true;
	return false;
}

/* The body is in: answer the hop. */
static enum MHD_Result
ussd_answer(struct ussd_worker *w, const struct snapshot *s, struct MHD_Connection *conn,
    const struct ussd_req *q)
{
	const struct config_ussd *cu = &s->cfg.ussd;
	struct ussd_link *l = w->link;
	struct router_ctx rc = { &s->cfg, s->content, &s->engine };
	struct router_ussd_hop hop;
	struct router_ussd_page *page;
	struct ussd_form *f;
	char why[200], *out;
	int64_t now = util_now_ms();
	enum MHD_Result r;
	int rv;

	f = malloc(sizeof(*f));
	page = malloc(sizeof(*page));
	out = malloc(ROUTER_USSD_PAGE_MAX + 8);
	if (f == NULL || page == NULL || out == NULL) {
		r = ussd_send(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory\n");
		goto done;
	}
	if (ussd_form_parse(q->body, q->len, f, why, sizeof(why)) != USSD_FORM_OK) {
		atomic_fetch_add(&l->refused, 1);
		log_debug("ussd: 400: %s", why);
		(void)snprintf(out, ROUTER_USSD_PAGE_MAX + 8, "%s\n", why);
		r = ussd_send(conn, MHD_HTTP_BAD_REQUEST, out);
		goto done;
	}
	if (!ussd_code_served(cu, f->service_code)) {
		log_info("ussd: %s dialled %s, which is not served here", MASK_NUMBER(f->phone),
		    f->service_code);
		r = ussd_notice(w, s, conn, f->phone, "ussd_unknown_code",
		    "This code is not served here.");
		goto done;
	}
	if (ussd_form_hops(f->text) > (size_t)cu->max_hops) {
		atomic_fetch_add(&l->refused, 1);
		r = ussd_send(conn, MHD_HTTP_BAD_REQUEST, "too many answers in text\n");
		goto done;
	}
	if (ussd_over_rate(l, cu, f->phone, now)) {
		atomic_fetch_add(&l->refused, 1);
		log_info("ussd: %s is over %d hops a minute; answered with the busy page",
		    MASK_NUMBER(f->phone), cu->rate_per_minute);
		r = ussd_notice(w, s, conn, f->phone, "ussd_busy",
		    "Too many requests. Please wait a minute and dial again.");
		goto done;
	}
	if (!ussd_session_room(l, f, now)) {
		atomic_fetch_add(&l->refused, 1);
		log_warnx("ussd: %zu sessions are live (max_sessions); refusing a new one",
		    l->sessions.max);
		r = ussd_send(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "too many live sessions\n");
		goto done;
	}
	if (w->st == NULL && store_open(l->env.database, &w->st) < 0) {
		w->st = NULL;
		r = ussd_send(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "database unavailable\n");
		goto done;
	}
	hop.session_id = f->session_id;
	hop.msisdn = f->phone;
	hop.text = f->text;
	hop.max_hops = cu->max_hops;
	rv = router_ussd_hop(w->st, &rc, &hop, now, page);
	if (rv == 1) {
		atomic_fetch_add(&l->refused, 1);
		(void)snprintf(out, ROUTER_USSD_PAGE_MAX + 8, "%s\n", page->why);
		r = ussd_send(conn, MHD_HTTP_BAD_REQUEST, out);
		goto done;
	}
	if (rv < 0) {
		log_warnx("ussd: hop %d of session %s from %s failed", (int)ussd_form_hops(f->text),
		    f->session_id, MASK_NUMBER(f->phone));
		r = ussd_send(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "temporary failure; retry\n");
		goto done;
	}
	atomic_fetch_add(&l->hops, 1);
	if (page->end)
		ussd_session_over(l, f, now);
	if (page->wrote)
		wake_up(l->env.core);
	log_debug("ussd: %s session %s hop %d -> %s", MASK_NUMBER(f->phone), f->session_id,
	    page->hops, page->end ? "END" : "CON");
	(void)snprintf(out, ROUTER_USSD_PAGE_MAX + 8, "%s %s", page->end ? "END" : "CON",
	    page->page);
	r = ussd_send(conn, MHD_HTTP_OK, out);
done:
	free(f);
	free(page);
	free(out);
	return r;
}

static enum MHD_Result
ussd_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct ussd_worker *w = cls;
	struct ussd_req *q = *con_cls;
	struct snapshot *s;
	enum MHD_Result r;

	(void)version;
	if (q == NULL) {
		const char *why = "";
		unsigned status;

		s = snapshot_get(w->link->env.snaps);
		status = ussd_gate(&s->cfg.ussd, conn, url, method, &why);
		snapshot_release(s);
		if (status != 0) {
			atomic_fetch_add(&w->link->refused, 1);
			log_debug("ussd: %u for %s %s", status, method, url);
			return ussd_send(conn, status, why);
		}
		q = malloc(sizeof(*q));
		if (q == NULL)
			return MHD_NO;
		q->status = 0;
		q->len = 0;
		*con_cls = q;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (q->status == 0 && q->len + *upload_data_size > USSD_FORM_BODY_MAX)
			q->status = MHD_HTTP_CONTENT_TOO_LARGE;
		if (q->status == 0) {
			memcpy(q->body + q->len, upload_data, *upload_data_size);
			q->len += *upload_data_size;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (q->status != 0) {
		atomic_fetch_add(&w->link->refused, 1);
		return ussd_send(conn, (unsigned)q->status, "the body is too large\n");
	}
	q->body[q->len] = '\0';
	s = snapshot_get(w->link->env.snaps);
	r = ussd_answer(w, s, conn, q);
	snapshot_release(s);
	return r;
}

static void
ussd_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static void
ussd_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[256];

	(void)cls;
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_warnx("ussd: libmicrohttpd: %s", buf);
}

static void *
ussd_worker_main(void *arg)
{
	struct ussd_worker *w = arg;

	thread_name_self("ussd");
	if (store_open(w->link->env.database, &w->st) < 0) {
		log_warnx("ussd: cannot open the database; answering 503 until it opens");
		w->st = NULL;
	}
	while (!atomic_load(&w->link->stop))
		if (MHD_run_wait(w->mhd, USSD_RUN_WAIT_MS) != MHD_YES)
			(void)poll(NULL, 0, 10); /* never seen; do not spin */
	if (w->st != NULL)
		store_close(w->st);
	w->st = NULL;
	render_thread_end();
	return NULL;
}

/* Reads a PEM file whole (NUL-terminated, caller frees). NULL on error (logged). */
static char *
ussd_read_pem(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	size_t n;

	if (fp == NULL) {
		log_warnx("ussd: cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(USSD_PEM_MAX + 1);
	if (buf == NULL) {
		fclose(fp);
		return NULL;
	}
	n = fread(buf, 1, USSD_PEM_MAX, fp);
	fclose(fp);
	buf[n] = '\0';
	if (n == 0 || n == USSD_PEM_MAX) {
		log_warnx("ussd: %s is empty or too large for a PEM file", path);
		free(buf);
		return NULL;
	}
	return buf;
}

/* One worker's daemon on the link's address (port: 0 the first time). */
static struct MHD_Daemon *
ussd_daemon(struct ussd_link *l, struct ussd_worker *w, int port)
{
	const struct config_ussd *cu = &l->boot;
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	struct MHD_OptionItem opts[12];
	size_t n = 0;

	memset(&ss, 0, sizeof(ss));
	if (strchr(cu->host, ':') != NULL) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, cu->host, &a->sin6_addr) != 1)
			return NULL;
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, cu->host, &a->sin_addr) != 1)
			return NULL;
	}
	if (l->pem_cert != NULL)
		flags |= MHD_USE_TLS;
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, &ss };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, USSD_CONN_LIMIT, NULL };
	opts[n++] =
	    (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, USSD_CONN_TIMEOUT, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED,
		(intptr_t)(uintptr_t)ussd_completed, w };
	if (l->pem_cert != NULL) {
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, l->pem_cert };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, l->pem_key };
	}
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	/* The logger must come first, outside the array, or MHD complains. */
	return MHD_start_daemon(flags, 0, NULL, NULL, ussd_access, w, MHD_OPTION_EXTERNAL_LOGGER,
	    ussd_mhd_log, NULL, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
}

static int
ussd_start(struct channel *ch)
{
	struct ussd_link *l = ussd_of(ch);
	const union MHD_DaemonInfo *di;
	int port = l->boot.port;
	bool v6 = strchr(l->boot.host, ':') != NULL;

	if (l->boot.tls_cert[0] != '\0') {
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			log_warnx("ussd: this libmicrohttpd has no TLS; cannot serve HTTPS");
			return -1;
		}
		l->pem_cert = ussd_read_pem(l->boot.tls_cert);
		l->pem_key = ussd_read_pem(l->boot.tls_key);
		if (l->pem_cert == NULL || l->pem_key == NULL)
			return -1;
	}
	for (size_t i = 0; i < l->nw; i++) {
		l->w[i].link = l;
		l->w[i].mhd = ussd_daemon(l, &l->w[i], port);
		if (l->w[i].mhd == NULL) {
			log_warnx("ussd: cannot listen on %s (in use, or not an address of this "
				  "machine?)",
			    l->boot.listen);
			return -1;
		}
		if (i == 0) {
			di = MHD_get_daemon_info(l->w[0].mhd, MHD_DAEMON_INFO_BIND_PORT);
			if (di != NULL && di->port != 0)
				port = di->port;
		}
	}
	for (size_t i = 0; i < l->nw; i++) {
		if (pthread_create(&l->w[i].tid, NULL, ussd_worker_main, &l->w[i]) != 0) {
			log_warnx("ussd: cannot start a thread");
			return -1;
		}
		l->w[i].started = true;
	}
	log_info("ussd: listening on %s://%s%s%s:%d%s (%zu threads, codes %s%s)",
	    l->pem_cert != NULL ? "https" : "http", v6 ? "[" : "", l->boot.host, v6 ? "]" : "",
	    port, l->boot.path, l->nw, l->boot.service_codes[0], l->boot.ncodes > 1 ? ", ..." : "");
	return 0;
}

static void
ussd_wake(struct channel *ch)
{
	(void)ch; /* nothing queued for USSD: every page goes back in its HTTP answer */
}

static void
ussd_stop(struct channel *ch)
{
	atomic_store(&ussd_of(ch)->stop, true);
}

static void
ussd_destroy(struct channel *ch)
{
	struct ussd_link *l = ussd_of(ch);

	atomic_store(&l->stop, true);
	for (size_t i = 0; i < l->nw; i++)
		if (l->w[i].started)
			(void)pthread_join(l->w[i].tid, NULL);
	for (size_t i = 0; i < l->nw; i++)
		if (l->w[i].mhd != NULL)
			MHD_stop_daemon(l->w[i].mhd);
	log_info("ussd: stopped after %lu hops answered, %lu requests refused",
	    atomic_load(&l->hops), atomic_load(&l->refused));
	ussd_table_fini(&l->sessions);
	ussd_table_fini(&l->rate);
	pthread_mutex_destroy(&l->mu);
	free(l->pem_cert);
	free(l->pem_key);
	free(l->w);
	free(l);
}

static const struct channel_ops ussd_ops = { ussd_start, ussd_wake, ussd_stop, ussd_destroy };

struct channel *
channel_ussd_new(const struct channel_env *env, const struct config_ussd *cfg,
    int64_t session_life_ms)
{
	struct ussd_link *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->env = *env;
	l->boot = *cfg;
	l->nw = (size_t)(cfg->threads > 0 ? cfg->threads : 1);
	l->w = calloc(l->nw, sizeof(*l->w));
	if (l->w == NULL || pthread_mutex_init(&l->mu, NULL) != 0) {
		free(l->w);
		free(l);
		return NULL;
	}
	if (ussd_table_init(&l->sessions, (size_t)cfg->max_sessions, session_life_ms) < 0 ||
	    ussd_table_init(&l->rate, (size_t)cfg->max_sessions, USSD_RATE_WINDOW_MS) < 0) {
		ussd_table_fini(&l->sessions);
		pthread_mutex_destroy(&l->mu);
		free(l->w);
		free(l);
		return NULL;
	}
	atomic_init(&l->stop, false);
	atomic_init(&l->hops, 0);
	atomic_init(&l->refused, 0);
	l->ch.ops = &ussd_ops;
	l->ch.kind = ENGINE_USSD;
	memcpy(l->ch.name, "ussd", 5);
	l->ch.impl = l;
	return &l->ch;
}
