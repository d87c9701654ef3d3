/* control.c - the line protocol tests use to drive the simulated modem.
 * Requests are parsed here against named caps; see sim/README.md. */
#include "control.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/util.h"
#include "smstext.h"
#include "textcode.h"

#define CONTROL_TOKENS 8
#define CONTROL_TEXT_MAX 16384

struct control_req {
	int n;
	char *t[CONTROL_TOKENS];
};

/* Splits a copy of the line at spaces; returns -1 when there are too many tokens. */
static int
control_split(char *s, struct control_req *r)
{
	r->n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			break;
		if (r->n >= CONTROL_TOKENS)
			return -1;
		r->t[r->n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	return 0;
}

/* Decodes a hex-of-UTF-8 field ("-" is empty) into a NUL-terminated buffer (caller frees). */
static char *
control_hex_text(const char *hex, size_t *len, int need_utf8)
{
	size_t n = strlen(hex);
	if (strcmp(hex, "-") == 0)
		n = 0;
	if (n / 2 > CONTROL_TEXT_MAX)
		return NULL;
	char *buf = malloc(n / 2 + 1);
	if (!buf)
		return NULL;
	int k = n ? textcode_hex_decode(hex, n, (uint8_t *)buf, n / 2) : 0;
	if (k < 0 || (need_utf8 && !util_utf8_valid(buf, (size_t)k))) {
		free(buf);
		return NULL;
	}
	buf[k] = '\0';
	*len = (size_t)k;
	return buf;
}

static int
control_option(const char *opt, int *coding, int *msg_class)
{
	static const struct {
		const char *s;
		int coding, cls;
	} opts[] = {
		{ "coding=auto", SMSTEXT_AUTO, -2 },
		{ "coding=gsm7", PDU_GSM7, -2 },
		{ "coding=ucs2", PDU_UCS2, -2 },
		{ "coding=8bit", PDU_8BIT, -2 },
		{ "class=none", -2, PDU_CLASS_NONE },
		{ "class=0", -2, 0 },
		{ "class=1", -2, 1 },
	};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (strcasecmp(opt, opts[i].s) != 0)
			continue;
		if (opts[i].coding != -2)
			*coding = opts[i].coding;
		if (opts[i].cls != -2)
			*msg_class = opts[i].cls;
		return 0;
	}
	return -1;
}

static void
control_inject(struct modem *m, const struct control_req *r, struct sbuf *out)
{
	int coding = SMSTEXT_AUTO, msg_class = PDU_CLASS_NONE;
	if (r->n < 3)
		return (
		    void)sbuf_adds(out, "ERR usage: INJECT <from> <hex-utf8> [coding=] [class=]\n");
	for (int i = 3; i < r->n; i++) {
		if (control_option(r->t[i], &coding, &msg_class) < 0)
			return (void)sbuf_printf(out, "ERR bad option %.40s\n", r->t[i]);
	}
	size_t len;
	char *text = control_hex_text(r->t[2], &len, 1);
	if (!text)
		return (void)sbuf_adds(out, "ERR text must be hex of UTF-8 (max 16384 bytes)\n");
	char err[128];
	int n = modem_inject_text(m, r->t[1], text, len, coding, msg_class, err, sizeof(err));
	free(text);
	if (n < 0)
		sbuf_printf(out, "ERR %s\n", err);
	else
		sbuf_printf(out, "OK %d\n", n);
}

static int
control_since(const struct control_req *r, long *since)
{
	*since = 0;
	return r->n > 1 ? util_parse_long(r->t[1], 0, 0x7FFFFFFFL, since) : 0;
}

static void
control_fault(struct modem *m, const struct control_req *r, struct sbuf *out)
{
	long n, code = 500;
	if (r->n >= 3 && strcasecmp(r->t[1], "CMS") == 0 &&
	    util_parse_long(r->t[2], 0, 1000000, &n) == 0 &&
	    (r->n < 4 || util_parse_long(r->t[3], 0, 999, &code) == 0)) {
		m->cms_fault_n = (int)n;
		m->cms_fault_code = (int)code;
		return (void)sbuf_adds(out, "OK\n");
	}
	if (r->n == 3 && strcasecmp(r->t[1], "MUTE") == 0 &&
	    (strcasecmp(r->t[2], "on") == 0 || strcasecmp(r->t[2], "off") == 0)) {
		m->mute = strcasecmp(r->t[2], "on") == 0;
		if (m->mute) {
			m->linelen = 0;
			m->in_pdu = 0;
		}
		events_add(&m->ev, "MUTE", "%s", m->mute ? "on" : "off");
		return (void)sbuf_adds(out, "OK\n");
	}
	if (r->n == 3 && strcasecmp(r->t[1], "DELAY") == 0 &&
	    util_parse_long(r->t[2], 0, 600000, &n) == 0) {
		m->send_delay_ms = n;
		return (void)sbuf_adds(out, "OK\n");
	}
	sbuf_adds(out, "ERR usage: FAULT CMS <n> [code] | FAULT MUTE on|off | FAULT DELAY <ms>\n");
}

static void
control_stats(struct modem *m, struct sbuf *out)
{
	const struct modem_stats *s = &m->stats;
	sbuf_printf(out,
	    "OK stored=%d waiting=%d cmti=%ld cmgs=%ld cmgs_err=%ld cmgr=%ld cmgl=%ld "
	    "cmgd=%ld calls=%ld hangups=%ld at=%ld\n",
	    simstore_used(&m->store), m->store.nwaiting, s->cmti, s->cmgs, s->cmgs_err, s->cmgr,
	    s->cmgl, s->cmgd, s->calls, s->hangups, s->at);
}

