/* fuzz_ussd.c - the operator's USSD request below HTTP: the form body
 * (channel/ussd_form.c) and, when it decodes, its '*' history through
 * router_ussd_hop on the repository's content and a store emptied before
 * each input (fuzz_router.h).
 *
 * Input: the request body as the operator POSTs it.
 *
 * Invariants: a decoded form has every field terminated, in bounds and
 * UTF-8, the number in +E.164 (6 to 15 digits), the hop count one more
 * than the '*'s of a non-empty text; a history answers 0 (a page) or 1
 * (refused, with a reason), never more hops than max_hops; a page is
 * non-empty UTF-8 within its buffer; the same request again (an operator's
 * retry) gets the same page, for the whole history at once and for each
 * hop of the session played from its start (play). */
#include "channel/ussd_form.h"

#include "fuzz_router.h"

#define FUZZ_USSD_MAX_HOPS 64
#define FUZZ_USSD_PLAY_MAX 16 /* hops of play() */

static void
check_field(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	FUZZ_CHECK(n < cap);
	FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)s, n));
}

static void
check_phone(const char *p)
{
	size_t n = strlen(p);

	FUZZ_CHECK(p[0] == '+' && n >= 7 && n <= 16);
	for (size_t i = 1; i < n; i++)
		FUZZ_CHECK(p[i] >= '0' && p[i] <= '9');
}

static void
check_page(const struct router_ussd_page *p)
{
	size_t n = strnlen(p->page, sizeof(p->page));

	FUZZ_CHECK(n > 0 && n < sizeof(p->page));
	FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)p->page, n));
}

/* The session as the operator sends it: the history up to each '*', then
 * whole (each hop continues the one before, so answers applied are split
 * where the session row says), every hop retried once. */
static void
play(const struct ussd_form *f)
{
	static char prefix[USSD_FORM_BODY_MAX];
	static struct router_ussd_page a, b;
	struct router_ussd_hop h = { f->session_id, f->phone, prefix, FUZZ_USSD_MAX_HOPS };
	size_t n = strlen(f->text), hops = 0;
	int64_t now = 1800000000000LL;

	fuzz_store_wipe();
	for (size_t i = 0; i <= n && hops < FUZZ_USSD_PLAY_MAX; i++) {
		int r;

		if (i < n && f->text[i] != '*')
			continue;
		memcpy(prefix, f->text, i);
		prefix[i] = '\0';
		hops++;
		now += 2000;
		r = router_ussd_hop(st, &rc, &h, now, &a);
		FUZZ_CHECK(r == 0 || r == 1);
		if (r == 1) {
			FUZZ_CHECK(a.why[0] != '\0');
			return;
		}
		check_page(&a);
		FUZZ_CHECK(router_ussd_hop(st, &rc, &h, now + 500, &b) == 0);
		check_page(&b);
		FUZZ_CHECK(a.end == b.end && strcmp(a.page, b.page) == 0);
		if (a.end)
			return;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ussd_form f;
	static struct router_ussd_page p1, p2;
	char why[160], phone[USSD_FORM_PHONE_MAX];
	struct router_ussd_hop h;
	size_t stars = 0;
	int r1, r2;

	setup("ussd.db");
	if (size > USSD_FORM_BODY_MAX)
		return 0;
	/* The number helper on the raw bytes (as a string). */
	{
		char s[64];
		size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;

		memcpy(s, data, n);
		s[n] = '\0';
		if (ussd_form_phone(s, phone, sizeof(phone)) == 0)
			check_phone(phone);
	}
	memset(&f, 0xa5, sizeof(f)); /* no field may rely on a zeroed struct */
	if (ussd_form_parse((const char *)data, size, &f, why, sizeof(why)) != USSD_FORM_OK) {
		check_field(why, sizeof(why));
		return 0;
	}
	check_field(f.session_id, sizeof(f.session_id));
	check_field(f.service_code, sizeof(f.service_code));
	check_field(f.phone, sizeof(f.phone));
	check_field(f.network, sizeof(f.network));
	check_field(f.text, sizeof(f.text));
	check_phone(f.phone);
	for (const char *c = f.text; *c != '\0'; c++)
		stars += *c == '*';
	FUZZ_CHECK(ussd_form_hops(f.text) == (f.text[0] == '\0' ? 0 : stars + 1));

	/* The channel answers 400 to more answers than max_hops before the
	 * router sees them (channel_ussd.c); the router itself may take more
	 * '*'s than that when the last answer is free text holding '*'s. */
	if (ussd_form_hops(f.text) > FUZZ_USSD_MAX_HOPS)
		return 0;
	fuzz_store_wipe();
	h.session_id = f.session_id;
	h.msisdn = f.phone;
	h.text = f.text;
	h.max_hops = FUZZ_USSD_MAX_HOPS;
	r1 = router_ussd_hop(st, &rc, &h, 1800000000000LL, &p1);
	FUZZ_CHECK(r1 == 0 || r1 == 1);
	if (r1 == 1) {
		check_field(p1.why, sizeof(p1.why));
		FUZZ_CHECK(p1.why[0] != '\0');
		return 0;
	}
	check_page(&p1);
	/* The operator retries: the same page, one second later. */
	r2 = router_ussd_hop(st, &rc, &h, 1800000001000LL, &p2);
	FUZZ_CHECK(r2 == 0);
	check_page(&p2);
	FUZZ_CHECK(p1.end == p2.end && strcmp(p1.page, p2.page) == 0);
	play(&f);
	return 0;
}
