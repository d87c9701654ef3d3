/* content_menus.c - reads menus/NAME.cfg (libconfig) in name order: languages,
 * UI strings, nodes and contacts (countries: content_countries.c); then
 * checks every reference and that each node is reachable from "home". Every
 * mistake is a file:line error. */
#include "content/content.h"

#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content_int.h"
#include "core/log.h"
#include "core/util.h"

#define MENUS_MAX_FILES 256

static const char *const menus_node_keys[] = { "id", "type", "title", "text", "articles",
	"children", "action", "contacts", "country", "sources", NULL };
static const char *const menus_contact_keys[] = { "id", "country", "name", "number", "hours",
	"source", "source_date", "verified", "how", "abroad", NULL };
static const char *const menus_lang_keys[] = { "code", "name", "english_name", "variant",
	"variant_name", "zawgyi", "nationality", NULL };

static int
menus_line(const config_setting_t *s)
{
	return s != NULL ? (int)config_setting_source_line(s) : 0;
}

void
content_menus_keys(struct content_loader *ld, const char *file, const void *group, const char *what,
    const char *const *keys)
{
	const config_setting_t *grp = group;
	int n = config_setting_length(grp);

	for (int i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(grp, (unsigned)i);
		const char *name = config_setting_name(m);
		bool known = false;

		for (size_t k = 0; name != NULL && keys[k] != NULL; k++)
			if (strcmp(name, keys[k]) == 0)
				known = true;
		if (!known)
			content_error(ld, file, menus_line(m), "unknown key '%s' in %s",
			    name != NULL ? name : "?", what);
	}
}

/* Checks that s is valid UTF-8 and stores it NFC-normalised in the arena. */
static const char *
menus_text(struct content_loader *ld, const char *file, int line, const char *what, const char *s)
{
	const char *out;

	if (!util_utf8_valid(s, strlen(s))) {
		content_error(ld, file, line, "%s is not valid UTF-8", what);
		return NULL;
	}
	out = content_nfc(ld->c, s);
	if (out == NULL)
		content_error(ld, file, line, "out of memory");
	return out;
}

int
content_menus_str(struct content_loader *ld, const char *file, const void *group, const char *key,
    int flags, const char *what, const char **out)
{
	const config_setting_t *grp = group;
	const config_setting_t *s = config_setting_get_member(grp, key);
	char label[160];

	*out = "";
	if (s == NULL) {
		if (!(flags & MENUS_REQUIRED))
			return 0;
		content_error(ld, file, menus_line(grp), "%s has no '%s'", what, key);
		return -1;
	}
	(void)snprintf(label, sizeof(label), "'%s' of %s", key, what);
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		content_error(ld, file, menus_line(s), "%s must be a string in quotes", label);
		return -1;
	}
	*out = menus_text(ld, file, menus_line(s), label, config_setting_get_string(s));
	if (*out == NULL) {
		*out = "";
		return -1;
	}
	if ((flags & MENUS_NONEMPTY) && (*out)[0] == '\0') {
		content_error(ld, file, menus_line(s), "%s is empty", label);
		return -1;
	}
	return 0;
}

/* A list of strings ["a", "b"]: arena array in *out. 0 or -1. */
static int
menus_strlist(struct content_loader *ld, const char *file, const config_setting_t *s,
    const char *what, const char ***out, size_t *n)
{
	int len;
	const char **v;

	*out = NULL;
	*n = 0;
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST) {
		content_error(ld, file, menus_line(s),
		    "%s must be a list of strings [\"...\", ...]", what);
		return -1;
	}
	len = config_setting_length(s);
	v = content_alloc(ld->c, ((size_t)len + 1) * sizeof(*v));
	if (v == NULL) {
		content_error(ld, file, menus_line(s), "out of memory");
		return -1;
	}
	for (int i = 0; i < len; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			content_error(ld, file, menus_line(e), "%s must hold only strings", what);
			return -1;
		}
		v[i] = menus_text(ld, file, menus_line(e), what, config_setting_get_string(e));
		if (v[i] == NULL)
			return -1;
	}
	*out = v;
	*n = (size_t)len;
	return 0;
}

