/* modem_gammu_send.c - sending through libgammu: AT+CMGS directly, or
 * staged: AT+CMGW into the storage, then AT+CMSS from there, so the SIM's
 * "sent" mark says after a crash whether a part went out. */
#include <stdlib.h>
#include <string.h>

#include "core/charset.h"
#include "core/log.h"
#include "core/util.h"
#include "modem/modem_gammu_int.h"

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
	if (!gm_ok(e) || out->Number < 1 || out->Number > MODEM_MAX_OUT) {
		log_warnx("modem %s: cannot encode a reply of %zu bytes: %s", m->cfg.name,
		    strlen(text), gm_ok(e) ? "too many parts" : GSM_ErrorString(e));
		goto done;
	}
	for (int i = 0; i < out->Number; i++) {
		GSM_SMSMessage *s = &out->SMS[i];

		/* libgammu sets TP-SRR (a status report asked for) on a submit
		 * it is given as SMS_Status_Report; AT+CMGW ignores it. */
		s->PDU = m->want_report ? SMS_Status_Report : SMS_Submit;
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

enum modem_send_result
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
			log_warnx("modem %s: send part %d/%d: %s", m->cfg.name, i + 1, sms->Number,
			    GSM_ErrorString(e));
			r = gm_link_error(e) ? MODEM_SEND_LINK_DOWN : MODEM_SEND_REFUSED;
			goto done;
		}
		r = gm_wait_status(m, g);
		if (r != MODEM_SEND_OK)
			goto done;
		*msg_ref = g->send_ref;
	}
	r = MODEM_SEND_OK;
	m->sent_parts = sms->Number;
done:
	return r;
}

int
gm_parts(struct modem *m, const char *dest, const char *text, int msg_class)
{
	struct gm_state *g = m->impl;
	GSM_MultiSMSMessage *sms = g->scratch;

	if (gm_encode(m, dest, text, msg_class, sms) < 0)
		return -1;
	return sms->Number;
}

enum modem_send_result
gm_stage(struct modem *m, const char *dest, const char *text, int msg_class,
    struct modem_slot *slots, size_t max, size_t *n)
{
	struct gm_state *g = m->impl;
	GSM_MultiSMSMessage *sms;
	enum modem_send_result r = MODEM_SEND_REFUSED;

	*n = 0;
	if (!g->connected)
		return MODEM_SEND_LINK_DOWN;
	sms = g->scratch;
	if (gm_encode(m, dest, text, msg_class, sms) < 0 || (size_t)sms->Number > max)
		goto done;
	for (int i = 0; i < sms->Number; i++) {
		GSM_SMSMessage *s = &sms->SMS[i];
		GSM_Error e;

		s->Folder = 2; /* libgammu's SIM outbox: AT+CMGW with STO UNSENT */
		s->Location = 0;
		s->State = SMS_UnSent;
		e = GSM_AddSMS(g->sm, s);
		if (!gm_ok(e)) {
			log_warnx("modem %s: storing reply part %d/%d: %s", m->cfg.name, i + 1,
			    sms->Number, GSM_ErrorString(e));
			r = gm_link_error(e) ? MODEM_SEND_LINK_DOWN : MODEM_SEND_REFUSED;
			if (e == ERR_NOTSUPPORTED || e == ERR_NOTIMPLEMENTED)
				r = MODEM_SEND_UNSUPPORTED;
			if (e == ERR_FULL)
				r = MODEM_SEND_FULL; /* +CMS ERROR 322: memory full */
			(void)gm_delete(m, slots, *n);
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
gm_staged_state(struct modem *m, struct gm_state *g, const struct modem_slot *slot,
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
		return MODEM_SEND_GONE; /* the slot now holds something else */
	return buf->SMS[0].State == SMS_Sent ? 1 : 0;
}

enum modem_send_result
gm_send_staged(struct modem *m, const struct modem_slot *slots, size_t n, int *msg_ref)
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
