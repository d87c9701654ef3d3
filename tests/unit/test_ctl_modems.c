/* test_ctl_modems.c - `kawanctl modems`' output (ctl_modems_write) on a
 * fixture database filled through the store: the table's header, one row
 * per modem named in modem_sim or modem_health with its SIM, state and
 * age, signal, registration, operator, parts, balance (LOW when told),
 * last error (control characters shown as spaces), and the JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "store/store_health.h"
#include "store_fixture.h"

#define NOW 1800000000000LL /* 2027-01-15T08:00:00Z */

static void
fill(struct store *st)
{
	struct store_health h = { 0 };
	char prev[24];

	assert_int_equal(store_modem_seen(st, "maxis1", "502120000000001", "", "/dev/kawan-maxis",
			     NOW - 7200000, prev, sizeof(prev)),
	    0);
	assert_int_equal(store_modem_set_up(st, "maxis1", true, NOW - 7200000), 0);
	assert_int_equal(store_modem_seen(st, "celcom1", "502130000000002", "", "/dev/kawan-celcom",
			     NOW - 600000, prev, sizeof(prev)),
	    0);
	assert_int_equal(store_modem_set_up(st, "celcom1", false, NOW - 90000), 0);
	(void)snprintf(h.name, sizeof(h.name), "maxis1");
	h.read_ms = NOW - 30000;
	h.signal_dbm = -63;
	h.signal_pct = 75;
	(void)snprintf(h.reg, sizeof(h.reg), "home");
	(void)snprintf(h.operator_name, sizeof(h.operator_name), "Maxis");
	(void)snprintf(h.network_code, sizeof(h.network_code), "502 12");
	h.parts_hour = 12;
	h.parts_day = 140;
	assert_int_equal(store_health_put(st, &h), 0);
	assert_int_equal(
	    store_health_balance(st, "maxis1", true, 350, "Baki \"RM3.50\"", NOW - 60000), 0);
	assert_int_equal(store_health_set_low(st, "maxis1", true), 0);
	assert_int_equal(store_health_error(st, "celcom1", "link lost\x1b[31m red", NOW - 90000),
	    0);
}

static char *
render(struct store *st, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(ctl_modems_write(st, json, NOW, fp), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
test_table(void **state)
{
	struct sfx_db *f = *state;
	char *out, *line2, *line3;

	fill(f->st);
	out = render(f->st, false);
	assert_true(strncmp(out, "NAME       IMSI            STATE      SIGNAL", 44) == 0);
	/* Rows by name: celcom1 first. */
	line2 = strchr(out, '\n') + 1;
	line3 = strchr(line2, '\n') + 1;
	assert_true(strncmp(line2, "celcom1    502130000000002 down 1m    -", 39) == 0);
	assert_non_null(strstr(line2, "0/0"));
	assert_non_null(strstr(line2, "link lost [31m red")); /* ESC shown as a space */
	assert_null(strchr(line2, '\x1b'));
	static const char want[] =
	    "maxis1     502120000000001 up 2h00m   -63 dBm 75%   home      Maxis   ";

	if (strncmp(line3, want, strlen(want)) != 0)
		fail_msg("row: %.120s", line3);
	assert_non_null(strstr(line3, "12/140    30s    3.50 LOW (1m)"));
	assert_non_null(strstr(out, "(2 modems)\n"));
	free(out);
}

static void
test_json(void **state)
{
	struct sfx_db *f = *state;
	char *out;

	fill(f->st);
	out = render(f->st, true);
	assert_true(out[0] == '[');
	assert_non_null(strstr(out, "{\"name\": \"celcom1\", \"imsi\": \"502130000000002\", "
				    "\"device\": \"/dev/kawan-celcom\", \"up\": false"));
	assert_non_null(strstr(out, "\"signal_dbm\": null"));
	assert_non_null(strstr(out, "\"balance\": null"));
	assert_non_null(strstr(out, "\"last_error\": \"link lost\\u001b[31m red\""));
	assert_non_null(strstr(out, "\"up\": true, \"since\": \"2027-01-15T06:00:00Z\""));
	assert_non_null(strstr(out, "\"signal_dbm\": -63, \"signal_percent\": 75, "
				    "\"registration\": \"home\", \"operator\": \"Maxis\", "
				    "\"network_code\": \"502 12\", \"parts_hour\": 12, "
				    "\"parts_day\": 140, \"balance\": 3.50, "
				    "\"balance_text\": \"Baki \\\"RM3.50\\\"\""));
	assert_non_null(strstr(out, "\"low_balance_told\": true"));
	assert_true(strcmp(out + strlen(out) - 3, "}\n]") == 0 ||
		    strcmp(out + strlen(out) - 4, "}\n]\n") == 0);
	free(out);
}

static void
test_empty(void **state)
{
	struct sfx_db *f = *state;
	char *out = render(f->st, false);

	assert_non_null(strstr(out, "(0 modems)\n"));
	free(out);
	out = render(f->st, true);
	assert_string_equal(out, "[]\n");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_json, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_empty, sfx_setup, sfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