static int
menus_kind(const char *type, enum content_kind *kind)
{
	static const char *const names[] = { "menu", "page", "action", "contacts" };

	for (int i = 0; i < 4; i++) {
		if (strcmp(type, names[i]) == 0) {
			*kind = (enum content_kind)i;
			return 0;
		}
	}
	return -1;
}

static int
menus_action(const char *name, enum content_action *a)
{
	static const char *const names[] = { "", "report", "language", "discreet" };

	for (int i = 1; i < 4; i++) {
		if (strcmp(name, names[i]) == 0) {
			*a = (enum content_action)i;
			return 0;
		}
	}
	return -1;
}

/* Checks what only some types may have, and what each type needs. */
static void
menus_node_shape(struct content_loader *ld, const char *file, const config_setting_t *g,
    struct content_inode *n, const char *action)
{
	struct content_node *p = &n->pub;
	const char *id = p->id;

	if (p->kind == CONTENT_MENU && p->nchildren == 0)
		content_error(ld, file, p->line, "menu '%s' has no children", id);
	if (p->kind != CONTENT_MENU && config_setting_get_member(g, "children") != NULL)
		content_error(ld, file, n->children_line,
		    "node '%s' is not a menu: 'children' not allowed", id);
	if (p->kind == CONTENT_PAGE && p->text[0] == '\0')
		content_error(ld, file, p->line, "page '%s' has no text", id);
	if (p->kind == CONTENT_PAGE && strncmp(id, "rights.", 7) == 0 && p->articles[0] == '\0')
		content_error(ld, file, p->line,
		    "rights page '%s' has no articles (name the Declaration articles it rests on)",
		    id);
	if (p->kind == CONTENT_ACTION) {
		const config_setting_t *s = config_setting_get_member(g, "action");

		if (action[0] == '\0')
			content_error(ld, file, p->line, "action node '%s' has no 'action'", id);
		else if (menus_action(action, &p->action) == -1)
			content_error(ld, file, menus_line(s),
			    "node '%s': unknown action '%s' (report, language, discreet)", id,
			    action);
	} else if (config_setting_get_member(g, "action") != NULL) {
		content_error(ld, file, menus_line(config_setting_get_member(g, "action")),
		    "node '%s' is not an action node: 'action' not allowed", id);
	}
	if (p->kind == CONTENT_CONTACTS && n->ncontact_ids == 0)
		content_error(ld, file, p->line, "contacts node '%s' names no contacts", id);
	if (p->kind != CONTENT_CONTACTS && config_setting_get_member(g, "contacts") != NULL)
		content_error(ld, file, n->contacts_line,
		    "node '%s' is not a contacts node: 'contacts' not allowed", id);
}

