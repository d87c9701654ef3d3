/* content.h - the helpline's content as one immutable snapshot: the menu
 * tree, contacts, keywords, languages, countries and UI strings from
 * menus/NAME.cfg (libconfig), with translations from translations/CODE.po
 * (libgettextpo).
 * Loaded and checked whole; a reload swaps the snapshot only if the new one
 * loads without errors, so the gateway keeps serving the last good content.
 *
 * Translation key: msgctxt = the node id (or "ui.<key>"), msgid = the English
 * source text, msgstr = the translation. A node's title and text are two
 * entries with the same msgctxt and different msgids. A country's name, as
 * a nationality choice in the report flow, is msgctxt "country.<CODE>". */
#ifndef KAWAN_CONTENT_H
#define KAWAN_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONTENT_ID_MAX 64
#define CONTENT_LANG_MAX 16
#define CONTENT_ERRORS_MAX 64

enum content_kind { CONTENT_MENU = 0, CONTENT_PAGE, CONTENT_ACTION, CONTENT_CONTACTS };

enum content_action {
	CONTENT_ACTION_NONE = 0,
	CONTENT_ACTION_REPORT,   /* start a distress report (issue 4 implements the flow) */
	CONTENT_ACTION_LANGUAGE, /* show the language list */
	CONTENT_ACTION_DISCREET, /* toggle discreet mode */
};

enum content_keyword {
	CONTENT_KW_NONE = 0,
	CONTENT_KW_HELP,   /* HELP, SOS, TOLONG, ... : straight to the report flow */
	CONTENT_KW_MENU,   /* MENU, MENIU, ... : home */
	CONTENT_KW_LANG,   /* LANG, BAHASA, ... : language list */
	CONTENT_KW_STOP,   /* STOP, BERHENTI, ... : forget this number's session and preferences */
	CONTENT_KW_STATUS, /* STATUS <ref> */
};

struct content_contact {
	const char *id;
	const char *country;  /* ISO 3166 alpha-2 */
	const char *name;     /* English */
	const char *number;   /* as dialled in that country */
	const char *hours;    /* "24h", "07:30-21:00", ... */
	const char *source;   /* where the number was found */
	const char *verified; /* "YYYY-MM-DD" last verified, "" = unverified (never served) */
	const char *file;
	int line;
	/* Issue 9 (both "" when absent; the checker wants them on a served contact): */
	const char *how;         /* how `verified` was done: "published" or "call-tested" */
	const char *source_date; /* the source's own date: "YYYY", "YYYY-MM" or "YYYY-MM-DD" */
	/* A sending country's own line, callable from abroad: served in every
	 * deployment's country, not only in `country`. */
	bool abroad;
	const char *ctxt; /* "contact.<id>": the msgctxt of its name */
};

struct content_node {
	const char *id; /* stable: [a-z0-9_.-]+, unique */
	enum content_kind kind;
	const char *title;           /* English label in its parent's list */
	const char *text;            /* English prompt (menu) or body (page); may be "" */
	const char *articles;        /* Declaration articles a page rests on, "" if none */
	const char *const *children; /* menu: child ids in order */
	size_t nchildren;
	enum content_action action;                    /* action nodes */
	const struct content_contact *const *contacts; /* contacts nodes: every country */
	size_t ncontacts;
	const char *file; /* where it is defined */
	int line;
	/* Issue 9 (per-country pages): */
	const char *country; /* ISO alpha-2 in countries.cfg: shown only where the deployment's
				country is this one; "" for every country */
	const char *sources; /* where the node's facts come from (URL, date), "" if none given;
				never shown; the checker requires it on per-country pages */
};

struct content_language {
	const char *
	    code; /* catalog name: "id", "ms", "fil", "th", "vi", "km", "lo", "my", "tet", "zh", "ta"; "en" is the source */
	const char *name;         /* in its own script, as shown in the language list */
	const char *english_name; /* "Khmer" */
	const char
	    *variant; /* script variant: "" none, "zawgyi" (Burmese), "plain" (GSM-7 Latin) */
	const char *variant_name; /* its entry in the language list; "" = name + " (Zawgyi)" */
	const char *
	    nationality; /* ISO alpha-2 the language implies ("KH" for km), "" when it implies none (issue 4); always in countries.cfg */
};

/* One entry of menus/countries.cfg. */
struct content_country {
	const char *code; /* ISO 3166 alpha-2, "MM" */
	const char
	    *name; /* English short name, "Myanmar": the officers' alert; the msgid of its label */
	const char *ctxt; /* "country.MM": the msgctxt of its label */
	bool choice;      /* offered in the report flow's nationality list */
	/* `languages`: the language list's order when this is the deployment's
	 * country (entries of content_lang_code: "ms", "vi-plain"); n 0: none. */
	const char *const *languages;
	size_t nlanguages;
	const int *lang_lines; /* where each entry of languages is written */
	const char *file;
	int line;
};

