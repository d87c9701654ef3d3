/* hussd.c - the operator USSD link's client for tests and benches: hops
 * through libcurl, hostile requests through a raw socket, the CON/END
 * parser, the page measure, and the gateway's URL from its log (see
 * hussd.h). */
#include "hussd.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/render.h"

struct hussd_conn {
	CURL *curl;
	struct hbuf body;
	struct hbuf form;
	char ctype[64];
};

static pthread_once_t hussd_once = PTHREAD_ONCE_INIT;
static struct hussd_conn *hussd_shared;

static void
hussd_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fprintf(stderr, "hussd: curl_global_init failed\n");
}

void
hussd_resp_free(struct hussd_resp *r)
{
	free(r->body);
	r->body = NULL;
}

static size_t
hussd_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct hbuf *b = arg;

	return hbuf_add(b, p, size * n) < 0 ? 0 : size * n;
}

static size_t
hussd_header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct hussd_conn *c = arg;
	size_t len = size * n;
	static const char key[] = "content-type:";

	if (len > sizeof(key) - 1 && strncasecmp(p, key, sizeof(key) - 1) == 0) {
		const char *v = p + sizeof(key) - 1;
		size_t vl = len - (sizeof(key) - 1);

		while (vl > 0 && (*v == ' ' || *v == '\t')) {
			v++;
			vl--;
		}
		while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
			vl--;
		if (vl >= sizeof(c->ctype))
			vl = sizeof(c->ctype) - 1;
		memcpy(c->ctype, v, vl);
		c->ctype[vl] = '\0';
	}
	return len;
}

struct hussd_conn *
hussd_conn_new(void)
{
	struct hussd_conn *c;

	pthread_once(&hussd_once, hussd_global_init);
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	hbuf_init(&c->body);
	hbuf_init(&c->form);
	c->curl = curl_easy_init();
	if (c->curl == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
hussd_conn_free(struct hussd_conn *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->curl);
	hbuf_free(&c->body);
	hbuf_free(&c->form);
	free(c);
}

int
hussd_form_encode(struct hbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	if (hbuf_add(b, "", 0) < 0)
		return -1;
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		char e[3];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '*') {
			if (hbuf_add(b, s, 1) < 0)
				return -1;
			continue;
		}
		e[0] = '%';
		e[1] = hex[ch >> 4];
		e[2] = hex[ch & 15];
		if (hbuf_add(b, e, 3) < 0)
			return -1;
	}
	return 0;
}

static int
hussd_form_field(struct hbuf *b, const char *name, const char *value)
{
	if (value == NULL)
		return 0;
	if ((b->len > 0 && hbuf_adds(b, "&") < 0) || hbuf_adds(b, name) < 0 ||
	    hbuf_adds(b, "=") < 0)
		return -1;
	return hussd_form_encode(b, value);
}

int
hussd_conn_hop(struct hussd_conn *c, const struct hussd_req *r, struct hussd_resp *out)
{
	struct curl_slist *hdr = NULL;
	char secret[256];
	CURLcode rc;
	int64_t t0;

	memset(out, 0, sizeof(*out));
	hbuf_reset(&c->body);
	hbuf_reset(&c->form);
	c->ctype[0] = '\0';
	if (hbuf_add(&c->form, "", 0) < 0 ||
	    hussd_form_field(&c->form, "sessionId", r->session_id) < 0 ||
	    hussd_form_field(&c->form, "serviceCode", r->service_code) < 0 ||
	    hussd_form_field(&c->form, "phoneNumber", r->phone) < 0 ||
	    hussd_form_field(&c->form, "networkCode", r->network_code) < 0 ||
	    hussd_form_field(&c->form, "text", r->text) < 0)
		return -1;
	hdr = curl_slist_append(hdr, "Content-Type: application/x-www-form-urlencoded");
	/* no "Expect: 100-continue" round trip on larger bodies */
	hdr = hdr != NULL ? curl_slist_append(hdr, "Expect:") : NULL;
	if (hdr != NULL && r->secret != NULL) {
		snprintf(secret, sizeof(secret), "X-Kawan-Secret: %s", r->secret);
		hdr = curl_slist_append(hdr, secret);
	}
	if (hdr == NULL)
		return -1;
	curl_easy_reset(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_URL, r->url);
	curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, c->form.data);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)c->form.len);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, hussd_write_cb);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &c->body);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, hussd_header_cb);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, 30000L);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_TCP_NODELAY, 1L);
	t0 = hproc_mono_us();
	rc = curl_easy_perform(c->curl);
	out->latency_us = hproc_mono_us() - t0;
	curl_slist_free_all(hdr);
	if (rc != CURLE_OK) {
		fprintf(stderr, "hussd: %s: %s\n", r->url, curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &out->status);
	out->body = strdup(c->body.data != NULL ? c->body.data : "");
	snprintf(out->ctype, sizeof(out->ctype), "%s", c->ctype);
	return out->body != NULL ? 0 : -1;
}

