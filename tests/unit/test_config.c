/* test_config.c - config_load: the shipped example, defaults, and one
 * file:line error for each kind of mistake an operator can make. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "core/log.h"

#include "config_fixture.h"

#define MODEM_OK "modems = ({ name = \"m1\"; device = \"/dev/ttyUSB0\"; });\n"

static void
check_example_values(const struct kawan_config *c)
{
	assert_string_equal(c->database, "/var/lib/kawan/kawan.db");
	assert_string_equal(c->log_level, "info");
	assert_string_equal(c->country, "MY");
	assert_int_equal(c->nmodems, 1);
	assert_string_equal(c->modems[0].name, "modem1");
	assert_string_equal(c->modems[0].device, "/dev/ttyUSB0");
	assert_string_equal(c->modems[0].connection, "at");
	assert_string_equal(c->modems[0].pin, "");
	assert_int_equal(c->modems[0].role, MODEM_ROLE_BOTH);
	assert_int_equal(c->modems[0].poll_interval_ms, 30000);
	assert_int_equal(c->modems[0].reopen_min_ms, 1000);
	assert_int_equal(c->modems[0].reopen_max_ms, 60000);
	assert_string_equal(c->modems[0].gammu_log, "");
	assert_int_equal(c->inbound.partial_timeout_ms, 600000);
	assert_int_equal(c->inbound.max_text_bytes, 4096);
	assert_int_equal(c->outbound.max_attempts, 8);
	assert_int_equal(c->outbound.retry_min_ms, 5000);
	assert_int_equal(c->outbound.retry_max_ms, 600000);
	assert_int_equal(c->outbound.report_wait_ms, 60000);
	assert_string_equal(c->router.reply_text, "Kawan helpline: we received your message.");
}

static void
test_deploy_example(void **state)
{
	struct kawan_config c;
	const char *src = getenv("KAWAN_SRCDIR");
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/deploy/kawan.cfg.example",
	    src != NULL && src[0] != '\0' ? src : ".");
	if (config_load(path, &c, err, sizeof(err)) != 0) {
		print_error("%s\n", err);
		fail();
	}
	assert_string_equal(c.source, path);
	check_example_values(&c);
}

static void
test_brief_example(void **state)
{
	struct kawan_config c;

	(void)state;
	assert_int_equal(
	    load_text(
		"# Kawan gateway configuration\n"
		"database  = \"/var/lib/kawan/kawan.db\";\n"
		"log_level = \"info\";\n"
		"country   = \"MY\";\n"
		"modems = (\n"
		"  { name = \"modem1\"; device = \"/dev/ttyUSB0\"; connection = \"at\"; pin = \"\";\n"
		"    role = \"both\";\n"
		"    poll_interval = 30.0;\n"
		"    reopen_min = 1.0; reopen_max = 60.0;\n"
		"    gammu_log = \"\";\n"
		"  }\n"
		");\n"
		"inbound  = { partial_timeout = 600.0; max_text_bytes = 4096; };\n"
		"outbound = { max_attempts = 8; retry_min = 5.0; retry_max = 600.0; };\n"
		"router   = { reply_text = \"Kawan helpline: we received your message.\"; };\n",
		&c),
	    0);
	check_example_values(&c);
	assert_string_equal(c.source, cfgpath);
}

static void
test_minimal_defaults(void **state)
{
	struct kawan_config c;

	(void)state;
	assert_int_equal(load_text(MODEM_OK, &c), 0);
	assert_string_equal(c.modems[0].name, "m1");
	/* Everything else as in the example, which spells out the defaults. */
	memcpy(c.modems[0].name, "modem1", 7);
	check_example_values(&c);
}

