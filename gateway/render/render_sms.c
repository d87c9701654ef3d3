/* render_sms.c - the one SMS segment calculator (GSM-7 160/153, UCS-2
 * 70/67, a 2-unit character never straddling two parts), the cut of a text
 * to N segments or to a unit budget at a word or cluster boundary, and the
 * splice of a report reference into a text. */
#include "render/render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utf16.h>

#include "core/charset.h"
#include "render/render_int.h"

#define RENDER_SMS_GSM7_ONE 160
#define RENDER_SMS_GSM7_PART 153
#define RENDER_SMS_UCS2_ONE 70
#define RENDER_SMS_UCS2_PART 67

/* A text packed greedily into concatenated parts, in one coding. */
struct render_pack {
	bool ok;      /* every character so far is in this coding */
	size_t total; /* units */
	size_t parts; /* parts filled */
	size_t cur;   /* units in the part being filled */
};

/* A text measured in both codings at once. */
struct render_count {
	struct render_pack gsm, ucs;
};

/* What a cut must keep within: a number of segments after a counted head
 * and before a tail, or a number of units in one coding. */
struct render_budget {
	bool by_segments;
	int segs;
	struct render_count head;
	const char *tail;
	enum render_coding coding;
	size_t units;
};

/* A text to cut, as UTF-16 with the byte offset of every unit. */
struct render_cuttext {
	UChar *u;
	size_t *off;                /* off[k]: byte offset of unit k; off[n] = strlen */
	unsigned char *clus, *line; /* boundaries at k (n + 1 each) */
	int32_t n;
};

static void
render_pack_add(struct render_pack *p, size_t w, size_t part)
{
	if (!p->ok)
		return;
	if (p->cur + w > part) {
		p->parts++;
		p->cur = 0;
	}
	p->cur += w;
	p->total += w;
}

static int
render_pack_segments(const struct render_pack *p, size_t one)
{
	if (p->total <= one)
		return 1;
	return (int)(p->parts + (p->cur > 0 ? 1 : 0));
}

static void
render_count_init(struct render_count *c)
{
	memset(c, 0, sizeof(*c));
	c->gsm.ok = true;
	c->ucs.ok = true;
}

/* Adds code point cp (U+FFFD for an invalid byte). */
static void
render_count_cp(struct render_count *c, unsigned cp)
{
	long s = c->gsm.ok ? render_cp_septets((UChar32)cp) : 0;

	if (s <= 0)
		c->gsm.ok = false;
	else
		render_pack_add(&c->gsm, (size_t)s, RENDER_SMS_GSM7_PART);
	render_pack_add(&c->ucs, cp > 0xffff ? 2 : 1, RENDER_SMS_UCS2_PART);
}

/* The code point at s (len > 0 bytes): returns its length in bytes; an
 * invalid byte is one U+FFFD. */
static size_t
render_sms_next(const char *s, size_t len, unsigned *cp)
{
	size_t n = charset_utf8_next(s, len, cp);

	if (n == 0) {
		*cp = 0xfffd;
		return 1;
	}
	return n;
}

static void
render_count_str(struct render_count *c, const char *s)
{
	size_t len = s != NULL ? strlen(s) : 0, i = 0;

	while (i < len) {
		unsigned cp;

		i += render_sms_next(s + i, len - i, &cp);
		render_count_cp(c, cp);
	}
}

static int
render_count_segments(const struct render_count *c)
{
	if (c->gsm.ok)
		return render_pack_segments(&c->gsm, RENDER_SMS_GSM7_ONE);
	return render_pack_segments(&c->ucs, RENDER_SMS_UCS2_ONE);
}

int
render_sms_segments(const char *utf8)
{
	struct render_count c;

	render_count_init(&c);
	render_count_str(&c, utf8);
	return render_count_segments(&c);
}

struct render_limits
render_sms_limits(int segs)
{
	struct render_limits lim = { RENDER_SMS_GSM7_ONE, RENDER_SMS_UCS2_ONE };

	if (segs > 1) {
		size_t n = (size_t)segs;

		/* Each full part holds at least part - 1 units. */
		lim.gsm7 = n * RENDER_SMS_GSM7_PART - (n - 1);
		lim.ucs2 = n * RENDER_SMS_UCS2_PART - (n - 1);
	}
	return lim;
}

/* Units of c in coding (septets stop counting at the first non-GSM one). */
static size_t
render_count_units(const struct render_count *c, enum render_coding coding)
{
	return coding == RENDER_GSM7 ? c->gsm.total : c->ucs.total;
}

