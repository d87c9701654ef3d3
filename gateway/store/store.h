/* store.h - everything that must survive a crash, in SQLite (WAL,
 * synchronous=FULL): the inbound and outbound queues, fragments of
 * concatenated SMS, sessions, reports, the audit trail. All SQL lives in
 * gateway/store/; every statement is prepared once with bound values.
 * A struct store is one connection for one thread at a time: each thread
 * that touches the database opens its own. */
#ifndef KAWAN_STORE_H
#define KAWAN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_CHANNEL_MAX 16
#define STORE_ADDR_MAX 40 /* an MSISDN with '+', or an alphanumeric sender */
#define STORE_KEY_MAX 128
#define STORE_MODEM_MAX 32 /* a configured modem name (CONFIG_NAME_MAX) */

/* Inbound flags (bit set). */
#define STORE_IN_TRUNCATED 0x1 /* text was cut to the configured maximum */
#define STORE_IN_PARTIAL 0x2   /* a concatenated SMS stored with parts missing */
#define STORE_IN_BINARY 0x4    /* 8-bit payload; text holds a hex dump */
#define STORE_IN_INVALID 0x8   /* text was not valid UTF-8 and was repaired */
#define STORE_IN_CALL 0x10     /* a missed call, not a message (text ""): store_events.c */
/* An officer command: its PIN was checked on arrival and the stored text
 * holds "****" (inbound_redact.c, issue 11); PIN_OK: that PIN was right. */
#define STORE_IN_REDACTED 0x20
#define STORE_IN_PIN_OK 0x40

struct store;

struct store_inbound {
	int64_t id;
	char channel[STORE_CHANNEL_MAX];
	char sender[STORE_ADDR_MAX];
	char *text;         /* UTF-8, owned; freed by store_inbound_clear() */
	int64_t sent_at_ms; /* SMSC timestamp, 0 when unknown */
	int64_t received_at_ms;
	int flags;
	char modem[STORE_MODEM_MAX]; /* the modem it came in on; "" when none */
};

struct store_outbound {
	int64_t id;
	char channel[STORE_CHANNEL_MAX];
	char dest[STORE_ADDR_MAX];
	char *text;    /* UTF-8, owned; freed by store_outbound_clear() */
	int msg_class; /* -1 normal, 0 flash (class 0) */
	int attempts;  /* attempts made so far */
	int64_t next_attempt_ms;
	int64_t inbound_id;          /* the message this answers, 0 if none */
	char modem[STORE_MODEM_MAX]; /* the modem that sends it; "" any */
	int priority;                /* STORE_PRIORITY_* */
};

struct store_stats {
	int64_t inbound_total;
	int64_t inbound_new; /* stored, not yet routed */
	int64_t outbound_queued;
	int64_t outbound_sent;
	int64_t outbound_failed;
};

/* Opens (creating if needed) the database at path, sets WAL and
 * synchronous=FULL, runs pending migrations. *out is freed by store_close. */
int store_open(const char *path, struct store **out) __attribute__((warn_unused_result));
void store_close(struct store *st);
/* Opens an existing database read-only (store_readonly.c), for tools that
 * only read (kawanctl list, show, export, stats, modems): no file is
 * created, no migration runs, and SQLite refuses every write on it
 * (SQLITE_READONLY; query_only too). Refuses a schema version other than
 * this build's (the gateway migrates). 0 or -1 (logged); close with
 * store_close. */
int store_open_readonly(const char *path, struct store **out) __attribute__((warn_unused_result));
/* The schema version (PRAGMA user_version) after migrations. */
int store_schema_version(struct store *st);
/* The last SQLite error message, for logs. Borrowed; valid until the next call. */
const char *store_errmsg(struct store *st);

/* Explicit transactions (BEGIN IMMEDIATE). Without one, each call below
 * commits on its own. */
int store_begin(struct store *st) __attribute__((warn_unused_result));
int store_commit(struct store *st) __attribute__((warn_unused_result));
void store_rollback(struct store *st);
/* True while an explicit transaction is open on this connection. */
bool store_in_transaction(struct store *st);

/* Inbound queue. dedupe_key identifies one message across re-reads from
 * the modem (e.g. after a crash before the SIM copy was deleted).
 * Returns 0 when added, 1 when a row with that key already exists
 * (*id_out is then the existing id), -1 on error. Borrows all strings. */
