/* content_keywords.c - menus/keywords.cfg: keyword lists folded once at load
 * (NFC, case-folded, spaces collapsed), and content_keyword() matching a
 * whole message against them by binary search. */
#include "content/content.h"

#include <libconfig.h>
#include <stdlib.h>
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
	char folded[CONTENT_WORD_MAX];
	const struct content_word *w;
	size_t start = 0, end;

	if (lang_out != NULL)
		*lang_out = "";
	if (rest_out != NULL)
		*rest_out = NULL;
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
		*lang_out = w->lang;
	return w->kind;
}