static void
menus_node(struct content_loader *ld, const char *file, const config_setting_t *g, int idx)
{
	struct content *c = ld->c;
	struct content_inode *n;
	const config_setting_t *s;
	const char *type = "", *action = "";
	char what[96];
	size_t before = ld->errs->total;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		content_error(ld, file, menus_line(g), "nodes: entry %d must be a group { ... }",
		    idx + 1);
		return;
	}
	if (content_grow((void **)&c->nodes, &c->capnodes, c->nnodes, sizeof(*c->nodes)) == -1) {
		content_error(ld, file, menus_line(g), "out of memory");
		return;
	}
	n = &c->nodes[c->nnodes];
	memset(n, 0, sizeof(*n));
	n->pub.file = file;
	n->pub.line = menus_line(g);
	(void)snprintf(what, sizeof(what), "node %d", idx + 1);
	if (content_menus_str(ld, file, g, "id", MENUS_REQUIRED, what, &n->pub.id) == -1)
		return;
	if (!content_id_valid(n->pub.id)) {
		content_error(ld, file, menus_line(config_setting_get_member(g, "id")),
		    "bad id '%s': use only a-z 0-9 _ . - (at most %d characters)", n->pub.id,
		    CONTENT_ID_MAX - 1);
		return;
	}
	(void)snprintf(what, sizeof(what), "node '%s'", n->pub.id);
	content_menus_keys(ld, file, g, what, menus_node_keys);
	if (content_menus_str(ld, file, g, "type", MENUS_REQUIRED, what, &type) == 0 &&
	    menus_kind(type, &n->pub.kind) == -1)
		content_error(ld, file, menus_line(config_setting_get_member(g, "type")),
		    "%s: unknown type '%s' (menu, page, action, contacts)", what, type);
	(void)content_menus_str(ld, file, g, "title", MENUS_REQUIRED | MENUS_NONEMPTY, what,
	    &n->pub.title);
	(void)content_menus_str(ld, file, g, "text", 0, what, &n->pub.text);
	(void)content_menus_str(ld, file, g, "articles", 0, what, &n->pub.articles);
	(void)content_menus_str(ld, file, g, "action", 0, what, &action);
	(void)content_menus_str(ld, file, g, "sources", 0, what, &n->pub.sources);
	if (content_menus_str(ld, file, g, "country", 0, what, &n->pub.country) == 0 &&
	    config_setting_get_member(g, "country") != NULL) {
		n->country_line = menus_line(config_setting_get_member(g, "country"));
		if (!content_country_valid(n->pub.country))
			content_error(ld, file, n->country_line,
			    "%s: bad country '%s' (two capital letters, ISO 3166: \"MY\")", what,
			    n->pub.country);
	}
	s = config_setting_get_member(g, "children");
	if (s != NULL) {
		const char **v;

		n->children_line = menus_line(s);
		if (menus_strlist(ld, file, s, "children", &v, &n->pub.nchildren) == 0)
			n->pub.children = v;
	}
	s = config_setting_get_member(g, "contacts");
	if (s != NULL) {
		n->contacts_line = menus_line(s);
		(void)menus_strlist(ld, file, s, "contacts", &n->contact_ids, &n->ncontact_ids);
	}
	if (ld->errs->total != before)
		return;
	menus_node_shape(ld, file, g, n, action);
	c->nnodes++;
}

/* The optional boolean `abroad` of contact g into ct. 0, or -1 after
 * reporting a value that is not true/false. */
static int
menus_contact_abroad(struct content_loader *ld, const char *file, const config_setting_t *g,
    const char *what, struct content_contact *ct)
{
	const config_setting_t *s = config_setting_get_member(g, "abroad");

	ct->abroad = false;
	if (s == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		content_error(ld, file, menus_line(s), "%s: abroad must be true or false", what);
		return -1;
	}
	ct->abroad = config_setting_get_bool(s) != 0;
	return 0;
}

