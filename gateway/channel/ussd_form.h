/* ussd_form.h - the operator's USSD request as data: the form body
 * decoded strictly (application/x-www-form-urlencoded), the caller's
 * number in one spelling, and a constant-time secret compare. Pure: no
 * I/O, no allocation, so the fuzzer and the unit tests reach it directly.
 *
 * Why not libmicrohttpd's MHD_PostProcessor: it passes a malformed
 * percent-escape through as it is and hands values over in pieces; the
 * link must refuse such a request (400) and see each field whole. */
#ifndef KAWAN_USSD_FORM_H
#define KAWAN_USSD_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define USSD_FORM_BODY_MAX 4096 /* bytes of a request body */
#define USSD_FORM_ID_MAX 129    /* sessionId, NUL included */
#define USSD_FORM_CODE_MAX 32   /* serviceCode */
#define USSD_FORM_PHONE_MAX 32  /* phoneNumber, +E.164 after ussd_form_phone */
#define USSD_FORM_NET_MAX 16    /* networkCode (MCC+MNC) */

struct ussd_form {
	char session_id[USSD_FORM_ID_MAX];
	char service_code[USSD_FORM_CODE_MAX];
	char phone[USSD_FORM_PHONE_MAX];
	char network[USSD_FORM_NET_MAX];
	char text[USSD_FORM_BODY_MAX]; /* the history, decoded */
};

enum ussd_form_err {
	USSD_FORM_OK = 0,
	USSD_FORM_ESCAPE,  /* a '%' not followed by two hex digits */
	USSD_FORM_UTF8,    /* a value that is not UTF-8 */
	USSD_FORM_MISSING, /* sessionId, serviceCode, phoneNumber or text absent */
	USSD_FORM_TWICE,   /* a field given twice */
	USSD_FORM_LONG,    /* a value longer than its field */
	USSD_FORM_BAD,     /* a sessionId, code or number that cannot be one */
};

/* Decodes body (len bytes, not NUL-terminated) into *out. Unknown fields
 * are ignored; networkCode may be absent. The number is normalised with
 * ussd_form_phone. USSD_FORM_OK, or what is wrong (why gets a line). */
enum ussd_form_err ussd_form_parse(const char *body, size_t len, struct ussd_form *out, char *why,
    size_t whysz);

/* "60123456789", "+60123456789", "+60 12-345 6789" -> "+60123456789" in
 * out: 6 to 15 digits (E.164). 0, or -1 when s is not such a number. */
int ussd_form_phone(const char *s, char *out, size_t outsz) __attribute__((warn_unused_result));

/* Answers in a history: 0 for "", else one more than its '*'s. */
size_t ussd_form_hops(const char *text);

/* a == b, in time that does not depend on where they differ. */
bool ussd_form_secret_eq(const char *a, const char *b);

#endif
