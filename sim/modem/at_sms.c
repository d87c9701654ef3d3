/* at_sms.c - the SMS commands of the simulated modem in PDU mode: storage
 * (CPMS), listing and reading (CMGL, CMGR), deleting (CMGD), sending (CMGS)
 * and new-message indications (CNMI). */
#include "at.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

#define AT_SMS_CMS_BAD_PDU 304
#define AT_SMS_CMS_NOT_SUPPORTED 303
#define AT_SMS_CMS_BAD_INDEX 321
#define AT_SMS_CMS_BAD_MEM 302
#define AT_SMS_CMS_MEM_FULL 322

static int
at_sms_stat_of(const struct simstore_msg *x)
{
	return x->status;
}

/* Reading a received message marks it read; stored outgoing ones keep their state. */
static void
at_sms_mark_read(struct simstore_msg *x)
{
	if (x->status == SIMSTORE_UNREAD)
		x->status = SIMSTORE_READ;
}

static void
at_sms_cpms(struct modem *m, enum at_kind kind, const char *args)
{
	int used = simstore_used(&m->store), cap = m->store.capacity;
	struct at_args a;
	if (kind == AT_TEST) {
		modem_reply(m, "\r\n+CPMS: (\"SM\"),(\"SM\"),(\"SM\")\r\n");
	} else if (kind == AT_READ) {
		modem_reply(m, "\r\n+CPMS: \"SM\",%d,%d,\"SM\",%d,%d,\"SM\",%d,%d\r\n", used, cap,
		    used, cap, used, cap);
	} else if (kind == AT_SET && at_args_parse(args, &a) == 0) {
		for (int i = 0; i < a.n; i++) {
			if (a.v[i][0] && strcmp(a.v[i], "SM") != 0)
				return modem_cms(m, AT_SMS_CMS_BAD_MEM);
		}
		modem_reply(m, "\r\n+CPMS: %d,%d,%d,%d,%d,%d\r\n", used, cap, used, cap, used, cap);
	} else {
		return modem_error(m);
	}
	modem_ok(m);
}

static void
at_sms_cmgl(struct modem *m, enum at_kind kind, const char *args)
{
	struct at_args a;
	long stat;
	if (kind == AT_TEST) {
		modem_reply(m, "\r\n+CMGL: (0-4)\r\n");
		return modem_ok(m);
	}
	if (m->cmgf != 0 || at_args_parse(args, &a) < 0 || at_args_int(&a, 0, 0, 4, 0, &stat) < 0)
		return modem_error(m);
	m->stats.cmgl++;
	int listed = 0;
	for (int i = 1; i <= SIMSTORE_MAX; i++) {
		struct simstore_msg *x = simstore_get(&m->store, i);
		if (!x || (stat != 4 && stat != at_sms_stat_of(x)))
			continue;
		modem_reply(m, "\r\n+CMGL: %d,%d,,%d\r\n%s", i, at_sms_stat_of(x), x->tpdu_len,
		    x->pdu_hex);
		at_sms_mark_read(x);
		listed++;
	}
	if (listed)
		modem_reply(m, "\r\n");
	events_add(&m->ev, "CMGL", "%d", listed);
	modem_ok(m);
}

static void
at_sms_cmgr(struct modem *m, enum at_kind kind, const char *args)
{
	struct at_args a;
	long idx;
	if (kind == AT_TEST)
		return modem_ok(m);
	if (kind != AT_SET || m->cmgf != 0 || at_args_parse(args, &a) < 0 ||
	    at_args_int(&a, 0, 0, 100000, -1, &idx) < 0)
		return modem_error(m);
	m->stats.cmgr++;
	events_add(&m->ev, "CMGR", "%ld", idx);
	struct simstore_msg *x = simstore_get(&m->store, (int)idx);
	if (!x)
		return modem_cms(m, AT_SMS_CMS_BAD_INDEX);
	modem_reply(m, "\r\n+CMGR: %d,,%d\r\n%s\r\n", at_sms_stat_of(x), x->tpdu_len, x->pdu_hex);
	at_sms_mark_read(x);
	modem_ok(m);
}

/* CMGD=n[,flag]: flag 0 deletes index n; 1 all read; 2 read and sent;
 * 3 read, sent and unsent; 4 all. */
