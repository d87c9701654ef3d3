/* engine_view.c - lays out what a node (menu, page, action, contacts) or the
 * language list shows, translated, NFC, optionally Zawgyi, as pages that fit
 * the channel: menus and lists packed whole line by line, prose paginated. */
#include "session/engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/charset.h"
#include "core/log.h"

#define ENGINE_CONTACTS_MAX 64

/* A string's cost in both codings. */
struct engine_cost {
	long sept;    /* septets, -1 when not GSM-7 */
	size_t units; /* UTF-16 units */
};

void
engine_lines_free(struct engine_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Takes s (owned). 0, or -1 (s freed) on allocation failure or NULL s. */
int
engine_lines_take(struct engine_lines *l, char *s)
{
	if (s == NULL)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL) {
			free(s);
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return 0;
}

/* A new copy of a + b + c (any may be NULL). Caller frees. */
char *
engine_cat3(const char *a, const char *b, const char *c3)
{
	size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0, lc = c3 ? strlen(c3) : 0;
	char *s = malloc(la + lb + lc + 1);

	if (s == NULL)
		return NULL;
	if (la)
		memcpy(s, a, la);
	if (lb)
		memcpy(s + la, b, lb);
	if (lc)
		memcpy(s + la + lb, c3, lc);
	s[la + lb + lc] = '\0';
	return s;
}

/* Text as served in script (render_for_phone). Caller frees; NULL on
 * failure. */
char *
engine_str(enum render_script script, const char *text)
{
	char *out = NULL;

	if (render_for_phone(text, script, &out) == -1)
		return NULL;
	return out;
}

const char *
engine_locale(const struct engine_ctx *x)
{
	return x->script == RENDER_SCRIPT_ZAWGYI ? RENDER_LOCALE_ZAWGYI : x->lang;
}

char *
engine_ui(const struct engine_ctx *x, const char *key)
{
	return engine_str(x->script, content_ui(x->c, x->lang, key, x->s->serve_fuzzy));
}

char *
engine_tr(const struct engine_ctx *x, const char *ctxt, const char *english)
{
	return engine_str(x->script, content_tr(x->c, x->lang, ctxt, english, x->s->serve_fuzzy));
}

static struct engine_cost
engine_cost_of(const char *s)
{
	struct engine_cost k = { charset_gsm7_septets(s), 0 };
	size_t len = strlen(s), i = 0;

	while (i < len) {
		unsigned cp;
		size_t n = charset_utf8_next(s + i, len - i, &cp);

		k.units += (n != 0 && cp > 0xffff) ? 2 : 1;
		i += n != 0 ? n : 1;
	}
	return k;
}

static struct engine_cost
engine_cost_add(struct engine_cost a, struct engine_cost b)
{
	struct engine_cost k = { a.sept >= 0 && b.sept >= 0 ? a.sept + b.sept : -1,
		a.units + b.units };

	return k;
}

static bool
engine_cost_fits(struct engine_cost k, const struct render_limits *lim)
{
	return k.sept >= 0 ? (size_t)k.sept <= lim->gsm7 : k.units <= lim->ucs2;
}

/* Appends a page made of lines [a, b) joined by newlines, then footer
 * (its leading newline dropped when there are no lines). 0 or -1. */
static int
engine_emit(struct render_pages *out, const struct engine_lines *l, size_t a, size_t b,
    const char *footer)
{
	size_t len = strlen(footer) + 1, pos = 0;
	struct render_page *v, *p;
	char *t;

	for (size_t i = a; i < b; i++)
		len += strlen(l->v[i]) + 1;
	t = malloc(len);
	if (t == NULL)
		return -1;
	for (size_t i = a; i < b; i++) {
		size_t n = strlen(l->v[i]);

		if (i > a)
			t[pos++] = '\n';
		memcpy(t + pos, l->v[i], n);
		pos += n;
	}
	if (a == b && footer[0] == '\n')
		footer++;
	memcpy(t + pos, footer, strlen(footer) + 1);
	v = realloc(out->v, (out->n + 1) * sizeof(*v));
	if (v == NULL) {
		free(t);
		return -1;
	}
	out->v = v;
	p = &out->v[out->n++];
	p->text = t;
	p->coding = render_coding_of(t, &p->units);
	p->segments = render_sms_segments(t);
	return 0;
}

/* Appends the pages of one line too long for a page of its own. 0 or -1. */
static int
engine_split_line(const char *line, const char *more, const char *last, const char *locale,
    const struct render_limits *lim, struct render_pages *out)
{
	struct render_pages p;
	struct render_page *v;

	if (render_paginate(line, more, last, locale, lim, &p) == -1)
		return -1;
	v = realloc(out->v, (out->n + p.n) * sizeof(*v));
	if (v == NULL) {
		render_pages_free(&p);
		return -1;
	}
	out->v = v;
	memcpy(out->v + out->n, p.v, p.n * sizeof(*v));
	out->n += p.n;
	free(p.v);
	return 0;
}

/* Packs whole lines into pages: each page takes as many lines as fit with
 * its footer (more on all pages but the last). 0 or -1. */
int
engine_pack(const struct engine_lines *l, const char *more, const char *last, const char *locale,
    const struct render_limits *lim, struct render_pages *out, size_t *first_n)
{
	struct engine_cost fm = engine_cost_of(more), fl = engine_cost_of(last);
	struct engine_cost cur = { 0, 0 }, nl = { 1, 1 };
	size_t a = 0, i = 0;

	if (first_n != NULL)
		*first_n = l->n; /* unless a page break comes first */
	if (l->n == 0)
		return engine_emit(out, l, 0, 0, last);
	while (i < l->n) {
		bool is_last = i + 1 == l->n;
		struct engine_cost cand = engine_cost_of(l->v[i]);

		if (i > a)
			cand = engine_cost_add(engine_cost_add(cur, nl), cand);
		if (engine_cost_fits(engine_cost_add(cand, is_last ? fl : fm), lim)) {
			cur = cand;
			i++;
			continue;
		}
		if (i > a) {
			if (a == 0 && first_n != NULL)
				*first_n = i;
			if (engine_emit(out, l, a, i, more) == -1)
				return -1;
			a = i;
			continue;
		}
		if (engine_split_line(l->v[i], more, is_last ? last : more, locale, lim, out) == -1)
			return -1;
		a = ++i;
	}
	if (a < l->n && engine_emit(out, l, a, l->n, last) == -1)
		return -1;
	return 0;
}

size_t
engine_lang_entries(const struct content *c)
{
	size_t n = content_nlanguages(c), z = 0;

	for (size_t i = 0; i < n; i++)
		if (content_language_at(c, i)->variant[0] != '\0')
			z++;
	return n + z;
}

/* One entry of the language list. */
struct engine_lang_slot {
	size_t li; /* content_language_at index */
	bool variant;
};

/* Appends (li, variant) to v (k entries) unless it is there. */
static void
engine_lang_add(struct engine_lang_slot *v, size_t *k, size_t li, bool variant)
{
	for (size_t i = 0; i < *k; i++)
		if (v[i].li == li && v[i].variant == variant)
			return;
	v[*k].li = li;
	v[*k].variant = variant;
	(*k)++;
}

/* True when the country's order names code's variant entry. */
static bool
engine_lang_named(const struct content *c, const struct content_country *ct, size_t li)
{
	for (size_t e = 0; e < ct->nlanguages; e++) {
		bool var;
		const struct content_language *l = content_lang_code(c, ct->languages[e], &var);

		if (var && l == content_language_at(c, li))
			return true;
	}
	return false;
}

/* The language list's entries in order into v (engine_lang_entries(c)
 * slots). Without an order for country (countries.cfg `languages`): every
 * language in languages.cfg order, then the variants. With one: English
 * first unless named, the named entries in their order (a language's
 * variant, when not named itself, right after it), then the languages not
 * named in languages.cfg order, each with its variant. Returns the count. */
static size_t
engine_lang_order(const struct content *c, const char *country, struct engine_lang_slot *v)
{
	const struct content_country *ct =
	    country != NULL && country[0] != '\0' ? content_find_country(c, country) : NULL;
	size_t n = content_nlanguages(c), k = 0;

	if (ct == NULL || ct->nlanguages == 0) {
		for (size_t i = 0; i < n; i++)
			engine_lang_add(v, &k, i, false);
		for (size_t i = 0; i < n; i++)
			if (content_language_at(c, i)->variant[0] != '\0')
				engine_lang_add(v, &k, i, true);
		return k;
	}
	for (size_t i = 0; i < n; i++) {
		bool var;

		if (strcmp(content_language_at(c, i)->code, "en") != 0)
			continue;
		for (size_t e = 0; e < ct->nlanguages; e++)
			if (content_lang_code(c, ct->languages[e], &var) ==
			    content_language_at(c, i))
				goto named;
		engine_lang_add(v, &k, i, false);
	named:;
	}
	for (size_t e = 0; e < ct->nlanguages; e++) {
		bool var;
		const struct content_language *l = content_lang_code(c, ct->languages[e], &var);

		for (size_t i = 0; l != NULL && i < n; i++) {
			if (content_language_at(c, i) != l)
				continue;
			engine_lang_add(v, &k, i, var);
			if (!var && l->variant[0] != '\0' && !engine_lang_named(c, ct, i))
				engine_lang_add(v, &k, i, true);
		}
	}
	for (size_t i = 0; i < n; i++) {
		engine_lang_add(v, &k, i, false);
		if (content_language_at(c, i)->variant[0] != '\0')
			engine_lang_add(v, &k, i, true);
	}
	return k;
}

const struct content_language *
engine_lang_entry(const struct content *c, const char *country, size_t i, bool *variant)
{
	struct engine_lang_slot *v = malloc(engine_lang_entries(c) * sizeof(*v) + 1);
	const struct content_language *l = NULL;

	*variant = false;
	if (v == NULL)
		return NULL;
	if (i < engine_lang_order(c, country, v)) {
		l = content_language_at(c, v[i].li);
		*variant = v[i].variant;
	}
	free(v);
	return l;
}

int
engine_lang_number(const struct content *c, const char *country, const char *code, bool variant)
{
	size_t n = engine_lang_entries(c);

	for (size_t i = 0; i < n; i++) {
		bool var;
		const struct content_language *l = engine_lang_entry(c, country, i, &var);

		if (l != NULL && var == variant && strcmp(l->code, code) == 0)
			return (int)i + 1;
	}
	return -1;
}

const struct content_node *
engine_find_action(const struct content *c, enum content_action a)
{
	size_t n = content_nnodes(c);

	for (size_t i = 0; i < n; i++) {
		const struct content_node *nd = content_node_at(c, i);

		if (nd->kind == CONTENT_ACTION && nd->action == a)
			return nd;
	}
	return NULL;
}

bool
engine_view_is_menu(const struct engine_view *v)
{
	return v->node == NULL || v->node->kind == CONTENT_MENU ||
	       (v->node->kind == CONTENT_ACTION && v->node->action == CONTENT_ACTION_LANGUAGE);
}

struct render_limits
engine_view_limits(const struct engine_ctx *x, const struct engine_view *v)
{
	struct render_limits lim = x->ch == ENGINE_USSD ? x->s->ussd : x->s->sms;
	int segs = x->s->max_info_segments;

	if (x->ch == ENGINE_SMS && v->node != NULL && v->node->kind == CONTENT_PAGE && segs > 1)
		lim = render_sms_limits(segs);
	return lim;
}

/* The footers: more on non-last pages, last on the last; "0 Back 00 Home"
 * everywhere but at home (and the first language list). */
static int
engine_footers(const struct engine_ctx *x, bool nav, char **more, char **last)
{
	char *m = engine_ui(x, "more"), *b = engine_ui(x, "back"), *h = engine_ui(x, "home");
	char *bh = NULL;

	*more = *last = NULL;
	if (m == NULL || b == NULL || h == NULL)
		goto fail;
	bh = nav ? engine_cat3(b, " ", h) : engine_cat3("", NULL, NULL);
	if (bh == NULL)
		goto fail;
	*more = engine_cat3("\n", m, NULL);
	if (*more != NULL && nav) {
		char *t = engine_cat3(*more, " ", bh);

		free(*more);
		*more = t;
	}
	*last = nav ? engine_cat3("\n", bh, NULL) : engine_cat3("", NULL, NULL);
	if (*more == NULL || *last == NULL)
		goto fail;
	free(m);
	free(b);
	free(h);
	free(bh);
	return 0;
fail:
	free(m);
	free(b);
	free(h);
	free(bh);
	free(*more);
	free(*last);
	*more = *last = NULL;
	return -1;
}

/* "i Label" as one new line. */
char *
engine_item(size_t i, const char *label)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%zu ", i);

	if (n < 0 || (size_t)n >= sizeof(num))
		return NULL;
	return engine_cat3(num, label, NULL);
}

