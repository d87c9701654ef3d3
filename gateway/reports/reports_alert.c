/* reports_alert.c - the texts reports send: the officer alert (English,
 * within alert_max_segments SMS segments, measured and cut by render/; a
 * long place, callback or message is cut with the kawanctl command that
 * shows it whole) and the worker's notice that an officer acknowledged. */
#include "reports/reports_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "render/render.h"

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
reports_alert_putn(struct reports_alert_buf *b, const char *s, size_t n)
{
	if (b->overflow || b->len + n >= b->sz) {
		b->overflow = true;
		return;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

static void
reports_alert_put(struct reports_alert_buf *b, const char *s)
{
	reports_alert_putn(b, s, strlen(s));
}

/* How many bytes of place, callback advice and message the alert keeps
 * (SIZE_MAX: all). */
struct reports_alert_keep {
	size_t place, callback, message;
};

/* Appends keep bytes of s and "..." when that cuts it. True when cut. */
static bool
reports_alert_field(struct reports_alert_buf *b, const char *s, size_t keep)
{
	size_t len = strlen(s);

	if (keep >= len) {
		reports_alert_put(b, s);
		return false;
	}
	reports_alert_putn(b, s, keep);
	reports_alert_put(b, "...");
	return true;
}

/* Writes the alert up to the message (its label included). True when a
 * field was cut. */
static bool
reports_alert_head(const struct store_report *r, const char *country, const char *kind,
    const struct reports_alert_keep *k, struct reports_alert_buf *b)
{
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
	if (r->place[0] == '\0')
		reports_alert_put(b, "not given yet");
	else
		cut |= reports_alert_field(b, r->place, k->place);
	reports_alert_put(b, " | Callback: ");
	cut |= reports_alert_field(b, reports_alert_callback(r->callback), k->callback);
	reports_alert_put(b, " | Worker ");
	reports_alert_put(b, r->msisdn[0] != '\0' ? r->msisdn : "(erased)");
	if (r->message[0] != '\0')
		reports_alert_put(b, " | Msg: ");
	return cut;
}

/* Appends what follows the message: the command that shows the report
 * whole when a field was cut, and how to reply. */
static void
reports_alert_tail(const struct store_report *r, bool cut, struct reports_alert_buf *b)
{
	if (cut) {
		reports_alert_put(b, " (full: kawanctl reports show ");
		reports_alert_put(b, r->ref);
		reports_alert_put(b, ")");
	}
	reports_alert_put(b, " | Reply ACK ");
	reports_alert_put(b, r->ref);
	reports_alert_put(b, " <PIN>");
}

static void
reports_alert_build(const struct store_report *r, const char *country, const char *kind,
    const struct reports_alert_keep *k, struct reports_alert_buf *b)
{
	bool cut = reports_alert_head(r, country, kind, k, b);

	cut |= reports_alert_field(b, r->message, k->message);
	reports_alert_tail(r, cut, b);
}

/* The coding the whole alert needs: its fixed words are ASCII. */
static enum render_coding
reports_alert_coding(const struct store_report *r, const char *country)
{
	const char *v[] = { country, r->category, r->place, reports_alert_callback(r->callback),
		r->msisdn, r->message };
	size_t units;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (render_coding_of(v[i], &units) != RENDER_GSM7)
			return RENDER_UCS2;
	return RENDER_GSM7;
}

/*
 * How much of each field the alert keeps in segs segments, planned in
 * coding, each cut made once by render: the fixed part (every field cut
 * to "...") first; place and callback get up to a share of the rest that
 * leaves the message a third of it; the message keeps exactly what then
 * fits (render_sms_fit). False when the fixed part alone does not fit
 * (every field is then cut to nothing).
 */
static bool
reports_alert_plan(const struct store_report *r, const char *country, const char *kind,
    enum render_coding coding, int segs, struct reports_alert_buf *b, struct reports_alert_keep *k)
{
	struct render_limits lim = render_sms_limits(segs);
	size_t room = coding == RENDER_GSM7 ? lim.gsm7 : lim.ucs2;
	const char *cb = reports_alert_callback(r->callback);
	size_t fixed = 0, avail = 0, um = 0, used = 0, keep_msg;
	char tailbuf[128];
	struct reports_alert_buf tail = { .buf = tailbuf, .sz = sizeof(tailbuf) };
	bool fits;

	memset(k, 0, sizeof(*k));
	reports_alert_build(r, country, kind, k, b);
	fits = !b->overflow && render_fit_units(b->buf, coding, SIZE_MAX, &fixed) == b->len &&
	       fixed <= room;
	if (fits)
		avail = room - fixed;
	(void)render_fit_units(r->message, coding, SIZE_MAX, &um);
	keep_msg = um < avail / 3 ? um : avail / 3;
	k->place = render_fit_units(r->place, coding, (avail - keep_msg) / 2, &used);
	avail -= used;
	k->callback = render_fit_units(cb, coding, avail - keep_msg, &used);
	/* The message: what fits between the head as cut and a cut tail. */
	tailbuf[0] = '\0';
	reports_alert_put(&tail, "...");
	reports_alert_tail(r, true, &tail);
	(void)reports_alert_head(r, country, kind, k, b);
	if (!b->overflow && !tail.overflow)
		k->message = render_sms_fit(b->buf, r->message, tailbuf, segs);
	return fits;
}

size_t
reports_alert_compose(const struct kawan_config *cfg, const struct content *content,
    const struct store_report *r, const char *kind, char *buf, size_t bufsz)
{
	const char *country = reports_alert_country(content, r->nationality);
	struct reports_alert_keep k = { SIZE_MAX, SIZE_MAX, SIZE_MAX };
	struct reports_alert_buf b = { .buf = buf, .sz = bufsz };
	int segs = cfg->reports.alert_max_segments > 0 ? cfg->reports.alert_max_segments : 1;
	enum render_coding coding = reports_alert_coding(r, country);

	if (bufsz == 0)
		return 0;
	reports_alert_build(r, country, kind, &k, &b);
	if (!b.overflow && render_sms_segments(buf) <= segs)
		return b.len;
	/* UCS-2 leaves no room for the fixed part: plan in GSM-7, keeping the
	 * GSM-7 start of each field (a field in another script becomes "...";
	 * kawanctl shows it whole). */
	if (!reports_alert_plan(r, country, kind, coding, segs, &b, &k) && coding == RENDER_UCS2)
		(void)reports_alert_plan(r, country, kind, RENDER_GSM7, segs, &b, &k);
	reports_alert_build(r, country, kind, &k, &b);
	if (b.overflow) {
		log_warnx("reports: %s: alert longer than its %zu-byte buffer", r->ref, bufsz);
		return 0;
	}
	if (render_sms_segments(buf) > segs)
		log_warnx("reports: %s: alert does not fit %d segments even cut", r->ref, segs);
	return b.len;
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
	if (render_fill_ref(text, sizeof(text), reports_ui(x, lang, "status_acked"), r->ref) < 0) {
		log_warnx("reports: %s: acknowledgement notice too long", r->ref);
		return 0;
	}
	if (render_for_phone(text, engine_script(x->content, lang, p.variant != 0), &z) < 0) {
		log_warnx("reports: %s: notice not prepared for the phone; sent as written",
		    r->ref);
		z = NULL;
	}
	rc = store_outbound_add(x->st, engine_channel_name(ENGINE_SMS), r->msisdn,
	    z != NULL ? z : text, p.discreet ? 0 : -1, 0, now_ms, NULL);
	free(z);
	if (rc < 0 ||
	    store_audit_add(x->st, r->id, now_ms, "system", engine_channel_name(ENGINE_SMS),
		"notified", "worker told an officer acknowledged") < 0)
		return -1;
	return 1;
}
