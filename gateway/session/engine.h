/* engine.h - the menu/session engine: a pure state machine,
 * (session, input) -> (session, pages, effects). No I/O: the router loads
 * and stores sessions, channels send the pages, effects are carried out
 * by the caller (reports, opt-out).
 *
 * Keys (configurable): digits select; "0" back; "00" home; "98" more (next
 * page of the same node); anything else re-shows the current page with a
 * one-line hint. Keywords (content_keyword) work from any state: MENU,
 * LANG, HELP/SOS, STOP, STATUS <ref>. First contact (no language) shows
 * the language list; a keyword in a known language sets that language.
 * HELP/SOS and the report node open the report flow (engine_report.c):
 * FX_REPORT at once, then one question per reply, each answer an
 * FX_REPORT_FIELD, and a last page with the reference (FX_NEEDS_REF). */
#ifndef KAWAN_ENGINE_H
#define KAWAN_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content/content.h"
#include "render/render.h"

enum engine_channel { ENGINE_SMS = 0, ENGINE_USSD };

/* The one spelling of each channel kind, as stored in the queues, sessions
 * and the audit trail: "sms", "ussd". */
const char *engine_channel_name(enum engine_channel ch);
/* The kind named name; 0, or -1 for a name no channel has. */
int engine_channel_parse(const char *name, enum engine_channel *out)
    __attribute__((warn_unused_result));

enum engine_state {
	ENGINE_ST_NEW = 0, /* nothing shown yet */
	ENGINE_ST_LANG,    /* the language list is showing */
	ENGINE_ST_NODE,    /* a menu or page node is showing */
	ENGINE_ST_REPORT,  /* the report flow: a question or its last page is showing */
	ENGINE_ST_DANGER,  /* "In danger now? 1 Yes, report 2 No, menu" is showing (issue 9) */
};

/* The report flow's questions, in the order asked (engine_session.report_step). */
enum engine_report_step {
	ENGINE_RQ_NONE = 0,    /* not in the flow */
	ENGINE_RQ_NATIONALITY, /* numbered list; skipped when the language implies it */
	ENGINE_RQ_NOTIFY,      /* whom to tell: 1 NGO helpline 2 embassy 3 both (consent);
				* skipped when the content has no ui report_q_notify */
	ENGINE_RQ_CATEGORY,    /* numbered list */
	ENGINE_RQ_PLACE,       /* free text */
	ENGINE_RQ_CALLBACK,    /* 1 now, 2 SMS only, or free text (a time) */
	ENGINE_RQ_MESSAGE,     /* free text, or "0" to finish */
	ENGINE_RQ_DONE,        /* the last page (reference, emergency numbers) is showing */
};

/* The report fields the flow fills (ENGINE_FX_REPORT_FIELD). The engine
 * knows no store: router_reports.c maps these to the store's fields, and
 * asserts there that the caps below are the store's. */
enum engine_report_field {
	ENGINE_RF_NATIONALITY = 0,
	ENGINE_RF_CATEGORY,
	ENGINE_RF_PLACE,
	ENGINE_RF_CALLBACK,
	ENGINE_RF_MESSAGE,
	ENGINE_RF_NOTIFY, /* the worker's consent: "ngo", "embassy", "both" */
};

#define ENGINE_REPORT_REF_MAX 8        /* a report reference, NUL included */
#define ENGINE_REPORT_PLACE_MAX 256    /* bytes the store keeps for the place, NUL included */
#define ENGINE_REPORT_CALLBACK_MAX 128 /* likewise for the callback answer */

/* One worker's place, persisted by the caller per (channel, number). */
struct engine_session {
	enum engine_state state;
	char node[CONTENT_ID_MAX];    /* current node id */
	int page;                     /* page index within that node's pages */
	char back[8][CONTENT_ID_MAX]; /* path from home, for "0" */
	int depth;
	char lang[CONTENT_LANG_MAX]; /* "" until chosen */
	bool variant;                /* serve the language's script variant (Zawgyi, plain) */
	bool discreet;               /* menu pages as class 0 (flash) SMS */
	int64_t last_ms;             /* last input, for the timeout */
	int report_step; /* enum engine_report_step showing; ENGINE_RQ_NONE outside the flow */
	unsigned report_answered; /* bit (1u << step) per question answered since the flow opened */
	/* The report's nationality as far as the flow knows it ("" unknown,
	 * "OTHER"): set by the engine when the language implies it or the
	 * worker answers; the session row does not keep it, so the router
	 * restores it from the worker's open report. */
	char nationality[8];
};

struct engine_cache; /* engine_cache.c: laid-out pages of one content snapshot */

/* Whom the consent question offers (ENGINE_RQ_NOTIFY), as bits. */
#define ENGINE_NOTIFY_NGO 0x1     /* "ngo": an NGO helpline only */
#define ENGINE_NOTIFY_EMBASSY 0x2 /* "embassy": the embassy only */
#define ENGINE_NOTIFY_BOTH 0x4    /* "both" */
#define ENGINE_NOTIFY_ALL 0x7

