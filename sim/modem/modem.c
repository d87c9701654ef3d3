/* modem.c - the simulated GSM modem core: input states, reply and
 * unsolicited output, timers (ringing, USSD) and control-side actions. */
#include "modem.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "at.h"
#include "core/log.h"
#include "core/util.h"
#include "smstext.h"
#include "textcode.h"

#define MODEM_RING_MS 2000
#define MODEM_RINGS 5
#define MODEM_USSD_DELAY_MS 150
#define MODEM_DEFAULT_SMSC "+60120000015"
#define MODEM_DEFAULT_USSD "Your balance is 5.00"
#define MODEM_DEFAULT_IMSI "502120123456789"
#define MODEM_DEFAULT_ICCID "8960120123456789012"
#define MODEM_DEFAULT_OPERATOR "Kawan Net"

static void
modem_settings_reset(struct modem *m)
{
	m->echo = 1;
	m->cmee = 0;
	m->cmgf = 0;
	m->cnmi_mt = 0;
	m->clip = 0;
	m->crc = 0;
	m->creg_n = 0;
	m->cgreg_n = 0;
	m->cops_f = 0;
	m->cs = MODEM_CS_GSM;
	m->pin_ok = m->pin[0] == '\0';
	m->linelen = 0;
	m->line_overflow = 0;
	m->in_pdu = 0;
	sbuf_reset(&m->pdu);
	sbuf_reset(&m->out);
	sbuf_reset(&m->held);
	m->ussd_due = 0;
	m->out_hold_until = 0;
}

int
modem_init(struct modem *m, const struct modem_config *cfg)
{
	memset(m, 0, sizeof(*m));
	sbuf_init(&m->pdu);
	sbuf_init(&m->out);
	sbuf_init(&m->held);
	simstore_init(&m->store, cfg->capacity > 0 ? cfg->capacity : 30);
	sentlog_init(&m->sent);
	events_init(&m->ev);
	if (cfg->pin && util_strcopy(m->pin, sizeof(m->pin), cfg->pin) < 0)
		return -1;
	if (util_strcopy(m->smsc, sizeof(m->smsc), cfg->smsc ? cfg->smsc : MODEM_DEFAULT_SMSC) < 0)
		return -1;
	if (util_strcopy(m->imsi, sizeof(m->imsi), cfg->imsi ? cfg->imsi : MODEM_DEFAULT_IMSI) <
		0 ||
	    util_strcopy(m->iccid, sizeof(m->iccid), cfg->iccid ? cfg->iccid : MODEM_DEFAULT_ICCID) <
		0 ||
	    util_strcopy(m->operator_name, sizeof(m->operator_name),
		cfg->operator ? cfg->operator : MODEM_DEFAULT_OPERATOR) < 0)
		return -1;
	m->cms_fault_code = 500;
	m->inject_ref = (uint8_t)(time(NULL) & 0xFF);
	m->csq = cfg->signal > 0 && (cfg->signal <= 31 || cfg->signal == 99) ? cfg->signal : 20;
	modem_settings_reset(m);
	return modem_set_ussd(m, cfg->balance ? cfg->balance : MODEM_DEFAULT_USSD);
}

void
modem_free(struct modem *m)
{
	sbuf_free(&m->pdu);
	sbuf_free(&m->out);
	sbuf_free(&m->held);
	simstore_free(&m->store);
	sentlog_free(&m->sent);
	events_free(&m->ev);
	free(m->ussd_reply);
	m->ussd_reply = NULL;
}

void
modem_reset(struct modem *m)
{
	modem_settings_reset(m);
}

/* ---- output ---- */

static void
modem_vappend(struct modem *m, struct sbuf *b, const char *fmt, va_list ap)
{
	char tmp[2048];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (n < 0 || m->mute)
		return;
	if (b->len + (size_t)n > MODEM_OUT_MAX) {
		log_warnx("modem: output buffer full, dropping %d bytes", n);
		return;
	}
	if ((size_t)n >= sizeof(tmp))
		n = (int)sizeof(tmp) - 1;
	if (sbuf_add(b, tmp, (size_t)n) < 0)
		log_warnx("modem: out of memory for output");
}

void
modem_reply(struct modem *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	modem_vappend(m, &m->out, fmt, ap);
	va_end(ap);
}

void
modem_urc(struct modem *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	modem_vappend(m, m->in_pdu ? &m->held : &m->out, fmt, ap);
	va_end(ap);
}

void
modem_ok(struct modem *m)
{
	modem_reply(m, "\r\nOK\r\n");
}

void
modem_error(struct modem *m)
{
	modem_reply(m, "\r\nERROR\r\n");
}

void
modem_cme(struct modem *m, int code)
{
	if (m->cmee)
		modem_reply(m, "\r\n+CME ERROR: %d\r\n", code);
	else
		modem_error(m);
}

void
modem_cms(struct modem *m, int code)
{
	modem_reply(m, "\r\n+CMS ERROR: %d\r\n", code);
}

/* ---- input ---- */

