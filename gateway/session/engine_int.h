/* engine_int.h - what engine.c (the state machine) and engine_view.c (the
 * page layout of a node or the language list) share. Not part of the API. */
#ifndef KAWAN_ENGINE_INT_H
#define KAWAN_ENGINE_INT_H

#include "session/engine.h"

/* Everything a view needs to know about who it is for. Borrowed. */
struct engine_ctx {
	const struct content *c;
	const struct engine_settings *s;
	enum engine_channel ch;
	const char *lang;          /* display language: the session's, or "en" */
	bool variant;              /* the language's script variant is served (Zawgyi, plain) */
	enum render_script script; /* what variant means for lang (engine_script) */
	bool discreet;             /* the session's discreet flag, for the discreet action page */
	const char *nationality;   /* the session's report nationality (engine_session) */
};

/* What to lay out: a node, or the language list when node is NULL. */
struct engine_view {
	const struct content_node *node;
	const char *header; /* borrowed first line (a hint, "Language set"), or NULL */
	bool lang_nav;      /* language list: offer "0 Back 00 Home" (a language is set) */
	bool langset;       /* header is ui "language_set" (home after a choice): cached */
};

/* Lays out every page of the view into out (owned by the caller:
 * render_pages_free). 0, or -1 on allocation failure or when the content
 * cannot fit the channel at all. */
int engine_view_pages(const struct engine_ctx *x, const struct engine_view *v,
    struct render_pages *out) __attribute__((warn_unused_result));

/* True when the view is a menu page (digits to choose): the only pages
 * discreet mode may send as class 0. */
bool engine_view_is_menu(const struct engine_view *v);

/* The limits a view's pages must fit on the context's channel. */
struct render_limits engine_view_limits(const struct engine_ctx *x, const struct engine_view *v);

/* Entries of the language list: every language and every script variant. */
size_t engine_lang_entries(const struct content *c);
/* The language and variant flag of entry i (0-based) of the list as the
 * deployment's country (ISO code; "" or unknown: no order) orders it
 * (countries.cfg `languages`). NULL when out of range or out of memory. */
const struct content_language *engine_lang_entry(const struct content *c, const char *country,
    size_t i, bool *variant);

/* engine_cache.c: the pages engine_view_pages would lay out for x and v,
 * borrowed from x->s->cache, or NULL when there is no cache, it was built
 * for other content or settings, or v is not cached (a header other than
 * language_set, a view that did not fit). Allocates nothing. */
const struct render_pages *engine_cache_view(const struct engine_ctx *x,
    const struct engine_view *v);
/* True when the cache knows in (1 to 3 ASCII digits) is no keyword of c,
 * so content_keyword need not run. False when unsure. */
bool engine_cache_not_keyword(const struct engine_settings *s, const struct content *c,
    const char *in);

/* engine_view.c helpers engine_report.c lays its pages out with. */

/* A list of owned lines. */
struct engine_lines {
	char **v;
	size_t n, cap;
};

void engine_lines_free(struct engine_lines *l);
/* Takes s (owned). 0, or -1 (s freed) on allocation failure or NULL s. */
int engine_lines_take(struct engine_lines *l, char *s) __attribute__((warn_unused_result));
/* A new copy of a + b + c3 (any may be NULL). Caller frees; NULL on failure. */
char *engine_cat3(const char *a, const char *b, const char *c3);
/* Text as served in script (render_for_phone). Caller frees; NULL on failure. */
char *engine_str(enum render_script script, const char *text);
/* The locale to paginate x's text with (Zawgyi has its own rules). */
const char *engine_locale(const struct engine_ctx *x);
/* A ui string / a node string in the context's language, as served. Caller frees. */
char *engine_ui(const struct engine_ctx *x, const char *key);
char *engine_tr(const struct engine_ctx *x, const char *ctxt, const char *english);
/* "i Label" as one new line. Caller frees. */
char *engine_item(size_t i, const char *label);
/* "name: number (hours)" as served. Caller frees. */
char *engine_contact_line(const struct engine_ctx *x, const struct content_contact *ct);
/* Packs whole lines into pages: each page takes as many lines as fit with
 * its footer (more on all pages but the last). *first_n (may be NULL) gets
 * how many lines the first page holds. 0 or -1. */
int engine_pack(const struct engine_lines *l, const char *more, const char *last,
    const char *locale, const struct render_limits *lim, struct render_pages *out, size_t *first_n)
    __attribute__((warn_unused_result));

/* engine_report.c: the report flow (HELP/SOS, the report node). */

/* Opens the flow, or re-opens it when it is already running (progress
 * kept): state REPORT at the first unanswered question, FX_REPORT, and the
 * nationality the language implies as FX_REPORT_FIELD. */
void engine_report_open(const struct engine_ctx *x, struct engine_session *sess,
    struct engine_reply *out);
/* What engine_report_input left for engine.c to do. */
enum engine_report_go { ENGINE_REPORT_SHOWN = 0, ENGINE_REPORT_BACK, ENGINE_REPORT_HOME };
/* One input while the flow runs: in is the checked, trimmed input (NULL
 * when it was not text a person could type), raw what was sent. Lays the
 * page out into out, or says where to leave to. -1 on allocation failure. */
int engine_report_input(const struct engine_ctx *x, struct engine_session *sess, const char *in,
    const char *raw, struct engine_reply *out) __attribute__((warn_unused_result));
/* Lays out the current question (opening: with report_intro or
 * report_opened first) into out. 0 or -1. */
int engine_report_show(const struct engine_ctx *x, struct engine_session *sess, bool opening,
    struct engine_reply *out) __attribute__((warn_unused_result));
/* Clears the flow's progress (the session leaves it). */
void engine_report_clear(struct engine_session *sess);

/* The first node carrying action a, or NULL (the engine never names ids). */
const struct content_node *engine_find_action(const struct content *c, enum content_action a);

#endif
