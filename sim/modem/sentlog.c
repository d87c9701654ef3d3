/* sentlog.c - reassembles the parts the gateway sends into messages. */
#include "sentlog.h"

#include <stdlib.h>
#include <string.h>

#include "gsm7.h"
#include "textcode.h"

void
sentlog_init(struct sentlog *l)
{
	l->msgs = NULL;
	l->n = 0;
	l->cap = 0;
	l->next_id = 1;
}

static void
sentlog_msg_free(struct sentlog_msg *m)
{
	for (int i = 0; i < m->nparts; i++)
		sbuf_free(&m->parts[i]);
	free(m->parts);
	m->parts = NULL;
}

void
sentlog_clear(struct sentlog *l)
{
	for (size_t i = 0; i < l->n; i++)
		sentlog_msg_free(&l->msgs[i]);
	l->n = 0; /* ids keep growing so readers never go back */
}

void
sentlog_free(struct sentlog *l)
{
	sentlog_clear(l);
	free(l->msgs);
	sentlog_init(l);
}

/* The incomplete message this part belongs to, or NULL. */
static struct sentlog_msg *
sentlog_find(struct sentlog *l, const struct pdu_submit *s)
{
	for (size_t i = l->n; i-- > 0;) {
		struct sentlog_msg *m = &l->msgs[i];
		if (m->has_concat && m->got < m->nparts && m->ref == s->ref &&
		    m->nparts == s->total && strcmp(m->dest, s->dest) == 0 &&
		    m->parts[s->seq - 1].len == 0)
			return m;
	}
	return NULL;
}

static struct sentlog_msg *
sentlog_new(struct sentlog *l, const struct pdu_submit *s, int64_t now)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct sentlog_msg *p = realloc(l->msgs, cap * sizeof(*p));
		if (!p)
			return NULL;
		l->msgs = p;
		l->cap = cap;
	}
	struct sentlog_msg *m = &l->msgs[l->n];
	memset(m, 0, sizeof(*m));
	m->nparts = s->has_concat ? s->total : 1;
	m->parts = calloc((size_t)m->nparts, sizeof(*m->parts));
	if (!m->parts)
		return NULL;
	l->n++;
	m->id = l->next_id++;
	memcpy(m->dest, s->dest, sizeof(m->dest));
	m->coding = s->coding;
	m->msg_class = s->msg_class;
	m->has_concat = s->has_concat;
	m->ref = s->ref;
	m->t_first = now;
	return m;
}

long
sentlog_add(struct sentlog *l, const struct pdu_submit *s, int64_t now_ms)
{
	struct sentlog_msg *m = s->has_concat ? sentlog_find(l, s) : NULL;
	if (!m)
		m = sentlog_new(l, s, now_ms);
	if (!m)
		return -1;
	int idx = s->has_concat ? s->seq - 1 : 0;
	struct sbuf *p = &m->parts[idx];
	/* a zero-length part still counts: store one marker byte first */
	if (sbuf_add(p, "", 1) < 0 || sbuf_add(p, s->payload, s->payload_len) < 0)
		return -1;
	m->got++;
	m->t_last = now_ms;
	return (long)m->id;
}

static int
sentlog_text(const struct sentlog_msg *m, struct sbuf *hex)
{
	struct sbuf raw, text;
	int rc = -1;
	sbuf_init(&raw);
	sbuf_init(&text);
	for (int i = 0; i < m->nparts; i++) {
		if (sbuf_add(&raw, m->parts[i].data + 1, m->parts[i].len - 1) < 0)
			goto done;
	}
	if (m->coding == PDU_GSM7)
		rc = gsm7_to_utf8((const uint8_t *)raw.data, raw.len, &text);
	else if (m->coding == PDU_UCS2)
		rc = textcode_utf16be_to_utf8((const uint8_t *)raw.data, raw.len, &text);
	else
		rc = sbuf_add(&text, raw.data, raw.len);
	if (rc == 0 && text.len == 0)
		rc = sbuf_adds(hex, "-");
	else if (rc == 0)
		rc = textcode_hex_append(hex, (const uint8_t *)text.data, text.len, 0);
done:
	sbuf_free(&raw);
	sbuf_free(&text);
	return rc;
}

long
sentlog_dump(const struct sentlog *l, unsigned since, struct sbuf *out)
{
	long n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct sentlog_msg *m = &l->msgs[i];
		if (m->id <= since || m->got < m->nparts)
			continue;
		char cls[8] = "none";
		if (m->msg_class >= 0) {
			cls[0] = (char)('0' + m->msg_class);
			cls[1] = '\0';
		}
		if (sbuf_printf(out, "MSG %u %s %s %s %d ", m->id, m->dest[0] ? m->dest : "-",
			pdu_coding_name(m->coding), cls, m->nparts) < 0 ||
		    sentlog_text(m, out) < 0 ||
		    sbuf_printf(out, " %lld %lld\n", (long long)m->t_first, (long long)m->t_last) <
			0)
			break;
		n++;
	}
	return n;
}