static void
menus_contact(struct content_loader *ld, const char *file, const config_setting_t *g, int idx)
{
	struct content *c = ld->c;
	struct content_contact *ct;
	char what[96];
	size_t before = ld->errs->total;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		content_error(ld, file, menus_line(g), "contacts: entry %d must be a group { ... }",
		    idx + 1);
		return;
	}
	if (content_grow((void **)&c->contacts, &c->capcontacts, c->ncontacts, sizeof(*ct)) == -1) {
		content_error(ld, file, menus_line(g), "out of memory");
		return;
	}
	ct = &c->contacts[c->ncontacts];
	memset(ct, 0, sizeof(*ct));
	ct->file = file;
	ct->line = menus_line(g);
	(void)snprintf(what, sizeof(what), "contact %d", idx + 1);
	if (content_menus_str(ld, file, g, "id", MENUS_REQUIRED, what, &ct->id) == -1)
		return;
	if (!content_id_valid(ct->id)) {
		content_error(ld, file, menus_line(config_setting_get_member(g, "id")),
		    "bad id '%s': use only a-z 0-9 _ . -", ct->id);
		return;
	}
	(void)snprintf(what, sizeof(what), "contact '%s'", ct->id);
	content_menus_keys(ld, file, g, what, menus_contact_keys);
	if (content_menus_str(ld, file, g, "country", MENUS_REQUIRED, what, &ct->country) == 0 &&
	    !content_country_valid(ct->country))
		content_error(ld, file, menus_line(config_setting_get_member(g, "country")),
		    "%s: bad country '%s' (two capital letters, ISO 3166: \"MY\")", what,
		    ct->country);
	(void)content_menus_str(ld, file, g, "name", MENUS_REQUIRED | MENUS_NONEMPTY, what,
	    &ct->name);
	(void)content_menus_str(ld, file, g, "number", MENUS_REQUIRED, what, &ct->number);
	(void)content_menus_str(ld, file, g, "hours", 0, what, &ct->hours);
	(void)content_menus_str(ld, file, g, "source", 0, what, &ct->source);
	if (content_menus_str(ld, file, g, "verified", 0, what, &ct->verified) == 0) {
		int line = menus_line(config_setting_get_member(g, "verified"));

		if (ct->verified[0] != '\0' && content_date_days(ct->verified) < 0)
			content_error(ld, file, line,
			    "%s: bad verified date '%s' (a real date YYYY-MM-DD, or \"\")", what,
			    ct->verified);
		else if (ct->verified[0] != '\0' && ct->number[0] == '\0')
			content_error(ld, file, line, "%s: verified but its number is empty", what);
	}
	if (content_menus_str(ld, file, g, "how", 0, what, &ct->how) == 0 && ct->how[0] != '\0' &&
	    strcmp(ct->how, "published") != 0 && strcmp(ct->how, "call-tested") != 0)
		content_error(ld, file, menus_line(config_setting_get_member(g, "how")),
		    "%s: bad how '%s' (\"published\" or \"call-tested\")", what, ct->how);
	if (content_menus_str(ld, file, g, "source_date", 0, what, &ct->source_date) == 0 &&
	    ct->source_date[0] != '\0' && content_date_days_loose(ct->source_date) < 0)
		content_error(ld, file, menus_line(config_setting_get_member(g, "source_date")),
		    "%s: bad source_date '%s' (YYYY, YYYY-MM or YYYY-MM-DD)", what,
		    ct->source_date);
	if (menus_contact_abroad(ld, file, g, what, ct) == 0) {
		char ctxt[CONTENT_ID_MAX + 16];

		(void)snprintf(ctxt, sizeof(ctxt), "contact.%s", ct->id);
		ct->ctxt = content_strndup(c, ctxt, strlen(ctxt));
		if (ct->ctxt == NULL)
			content_error(ld, file, ct->line, "out of memory");
	}
	if (ld->errs->total == before)
		c->ncontacts++;
}

static bool
menus_code_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n >= CONTENT_LANG_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
			s[i] == '-'))
			return false;
	return true;
}

/* A language's script variant (`variant`, `variant_name`): "zawgyi"
 * (Burmese only: render's Zawgyi rules are Burmese) or "plain" (a Latin
 * script without diacritics, GSM-7). */
static void
menus_lang_variant(struct content_loader *ld, const char *file, const config_setting_t *g,
    const char *what, struct content_language *l)
{
	const config_setting_t *v = config_setting_get_member(g, "variant");
	const config_setting_t *vn = config_setting_get_member(g, "variant_name");

	const config_setting_t *z = config_setting_get_member(g, "zawgyi");

	l->variant = "";
	l->variant_name = "";
	if (content_menus_str(ld, file, g, "variant", 0, what, &l->variant) != 0 ||
	    content_menus_str(ld, file, g, "variant_name", 0, what, &l->variant_name) != 0)
		return;
	/* `zawgyi = true`: the spelling before variants, still read. */
	if (z != NULL && config_setting_type(z) != CONFIG_TYPE_BOOL) {
		content_error(ld, file, menus_line(z), "'zawgyi' of %s must be true or false",
		    what);
		return;
	}
	if (z != NULL && config_setting_get_bool(z) != 0) {
		if (v != NULL) {
			content_error(ld, file, menus_line(z),
			    "%s has both 'zawgyi' and 'variant' (keep 'variant')", what);
			return;
		}
		l->variant = "zawgyi";
		v = z;
	}
	if (l->variant[0] == '\0') {
		if (vn != NULL)
			content_error(ld, file, menus_line(vn),
			    "'variant_name' of %s without a 'variant'", what);
		return;
	}
	if (strcmp(l->variant, "zawgyi") != 0 && strcmp(l->variant, "plain") != 0)
		content_error(ld, file, menus_line(v),
		    "'variant' of %s must be \"zawgyi\" or \"plain\", not '%s'", what, l->variant);
	else if (strcmp(l->variant, "zawgyi") == 0 && l->code != NULL && strcmp(l->code, "my") != 0)
		content_error(ld, file, menus_line(v),
		    "'variant' of %s: Zawgyi is a Burmese encoding (code \"my\" only)", what);
	else if (strcmp(l->variant, "plain") == 0 && vn == NULL)
		content_error(ld, file, menus_line(v),
		    "'variant' of %s: a plain variant needs its 'variant_name' (its entry in the "
		    "language list)",
		    what);
}