static void
at_sms_cmgd(struct modem *m, enum at_kind kind, const char *args)
{
	struct at_args a;
	long idx, flag;
	if (kind == AT_TEST) {
		modem_reply(m, "\r\n+CMGD: (1-%d),(0-4)\r\n", m->store.capacity);
		return modem_ok(m);
	}
	if (kind != AT_SET || at_args_parse(args, &a) < 0 ||
	    at_args_int(&a, 0, 0, 100000, 0, &idx) < 0 || at_args_int(&a, 1, 0, 4, 0, &flag) < 0)
		return modem_error(m);
	m->stats.cmgd++;
	if (flag == 0) {
		if (simstore_delete(&m->store, (int)idx) < 0)
			return modem_cms(m, AT_SMS_CMS_BAD_INDEX);
		events_add(&m->ev, "CMGD", "%ld", idx);
	} else {
		for (int i = 1; i <= SIMSTORE_MAX; i++) {
			struct simstore_msg *x = simstore_get(&m->store, i);
			int st = x ? x->status : -1;
			if (x && (flag == 4 || st == SIMSTORE_READ ||
				     (flag >= 2 && st == SIMSTORE_SENT) ||
				     (flag == 3 && st == SIMSTORE_UNSENT))) {
				if (simstore_delete(&m->store, i) == 0)
					events_add(&m->ev, "CMGD", "%d", i);
			}
		}
	}
	modem_ok(m);
	modem_deliver(m);
}

static void
at_sms_cnmi(struct modem *m, enum at_kind kind, const char *args)
{
	struct at_args a;
	long mode, mt;
	if (kind == AT_TEST) {
		modem_reply(m, "\r\n+CNMI: (0-2),(0-3),(0-3),(0-2),(0,1)\r\n");
	} else if (kind == AT_READ) {
		modem_reply(m, "\r\n+CNMI: 2,%d,0,0,0\r\n", m->cnmi_mt);
	} else if (kind == AT_SET && at_args_parse(args, &a) == 0 &&
		   at_args_int(&a, 0, 0, 3, 0, &mode) == 0 &&
		   at_args_int(&a, 1, 0, 3, 0, &mt) == 0) {
		if (mt > 1)
			return modem_cms(m, AT_SMS_CMS_NOT_SUPPORTED);
		m->cnmi_mt = (int)mt;
	} else {
		return modem_error(m);
	}
	modem_ok(m);
}

/* AT+CMGS=<len> or AT+CMGW=<len>[,<stat>]: enter the PDU state. */
static void
at_sms_cmgs_begin(struct modem *m, const char *args, int store)
{
	struct at_args a;
	long len, stat;
	if (m->cmgf != 0 || at_args_parse(args, &a) < 0 || a.n < 1 ||
	    util_parse_long(a.v[0], 1, 164, &len) < 0 ||
	    at_args_int(&a, 1, 0, 3, SIMSTORE_UNSENT, &stat) < 0 || (!store && a.n > 1))
		return modem_cms(m, AT_SMS_CMS_BAD_PDU);
	m->pdu_store = store ? (int)stat + 1 : 0; /* 0: AT+CMGS */
	m->in_pdu = 1;
	m->pdu_len = (int)len;
	m->pdu_overflow = 0;
	sbuf_reset(&m->pdu);
	modem_reply(m, "\r\n> ");
}

/* The part goes to the network: logged for SENT. via_index > 0 for AT+CMSS. */
static void
at_sms_send_accept(struct modem *m, const struct pdu_submit *s, int via_index)
{
	long id = sentlog_add(&m->sent, s, util_now_ms());
	if (id < 0)
		log_warnx("modem: out of memory logging a sent part");
	m->mr++;
	if (via_index > 0) {
		events_add(&m->ev, "CMGS", "%ld %u/%u %s cmss=%d", id, s->has_concat ? s->seq : 1,
		    s->has_concat ? s->total : 1, s->dest, via_index);
		modem_reply(m, "\r\n+CMSS: %u\r\n", m->mr);
	} else {
		events_add(&m->ev, "CMGS", "%ld %u/%u %s", id, s->has_concat ? s->seq : 1,
		    s->has_concat ? s->total : 1, s->dest);
		modem_reply(m, "\r\n+CMGS: %u\r\n", m->mr);
	}
	modem_ok(m);
	if (s->srr)
		modem_status_report(m, s->dest, m->mr);
}

/* Counts a send attempt; returns 1 when an injected fault answered it.
 * An armed FAULT DELAY holds this send's answer (whatever it is) and all
 * output after it; the PDU itself is taken, and logged, at once. */
static int
at_sms_send_fault(struct modem *m)
{
	m->stats.cmgs++;
	if (m->send_delay_ms > 0) {
		m->out_hold_until = util_mono_ms() + m->send_delay_ms;
		events_add(&m->ev, "DELAY", "%ld", m->send_delay_ms);
		m->send_delay_ms = 0;
	}
	if (m->cms_fault_n <= 0)
		return 0;
	m->cms_fault_n--;
	m->stats.cmgs_err++;
	events_add(&m->ev, "CMGSERR", "fault %d", m->cms_fault_code);
	modem_cms(m, m->cms_fault_code);
	return 1;
}

/* AT+CMGW's PDU: checked like a send, then stored. */
static void
at_sms_cmgw_store(struct modem *m)
{
	int idx = simstore_write(&m->store, m->pdu.data, m->pdu_len, m->pdu_store - 1);
	if (idx <= 0)
		return modem_cms(m, idx == 0 ? AT_SMS_CMS_MEM_FULL : 500);
	events_add(&m->ev, "CMGW", "%d", idx);
	modem_reply(m, "\r\n+CMGW: %d\r\n", idx);
	modem_ok(m);
}

