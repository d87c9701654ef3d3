/* render.c - NFC normalisation, GSM-7/UCS-2 coding, and pagination at ICU
 * line-break opportunities that never splits a cluster. */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "core/charset.h"
#include "core/log.h"
#include "core/util.h"
#include "render/render_int.h"

#define RENDER_BRK_CACHE 32 /* line + character iterators for 16 locales */

/* Break iterators are costly to open (rule and dictionary loading), so each
 * thread keeps a few, keyed by (type, locale), and re-targets them with
 * ubrk_setText. A cache of ICU objects, not state: results never depend on
 * it. Held until render_thread_end(), which every thread that renders calls
 * before it ends (a thread-local pointer dies with its thread). */
struct render_brk {
	UBreakIteratorType type;
	char locale[16];
	UBreakIterator *bi;
};
static _Thread_local struct render_brk render_brk_cache[RENDER_BRK_CACHE];
static _Thread_local unsigned render_brk_next;

/* The text being paginated, as UTF-16 with per-unit prefix sums. */
struct render_text {
	UChar *u;
	int32_t n;
	long *sept;          /* sept[i]: septets of u[0..i) (non-GSM characters count 0) */
	int32_t *bad;        /* bad[i]: non-GSM characters in u[0..i) */
	unsigned char *line; /* line[i]: a line-break opportunity at i (and a cluster boundary) */
	unsigned char *clus; /* clus[i]: a grapheme cluster boundary at i */
};

/* A footer's cost in both codings. */
struct render_foot {
	char *text;   /* NFC, owned */
	size_t units; /* UTF-16 units */
	long sept;    /* septets, -1 if not GSM-7 */
};

UChar *
render_u16_from_utf8(const char *utf8, int32_t *len)
{
	size_t bytes = strlen(utf8);
	UErrorCode err = U_ZERO_ERROR;
	UChar *u;

	if (bytes > INT32_MAX / 2 - 1)
		return NULL;
	/* UTF-16 never needs more units than UTF-8 has bytes. */
	u = malloc((bytes + 1) * sizeof(UChar));
	if (u == NULL)
		return NULL;
	u_strFromUTF8WithSub(u, (int32_t)bytes + 1, len, utf8, (int32_t)bytes, 0xfffd, NULL, &err);
	if (U_FAILURE(err)) {
		log_warnx("render: UTF-8 to UTF-16: %s", u_errorName(err));
		free(u);
		return NULL;
	}
	u[*len] = 0;
	return u;
}

char *
render_u16_to_utf8(const UChar *u, int32_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need = 0;
	char *s;

	u_strToUTF8WithSub(NULL, 0, &need, u, len, 0xfffd, NULL, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		return NULL;
	s = malloc((size_t)need + 1);
	if (s == NULL)
		return NULL;
	err = U_ZERO_ERROR;
	u_strToUTF8WithSub(s, need + 1, &need, u, len, 0xfffd, NULL, &err);
	if (U_FAILURE(err)) {
		free(s);
		return NULL;
	}
	s[need] = '\0';
	return s;
}

UChar *
render_u16_nfc(const UChar *u, int32_t len, int32_t *outlen)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	UChar *out;
	int32_t cap;

	if (U_FAILURE(err))
		return NULL;
	if (len > INT32_MAX / 3 - 16)
		return NULL;
	cap = len * 3 + 16; /* NFC grows text by at most 3x */
	out = malloc((size_t)cap * sizeof(UChar));
	if (out == NULL)
		return NULL;
	*outlen = unorm2_normalize(nfc, u, len, out, cap, &err);
	if (U_FAILURE(err) || *outlen >= cap) {
		log_warnx("render: NFC: %s", u_errorName(err));
		free(out);
		return NULL;
	}
	out[*outlen] = 0;
	return out;
}

char *
render_nfc(const char *utf8)
{
	UChar *u, *n;
	int32_t len, nlen;
	char *out;

	u = render_u16_from_utf8(utf8, &len);
	if (u == NULL)
		return NULL;
	n = render_u16_nfc(u, len, &nlen);
	free(u);
	if (n == NULL)
		return NULL;
	out = render_u16_to_utf8(n, nlen);
	free(n);
	return out;
}