int store_inbound_add(struct store *st, const char *channel, const char *sender, const char *text,
    int64_t sent_at_ms, int64_t received_at_ms, int flags, const char *dedupe_key, int64_t *id_out)
    __attribute__((warn_unused_result));
/* The same, for a message that came in on modem (its reply leaves there). */
int store_inbound_add_via(struct store *st, const char *channel, const char *modem,
    const char *sender, const char *text, int64_t sent_at_ms, int64_t received_at_ms, int flags,
    const char *dedupe_key, int64_t *id_out) __attribute__((warn_unused_result));
/* The oldest inbound row not yet routed. 0 found, 1 none, -1 error.
 * out is filled and must be cleared with store_inbound_clear(). */
int store_inbound_next_new(struct store *st, struct store_inbound *out)
    __attribute__((warn_unused_result));
int store_inbound_mark_done(struct store *st, int64_t id) __attribute__((warn_unused_result));
void store_inbound_clear(struct store_inbound *in);

/* Outbound priorities: among due rows, urgent ones go out first. */
#define STORE_PRIORITY_NORMAL 0
#define STORE_PRIORITY_URGENT 1

/* Outbound queue: a row is 'queued' until the modem accepted it ('sent')
 * or it ran out of attempts ('failed'). Borrows all strings. */
int store_outbound_add(struct store *st, const char *channel, const char *dest, const char *text,
    int msg_class, int64_t inbound_id, int64_t now_ms, int64_t *id_out)
    __attribute__((warn_unused_result));
/* The same at STORE_PRIORITY_URGENT: officer alerts, escalations, reminders. */
int store_outbound_add_urgent(struct store *st, const char *channel, const char *dest,
    const char *text, int msg_class, int64_t inbound_id, int64_t now_ms, int64_t *id_out)
    __attribute__((warn_unused_result));
/* A reply queued to leave through modem ("" any), the one its message came
 * in on. Otherwise as store_outbound_add(). */
int store_outbound_reply(struct store *st, const char *channel, const char *modem, const char *dest,
    const char *text, int msg_class, int64_t inbound_id, int64_t now_ms, int64_t *id_out)
    __attribute__((warn_unused_result));
/* Among queued rows with next_attempt_ms <= now_ms, the most urgent, then
 * fair per recipient: the recipient whose last sent row is oldest (never
 * sent to: first), so a flood from one number waits its turn behind every
 * other number's reply; then the one due soonest (ties: lowest id).
 * 0 found, 1 none due, -1 error. Clear out with store_outbound_clear(). */
int store_outbound_next_due(struct store *st, int64_t now_ms, struct store_outbound *out)
    __attribute__((warn_unused_result));
/* The same among the rows of channel that modem may send (its own and
 * those for any modem); a row for any modem is claimed for modem first
 * (committed), so no other modem takes it. 0 taken, 1 none due, -1 error. */
int store_outbound_take(struct store *st, const char *channel, const char *modem, int64_t now_ms,
    struct store_outbound *out) __attribute__((warn_unused_result));
/* Earliest next_attempt_ms among queued rows (of channel that modem may
 * send; modem NULL: all rows): 0 found, 1 none, -1 error. */
int store_outbound_next_due_at(struct store *st, const char *channel, const char *modem,
    int64_t *when_ms) __attribute__((warn_unused_result));
/* Reschedules row id without counting an attempt (the modem could not
 * try: its storage was full). */
int store_outbound_defer(struct store *st, int64_t id, int64_t next_attempt_ms, const char *why)
    __attribute__((warn_unused_result));
/* The pool of modems (store_pool.c). */
/* Records the SIM seen in modem name (imsi, iccid "" when unknown) on
 * device; prev_imsi gets the IMSI recorded before ("" for none). 0 or -1. */
int store_modem_seen(struct store *st, const char *name, const char *imsi, const char *iccid,
    const char *device, int64_t now_ms, char *prev_imsi, size_t prevsz)
    __attribute__((warn_unused_result));
/* Records that modem name's thread has it open (up) or not, since now_ms. 0 or -1. */
int store_modem_set_up(struct store *st, const char *name, bool up, int64_t now_ms)
    __attribute__((warn_unused_result));
/* Reads it back: 0, 1 when the name has no row (*up false), -1. */
int store_modem_state(struct store *st, const char *name, bool *up, int64_t *since_ms)
    __attribute__((warn_unused_result));
/* A queued row that may move to another modem. */
struct store_move {
	int64_t id;
	char dest[STORE_ADDR_MAX];
};
/* Queued rows of modem ("" = unassigned) on channel without staged parts,
 * most urgent first, at most max into rows; *held counts those with parts
 * staged on the modem's SIM (they never move). 0 or -1. */
