/* modem_gammu_health.c - what the modem tells of its radio (issue 10
 * health) through libgammu: signal (GSM_GetSignalQuality, AT+CSQ),
 * registration and operator (GSM_GetNetworkInfo, AT+CREG? and AT+COPS?),
 * and a USSD request of its own (a balance check: GSM_DialService,
 * AT+CUSD). The USSD answer comes through libgammu's incoming-USSD
 * callback, where no AT command may be sent: the callback only copies the
 * text, and gm_ussd() reads the device until it is there. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "core/charset.h"
#include "core/log.h"
#include "core/util.h"
#include "modem/modem_gammu_int.h"

static const char *
gm_reg_name(GSM_NetworkInfo_State st)
{
	switch (st) {
	case GSM_HomeNetwork:
		return "home";
	case GSM_RoamingNetwork:
		return "roaming";
	case GSM_RequestingNetwork:
		return "searching";
	case GSM_RegistrationDenied:
		return "denied";
	case GSM_NoNetwork:
		return "none";
	default:
		return "unknown";
	}
}

/* A libgammu UTF-16BE string of at most units units as UTF-8 ("" when not). */
static void
gm_ucs_to_utf8(const unsigned char *ucs, size_t units, char *out, size_t outsz)
{
	size_t n = 0;

	while (n < units && (ucs[2 * n] != 0 || ucs[2 * n + 1] != 0))
		n++;
	if (charset_utf16be_to_utf8(ucs, n, out, outsz) < 0)
		out[0] = '\0';
}

int
gm_health(struct modem *m, struct modem_health *out)
{
	struct gm_state *g = m->impl;
	GSM_SignalQuality sq;
	GSM_NetworkInfo ni;
	GSM_Error e;

	memset(out, 0, sizeof(*out));
	out->signal_dbm = -1;
	out->signal_pct = -1;
	if (util_strcopy(out->reg, sizeof(out->reg), "unknown") < 0)
		out->reg[0] = '\0';
	if (g == NULL || !g->connected)
		return -1;
	memset(&sq, 0, sizeof(sq));
	e = GSM_GetSignalQuality(g->sm, &sq);
	if (gm_ok(e)) {
		out->signal_dbm = sq.SignalStrength;
		out->signal_pct = sq.SignalPercent;
	} else if (gm_link_error(e)) {
		return -1;
	} else {
		log_debug("modem %s: signal quality: %s", m->cfg.name, GSM_ErrorString(e));
	}
	memset(&ni, 0, sizeof(ni));
	e = GSM_GetNetworkInfo(g->sm, &ni);
	if (gm_ok(e)) {
		if (util_strcopy(out->reg, sizeof(out->reg), gm_reg_name(ni.State)) < 0)
			out->reg[0] = '\0';
		ni.NetworkCode[sizeof(ni.NetworkCode) - 1] = '\0';
		if (util_strcopy(out->network_code, sizeof(out->network_code), ni.NetworkCode) < 0)
			out->network_code[0] = '\0';
		gm_ucs_to_utf8(ni.NetworkName, sizeof(ni.NetworkName) / 2, out->operator_name,
		    sizeof(out->operator_name));
	} else if (gm_link_error(e)) {
		return -1;
	} else {
		log_debug("modem %s: network info: %s", m->cfg.name, GSM_ErrorString(e));
	}
	return 0;
}

/* libgammu's incoming-USSD callback: copy, nothing else. */
static void
gm_on_ussd(GSM_StateMachine *sm, GSM_USSDMessage *u, void *arg)
{
	struct gm_state *g = arg;

	(void)sm;
	gm_ucs_to_utf8(u->Text, sizeof(u->Text) / 2, g->ussd_text, sizeof(g->ussd_text));
	if (u->Status == USSD_NotSupported || u->Status == USSD_Timeout ||
	    u->Status == USSD_AnotherClient)
		g->ussd_text[0] = '\0';
	g->ussd_got = true;
}

/* Reads the device for at most ms (the callbacks run in GSM_ReadDevice).
 * -1 when the link is lost. */
static int
gm_read_for(struct gm_state *g, int ms)
{
	if (g->fd >= 0) {
		struct pollfd p = { .fd = g->fd, .events = POLLIN };
		int r = poll(&p, 1, ms);

		if (r < 0 && errno != EINTR)
			return -1;
		if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
			return -1;
	} else {
		struct timespec ts = { 0, 50 * 1000000L };

		(void)nanosleep(&ts, NULL);
	}
	return GSM_ReadDevice(g->sm, FALSE) < 0 ? -1 : 0;
}

int
gm_ussd(struct modem *m, const char *code, int timeout_ms, char *reply, size_t replysz)
{
	struct gm_state *g = m->impl;
	char dial[64];
	int64_t end;
	GSM_Error e;

	if (replysz > 0)
		reply[0] = '\0';
	if (g == NULL || !g->connected)
		return -1;
	if (util_strcopy(dial, sizeof(dial), code) < 0)
		return 1;
	g->ussd_got = false;
	g->ussd_text[0] = '\0';
	GSM_SetIncomingUSSDCallback(g->sm, gm_on_ussd, g);
	e = GSM_SetIncomingUSSD(g->sm, TRUE);
	if (!gm_ok(e)) {
		log_warnx("modem %s: no USSD indications: %s", m->cfg.name, GSM_ErrorString(e));
		return gm_link_error(e) ? -1 : 1;
	}
	e = GSM_DialService(g->sm, dial);
	if (!gm_ok(e)) {
		log_warnx("modem %s: USSD %s refused: %s", m->cfg.name, code, GSM_ErrorString(e));
		return gm_link_error(e) ? -1 : 1;
	}
	end = util_mono_ms() + timeout_ms;
	while (!g->ussd_got && util_mono_ms() < end)
		if (gm_read_for(g, 100) < 0)
			return -1;
	if (!g->ussd_got || g->ussd_text[0] == '\0') {
		log_warnx("modem %s: USSD %s: no answer", m->cfg.name, code);
		return 1;
	}
	if (util_strcopy(reply, replysz, g->ussd_text) < 0)
		return 1;
	return 0;
}
