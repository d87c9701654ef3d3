/* router.h - decides what each stored inbound message gets, and commits
 * that answer to the outbound queue together with marking it routed (and
 * the worker's menu session moving on). */
#ifndef KAWAN_ROUTER_H
#define KAWAN_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "content/content.h"
#include "session/engine.h"
#include "store/store.h"

struct router_ctx {
	const struct kawan_config *cfg;
	const struct content *content; /* NULL: answer with cfg->router.reply_text */
	const struct engine_settings *engine;
};

struct router_decision {
	bool reply;      /* false: nothing to send back */
	const char *why; /* for the log when reply is false */
};

/* What the menu engine answered, for one inbound message. */
struct router_answer {
	char *text;                  /* owned; NULL when nothing is to be sent */
	int msg_class;               /* -1 normal, 0 flash */
	unsigned effects;            /* ENGINE_FX_* */
	char arg[32];                /* STATUS reference */
	char lang[CONTENT_LANG_MAX]; /* the worker's language after this step */
	bool variant;     /* the worker reads the language's script variant (Zawgyi, plain) */
	int report_field; /* with ENGINE_FX_REPORT_FIELD */
	enum engine_channel channel; /* the channel the message came on */
	char report_value[512];
};

/* Pure gate: whether in gets an answer at all (a subscriber's number,
 * router_addr_subscriber; a text payload). Borrows both. */
void router_decide(const struct kawan_config *cfg, const struct store_inbound *in,
    struct router_decision *out);

/* Routes every stored, unrouted message: in one transaction each, the
 * reply is queued, the session saved and the message marked done, so a
 * crash either does all or none. Returns how many were routed, or -1 on a
 * store error. */
int router_dispatch(struct store *st, const struct router_ctx *rc)
    __attribute__((warn_unused_result));

/* True when addr is a number an SMS can be sent to. */
bool router_addr_dialable(const char *addr);
/* True when addr is dialable and has at least ROUTER_SUBSCRIBER_DIGITS
 * digits: a subscriber's number, not a short code or an operator's
 * service (those get no automatic reply: they may answer back, a loop). */
#define ROUTER_SUBSCRIBER_DIGITS 8
bool router_addr_subscriber(const char *addr);

/* router_menu.c: engine settings from the configuration. */
void router_engine_settings(const struct kawan_config *cfg, struct engine_settings *s);
/* Steps in->sender's SMS session with in->text inside the caller's
 * transaction. out->text is the caller's to free. 0 or -1. */
int router_menu_answer(struct store *st, const struct router_ctx *rc,
    const struct store_inbound *in, int64_t now_ms, struct router_answer *out)
    __attribute__((warn_unused_result));

/* router_reports.c: carries out the engine's report effects for msisdn
 * (open or update the report, store answers, put the reference into the
 * page, answer STATUS) inside the caller's transaction. 0 or -1. */
int router_report_effects(struct store *st, const struct router_ctx *rc, const char *msisdn,
    int64_t now_ms, struct router_answer *ans) __attribute__((warn_unused_result));
/* The opening page of a report (ans->effects has ENGINE_FX_REPORT) made
 * honest for msisdn's open report: "An officer is being alerted now"
 * only when one is. router_report_effects does it; a USSD hop applied
 * before (a retry) does it again, as it carries out nothing. 0 or -1. */
int router_report_opening(struct store *st, const struct router_ctx *rc, const char *msisdn,
    struct router_answer *ans) __attribute__((warn_unused_result));

/* router_ussd.c: one hop of the operator USSD link. */
#define ROUTER_USSD_HOPS_MAX 200  /* answers in one history, whatever the configuration */
#define ROUTER_USSD_PAGE_MAX 1024 /* bytes of one page as sent */

struct router_ussd_hop {
	const char *session_id; /* the operator's sessionId */
	const char *msisdn;     /* the caller, +E.164 */
	const char *text;       /* every answer so far joined by '*' ("" first); valid UTF-8 */
	int max_hops;           /* more answers than this: refused */
};

struct router_ussd_page {
	bool end;                        /* END (close the session) rather than CON */
	bool wrote;                      /* the hop committed an effect: wake the core */
	int hops;                        /* answers in the history */
	char page[ROUTER_USSD_PAGE_MAX]; /* UTF-8, as the worker's phone shows it */
	char why[160];                   /* when refused */
};

/* Answers h: the page the engine shows after replaying h->text from the
 * state the session started in; the last answer's effects are carried
 * out once, whatever retries came before. 0; 1 when the history cannot
 * be used (why says so: too many answers, not this session's); -1 on a
 * store or allocation error. */
int router_ussd_hop(struct store *st, const struct router_ctx *rc, const struct router_ussd_hop *h,
    int64_t now_ms, struct router_ussd_page *out) __attribute__((warn_unused_result));

/* Queues, by SMS, the reference of each report whose worker left USSD
 * before its reference page (a USSD timeout ago), once, unless they are
 * in discreet mode or sent STOP. How many were queued, or -1. The core thread calls it every turn. */
int router_ussd_owed(struct store *st, const struct router_ctx *rc, int64_t now_ms)
    __attribute__((warn_unused_result));

/* router_menu.c: the home menu (or, language unknown, the language list)
 * for msisdn from a fresh session, saved so a digit answers it. Inside the
 * caller's transaction; out->text is the caller's to free. 0 or -1. */
int router_menu_home(struct store *st, const struct router_ctx *rc, const char *channel,
    const char *msisdn, int64_t now_ms, struct router_answer *out)
    __attribute__((warn_unused_result));

/* router_call.c: a missed call (an inbound row flagged STORE_IN_CALL). */
#define ROUTER_CALL_WINDOW_MS (24LL * 3600 * 1000) /* "per day": the last 24 hours */

/* True when number is an officer's, a supervisor's or the NGO desk's. Pure. */
bool router_call_from_officer(const struct kawan_config *cfg, const char *number);
/* Whether a caller who already got `answered` menus for calls in the last
 * 24 h gets one more: NULL yes, else why not. Pure. */
const char *router_call_gate(const struct kawan_config *cfg, const char *number, bool opted_out,
    bool officer, int answered);
/* Fills ans for the call in (inside the caller's transaction): the home
 * menu in the caller's language, or nothing (ans->text NULL, *why says
 * why). 0 or -1. */
int router_call_answer(struct store *st, const struct router_ctx *rc,
    const struct store_inbound *in, int64_t now_ms, struct router_answer *ans, const char **why)
    __attribute__((warn_unused_result));

/* router_flood.c: at most cfg->router.max_answers_per_minute automatic
 * answers per number (officers' numbers: officer_answers_per_minute). */
#define ROUTER_FLOOD_WINDOW_MS 60000LL /* "per minute": the last 60 s */
#define ROUTER_FLOOD_QUIET_MS 60000LL  /* a held burst is answered after this long quiet */
#define ROUTER_FLOOD_MARGIN_MS 5000LL  /* a held row this close to due is left alone */
/* The cap for number (0: none). Pure. */
int router_flood_cap(const struct kawan_config *cfg, const char *number);
/* Queues ans (ans->text set) as in's reply, through in's channel and
 * modem, inside the caller's transaction: as usual under the cap; over
 * it, into the number's held reply (*held true). *out_id is the row. 0 or -1. */
int router_flood_queue(struct store *st, const struct router_ctx *rc,
    const struct store_inbound *in, const struct router_answer *ans, int64_t now_ms,
    int64_t *out_id, bool *held) __attribute__((warn_unused_result));

#endif
