/* test_pin.c - officers' PINs (config_pin.c, issue 11): what a PIN may be,
 * the hash check, and the start-up check that refuses the examples'
 * placeholder and hashes of trivially guessable PINs (the example once
 * shipped the hash of 1234), naming the person, never the PIN. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

/* The hash the examples shipped until issue 11: PIN 1234. */
#define OLD_EXAMPLE_HASH                                                                           \
	"$6$kawanexample$TT8mEzJtpfHRQbPnyU/lzdOiuM9tZB4WtePCX0D1UDvazv2fmic."                     \
	"UdpRppDtqjnjhWY13FOKZj/qCPJ4S7qoZ/"

/* A SHA-512 crypt hash of pin (fixed salt: reproducible). */
static void
hash_of(const char *pin, char *out, size_t outsz)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *h;

	assert_non_null(cd);
	h = crypt_r(pin, "$6$rounds=1000$kawanunit$", cd);
	assert_non_null(h);
	assert_true(strlen(h) < outsz);
	snprintf(out, outsz, "%s", h);
	free(cd);
}

static void
test_weak(void **state)
{
	static const char *const weak[] = { "", "1234", "12345", "48219", "1234567890123", "48a193",
		" 482193", "000000", "999999", "1111111", "123456", "234567", "890123", "01234567",
		"654321", "987654", "3210987", "121212", "123123", "112233", "159753", "147258",
		"12341234", NULL };
	static const char *const fine[] = { "482193", "604192738815", "7301946", "55120933",
		"102938", NULL };

	(void)state;
	for (size_t i = 0; weak[i] != NULL; i++) {
		if (config_pin_weak(weak[i]) == NULL)
			fail_msg("'%s' should be refused", weak[i]);
	}
	for (size_t i = 0; fine[i] != NULL; i++) {
		const char *why = config_pin_weak(fine[i]);

		if (why != NULL)
			fail_msg("'%s' refused: %s", fine[i], why);
	}
}

static void
test_match(void **state)
{
	char h[CONFIG_HASH_MAX];

	(void)state;
	hash_of("482193", h, sizeof(h));
	assert_true(config_pin_match("482193", h));
	assert_false(config_pin_match("482194", h));
	assert_false(config_pin_match("", h));
	assert_false(config_pin_match("482193", CONFIG_PIN_PLACEHOLDER));
	assert_false(config_pin_match("482193", ""));
	assert_false(config_pin_match(NULL, h));
	assert_true(config_pin_match("1234", OLD_EXAMPLE_HASH));
}

static void
one_officer(struct kawan_config *c, const char *hash)
{
	config_default(c);
	c->nrosters = 1;
	snprintf(c->rosters[0].nationality, 3, "MM");
	c->rosters[0].nofficers = 2;
	snprintf(c->rosters[0].officers[0].name, sizeof(c->rosters[0].officers[0].name), "Ko Aung");
	snprintf(c->rosters[0].officers[0].number, sizeof(c->rosters[0].officers[0].number),
	    "+60191357924");
	snprintf(c->rosters[0].officers[1].name, sizeof(c->rosters[0].officers[1].name), "Ma Hla");
	snprintf(c->rosters[0].officers[1].number, sizeof(c->rosters[0].officers[1].number),
	    "+60191357925");
	snprintf(c->rosters[0].officers[0].pin_hash, CONFIG_HASH_MAX, "%s", hash);
	snprintf(c->rosters[0].officers[1].pin_hash, CONFIG_HASH_MAX, "%s", hash);
}

