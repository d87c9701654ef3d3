/* content_keywords.c - menus/keywords.cfg: keyword lists folded once at load
 * (NFC, case-folded, spaces collapsed), and content_keyword() matching a
 * whole message against them by binary search. */
#include "content/content.h"

#include <libconfig.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "content/content_int.h"
#include "core/util.h"

#define KEYWORDS_TEXT_MAX 256 /* a longer message is never a keyword */

static const char *const keywords_kinds[] = { "", "help", "menu", "lang", "stop", "status" };
static const char *const keywords_keys[] = { "kind", "lang", "words", NULL };

static int
keywords_line(const config_setting_t *s)
{
	return s != NULL ? (int)config_setting_source_line(s) : 0;
}

static const char *
keywords_string(struct content_loader *ld, const char *file, const config_setting_t *g,
    const char *key)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	const char *v;

	if (s == NULL)
		return NULL;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		content_error(ld, file, keywords_line(s), "keywords: '%s' must be a string", key);
		return NULL;
	}
	v = config_setting_get_string(s);
	if (!util_utf8_valid(v, strlen(v))) {
		content_error(ld, file, keywords_line(s), "keywords: '%s' is not valid UTF-8", key);
		return NULL;
	}
	return v;
}

static void
keywords_word(struct content_loader *ld, const char *file, const config_setting_t *w,
    enum content_keyword kind, const char *lang)
{
	struct content *c = ld->c;
	char folded[CONTENT_WORD_MAX];
	const char *s;
	struct content_word *kw;

	if (config_setting_type(w) != CONFIG_TYPE_STRING) {
		content_error(ld, file, keywords_line(w), "keywords: words must be strings");
		return;
	}
	s = config_setting_get_string(w);
	if (!util_utf8_valid(s, strlen(s))) {
		content_error(ld, file, keywords_line(w), "keyword is not valid UTF-8");
		return;
	}
	if (content_fold(s, strlen(s), folded, sizeof(folded)) == -1) {
		content_error(ld, file, keywords_line(w), "keyword '%s' is too long", s);
		return;
	}
	if (folded[0] == '\0') {
		content_error(ld, file, keywords_line(w), "empty keyword");
		return;
	}
	if (content_grow((void **)&c->words, &c->capwords, c->nwords, sizeof(*kw)) == -1) {
		content_error(ld, file, keywords_line(w), "out of memory");
		return;
	}
	kw = &c->words[c->nwords];
	kw->folded = content_strndup(c, folded, strlen(folded));
	kw->lang = content_strndup(c, lang, strlen(lang));
	kw->kind = kind;
	kw->file = file;
	kw->line = keywords_line(w);
	if (kw->folded == NULL || kw->lang == NULL) {
		content_error(ld, file, kw->line, "out of memory");
		return;
	}
	c->nwords++;
}

static void
keywords_group(struct content_loader *ld, const char *file, const config_setting_t *g)
{
	const config_setting_t *words;
	const char *kind_name, *lang;
	enum content_keyword kind = CONTENT_KW_NONE;
	int n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		content_error(ld, file, keywords_line(g),
		    "keywords: each entry must be a group { ... }");
		return;
	}
	n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
		bool known = false;

		for (size_t k = 0; keywords_keys[k] != NULL; k++)
			if (strcmp(config_setting_name(m), keywords_keys[k]) == 0)
				known = true;
		if (!known)
			content_error(ld, file, keywords_line(m), "unknown key '%s' in keywords",
			    config_setting_name(m));
	}
	kind_name = keywords_string(ld, file, g, "kind");
	for (int k = 1; kind_name != NULL && k < 6; k++)
		if (strcmp(kind_name, keywords_kinds[k]) == 0)
			kind = (enum content_keyword)k;
	if (kind == CONTENT_KW_NONE) {
		content_error(ld, file, keywords_line(g),
		    "keywords: unknown kind '%s' (help, menu, lang, stop, status)",
		    kind_name != NULL ? kind_name : "");
		return;
	}
	lang = keywords_string(ld, file, g, "lang");
	if (lang == NULL)
		lang = "";
	words = config_setting_get_member(g, "words");
	if (words == NULL || (config_setting_type(words) != CONFIG_TYPE_ARRAY &&
				 config_setting_type(words) != CONFIG_TYPE_LIST)) {
		content_error(ld, file, keywords_line(words != NULL ? words : g),
		    "keywords: 'words' must be a list of strings [\"HELP\", ...]");
		return;
	}
	n = config_setting_length(words);
	for (int i = 0; i < n; i++)
		keywords_word(ld, file, config_setting_get_elem(words, (unsigned)i), kind, lang);
}