static int
engine_lines_langs(const struct engine_ctx *x, struct engine_lines *l)
{
	size_t n = engine_lang_entries(x->c);

	if (engine_lines_take(l, engine_ui(x, "choose_language")) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool zg;
		const struct content_language *lg = engine_lang_entry(x->c, x->s->country, i, &zg);
		bool own;
		char *name, *label;

		if (lg == NULL) /* out of memory: i is in range */
			return -1;
		/* A variant's entry reads in the variant's script: its own name
		 * (variant_name), or the language's name then " (Zawgyi)". */
		own = zg && lg->variant_name[0] != '\0';
		name = engine_str(engine_script(x->c, lg->code, zg),
		    own ? lg->variant_name : lg->name);
		if (name == NULL)
			return -1;
		label = zg && !own ? engine_cat3(name, " (Zawgyi)", NULL) :
				     engine_cat3(name, NULL, NULL);
		free(name);
		if (label == NULL || engine_lines_take(l, engine_item(i + 1, label)) == -1) {
			free(label);
			return -1;
		}
		free(label);
	}
	return 0;
}

static int
engine_lines_menu(const struct engine_ctx *x, const struct content_node *nd, struct engine_lines *l)
{
	if (nd->text[0] != '\0' && engine_lines_take(l, engine_tr(x, nd->id, nd->text)) == -1)
		return -1;
	/* Only the children shown in the deployment's country (general ones and
	 * that country's variants), numbered without gaps as engine_on_node
	 * reads the digit (content_child_at). */
	for (size_t i = 1;; i++) {
		const struct content_node *ch = content_child_at(x->c, nd, x->s->country, i);
		char *title;

		if (ch == NULL)
			break;
		title = engine_tr(x, ch->id, ch->title);
		if (title == NULL || engine_lines_take(l, engine_item(i, title)) == -1) {
			free(title);
			return -1;
		}
		free(title);
	}
	return 0;
}

