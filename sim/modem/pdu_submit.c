/* pdu_submit.c - decodes the SMS-SUBMIT PDUs a gateway sends with AT+CMGS
 * (3GPP TS 23.040 9.2.2.2). Every length is checked against the input. */
#include "pdu.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gsm7.h"
#include "textcode.h"

struct pdu_r {
	const uint8_t *b;
	size_t n, pos;
	char *err;
	size_t errsz;
};

static int pdu_submit_fail(struct pdu_r *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
pdu_submit_fail(struct pdu_r *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (r->errsz)
		vsnprintf(r->err, r->errsz, fmt, ap);
	va_end(ap);
	return -1;
}

static int
pdu_submit_need(struct pdu_r *r, size_t k, const char *what)
{
	if (r->pos + k > r->n)
		return pdu_submit_fail(r, "truncated at %s (offset %zu)", what, r->pos);
	return 0;
}

static char
pdu_submit_digit(uint8_t v)
{
	static const char d[] = "0123456789*#abc";
	return v < 15 ? d[v] : '\0';
}

/* Reads ndigits swapped-BCD digits into out (with '+' for international). */
static int
pdu_submit_bcd(struct pdu_r *r, size_t ndigits, uint8_t toa, char *out, size_t outsz)
{
	size_t o = 0;
	if ((toa & 0x70) == 0x10)
		out[o++] = '+';
	size_t octets = (ndigits + 1) / 2;
	if (pdu_submit_need(r, octets, "address digits") < 0)
		return -1;
	if (o + ndigits + 1 > outsz)
		return pdu_submit_fail(r, "address too long");
	for (size_t i = 0; i < ndigits; i++) {
		uint8_t oct = r->b[r->pos + i / 2];
		uint8_t v = (i % 2) ? oct >> 4 : oct & 0x0F;
		char c = pdu_submit_digit(v);
		if (!c)
			return pdu_submit_fail(r, "bad address digit");
		out[o++] = c;
	}
	out[o] = '\0';
	r->pos += octets;
	return 0;
}

static int
pdu_submit_smsc(struct pdu_r *r, struct pdu_submit *s)
{
	uint8_t len = r->b[r->pos++];
	s->smsc[0] = '\0';
	if (len == 0)
		return 0;
	if (len > 12 || pdu_submit_need(r, len, "SMSC") < 0)
		return pdu_submit_fail(r, "bad SMSC length %u", len);
	uint8_t toa = r->b[r->pos++];
	size_t ndig = (size_t)(len - 1) * 2;
	if (ndig > 0 && (r->b[r->pos + len - 2] >> 4) == 0xF)
		ndig--;
	return pdu_submit_bcd(r, ndig, toa, s->smsc, sizeof(s->smsc));
}

static int
pdu_submit_alnum(struct pdu_r *r, size_t semis, char *out, size_t outsz)
{
	size_t octets = (semis + 1) / 2;
	size_t nsept = octets * 8 / 7;
	uint8_t sept[16];
	struct sbuf b;
	if (pdu_submit_need(r, octets, "alphanumeric address") < 0)
		return -1;
	if (nsept > sizeof(sept) || gsm7_unpack(r->b + r->pos, octets, 0, nsept, sept) < 0)
		return pdu_submit_fail(r, "bad alphanumeric address");
	r->pos += octets;
	sbuf_init(&b);
	int rc = gsm7_to_utf8(sept, nsept, &b);
	if (rc == 0 && b.len < outsz)
		/* (an empty address left b without a buffer: data NULL) */
		memcpy(out, b.len > 0 ? b.data : "", b.len + 1);
	else
		rc = pdu_submit_fail(r, "alphanumeric address too long");
	sbuf_free(&b);
	return rc;
}

static int
pdu_submit_da(struct pdu_r *r, struct pdu_submit *s)
{
	if (pdu_submit_need(r, 2, "destination") < 0)
		return -1;
	uint8_t ndig = r->b[r->pos++];
	s->dest_toa = r->b[r->pos++];
	if (ndig > 20)
		return pdu_submit_fail(r, "destination length %u", ndig);
	if ((s->dest_toa & 0x70) == 0x50)
		return pdu_submit_alnum(r, ndig, s->dest, sizeof(s->dest));
	return pdu_submit_bcd(r, ndig, s->dest_toa, s->dest, sizeof(s->dest));
}

/* Fills coding and class from the DCS (23.038 section 4). */
static int
pdu_submit_dcs(struct pdu_r *r, struct pdu_submit *s)
{
	uint8_t d = s->dcs;
	s->msg_class = PDU_CLASS_NONE;
	if ((d & 0xC0) == 0x00 || (d & 0xC0) == 0x40) {
		if (d & 0x20)
			return pdu_submit_fail(r, "compressed DCS 0x%02x unsupported", d);
		unsigned alpha = (d >> 2) & 3;
		if (alpha == 3)
			return pdu_submit_fail(r, "reserved alphabet in DCS 0x%02x", d);
		s->coding = alpha == 2 ? PDU_UCS2 : alpha == 1 ? PDU_8BIT : PDU_GSM7;
		if (d & 0x10)
			s->msg_class = d & 3;
		return 0;
	}
	if ((d & 0xF0) == 0xF0) {
		s->coding = (d & 0x04) ? PDU_8BIT : PDU_GSM7;
		s->msg_class = d & 3;
		return 0;
	}
	if ((d & 0xF0) == 0xC0 || (d & 0xF0) == 0xD0) {
		s->coding = PDU_GSM7;
		return 0;
	}
	if ((d & 0xF0) == 0xE0) {
		s->coding = PDU_UCS2;
		return 0;
	}
	return pdu_submit_fail(r, "reserved DCS 0x%02x", d);
}

static int
pdu_submit_udh(struct pdu_r *r, struct pdu_submit *s, const uint8_t *h, size_t hl)
{
	size_t i = 0;
	while (i < hl) {
		if (i + 2 > hl || i + 2 + h[i + 1] > hl)
			return pdu_submit_fail(r, "UDH element overruns header");
		uint8_t iei = h[i], l = h[i + 1];
		const uint8_t *v = h + i + 2;
		if (iei == 0x00 && l == 3) {
			s->has_concat = 1;
			s->ref = v[0];
			s->total = v[1];
			s->seq = v[2];
		} else if (iei == 0x08 && l == 4) {
			s->has_concat = 1;
			s->ref = (unsigned)v[0] << 8 | v[1];
			s->total = v[2];
			s->seq = v[3];
		} else if (iei == 0x00 || iei == 0x08) {
			return pdu_submit_fail(r, "bad concatenation IE length %u", l);
		}
		i += 2 + (size_t)l;
	}
	if (s->has_concat && (s->total == 0 || s->seq == 0 || s->seq > s->total))
		return pdu_submit_fail(r, "bad concatenation %u/%u", s->seq, s->total);
	return 0;
}

static int
pdu_submit_ud(struct pdu_r *r, struct pdu_submit *s, int udhi)
{
	if (pdu_submit_need(r, 1, "UDL") < 0)
		return -1;
	size_t udl = r->b[r->pos++];
	size_t left = r->n - r->pos;
	const uint8_t *ud = r->b + r->pos;
	size_t octets = s->coding == PDU_GSM7 ? (udl * 7 + 7) / 8 : udl;
	if ((s->coding == PDU_GSM7 && udl > 160) || (s->coding != PDU_GSM7 && udl > 140))
		return pdu_submit_fail(r, "UDL %zu too large", udl);
	if (octets != left)
		return pdu_submit_fail(r, "UDL %zu needs %zu octets, %zu present", udl, octets,
		    left);
	size_t hdr = 0;
	if (udhi) {
		if (octets < 1 || (size_t)ud[0] + 1 > octets)
			return pdu_submit_fail(r, "UDH length overruns user data");
		hdr = (size_t)ud[0] + 1;
		if (pdu_submit_udh(r, s, ud + 1, ud[0]) < 0)
			return -1;
	}
	if (s->coding != PDU_GSM7) {
		s->payload_len = udl - hdr;
		if (s->coding == PDU_UCS2 && s->payload_len % 2)
			return pdu_submit_fail(r, "odd UCS-2 length");
		memcpy(s->payload, ud + hdr, s->payload_len);
		return 0;
	}
	size_t hdr_sept = (hdr * 8 + 6) / 7;
	if (hdr_sept > udl)
		return pdu_submit_fail(r, "UDH longer than UDL");
	s->payload_len = udl - hdr_sept;
	int fill = (int)(hdr_sept * 7 - hdr * 8);
	if (gsm7_unpack(ud + hdr, octets - hdr, fill, s->payload_len, s->payload) < 0)
		return pdu_submit_fail(r, "GSM-7 data truncated");
	return 0;
}

static int
pdu_submit_body(struct pdu_r *r, struct pdu_submit *s)
{
	static const size_t vp_len[4] = { 0, 7, 1, 7 };
	if (pdu_submit_need(r, 2, "first octet") < 0)
		return -1;
	uint8_t fo = r->b[r->pos++];
	if ((fo & 0x03) != 0x01)
		return pdu_submit_fail(r, "not an SMS-SUBMIT (MTI %u)", fo & 3);
	s->vpf = (fo >> 3) & 3;
	s->srr = (fo & 0x20) != 0;
	s->mr = r->b[r->pos++];
	if (pdu_submit_da(r, s) < 0)
		return -1;
	if (pdu_submit_need(r, 2, "PID/DCS") < 0)
		return -1;
	s->pid = r->b[r->pos++];
	s->dcs = r->b[r->pos++];
	if (pdu_submit_dcs(r, s) < 0)
		return -1;
	if (pdu_submit_need(r, vp_len[s->vpf], "validity period") < 0)
		return -1;
	r->pos += vp_len[s->vpf];
	return pdu_submit_ud(r, s, (fo & 0x40) != 0);
}

int
pdu_submit_decode(const char *hex, size_t hexlen, int tpdu_len, struct pdu_submit *out, char *err,
    size_t errsz)
{
	uint8_t bytes[PDU_MAX_OCTETS];
	struct pdu_r r = { .b = bytes, .n = 0, .pos = 0, .err = err, .errsz = errsz };
	memset(out, 0, sizeof(*out));
	if (errsz)
		err[0] = '\0';
	int n = textcode_hex_decode(hex, hexlen, bytes, sizeof(bytes));
	if (n <= 0)
		return pdu_submit_fail(&r, "bad hex (%zu chars)", hexlen);
	r.n = (size_t)n;
	if (tpdu_len < 0 || (size_t)tpdu_len < r.n) {
		if (pdu_submit_smsc(&r, out) < 0)
			return -1;
	}
	if (tpdu_len >= 0 && r.n - r.pos != (size_t)tpdu_len)
		return pdu_submit_fail(&r, "length %d does not match %zu TPDU octets", tpdu_len,
		    r.n - r.pos);
	return pdu_submit_body(&r, out);
}

int
pdu_submit_text(const struct pdu_submit *s, struct sbuf *out)
{
	if (s->coding == PDU_GSM7)
		return gsm7_to_utf8(s->payload, s->payload_len, out);
	if (s->coding == PDU_UCS2)
		return textcode_utf16be_to_utf8(s->payload, s->payload_len, out);
	return sbuf_add(out, s->payload, s->payload_len);
}