int store_outbound_movable(struct store *st, const char *channel, const char *modem,
    struct store_move *rows, size_t max, size_t *n, size_t *held)
    __attribute__((warn_unused_result));
/* Moves row id from modem from to modem to, if it is still queued on from
 * with nothing staged: 0 moved, 1 not (taken or staged meanwhile), -1. */
int store_outbound_move(struct store *st, int64_t id, const char *from, const char *to)
    __attribute__((warn_unused_result));

/* Rows staged by a version that drove one modem belong to that modem. */
int store_outbound_adopt_staged(struct store *st, const char *modem)
    __attribute__((warn_unused_result));
/* Rows changed on this connection since it opened (sqlite3_total_changes):
 * a thread compares two readings to know whether it wrote anything. */
int64_t store_changes(struct store *st);
int store_outbound_mark_sent(struct store *st, int64_t id, int64_t now_ms, int msg_ref)
    __attribute__((warn_unused_result));
/* Where row id stands: 0 sent (*sent_ms = when the modem accepted it),
 * 1 still queued, 2 failed, -1 error (an unknown id too). */
int store_outbound_sent_at(struct store *st, int64_t id, int64_t *sent_ms)
    __attribute__((warn_unused_result));
/* Counts one more attempt and schedules the next. */
int store_outbound_mark_retry(struct store *st, int64_t id, int64_t next_attempt_ms,
    const char *error) __attribute__((warn_unused_result));
/* Counts one more attempt and gives up. */
int store_outbound_mark_failed(struct store *st, int64_t id, const char *error)
    __attribute__((warn_unused_result));
void store_outbound_clear(struct store_outbound *out);

int store_stats(struct store *st, struct store_stats *out) __attribute__((warn_unused_result));

/* Staged sending (store_staged.c): a queued message's parts written to the
 * modem's storage (AT+CMGW) before being sent from there (AT+CMSS), so a
 * restart can ask the SIM which parts went out. */
#define STORE_MAX_PARTS 10

struct store_slot {
	int folder; /* libgammu folder and location of one part */
	int location;
};

/* Records where message id's parts wait. Borrows slots. 0 or -1. */
int store_outbound_stage(struct store *st, int64_t id, const struct store_slot *slots, size_t n)
    __attribute__((warn_unused_result));
/* Fills slots (room for max) with id's staged parts in order; *n = 0 when
 * it has none. 0 or -1. */
int store_outbound_staged(struct store *st, int64_t id, struct store_slot *slots, size_t max,
    size_t *n) __attribute__((warn_unused_result));
/* Forgets id's staged parts. 0 or -1. */
int store_outbound_unstage(struct store *st, int64_t id) __attribute__((warn_unused_result));
/* *in_use = whether a queued message of modem has a part at that slot. 0 or -1. */
int store_slot_in_use(struct store *st, const char *modem, int folder, int location, bool *in_use)
    __attribute__((warn_unused_result));

/* Fragments of concatenated SMS (store_fragment.c): each part of an
 * incomplete message is committed here as soon as it is read, so the SIM
 * can forget it; the parts are joined here, or stored partial after
 * partial_timeout. */
struct store_fragment {
	int64_t id;
	char modem[STORE_MODEM_MAX];
	char sender[STORE_ADDR_MAX];
	int ref, total, seq;
	char *text; /* UTF-8, owned; store_fragments_free() */
	int flags;  /* STORE_IN_* of this part */
	int64_t sent_at_ms;
	int location;
	int64_t received_at_ms;
};
/* Adds f under dedupe_key: 0 added, 1 already there (joined or not), -1. Borrows. */
int store_fragment_add(struct store *st, const struct store_fragment *f, const char *dedupe_key)
    __attribute__((warn_unused_result));
/* The waiting fragments of f's message (same modem, sender, ref, total),
 * by seq then id. *out is the caller's: store_fragments_free(). 0 or -1. */
int store_fragment_group(struct store *st, const struct store_fragment *f,
    struct store_fragment **out, size_t *n) __attribute__((warn_unused_result));
/* Records that fragment id went into inbound row inbound_id. */
int store_fragment_joined(struct store *st, int64_t id, int64_t inbound_id)
    __attribute__((warn_unused_result));
/* The oldest waiting fragment received before cutoff_ms: 0 found, 1 none,
 * -1 error. out's text is the caller's: store_fragment_clear(). */