char *
engine_contact_line(const struct engine_ctx *x, const struct content_contact *ct)
{
	const char *h = ct->hours;
	const char *name = content_tr(x->c, x->lang, ct->ctxt, ct->name, x->s->serve_fuzzy);
	char *a = engine_cat3(name, ": ", ct->number), *line = NULL, *out;

	if (a != NULL)
		line = h[0] != '\0' ? engine_cat3(a, " (", h) : engine_cat3(a, NULL, NULL);
	free(a);
	if (line != NULL && h[0] != '\0') {
		a = engine_cat3(line, ")", NULL);
		free(line);
		line = a;
	}
	if (line == NULL)
		return NULL;
	out = engine_str(x->script, line);
	free(line);
	return out;
}

static int
engine_lines_contacts(const struct engine_ctx *x, const struct content_node *nd,
    struct engine_lines *l)
{
	const struct content_contact *cs[ENGINE_CONTACTS_MAX];
	size_t n = content_contacts_for(nd, x->s->country, cs, ENGINE_CONTACTS_MAX);

	if (engine_lines_take(l, engine_tr(x, nd->id, nd->title)) == -1)
		return -1;
	if (n == 0)
		return engine_lines_take(l, engine_ui(x, "contacts_none"));
	for (size_t i = 0; i < n; i++)
		if (engine_lines_take(l, engine_contact_line(x, cs[i])) == -1)
			return -1;
	return 0;
}

