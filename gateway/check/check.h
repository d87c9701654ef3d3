/* check.h - the content checker behind `kawanctl content check`: per
 * language coverage, fuzzy entries, pages over the limit, SMS segments per
 * menu page and USSD screens (by rendering every node through the engine),
 * plus unverified and stale contacts, served contacts without hours,
 * source or verification method (or with an old source), contacts pages
 * with nothing served in a receiving country, STOP words that are
 * words of another served language, and catalog entries that translate a
 * glossary term (translations/glossary.cfg) otherwise than approved, and
 * rights pages over three SMS segments in all (as served or as drafted). */
#ifndef KAWAN_CHECK_H
#define KAWAN_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "content/content.h"
#include "session/engine.h"

#define CHECK_MAX_LANGS 32

/* One USSD page (screen) of a node, with its size against its limit. */
struct check_screen {
	char node[CONTENT_ID_MAX]; /* "" when no node rendered */
	size_t page, pages;        /* page index (from 0) among that node's pages */
	enum render_coding coding;
	size_t units; /* septets or UTF-16 units */
	size_t limit; /* the USSD limit for that coding */
};

struct check_lang {
	char lang[CONTENT_LANG_MAX];
	size_t strings;    /* translatable strings in the content */
	size_t translated; /* present and not fuzzy */
	size_t fuzzy;
	size_t missing;
	size_t ussd_pages_over;           /* USSD pages over the USSD limit (must be 0) */
	size_t ussd_screens;              /* USSD pages of every node, summed: the whole tree */
	struct check_screen ussd_longest; /* the fullest USSD page: highest units/limit */
	size_t sms_menu_multi;            /* SMS menu pages needing more than one segment */
	int sms_menu_max_segments;        /* worst SMS menu page */
	size_t sms_info_over;             /* SMS information pages over max_info_segments */
	size_t render_failures;           /* nodes that could not be rendered at all */
	size_t sms_rights_over;           /* rights pages over three SMS segments in all, served or
				   drafted (issue 9): errors */
};

struct check_report {
	struct check_lang langs[CHECK_MAX_LANGS];
	size_t nlangs;
	size_t contacts;            /* for the country */
	size_t contacts_unverified; /* empty verified date: not served */
	size_t contacts_stale;      /* verified more than 12 months before now */
	size_t errors;              /* things that must be fixed before going live */
	/* Issue 9: */
	size_t contacts_incomplete; /* served (any country) without hours, source or how: errors */
	size_t contacts_old_source; /* served, source dated over two years ago: warnings */
	size_t lists_empty;         /* contacts nodes with nothing served in the deployment's
				       country (every receiving country when none is set): errors */
	size_t lists_empty_elsewhere; /* the same in the other receiving countries: warnings */
	size_t stop_conflicts;        /* STOP words that are words of another language: errors */
	size_t glossary_drift;  /* reviewed entries missing a glossary term's translation: errors */
	size_t glossary_drafts; /* fuzzy entries missing it: warnings */
	/* Issue 9, per-country pages (check_country_nodes): */
	size_t menus_empty;           /* menus with no child shown in the deployment's country
					 (every receiving country when none is set): errors */
	size_t menus_empty_elsewhere; /* the same in the other receiving countries: warnings */
	size_t country_unsourced;     /* per-country nodes without 'sources': errors */
};

/* Checks c for country as engine settings s would serve it, at time now
 * (unix seconds, for staleness). 0 or -1 (allocation failure). */
int check_run(const struct content *c, const struct engine_settings *s, int64_t now_s,
    struct check_report *out) __attribute__((warn_unused_result));

/* Prints the per-language table, the per-language USSD screens table
 * (screens, pages over the limit, the fullest screen), and the contact
 * lines, one problem per line with file:line where it has one. */
void check_print(const struct content *c, const struct engine_settings *s,
    const struct check_report *r, int64_t now_s, FILE *fp);

#endif
