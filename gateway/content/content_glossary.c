/* content_glossary.c - translations/glossary.cfg (libconfig): for each
 * English term that must not drift (embassy, police, work permit, ...) the
 * one approved translation per language, and variants; and the entries of
 * the catalogs whose English holds a term while the translation holds none
 * of its approved words. */
#include "content/content.h"

#include <libconfig.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/content_int.h"
#include "core/util.h"

#define GLOSSARY_FILE "glossary.cfg"
#define GLOSSARY_MAX_WORDS 16

/* An arena copy of s folded (NFC, case-folded, trimmed); NULL on failure. */
static const char *
glossary_fold(struct content *c, const char *s)
{
	char *f = content_fold_dup(s, strlen(s));
	const char *out;

	if (f == NULL)
		return NULL;
	out = content_strndup(c, f, strlen(f));
	free(f);
	return out;
}

/* One language's list of one term: ["approved", "variant", ...]. */
static void
glossary_lang(struct content_loader *ld, const char *file, const char *en, const char *term,
    const config_setting_t *list)
{
	struct content *c = ld->c;
	const char *name = config_setting_name(list);
	const struct content_language *l = content_find_language(c, name);
	int line = (int)config_setting_source_line(list);
	int n = config_setting_length(list);
	struct content_gloss *g;

	if (l == NULL || strcmp(l->code, "en") == 0) {
		content_error(ld, file, line,
		    "glossary term \"%s\": '%s' is no language of "
		    "languages.cfg (other than en)",
		    en, name);
		return;
	}
	if (!config_setting_is_array(list) || n < 1 || n > GLOSSARY_MAX_WORDS) {
		content_error(ld, file, line,
		    "glossary term \"%s\", %s: a list [ \"approved\", \"variant\", ... ] of 1 to "
		    "%d strings",
		    en, name, GLOSSARY_MAX_WORDS);
		return;
	}
	if (content_grow((void **)&c->gloss, &c->capgloss, c->ngloss, sizeof(*c->gloss)) == -1) {
		content_error(ld, file, line, "out of memory");
		return;
	}
	g = &c->gloss[c->ngloss];
	memset(g, 0, sizeof(*g));
	g->en = en;
	g->term = term;
	g->lang = l->code;
	g->file = file;
	g->line = line;
	g->words = content_alloc(c, (size_t)n * sizeof(*g->words));
	if (g->words == NULL) {
		content_error(ld, file, line, "out of memory");
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *w = config_setting_get_string_elem(list, (unsigned)i);

		if (w == NULL || w[0] == '\0' || !util_utf8_valid(w, strlen(w))) {
			content_error(ld, file, line,
			    "glossary term \"%s\", %s: word %d is not a non-empty UTF-8 string", en,
			    name, i + 1);
			return;
		}
		g->words[i] = glossary_fold(c, w);
		if (i == 0)
			g->approved = content_nfc(c, w);
		if (g->words[i] == NULL || (i == 0 && g->approved == NULL)) {
			content_error(ld, file, line, "out of memory");
			return;
		}
	}
	g->nwords = (size_t)n;
	c->ngloss++;
}

/* One { en = "term"; id = [...]; ms = [...]; ... } group. */
static void
glossary_term(struct content_loader *ld, const char *file, const config_setting_t *grp)
{
	int line = (int)config_setting_source_line(grp);
	const char *en = NULL, *term;
	int n;

	if (!config_setting_is_group(grp) || config_setting_lookup_string(grp, "en", &en) != 1 ||
	    en[0] == '\0' || !util_utf8_valid(en, strlen(en))) {
		content_error(ld, file, line,
		    "a glossary entry is a group with en = \"term\" and one list per language");
		return;
	}
	en = content_nfc(ld->c, en);
	term = en != NULL ? glossary_fold(ld->c, en) : NULL;
	if (term == NULL) {
		content_error(ld, file, line, "out of memory");
		return;
	}
	for (size_t i = 0; i < ld->c->ngloss; i++)
		if (strcmp(ld->c->gloss[i].term, term) == 0) {
			content_error(ld, file, line,
			    "glossary term \"%s\" is listed twice (%s:%d)", en,
			    ld->c->gloss[i].file, ld->c->gloss[i].line);
			return;
		}
	n = config_setting_length(grp);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(grp, (unsigned)i);

		if (strcmp(config_setting_name(s), "en") != 0)
			glossary_lang(ld, file, en, term, s);
	}
}