/* UTF-16 units of utf8, invalid bytes counting one U+FFFD each. */
static size_t
render_utf16_units(const char *utf8)
{
	size_t len = strlen(utf8), i = 0, units = 0;

	while (i < len) {
		unsigned cp;
		size_t n = charset_utf8_next(utf8 + i, len - i, &cp);

		if (n == 0) {
			units++;
			i++;
			continue;
		}
		units += cp > 0xffff ? 2 : 1;
		i += n;
	}
	return units;
}

enum render_coding
render_coding_of(const char *utf8, size_t *units)
{
	long sept = charset_gsm7_septets(utf8);

	if (sept >= 0) {
		*units = (size_t)sept;
		return RENDER_GSM7;
	}
	*units = render_utf16_units(utf8);
	return RENDER_UCS2;
}

/* A break iterator of type for locale over u, from the thread's cache. */
static UBreakIterator *
render_brk_get(UBreakIteratorType type, const char *locale, const UChar *u, int32_t n)
{
	UErrorCode err = U_ZERO_ERROR;
	struct render_brk *b = NULL;

	for (size_t i = 0; i < RENDER_BRK_CACHE; i++) {
		struct render_brk *c = &render_brk_cache[i];

		if (c->bi != NULL && c->type == type && strcmp(c->locale, locale) == 0) {
			b = c;
			break;
		}
	}
	if (b == NULL) {
		UBreakIterator *bi = ubrk_open(type, locale, NULL, 0, &err);

		if (U_FAILURE(err)) {
			log_warnx("render: ubrk_open(%s): %s", locale, u_errorName(err));
			return NULL;
		}
		b = &render_brk_cache[render_brk_next++ % RENDER_BRK_CACHE];
		if (b->bi != NULL)
			ubrk_close(b->bi);
		b->bi = bi;
		b->type = type;
		if (util_strcopy(b->locale, sizeof(b->locale), locale) == -1)
			b->locale[0] = '\0'; /* too long to key on: still usable this once */
	}
	ubrk_setText(b->bi, u, n, &err);
	if (U_FAILURE(err))
		return NULL;
	return b->bi;
}

int
render_mark(UBreakIteratorType type, const char *locale, const UChar *u, int32_t n,
    unsigned char *marks)
{
	UBreakIterator *bi = render_brk_get(type, locale, u, n);
	int32_t p;

	if (bi == NULL)
		return -1;
	memset(marks, 0, (size_t)n + 1);
	for (p = ubrk_first(bi); p != UBRK_DONE; p = ubrk_next(bi))
		if (p >= 0 && p <= n)
			marks[p] = 1;
	return 0;
}

/* Zawgyi marks attach to the character before them, and its prefix
 * characters (vowel sign E, medial RA forms) to the one after them. */
static bool
render_zg_attaches_back(UChar c)
{
	return (c >= 0x102b && c <= 0x103e && c != 0x1031 && c != 0x103b) ||
	       (c >= 0x1056 && c <= 0x1059) || (c >= 0x105e && c <= 0x1060) ||
	       (c >= 0x1062 && c <= 0x1064) || (c >= 0x1067 && c <= 0x106d) ||
	       (c >= 0x1071 && c <= 0x1074) || (c >= 0x1082 && c <= 0x108d) || c == 0x108f ||
	       (c >= 0x1060 && c <= 0x1097 && !(c >= 0x107e && c <= 0x1084)) ||
	       (c >= 0x109a && c <= 0x109d) || U16_IS_TRAIL(c);
}

static bool
render_zg_prefix(UChar c)
{
	return c == 0x1031 || c == 0x103b || (c >= 0x107e && c <= 0x1084);
}

/* Break marks for Zawgyi text, which ICU's Burmese rules (written for
 * Unicode order) split inside syllables: a cluster boundary is anywhere
 * not before an attaching mark and not after a prefix character; a line
 * break only after a space or a newline. */
static void
render_mark_zawgyi(const UChar *u, int32_t n, unsigned char *clus, unsigned char *line)
{
	clus[0] = line[0] = 1;
	clus[n] = line[n] = 1;
	for (int32_t i = 1; i < n; i++) {
		clus[i] = !render_zg_attaches_back(u[i]) && !render_zg_prefix(u[i - 1]);
		line[i] = clus[i] && (u[i - 1] == ' ' || u[i - 1] == '\n');
	}
}

