/* content_countries.c - menus/countries.cfg: every country the content
 * names (ISO 3166 alpha-2 code, English name, whether the report flow
 * offers it as a nationality), each code checked against ICU's list of
 * ISO 3166 regions; the nationality a language implies; look-ups. */
#include "content/content.h"

#include <libconfig.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uloc.h>

#include "content/content_int.h"

static const char *const countries_keys[] = { "code", "name", "choice", "languages", NULL };

static int
countries_line(const config_setting_t *s)
{
	return s != NULL ? (int)config_setting_source_line(s) : 0;
}

bool
content_country_valid(const char *s)
{
	return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

/* True when ICU knows code as an ISO 3166 alpha-2 region ("GB", not "UK"). */
static bool
countries_known(const char *code)
{
	const char *const *iso = uloc_getISOCountries();

	for (; iso != NULL && *iso != NULL; iso++)
		if (strcmp(*iso, code) == 0)
			return true;
	return false;
}

/* True when code is a plain ISO 639 language code ICU knows ("ta"): a
 * language this deployment's languages.cfg may leave out, skipped in an
 * order. A typo ("vn"), or a variant ("vi-plainn"), is no such code. */
static bool
countries_other_language(const char *code)
{
	const char *iso3 = uloc_getISO3Language(code);

	return strchr(code, '-') == NULL && strchr(code, '_') == NULL && iso3 != NULL &&
	       iso3[0] != '\0';
}

/* `languages = [ "ms", "id", "vi-plain", ... ]`: kept as written (with
 * each element's line in ld's arena) and checked against languages.cfg in
 * content_countries_finish, when every language is known. */
static void
countries_languages(struct content_loader *ld, const char *file, const config_setting_t *g,
    const char *what, struct content_country *ct)
{
	struct content *c = ld->c;
	const config_setting_t *s = config_setting_get_member(g, "languages");
	const char **v;
	int *lines;
	int n;

	if (s == NULL)
		return;
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST) {
		content_error(ld, file, countries_line(s),
		    "'languages' of %s must be a list of language codes [ \"ms\", ... ]", what);
		return;
	}
	n = config_setting_length(s);
	v = content_alloc(c, ((size_t)n + 1) * sizeof(*v));
	lines = content_alloc(c, ((size_t)n + 1) * sizeof(*lines));
	if (v == NULL || lines == NULL) {
		content_error(ld, file, countries_line(s), "out of memory");
		return;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *str = config_setting_get_string(e);

		lines[i] = countries_line(e) > 0 ? countries_line(e) : countries_line(s);
		if (str == NULL) {
			content_error(ld, file, lines[i],
			    "'languages' of %s: entry %d is not a string", what, i + 1);
			return;
		}
		v[i] = content_strndup(c, str, strlen(str));
		if (v[i] == NULL) {
			content_error(ld, file, lines[i], "out of memory");
			return;
		}
	}
	ct->languages = v;
	ct->nlanguages = (size_t)n;
	ct->lang_lines = lines;
}

static void
countries_entry(struct content_loader *ld, const char *file, const config_setting_t *g, int idx)
{
	struct content *c = ld->c;
	struct content_country *ct;
	const config_setting_t *s;
	char what[96], ctxt[16];
	size_t before = ld->errs->total;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		content_error(ld, file, countries_line(g),
		    "countries: entry %d must be a group { ... }", idx + 1);
		return;
	}
	if (content_grow((void **)&c->countries, &c->capcountries, c->ncountries, sizeof(*ct)) ==
	    -1) {
		content_error(ld, file, countries_line(g), "out of memory");
		return;
	}
	ct = &c->countries[c->ncountries];
	memset(ct, 0, sizeof(*ct));
	ct->file = file;
	ct->line = countries_line(g);
	(void)snprintf(what, sizeof(what), "country %d", idx + 1);
	content_menus_keys(ld, file, g, what, countries_keys);
	if (content_menus_str(ld, file, g, "code", MENUS_REQUIRED, what, &ct->code) == -1)
		return;
	s = config_setting_get_member(g, "code");
	if (!content_country_valid(ct->code)) {
		content_error(ld, file, countries_line(s),
		    "bad country code '%s' (two capital letters, ISO 3166 alpha-2, like \"MM\")",
		    ct->code);
		return;
	}
	if (!countries_known(ct->code)) {
		content_error(ld, file, countries_line(s),
		    "unknown country code '%s': not an ISO 3166 alpha-2 code", ct->code);
		return;
	}
	(void)snprintf(what, sizeof(what), "country '%s'", ct->code);
	s = config_setting_get_member(g, "choice");
	if (s != NULL && config_setting_type(s) != CONFIG_TYPE_BOOL)
		content_error(ld, file, countries_line(s), "'choice' of %s must be true or false",
		    what);
	else if (s != NULL)
		ct->choice = config_setting_get_bool(s) != 0;
	if (content_menus_str(ld, file, g, "name", 0, what, &ct->name) == 0 &&
	    ct->name[0] == '\0') {
		s = config_setting_get_member(g, "name");
		if (ct->choice)
			content_error(ld, file, s != NULL ? countries_line(s) : ct->line,
			    "%s is a nationality choice without a name (the label workers pick)",
			    what);
		else
			content_error(ld, file, s != NULL ? countries_line(s) : ct->line,
			    "%s has no name (officers' alerts show it)", what);
	}
	countries_languages(ld, file, g, what, ct);
	(void)snprintf(ctxt, sizeof(ctxt), "country.%s", ct->code);
	ct->ctxt = content_strndup(c, ctxt, strlen(ctxt));
	if (ct->ctxt == NULL)
		content_error(ld, file, ct->line, "out of memory");
	if (ld->errs->total == before)
		c->ncountries++;
}

