/* ussd_form.c - strict decoding of the operator's form body; see ussd_form.h. */
#include "channel/ussd_form.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

/* Decodes s[0, n) into dst (dstsz bytes): '+' is a space, %XX a byte. */
static enum ussd_form_err
ussd_form_decode(const char *s, size_t n, char *dst, size_t dstsz)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			int h, l;

			if (i + 2 >= n)
				return USSD_FORM_ESCAPE;
			h = util_hex_digit(s[i + 1]);
			l = util_hex_digit(s[i + 2]);
			if (h < 0 || l < 0)
				return USSD_FORM_ESCAPE;
			c = (char)(h * 16 + l);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (o + 1 >= dstsz)
			return USSD_FORM_LONG;
		dst[o++] = c;
	}
	dst[o] = '\0';
	if (strlen(dst) != o || !util_utf8_valid(dst, o))
		return USSD_FORM_UTF8; /* a NUL byte counts as not UTF-8 text */
	return USSD_FORM_OK;
}

int
ussd_form_phone(const char *s, char *out, size_t outsz)
{
	size_t digits = 0;

	if (outsz < 2)
		return -1;
	out[0] = '+';
	if (*s == '+')
		s++;
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-')
			continue;
		if (*s < '0' || *s > '9' || digits + 2 >= outsz || digits >= 15)
			return -1;
		out[1 + digits++] = *s;
	}
	out[1 + digits] = '\0';
	return digits >= 6 ? 0 : -1;
}

size_t
ussd_form_hops(const char *text)
{
	size_t n = 0;

	if (*text == '\0')
		return 0;
	for (; *text != '\0'; text++)
		n += *text == '*';
	return n + 1;
}

bool
ussd_form_secret_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = (unsigned char)(la != lb);

	for (size_t i = 0; i < lb; i++)
		d |= (unsigned char)(a[i % (la + 1)] ^ b[i]);
	return d == 0;
}

/* A sessionId: printable ASCII without spaces. */
static bool
ussd_form_id_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

enum ussd_form_err
ussd_form_parse(const char *body, size_t len, struct ussd_form *out, char *why, size_t whysz)
{
	static const char *const names[] = { "sessionId", "serviceCode", "phoneNumber",
		"networkCode", "text" };
	char phone[USSD_FORM_PHONE_MAX];
	char *dst[5];
	size_t dstsz[5];
	bool seen[5] = { false, false, false, false, false };
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	dst[0] = out->session_id, dstsz[0] = sizeof(out->session_id);
	dst[1] = out->service_code, dstsz[1] = sizeof(out->service_code);
	dst[2] = phone, dstsz[2] = sizeof(phone);
	dst[3] = out->network, dstsz[3] = sizeof(out->network);
	dst[4] = out->text, dstsz[4] = sizeof(out->text);
	phone[0] = '\0';
	while (pos < len) {
		const char *pair = body + pos, *amp = memchr(pair, '&', len - pos);
		size_t plen = amp != NULL ? (size_t)(amp - pair) : len - pos;
		const char *eq = memchr(pair, '=', plen);
		size_t klen = eq != NULL ? (size_t)(eq - pair) : plen;
		enum ussd_form_err e;

		pos += plen + 1;
		for (size_t f = 0; f < 5; f++) {
			if (strlen(names[f]) != klen || memcmp(names[f], pair, klen) != 0)
				continue;
			if (seen[f]) {
				snprintf(why, whysz, "field %s given twice", names[f]);
				return USSD_FORM_TWICE;
			}
			seen[f] = true;
			e = eq == NULL ?
				ussd_form_decode("", 0, dst[f], dstsz[f]) :
				ussd_form_decode(eq + 1, plen - klen - 1, dst[f], dstsz[f]);
			if (e != USSD_FORM_OK) {
				snprintf(why, whysz, "field %s: %s", names[f],
				    e == USSD_FORM_ESCAPE ? "invalid percent-encoding" :
				    e == USSD_FORM_LONG   ? "too long" :
							    "not UTF-8 text");
				return e;
			}
		}
	}
	for (size_t f = 0; f < 5; f++) {
		if (!seen[f] && f != 3) {
			snprintf(why, whysz, "field %s missing", names[f]);
			return USSD_FORM_MISSING;
		}
	}
	if (!ussd_form_id_ok(out->session_id)) {
		snprintf(why, whysz, "sessionId must be printable ASCII without spaces");
		return USSD_FORM_BAD;
	}
	if (ussd_form_phone(phone, out->phone, sizeof(out->phone)) < 0) {
		snprintf(why, whysz, "phoneNumber is not an E.164 number");
		return USSD_FORM_BAD;
	}
	return USSD_FORM_OK;
}