struct content_error {
	char file[256];
	int line; /* 0 when not tied to a line */
	char msg[256];
};

struct content_errors {
	struct content_error e[CONTENT_ERRORS_MAX];
	size_t n;     /* kept (at most CONTENT_ERRORS_MAX) */
	size_t total; /* found */
};

struct content;

/* Loads every menus_dir/NAME.cfg and translations_dir/CODE.po. On any error
 * returns -1, fills errs (file:line, what is wrong) and leaves *out NULL.
 * Content errors: syntax, unknown keys, duplicate or malformed ids, a child
 * or contact id that does not exist, a node unreachable from "home", a page
 * with no text, a rights page (id under "rights.") without articles, a PO
 * file that does not parse, an entry whose msgctxt/msgid names no string
 * of the content, a translation whose printf-like markers or leading digits
 * differ from the English; in countries.cfg a malformed or unknown (not ISO
 * 3166) code, a duplicate code, an entry without a name; a language whose
 * nationality is not in countries.cfg. Warnings (missing or fuzzy translations,
 * unverified or stale contacts) are not errors: see content_check(). */
int content_load(const char *menus_dir, const char *translations_dir, struct content **out,
    struct content_errors *errs) __attribute__((warn_unused_result));
void content_free(struct content *c);

/* Look-ups. Returned pointers borrow from c and live as long as c. */
const struct content_node *content_find(const struct content *c, const char *id);
const struct content_node *content_home(const struct content *c);
size_t content_nnodes(const struct content *c);
const struct content_node *content_node_at(const struct content *c, size_t i);
size_t content_nlanguages(const struct content *c); /* including "en", first */
const struct content_language *content_language_at(const struct content *c, size_t i);
const struct content_language *content_find_language(const struct content *c, const char *code);
/* The nationality lang implies (languages.cfg), "" when none. A script
 * variant ("my-zawgyi", "my_zawgyi") is its base language's. Never NULL. */
const char *content_language_nationality(const struct content *c, const char *lang);

/* The language-list entry code names: a language of languages.cfg ("vi"),
 * or a language and its script variant ("vi-plain", "my-zawgyi"; *variant
 * set). NULL when it names neither. Borrows. */
const struct content_language *content_lang_code(const struct content *c, const char *code,
    bool *variant);

/* Countries (menus/countries.cfg), in file order. */
size_t content_ncountries(const struct content *c);
const struct content_country *content_country_at(const struct content *c, size_t i);
/* The country with that ISO code, or NULL. */
const struct content_country *content_find_country(const struct content *c, const char *code);
/* The contact with this id, or NULL. Its name in lang:
 * content_tr(c, lang, ct->ctxt, ct->name, fuzzy). */
const struct content_contact *content_find_contact(const struct content *c, const char *id);
/* The report flow's nationality choices (countries with choice = true), in
 * file order. Label: content_tr(c, lang, ctry->ctxt, ctry->name, fuzzy). */
size_t content_nchoices(const struct content *c);
const struct content_country *content_choice_at(const struct content *c, size_t i);

/* The text to show in lang for (msgctxt, English msgid): the catalog's
 * msgstr when present and not fuzzy (or fuzzy and serve_fuzzy), else the
 * English. Never NULL. */
const char *content_tr(const struct content *c, const char *lang, const char *msgctxt,
    const char *msgid, bool serve_fuzzy);
/* A UI string ("back", "home", "more", "invalid", "choose_language", ...)
 * in lang; ui keys live in menus/ui.cfg. Never NULL (the key itself if unknown). */
const char *content_ui(const struct content *c, const char *lang, const char *key,
    bool serve_fuzzy);

/* Matches a whole message (trimmed, case-folded, NFC) against the keyword
 * lists in menus/keywords.cfg. *lang_out (may be NULL) gets the language the
 * word belongs to ("" when it is shared, like SOS). *rest_out (may be NULL)
 * points into text after the keyword (for "STATUS K7Q2"). */
enum content_keyword content_keyword(const struct content *c, const char *text,
    const char **lang_out, const char **rest_out);

/* content_keyword, and *shared_out (may be NULL) true when the word is
 * listed under more than one language (TOLONG: Malay and Indonesian): a
 * shared word's *lang_out is "" (it picks no language). */
enum content_keyword content_keyword_ex(const struct content *c, const char *text,
    const char **lang_out, const char **rest_out, bool *shared_out);

/* A help word (kind help) standing inside text as a word ("tolong saya di
 * sini", "help me please"; in scripts written without spaces, such as Thai
 * or Burmese, anywhere in it): true, with the language of the longest such
 * word in *lang_out ("" when shared or common to all) and *shared_out (both
 * may be NULL). Allocates (it folds the text). */