static void
menus_language(struct content_loader *ld, const char *file, const config_setting_t *g, int idx)
{
	struct content *c = ld->c;
	struct content_language *l;
	char what[96];
	size_t before = ld->errs->total;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		content_error(ld, file, menus_line(g),
		    "languages: entry %d must be a group { ... }", idx + 1);
		return;
	}
	if (content_grow((void **)&c->langs, &c->caplangs, c->nlangs, sizeof(*l)) == -1) {
		content_error(ld, file, menus_line(g), "out of memory");
		return;
	}
	{
		void *f = realloc(c->lang_files, c->caplangs * sizeof(*c->lang_files));
		void *li =
		    f != NULL ? realloc(c->lang_lines, c->caplangs * sizeof(*c->lang_lines)) : NULL;
		void *nl = li != NULL ? realloc(c->lang_nat_lines,
					    c->caplangs * sizeof(*c->lang_nat_lines)) :
					NULL;

		if (f != NULL)
			c->lang_files = f;
		if (li != NULL)
			c->lang_lines = li;
		if (nl != NULL)
			c->lang_nat_lines = nl;
		if (f == NULL || li == NULL || nl == NULL) {
			content_error(ld, file, menus_line(g), "out of memory");
			return;
		}
	}
	l = &c->langs[c->nlangs];
	memset(l, 0, sizeof(*l));
	(void)snprintf(what, sizeof(what), "language %d", idx + 1);
	content_menus_keys(ld, file, g, what, menus_lang_keys);
	if (content_menus_str(ld, file, g, "code", MENUS_REQUIRED, what, &l->code) == 0 &&
	    !menus_code_valid(l->code))
		content_error(ld, file, menus_line(config_setting_get_member(g, "code")),
		    "bad language code '%s' (a-z 0-9 _ -, like \"my\" or \"km-latn\")", l->code);
	(void)content_menus_str(ld, file, g, "name", MENUS_REQUIRED | MENUS_NONEMPTY, what,
	    &l->name);
	(void)content_menus_str(ld, file, g, "english_name", MENUS_REQUIRED | MENUS_NONEMPTY, what,
	    &l->english_name);
	if (content_menus_str(ld, file, g, "nationality", 0, what, &l->nationality) == 0 &&
	    l->nationality[0] != '\0' && !content_country_valid(l->nationality))
		content_error(ld, file, menus_line(config_setting_get_member(g, "nationality")),
		    "'nationality' of %s must be a country code of two capital letters, like \"KH\"",
		    what);
	menus_lang_variant(ld, file, g, what, l);
	if (ld->errs->total != before)
		return;
	c->lang_files[c->nlangs] = file;
	c->lang_lines[c->nlangs] = menus_line(g);
	c->lang_nat_lines[c->nlangs] = menus_line(config_setting_get_member(g, "nationality"));
	c->nlangs++;
}

static void
menus_ui(struct content_loader *ld, const char *file, const config_setting_t *g)
{
	struct content *c = ld->c;
	int n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		content_error(ld, file, menus_line(g),
		    "'ui' must be a group { key = \"text\"; ... }");
		return;
	}
	n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *key = config_setting_name(s);
		struct content_ui_string *u;
		char ctxt[CONTENT_ID_MAX + 8];
		bool ok = key != NULL && key[0] != '\0' && strlen(key) < CONTENT_ID_MAX;

		for (size_t k = 0; ok && key[k] != '\0'; k++)
			ok = (key[k] >= 'a' && key[k] <= 'z') || key[k] == '_';
		if (!ok) {
			content_error(ld, file, menus_line(s), "bad ui key '%s' (use a-z and _)",
			    key != NULL ? key : "?");
			continue;
		}
		if (content_grow((void **)&c->ui, &c->capui, c->nui, sizeof(*u)) == -1) {
			content_error(ld, file, menus_line(s), "out of memory");
			return;
		}
		u = &c->ui[c->nui];
		(void)snprintf(ctxt, sizeof(ctxt), "ui.%s", key);
		u->key = content_strndup(c, key, strlen(key));
		u->ctxt = content_strndup(c, ctxt, strlen(ctxt));
		u->file = file;
		u->line = menus_line(s);
		if (u->key == NULL || u->ctxt == NULL) {
			content_error(ld, file, menus_line(s), "out of memory");
			return;
		}
		if (content_menus_str(ld, file, g, key, MENUS_REQUIRED | MENUS_NONEMPTY, "ui",
			&u->value) == 0)
			c->nui++;
	}
}

