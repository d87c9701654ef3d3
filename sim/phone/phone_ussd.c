/* phone_ussd.c - the phone's USSD dialog: one HTTP POST per hop (libcurl's
 * easy interface, one connection kept per dialog), the form built and the
 * answer read by sim/modem/ussdwire.c, each page shown as a boxed screen. */
#include "phone_ussd.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "core/util.h"
#include "phone_box.h"
#include "sbuf.h"
#include "ussdwire.h"

#define PHONE_USSD_TIMEOUT_MS 5000 /* an operator gives a hop a few seconds */
#define PHONE_USSD_CONNECT_MS 3000
#define PHONE_USSD_BODY_MAX 65536 /* a longer answer is an error */
#define PHONE_USSD_SHOW_MAX 600   /* bytes of an error body shown */

/* What one POST brought back. */
struct phone_ussd_answer {
	long status;
	char reason[64]; /* the status line's reason phrase, "" when none (HTTP/2) */
	struct sbuf body;
	int too_long;
};

int
phone_ussd_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
phone_ussd_cleanup(void)
{
	curl_global_cleanup();
}

/* A new sessionId: 16 random hex digits (the clock and pid if the kernel
 * has no randomness to give). */
static void
phone_ussd_session_id(char *out, size_t outsz)
{
	uint64_t v;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v = (uint64_t)util_now_ms() ^ ((uint64_t)getpid() << 40);
	snprintf(out, outsz, "%016llx", (unsigned long long)v);
}

static size_t
phone_ussd_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct phone_ussd_answer *a = arg;
	size_t len = size * n;

	if (a->body.len + len > PHONE_USSD_BODY_MAX) {
		a->too_long = 1;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	return sbuf_add(&a->body, p, len) < 0 ? 0 : len;
}

/* Keeps the reason phrase of the (last) status line, "HTTP/1.1 403 Forbidden". */
static size_t
phone_ussd_on_header(char *p, size_t size, size_t n, void *arg)
{
	struct phone_ussd_answer *a = arg;
	size_t len = size * n, i = 0, k = 0;

	if (len < 5 || memcmp(p, "HTTP/", 5) != 0)
		return len;
	a->reason[0] = '\0';
	for (int spaces = 0; i < len && spaces < 2; i++)
		spaces += p[i] == ' ';
	while (i < len && p[i] != '\r' && p[i] != '\n' && k + 1 < sizeof(a->reason))
		a->reason[k++] = p[i++];
	a->reason[k] = '\0';
	return len;
}

/* One hop: POSTs form on h. 0 with the answer filled (any status), or -1
 * when there was no HTTP answer at all (shown). */
static int
phone_ussd_post(CURL *h, const struct phone_ussd *u, const struct sbuf *form,
    struct phone_ussd_answer *a)
{
	char err[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs = NULL, *more;
	struct sbuf secret;
	CURLcode rc = CURLE_OUT_OF_MEMORY;

	sbuf_init(&secret);
	hdrs = curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
	more = hdrs != NULL ? curl_slist_append(hdrs, "Expect:") : NULL;
	if (more != NULL && u->secret != NULL && u->secret[0] != '\0') {
		more = NULL;
		if (sbuf_printf(&secret, "X-Kawan-Secret: %s", u->secret) == 0)
			more = curl_slist_append(hdrs, secret.data);
	}
	if (more != NULL) {
		curl_easy_setopt(h, CURLOPT_URL, u->url);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, form->data);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)form->len);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, phone_ussd_on_body);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, phone_ussd_on_header);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)PHONE_USSD_TIMEOUT_MS);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)PHONE_USSD_CONNECT_MS);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_USERAGENT, "kawan-phone");
		curl_easy_setopt(h, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
		rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	}
	curl_slist_free_all(hdrs);
	sbuf_free(&secret);
	if (rc == CURLE_OK)
		return 0;
	if (a->too_long)
		printf("USSD error: the answer is over %d bytes\n", PHONE_USSD_BODY_MAX);
	else
		printf("USSD error: no answer from %s: %s\n", u->url,
		    err[0] != '\0' ? err : curl_easy_strerror(rc));
	return -1;
}