int store_fragment_oldest(struct store *st, int64_t cutoff_ms, struct store_fragment *out)
    __attribute__((warn_unused_result));
void store_fragment_clear(struct store_fragment *f);
void store_fragments_free(struct store_fragment *f, size_t n);

/* Menu sessions and per-number preferences (store_session.c). */
#define STORE_NODE_MAX 64
#define STORE_PATH_MAX 640
#define STORE_LANG_MAX 16

struct store_session {
	int state;
	char node[STORE_NODE_MAX];
	int page;
	char path[STORE_PATH_MAX]; /* the ids from home, comma-separated */
	char lang[STORE_LANG_MAX];
	int variant; /* the language's script variant (Zawgyi, plain) is served */
	int discreet;
	int64_t last_ms;
	int report_step;         /* the report question showing (engine_report_step) */
	int64_t report_answered; /* bit set of questions answered */
};

struct store_prefs {
	char lang[STORE_LANG_MAX]; /* "" when not chosen */
	int variant;               /* the language's script variant (Zawgyi, plain) is served */
	int discreet;
	int opted_out; /* sent STOP: nothing unsolicited */
};

/* 0 found, 1 none, -1 error. Borrows all strings. */
int store_session_get(struct store *st, const char *channel, const char *msisdn,
    struct store_session *out) __attribute__((warn_unused_result));
int store_session_put(struct store *st, const char *channel, const char *msisdn,
    const struct store_session *s) __attribute__((warn_unused_result));
/* Forgets every channel's session of msisdn. */
int store_session_delete(struct store *st, const char *msisdn) __attribute__((warn_unused_result));
/* 0 found, 1 none (out zeroed), -1 error. */
int store_prefs_get(struct store *st, const char *msisdn, struct store_prefs *out)
    __attribute__((warn_unused_result));
int store_prefs_put(struct store *st, const char *msisdn, const struct store_prefs *p,
    int64_t now_ms) __attribute__((warn_unused_result));

/* USSD sessions with an effect (store_ussd.c, schema v8): the state the
 * session started from and the answers already carried out, so a hop
 * replayed from the operator's history has each effect once. A session
 * with no effect has no row. */
#define STORE_USSD_ID_MAX 129      /* the operator's sessionId, NUL included */
#define STORE_USSD_TEXT_MAX 4096   /* the history as the operator sent it */
#define STORE_USSD_BOUNDS_MAX 1400 /* "3,5,12": where each answer ends in text */

struct store_ussd {
	char session_id[STORE_USSD_ID_MAX];
	char msisdn[32];
	char start_lang[STORE_LANG_MAX]; /* the number's preferences when the session began */
	int start_variant;
	int start_discreet;
	int hops;                       /* answers whose effects are carried out */
	char text[STORE_USSD_TEXT_MAX]; /* the history up to the last of them */
	char bounds[STORE_USSD_BOUNDS_MAX];
	char report_ref[8]; /* the report this session opened, "" none */
	int ref_shown;      /* the reference page was answered */
	int ref_sms;        /* the reference went by SMS (or may not go) */
	int64_t created_ms;
	int64_t updated_ms;
};

/* 0 found, 1 none (out zeroed), -1 error. */
int store_ussd_get(struct store *st, const char *session_id, const char *msisdn,
    struct store_ussd *out) __attribute__((warn_unused_result));
/* Inserts or replaces the row. 0 or -1. */
int store_ussd_put(struct store *st, const struct store_ussd *u)
    __attribute__((warn_unused_result));
/* The oldest session last touched before cutoff_ms whose report reference
 * the worker never saw and was not sent: 0 found, 1 none, -1 error. */
int store_ussd_owed(struct store *st, int64_t cutoff_ms, struct store_ussd *out)
    __attribute__((warn_unused_result));
/* Records that the reference went by SMS (or must not). 0 or -1. */
int store_ussd_ref_sent(struct store *st, const char *session_id, const char *msisdn)
    __attribute__((warn_unused_result));
/* Forgets sessions last touched before cutoff_ms that owe nothing; the
 * number forgotten, or -1. */
int store_ussd_expire(struct store *st, int64_t cutoff_ms) __attribute__((warn_unused_result));

/* Distress reports, their audit trail and officer PIN lockouts
 * (store_reports.c, schema v4; last_alert_out_id v6; notify v9). Times are unix ms. */