/* Calls fn on every element of a top-level list. */
static void
menus_each(struct content_loader *ld, const char *file, const config_setting_t *s,
    void (*fn)(struct content_loader *, const char *, const config_setting_t *, int))
{
	int n;

	if (config_setting_type(s) != CONFIG_TYPE_LIST) {
		content_error(ld, file, menus_line(s), "'%s' must be a list ( { ... }, ... )",
		    config_setting_name(s));
		return;
	}
	n = config_setting_length(s);
	for (int i = 0; i < n; i++)
		fn(ld, file, config_setting_get_elem(s, (unsigned)i), i);
}

/* True for the files that hold one thing each, not nodes or contacts. */
static bool
menus_special(const char *base)
{
	static const char *const names[] = { "languages.cfg", "ui.cfg", "keywords.cfg",
		"countries.cfg", NULL };

	for (size_t i = 0; names[i] != NULL; i++)
		if (strcmp(base, names[i]) == 0)
			return true;
	return false;
}

static void
menus_file(struct content_loader *ld, const char *path, const char *base)
{
	config_t cfg;
	const config_setting_t *root;
	const char *file = content_strndup(ld->c, path, strlen(path));
	int n;

	if (file == NULL) {
		content_error(ld, path, 0, "out of memory");
		return;
	}
	config_init(&cfg);
	if (content_include_setup(ld, &cfg, path) < 0) {
		ld->syntax_failed = true;
		goto done;
	}
	if (config_read_file(&cfg, path) != CONFIG_TRUE) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			content_error(ld, path, 0, "cannot read the file");
		else
			content_error(ld,
			    config_error_file(&cfg) != NULL ? config_error_file(&cfg) : path,
			    config_error_line(&cfg), "syntax error: %s", config_error_text(&cfg));
		ld->syntax_failed = true;
		goto done;
	}
	root = config_root_setting(&cfg);
	n = config_setting_length(root);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(s);

		if (strcmp(base, "languages.cfg") == 0 && strcmp(name, "languages") == 0)
			menus_each(ld, file, s, menus_language);
		else if (strcmp(base, "ui.cfg") == 0 && strcmp(name, "ui") == 0)
			menus_ui(ld, file, s);
		else if (strcmp(base, "keywords.cfg") == 0 && strcmp(name, "keywords") == 0)
			(void)content_keywords_parse(ld, s, file);
		else if (strcmp(base, "countries.cfg") == 0 && strcmp(name, "countries") == 0)
			content_countries_parse(ld, s, file);
		else if (!menus_special(base) && strcmp(name, "nodes") == 0)
			menus_each(ld, file, s, menus_node);
		else if (!menus_special(base) && strcmp(name, "contacts") == 0)
			menus_each(ld, file, s, menus_contact);
		else
			content_error(ld, file, menus_line(s), "unknown key '%s' in %s", name,
			    base);
	}
done:
	config_destroy(&cfg);
}

static int
menus_cmp_contact(const void *a, const void *b)
{
	const struct content_contact *x = *(const struct content_contact *const *)a;
	const struct content_contact *y = *(const struct content_contact *const *)b;
	int r = strcmp(x->id, y->id);

	return r != 0 ? r : (x < y ? -1 : x > y);
}

static int
menus_cmp_ui(const void *a, const void *b)
{
	return strcmp(((const struct content_ui_string *)a)->key,
	    ((const struct content_ui_string *)b)->key);
}