static void
test_full_values(void **state)
{
	struct kawan_config c;

	(void)state;
	assert_int_equal(
	    load_text(
		"database = \"/tmp/k.db\"; log_level = \"debug\"; country = \"TH\";\n"
		"modems = (\n"
		" { name = \"rx_1\"; device = \"/dev/ttyUSB0\"; role = \"receive\"; pin = \"1234\";\n"
		"   poll_interval = 0.2; reopen_min = 2; reopen_max = 2; },\n"
		" { name = \"tx-2\"; device = \"proxyat /usr/bin/sim\"; connection = \"proxyat\";\n"
		"   role = \"send\"; pin = \"12345678\"; gammu_log = \"/tmp/g.log\";\n"
		"   poll_interval = 3L; reopen_max = 86400; }\n"
		");\n"
		"inbound = { partial_timeout = 0.25; max_text_bytes = 160; };\n"
		"outbound = { max_attempts = 1; retry_min = 0.001; retry_max = 0.5;\n"
		"  report_wait = 90; };\n"
		"router = { reply_text = \"ได้รับข้อความแล้ว မင်္ဂလာပါ\"; };\n",
		&c),
	    0);
	assert_string_equal(c.database, "/tmp/k.db");
	assert_string_equal(c.log_level, "debug");
	assert_string_equal(c.country, "TH");
	assert_int_equal(c.nmodems, 2);
	assert_int_equal(c.modems[0].role, MODEM_ROLE_RECEIVE);
	assert_string_equal(c.modems[0].pin, "1234");
	assert_int_equal(c.modems[0].poll_interval_ms, 200);
	assert_int_equal(c.modems[0].reopen_min_ms, 2000);
	assert_int_equal(c.modems[0].reopen_max_ms, 2000);
	assert_string_equal(c.modems[1].connection, "proxyat");
	assert_string_equal(c.modems[1].device, "proxyat /usr/bin/sim");
	assert_int_equal(c.modems[1].role, MODEM_ROLE_SEND);
	assert_string_equal(c.modems[1].gammu_log, "/tmp/g.log");
	assert_int_equal(c.modems[1].poll_interval_ms, 3000);
	assert_int_equal(c.modems[1].reopen_min_ms, 1000);
	assert_int_equal(c.modems[1].reopen_max_ms, 86400000);
	assert_int_equal(c.inbound.partial_timeout_ms, 250);
	assert_int_equal(c.inbound.max_text_bytes, 160);
	assert_int_equal(c.outbound.max_attempts, 1);
	assert_int_equal(c.outbound.retry_min_ms, 1);
	assert_int_equal(c.outbound.retry_max_ms, 500);
	assert_int_equal(c.outbound.report_wait_ms, 90000);
	assert_string_equal(c.router.reply_text, "ได้รับข้อความแล้ว မင်္ဂလာပါ");
}