int
content_keywords_parse(struct content_loader *ld, const void *setting, const char *file)
{
	const config_setting_t *s = setting;
	int n;

	if (config_setting_type(s) != CONFIG_TYPE_LIST) {
		content_error(ld, file, keywords_line(s),
		    "'keywords' must be a list ( { ... }, ... )");
		return 0;
	}
	n = config_setting_length(s);
	for (int i = 0; i < n; i++)
		keywords_group(ld, file, config_setting_get_elem(s, (unsigned)i));
	return 0;
}

static int
keywords_cmp(const void *a, const void *b)
{
	const struct content_word *x = a, *y = b;
	int r = strcmp(x->folded, y->folded);

	if (r != 0)
		return r;
	r = strcmp(x->file, y->file);
	return r != 0 ? r : x->line - y->line;
}

int
content_keywords_finish(struct content_loader *ld)
{
	struct content *c = ld->c;

	for (size_t i = 0; i < c->nwords; i++) {
		const struct content_word *w = &c->words[i];

		if (w->lang[0] != '\0' && content_find_language(c, w->lang) == NULL &&
		    c->nlangs > 0)
			content_error(ld, w->file, w->line, "keywords: unknown language '%s'",
			    w->lang);
	}
	if (c->nwords > 0)
		qsort(c->words, c->nwords, sizeof(*c->words), keywords_cmp);
	for (size_t i = 1; i < c->nwords; i++) {
		const struct content_word *a = &c->words[i - 1], *b = &c->words[i];

		if (strcmp(a->folded, b->folded) == 0 && a->kind != b->kind)
			content_error(ld, b->file, b->line,
			    "keyword '%s' is both %s and %s (also at %s:%d)", b->folded,
			    keywords_kinds[b->kind], keywords_kinds[a->kind], a->file, a->line);
	}
	/* A word listed under two languages (or under one and "") is shared:
	 * it never picks a language (TOLONG is Malay and Indonesian). */
	for (size_t i = 0, j; i < c->nwords; i = j) {
		bool shared = false;

		for (j = i + 1;
		     j < c->nwords && strcmp(c->words[i].folded, c->words[j].folded) == 0; j++)
			if (strcmp(c->words[i].lang, c->words[j].lang) != 0)
				shared = true;
		for (size_t k = i; k < j; k++)
			c->words[k].shared = shared;
	}
	return 0;
}