const struct content_contact *
content_find_contact(const struct content *c, const char *id)
{
	size_t lo = 0, hi = c->ncontacts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(id, c->contacts_by_id[mid]->id);

		if (r == 0)
			return c->contacts_by_id[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* "en" first, others in file order; no duplicate codes. */
static void
menus_finish_languages(struct content_loader *ld, const char *menus_dir)
{
	struct content *c = ld->c;
	size_t en = c->nlangs;

	for (size_t i = 0; i < c->nlangs; i++) {
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->langs[i].code, c->langs[j].code) == 0)
				content_error(ld, c->lang_files[i], c->lang_lines[i],
				    "duplicate language '%s' (also at %s:%d)", c->langs[i].code,
				    c->lang_files[j], c->lang_lines[j]);
		if (en == c->nlangs && strcmp(c->langs[i].code, "en") == 0)
			en = i;
	}
	if (en == c->nlangs) {
		content_error(ld, menus_dir, 0,
		    "languages.cfg has no language \"en\" (English is the source)");
		return;
	}
	while (en > 0) {
		struct content_language t = c->langs[en];
		const char *f = c->lang_files[en];
		int l = c->lang_lines[en], nl = c->lang_nat_lines[en];

		c->langs[en] = c->langs[en - 1];
		c->lang_files[en] = c->lang_files[en - 1];
		c->lang_lines[en] = c->lang_lines[en - 1];
		c->lang_nat_lines[en] = c->lang_nat_lines[en - 1];
		c->langs[en - 1] = t;
		c->lang_files[en - 1] = f;
		c->lang_lines[en - 1] = l;
		c->lang_nat_lines[en - 1] = nl;
		en--;
	}
}

/* Node ids, contact ids and ui keys: indexed, no duplicates. */
static int
menus_finish_ids(struct content_loader *ld)
{
	struct content *c = ld->c;

	if (content_index_nodes(c) == -1)
		return -1;
	for (size_t i = 1; i < c->nnodes; i++) {
		const struct content_node *a = &c->nodes_by_id[i - 1]->pub,
					  *b = &c->nodes_by_id[i]->pub;

		if (strcmp(a->id, b->id) == 0) {
			if (a > b) {
				const struct content_node *t = a;

				a = b;
				b = t;
			}
			content_error(ld, b->file, b->line,
			    "duplicate id '%s' (first defined at %s:%d)", b->id, a->file, a->line);
		}
	}
	c->contacts_by_id = content_alloc(c, (c->ncontacts + 1) * sizeof(*c->contacts_by_id));
	if (c->contacts_by_id == NULL)
		return -1;
	for (size_t i = 0; i < c->ncontacts; i++)
		c->contacts_by_id[i] = &c->contacts[i];
	qsort(c->contacts_by_id, c->ncontacts, sizeof(*c->contacts_by_id), menus_cmp_contact);
	for (size_t i = 1; i < c->ncontacts; i++) {
		const struct content_contact *a = c->contacts_by_id[i - 1],
					     *b = c->contacts_by_id[i];

		if (strcmp(a->id, b->id) == 0)
			content_error(ld, b->file, b->line,
			    "duplicate contact id '%s' (first defined at %s:%d)", b->id, a->file,
			    a->line);
	}
	if (c->nui > 0)
		qsort(c->ui, c->nui, sizeof(*c->ui), menus_cmp_ui);
	return 0;
}