/* The prose of a page or action node: title, text, articles. Caller frees. */
static char *
engine_body(const struct engine_ctx *x, const struct content_node *nd)
{
	char *title = engine_tr(x, nd->id, nd->title), *text = NULL, *body = NULL, *t;

	if (title == NULL)
		return NULL;
	if (nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_DISCREET) {
		free(title);
		title = engine_ui(x, x->discreet ? "discreet_on" : "discreet_off");
		if (title == NULL)
			return NULL;
	}
	text = nd->text[0] != '\0' ? engine_tr(x, nd->id, nd->text) : engine_cat3("", NULL, NULL);
	if (text == NULL)
		goto out;
	body = text[0] != '\0' ? engine_cat3(title, "\n", text) : engine_cat3(title, NULL, NULL);
	if (body != NULL && nd->articles != NULL && nd->articles[0] != '\0') {
		char *label = engine_ui(x, "articles"), *arts = engine_str(x->script, nd->articles);

		t = (label != NULL && arts != NULL) ? engine_cat3(body, "\n", label) : NULL;
		free(body);
		body = t != NULL ? engine_cat3(t, " ", arts) : NULL;
		free(t);
		free(label);
		free(arts);
	}
out:
	free(title);
	free(text);
	return body;
}

/* Packs a list so that its first page shows at least one choice: where a
 * long header leaves none (a 70-character UCS-2 page), header lines are
 * dropped, the list's own prompt first, then the line above it (a hint or
 * a confirmation), until one choice fits beside them. */
