/* engine_cache.c - the page cache: every view engine_step shows without a
 * hint (each node, the language list with and without Back/Home, home
 * under "language set"), laid out once per (language, Zawgyi, channel) by
 * engine_view_pages, so that a hop borrows its page instead of laying it
 * out. Built whole, then read-only: lookups take no lock and allocate
 * nothing (languages by a short scan, nodes by a pointer hash). */
#include "session/engine_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

/* Menu choices that might be keywords: "0".."9", "00".."99", "000".."999". */
#define ENGINE_CACHE_DIGITS (10 + 100 + 1000)

/* Views past the nodes (the discreet nodes' "on" variants come between). */
enum { ENGINE_CV_LANGS_NAV = 0, ENGINE_CV_LANGS, ENGINE_CV_LANGSET, ENGINE_CV_EXTRA };

struct engine_cache {
	const struct content *c;  /* borrowed: the content it was built from */
	struct engine_settings s; /* copy (cache NULL): the settings it was built for */
	size_t nnodes, nlangs;    /* content_nnodes, content_nlanguages */
	size_t nviews;            /* per (language, Zawgyi, channel) */
	size_t *alt;              /* per node: view of its discreet-on variant, or 0 */
	size_t hcap;              /* node hash: a power of two, at least 2 * nnodes */
	const struct content_node **hkey;
	size_t *hval;               /* node index */
	struct render_pages *pages; /* [nlangs][2 zawgyi][2 channels][nviews]; v NULL: not cached */
	unsigned char digit_kw[(ENGINE_CACHE_DIGITS + 7) / 8]; /* bit set: a keyword */
	size_t bytes, npages;
};

static size_t
engine_cache_hash(const struct content_node *nd, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)nd;

	h ^= h >> 29;
	h *= 0x9e3779b97f4a7c15ULL;
	h ^= h >> 32;
	return (size_t)h & (cap - 1);
}

/* The index of node nd of the cache's content, or -1. */
static long
engine_cache_node(const struct engine_cache *k, const struct content_node *nd)
{
	size_t i = engine_cache_hash(nd, k->hcap);

	while (k->hkey[i] != NULL) {
		if (k->hkey[i] == nd)
			return (long)k->hval[i];
		i = (i + 1) & (k->hcap - 1);
	}
	return -1;
}

static long
engine_cache_lang(const struct engine_cache *k, const char *code)
{
	for (size_t i = 0; i < k->nlangs; i++) {
		const char *lc = content_language_at(k->c, i)->code;

		if (lc[0] == code[0] && strcmp(lc, code) == 0)
			return (long)i;
	}
	return -1;
}

static struct render_pages *
engine_cache_slot(const struct engine_cache *k, size_t li, bool zg, enum engine_channel ch,
    size_t view)
{
	return &k->pages[((li * 2 + (zg ? 1 : 0)) * 2 + (ch == ENGINE_USSD ? 1 : 0)) * k->nviews +
			 view];
}

/* The settings the layout depends on are those the cache was built for. */
static bool
engine_cache_same(const struct engine_settings *a, const struct engine_settings *b)
{
	return a->serve_fuzzy == b->serve_fuzzy && a->ussd.gsm7 == b->ussd.gsm7 &&
	       a->ussd.ucs2 == b->ussd.ucs2 && a->sms.gsm7 == b->sms.gsm7 &&
	       a->sms.ucs2 == b->sms.ucs2 && a->max_info_segments == b->max_info_segments &&
	       strncmp(a->country, b->country, sizeof(a->country)) == 0;
}

static const struct engine_cache *
engine_cache_of(const struct engine_settings *s, const struct content *c)
{
	const struct engine_cache *k = s->cache;

	if (k == NULL || k->c != c || !engine_cache_same(&k->s, s))
		return NULL;
	return k;
}

const struct render_pages *
engine_cache_view(const struct engine_ctx *x, const struct engine_view *v)
{
	const struct engine_cache *k = engine_cache_of(x->s, x->c);
	const struct content_node *nd = v->node;
	const struct render_pages *p;
	long li, ni;
	size_t view;

	if (k == NULL || (v->header != NULL && !v->langset))
		return NULL;
	li = engine_cache_lang(k, x->lang);
	if (li < 0)
		return NULL;
	if (nd != NULL && nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_LANGUAGE)
		nd = NULL; /* shows the list, as in engine_view_pages */
	if (v->header != NULL) {
		if (nd != content_home(x->c))
			return NULL;
		view = k->nnodes + ENGINE_CV_LANGSET;
	} else if (nd == NULL) {
		view = k->nnodes + (v->lang_nav ? ENGINE_CV_LANGS_NAV : ENGINE_CV_LANGS);
	} else {
		ni = engine_cache_node(k, nd);
		if (ni < 0)
			return NULL;
		view = x->discreet && k->alt[ni] != 0 ? k->alt[ni] : (size_t)ni;
	}
	p = engine_cache_slot(k, (size_t)li, x->variant, x->ch, view);
	return p->v != NULL ? p : NULL;
}

bool
engine_cache_not_keyword(const struct engine_settings *s, const struct content *c, const char *in)
{
	const struct engine_cache *k = engine_cache_of(s, c);
	size_t i = 0, base = 0, span = 10, v = 0;

	if (k == NULL)
		return false;
	for (; in[i] != '\0'; i++) {
		if (i == 3 || in[i] < '0' || in[i] > '9')
			return false;
		v = v * 10 + (size_t)(in[i] - '0');
		if (i > 0) {
			base += span;
			span *= 10;
		}
	}
	if (i == 0)
		return false;
	return (k->digit_kw[(base + v) / 8] & (1u << ((base + v) % 8))) == 0;
}

