/* reports.h - distress reports and consular follow-up: a worker's SOS opens
 * (or, within the dedupe window, updates) a report; duty officers of the
 * worker's nationality are alerted by SMS, acknowledge and close it by SMS
 * (ACK/NOTE/CLOSE/LIST, each with their PIN) or with kawanctl; unacknowledged
 * reports escalate down the roster to the supervisor and the NGO desk,
 * then reminders follow. Every change is audited. Every alert and notice
 * is a durable outbound message (inbound_id 0).
 *
 *   NEW --alert queued--> ALERTED --ACK--> ACKED --CLOSE--> CLOSED
 *    |                       |  (no ACK after ack_timeout: next in line,
 *    +---------CLOSE---------+   then reminders every reminder_interval)
 *
 * All functions take now_ms (an injectable clock) and run inside the
 * caller's transaction when one is open. */
#ifndef KAWAN_REPORTS_H
#define KAWAN_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "content/content.h"
#include "session/engine.h"
#include "store/store.h"

struct reports_ctx {
	struct store *st;
	const struct kawan_config *cfg;
	const struct content *content; /* worker-facing texts (ui.*) in the worker's language, the
					 * nationality a language implies, country names in alerts;
					 * NULL: English built-ins, no nationality, codes */
	bool serve_fuzzy;
	enum engine_channel channel; /* the worker's channel, for the audit trail (SMS when 0) */
};

/* HELP/SOS from msisdn: updates the number's open report, whatever its age
 * (audit "updated", "SOS again"; past cfg->reports.dedupe_window_ms the
 * detail says how long after it opened), else creates one (with the
 * nationality the language implies in the content, languages.cfg; none
 * without content). *created says which. Audited. */
int reports_worker_sos(const struct reports_ctx *x, const char *msisdn, const char *lang,
    int64_t now_ms, struct store_report *out, bool *created) __attribute__((warn_unused_result));

/* A worker's answer to a report question: sets field f of msisdn's open
 * report (1 when there is none). Audited. */
int reports_worker_field(const struct reports_ctx *x, const char *msisdn, enum store_report_field f,
    const char *value, int64_t now_ms) __attribute__((warn_unused_result));

/* The worker answered the last report question: everyone alerted so far
 * gets the whole report again ("KAWAN UPDATE <ref> ..."), ahead of the
 * queue. Returns how many were queued (0 when nobody was alerted yet:
 * the first alert will carry it all), or -1. Audited. */
int reports_worker_done(const struct reports_ctx *x, const char *msisdn, int64_t now_ms)
    __attribute__((warn_unused_result));

/* STATUS <ref> from msisdn: the answer in lang (received / acknowledged /
 * closed; never an officer's name or number), or the usage text when ref
 * is "". Only the number that made the report learns its state: for any
 * other number, and for a reference that does not exist, the same
 * status_unknown answer, counted as a miss; after
 * reports.status_max_misses misses in status_window every reference gets
 * status_unknown until the window passes (the store keeps the count). */
int reports_worker_status(const struct reports_ctx *x, const char *msisdn, const char *ref,
    const char *lang, int64_t now_ms, char *reply, size_t replysz)
    __attribute__((warn_unused_result));

/* An SMS from `from`. Returns 1 when from is on no roster (the message goes
 * to the worker menu as usual); 0 when it was an officer's message, with
 * the answer to send in reply ("" for none); -1 on a store error. Accepts
 * any case and extra spaces: ACK <ref> <PIN>, NOTE <ref> <PIN> <text>,
 * CLOSE <ref> <PIN> <outcome>, LIST <PIN>. A wrong PIN is refused and
 * counted; pin_max_failures in a row lock the number (pin_lock, each
 * further lock 4 times longer up to pin_lock_max; a right PIN resets the
 * scale), and the roster's supervisor is told by SMS once per lock. */
int reports_officer_sms(const struct reports_ctx *x, const char *from, const char *text,
    int64_t now_ms, char *reply, size_t replysz) __attribute__((warn_unused_result));
/* Where the PIN of an officer command is: in the text (checked here), or
 * checked when the SMS was stored and replaced by "****" (the inbound
 * row's STORE_IN_REDACTED, with STORE_IN_PIN_OK when it was right). */
enum reports_pin_src { REPORTS_PIN_IN_TEXT = 0, REPORTS_PIN_RIGHT, REPORTS_PIN_WRONG };
/* reports_officer_sms with the PIN's verdict given by src. */
int reports_officer_cmd(const struct reports_ctx *x, const char *from, const char *text,
    enum reports_pin_src src, int64_t now_ms, char *reply, size_t replysz)
    __attribute__((warn_unused_result));