#define STORE_REF_MAX 8 /* "K7Q2" + NUL, room to grow */
#define STORE_PLACE_MAX 256
#define STORE_CALLBACK_MAX 128
#define STORE_MESSAGE_MAX 1024
#define STORE_CATEGORY_MAX 24
#define STORE_ACTOR_MAX 64
#define STORE_OUTCOME_MAX 256
#define STORE_NOTIFY_MAX 16 /* "embassy" + NUL, room to grow */

enum store_report_state {
	STORE_REPORT_NEW = 0, /* committed, no officer alerted yet */
	STORE_REPORT_ALERTED, /* at least one alert queued */
	STORE_REPORT_ACKED,   /* an officer acknowledged */
	STORE_REPORT_CLOSED,
};

struct store_report {
	int64_t id;
	char ref[STORE_REF_MAX];
	char msisdn[STORE_ADDR_MAX]; /* "" once erased by retention */
	char lang[STORE_LANG_MAX];
	char nationality[3]; /* "" unknown */
	char category
	    [STORE_CATEGORY_MAX]; /* locked_in, documents, wages, violence, arrested, sick, trafficked, other; "" unknown */
	char place[STORE_PLACE_MAX];
	char callback[STORE_CALLBACK_MAX];
	char message[STORE_MESSAGE_MAX];
	enum store_report_state state;
	int64_t created_ms, updated_ms, alerted_ms, acked_ms, closed_ms; /* 0 = not yet */
	char acked_by[STORE_ACTOR_MAX];
	char closed_by[STORE_ACTOR_MAX];
	char outcome[STORE_OUTCOME_MAX];
	int alert_level;               /* how far down the roster alerts have gone: 0 none yet */
	int reminders;                 /* reminders sent after the roster was exhausted */
	int64_t next_alert_ms;         /* when the escalation tick must look again; 0 = never */
	int erased;                    /* personal data erased (retention) */
	int64_t last_alert_out_id;     /* outbound row of the last alert or reminder; 0 none */
	char notify[STORE_NOTIFY_MAX]; /* whom the worker lets the gateway tell (schema v9):
					* "ngo", "embassy", "both"; "" not chosen yet */
};

/* Which report text field to set. */
enum store_report_field {
	STORE_RF_NATIONALITY = 0,
	STORE_RF_CATEGORY,
	STORE_RF_PLACE,
	STORE_RF_CALLBACK,
	STORE_RF_MESSAGE,
	STORE_RF_LANG,
	STORE_RF_NOTIFY, /* "ngo", "embassy" or "both"; anything else is stored as "" */
};

struct store_report_filter {
	int state;              /* -1 any, else enum store_report_state */
	char nationality[3];    /* "" any */
	int64_t from_ms, to_ms; /* created in [from, to); 0 = open end */
};

/* Creates a report with a new unique reference (an easy-to-type 4
 * characters from an alphabet without look-alikes); fills *out. */
int store_report_create(struct store *st, const char *msisdn, const char *lang,
    const char *nationality, int64_t now_ms, struct store_report *out)
    __attribute__((warn_unused_result));
/* The newest report of msisdn not closed and created at or after since_ms:
 * 0 found, 1 none, -1 error. */
int store_report_find_open(struct store *st, const char *msisdn, int64_t since_ms,
    struct store_report *out) __attribute__((warn_unused_result));
/* By reference (case-insensitive): 0 found, 1 none, -1 error. */
int store_report_get(struct store *st, const char *ref, struct store_report *out)
    __attribute__((warn_unused_result));
/* Sets one text field (a message field is appended to, separated by " | "). */
int store_report_set(struct store *st, int64_t id, enum store_report_field f, const char *value,
    int64_t now_ms) __attribute__((warn_unused_result));
/* Writes state, times, actors, outcome, alert_level, reminders,
 * next_alert_ms and last_alert_out_id from r (the text fields are left alone). */
int store_report_save_state(struct store *st, const struct store_report *r)
    __attribute__((warn_unused_result));
/* Calls fn for each report matching f, oldest first; stops early when fn
 * returns non-zero. 0 or -1. fn borrows r for the call; it may read the
 * store but must not write reports (the scan is still open). */
int store_report_each(struct store *st, const struct store_report_filter *f,
    int (*fn)(const struct store_report *r, void *arg), void *arg)
    __attribute__((warn_unused_result));
/* Calls fn for each report with 0 < next_alert_ms <= now_ms or state NEW
 * (ids are read first, so fn may write to the store; a row changed by
 * another process meanwhile is read as it is when fn is called). */
