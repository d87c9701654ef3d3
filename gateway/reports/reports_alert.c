/* reports_alert.c - the texts reports send: the officer alert (English,
 * within alert_max_segments SMS segments; long place, callback or message
 * cut at a grapheme boundary with the kawanctl command that shows them
 * whole) and the worker's notice that an officer acknowledged. */
#include "reports/reports_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "core/charset.h"
#include "core/log.h"
#include "core/util.h"
#include "render/render.h"

#define ALERT_NOCAP SIZE_MAX
#define ALERT_UMAX  (STORE_MESSAGE_MAX + 8)  /* UTF-16 units of the longest field */

const char *
reports_alert_country(const struct content *content, const char *code)
{
	const struct content_country *ct;

	if (code == NULL || code[0] == '\0')
		return "nationality unknown";
	ct = content != NULL ? content_find_country(content, code) : NULL;
	return ct != NULL && ct->name[0] != '\0' ? ct->name : code;
}

/* The callback advice: the engine's codes in words; never "call" by default. */
static const char *
reports_alert_callback(const char *cb)
{
	if (cb[0] == '\0')
		return "not given - do not call";
	if (strcmp(cb, "sms_only") == 0)
		return "SMS only";
	if (strcmp(cb, "now") == 0)
		return "safe to call now";
	return cb;
}

/* A bounded string builder; overflow is sticky. */
struct reports_alert_buf {
	char *buf;
	size_t sz, len;
	bool overflow;
};

static void
reports_alert_put(struct reports_alert_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->overflow || b->len + n >= b->sz) {
		b->overflow = true;
		return;
	}
	memcpy(b->buf + b->len, s, n + 1);
	b->len += n;
}

/* Units of s in coding: septets (GSM-7) or UTF-16 units (UCS-2). */
static size_t
reports_alert_units(const char *s, enum render_coding coding)
{
	size_t len = strlen(s), units = 0;

	if (coding == RENDER_GSM7) {
		long n = charset_gsm7_septets(s);

		return n < 0 ? len * 2 : (size_t)n;
	}
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t k = charset_utf8_next(s + i, len - i, &cp);

		if (k == 0)
			k = 1;
		units += cp > 0xFFFF ? 2 : 1;
		i += k;
	}
	return units;
}

/* Copies into dst the longest prefix of s that fits cap units in coding and
 * ends on a grapheme boundary (UCS-2) or a character boundary (GSM-7 has
 * no combining marks). Returns true when s was cut. */
static bool
reports_alert_cut(const char *s, enum render_coding coding, size_t cap, char *dst, size_t dstsz)
{
	UChar u[ALERT_UMAX];
	int32_t ulen = 0, end = 0, b;
	UErrorCode err = U_ZERO_ERROR;
	UBreakIterator *bi;

	if (cap == ALERT_NOCAP || reports_alert_units(s, coding) <= cap)
		return util_strcopy(dst, dstsz, s) == -1;     /* cut only if dst is short */
	dst[0] = '\0';
	if (coding == RENDER_GSM7) {
		size_t len = strlen(s), i = 0, used = 0;

		while (i < len) {
			char one[8] = "";
			unsigned cp;
			size_t k = charset_utf8_next(s + i, len - i, &cp);
			long n;

			if (k == 0 || k >= sizeof(one))
				break;
			memcpy(one, s + i, k);
			n = charset_gsm7_septets(one);
			if (n < 0 || used + (size_t)n > cap || i + k >= dstsz)
				break;
			used += (size_t)n;
			i += k;
		}
		memcpy(dst, s, i);
		dst[i] = '\0';
		return true;
	}
	u_strFromUTF8(u, ALERT_UMAX, &ulen, s, -1, &err);
	if (U_FAILURE(err))
		return true;
	bi = ubrk_open(UBRK_CHARACTER, "", u, ulen, &err);
	if (U_FAILURE(err))
		return true;
	for (b = ubrk_first(bi); b != UBRK_DONE && (size_t)b <= cap; b = ubrk_next(bi))
		end = b;
	ubrk_close(bi);
	err = U_ZERO_ERROR;
	u_strToUTF8(dst, (int32_t)dstsz, NULL, u, end, &err);
	if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING)
		dst[0] = '\0';
	return true;
}

