/* test_sim_at.c - the simulated modem's AT dialogue through its public API:
 * bytes in with modem_feed, replies read from m->out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "control.h"
#include "core/log.h"
#include "core/util.h"
#include "modem.h"

static struct modem *
modem_new(const char *pin, int capacity)
{
	static struct modem m;
	struct modem_config cfg = { .pin = pin, .smsc = "+60120000015", .capacity = capacity };
	assert_int_equal(modem_init(&m, &cfg), 0);
	return &m;
}

/* Sends one command and returns the reply (valid until the next call). */
static const char *
at(struct modem *m, const char *cmd)
{
	static char buf[65536];
	sbuf_reset(&m->out);
	modem_feed(m, cmd, strlen(cmd));
	snprintf(buf, sizeof(buf), "%s", m->out.data ? m->out.data : "");
	return buf;
}

static const char *
ctl(struct modem *m, const char *line)
{
	static struct sbuf out;
	sbuf_reset(&out);
	control_handle(m, NULL, line, &out);
	return out.data;
}

static void
test_at_init_sequence(void **state)
{
	(void)state;
	struct modem *m = modem_new(NULL, 30);
	assert_string_equal(at(m, "AT\r"), "AT\r\r\nOK\r\n");
	assert_string_equal(at(m, "ATE0\r"), "ATE0\r\r\nOK\r\n");
	assert_string_equal(at(m, "AT\r"), "\r\nOK\r\n");
	assert_string_equal(at(m, "ATE1\r"), "\r\nOK\r\n");
	assert_string_equal(at(m, "AT+MODE=2\r"), "AT+MODE=2\r\r\nERROR\r\n");
	assert_string_equal(at(m, "AT+CMEE=1\r"), "AT+CMEE=1\r\r\nOK\r\n");
	assert_string_equal(at(m, "AT+CSCS?\r"), "AT+CSCS?\r\r\n+CSCS: \"GSM\"\r\n\r\nOK\r\n");
	assert_string_equal(at(m, "AT+CGMI\r"), "AT+CGMI\r\r\nKawan\r\n\r\nOK\r\n");
	assert_string_equal(at(m, "AT+CPIN?\r"), "AT+CPIN?\r\r\n+CPIN: READY\r\n\r\nOK\r\n");
	assert_string_equal(at(m, "AT+BOGUS\r"), "AT+BOGUS\r\r\nERROR\r\n");
	/* commands split across reads still work */
	assert_string_equal(at(m, "AT+CS"), "");
	assert_string_equal(at(m, "Q\r"), "AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
	modem_free(m);
}

static void
test_at_pin(void **state)
{
	(void)state;
	struct modem *m = modem_new("1234", 30);
	at(m, "ATE0\rAT+CMEE=1\r");
	assert_string_equal(at(m, "AT+CPIN?\r"), "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
	assert_string_equal(at(m, "AT+CMGL=4\r"), "\r\n+CME ERROR: 11\r\n");
	assert_string_equal(at(m, "AT+CPIN=\"0000\"\r"), "\r\n+CME ERROR: 16\r\n");
	assert_string_equal(at(m, "AT+CPIN=\"1234\"\r"), "\r\nOK\r\n");
	assert_string_equal(at(m, "AT+CPIN?\r"), "\r\n+CPIN: READY\r\n\r\nOK\r\n");
	modem_free(m);
}

static void
test_at_inject_list_read_delete(void **state)
{
	(void)state;
	struct modem *m = modem_new(NULL, 2);
	at(m, "ATE0\rAT+CNMI=2,1,0,2,0\r");
	sbuf_reset(&m->out);
	assert_string_equal(ctl(m, "INJECT +60123456789 68656c6c6f"), "OK 1\n");
	assert_string_equal(m->out.data, "\r\n+CMTI: \"SM\",1\r\n");
	assert_string_equal(ctl(m, "INJECT +60123456789 776f726c64"), "OK 1\n");
	/* the SIM is full: the third waits on the network */
	assert_string_equal(ctl(m, "INJECT +60123456789 6d6f7265"), "OK 1\n");
	assert_non_null(strstr(ctl(m, "STATS"), "stored=2 waiting=1 cmti=2"));
	const char *r = at(m, "AT+CPMS=\"SM\",\"SM\",\"SM\"\r");
	assert_string_equal(r, "\r\n+CPMS: 2,2,2,2,2,2\r\n\r\nOK\r\n");
	r = at(m, "AT+CMGL=4\r");
	assert_non_null(strstr(r, "+CMGL: 1,0,,"));
	assert_non_null(strstr(r, "+CMGL: 2,0,,"));
	r = at(m, "AT+CMGR=1\r");
	assert_non_null(strstr(r, "+CMGR: 1,,"));
	assert_string_equal(at(m, "AT+CMGR=3\r"), "\r\n+CMS ERROR: 321\r\n");
	/* deleting frees a slot; the waiting message arrives in it */
	assert_string_equal(at(m, "AT+CMGD=1\r"), "\r\nOK\r\n\r\n+CMTI: \"SM\",1\r\n");
	assert_non_null(strstr(ctl(m, "STATS"), "stored=2 waiting=0 cmti=3"));
	assert_string_equal(at(m, "AT+CMGD=1,4\r"), "\r\nOK\r\n");
	assert_non_null(strstr(ctl(m, "STATS"), "stored=0"));
	modem_free(m);
}

static void
test_at_cmgs_and_faults(void **state)
{
	(void)state;
	struct modem *m = modem_new(NULL, 30);
	at(m, "ATE0\r");
	/* "hello" to 1234, relative VP, GSM-7, with an empty SMSC prefix */
	assert_string_equal(at(m, "AT+CMGS=15\r"), "\r\n> ");
	assert_string_equal(at(m, "00"
				  "1100048121430000AA05E8329BFD06\x1a"),
	    "\r\n+CMGS: 1\r\n\r\nOK\r\n");
	/* a bad PDU */
	at(m, "AT+CMGS=3\r");
	assert_string_equal(at(m, "00110004\x1a"), "\r\n+CMS ERROR: 304\r\n");
	/* ESC cancels */
	at(m, "AT+CMGS=15\r");
	assert_string_equal(at(m, "0011\x1b"), "\r\nOK\r\n");
	/* an injected fault */
	assert_string_equal(ctl(m, "FAULT CMS 1 38"), "OK\n");
	at(m, "AT+CMGS=15\r");
	assert_string_equal(at(m, "001100048121430000AA05E8329BFD06\x1a"),
	    "\r\n+CMS ERROR: 38\r\n");
	const char *sent = ctl(m, "SENT");
	assert_non_null(strstr(sent, "MSG 1 1234 gsm7 none 1 68656c6c6f "));
	assert_non_null(strstr(sent, "OK 1\n"));
	assert_non_null(strstr(ctl(m, "STATS"), "cmgs=3 cmgs_err=2"));
	/* mute: nothing comes back */
	ctl(m, "FAULT MUTE on");
	assert_string_equal(at(m, "AT\r"), "");
	ctl(m, "FAULT MUTE off");
	assert_string_equal(at(m, "AT\r"), "\r\nOK\r\n");
	modem_free(m);
}

static void
test_at_cmgw_cmss(void **state)
{
	(void)state;
	struct modem *m = modem_new(NULL, 30);
	at(m, "ATE0\r");
	assert_string_equal(at(m, "AT+CMGW=15,2\r"), "\r\n> ");
	assert_string_equal(at(m, "001100048121430000AA05E8329BFD06\x1a"),
	    "\r\n+CMGW: 1\r\n\r\nOK\r\n");
	assert_non_null(strstr(ctl(m, "SIM"), "SMS 1 unsent "));
	assert_non_null(strstr(at(m, "AT+CMGL=4\r"), "+CMGL: 1,2,,15"));
	assert_string_equal(at(m, "AT+CMSS=1\r"), "\r\n+CMSS: 1\r\n\r\nOK\r\n");
	assert_non_null(strstr(ctl(m, "SIM"), "SMS 1 sent "));
	assert_non_null(strstr(ctl(m, "SENT"), "MSG 1 1234 gsm7 none 1 68656c6c6f "));
	assert_string_equal(at(m, "AT+CMSS=2\r"), "\r\n+CMS ERROR: 321\r\n");
	ctl(m, "FAULT CMS 1");
	assert_string_equal(at(m, "AT+CMSS=1\r"), "\r\n+CMS ERROR: 500\r\n");
	assert_string_equal(at(m, "AT+CMGD=0,2\r"), "\r\nOK\r\n");
	assert_non_null(strstr(ctl(m, "STATS"), "stored=0"));
	modem_free(m);
}

/* FAULT DELAY: the next send is taken (and listed by SENT) at once, but its
 * answer, and every byte after it, stays held until the delay ran out. */
static void
test_at_send_delay(void **state)
{
	(void)state;
	struct modem *m = modem_new(NULL, 30);
	at(m, "ATE0\r");
	assert_string_equal(ctl(m, "FAULT DELAY 5000"), "OK\n");
	int64_t t0 = util_mono_ms();
	at(m, "AT+CMGS=15\r");
	assert_string_equal(at(m, "001100048121430000AA05E8329BFD06\x1a"),
	    "\r\n+CMGS: 1\r\n\r\nOK\r\n");
	assert_true(modem_out_held(m, util_mono_ms()));
	int t = modem_timeout(m, util_mono_ms());
	assert_true(t > 0 && t <= 5000);
	assert_non_null(strstr(ctl(m, "EVENTS"), "DELAY 5000"));
	assert_non_null(strstr(ctl(m, "SENT"), "MSG 1 1234 gsm7 none 1 68656c6c6f "));
	modem_tick(m, t0 + 4000);
	assert_true(modem_out_held(m, t0 + 4000));
	modem_tick(m, t0 + 5001);
	assert_false(modem_out_held(m, t0 + 5001));
	assert_int_equal(modem_timeout(m, t0 + 5001), -1);
	/* one send only: the next answer flows at once */
	at(m, "AT+CMGS=15\r");
	assert_string_equal(at(m, "001100048121430000AA05E8329BFD06\x1a"),
	    "\r\n+CMGS: 2\r\n\r\nOK\r\n");
	assert_false(modem_out_held(m, util_mono_ms()));
	/* AT+CMSS too */
	at(m, "AT+CMGW=15,2\r");
	at(m, "001100048121430000AA05E8329BFD06\x1a");
	assert_string_equal(ctl(m, "FAULT DELAY 100"), "OK\n");
	assert_string_equal(at(m, "AT+CMSS=1\r"), "\r\n+CMSS: 3\r\n\r\nOK\r\n");
	assert_true(modem_out_held(m, util_mono_ms()));
	assert_non_null(strstr(ctl(m, "EVENTS"), "DELAY 100"));
	/* a power cycle (UNPLUG) drops the hold with the output */
	modem_reset(m);
	assert_false(modem_out_held(m, util_mono_ms()));
	assert_memory_equal(ctl(m, "FAULT DELAY x"), "ERR", 3);
	assert_memory_equal(ctl(m, "FAULT DELAY -1"), "ERR", 3);
	modem_free(m);
}

static void
test_control_rejects_garbage(void **state)
{
	(void)state;
	struct modem *m = modem_new(NULL, 30);
	assert_memory_equal(ctl(m, ""), "ERR", 3);
	assert_memory_equal(ctl(m, "INJECT"), "ERR", 3);
	assert_memory_equal(ctl(m, "INJECT +6012 zz"), "ERR", 3);
	assert_memory_equal(ctl(m, "INJECT +6012 c0af"), "ERR", 3); /* invalid UTF-8 */
	assert_memory_equal(ctl(m, "INJECT +6012 41 coding=nope"), "ERR", 3);
	assert_memory_equal(ctl(m, "INJECT +6012 e0b881 coding=gsm7"), "ERR", 3);
	assert_memory_equal(ctl(m, "INJECTPDU 123"), "ERR", 3);
	assert_memory_equal(ctl(m, "CAPACITY 0"), "ERR", 3);
	assert_memory_equal(ctl(m, "UNPLUG 100"), "ERR unsupported", 15);
	assert_memory_equal(ctl(m, "FAULT CMS x"), "ERR", 3);
	assert_memory_equal(ctl(m, "a b c d e f g h i j"), "ERR", 3);
	assert_string_equal(ctl(m, "INJECT KAWAN 41 class=0 coding=ucs2"), "OK 1\n");
	assert_string_equal(ctl(m, "INJECTPDU 0011"), "OK\n");
	assert_non_null(strstr(ctl(m, "EVENTS"), "CMTI 2"));
	modem_free(m);
}

int
main(void)
{
	/* The Makefile links libkawan.a before libsim.a, so the logger and the
	 * helpers libsim needs are pulled in here, by name. */
	log_init("test_sim_at", LOG_LEVEL_ERROR);
	assert_true(util_mono_ms() >= 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_at_init_sequence),
		cmocka_unit_test(test_at_pin),
		cmocka_unit_test(test_at_inject_list_read_delete),
		cmocka_unit_test(test_at_cmgs_and_faults),
		cmocka_unit_test(test_at_cmgw_cmss),
		cmocka_unit_test(test_at_send_delay),
		cmocka_unit_test(test_control_rejects_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