int store_report_due(struct store *st, int64_t now_ms,
    int (*fn)(const struct store_report *r, void *arg), void *arg)
    __attribute__((warn_unused_result));
/* Erases personal data (msisdn, place, callback, message, outcome;
 * acked_by/closed_by and audit actors kept as roles only, audit details
 * blanked) of reports closed before cutoff_ms. Nationality, category,
 * lang, state and every time stay for the figures. Returns how many, or -1. */
int store_report_erase_closed_before(struct store *st, int64_t cutoff_ms)
    __attribute__((warn_unused_result));
/* The same for one closed report: 0, 1 when it is not closed, -1. */
int store_report_erase(struct store *st, int64_t id) __attribute__((warn_unused_result));
/* Calls fn for each closed report not yet erased with closed_ms < cutoff_ms
 * (ids are read first, so fn may write to the store). 0 or -1. */
int store_report_erasable(struct store *st, int64_t cutoff_ms,
    int (*fn)(const struct store_report *r, void *arg), void *arg)
    __attribute__((warn_unused_result));

/* Retention for the message queues (store_retention.c): blanks the text
 * and number of routed inbound and finished outbound messages older than
 * cutoff_ms, and drops menu sessions idle since before it. Returns how
 * many rows changed, or -1. */
int store_erase_messages_before(struct store *st, int64_t cutoff_ms)
    __attribute__((warn_unused_result));
/* Deletes SMS sessions idle since before sms_cutoff_ms and USSD ones
 * since before ussd_cutoff_ms (their timeouts: a timed-out session
 * restarts from the number's prefs either way). Rows deleted, or -1. */
int store_session_expire(struct store *st, int64_t sms_cutoff_ms, int64_t ussd_cutoff_ms)
    __attribute__((warn_unused_result));
/* Deletes the prefs (language, variant, discreet, STOP) of numbers not
 * updated since cutoff_ms and with no message, session or USSD session
 * since then and no report whose personal data is not yet erased. Rows
 * deleted, or -1. */
int store_prefs_expire(struct store *st, int64_t cutoff_ms) __attribute__((warn_unused_result));
/* Calls fn for each report not closed, not erased and not updated since
 * before cutoff_ms (refs read first, so fn may write). 0 or -1. */
int store_report_idle(struct store *st, int64_t cutoff_ms,
    int (*fn)(const struct store_report *r, void *arg), void *arg)
    __attribute__((warn_unused_result));
/* Checkpoints the WAL into the database and truncates it, so pages that
 * held erased data leave the WAL file. 0, 1 when a reader kept it busy
 * (try again later), -1 on error. */
int store_wal_truncate(struct store *st) __attribute__((warn_unused_result));

/* Audit trail: every change, by whom and through which channel. */
struct store_audit {
	int64_t id;
	int64_t report_id;
	int64_t at_ms;
	char actor[STORE_ACTOR_MAX]; /* "worker", an officer's name, "kawanctl:<user>", "system" */
	char channel[STORE_CHANNEL_MAX]; /* "sms", "cli", "system" */
	char action
	    [24]; /* created, updated, alerted, escalated, reminded, acked, note, closed, erased, notified */
	char detail[STORE_MESSAGE_MAX];
};
int store_audit_add(struct store *st, int64_t report_id, int64_t at_ms, const char *actor,
    const char *channel, const char *action, const char *detail)
    __attribute__((warn_unused_result));
int store_audit_each(struct store *st, int64_t report_id,
    int (*fn)(const struct store_audit *a, void *arg), void *arg)
    __attribute__((warn_unused_result));

/* Officer PIN failures per number. */
int store_pin_failures(struct store *st, const char *number, int *failures,
    int64_t *locked_until_ms) __attribute__((warn_unused_result));
int store_pin_record(struct store *st, const char *number, int failures, int64_t locked_until_ms)
    __attribute__((warn_unused_result));
/* store_officer.c (schema v15): how many times number was locked so far
 * (0 when never), and setting it (the failure count and lock stay). */
int store_pin_level(struct store *st, const char *number, int *locks)
    __attribute__((warn_unused_result));
int store_pin_set_level(struct store *st, const char *number, int locks)
    __attribute__((warn_unused_result));
/* STATUS asked by number about a reference it did not make: how many in
 * the window that started at or after since_ms (0 when none), and one
 * more (a new window starts at now_ms when the last began before
 * since_ms; rows of ended windows are deleted). 0 or -1. */