/* AT+CMSS=<index>: sends a stored SMS-SUBMIT. */
static void
at_sms_cmss(struct modem *m, enum at_kind kind, const char *args)
{
	struct at_args a;
	long idx;
	struct pdu_submit s;
	char err[128];
	if (kind == AT_TEST)
		return modem_ok(m);
	if (kind != AT_SET || at_args_parse(args, &a) < 0 ||
	    at_args_int(&a, 0, 1, SIMSTORE_MAX, 0, &idx) < 0)
		return modem_error(m);
	struct simstore_msg *x = simstore_get(&m->store, (int)idx);
	if (!x)
		return modem_cms(m, AT_SMS_CMS_BAD_INDEX);
	if (x->status != SIMSTORE_UNSENT && x->status != SIMSTORE_SENT)
		return modem_cms(m, AT_SMS_CMS_BAD_INDEX);
	if (at_sms_send_fault(m))
		return;
	if (pdu_submit_decode(x->pdu_hex, strlen(x->pdu_hex), x->tpdu_len, &s, err, sizeof(err)) <
	    0) {
		log_warnx("modem: AT+CMSS=%ld holds a bad SMS-SUBMIT (%s)", idx, err);
		m->stats.cmgs_err++;
		return modem_cms(m, AT_SMS_CMS_BAD_PDU);
	}
	x->status = SIMSTORE_SENT;
	at_sms_send_accept(m, &s, (int)idx);
}

void
at_sms_cmgs_end(struct modem *m, int submit)
{
	if (!submit) {
		log_debug("modem: AT+CMGS cancelled");
		return modem_ok(m);
	}
	if (!m->pdu_store && at_sms_send_fault(m))
		return;
	struct pdu_submit s;
	char err[128];
	if (m->pdu_overflow || pdu_submit_decode(m->pdu.data ? m->pdu.data : "", m->pdu.len,
				   m->pdu_len, &s, err, sizeof(err)) < 0) {
		log_warnx("modem: rejected SMS-SUBMIT (%s): %.360s",
		    m->pdu_overflow ? "too long" : err, m->pdu.data ? m->pdu.data : "");
		if (!m->pdu_store) {
			m->stats.cmgs_err++;
			events_add(&m->ev, "CMGSERR", "bad pdu");
		}
		return modem_cms(m, AT_SMS_CMS_BAD_PDU);
	}
	if (m->pdu_store)
		at_sms_cmgw_store(m);
	else
		at_sms_send_accept(m, &s, 0);
}

int
at_sms_run(struct modem *m, const char *name, enum at_kind kind, const char *args)
{
	if (strcmp(name, "+CMGF") == 0) {
		struct at_args a;
		long v;
		if (kind == AT_SET &&
		    (at_args_parse(args, &a) < 0 || at_args_int(&a, 0, 0, 0, 0, &v) < 0)) {
			modem_error(m); /* text mode is not simulated */
			return 1;
		}
		if (kind == AT_READ)
			modem_reply(m, "\r\n+CMGF: %d\r\n", m->cmgf);
		else if (kind == AT_TEST)
			modem_reply(m, "\r\n+CMGF: (0)\r\n");
		modem_ok(m);
	} else if (strcmp(name, "+CSMS") == 0) {
		if (kind == AT_READ)
			modem_reply(m, "\r\n+CSMS: 0,1,1,1\r\n");
		else if (kind == AT_SET)
			modem_reply(m, "\r\n+CSMS: 1,1,1\r\n");
		else if (kind == AT_TEST)
			modem_reply(m, "\r\n+CSMS: (0)\r\n");
		modem_ok(m);
	} else if (strcmp(name, "+CSCA") == 0) {
		if (kind == AT_READ)
			modem_reply(m, "\r\n+CSCA: \"%s\",%d\r\n", m->smsc,
			    m->smsc[0] == '+' ? 145 : 129);
		modem_ok(m);
	} else if (strcmp(name, "+CPMS") == 0) {
		at_sms_cpms(m, kind, args);
	} else if (strcmp(name, "+CMGL") == 0) {
		at_sms_cmgl(m, kind, args);
	} else if (strcmp(name, "+CMGR") == 0) {
		at_sms_cmgr(m, kind, args);
	} else if (strcmp(name, "+CMGD") == 0) {
		at_sms_cmgd(m, kind, args);
	} else if (strcmp(name, "+CNMI") == 0) {
		at_sms_cnmi(m, kind, args);
	} else if (strcmp(name, "+CMGS") == 0 && kind == AT_SET) {
		at_sms_cmgs_begin(m, args, 0);
	} else if (strcmp(name, "+CMGW") == 0 && kind == AT_SET) {
		at_sms_cmgs_begin(m, args, 1);
	} else if (strcmp(name, "+CMSS") == 0) {
		at_sms_cmss(m, kind, args);
	} else {
		return 0;
	}
	return 1;
}