/* How many units to give place, callback and message. */
struct reports_alert_caps {
	size_t place, callback, message;
};

/* Builds the alert with each variable field cut to its cap. */
static void
reports_alert_build(const struct store_report *r, const char *country, const char *kind,
    enum render_coding coding, const struct reports_alert_caps *caps, struct reports_alert_buf *b)
{
	char piece[STORE_MESSAGE_MAX];
	bool cut = false;

	b->len = 0;
	b->overflow = false;
	b->buf[0] = '\0';
	reports_alert_put(b, "KAWAN ");
	reports_alert_put(b, kind);
	reports_alert_put(b, " ");
	reports_alert_put(b, r->ref);
	reports_alert_put(b, " | ");
	reports_alert_put(b, country);
	reports_alert_put(b, " | ");
	reports_alert_put(b, r->category[0] != '\0' ? r->category : "category unknown");
	reports_alert_put(b, " | Place: ");
	if (r->place[0] == '\0') {
		reports_alert_put(b, "not given yet");
	} else {
		cut |= reports_alert_cut(r->place, coding, caps->place, piece, sizeof(piece));
		reports_alert_put(b, piece);
		reports_alert_put(b, cut ? "..." : "");
	}
	reports_alert_put(b, " | Callback: ");
	if (reports_alert_cut(reports_alert_callback(r->callback), coding, caps->callback, piece,
	    sizeof(piece))) {
		cut = true;
		reports_alert_put(b, piece);
		reports_alert_put(b, "...");
	} else {
		reports_alert_put(b, piece);
	}
	reports_alert_put(b, " | Worker ");
	reports_alert_put(b, r->msisdn[0] != '\0' ? r->msisdn : "(erased)");
	if (r->message[0] != '\0') {
		reports_alert_put(b, " | Msg: ");
		if (reports_alert_cut(r->message, coding, caps->message, piece, sizeof(piece))) {
			cut = true;
			reports_alert_put(b, piece);
			reports_alert_put(b, "...");
		} else {
			reports_alert_put(b, piece);
		}
	}
	if (cut) {
		reports_alert_put(b, " (full: kawanctl reports show ");
		reports_alert_put(b, r->ref);
		reports_alert_put(b, ")");
	}
	reports_alert_put(b, " | Reply ACK ");
	reports_alert_put(b, r->ref);
	reports_alert_put(b, " <PIN>");
}

/* The unit budget of segs SMS segments in coding. */
static size_t
reports_alert_budget(enum render_coding coding, int segs)
{
	if (segs <= 1)
		return coding == RENDER_GSM7 ? 160 : 70;
	return (size_t)segs * (coding == RENDER_GSM7 ? 153 : 67);
}

/* True when the text in b fits segs segments. */
static bool
reports_alert_fits(const struct reports_alert_buf *b, int segs)
{
	return !b->overflow && render_sms_segments(b->buf) <= segs;
}

/* Shares avail units among the fields: place and callback first (up to a
 * share that leaves the message room), the message the rest. */
static void
reports_alert_share(const struct store_report *r, enum render_coding coding, size_t avail,
    struct reports_alert_caps *caps)
{
	size_t up = reports_alert_units(r->place, coding);
	size_t ucb = reports_alert_units(reports_alert_callback(r->callback), coding);
	size_t um = reports_alert_units(r->message, coding);
	size_t keep_msg = um < avail / 3 ? um : avail / 3;

	caps->place = up < (avail - keep_msg) / 2 ? up : (avail - keep_msg) / 2;
	avail -= caps->place;
	caps->callback = ucb < avail - keep_msg ? ucb : avail - keep_msg;
	avail -= caps->callback;
	caps->message = avail;
}

/* Cuts the fields to fit segs segments in coding. True when it fits. */
static bool
reports_alert_plan(const struct store_report *r, const char *country, const char *kind,
    enum render_coding coding, int segs, struct reports_alert_buf *b)
{
	struct reports_alert_caps caps = { 0, 0, 0 };
	size_t budget = reports_alert_budget(coding, segs), fixed;