static void
test_pins_check(void **state)
{
	static struct kawan_config c;
	static const char *const trivial[] = { "123456", "000000", "7777777", "87654321", "121212",
		"0000", NULL };
	char h[CONFIG_HASH_MAX], err[CONFIG_ERROR_MAX];

	(void)state;
	hash_of("482193", h, sizeof(h));
	one_officer(&c, h);
	assert_int_equal(config_pins_check(&c, err, sizeof(err)), 0);

	/* The hash the examples used to ship (PIN 1234): refused, naming the officer. */
	one_officer(&c, OLD_EXAMPLE_HASH);
	assert_int_equal(config_pins_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Ko Aung"));
	assert_non_null(strstr(err, "+60191357924"));
	assert_non_null(strstr(err, "kawanctl pin-hash"));
	assert_null(strstr(err, "1234"));

	for (size_t i = 0; trivial[i] != NULL; i++) {
		hash_of(trivial[i], h, sizeof(h));
		one_officer(&c, h);
		/* The second officer has the weak one: the first is fine. */
		hash_of("482193", c.rosters[0].officers[0].pin_hash, CONFIG_HASH_MAX);
		if (config_pins_check(&c, err, sizeof(err)) != -1)
			fail_msg("the hash of '%s' was accepted", trivial[i]);
		assert_non_null(strstr(err, "Ma Hla"));
		assert_null(strstr(err, trivial[i]));
	}

	/* The examples' placeholder loads (kawanctl works) but the gateway refuses it. */
	one_officer(&c, CONFIG_PIN_PLACEHOLDER);
	assert_int_equal(config_pins_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "kawanctl pin-hash"));
	assert_non_null(strstr(err, "Ko Aung"));

	/* The supervisor and the NGO desk are checked too. */
	hash_of("482193", h, sizeof(h));
	one_officer(&c, h);
	snprintf(c.ngo_desk.name, sizeof(c.ngo_desk.name), "Desk");
	snprintf(c.ngo_desk.number, sizeof(c.ngo_desk.number), "+60130000000");
	snprintf(c.ngo_desk.pin_hash, CONFIG_HASH_MAX, "%s", CONFIG_PIN_PLACEHOLDER);
	assert_int_equal(config_pins_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NGO desk 'Desk'"));
}

/* Where a command carries its PIN: the same grammar reports/ parses. */
static void
test_span(void **state)
{
	static const struct {
		const char *text;
		int off, len; /* -1: none */
	} cases[] = {
		{ "ACK K7Q2 123456", 9, 6 },
		{ "  ack\tk7q2  99 ", 12, 2 },
		{ "NOTE K7Q2 482193 called her", 10, 6 },
		{ "Close K7Q2 482193 safe", 11, 6 },
		{ "LIST 482193", 5, 6 },
		{ "list\r\n482193\r\n", 6, 6 },
		{ "LIST", -1, 0 },
		{ "ACK K7Q2", -1, 0 },
		{ "ACKK K7Q2 482193", -1, 0 },
		{ "HELP 482193", -1, 0 },
		{ "", -1, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t off = 0, len = 0;
		bool found = config_pin_span(cases[i].text, &off, &len);

		assert_int_equal(found, cases[i].off >= 0);
		if (found) {
			assert_int_equal(off, cases[i].off);
			assert_int_equal(len, cases[i].len);
		}
	}
	assert_false(config_pin_span(NULL, NULL, NULL));
}

/* The shipped example loads (kawanctl can read it) and ships no usable hash. */
static void
test_example_has_no_pin(void **state)
{
	static struct kawan_config c;
	const char *src = getenv("KAWAN_SRCDIR");
	char path[512], err[CONFIG_ERROR_MAX];

	(void)state;
	snprintf(path, sizeof(path), "%s/deploy/kawan.cfg.example",
	    src != NULL && src[0] != '\0' ? src : ".");
	assert_int_equal(config_load(path, &c, err, sizeof(err)), 0);
	assert_true(c.nrosters > 0);
	assert_string_equal(c.rosters[0].officers[0].pin_hash, CONFIG_PIN_PLACEHOLDER);
	assert_int_equal(config_pins_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "run `kawanctl pin-hash`"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_pins_check),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_example_has_no_pin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