int store_status_misses(struct store *st, const char *number, int64_t since_ms, int *misses)
    __attribute__((warn_unused_result));
int store_status_miss_add(struct store *st, const char *number, int64_t now_ms, int64_t since_ms)
    __attribute__((warn_unused_result));

/* Missed calls and delivery reports (store_events.c, schema v11). Rare
 * events: their statements are prepared per call. */

/* Stores a missed call from sender on modem as an inbound row flagged
 * STORE_IN_CALL (channel "sms", text ""), so the router answers it once
 * like a message. 0 added, 1 already there, -1 error. */
int store_call_add(struct store *st, const char *modem, const char *sender, int64_t now_ms,
    int64_t *id_out) __attribute__((warn_unused_result));
/* How many missed calls from sender received at or after since_ms got an
 * answer queued (*n). 0 or -1. */
int store_call_answers_since(struct store *st, const char *sender, int64_t since_ms, int *n)
    __attribute__((warn_unused_result));

/* Delivery of one outbound row, as the network reported it. */
enum store_dlr {
	STORE_DLR_NONE = 0,  /* no report was asked for */
	STORE_DLR_PENDING,   /* asked for, none (or only "still trying") yet */
	STORE_DLR_DELIVERED, /* the network delivered it */
	STORE_DLR_FAILED,    /* the network gave up on it */
};

/* The TP-Status octet of a status report (3GPP TS 23.040 9.2.3.15) as a
 * delivery: 0x00-0x1F delivered, 0x20-0x3F still trying (pending), 0x40
 * and up failed. Pure. */
enum store_dlr store_dlr_from_status(int tp_status);
/* The name shown by kawanctl: "", "pending", "delivered", "failed". */
const char *store_dlr_name(enum store_dlr d);
/* Marks row id as sent with a status-report request (dlr pending). Runs
 * in the caller's transaction (the one that marks it sent). 0 or -1. */
int store_outbound_dlr_pending(struct store *st, int64_t id) __attribute__((warn_unused_result));
/* Records a status report from modem for the message with reference
 * msg_ref to dest: the newest pending row of that modem, dest and
 * msg_ref gets the delivery tp_status says (dest compared without a
 * leading '+'); a failed officer alert makes
 * its report due at once (next_alert_ms = now_ms) so escalation acts on
 * the next tick. A report no pending row matches may be that of a copy
 * sent before a crash (store_dlr_adopt). One transaction. 0 matched
 * (*id_out, *dlr_out), 1 no row matches, -1 error. Borrows the strings. */
int store_dlr_record(struct store *st, const char *modem, const char *dest, int msg_ref,
    int tp_status, int64_t now_ms, int64_t *id_out, enum store_dlr *dlr_out)
    __attribute__((warn_unused_result));
/* A try of row id through modem that cannot be repeated safely (AT+CMGS
 * with a status-report request) is about to begin (store_doubt.c): the
 * row is in doubt from now_ms (with the modem's last recorded message
 * reference and the parts it makes) and not due again before until_ms, so that after a crash the
 * report of a copy that did leave can find it (store_dlr_record). Its own
 * transaction, durable before the modem sees the message. 0 or -1. */
int store_outbound_doubt(struct store *st, const char *modem, int64_t id, int parts, int64_t now_ms,
    int64_t until_ms) __attribute__((warn_unused_result));
/* The modem refused the try: row id is no longer in doubt. 0 or -1. */
int store_outbound_doubt_clear(struct store *st, int64_t id) __attribute__((warn_unused_result));
/* Within store_dlr_record's transaction: a report from modem of reference
 * msg_ref to dest that matched no row: the newest queued row of that
 * modem and dest in doubt, whose last part's reference it can be (the one
 * the modem had last used plus its parts, or up to 7 more, modulo 256;
 * when none was recorded, only a one-part message) and that is no part's
 * of a message to dest recorded sent since a day before the try, is
 * marked sent then, with that reference, its parts and a pending
 * delivery. 0 (*id), 1 none, -1. */
int store_dlr_adopt(struct store *st, const char *modem, const char *dest, int msg_ref, int64_t *id)
    __attribute__((warn_unused_result));
/* Reads row id's delivery (*ms: when the report came, 0 none). 0 or -1. */
int store_outbound_dlr(struct store *st, int64_t id, enum store_dlr *out, int64_t *ms)
    __attribute__((warn_unused_result));

