/* content_int.h - the snapshot's insides, shared by content.c (arena,
 * strings, look-ups), content_menus.c, content_countries.c,
 * content_keywords.c and content_po.c. */
#ifndef KAWAN_CONTENT_INT_H
#define KAWAN_CONTENT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libconfig.h>

#include "content/content.h"

#define CONTENT_WORD_MAX 128 /* bytes of a folded keyword */

struct content_block; /* one arena block (content.c) */

/* A node with what the loader needs until references are resolved. */
struct content_inode {
	struct content_node pub;
	const char **contact_ids; /* arena: ids named by "contacts = [...]" */
	size_t ncontact_ids;
	int contacts_line;
	int children_line;
	int country_line; /* where 'country' is (0: none) */
};

struct content_ui_string {
	const char *key;   /* "back" */
	const char *ctxt;  /* "ui.back" */
	const char *value; /* English */
	const char *file;
	int line;
};

struct content_word {
	const char *folded; /* trimmed, NFC, case-folded, inner spaces collapsed */
	const char *lang;   /* "" or a language code */
	enum content_keyword kind;
	const char *file;
	int line;
	bool shared; /* the same word is listed under another language too (or "") */
};

struct content_tr_entry {
	uint32_t hash;
	bool fuzzy;
	const char *lang, *ctxt, *msgid, *msgstr;
	const char *file; /* the catalog, and the entry's line in it */
	int line;
};

/* One glossary term in one language (translations/glossary.cfg). */
struct content_gloss {
	const char *en;       /* the English term as written */
	const char *term;     /* folded */
	const char *lang;     /* a language code of languages.cfg */
	const char **words;   /* arena, folded: words[0] the approved translation, then variants */
	const char *approved; /* words[0] as written */
	size_t nwords;
	const char *file;
	int line;
};

/* The snapshot. Strings and small arrays live in the arena; the top-level
 * vectors are heap arrays owned here. All freed by content_free. */
struct content {
	struct content_block *arena;
	size_t arena_bytes;

	struct content_inode *nodes;
	size_t nnodes, capnodes;
	struct content_inode **nodes_by_id; /* sorted by id */
	const struct content_node *home;

	struct content_contact *contacts;
	size_t ncontacts, capcontacts;
	struct content_contact **contacts_by_id; /* sorted by id */

	struct content_language *langs;
	size_t nlangs, caplangs;
	const char **lang_files; /* where each language is defined */
	int *lang_lines;
	int *lang_nat_lines; /* where its nationality is (0: none) */

	struct content_country *countries; /* file order */
	size_t ncountries, capcountries;
	const struct content_country **choices; /* arena: the report flow's, file order */
	size_t nchoices;

	struct content_ui_string *ui; /* sorted by key after load */
	size_t nui, capui;

	struct content_word *words; /* sorted by folded after load */
	size_t nwords, capwords;

	struct content_tr_entry *tr;
	size_t ntr, captr;
	uint32_t *tr_index; /* entry index + 1; 0 = empty */
	size_t tr_mask;

	struct content_gloss *gloss; /* file order */
	size_t ngloss, capgloss;
};

/* Error collection for one load. */
struct content_loader {
	struct content *c;
	struct content_errors *errs;
	bool syntax_failed; /* a .cfg did not parse */
};

/* @include confined to the content folder (content_include.c): checks
 * every @include of the file at path (and of what it includes) resolves
 * inside path's folder, recording "file:line: ... outside the content
 * folder" for each that does not, then has cfg resolve includes against
 * that folder. 0, or -1 (the file must not be parsed). */
int content_include_setup(struct content_loader *ld, config_t *cfg, const char *path)
    __attribute__((warn_unused_result));
/* The check alone, against folder dir. 0 or -1 (errors recorded). */
int content_include_check(struct content_loader *ld, const char *dir, const char *path)
    __attribute__((warn_unused_result));