/* True when the text counted in c stays within b. */
static bool
render_budget_ok(const struct render_budget *b, const struct render_count *c)
{
	struct render_count t;

	if (!b->by_segments) {
		if (b->coding == RENDER_GSM7)
			return c->gsm.ok && c->gsm.total <= b->units;
		return c->ucs.total <= b->units;
	}
	t = *c;
	render_count_str(&t, b->tail);
	return render_count_segments(&t) <= b->segs;
}

static void
render_cuttext_free(struct render_cuttext *t)
{
	free(t->u);
	free(t->off);
	free(t->clus);
	free(t->line);
	memset(t, 0, sizeof(*t));
}

/* text as UTF-16 (decoded as render_count sees it) with its boundaries.
 * 0 or -1. */
static int
render_cuttext_init(struct render_cuttext *t, const char *text)
{
	size_t len = strlen(text), i = 0;

	memset(t, 0, sizeof(*t));
	if (len > INT32_MAX / 2 - 1)
		return -1;
	/* UTF-16 never needs more units than UTF-8 has bytes. */
	t->u = malloc((len + 1) * sizeof(*t->u));
	t->off = malloc((len + 1) * sizeof(*t->off));
	t->clus = malloc(len + 1);
	t->line = malloc(len + 1);
	if (t->u == NULL || t->off == NULL || t->clus == NULL || t->line == NULL)
		goto fail;
	while (i < len) {
		unsigned cp;
		size_t k = render_sms_next(text + i, len - i, &cp);

		t->off[t->n] = i;
		if (cp > 0xffff) {
			t->u[t->n++] = U16_LEAD(cp);
			t->off[t->n] = i;
			t->u[t->n++] = U16_TRAIL(cp);
		} else {
			t->u[t->n++] = (UChar)cp;
		}
		i += k;
	}
	t->off[t->n] = len;
	t->u[t->n] = 0;
	if (render_mark(UBRK_CHARACTER, "", t->u, t->n, t->clus) == -1 ||
	    render_mark(UBRK_LINE, "", t->u, t->n, t->line) == -1)
		goto fail;
	return 0;
fail:
	render_cuttext_free(t);
	return -1;
}

/* The cut of text within b, made once: the bytes kept, *used their units
 * in b->coding (may be NULL). */
static size_t
render_cut(const char *text, const struct render_budget *b, size_t *used)
{
	struct render_cuttext t;
	struct render_count c;
	size_t line = 0, clus = 0, uline = 0, uclus = 0;
	int32_t k = 0;

	if (used != NULL)
		*used = 0;
	if (text == NULL || text[0] == '\0' || render_cuttext_init(&t, text) == -1)
		return 0;
	render_count_init(&c);
	if (b->by_segments)
		c = b->head;
	for (;;) {
		UChar32 cp;

		if (t.clus[k] && k > 0 && render_budget_ok(b, &c)) {
			clus = t.off[k];
			uclus = render_count_units(&c, b->coding);
			if (t.line[k] || k == t.n) {
				line = clus;
				uline = uclus;
			}
		}
		if (k >= t.n)
			break;
		U16_NEXT(t.u, k, t.n, cp);
		render_count_cp(&c, (unsigned)cp);
	}
	render_cuttext_free(&t);
	/* A word boundary unless the cluster boundary keeps more than twice as much. */
	if (line > 0 && clus <= 2 * line) {
		clus = line;
		uclus = uline;
	}
	if (used != NULL)
		*used = uclus;
	return clus;
}

size_t
render_sms_fit(const char *head, const char *text, const char *tail, int segs)
{
	struct render_budget b = { .by_segments = true, .segs = segs, .tail = tail };

	render_count_init(&b.head);
	render_count_str(&b.head, head);
	return render_cut(text, &b, NULL);
}

size_t
render_fit_units(const char *text, enum render_coding coding, size_t units, size_t *used)
{
	struct render_budget b = { .by_segments = false, .coding = coding, .units = units };

	return render_cut(text, &b, used);
}

int
render_fill_ref(char *buf, size_t bufsz, const char *tmpl, const char *ref)
{
	const char *mark = strstr(tmpl, "%s");
	size_t pre = mark != NULL ? (size_t)(mark - tmpl) : strlen(tmpl);
	size_t rlen = mark != NULL ? strlen(ref) : 0;
	size_t post = mark != NULL ? strlen(mark + 2) : 0;

	if (bufsz == 0)
		return -1;
	if (pre + rlen + post >= bufsz) {
		buf[0] = '\0';
		return -1;
	}
	memcpy(buf, tmpl, pre);
	memcpy(buf + pre, ref, rlen);
	memcpy(buf + pre + rlen, mark != NULL ? mark + 2 : "", post + 1);
	return 0;
}
