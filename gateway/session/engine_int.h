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
	const char *lang;           /* display language: the session's, or "en" */
	bool zawgyi;                /* Burmese served in Zawgyi */
	bool discreet;              /* the session's discreet flag, for the discreet action page */
};

/* What to lay out: a node, or the language list when node is NULL. */
struct engine_view {
	const struct content_node *node;
	const char *header;         /* borrowed first line (a hint, "Language set"), or NULL */
	bool lang_nav;              /* language list: offer "0 Back 00 Home" (a language is set) */
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

/* Entries of the language list: every language, then the Zawgyi variants. */
size_t engine_lang_entries(const struct content *c);
/* The language and Zawgyi flag of entry i (0-based). NULL when out of range. */
const struct content_language *engine_lang_entry(const struct content *c, size_t i, bool *zawgyi);

/* The first node carrying action a, or NULL (the engine never names ids). */
const struct content_node *engine_find_action(const struct content *c, enum content_action a);

#endif
