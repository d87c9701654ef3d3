/* modem_gammu.c - a GSM modem through libgammu's AT driver; the only file
 * that includes <gammu.h>, so GSM_Error (where ERR_NONE is 1) ends here.
 *
 * Idle waiting is a poll() on the device's descriptor (found in
 * /proc/self/fd), not GSM_ReadDevice(TRUE), which sleeps in 5 ms steps.
 * Indications (+CMTI, RING) only set flags: libgammu forbids AT commands
 * inside its callbacks, so the work happens after poll() returns. */
#include "modem/modem.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gammu.h>

#include "core/charset.h"
#include "core/log.h"
#include "core/util.h"

#define GM_SEND_TIMEOUT_MS   30000   /* wait for +CMGS after the PDU */
#define GM_MAX_PARTS_OUT     10      /* longest reply we send, in parts */
#define GM_MAX_TRACKED       64      /* incomplete concatenated SMS we track */
#define GM_TEXT_MAX          (GSM_MAX_SMS_LENGTH * 4 + 1)

struct gm_partial {
	char key[STORE_KEY_MAX];
	int64_t first_seen_ms;
};

struct gm_state {
	GSM_StateMachine *sm;
	int fd;                     /* the device's descriptor, -1 if unknown */
	bool connected;
	unsigned events;            /* MODEM_EV_* set by callbacks */
	int send_status;            /* -1 waiting, 0 accepted, >0 modem error */
	int send_ref;
	bool call_pending;
	char call_from[STORE_ADDR_MAX];
	GSM_SMSC smsc;
	bool have_smsc;
	struct gm_partial partials[GM_MAX_TRACKED];
	/* One 260 KiB libgammu message buffer, allocated once: a fresh one per
	 * send cost an mmap, page faults and a munmap every message. The
	 * functions using it never nest. */
	GSM_MultiSMSMessage *scratch;
};

static bool
gm_ok(GSM_Error e)
{
	return e == ERR_NONE;
}

/* Errors that mean the link itself is gone, not just one refused request. */
static bool
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

static void
gm_number_to_utf8(const unsigned char *ucs, char *out, size_t outsz)
{
	size_t n = charset_utf16be_len(ucs);

	if (charset_utf16be_to_utf8(ucs, n, out, outsz) < 0)
		out[0] = '\0';
}

