/* modem_gammu_read.c - the modem's storage through libgammu: every
 * SMS-DELIVER part listed as it is (joining is inbound/concat.c's), slots
 * deleted, our own stored outgoing parts listed. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/charset.h"
#include "core/log.h"
#include "core/util.h"
#include "modem/modem_gammu_int.h"

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
		*flags |= MODEM_PART_INVALID; /* undecodable: stored empty, flagged */
		return;
	}
	if (sms->Coding == SMS_Coding_8bit) {
		static const char hex[] = "0123456789abcdef";

		*flags |= MODEM_PART_BINARY;
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
		*flags |= MODEM_PART_TRUNCATED;
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
gm_read_all(struct modem *m, struct gm_state *g, GSM_SMSMessageType want, GSM_SMSMessage **all,
    size_t *nall)
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
			break; /* the end of the listing */
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
			break; /* no progress: never loop on one slot */
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
			if (cur->SMS[k].PDU == want && gm_push(all, nall, &cap, &cur->SMS[k]) < 0)
				goto done;
	}
done:
	return rc;
}

/* The storage's parts, each converted on its own. */
static int
gm_convert(const GSM_SMSMessage *s, struct modem_part *p)
{
	size_t cap = (size_t)GSM_MAX_SMS_LENGTH * 4 + 1;

	gm_number_to_utf8(s->Number, p->sender, sizeof(p->sender));
	p->slot.folder = s->Folder;
	p->slot.location = s->Location;
	p->sent_at_ms = gm_datetime_ms(&s->DateTime);
	p->ref = -1;
	p->total = 1;
	p->seq = 1;
	if (s->Length >= 0 && (s->UDH.Type == UDH_ConcatenatedMessages ||
				  s->UDH.Type == UDH_ConcatenatedMessages16bit)) {
		p->ref = s->UDH.Type == UDH_ConcatenatedMessages ? s->UDH.ID8bit : s->UDH.ID16bit;
		p->total = s->UDH.AllParts;
		p->seq = s->UDH.PartNumber;
	}
	p->text = calloc(1, cap);
	if (p->text == NULL)
		return -1;
	gm_part_text(s, p->text, cap, &p->flags);
	return 0;
}

int
gm_fetch(struct modem *m, struct modem_part **out, size_t *n)
{
	struct gm_state *g = m->impl;
	GSM_SMSMessage *all = NULL;
	size_t nall = 0;

	*out = NULL;
	*n = 0;
	if (!g->connected || gm_read_all(m, g, SMS_Deliver, &all, &nall) < 0) {
		free(all);
		return -1;
	}
	if (nall == 0)
		return 0;
	*out = calloc(nall, sizeof(**out));
	if (*out == NULL) {
		free(all);
		return 0; /* nothing read: the next sweep tries again */
	}
	for (size_t i = 0; i < nall; i++) {
		if (gm_convert(&all[i], &(*out)[*n]) < 0)
			break;
		(*n)++;
	}
	free(all);
	return 0;
}

int
gm_delete(struct modem *m, const struct modem_slot *slots, size_t n)
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
			log_warnx("modem %s: delete SMS %d: %s", m->cfg.name, s.Location,
			    GSM_ErrorString(e));
			rc = -1;
		}
	}
	return rc;
}

int
gm_list_staged(struct modem *m, struct modem_slot **slots, size_t *n)
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