static int
engine_pack_choices(struct engine_lines *l, size_t nhead, const char *more, const char *last,
    const char *locale, const struct render_limits *lim, struct render_pages *out)
{
	for (;;) {
		size_t first_n = 0;

		if (engine_pack(l, more, last, locale, lim, out, &first_n) == -1)
			return -1;
		if (nhead == 0 || nhead >= l->n || first_n > nhead)
			return 0;
		render_pages_free(out);
		free(l->v[nhead - 1]);
		memmove(&l->v[nhead - 1], &l->v[nhead], (l->n - nhead) * sizeof(l->v[0]));
		l->n--;
		nhead--;
	}
}

int
engine_view_pages(const struct engine_ctx *x, const struct engine_view *v, struct render_pages *out)
{
	const struct content_node *nd = v->node;
	struct render_limits lim = engine_view_limits(x, v);
	struct engine_lines l = { 0 };
	size_t nhead;
	bool nav, lines = true;
	char *more = NULL, *last = NULL, *hdr = NULL, *body = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (nd != NULL && nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_LANGUAGE)
		nd = NULL;
	nav = nd == NULL ? v->lang_nav : nd != content_home(x->c);
	if (engine_footers(x, nav, &more, &last) == -1)
		goto out;
	if (v->header != NULL) {
		hdr = engine_str(x->script, v->header);
		if (hdr == NULL || engine_lines_take(&l, hdr) == -1)
			goto out;
	}
	nhead = l.n; /* the header line, and below the list's own prompt or title */
	if (nd == NULL || nd->kind == CONTENT_CONTACTS ||
	    (nd->kind == CONTENT_MENU && nd->text[0] != '\0'))
		nhead++;
	if (nd == NULL) {
		if (engine_lines_langs(x, &l) == -1)
			goto out;
	} else if (nd->kind == CONTENT_MENU) {
		if (engine_lines_menu(x, nd, &l) == -1)
			goto out;
	} else if (nd->kind == CONTENT_CONTACTS) {
		if (engine_lines_contacts(x, nd, &l) == -1)
			goto out;
	} else {
		lines = false;
		body = engine_body(x, nd);
		if (body == NULL)
			goto out;
		if (l.n > 0) {
			char *t = engine_cat3(l.v[0], "\n", body);

			free(body);
			body = t;
			if (body == NULL)
				goto out;
		}
	}
	if (lines)
		rc = engine_pack_choices(&l, nhead, more, last, engine_locale(x), &lim, out);
	else
		rc = render_paginate(body, more, last, engine_locale(x), &lim, out);
	if (rc == -1) {
		log_warnx("engine: node %s does not fit the %s limit in %s",
		    nd != NULL ? nd->id : "(languages)", x->ch == ENGINE_USSD ? "USSD" : "SMS",
		    x->lang);
		render_pages_free(out);
	}
out:
	engine_lines_free(&l);
	free(more);
	free(last);
	free(body);
	return rc;
}