/* Records which digit strings of up to three digits are keywords. */
static void
engine_cache_digits(struct engine_cache *k)
{
	char in[4];
	size_t idx = 0;

	for (size_t len = 1, span = 10; len <= 3; len++, span *= 10) {
		for (size_t v = 0; v < span; v++, idx++) {
			size_t n = v;

			for (size_t j = len; j-- > 0; n /= 10)
				in[j] = (char)('0' + n % 10);
			in[len] = '\0';
			if (content_keyword(k->c, in, NULL, NULL) != CONTENT_KW_NONE)
				k->digit_kw[idx / 8] |= (unsigned char)(1u << (idx % 8));
		}
	}
}

/* Lays out one view into its slot. A view engine_view_pages cannot lay
 * out (it does not fit: logged; or memory ran out) stays out of the cache,
 * and engine_step lays it out, and fails, as it would without the cache. */
static void
engine_cache_fill(struct engine_cache *k, size_t li, bool zg, enum engine_channel ch, size_t view)
{
	const struct content_language *l = content_language_at(k->c, li);
	struct engine_ctx x = { k->c, &k->s, ch, l->code, zg, engine_script(k->c, l->code, zg),
		false, NULL };
	struct engine_view v = { NULL, NULL, false, false };
	struct render_pages *p = engine_cache_slot(k, li, zg, ch, view);
	struct render_pages tmp;

	if (view < k->nnodes) {
		v.node = content_node_at(k->c, view);
	} else if (view == k->nnodes + ENGINE_CV_LANGS_NAV) {
		v.lang_nav = true;
	} else if (view == k->nnodes + ENGINE_CV_LANGSET) {
		v.node = content_home(k->c);
		v.header = content_ui(k->c, l->code, "language_set", k->s.serve_fuzzy);
		v.langset = true;
	} else if (view >= k->nnodes + ENGINE_CV_EXTRA) {
		for (size_t i = 0; i < k->nnodes; i++)
			if (k->alt[i] == view)
				v.node = content_node_at(k->c, i);
		x.discreet = true;
	}
	if (engine_view_pages(&x, &v, &tmp) == -1)
		return;
	*p = tmp;
	k->npages += p->n;
	k->bytes += p->n * sizeof(*p->v);
	for (size_t i = 0; i < p->n; i++)
		k->bytes += strlen(p->v[i].text) + 1;
}

static int
engine_cache_index(struct engine_cache *k)
{
	size_t ndisc = 0;

	k->hcap = 16;
	while (k->hcap < 2 * k->nnodes)
		k->hcap *= 2;
	k->hkey = calloc(k->hcap, sizeof(*k->hkey));
	k->hval = calloc(k->hcap, sizeof(*k->hval));
	k->alt = calloc(k->nnodes + 1, sizeof(*k->alt));
	if (k->hkey == NULL || k->hval == NULL || k->alt == NULL)
		return -1;
	for (size_t i = 0; i < k->nnodes; i++) {
		const struct content_node *nd = content_node_at(k->c, i);
		size_t h = engine_cache_hash(nd, k->hcap);

		while (k->hkey[h] != NULL)
			h = (h + 1) & (k->hcap - 1);
		k->hkey[h] = nd;
		k->hval[h] = i;
		if (nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_DISCREET)
			k->alt[i] = k->nnodes + ENGINE_CV_EXTRA + ndisc++;
	}
	k->nviews = k->nnodes + ENGINE_CV_EXTRA + ndisc;
	k->bytes += sizeof(*k) + k->hcap * (sizeof(*k->hkey) + sizeof(*k->hval)) +
		    (k->nnodes + 1) * sizeof(*k->alt);
	return 0;
}

int
engine_cache_build(const struct content *c, const struct engine_settings *s,
    struct engine_cache **out)
{
	struct engine_cache *k = calloc(1, sizeof(*k));
	size_t nslots;

	*out = NULL;
	if (k == NULL)
		return -1;
	k->c = c;
	k->s = *s;
	k->s.cache = NULL;
	k->nnodes = content_nnodes(c);
	k->nlangs = content_nlanguages(c);
	if (engine_cache_index(k) == -1)
		goto fail;
	nslots = k->nlangs * 2 * 2 * k->nviews;
	k->pages = calloc(nslots > 0 ? nslots : 1, sizeof(*k->pages));
	if (k->pages == NULL)
		goto fail;
	k->bytes += nslots * sizeof(*k->pages);
	for (size_t li = 0; li < k->nlangs; li++) {
		bool zgs = content_language_at(c, li)->variant[0] != '\0';

		for (int zg = 0; zg <= (zgs ? 1 : 0); zg++)
			for (int ch = ENGINE_SMS; ch <= ENGINE_USSD; ch++)
				for (size_t view = 0; view < k->nviews; view++)
					engine_cache_fill(k, li, zg != 0, (enum engine_channel)ch,
					    view);
	}
	engine_cache_digits(k);
	*out = k;
	return 0;
fail:
	log_warnx("engine: out of memory building the page cache");
	engine_cache_free(k);
	return -1;
}

void
engine_cache_free(struct engine_cache *k)
{
	if (k == NULL)
		return;
	if (k->pages != NULL) {
		size_t nslots = k->nlangs * 2 * 2 * k->nviews;

		for (size_t i = 0; i < nslots; i++)
			render_pages_free(&k->pages[i]);
	}
	free(k->pages);
	free(k->hkey);
	free(k->hval);
	free(k->alt);
	free(k);
}

size_t
engine_cache_bytes(const struct engine_cache *k)
{
	return k != NULL ? k->bytes : 0;
}

size_t
engine_cache_npages(const struct engine_cache *k)
{
	return k != NULL ? k->npages : 0;
}
