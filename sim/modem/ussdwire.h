/* ussdwire.h - the client side of the USSD HTTP dialect (the operator's
 * requests, the gateway's "CON"/"END" answers), without any I/O: the
 * terminal phone and tests build requests and read answers with it. */
#ifndef SIM_USSDWIRE_H
#define SIM_USSDWIRE_H

#include <stddef.h>

#include "sbuf.h"

/* The fields of one hop. All borrowed; none may be NULL ("" is fine). */
struct ussdwire_req {
	const char *session_id;
	const char *service_code; /* "*123#" */
	const char *phone_number; /* "+60123456789" */
	const char *network_code; /* "50212" */
	const char *text;         /* every answer so far joined by '*'; "" first */
};

enum ussdwire_kind { USSDWIRE_CON = 0, USSDWIRE_END };

/* Appends len bytes of s percent-encoded, byte for byte what
 * curl_easy_escape gives: A-Z a-z 0-9 - . _ ~ as they are, every other byte
 * (UTF-8 bytes included) as %XX in upper case. 0 or -1 (allocation). */
int ussdwire_escape(struct sbuf *out, const char *s, size_t len)
    __attribute__((warn_unused_result));

/* Appends the application/x-www-form-urlencoded body of r to out:
 * sessionId, serviceCode, phoneNumber, networkCode, text, in that order,
 * each value escaped as above. 0 or -1 (allocation). */
int ussdwire_form(struct sbuf *out, const struct ussdwire_req *r)
    __attribute__((warn_unused_result));

/* Adds one answer to the history text (the "text" field): a '*' before it
 * unless text is still empty. 0 or -1 (allocation). */
int ussdwire_history_add(struct sbuf *text, const char *answer) __attribute__((warn_unused_result));

/* Reads the body of a 200 answer: "CON <page>" (wait for an answer) or
 * "END <page>" (the last page). "CON"/"END" alone is an empty page. Sets
 * *kind, and *page to the page inside body (borrowed from body). -1 when
 * the body starts with neither (an error, nothing set). */
int ussdwire_parse(const char *body, enum ussdwire_kind *kind, const char **page)
    __attribute__((warn_unused_result));

#endif
