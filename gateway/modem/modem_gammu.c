/* modem_gammu.c - a GSM modem through libgammu's AT driver: connecting,
 * unlocking, waiting for it to speak, calls. Reading the storage is in
 * modem_gammu_read.c, sending in modem_gammu_send.c; only these three files
 * include <gammu.h>, so GSM_Error (where ERR_NONE is 1) ends here.
 *
 * Idle waiting is a poll() on the device's descriptor (found in
 * /proc/self/fd) and the channel's wake descriptor, not
 * GSM_ReadDevice(TRUE), which sleeps in 5 ms steps. Indications (+CMTI,
 * RING) only set flags: libgammu forbids AT commands inside its callbacks,
 * so the work happens after poll() returns. */
#include "modem/modem.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <gammu.h>

#include "core/charset.h"
#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "modem/modem_gammu_int.h"

bool
gm_ok(GSM_Error e)
{
	return e == ERR_NONE;
}

bool
gm_link_error(GSM_Error e)
{
	switch (e) {
	case ERR_TIMEOUT:
	case ERR_DEVICEOPENERROR:
	case ERR_DEVICENOTEXIST:
	case ERR_DEVICEREADERROR:
	case ERR_DEVICEWRITEERROR:
	case ERR_DEVICENOTWORK:
	case ERR_DEVICEBUSY:
	case ERR_DEVICECHANGESPEEDERROR:
	case ERR_NOTCONNECTED:
		return true;
	default:
		return false;
	}
}

void
gm_number_to_utf8(const unsigned char *ucs, char *out, size_t outsz)
{
	size_t n = charset_utf16be_len(ucs);

	if (charset_utf16be_to_utf8(ucs, n, out, outsz) < 0)
		out[0] = '\0';
}

/* A status report (+CDS): kept for poll() to hand over. A report that
 * names no recipient (+CDSI, only a storage place) is not read. */
static void
gm_on_report(struct gm_state *g, const GSM_SMSMessage *sms)
{
	struct modem_report *r;

	if (sms->Number[0] == 0 && sms->Number[1] == 0)
		return;
	if (g->nreports >= MODEM_MAX_REPORTS) {
		g->reports_dropped++;
		return;
	}
	r = &g->reports[g->nreports];
	gm_number_to_utf8(sms->Number, r->dest, sizeof(r->dest));
	r->msg_ref = sms->MessageReference;
	r->status = sms->DeliveryStatus;
	g->nreports++;
	g->events |= MODEM_EV_REPORT;
}

static void
gm_on_sms(GSM_StateMachine *sm, GSM_SMSMessage *sms, void *arg)
{
	struct gm_state *g = arg;

	(void)sm;
	if (sms->PDU == SMS_Status_Report) {
		gm_on_report(g, sms);
		return;
	}
	g->events |= MODEM_EV_SMS;
}

static void
gm_on_send_status(GSM_StateMachine *sm, int status, int ref, void *arg)
{
	struct gm_state *g = arg;

	(void)sm;
	g->send_status = status;
	g->send_ref = ref;
}

static void
gm_on_call(GSM_StateMachine *sm, GSM_Call *call, void *arg)
{
	struct gm_state *g = arg;

	(void)sm;
	if (call->Status != GSM_CALL_IncomingCall)
		return;
	/* RING comes without the number, +CLIP with it: keep the number. */
	if (call->PhoneNumber[0] != 0 || call->PhoneNumber[1] != 0 || !g->call_pending)
		gm_number_to_utf8(call->PhoneNumber, g->call_from, sizeof(g->call_from));
	g->call_pending = true;
}

/* Finds the descriptor libgammu opened for path, by its /proc/self/fd link. */
static int
gm_find_fd(const char *path)
{
	char want[PATH_MAX], link[PATH_MAX], name[64];
	struct dirent *de;
	DIR *dir;
	int found = -1;

	if (realpath(path, want) == NULL)
		return -1;
	dir = opendir("/proc/self/fd");
	if (dir == NULL)
		return -1;
	while ((de = readdir(dir)) != NULL) {
		long fd;
		ssize_t n;

		if (util_parse_long(de->d_name, 0, INT_MAX, &fd) < 0)
			continue;
		if (snprintf(name, sizeof(name), "/proc/self/fd/%ld", fd) >= (int)sizeof(name))
			continue;
		n = readlink(name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, want) == 0 && fd > found)
			found = (int)fd;
	}
	closedir(dir);
	return found;
}

