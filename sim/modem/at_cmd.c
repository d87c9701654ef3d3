/* at_cmd.c - parses an AT command line and answers the general commands
 * (identity, PIN, network, charset, calls, USSD); SMS ones go to at_sms.c. */
#include "at.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "gsm7.h"
#include "textcode.h"

#define AT_CME_SIM_PIN 11
#define AT_CME_WRONG_PW 16
#define AT_USSD_DELAY_MS 150

static const char *
at_cmd_cs_name(enum modem_charset cs)
{
	return cs == MODEM_CS_UCS2 ? "UCS2" : cs == MODEM_CS_IRA ? "IRA" : "GSM";
}

/* Appends a string argument in the current TE charset (UCS2: hex). */
static void
at_cmd_put_str(struct modem *m, struct sbuf *b, const char *utf8)
{
	if (m->cs != MODEM_CS_UCS2) {
		sbuf_adds(b, utf8);
		return;
	}
	uint32_t cps[256];
	uint8_t u16[1024];
	int n = textcode_utf8_to_cps(utf8, strlen(utf8), cps, 256);
	int k = n < 0 ? -1 : textcode_cps_to_utf16be(cps, (size_t)n, u16, sizeof(u16));
	if (k > 0)
		textcode_hex_append(b, u16, (size_t)k, 1);
}

/* Decodes a string argument from the TE charset (UCS2: hex) into out. */
static void
at_cmd_get_str(const struct modem *m, const char *arg, char *out, size_t outsz)
{
	uint8_t u16[AT_ARG_LEN / 2];
	int n =
	    m->cs == MODEM_CS_UCS2 ? textcode_hex_decode(arg, strlen(arg), u16, sizeof(u16)) : -1;
	struct sbuf b;
	sbuf_init(&b);
	if (n < 0 || textcode_utf16be_to_utf8(u16, (size_t)n, &b) < 0 || !b.data ||
	    util_strcopy(out, outsz, b.data) < 0) {
		if (util_strcopy(out, outsz, arg) < 0)
			log_debug("modem: argument truncated");
	}
	sbuf_free(&b);
}

static void
at_cmd_info_str(struct modem *m, const char *prefix, const char *utf8, const char *suffix)
{
	struct sbuf b;
	sbuf_init(&b);
	at_cmd_put_str(m, &b, utf8);
	modem_reply(m, "\r\n%s%s%s\r\n", prefix, b.data ? b.data : "", suffix);
	sbuf_free(&b);
}

static void
at_cmd_cscs(struct modem *m, enum at_kind kind, const char *args)
{
	struct at_args a;
	if (kind == AT_READ) {
		modem_reply(m, "\r\n+CSCS: \"%s\"\r\n", at_cmd_cs_name(m->cs));
	} else if (kind == AT_TEST) {
		modem_reply(m, "\r\n+CSCS: (\"GSM\",\"IRA\",\"UCS2\")\r\n");
	} else if (kind == AT_SET && at_args_parse(args, &a) == 0 && a.n == 1) {
		if (strcasecmp(a.v[0], "GSM") == 0)
			m->cs = MODEM_CS_GSM;
		else if (strcasecmp(a.v[0], "IRA") == 0)
			m->cs = MODEM_CS_IRA;
		else if (strcasecmp(a.v[0], "UCS2") == 0)
			m->cs = MODEM_CS_UCS2;
		else
			return modem_error(m);
	} else {
		return modem_error(m);
	}
	modem_ok(m);
}

static void
at_cmd_cpin(struct modem *m, enum at_kind kind, const char *args)
{
	struct at_args a;
	if (kind == AT_READ) {
		modem_reply(m, "\r\n+CPIN: %s\r\n", m->pin_ok ? "READY" : "SIM PIN");
		return modem_ok(m);
	}
	if (kind != AT_SET || at_args_parse(args, &a) < 0)
		return modem_error(m);
	if (m->pin_ok)
		return modem_ok(m);
	if (strcmp(a.v[0], m->pin) != 0) {
		log_info("modem: wrong PIN entered");
		return modem_cme(m, AT_CME_WRONG_PW);
	}
	m->pin_ok = 1;
	modem_ok(m);
}