static void
render_text_free(struct render_text *t)
{
	free(t->u);
	free(t->sept);
	free(t->bad);
	free(t->line);
	free(t->clus);
	memset(t, 0, sizeof(*t));
}

long
render_cp_septets(UChar32 cp)
{
	char buf[U8_MAX_LENGTH + 1];
	UErrorCode err = U_ZERO_ERROR;
	UChar u[2];
	int32_t nu = 0, nb = 0;
	long s;

	if (cp >= 0x20 && cp < 0x7f && cp != '@' && cp != '$' && cp != '_' && cp != '`')
		return (cp == '^' || cp == '{' || cp == '}' || cp == '\\' || cp == '[' ||
			   cp == '~' || cp == ']' || cp == '|') ?
			   2 :
			   1;
	U16_APPEND_UNSAFE(u, nu, cp);
	u_strToUTF8(buf, (int32_t)sizeof(buf) - 1, &nb, u, nu, &err);
	if (U_FAILURE(err))
		return 0;
	buf[nb] = '\0';
	s = charset_gsm7_septets(buf);
	return s < 0 ? 0 : s;
}

/* NFC body into t with prefix sums and break marks. 0 or -1. */
static int
render_text_init(struct render_text *t, const char *body, const char *locale)
{
	UChar *raw;
	int32_t rawlen, i = 0;

	bool zg = strcmp(locale, RENDER_LOCALE_ZAWGYI) == 0;

	memset(t, 0, sizeof(*t));
	raw = render_u16_from_utf8(body, &rawlen);
	if (raw == NULL)
		return -1;
	if (zg) {
		/* Zawgyi is not Unicode Burmese: NFC would reorder its marks. */
		t->u = raw;
		t->n = rawlen;
	} else {
		t->u = render_u16_nfc(raw, rawlen, &t->n);
		free(raw);
	}
	if (t->u == NULL)
		return -1;
	t->sept = malloc(((size_t)t->n + 1) * sizeof(*t->sept));
	t->bad = malloc(((size_t)t->n + 1) * sizeof(*t->bad));
	t->line = malloc((size_t)t->n + 1);
	t->clus = malloc((size_t)t->n + 1);
	if (t->sept == NULL || t->bad == NULL || t->line == NULL || t->clus == NULL)
		goto fail;
	t->sept[0] = 0;
	t->bad[0] = 0;
	while (i < t->n) {
		int32_t at = i;
		UChar32 cp;
		long s;

		U16_NEXT(t->u, i, t->n, cp);
		s = render_cp_septets(cp);
		for (int32_t k = at; k < i; k++) {
			t->sept[k + 1] = t->sept[at] + (k == at ? s : 0);
			t->bad[k + 1] = t->bad[at] + (k == at && s == 0 ? 1 : 0);
		}
	}
	if (zg)
		render_mark_zawgyi(t->u, t->n, t->clus, t->line);
	else if (render_mark(UBRK_CHARACTER, locale, t->u, t->n, t->clus) == -1 ||
		 render_mark(UBRK_LINE, locale, t->u, t->n, t->line) == -1)
		goto fail;
	for (i = 0; i <= t->n; i++)
		t->line[i] = t->line[i] && t->clus[i];
	return 0;
fail:
	render_text_free(t);
	return -1;
}

