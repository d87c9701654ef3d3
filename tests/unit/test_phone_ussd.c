/* test_phone_ussd.c - the terminal phone's side of the USSD HTTP dialect
 * (sim/modem/ussdwire.c): the form body of a hop, percent-encoded as
 * curl_easy_escape does; the answers' history; "CON"/"END" answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/log.h"
#include "sbuf.h"
#include "ussdwire.h"

static void
expect_escape(const char *in, const char *want)
{
	struct sbuf b;

	sbuf_init(&b);
	assert_int_equal(ussdwire_escape(&b, in, strlen(in)), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, want);
	sbuf_free(&b);
}

static void
test_escape(void **state)
{
	(void)state;
	expect_escape("", "");
	expect_escape("AZaz09-._~", "AZaz09-._~");
	expect_escape("*123#", "%2A123%23");
	expect_escape("+60123456789", "%2B60123456789");
	expect_escape("a b", "a%20b"); /* a space is %20, never '+' */
	expect_escape("1*Jalan Ampang 12", "1%2AJalan%20Ampang%2012");
	expect_escape("&=%?/", "%26%3D%25%3F%2F");
	/* UTF-8: every byte, upper-case hex */
	expect_escape("é", "%C3%A9");
	expect_escape("ก", "%E0%B8%81");          /* Thai ko kai */
	expect_escape("ក", "%E1%9E%80");          /* Khmer ka */
	expect_escape("မ", "%E1%80%99");          /* Burmese ma */
	expect_escape("\x7f\x01\n", "%7F%01%0A"); /* control bytes too */
}

static void
test_form(void **state)
{
	struct ussdwire_req r = { "ATUid_0a1b", "*123#", "+60123456789", "50212", "" };
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	assert_int_equal(ussdwire_form(&b, &r), 0);
	assert_string_equal(b.data,
	    "sessionId=ATUid_0a1b&serviceCode=%2A123%23&phoneNumber=%2B60123456789"
	    "&networkCode=50212&text=");
	/* a later hop: the history, with a free-text answer holding '*', spaces and Thai */
	sbuf_reset(&b);
	r.text = "2*1*ซอย 5 * บ้าน";
	r.phone_number = "60123456789";
	assert_int_equal(ussdwire_form(&b, &r), 0);
	assert_string_equal(b.data,
	    "sessionId=ATUid_0a1b&serviceCode=%2A123%23&phoneNumber=60123456789"
	    "&networkCode=50212&text=2%2A1%2A%E0%B8%8B%E0%B8%AD%E0%B8%A2%205%20%2A"
	    "%20%E0%B8%9A%E0%B9%89%E0%B8%B2%E0%B8%99");
	/* values are escaped, so '&' and '=' cannot forge a field */
	sbuf_reset(&b);
	r.session_id = "x&text=9";
	r.text = "a=b";
	assert_int_equal(ussdwire_form(&b, &r), 0);
	assert_non_null(strstr(b.data, "sessionId=x%26text%3D9&"));
	assert_non_null(strstr(b.data, "&text=a%3Db"));
	assert_null(strstr(b.data, "&text=9"));
	sbuf_free(&b);
}

static void
test_history(void **state)
{
	struct sbuf t;

	(void)state;
	sbuf_init(&t);
	assert_int_equal(ussdwire_history_add(&t, "2"), 0);
	assert_string_equal(t.data, "2");
	assert_int_equal(ussdwire_history_add(&t, "1"), 0);
	assert_string_equal(t.data, "2*1");
	assert_int_equal(ussdwire_history_add(&t, "Jalan Ampang 12"), 0);
	assert_string_equal(t.data, "2*1*Jalan Ampang 12");
	sbuf_free(&t);
}

static void
expect_page(const char *body, enum ussdwire_kind want_kind, const char *want_page)
{
	enum ussdwire_kind kind = want_kind == USSDWIRE_CON ? USSDWIRE_END : USSDWIRE_CON;
	const char *page = NULL;

	assert_int_equal(ussdwire_parse(body, &kind, &page), 0);
	assert_int_equal(kind, want_kind);
	assert_non_null(page);
	assert_string_equal(page, want_page);
}

static void
expect_refused(const char *body)
{
	enum ussdwire_kind kind = USSDWIRE_END;
	const char *page = "untouched";

	assert_int_equal(ussdwire_parse(body, &kind, &page), -1);
	assert_int_equal(kind, USSDWIRE_END);
	assert_string_equal(page, "untouched");
}

static void
test_parse(void **state)
{
	(void)state;
	expect_page("CON Welcome\n1 Help\n2 Language", USSDWIRE_CON, "Welcome\n1 Help\n2 Language");
	expect_page("END Your reference is K7QX", USSDWIRE_END, "Your reference is K7QX");
	expect_page("END ជំនួយ 999", USSDWIRE_END, "ជំនួយ 999");
	expect_page("CON ", USSDWIRE_CON, "");
	expect_page("END", USSDWIRE_END, "");
	expect_page("CON  two spaces", USSDWIRE_CON, " two spaces");
	/* neither CON nor END: an error */
	expect_refused("");
	expect_refused("Hello");
	expect_refused("CONTINUE here");
	expect_refused("ENDING");
	expect_refused("con lower case");
	expect_refused(" CON leading space");
	expect_refused("CO");
	expect_refused("<html>403 Forbidden</html>");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_parse),
	};

	log_init("test_phone_ussd", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