static int
gm_configure(struct modem *m, struct gm_state *g)
{
	GSM_Config *c = GSM_GetConfig(g->sm, 0);

	if (c == NULL)
		return -1;
	free(c->Device);
	free(c->Connection);
	free(c->DebugFile);
	c->Device = strdup(m->cfg.device);
	c->Connection = strdup(m->cfg.connection);
	c->DebugFile = strdup(m->cfg.gammu_log);
	if (c->Device == NULL || c->Connection == NULL || c->DebugFile == NULL)
		return -1;
	c->Model[0] = '\0';
	if (util_strcopy(c->DebugLevel, sizeof(c->DebugLevel),
		m->cfg.gammu_log[0] != '\0' ? "textalldate" : "") < 0)
		return -1;
	c->SyncTime = FALSE;
	c->LockDevice = FALSE;
	c->StartInfo = FALSE;
	c->UseGlobalDebugFile = FALSE;
	/* Calendar labels libgammu wants set; unused here. */
	if (util_strcopy(c->TextReminder, sizeof(c->TextReminder), "Reminder") < 0 ||
	    util_strcopy(c->TextMeeting, sizeof(c->TextMeeting), "Meeting") < 0 ||
	    util_strcopy(c->TextCall, sizeof(c->TextCall), "Call") < 0 ||
	    util_strcopy(c->TextBirthday, sizeof(c->TextBirthday), "Birthday") < 0 ||
	    util_strcopy(c->TextMemo, sizeof(c->TextMemo), "Memo") < 0)
		return -1;
	c->PhoneFeatures[0] = 0;
	for (size_t i = 0; i < sizeof(c->CNMIParams) / sizeof(c->CNMIParams[0]); i++)
		c->CNMIParams[i] = -1; /* libgammu's own choice: AT+CNMI=2,1,0,2,0 */
	GSM_SetConfigNum(g->sm, 1);
	return 0;
}

static int
gm_unlock_sim(struct modem *m, struct gm_state *g)
{
	GSM_SecurityCodeType status;
	GSM_SecurityCode code;
	GSM_Error e = GSM_GetSecurityStatus(g->sm, &status);

	if (!gm_ok(e)) {
		/* Some modems do not answer AT+CPIN?; carry on and let SMS calls tell. */
		log_debug("modem %s: security status: %s", m->cfg.name, GSM_ErrorString(e));
		return 0;
	}
	if (status == SEC_None)
		return 0;
	if (status != SEC_Pin) {
		log_warnx(
		    "modem %s: SIM wants a code Kawan cannot give (type %d): PUK or phone lock",
		    m->cfg.name, (int)status);
		return -1;
	}
	if (m->cfg.pin[0] == '\0') {
		log_warnx("modem %s: SIM asks for a PIN and none is configured", m->cfg.name);
		return -1;
	}
	memset(&code, 0, sizeof(code));
	code.Type = SEC_Pin;
	if (util_strcopy(code.Code, sizeof(code.Code), m->cfg.pin) < 0)
		return -1;
	e = GSM_EnterSecurityCode(g->sm, &code);
	if (!gm_ok(e)) {
		log_warnx(
		    "modem %s: SIM PIN refused: %s (not retried, to keep the SIM from locking)",
		    m->cfg.name, GSM_ErrorString(e));
		return -1;
	}
	log_info("modem %s: SIM unlocked", m->cfg.name);
	return 0;
}

static void
gm_close(struct modem *m)
{
	struct gm_state *g = m->impl;

	if (g->sm != NULL) {
		if (g->connected)
			(void)GSM_TerminateConnection(g->sm);
		GSM_FreeStateMachine(g->sm);
		g->sm = NULL;
	}
	g->connected = false;
	g->fd = -1;
}

/* libgammu calls localtime() while it decodes every SMS (its timezone
 * offset) and while it connects, and then normalises the result with
 * mktime(): glibc's localtime() returns one static struct tm for the whole
 * process, so two modem threads write it at once (ThreadSanitizer showed
 * it, and a torn time would change a message's dedupe key). This
 * definition in the executable takes the place of glibc's for libgammu too,
 * and gives each thread its own buffer. Kawan itself uses localtime_r(). */
struct tm *
localtime(const time_t *t)
{
	static _Thread_local struct tm tm;

	return localtime_r(t, &tm);
}

struct tm *
gmtime(const time_t *t)
{
	static _Thread_local struct tm tm;

	return gmtime_r(t, &tm);
}

/* Likewise wctomb() and mbtowc(), which libgammu's (Encode|Decode)With-
 * UnicodeAlphabet call for every character: glibc keeps one conversion
 * state for the process; here each thread has its own, with the same
 * meaning (a NULL string resets it). */