/* Simple setting: AT+X=n, AT+X? (+X: n), AT+X=? (+X: range). */
static void
at_cmd_flag(struct modem *m, enum at_kind kind, const char *args, const char *name, int *val,
    long max)
{
	struct at_args a;
	long v;
	if (kind == AT_READ) {
		modem_reply(m, "\r\n%s: %d\r\n", name, *val);
	} else if (kind == AT_TEST) {
		modem_reply(m, "\r\n%s: (0-%ld)\r\n", name, max);
	} else if (kind == AT_SET && at_args_parse(args, &a) == 0 &&
		   at_args_int(&a, 0, 0, max, 0, &v) == 0) {
		*val = (int)v;
	} else if (kind != AT_EXEC) {
		return modem_error(m);
	}
	modem_ok(m);
}

static void
at_cmd_cusd(struct modem *m, enum at_kind kind, const char *args)
{
	struct at_args a;
	long n;
	if (kind == AT_READ) {
		modem_reply(m, "\r\n+CUSD: 1\r\n");
		return modem_ok(m);
	}
	if (kind == AT_TEST) {
		modem_reply(m, "\r\n+CUSD: (0-2)\r\n");
		return modem_ok(m);
	}
	if (kind != AT_SET || at_args_parse(args, &a) < 0 || at_args_int(&a, 0, 0, 2, 0, &n) < 0)
		return modem_error(m);
	if (a.n >= 2 && a.v[1][0]) {
		char code[64];
		at_cmd_get_str(m, a.v[1], code, sizeof(code));
		log_info("modem: USSD request %s", code);
		events_add(&m->ev, "USSD", "%.40s", code);
		m->ussd_due = util_mono_ms() + AT_USSD_DELAY_MS;
	}
	modem_ok(m);
}

void
at_cmd_ussd_answer(struct modem *m)
{
	const char *text = m->ussd_reply ? m->ussd_reply : "";
	uint32_t cps[256];
	int n = textcode_utf8_to_cps(text, strlen(text), cps, 256);
	int gsm = n >= 0;
	for (int i = 0; gsm && i < n; i++) {
		uint8_t two[2];
		gsm = gsm7_from_cp(cps[i], two) > 0;
	}
	if (gsm) {
		at_cmd_info_str(m, "+CUSD: 0,\"", text, "\",15");
		return;
	}
	enum modem_charset saved = m->cs;
	m->cs = MODEM_CS_UCS2; /* non-GSM text always goes out as UCS-2 hex */
	at_cmd_info_str(m, "+CUSD: 0,\"", text, "\",72");
	m->cs = saved;
}

static void
at_cmd_hangup(struct modem *m)
{
	m->stats.hangups++;
	modem_hangup(m, "gateway");
	modem_ok(m);
}

static void
at_cmd_answer(struct modem *m)
{
	if (!m->next_ring) {
		modem_reply(m, "\r\nNO CARRIER\r\n");
		return;
	}
	m->next_ring = 0;
	events_add(&m->ev, "ANSWER", "%s", m->caller);
	modem_ok(m);
}

/* Identity and status queries with a fixed answer. Returns 1 when handled. */
static int
at_cmd_fixed(struct modem *m, const char *name, enum at_kind kind)
{
	static const struct {
		const char *name;
		const char *reply;
	} fixed[] = {
		{ "+CGMI", "Kawan" },
		{ "+CGMM", "KawanSim 900" },
		{ "+CGMR", "1.0.0" },
		{ "+CGSN", "356938035643809" },
		{ "+CBC", "+CBC: 0,100" },
		{ "+CPAS", "+CPAS: 0" },
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (strcmp(name, fixed[i].name) != 0)
			continue;
		if (kind == AT_EXEC) {
			modem_reply(m, "\r\n%s\r\n", fixed[i].reply);
			modem_ok(m);
		} else if (kind == AT_TEST) {
			modem_ok(m);
		} else {
			modem_error(m);
		}
		return 1;
	}
	return 0;
}