static void
modem_pdu_byte(struct modem *m, char c)
{
	if (c == 0x1A || c == 0x1B) {
		m->in_pdu = 0;
		at_sms_cmgs_end(m, c == 0x1A);
		sbuf_reset(&m->pdu);
		if (m->held.len) {
			if (sbuf_add(&m->out, m->held.data, m->held.len) < 0)
				log_warnx("modem: out of memory for held codes");
			sbuf_reset(&m->held);
		}
		return;
	}
	if (c == '\r' || c == '\n' || c == ' ')
		return;
	if (m->pdu.len >= 2 * PDU_MAX_OCTETS + 2) {
		m->pdu_overflow = 1;
		return;
	}
	if (sbuf_add(&m->pdu, &c, 1) < 0)
		m->pdu_overflow = 1;
}

static void
modem_line_end(struct modem *m)
{
	m->line[m->linelen] = '\0';
	if (m->echo)
		modem_reply(m, "%s\r", m->line);
	if (m->line_overflow) {
		log_warnx("modem: AT line too long, dropped");
		modem_error(m);
	} else if (m->linelen > 0) {
		m->stats.at++;
		at_cmd_run(m, m->line);
	}
	m->linelen = 0;
	m->line_overflow = 0;
}

void
modem_feed(struct modem *m, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];
		if (m->mute)
			continue;
		if (m->in_pdu) {
			modem_pdu_byte(m, c);
		} else if (c == '\r') {
			modem_line_end(m);
		} else if (c == '\n' || c == '\0') {
			continue;
		} else if (m->linelen + 1 >= sizeof(m->line)) {
			m->line_overflow = 1;
		} else {
			m->line[m->linelen++] = c;
		}
	}
}

/* ---- timers ---- */

static void modem_dlr_tick(struct modem *m, int64_t now);

int
modem_out_held(const struct modem *m, int64_t now)
{
	return m->out_hold_until != 0 && now < m->out_hold_until;
}

int
modem_timeout(const struct modem *m, int64_t now)
{
	int64_t due = -1;
	if (m->ussd_due)
		due = m->ussd_due;
	if (m->out_hold_until && (due < 0 || m->out_hold_until < due))
		due = m->out_hold_until;
	if (m->next_ring && (due < 0 || m->next_ring < due))
		due = m->next_ring;
	for (int i = 0; i < m->dlr_nwait; i++)
		if (due < 0 || m->dlr_wait[i].due < due)
			due = m->dlr_wait[i].due;
	if (due < 0)
		return -1;
	return due <= now ? 0 : (int)(due - now);
}

static void
modem_ring(struct modem *m, int64_t now)
{
	if (m->rings_left <= 0) {
		m->next_ring = 0;
		events_add(&m->ev, "HANGUP", "by=caller %s", m->caller);
		return;
	}
	m->rings_left--;
	if (m->crc)
		modem_urc(m, "\r\n+CRING: VOICE\r\n");
	else
		modem_urc(m, "\r\nRING\r\n");
	if (m->clip)
		modem_urc(m, "\r\n+CLIP: \"%s\",%d,,,,0\r\n", m->caller,
		    m->caller[0] == '+' ? 145 : 129);
	m->next_ring = now + MODEM_RING_MS;
}

void
modem_tick(struct modem *m, int64_t now)
{
	if (m->out_hold_until && m->out_hold_until <= now)
		m->out_hold_until = 0;
	if (m->ussd_due && m->ussd_due <= now) {
		m->ussd_due = 0;
		at_cmd_ussd_answer(m);
	}
	if (m->next_ring && m->next_ring <= now)
		modem_ring(m, now);
	if (m->dlr_nwait > 0 && !modem_out_held(m, now))
		modem_dlr_tick(m, now);
}

void
modem_call(struct modem *m, const char *from, int64_t now)
{
	if (util_strcopy(m->caller, sizeof(m->caller), from) < 0)
		log_warnx("modem: caller number truncated");
	m->rings_left = MODEM_RINGS;
	m->next_ring = now;
	m->stats.calls++;
	events_add(&m->ev, "CALL", "%s", m->caller);
}

void
modem_hangup(struct modem *m, const char *how)
{
	if (m->next_ring)
		events_add(&m->ev, "HANGUP", "by=%s %s", how, m->caller);
	else
		events_add(&m->ev, "HANGUP", "by=%s idle", how);
	m->next_ring = 0;
	m->rings_left = 0;
}

/* ---- control-side actions ---- */

void
modem_deliver(struct modem *m)
{
	int idx;
	while ((idx = simstore_deliver_one(&m->store)) > 0) {
		events_add(&m->ev, "CMTI", "%d", idx);
		if (m->cnmi_mt == 1 && !m->mute) {
			m->stats.cmti++;
			modem_urc(m, "\r\n+CMTI: \"SM\",%d\r\n", idx);
		}
	}
}