/* Records "file:line: msg" (line 0: no line). */
void content_error(struct content_loader *ld, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Arena allocation (zeroed); NULL on allocation failure. */
void *content_alloc(struct content *c, size_t n);
/* An arena copy of s (len bytes). */
char *content_strndup(struct content *c, const char *s, size_t len);
/* An arena copy of valid UTF-8 s in NFC. NULL on allocation or ICU failure. */
char *content_nfc(struct content *c, const char *s);
/* s (len bytes of valid UTF-8): NFC, case-folded, ASCII whitespace runs
 * collapsed to one space, into out. 0, or -1 when it does not fit. */
int content_fold(const char *s, size_t len, char *out, size_t outsz);
/* s (len bytes of valid UTF-8, any length): NFC, case-folded, ASCII
 * whitespace runs as one space, trimmed. Heap: the caller frees it. NULL on
 * allocation or ICU failure. */
char *content_fold_dup(const char *s, size_t len);
/* Grows a heap vector so that it holds at least n + 1 elements. 0 or -1. */
int content_grow(void **v, size_t *cap, size_t n, size_t elsz);

/* Lists the files of dir whose names end in suffix (hidden ones skipped)
 * into names[0 .. *n), sorted by name; the caller frees them with
 * content_dir_free. A folder that cannot be opened (what names it: "the
 * <what> directory") or that holds more than max such files is reported
 * through ld and lists nothing: returns 1. 0 when listed; -1 on allocation
 * failure (nothing to free). */
int content_dir_list(struct content_loader *ld, const char *dir, const char *what,
    const char *suffix, char **names, size_t max, size_t *n) __attribute__((warn_unused_result));
void content_dir_free(char **names, size_t n);

bool content_id_valid(const char *id);
/* Builds nodes_by_id once every node is read. 0 or -1. */
int content_index_nodes(struct content *c);
const struct content_ui_string *content_find_ui(const struct content *c, const char *key);

/* content_menus.c: reads every menus_dir/NAME.cfg, then checks references. */
int content_menus_load(struct content_loader *ld, const char *menus_dir);
/* Flags of content_menus_str. */
#define MENUS_REQUIRED 0x1
#define MENUS_NONEMPTY 0x2
/* The string member key of libconfig group grp (a config_setting_t):
 * *out gets its NFC arena copy ("" when absent and optional). what names
 * the group in errors. 0, or -1 after reporting the error. */
int content_menus_str(struct content_loader *ld, const char *file, const void *grp, const char *key,
    int flags, const char *what, const char **out);
/* Reports every member of grp (a config_setting_t) whose name is not in keys. */
void content_menus_keys(struct content_loader *ld, const char *file, const void *grp,
    const char *what, const char *const *keys);
/* After countries.cfg: every node's 'country' is listed there. */
void content_menus_finish_countries(struct content_loader *ld);
/* content_countries.c */
/* Two capital letters (the shape of an ISO 3166 alpha-2 code). */
bool content_country_valid(const char *s);
/* The "countries" list of countries.cfg (a config_setting_t). */
void content_countries_parse(struct content_loader *ld, const void *setting, const char *file);
/* After every .cfg: duplicate codes, languages' nationalities, the choices. 0 or -1. */
int content_countries_finish(struct content_loader *ld) __attribute__((warn_unused_result));
/* content_keywords.c */
int content_keywords_parse(struct content_loader *ld, const void *setting, const char *file);
int content_keywords_finish(struct content_loader *ld);
/* content_po.c: reads every translations_dir/CODE.po and builds the index. */
int content_po_load(struct content_loader *ld, const char *translations_dir);
/* content_glossary.c: reads translations_dir/glossary.cfg when there is one. 0 or -1. */
int content_glossary_load(struct content_loader *ld, const char *translations_dir);
const struct content_tr_entry *content_po_find(const struct content *c, const char *lang,
    const char *ctxt, const char *msgid);

#endif
