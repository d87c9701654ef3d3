/* reports_officer.c - officers' SMS commands, accepted only from roster
 * numbers, each with the officer's PIN (issue 11: NOTE and LIST too):
 * ACK <ref> <PIN>, NOTE <ref> <PIN> <text>, CLOSE <ref> <PIN> <outcome>,
 * LIST <PIN>. Any case, any spacing; anything else gets a short usage
 * answer. The PIN is checked against its crypt(3) hash in constant time
 * before the reference is looked up, so a wrong PIN never tells whether a
 * reference exists. An SMS from the modems was checked when it was stored
 * (inbound_redact.c): its text holds "****" and the verdict is in the
 * row's flags. pin_max_failures wrong PINs in a row lock the number; each
 * lock lasts 4 times the one before (pin_lock, then up to pin_lock_max),
 * every command is refused while locked, the roster's supervisor is told
 * by SMS once per lock, and a right PIN starts the scale again. */
#include "reports/reports_int.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "render/render.h"

#define OFFICER_PIN_ARG_MAX 64 /* longer is never a PIN: refused without hashing */
#define OFFICER_USAGE                                                                              \
	"Kawan officer commands: ACK <ref> <PIN> | NOTE <ref> <PIN> <text> | "                     \
	"CLOSE <ref> <PIN> <outcome> | LIST <PIN>"

bool
reports_pin_ok(const char *pin, const char *hash)
{
	return config_pin_match(pin, hash);
}

/* One whitespace-separated word of the message: where it starts, its length. */
struct officer_tok {
	const char *s;
	size_t len;
};

static bool
officer_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Reads the next word at *p into t (len 0 at the end); advances *p. */
static void
officer_next(const char **p, struct officer_tok *t)
{
	const char *s = *p;

	while (officer_space(*s))
		s++;
	t->s = s;
	while (*s != '\0' && !officer_space(*s))
		s++;
	t->len = (size_t)(s - t->s);
	*p = s;
}

static bool
officer_is(const struct officer_tok *t, const char *word)
{
	return t->len == strlen(word) && strncasecmp(t->s, word, t->len) == 0;
}

/* Copies a word into dst; false when it is empty or does not fit. */
static bool
officer_word(const struct officer_tok *t, char *dst, size_t dstsz)
{
	if (t->len == 0 || t->len >= dstsz)
		return false;
	memcpy(dst, t->s, t->len);
	dst[t->len] = '\0';
	return true;
}

/* The rest of the message after *p, trimmed, into dst (cut if long). */
static void
officer_rest(const char *p, char *dst, size_t dstsz)
{
	size_t len;

	while (officer_space(*p))
		p++;
	len = strlen(p);
	while (len > 0 && officer_space(p[len - 1]))
		len--;
	if (len >= dstsz)
		len = dstsz - 1;
	/* Do not end inside a UTF-8 sequence. */
	while (len > 0 && p[len] != '\0' && ((unsigned char)p[len] & 0xC0) == 0x80)
		len--;
	memcpy(dst, p, len);
	dst[len] = '\0';
}

/* The roster person with this number, or NULL. */
static const struct config_officer *
officer_find(const struct kawan_config *cfg, const char *from)
{
	if (from == NULL || from[0] == '\0')
		return NULL;
	for (size_t i = 0; i < cfg->nrosters; i++) {
		const struct config_roster *ro = &cfg->rosters[i];

		for (size_t k = 0; k < ro->nofficers && k < CONFIG_MAX_OFFICERS; k++) {
			if (strcmp(ro->officers[k].number, from) == 0)
				return &ro->officers[k];
		}
		if (strcmp(ro->supervisor.number, from) == 0)
			return &ro->supervisor;
	}
	if (strcmp(cfg->ngo_desk.number, from) == 0)
		return &cfg->ngo_desk;
	return NULL;
}

/* The audit name of an officer. */
static const char *
officer_actor(const struct config_officer *o)
{
	return o->name[0] != '\0' ? o->name : o->number;
}

/* True when the officer is in the alert chain of r (its nationality and
 * whom the worker let the gateway tell). */
static bool
officer_covers(const struct reports_ctx *x, const struct config_officer *o,
    const struct store_report *r)
{
	struct reports_chain c;

	reports_chain_for(x->cfg, r->nationality, r->notify, &c);
	return reports_chain_has(&c, o->number);
}

/* The supervisor of the roster o is an officer of, or NULL (none, or o is
 * a supervisor or the NGO desk: their locks are logged only). */