int
hussd_hop(const char *url, const char *session_id, const char *service_code, const char *phone,
    const char *text, long *status, char **body, int64_t *latency_us)
{
	struct hussd_req r = { url, session_id, service_code, phone, "50219", text, NULL };
	struct hussd_resp a;
	int rc;

	if (hussd_shared == NULL && (hussd_shared = hussd_conn_new()) == NULL)
		return -1;
	rc = hussd_conn_hop(hussd_shared, &r, &a);
	if (status != NULL)
		*status = a.status;
	if (latency_us != NULL)
		*latency_us = a.latency_us;
	if (body != NULL) {
		*body = a.body;
		a.body = NULL;
	}
	hussd_resp_free(&a);
	return rc;
}

int
hussd_hop_req(const struct hussd_req *r, struct hussd_resp *out)
{
	memset(out, 0, sizeof(*out));
	if (hussd_shared == NULL && (hussd_shared = hussd_conn_new()) == NULL)
		return -1;
	return hussd_conn_hop(hussd_shared, r, out);
}

void
hussd_cleanup(void)
{
	hussd_conn_free(hussd_shared);
	hussd_shared = NULL;
}

/* http://HOST:PORT/PATH -> host, port, path ("/" when none). */
static int
hussd_url_split(const char *url, char *host, size_t hostsz, char *port, size_t portsz, char *path,
    size_t pathsz)
{
	const char *p = url, *hs, *he, *ps;

	if (strncmp(p, "http://", 7) != 0)
		return -1;
	hs = p + 7;
	if (*hs == '[') {
		he = strchr(hs, ']');
		if (he == NULL)
			return -1;
		hs++;
		ps = he + 1;
	} else {
		he = hs + strcspn(hs, ":/");
		ps = he;
	}
	if ((size_t)(he - hs) >= hostsz)
		return -1;
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	if (*ps == ':') {
		size_t n = strcspn(ps + 1, "/");

		if (n == 0 || n >= portsz)
			return -1;
		memcpy(port, ps + 1, n);
		port[n] = '\0';
		ps += 1 + n;
	} else if (snprintf(port, portsz, "80") < 0) {
		return -1;
	}
	return snprintf(path, pathsz, "%s", *ps == '/' ? ps : "/") >= (int)pathsz ? -1 : 0;
}