/* Shows an answer that is not a page: status, reason and (part of) the body. */
static void
phone_ussd_show_error(const struct phone_ussd_answer *a)
{
	const char *body = a->body.data != NULL ? a->body.data : "";
	int n = (int)strnlen(body, PHONE_USSD_SHOW_MAX);
	int cut = body[n] != '\0';

	while (n > 0 && (body[n - 1] == '\n' || body[n - 1] == '\r'))
		n--;
	if (a->status != 200)
		printf("USSD error: %ld%s%s\n", a->status, a->reason[0] != '\0' ? " " : "",
		    a->reason);
	else
		printf("USSD error: the answer is neither CON nor END\n");
	if (n > 0)
		printf("  %.*s%s\n", n, body, cut ? "..." : "");
}

/* Reads the next answer into buf. 0, 1 to cancel, 2 at end of input. */
static int
phone_ussd_read(const struct phone_ussd *u, FILE *in, char *buf, size_t bufsz)
{
	printf("%sanswer (empty or /cancel closes)>%s ", u->tty ? "\033[1m" : "",
	    u->tty ? "\033[0m" : "");
	fflush(stdout);
	if (fgets(buf, (int)bufsz, in) == NULL) {
		printf("\n");
		return 2;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!isatty(fileno(in)))
		printf("%s\n", buf); /* a transcript shows what was answered */
	return buf[0] == '\0' || strcmp(buf, "/cancel") == 0 ? 1 : 0;
}

/* Fills a for the hop with history text. 0 with a page in *kind and
 * *page (borrowed from a), or -1 (shown). */
static int
phone_ussd_hop(CURL *h, const struct phone_ussd *u, const struct ussdwire_req *tmpl,
    const struct sbuf *text, struct phone_ussd_answer *a, enum ussdwire_kind *kind,
    const char **page)
{
	struct ussdwire_req r = *tmpl;
	struct sbuf form;
	int rc = -1;

	r.text = text->data != NULL ? text->data : "";
	sbuf_init(&form);
	sbuf_reset(&a->body);
	a->status = 0;
	a->reason[0] = '\0';
	a->too_long = 0;
	if (ussdwire_form(&form, &r) < 0)
		printf("USSD error: out of memory\n");
	else if (phone_ussd_post(h, u, &form, a) == 0) {
		if (a->status == 200 && a->body.data != NULL &&
		    ussdwire_parse(a->body.data, kind, page) == 0)
			rc = 0;
		else
			phone_ussd_show_error(a);
	}
	sbuf_free(&form);
	return rc;
}

/* The hops of one dialog on h; text collects the answers. */
static int
phone_ussd_hops(CURL *h, const struct phone_ussd *u, const struct ussdwire_req *tmpl,
    struct sbuf *text, FILE *in)
{
	char title[64], line[1024];
	struct phone_ussd_answer a;
	int rc;

	snprintf(title, sizeof(title), "USSD %s", tmpl->service_code);
	sbuf_init(&a.body);
	for (;;) {
		enum ussdwire_kind kind;
		const char *page;

		rc = phone_ussd_hop(h, u, tmpl, text, &a, &kind, &page);
		if (rc < 0)
			break;
		phone_box(title, page);
		if (kind == USSDWIRE_END) {
			phone_box_note(u->tty, "[session ended]");
			break;
		}
		rc = phone_ussd_read(u, in, line, sizeof(line));
		if (rc != 0) {
			phone_box_note(u->tty, "[dialog cancelled]");
			rc = rc == 2 ? 1 : 0;
			break;
		}
		if (ussdwire_history_add(text, line) < 0) {
			printf("USSD error: out of memory\n");
			rc = -1;
			break;
		}
	}
	sbuf_free(&a.body);
	return rc;
}

int
phone_ussd_dial(const struct phone_ussd *u, const char *from, const char *code, FILE *in)
{
	char sid[32];
	struct ussdwire_req tmpl = { sid, code, from, u->network, "" };
	struct sbuf text;
	CURL *h;
	int rc;

	phone_ussd_session_id(sid, sizeof(sid));
	h = curl_easy_init();
	if (h == NULL) {
		printf("USSD error: cannot start libcurl\n");
		return -1;
	}
	sbuf_init(&text);
	rc = phone_ussd_hops(h, u, &tmpl, &text, in);
	sbuf_free(&text);
	curl_easy_cleanup(h);
	fflush(stdout);
	return rc;
}