static const struct config_officer *
officer_supervisor_of(const struct kawan_config *cfg, const struct config_officer *o)
{
	for (size_t i = 0; i < cfg->nrosters; i++) {
		const struct config_roster *ro = &cfg->rosters[i];

		for (size_t k = 0; k < ro->nofficers && k < CONFIG_MAX_OFFICERS; k++) {
			if (&ro->officers[k] == o && ro->supervisor.number[0] != '\0' &&
			    strcmp(ro->supervisor.number, o->number) != 0)
				return &ro->supervisor;
		}
	}
	return NULL;
}

/* How long lock number locks (0 the first) lasts: pin_lock, 4 times
 * longer each time, at most pin_lock_max. */
static int64_t
officer_lock_ms(const struct config_reports *cr, int locks)
{
	int64_t ms = cr->pin_lock_ms;

	for (int i = 0; i < locks && ms < cr->pin_lock_max_ms; i++)
		ms *= 4;
	return ms < cr->pin_lock_max_ms ? ms : cr->pin_lock_max_ms;
}

/* "15 min", "4 h". */
static void
officer_span(int64_t ms, char *buf, size_t bufsz)
{
	int64_t min = (ms + 59999) / 60000;

	if (min < 60)
		(void)snprintf(buf, bufsz, "%lld min", (long long)min);
	else
		(void)snprintf(buf, bufsz, "%lld h", (long long)((min + 59) / 60));
}

/* Locks o's number (lock number locks, 0 the first) and tells the
 * supervisor, once, ahead of the queue. 0 or -1. */
static int
officer_lock(const struct reports_ctx *x, const struct config_officer *o, int locks, int64_t now_ms,
    char *reply, size_t replysz)
{
	const struct config_reports *cr = &x->cfg->reports;
	const struct config_officer *sup = officer_supervisor_of(x->cfg, o);
	int64_t ms = officer_lock_ms(cr, locks);
	char span[32], text[320];

	officer_span(ms, span, sizeof(span));
	if (store_pin_record(x->st, o->number, 0, now_ms + ms) < 0 ||
	    store_pin_set_level(x->st, o->number, locks + 1) < 0)
		return -1;
	log_warnx("reports: %d wrong PINs in a row from %s (%s): locked for %s (lock %d)",
	    cr->pin_max_failures, MASK_NUMBER(o->number), MASK_IF_NUMBER(officer_actor(o)), span,
	    locks + 1);
	(void)snprintf(reply, replysz, "Wrong PIN. This number is locked for %s.", span);
	if (sup == NULL) {
		log_warnx(
		    "reports: nobody to tell of the lock of %s (%s): no supervisor above them",
		    MASK_NUMBER(o->number), MASK_IF_NUMBER(officer_actor(o)));
		return 0;
	}
	(void)snprintf(text, sizeof(text),
	    "KAWAN: %s (%s) is locked out of officer commands for %s after %d wrong PINs "
	    "(lock %d). If it was not them, someone is guessing their PIN: give them a new one "
	    "(kawanctl pin-hash).",
	    officer_actor(o), o->number, span, cr->pin_max_failures, locks + 1);
	if (store_outbound_add_urgent(x->st, engine_channel_name(ENGINE_SMS), sup->number, text, -1,
		0, now_ms, NULL) < 0)
		return -1;
	log_info("reports: supervisor %s told of the lock of %s",
	    MASK_IF_NUMBER(officer_actor(sup)), MASK_IF_NUMBER(officer_actor(o)));
	return 0;
}

/* Counts a PIN (right says whether it matched). 0 right, 1 refused
 * (reply written), -1 error. */
static int
officer_pin(const struct reports_ctx *x, const struct config_officer *o, bool right, int64_t now_ms,
    char *reply, size_t replysz)
{
	const struct config_reports *cr = &x->cfg->reports;
	int failures, locks;
	int64_t until;

	if (store_pin_failures(x->st, o->number, &failures, &until) < 0 ||
	    store_pin_level(x->st, o->number, &locks) < 0)
		return -1;
	if (right) {
		/* A right PIN: the count and the scale of locks start again. */
		if ((failures != 0 || until != 0) && store_pin_record(x->st, o->number, 0, 0) < 0)
			return -1;
		if (locks != 0 && store_pin_set_level(x->st, o->number, 0) < 0)
			return -1;
		return 0;
	}
	failures++;
	if (failures >= cr->pin_max_failures)
		return officer_lock(x, o, locks, now_ms, reply, replysz) < 0 ? -1 : 1;
	log_warnx("reports: wrong PIN from %s (%s), %d of %d", MASK_NUMBER(o->number),
	    MASK_IF_NUMBER(officer_actor(o)), failures, cr->pin_max_failures);
	(void)snprintf(reply, replysz, "Wrong PIN. %d tries left.",
	    cr->pin_max_failures - failures);
	if (store_pin_record(x->st, o->number, failures, until) < 0)
		return -1;
	return 1;
}