static bool
render_is_space(UChar c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
render_foot_init(struct render_foot *f, const char *footer, bool raw)
{
	f->text = raw ? strdup(footer) : render_nfc(footer);
	if (f->text == NULL)
		return -1;
	f->sept = charset_gsm7_septets(f->text);
	f->units = render_utf16_units(f->text);
	return 0;
}

/* True when u[a..b) + footer fits lim in its own coding. */
static bool
render_fits(const struct render_text *t, int32_t a, int32_t b, const struct render_foot *f,
    const struct render_limits *lim)
{
	if (f->sept >= 0 && t->bad[b] == t->bad[a])
		return (size_t)(t->sept[b] - t->sept[a]) + (size_t)f->sept <= lim->gsm7;
	return (size_t)(b - a) + f->units <= lim->ucs2;
}

/* Appends the page u[a..b) + footer to out. 0 or -1. */
static int
render_page_add(struct render_pages *out, const struct render_text *t, int32_t a, int32_t b,
    const struct render_foot *f)
{
	struct render_page *v, *p;
	char *chunk;
	size_t clen, flen;

	v = realloc(out->v, (out->n + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	out->v = v;
	chunk = render_u16_to_utf8(t->u + a, b - a);
	if (chunk == NULL)
		return -1;
	clen = strlen(chunk);
	flen = strlen(f->text);
	p = &out->v[out->n];
	p->text = malloc(clen + flen + 1);
	if (p->text == NULL) {
		free(chunk);
		return -1;
	}
	memcpy(p->text, chunk, clen);
	memcpy(p->text + clen, f->text, flen + 1);
	free(chunk);
	p->coding = render_coding_of(p->text, &p->units);
	p->segments = render_sms_segments(p->text);
	out->n++;
	return 0;
}

/* The end of the next page starting at start: the farthest line-break
 * opportunity that fits, else the farthest cluster boundary; *last tells
 * whether it ends the text. -1 when not even one cluster fits. */
static int32_t
render_next_end(const struct render_text *t, int32_t start, int32_t end,
    const struct render_foot *more, const struct render_foot *lastf,
    const struct render_limits *lim, bool *last)
{
	size_t cap = lim->gsm7 > lim->ucs2 ? lim->gsm7 : lim->ucs2;
	int32_t best_line = -1, best_clus = -1;
	bool line_last = false, clus_last = false;

	for (int32_t e = start + 1; e <= t->n; e++) {
		int32_t ce = e, nx = e;
		bool is_last;

		if (!t->clus[e])
			continue;
		while (ce > start && render_is_space(t->u[ce - 1]))
			ce--;
		if ((size_t)(ce - start) > cap)
			break;
		if (ce == start)
			continue;
		while (nx < t->n && render_is_space(t->u[nx]))
			nx++;
		is_last = nx >= end;
		if (!render_fits(t, start, ce, is_last ? lastf : more, lim))
			continue;
		if (t->line[e] || is_last) {
			best_line = e;
			line_last = is_last;
		}
		best_clus = e;
		clus_last = is_last;
	}
	if (best_line > start) {
		*last = line_last;
		return best_line;
	}
	*last = clus_last;
	return best_clus;
}

int
render_paginate(const char *body, const char *more_footer, const char *last_footer,
    const char *locale, const struct render_limits *lim, struct render_pages *out)
{
	struct render_text t;
	struct render_foot more = { 0 }, lastf = { 0 };
	int32_t start, end;
	bool last = false, zg;

	memset(out, 0, sizeof(*out));
	if (locale == NULL)
		locale = "";
	zg = strcmp(locale, RENDER_LOCALE_ZAWGYI) == 0;
	if (render_text_init(&t, body, locale) == -1)
		return -1;
	if (render_foot_init(&more, more_footer, zg) == -1 ||
	    render_foot_init(&lastf, last_footer, zg) == -1)
		goto fail;
	end = t.n;
	while (end > 0 && render_is_space(t.u[end - 1]))
		end--;
	start = 0;
	while (start < end && render_is_space(t.u[start]))
		start++;
	if (start >= end) {
		/* No body: the last footer alone. */
		if (!render_fits(&t, 0, 0, &lastf, lim) ||
		    render_page_add(out, &t, 0, 0, &lastf) == -1)
			goto fail;
	}
	while (start < end) {
		int32_t e = render_next_end(&t, start, end, &more, &lastf, lim, &last);
		int32_t ce;

		if (e <= start)
			goto fail;
		ce = e;
		while (ce > start && render_is_space(t.u[ce - 1]))
			ce--;
		if (render_page_add(out, &t, start, ce, last ? &lastf : &more) == -1)
			goto fail;
		start = e;
		while (start < end && render_is_space(t.u[start]))
			start++;
	}
	free(more.text);
	free(lastf.text);
	render_text_free(&t);
	return 0;
fail:
	free(more.text);
	free(lastf.text);
	render_text_free(&t);
	render_pages_free(out);
	return -1;
}

void
render_pages_free(struct render_pages *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].text);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

void
render_thread_end(void)
{
	for (size_t i = 0; i < RENDER_BRK_CACHE; i++) {
		if (render_brk_cache[i].bi != NULL)
			ubrk_close(render_brk_cache[i].bi);
		render_brk_cache[i].bi = NULL;
		render_brk_cache[i].locale[0] = '\0';
	}
	render_brk_next = 0;
	render_zawgyi_thread_end();
	render_plain_thread_end();
}