/* Children and contacts name things that exist; every node is reachable. */
static int
menus_finish_refs(struct content_loader *ld, const char *menus_dir)
{
	struct content *c = ld->c;
	size_t *queue, head = 0, tail = 0;
	bool *seen;

	for (size_t i = 0; i < c->nnodes; i++) {
		struct content_inode *n = &c->nodes[i];
		const struct content_contact **v;

		for (size_t k = 0; k < n->pub.nchildren; k++)
			if (content_find(c, n->pub.children[k]) == NULL)
				content_error(ld, n->pub.file, n->children_line,
				    "menu '%s': child '%s' is not a node id", n->pub.id,
				    n->pub.children[k]);
		v = content_alloc(c, (n->ncontact_ids + 1) * sizeof(*v));
		if (v == NULL)
			return -1;
		for (size_t k = 0; k < n->ncontact_ids; k++) {
			v[k] = content_find_contact(c, n->contact_ids[k]);
			if (v[k] == NULL)
				content_error(ld, n->pub.file, n->contacts_line,
				    "node '%s': '%s' is not a contact id", n->pub.id,
				    n->contact_ids[k]);
		}
		n->pub.contacts = v;
		n->pub.ncontacts = n->ncontact_ids;
	}
	c->home = content_find(c, "home");
	if (c->home == NULL) {
		content_error(ld, menus_dir, 0, "no node 'home' (the first menu a worker sees)");
		return 0;
	}
	queue = calloc(c->nnodes + 1, sizeof(*queue));
	seen = calloc(c->nnodes + 1, sizeof(*seen));
	if (queue == NULL || seen == NULL) {
		free(queue);
		free(seen);
		return -1;
	}
	queue[tail++] = (size_t)((const struct content_inode *)(const void *)c->home - c->nodes);
	seen[queue[0]] = true;
	while (head < tail) {
		const struct content_node *n = &c->nodes[queue[head++]].pub;

		for (size_t k = 0; k < n->nchildren; k++) {
			const struct content_node *ch = content_find(c, n->children[k]);
			size_t at;

			if (ch == NULL)
				continue;
			at = (size_t)((const struct content_inode *)(const void *)ch - c->nodes);
			if (!seen[at]) {
				seen[at] = true;
				queue[tail++] = at;
			}
		}
	}
	for (size_t i = 0; i < c->nnodes; i++)
		if (!seen[i])
			content_error(ld, c->nodes[i].pub.file, c->nodes[i].pub.line,
			    "node '%s' is not reachable from 'home'", c->nodes[i].pub.id);
	free(queue);
	free(seen);
	return 0;
}

void
content_menus_finish_countries(struct content_loader *ld)
{
	struct content *c = ld->c;

	/* A countries.cfg that did not parse would blame every per-country node. */
	for (size_t i = 0; !ld->syntax_failed && i < c->nnodes; i++) {
		const struct content_inode *n = &c->nodes[i];

		if (n->pub.country[0] != '\0' && content_find_country(c, n->pub.country) == NULL)
			content_error(ld, n->pub.file, n->country_line,
			    "node '%s': country '%s' is not in countries.cfg", n->pub.id,
			    n->pub.country);
	}
}

/* ---- per-country look-ups ---- */

bool
content_node_serves(const struct content_node *node, const char *country)
{
	return node->country[0] == '\0' || country == NULL || country[0] == '\0' ||
	       strcmp(node->country, country) == 0;
}

size_t
content_children_for(const struct content *c, const struct content_node *menu, const char *country,
    const struct content_node **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < menu->nchildren && n < max; i++) {
		const struct content_node *ch = content_find(c, menu->children[i]);

		if (ch != NULL && content_node_serves(ch, country))
			out[n++] = ch;
	}
	return n;
}

const struct content_node *
content_child_at(const struct content *c, const struct content_node *menu, const char *country,
    size_t d)
{
	for (size_t i = 0; d > 0 && i < menu->nchildren; i++) {
		const struct content_node *ch = content_find(c, menu->children[i]);

		if (ch != NULL && content_node_serves(ch, country) && --d == 0)
			return ch;
	}
	return NULL;
}

int
content_menus_load(struct content_loader *ld, const char *menus_dir)
{
	char *names[MENUS_MAX_FILES];
	size_t nnames;
	bool have_lang = false;
	int rc = content_dir_list(ld, menus_dir, "menus", ".cfg", names, MENUS_MAX_FILES, &nnames);

	if (rc != 0)
		return rc == 1 ? 0 : -1;
	for (size_t i = 0; i < nnames; i++) {
		char path[512];

		if (snprintf(path, sizeof(path), "%s/%s", menus_dir, names[i]) >=
		    (int)sizeof(path)) {
			content_error(ld, menus_dir, 0, "path too long: %s", names[i]);
			continue;
		}
		if (strcmp(names[i], "languages.cfg") == 0)
			have_lang = true;
		menus_file(ld, path, names[i]);
	}
	content_dir_free(names, nnames);
	if (!have_lang)
		content_error(ld, menus_dir, 0, "no languages.cfg");
	else if (!ld->syntax_failed)
		menus_finish_languages(ld, menus_dir);
	if (menus_finish_ids(ld) == -1)
		return -1;
	if (ld->syntax_failed)
		return 0;
	return menus_finish_refs(ld, menus_dir);
}