/* One officer alert (or reminder) of a report, as kawanctl shows it. */
struct store_alert {
	int64_t id;
	char dest[STORE_ADDR_MAX];
	char state[16]; /* queued, sent, failed */
	int64_t sent_ms;
	enum store_dlr dlr;
	int64_t dlr_ms;
};
typedef int (*store_alert_fn)(const struct store_alert *a, void *arg);
/* Calls fn for each urgent outbound row that names report ref (officer
 * alerts, escalations, reminders), oldest first; fn returning non-zero
 * stops. 0 or -1. */
int store_alerts_each(struct store *st, const char *ref, store_alert_fn fn, void *arg)
    __attribute__((warn_unused_result));

/* Quotas and the reset ladder (issue 10, store_quota.c). */

/* The SMS parts modem sent in the 60 min and the 24 h before now_ms (sent
 * rows; one part for a row that did not record its parts). 0 or -1. */
int store_quota_parts(struct store *st, const char *modem, int64_t now_ms, int64_t *hour,
    int64_t *day) __attribute__((warn_unused_result));
/* Records that row id put parts SMS parts on the air (inside the caller's
 * transaction that marks it sent). 0 or -1. */
int store_quota_set_parts(struct store *st, int64_t id, int parts)
    __attribute__((warn_unused_result));

/* What a step of the reset ladder counts in modem_sim. */
enum store_ladder_step {
	STORE_LADDER_FAIL = 0, /* a reopen failed */
	STORE_LADDER_RESET,    /* a libgammu reset was asked for */
	STORE_LADDER_COMMAND,  /* reset_command was run */
};
/* Counts one step of modem name's ladder and records its rung ("reopen",
 * "reset", "command"). 0 or -1. */
int store_ladder_count(struct store *st, const char *name, enum store_ladder_step step,
    const char *rung) __attribute__((warn_unused_result));
/* Marks modem name dead and, in the same transaction and only when it was
 * not dead already, queues text (borrowed) urgently to each of the n
 * numbers, for any modem that may send. 1 told, 0 already dead, -1. */
int store_ladder_dead(struct store *st, const char *name, const char (*numbers)[32], size_t n,
    const char *text, int64_t now_ms) __attribute__((warn_unused_result));
/* The modem opened again: no longer dead, back on the bottom rung. 1 when
 * it was dead, 0 when not, -1. */
int store_ladder_revived(struct store *st, const char *name) __attribute__((warn_unused_result));

/* Faults (store_fault.c, issue 11): what the last failure logged on this
 * connection was, so a caller can tell a full or failing disk (operators
 * must act) from a lock held by another process (wait). */
enum store_fault {
	STORE_FAULT_NONE = 0, /* no failure since store_fault_clear */
	STORE_FAULT_BUSY,     /* SQLITE_BUSY / LOCKED: another connection holds it */
	STORE_FAULT_DISK,     /* SQLITE_FULL or SQLITE_IOERR: no room, or the disk fails */
	STORE_FAULT_OTHER,    /* anything else (out of memory, corruption, a bug) */
};
enum store_fault store_last_fault(struct store *st);
void store_fault_clear(struct store *st);
/* "none", "busy", "disk full or failing", "other". */
const char *store_fault_name(enum store_fault f);

/* Answers per number per minute (store_flood.c, schema 16, issue 11).
 * How many replies (outbound rows answering an inbound message) were
 * queued to dest at or after since_ms, held ones included. 0 or -1. */
int store_answers_since(struct store *st, const char *dest, int64_t since_ms, int *n)
    __attribute__((warn_unused_result));
/* Puts the answer to inbound_id into the reply held for dest on channel
 * and modem (a queued row with held = 1, not due before now_ms + margin_ms,
 * no part staged): its text, class and message become these, and it is
 * due at due_ms. 0 replaced (*id_out its id), 1 no such row, -1 error. */
int store_outbound_hold_update(struct store *st, const char *channel, const char *modem,
    const char *dest, const char *text, int msg_class, int64_t inbound_id, int64_t now_ms,
    int64_t margin_ms, int64_t due_ms, int64_t *id_out) __attribute__((warn_unused_result));
/* Queues the answer to inbound_id as dest's held reply (held = 1), due at
 * due_ms. As store_outbound_reply() otherwise. 0 or -1. */
int store_outbound_hold(struct store *st, const char *channel, const char *modem, const char *dest,
    const char *text, int msg_class, int64_t inbound_id, int64_t now_ms, int64_t due_ms,
    int64_t *id_out) __attribute__((warn_unused_result));

#endif