int
wctomb(char *s, wchar_t wc)
{
	static _Thread_local mbstate_t st;
	size_t n;

	if (s == NULL) {
		memset(&st, 0, sizeof(st));
		return 0;
	}
	n = wcrtomb(s, wc, &st);
	return n == (size_t)-1 ? -1 : (int)n;
}

int
mbtowc(wchar_t *pwc, const char *s, size_t len)
{
	static _Thread_local mbstate_t st;
	size_t n;

	if (s == NULL) {
		memset(&st, 0, sizeof(st));
		return 0;
	}
	n = mbrtowc(pwc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2) {
		memset(&st, 0, sizeof(st));
		return -1;
	}
	return (int)n;
}

/* libgammu's connection setup writes static buffers (localtime() in
 * Fill_GSM_DateTime, DecodeWithUnicodeAlphabet, GetOS): two modem threads
 * opening at once race on them (ThreadSanitizer showed it). Opens are rare,
 * so they take turns; sending and reading run in parallel. */
static pthread_mutex_t gm_open_lock = PTHREAD_MUTEX_INITIALIZER;

static int gm_open_locked(struct modem *m);

static int
gm_open(struct modem *m)
{
	int rc;

	pthread_mutex_lock(&gm_open_lock);
	rc = gm_open_locked(m);
	pthread_mutex_unlock(&gm_open_lock);
	return rc;
}

static int
gm_open_locked(struct modem *m)
{
	struct gm_state *g = m->impl;
	GSM_Error e;

	gm_close(m);
	m->cannot_stage = false; /* ask the (maybe different) modem again */
	g->sm = GSM_AllocStateMachine();
	if (g->sm == NULL || gm_configure(m, g) < 0) {
		log_warnx("modem %s: out of memory", m->cfg.name);
		goto fail;
	}
	e = GSM_InitConnection(g->sm, 1);
	if (!gm_ok(e)) {
		log_warnx("modem %s: cannot connect to %s (%s): %s", m->cfg.name, m->cfg.device,
		    m->cfg.connection, GSM_ErrorString(e));
		goto fail;
	}
	g->connected = true;
	if (gm_unlock_sim(m, g) < 0)
		goto fail;
	GSM_SetIncomingSMSCallback(g->sm, gm_on_sms, g);
	GSM_SetSendSMSStatusCallback(g->sm, gm_on_send_status, g);
	GSM_SetIncomingCallCallback(g->sm, gm_on_call, g);
	memset(&g->smsc, 0, sizeof(g->smsc));
	g->smsc.Location = 1;
	g->have_smsc = gm_ok(GSM_GetSMSC(g->sm, &g->smsc));
	e = GSM_SetIncomingSMS(g->sm, TRUE);
	if (!gm_ok(e))
		log_warnx("modem %s: no +CMTI indications (%s); polling the inbox instead",
		    m->cfg.name, GSM_ErrorString(e));
	e = GSM_SetIncomingCall(g->sm, TRUE);
	if (!gm_ok(e))
		log_debug("modem %s: no call indications: %s", m->cfg.name, GSM_ErrorString(e));
	g->fd = gm_find_fd(m->cfg.device);
	if (g->fd < 0)
		log_info("modem %s: device descriptor not found; reading every 50 ms", m->cfg.name);
	g->events = MODEM_EV_SMS; /* sweep the SIM once after every (re)connect */
	log_info("modem %s: connected on %s", m->cfg.name, m->cfg.device);
	return 0;
fail:
	gm_close(m);
	return -1;
}

/* The reset ladder's second rung: a fresh connection just long enough
 * for GSM_Reset (a soft reset; the modem re-registers), then closed. A
 * modem that does not answer the connection's first commands is skipped. */
static int
gm_reset(struct modem *m)
{
	struct gm_state *g = m->impl;
	GSM_Error e;
	int rc = 1;

	pthread_mutex_lock(&gm_open_lock);
	gm_close(m);
	g->sm = GSM_AllocStateMachine();
	if (g->sm == NULL || gm_configure(m, g) < 0)
		goto out;
	if (!gm_ok(GSM_InitConnection(g->sm, 1)))
		goto out; /* not connected enough to be asked: skipped */
	g->connected = true;
	e = GSM_Reset(g->sm, FALSE);
	rc = gm_ok(e) ? 0 : -1;
	if (rc < 0)
		log_warnx("modem %s: reset refused: %s", m->cfg.name, GSM_ErrorString(e));
out:
	gm_close(m);
	pthread_mutex_unlock(&gm_open_lock);
	return rc;
}