void
content_countries_parse(struct content_loader *ld, const void *setting, const char *file)
{
	const config_setting_t *s = setting;
	int n;

	if (config_setting_type(s) != CONFIG_TYPE_LIST) {
		content_error(ld, file, countries_line(s),
		    "'countries' must be a list ( { ... }, ... )");
		return;
	}
	n = config_setting_length(s);
	for (int i = 0; i < n; i++)
		countries_entry(ld, file, config_setting_get_elem(s, (unsigned)i), i);
}

int
content_countries_finish(struct content_loader *ld)
{
	struct content *c = ld->c;
	size_t k = 0;

	for (size_t i = 0; i < c->ncountries; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->countries[i].code, c->countries[j].code) == 0) {
				content_error(ld, c->countries[i].file, c->countries[i].line,
				    "duplicate country '%s' (first at %s:%d)", c->countries[i].code,
				    c->countries[j].file, c->countries[j].line);
				break;
			}
	/* Every entry of an order names a language or its variant, once. */
	for (size_t i = 0; !ld->syntax_failed && i < c->ncountries; i++) {
		const struct content_country *ct = &c->countries[i];

		for (size_t e = 0; e < ct->nlanguages; e++) {
			bool var;

			if (content_lang_code(c, ct->languages[e], &var) == NULL &&
			    !countries_other_language(ct->languages[e]))
				content_error(ld, ct->file, ct->lang_lines[e],
				    "country '%s': languages: unknown language '%s' (a code of "
				    "languages.cfg, or CODE-VARIANT like \"vi-plain\")",
				    ct->code, ct->languages[e]);
			for (size_t j = 0; j < e; j++)
				if (strcmp(ct->languages[j], ct->languages[e]) == 0) {
					content_error(ld, ct->file, ct->lang_lines[e],
					    "country '%s': languages: '%s' named twice", ct->code,
					    ct->languages[e]);
					break;
				}
		}
	}
	/* A countries.cfg that did not parse would blame every language. */
	for (size_t i = 0; !ld->syntax_failed && i < c->nlangs; i++) {
		const struct content_language *l = &c->langs[i];

		if (l->nationality[0] != '\0' && content_find_country(c, l->nationality) == NULL)
			content_error(ld, c->lang_files[i], c->lang_nat_lines[i],
			    "language '%s': nationality '%s' is not in countries.cfg", l->code,
			    l->nationality);
	}
	c->choices = content_alloc(c, (c->ncountries + 1) * sizeof(*c->choices));
	if (c->choices == NULL)
		return -1;
	for (size_t i = 0; i < c->ncountries; i++)
		if (c->countries[i].choice)
			c->choices[k++] = &c->countries[i];
	c->nchoices = k;
	return 0;
}

/* ---- look-ups ---- */

const struct content_language *
content_lang_code(const struct content *c, const char *code, bool *variant)
{
	const struct content_language *l = content_find_language(c, code);
	const char *dash = strrchr(code, '-');
	char base[CONTENT_LANG_MAX];

	*variant = false;
	if (l != NULL)
		return l;
	if (dash == NULL || (size_t)(dash - code) >= sizeof(base))
		return NULL;
	memcpy(base, code, (size_t)(dash - code));
	base[dash - code] = '\0';
	l = content_find_language(c, base);
	if (l == NULL || l->variant[0] == '\0' || strcmp(l->variant, dash + 1) != 0)
		return NULL;
	*variant = true;
	return l;
}

size_t
content_ncountries(const struct content *c)
{
	return c->ncountries;
}

const struct content_country *
content_country_at(const struct content *c, size_t i)
{
	return i < c->ncountries ? &c->countries[i] : NULL;
}

const struct content_country *
content_find_country(const struct content *c, const char *code)
{
	if (code == NULL)
		return NULL;
	for (size_t i = 0; i < c->ncountries; i++)
		if (strcmp(c->countries[i].code, code) == 0)
			return &c->countries[i];
	return NULL;
}

size_t
content_nchoices(const struct content *c)
{
	return c->nchoices;
}

const struct content_country *
content_choice_at(const struct content *c, size_t i)
{
	return i < c->nchoices ? c->choices[i] : NULL;
}

const char *
content_language_nationality(const struct content *c, const char *lang)
{
	const struct content_language *best;
	size_t best_len = 0;

	if (c == NULL || lang == NULL)
		return "";
	best = content_find_language(c, lang);
	if (best != NULL)
		return best->nationality;
	/* A script variant ("my-zawgyi"): the longest language code before '-' or '_'. */
	for (size_t i = 0; i < c->nlangs; i++) {
		const struct content_language *l = &c->langs[i];
		size_t n = strlen(l->code);

		if (n > best_len && strncmp(lang, l->code, n) == 0 &&
		    (lang[n] == '-' || lang[n] == '_')) {
			best = l;
			best_len = n;
		}
	}
	return best != NULL ? best->nationality : "";
}