struct engine_settings {
	char key_back[4];          /* "0" */
	char key_home[4];          /* "00" */
	char key_more[4];          /* "98" */
	int64_t ussd_timeout_ms;   /* 180000 */
	int64_t sms_timeout_ms;    /* 1800000 */
	bool serve_fuzzy;          /* serve translations still marked fuzzy */
	struct render_limits ussd; /* 182 / 80 */
	struct render_limits sms;  /* one SMS segment per menu page (render_sms_limits(1)) */
	int max_info_segments; /* an SMS information page may use up to this many segments (default 3) */
	char country[3];       /* contacts shown are this country's */
	/* The choices the consent question lists for a nationality
	 * ("" unknown): ENGINE_NOTIFY_* bits, in that order, numbered without
	 * gaps; 0 skips the question (nobody can be told). Called with
	 * notify_arg; must be pure and thread-safe. NULL: all three. */
	unsigned (*notify_choices)(const void *arg, const char *nationality);
	const void *notify_arg;
	/* Borrowed, may be NULL (lay every page out on each step): pages built
	 * by engine_cache_build from the same content and these settings. Used
	 * only while it matches both; must outlive every reply it lent pages to. */
	const struct engine_cache *cache;
};

/* Effects the caller carries out (bit set). */
#define ENGINE_FX_REPORT 0x1        /* start a distress report (HELP/SOS or the report node) */
#define ENGINE_FX_STOP 0x2          /* forget this number's session and preferences */
#define ENGINE_FX_STATUS 0x4        /* answer STATUS for reference arg */
#define ENGINE_FX_END 0x8           /* USSD: END (close the session) rather than CON */
#define ENGINE_FX_REPORT_FIELD 0x10 /* set field report_field of the open report to report_value */
#define ENGINE_FX_NEEDS_REF                                                                        \
	0x20 /* the page holds one "%s": replace it with the report's reference */

struct engine_reply {
	struct render_pages
	    pages; /* what to send now: for SMS each page is one message (a menu page fits one segment where the language allows; an info page up to max_info_segments); for USSD exactly one page */
	int msg_class; /* -1 normal, 0 flash (discreet mode, menu pages only) */
	unsigned effects;
	char arg[32];     /* STATUS reference, uppercased */
	int report_field; /* with ENGINE_FX_REPORT_FIELD: enum engine_report_field */
	char report_value
	    [512]; /* with ENGINE_FX_REPORT_FIELD: valid UTF-8 with no control characters; a code for lists ("KH", "wages", "now") */
	/* true: pages point into the settings' cache (read-only, valid while
	 * the cache lives) and engine_reply_free leaves them. */
	bool borrowed;
};

/* Fills settings with the defaults above. */
void engine_settings_default(struct engine_settings *s);

/* Applies one input. sess is read and updated in place; out is filled and
 * must be freed with engine_reply_free. With s->cache (built for c and s)
 * a page without a hint is borrowed from it (out->borrowed): it stays
 * valid while the cache lives. A timed-out session (now_ms -
 * last_ms over the channel's timeout) starts again at home (language kept).
 * A session whose node no longer exists (content reloaded) goes home.
 * Never fails on bad input (binary, invalid UTF-8, huge, format strings):
 * that is a hint page. Returns -1 only on allocation failure, with sess
 * left as it was and out holding no pages (the step can be retried).*/
int engine_step(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    struct engine_session *sess, const char *input, int64_t now_ms, struct engine_reply *out)
    __attribute__((warn_unused_result));

/* Renders node in lang exactly as engine_step would show it (all its pages),
 * for the previewer, the content check and tests. 0 or -1. */
int engine_render_node(const struct content *c, const struct engine_settings *s,
    enum engine_channel ch, const char *lang, bool variant, const char *node_id,
    struct engine_reply *out) __attribute__((warn_unused_result));

/* The 1-based number of code's entry (its variant's with variant) in the
 * language list of the deployment's country; -1 when there is none. */
int engine_lang_number(const struct content *c, const char *country, const char *code,
    bool variant);

/* The script a reader of lang is served in: the language's own, or with
 * variant its script variant (languages.cfg `variant`: Zawgyi for
 * Burmese, plain GSM-7 for Vietnamese and Tetum). Also for a language
 * not chosen yet (lang "" or NULL): Zawgyi when variant, as render
 * decides. c may be NULL (then only Zawgyi is known). */
enum render_script engine_script(const struct content *c, const char *lang, bool variant);

/* The language list as engine_step shows it. 0 or -1. */
int engine_render_languages(const struct content *c, const struct engine_settings *s,
    enum engine_channel ch, struct engine_reply *out) __attribute__((warn_unused_result));

/* Frees r's pages unless they are borrowed from the cache. */
void engine_reply_free(struct engine_reply *r);

/* The page cache (engine_cache.c): every page engine_step shows without a
 * hint, laid out once per (node, language, channel, Zawgyi), the language
 * list with and without Back/Home, home under "language set", and which
 * menu numbers are keywords. Immutable once built: any number of threads
 * may read it. Build it after the settings are final, set settings.cache
 * to it, and free it after the last reply that borrowed from it. */
struct engine_cache;

/* Lays out everything for c and s (both borrowed; c must outlive the
 * cache, s is copied). *out is owned by the caller: engine_cache_free.
 * 0, or -1 on allocation failure. A view that cannot fit its channel is
 * left out (engine_step lays it out, and fails, as without the cache). */
int engine_cache_build(const struct content *c, const struct engine_settings *s,
    struct engine_cache **out) __attribute__((warn_unused_result));
void engine_cache_free(struct engine_cache *k);
/* Bytes the cache holds (page texts and tables), and how many pages. */
size_t engine_cache_bytes(const struct engine_cache *k);
size_t engine_cache_npages(const struct engine_cache *k);

#endif