static void
test_unreadable(void **state)
{
	struct kawan_config c;
	char want[256];

	(void)state;
	snprintf(want, sizeof(want), "%s/missing.cfg: cannot read: No such file or directory",
	    tmpdir);
	assert_int_equal(config_load(want, &c, err, sizeof(err)), -1);
	want[strlen(tmpdir) + strlen("/missing.cfg")] = '\0';
	assert_int_equal(config_load(want, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/missing.cfg: cannot read: No such file or directory",
	    tmpdir);
	assert_string_equal(err, want);
	assert_int_equal(config_load(tmpdir, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory", tmpdir);
	assert_string_equal(err, want);
}

static void
test_syntax_error(void **state)
{
	(void)state;
	/* Not `log_level "info";`: libconfig 1.5 leaks its string buffer on
	 * that error, which would fail the sanitizer build. */
	expect_error("database = \"/x\";\nlog_level = info;\n" MODEM_OK, 2, "syntax error");
	expect_error(MODEM_OK "inbound = { max_text_bytes = ; };\n", 2, "syntax error");
	/* An unterminated string runs to the end of the file. */
	expect_error("database = \"/x;\n", 2, "syntax error");
	expect_error(MODEM_OK "country = \"MY\";\ncountry = \"SG\";\n", 3, "duplicate");
}

/* The ussd group: defaults, every setting, and each error at its line. */
static void
test_ussd_group(void **state)
{
	static struct kawan_config c;
	const unsigned char lo[4] = { 127, 0, 0, 1 }, ten[4] = { 10, 1, 2, 3 };
	unsigned char v6[16] = { 0 }, mapped[16] = { 0 };

	(void)state;
	assert_int_equal(load_text(MODEM_OK, &c), 0);
	assert_int_equal(c.ussd.enabled, 0);
	assert_int_equal(load_text(MODEM_OK "ussd = { };\n", &c), 0);
	assert_int_equal(c.ussd.enabled, 1);
	assert_string_equal(c.ussd.host, "127.0.0.1");
	assert_int_equal(c.ussd.port, 8080);
	assert_string_equal(c.ussd.path, "/ussd");
	assert_string_equal(c.ussd.service_codes[0], "*123#");
	assert_int_equal(c.ussd.max_sessions, 10000);
	/* The default allows this machine only, IPv4 and IPv6. */
	assert_int_equal(c.ussd.nallow, 2);
	assert_true(config_cidr_match(&c.ussd.allow[0], AF_INET, lo));
	assert_false(config_cidr_match(&c.ussd.allow[0], AF_INET, ten));
	v6[15] = 1;
	assert_true(config_cidr_match(&c.ussd.allow[1], AF_INET6, v6));

	assert_int_equal(load_text(MODEM_OK
			     "ussd = {\n listen = \"[::1]:0\"; path = \"/op/ussd\";\n"
			     " service_codes = [ \"*123#\", \"*123*4#\" ];\n"
			     " secret = \"s3cret-token\"; allow_from = [ \"10.0.0.0/8\","
			     " \"fd00::/8\" ];\n max_sessions = 50; rate_per_minute = 5;"
			     " threads = 3; max_hops = 20; };\n",
			     &c),
	    0);
	assert_string_equal(c.ussd.host, "::1");
	assert_int_equal(c.ussd.port, 0);
	assert_int_equal(c.ussd.ncodes, 2);
	assert_string_equal(c.ussd.service_codes[1], "*123*4#");
	assert_string_equal(c.ussd.secret, "s3cret-token");
	assert_int_equal(c.ussd.nallow, 2);
	assert_true(config_cidr_match(&c.ussd.allow[0], AF_INET, ten));
	assert_false(config_cidr_match(&c.ussd.allow[0], AF_INET, lo));
	/* An IPv4 client on an IPv6 socket (::ffff:10.1.2.3) is still 10/8. */
	mapped[10] = mapped[11] = 0xff;
	memcpy(mapped + 12, ten, 4);
	assert_true(config_cidr_match(&c.ussd.allow[0], AF_INET6, mapped));
	v6[0] = 0xfd;
	assert_true(config_cidr_match(&c.ussd.allow[1], AF_INET6, v6));
	assert_int_equal(c.ussd.max_sessions, 50);
	assert_int_equal(c.ussd.rate_per_minute, 5);
	assert_int_equal(c.ussd.threads, 3);
	assert_int_equal(c.ussd.max_hops, 20);

	expect_error(MODEM_OK "ussd = {\n listen = \"localhost\"; };\n", 3,
	    "'ussd.listen' must be");
	expect_error(MODEM_OK "ussd = {\n listen = \"1.2.3.4:99999\"; };\n", 3, "address:port");
	expect_error(MODEM_OK "ussd = {\n path = \"ussd\"; };\n", 3, "'ussd.path' must start");
	expect_error(MODEM_OK "ussd = {\n service_codes = [ \"123\" ]; };\n", 3,
	    "not a service code");
	expect_error(MODEM_OK "ussd = {\n service_codes = [ ]; };\n", 3, "1 to 8 codes");
	expect_error(MODEM_OK "ussd = {\n allow_from = [ \"10.0.0.0/33\" ]; };\n", 3,
	    "'ussd.allow_from' entry '10.0.0.0/33'");
	expect_error(MODEM_OK "ussd = {\n allow_from = [ ]; };\n", 3, "\"0.0.0.0/0\" allows");
	expect_error(MODEM_OK "ussd = {\n secret = \"short\"; };\n", 3, "too short");
	expect_error(MODEM_OK "ussd = {\n tls_cert = \"/c.pem\"; };\n", 3, "go together");
	expect_error(MODEM_OK "ussd = {\n tls_cert = \"/nonexistent/c.pem\";\n"
			      " tls_key = \"/nonexistent/k.pem\"; };\n",
	    3, "'ussd.tls_cert' /nonexistent/c.pem cannot be read");
	expect_error(MODEM_OK "ussd = {\n threads = 0; };\n", 3, "threads");
	expect_error(MODEM_OK "ussd = {\n max_sessions = -1; };\n", 3, "max_sessions");
	expect_error(MODEM_OK "ussd = {\n lisen = \"x\"; };\n", 3, "did you mean 'listen'");
}

static void
test_unknown_keys(void **state)
{
	(void)state;
	expect_error(MODEM_OK "\ndatabse = \"/x\";\n", 3, "unknown setting 'databse'");
	expect_error(MODEM_OK "\ndatabse = \"/x\";\n", 3, "(did you mean 'database'?)");
	expect_error(MODEM_OK "colour = \"red\";\n", 2, "unknown setting 'colour'");
	assert_null(strstr(err, "did you mean"));
	expect_error("modems = ({ name = \"m1\";\n device = \"/d\";\n devise = \"/e\"; });\n", 3,
	    "unknown setting 'modems[0].devise'");
	expect_error(MODEM_OK "inbound = {\n max_text = 200; };\n", 3,
	    "unknown setting 'inbound.max_text'");
	expect_error(MODEM_OK "outbound = { retries = 2; };\n", 2, "'outbound.retries'");
	expect_error(MODEM_OK "router = { reply = \"x\"; };\n", 2, "'router.reply'");
}

static void
test_wrong_types(void **state)
{
	(void)state;
	expect_error("database = 5;\n" MODEM_OK, 1, "'database' must be a string, not an integer");
	expect_error(MODEM_OK "outbound = {\n max_attempts = 2.5; };\n", 3,
	    "'outbound.max_attempts' must be an integer, not a number with a fraction");
	expect_error(MODEM_OK "outbound = { retry_min = \"5\"; };\n", 2,
	    "'outbound.retry_min' must be a number, not a string");
	expect_error(MODEM_OK "inbound = 5;\n", 2, "'inbound' must be a group");
	expect_error("modems = { name = \"m\"; };\n", 1, "'modems' must be a list");
	expect_error("modems = ( \"m1\" );\n", 1, "'modems[0]' must be a group");
	expect_error("modems = ({ name = \"m1\"; device = \"/d\"; role = true; });\n", 1,
	    "'modems[0].role' must be a string, not a boolean");
}

static void
test_strings(void **state)
{
	char text[2048];

	(void)state;
	expect_error("modems = ({ name = \"m1\";\n device = \"\"; });\n", 2,
	    "'modems[0].device' must not be empty");
	expect_error("modems = ({ name = \"m1\"; device = \"/d\";\n connection = \"\"; });\n", 2,
	    "'modems[0].connection' must not be empty");
	expect_error("modems = ({ name = \"m1\"; device = \"/d\"; });\ndatabase = \"\";\n", 2,
	    "'database' must not be empty");
	expect_error(
	    "modems = ({ name = \"a_name_that_is_far_too_long_for_it\"; device = \"/d\"; });\n", 1,
	    "'modems[0].name' is too long (34 bytes, at most 31)");
	snprintf(text, sizeof(text), MODEM_OK "database = \"/%0600d\";\n", 0);
	expect_error(text, 2, "'database' is too long (601 bytes, at most 511)");
	snprintf(text, sizeof(text), MODEM_OK "router = { reply_text = \"%01100d\"; };\n", 0);
	expect_error(text, 2, "'router.reply_text' is too long");
	expect_error(MODEM_OK "router = {\n reply_text = \"\"; };\n", 3,
	    "'router.reply_text' must not be empty");
	expect_error(MODEM_OK "router = {\n reply_text = \"bad \\xff byte\"; };\n", 3,
	    "not valid UTF-8");
	expect_error(MODEM_OK "log_level = \"verbose\";\n", 2, "log_level 'verbose'");
}

static void
test_country(void **state)
{
	struct kawan_config c;

	(void)state;
	expect_error(MODEM_OK "country = \"my\";\n", 2,
	    "country 'my' must be two uppercase letters");
	expect_error(MODEM_OK "country = \"M\";\n", 2, "two uppercase letters");
	expect_error(MODEM_OK "country = \"MYS\";\n", 2, "'country' is too long");
	assert_int_equal(load_text(MODEM_OK "country = \"SG\";\n", &c), 0);
	assert_string_equal(c.country, "SG");
	assert_int_equal(load_text(MODEM_OK "country = \"ZZ\";\n", &c), 0);
}

static void
test_modems(void **state)
{
	char text[2048];
	size_t off = 0;

	(void)state;
	expect_error("database = \"/x\";\n", 0, "missing required setting 'modems'");
	expect_error("modems = ();\n", 1, "at least one modem is required");
	expect_error("modems = (\n { name = \"m1\"; device = \"/d\"; },\n"
		     " { device = \"/e\"; }\n);\n",
	    3, "'modems[1]' has no 'name'");
	expect_error("modems = (\n { name = \"m1\"; }\n);\n", 2, "'modems[0]' has no 'device'");
	expect_error("modems = (\n { name = \"m1\"; device = \"/d\"; },\n"
		     " { name = \"m1\"; device = \"/e\"; }\n);\n",
	    3, "modem name 'm1' is used twice");
	expect_error("modems = ({ name = \"modem 1\"; device = \"/d\"; });\n", 1,
	    "modem name 'modem 1' may only hold");
	expect_error("modems = ({ name = \"m1\"; device = \"/d\";\n role = \"sender\"; });\n", 2,
	    "role 'sender' is not one of both, receive, send");

	off += (size_t)snprintf(text + off, sizeof(text) - off, "modems = (\n");
	for (int i = 0; i < CONFIG_MAX_MODEMS + 1; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		    " { name = \"m%d\"; device = \"/dev/ttyUSB%d\"; }%s\n", i, i,
		    i < CONFIG_MAX_MODEMS ? "," : "");
	snprintf(text + off, sizeof(text) - off, ");\n");
	expect_error(text, CONFIG_MAX_MODEMS + 2, "too many modems (9; at most 8)");
}

static void
test_pins(void **state)
{
	struct kawan_config c;

	(void)state;
	expect_error("modems = ({ name = \"m1\"; device = \"/d\";\n pin = \"12a4\"; });\n", 2,
	    "modem 'm1': pin must be empty or 4 to 8 digits");
	expect_error("modems = ({ name = \"m1\"; device = \"/d\"; pin = \"123\"; });\n", 1,
	    "pin must be");
	expect_error("modems = ({ name = \"m1\"; device = \"/d\"; pin = \"123456789\"; });\n", 1,
	    "pin must be");
	/* The PIN itself never appears in a message. */
	assert_null(strstr(err, "123456789"));
	assert_int_equal(
	    load_text("modems = ({ name = \"m1\"; device = \"/d\"; pin = \"0000\"; });\n", &c), 0);
	assert_string_equal(c.modems[0].pin, "0000");
}

static void
test_ranges(void **state)
{
	(void)state;
	expect_error(MODEM_OK "outbound = { max_attempts = 0; };\n", 2,
	    "'outbound.max_attempts' is 0; it must be from 1 to 100");
	expect_error(MODEM_OK "outbound = { max_attempts = 101; };\n", 2, "from 1 to 100");
	expect_error(MODEM_OK "inbound = { max_text_bytes = 159; };\n", 2, "from 160 to 65536");
	expect_error(MODEM_OK "inbound = { max_text_bytes = 65537; };\n", 2, "from 160 to 65536");
	expect_error(MODEM_OK "inbound = { max_text_bytes = 9999999999L; };\n", 2,
	    "from 160 to 65536");
	expect_error(MODEM_OK "inbound = { partial_timeout = 0; };\n", 2,
	    "'inbound.partial_timeout' is 0 seconds; it must be more than 0");
	expect_error(MODEM_OK "inbound = { partial_timeout = -1.5; };\n", 2, "more than 0");
	expect_error(MODEM_OK "inbound = { partial_timeout = 86400.5; };\n", 2, "at most 86400");
	expect_error(MODEM_OK "outbound = { retry_min = 0.0001; };\n", 2, "one millisecond");
	expect_error("modems = ({ name = \"m1\"; device = \"/d\";\n poll_interval = 0.0; });\n", 2,
	    "'modems[0].poll_interval'");
	expect_error(
	    "modems = ({ name = \"m1\"; device = \"/d\";\n reopen_min = 10;\n reopen_max = 5; });\n",
	    3, "'modems[0]': reopen_min (10.000 s) must not exceed reopen_max (5.000 s)");
	/* Only one side set: point at it; the other is its default. */
	expect_error("modems = ({ name = \"m1\"; device = \"/d\";\n reopen_min = 61; });\n", 2,
	    "reopen_min (61.000 s) must not exceed reopen_max (60.000 s)");
	expect_error(MODEM_OK "outbound = {\n retry_min = 30;\n retry_max = 10; };\n", 4,
	    "'outbound': retry_min (30.000 s) must not exceed retry_max (10.000 s)");
}

static void
test_failure_leaves_output(void **state)
{
	struct kawan_config c;

	(void)state;
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(load_text(MODEM_OK "country = \"xx\";\n", &c), -1);
	assert_int_equal((unsigned char)c.database[0], 0x5a);
	/* A tiny error buffer is not overrun. */
	{
		char small[8];

		memset(small, 'x', sizeof(small));
		assert_int_equal(config_load(cfgpath, &c, small, sizeof(small)), -1);
		assert_int_equal(small[7], '\0');
	}
}

/* The content group: defaults, relative paths from the file's folder,
 * send_mode, and its errors with their lines. */
static void
test_content_and_send_mode(void **state)
{
	static struct kawan_config c;
	char want[256];

	(void)state;
	assert_int_equal(load_text(MODEM_OK, &c), 0);
	assert_string_equal(c.content.key_more, "98");
	assert_int_equal(c.content.ussd_gsm7, 182);
	assert_int_equal(c.content.serve_fuzzy, 0);
	assert_int_equal(c.modems[0].send_mode, SEND_MODE_STORAGE);
	assert_int_equal(
	    load_text(
		"modems = ({ name = \"m1\"; device = \"/d\"; send_mode = \"direct\"; });\n"
		"content = { menus = \"../menus\"; translations = \"/abs/tr\"; serve_fuzzy = true;\n"
		" ussd_timeout = 20.5; key_more = \"9\"; };\n",
		&c),
	    0);
	assert_int_equal(c.modems[0].send_mode, SEND_MODE_DIRECT);
	snprintf(want, sizeof(want), "%s/../menus", tmpdir);
	assert_string_equal(c.content.menus, want);
	assert_string_equal(c.content.translations, "/abs/tr");
	assert_int_equal(c.content.serve_fuzzy, 1);
	assert_int_equal(c.content.ussd_timeout_ms, 20500);
	expect_error("modems = ({ name = \"m1\"; device = \"/d\";\n send_mode = \"fast\"; });\n", 2,
	    "send_mode 'fast' is not one of storage, direct");
	expect_error(MODEM_OK "content = {\n key_back = \"x\"; };\n", 3, "must be 1 to 3 digits");
	expect_error(MODEM_OK "content = {\n key_back = \"98\"; };\n", 2, "must differ");
	expect_error(MODEM_OK "content = {\n serve_fuzzy = 1; };\n", 3, "must be a boolean");
	expect_error(MODEM_OK "content = {\n ussd_gsm7 = 300; };\n", 3, "from 40 to 182");
	expect_error(MODEM_OK "content = {\n menu = \"x\"; };\n", 3, "(did you mean 'menus'?)");
}

#define HASH                                                                                       \
	"$6$kawanexample$TT8mEzJtpfHRQbPnyU/lzdOiuM9tZB4WtePCX0D1UDvazv2fmic.UdpRppDtqjnjhWY13FOKZj/qCPJ4S7qoZ/"

/* Officer rosters, the NGO desk and report settings, with their errors. */
static void
test_rosters_and_reports(void **state)
{
	static struct kawan_config c;

	(void)state;
	assert_int_equal(load_text(MODEM_OK, &c), 0);
	assert_int_equal(c.nrosters, 0);
	assert_int_equal(c.reports.ack_timeout_ms, 300000);
	assert_int_equal(c.reports.notify_worker_on_ack, 1);
	assert_int_equal(
	    load_text(MODEM_OK
		"reports = { ack_timeout = 120.0; max_reminders = 3; notify_worker_on_ack = false; };\n"
		"officers = (\n"
		" { nationality = \"MM\";\n"
		"   officers = ( { name = \"Aung\"; number = \"+60111\"; pin_hash = \"" HASH
		"\"; },\n"
		"                { name = \"Thida\"; number = \"+60112\"; pin_hash = \"" HASH
		"\"; } );\n"
		"   supervisor = { name = \"Sup\"; number = \"+60119\"; pin_hash = \"" HASH
		"\"; }; },\n"
		" { nationality = \"ID\"; officers = ( { name = \"Sari\"; number = \"+60121\"; pin_hash = \"" HASH
		"\"; } ); }\n"
		");\n"
		"ngo_desk = { name = \"Desk\"; number = \"+60199\"; pin_hash = \"" HASH "\"; };\n",
		&c),
	    0);
	assert_int_equal(c.reports.ack_timeout_ms, 120000);
	assert_int_equal(c.reports.notify_worker_on_ack, 0);
	assert_int_equal(c.nrosters, 2);
	assert_string_equal(c.rosters[0].nationality, "MM");
	assert_int_equal(c.rosters[0].nofficers, 2);
	assert_string_equal(c.rosters[0].officers[1].name, "Thida");
	assert_string_equal(c.rosters[0].supervisor.number, "+60119");
	assert_string_equal(c.rosters[1].supervisor.number, "");
	assert_string_equal(c.ngo_desk.name, "Desk");
	/* A PIN where the hash belongs is refused, and not echoed. */
	expect_error(MODEM_OK
	    "ngo_desk = { name = \"D\"; number = \"+601\";\n pin_hash = \"1234\"; };\n",
	    3, "must be a crypt(3) hash");
	assert_null(strstr(err, "1234\""));
	expect_error(MODEM_OK
	    "ngo_desk = { name = \"D\";\n number = \"call me\"; pin_hash = \"" HASH "\"; };\n",
	    3, "must be digits");
	expect_error(MODEM_OK "ngo_desk = { name = \"D\"; number = \"+601\"; pin_hash = \"" HASH
			      "\";\n pin = \"1\"; };\n",
	    3, "unknown setting");
	expect_error(MODEM_OK
	    "officers = (\n { nationality = \"Myanmar\"; officers = ( { name = \"A\"; number = \"+601\"; pin_hash = \"" HASH
	    "\"; } ); } );\n",
	    3, "two uppercase letters");
	expect_error(MODEM_OK "officers = (\n { nationality = \"MM\"; officers = ( ); } );\n", 3,
	    "1 to 8 officers");
	expect_error(MODEM_OK
	    "officers = (\n { nationality = \"MM\"; officers = ( { name = \"A\"; number = \"+601\"; pin_hash = \"" HASH
	    "\"; } ); },\n"
	    " { nationality = \"MM\"; officers = ( { name = \"B\"; number = \"+602\"; pin_hash = \"" HASH
	    "\"; } ); } );\n",
	    2, "two rosters for nationality MM");
	expect_error(MODEM_OK "reports = {\n ack_timeout = 0; };\n", 3, "must be more than 0");
	expect_error(MODEM_OK "reports = {\n ack_timout = 5; };\n", 3,
	    "did you mean 'ack_timeout'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deploy_example),
		cmocka_unit_test(test_brief_example),
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_full_values),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_ussd_group),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_country),
		cmocka_unit_test(test_modems),
		cmocka_unit_test(test_pins),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_failure_leaves_output),
		cmocka_unit_test(test_content_and_send_mode),
		cmocka_unit_test(test_rosters_and_reports),
	};

	log_init("test_config", LOG_LEVEL_WARN);
	return cmocka_run_group_tests(tests, cfx_cfg_setup, cfx_cfg_teardown);
}