static void
modem_now_scts(struct pdu_time *t)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	t->year = tm.tm_year % 100;
	t->month = tm.tm_mon + 1;
	t->day = tm.tm_mday;
	t->hour = tm.tm_hour;
	t->min = tm.tm_min;
	t->sec = tm.tm_sec;
	t->tz_quarters = (int)(tm.tm_gmtoff / 900);
}

int
modem_inject_text(struct modem *m, const char *from, const char *text, size_t len, int coding,
    int msg_class, char *err, size_t errsz)
{
	struct smstext t;
	if (smstext_split(text, len, coding, &t, err, errsz) < 0)
		return -1;
	struct pdu_deliver d = { .smsc = m->smsc,
		.from = from,
		.coding = t.coding,
		.msg_class = msg_class,
		.has_concat = t.nparts > 1,
		.ref = ++m->inject_ref,
		.total = (uint8_t)t.nparts };
	modem_now_scts(&d.ts);
	struct sbuf hex;
	sbuf_init(&hex);
	int rc = t.nparts;
	for (int i = 0; i < t.nparts && rc > 0; i++) {
		d.seq = (uint8_t)(i + 1);
		d.ud = t.parts[i].ud;
		d.ud_len = t.parts[i].len;
		sbuf_reset(&hex);
		int tl = pdu_encode_deliver(&d, &hex);
		if (tl < 0) {
			snprintf(err, errsz, "cannot encode sender or part %d", i + 1);
			rc = -1;
		} else if (simstore_queue(&m->store, hex.data, tl) < 0) {
			snprintf(err, errsz, "out of memory");
			rc = -1;
		}
	}
	sbuf_free(&hex);
	smstext_free(&t);
	modem_deliver(m);
	return rc;
}

int
modem_inject_pdu(struct modem *m, const char *hex, char *err, size_t errsz)
{
	size_t n = strlen(hex);
	if (n == 0 || n % 2 || n > 2 * PDU_MAX_OCTETS) {
		snprintf(err, errsz, "pdu hex must have an even length of 2..%d",
		    2 * PDU_MAX_OCTETS);
		return -1;
	}
	/* The TPDU length assumes a well-formed SMSC prefix; if it is not, the
	 * length is what a confused modem would report, which is the point. */
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)hex[i])) {
			snprintf(err, errsz, "pdu must be hex");
			return -1;
		}
	}
	uint8_t first[1];
	int smsc = textcode_hex_decode(hex, 2, first, 1) == 1 ? first[0] + 1 : 1;
	int tl = (int)(n / 2) - smsc;
	if (tl < 0)
		tl = 0;
	if (simstore_queue(&m->store, hex, tl) < 0) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	modem_deliver(m);
	return 0;
}

int
modem_set_ussd(struct modem *m, const char *text)
{
	char *p = strdup(text);
	if (!p)
		return -1;
	free(m->ussd_reply);
	m->ussd_reply = p;
	return 0;
}

void
modem_set_capacity(struct modem *m, int capacity)
{
	simstore_set_capacity(&m->store, capacity);
	modem_deliver(m);
}

/* Emits the +CDS for part mr to dest. */
static void
modem_cds(struct modem *m, const char *dest, uint8_t mr)
{
	struct pdu_time ts;
	struct sbuf hex;
	int status = 0x00, len;

	if (m->dlr_fail_n > 0) {
		m->dlr_fail_n--;
		status = 0x41; /* permanent error: incompatible destination */
	}
	modem_now_scts(&ts);
	sbuf_init(&hex);
	len = pdu_encode_status_report(dest, mr, status, &ts, &hex);
	if (len < 0 || hex.len == 0) {
		sbuf_free(&hex);
		return;
	}
	events_add(&m->ev, "CDS", "%u %s %s", mr, dest, status == 0 ? "delivered" : "failed");
	modem_urc(m, "\r\n+CDS: %d\r\n%.*s\r\n", len, (int)hex.len, hex.data);
	sbuf_free(&hex);
}

void
modem_status_report(struct modem *m, const char *dest, uint8_t mr)
{
	struct modem_dlr *w;

	if (m->dlr_delay_ms <= 0 || m->dlr_nwait == MODEM_DLR_WAIT) {
		modem_cds(m, dest, mr);
		return;
	}
	w = &m->dlr_wait[m->dlr_nwait++];
	w->due = util_mono_ms() + m->dlr_delay_ms;
	w->mr = mr;
	if (util_strcopy(w->dest, sizeof(w->dest), dest) < 0)
		log_warnx("modem: report destination truncated");
	events_add(&m->ev, "CDSWAIT", "%u %s %ld", mr, dest, m->dlr_delay_ms);
}

/* Emits the held-back reports that are due, oldest first. */
static void
modem_dlr_tick(struct modem *m, int64_t now)
{
	int k = 0;

	for (int i = 0; i < m->dlr_nwait; i++) {
		if (m->dlr_wait[i].due <= now)
			modem_cds(m, m->dlr_wait[i].dest, m->dlr_wait[i].mr);
		else
			m->dlr_wait[k++] = m->dlr_wait[i];
	}
	m->dlr_nwait = k;
}