static void
gm_on_sms(GSM_StateMachine *sm, GSM_SMSMessage *sms, void *arg)
{
	struct gm_state *g = arg;

	(void)sm;
	(void)sms;
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
		c->CNMIParams[i] = -1;   /* libgammu's own choice: AT+CNMI=2,1,0,2,0 */
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
		log_warnx("modem %s: SIM wants a code Kawan cannot give (type %d): PUK or phone lock",
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
		log_warnx("modem %s: SIM PIN refused: %s (not retried, to keep the SIM from locking)",
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

static int
gm_open(struct modem *m)
{
	struct gm_state *g = m->impl;
	GSM_Error e;

	gm_close(m);
	m->cannot_stage = false;   /* ask the (maybe different) modem again */
	g->sm = GSM_AllocStateMachine();
	if (g->sm == NULL || gm_configure(m, g) < 0) {
		log_warnx("modem %s: out of memory", m->cfg.name);
		goto fail;
	}
	e = GSM_InitConnection(g->sm, 1);
	if (!gm_ok(e)) {
		log_warnx("modem %s: cannot connect to %s (%s): %s", m->cfg.name,
		    m->cfg.device, m->cfg.connection, GSM_ErrorString(e));
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
	g->events = MODEM_EV_SMS;   /* sweep the SIM once after every (re)connect */
	log_info("modem %s: connected on %s", m->cfg.name, m->cfg.device);
	return 0;
fail:
	gm_close(m);
	return -1;
}

static void
gm_hangup(struct modem *m, struct gm_state *g)
{
	GSM_Error e = GSM_CancelCall(g->sm, 0, TRUE);

	if (!gm_ok(e))
		log_debug("modem %s: hang-up: %s", m->cfg.name, GSM_ErrorString(e));
	if (util_strcopy(m->last_call, sizeof(m->last_call), g->call_from) < 0)
		m->last_call[0] = '\0';
	log_info("modem %s: missed call from %s, hung up", m->cfg.name, g->call_from);
	g->call_pending = false;
	g->events |= MODEM_EV_CALL;
}

static int
gm_poll(struct modem *m, int timeout_ms, unsigned *events)
{
	struct gm_state *g = m->impl;

	if (!g->connected)
		return -1;
	if (g->events == 0 && timeout_ms > 0) {
		if (g->fd >= 0) {
			struct pollfd pfd = { .fd = g->fd, .events = POLLIN };
			int n = poll(&pfd, 1, timeout_ms);

			if (n < 0 && errno != EINTR)
				return -1;
			if (n > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))) {
				log_warnx("modem %s: device hung up", m->cfg.name);
				return -1;
			}
		} else {
			struct timespec ts = { 0, (timeout_ms < 50 ? timeout_ms : 50) * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
	if (GSM_ReadDevice(g->sm, FALSE) < 0) {
		log_warnx("modem %s: read failed", m->cfg.name);
		return -1;
	}
	if (g->call_pending)
		gm_hangup(m, g);
	*events |= g->events;
	g->events = 0;
	return 0;
}

/* One SIM-stored part, as read. */
struct gm_part {
	GSM_SMSMessage *sms;
	char sender[STORE_ADDR_MAX];
	int ref;         /* concatenation reference, -1 for a single SMS */
	int total, seq;
	bool used;
};

static int64_t
gm_datetime_ms(const GSM_DateTime *dt)
{
	struct tm tm;
	time_t t;

	if (dt->Year == 0)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = dt->Year - 1900;
	tm.tm_mon = dt->Month - 1;
	tm.tm_mday = dt->Day;
	tm.tm_hour = dt->Hour;
	tm.tm_min = dt->Minute;
	tm.tm_sec = dt->Second;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return 0;
	return ((int64_t)t - dt->Timezone) * 1000;
}

/* Appends one part's text (UTF-8) to buf; 8-bit parts as hex. */
static void
gm_part_text(const GSM_SMSMessage *sms, char *buf, size_t bufsz, int *flags)
{
	size_t used = strlen(buf);

	if (sms->Length < 0) {
		*flags |= STORE_IN_INVALID;   /* undecodable: stored empty, flagged */
		return;
	}
	if (sms->Coding == SMS_Coding_8bit) {
		static const char hex[] = "0123456789abcdef";

		*flags |= STORE_IN_BINARY;
		for (int i = 0; i < sms->Length && used + 2 < bufsz; i++) {
			buf[used++] = hex[sms->Text[i] >> 4];
			buf[used++] = hex[sms->Text[i] & 0xf];
		}
		buf[used] = '\0';
		return;
	}
	/* For GSM-7 Length counts septets (an extension character takes two),
	 * so the decoded text's own length is what to read. */
	if (charset_utf16be_to_utf8(sms->Text, charset_utf16be_len(sms->Text), buf + used,
	    bufsz - used) < 0)
		*flags |= STORE_IN_TRUNCATED;
}

static uint64_t
gm_fnv64(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static int64_t
gm_partial_first_seen(struct gm_state *g, const char *key, int64_t now)
{
	struct gm_partial *free_slot = NULL, *oldest = &g->partials[0];

	for (size_t i = 0; i < GM_MAX_TRACKED; i++) {
		struct gm_partial *p = &g->partials[i];

		if (p->key[0] != '\0' && strcmp(p->key, key) == 0)
			return p->first_seen_ms;
		if (p->key[0] == '\0' && free_slot == NULL)
			free_slot = p;
		if (p->first_seen_ms < oldest->first_seen_ms)
			oldest = p;
	}
	if (free_slot == NULL)
		free_slot = oldest;
	if (util_strcopy(free_slot->key, sizeof(free_slot->key), key) < 0)
		free_slot->key[0] = '\0';
	free_slot->first_seen_ms = now;
	return now;
}

static void
gm_partial_forget(struct gm_state *g, const char *key)
{
	for (size_t i = 0; i < GM_MAX_TRACKED; i++)
		if (strcmp(g->partials[i].key, key) == 0)
			g->partials[i].key[0] = '\0';
}

/* Joins the parts that share parts[first]'s sender and reference into one
 * message. Returns 1 when out is ready to store, 0 to leave it on the SIM. */
static int
gm_join(struct gm_state *g, struct gm_part *parts, size_t nparts, size_t first,
    int64_t partial_timeout_ms, struct modem_sms *out)
{
	struct gm_part *head = &parts[first];
	struct gm_part *bySeq[MODEM_MAX_PARTS + 1] = { NULL };
	size_t have = 0;
	char *text;
	int flags = 0;

	memset(out, 0, sizeof(*out));
	if (head->ref < 0 || head->total <= 1 || head->total > MODEM_MAX_PARTS) {
		bySeq[1] = head;
		head->used = true;
		have = 1;
		if (head->total > MODEM_MAX_PARTS)
			flags |= STORE_IN_PARTIAL;   /* too many parts to join; store each */
	} else {
		for (size_t i = first; i < nparts; i++) {
			struct gm_part *p = &parts[i];

			if (p->used || p->ref != head->ref || p->total != head->total ||
			    strcmp(p->sender, head->sender) != 0)
				continue;
			if (p->seq < 1 || p->seq > head->total || bySeq[p->seq] != NULL)
				continue;   /* a duplicate part: the later copy stays for the next sweep */
			bySeq[p->seq] = p;
			have++;
		}
	}
	if (util_strcopy(out->sender, sizeof(out->sender), head->sender) < 0)
		flags |= STORE_IN_TRUNCATED;
	snprintf(out->key, sizeof(out->key), "%s|%lld|%d/%d|%d", head->sender,
	    (long long)gm_datetime_ms(&head->sms->DateTime), head->ref, head->total,
	    head->sms->Location);
	if (head->ref >= 0 && head->total > 1 && head->total <= MODEM_MAX_PARTS &&
	    have < (size_t)head->total) {
		int64_t now = util_mono_ms();

		if (now - gm_partial_first_seen(g, out->key, now) < partial_timeout_ms)
			return 0;
		flags |= STORE_IN_PARTIAL;
	}
	text = calloc(1, GM_TEXT_MAX * (size_t)(have > 0 ? have : 1));
	if (text == NULL)
		return 0;
	for (int s = 1; s <= MODEM_MAX_PARTS; s++) {
		struct gm_part *p = bySeq[s];

		if (p == NULL)
			continue;
		p->used = true;
		gm_part_text(p->sms, text, GM_TEXT_MAX * have, &flags);
		out->folder[out->nparts] = p->sms->Folder;
		out->location[out->nparts] = p->sms->Location;
		out->nparts++;
	}
	gm_partial_forget(g, out->key);
	/* The key ends with a hash of the text, so a reused SIM slot with the
	 * same sender and second cannot be taken for the old message. */
	{
		size_t klen = strlen(out->key);

		snprintf(out->key + klen, sizeof(out->key) - klen, "|%016llx",
		    (unsigned long long)gm_fnv64(text));
	}
	out->text = text;
	out->sent_at_ms = gm_datetime_ms(&head->sms->DateTime);
	out->flags = flags;
	return 1;
}

/* Appends one part to a growing array. 0 or -1 (out of memory). */
static int
gm_push(GSM_SMSMessage **all, size_t *nall, size_t *cap, const GSM_SMSMessage *s)
{
	if (*nall == *cap) {
		size_t ncap = *cap == 0 ? 16 : *cap * 2;
		GSM_SMSMessage *n = realloc(*all, ncap * sizeof(*n));

		if (n == NULL)
			return -1;
		*all = n;
		*cap = ncap;
	}
	(*all)[(*nall)++] = *s;
	return 0;
}

/* Reads every SMS-DELIVER part on the SIM into *all (caller frees). A part
 * libgammu cannot decode is returned with Length -1 and its slot, so it can
 * be recorded and deleted instead of blocking the SIM forever. libgammu
 * keeps its place in the listing through cur's Folder and Location, so cur
 * is not cleared between calls. Returns 0, or -1 when the link failed. */
static int
gm_read_all(struct modem *m, struct gm_state *g, GSM_SMSMessageType want,
    GSM_SMSMessage **all, size_t *nall)
{
	GSM_MultiSMSMessage *cur = g->scratch;
	int last_folder = -1, last_location = -1, rc = 0;
	bool start = true;
	size_t cap = 0;

	*all = NULL;
	*nall = 0;
	memset(cur, 0, sizeof(*cur));
	for (int guard = 0; guard < 4096; guard++) {
		GSM_Error e;

		cur->Number = 0;
		e = GSM_GetNextSMS(g->sm, cur, start);
		start = false;
		if (e == ERR_INVALIDLOCATION)
			break;   /* the end of the listing */
		/* libgammu also answers EMPTY for a slot whose PDU it cannot parse,
		 * having moved on to it; the real end leaves the place unchanged. */
		if (e == ERR_EMPTY && (cur->Number == 0 || cur->SMS[0].Location == last_location))
			break;
		if (!gm_ok(e) && gm_link_error(e)) {
			log_warnx("modem %s: reading SMS: %s", m->cfg.name, GSM_ErrorString(e));
			rc = -1;
			break;
		}
		if (cur->SMS[0].Folder == last_folder && cur->SMS[0].Location == last_location)
			break;   /* no progress: never loop on one slot */
		last_folder = cur->SMS[0].Folder;
		last_location = cur->SMS[0].Location;
		if (!gm_ok(e) && want == SMS_Deliver) {
			GSM_SMSMessage bad;

			log_warnx("modem %s: SMS in slot %d cannot be decoded: %s", m->cfg.name,
			    cur->SMS[0].Location, GSM_ErrorString(e));
			memset(&bad, 0, sizeof(bad));
			bad.Folder = cur->SMS[0].Folder;
			bad.Location = cur->SMS[0].Location;
			bad.PDU = SMS_Deliver;
			bad.Length = -1;
			if (gm_push(all, nall, &cap, &bad) < 0)
				break;
			continue;
		}
		for (int k = 0; k < cur->Number; k++)
			if (cur->SMS[k].PDU == want &&
			    gm_push(all, nall, &cap, &cur->SMS[k]) < 0)
				goto done;
	}
done:
	return rc;
}

static int
gm_fetch(struct modem *m, int64_t partial_timeout_ms, struct modem_sms **out, size_t *n)
{
	struct gm_state *g = m->impl;
	GSM_SMSMessage *all = NULL;
	struct gm_part *parts = NULL;
	size_t nall = 0, nout = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (!g->connected)
		return -1;
	if (gm_read_all(m, g, SMS_Deliver, &all, &nall) < 0)
		goto done;
	rc = 0;
	if (nall == 0)
		goto done;
	parts = calloc(nall, sizeof(*parts));
	*out = calloc(nall, sizeof(**out));
	if (parts == NULL || *out == NULL)
		goto done;
	for (size_t i = 0; i < nall; i++) {
		GSM_SMSMessage *s = &all[i];
		struct gm_part *p = &parts[i];

		p->sms = s;
		gm_number_to_utf8(s->Number, p->sender, sizeof(p->sender));
		p->ref = -1;
		p->total = 1;
		p->seq = 1;
		if (s->UDH.Type == UDH_ConcatenatedMessages ||
		    s->UDH.Type == UDH_ConcatenatedMessages16bit) {
			p->ref = s->UDH.Type == UDH_ConcatenatedMessages ? s->UDH.ID8bit : s->UDH.ID16bit;
			p->total = s->UDH.AllParts;
			p->seq = s->UDH.PartNumber;
		}
	}
	for (size_t i = 0; i < nall; i++) {
		if (parts[i].used)
			continue;
		if (gm_join(g, parts, nall, i, partial_timeout_ms, &(*out)[nout]) == 1)
			nout++;
	}
	*n = nout;
done:
	if (nout == 0) {
		free(*out);
		*out = NULL;
	}
	free(parts);
	free(all);
	return rc;
}

static int
gm_remove(struct modem *m, const struct modem_sms *msg)
{
	struct gm_state *g = m->impl;
	int rc = 0;

	for (size_t i = 0; i < msg->nparts; i++) {
		GSM_SMSMessage s;
		GSM_Error e;

		memset(&s, 0, sizeof(s));
		s.Folder = msg->folder[i];
		s.Location = msg->location[i];
		e = GSM_DeleteSMS(g->sm, &s);
		if (!gm_ok(e) && e != ERR_EMPTY) {
			log_warnx("modem %s: delete SMS %d: %s", m->cfg.name, s.Location, GSM_ErrorString(e));
			rc = -1;
		}
	}
	return rc;
}

/* Splits text into SMS-SUBMIT parts: GSM-7 when every character fits,
 * else UCS-2. 0 or -1 (too long, or libgammu refused it). */
static int
gm_encode(struct modem *m, const char *dest, const char *text, int msg_class,
    GSM_MultiSMSMessage *out)
{
	struct gm_state *g = m->impl;
	GSM_MultiPartSMSInfo info;
	size_t bufsz = strlen(text) * 2 + 4;
	unsigned char *buf = malloc(bufsz);
	GSM_Error e;
	int rc = -1;

	if (buf == NULL)
		return -1;
	if (charset_utf8_to_utf16be(text, buf, bufsz) < 0)
		goto done;
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = msg_class;
	info.UnicodeCoding = charset_gsm7_fits(text) ? FALSE : TRUE;
	info.EntriesNum = 1;
	info.Entries[0].ID = SMS_ConcatenatedTextLong;
	info.Entries[0].Buffer = buf;
	memset(out, 0, sizeof(*out));
	e = GSM_EncodeMultiPartSMS(NULL, &info, out);
	if (!gm_ok(e) || out->Number < 1 || out->Number > GM_MAX_PARTS_OUT) {
		log_warnx("modem %s: cannot encode a reply of %zu bytes: %s", m->cfg.name,
		    strlen(text), gm_ok(e) ? "too many parts" : GSM_ErrorString(e));
		goto done;
	}
	for (int i = 0; i < out->Number; i++) {
		GSM_SMSMessage *s = &out->SMS[i];

		s->PDU = SMS_Submit;
		if (g->have_smsc) {
			s->SMSC = g->smsc;
			s->SMSC.Location = 0;
		} else {
			s->SMSC.Location = 1;
		}
		if (charset_utf8_to_utf16be(dest, s->Number, sizeof(s->Number)) < 0)
			goto done;
	}
	rc = 0;
done:
	free(buf);
	return rc;
}

/* Waits for the +CMGS answer of the part just written. */
static enum modem_send_result
gm_wait_status(struct modem *m, struct gm_state *g)
{
	int64_t deadline = util_mono_ms() + GM_SEND_TIMEOUT_MS;

	while (g->send_status < 0) {
		if (util_mono_ms() > deadline) {
			log_warnx("modem %s: no answer to AT+CMGS", m->cfg.name);
			return MODEM_SEND_LINK_DOWN;
		}
		if (GSM_ReadDevice(g->sm, TRUE) < 0)
			return MODEM_SEND_LINK_DOWN;
	}
	if (g->send_status != 0) {
		log_warnx("modem %s: send refused, +CMS ERROR %d", m->cfg.name, g->send_status);
		return MODEM_SEND_REFUSED;
	}
	return MODEM_SEND_OK;
}

static enum modem_send_result
gm_send(struct modem *m, const char *dest, const char *text, int msg_class, int *msg_ref)
{
	struct gm_state *g = m->impl;
	GSM_MultiSMSMessage *sms;
	enum modem_send_result r = MODEM_SEND_REFUSED;

	if (!g->connected)
		return MODEM_SEND_LINK_DOWN;
	sms = g->scratch;
	if (gm_encode(m, dest, text, msg_class, sms) < 0)
		goto done;
	for (int i = 0; i < sms->Number; i++) {
		GSM_Error e;

		g->send_status = -1;
		e = GSM_SendSMS(g->sm, &sms->SMS[i]);
		if (!gm_ok(e)) {
			log_warnx("modem %s: send part %d/%d: %s", m->cfg.name, i + 1,
			    sms->Number, GSM_ErrorString(e));
			r = gm_link_error(e) ? MODEM_SEND_LINK_DOWN : MODEM_SEND_REFUSED;
			goto done;
		}
		r = gm_wait_status(m, g);
		if (r != MODEM_SEND_OK)
			goto done;
		*msg_ref = g->send_ref;
	}
	r = MODEM_SEND_OK;
done:
	return r;
}

/* Deletes slots from storage, best effort; -1 if any delete failed. */
static int
gm_unstage(struct modem *m, const struct store_slot *slots, size_t n)
{
	struct gm_state *g = m->impl;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		GSM_SMSMessage s;
		GSM_Error e;

		memset(&s, 0, sizeof(s));
		s.Folder = slots[i].folder;
		s.Location = slots[i].location;
		e = GSM_DeleteSMS(g->sm, &s);
		if (!gm_ok(e) && e != ERR_EMPTY && e != ERR_INVALIDLOCATION) {
			log_warnx("modem %s: delete stored reply part %d: %s", m->cfg.name,
			    s.Location, GSM_ErrorString(e));
			rc = -1;
		}
	}
	return rc;
}

static int
gm_stage(struct modem *m, const char *dest, const char *text, int msg_class,
    struct store_slot *slots, size_t max, size_t *n)
{
	struct gm_state *g = m->impl;
	GSM_MultiSMSMessage *sms;
	int r = MODEM_SEND_REFUSED;

	*n = 0;
	if (!g->connected)
		return MODEM_SEND_LINK_DOWN;
	sms = g->scratch;
	if (gm_encode(m, dest, text, msg_class, sms) < 0 || (size_t)sms->Number > max)
		goto done;
	for (int i = 0; i < sms->Number; i++) {
		GSM_SMSMessage *s = &sms->SMS[i];
		GSM_Error e;

		s->Folder = 2;            /* libgammu's SIM outbox: AT+CMGW with STO UNSENT */
		s->Location = 0;
		s->State = SMS_UnSent;
		e = GSM_AddSMS(g->sm, s);
		if (!gm_ok(e)) {
			log_warnx("modem %s: storing reply part %d/%d: %s", m->cfg.name, i + 1,
			    sms->Number, GSM_ErrorString(e));
			r = gm_link_error(e) ? MODEM_SEND_LINK_DOWN : MODEM_SEND_REFUSED;
			if (e == ERR_NOTSUPPORTED || e == ERR_NOTIMPLEMENTED)
				r = MODEM_SEND_UNSUPPORTED;
			(void)gm_unstage(m, slots, *n);
			*n = 0;
			goto done;
		}
		/* libgammu answers AT+CMGW with the flat folder 0, but lists the same
		 * slot as outbox folder 2: record it as listed, or the orphan sweep
		 * after a crash would not recognise it. */
		slots[*n].folder = s->Folder == 0 ? 2 : s->Folder;
		slots[*n].location = s->Location;
		(*n)++;
	}
	r = MODEM_SEND_OK;
done:
	return r;
}

/* Reads one stored part: 1 sent, 0 unsent, else a modem_send_result. */
static int
gm_staged_state(struct modem *m, struct gm_state *g, const struct store_slot *slot,
    GSM_MultiSMSMessage *buf)
{
	GSM_Error e;

	/* libgammu reads only SMS[0]'s place: clearing all 50 entries is waste. */
	memset(&buf->SMS[0], 0, sizeof(buf->SMS[0]));
	buf->Number = 1;
	buf->SMS[0].Folder = slot->folder;
	buf->SMS[0].Location = slot->location;
	e = GSM_GetSMS(g->sm, buf);
	if (e == ERR_EMPTY || e == ERR_INVALIDLOCATION) {
		log_warnx("modem %s: stored reply part %d is gone", m->cfg.name, slot->location);
		return MODEM_SEND_GONE;
	}
	if (!gm_ok(e))
		return gm_link_error(e) ? MODEM_SEND_LINK_DOWN : MODEM_SEND_REFUSED;
	if (buf->SMS[0].PDU != SMS_Submit)
		return MODEM_SEND_GONE;   /* the slot now holds something else */
	return buf->SMS[0].State == SMS_Sent ? 1 : 0;
}

static enum modem_send_result
gm_send_staged(struct modem *m, const struct store_slot *slots, size_t n, int *msg_ref)
{
	struct gm_state *g = m->impl;
	GSM_MultiSMSMessage *buf;
	enum modem_send_result r = MODEM_SEND_OK;

	if (!g->connected)
		return MODEM_SEND_LINK_DOWN;
	buf = g->scratch;
	for (size_t i = 0; i < n && r == MODEM_SEND_OK; i++) {
		int st = gm_staged_state(m, g, &slots[i], buf);
		GSM_Error e;

		if (st == 1) {
			log_info("modem %s: stored reply part %d already sent; not sending again",
			    m->cfg.name, slots[i].location);
			continue;
		}
		if (st < 0) {
			r = (enum modem_send_result)st;
			break;
		}
		g->send_status = -1;
		e = GSM_SendSavedSMS(g->sm, slots[i].folder, slots[i].location);
		if (!gm_ok(e)) {
			log_warnx("modem %s: AT+CMSS for part %d: %s", m->cfg.name,
			    slots[i].location, GSM_ErrorString(e));
			r = gm_link_error(e) ? MODEM_SEND_LINK_DOWN : MODEM_SEND_REFUSED;
			break;
		}
		r = gm_wait_status(m, g);
		if (r == MODEM_SEND_OK)
			*msg_ref = g->send_ref;
	}
	return r;
}

static int
gm_list_staged(struct modem *m, struct store_slot **slots, size_t *n)
{
	struct gm_state *g = m->impl;
	GSM_SMSMessage *all = NULL;
	size_t nall = 0;

	*slots = NULL;
	*n = 0;
	if (!g->connected || gm_read_all(m, g, SMS_Submit, &all, &nall) < 0)
		return -1;
	if (nall > 0) {
		*slots = calloc(nall, sizeof(**slots));
		if (*slots == NULL) {
			free(all);
			return -1;
		}
	}
	for (size_t i = 0; i < nall; i++) {
		(*slots)[i].folder = all[i].Folder;
		(*slots)[i].location = all[i].Location;
	}
	*n = nall;
	free(all);
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
	.remove = gm_remove,
	.send = gm_send,
	.stage = gm_stage,
	.send_staged = gm_send_staged,
	.unstage = gm_unstage,
	.list_staged = gm_list_staged,
	.close = gm_close,
	.destroy = gm_destroy,
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