static const struct content_word *
keywords_find(const struct content *c, const char *folded)
{
	size_t lo = 0, hi = c->nwords;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(folded, c->words[mid].folded);

		if (r == 0) {
			while (mid > 0 && strcmp(folded, c->words[mid - 1].folded) == 0)
				mid--;
			return &c->words[mid];
		}
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool
keywords_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

enum content_keyword
content_keyword(const struct content *c, const char *text, const char **lang_out,
    const char **rest_out)
{
	return content_keyword_ex(c, text, lang_out, rest_out, NULL);
}

enum content_keyword
content_keyword_ex(const struct content *c, const char *text, const char **lang_out,
    const char **rest_out, bool *shared_out)
{
	char folded[CONTENT_WORD_MAX];
	const struct content_word *w;
	size_t start = 0, end;

	if (lang_out != NULL)
		*lang_out = "";
	if (rest_out != NULL)
		*rest_out = NULL;
	if (shared_out != NULL)
		*shared_out = false;
	if (text == NULL)
		return CONTENT_KW_NONE;
	end = strnlen(text, KEYWORDS_TEXT_MAX + 1);
	while (start < end && keywords_space(text[start]))
		start++;
	while (end > start && keywords_space(text[end - 1]))
		end--;
	if (end - start > KEYWORDS_TEXT_MAX || !util_utf8_valid(text + start, end - start))
		return CONTENT_KW_NONE;
	w = NULL;
	if (content_fold(text + start, end - start, folded, sizeof(folded)) == 0)
		w = keywords_find(c, folded);
	if (w != NULL) {
		if (rest_out != NULL)
			*rest_out = text + end;
		goto found;
	}
	/* "STATUS K7Q2": a status word, whitespace, an argument */
	for (size_t p = start + 1; p < end; p++) {
		size_t q = p;

		if (!keywords_space(text[p]) || keywords_space(text[p - 1]))
			continue;
		if (content_fold(text + start, p - start, folded, sizeof(folded)) == -1)
			break;
		w = keywords_find(c, folded);
		if (w == NULL || w->kind != CONTENT_KW_STATUS) {
			w = NULL;
			continue;
		}
		while (q < end && keywords_space(text[q]))
			q++;
		if (rest_out != NULL)
			*rest_out = text + q;
		goto found;
	}
	return CONTENT_KW_NONE;
found:
	if (lang_out != NULL)
		*lang_out = w->shared ? "" : w->lang;
	if (shared_out != NULL)
		*shared_out = w->shared;
	return w->kind;
}

/* The first code point of UTF-8 s (valid), or 0. */
static uint32_t
keywords_cp(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80)
		return u[0];
	if ((u[0] & 0xe0) == 0xc0)
		return ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
	if ((u[0] & 0xf0) == 0xe0)
		return ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) |
		       (u[2] & 0x3f);
	if ((u[0] & 0xf8) == 0xf0)
		return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) |
		       ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
	return 0;
}

/* A word in a Latin script (ASCII, Latin-1 to Latin Extended-B, Vietnamese)
 * stands between spaces; other scripts (Thai, Burmese, Chinese) are written
 * without them, so a word there is any substring. */
static bool
keywords_spaced(const char *word)
{
	uint32_t cp = keywords_cp(word);

	return cp < 0x250 || (cp >= 0x1e00 && cp <= 0x1eff);
}

static bool
keywords_letter(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch >= 0x80;
}

bool
content_word_within(const char *folded_text, const char *folded_word)
{
	size_t wl = strlen(folded_word);
	bool spaced = keywords_spaced(folded_word);

	if (wl == 0)
		return false;
	for (const char *p = strstr(folded_text, folded_word); p != NULL;
	     p = strstr(p + 1, folded_word)) {
		if (!spaced)
			return true;
		if ((p == folded_text || !keywords_letter((unsigned char)p[-1])) &&
		    !keywords_letter((unsigned char)p[wl]))
			return true;
	}
	return false;
}

bool
content_help_within(const struct content *c, const char *text, const char **lang_out,
    bool *shared_out)
{
	return content_help_find(c, text, lang_out, shared_out) == 1;
}

