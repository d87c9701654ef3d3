/* ussdwire.c - the client side of the USSD HTTP dialect: the form body of a
 * hop, the answers' history, and the "CON"/"END" answer. No I/O. */
#include "ussdwire.h"

#include <string.h>

static int
ussdwire_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

int
ussdwire_escape(struct sbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3] = { '%', hex[c >> 4], hex[c & 0x0F] };
		int rc = ussdwire_unreserved(c) ? sbuf_add(out, &s[i], 1) : sbuf_add(out, esc, 3);

		if (rc < 0)
			return -1;
	}
	return sbuf_add(out, "", 0); /* an empty value still leaves a string */
}

static int
ussdwire_field(struct sbuf *out, const char *name, const char *value, int first)
{
	if (!first && sbuf_adds(out, "&") < 0)
		return -1;
	if (sbuf_adds(out, name) < 0 || sbuf_adds(out, "=") < 0)
		return -1;
	return ussdwire_escape(out, value, strlen(value));
}

int
ussdwire_form(struct sbuf *out, const struct ussdwire_req *r)
{
	if (ussdwire_field(out, "sessionId", r->session_id, 1) < 0 ||
	    ussdwire_field(out, "serviceCode", r->service_code, 0) < 0 ||
	    ussdwire_field(out, "phoneNumber", r->phone_number, 0) < 0 ||
	    ussdwire_field(out, "networkCode", r->network_code, 0) < 0 ||
	    ussdwire_field(out, "text", r->text, 0) < 0)
		return -1;
	return 0;
}

int
ussdwire_history_add(struct sbuf *text, const char *answer)
{
	if (text->len > 0 && sbuf_adds(text, "*") < 0)
		return -1;
	return sbuf_adds(text, answer);
}

int
ussdwire_parse(const char *body, enum ussdwire_kind *kind, const char **page)
{
	enum ussdwire_kind k;

	if (strncmp(body, "CON", 3) == 0)
		k = USSDWIRE_CON;
	else if (strncmp(body, "END", 3) == 0)
		k = USSDWIRE_END;
	else
		return -1;
	if (body[3] != ' ' && body[3] != '\0')
		return -1;
	*kind = k;
	*page = body[3] == ' ' ? body + 4 : body + 3;
	return 0;
}