/* True (reply written) while the number is locked. -1 on error. */
static int
officer_locked(const struct reports_ctx *x, const struct config_officer *o, int64_t now_ms,
    char *reply, size_t replysz)
{
	int failures;
	int64_t until;

	if (store_pin_failures(x->st, o->number, &failures, &until) < 0)
		return -1;
	if (until <= now_ms)
		return 0;
	log_warnx("reports: command from locked number %s (%s) refused", MASK_NUMBER(o->number),
	    MASK_IF_NUMBER(officer_actor(o)));
	char span[32];

	officer_span(until - now_ms, span, sizeof(span));
	(void)snprintf(reply, replysz, "Locked after wrong PINs. Try again in %s.", span);
	return 1;
}

struct officer_list {
	const struct reports_ctx *x;
	const struct config_officer *o;
	int64_t now_ms;
	char *buf;
	size_t cap; /* text budget */
	size_t len;
	int shown, more;
};

/* "12m", "5h", "3d". */
static void
officer_age(int64_t ms, char *buf, size_t bufsz)
{
	int64_t min = ms > 0 ? ms / 60000 : 0;

	if (min < 60)
		(void)snprintf(buf, bufsz, "%lldm", (long long)min);
	else if (min < 48 * 60)
		(void)snprintf(buf, bufsz, "%lldh", (long long)(min / 60));
	else
		(void)snprintf(buf, bufsz, "%lldd", (long long)(min / (24 * 60)));
}

/* store_report_each callback: adds one open report of the officer's chain. */
static int
officer_list_one(const struct store_report *r, void *arg)
{
	struct officer_list *l = arg;
	char item[96], age[16];
	int n;

	if (r->state == STORE_REPORT_CLOSED || !officer_covers(l->x, l->o, r))
		return 0;
	officer_age(l->now_ms - r->created_ms, age, sizeof(age));
	n = snprintf(item, sizeof(item), "%s%s %s %s%s", l->shown > 0 ? ", " : "", r->ref,
	    r->category[0] != '\0' ? r->category : "?", age,
	    r->state == STORE_REPORT_ACKED ? " acked" : "");
	/* Room kept for the " +N more" tail. */
	if (n < 0 || (size_t)n >= sizeof(item) || l->len + (size_t)n + 12 >= l->cap) {
		l->more++;
		return 0;
	}
	memcpy(l->buf + l->len, item, (size_t)n + 1);
	l->len += (size_t)n;
	l->shown++;
	return 0;
}

static int
officer_list(const struct reports_ctx *x, const struct config_officer *o, int64_t now_ms,
    char *reply, size_t replysz)
{
	struct store_report_filter f = { .state = -1 };
	struct officer_list l = { .x = x, .o = o, .now_ms = now_ms, .buf = reply };
	/* The list is ASCII: a byte is a septet. */
	size_t budget = render_sms_limits(x->cfg->reports.alert_max_segments).gsm7;

	l.cap = budget < replysz ? budget : replysz;
	if (util_strcopy(reply, replysz, "Open: ") == -1)
		return -1;
	l.len = strlen(reply);
	if (store_report_each(x->st, &f, officer_list_one, &l) < 0)
		return -1;
	if (l.shown == 0 && l.more == 0)
		return util_strcopy(reply, replysz, "No open reports.");
	if (l.more > 0)
		(void)snprintf(reply + l.len, replysz - l.len, " +%d more", l.more);
	return 0;
}

enum officer_cmd { OFFICER_ACK, OFFICER_NOTE, OFFICER_CLOSE, OFFICER_LIST };

/* ACK, NOTE or CLOSE of ref once the PIN (when asked for) was right. */
static int
officer_apply(const struct reports_ctx *x, const struct config_officer *o, enum officer_cmd cmd,
    const char *ref, const char *text, int64_t now_ms, char *reply, size_t replysz)
{
	struct store_report r;
	int rc = store_report_get(x->st, ref, &r);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		(void)snprintf(reply, replysz, "Unknown reference %s.", ref);
		return 0;
	}
	if (!officer_covers(x, o, &r)) {
		(void)snprintf(reply, replysz, "%s is not for your roster.", r.ref);
		log_warnx("reports: %s (%s) tried %s outside their roster", MASK_NUMBER(o->number),
		    MASK_IF_NUMBER(officer_actor(o)), r.ref);
		return 0;
	}
	if (cmd == OFFICER_ACK)
		rc = reports_apply_ack(x, &r, officer_actor(o), engine_channel_name(ENGINE_SMS),
		    now_ms, reply, replysz);
	else if (cmd == OFFICER_NOTE)
		rc = reports_apply_note(x, &r, officer_actor(o), engine_channel_name(ENGINE_SMS),
		    text, now_ms, reply, replysz);
	else
		rc = reports_apply_close(x, &r, officer_actor(o), engine_channel_name(ENGINE_SMS),
		    text, now_ms, reply, replysz);
	if (rc < 0)
		return -1;
	if (rc == 0 && cmd == OFFICER_ACK)
		(void)snprintf(reply, replysz, "%s acknowledged. Thank you.", r.ref);
	else if (rc == 0 && cmd == OFFICER_NOTE)
		(void)snprintf(reply, replysz, "Note added to %s.", r.ref);
	else if (rc == 0)
		(void)snprintf(reply, replysz, "%s closed.", r.ref);
	return 0;
}