bool content_help_within(const struct content *c, const char *text, const char **lang_out,
    bool *shared_out);
/* content_help_within, telling a failure apart: 1 found, 0 not, -1 out of
 * memory (folding the text). */
int content_help_find(const struct content *c, const char *text, const char **lang_out,
    bool *shared_out) __attribute__((warn_unused_result));

/* True when folded_word (NFC, case-folded) stands in folded_text as a
 * word: between non-letters for a word in a Latin script, anywhere for
 * other scripts. */
bool content_word_within(const char *folded_text, const char *folded_word);

/* A STOP word that is a word of another served language: it stands in
 * that language's text (a translation, drafts included, whose English does
 * not quote the word; for English, a node's title or text or a ui string). */
struct content_stop_conflict {
	const char *word; /* folded */
	const char *lang; /* the language the keyword list gives it ("" = all) */
	const char *file; /* where the word is listed */
	int line;
	const char *other_lang; /* the language it is a word of */
	const char *ctxt;       /* one place it stands there (msgctxt, node id, ui.key) */
};
/* Calls fn once per (STOP word, other language). Returns how many, or -1
 * on allocation failure. */
int content_stop_conflicts(const struct content *c,
    void (*fn)(void *arg, const struct content_stop_conflict *sc), void *arg)
    __attribute__((warn_unused_result));

/* A catalog entry whose English holds a glossary term (whole word, any
 * case) and whose translation holds neither the approved translation nor
 * a listed variant (translations/glossary.cfg). */
struct content_glossary_drift {
	const char *file; /* the catalog and the entry's line */
	int line;
	const char *lang;
	const char *ctxt;     /* msgctxt: node id, ui.<key>, country.<CODE> */
	const char *term;     /* the English term as the glossary writes it */
	const char *approved; /* its approved translation, as written */
	bool fuzzy;           /* a draft (a warning), else reviewed (an error) */
};
/* Calls fn once per drifting entry (untranslated entries are skipped).
 * Returns how many, or -1 on allocation failure. */
int content_glossary_drifts(const struct content *c,
    void (*fn)(void *arg, const struct content_glossary_drift *d), void *arg)
    __attribute__((warn_unused_result));
/* Glossary terms (one per term and language) the snapshot holds. */
size_t content_nglossary(const struct content *c);
/* Glossary terms with a translation for lang. */
size_t content_nglossary_for(const struct content *c, const char *lang);

/* Per-country nodes. True when node is shown in country: it names no
 * country, or country is "" or NULL (no deployment country: every node, as
 * for contacts), or it is country's own. */
bool content_node_serves(const struct content_node *node, const char *country);
/* The children of menu shown in country, in order (content_node_serves):
 * up to max of them into out (borrowed from the snapshot). Returns how many. */
size_t content_children_for(const struct content *c, const struct content_node *menu,
    const char *country, const struct content_node **out, size_t max);
/* The child a worker reaches by choosing number d (1-based, numbered without
 * gaps over the children shown in country), or NULL. */
const struct content_node *content_child_at(const struct content *c,
    const struct content_node *menu, const char *country, size_t d);

/* Contacts of node that may be served in country: verified, and country
 * matches (or the contact is an `abroad` line, served everywhere). Fills out
 * (room for max) and returns how many. */
size_t content_contacts_for(const struct content_node *node, const char *country,
    const struct content_contact **out, size_t max);

/* Extensions (issue 3, content owner): */
/* Bytes the snapshot holds (arena blocks and index arrays). */
size_t content_bytes(const struct content *c);
/* Every contact of every country, in file order. */
size_t content_ncontacts(const struct content *c);
const struct content_contact *content_contact_at(const struct content *c, size_t i);
/* UI keys, sorted; content_ui(c, "en", key, false) is the English. */
size_t content_nui(const struct content *c);
const char *content_ui_key_at(const struct content *c, size_t i);
/* State of one translatable string in lang (for the checker and previewer). */
enum content_tr_state { CONTENT_TR_MISSING = 0, CONTENT_TR_FUZZY, CONTENT_TR_DONE };
enum content_tr_state content_tr_state(const struct content *c, const char *lang,
    const char *msgctxt, const char *msgid);
/* Days since 1970-01-01 of a real "YYYY-MM-DD" date; -1 when it is not one. */
long content_date_days(const char *ymd);
/* Likewise for "YYYY" (its last day), "YYYY-MM" (its last day) or
 * "YYYY-MM-DD"; -1 when it is none of them. */
long content_date_days_loose(const char *date);

/* Formats errs as "file:line: msg" lines into buf. */
void content_errors_format(const struct content_errors *errs, char *buf, size_t bufsz);

#endif
