/* hussd.h - a client of the gateway's operator USSD link (HTTP, see
 * ../../README's USSD section and /work/notes/common.md's protocol): one
 * hop as the operator makes it (libcurl easy interface, keep-alive), a
 * raw-socket sender for the hostile requests libcurl will not make
 * (malformed percent-encoding, invalid UTF-8, a GET, a wrong content type,
 * an oversized body), the "CON "/"END " parser and the page measure, and
 * the gateway's start with a ussd group (the URL read from its log line
 * "ussd: listening on http://HOST:PORT/PATH"). Does not link cmocka. */
#ifndef KAWAN_HUSSD_H
#define KAWAN_HUSSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

#define HUSSD_URL_MAX 256

/* One request. A NULL field is left out of the form (to test a missing
 * field); "" is sent empty. Strings are borrowed. */
struct hussd_req {
	const char *url; /* http://127.0.0.1:PORT/ussd[?key=...] */
	const char *session_id;
	const char *service_code;
	const char *phone;
	const char *network_code;
	const char *text;
	const char *secret; /* sent as header X-Kawan-Secret; NULL: no header */
};

/* One answer. body is owned (hussd_resp_free). */
struct hussd_resp {
	long status;        /* HTTP status; 0 when no answer came */
	char *body;         /* the whole body, NUL-terminated ("" when none) */
	char ctype[64];     /* Content-Type of the answer, "" when none */
	int64_t latency_us; /* request sent -> answer read */
};

void hussd_resp_free(struct hussd_resp *r);

/* A connection (a libcurl easy handle: its connection is kept alive and
 * reused between hops). Not thread-safe; one per thread. */
struct hussd_conn;
struct hussd_conn *hussd_conn_new(void);
void hussd_conn_free(struct hussd_conn *c);
/* Sends r; out gets the answer. 0 when an HTTP answer came (whatever its
 * status), -1 on a transport error (printed; out->status 0). */
int hussd_conn_hop(struct hussd_conn *c, const struct hussd_req *r, struct hussd_resp *out)
    __attribute__((warn_unused_result));

/* One hop on a process-wide connection (single-threaded tests): the
 * standard fields, networkCode "50219". *body (may be NULL) gets the body
 * (caller frees), *status and *latency_us (either may be NULL) the status
 * and the latency. 0 or -1 as hussd_conn_hop. */
int hussd_hop(const char *url, const char *session_id, const char *service_code, const char *phone,
    const char *text, long *status, char **body, int64_t *latency_us)
    __attribute__((warn_unused_result));
/* r on the process-wide connection. 0 or -1 as hussd_conn_hop. */
int hussd_hop_req(const struct hussd_req *r, struct hussd_resp *out)
    __attribute__((warn_unused_result));
/* Frees the process-wide connection (libcurl's global state stays). */
void hussd_cleanup(void);

/* Appends s percent-encoded as a form value, as an HTML form does it:
 * letters, digits and "*-._" as they are (the history's '*' stays
 * readable), everything else %XX (space %20). 0 or -1. */
int hussd_form_encode(struct hbuf *b, const char *s) __attribute__((warn_unused_result));

/* The raw sender: connects to url's host and port, writes the len bytes of
 * req as they are (an HTTP request the caller wrote whole), reads until the
 * server closes or timeout_ms passes, and returns the status of the first
 * status line in *status (0 when none came). *resp (may be NULL) gets
 * everything read. A server that answers and closes before reading all of
 * req (an oversized body) is fine: write errors after the first byte are
 * ignored. 0 when a status line came, -1 otherwise (printed). */
int hussd_raw(const char *url, const void *req, size_t len, int timeout_ms, long *status,
    struct hbuf *resp) __attribute__((warn_unused_result));
/* A request to url's path (plus suffix, e.g. "?key=x", may be NULL) with
 * this method, Content-Type (NULL: no header), extra header lines (each
 * ending "\r\n", may be NULL) and body (len bytes, may be empty), with
 * Connection: close, through hussd_raw. */
int hussd_raw_request(const char *url, const char *method, const char *path_suffix,
    const char *ctype, const char *headers, const void *body, size_t len, long *status,
    struct hbuf *resp) __attribute__((warn_unused_result));

/* Splits an answer body: "CON <page>" -> *end false, "END <page>" ->
 * *end true; *page points into body. -1 when it is neither. */
int hussd_parse(const char *body, bool *end, const char **page) __attribute__((warn_unused_result));

/* A page's coding and length in its units (render_coding_of: GSM-7
 * septets, extension characters 2, or UTF-16 units). */
struct hussd_measure {
	bool ucs2;
	size_t units;
	bool fits; /* within gsm7 septets or ucs2 units */
};
void hussd_measure(const char *page, size_t gsm7, size_t ucs2, struct hussd_measure *out);

/* The ussd group for the configuration: listen 127.0.0.1:0, path /ussd,
 * service code *123#, and the fields in `fields` (libconfig "k = v;"
 * settings, may be NULL) appended inside the group. 0 or -1. */
int hussd_config(struct hbuf *b, const char *fields) __attribute__((warn_unused_result));
/* Waits until the gateway's current run logged "ussd: listening on URL"
 * and copies URL into url. 0, or -1 (harness failed) after timeout_ms. */
int hussd_wait_url(struct harness *h, int timeout_ms, char *url, size_t urlsz)
    __attribute__((warn_unused_result));

/* Sorted-latency percentile helpers for tests and benches: the
 * nearest-rank p-th percentile (0..100) of n values sorted in place. */
int64_t hussd_percentile(int64_t *v, size_t n, double p);

#endif