int
content_glossary_load(struct content_loader *ld, const char *dir)
{
	char path[512];
	const char *file;
	const config_setting_t *list;
	config_t cfg;
	int n;

	if (snprintf(path, sizeof(path), "%s/%s", dir, GLOSSARY_FILE) >= (int)sizeof(path)) {
		content_error(ld, dir, 0, "%s: path too long", GLOSSARY_FILE);
		return 0;
	}
	if (access(path, F_OK) != 0)
		return 0; /* no glossary: nothing enforced */
	file = content_strndup(ld->c, path, strlen(path));
	if (file == NULL)
		return -1;
	config_init(&cfg);
	if (content_include_setup(ld, &cfg, path) < 0) {
		config_destroy(&cfg);
		return 0;
	}
	if (config_read_file(&cfg, path) != CONFIG_TRUE) {
		content_error(ld, path, config_error_line(&cfg), "syntax error: %s",
		    config_error_text(&cfg) != NULL ? config_error_text(&cfg) : "cannot read");
		config_destroy(&cfg);
		return 0;
	}
	list = config_lookup(&cfg, "glossary");
	if (list == NULL || !config_setting_is_list(list)) {
		content_error(ld, path, 0, "no list glossary = ( { en = \"term\"; ... }, ... );");
		config_destroy(&cfg);
		return 0;
	}
	n = config_setting_length(list);
	for (int i = 0; i < n; i++)
		glossary_term(ld, file, config_setting_get_elem(list, (unsigned)i));
	config_destroy(&cfg);
	return 0;
}

size_t
content_nglossary(const struct content *c)
{
	return c->ngloss;
}

size_t
content_nglossary_for(const struct content *c, const char *lang)
{
	size_t n = 0;

	for (size_t i = 0; i < c->ngloss; i++)
		n += strcmp(c->gloss[i].lang, lang) == 0;
	return n;
}

/* True when folded holds one of g's words (anywhere: inflections and
 * scripts written without spaces match). */
static bool
glossary_found(const struct content_gloss *g, const char *folded)
{
	for (size_t i = 0; i < g->nwords; i++)
		if (strstr(folded, g->words[i]) != NULL)
			return true;
	return false;
}

int
content_glossary_drifts(const struct content *c,
    void (*fn)(void *arg, const struct content_glossary_drift *d), void *arg)
{
	int found = 0;

	if (c->ngloss == 0)
		return 0;
	for (size_t k = 0; k < c->ntr; k++) {
		const struct content_tr_entry *e = &c->tr[k];
		char *id = NULL, *str = NULL;

		if (e->msgstr[0] == '\0')
			continue;
		for (size_t i = 0; i < c->ngloss; i++) {
			const struct content_gloss *g = &c->gloss[i];
			struct content_glossary_drift d;

			if (strcmp(g->lang, e->lang) != 0)
				continue;
			if (id == NULL) {
				id = content_fold_dup(e->msgid, strlen(e->msgid));
				str = content_fold_dup(e->msgstr, strlen(e->msgstr));
				if (id == NULL || str == NULL) {
					free(id);
					free(str);
					return -1;
				}
			}
			if (!content_word_within(id, g->term) || glossary_found(g, str))
				continue;
			d.file = e->file;
			d.line = e->line;
			d.lang = e->lang;
			d.ctxt = e->ctxt;
			d.term = g->en;
			d.approved = g->approved;
			d.fuzzy = e->fuzzy;
			fn(arg, &d);
			found++;
		}
		free(id);
		free(str);
	}
	return found;
}