static void
gm_hangup(struct modem *m, struct gm_state *g)
{
	GSM_Error e = GSM_CancelCall(g->sm, 0, TRUE);

	if (!gm_ok(e))
		log_debug("modem %s: hang-up: %s", m->cfg.name, GSM_ErrorString(e));
	if (util_strcopy(m->last_call, sizeof(m->last_call), g->call_from) < 0)
		m->last_call[0] = '\0';
	log_info("modem %s: missed call from %s, hung up", m->cfg.name,
	    g->call_from[0] != '\0' ? MASK_NUMBER(g->call_from) : "a withheld number");
	g->call_from[0] = '\0';
	g->call_pending = false;
	g->events |= MODEM_EV_CALL;
}

/* Sleeps until the device or wake_fd is readable, or timeout_ms. -1 when
 * the device hung up. */
static int
gm_wait(struct modem *m, struct gm_state *g, int timeout_ms, int wake_fd, unsigned *events)
{
	struct pollfd pfd[2];
	nfds_t n = 0;
	int r, dev = -1, wake = -1;

	if (g->fd >= 0) {
		pfd[n] = (struct pollfd){ .fd = g->fd, .events = POLLIN };
		dev = (int)n++;
	} else if (timeout_ms > 50) {
		timeout_ms = 50; /* no descriptor: read the device every 50 ms */
	}
	if (wake_fd >= 0) {
		pfd[n] = (struct pollfd){ .fd = wake_fd, .events = POLLIN };
		wake = (int)n++;
	}
	r = poll(pfd, n, timeout_ms);
	if (r < 0 && errno != EINTR)
		return -1;
	if (r <= 0)
		return 0;
	if (dev >= 0 && (pfd[dev].revents & (POLLHUP | POLLERR | POLLNVAL))) {
		log_warnx("modem %s: device hung up", m->cfg.name);
		return -1;
	}
	if (wake >= 0 && (pfd[wake].revents & POLLIN))
		*events |= MODEM_EV_WAKE;
	return 0;
}

/* Hands the status reports the callback kept to the modem's owner. */
static void
gm_take_reports(struct modem *m, struct gm_state *g)
{
	for (size_t i = 0; i < g->nreports; i++) {
		if (m->nreports >= MODEM_MAX_REPORTS) {
			g->reports_dropped++;
			continue;
		}
		m->reports[m->nreports++] = g->reports[i];
	}
	g->nreports = 0;
	if (g->reports_dropped > 0) {
		log_warnx("modem %s: %zu status reports dropped (more than %d between polls)",
		    m->cfg.name, g->reports_dropped, MODEM_MAX_REPORTS);
		g->reports_dropped = 0;
	}
}

static int
gm_poll(struct modem *m, int timeout_ms, int wake_fd, unsigned *events)
{
	struct gm_state *g = m->impl;

	if (!g->connected)
		return -1;
	if (g->events == 0 && timeout_ms > 0 && gm_wait(m, g, timeout_ms, wake_fd, events) < 0)
		return -1;
	if (GSM_ReadDevice(g->sm, FALSE) < 0) {
		log_warnx("modem %s: read failed", m->cfg.name);
		return -1;
	}
	if (g->call_pending)
		gm_hangup(m, g);
	gm_take_reports(m, g);
	*events |= g->events;
	g->events = 0;
	return 0;
}

static void
gm_destroy(struct modem *m)
{
	if (m == NULL)
		return;
	gm_close(m);
	free(((struct gm_state *)m->impl)->scratch);
	free(m->impl);
	free(m);
}

static const struct modem_ops gm_ops = {
	.open = gm_open,
	.poll = gm_poll,
	.fetch = gm_fetch,
	.delete = gm_delete,
	.send = gm_send,
	.parts = gm_parts,
	.stage = gm_stage,
	.send_staged = gm_send_staged,
	.list_staged = gm_list_staged,
	.close = gm_close,
	.reset = gm_reset,
	.destroy = gm_destroy,
	.identity = gm_identity,
	.health = gm_health,
	.ussd = gm_ussd,
};

struct modem *
modem_gammu_new(const struct config_modem *cfg)
{
	struct modem *m = calloc(1, sizeof(*m));
	struct gm_state *g = calloc(1, sizeof(*g));

	if (m == NULL || g == NULL) {
		free(m);
		free(g);
		return NULL;
	}
	g->scratch = malloc(sizeof(*g->scratch));
	if (g->scratch == NULL) {
		free(m);
		free(g);
		return NULL;
	}
	g->fd = -1;
	m->cfg = *cfg;
	m->impl = g;
	m->ops = &gm_ops;
	return m;
}