/* The same actions from the CLI (actor "kawanctl:<user>", channel "cli").
 * 0, 1 when the reference is unknown or the transition is not allowed
 * (why written to err), -1 on error. */
int reports_cli_ack(const struct reports_ctx *x, const char *ref, const char *actor, int64_t now_ms,
    char *err, size_t errsz) __attribute__((warn_unused_result));
int reports_cli_note(const struct reports_ctx *x, const char *ref, const char *actor,
    const char *text, int64_t now_ms, char *err, size_t errsz) __attribute__((warn_unused_result));
int reports_cli_close(const struct reports_ctx *x, const char *ref, const char *actor,
    const char *outcome, int64_t now_ms, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/* Queues every due alert, escalation and reminder. Returns how many
 * messages were queued, or -1. The daemon calls it every turn. */
int reports_tick(const struct reports_ctx *x, int64_t now_ms) __attribute__((warn_unused_result));

/* Erases personal data of reports closed more than retention_days ago,
 * and closes and erases open reports nobody updated for retention_days
 * (no alert, answer, acknowledgement or note: abandoned, and still
 * holding a number and words); the anonymised figures stay. Each is
 * audited. Returns how many were erased, or -1. */
int reports_retention(const struct reports_ctx *x, int64_t now_ms)
    __attribute__((warn_unused_result));

/* What one retention pass removed (reports_retention_run). */
struct reports_purged {
	int reports;      /* reports erased (closed long ago, or idle and closed now) */
	int messages;     /* queue rows blanked, fragments and old sessions dropped */
	int sessions;     /* menu sessions past their timeout deleted */
	int prefs;        /* numbers whose preferences were erased */
	bool wal_pending; /* a reader kept the WAL from being truncated */
};
/* The whole retention pass (reports_retention.c): reports_retention, the
 * message queues after retention_days, sessions past their timeout
 * (content.sms_timeout / ussd_timeout), prefs after prefs_retention_days
 * without activity, then the WAL truncated when anything changed. Fills
 * *out when not NULL. 0 or -1. */
int reports_retention_run(const struct reports_ctx *x, int64_t now_ms, struct reports_purged *out)
    __attribute__((warn_unused_result));

/* The alert text for r (English, officers' language; the nationality's name
 * from content's countries.cfg, its code when content is NULL), within
 * cfg->reports.alert_max_segments SMS segments: reference, nationality,
 * category, place, callback advice, the worker's number, how to reply; a
 * long message is cut with the command that shows it whole. */
size_t reports_alert_text(const struct kawan_config *cfg, const struct content *content,
    const struct store_report *r, char *buf, size_t bufsz);

/* Consent (issue 9). Whom a report may be told to: CONFIG_TELL_* bits.
 * reports_offered: what the nationality's roster offers (its `offer`, or
 * whatever the roster and the NGO desk make possible), within what is
 * configured. reports_tell: the worker's choice notify ("ngo", "embassy",
 * "both"; "" not chosen yet: reports.sos_default) within that. */
unsigned reports_offered(const struct kawan_config *cfg, const char *nationality);
unsigned reports_tell(const struct kawan_config *cfg, const char *nationality, const char *notify);
/* The choices the consent question lists for nationality ("" unknown):
 * CONFIG_OFFER_* bits, those of the roster's `offer` (all three when it
 * sets none) that can reach someone: "ngo" needs the NGO desk, "embassy"
 * an officer of the nationality's roster, "both" the two. */
unsigned reports_choices(const struct kawan_config *cfg, const char *nationality);

/* Whether anyone sees report r: NOW someone is (or is being) alerted;
 * CHOICE nobody until the worker chooses whom to tell; NOBODY nobody can
 * be (no roster, no NGO desk, or none the worker allows). */
enum reports_reach { REPORTS_REACH_NOW = 0, REPORTS_REACH_CHOICE, REPORTS_REACH_NOBODY };
enum reports_reach reports_reach(const struct kawan_config *cfg, const struct store_report *r);

/* For `kawan-gateway -n`: writes one warning line to out for each
 * nationality (the rosters', the content's countries and languages', and
 * "unknown") that nobody can be alerted for, and one when HELP/SOS alerts
 * nobody at once (reports.sos_default). content may be NULL. Returns how
 * many lines were written. */
size_t reports_config_warn(const struct kawan_config *cfg, const struct content *content,
    FILE *out);

/* Checks pin against a crypt(3) hash in constant time. */
bool reports_pin_ok(const char *pin, const char *hash);

#endif
