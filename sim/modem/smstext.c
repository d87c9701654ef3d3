/* smstext.c - picks the coding for a UTF-8 text and splits it into SMS parts. */
#include "smstext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gsm7.h"
#include "textcode.h"

/* A unit stream plus where each character starts (split points). */
struct smstext_units {
	uint8_t *u;     /* units as bytes: septets, or UTF-16BE/raw octets */
	uint8_t *start; /* 1 where a split may happen before this byte */
	size_t n;
};

static int
smstext_add_part(struct smstext *t, const uint8_t *u, size_t n)
{
	if (t->nparts >= SMSTEXT_MAX_PARTS)
		return -1;
	struct smstext_part *p = &t->parts[t->nparts++];
	memcpy(p->ud, u, n);
	p->len = n;
	return 0;
}

/* Cuts units into parts of at most `single` (one part) or `multi` bytes. */
static int
smstext_cut(struct smstext *t, const struct smstext_units *s, size_t single, size_t multi)
{
	if (s->n <= single)
		return smstext_add_part(t, s->u, s->n);
	size_t pos = 0;
	while (pos < s->n) {
		size_t end = pos + multi < s->n ? pos + multi : s->n;
		while (end < s->n && end > pos && !s->start[end])
			end--;
		if (end == pos || smstext_add_part(t, s->u + pos, end - pos) < 0)
			return -1;
		pos = end;
	}
	return 0;
}

static int
smstext_gsm7(const uint32_t *cps, size_t n, struct smstext_units *s)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t two[2];
		int k = gsm7_from_cp(cps[i], two);
		if (k == 0)
			return -1;
		for (int j = 0; j < k; j++) {
			s->start[s->n] = j == 0;
			s->u[s->n++] = two[j];
		}
	}
	return 0;
}

static void
smstext_ucs2(const uint32_t *cps, size_t n, struct smstext_units *s)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b[4];
		int k = textcode_cps_to_utf16be(&cps[i], 1, b, sizeof(b));
		for (int j = 0; j < k; j++) {
			s->start[s->n] = j == 0;
			s->u[s->n++] = b[j];
		}
	}
}

static int
smstext_build(const char *utf8, size_t len, const uint32_t *cps, size_t ncp, int force,
    struct smstext *out, struct smstext_units *s, char *err, size_t errsz)
{
	int coding = force;
	if (coding == SMSTEXT_AUTO)
		coding = smstext_gsm7(cps, ncp, s) == 0 ? PDU_GSM7 : PDU_UCS2;
	else if (coding == PDU_GSM7 && smstext_gsm7(cps, ncp, s) < 0) {
		snprintf(err, errsz, "text not representable in gsm7");
		return -1;
	}
	out->coding = (enum pdu_coding)coding;
	int rc;
	if (coding == PDU_GSM7) {
		rc = smstext_cut(out, s, 160, 153);
	} else if (coding == PDU_UCS2) {
		s->n = 0;
		smstext_ucs2(cps, ncp, s);
		rc = smstext_cut(out, s, 140, 134);
	} else {
		memcpy(s->u, utf8, len);
		memset(s->start, 1, len);
		s->n = len;
		rc = smstext_cut(out, s, 140, 134);
	}
	if (rc < 0)
		snprintf(err, errsz, "text needs more than %d parts", SMSTEXT_MAX_PARTS);
	return rc;
}

int
smstext_split(const char *utf8, size_t len, int force, struct smstext *out, char *err, size_t errsz)
{
	struct smstext_units s = { NULL, NULL, 0 };
	uint32_t *cps = calloc(len + 1, sizeof(*cps));
	int rc = -1;
	out->nparts = 0;
	out->parts = calloc(SMSTEXT_MAX_PARTS, sizeof(*out->parts));
	s.u = malloc(len * 4 + 1);
	s.start = malloc(len * 4 + 1);
	if (!cps || !out->parts || !s.u || !s.start) {
		snprintf(err, errsz, "out of memory");
		goto done;
	}
	int ncp = textcode_utf8_to_cps(utf8, len, cps, len + 1);
	if (ncp < 0) {
		snprintf(err, errsz, "invalid UTF-8");
		goto done;
	}
	rc = smstext_build(utf8, len, cps, (size_t)ncp, force, out, &s, err, errsz);
done:
	free(cps);
	free(s.u);
	free(s.start);
	if (rc < 0)
		smstext_free(out);
	return rc;
}

void
smstext_free(struct smstext *t)
{
	free(t->parts);
	t->parts = NULL;
	t->nparts = 0;
}
