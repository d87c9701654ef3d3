/* pdu.c - SMS PDU codec (3GPP TS 23.040): encodes SMS-DELIVER, decodes
 * SMS-SUBMIT. Independent of libgammu on purpose (a test oracle). */
#include "pdu.h"

#include <stdio.h>
#include <string.h>

#include "gsm7.h"
#include "textcode.h"

#define PDU_TOA_INTL 0x91
#define PDU_TOA_UNKNOWN 0x81
#define PDU_TOA_ALNUM 0xD0

const char *
pdu_coding_name(enum pdu_coding c)
{
	switch (c) {
	case PDU_GSM7:
		return "gsm7";
	case PDU_8BIT:
		return "8bit";
	case PDU_UCS2:
		return "ucs2";
	}
	return "?";
}

/* ---- encoding ---- */

struct pdu_w {
	uint8_t b[PDU_MAX_OCTETS];
	size_t n;
	int overflow;
};

static void
pdu_put(struct pdu_w *w, uint8_t v)
{
	if (w->n >= sizeof(w->b)) {
		w->overflow = 1;
		return;
	}
	w->b[w->n++] = v;
}

static int
pdu_is_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++) {
		if (!((*s >= '0' && *s <= '9') || *s == '*' || *s == '#'))
			return 0;
	}
	return 1;
}

static uint8_t
pdu_bcd_digit(char c)
{
	if (c == '*')
		return 0xA;
	if (c == '#')
		return 0xB;
	return (uint8_t)(c - '0');
}

/* Writes swapped BCD digits (F-padded). */
static void
pdu_put_bcd(struct pdu_w *w, const char *digits, size_t n)
{
	for (size_t i = 0; i < n; i += 2) {
		uint8_t lo = pdu_bcd_digit(digits[i]);
		uint8_t hi = i + 1 < n ? pdu_bcd_digit(digits[i + 1]) : 0xF;
		pdu_put(w, (uint8_t)(hi << 4 | lo));
	}
}

static int
pdu_put_smsc(struct pdu_w *w, const char *smsc)
{
	if (!smsc || !*smsc) {
		pdu_put(w, 0);
		return 0;
	}
	int intl = smsc[0] == '+';
	const char *digits = smsc + intl;
	size_t n = strlen(digits);
	if (!pdu_is_digits(digits) || n > 20)
		return -1;
	pdu_put(w, (uint8_t)(1 + (n + 1) / 2));
	pdu_put(w, intl ? PDU_TOA_INTL : PDU_TOA_UNKNOWN);
	pdu_put_bcd(w, digits, n);
	return 0;
}

static int
pdu_put_alnum(struct pdu_w *w, const char *text)
{
	uint32_t cps[16];
	uint8_t sept[24];
	size_t ns = 0;
	int n = textcode_utf8_to_cps(text, strlen(text), cps, 16);
	if (n <= 0)
		return -1;
	for (int i = 0; i < n; i++) {
		uint8_t two[2];
		int k = gsm7_from_cp(cps[i], two);
		if (k == 0 || ns + (size_t)k > 11)
			return -1;
		for (int j = 0; j < k; j++)
			sept[ns++] = two[j];
	}
	uint8_t packed[16];
	int octets = gsm7_pack(sept, ns, 0, packed, sizeof(packed));
	if (octets < 0)
		return -1;
	pdu_put(w, (uint8_t)((ns * 7 + 3) / 4));
	pdu_put(w, PDU_TOA_ALNUM);
	for (int i = 0; i < octets; i++)
		pdu_put(w, packed[i]);
	return 0;
}

static int
pdu_put_oa(struct pdu_w *w, const char *from, int toa)
{
	int intl = from[0] == '+';
	const char *digits = from + intl;
	if (!pdu_is_digits(digits))
		return pdu_put_alnum(w, from);
	size_t n = strlen(digits);
	if (n > 20)
		return -1;
	pdu_put(w, (uint8_t)n);
	pdu_put(w, (uint8_t)(toa ? toa : intl ? PDU_TOA_INTL : PDU_TOA_UNKNOWN));
	pdu_put_bcd(w, digits, n);
	return 0;
}