	/* The fixed part with empty fields, then share the rest. */
	reports_alert_build(r, country, kind, coding, &caps, b);
	fixed = reports_alert_units(b->buf, coding);
	reports_alert_share(r, coding, budget > fixed ? budget - fixed : 0, &caps);
	for (int i = 0; i < 64; i++) {
		reports_alert_build(r, country, kind, coding, &caps, b);
		if (reports_alert_fits(b, segs))
			return true;
		/* Segment edges (an escape pair cannot straddle one): give back a little. */
		if (caps.message > 4)
			caps.message -= 4;
		else if (caps.place > 4)
			caps.place -= 4;
		else if (caps.callback > 4)
			caps.callback -= 4;
		else if (caps.message + caps.place + caps.callback > 0)
			caps.message = caps.place = caps.callback = 0;
		else
			return false;
	}
	return false;
}

size_t
reports_alert_compose(const struct kawan_config *cfg, const struct content *content,
    const struct store_report *r, const char *kind, char *buf, size_t bufsz)
{
	const char *country = reports_alert_country(content, r->nationality);
	struct reports_alert_caps caps = { ALERT_NOCAP, ALERT_NOCAP, ALERT_NOCAP };
	struct reports_alert_buf b = { .buf = buf, .sz = bufsz };
	int segs = cfg->reports.alert_max_segments > 0 ? cfg->reports.alert_max_segments : 1;
	enum render_coding coding;
	size_t units;

	if (bufsz == 0)
		return 0;
	reports_alert_build(r, country, kind, RENDER_UCS2, &caps, &b);
	coding = render_coding_of(b.buf, &units);
	if (reports_alert_fits(&b, segs))
		return b.len;
	if (reports_alert_plan(r, country, kind, coding, segs, &b) &&
	    (coding == RENDER_GSM7 || render_coding_of(b.buf, &units) == RENDER_UCS2))
		return b.len;
	/* UCS-2 left too little room (its fit dropped every non-GSM character
	 * anyway): plan in GSM-7, keeping the GSM-7 start of each field (a
	 * field in another script becomes "..."; kawanctl shows it whole). */
	if (coding == RENDER_UCS2 && reports_alert_plan(r, country, kind, RENDER_GSM7, segs, &b))
		return b.len;
	log_warnx("reports: %s: alert does not fit %d segments even cut", r->ref, segs);
	return b.overflow ? 0 : b.len;
}

size_t
reports_alert_text(const struct kawan_config *cfg, const struct content *content,
    const struct store_report *r, char *buf, size_t bufsz)
{
	return reports_alert_compose(cfg, content, r, "SOS", buf, bufsz);
}

int
reports_alert_worker_acked(const struct reports_ctx *x, const struct store_report *r,
    int64_t now_ms)
{
	struct store_prefs p;
	char text[1024];
	char *z = NULL;
	const char *lang;
	int rc;

	if (!x->cfg->reports.notify_worker_on_ack || r->msisdn[0] == '\0')
		return 0;
	rc = store_prefs_get(x->st, r->msisdn, &p);
	if (rc < 0)
		return -1;
	if (p.opted_out) {
		log_info("reports: %s: worker opted out (STOP); not told of the acknowledgement",
		    r->ref);
		return 0;
	}
	lang = p.lang[0] != '\0' ? p.lang : r->lang;
	if (reports_fill_ref(text, sizeof(text), reports_ui(x, lang, "status_acked"), r->ref) < 0) {
		log_warnx("reports: %s: acknowledgement notice too long", r->ref);
		return 0;
	}
	if (p.zawgyi && render_zawgyi(text, &z) < 0) {
		log_warnx("reports: %s: Zawgyi transform failed; notice sent in Unicode", r->ref);
		z = NULL;
	}
	rc = store_outbound_add(x->st, "sms", r->msisdn, z != NULL ? z : text,
	    p.discreet ? 0 : -1, 0, now_ms, NULL);
	free(z);
	if (rc < 0 || store_audit_add(x->st, r->id, now_ms, "system", "sms", "notified",
	    "worker told an officer acknowledged") < 0)
		return -1;
	return 1;
}