static int
hussd_connect(const char *host, const char *port)
{
	struct addrinfo hints, *res = NULL, *ai;
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

/* The status of the first "HTTP/1.x NNN" line in b, or 0. */
static long
hussd_status_of(const struct hbuf *b)
{
	const char *sp;
	long st = 0;

	if (b->data == NULL || strncmp(b->data, "HTTP/1.", 7) != 0)
		return 0;
	sp = strchr(b->data, ' ');
	if (sp == NULL)
		return 0;
	for (int i = 1; i <= 3; i++) {
		if (sp[i] < '0' || sp[i] > '9')
			return 0;
		st = st * 10 + (sp[i] - '0');
	}
	return st;
}

int
hussd_raw(const char *url, const void *req, size_t len, int timeout_ms, long *status,
    struct hbuf *resp)
{
	char host[128], port[16], path[HUSSD_URL_MAX];
	const char *p = req;
	struct hbuf got;
	size_t off = 0;
	int64_t deadline = hproc_mono_ms() + timeout_ms;
	int fd;

	*status = 0;
	hbuf_init(&got);
	if (hussd_url_split(url, host, sizeof(host), port, sizeof(port), path, sizeof(path)) < 0) {
		fprintf(stderr, "hussd: bad url %s\n", url);
		return -1;
	}
	fd = hussd_connect(host, port);
	if (fd < 0) {
		fprintf(stderr, "hussd: connect %s:%s: %s\n", host, port, strerror(errno));
		return -1;
	}
	/* write what the server takes; it may answer (413) and close early */
	while (off < len) {
		struct pollfd pf = { fd, POLLOUT | POLLIN, 0 };
		int left = (int)(deadline - hproc_mono_ms());
		ssize_t n;

		if (left <= 0 || poll(&pf, 1, left) <= 0)
			break;
		if (pf.revents & (POLLIN | POLLERR | POLLHUP))
			break;
		n = send(fd, p + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		int left = (int)(deadline - hproc_mono_ms());
		char buf[4096];
		ssize_t n;

		if (left <= 0 || poll(&pf, 1, left) <= 0)
			break;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		if (hbuf_add(&got, buf, (size_t)n) < 0)
			break;
	}
	close(fd);
	*status = hussd_status_of(&got);
	if (resp != NULL && got.data != NULL && hbuf_add(resp, got.data, got.len) < 0)
		*status = 0;
	hbuf_free(&got);
	if (*status == 0) {
		fprintf(stderr, "hussd: no status line from %s (%zu of %zu bytes written)\n", url,
		    off, len);
		return -1;
	}
	return 0;
}

int
hussd_raw_request(const char *url, const char *method, const char *path_suffix, const char *ctype,
    const char *headers, const void *body, size_t len, long *status, struct hbuf *resp)
{
	char host[128], port[16], path[HUSSD_URL_MAX];
	struct hbuf b;
	int rc = -1;

	*status = 0;
	if (hussd_url_split(url, host, sizeof(host), port, sizeof(port), path, sizeof(path)) < 0)
		return -1;
	hbuf_init(&b);
	if (hbuf_printf(&b, "%s %s%s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n", method,
		path, path_suffix != NULL ? path_suffix : "", host, port) < 0 ||
	    (ctype != NULL && hbuf_printf(&b, "Content-Type: %s\r\n", ctype) < 0) ||
	    (headers != NULL && hbuf_adds(&b, headers) < 0) ||
	    ((len > 0 || strcmp(method, "POST") == 0) &&
		hbuf_printf(&b, "Content-Length: %zu\r\n", len) < 0) ||
	    hbuf_adds(&b, "\r\n") < 0 || (len > 0 && hbuf_add(&b, body, len) < 0))
		goto out;
	rc = hussd_raw(url, b.data, b.len, 15000, status, resp);
out:
	hbuf_free(&b);
	return rc;
}

int
hussd_parse(const char *body, bool *end, const char **page)
{
	if (body == NULL)
		return -1;
	if (strncmp(body, "CON ", 4) == 0)
		*end = false;
	else if (strncmp(body, "END ", 4) == 0)
		*end = true;
	else
		return -1;
	*page = body + 4;
	return 0;
}

void
hussd_measure(const char *page, size_t gsm7, size_t ucs2, struct hussd_measure *out)
{
	enum render_coding cd = render_coding_of(page, &out->units);

	out->ucs2 = cd == RENDER_UCS2;
	out->fits = out->units <= (out->ucs2 ? ucs2 : gsm7);
}

int
hussd_config(struct hbuf *b, const char *fields)
{
	return hbuf_adds(b, "ussd = {\n  listen = \"127.0.0.1:0\";\n  path = \"/ussd\";\n"
			    "  service_codes = [ \"*123#\" ];\n") < 0 ||
		       (fields != NULL && (hbuf_adds(b, "  ") < 0 || hbuf_adds(b, fields) < 0 ||
					      hbuf_adds(b, "\n") < 0)) ||
		       hbuf_adds(b, "};\n") < 0 ?
		   -1 :
		   0;
}

struct hussd_url_arg {
	char *url;
	size_t urlsz;
};

static int
hussd_url_pred(struct harness *h, void *arg)
{
	static const char needle[] = "ussd: listening on ";
	struct hussd_url_arg *a = arg;
	struct hbuf b;
	const char *p;
	int found = 0;

	hbuf_init(&b);
	if (hbuf_read_file(&b, h->gwlog) == 0 && b.data != NULL &&
	    (size_t)h->gwlog_start <= b.len &&
	    (p = strstr(b.data + h->gwlog_start, needle)) != NULL) {
		size_t n;

		p += sizeof(needle) - 1;
		n = strcspn(p, " \t\r\n");
		if (n > 0 && n < a->urlsz) {
			memcpy(a->url, p, n);
			a->url[n] = '\0';
			found = 1;
		}
	}
	hbuf_free(&b);
	return found;
}

int
hussd_wait_url(struct harness *h, int timeout_ms, char *url, size_t urlsz)
{
	struct hussd_url_arg a = { url, urlsz };

	url[0] = '\0';
	return harness_wait(h, timeout_ms, "'ussd: listening on' in this run's log", hussd_url_pred,
	    &a);
}

static int
hussd_cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int64_t
hussd_percentile(int64_t *v, size_t n, double p)
{
	size_t k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), hussd_cmp64);
	k = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}