/* The SIM's identity (--imsi, --iccid): AT+CIMI, AT+CCID, AT^ICCID. Returns 1 when handled. */
static int
at_cmd_identity(struct modem *m, const char *name, enum at_kind kind)
{
	if (strcmp(name, "+CIMI") == 0 && kind == AT_EXEC) {
		modem_reply(m, "\r\n%s\r\n", m->imsi);
		modem_ok(m);
		return 1;
	}
	if (strcmp(name, "+CCID") == 0 && (kind == AT_EXEC || kind == AT_READ)) {
		modem_reply(m, "\r\n+CCID: %s\r\n", m->iccid);
		modem_ok(m);
		return 1;
	}
	if (strcmp(name, "^ICCID") == 0 && (kind == AT_EXEC || kind == AT_READ)) {
		modem_reply(m, "\r\n^ICCID: %s\r\n", m->iccid);
		modem_ok(m);
		return 1;
	}
	return 0;
}

/* Signal and network (health, issue 10): AT+CSQ (--signal, SIGNAL),
 * AT+CREG and AT+CGREG (registered, home), AT+COPS=3,<format> and AT+COPS?
 * (format 2: MCC MNC from the IMSI; else --operator). Returns 1 when handled. */
static int
at_cmd_network(struct modem *m, const char *name, enum at_kind kind, const char *args)
{
	struct at_args a;
	long v;
	int *n = strcmp(name, "+CREG") == 0  ? &m->creg_n :
		 strcmp(name, "+CGREG") == 0 ? &m->cgreg_n :
					       NULL;

	if (strcmp(name, "+CSQ") == 0 && (kind == AT_EXEC || kind == AT_TEST)) {
		if (kind == AT_EXEC)
			modem_reply(m, "\r\n+CSQ: %d,99\r\n", m->csq);
		modem_ok(m);
		return 1;
	}
	if (n != NULL && kind == AT_READ) {
		modem_reply(m, "\r\n%s: %d,1\r\n", name, *n);
		modem_ok(m);
		return 1;
	}
	if (n != NULL) {
		at_cmd_flag(m, kind, args, name, n, 2);
		return 1;
	}
	if (strcmp(name, "+CGATT") == 0 && (kind == AT_READ || kind == AT_TEST)) {
		if (kind == AT_READ)
			modem_reply(m, "\r\n+CGATT: 1\r\n");
		modem_ok(m);
		return 1;
	}
	if (strcmp(name, "+COPS") != 0)
		return 0;
	if (kind == AT_READ && m->cops_f == 2) {
		char num[8];
		(void)snprintf(num, sizeof(num), "%.5s", m->imsi);
		modem_reply(m, "\r\n+COPS: 0,2,\"%s\"\r\n", num);
	} else if (kind == AT_READ) {
		at_cmd_info_str(m, "+COPS: 0,0,\"", m->operator_name, "\"");
	} else if (kind == AT_SET && at_args_parse(args, &a) == 0 &&
		   at_args_int(&a, 0, 0, 4, 0, &v) == 0 && v == 3 &&
		   at_args_int(&a, 1, 0, 2, 0, &v) == 0) {
		m->cops_f = (int)v;
	} else if (kind != AT_TEST) {
		modem_error(m);
		return 1;
	}
	modem_ok(m);
	return 1;
}

static int
at_cmd_needs_sim(const char *name)
{
	static const char *const free_cmds[] = { "+CMEE", "+CSCS", "+CPIN", "+CFUN", "+CGMI",
		"+CGMM", "+CGMR", "+CGSN", "+CSQ", "+CBC", "+CPAS", "+CLIP", "+CRC", "+CHUP",
		"+MODE" };
	for (size_t i = 0; i < sizeof(free_cmds) / sizeof(free_cmds[0]); i++) {
		if (strcmp(name, free_cmds[i]) == 0)
			return 0;
	}
	return 1;
}