static uint8_t
pdu_dcs(enum pdu_coding c, int msg_class)
{
	uint8_t dcs = (uint8_t)(c == PDU_UCS2 ? 0x08 : c == PDU_8BIT ? 0x04 : 0x00);
	if (msg_class >= 0 && msg_class <= 3)
		dcs |= (uint8_t)(0x10 | msg_class);
	return dcs;
}

static uint8_t
pdu_bcd_swapped(int v)
{
	return (uint8_t)((v % 10) << 4 | (v / 10 % 10));
}

static void
pdu_put_scts(struct pdu_w *w, const struct pdu_time *t)
{
	pdu_put(w, pdu_bcd_swapped(t->year));
	pdu_put(w, pdu_bcd_swapped(t->month));
	pdu_put(w, pdu_bcd_swapped(t->day));
	pdu_put(w, pdu_bcd_swapped(t->hour));
	pdu_put(w, pdu_bcd_swapped(t->min));
	pdu_put(w, pdu_bcd_swapped(t->sec));
	int q = t->tz_quarters < 0 ? -t->tz_quarters : t->tz_quarters;
	uint8_t tz = pdu_bcd_swapped(q % 80);
	if (t->tz_quarters < 0)
		tz |= 0x08;
	pdu_put(w, tz);
}

static int
pdu_put_ud(struct pdu_w *w, const struct pdu_deliver *d)
{
	uint8_t udh[6] = { 5, 0x00, 0x03, d->ref, d->total, d->seq };
	size_t udh_len = d->has_concat ? sizeof(udh) : 0;
	if (d->coding != PDU_GSM7) {
		size_t udl = udh_len + d->ud_len;
		if (udl > 140)
			return -1;
		pdu_put(w, (uint8_t)udl);
		for (size_t i = 0; i < udh_len; i++)
			pdu_put(w, udh[i]);
		for (size_t i = 0; i < d->ud_len; i++)
			pdu_put(w, d->ud[i]);
		return 0;
	}
	size_t hdr_septets = (udh_len * 8 + 6) / 7;
	int fill = (int)(hdr_septets * 7 - udh_len * 8);
	size_t udl = hdr_septets + d->ud_len;
	if (udl > 160)
		return -1;
	pdu_put(w, (uint8_t)udl);
	for (size_t i = 0; i < udh_len; i++)
		pdu_put(w, udh[i]);
	uint8_t packed[PDU_UD_MAX];
	int n = gsm7_pack(d->ud, d->ud_len, fill, packed, sizeof(packed));
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++)
		pdu_put(w, packed[i]);
	return 0;
}

int
pdu_encode_deliver(const struct pdu_deliver *d, struct sbuf *out)
{
	struct pdu_w w = { .n = 0, .overflow = 0 };
	if (!d->from || pdu_put_smsc(&w, d->smsc) < 0)
		return -1;
	size_t tpdu_start = w.n;
	pdu_put(&w, (uint8_t)(0x04 | (d->has_concat ? 0x40 : 0)));
	if (pdu_put_oa(&w, d->from, d->from_toa) < 0)
		return -1;
	pdu_put(&w, d->pid);
	pdu_put(&w, pdu_dcs(d->coding, d->msg_class));
	pdu_put_scts(&w, &d->ts);
	if (pdu_put_ud(&w, d) < 0 || w.overflow)
		return -1;
	if (textcode_hex_append(out, w.b, w.n, 1) < 0)
		return -1;
	return (int)(w.n - tpdu_start);
}

int
pdu_encode_status_report(const char *dest, uint8_t mr, int status, const struct pdu_time *ts,
    struct sbuf *out)
{
	struct pdu_w w = { .n = 0, .overflow = 0 };
	pdu_put(&w, 0); /* no SMSC */
	size_t tpdu_start = w.n;
	pdu_put(&w, 0x06); /* SMS-STATUS-REPORT, no more messages */
	pdu_put(&w, mr);
	if (!dest || pdu_put_oa(&w, dest, 0) < 0)
		return -1;
	pdu_put_scts(&w, ts); /* when the centre took it */
	pdu_put_scts(&w, ts); /* when it was delivered, or given up */
	pdu_put(&w, (uint8_t)status);
	if (w.overflow || textcode_hex_append(out, w.b, w.n, 1) < 0)
		return -1;
	return (int)(w.n - tpdu_start);
}