/* Parses and runs one command. 0 (reply written) or -1. */
static int
officer_run(const struct reports_ctx *x, const struct config_officer *o, const char *text,
    enum reports_pin_src src, int64_t now_ms, char *reply, size_t replysz)
{
	static const char *const usage[] = {
		[OFFICER_ACK] = "Usage: ACK <ref> <PIN>",
		[OFFICER_NOTE] = "Usage: NOTE <ref> <PIN> <text>",
		[OFFICER_CLOSE] = "Usage: CLOSE <ref> <PIN> <outcome>",
		[OFFICER_LIST] = "Usage: LIST <PIN>",
	};
	struct officer_tok cmd, ref = { "", 0 }, pin;
	char refbuf[STORE_REF_MAX] = "", pinbuf[OFFICER_PIN_ARG_MAX + 1], rest[STORE_MESSAGE_MAX];
	const char *p = text;
	enum officer_cmd op;
	bool right;
	int rc;

	officer_next(&p, &cmd);
	if (officer_is(&cmd, "LIST"))
		op = OFFICER_LIST;
	else if (officer_is(&cmd, "ACK"))
		op = OFFICER_ACK;
	else if (officer_is(&cmd, "NOTE"))
		op = OFFICER_NOTE;
	else if (officer_is(&cmd, "CLOSE"))
		op = OFFICER_CLOSE;
	else
		return util_strcopy(reply, replysz, OFFICER_USAGE) == 0 ? 0 : -1;
	if (op != OFFICER_LIST)
		officer_next(&p, &ref);
	officer_next(&p, &pin);
	officer_rest(p, rest, sizeof(rest));
	if ((op != OFFICER_LIST && !officer_word(&ref, refbuf, sizeof(refbuf))) ||
	    !officer_word(&pin, pinbuf, sizeof(pinbuf)) ||
	    ((op == OFFICER_NOTE || op == OFFICER_CLOSE) && rest[0] == '\0'))
		return util_strcopy(reply, replysz, usage[op]) == 0 ? 0 : -1;
	for (char *c = refbuf; *c != '\0'; c++)
		*c = (*c >= 'a' && *c <= 'z') ? (char)(*c - 'a' + 'A') : *c;
	rc = officer_locked(x, o, now_ms, reply, replysz);
	if (rc != 0) {
		explicit_bzero(pinbuf, sizeof(pinbuf));
		return rc < 0 ? -1 : 0;
	}
	right = src == REPORTS_PIN_RIGHT ||
		(src == REPORTS_PIN_IN_TEXT && reports_pin_ok(pinbuf, o->pin_hash));
	explicit_bzero(pinbuf, sizeof(pinbuf));
	rc = officer_pin(x, o, right, now_ms, reply, replysz);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (op == OFFICER_LIST)
		return officer_list(x, o, now_ms, reply, replysz);
	return officer_apply(x, o, op, refbuf, rest, now_ms, reply, replysz);
}

int
reports_officer_cmd(const struct reports_ctx *x, const char *from, const char *text,
    enum reports_pin_src src, int64_t now_ms, char *reply, size_t replysz)
{
	const struct config_officer *o = officer_find(x->cfg, from);
	bool own;
	int rc;

	if (replysz > 0)
		reply[0] = '\0';
	if (o == NULL)
		return 1;
	if (reports_txn_begin(x->st, &own) < 0)
		return -1;
	rc = officer_run(x, o, text != NULL ? text : "", src, now_ms, reply, replysz);
	if (rc < 0)
		log_warnx("reports: command from %s failed: %s", MASK_NUMBER(from),
		    store_errmsg(x->st));
	return reports_txn_end(x->st, own, rc);
}

int
reports_officer_sms(const struct reports_ctx *x, const char *from, const char *text, int64_t now_ms,
    char *reply, size_t replysz)
{
	return reports_officer_cmd(x, from, text, REPORTS_PIN_IN_TEXT, now_ms, reply, replysz);
}