static void
at_cmd_extended(struct modem *m, const char *name, enum at_kind kind, const char *args)
{
	if (!m->pin_ok && at_cmd_needs_sim(name))
		return modem_cme(m, AT_CME_SIM_PIN);
	if (at_cmd_fixed(m, name, kind) || at_sms_run(m, name, kind, args))
		return;
	if (strcmp(name, "+CMEE") == 0)
		return at_cmd_flag(m, kind, args, "+CMEE", &m->cmee, 2);
	if (strcmp(name, "+CSCS") == 0)
		return at_cmd_cscs(m, kind, args);
	if (strcmp(name, "+CPIN") == 0)
		return at_cmd_cpin(m, kind, args);
	if (strcmp(name, "+CLIP") == 0)
		return at_cmd_flag(m, kind, args, "+CLIP", &m->clip, 1);
	if (strcmp(name, "+CRC") == 0)
		return at_cmd_flag(m, kind, args, "+CRC", &m->crc, 1);
	if (strcmp(name, "+CUSD") == 0)
		return at_cmd_cusd(m, kind, args);
	if (strcmp(name, "+CHUP") == 0 && kind == AT_EXEC)
		return at_cmd_hangup(m);
	if (strcmp(name, "+CHUP") == 0 && kind == AT_TEST)
		return modem_ok(m);
	if (strcmp(name, "+CFUN") == 0) {
		int fun = 1;
		return at_cmd_flag(m, kind, args, "+CFUN", &fun, 1);
	}
	if (at_cmd_identity(m, name, kind) || at_cmd_network(m, name, kind, args))
		return;
	modem_error(m);
}

/* Basic commands: E0/E1, Z, I, H, A. */
static void
at_cmd_basic(struct modem *m, const char *rest)
{
	char c = (char)toupper((unsigned char)rest[0]);
	const char *arg = rest + 1;
	if (c == 'E' && (strcmp(arg, "0") == 0 || strcmp(arg, "1") == 0 || *arg == '\0')) {
		m->echo = arg[0] == '1';
		return modem_ok(m);
	}
	if (c == 'Z' && (*arg == '\0' || strcmp(arg, "0") == 0))
		return modem_ok(m);
	if (c == 'I' && (*arg == '\0' || strcmp(arg, "0") == 0)) {
		modem_reply(m, "\r\nKawan simulated GSM modem\r\n");
		return modem_ok(m);
	}
	if (c == 'H' && (*arg == '\0' || strcmp(arg, "0") == 0))
		return at_cmd_hangup(m);
	if (c == 'A' && *arg == '\0')
		return at_cmd_answer(m);
	modem_error(m);
}

void
at_cmd_run(struct modem *m, const char *line)
{
	if (strncasecmp(line, "AT", 2) != 0)
		return modem_error(m);
	const char *rest = line + 2;
	if (*rest == '\0')
		return modem_ok(m);
	if (*rest != '+' && *rest != '^')
		return at_cmd_basic(m, rest);
	char name[16];
	size_t k = 0;
	while (rest[k] && rest[k] != '=' && rest[k] != '?' && k + 1 < sizeof(name)) {
		name[k] = (char)toupper((unsigned char)rest[k]);
		k++;
	}
	name[k] = '\0';
	const char *tail = rest + k;
	enum at_kind kind = AT_EXEC;
	if (strcmp(tail, "?") == 0)
		kind = AT_READ;
	else if (strcmp(tail, "=?") == 0)
		kind = AT_TEST;
	else if (tail[0] == '=')
		kind = AT_SET;
	else if (tail[0] != '\0')
		return modem_error(m);
	at_cmd_extended(m, name, kind, kind == AT_SET ? tail + 1 : "");
}