int
content_help_find(const struct content *c, const char *text, const char **lang_out,
    bool *shared_out)
{
	const struct content_word *best = NULL;
	char *folded;

	if (lang_out != NULL)
		*lang_out = "";
	if (shared_out != NULL)
		*shared_out = false;
	if (text == NULL || !util_utf8_valid(text, strlen(text)))
		return 0;
	folded = content_fold_dup(text, strlen(text));
	if (folded == NULL)
		return -1;
	for (size_t i = 0; i < c->nwords; i++) {
		const struct content_word *w = &c->words[i];

		if (w->kind != CONTENT_KW_HELP)
			continue;
		if (best != NULL && strlen(w->folded) <= strlen(best->folded))
			continue;
		if (content_word_within(folded, w->folded))
			best = w;
	}
	free(folded);
	if (best == NULL)
		return 0;
	if (lang_out != NULL)
		*lang_out = best->shared ? "" : best->lang;
	if (shared_out != NULL)
		*shared_out = best->shared;
	return 1;
}

/* The languages that list the folded word (a run in the sorted words). */
static bool
keywords_owns(const struct content *c, const char *folded, const char *lang)
{
	const struct content_word *w = keywords_find(c, folded);

	for (; w != NULL && w < c->words + c->nwords && strcmp(w->folded, folded) == 0; w++) {
		if (strcmp(w->lang, lang) == 0)
			return true;
		if (w->lang[0] == '\0' && strcmp(lang, "en") == 0)
			return true; /* "" words are English ones every language shares */
	}
	return false;
}

/* 1 when the word stands in text (its own words, not a quote of the
 * keyword: the English it translates does not hold it), 0 when not, -1 on
 * allocation failure. */
static int
keywords_in(const char *word, const char *text, const char *english)
{
	char *f;
	bool in;

	if (text == NULL || text[0] == '\0')
		return 0;
	f = content_fold_dup(text, strlen(text));
	if (f == NULL)
		return -1;
	in = content_word_within(f, word);
	free(f);
	if (!in || english == NULL)
		return in ? 1 : 0;
	f = content_fold_dup(english, strlen(english));
	if (f == NULL)
		return -1;
	in = !content_word_within(f, word);
	free(f);
	return in ? 1 : 0;
}

int
content_stop_conflicts(const struct content *c,
    void (*fn)(void *arg, const struct content_stop_conflict *sc), void *arg)
{
	int found = 0;

	for (size_t i = 0; i < c->nwords; i++) {
		const struct content_word *w = &c->words[i];
		struct content_stop_conflict sc;
		const char *seen = NULL;

		if (w->kind != CONTENT_KW_STOP)
			continue;
		sc.word = w->folded;
		sc.lang = w->lang;
		sc.file = w->file;
		sc.line = w->line;
		/* English, the source: node titles and texts, ui strings */
		if (!keywords_owns(c, w->folded, "en")) {
			for (size_t k = 0; k < c->nnodes; k++) {
				const struct content_node *n = &c->nodes[k].pub;
				int r = keywords_in(w->folded, n->title, NULL);

				if (r == 0)
					r = keywords_in(w->folded, n->text, NULL);
				if (r == -1)
					return -1;
				if (r == 1) {
					sc.other_lang = "en";
					sc.ctxt = n->id;
					fn(arg, &sc);
					found++;
					break;
				}
			}
			for (size_t k = 0; k < c->nui; k++) {
				int r = keywords_in(w->folded, c->ui[k].value, NULL);

				if (r == -1)
					return -1;
				if (r == 1) {
					sc.other_lang = "en";
					sc.ctxt = c->ui[k].ctxt;
					fn(arg, &sc);
					found++;
					break;
				}
			}
		}
		/* every catalog's translations, drafts included */
		for (size_t k = 0; k < c->ntr; k++) {
			const struct content_tr_entry *e = &c->tr[k];
			int r;

			if (seen != NULL && strcmp(seen, e->lang) == 0)
				continue;
			if (keywords_owns(c, w->folded, e->lang))
				continue;
			r = keywords_in(w->folded, e->msgstr, e->msgid);
			if (r == -1)
				return -1;
			if (r == 1) {
				sc.other_lang = e->lang;
				sc.ctxt = e->ctxt;
				fn(arg, &sc);
				found++;
				seen = e->lang;
			}
		}
	}
	return found;
}