static void
control_sim(struct modem *m, struct sbuf *out)
{
	long n = 0;
	for (int i = 1; i <= SIMSTORE_MAX; i++) {
		struct simstore_msg *x = simstore_get(&m->store, i);
		if (!x)
			continue;
		static const char *const names[] = { "unread", "read", "unsent", "sent" };
		sbuf_printf(out, "SMS %d %s %s\n", i, names[x->status & 3], x->pdu_hex);
		n++;
	}
	sbuf_printf(out, "OK %ld\n", n);
}

static void
control_simple(struct modem *m, const struct control_hooks *h, const struct control_req *r,
    struct sbuf *out)
{
	const char *verb = r->t[0];
	long v;
	char err[128];
	if (strcasecmp(verb, "INJECTPDU") == 0 && r->n == 2) {
		if (modem_inject_pdu(m, r->t[1], err, sizeof(err)) < 0)
			sbuf_printf(out, "ERR %s\n", err);
		else
			sbuf_adds(out, "OK\n");
	} else if (strcasecmp(verb, "CALL") == 0 && r->n == 2 && strlen(r->t[1]) < PDU_ADDR_MAX) {
		modem_call(m, r->t[1], util_mono_ms());
		sbuf_adds(out, "OK\n");
	} else if (strcasecmp(verb, "DLR") == 0 && r->n == 3 && strcasecmp(r->t[1], "FAIL") == 0 &&
		   util_parse_long(r->t[2], 0, 1000000, &v) == 0) {
		m->dlr_fail_n = (int)v;
		sbuf_adds(out, "OK\n");
	} else if (strcasecmp(verb, "DLR") == 0 && r->n == 3 && strcasecmp(r->t[1], "DELAY") == 0 &&
		   util_parse_long(r->t[2], 0, 3600000, &v) == 0) {
		m->dlr_delay_ms = v;
		sbuf_adds(out, "OK\n");
	} else if (strcasecmp(verb, "UNPLUG") == 0 && r->n == 2 &&
		   util_parse_long(r->t[1], 0, 3600000, &v) == 0) {
		if (!h || !h->unplug)
			sbuf_adds(out, "ERR unsupported\n");
		else if (h->unplug(h->arg, v) < 0)
			sbuf_adds(out, "ERR unplug failed\n");
		else
			sbuf_adds(out, "OK\n");
	} else if (strcasecmp(verb, "CAPACITY") == 0 && r->n == 2 &&
		   util_parse_long(r->t[1], 1, SIMSTORE_MAX, &v) == 0) {
		modem_set_capacity(m, (int)v);
		sbuf_adds(out, "OK\n");
	} else if (strcasecmp(verb, "SIGNAL") == 0 && r->n == 2 &&
		   util_parse_long(r->t[1], 0, 99, &v) == 0 && (v <= 31 || v == 99)) {
		m->csq = (int)v;
		sbuf_adds(out, "OK\n");
	} else if (strcasecmp(verb, "USSD") == 0 && r->n == 2) {
		size_t len;
		char *text = control_hex_text(r->t[1], &len, 1);
		if (!text || modem_set_ussd(m, text) < 0)
			sbuf_adds(out, "ERR text must be hex of UTF-8\n");
		else
			sbuf_adds(out, "OK\n");
		free(text);
	} else {
		sbuf_printf(out, "ERR unknown or malformed request %.20s\n", verb);
	}
}

int
control_handle(struct modem *m, const struct control_hooks *h, const char *line, struct sbuf *out)
{
	struct control_req r;
	long since;
	char *copy = strdup(line);
	int quit = 0;
	if (!copy) {
		sbuf_adds(out, "ERR out of memory\n");
		return 0;
	}
	if (control_split(copy, &r) < 0 || r.n == 0) {
		sbuf_adds(out, "ERR empty or too many fields\n");
	} else if (strcasecmp(r.t[0], "INJECT") == 0) {
		control_inject(m, &r, out);
	} else if (strcasecmp(r.t[0], "SENT") == 0 && control_since(&r, &since) == 0) {
		long n = sentlog_dump(&m->sent, (unsigned)since, out);
		sbuf_printf(out, "OK %ld\n", n);
	} else if (strcasecmp(r.t[0], "EVENTS") == 0 && control_since(&r, &since) == 0) {
		long n = events_dump(&m->ev, (uint64_t)since, out);
		sbuf_printf(out, "OK %ld\n", n);
	} else if (strcasecmp(r.t[0], "FAULT") == 0) {
		control_fault(m, &r, out);
	} else if (strcasecmp(r.t[0], "STATS") == 0) {
		control_stats(m, out);
	} else if (strcasecmp(r.t[0], "SIM") == 0) {
		control_sim(m, out);
	} else if (strcasecmp(r.t[0], "CLEAR") == 0) {
		sentlog_clear(&m->sent);
		events_clear(&m->ev);
		sbuf_adds(out, "OK\n");
	} else if (strcasecmp(r.t[0], "QUIT") == 0) {
		sbuf_adds(out, "OK bye\n");
		quit = 1;
	} else {
		control_simple(m, h, &r, out);
	}
	free(copy);
	return quit;
}
